"""OpenAPI v3 documents (`/openapi/v3` and `/openapi/v3/{api/v1,apis/GROUP/VERSION}`) for the emulator.

kubectl reads these for two decisions, and the documents are shaped for exactly those:

- Field validation (`--validate=strict`, the default): `QueryParamVerifierV3` looks, in the object's
  group-version document, for a PATCH operation whose `x-kubernetes-group-version-kind` is the
  object's and which lists a `fieldValidation` query parameter; found, kubectl leaves validation to
  the server. So every served type gets item paths with such a PATCH operation (and its subresources).
- Client-side apply: kubectl computes a strategic merge patch when the PATCH operation accepts
  `application/strategic-merge-patch+json` (built-ins) and a JSON merge patch otherwise (CRDs).
  For the strategic case it looks for a component schema tagged with the kind; such a schema must
  describe every field of the manifest, or kubectl warns and falls back. The emulator does not hold
  complete schemas, so its component schemas are *not* tagged with the kind and kubectl uses the
  merge keys compiled into it (the same k8s.io/api struct tags patch.py follows) - silently, as a
  real cluster behaves. (Checked with kubectl 1.32 and 1.37: tagging the partial schemas makes both
  print "warning: error calculating patch from openapi v3 spec: unable to find api field ...".)
  On the way kubectl asks for /openapi/v2, which must answer 404 for the fallback to stay silent.
  The schemas still carry `x-kubernetes-patch-merge-key` and `x-kubernetes-patch-strategy` from
  patch.PATCH_FIELDS, so the two tables cannot disagree.
- `kubectl explain` (issue 15): it finds the schema tagged with the type's kind and walks its fields
  and descriptions. So the built-in types get the real, complete schemas recorded from the real
  control plane (`openapi_schemas.json.gz`, written by tests/record_openapi.py), tagged as a real
  server tags them, with every schema they reference; complete schemas are what kubectl's
  strategic-merge computation wants too. Types without a recorded schema (CRDs, anything newer)
  keep the partial, untagged ones above (a CRD's own schema is its openAPIV3Schema).
"""

from __future__ import annotations

import copy
import functools
import gzip
import hashlib
import json
import threading
import weakref
from pathlib import Path
from typing import Any

from mcp_kubectl.emulator.catalog import Catalog, ResourceType, subresource_details
from mcp_kubectl.emulator.patch import PATCH_FIELDS, root_struct

__all__ = ["openapi_v3_index", "openapi_v3_document", "document_hash", "schema_name"]

# Tag component schemas with x-kubernetes-group-version-kind (see the module docstring).
TAG_COMPONENT_KINDS = False

_PATCH_CONTENT_BUILTIN = (
    "application/apply-patch+yaml",
    "application/json-patch+json",
    "application/merge-patch+json",
    "application/strategic-merge-patch+json",
)
_PATCH_CONTENT_CUSTOM = (
    "application/apply-patch+yaml",
    "application/json-patch+json",
    "application/merge-patch+json",
)
_RESPONSE_CONTENT = ("application/json", "application/yaml", "application/vnd.kubernetes.protobuf")
_META = "io.k8s.apimachinery.pkg.apis.meta.v1"

_GROUP_PACKAGES = {
    "": "io.k8s.api.core",
    "apps": "io.k8s.api.apps",
    "batch": "io.k8s.api.batch",
    "autoscaling": "io.k8s.api.autoscaling",
    "policy": "io.k8s.api.policy",
    "networking.k8s.io": "io.k8s.api.networking",
    "rbac.authorization.k8s.io": "io.k8s.api.rbac",
    "storage.k8s.io": "io.k8s.api.storage",
    "apiextensions.k8s.io": "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions",
    "coordination.k8s.io": "io.k8s.api.coordination",
    "discovery.k8s.io": "io.k8s.api.discovery",
    "events.k8s.io": "io.k8s.api.events",
    "admissionregistration.k8s.io": "io.k8s.api.admissionregistration",
}


RECORDED_SCHEMAS = Path(__file__).with_name("openapi_schemas.json.gz")
_REF_PREFIX = "#/components/schemas/"


