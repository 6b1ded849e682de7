"""summaries: one compact line of facts per object, as kubectl's printers compute them."""

from __future__ import annotations

import copy
import json
import random
import string
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from mcp_kubectl.shaping.printers import PRINTERS, summary_key
from mcp_kubectl.shaping.summaries import render_table, summarize, summary_columns, summary_table

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures" / "objects"
NOW = datetime(2026, 11, 27, 4, 0, 0, tzinfo=UTC)


def load(name: str) -> dict[str, Any]:
    return json.loads((FIXTURES / name).read_text())


def compact(value: object) -> bytes:
    return json.dumps(value, separators=(",", ":")).encode("utf-8")


NS = {"namespace": "default"}

FIXTURE_CASES = [
    (
        "pod-running-two-containers.json",
        {"name": "web-7d4b9c8f6d-abcde", **NS, "ready": "2/2", "status": "Running", "restarts": "0", "age": "3d"},
    ),
    (
        "pod-crashloop.json",
        {"name": "api-5f6d7c8b9-qwert", **NS, "ready": "0/1", "status": "CrashLoopBackOff",
         "restarts": "7 (5m ago)", "age": "40m"},
    ),
    (
        "pod-pending.json",
        {"name": "big-job-runner-x9z8w", **NS, "ready": "0/1", "status": "Pending", "restarts": "0", "age": "2m"},
    ),
    (
        "pod-completed.json",
        {"name": "db-migrate-28831680-kx2lp", **NS, "ready": "0/1", "status": "Completed", "restarts": "0",
         "age": "120m"},
    ),
    (
        "pod-init.json",
        {"name": "cache-0", **NS, "ready": "0/1", "status": "Init:0/1", "restarts": "0", "age": "30s"},
    ),
    (
        "pod-container-creating.json",
        {"name": "web-7d4b9c8f6d-zzzzz", **NS, "ready": "0/1", "status": "ContainerCreating", "restarts": "0",
         "age": "10s"},
    ),
    (
        "pod-image-pull.json",
        {"name": "worker-6c9f8d7b5-mnbvc", **NS, "ready": "0/1", "status": "ImagePullBackOff", "restarts": "0",
         "age": "30m"},
    ),
    (
        "pod-terminating.json",
        {"name": "web-7d4b9c8f6d-olddd", **NS, "ready": "1/1", "status": "Terminating", "restarts": "0",
         "age": "3d"},
    ),
    (
        "deployment.json",
        {"name": "web", **NS, "ready": "2/3", "upToDate": 3, "available": 2, "age": "3d"},
    ),
    (
        "statefulset.json",
        {"name": "cache", **NS, "ready": "1/3", "age": "10d"},
    ),
    (
        "replicaset.json",
        {"name": "web-7d4b9c8f6d", **NS, "desired": 3, "current": 3, "ready": 2, "age": "3d"},
    ),
    (
        "daemonset.json",
        {"name": "node-exporter", "namespace": "monitoring", "desired": 3, "current": 3, "ready": 2,
         "upToDate": 1, "available": 2, "nodeSelector": "kubernetes.io/os=linux", "age": "90d"},
    ),
    (
        "service-clusterip.json",
        {"name": "web", **NS, "type": "ClusterIP", "clusterIP": "10.96.112.7", "ports": "80/TCP,443/TCP",
         "age": "3d"},
    ),
    (
        "service-nodeport.json",
        {"name": "web-nodeport", **NS, "type": "NodePort", "clusterIP": "10.96.40.21",
         "ports": "80:30080/TCP,443:30443/TCP", "age": "3d"},
    ),
    (
        "service-loadbalancer.json",
        {"name": "ingress-nginx-controller", "namespace": "ingress-nginx", "type": "LoadBalancer",
         "clusterIP": "10.96.200.10", "externalIP": "203.0.113.10", "ports": "80:31080/TCP,53:31053/UDP",
         "age": "3d"},
    ),
    (
        "service-loadbalancer-pending.json",
        {"name": "public-api", **NS, "type": "LoadBalancer", "clusterIP": "10.96.201.11",
         "externalIP": "<pending>", "ports": "443:32443/TCP", "age": "3d"},
    ),
    (
        "job.json",
        {"name": "db-migrate-28831680", **NS, "status": "Complete", "completions": "1/1", "duration": "45s",
         "age": "120m"},
    ),
    (
        "job-running.json",
        {"name": "reindex", **NS, "status": "Running", "completions": "0/1 of 3", "duration": "10m",
         "age": "10m"},
    ),
    (
        "cronjob.json",
        {"name": "db-migrate", **NS, "schedule": "0 */2 * * *", "suspend": "False", "active": 1,
         "lastSchedule": "120m", "age": "30d"},
    ),
    (
        "node-control-plane.json",
        {"name": "control-plane-1", "status": "Ready,SchedulingDisabled", "roles": "control-plane",
         "age": "210d", "version": "v1.31.2"},
    ),
    (
        "node-worker-notready.json",
        {"name": "worker-2", "status": "NotReady", "roles": "worker", "age": "209d", "version": "v1.31.2"},
    ),
    (
        "pvc.json",
        {"name": "data-cache-0", **NS, "status": "Bound", "volume": "pvc-3f9c1a2b-7d4e-4b8a-9c0d-1e2f3a4b5c6d",
         "capacity": "1Gi", "accessModes": "RWO", "storageClass": "standard", "age": "10d"},
    ),
    (
        "pvc-pending.json",
        {"name": "scratch", **NS, "status": "Pending", "storageClass": "nfs", "age": "5m"},
    ),
    ("namespace.json", {"name": "monitoring", "status": "Active", "age": "90d"}),
    ("configmap.json", {"name": "web-config", **NS, "data": 3, "age": "3d"}),
    ("secret.json", {"name": "db-credentials", **NS, "type": "Opaque", "data": 2, "age": "3d"}),
    ("crd-certificate.json", {"name": "web-tls", **NS, "ready": "True", "age": "7d"}),
    (
        "crd-certificate-not-ready.json",
        {"name": "api-tls", **NS, "ready": "False", "reason": "DoesNotExist", "age": "60m"},
    ),
]


