"""Reads through kubectl: get (JSON and server-side tables), selectors, pagination, describe, events."""

from __future__ import annotations

import json
import re
from collections.abc import Callable

import pytest

from mcp_kubectl.emulator import Emulator
from tests.emulator.conftest import Kubectl


@pytest.fixture(scope="module")
def bulk_namespace(emulator: Emulator) -> str:
    """1,200 configmaps for pagination."""
    for i in range(1200):
        emulator.put_object({"apiVersion": "v1", "kind": "ConfigMap",
                             "metadata": {"name": f"cm-{i:04d}", "namespace": "bulk", "labels": {"batch": str(i % 3)}},
                             "data": {"index": str(i)}})
    return "bulk"


def names(items: list[dict]) -> list[str]:
    return [item["metadata"]["name"] for item in items]


def test_get_json_in_a_namespace(kubectl: Kubectl) -> None:
    listing = kubectl.run("get", "pods", "-n", "shop", "-o", "json").json()
    assert listing["kind"] == "List"  # kubectl wraps what it reads in a v1 List
    # the fixture's pod, and the two the 'web' deployment's ReplicaSet runs
    assert [n.rsplit("-", 2)[0] if n.startswith("web-") else n for n in names(listing["items"])] == ["web", "web", "worker-crashloop"]
    raw = json.loads(kubectl.ok("get", "--raw", "/api/v1/namespaces/shop/pods").stdout)
    assert raw["kind"] == "PodList" and raw["apiVersion"] == "v1"
    assert int(raw["metadata"]["resourceVersion"]) > 0


def test_get_all_namespaces(kubectl: Kubectl) -> None:
    listing = kubectl.run("get", "pods", "-A", "-o", "json").json()
    namespaces = {item["metadata"]["namespace"] for item in listing["items"]}
    assert namespaces == {"default", "shop"}
    keys = [(i["metadata"]["namespace"], i["metadata"]["name"]) for i in listing["items"]]
    assert keys == sorted(keys)  # etcd key order


def test_get_single_object_json(kubectl: Kubectl) -> None:
    deployment = kubectl.run("get", "deployment", "web", "-n", "shop", "-o", "json").json()
    assert deployment["kind"] == "Deployment" and deployment["apiVersion"] == "apps/v1"
    assert [c["name"] for c in deployment["spec"]["template"]["spec"]["containers"]] == ["nginx", "log-shipper"]


@pytest.mark.parametrize(
    ("selector", "expected"),
    [
        ("app=checkout", {"checkout"}),
        ("app==checkout", {"checkout"}),
        ("app!=checkout", {"payments", "catalog"}),
        ("app in (payments,catalog)", {"payments", "catalog"}),
        ("app notin (payments,catalog)", {"checkout"}),
        ("pod-template-hash", {"checkout", "payments", "catalog"}),
        ("!pod-template-hash", set()),
        ("app=checkout,tier=backend", {"checkout"}),
    ],
)
def test_label_selector_grammar(kubectl_pinned: Kubectl, selector: str, expected: set[str]) -> None:
    listing = kubectl_pinned.run("get", "pods", "-n", "default", "-l", selector, "-o", "json").json()
    assert {item["metadata"]["labels"]["app"] for item in listing["items"]} == expected


@pytest.mark.parametrize(
    ("selector", "check"),
    [
        ("status.phase=Pending", lambda p: p["status"]["phase"] == "Pending"),
        ("status.phase!=Running", lambda p: p["status"]["phase"] != "Running"),
        ("spec.nodeName=emulator-node-2", lambda p: p["spec"].get("nodeName") == "emulator-node-2"),
        ("metadata.name=checkout-worker-crashloop", lambda p: p["metadata"]["name"] == "checkout-worker-crashloop"),
        ("metadata.namespace=default,status.phase=Running", lambda p: p["status"]["phase"] == "Running"),
    ],
)
def test_field_selectors(kubectl_pinned: Kubectl, selector: str, check: Callable[[dict], bool]) -> None:
    listing = kubectl_pinned.run("get", "pods", "-n", "default", "--field-selector", selector, "-o", "json").json()
    everything = kubectl_pinned.run("get", "pods", "-n", "default", "-o", "json").json()["items"]
    assert listing["items"], selector
    assert names(listing["items"]) == [p["metadata"]["name"] for p in everything if check(p)]


def test_bad_label_selector_is_a_bad_request(kubectl: Kubectl) -> None:
    result = kubectl.run("get", "pods", "-l", "app in (x")
    assert result.returncode == 1
    assert result.stderr.strip() == (
        'Error from server (BadRequest): Unable to find "/v1, Resource=pods" that match label selector "app in (x", '
        "field selector \"\": unable to parse requirement: found '', expected: ',' or ')'"
    )


