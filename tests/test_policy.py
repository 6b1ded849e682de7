"""The safety policy: namespaces, denied resource types (every spelling), cluster-scoped writes, contexts."""

from __future__ import annotations

import pytest

from mcp_kubectl.discovery import ApiResource, resolve_kind
from mcp_kubectl.errors import PolicyDenied
from mcp_kubectl.manifests import ManifestTarget
from mcp_kubectl.policy import Policy
from mcp_kubectl.settings import Settings

_RW = ("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch")


def _r(name: str, short: str, api_version: str, kind: str, namespaced: bool) -> ApiResource:
    group, _, version = api_version.rpartition("/")
    return ApiResource(name, tuple(s for s in short.split(",") if s), group, version, kind, namespaced, _RW, ())


# A realistic slice of `kubectl api-resources -o wide`, including look-alikes of Secret.
RESOURCES = [
    _r("configmaps", "cm", "v1", "ConfigMap", True),
    _r("events", "ev", "v1", "Event", True),
    _r("namespaces", "ns", "v1", "Namespace", False),
    _r("nodes", "no", "v1", "Node", False),
    _r("pods", "po", "v1", "Pod", True),
    _r("secrets", "", "v1", "Secret", True),
    _r("serviceaccounts", "sa", "v1", "ServiceAccount", True),
    _r("services", "svc", "v1", "Service", True),
    _r("customresourcedefinitions", "crd,crds", "apiextensions.k8s.io/v1", "CustomResourceDefinition", False),
    _r("deployments", "deploy", "apps/v1", "Deployment", True),
    _r("horizontalpodautoscalers", "hpa", "autoscaling/v2", "HorizontalPodAutoscaler", True),
    _r("horizontalpodautoscalers", "hpa", "autoscaling/v1", "HorizontalPodAutoscaler", True),
    _r("events", "ev", "events.k8s.io/v1", "Event", True),
    _r("pods", "", "metrics.k8s.io/v1beta1", "PodMetrics", True),
    _r("clusterrolebindings", "", "rbac.authorization.k8s.io/v1", "ClusterRoleBinding", False),
    _r("clusterroles", "", "rbac.authorization.k8s.io/v1", "ClusterRole", False),
    _r("rolebindings", "", "rbac.authorization.k8s.io/v1", "RoleBinding", True),
    _r("roles", "", "rbac.authorization.k8s.io/v1", "Role", True),
    _r("sealedsecrets", "", "bitnami.com/v1alpha1", "SealedSecret", True),
    _r("externalsecrets", "es", "external-secrets.io/v1beta1", "ExternalSecret", True),
]


def resource(spelling: str) -> ApiResource:
    found = resolve_kind(spelling, RESOURCES)
    assert found is not None, spelling
    return found


def policy(*, bind: bool = True, **settings: object) -> Policy:
    built = Policy.from_settings(Settings(**settings))  # type: ignore[arg-type]
    if bind:
        built.bind_resources(RESOURCES)
    return built


def denied(call: object, *args: object, **kwargs: object) -> str:
    with pytest.raises(PolicyDenied) as info:
        call(*args, **kwargs)  # type: ignore[operator]
    return info.value.message


# --- denied resource types ------------------------------------------------------------

SECRET_SPELLINGS = ["secret", "secrets", "Secret", "secrets.v1.", "SECRETS", "secrets.", "Secret.v1.", "SeCrEt"]


@pytest.mark.parametrize("bind", [True, False], ids=["discovered", "no discovery"])
@pytest.mark.parametrize("rule", ["secrets", "secret", "Secret", "secrets.v1.", "SECRETS"])
@pytest.mark.parametrize("spelling", SECRET_SPELLINGS)
def test_a_denied_secret_is_refused_however_it_is_spelled(rule: str, spelling: str, bind: bool) -> None:
    checker = policy(denied_resources=(rule,), bind=bind)
    message = denied(checker.check_kind, spelling, write=False)
    assert "--denied-resources" in message
    assert "--denied-resources" in denied(checker.check_resource, resource(spelling), write=False)


@pytest.mark.parametrize(
    ("rule", "spelling"),
    [
        ("configmaps", "cm"),
        ("cm", "configmaps"),
        ("cm", "ConfigMap"),
        ("deploy", "deployments.v1.apps"),
        ("deployments.apps", "deploy"),
        ("Deployment.apps", "deployment"),
        ("clusterrolebindings.rbac.authorization.k8s.io", "clusterrolebinding"),
        ("clusterrolebindings.rbac.authorization.k8s.io", "ClusterRoleBinding"),
        ("clusterrolebindings.rbac.authorization.k8s.io", "clusterrolebindings.v1.rbac.authorization.k8s.io"),
        ("crd", "customresourcedefinitions.apiextensions.k8s.io"),
        ("hpa", "horizontalpodautoscalers.v1.autoscaling"),
    ],
)
def test_short_names_kinds_and_qualified_names_resolve_to_the_same_type(rule: str, spelling: str) -> None:
    checker = policy(denied_resources=(rule,))
    assert "--denied-resources" in denied(checker.check_kind, spelling, write=False)


