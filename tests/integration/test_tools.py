"""The core tools end to end: a real MCP client, a real mcp-kubectl process, real kubectl, the emulator
(or a real cluster named by MCP_KUBECTL_TEST_KUBECONFIG)."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import uuid
from pathlib import Path
from typing import Any

import pytest

from harness import Cluster, McpServerProcess
from mcp.shared.exceptions import MCPError
from mcp_types import INVALID_PARAMS, METHOD_NOT_FOUND
from mcp_kubectl.settings import Settings
from mcp_kubectl.tools.table import TOOLS, enabled_verbs

pytestmark = [pytest.mark.both_targets, pytest.mark.all_transports]

READ_TOOLS = {
    "get_resource",
    "get_api_resources",
    "list_resources",
    "get_pod_logs",
    "get_events",
    "describe_resource",
    "diagnose_resource",
    "top_resources",
    "diff_resource",
    "explain_resource",
    "list_contexts",
}
# Offered with listing; read-only unless --enable-update opens its write actions.
LISTED = READ_TOOLS | {"rollout_resource"}


def configmap(name: str, namespace: str, value: str = "v1", labels: dict[str, str] | None = None) -> str:
    return json.dumps(
        {
            "apiVersion": "v1",
            "kind": "ConfigMap",
            "metadata": {"name": name, "namespace": namespace, "labels": labels or {"app": "demo"}},
            "data": {"key": value},
        }
    )


@pytest.fixture
def namespace(cluster: Cluster) -> str:
    name = cluster.new_namespace()
    yield name
    cluster.kubectl("delete", "namespace", name, "--wait=false", check=False)


# ----------------------------------------------------------------------------- gating


@pytest.mark.parametrize(
    "flags, expected",
    [
        ((), LISTED),
        (("--enable-create",), LISTED | {"create_resource"}),
        (("--enable-update",), LISTED | {"update_resource", "scale_resource"}),
        (("--enable-delete",), LISTED | {"delete_resource"}),
        (("--enable-exec",), LISTED | {"exec_in_pod"}),
        (("-enable-create", "-enable-delete"), LISTED | {"create_resource", "delete_resource"}),
        (("--disable-list",), {"get_resource"}),
        (("-enable-list=false",), {"get_resource"}),
    ],
)
@pytest.mark.stdio_only(reason="starts a server per case and proves nothing transport-specific")
def test_each_flag_adds_exactly_its_tool(server_factory, flags: tuple[str, ...], expected: set[str]) -> None:
    assert set(server_factory(*flags).tool_names()) == expected


@pytest.mark.parametrize(
    "tool, arguments",
    [
        ("create_resource", {"manifest": configmap("sneaky", "default")}),
        ("update_resource", {"manifest": configmap("sneaky", "default")}),
        ("delete_resource", {"kind": "configmaps", "name": "sneaky"}),
        ("exec_in_pod", {"name": "sneaky", "command": ["true"]}),
    ],
)
def test_disabled_tool_called_by_name_never_reaches_kubectl(reader: McpServerProcess, cluster: Cluster, tool: str, arguments: dict) -> None:
    cluster.clear_requests()
    with pytest.raises(MCPError) as refused:
        reader.call(tool, arguments)
    assert refused.value.code == INVALID_PARAMS  # the spec's protocol error for an unknown tool
    assert refused.value.message == f"Unknown tool: {tool}"
    assert [r for r in cluster.requests if r.method not in ("GET", "HEAD")] == []


def hint(tool: Any, name: str) -> bool:
    """An annotation as the spec reads it: a hint left out has the MCP default (sent only where it differs)."""
    value = getattr(tool.annotations, name)
    return {"read_only_hint": False, "destructive_hint": True, "idempotent_hint": False, "open_world_hint": True}[name] if value is None else value


def test_annotations_are_truthful(writer: McpServerProcess) -> None:
    tools = {tool.name: tool for tool in writer.list_tools().tools}
    for name in READ_TOOLS:
        assert hint(tools[name], "read_only_hint") is True
        assert tools[name].annotations.model_dump(exclude_none=True) == {"read_only_hint": True}  # nothing else to say
    assert hint(tools["create_resource"], "read_only_hint") is False
    assert hint(tools["create_resource"], "destructive_hint") is False
    assert hint(tools["update_resource"], "destructive_hint") is True
    assert hint(tools["delete_resource"], "destructive_hint") is True
    assert hint(tools["scale_resource"], "read_only_hint") is False
    assert hint(tools["delete_resource"], "idempotent_hint") is True
    assert all(hint(tool, "open_world_hint") is True for tool in tools.values())
    assert all(tool.output_schema is not None for tool in tools.values())


def test_instructions_name_the_enabled_writes(server_factory) -> None:
    reader = server_factory()
    assert "Enabled writes: none (read-only)" in reader.client.instructions
    writer = server_factory("--enable-create", "--enable-update", "--enable-delete")
    assert "create_resource, update_resource, scale_resource, delete_resource" in writer.client.instructions


def test_instructions_never_point_at_a_tool_that_is_not_offered(server_factory) -> None:
    assert "list_resources" in server_factory().client.instructions
    assert "list_resources" not in server_factory("--disable-list").client.instructions


# ----------------------------------------------------------------------------- the tool table


def _readme_tool_rows() -> dict[str, str]:
    """The README's Tools table: tool name -> its 'enabled by' cell."""
    text = (Path(__file__).parents[2] / "README.md").read_text()
    section = text.split("\n## Tools\n", 1)[1].split("\n## ", 1)[0]
    rows = {}
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 4 and cells[0].startswith("`"):
            rows[cells[0].strip("`")] = cells[3]
    return rows


