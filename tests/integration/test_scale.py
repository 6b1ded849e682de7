"""scale_resource: gated by --enable-update, old and new count, dryRun changes nothing, policy on deployments/scale."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from harness import Cluster, McpServerProcess

DEPLOYMENT = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: {name}
  namespace: {namespace}
spec:
  replicas: 2
  selector: {{matchLabels: {{app: {name}}}}}
  template:
    metadata: {{labels: {{app: {name}}}}}
    spec: {{containers: [{{name: app, image: registry.k8s.io/pause:3.10}}]}}
"""


@pytest.fixture(scope="module")
def namespace(cluster: Cluster) -> str:
    ns = cluster.new_namespace("scale")
    cluster.apply(DEPLOYMENT.format(name="web", namespace=ns))
    cluster.kubectl("create", "configmap", "settings", "-n", ns)
    return ns


def _replicas(cluster: Cluster, namespace: str) -> int:
    return int(cluster.kubectl_json("get", "deployment", "web", "-n", namespace)["spec"]["replicas"])


def test_scale_is_offered_only_with_enable_update(reader: McpServerProcess, writer: McpServerProcess) -> None:
    assert "scale_resource" not in reader.tool_names()
    assert "scale_resource" in writer.tool_names()


def test_scale_answers_old_and_new_count_and_dry_run_changes_nothing(writer: McpServerProcess, cluster: Cluster, namespace: str) -> None:
    before = _replicas(cluster, namespace)
    dry = writer.ok("scale_resource", {"kind": "deploy", "name": "web", "replicas": before + 3, "namespace": namespace, "dryRun": True})
    assert (dry["oldReplicas"], dry["newReplicas"], dry["dryRun"]) == (before, before + 3, True)
    assert _replicas(cluster, namespace) == before
    done = writer.ok("scale_resource", {"kind": "deployments.apps", "name": "web", "replicas": before + 1, "namespace": namespace})
    assert (done["oldReplicas"], done["newReplicas"]) == (before, before + 1)
    assert _replicas(cluster, namespace) == before + 1


def test_scale_failure_paths_are_typed_and_change_nothing(
    writer: McpServerProcess, server_factory: Callable[..., McpServerProcess], cluster: Cluster, namespace: str
) -> None:
    before = _replicas(cluster, namespace)
    writer.fails("scale_resource", {"kind": "deploy", "name": "missing", "replicas": 1, "namespace": namespace}, reason="NotFound")
    writer.fails("scale_resource", {"kind": "configmap", "name": "settings", "replicas": 1, "namespace": namespace}, reason="InvalidArgument")
    writer.fails("scale_resource", {"kind": "deploy", "name": "web", "replicas": -1, "namespace": namespace})
    denied = server_factory("--enable-update", "--denied-resources=deployments/scale")
    denied.fails("scale_resource", {"kind": "deploy", "name": "web", "replicas": 9, "namespace": namespace}, reason="PolicyDenied")
    outside = server_factory("--enable-update", f"--denied-namespaces={namespace}")
    outside.fails("scale_resource", {"kind": "deploy", "name": "web", "replicas": 9, "namespace": namespace}, reason="PolicyDenied")
    assert _replicas(cluster, namespace) == before
