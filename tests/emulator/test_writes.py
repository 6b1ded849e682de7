"""Writes through kubectl: create, apply (client- and server-side), replace, patch, delete, diff, scale, dry runs."""

from __future__ import annotations

import json
import re

import pytest

from tests.emulator.conftest import Kubectl, manifest

CONFIGMAP = """apiVersion: v1
kind: ConfigMap
metadata:
  name: {name}
  namespace: {namespace}
data:
  color: {color}
"""


def configmap(namespace: str, name: str = "settings", color: str = "blue") -> str:
    return CONFIGMAP.format(namespace=namespace, name=name, color=color)


def deployment(namespace: str, nginx_image: str = "nginx:1.27", replicas: int = 2) -> str:
    text = manifest("deployment.yaml").replace("namespace: shop", f"namespace: {namespace}")
    return text.replace("nginx:1.27", nginx_image).replace("replicas: 2", f"replicas: {replicas}")


def test_create_fills_server_fields(kubectl: Kubectl, namespace: str) -> None:
    result = kubectl.run("create", "-f", "-", input=configmap(namespace))
    assert (result.returncode, result.stdout.strip()) == (0, "configmap/settings created")
    stored = kubectl.emulator.get("v1", "ConfigMap", "settings", namespace)
    assert stored is not None
    assert re.fullmatch(r"[0-9a-f-]{36}", stored["metadata"]["uid"])
    assert stored["metadata"]["resourceVersion"].isdigit()
    assert stored["metadata"]["creationTimestamp"].endswith("Z")
    assert stored["metadata"]["managedFields"][0]["manager"] == "kubectl-create"
    kubectl.ok("create", "-f", "-", input=deployment(namespace))
    created = kubectl.emulator.get("apps/v1", "Deployment", "web", namespace)
    assert created is not None and created["metadata"]["generation"] == 1


def test_create_existing_is_already_exists(kubectl: Kubectl, namespace: str) -> None:
    kubectl.ok("create", "-f", "-", input=configmap(namespace))
    result = kubectl.run("create", "-f", "-", input=configmap(namespace))
    assert result.returncode == 1
    assert result.stderr.strip() == 'Error from server (AlreadyExists): error when creating "STDIN": configmaps "settings" already exists'


def test_create_in_a_missing_namespace_is_not_found(kubectl: Kubectl) -> None:
    result = kubectl.run("create", "-f", "-", input=configmap("no-such-namespace"))
    assert result.returncode == 1
    assert result.stderr.strip() == 'Error from server (NotFound): error when creating "STDIN": namespaces "no-such-namespace" not found'


def test_invalid_name_is_invalid_with_the_real_message(kubectl: Kubectl, namespace: str) -> None:
    result = kubectl.run("create", "-f", "-", input=configmap(namespace, name="Bad_Name"))
    assert result.returncode == 1
    assert result.stderr.strip() == (
        'The ConfigMap "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain '
        "must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric "
        "character (e.g. 'example.com', regex used for validation is "
        "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
    )


def test_typed_create_commands_send_protobuf(kubectl: Kubectl, namespace: str) -> None:
    """`kubectl create configmap|secret|deployment` write protobuf; the emulator decodes them."""
    kubectl.ok("create", "configmap", "literal", "--from-literal=a=b", "-n", namespace)
    kubectl.ok("create", "secret", "generic", "creds", "--from-literal=user=admin", "-n", namespace)
    kubectl.ok("create", "deployment", "api", "--image=nginx:1.27", "--replicas=3", "-n", namespace)
    assert kubectl.emulator.get("v1", "ConfigMap", "literal", namespace)["data"] == {"a": "b"}
    assert kubectl.emulator.get("v1", "Secret", "creds", namespace)["data"] == {"user": "YWRtaW4="}
    created = kubectl.emulator.get("apps/v1", "Deployment", "api", namespace)
    assert created["spec"]["replicas"] == 3
    assert created["spec"]["template"]["spec"]["containers"][0]["image"] == "nginx:1.27"
    status = kubectl.ok("rollout", "status", "deployment/api", "-n", namespace, "--timeout=10s")
    assert 'deployment "api" successfully rolled out' in status.stdout


