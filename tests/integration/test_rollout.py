"""rollout_resource: kubectl rollout through a real MCP client, on the emulator and the real control plane.

Reads (status, history) come with listing; restart, undo, pause and resume need --enable-update, are
refused with a typed error naming the flag without it (and the runner could not run them:
tests/unit/tools/test_gated_verbs.py).
The real control plane has no kubelets: its Deployments never become available, so there `status`
ends in "still pending", which is exactly what that answer is for.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

from harness import Cluster, McpServerProcess, wait_until

pytestmark = [pytest.mark.both_targets]

WORKLOADS = """apiVersion: apps/v1
kind: Deployment
metadata: {{name: web, namespace: {ns}}}
spec:
  replicas: 1
  selector: {{matchLabels: {{app: web}}}}
  template:
    metadata: {{labels: {{app: web}}}}
    spec: {{containers: [{{name: app, image: registry.k8s.io/pause:3.10}}]}}
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {{name: db, namespace: {ns}}}
spec:
  replicas: 1
  serviceName: db
  selector: {{matchLabels: {{app: db}}}}
  template:
    metadata: {{labels: {{app: db}}}}
    spec: {{containers: [{{name: app, image: registry.k8s.io/pause:3.10}}]}}
---
apiVersion: v1
kind: ConfigMap
metadata: {{name: settings, namespace: {ns}}}
"""
WRITES = ("restart", "undo", "pause", "resume")
WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
RESTARTED_AT = "kubectl.kubernetes.io/restartedAt"


@pytest.fixture(scope="module")
def namespace(cluster: Cluster) -> str:
    ns = cluster.new_namespace("rollout")
    cluster.apply(WORKLOADS.format(ns=ns))
    return ns


def _template_annotations(cluster: Cluster, kind: str, name: str, namespace: str) -> dict[str, str]:
    obj = cluster.kubectl_json("get", kind, name, "-n", namespace)
    return (obj["spec"]["template"].get("metadata") or {}).get("annotations") or {}


def _revisions(cluster: Cluster, namespace: str) -> list[int]:
    """The Deployment web's revisions, from its ReplicaSets' annotations (what kubectl rollout history reads)."""
    listing = cluster.kubectl_json("get", "replicasets", "-n", namespace, "-l", "app=web")
    return sorted(int(rs["metadata"]["annotations"]["deployment.kubernetes.io/revision"]) for rs in listing["items"])


def test_offered_with_listing_read_only_without_update(reader: McpServerProcess, writer: McpServerProcess) -> None:
    tools = {tool.name: tool for tool in reader.list_tools().tools}
    assert tools["rollout_resource"].annotations.read_only_hint is True
    written = {tool.name: tool for tool in writer.list_tools().tools}
    assert not written["rollout_resource"].annotations.read_only_hint  # the MCP default: may write
    assert "rollout_resource" in writer.client.instructions  # named among the enabled writes


def test_write_actions_without_update_are_refused_naming_the_flag(reader: McpServerProcess, cluster: Cluster, namespace: str) -> None:
    before = _template_annotations(cluster, "deployment", "web", namespace)
    cluster.clear_requests()
    for action in WRITES:
        answer = reader.fails("rollout_resource", {"kind": "deploy", "name": "web", "namespace": namespace, "action": action}, reason="ToolDisabled")
        assert "--enable-update" in answer.text
    assert [r for r in cluster.requests if r.method in WRITE_METHODS] == []
    assert _template_annotations(cluster, "deployment", "web", namespace) == before


def test_restart_history_and_undo(writer: McpServerProcess, cluster: Cluster, namespace: str) -> None:
    args = {"kind": "deployments.apps", "name": "web", "namespace": namespace}
    no_dry = writer.fails("rollout_resource", {**args, "action": "restart", "dryRun": True}, reason="InvalidArgument")
    assert "no dry run" in no_dry.text and RESTARTED_AT not in _template_annotations(cluster, "deployment", "web", namespace)
    done = writer.ok("rollout_resource", {**args, "action": "restart"})
    assert (done["kind"], done["action"], done["dryRun"]) == ("Deployment", "restart", False)
    assert "restarted" in done["text"]
    assert RESTARTED_AT in _template_annotations(cluster, "deployment", "web", namespace)
    assert wait_until(lambda: _revisions(cluster, namespace) == [1, 2], timeout=30), _revisions(cluster, namespace)
    history = writer.ok("rollout_resource", {**args, "action": "history"})
    assert [line.split()[0] for line in history["text"].splitlines() if line[:1].isdigit()] == ["1", "2"]
    one = writer.ok("rollout_resource", {**args, "action": "history", "revision": 2})
    assert RESTARTED_AT in one["text"]  # one revision's pod template
    dry = writer.ok("rollout_resource", {**args, "action": "undo", "dryRun": True})
    assert dry["dryRun"] is True and RESTARTED_AT in _template_annotations(cluster, "deployment", "web", namespace)
    back = writer.ok("rollout_resource", {**args, "action": "undo"})
    assert "rolled back" in back["text"]
    assert RESTARTED_AT not in _template_annotations(cluster, "deployment", "web", namespace)
    assert wait_until(lambda: _revisions(cluster, namespace) == [2, 3], timeout=30), _revisions(cluster, namespace)  # kubectl's renumbering
    missing = writer.fails("rollout_resource", {**args, "action": "undo", "revision": 99}, reason="InvalidArgument")
    assert "99" in missing.text and missing.data["error"]["argument"] == "revision"


def test_statefulset_restart_and_undo_through_controller_revisions(writer: McpServerProcess, cluster: Cluster, namespace: str) -> None:
    args = {"kind": "sts", "name": "db", "namespace": namespace}
    writer.ok("rollout_resource", {**args, "action": "restart"})
    assert RESTARTED_AT in _template_annotations(cluster, "statefulset", "db", namespace)

    def numbered() -> list[str]:
        text = writer.ok("rollout_resource", {**args, "action": "history"})["text"]
        return [line.split()[0] for line in text.splitlines() if line[:1].isdigit()]

    assert wait_until(lambda: numbered() == ["1", "2"], timeout=30), numbered()
    writer.ok("rollout_resource", {**args, "action": "undo", "revision": 1})
    assert RESTARTED_AT not in _template_annotations(cluster, "statefulset", "db", namespace)


def test_pause_and_resume_deployments_only(writer: McpServerProcess, cluster: Cluster, namespace: str) -> None:
    args = {"kind": "deploy", "name": "web", "namespace": namespace}
    writer.ok("rollout_resource", {**args, "action": "pause"})
    assert cluster.kubectl_json("get", "deployment", "web", "-n", namespace)["spec"]["paused"] is True
    again = writer.fails("rollout_resource", {**args, "action": "pause"}, reason="InvalidArgument")
    assert "already paused" in again.text
    refused = writer.fails("rollout_resource", {**args, "action": "undo"}, reason="InvalidArgument")
    assert "resume" in refused.data["error"]["hint"].lower()
    writer.ok("rollout_resource", {**args, "action": "resume"})
    assert not cluster.kubectl_json("get", "deployment", "web", "-n", namespace)["spec"].get("paused")
    sts = writer.fails("rollout_resource", {"kind": "statefulset", "name": "db", "namespace": namespace, "action": "pause"}, reason="InvalidArgument")
    assert "only for Deployments" in sts.text


def test_status_waits_a_bounded_time_then_says_what_is_pending(reader: McpServerProcess, cluster: Cluster, namespace: str) -> None:
    name = "slow"
    cluster.apply(WORKLOADS.format(ns=namespace).split("---")[0].replace("web", name).replace("replicas: 1", "replicas: 2"))
    if cluster.is_emulator:  # the emulator rolls out at once; hold this one back, as a real cluster without kubelets does
        cluster.kubectl("patch", "deployment", name, "-n", namespace, "--subresource=status", "--type=merge",
                        "-p", '{"status": {"updatedReplicas": 1, "availableReplicas": 1, "readyReplicas": 1}}')
    started = time.monotonic()
    answer = reader.ok("rollout_resource", {"kind": "deploy", "name": name, "namespace": namespace, "action": "status", "timeoutSeconds": 1})
    elapsed = time.monotonic() - started
    assert answer["done"] is False
    assert "Waiting for deployment" in answer["pending"] and "still rolling out after 1s" in answer["text"]
    assert elapsed < 15, f"a 1s wait took {elapsed:.1f}s"
    # kubectl reads --timeout=0s as "never end": a zero wait must still end, after the least wait (1s).
    now = reader.ok("rollout_resource", {"kind": "deploy", "name": name, "namespace": namespace, "action": "status", "timeoutSeconds": 0})
    assert now["done"] is False and "still rolling out after 1s" in now["text"]
    if cluster.is_emulator:
        finished = reader.ok("rollout_resource", {"kind": "sts", "name": "db", "namespace": namespace, "action": "status"})
        assert finished["done"] is True and "pending" not in finished


def test_failure_paths_are_typed_and_change_nothing(
    writer: McpServerProcess, server_factory: Callable[..., McpServerProcess], cluster: Cluster, namespace: str
) -> None:
    writer.fails("rollout_resource", {"kind": "deploy", "name": "missing", "namespace": namespace, "action": "restart"}, reason="NotFound")
    writer.fails("rollout_resource", {"kind": "configmap", "name": "settings", "namespace": namespace, "action": "history"}, reason="InvalidArgument")
    writer.fails("rollout_resource", {"kind": "deploy", "name": "web", "namespace": namespace, "action": "restart", "revision": 2}, reason="InvalidArgument")
    writer.fails("rollout_resource", {"kind": "deploy", "name": "web", "namespace": namespace, "action": "rollback"}, reason="InvalidArgument")
    writer.fails("rollout_resource", {"kind": "deploy", "name": "web", "namespace": namespace, "action": "status", "timeoutSeconds": 3600}, reason="InvalidArgument")
    before = _template_annotations(cluster, "deployment", "web", namespace)
    cluster.clear_requests()
    outside = server_factory("--enable-update", f"--denied-namespaces={namespace}")
    for action in ("status", "history", "restart"):
        outside.fails("rollout_resource", {"kind": "deploy", "name": "web", "namespace": namespace, "action": action}, reason="PolicyDenied")
    no_history = server_factory("--enable-update", "--denied-resources=replicasets")
    no_history.fails("rollout_resource", {"kind": "deploy", "name": "web", "namespace": namespace, "action": "undo"}, reason="PolicyDenied")
    assert [r for r in cluster.requests if r.method in WRITE_METHODS] == []
    assert _template_annotations(cluster, "deployment", "web", namespace) == before


def test_confirm_writes_asks_before_a_write_but_not_before_a_read(server_factory: Callable[..., McpServerProcess], cluster: Cluster, namespace: str) -> None:
    """The harness client cannot elicit: a write is refused with the reason, a read is answered."""
    confirming = server_factory("--enable-update", "--confirm-writes")
    before = _template_annotations(cluster, "deployment", "web", namespace)
    refused = confirming.fails("rollout_resource", {"kind": "deploy", "name": "web", "namespace": namespace, "action": "restart"}, reason="ConfirmationRefused")
    assert "--confirm-writes" in refused.text
    assert _template_annotations(cluster, "deployment", "web", namespace) == before
    confirming.ok("rollout_resource", {"kind": "deploy", "name": "web", "namespace": namespace, "action": "history"})


@pytest.mark.emulator_only(reason="injects a hung API server, which only the emulator can do")
def test_hung_api_server_ends_within_the_deadline(cluster: Cluster, emulator) -> None:
    with McpServerProcess(cluster, "--timeout=2") as server:
        server.ok("get_api_resources")  # discovery cached before the fault
        emulator.faults.hang("/apis/apps/v1/namespaces/hung/")
        try:
            started = time.monotonic()
            server.fails("rollout_resource", {"kind": "deploy", "name": "web", "namespace": "hung", "action": "status", "timeoutSeconds": 1}, reason="Timeout")
            elapsed = time.monotonic() - started
        finally:
            emulator.faults.clear()
    assert elapsed < 10, f"took {elapsed:.1f}s for a 1s wait and a 2s deadline"
