"""The TypeScript SDK's client calls every tool, for an answer and for an error, and validates each
against the tool's output schema (issue 13 item 3): that client checks structuredContent whenever it
is present, errors included, so a schema that fits only successes fails here.

Needs Node 22 and @modelcontextprotocol/sdk from `bash .ci/typescript-client.sh` (CI runs it first
and sets MCP_KUBECTL_REQUIRE_TYPESCRIPT=1, so there a missing install fails instead of skipping).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from harness import Cluster
from mcp_kubectl.tools.table import TOOLS

ROOT = Path(__file__).resolve().parents[2]
NODE_MODULES = ROOT / ".ci-work" / "typescript-client" / "npm" / "node_modules"
NODE = NODE_MODULES / ".bin" / "node"
SCRIPT = Path(__file__).parents[1] / "typescript" / "call_every_tool.mjs"
WRITES = ("--enable-create", "--enable-update", "--enable-delete")

pytestmark = pytest.mark.timeout(300)


@pytest.fixture(scope="module")
def node() -> Path:
    if not (NODE.exists() and (NODE_MODULES / "@modelcontextprotocol" / "sdk").is_dir()):
        if os.environ.get("MCP_KUBECTL_REQUIRE_TYPESCRIPT"):
            pytest.fail("the TypeScript SDK client is not installed: run bash .ci/typescript-client.sh")
        pytest.skip("needs the TypeScript SDK client: bash .ci/typescript-client.sh")
    return NODE


def run_client(node: Path, cluster: Cluster, flags: tuple[str, ...], calls: list[dict[str, Any]]) -> dict[str, Any]:
    plan = {
        "nodeModules": str(NODE_MODULES),
        "command": sys.executable,
        "args": ["-m", "mcp_kubectl", f"--kubeconfig={cluster.kubeconfig}", f"--kubectl={cluster.kubectl_path}", f"--cache-dir={cluster.cache_dir}", *flags],
        "env": {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "TMPDIR")},
        "calls": calls,
    }
    done = subprocess.run([str(node), str(SCRIPT)], input=json.dumps(plan), capture_output=True, text=True, timeout=240)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)


def configmap(name: str, namespace: str) -> str:
    return json.dumps({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name, "namespace": namespace}, "data": {"k": "v"}})


def test_every_tool_answers_and_fails_within_its_schema(node: Path, cluster: Cluster, emulator: Any) -> None:
    namespace = cluster.new_namespace("ts")
    emulator.seed_pods(1, namespace)
    pod = cluster.kubectl_json("get", "pods", "-n", namespace)["items"][0]
    name, container = pod["metadata"]["name"], pod["spec"]["containers"][0]["name"]
    cluster.apply(configmap("existing", namespace))
    ok = [
        ("get_api_resources", {"apiGroup": "apps"}),
        ("list_resources", {"kind": "pods", "namespace": namespace}),
        ("list_resources", {"kind": "pods", "namespace": namespace, "output": "wide"}),
        ("list_resources", {"kind": "configmaps", "namespace": namespace, "output": "full"}),
        ("list_resources", {"kind": "configmaps", "namespace": namespace, "fields": ["data"]}),
        ("get_resource", {"kind": "configmaps", "name": "existing", "namespace": namespace}),
        ("get_pod_logs", {"name": name, "namespace": namespace, "container": container, "tailLines": 5}),
        ("get_events", {"namespace": namespace}),
        ("describe_resource", {"kind": "configmaps", "name": "existing", "namespace": namespace}),
        ("diff_resource", {"manifest": configmap("existing", namespace)}),
        ("list_contexts", {}),
        ("create_resource", {"manifest": configmap("created", namespace)}),
        ("update_resource", {"manifest": configmap("existing", namespace), "dryRun": True}),
        ("delete_resource", {"kind": "configmaps", "name": "created", "namespace": namespace}),
    ]
    failing = [
        ("get_api_resources", {"verb": "-x"}),
        ("list_resources", {"kind": "nosuchkind"}),
        ("get_resource", {"kind": "configmaps", "name": "missing", "namespace": namespace}),
        ("get_pod_logs", {"name": "missing", "namespace": namespace}),
        ("get_events", {"limit": 0}),
        ("describe_resource", {"kind": "configmaps", "name": "missing", "namespace": namespace}),
        ("diff_resource", {"manifest": "not: [yaml"}),
        ("list_contexts", {"unexpected": True}),
        ("create_resource", {"manifest": configmap("existing", namespace)}),
        ("update_resource", {"manifest": configmap("missing", namespace)}),
        ("delete_resource", {"kind": "configmaps", "name": "missing", "namespace": namespace}),
    ]
    calls = [{"tool": tool, "arguments": arguments} for tool, arguments in ok + failing]
    calls.append({"tool": "no_such_tool", "arguments": {}})
    report = run_client(node, cluster, WRITES, calls)

    listed = {tool["name"]: tool for tool in report["tools"]}
    # The six core tools and the first read tools; the Helm and day-two tools (scale, diagnose, ...) are not called here yet.
    core = {tool for tool, _ in ok}
    assert core == {tool for tool, _ in failing} and core <= set(listed) <= {spec.name for spec in TOOLS}
    for tool in listed.values():
        assert tool["inputSchema"]["additionalProperties"] is False, tool["name"]
        assert tool["outputSchema"]["type"] == "object", tool["name"]
        assert "anyOf" in tool["outputSchema"] or tool["name"] not in core, tool["name"]
    answers = report["calls"]
    for (tool, arguments), answer in zip(ok, answers[: len(ok)], strict=True):
        assert "thrown" not in answer, f"{tool} {arguments}: {answer}"
        assert answer["isError"] is False, f"{tool} {arguments}: {answer}"
    for (tool, arguments), answer in zip(failing, answers[len(ok) : -1], strict=True):
        assert "thrown" not in answer, f"{tool} {arguments}: the error did not pass its schema: {answer}"
        assert answer["isError"] is True and answer["keys"] == ["error"] and answer["reason"], f"{tool} {arguments}: {answer}"
    unknown = answers[-1]
    assert unknown["code"] == -32602 and "Unknown tool" in unknown["thrown"], unknown
