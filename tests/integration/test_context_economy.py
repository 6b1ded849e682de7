"""Answers that fit a model's context: summaries, pagination, byte budgets, and the diagnosis tools.

Runs against its own emulator (seeded with the kind fixtures and 2,200 pods) so that the numbers it
checks are known, and against the real control plane seeded with the same objects (statuses written
through /status: there are no kubelets).
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest

from harness import Cluster, McpServerProcess

# The module's seeding runs inside its first test: on the real target that is the fixtures and 2,200
# pods created and their statuses written through kubectl, 2 to 4 minutes on 2 shared cores.
pytestmark = [pytest.mark.both_targets, pytest.mark.timeout(600)]

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "objects"
# Custom resources need their CRD; the events.k8s.io copies share names with the core
# events (one storage on a real cluster), so only the core form is loaded.
BUILT_IN_FIXTURES = [
    p for p in sorted(FIXTURES.glob("*.json")) if not p.name.startswith("crd-") and p.name != "events-events-v1.json"
]

MANAGED = "managed"
_ECR = "123456789012.dkr.ecr.eu-west-1.amazonaws.com"


def managed_cluster_pods(n: int, namespace: str) -> list[dict]:
    """Pods as a managed cluster (EKS) shows them: long node names, a sidecar, three containers, ECR images.

    Built from the emulator's seeded pods (one in 25 crash looping, one in 25 pending), so that
    the states a model must diagnose stay in the mix.
    """
    from mcp_kubectl.emulator.seeding import make_pods

    pods = make_pods(n, namespace)
    for index, pod in enumerate(pods):
        app = pod["metadata"]["labels"]["app"]
        spec, status = pod["spec"], pod["status"]
        for container in spec["containers"]:
            container["image"] = f"{_ECR}/team-{app}/{container['name']}:2026.11.{index % 9}-7f3c9e{index % 10}"
        spec["containers"].append({"name": "log-shipper", "image": f"{_ECR}/platform/fluent-bit:3.1.9-amazon"})
        spec["initContainers"] = [
            {"name": "istio-init", "image": "docker.io/istio/proxyv2:1.24.2"},
            {"name": "istio-proxy", "image": "docker.io/istio/proxyv2:1.24.2", "restartPolicy": "Always"},
        ]
        if spec.get("nodeName"):
            spec["nodeName"] = f"ip-10-0-{index % 48}-{(index * 7) % 250 + 3}.eu-west-1.compute.internal"
            running = {"running": {"startedAt": status["startTime"]}}
            status["initContainerStatuses"] = [
                {"name": "istio-init", "ready": True, "restartCount": 0, "started": False, "image": "istio/proxyv2:1.24.2",
                 "state": {"terminated": {"exitCode": 0, "reason": "Completed", "startedAt": status["startTime"],
                                          "finishedAt": status["startTime"]}}, "lastState": {}},
                {"name": "istio-proxy", "ready": True, "restartCount": 0, "started": True, "image": "istio/proxyv2:1.24.2",
                 "state": running, "lastState": {}},
            ]
            status["containerStatuses"].append(
                {"name": "log-shipper", "ready": True, "restartCount": 0, "started": True,
                 "image": f"{_ECR}/platform/fluent-bit:3.1.9-amazon", "state": running, "lastState": {}})
    return pods


@pytest.fixture(scope="module")
def seeded(cluster: Cluster, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    from mcp_kubectl.emulator import Emulator

    folder = tmp_path_factory.mktemp("objects")
    for path in BUILT_IN_FIXTURES:
        shutil.copy(path, folder / path.name)
    if not cluster.is_emulator:
        for namespace in ("monitoring", "ingress-nginx"):
            cluster.ensure_namespace(namespace)
        cluster.load(folder)
        cluster.seed_pods(1200, "bulk")
        cluster.seed_pods(500, "five-hundred")
        cluster.seed(managed_cluster_pods(500, MANAGED))
        yield cluster
        return
    with Emulator(namespaces=("default", "monitoring", "ingress-nginx")) as emulator:
        emulator.load(folder)
        emulator.seed_pods(1200, "bulk")
        emulator.seed_pods(500, "five-hundred")
        emulator.ensure_namespace(MANAGED)
        emulator.store.put_many(("", "pods"), managed_cluster_pods(500, MANAGED))
        yield Cluster(kubeconfig=emulator.kubeconfig, cache_dir=emulator.cache_dir, emulator=emulator)


@pytest.fixture(scope="module")
def servers(seeded: Cluster) -> Iterator[dict[str, McpServerProcess]]:
    with ExitStack() as stack:
        yield {
            "default": stack.enter_context(McpServerProcess(seeded, "--enable-update")),
            "small": stack.enter_context(McpServerProcess(seeded, "--budget-bytes=4096")),
        }


def rows_by_name(answer: dict) -> dict[str, dict]:
    return {row[0]: dict(zip(answer["columns"], row)) for row in answer["rows"]}


# ----------------------------------------------------------------------------- summaries


def test_pod_summaries_read_like_kubectl(servers: dict[str, McpServerProcess]) -> None:
    pods = rows_by_name(servers["default"].ok("list_resources", {"kind": "pods", "namespace": "default"}))
    assert pods["web-7d4b9c8f6d-abcde"]["ready"] == "2/2"
    assert pods["web-7d4b9c8f6d-abcde"]["status"] == "Running"
    assert "node" not in pods["web-7d4b9c8f6d-abcde"]  # a -o wide column, as in kubectl
    crash = pods["api-5f6d7c8b9-qwert"]
    assert crash["status"] == "CrashLoopBackOff"
    assert re.fullmatch(r"7 \(\d+\w+ ago\)", crash["restarts"])
    assert pods["worker-6c9f8d7b5-mnbvc"]["status"] in {"ImagePullBackOff", "ErrImagePull"}
    assert pods["db-migrate-28831680-kx2lp"]["status"] == "Completed"
    assert pods["cache-0"]["status"].startswith("Init:")
    assert pods["big-job-runner-x9z8w"]["status"] == "Pending"


@pytest.mark.parametrize(
    "kind, namespace, name, expected",
    [
        ("deployments", "default", "web", {"ready", "upToDate", "available"}),
        ("statefulsets", "default", "cache", {"ready"}),
        ("replicasets", "default", "web-7d4b9c8f6d", {"desired", "current", "ready"}),
        ("daemonsets", "monitoring", "node-exporter", {"desired", "ready", "available"}),
        ("services", "default", "web-nodeport", {"type", "clusterIP", "ports"}),
        ("jobs", "default", "db-migrate-28831680", {"completions", "status"}),
        ("cronjobs", "default", "db-migrate", {"schedule"}),
        ("nodes", None, "control-plane-1", {"status", "roles", "version"}),
        ("persistentvolumeclaims", "default", "data-cache-0", {"status", "volume", "capacity"}),
    ],
)
def test_kind_aware_summary_columns(servers, kind: str, namespace: str | None, name: str, expected: set[str]) -> None:
    arguments = {"kind": kind} | ({"namespace": namespace} if namespace else {})
    answer = servers["default"].ok("list_resources", arguments)
    row = rows_by_name(answer)[name]
    assert expected <= {column for column, value in row.items() if value not in (None, "")}, row


def test_service_and_node_values(servers) -> None:
    services = rows_by_name(servers["default"].ok("list_resources", {"kind": "svc", "namespace": "default"}))
    assert services["web-nodeport"]["type"] == "NodePort"
    assert ":" in services["web-nodeport"]["ports"] and "/TCP" in services["web-nodeport"]["ports"]
    nodes = rows_by_name(servers["default"].ok("list_resources", {"kind": "no"}))
    assert nodes["control-plane-1"]["status"] == "Ready,SchedulingDisabled"  # the fixture node is cordoned
    assert "control-plane" in nodes["control-plane-1"]["roles"]
    assert nodes["worker-2"]["status"].startswith("NotReady")


def test_full_output_and_field_projection(servers) -> None:
    full = servers["default"].ok("list_resources", {"kind": "deploy", "namespace": "default", "output": "full"})
    assert full["items"][0]["spec"]["template"]
    assert all("managedFields" not in item["metadata"] for item in full["items"])
    images = servers["default"].ok(
        "list_resources", {"kind": "pods", "namespace": "default", "fields": ["spec.containers[*].image", "status.phase"]}
    )
    web = next(item for item in images["items"] if item["name"] == "web-7d4b9c8f6d-abcde")
    assert len(web["spec.containers[*].image"]) == 2 and web["status.phase"] == "Running"
    assert set(web) == {"name", "namespace", "spec.containers[*].image", "status.phase"}


# ----------------------------------------------------------------------------- pagination and budgets


def test_pagination_returns_every_item_exactly_once(servers) -> None:
    server = servers["default"]
    seen: list[str] = []
    token = None
    pages = 0
    while True:
        arguments = {"kind": "pods", "namespace": "bulk", "limit": 500, "output": "full", "fields": ["metadata.uid"]}
        if token:
            arguments["continueToken"] = token
        page = server.ok("list_resources", arguments)
        pages += 1
        seen.extend(item["name"] for item in page["items"])
        token = page.get("continueToken")
        if not token:
            break
        assert page["remainingItemCount"] == 1200 - len(seen)
    assert pages == 3
    assert len(seen) == 1200 and len(set(seen)) == 1200


def test_default_page_is_one_hundred_and_says_how_to_continue(servers) -> None:
    answer = servers["default"].call("list_resources", {"kind": "pods", "namespace": "bulk"})
    assert answer.data["count"] == 100 and answer.data["remainingItemCount"] == 1100
    assert f"continueToken={answer.data['continueToken']}" in answer.text


def test_byte_budget_cuts_at_an_item_boundary_with_a_marker(servers) -> None:
    answer = servers["small"].call("list_resources", {"kind": "pods", "namespace": "bulk", "limit": 1000})
    assert not answer.is_error
    assert len(answer.text.encode()) <= 4096 + 300  # the table within budget, plus one line of paging
    data = answer.data
    assert 0 < data["count"] < 1000
    assert data["truncated"].startswith(f"truncated: {1000 - data['count']} of 1000 items left out")
    assert "labelSelector" in data["truncated"]
    assert len(data["rows"]) == data["count"]  # cut at an item boundary: whole rows only


def test_full_objects_over_budget_are_cut_not_failed(servers) -> None:
    answer = servers["small"].call("list_resources", {"kind": "pods", "namespace": "bulk", "output": "full", "limit": 50})
    assert not answer.is_error
    assert answer.data["count"] < 50 and "truncated" in answer.data


def test_five_hundred_pods_in_summary_mode_are_no_bigger_than_kubectls_table(seeded: Cluster, servers) -> None:
    table = seeded.kubectl("get", "pods", "-n", "five-hundred").stdout
    full_json = seeded.kubectl("get", "pods", "-n", "five-hundred", "-o", "json").stdout
    answer = servers["default"].call("list_resources", {"kind": "pods", "namespace": "five-hundred", "limit": 500})
    assert answer.data["count"] == 500 and "truncated" not in answer.data
    ours = len(answer.text.encode())
    print(f"\n500 pods: summary text {ours} B, kubectl table {len(table.encode())} B, kubectl -o json {len(full_json.encode())} B")
    assert ours <= len(table.encode())


def test_managed_cluster_pods_cost_less_than_kubectls_table_and_keep_what_diagnosis_needs(seeded: Cluster, servers) -> None:
    """500 EKS-like pods: long node names, a sidecar, three containers, long ECR images.

    The default summary has kubectl's default columns (node and IP are `output=wide`, as in
    kubectl), so it stays under kubectl's own table; the crash-looping and pending pods, their
    restarts and readiness still show.
    """
    table = seeded.kubectl("get", "pods", "-n", MANAGED).stdout
    wide_table = seeded.kubectl("get", "pods", "-n", MANAGED, "-o", "wide").stdout
    answer = servers["default"].call("list_resources", {"kind": "pods", "namespace": MANAGED, "limit": 500})
    wide = servers["default"].call("list_resources", {"kind": "pods", "namespace": MANAGED, "limit": 500, "output": "wide"})
    assert answer.data["count"] == 500 and wide.data["count"] == 500 and "truncated" not in wide.data
    ours, theirs = len(answer.text.encode()), len(table.encode())
    ours_wide, theirs_wide = len(wide.text.encode()), len(wide_table.encode())
    print(f"\n500 managed-cluster pods: summary {ours} B vs kubectl table {theirs} B (ratio {ours / theirs:.2f}); "
          f"wide {ours_wide} B vs kubectl -o wide {theirs_wide} B (ratio {ours_wide / theirs_wide:.2f})")
    assert ours <= theirs and ours_wide <= theirs_wide
    rows = rows_by_name(answer.data)
    assert {row["ready"] for row in rows.values()} >= {"4/4", "3/4"}  # the sidecar counts, as in kubectl
    crashing = [row for row in rows.values() if row["status"] == "CrashLoopBackOff"]
    assert len(crashing) == 20 and all(re.match(r"\d+ \(\d+\w+ ago\)", row["restarts"]) for row in crashing)
    assert sum(1 for row in rows.values() if row["status"] == "Pending") == 20
    nodes = {row["node"] for row in rows_by_name(wide.data).values() if row.get("node")}
    assert nodes and all(node.endswith(".eu-west-1.compute.internal") for node in nodes)


@pytest.mark.parametrize(
    "kind, namespace",
    [("pods", "default"), ("deployments", "default"), ("replicasets", "default"), ("statefulsets", "default"),
     ("daemonsets", "monitoring"), ("services", "default"), ("jobs", "default"), ("cronjobs", "default"),
     ("persistentvolumeclaims", "default"), ("configmaps", "default"), ("secrets", "default"),
     ("events", "default"), ("nodes", None), ("namespaces", None)],
)
def test_every_default_summary_is_no_bigger_than_kubectls_table(seeded: Cluster, servers, kind: str, namespace: str | None) -> None:
    scope = ["-n", namespace] if namespace else []
    table = seeded.kubectl("get", kind, *scope).stdout
    answer = servers["default"].call("list_resources", {"kind": kind, **({"namespace": namespace} if namespace else {})})
    assert not answer.is_error and answer.data["count"] > 0
    # Compared without the context lines kubectl's table has not: the kind and count, and the namespace.
    lines = answer.text.splitlines(keepends=True)[1:]
    body = "".join(lines[1:] if namespace and lines[0] == f"namespace: {namespace}\n" else lines)
    assert len(body.encode()) <= len(table.encode()), (body, table)


def tools_list_bytes(server: McpServerProcess) -> tuple[int, int]:
    """The compact JSON of tools/list as sent, and without the output schemas (what most clients show the model)."""
    tools = [t.model_dump(by_alias=True, exclude_none=True, mode="json") for t in server.list_tools().tools]
    whole = len(json.dumps({"tools": tools}, separators=(",", ":")))
    shown = len(json.dumps({"tools": [{k: v for k, v in t.items() if k != "outputSchema"} for t in tools]}, separators=(",", ":")))
    return whole, shown


def test_tools_list_is_under_12_kib_whole(server_factory) -> None:
    """Every session pays for tools/list in its context: the default set stays under 12 KiB whole,
    output schemas included (real ones, each admitting the error shape), with issue 15's day-two
    reads (diagnose, explain, rollout, top) in it. Everything enabled (exec included; Helm not
    counted: it needs a helm) stays under 19 KiB."""
    default, default_shown = tools_list_bytes(server_factory())
    everything, everything_shown = tools_list_bytes(server_factory("--enable-create", "--enable-update", "--enable-delete", "--enable-exec"))
    print(f"\ntools/list bytes: default {default} ({default_shown} without output schemas), all on {everything} ({everything_shown})")
    assert default_shown < 12 * 1024
    assert default < 12 * 1024
    assert everything < 19 * 1024


# ----------------------------------------------------------------------------- diagnosis tools


@pytest.mark.emulator_only(reason="container logs come from a kubelet; the real control plane has none (its pods stay Pending)")
def test_logs_tail_and_filter(servers) -> None:
    server = servers["default"]
    tail = server.ok("get_pod_logs", {"name": "web-7d4b9c8f6d-abcde", "namespace": "default", "container": "web", "tailLines": 5})
    assert tail["lines"] == 5 and len(tail["text"].splitlines()) == 5
    everything = server.ok("get_pod_logs", {"name": "web-7d4b9c8f6d-abcde", "namespace": "default", "container": "web", "tailLines": 1000})
    assert everything["text"].splitlines()[-5:] == tail["text"].splitlines()  # the newest lines are kept
    filtered = server.ok(
        "get_pod_logs", {"name": "web-7d4b9c8f6d-abcde", "namespace": "default", "container": "web", "filter": "level=warn", "tailLines": 3}
    )
    lines = filtered["text"].splitlines()
    assert 0 < len(lines) <= 3 and all("level=warn" in line for line in lines)


@pytest.mark.emulator_only(reason="container logs come from a kubelet; the real control plane has none (its pods stay Pending)")
def test_logs_are_cut_to_the_budget_keeping_the_newest(servers) -> None:
    answer = servers["small"].call("get_pod_logs", {"name": "web-7d4b9c8f6d-abcde", "namespace": "default", "container": "web", "tailLines": 100000})
    assert not answer.is_error
    assert len(answer.data["text"].encode()) <= 4096
    assert "older lines left out" in answer.data["truncated"]


def test_events_newest_first_and_warnings_only(seeded: Cluster, servers) -> None:
    answer = servers["default"].ok("get_events", {"namespace": "default"})
    events = answer["events"]
    assert len(events) >= 2
    raw = seeded.kubectl_json("get", "events", "-n", "default")["items"]
    stamps = sorted(
        ((e.get("lastTimestamp") or e.get("eventTime") or e["metadata"]["creationTimestamp"]), e["reason"]) for e in raw
    )
    assert events[0]["reason"] == stamps[-1][1]  # the newest event comes first
    warnings = servers["default"].ok("get_events", {"namespace": "default", "warningsOnly": True})
    assert warnings["events"] and all(e["type"] == "Warning" for e in warnings["events"])
    one = servers["default"].ok("get_events", {"namespace": "default", "kind": "pod", "name": "api-5f6d7c8b9-qwert"})
    assert one["events"] and all(e["object"].endswith("api-5f6d7c8b9-qwert") for e in one["events"])


def test_describe_is_text_and_capped(seeded: Cluster, servers) -> None:
    pod = servers["default"].ok("describe_resource", {"kind": "pod", "name": "web-7d4b9c8f6d-abcde", "namespace": "default"})
    assert pod["text"].startswith("Name:") and "truncated" not in pod
    # A ConfigMap of 300 keys describes to ~10 KiB: more than the small server's 4 KiB budget.
    big = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "describe-big", "namespace": "default"},
           "data": {f"key-{i:03d}": f"value {i} " + "x" * 20 for i in range(300)}}
    seeded.kubectl("create", "-f", "-", stdin=json.dumps(big))
    try:
        arguments = {"kind": "configmaps", "name": "describe-big", "namespace": "default"}
        full = servers["default"].ok("describe_resource", arguments)
        answer = servers["small"].call("describe_resource", arguments)
    finally:
        seeded.kubectl("delete", "cm", "describe-big", "-n", "default")
    assert not answer.is_error and answer.data is not None, answer.text
    cut = answer.data
    full_lines = full["text"].splitlines(keepends=True)
    assert len(full["text"].encode()) > 8192 and "key-299:" in full["text"] and "truncated" not in full
    kept = cut["text"]
    # The head is kept, whole lines only, as many as fit in 4 KiB: one more line would not.
    assert full["text"].startswith(kept) and kept.endswith("\n")
    assert len(kept.encode()) <= 4096
    kept_lines = len(kept.splitlines())
    assert 0 < kept_lines < len(full_lines)
    assert len(kept.encode()) + len(full_lines[kept_lines].encode()) > 4096
    assert cut["truncated"] == (
        f"truncated: {len(full_lines) - kept_lines} later lines left out to stay under 4 KiB; "
        "read specific parts with get_resource and fields, or events with get_events"
    )
    assert answer.text == f"{kept}\n{cut['truncated']}"  # what the model reads ends with the marker


def test_diff_shows_a_change_and_changes_nothing(seeded: Cluster, servers) -> None:
    before = seeded.kubectl_json("get", "cm", "web-config", "-n", "default")
    changed = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "web-config", "namespace": "default"}, "data": {**before.get("data", {}), "NEW_KEY": "new-value"}}
    answer = servers["default"].call("diff_resource", {"manifest": json.dumps(changed)})
    assert not answer.is_error, answer.text
    assert answer.data["changed"] is True
    assert "+  NEW_KEY: new-value" in answer.data["diff"]
    after = seeded.kubectl_json("get", "cm", "web-config", "-n", "default")
    assert after["metadata"]["resourceVersion"] == before["metadata"]["resourceVersion"]
    assert "NEW_KEY" not in after.get("data", {})
    same = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "web-config", "namespace": "default"}, "data": before.get("data", {})}
    unchanged = servers["default"].ok("diff_resource", {"manifest": json.dumps(same)})
    assert unchanged["changed"] is False
