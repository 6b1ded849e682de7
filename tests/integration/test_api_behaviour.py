"""Where the emulator once differed from a real API server: each check runs against both targets.

Bare kubectl shows what the API server says (validation, immutable fields, discovery, tables,
OpenAPI); the tool calls show that mcp-kubectl turns the same answers into the same typed errors.
"""

from __future__ import annotations

import json
import uuid

import pytest

from harness import Cluster, McpServerProcess

pytestmark = [pytest.mark.both_targets]


@pytest.fixture(scope="module")
def namespace(cluster: Cluster) -> str:
    return cluster.new_namespace("api")


def deployment(name: str, namespace: str, *, replicas: int = 1, app: str | None = None, **extra: object) -> dict:
    labels = {"app": app or name}
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": name, "namespace": namespace},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": labels},
            "template": {"metadata": {"labels": labels}, "spec": {"containers": [{"name": "web", "image": "nginx:1.27"}]}},
            **extra,
        },
    }


def rolebinding(name: str, namespace: str, role: str) -> dict:
    return {
        "apiVersion": "rbac.authorization.k8s.io/v1",
        "kind": "RoleBinding",
        "metadata": {"name": name, "namespace": namespace},
        "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": role},
        "subjects": [{"apiGroup": "rbac.authorization.k8s.io", "kind": "User", "name": "someone"}],
    }


def refused(cluster: Cluster, verb: str, document: dict, *flags: str) -> str:
    """kubectl VERB -f - must fail; returns its stderr."""
    done = cluster.kubectl(verb, "-f", "-", *flags, stdin=json.dumps(document), check=False)
    assert done.returncode != 0, f"kubectl {verb} unexpectedly succeeded: {done.stdout}"
    return done.stderr


def name(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:6]}"


# ----------------------------------------------------------------------------- validation


def test_negative_replicas_are_invalid(cluster: Cluster, namespace: str) -> None:
    stderr = refused(cluster, "create", deployment(name("neg"), namespace, replicas=-1))
    assert "is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0" in stderr


def test_negative_replicas_through_the_tool_are_a_typed_invalid(server_factory, namespace: str) -> None:
    writer: McpServerProcess = server_factory("--enable-create")
    answer = writer.fails("create_resource", {"manifest": json.dumps(deployment(name("neg"), namespace, replicas=-1))}, reason="Invalid")
    assert "spec.replicas" in answer.text


def test_unknown_fields_are_refused_under_strict_validation(cluster: Cluster, namespace: str) -> None:
    configmap = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name("strict"), "namespace": namespace},
                 "data": {"a": "b"}, "spec": {"x": 1}}
    stderr = refused(cluster, "create", configmap)  # kubectl sends fieldValidation=Strict by default
    assert 'ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: unknown field "spec"' in stderr
    assert not cluster.exists("configmap", configmap["metadata"]["name"], namespace)
    bad = deployment(name("strict"), namespace)
    bad["spec"]["replica"] = 2
    stderr = refused(cluster, "create", bad)
    assert 'strict decoding error: unknown field "spec.replica"' in stderr


def test_a_malformed_name_is_invalid(cluster: Cluster, namespace: str) -> None:
    configmap = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "Bad_Name", "namespace": namespace}}
    stderr = refused(cluster, "create", configmap)
    assert 'ConfigMap "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain' in stderr


def test_role_ref_cannot_change(cluster: Cluster, namespace: str) -> None:
    binding = rolebinding(name("rb"), namespace, "view")
    cluster.kubectl("create", "-f", "-", stdin=json.dumps(binding))
    stderr = refused(cluster, "apply", rolebinding(binding["metadata"]["name"], namespace, "edit"))
    assert ('roleRef: Invalid value: {"APIGroup":"rbac.authorization.k8s.io","Kind":"ClusterRole","Name":"edit"}: '
            "field is immutable") in stderr
    stored = cluster.kubectl_json("get", "rolebinding", binding["metadata"]["name"], "-n", namespace)
    assert stored["roleRef"]["name"] == "view"


