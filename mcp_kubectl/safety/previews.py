"""What a person reads before approving a write (`--confirm-writes`): every changed field, or a refusal.

A preview used to be a diff cut at 8,000 characters, and metadata sorts before spec: a
long annotation pushed a second container with a foreign image out of view, and "yes"
approved it. Now the preview is built from structure:

- each object's changes as leaf field paths (`spec.template.spec.containers[1].image`),
  every one listed: `+` added, `-` removed, `~` changed;
- the fields that decide what runs and with which rights (`SENSITIVE_KEYS`: images,
  commands and args, securityContext and privileges, service accounts, hostPath and host
  namespaces, RBAC subjects, rules and roleRef) are listed first, their values in full;
  any other value is abbreviated past `VALUE_CHARS`, its path still shown;
- a Secret's values (and its last-applied annotation) show as sizes, never as text;
- if the whole list does not fit in `max_chars`, nothing is abbreviated further and
  nothing is cut: `PreviewTooLarge` refuses the write and says why.

Objects are compared as the API server returns them (the live object against the
server-side dry run of the apply), without status and server bookkeeping (resourceVersion,
generation, managedFields, uid, creationTimestamp), which no client write sets and which
would differ between the two rounds of a modern-protocol confirmation.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from mcp_kubectl.errors import ConfirmationRefused
from mcp_kubectl.safety.redaction import marker
from mcp_kubectl.shaping.objects import LAST_APPLIED_ANNOTATION as LAST_APPLIED

MAX_PREVIEW_CHARS = 8000  # a confirmation shows its whole change within this, or the write is refused
VALUE_CHARS = 120
# Keys whose whole subtree is shown in full wherever they appear (a pod template in any
# workload or custom resource, a Role, a binding): named by key, not by kind.
SENSITIVE_KEYS = frozenset(
    {
        "image", "command", "args",
        "securityContext", "privileged", "capabilities", "allowPrivilegeEscalation", "procMount",
        "runAsUser", "runAsGroup", "runAsNonRoot", "seLinuxOptions", "seccompProfile", "appArmorProfile",
        "serviceAccountName", "serviceAccount", "automountServiceAccountToken",
        "hostPath", "hostNetwork", "hostPID", "hostIPC", "hostUsers", "hostPort",
        "subjects", "rules", "roleRef", "aggregationRule", "nodeName",
    }
)
_IGNORED_METADATA = frozenset({"resourceVersion", "generation", "managedFields", "uid", "creationTimestamp", "selfLink"})
_ABSENT: Any = type("Absent", (), {"__repr__": lambda self: "<absent>"})()
_PLAIN_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")


class PreviewTooLarge(ConfirmationRefused):
    """The change cannot be shown whole within a confirmation, so it is not offered for approval."""


@dataclass(frozen=True)
class Change:
    """One leaf field a write adds, removes or changes."""

    path: tuple[str | int, ...]
    before: Any
    after: Any

    @property
    def sensitive(self) -> bool:
        return any(step in SENSITIVE_KEYS for step in self.path if isinstance(step, str))

    @property
    def sign(self) -> str:
        return "+" if self.before is _ABSENT else "-" if self.after is _ABSENT else "~"


@dataclass(frozen=True)
class ObjectChange:
    """What one write does to one object: `label` such as `Deployment team-a/web`."""

    verb: str  # create, update, delete
    label: str
    is_secret: bool
    changes: tuple[Change, ...]


def object_change(verb: str, label: str, before: Any, after: Any) -> ObjectChange:
    """The leaf changes between two versions of one object (`None` for absent: create, delete)."""
    old = _comparable(before) if before is not None else _ABSENT
    new = _comparable(after) if after is not None else _ABSENT
    kind = (after or before or {}).get("kind") if isinstance(after or before, dict) else None
    return ObjectChange(verb, label, kind == "Secret", tuple(_leaf_changes((), old, new)))


def _comparable(obj: Any) -> Any:
    if not isinstance(obj, dict):
        return obj
    out = {k: v for k, v in obj.items() if k != "status"}
    metadata = out.get("metadata")
    if isinstance(metadata, dict):
        out["metadata"] = {k: v for k, v in metadata.items() if k not in _IGNORED_METADATA}
    return out


def _leaf_changes(path: tuple[str | int, ...], before: Any, after: Any) -> Iterator[Change]:
    """Changed leaves in document order; iterative, as cluster objects may nest deeply."""
    stack: list[tuple[tuple[str | int, ...], Any, Any]] = [(path, before, after)]
    while stack:
        path, before, after = stack.pop()
        if before == after:
            continue
        if isinstance(before, dict) and isinstance(after, dict):
            keys = list(before) + [k for k in after if k not in before]
            stack.extend(((*path, k), before.get(k, _ABSENT), after.get(k, _ABSENT)) for k in reversed(keys))
        elif isinstance(before, list) and isinstance(after, list):
            pairs = [
                ((*path, i), before[i] if i < len(before) else _ABSENT, after[i] if i < len(after) else _ABSENT)
                for i in range(max(len(before), len(after)))
            ]
            stack.extend(reversed(pairs))
        elif before is _ABSENT and isinstance(after, (dict, list)) and after:
            # A whole subtree added is listed leaf by leaf, so a new container's image shows.
            yield from (Change((*path, *sub), _ABSENT, value) for sub, value in _leaves(after))
        elif after is _ABSENT and isinstance(before, (dict, list)) and before:
            yield from (Change((*path, *sub), value, _ABSENT) for sub, value in _leaves(before))
        else:
            yield Change(path, before, after)


def _leaves(value: Any) -> Iterator[tuple[tuple[str | int, ...], Any]]:
    stack: list[tuple[tuple[str | int, ...], Any]] = [((), value)]
    while stack:
        path, item = stack.pop()
        if isinstance(item, dict) and item:
            stack.extend(((*path, k), v) for k, v in reversed(list(item.items())))
        elif isinstance(item, list) and item:
            stack.extend(((*path, i), v) for i, v in reversed(list(enumerate(item))))
        else:
            yield path, item


def render(verb: str, objects: list[ObjectChange], *, max_chars: int = MAX_PREVIEW_CHARS) -> str:
    """The preview text: a count, then every object's changed paths, sensitive ones first and whole."""
    total = sum(len(o.changes) for o in objects)
    noun = "object" if len(objects) == 1 else "objects"
    lines = [f"{verb} {len(objects)} {noun}, {total} changed field{'s' if total != 1 else ''} (every one listed; images, commands, privileges, service accounts, host access and RBAC in full):"]
    for obj in objects:
        lines.append("")
        lines.append(f"{obj.verb} {obj.label}" + ("" if obj.changes else ": no field changes"))
        ordered = [c for c in obj.changes if c.sensitive] + [c for c in obj.changes if not c.sensitive]
        lines.extend(f"  {c.sign} {format_path(c.path)}{_values(c, obj.is_secret)}" for c in ordered)
    return _whole_or_refused(
        lines, max_chars, f"the change is too large to show for approval: {total} changed fields across {len(objects)} {noun}",
        hint="Split the change into smaller writes (fewer objects or fields per call), or preview it with dryRun=true.",
    )


