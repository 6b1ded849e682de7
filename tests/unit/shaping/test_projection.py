"""projection: the model's `fields` grammar, and what each path picks out of an object."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from mcp_kubectl.errors import InvalidArgument
from mcp_kubectl.shaping.projection import (
    MAX_PATH_CHARS,
    MAX_PATHS,
    WILDCARD,
    parse_field_path,
    parse_field_paths,
    project,
)

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures" / "objects"


def load(name: str) -> dict[str, Any]:
    return json.loads((FIXTURES / name).read_text())


@pytest.mark.parametrize(
    ("path", "steps"),
    [
        ("status.phase", ("status", "phase")),
        ("spec.containers[0].image", ("spec", "containers", 0, "image")),
        ("spec.containers[*].image", ("spec", "containers", WILDCARD, "image")),
        ('metadata.labels["app.kubernetes.io/name"]', ("metadata", "labels", "app.kubernetes.io/name")),
        ("metadata.labels['app.kubernetes.io/name']", ("metadata", "labels", "app.kubernetes.io/name")),
        ('data["tls.crt"]', ("data", "tls.crt")),
        ('["metadata"].name', ("metadata", "name")),
        (r'metadata.annotations["say \"hi\""]', ("metadata", "annotations", 'say "hi"')),
        ("spec.template.spec.containers[*].ports[*].containerPort",
         ("spec", "template", "spec", "containers", WILDCARD, "ports", WILDCARD, "containerPort")),
        ("status.conditions[10]", ("status", "conditions", 10)),
        ("metadata.labels[*]", ("metadata", "labels", WILDCARD)),
        ("spec.pod-template_x", ("spec", "pod-template_x")),
    ],
)
def test_valid_paths_parse(path: str, steps: tuple[Any, ...]) -> None:
    parsed = parse_field_path(path)
    assert parsed.steps == steps
    assert parsed.text == path


@pytest.mark.parametrize(
    "path",
    [
        "",
        "   ",
        ".status",
        "status.",
        "status..phase",
        "spec.containers[-1]",
        "spec.containers[?(@.name=='web')].image",
        "spec.containers[0",
        "spec.containers[]",
        "spec.containers.[0]",
        "{.spec}",
        "$.spec",
        "spec containers",
        'metadata.labels["unterminated]',
        'metadata.labels[""]',
        'metadata.labels["a"x]',
        r'metadata.labels["bad \n escape"]',
        "metadata.labels[app]",
        "spec..containers",
        "a" * (MAX_PATH_CHARS + 1),
        "--output=json",
        "-f",
    ],
)
def test_invalid_paths_are_refused(path: str) -> None:
    with pytest.raises(InvalidArgument) as caught:
        parse_field_path(path)
    assert caught.value.argument == "fields"
    assert caught.value.hint


def test_path_of_the_maximum_length_is_accepted() -> None:
    assert parse_field_path("a" * MAX_PATH_CHARS).steps == ("a" * MAX_PATH_CHARS,)


@pytest.mark.parametrize(
    "paths",
    [
        [],
        "spec.containers[*].image",  # a string, not a list
        [f"f{i}" for i in range(MAX_PATHS + 1)],
        ["status.phase", 7],
    ],
)
def test_invalid_field_lists_are_refused(paths: Any) -> None:
    with pytest.raises(InvalidArgument) as caught:
        parse_field_paths(paths)
    assert caught.value.argument == "fields"


def test_field_list_drops_duplicates_and_keeps_order() -> None:
    parsed = parse_field_paths(["status.phase", "spec.nodeName", "status.phase"])
    assert [p.text for p in parsed] == ["status.phase", "spec.nodeName"]
    assert len(parse_field_paths([f"f{i}" for i in range(MAX_PATHS)])) == MAX_PATHS


def test_project_a_pod() -> None:
    pod = load("pod-running-two-containers.json")
    paths = parse_field_paths([
        "spec.containers[*].image",
        "spec.containers[0].name",
        "status.phase",
        'metadata.labels["pod-template-hash"]',
        "status.containerStatuses[*].restartCount",
        "spec.containers[*].ports[*].containerPort",
        "status.missing",
        "spec.containers[5].image",
        "spec.initContainers[*].image",
    ])
    assert project(pod, paths) == {
        "name": "web-7d4b9c8f6d-abcde",
        "namespace": "default",
        "spec.containers[*].image": ["nginx:1.27", "fluent/fluent-bit:3.1"],
        "spec.containers[0].name": "web",
        "status.phase": "Running",
        'metadata.labels["pod-template-hash"]': "7d4b9c8f6d",
        "status.containerStatuses[*].restartCount": [0, 0],
        "spec.containers[*].ports[*].containerPort": [80],
    }


def test_project_a_cluster_scoped_object_has_no_namespace() -> None:
    node = load("node-control-plane.json")
    result = project(node, parse_field_paths(["status.nodeInfo.kubeletVersion", "metadata.labels[*]"]))
    assert result["name"] == "control-plane-1"
    assert "namespace" not in result
    assert result["status.nodeInfo.kubeletVersion"] == "v1.31.2"
    assert result["metadata.labels[*]"] == list(node["metadata"]["labels"].values())


def test_project_returns_whole_subtrees_and_falsy_values() -> None:
    obj = {"metadata": {"name": "x"}, "spec": {"paused": False, "replicas": 0, "selector": {"a": "b"}, "note": None}}
    result = project(obj, parse_field_paths(["spec.paused", "spec.replicas", "spec.selector", "spec.note"]))
    assert result == {"name": "x", "spec.paused": False, "spec.replicas": 0, "spec.selector": {"a": "b"},
                      "spec.note": None}


def test_index_into_a_mapping_or_a_key_into_a_list_finds_nothing() -> None:
    obj = {"metadata": {"name": "x"}, "spec": {"containers": [{"name": "a"}], "map": {"0": "zero"}}}
    result = project(obj, parse_field_paths(["spec.containers.name", "spec.map[0]", "spec.containers[*][*]"]))
    assert result == {"name": "x", "spec.containers[*][*]": ["a"]}
