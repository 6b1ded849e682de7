"""Read-only view of the user's kubeconfig: contexts, their clusters and default namespaces.

The server needs the effective default namespace (policy checks it before kubectl
runs) and `list_contexts` shows context names, server URLs and namespaces. This
module reads the files kubectl would read, the same way it merges them, and never
writes; credentials are never read out of it.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mcp_kubectl.errors import KubeconfigError

IN_CLUSTER_NAMESPACE_FILE = Path("/var/run/secrets/kubernetes.io/serviceaccount/namespace")


@dataclass(frozen=True)
class ContextInfo:
    """One kubeconfig context, without credentials."""

    name: str
    cluster: str
    server: str
    namespace: str

    def to_dict(self) -> dict[str, str]:
        return {"name": self.name, "cluster": self.cluster, "server": self.server, "namespace": self.namespace}


@dataclass(frozen=True)
class KubeconfigView:
    """The merged contexts and the current context's name."""

    contexts: tuple[ContextInfo, ...]
    current_context: str | None
    in_cluster: bool = False

    def context(self, name: str | None) -> ContextInfo | None:
        wanted = name or self.current_context
        return next((c for c in self.contexts if c.name == wanted), None)

    def default_namespace(self, context: str | None) -> str:
        info = self.context(context)
        return info.namespace if info else "default"


def kubeconfig_paths(explicit: Path | None, environ: Mapping[str, str]) -> list[Path]:
    """The files kubectl reads: --kubeconfig, else $KUBECONFIG's list, else ~/.kube/config."""
    if explicit is not None:
        return [explicit]
    listed = environ.get("KUBECONFIG", "")
    if listed:
        return [Path(p) for p in listed.split(os.pathsep) if p]
    home = environ.get("HOME") or os.path.expanduser("~")
    return [Path(home) / ".kube" / "config"]


def load_kubeconfig(explicit: Path | None, environ: Mapping[str, str] | None = None) -> KubeconfigView:
    """Merge the kubeconfig files as kubectl does (first file wins for each name).

    Raises `KubeconfigError` for an explicit file that is missing or unreadable; with
    no file at all, reports in-cluster mode when a service account is mounted.
    """
    import yaml  # imported lazily: start-up time matters for a stdio server

    env = os.environ if environ is None else environ
    contexts: dict[str, dict[str, Any]] = {}
    clusters: dict[str, dict[str, Any]] = {}
    current: str | None = None
    found_any = False
    for path in kubeconfig_paths(explicit, env):
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            if explicit is not None:
                raise KubeconfigError(f"kubeconfig file {str(path)!r} does not exist") from None
            continue
        except OSError as exc:
            raise KubeconfigError(f"cannot read kubeconfig {str(path)!r}: {exc.strerror}") from None
        try:
            document = yaml.safe_load(text) or {}
        except yaml.YAMLError as exc:
            raise KubeconfigError(f"kubeconfig {str(path)!r} is not valid YAML: {exc}") from None
        if not isinstance(document, dict):
            raise KubeconfigError(f"kubeconfig {str(path)!r} is not a mapping")
        found_any = True
        current = current or document.get("current-context") or None
        for entry in document.get("contexts") or []:
            if isinstance(entry, dict) and isinstance(entry.get("name"), str):
                contexts.setdefault(entry["name"], entry.get("context") or {})
        for entry in document.get("clusters") or []:
            if isinstance(entry, dict) and isinstance(entry.get("name"), str):
                clusters.setdefault(entry["name"], entry.get("cluster") or {})
    if not found_any and IN_CLUSTER_NAMESPACE_FILE.exists() and env.get("KUBERNETES_SERVICE_HOST"):
        namespace = IN_CLUSTER_NAMESPACE_FILE.read_text(encoding="utf-8").strip() or "default"
        server = f"https://{env['KUBERNETES_SERVICE_HOST']}:{env.get('KUBERNETES_SERVICE_PORT', '443')}"
        return KubeconfigView((ContextInfo("in-cluster", "in-cluster", server, namespace),), "in-cluster", True)
    infos = []
    for name, context in contexts.items():
        cluster_name = str(context.get("cluster") or "")
        cluster = clusters.get(cluster_name, {})
        infos.append(
            ContextInfo(
                name=name,
                cluster=cluster_name,
                server=str(cluster.get("server") or ""),
                namespace=str(context.get("namespace") or "default"),
            )
        )
    return KubeconfigView(tuple(infos), current)
