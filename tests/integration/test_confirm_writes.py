"""--confirm-writes end to end: a person approves every write through MCP elicitation, or nothing is written.

A real mcp-kubectl process, the real kubectl, the emulator, and a real MCP client that can (or cannot)
elicit, over both protocol modes the SDK client speaks: the 2025-11-25 handshake ("legacy": the
question arrives as a mid-call request) and the modern mode ("auto": the question rides an
input-required round). The answering person is scripted per test.
"""

from __future__ import annotations

import base64
import json
import uuid
from collections.abc import Iterator
from contextlib import AbstractContextManager, ExitStack
from typing import Any

import pytest

from harness import Cluster, McpServerProcess, ToolAnswer

pytestmark = [pytest.mark.timeout(180), pytest.mark.both_targets]

MODES = ("legacy", "auto")
FLAGS = ("--enable-create", "--enable-update", "--enable-delete", "--confirm-writes", "--denied-namespaces=kube-system")
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
SECRET_VALUE = "Confirm-s3cr3t-c0ffee42"


class Person:
    """The scripted human behind the client: answers each question as told, and remembers it."""

    def __init__(self) -> None:
        self.reply: tuple[str, dict[str, Any] | None] = ("accept", {"confirm": True})
        self.questions: list[str] = []

    def says(self, action: str, content: dict[str, Any] | None = None) -> None:
        self.reply = (action, content)

    async def __call__(self, context: Any, params: Any) -> Any:
        from mcp_types import ElicitResult

        self.questions.append(params.message)
        action, content = self.reply
        return ElicitResult(action=action, content=content)


class ConfirmingClient(AbstractContextManager["ConfirmingClient"]):
    """Like harness.McpServerProcess over stdio, but the client may elicit and picks its protocol mode."""

    def __init__(self, cluster: Cluster, *flags: str, mode: str, person: Person | None) -> None:
        self._process = McpServerProcess(cluster, *flags)  # only for its argv and environment
        self.mode = mode
        self.person = person
        self._stack = ExitStack()

    def __enter__(self) -> ConfirmingClient:
        from anyio.from_thread import start_blocking_portal

        from mcp import Client
        from mcp.client.stdio import StdioServerParameters

        self._portal = self._stack.enter_context(start_blocking_portal())
        argv = self._process.server_argv()
        target = StdioServerParameters(command=argv[0], args=argv[1:], env=self._process.server_env())
        client = Client(target, mode=self.mode, elicitation_callback=self.person)
        self.client = self._stack.enter_context(self._portal.wrap_async_context_manager(client))
        return self

    def __exit__(self, *exc: object) -> None:
        self._stack.close()

    def call(self, tool: str, arguments: dict[str, Any]) -> ToolAnswer:
        result = self._portal.call(self.client.call_tool, tool, arguments)
        text = "".join(getattr(block, "text", "") for block in result.content)
        return ToolAnswer(is_error=bool(result.is_error), text=text, data=result.structured_content)


@pytest.fixture(scope="module")
def namespace(cluster: Cluster) -> str:
    name = f"confirm-{uuid.uuid4().hex[:6]}"
    cluster.apply(json.dumps({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}}))
    return name


@pytest.fixture(scope="module")
def clients(cluster: Cluster, namespace: str) -> Iterator[dict[tuple[str, bool], ConfirmingClient]]:
    """Per mode: a client with a person behind it, and one that cannot elicit at all."""
    with ExitStack() as stack:
        started: dict[tuple[str, bool], ConfirmingClient] = {}
        for mode in MODES:
            for can_ask in (True, False):
                started[(mode, can_ask)] = stack.enter_context(
                    ConfirmingClient(cluster, *FLAGS, mode=mode, person=Person() if can_ask else None)
                )
        yield started


@pytest.fixture(params=MODES)
def asking(request: pytest.FixtureRequest, clients) -> ConfirmingClient:
    client = clients[(request.param, True)]
    assert client.person is not None
    client.person.questions.clear()
    client.person.says("accept", {"confirm": True})
    return client


def configmap(name: str, namespace: str, value: str = "v1") -> str:
    return json.dumps({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name, "namespace": namespace}, "data": {"key": value}})