def test_the_readme_lists_exactly_the_tool_table() -> None:
    rows = _readme_tool_rows()
    assert list(rows) == [spec.name for spec in TOOLS], "README's Tools table and tool_table.TOOLS differ"
    for spec in TOOLS:
        assert spec.gate.flag in rows[spec.name], f"{spec.name}: README says {rows[spec.name]!r}, the table {spec.gate.flag}"


def test_every_verb_in_the_table_is_one_the_runner_knows() -> None:
    from mcp_kubectl.cluster.runner import ALLOWED_VERBS

    for spec in TOOLS:
        assert spec.verbs("kubectl") <= ALLOWED_VERBS, spec.name
    assert enabled_verbs(Settings(enable_list=False)) == {"get", "api-resources", "version"}
    every_write = Settings(enable_create=True, enable_update=True, enable_delete=True)
    assert "exec" not in enabled_verbs(every_write)  # exec is never implied by another flag
    assert enabled_verbs(every_write.replace(enable_exec=True)) == ALLOWED_VERBS


@pytest.mark.parametrize("flags", [(), ("--enable-create", "--enable-delete"), ("--disable-list", "--enable-update")])
@pytest.mark.stdio_only(reason="starts a server per case and proves nothing transport-specific")
def test_check_lists_exactly_what_the_server_registers(cluster: Cluster, server_factory, flags: tuple[str, ...]) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "mcp_kubectl", "check", f"--kubectl={cluster.kubectl_path}", f"--kubeconfig={cluster.kubeconfig}", f"--cache-dir={cluster.cache_dir}", *flags],
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    (line,) = [line for line in done.stdout.splitlines() if "tools that would be enabled" in line]
    listed = line.split(": ", 1)[1].split(", ")
    assert sorted(listed) == server_factory(*flags).tool_names()


# ----------------------------------------------------------------------------- the protocol (issue 13)

