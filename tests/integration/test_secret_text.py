"""Secret values never reach an answer through kubectl's *text*: describe, diff, errors.

Issue 16 item 2: these cases leak when the server's text redaction is skipped, because the
emulator prints what a real cluster prints: the service-account token controller fills
`kubernetes.io/service-account-token` Secrets and `kubectl describe secret` shows the token
in clear; a Secret written by client-side apply carries its values in the last-applied
annotation, which `kubectl diff` shows as context next to a metadata change. Each leak is
first shown to happen (the `--show-secrets` control, or bare kubectl), then shown not to
reach the model through a real MCP client, over the subprocess and the fast read paths.
"""

from __future__ import annotations

import base64
import json
import uuid
from collections.abc import Callable
from typing import Any

import pytest

from harness import Cluster, McpServerProcess, ToolAnswer

PASSWORD = "Text-s3cr3t-passw0rd-1f9a"
LINE_TOKEN = "Text-multi-line-t0ken-first-line\nText-multi-line-t0ken-second-line"
SA_TOKEN = "kubernetes.io/service-account-token"


def b64(value: str) -> str:
    return base64.b64encode(value.encode()).decode()


@pytest.fixture(scope="module")
def namespace(cluster: Cluster, emulator: Any) -> str:
    name = f"text-{uuid.uuid4().hex[:6]}"
    cluster.kubectl("create", "namespace", name)
    cluster.kubectl("create", "serviceaccount", "robot", "-n", name)
    documents = [
        # Filled by the emulator's token controller, as kube-controller-manager would.
        secret("robot-token", name, SA_TOKEN, annotations={"kubernetes.io/service-account.name": "robot"}),
        # A token written by hand into the same type: kubectl prints it too, line breaks and all.
        secret("hand-token", name, SA_TOKEN, data={"token": b64(LINE_TOKEN)}, annotations={"kubernetes.io/service-account.name": "robot"}),
        secret("db", name, "Opaque", data={"password": b64(PASSWORD)}),
        secret("db-plain", name, "Opaque", string_data={"password": PASSWORD + "-plain"}),
        secret("basic", name, "kubernetes.io/basic-auth", data={"username": b64("admin-user"), "password": b64(PASSWORD + "-basic")}),
        {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {"name": "uses-token", "namespace": name},
            "spec": {
                "serviceAccountName": "robot",
                "containers": [
                    {
                        "name": "app",
                        "image": "registry.example.com/app:1",
                        "env": [{"name": "TOKEN", "valueFrom": {"secretKeyRef": {"name": "robot-token", "key": "token"}}}],
                        "volumeMounts": [{"name": "token", "mountPath": "/var/run/token"}],
                    }
                ],
                "volumes": [{"name": "token", "secret": {"secretName": "robot-token"}}],
            },
        },
    ]
    for document in documents:
        cluster.apply(json.dumps(document))  # client-side apply: last-applied annotations, as users write them
    return name


def secret(name: str, namespace: str, type_: str, *, data: dict[str, str] | None = None, string_data: dict[str, str] | None = None,
           annotations: dict[str, str] | None = None, labels: dict[str, str] | None = None) -> dict[str, Any]:
    metadata: dict[str, Any] = {"name": name, "namespace": namespace}
    if annotations:
        metadata["annotations"] = annotations
    if labels:
        metadata["labels"] = labels
    document: dict[str, Any] = {"apiVersion": "v1", "kind": "Secret", "metadata": metadata, "type": type_}
    if data is not None:
        document["data"] = data
    if string_data is not None:
        document["stringData"] = string_data
    return document


def live_values(cluster: Cluster, namespace: str, name: str) -> list[str]:
    """Every value of a live Secret worth hiding, decoded and base64, line by line for multi-line ones."""
    live = cluster.kubectl_json("get", "secret", name, "-n", namespace)
    found = []
    for key, value in (live.get("data") or {}).items():
        if key == "namespace":
            continue  # the namespace's own name, public (the answer names it anyway)
        decoded = base64.b64decode(value).decode()
        found += [value, decoded, *(line for line in decoded.splitlines() if len(line) >= 16)]
    return found


def leaks(answer: ToolAnswer, values: list[str]) -> list[str]:
    blob = answer.text + "\n" + json.dumps(answer.data, ensure_ascii=False)
    return [value[:40] for value in values if value in blob]


@pytest.fixture(scope="module")
def servers(server_factory: Callable[..., McpServerProcess]) -> dict[str, McpServerProcess]:
    return {
        "subprocess": server_factory(),
        "fast-reads": server_factory("--fast-reads"),
        "show": server_factory("--show-secrets"),
    }


def test_the_token_controller_fills_service_account_token_secrets(cluster: Cluster, namespace: str) -> None:
    """The premise, against bare kubectl: a token appears, and `kubectl describe` prints it in clear."""
    live = cluster.kubectl_json("get", "secret", "robot-token", "-n", namespace)
    assert set(live["data"]) == {"token", "ca.crt", "namespace"}
    assert base64.b64decode(live["data"]["namespace"]).decode() == namespace
    assert base64.b64decode(live["data"]["ca.crt"]).startswith(b"-----BEGIN CERTIFICATE-----")
    account = cluster.kubectl_json("get", "serviceaccount", "robot", "-n", namespace)
    assert live["metadata"]["annotations"]["kubernetes.io/service-account.uid"] == account["metadata"]["uid"]
    token = base64.b64decode(live["data"]["token"]).decode()
    assert token.count(".") == 2
    assert token in cluster.kubectl("describe", "secret", "robot-token", "-n", namespace).stdout


