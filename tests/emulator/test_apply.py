"""Unit tests for server-side apply and managedFields bookkeeping (plain dicts, no HTTP)."""

from __future__ import annotations

import copy

import pytest

from mcp_kubectl.emulator.apply import ApplyConflict, fields_to_paths, paths_to_fields, record_update, server_side_apply
from mcp_kubectl.emulator.catalog import Catalog

CATALOG = Catalog()
DEPLOYMENTS = CATALOG.lookup("apps", "v1", "deployments")
CONFIGMAPS = CATALOG.lookup("", "v1", "configmaps")
SERVICES = CATALOG.lookup("", "v1", "services")
assert DEPLOYMENTS and CONFIGMAPS and SERVICES
T1, T2, T3 = "2026-11-27T04:00:00Z", "2026-11-27T04:01:00Z", "2026-11-27T04:02:00Z"


def deployment(replicas: int = 2, image: str = "nginx:1.25") -> dict:
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "web", "namespace": "default", "labels": {"app": "web"}},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": {"app": "web"}},
            "template": {
                "metadata": {"labels": {"app": "web"}},
                "spec": {"containers": [{"name": "nginx", "image": image}]},
            },
        },
    }


def entries(obj: dict) -> list[dict]:
    return obj["metadata"]["managedFields"]


def test_apply_creates_with_the_real_fieldsv1_shape() -> None:
    created = server_side_apply(None, deployment(), manager="kubectl", force=False, resource_type=DEPLOYMENTS, now=T1)
    assert created["spec"] == deployment()["spec"]
    assert entries(created) == [
        {
            "manager": "kubectl",
            "operation": "Apply",
            "apiVersion": "apps/v1",
            "time": T1,
            "fieldsType": "FieldsV1",
            "fieldsV1": {
                "f:metadata": {"f:labels": {"f:app": {}}},
                "f:spec": {
                    "f:replicas": {},
                    "f:selector": {},
                    "f:template": {
                        "f:metadata": {"f:labels": {"f:app": {}}},
                        "f:spec": {"f:containers": {'k:{"name":"nginx"}': {".": {}, "f:image": {}, "f:name": {}}}},
                    },
                },
            },
        }
    ]


def test_update_on_create_owns_everything_and_marks_granular_maps() -> None:
    created = record_update(None, deployment(), manager="kubectl-create", resource_type=DEPLOYMENTS, now=T1)
    (entry,) = entries(created)
    assert (entry["manager"], entry["operation"], entry["apiVersion"], entry["time"]) == (
        "kubectl-create",
        "Update",
        "apps/v1",
        T1,
    )
    fields = entry["fieldsV1"]
    assert fields["f:metadata"] == {"f:labels": {".": {}, "f:app": {}}}
    assert "." not in fields["f:spec"] and "f:apiVersion" not in fields
    assert fields["f:spec"]["f:template"]["f:spec"]["f:containers"] == {
        'k:{"name":"nginx"}': {".": {}, "f:image": {}, "f:name": {}}
    }


def test_apply_conflicts_with_another_manager_on_a_changed_field() -> None:
    live = record_update(None, deployment(), manager="kubectl-client-side-apply", resource_type=DEPLOYMENTS, now=T1)
    with pytest.raises(ApplyConflict) as caught:
        server_side_apply(live, deployment(replicas=5), manager="kubectl", force=False, resource_type=DEPLOYMENTS, now=T2)
    assert caught.value.conflicts == [("kubectl-client-side-apply", ".spec.replicas")]
    assert caught.value.message == (
        'Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1: .spec.replicas'
    )


def test_apply_of_the_same_values_shares_ownership_without_conflict() -> None:
    live = record_update(None, deployment(), manager="kubectl-create", resource_type=DEPLOYMENTS, now=T1)
    applied = server_side_apply(live, deployment(), manager="kubectl", force=False, resource_type=DEPLOYMENTS, now=T2)
    managers = [(e["manager"], e["operation"]) for e in entries(applied)]
    assert managers == [("kubectl", "Apply"), ("kubectl-create", "Update")]  # Apply sorts before Update
    assert all("f:replicas" in e["fieldsV1"]["f:spec"] for e in entries(applied))


