"""printers: the Python port against cells recorded from kubectl's real printers (Go, v1.37.2).

fixtures/printers/golden.json holds, for each object of fixtures/printers/cases.json, the
columns and cells that k8s.io/kubernetes pkg/printers/internalversion computes for it (as the
API server does for `kubectl get`), recorded by tests/printers_golden. The port must give the
same cells for every case, and the emulator must serve them to a real kubectl.
"""

from __future__ import annotations

import datetime
import json
import os
import re
import time
from pathlib import Path
from typing import Any

import pytest
from harness import OPEN_SCHEMA, REAL_KUBECONFIG_ENV, Cluster, crd_manifest

from mcp_kubectl.emulator import tables
from mcp_kubectl.emulator.catalog import Catalog, ResourceType
from mcp_kubectl.shaping.printers import PRINTERS, format_label_selector, print_row, selector_string

GOLDEN = json.loads((Path(__file__).resolve().parents[2] / "fixtures" / "printers" / "golden.json").read_text())
NOW = datetime.datetime.fromisoformat(GOLDEN["now"])
CASES: list[dict[str, Any]] = GOLDEN["cases"]


def test_the_goldens_come_from_the_real_printers_and_cover_every_ported_kind() -> None:
    assert GOLDEN["origin"].startswith("k8s.io/kubernetes v1.37.2 pkg/printers/internalversion")
    kinds = {case["object"]["kind"] for case in CASES}
    assert set(PRINTERS) <= kinds, set(PRINTERS) - kinds
    assert len(CASES) >= 60


@pytest.mark.parametrize("case", CASES, ids=[c["case"] for c in CASES])
def test_cells_match_the_real_printer(case: dict[str, Any]) -> None:
    printed = print_row(case["object"], NOW)
    assert printed is not None, f"no printer for {case['object']['kind']}"
    printer, cells = printed
    assert [(c.name, c.type, c.priority) for c in printer.columns] == [
        (c["name"], c["type"], c["priority"]) for c in case["columns"]
    ]
    assert cells == case["cells"]


@pytest.mark.parametrize(
    ("selector", "expected"),
    [
        (None, ""),
        ({}, ""),
        ({"matchLabels": {"b": "2", "a": "1"}}, "a=1,b=2"),
        ({"matchExpressions": [{"key": "z", "operator": "NotIn", "values": ["y", "x"]},
                               {"key": "k", "operator": "Exists"}]}, "k,z notin (x,y)"),
        ({"matchExpressions": [{"key": "k", "operator": "Bogus"}]}, "<invalid>"),
    ],
)
def test_selector_strings(selector: dict[str, Any] | None, expected: str) -> None:
    assert selector_string(selector) == expected
    assert format_label_selector(selector) == {"": "<none>", "<invalid>": "<error>"}.get(expected, expected)


# --- The emulator serves the same cells to a real kubectl ----------------------------------------------------

_DURATION = re.compile(r"\b\d+[smhdy]\w*\b|<unknown>")
_SERVED_KINDS = {"Pod": "pods", "Deployment": "deployments", "Service": "services", "Node": "nodes",
                 "Job": "jobs", "PersistentVolumeClaim": "persistentvolumeclaims"}


def _shifted(value: Any, delta: datetime.timedelta) -> Any:
    """Every timestamp moved by `delta`, so that ages read as at NOW (as the Go recorder does)."""
    if isinstance(value, dict):
        return {k: _shifted(v, delta) for k, v in value.items()}
    if isinstance(value, list):
        return [_shifted(v, delta) for v in value]
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z", value):
        when = datetime.datetime.fromisoformat(value) + delta
        return when.strftime("%Y-%m-%dT%H:%M:%S.%fZ" if "." in value else "%Y-%m-%dT%H:%M:%SZ")
    return value


def _normalized(cells: list[Any]) -> list[str]:
    """Cells as kubectl's padded text shows them: empty ones vanish, durations are compared loosely."""
    return [_DURATION.sub("<t>", str(c)) for c in cells if c not in (None, "")]


