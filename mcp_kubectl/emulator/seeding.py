"""Realistic objects for tests, benchmarks and the demo: pods (3-5 KB each), workloads, events, nodes,
and manifests loaded from files or folders.

Generation is plain dict building (no deep copies, no YAML), so 5,000 pods take well under two seconds.
Roughly one pod in 25 is in CrashLoopBackOff and one in 25 is Pending, the rest Running.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

Obj = dict[str, Any]

_APPS = ("checkout", "payments", "catalog", "search", "frontend", "inventory", "shipping", "auth")
_TEAMS = ("commerce", "platform", "growth", "core")


def ts(when: datetime.datetime) -> str:
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


def _now() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC).replace(microsecond=0)


def _hash(text: str, length: int = 10) -> str:
    alphabet = "bcdfghjklmnpqrstvwxz2456789"
    digest = hashlib.sha256(text.encode()).digest()
    return "".join(alphabet[b % len(alphabet)] for b in digest[:length])


def _uid(text: str) -> str:
    return str(uuid.UUID(bytes=hashlib.md5(text.encode()).digest()))  # a stable id, not security


def _container(name: str, image: str, port: int, app: str, index: int) -> Obj:
    return {
        "name": name,
        "image": image,
        "imagePullPolicy": "IfNotPresent",
        "ports": [{"name": "http" if port != 9090 else "metrics", "containerPort": port, "protocol": "TCP"}],
        "env": [
            {"name": "APP_NAME", "value": app},
            {"name": "LOG_LEVEL", "value": "info"},
            {"name": "SHARD", "value": str(index % 16)},
        ],
        "resources": {
            "limits": {"cpu": "500m", "memory": "256Mi"},
            "requests": {"cpu": "100m", "memory": "128Mi"},
        },
        "volumeMounts": [
            {"name": "config", "mountPath": "/etc/app", "readOnly": True},
        ],
        "terminationMessagePath": "/dev/termination-log",
        "terminationMessagePolicy": "File",
    }


def make_pod(name: str, namespace: str, index: int, *, app: str | None = None, owner: Obj | None = None,
             template_hash: str | None = None, node: str | None = None, now: datetime.datetime | None = None,
             created: datetime.datetime | None = None) -> Obj:
    """One realistic pod; ``index`` chooses its app, node and state (Running, CrashLoopBackOff, Pending)."""
    now = now or _now()
    app = app or _APPS[index % len(_APPS)]
    created = created or now - datetime.timedelta(minutes=5 + (index * 37) % 5000)
    started = created + datetime.timedelta(seconds=3)
    state_kind = "crash" if index % 25 == 7 else "pending" if index % 25 == 13 else "running"
    node = node or f"emulator-node-{index % 3 + 1}"
    template_hash = template_hash or _hash(app, 10)
    labels = {"app": app, "pod-template-hash": template_hash, "tier": "backend", "team": _TEAMS[index % len(_TEAMS)]}
    containers = [
        _container(app, f"registry.example.com/{app}:1.{index % 7}.{index % 3}", 8080, app, index),
        _container("metrics-sidecar", "registry.example.com/metrics-exporter:0.9.2", 9090, app, index),
    ]
    applied = {"apiVersion": "v1", "kind": "Pod", "metadata": {"labels": labels, "name": name, "namespace": namespace},
               "spec": {"containers": [{"name": c["name"], "image": c["image"]} for c in containers]}}
    meta: Obj = {
        "name": name,
        "namespace": namespace,
        "uid": _uid(f"{namespace}/{name}"),
        "generation": 1,
        "creationTimestamp": ts(created),
        "labels": labels,
        "annotations": {
            "kubectl.kubernetes.io/last-applied-configuration": json.dumps(applied, separators=(",", ":")) + "\n",
        },
        "managedFields": [
            {
                "manager": "kube-controller-manager" if owner else "kubectl-client-side-apply",
                "operation": "Update",
                "apiVersion": "v1",
                "time": ts(created),
                "fieldsType": "FieldsV1",
                "fieldsV1": {
                    "f:metadata": {"f:labels": {".": {}, "f:app": {}, "f:pod-template-hash": {}, "f:team": {}, "f:tier": {}}},
                    "f:spec": {"f:containers": {f'k:{{"name":"{c["name"]}"}}': {".": {}, "f:image": {}, "f:name": {}} for c in containers}},
                },
            },
            {
                "manager": "kubelet",
                "operation": "Update",
                "apiVersion": "v1",
                "time": ts(started),
                "fieldsType": "FieldsV1",
                "fieldsV1": {"f:status": {"f:conditions": {}, "f:containerStatuses": {}, "f:hostIP": {}, "f:phase": {}, "f:podIP": {}, "f:startTime": {}}},
                "subresource": "status",
            },
        ],
    }
    if owner is not None:
        meta["ownerReferences"] = [{
            "apiVersion": owner["apiVersion"], "kind": owner["kind"], "name": owner["metadata"]["name"],
            "uid": owner["metadata"]["uid"], "controller": True, "blockOwnerDeletion": True,
        }]
    spec: Obj = {
        "volumes": [
            {"name": "config", "configMap": {"name": f"{app}-config", "defaultMode": 420}},
        ],
        "containers": containers,
        "restartPolicy": "Always",
        "terminationGracePeriodSeconds": 30,
        "dnsPolicy": "ClusterFirst",
        "serviceAccountName": "default",
        "serviceAccount": "default",
        "securityContext": {},
        "schedulerName": "default-scheduler",
        "tolerations": [
            {"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300},
            {"key": "node.kubernetes.io/unreachable", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300},
        ],
        "priority": 0,
        "enableServiceLinks": True,
        "preemptionPolicy": "PreemptLowerPriority",
    }
    pod_ip = f"10.244.{index // 250 % 250}.{index % 250 + 2}"
    if state_kind == "pending":
        status: Obj = {
            "phase": "Pending",
            "conditions": [{
                "type": "PodScheduled", "status": "False", "lastProbeTime": None,
                "lastTransitionTime": ts(created), "reason": "Unschedulable",
                "message": "0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.",
            }],
            "qosClass": "Burstable",
        }
    else:
        spec["nodeName"] = node
        ready = "False" if state_kind == "crash" else "True"
        statuses = []
        for c in containers:
            cs: Obj = {
                "name": c["name"],
                "ready": True,
                "restartCount": 0,
                "image": c["image"],
                "imageID": f"{c['image'].split(':')[0]}@sha256:{hashlib.sha256(c['image'].encode()).hexdigest()}",
                "containerID": f"containerd://{hashlib.sha256((name + c['name']).encode()).hexdigest()}",
                "started": True,
                "state": {"running": {"startedAt": ts(started)}},
                "lastState": {},
            }
            if state_kind == "crash" and c["name"] == app:
                cs.update({
                    "ready": False, "started": False, "restartCount": 5 + index % 7,
                    "state": {"waiting": {"reason": "CrashLoopBackOff",
                                          "message": f"back-off 5m0s restarting failed container={app} pod={name}_{namespace}"}},
                    "lastState": {"terminated": {"exitCode": 1, "reason": "Error",
                                                 "startedAt": ts(now - datetime.timedelta(minutes=3)),
                                                 "finishedAt": ts(now - datetime.timedelta(minutes=2))}},
                })
            statuses.append(cs)
        status = {
            "phase": "Running",
            "conditions": [
                {"type": "PodReadyToStartContainers", "status": "True", "lastProbeTime": None, "lastTransitionTime": ts(started)},
                {"type": "Initialized", "status": "True", "lastProbeTime": None, "lastTransitionTime": ts(created)},
                {"type": "Ready", "status": ready, "lastProbeTime": None, "lastTransitionTime": ts(started)},
                {"type": "ContainersReady", "status": ready, "lastProbeTime": None, "lastTransitionTime": ts(started)},
                {"type": "PodScheduled", "status": "True", "lastProbeTime": None, "lastTransitionTime": ts(created)},
            ],
            "hostIP": f"192.168.49.{index % 3 + 2}",
            "hostIPs": [{"ip": f"192.168.49.{index % 3 + 2}"}],
            "podIP": pod_ip,
            "podIPs": [{"ip": pod_ip}],
            "startTime": ts(created),
            "containerStatuses": statuses,
            "qosClass": "Burstable",
        }
        if state_kind == "crash":
            for cond in status["conditions"][2:4]:
                cond["reason"] = "ContainersNotReady"
    return {"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": spec, "status": status}


def make_pods(n: int, namespace: str, start: int = 0) -> list[Obj]:
    """``n`` pods named like ReplicaSet children (``checkout-7d9f8b6c5d-x2k4j``)."""
    now = _now()
    pods = []
    for i in range(start, start + n):
        app = _APPS[i % len(_APPS)]
        name = f"{app}-{_hash(app + namespace, 10)}-{_hash(f'{namespace}/{i}', 5)}"
        pods.append(make_pod(name, namespace, i, app=app, now=now))
    return pods


def make_namespace(name: str, created: datetime.datetime | None = None) -> Obj:
    return {
        "apiVersion": "v1",
        "kind": "Namespace",
        "metadata": {"name": name, "uid": _uid(f"ns/{name}"), "creationTimestamp": ts(created or _now()),
                     "labels": {"kubernetes.io/metadata.name": name}},
        "spec": {"finalizers": ["kubernetes"]},
        "status": {"phase": "Active"},
    }


def make_node(index: int, now: datetime.datetime) -> Obj:
    name = f"emulator-node-{index}"
    created = now - datetime.timedelta(days=12)
    ip = f"192.168.49.{index + 1}"
    labels = {"kubernetes.io/hostname": name, "kubernetes.io/os": "linux", "kubernetes.io/arch": "amd64",
              "node.kubernetes.io/instance-type": "e2-standard-4"}
    if index == 1:
        labels["node-role.kubernetes.io/control-plane"] = ""
    return {
        "apiVersion": "v1", "kind": "Node",
        "metadata": {"name": name, "uid": _uid(f"node/{name}"), "creationTimestamp": ts(created), "labels": labels},
        "spec": {"podCIDR": f"10.244.{index}.0/24", "podCIDRs": [f"10.244.{index}.0/24"]},
        "status": {
            "capacity": {"cpu": "4", "memory": "16374624Ki", "pods": "110", "ephemeral-storage": "101430960Ki"},
            "allocatable": {"cpu": "4", "memory": "16272224Ki", "pods": "110", "ephemeral-storage": "93478772582"},
            "conditions": [
                {"type": "MemoryPressure", "status": "False", "reason": "KubeletHasSufficientMemory", "message": "kubelet has sufficient memory available", "lastHeartbeatTime": ts(now), "lastTransitionTime": ts(created)},
                {"type": "DiskPressure", "status": "False", "reason": "KubeletHasNoDiskPressure", "message": "kubelet has no disk pressure", "lastHeartbeatTime": ts(now), "lastTransitionTime": ts(created)},
                {"type": "PIDPressure", "status": "False", "reason": "KubeletHasSufficientPID", "message": "kubelet has sufficient PID available", "lastHeartbeatTime": ts(now), "lastTransitionTime": ts(created)},
                {"type": "Ready", "status": "True", "reason": "KubeletReady", "message": "kubelet is posting ready status", "lastHeartbeatTime": ts(now), "lastTransitionTime": ts(created)},
            ],
            "addresses": [{"type": "InternalIP", "address": ip}, {"type": "Hostname", "address": name}],
            "nodeInfo": {"kubeletVersion": "v1.32.4", "kubeProxyVersion": "v1.32.4", "osImage": "Ubuntu 24.04.1 LTS",
                         "kernelVersion": "6.8.0-1019-gcp", "containerRuntimeVersion": "containerd://1.7.24",
                         "operatingSystem": "linux", "architecture": "amd64", "machineID": _hash(name, 16),
                         "systemUUID": _uid(f"sys/{name}"), "bootID": _uid(f"boot/{name}")},
        },
    }


def make_event(namespace: str, involved: Obj, reason: str, message: str, kind: str, when: datetime.datetime,
               count: int = 1, component: str = "kubelet", field_path: str = "") -> Obj:
    meta = involved["metadata"]
    name = f"{meta['name']}.{_hash(reason + meta['name'] + message, 16)}"
    involved_ref = {"kind": involved["kind"], "namespace": namespace, "name": meta["name"], "uid": meta.get("uid", ""),
                    "apiVersion": involved["apiVersion"], "resourceVersion": "1"}
    if field_path:
        involved_ref["fieldPath"] = field_path
    first = when - datetime.timedelta(minutes=3 * (count - 1))
    return {
        "apiVersion": "v1", "kind": "Event",
        "metadata": {"name": name, "namespace": namespace, "uid": _uid(f"ev/{namespace}/{name}"), "creationTimestamp": ts(first)},
        "involvedObject": involved_ref,
        "reason": reason, "message": message,
        "source": {"component": component, **({"host": involved.get("spec", {}).get("nodeName")} if component == "kubelet" and involved.get("spec", {}).get("nodeName") else {})},
        "firstTimestamp": ts(first), "lastTimestamp": ts(when), "count": count, "type": kind,
        "eventTime": None, "reportingComponent": component, "reportingInstance": "",
    }


def make_workloads(namespace: str, *, deployments: int = 3, replicas: int = 2, configmaps: int = 3, secrets: int = 2) -> dict[tuple[str, str], list[Obj]]:
    """Deployments with their ReplicaSets and pods, a Service per deployment, ConfigMaps, Secrets and Events.

    Returns objects grouped by storage key (group, plural)."""
    now = _now()
    out: dict[tuple[str, str], list[Obj]] = {}
    pod_index = 0
    for d in range(deployments):
        app = _APPS[d % len(_APPS)]
        created = now - datetime.timedelta(days=2, hours=d)
        template_hash = _hash(f"{namespace}/{app}/template", 10)
        labels = {"app": app}
        template = {"metadata": {"labels": {"app": app}}, "spec": {"containers": [
            {"name": app, "image": f"registry.example.com/{app}:1.4.2", "ports": [{"containerPort": 8080, "protocol": "TCP"}],
             "resources": {"requests": {"cpu": "100m", "memory": "128Mi"}}},
            {"name": "metrics-sidecar", "image": "registry.example.com/metrics-exporter:0.9.2"},
        ]}}
        deployment: Obj = {
            "apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": app, "namespace": namespace, "uid": _uid(f"deploy/{namespace}/{app}"), "generation": 1,
                         "creationTimestamp": ts(created), "labels": labels,
                         "annotations": {"deployment.kubernetes.io/revision": "1"}},
            "spec": {"replicas": replicas, "selector": {"matchLabels": {"app": app}}, "template": template,
                     "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": "25%", "maxSurge": "25%"}},
                     "revisionHistoryLimit": 10, "progressDeadlineSeconds": 600},
            "status": {"observedGeneration": 1, "replicas": replicas, "updatedReplicas": replicas, "readyReplicas": replicas,
                       "availableReplicas": replicas, "conditions": [
                           {"type": "Available", "status": "True", "lastUpdateTime": ts(created), "lastTransitionTime": ts(created),
                            "reason": "MinimumReplicasAvailable", "message": "Deployment has minimum availability."},
                           {"type": "Progressing", "status": "True", "lastUpdateTime": ts(created), "lastTransitionTime": ts(created),
                            "reason": "NewReplicaSetAvailable", "message": f'ReplicaSet "{app}-{template_hash}" has successfully progressed.'}]},
        }
        rs_name = f"{app}-{template_hash}"
        rs_template = json.loads(json.dumps(template))
        rs_template["metadata"]["labels"]["pod-template-hash"] = template_hash
        replicaset = {
            "apiVersion": "apps/v1", "kind": "ReplicaSet",
            "metadata": {"name": rs_name, "namespace": namespace, "uid": _uid(f"rs/{namespace}/{rs_name}"), "generation": 1,
                         "creationTimestamp": ts(created), "labels": {"app": app, "pod-template-hash": template_hash},
                         "annotations": {"deployment.kubernetes.io/desired-replicas": str(replicas), "deployment.kubernetes.io/max-replicas": str(replicas + 1), "deployment.kubernetes.io/revision": "1"},
                         "ownerReferences": [{"apiVersion": "apps/v1", "kind": "Deployment", "name": app, "uid": deployment["metadata"]["uid"], "controller": True, "blockOwnerDeletion": True}]},
            "spec": {"replicas": replicas, "selector": {"matchLabels": {"app": app, "pod-template-hash": template_hash}}, "template": rs_template},
            "status": {"replicas": replicas, "fullyLabeledReplicas": replicas, "readyReplicas": replicas, "availableReplicas": replicas, "observedGeneration": 1},
        }
        out.setdefault(("apps", "deployments"), []).append(deployment)
        out.setdefault(("apps", "replicasets"), []).append(replicaset)
        for r in range(replicas):
            pod_name = f"{rs_name}-{_hash(f'{namespace}/{rs_name}/{r}', 5)}"
            pod = make_pod(pod_name, namespace, 100 + pod_index, app=app, owner=replicaset, template_hash=template_hash, now=now,
                           created=created + datetime.timedelta(seconds=20 + 7 * r))
            pod_index += 1
            out.setdefault(("", "pods"), []).append(pod)
            out.setdefault(("", "events"), []).extend([
                make_event(namespace, pod, "Scheduled", f"Successfully assigned {namespace}/{pod_name} to {pod['spec'].get('nodeName', 'emulator-node-1')}", "Normal", now - datetime.timedelta(minutes=30), component="default-scheduler"),
                make_event(namespace, pod, "Pulled", f'Container image "registry.example.com/{app}:1.4.2" already present on machine', "Normal", now - datetime.timedelta(minutes=29), field_path=f"spec.containers{{{app}}}"),
                make_event(namespace, pod, "Started", f"Started container {app}", "Normal", now - datetime.timedelta(minutes=29), field_path=f"spec.containers{{{app}}}"),
            ])
        out.setdefault(("", "events"), []).append(
            make_event(namespace, deployment, "ScalingReplicaSet", f"Scaled up replica set {rs_name} from 0 to {replicas}", "Normal", now - datetime.timedelta(minutes=30), component="deployment-controller"))
        out.setdefault(("", "services"), []).append({
            "apiVersion": "v1", "kind": "Service",
            "metadata": {"name": app, "namespace": namespace, "uid": _uid(f"svc/{namespace}/{app}"), "creationTimestamp": ts(created), "labels": labels},
            "spec": {"type": "ClusterIP", "selector": {"app": app}, "ports": [{"name": "http", "port": 80, "targetPort": 8080, "protocol": "TCP"}],
                     "clusterIP": f"10.96.{10 + d}.{20 + d}", "clusterIPs": [f"10.96.{10 + d}.{20 + d}"], "sessionAffinity": "None",
                     "ipFamilies": ["IPv4"], "ipFamilyPolicy": "SingleStack", "internalTrafficPolicy": "Cluster"},
            "status": {"loadBalancer": {}},
        })
    for c in range(configmaps):
        app = _APPS[c % len(_APPS)]
        out.setdefault(("", "configmaps"), []).append({
            "apiVersion": "v1", "kind": "ConfigMap",
            "metadata": {"name": f"{app}-config", "namespace": namespace, "uid": _uid(f"cm/{namespace}/{app}"), "creationTimestamp": ts(now - datetime.timedelta(days=2))},
            "data": {"LOG_LEVEL": "info", "FEATURE_FLAGS": "new-checkout,fast-search", "app.properties": f"name={app}\nworkers=4\n"},
        })
    for s in range(secrets):
        app = _APPS[s % len(_APPS)]
        out.setdefault(("", "secrets"), []).append({
            "apiVersion": "v1", "kind": "Secret", "type": "Opaque",
            "metadata": {"name": f"{app}-credentials", "namespace": namespace, "uid": _uid(f"secret/{namespace}/{app}"), "creationTimestamp": ts(now - datetime.timedelta(days=2))},
            "data": {"username": "YXBw", "password": "czNjcjN0LXBhc3N3b3Jk"},
        })
    crash = make_pod(f"{_APPS[0]}-worker-crashloop", namespace, 7, app=_APPS[0], now=now)
    pending = make_pod(f"{_APPS[1]}-db-migrate", namespace, 13, app=_APPS[1], now=now)
    out.setdefault(("", "pods"), []).extend([crash, pending])
    out[("", "events")].append(make_event(namespace, pending, "FailedScheduling", pending["status"]["conditions"][0]["message"], "Warning", now - datetime.timedelta(minutes=1), count=4, component="default-scheduler"))
    out[("", "events")].append(make_event(namespace, crash, "BackOff", f"Back-off restarting failed container {_APPS[0]} in pod {crash['metadata']['name']}_{namespace}({crash['metadata']['uid']})", "Warning", now - datetime.timedelta(seconds=40), count=12, field_path=f"spec.containers{{{_APPS[0]}}}"))
    return out


def make_nodes(count: int = 3) -> list[Obj]:
    now = _now()
    return [make_node(i, now) for i in range(1, count + 1)]


def iter_manifests(path: Path) -> Iterator[Obj]:
    """Every object in a YAML/JSON file or in the files of a folder (sorted, recursive); ``List`` kinds are unpacked."""
    files = sorted(p for p in path.rglob("*") if p.suffix in (".yaml", ".yml", ".json")) if path.is_dir() else [path]
    for file in files:
        with file.open() as fh:
            for doc in yaml.safe_load_all(fh):
                if not isinstance(doc, dict):
                    continue
                if doc.get("kind", "").endswith("List") and isinstance(doc.get("items"), list):
                    yield from (item for item in doc["items"] if isinstance(item, dict))
                else:
                    yield doc