def test_role_ref_change_through_the_tool_is_a_typed_invalid(server_factory, namespace: str) -> None:
    binding = rolebinding(name("rb"), namespace, "view")
    writer: McpServerProcess = server_factory("--enable-create", "--enable-update")
    writer.ok("create_resource", {"manifest": json.dumps(binding)})  # one field manager: no apply conflict first
    answer = writer.fails("update_resource", {"manifest": json.dumps(rolebinding(binding["metadata"]["name"], namespace, "edit"))},
                          reason="Invalid")
    assert "roleRef" in answer.text and "field is immutable" in answer.text


def test_a_deployment_selector_is_immutable(cluster: Cluster, namespace: str) -> None:
    first = deployment(name("sel"), namespace, app="one")
    cluster.kubectl("create", "-f", "-", stdin=json.dumps(first))
    changed = deployment(first["metadata"]["name"], namespace, app="two")
    stderr = refused(cluster, "apply", changed)
    assert 'spec.selector: Invalid value: {"matchLabels":{"app":"two"}}: field is immutable' in stderr


def test_a_selector_must_match_the_template(cluster: Cluster, namespace: str) -> None:
    bad = deployment(name("mismatch"), namespace)
    bad["spec"]["template"]["metadata"]["labels"] = {"app": "other"}
    stderr = refused(cluster, "create", bad)
    assert 'spec.template.metadata.labels: Invalid value: {"app":"other"}: `selector` does not match template `labels`' in stderr


def service(name: str, namespace: str, **spec: object) -> dict:
    return {"apiVersion": "v1", "kind": "Service", "metadata": {"name": name, "namespace": namespace},
            "spec": {"selector": {"app": name}, "ports": [{"port": 80}], **spec}}


@pytest.mark.parametrize(("cluster_ip", "why"), [
    ("not-an-ip", "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"),
    ("10.96.0.010", "must not have leading 0s"),
    ("::ffff:10.96.0.10", "must not be an IPv4-mapped IPv6 address"),
])
def test_a_cluster_ip_must_be_an_ip_address(cluster: Cluster, namespace: str, cluster_ip: str, why: str) -> None:
    bad = service(name("ip"), namespace, clusterIP=cluster_ip)
    stderr = refused(cluster, "create", bad)
    assert f'The Service "{bad["metadata"]["name"]}" is invalid: spec.clusterIPs[0]: Invalid value: "{cluster_ip}": {why}' in stderr
    assert not cluster.exists("service", bad["metadata"]["name"], namespace)


def test_a_cluster_ip_may_not_change_once_set(cluster: Cluster, namespace: str) -> None:
    made = service(name("fixed"), namespace)
    cluster.kubectl("create", "-f", "-", stdin=json.dumps(made))
    stored = cluster.kubectl_json("get", "service", made["metadata"]["name"], "-n", namespace)
    old_ip = stored["spec"]["clusterIP"]
    octets = old_ip.split(".")
    new_ip = ".".join([*octets[:3], str((int(octets[3]) + 7) % 250 + 2)])
    stored["spec"]["clusterIP"] = new_ip
    stored["spec"]["clusterIPs"] = [new_ip]
    stderr = refused(cluster, "replace", stored)
    assert (f'The Service "{made["metadata"]["name"]}" is invalid: spec.clusterIPs[0]: '
            f'Invalid value: ["{new_ip}"]: may not change once set') in stderr
    after = cluster.kubectl_json("get", "service", made["metadata"]["name"], "-n", namespace)
    assert after["spec"]["clusterIP"] == old_ip and after["spec"]["clusterIPs"] == [old_ip]
    # A patch of clusterIP alone: the registry follows it into clusterIPs, then refuses the same way.
    patched = cluster.kubectl("patch", "service", made["metadata"]["name"], "-n", namespace, "--type=merge",
                              "-p", json.dumps({"spec": {"clusterIP": new_ip}}), check=False)
    assert patched.returncode != 0
    assert f'spec.clusterIPs[0]: Invalid value: ["{new_ip}"]: may not change once set' in patched.stderr
    # A replace that leaves the cluster IPs out keeps them.
    del stored["spec"]["clusterIP"], stored["spec"]["clusterIPs"], stored["metadata"]["resourceVersion"]
    stored["metadata"].setdefault("labels", {})["kept"] = "yes"
    cluster.kubectl("replace", "-f", "-", stdin=json.dumps(stored))
    after = cluster.kubectl_json("get", "service", made["metadata"]["name"], "-n", namespace)
    assert after["spec"]["clusterIPs"] == [old_ip] and after["metadata"]["labels"]["kept"] == "yes"


