"""top_resources: CPU and memory of pods (with their containers) or nodes, from metrics.k8s.io, sorted.

Read through the gateway as JSON (`kubectl get --raw /apis/metrics.k8s.io/v1beta1/...`, or the
fast read path's proxy), not `kubectl top`: the JSON carries exact quantities and every
container, needs no table parsing, adds no verb to kubectl's allow-list, and is authorized
like every read, as `list` on `pods.metrics.k8s.io` or `nodes.metrics.k8s.io` (so
`--denied-resources pods` also hides pod metrics). A cluster without metrics-server does
not serve the group: that is a `MetricsUnavailable` error naming the fix.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from mcp_kubectl.cluster.kubectl_io import compact_json, parse_json
from mcp_kubectl.errors import InvalidArgument, KubectlFailed, McpKubectlError, MetricsUnavailable, Reason
from mcp_kubectl.ops.reads import check_namespace_exists
from mcp_kubectl.shaping.budget import fit_items

if TYPE_CHECKING:
    from mcp_kubectl.cluster.gateway import Gateway

KINDS = ("pods", "nodes")
SORT_KEYS = ("cpu", "memory")
DEFAULT_TOP_LIMIT = 20
MAX_TOP_LIMIT = 500
TOP_HINT = "lower limit, or name a namespace"

_QUANTITY = re.compile(r"^([+-]?[0-9.]+(?:[eE][+-]?[0-9]+)?)([a-zA-Z]*)$")
_SUFFIXES = {
    "n": Decimal("1e-9"), "u": Decimal("1e-6"), "m": Decimal("1e-3"), "": Decimal(1),
    "k": Decimal(10**3), "M": Decimal(10**6), "G": Decimal(10**9), "T": Decimal(10**12), "P": Decimal(10**15), "E": Decimal(10**18),
    "Ki": Decimal(2**10), "Mi": Decimal(2**20), "Gi": Decimal(2**30), "Ti": Decimal(2**40), "Pi": Decimal(2**50), "Ei": Decimal(2**60),
}  # fmt: skip


def quantity(text: str) -> Decimal:
    """A Kubernetes quantity ("250m", "1234567n", "64Mi", "1.5Gi", "2") as a number; ValueError if it is not one."""
    match = _QUANTITY.match(str(text).strip())
    if match is None or match.group(2) not in _SUFFIXES:
        raise ValueError(f"not a quantity: {text!r}")
    try:
        return Decimal(match.group(1)) * _SUFFIXES[match.group(2)]
    except InvalidOperation:
        raise ValueError(f"not a quantity: {text!r}") from None


def _usage(usage: dict[str, Any]) -> dict[str, Any]:
    """cpu and memory as kubectl top prints them (millicores rounded up, MiB), and exactly."""
    try:
        millicores = math.ceil(quantity(usage.get("cpu", "0")) * 1000)
        memory = int(quantity(usage.get("memory", "0")))
    except ValueError:
        millicores, memory = 0, 0
    return {"cpu": f"{millicores}m", "memory": f"{memory // 2**20}Mi", "cpuMillicores": millicores, "memoryBytes": memory}


def _sum(parts: list[dict[str, Any]]) -> dict[str, Any]:
    millicores = sum(p["cpuMillicores"] for p in parts)
    memory = sum(p["memoryBytes"] for p in parts)
    return {"cpu": f"{millicores}m", "memory": f"{memory // 2**20}Mi", "cpuMillicores": millicores, "memoryBytes": memory}


def pod_rows(items: list[dict[str, Any]], *, containers: bool) -> list[dict[str, Any]]:
    """One row per PodMetrics: the pod's total, and its containers when asked."""
    rows = []
    for item in items:
        per_container = [
            {"name": str(c.get("name", "")), **_usage(c.get("usage") or {})} for c in item.get("containers") or []
        ]
        row = {"name": str((item.get("metadata") or {}).get("name", "")), **_sum(per_container)}
        if containers:
            row["containers"] = per_container
        rows.append(row)
    return rows


