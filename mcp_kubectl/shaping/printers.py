"""kubectl's table printers, ported once for the whole package.

Every `kubectl get` table is computed by the API server (a meta.k8s.io/v1 Table) with the
printers in k8s.io/kubernetes pkg/printers/internalversion/printers.go; this module ports
them from v1.37.2 for the built-in kinds a model meets most. Both the model-facing summaries
(`summaries.py`) and the emulator's server-side tables (`emulator/tables.py`) read the cells
from here, so a pod's STATUS is `Init:CrashLoopBackOff`, `Completed` or `Terminating` in both
exactly when a real cluster says so.

A printer returns every column, as the API server does (it prints "wide"); columns with
priority 1 are the ones kubectl shows only with `-o wide`. Cells are what the server sends:
strings, integers and booleans, with kubectl's placeholders (`<none>`, `<unset>`,
`<pending>`). `tests/integration/test_printers.py` checks each printer against cells recorded from the
real Go printers (`fixtures/printers/`).
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from mcp_kubectl.shaping.objects import age, human_duration, parse_time

Obj = dict[str, Any]
Cell = str | int | bool | None

NONE = "<none>"
UNSET = "<unset>"


@dataclass(frozen=True)
class Column:
    """One column of a printer: kubectl's header, the key a summary uses for it, its cell type and width class.

    What a column says about itself in a served Table (its description) is the emulator's recorded
    data (emulator/table_columns.json): nothing the server shows ever reads it."""

    name: str
    key: str
    type: str = "string"
    priority: int = 0  # 1: shown by kubectl only with -o wide

    @property
    def format(self) -> str:
        return "name" if self.key == "name" else ""


@dataclass(frozen=True)
class Printer:
    """The columns of one kind and the function that computes an object's cells, one per column."""

    kind: str
    columns: tuple[Column, ...]
    cells: Callable[[Obj, datetime], list[Cell]]


def summary_key(header: str) -> str:
    """A summary's key for a kubectl header: its words in lowerCamelCase, so that keys read like the
    fields a model knows (`Up-to-date` -> upToDate, `IP` -> ip, `OS-Image` -> osImage, `Port(s)` -> ports)."""
    first, *rest = re.split(r"[ -]", header.replace("(s)", "s"))
    first = first.lower() if first.isupper() else first[0].lower() + first[1:]
    return first + "".join(word[0].upper() + word[1:] for word in rest)


def _col(header: str, type_: str = "string", *, wide: bool = False) -> Column:
    return Column(name=header, key=summary_key(header), type=type_, priority=1 if wide else 0)


def _wide(header: str) -> Column:
    return _col(header, wide=True)


def _ints(*headers: str) -> tuple[Column, ...]:
    return tuple(_col(header, "integer") for header in headers)


# --- shared helpers (translateTimestampSince, FormatLabels, FormatLabelSelector, ...) -------------------------


def _metadata(obj: Obj) -> Obj:
    return obj.get("metadata") or {}


def _name(obj: Obj) -> str:
    return str(_metadata(obj).get("name") or "")


def _age(obj: Obj, now: datetime) -> str:
    return age(_metadata(obj).get("creationTimestamp"), now)


def _int(value: object) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _spec(obj: Obj) -> Obj:
    return obj.get("spec") or {}


def _status(obj: Obj) -> Obj:
    return obj.get("status") or {}


def format_labels(labels: dict[str, Any] | None) -> str:
    """labels.FormatLabels: sorted `k=v` pairs, `<none>` when there are none."""
    if not labels:
        return NONE
    return ",".join(f"{k}={v}" for k, v in sorted(labels.items()))


def selector_string(selector: Obj | None) -> str:
    """metav1.LabelSelectorAsSelector(...).String(): requirements sorted by key, values sorted."""
    if not selector:
        return ""
    requirements: list[tuple[str, str]] = [(k, f"{k}={v}") for k, v in (selector.get("matchLabels") or {}).items()]
    for expression in selector.get("matchExpressions") or []:
        key = str(expression.get("key", ""))
        operator = expression.get("operator")
        values = ",".join(sorted(str(v) for v in expression.get("values") or []))
        text = {
            "In": f"{key} in ({values})",
            "NotIn": f"{key} notin ({values})",
            "Exists": key,
            "DoesNotExist": f"!{key}",
        }.get(str(operator))
        if text is None:
            return "<invalid>"
        requirements.append((key, text))
    return ",".join(text for _, text in sorted(requirements, key=lambda r: r[0]))


