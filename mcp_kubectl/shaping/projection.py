"""Just the fields the model names, per item: `fields=["spec.containers[*].image"]`.

The grammar is deliberately small and parsed here, never handed to kubectl's
JSONPath (which would take filters and expressions from the model):

    path    := segment ( "." name | "[" index "]" | "[*]" | "[" quoted "]" )*
    segment := name | "[" quoted "]"
    name    := [A-Za-z0-9_][A-Za-z0-9_-]*   index := [0-9]+
    quoted  := "..." or '...' with \\" \\' \\\\ escapes, for keys such as
               metadata.labels["app.kubernetes.io/name"]

`[*]` over a list yields each element (over a mapping, each value); results of
wildcards are flattened into one list, like kubectl's `{..[*]..}` output.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from mcp_kubectl.errors import InvalidArgument

MAX_PATHS = 20
MAX_PATH_CHARS = 200


class _Wildcard:
    """The `[*]` step."""

    def __repr__(self) -> str:
        return "WILDCARD"


WILDCARD = _Wildcard()
Step = str | int | _Wildcard

_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_-]*")
_INDEX = re.compile(r"\[([0-9]+)\]")
_EXAMPLE = 'e.g. spec.containers[*].image or metadata.labels["app.kubernetes.io/name"]'


@dataclass(frozen=True)
class FieldPath:
    """One parsed path: `text` as the model gave it, `steps` to walk."""

    text: str
    steps: tuple[Step, ...]

    @property
    def has_wildcard(self) -> bool:
        return any(step is WILDCARD for step in self.steps)


def _invalid(path: str, why: str) -> InvalidArgument:
    return InvalidArgument(
        f"field path {path!r}: {why}",
        argument="fields",
        hint=f"Use dotted names, [N], [*] and [\"key\"] only, {_EXAMPLE}.",
    )


def _parse_quoted(path: str, pos: int) -> tuple[str, int]:
    """Read `"..."]` or `'...']` starting at the quote; return the key and the index after `]`."""
    quote = path[pos]
    pos += 1
    chars: list[str] = []
    while pos < len(path):
        char = path[pos]
        if char == "\\":
            if pos + 1 >= len(path) or path[pos + 1] not in ('"', "'", "\\"):
                raise _invalid(path, f"bad escape at position {pos}")
            chars.append(path[pos + 1])
            pos += 2
            continue
        if char == quote:
            if pos + 1 >= len(path) or path[pos + 1] != "]":
                raise _invalid(path, f"expected ] after the quoted key at position {pos + 1}")
            if not chars:
                raise _invalid(path, "empty quoted key")
            return "".join(chars), pos + 2
        chars.append(char)
        pos += 1
    raise _invalid(path, "unterminated quoted key")


def parse_field_path(path: str) -> FieldPath:
    """Parse one path of the grammar above, or raise InvalidArgument(argument="fields")."""
    if not isinstance(path, str) or not path.strip():
        raise _invalid(str(path), "empty path")
    if len(path) > MAX_PATH_CHARS:
        raise _invalid(path[:40] + "...", f"longer than {MAX_PATH_CHARS} characters")
    steps: list[Step] = []
    pos = 0
    expect_name = True  # at the start or right after a dot
    while pos < len(path):
        char = path[pos]
        if char == "[":
            if expect_name and steps:
                raise _invalid(path, f"a name must follow '.' at position {pos}")
            if path.startswith("[*]", pos):
                steps.append(WILDCARD)
                pos += 3
            elif pos + 1 < len(path) and path[pos + 1] in ('"', "'"):
                key, pos = _parse_quoted(path, pos + 1)
                steps.append(key)
            else:
                match = _INDEX.match(path, pos)
                if match is None:
                    raise _invalid(path, f"expected [N], [*] or [\"key\"] at position {pos}")
                steps.append(int(match.group(1)))
                pos = match.end()
            expect_name = False
        elif char == ".":
            if expect_name:
                raise _invalid(path, f"unexpected '.' at position {pos}")
            expect_name = True
            pos += 1
        elif expect_name:
            match = _NAME.match(path, pos)
            if match is None:
                raise _invalid(path, f"unexpected {char!r} at position {pos}")
            steps.append(match.group(0))
            pos = match.end()
            expect_name = False
        else:
            raise _invalid(path, f"unexpected {char!r} at position {pos}")
    if expect_name:
        raise _invalid(path, "ends with '.'")
    return FieldPath(text=path, steps=tuple(steps))


def parse_field_paths(paths: Sequence[str]) -> list[FieldPath]:
    """Parse the model's `fields` argument: at most 20 paths, duplicates dropped."""
    if isinstance(paths, str) or not isinstance(paths, Sequence):
        raise InvalidArgument(
            "fields must be a list of field paths", argument="fields", hint=_EXAMPLE
        )
    if not paths:
        raise InvalidArgument("fields is empty", argument="fields", hint=f"Name at least one path, {_EXAMPLE}.")
    if len(paths) > MAX_PATHS:
        raise InvalidArgument(
            f"{len(paths)} field paths given; at most {MAX_PATHS}",
            argument="fields",
            hint="Ask for fewer fields, or use output=\"full\" for whole objects.",
        )
    parsed: list[FieldPath] = []
    seen: set[str] = set()
    for path in paths:
        field_path = parse_field_path(path)
        if field_path.text not in seen:
            seen.add(field_path.text)
            parsed.append(field_path)
    return parsed


_MISSING = object()


def _walk(value: Any, steps: tuple[Step, ...]) -> list[Any]:
    """Every value the steps reach (wildcards fan out); missing branches yield nothing."""
    current = [value]
    for step in steps:
        following: list[Any] = []
        for node in current:
            if step is WILDCARD:
                if isinstance(node, list):
                    following.extend(node)
                elif isinstance(node, dict):
                    following.extend(node.values())
            elif isinstance(step, int):
                if isinstance(node, list) and step < len(node):
                    following.append(node[step])
            elif isinstance(node, dict) and step in node:
                following.append(node[step])
        current = following
        if not current:
            break
    return current


def _extract(obj: Any, path: FieldPath) -> Any:
    """The value at `path`: a list for wildcard paths, `_MISSING` when nothing is there."""
    found = _walk(obj, path.steps)
    if path.has_wildcard:
        return found if found else _MISSING
    return found[0] if found else _MISSING


def project(obj: dict[str, Any], paths: Sequence[FieldPath]) -> dict[str, Any]:
    """`{"name", "namespace", "<path as given>": value}` for one object; missing paths left out."""
    metadata = obj.get("metadata") or {}
    out: dict[str, Any] = {"name": metadata.get("name", "")}
    if metadata.get("namespace"):
        out["namespace"] = metadata["namespace"]
    for path in paths:
        value = _extract(obj, path)
        if value is not _MISSING:
            out[path.text] = value
    return out
