"""Hints that name tools, chosen at the tool edge.

`errors.py` gives each failure a hint that holds on any server. Only the edge knows which
tool failed and which tools this server offers, so a hint that sends the model to another
tool is chosen here, and never names a tool this server does not offer.
"""

from __future__ import annotations

from mcp_kubectl.errors import KubectlFailed, McpKubectlError, Reason
from mcp_kubectl.settings import Settings


def tool_hint(error: McpKubectlError, tool: str, settings: Settings) -> str | None:
    """A better next step for this error from this tool, or None to keep the error's own hint."""
    if not isinstance(error, KubectlFailed):
        return None
    if error.reason is Reason.UNKNOWN_RESOURCE_TYPE and settings.enable_list:
        return "Call get_api_resources to see the resource types this cluster serves."
    if tool == "create_resource" and error.reason is Reason.ALREADY_EXISTS and settings.enable_update:
        return "The object exists; use update_resource to change it."
    if tool == "update_resource" and error.reason is Reason.NOT_FOUND:
        if settings.enable_create:
            return "update_resource changes existing objects only; use create_resource to create it."
        return "update_resource changes existing objects only, and this server does not create objects."
    if tool == "diff_resource" and error.reason is Reason.NOT_FOUND:
        # diff_resource previews update_resource: the same objects must exist.
        if settings.enable_create:
            return "diff_resource compares with existing objects only; create_resource creates it."
        return "diff_resource compares with existing objects only, and this server does not create objects."
    return None
