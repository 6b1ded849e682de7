"""scale_resource: set the replica count of anything with a scale subresource, saying the old and new count.

The count is read from the scale subresource first, then `kubectl scale
--current-replicas=OLD` writes it: if someone else scaled in between, kubectl refuses
instead of overwriting their change unseen. Authorized as the API server sees it: get
and patch on `TYPE/scale`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mcp_kubectl.cluster.kubectl_io import parse_json
from mcp_kubectl.cluster.runner import KubectlCommand
from mcp_kubectl.errors import InvalidArgument, KubectlFailed, Reason
from mcp_kubectl.safety import validation

if TYPE_CHECKING:
    from mcp_kubectl.cluster.gateway import Address, Gateway

MAX_REPLICAS = 10_000


async def _current(gw: Gateway, kind: str, name: str, namespace: str | None, verb: str) -> tuple[Address, int]:
    validation.check_name(name)
    target, _ = await gw.locate(kind, namespace, verb=verb, name=name, subresource="scale")
    gw.policy.authorize(target.request("get", name, "scale"))
    try:
        body = await gw.get_raw(gw.api_path(target, name, "scale"))
    except KubectlFailed as error:
        if error.reason not in (Reason.NOT_FOUND, Reason.UNKNOWN_RESOURCE_TYPE):  # no such path: a 404 either way
            raise
        await gw.get_raw(gw.api_path(target, name))  # the object missing: its NotFound
        raise InvalidArgument(f"{target.resource.qualified_name} has no scale subresource", argument="kind") from None
    scale = parse_json(body)
    return target, int((scale.get("spec") or {}).get("replicas") or 0)


async def scale_resource(gw: Gateway, kind: str, name: str, replicas: int, *, namespace: str | None = None, dry_run: bool = False) -> dict[str, Any]:
    """Set `replicas` on one object; the answer gives the old and the new count."""
    if not 0 <= replicas <= MAX_REPLICAS:
        raise InvalidArgument(f"replicas must be between 0 and {MAX_REPLICAS}", argument="replicas")
    target, old = await _current(gw, kind, name, namespace, "patch")
    flags = [f"--replicas={replicas}", f"--current-replicas={old}"]
    if target.namespace:
        flags.append(f"--namespace={target.namespace}")
    if dry_run:
        flags.append("--dry-run=server")
    await gw.run(
        KubectlCommand("scale", args=(f"{target.resource.full_name}/{name}",), flags=tuple(flags))
    )
    answer: dict[str, Any] = {"dryRun": dry_run, "kind": target.resource.kind, "name": name, "oldReplicas": old, "newReplicas": replicas}
    if target.namespace:
        answer["namespace"] = target.namespace
    return answer


async def preview_scale(gw: Gateway, kind: str, name: str, replicas: int, *, namespace: str | None = None) -> str:
    """What scale_resource would do, for --confirm-writes."""
    target, old = await _current(gw, kind, name, namespace, "patch")
    where = f"{target.namespace}/" if target.namespace else ""
    return f"scale {target.resource.kind} {where}{name} from {old} to {replicas} replicas"