def format_label_selector(selector: Obj | None) -> str:
    """metav1.FormatLabelSelector: the selector's string, `<none>` when it selects by nothing."""
    text = selector_string(selector)
    return "<error>" if text == "<invalid>" else text or NONE


def _template_spec(obj: Obj) -> Obj:
    return ((_spec(obj).get("template") or {}).get("spec")) or {}


def _workload_cells(obj: Obj, now: datetime, pod_spec: Obj, own: list[Cell], selector: str | None = None) -> list[Cell]:
    """A workload's row: NAME, the kind's own cells, AGE, then layoutContainerCells' CONTAINERS and IMAGES
    (names and images, comma-separated, in spec order) and SELECTOR (every workload but a StatefulSet)."""
    containers = pod_spec.get("containers") or []
    names, images = ",".join(str(c.get("name", "")) for c in containers), ",".join(str(c.get("image", "")) for c in containers)
    return [_name(obj), *own, _age(obj, now), names, images, *([] if selector is None else [selector])]


def _condition_true(conditions: Iterable[Obj] | None, condition_type: str) -> bool:
    """The first condition of the type decides (hasJobCondition, isPodInitializedConditionTrue)."""
    for condition in conditions or []:
        if condition.get("type") == condition_type:
            return condition.get("status") == "True"
    return False


def _since(value: object, now: datetime) -> str:
    return age(value if isinstance(value, str) else None, now)


# --- Pod ------------------------------------------------------------------------------------------------------

NODE_UNREACHABLE_POD_REASON = "NodeLost"


def _is_restartable_init(container: Obj | None) -> bool:
    """A sidecar: an init container with restartPolicy Always (KEP-753)."""
    return container is not None and container.get("restartPolicy") == "Always"


def _last_termination(container_status: Obj) -> datetime | None:
    terminated = (container_status.get("lastState") or {}).get("terminated")
    return parse_time(terminated.get("finishedAt")) if isinstance(terminated, dict) else None


def _later(a: datetime | None, b: datetime | None) -> datetime | None:
    return b if a is None else a if b is None else max(a, b)


def _terminated_reason(terminated: Obj, prefix: str = "") -> str:
    if terminated.get("reason"):
        return prefix + str(terminated["reason"])
    if _int(terminated.get("signal")):
        return f"{prefix}Signal:{terminated['signal']}"
    return f"{prefix}ExitCode:{_int(terminated.get('exitCode'))}"


@dataclass(frozen=True)
class PodState:
    """printPod's aggregate: READY as ready/total, STATUS as kubectl's reason, RESTARTS and when."""

    ready: int
    total: int
    reason: str
    restarts: int
    last_restart: datetime | None


