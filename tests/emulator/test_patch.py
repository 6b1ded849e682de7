"""Unit tests for the emulator's JSON, merge and strategic merge patches (plain dicts, no HTTP)."""

from __future__ import annotations

import copy

import pytest

from mcp_kubectl.emulator.catalog import Catalog, ResourceType
from mcp_kubectl.emulator.patch import (
    UNSUPPORTED_PATCH_MESSAGE,
    PatchError,
    json_patch,
    merge_patch,
    strategic_merge_patch,
)

CATALOG = Catalog()
DEPLOYMENTS = CATALOG.lookup("apps", "v1", "deployments")
PODS = CATALOG.lookup("", "v1", "pods")
SERVICES = CATALOG.lookup("", "v1", "services")
CONFIGMAPS = CATALOG.lookup("", "v1", "configmaps")
assert DEPLOYMENTS and PODS and SERVICES and CONFIGMAPS

WIDGETS = ResourceType(
    group="example.com",
    version="v1",
    kind="Widget",
    plural="widgets",
    singular="widget",
    namespaced=True,
    verbs=("get",),
    custom=True,
)


def deployment() -> dict:
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "web", "namespace": "default", "labels": {"app": "web"}, "finalizers": ["a", "b"]},
        "spec": {
            "replicas": 2,
            "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 1, "maxUnavailable": 0}},
            "template": {
                "metadata": {"labels": {"app": "web"}},
                "spec": {
                    "containers": [
                        {
                            "name": "app",
                            "image": "nginx:1.25",
                            "env": [{"name": "A", "value": "1"}, {"name": "B", "value": "2"}],
                            "ports": [{"containerPort": 80, "protocol": "TCP"}],
                        },
                        {"name": "sidecar", "image": "busybox:1.36", "args": ["sleep", "3600"]},
                    ],
                    "tolerations": [{"key": "x", "operator": "Exists"}],
                    "volumes": [{"name": "data", "emptyDir": {}}],
                },
            },
        },
    }


def containers(obj: dict) -> list[dict]:
    return obj["spec"]["template"]["spec"]["containers"]


# --- JSON patch ---------------------------------------------------------------------------------------
def test_json_patch_operations() -> None:
    original = {"metadata": {"name": "x", "labels": {"a/b": "1", "c~d": "2"}}, "data": {"k": "v"}, "items": [1, 2]}
    patched = json_patch(
        original,
        [
            {"op": "add", "path": "/data/new", "value": "n"},
            {"op": "replace", "path": "/metadata/labels/a~1b", "value": "changed"},
            {"op": "remove", "path": "/metadata/labels/c~0d"},
            {"op": "add", "path": "/items/-", "value": 3},
            {"op": "add", "path": "/items/0", "value": 0},
            {"op": "copy", "from": "/data/k", "path": "/data/copied"},
            {"op": "move", "from": "/data/new", "path": "/data/moved"},
            {"op": "test", "path": "/items", "value": [0, 1, 2, 3.0]},
        ],
    )
    assert patched == {
        "metadata": {"name": "x", "labels": {"a/b": "changed"}},
        "data": {"k": "v", "copied": "v", "moved": "n"},
        "items": [0, 1, 2, 3],
    }
    assert original["data"] == {"k": "v"}, "the input must not change"


def test_json_patch_on_list_items_and_the_whole_document() -> None:
    patched = json_patch(
        {"items": ["a", "b", "c"]},
        [
            {"op": "remove", "path": "/items/0"},
            {"op": "replace", "path": "/items/1", "value": "z"},
            {"op": "test", "path": "/items/0", "value": "b"},
        ],
    )
    assert patched == {"items": ["b", "z"]}
    assert json_patch({"old": 1}, [{"op": "replace", "path": "", "value": {"new": 2}}]) == {"new": 2}


@pytest.mark.parametrize(
    "operation",
    [
        {"op": "remove", "path": "/spec/missing"},
        {"op": "replace", "path": "/data/missing", "value": 1},
        {"op": "add", "path": "/nowhere/deep", "value": 1},
        {"op": "test", "path": "/data/k", "value": "other"},
        {"op": "add", "path": "/items/5", "value": 1},
        {"op": "frobnicate", "path": "/data"},
        {"op": "move", "from": "/data/missing", "path": "/data/x"},
        {"op": "test", "path": "/flag", "value": 1},
        {"op": "add", "path": "/flag/x", "value": 1},
        {"op": "remove", "path": "/flag/x"},
        {"op": "replace", "path": "/flag/x", "value": 1},
        {"op": "test", "path": "/flag/x", "value": 1},
        {"op": "remove", "path": "/items/1"},
        {"op": "replace", "path": "/items/x", "value": 1},
        {"op": "remove", "path": ""},
    ],
)
def test_failing_json_patch_is_422_invalid(operation: dict) -> None:
    with pytest.raises(PatchError) as caught:
        json_patch({"data": {"k": "v"}, "items": [1], "flag": True}, [operation])
    assert (caught.value.code, caught.value.reason) == (422, "Invalid")
    assert caught.value.message == "the server rejected our request due to an error in our request"


