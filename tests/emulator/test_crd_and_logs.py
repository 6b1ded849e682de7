"""CustomResourceDefinitions end to end, and pods/log with kubectl logs' options."""

from __future__ import annotations

import re

import pytest

from tests.emulator.conftest import Kubectl

GADGET_CRD = """apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: gadgets.{group}
spec:
  group: {group}
  scope: Namespaced
  names:
    plural: gadgets
    singular: gadget
    kind: Gadget
    shortNames: [gd]
  versions:
    - name: v1alpha1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          x-kubernetes-preserve-unknown-fields: true
"""
GADGET = """apiVersion: {group}/v1alpha1
kind: Gadget
metadata:
  name: g1
  namespace: {namespace}
spec:
  size: 2
"""


def test_crd_round_trip(kubectl: Kubectl, namespace: str) -> None:
    group = f"{namespace.replace('-', '')}.example.org"
    created = kubectl.run("create", "-f", "-", input=GADGET_CRD.format(group=group))
    assert (created.returncode, created.stdout.strip()) == (0, f"customresourcedefinition.apiextensions.k8s.io/gadgets.{group} created")
    crd = kubectl.run("get", "crd", f"gadgets.{group}", "-o", "json").json()
    assert {c["type"]: c["status"] for c in crd["status"]["conditions"]} == {"NamesAccepted": "True", "Established": "True"}
    resources = kubectl.ok("api-resources", "--api-group", group).stdout
    assert re.search(rf"^gadgets\s+gd\s+{re.escape(group)}/v1alpha1\s+true\s+Gadget$", resources, re.M), resources
    applied = kubectl.run("apply", "-f", "-", input=GADGET.format(group=group, namespace=namespace))
    assert (applied.returncode, applied.stdout.strip()) == (0, "gadget.{}/g1 created".format(group)), applied.stderr
    table = kubectl.ok("get", "gadgets", "-n", namespace).stdout.splitlines()
    assert table[0].split() == ["NAME", "AGE"] and table[1].startswith("g1 ")
    by_short_name = kubectl.run("get", "gd", "g1", "-n", namespace, "-o", "json").json()
    assert by_short_name["spec"] == {"size": 2} and by_short_name["metadata"]["generation"] == 1
    kubectl.ok("delete", "crd", f"gadgets.{group}")
    fresh_cache = kubectl.emulator.workdir / f"cache-after-{namespace}-{kubectl.binary.stat().st_size}"
    gone = kubectl.run("get", "gadgets", "-n", namespace, cache_dir=fresh_cache)
    assert gone.returncode == 1
    assert gone.stderr.strip().endswith('error: the server doesn\'t have a resource type "gadgets"')
    raw = kubectl.run("get", "--raw", f"/apis/{group}/v1alpha1/namespaces/{namespace}/gadgets")
    assert raw.returncode == 1 and "NotFound" in raw.stderr


def test_custom_resource_from_the_fixtures(kubectl: Kubectl) -> None:
    widget = kubectl.run("get", "widget", "blue-widget", "-n", "shop", "-o", "json").json()
    assert widget["kind"] == "Widget" and widget["spec"]["color"] == "blue"
    assert "widgets.example.com" in kubectl.ok("get", "crds").stdout
    crds = kubectl.ok("get", "crds").stdout.splitlines()
    assert crds[0].split() == ["NAME", "CREATED", "AT"]


def test_logs_options(kubectl: Kubectl) -> None:
    pod = "checkout-worker-crashloop"
    defaulted = kubectl.run("logs", pod, "--tail=3")
    assert defaulted.returncode == 0
    assert defaulted.stderr.strip() == 'Defaulted container "checkout" out of: checkout, metrics-sidecar'
    assert len(defaulted.stdout.splitlines()) == 3
    sidecar = kubectl.ok("logs", pod, "-c", "metrics-sidecar", "--tail=2").stdout.splitlines()
    assert len(sidecar) == 2 and all("container=metrics-sidecar" in line for line in sidecar)
    recent = kubectl.ok("logs", pod, "-c", "checkout", "--since=35s").stdout.splitlines()
    assert 1 <= len(recent) <= 4
    stamped = kubectl.ok("logs", pod, "-c", "checkout", "--tail=1", "--timestamps").stdout
    assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z level=", stamped)
    previous = kubectl.ok("logs", pod, "-c", "checkout", "--previous", "--tail=1").stdout
    assert "fatal: cannot connect to database" in previous