def pod_state(pod: Obj) -> PodState:
    """The aggregate status kubectl prints for a pod (printPod, v1.37)."""
    spec, status = _spec(pod), _status(pod)
    conditions = status.get("conditions") or []
    init_specs = {c.get("name"): c for c in spec.get("initContainers") or []}
    total = len(spec.get("containers") or []) + sum(1 for c in init_specs.values() if _is_restartable_init(c))
    phase = str(status.get("phase") or "")
    reason = str(status.get("reason") or phase)
    if any(c.get("type") == "PodScheduled" and c.get("reason") == "SchedulingGated" for c in conditions):
        reason = "SchedulingGated"

    ready = restarts = sidecar_restarts = 0
    last_restart: datetime | None = None
    last_sidecar_restart: datetime | None = None
    initializing = False
    for index, cs in enumerate(status.get("initContainerStatuses") or []):
        restarts += _int(cs.get("restartCount"))
        last_restart = _later(last_restart, _last_termination(cs))
        sidecar = _is_restartable_init(init_specs.get(cs.get("name")))
        if sidecar:
            sidecar_restarts += _int(cs.get("restartCount"))
            last_sidecar_restart = _later(last_sidecar_restart, _last_termination(cs))
        state = cs.get("state") or {}
        terminated, waiting = state.get("terminated"), state.get("waiting")
        if terminated is not None and _int(terminated.get("exitCode")) == 0:
            continue
        if sidecar and cs.get("started"):
            ready += 1 if cs.get("ready") else 0
            continue
        if terminated is not None:
            reason = _terminated_reason(terminated, "Init:")
        elif waiting is not None and waiting.get("reason") and waiting["reason"] != "PodInitializing":
            reason = "Init:" + str(waiting["reason"])
        else:
            reason = f"Init:{index}/{len(init_specs)}"
        initializing = True
        break

    if not initializing or _condition_true(conditions, "Initialized"):
        restarts, last_restart = sidecar_restarts, last_sidecar_restart
        has_running = False
        error_reason = ""
        for cs in reversed(status.get("containerStatuses") or []):
            restarts += _int(cs.get("restartCount"))
            last_restart = _later(last_restart, _last_termination(cs))
            state = cs.get("state") or {}
            terminated, waiting = state.get("terminated"), state.get("waiting")
            if waiting is not None and waiting.get("reason"):
                reason = str(waiting["reason"])
            elif terminated is not None:
                reason = _terminated_reason(terminated)
                if _int(terminated.get("exitCode")) != 0:
                    error_reason = reason
            elif cs.get("ready") and state.get("running") is not None:
                has_running = True
                ready += 1
        if reason == "Completed":
            if has_running and _condition_true(conditions, "Ready"):
                reason = "Running"
            elif error_reason:
                reason = error_reason
            elif has_running:
                reason = "NotReady"

    if _metadata(pod).get("deletionTimestamp"):
        if status.get("reason") == NODE_UNREACHABLE_POD_REASON:
            reason = "Unknown"
        elif phase not in ("Succeeded", "Failed"):
            reason = "Terminating"
    return PodState(ready=ready, total=total, reason=reason, restarts=restarts, last_restart=last_restart)


def _pod_cells(pod: Obj, now: datetime) -> list[Cell]:
    spec, status = _spec(pod), _status(pod)
    state = pod_state(pod)
    restarts = str(state.restarts)
    if state.restarts and state.last_restart is not None:
        restarts = f"{state.restarts} ({human_duration((now - state.last_restart).total_seconds())} ago)"
    pod_ips = status.get("podIPs") or ([{"ip": status["podIP"]}] if status.get("podIP") else [])
    gates = spec.get("readinessGates") or []
    gates_cell = NONE
    if gates:
        first_status: dict[str, Any] = {}
        for condition in status.get("conditions") or []:
            first_status.setdefault(condition.get("type"), condition.get("status"))
        met = sum(1 for gate in gates if first_status.get(gate.get("conditionType")) == "True")
        gates_cell = f"{met}/{len(gates)}"
    return [
        _name(pod),
        f"{state.ready}/{state.total}",
        state.reason,
        restarts,
        _age(pod, now),
        (pod_ips[0].get("ip") if pod_ips else None) or NONE,
        spec.get("nodeName") or NONE,
        status.get("nominatedNodeName") or NONE,
        gates_cell,
    ]


# --- Workloads ------------------------------------------------------------------------------------------------


def _replicas(spec: Obj) -> int:
    return _int(spec.get("replicas", 1))


def _deployment_cells(obj: Obj, now: datetime) -> list[Cell]:
    spec, status = _spec(obj), _status(obj)
    own: list[Cell] = [
        f"{_int(status.get('readyReplicas'))}/{_replicas(spec)}",
        _int(status.get("updatedReplicas")),
        _int(status.get("availableReplicas")),
    ]
    return _workload_cells(obj, now, _template_spec(obj), own, selector_string(spec.get("selector")))


def _replicaset_cells(obj: Obj, now: datetime) -> list[Cell]:
    spec, status = _spec(obj), _status(obj)
    own: list[Cell] = [_replicas(spec), _int(status.get("replicas")), _int(status.get("readyReplicas"))]
    return _workload_cells(obj, now, _template_spec(obj), own, format_label_selector(spec.get("selector")))


def _statefulset_cells(obj: Obj, now: datetime) -> list[Cell]:
    ready = f"{_int(_status(obj).get('readyReplicas'))}/{_replicas(_spec(obj))}"
    return _workload_cells(obj, now, _template_spec(obj), [ready])


