"""Answers that say plainly what is wrong and what to do next (issue 13, items 7-9 and 11).

Real kubectl against the test cluster, through a real MCP client: the namespace the
server uses, a diff of an object that is not there, a namespace that does not exist,
a stale continue token, a container the pod does not have.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from harness import Cluster, McpServerProcess

POD = """apiVersion: v1
kind: Pod
metadata:
  name: two-containers
  namespace: {namespace}
spec:
  initContainers:
  - name: migrate
    image: registry.example.com/migrate:1
  containers:
  - name: app
    image: registry.example.com/app:1
  - name: sidecar
    image: registry.example.com/sidecar:1
"""

EVENTS = """apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Event
  metadata: {{name: pod-event, namespace: {namespace}}}
  involvedObject: {{apiVersion: v1, kind: Pod, name: two-containers, namespace: {namespace}}}
  reason: Pulled
  message: pulled the image
  type: Normal
  count: 1
  firstTimestamp: "2026-01-01T00:00:00Z"
  lastTimestamp: "2026-01-01T00:00:00Z"
- apiVersion: v1
  kind: Event
  metadata: {{name: deploy-event, namespace: {namespace}}}
  involvedObject: {{apiVersion: apps/v1, kind: Deployment, name: web, namespace: {namespace}}}
  reason: ScalingReplicaSet
  message: scaled up
  type: Normal
  count: 1
  firstTimestamp: "2026-01-01T00:00:00Z"
  lastTimestamp: "2026-01-01T00:00:00Z"
"""


@pytest.fixture(scope="module")
def namespace(cluster: Cluster) -> str:
    """A namespace with a pod of two containers and one init container, and two events."""
    name = cluster.new_namespace("guide")
    cluster.apply(POD.format(namespace=name))
    cluster.apply(EVENTS.format(namespace=name))
    return name


@pytest.fixture(scope="module")
def server(cluster: Cluster, namespace: str) -> Iterator[McpServerProcess]:
    """A server whose --namespace differs from the kubeconfig's (default)."""
    with McpServerProcess(cluster, f"--namespace={namespace}", "--enable-create", "--enable-update") as started:
        yield started


# ---------------------------------------------------------------- 7: the namespace the server uses


def test_list_contexts_reports_the_namespace_the_server_uses(server: McpServerProcess, namespace: str) -> None:
    contexts = server.ok("list_contexts")["contexts"]
    current = [c for c in contexts if c["current"]]
    assert len(current) == 1 and current[0]["namespace"] == namespace


def test_the_instructions_name_the_default_namespace(server: McpServerProcess, namespace: str) -> None:
    assert f"Calls without a namespace use namespace {namespace}." in (server.client.instructions or "")


def test_without_namespace_the_kubeconfig_namespace_is_reported(reader: McpServerProcess, cluster: Cluster) -> None:
    expected = cluster.kubectl("config", "view", "--minify", "-o", "jsonpath={..namespace}").stdout.strip() or "default"
    current = [c for c in reader.ok("list_contexts")["contexts"] if c["current"]]
    assert current[0]["namespace"] == expected


# ---------------------------------------------------------------- 8: a diff of an object that is not there


def test_diff_of_a_missing_object_says_it_does_not_exist(server: McpServerProcess, namespace: str) -> None:
    manifest = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: not-there\ndata:\n  a: b\n"
    answer = server.fails("diff_resource", {"manifest": manifest}, reason="NotFound")
    assert f"ConfigMap {namespace}/not-there does not exist" in answer.text
    assert "create_resource creates it" in answer.text
    assert "+++" not in answer.text  # no creation diff