def test_two_conflicts_are_listed_per_manager() -> None:
    live = record_update(None, deployment(), manager="kubectl-client-side-apply", resource_type=DEPLOYMENTS, now=T1)
    with pytest.raises(ApplyConflict) as caught:
        server_side_apply(
            live, deployment(replicas=3, image="nginx:1.26"), manager="ci", force=False, resource_type=DEPLOYMENTS, now=T2
        )
    assert caught.value.message == (
        'Apply failed with 2 conflicts: conflicts with "kubectl-client-side-apply" using apps/v1:\n'
        "- .spec.replicas\n"
        '- .spec.template.spec.containers[name="nginx"].image'
    )
    assert caught.value.causes[0] == {
        "reason": "FieldManagerConflict",
        "message": 'conflict with "kubectl-client-side-apply" using apps/v1',
        "field": ".spec.replicas",
    }


def test_force_moves_ownership_to_the_applier() -> None:
    live = record_update(None, deployment(), manager="kubectl-client-side-apply", resource_type=DEPLOYMENTS, now=T1)
    applied = server_side_apply(live, deployment(replicas=5), manager="kubectl", force=True, resource_type=DEPLOYMENTS, now=T2)
    assert applied["spec"]["replicas"] == 5
    by_manager = {e["manager"]: e for e in entries(applied)}
    assert "f:replicas" in by_manager["kubectl"]["fieldsV1"]["f:spec"]
    assert "f:replicas" not in by_manager["kubectl-client-side-apply"]["fieldsV1"]["f:spec"]


def test_apply_prunes_fields_it_no_longer_applies() -> None:
    config = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c", "labels": {"a": "1", "b": "2"}}, "data": {"x": "1", "y": "2"}}
    first = server_side_apply(None, config, manager="kubectl", force=False, resource_type=CONFIGMAPS, now=T1)
    smaller = copy.deepcopy(config)
    del smaller["data"]["y"]
    del smaller["metadata"]["labels"]
    second = server_side_apply(first, smaller, manager="kubectl", force=False, resource_type=CONFIGMAPS, now=T2)
    assert second["data"] == {"x": "1"}
    assert "labels" not in second["metadata"]
    assert entries(second)[0]["fieldsV1"] == {"f:data": {"f:x": {}}}
    assert entries(second)[0]["time"] == T2


def test_apply_keeps_fields_another_manager_owns() -> None:
    config = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}, "data": {"x": "1", "y": "2"}}
    first = server_side_apply(None, config, manager="kubectl", force=False, resource_type=CONFIGMAPS, now=T1)
    shared = server_side_apply(first, {**config, "data": {"y": "2"}}, manager="other", force=False, resource_type=CONFIGMAPS, now=T2)
    final = server_side_apply(shared, {**config, "data": {"x": "1"}}, manager="kubectl", force=False, resource_type=CONFIGMAPS, now=T3)
    assert final["data"] == {"x": "1", "y": "2"}


def test_apply_merges_containers_by_name_and_keeps_others() -> None:
    live = record_update(None, deployment(), manager="kubectl-create", resource_type=DEPLOYMENTS, now=T1)
    live["spec"]["template"]["spec"]["containers"].append({"name": "sidecar", "image": "busybox"})
    config = deployment()
    config["spec"]["template"]["spec"]["containers"][0]["env"] = [{"name": "A", "value": "1"}]
    applied = server_side_apply(live, config, manager="kubectl", force=False, resource_type=DEPLOYMENTS, now=T2)
    containers = applied["spec"]["template"]["spec"]["containers"]
    assert [c["name"] for c in containers] == ["nginx", "sidecar"]
    assert containers[0]["env"] == [{"name": "A", "value": "1"}]


