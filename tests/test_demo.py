"""The quick start's demo: a real session against the built-in emulator."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from harness import pinned_kubectl
from mcp_kubectl.cli import cli


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