def test_unsupported_field_selector_is_a_bad_request(kubectl: Kubectl) -> None:
    result = kubectl.run("get", "pods", "--field-selector", "status.hostIP=1.2.3.4")
    assert result.returncode == 1
    assert result.stderr.strip() == (
        'Error from server (BadRequest): Unable to find "/v1, Resource=pods" that match label selector "", '
        'field selector "status.hostIP=1.2.3.4": field label not supported: status.hostIP'
    )


def test_not_found_text(kubectl: Kubectl) -> None:
    result = kubectl.run("get", "configmap", "nope")
    assert (result.returncode, result.stderr.strip()) == (1, 'Error from server (NotFound): configmaps "nope" not found')
    result = kubectl.run("get", "deployment", "nope")
    assert result.stderr.strip() == 'Error from server (NotFound): deployments.apps "nope" not found'


def test_pod_table_like_a_real_cluster(kubectl: Kubectl) -> None:
    lines = kubectl.ok("get", "pods", "-n", "shop").stdout.splitlines()
    assert lines[0].split() == ["NAME", "READY", "STATUS", "RESTARTS", "AGE"]
    assert re.fullmatch(r"web-[a-z0-9]{10}-[a-z0-9]{5}\s+2/2\s+Running\s+0\s+\d+s", lines[1]), lines[1]
    assert re.fullmatch(r"worker-crashloop\s+0/1\s+CrashLoopBackOff\s+7 \(\d+d ago\)\s+\S+", lines[3]), lines[3]
    wide = kubectl.ok("get", "pods", "-n", "shop", "-o", "wide").stdout.splitlines()
    assert wide[0].split() == ["NAME", "READY", "STATUS", "RESTARTS", "AGE", "IP", "NODE", "NOMINATED", "NODE", "READINESS", "GATES"]
    assert "10.244.1.17" in wide[3] and "emulator-node-1" in wide[3]


def test_seeded_pod_states_in_the_table(kubectl: Kubectl) -> None:
    table = kubectl.ok("get", "pods").stdout
    assert re.search(r"^checkout-worker-crashloop\s+1/2\s+CrashLoopBackOff\s+5 \(2m\d*s? ago\)", table, re.M), table
    assert re.search(r"\s0/2\s+Pending\s+0\s", table)
    assert re.search(r"\s2/2\s+Running\s+0\s", table)


def test_tables_for_common_kinds(kubectl: Kubectl) -> None:
    output = kubectl.ok("get", "deployments,services,configmaps,secrets", "-n", "shop").stdout
    assert re.search(r"^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE$", output, re.M)
    assert re.search(r"^deployment.apps/web\s+2/2\s+2\s+2\s+\S+$", output, re.M)
    assert re.search(r"^NAME\s+TYPE\s+CLUSTER-IP\s+EXTERNAL-IP\s+PORT\(S\)\s+AGE$", output, re.M)
    assert re.search(r"^service/web\s+ClusterIP\s+10\.96\.\d+\.\d+\s+<none>\s+80/TCP\s+\S+$", output, re.M)
    assert re.search(r"^configmap/web-config\s+2\s+\S+$", output, re.M)
    assert re.search(r"^secret/web-tls\s+Opaque\s+2\s+\S+$", output, re.M)
    nodes = kubectl.ok("get", "nodes").stdout.splitlines()
    assert nodes[0].split() == ["NAME", "STATUS", "ROLES", "AGE", "VERSION"]
    assert re.fullmatch(r"emulator-node-1\s+Ready\s+control-plane\s+12d\s+v1\.32\.4", nodes[1])


def test_events_list_like_any_resource(kubectl: Kubectl) -> None:
    lines = kubectl.ok("get", "events", "-n", "shop").stdout.splitlines()
    assert lines[0].split() == ["LAST", "SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"]
    assert any(re.search(r"Warning\s+BackOff\s+pod/worker-crashloop\s+Back-off restarting", line) for line in lines)
    warnings = kubectl.run("get", "events", "-A", "--field-selector", "type=Warning", "-o", "json").json()["items"]
    assert warnings and {e["type"] for e in warnings} == {"Warning"}
    about = kubectl.run("get", "events", "-n", "shop", "--field-selector",
                        "involvedObject.kind=Deployment,involvedObject.name=web", "-o", "json").json()["items"]
    assert [e["reason"] for e in about] == ["ScalingReplicaSet"]
    new_api = kubectl.run("get", "events.v1.events.k8s.io", "-n", "shop", "-o", "json").json()["items"]
    backoff = next(e for e in new_api if e["reason"] == "BackOff")
    assert backoff["apiVersion"] == "events.k8s.io/v1" and backoff["regarding"]["name"] == "worker-crashloop"
    assert backoff["note"].startswith("Back-off restarting")


