"""One compact summary per listed object: the row `kubectl get` prints for it.

A model listing pods needs what `kubectl get pods` shows, not 5 KB of JSON per pod. Each
summary is the object's row from kubectl's own table printer (`printers.py`, the package's
one port of k8s.io/kubernetes pkg/printers), keyed by column: `status` says
CrashLoopBackOff, Init:0/1 or Terminating exactly when kubectl would. By default a summary
has kubectl's default columns; `wide=True` adds the `-o wide` ones (a pod's IP and node,
a deployment's images and selector), so the default never costs more than kubectl's table.

Summaries leave out empty cells (kubectl's `<none>` and `<unset>` included). For the
smallest answers, `summary_table` turns many summaries into `{"columns": [...], "rows": [[...]]}`
(every row as wide as the columns; a column empty in every row is left out, and the
namespace column only appears when the items span several namespaces), and `render_table`
prints the same as tab-separated text, smaller than kubectl's padded table for the same objects.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from mcp_kubectl.shaping.objects import age
from mcp_kubectl.shaping.printers import NONE, UNSET, print_row, printer_for

Summary = dict[str, Any]

# Kinds without a ported printer (custom resources among them) show their Ready condition.
_FALLBACK_COLUMNS = ("ready", "reason", "age")
_PLACEHOLDERS = (NONE, UNSET)


def summary_columns(kind: str, *, wide: bool = False) -> tuple[str, ...]:
    """The summary keys for `kind`, in table order: name, namespace, then kubectl's columns."""
    printer = printer_for(kind)
    if printer is None:
        return ("name", "namespace", *_FALLBACK_COLUMNS)
    keys = [c.key for c in printer.columns if wide or not c.priority]
    at = 1 if keys and keys[0] == "name" else 0
    return tuple(keys[:at] + ["namespace"] + keys[at:])


def _is_empty(value: object) -> bool:
    return value is None or value == "" or value in _PLACEHOLDERS


def _ready_condition_summary(obj: dict[str, Any]) -> Summary:
    """Any kind without a printer (custom resources included): its Ready condition, when it has one."""
    status = obj.get("status")
    conditions = status.get("conditions") if isinstance(status, dict) else None
    ready = next((c for c in conditions or [] if isinstance(c, dict) and c.get("type") == "Ready"), None)
    if ready is None:
        return {}
    out: Summary = {"ready": ready.get("status")}
    if ready.get("status") != "True":
        out["reason"] = ready.get("reason")
    return out


def summarize(obj: dict[str, Any], *, now: datetime, kind: str | None = None, wide: bool = False) -> Summary:
    """The row kubectl prints for `obj`, as `{column key: cell}`, with its namespace; empty cells left out.

    `kind` is used when the object does not say its own (items of some lists). `wide` adds
    the columns kubectl shows only with `-o wide`.
    """
    metadata = obj.get("metadata") or {}
    kind = str(obj.get("kind") or kind or "")
    printed = print_row(obj, now, kind)
    cells: Summary = {}
    if printed is None:
        cells = {"name": metadata.get("name", ""), **_ready_condition_summary(obj),
                 "age": age(metadata.get("creationTimestamp"), now)}
    else:
        printer, row = printed
        cells = {c.key: cell for c, cell in zip(printer.columns, row, strict=True) if wide or not c.priority}
    if metadata.get("namespace"):
        cells["namespace"] = metadata["namespace"]
    order = summary_columns(kind, wide=wide)
    return {key: cells[key] for key in order if key in cells and not _is_empty(cells[key])}


def summary_table(
    summaries: Sequence[Summary], *, kind: str, columns: Sequence[str] | None = None, wide: bool = False
) -> dict[str, Any]:
    """Many summaries as `{"columns": [...], "rows": [[...]]}`: each key said once, not per row.

    Every row has one cell per column (null where a summary has no value). A column empty
    in every row is left out, and the namespace column is kept only when the rows span more
    than one namespace (otherwise `namespace` is given once at the top).
    """
    chosen = list(columns) if columns is not None else list(summary_columns(kind, wide=wide))
    table: dict[str, Any] = {}
    namespaces = {s.get("namespace") for s in summaries}
    if len(namespaces) == 1 and "namespace" in chosen:
        chosen.remove("namespace")
        only = next(iter(namespaces))
        if only:
            table["namespace"] = only
    chosen = [c for c in chosen if c == "name" or any(c in s for s in summaries)]
    table["columns"] = chosen
    table["rows"] = [[summary.get(column) for column in chosen] for summary in summaries]
    return table


def _cell(value: object) -> str:
    if value is None:
        return ""
    text = str(value)
    if "\t" in text or "\n" in text:
        text = " ".join(text.split())
    return text


def render_table(table: dict[str, Any]) -> str:
    """A `summary_table` as tab-separated text with a header line: the leanest form to read."""
    lines = []
    if table.get("namespace"):
        lines.append(f"namespace: {table['namespace']}")
    lines.append("\t".join(table["columns"]))
    width = len(table["columns"])
    for row in table["rows"]:
        lines.append("\t".join([_cell(v) for v in row] + [""] * (width - len(row))))
    return "\n".join(lines) + "\n"