def pod_mounting(volume: str) -> dict:
    return {"containers": [{"name": "web", "image": "nginx:1.27", "volumeMounts": [{"name": volume, "mountPath": "/data"}]}]}


def test_a_volume_mount_must_name_a_volume_of_the_pod(cluster: Cluster, namespace: str) -> None:
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name("mount"), "namespace": namespace},
           "spec": pod_mounting("data")}
    stderr = refused(cluster, "create", pod)
    assert f'The Pod "{pod["metadata"]["name"]}" is invalid: spec.containers[0].volumeMounts[0].name: Not found: "data"' in stderr
    assert not cluster.exists("pod", pod["metadata"]["name"], namespace)
    bad = deployment(name("mount"), namespace)
    bad["spec"]["template"]["spec"] = pod_mounting("cache")
    stderr = refused(cluster, "create", bad)
    assert 'is invalid: spec.template.spec.containers[0].volumeMounts[0].name: Not found: "cache"' in stderr
    pod["spec"]["volumes"] = [{"name": "data", "emptyDir": {}}]
    cluster.kubectl("create", "-f", "-", stdin=json.dumps(pod))  # with the volume it is fine


def test_a_volume_mount_naming_no_volume_through_the_tool_is_a_typed_invalid(server_factory, namespace: str) -> None:
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name("mount"), "namespace": namespace},
           "spec": pod_mounting("data")}
    writer: McpServerProcess = server_factory("--enable-create")
    answer = writer.fails("create_resource", {"manifest": json.dumps(pod)}, reason="Invalid")
    assert "spec.containers[0].volumeMounts[0].name" in answer.text


# ----------------------------------------------------------------------------- pod log options

_PARSE = "strconv.ParseInt: parsing"
_TIME = 'as "2006-01-02T15:04:05Z07:00": cannot parse'


@pytest.mark.parametrize(("query", "answer"), [
    ("sinceSeconds=0", 'The PodLogOptions "{pod}" is invalid: sinceSeconds: Invalid value: 0: must be greater than 0'),
    ("sinceSeconds=-5", 'The PodLogOptions "{pod}" is invalid: sinceSeconds: Invalid value: -5: must be greater than 0'),
    ("tailLines=-1", 'The PodLogOptions "{pod}" is invalid: tailLines: Invalid value: -1: must be greater than or equal to 0'),
    ("limitBytes=0", 'The PodLogOptions "{pod}" is invalid: limitBytes: Invalid value: 0: must be greater than 0'),
    ("sinceSeconds=5&sinceTime=2020-01-01T00:00:00Z",
     'The PodLogOptions "{pod}" is invalid: []: Forbidden: at most one of `sinceTime` or `sinceSeconds` may be specified'),
    ("sinceSeconds=soon", f'Error from server (BadRequest): {_PARSE} "soon": invalid syntax'),
    ("sinceSeconds=99999999999999999999", f'Error from server (BadRequest): {_PARSE} "99999999999999999999": value out of range'),
    ("sinceSeconds=1_0", f'Error from server (BadRequest): {_PARSE} "1_0": invalid syntax'),
    ("sinceSeconds=%205", f'Error from server (BadRequest): {_PARSE} " 5": invalid syntax'),
    ("tailLines=x", f'Error from server (BadRequest): {_PARSE} "x": invalid syntax'),
    ("limitBytes=soon", f'Error from server (BadRequest): {_PARSE} "soon": invalid syntax'),
    ("sinceTime=soon", f'Error from server (BadRequest): parsing time "soon" {_TIME} "soon" as "2006"'),
    ("sinceTime=2020-01-01", f'Error from server (BadRequest): parsing time "2020-01-01" {_TIME} "" as "T"'),
    ("sinceTime=2020-13-01T00:00:00Z", 'Error from server (BadRequest): parsing time "2020-13-01T00:00:00Z": month out of range'),
    ("sinceSeconds=%2B5", 'Error from server (NotFound): pods "{pod}" not found'),
    ("sinceSeconds=9223372036854775807", 'Error from server (NotFound): pods "{pod}" not found'),
])
def test_log_options_are_checked_before_the_pod_is_looked_up(cluster: Cluster, namespace: str, query: str, answer: str) -> None:
    # The pod log registry parses (400) and validates (422, ValidatePodLogOptions) the options first: the
    # pod need not exist. A value that parses and passes gets as far as the lookup (NotFound).
    pod = name("nopod")
    done = cluster.kubectl("get", "--raw", f"/api/v1/namespaces/{namespace}/pods/{pod}/log?{query}", check=False)
    assert done.returncode == 1
    assert done.stderr.strip() == answer.format(pod=pod)


