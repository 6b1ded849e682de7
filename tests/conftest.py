"""Shared fixtures: one cluster per test session, and real mcp-kubectl servers over a real MCP client."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack

import pytest

from harness import Cluster, McpServerProcess, start_cluster


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
def server_factory(cluster: Cluster) -> Iterator[Callable[..., McpServerProcess]]:
    """Start (and cache) one server per distinct set of flags for the whole session."""
    servers: dict[tuple[str, ...], McpServerProcess] = {}
    with ExitStack() as stack:

        def start(*flags: str) -> McpServerProcess:
            key = tuple(flags)
            if key not in servers:
                servers[key] = stack.enter_context(McpServerProcess(cluster, *flags))
            return servers[key]

        yield start


@pytest.fixture(scope="session")
def reader(server_factory: Callable[..., McpServerProcess]) -> McpServerProcess:
    """A server with the default flags: reads only."""
    return server_factory()


@pytest.fixture(scope="session")
def writer(server_factory: Callable[..., McpServerProcess]) -> McpServerProcess:
    """A server with every write enabled."""
    return server_factory("--enable-create", "--enable-update", "--enable-delete")