def test_service_ports_are_keyed_by_port_and_defaulted_protocol() -> None:
    config = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "s"}, "spec": {"ports": [{"port": 80}]}}
    applied = server_side_apply(None, config, manager="kubectl", force=False, resource_type=SERVICES, now=T1)
    assert entries(applied)[0]["fieldsV1"] == {
        "f:spec": {"f:ports": {'k:{"port":80,"protocol":"TCP"}': {".": {}, "f:port": {}}}}
    }


def test_record_update_takes_changed_fields_from_other_managers() -> None:
    live = server_side_apply(None, deployment(), manager="kubectl", force=False, resource_type=DEPLOYMENTS, now=T1)
    scaled = copy.deepcopy(live)
    scaled["spec"]["replicas"] = 7
    updated = record_update(live, scaled, manager="kubectl-scale", resource_type=DEPLOYMENTS, now=T2)
    by_manager = {e["manager"]: e for e in entries(updated)}
    assert by_manager["kubectl-scale"]["fieldsV1"] == {"f:spec": {"f:replicas": {}}}
    assert "f:replicas" not in by_manager["kubectl"]["fieldsV1"]["f:spec"]
    # A write that changes nothing records nothing.
    again = record_update(updated, copy.deepcopy(updated), manager="kubectl-edit", resource_type=DEPLOYMENTS, now=T3)
    assert {e["manager"] for e in entries(again)} == {"kubectl", "kubectl-scale"}


def test_record_update_honours_managed_fields_written_by_the_request() -> None:
    live = record_update(None, deployment(), manager="kubectl-client-side-apply", resource_type=DEPLOYMENTS, now=T1)
    migrated = copy.deepcopy(live)
    migrated["metadata"]["managedFields"][0].update({"manager": "kubectl", "operation": "Apply"})
    result = record_update(live, migrated, manager="kubectl", resource_type=DEPLOYMENTS, now=T2)
    assert [(e["manager"], e["operation"], e["time"]) for e in entries(result)] == [("kubectl", "Apply", T1)]
    reset = copy.deepcopy(live)
    reset["metadata"]["managedFields"] = [{}]
    assert "managedFields" not in record_update(live, reset, manager="x", resource_type=DEPLOYMENTS, now=T2)["metadata"]


def test_untracked_object_is_owned_by_before_first_apply() -> None:
    with pytest.raises(ApplyConflict) as caught:
        server_side_apply(deployment(), deployment(replicas=4), manager="kubectl", force=False, resource_type=DEPLOYMENTS, now=T1)
    assert caught.value.conflicts == [("before-first-apply", ".spec.replicas")]


def test_custom_resources_have_atomic_lists_and_granular_maps() -> None:
    widgets = CATALOG.register_crd(
        {
            "metadata": {"name": "widgets.example.com"},
            "spec": {"group": "example.com", "names": {"plural": "widgets", "kind": "Widget"}, "scope": "Namespaced",
                     "versions": [{"name": "v1", "served": True, "storage": True}]},
        }
    )[0]
    obj = {"apiVersion": "example.com/v1", "kind": "Widget", "metadata": {"name": "w"}, "spec": {"sizes": [1, 2], "color": "red"}}
    created = record_update(None, obj, manager="kubectl-create", resource_type=widgets, now=T1)
    assert entries(created)[0]["fieldsV1"] == {"f:spec": {".": {}, "f:color": {}, "f:sizes": {}}}


def test_fieldsv1_round_trip() -> None:
    fields = {
        "f:metadata": {"f:labels": {".": {}, "f:app": {}}},
        "f:spec": {"f:containers": {'k:{"name":"a"}': {".": {}, "f:image": {}}}, "f:finalizers": {'v:"x"': {}}},
    }
    assert paths_to_fields(fields_to_paths(fields)) == fields


