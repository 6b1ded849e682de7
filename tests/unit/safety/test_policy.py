"""The safety policy through the one call the server makes: `Policy.authorize(Request(...))`.

Each table row is a request (the attributes the API server's authorizers see), the flags, and
the rule that must refuse it (None: allowed). Every row asserts both ways, so breaking any rule
fails a row: a refusal names its flag, an allowed request passes.
"""

from __future__ import annotations

import pytest

from mcp_kubectl.safety.describe_requests import describe_requests
from mcp_kubectl.cluster.discovery import ApiResource, resolve_kind
from mcp_kubectl.errors import PolicyDenied, SetupError
from mcp_kubectl.safety.policy import DenyRule, Policy, Request
from mcp_kubectl.settings import Settings

_RW = ("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch")


def _r(name: str, short: str, api_version: str, kind: str, namespaced: bool, singular: str = "") -> ApiResource:
    group, _, version = api_version.rpartition("/")
    return ApiResource(name, tuple(s for s in short.split(",") if s), group, version, kind, namespaced, _RW, (), singular)


# A realistic slice of discovery, including look-alikes of Secret and a CRD whose singular is not its Kind.
RESOURCES = [
    _r("configmaps", "cm", "v1", "ConfigMap", True, "configmap"),
    _r("events", "ev", "v1", "Event", True, "event"),
    _r("namespaces", "ns", "v1", "Namespace", False, "namespace"),
    _r("nodes", "no", "v1", "Node", False, "node"),
    _r("pods", "po", "v1", "Pod", True, "pod"),
    _r("secrets", "", "v1", "Secret", True, "secret"),
    _r("services", "svc", "v1", "Service", True, "service"),
    _r("serviceaccounts", "sa", "v1", "ServiceAccount", True, "serviceaccount"),
    _r("persistentvolumes", "pv", "v1", "PersistentVolume", False, "persistentvolume"),
    _r("resourcequotas", "quota", "v1", "ResourceQuota", True, "resourcequota"),
    _r("limitranges", "limits", "v1", "LimitRange", True, "limitrange"),
    _r("customresourcedefinitions", "crd,crds", "apiextensions.k8s.io/v1", "CustomResourceDefinition", False),
    _r("deployments", "deploy", "apps/v1", "Deployment", True, "deployment"),
    _r("replicasets", "rs", "apps/v1", "ReplicaSet", True, "replicaset"),
    _r("events", "ev", "events.k8s.io/v1", "Event", True),
    _r("clusterrolebindings", "", "rbac.authorization.k8s.io/v1", "ClusterRoleBinding", False),
    _r("clusterroles", "", "rbac.authorization.k8s.io/v1", "ClusterRole", False),
    _r("rolebindings", "", "rbac.authorization.k8s.io/v1", "RoleBinding", True),
    _r("validatingwebhookconfigurations", "", "admissionregistration.k8s.io/v1", "ValidatingWebhookConfiguration", False),
    _r("sealedsecrets", "", "bitnami.com/v1alpha1", "SealedSecret", True),
    _r("widgets", "wdg", "example.com/v1", "Widget", True, "gadget"),
]


def res(spelling: str) -> ApiResource:
    found = resolve_kind(spelling, RESOURCES)
    assert found is not None, spelling
    return found


def policy(**settings: object) -> Policy:
    return Policy.from_settings(Settings(**settings))  # type: ignore[arg-type]


def refusal(checker: Policy, request: Request) -> str | None:
    """The refusal's text, or None when the request is allowed (and `allows` must agree)."""
    try:
        checker.authorize(request)
    except PolicyDenied as error:
        assert not checker.allows(request)
        return error.message
    assert checker.allows(request)
    return None


ALLOW = {"allowed_namespaces": frozenset({"team-a", "team-b"})}
DENY = {"denied_namespaces": frozenset({"kube-system"})}
SECRETS = {"denied_resources": ("secrets",)}


def R(verb: str, spelling: str, namespace: str = "", name: str = "", subresource: str = "") -> Request:
    return Request(verb, res(spelling), namespace, name, subresource)


