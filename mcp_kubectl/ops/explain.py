"""explain_resource: `kubectl explain TYPE[.field.path]`, so a model writes manifests without guessing fields.

The first segment is resolved through discovery like every `kind` (an unknown type is the
usual UnknownResourceType, pointing at get_api_resources) and passed to kubectl with its
group and version, so `explain` reads exactly the type the other tools act on. A type denied
by --denied-resources is not explained either; namespaces do not matter (a schema is not
namespaced data). An unknown field path is InvalidArgument naming the field.
"""

from __future__ import annotations

import re
from typing import Any

from mcp_kubectl.cluster.gateway import Gateway
from mcp_kubectl.cluster.runner import KubectlCommand
from mcp_kubectl.errors import InvalidArgument, KubectlFailed, PolicyDenied
from mcp_kubectl.shaping.budget import cut_text_head, lines_marker

# A type name, then field names: letters, digits, '-' and '_' (x-kubernetes fields have none else).
_PATH = re.compile(r"^[A-Za-z][A-Za-z0-9-]*(\.[A-Za-z_$][A-Za-z0-9_-]*)*$")
MAX_PATH_CHARS = 253
_MISSING_FIELD = re.compile(r'field "([^"]+)" does not exist')


async def explain_resource(gw: Gateway, resource: str, *, recursive: bool = False) -> dict[str, Any]:
    """The schema and documentation of a type or field, within the byte budget."""
    if len(resource) > MAX_PATH_CHARS or not _PATH.match(resource):
        raise InvalidArgument(
            f"resource {resource[:60]!r} is not a type or field path",
            argument="resource",
            hint="Write TYPE or TYPE.field.path, e.g. deployments.spec.strategy.",
        )
    kind, _, path = resource.partition(".")
    served = await gw.resolve(kind)
    rule = gw.policy.rule_denying(served)
    if rule is not None:
        raise PolicyDenied(f"resource type {served.qualified_name!r} is denied by --denied-resources ({rule.spelling})")
    flags = [f"--api-version={served.api_version}", "--output=plaintext"]
    if recursive:
        flags.append("--recursive=true")
    explained = served.name + (f".{path}" if path else "")
    try:
        result = await gw.run(KubectlCommand("explain", args=(explained,), flags=tuple(flags)))
    except KubectlFailed as error:
        missing = _MISSING_FIELD.search(error.message)
        if missing is None:
            raise
        raise InvalidArgument(
            f"{served.kind} has no field path {path!r}: field {missing.group(1)!r} does not exist",
            argument="resource",
            hint=f"Explain the parent ({served.name}{'.' + path.rpartition('.')[0] if '.' in path else ''}) to see its fields.",
        ) from None
    text = gw.shape_text(result.stdout.decode("utf-8", errors="replace").rstrip())
    text, omitted = cut_text_head(text, gw.settings.budget_bytes)
    data: dict[str, Any] = {"resource": explained, "apiVersion": served.api_version}
    if omitted:
        data["truncated"] = lines_marker(omitted, gw.settings.budget_bytes, newest_kept=False, hint="explain a deeper field path")
        text += "\n" + data["truncated"]
    data["text"] = text
    return data
