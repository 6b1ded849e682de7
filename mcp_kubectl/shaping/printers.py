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
    """One column of a printer: kubectl's header, the key a summary uses for it, and its width class."""

    name: str
    key: str
    type: str = "string"
    priority: int = 0  # 1: shown by kubectl only with -o wide
    description: str = ""

    @property
    def format(self) -> str:
        return "name" if self.key == "name" else ""


@dataclass(frozen=True)
class Printer:
    """The columns of one kind and the function that computes an object's cells, one per column."""

    kind: str
    columns: tuple[Column, ...]
    cells: Callable[[Obj, datetime], list[Cell]]


def _col(name: str, key: str, type_: str = "string", *, wide: bool = False, description: str = "") -> Column:
    return Column(name=name, key=key, type=type_, priority=1 if wide else 0, description=description)


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

_NAME = _col("Name", "name", description="Name must be unique within a namespace.")
_AGE = _col("Age", "age", description="CreationTimestamp is a timestamp representing the server time when this object was created.")
_CONTAINERS = _col("Containers", "containers", wide=True, description="Names of each container in the template.")
_IMAGES = _col("Images", "images", wide=True, description="Images referenced by each container in the template.")
_SELECTOR = _col("Selector", "selector", wide=True, description="A label query over pods.")

_POD = Printer("Pod", (
    _NAME,
    _col("Ready", "ready", description="The aggregate readiness state of this pod for accepting traffic."),
    _col("Status", "status", description="The aggregate status of the containers in this pod."),
    _col("Restarts", "restarts", description="The number of times the containers in this pod have been restarted and when the last container in this pod has restarted."),
    _AGE,
    _col("IP", "ip", wide=True, description="podIP is the IP address allocated to the pod."),
    _col("Node", "node", wide=True, description="NodeName indicates in which node this pod is scheduled."),
    _col("Nominated Node", "nominatedNode", wide=True, description="nominatedNodeName is set only when this pod preempts other pods on the node."),
    _col("Readiness Gates", "readinessGates", wide=True, description="If specified, all readiness gates will be evaluated for pod readiness."),
), _pod_cells)

_BINDING_COLUMNS = (
    _NAME,
    _col("Role", "role", description="RoleRef can reference a Role in the current namespace or a ClusterRole in the global namespace."),
    _AGE,
    _col("Users", "users", wide=True, description="Users in the roleBinding"),
    _col("Groups", "groups", wide=True, description="Groups in the roleBinding"),
    _col("ServiceAccounts", "serviceAccounts", wide=True, description="ServiceAccounts in the roleBinding"),
)

