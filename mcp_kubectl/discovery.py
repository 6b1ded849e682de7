"""What resource types the cluster serves, and how every spelling of one resolves.

The server learns the cluster's types from `kubectl api-resources -o wide` (the one
format both kubectl 1.32 and newer print) and resolves a model's `kind` the way
kubectl's RESTMapper does: plural, singular, short name, Kind, `plural.group`,
`plural.version.group`. Policy checks use the resolved type, so no spelling of a
denied kind gets around them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class ApiResource:
    """One resource type as discovery reports it."""

    name: str  # the plural, e.g. "deployments"
    short_names: tuple[str, ...]
    group: str  # "" for the core group
    version: str
    kind: str
    namespaced: bool
    verbs: tuple[str, ...]
    categories: tuple[str, ...]

    @property
    def api_version(self) -> str:
        return f"{self.group}/{self.version}" if self.group else self.version

    @property
    def singular(self) -> str:
        return self.kind.lower()

    @property
    def qualified_name(self) -> str:
        """`plural.group` (just `plural` for the core group): unambiguous for kubectl."""
        return f"{self.name}.{self.group}" if self.group else self.name

    @property
    def full_name(self) -> str:
        """`plural.version.group`: pins the version too (kubectl accepts it as a type)."""
        return f"{self.name}.{self.version}.{self.group}"

    def to_dict(self) -> dict[str, object]:
        """The shape `get_api_resources` returns."""
        return {
            "name": self.name,
            "shortNames": list(self.short_names),
            "group": self.group,
            "version": self.version,
            "kind": self.kind,
            "namespaced": self.namespaced,
            "verbs": list(self.verbs),
            "categories": list(self.categories),
        }


_COLUMNS = ("NAME", "SHORTNAMES", "APIVERSION", "NAMESPACED", "KIND", "VERBS", "CATEGORIES")


def parse_api_resources_wide(text: str) -> list[ApiResource]:
    """Parse `kubectl api-resources -o wide` output by its header's column positions.

    Columns are padded by kubectl's tabwriter, and SHORTNAMES or CATEGORIES may be
    empty, so splitting on whitespace would misalign rows; the header's offsets do not.
    """
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        return []
    header = lines[0]
    starts = []
    for column in _COLUMNS:
        index = header.find(column)
        if index < 0:
            raise ValueError(f"unexpected api-resources header: {header!r}")
        starts.append(index)
    resources = []
    for line in lines[1:]:
        cells = [
            line[start : (starts[i + 1] if i + 1 < len(starts) else None)].strip()
            for i, start in enumerate(starts)
        ]
        name, short, api_version, namespaced, kind, verbs, categories = cells
        group, _, version = api_version.rpartition("/")
        resources.append(
            ApiResource(
                name=name,
                short_names=tuple(s for s in short.split(",") if s),
                group=group,
                version=version,
                kind=kind,
                namespaced=namespaced.lower() == "true",
                # kubectl 1.32 prints `[get list]`, newer ones `[get,list]`.
                verbs=tuple(verbs.strip("[]").replace(",", " ").split()),
                categories=tuple(c for c in categories.split(",") if c),
            )
        )
    return resources


def resolve_kind(kind: str, resources: Iterable[ApiResource]) -> ApiResource | None:
    """Find the type a kubectl type argument names, as kubectl's RESTMapper would.

    Accepts `pods`, `pod`, `po`, `Pod`, `pods.`, `pods.v1.`, `deployments.apps`,
    `deployments.v1.apps`, `Deployment.apps`. Core-group types win ties, as in kubectl.
    """
    base, dot, rest = kind.strip().partition(".")
    wanted = base.lower()
    candidates = [r for r in resources if wanted in {r.name, r.singular, r.kind.lower(), *r.short_names}]
    if not dot:
        return _prefer(candidates) if candidates else None
    # `name.version.group` first (an empty group, as in `secrets.v1.`, is the core group),
    # then `name.group` (as in `deployments.apps` or `secrets.`).
    version, _, group = rest.partition(".")
    for resource in candidates:
        if resource.version == version and resource.group == group:
            return resource
    grouped = [r for r in candidates if r.group == rest]
    return _prefer(grouped) if grouped else None


def _prefer(matches: list[ApiResource]) -> ApiResource:
    """Core group first, then the first listed (discovery lists preferred versions first)."""
    for resource in matches:
        if resource.group == "":
            return resource
    return matches[0]
