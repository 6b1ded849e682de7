"""top_resources: metrics.k8s.io usage of pods (and containers) or nodes, sorted, budgeted, policy-checked;
a cluster without metrics-server is a typed MetricsUnavailable error naming the fix.

Runs on both targets: the real control plane has no metrics-server, so there the missing-metrics
error is a real one; the tests that read numbers run on the emulator, which serves deterministic ones.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from harness import Cluster, McpServerProcess

pytestmark = [pytest.mark.both_targets]

NO_METRICS = "the real control plane has no metrics-server: only the emulator serves metrics.k8s.io"


@pytest.fixture(scope="module")
def namespace(cluster: Cluster) -> str:
    ns = cluster.new_namespace("top")
    cluster.seed_pods(12, ns)
    return ns


def _expected_pods(cluster: Cluster, namespace: str) -> dict[str, tuple[int, int]]:
    """(millicores, bytes) per Running pod, summed over its containers, as the emulator computes them."""
    from mcp_kubectl.emulator.metrics import container_usage

    expected = {}
    for pod in cluster.kubectl_json("get", "pods", "-n", namespace)["items"]:
        if pod["status"].get("phase") != "Running":
            continue
        usages = [container_usage(namespace, pod["metadata"]["name"], c["name"]) for c in pod["spec"]["containers"]]
        expected[pod["metadata"]["name"]] = (sum(u[0] for u in usages), sum(u[1] for u in usages))
    return expected


def test_top_is_offered_with_listing(reader: McpServerProcess, server_factory: Callable[..., McpServerProcess]) -> None:
    assert "top_resources" in reader.tool_names()
    assert "top_resources" not in server_factory("--disable-list").tool_names()


@pytest.mark.emulator_only(reason=NO_METRICS)
def test_pods_are_sorted_heaviest_first_with_the_served_numbers(reader: McpServerProcess, cluster: Cluster, namespace: str) -> None:
    expected = _expected_pods(cluster, namespace)
    assert len(expected) >= 3, "the seeded namespace needs several Running pods"
    by_cpu = reader.ok("top_resources", {"kind": "pods", "namespace": namespace, "limit": 500})
    assert by_cpu["total"] == by_cpu["count"] == len(expected) and by_cpu["namespace"] == namespace
    assert {i["name"]: (i["cpuMillicores"], i["memoryBytes"]) for i in by_cpu["items"]} == expected
    cpus = [i["cpuMillicores"] for i in by_cpu["items"]]
    assert cpus == sorted(cpus, reverse=True)
    assert by_cpu["items"][0]["cpu"] == f"{cpus[0]}m"
    by_memory = reader.ok("top_resources", {"kind": "pods", "namespace": namespace, "sortBy": "memory", "limit": 3})
    assert by_memory["count"] == 3 and by_memory["total"] == len(expected)
    heaviest = sorted(expected.items(), key=lambda kv: (-kv[1][1], kv[0]))[:3]
    assert [i["name"] for i in by_memory["items"]] == [name for name, _ in heaviest]
    assert "containers" not in by_memory["items"][0]


@pytest.mark.emulator_only(reason=NO_METRICS)
def test_containers_add_up_to_their_pod(reader: McpServerProcess, namespace: str) -> None:
    answer = reader.ok("top_resources", {"kind": "pods", "namespace": namespace, "containers": True})
    for item in answer["items"]:
        assert item["containers"], item
        assert sum(c["cpuMillicores"] for c in item["containers"]) == item["cpuMillicores"]
        assert sum(c["memoryBytes"] for c in item["containers"]) == item["memoryBytes"]
    reader.fails("top_resources", {"kind": "nodes", "containers": True}, reason="InvalidArgument")


@pytest.mark.emulator_only(reason=NO_METRICS)
def test_nodes_with_their_share_of_allocatable(reader: McpServerProcess, cluster: Cluster) -> None:
    from mcp_kubectl.ops.top import quantity

    cluster.seed_workloads("top-nodes")  # brings nodes and pods bound to them
    answer = reader.ok("top_resources", {"kind": "nodes", "sortBy": "memory"})
    assert answer["kind"] == "nodes" and answer["count"] >= 1 and "namespace" not in answer
    memory = [i["memoryBytes"] for i in answer["items"]]
    assert memory == sorted(memory, reverse=True)
    for item in answer["items"]:
        allocatable = cluster.kubectl_json("get", "node", item["name"])["status"]["allocatable"]
        cpu = int(allocatable["cpu"]) * 1000
        assert item["cpuPercent"] == round(100 * item["cpuMillicores"] / cpu)
        assert item["memoryPercent"] == round(100 * item["memoryBytes"] / int(quantity(allocatable["memory"])))


@pytest.mark.emulator_only(reason=NO_METRICS)
def test_the_answer_stays_within_the_budget(server_factory: Callable[..., McpServerProcess], cluster: Cluster) -> None:
    ns = cluster.new_namespace("top-many")
    cluster.seed_pods(120, ns)
    small = server_factory("--budget-bytes=4096")
    answer = small.call("top_resources", {"kind": "pods", "namespace": ns, "containers": True, "limit": 500})
    assert not answer.is_error
    assert len(answer.text.encode()) <= 4096
    assert 0 < answer.data["count"] < answer.data["total"]
    assert "lower limit" in answer.data["truncated"]


def test_policy_applies(server_factory: Callable[..., McpServerProcess], namespace: str) -> None:
    server_factory(f"--denied-namespaces={namespace}").fails("top_resources", {"namespace": namespace}, reason="PolicyDenied")
    server_factory("--allowed-namespaces=elsewhere").fails("top_resources", {"namespace": namespace}, reason="PolicyDenied")
    server_factory("--denied-resources=pods").fails("top_resources", {"namespace": namespace}, reason="PolicyDenied")
    server_factory("--denied-resources=nodes").fails("top_resources", {"kind": "nodes"}, reason="PolicyDenied")


def test_bad_arguments_are_typed(reader: McpServerProcess) -> None:
    for arguments in ({"kind": "deployments"}, {"sortBy": "disk"}, {"limit": 0}, {"namespace": "-A"}):
        reader.fails("top_resources", arguments, reason="InvalidArgument")


def _assert_missing_metrics(server: McpServerProcess, namespace: str) -> None:
    for arguments in ({"kind": "pods", "namespace": namespace}, {"kind": "nodes"}):
        answer = server.fails("top_resources", arguments, reason="MetricsUnavailable")
        assert "metrics.k8s.io" in answer.data["error"]["message"]
        assert "metrics-server" in answer.data["error"]["hint"]


def test_a_cluster_without_metrics_server_is_a_typed_error_with_the_fix(
    server_factory: Callable[..., McpServerProcess], cluster: Cluster, namespace: str
) -> None:
    if not cluster.is_emulator:
        _assert_missing_metrics(server_factory(), namespace)  # the real control plane: no metrics-server at all
        return
    # A server of its own: its discovery cache must not outlive the switch for the other tests.
    with McpServerProcess(cluster) as server:
        assert server.ok("top_resources", {"namespace": namespace})["count"] > 0  # discovered while served
        cluster.emulator.metrics.enabled = False
        try:
            _assert_missing_metrics(server, namespace)  # known to discovery, then gone: 404 on its path
            with McpServerProcess(cluster) as fresh:
                _assert_missing_metrics(fresh, namespace)  # never discovered at all
        finally:
            cluster.emulator.metrics.enabled = True


@pytest.mark.emulator_only(reason="injects a hang into the emulator's metrics path")
def test_a_hung_metrics_api_is_a_timeout_within_the_deadline(cluster: Cluster, emulator, namespace: str) -> None:
    with McpServerProcess(cluster, "--timeout=2") as impatient:
        impatient.ok("top_resources", {"namespace": namespace})  # discovery cached before the fault
        emulator.faults.hang("/apis/metrics.k8s.io/")
        try:
            answer = impatient.fails("top_resources", {"namespace": namespace}, reason="Timeout")
        finally:
            emulator.faults.clear()
    assert "kubectl did not answer within 2s and was stopped" in answer.text  # the server's deadline ended it
