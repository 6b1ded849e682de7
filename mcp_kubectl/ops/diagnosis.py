"""Why a workload is or is not healthy: findings from objects already fetched, ranked, one line each.

Pure functions over shaped (redacted) objects: `mcp_kubectl.ops.diagnose` fetches, this
module judges and renders. A finding names its evidence in the line itself, so a model
can act on the first lines without reading the rest.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from mcp_kubectl.shaping.events import compact_event

Obj = dict[str, Any]

# Lower ranks first: what stops a container from running at all, then scheduling, then
# traffic, then readiness, then rollout state, then anything else the events say.
_WAITING_RANK = {
    "CrashLoopBackOff": 0,
    "CreateContainerConfigError": 0,
    "CreateContainerError": 0,
    "RunContainerError": 0,
    "ImagePullBackOff": 1,
    "ErrImagePull": 1,
    "InvalidImageName": 1,
}


@dataclass(frozen=True)
class Finding:
    """One reason a workload is unhealthy: `reason: evidence` in one line."""

    rank: int
    reason: str
    text: str

    def line(self) -> str:
        return f"{self.reason}: {self.text}"


def _time(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def crashed_containers(pod: Obj) -> list[str]:
    """Containers whose previous instance terminated (their previous log says why)."""
    return [
        s.get("name", "")
        for s in (pod.get("status") or {}).get("containerStatuses") or []
        if ((s.get("lastState") or {}).get("terminated")) and s.get("name")
    ]


def pod_findings(pod: Obj, last_log_lines: dict[str, str], probe_failure: str = "") -> list[Finding]:
    """A pod's own problems: containers waiting or crashing, unschedulable, not ready.

    `last_log_lines`: container -> last line of its previous instance; `probe_failure`: the
    newest `Unhealthy` event message about this pod."""
    name = (pod.get("metadata") or {}).get("name", "")
    status = pod.get("status") or {}
    findings: list[Finding] = []
    for condition in status.get("conditions") or []:
        if condition.get("type") == "PodScheduled" and condition.get("status") == "False":
            findings.append(Finding(2, condition.get("reason") or "Unschedulable", f"pod {name}: {condition.get('message', '')}".rstrip(": ")))
    for cs in [*(status.get("initContainerStatuses") or []), *(status.get("containerStatuses") or [])]:
        container = cs.get("name", "")
        waiting = (cs.get("state") or {}).get("waiting") or {}
        last = (cs.get("lastState") or {}).get("terminated") or {}
        restarts = cs.get("restartCount") or 0
        reason = waiting.get("reason") or ""
        if reason == "CrashLoopBackOff" or (last and restarts):
            text = f"pod {name} container {container} exited {last.get('exitCode', '?')}"
            if last.get("reason") and last.get("reason") != "Error":
                text += f" ({last['reason']})"
            started, finished = _time(last.get("startedAt")), _time(last.get("finishedAt"))
            if started and finished:
                text += f" after {int((finished - started).total_seconds())}s"
            text += f", {restarts} restarts"
            if container in last_log_lines:
                text += f'; last log line: "{last_log_lines[container]}"'
            findings.append(Finding(0, reason or last.get("reason") or "Restarting", text))
        elif reason and reason != "ContainerCreating" and reason != "PodInitializing":
            message = waiting.get("message") or ""
            findings.append(Finding(_WAITING_RANK.get(reason, 1), reason, f"pod {name} container {container}: {message}".rstrip(": ")))
        elif (cs.get("state") or {}).get("running") and not cs.get("ready"):
            probe = "readiness probe failing" if _has_probe(pod, container) else "not ready"
            detail = f'; last: "{probe_failure}"' if probe_failure else ""
            findings.append(Finding(4, "NotReady", f"pod {name} container {container} running but {probe}{detail}"))
    return findings


def _has_probe(pod: Obj, container: str) -> bool:
    for c in (pod.get("spec") or {}).get("containers") or []:
        if c.get("name") == container:
            return bool(c.get("readinessProbe"))
    return False


def workload_findings(obj: Obj) -> list[Finding]:
    """A controller's own state: replicas short of desired, a stalled rollout, a failed Job, a suspended CronJob."""
    kind = obj.get("kind", "")
    name = (obj.get("metadata") or {}).get("name", "")
    spec, status = obj.get("spec") or {}, obj.get("status") or {}
    findings: list[Finding] = []
    for condition in status.get("conditions") or []:
        if condition.get("reason") == "ProgressDeadlineExceeded":
            findings.append(Finding(5, "ProgressDeadlineExceeded", f"{kind} {name}: {condition.get('message', '')}"))
        if kind == "Job" and condition.get("type") == "Failed" and condition.get("status") == "True":
            findings.append(Finding(0, "JobFailed", f"Job {name}: {condition.get('reason', '')} {condition.get('message', '')}".strip()))
    if kind in ("Deployment", "StatefulSet", "ReplicaSet"):
        desired = spec.get("replicas", 1)
        ready = status.get("readyReplicas") or 0
        if ready < desired:
            findings.append(Finding(6, "ReplicasUnavailable", f"{kind} {name}: {ready}/{desired} replicas ready"))
    elif kind == "DaemonSet":
        desired, ready = status.get("desiredNumberScheduled") or 0, status.get("numberReady") or 0
        if ready < desired:
            findings.append(Finding(6, "ReplicasUnavailable", f"DaemonSet {name}: {ready}/{desired} pods ready"))
    elif kind == "CronJob" and spec.get("suspend"):
        findings.append(Finding(6, "Suspended", f"CronJob {name} is suspended"))
    return findings


