"""Record the real control plane's Table column descriptions for the emulator (`kubectl get` tables).

    python tests/record_table_columns.py --kubeconfig FILE   # a running control plane, e.g. from
                                                             # `python tests/real_cluster.py up --kubeconfig-out FILE`

Writes mcp_kubectl/emulator/table_columns.json:
- "printed": for every kind with a printer in mcp_kubectl/shaping/printers.py, each column's description
  as the real server sends it in a Table's columnDefinitions (the shaping layer never shows them, so
  they are the emulator's data, not the printers');
- "default": the whole columnDefinitions of a built-in without such a printer (Role: Name, Created At);
- "custom": those of a custom resource whose CRD names no additionalPrinterColumns (Name, Age).

The recording is checked against the printers (same column names, types and priorities) before it is
written; tests/integration/test_printers.py checks the emulator's tables against a live server.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path
from typing import Any

from harness import Cluster, crd_manifest

from mcp_kubectl.emulator.catalog import Catalog, ResourceType
from mcp_kubectl.shaping.printers import PRINTERS

OUT = Path(__file__).resolve().parent.parent / "mcp_kubectl" / "emulator" / "table_columns.json"
TABLE = "application/json;as=Table;v=v1;g=meta.k8s.io"
DEFAULT_EXAMPLE = ("rbac.authorization.k8s.io", "v1", "roles")
CRD = crd_manifest("record.example.com", "columnprobes", "ColumnProbe")  # no additionalPrinterColumns: Name, Age


def list_path(group: str, version: str, plural: str) -> str:
    return f"/api/{version}/{plural}" if not group else f"/apis/{group}/{version}/{plural}"


def printed_types() -> list[ResourceType]:
    """Every built-in type the emulator prints with a ported printer (both Event groups)."""
    return [t for t in Catalog().all_types() if not t.custom and t.kind in PRINTERS]


def _columns(cluster: Cluster, group: str, version: str, plural: str) -> list[dict[str, Any]]:
    return list(cluster.api_get(list_path(group, version, plural), TABLE)["columnDefinitions"])


def _custom_columns(cluster: Cluster) -> list[dict[str, Any]]:
    cluster.apply(json.dumps(CRD))
    try:
        cluster.kubectl("wait", "--for=condition=Established", "--timeout=60s", f"crd/{CRD['metadata']['name']}")
        for _ in range(50):  # the resource is served a moment after the CRD is Established
            try:
                return _columns(cluster, "record.example.com", "v1", "columnprobes")
            except AssertionError:
                time.sleep(0.2)
        raise SystemExit("the probe CRD's resource was never served")
    finally:
        cluster.kubectl("delete", "crd", CRD["metadata"]["name"], "--wait=false")


def record(cluster: Cluster) -> dict[str, Any]:
    """The descriptions of every printed kind's columns, and the default and custom tables' columns."""
    printed: dict[str, dict[str, str]] = {}
    for resource_type in printed_types():
        served = _columns(cluster, resource_type.group, resource_type.version, resource_type.plural)
        printer = PRINTERS[resource_type.kind]
        ours = [(c.name, c.type, c.priority) for c in printer.columns]
        theirs = [(c["name"], c["type"], c["priority"]) for c in served]
        if ours != theirs:
            raise SystemExit(f"{resource_type.plural}: the server's columns {theirs} are not the printer's {ours}")
        descriptions = {c["name"]: c["description"] for c in served}
        if printed.setdefault(resource_type.kind, descriptions) != descriptions:
            raise SystemExit(f"{resource_type.kind}: {resource_type.group or 'core'} describes its columns differently")
    return {
        "origin": "kube-apiserver v1.37.2 (tests/real_cluster.py), recorded by tests/record_table_columns.py",
        "printed": printed,
        "default": _columns(cluster, *DEFAULT_EXAMPLE),
        "custom": _custom_columns(cluster),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--kubeconfig", required=True)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="mcpk-cache-") as cache:
        cluster = Cluster(kubeconfig=Path(args.kubeconfig), cache_dir=Path(cache), emulator=None, target="real")
        recorded = record(cluster)
    OUT.write_text(json.dumps(recorded, indent=1) + "\n")
    print(f"{len(recorded['printed'])} printed kinds, {OUT.stat().st_size} bytes: {OUT}")


if __name__ == "__main__":
    main()