def test_logs_errors(kubectl: Kubectl) -> None:
    no_previous = kubectl.run("logs", "checkout-worker-crashloop", "-c", "metrics-sidecar", "--previous")
    assert no_previous.returncode == 1
    assert no_previous.stderr.strip() == (
        'Error from server (BadRequest): previous terminated container "metrics-sidecar" in pod '
        '"checkout-worker-crashloop" not found'
    )
    bad_container = kubectl.run("logs", "checkout-worker-crashloop", "-c", "nope")
    assert bad_container.returncode == 1
    assert "container nope is not valid for pod checkout-worker-crashloop" in bad_container.stderr


def test_logs_since_time_and_tail_zero(kubectl_pinned: Kubectl) -> None:
    kubectl_pinned.emulator.set_logs("shop", "worker-crashloop", "worker", ["first", "second", "third"])
    args = ("logs", "worker-crashloop", "-n", "shop")
    assert kubectl_pinned.ok(*args, "--since-time=2000-01-01T00:00:00Z").stdout == "first\nsecond\nthird\n"
    assert kubectl_pinned.ok(*args, "--since-time=2999-01-01T00:00:00Z").stdout == ""
    assert kubectl_pinned.ok(*args, "--since=1h", "--tail=0").stdout == ""


@pytest.mark.parametrize(("parameter", "why"), [
    ("sinceSeconds", 'strconv.ParseInt: parsing "soon": invalid syntax'),
    ("tailLines", 'strconv.ParseInt: parsing "soon": invalid syntax'),
    ("limitBytes", 'strconv.ParseInt: parsing "soon": invalid syntax'),
    ("sinceTime", 'parsing time "soon" as "2006-01-02T15:04:05Z07:00": cannot parse "soon" as "2006"'),
])
def test_logs_parameter_that_does_not_parse_is_bad_request(kubectl_pinned: Kubectl, parameter: str, why: str) -> None:
    # The Go parsers' own words, as a real 1.37 server answers (tests/integration/test_api_behaviour.py).
    path = f"/api/v1/namespaces/shop/pods/worker-crashloop/log?{parameter}=soon"
    answer = kubectl_pinned.run("get", "--raw", path)
    assert answer.returncode == 1
    assert answer.stderr.strip() == f"Error from server (BadRequest): {why}"


def test_logs_set_by_a_test(kubectl_pinned: Kubectl) -> None:
    kubectl_pinned.emulator.set_logs("shop", "worker-crashloop", "worker", ["first", "second", "third"])
    assert kubectl_pinned.ok("logs", "worker-crashloop", "-n", "shop", "--tail=2").stdout == "second\nthird\n"


def test_logs_since_seconds_beyond_any_date_is_every_line(kubectl_pinned: Kubectl) -> None:
    # Fits Go's int64, so a real server takes it; too far back for a datetime, which once raised OverflowError.
    kubectl_pinned.emulator.set_logs("shop", "worker-crashloop", "worker", ["first", "second"])
    for seconds in ("9223372036854775807", "1000000000000000"):
        path = f"/api/v1/namespaces/shop/pods/worker-crashloop/log?container=worker&sinceSeconds={seconds}"
        assert kubectl_pinned.ok("get", "--raw", path).stdout == "first\nsecond\n"


@pytest.mark.parametrize("seconds", ["9223372036854775808", "99999999999999999999", "1_0", "%201"])
def test_logs_since_seconds_outside_int64_is_bad_request(kubectl_pinned: Kubectl, seconds: str) -> None:
    path = f"/api/v1/namespaces/shop/pods/worker-crashloop/log?sinceSeconds={seconds}"
    answer = kubectl_pinned.run("get", "--raw", path)
    assert answer.returncode == 1
    assert "Error from server (BadRequest): strconv.ParseInt: parsing " in answer.stderr
    assert "Traceback" not in answer.stderr


@pytest.mark.parametrize("seconds", ["0", "-5", "-9223372036854775808"])
def test_logs_since_seconds_below_one_is_invalid(kubectl_pinned: Kubectl, seconds: str) -> None:
    # ValidatePodLogOptions: sinceSeconds must be greater than 0; the registry answers Invalid (422).
    path = f"/api/v1/namespaces/shop/pods/worker-crashloop/log?sinceSeconds={seconds}"
    answer = kubectl_pinned.run("get", "--raw", path)
    assert answer.returncode == 1
    assert (f'PodLogOptions "worker-crashloop" is invalid: sinceSeconds: Invalid value: {seconds}: '
            "must be greater than 0") in answer.stderr
