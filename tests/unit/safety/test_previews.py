"""Confirmation previews from structure: every changed leaf listed, sensitive ones whole, or a refusal."""

from __future__ import annotations

import pytest

from mcp_kubectl.safety.previews import (
    MAX_PREVIEW_CHARS,
    SENSITIVE_KEYS,
    PreviewTooLarge,
    format_path,
    object_change,
    render,
    render_deleted,
)


def pod(**spec: object) -> dict:
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "namespace": "a", "resourceVersion": "1", "uid": "u"},
            "spec": {"containers": [{"name": "c", "image": "nginx:1"}], **spec}, "status": {"phase": "Running"}}


def test_bookkeeping_and_status_are_not_changes() -> None:
    before = pod()
    after = pod()
    after["metadata"].update(resourceVersion="2", generation=3, managedFields=[{"manager": "x"}])
    after["status"] = {"phase": "Pending"}
    assert object_change("update", "Pod a/p", before, after).changes == ()


def test_an_added_subtree_is_listed_leaf_by_leaf() -> None:
    after = pod(volumes=[{"name": "root", "hostPath": {"path": "/"}}])
    change = object_change("update", "Pod a/p", pod(), after)
    assert [format_path(c.path) for c in change.changes] == ["spec.volumes[0].name", "spec.volumes[0].hostPath.path"]
    assert [c.sensitive for c in change.changes] == [False, True]


@pytest.mark.parametrize("key", sorted(SENSITIVE_KEYS))
def test_every_sensitive_key_is_shown_whole_and_first(key: str) -> None:
    value = "v" * 500
    after = {"kind": "X", "metadata": {"name": "x", "annotations": {"long": "n" * 500}}, "spec": {"deep": {key: value}}}
    text = render("update", [object_change("update", "X a/x", {"kind": "X", "metadata": {"name": "x"}}, after)])
    assert f'"{value}"' in text
    assert text.index(key) < text.index("metadata.annotations.long")
    assert "n" * 500 not in text and "(502 characters)" in text


def test_removed_and_changed_values_are_marked() -> None:
    before = pod(nodeSelector={"zone": "a"})
    after = pod()
    after["spec"]["containers"][0]["image"] = "nginx:2"
    text = render("update", [object_change("update", "Pod a/p", before, after)])
    assert '~ spec.containers[0].image: "nginx:1" -> "nginx:2"' in text
    assert '- spec.nodeSelector.zone (was "a")' in text


def test_odd_keys_use_the_quoted_path_syntax() -> None:
    assert format_path(("metadata", "annotations", "example.com/x y")) == 'metadata.annotations["example.com/x y"]'
    assert format_path(("data", "key.with.dots", 0)) == 'data["key.with.dots"][0]'
    assert format_path(()) == "(the object)"


def test_secret_values_show_as_sizes_even_under_sensitive_names() -> None:
    secret = {"kind": "Secret", "metadata": {"name": "s", "annotations": {"kubectl.kubernetes.io/last-applied-configuration": '{"data":{"image":"c2VjcmV0"}}'}},
              "data": {"image": "c2VjcmV0"}, "stringData": {"command": "plain-secret"}}
    text = render("create", [object_change("create", "Secret a/s", None, secret)])
    assert "secret" not in text.replace("Secret", "") and "c2VjcmV0" not in text and "plain-secret" not in text
    assert "+ data.image: <redacted: 6 bytes>" in text and "+ stringData.command: <redacted: 12 bytes>" in text
    deleted = render_deleted("Secret a/s", secret, "")
    assert "c2VjcmV0" not in deleted and "plain-secret" not in deleted


def test_too_large_is_refused_naming_the_count_never_cut() -> None:
    after = {"kind": "ConfigMap", "metadata": {"name": "c"}, "data": {f"k{i}": "v" for i in range(1000)}}
    with pytest.raises(PreviewTooLarge) as info:
        render("create", [object_change("create", "ConfigMap a/c", None, after)])
    assert "too large to show for approval" in info.value.message and "1002 changed fields" in info.value.message  # kind and name too
    assert info.value.reason == "ConfirmationRefused"


def test_a_long_sensitive_value_is_never_abbreviated_so_it_refuses() -> None:
    after = pod()
    after["spec"]["containers"][0]["command"] = ["sh", "-c", "x" * (MAX_PREVIEW_CHARS + 10)]
    with pytest.raises(PreviewTooLarge):
        render("update", [object_change("update", "Pod a/p", pod(), after)])


def test_deeply_nested_objects_do_not_exhaust_the_stack() -> None:
    deep: dict = {"leaf": 1}
    for _ in range(5000):
        deep = {"n": deep}
    change = object_change("update", "X a/x", {"kind": "X", "spec": {}}, {"kind": "X", "spec": deep})
    assert len(change.changes) == 1 and len(change.changes[0].path) == 5002


