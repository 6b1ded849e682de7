"""The server's safety policy: one stateless decision per API request, on Kubernetes' own attributes.

Every request a tool makes, or makes kubectl make, is described by a `Request`: the attributes
k8s.io/apiserver's authorizers receive (verb, resource type, subresource, namespace, name), with
the type already resolved through the context's discovery. `Policy.authorize` decides from those
attributes and the operator's flags alone; it holds no state learned from any cluster, so the
same request gets the same answer against every context.

Rules, each refusal a `PolicyDenied` naming the flag that refused:
- types: `--denied-resources` rules name a type (plural, singular, Kind or short name, as
  discovery reports them), optionally in a group (`deployments.apps`, `secrets.v1.` for the
  core group) or every type of a group (`*.rbac.authorization.k8s.io`), optionally one
  subresource (`pods/log`, `pods/exec`, `deployments/scale`). A type rule also denies every
  subresource of the type. An unqualified name is denied in every group. A rule that could never
  match a request (`secret/`, `*`, `pods/logs`) is refused at start (`DenyRule.parse`).
- namespaces: `--denied-namespaces` always wins; while `--allowed-namespaces` is set only those
  are reachable. A Namespace object is governed by the rules for its own name: a denied
  namespace's object is as unreachable as its contents. A request across every namespace (`-A`)
  is refused while either rule is set.
- cluster-scoped writes: while either namespace rule is set, writing a cluster-scoped type
  (a CRD, a webhook configuration, a ClusterRoleBinding, a Node, a Namespace) is refused unless
  `--allow-cluster-writes` says so: such writes reach into every namespace.
- contexts: a call may name only the server's own context or one in `--allowed-contexts`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from mcp_kubectl.cluster.discovery import ApiResource
from mcp_kubectl.errors import PolicyDenied, SetupError
from mcp_kubectl.settings import Settings

READ_VERBS = frozenset({"get", "list", "watch"})
WRITE_VERBS = frozenset({"create", "update", "patch", "delete", "deletecollection"})

# The subresources Kubernetes' built-in types serve (and CRDs may: status, scale). A rule naming
# another would deny nothing, so it is refused at start.
KNOWN_SUBRESOURCES = frozenset(
    {
        "approval", "attach", "binding", "ephemeralcontainers", "eviction", "exec", "finalize",
        "log", "portforward", "proxy", "resize", "scale", "status", "token",
    }
)  # fmt: skip

_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9-]*$")
_VERSION = re.compile(r"^v[0-9]+(?:(?:alpha|beta)[0-9]+)?$")
_GROUP = re.compile(r"^(?:[a-z0-9]([-a-z0-9]*[a-z0-9])?(?:\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*)?$")


@dataclass(frozen=True)
class Request:
    """One API request, as the API server's authorizers see it (`authorizer.Attributes`).

    `namespace` is "" for a cluster-scoped type, and for a namespaced type it means every
    namespace (`-A`). `resource` is the type as the context's discovery resolved it.
    """

    verb: str
    resource: ApiResource
    namespace: str = ""
    name: str = ""
    subresource: str = ""

    @property
    def is_write(self) -> bool:
        return self.verb in WRITE_VERBS

    def describe(self) -> str:
        """How a refusal names the request: `list pods in all namespaces`, `get namespaces/kube-system`."""
        what = self.resource.qualified_name + (f"/{self.subresource}" if self.subresource else "")
        if self.name:
            what += f" {self.name!r}"
        if self.resource.namespaced:
            what += f" in namespace {self.namespace!r}" if self.namespace else " in all namespaces"
        return f"{self.verb} {what}"


@dataclass(frozen=True)
class DenyRule:
    """One `--denied-resources` rule: a type name (or `*`) in some group(s), maybe one subresource."""

    spelling: str
    name: str  # lower-cased plural, singular, Kind or short name; "*" for every type of the group
    groups: frozenset[str] | None  # None: any group
    subresource: str  # "": the type and all its subresources

    @classmethod
    def parse(cls, spelling: str) -> DenyRule:
        """Read a rule, or refuse one that could never match a request (raises `SetupError`)."""
        text = spelling.strip()
        type_part, slash, subresource = text.partition("/")
        if slash and subresource not in KNOWN_SUBRESOURCES:
            raise _bad_rule(spelling, f"{subresource!r} is not a subresource Kubernetes serves" if subresource else "nothing follows '/'")
        base, dot, rest = type_part.partition(".")
        if base == "*":
            if not dot or not rest:
                raise _bad_rule(spelling, "a wildcard must name a group, as in *.rbac.authorization.k8s.io")
        elif not _NAME.match(base):
            raise _bad_rule(spelling, "expected a type name such as secrets, Secret, deploy or deployments.apps")
        if not dot:
            return cls(spelling, base.lower(), None, subresource)
        # `name.group` or `name.version.group` (`secrets.v1.` is the core group): deny both readings.
        version, _, group = rest.partition(".")
        groups = {rest.lower()} if _GROUP.match(rest.lower()) else set()
        if _VERSION.match(version) and _GROUP.match(group.lower()):
            groups.add(group.lower())
        if not groups:
            raise _bad_rule(spelling, f"{rest!r} is not an API group")
        return cls(spelling, base.lower(), frozenset(groups), subresource)

    def matches(self, resource: ApiResource, subresource: str = "") -> bool:
        """Whether this rule denies a request for this type (and subresource)."""
        if self.subresource and self.subresource != subresource:
            return False
        if self.groups is not None and resource.group.lower() not in self.groups:
            return False
        return self.name == "*" or self.name in resource.names


def _bad_rule(spelling: str, why: str) -> SetupError:
    return SetupError(
        f"--denied-resources rule {spelling!r} would deny nothing: {why}",
        hint="Write TYPE, TYPE.GROUP, *.GROUP, optionally /SUBRESOURCE (e.g. secrets, pods/log, *.rbac.authorization.k8s.io).",
    )


class Policy:
    """The operator's rules, decided once at start; `authorize` answers for one request at a time."""

    def __init__(
        self,
        *,
        allowed_namespaces: frozenset[str] | None = None,
        denied_namespaces: frozenset[str] = frozenset(),
        denied_resources: Iterable[str] = (),
        allowed_contexts: frozenset[str] = frozenset(),
        allow_cluster_writes: bool = False,
    ) -> None:
        self.allowed_namespaces = allowed_namespaces
        self.denied_namespaces = frozenset(n.lower() for n in denied_namespaces)
        self.allowed_contexts = frozenset(allowed_contexts)
        self.allow_cluster_writes = allow_cluster_writes
        self.rules = tuple(DenyRule.parse(s) for s in denied_resources if s.strip())

    @classmethod
    def from_settings(cls, settings: Settings) -> Policy:
        """The policy the operator's flags describe; raises `SetupError` naming a rule that denies nothing."""
        return cls(
            allowed_namespaces=settings.allowed_namespaces,
            denied_namespaces=settings.denied_namespaces,
            denied_resources=settings.denied_resources,
            allowed_contexts=settings.allowed_contexts,
            allow_cluster_writes=settings.allow_cluster_writes,
        )

    @property
    def namespace_rules(self) -> bool:
        """Whether any namespace rule is set (then `-A` and cluster-scoped writes reach past it)."""
        return self.allowed_namespaces is not None or bool(self.denied_namespaces)

    # --- the decision ----------------------------------------------------------------

    def authorize(self, request: Request) -> None:
        """Return quietly if the request may reach the API server, else raise `PolicyDenied`."""
        resource = request.resource
        rule = self.rule_denying(resource, request.subresource)
        if rule is not None:
            what = resource.qualified_name + (f"/{request.subresource}" if request.subresource else "")
            raise PolicyDenied(f"resource type {what!r} is denied by --denied-resources ({rule.spelling})")
        if request.is_write and not resource.namespaced and self.namespace_rules and not self.allow_cluster_writes:
            flag = "--allowed-namespaces" if self.allowed_namespaces is not None else "--denied-namespaces"
            target = f"{resource.qualified_name} {request.name!r}" if request.name else resource.qualified_name
            raise PolicyDenied(
                f"writing the cluster-scoped {target} is refused while {flag} is set: "
                "cluster-scoped objects reach into every namespace (the operator can allow it: --allow-cluster-writes)",
                hint="Change namespaced objects instead, or ask the operator.",
            )
        if is_namespace_type(resource) and request.name:
            self.check_namespace(request.name)  # a Namespace object is governed by its own name
        if resource.namespaced:
            if request.namespace:
                self.check_namespace(request.namespace)
            else:
                self._check_all_namespaces(request)

    def allows(self, request: Request) -> bool:
        """`authorize` as a yes/no, for filtering what a list shows."""
        try:
            self.authorize(request)
        except PolicyDenied:
            return False
        return True

    def rule_denying(self, resource: ApiResource, subresource: str = "") -> DenyRule | None:
        """The first `--denied-resources` rule that denies this type (and subresource), if any."""
        return next((r for r in self.rules if r.matches(resource, subresource)), None)

    def rules_matching_nothing(self, resources: Iterable[ApiResource]) -> list[DenyRule]:
        """Rules that deny no type among these (for `check`: a typo, or a type not yet served)."""
        resources = tuple(resources)
        return [r for r in self.rules if not any(r.matches(res, r.subresource) for res in resources)]

    def check_namespace(self, namespace: str) -> None:
        """The deny-list wins over the allow-list; names compare as the API server would (exactly)."""
        if namespace.lower() in self.denied_namespaces:
            raise PolicyDenied(f"namespace {namespace!r} is denied by --denied-namespaces")
        if self.allowed_namespaces is not None and namespace not in self.allowed_namespaces:
            allowed = ", ".join(sorted(self.allowed_namespaces)) or "(none)"
            raise PolicyDenied(f"namespace {namespace!r} is not in --allowed-namespaces (allowed: {allowed})")

    def _check_all_namespaces(self, request: Request) -> None:
        what = f"{request.verb} {request.resource.qualified_name} across all namespaces"
        if self.allowed_namespaces is not None:
            raise PolicyDenied(
                f"{what} is refused while --allowed-namespaces is set",
                hint="Name one of the allowed namespaces instead.",
            )
        if self.denied_namespaces:
            raise PolicyDenied(f"{what} is refused while --denied-namespaces is set", hint="Name a namespace instead.")

    # --- contexts --------------------------------------------------------------------

    def check_context(self, context: str | None, *, current: str | None) -> str | None:
        """The context to pass to kubectl: None (the server's own), or an allowed one."""
        if context is None or context == "" or context == current:
            return context or None
        if context in self.allowed_contexts:
            return context
        allowed = ", ".join(sorted(self.allowed_contexts | ({current} if current else set())))
        raise PolicyDenied(
            f"context {context!r} is not in --allowed-contexts (allowed: {allowed or 'only the default'})"
        )


def is_namespace_type(resource: ApiResource) -> bool:
    """The core Namespace type, whose objects the namespace rules govern by name."""
    return resource.group == "" and resource.name == "namespaces"
