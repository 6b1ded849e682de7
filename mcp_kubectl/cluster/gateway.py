"""The cluster gateway: the one way operations reach a cluster.

context -> the context's discovery -> locate the type and authorize the request -> GET JSON
(`kubectl get --raw`, or the fast read path's proxy) or run kubectl -> parsed, shaped and
redacted data. Operations (`mcp_kubectl.ops`) are plain functions over a `Gateway`; they
never build an argv for a type they have not located, and every request they make, or make
kubectl make, passes `Policy.authorize` here or in the operation that plans it (describe).

Reads of objects go through `kubectl get --raw PATH`, where PATH is built here from the
discovery-resolved type and validated parts: it is the request kubectl itself makes, it
carries pagination (`limit`, `continue`), and it is the same request the fast read path
sends through its proxy.
"""

from __future__ import annotations

import asyncio
import copy
import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any, Self
from urllib.parse import quote

from mcp_kubectl.cluster.discovery import (
    ApiResource,
    Discovery,
    parse_api_resources_json,
    parse_api_resources_wide,
    resolve_kind,
)
from mcp_kubectl.cluster.kubeconfig import KubeconfigView
from mcp_kubectl.cluster.kubectl_errors import classify
from mcp_kubectl.cluster.kubectl_io import (
    conflicts_only_with_ourselves,
    parse_json,
    parse_json_stream,
)
from mcp_kubectl.cluster.process import RunLog
from mcp_kubectl.cluster.runner import KubectlCommand, KubectlResult, KubectlRunner
from mcp_kubectl.errors import KubectlFailed, McpKubectlError, Reason
from mcp_kubectl.safety import validation
from mcp_kubectl.safety.policy import Policy, Request
from mcp_kubectl.safety.redaction import SecretValues
from mcp_kubectl.settings import FIELD_MANAGER, Settings

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Address:
    """A resolved object address: the type and its namespace (None: cluster-scoped or every one).

    No context: an address is only ever used through the gateway bound to the call's context."""

    resource: ApiResource
    namespace: str | None

    def request(self, verb: str, name: str = "", subresource: str = "") -> Request:
        """The authorization attributes of one request at this address."""
        return Request(verb, self.resource, self.namespace or "", name, subresource)


class Unbound(RuntimeError):
    """A gateway used before `for_call` chose the call's context: a bug, never a silent default."""


_UNBOUND: Any = object()


