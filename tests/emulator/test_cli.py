"""The command line: `python -m mcp_kubectl.emulator` writes a kubeconfig once ready, logs requests, exits 0 on SIGINT."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.emulator.conftest import FIXTURES, PINNED_KUBECTL


def start(tmp_path: Path, *extra: str) -> tuple[subprocess.Popen[str], Path]:
    kubeconfig = tmp_path / "kubeconfig"
    proc = subprocess.Popen(
        [sys.executable, "-m", "mcp_kubectl.emulator", "--kubeconfig-out", str(kubeconfig), *extra],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    deadline = time.monotonic() + 20
    while not kubeconfig.exists():
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, "no kubeconfig written"
        time.sleep(0.05)
    return proc, kubeconfig


def kubectl(kubeconfig: Path, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(PINNED_KUBECTL), "--kubeconfig", str(kubeconfig), "--cache-dir", str(tmp_path / "cache"), *args],
                          capture_output=True, text=True, timeout=60, check=False)


@pytest.mark.parametrize("stop_signal", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_cli_serves_until_interrupted(tmp_path: Path, stop_signal: signal.Signals) -> None:
    proc, kubeconfig = start(tmp_path, "--seed", str(FIXTURES), "--pods", "25")
    try:
        pods = kubectl(kubeconfig, tmp_path, "get", "pods", "-n", "default", "-o", "name")
        assert pods.returncode == 0, pods.stderr
        assert len(pods.stdout.splitlines()) == 25
        seeded = kubectl(kubeconfig, tmp_path, "get", "deployment", "web", "-n", "shop", "-o", "name")
        assert seeded.stdout.strip() == "deployment.apps/web"
    finally:
        proc.send_signal(stop_signal)
        _, stderr = proc.communicate(timeout=15)
    assert proc.returncode == 0
    assert "GET /api/v1/namespaces/default/pods?limit=500 user=admin status=200" in stderr


def test_cli_http_and_fixed_port(tmp_path: Path) -> None:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    proc, kubeconfig = start(tmp_path, "--http", "--port", str(port))
    try:
        assert f"server: http://127.0.0.1:{port}" in kubeconfig.read_text()
        result = kubectl(kubeconfig, tmp_path, "get", "namespaces", "-o", "name")
        assert result.returncode == 0, result.stderr
        assert "namespace/default" in result.stdout.splitlines()
    finally:
        proc.send_signal(signal.SIGINT)
        proc.communicate(timeout=15)
    assert proc.returncode == 0
