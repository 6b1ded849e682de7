"""The fast read path: its HTTP client, its proxy lifecycle, and the same answers on both paths.

Unit tests drive the HTTP client with scripted bytes and `FastReads` with a stand-in
proxy (a tiny Python HTTP server on a Unix socket, started as a real process); the
integration tests run the real `kubectl proxy` against the emulator through a real
MCP client and compare every read tool's answer with the subprocess path's.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import logging
import os
import stat
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

import pytest

from harness import process_gone, wait_until
from mcp_kubectl.errors import KubectlFailed, OutputTooLarge, Timeout
from mcp_kubectl.cluster.kubectl_errors import parse_status_body
from mcp_kubectl.cluster.fast_reads import (
    MAX_STARTS,
    FastReads,
    build_request,
    read_response,
    status_error,
)
from mcp_kubectl.settings import Settings
from mcp_kubectl.tools.table import enabled_verbs

pytestmark = [pytest.mark.both_targets]

# ----------------------------------------------------------------- the HTTP client


def parse(data: bytes, cap: int = 1 << 20) -> Any:
    async def go() -> Any:
        reader = asyncio.StreamReader()
        reader.feed_data(data)
        reader.feed_eof()
        return await read_response(reader, cap=cap)

    return asyncio.run(go())


def test_content_length_body_and_keep_alive() -> None:
    response = parse(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}extra")
    assert (response.status, response.body, response.keep_alive) == (200, b"{}", True)
    assert response.headers["content-type"] == "application/json"


def test_chunked_body_with_extensions_and_trailers() -> None:
    raw = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3;x=y\r\nabc\r\nA\r\n0123456789\r\n0\r\nX-Trailer: 1\r\n\r\n"
    response = parse(raw)
    assert response.body == b"abc0123456789"
    assert response.keep_alive


def test_close_delimited_body_is_not_kept_alive() -> None:
    response = parse(b"HTTP/1.0 200 OK\r\n\r\nhello")
    assert (response.body, response.keep_alive) == (b"hello", False)
    assert not parse(b"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n").keep_alive


def test_interim_answers_are_skipped() -> None:
    response = parse(b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 404 Not Found\r\nContent-Length: 1\r\n\r\nx")
    assert (response.status, response.body) == (404, b"x")


@pytest.mark.parametrize(
    "raw",
    [
        b"HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\n01234567890",
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n6\r\n012345\r\n6\r\n012345\r\n0\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n0123456789012",
    ],
)
def test_the_read_cap_holds_for_every_framing(raw: bytes) -> None:
    with pytest.raises(OutputTooLarge, match="more than 10 bytes"):
        parse(raw, cap=10)


@pytest.mark.parametrize(
    "raw",
    [b"", b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc", b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab", b"SSH-2.0\r\n\r\n"],
)
def test_cut_or_foreign_answers_are_connection_errors(raw: bytes) -> None:
    with pytest.raises(ConnectionError):
        parse(raw)


def test_request_line_is_plain_get() -> None:
    assert build_request("/api/v1/pods?limit=1").startswith(b"GET /api/v1/pods?limit=1 HTTP/1.1\r\nHost: localhost\r\n")


@pytest.mark.parametrize("path", ["api/v1", "/api/v1 HTTP/1.1\r\nX: y", "/a\nb", "/a b", "/a\x00"])
def test_request_paths_cannot_split_the_request(path: str) -> None:
    with pytest.raises(ValueError):
        build_request(path)


# ----------------------------------------------------------------- the proxy's one argv


def test_the_proxy_argv_is_fixed_and_carries_the_servers_global_flags() -> None:
    from mcp_kubectl.errors import ToolDisabled
    from mcp_kubectl.cluster.runner import KubectlCommand, KubectlRunner

    settings = Settings(kubeconfig=Path("/k/config"), context="ctx", cache_dir=Path("/c"))
    runner = KubectlRunner(settings, "/bin/kubectl", enabled_verbs=enabled_verbs(settings), environ={"PATH": "/bin"})
    assert runner.proxy_argv(Path("/d/proxy.sock"), None) == [
        "/bin/kubectl", "proxy", "--unix-socket=/d/proxy.sock", "--api-prefix=/",
        "--reject-methods=^([^G].*|G|G[^E].*|GE|GE[^T].*|GET.+)$", "--accept-paths=^/apis?/",
        "--reject-paths=^/api/.*/(pods|services|nodes)/[^/]+/(exec|attach|portforward|proxy)(/|$)",
        "--kubeconfig=/k/config", "--context=ctx", "--request-timeout=30s", "--cache-dir=/c",
    ]
    assert "--context=other" in runner.proxy_argv(Path("/d/proxy.sock"), "other")
    with pytest.raises(ValueError):
        runner.proxy_argv(Path("/d/proxy.sock"), "--server=https://evil")
    with pytest.raises(ToolDisabled):  # no command can name the verb
        runner.build_argv(KubectlCommand("proxy"))


@pytest.mark.parametrize(
    "argv, env, expected",
    [(["--fast-reads"], {}, True), ([], {"MCP_KUBECTL_FAST_READS": "1"}, True), ([], {}, False)],
)
def test_the_option_and_its_variable(monkeypatch: pytest.MonkeyPatch, argv: list[str], env: dict[str, str], expected: bool) -> None:
    from mcp_kubectl.cli import build_settings, cli

    monkeypatch.delenv("MCP_KUBECTL_FAST_READS", raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    context = cli.make_context("mcp-kubectl", list(argv))
    options = {k: v for k, v in context.params.items() if k not in ("demo", "log_level", "shutdown_grace_s")}
    assert build_settings(**options).fast_reads is expected


def test_the_server_reads_fast_only_when_asked(tmp_path: Path) -> None:
    from mcp_kubectl.server import create_operations

    kubeconfig = tmp_path / "config"
    kubeconfig.write_text("apiVersion: v1\nkind: Config\nclusters: []\ncontexts: []\nusers: []\n")
    base = Settings(kubectl=sys.executable, kubeconfig=kubeconfig, cache_dir=tmp_path / "cache")
    assert create_operations(base).fast_reads is None
    assert isinstance(create_operations(base.replace(fast_reads=True)).fast_reads, FastReads)


# ----------------------------------------------------------------- API errors in kubectl's words


def _status(reason: str, message: str, code: int) -> bytes:
    return json.dumps({"kind": "Status", "apiVersion": "v1", "status": "Failure", "reason": reason, "message": message, "code": code}).encode()


@pytest.mark.parametrize(
    "body, text",
    [
        (_status("NotFound", 'configmaps "x" not found', 404), 'Error from server (NotFound): configmaps "x" not found'),
        (_status("Unauthorized", "Unauthorized", 401), "error: You must be logged in to the server (Unauthorized)"),
        (_status("", "boom", 500), "Error from server: boom"),
        (b"Forbidden\n", None),
        (b'{"kind":"Pod"}', None),
        (b'{"kind":"Status","status":"Success"}', None),
    ],
)
def test_kubectl_error_text(body: bytes, text: str | None) -> None:
    status = parse_status_body(body)
    assert (status.message if status else None) == text


def test_status_errors_are_typed_like_the_subprocess_path() -> None:
    error = status_error(_status("NotFound", 'configmaps "x" not found', 404), "/api/v1/x")
    assert isinstance(error, KubectlFailed)
    assert (error.reason, error.message) == ("NotFound", 'Error from server (NotFound): configmaps "x" not found')
    forbidden = status_error(_status("Forbidden", 'pods is forbidden: User "u" cannot list', 403), "/p")
    assert forbidden is not None and forbidden.reason == "Forbidden"
    unknown = status_error(_status("NotFound", "the server could not find the requested resource", 404), "/p")
    assert unknown is not None and unknown.reason == "UnknownResourceType"


# ----------------------------------------------------------------- the proxy lifecycle, with a stand-in proxy

FAKE_PROXY = textwrap.dedent(
    r'''
    import asyncio, json, os, sys
    sock, mode = sys.argv[1], sys.argv[2]
    if mode == "fail":
        print("error: cannot start", file=sys.stderr, flush=True)
        sys.exit(3)
    connections = 0

    async def handle(reader, writer):
        global connections
        connections += 1
        me = connections
        while True:
            line = await reader.readline()
            if not line:
                break
            path = line.split()[1].decode()
            while (await reader.readline()) not in (b"\r\n", b""):
                pass
            if path == "/api/die":
                os._exit(9)
            if path == "/api/hang":
                await asyncio.sleep(60)
            if path == "/api/notfound":
                body = json.dumps({"kind": "Status", "status": "Failure", "reason": "NotFound",
                                   "message": 'configmaps "x" not found', "code": 404}).encode()
                head = b"HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\n"
            elif path == "/api/plain":
                body, head = b"dial tcp: connection refused\n", b"HTTP/1.1 500 Internal Server Error\r\n"
            elif path == "/api/big":
                body, head = b"x" * 5000, b"HTTP/1.1 200 OK\r\n"
            elif path == "/api/chunked":
                writer.write(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nabcd\r\n2\r\nef\r\n0\r\n\r\n")
                await writer.drain()
                continue
            else:
                body = json.dumps({"path": path, "connection": me, "pid": os.getpid()}).encode()
                head = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
            writer.write(head + b"Content-Length: %d\r\n\r\n" % len(body) + body)
            await writer.drain()
        writer.close()

    async def main():
        server = await asyncio.start_unix_server(handle, sock)
        async with server:
            await server.serve_forever()

    asyncio.run(main())
    '''
)


class FakeRunner:
    """Starts the stand-in proxy the way the runner starts kubectl proxy (own group, stderr piped)."""

    def __init__(self, script: Path, modes: list[str]) -> None:
        self.script = script
        self.modes = modes  # one per start; the last repeats
        self.starts: list[tuple[Path, str | None]] = []
        self.environment: dict[str, str] = {}
        self._slots = asyncio.Semaphore(8)

    def slot(self) -> asyncio.Semaphore:
        return self._slots

    async def start_proxy(self, socket_path: Path, context: str | None) -> asyncio.subprocess.Process:
        mode = self.modes[min(len(self.starts), len(self.modes) - 1)]
        self.starts.append((socket_path, context))
        return await asyncio.create_subprocess_exec(
            sys.executable, str(self.script), str(socket_path), mode,
            stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE, start_new_session=True,
        )


@pytest.fixture
def fake_proxy(tmp_path: Path) -> Path:
    script = tmp_path / "fake_proxy.py"
    script.write_text(FAKE_PROXY)
    return script


def fast(runner: FakeRunner, **changes: Any) -> FastReads:
    return FastReads(Settings(**{"timeout_s": 5.0, **changes}), runner)  # type: ignore[arg-type]


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    status = Path(f"/proc/{pid}/status")
    return not (status.exists() and "\nState:\tZ" in status.read_text())


def test_reads_reuse_one_connection_and_start_lazily(fake_proxy: Path) -> None:
    runner = FakeRunner(fake_proxy, ["ok"])

    async def go() -> list[dict[str, Any]]:
        reads = fast(runner)
        assert runner.starts == [] and reads.proxy_pids == []  # nothing at construction
        try:
            answers = [json.loads(await reads.get("/api/v1/a", "ctx") or b"") for _ in range(3)]
            assert await reads.get("/api/chunked", "ctx") == b"abcdef"
            directory = runner.starts[0][0].parent
            assert stat.S_IMODE(directory.stat().st_mode) == 0o700
            return answers
        finally:
            await reads.aclose()

    answers = asyncio.run(go())
    assert [a["path"] for a in answers] == ["/api/v1/a"] * 3
    assert {a["connection"] for a in answers} == {1}  # keep-alive: one connection for all
    assert len(runner.starts) == 1 and runner.starts[0][1] == "ctx"


def test_reads_are_recorded_for_the_audit_log(fake_proxy: Path) -> None:
    from mcp_kubectl.cluster.process import Run, RunLog

    runner = FakeRunner(fake_proxy, ["ok"])

    async def go() -> RunLog:
        reads = fast(runner)
        log = RunLog()
        try:
            await reads.get("/api/v1/a?limit=1", None, log=log)
            with pytest.raises(KubectlFailed):
                await reads.get("/api/notfound", None, log=log)
            await reads.get("/api/v1/b", None)  # no log given: recorded nowhere
            return log
        finally:
            await reads.aclose()

    assert asyncio.run(go()).runs == (
        Run(("kubectl", "proxy", "GET /api/v1/a?limit=1"), 0),
        Run(("kubectl", "proxy", "GET /api/notfound"), 1),
    )


def test_api_status_raises_and_foreign_errors_fall_back(fake_proxy: Path) -> None:
    runner = FakeRunner(fake_proxy, ["ok"])

    async def go() -> None:
        reads = fast(runner)
        try:
            with pytest.raises(KubectlFailed) as caught:
                await reads.get("/api/notfound", None)
            assert caught.value.reason == "NotFound"
            assert caught.value.message == 'Error from server (NotFound): configmaps "x" not found'
            assert await reads.get("/api/plain", None) is None  # kubectl words it: subprocess path
            assert await reads.get("/api/v1/after", None) is not None  # and the proxy stays on
        finally:
            await reads.aclose()

    asyncio.run(go())
    assert len(runner.starts) == 1


def test_read_cap_and_deadline(fake_proxy: Path) -> None:
    runner = FakeRunner(fake_proxy, ["ok"])

    async def go() -> None:
        reads = fast(runner, max_output_bytes=4096, timeout_s=1.0)
        try:
            with pytest.raises(OutputTooLarge):
                await reads.get("/api/big", None)
            with pytest.raises(Timeout, match="within 1s and was stopped"):  # the deadline, not a hang
                await reads.get("/api/hang", None)
            assert await reads.get("/api/v1/still", None) is not None
        finally:
            await reads.aclose()

    asyncio.run(go())
    assert len(runner.starts) == 1  # neither a cap nor a deadline restarts the proxy


def test_a_dead_proxy_is_restarted_once_then_reads_fall_back(fake_proxy: Path, caplog: pytest.LogCaptureFixture) -> None:
    runner = FakeRunner(fake_proxy, ["ok"])
    caplog.set_level(logging.WARNING, logger="mcp_kubectl.cluster.fast_reads")

    async def go() -> None:
        reads = fast(runner)
        try:
            first = json.loads(await reads.get("/api/v1/a", None) or b"")
            # Dies mid-request: restarted once, the retried request kills it again: fall back.
            assert await reads.get("/api/die", None) is None
            assert len(runner.starts) == MAX_STARTS
            assert reads.proxy_pids == []
            assert await reads.get("/api/v1/b", None) is None  # fallback, no third start
            assert len(runner.starts) == MAX_STARTS
            assert not alive(first["pid"])
        finally:
            await reads.aclose()

    asyncio.run(go())
    assert any("reading through kubectl subprocesses" in r.getMessage() for r in caplog.records)


def test_a_proxy_that_died_while_idle_is_restarted_and_answers(fake_proxy: Path) -> None:
    runner = FakeRunner(fake_proxy, ["ok"])

    async def go() -> None:
        reads = fast(runner)
        try:
            first = json.loads(await reads.get("/api/v1/a", None) or b"")
            os.kill(first["pid"], 9)
            for _ in range(100):
                if not reads.proxy_pids:
                    break
                await asyncio.sleep(0.02)
            second = json.loads(await reads.get("/api/v1/b", None) or b"")
            assert second["pid"] != first["pid"] and second["path"] == "/api/v1/b"
        finally:
            await reads.aclose()

    asyncio.run(go())
    assert len(runner.starts) == 2


def test_a_changed_kubeconfig_restarts_the_proxy_without_using_up_its_restart(fake_proxy: Path, tmp_path: Path) -> None:
    runner = FakeRunner(fake_proxy, ["ok"])
    kubeconfig = tmp_path / "config"
    kubeconfig.write_text("token: one\n")

    async def go() -> tuple[int, int]:
        reads = fast(runner, kubeconfig=kubeconfig)
        try:
            first = json.loads(await reads.get("/api/v1/a", None) or b"")["pid"]
            assert json.loads(await reads.get("/api/v1/a", None) or b"")["pid"] == first  # unchanged: same proxy
            kubeconfig.write_text("token: rotated\n")
            second = json.loads(await reads.get("/api/v1/a", None) or b"")["pid"]
            os.kill(second, 9)  # the one restart for a failure is still there
            for _ in range(100):
                if not reads.proxy_pids:
                    break
                await asyncio.sleep(0.02)
            third = json.loads(await reads.get("/api/v1/a", None) or b"")["pid"]
            return first, second if third != second else -1
        finally:
            await reads.aclose()

    first, second = asyncio.run(go())
    assert second not in (first, -1)
    assert len(runner.starts) == 3


def test_a_proxy_that_cannot_start_falls_back_after_one_retry(fake_proxy: Path, caplog: pytest.LogCaptureFixture) -> None:
    runner = FakeRunner(fake_proxy, ["fail"])
    caplog.set_level(logging.WARNING, logger="mcp_kubectl.cluster.fast_reads")

    async def go() -> None:
        reads = fast(runner)
        try:
            assert await reads.get("/api/v1/a", None) is None
            assert await reads.get("/api/v1/a", None) is None
        finally:
            await reads.aclose()

    asyncio.run(go())
    assert len(runner.starts) == MAX_STARTS
    warnings = [r.getMessage() for r in caplog.records if "fast reads" in r.getMessage()]
    assert len(warnings) == 1 and "cannot start" in warnings[0]


def test_close_kills_the_proxy_group_and_removes_the_socket_directory(fake_proxy: Path) -> None:
    runner = FakeRunner(fake_proxy, ["ok"])

    async def go() -> tuple[int, Path]:
        reads = fast(runner)
        pid = json.loads(await reads.get("/api/v1/a", None) or b"")["pid"]
        directory = runner.starts[0][0].parent
        await reads.aclose()
        for _ in range(100):
            if not alive(pid):
                break
            await asyncio.sleep(0.02)
        return pid, directory

    pid, directory = asyncio.run(go())
    assert not alive(pid)
    assert not directory.exists()


# ----------------------------------------------------------------- integration: the real kubectl proxy

import signal  # noqa: E402
import socket  # noqa: E402
import uuid  # noqa: E402
from collections.abc import Callable, Iterator  # noqa: E402
from contextlib import ExitStack  # noqa: E402

import binaries  # noqa: E402
from harness import Cluster, McpServerProcess, ToolAnswer  # noqa: E402


def server_children(marker: str) -> list[tuple[int, list[str]]]:
    """(pid, argv) of processes whose parent is a test-started server carrying `marker` in its argv."""
    table: dict[int, tuple[int, list[str]]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            argv = [a.decode(errors="replace") for a in (entry / "cmdline").read_bytes().split(b"\0") if a]
        except (OSError, ValueError, IndexError):
            continue
        table[int(entry.name)] = (ppid, argv)
    me = os.getpid()  # other test runs may be going on: only servers this process started
    servers = {
        pid for pid, (ppid, argv) in table.items() if ppid == me and marker in argv and any("mcp_kubectl" in a for a in argv)
    }
    return [(pid, argv) for pid, (ppid, argv) in table.items() if ppid in servers]


def proxies(marker: str) -> list[tuple[int, list[str]]]:
    return [(pid, argv) for pid, argv in server_children(marker) if len(argv) > 1 and argv[1] == "proxy"]


def server_pid(marker: str) -> int:
    me = os.getpid()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                argv = (entry / "cmdline").read_bytes().split(b"\0")
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            if ppid == me and marker.encode() in argv and any(b"mcp_kubectl" in a for a in argv):
                return int(entry.name)
    raise AssertionError(f"no server with {marker}")


@pytest.fixture(scope="module")
def seeded(cluster: Cluster) -> str:
    """A namespace of our own with pods, deployments, configmaps, secrets and events."""
    name = f"fr-{uuid.uuid4().hex[:6]}"
    cluster.seed_pods(12, name)
    cluster.seed_workloads(name, deployments=2, replicas=2, configmaps=3, secrets=1, nodes=0)
    return name


BOTH_MARKER = "--budget-bytes=65536"  # the default value: marks the process, changes nothing


@pytest.fixture(scope="module")
def both(server_factory: Callable[..., McpServerProcess]) -> tuple[McpServerProcess, McpServerProcess]:
    """The subprocess path and the fast path, otherwise alike."""
    return server_factory(), server_factory("--fast-reads", BOTH_MARKER)


def same(both: tuple[McpServerProcess, McpServerProcess], tool: str, arguments: dict[str, Any]) -> ToolAnswer:
    """Both paths' answer to one call, which must be identical.

    The cluster is live: ages tick, and a real control plane's controllers add and
    count up events between two calls. A difference is only a failure if it is still
    there after a few tries, each asking both paths back to back.
    """
    slow, fast = both
    for attempt in range(ATTEMPTS):
        a = slow.call(tool, arguments)
        b = fast.call(tool, arguments)
        if (b.is_error, b.data, b.text) == (a.is_error, a.data, a.text):
            return a
        time.sleep(0.5 * (attempt + 1))
    assert (b.is_error, b.data) == (a.is_error, a.data), f"{tool} {arguments}: answers differ"
    assert b.text == a.text
    return a


ATTEMPTS = 4


def first_pod(cluster: Cluster, seeded: str) -> dict[str, Any]:
    return cluster.kubectl_json("get", "pods", "-n", seeded)["items"][0]


def test_get_resource_answers_the_same(both: Any, cluster: Cluster, seeded: str) -> None:
    pod = first_pod(cluster, seeded)["metadata"]["name"]
    configmap = cluster.kubectl_json("get", "configmaps", "-n", seeded)["items"][0]["metadata"]["name"]
    deployment = cluster.kubectl_json("get", "deployments", "-n", seeded)["items"][0]["metadata"]["name"]
    secret = cluster.kubectl_json("get", "secrets", "-n", seeded)["items"][0]["metadata"]["name"]
    answers = [
        same(both, "get_resource", {"kind": "pods", "name": pod, "namespace": seeded}),
        same(both, "get_resource", {"kind": "cm", "name": configmap, "namespace": seeded}),
        same(both, "get_resource", {"kind": "deployments.apps", "name": deployment, "namespace": seeded}),
        same(both, "get_resource", {"kind": "Secret", "name": secret, "namespace": seeded}),  # redacted alike
        same(both, "get_resource", {"kind": "namespaces", "name": seeded, "namespace": "ignored"}),
    ]
    assert [a.is_error for a in answers] == [False] * 5
    assert answers[0].data is not None and answers[0].data["metadata"]["name"] == pod


def test_errors_answer_the_same(both: Any, seeded: str) -> None:
    missing = same(both, "get_resource", {"kind": "configmaps", "name": "no-such-map", "namespace": seeded})
    assert missing.reason == "NotFound"
    assert 'configmaps "no-such-map" not found' in missing.text
    missing_ns = same(both, "get_resource", {"kind": "pods", "name": "x", "namespace": "no-such-namespace-fr"})
    assert missing_ns.is_error
    logs = same(both, "get_pod_logs", {"name": "no-such-pod", "namespace": seeded})
    assert logs.reason == "NotFound"


def test_list_pages_selectors_and_continue_answer_the_same(both: Any, seeded: str) -> None:
    first = same(both, "list_resources", {"kind": "pods", "namespace": seeded, "limit": 5})
    same(both, "list_resources", {"kind": "pods", "namespace": seeded, "limit": 3, "output": "full"})
    same(both, "list_resources", {"kind": "pods", "namespace": seeded, "fields": ["spec.containers[*].image"], "limit": 4})
    same(both, "list_resources", {"kind": "pods", "namespace": seeded, "labelSelector": "app", "limit": 50})
    same(both, "list_resources", {"kind": "pods", "namespace": seeded, "fieldSelector": "status.phase=Running"})
    same(both, "list_resources", {"kind": "deployments", "namespace": seeded})
    same(both, "list_resources", {"kind": "configmaps", "allNamespaces": True, "limit": 2})
    same(both, "list_resources", {"kind": "nodes"})
    assert not first.is_error and first.data is not None, first.text
    assert first.data["count"] == 5  # of the 12 seeded pods: the page is cut and says where to go on
    token = first.data["continueToken"]
    second = same(both, "list_resources", {"kind": "pods", "namespace": seeded, "limit": 5, "continueToken": token})
    assert not second.is_error and second.data is not None, second.text
    assert second.data["count"] == 5
    assert not {row[0] for row in first.data["rows"]} & {row[0] for row in second.data["rows"]}


def test_events_answer_the_same(both: Any, cluster: Cluster, seeded: str) -> None:
    events = same(both, "get_events", {"namespace": seeded})
    assert events.data is not None and events.data["count"] > 0
    same(both, "get_events", {"namespace": seeded, "warningsOnly": True})
    name = first_pod(cluster, seeded)["metadata"]["name"]
    same(both, "get_events", {"namespace": seeded, "kind": "Pod", "name": name})


@pytest.mark.emulator_only(reason="container logs come from a kubelet; the real control plane runs none")
def test_logs_answer_the_same(both: Any, cluster: Cluster, seeded: str) -> None:
    pod = first_pod(cluster, seeded)
    name, container = pod["metadata"]["name"], pod["spec"]["containers"][0]["name"]
    logs = same(both, "get_pod_logs", {"name": name, "namespace": seeded, "container": container, "tailLines": 5})
    assert not logs.is_error
    same(both, "get_pod_logs", {"name": name, "namespace": seeded, "container": container, "filter": "GET"})


def test_the_fast_path_is_the_one_answering(both: Any, cluster: Cluster, seeded: str) -> None:
    """kubectl proxy forwards our User-Agent: the emulator tells the two paths apart."""
    slow, fast = both
    pod = first_pod(cluster, seeded)["metadata"]["name"]
    path = f"/api/v1/namespaces/{seeded}/pods/{pod}"
    cluster.clear_requests()
    fast.ok("get_resource", {"kind": "pods", "name": pod, "namespace": seeded})
    assert [r.user_agent for r in cluster.requests if r.path == path] == ["mcp-kubectl"]
    cluster.clear_requests()
    slow.ok("get_resource", {"kind": "pods", "name": pod, "namespace": seeded})
    assert [r.user_agent.split("/")[0] for r in cluster.requests if r.path == path] == ["kubectl"]


def test_updates_existence_check_is_a_fast_read(server_factory: Callable[..., McpServerProcess], cluster: Cluster, seeded: str) -> None:
    """With --fast-reads, update_resource's "must already exist" GET goes through the proxy (test_tools'
    test_update_never_creates_any_document runs its fast-reads cases on this path), and a miss writes nothing."""
    server = server_factory("--enable-update", "--fast-reads")
    manifest = json.dumps({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "absent", "namespace": seeded}})
    cluster.clear_requests()
    server.fails("update_resource", {"manifest": manifest, "force": True}, reason="NotFound")
    path = f"/api/v1/namespaces/{seeded}/configmaps/absent"
    assert [r.user_agent for r in cluster.requests if r.path == path] == ["mcp-kubectl"]
    assert [r.method for r in cluster.requests if r.method not in ("GET", "HEAD")] == []


@pytest.fixture(scope="module")
def viewer_servers(cluster: Cluster) -> Iterator[tuple[McpServerProcess, McpServerProcess]]:
    """Both paths as a user who may read pods in `default` only (for Forbidden): on the real target,
    the launcher's token user bound to a read-only Role (real RBAC); on the emulator, its own."""
    from mcp_kubectl.emulator import Emulator

    with ExitStack() as stack:
        if cluster.is_emulator:
            emu = stack.enter_context(
                Emulator(users={"viewer": [{"verbs": ["get", "list"], "resources": ["pods", "pods/log"], "namespaces": ["default"]}]})
            )
            emu.seed_pods(2)
            viewer = Cluster(kubeconfig=emu.kubeconfig_for("viewer"), cache_dir=emu.cache_dir, emulator=emu)
        elif cluster.restricted_kubeconfig is None:
            pytest.skip("this real cluster has no restricted user (the launcher's cluster has one)")
        else:
            if not cluster.kubectl_json("get", "pods", "-n", "default").get("items"):
                cluster.seed_pods(2)
            viewer = dataclasses.replace(cluster, kubeconfig=cluster.restricted_kubeconfig)
        yield stack.enter_context(McpServerProcess(viewer)), stack.enter_context(McpServerProcess(viewer, "--fast-reads"))


