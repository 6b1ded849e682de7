"""Write fixtures/printers/cases.json: the objects whose table cells the Go recorder prints.

The cases are the repository's object fixtures, the pod corner cases of tests/unit/shaping/test_summaries.py,
the emulator's seeded objects and a few kinds and branches nothing else covers. Run from the
repository root, then record the goldens with the real printers (needs Go and the module proxy);
fixtures/printers/README.md has the commands.
"""

from __future__ import annotations

import copy
import datetime
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from test_summaries import NOW, POD_CASES, pod

from mcp_kubectl.emulator import seeding

OBJECTS = ROOT / "fixtures" / "objects"
OUT = ROOT / "fixtures" / "printers" / "cases.json"
Obj = dict[str, Any]


def at(minutes_ago: float) -> str:
    return (NOW - datetime.timedelta(minutes=minutes_ago)).strftime("%Y-%m-%dT%H:%M:%SZ")


def meta(name: str, namespace: str | None = "default", minutes_ago: float = 90) -> Obj:
    out: Obj = {"name": name, "creationTimestamp": at(minutes_ago)}
    if namespace:
        out["namespace"] = namespace
    return out


def gated_pod() -> Obj:
    obj: Obj = {"apiVersion": "v1", **pod(statuses=[{"name": "c0", "ready": True, "restartCount": 0,
                                                      "state": {"running": {}}}],
                                        conditions=[{"type": "Ready", "status": "True"},
                                                    {"type": "example.com/lb", "status": "True"},
                                                    {"type": "example.com/dns", "status": "False"}])}
    obj["metadata"]["name"] = "gated"
    obj["spec"]["readinessGates"] = [{"conditionType": "example.com/lb"}, {"conditionType": "example.com/dns"}]
    obj["status"].update({"podIP": "10.0.3.7", "podIPs": [{"ip": "10.0.3.7"}, {"ip": "fd00::7"}],
                          "nominatedNodeName": "n2"})
    return obj


