"""explain_resource: kubectl explain through a real MCP client, from the emulator's recorded schemas and a real server's."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from harness import Cluster, McpServerProcess

pytestmark = [pytest.mark.both_targets]


def test_a_field_path_is_explained_with_its_type_and_group(reader: McpServerProcess) -> None:
    answer = reader.ok("explain_resource", {"resource": "deployments.spec.replicas"})
    assert (answer["resource"], answer["apiVersion"]) == ("deployments.spec.replicas", "apps/v1")
    assert "FIELD: replicas <integer>" in answer["text"] and "Number of desired pods" in answer["text"]


def test_short_names_and_kinds_resolve_through_discovery(reader: McpServerProcess) -> None:
    answer = reader.ok("explain_resource", {"resource": "deploy.spec.strategy"})
    assert answer["resource"] == "deployments.spec.strategy"
    assert "rollingUpdate" in answer["text"] and "Recreate" in answer["text"]
    pod = reader.ok("explain_resource", {"resource": "Pod"})
    assert "KIND:       Pod" in pod["text"] and "spec\t<PodSpec>" in pod["text"]


def test_an_unknown_field_path_is_an_invalid_argument_naming_the_field(reader: McpServerProcess) -> None:
    answer = reader.fails("explain_resource", {"resource": "deployments.spec.replica"}, reason="InvalidArgument")
    assert "'replica' does not exist" in answer.text
    assert answer.data["error"]["argument"] == "resource"
    assert "deployments.spec" in answer.data["error"]["hint"]


def test_an_unknown_type_points_at_the_served_types(reader: McpServerProcess) -> None:
    reader.fails("explain_resource", {"resource": "deploymints.spec"}, reason="UnknownResourceType")


@pytest.mark.parametrize("resource", ["deployments..spec", "--recursive", "deployments.spec/replicas", "x" * 300, ""])
def test_a_malformed_path_never_reaches_kubectl(reader: McpServerProcess, cluster: Cluster, resource: str) -> None:
    answer = reader.fails("explain_resource", {"resource": resource}, reason="InvalidArgument")
    assert answer.data["error"]["argument"] == "resource"


def test_recursive_is_cut_to_the_budget_with_a_marker(server_factory: Callable[..., McpServerProcess]) -> None:
    small = server_factory("--budget-bytes=4096")
    answer = small.ok("explain_resource", {"resource": "pods.spec", "recursive": True})
    assert "later lines left out" in answer["truncated"]
    assert len(answer["text"].encode()) <= 4096 + len(answer["truncated"].encode()) + 1
    assert "  activeDeadlineSeconds\t<integer>\n  affinity\t<Affinity>\n" in answer["text"]  # names and types, no descriptions


def test_a_denied_type_is_not_explained(server_factory: Callable[..., McpServerProcess]) -> None:
    denied = server_factory("--denied-resources=secrets")
    denied.fails("explain_resource", {"resource": "secrets.data"}, reason="PolicyDenied")
    denied.ok("explain_resource", {"resource": "configmaps.data"})
