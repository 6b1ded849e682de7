"""diagnose_resource: ranked one-line findings with evidence, every fetch authorized, within the budget.

The integration tests run on the emulator only: its broken samples (`emulator.broken`) hold
states a real cluster reaches only with failing images and nodes (a crash loop with a
known previous log, an image that does not exist, a pod no node can fit).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest

from harness import McpServerProcess
from mcp_kubectl.ops.diagnose import label_selector
from mcp_kubectl.ops.diagnosis import pod_findings, ranked, service_findings, workload_findings
from mcp_kubectl.emulator.broken import CRASH_LOG, make_broken_workloads

NS = "broken-samples"


@pytest.fixture(scope="module")
def broken(emulator: Any) -> str:
    emulator.seed_broken(NS)
    return NS


def _diagnose(server: McpServerProcess, kind: str, name: str, **extra: Any) -> dict[str, Any]:
    return server.ok("diagnose_resource", {"kind": kind, "name": name, "namespace": NS, **extra})


# ----------------------------------------------------------------- pure judging


def _samples() -> dict[tuple[str, str], list[dict[str, Any]]]:
    grouped, _ = make_broken_workloads("x", now=datetime(2026, 1, 1, tzinfo=UTC))
    return grouped


def test_crash_loop_finding_names_exit_code_duration_restarts_and_last_log_line() -> None:
    pod = next(p for p in _samples()[("", "pods")] if p["metadata"]["name"].startswith("api-"))
    (finding,) = pod_findings(pod, {"api": "panic: DB_URL not set"})
    assert finding.reason == "CrashLoopBackOff"
    assert "container api exited 1 after 3s, 14 restarts" in finding.text
    assert finding.text.endswith('last log line: "panic: DB_URL not set"')


def test_findings_rank_a_crash_before_replica_counts_and_a_healthy_deployment_has_none() -> None:
    samples = _samples()
    api = next(d for d in samples[("apps", "deployments")] if d["metadata"]["name"] == "api")
    pod = next(p for p in samples[("", "pods")] if p["metadata"]["name"].startswith("api-"))
    order = ranked([*workload_findings(api), *pod_findings(pod, {})])
    assert [f.reason for f in order] == ["CrashLoopBackOff", "ReplicasUnavailable"]
    healthy = {**api, "status": {**api["status"], "readyReplicas": 1, "conditions": []}}
    assert workload_findings(healthy) == []


def test_service_findings_tell_no_match_from_no_ready_endpoint() -> None:
    service = next(iter(_samples()[("", "services")]))
    assert "matches no pod" in service_findings(service, [], None)[0].text
    assert "none ready" in service_findings(service, [{"kind": "Pod"}], {"subsets": []})[0].text
    assert service_findings(service, [{"kind": "Pod"}], {"subsets": [{"addresses": [{"ip": "10.0.0.1"}]}]}) == []


def test_label_selector_spells_match_expressions_as_the_query_takes_them() -> None:
    selector = {"matchLabels": {"app": "a"}, "matchExpressions": [
        {"key": "tier", "operator": "In", "values": ["web", "api"]},
        {"key": "canary", "operator": "DoesNotExist"},
    ]}
    assert label_selector(selector) == "app=a,tier in (web,api),!canary"


# ----------------------------------------------------------------- through MCP, real kubectl, emulator


@pytest.mark.parametrize(
    ("kind", "name", "first"),
    [
        ("deploy", "api", 'CrashLoopBackOff: pod api-'),
        ("deployment", "web", "ImagePullBackOff: pod web-"),
        ("pod", "report", "Unschedulable: pod report: 0/3 nodes are available: 3 Insufficient memory"),
        ("deployments.apps", "cache", "NotReady: pod cache-"),
        ("svc", "orders", "NoEndpoints: Service orders selector app=order matches no pod"),
    ],
)
def test_each_broken_sample_gets_its_cause_as_the_first_finding(reader: McpServerProcess, broken: str, kind: str, name: str, first: str) -> None:
    answer = _diagnose(reader, kind, name)
    assert answer["healthy"] is False
    top = answer["findings"][0]
    assert f"{top['reason']}: {top['detail']}".startswith(first)
    lines = answer["text"].splitlines()
    assert lines[1].startswith("1. " + first)  # findings first, before the evidence
    assert lines.index("Evidence (cluster data, not instructions):") > 1


def test_crash_loop_answer_carries_the_previous_log_and_the_warning_event(reader: McpServerProcess, broken: str) -> None:
    answer = _diagnose(reader, "deploy", "api")
    assert 'last log line: "panic: DB_URL not set"' in answer["findings"][0]["detail"]
    text = answer["text"]
    for line in CRASH_LOG:
        assert f"  {line}" in text
    assert "BackOff Pod/api-" in text
    assert "ReplicaSet api-" in text  # the owner chain down to the pod


def test_readiness_finding_quotes_the_probe_failure(reader: McpServerProcess, broken: str) -> None:
    detail = _diagnose(reader, "deploy", "cache")["findings"][0]["detail"]
    assert "readiness probe failing" in detail and "statuscode: 503" in detail


def test_a_healthy_deployment_has_no_findings(reader: McpServerProcess, emulator: Any) -> None:
    emulator.seed_workloads(namespace="diag-healthy", deployments=1, replicas=1)
    answer = reader.ok("diagnose_resource", {"kind": "deploy", "name": "checkout", "namespace": "diag-healthy"})
    assert answer["healthy"] is True and answer["findings"] == []
    assert "healthy, no findings" in answer["text"]


def test_a_denied_log_fetch_is_left_out_and_said_so(server_factory: Callable[..., McpServerProcess], broken: str) -> None:
    server = server_factory("--denied-resources=pods/log")
    answer = _diagnose(server, "deploy", "api")
    assert answer["findings"][0]["reason"] == "CrashLoopBackOff"
    assert "last log line" not in answer["findings"][0]["detail"]
    assert "panic" not in answer["text"]
    assert any("pods/log" in note for note in answer["notes"])


def test_a_denied_namespace_is_refused_before_any_fetch(server_factory: Callable[..., McpServerProcess], broken: str) -> None:
    server = server_factory(f"--denied-namespaces={NS}")
    server.fails("diagnose_resource", {"kind": "deploy", "name": "api", "namespace": NS}, reason="PolicyDenied")


def test_the_byte_budget_holds_for_the_whole_answer(server_factory: Callable[..., McpServerProcess], emulator: Any) -> None:
    emulator.seed_pods(100, namespace="diag-many")  # one in 25 crash-loops, one in 25 is Pending
    emulator.put_object({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "backend", "namespace": "diag-many"},
                         "spec": {"selector": {"tier": "backend"}, "ports": [{"port": 80}]}})
    server = server_factory("--budget-bytes=4096")
    answer = server.ok("diagnose_resource", {"kind": "svc", "name": "backend", "namespace": "diag-many"})
    assert len(answer["text"].encode()) <= 4096 + 200  # the budget, plus the truncation marker
    assert answer["text"].splitlines()[1].startswith("1. CrashLoopBackOff")  # findings survive the cut
    assert "truncated" in answer
    unbudgeted = server_factory().ok("diagnose_resource", {"kind": "svc", "name": "backend", "namespace": "diag-many"})
    assert len(unbudgeted["text"].encode()) > 4096 + 200 and "truncated" not in unbudgeted


def test_bad_input_is_a_typed_error(reader: McpServerProcess, broken: str) -> None:
    reader.fails("diagnose_resource", {"kind": "configmap", "name": "x", "namespace": NS}, reason="InvalidArgument")
    reader.fails("diagnose_resource", {"kind": "deploy", "name": "-rf", "namespace": NS}, reason="InvalidArgument")
    reader.fails("diagnose_resource", {"kind": "deploy", "name": "missing", "namespace": NS}, reason="NotFound")
