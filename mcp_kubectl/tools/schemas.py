"""Output schemas: the shape of each tool's structured answer, for clients that validate it.

Every schema is sent in every `tools/list`, so each byte is paid by every session: they
say what a client can rely on (the fields always present, their types, the optional
fields by name) and nothing twice. A tool declares its answer beside its function:

    ROLLOUT = answer({"kind": STR, "name": STR, "action": STR}, {"namespace": STR, **CUT})

    async def rollout_resource(ops, ...) -> Annotated[dict[str, Any], ROLLOUT]: ...

`mcp_kubectl.tools.kit.build_tool` reads the annotation and advertises `Answer.schema()`,
which also admits the error answer `{"error": {"reason", "message", ...}}`: clients
such as the TypeScript SDK validate structuredContent even when isError is set.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

Schema = dict[str, Any]

STR: Schema = {"type": "string"}
INT: Schema = {"type": "integer"}
BOOL: Schema = {"type": "boolean"}
OBJ: Schema = {"type": "object"}
STRS: Schema = {"type": "array", "items": STR}
OBJS: Schema = {"type": "array", "items": OBJ}
STR_OR_NULL: Schema = {"type": ["string", "null"]}
INT_OR_NULL: Schema = {"type": ["integer", "null"]}

# Present when the byte budget cut the answer, and when the call needed a word of explanation.
CUT: Schema = {"truncated": STR, "notes": STRS}

# Every error answer: `McpKubectlError.to_dict()` (reason, message, and maybe hint, argument; the
# README's "The protocol, exactly" names them). The schema only admits it: spelling its fields in every tool cost
# the default tools/list 1 KB, the price of three read tools.
ERROR: Schema = OBJ


def obj(required: Mapping[str, Schema], optional: Mapping[str, Schema] | None = None) -> Schema:
    """An object with these fields, the first ones always present."""
    schema: Schema = {"type": "object", "properties": {**required, **(optional or {})}}
    if required:
        schema["required"] = list(required)
    return schema


def array(items: Schema) -> Schema:
    return {"type": "array", "items": items}


@dataclass(frozen=True)
class Answer:
    """A tool's successful structured answer: its fields, and which must be present.

    `required_sets` lists alternatives (any one set present is enough) for answers of
    several forms, e.g. an object, or `{"object": ...}` when a projection was asked for.
    """

    properties: Mapping[str, Schema]
    required_sets: Sequence[Sequence[str]] = field(default_factory=tuple)

    def schema(self) -> Schema:
        """The tool's `outputSchema`: this answer or an error answer, as one compact object schema."""
        properties = {**self.properties, "error": ERROR}
        alternatives = [{"required": list(required)} for required in self.required_sets if required]
        schema: Schema = {"type": "object", "properties": properties}
        if alternatives:
            schema["anyOf"] = [*alternatives, {"required": ["error"]}]
        return schema


def answer(required: Mapping[str, Schema], optional: Mapping[str, Schema] | None = None) -> Answer:
    """The usual answer: these fields always, those maybe."""
    return Answer({**required, **(optional or {})}, (tuple(required),))


def answers_of(properties: Mapping[str, Schema], *required_sets: Sequence[str]) -> Answer:
    """An answer of several forms: any one of `required_sets` is present."""
    return Answer(dict(properties), tuple(required_sets))