def test_forbidden_answers_the_same(viewer_servers: Any) -> None:
    denied = same(viewer_servers, "get_resource", {"kind": "configmaps", "name": "kube-root-ca.crt", "namespace": "default"})
    assert denied.reason == "Forbidden"
    assert 'User "viewer" cannot get resource "configmaps"' in denied.text
    same(viewer_servers, "list_resources", {"kind": "pods", "namespace": "kube-system"})
    same(viewer_servers, "get_events", {"namespace": "default"})
    allowed = same(viewer_servers, "list_resources", {"kind": "pods", "namespace": "default"})
    assert allowed.data is not None


def http_exchange(socket_path: str, request: bytes) -> bytes:
    with socket.socket(socket.AF_UNIX) as sock:
        sock.settimeout(10)
        sock.connect(socket_path)
        sock.sendall(request)
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    return data


def test_the_proxy_refuses_writes_sent_to_it_directly(both: Any, cluster: Cluster, seeded: str) -> None:
    _, fast = both
    fast.ok("get_resource", {"kind": "namespaces", "name": seeded})  # the proxy is up
    (pid, argv), = proxies(BOTH_MARKER)
    socket_path = next(a.split("=", 1)[1] for a in argv if a.startswith("--unix-socket="))
    assert stat.S_IMODE(os.stat(os.path.dirname(socket_path)).st_mode) == 0o700
    body = json.dumps({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "sneaky"}}).encode()
    target = f"/api/v1/namespaces/{seeded}/configmaps"
    cluster.clear_requests()
    refused = {}
    for method, path in [
        ("POST", target), ("PUT", f"{target}/sneaky"), ("PATCH", f"{target}/sneaky"), ("DELETE", f"{target}/sneaky"),
        ("DELETE", target), ("OPTIONS", target), ("HEAD", target), ("get", target), ("GETX", target),
        ("GET", f"/api/v1/namespaces/{seeded}/pods/p/exec?command=sh"), ("GET", f"/api/v1/namespaces/{seeded}/pods/p/attach"),
        ("GET", f"/api/v1/namespaces/{seeded}/pods/p/portforward"), ("GET", f"/api/v1/namespaces/{seeded}/services/s:80/proxy/"),
        ("GET", "/api/v1/nodes/n/proxy/metrics"), ("GET", "/version"), ("GET", "/openapi/v2"), ("GET", "/metrics"),
    ]:
        head = f"{method} {path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: {len(body)}\r\nConnection: close\r\n\r\n"
        answer = http_exchange(socket_path, head.encode() + body)
        refused[(method, path)] = answer.split(b"\r\n", 1)[0]
    assert all(line.startswith((b"HTTP/1.1 403", b"HTTP/1.1 405")) for line in refused.values()), refused
    assert [(r.method, r.path) for r in cluster.requests] == []  # nothing reached the API
    assert not cluster.exists("configmaps", "sneaky", seeded)
    ok = http_exchange(socket_path, f"GET /api/v1/namespaces/{seeded} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".encode())
    assert ok.startswith(b"HTTP/1.1 200")  # and the same socket does serve reads


