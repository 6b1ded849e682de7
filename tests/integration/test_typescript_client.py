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
WRITES = ("--enable-create", "--enable-update", "--enable-delete", "--enable-exec")

pytestmark = pytest.mark.timeout(300)


@pytest.fixture(scope="module")
def node() -> Path:
    if not (NODE.exists() and (NODE_MODULES / "@modelcontextprotocol" / "sdk").is_dir()):
        if os.environ.get("MCP_KUBECTL_REQUIRE_TYPESCRIPT"):
            pytest.fail("the TypeScript SDK client is not installed: run bash .ci/typescript-client.sh")
        pytest.skip("needs the TypeScript SDK client: bash .ci/typescript-client.sh")
    return NODE


def run_client(node: Path, cluster: Cluster, flags: tuple[str, ...], calls: list[dict[str, Any]], env: dict[str, str] | None = None) -> dict[str, Any]:
    plan = {
        "nodeModules": str(NODE_MODULES),
        "command": sys.executable,
        "args": ["-m", "mcp_kubectl", f"--kubeconfig={cluster.kubeconfig}", f"--kubectl={cluster.kubectl_path}", f"--cache-dir={cluster.cache_dir}", *flags],
        "env": {**{k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "TMPDIR")}, **(env or {})},
        "calls": calls,
    }
    done = subprocess.run([str(node), str(SCRIPT)], input=json.dumps(plan), capture_output=True, text=True, timeout=240)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)


def assert_real_schemas(tools: Any) -> None:
    """Closed input schemas; output schemas that name fields and admit the error answer."""
    for tool in tools:
        assert tool["inputSchema"]["additionalProperties"] is False, tool["name"]
        output = tool["outputSchema"]
        assert output["type"] == "object" and len(output["properties"]) > 1, tool["name"]
        assert output["properties"]["error"] == {"type": "object"}, tool["name"]  # admitted as an object (schemas.ERROR)
        assert {"required": ["error"]} in output["anyOf"] and len(output["anyOf"]) > 1, tool["name"]


def deployment(name: str, namespace: str) -> str:
    labels = {"app": name}
    return json.dumps({
        "apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": name, "namespace": namespace},
        "spec": {"replicas": 1, "selector": {"matchLabels": labels}, "template": {"metadata": {"labels": labels}, "spec": {"containers": [{"name": "web", "image": "nginx:1.27"}]}}},
    })  # fmt: skip


def configmap(name: str, namespace: str) -> str:
    return json.dumps({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name, "namespace": namespace}, "data": {"k": "v"}})


def test_every_tool_answers_and_fails_within_its_schema(node: Path, cluster: Cluster, emulator: Any) -> None:
    namespace = cluster.new_namespace("ts")
    emulator.seed_pods(1, namespace)
    pod = cluster.kubectl_json("get", "pods", "-n", namespace)["items"][0]
    name, container = pod["metadata"]["name"], pod["spec"]["containers"][0]["name"]
    cluster.apply(configmap("existing", namespace))
    cluster.apply(deployment("web", namespace))
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
        ("diagnose_resource", {"kind": "pods", "name": name, "namespace": namespace}),
        ("scale_resource", {"kind": "deployments", "name": "web", "namespace": namespace, "replicas": 2}),
        ("explain_resource", {"resource": "deployments.spec.replicas"}),
        ("rollout_resource", {"kind": "deployments", "name": "web", "namespace": namespace, "action": "history"}),
        ("create_resource", {"manifest": configmap("created", namespace)}),
        ("update_resource", {"manifest": configmap("existing", namespace), "dryRun": True}),
        ("delete_resource", {"kind": "configmaps", "name": "created", "namespace": namespace}),
        ("top_resources", {"namespace": namespace, "containers": True}),
        ("exec_in_pod", {"name": name, "namespace": namespace, "container": container, "command": ["sh", "-c", "exit 2"]}),
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
        ("diagnose_resource", {"kind": "pods", "name": "missing", "namespace": namespace}),
        ("scale_resource", {"kind": "deployments", "name": "missing", "namespace": namespace, "replicas": 2}),
        ("explain_resource", {"resource": "deployments.spec.nosuch"}),
        ("rollout_resource", {"kind": "deployments", "name": "missing", "namespace": namespace, "action": "restart"}),
        ("create_resource", {"manifest": configmap("existing", namespace)}),
        ("update_resource", {"manifest": configmap("missing", namespace)}),
        ("delete_resource", {"kind": "configmaps", "name": "missing", "namespace": namespace}),
        ("top_resources", {"kind": "deployments"}),
        ("exec_in_pod", {"name": name, "namespace": namespace, "command": []}),
    ]
    calls = [{"tool": tool, "arguments": arguments} for tool, arguments in ok + failing]
    calls.append({"tool": "no_such_tool", "arguments": {}})
    report = run_client(node, cluster, WRITES, calls)

    listed = {tool["name"]: tool for tool in report["tools"]}
    # Every kubectl tool, each for an answer and an error (the Helm tools: test_helm_tools_answer_and_fail_within_their_schemas).
    called = {tool for tool, _ in ok}
    expected = {spec.name for spec in TOOLS if not spec.helm}
    assert called == {tool for tool, _ in failing} == set(listed) == expected, (
        f"every tool is called here for an answer and an error: add {sorted(expected - called)} to `ok` and `failing`"
    )
    assert_real_schemas(listed.values())
    answers = report["calls"]
    for (tool, arguments), answer in zip(ok, answers[: len(ok)], strict=True):
        assert "thrown" not in answer, f"{tool} {arguments}: {answer}"
        assert answer["isError"] is False, f"{tool} {arguments}: {answer}"
    for (tool, arguments), answer in zip(failing, answers[len(ok) : -1], strict=True):
        assert "thrown" not in answer, f"{tool} {arguments}: the error did not pass its schema: {answer}"
        assert answer["isError"] is True and answer["keys"] == ["error"] and answer["reason"], f"{tool} {arguments}: {answer}"
    unknown = answers[-1]
    assert unknown["code"] == -32602 and "Unknown tool" in unknown["thrown"], unknown


