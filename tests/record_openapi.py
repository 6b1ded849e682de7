"""Record the real control plane's OpenAPI v3 component schemas for the emulator (kubectl explain).

    python tests/record_openapi.py --kubeconfig FILE     # a running control plane, e.g. from
                                                         # `python tests/real_cluster.py up --kubeconfig-out FILE`

Writes mcp_kubectl/emulator/openapi_schemas.json.gz: every component schema of every group-version
document, merged by name (names are global in Kubernetes), gzipped. Left out: DeleteOptions and
WatchEvent, whose kind tags list every group-version (each document names only its own), and which
kubectl explain never shows. The emulator serves these schemas, tagged with their kinds as a real
server tags them, instead of hand-written partial ones (see mcp_kubectl/emulator/openapi.py).
"""

from __future__ import annotations

import argparse
import gzip
import json
import subprocess
from pathlib import Path

from harness import pinned_kubectl

OUT = Path(__file__).resolve().parent.parent / "mcp_kubectl" / "emulator" / "openapi_schemas.json.gz"
LEFT_OUT = {"io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions", "io.k8s.apimachinery.pkg.apis.meta.v1.WatchEvent"}


def _get(kubeconfig: str, path: str) -> dict:
    done = subprocess.run(
        [pinned_kubectl(), f"--kubeconfig={kubeconfig}", "get", f"--raw={path}"], capture_output=True, check=True
    )
    return json.loads(done.stdout)


def record(kubeconfig: str) -> dict[str, dict]:
    """Every group-version document's schemas, merged; a name that differs between documents is an error."""
    index = _get(kubeconfig, "/openapi/v3")
    merged: dict[str, dict] = {}
    for path in sorted(index["paths"]):
        if not (path.startswith("api/v") or path.startswith("apis/") and path.count("/") == 2):
            continue
        schemas = _get(kubeconfig, f"/openapi/v3/{path}").get("components", {}).get("schemas", {})
        for name, schema in schemas.items():
            if name in LEFT_OUT:
                continue
            if name in merged and merged[name] != schema:
                raise SystemExit(f"{name} differs between group-version documents")
            merged[name] = schema
    return merged


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--kubeconfig", required=True)
    args = parser.parse_args()
    schemas = record(args.kubeconfig)
    data = json.dumps(schemas, sort_keys=True, separators=(",", ":")).encode()
    OUT.write_bytes(gzip.compress(data, compresslevel=9, mtime=0))
    print(f"{len(schemas)} schemas, {len(data)} bytes, {OUT.stat().st_size} gzipped: {OUT}")


if __name__ == "__main__":
    main()