def _daemonset_cells(obj: Obj, now: datetime) -> list[Cell]:
    spec, status = _spec(obj), _status(obj)
    template = _template_spec(obj)
    own: list[Cell] = [
        _int(status.get("desiredNumberScheduled")),
        _int(status.get("currentNumberScheduled")),
        _int(status.get("numberReady")),
        _int(status.get("updatedNumberScheduled")),
        _int(status.get("numberAvailable")),
        format_labels(template.get("nodeSelector")),
    ]
    return _workload_cells(obj, now, template, own, format_label_selector(spec.get("selector")))


def job_status(job: Obj) -> str:
    """printJob's STATUS: the first of Complete, Failed, Terminating, Suspended, ... that holds."""
    conditions = _status(job).get("conditions") or []
    for condition_type in ("Complete", "Failed"):
        if _condition_true(conditions, condition_type):
            return condition_type
    if _metadata(job).get("deletionTimestamp"):
        return "Terminating"
    for condition_type in ("Suspended", "FailureTarget", "SuccessCriteriaMet"):
        if _condition_true(conditions, condition_type):
            return condition_type
    return "Running"


def _job_cells(obj: Obj, now: datetime) -> list[Cell]:
    spec, status = _spec(obj), _status(obj)
    succeeded = _int(status.get("succeeded"))
    if spec.get("completions") is not None:
        completions = f"{succeeded}/{_int(spec['completions'])}"
    elif _int(spec.get("parallelism")) > 1:
        completions = f"{succeeded}/1 of {_int(spec['parallelism'])}"
    else:
        completions = f"{succeeded}/1"
    start, end = parse_time(status.get("startTime")), parse_time(status.get("completionTime"))
    duration = "" if start is None else human_duration(((end or now) - start).total_seconds())
    own: list[Cell] = [job_status(obj), completions, duration]
    return _workload_cells(obj, now, _template_spec(obj), own, format_label_selector(spec.get("selector")))


def _print_bool_ptr(value: object) -> str:
    """printBoolPtr: True / False, `<unset>` when the field is absent."""
    return UNSET if value is None else "True" if value else "False"


def _cronjob_cells(obj: Obj, now: datetime) -> list[Cell]:
    spec, status = _spec(obj), _status(obj)
    job_spec = (spec.get("jobTemplate") or {}).get("spec") or {}
    last = status.get("lastScheduleTime")
    own: list[Cell] = [
        str(spec.get("schedule", "")),
        spec.get("timeZone") or NONE,
        _print_bool_ptr(spec.get("suspend")),
        len(status.get("active") or []),
        _since(last, now) if last else NONE,
    ]
    pod_spec = (job_spec.get("template") or {}).get("spec") or {}
    return _workload_cells(obj, now, pod_spec, own, format_label_selector(job_spec.get("selector")))


# --- Networking -----------------------------------------------------------------------------------------------


def _load_balancer_addresses(status: Obj) -> list[str]:
    """loadBalancerStatusStringer (wide, as the server prints): a sorted set of IPs, else hostnames."""
    found = set()
    for ingress in (status.get("loadBalancer") or {}).get("ingress") or []:
        address = ingress.get("ip") or ingress.get("hostname")
        if address:
            found.add(str(address))
    return sorted(found)


def _service_external_ip(obj: Obj) -> str:
    """getServiceExternalIP."""
    spec = _spec(obj)
    external = [str(ip) for ip in spec.get("externalIPs") or []]
    service_type = spec.get("type")
    if service_type in ("ClusterIP", "NodePort"):
        return ",".join(external) or NONE
    if service_type == "LoadBalancer":
        addresses = _load_balancer_addresses(_status(obj))
        return ",".join(addresses + external) or "<pending>"
    if service_type == "ExternalName":
        return str(spec.get("externalName") or "")
    return "<unknown>"


def _service_cells(obj: Obj, now: datetime) -> list[Cell]:
    spec = _spec(obj)
    ports = []
    for port in spec.get("ports") or []:
        protocol = port.get("protocol") or "TCP"
        if _int(port.get("nodePort")) > 0:
            ports.append(f"{_int(port.get('port'))}:{port['nodePort']}/{protocol}")
        else:
            ports.append(f"{_int(port.get('port'))}/{protocol}")
    cluster_ips = spec.get("clusterIPs") or ([spec["clusterIP"]] if spec.get("clusterIP") else [])
    return [
        _name(obj),
        str(spec.get("type") or ""),
        cluster_ips[0] if cluster_ips else NONE,
        _service_external_ip(obj),
        ",".join(ports) or NONE,
        _age(obj, now),
        format_labels(spec.get("selector")),
    ]


