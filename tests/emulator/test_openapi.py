"""Unit tests for the emulator's OpenAPI v3 documents: what kubectl's validation and apply look for."""

from __future__ import annotations

import json

from mcp_kubectl.emulator.catalog import Catalog, ResourceType
from mcp_kubectl.emulator.openapi import openapi_v3_document, openapi_v3_index, recorded_schemas, schema_name
from mcp_kubectl.emulator.patch import PATCH_FIELDS

CRD = {
    "metadata": {"name": "widgets.example.com"},
    "spec": {
        "group": "example.com",
        "scope": "Namespaced",
        "names": {"plural": "widgets", "singular": "widget", "kind": "Widget"},
        "versions": [
            {
                "name": "v1",
                "served": True,
                "storage": True,
                "schema": {
                    "openAPIV3Schema": {
                        "type": "object",
                        "properties": {"spec": {"type": "object", "properties": {"size": {"type": "integer"}}}},
                    }
                },
                "subresources": {"status": {}},
            }
        ],
    },
}


def _patch_operation(document: dict, group: str, version: str, kind: str) -> dict | None:
    """kubectl's supportsQueryParamV3/gvkSupportsPatchOpenAPIV3: the PATCH op tagged with the GVK."""
    for item in document["paths"].values():
        operation = item.get("patch")
        if operation and operation.get("x-kubernetes-group-version-kind") == {
            "group": group,
            "kind": kind,
            "version": version,
        }:
            return operation
    return None


def _supports_field_validation(operation: dict) -> bool:
    return any(p.get("name") == "fieldValidation" and p.get("in") == "query" for p in operation.get("parameters", []))


def test_every_patchable_type_delegates_validation_to_the_server() -> None:
    catalog = Catalog()
    catalog.register_crd(CRD)
    for resource_type in catalog.all_types():
        if "patch" not in resource_type.verbs:
            continue
        document = openapi_v3_document(catalog, resource_type.group, resource_type.version)
        assert document is not None
        operation = _patch_operation(document, resource_type.group, resource_type.version, resource_type.kind)
        assert operation is not None, resource_type
        assert _supports_field_validation(operation), resource_type
        content = operation["requestBody"]["content"]
        # kubectl computes a strategic merge patch only when the server accepts one.
        assert ("application/strategic-merge-patch+json" in content) is (not resource_type.custom), resource_type
        assert "application/apply-patch+yaml" in content


def test_index_lists_each_group_version_with_a_content_hash() -> None:
    catalog = Catalog()
    index = openapi_v3_index(catalog)["paths"]
    assert index["api/v1"]["serverRelativeURL"].startswith("/openapi/v3/api/v1?hash=")
    assert "apis/apps/v1" in index and "apis/autoscaling/v1" in index and "apis/autoscaling/v2" in index
    assert "apis/example.com/v1" not in index
    before = index["apis/apps/v1"]["serverRelativeURL"]
    catalog.register_crd(CRD)
    after = openapi_v3_index(catalog)["paths"]
    assert after["apis/example.com/v1"]["serverRelativeURL"].startswith("/openapi/v3/apis/example.com/v1?hash=")
    assert after["apis/apps/v1"]["serverRelativeURL"] == before, "unrelated documents keep their hash"


def test_unknown_group_version_has_no_document() -> None:
    assert openapi_v3_document(Catalog(), "example.com", "v1") is None


def test_paths_follow_the_api_layout() -> None:
    document = openapi_v3_document(Catalog(), "", "v1")
    assert document is not None
    paths = document["paths"]
    assert "/api/v1/namespaces/{namespace}/pods/{name}" in paths
    assert "/api/v1/namespaces/{namespace}/pods/{name}/status" in paths
    assert "/api/v1/nodes/{name}" in paths and "/api/v1/namespaces/{name}" in paths
    scale = openapi_v3_document(Catalog(), "apps", "v1")["paths"]["/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale"]  # type: ignore[index]
    assert scale["patch"]["x-kubernetes-group-version-kind"] == {"group": "autoscaling", "kind": "Scale", "version": "v1"}
    # Every $ref resolves inside the document.
    for gv in (("", "v1"), ("apps", "v1")):
        document = openapi_v3_document(Catalog(), *gv)
        assert document is not None
        text = json.dumps(document)
        schemas = document["components"]["schemas"]
        for ref in {part.split('"')[0] for part in text.split('"#/components/schemas/')[1:]}:
            assert ref in schemas, ref


