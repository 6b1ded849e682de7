"""The Kubernetes REST API over the store: routing, discovery, reads, writes and sub-resources.

``Api.handle`` takes a transport-free ``ApiRequest`` (already authenticated) and returns an
``ApiResponse``; the HTTP layer (server.py) only moves bytes. Requests flow:
path → (resource type, namespace, name, subresource) → authorization → verb handler → encoding
(JSON, or a meta.k8s.io Table when kubectl asks for one).
"""

from __future__ import annotations

import base64
import binascii
import copy
import datetime
import json
import logging
import secrets
import string
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from io import BufferedIOBase
from typing import Any

import yaml

from mcp_kubectl.emulator import apply as ssa
from mcp_kubectl.emulator import errors, podexec, tables, websocket
from mcp_kubectl.emulator.auth import Authenticator, forbidden_message
from mcp_kubectl.emulator.catalog import Catalog, ResourceType
from mcp_kubectl.emulator.controllers import Controllers
from mcp_kubectl.emulator.errors import ApiError
from mcp_kubectl.emulator.metrics import GROUP as METRICS_GROUP
from mcp_kubectl.emulator.metrics import Metrics
from mcp_kubectl.emulator.openapi import openapi_v3_document, openapi_v3_index
from mcp_kubectl.emulator.patch import PatchError, json_patch, merge_patch, strategic_merge_patch
from mcp_kubectl.emulator.podlogs import PodLogs, validate_log_options
from mcp_kubectl.emulator.protobuf import ProtobufError, decode_object
from mcp_kubectl.emulator.selectors import SelectorError, field_matcher, parse_field_selector, parse_label_selector
from mcp_kubectl.emulator.store import Entry, Store, dumps
from mcp_kubectl.emulator.validation import (
    apply_defaults,
    carry_cluster_ips,
    check_strict_fields,
    fold_string_data,
    rolled_out_status,
    validate_name,
    validate_spec,
    validate_update,
)
from mcp_kubectl.shaping import printers

logger = logging.getLogger(__name__)

# Subresources that stream (an upgraded connection): authorized as create whatever the method.
_STREAMING_SUBRESOURCES = frozenset({"exec", "attach", "portforward"})

# Create-only reviews the emulator does not answer (a SelfSubjectAccessReview and a SelfSubjectReview it does).
_UNEVALUATED_REVIEWS = (
    "/apis/authentication.k8s.io/v1/tokenreviews",
    "/apis/authorization.k8s.io/v1/subjectaccessreviews",
    "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews",
    "/apis/authorization.k8s.io/v1/namespaces/",
)

KUBERNETES_VERSION = {
    "major": "1",
    "minor": "37",
    "gitVersion": "v1.37.2-emulator",
    "gitCommit": "0000000000000000000000000000000000000000",
    "gitTreeState": "clean",
    "buildDate": "2026-09-23T00:00:00Z",
    "goVersion": "go1.26.8",
    "compiler": "gc",
    "platform": "linux/amd64",
}

def _proto_field(number: int, payload: bytes) -> bytes:
    """One length-delimited protobuf field (payloads here are < 128 bytes)."""
    return bytes([(number << 3) | 2, len(payload)]) + payload


# gnostic openapi_v2.Document{swagger: "2.0", info: {title, version}, paths: {}}
_EMPTY_OPENAPI_V2 = (
    _proto_field(1, b"2.0")
    + _proto_field(2, _proto_field(1, b"Kubernetes") + _proto_field(2, b"v1.37.2"))
    + _proto_field(8, b"")
)

_JSON = "application/json"


@dataclass
class ApiRequest:
    """One authenticated request, transport details removed."""

    method: str
    path: str
    query: dict[str, str]
    headers: Mapping[str, str]  # lower-case names
    body: bytes
    user: str
    query_all: Mapping[str, list[str]] = field(default_factory=dict)  # every value of repeated parameters (exec's command)


@dataclass
class ApiResponse:
    status: int
    body: bytes = b""
    content_type: str = _JSON
    stream: Iterator[bytes] | None = None  # a watch: chunks sent as they come
    headers: Mapping[str, str] = field(default_factory=dict)  # extra response headers (a WebSocket handshake's)
    session: Callable[[BufferedIOBase, BufferedIOBase, threading.Event], None] | None = None  # 101: serves the upgraded connection


@dataclass(frozen=True)
class ResourcePath:
    """What a resource path names."""

    resource_type: ResourceType
    namespace: str  # "" for cluster scope or all namespaces
    name: str
    subresource: str

    @property
    def storage(self) -> tuple[str, str]:
        rt = self.resource_type
        if rt.group == "events.k8s.io" and rt.plural == "events":
            return ("", "events")
        return (rt.group, rt.plural)


def now_rfc3339() -> str:
    return datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _truthy(value: str | None) -> bool:
    return (value or "").lower() in ("true", "1")


def _json_response(obj: Any, status: int = 200) -> ApiResponse:
    return ApiResponse(status, dumps(obj))


# (core/v1 Event field, events.k8s.io/v1 field): the same stored object seen through either API.
_EVENT_FIELDS = (
    ("reportingComponent", "reportingController"), ("reportingInstance", "reportingInstance"), ("action", "action"),
    ("reason", "reason"), ("related", "related"), ("message", "note"), ("type", "type"), ("series", "series"),
    ("count", "deprecatedCount"), ("firstTimestamp", "deprecatedFirstTimestamp"),
    ("lastTimestamp", "deprecatedLastTimestamp"), ("source", "deprecatedSource"),
)


def _core_event_to_events_v1(obj: dict[str, Any]) -> dict[str, Any]:
    """Present a core/v1 Event as events.k8s.io/v1 (the apiserver converts the same stored object)."""
    out: dict[str, Any] = {"kind": "Event", "apiVersion": "events.k8s.io/v1", "metadata": obj.get("metadata", {}),
                           "eventTime": obj.get("eventTime") or None, "regarding": obj.get("involvedObject", {})}
    for core, events_v1 in _EVENT_FIELDS:
        if obj.get(core):
            out[events_v1] = obj[core]
    if not out.get("reportingController") and (obj.get("source") or {}).get("component"):
        out["reportingController"] = obj["source"]["component"]
    return out


