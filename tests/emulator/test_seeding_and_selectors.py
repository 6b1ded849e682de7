"""Unit tests for the parts kubectl cannot reach directly: seeded object shapes, selector parsing, the store."""

from __future__ import annotations

import json

import pytest

from mcp_kubectl.emulator.seeding import make_pods, make_workloads
from mcp_kubectl.emulator.selectors import SelectorError, parse_field_selector, parse_label_selector
from mcp_kubectl.emulator.store import Store


def test_seeded_pods_are_realistic_and_3_to_5_kb() -> None:
    pods = make_pods(200, "bench")
    sizes = [len(json.dumps(p, separators=(",", ":"))) for p in pods]
    assert 3 * 1024 <= min(sizes) and max(sizes) <= 5 * 1024
    phases = {p["status"]["phase"] for p in pods}
    assert phases == {"Running", "Pending"}
    crashing = [p for p in pods if any(cs.get("state", {}).get("waiting", {}).get("reason") == "CrashLoopBackOff"
                                       for cs in p["status"].get("containerStatuses", []))]
    assert crashing
    pod = pods[0]
    assert len(pod["spec"]["containers"]) == 2
    assert all(c["env"] and c["resources"]["requests"] for c in pod["spec"]["containers"])
    assert pod["metadata"]["managedFields"] and pod["status"]["conditions"]
    assert "kubectl.kubernetes.io/last-applied-configuration" in pod["metadata"]["annotations"]
    assert len({p["metadata"]["name"] for p in pods}) == 200


def test_seeded_workloads_are_consistent() -> None:
    grouped = make_workloads("demo", deployments=2, replicas=3)
    deployments = grouped[("apps", "deployments")]
    replicasets = grouped[("apps", "replicasets")]
    pods = grouped[("", "pods")]
    assert len(deployments) == 2 and len(replicasets) == 2
    owned = [p for p in pods if p["metadata"].get("ownerReferences")]
    assert len(owned) == 6
    rs_uids = {rs["metadata"]["uid"] for rs in replicasets}
    assert {p["metadata"]["ownerReferences"][0]["uid"] for p in owned} == rs_uids
    assert {e["involvedObject"]["kind"] for e in grouped[("", "events")]} == {"Pod", "Deployment"}


@pytest.mark.parametrize(
    ("text", "labels", "matches"),
    [
        ("a=b", {"a": "b"}, True),
        ("a==b", {"a": "c"}, False),
        ("a!=b", {}, True),
        ("a in (b, c)", {"a": "c"}, True),
        ("a notin (b,c)", {"a": "c"}, False),
        ("a", {"a": ""}, True),
        ("!a", {"a": "x"}, False),
        ("a,b=c", {"a": "1", "b": "c"}, True),
        ("x>3", {"x": "4"}, True),
        ("example.com/role=db", {"example.com/role": "db"}, True),
        ("", {"anything": "x"}, True),
    ],
)
def test_label_selector_grammar(text: str, labels: dict[str, str], matches: bool) -> None:
    assert parse_label_selector(text).matches(labels) is matches


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a in (x", "unable to parse requirement: found '', expected: ',' or ')'"),
        ("a=b=c", "found '=', expected: ',' or 'end of string'"),
        ("a in x", "unable to parse requirement: found 'x' expected: '('"),
        (",a", "found ',', expected: !, identifier, or 'end of string'"),
    ],
)
def test_label_selector_errors_use_apimachinery_text(text: str, message: str) -> None:
    with pytest.raises(SelectorError) as raised:
        parse_label_selector(text)
    assert str(raised.value) == message


def test_field_selector_parsing() -> None:
    terms = parse_field_selector("metadata.name=x,status.phase!=Running,spec.nodeName==n1")
    assert [(t.field, t.negate, t.value) for t in terms] == [
        ("metadata.name", False, "x"), ("status.phase", True, "Running"), ("spec.nodeName", False, "n1")]
    with pytest.raises(SelectorError) as raised:
        parse_field_selector("metadata.name")
    assert str(raised.value) == "invalid selector: 'metadata.name'; can't understand 'metadata.name'"


def test_store_orders_like_etcd_and_bumps_resource_versions() -> None:
    store = Store()
    storage = ("", "configmaps")
    first = store.put(storage, {"metadata": {"name": "b", "namespace": "ns2"}})
    second = store.put(storage, {"metadata": {"name": "a", "namespace": "ns2"}})
    store.put(storage, {"metadata": {"name": "z", "namespace": "ns1"}})
    assert int(second.obj["metadata"]["resourceVersion"]) > int(first.obj["metadata"]["resourceVersion"])
    assert [(e.obj["metadata"]["namespace"], e.obj["metadata"]["name"]) for e in store.list(storage)] == [
        ("ns1", "z"), ("ns2", "a"), ("ns2", "b")]
    assert [e.obj["metadata"]["name"] for e in store.list(storage, "ns2")] == ["a", "b"]
    assert [e.obj["metadata"]["name"] for e in store.list(storage, "ns2", after=("ns2", "a"))] == ["b"]
    assert store.list(storage, "ns") == []
    assert store.delete_namespace_contents("ns2") == 2
    assert len(store.list(storage)) == 1
