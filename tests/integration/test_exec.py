"""exec_in_pod through a real MCP client and the real kubectl: gated by --enable-exec alone, policy on
pods/exec and namespaces, exit codes, the deadline, the output cap, redaction, confirmation.

The emulator answers exec over the WebSocket protocol kubectl 1.37 speaks (v5.channel.k8s.io) for a
fixed set of commands. The real control plane has no kubelets: there exec gets a real error, and the
tests assert it is typed and clear; the tests that read a command's output say so in their marker.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest

from harness import Cluster, McpServerProcess, kubectl_processes

pytestmark = [pytest.mark.both_targets]

NO_KUBELET = "the real control plane has no kubelets: nothing there can run a command"
EXEC = ("--enable-exec",)
SECRET_VALUE = "Exec-s3cr3t-9f8e7d"


def pod_manifest(name: str, namespace: str) -> str:
    container = {
        "name": "app", "image": "registry.k8s.io/pause:3.10",
        "env": [{"name": "GREETING", "value": "hello"},
                {"name": "DB_PASSWORD", "valueFrom": {"secretKeyRef": {"name": "db", "key": "password"}}}],
    }  # fmt: skip
    return json.dumps({
        "apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "namespace": namespace},
        "spec": {"containers": [container, {"name": "sidecar", "image": "registry.k8s.io/pause:3.10"}]},
    })  # fmt: skip


@pytest.fixture(scope="module")
def namespace(cluster: Cluster) -> str:
    ns = cluster.new_namespace("exec")
    cluster.kubectl("create", "secret", "generic", "db", f"--from-literal=password={SECRET_VALUE}", "-n", ns)
    cluster.apply(pod_manifest("web", ns))
    return ns


@pytest.fixture
def execer(server_factory: Callable[..., McpServerProcess]) -> McpServerProcess:
    return server_factory(*EXEC)


def run(server: McpServerProcess, namespace: str, *command: str, **extra: object) -> dict:
    return server.ok("exec_in_pod", {"name": "web", "namespace": namespace, "command": list(command), **extra})


# ----------------------------------------------------------------------------- the gate


def test_exec_is_offered_only_with_its_own_flag(reader: McpServerProcess, writer: McpServerProcess, execer: McpServerProcess) -> None:
    assert "exec_in_pod" not in reader.tool_names()
    assert "exec_in_pod" not in writer.tool_names()  # every write enabled: still no exec
    assert "exec_in_pod" in execer.tool_names()
    tool = next(t for t in execer.list_tools().tools if t.name == "exec_in_pod")
    # Left out, a hint takes the spec's default: not read-only, may destroy.
    assert not tool.annotations.read_only_hint and tool.annotations.destructive_hint is not False
    assert tool.input_schema["properties"]["command"]["type"] == "array"
    instructions = execer.client.instructions or ""
    assert "Enabled writes: exec_in_pod." in instructions and "dryRun" not in instructions  # exec has nothing to dry-run


def test_exec_disabled_cannot_be_called(writer: McpServerProcess, namespace: str) -> None:
    from mcp.shared.exceptions import MCPError

    with pytest.raises(MCPError):  # not offered: the protocol's unknown-tool error, nothing ran
        writer.call("exec_in_pod", {"name": "web", "namespace": namespace, "command": ["true"]})


# ----------------------------------------------------------------------------- running commands


@pytest.mark.emulator_only(reason=NO_KUBELET)
def test_the_argv_reaches_the_container_as_given(execer: McpServerProcess, namespace: str) -> None:
    answer = run(execer, namespace, "echo", "-n", "--flag", "a b", "$HOME", ";", "rm")
    assert answer["stdout"] == "-n --flag a b $HOME ; rm\n"  # no shell, no flag parsing: words as sent
    assert (answer["exitCode"], answer["stderr"], answer["container"]) == (0, "", "app")
    assert answer["command"] == ["echo", "-n", "--flag", "a b", "$HOME", ";", "rm"]
    assert run(execer, namespace, "cat", "/etc/hostname")["stdout"] == "web\n"
    assert run(execer, namespace, "hostname", container="sidecar")["container"] == "sidecar"


@pytest.mark.emulator_only(reason=NO_KUBELET)
def test_a_non_zero_exit_is_an_answer_with_its_code_and_stderr(execer: McpServerProcess, namespace: str) -> None:
    assert run(execer, namespace, "sh", "-c", "exit 3")["exitCode"] == 3
    missing = run(execer, namespace, "cat", "/nope")
    assert missing["exitCode"] == 1
    assert missing["stderr"] == "cat: /nope: No such file or directory\n"  # kubectl's own line is not in it
    # The kubelet's InternalError Status, not NotFound: the pod exists, the program does not.
    failed = execer.fails("exec_in_pod", {"name": "web", "namespace": namespace, "command": ["no-such-program"]}, reason="InternalError")
    assert "executable file not found" in failed.text


@pytest.mark.emulator_only(reason=NO_KUBELET)
def test_secret_values_the_env_references_are_redacted(execer: McpServerProcess, server_factory, namespace: str) -> None:
    env = run(execer, namespace, "env")["stdout"]
    assert "GREETING=hello" in env and "DB_PASSWORD=" in env
    assert SECRET_VALUE not in env
    shown = run(server_factory(*EXEC, "--show-secrets"), namespace, "printenv", "DB_PASSWORD")
    assert shown["stdout"] == f"{SECRET_VALUE}\n"


@pytest.mark.emulator_only(reason=NO_KUBELET)
def test_the_deadline_stops_kubectl(execer: McpServerProcess, cluster: Cluster, namespace: str) -> None:
    answer = execer.fails(
        "exec_in_pod", {"name": "web", "namespace": namespace, "command": ["sleep", "60"], "timeoutSeconds": 2}, reason="Timeout"
    )
    # The call's own deadline ended it (not the 60 s sleep, not a hang); how soon is load's business.
    assert "did not finish within 2s; kubectl was stopped" in answer.data["error"]["message"]
    assert kubectl_processes(cluster.cache_dir) == []
    assert run(execer, namespace, "sleep", "1", timeoutSeconds=10)["exitCode"] == 0  # within it: fine


@pytest.mark.emulator_only(reason=NO_KUBELET)
def test_output_is_cut_to_the_budget_and_capped(execer: McpServerProcess, server_factory, namespace: str) -> None:
    answer = execer.call("exec_in_pod", {"name": "web", "namespace": namespace, "command": ["seq", "100000"]})
    assert not answer.is_error
    assert len(answer.text.encode()) <= 64 * 1024
    assert answer.data["stdout"].endswith("\n99999\n100000\n")  # the newest output is kept
    assert "older lines left out" in answer.data["truncated"]
    capped = server_factory(*EXEC, "--max-output-bytes=65536")
    capped.fails("exec_in_pod", {"name": "web", "namespace": namespace, "command": ["seq", "100000"]}, reason="OutputTooLarge")


# ----------------------------------------------------------------------------- refusals


def test_policy_refuses_before_anything_runs(server_factory: Callable[..., McpServerProcess], cluster: Cluster, namespace: str) -> None:
    call = {"name": "web", "namespace": namespace, "command": ["true"]}
    cluster.clear_requests()
    for flags in (("--denied-resources=pods/exec",), ("--denied-resources=pods",), (f"--denied-namespaces={namespace}",), ("--allowed-namespaces=elsewhere",)):
        server_factory(*EXEC, *flags).fails("exec_in_pod", call, reason="PolicyDenied")
    assert not [r for r in cluster.requests if r.path.endswith("/exec")]


def test_bad_arguments_are_typed(execer: McpServerProcess, namespace: str) -> None:
    base = {"name": "web", "namespace": namespace}
    for arguments in (
        {**base, "command": []}, {**base, "command": "ls -la"}, {**base, "command": [""]}, {**base, "command": ["a\x00b"]},
        {**base, "command": ["true"], "timeoutSeconds": 0}, {**base, "command": ["true"], "container": "-c"},
        {"name": "-rf", "namespace": namespace, "command": ["true"]},
    ):  # fmt: skip
        execer.fails("exec_in_pod", arguments, reason="InvalidArgument")
    answer = execer.fails("exec_in_pod", {**base, "command": ["true"], "container": "nope"}, reason="InvalidArgument")
    assert "app, sidecar" in answer.data["error"]["hint"]
    execer.fails("exec_in_pod", {**base, "name": "missing", "command": ["true"]}, reason="NotFound")


def test_on_a_cluster_without_kubelets_exec_is_a_clear_typed_error(execer: McpServerProcess, cluster: Cluster, namespace: str) -> None:
    if cluster.is_emulator:
        pytest.skip("the emulator answers exec; this asserts the real control plane's refusal")
    answer = execer.fails("exec_in_pod", {"name": "web", "namespace": namespace, "command": ["true"]}, reason="BadRequest")
    assert "does not have a host assigned" in answer.data["error"]["message"]  # the API server's own words
    assert "not scheduled on a node" in answer.data["error"]["hint"]


@pytest.mark.emulator_only(reason="injects a hang into the emulator's exec path")
def test_a_hung_api_server_is_a_timeout(execer: McpServerProcess, emulator, namespace: str) -> None:
    run(execer, namespace, "true")  # discovery cached before the fault
    emulator.faults.hang(f"/api/v1/namespaces/{namespace}/pods/web/exec")
    try:
        answer = execer.fails("exec_in_pod", {"name": "web", "namespace": namespace, "command": ["true"], "timeoutSeconds": 2}, reason="Timeout")
    finally:
        emulator.faults.clear()
    assert "did not finish within 2s" in answer.data["error"]["message"]


# ----------------------------------------------------------------------------- confirmation and audit


@pytest.mark.emulator_only(reason=NO_KUBELET)
@pytest.mark.parametrize("mode", ["legacy", "auto"])
def test_confirm_writes_shows_the_full_argv_and_a_no_runs_nothing(cluster: Cluster, namespace: str, mode: str) -> None:
    from test_confirm_writes import ConfirmingClient, Person

    person = Person()
    with ConfirmingClient(cluster, *EXEC, "--confirm-writes", mode=mode, person=person) as client:
        person.says("decline")
        cluster.clear_requests()
        refused = client.call("exec_in_pod", {"name": "web", "namespace": namespace, "command": ["sh", "-c", "exit 4"]})
        assert refused.is_error and refused.reason == "ConfirmationRefused"
        assert not [r for r in cluster.requests if r.path.endswith("/exec")]
        assert '["sh", "-c", "exit 4"]' in person.questions[0] and f"{namespace}/web" in person.questions[0]
        assert "container app" in person.questions[0]
        person.says("accept", {"confirm": True})
        done = client.call("exec_in_pod", {"name": "web", "namespace": namespace, "command": ["sh", "-c", "exit 4"]})
        assert not done.is_error and done.data["exitCode"] == 4


@pytest.mark.emulator_only(reason=NO_KUBELET)
def test_the_audit_log_records_the_exec_argv(cluster: Cluster, namespace: str, tmp_path: Path) -> None:
    log = tmp_path / f"audit-{uuid.uuid4().hex[:6]}.jsonl"
    with McpServerProcess(cluster, *EXEC, f"--audit-log={log}") as server:
        run(server, namespace, "echo", "audited")
    line = json.loads(log.read_text().splitlines()[-1])
    assert line["tool"] == "exec_in_pod" and line["outcome"] == "ok"
    argv = line["runs"][-1]["argv"]
    assert argv[1] == "exec" and argv[-3:] == ["--", "echo", "audited"] and line["runs"][-1]["exit_code"] == 0
