"""A tiny, synchronous stand-in for the deployment and replicaset controllers and the kubelet.

No real controller runs in the emulator. So that ``kubectl create deployment``, ``set image``, ``scale``,
``rollout restart`` and ``rollout status`` behave as users expect, a write to a Deployment immediately
reconciles it: the ReplicaSet for its current pod template (named ``<deployment>-<pod-template-hash>``)
gets the desired replicas, older ReplicaSets are scaled to zero, and each ReplicaSet's pods are created
(Running and Ready, as if the kubelet had started them) or deleted to match. Everything happens before
the write's response is sent; there is no rolling, no readiness delay and no failure.
"""

from __future__ import annotations

import copy
import datetime
import hashlib
import json
import secrets
import string
import uuid
from typing import Any

from mcp_kubectl.emulator.store import Store
from mcp_kubectl.emulator.validation import _pod_spec_defaults

Obj = dict[str, Any]
DEPLOYMENTS = ("apps", "deployments")
REPLICASETS = ("apps", "replicasets")
PODS = ("", "pods")
_HASH_ALPHABET = "bcdfghjklmnpqrstvwxz2456789"
_NODES = ("emulator-node-1", "emulator-node-2", "emulator-node-3")


def pod_template_hash(template: Obj) -> str:
    """A stable, name-safe hash of a pod template (the real one is an FNV hash rendered the same way)."""
    digest = hashlib.sha256(json.dumps(_without_nulls(template), sort_keys=True).encode()).digest()
    return "".join(_HASH_ALPHABET[b % len(_HASH_ALPHABET)] for b in digest[:10])


def _without_nulls(value: Any) -> Any:
    """Templates compare equal whether or not a client sent ``creationTimestamp: null``."""
    if isinstance(value, dict):
        return {k: _without_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_without_nulls(v) for v in value]
    return value


def _now() -> str:
    return datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _owner_ref(owner: Obj) -> Obj:
    return {"apiVersion": owner["apiVersion"], "kind": owner["kind"], "name": owner["metadata"]["name"],
            "uid": owner["metadata"]["uid"], "controller": True, "blockOwnerDeletion": True}


def _owned_by(obj: Obj, owner_uid: str) -> bool:
    return any(ref.get("uid") == owner_uid and ref.get("controller") for ref in obj["metadata"].get("ownerReferences") or ())


def _running_pod(replicaset: Obj, index_hint: int, now: str) -> Obj:
    meta = replicaset["metadata"]
    template = copy.deepcopy(replicaset["spec"].get("template") or {})
    suffix = "".join(secrets.choice(string.ascii_lowercase + string.digits) for _ in range(5))
    name = f"{meta['name']}-{suffix}"
    spec = template.get("spec") or {}
    _pod_spec_defaults(spec)
    spec.setdefault("serviceAccountName", "default")
    node = _NODES[index_hint % len(_NODES)]
    spec["nodeName"] = node
    digest = hashlib.sha256(f"{meta.get('namespace')}/{name}".encode()).digest()
    pod_ip = f"10.244.{digest[0] % 250}.{digest[1] % 250 + 2}"
    statuses = []
    for container in spec.get("containers") or []:
        image = container.get("image", "")
        statuses.append({
            "name": container.get("name", ""), "ready": True, "started": True, "restartCount": 0,
            "image": image, "imageID": f"{image.split(':')[0]}@sha256:{hashlib.sha256(image.encode()).hexdigest()}",
            "containerID": f"containerd://{hashlib.sha256((name + container.get('name', '')).encode()).hexdigest()}",
            "state": {"running": {"startedAt": now}}, "lastState": {},
        })
    has_resources = any((c.get("resources") or {}).get("requests") or (c.get("resources") or {}).get("limits")
                        for c in spec.get("containers") or [])
    return {
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": name, "generateName": f"{meta['name']}-", "namespace": meta.get("namespace", ""),
                     "uid": str(uuid.uuid4()), "creationTimestamp": now,
                     "labels": dict((template.get("metadata") or {}).get("labels") or {}),
                     "ownerReferences": [_owner_ref(replicaset)]},
        "spec": spec,
        "status": {
            "phase": "Running",
            "conditions": [{"type": t, "status": "True", "lastProbeTime": None, "lastTransitionTime": now}
                           for t in ("PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled")],
            "hostIP": f"192.168.49.{_NODES.index(node) + 2}", "hostIPs": [{"ip": f"192.168.49.{_NODES.index(node) + 2}"}],
            "podIP": pod_ip, "podIPs": [{"ip": pod_ip}], "startTime": now,
            "containerStatuses": statuses, "qosClass": "Burstable" if has_resources else "BestEffort",
        },
    }


