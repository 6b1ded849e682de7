"""The runner's argv building and guards (pure), and its process handling with real processes."""

from __future__ import annotations

import asyncio
import contextlib
import os
import stat
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from harness import Cluster, McpServerProcess, kubectl_processes, process_gone, wait_until
from mcp_kubectl.errors import KubectlMissing, OutputTooLarge, ProgramMissing, Timeout, ToolDisabled
from mcp_kubectl.cluster.process import ArgvPolicy, ProcessResult, Run, RunLog, Sandbox
from mcp_kubectl.cluster.process import filtered_env as process_filtered_env
from mcp_kubectl.cluster.runner import KubectlCommand, KubectlRunner, filtered_env, resolve_kubectl
from mcp_kubectl.settings import Settings
from mcp_kubectl.tools.table import enabled_verbs


def runner_for(settings: Settings, kubectl: str, **kwargs: Any) -> KubectlRunner:
    """A runner allowed exactly the verbs these settings' tools use, as the server builds it."""
    return KubectlRunner(settings, kubectl, enabled_verbs=enabled_verbs(settings), **kwargs)


def runner(**changes: object) -> KubectlRunner:
    settings = Settings(kubeconfig=Path("/k/config"), context="ctx", cache_dir=Path("/c"), **changes)  # type: ignore[arg-type]
    return runner_for(settings, "/bin/kubectl", environ={"PATH": "/bin", "HOME": "/h", "AWS_SECRET_ACCESS_KEY": "s", "KUBECONFIG": "/x"})


def test_argv_puts_verb_first_global_flags_after_the_commands_and_positionals_after_a_dash_dash() -> None:
    argv = runner().build_argv(KubectlCommand("get", args=("pods.v1.", "web"), flags=("--namespace=a", "--output=json")))
    assert argv == [
        "/bin/kubectl", "get", "--namespace=a", "--output=json",
        "--kubeconfig=/k/config", "--context=ctx", "--request-timeout=30s", "--cache-dir=/c",
        "--", "pods.v1.", "web",
    ]
    # Without positional arguments there is nothing to end the flags before.
    assert runner().build_argv(KubectlCommand("get", flags=("--raw=/api",)))[-1] == "--cache-dir=/c"


@pytest.mark.parametrize("verb", ["config", "proxy", "exec", "cp", "port-forward", "auth", "run", "plugin", "edit", "attach", "debug"])
def test_verbs_outside_the_allow_list_never_run(verb: str) -> None:
    with pytest.raises(ToolDisabled):
        runner(enable_create=True, enable_update=True, enable_delete=True).build_argv(KubectlCommand(verb))


def test_exec_needs_its_own_flag_and_its_command_follows_the_dash_dash() -> None:
    command = KubectlCommand("exec", args=("web",), flags=("--namespace=a", "--container=app"), trailing=("ls", "-la", "--kubeconfig=/x"))
    with pytest.raises(ToolDisabled):  # every write enabled: still not exec
        runner(enable_create=True, enable_update=True, enable_delete=True).build_argv(command)
    argv = runner(enable_exec=True).build_argv(command)
    assert argv[:4] == ["/bin/kubectl", "exec", "--namespace=a", "--container=app"]
    # The pod before `--`, the command after it, verbatim: kubectl parses none of it as flags.
    assert argv[-5:] == ["web", "--", "ls", "-la", "--kubeconfig=/x"]
    assert argv.index("--cache-dir=/c") < argv.index("web")


@pytest.mark.parametrize(
    "command",
    [
        KubectlCommand("exec", args=("-it",), trailing=("sh",)),
        KubectlCommand("exec", args=("web",), trailing=("a\x00b",)),
        KubectlCommand("exec", args=("web",), flags=("--context=other",), trailing=("sh",)),
    ],
)
def test_exec_argv_guards_still_hold(command: KubectlCommand) -> None:
    with pytest.raises(ValueError):
        runner(enable_exec=True).build_argv(command)


@pytest.mark.parametrize(
    "verb, flag", [("create", "enable_create"), ("apply", "enable_update"), ("delete", "enable_delete")]
)
def test_write_verbs_need_their_flag(verb: str, flag: str) -> None:
    with pytest.raises(ToolDisabled):
        runner().build_argv(KubectlCommand(verb))
    assert runner(**{flag: True}).build_argv(KubectlCommand(verb))[1] == verb


@pytest.mark.parametrize("verb", ["api-resources", "get", "version", "describe", "diff"])
def test_read_verbs_run_by_default(verb: str) -> None:
    assert runner().build_argv(KubectlCommand(verb))[1] == verb


