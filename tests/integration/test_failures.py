"""Failures a user meets: a hung API server, a cancelled call, a missing kubectl, a broken kubeconfig."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from harness import Cluster, McpServerProcess, kubectl_processes


@pytest.fixture(scope="module")
def impatient(cluster: Cluster, emulator) -> McpServerProcess:
    """A server with a short deadline, so a hung API server is noticed quickly."""
    with McpServerProcess(cluster, "--timeout=2") as server:
        server.ok("get_api_resources")  # discovery cached before faults are injected
        yield server


def test_hung_api_server_gives_timeout_within_the_deadline(impatient: McpServerProcess, emulator) -> None:
    emulator.faults.hang("/api/v1/namespaces/hung/")
    try:
        answer = impatient.fails("get_resource", {"kind": "configmaps", "name": "x", "namespace": "hung"}, reason="Timeout")
    finally:
        emulator.faults.clear()
    # The server's deadline ended the call (a hang would end in the client's own, much longer wait,
    # not in a Timeout answer); how soon after 2 s is load's business, not asserted.
    assert "kubectl did not answer within 2s and was stopped" in answer.text
    assert answer.data["error"]["hint"]
    assert kubectl_processes(impatient.cluster.cache_dir) == []


def test_server_error_is_reported_not_crashed(impatient: McpServerProcess, emulator) -> None:
    emulator.faults.error_500("/api/v1/namespaces/broken/")
    try:
        answer = impatient.fails("get_resource", {"kind": "configmaps", "name": "x", "namespace": "broken"})
    finally:
        emulator.faults.clear()
    assert answer.reason == "InternalError"  # the API server's own Status reason, not a generic failure
    assert "injected fault" in answer.text
    # The server is still healthy afterwards.
    impatient.ok("list_resources", {"kind": "namespaces"})


def test_cancellation_kills_kubectl(impatient: McpServerProcess, emulator) -> None:
    emulator.faults.hang("/api/v1/namespaces/cancel-me/")
    try:
        abandoned = impatient.call_and_abandon("get_resource", {"kind": "configmaps", "name": "x", "namespace": "cancel-me"}, after_s=0.8)
        assert abandoned
        deadline = time.monotonic() + 3
        while kubectl_processes(impatient.cluster.cache_dir) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert kubectl_processes(impatient.cluster.cache_dir) == []
    finally:
        emulator.faults.clear()
    impatient.ok("list_resources", {"kind": "namespaces"})


def mcp_kubectl(*args: str) -> subprocess.CompletedProcess[str]:
    """The real command line, as a user runs it (stdin closed: a serve that starts would end at once)."""
    return subprocess.run(
        [sys.executable, "-m", "mcp_kubectl", *args], capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL
    )


def test_missing_kubectl_is_a_clear_startup_error(cluster: Cluster) -> None:
    done = mcp_kubectl("--kubectl=/nonexistent/kubectl", f"--kubeconfig={cluster.kubeconfig}")
    assert done.returncode == 2
    assert "KubectlMissing" in done.stderr and "/nonexistent/kubectl" in done.stderr
    assert "Traceback" not in done.stderr
    assert done.stdout == ""


def test_broken_kubeconfig_is_a_clear_startup_error(tmp_path: Path, cluster: Cluster) -> None:
    broken = tmp_path / "config"
    broken.write_text("apiVersion: v1\nclusters: [\n")
    done = mcp_kubectl(f"--kubectl={cluster.kubectl_path}", f"--kubeconfig={broken}")
    assert done.returncode == 2
    assert "KubeconfigError" in done.stderr and "not valid YAML" in done.stderr
    assert "Traceback" not in done.stderr


def test_missing_kubeconfig_file_is_a_clear_startup_error(tmp_path: Path, cluster: Cluster) -> None:
    done = mcp_kubectl(f"--kubectl={cluster.kubectl_path}", f"--kubeconfig={tmp_path / 'nope'}")
    assert done.returncode == 2 and "does not exist" in done.stderr


def test_unreachable_cluster_is_typed(tmp_path: Path, cluster: Cluster) -> None:
    kubeconfig = tmp_path / "config"
    kubeconfig.write_text(
        "apiVersion: v1\nkind: Config\ncurrent-context: dead\n"
        "clusters: [{name: dead, cluster: {server: 'http://127.0.0.1:9'}}]\n"
        "contexts: [{name: dead, context: {cluster: dead, user: u}}]\nusers: [{name: u, user: {token: t}}]\n"
    )
    dead = Cluster(kubeconfig=kubeconfig, cache_dir=tmp_path / "cache", emulator=None)
    with McpServerProcess(dead, "--timeout=5") as server:
        answer = server.fails("get_resource", {"kind": "pods", "name": "x"})
        assert answer.reason == "Unreachable", answer.text


def test_check_reports_a_working_setup(cluster: Cluster) -> None:
    done = mcp_kubectl("check", f"--kubectl={cluster.kubectl_path}", f"--kubeconfig={cluster.kubeconfig}", "--enable-create")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "API server" in done.stdout and "reachable" in done.stdout
    assert "create_resource" in done.stdout and "delete_resource" not in done.stdout


def test_check_fails_clearly_on_an_unknown_context(cluster: Cluster) -> None:
    done = mcp_kubectl("check", f"--kubectl={cluster.kubectl_path}", f"--kubeconfig={cluster.kubeconfig}", "--context=nope")
    assert done.returncode == 1
    assert "FAIL context 'nope' not found" in done.stdout