def render_deleted(label: str, obj: Any, summary: str, *, max_chars: int = MAX_PREVIEW_CHARS) -> str:
    """A delete: the object, its summary, and its sensitive fields in full (what stops running)."""
    change = object_change("delete", label, obj, None)
    sensitive = [c for c in change.changes if c.sensitive]
    lines = [f"delete {label}" + (f" ({summary})" if summary else ""), "the whole object is removed"]
    if sensitive:
        lines.append("with these fields:")
        lines.extend(f"  - {format_path(c.path)}: {_show(c.before, c, change.is_secret)}" for c in sensitive)
    return _whole_or_refused(
        lines, max_chars, f"the delete is too large to show for approval: {len(sensitive)} sensitive fields",
        hint="Ask the person to delete it themselves, or preview it with dryRun=true.",
    )


def _whole_or_refused(lines: list[str], max_chars: int, what: str, *, hint: str) -> str:
    """The preview text, if a confirmation can show it whole; never a cut text."""
    text = "\n".join(lines)
    if len(text) > max_chars:
        raise PreviewTooLarge(
            f"{what} need {len(text):,} characters, over the {max_chars:,} a confirmation shows whole; nothing was written",
            hint=hint,
        )
    return text


def format_path(path: tuple[str | int, ...]) -> str:
    """`spec.containers[1].image`, `metadata.annotations["example.com/x"]`: the projection syntax."""
    out = ""
    for step in path:
        if isinstance(step, int):
            out += f"[{step}]"
        elif _PLAIN_KEY.match(step):
            out += f".{step}" if out else step
        else:
            out += "[" + json.dumps(step) + "]"
    return out or "(the object)"


def _values(change: Change, is_secret: bool) -> str:
    before, after = (_show(v, change, is_secret) if v is not _ABSENT else None for v in (change.before, change.after))
    if before is None:
        return f": {after}"
    if after is None:
        return f" (was {before})"
    return f": {before} -> {after}"


def _show(value: Any, change: Change, is_secret: bool) -> str:
    """One value as the person reads it: a Secret's as its size, a sensitive one whole, others abbreviated."""
    if is_secret and _holds_secret(change.path):
        return marker(_secret_size(value))
    return _dump(value, full=change.sensitive)


def _holds_secret(path: tuple[str | int, ...]) -> bool:
    return bool(path) and (path[0] in ("data", "stringData") or path[:3] == ("metadata", "annotations", LAST_APPLIED))


def _secret_size(value: Any) -> int:
    import base64
    import binascii

    if isinstance(value, str):
        try:
            return len(base64.b64decode(value, validate=True))
        except (binascii.Error, ValueError):
            return len(value.encode("utf-8"))
    return len(json.dumps(value).encode("utf-8"))


def _dump(value: Any, *, full: bool = True) -> str:
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    if full or len(text) <= VALUE_CHARS:
        return text
    return f"{text[:VALUE_CHARS - 40]}... ({len(text):,} characters)"