def test_secret_string_data_is_folded_into_data(kubectl_pinned: Kubectl, namespace: str) -> None:
    """As the apiserver does: stringData is write-only, merged into data as base64."""
    secret = f"apiVersion: v1\nkind: Secret\nmetadata:\n  name: creds\n  namespace: {namespace}\nstringData:\n  password: hunter2\n"
    kubectl_pinned.ok("apply", "-f", "-", input=secret)
    stored = kubectl_pinned.emulator.get("v1", "Secret", "creds", namespace)
    assert stored["data"] == {"password": "aHVudGVyMg=="} and "stringData" not in stored
    diff = kubectl_pinned.run("diff", "-f", "-", input=secret.replace("hunter2", "hunter3"))
    assert diff.returncode == 1 and "hunter" not in diff.stdout
    assert "-  password: '*** (before)'\n+  password: '*** (after)'" in diff.stdout


def test_more_typed_create_commands(kubectl_pinned: Kubectl, namespace: str) -> None:
    kubectl = kubectl_pinned
    kubectl.ok("create", "service", "clusterip", "api", "--tcp=80:8080", "-n", namespace)
    service = kubectl.emulator.get("v1", "Service", "api", namespace)
    assert service["spec"]["ports"] == [{"name": "80-8080", "protocol": "TCP", "port": 80, "targetPort": 8080}]
    assert service["spec"]["selector"] == {"app": "api"} and service["spec"]["clusterIP"].startswith("10.96.")
    kubectl.ok("create", "role", "reader", "--verb=get,list", "--resource=pods", "-n", namespace)
    assert kubectl.emulator.get("rbac.authorization.k8s.io/v1", "Role", "reader", namespace)["rules"] == [
        {"verbs": ["get", "list"], "apiGroups": [""], "resources": ["pods"]}]
    kubectl.ok("create", "job", "once", "--image=busybox:1.36", "-n", namespace, "--", "echo", "hi")
    job = kubectl.emulator.get("batch/v1", "Job", "once", namespace)
    assert job["spec"]["template"]["spec"]["containers"][0]["command"] == ["echo", "hi"]
    assert "condition met" in kubectl.ok("wait", "--for=condition=complete", "job/once", "-n", namespace, "--timeout=10s").stdout
    kubectl.ok("create", "cronjob", "nightly", "--image=busybox:1.36", "--schedule=0 3 * * *", "-n", namespace)
    table = kubectl.ok("get", "jobs,cronjobs", "-n", namespace).stdout
    assert re.search(r"^job.batch/once\s+Complete\s+1/1\s+\d+s\s+\d+s$", table, re.M), table
    assert re.search(r"^cronjob.batch/nightly\s+0 3 \* \* \*\s+<none>\s+False\s+0\s+<none>\s+\d+s$", table, re.M), table
    assert kubectl.emulator.get("batch/v1", "CronJob", "nightly", namespace)["spec"]["schedule"] == "0 3 * * *"
    kubectl.ok("create", "rolebinding", "bob-reads", "--role=reader", "--user=bob", "-n", namespace)
    binding = kubectl.emulator.get("rbac.authorization.k8s.io/v1", "RoleBinding", "bob-reads", namespace)
    assert binding["roleRef"] == {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "reader"}
    assert binding["subjects"] == [{"kind": "User", "apiGroup": "rbac.authorization.k8s.io", "name": "bob"}]


def test_drain_evicts_pods(kubectl_pinned: Kubectl, namespace: str) -> None:
    kubectl_pinned.ok("create", "deployment", "api", "--image=nginx:1.27", "--replicas=3", "-n", namespace)
    pods = kubectl_pinned.run("get", "pods", "-n", namespace, "-o", "json").json()["items"]
    node = pods[0]["spec"]["nodeName"]
    on_node = {p["metadata"]["name"] for p in pods if p["spec"]["nodeName"] == node}
    result = kubectl_pinned.run("drain", node, "--pod-selector=app=api", "--timeout=20s")
    assert result.returncode == 0, result.stderr
    left = {p["metadata"]["name"] for p in kubectl_pinned.run("get", "pods", "-n", namespace, "-o", "json").json()["items"]}
    assert not (on_node & left) and left
    kubectl_pinned.ok("uncordon", node)


