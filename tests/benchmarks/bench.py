"""mcp-kubectl against bare kubectl and raw HTTP, in one run, on one machine (issue 7).

    .venv/bin/python tests/benchmarks/bench.py [--calls 30] [--out bench-results.json]

Starts the emulator seeded with 500 pods (namespace `default`), 100 deployments with
their ReplicaSets and pods, 200 configmaps and 1,000 events (namespace `apps`), then two
`mcp-kubectl` servers over stdio through the `mcp` client: the default (subprocess) path
and `--fast-reads`. Every measurement is interleaved with its baselines (the order is
shuffled each round) so that machine noise hits every side alike:

- cold start: process spawn to the `initialize` answer, next to `python -c "import mcp.server.mcpserver"`;
- per tool p50/p90 over `--calls` calls after warm-up, next to bare kubectl making the same
  request with a warm cache (`kubectl get --raw PATH`, which is what the server runs, and
  `kubectl get pod X -o json`) and to a raw HTTPS request on a kept-alive connection;
- 10 and 50 concurrent `get_resource` calls on one session, next to 10 and 50 bare
  kubectl processes started together, with the most kubectl processes the server ran at once;
- response bytes for 500 pods against `kubectl get pods -o json` and kubectl's table;
- the server's resident memory (VmRSS idle, VmHWM peak);
- the discovery requests the emulator saw during the timed calls.

Prints a table and writes the same figures as JSON. Not collected by pytest.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import http.client
import json
import os
import platform
import random
import shutil
import ssl
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Awaitable, Callable
from contextlib import AsyncExitStack
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
NAMESPACE = "default"
APPS_NAMESPACE = "apps"
DISCOVERY_PREFIXES = ("/openapi",)


# ----------------------------------------------------------------- small helpers


def pct(values: list[float], q: float) -> float:
    """Percentile by linear interpolation (q in 0..100)."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = (len(ordered) - 1) * q / 100
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def ms(seconds: float) -> float:
    return round(seconds * 1000, 2)


def is_discovery(path: str) -> bool:
    """/api, /api/v1, /apis, /apis/GROUP, /apis/GROUP/VERSION, /openapi/... (not resource paths)."""
    path = path.split("?", 1)[0].rstrip("/")
    if path.startswith(DISCOVERY_PREFIXES) or path in ("/api", "/apis", "/version"):
        return True
    parts = path.split("/")[1:]
    if parts and parts[0] == "api":
        return len(parts) == 2
    if parts and parts[0] == "apis":
        return len(parts) <= 3
    return False