@pytest.mark.parametrize(("fixture", "expected"), FIXTURE_CASES, ids=[c[0] for c in FIXTURE_CASES])
def test_summary_of_each_kind(fixture: str, expected: dict[str, Any]) -> None:
    summary = summarize(load(fixture), now=NOW)
    assert summary == expected
    assert list(summary) == list(expected), "keys come in table order"


@pytest.mark.parametrize("fixture", ["events-core-v1.json", "events-events-v1.json"])
def test_summary_of_an_event(fixture: str) -> None:
    """Both Event APIs print alike, as kubectl's table does; the name and count are -o wide columns."""
    backoff = next(i for i in load(fixture)["items"] if i["reason"] == "BackOff")
    row = {
        **NS,
        "lastSeen": "3m",
        "type": "Warning",
        "reason": "BackOff",
        "object": "pod/api-5f6d7c8b9-qwert",
        "message": "Back-off restarting failed container api in pod api-5f6d7c8b9-qwert_default(6f1c)",
    }
    assert summarize(backoff, now=NOW) == row
    wide = summarize(backoff, now=NOW, wide=True)
    assert wide == {**row, "subobject": "spec.containers{api}", "source": "kubelet, worker-2", "firstSeen": "39m",
                    "count": 152, "name": "api-5f6d7c8b9-qwert.18a7c3f1d2e4b5a6"}
    assert list(wide)[:5] == ["namespace", "lastSeen", "type", "reason", "object"]


def test_summaries_never_carry_secret_or_configmap_values() -> None:
    for fixture in ("secret.json", "configmap.json"):
        obj = load(fixture)
        text = compact(summarize(obj, now=NOW)).decode()
        for key, value in obj["data"].items():
            assert key not in text and value not in text