ARGUMENT_ERRORS = [
    # (tool, arguments, the parameter named, words in the message, words in the hint)
    ("get_resource", {"kind": "pods"}, "name", "needs 'name'", "a string"),
    ("get_resource", {"kind": "pods", "name": 5}, "name", "name=5", "a string"),
    ("get_resource", {"kind": ["pods"], "name": "x"}, "kind", "kind=['pods']", "a string"),
    ("list_resources", {"kind": "pods", "limit": 0}, "limit", "limit=0", "an integer from 1 to 1000"),
    ("list_resources", {"kind": "pods", "limit": "many"}, "limit", "limit='many'", "an integer from 1 to 1000"),
    ("list_resources", {"kind": "pods", "output": "yaml"}, "output", "output='yaml'", "one of 'summary', 'wide', 'full'"),
    ("list_resources", {"kind": "pods", "fields": [1]}, "fields", "fields[0]=1", "a list of strings"),
    ("list_resources", {"kind": "pods", "allNamespaces": "yes please"}, "allNamespaces", "allNamespaces=", "true or false"),
    ("get_pod_logs", {"name": "p", "tailLines": -1}, "tailLines", "tailLines=-1", "an integer from 1 to 100000"),
    ("list_resources", {"kind": "pods", "namepsace": "kube-system"}, "namepsace", "did you mean 'namespace'?", "list_resources takes: kind, namespace"),
    ("get_events", {"warningOnly": True}, "warningOnly", "did you mean 'warningsOnly'?", "warningsOnly"),
    ("get_resource", {"kind": "pods", "name": "x", "zzz": 1}, "zzz", "has no parameter 'zzz'", "get_resource takes"),
    ("get_resource", {"kind": "pods", "name": "x", "context": "other"}, "context", "takes no 'context'", "--allowed-contexts"),
]


@pytest.mark.parametrize("tool, arguments, parameter, message, hint", ARGUMENT_ERRORS, ids=[f"{c[0]}-{c[2]}-{i}" for i, c in enumerate(ARGUMENT_ERRORS)])
def test_argument_errors_are_typed_and_never_reach_kubectl(
    reader: McpServerProcess, cluster: Cluster, tool: str, arguments: dict, parameter: str, message: str, hint: str
) -> None:
    cluster.clear_requests()
    answer = reader.fails(tool, arguments, reason="InvalidArgument")
    error = answer.data["error"]
    assert error["argument"] == parameter
    assert message in error["message"] and hint in error["hint"], error
    assert "pydantic" not in answer.text and "validation error" not in answer.text
    assert cluster.requests == []


def test_every_input_schema_is_closed(writer: McpServerProcess) -> None:
    for tool in writer.list_tools().tools:
        assert tool.input_schema["additionalProperties"] is False, tool.name
        assert "title" not in tool.input_schema


def test_context_is_offered_only_when_there_is_a_choice(server_factory, cluster: Cluster) -> None:
    def with_context(server: McpServerProcess) -> set[str]:
        return {tool.name for tool in server.list_tools().tools if "context" in tool.input_schema["properties"]}

    own = cluster.kubectl("config", "current-context").stdout.strip()
    assert with_context(server_factory()) == set()
    assert with_context(server_factory(f"--allowed-contexts={own}")) == set()  # only its own: still no choice
    assert with_context(server_factory("--allowed-contexts=other")) >= READ_TOOLS - {"list_contexts"}


def test_output_schemas_describe_the_answer_and_admit_errors(writer: McpServerProcess) -> None:
    """Success answers are checked against these schemas by the MCP client on every call in every
    test; here: the schemas are not vacuous, and the error shape passes each (as the TypeScript SDK demands)."""
    import jsonschema

    error = {"error": {"reason": "NotFound", "message": "pods \"x\" not found", "hint": "Check the name."}}
    for tool in writer.list_tools().tools:  # every tool, the day-two ones included (Helm: test_typescript_client.py)
        schema = tool.output_schema
        assert schema is not None, f"{tool.name}: annotate its return with answer(...) from mcp_kubectl.tools.schemas"
        assert schema["type"] == "object" and len(schema["anyOf"]) >= 2 and {"required": ["error"]} in schema["anyOf"], tool.name
        jsonschema.validate(error, schema)
        assert not jsonschema.Draft202012Validator(schema).is_valid({}), f"{tool.name}: an empty answer passes"
        assert not jsonschema.Draft202012Validator(schema).is_valid({"error": "NotFound"}), tool.name
        assert not jsonschema.Draft202012Validator(schema).is_valid({"error": ["NotFound"]}), tool.name
    lists = {tool.name: tool.output_schema for tool in writer.list_tools().tools}["list_resources"]
    assert not jsonschema.Draft202012Validator(lists).is_valid({"kind": "Pod", "apiVersion": "v1", "count": "3"})


