"""``Emulator``: start the emulated API server on a free port, with a kubeconfig and a kubectl cache dir.

    with Emulator() as emu:
        subprocess.run(["kubectl", "--kubeconfig", str(emu.kubeconfig), "--cache-dir", str(emu.cache_dir), "get", "pods"])

Users: ``users`` maps a user name to rules (``auth.Rule`` or mappings with ``verbs``, ``resources``,
``namespaces``); ``admin`` (may do anything) always exists and ``emu.kubeconfig`` is its kubeconfig.
``emu.kubeconfig_for(name)`` gives any configured user's kubeconfig; for a name that is not configured
(``"bad-token"`` by convention) it gives a kubeconfig with a token the server rejects (401).
"""

from __future__ import annotations

import copy
import datetime
import logging
import secrets
import shutil
import ssl
import tempfile
import threading
import uuid
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from mcp_kubectl.emulator import seeding
from mcp_kubectl.emulator.api import Api, now_rfc3339
from mcp_kubectl.emulator.auth import ADMIN, Authenticator, UsersConfig
from mcp_kubectl.emulator.catalog import Catalog, ResourceType
from mcp_kubectl.emulator.certs import ServingCertificates, generate_certificates
from mcp_kubectl.emulator.controllers import Controllers
from mcp_kubectl.emulator.faults import Faults
from mcp_kubectl.emulator.kubeconfig import kubeconfig_document, write_kubeconfig
from mcp_kubectl.emulator.metrics import Metrics
from mcp_kubectl.emulator.podlogs import PodLogs
from mcp_kubectl.emulator.server import EmulatorHTTPServer, RequestLog, RequestRecord
from mcp_kubectl.emulator.store import Store
from mcp_kubectl.emulator.validation import apply_defaults, fold_string_data, rolled_out_status

logger = logging.getLogger(__name__)

SYSTEM_NAMESPACES = ("kube-system", "kube-public", "kube-node-lease")