def test_kubectl_server_side_apply_takes_over_from_client_side_apply() -> None:
    import json

    config = deployment()
    live = copy.deepcopy(config)
    live["metadata"]["annotations"] = {"kubectl.kubernetes.io/last-applied-configuration": json.dumps(config)}
    live = record_update(None, live, manager="kubectl-client-side-apply", resource_type=DEPLOYMENTS, now=T1)
    changed = deployment(replicas=3, image="nginx:1.26")
    applied = server_side_apply(live, changed, manager="kubectl", force=False, resource_type=DEPLOYMENTS, now=T2)
    assert applied["spec"]["replicas"] == 3
    # Only the manager named "kubectl" gets this upgrade path.
    with pytest.raises(ApplyConflict):
        server_side_apply(live, changed, manager="ci", force=False, resource_type=DEPLOYMENTS, now=T2)
    # Fields the annotation no longer matches stay conflicts.
    drifted = copy.deepcopy(live)
    drifted["spec"]["replicas"] = 9
    with pytest.raises(ApplyConflict) as caught:
        server_side_apply(drifted, changed, manager="kubectl", force=False, resource_type=DEPLOYMENTS, now=T2)
    assert caught.value.conflicts == [("kubectl-client-side-apply", ".spec.replicas")]


def test_status_subresource_updates_track_only_status() -> None:
    live = record_update(None, deployment(), manager="kubectl-create", resource_type=DEPLOYMENTS, now=T1)
    new = copy.deepcopy(live)
    new["status"] = {"replicas": 2}
    new["spec"]["replicas"] = 9  # ignored by the status subresource's bookkeeping
    updated = record_update(live, new, manager="kube-controller-manager", resource_type=DEPLOYMENTS, now=T2, subresource="status")
    entry = next(e for e in entries(updated) if e["manager"] == "kube-controller-manager")
    assert entry["subresource"] == "status" and entry["fieldsV1"] == {"f:status": {"f:replicas": {}}}
    # Main-resource writes never track status for types that have the subresource.
    main = record_update(live, new, manager="kubectl-edit", resource_type=DEPLOYMENTS, now=T2)
    edit = next(e for e in entries(main) if e["manager"] == "kubectl-edit")
    assert edit["fieldsV1"] == {"f:spec": {"f:replicas": {}}}


def test_more_than_ten_updaters_fold_into_ancient_changes() -> None:
    obj = record_update(None, deployment(), manager="creator", resource_type=DEPLOYMENTS, now="2026-11-27T04:00:00Z")
    for i in range(12):
        new = copy.deepcopy(obj)
        new["metadata"]["labels"] = {**new["metadata"]["labels"], f"l{i}": "x"}
        obj = record_update(obj, new, manager=f"writer-{i:02d}", resource_type=DEPLOYMENTS, now=f"2026-11-27T04:{i + 1:02d}:00Z")
    managers = [e["manager"] for e in entries(obj)]
    assert len(managers) == 10
    assert managers[0] == "ancient-changes" and "creator" not in managers and "writer-11" in managers
    ancient = entries(obj)[0]["fieldsV1"]
    assert "f:spec" in ancient and "f:l0" in ancient["f:metadata"]["f:labels"]


def test_scale_subresource_updates_track_only_replicas() -> None:
    live = server_side_apply(None, deployment(), manager="kubectl", force=False, resource_type=DEPLOYMENTS, now=T1)
    scaled = copy.deepcopy(live)
    scaled["spec"]["replicas"] = 6
    updated = record_update(live, scaled, manager="kubectl", resource_type=DEPLOYMENTS, now=T2, subresource="scale")
    entry = next(e for e in entries(updated) if e["operation"] == "Update")
    assert (entry["manager"], entry["subresource"], entry["fieldsV1"]) == ("kubectl", "scale", {"f:spec": {"f:replicas": {}}})
    applier = next(e for e in entries(updated) if e["operation"] == "Apply")
    assert "f:replicas" not in applier["fieldsV1"]["f:spec"]