def test_only_tools_are_declared_and_other_methods_are_not_found(reader: McpServerProcess) -> None:
    capabilities = reader.client.server_capabilities
    assert capabilities.tools is not None
    assert capabilities.prompts is None and capabilities.resources is None
    for call, arguments in ((reader.client.list_prompts, ()), (reader.client.list_resources, ()), (reader.client.get_prompt, ("nope",))):
        with pytest.raises(MCPError) as refused:
            reader._portal.call(call, *arguments)
        assert refused.value.code == METHOD_NOT_FOUND  # a valid JSON-RPC code, never 0


# ----------------------------------------------------------------------------- reads


def test_get_api_resources_parses_and_filters(reader: McpServerProcess) -> None:
    everything = reader.ok("get_api_resources")
    by_name = {(r["group"], r["name"]): r for r in everything["resources"]}
    pods = by_name[("", "pods")]
    assert pods == {
        "name": "pods",
        "shortNames": ["po"],
        "group": "",
        "version": "v1",
        "kind": "Pod",
        "namespaced": True,
        "verbs": ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"],
        "categories": ["all"],
    }
    assert by_name[("apps", "deployments")]["shortNames"] == ["deploy"]
    assert by_name[("", "namespaces")]["namespaced"] is False

    apps = reader.ok("get_api_resources", {"apiGroup": "apps"})
    assert apps["count"] > 0 and {r["group"] for r in apps["resources"]} == {"apps"}
    cluster_only = reader.ok("get_api_resources", {"includeNamespaceScoped": False})
    assert cluster_only["resources"] and not any(r["namespaced"] for r in cluster_only["resources"])
    deletable = reader.ok("get_api_resources", {"verb": "delete"})
    assert deletable["resources"] and all("delete" in r["verbs"] for r in deletable["resources"])
    assert ("", "pods") in {(r["group"], r["name"]) for r in deletable["resources"]}
    assert ("", "bindings") not in {(r["group"], r["name"]) for r in deletable["resources"]}  # create-only
    assert deletable["count"] < everything["count"]


@pytest.mark.parametrize("spelling", ["configmaps", "configmap", "cm", "ConfigMap", "configmaps.", "configmaps.v1."])
def test_get_resource_accepts_every_kubectl_spelling(cluster: Cluster, reader: McpServerProcess, namespace: str, spelling: str) -> None:
    cluster.apply(configmap("settings", namespace))
    obj = reader.ok("get_resource", {"kind": spelling, "name": "settings", "namespace": namespace})
    assert obj["kind"] == "ConfigMap"
    assert obj["metadata"]["name"] == "settings"
    assert obj["data"] == {"key": "v1"}
    assert "managedFields" not in obj["metadata"]
    assert "kubectl.kubernetes.io/last-applied-configuration" not in obj["metadata"].get("annotations", {})


def test_get_resource_not_found_is_typed_with_hint(reader: McpServerProcess, namespace: str) -> None:
    answer = reader.fails("get_resource", {"kind": "configmaps", "name": "missing", "namespace": namespace}, reason="NotFound")
    assert 'configmaps "missing" not found' in answer.text
    assert answer.data["error"]["hint"]


def test_unknown_type_points_to_get_api_resources(reader: McpServerProcess) -> None:
    answer = reader.fails("get_resource", {"kind": "flurbs", "name": "x"}, reason="UnknownResourceType")
    assert "get_api_resources" in answer.data["error"]["hint"]