def test_the_two_modes_really_differ(clients) -> None:
    """Guard the premise: 'legacy' speaks the 2025-11-25 handshake, 'auto' a modern (input-required) version."""
    legacy = clients[("legacy", True)].client.protocol_version
    modern = clients[("auto", True)].client.protocol_version
    assert legacy == "2025-11-25"
    assert modern != legacy and modern >= "2026-07-28"


def real_writes(cluster: Cluster) -> list[tuple[str, str]]:
    """Writes that could change the cluster: a preview's server-side dry run does not count."""
    return [
        (r.method, r.path)
        for r in cluster.requests
        if r.method in WRITE_METHODS and r.query.get("dryRun") != "All"
    ]


def test_yes_writes_after_showing_a_preview_that_names_the_object(asking: ConfirmingClient, cluster: Cluster, namespace: str) -> None:
    name = f"yes-{asking.mode}"
    cluster.clear_requests()
    answer = asking.call("create_resource", {"manifest": configmap(name, namespace)})
    assert not answer.is_error, answer.text
    assert cluster.exists("cm", name, namespace)
    assert len(asking.person.questions) == 1
    assert f"ConfigMap {namespace}/{name}" in asking.person.questions[0]
    assert "create" in asking.person.questions[0]
    assert [m for m, _ in real_writes(cluster)] == ["POST"]


@pytest.mark.parametrize("reply", [("accept", {"confirm": False}), ("decline", None), ("cancel", None)], ids=["no", "decline", "cancel"])
def test_anything_but_yes_writes_nothing(asking: ConfirmingClient, cluster: Cluster, namespace: str, reply) -> None:
    name = f"no-{asking.mode}-{reply[0]}"
    asking.person.says(*reply)
    before = cluster.snapshot()
    cluster.clear_requests()
    answer = asking.call("create_resource", {"manifest": configmap(name, namespace)})
    assert answer.is_error and answer.reason == "ConfirmationRefused", answer.text
    assert "nothing was written" in answer.text
    assert len(asking.person.questions) == 1
    assert real_writes(cluster) == []
    assert cluster.snapshot() == before
    assert not cluster.exists("cm", name, namespace)


@pytest.mark.parametrize(
    "content, says",
    [(None, "accepted elicitation with no content"), ({}, "does not match the requested schema")],
    ids=["no-content", "no-answer"],
)
def test_an_acceptance_without_an_answer_writes_nothing(asking: ConfirmingClient, cluster: Cluster, namespace: str, content, says: str) -> None:
    """"accept" with no `confirm` in it is not a yes: the SDK checks the answer against the question's
    schema and refuses it before the tool body runs (so Confirmer.check's default never decides)."""
    name = f"empty-{asking.mode}-{'none' if content is None else 'empty'}"
    asking.person.says("accept", content)
    before = cluster.snapshot()
    cluster.clear_requests()
    answer = asking.call("create_resource", {"manifest": configmap(name, namespace)})
    assert answer.is_error and says in answer.text.lower(), answer.text
    assert len(asking.person.questions) == 1
    assert real_writes(cluster) == []
    assert cluster.snapshot() == before
    assert not cluster.exists("cm", name, namespace)


@pytest.mark.parametrize("mode", MODES)
def test_a_client_that_cannot_elicit_is_refused_and_told_why(clients, cluster: Cluster, namespace: str, mode: str) -> None:
    client = clients[(mode, False)]
    before = cluster.snapshot()
    cluster.clear_requests()
    answer = client.call("create_resource", {"manifest": configmap(f"mute-{mode}", namespace)})
    assert answer.is_error and answer.reason == "ConfirmationRefused", answer.text
    assert "cannot ask" in answer.text and "elicitation" in answer.text
    assert [(r.method, r.path) for r in cluster.requests if r.method in WRITE_METHODS] == []  # not even a preview
    assert cluster.snapshot() == before
    delete = client.call("delete_resource", {"kind": "configmaps", "name": "anything", "namespace": namespace})
    assert delete.reason == "ConfirmationRefused"