def test_json_patch_that_is_not_a_list_is_400() -> None:
    with pytest.raises(PatchError) as caught:
        json_patch({}, {"op": "add"})  # type: ignore[arg-type]
    assert (caught.value.code, caught.value.reason) == (400, "BadRequest")
    assert "cannot unmarshal object into Go value of type jsonpatch.Patch" in caught.value.message


# --- merge patch ---------------------------------------------------------------------------------------
def test_merge_patch_merges_maps_replaces_lists_and_deletes_nulls() -> None:
    patched = merge_patch(
        deployment(),
        {"metadata": {"labels": {"app": None, "tier": "front"}}, "spec": {"template": {"spec": {"tolerations": []}}}},
    )
    assert patched["metadata"]["labels"] == {"tier": "front"}
    assert patched["spec"]["template"]["spec"]["tolerations"] == []
    assert len(containers(patched)) == 2


def test_merge_patch_replaces_container_lists_wholesale() -> None:
    patched = merge_patch(deployment(), {"spec": {"template": {"spec": {"containers": [{"name": "app"}]}}}})
    assert containers(patched) == [{"name": "app"}]


def test_merge_patch_must_be_an_object() -> None:
    with pytest.raises(PatchError) as caught:
        merge_patch({}, ["x"])  # type: ignore[arg-type]
    assert caught.value.code == 400


# --- strategic merge patch -------------------------------------------------------------------------------
def test_kubectl_apply_patch_changes_one_container_and_keeps_the_other() -> None:
    # What kubectl's client-side apply sends when only the first container's image changes.
    patch = {
        "metadata": {"annotations": {"kubectl.kubernetes.io/last-applied-configuration": "{}"}},
        "spec": {
            "template": {
                "spec": {
                    "$setElementOrder/containers": [{"name": "app"}, {"name": "sidecar"}],
                    "containers": [{"image": "nginx:1.26", "name": "app"}],
                }
            }
        },
    }
    patched = strategic_merge_patch(deployment(), patch, DEPLOYMENTS)
    app, sidecar = containers(patched)
    assert app["image"] == "nginx:1.26" and app["env"] == deployment()["spec"]["template"]["spec"]["containers"][0]["env"]
    assert sidecar == {"name": "sidecar", "image": "busybox:1.36", "args": ["sleep", "3600"]}
    assert patched["metadata"]["annotations"]["kubectl.kubernetes.io/last-applied-configuration"] == "{}"
    assert "$setElementOrder/containers" not in patched["spec"]["template"]["spec"]


def test_env_merges_by_name_and_ports_by_container_port() -> None:
    patch = {
        "spec": {
            "template": {
                "spec": {
                    "containers": [
                        {
                            "name": "app",
                            "env": [{"name": "B", "value": "two"}, {"name": "C", "value": "3"}],
                            "ports": [{"containerPort": 443}],
                        }
                    ]
                }
            }
        }
    }
    app = containers(strategic_merge_patch(deployment(), patch, DEPLOYMENTS))[0]
    assert app["env"] == [{"name": "A", "value": "1"}, {"name": "B", "value": "two"}, {"name": "C", "value": "3"}]
    assert app["ports"] == [{"containerPort": 80, "protocol": "TCP"}, {"containerPort": 443}]


def test_list_without_merge_strategy_is_replaced() -> None:
    patch = {"spec": {"template": {"spec": {"tolerations": [{"key": "y", "operator": "Exists"}]}}}}
    patched = strategic_merge_patch(deployment(), patch, DEPLOYMENTS)
    assert patched["spec"]["template"]["spec"]["tolerations"] == [{"key": "y", "operator": "Exists"}]
    # args is a plain list inside a merged container: replaced.
    patch = {"spec": {"template": {"spec": {"containers": [{"name": "sidecar", "args": ["true"]}]}}}}
    assert containers(strategic_merge_patch(deployment(), patch, DEPLOYMENTS))[1]["args"] == ["true"]


def test_delete_directive_in_a_list_and_null_deletes_a_key() -> None:
    patch = {
        "metadata": {"labels": {"app": None}},
        "spec": {"template": {"spec": {"containers": [{"name": "sidecar", "$patch": "delete"}]}}},
    }
    patched = strategic_merge_patch(deployment(), patch, DEPLOYMENTS)
    assert [c["name"] for c in containers(patched)] == ["app"]
    assert patched["metadata"]["labels"] == {}


