"""A tiny, synchronous stand-in for the deployment, replicaset and service-account token controllers and the kubelet.

No real controller runs in the emulator. So that ``kubectl create deployment``, ``set image``, ``scale``,
``rollout restart`` and ``rollout status`` behave as users expect, a write to a Deployment immediately
reconciles it: the ReplicaSet for its current pod template (named ``<deployment>-<pod-template-hash>``)
gets the desired replicas, older ReplicaSets are scaled to zero, and each ReplicaSet's pods are created
(Running and Ready, as if the kubelet had started them) or deleted to match. Everything happens before
the write's response is sent; there is no rolling, no readiness delay and no failure.

The token controller fills a ``kubernetes.io/service-account-token`` Secret that names its ServiceAccount
(annotation ``kubernetes.io/service-account.name``) with ``data.token`` (a JWT-shaped bearer token),
``ca.crt`` and ``namespace``, and records the account's uid, as kube-controller-manager does. The write's
own response does not carry them (the real controller acts after the write too); a later read does, and so
``kubectl describe secret`` prints the token in clear, as it does against a real cluster.
"""

from __future__ import annotations

import base64
import copy
import datetime
import hashlib
import json
import secrets
import string
import uuid
from typing import Any

from mcp_kubectl.emulator.patch import without_nulls
from mcp_kubectl.emulator.store import Store
from mcp_kubectl.emulator.validation import _pod_spec_defaults

Obj = dict[str, Any]
DEPLOYMENTS = ("apps", "deployments")
REPLICASETS = ("apps", "replicasets")
PODS = ("", "pods")
SECRETS = ("", "secrets")
SERVICE_ACCOUNTS = ("", "serviceaccounts")
STATEFULSETS = ("apps", "statefulsets")
DAEMONSETS = ("apps", "daemonsets")
CONTROLLER_REVISIONS = ("apps", "controllerrevisions")
REVISION = "deployment.kubernetes.io/revision"
SERVICE_ACCOUNT_TOKEN = "kubernetes.io/service-account-token"
SERVICE_ACCOUNT_NAME = "kubernetes.io/service-account.name"
SERVICE_ACCOUNT_UID = "kubernetes.io/service-account.uid"
_HASH_ALPHABET = "bcdfghjklmnpqrstvwxz2456789"
_NODES = ("emulator-node-1", "emulator-node-2", "emulator-node-3")


def pod_template_hash(template: Obj) -> str:
    """A stable, name-safe hash of a pod template (the real one is an FNV hash rendered the same way)."""
    digest = hashlib.sha256(json.dumps(without_nulls(template), sort_keys=True).encode()).digest()
    return "".join(_HASH_ALPHABET[b % len(_HASH_ALPHABET)] for b in digest[:10])


def _b64(text: str) -> str:
    return base64.b64encode(text.encode("utf-8")).decode("ascii")