def test_kind_without_ready_condition_gets_name_and_age_only() -> None:
    role = {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role",
            "metadata": {"name": "reader", "namespace": "default", "creationTimestamp": "2026-11-27T03:00:00Z"},
            "rules": []}
    assert summarize(role, now=NOW) == {"name": "reader", "namespace": "default", "age": "60m"}


# --- Pod status corner cases, each one a branch of kubectl's printPod ---------------------


def pod(
    *,
    containers: int = 1,
    statuses: list[dict[str, Any]] | None = None,
    init: list[dict[str, Any]] | None = None,
    init_statuses: list[dict[str, Any]] | None = None,
    phase: str = "Running",
    conditions: list[dict[str, Any]] | None = None,
    reason: str | None = None,
    deleting: bool = False,
) -> dict[str, Any]:
    metadata: dict[str, Any] = {"name": "p", "namespace": "default", "creationTimestamp": "2026-11-27T03:00:00Z"}
    if deleting:
        metadata["deletionTimestamp"] = "2026-11-27T03:59:00Z"
    status: dict[str, Any] = {"phase": phase, "conditions": conditions or []}
    if reason:
        status["reason"] = reason
    if statuses is not None:
        status["containerStatuses"] = statuses
    if init_statuses is not None:
        status["initContainerStatuses"] = init_statuses
    spec: dict[str, Any] = {"containers": [{"name": f"c{i}"} for i in range(containers)], "nodeName": "n1"}
    if init is not None:
        spec["initContainers"] = init
    return {"kind": "Pod", "metadata": metadata, "spec": spec, "status": status}


RUNNING = {"running": {"startedAt": "2026-11-27T03:00:01Z"}}


def cs(name: str = "c0", *, ready: bool = True, state: dict[str, Any] | None = None, restarts: int = 0,
       finished: str | None = None, started: bool | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"name": name, "ready": ready, "restartCount": restarts, "state": state or RUNNING,
                           "lastState": {}}
    if finished:
        out["lastState"] = {"terminated": {"exitCode": 1, "reason": "Error", "finishedAt": finished}}
    if started is not None:
        out["started"] = started
    return out


INITIALIZED = [{"type": "Initialized", "status": "True"}]
READY = [{"type": "Ready", "status": "True"}]

