"""Small facts about parsed Kubernetes objects that every shaping module needs.

`strip_noise` removes what no model needs to read (managedFields, the
last-applied-configuration annotation) and `age` prints a timestamp's age the
way kubectl's AGE column does (k8s.io/apimachinery `duration.HumanDuration`),
so summaries read like the tables users already know.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

LAST_APPLIED_ANNOTATION = "kubectl.kubernetes.io/last-applied-configuration"
UNKNOWN_AGE = "<unknown>"


def strip_noise(obj: Any) -> Any:
    """A copy of `obj` without managedFields and the last-applied annotation.

    Works on one object, on a `*List` object (each item is stripped) and on a
    plain list of objects. The input is never changed: only the dicts on the
    path to a removed key are copied, so this stays cheap for 1,000 items.
    """
    if isinstance(obj, list):
        return [strip_noise(item) for item in obj]
    if not isinstance(obj, dict):
        return obj
    out = dict(obj)
    items = out.get("items")
    if isinstance(items, list):
        out["items"] = [strip_noise(item) for item in items]
    metadata = out.get("metadata")
    if isinstance(metadata, dict) and (
        "managedFields" in metadata
        or LAST_APPLIED_ANNOTATION in (metadata.get("annotations") or {})
    ):
        metadata = dict(metadata)
        metadata.pop("managedFields", None)
        annotations = metadata.get("annotations")
        if isinstance(annotations, dict) and LAST_APPLIED_ANNOTATION in annotations:
            annotations = {k: v for k, v in annotations.items() if k != LAST_APPLIED_ANNOTATION}
            if annotations:
                metadata["annotations"] = annotations
            else:
                del metadata["annotations"]
        out["metadata"] = metadata
    return out


def parse_time(timestamp: object) -> datetime | None:
    """An RFC 3339 Time or MicroTime from the API server, or None when absent or malformed."""
    if not isinstance(timestamp, str) or not timestamp:
        return None
    try:
        parsed = datetime.fromisoformat(timestamp)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed


_MINUTE, _HOUR, _DAY, _YEAR = 60, 60 * 60, 24 * 60 * 60, 365 * 24 * 60 * 60
_UNIT_SECONDS = {"s": 1, "m": _MINUTE, "h": _HOUR, "d": _DAY, "y": _YEAR}
# duration.HumanDuration's ladder: below `limit` seconds, whole `unit`s, then the `finer` rest unless it is zero.
_DURATION_LADDER = (  # (limit, unit, finer), and what each step prints
    (2 * _MINUTE, "s", ""),  # 119s
    (10 * _MINUTE, "m", "s"),  # 3m20s
    (3 * _HOUR, "m", ""),  # 179m
    (8 * _HOUR, "h", "m"),  # 5h30m
    (2 * _DAY, "h", ""),  # 47h
    (8 * _DAY, "d", "h"),  # 3d4h
    (2 * _YEAR, "d", ""),  # 400d
    (8 * _YEAR, "y", "d"),  # 2y10d
)  # and beyond: whole years


def human_duration(seconds: float) -> str:
    """kubectl's short duration (`duration.HumanDuration`): 45s, 3m20s, 12m, 5h, 3d4h, 40d, 2y."""
    secs = int(seconds)
    if secs < -1:
        return "<invalid>"
    secs = max(secs, 0)  # -1 still reads 0s: clocks skew
    unit, finer = next(((unit, finer) for limit, unit, finer in _DURATION_LADDER if secs < limit), ("y", ""))
    whole, rest = divmod(secs, _UNIT_SECONDS[unit])
    finer_count = rest // _UNIT_SECONDS[finer] if finer else 0
    return f"{whole}{unit}{finer_count}{finer}" if finer_count else f"{whole}{unit}"


def age(timestamp: str | None, now: datetime) -> str:
    """How long ago `timestamp` was, as kubectl prints it; `<unknown>` when there is none."""
    when = parse_time(timestamp)
    if when is None:
        return UNKNOWN_AGE
    return human_duration((now - when).total_seconds())


def duration_between(start: str | None, end: str | None) -> str | None:
    """kubectl's duration between two timestamps, or None when either is missing."""
    began, ended = parse_time(start), parse_time(end)
    if began is None or ended is None:
        return None
    return human_duration((ended - began).total_seconds())
