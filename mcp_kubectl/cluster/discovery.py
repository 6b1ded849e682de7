"""What resource types the cluster serves, and how every spelling of one resolves.

The server learns the cluster's types from `kubectl api-resources -o json` (kubectl 1.33+:
it carries each type's singular name) or `-o wide` (kubectl 1.32, which has no JSON output:
singulars are then kubectl's own fallback guess, the Kind in lower case), and resolves a
model's `kind` the way kubectl's RESTMapper does: plural, singular, short name, Kind,
`plural.group`, `plural.version.group`. Policy decides on the resolved type, so no spelling
of a denied kind gets around it.

`Discovery` keeps one list per context. A name it does not know refreshes that context's list,
but at most `REFRESH_BURST` times per `REFRESH_INTERVAL_S`: unknown names from a model (or a
hostile client) cannot turn every call into a full rediscovery.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field


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
    singular_name: str = ""  # from discovery; "" when kubectl's output did not carry it

    @property
    def api_version(self) -> str:
        return f"{self.group}/{self.version}" if self.group else self.version

    @property
    def singular(self) -> str:
        """Discovery's singular name, else kubectl's own fallback for servers that list none."""
        return self.singular_name or self.kind.lower()

    @property
    def names(self) -> frozenset[str]:
        """Every lower-case name kubectl resolves to this type: plural, singular, Kind, short names."""
        return frozenset({self.name, self.singular, self.kind.lower(), *(s.lower() for s in self.short_names)})

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


def parse_api_resources_json(text: str) -> list[ApiResource]:
    """Parse `kubectl api-resources -o json` (an APIResourceList whose items carry group and version)."""
    document = json.loads(text)
    resources = []
    for item in document.get("resources") or []:
        resources.append(
            ApiResource(
                name=item["name"],
                short_names=tuple(item.get("shortNames") or ()),
                group=item.get("group") or "",
                version=item.get("version") or "",
                kind=item["kind"],
                namespaced=bool(item.get("namespaced")),
                verbs=tuple(item.get("verbs") or ()),
                categories=tuple(item.get("categories") or ()),
                singular_name=item.get("singularName") or "",
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
    candidates = [r for r in resources if wanted in r.names]
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


REFRESH_BURST = 3
REFRESH_INTERVAL_S = 10.0


@dataclass
class _Served:
    resources: list[ApiResource] = field(default_factory=list)
    known: bool = False
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    refreshes: list[float] = field(default_factory=list)  # monotonic times of recent refreshes on a miss


Fetch = Callable[[str | None, bool], Awaitable[list[ApiResource]]]


class Discovery:
    """The types each context serves, kept in memory; `fetch(context, refresh)` asks the cluster.

    The caller passes its `fetch` (so the run is recorded with the call that caused it). A cached
    list is read without waiting on any lock; only a fetch takes the context's lock, and callers
    that waited for it reuse what it fetched.
    """

    def __init__(self, *, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._served: dict[str | None, _Served] = {}
        self.json_output = True  # kubectl 1.32 has no `api-resources -o json`: learned on first use

    async def resources(self, context: str | None, fetch: Fetch, *, refresh: bool = False) -> list[ApiResource]:
        """The context's types; `refresh` asks the API server again (the model asked for it)."""
        served = self._served.setdefault(context, _Served())
        if served.known and not refresh:
            return served.resources
        async with served.lock:
            if refresh or not served.known:
                served.resources = await fetch(context, refresh)
                served.known = True
            return served.resources

    def cached(self, context: str | None) -> list[ApiResource]:
        """What the context's discovery already holds (empty before its first fetch); never fetches."""
        served = self._served.get(context)
        return served.resources if served is not None else []

    async def find(
        self, context: str | None, match: Callable[[list[ApiResource]], ApiResource | None], fetch: Fetch
    ) -> ApiResource | None:
        """`match` over the context's types; on a miss, rediscover once if the rate limit allows."""
        found = match(await self.resources(context, fetch))
        if found is not None:
            return found
        served = self._served[context]
        seen = served.resources
        async with served.lock:
            if served.resources is seen:  # nobody refreshed while this call waited
                now = self._clock()
                served.refreshes = [t for t in served.refreshes if now - t < REFRESH_INTERVAL_S]
                if len(served.refreshes) >= REFRESH_BURST:
                    return None
                served.refreshes.append(now)
                served.resources = await fetch(context, True)
            return match(served.resources)