def proc_status(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM of a process, in KiB."""
    out: dict[str, int] = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            out[key] = int(value.split()[0])
    return out


def children(pid: int) -> list[tuple[int, bytes]]:
    """(pid, cmdline) of the direct children of `pid`."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            if ppid == pid:
                found.append((int(entry.name), (entry / "cmdline").read_bytes()))
        except (OSError, ValueError, IndexError):
            continue
    return found


class ProcessSampler:
    """Counts, in a thread, the most kubectl children a server runs at once."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            running = sum(
                1 for _, cmd in children(self.pid) if os.path.basename(cmd.split(b"\0", 1)[0]) == b"kubectl" and b"\0proxy\0" not in cmd
            )
            self.peak = max(self.peak, running)
            time.sleep(0.002)

    def __enter__(self) -> ProcessSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


class RawHttp:
    """A kept-alive HTTPS connection to the API, authenticated like the kubeconfig: the floor."""

    def __init__(self, kubeconfig: Path) -> None:
        config = yaml.safe_load(kubeconfig.read_text())
        cluster = config["clusters"][0]["cluster"]
        user = config["users"][0]["user"]
        self.token = user.get("token", "")
        url = cluster["server"]
        host_port = url.split("://", 1)[1]
        host, _, port = host_port.partition(":")
        if url.startswith("https"):
            context = ssl.create_default_context()
            if "certificate-authority-data" in cluster:
                context.load_verify_locations(cadata=base64.b64decode(cluster["certificate-authority-data"]).decode())
            if "client-certificate-data" in user:  # a real control plane's admin: a client certificate
                with tempfile.TemporaryDirectory() as folder:
                    cert, key = Path(folder, "cert.pem"), Path(folder, "key.pem")
                    cert.write_bytes(base64.b64decode(user["client-certificate-data"]))
                    key.write_bytes(base64.b64decode(user["client-key-data"]))
                    context.load_cert_chain(cert, key)
            self.connection: http.client.HTTPConnection = http.client.HTTPSConnection(host, int(port or 443), context=context)
        else:
            self.connection = http.client.HTTPConnection(host, int(port or 80))

    def get(self, path: str) -> bytes:
        headers = {"Accept": "application/json"} | ({"Authorization": f"Bearer {self.token}"} if self.token else {})
        self.connection.request("GET", path, headers=headers)
        response = self.connection.getresponse()
        body = response.read()
        if response.status != 200:
            raise RuntimeError(f"GET {path}: {response.status} {body[:200]!r}")
        return body


def unique_workloads(namespace: str, *, deployments: int, replicas: int, configmaps: int, events: int) -> dict[tuple[str, str], list[dict[str, Any]]]:
    """The emulator's workload objects, with every name made unique.

    `seed_workloads` cycles through a handful of app names, so 100 deployments would
    collapse into a few objects; here the n-th repeat of a name gets a `-n` suffix.
    """
    from mcp_kubectl.emulator import seeding

    grouped = seeding.make_workloads(namespace, deployments=deployments, replicas=replicas, configmaps=configmaps, secrets=2)
    for storage, objects in grouped.items():
        seen: dict[str, int] = {}
        for obj in objects:
            name = obj["metadata"]["name"]
            seen[name] = seen.get(name, 0) + 1
            if seen[name] > 1:
                obj["metadata"]["name"] = f"{name}-{seen[name]}"
        if storage == ("", "events"):
            grouped[storage] = objects[:events]
    return grouped


def seed_workloads_uniquely(emu: Any, namespace: str, *, deployments: int, replicas: int, configmaps: int, events: int) -> None:
    """`unique_workloads`, stored straight into the emulator."""
    emu.ensure_namespace(namespace)
    grouped = unique_workloads(namespace, deployments=deployments, replicas=replicas, configmaps=configmaps, events=events)
    for storage, objects in grouped.items():
        emu.store.put_many(storage, objects)


# ----------------------------------------------------------------- the bench


class Bench:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.kubectl = args.kubectl
        self.results: dict[str, Any] = {}
        self.samples: dict[str, list[float]] = {}
        self.failures: list[str] = []
        self.concurrent_failures: list[str] = []
        self.load_at_start = [round(x, 2) for x in os.getloadavg()]  # other work on the machine skews ratios

    # ---------------------------------------------------------- setup

    def start_emulator(self, stack: Any) -> None:
        from mcp_kubectl.emulator import Emulator

        self.results["target"] = "emulator"
        self.results["emulator_tcp_nodelay_set_by_bench"] = _send_like_an_api_server()

        emu = stack.enter_context(Emulator(namespaces=(NAMESPACE, APPS_NAMESPACE)))
        emu.seed_pods(500, NAMESPACE)
        # 100 deployments x 3 replicas: 3 events per pod + 1 per deployment = 1,001 events.
        seed_workloads_uniquely(emu, APPS_NAMESPACE, deployments=100, replicas=3, configmaps=200, events=1000)
        self.emu = emu
        self.kubeconfig = emu.kubeconfig
        self.cache_dir = emu.cache_dir
        self._describe_cluster()

    def start_real(self, stack: Any) -> None:
        """The same objects on a real control plane (tests/real_cluster.py); its audit log stands in for
        the emulator's request log. Its controllers also create ReplicaSets and pods for the Deployments."""
        sys.path.insert(0, str(ROOT / "tests"))
        import real_cluster
        from harness import Cluster

        plane = stack.enter_context(real_cluster.ControlPlane())
        self.results["target"] = "real control plane (" + ", ".join(f"{k} {v}" for k, v in real_cluster.pinned_versions().items()) + ")"
        cache = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-cache-")))
        cluster = Cluster(kubeconfig=plane.admin_kubeconfig, cache_dir=cache, emulator=None, target="real", audit_log=plane.audit_log)
        cluster.seed_pods(500, NAMESPACE)
        grouped = unique_workloads(APPS_NAMESPACE, deployments=100, replicas=3, configmaps=200, events=1000)
        # The Deployments' ReplicaSets and pods come from the real controllers: seeded ones match the
        # Deployments' selectors, so the ReplicaSet controller adopts them and deletes the excess.
        owned = {("apps", "replicasets"), ("", "pods")}
        cluster.seed([obj for storage, objects in grouped.items() if storage not in owned for obj in objects
                      if not (storage == ("", "pods") and obj["metadata"].get("ownerReferences"))])
        self._wait_for_pods(cluster, APPS_NAMESPACE, sum(d["spec"]["replicas"] for d in grouped[("apps", "deployments")]))
        self.emu = cluster  # clear_requests() and requests, from the audit log
        self.kubeconfig = plane.admin_kubeconfig
        self.cache_dir = cache
        self._describe_cluster()

    @staticmethod
    def _wait_for_pods(cluster: Any, namespace: str, expected: int, timeout_s: float = 300.0) -> None:
        """Until the controllers have made the Deployments' pods (Pending: no kubelets), or the timeout."""
        deadline = time.monotonic() + timeout_s
        while True:
            listed = cluster.kubectl("get", "pods", "-n", namespace, "-o", "name").stdout.splitlines()
            if len(listed) >= expected or time.monotonic() > deadline:
                print(f"{len(listed)} pods in {namespace} (the controllers', {expected} expected)", file=sys.stderr)
                return
            time.sleep(2)

    def _describe_cluster(self) -> None:
        self.raw = RawHttp(self.kubeconfig)
        counts = {
            "pods_default": len(json.loads(self.raw.get(f"/api/v1/namespaces/{NAMESPACE}/pods"))["items"]),
            "pods_total": len(json.loads(self.raw.get("/api/v1/pods"))["items"]),
            "deployments": len(json.loads(self.raw.get("/apis/apps/v1/deployments"))["items"]),
            "configmaps": len(json.loads(self.raw.get(f"/api/v1/namespaces/{APPS_NAMESPACE}/configmaps"))["items"]),
            "events": len(json.loads(self.raw.get("/api/v1/events"))["items"]),
        }
        self.results["cluster"] = counts
        first = json.loads(self.raw.get(f"/api/v1/namespaces/{NAMESPACE}/pods?limit=1"))["items"][0]
        self.pod = first["metadata"]["name"]
        self.pod_path = f"/api/v1/namespaces/{NAMESPACE}/pods/{self.pod}"
        self.list_path = f"/api/v1/namespaces/{NAMESPACE}/pods?limit=100"
        configmap = json.loads(self.raw.get(f"/api/v1/namespaces/{APPS_NAMESPACE}/configmaps?limit=1"))["items"][0]
        self.manifest = json.dumps(
            {
                "apiVersion": "v1",
                "kind": "ConfigMap",
                "metadata": {"name": configmap["metadata"]["name"], "namespace": APPS_NAMESPACE},
                "data": {"bench": "1"},
            }
        )

    def server_params(self, *flags: str) -> Any:
        from mcp.client.stdio import StdioServerParameters

        argv = [
            sys.executable,
            "-m",
            "mcp_kubectl",
            f"--kubeconfig={self.kubeconfig}",
            f"--kubectl={self.kubectl}",
            f"--cache-dir={self.cache_dir}",
            "--enable-update",
            *flags,
        ]
        env = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "TMPDIR")}
        return StdioServerParameters(command=argv[0], args=argv[1:], env=env, cwd=str(ROOT))

    def kubectl_argv(self, *args: str) -> list[str]:
        return [self.kubectl, *args, f"--kubeconfig={self.kubeconfig}", f"--cache-dir={self.cache_dir}", "--request-timeout=30s"]

    async def run_kubectl(self, *args: str, stdin: bytes | None = None) -> bytes:
        process = await asyncio.create_subprocess_exec(
            *self.kubectl_argv(*args),
            stdin=asyncio.subprocess.PIPE if stdin is not None else asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env={**{k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG")}, "KUBERC": "off"},
        )
        stdout, stderr = await process.communicate(stdin)
        if process.returncode != 0:
            raise RuntimeError(f"kubectl {' '.join(args)} failed: {stderr.decode()[:300]}")
        return stdout

    # ---------------------------------------------------------- measuring

    async def timed(self, name: str, call: Callable[[], Awaitable[Any]], record: bool = True) -> Any:
        started = time.perf_counter()
        value = await call()
        elapsed = time.perf_counter() - started
        if record:
            self.samples.setdefault(name, []).append(elapsed)
        return value

    async def tool(self, client: Any, tool: str, arguments: dict[str, Any]) -> Any:
        result = await client.call_tool(tool, arguments)
        if result.is_error:
            text = "".join(getattr(block, "text", "") for block in result.content)
            raise RuntimeError(f"{tool} failed: {text[:300]}")
        return result

    async def cold_start(self) -> None:
        """Spawn to initialize answer, interleaved with the SDK's own import time."""
        from mcp import Client

        spawn: list[float] = []
        spawn_fast: list[float] = []
        sdk: list[float] = []
        bare_python: list[float] = []
        rounds = self.args.cold_rounds

        async def server(samples: list[float], *flags: str) -> None:
            started = time.perf_counter()
            async with Client(self.server_params(*flags), mode="legacy"):
                samples.append(time.perf_counter() - started)

        async def python(samples: list[float], code: str) -> None:
            started = time.perf_counter()
            process = await asyncio.create_subprocess_exec(sys.executable, "-c", code, cwd=str(ROOT))
            await process.wait()
            samples.append(time.perf_counter() - started)

        steps: list[Callable[[], Awaitable[None]]] = [
            lambda: server(spawn),
            lambda: server(spawn_fast, "--fast-reads"),
            lambda: python(sdk, "import mcp.server.mcpserver"),
            lambda: python(bare_python, "pass"),
        ]
        await python([], "import mcp.server.mcpserver")  # warm the page cache
        await server([])
        for _ in range(rounds):
            random.shuffle(steps)
            for step in steps:
                await step()
        self.results["cold_start_ms"] = {
            "server_p50": ms(statistics.median(spawn)),
            "server_fast_reads_p50": ms(statistics.median(spawn_fast)),
            "sdk_import_p50": ms(statistics.median(sdk)),
            "python_bare_p50": ms(statistics.median(bare_python)),
            "ratio_server_over_sdk_import": round(statistics.median(spawn) / statistics.median(sdk), 3),
            "rounds": rounds,
        }

    async def per_tool(self, slow: Any, fast: Any) -> None:
        """Each tool on both paths next to its baselines, interleaved, shuffled per round."""
        get_args = {"kind": "pods", "name": self.pod, "namespace": NAMESPACE}
        list_args = {"kind": "pods", "namespace": NAMESPACE, "limit": 100}
        update_args = {"manifest": self.manifest, "dryRun": True}
        steps: dict[str, Callable[[], Awaitable[Any]]] = {
            "get_resource/mcp": lambda: self.tool(slow, "get_resource", get_args),
            "get_resource/mcp-fast": lambda: self.tool(fast, "get_resource", get_args),
            "get_resource/kubectl get -o json": lambda: self.run_kubectl("get", "pod", self.pod, "-n", NAMESPACE, "-o", "json"),
            "get_resource/kubectl get --raw": lambda: self.run_kubectl("get", f"--raw={self.pod_path}"),
            "get_resource/raw http": lambda: asyncio.sleep(0, self.raw.get(self.pod_path)),
            "list_resources/mcp": lambda: self.tool(slow, "list_resources", list_args),
            "list_resources/mcp-fast": lambda: self.tool(fast, "list_resources", list_args),
            "list_resources/kubectl get --raw": lambda: self.run_kubectl("get", f"--raw={self.list_path}"),
            "list_resources/kubectl get -o json --chunk-size=100": lambda: self.run_kubectl(
                "get", "pods", "-n", NAMESPACE, "-o", "json", "--chunk-size=100"
            ),
            "list_resources/kubectl get pods (table, all 500)": lambda: self.run_kubectl("get", "pods", "-n", NAMESPACE),
            "list_resources/raw http": lambda: asyncio.sleep(0, self.raw.get(self.list_path)),
            "get_api_resources/mcp": lambda: self.tool(slow, "get_api_resources", {}),
            "get_api_resources/mcp-fast": lambda: self.tool(fast, "get_api_resources", {}),
            "get_api_resources/kubectl api-resources -o wide": lambda: self.run_kubectl("api-resources", "-o", "wide"),
            "update_resource dryRun/mcp": lambda: self.tool(slow, "update_resource", update_args),
            "update_resource dryRun/mcp-fast": lambda: self.tool(fast, "update_resource", update_args),
            "update_resource dryRun/kubectl apply --server-side --dry-run=server": lambda: self.run_kubectl(
                "apply", "--server-side", "--field-manager=mcp-kubectl", "--dry-run=server", "-f", "-", "-o", "json",
                stdin=self.manifest.encode(),
            ),
        }
        names = list(steps)
        for name in list(names):
            try:
                await steps[name]()
            except Exception as error:  # a broken tool is reported, not allowed to sink the run
                self.failures.append(f"{name}: skipped, it failed: {str(error)[:200]}")
                names.remove(name)
        for _ in range(self.args.warmup - 1):
            for name in names:
                await steps[name]()
        self.emu.clear_requests()
        for _ in range(self.args.calls):
            random.shuffle(names)
            for name in names:
                await self.timed(name, steps[name])
        requests = self.emu.requests
        self.results["discovery_requests_timed_part_all_clients"] = sum(1 for r in requests if is_discovery(r.path))
        self.results["requests_timed_part"] = len(requests)

    async def discovery_accounting(self, slow: Any, fast: Any) -> None:
        """Discovery requests each server tool makes with a warm cache (nothing else running)."""
        calls = {
            "get_resource": ("get_resource", {"kind": "pods", "name": self.pod, "namespace": NAMESPACE}),
            "list_resources": ("list_resources", {"kind": "pods", "namespace": NAMESPACE, "limit": 100}),
            "get_events": ("get_events", {"namespace": APPS_NAMESPACE, "limit": 20}),
            "update_resource dryRun": ("update_resource", {"manifest": self.manifest, "dryRun": True}),
            "get_api_resources (refreshes by design)": ("get_api_resources", {}),
        }
        out: dict[str, Any] = {}
        for label, client in (("mcp", slow), ("mcp-fast", fast)):
            for name, (tool, arguments) in calls.items():
                self.emu.clear_requests()
                try:
                    for _ in range(10):
                        await self.tool(client, tool, arguments)
                except Exception as error:
                    out[f"{name}/{label}"] = {"error": str(error)[:200]}
                    continue
                requests = self.emu.requests
                out[f"{name}/{label}"] = {
                    "discovery_requests_per_10_calls": sum(1 for r in requests if is_discovery(r.path)),
                    "api_requests_per_10_calls": len(requests),
                    "discovery_paths": sorted({r.path for r in requests if is_discovery(r.path)})[:10],
                }
        bare = {
            "kubectl get pod -o json": lambda: self.run_kubectl("get", "pod", self.pod, "-n", NAMESPACE, "-o", "json"),
            "kubectl get --raw": lambda: self.run_kubectl("get", f"--raw={self.pod_path}"),
            "kubectl apply --server-side --dry-run=server": lambda: self.run_kubectl(
                "apply", "--server-side", "--field-manager=mcp-kubectl", "--dry-run=server", "-f", "-", "-o", "json",
                stdin=self.manifest.encode(),
            ),
        }
        for name, run in bare.items():
            self.emu.clear_requests()
            for _ in range(10):
                await run()
            requests = self.emu.requests
            out[f"{name}/bare"] = {
                "discovery_requests_per_10_calls": sum(1 for r in requests if is_discovery(r.path)),
                "api_requests_per_10_calls": len(requests),
                "discovery_paths": sorted({r.path for r in requests if is_discovery(r.path)})[:10],
            }
        self.results["discovery_by_tool"] = out

    async def concurrency(self, slow: Any, fast: Any, slow_pid: int) -> None:
        get_args = {"kind": "pods", "name": self.pod, "namespace": NAMESPACE}
        out: dict[str, Any] = {}
        peak = 0

        async def burst_mcp(client: Any, n: int) -> None:
            results = await asyncio.gather(*(client.call_tool("get_resource", get_args) for _ in range(n)), return_exceptions=True)
            failed = [r for r in results if isinstance(r, BaseException) or r.is_error]
            if failed:
                self.concurrent_failures.append(f"{n} concurrent get_resource: {len(failed)} failed: {str(failed[0])[:200]}")

        async def burst_kubectl(n: int) -> None:
            await asyncio.gather(*(self.run_kubectl("get", "pod", self.pod, "-n", NAMESPACE, "-o", "json") for _ in range(n)))

        async def burst_kubectl_raw(n: int) -> None:
            await asyncio.gather(*(self.run_kubectl("get", f"--raw={self.pod_path}") for _ in range(n)))

        for n in (10, 50):
            steps = {
                f"concurrent {n}/mcp": lambda n=n: burst_mcp(slow, n),
                f"concurrent {n}/mcp-fast": lambda n=n: burst_mcp(fast, n),
                f"concurrent {n}/kubectl get -o json": lambda n=n: burst_kubectl(n),
                f"concurrent {n}/kubectl get --raw": lambda n=n: burst_kubectl_raw(n),
            }
            names = list(steps)
            for name in names:  # warm-up
                await steps[name]()
            with ProcessSampler(slow_pid) as sampler:
                for _ in range(self.args.concurrency_rounds):
                    random.shuffle(names)
                    for name in names:
                        await self.timed(name, steps[name])
            peak = max(peak, sampler.peak)
        out["server_peak_kubectl_processes"] = peak
        self.results["concurrency"] = out

    async def sizes(self, slow: Any) -> None:
        """What the model reads for 500 pods, next to kubectl's JSON and table."""
        summary = await self.tool(slow, "list_resources", {"kind": "pods", "namespace": NAMESPACE, "limit": 500})
        full = await self.tool(slow, "list_resources", {"kind": "pods", "namespace": NAMESPACE, "limit": 500, "output": "full"})
        as_json = await self.run_kubectl("get", "pods", "-n", NAMESPACE, "-o", "json")
        table = await self.run_kubectl("get", "pods", "-n", NAMESPACE)
        tools = await slow.list_tools()

        def text_bytes(result: Any) -> int:
            return sum(len(getattr(block, "text", "").encode()) for block in result.content)

        self.results["response_bytes_500_pods"] = {
            "mcp_summary_text": text_bytes(summary),
            "mcp_summary_structured_json": len(json.dumps(summary.structured_content, separators=(",", ":")).encode()),
            "mcp_summary_items": (summary.structured_content or {}).get("count"),
            "mcp_full_text (byte budget)": text_bytes(full),
            "kubectl_get_pods_o_json": len(as_json),
            "kubectl_get_pods_table": len(table),
        }
        tools_json = json.dumps([t.model_dump(mode="json", by_alias=True, exclude_none=True) for t in tools.tools], separators=(",", ":"))
        self.results["tools_list_bytes"] = len(tools_json.encode())

    # ---------------------------------------------------------- the run

    async def run(self) -> None:
        from contextlib import ExitStack

        from mcp import Client

        with ExitStack() as stack:
            if self.args.target == "real":
                self.start_real(stack)
            else:
                self.start_emulator(stack)
            # Warm kubectl's discovery cache, as a user's would be.
            await self.run_kubectl("api-resources", "-o", "wide")
            await self.cold_start()
            async with AsyncExitStack() as sessions:
                me = os.getpid()
                before = {pid for pid, _ in children(me)}
                slow = await sessions.enter_async_context(Client(self.server_params(), mode="legacy"))
                slow_pid = self._new_server_pid(me, before)
                before.add(slow_pid)
                fast = await sessions.enter_async_context(Client(self.server_params("--fast-reads"), mode="legacy"))
                fast_pid = self._new_server_pid(me, before)
                # Warm each server (discovery in memory, the proxy started), then idle memory.
                for client in (slow, fast):
                    await self.tool(client, "get_resource", {"kind": "pods", "name": self.pod, "namespace": NAMESPACE})
                    await self.tool(client, "list_resources", {"kind": "pods", "namespace": NAMESPACE, "limit": 100})
                await asyncio.sleep(1.0)
                self.results["memory_kib"] = {
                    "idle_rss": proc_status(slow_pid)["VmRSS"],
                    "idle_rss_fast_reads": proc_status(fast_pid)["VmRSS"],
                }
                await self.per_tool(slow, fast)
                await self.concurrency(slow, fast, slow_pid)
                await self.discovery_accounting(slow, fast)
                await self.sizes(slow)
                await self.sizes_fast(fast)
                self.results["memory_kib"].update(
                    {
                        "peak_hwm": proc_status(slow_pid)["VmHWM"],
                        "peak_hwm_fast_reads": proc_status(fast_pid)["VmHWM"],
                        "end_rss": proc_status(slow_pid)["VmRSS"],
                        "end_rss_fast_reads": proc_status(fast_pid)["VmRSS"],
                    }
                )
                self.proxy_pids = [pid for pid, cmd in children(fast_pid) if b"\0proxy\0" in cmd]
            await asyncio.sleep(0.5)
            self.results["proxies_left_after_server_exit"] = [pid for pid in self.proxy_pids if Path(f"/proc/{pid}").exists()]

    async def sizes_fast(self, fast: Any) -> None:
        """The same full 500-pod list through the fast path: peak memory on that path too."""
        await self.tool(fast, "list_resources", {"kind": "pods", "namespace": NAMESPACE, "limit": 500, "output": "full"})

    def _new_server_pid(self, me: int, before: set[int]) -> int:
        for _ in range(100):
            for pid, cmd in children(me):
                if pid not in before and b"mcp_kubectl" in cmd:
                    return pid
            time.sleep(0.02)
        raise RuntimeError("could not find the server process")

    # ---------------------------------------------------------- report

    def summarize(self) -> None:
        latency: dict[str, Any] = {}
        for name, values in self.samples.items():
            latency[name] = {"p50_ms": ms(pct(values, 50)), "p90_ms": ms(pct(values, 90)), "n": len(values)}
        self.results["latency"] = latency

        def p50(name: str) -> float:
            return pct(self.samples.get(name, []), 50)

        ratios = {
            "get_resource mcp / kubectl get --raw": p50("get_resource/mcp") / p50("get_resource/kubectl get --raw"),
            "get_resource mcp / kubectl get -o json": p50("get_resource/mcp") / p50("get_resource/kubectl get -o json"),
            "list_resources mcp / kubectl get --raw": p50("list_resources/mcp") / p50("list_resources/kubectl get --raw"),
            "list_resources mcp / kubectl get pods (table)": p50("list_resources/mcp")
            / p50("list_resources/kubectl get pods (table, all 500)"),
            "get_resource mcp-fast / kubectl get -o json": p50("get_resource/mcp-fast") / p50("get_resource/kubectl get -o json"),
            "get_resource mcp-fast / kubectl get --raw": p50("get_resource/mcp-fast") / p50("get_resource/kubectl get --raw"),
            "list_resources mcp-fast / mcp": p50("list_resources/mcp-fast") / p50("list_resources/mcp"),
            "concurrent 10 mcp / kubectl": p50("concurrent 10/mcp") / p50("concurrent 10/kubectl get -o json"),
            "concurrent 50 mcp / kubectl": p50("concurrent 50/mcp") / p50("concurrent 50/kubectl get -o json"),
            "concurrent 10 mcp / kubectl --raw": p50("concurrent 10/mcp") / p50("concurrent 10/kubectl get --raw"),
            "concurrent 50 mcp / kubectl --raw": p50("concurrent 50/mcp") / p50("concurrent 50/kubectl get --raw"),
            "concurrent 10 mcp-fast / kubectl": p50("concurrent 10/mcp-fast") / p50("concurrent 10/kubectl get -o json"),
            "concurrent 50 mcp-fast / kubectl": p50("concurrent 50/mcp-fast") / p50("concurrent 50/kubectl get -o json"),
        }
        self.results["ratios"] = {k: round(v, 3) for k, v in ratios.items()}
        cold = self.results["cold_start_ms"]
        memory = self.results["memory_kib"]
        by_tool = self.results["discovery_by_tool"]
        read_discovery = sum(
            v.get("discovery_requests_per_10_calls", 0)
            for k, v in by_tool.items()
            if k.startswith(("get_resource/", "list_resources/", "get_events/"))
        )
        update_discovery = max(
            (v.get("discovery_requests_per_10_calls", 0) for k, v in by_tool.items() if k.startswith("update_resource")), default=0
        )
        bare_apply_discovery = by_tool.get("kubectl apply --server-side --dry-run=server/bare", {}).get(
            "discovery_requests_per_10_calls", 0
        )
        targets = [
            ("get_resource p50 mcp/kubectl <= 1.10 (vs get --raw, the same request)", ratios["get_resource mcp / kubectl get --raw"], 1.10),
            ("get_resource p50 mcp/kubectl <= 1.10 (vs get pod -o json)", ratios["get_resource mcp / kubectl get -o json"], 1.10),
            ("list_resources p50 mcp/kubectl <= 1.10 (vs get --raw, the same request)", ratios["list_resources mcp / kubectl get --raw"], 1.10),
            ("list_resources p50 mcp/kubectl <= 1.10 (vs kubectl get pods, the table)", ratios["list_resources mcp / kubectl get pods (table)"], 1.10),
            ("cold start / SDK import <= 1.15", cold["ratio_server_over_sdk_import"], 1.15),
            ("10 concurrent mcp/kubectl <= 1.2", ratios["concurrent 10 mcp / kubectl"], 1.2),
            ("50 concurrent mcp/kubectl <= 1.2", ratios["concurrent 50 mcp / kubectl"], 1.2),
            ("idle RSS < 80 MiB", memory["idle_rss"] / 1024, 80),
            ("discovery requests during timed reads (get, list, events) == 0", read_discovery, 0),
            ("update dry-run discovery requests <= bare kubectl apply's", update_discovery - bare_apply_discovery, 0),
            ("fast get_resource p50 / kubectl get -o json <= 0.15", ratios["get_resource mcp-fast / kubectl get -o json"], 0.15),
            ("fast 100-pod summary page / subprocess path <= 0.5", ratios["list_resources mcp-fast / mcp"], 0.5),
        ]
        if "response_bytes_500_pods" in self.results:
            sizes = self.results["response_bytes_500_pods"]
            targets.append(("500-pod summary text <= kubectl table bytes", sizes["mcp_summary_text"] / sizes["kubectl_get_pods_table"], 1.0))
        targets.append(("no concurrent call failed", len(self.concurrent_failures), 0))
        targets.append(
            ("server kubectl processes at once <= --max-concurrency (8)", self.results["concurrency"]["server_peak_kubectl_processes"], 8)
        )
        targets.append(("no proxy survives the server", len(self.results.get("proxies_left_after_server_exit", [])), 0))
        self.results["targets"] = [
            {"target": name, "value": round(value, 3), "limit": limit, "met": bool(value <= limit)} for name, value, limit in targets
        ]
        self.results["failures"] = self.failures + self.concurrent_failures
        self.results["machine"] = {
            "platform": platform.platform(),
            "python": sys.version.split()[0],
            "cpus": os.cpu_count(),
            "cpu_model": _cpu_model(),
            "kubectl": self.kubectl,
            "kubectl_version": _kubectl_version(self.kubectl),
            "calls_per_measure": self.args.calls,
            "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
            "load_average_at_start": self.load_at_start,
        }

    def print_table(self) -> None:
        r = self.results
        lines = [f"mcp-kubectl benchmark  ({r['machine']['cpu_model']}, {r['machine']['cpus']} CPUs, kubectl {r['machine']['kubectl_version']})"]
        lines.append(f"cluster: {r['cluster']}")
        lines.append(f"load average at start/end (other work on the machine): {r['machine']['load_average_at_start']} / {r['machine']['load_average_at_end']}")
        lines.append("")
        lines.append(f"{'measure':<72} {'p50 ms':>9} {'p90 ms':>9} {'n':>4}")
        for name, v in r["latency"].items():
            lines.append(f"{name:<72} {v['p50_ms']:>9.1f} {v['p90_ms']:>9.1f} {v['n']:>4}")
        lines.append("")
        lines.append(f"cold start (ms, p50): {r['cold_start_ms']}")
        lines.append(f"memory (KiB): {r['memory_kib']}")
        lines.append(f"response bytes, 500 pods: {r.get('response_bytes_500_pods')}")
        lines.append(f"tools/list bytes: {r.get('tools_list_bytes')}")
        lines.append(f"server kubectl processes at once (peak): {r['concurrency']['server_peak_kubectl_processes']}")
        lines.append(f"discovery requests in the timed part (all clients, incl. get_api_resources refreshes and bare kubectl): {r['discovery_requests_timed_part_all_clients']}")
        for name, v in r["discovery_by_tool"].items():
            if "error" in v:
                lines.append(f"  discovery {name:<52} n/a: {v['error'][:80]}")
                continue
            lines.append(f"  discovery {name:<52} {v['discovery_requests_per_10_calls']:>3} per 10 calls ({v['api_requests_per_10_calls']} API requests)")
        lines.append("")
        lines.append("ratios (p50):")
        for name, value in r["ratios"].items():
            lines.append(f"  {name:<60} {value:>7.3f}")
        lines.append("")
        lines.append("targets:")
        for t in r["targets"]:
            lines.append(f"  [{'met ' if t['met'] else 'MISS'}] {t['target']:<72} {t['value']:>9} (limit {t['limit']})")
        if r["failures"]:
            lines.append("failures:")
            lines.extend(f"  {failure}" for failure in r["failures"])
        print("\n".join(lines))


def _send_like_an_api_server() -> bool:
    """Turn Nagle off on the emulator's sockets, as Go's net/http (a real API server) does.

    Without it, a kept-alive connection (kubectl proxy's) waits for the client's 40 ms
    delayed ACK between the emulator's header and body writes; fresh connections (one
    kubectl per call) do not, so the comparison would be skewed. Returns True if the
    bench had to set it (the emulator did not already).
    """
    from mcp_kubectl.emulator import server

    handler = getattr(server, "_Handler", None)
    if handler is None or getattr(handler, "disable_nagle_algorithm", True):
        return False
    handler.disable_nagle_algorithm = True
    return True


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _kubectl_version(kubectl: str) -> str:
    try:
        out = subprocess.run([kubectl, "version", "--client", "-o", "json"], capture_output=True, text=True, timeout=30).stdout
        return json.loads(out)["clientVersion"]["gitVersion"]
    except (OSError, ValueError, KeyError, subprocess.SubprocessError):
        return "unknown"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--calls", type=int, default=30, help="timed calls per measure (after warm-up)")
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--cold-rounds", type=int, default=10)
    parser.add_argument("--concurrency-rounds", type=int, default=5)
    parser.add_argument("--kubectl", default=str(Path(sys.executable).parent / "kubectl"))
    parser.add_argument("--out", default="bench-results.json", help="where to write the figures as JSON")
    parser.add_argument("--target", choices=("emulator", "real"), default="emulator",
                        help="the emulator, or a real control plane started by tests/real_cluster.py (built first)")
    args = parser.parse_args()
    if not shutil.which(args.kubectl):
        parser.error(f"kubectl not found: {args.kubectl}")
    os.environ.setdefault("TMPDIR", tempfile.gettempdir())
    bench = Bench(args)
    asyncio.run(bench.run())
    bench.summarize()
    bench.print_table()
    Path(args.out).write_text(json.dumps(bench.results, indent=2) + "\n")
    print(f"\nwrote {args.out}")


if __name__ == "__main__":
    main()
