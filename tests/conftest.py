"""Shared fixtures: one cluster per test session, and real mcp-kubectl servers over a real MCP client.

The server issue's integration suite (the modules in TRANSPORT_SUITES) runs once per
transport: stdio, streamable HTTP and legacy SSE. Everywhere else servers speak stdio.
`MCP_KUBECTL_TEST_TRANSPORTS=stdio` narrows the run (e.g. against a slow real cluster).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import ExitStack

import pytest

from harness import Cluster, McpServerProcess, start_cluster

ALL_TRANSPORTS = ("stdio", "http", "sse")
TRANSPORT_SUITES = frozenset({"test_tools"})
# Tests that start a server per case and prove nothing transport-specific: stdio only, to stay fast.
STDIO_ONLY = frozenset({"test_each_flag_adds_exactly_its_tool", "test_check_lists_exactly_what_the_server_registers"})
# HTTP servers in tests require this token, so every run also proves the client presents it.
TEST_AUTH_TOKEN = "test-token-0f1e2d3c4b5a"


def _transports() -> tuple[str, ...]:
    wanted = os.environ.get("MCP_KUBECTL_TEST_TRANSPORTS")
    if not wanted:
        return ALL_TRANSPORTS
    chosen = tuple(t.strip() for t in wanted.split(",") if t.strip())
    unknown = set(chosen) - set(ALL_TRANSPORTS)
    if unknown:
        raise pytest.UsageError(f"MCP_KUBECTL_TEST_TRANSPORTS: unknown transports {sorted(unknown)}")
    return chosen


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Run the integration suite's tests once per transport."""
    module = metafunc.module.__name__.rpartition(".")[2]
    if metafunc.function.__name__ in STDIO_ONLY:
        return
    if module in TRANSPORT_SUITES and {"reader", "writer", "server_factory"} & set(metafunc.fixturenames):
        metafunc.parametrize("transport", _transports(), indirect=True)


class _CurrentTransport:
    """The transport the running test's servers speak (set by an autouse fixture)."""

    name = "stdio"


class _ServerPool:
    """Servers cached per (transport, flags)."""

    def __init__(self, cluster: Cluster, stack: ExitStack) -> None:
        self.cluster = cluster
        self.stack = stack
        self.servers: dict[tuple[str, tuple[str, ...]], McpServerProcess] = {}

    def start(self, *flags: str, transport: str | None = None) -> McpServerProcess:
        chosen = transport or _CurrentTransport.name
        key = (chosen, tuple(flags))
        if key not in self.servers:
            env = {"MCP_KUBECTL_AUTH_TOKEN": TEST_AUTH_TOKEN} if chosen != "stdio" else None
            self.servers[key] = self.stack.enter_context(McpServerProcess(self.cluster, *flags, transport=chosen, env=env))
        return self.servers[key]


@pytest.fixture(scope="session")
def cluster() -> Iterator[Cluster]:
    """The emulator, or the real cluster named by MCP_KUBECTL_TEST_KUBECONFIG."""
    with ExitStack() as stack:
        yield start_cluster(stack)


@pytest.fixture(scope="session")
def emulator(cluster: Cluster):  # type: ignore[no-untyped-def]
    """The emulator itself, for tests that need its request log or faults; skipped on a real cluster."""
    if not cluster.is_emulator:
        pytest.skip("needs the emulator (request log, faults)")
    return cluster.emulator


@pytest.fixture(scope="session")
def _server_pool(cluster: Cluster) -> Iterator[_ServerPool]:
    with ExitStack() as stack:
        yield _ServerPool(cluster, stack)


@pytest.fixture(scope="session")
def server_factory(_server_pool: _ServerPool) -> Callable[..., McpServerProcess]:
    """Start (and cache) one server per distinct set of flags (and transport) for the whole session.

    `server_factory(*flags, transport=None)`: without `transport`, the current test's.
    """
    return _server_pool.start


@pytest.fixture
def transport(request: pytest.FixtureRequest) -> str:
    """The transport this test's servers speak: parametrized in TRANSPORT_SUITES, else stdio."""
    return getattr(request, "param", "stdio")


@pytest.fixture(autouse=True)
def _servers_speak(transport: str) -> Iterator[None]:
    """Point `server_factory` at this test's transport; back to stdio afterwards, for module fixtures."""
    _CurrentTransport.name = transport
    yield
    _CurrentTransport.name = "stdio"


@pytest.fixture
def reader(server_factory: Callable[..., McpServerProcess]) -> McpServerProcess:
    """A server with the default flags: reads only."""
    return server_factory()


@pytest.fixture
def writer(server_factory: Callable[..., McpServerProcess]) -> McpServerProcess:
    """A server with every write enabled."""
    return server_factory("--enable-create", "--enable-update", "--enable-delete")