def node_rows(items: list[dict[str, Any]], allocatable: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per NodeMetrics, with the share of the node's allocatable CPU and memory when known."""
    rows = []
    for item in items:
        name = str((item.get("metadata") or {}).get("name", ""))
        row = {"name": name, **_usage(item.get("usage") or {})}
        capacity = allocatable.get(name)
        if capacity:
            cpu, memory = _usage(capacity)["cpuMillicores"], _usage(capacity)["memoryBytes"]
            if cpu:
                row["cpuPercent"] = round(100 * row["cpuMillicores"] / cpu)
            if memory:
                row["memoryPercent"] = round(100 * row["memoryBytes"] / memory)
        rows.append(row)
    return rows


def sort_rows(rows: list[dict[str, Any]], sort_by: str) -> list[dict[str, Any]]:
    """Heaviest first; ties by name, so the order is stable."""
    key = "cpuMillicores" if sort_by == "cpu" else "memoryBytes"
    return sorted(rows, key=lambda row: (-row[key], row["name"]))


def _unavailable(error: KubectlFailed | None = None) -> MetricsUnavailable:
    why = "the cluster does not serve metrics.k8s.io (metrics-server is not installed)"
    if error is not None and error.reason is Reason.SERVICE_UNAVAILABLE:
        why = "metrics.k8s.io is registered but does not answer (metrics-server is not running or not ready)"
    return MetricsUnavailable(f"no resource metrics: {why}")


async def _allocatable(gw: Gateway) -> dict[str, dict[str, Any]]:
    """Each node's allocatable resources, for percentages; empty when nodes may not be read."""
    from mcp_kubectl.cluster.gateway import Address

    try:
        nodes = Address(await gw.resolve("nodes"), None)
        gw.policy.authorize(nodes.request("list"))
        listing = parse_json(await gw.get_raw(gw.api_path(nodes)))
    except McpKubectlError:
        return {}
    return {
        str((node.get("metadata") or {}).get("name", "")): (node.get("status") or {}).get("allocatable") or {}
        for node in listing.get("items") or []
    }


async def top_resources(
    gw: Gateway,
    kind: str,
    *,
    namespace: str | None = None,
    containers: bool = False,
    sort_by: str = "cpu",
    limit: int = DEFAULT_TOP_LIMIT,
) -> dict[str, Any]:
    """The heaviest pods of a namespace (or nodes) by CPU or memory, as metrics-server measured them."""
    if kind not in KINDS:
        raise InvalidArgument(f"kind must be one of {', '.join(KINDS)}", argument="kind")
    if sort_by not in SORT_KEYS:
        raise InvalidArgument(f"sortBy must be one of {', '.join(SORT_KEYS)}", argument="sortBy")
    if not 1 <= limit <= MAX_TOP_LIMIT:
        raise InvalidArgument(f"limit must be between 1 and {MAX_TOP_LIMIT}", argument="limit")
    if containers and kind == "nodes":
        raise InvalidArgument("containers applies to pods only", argument="containers")
    try:
        target, notes = await gw.locate(f"{kind}.metrics.k8s.io", namespace, verb="list")
    except KubectlFailed as error:
        if error.reason is Reason.UNKNOWN_RESOURCE_TYPE:
            # The policy speaks first, as where metrics are served: the core type stands in for them.
            await gw.locate(kind, namespace, verb="list")
            raise _unavailable() from None
        raise
    try:
        listing = parse_json(await gw.get_raw(gw.api_path(target)))
    except KubectlFailed as error:
        # Discovery (maybe cached) named the group, but its path is gone or its server is down.
        if error.reason in (Reason.NOT_FOUND, Reason.UNKNOWN_RESOURCE_TYPE, Reason.SERVICE_UNAVAILABLE):
            raise _unavailable(error) from None
        raise
    items = listing.get("items") or []
    if kind == "pods":
        if not items and target.namespace:
            await check_namespace_exists(gw, target.namespace)
        rows = pod_rows(items, containers=containers)
    else:
        rows = node_rows(items, await _allocatable(gw))
    ranked = sort_rows(rows, sort_by)
    budget = fit_items(ranked[:limit], budget_bytes=gw.settings.budget_bytes, render=compact_json, hint=TOP_HINT)
    answer: dict[str, Any] = {"kind": kind, "sortBy": sort_by, "count": len(budget.kept), "total": len(rows), "items": budget.kept}
    if target.namespace:
        answer["namespace"] = target.namespace
    if budget.marker:
        answer["truncated"] = budget.marker
    if notes:
        answer["notes"] = notes
    return answer