POD_CASES = [
    ("evicted", pod(phase="Failed", reason="Evicted", statuses=[]), "0/1", "Evicted"),
    ("oom killed", pod(statuses=[cs(ready=False, state={"terminated": {"exitCode": 137, "reason": "OOMKilled"}})]),
     "0/1", "OOMKilled"),
    ("exit code without reason", pod(statuses=[cs(ready=False, state={"terminated": {"exitCode": 2}})]),
     "0/1", "ExitCode:2"),
    ("signal without reason", pod(statuses=[cs(ready=False, state={"terminated": {"exitCode": 0, "signal": 9}})]),
     "0/1", "Signal:9"),
    ("running but not ready", pod(statuses=[cs(ready=False)]), "0/1", "Running"),
    (
        "one of two completed, other running, pod ready",
        pod(containers=2, conditions=READY,
            statuses=[cs("c0", ready=False, state={"terminated": {"exitCode": 0, "reason": "Completed"}}),
                      cs("c1")]),
        "1/2", "Running",
    ),
    (
        "one of two completed, other running, pod not ready",
        pod(containers=2,
            statuses=[cs("c0", ready=False, state={"terminated": {"exitCode": 0, "reason": "Completed"}}),
                      cs("c1")]),
        "1/2", "NotReady",
    ),
    (
        "init container crash looping",
        pod(phase="Pending", init=[{"name": "i0"}],
            init_statuses=[cs("i0", ready=False, restarts=3, state={"waiting": {"reason": "CrashLoopBackOff"}})],
            statuses=[cs(ready=False, state={"waiting": {"reason": "PodInitializing"}})]),
        "0/1", "Init:CrashLoopBackOff",
    ),
    (
        "init container failed with a reason",
        pod(phase="Pending", init=[{"name": "i0"}],
            init_statuses=[cs("i0", ready=False, state={"terminated": {"exitCode": 1, "reason": "Error"}})],
            statuses=[]),
        "0/1", "Init:Error",
    ),
    (
        "init container failed without a reason",
        pod(phase="Pending", init=[{"name": "i0"}],
            init_statuses=[cs("i0", ready=False, state={"terminated": {"exitCode": 3}})], statuses=[]),
        "0/1", "Init:ExitCode:3",
    ),
    (
        "second of two init containers running",
        pod(phase="Pending", init=[{"name": "i0"}, {"name": "i1"}],
            init_statuses=[cs("i0", ready=False, state={"terminated": {"exitCode": 0, "reason": "Completed"}}),
                           cs("i1", ready=False)],
            statuses=[]),
        "0/1", "Init:1/2",
    ),
    (
        "sidecar started and ready counts toward ready",
        pod(init=[{"name": "proxy", "restartPolicy": "Always"}], conditions=INITIALIZED + READY,
            init_statuses=[cs("proxy", started=True)], statuses=[cs()]),
        "2/2", "Running",
    ),
    (
        "scheduling gated",
        pod(phase="Pending", conditions=[{"type": "PodScheduled", "status": "False", "reason": "SchedulingGated"}]),
        "0/1", "SchedulingGated",
    ),
    ("deleted on a lost node", pod(reason="NodeLost", deleting=True, statuses=[cs()]), "1/1", "Unknown"),
    ("deleted after success stays Completed",
     pod(phase="Succeeded", deleting=True,
         statuses=[cs(ready=False, state={"terminated": {"exitCode": 0, "reason": "Completed"}})]),
     "0/1", "Completed"),
    ("deleted after failure keeps its reason, not Terminating",
     pod(phase="Failed", deleting=True,
         statuses=[cs(ready=False, state={"terminated": {"exitCode": 1, "reason": "Error"}})]),
     "0/1", "Error"),
    ("deleted while running is Terminating", pod(deleting=True, statuses=[cs()]), "1/1", "Terminating"),
    (
        "a failed container outweighs a completed one listed before it",
        pod(containers=2, phase="Failed",
            statuses=[cs("c0", ready=False, state={"terminated": {"exitCode": 0, "reason": "Completed"}}),
                      cs("c1", ready=False, state={"terminated": {"exitCode": 1, "reason": "Error"}})]),
        "0/2", "Error",
    ),
    (
        "a sidecar is found by name, not by its position in the statuses",
        pod(init=[{"name": "setup"}, {"name": "proxy", "restartPolicy": "Always"}],
            conditions=INITIALIZED + READY,
            init_statuses=[cs("proxy", started=True)], statuses=[cs()]),
        "2/2", "Running",
    ),
    (
        "a sidecar not yet started keeps the pod initializing",
        pod(phase="Pending", init=[{"name": "proxy", "restartPolicy": "Always"}],
            init_statuses=[cs("proxy", ready=False, started=False)],
            statuses=[cs(ready=False, state={"waiting": {"reason": "PodInitializing"}})]),
        "0/2", "Init:0/1",
    ),
    (
        "Initialized condition wins over a stale init status",
        pod(init=[{"name": "i0"}], conditions=INITIALIZED + READY,
            init_statuses=[cs("i0", ready=False, state={"waiting": {"reason": "PodInitializing"}})],
            statuses=[cs()]),
        "1/1", "Init:0/1",
    ),
]


@pytest.mark.parametrize(("case", "obj", "ready", "status"), POD_CASES, ids=[c[0] for c in POD_CASES])
def test_pod_status_like_kubectl(case: str, obj: dict[str, Any], ready: str, status: str) -> None:
    summary = summarize(obj, now=NOW)
    assert (summary["ready"], summary["status"]) == (ready, status)