@functools.cache
def recorded_schemas() -> dict[str, Any]:
    """The real control plane's component schemas by name (empty if the recording is missing)."""
    try:
        return dict(json.loads(gzip.decompress(RECORDED_SCHEMAS.read_bytes())))
    except FileNotFoundError:
        return {}


@functools.cache
def _recorded_names() -> dict[tuple[str, str, str], str]:
    """(group, version, kind) -> the recorded schema tagged with it."""
    names = {}
    for name, schema in recorded_schemas().items():
        for gvk in schema.get("x-kubernetes-group-version-kind") or []:
            names[(gvk.get("group", ""), gvk.get("version", ""), gvk.get("kind", ""))] = name
    return names


def _with_references(names: list[str]) -> dict[str, Any]:
    """These recorded schemas and every recorded schema they reference, transitively."""
    recorded = recorded_schemas()
    found: dict[str, Any] = {}
    pending = [n for n in names if n in recorded]
    while pending:
        name = pending.pop()
        if name in found:
            continue
        found[name] = recorded[name]
        pending += [ref for ref in _refs(recorded[name]) if ref in recorded and ref not in found]
    return found


def _refs(value: Any) -> list[str]:
    if isinstance(value, dict):
        refs = [value["$ref"].removeprefix(_REF_PREFIX)] if isinstance(value.get("$ref"), str) else []
        return refs + [r for v in value.values() for r in _refs(v)]
    if isinstance(value, list):
        return [r for v in value for r in _refs(v)]
    return []


def schema_name(group: str, version: str, kind: str) -> str:
    """The component name a real server uses: io.k8s.api.apps.v1.Deployment, com.example.v1.Widget."""
    recorded = _recorded_names().get((group, version, kind))
    if recorded is not None:
        return recorded
    package = _GROUP_PACKAGES.get(group)
    if package is None:
        package = ".".join(reversed(group.split(".")))
    return f"{package}.{version}.{kind}"


def document_hash(document: dict[str, Any]) -> str:
    """The `hash` query value of a document: sha512 of its JSON, upper-case hex (as the apiserver does)."""
    data = json.dumps(document, sort_keys=True, separators=(",", ":")).encode()
    return hashlib.sha512(data).hexdigest().upper()


def _gv_path(group: str, version: str) -> str:
    return f"api/{version}" if not group else f"apis/{group}/{version}"


# Built documents per catalog, keyed by (catalog generation, group, version): they only change with CRDs.
_CACHE: weakref.WeakKeyDictionary[Catalog, dict[tuple[int, str, str], tuple[dict[str, Any] | None, str]]] = (
    weakref.WeakKeyDictionary()
)
_CACHE_LOCK = threading.Lock()


def _cached(catalog: Catalog, group: str, version: str) -> tuple[dict[str, Any] | None, str]:
    generation = catalog.generation
    key = (generation, group, version)
    with _CACHE_LOCK:
        per_catalog = _CACHE.setdefault(catalog, {})
        hit = per_catalog.get(key)
    if hit is not None:
        return hit
    document = _build_document(catalog, group, version)
    entry = (document, document_hash(document) if document is not None else "")
    with _CACHE_LOCK:
        per_catalog = _CACHE.setdefault(catalog, {})
        for stale in [k for k in per_catalog if k[0] != generation]:
            del per_catalog[stale]
        per_catalog[key] = entry
    return entry


def openapi_v3_index(catalog: Catalog) -> dict[str, Any]:
    """GET /openapi/v3: one entry per served group-version, with a content hash kubectl caches by."""
    paths = {}
    for group, version in catalog.group_versions():
        document, digest = _cached(catalog, group, version)
        if document is None:
            continue
        path = _gv_path(group, version)
        paths[path] = {"serverRelativeURL": f"/openapi/v3/{path}?hash={digest}"}
    return {"paths": paths}


# --- parameters ----------------------------------------------------------------------------------------
def _query(name: str, description: str, schema_type: str = "string") -> dict[str, Any]:
    return {"name": name, "in": "query", "description": description, "schema": {"type": schema_type, "uniqueItems": True}}


