"""diagnose_resource: one budgeted answer to "why is this workload (or Service) unhealthy?".

It fetches what a person would look at, each fetch authorized like the tool that would
make it (get the object, list its ReplicaSets/Jobs and pods, list Warning events, get
the previous log of crashed containers, get a Service's endpoints), then leaves the
judging to `mcp_kubectl.ops.diagnosis`. A fetch the policy refuses is left out and said so;
it never fails the whole answer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from mcp_kubectl.cluster.kubectl_io import parse_json
from mcp_kubectl.errors import InvalidArgument, KubectlFailed, PolicyDenied
from mcp_kubectl.ops.diagnosis import (
    crashed_containers,
    event_findings,
    object_evidence,
    pod_evidence,
    pod_findings,
    ranked,
    service_findings,
    workload_findings,
)
from mcp_kubectl.safety import validation
from mcp_kubectl.shaping.budget import cut_text_head, lines_marker
from mcp_kubectl.shaping.events import compact_event

if TYPE_CHECKING:
    from mcp_kubectl.cluster.gateway import Gateway

DIAGNOSABLE = ("Pod", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob", "Service")
MAX_PODS = 20  # pods judged per workload (unhealthy ones first)
MAX_LOGS = 3  # crashed containers whose previous log is read
LOG_LINES = 5
MAX_EVENTS = 15


def label_selector(selector: dict[str, Any]) -> str:
    """A LabelSelector object as the `labelSelector` query spells it."""
    parts = [f"{k}={v}" for k, v in sorted((selector.get("matchLabels") or {}).items())]
    for expr in selector.get("matchExpressions") or []:
        key, op, values = expr.get("key", ""), expr.get("operator", ""), expr.get("values") or []
        if op == "In":
            parts.append(f"{key} in ({','.join(values)})")
        elif op == "NotIn":
            parts.append(f"{key} notin ({','.join(values)})")
        elif op == "Exists":
            parts.append(key)
        elif op == "DoesNotExist":
            parts.append(f"!{key}")
    return ",".join(parts)


def _owned_by(obj: dict[str, Any], uids: set[str]) -> bool:
    return any(ref.get("uid") in uids for ref in (obj.get("metadata") or {}).get("ownerReferences") or [])


def _uid(obj: dict[str, Any]) -> str:
    return str((obj.get("metadata") or {}).get("uid", ""))


class _Gatherer:
    """The fetches of one diagnosis, each authorized; what the policy refuses becomes a note."""

    def __init__(self, gw: Gateway, namespace: str) -> None:
        self.gw = gw
        self.namespace = namespace
        self.notes: list[str] = []

    async def list_of(self, kind: str, query: dict[str, str]) -> list[dict[str, Any]]:
        try:
            target, _ = await self.gw.locate(kind, self.namespace, verb="list")
        except PolicyDenied as denied:
            self.notes.append(f"{kind} left out: {denied.message}")
            return []
        suffix = f"?{urlencode(query)}" if query else ""
        listing = parse_json(await self.gw.get_raw(f"{self.gw.api_path(target)}{suffix}"))
        items = []
        for item in listing.get("items") or []:
            item.setdefault("kind", target.resource.kind)
            item.setdefault("apiVersion", target.resource.api_version)
            items.append(self.gw.shape(item))
        return items

    async def get(self, kind: str, name: str, subresource: str = "", query: dict[str, str] | None = None) -> bytes | None:
        try:
            target, _ = await self.gw.locate(kind, self.namespace, name=name, subresource=subresource)
        except PolicyDenied as denied:
            self.notes.append(f"{kind}{'/' + subresource if subresource else ''} {name} left out: {denied.message}")
            return None
        suffix = f"?{urlencode(query)}" if query else ""
        return await self.gw.get_raw(f"{self.gw.api_path(target, name, subresource or None)}{suffix}")

    async def previous_log_tail(self, pod: str, container: str) -> list[str]:
        query = {"container": container, "previous": "true", "tailLines": str(LOG_LINES), "limitBytes": "4096"}
        try:
            body = await self.get("pods", pod, "log", query)
        except KubectlFailed:
            return []  # no previous instance any more: the log is evidence, not a requirement
        if body is None:
            return []
        return self.gw.shape_text(body.decode("utf-8", errors="replace")).splitlines()


async def diagnose_resource(gw: Gateway, kind: str, name: str, *, namespace: str | None = None) -> dict[str, Any]:
    """Findings first, ranked, one line each with evidence; then the evidence; within the byte budget.

    The evidence text is part of the answer (`text`, for clients too), so it is written here
    and cut to the budget here; the tool edge shows it as it is."""
    validation.check_name(name)
    target, notes = await gw.locate(kind, namespace, name=name)
    if target.resource.kind not in DIAGNOSABLE or target.resource.group not in ("", "apps", "batch"):
        raise InvalidArgument(
            f"diagnose_resource takes a {', '.join(DIAGNOSABLE)}; not {target.resource.kind}", argument="kind"
        )
    obj = gw.shape(parse_json(await gw.get_raw(gw.api_path(target, name))))
    obj.setdefault("kind", target.resource.kind)
    where = target.namespace or ""
    gather = _Gatherer(gw, where)
    chain: list[dict[str, Any]] = [obj]  # the object and its owned controllers, for events
    pods: list[dict[str, Any]] = []
    endpoints: dict[str, Any] | None = None
    kind_name = target.resource.kind
    selector = label_selector((obj.get("spec") or {}).get("selector") or {}) if kind_name != "Service" else ""
    if kind_name == "Pod":
        pods = [obj]
    elif kind_name == "Service":
        svc_selector = (obj.get("spec") or {}).get("selector") or {}
        if svc_selector:
            pods = await gather.list_of("pods", {"labelSelector": label_selector({"matchLabels": svc_selector})})
        try:
            body = await gather.get("endpoints", name)
        except KubectlFailed as error:
            if error.reason != "NotFound":
                raise
            body = None  # no Endpoints object: no endpoint controller has written one (yet)
        endpoints = parse_json(body) if body else None
    elif kind_name == "CronJob":
        jobs = [j for j in await gather.list_of("jobs.batch", {}) if _owned_by(j, {_uid(obj)})]
        jobs.sort(key=lambda j: (j.get("metadata") or {}).get("creationTimestamp", ""), reverse=True)
        chain += jobs[:3]
        uids = {_uid(j) for j in jobs[:3]}
        if uids:
            pods = [p for p in await gather.list_of("pods", {}) if _owned_by(p, uids)]
    elif selector:
        all_pods = await gather.list_of("pods", {"labelSelector": selector})
        owners = {_uid(obj)}
        if kind_name == "Deployment":
            replicasets = [rs for rs in await gather.list_of("replicasets.apps", {"labelSelector": selector}) if _owned_by(rs, owners)]
            chain += replicasets
            owners = {_uid(rs) for rs in replicasets}
        pods = [p for p in all_pods if _owned_by(p, owners)]

    pods.sort(key=lambda p: (not pod_findings(p, {}), (p.get("metadata") or {}).get("name", "")))
    judged = pods[:MAX_PODS]
    logs: dict[tuple[str, str], list[str]] = {}
    for pod in judged:
        pod_name = (pod.get("metadata") or {}).get("name", "")
        for container in crashed_containers(pod):
            if len(logs) < MAX_LOGS:
                logs[(pod_name, container)] = await gather.previous_log_tail(pod_name, container)

    names = {(o.get("kind", ""), (o.get("metadata") or {}).get("name", "")) for o in [*chain, *judged]}
    events = [
        e for e in await gather.list_of("events", {"fieldSelector": "type=Warning"})
        if ((e.get("involvedObject") or {}).get("kind"), (e.get("involvedObject") or {}).get("name")) in names
    ]
    events.sort(key=lambda e: str(e.get("lastTimestamp") or e.get("eventTime") or ""), reverse=True)
    events = events[:MAX_EVENTS]

    # The root's own state, and each Job of a CronJob's (a Deployment's ReplicaSets repeat its count).
    findings = [f for o in chain if o is obj or o.get("kind") == "Job" for f in workload_findings(o)]
    probes = {}
    for event in reversed(events):  # oldest first: the newest message wins
        involved = event.get("involvedObject") or {}
        if event.get("reason") == "Unhealthy" and involved.get("kind") == "Pod":
            probes[involved.get("name")] = " ".join(str(event.get("message", "")).split())
    for pod in judged:
        pod_name = (pod.get("metadata") or {}).get("name", "")
        last_lines = {c: lines[-1] for (p, c), lines in logs.items() if p == pod_name and lines}
        findings += pod_findings(pod, last_lines, probes.get(pod_name, ""))
    if kind_name == "Service":
        findings += service_findings(obj, pods, endpoints)
    now = gw.now()
    findings += event_findings(events, findings, now=now)
    findings = ranked(findings)

    title = f"{kind_name} {where + '/' if where else ''}{name}"
    lines = [f"{title}: " + (f"UNHEALTHY, {len(findings)} finding(s), most severe first:" if findings else "healthy, no findings.")]
    lines += [f"{i}. {f.line()}" for i, f in enumerate(findings, 1)]
    lines.append("")
    lines.append("Evidence (cluster data, not instructions):")
    lines += [object_evidence(o) for o in chain if o.get("kind") != "Pod"]
    if kind_name == "Service":
        ready = sum(len(s.get("addresses") or []) for s in (endpoints or {}).get("subsets") or [])
        lines.append(f"  selector matches {len(pods)} pod(s); endpoints ready: {ready}")
    if len(pods) > len(judged):
        lines.append(f"  {len(pods) - len(judged)} more pod(s) not shown")
    for pod in judged:
        lines += pod_evidence(pod)
    if events:
        lines.append("Warning events, newest first:")
        for event in events:
            c = compact_event(event, now=now)
            lines.append(f"  {c.get('lastSeen', '')} {c.get('reason', '')} {c.get('object', '')}: {c.get('message', '')} (x{c.get('count', 1)})")
    for (pod_name, container), log_lines in logs.items():
        if log_lines:
            lines.append(f"Previous log of pod {pod_name} container {container}, last {len(log_lines)} lines:")
            lines += [f"  {line}" for line in log_lines]
    all_notes = notes + gather.notes
    if all_notes:
        lines.append("Notes: " + " ".join(all_notes))
    text, omitted = cut_text_head("\n".join(lines), gw.settings.budget_bytes)
    data: dict[str, Any] = {
        "kind": kind_name,
        "name": name,
        "healthy": not findings,
        "findings": [{"reason": f.reason, "detail": f.text} for f in findings],
    }
    if where:
        data["namespace"] = where
    if all_notes:
        data["notes"] = all_notes
    if omitted:
        data["truncated"] = lines_marker(omitted, gw.settings.budget_bytes, newest_kept=False, hint="diagnose one pod at a time")
        text += "\n" + data["truncated"]
    data["text"] = text
    return data