def _service_account_jwt(namespace: str, account: str, uid: str) -> str:
    """A bearer token shaped like the legacy controller's (header.claims.signature); unique per Secret."""
    def part(value: Any) -> str:
        raw = value if isinstance(value, bytes) else json.dumps(value, separators=(",", ":")).encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    claims = {
        "iss": "kubernetes/serviceaccount",
        "kubernetes.io/serviceaccount/namespace": namespace,
        "kubernetes.io/serviceaccount/service-account.name": account,
        "kubernetes.io/serviceaccount/service-account.uid": uid,
        "sub": f"system:serviceaccount:{namespace}:{account}",
    }
    return ".".join((part({"alg": "RS256", "kid": "emulator"}), part(claims), part(secrets.token_bytes(64))))


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

    def __init__(self, store: Store, *, ca_pem: bytes = b"") -> None:
        self.store = store
        self.ca_pem = ca_pem  # the cluster CA the token controller hands out; set once certificates exist

    def after_write(self, storage: tuple[str, str], obj: Obj) -> None:
        """Called (under the store lock) after a committed write to any object."""
        if storage == DEPLOYMENTS:
            self.reconcile_deployment(obj)
        elif storage in (STATEFULSETS, DAEMONSETS):
            self.record_revision(obj)
        elif storage == REPLICASETS:
            self.reconcile_replicaset(obj)
        elif storage == SECRETS:
            self.fill_service_account_token(obj)
        elif storage == SERVICE_ACCOUNTS:  # Secrets created before their account get filled now
            for entry in self.store.list(SECRETS, obj["metadata"].get("namespace", "")):
                self.fill_service_account_token(entry.obj)

    def fill_service_account_token(self, secret: Obj) -> None:
        """Give a service-account-token Secret its token, CA and namespace once its account exists."""
        meta = secret["metadata"]
        account = (meta.get("annotations") or {}).get(SERVICE_ACCOUNT_NAME)
        data = secret.get("data") or {}
        if secret.get("type") != SERVICE_ACCOUNT_TOKEN or not account or data.get("token"):
            return
        namespace = meta.get("namespace", "")
        entry = self.store.get(SERVICE_ACCOUNTS, namespace, account)
        if entry is None:
            return  # the real controller waits for the account (and deletes the Secret if it never comes)
        filled = copy.deepcopy(secret)
        filled["metadata"].setdefault("annotations", {})[SERVICE_ACCOUNT_UID] = entry.obj["metadata"].get("uid", "")
        filled["data"] = {
            **data,
            "token": _b64(_service_account_jwt(namespace, account, entry.obj["metadata"].get("uid", ""))),
            "ca.crt": _b64(self.ca_pem.decode("ascii")),
            "namespace": _b64(namespace),
        }
        self.store.put(SECRETS, filled)

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
            if without_nulls(rs_template) == without_nulls(template) and rs_hash:
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
        if current is None and spec.get("paused"):
            return  # a paused Deployment rolls out no new template (scaling aside, which this stand-in skips)
        if current is not None:
            revision = current["metadata"].get("annotations", {}).get(REVISION, revision)
            newest = max(int(rs["metadata"].get("annotations", {}).get(REVISION, "0")) for rs in owned)
            if int(revision) < newest:  # an older template back (rollout undo): it becomes the newest revision
                revision = str(newest + 1)
                stored = self.store.get(REPLICASETS, namespace, name)  # as the scaling above left it
                renumbered = copy.deepcopy(stored.obj if stored is not None else current)
                renumbered["metadata"].setdefault("annotations", {})[REVISION] = revision
                self.store.put(REPLICASETS, renumbered)
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

    def record_revision(self, workload: Obj) -> None:
        """A StatefulSet's or DaemonSet's ControllerRevision for its current template, numbered as the
        real controllers number them; `kubectl rollout history` and `undo` read these."""
        meta = workload["metadata"]
        namespace, uid = meta.get("namespace", ""), meta.get("uid", "")
        template = copy.deepcopy((workload.get("spec") or {}).get("template") or {})
        data = {"spec": {"template": {**without_nulls(template), "$patch": "replace"}}}
        owned = [e.obj for e in self.store.list(CONTROLLER_REVISIONS, namespace) if _owned_by(e.obj, uid)]
        newest = max([int(r.get("revision", 0)) for r in owned] or [0])
        same = next((r for r in owned if without_nulls(r.get("data")) == data), None)
        if same is not None:
            if int(same.get("revision", 0)) < newest:  # an older template back (rollout undo): renumbered
                renumbered = copy.deepcopy(same)
                renumbered["revision"] = newest + 1
                self.store.put(CONTROLLER_REVISIONS, renumbered)
            return
        digest = pod_template_hash(data)
        self.store.put(CONTROLLER_REVISIONS, {
            "apiVersion": "apps/v1", "kind": "ControllerRevision",
            "metadata": {"name": f"{meta['name']}-{digest}", "namespace": namespace, "uid": str(uuid.uuid4()),
                         "creationTimestamp": _now(), "labels": dict(((workload.get("spec") or {}).get("selector") or {}).get("matchLabels") or {}),
                         "ownerReferences": [_owner_ref(workload)]},
            "data": data, "revision": newest + 1,
        }, "ADDED")

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
