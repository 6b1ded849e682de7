"""The write tools: create, update (server-side apply of existing objects), delete, and the diff
that shows what an update would change (a read, beside the write it previews).

Each write's confirmation resolver follows the tools; its table row names it, the kit fills the
call's `confirmation` with it (see `mcp_kubectl.safety.confirm`; without --confirm-writes it
approves at once) and checks it (`answers`) before the tool function runs.
"""

# No `from __future__ import annotations`: the SDK reads the tool signatures at registration,
# and the confirmation resolvers are closures it must see as objects.
from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from mcp.server.mcpserver import Context
from pydantic import Field

from mcp_kubectl.ops.kubernetes import Kubernetes
from mcp_kubectl.ops.writes import Expected
from mcp_kubectl.tools.kit import ConfirmationOf, DryRun, Kind, Resolver, ToolKit
from mcp_kubectl.tools.schemas import BOOL, OBJS, STR, STRS, answer, obj

Manifest = Annotated[str, Field(description="YAML or JSON: one or more documents, each with apiVersion, kind, metadata.name.")]

DIFF = answer({"changed": BOOL, "diff": STR}, {"truncated": STR})
CREATED = answer({"dryRun": BOOL, "created": OBJS})
UPDATED = answer({"dryRun": BOOL, "updated": OBJS})
DELETED = answer({"dryRun": BOOL, "deleted": obj({"kind": STR, "name": STR}, {"namespace": STR})}, {"message": STR, "notes": STRS})


async def diff_resource(ops: Kubernetes, manifest: Manifest) -> Annotated[dict[str, Any], DIFF]:
    """Show what update_resource would change, as a unified diff (server-side dry run; changes nothing)."""
    return await ops.diff_resource(manifest)


async def create_resource(ops: Kubernetes, manifest: Manifest, dryRun: DryRun = False) -> Annotated[dict[str, Any], CREATED]:
    """Create new objects from a manifest. Never changes an existing object (fails with AlreadyExists)."""
    return await ops.create_resource(manifest, dry_run=dryRun)


async def update_resource(
    ops: Kubernetes,
    manifest: Manifest,
    kind: Annotated[str | None, Field(description="If given, must match the manifest.")] = None,
    name: Annotated[str | None, Field(description="If given, must match the manifest.")] = None,
    namespace: str | None = None,
    dryRun: DryRun = False,
    force: Annotated[bool, Field(description="Take over fields another manager owns (after a Conflict).")] = False,
) -> Annotated[dict[str, Any], UPDATED]:
    """Update existing objects by server-side apply (field manager mcp-kubectl). Never creates: use create_resource."""
    return await ops.update_resource(manifest, Expected(kind, name, namespace), dry_run=dryRun, force=force)


async def delete_resource(ops: Kubernetes, kind: Kind, name: str, namespace: str | None = None, dryRun: DryRun = False) -> Annotated[dict[str, Any], DELETED]:
    """Delete one named object. Never more than one: no selectors, no --all."""
    return await ops.delete_resource(kind, name, namespace=namespace, dry_run=dryRun)


# Their confirmation resolvers (named in their table rows): each asks the person with a preview.


def _confirm_manifest(verb: str, preview: Callable[..., Awaitable[str]]) -> ConfirmationOf:
    """The confirmation of a write that takes a manifest (create, update)."""

    def resolver(kit: ToolKit) -> Resolver:
        async def confirm(ctx: Context, manifest: str, dryRun: bool = False, context: str | None = None) -> Any:
            return await kit.confirmer.ask(ctx, verb, dryRun, lambda: preview(kit.for_preview(context), manifest))

        return confirm

    return resolver


confirm_create = _confirm_manifest("create", Kubernetes.preview_create)
confirm_update = _confirm_manifest("update", Kubernetes.preview_update)


def confirm_delete(kit: ToolKit) -> Resolver:
    async def confirm(ctx: Context, kind: str, name: str, namespace: str | None = None, dryRun: bool = False, context: str | None = None) -> Any:
        return await kit.confirmer.ask(ctx, "delete", dryRun, lambda: kit.for_preview(context).preview_delete(kind, name, namespace=namespace))

    return confirm