class Controllers:
    """Reconciles Deployments → ReplicaSets → Pods in the store, synchronously."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def after_write(self, storage: tuple[str, str], obj: Obj) -> None:
        """Called (under the store lock) after a committed write to any object."""
        if storage == DEPLOYMENTS:
            self.reconcile_deployment(obj)
        elif storage == REPLICASETS:
            self.reconcile_replicaset(obj)

    def reconcile_deployment(self, deployment: Obj) -> None:
        meta, spec = deployment["metadata"], deployment.get("spec") or {}
        namespace, uid = meta.get("namespace", ""), meta.get("uid", "")
        template = spec.get("template") or {}
        replicas = int(spec.get("replicas", 1) or 0)
        now = _now()
        owned = [e.obj for e in self.store.list(REPLICASETS, namespace) if _owned_by(e.obj, uid)]
        current_hash = None
        for rs in owned:  # an existing ReplicaSet whose template equals ours (hash label aside) is current
            rs_template = copy.deepcopy((rs.get("spec") or {}).get("template") or {})
            labels = (rs_template.get("metadata") or {}).get("labels") or {}
            rs_hash = labels.pop("pod-template-hash", None)
            if _without_nulls(rs_template) == _without_nulls(template) and rs_hash:
                current_hash = rs_hash
        template_hash = current_hash or pod_template_hash(template)
        name = f"{meta['name']}-{template_hash}"
        revision = str(1 + max([int(rs["metadata"].get("annotations", {}).get("deployment.kubernetes.io/revision", "0"))
                                for rs in owned] or [0]))
        for rs in owned:
            desired = replicas if rs["metadata"]["name"] == name else 0
            if (rs.get("spec") or {}).get("replicas") != desired:
                updated = copy.deepcopy(rs)
                updated["spec"]["replicas"] = desired
                self._store_replicaset(updated)
        current = next((rs for rs in owned if rs["metadata"]["name"] == name), None)
        if current is not None:
            revision = current["metadata"].get("annotations", {}).get("deployment.kubernetes.io/revision", revision)
        if (meta.get("annotations") or {}).get("deployment.kubernetes.io/revision") != revision:
            annotated = copy.deepcopy(deployment)
            annotated["metadata"].setdefault("annotations", {})["deployment.kubernetes.io/revision"] = revision
            self.store.put(DEPLOYMENTS, annotated)
        if current is None:
            rs_template = copy.deepcopy(template)
            rs_template.setdefault("metadata", {}).setdefault("labels", {})["pod-template-hash"] = template_hash
            selector = copy.deepcopy(spec.get("selector") or {})
            selector.setdefault("matchLabels", {})["pod-template-hash"] = template_hash
            self._store_replicaset({
                "apiVersion": "apps/v1", "kind": "ReplicaSet",
                "metadata": {"name": name, "namespace": namespace, "uid": str(uuid.uuid4()), "generation": 1,
                             "creationTimestamp": now,
                             "labels": dict(rs_template["metadata"]["labels"]),
                             "annotations": {"deployment.kubernetes.io/desired-replicas": str(replicas),
                                             "deployment.kubernetes.io/max-replicas": str(replicas + 1),
                                             "deployment.kubernetes.io/revision": revision},
                             "ownerReferences": [_owner_ref(deployment)]},
                "spec": {"replicas": replicas, "selector": selector, "template": rs_template},
            })

    def _store_replicaset(self, replicaset: Obj) -> None:
        self.reconcile_replicaset(replicaset, store_first=True)

    def reconcile_replicaset(self, replicaset: Obj, store_first: bool = False) -> None:
        meta = replicaset["metadata"]
        namespace, uid = meta.get("namespace", ""), meta.get("uid", "")
        desired = int((replicaset.get("spec") or {}).get("replicas", 1) or 0)
        now = _now()
        pods = [e.obj for e in self.store.list(PODS, namespace) if _owned_by(e.obj, uid)]
        for extra in pods[desired:]:
            self.store.delete(PODS, namespace, extra["metadata"]["name"])
        for i in range(len(pods), desired):
            self.store.put(PODS, _running_pod(replicaset, i, now), "ADDED")
        count = min(len(pods), desired) + max(0, desired - len(pods))
        status = {"replicas": count, "fullyLabeledReplicas": count, "readyReplicas": count, "availableReplicas": count,
                  "observedGeneration": meta.get("generation", 1)}
        if count == 0:
            status = {"replicas": 0, "observedGeneration": meta.get("generation", 1)}
        if store_first or replicaset.get("status") != status:
            updated = copy.deepcopy(replicaset)
            updated["status"] = status
            self.store.put(REPLICASETS, updated, "ADDED" if store_first and self.store.get(REPLICASETS, namespace, meta["name"]) is None else "MODIFIED")
