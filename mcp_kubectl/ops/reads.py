"""Read operations: plain functions over a `Gateway`, returning parsed, shaped, redacted data."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from mcp_kubectl.cluster.gateway import Address, Gateway, is_secret
from mcp_kubectl.cluster.kubectl_io import compact_json, parse_json
from mcp_kubectl.cluster.runner import KubectlCommand
from mcp_kubectl.errors import InvalidArgument, KubectlFailed, McpKubectlError, Reason
from mcp_kubectl.ops.limits import CONTINUE_TOKEN_CHARS, DEFAULT_LIMIT, DEFAULT_TAIL_LINES, MAX_LIMIT
from mcp_kubectl.safety import validation
from mcp_kubectl.safety.describe_requests import describe_requests
from mcp_kubectl.safety.redaction import SecretValues, may_hold_secrets


async def get_api_resources(
    gw: Gateway,
    *,
    include_namespace_scoped: bool = True,
    include_cluster_scoped: bool = True,
    api_group: str | None = None,
    verb: str | None = None,
) -> dict[str, Any]:
    """Discovery, fresh from the server, filtered."""
    if api_group is not None:
        validation.check_api_group(api_group)
    if verb is not None:
        validation.check_verb(verb)
    resources = await gw.api_resources(refresh=True)
    selected = [
        r.to_dict()
        for r in resources
        if (r.namespaced and include_namespace_scoped or not r.namespaced and include_cluster_scoped)
        and (api_group is None or r.group == api_group)
        and (verb is None or verb in r.verbs)
    ]
    return {"count": len(selected), "resources": selected}


@dataclass(frozen=True)
class ListPage:
    """One page of a list: the answer, and where it was searched, which the answer alone cannot
    say (an empty page of every namespace and one of a cluster-scoped type look alike)."""

    answer: dict[str, Any]
    namespace: str | None  # the one namespace searched; None: all of them, or a cluster-scoped type
    namespaced: bool


async def list_resources(
    gw: Gateway,
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
) -> ListPage:
    """One page of a list, as summaries, projections or full objects, within the byte budget
    (a summary table is fitted by its rendered text: rows and the model's table end together)."""
    from mcp_kubectl.shaping.budget import fit_items

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
        if len(continue_token) > 8192 or continue_token.startswith("-") or not set(continue_token) <= CONTINUE_TOKEN_CHARS:
            raise InvalidArgument("continueToken is not a token this server returned", argument="continueToken")
        query["continue"] = continue_token
    paths = None
    if fields:
        from mcp_kubectl.shaping.projection import parse_field_paths

        paths = parse_field_paths(fields)
    target, notes = await gw.locate(kind, namespace, verb="list", all_namespaces=all_namespaces)
    if "list" not in target.resource.verbs:
        raise KubectlFailed(f"{target.resource.qualified_name} cannot be listed", reason=Reason.METHOD_NOT_ALLOWED)
    try:
        body = await gw.get_raw(f"{gw.api_path(target)}?{urlencode(query)}")
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
        if not gw.visible(target, item):
            continue
        # The API omits kind and apiVersion on list items; add them back (as kubectl
        # does) before shaping, so redaction knows a Secret when it sees one.
        item.setdefault("kind", target.resource.kind)
        item.setdefault("apiVersion", target.resource.api_version)
        items.append(gw.shape(item, may_hold_secrets=secrets_possible))
    metadata = listing.get("metadata") or {}
    answer: dict[str, Any] = {"kind": target.resource.kind, "apiVersion": target.resource.api_version}
    if target.namespace:
        answer["namespace"] = target.namespace
    if paths is not None or output == "full":
        if paths is not None:
            from mcp_kubectl.shaping.projection import project

            items = [project(item, paths) for item in items]
        budget = fit_items(items, budget_bytes=gw.settings.budget_bytes, render=compact_json)
        answer["count"] = len(budget.kept)
        answer["items"] = budget.kept
    else:
        from mcp_kubectl.shaping.summaries import render_table, summarize, summary_table

        now = gw.now()
        kind = target.resource.kind
        wide = output == "wide"
        summaries = [summarize(item, now=now, kind=kind, wide=wide) for item in items]
        budget = fit_items(
            summaries,
            budget_bytes=gw.settings.budget_bytes,
            render=lambda part: render_table(summary_table(part, kind=kind, wide=wide)),
        )
        table = summary_table(budget.kept, kind=kind, wide=wide)
        answer["count"] = len(budget.kept)
        answer.update(table)
    if not items and target.namespace and not continue_token:
        await check_namespace_exists(gw, target.namespace)
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
    return ListPage(answer, target.namespace, target.resource.namespaced)


async def check_namespace_exists(gw: Gateway, namespace: str) -> None:
    """An empty answer from a namespace that does not exist says so (a list there is
    just empty). Skipped, claiming nothing, when namespaces cannot be read."""
    try:
        namespaces = Address(await gw.resolve("namespaces"), None)
        gw.policy.authorize(namespaces.request("get", namespace))  # a refusal skips the check
        await gw.get_raw(gw.api_path(namespaces, namespace))
    except KubectlFailed as error:
        if error.reason is Reason.NOT_FOUND:
            raise KubectlFailed(
                f'namespace "{namespace}" does not exist',
                reason=Reason.NOT_FOUND,
                hint='Check its spelling; list kind "namespaces" to see which exist.',
            ) from None
    except McpKubectlError:
        pass


async def get_resource(gw: Gateway, kind: str, name: str, *, namespace: str | None = None) -> dict[str, Any]:
    """One whole object, without managedFields."""
    validation.check_name(name)
    target, notes = await gw.locate(kind, namespace, name=name)
    obj = parse_json(await gw.get_raw(gw.api_path(target, name)))
    answer: dict[str, Any] = gw.shape(obj)
    if notes:
        answer = {"object": answer, "notes": notes}
    return answer


async def get_pod_logs(
    gw: Gateway,
    name: str,
    *,
    namespace: str | None = None,
    container: str | None = None,
    tail_lines: int = DEFAULT_TAIL_LINES,
    since_seconds: int | None = None,
    previous: bool = False,
    filter_text: str | None = None,
) -> dict[str, Any]:
    """The newest log lines of one container, optionally filtered, within the byte budget."""
    from mcp_kubectl.shaping.budget import LOGS_HINT, cut_text_tail, lines_marker

    validation.check_name(name)
    if container is not None:
        validation.check_container(container)
    if not 1 <= tail_lines <= 100_000:
        raise InvalidArgument("tailLines must be between 1 and 100000", argument="tailLines")
    if since_seconds is not None and not 1 <= since_seconds <= 366 * 86400:
        raise InvalidArgument("sinceSeconds must be between 1 and 31622400", argument="sinceSeconds")
    target, _ = await gw.locate("pods", namespace, name=name, subresource="log")
    # With a filter, read further back so that `tailLines` matching lines can be found.
    fetch = tail_lines if not filter_text else min(max(tail_lines * 20, 2000), 100_000)
    query: dict[str, str] = {"tailLines": str(fetch), "limitBytes": str(gw.settings.max_output_bytes)}
    if container:
        query["container"] = container
    if since_seconds:
        query["sinceSeconds"] = str(since_seconds)
    if previous:
        query["previous"] = "true"
    try:
        body = await gw.get_raw(f"{gw.api_path(target, name, 'log')}?{urlencode(query)}")
    except KubectlFailed as error:
        if container and error.reason is Reason.BAD_REQUEST and "is not valid for pod" in error.message:
            raise await _missing_container(gw, target, name, container) from None
        raise
    lines = body.decode("utf-8", errors="replace").splitlines()
    if filter_text:
        lines = [line for line in lines if filter_text in line][-tail_lines:]
    text, omitted = cut_text_tail("\n".join(lines), gw.settings.budget_bytes)
    data: dict[str, Any] = {"pod": name, "namespace": target.namespace, "lines": len(lines) - omitted}
    if container:
        data["container"] = container
    if omitted:
        data["truncated"] = lines_marker(omitted, gw.settings.budget_bytes, newest_kept=True, hint=LOGS_HINT)
    data["text"] = text
    return data


async def _missing_container(gw: Gateway, target: Address, pod: str, container: str) -> McpKubectlError:
    """The error for a container the pod does not have, naming the ones it has."""
    spec = parse_json(await gw.get_raw(gw.api_path(target, pod))).get("spec") or {}
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
    gw: Gateway,
    *,
    namespace: str | None = None,
    kind: str | None = None,
    name: str | None = None,
    warnings_only: bool = False,
    limit: int = DEFAULT_LIMIT,
) -> dict[str, Any]:
    """Events for a namespace or one object, newest first, compact."""
    from mcp_kubectl.shaping.budget import fit_items
    from mcp_kubectl.shaping.events import compact_events

    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidArgument(f"limit must be between 1 and {MAX_LIMIT}", argument="limit")
    selectors = []
    if name is not None:
        selectors.append(f"involvedObject.name={validation.check_name(name)}")
    if kind is not None:
        # Events tell about an object: the model may read them only where it may read the
        # object (a denied type, a denied Namespace object).
        involved, _ = await gw.locate(kind, namespace, verb="get" if name else "list", name=name or "")
        selectors.append(f"involvedObject.kind={involved.resource.kind}")
        if not involved.resource.namespaced and namespace is None:
            namespace = "default"  # events about cluster-scoped objects are recorded there
    if warnings_only:
        selectors.append("type=Warning")
    target, notes = await gw.locate("events", namespace, verb="list")
    query = {"fieldSelector": ",".join(selectors)} if selectors else {}
    suffix = f"?{urlencode(query)}" if query else ""
    listing = parse_json(await gw.get_raw(f"{gw.api_path(target)}{suffix}"))
    if not listing.get("items") and target.namespace:
        await check_namespace_exists(gw, target.namespace)
    for item in listing.get("items") or []:
        item.setdefault("kind", "Event")
    events = compact_events(
        [gw.shape(item) for item in listing.get("items") or []], warnings_only=warnings_only, now=gw.now()
    )[:limit]
    budget = fit_items(events, budget_bytes=gw.settings.budget_bytes, render=compact_json)
    answer: dict[str, Any] = {"namespace": target.namespace, "count": len(budget.kept), "events": budget.kept}
    if budget.marker:
        answer["truncated"] = budget.marker
    if notes:
        answer["notes"] = notes
    return answer