def test_denied_types_are_compared_as_group_and_plural_pairs() -> None:
    checker = policy(denied_resources=("Secret", "clusterrolebindings.rbac.authorization.k8s.io"))
    assert checker.denied_pairs == {("", "secrets"), ("rbac.authorization.k8s.io", "clusterrolebindings")}


@pytest.mark.parametrize(
    "spelling", ["sealedsecrets", "externalsecrets", "es", "configmaps", "rolebindings", "clusterroles", "pods"]
)
def test_a_deny_rule_does_not_catch_look_alikes(spelling: str) -> None:
    checker = policy(denied_resources=("secrets", "clusterrolebindings.rbac.authorization.k8s.io"))
    assert checker.check_kind(spelling, write=True) == resource(spelling)


def test_an_unqualified_rule_denies_the_name_in_every_group() -> None:
    checker = policy(denied_resources=("events",))
    assert "--denied-resources" in denied(checker.check_kind, "events.events.k8s.io", write=False)
    assert "--denied-resources" in denied(checker.check_kind, "events", write=False)


def test_a_qualified_rule_denies_only_its_group() -> None:
    checker = policy(denied_resources=("events.events.k8s.io",))
    assert "--denied-resources" in denied(checker.check_kind, "events.v1.events.k8s.io", write=False)
    assert checker.check_kind("events", write=False) == resource("events")


def test_a_rule_that_discovery_does_not_know_still_denies_its_literal_name() -> None:
    checker = policy(denied_resources=("widgets.example.com",))
    assert checker.denied_pairs == frozenset()
    widget = _r("widgets", "wd", "example.com/v1", "Widget", True)
    assert "--denied-resources" in denied(checker.check_resource, widget, write=False)
    assert "--denied-resources" in denied(checker.check_kind, "widget.example.com", write=False)


def test_rebinding_after_rediscovery_picks_up_new_types() -> None:
    checker = policy(denied_resources=("wd",))
    widget = _r("widgets", "wd", "example.com/v1", "Widget", True)
    checker.bind_resources([*RESOURCES, widget])
    assert checker.denied_pairs == {("example.com", "widgets")}
    assert "--denied-resources" in denied(checker.check_kind, "Widget", write=False)


def test_an_unknown_type_passes_reads_but_not_writes_under_an_allow_list() -> None:
    assert policy().check_kind("gizmos", write=True) is None
    checker = policy(allowed_namespaces=frozenset({"team-a"}))
    assert checker.check_kind("gizmos", write=False) is None
    assert "scope cannot be checked" in denied(checker.check_kind, "gizmos", write=True)


# --- namespaces -----------------------------------------------------------------------

NAMESPACE_CASES = [
    # allowed, denied, namespace, refused-by
    (None, set(), "anything", None),
    ({"team-a", "team-b"}, set(), "team-a", None),
    ({"team-a", "team-b"}, set(), "team-c", "--allowed-namespaces"),
    ({"team-a"}, set(), "Team-A", "--allowed-namespaces"),
    (None, {"kube-system"}, "kube-system", "--denied-namespaces"),
    (None, {"kube-system"}, "KUBE-SYSTEM", "--denied-namespaces"),
    (None, {"kube-system"}, "default", None),
    ({"team-a", "kube-system"}, {"kube-system"}, "kube-system", "--denied-namespaces"),
    (set(), set(), "default", "--allowed-namespaces"),
]


@pytest.mark.parametrize(("allowed", "denied_set", "namespace", "rule"), NAMESPACE_CASES)
def test_namespace_rules(allowed: set[str] | None, denied_set: set[str], namespace: str, rule: str | None) -> None:
    checker = policy(
        allowed_namespaces=None if allowed is None else frozenset(allowed), denied_namespaces=frozenset(denied_set)
    )
    if rule is None:
        checker.check_namespace(namespace)
        assert checker.namespace_allowed(namespace)
    else:
        assert rule in denied(checker.check_namespace, namespace)
        assert not checker.namespace_allowed(namespace)


def test_all_namespaces_is_refused_while_a_namespace_rule_is_set() -> None:
    policy().check_all_namespaces()
    assert "--allowed-namespaces" in denied(policy(allowed_namespaces=frozenset({"a"})).check_all_namespaces)
    assert "--denied-namespaces" in denied(policy(denied_namespaces=frozenset({"b"})).check_all_namespaces)


def test_the_allow_list_message_names_the_allowed_namespaces() -> None:
    message = denied(policy(allowed_namespaces=frozenset({"b", "a"})).check_namespace, "c")
    assert "(allowed: a, b)" in message