def test_replace_directive_in_a_list_and_in_a_map() -> None:
    patch = {"spec": {"template": {"spec": {"containers": [{"name": "only", "image": "x"}, {"$patch": "replace"}]}}}}
    assert containers(strategic_merge_patch(deployment(), patch, DEPLOYMENTS)) == [{"name": "only", "image": "x"}]
    patch = {"metadata": {"labels": {"new": "1", "$patch": "replace"}}}
    assert strategic_merge_patch(deployment(), patch, DEPLOYMENTS)["metadata"]["labels"] == {"new": "1"}
    patch = {"spec": {"strategy": {"$patch": "delete"}}}
    assert strategic_merge_patch(deployment(), patch, DEPLOYMENTS)["spec"]["strategy"] == {}


def test_retain_keys_clears_other_fields() -> None:
    # kubectl sends this when switching a Deployment to the Recreate strategy.
    patch = {"spec": {"strategy": {"$retainKeys": ["type"], "type": "Recreate"}}}
    assert strategic_merge_patch(deployment(), patch, DEPLOYMENTS)["spec"]["strategy"] == {"type": "Recreate"}


def test_retain_keys_must_cover_the_patch() -> None:
    patch = {"spec": {"strategy": {"$retainKeys": ["type"], "rollingUpdate": {"maxSurge": 2}}}}
    with pytest.raises(PatchError) as caught:
        strategic_merge_patch(deployment(), patch, DEPLOYMENTS)
    assert (caught.value.code, caught.value.reason) == (422, "Invalid")
    assert caught.value.message == "patch content doesn't match retainKeys list"


def test_primitive_merge_lists_union_and_delete_from_primitive_list() -> None:
    patched = strategic_merge_patch(deployment(), {"metadata": {"finalizers": ["c", "a"]}}, DEPLOYMENTS)
    # Union; patch items in patch order, server-only items placed by their live order (apimachinery's mergeSortedSlice).
    assert patched["metadata"]["finalizers"] == ["c", "a", "b"]
    patch = {"metadata": {"$deleteFromPrimitiveList/finalizers": ["a"]}}
    assert strategic_merge_patch(deployment(), patch, DEPLOYMENTS)["metadata"]["finalizers"] == ["b"]


def test_set_element_order_reorders_and_keeps_server_only_items() -> None:
    obj = deployment()
    containers(obj).append({"name": "injected", "image": "proxy"})  # added by someone else
    patch = {"spec": {"template": {"spec": {"$setElementOrder/containers": [{"name": "sidecar"}, {"name": "app"}]}}}}
    names = [c["name"] for c in containers(strategic_merge_patch(obj, patch, DEPLOYMENTS))]
    assert names[:2] == ["sidecar", "app"] and set(names) == {"sidecar", "app", "injected"}


def test_service_ports_merge_by_port() -> None:
    service = {"spec": {"ports": [{"port": 80, "targetPort": 8080}, {"port": 443, "targetPort": 8443}]}}
    patched = strategic_merge_patch(service, {"spec": {"ports": [{"port": 80, "targetPort": 9090}]}}, SERVICES)
    assert patched["spec"]["ports"] == [{"port": 80, "targetPort": 9090}, {"port": 443, "targetPort": 8443}]


def test_pod_conditions_merge_by_type() -> None:
    pod = {"status": {"conditions": [{"type": "Ready", "status": "False"}, {"type": "Initialized", "status": "True"}]}}
    patched = strategic_merge_patch(pod, {"status": {"conditions": [{"type": "Ready", "status": "True"}]}}, PODS)
    assert patched["status"]["conditions"] == [
        {"type": "Ready", "status": "True"},
        {"type": "Initialized", "status": "True"},
    ]


def test_volumes_merge_by_name_with_retain_keys() -> None:
    patch = {
        "spec": {
            "template": {
                "spec": {"volumes": [{"name": "data", "$retainKeys": ["name", "configMap"], "configMap": {"name": "c"}}]}
            }
        }
    }
    volumes = strategic_merge_patch(deployment(), patch, DEPLOYMENTS)["spec"]["template"]["spec"]["volumes"]
    assert volumes == [{"name": "data", "configMap": {"name": "c"}}]


def test_configmap_data_merges_as_a_map() -> None:
    cm = {"data": {"a": "1", "b": "2"}}
    assert strategic_merge_patch(cm, {"data": {"b": None, "c": "3"}}, CONFIGMAPS) == {"data": {"a": "1", "c": "3"}}


