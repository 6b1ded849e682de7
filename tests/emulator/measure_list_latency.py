"""Print the emulator's server-side latency for listing 500 and 5,000 pods (JSON and Table), through kubectl.

Run: .venv/bin/python tests/emulator/measure_list_latency.py
Not a test: numbers for the notes. "server" is the time from request parsed to last byte written, as recorded
in the emulator's request log; "kubectl" is the wall time of the whole kubectl process.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

from mcp_kubectl.emulator import Emulator

KUBECTL = Path(sys.executable).parent / "kubectl"


def main() -> None:
    started = time.perf_counter()
    with Emulator() as emu:
        emu.seed_pods(500, "five-hundred")
        emu.seed_pods(5000, "five-thousand")
        print(f"seeded 5,500 pods in {time.perf_counter() - started:.2f}s (including start-up)")
        base = [str(KUBECTL), "--kubeconfig", str(emu.kubeconfig), "--cache-dir", str(emu.cache_dir)]
        for namespace, count in (("five-hundred", 500), ("five-thousand", 5000)):
            for label, extra in (("-o json", ["-o", "json"]), ("table", []), ("--chunk-size=0 -o json", ["--chunk-size=0", "-o", "json"])):
                server, wall = [], []
                for _ in range(5):
                    emu.clear_requests()
                    t0 = time.perf_counter()
                    subprocess.run([*base, "get", "pods", "-n", namespace, *extra], capture_output=True, check=True)
                    wall.append(time.perf_counter() - t0)
                    lists = [r for r in emu.requests if r.path == f"/api/v1/namespaces/{namespace}/pods"]
                    server.append(sum(r.duration_s for r in lists))
                print(f"{count:>5} pods, kubectl get pods {label:<22} server {statistics.median(server) * 1000:7.1f} ms"
                      f" (median of 5, {len(lists)} request(s))   kubectl wall {statistics.median(wall) * 1000:7.1f} ms")


if __name__ == "__main__":
    main()
