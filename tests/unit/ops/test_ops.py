"""Operations as plain functions over a gateway, unit-tested against a fake one that replays `fixtures/`.

`FakeGateway` is the real `Gateway` (policy, discovery, shaping, redaction) with only the two
doors to the cluster replaced: `get_raw` serves recorded API bodies from `fixtures/objects` by
path, and `runner.run` answers kubectl commands from a small table. Every request and command
is recorded, so a test can assert what reached "the cluster" and what never did.
"""

from __future__ import annotations

import asyncio
import copy
import json
from pathlib import Path
from typing import Any

import pytest

from mcp_kubectl.cluster.discovery import ApiResource
from mcp_kubectl.errors import KubectlFailed, PolicyDenied, Reason
from mcp_kubectl.cluster.gateway import Gateway
from mcp_kubectl.cluster.kubeconfig import ContextInfo, KubeconfigView
from mcp_kubectl.ops import previews, reads, writes
from mcp_kubectl.ops.reads import ListPage
from mcp_kubectl.tools import render
from mcp_kubectl.cluster.process import ProcessResult, RunLog
from mcp_kubectl.cluster.runner import KubectlCommand
from mcp_kubectl.settings import Settings

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures" / "objects"
_RW = ("create", "delete", "get", "list", "patch", "update", "watch")


def fixture(name: str) -> dict[str, Any]:
    return json.loads((FIXTURES / f"{name}.json").read_text())


def as_list(*items: dict[str, Any]) -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": "List", "metadata": {"resourceVersion": "1"}, "items": [copy.deepcopy(i) for i in items]}


DISCOVERY = [
    ApiResource("pods", ("po",), "", "v1", "Pod", True, _RW, ("all",), "pod"),
    ApiResource("secrets", (), "", "v1", "Secret", True, _RW, (), "secret"),
    ApiResource("namespaces", ("ns",), "", "v1", "Namespace", False, _RW, (), "namespace"),
    ApiResource("events", ("ev",), "", "v1", "Event", True, _RW, (), "event"),
    ApiResource("configmaps", ("cm",), "", "v1", "ConfigMap", True, _RW, (), "configmap"),
    ApiResource("resourcequotas", ("quota",), "", "v1", "ResourceQuota", True, _RW, (), "resourcequota"),
    ApiResource("limitranges", ("limits",), "", "v1", "LimitRange", True, _RW, (), "limitrange"),
    ApiResource("deployments", ("deploy",), "apps", "v1", "Deployment", True, _RW, ("all",), "deployment"),
    ApiResource("replicasets", ("rs",), "apps", "v1", "ReplicaSet", True, _RW, ("all",), "replicaset"),
]

KUBE_SYSTEM = {**fixture("namespace"), "metadata": {**fixture("namespace")["metadata"], "name": "kube-system"}}
PODS = [fixture(n) for n in ("pod-running-two-containers", "pod-crashloop", "pod-pending", "pod-completed")]
BODIES: dict[str, dict[str, Any]] = {
    "/api/v1/namespaces/default/secrets/db-credentials": fixture("secret"),
    "/api/v1/namespaces/default/pods": as_list(*PODS),
    "/api/v1/namespaces": as_list(fixture("namespace"), KUBE_SYSTEM),
    "/api/v1/namespaces/default/events": fixture("events-core-v1"),
    "/apis/apps/v1/namespaces/default/deployments/web": fixture("deployment"),
    "/api/v1/namespaces/default/configmaps/app-config": fixture("configmap"),
}


class FakeRunner:
    """kubectl, answered from a table: (verb, first positional argument) -> stdout."""

    def __init__(self) -> None:
        self.commands: list[KubectlCommand] = []
        self.answers: dict[str, bytes] = {}

    async def run(self, command: KubectlCommand, *, timeout_s: float | None = None, log: Any = None) -> ProcessResult:
        self.commands.append(command)
        stdout = self.answers.get(command.verb)
        if stdout is None:
            raise AssertionError(f"unexpected kubectl {command.verb}")
        return ProcessResult(("kubectl", command.verb), 0, stdout, "", 0.01)


