"""Every API request `kubectl describe TYPE/NAME` makes, so that each one is authorized first.

kubectl's describers (k8s.io/kubectl/pkg/describe) fetch more than the described object: a
Namespace's ResourceQuotas and LimitRanges, a Deployment's ReplicaSets, a Node's pods in every
namespace, a Service's EndpointSlices, and the events of almost everything. The table below
lists those related requests per described type (the union over kubectl 1.32 to 1.37, checked
against the requests kubectl sends to the emulator in tests/integration/test_adversarial.py). Any type not
in the table gets kubectl's generic describer: the object and its events.

Events are optional: when the policy refuses them, the server passes `--show-events=false` and
says so, instead of refusing the describe. Every other related request is required: a refusal
names the related type. Events of a cluster-scoped object are listed across all namespaces
(kubectl searches the object's namespace, which is empty), so under a namespace rule they are
left out.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from mcp_kubectl.cluster.discovery import ApiResource
from mcp_kubectl.errors import PolicyDenied
from mcp_kubectl.safety.policy import Policy, Request

_RW = ("get", "list")


@dataclass(frozen=True)
class Related:
    """One type a describer reads besides the object: where (`scope`) and how (`verb`)."""

    group: str
    plural: str
    kind: str
    namespaced: bool
    verb: str = "list"
    scope: str = "object"  # "object": the object's namespace; "all": every namespace; "named": the
    # Namespace being described; otherwise a fixed namespace (a Node's lease in kube-node-lease)
    by_name: bool = False  # a GET of the object's own name (a Service's Endpoints, a Node's Lease)

    def resource(self, served: Callable[[str, str], ApiResource | None]) -> ApiResource:
        """The type as the context's discovery knows it (short names included), else as kubectl names it."""
        found = served(self.group, self.plural)
        if found is not None:
            return found
        return ApiResource(self.plural, (), self.group, "v1", self.kind, self.namespaced, _RW, ())


PODS = Related("", "pods", "Pod", True)
REPLICASETS = Related("apps", "replicasets", "ReplicaSet", True)
ENDPOINTS = Related("", "endpoints", "Endpoints", True, verb="get", by_name=True)
ENDPOINT_SLICES = Related("discovery.k8s.io", "endpointslices", "EndpointSlice", True)
SERVICES = Related("", "services", "Service", True, verb="get")
SECRETS = Related("", "secrets", "Secret", True)

# (group, plural) of the described type -> what its describer reads besides the object and its events.
RELATED: dict[tuple[str, str], tuple[Related, ...]] = {
    ("", "namespaces"): (
        Related("", "resourcequotas", "ResourceQuota", True, scope="named"),
        Related("", "limitranges", "LimitRange", True, scope="named"),
    ),
    ("", "nodes"): (
        Related("", "pods", "Pod", True, scope="all"),
        Related("coordination.k8s.io", "leases", "Lease", True, verb="get", scope="kube-node-lease", by_name=True),
        Related("resource.k8s.io", "resourceslices", "ResourceSlice", False),
    ),
    ("", "services"): (ENDPOINTS, ENDPOINT_SLICES),
    ("", "serviceaccounts"): (SECRETS,),  # kubectl 1.32 lists the namespace's token Secrets
    ("", "persistentvolumeclaims"): (PODS,),
    ("", "replicationcontrollers"): (PODS,),
    ("apps", "deployments"): (REPLICASETS,),
    ("apps", "replicasets"): (PODS,),
    ("apps", "statefulsets"): (PODS,),
    ("apps", "daemonsets"): (PODS,),
    ("batch", "cronjobs"): (Related("batch", "jobs", "Job", True),),
    ("networking.k8s.io", "ingresses"): (SERVICES, ENDPOINTS, ENDPOINT_SLICES),
}

# Describers that print no events (kubectl never lists them for these types).
NO_EVENTS = frozenset(
    {
        ("", "namespaces"), ("", "secrets"), ("", "resourcequotas"), ("", "limitranges"),
        ("rbac.authorization.k8s.io", "roles"), ("rbac.authorization.k8s.io", "clusterroles"),
        ("rbac.authorization.k8s.io", "rolebindings"), ("rbac.authorization.k8s.io", "clusterrolebindings"),
        ("networking.k8s.io", "networkpolicies"),
    }
)  # fmt: skip

EVENTS = Related("", "events", "Event", True)


@dataclass(frozen=True)
class DescribeRequests:
    """The object's own GET, the related requests describe cannot do without, and its events list."""

    required: tuple[Request, ...]
    events: Request | None

    def authorize(self, policy: Policy) -> bool:
        """Authorize every required request (a refusal names the related request); True if events may be listed."""
        described, *related = self.required
        policy.authorize(described)
        for request in related:
            try:
                policy.authorize(request)
            except PolicyDenied as error:
                raise PolicyDenied(
                    f"describing {described.resource.qualified_name} {described.name!r} would make kubectl "
                    f"{request.describe()}, which is refused: {error.message}",
                    hint=error.hint,
                ) from None
        return self.events is not None and policy.allows(self.events)


def describe_requests(
    resource: ApiResource,
    namespace: str,
    name: str,
    served: Callable[[str, str], ApiResource | None],
) -> DescribeRequests:
    """Every request `kubectl describe` makes for one object; `served(group, plural)` looks types up in discovery."""
    required = [Request("get", resource, namespace, name)]
    for related in RELATED.get((resource.group, resource.name), ()):
        if related.scope == "object":
            where = namespace
        elif related.scope == "named":
            where = name
        elif related.scope == "all":
            where = ""
        else:
            where = related.scope
        required.append(
            Request(related.verb, related.resource(served), where if related.namespaced else "", name if related.by_name else "")
        )
    events = None
    if (resource.group, resource.name) not in NO_EVENTS:
        events = Request("list", EVENTS.resource(served), namespace)
    return DescribeRequests(tuple(required), events)
