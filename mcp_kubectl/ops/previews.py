"""What a write would do, shown before it happens (diff, and the --confirm-writes previews)."""

from __future__ import annotations

import asyncio
from typing import Any

from mcp_kubectl.cluster.gateway import Gateway, describe_target, is_secret
from mcp_kubectl.cluster.kubectl_errors import classify
from mcp_kubectl.cluster.kubectl_io import (
    as_documents,
    parse_json,
    parse_json_stream,
    stable_diff,
)
from mcp_kubectl.cluster.runner import KubectlCommand
from mcp_kubectl.errors import KubectlFailed, Reason
from mcp_kubectl.ops import reads, writes
from mcp_kubectl.safety.redaction import SecretValues
from mcp_kubectl.settings import FIELD_MANAGER


async def diff_resource(gw: Gateway, manifest: str) -> dict[str, Any]:
    """What update_resource would change, as a unified diff from a server-side dry run."""
    from mcp_kubectl.shaping.budget import cut_text_head, lines_marker

    # kubectl diff sends a server-side dry-run apply: the API server authorizes it as a patch.
    _, documents, targets = await gw.manifest_targets(manifest, "patch")
    # kubectl diff shows a missing object as a creation, which update_resource would refuse.
    live = await gw.require_existing(targets, documents)
    known = gw.secrets_involved(documents, targets, live)
    flags = ("--server-side=true", f"--field-manager={FIELD_MANAGER}", "--force-conflicts=true", "--filename=-")
    result = await gw.execute(KubectlCommand("diff", flags=flags, stdin=as_documents(documents)))
    if result.exit_code > 1:
        raise gw.scrub_error(classify(result), known)
    # Redacted before the headers go: they name each document's kind.
    text = stable_diff(gw.shape_text(result.stdout.decode("utf-8", errors="replace"), known))
    text, omitted = cut_text_head(text, gw.settings.budget_bytes)
    data: dict[str, Any] = {"changed": result.exit_code == 1, "diff": text}
    if omitted:
        data["truncated"] = lines_marker(omitted, gw.settings.budget_bytes, newest_kept=False, hint="diff fewer documents at once")
    return data


async def preview_create(gw: Gateway, manifest: str) -> str:
    """What create_resource would create, validated by a server-side dry run: every field listed."""
    from mcp_kubectl.safety.previews import object_change, render

    await writes.create_resource(gw, manifest, dry_run=True)
    _, documents, targets = await gw.manifest_targets(manifest, "create")
    changes = [object_change("create", describe_target(t, d), None, d) for t, d in zip(targets, documents, strict=True)]
    known = SecretValues(d for d, t in zip(documents, targets, strict=True) if is_secret(t.resource))
    return _preview_text(gw, render("create", changes), known)


async def preview_update(gw: Gateway, manifest: str) -> str:
    """What update_resource would change: every changed field path, the live object against a dry run."""
    from mcp_kubectl.safety.previews import object_change, render

    _, documents, targets = await gw.manifest_targets(manifest, "patch")
    live = [
        parse_json(body)
        for body in await asyncio.gather(
            *(gw.get_raw(gw.api_path(t, d["metadata"]["name"])) for t, d in zip(targets, documents, strict=True))
        )
    ]
    known = SecretValues(
        obj for t, d, current in zip(targets, documents, live, strict=True) if is_secret(t.resource) for obj in (d, current)
    )
    # force: the preview shows every field the apply may take over; a write without
    # force that meets a conflict then fails after the yes, and writes nothing.
    stdout = await gw.server_side_apply(as_documents(documents), dry_run=True, force=True, known=known)
    applied = [o for parsed in parse_json_stream(stdout) for o in (parsed.get("items") or [] if parsed.get("kind") == "List" else [parsed])]
    if len(applied) != len(live):
        raise KubectlFailed("the dry run did not return one object per document", reason=Reason.INTERNAL_ERROR)
    changes = [
        object_change("update", describe_target(t, d), before, after)
        for t, d, before, after in zip(targets, documents, live, applied, strict=True)
    ]
    if not any(change.changes for change in changes):
        return "no changes: the cluster already matches the manifest"
    return _preview_text(gw, render("update", changes), known)


async def preview_delete(gw: Gateway, kind: str, name: str, *, namespace: str | None = None) -> str:
    """The object delete_resource would remove: summarized, its sensitive fields in full."""
    from mcp_kubectl.safety.previews import render_deleted
    from mcp_kubectl.shaping.summaries import summarize

    obj = await reads.get_resource(gw, kind, name, namespace=namespace)
    obj = obj.get("object", obj)
    summary = summarize(obj, now=gw.now(), kind=obj.get("kind"))
    summary.pop("age", None)
    where = f"{summary.get('namespace')}/" if summary.get("namespace") else ""
    details = ", ".join(f"{k}={v}" for k, v in summary.items() if k not in ("name", "namespace"))
    return _preview_text(gw, render_deleted(f"{obj.get('kind')} {where}{name}", obj, details), None)


def _preview_text(gw: Gateway, text: str, known: SecretValues | None) -> str:
    """The structural preview already shows Secret values as sizes; known values go as a second lock."""
    return text if gw.settings.show_secrets or not known else known.scrub(text)