def test_describe_pod_shows_state_and_events(kubectl: Kubectl) -> None:
    output = kubectl.ok("describe", "pod", "worker-crashloop", "-n", "shop").stdout
    assert re.search(r"^Name:\s+worker-crashloop$", output, re.M)
    assert re.search(r"State:\s+Waiting\n\s+Reason:\s+CrashLoopBackOff", output)
    assert re.search(r"Restart Count:\s+7", output)
    assert re.search(r"Warning\s+BackOff\s+\S+ \(x14 over \S+\)\s+kubelet\s+.*Back-off restarting failed container worker", output)


def test_describe_deployment(kubectl: Kubectl) -> None:
    output = kubectl.ok("describe", "deployment", "web", "-n", "shop").stdout
    assert re.search(r"^Replicas:\s+2 desired \| 2 updated \| 2 total \| 2 available \| 0 unavailable$", output, re.M)
    assert "nginx:1.27" in output and "fluent/fluent-bit:3.1" in output


def test_chunked_list_over_1200_objects(kubectl: Kubectl, bulk_namespace: str) -> None:
    emulator = kubectl.emulator
    emulator.clear_requests()
    result = kubectl.ok("get", "configmaps", "-n", bulk_namespace, "--chunk-size=100", "-o", "name")
    assert result.stdout.splitlines() == [f"configmap/cm-{i:04d}" for i in range(1200)]
    pages = [r for r in emulator.requests if r.path == f"/api/v1/namespaces/{bulk_namespace}/configmaps"]
    assert len(pages) == 12
    assert all(r.query.get("limit") == "100" for r in pages)
    assert sum(1 for r in pages if r.query.get("continue")) == 11


def test_raw_pagination_with_continue_and_remaining_count(kubectl: Kubectl, bulk_namespace: str) -> None:
    path = f"/api/v1/namespaces/{bulk_namespace}/configmaps"
    first = json.loads(kubectl.ok("get", "--raw", f"{path}?limit=100").stdout)
    assert first["kind"] == "ConfigMapList"
    assert len(first["items"]) == 100
    assert first["metadata"]["remainingItemCount"] == 1100
    token = first["metadata"]["continue"]
    second = json.loads(kubectl.ok("get", "--raw", f"{path}?limit=100&continue={token}").stdout)
    assert second["items"][0]["metadata"]["name"] == "cm-0100"
    assert second["metadata"]["remainingItemCount"] == 1000
    last = json.loads(kubectl.ok("get", "--raw", f"{path}?limit=1000&continue={second['metadata']['continue']}").stdout)
    assert len(last["items"]) == 1000 and "continue" not in last["metadata"]
    selected = json.loads(kubectl.ok("get", "--raw", f"{path}?limit=100&labelSelector=batch%3D1").stdout)
    assert len(selected["items"]) == 100 and "remainingItemCount" not in selected["metadata"]
    bad = kubectl.run("get", "--raw", f"{path}?limit=10&continue=not-a-token")
    assert bad.returncode == 1 and "BadRequest" in bad.stderr


def test_watch_streams_changes(kubectl_pinned: Kubectl, namespace: str) -> None:
    """`kubectl get -w` lists, then watches; a change made meanwhile arrives as an event."""
    import subprocess
    import threading
    import time

    emulator = kubectl_pinned.emulator
    argv = [str(kubectl_pinned.binary), "--kubeconfig", str(emulator.kubeconfig), "--cache-dir", str(kubectl_pinned.cache_dir),
            "get", "configmaps", "-n", namespace, "-w", "-o", "name", "--request-timeout=2s"]
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def create_later() -> None:
        time.sleep(0.7)
        emulator.put_object({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "watched", "namespace": namespace}})

    thread = threading.Thread(target=create_later)
    thread.start()
    out, _ = proc.communicate(timeout=30)
    thread.join()
    assert "configmap/watched" in out.splitlines()


def test_more_server_side_tables(kubectl_pinned: Kubectl, namespace: str) -> None:
    kubectl_pinned.ok("create", "role", "reader", "--verb=get", "--resource=pods", "-n", namespace)
    kubectl_pinned.ok("create", "rolebinding", "bob-reads", "--role=reader", "--user=bob", "-n", namespace)
    output = kubectl_pinned.ok("get", "rolebindings,roles", "-n", namespace).stdout
    assert re.search(r"^NAME\s+ROLE\s+AGE$", output, re.M) and re.search(r"^NAME\s+CREATED AT$", output, re.M)
    assert re.search(r"^rolebinding.rbac.authorization.k8s.io/bob-reads\s+Role/reader\s+\d+s$", output, re.M), output