def test_client_side_apply_changes_one_container_and_keeps_the_other(kubectl: Kubectl, namespace: str) -> None:
    first = kubectl.run("apply", "-f", "-", input=deployment(namespace))
    assert (first.returncode, first.stdout.strip()) == (0, "deployment.apps/web created")
    unchanged = kubectl.run("apply", "-f", "-", input=deployment(namespace))
    assert unchanged.stdout.strip() == "deployment.apps/web unchanged"
    kubectl.emulator.clear_requests()
    second = kubectl.run("apply", "-f", "-", input=deployment(namespace, nginx_image="nginx:1.28"))
    assert (second.returncode, second.stdout.strip()) == (0, "deployment.apps/web configured")
    patches = [r for r in kubectl.emulator.requests if r.method == "PATCH"]
    assert len(patches) == 1  # a strategic merge patch, not a replace
    live = kubectl.run("get", "deployment", "web", "-n", namespace, "-o", "json").json()
    containers = live["spec"]["template"]["spec"]["containers"]
    assert [(c["name"], c["image"]) for c in containers] == [("nginx", "nginx:1.28"), ("log-shipper", "fluent/fluent-bit:3.1")]
    assert containers[1]["volumeMounts"] == [{"name": "logs", "mountPath": "/var/log/nginx"}]
    assert live["metadata"]["generation"] == 2
    assert "kubectl.kubernetes.io/last-applied-configuration" in live["metadata"]["annotations"]


def test_server_side_apply_and_its_conflict(kubectl: Kubectl, namespace: str) -> None:
    created = kubectl.run("apply", "--server-side", "-f", "-", input=deployment(namespace))
    assert (created.returncode, created.stdout.strip()) == (0, "deployment.apps/web serverside-applied")
    live = kubectl.emulator.get("apps/v1", "Deployment", "web", namespace)
    assert any(m["manager"] == "kubectl" and m["operation"] == "Apply" for m in live["metadata"]["managedFields"])
    conflict = kubectl.run("apply", "--server-side", "--field-manager", "ci-bot", "-f", "-",
                           input=deployment(namespace, replicas=5))
    assert conflict.returncode == 1
    assert conflict.stderr.startswith('error: Apply failed with 1 conflict: conflict with "kubectl": .spec.replicas\n')
    assert kubectl.emulator.get("apps/v1", "Deployment", "web", namespace)["spec"]["replicas"] == 2
    forced = kubectl.run("apply", "--server-side", "--field-manager", "ci-bot", "--force-conflicts", "-f", "-",
                         input=deployment(namespace, replicas=5))
    assert forced.returncode == 0, forced.stderr
    assert kubectl.emulator.get("apps/v1", "Deployment", "web", namespace)["spec"]["replicas"] == 5


def test_replace_with_a_stale_resource_version_conflicts(kubectl: Kubectl, namespace: str) -> None:
    kubectl.ok("create", "-f", "-", input=configmap(namespace))
    live = kubectl.run("get", "configmap", "settings", "-n", namespace, "-o", "json").json()
    live["data"]["color"] = "green"
    kubectl.ok("replace", "-f", "-", input=json.dumps(live))
    live["data"]["color"] = "red"  # still carries the old resourceVersion
    stale = kubectl.run("replace", "-f", "-", input=json.dumps(live))
    assert stale.returncode == 1
    assert stale.stderr.strip() == (
        'Error from server (Conflict): error when replacing "STDIN": Operation cannot be fulfilled on configmaps '
        '"settings": the object has been modified; please apply your changes to the latest version and try again'
    )
    assert kubectl.emulator.get("v1", "ConfigMap", "settings", namespace)["data"]["color"] == "green"


@pytest.mark.parametrize(
    ("patch_type", "patch", "check"),
    [
        ("json", '[{"op":"replace","path":"/spec/replicas","value":4}]', lambda d: d["spec"]["replicas"] == 4),
        ("merge", '{"metadata":{"labels":{"tier":"edge"}}}', lambda d: d["metadata"]["labels"]["tier"] == "edge"),
        ("strategic", '{"spec":{"template":{"spec":{"containers":[{"name":"nginx","image":"nginx:1.29"}]}}}}',
         lambda d: [c["image"] for c in d["spec"]["template"]["spec"]["containers"]] == ["nginx:1.29", "fluent/fluent-bit:3.1"]),
    ],
)
def test_patch_types(kubectl_pinned: Kubectl, namespace: str, patch_type: str, patch: str, check) -> None:
    kubectl_pinned.ok("create", "-f", "-", input=deployment(namespace))
    result = kubectl_pinned.run("patch", "deployment", "web", "-n", namespace, "--type", patch_type, "-p", patch)
    assert (result.returncode, result.stdout.strip()) == (0, "deployment.apps/web patched")
    assert check(kubectl_pinned.emulator.get("apps/v1", "Deployment", "web", namespace))


