"""events: both Event APIs, compact and newest first."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import pytest

from mcp_kubectl.shaping.events import compact_event, compact_events, last_seen_time

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures" / "objects"
NOW = datetime(2026, 11, 27, 4, 0, 0, tzinfo=timezone.utc)


def items(name: str) -> list[dict]:
    return json.loads((FIXTURES / name).read_text())["items"]


CORE = "events-core-v1.json"
NEW = "events-events-v1.json"

SCHEDULED = {
    "type": "Normal",
    "reason": "Scheduled",
    "object": "Pod/web-7d4b9c8f6d-zzzzz",
    "message": "Successfully assigned default/web-7d4b9c8f6d-zzzzz to worker-2",
    "count": 1,
    "lastSeen": "9s",
}
FAILED_SCHEDULING = {
    "type": "Warning",
    "reason": "FailedScheduling",
    "object": "Pod/big-job-runner-x9z8w",
    "message": "0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: "
    "3 No preemption victims found for incoming pod.",
    "count": 4,
    "lastSeen": "49s",
}
BACKOFF = {
    "type": "Warning",
    "reason": "BackOff",
    "object": "Pod/api-5f6d7c8b9-qwert",
    "message": "Back-off restarting failed container api in pod api-5f6d7c8b9-qwert_default(6f1c)",
    "count": 152,
    "lastSeen": "3m",
}
SCALED = {
    "type": "Normal",
    "reason": "ScalingReplicaSet",
    "object": "Deployment/web",
    "message": "Scaled up replica set web-7d4b9c8f6d to 3 from 2",
    "count": 1,
    "lastSeen": "40m",
}


@pytest.mark.parametrize(
    ("fixture", "warnings_only", "expected"),
    [
        (CORE, False, [SCHEDULED, FAILED_SCHEDULING, BACKOFF, SCALED]),
        (CORE, True, [FAILED_SCHEDULING, BACKOFF]),
        (NEW, False, [SCHEDULED, FAILED_SCHEDULING, BACKOFF]),
        (NEW, True, [FAILED_SCHEDULING, BACKOFF]),
    ],
)
def test_compact_events_newest_first(fixture: str, warnings_only: bool, expected: list[dict]) -> None:
    assert compact_events(items(fixture), warnings_only=warnings_only, now=NOW) == expected


@pytest.mark.parametrize(
    ("event", "expected"),
    [
        ({"lastTimestamp": "2026-11-27T03:00:00Z", "eventTime": "2026-11-27T02:00:00Z"}, "2026-11-27T03:00:00Z"),
        ({"eventTime": "2026-11-27T02:00:00.5Z"}, "2026-11-27T02:00:00.5Z"),
        (
            {"eventTime": "2026-11-27T02:00:00Z", "series": {"lastObservedTime": "2026-11-27T02:30:00Z"}},
            "2026-11-27T02:30:00Z",
        ),
        ({"metadata": {"creationTimestamp": "2026-11-27T01:00:00Z"}}, "2026-11-27T01:00:00Z"),
        (
            {"apiVersion": "events.k8s.io/v1", "deprecatedLastTimestamp": "2026-11-27T03:10:00Z", "eventTime": None},
            "2026-11-27T03:10:00Z",
        ),
        ({}, None),
    ],
)
def test_last_seen_time_takes_whichever_field_exists(event: dict, expected: str | None) -> None:
    assert last_seen_time(event) == expected


def test_events_without_any_timestamp_sort_last() -> None:
    undated = {"type": "Normal", "reason": "Mystery", "involvedObject": {"kind": "Pod", "name": "p"}}
    dated = {"type": "Normal", "reason": "Dated", "lastTimestamp": "2026-11-27T03:00:00Z",
             "involvedObject": {"kind": "Pod", "name": "p"}}
    result = compact_events([undated, dated], now=NOW)
    assert [e["reason"] for e in result] == ["Dated", "Mystery"]
    assert "lastSeen" not in result[1]


def test_compact_event_collapses_whitespace_and_defaults_count() -> None:
    event = {
        "apiVersion": "events.k8s.io/v1",
        "kind": "Event",
        "type": "Warning",
        "reason": "Unhealthy",
        "regarding": {"kind": "Pod", "name": "web-1"},
        "note": "Readiness probe failed:\n  HTTP probe failed\twith statuscode: 503 ",
        "eventTime": "2026-11-27T03:59:00.000000Z",
    }
    assert compact_event(event, now=NOW) == {
        "type": "Warning",
        "reason": "Unhealthy",
        "object": "Pod/web-1",
        "message": "Readiness probe failed: HTTP probe failed with statuscode: 503",
        "count": 1,
        "lastSeen": "60s",
    }


def test_compact_event_of_an_object_without_a_name() -> None:
    event = {"type": "Normal", "reason": "RegisteredNode", "involvedObject": {"kind": "Node"}, "count": 2}
    assert compact_event(event, now=NOW)["object"] == "Node"