def test_list_tools_off_removes_their_verbs() -> None:
    with pytest.raises(ToolDisabled):
        runner(enable_list=False).build_argv(KubectlCommand("describe", args=("pods", "p")))


@pytest.mark.parametrize(
    "flags",
    [("--kubeconfig=/etc/passwd",), ("--server=http://127.0.0.1:1",), ("-s",), ("--token=x",), ("--as=admin",), ("--context=other",), ("--cache-dir=/tmp",)],
)
def test_commands_cannot_carry_global_flags(flags: tuple[str, ...]) -> None:
    with pytest.raises(ValueError):
        runner().build_argv(KubectlCommand("get", args=("pods",), flags=flags))


# Written out, not read from runner.SERVER_OWNED_FLAGS: dropping one there must fail here.
SERVER_OWNED = (
    "--kubeconfig", "--context", "--cluster", "--user", "--server", "-s", "--token", "--as", "--as-group", "--as-uid",
    "--username", "--password", "--certificate-authority", "--client-certificate", "--client-key",
    "--insecure-skip-tls-verify", "--tls-server-name", "--cache-dir", "--request-timeout", "--kuberc", "--profile",
    "--profile-output", "--log-file",
)


def test_every_server_owned_flag_is_refused_in_a_command() -> None:
    carried = []
    for flag in SERVER_OWNED:
        for value in (flag, f"{flag}=x"):
            try:
                runner().build_argv(KubectlCommand("get", args=("pods",), flags=(value,)))
            except ValueError:
                continue
            carried.append(value)
    assert carried == [], f"server-owned flags a command could carry: {carried}"


@pytest.mark.parametrize("arg", ["-n", "--all", "-s=x", "a\x00b"])
def test_positional_arguments_cannot_be_flags(arg: str) -> None:
    with pytest.raises(ValueError):
        runner().build_argv(KubectlCommand("get", args=("pods", arg)))


def test_environment_is_filtered() -> None:
    env = filtered_env({"PATH": "/bin", "HOME": "/h", "AWS_SECRET_ACCESS_KEY": "s", "MY_TOKEN": "t", "KUBECONFIG": "/x"}, pass_kubeconfig=False)
    assert env == {"PATH": "/bin", "HOME": "/h", "KUBERC": "off"}
    assert filtered_env({"MY_PLUGIN_VAR": "1"}, extra=("MY_PLUGIN_VAR",))["MY_PLUGIN_VAR"] == "1"


def test_kubeconfig_from_the_environment_passes_only_without_the_flag() -> None:
    """KUBECONFIG reaches kubectl only when the operator gave no --kubeconfig (then it is the user's choice)."""
    environ = {"PATH": "/bin", "KUBECONFIG": "/home/u/.kube/a:/home/u/.kube/b"}
    without_flag = runner_for(Settings(kubeconfig=None), "/bin/kubectl", environ=environ).environment
    with_flag = runner_for(Settings(kubeconfig=Path("/k/config")), "/bin/kubectl", environ=environ).environment
    assert without_flag["KUBECONFIG"] == environ["KUBECONFIG"] and "KUBECONFIG" not in with_flag
    assert filtered_env(environ)["KUBECONFIG"] == environ["KUBECONFIG"]  # passed by default


def test_missing_kubectl_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(KubectlMissing):
        resolve_kubectl(str(tmp_path / "nope"))
    with pytest.raises(KubectlMissing):
        resolve_kubectl("definitely-not-a-kubectl-binary")


def _fake_kubectl(tmp_path: Path, body: str) -> str:
    """A stand-in executable, to prove process handling (kill, caps) on a real process."""
    path = tmp_path / "kubectl"
    path.write_text("#!/bin/sh\n" + body + "\n")
    path.chmod(path.stat().st_mode | stat.S_IEXEC)
    return str(path)


def test_timeout_kills_the_whole_process_group(tmp_path: Path) -> None:
    pid_file = tmp_path / "child.pid"
    kubectl = _fake_kubectl(tmp_path, f"sleep 60 & echo $! > {pid_file}; wait")
    run = runner_for(Settings(timeout_s=1), kubectl, environ={"PATH": os.environ["PATH"]})
    with pytest.raises(Timeout):
        asyncio.run(run.run(KubectlCommand("get", args=("pods",)), timeout_s=0.5))
    child = int(pid_file.read_text())
    # The grandchild (a credential plugin, say) died with its group.
    for _ in range(50):
        if not Path(f"/proc/{child}").exists() or "Z" in Path(f"/proc/{child}/stat").read_text().split()[2]:
            break
        asyncio.run(asyncio.sleep(0.02))
    else:
        pytest.fail("child of kubectl survived the timeout")