def test_no_proxy_survives_the_server(cluster: Cluster, seeded: str) -> None:
    marker = "--budget-bytes=65001"  # tells this server's processes apart
    with McpServerProcess(cluster, "--fast-reads", marker) as server:
        server.ok("get_resource", {"kind": "namespaces", "name": seeded})
        (pid, _), = proxies(marker)
        assert os.getpgid(pid) == pid  # its own process group
    assert wait_until(lambda: process_gone(pid))


def test_no_proxy_survives_a_killed_server(cluster: Cluster, seeded: str) -> None:
    marker = "--budget-bytes=65002"
    with McpServerProcess(cluster, "--fast-reads", marker) as server:
        server.ok("get_resource", {"kind": "namespaces", "name": seeded})
        (pid, _), = proxies(marker)
        os.kill(server_pid(marker), signal.SIGKILL)
        assert wait_until(lambda: process_gone(pid))


def test_a_killed_proxy_is_restarted_once_then_reads_fall_back(cluster: Cluster, seeded: str) -> None:
    marker = "--budget-bytes=65003"
    arguments = {"kind": "namespaces", "name": seeded}
    path = f"/api/v1/namespaces/{seeded}"
    with McpServerProcess(cluster, "--fast-reads", marker) as server:
        expected = server.ok("get_resource", arguments)
        (first, _), = proxies(marker)
        os.kill(first, signal.SIGKILL)
        assert wait_until(lambda: not proxies(marker))
        assert server.ok("get_resource", arguments) == expected  # restarted
        (second, _), = proxies(marker)
        assert second != first
        os.kill(second, signal.SIGKILL)
        assert wait_until(lambda: not proxies(marker))
        cluster.clear_requests()
        assert server.ok("get_resource", arguments) == expected  # through a kubectl subprocess now
        assert proxies(marker) == []
        assert [r.user_agent.split("/")[0] for r in cluster.requests if r.path == path] == ["kubectl"]