# (id, flags, request, substrings of the refusal or None when allowed)
CASES = [
    # --- no rules: everything passes
    ("open-get", {}, R("get", "secrets", "kube-system", "x"), None),
    ("open-all-namespaces", {}, R("list", "pods"), None),
    ("open-cluster-write", {}, R("delete", "crd", name="widgets.example.com"), None),
    # --- denied types, by every name discovery knows, in every verb, with subresources
    ("secret-get", SECRETS, R("get", "secret", "team-a", "db"), ("--denied-resources", "(secrets)")),
    ("secret-list", SECRETS, R("list", "Secret", "team-a"), ("--denied-resources",)),
    ("secret-create", SECRETS, R("create", "secrets.v1.", "team-a", "x"), ("--denied-resources",)),
    ("secret-lookalike-allowed", SECRETS, R("get", "sealedsecrets", "team-a", "x"), None),
    ("rule-kind", {"denied_resources": ("Secret",)}, R("get", "secrets", "team-a", "x"), ("--denied-resources",)),
    ("rule-upper", {"denied_resources": ("SECRETS",)}, R("get", "secrets", "team-a", "x"), ("--denied-resources",)),
    ("rule-core-group", {"denied_resources": ("secrets.v1.",)}, R("get", "secrets", "team-a", "x"), ("--denied-resources",)),
    ("rule-short-name", {"denied_resources": ("cm",)}, R("list", "configmaps", "team-a"), ("--denied-resources",)),
    ("rule-group", {"denied_resources": ("deployments.apps",)}, R("get", "deploy", "team-a", "web"), ("--denied-resources",)),
    ("rule-version-group", {"denied_resources": ("deployments.v1.apps",)}, R("get", "deploy", "team-a", "web"), ("--denied-resources",)),
    ("rule-other-group", {"denied_resources": ("deployments.extensions",)}, R("get", "deploy", "team-a", "web"), None),
    ("rule-unqualified-every-group", {"denied_resources": ("events",)}, R("list", "events.events.k8s.io", "team-a"), ("--denied-resources",)),
    ("rule-qualified-one-group", {"denied_resources": ("events.events.k8s.io",)}, R("list", "events", "team-a"), None),
    ("rule-singular-from-discovery", {"denied_resources": ("gadget",)}, R("list", "widgets", "team-a"), ("--denied-resources", "(gadget)")),
    ("rule-crd-short-name", {"denied_resources": ("wdg",)}, R("get", "widgets.example.com", "team-a", "w"), ("--denied-resources",)),
    ("rule-wildcard-group", {"denied_resources": ("*.rbac.authorization.k8s.io",)}, R("get", "clusterroles", name="admin"), ("--denied-resources",)),
    ("rule-wildcard-group-other", {"denied_resources": ("*.rbac.authorization.k8s.io",)}, R("get", "configmaps", "team-a", "x"), None),
    ("type-rule-denies-subresource", {"denied_resources": ("pods",)}, R("get", "pods", "team-a", "web", "log"), ("--denied-resources", "pods/log")),
    ("pods-log", {"denied_resources": ("pods/log",)}, R("get", "pods", "team-a", "web", "log"), ("--denied-resources", "(pods/log)")),
    ("pods-log-leaves-pods", {"denied_resources": ("pods/log",)}, R("get", "pods", "team-a", "web"), None),
    ("pods-exec", {"denied_resources": ("pods/exec",)}, R("create", "pods", "team-a", "web", "exec"), ("--denied-resources",)),
    ("pods-exec-leaves-log", {"denied_resources": ("pods/exec",)}, R("get", "pods", "team-a", "web", "log"), None),
    ("deployments-scale", {"denied_resources": ("deployments/scale",)}, R("update", "deploy", "team-a", "web", "scale"), ("--denied-resources",)),
    ("po-log-short-name", {"denied_resources": ("po/log",)}, R("get", "pods", "team-a", "web", "log"), ("--denied-resources",)),
    # --- namespaces
    ("allow-list-in", ALLOW, R("get", "cm", "team-a", "x"), None),
    ("allow-list-out", ALLOW, R("get", "cm", "team-c", "x"), ("--allowed-namespaces", "'team-c'")),
    ("allow-list-case", ALLOW, R("get", "cm", "Team-A", "x"), ("--allowed-namespaces",)),
    ("allow-list-empty", {"allowed_namespaces": frozenset()}, R("get", "cm", "default", "x"), ("--allowed-namespaces", "(none)")),
    ("deny-list-in", DENY, R("list", "pods", "kube-system"), ("--denied-namespaces", "'kube-system'")),
    ("deny-list-upper", DENY, R("list", "pods", "KUBE-SYSTEM"), ("--denied-namespaces",)),
    ("deny-list-other", DENY, R("list", "pods", "default"), None),
    ("deny-wins", {**ALLOW, "denied_namespaces": frozenset({"team-a"})}, R("get", "cm", "team-a", "x"), ("--denied-namespaces",)),
    ("all-namespaces-allow", ALLOW, R("list", "pods"), ("all namespaces", "--allowed-namespaces")),
    ("all-namespaces-deny", DENY, R("list", "events"), ("all namespaces", "--denied-namespaces")),
    ("cluster-scoped-read-under-rules", DENY, R("list", "nodes"), None),
    # --- a Namespace object is governed by its own name (issue 10 item 10)
    ("namespace-object-get-denied", DENY, R("get", "namespaces", name="kube-system"), ("--denied-namespaces", "'kube-system'")),
    ("namespace-object-get-not-allowed", ALLOW, R("get", "ns", name="kube-system"), ("--allowed-namespaces",)),
    ("namespace-object-get-allowed", ALLOW, R("get", "ns", name="team-a"), None),
    ("namespace-list-passes", DENY, R("list", "namespaces"), None),
    # --- cluster-scoped writes under any namespace rule (issue 10 item 3)
    ("crd-delete-deny", DENY, R("delete", "crd", name="widgets.example.com"), ("cluster-scoped", "--denied-namespaces", "--allow-cluster-writes")),
    ("crd-delete-allow", ALLOW, R("delete", "crd", name="widgets.example.com"), ("cluster-scoped", "--allowed-namespaces")),
    ("crb-create-deny", DENY, R("create", "clusterrolebindings", name="x"), ("cluster-scoped", "'x'")),
    ("webhook-patch-deny", DENY, R("patch", "validatingwebhookconfigurations", name="x"), ("cluster-scoped",)),
    ("node-delete-deny", DENY, R("delete", "nodes", name="n1"), ("cluster-scoped",)),
    ("pv-update-deny", DENY, R("update", "pv", name="pv1"), ("cluster-scoped",)),
    ("namespace-create-deny", DENY, R("create", "ns", name="team-z"), ("cluster-scoped",)),
    ("crd-delete-flag", {**DENY, "allow_cluster_writes": True}, R("delete", "crd", name="widgets.example.com"), None),
    ("namespace-create-flag", {**DENY, "allow_cluster_writes": True}, R("create", "ns", name="team-z"), None),
    ("namespace-delete-flag-still-by-name", {**DENY, "allow_cluster_writes": True}, R("delete", "ns", name="kube-system"), ("--denied-namespaces",)),
    ("namespace-delete-flag-allow-list", {**ALLOW, "allow_cluster_writes": True}, R("delete", "ns", name="team-c"), ("--allowed-namespaces",)),
    ("cluster-write-without-rules", {}, R("create", "clusterroles", name="x"), None),
    ("namespaced-write-under-rules", DENY, R("create", "cm", "default", "x"), None),
    ("denied-type-wins-over-flag", {**SECRETS, **DENY, "allow_cluster_writes": True}, R("create", "secrets", "default", "x"), ("--denied-resources",)),
]


