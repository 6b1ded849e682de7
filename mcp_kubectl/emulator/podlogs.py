"""Container logs for ``pods/log``: deterministic fake lines per pod and container, or lines a test set.

Each line has a timestamp (one every ten seconds, the last a little before now), so that ``tailLines``,
``sinceSeconds``, ``timestamps`` and ``previous`` filter them as the kubelet would.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import re
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from mcp_kubectl.emulator.errors import bad_request, invalid

_Parsed = TypeVar("_Parsed")

_MESSAGES = (
    'level=info msg="handled request" method=GET path=/healthz status=200 duration_ms={n}',
    'level=info msg="handled request" method=GET path=/api/orders status=200 duration_ms={n}',
    'level=debug msg="cache refresh" entries={n}',
    'level=info msg="handled request" method=POST path=/api/orders status=201 duration_ms={n}',
    'level=warn msg="slow upstream" upstream=payments latency_ms={n}',
    'level=info msg="worker heartbeat" queue_depth={n}',
)
LINES_PER_CONTAINER = 60
LINE_INTERVAL_S = 10


def _format_ts(when: datetime.datetime) -> str:
    return when.strftime("%Y-%m-%dT%H:%M:%S.") + f"{when.microsecond * 1000:09d}Z"


class PodLogs:
    """Log lines per (namespace, pod, container, previous)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._custom: dict[tuple[str, str, str, bool], list[tuple[datetime.datetime, str]]] = {}

    def set_lines(self, namespace: str, pod: str, container: str, lines: list[str], *, previous: bool = False) -> None:
        """Replace the log of one container (lines are stamped one second apart, ending now)."""
        now = datetime.datetime.now(datetime.UTC)
        stamped = [(now - datetime.timedelta(seconds=len(lines) - i), line) for i, line in enumerate(lines)]
        with self._lock:
            self._custom[(namespace, pod, container, previous)] = stamped

    def _lines(self, namespace: str, pod: str, container: str, previous: bool, now: datetime.datetime) -> list[tuple[datetime.datetime, str]]:
        with self._lock:
            custom = self._custom.get((namespace, pod, container, previous))
        if custom is not None:
            return custom
        seed = hashlib.sha256(f"{namespace}/{pod}/{container}/{previous}".encode()).digest()
        end = now - datetime.timedelta(seconds=5 + (600 if previous else 0))
        out = []
        for i in range(LINES_PER_CONTAINER):
            when = end - datetime.timedelta(seconds=LINE_INTERVAL_S * (LINES_PER_CONTAINER - 1 - i))
            template = _MESSAGES[(seed[i % len(seed)] + i) % len(_MESSAGES)]
            text = template.format(n=(seed[(i * 7) % len(seed)] * (i + 1)) % 997)
            out.append((when, f"{text} container={container} line={i + 1}"))
        if previous:
            out.append((end, 'level=error msg="fatal: cannot connect to database" attempt=5'))
        return out

    def read(self, pod: dict[str, Any], query: dict[str, str]) -> bytes:
        """The body of GET .../pods/NAME/log, or an ApiError as the real server answers."""
        meta = pod.get("metadata") or {}
        spec = pod.get("spec") or {}
        name, namespace = meta.get("name", ""), meta.get("namespace", "")
        containers = [c.get("name", "") for c in spec.get("containers") or []]
        init = [c.get("name", "") for c in spec.get("initContainers") or []]
        ephemeral = [c.get("name", "") for c in spec.get("ephemeralContainers") or []]
        container = query.get("container", "")
        if not container:
            if len(containers) != 1:
                choices = " ".join(containers)
                raise bad_request(f"a container name must be specified for pod {name}, choose one of: [{choices}]")
            container = containers[0]
        elif container not in containers + init + ephemeral:
            raise bad_request(f"container {container} is not valid for pod {name}")
        previous = query.get("previous", "false").lower() in ("true", "1")
        statuses = {cs.get("name"): cs for cs in ((pod.get("status") or {}).get("containerStatuses") or [])}
        status = statuses.get(container) or {}
        if previous and not (status.get("lastState") or {}).get("terminated"):
            raise bad_request(f'previous terminated container "{container}" in pod "{name}" not found')
        if not previous and (status.get("state") or {}).get("waiting") and not status.get("restartCount"):
            reason = status["state"]["waiting"].get("reason", "")
            raise bad_request(f'container "{container}" in pod "{name}" is waiting to start: {reason}')
        now = datetime.datetime.now(datetime.UTC)
        lines = self._lines(namespace, name, container, previous, now)
        since_seconds = _query_value(query, "sinceSeconds", _int64)
        if since_seconds is not None:
            cutoff = _before(now, since_seconds)
            lines = [entry for entry in lines if entry[0] >= cutoff]
        since_time = _query_value(query, "sinceTime", _timestamp)
        if since_time is not None:
            lines = [entry for entry in lines if entry[0] >= since_time]
        tail = _query_value(query, "tailLines", _int64)
        if tail is not None:
            lines = lines[-tail:] if tail > 0 else []
        stamp = query.get("timestamps", "false").lower() in ("true", "1")
        text = "".join(f"{_format_ts(when)} {line}\n" if stamp else f"{line}\n" for when, line in lines)
        limit = _query_value(query, "limitBytes", _int64)
        data = text.encode()
        if limit is not None:
            data = data[:limit]
        return data