# ----------------------------------------------------------------- failures on the fast path


@pytest.fixture(scope="module")
def impatient(cluster: Cluster) -> Iterator[tuple[McpServerProcess, McpServerProcess]]:
    """Both paths with a short deadline, discovery cached before faults are injected."""
    with ExitStack() as stack:
        servers = (
            stack.enter_context(McpServerProcess(cluster, "--timeout=2")),
            stack.enter_context(McpServerProcess(cluster, "--timeout=2", "--fast-reads")),
        )
        for server in servers:
            server.ok("get_api_resources")
        yield servers


def kubectl_children() -> list[int]:
    """kubectl processes this test's servers started, the long-lived proxies aside."""
    return [pid for pid, argv in server_children("--timeout=2") if argv[1:2] != ["proxy"] and "kubectl" in argv[0]]


@pytest.mark.emulator_only(reason="fault injection (hung, failing, dropping API server) exists only in the emulator")
def test_a_hung_api_server_gives_timeout_within_the_deadline(impatient: Any, emulator: Any) -> None:
    _, fast = impatient
    emulator.faults.hang("/api/v1/namespaces/hung-fr/")
    try:
        answer = fast.fails("get_resource", {"kind": "configmaps", "name": "x", "namespace": "hung-fr"}, reason="Timeout")
    finally:
        emulator.faults.clear()
    assert "did not answer within 2s and was stopped" in answer.text  # the server's deadline, not a hang
    assert answer.data is not None and answer.data["error"]["hint"]
    assert kubectl_children() == []
    fast.ok("get_resource", {"kind": "namespaces", "name": "default"})  # the proxy still serves