def _ingress_cells(obj: Obj, now: datetime) -> list[Cell]:
    spec = _spec(obj)
    rules = spec.get("rules") or []
    hosts: list[str] = []
    more = False
    for rule in rules:  # formatHosts: the first three hosts, then how many rules more
        if len(hosts) == 3:
            more = True
        if not more and rule.get("host"):
            hosts.append(str(rule["host"]))
    hosts_cell = ",".join(hosts) or "*"
    if hosts and more:
        hosts_cell = f"{hosts_cell} + {len(rules) - 3} more..."
    return [
        _name(obj),
        spec.get("ingressClassName") or NONE,
        hosts_cell,
        ",".join(_load_balancer_addresses(_status(obj))),
        "80, 443" if spec.get("tls") else "80",
        _age(obj, now),
    ]


def _host_port(ip: str, port: int) -> str:
    """net.JoinHostPort: IPv6 addresses in brackets."""
    try:
        bracket = isinstance(ipaddress.ip_address(ip), ipaddress.IPv6Address)
    except ValueError:
        bracket = ":" in ip
    return f"[{ip}]:{port}" if bracket else f"{ip}:{port}"


def _endpoints_cells(obj: Obj, now: datetime) -> list[Cell]:
    """formatEndpoints: the first three addresses (with ports), then how many more."""
    subsets = obj.get("subsets") or []
    if not subsets:
        return [_name(obj), NONE, _age(obj, now)]
    listed: list[str] = []
    count = 0
    for subset in subsets:
        addresses = [str(a.get("ip", "")) for a in subset.get("addresses") or []]
        ports = subset.get("ports") or []
        if not ports:
            count += len(addresses)
            listed.extend(addresses[: max(0, 3 - len(listed))])
            continue
        for port in ports:
            count += len(addresses)
            for ip in addresses:
                if len(listed) == 3:
                    break
                listed.append(_host_port(ip, _int(port.get("port"))))
    text = ",".join(listed)
    if count > 3:
        text = f"{text} + {count - 3} more..."
    return [_name(obj), text, _age(obj, now)]


# --- Cluster, storage, config, RBAC, events --------------------------------------------------------------------

_NODE_ROLE_PREFIX = "node-role.kubernetes.io/"
_NODE_ROLE_LABEL = "kubernetes.io/role"


def node_roles(node: Obj) -> list[str]:
    """findNodeRoles: node-role.kubernetes.io/<role> labels and the kubernetes.io/role label, sorted."""
    roles = set()
    for key, value in (_metadata(node).get("labels") or {}).items():
        if key.startswith(_NODE_ROLE_PREFIX) and key[len(_NODE_ROLE_PREFIX) :]:
            roles.add(key[len(_NODE_ROLE_PREFIX) :])
        elif key == _NODE_ROLE_LABEL and value:
            roles.add(str(value))
    return sorted(roles)


def _node_address(node: Obj, address_type: str) -> str:
    for address in _status(node).get("addresses") or []:
        if address.get("type") == address_type:
            return str(address.get("address", ""))
    return NONE


def _node_cells(obj: Obj, now: datetime) -> list[Cell]:
    status = _status(obj)
    ready = None
    for condition in status.get("conditions") or []:
        if condition.get("type") == "Ready":
            ready = condition  # the last one wins, as in printNode's condition map
    states = ["Unknown"] if ready is None else ["Ready" if ready.get("status") == "True" else "NotReady"]
    if _spec(obj).get("unschedulable"):
        states.append("SchedulingDisabled")
    info = status.get("nodeInfo") or {}
    return [
        _name(obj),
        ",".join(states),
        ",".join(node_roles(obj)) or NONE,
        _age(obj, now),
        str(info.get("kubeletVersion") or ""),
        _node_address(obj, "InternalIP"),
        _node_address(obj, "ExternalIP"),
        info.get("osImage") or "<unknown>",
        (info.get("kernelVersion") or "<unknown>") + (f" ({info['architecture']})" if info.get("architecture") else ""),
        info.get("containerRuntimeVersion") or "<unknown>",
    ]