def test_schemas_publish_the_same_merge_keys_as_patch() -> None:
    """The recorded real schemas (what kubectl computes strategic merge patches from) and patch.py's
    table (what the emulator merges them with) agree on every merge key and strategy they share."""
    document = openapi_v3_document(Catalog(), "apps", "v1")
    assert document is not None
    schemas = document["components"]["schemas"]
    deployment = schemas["io.k8s.api.apps.v1.Deployment"]
    assert deployment["x-kubernetes-group-version-kind"] == [{"group": "apps", "kind": "Deployment", "version": "v1"}]
    pod_spec = schemas["io.k8s.api.core.v1.PodSpec"]["properties"]
    assert pod_spec["containers"]["x-kubernetes-patch-merge-key"] == PATCH_FIELDS["PodSpec"]["containers"].merge_key == "name"
    assert pod_spec["volumes"]["x-kubernetes-patch-strategy"] == "merge,retainKeys"
    compared = 0
    for struct, fields in PATCH_FIELDS.items():
        for name in [n for n in recorded_schemas() if n.endswith(f".{struct}")]:
            properties = recorded_schemas()[name].get("properties") or {}
            for field, meta in fields.items():
                if field in properties:
                    compared += 1
                    published = properties[field]
                    assert published.get("x-kubernetes-patch-merge-key") == (meta.merge_key or None), (name, field)
                    assert published.get("x-kubernetes-patch-strategy") == (meta.strategy or None), (name, field)
    assert compared >= 40


def test_types_without_a_recorded_schema_keep_an_untagged_partial_one() -> None:
    """A CRD (or a type newer than the recording) must not get a tagged partial schema: kubectl
    would then compute patches from it and warn about every field it lacks."""
    catalog = Catalog()
    catalog.register_crd(CRD)
    widget = openapi_v3_document(catalog, "example.com", "v1")["components"]["schemas"][schema_name("example.com", "v1", "Widget")]  # type: ignore[index]
    assert "x-kubernetes-group-version-kind" not in widget


def test_custom_resource_schema_comes_from_the_crd() -> None:
    catalog = Catalog()
    catalog.register_crd(CRD)
    document = openapi_v3_document(catalog, "example.com", "v1")
    assert document is not None
    widget = document["components"]["schemas"][schema_name("example.com", "v1", "Widget")]
    assert widget["properties"]["spec"]["properties"]["size"] == {"type": "integer"}
    assert "metadata" in widget["properties"]
    assert "/apis/example.com/v1/namespaces/{namespace}/widgets/{name}/status" in document["paths"]


def test_schema_names_match_the_real_server() -> None:
    assert schema_name("apps", "v1", "Deployment") == "io.k8s.api.apps.v1.Deployment"
    assert schema_name("", "v1", "Pod") == "io.k8s.api.core.v1.Pod"
    assert schema_name("networking.k8s.io", "v1", "Ingress") == "io.k8s.api.networking.v1.Ingress"
    assert schema_name("stable.example.com", "v1", "CronTab") == "com.example.stable.v1.CronTab"


def test_create_only_types_have_no_patch_operation() -> None:
    catalog = Catalog()
    bindings = catalog.lookup("", "v1", "bindings")
    assert isinstance(bindings, ResourceType)
    document = openapi_v3_document(catalog, "", "v1")
    assert document is not None
    assert _patch_operation(document, "", "v1", "Binding") is None
    assert "post" in document["paths"]["/api/v1/namespaces/{namespace}/bindings"]
