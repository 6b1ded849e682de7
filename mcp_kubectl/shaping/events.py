"""Events, compact and newest first, from either Event API.

A raw Event is ~1 KB of JSON; the model needs six facts of it to decide its next
step. Core v1 Events (`involvedObject`, `message`, `lastTimestamp`, `count`) and
events.k8s.io/v1 Events (`regarding`, `note`, `eventTime`, `series`,
`deprecated*`) are read alike, the way `kubectl events` and kubectl's Event
printer reconcile them.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from mcp_kubectl.shaping.objects import age, parse_time

WARNING = "Warning"


def _is_events_v1(event: dict[str, Any]) -> bool:
    api_version = event.get("apiVersion") or ""
    if api_version.startswith("events.k8s.io/"):
        return True
    return "regarding" in event or "note" in event


def last_seen_time(event: dict[str, Any]) -> str | None:
    """The newest timestamp an Event carries, whichever of its fields is set."""
    series = event.get("series") or {}
    metadata = event.get("metadata") or {}
    if _is_events_v1(event):
        candidates = (
            series.get("lastObservedTime"),
            event.get("deprecatedLastTimestamp"),
            event.get("eventTime"),
            event.get("deprecatedFirstTimestamp"),
            metadata.get("creationTimestamp"),
        )
    else:
        candidates = (
            series.get("lastObservedTime"),
            event.get("lastTimestamp"),
            event.get("eventTime"),
            event.get("firstTimestamp"),
            metadata.get("creationTimestamp"),
        )
    for candidate in candidates:
        if candidate:
            return str(candidate)
    return None


def _object_ref(ref: dict[str, Any]) -> str:
    kind = ref.get("kind") or ""
    name = ref.get("name") or ""
    if kind and name:
        return f"{kind}/{name}"
    return kind or name


def _count(event: dict[str, Any]) -> int:
    series = event.get("series") or {}
    if series.get("count"):
        return int(series["count"])
    raw = event.get("deprecatedCount") if _is_events_v1(event) else event.get("count")
    # Singleton events in the new API carry no count: kubectl prints 1.
    return int(raw) if raw else 1


def compact_event(event: dict[str, Any], *, now: datetime) -> dict[str, Any]:
    """One Event as `{type, reason, object, message, count, lastSeen}`; empty fields left out."""
    if _is_events_v1(event):
        ref = event.get("regarding") or {}
        message = event.get("note") or ""
    else:
        ref = event.get("involvedObject") or {}
        message = event.get("message") or ""
    seen = last_seen_time(event)
    out: dict[str, Any] = {
        "type": event.get("type") or "",
        "reason": event.get("reason") or "",
        "object": _object_ref(ref),
        "message": " ".join(str(message).split()),
        "count": _count(event),
        "lastSeen": age(seen, now) if seen else "",
    }
    return {key: value for key, value in out.items() if value != ""}


def _sort_key(event: dict[str, Any]) -> float:
    when = parse_time(last_seen_time(event))
    return when.timestamp() if when is not None else float("-inf")


def compact_events(
    items: Iterable[dict[str, Any]], *, warnings_only: bool = False, now: datetime
) -> list[dict[str, Any]]:
    """Events of either API, newest first, compact; only `Warning` ones when asked."""
    chosen = [
        item
        for item in items
        if isinstance(item, dict) and (not warnings_only or item.get("type") == WARNING)
    ]
    chosen.sort(key=_sort_key, reverse=True)
    return [compact_event(item, now=now) for item in chosen]
