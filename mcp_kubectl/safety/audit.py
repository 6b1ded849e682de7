"""The audit log: one JSON line per tool call, in a file only its owner can read.

The line names every process the call ran (`runs`: argv and exit code each, in order,
from the call's `RunLog`); `argv` and `exit_code` repeat the last of them.

Never a secret value: a manifest is logged as its sha256 and the objects it names, and
long argument strings are cut to a prefix and their hash. The file is opened with
O_NOFOLLOW (a symlink planted at the path is refused), created with mode 0600, and an
existing file's mode is tightened to 0600.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from mcp_kubectl.cluster.process import Run
from mcp_kubectl.safety.manifests import Manifest, parsed_in_this_call

MAX_ARGUMENT_CHARS = 256


@dataclass(frozen=True)
class AuditEntry:
    """What one tool call did; `arguments` should come from `summarize_arguments`."""

    tool: str
    arguments: Mapping[str, Any]
    runs: Sequence[Run] = ()
    duration_ms: float = 0.0
    bytes_returned: int = 0
    outcome: str = "ok"  # "ok" or the error's reason (NotFound, PolicyDenied, ...)
    time: datetime = field(default_factory=lambda: datetime.now(UTC))

    def to_json(self) -> str:
        last = self.runs[-1] if self.runs else Run((), None)
        record = {
            "time": self.time.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "tool": self.tool,
            # Idempotent: a caller that forgot to summarize still never logs a manifest's values.
            "arguments": summarize_arguments(self.arguments),
            "argv": list(last.argv),
            "exit_code": last.exit_code,
            "runs": [run.to_dict() for run in self.runs],
            "duration_ms": round(self.duration_ms, 1),
            "bytes_returned": self.bytes_returned,
            "outcome": self.outcome,
        }
        return json.dumps(record, ensure_ascii=True, separators=(",", ":"), default=str)


def summarize_arguments(arguments: Mapping[str, Any], manifest: Manifest | None = None) -> dict[str, Any]:
    """Tool arguments fit for the log: the manifest by hash and targets, long strings cut.

    The log never parses a manifest itself (a second parse of hostile text would double
    its cost): the objects are named from `manifest`, or from the parse the tool call
    made (`manifests.parsed_in_this_call`). A manifest the call did not parse, or that
    was refused, is logged by hash and size only.
    """
    summary: dict[str, Any] = {}
    for key, value in arguments.items():
        if key == "manifest":
            summary[key] = _summarize_manifest(value, manifest)
        else:
            summary[key] = _shorten(value)
    return summary


def _summarize_manifest(text: Any, manifest: Manifest | None) -> dict[str, Any]:
    if isinstance(text, Mapping) and "sha256" in text:
        return dict(text)  # already summarized
    if manifest is None:
        manifest = parsed_in_this_call(text)
    if manifest is not None:
        return {"sha256": manifest.sha256, "documents": [t.to_dict() for t in manifest.targets()]}
    raw = text.encode("utf-8", errors="surrogatepass") if isinstance(text, str) else repr(text).encode()
    return {"sha256": hashlib.sha256(raw).hexdigest(), "bytes": len(raw), "documents": None}


def _shorten(value: Any) -> Any:
    if isinstance(value, str):
        if len(value) <= MAX_ARGUMENT_CHARS:
            return value
        digest = hashlib.sha256(value.encode("utf-8", errors="surrogatepass")).hexdigest()
        return {"prefix": value[:64], "chars": len(value), "sha256": digest}
    if isinstance(value, (bool, int, float)) or value is None:
        return value
    text = json.dumps(value, default=str)
    return _shorten(text) if len(text) > MAX_ARGUMENT_CHARS else value


class AuditLog:
    """Appends audit entries to a file; safe to share between threads and tasks."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND | os.O_CLOEXEC | getattr(os, "O_NOFOLLOW", 0)
        try:
            fd = os.open(self.path, flags, 0o600)
        except OSError as exc:
            if self.path.is_symlink():
                raise OSError(exc.errno, f"refusing to write the audit log through a symlink: {self.path}") from None
            raise OSError(exc.errno, f"cannot open the audit log {self.path}: {exc.strerror}") from None
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode):
                raise OSError(f"the audit log {self.path} is not a regular file")
            if stat.S_IMODE(info.st_mode) != 0o600:
                os.fchmod(fd, 0o600)
        except BaseException:
            os.close(fd)
            raise
        self._fd: int | None = fd

    def record(self, entry: AuditEntry) -> None:
        """Append one line; one write call per line, so lines never interleave."""
        data = (entry.to_json() + "\n").encode("utf-8")
        with self._lock:
            if self._fd is None:
                raise ValueError("the audit log is closed")
            view = memoryview(data)
            while view:
                written = os.write(self._fd, view)
                view = view[written:]

    def close(self) -> None:
        with self._lock:
            if self._fd is not None:
                os.close(self._fd)
                self._fd = None

    def __enter__(self) -> AuditLog:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
