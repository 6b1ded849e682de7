"""The three PATCH flavours the API server accepts besides server-side apply.

- `json_patch`: RFC 6902 (application/json-patch+json), as evanphx/json-patch applies it.
- `merge_patch`: RFC 7386 (application/merge-patch+json).
- `strategic_merge_patch`: Kubernetes' strategic merge patch (application/strategic-merge-patch+json),
  a port of k8s.io/apimachinery/pkg/util/strategicpatch with the server's options
  (MergeParallelList, IgnoreUnmatchedNulls), so the directives kubectl's client-side apply sends
  (`$patch`, `$setElementOrder/...`, `$retainKeys`, `$deleteFromPrimitiveList/...`) behave as on a real cluster.

Merge keys and strategies come from the struct tags of k8s.io/api (`patchStrategy`, `patchMergeKey`);
`PATCH_FIELDS` holds them, and openapi.py publishes the same table as `x-kubernetes-patch-*` extensions.

Errors (all `PatchError`, with the code and reason the real server answers):
    400 BadRequest            the patch document itself is malformed
    415 UnsupportedMediaType  strategic merge patch on a custom resource
    422 Invalid               a JSON patch operation does not apply; retainKeys/list-of-lists violations
    500 (no reason)           other strategic merge failures (e.g. a list item without its merge key)
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from typing import Any

from mcp_kubectl.emulator.catalog import ResourceType

__all__ = [
    "PatchError",
    "FieldPatch",
    "PATCH_FIELDS",
    "root_struct",
    "field_patch",
    "json_patch",
    "merge_patch",
    "strategic_merge_patch",
    "UNSUPPORTED_PATCH_MESSAGE",
]

UNSUPPORTED_PATCH_MESSAGE = (
    "the body of the request was in an unknown format - accepted media types include: "
    "application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml"
)
_JSON_PATCH_FAILED = "the server rejected our request due to an error in our request"


class PatchError(Exception):
    """A patch the server refuses; `code` and `reason` are those of the Status it answers with."""

    def __init__(self, message: str, *, code: int, reason: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.reason = reason


# --------------------------------------------------------------------------------------------------
# Merge keys and strategies (k8s.io/api struct tags)
# --------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class FieldPatch:
    """How a field merges: `strategy` as in the patchStrategy tag ("merge", "merge,retainKeys",
    "retainKeys", "" for plain/atomic), `merge_key` for lists of maps, `struct` names the element
    (or nested struct) so lookups can continue below it."""

    strategy: str = ""
    merge_key: str = ""
    struct: str = ""

    @property
    def merges(self) -> bool:
        """True when lists merge instead of being replaced."""
        return "merge" in self.strategy.split(",")


_CONDITIONS = FieldPatch("merge", "type")
_STATUS_WITH_CONDITIONS = FieldPatch(struct="StatusWithConditions")

# struct name -> field name -> FieldPatch. Fields not listed are plain (maps merge, lists replace).
PATCH_FIELDS: dict[str, dict[str, FieldPatch]] = {
    "ObjectMeta": {
        "finalizers": FieldPatch("merge"),
        "ownerReferences": FieldPatch("merge", "uid"),
    },
    "StatusWithConditions": {"conditions": _CONDITIONS},
    "PodTemplateSpec": {"metadata": FieldPatch(struct="ObjectMeta"), "spec": FieldPatch(struct="PodSpec")},
    "PodSpec": {
        "volumes": FieldPatch("merge,retainKeys", "name"),
        "initContainers": FieldPatch("merge", "name", "Container"),
        "containers": FieldPatch("merge", "name", "Container"),
        "ephemeralContainers": FieldPatch("merge", "name", "Container"),
        "imagePullSecrets": FieldPatch("merge", "name"),
        "hostAliases": FieldPatch("merge", "ip"),
        "topologySpreadConstraints": FieldPatch("merge", "topologyKey"),
        "resourceClaims": FieldPatch("merge,retainKeys", "name"),
        "schedulingGates": FieldPatch("merge", "name"),
    },
    "Container": {
        "ports": FieldPatch("merge", "containerPort"),
        "env": FieldPatch("merge", "name"),
        "volumeMounts": FieldPatch("merge", "mountPath"),
        "volumeDevices": FieldPatch("merge", "devicePath"),
    },
    "PodStatus": {
        "conditions": _CONDITIONS,
        "podIPs": FieldPatch("merge", "ip"),
        "hostIPs": FieldPatch("merge", "ip"),
        "resourceClaimStatuses": FieldPatch("merge,retainKeys", "name"),
    },
    "Pod": {"spec": FieldPatch(struct="PodSpec"), "status": FieldPatch(struct="PodStatus")},
    "PodTemplate": {"template": FieldPatch(struct="PodTemplateSpec")},
    "WithPodTemplateSpec": {"template": FieldPatch(struct="PodTemplateSpec")},
    "ReplicationController": {
        "spec": FieldPatch(struct="WithPodTemplateSpec"),
        "status": _STATUS_WITH_CONDITIONS,
    },
    "DeploymentSpec": {
        "template": FieldPatch(struct="PodTemplateSpec"),
        "strategy": FieldPatch("retainKeys"),
    },
    "Deployment": {"spec": FieldPatch(struct="DeploymentSpec"), "status": _STATUS_WITH_CONDITIONS},
    "WorkloadWithTemplate": {
        "spec": FieldPatch(struct="WithPodTemplateSpec"),
        "status": _STATUS_WITH_CONDITIONS,
    },
    "JobTemplateSpec": {"metadata": FieldPatch(struct="ObjectMeta"), "spec": FieldPatch(struct="WithPodTemplateSpec")},
    "CronJobSpec": {"jobTemplate": FieldPatch(struct="JobTemplateSpec")},
    "CronJob": {"spec": FieldPatch(struct="CronJobSpec")},
    "ServiceSpec": {"ports": FieldPatch("merge", "port")},
    "Service": {"spec": FieldPatch(struct="ServiceSpec"), "status": _STATUS_WITH_CONDITIONS},
    "NodeSpec": {"podCIDRs": FieldPatch("merge")},
    "NodeStatus": {"conditions": _CONDITIONS, "addresses": FieldPatch("merge", "type")},
    "Node": {"spec": FieldPatch(struct="NodeSpec"), "status": FieldPatch(struct="NodeStatus")},
    "ServiceAccount": {"secrets": FieldPatch("merge", "name")},
    "WebhookConfiguration": {"webhooks": FieldPatch("merge", "name")},
    "WithStatusConditions": {"status": _STATUS_WITH_CONDITIONS},
}

# Built-in kinds whose top level has the same rules as other kinds'; any other built-in kind with its own
# entry in PATCH_FIELDS (Pod, Deployment, ...) is described by it, and the rest only have ObjectMeta rules.
_SHARED_ROOTS: dict[str, str] = {kind: struct for struct, kinds in {
    "WithStatusConditions": ("Namespace", "PersistentVolumeClaim", "HorizontalPodAutoscaler", "PodDisruptionBudget"),
    "WorkloadWithTemplate": ("ReplicaSet", "StatefulSet", "DaemonSet", "Job"),
    "WebhookConfiguration": ("MutatingWebhookConfiguration", "ValidatingWebhookConfiguration"),
}.items() for kind in kinds}


def root_struct(resource_type: ResourceType) -> str:
    """The PATCH_FIELDS struct describing a built-in kind's top level ("" when only metadata has rules)."""
    if resource_type.custom:
        return ""
    if resource_type.group == "autoscaling" and resource_type.version == "v1":
        return ""  # autoscaling/v1 HPA status has no conditions list
    kind = resource_type.kind
    return _SHARED_ROOTS.get(kind, kind if kind in PATCH_FIELDS else "")


