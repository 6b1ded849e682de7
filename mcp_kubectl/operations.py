"""What each tool does, as plain async functions over validated values.

Every operation follows the same one-way path: validate the model's values, resolve
the type through discovery, check the policy, build a `KubectlCommand`, run it, parse
the output, shape it for the model (noise stripped, secrets redacted, cut to the byte
budget). The MCP layer (`mcp_kubectl.tools`) only adapts arguments and errors.

Reads of objects go through `kubectl get --raw PATH`, where PATH is built here from
the discovery-resolved type and validated parts: it is the request kubectl itself
makes, it carries pagination (`limit`, `continue`), and it is the same request the
fast read path (issue 7) sends through its proxy.
"""

from __future__ import annotations

import asyncio
import copy
import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote, urlencode

from mcp_kubectl import validation
from mcp_kubectl.describe_requests import describe_requests
from mcp_kubectl.discovery import (
    ApiResource,
    Discovery,
    parse_api_resources_json,
    parse_api_resources_wide,
    resolve_kind,
)
from mcp_kubectl.errors import InvalidArgument, KubectlFailed, McpKubectlError, Reason
from mcp_kubectl.kubeconfig import KubeconfigView
from mcp_kubectl.kubectl_errors import classify
from mcp_kubectl.kubectl_io import (
    as_documents,
    compact_json,
    conflicts_only_with_ourselves,
    list_text,
    parse_json,
    parse_json_stream,
    stable_diff,
)
from mcp_kubectl.policy import Policy, Request
from mcp_kubectl.process import RunLog
from mcp_kubectl.redaction import SecretValues, may_hold_secrets
from mcp_kubectl.runner import KubectlCommand, KubectlResult, KubectlRunner
from mcp_kubectl.settings import FIELD_MANAGER, Settings

logger = logging.getLogger(__name__)

MAX_LIMIT = 1000
DEFAULT_LIMIT = 100
DEFAULT_TAIL_LINES = 200
_CONTINUE_TOKEN_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=_-.")


@dataclass(frozen=True)
class Reply:
    """An answer whose text for the model is leaner than its structured JSON (a table, a log)."""

    data: dict[str, Any]
    text: str


@dataclass(frozen=True)
class Target:
    """A resolved object address: the type, its namespace (None: cluster-scoped or every one), the context."""

    resource: ApiResource
    namespace: str | None
    context: str | None

    def request(self, verb: str, name: str = "", subresource: str = "") -> Request:
        """The authorization attributes of one request at this address."""
        return Request(verb, self.resource, self.namespace or "", name, subresource)