_DRY_RUN = _query(
    "dryRun",
    "When present, indicates that modifications should not be persisted. An invalid or unrecognized dryRun "
    "directive will result in an error response and no further processing of the request. Valid values are: "
    "- All: all dry run stages will be processed",
)
_FIELD_VALIDATION = _query(
    "fieldValidation",
    "fieldValidation instructs the server on how to handle objects in the request (POST/PUT/PATCH) containing "
    "unknown or duplicate fields. Valid values are: - Ignore - Warn - Strict",
)
_PRETTY = _query("pretty", "If 'true', then the output is pretty printed.")
_FORCE = _query("force", "Force is going to \"force\" Apply requests.", "boolean")
_NAMESPACE = {
    "name": "namespace",
    "in": "path",
    "description": "object name and auth scope, such as for teams and projects",
    "required": True,
    "schema": {"type": "string", "uniqueItems": True},
}
_LIST_PARAMETERS = [
    _query("allowWatchBookmarks", "allowWatchBookmarks requests watch events with type \"BOOKMARK\".", "boolean"),
    _query("continue", "The continue option should be set when retrieving more results from the server."),
    _query("fieldSelector", "A selector to restrict the list of returned objects by their fields."),
    _query("labelSelector", "A selector to restrict the list of returned objects by their labels."),
    _query("limit", "limit is a maximum number of responses to return for a list call.", "integer"),
    _query("resourceVersion", "resourceVersion sets a constraint on what resource versions a request may be served from."),
    _query("resourceVersionMatch", "resourceVersionMatch determines how resourceVersion is applied to list calls."),
    _query("sendInitialEvents", "`sendInitialEvents=true` may be set together with `watch=true`.", "boolean"),
    _query("timeoutSeconds", "Timeout for the list/watch call.", "integer"),
    _query("watch", "Watch for changes to the described resources.", "boolean"),
]


def _field_manager(action: str) -> dict[str, Any]:
    return _query(
        "fieldManager",
        f"fieldManager is a name associated with the actor or entity that is making these changes. {action}",
    )


def _name_parameter(kind: str, sub: str = "") -> dict[str, Any]:
    what = f"the {kind}" if not sub else f"the {kind}"
    return {
        "name": "name",
        "in": "path",
        "description": f"name of {what}",
        "required": True,
        "schema": {"type": "string", "uniqueItems": True},
    }


# --- operations ----------------------------------------------------------------------------------------
def _ref(name: str) -> dict[str, Any]:
    return {"$ref": f"#/components/schemas/{name}"}


def _content(schema_ref: dict[str, Any], types: tuple[str, ...] = _RESPONSE_CONTENT) -> dict[str, Any]:
    return {media: {"schema": schema_ref} for media in types}


def _responses(schema_ref: dict[str, Any], *codes: str) -> dict[str, Any]:
    responses = {code: {"description": "OK" if code == "200" else "Created" if code == "201" else "Accepted",
                        "content": _content(schema_ref)} for code in codes}
    responses["401"] = {"description": "Unauthorized"}
    return responses


def _tag(group: str, version: str) -> str:
    name = group.split(".")[0] if group.endswith(".k8s.io") else group
    if group == "rbac.authorization.k8s.io":
        name = "rbacAuthorization"
    elif group == "apiextensions.k8s.io":
        name = "apiextensions"
    elif group == "admissionregistration.k8s.io":
        name = "admissionregistration"
    return f"{name or 'core'}_{version}"


def _operation_id(verb: str, resource_type: ResourceType, suffix: str = "", namespaced_word: bool = True) -> str:
    group = resource_type.group.split(".")[0] if resource_type.group else "core"
    if resource_type.group == "rbac.authorization.k8s.io":
        group = "rbacAuthorization"
    group = group[:1].upper() + group[1:]
    version = resource_type.version[:1].upper() + resource_type.version[1:]
    scope = "Namespaced" if resource_type.namespaced and namespaced_word else ""
    return f"{verb}{group}{version}{scope}{resource_type.kind}{suffix}"


def _gvk(group: str, version: str, kind: str) -> dict[str, Any]:
    return {"group": group, "kind": kind, "version": version}


def _operation(description: str, operation_id: str, tag: str, action: str, gvk: dict[str, Any], **extra: object) -> dict[str, Any]:
    operation: dict[str, Any] = {"tags": [tag], "description": description, "operationId": operation_id}
    operation.update(extra)
    operation["x-kubernetes-action"] = action
    operation["x-kubernetes-group-version-kind"] = gvk
    return operation


