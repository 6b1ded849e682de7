"""Test harness: a real cluster (the emulator, or one named by MCP_KUBECTL_TEST_KUBECONFIG),
the pinned kubectl, and a real MCP client talking to a real `mcp-kubectl` process.

`McpServerProcess` keeps one client session open on a background event loop so that
synchronous tests can make many tool calls against one server process cheaply.
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from contextlib import AbstractContextManager, ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

REAL_KUBECONFIG_ENV = "MCP_KUBECTL_TEST_KUBECONFIG"
KUBECTL_ENV = "MCP_KUBECTL_TEST_KUBECTL"


def pinned_kubectl() -> str:
    """The kubectl the tests use: the test extra's pinned binary next to this Python, unless overridden."""
    override = os.environ.get(KUBECTL_ENV)
    if override:
        return override
    candidate = Path(sys.executable).parent / "kubectl"
    if candidate.exists():
        return str(candidate)
    raise RuntimeError("the pinned kubectl is missing: install the test extra (pip install -e '.[test]')")


OPEN_SCHEMA = {"openAPIV3Schema": {"type": "object", "x-kubernetes-preserve-unknown-fields": True}}


def crd_manifest(group: str, plural: str, kind: str, versions: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """A namespaced CustomResourceDefinition; by default one served v1 whose objects may hold anything."""
    versions = versions or [{"name": "v1", "served": True, "storage": True, "schema": OPEN_SCHEMA}]
    return {
        "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition", "metadata": {"name": f"{plural}.{group}"},
        "spec": {"group": group, "scope": "Namespaced", "versions": versions, "names": {"plural": plural, "singular": kind.lower(), "kind": kind}},
    }  # fmt: skip


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


TARGETS_ENV = "MCP_KUBECTL_TEST_TARGETS"
AUDIT_LOG_ENV = "MCP_KUBECTL_TEST_AUDIT_LOG"
ALL_TARGETS = ("emulator", "real")
# What a snapshot lists on a cluster that is not the emulator: what the tests write. Pods, events,
# leases and endpoints are left out: controllers and the scheduler rewrite them on their own.
SNAPSHOT_PATHS = (
    "/api/v1/namespaces", "/api/v1/configmaps", "/api/v1/secrets", "/api/v1/serviceaccounts", "/api/v1/services",
    "/api/v1/resourcequotas", "/api/v1/limitranges", "/api/v1/persistentvolumeclaims",
    "/apis/apps/v1/deployments", "/apis/apps/v1/statefulsets", "/apis/apps/v1/daemonsets",
    "/apis/batch/v1/jobs", "/apis/batch/v1/cronjobs",
    "/apis/rbac.authorization.k8s.io/v1/roles", "/apis/rbac.authorization.k8s.io/v1/rolebindings",
    "/apis/rbac.authorization.k8s.io/v1/clusterroles", "/apis/rbac.authorization.k8s.io/v1/clusterrolebindings",
    "/apis/networking.k8s.io/v1/ingresses", "/apis/networking.k8s.io/v1/networkpolicies",
    "/apis/apiextensions.k8s.io/v1/customresourcedefinitions",
)
_AUDIT_METHODS = {"get": "GET", "list": "GET", "watch": "GET", "create": "POST", "update": "PUT", "patch": "PATCH",
                  "delete": "DELETE", "deletecollection": "DELETE"}


@dataclass(frozen=True)
class ApiRequest:
    """One request the API server received, from the emulator's log or a real server's audit log."""

    method: str
    path: str
    query: dict[str, str]
    user: str | None
    user_agent: str = ""


@dataclass
class Cluster:
    """What integration tests run against: the emulator, or a real API server (`target` says which)."""

    kubeconfig: Path
    cache_dir: Path
    emulator: Any | None  # mcp_kubectl.emulator.Emulator when running against the emulator
    kubectl_path: str = field(default_factory=pinned_kubectl)
    target: str = "emulator"
    audit_log: Path | None = None  # a real API server's audit log (RequestReceived events), when readable
    restricted_kubeconfig: Path | None = None  # a user who may only read in one namespace (real target)
    _audit_mark: int = 0

    @property
    def is_emulator(self) -> bool:
        return self.emulator is not None

    def kubectl(self, *args: str, stdin: str | None = None, check: bool = True) -> subprocess.CompletedProcess[str]:
        """Bare kubectl against this cluster, for setup and for checking what the server did."""
        argv = [self.kubectl_path, *args, f"--kubeconfig={self.kubeconfig}", f"--cache-dir={self.cache_dir}"]
        done = subprocess.run(argv, input=stdin, capture_output=True, text=True, timeout=120)
        if check and done.returncode != 0:
            raise AssertionError(f"kubectl {' '.join(args)} failed: {done.stderr}")
        return done

    def kubectl_json(self, *args: str) -> dict[str, Any]:
        return json.loads(self.kubectl(*args, "-o", "json").stdout)

    def api_get(self, path: str, accept: str = "application/json") -> dict[str, Any]:
        """One GET straight to the API server, for what kubectl never shows raw (a Table's columnDefinitions)."""
        return _ApiReader(self.kubeconfig).get_json(path, accept)

    def exists(self, kind: str, name: str, namespace: str | None = None) -> bool:
        args = ["get", kind, name, "--ignore-not-found", "-o", "name"]
        if namespace:
            args += ["-n", namespace]
        return bool(self.kubectl(*args).stdout.strip())

    def new_namespace(self, prefix: str = "t") -> str:
        name = f"{prefix}-{uuid.uuid4().hex[:8]}"
        self.kubectl("create", "namespace", name)
        if not self.is_emulator:
            self.wait_for_default_service_account(name)
        return name

    def wait_for_default_service_account(self, namespace: str, timeout_s: float = 30) -> None:
        """A real API server admits pods only once the controller-manager made the namespace's ServiceAccount."""
        deadline = time.monotonic() + timeout_s
        while not self.exists("serviceaccount", "default", namespace):
            if time.monotonic() > deadline:
                raise AssertionError(f"no default ServiceAccount in {namespace} after {timeout_s}s")
            time.sleep(0.2)

    def apply(self, manifest: str) -> None:
        self.kubectl("apply", "-f", "-", stdin=manifest)

    # --- what the API server saw: target-neutral proofs that nothing was written -------------------------

    def clear_requests(self) -> None:
        """Start a new request log: `requests` lists only what arrives after this."""
        if self.emulator is not None:
            self.emulator.clear_requests()
        elif self.audit_log is not None:
            self._audit_mark = self.audit_log.stat().st_size if self.audit_log.exists() else 0

    @property
    def requests(self) -> list[ApiRequest]:
        """Requests since `clear_requests`: the emulator's log, or a real server's audit log (users, not controllers)."""
        if self.emulator is not None:
            return [ApiRequest(r.method, r.path, dict(r.query), r.user, r.user_agent) for r in self.emulator.requests]
        if self.audit_log is None:
            import pytest

            pytest.skip(f"this cluster has no readable audit log: set {AUDIT_LOG_ENV} to prove what reached it")
        with self.audit_log.open("rb") as fh:
            fh.seek(self._audit_mark)
            lines = fh.read().splitlines()
        return [_audit_request(json.loads(line)) for line in lines if line.strip()]

    def snapshot(self) -> dict[tuple[str, str, str, str], str]:
        """{(apiVersion, kind, namespace, name): version} of what tests write, for "nothing changed" checks.

        The emulator gives every object's resourceVersion. On a real cluster controllers keep writing
        status (and deletions finish in the background), so there the version is a digest of the object
        without status and server-kept metadata, over SNAPSHOT_PATHS, leaving out objects a controller
        owns and namespaces being deleted.
        """
        if self.emulator is not None:
            return dict(self.emulator.snapshot())
        items = _ApiReader(self.kubeconfig).list_all(SNAPSHOT_PATHS)
        terminating = {i["metadata"]["name"] for i in items if i.get("kind") == "Namespace" and i["metadata"].get("deletionTimestamp")}
        out: dict[tuple[str, str, str, str], str] = {}
        for item in items:
            meta = item.get("metadata", {})
            namespace = meta.get("namespace", "")
            if meta.get("ownerReferences") or meta.get("deletionTimestamp") or namespace in terminating:
                continue
            out[(item.get("apiVersion", ""), item.get("kind", ""), namespace, meta["name"])] = _content_digest(item)
        return out

    # --- seeding the same objects on either target ------------------------------------------------------

    def ensure_namespace(self, namespace: str) -> None:
        if not self.exists("namespace", namespace):
            self.kubectl("create", "namespace", namespace)
        if not self.is_emulator:
            self.wait_for_default_service_account(namespace)

    def seed(self, objects: list[dict[str, Any]]) -> None:
        """Store objects as given, status included: the emulator stores them directly; a real API server
        gets them created (server-kept fields dropped) and then their status written through /status.

        Owner references are dropped on a real cluster: the owners' uids differ there, and the garbage
        collector would delete what points at a missing owner.
        """
        if self.emulator is not None:
            for obj in objects:
                self.emulator.put_object(obj)
            return
        for namespace in sorted({o["metadata"].get("namespace") for o in objects if o["metadata"].get("namespace")}):
            self.ensure_namespace(namespace)
        objects = [o for o in objects if o.get("kind") != "Namespace" or not self.exists("namespace", o["metadata"]["name"])]
        objects = [_on_loopback(o) for o in objects]
        ordered = sorted(objects, key=lambda o: 0 if o.get("kind") in ("CustomResourceDefinition", "Namespace") else 1)
        bodies = [_creatable(o) for o in ordered]
        for start in range(0, len(bodies), 200):
            chunk = {"apiVersion": "v1", "kind": "List", "items": bodies[start:start + 200]}
            self.kubectl("create", "-f", "-", "-o", "name", stdin=json.dumps(chunk))
        # A Job's status is its controller's: it sets startTime (immutable once set) as soon as the Job exists.
        with_status = [o for o in ordered if o.get("status") and o.get("kind") not in ("Namespace", "CustomResourceDefinition", "Job")]
        for start in range(0, len(with_status), 200):
            chunk = {"apiVersion": "v1", "kind": "List", "items": [{**_creatable(o), "status": o["status"]} for o in with_status[start:start + 200]]}
            # kubectl checks required fields client-side (a Node's nodeInfo.machineID); the server decides.
            self._replace_status(json.dumps(chunk))

    def _replace_status(self, body: str, attempts: int = 5) -> None:
        """kubectl replace reads each object's current resourceVersion first, so a controller writing
        the same status in between makes it a Conflict; writing a status again is harmless: retry."""
        argv = ("replace", "--subresource=status", "--validate=false", "-f", "-", "-o", "name")
        for _ in range(attempts):
            done = self.kubectl(*argv, stdin=body, check=False)
            if done.returncode == 0 or "(Conflict)" not in done.stderr:
                break
            time.sleep(0.2)
        if done.returncode != 0:
            raise AssertionError(f"kubectl {' '.join(argv)} failed: {done.stderr}")

    def seed_pods(self, n: int, namespace: str = "default") -> None:
        """The emulator's realistic pods (mcp_kubectl.emulator.seeding), on either target."""
        from mcp_kubectl.emulator import seeding

        if self.emulator is not None:
            self.emulator.seed_pods(n, namespace)
            return
        self.ensure_namespace(namespace)
        existing = len(self.kubectl_json("get", "pods", "-n", namespace).get("items", []))
        self.seed(seeding.make_pods(n, namespace, start=existing))

    def seed_workloads(self, namespace: str = "default", **counts: int) -> None:
        """Deployments, ReplicaSets, pods, Services, ConfigMaps, Secrets, Events (and Nodes), on either target."""
        from mcp_kubectl.emulator import seeding

        if self.emulator is not None:
            self.emulator.seed_workloads(namespace, **counts)
            return
        nodes = counts.pop("nodes", 3)
        objects = [o for group in seeding.make_workloads(namespace, **counts).values() for o in group]
        if nodes and not self.kubectl_json("get", "nodes").get("items"):
            objects += seeding.make_nodes(nodes)
        self.seed(objects)

    def load(self, folder: Path) -> None:
        """The manifests of a folder, status included, on either target."""
        from mcp_kubectl.emulator import seeding

        if self.emulator is not None:
            self.emulator.load(folder)
            return
        self.seed(list(seeding.iter_manifests(folder)))


_SERVER_KEPT = ("uid", "resourceVersion", "creationTimestamp", "generation", "managedFields", "selfLink",
                "ownerReferences", "deletionTimestamp", "deletionGracePeriodSeconds")


class _ApiReader:
    """Lists straight from the API server with the kubeconfig's credentials: a snapshot is ~20 lists,
    and one kept-alive connection makes them in a fraction of what a kubectl process takes."""

    def __init__(self, kubeconfig: Path) -> None:
        import base64
        import ssl

        import yaml

        config = yaml.safe_load(kubeconfig.read_text())
        contexts = {c["name"]: c["context"] for c in config.get("contexts") or []}
        context = contexts.get(config.get("current-context", ""), {})
        cluster = next(c["cluster"] for c in config["clusters"] if c["name"] == context.get("cluster", c["name"]))
        user = next((u["user"] for u in config.get("users") or [] if u["name"] == context.get("user", u["name"])), {})
        url = urlsplit(cluster["server"])
        ssl_context = ssl.create_default_context()
        if "certificate-authority-data" in cluster:
            ssl_context.load_verify_locations(cadata=base64.b64decode(cluster["certificate-authority-data"]).decode())
        elif "certificate-authority" in cluster:
            ssl_context.load_verify_locations(cafile=cluster["certificate-authority"])
        if "client-certificate-data" in user:
            with tempfile.TemporaryDirectory() as folder:
                cert, key = Path(folder, "c.pem"), Path(folder, "k.pem")
                cert.write_bytes(base64.b64decode(user["client-certificate-data"]))
                key.write_bytes(base64.b64decode(user["client-key-data"]))
                ssl_context.load_cert_chain(cert, key)
        elif "client-certificate" in user:
            ssl_context.load_cert_chain(user["client-certificate"], user.get("client-key"))
        self.headers = {"Accept": "application/json"} | ({"Authorization": f"Bearer {user['token']}"} if user.get("token") else {})
        self.host, self.port, self.prefix, self.ssl_context = url.hostname, url.port or 443, url.path.rstrip("/"), ssl_context

    def get_json(self, path: str, accept: str = "application/json") -> dict[str, Any]:
        """One GET, e.g. of a meta.k8s.io Table (accept="application/json;as=Table;v=v1;g=meta.k8s.io")."""
        import http.client

        connection = http.client.HTTPSConnection(self.host or "", self.port, context=self.ssl_context, timeout=60)
        try:
            connection.request("GET", self.prefix + path, headers=self.headers | {"Accept": accept})
            response = connection.getresponse()
            body = response.read()
        finally:
            connection.close()
        if response.status != 200:
            raise AssertionError(f"GET {path}: {response.status} {body[:300]!r}")
        return dict(json.loads(body))

    def list_all(self, paths: tuple[str, ...]) -> list[dict[str, Any]]:
        """Every item of every list, each with its apiVersion and kind filled in."""
        import http.client

        connection = http.client.HTTPSConnection(self.host or "", self.port, context=self.ssl_context, timeout=60)
        items: list[dict[str, Any]] = []
        try:
            for path in paths:
                connection.request("GET", self.prefix + path, headers=self.headers)
                response = connection.getresponse()
                body = response.read()
                if response.status == 404:
                    continue  # a type this cluster does not serve
                if response.status != 200:
                    raise AssertionError(f"GET {path}: {response.status} {body[:300]!r}")
                listed = json.loads(body)
                kind = str(listed.get("kind", "")).removesuffix("List")
                for item in listed.get("items") or []:
                    items.append({"apiVersion": listed.get("apiVersion", ""), "kind": kind, **item})
        finally:
            connection.close()
        return items


def _on_loopback(obj: dict[str, Any]) -> dict[str, Any]:
    """A seeded Node's kubelet address is 127.0.0.1 on a port nothing serves: a real API server that
    tries to reach it (logs, exec) fails at once and never sends a packet beyond loopback."""
    if obj.get("kind") != "Node" or "status" not in obj:
        return obj
    status = dict(obj["status"])
    status["addresses"] = [{"type": "InternalIP", "address": "127.0.0.1"}, {"type": "Hostname", "address": obj["metadata"]["name"]}]
    status["daemonEndpoints"] = {"kubeletEndpoint": {"Port": 1}}
    return {**obj, "status": status}


def _creatable(obj: dict[str, Any]) -> dict[str, Any]:
    body = copy.deepcopy({k: v for k, v in obj.items() if k != "status"})
    body["metadata"] = {k: v for k, v in obj.get("metadata", {}).items() if k not in _SERVER_KEPT}
    spec = body.get("spec") if isinstance(body.get("spec"), dict) else {}
    if body.get("kind") == "Job" and not spec.get("manualSelector"):
        # The server generates a Job's selector and controller-uid labels; a given one is refused.
        spec.pop("selector", None)
        labels = ((spec.get("template") or {}).get("metadata") or {}).get("labels") or {}
        for key in ("controller-uid", "batch.kubernetes.io/controller-uid"):
            labels.pop(key, None)
    if body.get("kind") == "Service" and spec.get("clusterIP") != "None":
        # Seeded cluster IPs repeat across namespaces; a real server allocates each IP once (the emulator does not check).
        spec.pop("clusterIP", None)
        spec.pop("clusterIPs", None)
    for pod_spec in _pod_specs(body):
        # The ServiceAccount admission plugin adds the token volume to pods, not to templates: a template
        # that mounts it without declaring it is invalid (the emulator lets that through; seeded data has it).
        declared = {v.get("name") for v in pod_spec.get("volumes") or []}
        for container in [*(pod_spec.get("containers") or []), *(pod_spec.get("initContainers") or [])]:
            if container.get("volumeMounts"):
                container["volumeMounts"] = [m for m in container["volumeMounts"] if m.get("name") in declared]
    return body


def _pod_specs(obj: dict[str, Any]) -> list[dict[str, Any]]:
    spec = obj.get("spec") if isinstance(obj.get("spec"), dict) else {}
    if obj.get("kind") == "Pod":
        return [spec]
    template = spec.get("template") or ((spec.get("jobTemplate") or {}).get("spec") or {}).get("template") or {}
    return [template["spec"]] if isinstance(template.get("spec"), dict) else []


def _content_digest(item: dict[str, Any]) -> str:
    meta = {k: v for k, v in item.get("metadata", {}).items() if k not in ("resourceVersion", "managedFields", "generation")}
    body = {k: v for k, v in item.items() if k not in ("status", "metadata")} | {"metadata": meta}
    return hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()[:16]


def _audit_request(event: dict[str, Any]) -> ApiRequest:
    uri = urlsplit(event.get("requestURI", ""))
    query = {k: v[-1] for k, v in parse_qs(uri.query, keep_blank_values=True).items()}
    return ApiRequest(_AUDIT_METHODS.get(event.get("verb", ""), event.get("verb", "").upper()), uri.path, query,
                      event.get("user", {}).get("username"), event.get("userAgent", ""))


def selected_targets() -> tuple[str, ...]:
    """The targets this run covers: MCP_KUBECTL_TEST_TARGETS (comma separated), else both."""
    wanted = os.environ.get(TARGETS_ENV)
    if not wanted:
        return ALL_TARGETS
    chosen = tuple(t.strip() for t in wanted.split(",") if t.strip())
    unknown = set(chosen) - set(ALL_TARGETS)
    if unknown:
        raise ValueError(f"{TARGETS_ENV}: unknown targets {sorted(unknown)} (known: {', '.join(ALL_TARGETS)})")
    return chosen


def start_cluster(stack: ExitStack, target: str = "emulator") -> Cluster:
    """The emulator, or the real target: the cluster MCP_KUBECTL_TEST_KUBECONFIG names, else a control
    plane started by tests/real_cluster.py from its cached build."""
    if target == "emulator":
        from mcp_kubectl.emulator import Emulator

        emulator = stack.enter_context(Emulator())
        return Cluster(kubeconfig=emulator.kubeconfig, cache_dir=emulator.cache_dir, emulator=emulator)
    cache = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="mcpk-cache-")))
    given = os.environ.get(REAL_KUBECONFIG_ENV)
    if given:
        audit = os.environ.get(AUDIT_LOG_ENV)
        return Cluster(kubeconfig=Path(given), cache_dir=cache, emulator=None, target="real",
                       audit_log=Path(audit) if audit else None)
    import real_cluster

    plane = stack.enter_context(real_cluster.ControlPlane())
    return Cluster(kubeconfig=plane.admin_kubeconfig, cache_dir=cache, emulator=None, target="real",
                   audit_log=plane.audit_log, restricted_kubeconfig=plane.restricted_kubeconfig)


