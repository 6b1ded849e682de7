"""Output schemas from `mcp_kubectl.tools.schemas`: what they accept and refuse, and that they stay small."""

from __future__ import annotations

import json

import jsonschema
import pytest

from mcp_kubectl.tools.schemas import BOOL, CUT, INT, STR, answer, answers_of, array, obj

ERROR = {"error": {"reason": "NotFound", "message": "pods \"x\" not found", "hint": "Check the name.", "argument": "name"}}
ROLLOUT = answer({"kind": STR, "name": STR, "done": BOOL}, {"namespace": STR, "revisions": array(obj({"revision": INT})), **CUT})


def valid(schema: dict[str, object], value: object) -> bool:
    return jsonschema.Draft202012Validator(schema).is_valid(value)


def test_an_answer_needs_its_required_fields_with_their_types() -> None:
    schema = ROLLOUT.schema()
    assert schema["type"] == "object"  # MCP's rule for every outputSchema
    assert valid(schema, {"kind": "Deployment", "name": "web", "done": True})
    assert valid(schema, {"kind": "Deployment", "name": "web", "done": False, "namespace": "a", "revisions": [{"revision": 2}], "truncated": "..."})
    assert not valid(schema, {"kind": "Deployment", "name": "web"})  # done missing
    assert not valid(schema, {"kind": "Deployment", "name": "web", "done": "yes"})
    assert not valid(schema, {"kind": "Deployment", "name": "web", "done": True, "revisions": [{"revision": "2"}]})
    assert not valid(schema, {})


def test_every_schema_admits_the_error_answer_as_an_object() -> None:
    """Clients such as the TypeScript SDK validate structuredContent even when isError is set. The
    error's fields are not spelled in every schema (that cost the default tools/list 1 KB): an
    `error` object is admitted, anything else under `error` is not."""
    for schema in (ROLLOUT.schema(), answer({}).schema(), answers_of({"a": STR, "b": STR}, ("a",), ("b",)).schema()):
        assert valid(schema, ERROR)
        assert valid(schema, {"error": {"reason": "InvalidArgument", "message": "m"}})
    assert not valid(ROLLOUT.schema(), {"error": "NotFound"})
    assert not valid(ROLLOUT.schema(), {"error": ["NotFound"]})


def test_an_answer_of_several_forms_needs_one_of_them() -> None:
    schema = answers_of({"object": {"type": "object"}, "kind": STR, "name": STR}, ("kind", "name"), ("object",)).schema()
    assert valid(schema, {"kind": "Pod", "name": "x"}) and valid(schema, {"object": {}})
    assert not valid(schema, {"kind": "Pod"})


@pytest.mark.parametrize("fields", [1, 5, 10])
def test_the_error_shape_costs_the_same_small_amount_in_every_schema(fields: int) -> None:
    """Every tools/list carries every schema: the error answer adds one property and one alternative."""
    required = {f"f{n}": STR for n in range(fields)}
    plain = json.dumps({"type": "object", "properties": required, "required": list(required)}, separators=(",", ":"))
    with_error = json.dumps(answer(required).schema(), separators=(",", ":"))
    assert len(with_error) - len(plain) < 90
