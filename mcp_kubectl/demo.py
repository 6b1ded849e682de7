"""See it work with no cluster at hand: the built-in emulator, sample workloads, a scripted session.

`mcp-kubectl demo` starts the emulator, starts `mcp-kubectl` against it over stdio
with every write enabled, and drives a short session through the real MCP client,
printing each call and its answer. `mcp-kubectl --demo` serves the same built-in
cluster to any MCP client.
"""

from __future__ import annotations

import json
import signal
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from mcp_kubectl.settings import Settings

DEMO_NAMESPACE = "demo"


@contextmanager
def demo_cluster() -> Iterator[Any]:
    """The emulator, seeded with sample workloads: some healthy, some broken (`emulator.broken`)."""
    from mcp_kubectl.emulator import Emulator

    with Emulator() as emulator:
        emulator.seed_workloads(namespace=DEMO_NAMESPACE)
        emulator.seed_broken(namespace=DEMO_NAMESPACE)
        yield emulator


def serve_demo(settings: Settings) -> None:
    """Serve the built-in cluster to any MCP client (`mcp-kubectl --demo`)."""
    from mcp_kubectl.transport.launch import serve

    with demo_cluster() as emulator:
        print(f"mcp-kubectl: serving the built-in emulator at {emulator.url} (kubeconfig {emulator.kubeconfig})", file=sys.stderr)
        serve(settings.replace(kubeconfig=emulator.kubeconfig, cache_dir=emulator.cache_dir, context=None, namespace=DEMO_NAMESPACE))


_CONFIGMAP = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: greeting\ndata:\n  hello: {}\n"

SCRIPT: tuple[tuple[str, dict[str, Any]], ...] = (
    ("get_api_resources", {"apiGroup": "apps"}),
    ("list_resources", {"kind": "pods", "limit": 10}),
    ("list_resources", {"kind": "deploy", "fields": ["spec.template.spec.containers[*].image"]}),
    ("get_events", {"warningsOnly": True, "limit": 5}),
    ("get_pod_logs", {"name": "checkout-worker-crashloop", "container": "checkout", "previous": True, "tailLines": 5}),
    ("diagnose_resource", {"kind": "deployment", "name": "api"}),
    ("diagnose_resource", {"kind": "service", "name": "orders"}),
    ("describe_resource", {"kind": "deployment", "name": "checkout"}),
    ("get_resource", {"kind": "secret", "name": "checkout-credentials"}),
    ("create_resource", {"manifest": _CONFIGMAP.format("world"), "dryRun": True}),
    ("create_resource", {"manifest": _CONFIGMAP.format("world")}),
    ("diff_resource", {"manifest": _CONFIGMAP.format("mcp")}),
    ("update_resource", {"manifest": _CONFIGMAP.format("mcp")}),
    ("delete_resource", {"kind": "cm", "name": "greeting"}),
    ("get_resource", {"kind": "cm", "name": "greeting"}),
)


def exit_on_sigterm() -> None:
    """SIGTERM ends the process like Ctrl-C does: through every `with`, so the emulator's
    temporary directory is removed (the default action would kill the process on the spot)."""

    def stop(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, stop)


def run_demo_session(
    *, echo: Callable[[str], None], keep: bool = False, kubectl: str = "kubectl", timeout_s: float | None = None, max_lines: int = 14
) -> int:
    """Drive the scripted session through a real MCP client; 0 if every call answered as expected.

    Raises `KubectlMissing` (before starting anything) when `kubectl` cannot be found.
    """
    import anyio

    from mcp_kubectl.cluster.runner import resolve_kubectl

    kubectl_path = resolve_kubectl(kubectl)
    exit_on_sigterm()
    with demo_cluster() as emulator:
        echo(f"Built-in Kubernetes emulator at {emulator.url}; kubectl {kubectl_path}")
        argv = [
            sys.executable, "-m", "mcp_kubectl",
            f"--kubeconfig={emulator.kubeconfig}", f"--cache-dir={emulator.cache_dir}", f"--kubectl={kubectl_path}",
            f"--namespace={DEMO_NAMESPACE}", "--enable-create", "--enable-update", "--enable-delete",
        ]
        if timeout_s is not None:
            argv.append(f"--timeout={timeout_s:g}")
        failures = anyio.run(_session, argv, echo, max_lines)
        if keep:
            echo(f"\nThe emulator keeps running. Try: kubectl --kubeconfig {emulator.kubeconfig} get pods -n {DEMO_NAMESPACE}  (Ctrl-C to stop)")
            try:
                while True:
                    time.sleep(3600)
            except KeyboardInterrupt:
                pass
    return 1 if failures else 0


async def _session(argv: list[str], echo: Callable[[str], None], max_lines: int) -> int:
    from mcp import Client
    from mcp.client.stdio import StdioServerParameters

    failures = 0
    async with Client(StdioServerParameters(command=argv[0], args=argv[1:])) as client:
        tools = await client.list_tools()
        echo(f"Connected over stdio; tools offered: {', '.join(t.name for t in tools.tools)}\n")
        last = len(SCRIPT) - 1
        for index, (tool, arguments) in enumerate(SCRIPT):
            shown = {k: (v if k != "manifest" else f"<{len(v)} bytes of YAML>") for k, v in arguments.items()}
            echo(f"> {tool} {json.dumps(shown)}")
            result = await client.call_tool(tool, arguments)
            text = "".join(getattr(block, "text", "") for block in result.content)
            expected_error = index == last  # the deleted ConfigMap is gone
            if bool(result.is_error) != expected_error:
                failures += 1
            lines = text.splitlines() or [""]
            if len(lines) == 1 and len(lines[0]) > 400:
                lines = [lines[0][:400] + " ..."]
            for line in lines[:max_lines]:
                echo(f"  {line}")
            if len(lines) > max_lines:
                echo(f"  ... ({len(lines) - max_lines} more lines)")
            echo("")
    echo("Demo finished: every call answered as expected." if not failures else f"Demo finished with {failures} unexpected answers.")
    return failures
