"""Broken sample workloads, one per way a workload commonly fails, for the demo, diagnosis tests and benchmark.

Each comes with the objects a real cluster would hold at that moment (owner chain, pod
statuses, Warning events, the crashed container's previous log), so that a model with
only the basic tools has to find the same evidence `diagnose_resource` gathers.
"""

from __future__ import annotations

import datetime
from typing import Any

from mcp_kubectl.emulator.seeding import _hash, _uid, make_event, ts

Obj = dict[str, Any]

# name -> what is wrong with it (the finding diagnosis must report first).
BROKEN = {
    "api": "CrashLoopBackOff",
    "web": "ImagePullBackOff",
    "report": "Unschedulable",
    "cache": "ReadinessProbeFailed",
    "orders": "NoEndpoints",
}
CRASH_LOG = ["starting api v2.3.1", "loading configuration from environment", "panic: DB_URL not set"]


def _deployment(namespace: str, app: str, image: str, created: datetime.datetime, ready: int, probe: bool = False) -> Obj:
    container: Obj = {"name": app, "image": image, "ports": [{"containerPort": 8080, "protocol": "TCP"}],
                      "resources": {"requests": {"cpu": "100m", "memory": "128Mi"}}}
    if probe:
        container["readinessProbe"] = {"httpGet": {"path": "/healthz", "port": 8080}, "periodSeconds": 10, "failureThreshold": 3}
    available = ready >= 1
    return {
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": app, "namespace": namespace, "uid": _uid(f"deploy/{namespace}/{app}"), "generation": 1,
                     "creationTimestamp": ts(created), "labels": {"app": app},
                     "annotations": {"deployment.kubernetes.io/revision": "1"}},
        "spec": {"replicas": 1, "selector": {"matchLabels": {"app": app}},
                 "template": {"metadata": {"labels": {"app": app}}, "spec": {"containers": [container]}},
                 "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": "25%", "maxSurge": "25%"}},
                 "revisionHistoryLimit": 10, "progressDeadlineSeconds": 600},
        "status": {"observedGeneration": 1, "replicas": 1, "updatedReplicas": 1, "readyReplicas": ready,
                   "availableReplicas": ready, **({} if available else {"unavailableReplicas": 1}),
                   "conditions": [
                       {"type": "Available", "status": "True" if available else "False", "lastUpdateTime": ts(created),
                        "lastTransitionTime": ts(created),
                        "reason": "MinimumReplicasAvailable" if available else "MinimumReplicasUnavailable",
                        "message": "Deployment has minimum availability." if available else "Deployment does not have minimum availability."},
                       {"type": "Progressing", "status": "True", "lastUpdateTime": ts(created), "lastTransitionTime": ts(created),
                        "reason": "ReplicaSetUpdated", "message": f'ReplicaSet "{app}-{_hash(app, 10)}" is progressing.'}]},
    }


def _replicaset(deployment: Obj, ready: int) -> Obj:
    app = deployment["metadata"]["name"]
    namespace = deployment["metadata"]["namespace"]
    template_hash = _hash(app, 10)
    name = f"{app}-{template_hash}"
    template = {"metadata": {"labels": {"app": app, "pod-template-hash": template_hash}},
                "spec": deployment["spec"]["template"]["spec"]}
    return {
        "apiVersion": "apps/v1", "kind": "ReplicaSet",
        "metadata": {"name": name, "namespace": namespace, "uid": _uid(f"rs/{namespace}/{name}"), "generation": 1,
                     "creationTimestamp": deployment["metadata"]["creationTimestamp"],
                     "labels": {"app": app, "pod-template-hash": template_hash},
                     "annotations": {"deployment.kubernetes.io/revision": "1", "deployment.kubernetes.io/desired-replicas": "1"},
                     "ownerReferences": [{"apiVersion": "apps/v1", "kind": "Deployment", "name": app,
                                          "uid": deployment["metadata"]["uid"], "controller": True, "blockOwnerDeletion": True}]},
        "spec": {"replicas": 1, "selector": {"matchLabels": {"app": app, "pod-template-hash": template_hash}}, "template": template},
        "status": {"replicas": 1, "fullyLabeledReplicas": 1, "readyReplicas": ready, "availableReplicas": ready, "observedGeneration": 1},
    }


