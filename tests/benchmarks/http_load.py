"""Load check: many MCP clients making tool calls at once over HTTP, against the emulator.

    .venv/bin/python tests/benchmarks/http_load.py [--clients 20] [--calls 200] [--transport http|sse] [--stateless]

Starts the built-in emulator (with sample pods) and `mcp-kubectl --transport http` with a
bearer token, opens `--clients` MCP sessions through the SDK's client, and spreads `--calls`
tool calls (get_resource and list_resources, alternating) over them. Reports throughput and
latency percentiles; exits 1 if any call failed, if a kubectl process outlived the run, or if
the server did not shut down cleanly. Traffic stays on 127.0.0.1 and the run is bounded.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from harness import free_port, pinned_kubectl  # noqa: E402

TOKEN = "load-test-token-5b1d0c9e"
RUN_DEADLINE_S = 300


def kubectl_pids(cache_dir: Path) -> list[int]:
    """kubectl processes started against this run's emulator."""
    marker = f"--cache-dir={cache_dir}".encode()
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                argv = (entry / "cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            if argv and os.path.basename(argv[0]) == b"kubectl" and marker in argv:
                pids.append(int(entry.name))
    return pids


def wait_until_healthy(url: str, server: subprocess.Popen[bytes], log_path: Path, timeout_s: float = 30) -> bool:
    """True once the server answers /healthz; False (its log printed) if it exits or stays silent."""
    import urllib.request

    deadline = time.monotonic() + timeout_s
    while True:
        try:
            urllib.request.urlopen(f"{url}/healthz", timeout=1).read()
            return True
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                print(log_path.read_text(), file=sys.stderr)
                return False
            time.sleep(0.1)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))]