@dataclass
class ToolAnswer:
    """A tool result, reduced to what tests assert on."""

    is_error: bool
    text: str
    data: dict[str, Any] | None

    @property
    def reason(self) -> str | None:
        return (self.data or {}).get("error", {}).get("reason") if self.is_error else None


class McpServerProcess(AbstractContextManager["McpServerProcess"]):
    """A real `mcp-kubectl` process and a real MCP client session to it (stdio or HTTP)."""

    def __init__(self, cluster: Cluster, *flags: str, transport: str = "stdio", env: dict[str, str] | None = None) -> None:
        self.cluster = cluster
        self.flags = list(flags)
        self.transport = transport
        self.extra_env = env or {}
        self._stack = ExitStack()
        self.process: subprocess.Popen[bytes] | None = None

    def server_argv(self) -> list[str]:
        return [
            sys.executable,
            "-m",
            "mcp_kubectl",
            f"--kubeconfig={self.cluster.kubeconfig}",
            f"--kubectl={self.cluster.kubectl_path}",
            f"--cache-dir={self.cluster.cache_dir}",
            *self.flags,
        ]

    def server_env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "TMPDIR")}
        env.update(self.extra_env)
        return env

    def __enter__(self) -> McpServerProcess:
        from anyio.from_thread import start_blocking_portal

        from mcp import Client
        from mcp.client.stdio import StdioServerParameters

        self._portal = self._stack.enter_context(start_blocking_portal())
        argv = self.server_argv()
        if self.transport == "stdio":
            target: Any = StdioServerParameters(command=argv[0], args=argv[1:], env=self.server_env())
        else:
            port = free_port()
            self.token = self.extra_env.get("MCP_KUBECTL_AUTH_TOKEN", "")
            http_argv = [*argv, f"--transport={self.transport}", f"--port={port}"]
            # stderr to a file: a pipe nobody reads would block a chatty server.
            self._stderr = self._stack.enter_context(tempfile.TemporaryFile(prefix="mcpk-stderr-"))
            self.process = subprocess.Popen(http_argv, env=self.server_env(), stderr=self._stderr)
            self._stack.callback(self._stop_process)
            _wait_for_port(port, self.process, self.stderr_text)
            self.url = f"http://127.0.0.1:{port}"
            target = self._http_transport()
        self.client = self._stack.enter_context(self._portal.wrap_async_context_manager(Client(target)))
        return self

    def _http_transport(self) -> Any:
        from mcp.client.sse import sse_client
        from mcp.client.streamable_http import streamable_http_client

        headers = {"Authorization": f"Bearer {self.token}"} if self.token else None
        if self.transport == "http":
            import httpx2

            # The SDK does not close a client it was given: the stack does, after the session.
            http_client = self._stack.enter_context(self._portal.wrap_async_context_manager(httpx2.AsyncClient(headers=headers, timeout=60)))
            return streamable_http_client(f"{self.url}/mcp", http_client=http_client)
        return sse_client(f"{self.url}/sse", headers=headers)

    def stderr_text(self) -> str:
        """What the HTTP server process logged so far."""
        self._stderr.seek(0)
        return self._stderr.read().decode("utf-8", errors="replace")

    def _stop_process(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def __exit__(self, *exc: object) -> None:
        self._stack.close()

    def tool_names(self) -> list[str]:
        result = self._portal.call(self.client.list_tools)
        return sorted(tool.name for tool in result.tools)

    def list_tools(self) -> Any:
        return self._portal.call(self.client.list_tools)

    def call(self, tool: str, arguments: dict[str, Any] | None = None) -> ToolAnswer:
        result = self._portal.call(self.client.call_tool, tool, arguments or {})
        text = "".join(getattr(block, "text", "") for block in result.content)
        return ToolAnswer(is_error=bool(result.is_error), text=text, data=result.structured_content)

    def call_in_background(self, tool: str, arguments: dict[str, Any] | None = None) -> Any:
        """Start a call and return at once: a `concurrent.futures.Future` of the raw result."""
        return self._portal.start_task_soon(self.client.call_tool, tool, arguments or {})

    def call_and_abandon(self, tool: str, arguments: dict[str, Any], after_s: float) -> bool:
        """Start a call and cancel it after `after_s` (the client sends notifications/cancelled).

        Returns True if the call was still running when abandoned.
        """
        import anyio

        async def abandon() -> bool:
            with anyio.move_on_after(after_s):
                await self.client.call_tool(tool, arguments)
                return False
            return True

        return self._portal.call(abandon)

    def ok(self, tool: str, arguments: dict[str, Any] | None = None) -> dict[str, Any]:
        """Call a tool that must succeed; returns its structured content."""
        answer = self.call(tool, arguments)
        assert not answer.is_error, f"{tool} failed: {answer.text}"
        assert answer.data is not None
        return answer.data

    def fails(self, tool: str, arguments: dict[str, Any] | None = None, *, reason: str | None = None) -> ToolAnswer:
        """Call a tool that must fail (with `reason`, when given)."""
        answer = self.call(tool, arguments)
        assert answer.is_error, f"{tool} unexpectedly succeeded: {answer.text[:500]}"
        if reason is not None:
            assert answer.reason == reason, f"expected {reason}, got {answer.reason}: {answer.text}"
        return answer


def _wait_for_port(port: int, process: subprocess.Popen[bytes], stderr_text: Any, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited early: {stderr_text()}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"server did not listen on {port} within {timeout}s")


def kubectl_processes(cache_dir: Path | None = None) -> list[int]:
    """PIDs of running kubectl processes using `cache_dir` (to prove none are left behind).

    Scoped by cache dir because other test runs on the machine have their own kubectls.
    A `kubectl proxy` (fast reads) lives as long as its server, not a call: not counted.
    """
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        marker = f"--cache-dir={cache_dir}".encode() if cache_dir else b"--cache-dir"
        if len(cmdline) > 1 and cmdline[1] == b"proxy":
            continue
        if cmdline and cmdline[0] and os.path.basename(cmdline[0]) == b"kubectl" and marker in cmdline:
            pids.append(int(entry.name))
    return pids


def wait_until(predicate: Callable[[], bool], timeout: float = 10.0) -> bool:
    """Poll `predicate` until it holds or `timeout` seconds pass; its last answer."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return predicate()


def process_gone(pid: int) -> bool:
    """Exited or a zombie; the /proc entry may vanish between any two reads."""
    try:
        return "\nState:\tZ" in Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return True
