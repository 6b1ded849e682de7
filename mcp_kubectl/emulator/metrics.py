"""`metrics.k8s.io/v1beta1` as metrics-server serves it: PodMetrics and NodeMetrics of the store's pods and nodes.

The numbers are deterministic (a hash of the namespace, pod and container names), so a test can
compute the order it expects. Only Running pods have metrics, as with metrics-server; a node's
usage is a base load plus the usage of the pods bound to it. `Metrics.enabled = False` stops
serving the group (discovery and paths), as on a cluster without metrics-server.
"""

from __future__ import annotations

import datetime
import hashlib
import threading
from typing import Any

from mcp_kubectl.emulator import errors
from mcp_kubectl.emulator.catalog import Catalog, ResourceType
from mcp_kubectl.emulator.selectors import SelectorError, parse_label_selector
from mcp_kubectl.emulator.store import Store

GROUP = "metrics.k8s.io"
VERSION = "v1beta1"
API_VERSION = f"{GROUP}/{VERSION}"
TYPES = (
    ResourceType(GROUP, VERSION, "PodMetrics", "pods", "", True, ("get", "list")),
    ResourceType(GROUP, VERSION, "NodeMetrics", "nodes", "", False, ("get", "list")),
)
_NODE_BASE_MILLICORES = 120
_NODE_BASE_BYTES = 900 * 1024 * 1024


def container_usage(namespace: str, pod: str, container: str) -> tuple[int, int]:
    """(millicores, bytes) a container uses: 1-400m CPU, 8-519 MiB memory, fixed per name."""
    digest = hashlib.sha256(f"{namespace}/{pod}/{container}".encode()).digest()
    millicores = 1 + int.from_bytes(digest[:2], "big") % 400
    mebibytes = 8 + int.from_bytes(digest[2:4], "big") % 512
    return millicores, mebibytes * 1024 * 1024


def _running(pod: dict[str, Any]) -> bool:
    return (pod.get("status") or {}).get("phase") == "Running"


def _cpu(millicores: int) -> str:
    return f"{millicores * 1_000_000}n"  # metrics-server reports nanocores


def _memory(bytes_: int) -> str:
    return f"{bytes_ // 1024}Ki"


class Metrics:
    """Serves the metrics API over a store; `enabled` is the switch a test flips."""

    def __init__(self, store: Store, catalog: Catalog, *, enabled: bool = True) -> None:
        self._store = store
        self._catalog = catalog
        self._lock = threading.Lock()
        self._enabled = False
        self.enabled = enabled

    @property
    def enabled(self) -> bool:
        with self._lock:
            return self._enabled

    @enabled.setter
    def enabled(self, value: bool) -> None:
        """Serve the group or stop: discovery lists it, and its paths answer, only while on."""
        with self._lock:
            self._enabled = value
            self._catalog.set_aggregated(GROUP, TYPES if value else ())

    def pod_metrics(self, pod: dict[str, Any], now: str) -> dict[str, Any]:
        meta = pod.get("metadata") or {}
        namespace, name = meta.get("namespace", ""), meta.get("name", "")
        containers = []
        for container in (pod.get("spec") or {}).get("containers") or []:
            cpu, memory = container_usage(namespace, name, container.get("name", ""))
            containers.append({"name": container.get("name", ""), "usage": {"cpu": _cpu(cpu), "memory": _memory(memory)}})
        return {
            "kind": "PodMetrics",
            "apiVersion": API_VERSION,
            "metadata": {"name": name, "namespace": namespace, "creationTimestamp": now, "labels": meta.get("labels") or {}},
            "timestamp": now,
            "window": "15s",
            "containers": containers,
        }

    def node_metrics(self, node: dict[str, Any], now: str) -> dict[str, Any]:
        name = (node.get("metadata") or {}).get("name", "")
        cpu, memory = _NODE_BASE_MILLICORES, _NODE_BASE_BYTES
        for entry in self._store.list(("", "pods")):
            pod = entry.obj
            if (pod.get("spec") or {}).get("nodeName") != name or not _running(pod):
                continue
            meta = pod.get("metadata") or {}
            for container in (pod.get("spec") or {}).get("containers") or []:
                c, m = container_usage(meta.get("namespace", ""), meta.get("name", ""), container.get("name", ""))
                cpu, memory = cpu + c, memory + m
        return {
            "kind": "NodeMetrics",
            "apiVersion": API_VERSION,
            "metadata": {"name": name, "creationTimestamp": now, "labels": (node.get("metadata") or {}).get("labels") or {}},
            "timestamp": now,
            "window": "20s",
            "usage": {"cpu": _cpu(cpu), "memory": _memory(memory)},
        }

    def read(self, plural: str, namespace: str, name: str, query: dict[str, str]) -> dict[str, Any]:
        """The body of GET /apis/metrics.k8s.io/v1beta1/[namespaces/NS/]PLURAL[/NAME], or an ApiError."""
        if not self.enabled:
            raise errors.not_found_path()
        now = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        pods = plural == "pods"
        storage = ("", "pods") if pods else ("", "nodes")
        if name:
            entry = self._store.get(storage, namespace, name)
            if entry is None or (pods and not _running(entry.obj)):
                raise errors.ApiError(code=404, reason="NotFound", message=f'{plural}.{GROUP} "{name}" not found',
                                      details={"name": name, "group": GROUP, "kind": plural})
            return self.pod_metrics(entry.obj, now) if pods else self.node_metrics(entry.obj, now)
        try:
            selector = parse_label_selector(query.get("labelSelector", ""))
        except SelectorError as exc:
            raise errors.bad_request(str(exc)) from exc
        items = []
        for entry in self._store.list(storage, namespace or None):
            obj = entry.obj
            if not selector.matches((obj.get("metadata") or {}).get("labels")):
                continue
            if pods:
                if _running(obj):
                    items.append(self.pod_metrics(obj, now))
            else:
                items.append(self.node_metrics(obj, now))
        kind = "PodMetricsList" if pods else "NodeMetricsList"
        return {"kind": kind, "apiVersion": API_VERSION, "metadata": {}, "items": items}