def test_pod_restarts_count_init_containers_while_initializing() -> None:
    obj = next(case[1] for case in POD_CASES if case[0] == "init container crash looping")  # restarts=3
    assert summarize(obj, now=NOW)["restarts"] == "3"


def test_pod_restarts_of_finished_init_containers_stop_counting_once_initialized() -> None:
    """kubectl counts only sidecars' and app containers' restarts after initialization."""
    obj = pod(init=[{"name": "i0"}, {"name": "proxy", "restartPolicy": "Always"}], conditions=INITIALIZED + READY,
              init_statuses=[cs("i0", ready=False, restarts=2, finished="2026-11-27T03:10:00Z",
                                state={"terminated": {"exitCode": 0, "reason": "Completed"}}),
                             cs("proxy", started=True, restarts=1, finished="2026-11-27T03:20:00Z")],
              statuses=[cs(restarts=4, finished="2026-11-27T03:50:00Z")])
    assert summarize(obj, now=NOW)["restarts"] == "5 (10m ago)"


def test_pod_last_restart_is_the_newest_termination() -> None:
    obj = pod(containers=2, statuses=[cs("c0", restarts=2, finished="2026-11-27T03:30:00Z"),
                                      cs("c1", restarts=1, finished="2026-11-27T03:58:00Z")])
    assert summarize(obj, now=NOW)["restarts"] == "3 (2m ago)"


def test_pod_wide_columns_node_ip_and_readiness_gates() -> None:
    obj = pod(statuses=[cs()], conditions=READY + [{"type": "example.com/lb", "status": "True"},
                                                   {"type": "example.com/dns", "status": "False"}])
    obj["spec"]["readinessGates"] = [{"conditionType": "example.com/lb"}, {"conditionType": "example.com/dns"}]
    obj["status"]["podIPs"] = [{"ip": "10.0.3.7"}, {"ip": "fd00::7"}]
    assert "node" not in summarize(obj, now=NOW)
    wide = summarize(obj, now=NOW, wide=True)
    assert (wide["ip"], wide["node"], wide["readinessGates"]) == ("10.0.3.7", "n1", "1/2")
    assert "nominatedNode" not in wide  # kubectl's <none> is left out


# --- Other kinds' branches ---------------------------------------------------------------


def test_service_external_name_and_external_ips() -> None:
    external_name = {"kind": "Service", "metadata": {"name": "db"},
                     "spec": {"type": "ExternalName", "externalName": "db.example.com"}}
    assert summarize(external_name, now=NOW)["externalIP"] == "db.example.com"
    with_ips = {"kind": "Service", "metadata": {"name": "s"},
                "spec": {"type": "ClusterIP", "clusterIP": "10.0.0.1", "externalIPs": ["198.51.100.1"],
                         "ports": [{"port": 53, "protocol": "UDP"}]}}
    summary = summarize(with_ips, now=NOW)
    assert (summary["externalIP"], summary["ports"]) == ("198.51.100.1", "53/UDP")


def test_load_balancer_addresses_sorted_then_external_ips() -> None:
    service = {"kind": "Service", "metadata": {"name": "lb"},
               "spec": {"type": "LoadBalancer", "clusterIPs": ["10.0.0.2", "fd00::2"], "externalIPs": ["192.0.2.9"]},
               "status": {"loadBalancer": {"ingress": [{"hostname": "lb.example.com"}, {"ip": "198.51.100.7"},
                                                       {"ip": "198.51.100.7"}]}}}
    summary = summarize(service, now=NOW)
    assert summary["externalIP"] == "198.51.100.7,lb.example.com,192.0.2.9"
    assert summary["clusterIP"] == "10.0.0.2"
    assert "ports" not in summary