def test_diff_of_an_existing_object_still_diffs(server: McpServerProcess, cluster: Cluster, namespace: str) -> None:
    cluster.apply(f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: there\n  namespace: {namespace}\ndata:\n  a: b\n")
    answer = server.ok("diff_resource", {"manifest": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: there\ndata:\n  a: c\n"})
    assert answer["changed"] and "+  a: c" in answer["diff"]


def test_update_of_a_missing_object_points_to_create(server: McpServerProcess, namespace: str) -> None:
    manifest = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: not-there\ndata:\n  a: b\n"
    answer = server.fails("update_resource", {"manifest": manifest}, reason="NotFound")
    assert f"ConfigMap {namespace}/not-there does not exist" in answer.text and "use create_resource to create it" in answer.text


# ---------------------------------------------------------------- 9: namespaces that do not exist; headers


@pytest.mark.parametrize(
    "tool, arguments",
    [
        ("list_resources", {"kind": "pods", "namespace": "no-such-namespace"}),
        ("list_resources", {"kind": "configmaps", "namespace": "no-such-namespace", "output": "full"}),
        ("get_events", {"namespace": "no-such-namespace"}),
    ],
)
def test_a_namespace_that_does_not_exist_is_reported(server: McpServerProcess, tool: str, arguments: dict) -> None:
    answer = server.fails(tool, arguments, reason="NotFound")
    assert 'namespace "no-such-namespace" does not exist' in answer.text


def test_an_empty_namespace_that_exists_is_just_empty(server: McpServerProcess, cluster: Cluster) -> None:
    empty = cluster.new_namespace("empty")
    answer = server.call("list_resources", {"kind": "pods", "namespace": empty})
    assert not answer.is_error, answer.text
    assert answer.text.splitlines()[0] == f"Pod (v1) in namespace {empty}: 0 items"


def test_every_list_header_names_the_namespace_searched(server: McpServerProcess, namespace: str) -> None:
    one = server.call("list_resources", {"kind": "pods"}).text.splitlines()
    assert one[0] == f"Pod (v1) in namespace {namespace}: 1 item"  # and "1 item", not "1 items"
    assert f"namespace: {namespace}" not in one  # said once, in the header
    every = server.call("list_resources", {"kind": "pods", "allNamespaces": True}).text.splitlines()[0]
    assert every.startswith("Pod (v1) in all namespaces: ")
    cluster_scoped = server.call("list_resources", {"kind": "namespaces", "limit": 1}).text.splitlines()[0]
    assert cluster_scoped == "Namespace (v1): 1 item"


def test_events_with_kind_but_no_name_keep_only_that_kind(server: McpServerProcess, namespace: str) -> None:
    pods = server.ok("get_events", {"kind": "pods"})
    assert pods["namespace"] == namespace
    assert [e["object"] for e in pods["events"]] == ["Pod/two-containers"]
    deployments = server.ok("get_events", {"kind": "deploy"})
    assert [e["object"] for e in deployments["events"]] == ["Deployment/web"]
    assert len(server.ok("get_events")["events"]) == 2


# ---------------------------------------------------------------- 11: bad continue tokens, missing containers


@pytest.mark.parametrize("token", ["garbage", "eyJ2IjoibWV0YS5rOHMuaW8vdjEifQ"])
def test_a_bad_continue_token_says_to_start_over(server: McpServerProcess, token: str) -> None:
    answer = server.fails("list_resources", {"kind": "pods", "continueToken": token}, reason="InvalidArgument")
    assert "continueToken" in answer.text and "Restart the list without continueToken" in answer.text


def test_a_missing_container_lists_the_pods_containers(server: McpServerProcess, namespace: str) -> None:
    answer = server.fails("get_pod_logs", {"name": "two-containers", "container": "nope"}, reason="InvalidArgument")
    assert f"pod {namespace}/two-containers has no container 'nope'" in answer.text
    assert "containers: app, sidecar" in answer.text and "init containers: migrate" in answer.text


def test_a_missing_pod_is_still_not_found(server: McpServerProcess) -> None:
    server.fails("get_pod_logs", {"name": "no-such-pod", "container": "app"}, reason="NotFound")