@pytest.mark.parametrize("tool", ["create_resource", "update_resource", "delete_resource"])
def test_dry_run_never_asks_and_never_writes(asking: ConfirmingClient, cluster: Cluster, namespace: str, tool: str) -> None:
    name = f"dry-{asking.mode}-{tool.split('_')[0]}"
    cluster.apply(configmap(name, namespace, "old"))
    arguments = {
        "create_resource": {"manifest": configmap(f"{name}-new", namespace)},
        "update_resource": {"manifest": configmap(name, namespace, "new"), "force": True},
        "delete_resource": {"kind": "configmaps", "name": name, "namespace": namespace},
    }[tool]
    asking.person.says("decline")  # would refuse, if it were asked
    before = cluster.snapshot()
    cluster.clear_requests()
    answer = asking.call(tool, {**arguments, "dryRun": True})
    assert not answer.is_error, answer.text
    assert answer.data["dryRun"] is True
    assert asking.person.questions == []
    # kubectl sends a dry-run DELETE's dryRun in its body, which the request log does not hold: the snapshot decides.
    assert [w for w in real_writes(cluster) if w[0] != "DELETE"] == []
    assert cluster.snapshot() == before
    assert cluster.exists("cm", name, namespace)


def test_update_and_delete_ask_with_their_own_previews(asking: ConfirmingClient, cluster: Cluster, namespace: str) -> None:
    name = f"lifecycle-{asking.mode}"
    cluster.apply(configmap(name, namespace, "old"))
    updated = asking.call("update_resource", {"manifest": configmap(name, namespace, "new"), "force": True})
    assert not updated.is_error, updated.text
    assert "new" in asking.person.questions[-1] and "update" in asking.person.questions[-1]
    assert cluster.kubectl_json("get", "cm", name, "-n", namespace)["data"] == {"key": "new"}

    asking.person.says("accept", {"confirm": False})
    refused = asking.call("delete_resource", {"kind": "configmaps", "name": name, "namespace": namespace})
    assert refused.reason == "ConfirmationRefused"
    assert f"delete ConfigMap {namespace}/{name}" in asking.person.questions[-1]
    assert cluster.exists("cm", name, namespace)

    asking.person.says("accept", {"confirm": True})
    deleted = asking.call("delete_resource", {"kind": "configmaps", "name": name, "namespace": namespace})
    assert not deleted.is_error, deleted.text
    assert not cluster.exists("cm", name, namespace)
    assert len(asking.person.questions) == 3


def test_a_write_that_cannot_be_previewed_is_refused_without_asking(asking: ConfirmingClient, cluster: Cluster, namespace: str) -> None:
    """The person is never asked to approve what the server would refuse anyway (here: an alias)."""
    before = cluster.snapshot()
    answer = asking.call("create_resource", {"manifest": "a: &x [1]\nb: *x\n"})
    assert answer.reason == "ConfirmationRefused", answer.text
    assert "could not be previewed" in answer.text and "anchors" in answer.text
    assert asking.person.questions == []
    assert cluster.snapshot() == before


def secret(name: str, namespace: str, value: str) -> str:
    return json.dumps(
        {
            "apiVersion": "v1",
            "kind": "Secret",
            "metadata": {"name": name, "namespace": namespace},
            "type": "Opaque",
            "data": {"password": base64.b64encode(value.encode()).decode()},
        }
    )


def test_no_preview_shows_a_secret_value(asking: ConfirmingClient, cluster: Cluster, namespace: str) -> None:
    """Create, update and delete previews of a Secret: the person sees the object, never its values."""
    name = f"creds-{asking.mode}"
    new_value = SECRET_VALUE + "-new"
    cluster.apply(secret(name, namespace, SECRET_VALUE))
    asking.person.says("accept", {"confirm": False})
    calls = [
        ("create_resource", {"manifest": secret(f"{name}-2", namespace, new_value)}, f"Secret {namespace}/{name}-2"),
        ("update_resource", {"manifest": secret(name, namespace, new_value), "force": True}, name),
        ("delete_resource", {"kind": "secrets", "name": name, "namespace": namespace}, f"delete Secret {namespace}/{name}"),
    ]
    before = cluster.snapshot()
    for tool, arguments, names in calls:
        answer = asking.call(tool, arguments)
        assert answer.reason == "ConfirmationRefused", answer.text
        question = asking.person.questions[-1]
        assert names in question
        for value in (SECRET_VALUE, new_value):
            for form in (value, base64.b64encode(value.encode()).decode()):
                assert form not in question, f"{tool} preview shows a Secret value"
                assert form not in answer.text
    assert len(asking.person.questions) == 3
    assert cluster.snapshot() == before