def _item_path(resource_type: ResourceType, sub: str = "") -> dict[str, Any]:
    """GET/PUT/PATCH (and DELETE for the object itself) on one object or one of its sub-resources."""
    kind = resource_type.kind
    tag = _tag(resource_type.group, resource_type.version)
    if sub:
        details = subresource_details(resource_type, sub)
        assert details is not None
        group = details.group if details.group is not None else resource_type.group
        version = details.version if details.version is not None else resource_type.version
        sub_kind = details.kind
        verbs = details.verbs
    else:
        group, version, sub_kind = resource_type.group, resource_type.version, kind
        verbs = tuple(v for v in resource_type.verbs if v in ("get", "update", "patch", "delete"))
    gvk = _gvk(group, version, sub_kind)
    schema = _ref(schema_name(group, version, sub_kind))
    suffix = sub[:1].upper() + sub[1:] if sub else ""
    what = f"{sub} of the specified {kind}" if sub else f"the specified {kind}"
    patch_types = _PATCH_CONTENT_CUSTOM if resource_type.custom else _PATCH_CONTENT_BUILTIN
    item: dict[str, Any] = {}
    if "get" in verbs:
        item["get"] = _operation(
            f"read {what}", _operation_id("read", resource_type, suffix), tag, "get", gvk,
            responses=_responses(schema, "200"),
        )
    if "update" in verbs:
        item["put"] = _operation(
            f"replace {what}", _operation_id("replace", resource_type, suffix), tag, "put", gvk,
            parameters=[_DRY_RUN, _field_manager("This field is required for apply requests."), _FIELD_VALIDATION],
            requestBody={"content": {"*/*": {"schema": schema}}, "required": True},
            responses=_responses(schema, "200", "201"),
        )
    if "delete" in verbs and not sub:
        item["delete"] = _operation(
            f"delete a {kind}", _operation_id("delete", resource_type), tag, "delete", gvk,
            parameters=[_DRY_RUN, _query("gracePeriodSeconds", "The duration in seconds before the object should be deleted.", "integer"),
                        _query("propagationPolicy", "Whether and how garbage collection will be performed.")],
            responses=_responses(_ref(f"{_META}.Status"), "200", "202"),
        )
    if "patch" in verbs:
        item["patch"] = _operation(
            f"partially update {what}", _operation_id("patch", resource_type, suffix), tag, "patch", gvk,
            parameters=[
                _DRY_RUN,
                _field_manager("This field is required for apply requests (application/apply-patch)."),
                _FIELD_VALIDATION,
                _FORCE,
            ],
            requestBody={"content": {media: {"schema": _ref(f"{_META}.Patch")} for media in patch_types}, "required": True},
            responses=_responses(schema, "200", "201"),
        )
    if item:
        parameters = [_name_parameter(kind)]
        if resource_type.namespaced:
            parameters.append(_NAMESPACE)
        parameters.append(_PRETTY)
        item["parameters"] = parameters
    return item


def _collection_path(resource_type: ResourceType) -> dict[str, Any]:
    kind = resource_type.kind
    tag = _tag(resource_type.group, resource_type.version)
    gvk = _gvk(resource_type.group, resource_type.version, kind)
    schema = _ref(schema_name(resource_type.group, resource_type.version, kind))
    list_schema = _ref(schema_name(resource_type.group, resource_type.version, resource_type.list_kind))
    collection: dict[str, Any] = {}
    if "list" in resource_type.verbs:
        collection["get"] = _operation(
            f"list or watch objects of kind {kind}", _operation_id("list", resource_type), tag, "list", gvk,
            parameters=list(_LIST_PARAMETERS),
            responses=_responses(list_schema, "200"),
        )
    if "create" in resource_type.verbs:
        collection["post"] = _operation(
            f"create a {kind}", _operation_id("create", resource_type), tag, "post", gvk,
            parameters=[_DRY_RUN, _field_manager(""), _FIELD_VALIDATION],
            requestBody={"content": {"*/*": {"schema": schema}}, "required": True},
            responses=_responses(schema, "200", "201", "202"),
        )
    if "deletecollection" in resource_type.verbs:
        collection["delete"] = _operation(
            f"delete collection of {kind}", _operation_id("deleteCollection", resource_type), tag, "deletecollection",
            gvk, parameters=[_DRY_RUN] + list(_LIST_PARAMETERS), responses=_responses(_ref(f"{_META}.Status"), "200"),
        )
    if collection:
        collection["parameters"] = ([_NAMESPACE] if resource_type.namespaced else []) + [_PRETTY]
    return collection


