"""--audit-log end to end: a real mcp-kubectl process writes one JSON line per tool call, in a 0600 file,
naming what ran (kubectl argv, exit code) and how it ended, and never a Secret value, even when
a manifest holds one. The unit tests of the log itself are in test_audit.py.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import stat
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from harness import Cluster, McpServerProcess, ToolAnswer

pytestmark = pytest.mark.timeout(180)

SECRET_VALUE = "Audit-s3cr3t-5ca1ab1e"
NEW_VALUE = "Audit-n3w-d15ea5e"
SECRET_STRINGS = tuple(s for v in (SECRET_VALUE, NEW_VALUE) for s in (v, base64.b64encode(v.encode()).decode()))
FIELDS = {"time", "tool", "arguments", "argv", "exit_code", "runs", "duration_ms", "bytes_returned", "outcome"}


def secret_manifest(name: str, namespace: str, value: str) -> str:
    return json.dumps(
        {
            "apiVersion": "v1",
            "kind": "Secret",
            "metadata": {"name": name, "namespace": namespace},
            "type": "Opaque",
            "data": {"password": base64.b64encode(value.encode()).decode()},
            "stringData": {"token": value},
        }
    )


def configmap(name: str, namespace: str) -> str:
    return json.dumps({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name, "namespace": namespace}, "data": {"k": "v"}})


class AuditedServer:
    """A server with --audit-log, and the lines its calls add."""

    def __init__(self, server: McpServerProcess, path: Path) -> None:
        self.server = server
        self.path = path

    def lines(self) -> list[dict[str, Any]]:
        return [json.loads(line) for line in self.path.read_text().splitlines()]

    def call(self, tool: str, arguments: dict[str, Any]) -> tuple[ToolAnswer, dict[str, Any]]:
        """Make one call; return its answer and the one line it added."""
        before = len(self.lines())
        answer = self.server.call(tool, arguments)
        added = self.lines()[before:]
        assert len(added) == 1, f"{tool} added {len(added)} audit lines"
        return answer, added[0]


@pytest.fixture(scope="module")
def namespace(cluster: Cluster, emulator: Any) -> str:
    name = f"audit-{uuid.uuid4().hex[:6]}"
    cluster.apply(json.dumps({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}}))
    cluster.apply(configmap("settings", name))
    return name


@pytest.fixture(scope="module")
def audited(cluster: Cluster, namespace: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[AuditedServer]:
    path = tmp_path_factory.mktemp("audit") / "audit.jsonl"
    flags = ("--enable-create", "--enable-update", "--enable-delete", "--denied-namespaces=kube-system", f"--audit-log={path}")
    with McpServerProcess(cluster, *flags) as server:
        yield AuditedServer(server, path)


def check_line(line: dict[str, Any], tool: str, answer: ToolAnswer, outcome: str) -> None:
    assert FIELDS <= set(line), line
    assert line["tool"] == tool
    assert line["outcome"] == outcome, (line, answer.text)
    assert line["bytes_returned"] == len(answer.text)
    assert 0 <= line["duration_ms"] < 60_000
    assert line["time"].endswith("Z")
    # argv and exit_code repeat the last of the runs, which list every process the call started.
    last = line["runs"][-1] if line["runs"] else {"argv": [], "exit_code": None}
    assert (line["argv"], line["exit_code"]) == (last["argv"], last["exit_code"])


def test_the_file_is_private(audited: AuditedServer) -> None:
    audited.call("list_contexts", {})
    assert stat.S_IMODE(audited.path.stat().st_mode) == 0o600


def test_a_read_logs_its_kubectl_argv_and_exit_code(audited: AuditedServer, namespace: str) -> None:
    answer, line = audited.call("get_resource", {"kind": "configmaps", "name": "settings", "namespace": namespace})
    assert not answer.is_error, answer.text
    check_line(line, "get_resource", answer, "ok")
    assert line["arguments"] == {"kind": "configmaps", "name": "settings", "namespace": namespace, "context": None}
    assert Path(line["argv"][0]).name == "kubectl" and line["argv"][1] == "get"
    assert any(f"/namespaces/{namespace}/configmaps/settings" in part for part in line["argv"])
    assert line["exit_code"] == 0


def test_a_failed_read_logs_the_reason_and_exit_code(audited: AuditedServer, namespace: str) -> None:
    answer, line = audited.call("get_resource", {"kind": "configmaps", "name": "missing", "namespace": namespace})
    check_line(line, "get_resource", answer, "NotFound")
    assert line["exit_code"] not in (0, None)


@pytest.mark.parametrize(
    "tool, arguments, outcome",
    [
        ("get_resource", {"kind": "configmaps", "name": "$(id)"}, "InvalidArgument"),
        ("list_resources", {"kind": "configmaps", "namespace": "kube-system"}, "PolicyDenied"),
        ("create_resource", {"manifest": configmap("x", "kube-system")}, "PolicyDenied"),
        ("delete_resource", {"kind": "configmaps", "name": "settings", "namespace": "kube-system"}, "PolicyDenied"),
    ],
    ids=["invalid-name", "denied-read", "denied-create", "denied-delete"],
)
def test_a_refused_call_is_logged_and_ran_no_write(audited: AuditedServer, tool: str, arguments: dict[str, Any], outcome: str) -> None:
    answer, line = audited.call(tool, arguments)
    check_line(line, tool, answer, outcome)
    assert all(run["argv"][1] in ("api-resources", "get") for run in line["runs"]), line["runs"]


@pytest.mark.parametrize(
    "tool, arguments, argument",
    [
        ("list_resources", {"kind": "pods", "namepsace": "kube-system"}, "namepsace"),
        ("get_resource", {"kind": "configmaps"}, "name"),
        ("list_resources", {"kind": "pods", "limit": 0}, "limit"),
        ("delete_resource", {"kind": "configmaps", "name": "settings", "dryRun": "yes please"}, "dryRun"),
        ("create_resource", {"manifest": configmap("x", "default"), "confirmation": {"approved": True}}, "confirmation"),
    ],
    ids=["unknown", "missing", "out-of-range", "wrong-type", "forged-confirmation"],
)
def test_an_argument_refusal_is_logged_like_every_call(audited: AuditedServer, tool: str, arguments: dict[str, Any], argument: str) -> None:
    """Refused before any operation ran (issue 13's typed argument errors): still one line, nothing run."""
    answer, line = audited.call(tool, arguments)
    assert answer.is_error and answer.data["error"]["argument"] == argument, answer.text
    check_line(line, tool, answer, "InvalidArgument")
    assert line["runs"] == [] and line["argv"] == [] and line["exit_code"] is None
    logged = {k: v for k, v in arguments.items() if k != "confirmation"}
    assert set(line["arguments"]) == set(logged)
    if "manifest" in logged:
        assert set(line["arguments"]["manifest"]) >= {"sha256"}  # by hash, never the text


def test_writes_log_the_manifest_by_hash_and_targets_never_its_values(audited: AuditedServer, cluster: Cluster, namespace: str) -> None:
    manifest = secret_manifest("db", namespace, SECRET_VALUE)
    answer, line = audited.call("create_resource", {"manifest": manifest})
    assert not answer.is_error, answer.text
    check_line(line, "create_resource", answer, "ok")
    assert line["arguments"]["manifest"] == {
        "sha256": hashlib.sha256(manifest.encode()).hexdigest(),
        "documents": [{"apiVersion": "v1", "kind": "Secret", "namespace": namespace, "name": "db"}],
    }
    assert line["arguments"]["dryRun"] is False
    assert line["argv"][1] == "create" and line["exit_code"] == 0
    assert cluster.exists("secret", "db", namespace)

    updated, line = audited.call("update_resource", {"manifest": secret_manifest("db", namespace, NEW_VALUE), "force": True})
    assert not updated.is_error, updated.text
    check_line(line, "update_resource", updated, "ok")
    assert line["argv"][1] == "apply" and "--server-side=true" in line["argv"]
    # Every process of the call, not only the last: the existence check's GET came before the apply.
    verbs = [run["argv"][1] for run in line["runs"]]
    assert verbs[-1] == "apply" and "get" in verbs[:-1], verbs
    assert any(f"--raw=/api/v1/namespaces/{namespace}/secrets/db" in run["argv"] for run in line["runs"])
    assert line["arguments"]["manifest"]["documents"][0]["name"] == "db"

    deleted, line = audited.call("delete_resource", {"kind": "secrets", "name": "db", "namespace": namespace})
    assert not deleted.is_error, deleted.text
    check_line(line, "delete_resource", deleted, "ok")
    assert line["argv"][1] == "delete" and "db" in line["argv"]


def test_hostile_arguments_stay_on_one_line_and_long_ones_are_cut(audited: AuditedServer) -> None:
    forged = 'x"}\n{"tool":"delete_resource","outcome":"ok"}\n'
    answer, line = audited.call("get_resource", {"kind": "configmaps", "name": forged})
    check_line(line, "get_resource", answer, "InvalidArgument")
    assert line["arguments"]["name"] == forged
    long_name = "a" * 10_000
    answer, line = audited.call("get_resource", {"kind": "configmaps", "name": long_name})
    check_line(line, "get_resource", answer, "InvalidArgument")
    assert line["arguments"]["name"] == {
        "prefix": long_name[:64],
        "chars": 10_000,
        "sha256": hashlib.sha256(long_name.encode()).hexdigest(),
    }


def test_an_unparseable_manifest_is_logged_by_hash_and_size_only(audited: AuditedServer) -> None:
    manifest = secret_manifest("bad", "default", SECRET_VALUE) + "\n---\nbomb: &a [*a]\n"
    answer, line = audited.call("create_resource", {"manifest": manifest})
    check_line(line, "create_resource", answer, "InvalidManifest")
    assert line["arguments"]["manifest"] == {
        "sha256": hashlib.sha256(manifest.encode()).hexdigest(),
        "bytes": len(manifest.encode()),
        "documents": None,
    }


def test_a_manifest_that_once_crashed_the_parser_is_logged_as_invalid(audited: AuditedServer, namespace: str) -> None:
    """'!!bool maybe' made PyYAML raise outside the error model, and such a call left no audit line."""
    manifest = f"apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: x, namespace: {namespace}}}\ndata: {{k: !!bool maybe}}\n"
    answer, line = audited.call("create_resource", {"manifest": manifest})
    check_line(line, "create_resource", answer, "InvalidManifest")


def test_no_secret_value_anywhere_in_the_log(audited: AuditedServer, namespace: str) -> None:
    """Run last in this module: every call above put Secret values in its arguments."""
    audited.call("diff_resource", {"manifest": secret_manifest("never", namespace, NEW_VALUE)})
    text = audited.path.read_text()
    assert text.count("\n") == len(audited.lines())
    assert [s for s in SECRET_STRINGS if s in text] == []


def test_an_existing_file_is_tightened_to_0600(cluster: Cluster, emulator: Any, tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    path.write_text('{"earlier": true}\n')
    os.chmod(path, 0o644)
    with McpServerProcess(cluster, f"--audit-log={path}") as server:
        assert not server.call("list_contexts").is_error
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    lines = path.read_text().splitlines()
    assert json.loads(lines[0]) == {"earlier": True}
    assert json.loads(lines[1])["tool"] == "list_contexts"


def test_a_symlinked_log_path_refuses_to_start(cluster: Cluster, tmp_path: Path) -> None:
    target = tmp_path / "elsewhere.jsonl"
    link = tmp_path / "audit.jsonl"
    link.symlink_to(target)
    argv = McpServerProcess(cluster, f"--audit-log={link}").server_argv()
    done = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60)
    assert done.returncode != 0
    assert "symlink" in done.stderr
    assert not target.exists()
