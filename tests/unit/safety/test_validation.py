"""Every value a model sends is checked before it can reach kubectl's argv."""

from __future__ import annotations

import pytest

from mcp_kubectl.safety import validation
from mcp_kubectl.errors import InvalidArgument

GOOD_NAMES = ["web", "web-1", "a", "my.config", "system:controller:job-controller", "x" * 253, "Foo_bar@1"]
BAD_NAMES = [
    "", "-web", "--all", "web-", "a/b", "../etc", "..", "a b", "web;rm -rf /", "$(id)", "`id`", "a\nb", "a\x00b",
    "wеb",  # Cyrillic е
    "x" * 254, "web|cat", "*",
]


@pytest.mark.parametrize("name", GOOD_NAMES)
def test_names_kubernetes_accepts_pass(name: str) -> None:
    assert validation.check_name(name) == name


@pytest.mark.parametrize("name", BAD_NAMES)
def test_hostile_names_are_refused(name: str) -> None:
    with pytest.raises(InvalidArgument) as raised:
        validation.check_name(name)
    assert raised.value.argument == "name"


@pytest.mark.parametrize("namespace", ["default", "kube-system", "a", "team-1"])
def test_namespaces_pass(namespace: str) -> None:
    assert validation.check_namespace(namespace) == namespace


@pytest.mark.parametrize("namespace", ["", "-n", "-n=kube-system", "Default", "a.b", "a_b", "x" * 64, "ns;ls", "kube-system\n"])
def test_bad_namespaces_are_refused(namespace: str) -> None:
    with pytest.raises(InvalidArgument):
        validation.check_namespace(namespace)


@pytest.mark.parametrize(
    "kind",
    ["pods", "pod", "po", "Pod", "deployments.apps", "deployments.v1.apps", "secrets.", "secrets.v1.", "ingresses.networking.k8s.io", "CronJob"],
)
def test_kinds_pass(kind: str) -> None:
    assert validation.check_kind(kind) == kind


@pytest.mark.parametrize(
    "kind",
    ["", "-o", "--raw=/api", "pods,secrets", "pods/name", "all --all", "../x", "pods..apps", "1pods", "pods;id", "ро"],
)
def test_bad_kinds_are_refused(kind: str) -> None:
    with pytest.raises(InvalidArgument):
        validation.check_kind(kind)


@pytest.mark.parametrize(
    "selector",
    [
        "app=web", "app==web", "app!=web", "env in (prod,stage)", "env notin (dev)", "release", "!canary",
        "app.kubernetes.io/name=web,tier!=db", "a=", "x in (a, b), !y", "count>3",
    ],
)
def test_label_selector_grammar_passes(selector: str) -> None:
    assert validation.check_label_selector(selector) == selector


@pytest.mark.parametrize(
    "selector", ["app=web;id", "--all", "app in prod", "=web", "app=$(id)", "app=-x", "a=b\nc", "app=we b", "in (a)"]
)
def test_malformed_label_selectors_are_refused(selector: str) -> None:
    with pytest.raises(InvalidArgument) as raised:
        validation.check_label_selector(selector)
    assert raised.value.argument == "labelSelector"


@pytest.mark.parametrize("selector", ["status.phase=Running", "spec.nodeName==node-1", "metadata.name!=x,type=Warning", "involvedObject.kind=Pod"])
def test_field_selector_grammar_passes(selector: str) -> None:
    assert validation.check_field_selector(selector) == selector


@pytest.mark.parametrize("selector", ["status.phase", "--field-selector=x", "a=b;c", "a=$(id)", "a in (b)", "-a=b"])
def test_malformed_field_selectors_are_refused(selector: str) -> None:
    with pytest.raises(InvalidArgument):
        validation.check_field_selector(selector)


# The limits at their edges (found by the mutation check: a limit moved by one, or dropped, went unnoticed).
# A dotted kind the pattern accepts at any length: only the 253-character limit refuses it.
LONGEST_KIND = "a." * 126 + "a"  # 253 characters


def test_a_kind_may_be_253_characters_and_not_one_more() -> None:
    assert len(LONGEST_KIND) == 253 and validation.check_kind(LONGEST_KIND) == LONGEST_KIND
    for too_long in (LONGEST_KIND + "b", "a." * 130 + "b"):
        with pytest.raises(InvalidArgument, match="is not a resource type"):
            validation.check_kind(too_long)


def _selector_of(length: int) -> str:
    """`a=b,a=b,...` of exactly `length` characters (one requirement widened to fit)."""
    requirements = ["a=b"] * ((length + 1) // 4)
    requirements[0] = "a" * (1 + length - (4 * len(requirements) - 1)) + "=b"
    selector = ",".join(requirements)
    assert len(selector) == length
    return selector


@pytest.mark.parametrize("check", [validation.check_label_selector, validation.check_field_selector], ids=["label", "field"])
def test_a_selector_may_be_1024_characters_and_not_one_more(check) -> None:
    assert check(_selector_of(1024)) == _selector_of(1024)
    with pytest.raises(InvalidArgument, match="longer than 1024 characters"):
        check(_selector_of(1025))
