"""The server's safety policy, enforced in one place.

Every check raises `PolicyDenied` naming the rule (the command-line flag) that refused.
Rules:
- namespaces: `--denied-namespaces` always wins; while `--allowed-namespaces` is set,
  only those namespaces are reachable, listing across all namespaces is refused, and
  writes to cluster-scoped resources are refused (they reach beyond the namespaces).
  Listing across all namespaces is refused while a deny-list is set too: `-A` would
  return the denied namespaces' objects.
- resource types: `--denied-resources` spellings are resolved through discovery and
  compared as (group, plural) pairs, never as strings. An unqualified spelling
  (`secrets`, `Secret`, `sec`) denies that name in every API group; a qualified one
  (`secrets.v1.`, `clusterrolebindings.rbac.authorization.k8s.io`) denies that group's.
  Each spelling also denies its literal name (matched against every name form of a
  resource, case-insensitively), so a failed or stale discovery never opens the door.
- contexts: a call may name only the server's own context or one in `--allowed-contexts`.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass

from mcp_kubectl.discovery import ApiResource, resolve_kind
from mcp_kubectl.errors import PolicyDenied
from mcp_kubectl.manifests import ManifestTarget
from mcp_kubectl.settings import Settings

_VERSION = re.compile(r"^v[0-9]+(?:(?:alpha|beta)[0-9]+)?$")


@dataclass(frozen=True)
class _DenyRule:
    """One `--denied-resources` spelling, read literally: a name in some group(s)."""

    spelling: str
    name: str  # lower-cased first segment: plural, singular, Kind or short name
    groups: frozenset[str] | None  # None: any group

    @classmethod
    def parse(cls, spelling: str) -> _DenyRule:
        base, dot, rest = spelling.strip().partition(".")
        if not dot:
            return cls(spelling, base.lower(), None)
        # `name.group` or `name.version.group` (`secrets.v1.` is the core group):
        # keep both readings, the stricter union is what we deny.
        groups = {rest.lower()}
        version, _, group = rest.partition(".")
        if _VERSION.match(version):
            groups.add(group.lower())
        return cls(spelling, base.lower(), frozenset(groups))

    def matches(self, resource: ApiResource) -> bool:
        names = {resource.name.lower(), resource.singular, resource.kind.lower()}
        names.update(short.lower() for short in resource.short_names)
        if self.name not in names:
            return False
        return self.groups is None or resource.group.lower() in self.groups


class Policy:
    """Answers "may this call proceed?"; each `check_*` returns quietly or raises `PolicyDenied`."""

    def __init__(
        self,
        *,
        allowed_namespaces: frozenset[str] | None = None,
        denied_namespaces: frozenset[str] = frozenset(),
        denied_resources: Iterable[str] = (),
        allowed_contexts: frozenset[str] = frozenset(),
    ) -> None:
        self.allowed_namespaces = allowed_namespaces
        self.denied_namespaces = frozenset(n.lower() for n in denied_namespaces)
        self.allowed_contexts = frozenset(allowed_contexts)
        self._rules = tuple(_DenyRule.parse(s) for s in denied_resources if s.strip())
        self._lock = threading.Lock()
        self._resources: tuple[ApiResource, ...] = ()
        self._denied_pairs: frozenset[tuple[str, str]] = frozenset()

    @classmethod
    def from_settings(cls, settings: Settings) -> Policy:
        """The policy the operator's flags describe; call `bind_resources` once discovery is known."""
        return cls(
            allowed_namespaces=settings.allowed_namespaces,
            denied_namespaces=settings.denied_namespaces,
            denied_resources=settings.denied_resources,
            allowed_contexts=settings.allowed_contexts,
        )

    # --- discovery -------------------------------------------------------------------

    def bind_resources(self, resources: Iterable[ApiResource]) -> None:
        """Resolve the denied spellings against the cluster's types (call again after rediscovery)."""
        resources = tuple(resources)
        pairs: set[tuple[str, str]] = set()
        for rule in self._rules:
            resolved = resolve_kind(rule.spelling, resources)
            if resolved is not None:
                pairs.add((resolved.group, resolved.name))
            # Unqualified spellings deny the name in every group (kubectl resolves only one).
            pairs.update((r.group, r.name) for r in resources if rule.matches(r))
        with self._lock:
            self._resources = resources
            self._denied_pairs = frozenset(pairs)

    @property
    def denied_pairs(self) -> frozenset[tuple[str, str]]:
        """The resolved (group, plural) pairs denied, for tests and `check` output."""
        return self._denied_pairs

    # --- namespaces ------------------------------------------------------------------

    def namespace_allowed(self, namespace: str) -> bool:
        """Whether a namespace passes both namespace rules (for filtering, not refusing)."""
        if namespace.lower() in self.denied_namespaces:
            return False
        return self.allowed_namespaces is None or namespace in self.allowed_namespaces

    def check_namespace(self, namespace: str) -> None:
        """Every read and write names its namespace here; the deny-list wins over the allow-list."""
        if namespace.lower() in self.denied_namespaces:
            raise PolicyDenied(f"namespace {namespace!r} is denied by --denied-namespaces")
        if self.allowed_namespaces is not None and namespace not in self.allowed_namespaces:
            allowed = ", ".join(sorted(self.allowed_namespaces)) or "(none)"
            raise PolicyDenied(f"namespace {namespace!r} is not in --allowed-namespaces (allowed: {allowed})")

    def check_all_namespaces(self) -> None:
        """`-A` would reach namespaces the rules keep out, so it needs no rule to be set."""
        if self.allowed_namespaces is not None:
            raise PolicyDenied(
                "listing across all namespaces is refused while --allowed-namespaces is set",
                hint="Name one of the allowed namespaces instead.",
            )
        if self.denied_namespaces:
            raise PolicyDenied(
                "listing across all namespaces is refused while --denied-namespaces is set",
                hint="Name a namespace instead.",
            )

    # --- resource types --------------------------------------------------------------

    def check_resource(self, resource: ApiResource, *, write: bool) -> None:
        """Refuse denied types, and cluster-scoped writes while an allow-list is set."""
        denied = (resource.group, resource.name) in self._denied_pairs
        rule = next((r for r in self._rules if r.matches(resource)), None)
        if denied or rule is not None:
            spelling = rule.spelling if rule is not None else resource.qualified_name
            raise PolicyDenied(
                f"resource type {resource.qualified_name!r} is denied by --denied-resources ({spelling})"
            )
        if write and not resource.namespaced and self.allowed_namespaces is not None:
            raise PolicyDenied(
                f"writing the cluster-scoped resource type {resource.qualified_name!r} is refused "
                "while --allowed-namespaces is set"
            )

    def check_kind(self, kind: str, *, write: bool) -> ApiResource | None:
        """Check a type argument as the model spelled it; returns the resolved type, if any.

        When discovery does not know the spelling, the literal deny rules still apply, and a
        write is refused while an allow-list is set (its scope cannot be told).
        """
        resource = resolve_kind(kind, self._resources)
        if resource is not None:
            self.check_resource(resource, write=write)
            return resource
        base = kind.strip().partition(".")[0].lower()
        for rule in self._rules:
            if _same_name(rule.name, base):
                raise PolicyDenied(f"resource type {kind!r} is denied by --denied-resources ({rule.spelling})")
        for _, name in self._denied_pairs:
            if _same_name(name, base):
                raise PolicyDenied(f"resource type {kind!r} is denied by --denied-resources")
        if write and self.allowed_namespaces is not None:
            raise PolicyDenied(
                f"resource type {kind!r} is unknown to discovery, so its scope cannot be checked "
                "while --allowed-namespaces is set"
            )
        return None

    # --- writes ----------------------------------------------------------------------

    def check_write_target(
        self,
        resource: ApiResource,
        namespace: str | None,
        default_namespace: str,
        *,
        name: str | None = None,
    ) -> None:
        """Check one object a write would change.

        `default_namespace` is where kubectl puts a namespaced object without one (the `-n`
        the server passes, else its default). `name` lets a write to a Namespace object be
        checked against the namespace rules (deleting a denied namespace is a write into it).
        """
        self.check_resource(resource, write=True)
        if resource.namespaced:
            self.check_namespace(namespace or default_namespace)
        elif name is not None and resource.group == "" and resource.name == "namespaces":
            self.check_namespace(name)

    def check_manifest_target(self, target: ManifestTarget, default_namespace: str) -> ApiResource | None:
        """Check one manifest document, resolving its apiVersion and kind through discovery."""
        resource = self._resource_for(target)
        if resource is None:
            spelling = f"{target.kind}.{target.group}" if target.group else target.kind
            self.check_kind(spelling, write=True)
            self.check_namespace(target.namespace or default_namespace)
            return None
        self.check_write_target(resource, target.namespace, default_namespace, name=target.name)
        return resource

    def _resource_for(self, target: ManifestTarget) -> ApiResource | None:
        group = target.group
        kind = target.kind.lower()
        matches = [r for r in self._resources if r.kind.lower() == kind and r.group == group]
        for resource in matches:
            if resource.version == target.version:
                return resource
        return matches[0] if matches else None

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


def _same_name(a: str, b: str) -> bool:
    """Whether two lower-cased type names are one another's singular or plural (a fallback)."""
    return a == b or b in _plurals(a) or a in _plurals(b)


def _plurals(word: str) -> set[str]:
    forms = {word + "s", word + "es"}
    if word.endswith("y"):
        forms.add(word[:-1] + "ies")
    return forms