class FakeGateway(Gateway):
    """The real gateway over recorded API bodies instead of a cluster."""

    def __init__(self, **settings: Any) -> None:
        view = KubeconfigView((ContextInfo("test", "test", "https://127.0.0.1:6443", "default"),), "test")
        super().__init__(Settings(**settings), FakeRunner(), view)  # type: ignore[arg-type]
        self.paths: list[str] = []

    async def _fetch_api_resources(self, _context: str | None, refresh: bool) -> list[ApiResource]:
        return list(DISCOVERY)

    async def get_raw(self, path: str) -> bytes:
        self.paths.append(path)
        body = BODIES.get(path.partition("?")[0])
        if body is None:
            raise KubectlFailed(f"{path} not found", reason=Reason.NOT_FOUND)
        return json.dumps(body).encode()


def bound(**settings: Any) -> FakeGateway:
    """A `FakeGateway` bound as the kit binds one for a tool call that names no context."""
    return FakeGateway(**settings).for_call(RunLog(), None)


def run(coroutine: Any) -> Any:
    return asyncio.run(coroutine)


# --- reads ------------------------------------------------------------------------------


def test_get_resource_redacts_a_secret_from_structure() -> None:
    gw = bound()
    secret = run(reads.get_resource(gw, "secret", "db-credentials", namespace="default"))
    raw = fixture("secret")["data"]
    assert set(secret["data"]) == set(raw)
    assert all(value.startswith("<redacted") for value in secret["data"].values())
    assert not any(value in json.dumps(secret) for value in raw.values())
    shown = run(reads.get_resource(bound(show_secrets=True), "secret", "db-credentials", namespace="default"))
    assert shown["data"] == raw


def test_list_resources_summarizes_the_recorded_pods() -> None:
    gw = bound()
    page = run(reads.list_resources(gw, "po", namespace="default"))
    assert isinstance(page, ListPage) and (page.namespace, page.namespaced) == ("default", True)
    names = [row[0] for row in page.answer["rows"]]
    assert names == [p["metadata"]["name"] for p in PODS]
    assert any("CrashLoopBackOff" in row for row in page.answer["rows"])
    assert "CrashLoopBackOff" in render.list_page(page)
    assert gw.paths == ["/api/v1/namespaces/default/pods?limit=100"]


def test_a_list_of_namespaces_leaves_denied_ones_out() -> None:
    gw = bound(denied_namespaces=frozenset({"kube-system"}))
    answer = run(reads.list_resources(gw, "namespaces", output="full")).answer
    assert [i["metadata"]["name"] for i in answer["items"]] == ["monitoring"] and answer["count"] == 1
    everything = run(reads.list_resources(bound(), "namespaces", output="full")).answer
    assert [i["metadata"]["name"] for i in everything["items"]] == ["monitoring", "kube-system"]


def test_events_of_one_object_ask_the_api_for_that_object_only() -> None:
    gw = bound()
    answer = run(reads.get_events(gw, namespace="default", kind="pods", name="api-5f6d7c8b9-qwert"))
    assert answer["count"] >= 1 and all("object" in e or "reason" in e for e in answer["events"])
    (path,) = gw.paths
    assert path.startswith("/api/v1/namespaces/default/events?fieldSelector=")
    assert "involvedObject.name%3Dapi-5f6d7c8b9-qwert" in path and "involvedObject.kind%3DPod" in path


@pytest.mark.parametrize(
    ("call", "flags"),
    [
        (lambda gw: reads.get_resource(gw, "ns", "kube-system"), {"denied_namespaces": frozenset({"kube-system"})}),
        (lambda gw: reads.list_resources(gw, "pods", all_namespaces=True), {"denied_namespaces": frozenset({"x"})}),
        (lambda gw: reads.get_pod_logs(gw, "web", namespace="default"), {"denied_resources": ("pods/log",)}),
        (lambda gw: reads.get_events(gw, kind="secrets", name="db", namespace="default"), {"denied_resources": ("secrets",)}),
        (lambda gw: reads.describe_resource(gw, "deploy", "web", namespace="default"), {"denied_resources": ("rs",)}),
        (lambda gw: writes.delete_resource(gw, "ns", "team-a"), {"allowed_namespaces": frozenset({"team-a"})}),
    ],
    ids=["denied-namespace-object", "all-namespaces", "pods-log", "events-of-denied-type", "describe-related", "cluster-write"],
)
def test_a_refused_request_never_reaches_the_cluster(call: Any, flags: dict[str, Any]) -> None:
    gw = bound(enable_delete=True, **flags)
    with pytest.raises(PolicyDenied):
        run(call(gw))
    assert gw.paths == [] and gw.runner.commands == []  # type: ignore[attr-defined]


