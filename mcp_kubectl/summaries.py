"""One compact, kind-aware summary per listed object, computed as kubectl's printers do.

A model listing pods needs what `kubectl get pods` shows, not 5 KB of JSON per
pod. Each summary mirrors the columns of kubectl's own table printer
(k8s.io/kubernetes pkg/printers/internalversion/printers.go), so `status` says
CrashLoopBackOff, Init:0/1 or Terminating exactly when kubectl would.

Summaries leave out empty fields to save bytes. For the smallest answers,
`summary_table` turns many summaries into `{"columns": [...], "rows": [[...]]}`
(the namespace column only when the items span several namespaces), and
`render_table` prints the same as tab-separated text, smaller than kubectl's
padded table for the same objects.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from mcp_kubectl.events import compact_event
from mcp_kubectl.objects import age, duration_between, human_duration, parse_time

Summary = dict[str, Any]

_COMMON = ("name", "namespace")

# Column order per kind: kubectl's order, then fields kubectl has no column for.
# Rarely set fields go last so `summary_table` can trim them from the end of a row.
_COLUMNS: dict[str, tuple[str, ...]] = {
    "Pod": ("ready", "status", "restarts", "age", "node", "lastRestart"),
    "Deployment": ("desired", "ready", "updated", "available", "age"),
    "StatefulSet": ("desired", "ready", "updated", "available", "age"),
    "ReplicaSet": ("desired", "current", "ready", "available", "age"),
    "DaemonSet": ("desired", "current", "ready", "updated", "available", "nodeSelector", "age"),
    "Service": ("type", "clusterIP", "externalIP", "ports", "age"),
    "Job": ("status", "completions", "duration", "age"),
    "CronJob": ("schedule", "suspend", "active", "lastSchedule", "age", "timeZone"),
    "Node": ("status", "roles", "age", "version"),
    "PersistentVolumeClaim": (
        "status",
        "volume",
        "capacity",
        "accessModes",
        "storageClass",
        "age",
    ),
    "Event": ("lastSeen", "type", "reason", "object", "message", "count"),
    "Namespace": ("status", "age"),
    "ConfigMap": ("data", "age"),
    "Secret": ("type", "data", "age"),
}
_DEFAULT_COLUMNS = ("ready", "reason", "age")

# Values a summary leaves out because they are the norm; tables print them back.
_DEFAULTS: dict[str, dict[str, Any]] = {"Pod": {"restarts": 0}}

_ACCESS_MODES = {
    "ReadWriteOnce": "RWO",
    "ReadOnlyMany": "ROX",
    "ReadWriteMany": "RWX",
    "ReadWriteOncePod": "RWOP",
}
_NODE_ROLE_PREFIX = "node-role.kubernetes.io/"
_NODE_ROLE_LABEL = "kubernetes.io/role"


def summary_columns(kind: str) -> tuple[str, ...]:
    """The summary keys for `kind`, in table order: name, namespace, then the kind's own."""
    return _COMMON + _COLUMNS.get(kind, _DEFAULT_COLUMNS)


