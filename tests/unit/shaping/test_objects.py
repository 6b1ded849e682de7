"""objects: kubectl's AGE column and the noise every answer drops."""

from __future__ import annotations

import copy
import json
from datetime import datetime, timezone
from pathlib import Path

import pytest

from mcp_kubectl.shaping.objects import (
    LAST_APPLIED_ANNOTATION,
    age,
    duration_between,
    human_duration,
    parse_time,
    strip_noise,
)

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures" / "objects"
NOW = datetime(2026, 11, 27, 4, 0, 0, tzinfo=timezone.utc)
MINUTE, HOUR, DAY = 60, 3600, 86400


def load(name: str) -> dict:
    return json.loads((FIXTURES / name).read_text())


# Expected values follow k8s.io/apimachinery/pkg/util/duration.HumanDuration.
@pytest.mark.parametrize(
    ("seconds", "expected"),
    [
        (-5, "<invalid>"),
        (-1, "0s"),
        (0, "0s"),
        (45, "45s"),
        (119, "119s"),
        (2 * MINUTE, "2m"),
        (3 * MINUTE + 20, "3m20s"),
        (9 * MINUTE + 59, "9m59s"),
        (10 * MINUTE + 30, "10m"),
        (179 * MINUTE, "179m"),
        (3 * HOUR, "3h"),
        (5 * HOUR + 30 * MINUTE, "5h30m"),
        (7 * HOUR + 59 * MINUTE, "7h59m"),
        (8 * HOUR + 30 * MINUTE, "8h"),
        (47 * HOUR, "47h"),
        (2 * DAY, "2d"),
        (3 * DAY + 4 * HOUR, "3d4h"),
        (7 * DAY + 23 * HOUR, "7d23h"),
        (8 * DAY + 5 * HOUR, "8d"),
        (400 * DAY, "400d"),
        (730 * DAY, "2y"),
        (740 * DAY, "2y10d"),
        (8 * 365 * DAY - DAY, "7y364d"),
        (8 * 365 * DAY, "8y"),
        (9 * 365 * DAY + 40 * DAY, "9y"),
    ],
)
def test_human_duration_matches_kubectl(seconds: int, expected: str) -> None:
    assert human_duration(seconds) == expected


@pytest.mark.parametrize(
    ("timestamp", "expected"),
    [
        ("2026-11-27T03:59:15Z", "45s"),
        ("2026-11-27T03:48:00Z", "12m"),
        ("2026-11-26T23:00:00Z", "5h"),
        ("2026-11-24T04:00:00Z", "3d"),
        ("2024-11-27T04:00:00Z", "2y"),
        ("2026-11-27T03:59:50.123456Z", "9s"),  # MicroTime
        ("2026-11-27T04:59:50+01:00", "10s"),  # an offset, not Z
        (None, "<unknown>"),
        ("", "<unknown>"),
        ("yesterday", "<unknown>"),
    ],
)
def test_age(timestamp: str | None, expected: str) -> None:
    assert age(timestamp, NOW) == expected


def test_parse_time_assumes_utc_without_offset() -> None:
    assert parse_time("2026-11-27T04:00:00") == NOW


def test_duration_between() -> None:
    assert duration_between("2026-11-27T02:00:00Z", "2026-11-27T02:00:45Z") == "45s"
    assert duration_between("2026-11-27T02:00:00Z", None) is None


def test_strip_noise_removes_managed_fields_and_keeps_the_rest() -> None:
    pod = load("pod-running-two-containers.json")
    original = copy.deepcopy(pod)
    stripped = strip_noise(pod)
    assert "managedFields" not in stripped["metadata"]
    assert stripped["metadata"]["labels"] == pod["metadata"]["labels"]
    assert stripped["spec"] == pod["spec"]
    assert pod == original, "the input must not change"


def test_strip_noise_removes_only_the_last_applied_annotation() -> None:
    deployment = load("deployment.json")
    stripped = strip_noise(deployment)
    assert stripped["metadata"]["annotations"] == {"deployment.kubernetes.io/revision": "3"}
    assert LAST_APPLIED_ANNOTATION in deployment["metadata"]["annotations"]


def test_strip_noise_drops_annotations_left_empty() -> None:
    obj = {"metadata": {"name": "x", "annotations": {LAST_APPLIED_ANNOTATION: "{}"}}}
    assert strip_noise(obj) == {"metadata": {"name": "x"}}


@pytest.mark.parametrize("shape", ["List", "plain list"])
def test_strip_noise_on_lists(shape: str) -> None:
    items = [load("pod-running-two-containers.json"), load("deployment.json")]
    if shape == "List":
        result = strip_noise({"apiVersion": "v1", "kind": "List", "items": items})
        stripped = result["items"]
        assert result["kind"] == "List"
    else:
        stripped = strip_noise(items)
    assert "managedFields" not in stripped[0]["metadata"]
    assert LAST_APPLIED_ANNOTATION not in stripped[1]["metadata"]["annotations"]
    assert "managedFields" in items[0]["metadata"]


def test_strip_noise_leaves_non_objects_alone() -> None:
    assert strip_noise("text") == "text"
    assert strip_noise({"kind": "Status"}) == {"kind": "Status"}