class Gateway:
    """Context, discovery, policy, runner and shaping, shared by every operation (copied per call by `for_call`).

    Every request a bound copy makes goes to the one context `for_call` chose: operations
    never name a context, so none can forget it and reach another cluster."""

    def __init__(
        self,
        settings: Settings,
        runner: KubectlRunner,
        kubeconfig: KubeconfigView,
        *,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.settings = settings
        self.runner = runner
        self.kubeconfig = kubeconfig
        self.policy = Policy.from_settings(settings)  # a rule that denies nothing stops the start
        self._clock = clock
        self.discovery = Discovery()
        self.fast_reads: Any = None  # set by the server when --fast-reads is on
        self.helm: Any = None  # `helm_operations.Helm`, set by the server when helm was found
        self.run_log: RunLog | None = None  # set per tool call by `for_call`
        self._context: str | None = _UNBOUND  # set per tool call by `for_call`

    def for_call(self, log: RunLog, context: str | None) -> Self:
        """These operations for one tool call, against `context` as the model named it (None:
        the server's own): checked once here, then every request and process goes there, and
        into `log`. A shallow copy: the runner, policy, discovery cache and locks stay shared.
        """
        bound = copy.copy(self)
        bound.run_log = log
        bound._context = self.context_for(context)
        return bound

    def for_local_call(self, log: RunLog) -> Self:
        """These operations for a tool call that never reaches a cluster (list_contexts, Helm's
        repositories): its run log, and no context, so any cluster request it made would be an
        `Unbound` bug rather than a request to some default cluster."""
        bound = copy.copy(self)
        bound.run_log = log
        return bound

    @property
    def context(self) -> str | None:
        """The context this call runs against (None: the server's own), chosen by `for_call`."""
        if self._context is _UNBOUND:
            raise Unbound("the gateway was used outside a tool call: bind it with for_call(log, context)")
        return self._context

    async def run(
        self, command: KubectlCommand, *, known: SecretValues | None = None, timeout_s: float | None = None
    ) -> KubectlResult:
        """Run a command; a non-zero exit becomes its typed error (`known`: Secrets it may echo).

        `timeout_s`: a deadline other than the server's, for a command that waits on purpose."""
        result = await self.execute(command, timeout_s=timeout_s)
        if result.exit_code != 0:
            raise self.scrub_error(classify(result), known)  # layouts are redacted at the tool edge, like every error
        return result

    async def execute(self, command: KubectlCommand, *, timeout_s: float | None = None) -> KubectlResult:
        """Run a command against this call's context, into its run log; the exit code is the caller's to judge."""
        return await self.runner.run(replace(command, context=self.context), log=self.run_log, timeout_s=timeout_s)

    def scrub_error(self, error: McpKubectlError, known: SecretValues | None) -> McpKubectlError:
        """Error text may echo a Secret this call knows of (its manifest's, its live one): those values go here."""
        if not known or self.settings.show_secrets:
            return error
        return error.with_message(known.scrub(error.message))

    def secrets_involved(self, documents: Sequence[dict[str, Any]], targets: Sequence[Address], live: Sequence[bytes]) -> SecretValues:
        """The Secrets a manifest call's text may mention: its Secret documents and their live versions."""
        known = SecretValues()
        if self.settings.show_secrets:
            return known
        for document, target, body in zip(documents, targets, live, strict=True):
            if is_secret(target.resource):
                known.add(document)
                known.add(parse_json(body))
        return known

    async def server_side_apply(
        self, stdin: bytes, *, dry_run: bool, force: bool, known: SecretValues
    ) -> bytes:
        """`kubectl apply --server-side` of checked documents; kubectl's -o json answer."""
        flags = [
            "--server-side=true",
            f"--field-manager={FIELD_MANAGER}",
            "--filename=-",
            "--output=json",
        ]
        if force:
            flags.append("--force-conflicts=true")
        if dry_run:
            flags.append("--dry-run=server")
        try:
            result = await self.run(KubectlCommand("apply", flags=tuple(flags), stdin=stdin), known=known)
        except KubectlFailed as error:
            if "uid mismatch" in error.message:
                # kubectl reports the API server's Conflict as a field-manager conflict; it is not one.
                raise KubectlFailed(
                    error.message.split("\n")[0].removeprefix("error: "),
                    reason=Reason.CONFLICT,
                    argv=error.argv,
                    exit_code=error.exit_code,
                    hint="The object was deleted or replaced after update_resource read it, so nothing was written; read it again.",
                ) from None
            if error.reason != "Conflict" or force:
                raise
            if not conflicts_only_with_ourselves(error.message):
                raise error.with_hint("Another field manager owns these fields; retry with force=true to take them over.") from None
            # Fields this server wrote itself (create_resource's Update entry) are not
            # someone else's: take them over without bothering the model.
            flags.append("--force-conflicts=true")
            result = await self.run(KubectlCommand("apply", flags=tuple(flags), stdin=stdin), known=known)
        return result.stdout

    def context_for(self, context: str | None) -> str | None:
        """The context a call runs against, after the allow-list check."""
        if context is not None:
            validation.check_context(context)
        chosen = self.policy.check_context(context, current=self.settings.context or self.kubeconfig.current_context)
        self.check_kubeconfig(chosen)
        return chosen

    def check_kubeconfig(self, context: str | None) -> None:
        """No kubeconfig, or no usable context: say so (with the fix) before kubectl fails vaguely."""
        problem = self.kubeconfig.problem(context or self.settings.context)
        if problem is not None:
            raise problem

    async def require_existing(self, targets: list[Address], documents: list[dict[str, Any]]) -> list[bytes]:
        """Each object must exist: one GET of its own path (a proxied GET with --fast-reads).

        Returns the live objects' bodies, in order. A missing one is `NotFound`, named
        plainly (the tool edge adds the hint toward create_resource, where offered).
        """

        async def live(target: Address, document: dict[str, Any]) -> bytes:
            name = document["metadata"]["name"]
            try:
                return await self.get_raw(self.api_path(target, name))
            except KubectlFailed as error:
                if error.reason is not Reason.NOT_FOUND:
                    raise
                raise KubectlFailed(f"{describe_target(target, document)} does not exist", reason=Reason.NOT_FOUND) from None

        return list(await asyncio.gather(*(live(t, d) for t, d in zip(targets, documents, strict=True))))

    def default_namespace(self) -> str:
        """The namespace of this call's requests that name none."""
        return self.namespace_in(self.context)

    def namespace_in(self, context: str | None) -> str:
        """The namespace a call without one uses in `context` (None: the server's own, --context
        or the kubeconfig's current one): --namespace over the kubeconfig's."""
        return self.settings.namespace or self.kubeconfig.default_namespace(context or self.settings.context)

    async def _fetch_api_resources(self, _context: str | None, refresh: bool) -> list[ApiResource]:
        """One `kubectl api-resources`: JSON (with singular names) where kubectl prints it, else the wide table.

        `_context` is the discovery's key for this call's context, where every command goes anyway."""
        cached = () if refresh else ("--cached=true",)
        if self.discovery.json_output:
            result = await self.execute(KubectlCommand("api-resources", flags=("--output=json", *cached)))
            if result.exit_code == 0:
                return parse_api_resources_json(result.stdout.decode("utf-8", errors="replace"))
            if "--output json is not available" not in result.stderr:
                raise classify(result)  # redacted at the tool edge, like every error
            self.discovery.json_output = False
        result = await self.run(KubectlCommand("api-resources", flags=("--output=wide", *cached)))
        return parse_api_resources_wide(result.stdout.decode("utf-8", errors="replace"))

    async def api_resources(self, *, refresh: bool = False) -> list[ApiResource]:
        """The served types, from kubectl's discovery cache, kept in memory per context."""
        return await self.discovery.resources(self.context, self._fetch_api_resources, refresh=refresh)

    async def resolve(self, kind: str) -> ApiResource:
        """The served type a `kind` names; rediscovers (rate-limited) before giving up."""
        validation.check_kind(kind)
        resource = await self.discovery.find(self.context, lambda served: resolve_kind(kind, served), self._fetch_api_resources)
        if resource is None:
            raise KubectlFailed(
                f'the server doesn\'t have a resource type "{kind}"', reason=Reason.UNKNOWN_RESOURCE_TYPE
            )
        return resource

    async def resolve_manifest_kind(self, api_version: str, kind: str) -> ApiResource:
        """The served type of a manifest document (apiVersion + kind)."""
        group, _, version = api_version.rpartition("/")

        def match(served: list[ApiResource]) -> ApiResource | None:
            return next((r for r in served if (r.kind, r.group, r.version) == (kind, group, version)), None)

        resource = await self.discovery.find(self.context, match, self._fetch_api_resources)
        if resource is None:
            raise KubectlFailed(
                f'no matches for kind "{kind}" in version "{api_version}"', reason=Reason.UNKNOWN_RESOURCE_TYPE
            )
        return resource

    async def locate(
        self,
        kind: str,
        namespace: str | None,
        *,
        verb: str = "get",
        name: str = "",
        subresource: str = "",
        all_namespaces: bool = False,
    ) -> tuple[Address, list[str]]:
        """Resolve where a call points and authorize its request; also returns notes for the model."""
        if namespace:
            validation.check_namespace(namespace)  # even where it will be ignored: no argument goes unchecked
        resource = await self.resolve(kind)
        notes: list[str] = []
        if not resource.namespaced:
            if namespace or all_namespaces:
                notes.append(f"{resource.qualified_name} is cluster-scoped; the namespace was ignored.")
            where = None
        elif all_namespaces:
            where = None
        else:
            where = namespace or self.default_namespace()
        target = Address(resource, where)
        self.policy.authorize(target.request(verb, name, subresource))
        return target, notes

    def served_type(self, group: str, plural: str) -> ApiResource | None:
        """A type the context's discovery already knows, by group and plural (no fetch)."""
        return next((r for r in self.discovery.cached(self.context) if (r.group, r.name) == (group, plural)), None)

    def visible(self, target: Address, item: dict[str, Any]) -> bool:
        """A list shows only what a get may see (a denied Namespace object is left out of namespaces)."""
        name = (item.get("metadata") or {}).get("name")
        return not isinstance(name, str) or self.policy.allows(target.request("get", name))

    def api_path(self, target: Address, name: str | None = None, subresource: str | None = None) -> str:
        """The REST path of a type, object or subresource, from validated parts only."""
        resource = target.resource
        base = f"/apis/{resource.group}/{resource.version}" if resource.group else f"/api/{resource.version}"
        if target.namespace is not None:
            base += f"/namespaces/{quote(target.namespace, safe='')}"
        base += f"/{resource.name}"
        if name is not None:
            base += f"/{quote(name, safe='')}"
        if subresource is not None:
            base += f"/{subresource}"
        return base

    async def get_raw(self, path: str) -> bytes:
        """GET one API path: through the fast read path when on, else a kubectl subprocess."""
        if self.fast_reads is not None:
            body: bytes | None = await self.fast_reads.get(path, self.context, log=self.run_log)
            if body is not None:
                return body
        result = await self.run(KubectlCommand("get", flags=(f"--raw={path}",)))
        return result.stdout

    def shape(self, value: Any, *, may_hold_secrets: bool = True) -> Any:
        """Noise stripped and secrets redacted: every object answer passes here.

        `may_hold_secrets=False` (from `redaction.may_hold_secrets` on the raw body) skips
        the redaction walk for output that cannot contain a Secret.
        """
        from mcp_kubectl.safety.redaction import redact
        from mcp_kubectl.shaping.objects import strip_noise

        value = strip_noise(value)
        return value if self.settings.show_secrets or not may_hold_secrets else redact(value)

    def shape_text(self, text: str, known: SecretValues | None = None, *, describes_secret: bool = False) -> str:
        """kubectl's human text (describe, diff, errors) with Secret values redacted.

        `known`: the Secrets this text may mention, whose values go whatever the layout;
        `describes_secret`: the text is `kubectl describe` of a Secret.
        """
        if self.settings.show_secrets:
            return text
        from mcp_kubectl.safety.redaction import redact_describe_secret, redact_text

        text = redact_text(text, known)
        return redact_describe_secret(text) if describes_secret else text

    def now(self) -> datetime:
        return self._clock()

    async def manifest_targets(
        self, manifest_text: str, verb: str
    ) -> tuple[Any, list[dict[str, Any]], list[Address]]:
        """Parse a manifest, resolve and authorize each document's write (`verb`); fill default namespaces."""
        from mcp_kubectl.safety.manifests import parse_manifest_in_thread

        manifest = await parse_manifest_in_thread(
            manifest_text, max_bytes=self.settings.max_manifest_bytes, max_documents=self.settings.max_documents
        )
        default_ns = self.default_namespace()
        documents: list[dict[str, Any]] = []
        targets: list[Address] = []
        for document in manifest.documents:
            resource = await self.resolve_manifest_kind(document["apiVersion"], document["kind"])
            metadata = document.get("metadata") or {}
            validation.check_name(metadata["name"], "metadata.name")
            namespace = metadata.get("namespace")
            if namespace is not None:
                validation.check_namespace(namespace, "metadata.namespace")
            where = (namespace or default_ns) if resource.namespaced else ""
            self.policy.authorize(Request(verb, resource, where, metadata["name"]))
            document = json.loads(json.dumps(document))
            if resource.namespaced:
                namespace = namespace or default_ns
                document.setdefault("metadata", {})["namespace"] = namespace
            else:
                document.get("metadata", {}).pop("namespace", None)
                namespace = None
            documents.append(document)
            targets.append(Address(resource, namespace))
        return manifest, documents, targets

    def objects(self, stdout: bytes) -> list[dict[str, Any]]:
        """kubectl's -o json answer (one object, a List, or one object per document) as shaped objects."""
        objects: list[dict[str, Any]] = []
        for parsed in parse_json_stream(stdout):
            objects.extend(parsed.get("items") or [] if parsed.get("kind") == "List" else [parsed])
        return [self.shape(item) for item in objects]


def is_secret(resource: ApiResource) -> bool:
    """The core Secret type (what `redaction` hides), named by group and resource, not by spelling."""
    return (resource.group, resource.name) == ("", "secrets")


def describe_target(target: Address, document: dict[str, Any]) -> str:
    where = f"{target.namespace}/" if target.namespace else ""
    return f"{document['kind']} {where}{document['metadata']['name']}"
