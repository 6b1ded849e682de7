"""No kubeconfig, or none with a current context: said plainly, with the fix, everywhere.

Desktop MCP clients start servers without the shell's environment, so KUBECONFIG set
in a shell profile never arrives. The server still starts (the client shows its
tools), says why it cannot work on stderr, in every tool's error and in `check`.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from harness import Cluster, McpServerProcess
from mcp_kubectl.cluster.kubeconfig import NO_KUBECONFIG_HINT, load_kubeconfig

NO_CURRENT_CONTEXT = (
    "apiVersion: v1\nkind: Config\n"
    "clusters: [{name: c, cluster: {server: 'https://127.0.0.1:9'}}]\n"
    "users: [{name: u, user: {token: x}}]\n"
    "contexts: [{name: first, context: {cluster: c, user: u}}, {name: second, context: {cluster: c, user: u}}]\n"
)


# ---------------------------------------------------------------- the detection itself (pure)


def test_no_file_at_all_is_no_kubeconfig(tmp_path: Path) -> None:
    view = load_kubeconfig(None, {"HOME": str(tmp_path)})
    problem = view.problem(None)
    assert problem is not None and problem.reason == "KubeconfigError"
    assert problem.message.startswith("no kubeconfig:") and str(tmp_path / ".kube" / "config") in problem.message
    assert problem.hint == NO_KUBECONFIG_HINT and "--kubeconfig" in problem.hint and '"env" block' in problem.hint


def test_kubeconfig_naming_only_missing_files_is_no_kubeconfig(tmp_path: Path) -> None:
    listed = f"{tmp_path / 'a'}:{tmp_path / 'b'}"
    problem = load_kubeconfig(None, {"HOME": str(tmp_path), "KUBECONFIG": listed}).problem(None)
    assert problem is not None and "none of" in problem.message and str(tmp_path / "b") in problem.message


def test_a_kubeconfig_without_current_context_names_its_contexts(tmp_path: Path) -> None:
    (tmp_path / "config").write_text(NO_CURRENT_CONTEXT)
    view = load_kubeconfig(tmp_path / "config", {})
    problem = view.problem(None)
    assert problem is not None and "has no current context" in problem.message
    assert "--context NAME (contexts: first, second)" in problem.hint
    assert view.problem("second") is None  # --context fixes it
    unknown = view.problem("third")
    assert unknown is not None and "'third' not found" in unknown.message


def test_a_working_kubeconfig_has_no_problem(cluster: Cluster) -> None:
    assert load_kubeconfig(cluster.kubeconfig, {}).problem(None) is None


# ---------------------------------------------------------------- the real server and check


class _Unconfigured(McpServerProcess):
    """A real server started as a desktop client would: no --kubeconfig, no KUBECONFIG."""

    def server_argv(self) -> list[str]:
        return [sys.executable, "-m", "mcp_kubectl", f"--kubectl={self.cluster.kubectl_path}", f"--cache-dir={self.cluster.cache_dir}", *self.flags]


def _run(home: Path, cluster: Cluster, *args: str) -> subprocess.CompletedProcess[str]:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(home)}
    argv = [sys.executable, "-m", "mcp_kubectl", *args, f"--kubectl={cluster.kubectl_path}", f"--cache-dir={home / 'cache'}"]
    return subprocess.run(argv, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60)


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """A home directory without ~/.kube/config."""
    (tmp_path / "home").mkdir()
    return tmp_path / "home"


def test_start_up_says_there_is_no_kubeconfig_on_stderr(home: Path, cluster: Cluster) -> None:
    done = _run(home, cluster)
    assert done.returncode == 0 and done.stdout == ""
    assert "mcp-kubectl: KubeconfigError: no kubeconfig:" in done.stderr
    assert "--kubeconfig" in done.stderr and '"env" block' in done.stderr


@pytest.mark.parametrize(
    "tool, arguments",
    [
        ("get_resource", {"kind": "pods", "name": "x"}),
        ("list_resources", {"kind": "pods"}),
        ("get_api_resources", {}),
        ("get_events", {}),
        ("get_pod_logs", {"name": "x"}),
        ("describe_resource", {"kind": "pods", "name": "x"}),
        ("diff_resource", {"manifest": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n"}),
        ("list_contexts", {}),
    ],
)
def test_every_tool_says_there_is_no_kubeconfig(unconfigured: McpServerProcess, tool: str, arguments: dict) -> None:
    answer = unconfigured.fails(tool, arguments, reason="KubeconfigError")
    assert "no kubeconfig:" in answer.text and "--kubeconfig" in answer.text and '"env" block' in answer.text
    assert "localhost:8080" not in answer.text


@pytest.fixture(scope="module")
def unconfigured(cluster: Cluster, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    home = tmp_path_factory.mktemp("home-without-kube")
    with _Unconfigured(cluster, env={"HOME": str(home)}) as server:
        yield server


def test_writes_say_there_is_no_kubeconfig_too(cluster: Cluster, home: Path) -> None:
    with _Unconfigured(cluster, "--enable-create", "--enable-delete", env={"HOME": str(home)}) as server:
        manifest = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n"
        server.fails("create_resource", {"manifest": manifest}, reason="KubeconfigError")
        server.fails("delete_resource", {"kind": "cm", "name": "x"}, reason="KubeconfigError")


def test_check_says_there_is_no_kubeconfig(home: Path, cluster: Cluster) -> None:
    done = _run(home, cluster, "check")
    assert done.returncode == 1
    assert "FAIL no kubeconfig:" in done.stdout and "--kubeconfig" in done.stdout
    assert "None" not in done.stdout  # not "context None not found"


def test_no_current_context_is_said_at_start_in_tools_and_in_check(home: Path, cluster: Cluster) -> None:
    kubeconfig = home / "config"
    kubeconfig.write_text(NO_CURRENT_CONTEXT)
    started = _run(home, cluster, f"--kubeconfig={kubeconfig}")
    assert "has no current context" in started.stderr and "--context NAME" in started.stderr
    checked = _run(home, cluster, "check", f"--kubeconfig={kubeconfig}")
    assert checked.returncode == 1 and "has no current context" in checked.stdout and "contexts: first, second" in checked.stdout
    with McpServerProcess(Cluster(kubeconfig=kubeconfig, cache_dir=home / "cache", emulator=None, kubectl_path=cluster.kubectl_path)) as server:
        answer = server.fails("list_resources", {"kind": "pods"}, reason="KubeconfigError")
        assert "has no current context" in answer.text and "--context NAME" in answer.text