class Emulator:
    """A running Kubernetes API emulator (a context manager; also ``start()`` / ``stop()``)."""

    def __init__(
        self,
        tls: bool = True,
        pods: int = 0,
        seed_paths: Iterable[str | Path] = (),
        namespaces: Iterable[str] = ("default",),
        users: UsersConfig | None = None,
        workdir: str | Path | None = None,
        port: int = 0,
        host: str = "127.0.0.1",
        metrics: bool = True,
    ) -> None:
        self.tls = tls
        self._initial_pods = pods
        self._seed_paths = [Path(p) for p in seed_paths]
        self._namespaces = tuple(namespaces)
        self._port = port
        self._host = host
        self._own_workdir = workdir is None
        self._workdir_arg = Path(workdir) if workdir is not None else None
        self.store = Store()
        self.catalog = Catalog()
        # kubectl never sends a bearer token over plain HTTP: there, unauthenticated requests act as admin.
        self.authenticator = Authenticator(users, anonymous_user=None if tls else ADMIN)
        self.faults = Faults()
        self.pod_logs = PodLogs()
        self.metrics = Metrics(self.store, self.catalog, enabled=metrics)  # `emu.metrics.enabled = False`: no metrics-server
        self.controllers = Controllers(self.store)
        self._request_log = RequestLog()
        self._server: EmulatorHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._certs: ServingCertificates | None = None
        self.workdir: Path = Path()
        self.kubeconfig: Path = Path()
        self.cache_dir: Path = Path()
        self.url: str = ""

    # --- lifecycle ------------------------------------------------------------------------------------
    def __enter__(self) -> Emulator:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self) -> Emulator:
        """Seed, bind, serve in a background thread, then write the kubeconfig (only once ready)."""
        self.workdir = Path(tempfile.mkdtemp(prefix="mcp-kubectl-emulator-")) if self._workdir_arg is None else self._workdir_arg
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.cache_dir = self.workdir / "kube-cache"
        self.cache_dir.mkdir(exist_ok=True)
        self._seed_base()
        for path in self._seed_paths:
            self.load(path)
        if self._initial_pods:
            self.seed_pods(self._initial_pods)
        context: ssl.SSLContext | None = None
        if self.tls:
            self._certs = generate_certificates()
            cert_file = self.workdir / "serving.crt"
            key_file = self.workdir / "serving.key"
            cert_file.write_bytes(self._certs.cert_pem)
            key_file.touch(mode=0o600)
            key_file.write_bytes(self._certs.key_pem)
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.minimum_version = ssl.TLSVersion.TLSv1_2
            context.set_alpn_protocols(["http/1.1"])
            context.load_cert_chain(cert_file, key_file)
            self.controllers.ca_pem = self._certs.ca_pem
        api = Api(self.store, self.catalog, self.authenticator, self.pod_logs, controllers=self.controllers,
                  metrics=self.metrics)
        self._server = EmulatorHTTPServer((self._host, self._port), api, self.authenticator, self.faults,
                                          self._request_log, context)
        port = self._server.server_address[1]
        api.server_address = f"{self._host}:{port}"
        self.url = f"{'https' if self.tls else 'http'}://{self._host}:{port}"
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.1},
                                        name="kube-emulator", daemon=True)
        self._thread.start()
        self.kubeconfig = self.kubeconfig_for(ADMIN)
        logger.info("Kubernetes API emulator serving at %s", self.url)
        return self

    def stop(self) -> None:
        """Stop serving, release hung requests, close connections and remove the private work dir."""
        server, self._server = self._server, None
        if server is not None:
            server.closing.set()
            self.faults.clear()
            server.shutdown()
            server.close_connections()
            server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
        if self._own_workdir and self.workdir != Path() and self.workdir.exists():
            shutil.rmtree(self.workdir, ignore_errors=True)

    @property
    def port(self) -> int:
        return 0 if self._server is None else self._server.server_address[1]

    # --- kubeconfigs ----------------------------------------------------------------------------------
    def kubeconfig_document(self, user: str = ADMIN) -> dict[str, Any]:
        token = self.authenticator.tokens.get(user) or f"invalid-{secrets.token_urlsafe(12)}"
        return kubeconfig_document(self.url, user, token, self._certs.ca_pem if self._certs else None)

    def kubeconfig_for(self, user: str) -> Path:
        """A kubeconfig for ``user``; an unknown user (e.g. "bad-token") gets a token the server rejects."""
        path = self.workdir / ("kubeconfig" if user == ADMIN else f"kubeconfig-{user}")
        return write_kubeconfig(path, self.kubeconfig_document(user))

    # --- requests ---------------------------------------------------------------------------------------
    @property
    def requests(self) -> list[RequestRecord]:
        return self._request_log.snapshot()

    def clear_requests(self) -> None:
        self._request_log.clear()

    # --- data -------------------------------------------------------------------------------------------
    def _seed_base(self) -> None:
        names = list(dict.fromkeys([*self._namespaces, *SYSTEM_NAMESPACES]))
        created = datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=12)  # as old as the nodes
        self.store.put_many(("", "namespaces"), [seeding.make_namespace(n, created) for n in names])

    def ensure_namespace(self, namespace: str) -> None:
        if self.store.get(("", "namespaces"), "", namespace) is None:
            self.store.put(("", "namespaces"), seeding.make_namespace(namespace), "ADDED")

    def seed_pods(self, n: int, namespace: str = "default") -> None:
        """Add ``n`` realistic pods (3-5 KB each) to ``namespace`` (created when missing)."""
        self.ensure_namespace(namespace)
        existing = len(self.store.list(("", "pods"), namespace))
        self.store.put_many(("", "pods"), seeding.make_pods(n, namespace, start=existing))

    def seed_workloads(self, namespace: str = "default", *, deployments: int = 3, replicas: int = 2,
                       configmaps: int = 3, secrets: int = 2, nodes: int = 3) -> None:
        """Deployments (with ReplicaSets and pods), Services, ConfigMaps, Secrets, Events and Nodes."""
        self.ensure_namespace(namespace)
        if nodes and not self.store.list(("", "nodes")):
            self.store.put_many(("", "nodes"), seeding.make_nodes(nodes))
        grouped = seeding.make_workloads(namespace, deployments=deployments, replicas=replicas,
                                         configmaps=configmaps, secrets=secrets)
        for storage, objects in grouped.items():
            self.store.put_many(storage, objects)

    def seed_broken(self, namespace: str = "default") -> None:
        """The broken samples (`emulator.broken`): crash loop, bad image, unschedulable, failing probe, empty Service."""
        from mcp_kubectl.emulator.broken import make_broken_workloads

        self.ensure_namespace(namespace)
        if not self.store.list(("", "nodes")):
            self.store.put_many(("", "nodes"), seeding.make_nodes(3))
        grouped, logs = make_broken_workloads(namespace)
        for storage, objects in grouped.items():
            self.store.put_many(storage, objects)
        for (pod, container), lines in logs.items():
            self.set_logs(namespace, pod, container, lines, previous=True)

    def load(self, path: str | Path) -> None:
        """Store the manifests of a file or folder as they are (status included), CRDs first."""
        objects = list(seeding.iter_manifests(Path(path)))
        objects.sort(key=lambda o: 0 if o.get("kind") in ("CustomResourceDefinition", "Namespace") else 1)
        for obj in objects:
            self.put_object(obj)

    def put_object(self, obj: dict[str, Any]) -> dict[str, Any]:
        """Store one object directly (no validation, no admission), filling server fields; returns it."""
        obj = copy.deepcopy(obj)
        rt = self._type_of(obj)
        meta = obj.setdefault("metadata", {})
        if rt.namespaced:
            meta.setdefault("namespace", "default")
            self.ensure_namespace(meta["namespace"])
        else:
            meta.pop("namespace", None)
        meta.setdefault("uid", str(uuid.uuid4()))
        meta.setdefault("creationTimestamp", now_rfc3339())
        if isinstance(obj.get("spec"), dict) or rt.custom:
            meta.setdefault("generation", 1)
        apply_defaults(rt, obj)
        fold_string_data(rt, obj)
        if not obj.get("status"):
            rolled_out_status(rt, obj, meta["creationTimestamp"])
        if rt.group == "apiextensions.k8s.io" and rt.plural == "customresourcedefinitions":
            self.catalog.register_crd(obj)
        if (rt.group, rt.plural) == ("", "namespaces"):
            obj.setdefault("status", {"phase": "Active"})
            meta.setdefault("labels", {})["kubernetes.io/metadata.name"] = meta["name"]
        storage = ("", "events") if rt.plural == "events" else (rt.group, rt.plural)
        with self.store.transaction():
            stored = self.store.put(storage, obj, "ADDED").obj
            self.controllers.after_write(storage, stored)
        return stored

    def _type_of(self, obj: dict[str, Any]) -> ResourceType:
        rt = self.catalog.by_kind(str(obj.get("apiVersion", "")), str(obj.get("kind", "")))
        if rt is None:
            raise ValueError(f"no served type for apiVersion={obj.get('apiVersion')!r} kind={obj.get('kind')!r}")
        return rt

    def get(self, api_version: str, kind: str, name: str, namespace: str | None = None) -> dict[str, Any] | None:
        """Read one object straight from the store (a deep copy), for assertions."""
        rt = self.catalog.by_kind(api_version, kind)
        if rt is None:
            return None
        storage = ("", "events") if rt.plural == "events" else (rt.group, rt.plural)
        entry = self.store.get(storage, (namespace or "default") if rt.namespaced else "", name)
        return None if entry is None else copy.deepcopy(entry.obj)

    def snapshot(self) -> dict[tuple[str, str, str, str], str]:
        """{(apiVersion, kind, namespace, name): resourceVersion} for "nothing changed" assertions."""
        out: dict[tuple[str, str, str, str], str] = {}
        for storage in self.store.storages():
            for entry in self.store.list(storage):
                meta = entry.obj["metadata"]
                key = (entry.obj.get("apiVersion", ""), entry.obj.get("kind", ""), meta.get("namespace", "") or "", meta["name"])
                out[key] = meta["resourceVersion"]
        return out

    def set_logs(self, namespace: str, pod: str, container: str, lines: list[str], *, previous: bool = False) -> None:
        """Replace the log lines ``kubectl logs`` shows for one container."""
        self.pod_logs.set_lines(namespace, pod, container, lines, previous=previous)


__all__ = ["Emulator"]
