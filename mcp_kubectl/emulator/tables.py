"""Server-side printing: meta.k8s.io/v1 ``Table`` responses, which ``kubectl get`` without ``-o`` asks for.

The cells of built-in kinds come from ``mcp_kubectl.shaping.printers``, the package's one port of
kubernetes/pkg/printers/internalversion/printers.go (the summaries read the same port). Other
built-ins get the default "Name / Created At" table and custom resources "Name / Age" (plus simple
additionalPrinterColumns), as the real server prints them. The server sends every column; kubectl
hides those with priority > 0 unless ``-o wide``.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from mcp_kubectl.shaping import printers
from mcp_kubectl.shaping.objects import age

Obj = dict[str, Any]
Column = tuple[str, str, str, int, str]  # name, type, format, priority, description

# The kind each served resource prints as (events.k8s.io Events print as core Events).
KINDS: dict[tuple[str, str], str] = {
    ("", "pods"): "Pod",
    ("apps", "deployments"): "Deployment",
    ("apps", "replicasets"): "ReplicaSet",
    ("apps", "statefulsets"): "StatefulSet",
    ("apps", "daemonsets"): "DaemonSet",
    ("batch", "jobs"): "Job",
    ("batch", "cronjobs"): "CronJob",
    ("", "services"): "Service",
    ("networking.k8s.io", "ingresses"): "Ingress",
    ("", "endpoints"): "Endpoints",
    ("", "nodes"): "Node",
    ("", "events"): "Event",
    ("", "namespaces"): "Namespace",
    ("", "secrets"): "Secret",
    ("", "serviceaccounts"): "ServiceAccount",
    ("", "configmaps"): "ConfigMap",
    ("", "persistentvolumeclaims"): "PersistentVolumeClaim",
    ("rbac.authorization.k8s.io", "rolebindings"): "RoleBinding",
    ("rbac.authorization.k8s.io", "clusterrolebindings"): "ClusterRoleBinding",
}


def since(value: str | None, now: datetime.datetime) -> str:
    """translateTimestampSince: "<unknown>" for a missing time."""
    return age(value, now)


def _name(obj: Obj) -> str:
    return str((obj.get("metadata") or {}).get("name", ""))


def _age(obj: Obj, now: datetime.datetime) -> str:
    return since((obj.get("metadata") or {}).get("creationTimestamp"), now)


DEFAULT_COLUMNS: list[Column] = [
    ("Name", "string", "name", 0, "Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names"),
    ("Created At", "date", "", 0, "CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC."),
]
CUSTOM_COLUMNS: list[Column] = [
    ("Name", "string", "name", 0, "Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names"),
]
_AGE_COLUMN: Column = ("Age", "date", "", 0, "CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata")


def _json_path_value(obj: Obj, path: str) -> Any:
    """The simple ``.a.b.c`` JSONPaths additionalPrinterColumns mostly use."""
    cur: Any = obj
    for part in path.strip().lstrip(".").split("."):
        if not part:
            continue
        if not isinstance(cur, dict):
            return None
        cur = cur.get(part)
    return cur


def _custom_table(crd_version: Obj | None) -> tuple[list[Column], Callable[[Obj, datetime.datetime], list[Any]]]:
    printer_columns = (crd_version or {}).get("additionalPrinterColumns")
    if not printer_columns:
        return CUSTOM_COLUMNS + [_AGE_COLUMN], lambda o, now: [_name(o), _age(o, now)]
    columns: list[Column] = list(CUSTOM_COLUMNS)
    paths: list[tuple[str, str]] = []
    for column in printer_columns:
        columns.append((column.get("name", ""), column.get("type", "string"), column.get("format", ""),
                        int(column.get("priority", 0)), column.get("description", "")))
        paths.append((column.get("jsonPath", ""), column.get("type", "string")))

    def cells(obj: Obj, now: datetime.datetime) -> list[Any]:
        out: list[Any] = [_name(obj)]
        for path, kind in paths:
            value = _json_path_value(obj, path)
            if kind == "date":
                out.append(since(value, now) if value else "<unknown>")
            elif value is None:
                out.append(None)
            else:
                out.append(value)
        return out

    return columns, cells


def columns_and_cells(
    group: str, plural: str, custom: bool, crd_version: Obj | None = None
) -> tuple[list[Column], Callable[[Obj, datetime.datetime], list[Any]]]:
    """The printer for one resource."""
    if custom:
        return _custom_table(crd_version)
    kind = KINDS.get((group if plural != "events" else "", plural))
    printer = printers.printer_for(kind) if kind else None
    if printer is not None:
        columns = [(c.name, c.type, c.format, c.priority, c.description) for c in printer.columns]
        return columns, printer.cells

    def default_cells(obj: Obj, now: datetime.datetime) -> list[Any]:
        return [_name(obj), (obj.get("metadata") or {}).get("creationTimestamp", "")]

    return DEFAULT_COLUMNS, default_cells


def _partial(obj: Obj) -> Obj:
    return {"kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1", "metadata": obj.get("metadata") or {}}


def build_table(
    objects: list[Obj],
    printer: tuple[list[Column], Callable[[Obj, datetime.datetime], list[Any]]],
    list_metadata: Obj,
    include_object: str = "Metadata",
    now: datetime.datetime | None = None,
) -> Obj:
    """A meta.k8s.io/v1 Table of ``objects``."""
    now = now or datetime.datetime.now(datetime.UTC)
    columns, cells = printer
    rows = []
    for obj in objects:
        row: Obj = {"cells": cells(obj, now)}
        if include_object == "Object":
            row["object"] = obj
        elif include_object != "None":
            row["object"] = _partial(obj)
        rows.append(row)
    return {
        "kind": "Table",
        "apiVersion": "meta.k8s.io/v1",
        "metadata": list_metadata,
        "columnDefinitions": [
            {"name": n, "type": t, "format": f, "description": d, "priority": p} for n, t, f, p, d in columns
        ],
        "rows": rows,
    }