def test_strategic_patch_on_a_custom_resource_is_415(kubectl: Kubectl) -> None:
    result = kubectl.run("patch", "widget", "blue-widget", "-n", "shop", "--type", "strategic", "-p", '{"spec":{"size":4}}')
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "error: application/strategic-merge-patch+json is not supported by example.com/v1, Kind=Widget: the body of the "
        "request was in an unknown format - accepted media types include: application/json-patch+json, "
        "application/merge-patch+json, application/apply-patch+yaml"
    )
    merged = kubectl.run("patch", "widget", "blue-widget", "-n", "shop", "--type", "merge", "-p", '{"spec":{"size":3}}')
    assert merged.returncode == 0, merged.stderr


def test_delete_returns_and_removes(kubectl: Kubectl, namespace: str) -> None:
    kubectl.ok("create", "-f", "-", input=configmap(namespace))
    result = kubectl.run("delete", "configmap", "settings", "-n", namespace)
    assert result.returncode == 0
    assert result.stdout.strip() in ('configmap "settings" deleted', f'configmap "settings" deleted from {namespace} namespace')
    assert kubectl.emulator.get("v1", "ConfigMap", "settings", namespace) is None
    again = kubectl.run("delete", "configmap", "settings", "-n", namespace)
    assert (again.returncode, again.stderr.strip()) == (1, 'Error from server (NotFound): configmaps "settings" not found')


def test_deleting_a_namespace_removes_its_contents(kubectl_pinned: Kubectl, namespace: str) -> None:
    kubectl_pinned.ok("create", "-f", "-", input=configmap(namespace))
    kubectl_pinned.ok("create", "-f", "-", input=deployment(namespace))
    kubectl_pinned.ok("delete", "namespace", namespace)
    assert kubectl_pinned.emulator.get("v1", "Namespace", namespace) is None
    assert kubectl_pinned.emulator.get("v1", "ConfigMap", "settings", namespace) is None
    assert kubectl_pinned.emulator.get("apps/v1", "Deployment", "web", namespace) is None


def test_diff(kubectl: Kubectl, namespace: str) -> None:
    kubectl.ok("apply", "-f", "-", input=deployment(namespace))
    same = kubectl.run("diff", "-f", "-", input=deployment(namespace))
    assert (same.returncode, same.stdout) == (0, "")
    changed = kubectl.run("diff", "-f", "-", input=deployment(namespace, nginx_image="nginx:1.30"))
    assert changed.returncode == 1, changed.stderr
    assert "-        image: nginx:1.27\n+        image: nginx:1.30" in changed.stdout
    new = kubectl.run("diff", "-f", "-", input=configmap(namespace, name="brand-new"))
    assert new.returncode == 1 and "+  name: brand-new" in new.stdout
    assert kubectl.emulator.get("v1", "ConfigMap", "brand-new", namespace) is None


def test_scale_subresource(kubectl_pinned: Kubectl, namespace: str) -> None:
    kubectl_pinned.ok("create", "-f", "-", input=deployment(namespace))
    result = kubectl_pinned.run("scale", "deployment", "web", "-n", namespace, "--replicas=6")
    assert (result.returncode, result.stdout.strip()) == (0, "deployment.apps/web scaled")
    assert kubectl_pinned.emulator.get("apps/v1", "Deployment", "web", namespace)["spec"]["replicas"] == 6
    scale = json.loads(kubectl_pinned.ok("get", "--raw", f"/apis/apps/v1/namespaces/{namespace}/deployments/web/scale").stdout)
    assert scale["kind"] == "Scale" and scale["spec"]["replicas"] == 6 and scale["status"]["selector"] == "app=web"


