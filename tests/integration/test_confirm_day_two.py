"""--confirm-writes for the day-two writes: scale and rollout ask a person, and only a yes writes.

The create, update and delete cases are in test_confirm_writes.py and exec's in test_exec.py; this
file gives scale_resource and rollout_resource's writes the same proof, through a real client that
elicits, in both protocol modes: the question names the object and the action, a yes changes the
object, anything else changes nothing and sends no write to the API server.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from harness import Cluster
from test_confirm_writes import MODES, ConfirmingClient, Person, real_writes
from test_rollout import RESTARTED_AT, WORKLOADS

pytestmark = [pytest.mark.timeout(180), pytest.mark.both_targets]

DEPLOYMENT = WORKLOADS.split("---")[0]  # the Deployment web, as test_rollout writes it


@pytest.fixture(scope="module")
def namespace(cluster: Cluster) -> str:
    ns = cluster.new_namespace("confirm2")
    cluster.apply(DEPLOYMENT.format(ns=ns))
    return ns


@pytest.fixture(params=MODES)
def asking(request: pytest.FixtureRequest, cluster: Cluster) -> Iterator[ConfirmingClient]:
    with ConfirmingClient(cluster, "--enable-update", "--confirm-writes", mode=request.param, person=Person()) as client:
        yield client


def deployment(cluster: Cluster, namespace: str) -> dict:
    return cluster.kubectl_json("get", "deployment", "web", "-n", namespace)


def test_scale_asks_with_old_and_new_count_and_only_a_yes_scales(asking: ConfirmingClient, cluster: Cluster, namespace: str) -> None:
    person = asking.person
    assert person is not None
    before = deployment(cluster, namespace)["spec"]["replicas"]
    wanted = before + 2
    arguments = {"kind": "deployment", "name": "web", "namespace": namespace, "replicas": wanted}

    person.says("decline")
    cluster.clear_requests()
    refused = asking.call("scale_resource", arguments)
    assert refused.is_error and refused.reason == "ConfirmationRefused", refused.text
    assert real_writes(cluster) == []
    assert deployment(cluster, namespace)["spec"]["replicas"] == before
    question = person.questions[-1]
    assert f"scale Deployment {namespace}/web from {before} to {wanted} replicas" in question

    person.says("accept", {"confirm": True})
    done = asking.call("scale_resource", arguments)
    assert not done.is_error, done.text
    assert deployment(cluster, namespace)["spec"]["replicas"] == wanted
    assert len(person.questions) == 2


def test_rollout_restart_asks_and_only_a_yes_restarts(asking: ConfirmingClient, cluster: Cluster, namespace: str) -> None:
    person = asking.person
    assert person is not None
    arguments = {"kind": "deployment", "name": "web", "namespace": namespace, "action": "restart"}
    annotations = lambda: (deployment(cluster, namespace)["spec"]["template"]["metadata"].get("annotations") or {})  # noqa: E731
    stamp = annotations().get(RESTARTED_AT)

    person.says("accept", {"confirm": False})
    cluster.clear_requests()
    refused = asking.call("rollout_resource", arguments)
    assert refused.is_error and refused.reason == "ConfirmationRefused", refused.text
    assert real_writes(cluster) == []
    assert annotations().get(RESTARTED_AT) == stamp
    assert f"{namespace}/web" in person.questions[-1] and "rollout restart" in person.questions[-1]

    person.says("accept", {"confirm": True})
    done = asking.call("rollout_resource", arguments)
    assert not done.is_error, done.text
    assert annotations().get(RESTARTED_AT) not in (None, stamp)


def test_rollout_reads_never_ask(asking: ConfirmingClient, namespace: str) -> None:
    person = asking.person
    assert person is not None
    person.says("decline")  # a question would refuse the read
    for action in ("status", "history"):
        answer = asking.call("rollout_resource", {"kind": "deployment", "name": "web", "namespace": namespace, "action": action, "timeoutSeconds": 0})
        assert not answer.is_error, answer.text
    assert person.questions == []