def test_cluster_scoped_get_ignores_namespace_with_a_note(reader: McpServerProcess, namespace: str) -> None:
    answer = reader.ok("get_resource", {"kind": "namespaces", "name": namespace, "namespace": "elsewhere"})
    assert answer["object"]["metadata"]["name"] == namespace
    assert "cluster-scoped" in answer["notes"][0]


def test_list_resources_selectors_and_namespaces(cluster: Cluster, reader: McpServerProcess, namespace: str) -> None:
    # `suite` tells this run's objects from those of the runs over other transports, still being deleted.
    for index, tier in enumerate(["web", "web", "db"]):
        cluster.apply(configmap(f"cm-{index}", namespace, labels={"app": "demo", "tier": tier, "suite": namespace}))
    listed = reader.ok("list_resources", {"kind": "cm", "namespace": namespace, "output": "full"})
    # A real cluster adds kube-root-ca.crt to every namespace; the emulator does not.
    assert {i["metadata"]["name"] for i in listed["items"]} - {"kube-root-ca.crt"} == {"cm-0", "cm-1", "cm-2"}
    web = reader.ok("list_resources", {"kind": "configmaps", "namespace": namespace, "labelSelector": "tier=web", "output": "full"})
    assert sorted(i["metadata"]["name"] for i in web["items"]) == ["cm-0", "cm-1"]
    not_web = reader.ok("list_resources", {"kind": "configmaps", "namespace": namespace, "labelSelector": "tier in (db),app"})
    assert [row[0] for row in not_web["rows"]] == ["cm-2"]
    by_name = reader.ok("list_resources", {"kind": "configmaps", "namespace": namespace, "fieldSelector": "metadata.name=cm-1"})
    assert [row[0] for row in by_name["rows"]] == ["cm-1"]
    everywhere = reader.ok("list_resources", {"kind": "configmaps", "allNamespaces": True, "labelSelector": f"tier=db,suite={namespace}"})
    # Rows from one namespace name it once, beside the table, instead of in a column.
    assert (everywhere["namespace"], everywhere["count"], [row[0] for row in everywhere["rows"]]) == (namespace, 1, ["cm-2"])
    assert "namespace" not in everywhere["columns"]


def test_list_of_an_unlistable_kind_or_bad_selector_fails_cleanly(reader: McpServerProcess) -> None:
    unlistable = reader.fails("list_resources", {"kind": "bindings", "namespace": "default"}, reason="MethodNotAllowed")
    assert "bindings cannot be listed" in unlistable.text  # discovery says bindings are create-only
    selector = reader.fails("list_resources", {"kind": "configmaps", "labelSelector": "app=$(id)"}, reason="InvalidArgument")
    assert selector.data["error"]["hint"]
    # The schema's bounds are checked before the tool runs: a typed error naming the argument and the bound.
    for limit, bound in [(0, "greater than or equal to 1"), (1001, "less than or equal to 1000")]:
        answer = reader.fails("list_resources", {"kind": "configmaps", "limit": limit}, reason="InvalidArgument")
        assert answer.data["error"]["argument"] == "limit" and bound in answer.text, answer.text


# ----------------------------------------------------------------------------- writes


def test_create_creates_and_never_overwrites(cluster: Cluster, writer: McpServerProcess, namespace: str) -> None:
    created = writer.ok("create_resource", {"manifest": configmap("fresh", namespace, "first")})
    assert created["dryRun"] is False
    assert created["created"][0]["metadata"]["name"] == "fresh"
    assert cluster.kubectl_json("get", "cm", "fresh", "-n", namespace)["data"] == {"key": "first"}
    answer = writer.fails("create_resource", {"manifest": configmap("fresh", namespace, "second")}, reason="AlreadyExists")
    assert "update_resource" in answer.data["error"]["hint"]
    assert cluster.kubectl_json("get", "cm", "fresh", "-n", namespace)["data"] == {"key": "first"}