# Each field that can run code, change identity or privilege, reach the host, or grant access:
# a change under it is shown in full (the list is the property; a key dropped from it fails here).
_SENSITIVE = (
    "image", "command", "args", "securityContext", "privileged", "capabilities", "allowPrivilegeEscalation", "procMount",
    "runAsUser", "runAsGroup", "runAsNonRoot", "seLinuxOptions", "seccompProfile", "appArmorProfile",
    "serviceAccountName", "serviceAccount", "automountServiceAccountToken",
    "hostPath", "hostNetwork", "hostPID", "hostIPC", "hostUsers", "hostPort",
    "subjects", "rules", "roleRef", "aggregationRule", "nodeName",
)  # fmt: skip


@pytest.mark.parametrize("key", _SENSITIVE)
def test_a_change_under_each_sensitive_key_is_sensitive(key: str) -> None:
    from mcp_kubectl.safety.previews import Change

    assert Change(("spec", "template", "spec", key, "x"), "a", "b").sensitive
    assert not Change(("spec", "template", "spec", "replicas"), 1, 2).sensitive


# --- what the mutation check of previews.py found untested (tests/mutation, "confirmation previews")


def test_server_set_metadata_absent_from_the_manifest_is_not_a_change() -> None:
    """The live object has uid, creationTimestamp and selfLink; the model's manifest never does."""
    live = pod()
    live["metadata"].update(uid="0f1e", creationTimestamp="2026-11-29T10:00:00Z", selfLink="/api/v1/namespaces/a/pods/p")
    manifest = pod()
    del manifest["metadata"]["uid"]
    assert object_change("update", "Pod a/p", live, manifest).changes == ()


def test_a_shorter_list_lists_each_removed_item() -> None:
    before = pod(tolerations=[{"key": "a"}, {"key": "b"}, {"key": "c"}])
    after = pod(tolerations=[{"key": "a"}])
    change = object_change("update", "Pod a/p", before, after)
    assert [(format_path(c.path), c.sign) for c in change.changes] == [("spec.tolerations[1].key", "-"), ("spec.tolerations[2].key", "-")]


def test_a_secrets_labels_are_shown_its_data_only_as_sizes() -> None:
    secret = {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s", "namespace": "a", "labels": {"tier": "db"}}, "data": {"k": "c2VjcmV0"}}
    changed = {**secret, "metadata": {**secret["metadata"], "labels": {"tier": "cache"}}, "data": {"k": "bmV3LXNlY3JldA=="}}
    text = render("update", [object_change("update", "Secret a/s", secret, changed)])
    assert '"db" -> "cache"' in text
    assert "c2VjcmV0" not in text and "bmV3LXNlY3JldA==" not in text and "6 bytes" in text and "10 bytes" in text


def test_the_preview_limit_is_inclusive() -> None:
    objects = [object_change("update", "Pod a/p", pod(), pod(hostname="h"))]
    exact = len(render("update", objects))
    assert render("update", objects, max_chars=exact)
    with pytest.raises(PreviewTooLarge):
        render("update", objects, max_chars=exact - 1)


def test_a_value_of_exactly_the_abbreviation_limit_is_shown_whole_and_unescaped() -> None:
    from mcp_kubectl.safety.previews import VALUE_CHARS

    whole = "é" * (VALUE_CHARS - 2)  # its JSON, quotes included, is exactly VALUE_CHARS long
    longer = "é" * (VALUE_CHARS - 1)
    text = render("update", [object_change("update", "Pod a/p", pod(hostname="x"), pod(hostname=whole)), object_change("update", "Pod a/q", pod(hostname="x"), pod(hostname=longer))])
    assert f'"{whole}"' in text  # not cut, and not \u00e9-escaped
    assert f'"{longer}"' not in text and f"({VALUE_CHARS + 1:,} characters)" in text


def test_one_object_is_counted_as_one() -> None:
    text = render("update", [object_change("update", "Pod a/p", pod(), pod(hostname="h"))])
    assert text.startswith("update 1 object, 1 changed field ")


def test_objects_are_set_apart_and_a_delete_names_its_sensitive_fields() -> None:
    text = render("update", [object_change("update", "Pod a/p", pod(), pod(hostname="h")), object_change("update", "Pod a/q", pod(), pod(hostname="i"))])
    assert "\n\nupdate Pod a/p" in text and "\n\nupdate Pod a/q" in text
    deleted = render_deleted("Pod a/p", pod(), "Running")
    assert deleted.splitlines()[2] == "with these fields:" and '"nginx:1"' in deleted


def test_a_secret_value_that_is_not_base64_is_sized_as_text() -> None:
    secret = {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s", "namespace": "a"}, "data": {"k": "c2VjcmV0"}}
    changed = {**secret, "data": {"k": "c2Vj!cmV0"}}  # a lax decode would drop the "!" and say 6; strict fails: 9 counted
    text = render("update", [object_change("update", "Secret a/s", secret, changed)])
    assert text.endswith("data.k: <redacted: 6 bytes> -> <redacted: 9 bytes>") and "c2Vj!cmV0" not in text


def test_a_mapping_that_replaces_a_scalar_is_shown_with_sorted_keys() -> None:
    text = render("update", [object_change("update", "Pod a/p", pod(priority="high"), pod(priority={"zone": "b", "arch": "arm64"}))])
    assert '"high" -> {"arch": "arm64", "zone": "b"}' in text