def field_patch(struct: str, field: str) -> FieldPatch:
    """Patch metadata of one field of a struct; metadata is ObjectMeta at every top level."""
    if struct.startswith("<root>"):
        if field == "metadata":
            return FieldPatch(struct="ObjectMeta")
        struct = struct[len("<root>") :]
    return PATCH_FIELDS.get(struct, {}).get(field, FieldPatch())


# --------------------------------------------------------------------------------------------------
# RFC 6902 JSON patch
# --------------------------------------------------------------------------------------------------
class _OperationFailed(Exception):
    """One JSON patch operation does not apply (the server answers 422)."""


def _invalid(detail: str) -> PatchError:
    error = PatchError(_JSON_PATCH_FAILED, code=422, reason="Invalid")
    error.detail = detail  # type: ignore[attr-defined]
    return error


def _pointer(path: Any) -> list[str]:
    if not isinstance(path, str):
        raise _OperationFailed("path must be a string")
    if path == "":
        return []
    if not path.startswith("/"):
        raise _OperationFailed(f"JSON pointer must start with '/': {path}")
    return [part.replace("~1", "/").replace("~0", "~") for part in path[1:].split("/")]


def _array_index(token: str, length: int, *, for_add: bool) -> int:
    if for_add and token == "-":
        return length
    if not token.isdigit():
        raise _OperationFailed(f"invalid array index: {token}")
    index = int(token)
    limit = length if for_add else length - 1
    if index > limit:
        raise _OperationFailed(f"index out of range: {index}")
    return index


