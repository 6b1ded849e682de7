"""`--confirm-writes`: a person approves every write through MCP elicitation, or it does not happen.

Each write tool has a `confirmation` parameter filled by a resolver (the SDK's
`Resolve`) before the tool body runs. The resolver previews the change (a
server-side dry run, the diff, or the object to delete) and asks; the SDK carries
the question as a mid-call request (protocol 2025-11-25) or as an input-required
round (2026-07-28). The body then proceeds only on an explicit yes. A client that
cannot elicit, or a preview that fails, is a refusal that says why; never a silent write.

Previews must render the same on every round (the SDK matches answers to
questions by their text), so they carry no timestamps, uids or temp paths.
"""

from __future__ import annotations

import contextvars
from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from mcp.server.mcpserver import Context, Elicit, ElicitationResult
from pydantic import BaseModel, Field

from mcp_kubectl.errors import ConfirmationRefused, McpKubectlError
from mcp_kubectl.safety.manifests import one_parse_per_call
from mcp_kubectl.safety.previews import MAX_PREVIEW_CHARS


class Confirm(BaseModel):
    """The one question asked: go ahead?"""

    confirm: Annotated[bool, Field(description="Apply this change to the cluster?")]


Confirmation = ElicitationResult[Confirm]

# Why the resolver refused without asking; read by the tool body in the same task.
_refusal: contextvars.ContextVar[str | None] = contextvars.ContextVar("confirm_refusal", default=None)


class Confirmer:
    """Asks before writes when enabled; otherwise approves without a word."""

    def __init__(self, *, enabled: bool) -> None:
        self.enabled = enabled

    async def ask(self, ctx: Context, verb: str, dry_run: bool, preview: Callable[[], Awaitable[str]]) -> Any:
        """The resolver body: approve, refuse with a reason, or return the question to ask."""
        # A plain value returned here reaches the tool body as an accepted outcome.
        _refusal.set(None)
        if not self.enabled or dry_run:
            return Confirm(confirm=True)
        capabilities = ctx.client_capabilities
        if capabilities is None or capabilities.elicitation is None:
            _refusal.set(
                "this server requires a person's approval for writes (--confirm-writes), "
                "and this client cannot ask (it does not support MCP elicitation)"
            )
            return Confirm(confirm=False)
        try:
            with one_parse_per_call():
                text = await preview()
        except McpKubectlError as error:
            _refusal.set(f"the {verb} could not be previewed, so it was not offered for approval: {error}")
            return Confirm(confirm=False)
        if len(text) > MAX_PREVIEW_CHARS:
            # Never cut: a person must not approve what they were not shown (previews refuse first).
            _refusal.set(f"the {verb} is too large to show for approval ({len(text):,} characters); nothing was written")
            return Confirm(confirm=False)
        return Elicit(f"mcp-kubectl wants to {verb}:\n\n{text}\n\nApprove?", Confirm)

    def check(self, outcome: Any) -> None:
        """In the tool body: raise unless the person explicitly said yes (or no one had to)."""
        reason = _refusal.get()
        if reason:
            raise ConfirmationRefused(reason)
        data = getattr(outcome, "data", None)
        if getattr(outcome, "action", None) != "accept" or not getattr(data, "confirm", False):
            raise ConfirmationRefused(
                "the person did not approve this change; nothing was written",
                hint="Ask the person what to change, or preview with dryRun=true.",
            )
