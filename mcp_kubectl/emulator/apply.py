"""Server-side apply and managedFields, modelled on sigs.k8s.io/structured-merge-diff as the apiserver uses it.

A field set is a Python set of paths; a path is a tuple of FieldsV1 path elements
("f:spec", 'k:{"name":"app"}', 'v:"finalizer"'). A path that has members below it is itself a
member only when it is an associative-list item (or, for Update operations, a granular map newly
added as a whole) - that is what FieldsV1's `".": {}` records.

- `server_side_apply`: merge the applied configuration into the live object (associative lists by
  their keys, sets by value, atomic lists and maps replaced), refuse with `ApplyConflict` when a
  changed field is owned by another manager (unless forced: ownership then moves to the applier),
  and prune what this manager applied last time but no longer applies and nobody else owns.
- `record_update`: the Update bookkeeping of create/replace/patch: the writer gains the fields it
  changed, others lose them; a request that rewrites metadata.managedFields itself (kubectl's
  client-side-to-server-side apply migration) is honoured.

Type knowledge (which lists are maps or sets, which maps are atomic) comes from the list types of
k8s.io/api, expressed over patch.PATCH_FIELDS; custom resources are treated as schemaless
(atomic lists, granular maps).
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from mcp_kubectl.emulator.catalog import ResourceType
from mcp_kubectl.emulator.patch import field_patch, root_struct
from mcp_kubectl.shaping.objects import LAST_APPLIED_ANNOTATION as _LAST_APPLIED

__all__ = ["ApplyConflict", "server_side_apply", "record_update", "fields_to_paths", "paths_to_fields", "path_string"]

Path = tuple[str, ...]
FieldSet = set[Path]

_APPLY = "Apply"
_UPDATE = "Update"
_BEFORE_FIRST_APPLY = "before-first-apply"


class ApplyConflict(Exception):
    """Fields the applied configuration changes are owned by other managers (409 Conflict).

    `causes` are the Status causes the apiserver sends ({"reason": "FieldManagerConflict", ...})."""

    def __init__(self, conflicts: list[tuple[str, str]], message: str, causes: list[dict[str, Any]] | None = None) -> None:
        super().__init__(message)
        self.conflicts = conflicts
        self.message = message
        self.causes = causes or []


# --------------------------------------------------------------------------------------------------
# Type knowledge
# --------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Field:
    """Structural facts about one field: list type and keys, atomic map, nested struct."""

    list_type: str = "atomic"  # for lists: "map", "set" or "atomic"
    keys: tuple[str, ...] = ()
    atomic_map: bool = False
    struct: str = ""
    granular_map: bool = False


# List-map keys that differ from the strategic merge key (k8s.io/api +listMapKey markers).
_LIST_MAP_KEYS: dict[tuple[str, str], tuple[str, ...]] = {
    ("Container", "ports"): ("containerPort", "protocol"),
    ("ServiceSpec", "ports"): ("port", "protocol"),
    ("PodSpec", "topologySpreadConstraints"): ("topologyKey", "whenUnsatisfiable"),
}
# Defaults the server fills into list-map keys before comparing items.
_KEY_DEFAULTS = {"protocol": "TCP"}
# Maps that are replaced as a whole (+structType=atomic / +mapType=atomic).
_ATOMIC_MAPS: set[tuple[str, str]] = {
    ("DeploymentSpec", "selector"),
    ("WithPodTemplateSpec", "selector"),
    ("ServiceSpec", "selector"),
}
# map[string]X fields (as opposed to structs): their node is a member when added whole by an Update.
_GRANULAR_MAPS = {
    "labels",
    "annotations",
    "data",
    "binaryData",
    "stringData",
    "nodeSelector",
    "limits",
    "requests",
    "capacity",
    "allocatable",
    "parameters",
    "matchLabels",
    "hard",
    "used",
    "volumeAttributes",
}
def _field(struct: str, name: str, custom: bool) -> _Field:
    if custom:
        return _Field(granular_map=True)
    meta = field_patch(struct, name)
    bare = struct[len("<root>") :] if struct.startswith("<root>") else struct
    if meta.merges and meta.merge_key:
        keys = _LIST_MAP_KEYS.get((bare, name), (meta.merge_key,))
        return _Field("map", keys, struct=meta.struct)
    if meta.merges:
        return _Field("set", struct=meta.struct)
    return _Field(atomic_map=(bare, name) in _ATOMIC_MAPS, struct=meta.struct, granular_map=name in _GRANULAR_MAPS)


# --------------------------------------------------------------------------------------------------
# Path elements
# --------------------------------------------------------------------------------------------------
def _compact(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), sort_keys=True, ensure_ascii=False)


def _item_key(item: Any, keys: tuple[str, ...]) -> dict[str, Any] | None:
    if not isinstance(item, dict):
        return None
    key = {}
    for name in keys:
        if name in item:
            key[name] = item[name]
        elif name in _KEY_DEFAULTS:
            key[name] = _KEY_DEFAULTS[name]
    return key or None


def _key_element(item: Any, field: _Field, index: int) -> str:
    if field.list_type == "map":
        key = _item_key(item, field.keys)
        if key is not None:
            return "k:" + _compact(key)
        return f"i:{index}"
    return "v:" + _compact(item)


def path_string(path: Path) -> str:
    """fieldpath.Path.String(): .spec.containers[name="app"].image, .metadata.finalizers[="x"]."""
    parts = []
    for element in path:
        kind, _, rest = element.partition(":")
        if kind == "f":
            parts.append("." + rest)
        elif kind == "k":
            key = json.loads(rest)
            parts.append("[" + ",".join(f"{k}={_compact(v)}" for k, v in sorted(key.items())) + "]")
        elif kind == "v":
            parts.append(f"[={rest}]")
        elif kind == "i":
            parts.append(f"[{rest}]")
    return "".join(parts)


# --------------------------------------------------------------------------------------------------
# Field sets of values
# --------------------------------------------------------------------------------------------------
def _walk(value: Any, struct: str, path: Path, custom: bool, mode: str, out: dict[Path, Any]) -> None:
    """Collect member paths of `value` into out (path -> leaf value, or a marker for nodes)."""
    if isinstance(value, dict):
        if not value and path:
            out[path] = {}
            return
        _walk_members(value, struct, path, custom, mode, out)
    else:
        out[path] = value


def _walk_members(value: dict[str, Any], struct: str, path: Path, custom: bool, mode: str, out: dict[Path, Any]) -> None:
    """The members of an object (or of an associative list's item) below `path`."""
    for name, child in value.items():
        info = _field(struct, name, custom)
        child_path = path + ("f:" + name,)
        if isinstance(child, dict):
            if info.atomic_map:
                out[child_path] = copy.deepcopy(child)
                continue
            if mode == _UPDATE and info.granular_map and child:
                out[child_path] = _NODE
            _walk(child, info.struct, child_path, custom, mode, out)
        elif isinstance(child, list):
            _walk_list(child, info, child_path, custom, mode, out)
        else:
            out[child_path] = child


def _walk_list(items: list[Any], info: _Field, path: Path, custom: bool, mode: str, out: dict[Path, Any]) -> None:
    if info.list_type == "atomic" or not items:
        out[path] = copy.deepcopy(items)
        return
    for index, item in enumerate(items):
        element_path = path + (_key_element(item, info, index),)
        if info.list_type == "set":
            out[element_path] = item
            continue
        out[element_path] = _NODE
        if isinstance(item, dict):
            _walk_members(item, info.struct, element_path, custom, mode, out)


class _Node:
    """Marker for a member that is a node (list item, granular map), not a leaf."""

    def __repr__(self) -> str:
        return "<node>"


_NODE = _Node()

# Fields the field manager never tracks (stripMeta) plus status, reset on main-resource writes.
_STRIPPED: tuple[Path, ...] = (
    ("f:apiVersion",),
    ("f:kind",),
    ("f:metadata", "f:name"),
    ("f:metadata", "f:namespace"),
    ("f:metadata", "f:creationTimestamp"),
    ("f:metadata", "f:selfLink"),
    ("f:metadata", "f:uid"),
    ("f:metadata", "f:generation"),
    ("f:metadata", "f:managedFields"),
    ("f:metadata", "f:resourceVersion"),
    ("f:metadata", "f:deletionTimestamp"),
    ("f:metadata", "f:deletionGracePeriodSeconds"),
)


# What a write through a subresource may change (status: status and annotations; scale: replicas).
_SUBRESOURCE_FIELDS: dict[str, tuple[Path, ...]] = {
    "status": (("f:status",), ("f:metadata", "f:annotations")),
    "scale": (("f:spec", "f:replicas"),),
}


def _members(obj: dict[str, Any] | None, resource_type: ResourceType, mode: str, subresource: str = "") -> dict[Path, Any]:
    out: dict[Path, Any] = {}
    if obj:
        _walk(obj, "<root>" + root_struct(resource_type), (), resource_type.custom, mode, out)
    ignore_status = "status" in resource_type.subresources
    result = {}
    for path, value in out.items():
        if any(path[: len(stripped)] == stripped for stripped in _STRIPPED):
            continue
        if subresource in _SUBRESOURCE_FIELDS:
            # A subresource writes only its own fields; the rest of the object is reset.
            if not any(path[: len(prefix)] == prefix for prefix in _SUBRESOURCE_FIELDS[subresource]):
                continue
        elif ignore_status and path[:1] == ("f:status",):
            continue
        result[path] = value
    # A metadata map left empty by stripping is not a member.
    result.pop(("f:metadata",), None)
    return result


def _equal(a: Any, b: Any) -> bool:
    if a is _NODE or b is _NODE:
        return a is b
    return _compact(a) == _compact(b)


def _compare(old: dict[Path, Any], new: dict[Path, Any]) -> tuple[FieldSet, FieldSet, FieldSet]:
    """(added, modified, removed), like typed.Comparison."""
    added = {p for p in new if p not in old}
    removed = {p for p in old if p not in new}
    modified = {p for p in new if p in old and not _equal(old[p], new[p])}
    return added, modified, removed


# --------------------------------------------------------------------------------------------------
# FieldsV1 encoding
# --------------------------------------------------------------------------------------------------
def paths_to_fields(paths: Iterable[Path]) -> dict[str, Any]:
    """Encode a field set as FieldsV1 JSON."""
    paths = set(paths)
    root: dict[str, Any] = {}
    for path in sorted(paths):
        node = root
        for element in path:
            node = node.setdefault(element, {})
    # Mark nodes that are members and have children.
    for path in paths:
        node = root
        for element in path:
            node = node[element]
        if node and "." not in node:
            node["."] = {}
    return _sorted_fields(root)


def _sorted_fields(node: dict[str, Any]) -> dict[str, Any]:
    return {key: _sorted_fields(node[key]) for key in sorted(node, key=lambda k: (k != ".", k))}


def fields_to_paths(fields: dict[str, Any], prefix: Path = ()) -> FieldSet:
    """Decode FieldsV1 JSON into a field set."""
    result: FieldSet = set()
    for element, child in (fields or {}).items():
        if element == ".":
            if prefix:
                result.add(prefix)
            continue
        path = prefix + (element,)
        if not child:
            result.add(path)
        else:
            result |= fields_to_paths(child, path)
    return result


# --------------------------------------------------------------------------------------------------
# Managers
# --------------------------------------------------------------------------------------------------
@dataclass
class _Manager:
    manager: str
    operation: str
    api_version: str
    time: str
    fields: FieldSet
    subresource: str = ""

    @property
    def identity(self) -> tuple[str, str, str, str]:
        # Appliers are one manager whatever apiVersion they used; updaters are one per apiVersion.
        version = "" if self.operation == _APPLY else self.api_version
        return (self.manager, self.operation, version, self.subresource)

    def describe(self) -> str:
        text = json.dumps(self.manager)
        if self.subresource:
            text += f" with subresource {json.dumps(self.subresource)}"
        if self.operation == _UPDATE:
            text += f" using {self.api_version}"
        return text

    def entry(self) -> dict[str, Any]:
        entry = {
            "manager": self.manager,
            "operation": self.operation,
            "apiVersion": self.api_version,
            "time": self.time,
            "fieldsType": "FieldsV1",
            "fieldsV1": paths_to_fields(self.fields),
        }
        if self.subresource:
            entry["subresource"] = self.subresource
        return entry


def _decode(entries: Any) -> list[_Manager] | None:
    if not isinstance(entries, list):
        return None
    managers = []
    for entry in entries:
        if not isinstance(entry, dict) or entry.get("fieldsType", "FieldsV1") != "FieldsV1":
            return None
        managers.append(
            _Manager(
                manager=str(entry.get("manager", "")),
                operation=str(entry.get("operation", _UPDATE)),
                api_version=str(entry.get("apiVersion", "")),
                time=str(entry.get("time", "")),
                fields=fields_to_paths(entry.get("fieldsV1") or {}),
                subresource=str(entry.get("subresource", "")),
            )
        )
    return managers


_MAX_UPDATE_MANAGERS = 10
_ANCIENT_CHANGES = "ancient-changes"


def _cap_updaters(managers: list[_Manager]) -> list[_Manager]:
    """Merge the oldest Update entries into "ancient-changes" buckets beyond 10, as the apiserver does."""
    updaters = [m for m in managers if m.operation == _UPDATE and m.fields]
    if len(updaters) <= _MAX_UPDATE_MANAGERS:
        return managers
    updaters.sort(key=lambda m: (m.time, m.manager))
    result = list(managers)
    first_by_version: dict[str, _Manager] = {}
    buckets: dict[str, _Manager] = {}
    count = len(updaters)
    for manager in updaters:
        if count <= _MAX_UPDATE_MANAGERS:
            break
        version = manager.api_version
        first = first_by_version.get(version)
        if first is None:
            first_by_version[version] = manager
            continue
        bucket = buckets.get(version)
        if bucket is None:
            bucket = _Manager(_ANCIENT_CHANGES, _UPDATE, version, first.time, set(first.fields))
            buckets[version] = bucket
            result[result.index(first)] = bucket
        bucket.fields |= manager.fields
        bucket.time = manager.time
        result.remove(manager)
        count -= 1
    return result


def _encode(managers: list[_Manager]) -> list[dict[str, Any]]:
    kept = [m for m in _cap_updaters(managers) if m.fields]
    kept.sort(key=lambda m: (m.operation, m.time, m.manager, m.api_version, m.subresource))
    return [m.entry() for m in kept]


def _managed_fields(obj: dict[str, Any] | None) -> Any:
    return ((obj or {}).get("metadata") or {}).get("managedFields")


def _with_managed_fields(obj: dict[str, Any], managers: list[_Manager]) -> dict[str, Any]:
    result = copy.deepcopy(obj)
    metadata = result.setdefault("metadata", {})
    encoded = _encode(managers)
    if encoded:
        metadata["managedFields"] = encoded
    else:
        metadata.pop("managedFields", None)
    return result


def _strip_managed_fields(obj: dict[str, Any]) -> dict[str, Any]:
    result = copy.deepcopy(obj)
    (result.get("metadata") or {}).pop("managedFields", None)
    return result


def _take_changes(
    managers: list[_Manager], writer: tuple[Any, ...], added: FieldSet, modified: FieldSet, removed: FieldSet, force: bool
) -> dict[tuple[Any, ...], FieldSet]:
    """The update() step: other managers lose removed (and, when forced, conflicting) fields.

    Returns the conflicts found (manager identity -> fields)."""
    conflicts: dict[tuple[Any, ...], FieldSet] = {}
    changed = added | modified
    for manager in managers:
        if manager.identity == writer:
            continue
        clash = manager.fields & changed
        if clash:
            conflicts[manager.identity] = clash
    if conflicts and not force:
        return conflicts
    for manager in managers:
        if manager.identity == writer:
            continue
        manager.fields = manager.fields - conflicts.get(manager.identity, set()) - removed
    return {}


# --------------------------------------------------------------------------------------------------
# Update
# --------------------------------------------------------------------------------------------------
def record_update(
    old: dict[str, Any] | None, new: dict[str, Any], *, manager: str, resource_type: ResourceType, now: str, subresource: str = ""
) -> dict[str, Any]:
    """Return `new` with metadata.managedFields updated for a non-apply write (operation Update).

    `subresource="status"` / `"scale"` records a write through that subresource: only the fields it can
    change are tracked, and the entry carries `subresource`, as on a real cluster."""
    requested = _managed_fields(new)
    managers: list[_Manager] | None = None
    if requested == [{}]:
        managers = []  # an explicit reset
    elif requested:
        managers = _decode(requested)
    if not managers and requested != [{}]:
        managers = _decode(_managed_fields(old)) or []
    assert managers is not None
    old_members = _members(old, resource_type, _UPDATE, subresource)
    new_members = _members(new, resource_type, _UPDATE, subresource)
    added, modified, removed = _compare(old_members, new_members)
    writer = _Manager(manager, _UPDATE, resource_type.api_version, now, set(), subresource)
    _take_changes(managers, ("", "", "", "current-operation"), added, modified, removed, True)
    changed = added | modified
    if changed:
        existing = next((m for m in managers if m.identity == writer.identity), None)
        if existing is None:
            existing = writer
            managers.append(existing)
        existing.fields = (existing.fields | changed) - removed
        existing.time = now
    return _with_managed_fields(new, managers)


# --------------------------------------------------------------------------------------------------
# Apply: merging
# --------------------------------------------------------------------------------------------------
def _merge_value(live: Any, config: Any, struct: str, info: _Field | None, custom: bool) -> Any:
    if isinstance(live, dict) and isinstance(config, dict):
        if info is not None and info.atomic_map:
            return copy.deepcopy(config)
        result = copy.deepcopy(live)
        for name, value in config.items():
            sub = _field(struct, name, custom)
            if name in result:
                result[name] = _merge_value(result[name], value, sub.struct, sub, custom)
            else:
                result[name] = copy.deepcopy(value)
        return result
    if isinstance(live, list) and isinstance(config, list) and info is not None and info.list_type != "atomic":
        return _merge_list(live, config, info, custom)
    return copy.deepcopy(config)


def _merge_list(live: list[Any], config: list[Any], info: _Field, custom: bool) -> list[Any]:
    """Port of structured-merge-diff's visitListItems ordering: config order, live-only items kept in place."""
    lhs = [_key_element(item, info, i) for i, item in enumerate(live)]
    rhs = [_key_element(item, info, i) for i, item in enumerate(config)]
    lhs_items = dict(zip(lhs, live, strict=True))
    rhs_items = dict(zip(rhs, config, strict=True))
    shared = [pe for pe in rhs if pe in lhs_items]
    next_shared = shared.pop(0) if shared else None
    merged: set[str] = set()
    out = []
    li = ri = 0

    def merge_item(pe: str, left: Any, right: Any) -> Any:
        if info.list_type == "set":
            return copy.deepcopy(right if right is not None else left)
        if left is None:
            return copy.deepcopy(right)
        if right is None:
            return copy.deepcopy(left)
        return _merge_value(left, right, info.struct, None, custom)

    while li < len(lhs) or ri < len(rhs):
        if li < len(lhs) and ri < len(rhs):
            pe = lhs[li]
            if pe == rhs[ri]:
                merged.add(pe)
                out.append(merge_item(pe, lhs_items.get(pe), rhs_items.get(pe)))
                li += 1
                ri += 1
                next_shared = shared.pop(0) if shared else None
                continue
            if pe in rhs_items and next_shared is not None and next_shared != pe:
                li += 1
                continue
        if li < len(lhs):
            pe = lhs[li]
            if pe not in rhs_items:
                out.append(copy.deepcopy(live[li]))
                li += 1
                continue
            if pe in merged:
                li += 1
                continue
        if ri < len(rhs):
            pe = rhs[ri]
            merged.add(pe)
            out.append(merge_item(pe, lhs_items.get(pe), rhs_items.get(pe)))
            ri += 1
            if next_shared is not None and next_shared == pe:
                next_shared = shared.pop(0) if shared else None
    return out


def _remove_paths(obj: dict[str, Any], paths: FieldSet, resource_type: ResourceType) -> dict[str, Any]:
    """Remove the given member paths from obj (RemoveItems), dropping granular maps left empty."""
    result = copy.deepcopy(obj)
    for path in sorted(paths, key=len, reverse=True):
        _remove_path(result, path, "<root>" + root_struct(resource_type), resource_type.custom)
    return result


def _remove_path(node: Any, path: Path, struct: str, custom: bool) -> bool:
    """Remove `path` below `node`; returns True when `node` became an empty granular map."""
    if not path:
        return False
    element, rest = path[0], path[1:]
    if not isinstance(node, dict) or not element.startswith("f:"):
        return False
    name = element[2:]
    if name not in node:
        return False
    info = _field(struct, name, custom)
    if not rest:
        del node[name]
        return not node
    child = node[name]
    if isinstance(child, dict):
        if _remove_path(child, rest, info.struct, custom) and (info.granular_map or custom):
            del node[name]
    elif isinstance(child, list):
        target, below = rest[0], rest[1:]
        for index, item in enumerate(child):
            if _key_element(item, info, index) != target:
                continue
            if not below:
                child.pop(index)
            elif isinstance(item, dict):
                _remove_path(item, below, info.struct, custom)
            break
        if not child:
            del node[name]
    return not node


def _conflict_message(conflicts: list[tuple[str, str]]) -> str:
    if len(conflicts) == 1:
        manager, path = conflicts[0]
        return f"Apply failed with 1 conflict: conflict with {manager}: {path}"
    by_manager: dict[str, list[str]] = {}
    for manager, path in conflicts:
        by_manager.setdefault(manager, []).append(path)
    lines = []
    for manager in sorted(by_manager):
        lines.append(f"conflicts with {manager}:")
        lines.extend(f"- {path}" for path in by_manager[manager])
    return f"Apply failed with {len(conflicts)} conflicts: " + "\n".join(lines)


def server_side_apply(
    live: dict[str, Any] | None, applied: dict[str, Any], *, manager: str, force: bool, resource_type: ResourceType, now: str
) -> dict[str, Any]:
    """Apply `applied` for `manager`; returns the merged object with managedFields (operation Apply).

    Raises ApplyConflict when another manager owns a field this configuration changes and force is False."""
    config = _strip_managed_fields(applied)
    if "status" in resource_type.subresources:
        config.pop("status", None)  # the main resource ignores status, as the reset strategy does
    root = "<root>" + root_struct(resource_type)
    if live is None:
        managers: list[_Manager] = []
        live_object: dict[str, Any] = {}
    else:
        managers = _decode(_managed_fields(live)) or []
        live_object = _strip_managed_fields(live)
        if not managers:
            # An object nobody tracked yet: all its fields belong to "before-first-apply".
            fields = set(_members(live_object, resource_type, _UPDATE))
            if fields:
                managers = [_Manager(_BEFORE_FIRST_APPLY, _UPDATE, resource_type.api_version, now, fields)]
    applier = _Manager(manager, _APPLY, resource_type.api_version, now, set())
    previous = next((m for m in managers if m.identity == applier.identity), None)
    last_applied = set(previous.fields) if previous else set()
    if previous is None:
        previous = applier
        managers.append(previous)

    merged = _merge_value(live_object, config, root, None, resource_type.custom)
    applied_fields = set(_members(config, resource_type, _APPLY))
    previous.fields = applied_fields
    previous.api_version = resource_type.api_version

    # Prune what this manager applied before, no longer applies, and nobody else owns.
    if last_applied:
        owned: FieldSet = set()
        for other in managers:
            owned |= other.fields
        stale = {
            p
            for p in last_applied - owned
            if not any(len(q) > len(p) and q[: len(p)] == p for q in owned) and not _is_item_key(p)
        }
        stale = {p for p in stale if not any(len(q) < len(p) and p[: len(q)] == q for q in stale)}
        if stale:
            merged = _remove_paths(merged, stale, resource_type)

    added, modified, removed = _compare(
        _members(live_object, resource_type, _UPDATE), _members(merged, resource_type, _UPDATE)
    )
    conflicts = _take_changes(managers, applier.identity, added, modified, removed, force)
    if conflicts and manager == "kubectl":
        # kubectl's first server-side apply after client-side applies takes over the fields its
        # last-applied annotation still describes (the apiserver's lastAppliedManager).
        allowed = _allowed_from_last_applied(live_object, resource_type)
        conflicts = {who: paths - allowed for who, paths in conflicts.items() if paths - allowed}
        if not conflicts:
            _take_changes(managers, applier.identity, added, modified, removed, True)
    if conflicts:
        by_identity = {m.identity: m for m in managers}
        found = [
            (by_identity[identity], path)
            for identity in sorted(conflicts, key=lambda i: by_identity[i].describe())
            for path in sorted(conflicts[identity])
        ]
        raise ApplyConflict(
            [(m.manager, path_string(path)) for m, path in found],
            _conflict_message([(m.describe(), path_string(path)) for m, path in found]),
            [
                {"reason": "FieldManagerConflict", "message": f"conflict with {m.describe()}", "field": path_string(path)}
                for m, path in found
            ],
        )
    if live is None or not previous.time or merged != live_object:
        previous.time = now
    return _with_managed_fields(merged, managers)


def _allowed_from_last_applied(live: dict[str, Any], resource_type: ResourceType) -> FieldSet:
    """Fields of the last-applied-configuration annotation that still match the live object."""
    annotations = (live.get("metadata") or {}).get("annotations") or {}
    text = annotations.get(_LAST_APPLIED)
    if not text:
        return set()
    try:
        last_applied = json.loads(text)
    except ValueError:
        return set()
    if not isinstance(last_applied, dict) or last_applied.get("apiVersion") != resource_type.api_version:
        return set()
    applied_members = _members(last_applied, resource_type, _APPLY)
    live_members = _members(live, resource_type, _UPDATE)
    return {p for p, value in applied_members.items() if p in live_members and _equal(value, live_members[p])}


def _is_item_key(path: Path) -> bool:
    """A key field of an associative-list item: never pruned on its own (the item would lose its identity)."""
    if len(path) < 2 or not path[-2].startswith("k:") or not path[-1].startswith("f:"):
        return False
    return path[-1][2:] in json.loads(path[-2][2:])
