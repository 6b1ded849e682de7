"""Shared fixtures: one cluster per target and test session, and real mcp-kubectl servers over a real MCP client.

Targets: the integration suites marked `both_targets` run once against the emulator and once against
a real API server ("real": the cluster MCP_KUBECTL_TEST_KUBECONFIG names, else the control plane
tests/real_cluster.py starts from its cached build). A test that cannot run on a control plane
without kubelets says why with `@pytest.mark.emulator_only(reason=...)`. Other suites use the
emulator. `MCP_KUBECTL_TEST_TARGETS=emulator` (or `real`) narrows the run. With CI=true a real target
that cannot start fails the run; elsewhere, without a build, its tests are skipped with the reason.

Suites marked `all_transports` run once per
transport: stdio, streamable HTTP and legacy SSE. Everywhere else servers speak stdio.
`MCP_KUBECTL_TEST_TRANSPORTS=stdio` narrows the run (e.g. against a slow real cluster).
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable, Iterator
from contextlib import ExitStack

import pytest

import binaries
from harness import REAL_KUBECONFIG_ENV, Cluster, McpServerProcess, selected_targets, start_cluster

ALL_TRANSPORTS = ("stdio", "http", "sse")
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


def pytest_configure(config: pytest.Config) -> None:
    for marker in (
        "both_targets: an integration suite run against the emulator and a real control plane",
        "emulator_only(reason): runs against the emulator only; the reason says why",
        "all_transports: servers speak stdio, streamable HTTP and legacy SSE in turn",
        "stdio_only(reason): in an all_transports suite, stdio only; the reason says why",
    ):
        config.addinivalue_line("markers", marker)


def _reasoned(metafunc: pytest.Metafunc, name: str) -> pytest.Mark | None:
    mark = next(metafunc.definition.iter_markers(name), None)
    if mark is not None and not mark.kwargs.get("reason"):
        raise pytest.UsageError(f"{metafunc.definition.nodeid}: {name} needs reason=...")
    return mark


def _targets(metafunc: pytest.Metafunc) -> tuple[str, ...]:
    only = _reasoned(metafunc, "emulator_only")
    if metafunc.definition.get_closest_marker("both_targets") is None or only is not None:
        return tuple(t for t in selected_targets() if t == "emulator")
    return selected_targets()


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Run `both_targets` suites once per target, and `all_transports` suites once per transport."""
    if "cluster" in metafunc.fixturenames:
        metafunc.parametrize("target", _targets(metafunc), indirect=True, scope="session")
    if _reasoned(metafunc, "stdio_only") is not None:
        return
    if metafunc.definition.get_closest_marker("all_transports") and {"reader", "writer", "server_factory"} & set(metafunc.fixturenames):
        metafunc.parametrize("transport", _transports(), indirect=True)


def pytest_runtest_setup(item: pytest.Item) -> None:
    """`kubectl132` tests need kubectl 1.32.3 (`python tests/binaries.py install kubectl-1.32.3`):
    skipped without it on a developer's machine, failed in CI (CI=true), where .ci/run installs it."""
    if item.get_closest_marker("kubectl132") and not binaries.installed(binaries.KUBECTL_132):
        missing = f"{binaries.path(binaries.KUBECTL_132)} is missing: run `python tests/binaries.py install {binaries.KUBECTL_132}`"
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must run the kubectl 1.32 leg: {missing}", pytrace=False)
        pytest.skip(missing)


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
def target(request: pytest.FixtureRequest) -> str:
    """"emulator" or "real" (parametrized by pytest_generate_tests)."""
    return getattr(request, "param", "emulator")


@pytest.fixture(scope="session")
def cluster(target: str) -> Iterator[Cluster]:
    """The emulator, or the real target (see the module docstring)."""
    with ExitStack() as stack:
        if target == "real":
            _real_target_available()
        yield start_cluster(stack, target)


def _real_target_available() -> None:
    """Skip the real target where nothing was built, unless this is CI: there, a missing plane fails."""
    if os.environ.get(REAL_KUBECONFIG_ENV) or os.environ.get("CI") == "true":
        return
    import real_cluster

    try:
        built = real_cluster.is_built()
    except (OSError, RuntimeError, subprocess.CalledProcessError) as err:
        pytest.skip(f"no real control plane (Go toolchain: {err}); build it with `python tests/real_cluster.py build`")
    if not built:
        pytest.skip(f"no real control plane: run `python tests/real_cluster.py build` or set {REAL_KUBECONFIG_ENV}")


@pytest.fixture(scope="session")
def emulator(cluster: Cluster):  # type: ignore[no-untyped-def]
    """The emulator itself, for tests that need its internals (faults, direct reads)."""
    if not cluster.is_emulator:
        pytest.fail("this test uses the emulator's internals on the real target: mark it emulator_only(reason=...)")
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
    """The transport this test's servers speak: parametrized in `all_transports` suites, else stdio."""
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