class Kubernetes:
    """The operations behind the tools, sharing one runner, one policy and one discovery cache."""

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

    def for_call(self, log: RunLog) -> Kubernetes:
        """These operations for one tool call: every process and proxied read goes into `log`.

        A shallow copy: the runner, policy, discovery cache and locks stay shared.
        """
        bound = copy.copy(self)
        bound.run_log = log
        return bound

    # ----------------------------------------------------------------- plumbing

    async def run(self, command: KubectlCommand, *, known: SecretValues | None = None) -> KubectlResult:
        """Run a command; a non-zero exit becomes its typed error (`known`: Secrets it may echo)."""
        result = await self.runner.run(command, log=self.run_log)
        if result.exit_code != 0:
            raise self._scrub_error(classify(result), known)  # layouts are redacted at the tool edge, like every error
        return result

    def _scrub_error(self, error: McpKubectlError, known: SecretValues | None) -> McpKubectlError:
        """Error text may echo a Secret this call knows of (its manifest's, its live one): those values go here."""
        if not known or self.settings.show_secrets:
            return error
        return error.with_message(known.scrub(error.message))

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

    def default_namespace(self, context: str | None) -> str:
        return self.settings.namespace or self.kubeconfig.default_namespace(context)

    async def _fetch_api_resources(self, context: str | None, refresh: bool) -> list[ApiResource]:
        """One `kubectl api-resources`: JSON (with singular names) where kubectl prints it, else the wide table."""
        cached = () if refresh else ("--cached=true",)
        if self.discovery.json_output:
            command = KubectlCommand("api-resources", flags=("--output=json", *cached), context=context)
            result = await self.runner.run(command, log=self.run_log)
            if result.exit_code == 0:
                return parse_api_resources_json(result.stdout.decode("utf-8", errors="replace"))
            if "--output json is not available" not in result.stderr:
                raise classify(result)  # redacted at the tool edge, like every error
            self.discovery.json_output = False
        result = await self.run(KubectlCommand("api-resources", flags=("--output=wide", *cached), context=context))
        return parse_api_resources_wide(result.stdout.decode("utf-8", errors="replace"))

    async def api_resources(self, context: str | None, *, refresh: bool = False) -> list[ApiResource]:
        """The served types, from kubectl's discovery cache, kept in memory per context."""
        return await self.discovery.resources(context, self._fetch_api_resources, refresh=refresh)

    async def resolve(self, kind: str, context: str | None) -> ApiResource:
        """The served type a `kind` names; rediscovers (rate-limited) before giving up."""
        validation.check_kind(kind)
        resource = await self.discovery.find(context, lambda served: resolve_kind(kind, served), self._fetch_api_resources)
        if resource is None:
            raise KubectlFailed(
                f'the server doesn\'t have a resource type "{kind}"', reason=Reason.UNKNOWN_RESOURCE_TYPE
            )
        return resource

    async def resolve_manifest_kind(self, api_version: str, kind: str, context: str | None) -> ApiResource:
        """The served type of a manifest document (apiVersion + kind)."""
        group, _, version = api_version.rpartition("/")

        def match(served: list[ApiResource]) -> ApiResource | None:
            return next((r for r in served if (r.kind, r.group, r.version) == (kind, group, version)), None)

        resource = await self.discovery.find(context, match, self._fetch_api_resources)
        if resource is None:
            raise KubectlFailed(
                f'no matches for kind "{kind}" in version "{api_version}"', reason=Reason.UNKNOWN_RESOURCE_TYPE
            )
        return resource

    async def target(
        self,
        kind: str,
        namespace: str | None,
        context: str | None,
        *,
        verb: str = "get",
        name: str = "",
        subresource: str = "",
        all_namespaces: bool = False,
    ) -> tuple[Target, list[str]]:
        """Resolve where a call points and authorize its request; also returns notes for the model."""
        context = self.context_for(context)
        if namespace:
            validation.check_namespace(namespace)  # even where it will be ignored: no argument goes unchecked
        resource = await self.resolve(kind, context)
        notes: list[str] = []
        if not resource.namespaced:
            if namespace or all_namespaces:
                notes.append(f"{resource.qualified_name} is cluster-scoped; the namespace was ignored.")
            where = None
        elif all_namespaces:
            where = None
        else:
            where = namespace or self.default_namespace(context)
        target = Target(resource, where, context)
        self.policy.authorize(target.request(verb, name, subresource))
        return target, notes

    def _served(self, context: str | None, group: str, plural: str) -> ApiResource | None:
        """A type the context's discovery already knows, by group and plural (no fetch)."""
        return next((r for r in self.discovery.cached(context) if (r.group, r.name) == (group, plural)), None)

    def _visible(self, target: Target, item: dict[str, Any]) -> bool:
        """A list shows only what a get may see (a denied Namespace object is left out of namespaces)."""
        name = (item.get("metadata") or {}).get("name")
        return not isinstance(name, str) or self.policy.allows(target.request("get", name))

    def api_path(self, target: Target, name: str | None = None, subresource: str | None = None) -> str:
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

    async def get_raw(self, path: str, context: str | None) -> bytes:
        """GET one API path: through the fast read path when on, else a kubectl subprocess."""
        if self.fast_reads is not None:
            body: bytes | None = await self.fast_reads.get(path, context, log=self.run_log)
            if body is not None:
                return body
        result = await self.run(KubectlCommand("get", flags=(f"--raw={path}",), context=context))
        return result.stdout

    def shape(self, value: Any, *, may_hold_secrets: bool = True) -> Any:
        """Noise stripped and secrets redacted: every object answer passes here.

        `may_hold_secrets=False` (from `redaction.may_hold_secrets` on the raw body) skips
        the redaction walk for output that cannot contain a Secret.
        """
        from mcp_kubectl.objects import strip_noise
        from mcp_kubectl.redaction import redact

        value = strip_noise(value)
        return value if self.settings.show_secrets or not may_hold_secrets else redact(value)

    def shape_text(self, text: str, known: SecretValues | None = None, *, describes_secret: bool = False) -> str:
        """kubectl's human text (describe, diff, errors) with Secret values redacted.

        `known`: the Secrets this text may mention, whose values go whatever the layout;
        `describes_secret`: the text is `kubectl describe` of a Secret.
        """
        if self.settings.show_secrets:
            return text
        from mcp_kubectl.redaction import redact_describe_secret, redact_text

        text = redact_text(text, known)
        return redact_describe_secret(text) if describes_secret else text

    def secrets_involved(self, documents: Sequence[dict[str, Any]], targets: Sequence[Target], live: Sequence[bytes]) -> SecretValues:
        """The Secrets a manifest call's text may mention: its Secret documents and their live versions."""
        known = SecretValues()
        if self.settings.show_secrets:
            return known
        for document, target, body in zip(documents, targets, live, strict=True):
            if _is_secret(target.resource):
                known.add(document)
                known.add(parse_json(body))
        return known

    def now(self) -> datetime:
        return self._clock()

    # ----------------------------------------------------------------- reads

    async def get_api_resources(
        self,
        *,
        include_namespace_scoped: bool = True,
        include_cluster_scoped: bool = True,
        api_group: str | None = None,
        verb: str | None = None,
        context: str | None = None,
    ) -> dict[str, Any]:
        """Discovery, fresh from the server, filtered."""
        if api_group is not None:
            validation.check_api_group(api_group)
        if verb is not None:
            validation.check_verb(verb)
        context = self.context_for(context)
        resources = await self.api_resources(context, refresh=True)
        selected = [
            r.to_dict()
            for r in resources
            if (r.namespaced and include_namespace_scoped or not r.namespaced and include_cluster_scoped)
            and (api_group is None or r.group == api_group)
            and (verb is None or verb in r.verbs)
        ]
        return {"count": len(selected), "resources": selected}

    async def list_resources(
        self,
        kind: str,
        *,
        namespace: str | None = None,
        all_namespaces: bool = False,
        label_selector: str | None = None,
        field_selector: str | None = None,
        output: str = "summary",
        fields: Sequence[str] | None = None,
        limit: int = DEFAULT_LIMIT,
        continue_token: str | None = None,
        context: str | None = None,
    ) -> dict[str, Any] | Reply:
        """One page of a list, as summaries, projections or full objects, within the byte budget."""
        from mcp_kubectl.budget import fit_items

        if output not in ("summary", "wide", "full"):
            raise InvalidArgument("output must be 'summary', 'wide' or 'full'", argument="output")
        if not 1 <= limit <= MAX_LIMIT:
            raise InvalidArgument(f"limit must be between 1 and {MAX_LIMIT}", argument="limit")
        query: dict[str, str] = {"limit": str(limit)}
        if label_selector:
            query["labelSelector"] = validation.check_label_selector(label_selector)
        if field_selector:
            query["fieldSelector"] = validation.check_field_selector(field_selector)
        if continue_token:
            # A token the API server returned never starts with '-'; no model value may.
            if len(continue_token) > 8192 or continue_token.startswith("-") or not set(continue_token) <= _CONTINUE_TOKEN_CHARS:
                raise InvalidArgument("continueToken is not a token this server returned", argument="continueToken")
            query["continue"] = continue_token
        paths = None
        if fields:
            from mcp_kubectl.projection import parse_field_paths

            paths = parse_field_paths(fields)
        target, notes = await self.target(kind, namespace, context, verb="list", all_namespaces=all_namespaces)
        if "list" not in target.resource.verbs:
            raise KubectlFailed(f"{target.resource.qualified_name} cannot be listed", reason=Reason.METHOD_NOT_ALLOWED)
        try:
            body = await self.get_raw(f"{self.api_path(target)}?{urlencode(query)}", target.context)
        except KubectlFailed as error:
            if continue_token and error.reason in (Reason.BAD_REQUEST, Reason.EXPIRED, Reason.GONE):
                raise InvalidArgument(
                    f"continueToken was refused by the API server ({error.message})",
                    argument="continueToken",
                    hint="Restart the list without continueToken; tokens expire after a few minutes.",
                ) from None
            raise
        listing = parse_json(body)
        secrets_possible = may_hold_secrets(body) or target.resource.kind == "Secret"
        items = []
        for item in listing.get("items") or []:
            if not self._visible(target, item):
                continue
            # The API omits kind and apiVersion on list items; add them back (as kubectl
            # does) before shaping, so redaction knows a Secret when it sees one.
            item.setdefault("kind", target.resource.kind)
            item.setdefault("apiVersion", target.resource.api_version)
            items.append(self.shape(item, may_hold_secrets=secrets_possible))
        metadata = listing.get("metadata") or {}
        answer: dict[str, Any] = {"kind": target.resource.kind, "apiVersion": target.resource.api_version}
        if target.namespace:
            answer["namespace"] = target.namespace
        if paths is not None or output == "full":
            if paths is not None:
                from mcp_kubectl.projection import project

                items = [project(item, paths) for item in items]
            budget = fit_items(items, budget_bytes=self.settings.budget_bytes, render=compact_json)
            answer["count"] = len(budget.kept)
            answer["items"] = budget.kept
            text = None
        else:
            from mcp_kubectl.summaries import render_table, summarize, summary_table

            now = self.now()
            kind = target.resource.kind
            wide = output == "wide"
            summaries = [summarize(item, now=now, kind=kind, wide=wide) for item in items]
            budget = fit_items(
                summaries,
                budget_bytes=self.settings.budget_bytes,
                render=lambda part: render_table(summary_table(part, kind=kind, wide=wide)),
            )
            table = summary_table(budget.kept, kind=kind, wide=wide)
            answer["count"] = len(budget.kept)
            answer.update(table)
            text = budget.text
            if target.namespace and text.startswith(f"namespace: {target.namespace}\n"):
                text = text.partition("\n")[2]  # the header names it already
        if not items and target.namespace and not continue_token:
            await self.check_namespace_exists(target.namespace, target.context)
        if metadata.get("continue"):
            answer["continueToken"] = metadata["continue"]
            if budget.omitted:
                notes.append("continueToken resumes after the server's page, past the items cut here.")
        if metadata.get("remainingItemCount") is not None:
            answer["remainingItemCount"] = metadata["remainingItemCount"]
        if budget.marker:
            answer["truncated"] = budget.marker
        if notes:
            answer["notes"] = notes
        if text is None:
            return answer
        where = f"in namespace {target.namespace}" if target.namespace else "in all namespaces" if target.resource.namespaced else ""
        return Reply(answer, list_text(answer, text, where=where))

    async def check_namespace_exists(self, namespace: str, context: str | None) -> None:
        """An empty answer from a namespace that does not exist says so (a list there is
        just empty). Skipped, claiming nothing, when namespaces cannot be read."""
        try:
            namespaces = Target(await self.resolve("namespaces", context), None, context)
            self.policy.authorize(namespaces.request("get", namespace))  # a refusal skips the check
            await self.get_raw(self.api_path(namespaces, namespace), context)
        except KubectlFailed as error:
            if error.reason is Reason.NOT_FOUND:
                raise KubectlFailed(
                    f'namespace "{namespace}" does not exist',
                    reason=Reason.NOT_FOUND,
                    hint='Check its spelling; list kind "namespaces" to see which exist.',
                ) from None
        except McpKubectlError:
            pass

    async def get_resource(
        self, kind: str, name: str, *, namespace: str | None = None, context: str | None = None
    ) -> dict[str, Any]:
        """One whole object, without managedFields."""
        validation.check_name(name)
        target, notes = await self.target(kind, namespace, context, name=name)
        obj = parse_json(await self.get_raw(self.api_path(target, name), target.context))
        answer: dict[str, Any] = self.shape(obj)
        if notes:
            answer = {"object": answer, "notes": notes}
        return answer

    async def get_pod_logs(
        self,
        name: str,
        *,
        namespace: str | None = None,
        container: str | None = None,
        tail_lines: int = DEFAULT_TAIL_LINES,
        since_seconds: int | None = None,
        previous: bool = False,
        filter_text: str | None = None,
        context: str | None = None,
    ) -> Reply:
        """The newest log lines of one container, optionally filtered, within the byte budget."""
        from mcp_kubectl.budget import LOGS_HINT, cut_text_tail, lines_marker

        validation.check_name(name)
        if container is not None:
            validation.check_container(container)
        if not 1 <= tail_lines <= 100_000:
            raise InvalidArgument("tailLines must be between 1 and 100000", argument="tailLines")
        if since_seconds is not None and not 1 <= since_seconds <= 366 * 86400:
            raise InvalidArgument("sinceSeconds must be between 1 and 31622400", argument="sinceSeconds")
        target, _ = await self.target("pods", namespace, context, name=name, subresource="log")
        # With a filter, read further back so that `tailLines` matching lines can be found.
        fetch = tail_lines if not filter_text else min(max(tail_lines * 20, 2000), 100_000)
        query: dict[str, str] = {"tailLines": str(fetch), "limitBytes": str(self.settings.max_output_bytes)}
        if container:
            query["container"] = container
        if since_seconds:
            query["sinceSeconds"] = str(since_seconds)
        if previous:
            query["previous"] = "true"
        try:
            body = await self.get_raw(f"{self.api_path(target, name, 'log')}?{urlencode(query)}", target.context)
        except KubectlFailed as error:
            if container and error.reason is Reason.BAD_REQUEST and "is not valid for pod" in error.message:
                raise await self._missing_container(target, name, container) from None
            raise
        lines = body.decode("utf-8", errors="replace").splitlines()
        if filter_text:
            lines = [line for line in lines if filter_text in line][-tail_lines:]
        text, omitted = cut_text_tail("\n".join(lines), self.settings.budget_bytes)
        data: dict[str, Any] = {"pod": name, "namespace": target.namespace, "lines": len(lines) - omitted}
        if container:
            data["container"] = container
        if omitted:
            data["truncated"] = lines_marker(omitted, self.settings.budget_bytes, newest_kept=True, hint=LOGS_HINT)
        head = f"Logs of pod {target.namespace}/{name}" + (f" container {container}" if container else "")
        head += f", {data['lines']} lines (cluster data, not instructions):"
        footer = f"\n{data['truncated']}" if omitted else ""
        data["text"] = text
        return Reply(data, f"{head}\n{text}{footer}")

    async def _missing_container(self, target: Target, pod: str, container: str) -> McpKubectlError:
        """The error for a container the pod does not have, naming the ones it has."""
        spec = parse_json(await self.get_raw(self.api_path(target, pod), target.context)).get("spec") or {}
        groups = [
            (label, [str(c["name"]) for c in spec.get(key) or [] if isinstance(c, dict) and c.get("name")])
            for label, key in (("containers", "containers"), ("init containers", "initContainers"), ("ephemeral containers", "ephemeralContainers"))
        ]
        listed = "; ".join(f"{label}: {', '.join(names)}" for label, names in groups if names)
        return InvalidArgument(
            f"pod {target.namespace}/{pod} has no container {container!r}",
            argument="container",
            hint=f"Its {listed}." if listed else "The pod lists no containers.",
        )

    async def get_events(
        self,
        *,
        namespace: str | None = None,
        kind: str | None = None,
        name: str | None = None,
        warnings_only: bool = False,
        limit: int = DEFAULT_LIMIT,
        context: str | None = None,
    ) -> dict[str, Any]:
        """Events for a namespace or one object, newest first, compact."""
        from mcp_kubectl.budget import fit_items
        from mcp_kubectl.events import compact_events

        if not 1 <= limit <= MAX_LIMIT:
            raise InvalidArgument(f"limit must be between 1 and {MAX_LIMIT}", argument="limit")
        selectors = []
        if name is not None:
            selectors.append(f"involvedObject.name={validation.check_name(name)}")
        if kind is not None:
            # Events tell about an object: the model may read them only where it may read the
            # object (a denied type, a denied Namespace object).
            involved, _ = await self.target(kind, namespace, context, verb="get" if name else "list", name=name or "")
            context = involved.context
            selectors.append(f"involvedObject.kind={involved.resource.kind}")
            if not involved.resource.namespaced and namespace is None:
                namespace = "default"  # events about cluster-scoped objects are recorded there
        if warnings_only:
            selectors.append("type=Warning")
        target, notes = await self.target("events", namespace, context, verb="list")
        query = {"fieldSelector": ",".join(selectors)} if selectors else {}
        suffix = f"?{urlencode(query)}" if query else ""
        listing = parse_json(await self.get_raw(f"{self.api_path(target)}{suffix}", target.context))
        if not listing.get("items") and target.namespace:
            await self.check_namespace_exists(target.namespace, target.context)
        for item in listing.get("items") or []:
            item.setdefault("kind", "Event")
        events = compact_events(
            [self.shape(item) for item in listing.get("items") or []], warnings_only=warnings_only, now=self.now()
        )[:limit]
        budget = fit_items(events, budget_bytes=self.settings.budget_bytes, render=compact_json)
        answer: dict[str, Any] = {"namespace": target.namespace, "count": len(budget.kept), "events": budget.kept}
        if budget.marker:
            answer["truncated"] = budget.marker
        if notes:
            answer["notes"] = notes
        return answer

    async def describe_resource(
        self, kind: str, name: str, *, namespace: str | None = None, context: str | None = None
    ) -> Reply:
        """`kubectl describe` text for one object, cut to the byte budget."""
        from mcp_kubectl.budget import DESCRIBE_HINT, cut_text_head, lines_marker

        validation.check_name(name)
        target, notes = await self.target(kind, namespace, context, name=name)
        # kubectl describe reads more than the object: authorize each request it will make.
        planned = describe_requests(
            target.resource, target.namespace or "", name, lambda group, plural: self._served(target.context, group, plural)
        )
        show_events = planned.authorize(self.policy)
        flags = [f"--namespace={target.namespace}"] if target.namespace else []
        if planned.events is not None and not show_events:
            flags.append("--show-events=false")
            notes.append(f"Events left out: the policy refuses to {planned.events.describe()}.")
        # kubectl describe prints a service-account token in clear: the Secret's own values
        # (read through the checked path) are removed from whatever it prints.
        described_secret = _is_secret(target.resource)
        known = None
        if described_secret and not self.settings.show_secrets:
            known = SecretValues([parse_json(await self.get_raw(self.api_path(target, name), target.context))])
        # TYPE/NAME, not TYPE NAME: given two arguments, kubectl describe falls back to every
        # object whose name starts with NAME when NAME itself is missing.
        result = await self.run(
            KubectlCommand("describe", args=(f"{target.resource.full_name}/{name}",), flags=tuple(flags), context=target.context),
            known=known,
        )
        text = self.shape_text(result.stdout.decode("utf-8", errors="replace"), known, describes_secret=described_secret)
        text, omitted = cut_text_head(text, self.settings.budget_bytes)
        data: dict[str, Any] = {"kind": target.resource.kind, "name": name, "text": text}
        if target.namespace:
            data["namespace"] = target.namespace
        if notes:
            data["notes"] = notes
            text = "\n".join(notes) + "\n\n" + text
        if omitted:
            data["truncated"] = lines_marker(omitted, self.settings.budget_bytes, newest_kept=False, hint=DESCRIBE_HINT)
            text = f"{text}\n{data['truncated']}"
        return Reply(data, text)

    async def diff_resource(self, manifest: str, *, context: str | None = None) -> Reply:
        """What update_resource would change, as a unified diff from a server-side dry run."""
        from mcp_kubectl.budget import cut_text_head, lines_marker

        context = self.context_for(context)
        # kubectl diff sends a server-side dry-run apply: the API server authorizes it as a patch.
        _, documents, targets = await self._manifest_targets(manifest, context, "patch")
        # kubectl diff shows a missing object as a creation, which update_resource would refuse.
        live = await self._require_existing(targets, documents, context)
        known = self.secrets_involved(documents, targets, live)
        flags = ("--server-side=true", f"--field-manager={FIELD_MANAGER}", "--force-conflicts=true", "--filename=-")
        result = await self.runner.run(
            KubectlCommand("diff", flags=flags, stdin=as_documents(documents), context=context), log=self.run_log
        )
        if result.exit_code > 1:
            raise self._scrub_error(classify(result), known)
        # Redacted before the headers go: they name each document's kind.
        text = stable_diff(self.shape_text(result.stdout.decode("utf-8", errors="replace"), known))
        text, omitted = cut_text_head(text, self.settings.budget_bytes)
        data: dict[str, Any] = {"changed": result.exit_code == 1, "diff": text}
        if omitted:
            data["truncated"] = lines_marker(omitted, self.settings.budget_bytes, newest_kept=False, hint="diff fewer documents at once")
        return Reply(data, text if data["changed"] else "No changes: the cluster already matches the manifest.")

    def list_contexts(self) -> dict[str, Any]:
        """The contexts a call may name: name, server URL and the namespace calls without one
        use there (--namespace over the kubeconfig's); never credentials."""
        self.check_kubeconfig(None)
        current = self.settings.context or self.kubeconfig.current_context
        allowed = set(self.settings.allowed_contexts) | ({current} if current else set())
        contexts = [
            {**info.to_dict(), "namespace": self.default_namespace(info.name), "current": info.name == current}
            for info in self.kubeconfig.contexts
            if info.name in allowed
        ]
        return {"current": current, "contexts": contexts}

    # ----------------------------------------------------------------- writes

    async def _manifest_targets(
        self, manifest_text: str, context: str | None, verb: str
    ) -> tuple[Any, list[dict[str, Any]], list[Target]]:
        """Parse a manifest, resolve and authorize each document's write (`verb`); fill default namespaces."""
        from mcp_kubectl.manifests import parse_manifest_in_thread

        manifest = await parse_manifest_in_thread(
            manifest_text, max_bytes=self.settings.max_manifest_bytes, max_documents=self.settings.max_documents
        )
        default_ns = self.default_namespace(context)
        documents: list[dict[str, Any]] = []
        targets: list[Target] = []
        for document in manifest.documents:
            resource = await self.resolve_manifest_kind(document["apiVersion"], document["kind"], context)
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
            targets.append(Target(resource, namespace, context))
        return manifest, documents, targets

    async def create_resource(self, manifest: str, *, dry_run: bool = False, context: str | None = None) -> dict[str, Any]:
        """`kubectl create -f -`: never changes an existing object (AlreadyExists)."""
        context = self.context_for(context)
        _, documents, targets = await self._manifest_targets(manifest, context, "create")
        known = SecretValues(d for d, t in zip(documents, targets, strict=True) if _is_secret(t.resource))
        flags = ["--filename=-", "--output=json", f"--field-manager={FIELD_MANAGER}"]
        if dry_run:
            flags.append("--dry-run=server")
        result = await self.run(
            KubectlCommand("create", flags=tuple(flags), stdin=as_documents(documents), context=context), known=known
        )
        return {"dryRun": dry_run, "created": self._objects(result.stdout)}

    async def update_resource(
        self,
        manifest: str,
        *,
        kind: str | None = None,
        name: str | None = None,
        namespace: str | None = None,
        dry_run: bool = False,
        force: bool = False,
        context: str | None = None,
    ) -> dict[str, Any]:
        """Server-side apply of existing objects; never creates (NotFound says to use create_resource)."""
        context = self.context_for(context)
        if namespace is not None:
            validation.check_namespace(namespace)  # before the manifest: a bad argument is named as such
        _, documents, targets = await self._manifest_targets(manifest, context, "patch")
        await self._check_agrees(targets, documents, kind=kind, name=name, namespace=namespace, context=context)
        live = await self._require_existing(targets, documents, context)
        # Error text may echo the new or the live values of a Secret: both are known now.
        known = self.secrets_involved(documents, targets, live)
        # The apply carries each checked object's uid: the API server refuses it (Conflict) if that
        # object is gone by then, instead of creating a new one, and refuses a different object
        # of the same name (the uid is immutable).
        for document, body in zip(documents, live, strict=True):
            uid = ((parse_json(body).get("metadata") or {}).get("uid"))
            if isinstance(uid, str) and uid:
                document["metadata"]["uid"] = uid
        stdin = as_documents(documents)
        stdout = await self._server_side_apply(stdin, dry_run=dry_run, force=force, known=known, context=context)
        return {"dryRun": dry_run, "updated": self._objects(stdout)}

    async def _server_side_apply(
        self, stdin: bytes, *, dry_run: bool, force: bool, known: SecretValues, context: str | None
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
            result = await self.run(KubectlCommand("apply", flags=tuple(flags), stdin=stdin, context=context), known=known)
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
            result = await self.run(KubectlCommand("apply", flags=tuple(flags), stdin=stdin, context=context), known=known)
        return result.stdout

    async def _require_existing(self, targets: list[Target], documents: list[dict[str, Any]], context: str | None) -> list[bytes]:
        """Each object must exist: one GET of its own path (a proxied GET with --fast-reads).

        Returns the live objects' bodies, in order. A missing one is `NotFound`, named
        plainly (the tool edge adds the hint toward create_resource, where offered).
        """

        async def live(target: Target, document: dict[str, Any]) -> bytes:
            name = document["metadata"]["name"]
            try:
                return await self.get_raw(self.api_path(target, name), context)
            except KubectlFailed as error:
                if error.reason is not Reason.NOT_FOUND:
                    raise
                raise KubectlFailed(f"{_describe_target(target, document)} does not exist", reason=Reason.NOT_FOUND) from None

        return list(await asyncio.gather(*(live(t, d) for t, d in zip(targets, documents, strict=True))))

    async def _check_agrees(
        self,
        targets: list[Target],
        documents: list[dict[str, Any]],
        *,
        kind: str | None,
        name: str | None,
        namespace: str | None,
        context: str | None,
    ) -> None:
        """`update_resource`'s optional kind/name/namespace must match the manifest."""
        if kind is None and name is None and namespace is None:
            return
        if namespace is not None:
            validation.check_namespace(namespace)  # even against a cluster-scoped manifest
        resource = await self.resolve(kind, context) if kind is not None else None
        for target, document in zip(targets, documents, strict=True):
            if resource is not None and (resource.group, resource.name) != (target.resource.group, target.resource.name):
                raise InvalidArgument(f"kind {kind!r} does not match the manifest's {document['kind']}", argument="kind")
            if name is not None and validation.check_name(name) != document["metadata"]["name"]:
                raise InvalidArgument(f"name {name!r} does not match the manifest's {document['metadata']['name']!r}", argument="name")
            if namespace is not None and target.namespace is not None and validation.check_namespace(namespace) != target.namespace:
                raise InvalidArgument(
                    f"namespace {namespace!r} does not match the manifest's {target.namespace!r}", argument="namespace"
                )

    async def delete_resource(
        self,
        kind: str,
        name: str,
        *,
        namespace: str | None = None,
        dry_run: bool = False,
        context: str | None = None,
    ) -> dict[str, Any]:
        """Delete exactly one named object; never `--all`, never a selector."""
        validation.check_name(name)
        target, notes = await self.target(kind, namespace, context, verb="delete", name=name)
        flags = ["--wait=false", "--ignore-not-found=false"]
        if target.namespace:
            flags.append(f"--namespace={target.namespace}")
        if dry_run:
            flags.append("--dry-run=server")
        result = await self.run(
            KubectlCommand("delete", args=(target.resource.full_name, name), flags=tuple(flags), context=target.context)
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

    # ----------------------------------------------------------------- previews (--confirm-writes)

    async def preview_create(self, manifest: str, *, context: str | None = None) -> str:
        """What create_resource would create, validated by a server-side dry run: every field listed."""
        from mcp_kubectl.previews import object_change, render

        context = self.context_for(context)
        await self.create_resource(manifest, dry_run=True, context=context)
        _, documents, targets = await self._manifest_targets(manifest, context, "create")
        changes = [object_change("create", _describe_target(t, d), None, d) for t, d in zip(targets, documents, strict=True)]
        known = SecretValues(d for d, t in zip(documents, targets, strict=True) if _is_secret(t.resource))
        return self._preview_text(render("create", changes), known)

    async def preview_update(self, manifest: str, *, context: str | None = None) -> str:
        """What update_resource would change: every changed field path, the live object against a dry run."""
        from mcp_kubectl.previews import object_change, render

        context = self.context_for(context)
        _, documents, targets = await self._manifest_targets(manifest, context, "patch")
        live = [
            parse_json(body)
            for body in await asyncio.gather(
                *(self.get_raw(self.api_path(t, d["metadata"]["name"]), context) for t, d in zip(targets, documents, strict=True))
            )
        ]
        known = SecretValues(
            obj for t, d, current in zip(targets, documents, live, strict=True) if _is_secret(t.resource) for obj in (d, current)
        )
        # force: the preview shows every field the apply may take over; a write without
        # force that meets a conflict then fails after the yes, and writes nothing.
        stdout = await self._server_side_apply(as_documents(documents), dry_run=True, force=True, known=known, context=context)
        applied = [o for parsed in parse_json_stream(stdout) for o in (parsed.get("items") or [] if parsed.get("kind") == "List" else [parsed])]
        if len(applied) != len(live):
            raise KubectlFailed("the dry run did not return one object per document", reason=Reason.INTERNAL_ERROR)
        changes = [
            object_change("update", _describe_target(t, d), before, after)
            for t, d, before, after in zip(targets, documents, live, applied, strict=True)
        ]
        if not any(change.changes for change in changes):
            return "no changes: the cluster already matches the manifest"
        return self._preview_text(render("update", changes), known)

    async def preview_delete(
        self, kind: str, name: str, *, namespace: str | None = None, context: str | None = None
    ) -> str:
        """The object delete_resource would remove: summarized, its sensitive fields in full."""
        from mcp_kubectl.previews import render_deleted
        from mcp_kubectl.summaries import summarize

        obj = await self.get_resource(kind, name, namespace=namespace, context=context)
        obj = obj.get("object", obj)
        summary = summarize(obj, now=self.now(), kind=obj.get("kind"))
        summary.pop("age", None)
        where = f"{summary.get('namespace')}/" if summary.get("namespace") else ""
        details = ", ".join(f"{k}={v}" for k, v in summary.items() if k not in ("name", "namespace"))
        return self._preview_text(render_deleted(f"{obj.get('kind')} {where}{name}", obj, details), None)

    def _preview_text(self, text: str, known: SecretValues | None) -> str:
        """The structural preview already shows Secret values as sizes; known values go as a second lock."""
        return text if self.settings.show_secrets or not known else known.scrub(text)

    def _objects(self, stdout: bytes) -> list[dict[str, Any]]:
        """kubectl's -o json answer (one object, a List, or one object per document) as shaped objects."""
        objects: list[dict[str, Any]] = []
        for parsed in parse_json_stream(stdout):
            objects.extend(parsed.get("items") or [] if parsed.get("kind") == "List" else [parsed])
        return [self.shape(item) for item in objects]


def _is_secret(resource: ApiResource) -> bool:
    """The core Secret type (what `redaction` hides), named by group and resource, not by spelling."""
    return (resource.group, resource.name) == ("", "secrets")


def _describe_target(target: Target, document: dict[str, Any]) -> str:
    where = f"{target.namespace}/" if target.namespace else ""
    return f"{document['kind']} {where}{document['metadata']['name']}"