# --- schemas -------------------------------------------------------------------------------------------
def _struct_schema(struct: str, depth: int = 0) -> dict[str, Any]:
    """An object schema whose properties are the fields patch.PATCH_FIELDS knows about."""
    schema: dict[str, Any] = {"type": "object"}
    fields = PATCH_FIELDS.get(struct, {})
    if not fields or depth > 8:
        return schema
    properties = {}
    for name, meta in sorted(fields.items()):
        if meta.merge_key or meta.strategy and meta.strategy != "retainKeys":
            child = _struct_schema(meta.struct, depth + 1) if meta.struct else {"type": "object"}
            if meta.merge_key:
                field: dict[str, Any] = {"type": "array", "items": child}
            elif meta.struct:
                field = {"type": "array", "items": child}
            else:
                field = {"type": "array", "items": {"type": "string"}}
            if meta.merge_key:
                field["x-kubernetes-patch-merge-key"] = meta.merge_key
            field["x-kubernetes-patch-strategy"] = meta.strategy
        elif meta.strategy == "retainKeys":
            field = {"type": "object", "x-kubernetes-patch-strategy": meta.strategy}
        else:
            field = _struct_schema(meta.struct, depth + 1)
        properties[name] = field
    schema["properties"] = properties
    return schema


def _object_meta_schema() -> dict[str, Any]:
    schema = _struct_schema("ObjectMeta")
    schema["description"] = "ObjectMeta is metadata that all persisted resources must have."
    return schema


def _kind_schema(resource_type: ResourceType, catalog: Catalog) -> dict[str, Any]:
    properties: dict[str, Any] = {
        "apiVersion": {"type": "string", "description": "APIVersion defines the versioned schema of this representation of an object."},
        "kind": {"type": "string", "description": "Kind is a string value representing the REST resource this object represents."},
        "metadata": {"allOf": [_ref(f"{_META}.ObjectMeta")], "default": {}},
    }
    if resource_type.custom:
        crd = catalog.crd_for(resource_type) or {}
        version_entry: dict[str, Any] = next(
            (v for v in (crd.get("spec") or {}).get("versions") or [] if v.get("name") == resource_type.version), {}
        )
        custom_schema = copy.deepcopy(((version_entry.get("schema") or {}).get("openAPIV3Schema")) or {})
        schema = custom_schema if isinstance(custom_schema, dict) else {}
        schema.setdefault("type", "object")
        merged = dict(schema.get("properties") or {})
        merged.update({k: v for k, v in properties.items() if k not in ("metadata",)})
        merged["metadata"] = properties["metadata"]
        schema["properties"] = merged
    else:
        root = root_struct(resource_type)
        for name, sub_schema in (_struct_schema(root).get("properties") or {}).items():
            properties[name] = sub_schema
        schema = {"description": f"{resource_type.kind} of {resource_type.api_version}.", "type": "object",
                  "properties": properties}
    if TAG_COMPONENT_KINDS:
        schema["x-kubernetes-group-version-kind"] = [_gvk(resource_type.group, resource_type.version, resource_type.kind)]
    return schema


def _list_schema(resource_type: ResourceType) -> dict[str, Any]:
    return {
        "description": f"{resource_type.list_kind} is a list of {resource_type.kind}.",
        "type": "object",
        "required": ["items"],
        "properties": {
            "apiVersion": {"type": "string"},
            "items": {"type": "array", "items": {"allOf": [_ref(schema_name(resource_type.group, resource_type.version, resource_type.kind))], "default": {}}},
            "kind": {"type": "string"},
            "metadata": {"allOf": [_ref(f"{_META}.ListMeta")], "default": {}},
        },
    }