# --- writes ---------------------------------------------------------------------------

ALLOW = frozenset({"team-a"})


@pytest.mark.parametrize("spelling", ["namespaces", "nodes", "clusterroles", "clusterrolebindings", "crd"])
def test_cluster_scoped_writes_are_refused_under_an_allow_list_but_reads_pass(spelling: str) -> None:
    checker = policy(allowed_namespaces=ALLOW)
    checker.check_resource(resource(spelling), write=False)
    assert "cluster-scoped" in denied(checker.check_resource, resource(spelling), write=True)
    policy().check_resource(resource(spelling), write=True)


@pytest.mark.parametrize(
    ("namespace", "default_namespace", "refused"),
    [
        ("team-a", "default", False),
        (None, "team-a", False),
        (None, "default", True),  # no metadata.namespace: lands in the default, which is not allowed
        ("kube-system", "team-a", True),
    ],
)
def test_manifest_documents_land_in_the_default_namespace(
    namespace: str | None, default_namespace: str, refused: bool
) -> None:
    checker = policy(allowed_namespaces=ALLOW)
    if refused:
        assert "--allowed-namespaces" in denied(
            checker.check_write_target, resource("configmaps"), namespace, default_namespace
        )
    else:
        checker.check_write_target(resource("configmaps"), namespace, default_namespace)


def test_writing_a_denied_namespace_object_is_refused() -> None:
    checker = policy(denied_namespaces=frozenset({"kube-system"}))
    assert "--denied-namespaces" in denied(
        checker.check_write_target, resource("namespaces"), None, "default", name="kube-system"
    )
    checker.check_write_target(resource("namespaces"), None, "default", name="scratch")


@pytest.mark.parametrize(
    ("target", "rule"),
    [
        (ManifestTarget("v1", "Secret", "s", "team-a"), "--denied-resources"),
        (ManifestTarget("v1", "secret", "s", "team-a"), "--denied-resources"),
        (ManifestTarget("v1", "ConfigMap", "c", "kube-system"), "--allowed-namespaces"),
        (ManifestTarget("v1", "ConfigMap", "c", None), "--allowed-namespaces"),
        (ManifestTarget("rbac.authorization.k8s.io/v1", "ClusterRoleBinding", "x", None), "cluster-scoped"),
        (ManifestTarget("example.com/v1", "Gizmo", "g", "team-a"), "scope cannot be checked"),
    ],
)
def test_manifest_targets_are_checked_through_discovery(target: ManifestTarget, rule: str) -> None:
    checker = policy(allowed_namespaces=ALLOW, denied_resources=("secrets",))
    assert rule in denied(checker.check_manifest_target, target, "default")


def test_an_allowed_manifest_target_returns_its_type() -> None:
    checker = policy(allowed_namespaces=ALLOW, denied_resources=("secrets",))
    target = ManifestTarget("apps/v1", "Deployment", "web", None)
    assert checker.check_manifest_target(target, "team-a") == resource("deployments.apps")


# --- contexts -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("context", "current", "allowed", "expected"),
    [
        (None, "prod", set(), None),
        ("prod", "prod", set(), "prod"),
        ("staging", "prod", {"staging"}, "staging"),
        ("staging", None, {"staging"}, "staging"),
    ],
)
def test_allowed_contexts(context: str | None, current: str | None, allowed: set[str], expected: str | None) -> None:
    assert policy(allowed_contexts=frozenset(allowed)).check_context(context, current=current) == expected


@pytest.mark.parametrize(("context", "allowed"), [("admin", set()), ("admin", {"staging"}), ("Staging", {"staging"})])
def test_a_context_outside_the_allow_list_is_refused(context: str, allowed: set[str]) -> None:
    message = denied(policy(allowed_contexts=frozenset(allowed)).check_context, context, current="prod")
    assert "--allowed-contexts" in message and "prod" in message


def test_a_list_hiding_a_denied_kind_is_refused_item_by_item() -> None:
    from mcp_kubectl.manifests import parse_manifest

    text = """\
apiVersion: v1
kind: List
items:
- {apiVersion: v1, kind: ConfigMap, metadata: {name: innocent, namespace: team-a}}
- apiVersion: v1
  kind: List
  items:
  - {apiVersion: v1, kind: Secret, metadata: {name: hidden, namespace: team-a}, stringData: {a: b}}
"""
    manifest = parse_manifest(text, max_bytes=1 << 20, max_documents=50)
    checker = policy(allowed_namespaces=ALLOW, denied_resources=("secret",))
    first, second = manifest.targets()
    assert checker.check_manifest_target(first, "team-a") == resource("configmaps")
    assert "--denied-resources" in denied(checker.check_manifest_target, second, "team-a")