# --- describe ---------------------------------------------------------------------------


def test_describe_names_one_object_and_leaves_refused_events_out() -> None:
    gw = bound(denied_resources=("events",))
    gw.runner.answers["describe"] = b"Name: web\nReplicas: 3\n"  # type: ignore[attr-defined]
    described = run(reads.describe_resource(gw, "deploy", "web", namespace="default"))
    (command,) = gw.runner.commands  # type: ignore[attr-defined]
    assert command.args == ("deployments.v1.apps/web",)
    assert "--show-events=false" in command.flags and "--namespace=default" in command.flags
    assert described["notes"][0].startswith("Events left out") and "Replicas: 3" in described["text"]
    assert render.description(described).startswith("Events left out")


# --- writes -----------------------------------------------------------------------------


def test_update_applies_with_the_uid_of_each_checked_object() -> None:
    gw = bound(enable_update=True)
    gw.runner.answers["apply"] = json.dumps(fixture("configmap")).encode()  # type: ignore[attr-defined]
    manifest = json.dumps({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "app-config", "namespace": "default"}, "data": {"k": "v"}})
    answer = run(writes.update_resource(gw, manifest))
    (command,) = gw.runner.commands  # type: ignore[attr-defined]
    applied = json.loads(command.stdin or b"{}")
    applied = applied["items"][0] if applied.get("kind") == "List" else applied
    assert applied["metadata"]["uid"] == fixture("configmap")["metadata"]["uid"]
    assert "--dry-run=server" not in command.flags and "--force-conflicts=true" not in command.flags  # a real write, by default
    assert answer["updated"][0]["metadata"]["name"] == fixture("configmap")["metadata"]["name"]


def test_update_of_a_missing_document_runs_no_apply() -> None:
    gw = bound(enable_update=True)
    documents = [
        {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "app-config", "namespace": "default"}},
        {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "absent", "namespace": "default"}},
    ]
    with pytest.raises(KubectlFailed) as info:
        run(writes.update_resource(gw, "\n".join(json.dumps(d) for d in documents)))
    assert info.value.reason is Reason.NOT_FOUND and "absent" in info.value.message
    assert gw.runner.commands == []  # type: ignore[attr-defined]


def test_a_delete_preview_summarizes_the_object() -> None:
    gw = bound(enable_delete=True)
    text = run(previews.preview_delete(gw, "deploy", "web", namespace="default"))
    name = fixture("deployment")["metadata"]["name"]
    assert text.startswith(f"delete Deployment default/{name}") or text.startswith("delete Deployment")


# --- contexts: the allow-list and the kubeconfig check every call passes ------------------


def test_naming_the_kubeconfigs_current_context_needs_no_allow_list() -> None:
    assert FakeGateway().context_for("test") == "test"  # the current context of the kubeconfig, said explicitly
    with pytest.raises(PolicyDenied, match="not in --allowed-contexts"):
        FakeGateway().context_for("other")


def test_every_call_checks_that_the_kubeconfig_has_its_context() -> None:
    from mcp_kubectl.errors import KubeconfigError

    on_disk = KubeconfigView((ContextInfo("test", "test", "https://127.0.0.1:6443", "default"),), "test",
                             searched=(Path("/k/config"),), found=(Path("/k/config"),))
    allowed = FakeGateway(allowed_contexts=frozenset({"gone"}))
    allowed.kubeconfig = on_disk
    with pytest.raises(KubeconfigError, match="context 'gone' not found"):
        allowed.context_for("gone")  # allowed by the operator, but not in the kubeconfig
    started_with = FakeGateway(context="gone")
    started_with.kubeconfig = on_disk
    with pytest.raises(KubeconfigError, match="context 'gone' not found"):
        started_with.context_for(None)  # the server's own --context is checked as well
    fine = FakeGateway()
    fine.kubeconfig = on_disk
    assert fine.context_for(None) is None