def extra_cases() -> list[tuple[str, Obj]]:
    """Kinds and branches the other fixtures leave out."""
    selector = {"matchLabels": {"app": "web", "tier": "front"},
                "matchExpressions": [{"key": "env", "operator": "In", "values": ["prod", "canary"]},
                                     {"key": "legacy", "operator": "DoesNotExist"}]}
    template = {"metadata": {"labels": {"app": "web"}},
                "spec": {"containers": [{"name": "web", "image": "nginx:1.27"},
                                        {"name": "log", "image": "fluent/fluent-bit:3.1"}]}}
    return [
        ("deployment with a set-based selector", {
            "apiVersion": "apps/v1", "kind": "Deployment", "metadata": meta("shop"),
            "spec": {"replicas": 4, "selector": selector, "template": template},
            "status": {"replicas": 4, "readyReplicas": 3, "updatedReplicas": 2, "availableReplicas": 3}}),
        ("replicaset scaled to zero", {
            "apiVersion": "apps/v1", "kind": "ReplicaSet", "metadata": meta("shop-5d8f"),
            "spec": {"replicas": 0, "selector": {"matchLabels": {"app": "web"}}, "template": template},
            "status": {"replicas": 0}}),
        ("job failed", {
            "apiVersion": "batch/v1", "kind": "Job", "metadata": meta("import"),
            "spec": {"completions": 3, "parallelism": 2, "template": template},
            "status": {"startTime": at(80), "failed": 4, "succeeded": 1,
                       "conditions": [{"type": "FailureTarget", "status": "True"}, {"type": "Failed", "status": "True"}]}}),
        ("job suspended", {
            "apiVersion": "batch/v1", "kind": "Job", "metadata": meta("nightly"),
            "spec": {"suspend": True, "template": template},
            "status": {"conditions": [{"type": "Suspended", "status": "True"}]}}),
        ("cronjob with a time zone, suspended", {
            "apiVersion": "batch/v1", "kind": "CronJob", "metadata": meta("report", minutes_ago=60 * 24 * 40),
            "spec": {"schedule": "30 6 * * 1-5", "timeZone": "Europe/Paris", "suspend": True,
                     "jobTemplate": {"spec": {"template": template}}},
            "status": {}}),
        ("service external name", {
            "apiVersion": "v1", "kind": "Service", "metadata": meta("db"),
            "spec": {"type": "ExternalName", "externalName": "db.example.com"}}),
        ("service load balancer with hostnames and external IPs", {
            "apiVersion": "v1", "kind": "Service", "metadata": meta("edge"),
            "spec": {"type": "LoadBalancer", "clusterIP": "10.0.0.9", "clusterIPs": ["10.0.0.9", "fd00::9"],
                     "externalIPs": ["192.0.2.9"], "selector": {"app": "edge", "tier": "front"},
                     "ports": [{"port": 443, "nodePort": 31443, "protocol": "TCP"}]},
            "status": {"loadBalancer": {"ingress": [{"hostname": "a1b2c3d4e5f6-1234567890.eu-west-1.elb.amazonaws.com"},
                                                    {"ip": "198.51.100.7"}, {"ip": "198.51.100.7"}]}}}),
        ("headless service", {
            "apiVersion": "v1", "kind": "Service", "metadata": meta("cache-headless"),
            "spec": {"type": "ClusterIP", "clusterIP": "None", "clusterIPs": ["None"],
                     "ports": [{"port": 6379, "protocol": "TCP"}], "selector": {"app": "cache"}}}),
        ("ingress with four hosts and TLS", {
            "apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": meta("public"),
            "spec": {"ingressClassName": "nginx", "tls": [{"hosts": ["a.example.com"]}],
                     "rules": [{"host": f"{h}.example.com"} for h in "abcd"]},
            "status": {"loadBalancer": {"ingress": [{"ip": "203.0.113.10"}, {"hostname": "lb.example.com"}]}}}),
        ("ingress without class or hosts", {
            "apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": meta("catch-all"),
            "spec": {"defaultBackend": {"service": {"name": "web", "port": {"number": 80}}}}}),
        ("endpoints, more than three", {
            "apiVersion": "v1", "kind": "Endpoints", "metadata": meta("web"),
            "subsets": [{"addresses": [{"ip": f"10.244.1.{i}"} for i in range(1, 4)],
                         "ports": [{"name": "http", "port": 8080, "protocol": "TCP"},
                                   {"name": "metrics", "port": 9090, "protocol": "TCP"}]}]}),
        ("endpoints, IPv6 and headless", {
            "apiVersion": "v1", "kind": "Endpoints", "metadata": meta("dual"),
            "subsets": [{"addresses": [{"ip": "fd00::12"}], "ports": [{"port": 53, "protocol": "UDP"}]},
                        {"addresses": [{"ip": "10.244.2.3"}]}]}),
        ("endpoints, none", {"apiVersion": "v1", "kind": "Endpoints", "metadata": meta("empty")}),
        ("node with a kubernetes.io/role label and addresses", {
            "apiVersion": "v1", "kind": "Node",
            "metadata": {**meta("ip-10-0-14-122.eu-west-1.compute.internal", None, 60 * 24 * 3),
                         "labels": {"kubernetes.io/role": "worker", "node-role.kubernetes.io/spot": ""}},
            "spec": {},
            "status": {"conditions": [{"type": "Ready", "status": "Unknown"}],
                       "addresses": [{"type": "InternalIP", "address": "10.0.14.122"},
                                     {"type": "ExternalIP", "address": "203.0.113.44"}],
                       "nodeInfo": {"kubeletVersion": "v1.37.2-eks-1a2b3c4", "osImage": "Amazon Linux 2023",
                                    "kernelVersion": "6.1.112-124.190.amzn2023.x86_64",
                                    "containerRuntimeVersion": "containerd://2.0.5"}}}),
        ("namespace terminating", {
            "apiVersion": "v1", "kind": "Namespace", "metadata": meta("old", None, 60 * 24 * 400),
            "status": {"phase": "Terminating"}}),
        ("service account", {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": meta("builder"),
                             "secrets": [{"name": "builder-token"}]}),
        ("configmap with binary data", {"apiVersion": "v1", "kind": "ConfigMap", "metadata": meta("blobs"),
                                        "data": {"a": "1"}, "binaryData": {"b": "AA=="}}),
        ("pvc with the beta storage class annotation, terminating", {
            "apiVersion": "v1", "kind": "PersistentVolumeClaim",
            "metadata": {**meta("legacy"), "deletionTimestamp": at(1),
                         "annotations": {"volume.beta.kubernetes.io/storage-class": "gp2"}},
            "spec": {"storageClassName": "gp3", "volumeName": "pv-legacy", "volumeMode": "Block",
                     "volumeAttributesClassName": "fast",
                     "accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "5Gi"}}},
            "status": {"phase": "Bound", "accessModes": ["ReadWriteMany", "ReadWriteOnce", "ReadWriteOnce"],
                       "capacity": {"storage": "8Gi"}}}),
        ("rolebinding with every subject kind", {
            "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding", "metadata": meta("readers"),
            "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "view"},
            "subjects": [{"kind": "User", "name": "alice", "apiGroup": "rbac.authorization.k8s.io"},
                         {"kind": "User", "name": "bob", "apiGroup": "rbac.authorization.k8s.io"},
                         {"kind": "Group", "name": "dev", "apiGroup": "rbac.authorization.k8s.io"},
                         {"kind": "ServiceAccount", "name": "ci", "namespace": "tools"}]}),
        ("clusterrolebinding", {
            "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding", "metadata": meta("admins", None),
            "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "cluster-admin"},
            "subjects": [{"kind": "Group", "name": "system:masters", "apiGroup": "rbac.authorization.k8s.io"}]}),
        ("event with a series and no first timestamp", {
            "apiVersion": "v1", "kind": "Event", "metadata": meta("probe.1"),
            "involvedObject": {"kind": "Pod", "name": "web-1", "namespace": "default"},
            "reason": "Unhealthy", "message": " Readiness probe failed: HTTP probe failed with statuscode: 503 \n",
            "type": "Warning", "eventTime": "2026-11-27T03:00:00.000000Z",
            "series": {"count": 42, "lastObservedTime": "2026-11-27T03:58:30.000000Z"},
            "reportingComponent": "kubelet", "reportingInstance": "node-a", "source": {}}),
        ("event about a cluster-scoped kind without a name", {
            "apiVersion": "v1", "kind": "Event", "metadata": meta("cluster.1"),
            "involvedObject": {"kind": "Node"}, "reason": "RegisteredNode", "message": "registered",
            "type": "Normal", "firstTimestamp": at(30), "lastTimestamp": at(20), "count": 3,
            "source": {"component": "node-controller"}}),
        ("pod with readiness gates, IPs and a nominated node", gated_pod()),
    ]


def all_cases() -> list[tuple[str, Obj]]:
    cases: list[tuple[str, Obj]] = []
    for path in sorted(OBJECTS.glob("*.json")):
        if path.name.startswith("crd-"):
            continue  # custom resources print from their CRD, not from printers.go
        obj = json.loads(path.read_text())
        if obj.get("kind", "").endswith("List"):
            for item in obj["items"]:
                cases.append((f"{path.stem}: {item['metadata']['name']}", {"apiVersion": obj["apiVersion"],
                                                                            "kind": obj["kind"][:-4], **item}))
        else:
            cases.append((path.stem, obj))
    for name, obj, _, _ in POD_CASES:
        cases.append((f"pod: {name}", {"apiVersion": "v1", **copy.deepcopy(obj)}))
    now = NOW.replace(tzinfo=datetime.UTC)
    for index in (0, 7, 13):  # running, crash looping, pending
        cases.append((f"seeded pod {index}", seeding.make_pod(f"seeded-{index}", "default", index, now=now,
                                                              created=now - datetime.timedelta(hours=5))))
    for node in (seeding.make_node(1, now), seeding.make_node(2, now)):
        cases.append((f"seeded node {node['metadata']['name']}", node))
    cases.extend(extra_cases())
    return cases


def main() -> None:
    cases = [{"name": name, "object": obj} for name, obj in all_cases()]
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps({"now": NOW.strftime("%Y-%m-%dT%H:%M:%SZ"), "cases": cases}, indent=1) + "\n")
    print(f"{len(cases)} cases -> {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
