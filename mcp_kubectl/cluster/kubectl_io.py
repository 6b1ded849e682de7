"""What goes into kubectl's stdin and comes out of its stdout, as plain functions.

Manifests go in as a stream of JSON documents; answers come back as one JSON value,
a stream of them (one per document), a unified diff, or an error text naming the
field managers an apply conflicts with.
"""

from __future__ import annotations

import json
import re
from typing import Any

from mcp_kubectl.errors import KubectlFailed, Reason
from mcp_kubectl.settings import FIELD_MANAGER


def parse_json(body: bytes) -> dict[str, Any]:
    """One JSON object from kubectl or the API; anything else is a KubectlError, not a crash."""
    try:
        value = json.loads(body)
    except ValueError as exc:
        raise KubectlFailed(f"kubectl returned output that is not JSON: {exc}", reason=Reason.UNKNOWN) from None
    except RecursionError:
        raise _too_deep() from None
    if not isinstance(value, dict):
        raise KubectlFailed("kubectl returned JSON that is not an object", reason=Reason.UNKNOWN)
    return value


def _too_deep() -> KubectlFailed:
    # The API server accepts objects nested 10,000 deep; Python's parser stops near 1,000.
    return KubectlFailed(
        "the cluster returned an object nested too deeply to read",
        reason=Reason.UNKNOWN,
        hint="Read a narrower part with fields=[...] or describe_resource.",
    )


_CONFLICT_MANAGER = re.compile(r'conflicts? with "([^"]+)"')


def conflicts_only_with_ourselves(message: str) -> bool:
    """Whether every manager an apply conflicts with is this server's own field manager."""
    managers = set(_CONFLICT_MANAGER.findall(message))
    return bool(managers) and managers <= {FIELD_MANAGER}


def parse_json_stream(body: bytes) -> list[dict[str, Any]]:
    """Consecutive JSON objects, as kubectl prints one per document of a multi-document input."""
    text = body.decode("utf-8", errors="replace")
    decoder = json.JSONDecoder()
    values: list[Any] = []
    index = 0
    while True:
        while index < len(text) and text[index].isspace():
            index += 1
        if index >= len(text):
            return values
        try:
            value, index = decoder.raw_decode(text, index)
        except ValueError as exc:
            raise KubectlFailed(f"kubectl returned output that is not JSON: {exc}", reason=Reason.UNKNOWN) from None
        except RecursionError:
            raise _too_deep() from None
        if isinstance(value, dict):
            values.append(value)


_DIFF_HEADER = re.compile(r"^(---|\+\+\+) \S*/(LIVE|MERGED)-[^/]*/(\S+).*$")


def stable_diff(diff: str) -> str:
    """A diff without kubectl's temp directories and file times, so it reads the same twice."""
    lines = []
    for line in diff.splitlines():
        if line.startswith("diff -u"):
            continue
        lines.append(_DIFF_HEADER.sub(lambda m: f"{m.group(1)} {m.group(2).lower()}/{m.group(3)}", line))
    return "\n".join(lines)


def as_documents(documents: list[dict[str, Any]]) -> bytes:
    """Validated documents as a stream of JSON documents: kubectl sees exactly what was checked.

    Not one `v1 List`: kubectl validates a List on the client against OpenAPI v2,
    while each plain document is validated by the server (fieldValidation=Strict).
    Newline-separated, not `---`: kubectl 1.32 reads input that starts with `{` as a
    JSON stream and fails at a `---` after the first document has been written.
    """
    return b"\n".join(json.dumps(document, separators=(",", ":")).encode() for document in documents)


def compact_json(value: Any) -> str:
    """JSON without spaces: what the model reads when there is no leaner text form."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)