async def drive(url: str, transport: str, clients: int, calls: int) -> tuple[list[float], list[str], float]:
    """Open `clients` sessions, make `calls` calls spread over them; (latencies, errors, wall seconds)."""
    import anyio
    import httpx2
    from mcp import Client
    from mcp.client.sse import sse_client
    from mcp.client.streamable_http import streamable_http_client

    headers = {"Authorization": f"Bearer {TOKEN}"}
    latencies: list[float] = []
    errors: list[str] = []
    plan = [
        ("get_resource", {"kind": "configmaps", "name": "load-settings", "namespace": "default"})
        if i % 2 == 0
        else ("list_resources", {"kind": "pods", "namespace": "default", "limit": 20})
        for i in range(calls)
    ]
    shares = [plan[i::clients] for i in range(clients)]
    ready = anyio.Event()
    opened = 0

    async def one_client(share: list[tuple[str, dict[str, Any]]]) -> None:
        nonlocal opened
        async with httpx2.AsyncClient(headers=headers, timeout=60) as http:
            target = streamable_http_client(f"{url}/mcp", http_client=http) if transport == "http" else sse_client(f"{url}/sse", headers=headers)
            async with Client(target) as client:
                opened += 1
                if opened == clients:
                    ready.set()
                await ready.wait()  # every session open before the clock starts
                for tool, arguments in share:
                    started = time.perf_counter()
                    try:
                        result = await client.call_tool(tool, arguments)
                    except Exception as exc:  # noqa: BLE001 - every failure is counted and shown
                        errors.append(f"{tool}: {type(exc).__name__}: {exc}")
                        continue
                    latencies.append(time.perf_counter() - started)
                    if result.is_error:
                        text = "".join(getattr(block, "text", "") for block in result.content)
                        errors.append(f"{tool}: {text[:200]}")

    wall_start = 0.0
    with anyio.fail_after(RUN_DEADLINE_S):
        async with anyio.create_task_group() as group:
            for share in shares:
                group.start_soon(one_client, share)
            await ready.wait()
            wall_start = time.perf_counter()
    return latencies, errors, time.perf_counter() - wall_start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--calls", type=int, default=200)
    parser.add_argument("--transport", choices=["http", "sse"], default="http")
    parser.add_argument("--stateless", action="store_true", help="serve with --stateless (http only)")
    parser.add_argument("--max-concurrency", type=int, default=8, help="the server's kubectl processes at once")
    parser.add_argument("--json", action="store_true", help="print the numbers as one JSON line too")
    options = parser.parse_args()
    if not 1 <= options.clients <= 100 or not 1 <= options.calls <= 5000:
        parser.error("keep it bounded: 1-100 clients, 1-5000 calls")

    import anyio

    from mcp_kubectl.emulator import Emulator

    with Emulator() as emulator, tempfile.TemporaryDirectory(prefix="mcpk-load-") as scratch:
        emulator.seed_pods(20)
        kubectl = pinned_kubectl()
        subprocess.run(
            [kubectl, "create", "configmap", "load-settings", "--from-literal=mode=load", f"--kubeconfig={emulator.kubeconfig}", f"--cache-dir={emulator.cache_dir}"],
            check=True,
            capture_output=True,
        )
        port = free_port()
        argv = [
            sys.executable, "-m", "mcp_kubectl",
            f"--transport={options.transport}", f"--port={port}",
            f"--kubeconfig={emulator.kubeconfig}", f"--kubectl={kubectl}", f"--cache-dir={emulator.cache_dir}",
            f"--max-concurrency={options.max_concurrency}",
        ]
        if options.stateless:
            argv.append("--stateless")
        env = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "TMPDIR")}
        env["MCP_KUBECTL_AUTH_TOKEN"] = TOKEN
        log_path = Path(scratch) / "server.log"
        with log_path.open("wb") as log:
            server = subprocess.Popen(argv, env=env, stderr=log)
            try:
                url = f"http://127.0.0.1:{port}"
                if not wait_until_healthy(url, server, log_path):
                    return 1
                # One warm-up call so discovery is cached, as it is on a running server.
                anyio.run(drive, url, options.transport, 1, 2)
                latencies, errors, wall = anyio.run(drive, url, options.transport, options.clients, options.calls)
                leaked_during = kubectl_pids(emulator.cache_dir)
            finally:
                server.send_signal(signal.SIGTERM)
                try:
                    exit_code = server.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    server.kill()
                    exit_code = server.wait()
        time.sleep(0.2)
        leaked_after = kubectl_pids(emulator.cache_dir)

    done = len(latencies)
    numbers = {
        "transport": options.transport + (" (stateless)" if options.stateless else ""),
        "clients": options.clients,
        "calls": options.calls,
        "completed": done,
        "errors": len(errors),
        "wall_s": round(wall, 3),
        "throughput_calls_per_s": round(done / wall, 1) if wall else 0.0,
        "p50_ms": round(statistics.median(latencies) * 1000, 1) if latencies else None,
        "p95_ms": round(percentile(latencies, 0.95) * 1000, 1) if latencies else None,
        "max_ms": round(max(latencies) * 1000, 1) if latencies else None,
        "kubectl_left_after_calls": len(leaked_during),
        "kubectl_left_after_shutdown": len(leaked_after),
        "server_exit_code": exit_code,
    }
    print(
        f"{numbers['transport']}: {done}/{options.calls} calls from {options.clients} clients in {wall:.2f}s "
        f"= {numbers['throughput_calls_per_s']} calls/s; latency p50 {numbers['p50_ms']} ms, p95 {numbers['p95_ms']} ms, "
        f"max {numbers['max_ms']} ms; errors {len(errors)}; kubectl left: {len(leaked_during)} after the calls, "
        f"{len(leaked_after)} after shutdown; server exit {exit_code}"
    )
    if options.json:
        print(json.dumps(numbers))
    for error in errors[:10]:
        print(f"  error: {error}", file=sys.stderr)
    ok = not errors and done == options.calls and not leaked_during and not leaked_after and exit_code == 0
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
