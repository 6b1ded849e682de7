"""The quick start's demo: a real session against the built-in emulator."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def test_demo_session_runs_every_call_as_expected() -> None:
    env = dict(os.environ)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"  # the pinned kubectl first
    done = subprocess.run([sys.executable, "-m", "mcp_kubectl", "demo"], capture_output=True, text=True, timeout=120, env=env)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "every call answered as expected" in done.stdout
    assert "CrashLoopBackOff" in done.stdout  # the summary table shows the crash-looping pod
    assert "<redacted:" in done.stdout  # and the Secret's values never appear
    assert "Traceback" not in done.stderr