@pytest.mark.emulator_only(reason="fault injection (hung, failing, dropping API server) exists only in the emulator")
@pytest.mark.parametrize("fault", ["error_500", "drop"])
def test_server_errors_and_dropped_connections_answer_the_same(impatient: Any, emulator: Any, fault: str) -> None:
    prefix = f"/api/v1/namespaces/{fault.replace('_', '-')}-fr/"
    getattr(emulator.faults, fault)(prefix)
    try:
        answer = same(impatient, "get_resource", {"kind": "configmaps", "name": "x", "namespace": prefix.split("/")[4]})
    finally:
        emulator.faults.clear()
    assert answer.is_error
    impatient[1].ok("get_resource", {"kind": "namespaces", "name": "default"})


@pytest.mark.emulator_only(reason="fault injection (hung, failing, dropping API server) exists only in the emulator")
def test_a_cancelled_fast_read_leaves_the_proxy_serving(impatient: Any, emulator: Any) -> None:
    _, fast = impatient
    fast.ok("get_resource", {"kind": "namespaces", "name": "default"})
    (proxy, _), = proxies("--timeout=2")
    emulator.faults.hang("/api/v1/namespaces/cancel-fr/")
    try:
        assert fast.call_and_abandon("get_resource", {"kind": "configmaps", "name": "x", "namespace": "cancel-fr"}, after_s=0.8)
    finally:
        emulator.faults.clear()
    fast.ok("get_resource", {"kind": "namespaces", "name": "default"})
    assert [pid for pid, _ in proxies("--timeout=2")] == [proxy]