def test_a_bound_gateway_sends_every_request_to_its_calls_context() -> None:
    other = ContextInfo("other", "other", "https://127.0.0.1:6444", "team-b")
    gw = FakeGateway(allowed_contexts=frozenset({"other"}))
    gw.kubeconfig = KubeconfigView((*gw.kubeconfig.contexts, other), "test")
    gw.runner.answers["delete"] = b'pod "web" deleted\n'  # type: ignore[attr-defined]
    call = gw.for_call(RunLog(), "other")
    assert call.context == "other" and call.default_namespace() == "team-b"
    run(writes.delete_resource(call, "pods", "web"))
    (command,) = gw.runner.commands  # type: ignore[attr-defined]
    assert command.context == "other" and "--namespace=team-b" in command.flags  # that context's namespace, too
    with pytest.raises(PolicyDenied, match="not in --allowed-contexts"):
        gw.for_call(RunLog(), "elsewhere")  # refused when bound: before any operation runs


def test_the_servers_own_context_brings_its_own_namespace() -> None:
    """--context names another context than the kubeconfig's current one: calls naming none go to its namespace."""
    gw = FakeGateway(context="other")
    gw.kubeconfig = KubeconfigView((*gw.kubeconfig.contexts, ContextInfo("other", "other", "https://127.0.0.1:6444", "team-b")), "test")
    call = gw.for_call(RunLog(), None)
    assert call.default_namespace() == "team-b"
    assert run(call.locate("pods", None))[0].namespace == "team-b"


def test_helm_runs_against_the_calls_context_and_its_repositories_against_none() -> None:
    from mcp_kubectl.cluster.helm import HelmCommand, HelmRunner
    from mcp_kubectl.ops.helm import Helm

    argvs: list[list[str]] = []

    class Recording(HelmRunner):
        async def run(self, command: HelmCommand, *, log: Any = None) -> ProcessResult:
            argvs.append(self.build_argv(command))
            return ProcessResult(tuple(argvs[-1]), 0, b"[]", "", 0.01)

    gw = FakeGateway(allowed_contexts=frozenset({"other"}))
    gw.kubeconfig = KubeconfigView((*gw.kubeconfig.contexts, ContextInfo("other", "other", "https://127.0.0.1:6444", "team-b")), "test")
    gw.helm = Helm(Recording(gw.settings, "/bin/helm", {"list", "repo list"}, environ={}))
    call = gw.for_call(RunLog(), "other")
    assert run(call.helm.list_releases(call)) == {"releases": [], "count": 0}
    assert argvs[-1][-2:] == ["--kube-context=other", "--namespace=team-b"]  # that context, and its namespace
    local = gw.for_local_call(RunLog())
    assert run(local.helm.list_repositories(local)) == {"repositories": []}  # never reaches a cluster: no context needed
    assert not any(arg.startswith("--kube-context") for arg in argvs[-1])


def test_an_unbound_gateway_reaches_no_cluster() -> None:
    from mcp_kubectl.cluster.gateway import Unbound

    gw = FakeGateway()
    for unbound in (gw, gw.for_local_call(RunLog())):  # never bound, or bound for a call that stays local
        with pytest.raises(Unbound):
            run(reads.get_resource(unbound, "pods", "web"))
    assert gw.paths == [] and gw.runner.commands == []  # type: ignore[attr-defined]
    assert gw.for_local_call(RunLog()).namespace_in("test") == "default"  # local answers still work


def test_locate_says_when_a_namespace_is_ignored_and_points_where_the_call_goes() -> None:
    gw = bound()
    note = ["namespaces is cluster-scoped; the namespace was ignored."]
    for namespace, every in (("team-a", False), (None, True), ("team-a", True)):
        address, notes = run(gw.locate("namespaces", namespace, all_namespaces=every))
        assert (address.namespace, notes) == (None, note)
    assert run(gw.locate("namespaces", None))[1] == []
    assert run(gw.locate("pods", None))[0].namespace == "default"  # the context's namespace
    assert run(gw.locate("pods", "team-a"))[0].namespace == "team-a"
    assert run(gw.locate("pods", "team-a", all_namespaces=True))[0].namespace is None