def test_missing_merge_key_is_a_500_with_the_real_message() -> None:
    patch = {"spec": {"template": {"spec": {"containers": [{"image": "nginx"}]}}}}
    with pytest.raises(PatchError) as caught:
        strategic_merge_patch(deployment(), patch, DEPLOYMENTS)
    assert caught.value.code == 500
    assert caught.value.message == "map: map[image:nginx] does not contain declared merge key: name"


def test_bad_retain_keys_format_is_400() -> None:
    with pytest.raises(PatchError) as caught:
        strategic_merge_patch(deployment(), {"spec": {"strategy": {"$retainKeys": "type"}}}, DEPLOYMENTS)
    assert (caught.value.code, caught.value.reason) == (400, "BadRequest")


def test_strategic_merge_patch_on_a_custom_resource_is_415() -> None:
    with pytest.raises(PatchError) as caught:
        strategic_merge_patch({"spec": {}}, {"spec": {"a": 1}}, WIDGETS)
    assert (caught.value.code, caught.value.reason) == (415, "UnsupportedMediaType")
    assert caught.value.message == UNSUPPORTED_PATCH_MESSAGE


def test_strategic_merge_patch_does_not_modify_its_inputs() -> None:
    original, patch = deployment(), {"spec": {"template": {"spec": {"containers": [{"name": "new", "image": "x"}]}}}}
    before = (copy.deepcopy(original), copy.deepcopy(patch))
    patched = strategic_merge_patch(original, patch, DEPLOYMENTS)
    assert (original, patch) == before
    assert [c["name"] for c in containers(patched)] == ["app", "sidecar", "new"]


# --- Which rules describe a kind's top level (root_struct) ------------------------------------------------------

_POD_SPEC_PATHS = {  # where each built-in kind with a pod template keeps its PodSpec
    ("", "pods"): ("spec",),
    ("", "podtemplates"): ("template", "spec"),
    ("", "replicationcontrollers"): ("spec", "template", "spec"),
    ("apps", "deployments"): ("spec", "template", "spec"),
    ("apps", "replicasets"): ("spec", "template", "spec"),
    ("apps", "statefulsets"): ("spec", "template", "spec"),
    ("apps", "daemonsets"): ("spec", "template", "spec"),
    ("batch", "jobs"): ("spec", "template", "spec"),
    ("batch", "cronjobs"): ("spec", "jobTemplate", "spec", "template", "spec"),
}


def _nested(path: tuple[str, ...], leaf: dict) -> dict:
    for key in reversed(path):
        leaf = {key: leaf}
    return leaf


@pytest.mark.parametrize(("group", "plural"), list(_POD_SPEC_PATHS), ids=[p for _, p in _POD_SPEC_PATHS])
def test_every_kind_with_a_pod_template_merges_its_containers_by_name(group: str, plural: str) -> None:
    """A kind whose top level were forgotten would replace the container list instead (as a CRD does)."""
    resource_type = next(t for t in CATALOG.all_types() if (t.group, t.plural) == (group, plural))
    path = _POD_SPEC_PATHS[(group, plural)]
    original = _nested(path, {"containers": [{"name": "app", "image": "a:1"}, {"name": "sidecar", "image": "s:1"}]})
    patch = _nested(path, {"containers": [{"name": "app", "image": "a:2"}]})
    patched = strategic_merge_patch(original, patch, resource_type)
    for key in path:
        patched = patched[key]
    assert patched["containers"] == [{"name": "app", "image": "a:2"}, {"name": "sidecar", "image": "s:1"}]


def test_the_top_level_rules_of_a_kind() -> None:
    """Shared shapes name real kinds and real structs; the rest follow the kind's name, built-ins only."""
    from mcp_kubectl.emulator.patch import _SHARED_ROOTS, PATCH_FIELDS, root_struct

    builtin_kinds = {t.kind for t in CATALOG.all_types() if not t.custom}
    assert set(_SHARED_ROOTS) <= builtin_kinds
    assert set(_SHARED_ROOTS.values()) <= set(PATCH_FIELDS)
    hpa_v1, hpa_v2 = (CATALOG.lookup("autoscaling", v, "horizontalpodautoscalers") for v in ("v1", "v2"))
    assert hpa_v1 and hpa_v2
    assert (root_struct(hpa_v1), root_struct(hpa_v2)) == ("", "WithStatusConditions")
    assert (root_struct(PODS), root_struct(CONFIGMAPS)) == ("Pod", "")
    custom_pod = ResourceType("example.com", "v1", "Pod", "pods", "pod", True, ("get",), custom=True)
    assert root_struct(custom_pod) == ""