def test_output_cap_stops_kubectl(tmp_path: Path) -> None:
    kubectl = _fake_kubectl(tmp_path, "yes aaaaaaaaaaaaaaaa")
    run = runner_for(Settings(max_output_bytes=100_000), kubectl, environ={"PATH": os.environ["PATH"]})
    with pytest.raises(OutputTooLarge) as raised:
        asyncio.run(run.run(KubectlCommand("get", args=("pods",))))
    assert "100000 bytes" in raised.value.message


def test_concurrency_limit_holds(tmp_path: Path) -> None:
    kubectl = _fake_kubectl(tmp_path, "sleep 0.2; echo ok")
    run = runner_for(Settings(max_concurrency=3), kubectl, environ={"PATH": os.environ["PATH"]})

    async def many() -> list[int]:
        results = await asyncio.gather(*(run.run(KubectlCommand("get", args=("pods",))) for _ in range(9)))
        return [r.exit_code for r in results]

    assert asyncio.run(many()) == [0] * 9
    assert run.peak_running == 3


def test_in_cluster_argv_leaves_out_client_config_flags() -> None:
    """In a pod, kubectl ignores the service account once a client-config flag like --request-timeout is given."""
    settings = Settings(cache_dir=Path("/c"))
    in_pod = runner_for(settings, "/bin/kubectl", environ={"PATH": "/bin"}, in_cluster=True)
    argv = in_pod.build_argv(KubectlCommand("get", args=("pods",)))
    assert not any(a.startswith(("--request-timeout", "--kubeconfig", "--context")) for a in argv)
    assert "--cache-dir=/c" in argv


# ----------------------------------------------------------------- the sandbox, for any binary


def test_the_sandbox_knows_no_kubectl_and_logs_every_run(tmp_path: Path) -> None:
    """Any program runs in the sandbox; each run (argv, exit code) goes into the log passed in."""
    program = _fake_kubectl(tmp_path, 'echo "out:$1"; echo err >&2; [ "$1" = ok ]')
    sandbox = Sandbox("tool", {"PATH": os.environ["PATH"]}, max_concurrency=2, max_output_bytes=1000)
    log = RunLog()

    async def go() -> list[ProcessResult]:
        return [await sandbox.run([program, word], deadline_s=5, log=log) for word in ("ok", "no")]

    first, second = asyncio.run(go())
    assert (first.exit_code, first.stdout, first.stderr) == (0, b"out:ok\n", "err\n")
    assert second.exit_code == 1
    assert log.runs == (Run((program, "ok"), 0), Run((program, "no"), 1))
    with pytest.raises(ProgramMissing) as missing:
        asyncio.run(sandbox.run([str(tmp_path / "absent")], deadline_s=5, log=log))
    assert missing.value.program == "tool" and log.runs[-1] == Run((str(tmp_path / "absent"),), None)


def test_a_timed_out_run_is_logged_without_an_exit_code(tmp_path: Path) -> None:
    program = _fake_kubectl(tmp_path, "sleep 30")
    sandbox = Sandbox("tool", {"PATH": os.environ["PATH"]}, max_concurrency=1, max_output_bytes=1000)
    log = RunLog()
    with pytest.raises(Timeout, match="tool did not answer within 0.3s"):
        asyncio.run(sandbox.run([program], deadline_s=0.3, log=log))
    assert log.runs == (Run((program,), None),)


def test_the_environment_holds_only_what_is_named() -> None:
    env = process_filtered_env({"A": "1", "B": "2", "PATH": "/p"}, ["A", "PATH", "MISSING"], fixed={"F": "x"})
    assert env == {"A": "1", "PATH": "/p", "F": "x"}
    assert process_filtered_env({}, [])["PATH"] == os.defpath


def test_another_binary_brings_its_own_argv_policy() -> None:
    """What helm will do: its own subcommands (several words) and its own server-owned flags."""
    helm = ArgvPolicy(
        program="helm", subcommands=frozenset({"list", "get values"}), server_owned_flags=frozenset({"--kubeconfig", "--kube-context"})
    )
    argv = helm.build("/bin/helm", "get values", args=("web",), flags=("--namespace=a",), server_flags=("--kube-context=c",), enabled={"get values"})
    assert argv == ["/bin/helm", "get", "values", "--namespace=a", "--kube-context=c", "--", "web"]
    with pytest.raises(ToolDisabled, match="helm install"):
        helm.build("/bin/helm", "install", enabled={"list", "get values", "install"})
    with pytest.raises(ToolDisabled):
        helm.build("/bin/helm", "list", enabled=())
    with pytest.raises(ValueError):
        helm.build("/bin/helm", "list", flags=("--kube-context=other",), enabled={"list"})