def service_findings(service: Obj, matching_pods: list[Obj], endpoints: Obj | None) -> list[Finding]:
    """A Service with no selector matches, or with matches but no ready endpoint."""
    name = (service.get("metadata") or {}).get("name", "")
    selector = (service.get("spec") or {}).get("selector") or {}
    if not selector:
        return []
    spelled = ",".join(f"{k}={v}" for k, v in sorted(selector.items()))
    if not matching_pods:
        return [Finding(3, "NoEndpoints", f"Service {name} selector {spelled} matches no pod")]
    ready = sum(len(s.get("addresses") or []) for s in (endpoints or {}).get("subsets") or [])
    if ready == 0:
        return [Finding(3, "NoEndpoints", f"Service {name} selector {spelled} matches {len(matching_pods)} pod(s), none ready")]
    return []


def event_findings(events: list[Obj], already: list[Finding], *, now: datetime) -> list[Finding]:
    """Warning events that no other finding explains (the rest stay as evidence)."""
    explained = {f.reason for f in already}
    if explained & {"CrashLoopBackOff", "Restarting"}:
        explained.add("BackOff")
    if explained & set(_WAITING_RANK):
        explained |= {"Failed", "BackOff"}
    if explained & {"Unschedulable"}:
        explained.add("FailedScheduling")
    findings: list[Finding] = []
    seen: set[str] = set()
    for event in events:
        compact = compact_event(event, now=now)
        reason = compact.get("reason", "")
        if reason == "Unhealthy" and any(f.reason == "NotReady" for f in already):
            continue
        if reason in explained or reason in seen:
            continue
        seen.add(reason)
        findings.append(Finding(7, reason or "Warning", f"{compact.get('object', '')}: {compact.get('message', '')} (x{compact.get('count', 1)})"))
    return findings


def ranked(findings: list[Finding]) -> list[Finding]:
    """Most severe first; duplicates (same line) once."""
    unique = list({f.line(): f for f in findings}.values())
    return sorted(unique, key=lambda f: f.rank)


def _conditions(obj: Obj) -> str:
    parts = []
    for c in (obj.get("status") or {}).get("conditions") or []:
        part = f"{c.get('type')}={c.get('status')}"
        if c.get("reason"):
            part += f" ({c['reason']})"
        parts.append(part)
    return ", ".join(parts)


def object_evidence(obj: Obj) -> str:
    """One or two lines on a controller's or Service's state."""
    kind = obj.get("kind", "")
    name = (obj.get("metadata") or {}).get("name", "")
    spec, status = obj.get("spec") or {}, obj.get("status") or {}
    if kind in ("Deployment", "StatefulSet", "ReplicaSet"):
        line = (f"{kind} {name}: {spec.get('replicas', 1)} desired, {status.get('readyReplicas') or 0} ready, "
                f"{status.get('availableReplicas') or 0} available, {status.get('updatedReplicas', status.get('replicas') or 0)} updated")
    elif kind == "DaemonSet":
        line = f"DaemonSet {name}: {status.get('desiredNumberScheduled') or 0} desired, {status.get('numberReady') or 0} ready"
    elif kind == "Job":
        line = f"Job {name}: {status.get('active') or 0} active, {status.get('succeeded') or 0} succeeded, {status.get('failed') or 0} failed"
    elif kind == "CronJob":
        line = f"CronJob {name}: schedule {spec.get('schedule')!r}, last scheduled {status.get('lastScheduleTime', 'never')}"
    elif kind == "Service":
        selector = ",".join(f"{k}={v}" for k, v in sorted((spec.get("selector") or {}).items()))
        line = f"Service {name}: type {spec.get('type', 'ClusterIP')}, selector {selector or '(none)'}"
    else:
        line = f"{kind} {name}"
    conditions = _conditions(obj)
    return line + (f"; conditions: {conditions}" if conditions else "")


def pod_evidence(pod: Obj) -> list[str]:
    """A pod's phase and node, then one line per container with its state, last termination, restarts."""
    meta, spec, status = pod.get("metadata") or {}, pod.get("spec") or {}, pod.get("status") or {}
    lines = [f"Pod {meta.get('name', '')}: {status.get('phase', '?')}, node {spec.get('nodeName') or '(none)'}"
             + (f"; conditions: {_conditions(pod)}" if _conditions(pod) else "")]
    for cs in [*(status.get("initContainerStatuses") or []), *(status.get("containerStatuses") or [])]:
        state = cs.get("state") or {}
        (what, detail), = list(state.items())[:1] or [("unknown", {})]
        text = f"  container {cs.get('name')}: {what}"
        if isinstance(detail, dict) and detail.get("reason"):
            text += f" {detail['reason']}"
        last = (cs.get("lastState") or {}).get("terminated")
        if last:
            text += f"; last terminated {last.get('reason', '')} exit {last.get('exitCode', '?')} at {last.get('finishedAt', '?')}"
        text += f"; ready {str(bool(cs.get('ready'))).lower()}; restarts {cs.get('restartCount') or 0}"
        lines.append(text)
    return lines