def _query_value(query: dict[str, str], name: str, parse: Callable[[str], _Parsed]) -> _Parsed | None:
    """A log query parameter parsed, None when absent or empty; unparseable is BadRequest with the
    message of the Go parser the real server uses (``parse`` raises ValueError with it)."""
    raw = query.get(name)
    if not raw:
        return None
    try:
        return parse(raw)
    except ValueError as exc:
        raise bad_request(str(exc)) from exc


def _go_quote(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


_INT64 = re.compile(r"[+-]?[0-9]+")
_INT64_MAX = 2**63 - 1


def _int64(text: str) -> int:
    """A query integer as Go's strconv.ParseInt(text, 10, 64) reads it: no spaces or underscores, int64 range."""
    if not _INT64.fullmatch(text):
        raise ValueError(f"strconv.ParseInt: parsing {_go_quote(text)}: invalid syntax")
    value = int(text)
    if not -_INT64_MAX - 1 <= value <= _INT64_MAX:
        raise ValueError(f"strconv.ParseInt: parsing {_go_quote(text)}: value out of range")
    return value


_RFC3339 = "2006-01-02T15:04:05Z07:00"
# Go's RFC 3339 layout, element by element: (element, digits it takes (0: a literal), the range's name, low, high).
_LAYOUT = (("2006", 4, "", 0, 9999), ("-", 0, "", 0, 0), ("01", 2, "month", 1, 12), ("-", 0, "", 0, 0),
           ("02", 2, "day", 1, 31), ("T", 0, "", 0, 0), ("15", 2, "hour", 0, 23), (":", 0, "", 0, 0),
           ("04", 2, "minute", 0, 59), (":", 0, "", 0, 0), ("05", 2, "second", 0, 59))
_FRACTION_AND_ZONE = re.compile(r"([.,][0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})")


def _timestamp(text: str) -> datetime.datetime:
    """``sinceTime`` as Go's time.Parse(time.RFC3339, text) reads it, its error wording included."""
    rest, prefix = text, f"parsing time {_go_quote(text)}"
    for element, digits, what, low, high in _LAYOUT:
        taken = rest[:digits] if digits else element
        if (digits and not (len(taken) == digits and taken.isascii() and taken.isdigit())) or not rest.startswith(taken):
            raise ValueError(f"{prefix} as {_go_quote(_RFC3339)}: cannot parse {_go_quote(rest)} as {_go_quote(element)}")
        if what and not low <= int(taken) <= high:
            raise ValueError(f"{prefix}: {what} out of range")
        rest = rest[len(taken):]
    zone = _FRACTION_AND_ZONE.match(rest)
    if zone is None:
        raise ValueError(f"{prefix} as {_go_quote(_RFC3339)}: cannot parse {_go_quote(rest)} as \"Z07:00\"")
    if zone.end() != len(rest):
        raise ValueError(f"{prefix}: extra text: {_go_quote(rest[zone.end():])}")
    try:
        return datetime.datetime.fromisoformat(text.replace("Z", "+00:00").replace(",", "."))
    except ValueError as exc:  # a day the month does not have
        raise ValueError(f"{prefix}: day out of range") from exc


def validate_log_options(pod: str, query: dict[str, str]) -> None:
    """BadRequest for a value that does not parse, then Invalid (422) for what ValidatePodLogOptions
    refuses: the real server checks both before it looks the pod up."""
    causes = []
    tail = _query_value(query, "tailLines", _int64)
    limit = _query_value(query, "limitBytes", _int64)
    since_seconds = _query_value(query, "sinceSeconds", _int64)
    since_time = _query_value(query, "sinceTime", _timestamp)
    if tail is not None and tail < 0:
        causes.append(("FieldValueInvalid", "tailLines", f"Invalid value: {tail}: must be greater than or equal to 0"))
    if limit is not None and limit < 1:
        causes.append(("FieldValueInvalid", "limitBytes", f"Invalid value: {limit}: must be greater than 0"))
    if since_seconds is not None and since_time is not None:
        causes.append(("FieldValueForbidden", "[]", "Forbidden: at most one of `sinceTime` or `sinceSeconds` may be specified"))
    elif since_seconds is not None and since_seconds < 1:
        causes.append(("FieldValueInvalid", "sinceSeconds", f"Invalid value: {since_seconds}: must be greater than 0"))
    if causes:
        raise invalid("PodLogOptions", "", pod, causes)


def _before(now: datetime.datetime, seconds: int) -> datetime.datetime:
    """``seconds`` before now; further back than a datetime reaches means every line."""
    try:
        return now - datetime.timedelta(seconds=seconds)
    except OverflowError:
        return datetime.datetime.min.replace(tzinfo=datetime.UTC)
