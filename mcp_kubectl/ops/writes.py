"""Write operations (create, server-side apply of existing objects, delete): plain functions over a `Gateway`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mcp_kubectl.cluster.gateway import Address, Gateway, is_secret
from mcp_kubectl.cluster.kubectl_io import (
    as_documents,
    parse_json,
)
from mcp_kubectl.cluster.runner import KubectlCommand
from mcp_kubectl.errors import InvalidArgument
from mcp_kubectl.safety import validation
from mcp_kubectl.safety.redaction import SecretValues
from mcp_kubectl.settings import FIELD_MANAGER


async def create_resource(gw: Gateway, manifest: str, *, dry_run: bool = False) -> dict[str, Any]:
    """`kubectl create -f -`: never changes an existing object (AlreadyExists)."""
    _, documents, targets = await gw.manifest_targets(manifest, "create")
    known = SecretValues(d for d, t in zip(documents, targets, strict=True) if is_secret(t.resource))
    flags = ["--filename=-", "--output=json", f"--field-manager={FIELD_MANAGER}"]
    if dry_run:
        flags.append("--dry-run=server")
    result = await gw.run(
        KubectlCommand("create", flags=tuple(flags), stdin=as_documents(documents)), known=known
    )
    return {"dryRun": dry_run, "created": gw.objects(result.stdout)}


@dataclass(frozen=True)
class Expected:
    """What `update_resource`'s optional kind, name and namespace arguments say every document of
    the manifest must be. The namespace is checked when this is made, before the manifest is
    read (a bad argument is named as such, even against a cluster-scoped manifest)."""

    kind: str | None = None
    name: str | None = None
    namespace: str | None = None

    def __post_init__(self) -> None:
        if self.namespace is not None:
            validation.check_namespace(self.namespace)


ANY = Expected()  # no argument given: any manifest


async def update_resource(gw: Gateway, manifest: str, expected: Expected = ANY, *, dry_run: bool = False, force: bool = False) -> dict[str, Any]:
    """Server-side apply of existing objects; never creates (NotFound says to use create_resource)."""
    _, documents, targets = await gw.manifest_targets(manifest, "patch")
    await _check_agrees(gw, targets, documents, expected)
    live = await gw.require_existing(targets, documents)
    # Error text may echo the new or the live values of a Secret: both are known now.
    known = gw.secrets_involved(documents, targets, live)
    # The apply carries each checked object's uid: the API server refuses it (Conflict) if that
    # object is gone by then, instead of creating a new one, and refuses a different object
    # of the same name (the uid is immutable).
    for document, body in zip(documents, live, strict=True):
        uid = ((parse_json(body).get("metadata") or {}).get("uid"))
        if isinstance(uid, str) and uid:
            document["metadata"]["uid"] = uid
    stdin = as_documents(documents)
    stdout = await gw.server_side_apply(stdin, dry_run=dry_run, force=force, known=known)
    return {"dryRun": dry_run, "updated": gw.objects(stdout)}


async def _check_agrees(gw: Gateway, targets: list[Address], documents: list[dict[str, Any]], expected: Expected) -> None:
    """Every document must be what the arguments expect (the namespace only where it has one)."""
    kind, name, namespace = expected.kind, expected.name, expected.namespace
    if kind is None and name is None and namespace is None:
        return
    resource = await gw.resolve(kind) if kind is not None else None
    for target, document in zip(targets, documents, strict=True):
        if resource is not None and (resource.group, resource.name) != (target.resource.group, target.resource.name):
            raise InvalidArgument(f"kind {kind!r} does not match the manifest's {document['kind']}", argument="kind")
        if name is not None and validation.check_name(name) != document["metadata"]["name"]:
            raise InvalidArgument(f"name {name!r} does not match the manifest's {document['metadata']['name']!r}", argument="name")
        if namespace is not None and target.namespace is not None and namespace != target.namespace:
            raise InvalidArgument(
                f"namespace {namespace!r} does not match the manifest's {target.namespace!r}", argument="namespace"
            )


async def delete_resource(gw: Gateway, kind: str, name: str, *, namespace: str | None = None, dry_run: bool = False) -> dict[str, Any]:
    """Delete exactly one named object; never `--all`, never a selector."""
    validation.check_name(name)
    target, notes = await gw.locate(kind, namespace, verb="delete", name=name)
    flags = ["--wait=false", "--ignore-not-found=false"]
    if target.namespace:
        flags.append(f"--namespace={target.namespace}")
    if dry_run:
        flags.append("--dry-run=server")
    result = await gw.run(
        KubectlCommand("delete", args=(target.resource.full_name, name), flags=tuple(flags))
    )
    answer: dict[str, Any] = {
        "dryRun": dry_run,
        "deleted": {"kind": target.resource.kind, "name": name},
        "message": result.stdout.decode("utf-8", errors="replace").strip(),
    }
    if target.namespace:
        answer["deleted"]["namespace"] = target.namespace
    if notes:
        answer["notes"] = notes
    return answer