def _conditions(status: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {c.get("type", ""): c for c in status.get("conditions") or [] if isinstance(c, dict)}


def _condition_true(status: dict[str, Any], condition_type: str) -> bool:
    return _conditions(status).get(condition_type, {}).get("status") == "True"


def _int(value: object) -> int:
    return value if isinstance(value, int) else 0


# --- Pod ---------------------------------------------------------------------------------


def _is_restartable_init(container: dict[str, Any] | None) -> bool:
    """A sidecar: an init container with restartPolicy Always (KEP-753)."""
    return container is not None and container.get("restartPolicy") == "Always"


def _finished_at(container_status: dict[str, Any]) -> datetime | None:
    terminated = (container_status.get("lastState") or {}).get("terminated") or {}
    return parse_time(terminated.get("finishedAt"))


def _later(a: datetime | None, b: datetime | None) -> datetime | None:
    if a is None:
        return b
    if b is None:
        return a
    return max(a, b)


def _pod_summary(obj: dict[str, Any], now: datetime) -> Summary:
    """printPod: READY, STATUS (the reason kubectl prints), RESTARTS, NODE."""
    spec = obj.get("spec") or {}
    status = obj.get("status") or {}
    metadata = obj.get("metadata") or {}
    init_specs = {c.get("name"): c for c in spec.get("initContainers") or []}

    restarts = 0
    sidecar_restarts = 0
    total = len(spec.get("containers") or [])
    total += sum(1 for c in init_specs.values() if _is_restartable_init(c))
    ready = 0
    last_restart: datetime | None = None
    last_sidecar_restart: datetime | None = None

    phase = status.get("phase") or ""
    reason = status.get("reason") or phase
    for condition in status.get("conditions") or []:
        if condition.get("type") == "PodScheduled" and condition.get("reason") == "SchedulingGated":
            reason = "SchedulingGated"

    initializing = False
    init_statuses = status.get("initContainerStatuses") or []
    for index, cs in enumerate(init_statuses):
        restarts += _int(cs.get("restartCount"))
        last_restart = _later(last_restart, _finished_at(cs))
        sidecar = _is_restartable_init(init_specs.get(cs.get("name")))
        if sidecar:
            sidecar_restarts += _int(cs.get("restartCount"))
            last_sidecar_restart = _later(last_sidecar_restart, _finished_at(cs))
        state = cs.get("state") or {}
        terminated = state.get("terminated")
        waiting = state.get("waiting")
        if terminated is not None and _int(terminated.get("exitCode")) == 0:
            continue
        if sidecar and cs.get("started"):
            if cs.get("ready"):
                ready += 1
            continue
        if terminated is not None:
            if terminated.get("reason"):
                reason = "Init:" + terminated["reason"]
            elif terminated.get("signal"):
                reason = f"Init:Signal:{terminated['signal']}"
            else:
                reason = f"Init:ExitCode:{_int(terminated.get('exitCode'))}"
        elif waiting is not None and waiting.get("reason") and waiting["reason"] != "PodInitializing":
            reason = "Init:" + waiting["reason"]
        else:
            reason = f"Init:{index}/{len(init_specs)}"
        initializing = True
        break

    if not initializing or _condition_true(status, "Initialized"):
        restarts = sidecar_restarts
        last_restart = last_sidecar_restart
        has_running = False
        for cs in reversed(status.get("containerStatuses") or []):
            restarts += _int(cs.get("restartCount"))
            last_restart = _later(last_restart, _finished_at(cs))
            state = cs.get("state") or {}
            waiting = state.get("waiting")
            terminated = state.get("terminated")
            if waiting is not None and waiting.get("reason"):
                reason = waiting["reason"]
            elif terminated is not None and terminated.get("reason"):
                reason = terminated["reason"]
            elif terminated is not None:
                if terminated.get("signal"):
                    reason = f"Signal:{terminated['signal']}"
                else:
                    reason = f"ExitCode:{_int(terminated.get('exitCode'))}"
            elif cs.get("ready") and state.get("running") is not None:
                has_running = True
                ready += 1
        if reason == "Completed" and has_running:
            reason = "Running" if _condition_true(status, "Ready") else "NotReady"

    if metadata.get("deletionTimestamp"):
        if status.get("reason") == "NodeLost":
            reason = "Unknown"
        elif phase not in ("Succeeded", "Failed"):
            reason = "Terminating"

    out: Summary = {
        "ready": f"{ready}/{total}",
        "status": reason,
        "restarts": restarts or None,  # 0 is the norm: left out, see _DEFAULTS
        "node": spec.get("nodeName"),
    }
    if restarts and last_restart is not None:
        out["lastRestart"] = human_duration((now - last_restart).total_seconds())
    return out


# --- Workloads ---------------------------------------------------------------------------


def _deployment_summary(obj: dict[str, Any], now: datetime) -> Summary:
    spec, status = obj.get("spec") or {}, obj.get("status") or {}
    return {
        "desired": spec.get("replicas", 1),
        "ready": _int(status.get("readyReplicas")),
        "updated": _int(status.get("updatedReplicas")),
        "available": _int(status.get("availableReplicas")),
    }


def _replicaset_summary(obj: dict[str, Any], now: datetime) -> Summary:
    spec, status = obj.get("spec") or {}, obj.get("status") or {}
    return {
        "desired": spec.get("replicas", 1),
        "current": _int(status.get("replicas")),
        "ready": _int(status.get("readyReplicas")),
        "available": _int(status.get("availableReplicas")),
    }


def _daemonset_summary(obj: dict[str, Any], now: datetime) -> Summary:
    status = obj.get("status") or {}
    template_spec = (((obj.get("spec") or {}).get("template") or {}).get("spec")) or {}
    node_selector = template_spec.get("nodeSelector") or {}
    return {
        "desired": _int(status.get("desiredNumberScheduled")),
        "current": _int(status.get("currentNumberScheduled")),
        "ready": _int(status.get("numberReady")),
        "updated": _int(status.get("updatedNumberScheduled")),
        "available": _int(status.get("numberAvailable")),
        "nodeSelector": ",".join(f"{k}={v}" for k, v in sorted(node_selector.items())),
    }


def _job_summary(obj: dict[str, Any], now: datetime) -> Summary:
    """printJob: STATUS, COMPLETIONS, DURATION."""
    spec, status = obj.get("spec") or {}, obj.get("status") or {}
    succeeded = _int(status.get("succeeded"))
    if spec.get("completions") is not None:
        completions = f"{succeeded}/{spec['completions']}"
    elif _int(spec.get("parallelism")) > 1:
        completions = f"{succeeded}/1 of {spec['parallelism']}"
    else:
        completions = f"{succeeded}/1"

    start, completion = status.get("startTime"), status.get("completionTime")
    if not start:
        duration = None
    elif not completion:
        duration = age(start, now)
    else:
        duration = duration_between(start, completion)

    if _condition_true(status, "Complete"):
        state = "Complete"
    elif _condition_true(status, "Failed"):
        state = "Failed"
    elif (obj.get("metadata") or {}).get("deletionTimestamp"):
        state = "Terminating"
    elif _condition_true(status, "Suspended"):
        state = "Suspended"
    elif _condition_true(status, "FailureTarget"):
        state = "FailureTarget"
    elif _condition_true(status, "SuccessCriteriaMet"):
        state = "SuccessCriteriaMet"
    else:
        state = "Running"
    return {"status": state, "completions": completions, "duration": duration}


def _cronjob_summary(obj: dict[str, Any], now: datetime) -> Summary:
    spec, status = obj.get("spec") or {}, obj.get("status") or {}
    last = status.get("lastScheduleTime")
    return {
        "schedule": spec.get("schedule"),
        "suspend": bool(spec.get("suspend")),
        "active": len(status.get("active") or []),
        "lastSchedule": age(last, now) if last else None,
        "timeZone": spec.get("timeZone"),
    }


# --- Networking, nodes, storage, config --------------------------------------------------


def _service_external_ip(spec: dict[str, Any], status: dict[str, Any]) -> str | None:
    """getServiceExternalIP; None where kubectl prints <none>."""
    external_ips = list(spec.get("externalIPs") or [])
    service_type = spec.get("type") or "ClusterIP"
    if service_type in ("ClusterIP", "NodePort"):
        return ",".join(external_ips) or None
    if service_type == "LoadBalancer":
        ingress = (status.get("loadBalancer") or {}).get("ingress") or []
        # kubectl prints the ingress addresses as a sorted set, then the external IPs.
        addresses = sorted({i.get("ip") or i.get("hostname") for i in ingress} - {None, ""})
        return ",".join(addresses + external_ips) or "<pending>"
    if service_type == "ExternalName":
        return spec.get("externalName")
    return None


def _service_summary(obj: dict[str, Any], now: datetime) -> Summary:
    spec, status = obj.get("spec") or {}, obj.get("status") or {}
    ports = []
    for port in spec.get("ports") or []:
        protocol = port.get("protocol") or "TCP"
        if port.get("nodePort"):
            ports.append(f"{port.get('port')}:{port['nodePort']}/{protocol}")
        else:
            ports.append(f"{port.get('port')}/{protocol}")
    cluster_ips = spec.get("clusterIPs") or [spec.get("clusterIP")]
    return {
        "type": spec.get("type") or "ClusterIP",
        "clusterIP": cluster_ips[0],
        "externalIP": _service_external_ip(spec, status),
        "ports": ",".join(ports),
    }


def _node_summary(obj: dict[str, Any], now: datetime) -> Summary:
    """printNode: Ready / NotReady / Unknown, plus SchedulingDisabled when cordoned."""
    status = obj.get("status") or {}
    ready = _conditions(status).get("Ready")
    if ready is None:
        states = ["Unknown"]
    else:
        states = ["Ready" if ready.get("status") == "True" else "NotReady"]
    if (obj.get("spec") or {}).get("unschedulable"):
        states.append("SchedulingDisabled")
    roles = set()
    for key, value in ((obj.get("metadata") or {}).get("labels") or {}).items():
        if key.startswith(_NODE_ROLE_PREFIX) and key[len(_NODE_ROLE_PREFIX) :]:
            roles.add(key[len(_NODE_ROLE_PREFIX) :])
        elif key == _NODE_ROLE_LABEL and value:
            roles.add(value)
    return {
        "status": ",".join(states),
        "roles": ",".join(sorted(roles)),
        "version": (status.get("nodeInfo") or {}).get("kubeletVersion"),
    }


def _pvc_summary(obj: dict[str, Any], now: datetime) -> Summary:
    spec, status = obj.get("spec") or {}, obj.get("status") or {}
    phase = status.get("phase")
    if (obj.get("metadata") or {}).get("deletionTimestamp"):
        phase = "Terminating"
    volume = spec.get("volumeName")
    capacity = modes = None
    if volume:
        capacity = (status.get("capacity") or {}).get("storage")
        modes = ",".join(_ACCESS_MODES.get(m, m) for m in status.get("accessModes") or [])
    return {
        "status": phase,
        "volume": volume,
        "capacity": capacity,
        "accessModes": modes,
        "storageClass": spec.get("storageClassName"),
    }


def _namespace_summary(obj: dict[str, Any], now: datetime) -> Summary:
    return {"status": (obj.get("status") or {}).get("phase")}


def _configmap_summary(obj: dict[str, Any], now: datetime) -> Summary:
    """The number of keys only: values never leave the server in a summary."""
    return {"data": len(obj.get("data") or {}) + len(obj.get("binaryData") or {})}


def _secret_summary(obj: dict[str, Any], now: datetime) -> Summary:
    """Type and key count only: a summary never carries a secret's values."""
    return {"type": obj.get("type"), "data": len(obj.get("data") or {})}


def _event_summary(obj: dict[str, Any], now: datetime) -> Summary:
    return compact_event(obj, now=now)


def _ready_condition_summary(obj: dict[str, Any], now: datetime) -> Summary:
    """Any other kind (custom resources included): its Ready condition, when it has one."""
    status = obj.get("status")
    if not isinstance(status, dict):
        return {}
    ready = _conditions(status).get("Ready")
    if ready is None:
        return {}
    out: Summary = {"ready": ready.get("status")}
    if ready.get("status") != "True":
        out["reason"] = ready.get("reason")
    return out


_SUMMARIZERS: dict[str, Callable[[dict[str, Any], datetime], Summary]] = {
    "Pod": _pod_summary,
    "Deployment": _deployment_summary,
    "StatefulSet": _deployment_summary,
    "ReplicaSet": _replicaset_summary,
    "DaemonSet": _daemonset_summary,
    "Service": _service_summary,
    "Job": _job_summary,
    "CronJob": _cronjob_summary,
    "Node": _node_summary,
    "PersistentVolumeClaim": _pvc_summary,
    "Event": _event_summary,
    "Namespace": _namespace_summary,
    "ConfigMap": _configmap_summary,
    "Secret": _secret_summary,
}


def _is_empty(value: object) -> bool:
    return value is None or value == "" or value is False or value == []


def summarize(obj: dict[str, Any], *, now: datetime, kind: str | None = None) -> Summary:
    """The compact summary of one object: name, namespace (if any), the kind's columns, age.

    Empty fields (None, "", False, []) and norms (a pod's 0 restarts) are left
    out; other counts of 0 stay, because "0 ready" is news. Unknown kinds get their Ready condition, when they have one.
    `kind` is used when the object does not say its own (items of some lists).
    """
    metadata = obj.get("metadata") or {}
    kind = obj.get("kind") or kind or ""
    out: Summary = {"name": metadata.get("name", "")}
    if metadata.get("namespace"):
        out["namespace"] = metadata["namespace"]
    out.update(_SUMMARIZERS.get(kind, _ready_condition_summary)(obj, now))
    if kind != "Event":  # an Event's lastSeen is the age that matters
        out["age"] = age(metadata.get("creationTimestamp"), now)
    ordered = {key: out[key] for key in summary_columns(kind) if key in out}
    ordered.update(out)  # keys a summarizer returns beyond the column list
    return {k: v for k, v in ordered.items() if not _is_empty(v)}


def summary_table(
    summaries: Sequence[Summary], *, kind: str, columns: Sequence[str] | None = None
) -> dict[str, Any]:
    """Many summaries as `{"columns": [...], "rows": [[...]]}`: each key said once, not per row.

    The namespace column is kept only when the rows span more than one namespace
    (otherwise `namespace` is given once at the top); norms a summary left out
    come back (restarts 0), other missing cells are null, and trailing missing
    cells are trimmed from each row.
    """
    chosen = list(columns) if columns is not None else list(summary_columns(kind))
    defaults = _DEFAULTS.get(kind, {})
    namespaces = {s.get("namespace") for s in summaries}
    table: dict[str, Any] = {}
    if len(namespaces) == 1 and "namespace" in chosen:
        chosen.remove("namespace")
        only = next(iter(namespaces))
        if only:
            table["namespace"] = only
    rows = []
    for summary in summaries:
        row = [summary.get(column, defaults.get(column)) for column in chosen]
        while row and row[-1] is None:
            row.pop()
        rows.append(row)
    table["columns"] = chosen
    table["rows"] = rows
    return table


def _cell(value: object) -> str:
    if value is None:
        return ""
    text = str(value)
    if "\t" in text or "\n" in text:
        text = " ".join(text.split())
    return text


def render_table(table: dict[str, Any]) -> str:
    """A `summary_table` as tab-separated text with a header line: the leanest form to read."""
    lines = []
    if table.get("namespace"):
        lines.append(f"namespace: {table['namespace']}")
    lines.append("\t".join(table["columns"]))
    width = len(table["columns"])
    for row in table["rows"]:
        cells = [_cell(v) for v in row] + [""] * (width - len(row))
        lines.append("\t".join(cells).rstrip("\t"))
    return "\n".join(lines) + "\n"