@pytest.mark.parametrize(
    ("conditions", "deleting", "expected"),
    [
        ([{"type": "Failed", "status": "True"}], False, "Failed"),
        ([{"type": "Suspended", "status": "True"}], False, "Suspended"),
        ([{"type": "Complete", "status": "False"}], False, "Running"),
        ([], True, "Terminating"),
        ([{"type": "FailureTarget", "status": "True"}], False, "FailureTarget"),
    ],
)
def test_job_status(conditions: list[dict[str, Any]], deleting: bool, expected: str) -> None:
    job = {"kind": "Job", "metadata": {"name": "j"}, "spec": {"completions": 2}, "status": {"conditions": conditions}}
    if deleting:
        job["metadata"]["deletionTimestamp"] = "2026-11-27T03:59:00Z"
    summary = summarize(job, now=NOW)
    assert (summary["status"], summary["completions"]) == (expected, "0/2")
    assert "duration" not in summary  # never started


def test_suspended_cronjob_says_so() -> None:
    obj = load("cronjob.json")
    obj["spec"]["suspend"] = True
    assert summarize(obj, now=NOW)["suspend"] == "True"


def test_node_without_conditions_is_unknown() -> None:
    node = {"kind": "Node", "metadata": {"name": "n"}, "status": {}}
    assert summarize(node, now=NOW)["status"] == "Unknown"


def test_deployment_scaled_to_zero_keeps_its_zeros() -> None:
    obj = {"kind": "Deployment", "metadata": {"name": "d", "namespace": "x"}, "spec": {"replicas": 0}, "status": {}}
    summary = summarize(obj, now=NOW)
    assert (summary["ready"], summary["upToDate"], summary["available"]) == ("0/0", 0, 0)


def test_summary_columns() -> None:
    assert summary_columns("Pod") == ("name", "namespace", "ready", "status", "restarts", "age")
    assert summary_columns("Pod", wide=True)[-4:] == ("ip", "node", "nominatedNode", "readinessGates")
    assert summary_columns("Event")[:2] == ("namespace", "lastSeen")
    assert summary_columns("Widget") == ("name", "namespace", "ready", "reason", "age")
    for fixture, expected in FIXTURE_CASES:
        kind = load(fixture)["kind"]
        assert list(expected) == [c for c in summary_columns(kind) if c in expected], fixture


# --- Tables: the compact form of many summaries ------------------------------------------


def test_summary_table_hoists_a_shared_namespace() -> None:
    summaries = [summarize(load(f), now=NOW) for f in ("pod-crashloop.json", "pod-pending.json")]
    table = summary_table(summaries, kind="Pod")
    assert table == {
        "namespace": "default",
        "columns": ["name", "ready", "status", "restarts", "age"],
        "rows": [
            ["api-5f6d7c8b9-qwert", "0/1", "CrashLoopBackOff", "7 (5m ago)", "40m"],
            ["big-job-runner-x9z8w", "0/1", "Pending", "0", "2m"],
        ],
    }


def test_summary_rows_are_as_wide_as_the_columns_and_empty_columns_are_left_out() -> None:
    """A pending pod has no IP or node: its cells are null, never cut; nobody's nominated node: no column."""
    summaries = [summarize(load(f), now=NOW, wide=True) for f in ("pod-crashloop.json", "pod-pending.json")]
    table = summary_table(summaries, kind="Pod", wide=True)
    assert table["columns"] == ["name", "ready", "status", "restarts", "age", "ip", "node"]
    assert all(len(row) == len(table["columns"]) for row in table["rows"])
    assert table["rows"][1][-2:] == [None, None]
    assert render_table(table).splitlines()[-1] == "big-job-runner-x9z8w\t0/1\tPending\t0\t2m\t\t"


def test_summary_table_keeps_namespace_column_across_namespaces() -> None:
    summaries = [summarize(load(f), now=NOW) for f in ("service-clusterip.json", "service-loadbalancer.json")]
    table = summary_table(summaries, kind="Service")
    assert "namespace" not in table
    assert table["columns"][:2] == ["name", "namespace"]
    assert [row[1] for row in table["rows"]] == ["default", "ingress-nginx"]


def test_summary_table_of_cluster_scoped_objects_has_no_namespace() -> None:
    summaries = [summarize(load(f), now=NOW) for f in ("node-control-plane.json", "node-worker-notready.json")]
    table = summary_table(summaries, kind="Node")
    assert "namespace" not in table and "namespace" not in table["columns"]