def test_a_manifest_document_is_pointed_at_its_namespace_or_none() -> None:
    manifest = json.dumps({"apiVersion": "v1", "kind": "List", "items": [
        {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "team-b", "namespace": "ignored"}},
        {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "settings"}},
        {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "other", "namespace": "team-a"}},
    ]})  # fmt: skip
    _, documents, targets = run(bound().manifest_targets(manifest, "create"))
    assert [d["metadata"].get("namespace") for d in documents] == [None, "default", "team-a"]  # what kubectl is sent
    assert [t.namespace for t in targets] == [None, "default", "team-a"]


def test_error_text_loses_the_known_secret_values_unless_secrets_are_shown() -> None:
    from mcp_kubectl.safety.redaction import SecretValues

    error = KubectlFailed("apply failed: password s3cr3t-password is too weak", reason=Reason.INVALID)
    known = SecretValues([fixture("secret")])
    assert "s3cr3t-password" not in bound().scrub_error(error, known).message
    assert bound(show_secrets=True).scrub_error(error, known).message == error.message
    assert bound().scrub_error(error, None).message == error.message


_DESCRIBED_CONFIGMAP = "Name:         app-config\nNamespace:    default\n\nData\n====\nmode:\n----\nfast\n\npassword:\n----\ns3cr3t-password\n"


def test_text_loses_known_values_and_a_secrets_data_only_when_it_describes_one() -> None:
    from mcp_kubectl.safety.redaction import SecretValues

    known = SecretValues([fixture("secret")])
    gw = bound()
    assert gw.shape_text(_DESCRIBED_CONFIGMAP) == _DESCRIBED_CONFIGMAP  # no Secret involved: kubectl's text as is
    assert gw.shape_text(_DESCRIBED_CONFIGMAP, known) == _DESCRIBED_CONFIGMAP.replace("s3cr3t-password", "<redacted>")
    assert "fast" not in gw.shape_text(_DESCRIBED_CONFIGMAP, describes_secret=True)  # a Secret's Data: sizes only
    assert bound(show_secrets=True).shape_text(_DESCRIBED_CONFIGMAP, known, describes_secret=True) == _DESCRIBED_CONFIGMAP


def test_the_secrets_a_write_involves_are_its_documents_and_their_live_versions() -> None:
    from mcp_kubectl.cluster.gateway import Address

    secret, configmap = DISCOVERY[1], DISCOVERY[4]
    new = fixture("secret")
    live = copy.deepcopy(new)
    live["data"]["password"] = "b2xkLXZhbHVlLTEyMw=="  # old-value-123
    other = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}, "data": {"note": "not-a-secret-42"}}
    known = bound().secrets_involved(
        [new, other], [Address(secret, "default"), Address(configmap, "default")],
        [json.dumps(live).encode(), json.dumps(other).encode()],
    )
    scrubbed = known.scrub("s3cr3t-password old-value-123 not-a-secret-42")
    assert "s3cr3t-password" not in scrubbed and "old-value-123" not in scrubbed
    assert "not-a-secret-42" in scrubbed  # a ConfigMap's values are not secrets
    assert not bound(show_secrets=True).secrets_involved([new], [Address(secret, "default")], [json.dumps(live).encode()])


def test_kubectls_json_answer_becomes_shaped_objects_one_list_or_many() -> None:
    from mcp_kubectl.cluster.gateway import is_secret

    gw = bound()
    listed = gw.objects(json.dumps(as_list(fixture("configmap"), fixture("secret"))).encode())
    assert [o["kind"] for o in listed] == ["ConfigMap", "Secret"]
    assert "s3cr3t" not in json.dumps(listed)  # shaped: the Secret's values are redacted
    assert [o["kind"] for o in gw.objects(json.dumps(fixture("configmap")).encode())] == ["ConfigMap"]
    assert gw.objects(json.dumps({"kind": "List", "items": None}).encode()) == []
    assert is_secret(DISCOVERY[1]) and not is_secret(DISCOVERY[4])
    assert not is_secret(ApiResource("secrets", (), "example.com", "v1", "Secret", True, _RW, ()))