# ----------------------------------------------------------------------------- discovery and documents

# Types every 1.37 API server with default feature gates serves (a sample across its groups).
SERVED_BY_1_37 = {
    "bindings", "componentstatuses", "configmaps", "endpoints", "events", "limitranges", "namespaces", "nodes",
    "persistentvolumeclaims", "persistentvolumes", "pods", "podtemplates", "replicationcontrollers",
    "resourcequotas", "secrets", "serviceaccounts", "services",
    "mutatingwebhookconfigurations", "validatingadmissionpolicies", "validatingadmissionpolicybindings",
    "validatingwebhookconfigurations", "customresourcedefinitions", "apiservices",
    "controllerrevisions", "daemonsets", "deployments", "replicasets", "statefulsets",
    "selfsubjectreviews", "tokenreviews", "localsubjectaccessreviews", "selfsubjectaccessreviews",
    "selfsubjectrulesreviews", "subjectaccessreviews", "horizontalpodautoscalers", "cronjobs", "jobs",
    "certificatesigningrequests", "leases", "endpointslices", "flowschemas", "prioritylevelconfigurations",
    "ingressclasses", "ingresses", "ipaddresses", "networkpolicies", "servicecidrs", "runtimeclasses",
    "poddisruptionbudgets", "clusterrolebindings", "clusterroles", "rolebindings", "roles", "priorityclasses",
    "csidrivers", "csinodes", "csistoragecapacities", "storageclasses", "volumeattachments",
    "volumeattributesclasses", "deviceclasses", "resourceclaims", "resourceclaimtemplates", "resourceslices",
}


def test_discovery_serves_what_a_1_37_server_serves(cluster: Cluster) -> None:
    names = {line.split(".")[0] for line in cluster.kubectl("api-resources", "-o", "name").stdout.split()}
    assert SERVED_BY_1_37 - names == set()


def test_a_table_has_the_real_columns(cluster: Cluster, namespace: str) -> None:
    made = deployment(name("cols"), namespace)
    cluster.kubectl("create", "-f", "-", stdin=json.dumps(made))
    header = cluster.kubectl("get", "deployments", "-n", namespace, "-o", "wide").stdout.splitlines()[0].split()
    assert header == ["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE", "CONTAINERS", "IMAGES", "SELECTOR"]
    header = cluster.kubectl("get", "pods", "-A", "-o", "wide").stdout.splitlines()[0].split()
    assert header[:6] == ["NAMESPACE", "NAME", "READY", "STATUS", "RESTARTS", "AGE"]


def test_not_found_reads_like_the_api_server(cluster: Cluster, namespace: str) -> None:
    done = cluster.kubectl("get", "configmap", "no-such-map", "-n", namespace, check=False)
    assert done.returncode != 0
    assert 'Error from server (NotFound): configmaps "no-such-map" not found' in done.stderr
    done = cluster.kubectl("get", "deployments.apps", "no-such-deploy", "-n", namespace, check=False)
    assert 'Error from server (NotFound): deployments.apps "no-such-deploy" not found' in done.stderr


def test_kubectl_explain_works_from_the_servers_openapi(cluster: Cluster) -> None:
    # The emulator serves the real control plane's recorded schemas (emulator/openapi.py).
    done = cluster.kubectl("explain", "deployment.spec.replicas", check=False)
    assert done.returncode == 0, done.stderr
    assert "FIELD: replicas <integer>" in done.stdout