@pytest.mark.parametrize(("flags", "request_", "says"), [pytest.param(f, r, s, id=i) for i, f, r, s in CASES])
def test_authorize(flags: dict[str, object], request_: Request, says: tuple[str, ...] | None) -> None:
    message = refusal(policy(**flags), request_)
    if says is None:
        assert message is None, message
    else:
        assert message is not None, f"{request_.describe()} was allowed"
        for words in says:
            assert words in message, (words, message)


# --- rules that could never deny anything are refused at start (issue 10 item 5)

BAD_RULES = [
    ("secret/", "nothing follows"),
    ("pods/logs", "'logs' is not a subresource"),
    ("pods/", "nothing follows"),
    ("*", "must name a group"),
    ("*.", "must name a group"),
    ("pods/*", "is not a subresource"),
    ("secrets.Bad_Group", "is not an API group"),
    ("se crets", "expected a type name"),
    ("-secrets", "expected a type name"),
    ("secrets,", "expected a type name"),
]


@pytest.mark.parametrize(("spelling", "why"), BAD_RULES)
def test_a_rule_that_denies_nothing_stops_the_start(spelling: str, why: str) -> None:
    with pytest.raises(SetupError) as info:
        policy(denied_resources=("configmaps", spelling))
    assert repr(spelling) in info.value.message and why in info.value.message


@pytest.mark.parametrize(
    "spelling",
    ["secrets", "Secret", "secrets.v1.", "*.rbac.authorization.k8s.io", "pods/log", "pods/exec", "deployments.apps/scale", "gadget"],
)
def test_every_accepted_rule_denies_something(spelling: str) -> None:
    checker = policy(denied_resources=(spelling,))
    assert checker.rules_matching_nothing(RESOURCES) == []


def test_a_rule_for_a_type_not_served_yet_is_reported() -> None:
    checker = policy(denied_resources=("secrets", "widgetz"))
    assert [r.spelling for r in checker.rules_matching_nothing(RESOURCES)] == ["widgetz"]


