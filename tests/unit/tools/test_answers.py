"""The edge where operation results and errors become MCP tool results (pure: no kubectl)."""

from __future__ import annotations

import asyncio
import inspect
import json
import logging
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from mcp.server.mcpserver import Resolve

from mcp_kubectl.safety.audit import AuditLog
from mcp_kubectl.errors import KubectlFailed, PolicyDenied, Reason
from mcp_kubectl.ops.reads import ListPage
from mcp_kubectl.cluster.process import RunLog
from mcp_kubectl.safety.confirm import Confirm, Confirmer
from mcp_kubectl.settings import Settings
from mcp_kubectl.tools.kit import answers


def run(fn, **kwargs):  # type: ignore[no-untyped-def]
    return asyncio.run(fn(**kwargs))


class Ops:
    """Stands in for `operations.Kubernetes`: the edge asks it for a per-call copy and its settings."""

    settings = Settings(enable_create=True)

    def for_call(self, log: RunLog, context: str | None) -> "Ops":
        bound = self.for_local_call(log)
        bound.context = context  # type: ignore[attr-defined]
        return bound

    def for_local_call(self, log: RunLog) -> "Ops":
        bound = Ops()
        bound.log = log  # type: ignore[attr-defined]
        return bound


OPS: Any = Ops()


def test_a_dict_is_structured_content_and_compact_json() -> None:
    @answers("t", None, OPS)
    async def tool(ops: Ops) -> dict:
        return {"a": [1, 2]}

    result = run(tool)
    assert not result.is_error and result.structured_content == {"a": [1, 2]}
    assert result.content[0].text == '{"a":[1,2]}'


def test_the_renderer_makes_the_lean_text_and_the_data_stays_structured() -> None:
    @answers("t", None, OPS, show=lambda answer: "\n".join(row[0] for row in answer["rows"]))
    async def tool(ops: Ops) -> dict:
        return {"rows": [["web"], ["db"]]}

    result = run(tool)
    assert result.content[0].text == "web\ndb" and result.structured_content == {"rows": [["web"], ["db"]]}


def test_a_list_page_sends_its_answer_as_structured_content() -> None:
    answer = {"kind": "Pod", "apiVersion": "v1", "count": 1, "columns": ["name"], "rows": [["web"]]}

    @answers("t", None, OPS, show=lambda page: f"{page.namespace}:{page.answer['count']}")
    async def tool(ops: Ops) -> ListPage:
        return ListPage(answer, "demo", True)

    result = run(tool)
    assert result.content[0].text == "demo:1" and result.structured_content == answer


def test_a_typed_error_keeps_reason_message_and_hint() -> None:
    @answers("t", None, OPS)
    async def tool(ops: Ops) -> dict:
        raise PolicyDenied("namespace 'x' is denied")

    result = run(tool)
    assert result.is_error
    assert result.structured_content["error"]["reason"] == "PolicyDenied"
    assert result.content[0].text.startswith("PolicyDenied: namespace 'x' is denied\nHint: ")


