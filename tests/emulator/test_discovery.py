"""Discovery and OpenAPI, as kubectl sees them: api-resources, api-versions, version, explain-free validation."""

from __future__ import annotations

import json
import re

import pytest

from tests.emulator.conftest import REPO, Kubectl

# Rows a real Kubernetes 1.32 cluster prints for `kubectl api-resources -o wide` (NAME SHORTNAMES APIVERSION
# NAMESPACED KIND VERBS CATEGORIES), taken from the apiserver's registered resources.
CRUD = "create,delete,deletecollection,get,list,patch,update,watch"
EXPECTED_ROWS = {
    ("pods", "v1"): ["pods", "po", "v1", "true", "Pod", CRUD, "all"],
    ("namespaces", "v1"): ["namespaces", "ns", "v1", "false", "Namespace", "create,delete,get,list,patch,update,watch", ""],
    ("bindings", "v1"): ["bindings", "", "v1", "true", "Binding", "create", ""],
    ("componentstatuses", "v1"): ["componentstatuses", "cs", "v1", "false", "ComponentStatus", "get,list", ""],
    ("events", "v1"): ["events", "ev", "v1", "true", "Event", CRUD, ""],
    ("events", "events.k8s.io/v1"): ["events", "ev", "events.k8s.io/v1", "true", "Event", CRUD, ""],
    ("deployments", "apps/v1"): ["deployments", "deploy", "apps/v1", "true", "Deployment", CRUD, "all"],
    ("horizontalpodautoscalers", "autoscaling/v2"): ["horizontalpodautoscalers", "hpa", "autoscaling/v2", "true", "HorizontalPodAutoscaler", CRUD, "all"],
    ("cronjobs", "batch/v1"): ["cronjobs", "cj", "batch/v1", "true", "CronJob", CRUD, "all"],
    ("customresourcedefinitions", "apiextensions.k8s.io/v1"): ["customresourcedefinitions", "crd,crds", "apiextensions.k8s.io/v1", "false", "CustomResourceDefinition", CRUD, "api-extensions"],
    ("clusterroles", "rbac.authorization.k8s.io/v1"): ["clusterroles", "", "rbac.authorization.k8s.io/v1", "false", "ClusterRole", CRUD, ""],
    ("ingresses", "networking.k8s.io/v1"): ["ingresses", "ing", "networking.k8s.io/v1", "true", "Ingress", CRUD, ""],
    ("poddisruptionbudgets", "policy/v1"): ["poddisruptionbudgets", "pdb", "policy/v1", "true", "PodDisruptionBudget", CRUD, ""],
    ("storageclasses", "storage.k8s.io/v1"): ["storageclasses", "sc", "storage.k8s.io/v1", "false", "StorageClass", CRUD, ""],
    ("leases", "coordination.k8s.io/v1"): ["leases", "", "coordination.k8s.io/v1", "true", "Lease", CRUD, ""],
    ("endpointslices", "discovery.k8s.io/v1"): ["endpointslices", "", "discovery.k8s.io/v1", "true", "EndpointSlice", CRUD, ""],
    ("validatingwebhookconfigurations", "admissionregistration.k8s.io/v1"): ["validatingwebhookconfigurations", "", "admissionregistration.k8s.io/v1", "false", "ValidatingWebhookConfiguration", CRUD, "api-extensions"],
}


def parse_wide_table(text: str) -> dict[tuple[str, str], list[str]]:
    """Split `api-resources -o wide` at the header's column starts (cells may be empty)."""
    lines = text.splitlines()
    header = lines[0]
    starts = [m.start() for m in re.finditer(r"\S+", header)]
    rows = {}
    for line in lines[1:]:
        cells = [line[a:b].strip() for a, b in zip(starts, starts[1:] + [len(line) + 1])]
        rows[(cells[0], cells[2])] = cells
    return rows


def test_api_resources_wide_matches_a_real_cluster(kubectl: Kubectl) -> None:
    result = kubectl.ok("api-resources", "-o", "wide")
    assert result.stdout.split("\n", 1)[0].split() == ["NAME", "SHORTNAMES", "APIVERSION", "NAMESPACED", "KIND", "VERBS", "CATEGORIES"]
    rows = parse_wide_table(result.stdout)
    for key, expected in EXPECTED_ROWS.items():
        assert rows.get(key) == expected, key
    groups = {api_version.rsplit("/", 1)[0] if "/" in api_version else "" for _, api_version in rows}
    assert {"", "apps", "batch", "autoscaling", "policy", "networking.k8s.io", "rbac.authorization.k8s.io", "storage.k8s.io",
            "apiextensions.k8s.io", "coordination.k8s.io", "discovery.k8s.io", "events.k8s.io",
            "admissionregistration.k8s.io"} <= groups


def test_api_versions_lists_the_served_group_versions(kubectl: Kubectl) -> None:
    versions = kubectl.ok("api-versions").stdout.split()
    assert {"v1", "apps/v1", "autoscaling/v1", "autoscaling/v2", "batch/v1", "events.k8s.io/v1"} <= set(versions)


def test_version_reports_the_server(kubectl: Kubectl) -> None:
    result = kubectl.run("version", "-o", "json")
    assert result.returncode == 0, result.stderr
    server = json.loads(result.stdout)["serverVersion"]
    # The minor of the control plane tests/controlplane builds (its go.mod pins k8s.io/kubernetes), and of the
    # pinned kubectl: a model reading the version sees the same release on either target.
    pinned = re.search(r"^\s*k8s\.io/kubernetes v1\.(\d+)\.", (REPO / "tests" / "controlplane" / "go.mod").read_text(), re.MULTILINE)
    assert pinned, "tests/controlplane/go.mod pins no k8s.io/kubernetes"
    assert (server["major"], server["minor"]) == ("1", pinned.group(1)) == ("1", "37")
    assert server["gitVersion"].startswith(f"v1.{pinned.group(1)}.")


def test_kubectl_falls_back_to_legacy_discovery(kubectl_pinned: Kubectl) -> None:
    """kubectl asks for aggregated discovery first; a plain APIGroupList makes it read /api/v1 and /apis/G/V."""
    emulator = kubectl_pinned.emulator
    emulator.clear_requests()
    result = kubectl_pinned.run("api-resources", cache_dir=emulator.workdir / "fresh-discovery-cache")
    assert result.returncode == 0, result.stderr
    paths = {r.path for r in emulator.requests}
    assert {"/api", "/apis", "/api/v1", "/apis/apps/v1"} <= paths


def test_openapi_v3_index_and_documents_are_served(kubectl_pinned: Kubectl) -> None:
    index = json.loads(kubectl_pinned.ok("get", "--raw", "/openapi/v3").stdout)
    assert "apis/apps/v1" in index["paths"] and "api/v1" in index["paths"]
    document = json.loads(kubectl_pinned.ok("get", "--raw", "/openapi/v3/apis/apps/v1").stdout)
    assert "io.k8s.api.apps.v1.Deployment" in document["components"]["schemas"]
    v2 = kubectl_pinned.ok("get", "--raw", "/openapi/v2").stdout
    assert "2.0" in v2 and "Kubernetes" in v2  # a minimal gnostic protobuf document, for `kind: List` validation


@pytest.mark.parametrize("path", ["/api/v1/namespaces/default/nosuchthings", "/apis/nosuch.example.com/v1"])
def test_unknown_paths_are_404(kubectl_pinned: Kubectl, path: str) -> None:
    result = kubectl_pinned.run("get", "--raw", path)
    assert result.returncode == 1
    assert "Error from server (NotFound): the server could not find the requested resource" in result.stderr