def _pod(replicaset: Obj | None, namespace: str, app: str, created: datetime.datetime, container_status: Obj | None,
         *, image: str, scheduled: bool = True, unschedulable: str = "", probe: bool = False) -> Obj:
    if replicaset is not None:
        name = f"{replicaset['metadata']['name']}-{_hash(namespace + app, 5)}"
        labels = dict(replicaset["spec"]["template"]["metadata"]["labels"])
        owners = [{"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": replicaset["metadata"]["name"],
                   "uid": replicaset["metadata"]["uid"], "controller": True, "blockOwnerDeletion": True}]
    else:
        name, labels, owners = app, {"app": app}, []
    container: Obj = {"name": app, "image": image, "resources": {"requests": {"cpu": "100m", "memory": "128Mi"}}}
    if unschedulable:
        container["resources"] = {"requests": {"cpu": "100m", "memory": "64Gi"}}
    if probe:
        container["readinessProbe"] = {"httpGet": {"path": "/healthz", "port": 8080}, "periodSeconds": 10, "failureThreshold": 3}
    meta: Obj = {"name": name, "namespace": namespace, "uid": _uid(f"pod/{namespace}/{name}"),
                 "creationTimestamp": ts(created), "labels": labels}
    if owners:
        meta["ownerReferences"] = owners
    spec: Obj = {"containers": [container], "restartPolicy": "Always", "schedulerName": "default-scheduler",
                 "serviceAccountName": "default", "terminationGracePeriodSeconds": 30, "dnsPolicy": "ClusterFirst"}
    if not scheduled:
        status: Obj = {"phase": "Pending", "qosClass": "Burstable", "conditions": [
            {"type": "PodScheduled", "status": "False", "lastProbeTime": None, "lastTransitionTime": ts(created),
             "reason": "Unschedulable", "message": unschedulable}]}
        return {"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": spec, "status": status}
    spec["nodeName"] = "emulator-node-2"
    ready = "True" if (container_status or {}).get("ready") else "False"
    status = {
        "phase": "Running" if (container_status or {}).get("state", {}).get("running") or (container_status or {}).get("lastState") else "Pending",
        "conditions": [
            {"type": "Initialized", "status": "True", "lastProbeTime": None, "lastTransitionTime": ts(created)},
            {"type": "Ready", "status": ready, "lastProbeTime": None, "lastTransitionTime": ts(created),
             **({} if ready == "True" else {"reason": "ContainersNotReady", "message": f"containers with unready status: [{app}]"})},
            {"type": "ContainersReady", "status": ready, "lastProbeTime": None, "lastTransitionTime": ts(created)},
            {"type": "PodScheduled", "status": "True", "lastProbeTime": None, "lastTransitionTime": ts(created)},
        ],
        "hostIP": "192.168.49.3", "podIP": f"10.244.9.{len(app) + 10}", "startTime": ts(created),
        "containerStatuses": [{"name": app, "image": image, "imageID": "", "started": False, "ready": False,
                               "restartCount": 0, "lastState": {}, **(container_status or {})}],
        "qosClass": "Burstable",
    }
    return {"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": spec, "status": status}