def test_a_rule_reads_singulars_from_discovery_not_from_the_kind() -> None:
    rule = DenyRule.parse("gadget")
    assert rule.matches(res("widgets"))
    guessed = ApiResource("widgets", (), "example.com", "v1", "Widget", True, _RW, ())  # no singular in discovery
    assert not rule.matches(guessed) and DenyRule.parse("widget").matches(guessed)


# --- describe: every request kubectl describe makes is authorized (issue 10 item 4)


def served(group: str, plural: str) -> ApiResource | None:
    return next((r for r in RESOURCES if (r.group, r.name) == (group, plural)), None)


DESCRIBE_CASES = [
    # (flags, described type, namespace, name, refusal words or None, events allowed)
    ({"denied_resources": ("resourcequotas",)}, "namespaces", "", "team-a", ("resourcequotas", "--denied-resources"), None),
    ({"denied_resources": ("limits",)}, "namespaces", "", "team-a", ("limitranges",), None),
    ({"denied_resources": ("rs",)}, "deployments", "team-a", "web", ("replicasets.apps",), True),
    ({"denied_resources": ("endpointslices.discovery.k8s.io",)}, "services", "team-a", "web", ("endpointslices",), True),
    ({"denied_resources": ("secrets",)}, "serviceaccounts", "team-a", "default", ("secrets",), True),
    (DENY, "nodes", "", "n1", ("all namespaces",), False),
    ({"denied_namespaces": frozenset({"kube-node-lease"})}, "nodes", "", "n1", ("all namespaces",), False),
    ({"denied_resources": ("events",)}, "pods", "team-a", "web", None, False),
    (DENY, "pods", "default", "web", None, True),
    (DENY, "persistentvolumes", "", "pv1", None, False),  # a cluster-scoped object's events span every namespace
    ({}, "nodes", "", "n1", None, True),
    ({"denied_resources": ("events",)}, "namespaces", "", "team-a", None, None),
]


@pytest.mark.parametrize(("flags", "kind", "namespace", "name", "says", "events"), DESCRIBE_CASES)
def test_describe_requests_are_each_authorized(
    flags: dict[str, object], kind: str, namespace: str, name: str, says: tuple[str, ...] | None, events: bool | None
) -> None:
    checker = policy(**flags)
    planned = describe_requests(res(kind), namespace, name, served)
    refusals = [m for m in (refusal(checker, r) for r in planned.required) if m]
    if says is None:
        assert refusals == []
    else:
        assert refusals, "describe would have been allowed"
        assert all(words in refusals[0] for words in says), refusals
    if events is None:
        assert planned.events is None
    else:
        assert planned.events is not None and checker.allows(planned.events) is events


def test_a_node_describe_asks_for_pods_everywhere_and_its_lease() -> None:
    planned = describe_requests(res("nodes"), "", "n1", served)
    described = {r.describe() for r in planned.required}
    assert "list pods in all namespaces" in described
    assert "get leases.coordination.k8s.io 'n1' in namespace 'kube-node-lease'" in described


# --- contexts ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("context", "current", "allowed", "expected"),
    [
        (None, "prod", set(), None),
        ("", "prod", set(), None),
        ("prod", "prod", set(), "prod"),
        ("staging", "prod", {"staging"}, "staging"),
        ("staging", None, {"staging"}, "staging"),
    ],
)
def test_allowed_contexts(context: str | None, current: str | None, allowed: set[str], expected: str | None) -> None:
    assert policy(allowed_contexts=frozenset(allowed)).check_context(context, current=current) == expected


@pytest.mark.parametrize(("context", "allowed"), [("admin", set()), ("admin", {"staging"}), ("Staging", {"staging"})])
def test_a_context_outside_the_allow_list_is_refused(context: str, allowed: set[str]) -> None:
    with pytest.raises(PolicyDenied) as info:
        policy(allowed_contexts=frozenset(allowed)).check_context(context, current="prod")
    assert "--allowed-contexts" in info.value.message and "prod" in info.value.message


# Written out, not read from policy.KNOWN_SUBRESOURCES (found by the mutation check: dropping one failed no test).
SUBRESOURCES = ("approval", "attach", "binding", "ephemeralcontainers", "eviction", "exec", "finalize", "log",
                "portforward", "proxy", "resize", "scale", "status", "token")


def test_a_rule_may_name_every_subresource_kubernetes_serves() -> None:
    refused = []
    for subresource in SUBRESOURCES:
        try:
            DenyRule.parse(f"pods/{subresource}")
        except SetupError:
            refused.append(subresource)
    assert refused == []
    with pytest.raises(SetupError):
        DenyRule.parse("pods/logs")  # not a subresource: a typo that would deny nothing


