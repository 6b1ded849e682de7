"""Calls and bytes to find why each broken sample is unhealthy: basic tools against diagnose_resource.

    .venv/bin/python tests/benchmarks/diagnose_calls.py

Starts the emulator with the broken samples (`mcp_kubectl.emulator.broken`) in namespace
`broken`, and one `mcp-kubectl` server (default flags) over stdio through the real MCP
client and the real kubectl. For each sample it makes the shortest sequence of basic tool
calls a model needs to see the cause (the path a model that already knows where to look
takes: no listing of the namespace, no false starts), checks that those answers do contain
the evidence, then makes one `diagnose_resource` call, and prints calls and bytes of text
the model reads on each side. Not collected by pytest.
"""

from __future__ import annotations

import sys
from contextlib import ExitStack
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from harness import McpServerProcess, start_cluster  # noqa: E402

NS = "broken"


def _pod(server: McpServerProcess, app: str) -> str:
    listing = server.ok("list_resources", {"kind": "pods", "namespace": NS, "labelSelector": f"app={app}", "output": "full"})
    return str(listing["items"][0]["metadata"]["name"])


def basic_path(server: McpServerProcess, sample: str) -> tuple[int, int, str]:
    """The basic calls for one sample: (calls, bytes read, all text read)."""
    texts: list[str] = []

    def call(tool: str, arguments: dict[str, Any]) -> None:
        answer = server.call(tool, {"namespace": NS, **arguments})
        texts.append(answer.text)

    if sample in ("api", "web", "cache"):
        call("get_resource", {"kind": "deployment", "name": sample})
        call("list_resources", {"kind": "replicasets", "labelSelector": f"app={sample}"})
        call("list_resources", {"kind": "pods", "labelSelector": f"app={sample}"})
        pod = _pod(server, sample)
        call("get_resource", {"kind": "pod", "name": pod})  # container states, exit code, restarts
        call("get_events", {"kind": "pod", "name": pod, "warningsOnly": True})
        if sample == "api":
            call("get_pod_logs", {"name": pod, "container": "api", "previous": True, "tailLines": 5})
    elif sample == "report":
        call("get_resource", {"kind": "pod", "name": "report"})
        call("get_events", {"kind": "pod", "name": "report", "warningsOnly": True})
    elif sample == "orders":
        call("get_resource", {"kind": "service", "name": "orders"})
        call("list_resources", {"kind": "pods", "labelSelector": "app=order"})
        call("get_resource", {"kind": "endpoints", "name": "orders"})
    text = "\n".join(texts)
    return len(texts), len(text.encode()), text


EVIDENCE = {
    "api": "DB_URL not set",
    "web": "ImagePullBackOff",
    "report": "Insufficient memory",
    "cache": "statuscode: 503",
    "orders": "app=order",
}
KINDS = {"api": "deployment", "web": "deployment", "report": "pod", "cache": "deployment", "orders": "service"}


def main() -> None:
    with ExitStack() as stack:
        cluster = start_cluster(stack)
        if cluster.emulator is None:
            raise SystemExit("needs the emulator: the broken samples are seeded into it")
        cluster.emulator.seed_broken(NS)
        server = stack.enter_context(McpServerProcess(cluster))
        rows = []
        for sample, evidence in EVIDENCE.items():
            calls, size, text = basic_path(server, sample)
            if evidence.replace("app=order", '"app":"order"') not in text:  # JSON spells a selector so
                raise SystemExit(f"the basic path for {sample} never showed {evidence!r}")
            answer = server.call("diagnose_resource", {"kind": KINDS[sample], "name": sample, "namespace": NS})
            if answer.is_error or evidence not in answer.text.split("Evidence")[0]:
                raise SystemExit(f"diagnose_resource's findings for {sample} miss {evidence!r}")
            rows.append((sample, calls, size, 1, len(answer.text.encode())))
        print(f"{'sample':<8} {'basic calls':>11} {'basic bytes':>11} {'diagnose calls':>14} {'diagnose bytes':>14} {'bytes ratio':>11}")
        for sample, calls, size, dcalls, dsize in rows:
            print(f"{sample:<8} {calls:>11} {size:>11} {dcalls:>14} {dsize:>14} {size / dsize:>10.1f}x")
        total = [sum(r[i] for r in rows) for i in (1, 2, 3, 4)]
        print(f"{'total':<8} {total[0]:>11} {total[1]:>11} {total[2]:>14} {total[3]:>14} {total[1] / total[3]:>10.1f}x")


if __name__ == "__main__":
    main()