_CONFIGMAP = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "app-config", "namespace": "default"}, "data": {"k": "v"}}


@pytest.mark.parametrize(
    ("arguments", "refused"),
    [({"kind": "secrets"}, "kind"), ({"kind": "deploy"}, "kind"), ({"name": "other"}, "name"),
     ({"namespace": "team-a"}, "namespace"), ({"namespace": "Bad_NS"}, "namespace"), ({"name": "Bad_Name"}, "name")],
)  # fmt: skip
def test_update_arguments_that_disagree_with_the_manifest_write_nothing(arguments: dict[str, str], refused: str) -> None:
    from mcp_kubectl.errors import InvalidArgument

    gw = bound(enable_update=True)
    with pytest.raises(InvalidArgument) as info:
        run(writes.update_resource(gw, json.dumps(_CONFIGMAP), writes.Expected(**arguments)))
    assert info.value.argument == refused
    assert gw.runner.commands == [] and gw.paths == []  # type: ignore[attr-defined]  # not even the existence check


def test_update_arguments_that_agree_apply_each_document() -> None:
    gw = bound(enable_update=True)
    gw.runner.answers["apply"] = json.dumps(fixture("configmap")).encode()  # type: ignore[attr-defined]
    run(writes.update_resource(gw, json.dumps(_CONFIGMAP), writes.Expected("cm", "app-config", "default"), dry_run=True, force=True))
    (command,) = gw.runner.commands  # type: ignore[attr-defined]
    assert "--dry-run=server" in command.flags and "--force-conflicts=true" in command.flags
    assert gw.paths == ["/api/v1/namespaces/default/configmaps/app-config"]  # the one existence check


def test_an_apply_that_fails_for_another_reason_keeps_its_own_error() -> None:
    gw = bound(enable_update=True)
    refusal = 'The ConfigMap "app-config" is invalid: data[bad key]: Invalid value: "bad key": a valid config key must consist of alphanumeric characters\n'

    async def failing(command: KubectlCommand, *, timeout_s: float | None = None, log: Any = None) -> ProcessResult:
        gw.runner.commands.append(command)  # type: ignore[attr-defined]
        return ProcessResult(("kubectl", command.verb), 1, b"", refusal, 0.01)

    gw.runner.run = failing  # type: ignore[method-assign]
    with pytest.raises(KubectlFailed) as info:
        run(writes.update_resource(gw, json.dumps(_CONFIGMAP)))
    assert info.value.reason is Reason.INVALID and "Another field manager" not in (info.value.hint or "")
    assert len(gw.runner.commands) == 1  # type: ignore[attr-defined]  # no second apply with --force-conflicts


def test_an_existence_check_that_fails_otherwise_is_not_reported_as_missing() -> None:
    gw = bound(enable_update=True)

    async def forbidden(path: str) -> bytes:
        raise KubectlFailed(f"configmaps is forbidden: {path}", reason=Reason.FORBIDDEN)

    gw.get_raw = forbidden  # type: ignore[method-assign]
    with pytest.raises(KubectlFailed) as info:
        run(writes.update_resource(gw, json.dumps(_CONFIGMAP)))
    assert info.value.reason is Reason.FORBIDDEN and "does not exist" not in info.value.message


def test_api_paths_are_built_from_their_parts() -> None:
    from mcp_kubectl.cluster.gateway import Address

    gw = bound()
    deployments, namespaces = DISCOVERY[7], DISCOVERY[2]
    assert gw.api_path(Address(deployments, "default"), "web", "scale") == "/apis/apps/v1/namespaces/default/deployments/web/scale"
    assert gw.api_path(Address(deployments, None)) == "/apis/apps/v1/deployments"
    assert gw.api_path(Address(namespaces, None), "team-a") == "/api/v1/namespaces/team-a"