def test_server_dry_run_changes_nothing(kubectl: Kubectl, namespace: str) -> None:
    kubectl.ok("create", "-f", "-", input=configmap(namespace))
    kubectl.ok("create", "-f", "-", input=deployment(namespace))
    emulator = kubectl.emulator
    before = emulator.snapshot()
    live = kubectl.run("get", "configmap", "settings", "-n", namespace, "-o", "json").json()
    live["data"]["color"] = "dry"
    commands = [
        (["create", "-f", "-"], configmap(namespace, name="other")),
        (["apply", "-f", "-"], configmap(namespace, color="dry")),
        (["apply", "--server-side", "--force-conflicts", "-f", "-"], deployment(namespace, replicas=9)),
        (["replace", "-f", "-"], json.dumps(live)),
        (["patch", "configmap", "settings", "-n", namespace, "-p", '{"data":{"color":"dry"}}'], None),
        (["scale", "deployment", "web", "-n", namespace, "--replicas=9"], None),
        (["label", "configmap", "settings", "-n", namespace, "dry=run"], None),
        (["create", "configmap", "typed", "-n", namespace, "--from-literal=a=b"], None),
        (["delete", "configmap", "settings", "-n", namespace], None),
        (["delete", "namespace", namespace], None),
    ]
    for args, stdin in commands:
        emulator.clear_requests()
        result = kubectl.run(*args, "--dry-run=server", input=stdin)
        assert result.returncode == 0, (args, result.stderr)
        writes = [r for r in emulator.requests if r.method in ("POST", "PUT", "PATCH", "DELETE")]
        assert writes and all(r.query.get("dryRun") == "All" or r.method == "DELETE" for r in writes), (args, writes)
        if args[0] != "patch":  # kubectl patch prints no dry-run suffix
            assert "(server dry run)" in result.stdout, (args, result.stdout)
    assert emulator.snapshot() == before


def test_dry_run_create_answers_the_would_be_object(kubectl_pinned: Kubectl, namespace: str) -> None:
    result = kubectl_pinned.run("create", "-f", "-", "--dry-run=server", "-o", "json", input=configmap(namespace))
    created = result.json()
    assert created["metadata"]["uid"] and created["metadata"]["creationTimestamp"]
    assert kubectl_pinned.emulator.get("v1", "ConfigMap", "settings", namespace) is None


def test_deleting_an_owner_cascades_to_its_dependents(kubectl_pinned: Kubectl, namespace: str) -> None:
    """The garbage collector's background cascade: deployment → replicaset → pods."""
    emulator = kubectl_pinned.emulator
    emulator.seed_workloads(namespace, deployments=1, replicas=2, nodes=0)
    before = kubectl_pinned.run("get", "replicasets,pods", "-n", namespace, "-o", "json").json()["items"]
    owned = [i for i in before if i["metadata"].get("ownerReferences")]
    assert sorted(i["kind"] for i in owned) == ["Pod", "Pod", "ReplicaSet"]
    result = kubectl_pinned.run("delete", "deployment", "checkout", "-n", namespace)
    assert result.returncode == 0, result.stderr
    after = kubectl_pinned.run("get", "replicasets,pods", "-n", namespace, "-o", "json").json()["items"]
    assert [i["metadata"]["name"] for i in after] == ["checkout-worker-crashloop", "payments-db-migrate"]  # unowned


def test_kind_list_manifests_apply(kubectl_pinned: Kubectl, namespace: str) -> None:
    """kubectl validates a `kind: List` with OpenAPI v2; the emulator serves an empty v2 document for it."""
    listing = manifest("events.yaml").replace("namespace: shop", f"namespace: {namespace}")
    result = kubectl_pinned.run("apply", "-f", "-", input=listing)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["event/worker-crashloop.backoff created", "event/web.scaled created"]


