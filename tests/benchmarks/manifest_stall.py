"""Can one HTTP client stall the others with a costly manifest? (issue 10 item 8)

    .venv/bin/python tests/benchmarks/manifest_stall.py [--victim-calls 60] [--attackers 3] [--json]

Starts the emulator and `mcp-kubectl --transport http` (the code of the current directory:
run it from another checkout to measure that one), opens one victim session and
`--attackers` attacker sessions. The victim makes `--victim-calls` calls alone (alternating
`list_contexts`, which never leaves the server's event loop, and `get_resource`, which runs
kubectl), then the same number while every attacker sends worst-case manifests to
`diff_resource` (a read tool, on by default) in a loop:

- a MiB of YAML: 330,000 scalars in one flow list;
- a MiB of JSON: one 256 KiB key over 250,000 empty lists;
- a MiB of YAML: one 256 KiB explicit key over block lists (each child's path used to copy the key).

It prints the victim's p50/p99/max in both phases (all calls, and per tool: `list_contexts`
shows the event loop's own responsiveness), and how many attacker calls finished.
Numbers, not a verdict: compare two checkouts in the same run conditions. Traffic stays
on 127.0.0.1; every phase is bounded by `--deadline` seconds.
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
from http_load import percentile, wait_until_healthy  # noqa: E402

TOKEN = "stall-test-token-7c2e9a41"
LIMIT = 1024 * 1024
HEAD_YAML = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: attack, namespace: default}\n"
HEAD_JSON = '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"attack","namespace":"default"},'


def worst_case_manifests() -> list[str]:
    key = "k" * (256 * 1024)
    scalars = HEAD_YAML + "data: [" + "1," * ((LIMIT - 200) // 2 - 1) + "1]\n"
    json_lists = HEAD_JSON + '"data":{"' + key + '":[' + "[]," * ((LIMIT - len(key) - 300) // 3) + "[]]}}"
    yaml_lists = HEAD_YAML + "data:\n  ? " + key + "\n  :\n" + "  - []\n" * ((LIMIT - len(key) - 300) // 7)
    manifests = [scalars, json_lists, yaml_lists]
    assert all(len(m.encode()) <= LIMIT for m in manifests), [len(m) for m in manifests]
    return manifests


def summary(latencies: list[float]) -> dict[str, Any]:
    if not latencies:
        return {"calls": 0}
    return {
        "calls": len(latencies),
        "p50_ms": round(statistics.median(latencies) * 1000, 1),
        "p99_ms": round(percentile(latencies, 0.99) * 1000, 1),
        "max_ms": round(max(latencies) * 1000, 1),
    }


async def run_phases(url: str, victim_calls: int, attackers: int, deadline_s: float) -> dict[str, Any]:
    import anyio
    import httpx2
    from mcp import Client
    from mcp.client.streamable_http import streamable_http_client

    headers = {"Authorization": f"Bearer {TOKEN}"}
    manifests = worst_case_manifests()
    plan = [
        ("list_contexts", {}) if i % 2 == 0 else ("get_resource", {"kind": "configmaps", "name": "victim-settings", "namespace": "default"})
        for i in range(victim_calls)
    ]

    async def victim(client: Any) -> tuple[dict[str, list[float]], list[str]]:
        latencies: dict[str, list[float]] = {"all": [], "list_contexts": [], "get_resource": []}
        errors: list[str] = []
        with anyio.move_on_after(deadline_s):
            for tool, arguments in plan:
                started = time.perf_counter()
                result = await client.call_tool(tool, arguments)
                elapsed = time.perf_counter() - started
                latencies["all"].append(elapsed)
                latencies[tool].append(elapsed)
                if result.is_error:
                    errors.append("".join(getattr(b, "text", "") for b in result.content)[:200])
        return latencies, errors

    attack_done: list[str] = []
    stop = anyio.Event()

    async def attacker(index: int, started: anyio.Event) -> None:
        async with httpx2.AsyncClient(headers=headers, timeout=600) as http, Client(streamable_http_client(f"{url}/mcp", http_client=http)) as client:
            started.set()
            turn = index
            while not stop.is_set():
                manifest = manifests[turn % len(manifests)]
                turn += 1
                result = await client.call_tool("diff_resource", {"manifest": manifest})
                text = "".join(getattr(b, "text", "") for b in result.content)
                attack_done.append(text[:120] if result.is_error else "accepted")

    async with httpx2.AsyncClient(headers=headers, timeout=600) as http, Client(streamable_http_client(f"{url}/mcp", http_client=http)) as client:
        await victim(client)  # warm-up: discovery cached, as on a running server
        alone, alone_errors = await victim(client)
        async with anyio.create_task_group() as group:
            for index in range(attackers):
                started = anyio.Event()
                group.start_soon(attacker, index, started)
                await started.wait()
            await anyio.sleep(0.5)  # the first worst-case manifests are on their way
            attacked, attacked_errors = await victim(client)
            stop.set()
            group.cancel_scope.cancel()
    return {
        "alone": {name: summary(values) for name, values in alone.items()},
        "under_attack": {name: summary(values) for name, values in attacked.items()},
        "victim_errors": alone_errors + attacked_errors,
        "attacker_calls_finished": len(attack_done),
        "attacker_answers": sorted(set(attack_done))[:5],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--victim-calls", type=int, default=60)
    parser.add_argument("--attackers", type=int, default=3)
    parser.add_argument("--deadline", type=float, default=120.0, help="seconds per phase at most")
    parser.add_argument("--json", action="store_true")
    options = parser.parse_args()
    if not 1 <= options.victim_calls <= 1000 or not 1 <= options.attackers <= 10:
        parser.error("keep it bounded: 1-1000 victim calls, 1-10 attackers")

    import anyio

    from mcp_kubectl.emulator import Emulator

    with Emulator() as emulator, tempfile.TemporaryDirectory(prefix="mcpk-stall-") as scratch:
        kubectl = pinned_kubectl()
        subprocess.run(
            [kubectl, "create", "configmap", "victim-settings", "--from-literal=mode=calm", f"--kubeconfig={emulator.kubeconfig}", f"--cache-dir={emulator.cache_dir}"],
            check=True,
            capture_output=True,
        )
        port = free_port()
        argv = [
            sys.executable, "-m", "mcp_kubectl", "--transport=http", f"--port={port}",
            f"--kubeconfig={emulator.kubeconfig}", f"--kubectl={kubectl}", f"--cache-dir={emulator.cache_dir}",
        ]
        env = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "TMPDIR")}
        env["MCP_KUBECTL_AUTH_TOKEN"] = TOKEN
        log_path = Path(scratch) / "server.log"
        with log_path.open("wb") as log:
            server = subprocess.Popen(argv, env=env, stderr=log, cwd=os.getcwd())
            try:
                url = f"http://127.0.0.1:{port}"
                if not wait_until_healthy(url, server, log_path):
                    return 1
                numbers = anyio.run(run_phases, url, options.victim_calls, options.attackers, options.deadline)
            finally:
                server.send_signal(signal.SIGTERM)
                try:
                    server.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    server.kill()
                    server.wait()

    numbers["load_average"] = os.getloadavg()
    alone, attacked = numbers["alone"], numbers["under_attack"]
    for name in ("all", "list_contexts", "get_resource"):
        print(f"victim {name:13s} alone: {alone[name]}")
        print(f"victim {name:13s} under attack: {attacked[name]}")
    print(f"{options.attackers} attackers, {numbers['attacker_calls_finished']} attacker calls finished")
    for answer in numbers["attacker_answers"]:
        print(f"  attacker got: {answer}")
    print(f"load average: {numbers['load_average']}")
    if options.json:
        print(json.dumps(numbers))
    return 1 if numbers["victim_errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