def test_an_unexpected_failure_is_a_typed_error_and_an_audit_line(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    log = AuditLog(tmp_path / "audit.jsonl")

    @answers("get_resource", log, OPS)
    async def tool(ops: Ops, kind: str) -> dict:
        raise RecursionError("deep inside")

    with caplog.at_level(logging.ERROR):
        result = run(tool, kind="pods")
    log.close()
    assert result.is_error and result.structured_content["error"]["reason"] == "InternalError"
    assert "deep inside" not in result.content[0].text  # details stay in the server log
    assert "deep inside" in caplog.text
    line = json.loads((tmp_path / "audit.jsonl").read_text())
    assert line["tool"] == "get_resource" and line["outcome"] == "InternalError" and line["arguments"] == {"kind": "pods"}


def test_every_run_of_a_call_is_in_its_audit_line_and_ops_is_not_a_parameter(tmp_path: Path) -> None:
    log = AuditLog(tmp_path / "audit.jsonl")
    seen: list[RunLog] = []

    @answers("get_resource", log, OPS, in_context=False)
    async def tool(ops: Ops, kind: str) -> dict:
        """Doc for the model."""
        ops.log.record(("kubectl", "api-resources"), 0)  # type: ignore[attr-defined]
        ops.log.record(("kubectl", "get", "--raw=/api/v1/pods"), 1)  # type: ignore[attr-defined]
        seen.append(ops.log)  # type: ignore[attr-defined]
        return {"kind": kind}

    assert list(inspect.signature(tool).parameters) == ["kind"]  # the schema the model sees
    assert tool.__name__ == "tool" and tool.__doc__ == "Doc for the model."
    run(tool, kind="pods")
    run(tool, kind="nodes")
    log.close()
    assert seen[0] is not seen[1]  # one log per call
    lines = [json.loads(text) for text in (tmp_path / "audit.jsonl").read_text().splitlines()]
    assert [run["argv"][1] for run in lines[0]["runs"]] == ["api-resources", "get"]
    assert (lines[1]["argv"][1], lines[1]["exit_code"]) == ("get", 1)


def test_the_context_argument_is_the_kits_bound_into_ops_and_kept_in_the_audit_line(tmp_path: Path) -> None:
    from mcp_kubectl.tools.kit import ContextName

    log = AuditLog(tmp_path / "audit.jsonl")
    seen: list[Any] = []

    @answers("get_resource", log, OPS)
    async def tool(ops: Ops, kind: str, namespace: str | None = None) -> dict:
        seen.append(getattr(ops, "context", "unbound"))
        return {"kind": kind}

    parameters = inspect.signature(tool).parameters
    assert list(parameters) == ["kind", "namespace", "context"]  # last, as each tool declared it before
    assert parameters["context"].annotation is ContextName and parameters["context"].default is None
    run(tool, kind="pods", context="staging")
    run(tool, kind="pods")
    log.close()
    assert seen == ["staging", None]  # the function never sees `context`: its ops are bound to it
    lines = [json.loads(text) for text in (tmp_path / "audit.jsonl").read_text().splitlines()]
    assert [line["arguments"] for line in lines] == [{"kind": "pods", "context": "staging"}, {"kind": "pods"}]


def test_a_tool_that_stays_local_has_no_context_and_unbound_ops() -> None:
    seen: list[Any] = []

    @answers("list_contexts", None, OPS, in_context=False)
    async def tool(ops: Ops) -> dict:
        seen.append(getattr(ops, "context", "unbound"))
        return {}

    assert list(inspect.signature(tool).parameters) == []
    assert not run(tool).is_error and seen == ["unbound"]


def test_error_text_is_redacted_once_at_the_edge_and_hints_name_only_offered_tools() -> None:
    leaked = 'The Secret "db" is invalid:\ndata:\n  password: aHVudGVyMg=='
    raised = KubectlFailed(leaked, reason=Reason.NOT_FOUND)

    @answers("update_resource", None, OPS)
    async def tool(ops: Ops) -> dict:
        raise raised

    result = run(tool)
    error = result.structured_content["error"]
    assert "aHVudGVyMg==" not in result.content[0].text and "aHVudGVyMg==" not in json.dumps(error)
    assert error["hint"] == "update_resource changes existing objects only; use create_resource to create it."
    assert raised.message == leaked  # the edge made a copy; the raised error is unchanged

    Ops.settings = Settings(enable_list=False)
    try:

        @answers("get_resource", None, OPS)
        async def unknown(ops: Ops) -> dict:
            raise KubectlFailed('the server doesn\'t have a resource type "flurbs"', reason=Reason.UNKNOWN_RESOURCE_TYPE)

        hint = run(unknown).structured_content["error"]["hint"]
        assert "get_api_resources" not in hint and hint  # a tool this server does not offer is never named
    finally:
        Ops.settings = Settings(enable_create=True)


async def _ask(ctx: Any, name: str) -> Any:
    """A stand-in resolver: the tests below hand the wrapper its outcome directly."""
    raise AssertionError("the SDK runs resolvers; these tests call the wrapper")


def test_a_write_runs_only_once_its_confirmation_is_checked() -> None:
    ran: list[str] = []

    @answers("delete_resource", None, OPS, confirmer=Confirmer(enabled=True), resolver=_ask)
    async def tool(ops: Ops, name: str) -> dict:  # never sees the confirmation: the kit checks it
        ran.append(name)
        return {"deleted": name}

    declined = SimpleNamespace(action="decline", data=None)
    result = run(tool, name="web", confirmation=declined)
    assert result.is_error and result.structured_content["error"]["reason"] == "ConfirmationRefused"
    assert ran == []  # the body never ran
    approved = SimpleNamespace(action="accept", data=Confirm(confirm=True))
    assert run(tool, name="web", confirmation=approved).structured_content == {"deleted": "web"} and ran == ["web"]


def test_the_confirmation_is_filled_by_its_resolver_never_by_the_model() -> None:
    @answers("delete_resource", None, OPS, confirmer=Confirmer(enabled=True), resolver=_ask)
    async def tool(ops: Ops, name: str) -> dict:
        return {}

    parameter = inspect.signature(tool).parameters["confirmation"]
    assert parameter.kind is inspect.Parameter.KEYWORD_ONLY
    assert [m.fn for m in parameter.annotation.__metadata__ if isinstance(m, Resolve)] == [_ask]


def test_a_tool_that_asks_for_confirmation_cannot_be_built_without_a_confirmer() -> None:
    with pytest.raises(TypeError, match="confirmer"):
        answers("delete_resource", None, OPS, resolver=_ask)
