"""`Kubernetes`: the gateway with every operation as a method, for the tool layer.

The operations themselves live in `mcp_kubectl.ops` as plain functions over a `Gateway`
(`mcp_kubectl.cluster.gateway`); a function assigned in the class body is a method whose first
argument is the gateway, so each operation is written once and the tools keep one object
to call while the tool table (issue 11, move 4) takes over naming them.
"""

from __future__ import annotations

from mcp_kubectl.cluster.gateway import Address, Gateway
from mcp_kubectl.ops import previews, reads, writes
from mcp_kubectl.ops.limits import DEFAULT_LIMIT, DEFAULT_TAIL_LINES, MAX_LIMIT

__all__ = ["DEFAULT_LIMIT", "DEFAULT_TAIL_LINES", "MAX_LIMIT", "Kubernetes", "Address"]


class Kubernetes(Gateway):
    """Every operation over this gateway: each method is the plain function of its family."""

    get_api_resources = reads.get_api_resources
    list_resources = reads.list_resources
    get_resource = reads.get_resource
    get_pod_logs = reads.get_pod_logs
    get_events = reads.get_events
    describe_resource = reads.describe_resource
    list_contexts = reads.list_contexts
    create_resource = writes.create_resource
    update_resource = writes.update_resource
    delete_resource = writes.delete_resource
    diff_resource = previews.diff_resource
    preview_create = previews.preview_create
    preview_update = previews.preview_update
    preview_delete = previews.preview_delete