def make_broken_workloads(namespace: str, now: datetime.datetime | None = None) -> tuple[dict[tuple[str, str], list[Obj]], dict[tuple[str, str], list[str]]]:
    """The broken samples, grouped by storage key, and the previous-instance log lines per (pod, container)."""
    now = now or datetime.datetime.now(datetime.UTC).replace(microsecond=0)
    created = now - datetime.timedelta(hours=1)
    out: dict[tuple[str, str], list[Obj]] = {}
    logs: dict[tuple[str, str], list[str]] = {}

    def add(storage: tuple[str, str], *objects: Obj) -> None:
        out.setdefault(storage, []).extend(objects)

    # 1. api: the container exits 1 three seconds after it starts, over and over.
    api = _deployment(namespace, "api", "registry.example.com/api:2.3.1", created, ready=0)
    api_rs = _replicaset(api, ready=0)
    died = now - datetime.timedelta(seconds=50)
    api_pod = _pod(api_rs, namespace, "api", created, {
        "restartCount": 14,
        "state": {"waiting": {"reason": "CrashLoopBackOff", "message": "back-off 5m0s restarting failed container=api"}},
        "lastState": {"terminated": {"exitCode": 1, "reason": "Error", "startedAt": ts(died - datetime.timedelta(seconds=3)),
                                     "finishedAt": ts(died)}},
    }, image="registry.example.com/api:2.3.1")
    logs[(api_pod["metadata"]["name"], "api")] = CRASH_LOG
    add(("apps", "deployments"), api)
    add(("apps", "replicasets"), api_rs)
    add(("", "pods"), api_pod)
    add(("", "events"), make_event(namespace, api_pod, "BackOff", f"Back-off restarting failed container api in pod {api_pod['metadata']['name']}_{namespace}",
                                   "Warning", now - datetime.timedelta(seconds=30), count=14, field_path="spec.containers{api}"))

    # 2. web: an image tag that does not exist.
    bad_image = "registry.example.com/web:9.9.9"
    web = _deployment(namespace, "web", bad_image, created, ready=0)
    web_rs = _replicaset(web, ready=0)
    web_pod = _pod(web_rs, namespace, "web", created, {
        "state": {"waiting": {"reason": "ImagePullBackOff", "message": f'Back-off pulling image "{bad_image}"'}},
    }, image=bad_image)
    add(("apps", "deployments"), web)
    add(("apps", "replicasets"), web_rs)
    add(("", "pods"), web_pod)
    add(("", "events"), make_event(namespace, web_pod, "Failed",
                                   f'Failed to pull image "{bad_image}": rpc error: code = NotFound desc = failed to pull and unpack image "{bad_image}": not found',
                                   "Warning", now - datetime.timedelta(seconds=70), count=6, field_path="spec.containers{web}"))

    # 3. report: asks for more memory than any node has.
    message = "0/3 nodes are available: 3 Insufficient memory. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod."
    report = _pod(None, namespace, "report", created, None, image="registry.example.com/report:1.0.0", scheduled=False, unschedulable=message)
    add(("", "pods"), report)
    add(("", "events"), make_event(namespace, report, "FailedScheduling", message, "Warning", now - datetime.timedelta(minutes=2),
                                   count=9, component="default-scheduler"))

    # 4. cache: running, but its readiness probe answers 503.
    cache = _deployment(namespace, "cache", "registry.example.com/cache:7.2", created, ready=0, probe=True)
    cache_rs = _replicaset(cache, ready=0)
    cache_pod = _pod(cache_rs, namespace, "cache", created, {
        "started": True, "state": {"running": {"startedAt": ts(created)}},
    }, image="registry.example.com/cache:7.2", probe=True)
    add(("apps", "deployments"), cache)
    add(("apps", "replicasets"), cache_rs)
    add(("", "pods"), cache_pod)
    add(("", "events"), make_event(namespace, cache_pod, "Unhealthy", "Readiness probe failed: HTTP probe failed with statuscode: 503",
                                   "Warning", now - datetime.timedelta(seconds=20), count=240, field_path="spec.containers{cache}"))

    # 5. orders: a Service whose selector matches no pod (a typo: app=order).
    add(("", "services"), {
        "apiVersion": "v1", "kind": "Service",
        "metadata": {"name": "orders", "namespace": namespace, "uid": _uid(f"svc/{namespace}/orders"), "creationTimestamp": ts(created),
                     "labels": {"app": "orders"}},
        "spec": {"type": "ClusterIP", "selector": {"app": "order"}, "ports": [{"name": "http", "port": 80, "targetPort": 8080, "protocol": "TCP"}],
                 "clusterIP": "10.96.77.7", "clusterIPs": ["10.96.77.7"], "sessionAffinity": "None",
                 "ipFamilies": ["IPv4"], "ipFamilyPolicy": "SingleStack", "internalTrafficPolicy": "Cluster"},
        "status": {"loadBalancer": {}},
    })
    add(("", "endpoints"), {
        "apiVersion": "v1", "kind": "Endpoints",
        "metadata": {"name": "orders", "namespace": namespace, "uid": _uid(f"ep/{namespace}/orders"), "creationTimestamp": ts(created),
                     "labels": {"app": "orders"}},
    })
    return out, logs