def test_a_token_secret_created_before_its_account_is_filled_when_the_account_arrives(cluster: Cluster, namespace: str) -> None:
    cluster.apply(json.dumps(secret("early-token", namespace, SA_TOKEN, annotations={"kubernetes.io/service-account.name": "late"})))
    assert "token" not in (cluster.kubectl_json("get", "secret", "early-token", "-n", namespace).get("data") or {})
    cluster.kubectl("create", "serviceaccount", "late", "-n", namespace)
    assert "token" in cluster.kubectl_json("get", "secret", "early-token", "-n", namespace)["data"]


DESCRIBED = [
    pytest.param("secrets", "robot-token", id="sa-token-filled-by-the-controller"),
    pytest.param("Secret", "robot-token", id="sa-token-kind-spelling"),
    pytest.param("secret.v1.", "robot-token", id="sa-token-fully-qualified"),
    pytest.param("secrets", "hand-token", id="sa-token-multi-line-by-hand"),
    pytest.param("secrets", "db", id="opaque"),
    pytest.param("secrets", "db-plain", id="opaque-from-string-data"),
    pytest.param("secrets", "basic", id="basic-auth"),
]


@pytest.mark.parametrize("server_name", ["subprocess", "fast-reads"])
@pytest.mark.parametrize("kind, name", DESCRIBED)
def test_describe_never_shows_a_secret_value(servers, cluster: Cluster, namespace: str, server_name: str, kind: str, name: str) -> None:
    values = live_values(cluster, namespace, name)
    assert values
    answer = servers[server_name].call("describe_resource", {"kind": kind, "name": name, "namespace": namespace})
    assert not answer.is_error, answer.text
    assert leaks(answer, values) == [], answer.text
    assert f"Name:         {name}" in answer.text  # the rest of the describe text is still there
    assert "bytes" in answer.text or "<redacted>" in answer.text


@pytest.mark.parametrize("name", ["robot-token", "hand-token"])
def test_describe_with_show_secrets_does_show_the_token(servers, cluster: Cluster, namespace: str, name: str) -> None:
    """The control: without the server's redaction the describe text carries the token."""
    values = live_values(cluster, namespace, name)
    answer = servers["show"].call("describe_resource", {"kind": "secrets", "name": name, "namespace": namespace})
    assert not answer.is_error, answer.text
    token = [v for v in values if v.startswith(("eyJ", "Text-multi"))][0]
    assert token in answer.text


@pytest.mark.parametrize("kind, name", [("pods", "uses-token"), ("serviceaccounts", "robot")])
def test_describing_what_references_a_token_never_shows_it(servers, cluster: Cluster, namespace: str, kind: str, name: str) -> None:
    values = live_values(cluster, namespace, "robot-token")
    answer = servers["subprocess"].call("describe_resource", {"kind": kind, "name": name, "namespace": namespace})
    assert not answer.is_error, answer.text
    assert leaks(answer, values) == [], answer.text


DIFFED = [
    pytest.param("db", "Opaque", {"data": {"password": b64(PASSWORD)}}, id="opaque-data"),
    pytest.param("db-plain", "Opaque", {"string_data": {"password": PASSWORD + "-plain"}}, id="opaque-string-data"),
    pytest.param("basic", "kubernetes.io/basic-auth", {"data": {"username": b64("admin-user"), "password": b64(PASSWORD + "-basic")}}, id="basic-auth"),
]


@pytest.mark.parametrize("server_name", ["subprocess", "show"])
@pytest.mark.parametrize("name, type_, content", DIFFED)
def test_a_diff_never_shows_the_last_applied_annotation_values(servers, cluster: Cluster, namespace: str, server_name: str,
                                                               name: str, type_: str, content: dict[str, Any]) -> None:
    """A label change puts the last-applied annotation (the applied values) in the diff's context."""
    applied = json.loads(cluster.kubectl_json("get", "secret", name, "-n", namespace)["metadata"]["annotations"]["kubectl.kubernetes.io/last-applied-configuration"])
    values = [v for section in ("data", "stringData") for v in (applied.get(section) or {}).values()]
    values += [base64.b64decode(v).decode() for v in (applied.get("data") or {}).values()]
    manifest = json.dumps(secret(name, namespace, type_, labels={"reviewed": "yes"}, **content))
    answer = servers[server_name].call("diff_resource", {"manifest": manifest})
    assert not answer.is_error, answer.text
    assert answer.data["changed"] is True
    assert "reviewed" in answer.text
    if server_name == "show":
        assert leaks(answer, values), "the control: kubectl diff shows the annotation next to the label change"
    else:
        assert leaks(answer, values) == [], answer.text


def test_a_diff_that_changes_a_value_hides_old_and_new(servers, cluster: Cluster, namespace: str) -> None:
    new = PASSWORD + "-rotated"
    manifest = json.dumps(secret("db", namespace, "Opaque", data={"password": b64(new)}, labels={"rotated": "yes"}))
    answer = servers["subprocess"].call("diff_resource", {"manifest": manifest})
    assert not answer.is_error, answer.text
    assert leaks(answer, [PASSWORD, b64(PASSWORD), new, b64(new)]) == [], answer.text
