"""Security like a real cluster (TLS, tokens, 401, 403) and the injected faults, seen through kubectl."""

from __future__ import annotations

import base64
import json
import ssl
import time
import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest
import yaml

from mcp_kubectl.emulator import Emulator
from tests.emulator.conftest import PINNED_KUBECTL, Kubectl


def test_https_by_default_with_the_ca_in_the_kubeconfig(emulator: Emulator) -> None:
    config = yaml.safe_load(emulator.kubeconfig.read_text())
    cluster = config["clusters"][0]["cluster"]
    assert cluster["server"].startswith("https://127.0.0.1:")
    ca = base64.b64decode(cluster["certificate-authority-data"]).decode()
    assert ca.startswith("-----BEGIN CERTIFICATE-----")
    context = ssl.create_default_context(cadata=ca)
    host, port = "127.0.0.1", emulator.port
    import socket

    with socket.create_connection((host, port), timeout=5) as raw, context.wrap_socket(raw, server_hostname=host) as tls:
        assert tls.version() in ("TLSv1.2", "TLSv1.3")
    assert config["users"][0]["user"]["token"]
    assert config["current-context"] == "emulator"
    assert oct(emulator.kubeconfig.stat().st_mode & 0o777) == "0o600"


def test_plain_http_option() -> None:
    with Emulator(tls=False) as emu:
        config = yaml.safe_load(emu.kubeconfig.read_text())
        assert config["clusters"][0]["cluster"] == {"server": emu.url}
        assert emu.url.startswith("http://")
        kubectl = Kubectl(PINNED_KUBECTL, emu)
        assert kubectl.ok("get", "namespaces", "-o", "name").stdout.splitlines()[0] == "namespace/default"


def test_unauthorized(kubectl: Kubectl) -> None:
    kubectl.emulator.clear_requests()
    result = kubectl.run("get", "pods", kubeconfig=kubectl.emulator.kubeconfig_for("bad-token"))
    assert result.returncode == 1
    last_line = result.stderr.strip().splitlines()[-1]
    # Official kubectl 1.32.3 and 1.37 both read discovery with an aggregated Accept header and print client-go's
    # generic 401 text, as against a real cluster (the machine's 1.32.4 "dispatcher" build printed "(Unauthorized)").
    assert last_line == "error: You must be logged in to the server (the server has asked for the client to provide credentials)"
    refused = [r.status for r in kubectl.emulator.requests if r.user is None]
    assert refused and set(refused) == {401}


def test_forbidden(kubectl: Kubectl) -> None:
    viewer = kubectl.emulator.kubeconfig_for("viewer")
    allowed = kubectl.run("get", "pods", "-n", "default", "-o", "name", kubeconfig=viewer)
    assert allowed.returncode == 0 and allowed.stdout
    other_namespace = kubectl.run("get", "pods", "-n", "shop", kubeconfig=viewer)
    assert other_namespace.returncode == 1
    assert other_namespace.stderr.strip() == (
        'Error from server (Forbidden): pods is forbidden: User "viewer" cannot list resource "pods" in API group "" '
        'in the namespace "shop"'
    )
    delete = kubectl.run("delete", "deployment", "checkout", "-n", "default", kubeconfig=viewer)
    assert delete.returncode == 1
    assert delete.stderr.strip() == (
        'Error from server (Forbidden): deployments.apps "checkout" is forbidden: User "viewer" cannot delete resource '
        '"deployments" in API group "apps" in the namespace "default"'
    )
    nodes = kubectl.run("get", "nodes", kubeconfig=viewer)
    assert nodes.stderr.strip() == (
        'Error from server (Forbidden): nodes is forbidden: User "viewer" cannot list resource "nodes" in API group "" '
        "at the cluster scope"
    )


def test_auth_can_i_follows_the_rules(kubectl: Kubectl) -> None:
    viewer = kubectl.emulator.kubeconfig_for("viewer")
    assert kubectl.run("auth", "can-i", "list", "pods", "-n", "default", kubeconfig=viewer).stdout.strip() == "yes"
    denied = kubectl.run("auth", "can-i", "delete", "pods", "-n", "default", kubeconfig=viewer)
    assert (denied.returncode, denied.stdout.strip()) == (1, "no")
    assert kubectl.run("auth", "can-i", "delete", "pods").stdout.strip() == "yes"


