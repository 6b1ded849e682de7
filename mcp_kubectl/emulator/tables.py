"""Server-side printing: meta.k8s.io/v1 ``Table`` responses, which ``kubectl get`` without ``-o`` asks for.

The cells of built-in kinds come from ``mcp_kubectl.shaping.printers``, the package's one port of
kubernetes/pkg/printers/internalversion/printers.go (the summaries read the same port). Other
built-ins get the default "Name / Created At" table and custom resources "Name / Age" (plus simple
additionalPrinterColumns), as the real server prints them. The server sends every column; kubectl
hides those with priority > 0 unless ``-o wide``. What the columns say about themselves (their
descriptions, which only a Table carries) is recorded from a real server in ``table_columns.json``.
"""

from __future__ import annotations

import datetime
import functools
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mcp_kubectl.emulator.catalog import ResourceType
from mcp_kubectl.shaping import printers
from mcp_kubectl.shaping.objects import age

Obj = dict[str, Any]
ColumnDefinition = dict[str, Any]  # one of a Table's columnDefinitions: name, type, format, description, priority
Cells = Callable[[Obj, datetime.datetime], list[Any]]
TablePrinter = tuple[list[ColumnDefinition], Cells]

# What a real v1.37.2 API server says about its columns (tests/record_table_columns.py).
RECORDED_COLUMNS = Path(__file__).with_name("table_columns.json")


@functools.cache
def recorded_columns() -> dict[str, Any]:
    """The recorded descriptions of each printed kind's columns, and the default and custom tables' columns."""
    return dict(json.loads(RECORDED_COLUMNS.read_text()))


def _definition(name: str, type_: str, format_: str, priority: int, description: str) -> ColumnDefinition:
    return {"name": name, "type": type_, "format": format_, "description": description, "priority": priority}


def since(value: str | None, now: datetime.datetime) -> str:
    """translateTimestampSince: "<unknown>" for a missing time."""
    return age(value, now)


def _name(obj: Obj) -> str:
    return str((obj.get("metadata") or {}).get("name", ""))


def _age(obj: Obj, now: datetime.datetime) -> str:
    return since((obj.get("metadata") or {}).get("creationTimestamp"), now)


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


def _custom_table(crd_version: Obj | None) -> TablePrinter:
    """Name, then the CRD's additionalPrinterColumns (simple JSONPaths), or Name and Age without them."""
    name_column, age_column = recorded_columns()["custom"]
    printer_columns = (crd_version or {}).get("additionalPrinterColumns")
    if not printer_columns:
        return [name_column, age_column], lambda o, now: [_name(o), _age(o, now)]
    columns: list[ColumnDefinition] = [name_column]
    paths: list[tuple[str, str]] = []
    for column in printer_columns:
        columns.append(_definition(column.get("name", ""), column.get("type", "string"), column.get("format", ""),
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


def _printed_columns(printer: printers.Printer) -> list[ColumnDefinition]:
    """The printer's columns, described as the real server describes them."""
    descriptions = recorded_columns()["printed"][printer.kind]
    return [_definition(c.name, c.type, c.format, c.priority, descriptions[c.name]) for c in printer.columns]


def _default_cells(obj: Obj, now: datetime.datetime) -> list[Any]:
    return [_name(obj), (obj.get("metadata") or {}).get("creationTimestamp", "")]


def columns_and_cells(resource_type: ResourceType, crd_version: Obj | None = None) -> TablePrinter:
    """The printer for one resource: its kind's ported printer (events.k8s.io Events print as core
    Events), the CRD's columns for a custom resource, else the default "Name / Created At" table."""
    if resource_type.custom:
        return _custom_table(crd_version)
    printer = printers.printer_for(resource_type.kind)
    if printer is not None:
        return _printed_columns(printer), printer.cells
    return list(recorded_columns()["default"]), _default_cells


def _partial(obj: Obj) -> Obj:
    return {"kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1", "metadata": obj.get("metadata") or {}}


def build_table(
    objects: list[Obj],
    printer: TablePrinter,
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
        "columnDefinitions": [dict(c) for c in columns],
        "rows": rows,
    }

