"""What a model may send a tool: its advertised input schema, trimmed, and the check of
arguments against it, answered as an `InvalidArgument` that says what is accepted."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Mapping
from typing import Any

from pydantic import ValidationError

from mcp_kubectl.errors import InvalidArgument


def argument_problem(
    tool: str, schema: Mapping[str, Any], arguments: Mapping[str, Any], validate: Callable[[dict[str, Any]], Any]
) -> InvalidArgument | None:
    """The first thing wrong with `arguments` for this input schema, or None."""
    known = list(schema.get("properties") or {})
    for key in arguments:
        if key == "context" and key not in known:
            return InvalidArgument(
                f"{tool} takes no 'context': this server uses one kubeconfig context",
                argument=key,
                hint="Leave context out; the server's operator can allow more with --allowed-contexts.",
            )
        if key not in known:
            close = difflib.get_close_matches(key, known, n=1)
            guess = f"; did you mean {close[0]!r}?" if close else ""
            return InvalidArgument(
                f"{tool} has no parameter {key!r}{guess}", argument=key, hint=f"{tool} takes: {', '.join(known) or 'no arguments'}."
            )
    try:
        validate(dict(arguments))
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = first.get("loc") or ("arguments",)
        parameter = str(loc[0])
        accepted = _accepted(schema.get("properties", {}).get(parameter, {}))
        if first.get("type") == "missing":
            return InvalidArgument(f"{tool} needs {parameter!r}", argument=parameter, hint=f"{parameter}: {accepted}.")
        where = "".join(f"[{part}]" for part in loc[1:])
        got = _shown(first.get("input"))
        return InvalidArgument(
            f"{parameter}{where}={got} is not accepted: {first.get('msg', 'invalid value').lower()}",
            argument=parameter,
            hint=f"{parameter} accepts {accepted}.",
        )
    return None


def _accepted(prop: Mapping[str, Any]) -> str:
    """What a parameter's schema accepts, in words: 'an integer from 1 to 1000', "one of 'summary', 'full'"."""
    if "enum" in prop:
        return "one of " + ", ".join(repr(value) for value in prop["enum"])
    kind = prop.get("type")
    if kind == "integer":
        low, high = prop.get("minimum"), prop.get("maximum")
        if low is not None and high is not None:
            return f"an integer from {low} to {high}"
        return f"an integer of at least {low}" if low is not None else "an integer"
    if kind == "array":
        return "a list of strings" if (prop.get("items") or {}).get("type") == "string" else "a list"
    words = {"string": "a string", "boolean": "true or false", "object": "an object"}.get(str(kind), "a value")
    description = prop.get("description")
    return f"{words} ({description.rstrip('.')})" if description else words


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def trim(schema: dict[str, Any]) -> None:
    """Shrink the advertised input schema without changing what validates.

    Pydantic's auto titles repeat names, and `anyOf: [X, null]` with `default: null`
    says no more than leaving the parameter out of `required`; every session pays
    for these bytes in the model's context.
    """
    schema.pop("title", None)
    for prop in (schema.get("properties") or {}).values():
        _simplify(prop)


def _simplify(prop: dict[str, Any]) -> None:
    prop.pop("title", None)
    options = prop.get("anyOf")
    if isinstance(options, list) and len(options) == 2 and {"type": "null"} in options and prop.get("default", 0) is None:
        (kept,) = [o for o in options if o != {"type": "null"}]
        del prop["anyOf"]
        del prop["default"]
        prop.update(kept)
