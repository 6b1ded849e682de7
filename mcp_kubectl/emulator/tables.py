"""Server-side printing: meta.k8s.io/v1 ``Table`` responses, which ``kubectl get`` without ``-o`` asks for.

Columns and cell formats follow kubernetes/pkg/printers/internalversion/printers.go for the common
built-in types; other built-ins get the default "Name / Created At" table and custom resources
"Name / Age" (plus simple additionalPrinterColumns), as the real server prints them. The server sends
every column; kubectl hides those with priority > 0 unless ``-o wide``.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from mcp_kubectl.objects import human_duration, parse_time

Obj = dict[str, Any]
Column = tuple[str, str, str, int, str]  # name, type, format, priority, description


def since(value: str | None, now: datetime.datetime) -> str:
    """translateTimestampSince: "<unknown>" for a missing time."""
    when = parse_time(value)
    if when is None:
        return "<unknown>"
    return human_duration((now - when).total_seconds())


def _age(obj: Obj, now: datetime.datetime) -> str:
    return since((obj.get("metadata") or {}).get("creationTimestamp"), now)


def _name(obj: Obj) -> str:
    return str((obj.get("metadata") or {}).get("name", ""))


def _selector_string(selector: dict[str, str] | None) -> str:
    if not selector:
        return "<none>"
    return ",".join(f"{k}={v}" for k, v in sorted(selector.items()))


def _label_selector_string(selector: Obj | None) -> str:
    """metav1.FormatLabelSelector."""
    if not selector:
        return "<none>"
    parts = [f"{k}={v}" for k, v in sorted((selector.get("matchLabels") or {}).items())]
    for expr in selector.get("matchExpressions") or []:
        op = expr.get("operator", "")
        key = expr.get("key", "")
        values = ",".join(expr.get("values") or [])
        if op == "In":
            parts.append(f"{key} in ({values})")
        elif op == "NotIn":
            parts.append(f"{key} notin ({values})")
        elif op == "Exists":
            parts.append(key)
        elif op == "DoesNotExist":
            parts.append(f"!{key}")
    return ",".join(parts) if parts else "<none>"


def _containers_images(template_spec: Obj) -> tuple[str, str]:
    containers = template_spec.get("containers") or []
    return ",".join(c.get("name", "") for c in containers), ",".join(c.get("image", "") for c in containers)


# --- pods ---------------------------------------------------------------------------------------------
POD_COLUMNS: list[Column] = [
    ("Name", "string", "name", 0, "Name must be unique within a namespace."),
    ("Ready", "string", "", 0, "The aggregate readiness state of this pod for accepting traffic."),
    ("Status", "string", "", 0, "The aggregate status of the containers in this pod."),
    ("Restarts", "string", "", 0, "The number of times the containers in this pod have been restarted and when the last container in this pod has restarted."),
    ("Age", "string", "", 0, "CreationTimestamp is a timestamp representing the server time when this object was created."),
    ("IP", "string", "", 1, "podIP is the IP address allocated to the pod."),
    ("Node", "string", "", 1, "NodeName indicates in which node this pod is scheduled."),
    ("Nominated Node", "string", "", 1, "nominatedNodeName is set only when this pod preempts other pods on the node."),
    ("Readiness Gates", "string", "", 1, "If specified, all readiness gates will be evaluated for pod readiness."),
]


def pod_cells(pod: Obj, now: datetime.datetime) -> list[Any]:
    """printPod: READY, STATUS (with waiting/terminated reasons), RESTARTS with "(Xm ago)", AGE, ..."""
    spec = pod.get("spec") or {}
    status = pod.get("status") or {}
    meta = pod.get("metadata") or {}
    restartable_init = [c for c in spec.get("initContainers") or [] if c.get("restartPolicy") == "Always"]
    total = len(spec.get("containers") or []) + len(restartable_init)
    ready = 0
    restarts = 0
    last_restart: datetime.datetime | None = None
    reason = status.get("phase") or ""
    if status.get("reason"):
        reason = status["reason"]

    def note_restart(cs: Obj) -> None:
        nonlocal restarts, last_restart
        restarts += int(cs.get("restartCount") or 0)
        finished = parse_time(((cs.get("lastState") or {}).get("terminated") or {}).get("finishedAt"))
        if finished is not None and (last_restart is None or finished > last_restart):
            last_restart = finished

    initializing = False
    init_specs = spec.get("initContainers") or []
    for i, cs in enumerate(status.get("initContainerStatuses") or []):
        note_restart(cs)
        state = cs.get("state") or {}
        terminated = state.get("terminated")
        waiting = state.get("waiting")
        if terminated and int(terminated.get("exitCode") or 0) == 0:
            continue
        if i < len(init_specs) and init_specs[i].get("restartPolicy") == "Always" and state.get("running"):
            if cs.get("started"):
                if cs.get("ready"):
                    ready += 1
                continue
        if terminated:
            if terminated.get("reason"):
                reason = "Init:" + terminated["reason"]
            elif terminated.get("signal"):
                reason = f"Init:Signal:{terminated['signal']}"
            else:
                reason = f"Init:ExitCode:{terminated.get('exitCode', 0)}"
        elif waiting and waiting.get("reason") and waiting["reason"] != "PodInitializing":
            reason = "Init:" + waiting["reason"]
        else:
            reason = f"Init:{i}/{len(init_specs)}"
        initializing = True
        break

    if not initializing:
        restarts_before = restarts
        restarts = restarts_before
        has_running = False
        for cs in reversed(status.get("containerStatuses") or []):
            note_restart(cs)
            state = cs.get("state") or {}
            waiting = state.get("waiting")
            terminated = state.get("terminated")
            if waiting and waiting.get("reason"):
                reason = waiting["reason"]
            elif terminated and terminated.get("reason"):
                reason = terminated["reason"]
            elif terminated:
                if terminated.get("signal"):
                    reason = f"Signal:{terminated['signal']}"
                else:
                    reason = f"ExitCode:{terminated.get('exitCode', 0)}"
            elif cs.get("ready") and state.get("running"):
                has_running = True
                ready += 1
        if reason == "Completed" and has_running:
            conditions = status.get("conditions") or []
            ready_cond = any(c.get("type") == "Ready" and c.get("status") == "True" for c in conditions)
            reason = "Running" if ready_cond else "NotReady"

    if meta.get("deletionTimestamp"):
        reason = "Unknown" if status.get("reason") == "NodeLost" else "Terminating"

    restarts_cell: Any = restarts
    if last_restart is not None:
        restarts_cell = f"{restarts} ({human_duration((now - last_restart).total_seconds())} ago)"
    pod_ips = status.get("podIPs") or []
    ip = pod_ips[0].get("ip") if pod_ips else status.get("podIP")
    gates = spec.get("readinessGates") or []
    if gates:
        conditions = {c.get("type"): c.get("status") for c in status.get("conditions") or []}
        true_gates = sum(1 for g in gates if conditions.get(g.get("conditionType")) == "True")
        gates_cell = f"{true_gates}/{len(gates)}"
    else:
        gates_cell = "<none>"
    return [
        _name(pod),
        f"{ready}/{total}",
        reason,
        restarts_cell,
        _age(pod, now),
        ip or "<none>",
        spec.get("nodeName") or "<none>",
        status.get("nominatedNodeName") or "<none>",
        gates_cell,
    ]


# --- workloads and friends ------------------------------------------------------------------------------
def _deployment_cells(obj: Obj, now: datetime.datetime) -> list[Any]:
    spec, status = obj.get("spec") or {}, obj.get("status") or {}
    containers, images = _containers_images(((spec.get("template") or {}).get("spec")) or {})
    return [
        _name(obj),
        f"{int(status.get('readyReplicas') or 0)}/{int(spec.get('replicas', 1) or 0)}",
        int(status.get("updatedReplicas") or 0),
        int(status.get("availableReplicas") or 0),
        _age(obj, now),
        containers,
        images,
        _label_selector_string(spec.get("selector")),
    ]


def _replicaset_cells(obj: Obj, now: datetime.datetime) -> list[Any]:
    spec, status = obj.get("spec") or {}, obj.get("status") or {}
    containers, images = _containers_images(((spec.get("template") or {}).get("spec")) or {})
    return [
        _name(obj),
        int(spec.get("replicas", 1) or 0),
        int(status.get("replicas") or 0),
        int(status.get("readyReplicas") or 0),
        _age(obj, now),
        containers,
        images,
        _label_selector_string(spec.get("selector")),
    ]


def _statefulset_cells(obj: Obj, now: datetime.datetime) -> list[Any]:
    spec, status = obj.get("spec") or {}, obj.get("status") or {}
    containers, images = _containers_images(((spec.get("template") or {}).get("spec")) or {})
    return [
        _name(obj),
        f"{int(status.get('readyReplicas') or 0)}/{int(spec.get('replicas', 1) or 0)}",
        _age(obj, now),
        containers,
        images,
    ]


def _service_ports(spec: Obj) -> str:
    parts = []
    for port in spec.get("ports") or []:
        protocol = port.get("protocol", "TCP")
        if port.get("nodePort"):
            parts.append(f"{port.get('port')}:{port['nodePort']}/{protocol}")
        else:
            parts.append(f"{port.get('port')}/{protocol}")
    return ",".join(parts) if parts else "<none>"


def _service_external_ip(obj: Obj) -> str:
    spec = obj.get("spec") or {}
    kind = spec.get("type", "ClusterIP")
    external = list(spec.get("externalIPs") or [])
    if kind in ("ClusterIP", "NodePort"):
        return ",".join(external) if external else "<none>"
    if kind == "ExternalName":
        return str(spec.get("externalName", ""))
    ingress = ((obj.get("status") or {}).get("loadBalancer") or {}).get("ingress") or []
    ips = [i.get("ip") or i.get("hostname") for i in ingress] + external
    return ",".join(x for x in ips if x) if ips else "<pending>"


def _service_cells(obj: Obj, now: datetime.datetime) -> list[Any]:
    spec = obj.get("spec") or {}
    return [
        _name(obj),
        spec.get("type", "ClusterIP"),
        spec.get("clusterIP") or "<none>",
        _service_external_ip(obj),
        _service_ports(spec),
        _age(obj, now),
        _selector_string(spec.get("selector")),
    ]


def _node_cells(obj: Obj, now: datetime.datetime) -> list[Any]:
    status = obj.get("status") or {}
    conditions = {c.get("type"): c.get("status") for c in status.get("conditions") or []}
    state = "Ready" if conditions.get("Ready") == "True" else "NotReady" if "Ready" in conditions else "Unknown"
    if (obj.get("spec") or {}).get("unschedulable"):
        state += ",SchedulingDisabled"
    labels = (obj.get("metadata") or {}).get("labels") or {}
    roles = sorted(
        k.split("/", 1)[1] for k in labels if k.startswith("node-role.kubernetes.io/") and "/" in k
    )
    info = status.get("nodeInfo") or {}
    addresses = {a.get("type"): a.get("address") for a in status.get("addresses") or []}
    return [
        _name(obj),
        state,
        ",".join(roles) if roles else "<none>",
        _age(obj, now),
        info.get("kubeletVersion", ""),
        addresses.get("InternalIP") or "<none>",
        addresses.get("ExternalIP") or "<none>",
        info.get("osImage", "<unknown>"),
        info.get("kernelVersion", "<unknown>"),
        info.get("containerRuntimeVersion", "<unknown>"),
    ]


def _event_cells(obj: Obj, now: datetime.datetime) -> list[Any]:
    first = since(obj.get("firstTimestamp"), now) if obj.get("firstTimestamp") else since(obj.get("eventTime"), now)
    last = since(obj.get("lastTimestamp"), now) if obj.get("lastTimestamp") else first
    count = obj.get("count") or 0
    series = obj.get("series")
    if series:
        last = since(series.get("lastObservedTime"), now)
        count = series.get("count", 0)
    elif count == 0:
        count = 1
    involved = obj.get("involvedObject") or {}
    target = involved.get("kind", "").lower()
    if involved.get("name"):
        target = f"{target}/{involved['name']}"
    source = obj.get("source") or {}
    source_text = source.get("component", "") or obj.get("reportingComponent", "")
    if source.get("host"):
        source_text = f"{source_text}, {source['host']}"
    return [
        last,
        obj.get("type", ""),
        obj.get("reason", ""),
        target,
        involved.get("fieldPath", ""),
        source_text,
        str(obj.get("message", "")).strip(),
        first,
        int(count),
        _name(obj),
    ]


def _job_cells(obj: Obj, now: datetime.datetime) -> list[Any]:
    spec, status = obj.get("spec") or {}, obj.get("status") or {}
    conditions = {c.get("type"): c.get("status") for c in status.get("conditions") or []}
    if conditions.get("Complete") == "True":
        state = "Complete"
    elif conditions.get("Failed") == "True":
        state = "Failed"
    elif spec.get("suspend"):
        state = "Suspended"
    else:
        state = "Running"
    completions = f"{int(status.get('succeeded') or 0)}/{spec['completions']}" if spec.get("completions") is not None \
        else f"{int(status.get('succeeded') or 0)}/1 of {spec.get('parallelism', 1)}"
    start, end = parse_time(status.get("startTime")), parse_time(status.get("completionTime"))
    duration = "" if start is None else human_duration(((end or now) - start).total_seconds())
    containers, images = _containers_images(((spec.get("template") or {}).get("spec")) or {})
    return [_name(obj), state, completions, duration, _age(obj, now), containers, images,
            _label_selector_string(spec.get("selector"))]


def _cronjob_cells(obj: Obj, now: datetime.datetime) -> list[Any]:
    spec, status = obj.get("spec") or {}, obj.get("status") or {}
    template_spec = (((spec.get("jobTemplate") or {}).get("spec") or {}).get("template") or {}).get("spec") or {}
    containers, images = _containers_images(template_spec)
    last = status.get("lastScheduleTime")
    return [_name(obj), spec.get("schedule", ""), spec.get("timeZone") or "<none>", str(bool(spec.get("suspend"))),
            len(status.get("active") or []), since(last, now) if last else "<none>", _age(obj, now),
            containers, images, _label_selector_string(((spec.get("jobTemplate") or {}).get("spec") or {}).get("selector"))]


def _binding_cells(obj: Obj, now: datetime.datetime) -> list[Any]:
    ref = obj.get("roleRef") or {}
    subjects = obj.get("subjects") or []

    def names(kind: str) -> str:
        found = [s.get("name", "") if kind != "ServiceAccount" else f"{s.get('namespace', '')}/{s.get('name', '')}"
                 for s in subjects if s.get("kind") == kind]
        return ", ".join(found)

    return [_name(obj), f"{ref.get('kind', '')}/{ref.get('name', '')}", _age(obj, now),
            names("User"), names("Group"), names("ServiceAccount")]


def _daemonset_cells(obj: Obj, now: datetime.datetime) -> list[Any]:
    spec, status = obj.get("spec") or {}, obj.get("status") or {}
    template_spec = ((spec.get("template") or {}).get("spec")) or {}
    containers, images = _containers_images(template_spec)
    return [_name(obj), int(status.get("desiredNumberScheduled") or 0), int(status.get("currentNumberScheduled") or 0),
            int(status.get("numberReady") or 0), int(status.get("updatedNumberScheduled") or 0),
            int(status.get("numberAvailable") or 0), _selector_string(template_spec.get("nodeSelector")),
            _age(obj, now), containers, images, _label_selector_string(spec.get("selector"))]


def _ingress_cells(obj: Obj, now: datetime.datetime) -> list[Any]:
    spec = obj.get("spec") or {}
    hosts = [r.get("host") for r in spec.get("rules") or [] if r.get("host")]
    ingress = ((obj.get("status") or {}).get("loadBalancer") or {}).get("ingress") or []
    addresses = [i.get("ip") or i.get("hostname") for i in ingress if i.get("ip") or i.get("hostname")]
    ports = "80, 443" if spec.get("tls") else "80"
    return [_name(obj), spec.get("ingressClassName") or "<none>", ",".join(hosts) if hosts else "*",
            ",".join(addresses), ports, _age(obj, now)]


def _pvc_cells(obj: Obj, now: datetime.datetime) -> list[Any]:
    spec, status = obj.get("spec") or {}, obj.get("status") or {}
    modes = {"ReadWriteOnce": "RWO", "ReadOnlyMany": "ROX", "ReadWriteMany": "RWX", "ReadWriteOncePod": "RWOP"}
    access = ",".join(modes.get(m, m) for m in status.get("accessModes") or [])
    capacity = (status.get("capacity") or {}).get("storage", "")
    return [_name(obj), status.get("phase", "Pending"), spec.get("volumeName", ""), capacity, access,
            spec.get("storageClassName") or "<unset>", spec.get("volumeAttributesClassName") or "<unset>",
            _age(obj, now), spec.get("volumeMode", "Filesystem")]


def _endpoints_cells(obj: Obj, now: datetime.datetime) -> list[Any]:
    pairs = []
    for subset in obj.get("subsets") or []:
        for address in subset.get("addresses") or []:
            for port in subset.get("ports") or [{}]:
                pairs.append(f"{address.get('ip')}:{port.get('port')}" if port else str(address.get("ip")))
    text = ",".join(pairs[:3]) + (f" + {len(pairs) - 3} more..." if len(pairs) > 3 else "")
    return [_name(obj), text or "<none>", _age(obj, now)]


_S = "string"
TYPE_COLUMNS: dict[tuple[str, str], tuple[list[Column], Callable[[Obj, datetime.datetime], list[Any]]]] = {
    ("", "pods"): (POD_COLUMNS, pod_cells),
    ("apps", "deployments"): (
        [
            ("Name", _S, "name", 0, "Name must be unique within a namespace."),
            ("Ready", _S, "", 0, "Number of the pod with ready state"),
            ("Up-to-date", "integer", "", 0, "Total number of non-terminated pods targeted by this deployment that have the desired template spec."),
            ("Available", "integer", "", 0, "Total number of available pods (ready for at least minReadySeconds) targeted by this deployment."),
            ("Age", _S, "", 0, "CreationTimestamp is a timestamp representing the server time when this object was created."),
            ("Containers", _S, "", 1, "Names of each container in the template."),
            ("Images", _S, "", 1, "Images referenced by each container in the template."),
            ("Selector", _S, "", 1, "Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment."),
        ],
        _deployment_cells,
    ),
    ("apps", "replicasets"): (
        [
            ("Name", _S, "name", 0, "Name must be unique within a namespace."),
            ("Desired", "integer", "", 0, "Replicas is the number of desired replicas."),
            ("Current", "integer", "", 0, "Replicas is the most recently observed number of replicas."),
            ("Ready", "integer", "", 0, "The number of ready replicas for this replica set."),
            ("Age", _S, "", 0, "CreationTimestamp is a timestamp representing the server time when this object was created."),
            ("Containers", _S, "", 1, "Names of each container in the template."),
            ("Images", _S, "", 1, "Images referenced by each container in the template."),
            ("Selector", _S, "", 1, "Selector is a label query over pods that should match the replica count."),
        ],
        _replicaset_cells,
    ),
    ("apps", "statefulsets"): (
        [
            ("Name", _S, "name", 0, "Name must be unique within a namespace."),
            ("Ready", _S, "", 0, "Number of the pod with ready state"),
            ("Age", _S, "", 0, "CreationTimestamp is a timestamp representing the server time when this object was created."),
            ("Containers", _S, "", 1, "Names of each container in the template."),
            ("Images", _S, "", 1, "Images referenced by each container in the template."),
        ],
        _statefulset_cells,
    ),
    ("batch", "jobs"): (
        [
            ("Name", _S, "name", 0, "Name must be unique within a namespace."),
            ("Status", _S, "", 0, "Status of the job."),
            ("Completions", _S, "", 0, "The desired number of successfully finished pods the job should be run with."),
            ("Duration", _S, "", 0, "Time required to complete the job."),
            ("Age", _S, "", 0, "CreationTimestamp is a timestamp representing the server time when this object was created."),
            ("Containers", _S, "", 1, "Names of each container in the template."),
            ("Images", _S, "", 1, "Images referenced by each container in the template."),
            ("Selector", _S, "", 1, "A label query over pods that should match the pod count."),
        ],
        _job_cells,
    ),
    ("batch", "cronjobs"): (
        [
            ("Name", _S, "name", 0, "Name must be unique within a namespace."),
            ("Schedule", _S, "", 0, "The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron."),
            ("Timezone", _S, "", 0, "The time zone name for the given schedule."),
            ("Suspend", "boolean", "", 0, "This flag tells the controller to suspend subsequent executions."),
            ("Active", "integer", "", 0, "A list of pointers to currently running jobs."),
            ("Last Schedule", _S, "", 0, "Information when was the last time the job was successfully scheduled."),
            ("Age", _S, "", 0, "CreationTimestamp is a timestamp representing the server time when this object was created."),
            ("Containers", _S, "", 1, "Names of each container in the template."),
            ("Images", _S, "", 1, "Images referenced by each container in the template."),
            ("Selector", _S, "", 1, "A label query over pods that should match the pod count."),
        ],
        _cronjob_cells,
    ),
    ("rbac.authorization.k8s.io", "rolebindings"): (
        [
            ("Name", _S, "name", 0, "Name must be unique within a namespace."),
            ("Role", _S, "", 0, "RoleRef can reference a Role in the current namespace or a ClusterRole in the global namespace."),
            ("Age", _S, "", 0, "CreationTimestamp is a timestamp representing the server time when this object was created."),
            ("Users", _S, "", 1, "Users in the roleBinding"),
            ("Groups", _S, "", 1, "Groups in the roleBinding"),
            ("ServiceAccounts", _S, "", 1, "ServiceAccounts in the roleBinding"),
        ],
        _binding_cells,
    ),
    ("apps", "daemonsets"): (
        [
            ("Name", _S, "name", 0, "Name must be unique within a namespace."),
            ("Desired", "integer", "", 0, "The total number of nodes that should be running the daemon pod."),
            ("Current", "integer", "", 0, "The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod."),
            ("Ready", "integer", "", 0, "numberReady is the number of nodes that should be running the daemon pod and have one or more of the daemon pod running with a Ready Condition."),
            ("Up-to-date", "integer", "", 0, "The total number of nodes that are running updated daemon pod"),
            ("Available", "integer", "", 0, "The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available (ready for at least spec.minReadySeconds)"),
            ("Node Selector", _S, "", 0, "NodeSelector is a selector which must be true for the pod to fit on a node."),
            ("Age", _S, "", 0, "CreationTimestamp is a timestamp representing the server time when this object was created."),
            ("Containers", _S, "", 1, "Names of each container in the template."),
            ("Images", _S, "", 1, "Images referenced by each container in the template."),
            ("Selector", _S, "", 1, "A label query over pods that are managed by the daemon set."),
        ],
        _daemonset_cells,
    ),
    ("networking.k8s.io", "ingresses"): (
        [
            ("Name", _S, "name", 0, "Name must be unique within a namespace."),
            ("Class", _S, "", 0, "The name of the IngressClass resource that should be used for this Ingress."),
            ("Hosts", _S, "", 0, "Hosts that incoming requests are matched against before the ingress rule"),
            ("Address", _S, "", 0, "Address is a list containing ingress points for the load-balancer"),
            ("Ports", _S, "", 0, "Ports of TLS configurations that open"),
            ("Age", _S, "", 0, "CreationTimestamp is a timestamp representing the server time when this object was created."),
        ],
        _ingress_cells,
    ),
    ("", "persistentvolumeclaims"): (
        [
            ("Name", _S, "name", 0, "Name must be unique within a namespace."),
            ("Status", _S, "", 0, "phase represents the current phase of PersistentVolumeClaim."),
            ("Volume", _S, "", 0, "volumeName is the binding reference to the PersistentVolume backing this claim."),
            ("Capacity", _S, "", 0, "capacity represents the actual resources of the underlying volume."),
            ("Access Modes", _S, "", 0, "accessModes contains the desired access modes the volume should have."),
            ("StorageClass", _S, "", 0, "storageClassName is the name of the StorageClass required by the claim."),
            ("VolumeAttributesClass", _S, "", 0, "volumeAttributesClassName may be used to set the VolumeAttributesClass used by this claim."),
            ("Age", _S, "", 0, "CreationTimestamp is a timestamp representing the server time when this object was created."),
            ("VolumeMode", _S, "", 1, "volumeMode defines what type of volume is required by the claim."),
        ],
        _pvc_cells,
    ),
    ("", "endpoints"): (
        [
            ("Name", _S, "name", 0, "Name must be unique within a namespace."),
            ("Endpoints", _S, "", 0, "Endpoints of the resource"),
            ("Age", _S, "", 0, "CreationTimestamp is a timestamp representing the server time when this object was created."),
        ],
        _endpoints_cells,
    ),
    ("", "serviceaccounts"): (
        [
            ("Name", _S, "name", 0, "Name must be unique within a namespace."),
            ("Secrets", "string", "", 0, "Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use."),
            ("Age", _S, "", 0, "CreationTimestamp is a timestamp representing the server time when this object was created."),
        ],
        lambda o, now: [_name(o), len(o.get("secrets") or []), _age(o, now)],
    ),
    ("", "services"): (
        [
            ("Name", _S, "name", 0, "Name must be unique within a namespace."),
            ("Type", _S, "", 0, "type determines how the Service is exposed."),
            ("Cluster-IP", _S, "", 0, "clusterIP is the IP address of the service."),
            ("External-IP", _S, "", 0, "externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service."),
            ("Port(s)", _S, "", 0, "The list of ports that are exposed by this service."),
            ("Age", _S, "", 0, "CreationTimestamp is a timestamp representing the server time when this object was created."),
            ("Selector", _S, "", 1, "Route service traffic to pods with label keys and values matching this selector."),
        ],
        _service_cells,
    ),
    ("", "configmaps"): (
        [
            ("Name", _S, "name", 0, "Name must be unique within a namespace."),
            ("Data", _S, "", 0, "Data contains the configuration data."),
            ("Age", _S, "", 0, "CreationTimestamp is a timestamp representing the server time when this object was created."),
        ],
        lambda o, now: [_name(o), len(o.get("data") or {}) + len(o.get("binaryData") or {}), _age(o, now)],
    ),
    ("", "secrets"): (
        [
            ("Name", _S, "name", 0, "Name must be unique within a namespace."),
            ("Type", _S, "", 0, "The type of data stored in the secret"),
            ("Data", _S, "", 0, "The number of entries in the secret"),
            ("Age", _S, "", 0, "CreationTimestamp is a timestamp representing the server time when this object was created."),
        ],
        lambda o, now: [_name(o), o.get("type", "Opaque"), len(o.get("data") or {}) + len(o.get("stringData") or {}), _age(o, now)],
    ),
    ("", "namespaces"): (
        [
            ("Name", _S, "name", 0, "Name must be unique within a namespace."),
            ("Status", _S, "", 0, "The status of the namespace"),
            ("Age", _S, "", 0, "CreationTimestamp is a timestamp representing the server time when this object was created."),
        ],
        lambda o, now: [_name(o), (o.get("status") or {}).get("phase", ""), _age(o, now)],
    ),
    ("", "nodes"): (
        [
            ("Name", _S, "name", 0, "Name must be unique within a namespace."),
            ("Status", _S, "", 0, "The status of the node"),
            ("Roles", _S, "", 0, "The roles of the node"),
            ("Age", _S, "", 0, "CreationTimestamp is a timestamp representing the server time when this object was created."),
            ("Version", _S, "", 0, "Kubelet Version reported by the node."),
            ("Internal-IP", _S, "", 1, "List of addresses reachable to the node. Queried from cloud provider, if available."),
            ("External-IP", _S, "", 1, "List of addresses reachable to the node. Queried from cloud provider, if available."),
            ("OS-Image", _S, "", 1, "OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy))."),
            ("Kernel-Version", _S, "", 1, "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64)."),
            ("Container-Runtime", _S, "", 1, "ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2)."),
        ],
        _node_cells,
    ),
    ("", "events"): (
        [
            ("Last Seen", _S, "", 0, "Time when last event occurred"),
            ("Type", _S, "", 0, "Type of this event (Normal, Warning), new types could be added in the future."),
            ("Reason", _S, "", 0, "This should be a short, machine understandable string that gives the reason for the transition into the object's current status."),
            ("Object", _S, "", 0, "Object this event is about."),
            ("Subobject", _S, "", 1, "Subobject of the involved object."),
            ("Source", _S, "", 1, "Source of the event."),
            ("Message", _S, "", 0, "A human-readable description of the status of this operation."),
            ("First Seen", _S, "", 1, "Time when first event occurred"),
            ("Count", "integer", "", 1, "Number of times this event has occurred."),
            ("Name", _S, "name", 1, "Name must be unique within a namespace."),
        ],
        _event_cells,
    ),
}

DEFAULT_COLUMNS: list[Column] = [
    ("Name", "string", "name", 0, "Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names"),
    ("Created At", "date", "", 0, "CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC."),
]
CUSTOM_COLUMNS: list[Column] = [
    ("Name", "string", "name", 0, "Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names"),
]
_AGE_COLUMN: Column = ("Age", "date", "", 0, "CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata")


def _json_path_value(obj: Obj, path: str) -> Any:
    """The simple ``.a.b.c`` JSONPaths additionalPrinterColumns mostly use."""
    cur: Any = obj
    for part in path.strip().lstrip(".").split("."):
        if not part:
            continue
        if not isinstance(cur, dict):
            return None
        cur = cur.get(part)
    return cur


def _custom_table(crd_version: Obj | None) -> tuple[list[Column], Callable[[Obj, datetime.datetime], list[Any]]]:
    printer_columns = (crd_version or {}).get("additionalPrinterColumns")
    if not printer_columns:
        return CUSTOM_COLUMNS + [_AGE_COLUMN], lambda o, now: [_name(o), _age(o, now)]
    columns: list[Column] = list(CUSTOM_COLUMNS)
    paths: list[tuple[str, str]] = []
    for column in printer_columns:
        columns.append((column.get("name", ""), column.get("type", "string"), column.get("format", ""),
                        int(column.get("priority", 0)), column.get("description", "")))
        paths.append((column.get("jsonPath", ""), column.get("type", "string")))

    def cells(obj: Obj, now: datetime.datetime) -> list[Any]:
        out: list[Any] = [_name(obj)]
        for path, kind in paths:
            value = _json_path_value(obj, path)
            if kind == "date":
                out.append(since(value, now) if value else "<unknown>")
            elif value is None:
                out.append(None)
            else:
                out.append(value)
        return out

    return columns, cells


def columns_and_cells(
    group: str, plural: str, custom: bool, crd_version: Obj | None = None
) -> tuple[list[Column], Callable[[Obj, datetime.datetime], list[Any]]]:
    """The printer for one resource."""
    if custom:
        return _custom_table(crd_version)
    found = TYPE_COLUMNS.get((group if plural != "events" else "", plural))
    if found is not None:
        return found

    def default_cells(obj: Obj, now: datetime.datetime) -> list[Any]:
        return [_name(obj), (obj.get("metadata") or {}).get("creationTimestamp", "")]

    return DEFAULT_COLUMNS, default_cells


def _partial(obj: Obj) -> Obj:
    return {"kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1", "metadata": obj.get("metadata") or {}}


def build_table(
    objects: list[Obj],
    printer: tuple[list[Column], Callable[[Obj, datetime.datetime], list[Any]]],
    list_metadata: Obj,
    include_object: str = "Metadata",
    now: datetime.datetime | None = None,
) -> Obj:
    """A meta.k8s.io/v1 Table of ``objects``."""
    now = now or datetime.datetime.now(datetime.UTC)
    columns, cells = printer
    rows = []
    for obj in objects:
        row: Obj = {"cells": cells(obj, now)}
        if include_object == "Object":
            row["object"] = obj
        elif include_object != "None":
            row["object"] = _partial(obj)
        rows.append(row)
    return {
        "kind": "Table",
        "apiVersion": "meta.k8s.io/v1",
        "metadata": list_metadata,
        "columnDefinitions": [
            {"name": n, "type": t, "format": f, "description": d, "priority": p} for n, t, f, p, d in columns
        ],
        "rows": rows,
    }


TYPE_COLUMNS[("rbac.authorization.k8s.io", "clusterrolebindings")] = TYPE_COLUMNS[("rbac.authorization.k8s.io", "rolebindings")]