PRINTERS: dict[str, Printer] = {p.kind: p for p in (
    _POD,
    Printer("Deployment", (
        _NAME,
        _col("Ready", "ready", description="Number of the pod with ready state"),
        _col("Up-to-date", "upToDate", description="Total number of non-terminated pods targeted by this deployment that have the desired template spec."),
        _col("Available", "available", description="Total number of available pods (ready for at least minReadySeconds) targeted by this deployment."),
        _AGE, _CONTAINERS, _IMAGES, _SELECTOR,
    ), _deployment_cells),
    Printer("ReplicaSet", (
        _NAME,
        _col("Desired", "desired", "integer", description="Replicas is the number of desired replicas."),
        _col("Current", "current", "integer", description="Replicas is the most recently observed number of replicas."),
        _col("Ready", "ready", "integer", description="The number of ready replicas for this replica set."),
        _AGE, _CONTAINERS, _IMAGES, _SELECTOR,
    ), _replicaset_cells),
    Printer("StatefulSet", (
        _NAME, _col("Ready", "ready", description="Number of the pod with ready state"), _AGE, _CONTAINERS, _IMAGES,
    ), _statefulset_cells),
    Printer("DaemonSet", (
        _NAME,
        _col("Desired", "desired", "integer", description="The total number of nodes that should be running the daemon pod."),
        _col("Current", "current", "integer", description="The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod."),
        _col("Ready", "ready", "integer", description="The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and ready."),
        _col("Up-to-date", "upToDate", "integer", description="The total number of nodes that are running updated daemon pod"),
        _col("Available", "available", "integer", description="The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available."),
        _col("Node Selector", "nodeSelector", description="NodeSelector is a selector which must be true for the pod to fit on a node."),
        _AGE, _CONTAINERS, _IMAGES, _SELECTOR,
    ), _daemonset_cells),
    Printer("Job", (
        _NAME,
        _col("Status", "status", description="Status of the job."),
        _col("Completions", "completions", description="The number of pods which reached phase Succeeded."),
        _col("Duration", "duration", description="Time required to complete the job."),
        _AGE, _CONTAINERS, _IMAGES, _SELECTOR,
    ), _job_cells),
    Printer("CronJob", (
        _NAME,
        _col("Schedule", "schedule", description="The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron."),
        _col("Timezone", "timezone", description="The time zone name for the given schedule."),
        _col("Suspend", "suspend", "boolean", description="This flag tells the controller to suspend subsequent executions."),
        _col("Active", "active", "integer", description="A list of pointers to currently running jobs."),
        _col("Last Schedule", "lastSchedule", description="Information when was the last time the job was successfully scheduled."),
        _AGE, _CONTAINERS, _IMAGES, _SELECTOR,
    ), _cronjob_cells),
    Printer("Service", (
        _NAME,
        _col("Type", "type", description="type determines how the Service is exposed."),
        _col("Cluster-IP", "clusterIP", description="clusterIP is the IP address of the service."),
        _col("External-IP", "externalIP", description="externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service."),
        _col("Port(s)", "ports", description="The list of ports that are exposed by this service."),
        _AGE,
        _col("Selector", "selector", wide=True, description="Route service traffic to pods with label keys and values matching this selector."),
    ), _service_cells),
    Printer("Ingress", (
        _NAME,
        _col("Class", "class", description="The name of the IngressClass resource that should be used for additional configuration"),
        _col("Hosts", "hosts", description="Hosts that incoming requests are matched against before the ingress rule"),
        _col("Address", "address", description="Address is a list containing ingress points for the load-balancer"),
        _col("Ports", "ports", description="Ports of TLS configurations that open"),
        _AGE,
    ), _ingress_cells),
    Printer("Endpoints", (_NAME, _col("Endpoints", "endpoints", description="Endpoints of the resource"), _AGE), _endpoints_cells),
    Printer("Node", (
        _NAME,
        _col("Status", "status", description="The status of the node"),
        _col("Roles", "roles", description="The roles of the node"),
        _AGE,
        _col("Version", "version", description="Kubelet Version reported by the node."),
        _col("Internal-IP", "internalIP", wide=True, description="List of addresses reachable to the node."),
        _col("External-IP", "externalIP", wide=True, description="List of addresses reachable to the node."),
        _col("OS-Image", "osImage", wide=True, description="OS Image reported by the node from /etc/os-release."),
        _col("Kernel-Version", "kernelVersion", wide=True, description="Kernel Version reported by the node from 'uname -r'."),
        _col("Container-Runtime", "containerRuntime", wide=True, description="ContainerRuntime Version reported by the node through runtime remote API."),
    ), _node_cells),
    Printer("Event", (
        _col("Last Seen", "lastSeen", description="Time when last event occurred"),
        _col("Type", "type", description="Type of this event (Normal, Warning), new types could be added in the future."),
        _col("Reason", "reason", description="This should be a short, machine understandable string that gives the reason for the transition into the object's current status."),
        _col("Object", "object", description="Object this event is about."),
        _col("Subobject", "subobject", wide=True, description="Subobject of the involved object."),
        _col("Source", "source", wide=True, description="Source of the event."),
        _col("Message", "message", description="A human-readable description of the status of this operation."),
        _col("First Seen", "firstSeen", wide=True, description="Time when first event occurred"),
        _col("Count", "count", wide=True, description="Number of times this event has occurred."),
        Column("Name", "name", priority=1, description="Name must be unique within a namespace."),
    ), _event_cells),
    Printer("Namespace", (_NAME, _col("Status", "status", description="The status of the namespace"), _AGE),
            lambda o, now: [_name(o), str(_status(o).get("phase") or ""), _age(o, now)]),
    Printer("Secret", (
        _NAME,
        _col("Type", "type", description="Used to facilitate programmatic handling of secret data."),
        _col("Data", "data", description="The number of entries in the secret"),
        _AGE,
    ), lambda o, now: [_name(o), str(o.get("type") or ""), len(o.get("data") or {}), _age(o, now)]),
    Printer("ServiceAccount", (_NAME, _AGE), lambda o, now: [_name(o), _age(o, now)]),
    Printer("ConfigMap", (_NAME, _col("Data", "data", description="Data contains the configuration data."), _AGE),
            lambda o, now: [_name(o), len(o.get("data") or {}) + len(o.get("binaryData") or {}), _age(o, now)]),
    Printer("PersistentVolumeClaim", (
        _NAME,
        _col("Status", "status", description="phase represents the current phase of PersistentVolumeClaim."),
        _col("Volume", "volume", description="volumeName is the binding reference to the PersistentVolume backing this claim."),
        _col("Capacity", "capacity", description="capacity represents the actual resources of the underlying volume."),
        _col("Access Modes", "accessModes", description="accessModes contains the actual access modes the volume backing the PVC has."),
        _col("StorageClass", "storageClass", description="StorageClass of the pvc"),
        _col("VolumeAttributesClass", "volumeAttributesClass", description="VolumeAttributesClass of the pvc"),
        _AGE,
        _col("VolumeMode", "volumeMode", wide=True, description="volumeMode defines what type of volume is required by the claim."),
    ), _pvc_cells),
    Printer("RoleBinding", _BINDING_COLUMNS, _binding_cells),
    Printer("ClusterRoleBinding", _BINDING_COLUMNS, _binding_cells),
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