def test_helm_tools_answer_and_fail_within_their_schemas(node: Path, cluster: Cluster, tmp_path: Path) -> None:
    """The eight Helm tools through the TypeScript SDK's client, with the newest pinned helm (4.2.3):
    the schemas are the server's, not helm's, so one helm version proves them (test_helm.py runs both)."""
    from test_helm import ALL_HELM_FLAGS, ChartRepository, helm_binary, helm_home

    helm = helm_binary("helm-4.2.3")
    repository = ChartRepository(helm, tmp_path / "repo")
    try:
        ns = cluster.new_namespace("tshelm")
        release = {"name": "web", "namespace": ns}
        ok = [
            ("add_helm_repository", {"name": "fixtures", "url": repository.url}),
            ("list_helm_repositories", {}),
            ("install_helm_chart", {**release, "chart": "fixtures/demo", "values": "message: hi"}),
            ("list_helm_releases", {"namespace": ns}),
            *[("get_helm_release", {**release, "resource": resource}) for resource in ("status", "values", "manifest", "notes", "history")],
            ("upgrade_helm_chart", {**release, "chart": "fixtures/demo", "values": "replicas: 2", "dryRun": True}),
            ("uninstall_helm_chart", release),
            ("remove_helm_repository", {"name": "fixtures"}),
        ]
        failing = [
            ("add_helm_repository", {"name": "x", "url": "file:///etc"}),
            ("list_helm_repositories", {"unexpected": True}),
            ("install_helm_chart", {**release, "chart": "fixtures/demo"}),  # the repository is gone by now
            ("list_helm_releases", {"namespace": "-A"}),
            ("get_helm_release", {**release, "resource": "history"}),  # uninstalled
            ("upgrade_helm_chart", {**release, "chart": "fixtures/demo"}),
            ("uninstall_helm_chart", release),
            ("remove_helm_repository", {"name": "fixtures"}),
        ]
        calls = [{"tool": tool, "arguments": arguments} for tool, arguments in ok + failing]
        home = helm_home(tmp_path / "home")
        report = run_client(node, cluster, (f"--helm={helm}", *ALL_HELM_FLAGS), calls, env=home)
    finally:
        repository.close()
    listed = {tool["name"]: tool for tool in report["tools"] if tool["name"].endswith(("_chart", "_release", "_releases", "_repository", "_repositories"))}
    assert set(listed) == {spec.name for spec in TOOLS if spec.helm} == {tool for tool, _ in ok} == {tool for tool, _ in failing}
    assert_real_schemas(listed.values())
    answers = report["calls"]
    for (tool, arguments), answer in zip(ok, answers[: len(ok)], strict=True):
        assert "thrown" not in answer and answer["isError"] is False, f"{tool} {arguments}: {answer}"
    for (tool, arguments), answer in zip(failing, answers[len(ok) :], strict=True):
        assert "thrown" not in answer, f"{tool} {arguments}: the error did not pass its schema: {answer}"
        assert answer["isError"] is True and answer["keys"] == ["error"] and answer["reason"], f"{tool} {arguments}: {answer}"