def _shared_schemas() -> dict[str, Any]:
    return {
        f"{_META}.ObjectMeta": _object_meta_schema(),
        f"{_META}.ListMeta": {"type": "object", "properties": {
            "continue": {"type": "string"}, "remainingItemCount": {"type": "integer", "format": "int64"},
            "resourceVersion": {"type": "string"}, "selfLink": {"type": "string"}}},
        f"{_META}.Patch": {"description": "Patch is provided to give a concrete name and type to the Kubernetes PATCH request body.", "type": "object"},
        f"{_META}.Status": {"description": "Status is a return value for calls that don't return other objects.", "type": "object",
                            "properties": {"apiVersion": {"type": "string"}, "code": {"type": "integer", "format": "int32"},
                                           "details": {"type": "object"}, "kind": {"type": "string"},
                                           "message": {"type": "string"}, "metadata": {"allOf": [_ref(f"{_META}.ListMeta")], "default": {}},
                                           "reason": {"type": "string"}, "status": {"type": "string"}},
                            "x-kubernetes-group-version-kind": [_gvk("", "v1", "Status")]},
    }


_SUB_KIND_SCHEMAS = {
    ("autoscaling", "v1", "Scale"): {
        "description": "Scale represents a scaling request for a resource.",
        "type": "object",
        "properties": {"apiVersion": {"type": "string"}, "kind": {"type": "string"},
                       "metadata": {"allOf": [_ref(f"{_META}.ObjectMeta")], "default": {}},
                       "spec": {"type": "object", "properties": {"replicas": {"type": "integer", "format": "int32"}}},
                       "status": {"type": "object"}},
    },
}


def openapi_v3_document(catalog: Catalog, group: str, version: str) -> dict[str, Any] | None:
    """GET /openapi/v3/api/v1 or /openapi/v3/apis/{group}/{version}; None when the group-version is not served.

    The document is shared between calls (cached until CRDs change): serialize it, do not modify it."""
    return _cached(catalog, group, version)[0]


def _build_document(catalog: Catalog, group: str, version: str) -> dict[str, Any] | None:
    types = [t for t in catalog.all_types() if t.group == group and t.version == version]
    if not types:
        return None
    prefix = "/api/v1" if not group else f"/apis/{group}/{version}"
    paths: dict[str, Any] = {}
    schemas = _shared_schemas()
    for resource_type in sorted(types, key=lambda t: t.plural):
        base = f"{prefix}/namespaces/{{namespace}}/{resource_type.plural}" if resource_type.namespaced else f"{prefix}/{resource_type.plural}"
        collection = _collection_path(resource_type)
        if collection:
            paths[base] = collection
        item = _item_path(resource_type)
        if item:
            paths[f"{base}/{{name}}"] = item
        for sub in resource_type.subresources:
            details = subresource_details(resource_type, sub)
            if details is None or not set(details.verbs) & {"get", "patch", "update"} or sub in ("log", "exec", "attach", "portforward", "proxy"):
                continue
            sub_item = _item_path(resource_type, sub)
            if sub_item:
                paths[f"{base}/{{name}}/{sub}"] = sub_item
                key = (details.group if details.group is not None else group,
                       details.version if details.version is not None else version, details.kind)
                if key in _SUB_KIND_SCHEMAS:
                    schemas[schema_name(*key)] = copy.deepcopy(_SUB_KIND_SCHEMAS[key])
        schemas[schema_name(group, version, resource_type.kind)] = _kind_schema(resource_type, catalog)
        schemas[schema_name(group, version, resource_type.list_kind)] = _list_schema(resource_type)
    # The real, complete schemas wherever they were recorded (see the module docstring).
    wanted = [name for name in schemas if name in recorded_schemas()]
    wanted += [
        _recorded_names()[(group, version, t.kind)]
        for t in types
        if not t.custom and (group, version, t.kind) in _recorded_names()
    ]
    schemas.update(copy.deepcopy(_with_references(wanted)))
    return {
        "openapi": "3.0.0",
        "info": {"title": "Kubernetes", "version": "v1.37.2"},
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {"BearerToken": {"type": "apiKey", "description": "Bearer Token authentication", "name": "authorization", "in": "header"}},
        },
        "security": [{"BearerToken": []}],
    }
