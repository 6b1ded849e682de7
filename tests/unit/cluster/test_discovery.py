"""Discovery: parsing kubectl's two output formats, resolving spellings, and rate-limited rediscovery."""

from __future__ import annotations

import asyncio
import json

import pytest

from mcp_kubectl.cluster.discovery import (
    REFRESH_BURST,
    REFRESH_INTERVAL_S,
    ApiResource,
    Discovery,
    parse_api_resources_json,
    parse_api_resources_wide,
    resolve_kind,
)

JSON = json.dumps(
    {
        "kind": "APIResourceList",
        "apiVersion": "v1",
        "groupVersion": "",
        "resources": [
            {"name": "pods", "singularName": "pod", "namespaced": True, "version": "v1", "kind": "Pod", "verbs": ["get", "list"], "shortNames": ["po"], "categories": ["all"]},
            {"name": "gizmos", "singularName": "gadget", "namespaced": True, "group": "example.com", "version": "v1", "kind": "Gizmo", "verbs": ["get"], "shortNames": ["GZ"]},
            {"name": "nodes", "singularName": "", "namespaced": False, "version": "v1", "kind": "Node", "verbs": ["get"]},
        ],
    }
)
WIDE = """\
NAME     SHORTNAMES   APIVERSION         NAMESPACED   KIND    VERBS        CATEGORIES
pods     po           v1                 true         Pod     [get list]   all
gizmos   gz           example.com/v1     true         Gizmo   [get]
"""


def test_json_discovery_carries_singulars_groups_and_scope() -> None:
    pods, gizmos, nodes = parse_api_resources_json(JSON)
    assert (pods.group, pods.version, pods.singular, pods.namespaced, pods.verbs) == ("", "v1", "pod", True, ("get", "list"))
    assert (gizmos.group, gizmos.singular, gizmos.qualified_name) == ("example.com", "gadget", "gizmos.example.com")
    assert nodes.singular == "node" and not nodes.namespaced  # no singular listed: kubectl's own guess
    assert gizmos.names == {"gizmos", "gadget", "gizmo", "gz"}


def test_the_wide_table_has_no_singulars_so_kubectl_guesses_the_kind() -> None:
    pods, gizmos = parse_api_resources_wide(WIDE)
    assert gizmos.singular == "gizmo" and gizmos.group == "example.com" and pods.verbs == ("get", "list")


@pytest.mark.parametrize(
    ("spelling", "expected"),
    [("gadget", "gizmos"), ("Gizmo", "gizmos"), ("gz", "gizmos"), ("GZ", "gizmos"), ("gadget.example.com", "gizmos"), ("gizmos.v1.example.com", "gizmos"), ("po", "pods"), ("pods.v1.", "pods"), ("gizmo.other.com", None)],
)
def test_resolve_kind_reads_discovery_names(spelling: str, expected: str | None) -> None:
    found = resolve_kind(spelling, parse_api_resources_json(JSON))
    assert (found.name if found else None) == expected


class FakeCluster:
    """A discovery source that counts fetches and learns a type when told to."""

    def __init__(self) -> None:
        self.fetches: list[bool] = []
        self.resources = parse_api_resources_json(JSON)

    async def fetch(self, context: str | None, refresh: bool) -> list[ApiResource]:
        self.fetches.append(refresh)
        await asyncio.sleep(0.01)
        return list(self.resources)


def find(name: str):  # type: ignore[no-untyped-def]
    return lambda served: resolve_kind(name, served)


def test_unknown_names_rediscover_at_most_a_burst_per_interval() -> None:
    cluster = FakeCluster()
    now = [1000.0]
    discovery = Discovery(clock=lambda: now[0])

    async def scenario() -> None:
        for i in range(10):
            assert await discovery.find(None, find(f"nosuch{i}"), cluster.fetch) is None
        assert cluster.fetches == [False] + [True] * REFRESH_BURST
        now[0] += REFRESH_INTERVAL_S + 1  # the window passes: one more rediscovery may happen
        cluster.resources.append(ApiResource("widgets", (), "example.com", "v1", "Widget", True, ("get",), ()))
        assert (await discovery.find(None, find("widget"), cluster.fetch)).name == "widgets"  # type: ignore[union-attr]
        assert cluster.fetches.count(True) == REFRESH_BURST + 1

    asyncio.run(scenario())


def test_concurrent_misses_share_one_rediscovery_and_known_names_never_wait() -> None:
    cluster = FakeCluster()
    discovery = Discovery()

    async def scenario() -> None:
        await discovery.resources(None, cluster.fetch)
        results = await asyncio.gather(*(discovery.find(None, find("nosuch"), cluster.fetch) for _ in range(20)))
        assert results == [None] * 20
        assert cluster.fetches == [False, True]  # the 19 that waited reused the one refresh
        assert (await discovery.find(None, find("pods"), cluster.fetch)).name == "pods"  # type: ignore[union-attr]
        assert cluster.fetches == [False, True]

    asyncio.run(scenario())


def test_contexts_are_discovered_separately() -> None:
    cluster = FakeCluster()
    discovery = Discovery()

    async def scenario() -> None:
        await discovery.resources("a", cluster.fetch)
        await discovery.resources("b", cluster.fetch)
        await discovery.resources("a", cluster.fetch)
        assert cluster.fetches == [False, False]
        assert discovery.cached("a") and discovery.cached("never") == []

    asyncio.run(scenario())