@pytest.mark.skipif(bool(os.environ.get(REAL_KUBECONFIG_ENV)), reason="loads the golden objects into its own emulator")
def test_the_emulator_serves_the_golden_cells_to_kubectl(tmp_path: Path) -> None:
    """`kubectl get -o wide` (the pinned binary) against the emulator prints the recorded cells.

    Timestamps are moved so that ages read as at the goldens' NOW; they are still compared
    loosely, since a second may pass between loading and printing.
    """
    from mcp_kubectl.emulator import Emulator

    delta = datetime.datetime.now(datetime.UTC) - NOW
    with Emulator(namespaces=("printed",)) as emulator:
        cluster = Cluster(kubeconfig=emulator.kubeconfig, cache_dir=tmp_path, emulator=emulator)
        expected: dict[str, dict[str, list[Any]]] = {plural: {} for plural in _SERVED_KINDS.values()}
        for index, case in enumerate(CASES):
            plural = _SERVED_KINDS.get(case["object"]["kind"])
            if plural is None:
                continue
            obj = _shifted(case["object"], delta)
            name = f"golden-{index}"
            obj["metadata"] = {**obj["metadata"], "name": name}
            if plural != "nodes":
                obj["metadata"]["namespace"] = "printed"
            if plural == "jobs":  # keep the recorded selector: no controller-uid one added on create
                obj["spec"]["manualSelector"] = True
            emulator.put_object(obj)
            expected[plural][name] = [name, *case["cells"][1:]]
        for plural, rows in expected.items():
            scope = ["-n", "printed"] if plural != "nodes" else []
            out = cluster.kubectl("get", plural, *scope, "-o", "wide", "--no-headers").stdout
            printed = {line.split()[0]: re.split(r" {3,}", line.rstrip()) for line in out.splitlines()}
            assert set(rows) <= set(printed), plural
            for name, cells in rows.items():
                assert _normalized(printed[name]) == _normalized(cells), (plural, name)


# --- The emulator's tables describe their columns as a real server does --------------------------------------

_TABLE = "application/json;as=Table;v=v1;g=meta.k8s.io"


def _list_path(resource_type: ResourceType) -> str:
    group_version = f"apis/{resource_type.group}/{resource_type.version}" if resource_type.group else "api/v1"
    return f"/{group_version}/{resource_type.plural}"


@pytest.mark.both_targets
def test_served_tables_have_the_emulators_column_definitions(cluster: Cluster) -> None:
    """Every printed kind's Table (both Event groups), a default one (Role) and a custom resource's, with
    and without additionalPrinterColumns: on the real target this checks the recorded descriptions
    (emulator/table_columns.json) and the printers' headers, types and priorities against a live server."""
    builtins = [t for t in Catalog().all_types() if not t.custom and (t.kind in PRINTERS or t.plural == "roles")]
    assert {t.kind for t in builtins} == {*PRINTERS, "Role"}
    for resource_type in builtins:
        served = cluster.api_get(_list_path(resource_type), _TABLE)["columnDefinitions"]
        assert served == tables.columns_and_cells(resource_type)[0], resource_type.plural

    suffix = os.urandom(4).hex()
    group, plural = f"tables{suffix}.example.com", "gauges"
    versions = [{"name": "v1", "served": True, "storage": True, "schema": OPEN_SCHEMA},
                {"name": "v2", "served": True, "storage": False, "schema": OPEN_SCHEMA, "additionalPrinterColumns": [
                    {"name": "Size", "type": "integer", "jsonPath": ".spec.size", "description": "How big it is.", "priority": 1}]}]
    crd = crd_manifest(group, plural, "Gauge", versions)
    cluster.apply(json.dumps(crd))
    try:
        cluster.kubectl("wait", "--for=condition=Established", "--timeout=60s", f"crd/{plural}.{group}")
        for version in versions:
            gauges = ResourceType(group, str(version["name"]), "Gauge", plural, "gauge", True, ("list",), custom=True)
            served = _served_columns(cluster, _list_path(gauges))
            assert served == tables.columns_and_cells(gauges, version)[0], version["name"]
    finally:
        cluster.kubectl("delete", "crd", f"{plural}.{group}", "--wait=false")


def _served_columns(cluster: Cluster, path: str) -> list[dict[str, Any]]:
    """A custom resource's Table columns: it is served a moment after its CRD is Established."""
    for _ in range(50):
        try:
            return list(cluster.api_get(path, _TABLE)["columnDefinitions"])
        except AssertionError:
            time.sleep(0.2)
    raise AssertionError(f"{path} was never served")