# What kubectl describe requests for each type (tests/integration/test_adversarial.py checks this table against
# what kubectl really sends); here, the requests the server authorizes, read without discovery (the
# stand-in types) so that scope, verb, name and events are all visible in one line each.
DESCRIBED = {
    ("", "namespaces", "Namespace", False): (("list resourcequotas in namespace 'web'", "list limitranges in namespace 'web'"), None),
    ("", "nodes", "Node", False): (("list pods in all namespaces", "get leases.coordination.k8s.io 'web' in namespace 'kube-node-lease'",
                                    "list resourceslices.resource.k8s.io"), "list events in all namespaces"),
    ("", "services", "Service", True): (("get endpoints 'web' in namespace 'team-a'", "list endpointslices.discovery.k8s.io in namespace 'team-a'"),
                                        "list events in namespace 'team-a'"),
    ("", "serviceaccounts", "ServiceAccount", True): (("list secrets in namespace 'team-a'",), "list events in namespace 'team-a'"),
    ("", "persistentvolumeclaims", "PersistentVolumeClaim", True): (("list pods in namespace 'team-a'",), "list events in namespace 'team-a'"),
    ("", "replicationcontrollers", "ReplicationController", True): (("list pods in namespace 'team-a'",), "list events in namespace 'team-a'"),
    ("apps", "deployments", "Deployment", True): (("list replicasets.apps in namespace 'team-a'",), "list events in namespace 'team-a'"),
    ("apps", "replicasets", "ReplicaSet", True): (("list pods in namespace 'team-a'",), "list events in namespace 'team-a'"),
    ("apps", "statefulsets", "StatefulSet", True): (("list pods in namespace 'team-a'",), "list events in namespace 'team-a'"),
    ("apps", "daemonsets", "DaemonSet", True): (("list pods in namespace 'team-a'",), "list events in namespace 'team-a'"),
    ("batch", "cronjobs", "CronJob", True): (("list jobs.batch in namespace 'team-a'",), "list events in namespace 'team-a'"),
    ("networking.k8s.io", "ingresses", "Ingress", True): (
        ("get services in namespace 'team-a'", "get endpoints 'web' in namespace 'team-a'",
         "list endpointslices.discovery.k8s.io in namespace 'team-a'"), "list events in namespace 'team-a'"),
    ("", "secrets", "Secret", True): ((), None),
    ("", "resourcequotas", "ResourceQuota", True): ((), None),
    ("", "limitranges", "LimitRange", True): ((), None),
    ("networking.k8s.io", "networkpolicies", "NetworkPolicy", True): ((), None),
    ("rbac.authorization.k8s.io", "roles", "Role", True): ((), None),
    ("rbac.authorization.k8s.io", "rolebindings", "RoleBinding", True): ((), None),
    ("rbac.authorization.k8s.io", "clusterroles", "ClusterRole", False): ((), None),
    ("rbac.authorization.k8s.io", "clusterrolebindings", "ClusterRoleBinding", False): ((), None),
    ("", "pods", "Pod", True): ((), "list events in namespace 'team-a'"),
}


@pytest.mark.parametrize(("group", "plural", "kind", "namespaced"), list(DESCRIBED), ids=lambda v: str(v) or "core")
def test_describe_plans_the_requests_kubectl_makes_for_each_type(group: str, plural: str, kind: str, namespaced: bool) -> None:
    related, events = DESCRIBED[(group, plural, kind, namespaced)]
    resource = ApiResource(plural, (), group, "v1", kind, namespaced, _RW, ())
    planned = describe_requests(resource, "team-a" if namespaced else "", "web", lambda g, p: None)
    described = f"{plural}.{group}" if group else plural
    assert [r.describe() for r in planned.required] == [
        f"get {described} 'web'" + (" in namespace 'team-a'" if namespaced else ""), *related
    ]
    assert (planned.events.describe() if planned.events else None) == events


def test_a_describe_plan_refuses_a_denied_object_itself() -> None:
    """The plan authorizes its own GET too, not only the related requests (the tool's locate does as well)."""
    planned = describe_requests(res("secrets"), "team-a", "db", served)
    with pytest.raises(PolicyDenied, match="denied by --denied-resources"):
        planned.authorize(policy(denied_resources=("secrets",)))
    with pytest.raises(PolicyDenied, match="not in --allowed-namespaces"):
        describe_requests(res("pods"), "team-b", "web", served).authorize(policy(allowed_namespaces=frozenset({"team-a"})))
    assert describe_requests(res("pods"), "team-a", "web", served).authorize(policy(allowed_namespaces=frozenset({"team-a"}))) is True
