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

# Desktop MCP clients start servers without the shell's environment: KUBECONFIG set in
# ~/.bashrc never reaches them. Say where the setting goes.
NO_KUBECONFIG_HINT = (
    "Pass --kubeconfig /path/to/config in the server's arguments, or set KUBECONFIG in the "
    '"env" block of the MCP client\'s server entry (desktop clients do not inherit your shell\'s environment).'
)


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
    searched: tuple[Path, ...] = ()  # the files kubectl would read
    found: tuple[Path, ...] = ()  # those of them that exist

    def context(self, name: str | None) -> ContextInfo | None:
        wanted = name or self.current_context
        return next((c for c in self.contexts if c.name == wanted), None)

    def default_namespace(self, context: str | None) -> str:
        info = self.context(context)
        return info.namespace if info else "default"

    def problem(self, context: str | None) -> KubeconfigError | None:
        """Why kubectl could not reach a cluster with `context` (None: the current one), said
        plainly with the fix; None when the kubeconfig names a usable context."""
        if self.in_cluster or not self.searched:
            return None
        if not self.found:
            if len(self.searched) == 1:
                what = f"{str(self.searched[0])!r} does not exist"
            else:
                what = f"none of {', '.join(repr(str(p)) for p in self.searched)} exists"
            return KubeconfigError(f"no kubeconfig: {what}, and no in-cluster service account", hint=NO_KUBECONFIG_HINT)
        names = ", ".join(c.name for c in self.contexts) or "none"
        files = ", ".join(repr(str(p)) for p in self.found)
        if context is None and self.current_context is None:
            return KubeconfigError(
                f"the kubeconfig ({files}) has no current context",
                hint=f"Pass --context NAME (contexts: {names}), or run `kubectl config use-context NAME`.",
            )
        wanted = context or self.current_context
        if self.context(wanted) is None:
            return KubeconfigError(
                f"context {wanted!r} not found in the kubeconfig ({files})",
                hint=f"Choose one of its contexts: {names}.",
            )
        return None


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
    searched = kubeconfig_paths(explicit, env)
    found: list[Path] = []
    for path in searched:
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
        found.append(path)
        current = current or document.get("current-context") or None
        for entry in document.get("contexts") or []:
            if isinstance(entry, dict) and isinstance(entry.get("name"), str):
                contexts.setdefault(entry["name"], entry.get("context") or {})
        for entry in document.get("clusters") or []:
            if isinstance(entry, dict) and isinstance(entry.get("name"), str):
                clusters.setdefault(entry["name"], entry.get("cluster") or {})
    if not found and IN_CLUSTER_NAMESPACE_FILE.exists() and env.get("KUBERNETES_SERVICE_HOST"):
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
    return KubeconfigView(tuple(infos), current, searched=tuple(searched), found=tuple(found))