def test_render_table_is_tab_separated_with_a_header() -> None:
    summaries = [summarize(load(f), now=NOW) for f in ("pod-crashloop.json", "pod-pending.json")]
    text = render_table(summary_table(summaries, kind="Pod"))
    assert text.splitlines() == [
        "namespace: default",
        "name\tready\tstatus\trestarts\tage",
        "api-5f6d7c8b9-qwert\t0/1\tCrashLoopBackOff\t7 (5m ago)\t40m",
        "big-job-runner-x9z8w\t0/1\tPending\t0\t2m",
    ]


def test_render_table_keeps_one_line_per_row_for_multiline_values() -> None:
    table = {"columns": ["name", "message"], "rows": [["e1", "line one\nline\ttwo"]]}
    assert render_table(table).splitlines()[1] == "e1\tline one line two"


# --- Size: 500 pods must cost no more than kubectl's own table ----------------------------


def kubectl_table_size(rows: list[list[str]]) -> int:
    """Bytes of kubectl's table: tabwriter with minwidth 6 and padding 3, last column unpadded."""
    widths = [max(6, max(len(cell) for cell in column) + 3) for column in list(zip(*rows))[:-1]]
    return sum(sum(widths) + len(row[-1]) + 1 for row in rows)


@pytest.fixture(scope="module")
def five_hundred_pods() -> list[dict[str, Any]]:
    base = load("pod-running-two-containers.json")
    rng = random.Random(500)
    alphabet = string.ascii_lowercase + string.digits
    pods = []
    for _ in range(500):
        item = copy.deepcopy(base)
        item["metadata"]["name"] = "web-7d4b9c8f6d-" + "".join(rng.choice(alphabet) for _ in range(5))
        pods.append(item)
    return pods


def test_500_pod_summaries_are_smaller_than_kubectl_table(five_hundred_pods: list[dict[str, Any]]) -> None:
    summaries = [summarize(item, now=NOW) for item in five_hundred_pods]
    kubectl_rows = [["NAME", "READY", "STATUS", "RESTARTS", "AGE"]] + [
        [s["name"], s["ready"], s["status"], s["restarts"], s["age"]] for s in summaries
    ]
    kubectl_bytes = kubectl_table_size(kubectl_rows)
    table = summary_table(summaries, kind="Pod")
    json_bytes = len(compact(table))
    text_bytes = len(render_table(table).encode("utf-8"))
    raw_bytes = len(json.dumps(five_hundred_pods).encode("utf-8"))
    assert json_bytes < 30_000
    assert text_bytes <= kubectl_bytes
    assert json_bytes * 50 < raw_bytes, "a summary is a small fraction of the raw objects"


def test_kind_from_the_caller_when_the_item_has_none() -> None:
    item = load("pod-crashloop.json")
    del item["kind"]
    assert summarize(item, now=NOW, kind="Pod")["status"] == "CrashLoopBackOff"
    assert summarize(load("deployment.json"), now=NOW, kind="Pod")["upToDate"] == 3, "the item's own kind wins"


@pytest.mark.parametrize(
    ("header", "key"),
    [("Name", "name"), ("Up-to-date", "upToDate"), ("Nominated Node", "nominatedNode"), ("IP", "ip"),
     ("Cluster-IP", "clusterIP"), ("OS-Image", "osImage"), ("Port(s)", "ports"), ("ServiceAccounts", "serviceAccounts")],
)
def test_a_summary_key_is_the_header_in_lower_camel_case(header: str, key: str) -> None:
    assert summary_key(header) == key


def test_summary_keys_are_distinct_within_each_printer() -> None:
    """Two columns with one key would lose a cell from every summary of the kind."""
    for kind, printer in PRINTERS.items():
        keys = [c.key for c in printer.columns]
        assert len(set(keys)) == len(keys), kind
        assert keys[0] == "name" or kind == "Event"