_ACCESS_MODES = (("ReadWriteOnce", "RWO"), ("ReadOnlyMany", "ROX"), ("ReadWriteMany", "RWX"), ("ReadWriteOncePod", "RWOP"))
_BETA_STORAGE_CLASS = "volume.beta.kubernetes.io/storage-class"


def _pvc_cells(obj: Obj, now: datetime) -> list[Cell]:
    spec, status = _spec(obj), _status(obj)
    phase = "Terminating" if _metadata(obj).get("deletionTimestamp") else str(status.get("phase") or "")
    capacity = access = ""
    if spec.get("volumeName"):
        modes = set(status.get("accessModes") or [])
        access = ",".join(short for mode, short in _ACCESS_MODES if mode in modes)
        capacity = str((status.get("capacity") or {}).get("storage") or "0")
    annotations = _metadata(obj).get("annotations") or {}
    storage_class = annotations.get(_BETA_STORAGE_CLASS, spec.get("storageClassName") or "")
    return [
        _name(obj),
        phase,
        str(spec.get("volumeName") or ""),
        capacity,
        access,
        storage_class,
        spec.get("volumeAttributesClassName") or UNSET,
        _age(obj, now),
        spec.get("volumeMode") or UNSET,
    ]


def as_core_event(event: Obj) -> Obj:
    """An events.k8s.io/v1 Event in core v1 field names (the API server prints both with printEvent)."""
    if not str(event.get("apiVersion") or "").startswith("events.k8s.io/"):
        return event
    return {
        "metadata": event.get("metadata") or {},
        "involvedObject": event.get("regarding") or {},
        "reason": event.get("reason"),
        "message": event.get("note"),
        "type": event.get("type"),
        "source": event.get("deprecatedSource") or {},
        "firstTimestamp": event.get("deprecatedFirstTimestamp"),
        "lastTimestamp": event.get("deprecatedLastTimestamp"),
        "count": event.get("deprecatedCount"),
        "eventTime": event.get("eventTime"),
        "series": event.get("series"),
        "reportingComponent": event.get("reportingController"),
        "reportingInstance": event.get("reportingInstance"),
    }


def _event_cells(obj: Obj, now: datetime) -> list[Cell]:
    event = as_core_event(obj)
    first = _since(event.get("firstTimestamp") or event.get("eventTime"), now)
    last = _since(event["lastTimestamp"], now) if event.get("lastTimestamp") else first
    count = _int(event.get("count"))
    series = event.get("series")
    if series:
        last = _since(series.get("lastObservedTime"), now)
        count = _int(series.get("count"))
    elif count == 0:
        count = 1  # singleton events carry no count in the new API
    involved = event.get("involvedObject") or {}
    target = str(involved.get("kind") or "").lower()
    if involved.get("name"):
        target = f"{target}/{involved['name']}"
    source = event.get("source") or {}
    component = source.get("component") or event.get("reportingComponent") or ""
    instance = source.get("host") or event.get("reportingInstance") or ""
    return [
        last,
        str(event.get("type") or ""),
        str(event.get("reason") or ""),
        target,
        str(involved.get("fieldPath") or ""),
        f"{component}, {instance}" if instance else str(component),
        str(event.get("message") or "").strip(),
        first,
        count,
        _name(obj),
    ]


def _binding_cells(obj: Obj, now: datetime) -> list[Cell]:
    ref = obj.get("roleRef") or {}
    users: list[str] = []
    groups: list[str] = []
    service_accounts: list[str] = []
    for subject in obj.get("subjects") or []:  # rbac.SubjectsStrings
        kind, name = subject.get("kind"), str(subject.get("name", ""))
        if kind == "ServiceAccount":
            service_accounts.append(f"{subject.get('namespace', '')}/{name}")
        elif kind == "User":
            users.append(name)
        elif kind == "Group":
            groups.append(name)
    return [
        _name(obj),
        f"{ref.get('kind', '')}/{ref.get('name', '')}",
        _age(obj, now),
        ", ".join(users),
        ", ".join(groups),
        ", ".join(service_accounts),
    ]


# --- The printers ---------------------------------------------------------------------------------------------
# Each kind's columns in the order the API server sends them; `_wide` ones kubectl shows only with -o wide.

_NAME, _AGE = _col("Name"), _col("Age")
_AGE_TEMPLATE = (_AGE, _wide("Containers"), _wide("Images"))  # a workload's AGE, then layoutContainerCells
_AGE_TEMPLATE_SELECTOR = (*_AGE_TEMPLATE, _wide("Selector"))
_BINDING = (_NAME, _col("Role"), _AGE, _wide("Users"), _wide("Groups"), _wide("ServiceAccounts"))

