"""The approval lock's own size check: a preview longer than a person is shown is refused, never cut.

`safety/previews.py` refuses an oversized preview first (`PreviewTooLarge`); this is the
second lock, for a preview that grows after rendering: scrubbing known Secret values
replaces each 4-to-9-character value with the 10 characters of `<redacted>`. Approval
logic is pure (a context that can elicit, a preview callable), so it is tested here without
a server; tests/integration/test_confirm_writes.py covers the rest of the path.
"""

from __future__ import annotations

import asyncio
from types import SimpleNamespace
from typing import Any

import pytest
from mcp.server.mcpserver import Elicit

from mcp_kubectl.errors import ConfirmationRefused
from mcp_kubectl.safety.confirm import Confirmer
from mcp_kubectl.safety.previews import MAX_PREVIEW_CHARS


def ask_then_check(preview_text: str) -> tuple[Any, BaseException | None]:
    """The resolver's answer for a preview of this text, and what the tool body's check raises."""
    context = SimpleNamespace(client_capabilities=SimpleNamespace(elicitation=object()))
    confirmer = Confirmer(enabled=True)

    async def preview() -> str:
        return preview_text

    async def resolve_then_check() -> tuple[Any, BaseException | None]:
        # One task, as in the server: the refusal the resolver records is read by the body.
        answer = await confirmer.ask(context, "create a Secret", False, preview)  # type: ignore[arg-type]
        try:
            confirmer.check(answer)
        except ConfirmationRefused as error:
            return answer, error
        return answer, None

    return asyncio.run(resolve_then_check())


def test_a_preview_of_exactly_the_limit_is_shown_whole() -> None:
    text = "x" * MAX_PREVIEW_CHARS
    answer, _ = ask_then_check(text)
    assert isinstance(answer, Elicit)
    assert f"\n\n{text}\n\n" in answer.message and answer.message.startswith("mcp-kubectl wants to create a Secret:")


@pytest.mark.parametrize("extra", [1, 500])
def test_a_preview_over_the_limit_is_refused_and_says_why(extra: int) -> None:
    answer, refusal = ask_then_check("x" * (MAX_PREVIEW_CHARS + extra))
    assert not isinstance(answer, Elicit)  # never asked: a person must not approve what they were not shown
    assert refusal is not None
    assert f"too large to show for approval ({MAX_PREVIEW_CHARS + extra:,} characters)" in refusal.message
    assert "nothing was written" in refusal.message
