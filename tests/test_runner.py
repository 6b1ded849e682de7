"""The runner's argv building and guards (pure), and its process handling with real processes."""

from __future__ import annotations

import asyncio
import os
import stat
from pathlib import Path

import pytest

from mcp_kubectl.errors import KubectlMissing, OutputTooLarge, Timeout, ToolDisabled
from mcp_kubectl.runner import KubectlCommand, KubectlRunner, filtered_env, resolve_kubectl
from mcp_kubectl.settings import Settings


def runner(**changes: object) -> KubectlRunner:
    settings = Settings(kubeconfig=Path("/k/config"), context="ctx", cache_dir=Path("/c"), **changes)  # type: ignore[arg-type]
    return KubectlRunner(settings, "/bin/kubectl", environ={"PATH": "/bin", "HOME": "/h", "AWS_SECRET_ACCESS_KEY": "s", "KUBECONFIG": "/x"})


def test_argv_puts_verb_first_and_global_flags_last() -> None:
    argv = runner().build_argv(KubectlCommand("get", args=("pods.v1.", "web"), flags=("--namespace=a", "--output=json")))
    assert argv == [
        "/bin/kubectl", "get", "pods.v1.", "web", "--namespace=a", "--output=json",
        "--kubeconfig=/k/config", "--context=ctx", "--request-timeout=30s", "--cache-dir=/c",
    ]


@pytest.mark.parametrize("verb", ["config", "proxy", "exec", "cp", "port-forward", "auth", "run", "plugin", "edit", "attach", "debug"])
def test_verbs_outside_the_allow_list_never_run(verb: str) -> None:
    with pytest.raises(ToolDisabled):
        runner(enable_create=True, enable_update=True, enable_delete=True).build_argv(KubectlCommand(verb))


@pytest.mark.parametrize(
    "verb, flag", [("create", "enable_create"), ("apply", "enable_update"), ("delete", "enable_delete")]
)
def test_write_verbs_need_their_flag(verb: str, flag: str) -> None:
    with pytest.raises(ToolDisabled):
        runner().build_argv(KubectlCommand(verb))
    assert runner(**{flag: True}).build_argv(KubectlCommand(verb))[1] == verb


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


@pytest.mark.parametrize("arg", ["-n", "--all", "-s=x", "a\x00b"])
def test_positional_arguments_cannot_be_flags(arg: str) -> None:
    with pytest.raises(ValueError):
        runner().build_argv(KubectlCommand("get", args=("pods", arg)))


def test_environment_is_filtered() -> None:
    env = filtered_env({"PATH": "/bin", "HOME": "/h", "AWS_SECRET_ACCESS_KEY": "s", "MY_TOKEN": "t", "KUBECONFIG": "/x"}, pass_kubeconfig=False)
    assert env == {"PATH": "/bin", "HOME": "/h", "KUBERC": "off"}
    assert filtered_env({"MY_PLUGIN_VAR": "1"}, extra=("MY_PLUGIN_VAR",))["MY_PLUGIN_VAR"] == "1"


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
    run = KubectlRunner(Settings(timeout_s=1), kubectl, environ={"PATH": os.environ["PATH"]})
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
    run = KubectlRunner(Settings(max_output_bytes=100_000), kubectl, environ={"PATH": os.environ["PATH"]})
    with pytest.raises(OutputTooLarge) as raised:
        asyncio.run(run.run(KubectlCommand("get", args=("pods",))))
    assert "100000 bytes" in raised.value.message


def test_concurrency_limit_holds(tmp_path: Path) -> None:
    kubectl = _fake_kubectl(tmp_path, "sleep 0.2; echo ok")
    run = KubectlRunner(Settings(max_concurrency=3), kubectl, environ={"PATH": os.environ["PATH"]})

    async def many() -> list[int]:
        results = await asyncio.gather(*(run.run(KubectlCommand("get", args=("pods",))) for _ in range(9)))
        return [r.exit_code for r in results]

    assert asyncio.run(many()) == [0] * 9
    assert run.peak_running == 3


def test_in_cluster_argv_leaves_out_client_config_flags() -> None:
    """In a pod, kubectl ignores the service account once a client-config flag like --request-timeout is given."""
    settings = Settings(cache_dir=Path("/c"))
    in_pod = KubectlRunner(settings, "/bin/kubectl", environ={"PATH": "/bin"}, in_cluster=True)
    argv = in_pod.build_argv(KubectlCommand("get", args=("pods",)))
    assert not any(a.startswith(("--request-timeout", "--kubeconfig", "--context")) for a in argv)
    assert "--cache-dir=/c" in argv
