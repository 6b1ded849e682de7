"""Kubeconfig files pointing kubectl at the emulator, one per user."""

from __future__ import annotations

import base64
import os
from pathlib import Path
from typing import Any

import yaml

CONTEXT = "emulator"
CLUSTER = "emulator"


def kubeconfig_document(url: str, user: str, token: str, ca_pem: bytes | None, namespace: str = "default") -> dict[str, Any]:
    """One cluster, one user with a bearer token, one context named ``emulator``."""
    cluster: dict[str, str] = {"server": url}
    if ca_pem is not None:
        cluster["certificate-authority-data"] = base64.b64encode(ca_pem).decode()
    return {
        "apiVersion": "v1",
        "kind": "Config",
        "clusters": [{"name": CLUSTER, "cluster": cluster}],
        "users": [{"name": user, "user": {"token": token}}],
        "contexts": [{"name": CONTEXT, "context": {"cluster": CLUSTER, "user": user, "namespace": namespace}}],
        "current-context": CONTEXT,
        "preferences": {},
    }


def write_kubeconfig(path: Path, document: dict[str, Any]) -> Path:
    """Write atomically with mode 0600 (it holds a token), so a watcher never reads half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        yaml.safe_dump(document, fh, sort_keys=False)
    os.replace(tmp, path)
    return path