def test_create_fills_the_default_namespace_and_takes_yaml_multi_documents(cluster: Cluster, server_factory, namespace: str) -> None:
    server = server_factory("--enable-create", f"--namespace={namespace}")
    manifest = textwrap.dedent(
        """\
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: yaml-one
        data:
          a: "1"
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: yaml-two
        """
    )
    created = server.ok("create_resource", {"manifest": manifest})
    assert [o["metadata"]["namespace"] for o in created["created"]] == [namespace, namespace]
    assert cluster.exists("cm", "yaml-one", namespace) and cluster.exists("cm", "yaml-two", namespace)


def test_create_dry_run_changes_nothing(cluster: Cluster, writer: McpServerProcess, namespace: str) -> None:
    answer = writer.ok("create_resource", {"manifest": configmap("dry", namespace), "dryRun": True})
    assert answer["dryRun"] is True and answer["created"][0]["metadata"]["name"] == "dry"
    assert not cluster.exists("cm", "dry", namespace)


def test_update_changes_existing_objects_only(cluster: Cluster, writer: McpServerProcess, namespace: str) -> None:
    answer = writer.fails("update_resource", {"manifest": configmap("absent", namespace)}, reason="NotFound")
    assert "create_resource" in answer.data["error"]["hint"]
    assert not cluster.exists("cm", "absent", namespace)

    cluster.kubectl("create", "-f", "-", stdin=configmap("target", namespace, "old"))
    updated = writer.ok("update_resource", {"manifest": configmap("target", namespace, "new"), "force": True})
    assert updated["updated"][0]["data"] == {"key": "new"}
    live = cluster.kubectl_json("get", "cm", "target", "-n", namespace, "--show-managed-fields")
    assert live["data"] == {"key": "new"}
    assert "mcp-kubectl" in {m["manager"] for m in live["metadata"]["managedFields"]}


@pytest.mark.parametrize("fast_reads", [False, True], ids=["kubectl-get", "fast-reads"])
@pytest.mark.parametrize("dry_run", [False, True], ids=["write", "dry-run"])
@pytest.mark.parametrize("missing", [0, 1], ids=["first-missing", "second-missing"])
@pytest.mark.stdio_only(reason="starts a server per case and proves nothing transport-specific")
def test_update_never_creates_any_document(
    cluster: Cluster, server_factory, namespace: str, fast_reads: bool, dry_run: bool, missing: int
) -> None:
    """Every document of an update must already exist, wherever it stands in the manifest, with or
    without dryRun, and whichever path checks it (kubectl get or the fast-reads proxy): one missing
    object refuses the whole update, so neither is written."""
    server = server_factory("--enable-update", *(["--fast-reads"] if fast_reads else []))
    cluster.kubectl("create", "-f", "-", stdin=configmap("present", namespace, "old"))
    before = cluster.kubectl_json("get", "cm", "present", "-n", namespace)
    names = ["present", "present"]
    names[missing] = "absent"
    manifest = "\n---\n".join(configmap(name, namespace, "new") for name in names)
    answer = server.fails("update_resource", {"manifest": manifest, "force": True, "dryRun": dry_run}, reason="NotFound")
    assert f"ConfigMap {namespace}/absent does not exist" in answer.text  # the missing one, named
    assert "changes existing objects only" in answer.data["error"]["hint"]
    assert not cluster.exists("cm", "absent", namespace)
    after = cluster.kubectl_json("get", "cm", "present", "-n", namespace)
    assert after["data"] == {"key": "old"}
    assert after["metadata"]["resourceVersion"] == before["metadata"]["resourceVersion"]


def test_update_dry_run_changes_nothing(cluster: Cluster, writer: McpServerProcess, namespace: str) -> None:
    cluster.kubectl("create", "-f", "-", stdin=configmap("steady", namespace, "old"))
    before = cluster.kubectl_json("get", "cm", "steady", "-n", namespace)
    answer = writer.ok("update_resource", {"manifest": configmap("steady", namespace, "new"), "dryRun": True, "force": True})
    assert answer["updated"][0]["data"] == {"key": "new"}
    after = cluster.kubectl_json("get", "cm", "steady", "-n", namespace)
    assert after["data"] == {"key": "old"}
    assert after["metadata"]["resourceVersion"] == before["metadata"]["resourceVersion"]