def _events_v1_to_core(obj: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"kind": "Event", "apiVersion": "v1", "metadata": obj.get("metadata", {}),
                           "involvedObject": obj.get("regarding", {})}
    for core, events_v1 in (*_EVENT_FIELDS, ("eventTime", "eventTime")):
        if obj.get(events_v1) is not None:
            out[core] = obj[events_v1]
    return out


class Api:
    """The REST semantics of a kube-apiserver over an in-memory store."""

    def __init__(self, store: Store, catalog: Catalog, authenticator: Authenticator, pod_logs: PodLogs,
                 server_address: str = "127.0.0.1:6443", controllers: Controllers | None = None,
                 metrics: Metrics | None = None) -> None:
        self.store = store
        self.metrics = metrics
        self.controllers = controllers
        self.catalog = catalog
        self.authenticator = authenticator
        self.pod_logs = pod_logs
        self.server_address = server_address
        self._openapi_cache: dict[tuple[str, str], bytes] = {}
        self._openapi_key: tuple[str, ...] = ()

    # --- entry point ---------------------------------------------------------------------------------
    def handle(self, request: ApiRequest) -> ApiResponse:
        """Answer one request; every failure becomes a Status object."""
        try:
            return self._route(request)
        except ApiError as exc:
            return ApiResponse(exc.code, dumps(exc.status()))
        except PatchError as exc:
            return ApiResponse(exc.code, dumps(ApiError(code=exc.code, reason=exc.reason or "", message=exc.message).status()))

    def _route(self, request: ApiRequest) -> ApiResponse:
        path = request.path.rstrip("/") or "/"
        parts = [p for p in path.split("/") if p]
        method = request.method
        if method == "GET":
            doc = self._discovery(path, parts)
            if doc is not None:
                return doc
        if method == "POST" and path == "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews":
            return self._access_review(request)
        if method == "POST" and path == "/apis/authentication.k8s.io/v1/selfsubjectreviews":
            return self._self_review(request)
        if method == "POST" and path.startswith(_UNEVALUATED_REVIEWS):
            raise ApiError(code=405, reason="MethodNotAllowed",
                           message=f"the emulator does not evaluate {parts[-1]} (a real API server does)")
        if parts and parts[0] == "api" and len(parts) >= 2 and parts[1] == "v1":
            return self._resource(request, "", "v1", parts[2:])
        if parts and parts[0] == "apis" and len(parts) >= 3:
            return self._resource(request, parts[1], parts[2], parts[3:])
        raise errors.not_found_path()

    # --- discovery, version, OpenAPI ------------------------------------------------------------------
    def _discovery(self, path: str, parts: list[str]) -> ApiResponse | None:
        if path == "/version":
            return _json_response(KUBERNETES_VERSION)
        if path in ("/healthz", "/livez", "/readyz"):
            return ApiResponse(200, b"ok", "text/plain; charset=utf-8")
        if path == "/api":
            return _json_response(self.catalog.core_versions(self.server_address))
        if path == "/apis":
            return _json_response(self.catalog.group_list())
        if path == "/api/v1":
            return _json_response(self.catalog.resource_list("", "v1"))
        if len(parts) == 2 and parts[0] == "apis":
            doc = self.catalog.group(parts[1])
            if doc is None:
                raise errors.not_found_path()
            return _json_response(doc)
        if len(parts) == 3 and parts[0] == "apis":
            doc = self.catalog.resource_list(parts[1], parts[2])
            if doc is None:
                raise errors.not_found_path()
            return _json_response(doc)
        if parts and parts[0] == "openapi":
            return self._openapi(parts)
        return None

    def _openapi(self, parts: list[str]) -> ApiResponse:
        if parts == ["openapi", "v2"]:
            # kubectl validates `kind: List` manifests with OpenAPI v2 (gnostic protobuf); an empty document
            # lets it through, where a 404 would fail the apply. Items of a List are not schema-checked.
            return ApiResponse(200, _EMPTY_OPENAPI_V2, "application/com.github.proto-openapi.spec.v2.v1.0+protobuf")
        if parts == ["openapi", "v3"]:
            return _json_response(openapi_v3_index(self.catalog))
        if len(parts) >= 3 and parts[1] == "v3":
            rest = parts[2:]
            if rest[:1] == ["api"] and len(rest) == 2:
                group, version = "", rest[1]
            elif rest[:1] == ["apis"] and len(rest) == 3:
                group, version = rest[1], rest[2]
            else:
                raise errors.not_found_path()
            key = tuple(f"{t.group}/{t.version}/{t.plural}" for t in self.catalog.all_types())
            if key != self._openapi_key:
                self._openapi_cache = {}
                self._openapi_key = key
            body = self._openapi_cache.get((group, version))
            if body is None:
                doc = openapi_v3_document(self.catalog, group, version)
                if doc is None:
                    raise errors.not_found_path()
                body = dumps(doc)
                self._openapi_cache[(group, version)] = body
            return ApiResponse(200, body)
        raise errors.not_found_path()

    def _access_review(self, request: ApiRequest) -> ApiResponse:
        """``kubectl auth can-i``: answer a SelfSubjectAccessReview from the user's rules."""
        review = self._decode_body(request, "SelfSubjectAccessReview")
        if not isinstance(review, dict):
            raise errors.bad_request("the object provided is unrecognized")
        spec = review.get("spec") or {}
        attributes = spec.get("resourceAttributes")
        if attributes:
            resource = attributes.get("resource", "")
            if attributes.get("subresource"):
                resource = f"{resource}/{attributes['subresource']}"
            allowed = self.authenticator.allowed(request.user, attributes.get("verb", ""), resource,
                                                 attributes.get("namespace", ""))
        else:
            allowed = True  # non-resource URLs (discovery, version) are open to every authenticated user
        status: dict[str, Any] = {"allowed": allowed}
        if allowed:
            status["reason"] = "allowed by the emulator's rules for this user"
        answer = {"kind": "SelfSubjectAccessReview", "apiVersion": "authorization.k8s.io/v1",
                  "metadata": {"creationTimestamp": None}, "spec": spec, "status": status}
        return _json_response(answer, 201)

    def _self_review(self, request: ApiRequest) -> ApiResponse:
        """``kubectl auth whoami``: the requesting user, as a real server's SelfSubjectReview says."""
        answer = {"kind": "SelfSubjectReview", "apiVersion": "authentication.k8s.io/v1",
                  "metadata": {"creationTimestamp": None},
                  "status": {"userInfo": {"username": request.user or "system:anonymous",
                                          "groups": ["system:authenticated"] if request.user else ["system:unauthenticated"]}}}
        return _json_response(answer, 201)

    # --- resources ------------------------------------------------------------------------------------
    def _target(self, group: str, version: str, rest: list[str]) -> ResourcePath:
        namespace = ""
        if len(rest) >= 3 and rest[0] == "namespaces" and rest[2] not in ("status", "finalize"):
            namespace = rest[1]
            rest = rest[2:]
        if not rest or len(rest) > 3:
            raise errors.not_found_path()
        plural = rest[0]
        name = rest[1] if len(rest) >= 2 else ""
        sub = rest[2] if len(rest) == 3 else ""
        rt = self.catalog.lookup(group, version, plural)
        if rt is None:
            raise errors.not_found_path()
        if namespace and not rt.namespaced:
            raise errors.not_found_path()
        if sub and sub not in rt.subresources:
            raise errors.not_found_path()
        return ResourcePath(rt, namespace, name, sub)

    def _verb(self, request: ApiRequest, target: ResourcePath) -> str:
        method = request.method
        if target.subresource in _STREAMING_SUBRESOURCES:
            return "create"  # also a WebSocket GET: the API server authorizes it as create (1.31+)
        if method == "GET":
            if target.name:
                return "get"
            return "watch" if _truthy(request.query.get("watch")) else "list"
        if method == "POST":
            return "create"
        if method == "PUT":
            return "update"
        if method == "PATCH":
            return "patch"
        if method == "DELETE":
            return "delete" if target.name else "deletecollection"
        raise errors.method_not_allowed()

    def _resource(self, request: ApiRequest, group: str, version: str, rest: list[str]) -> ApiResponse:
        target = self._target(group, version, rest)
        verb = self._verb(request, target)
        rt = target.resource_type
        resource = f"{rt.plural}/{target.subresource}" if target.subresource else rt.plural
        if not self.authenticator.allowed(request.user, verb, resource, target.namespace):
            message = forbidden_message(request.user, verb, rt.plural, target.subresource, rt.group,
                                        target.namespace, target.name)
            raise errors.forbidden(message, name=target.name, plural=rt.plural, group=rt.group)
        if target.subresource:
            return self._subresource(request, target, verb)
        if rt.group == METRICS_GROUP and self.metrics is not None:
            if verb not in ("get", "list"):
                raise errors.method_not_allowed()
            return _json_response(self.metrics.read(rt.plural, target.namespace, target.name, request.query))
        if rt.namespaced and not target.namespace and target.name:
            raise errors.not_found_path()
        if verb not in rt.verbs:
            raise errors.method_not_allowed()
        if verb == "get":
            return self._get(request, target)
        if verb in ("list", "watch"):
            return self._list(request, target, watch=verb == "watch")
        if verb == "create":
            if rt.namespaced and not target.namespace:
                raise errors.not_found_path()
            return self._create(request, target)
        if verb == "update":
            return self._update(request, target)
        if verb == "patch":
            return self._patch(request, target)
        if verb == "delete":
            return self._delete(request, target)
        return self._delete_collection(request, target)

    # --- encoding -------------------------------------------------------------------------------------
    @staticmethod
    def _wants_table(request: ApiRequest) -> bool:
        accept = request.headers.get("accept", "")
        return "as=Table" in accept

    def _present(self, target: ResourcePath, obj: dict[str, Any]) -> dict[str, Any]:
        """The stored object as the requested group-version shows it."""
        rt = target.resource_type
        if target.storage == ("", "events") and rt.group == "events.k8s.io":
            return _core_event_to_events_v1(obj)
        if obj.get("apiVersion") != rt.api_version:
            obj = dict(obj)
            obj["apiVersion"] = rt.api_version
        return obj

    def _entry_json(self, target: ResourcePath, entry: Entry) -> bytes:
        rt = target.resource_type
        if entry.obj.get("apiVersion") == rt.api_version and entry.obj.get("kind") == rt.kind:
            return entry.json
        return dumps(self._present(target, entry.obj))

    def _printer(self, target: ResourcePath) -> Any:
        rt = target.resource_type
        crd_version = None
        if rt.custom:
            crd = self.catalog.crd_for(rt)
            for version in ((crd or {}).get("spec") or {}).get("versions") or []:
                if version.get("name") == rt.version:
                    crd_version = version
        return tables.columns_and_cells(rt, crd_version)

    def _object_response(self, request: ApiRequest, target: ResourcePath, obj: dict[str, Any], status: int = 200) -> ApiResponse:
        if self._wants_table(request) and request.method == "GET":
            meta = {"resourceVersion": (obj.get("metadata") or {}).get("resourceVersion", "")}
            table = tables.build_table([self._present(target, obj)], self._printer(target), meta,
                                       request.query.get("includeObject", "Metadata"))
            return _json_response(table, status)
        return ApiResponse(status, dumps(self._present(target, obj)))

    # --- reads ----------------------------------------------------------------------------------------
    def _get(self, request: ApiRequest, target: ResourcePath) -> ApiResponse:
        entry = self.store.get(target.storage, target.namespace, target.name)
        if entry is None:
            raise errors.not_found(target.resource_type.plural, target.resource_type.group, target.name)
        if self._wants_table(request):
            return self._object_response(request, target, entry.obj)
        return ApiResponse(200, self._entry_json(target, entry))

    def _selectors(self, request: ApiRequest, target: ResourcePath) -> Callable[[dict[str, Any]], bool] | None:
        label_text = request.query.get("labelSelector", "")
        field_text = request.query.get("fieldSelector", "")
        try:
            labels = parse_label_selector(label_text) if label_text else None
            terms = parse_field_selector(field_text) if field_text else []
            storage_group, storage_plural = target.storage
            fields = field_matcher(terms, storage_group, storage_plural)
        except SelectorError as exc:
            raise errors.bad_request(str(exc)) from exc
        if labels is None and fields is None:
            return None

        def match(obj: dict[str, Any]) -> bool:
            if labels is not None and not labels.matches((obj.get("metadata") or {}).get("labels")):
                return False
            return fields is None or fields(obj)

        return match

    def _list(self, request: ApiRequest, target: ResourcePath, *, watch: bool) -> ApiResponse:
        rt = target.resource_type
        match = self._selectors(request, target)
        if watch:
            return self._watch(request, target, match)
        list_rv = self.store.resource_version
        start_after: tuple[str, str] | None = None
        token = request.query.get("continue", "")
        if token:
            try:
                decoded = json.loads(base64.urlsafe_b64decode(token.encode() + b"=" * (-len(token) % 4)))
                start_after = (str(decoded["start"][0]), str(decoded["start"][1]))
                list_rv = int(decoded.get("rv", list_rv))
            except (ValueError, KeyError, TypeError, IndexError, binascii.Error) as exc:
                raise errors.bad_request(f"continue key is not valid: {exc}") from exc
        entries = self.store.list(target.storage, target.namespace or None, after=start_after)
        if match is not None:
            entries = [e for e in entries if match(e.obj)]
        limit_text = request.query.get("limit", "")
        try:
            limit = int(limit_text) if limit_text else 0
        except ValueError as exc:
            raise errors.bad_request(f"invalid limit: {limit_text}") from exc
        meta: dict[str, Any] = {"resourceVersion": str(list_rv)}
        if limit > 0 and len(entries) > limit:
            page, rest = entries[:limit], entries[limit:]
            last = page[-1].obj["metadata"]
            next_token = base64.urlsafe_b64encode(
                dumps({"v": "meta.k8s.io/v1", "rv": list_rv, "start": [last.get("namespace") or "", last["name"]]})
            ).decode().rstrip("=")
            meta["continue"] = next_token
            if match is None:
                meta["remainingItemCount"] = len(rest)
            entries = page
        if self._wants_table(request):
            objects = [self._present(target, e.obj) for e in entries]
            table = tables.build_table(objects, self._printer(target), meta, request.query.get("includeObject", "Metadata"))
            return _json_response(table)
        head = dumps({"kind": rt.list_kind, "apiVersion": rt.api_version, "metadata": meta})[:-1]
        body = b"".join([head, b',"items":[', b",".join(self._entry_json(target, e) for e in entries), b"]}"])
        return ApiResponse(200, body)

    def _watch(self, request: ApiRequest, target: ResourcePath, match: Callable[[dict[str, Any]], bool] | None) -> ApiResponse:
        """A watch stream: synthetic ADDED events when no resourceVersion is given, then live changes."""
        try:
            timeout = float(request.query.get("timeoutSeconds") or 1800)
        except ValueError:
            timeout = 1800.0
        rv_text = request.query.get("resourceVersion", "")
        storage = target.storage
        namespace = target.namespace
        name_filter = target.name

        def wanted(obj: dict[str, Any]) -> bool:
            meta = obj.get("metadata") or {}
            if namespace and meta.get("namespace") != namespace:
                return False
            if name_filter and meta.get("name") != name_filter:
                return False
            return match is None or match(obj)

        def event(kind: str, obj: dict[str, Any]) -> bytes:
            return dumps({"type": kind, "object": self._present(target, obj)}) + b"\n"

        send_initial = _truthy(request.query.get("sendInitialEvents")) or rv_text in ("", "0")
        bookmark = _truthy(request.query.get("sendInitialEvents")) and _truthy(request.query.get("allowWatchBookmarks"))

        def stream() -> Iterator[bytes]:
            deadline = time.monotonic() + timeout
            with self.store.lock:
                start_rv = self.store.resource_version
                initial = [e.obj for e in self.store.list(storage, namespace or None)] if send_initial else []
            if not send_initial:
                try:
                    start_rv = int(rv_text)
                except ValueError:
                    pass
            for obj in initial:
                if wanted(obj):
                    yield event("ADDED", obj)
            if bookmark:
                rt = target.resource_type
                yield dumps({"type": "BOOKMARK", "object": {
                    "kind": rt.kind, "apiVersion": rt.api_version,
                    "metadata": {"resourceVersion": str(start_rv), "creationTimestamp": None,
                                 "annotations": {"k8s.io/initial-events-end": "true"}}}}) + b"\n"
            yield b""
            seen = start_rv
            while time.monotonic() < deadline:
                with self.store.changed:
                    pending = [e for e in self.store.events if e.rv > seen and e.storage == storage]
                    if not pending:
                        self.store.changed.wait(min(1.0, max(0.0, deadline - time.monotonic())))
                        pending = [e for e in self.store.events if e.rv > seen and e.storage == storage]
                    if self.store.events:
                        seen = max(seen, self.store.events[-1].rv)
                for change in pending:
                    if wanted(change.obj):
                        yield event(change.type, change.obj)
                yield b""

        return ApiResponse(200, b"", _JSON, stream())

    # --- writes ---------------------------------------------------------------------------------------
    @staticmethod
    def _decode_body(request: ApiRequest, kind: str = "") -> Any:
        content_type = request.headers.get("content-type", _JSON).split(";")[0].strip()
        if content_type == "application/vnd.kubernetes.protobuf":
            try:
                return decode_object(request.body, kind)
            except (ProtobufError, UnicodeDecodeError) as exc:
                logger.warning("cannot decode a protobuf body (%s); answering 415", exc)
                raise ApiError(code=415, reason="UnsupportedMediaType",
                               message='the body of the request was in an unknown format - accepted media types include: '
                               'application/json, application/yaml') from exc
        try:
            if content_type.endswith("yaml"):
                return yaml.safe_load(request.body.decode() or "null")
            return json.loads(request.body or b"null")
        except (ValueError, yaml.YAMLError) as exc:
            raise errors.bad_request(f"the object provided is unrecognized: {exc}") from exc

    @staticmethod
    def _manager(request: ApiRequest) -> str:
        manager = request.query.get("fieldManager")
        if manager:
            return manager
        agent = request.headers.get("user-agent", "")
        return agent.split("/", 1)[0] if agent else "unknown"

    @staticmethod
    def _dry_run(request: ApiRequest, body: Any = None) -> bool:
        if request.query.get("dryRun") == "All":
            return True
        return isinstance(body, dict) and "All" in (body.get("dryRun") or [])

    def _check_namespace_exists(self, namespace: str) -> None:
        if namespace and self.store.get(("", "namespaces"), "", namespace) is None:
            raise errors.not_found("namespaces", "", namespace)

    def _check_kind(self, target: ResourcePath, obj: Any) -> dict[str, Any]:
        rt = target.resource_type
        if not isinstance(obj, dict):
            raise errors.bad_request("the object provided is unrecognized (must be of type " + rt.kind + ")")
        api_version = obj.get("apiVersion") or rt.api_version
        kind = obj.get("kind") or rt.kind
        if kind != rt.kind:
            raise errors.bad_request(f"the kind in the data ({kind}) does not match the expected kind ({rt.kind})")
        expected_group = rt.group
        group = api_version.split("/", 1)[0] if "/" in api_version else ""
        if group != expected_group and not (rt.plural == "events" and group in ("", "events.k8s.io")):
            raise errors.bad_request(
                f"the API version in the data ({api_version}) does not match the expected API version ({rt.api_version})"
            )
        obj["apiVersion"] = api_version
        obj["kind"] = kind
        meta = obj.get("metadata")
        if meta is None:
            obj["metadata"] = meta = {}
        if not isinstance(meta, dict):
            raise errors.bad_request("metadata must be an object")
        if rt.namespaced:
            if meta.get("namespace") and target.namespace and meta["namespace"] != target.namespace:
                raise errors.bad_request(
                    "the namespace of the provided object does not match the namespace sent on the request"
                )
            if target.namespace:
                meta["namespace"] = target.namespace
        else:
            meta.pop("namespace", None)
        return obj

    def _to_storage(self, target: ResourcePath, obj: dict[str, Any]) -> dict[str, Any]:
        """Objects are stored as their storage group-version writes them (events: core/v1)."""
        if target.storage == ("", "events") and obj.get("apiVersion") == "events.k8s.io/v1":
            return _events_v1_to_core(obj)
        return obj

    def _finish_write(self, target: ResourcePath, old: dict[str, Any] | None, new: dict[str, Any], manager: str,
                      now: str, record: bool = True) -> dict[str, Any]:
        rt = target.resource_type
        fold_string_data(rt, new)
        if record:
            new = ssa.record_update(old, new, manager=manager, resource_type=rt, now=now)
        if old is not None:
            if not target.subresource:
                carry_cluster_ips(rt, old, new)
                validate_update(rt, old, new)
                validate_spec(rt, new)
            meta, old_meta = new["metadata"], old.get("metadata") or {}
            for key in ("uid", "creationTimestamp", "namespace", "name"):
                if key in old_meta:
                    meta[key] = old_meta[key]
            if "generation" in old_meta:
                changed = {k: v for k, v in new.items() if k not in ("metadata", "status")} != {
                    k: v for k, v in old.items() if k not in ("metadata", "status")
                }
                meta["generation"] = int(old_meta["generation"]) + (1 if changed else 0)
            if "status" in rt.subresources and not target.subresource:
                if "status" in old:
                    new["status"] = old["status"]
                else:
                    new.pop("status", None)
            if meta.get("generation") != old_meta.get("generation") and not target.subresource:
                rolled_out_status(rt, new, now)
        return new

    def _create(self, request: ApiRequest, target: ResourcePath, body: Any = None) -> ApiResponse:
        rt = target.resource_type
        obj = self._check_kind(target, copy.deepcopy(body) if body is not None else self._decode_body(request, rt.kind))
        check_strict_fields(rt, obj, request.query.get("fieldValidation"))
        dry_run = self._dry_run(request)
        meta = obj["metadata"]
        if not meta.get("name") and meta.get("generateName"):
            suffix = "".join(secrets.choice(string.ascii_lowercase + string.digits) for _ in range(5))
            meta["name"] = meta["generateName"] + suffix
        validate_name(rt, obj)
        validate_spec(rt, obj)
        now = now_rfc3339()
        manager = self._manager(request)
        with self.store.transaction():
            if rt.namespaced:
                self._check_namespace_exists(meta.get("namespace", ""))
            if self.store.get(target.storage, meta.get("namespace", "") if rt.namespaced else "", meta["name"]):
                raise errors.already_exists(rt.plural, rt.group, meta["name"])
            for key in ("resourceVersion", "uid", "deletionTimestamp", "deletionGracePeriodSeconds"):
                meta.pop(key, None)
            meta["uid"] = str(uuid.uuid4())
            meta["creationTimestamp"] = now
            if isinstance(obj.get("spec"), dict) or rt.custom:
                meta["generation"] = 1
            if "status" in rt.subresources:
                obj.pop("status", None)
            apply_defaults(rt, obj)
            fold_string_data(rt, obj)
            rolled_out_status(rt, obj, now)
            self._crd_status(target, obj)
            obj = ssa.record_update(None, obj, manager=manager, resource_type=rt, now=now)
            obj = self._to_storage(target, obj)
            if dry_run:
                return self._object_response(request, target, obj, 201)
            self._after_crd_write(target, obj)
            entry = self.store.put(target.storage, obj, "ADDED")
            self._reconcile(target, entry.obj)
        return ApiResponse(201, dumps(self._present(target, entry.obj)))

    def _reconcile(self, target: ResourcePath, obj: dict[str, Any]) -> None:
        if self.controllers is not None:
            self.controllers.after_write(target.storage, obj)

    def _existing(self, target: ResourcePath) -> Entry:
        entry = self.store.get(target.storage, target.namespace, target.name)
        if entry is None:
            rt = target.resource_type
            raise errors.not_found(rt.plural, rt.group, target.name)
        return entry

    def _update(self, request: ApiRequest, target: ResourcePath) -> ApiResponse:
        rt = target.resource_type
        obj = self._check_kind(target, self._decode_body(request, rt.kind))
        meta = obj["metadata"]
        if meta.get("name") and meta["name"] != target.name:
            raise errors.bad_request(
                f"the name of the object ({meta['name']}) does not match the name on the URL ({target.name})"
            )
        meta["name"] = target.name
        check_strict_fields(rt, obj, request.query.get("fieldValidation"))
        validate_name(rt, obj)
        validate_spec(rt, obj)
        dry_run = self._dry_run(request)
        now = now_rfc3339()
        with self.store.transaction():
            entry = self._existing(target)
            if meta.get("resourceVersion") and meta["resourceVersion"] != entry.obj["metadata"]["resourceVersion"]:
                raise errors.conflict(rt.plural, rt.group, target.name)
            new = self._finish_write(target, entry.obj, obj, self._manager(request), now)
            new = self._to_storage(target, new)
            return self._store_update(request, target, entry, new, dry_run)

    def _store_update(self, request: ApiRequest, target: ResourcePath, entry: Entry, new: dict[str, Any], dry_run: bool) -> ApiResponse:
        """Keep the resourceVersion when nothing changed (as etcd does: no write, no new revision)."""
        old = entry.obj
        new["metadata"]["resourceVersion"] = old["metadata"]["resourceVersion"]
        self._crd_status(target, new)
        if dry_run or new == old:
            return ApiResponse(200, dumps(self._present(target, new)))
        self._after_crd_write(target, new)
        stored = self.store.put(target.storage, new)
        self._reconcile(target, stored.obj)
        return ApiResponse(200, dumps(self._present(target, stored.obj)))

    def _patch(self, request: ApiRequest, target: ResourcePath) -> ApiResponse:
        rt = target.resource_type
        content_type = request.headers.get("content-type", "").split(";")[0].strip()
        dry_run = self._dry_run(request)
        now = now_rfc3339()
        if content_type.startswith("application/apply-patch"):
            return self._apply(request, target, now, dry_run)
        patch_doc = self._decode_body(request)
        with self.store.transaction():
            entry = self._existing(target)
            current = copy.deepcopy(self._present(target, entry.obj))
            if content_type == "application/json-patch+json":
                if not isinstance(patch_doc, list):
                    raise errors.bad_request("json: cannot unmarshal object into Go value of type jsonpatch.Patch")
                patched = json_patch(current, patch_doc)
            elif content_type == "application/merge-patch+json":
                patched = merge_patch(current, patch_doc)
            elif content_type == "application/strategic-merge-patch+json":
                patched = strategic_merge_patch(current, patch_doc, rt)
            else:
                raise ApiError(code=415, reason="UnsupportedMediaType",
                               message="the body of the request was in an unknown format - accepted media types include: "
                               "application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml"
                               + ("" if rt.custom else ", application/strategic-merge-patch+json"))
            if not isinstance(patched, dict):
                raise errors.bad_request("the patch produced an invalid object")
            meta = patched.setdefault("metadata", {})
            wanted_rv = meta.get("resourceVersion")
            if wanted_rv and wanted_rv != entry.obj["metadata"]["resourceVersion"]:
                raise errors.conflict(rt.plural, rt.group, target.name)
            meta["name"] = target.name
            if rt.namespaced:
                meta["namespace"] = target.namespace
            patched = self._check_kind(target, patched)
            validate_name(rt, patched)
            validate_spec(rt, patched)
            new = self._finish_write(target, entry.obj, patched, self._manager(request), now)
            new = self._to_storage(target, new)
            return self._store_update(request, target, entry, new, dry_run)

    def _apply(self, request: ApiRequest, target: ResourcePath, now: str, dry_run: bool) -> ApiResponse:
        rt = target.resource_type
        applied = self._decode_body(request)
        manager = request.query.get("fieldManager", "")
        if not manager:
            raise errors.bad_request("PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for apply patch")
        applied = self._check_kind(target, applied)
        if applied["metadata"].get("name") and applied["metadata"]["name"] != target.name:
            raise errors.bad_request(
                f"the name of the object ({applied['metadata']['name']}) does not match the name on the URL ({target.name})"
            )
        applied["metadata"]["name"] = target.name
        force = _truthy(request.query.get("force"))
        with self.store.transaction():
            entry = self.store.get(target.storage, target.namespace, target.name)
            live = self._present(target, entry.obj) if entry else None
            self._check_apply_uid(target, applied, entry.obj if entry else None)
            try:
                merged = ssa.server_side_apply(copy.deepcopy(live) if live else None, applied, manager=manager,
                                               force=force, resource_type=rt, now=now)
            except ssa.ApplyConflict as exc:
                raise ApiError(code=409, reason="Conflict", message=exc.message,
                               details={"causes": [{"reason": "FieldManagerConflict",
                                                    "message": f'conflict with "{m}"', "field": path}
                                                   for m, path in exc.conflicts]}) from exc
            if entry is None:
                validate_name(rt, merged)
                validate_spec(rt, merged)
                if rt.namespaced:
                    self._check_namespace_exists(target.namespace)
                meta = merged.setdefault("metadata", {})
                meta["uid"] = str(uuid.uuid4())
                meta["creationTimestamp"] = now
                if isinstance(merged.get("spec"), dict) or rt.custom:
                    meta["generation"] = 1
                apply_defaults(rt, merged)
                fold_string_data(rt, merged)
                rolled_out_status(rt, merged, now)
                self._crd_status(target, merged)
                merged = self._to_storage(target, merged)
                if dry_run:
                    return ApiResponse(201, dumps(self._present(target, merged)))
                self._after_crd_write(target, merged)
                stored = self.store.put(target.storage, merged, "ADDED")
                self._reconcile(target, stored.obj)
                return ApiResponse(201, dumps(self._present(target, stored.obj)))
            new = self._finish_write(target, entry.obj, merged, manager, now, record=False)
            new = self._to_storage(target, new)
            return self._store_update(request, target, entry, new, dry_run)

    def _check_apply_uid(self, target: ResourcePath, applied: dict[str, Any], live: dict[str, Any] | None) -> None:
        """An apply naming a uid is conditioned on that object, as the real patch handler does:
        no object yet is a Conflict (never a create), another object's uid is immutable (Invalid)."""
        rt = target.resource_type
        uid = (applied.get("metadata") or {}).get("uid")
        if not uid:
            return
        if live is None:
            raise ApiError(
                code=409,
                reason="Conflict",
                message=f'Operation cannot be fulfilled on {errors.qualified_resource(rt.plural, rt.group)} "{target.name}": '
                f"uid mismatch: the provided object specified uid {uid}, and no existing object was found",
            )
        if uid != live["metadata"].get("uid"):
            raise errors.invalid(rt.kind, rt.group, target.name, [("FieldValueInvalid", "metadata.uid", f'Invalid value: "{uid}": field is immutable')])

    def _delete(self, request: ApiRequest, target: ResourcePath) -> ApiResponse:
        rt = target.resource_type
        options = self._decode_body(request, "DeleteOptions") if request.body else None
        dry_run = self._dry_run(request, options)
        with self.store.transaction():
            entry = self._existing(target)
            preconditions = (options or {}).get("preconditions") if isinstance(options, dict) else None
            if preconditions:
                meta = entry.obj["metadata"]
                if preconditions.get("uid") and preconditions["uid"] != meta.get("uid"):
                    raise ApiError(code=409, reason="Conflict",
                                   message=f'Operation cannot be fulfilled on {errors.qualified_resource(rt.plural, rt.group)} "{target.name}": '
                                   f'Precondition failed: UID in precondition: {preconditions["uid"]}, UID in object meta: {meta.get("uid")}')
                if preconditions.get("resourceVersion") and preconditions["resourceVersion"] != meta.get("resourceVersion"):
                    raise errors.conflict(rt.plural, rt.group, target.name)
            obj = entry.obj
            if (rt.group, rt.plural) == ("", "namespaces"):
                obj = copy.deepcopy(obj)
                obj["metadata"]["deletionTimestamp"] = now_rfc3339()
                obj["status"] = {"phase": "Terminating"}
            if dry_run:
                return ApiResponse(200, dumps(self._present(target, obj)))
            self.store.delete(target.storage, target.namespace, target.name)
            policy = (options or {}).get("propagationPolicy") if isinstance(options, dict) else None
            policy = policy or request.query.get("propagationPolicy") or "Background"
            orphan = (options or {}).get("orphanDependents") if isinstance(options, dict) else None
            if policy != "Orphan" and not orphan:
                self._collect_dependents(entry.obj["metadata"].get("uid", ""))
            if (rt.group, rt.plural) == ("", "namespaces"):
                self.store.delete_namespace_contents(target.name)
            if (rt.group, rt.plural) == ("apiextensions.k8s.io", "customresourcedefinitions"):
                for removed in self.catalog.unregister_crd(entry.obj):
                    self.store.drop((removed.group, removed.plural))
        return ApiResponse(200, dumps(self._present(target, obj)))

    def _collect_dependents(self, owner_uid: str) -> None:
        """The garbage collector's cascade: delete objects owned (via ownerReferences) by a deleted object."""
        if not owner_uid:
            return
        pending = [owner_uid]
        while pending:
            uid = pending.pop()
            for storage in self.store.storages():
                for entry in self.store.list(storage):
                    meta = entry.obj["metadata"]
                    if any(ref.get("uid") == uid for ref in meta.get("ownerReferences") or ()):
                        self.store.delete(storage, meta.get("namespace", "") or "", meta["name"])
                        pending.append(meta.get("uid", ""))

    def _delete_collection(self, request: ApiRequest, target: ResourcePath) -> ApiResponse:
        rt = target.resource_type
        match = self._selectors(request, target)
        options = self._decode_body(request) if request.body else None
        dry_run = self._dry_run(request, options)
        with self.store.transaction():
            entries = [e for e in self.store.list(target.storage, target.namespace or None) if match is None or match(e.obj)]
            if not dry_run:
                for e in entries:
                    meta = e.obj["metadata"]
                    self.store.delete(target.storage, meta.get("namespace", "") or "", meta["name"])
        head = dumps({"kind": rt.list_kind, "apiVersion": rt.api_version,
                      "metadata": {"resourceVersion": str(self.store.resource_version)}})[:-1]
        return ApiResponse(200, head + b',"items":[' + b",".join(self._entry_json(target, e) for e in entries) + b"]}")

    # --- CRDs ---------------------------------------------------------------------------------------
    @staticmethod
    def _is_crd(target: ResourcePath) -> bool:
        rt = target.resource_type
        return (rt.group, rt.plural) == ("apiextensions.k8s.io", "customresourcedefinitions")

    def _crd_status(self, target: ResourcePath, obj: dict[str, Any]) -> None:
        if not self._is_crd(target):
            return
        spec = obj.get("spec") or {}
        now = now_rfc3339()
        names = dict(spec.get("names") or {})
        names.setdefault("singular", str(names.get("kind", "")).lower())
        names.setdefault("listKind", f"{names.get('kind', '')}List")
        obj["status"] = {
            "acceptedNames": names,
            "conditions": [
                {"type": "NamesAccepted", "status": "True", "lastTransitionTime": now, "reason": "NoConflicts",
                 "message": "no conflicts found"},
                {"type": "Established", "status": "True", "lastTransitionTime": now, "reason": "InitialNamesAccepted",
                 "message": "the initial names have been accepted"},
            ],
            "storedVersions": [v.get("name") for v in spec.get("versions") or [] if v.get("storage")],
        }

    def _after_crd_write(self, target: ResourcePath, obj: dict[str, Any]) -> None:
        if not self._is_crd(target):
            return
        from mcp_kubectl.emulator.catalog import CRDError

        try:
            self.catalog.register_crd(obj)
        except CRDError as exc:
            name = obj.get("metadata", {}).get("name", "")
            raise errors.invalid("CustomResourceDefinition", "apiextensions.k8s.io", name,
                                 [("FieldValueRequired", "spec", f"Required value: {exc}")]) from exc

    # --- sub-resources --------------------------------------------------------------------------------
    def _subresource(self, request: ApiRequest, target: ResourcePath, verb: str) -> ApiResponse:
        rt = target.resource_type
        sub = target.subresource
        if not target.name or (rt.namespaced and not target.namespace):
            raise errors.not_found_path()
        if sub == "log" and verb == "get":
            validate_log_options(target.name, request.query)
            entry = self._existing(target)
            return ApiResponse(200, self.pod_logs.read(entry.obj, request.query), "text/plain")
        if sub == "exec" and verb == "create":
            return self._exec(request, target)
        if sub == "eviction" and verb == "create":
            return self._evict(request, target)
        if sub == "status":
            return self._status_subresource(request, target, verb)
        if sub == "scale":
            return self._scale_subresource(request, target, verb)
        raise errors.method_not_allowed()

    def _exec(self, request: ApiRequest, target: ResourcePath) -> ApiResponse:
        """``kubectl exec``: checks as the API server and kubelet make them, then a WebSocket upgrade (podexec)."""
        pod = self._existing(target).obj
        name = target.name
        argv = list(request.query_all.get("command") or [])
        if not argv:
            raise errors.bad_request("you must specify at least 1 command")
        containers = {c.get("name", ""): c for c in (pod.get("spec") or {}).get("containers") or []}
        container = request.query.get("container", "")
        if not container:
            if len(containers) != 1:
                raise errors.bad_request(f"a container name must be specified for pod {name}, choose one of: [{' '.join(containers)}]")
            container = next(iter(containers))
        if container not in containers:
            raise errors.bad_request(f"container {container} is not valid for pod {name}")
        phase = (pod.get("status") or {}).get("phase", "")
        if phase in ("Succeeded", "Failed"):
            raise errors.bad_request(f"cannot exec into a container in a completed pod; current phase is {phase}")
        if not websocket.is_upgrade(dict(request.headers)):
            raise errors.bad_request("Upgrade request required: the emulator answers exec over WebSocket (v5.channel.k8s.io, v4.channel.k8s.io)")
        protocol = podexec.choose_protocol(websocket.offered_protocols(request.headers.get("sec-websocket-protocol")))
        if protocol is None:
            raise errors.bad_request(f"no supported stream protocol offered (the emulator speaks {', '.join(podexec.PROTOCOLS)})")
        outcome = podexec.run(argv, pod, containers[container], self._secret_value)
        headers = {"Upgrade": "websocket", "Connection": "Upgrade", "Sec-WebSocket-Protocol": protocol,
                   "Sec-WebSocket-Accept": websocket.accept_key(request.headers["sec-websocket-key"])}

        def session(rfile: BufferedIOBase, wfile: BufferedIOBase, closing: threading.Event) -> None:
            podexec.serve_session(websocket.WebSocket(rfile, wfile), argv, outcome, closing)

        return ApiResponse(101, headers=headers, session=session)

    def _secret_value(self, namespace: str, secret: str, key: str) -> str | None:
        entry = self.store.get(("", "secrets"), namespace, secret)
        encoded = ((entry.obj.get("data") or {}).get(key)) if entry is not None else None
        try:
            return base64.b64decode(encoded).decode("utf-8", errors="replace") if encoded else None
        except (binascii.Error, ValueError):
            return None

    def _evict(self, request: ApiRequest, target: ResourcePath) -> ApiResponse:
        """``kubectl drain``: an Eviction deletes the pod at once (PodDisruptionBudgets are not consulted)."""
        with self.store.transaction():
            self._existing(target)
            if not self._dry_run(request):
                self.store.delete(target.storage, target.namespace, target.name)
        return _json_response({"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Success", "code": 201}, 201)

    def _status_subresource(self, request: ApiRequest, target: ResourcePath, verb: str) -> ApiResponse:
        if verb == "get":
            return self._get(request, ResourcePath(target.resource_type, target.namespace, target.name, ""))
        if verb not in ("update", "patch"):
            raise errors.method_not_allowed()
        rt = target.resource_type
        dry_run = self._dry_run(request)
        now = now_rfc3339()
        with self.store.transaction():
            entry = self._existing(target)
            current = copy.deepcopy(self._present(target, entry.obj))
            if verb == "update":
                incoming = self._check_kind(target, self._decode_body(request))
                rv = (incoming.get("metadata") or {}).get("resourceVersion")
                if rv and rv != entry.obj["metadata"]["resourceVersion"]:
                    raise errors.conflict(rt.plural, rt.group, target.name)
            else:
                incoming = self._patched(request, target, current)
            new = copy.deepcopy(entry.obj)
            if "status" in incoming:
                new["status"] = incoming["status"]
            else:
                new.pop("status", None)
            new = ssa.record_update(entry.obj, new, manager=self._manager(request), resource_type=rt, now=now)
            return self._store_update(request, target, entry, new, dry_run)

    def _patched(self, request: ApiRequest, target: ResourcePath, current: dict[str, Any]) -> dict[str, Any]:
        content_type = request.headers.get("content-type", "").split(";")[0].strip()
        doc = self._decode_body(request)
        if content_type == "application/json-patch+json":
            return json_patch(current, doc)
        if content_type == "application/merge-patch+json":
            return merge_patch(current, doc)
        if content_type == "application/strategic-merge-patch+json":
            return strategic_merge_patch(current, doc, target.resource_type)
        if content_type.startswith("application/apply-patch"):
            return merge_patch(current, doc)
        raise errors.unsupported_media_type()

    def _scale_subresource(self, request: ApiRequest, target: ResourcePath, verb: str) -> ApiResponse:
        rt = target.resource_type
        with self.store.transaction():
            entry = self._existing(target)
            scale = self._scale_of(entry.obj)
            if verb == "get":
                return _json_response(scale)
            if verb not in ("update", "patch"):
                raise errors.method_not_allowed()
            if verb == "update":
                incoming = self._decode_body(request)
                if not isinstance(incoming, dict):
                    raise errors.bad_request("the object provided is unrecognized")
                rv = (incoming.get("metadata") or {}).get("resourceVersion")
                if rv and rv != entry.obj["metadata"]["resourceVersion"]:
                    raise errors.conflict(rt.plural, rt.group, target.name)
            else:
                content_type = request.headers.get("content-type", "").split(";")[0].strip()
                if content_type == "application/strategic-merge-patch+json":
                    incoming = merge_patch(scale, self._decode_body(request))
                else:
                    incoming = self._patched(request, target, copy.deepcopy(scale))
            replicas = (incoming.get("spec") or {}).get("replicas")
            if not isinstance(replicas, int) or replicas < 0:
                raise errors.invalid("Scale", "autoscaling", target.name,
                                     [("FieldValueInvalid", "spec.replicas", f"Invalid value: {replicas}: must be greater than or equal to 0")])
            new = copy.deepcopy(entry.obj)
            new.setdefault("spec", {})["replicas"] = replicas
            if new != entry.obj:
                new["metadata"]["generation"] = int(new["metadata"].get("generation", 1)) + 1
                rolled_out_status(rt, new, now_rfc3339())
            new = ssa.record_update(entry.obj, new, manager=self._manager(request), resource_type=rt, now=now_rfc3339())
            response = self._store_update(request, target, entry, new, self._dry_run(request))
            stored = json.loads(response.body)
            return _json_response(self._scale_of(stored))

    @staticmethod
    def _scale_of(obj: dict[str, Any]) -> dict[str, Any]:
        meta = obj.get("metadata") or {}
        spec = obj.get("spec") or {}
        selector = printers.selector_string(spec.get("selector")) if isinstance(spec.get("selector"), dict) else ""
        scale_meta = {k: meta[k] for k in ("name", "namespace", "uid", "resourceVersion", "creationTimestamp") if k in meta}
        return {
            "kind": "Scale",
            "apiVersion": "autoscaling/v1",
            "metadata": scale_meta,
            "spec": {"replicas": spec.get("replicas", 1)},
            "status": {"replicas": (obj.get("status") or {}).get("replicas", 0), "selector": selector},
        }