# ----------------------------------------------------------------- the read tests of the tool suite, on the fast path


@pytest.fixture
def reader(server_factory: Callable[..., McpServerProcess]) -> McpServerProcess:
    """The tool suite's read-only server, here with --fast-reads: its read tests below run on the fast path."""
    return server_factory("--fast-reads", BOTH_MARKER)


def _tool_suite_read_tests() -> dict[str, Any]:
    """test_tools' tests that need only a read-only server (`reader`), to run again here."""
    import inspect

    import test_tools

    picked: dict[str, Any] = {}
    for name, function in vars(test_tools).items():
        if getattr(function, "_fixture_function_marker", None) is not None or hasattr(function, "_pytestfixturefunction"):
            picked.setdefault(name, function)  # the fixtures they use (`namespace`)
        elif name.startswith("test_") and callable(function):
            parameters = set(inspect.signature(function).parameters)
            if "reader" in parameters and not parameters & {"writer", "server_factory"}:
                picked[name] = function
    return picked


globals().update({name: value for name, value in _tool_suite_read_tests().items() if name not in globals()})


@pytest.mark.kubectl132
def test_kubectl_132_serves_the_fast_path_alike(cluster: Cluster, seeded: str) -> None:
    old = dataclasses.replace(cluster, kubectl_path=str(binaries.path(binaries.KUBECTL_132)))
    pod = first_pod(cluster, seeded)["metadata"]["name"]
    with McpServerProcess(old) as slow, McpServerProcess(old, "--fast-reads") as fast:
        for tool, arguments in [
            ("get_resource", {"kind": "pods", "name": pod, "namespace": seeded}),
            ("get_resource", {"kind": "configmaps", "name": "no-such-map", "namespace": seeded}),
            ("list_resources", {"kind": "pods", "namespace": seeded, "limit": 4}),
        ]:
            same((slow, fast), tool, arguments)
        cluster.clear_requests()
        fast.ok("get_resource", {"kind": "pods", "name": pod, "namespace": seeded})
        assert "mcp-kubectl" in {r.user_agent for r in cluster.requests}


def test_fast_reads_over_streamable_http_and_no_proxy_after_sigterm(cluster: Cluster, seeded: str) -> None:
    marker = "--budget-bytes=65004"
    env = {"MCP_KUBECTL_AUTH_TOKEN": "fast-reads-test-token-123456"}
    pod = first_pod(cluster, seeded)["metadata"]["name"]
    with McpServerProcess(cluster, "--fast-reads", marker, transport="http", env=env) as server:
        cluster.clear_requests()
        answer = server.ok("get_resource", {"kind": "pods", "name": pod, "namespace": seeded})
        assert answer["metadata"]["name"] == pod
        assert "mcp-kubectl" in {r.user_agent for r in cluster.requests}
        (pid, _), = proxies(marker)
    # The harness stops an HTTP server with SIGTERM.
    assert wait_until(lambda: process_gone(pid))