def _parent(doc: Any, parts: list[str]) -> Any:
    node = doc
    for token in parts[:-1]:
        if isinstance(node, dict):
            if token not in node:
                raise _OperationFailed(f"doc is missing path: {token}")
            node = node[token]
        elif isinstance(node, list):
            node = node[_array_index(token, len(node), for_add=False)]
        else:
            raise _OperationFailed(f"cannot traverse into a scalar at {token}")
    return node


def _slot(doc: Any, parts: list[str], *, for_add: bool, scalar: str) -> tuple[Any, Any]:
    """The container the pointer's last token lands in, and the key or index there; ``scalar`` says what
    could not be done when the container is neither an object nor an array."""
    container = _parent(doc, parts)
    token = parts[-1]
    if isinstance(container, dict):
        return container, token
    if isinstance(container, list):
        return container, _array_index(token, len(container), for_add=for_add)
    raise _OperationFailed(f"cannot {scalar} a scalar")


def _get(doc: Any, parts: list[str]) -> Any:
    if not parts:
        return doc
    container, key = _slot(doc, parts, for_add=False, scalar="read from")
    if isinstance(container, dict) and key not in container:
        raise _OperationFailed(f"doc is missing key: {key}")
    return container[key]


def _add(doc: Any, parts: list[str], value: Any) -> Any:
    if not parts:
        return value
    container, key = _slot(doc, parts, for_add=True, scalar="add into")
    if isinstance(container, list):
        container.insert(key, value)
    else:
        container[key] = value
    return doc


def _remove(doc: Any, parts: list[str]) -> tuple[Any, Any]:
    if not parts:
        raise _OperationFailed("cannot remove the whole document")
    container, key = _slot(doc, parts, for_add=False, scalar="remove from")
    if isinstance(container, dict) and key not in container:
        raise _OperationFailed(f"Unable to remove nonexistent key: {key}")
    return doc, container.pop(key)


def _replace(doc: Any, parts: list[str], value: Any) -> Any:
    if not parts:
        return value
    container, key = _slot(doc, parts, for_add=False, scalar="replace in")
    if isinstance(container, dict) and key not in container:
        raise _OperationFailed(f"replace operation does not apply: doc is missing key: {key}")
    container[key] = value
    return doc


def _json_equal(left: Any, right: Any) -> bool:
    """JSON equality: 1 == 1.0, but true != 1."""
    if isinstance(left, bool) or isinstance(right, bool):
        return type(left) is type(right) and left == right
    if isinstance(left, dict) and isinstance(right, dict):
        return left.keys() == right.keys() and all(_json_equal(left[k], right[k]) for k in left)
    if isinstance(left, list) and isinstance(right, list):
        return len(left) == len(right) and all(_json_equal(a, b) for a, b in zip(left, right, strict=True))
    if isinstance(left, (dict, list)) or isinstance(right, (dict, list)):
        return False
    return bool(left == right)