@pytest.fixture
def faulty(emulator: Emulator) -> Iterator[Emulator]:
    yield emulator
    emulator.faults.clear()


def test_fault_latency(kubectl_pinned: Kubectl, faulty: Emulator) -> None:
    faulty.faults.latency("/api/v1/namespaces/shop/configmaps", 0.6)
    started = time.monotonic()
    kubectl_pinned.ok("get", "configmaps", "-n", "shop", "-o", "name")
    assert time.monotonic() - started >= 0.6
    slow = [r for r in faulty.requests if r.path == "/api/v1/namespaces/shop/configmaps"]
    assert slow and slow[-1].duration_s >= 0.6


def test_fault_500(kubectl_pinned: Kubectl, faulty: Emulator) -> None:
    faulty.faults.error_500("/api/v1/namespaces/shop/secrets")
    result = kubectl_pinned.run("get", "secrets", "-n", "shop")
    assert result.returncode == 1
    assert "Error from server (InternalError): Internal error occurred: injected fault" in result.stderr


def test_fault_drop(kubectl_pinned: Kubectl, faulty: Emulator) -> None:
    """A write is not retried by client-go (reads are, ten times, with back-off), so one drop shows at once."""
    faulty.faults.drop("/api/v1/namespaces/shop/configmaps")
    configmap = '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"dropped","namespace":"shop"}}'
    result = kubectl_pinned.run("create", "-f", "-", input=configmap)
    assert result.returncode == 1
    assert "EOF" in result.stderr or "connection reset" in result.stderr
    assert faulty.get("v1", "ConfigMap", "dropped", "shop") is None


def test_fault_hang_then_clear(kubectl_pinned: Kubectl, faulty: Emulator) -> None:
    """A hung request times out on the client; other requests are served in parallel meanwhile."""
    import subprocess

    faulty.faults.hang("/api/v1/namespaces/shop/pods")
    started = time.monotonic()
    hung = subprocess.Popen([str(kubectl_pinned.binary), "--kubeconfig", str(faulty.kubeconfig), "--cache-dir",
                             str(kubectl_pinned.cache_dir), "get", "pods", "-n", "shop", "--request-timeout=1.5s"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(0.3)
    meanwhile = kubectl_pinned.ok("get", "configmaps", "-n", "shop", "-o", "name")
    assert meanwhile.stdout.strip() == "configmap/web-config"
    assert hung.poll() is None  # still waiting while the other request was answered
    _, stderr = hung.communicate(timeout=30)
    assert hung.returncode == 1
    assert 1.5 <= time.monotonic() - started < 10
    assert "Client.Timeout" in stderr or "context deadline exceeded" in stderr or "timeout" in stderr.lower()
    faulty.faults.clear()
    assert "pod/worker-crashloop" in kubectl_pinned.ok("get", "pods", "-n", "shop", "-o", "name").stdout.splitlines()


def test_method_not_allowed(kubectl_pinned: Kubectl) -> None:
    """componentstatuses only support get and list, as on a real cluster."""
    result = kubectl_pinned.run("delete", "componentstatuses", "scheduler")
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "Error from server (MethodNotAllowed): the server does not allow this method on the requested resource"
    )


def test_a_status_about_no_name_leaves_the_name_out(emulator: Emulator) -> None:
    # Go's omitempty on StatusDetails.name: a real server writes no "name" for an object without one.
    config = yaml.safe_load(emulator.kubeconfig.read_text())
    cluster, user = config["clusters"][0]["cluster"], config["users"][0]["user"]
    context = ssl.create_default_context(cadata=base64.b64decode(cluster["certificate-authority-data"]).decode())
    request = urllib.request.Request(
        f"{cluster['server']}/api/v1/namespaces/default/configmaps", method="POST",
        data=json.dumps({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {}}).encode(),
        headers={"Authorization": f"Bearer {user['token']}", "Content-Type": "application/json"})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, context=context, timeout=10)
    status = json.loads(refused.value.read())
    assert refused.value.code == 422 and status["reason"] == "Invalid"
    assert "name" not in status["details"]
    assert status["details"]["kind"] == "ConfigMap"