async def describe_resource(gw: Gateway, kind: str, name: str, *, namespace: str | None = None) -> dict[str, Any]:
    """`kubectl describe` text for one object, cut to the byte budget."""
    from mcp_kubectl.shaping.budget import DESCRIBE_HINT, cut_text_head, lines_marker

    validation.check_name(name)
    target, notes = await gw.locate(kind, namespace, name=name)
    # kubectl describe reads more than the object: authorize each request it will make.
    planned = describe_requests(target.resource, target.namespace or "", name, gw.served_type)
    show_events = planned.authorize(gw.policy)
    flags = [f"--namespace={target.namespace}"] if target.namespace else []
    if planned.events is not None and not show_events:
        flags.append("--show-events=false")
        notes.append(f"Events left out: the policy refuses to {planned.events.describe()}.")
    # kubectl describe prints a service-account token in clear: the Secret's own values
    # (read through the checked path) are removed from whatever it prints.
    described_secret = is_secret(target.resource)
    known = None
    if described_secret and not gw.settings.show_secrets:
        known = SecretValues([parse_json(await gw.get_raw(gw.api_path(target, name)))])
    # TYPE/NAME, not TYPE NAME: given two arguments, kubectl describe falls back to every
    # object whose name starts with NAME when NAME itself is missing.
    result = await gw.run(
        KubectlCommand("describe", args=(f"{target.resource.full_name}/{name}",), flags=tuple(flags)),
        known=known,
    )
    text = gw.shape_text(result.stdout.decode("utf-8", errors="replace"), known, describes_secret=described_secret)
    text, omitted = cut_text_head(text, gw.settings.budget_bytes)
    data: dict[str, Any] = {"kind": target.resource.kind, "name": name, "text": text}
    if target.namespace:
        data["namespace"] = target.namespace
    if notes:
        data["notes"] = notes
    if omitted:
        data["truncated"] = lines_marker(omitted, gw.settings.budget_bytes, newest_kept=False, hint=DESCRIBE_HINT)
    return data


def list_contexts(gw: Gateway) -> dict[str, Any]:
    """The contexts a call may name: name, server URL and the namespace calls without one
    use there (--namespace over the kubeconfig's); never credentials."""
    gw.check_kubeconfig(None)
    current = gw.settings.context or gw.kubeconfig.current_context
    allowed = set(gw.settings.allowed_contexts) | ({current} if current else set())
    contexts = [
        {**info.to_dict(), "namespace": gw.namespace_in(info.name), "current": info.name == current}
        for info in gw.kubeconfig.contexts
        if info.name in allowed
    ]
    return {"current": current, "contexts": contexts}