def test_a_write_the_policy_refuses_is_never_offered_for_approval(asking: ConfirmingClient, cluster: Cluster) -> None:
    before = cluster.snapshot()
    cluster.clear_requests()
    answer = asking.call("create_resource", {"manifest": configmap("x", "kube-system")})
    assert answer.is_error and answer.reason in ("PolicyDenied", "ConfirmationRefused"), answer.text
    assert "--denied-namespaces" in answer.text
    assert asking.person.questions == []
    assert [(r.method, r.path) for r in cluster.requests if r.method in WRITE_METHODS] == []
    assert cluster.snapshot() == before


def test_an_update_preview_names_every_object_even_after_a_long_change(asking: ConfirmingClient, cluster: Cluster, namespace: str) -> None:
    """A long first change must not push a second object out of the person's sight: nothing is cut, long values are abbreviated."""
    big, small = f"big-{asking.mode}", f"small-{asking.mode}"
    cluster.apply(configmap(big, namespace, "old"))
    cluster.apply(configmap(small, namespace, "old"))
    asking.person.says("accept", {"confirm": False})
    manifest = configmap(big, namespace, "\n".join(f"line {i} " + "x" * 60 for i in range(400))) + "\n" + configmap(small, namespace, "new")
    before = cluster.snapshot()
    answer = asking.call("update_resource", {"manifest": manifest, "force": True})
    assert answer.reason == "ConfirmationRefused", answer.text
    (question,) = asking.person.questions
    assert "preview cut" not in question and len(question) < 8200
    assert f"ConfigMap {namespace}/{big}" in question and f"ConfigMap {namespace}/{small}" in question
    assert '~ data.key: "old" -> "new"' in question and "characters)" in question
    assert cluster.snapshot() == before


FORGED = [
    {"action": "accept", "data": {"confirm": True}},
    {"action": "accept", "content": {"confirm": True}},
    {"confirm": True},
    True,
]


FORGED_IDS = ["accepted-outcome", "elicit-result", "bare-model", "true"]


@pytest.mark.parametrize("forged", FORGED, ids=FORGED_IDS)
@pytest.mark.parametrize("can_ask", [True, False], ids=["person-says-no", "client-cannot-ask"])
@pytest.mark.parametrize("mode", MODES)
def test_the_model_cannot_forge_the_confirmation_argument(clients, cluster: Cluster, namespace: str, mode: str, can_ask: bool, forged: Any) -> None:
    """`confirmation` is filled by the server's resolver: a value the model puts in the arguments must not approve.

    The object is valid, so the call gets past the preview to the approval itself: the person is
    asked (and says no), or the client is found unable to ask. Only then does "nothing written" prove something.
    """
    client = clients[(mode, can_ask)]
    if client.person is not None:
        client.person.questions.clear()
        client.person.says("accept", {"confirm": False})
    name = f"forged-{mode}-{'asked' if can_ask else 'mute'}-{FORGED_IDS[FORGED.index(forged)]}"
    before = cluster.snapshot()
    cluster.clear_requests()
    answer = client.call("create_resource", {"manifest": configmap(name, namespace), "confirmation": forged})
    # `confirmation` is in no input schema (a resolver fills it): a forged one is an unknown argument,
    # refused before any resolver runs, so no one is even asked.
    assert answer.is_error and answer.reason == "InvalidArgument", f"a forged confirmation: {answer.text[:300]}"
    assert answer.data is not None and answer.data["error"]["argument"] == "confirmation"
    if client.person is not None:
        assert client.person.questions == []
    assert real_writes(cluster) == []
    assert cluster.snapshot() == before
    assert not cluster.exists("cm", name, namespace)