def test_deployments_run_pods_through_replicasets(kubectl_pinned: Kubectl, namespace: str) -> None:
    """The emulator's stand-in controllers: create → ReplicaSet and Running pods; set image → a new
    ReplicaSet replaces the old one's pods; scale; rollout undo; rollout status returns."""
    def state() -> tuple[dict[str, int], list[str]]:
        items = kubectl_pinned.run("get", "replicasets,pods", "-n", namespace, "-o", "json").json()["items"]
        replicasets = {i["spec"]["template"]["spec"]["containers"][0]["image"]: i["spec"]["replicas"]
                       for i in items if i["kind"] == "ReplicaSet"}
        pods = sorted(f'{i["spec"]["containers"][0]["image"]}:{i["status"]["phase"]}' for i in items if i["kind"] == "Pod")
        return replicasets, pods

    kubectl_pinned.ok("create", "deployment", "api", "--image=nginx:1.27", "--replicas=3", "-n", namespace)
    assert state() == ({"nginx:1.27": 3}, ["nginx:1.27:Running"] * 3)
    kubectl_pinned.ok("set", "image", "deployment/api", "nginx=nginx:1.28", "-n", namespace)
    assert state() == ({"nginx:1.27": 0, "nginx:1.28": 3}, ["nginx:1.28:Running"] * 3)
    assert "successfully rolled out" in kubectl_pinned.ok("rollout", "status", "deployment/api", "-n", namespace, "--timeout=10s").stdout
    kubectl_pinned.ok("scale", "deployment/api", "--replicas=1", "-n", namespace)
    assert state() == ({"nginx:1.27": 0, "nginx:1.28": 1}, ["nginx:1.28:Running"])
    kubectl_pinned.ok("rollout", "undo", "deployment/api", "-n", namespace)
    assert state() == ({"nginx:1.27": 1, "nginx:1.28": 0}, ["nginx:1.27:Running"])
    table = kubectl_pinned.ok("get", "pods", "-n", namespace).stdout.splitlines()
    assert re.fullmatch(r"api-[a-z0-9]{10}-[a-z0-9]{5}\s+1/1\s+Running\s+0\s+\d+s", table[1]), table


def test_events_read_the_same_through_both_event_apis(kubectl_pinned: Kubectl, namespace: str) -> None:
    """One stored Event, seen as core/v1 and as events.k8s.io/v1: every field maps to its counterpart."""
    core = {
        "apiVersion": "v1", "kind": "Event", "metadata": {"name": "from-core", "namespace": namespace},
        "involvedObject": {"kind": "Pod", "name": "web-1", "namespace": namespace},
        "reason": "Pulled", "message": "image pulled", "type": "Normal", "count": 3,
        "firstTimestamp": "2026-01-01T00:00:00Z", "lastTimestamp": "2026-01-01T00:05:00Z",
        "source": {"component": "kubelet", "host": "emulator-node-1"},
    }
    new = {
        "apiVersion": "events.k8s.io/v1", "kind": "Event", "metadata": {"name": "from-new", "namespace": namespace},
        "regarding": {"kind": "Deployment", "name": "web", "namespace": namespace},
        "reason": "ScalingReplicaSet", "note": "scaled up", "type": "Normal", "action": "Scale",
        "eventTime": "2026-01-01T00:00:00.000000Z", "reportingController": "deployment-controller",
        "reportingInstance": "controller-1",
    }
    kubectl_pinned.ok("create", "-f", "-", input=json.dumps(core))
    kubectl_pinned.ok("create", "-f", "-", input=json.dumps(new))

    as_new = kubectl_pinned.run("get", "events.v1.events.k8s.io", "from-core", "-n", namespace, "-o", "json").json()
    assert as_new["regarding"]["name"] == "web-1" and as_new["note"] == "image pulled"
    assert as_new["reportingController"] == "kubelet", "no reportingComponent: the source's component stands in"
    assert (as_new["deprecatedCount"], as_new["deprecatedSource"]["host"]) == (3, "emulator-node-1")
    assert as_new["deprecatedLastTimestamp"] == "2026-01-01T00:05:00Z" and as_new["eventTime"] is None
    assert "action" not in as_new and "series" not in as_new

    as_core = kubectl_pinned.run("get", "events", "from-new", "-n", namespace, "-o", "json").json()
    assert as_core["involvedObject"]["name"] == "web" and as_core["message"] == "scaled up"
    assert (as_core["reportingComponent"], as_core["reportingInstance"]) == ("deployment-controller", "controller-1")
    assert as_core["action"] == "Scale" and as_core["eventTime"].startswith("2026-01-01T00:00:00")
    assert "count" not in as_core