def json_patch(obj: dict[str, Any], operations: list[Any]) -> dict[str, Any]:
    """Apply an RFC 6902 patch; returns a new object. Bad documents are 400, failing operations 422."""
    if not isinstance(operations, list):
        raise PatchError(
            f"json: cannot unmarshal {_go_json_type(operations)} into Go value of type jsonpatch.Patch",
            code=400,
            reason="BadRequest",
        )
    doc: Any = copy.deepcopy(obj)
    for operation in operations:
        if not isinstance(operation, dict):
            raise PatchError(
                f"json: cannot unmarshal {_go_json_type(operation)} into Go value of type jsonpatch.Operation",
                code=400,
                reason="BadRequest",
            )
        op = operation.get("op")
        try:
            parts = _pointer(operation.get("path"))
            if op == "add":
                doc = _add(doc, parts, copy.deepcopy(operation.get("value")))
            elif op == "remove":
                doc, _ = _remove(doc, parts)
            elif op == "replace":
                doc = _replace(doc, parts, copy.deepcopy(operation.get("value")))
            elif op == "move":
                source = _pointer(operation.get("from"))
                doc, value = _remove(doc, source)
                doc = _add(doc, parts, value)
            elif op == "copy":
                value = copy.deepcopy(_get(doc, _pointer(operation.get("from"))))
                doc = _add(doc, parts, value)
            elif op == "test":
                if not _json_equal(_get(doc, parts), operation.get("value")):
                    raise _OperationFailed(f"testing value {operation.get('path')} failed")
            else:
                raise _OperationFailed(f"Unexpected kind: {op}")
        except _OperationFailed as failure:
            raise _invalid(str(failure)) from None
    if not isinstance(doc, dict):
        raise _invalid("the patched document is not an object")
    return doc


def _go_json_type(value: Any) -> str:
    if isinstance(value, dict):
        return "object"
    if isinstance(value, list):
        return "array"
    if isinstance(value, str):
        return "string"
    if isinstance(value, bool):
        return "bool"
    if value is None:
        return "null"
    return "number"


# --------------------------------------------------------------------------------------------------
# RFC 7386 merge patch
# --------------------------------------------------------------------------------------------------
def _merge(target: Any, patch: Any) -> Any:
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    result = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = _merge(result.get(key), value)
    return result


def merge_patch(obj: dict[str, Any], patch: dict[str, Any]) -> dict[str, Any]:
    """Apply an RFC 7386 JSON merge patch; returns a new object. A patch that is not an object is 400."""
    if not isinstance(patch, dict):
        raise PatchError("Invalid JSON Patch", code=400, reason="BadRequest")
    merged: dict[str, Any] = _merge(copy.deepcopy(obj), patch)
    return merged


# --------------------------------------------------------------------------------------------------
# Strategic merge patch (port of apimachinery's strategicpatch.mergeMap and friends)
# --------------------------------------------------------------------------------------------------
_DIRECTIVE = "$patch"
_REPLACE = "replace"
_DELETE = "delete"
_MERGE = "merge"
_RETAIN_KEYS = "$retainKeys"
_SET_ORDER = "$setElementOrder/"
_DELETE_FROM_PRIMITIVE = "$deleteFromPrimitiveList/"


class _SMPError(Exception):
    """A strategic merge failure, mapped to the server's status by `_status_for`."""

    def __init__(self, message: str, code: int = 500, reason: str = "") -> None:
        super().__init__(message)
        self.code = code
        self.reason = reason


def _bad_request(message: str) -> _SMPError:
    return _SMPError(message, 400, "BadRequest")


def _go_value(value: Any) -> str:
    """Approximates Go's %v of decoded JSON, for error messages that quote patch content."""
    if isinstance(value, dict):
        return "map[" + " ".join(f"{k}:{_go_value(value[k])}" for k in sorted(value)) + "]"
    if isinstance(value, list):
        return "[" + " ".join(_go_value(v) for v in value) + "]"
    if value is None:
        return "<nil>"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


class _Schema:
    """Walks PATCH_FIELDS the way LookupPatchMeta walks Go structs."""

    def __init__(self, struct: str) -> None:
        self.struct = struct

    def lookup(self, key: str) -> tuple[_Schema, FieldPatch]:
        meta = field_patch(self.struct, key)
        return _Schema(meta.struct), meta