# ----------------------------------------------------------------- death with the server

SERVER_SCRIPT = """
import asyncio, sys
from mcp_kubectl.cluster.process import Sandbox

async def main():
    sandbox = Sandbox("tool", {"PATH": "/usr/bin:/bin"}, max_concurrency=1, max_output_bytes=1000)
    await sandbox.run([sys.argv[1]], deadline_s=120)

asyncio.run(main())
"""


def test_a_child_and_its_group_die_when_the_parent_is_killed(tmp_path: Path) -> None:
    """SIGKILL leaves the parent no chance to clean up: the reaper kills the child's whole group.

    The child and what it starts never end on their own (and the sandbox deadline is 120 s), so
    their being gone at all is the reaper's doing; the waits below only guard against a hang."""
    pid_file, grandchild_file = tmp_path / "child.pid", tmp_path / "grandchild.pid"
    program = _fake_kubectl(tmp_path, f"while :; do sleep 1; done & echo $! > {grandchild_file}; echo $$ > {pid_file}; wait")
    parent = subprocess.Popen([sys.executable, "-c", SERVER_SCRIPT, program])
    try:
        assert wait_until(lambda: pid_file.exists() and pid_file.read_text().strip() != "", 10), "the child never started"
        child, grandchild = int(pid_file.read_text()), int(grandchild_file.read_text())
        assert not process_gone(child) and not process_gone(grandchild)
        # The parent tells the reaper the child's group once the spawn returns: a SIGKILL in that
        # instant is the one window the reaper cannot close. A loaded machine can hold the parent
        # there for a while; give it time, then kill.
        time.sleep(1)
        parent.kill()
        parent.wait(timeout=60)
        assert wait_until(lambda: process_gone(child), 60), "the child outlived its killed parent"
        assert wait_until(lambda: process_gone(grandchild), 60), "what the child started outlived the killed parent"
    finally:
        parent.kill()
        parent.wait()
        if pid_file.exists() and pid_file.read_text().strip():  # a failed run leaves nothing behind
            with contextlib.suppress(OSError):
                os.killpg(int(pid_file.read_text()), signal.SIGKILL)


def test_kubectl_dies_with_a_sigkilled_http_server(cluster: Cluster, emulator: Any, tmp_path: Path) -> None:
    """Issue 10 item 9: a killed HTTP server's in-flight kubectl used to live until its own timeout."""
    namespace = "hang-sigkill"
    token = {"MCP_KUBECTL_AUTH_TOKEN": "sigkill-token-0123456789abcdef"}
    # kubectl runs with this test's own cache dir (the last --cache-dir wins), so only its kubectls are counted.
    server = McpServerProcess(cluster, "--timeout=120", f"--cache-dir={tmp_path}", transport="http", env=token).__enter__()
    try:
        server.ok("list_resources", {"kind": "namespaces"})  # discovery cached before the fault
        emulator.faults.hang(f"/api/v1/namespaces/{namespace}/")
        pending = server.call_in_background("get_resource", {"kind": "configmaps", "name": "x", "namespace": namespace})
        assert wait_until(lambda: bool(kubectl_processes(tmp_path)), 10), "the call never started kubectl"
        in_flight = kubectl_processes(tmp_path)
        assert server.process is not None
        server.process.kill()
        server.process.wait(timeout=60)
        # kubectl waits on the hung API server until the server's deadline (120 s), which died with
        # the server: kubectl gone at all is the reaper's doing; the wait only guards against a hang.
        assert wait_until(lambda: all(process_gone(pid) for pid in in_flight), 60), "kubectl outlived its SIGKILLed server"
        with pytest.raises(Exception):  # the client learns the server is gone
            pending.result(timeout=10)
    finally:
        emulator.faults.clear()
        with contextlib.suppress(Exception):  # the client's goodbye to a killed server fails, as it must
            server.__exit__(None, None, None)


def test_every_verb_a_tool_or_the_server_runs_is_allowed_and_no_other() -> None:
    from mcp_kubectl.cluster.runner import ALLOWED_VERBS, KUBECTL
    from mcp_kubectl.tools.table import SERVER_VERBS, TOOLS

    used = set(SERVER_VERBS["kubectl"])
    for spec in TOOLS:
        used |= spec.verbs("kubectl")
    for verb in sorted(used):
        assert KUBECTL.build("/bin/kubectl", verb, enabled={verb})[1:] == verb.split(" ")
    assert used == ALLOWED_VERBS  # an allowed verb no tool runs is a door nobody watches