PRINTERS: dict[str, Printer] = {p.kind: p for p in (
    Printer("Pod", (_NAME, _col("Ready"), _col("Status"), _col("Restarts"), _AGE,
                    _wide("IP"), _wide("Node"), _wide("Nominated Node"), _wide("Readiness Gates")), _pod_cells),
    Printer("Deployment", (_NAME, _col("Ready"), _col("Up-to-date"), _col("Available"), *_AGE_TEMPLATE_SELECTOR), _deployment_cells),
    Printer("ReplicaSet", (_NAME, *_ints("Desired", "Current", "Ready"), *_AGE_TEMPLATE_SELECTOR), _replicaset_cells),
    Printer("StatefulSet", (_NAME, _col("Ready"), *_AGE_TEMPLATE), _statefulset_cells),
    Printer("DaemonSet", (_NAME, *_ints("Desired", "Current", "Ready", "Up-to-date", "Available"), _col("Node Selector"),
                          *_AGE_TEMPLATE_SELECTOR), _daemonset_cells),
    Printer("Job", (_NAME, _col("Status"), _col("Completions"), _col("Duration"), *_AGE_TEMPLATE_SELECTOR), _job_cells),
    Printer("CronJob", (_NAME, _col("Schedule"), _col("Timezone"), _col("Suspend", "boolean"), _col("Active", "integer"),
                        _col("Last Schedule"), *_AGE_TEMPLATE_SELECTOR), _cronjob_cells),
    Printer("Service", (_NAME, _col("Type"), _col("Cluster-IP"), _col("External-IP"), _col("Port(s)"), _AGE,
                        _wide("Selector")), _service_cells),
    Printer("Ingress", (_NAME, _col("Class"), _col("Hosts"), _col("Address"), _col("Ports"), _AGE), _ingress_cells),
    Printer("Endpoints", (_NAME, _col("Endpoints"), _AGE), _endpoints_cells),
    Printer("Node", (_NAME, _col("Status"), _col("Roles"), _AGE, _col("Version"), _wide("Internal-IP"), _wide("External-IP"),
                     _wide("OS-Image"), _wide("Kernel-Version"), _wide("Container-Runtime")), _node_cells),
    Printer("Event", (_col("Last Seen"), _col("Type"), _col("Reason"), _col("Object"), _wide("Subobject"), _wide("Source"),
                      _col("Message"), _wide("First Seen"), _wide("Count"), _wide("Name")), _event_cells),
    Printer("Namespace", (_NAME, _col("Status"), _AGE), lambda o, now: [_name(o), str(_status(o).get("phase") or ""), _age(o, now)]),
    Printer("Secret", (_NAME, _col("Type"), _col("Data"), _AGE),
            lambda o, now: [_name(o), str(o.get("type") or ""), len(o.get("data") or {}), _age(o, now)]),
    Printer("ServiceAccount", (_NAME, _AGE), lambda o, now: [_name(o), _age(o, now)]),
    Printer("ConfigMap", (_NAME, _col("Data"), _AGE),
            lambda o, now: [_name(o), len(o.get("data") or {}) + len(o.get("binaryData") or {}), _age(o, now)]),
    Printer("PersistentVolumeClaim", (_NAME, _col("Status"), _col("Volume"), _col("Capacity"), _col("Access Modes"),
                                      _col("StorageClass"), _col("VolumeAttributesClass"), _AGE, _wide("VolumeMode")), _pvc_cells),
    Printer("RoleBinding", _BINDING, _binding_cells),
    Printer("ClusterRoleBinding", _BINDING, _binding_cells),
)}


def printer_for(kind: str) -> Printer | None:
    """kubectl's printer for a built-in kind, or None (custom resources, kinds not ported)."""
    return PRINTERS.get(kind)


def print_row(obj: Obj, now: datetime, kind: str | None = None) -> tuple[Printer, list[Cell]] | None:
    """The printer for `obj` (its own kind first) and its cells, or None when no printer is ported."""
    printer = printer_for(str(obj.get("kind") or kind or ""))
    if printer is None:
        return None
    return printer, printer.cells(obj, now)
