"""The HTTP transports: the Host/Origin guard, the bearer token, refusing unsafe binds, graceful
shutdown, stateless mode, and the in-cluster manifests.

Unit tests drive the guard in-process (httpx2's ASGI transport); the process tests start a
real `mcp-kubectl --transport http|sse` and speak real HTTP to it, against the emulator when
kubectl must answer. The tool suite itself runs over HTTP and SSE from tests/integration/test_tools.py
(see conftest.py); the load check is tests/benchmarks/http_load.py.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import anyio
import httpx2
import pytest
from click.testing import CliRunner
from mcp.shared.exceptions import MCPError

from harness import Cluster, McpServerProcess, free_port, kubectl_processes
from mcp_kubectl.cli import build_settings, cli
from mcp_kubectl.errors import SetupError
from mcp_kubectl.transport.http_app import HostPolicy, RequestGuard, check_exposure, is_loopback_bind
from mcp_kubectl.settings import Settings

pytestmark = [pytest.mark.both_targets]

TOKEN = "s3cret-token-for-tests-0123456789"

# ---------------------------------------------------------------- the allow-lists


@pytest.mark.parametrize(
    "host, loopback",
    [
        ("127.0.0.1", True),
        ("127.8.9.10", True),
        ("localhost", True),
        ("::1", True),
        ("[::1]", True),
        ("0.0.0.0", False),
        ("::", False),
        ("10.1.2.3", False),
        ("example.com", False),
    ],
)
def test_loopback_binds(host: str, loopback: bool) -> None:
    assert is_loopback_bind(host) is loopback


DEFAULT = HostPolicy()
CONFIGURED = HostPolicy.from_settings(
    Settings(host="0.0.0.0", allowed_hosts=("mcp.example.com", "svc.local:8000"), allowed_origins=("https://app.example.com", "http://tool.example:*"))
)


@pytest.mark.parametrize(
    "policy, host, allowed",
    [
        (DEFAULT, "127.0.0.1:8000", True),
        (DEFAULT, "localhost:1234", True),
        (DEFAULT, "LOCALHOST", True),
        (DEFAULT, "[::1]:8000", True),
        (DEFAULT, None, False),
        (DEFAULT, "", False),
        (DEFAULT, "evil.example:8000", False),
        (DEFAULT, "127.0.0.1.evil.example", False),
        (DEFAULT, "localhost.evil.example:8000", False),
        (CONFIGURED, "mcp.example.com", True),
        (CONFIGURED, "mcp.example.com:443", True),
        (CONFIGURED, "svc.local:8000", True),
        (CONFIGURED, "svc.local:9000", False),
        (CONFIGURED, "other.example.com", False),
        (CONFIGURED, "127.0.0.1:8000", True),
        (HostPolicy(allowed_hosts=("*",)), "anything.example", True),
        (HostPolicy(allowed_hosts=("svc.local:*",)), "svc.local:1234", True),  # an entry may allow any port
        (HostPolicy(allowed_hosts=("svc.local:*",)), "svc.local:*", False),  # a Host header may not say "any"
    ],
)
def test_host_allow_list(policy: HostPolicy, host: str | None, allowed: bool) -> None:
    assert policy.host_allowed(host) is allowed


# A Host header is exactly a host and an optional decimal port: anything else is refused,
# even when it starts with an allowed name (issue 10, item 11).
MALFORMED_HOSTS = [
    "127.0.0.1:8000@evil.example",
    "localhost:80@evil.example:80",
    "[::1]:80@evil.example",
    "127.0.0.1:80:81",
    "127.0.0.1:",
    "127.0.0.1:0",
    "127.0.0.1:65536",
    "127.0.0.1:0x50",
    "127.0.0.1:+80",
    "127.0.0.1:８０",
    "127.0.0.1 :80",
    "127.0.0.1:80 evil.example",
    "localhost:80#x",
    "localhost:80/evil",
    "localhost\\evil.example",
    "evil.example\x00localhost",
    "[::1",
    "[::1]x",
    "[evil.example]:80",
    "svc.local:8000@evil.example",
]


@pytest.mark.parametrize("host", MALFORMED_HOSTS)
@pytest.mark.parametrize("policy", [DEFAULT, CONFIGURED], ids=["default", "configured"])
def test_a_malformed_host_is_refused(policy: HostPolicy, host: str) -> None:
    assert policy.host_allowed(host) is False


def test_a_malformed_host_is_refused_by_the_guard() -> None:
    guard = RequestGuard(_echo_app, policy=HostPolicy(), token=TOKEN)
    for host in ("127.0.0.1:8000@evil.example", "localhost:80:81"):
        response = _request(guard, "POST", "/mcp", {"Authorization": f"Bearer {TOKEN}", "Host": host})
        assert response.status_code == 421, host


@pytest.mark.parametrize(
    "policy, origin, allowed",
    [
        (DEFAULT, None, True),  # non-browser clients send no Origin
        (DEFAULT, "http://localhost:6274", True),
        (DEFAULT, "http://127.0.0.1", True),
        (DEFAULT, "https://[::1]:8443", True),
        (DEFAULT, "http://evil.example", False),
        (DEFAULT, "http://localhost.evil.example", False),
        (DEFAULT, "null", False),
        (DEFAULT, "", False),
        (CONFIGURED, "https://app.example.com", True),
        (CONFIGURED, "https://app.example.com:443", True),
        (CONFIGURED, "http://app.example.com", False),
        (CONFIGURED, "https://app.example.com:8443", False),
        (CONFIGURED, "http://tool.example:3000", True),
        (CONFIGURED, "https://tool.example:3000", False),
        (HostPolicy(allowed_origins=("*",)), "https://anywhere.example", True),
        (HostPolicy(allowed_origins=("http://tool.example:*",)), "http://tool.example:65535", True),
        (HostPolicy(allowed_origins=("http://tool.example:*",)), "http://tool.example:65536", False),
        (HostPolicy(allowed_origins=("http://tool.example:*",)), "http://tool.example:0", False),
        (HostPolicy(allowed_origins=("http://tool.example:*",)), "http://tool.example:1", True),
    ],
)
def test_origin_allow_list(policy: HostPolicy, origin: str | None, allowed: bool) -> None:
    assert policy.origin_allowed(origin) is allowed


@pytest.mark.parametrize("bind", ["0.0.0.0", "::"])
def test_a_wildcard_bind_address_is_not_an_allowed_host(bind: str) -> None:
    """Binding every address names no host a client should use: only loopback names pass."""
    policy = HostPolicy.from_settings(Settings(host=bind, auth_token=TOKEN))
    assert not policy.host_allowed(bind) and not policy.host_allowed(f"[{bind}]:8000") and not policy.host_allowed(f"{bind}:8000")
    assert policy.host_allowed("127.0.0.1:8000")


def test_odd_allow_list_entries_match_only_themselves() -> None:
    # An unclosed IPv6 bracket is its own name, not an empty one that every other broken Host matches.
    assert not HostPolicy(allowed_hosts=("[::1",)).host_allowed("[fe80::1")
    # An origin pattern that does not parse is skipped, not fatal; a trailing slash is still an origin.
    policy = HostPolicy(allowed_origins=("not an origin", "https://app.example.com/"))
    assert policy.origin_allowed("https://app.example.com") and not policy.origin_allowed("https://evil.example")


def test_a_specific_bind_address_is_an_allowed_host() -> None:
    policy = HostPolicy.from_settings(Settings(host="192.0.2.10", auth_token=TOKEN))
    assert policy.host_allowed("192.0.2.10:8000")
    assert not HostPolicy.from_settings(Settings(host="0.0.0.0", auth_token=TOKEN)).host_allowed("192.0.2.10:8000")


# ---------------------------------------------------------------- refusing unsafe binds


@pytest.mark.parametrize(
    "settings, refused",
    [
        (Settings(transport="http"), False),
        (Settings(transport="http", host="0.0.0.0"), True),
        (Settings(transport="sse", host="10.0.0.5"), True),
        (Settings(transport="http", host="0.0.0.0", auth_token=TOKEN), False),
        (Settings(transport="http", host="0.0.0.0", insecure_no_auth=True), False),
        (Settings(transport="http", auth_token="  "), True),
        (Settings(transport="stdio", host="0.0.0.0"), False),
        (Settings(transport="sse", stateless_http=True), True),
        (Settings(transport="http", allowed_origins=("app.example.com",)), True),  # no scheme: a mistake, not ignored
        (Settings(transport="http", allowed_origins=("https://app.example.com", "http://x:*", "*")), False),
        (Settings(transport="http", allowed_hosts=("https://mcp.example.com",)), True),
        (Settings(transport="http", allowed_hosts=("mcp.example.com", "svc:8000", "*")), False),
        (Settings(transport="http", allowed_hosts=("svc.local:*",)), False),
    ],
)
def test_exposure_check(settings: Settings, refused: bool) -> None:
    if refused:
        with pytest.raises(SetupError):
            check_exposure(settings)
    else:
        check_exposure(settings)


def test_cli_refuses_a_public_bind_without_a_token(monkeypatch: pytest.MonkeyPatch) -> None:
    started: list[Settings] = []
    monkeypatch.setattr("mcp_kubectl.transport.launch.serve", lambda settings, **_: started.append(settings))
    result = CliRunner().invoke(cli, ["--transport", "http", "--host", "0.0.0.0"], env={"MCP_KUBECTL_AUTH_TOKEN": None})
    assert result.exit_code == 2
    assert "without an auth token" in result.output and "--insecure-no-auth" in result.output
    assert started == []


def test_cli_token_sources(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    started: list[Settings] = []
    monkeypatch.setattr("mcp_kubectl.transport.launch.serve", lambda settings, **_: started.append(settings))
    runner = CliRunner()
    token_file = tmp_path / "token"
    token_file.write_text(TOKEN + "\n")
    base = ["--transport", "http", "--host", "0.0.0.0"]

    assert runner.invoke(cli, [*base, "--auth-token-file", str(token_file)]).exit_code == 0
    assert runner.invoke(cli, base, env={"MCP_KUBECTL_AUTH_TOKEN": TOKEN}).exit_code == 0
    assert runner.invoke(cli, [*base, "--insecure-no-auth"], env={"MCP_KUBECTL_AUTH_TOKEN": None}).exit_code == 0
    assert [s.auth_token for s in started] == [TOKEN, TOKEN, None]
    assert all(TOKEN not in repr(s) for s in started)

    empty = tmp_path / "empty"
    empty.write_text("\n")
    assert runner.invoke(cli, [*base, "--auth-token-file", str(empty)]).exit_code == 2
    assert runner.invoke(cli, [*base, "--auth-token-file", str(tmp_path / "missing")]).exit_code == 2
    both = runner.invoke(cli, [*base, "--auth-token", "x", "--auth-token-file", str(token_file)])
    assert both.exit_code == 2 and "not both" in both.output
    assert len(started) == 3


def test_http_options_reach_settings() -> None:
    settings = build_settings(
        kubectl="kubectl",
        timeout_s=30,
        transport="http",
        host="0.0.0.0",
        port=9000,
        allowed_hosts=("a.example,b.example", "c.example"),
        allowed_origins=("https://a.example",),
        stateless_http=True,
        auth_token=TOKEN,
    )
    assert (settings.host, settings.port, settings.stateless_http) == ("0.0.0.0", 9000, True)
    assert settings.allowed_hosts == ("a.example", "b.example", "c.example")
    assert settings.allowed_origins == ("https://a.example",)


# ---------------------------------------------------------------- the guard, in-process


async def _echo_app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]})
    await send({"type": "http.response.body", "body": b"reached"})


def _request(guard: RequestGuard, method: str, path: str, headers: dict[str, str]) -> httpx2.Response:
    async def go() -> httpx2.Response:
        transport = httpx2.ASGITransport(app=guard)
        async with httpx2.AsyncClient(transport=transport, base_url="http://127.0.0.1:8000") as client:
            return await client.request(method, path, headers=headers)

    return anyio.run(go)


GUARD_CASES = [
    # (headers, status, what)
    ({}, 401, "no token"),
    ({"Authorization": "Bearer wrong"}, 401, "wrong token"),
    ({"Authorization": f"Basic {TOKEN}"}, 401, "wrong scheme"),
    ({"Authorization": f"Bearer {TOKEN}x"}, 401, "token with a suffix"),
    ({"Authorization": f"Bearer {TOKEN[:-1]}"}, 401, "a prefix of the token"),
    ({"Authorization": f"Bearer {TOKEN}"}, 200, "right token"),
    ({"Authorization": f"bearer {TOKEN}"}, 200, "scheme is case-insensitive"),
    ({"Authorization": f"Bearer {TOKEN}", "Origin": "http://evil.example"}, 403, "bad origin"),
    ({"Authorization": f"Bearer {TOKEN}", "Origin": "http://localhost:6274"}, 200, "loopback origin"),
    ({"Authorization": f"Bearer {TOKEN}", "Host": "evil.example"}, 421, "bad host"),
    ({"Host": "evil.example"}, 421, "bad host is refused before auth"),
    ({"Origin": "http://evil.example"}, 403, "bad origin is refused before auth"),
]


@pytest.mark.parametrize("headers, status, what", GUARD_CASES, ids=[case[2] for case in GUARD_CASES])
def test_guard(headers: dict[str, str], status: int, what: str) -> None:
    guard = RequestGuard(_echo_app, policy=HostPolicy(), token=TOKEN)
    response = _request(guard, "POST", "/mcp", headers)
    assert response.status_code == status, what
    if status == 200:
        assert response.text == "reached"
    else:
        assert response.text != "reached"
    if status == 401:
        challenge = response.headers["www-authenticate"]
        assert challenge.startswith("Bearer ")
        presented = headers.get("Authorization", "").lower().startswith("bearer ")
        assert ('error="invalid_token"' in challenge) is presented


def test_guard_without_a_token_still_checks_host_and_origin() -> None:
    guard = RequestGuard(_echo_app, policy=HostPolicy(), token=None)
    assert _request(guard, "POST", "/mcp", {}).status_code == 200
    assert _request(guard, "POST", "/mcp", {"Host": "evil.example"}).status_code == 421
    assert _request(guard, "POST", "/mcp", {"Origin": "https://evil.example"}).status_code == 403


def test_health_endpoint_needs_neither_token_nor_host() -> None:
    guard = RequestGuard(_echo_app, policy=HostPolicy(), token=TOKEN)
    response = _request(guard, "GET", "/healthz", {"Host": "10.1.2.3:8000"})
    assert response.status_code == 200 and response.json() == {"status": "ok"}
    assert _request(guard, "HEAD", "/healthz", {"Host": "10.1.2.3:8000"}).status_code == 200
    assert _request(guard, "POST", "/healthz", {}).status_code == 401


def test_the_token_is_never_logged(caplog: pytest.LogCaptureFixture) -> None:
    guard = RequestGuard(_echo_app, policy=HostPolicy(), token=TOKEN)
    with caplog.at_level(logging.DEBUG):
        _request(guard, "POST", "/mcp", {"Authorization": f"Bearer {TOKEN[:-2]}zz"})
        _request(guard, "POST", "/mcp", {"Authorization": f"Bearer {TOKEN}"})
    assert "refused a request from 127.0.0.1: wrong bearer token" in caplog.text  # who, for the operator
    assert TOKEN[:8] not in caplog.text


# ---------------------------------------------------------------- a real server process


@pytest.fixture(scope="module")
def offline_cluster(tmp_path_factory: pytest.TempPathFactory) -> Cluster:
    """A kubeconfig pointing nowhere: enough for tests that never reach kubectl."""
    folder = tmp_path_factory.mktemp("offline")
    kubeconfig = folder / "kubeconfig"
    kubeconfig.write_text(
        "apiVersion: v1\nkind: Config\ncurrent-context: c\n"
        "clusters: [{name: c, cluster: {server: 'https://127.0.0.1:9'}}]\n"
        "users: [{name: u, user: {token: x}}]\n"
        "contexts: [{name: c, context: {cluster: c, user: u}}]\n"
    )
    return Cluster(kubeconfig=kubeconfig, cache_dir=folder / "cache", emulator=None)


@pytest.fixture(scope="module", params=["http", "sse"])
def guarded(request: pytest.FixtureRequest, offline_cluster: Cluster) -> Iterator[McpServerProcess]:
    """A real server with a token, and a real MCP client that presents it."""
    with McpServerProcess(offline_cluster, "--log-level=DEBUG", transport=request.param, env={"MCP_KUBECTL_AUTH_TOKEN": TOKEN}) as server:
        yield server


def _raw(server: McpServerProcess, headers: dict[str, str]) -> httpx2.Response:
    """A first request as a client would send it, with these headers on top."""
    if server.transport == "http":
        body = {
            "jsonrpc": "2.0",
            "id": 1,
            "method": "initialize",
            "params": {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "raw", "version": "0"}},
        }
        base = {"Accept": "application/json, text/event-stream", "Content-Type": "application/json"}
        return httpx2.post(f"{server.url}/mcp", json=body, headers={**base, **headers}, timeout=10)
    with httpx2.stream("GET", f"{server.url}/sse", headers=headers, timeout=10) as response:
        return response  # the status line is enough; the stream is closed here


@pytest.mark.parametrize(
    "headers, status",
    [
        ({}, 401),
        ({"Authorization": "Bearer wrong"}, 401),
        ({"Authorization": f"Bearer {TOKEN}", "Origin": "http://evil.example"}, 403),
        ({"Authorization": f"Bearer {TOKEN}", "Host": "evil.example:80"}, 421),
    ],
    ids=["no token", "wrong token", "bad origin", "bad host"],
)
def test_real_server_refuses(guarded: McpServerProcess, headers: dict[str, str], status: int) -> None:
    response = _raw(guarded, headers)
    assert response.status_code == status
    if status == 401:
        assert response.headers["www-authenticate"].startswith("Bearer ")


def test_real_server_serves_the_right_token(guarded: McpServerProcess) -> None:
    assert "get_resource" in guarded.tool_names()
    assert _raw(guarded, {"Authorization": f"Bearer {TOKEN}"}).status_code == 200


def test_real_server_never_logs_the_token(offline_cluster: Cluster) -> None:
    server = McpServerProcess(offline_cluster, "--log-level=DEBUG", transport="http", env={"MCP_KUBECTL_AUTH_TOKEN": TOKEN})
    with server:
        server.tool_names()
        _raw(server, {"Authorization": "Bearer wrong"})
        assert server.process is not None
        server.process.send_signal(signal.SIGTERM)
        server.process.wait(timeout=15)
        log = server.stderr_text()
    assert "wrong bearer token" in log and "POST /mcp" in log  # the log is on, and verbose
    assert TOKEN not in log


def test_a_public_bind_without_a_token_is_refused_by_the_process(offline_cluster: Cluster) -> None:
    server = McpServerProcess(offline_cluster, "--transport=http", "--host=0.0.0.0")
    done = subprocess.run(server.server_argv(), env=server.server_env(), capture_output=True, text=True, timeout=30)
    assert done.returncode == 2
    assert "refusing to serve on 0.0.0.0" in done.stderr and "--auth-token-file" in done.stderr


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_signal_stops_an_idle_server_promptly(offline_cluster: Cluster, signum: int) -> None:
    for transport in ("http", "sse"):
        with McpServerProcess(offline_cluster, transport=transport) as server:
            server.tool_names()  # a session is open, with its idle event stream
            assert server.process is not None
            server.process.send_signal(signum)
            exit_code = server.process.wait(timeout=60)  # a guard against a hang, not a speed limit
            log = server.stderr_text()
        assert exit_code == 0, transport
        # Promptly: an idle event stream is no request in flight, so nothing waits for the grace period.
        assert "waiting up to" not in log and "grace period over" not in log, log
        assert "Traceback" not in log and "mcp-kubectl stopped" in log


# ---------------------------------------------------------------- graceful shutdown, against the emulator


def _logged_at(log: str, position: int) -> datetime:
    """When the server logged the line holding `position` (logging's asctime opens each line)."""
    start = log.rfind("\n", 0, position) + 1
    return datetime.strptime(log[start : start + 23], "%Y-%m-%d %H:%M:%S,%f")


def _wait_for(condition: Any, timeout_s: float) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return bool(condition())


def _http_server(cluster: Cluster, transport: str, *flags: str, cache_dir: Path | None = None) -> McpServerProcess:
    """A server with the token; with `cache_dir`, kubectl runs with that (private) cache dir."""
    own = (f"--cache-dir={cache_dir}",) if cache_dir is not None else ()  # the last --cache-dir wins
    return McpServerProcess(cluster, *flags, *own, transport=transport, env={"MCP_KUBECTL_AUTH_TOKEN": TOKEN})


@pytest.mark.emulator_only(reason="fault injection (a hung or slow API server) exists only in the emulator")
@pytest.mark.parametrize("transport", ["http", "sse"])
def test_sigterm_cancels_a_hung_call_within_the_grace_period(cluster: Cluster, emulator: Any, transport: str, tmp_path: Path) -> None:
    grace = 2.0
    namespace = f"hang-{transport}"
    with _http_server(cluster, transport, "--timeout=600", f"--shutdown-grace={grace:g}", cache_dir=tmp_path) as server:
        server.ok("list_resources", {"kind": "namespaces"})  # discovery cached before the fault
        emulator.faults.hang(f"/api/v1/namespaces/{namespace}/")
        try:
            pending = server.call_in_background("get_resource", {"kind": "configmaps", "name": "x", "namespace": namespace})
            assert _wait_for(lambda: kubectl_processes(tmp_path), 10), "the call never started kubectl"
            assert server.process is not None
            server.process.send_signal(signal.SIGTERM)
            exit_code = server.process.wait(timeout=120)  # a guard against a hang, far below the call's 600 s deadline
            assert _wait_for(lambda: not kubectl_processes(tmp_path), 30), "kubectl outlived the server"
            log = server.stderr_text()
        finally:
            emulator.faults.clear()
        # The client learns the call is gone (an MCP error: "Server returned an error response" over
        # streamable HTTP, "Connection closed" over SSE); a hang raises TimeoutError, which does not match.
        with pytest.raises(MCPError):
            pending.result(timeout=10)
    assert exit_code == 0
    # What happened, in the server's own words and order: it waited for the call, the grace period
    # ran out (no sooner: the log's own clock), the call was cancelled, the server stopped. The
    # call's deadline (600 s) never came: the grace period cut it. Speed is not asserted here.
    waiting = log.index("shutting down: waiting up to 2s for 1 request(s) in flight")
    cancelled = log.index("grace period over: cancelling 1 request(s)")
    assert waiting < cancelled < log.index("mcp-kubectl stopped")
    assert _logged_at(log, cancelled) - _logged_at(log, waiting) >= timedelta(seconds=grace - 0.01)
    assert "Timeout" not in log[cancelled:]


@pytest.mark.emulator_only(reason="fault injection (a hung or slow API server) exists only in the emulator")
@pytest.mark.parametrize("transport", ["http", "sse"])
def test_sigterm_lets_a_slow_call_finish(cluster: Cluster, emulator: Any, transport: str, tmp_path: Path) -> None:
    namespace = cluster.new_namespace(f"slow-{transport}")
    cluster.kubectl("create", "configmap", "settings", "-n", namespace, "--from-literal=mode=slow")
    with _http_server(cluster, transport, "--shutdown-grace=20", cache_dir=tmp_path) as server:
        server.ok("list_resources", {"kind": "namespaces"})
        emulator.faults.latency(f"/api/v1/namespaces/{namespace}/", 1.5)
        try:
            pending = server.call_in_background("get_resource", {"kind": "configmaps", "name": "settings", "namespace": namespace})
            assert _wait_for(lambda: kubectl_processes(tmp_path), 10)
            assert server.process is not None
            server.process.send_signal(signal.SIGTERM)
            result = pending.result(timeout=60)
            exit_code = server.process.wait(timeout=60)
            log = server.stderr_text()
        finally:
            emulator.faults.clear()
    assert not result.is_error, result
    assert "slow" in str(result.structured_content)
    # The call finished inside the 20 s grace period: waited for, never cancelled.
    assert exit_code == 0 and "waiting up to 20s for 1 request(s)" in log and "grace period over" not in log
    assert not kubectl_processes(tmp_path)


@pytest.mark.emulator_only(reason="fault injection (a hung or slow API server) exists only in the emulator")
@pytest.mark.parametrize("transport", ["http", "sse"])
def test_a_cancelled_call_over_http_kills_kubectl(cluster: Cluster, emulator: Any, transport: str, tmp_path: Path) -> None:
    namespace = f"cancel-{transport}"
    with _http_server(cluster, transport, "--timeout=60", cache_dir=tmp_path) as server:
        server.ok("list_resources", {"kind": "namespaces"})
        emulator.faults.hang(f"/api/v1/namespaces/{namespace}/")
        try:
            abandoned = server.call_and_abandon("get_resource", {"kind": "configmaps", "name": "x", "namespace": namespace}, after_s=1.0)
            assert abandoned
            assert _wait_for(lambda: not kubectl_processes(tmp_path), 5), "kubectl outlived its cancelled call"
        finally:
            emulator.faults.clear()
        server.ok("list_resources", {"kind": "namespaces"})  # and the server carries on


# ---------------------------------------------------------------- the in-cluster manifests

DEPLOY = Path(__file__).resolve().parents[2] / "fixtures" / "deploy"


def _stored(cluster: Cluster, api_version: str, kind: str, name: str, namespace: str | None) -> dict[str, Any] | None:
    """The object as the API server keeps it, or None: read with bare kubectl, on either target."""
    group, _, version = api_version.rpartition("/")
    resource = f"{kind}.{version}.{group}" if group else kind
    args = ["get", resource, name, "--ignore-not-found", "-o", "json", *(["-n", namespace] if namespace else [])]
    out = cluster.kubectl(*args).stdout.strip()
    return json.loads(out) if out else None


def _deploy_documents() -> dict[str, dict[str, Any]]:
    import yaml

    documents: dict[str, dict[str, Any]] = {}
    for path in sorted(DEPLOY.glob("*.yaml")):
        for document in yaml.safe_load_all(path.read_text()):
            documents[document["kind"]] = document
    return documents


def test_in_cluster_manifests_apply(cluster: Cluster) -> None:
    cluster.kubectl("apply", "-f", str(DEPLOY))
    cluster.kubectl("apply", "--server-side", "--dry-run=server", "-f", str(DEPLOY))
    documents = _deploy_documents()
    for kind, api_version in [
        ("Namespace", "v1"),
        ("ServiceAccount", "v1"),
        ("ClusterRole", "rbac.authorization.k8s.io/v1"),
        ("ClusterRoleBinding", "rbac.authorization.k8s.io/v1"),
        ("Deployment", "apps/v1"),
        ("Service", "v1"),
    ]:
        meta = documents[kind]["metadata"]
        stored = _stored(cluster, api_version, kind, meta["name"], meta.get("namespace"))
        assert stored is not None, f"{kind} {meta['name']} was not created"
        if kind == "Deployment":
            container = stored["spec"]["template"]["spec"]["containers"][0]
            assert container["args"] == documents[kind]["spec"]["template"]["spec"]["containers"][0]["args"]


def test_in_cluster_manifests_fit_together() -> None:
    documents = _deploy_documents()
    account, role, binding = documents["ServiceAccount"], documents["ClusterRole"], documents["ClusterRoleBinding"]
    deployment, service = documents["Deployment"], documents["Service"]
    pod = deployment["spec"]["template"]
    # Read-only, everywhere.
    assert {verb for rule in role["rules"] for verb in rule["verbs"]} <= {"get", "list", "watch"}
    assert binding["roleRef"]["name"] == role["metadata"]["name"]
    assert binding["subjects"] == [{"kind": "ServiceAccount", "name": account["metadata"]["name"], "namespace": account["metadata"]["namespace"]}]
    assert pod["spec"]["serviceAccountName"] == account["metadata"]["name"]
    # The Service reaches the pods, on the port the server listens on, and probes hit /healthz.
    assert service["spec"]["selector"].items() <= pod["metadata"]["labels"].items()
    container = pod["spec"]["containers"][0]
    assert container["ports"][0]["containerPort"] == 8000 and "--port=8000" in container["args"]
    assert container["readinessProbe"]["httpGet"]["path"] == "/healthz"
    # The server's grace period ends before the kubelet's SIGKILL.
    grace = float(next(a for a in container["args"] if a.startswith("--shutdown-grace=")).split("=", 1)[1])
    assert grace < pod["spec"]["terminationGracePeriodSeconds"]
    # The token file comes from the mounted Secret.
    token_arg = next(a for a in container["args"] if a.startswith("--auth-token-file="))
    mount = next(m for m in container["volumeMounts"] if m["name"] == "token")
    assert token_arg.split("=", 1)[1].startswith(mount["mountPath"] + "/")


def test_the_deployments_arguments_are_accepted(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    container = _deploy_documents()["Deployment"]["spec"]["template"]["spec"]["containers"][0]
    token_file = tmp_path / "token"
    token_file.write_text(TOKEN)
    args = [f"--auth-token-file={token_file}" if a.startswith("--auth-token-file=") else a for a in container["args"]]
    started: list[Settings] = []
    monkeypatch.setattr("mcp_kubectl.transport.launch.serve", lambda settings, **_: started.append(settings))
    result = CliRunner().invoke(cli, args, env={"MCP_KUBECTL_AUTH_TOKEN": None})
    assert result.exit_code == 0, result.output
    (settings,) = started
    assert settings.transport == "http" and settings.host == "0.0.0.0" and settings.auth_token == TOKEN
    policy = HostPolicy.from_settings(settings)
    assert policy.host_allowed("mcp-kubectl.mcp-kubectl.svc:8000") and not policy.host_allowed("evil.example:8000")


def test_stateless_mode_serves_without_sessions(cluster: Cluster) -> None:
    with _http_server(cluster, "http", "--stateless") as server:
        assert server.ok("list_resources", {"kind": "namespaces"})
        response = _raw(server, {"Authorization": f"Bearer {TOKEN}"})
        assert response.status_code == 200
        assert "mcp-session-id" not in response.headers  # nothing to pin a client to one replica


def test_stateless_is_for_streamable_http_only(offline_cluster: Cluster) -> None:
    server = McpServerProcess(offline_cluster, "--transport=sse", "--stateless", f"--port={free_port()}")
    done = subprocess.run(server.server_argv(), env=server.server_env(), capture_output=True, text=True, timeout=30)
    assert done.returncode == 2 and "--stateless applies to --transport http only" in done.stderr


def test_the_readme_shows_the_same_manifests() -> None:
    readme = (DEPLOY.parent.parent / "README.md").read_text()
    for name in ("10-serviceaccount.yaml", "20-clusterrole.yaml", "30-deployment.yaml", "40-service.yaml"):
        assert f"```yaml\n{(DEPLOY / name).read_text()}```" in readme, f"README's copy of {name} differs from fixtures/deploy"


# ---------------------------------------------------------------- stateless mode and --confirm-writes


def test_stateless_confirm_writes_never_writes_without_asking(cluster: Cluster) -> None:
    """Without sessions the older protocol cannot ask mid-call: the write is refused, not done."""
    from mcp import Client
    from mcp.client.streamable_http import streamable_http_client
    from mcp_types import ElicitResult

    async def approve(context: Any, params: Any) -> ElicitResult:
        return ElicitResult(action="accept", content={"confirm": True})

    async def create(url: str, mode: str, name: str) -> Any:
        async with httpx2.AsyncClient(headers={"Authorization": f"Bearer {TOKEN}"}, timeout=30) as http:
            async with Client(streamable_http_client(url, http_client=http), mode=mode, elicitation_callback=approve) as client:
                manifest = f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\n  namespace: default\n"
                return await client.call_tool("create_resource", {"manifest": manifest})

    with _http_server(cluster, "http", "--stateless", "--enable-create", "--confirm-writes") as server:
        legacy = anyio.run(create, f"{server.url}/mcp", "legacy", "stateless-legacy")
        modern = anyio.run(create, f"{server.url}/mcp", "auto", "stateless-modern")
    assert legacy.is_error and "ConfirmationRefused" in "".join(getattr(b, "text", "") for b in legacy.content)
    assert _stored(cluster, "v1", "ConfigMap", "stateless-legacy", "default") is None
    assert not modern.is_error  # the newest protocol asks through input-required rounds instead
    assert _stored(cluster, "v1", "ConfigMap", "stateless-modern", "default") is not None


# ---------------------------------------------------------------- in a pod: the ServiceAccount, no kubeconfig


def _can_fake_a_pod() -> bool:
    """Faking /var/run/secrets needs a private mount namespace (root and unshare)."""
    import shutil

    if os.geteuid() != 0 or shutil.which("unshare") is None:
        return False
    probe = subprocess.run(["unshare", "--mount", "--propagation", "private", "true"], capture_output=True, timeout=10)
    return probe.returncode == 0


@pytest.mark.emulator_only(reason="mounts a token the emulator issues for a ServiceAccount (its internals)")
def test_in_a_pod_kubectl_uses_the_service_account(cluster: Cluster, emulator: Any, tmp_path: Path) -> None:
    """No --kubeconfig, no ~/.kube/config: kubectl finds the mounted ServiceAccount token, CA and namespace."""
    import base64

    import yaml

    if not _can_fake_a_pod():
        pytest.skip("needs root and unshare to mount a fake /var/run/secrets/kubernetes.io/serviceaccount")
    namespace = cluster.new_namespace("pod")
    cluster.kubectl("create", "configmap", "from-the-pod", "-n", namespace, "--from-literal=seen=yes")
    config = yaml.safe_load(cluster.kubeconfig.read_text())
    server = urlsplit(config["clusters"][0]["cluster"]["server"])
    account = tmp_path / "serviceaccount"
    account.mkdir()
    (account / "token").write_text(config["users"][0]["user"]["token"])
    (account / "ca.crt").write_bytes(base64.b64decode(config["clusters"][0]["cluster"]["certificate-authority-data"]))
    (account / "namespace").write_text(namespace)
    home = tmp_path / "home"  # no .kube/config here
    home.mkdir()
    port = free_port()
    script = (
        "mount -t tmpfs tmpfs /run && mkdir -p /run/secrets/kubernetes.io && "
        'cp -r "$1" /run/secrets/kubernetes.io/serviceaccount && shift && exec "$@"'
    )
    argv = [
        "unshare", "--mount", "--propagation", "private", "sh", "-c", script, "sh", str(account),
        sys.executable, "-m", "mcp_kubectl", "--transport=http", f"--port={port}",
        f"--kubectl={cluster.kubectl_path}", f"--cache-dir={tmp_path / 'cache'}",
    ]  # fmt: skip
    env = {
        "PATH": os.environ.get("PATH", os.defpath),
        "HOME": str(home),
        "KUBERNETES_SERVICE_HOST": server.hostname or "127.0.0.1",
        "KUBERNETES_SERVICE_PORT": str(server.port),
        "MCP_KUBECTL_AUTH_TOKEN": TOKEN,
    }
    log = tmp_path / "server.log"
    with log.open("wb") as stderr:
        process = subprocess.Popen(argv, env=env, stderr=stderr)
        try:
            assert _wait_for(lambda: _listening(port) or process.poll() is not None, 30) and process.poll() is None, log.read_text()

            async def call() -> Any:
                from mcp import Client
                from mcp.client.streamable_http import streamable_http_client

                async with httpx2.AsyncClient(headers={"Authorization": f"Bearer {TOKEN}"}, timeout=30) as http:
                    async with Client(streamable_http_client(f"http://127.0.0.1:{port}/mcp", http_client=http)) as client:
                        # No namespace given: the pod's own namespace (from the mounted file) is the default.
                        return await client.call_tool("get_resource", {"kind": "configmaps", "name": "from-the-pod"})

            result = anyio.run(call)
        finally:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=15)
    assert not result.is_error, "".join(getattr(b, "text", "") for b in result.content)
    assert result.structured_content["metadata"]["namespace"] == namespace
    assert process.returncode == 0


def _listening(port: int) -> bool:
    import socket

    with socket.socket() as sock:
        sock.settimeout(0.2)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def test_a_port_in_use_is_a_clear_startup_error(offline_cluster: Cluster) -> None:
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        server = McpServerProcess(offline_cluster, "--transport=http", f"--port={port}")
        done = subprocess.run(server.server_argv(), env=server.server_env(), capture_output=True, text=True, timeout=30)
    assert done.returncode == 2
    assert f"could not listen on 127.0.0.1:{port}" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.emulator_only(reason="fault injection (a hung or slow API server) exists only in the emulator")
def test_stateless_cancellation_kills_kubectl_on_the_newest_protocol(cluster: Cluster, emulator: Any, tmp_path: Path) -> None:
    with _http_server(cluster, "http", "--stateless", "--timeout=60", cache_dir=tmp_path) as server:
        server.ok("list_resources", {"kind": "namespaces"})
        emulator.faults.hang("/api/v1/namespaces/cancel-stateless/")
        try:
            assert server.call_and_abandon("get_resource", {"kind": "configmaps", "name": "x", "namespace": "cancel-stateless"}, after_s=1.0)
            assert _wait_for(lambda: not kubectl_processes(tmp_path), 5), "kubectl outlived its cancelled call"
        finally:
            emulator.faults.clear()


# ---------------------------------------------------------------- hostile Host and Origin headers (issue 10 item 11)

HOSTILE_HOSTS = [
    "127.0.0.1:8000@evil.example",
    "127.0.0.1@evil.example",
    "localhost:8000@evil.example:8000",
    "evil.example@127.0.0.1",
    "127.0.0.1:8000:9000",
    "127.0.0.1:",
    "127.0.0.1:port",
    "127.0.0.1:+8000",
    "127.0.0.1:-1",
    "127.0.0.1:99999",
    "127.0.0.1:0",
    "127.0.0.1: 8000",
    "127.0.0.1 evil.example",
    "127.0.0.1\tevil.example",
    "127.0.0.1/evil.example",
    "127.0.0.1\\evil.example",
    "127.0.0.1#evil.example",
    "127.0.0.1?evil.example",
    "127.0.0.1%00evil.example",
    "127.0.0.1,evil.example",
    "localhost.",
    ".localhost",
    "localhost..",
    "localhost_evil",
    "[::1",
    "::1",
    "[::1]evil.example",
    "[::1]:8000@evil.example",
    "[::1%25eth0]",
    "127.0.0.1.evil.example",
    "localhost.evil.example",
    "evil.example",
    "2130706433",
    "0x7f.0.0.1",
    "127.1",
    "xn--lcalhost-zxa",
]


@pytest.mark.parametrize("host", HOSTILE_HOSTS)
def test_hostile_host_headers_are_refused(host: str) -> None:
    for policy in (DEFAULT, CONFIGURED):
        assert policy.host_allowed(host) is False, host
    guard = RequestGuard(_echo_app, policy=DEFAULT, token=None)
    assert _request(guard, "POST", "/mcp", {"Host": host}).status_code == 421, host


@pytest.mark.parametrize("host", ["127.0.0.1:8000", "127.0.0.1", "LocalHost:65535", "[::1]", "[::1]:1", "localhost:1"])
def test_exact_loopback_host_headers_pass(host: str) -> None:
    assert DEFAULT.host_allowed(host) is True


HOSTILE_ORIGINS = [
    "http://127.0.0.1:8000@evil.example",
    "http://localhost@evil.example",
    "http://user@localhost",
    "http://user:pass@127.0.0.1:8000",
    "http://localhost?@evil.example",
    "http://localhost#@evil.example",
    "http://localhost/path",
    "http://localhost:8000/mcp",
    "http://localhost.",
    "http://localhost:99999",
    "http://localhost:port",
    "http://localhost:",
    "http://localhost\\@evil.example",
    "http://[::1",
    "http://::1",
    "http://127.0.0.1.evil.example",
    "http://evil.example:*",
    "https://evil.example",
    "file://localhost",
    "localhost",
    "//localhost",
    "http:/localhost",
    "null",
    "http://127.0.0.1 evil.example",
]


@pytest.mark.parametrize("origin", HOSTILE_ORIGINS)
def test_hostile_origins_are_refused(origin: str) -> None:
    for policy in (DEFAULT, CONFIGURED):
        assert policy.origin_allowed(origin) is False, origin
    guard = RequestGuard(_echo_app, policy=DEFAULT, token=None)
    assert _request(guard, "POST", "/mcp", {"Origin": origin}).status_code == 403, origin


@pytest.mark.parametrize("value", ["mcp.example.com@evil.example", "mcp.example.com:80:80", "mcp example.com", "http://mcp.example.com", "mcp.example.com:http", "", "[evil.example]", "[::1"])
def test_an_allowed_host_that_is_not_a_host_is_refused_at_start(value: str) -> None:
    with pytest.raises(SetupError, match="--allowed-hosts"):
        check_exposure(Settings(transport="http", allowed_hosts=(value,)))


# ---------------------------------------------------------------- OAuth discovery paths (issue 13 item 5)

WELL_KNOWN = ["/.well-known/oauth-protected-resource", "/.well-known/oauth-authorization-server", "/.well-known/openid-configuration", "/.well-known/oauth-protected-resource/mcp"]


@pytest.mark.parametrize("path", WELL_KNOWN)
def test_oauth_discovery_paths_are_not_found(path: str) -> None:
    guard = RequestGuard(_echo_app, policy=HostPolicy(), token=TOKEN)
    response = _request(guard, "GET", path, {})
    assert response.status_code == 404
    assert "www-authenticate" not in response.headers
    assert _request(guard, "GET", path, {"Host": "evil.example"}).status_code == 421  # the Host check still comes first
    assert _request(guard, "GET", "/mcp", {}).status_code == 401  # everything else still needs the token


def test_a_real_server_answers_404_on_oauth_discovery(guarded: McpServerProcess) -> None:
    for path in WELL_KNOWN[:3]:
        response = httpx2.get(f"{guarded.url}{path}", timeout=10)
        assert response.status_code == 404, path


# ---------------------------------------------------------------- resumable SSE streams (issue 13 item 5)


def test_the_event_store_replays_one_stream_after_an_id() -> None:
    from mcp_kubectl.transport.http_app import MemoryEventStore

    async def go() -> None:
        store = MemoryEventStore(max_events=5)
        first = await store.store_event("a", None)
        ids = [await store.store_event(stream, {"n": n}) for n, stream in enumerate(["a", "b", "a"])]
        assert len(set([first, *ids])) == 4 and all(len(event_id) >= 16 for event_id in ids)
        replayed: list[Any] = []

        async def collect(event: Any) -> None:
            replayed.append((event.event_id, event.message))

        assert await store.replay_events_after(first, collect) == "a"
        assert replayed == [(ids[0], {"n": 0}), (ids[2], {"n": 2})]  # not stream b's, not the priming event
        assert await store.replay_events_after("made-up", collect) is None
        for n in range(5):
            await store.store_event("c", {"n": n})
        replayed.clear()
        assert await store.replay_events_after(first, collect) is None  # forgotten: the store is bounded

    anyio.run(go)


def test_streamable_http_events_carry_ids(offline_cluster: Cluster) -> None:
    with McpServerProcess(offline_cluster, transport="http", env={"MCP_KUBECTL_AUTH_TOKEN": TOKEN}) as server:
        body = {
            "jsonrpc": "2.0",
            "id": 1,
            "method": "initialize",
            "params": {"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "raw", "version": "0"}},
        }
        headers = {"Accept": "application/json, text/event-stream", "Content-Type": "application/json", "Authorization": f"Bearer {TOKEN}"}
        response = httpx2.post(f"{server.url}/mcp", json=body, headers=headers, timeout=10)
        assert response.status_code == 200 and response.headers["content-type"].startswith("text/event-stream")
        ids = [line[3:].strip() for line in response.text.splitlines() if line.startswith("id:")]
        assert ids and all(ids), response.text
        assert '"result"' in response.text