def _same_type(a: Any, b: Any) -> bool:
    kinds = (dict, list, str, bool)
    for kind in kinds:
        if isinstance(a, kind) or isinstance(b, kind):
            return isinstance(a, kind) and isinstance(b, kind)
    if a is None or b is None:
        return a is None and b is None
    return isinstance(a, (int, float)) and isinstance(b, (int, float)) and type(a) is type(b)


def without_nulls(value: Any) -> Any:
    """``value`` with every null member dropped at any depth: what a merge patch's null means, and why a
    template compares equal whether or not a client sent ``creationTimestamp: null``."""
    if isinstance(value, dict):
        return {k: without_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [without_nulls(v) for v in value]
    return value


def _merge_map(original: dict[str, Any] | None, patch: dict[str, Any], schema: _Schema) -> dict[str, Any]:
    patch = dict(patch)
    if _DIRECTIVE in patch:
        directive = patch[_DIRECTIVE]
        if directive == _REPLACE:
            del patch[_DIRECTIVE]
            return patch
        if directive == _DELETE:
            return {}
        raise _SMPError(f"unknown patch type: {_go_value(directive)} in map: {_go_value(patch)}")
    original = {} if original is None else original
    _apply_retain_keys(original, patch)
    _merge_set_element_order(original, patch, schema)

    for key, patch_value in patch.items():
        is_delete_list = False
        if key.startswith(_DELETE_FROM_PRIMITIVE):
            key = key[len(_DELETE_FROM_PRIMITIVE) :]
            is_delete_list = True
        if patch_value is None:
            original.pop(key, None)
            continue
        if key not in original:
            if not is_delete_list:
                original[key] = without_nulls(patch_value)
            continue
        original_value = original[key]
        if not _same_type(original_value, patch_value):
            if not is_delete_list:
                original[key] = without_nulls(patch_value)
            continue
        if isinstance(original_value, dict):
            subschema, meta = schema.lookup(key)
            if "replace" in meta.strategy.split(","):
                original[key] = patch_value
            else:
                original[key] = _merge_map(original_value, patch_value, subschema)
        elif isinstance(original_value, list):
            subschema, meta = schema.lookup(key)
            original[key] = _merge_slice_handler(original_value, patch_value, subschema, meta, is_delete_list)
        else:
            original[key] = patch_value
    return original


def _apply_retain_keys(original: dict[str, Any], patch: dict[str, Any]) -> None:
    if _RETAIN_KEYS not in patch:
        return
    retain = patch.pop(_RETAIN_KEYS)
    if not isinstance(retain, list):
        raise _bad_request("invalid patch format of retainKeys")
    keep = {json.dumps(v, sort_keys=True) for v in retain}
    for key, value in patch.items():
        if value is None or key.startswith(_DELETE_FROM_PRIMITIVE) or key.startswith(_SET_ORDER):
            continue
        if json.dumps(key) not in keep:
            raise _SMPError("patch content doesn't match retainKeys list", 422, "Invalid")
    for key in list(original):
        if json.dumps(key) not in keep:
            del original[key]


def _merge_set_element_order(original: dict[str, Any], patch: dict[str, Any], schema: _Schema) -> None:
    for directive_key in [k for k in patch if k.startswith(_SET_ORDER)]:
        order = patch[directive_key]
        field = directive_key[len(_SET_ORDER) :]
        if not isinstance(order, list):
            raise _bad_request("invalid patch format of setElementOrder list")
        patch_present = field in patch
        patch_list = patch.get(field)
        if patch_present and patch_list is not None and not isinstance(patch_list, list):
            raise _bad_request("invalid patch format of setElementOrder list")
        original_present = field in original
        original_list = original.get(field)
        subschema, meta = schema.lookup(field)
        merge_key = meta.merge_key
        if patch_present and patch_list is not None:
            _validate_patch_with_order(patch_list, order, merge_key)
        if original_present and patch_present and isinstance(original_list, list) and isinstance(patch_list, list):
            merged = _merge_slice_handler(original_list, patch_list, subschema, meta, False)
        elif patch_present and isinstance(patch_list, list):
            merged = patch_list
        elif original_present and isinstance(original_list, list):
            merged = original_list
        else:
            patch.pop(directive_key, None)
            continue
        is_map = any(isinstance(item, dict) for item in merged + order)
        if is_map:
            in_order, server_only = _partition_maps(merged, order, merge_key)
        else:
            in_order, server_only = _partition_primitives(merged, order)
        merged = _normalize_element_order(
            in_order, server_only, order, original_list if isinstance(original_list, list) else [], merge_key, is_map
        )
        if merged:
            original[field] = merged
        else:
            original.pop(field, None)
        patch.pop(field, None)
        patch.pop(directive_key, None)


def _validate_patch_with_order(patch_list: list[Any], order: list[Any], merge_key: str) -> None:
    """Every non-directive item of the patch list must appear in $setElementOrder, in the same order."""
    non_directive = [item for item in patch_list if not (isinstance(item, dict) and _DIRECTIVE in item)]
    position = 0
    for item in non_directive:
        found = False
        while position < len(order):
            if _item_matches(item, order[position], merge_key):
                found = True
                position += 1
                break
            position += 1
        if not found:
            raise _SMPError(
                f"The order in patch list:\n{_go_value(patch_list)}\n doesn't match $setElementOrder list:\n"
                f"{_go_value(order)}\n"
            )


def _item_matches(item: Any, other: Any, merge_key: str) -> bool:
    if merge_key and isinstance(item, dict) and isinstance(other, dict):
        return merge_key in item and merge_key in other and bool(item[merge_key] == other[merge_key])
    return bool(item == other)


def _merge_slice_handler(original: list[Any], patch: list[Any], schema: _Schema, meta: FieldPatch, is_delete_list: bool) -> list[Any]:
    if meta.merges or is_delete_list:
        return _merge_slice(original, patch, schema, meta.merge_key, is_delete_list)
    return patch


def _merge_slice(original: list[Any], patch: list[Any], schema: _Schema, merge_key: str, is_delete_list: bool) -> list[Any]:
    if not original and not patch:
        return original
    items = original + patch
    if any(isinstance(item, list) for item in items):
        raise _SMPError("lists of lists are not supported", 422, "Invalid")
    is_map = any(isinstance(item, dict) for item in items)
    if is_map and not all(isinstance(item, dict) for item in items):
        raise _SMPError("sliceElementType: elements of the same list must be of the same type")
    if not is_map:
        if is_delete_list:
            remove = {json.dumps(v, sort_keys=True) for v in patch}
            return [v for v in original if json.dumps(v, sort_keys=True) not in remove]
        merged = _dedupe_scalars(original + patch)
        in_patch, server_only = _partition_primitives(merged, patch)
        return _normalize_element_order(in_patch, server_only, patch, original, "", False)
    if not merge_key:
        raise _SMPError(f"cannot merge lists without merge key for {schema.struct or 'map'}")
    original, patch = _merge_slice_with_special_elements(list(original), patch, merge_key)
    merged = _merge_slice_without_special_elements(original, patch, merge_key, schema)
    in_patch, server_only = _partition_maps(merged, patch, merge_key)
    return _normalize_element_order(in_patch, server_only, patch, original, merge_key, True)


def _dedupe_scalars(values: list[Any]) -> list[Any]:
    seen: set[str] = set()
    result = []
    for value in values:
        marker = json.dumps(value, sort_keys=True)
        if marker not in seen:
            seen.add(marker)
            result.append(value)
    return result


def _merge_slice_with_special_elements(original: list[Any], patch: list[Any], merge_key: str) -> tuple[list[Any], list[Any]]:
    plain = []
    replace = False
    for item in patch:
        directive = item.get(_DIRECTIVE) if isinstance(item, dict) else None
        if directive is None:
            plain.append(item)
        elif directive == _DELETE:
            if merge_key not in item:
                raise _SMPError(f"map: {_go_value(item)} does not contain declared merge key: {merge_key}")
            original = [o for o in original if not (isinstance(o, dict) and o.get(merge_key) == item[merge_key])]
        elif directive == _REPLACE:
            replace = True
        elif directive == _MERGE:
            raise _SMPError("merging lists cannot yet be specified in the patch")
        else:
            raise _SMPError(f"unknown patch type: {_go_value(directive)} in map: {_go_value(item)}")
    if replace:
        return plain, []
    return original, plain


def _merge_slice_without_special_elements(original: list[Any], patch: list[Any], merge_key: str, schema: _Schema) -> list[Any]:
    for item in patch:
        if merge_key not in item:
            raise _SMPError(f"map: {_go_value(item)} does not contain declared merge key: {merge_key}")
        for index, existing in enumerate(original):
            if isinstance(existing, dict) and existing.get(merge_key) == item[merge_key]:
                original[index] = _merge_map(existing, item, schema)
                break
        else:
            original.append(item)
    return original


def _partition_maps(merged: list[Any], reference: list[Any], merge_key: str) -> tuple[list[Any], list[Any]]:
    keys = [r.get(merge_key) for r in reference if isinstance(r, dict) and merge_key in r]
    in_ref: list[Any] = []
    only: list[Any] = []
    for item in merged:
        (in_ref if isinstance(item, dict) and item.get(merge_key) in keys else only).append(item)
    return in_ref, only


def _partition_primitives(merged: list[Any], reference: list[Any]) -> tuple[list[Any], list[Any]]:
    markers = {json.dumps(v, sort_keys=True) for v in reference}
    in_ref: list[Any] = []
    only: list[Any] = []
    for item in merged:
        (in_ref if json.dumps(item, sort_keys=True) in markers else only).append(item)
    return in_ref, only


def _index_in(order: list[Any], item: Any, merge_key: str, is_map: bool) -> int:
    for index, other in enumerate(order):
        if is_map:
            if isinstance(item, dict) and isinstance(other, dict) and item.get(merge_key) == other.get(merge_key):
                return index
        elif item == other:
            return index
    return -1


def _normalize_slice_order(items: list[Any], order: list[Any], merge_key: str, is_map: bool) -> list[Any]:
    to_delete = []
    if is_map:
        kept = []
        for item in items:
            if isinstance(item, dict) and item.get(_DIRECTIVE) == _DELETE:
                to_delete.append(item)
            else:
                kept.append(item)
        items = kept
    items = sorted(items, key=lambda item: _index_in(order, item, merge_key, is_map))
    return items + to_delete


def _normalize_element_order(
    in_patch: list[Any], server_only: list[Any], patch_order: list[Any], server_order: list[Any], merge_key: str, is_map: bool
) -> list[Any]:
    in_patch = _normalize_slice_order(in_patch, patch_order, merge_key, is_map)
    server_only = _normalize_slice_order(server_only, server_order, merge_key, is_map)
    return _merge_sorted(server_only, in_patch, server_order, merge_key, is_map)


def _merge_sorted(left: list[Any], right: list[Any], server_order: list[Any], merge_key: str, is_map: bool) -> list[Any]:
    result = []
    i = j = 0
    while i < len(left) or j < len(right):
        if i >= len(left):
            result.append(right[j])
            j += 1
        elif j >= len(right):
            result.append(left[i])
            i += 1
        else:
            li = _index_in(server_order, left[i], merge_key, is_map)
            ri = _index_in(server_order, right[j], merge_key, is_map)
            if li >= 0 and ri >= 0 and li < ri:
                result.append(left[i])
                i += 1
            else:
                result.append(right[j])
                j += 1
    return result


def strategic_merge_patch(obj: dict[str, Any], patch: dict[str, Any], resource_type: ResourceType) -> dict[str, Any]:
    """Apply a strategic merge patch to a built-in object; returns a new object.

    Custom resources have no strategic merge patch: 415, exactly as the API server answers."""
    if resource_type.custom:
        raise PatchError(UNSUPPORTED_PATCH_MESSAGE, code=415, reason="UnsupportedMediaType")
    if not isinstance(patch, dict):
        raise PatchError("invalid JSON document", code=400, reason="BadRequest")
    schema = _Schema("<root>" + root_struct(resource_type))
    try:
        return _merge_map(copy.deepcopy(obj), copy.deepcopy(patch), schema)
    except _SMPError as error:
        raise PatchError(str(error), code=error.code, reason=error.reason) from None