def test_update_arguments_must_agree_with_the_manifest(writer: McpServerProcess, cluster: Cluster, namespace: str) -> None:
    cluster.kubectl("create", "-f", "-", stdin=configmap("agree", namespace))
    writer.fails("update_resource", {"manifest": configmap("agree", namespace), "name": "other"}, reason="InvalidArgument")
    writer.fails("update_resource", {"manifest": configmap("agree", namespace), "kind": "secrets"}, reason="InvalidArgument")
    # A bad namespace argument is named as such even when the manifest is bad too (it is checked first).
    bad = writer.fails("update_resource", {"manifest": "kind: [", "namespace": "Bad_NS"}, reason="InvalidArgument")
    assert "namespace" in bad.text and "Bad_NS" in bad.text and "manifest" not in bad.text.lower(), bad.text
    writer.ok("update_resource", {"manifest": configmap("agree", namespace), "kind": "cm", "name": "agree", "namespace": namespace, "force": True})


def test_delete_removes_exactly_one_object(cluster: Cluster, writer: McpServerProcess, namespace: str) -> None:
    for name in ("keep-a", "doomed", "keep-b"):
        cluster.kubectl("create", "-f", "-", stdin=configmap(name, namespace))
    dry = writer.ok("delete_resource", {"kind": "configmaps", "name": "doomed", "namespace": namespace, "dryRun": True})
    assert dry["dryRun"] is True
    assert cluster.exists("cm", "doomed", namespace)
    done = writer.ok("delete_resource", {"kind": "cm", "name": "doomed", "namespace": namespace})
    assert done["deleted"] == {"kind": "ConfigMap", "name": "doomed", "namespace": namespace}
    assert not cluster.exists("cm", "doomed", namespace)
    assert cluster.exists("cm", "keep-a", namespace) and cluster.exists("cm", "keep-b", namespace)
    writer.fails("delete_resource", {"kind": "cm", "name": "doomed", "namespace": namespace}, reason="NotFound")


def test_write_into_missing_namespace_is_not_found(writer: McpServerProcess) -> None:
    missing = f"nowhere-{uuid.uuid4().hex[:6]}"
    writer.fails("create_resource", {"manifest": configmap("x", missing)}, reason="NotFound")


def test_invalid_object_is_typed(cluster: Cluster, writer: McpServerProcess, namespace: str) -> None:
    # Capitals and '_' pass our name grammar (some kinds allow them) but not a ConfigMap's DNS-1123 rule.
    answer = writer.fails("create_resource", {"manifest": configmap("Bad_Name", namespace)}, reason="Invalid")
    assert "metadata.name" in answer.text
    assert not cluster.exists("cm", "Bad_Name", namespace)


def test_update_conflict_with_another_manager_needs_force(cluster: Cluster, writer: McpServerProcess, namespace: str) -> None:
    cluster.kubectl("create", "-f", "-", stdin=configmap("owned", namespace, "theirs"))
    answer = writer.fails("update_resource", {"manifest": configmap("owned", namespace, "ours")}, reason="Conflict")
    assert "kubectl-create" in answer.text and "force=true" in answer.data["error"]["hint"]
    assert cluster.kubectl_json("get", "cm", "owned", "-n", namespace)["data"] == {"key": "theirs"}
    writer.ok("update_resource", {"manifest": configmap("owned", namespace, "ours"), "force": True})
    assert cluster.kubectl_json("get", "cm", "owned", "-n", namespace)["data"] == {"key": "ours"}


def test_update_of_what_this_server_created_needs_no_force(cluster: Cluster, writer: McpServerProcess, namespace: str) -> None:
    writer.ok("create_resource", {"manifest": configmap("mine", namespace, "one")})
    writer.ok("update_resource", {"manifest": configmap("mine", namespace, "two")})
    assert cluster.kubectl_json("get", "cm", "mine", "-n", namespace)["data"] == {"key": "two"}
