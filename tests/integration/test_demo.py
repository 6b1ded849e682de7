"""The quick start's demo: a real session against the built-in emulator, and its script against each target."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from harness import Cluster, McpServerProcess, pinned_kubectl
from mcp_kubectl.demo import DEMO_NAMESPACE, SCRIPT
from mcp_kubectl.cli import cli

pytestmark = [pytest.mark.both_targets]


def test_demo_session_runs_every_call_as_expected(tmp_path: Path) -> None:
    # No kubectl on PATH (only `diff`, which kubectl diff runs): the demo follows its own hint, --kubectl.
    (tmp_path / "diff").symlink_to(shutil.which("diff") or "/usr/bin/diff")
    env = {**os.environ, "PATH": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-m", "mcp_kubectl", "demo", f"--kubectl={pinned_kubectl()}"],
        capture_output=True, text=True, timeout=120, env=env,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "every call answered as expected" in done.stdout
    assert "CrashLoopBackOff" in done.stdout  # the summary table shows the crash-looping pod
    assert 'last log line: "panic: DB_URL not set"' in done.stdout  # the diagnosis of the broken sample
    assert "<redacted:" in done.stdout  # and the Secret's values never appear
    assert "Traceback" not in done.stderr


def test_the_quick_start_verbatim_on_a_machine_without_kubectl_or_kubeconfig(tmp_path: Path) -> None:
    """README's quick start as a newcomer runs it: the console script `mcp-kubectl demo`, no option,
    no kubectl on PATH, an empty HOME (no ~/.kube/config), no KUBECONFIG. The test extra's pinned
    kubectl beside this Python is found; nothing asks for a cluster or a kubeconfig."""
    script = Path(sys.executable).parent / "mcp-kubectl"
    assert script.is_file(), f"no console script beside {sys.executable}: install with pip install -e '.[test]'"
    bin_dir, home = tmp_path / "bin", tmp_path / "home"
    bin_dir.mkdir()
    home.mkdir()
    (bin_dir / "diff").symlink_to(shutil.which("diff") or "/usr/bin/diff")  # kubectl diff runs it; Debian always has it
    env = {"PATH": str(bin_dir), "HOME": str(home), "LANG": "C.UTF-8"}
    done = subprocess.run([str(script), "demo"], capture_output=True, text=True, timeout=180, env=env, stdin=subprocess.DEVNULL)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert f"kubectl {Path(sys.executable).parent / 'kubectl'}" in done.stdout  # found beside the Python, not on PATH
    assert "every call answered as expected" in done.stdout and "Traceback" not in done.stderr
    assert not (home / ".kube").exists()  # the user's kubeconfig is never written, not even created


def test_demo_without_kubectl_is_a_clean_error_with_a_hint_it_accepts() -> None:
    result = CliRunner().invoke(cli, ["demo", "--kubectl=kubectl-that-is-not-installed"])
    assert result.exit_code == 2, result.output
    assert "KubectlMissing" in result.output and "kubectl-that-is-not-installed" in result.output
    assert "--kubectl" in result.output and "mcp-kubectl check" not in result.output
    assert isinstance(result.exception, SystemExit)  # no traceback
    assert "--kubectl" in CliRunner().invoke(cli, ["demo", "--help"]).output


def test_sigterm_to_demo_keep_removes_the_emulators_directory() -> None:
    argv = [sys.executable, "-m", "mcp_kubectl", "demo", "--keep", f"--kubectl={pinned_kubectl()}"]
    with subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as process:
        try:
            assert process.stdout is not None and process.stderr is not None
            workdir = None
            for line in process.stdout:
                found = re.search(r"--kubeconfig (\S+)", line)
                if "keeps running" in line and found:
                    workdir = Path(found.group(1)).parent
                    break
            assert workdir is not None and workdir.is_dir(), "the demo never said it keeps running"
            process.send_signal(signal.SIGTERM)
            assert process.wait(timeout=30) == 128 + signal.SIGTERM
            assert "Traceback" not in process.stderr.read()
        finally:
            if process.poll() is None:
                process.kill()
    assert not workdir.exists(), f"{workdir} was left behind"


def test_the_demo_script_answers_alike_on_the_target(cluster: Cluster) -> None:
    """The demo's scripted calls, through a real client, against the emulator and the real target,
    seeded alike. Only the container logs differ: no kubelet serves them on a control plane without
    nodes, and there the call must fail with a typed error, not a traceback. The diagnosis calls
    are left out here: they need the broken sample workloads (crash loops, failing images), which
    only the emulator can stage; test_demo_session_runs_every_call_as_expected covers them."""
    cluster.seed_workloads(DEMO_NAMESPACE)
    flags = (f"--namespace={DEMO_NAMESPACE}", "--enable-create", "--enable-update", "--enable-delete")
    script = [(tool, arguments) for tool, arguments in SCRIPT if tool != "diagnose_resource"]
    assert len(script) < len(SCRIPT) and script[-1] == SCRIPT[-1]
    with McpServerProcess(cluster, *flags) as server:
        for index, (tool, arguments) in enumerate(script):
            answer = server.call(tool, arguments)
            logs_without_kubelet = tool == "get_pod_logs" and not cluster.is_emulator
            expect_error = index == len(script) - 1 or logs_without_kubelet  # the last reads the deleted ConfigMap
            assert answer.is_error is expect_error, f"{tool} {arguments}: {answer.text[:500]}"
            assert "Traceback" not in answer.text
            if expect_error:
                assert answer.reason, answer.text[:500]
            if tool == "get_pod_logs" and not logs_without_kubelet:
                assert answer.text.strip()
            if tool == "get_resource" and arguments.get("kind") == "secret":
                assert "<redacted:" in answer.text
