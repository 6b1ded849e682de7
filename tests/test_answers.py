"""The edge where operation results and errors become MCP tool results (pure: no kubectl)."""

from __future__ import annotations

import asyncio
import json
import logging
from pathlib import Path

import pytest

from mcp_kubectl.audit import AuditLog
from mcp_kubectl.errors import PolicyDenied
from mcp_kubectl.operations import Reply
from mcp_kubectl.tools import answers


def run(fn, **kwargs):  # type: ignore[no-untyped-def]
    return asyncio.run(fn(**kwargs))


def test_a_dict_is_structured_content_and_compact_json() -> None:
    @answers("t", None)
    async def tool() -> dict:
        return {"a": [1, 2]}

    result = run(tool)
    assert not result.is_error and result.structured_content == {"a": [1, 2]}
    assert result.content[0].text == '{"a":[1,2]}'


def test_a_reply_sends_its_lean_text() -> None:
    @answers("t", None)
    async def tool() -> Reply:
        return Reply({"rows": [["web"]]}, "name\nweb")

    result = run(tool)
    assert result.content[0].text == "name\nweb" and result.structured_content == {"rows": [["web"]]}


def test_a_typed_error_keeps_reason_message_and_hint() -> None:
    @answers("t", None)
    async def tool() -> dict:
        raise PolicyDenied("namespace 'x' is denied")

    result = run(tool)
    assert result.is_error
    assert result.structured_content["error"]["reason"] == "PolicyDenied"
    assert result.content[0].text.startswith("PolicyDenied: namespace 'x' is denied\nHint: ")


def test_an_unexpected_failure_is_a_typed_error_and_an_audit_line(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    log = AuditLog(tmp_path / "audit.jsonl")

    @answers("get_resource", log)
    async def tool(kind: str) -> dict:
        raise RecursionError("deep inside")

    with caplog.at_level(logging.ERROR):
        result = run(tool, kind="pods")
    log.close()
    assert result.is_error and result.structured_content["error"]["reason"] == "InternalError"
    assert "deep inside" not in result.content[0].text  # details stay in the server log
    assert "deep inside" in caplog.text
    line = json.loads((tmp_path / "audit.jsonl").read_text())
    assert line["tool"] == "get_resource" and line["outcome"] == "InternalError" and line["arguments"] == {"kind": "pods"}
