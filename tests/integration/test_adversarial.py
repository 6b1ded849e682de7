"""The adversarial suite: hostile tool calls through a real MCP client, a real mcp-kubectl process,
the real kubectl and the emulator.

Every hostile input must hold three ways:
1. a clear refusal: an error whose reason (InvalidArgument, InvalidManifest, PolicyDenied, ...)
   and text name the offending argument or the rule;
2. no write reached the API server: the emulator's request log shows no POST, PUT, PATCH or DELETE;
3. the cluster is unchanged: the emulator's snapshot (every object's resourceVersion) is equal.

Positive controls run the legitimate variant against the same servers, so the suite cannot pass
by refusing everything, and prove that the write detectors do see a real write.
Secret redaction is checked on every output path: no answer text or structured content ever
holds a Secret's value unless the server runs with --show-secrets.

Besides the tables: odd-but-valid values must stay one GET of their own path, a document separator
inside a value must stay data, types registered after start must be denied by every spelling, and
the policy server's audit log must show that no hostile value ever reached kubectl's argv.

Servers (one process each, shared by the whole session through `server_factory`):
- "policy": every write, --allowed-namespaces=team-a,team-b,
  --denied-resources=secrets,clusterrolebindings.rbac.authorization.k8s.io, --audit-log
- "policy-fast": the same, with --fast-reads (reads through a long-lived kubectl proxy)
- "deny-ns": every write, --denied-namespaces=kube-system (Secrets readable: the redaction tests)
- "deny-ns-cluster": the same, with --allow-cluster-writes (cluster-scoped writes allowed, by name)
- "deny-related": reads, --denied-resources=resourcequotas,rs,endpointslices.discovery.k8s.io,pods/log
  (types kubectl describe fetches beside the described object, and a subresource)
- "no-events": reads, --denied-resources=events (describe leaves events out instead of refusing)
- "read-only": the defaults (no write tools at all)
- "show": --show-secrets (the redaction control); "fast": --fast-reads alone (redaction on that path)
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

import binaries
from harness import Cluster, McpServerProcess, ToolAnswer
from mcp.shared.exceptions import MCPError
from mcp_types import INVALID_PARAMS

pytestmark = [pytest.mark.timeout(300), pytest.mark.both_targets]

SECRET_VALUE = "Adversary-s3cr3t-9f2c71"  # in the live Secret's data, and so in its last-applied annotation
SECRET_TOKEN = "Adversary-t0ken-4be810"  # a second key of the live Secret
NEW_VALUE = "Adversary-n3w-value-77d0e5"  # what hostile writes try to write and echo


def b64(value: str) -> str:
    return base64.b64encode(value.encode()).decode()


SECRET_STRINGS = tuple(s for value in (SECRET_VALUE, SECRET_TOKEN, NEW_VALUE) for s in (value, b64(value)))

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
WRITES = ("--enable-create", "--enable-update", "--enable-delete")
SERVER_FLAGS: dict[str, tuple[str, ...]] = {
    "policy": (
        *WRITES,
        # A second context (not in the kubeconfig), so tools take `context` and its refusals are tested.
        "--allowed-contexts=other-cluster",
        "--allowed-namespaces=team-a,team-b",
        "--denied-resources=secrets,clusterrolebindings.rbac.authorization.k8s.io",
    ),
    "deny-ns": (*WRITES, "--denied-namespaces=kube-system"),
    "deny-ns-cluster": (*WRITES, "--denied-namespaces=kube-system", "--allow-cluster-writes"),
    "deny-related": ("--denied-resources=resourcequotas,rs,endpointslices.discovery.k8s.io,pods/log",),
    "no-events": ("--denied-resources=events",),
    "read-only": (),
    "show": ("--show-secrets",),
}
# The same policy with reads through the long-lived `kubectl proxy` instead of a kubectl per call.
SERVER_FLAGS["policy-fast"] = (*SERVER_FLAGS["policy"], "--fast-reads")
SERVER_FLAGS["fast"] = ("--fast-reads",)


# ----------------------------------------------------------------------------- manifests


def obj(kind: str, name: str, namespace: str | None = None, api_version: str = "v1", **extra: Any) -> dict[str, Any]:
    metadata: dict[str, Any] = {"name": name}
    if namespace is not None:
        metadata["namespace"] = namespace
    return {"apiVersion": api_version, "kind": kind, "metadata": metadata, **extra}


def configmap(name: str, namespace: str | None = "team-a", value: str = "v1") -> dict[str, Any]:
    return obj("ConfigMap", name, namespace, data={"key": value})


def secret(name: str, namespace: str | None = "team-a", value: str = NEW_VALUE, *, string_data: bool = False) -> dict[str, Any]:
    if string_data:
        return obj("Secret", name, namespace, type="Opaque", stringData={"password": value})
    return obj("Secret", name, namespace, type="Opaque", data={"password": b64(value)})


def as_json(document: dict[str, Any]) -> str:
    return json.dumps(document)


def as_list(*items: dict[str, Any], kind: str = "List") -> str:
    return json.dumps({"apiVersion": "v1", "kind": kind, "items": list(items)})


def as_yaml(*documents: dict[str, Any]) -> str:
    return yaml.safe_dump_all(documents, sort_keys=False)


CM_A = as_json(configmap("app-config", "team-a", "changed"))
CRB = obj(
    "ClusterRoleBinding",
    "adversary-admin",
    api_version="rbac.authorization.k8s.io/v1",
    roleRef={"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "cluster-admin"},
    subjects=[{"kind": "ServiceAccount", "name": "default", "namespace": "team-a"}],
)
CLUSTER_ROLE = obj(
    "ClusterRole",
    "adversary-role",
    api_version="rbac.authorization.k8s.io/v1",
    rules=[{"apiGroups": [""], "resources": ["secrets"], "verbs": ["*"]}],
)
CRD = obj(
    "CustomResourceDefinition",
    "widgets.adversary.example.com",
    api_version="apiextensions.k8s.io/v1",
    spec={
        "group": "adversary.example.com",
        "names": {"plural": "widgets", "singular": "widget", "kind": "Widget"},
        "scope": "Namespaced",
        "versions": [{"name": "v1", "served": True, "storage": True, "schema": {"openAPIV3Schema": {"type": "object"}}}],
    },
)

DEPLOYMENT = obj(
    "Deployment",
    "web",
    "team-a",
    api_version="apps/v1",
    spec={
        "replicas": 1,
        "selector": {"matchLabels": {"app": "web-deploy"}},
        "template": {"metadata": {"labels": {"app": "web-deploy"}}, "spec": {"containers": [{"name": "web", "image": "nginx:1.27"}]}},
    },
)
SERVICE = obj("Service", "web", "team-a", spec={"selector": {"app": "web-deploy"}, "ports": [{"port": 80}]})
NODE = obj("Node", "adversary-node")
PV = obj(
    "PersistentVolume",
    "adversary-pv",
    spec={"capacity": {"storage": "1Gi"}, "accessModes": ["ReadWriteOnce"], "hostPath": {"path": "/tmp/adversary"}},
)
GIZMO_CRD = obj(
    "CustomResourceDefinition",
    "gizmos.adversary.example.com",
    api_version="apiextensions.k8s.io/v1",
    spec={
        "group": "adversary.example.com",
        # A singular that is not the Kind in lower case: kubectl reads it from discovery, so must a deny rule.
        "names": {"plural": "gizmos", "singular": "gadget", "kind": "Gizmo", "shortNames": ["gz"]},
        "scope": "Namespaced",
        "versions": [{"name": "v1", "served": True, "storage": True, "schema": {"openAPIV3Schema": {"type": "object", "x-kubernetes-preserve-unknown-fields": True}}}],
    },
)
GIZMO = obj("Gizmo", "g1", "team-a", api_version="adversary.example.com/v1", spec={"size": 1})
# Cluster-scoped objects this module adds, removed at its end (other modules count nodes and CRDs).
CLUSTER_EXTRAS = [("node", "adversary-node"), ("pv", "adversary-pv"), ("crd", "gizmos.adversary.example.com")]


ALIAS_BOMB = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: lol
  namespace: team-a
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
data: {key: "x"}
"""
DUPLICATE_JSON = (
    '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"dup","namespace":"team-a"},'
    '"kind":"Secret","stringData":{"password":"x"}}'
)
DUPLICATE_YAML = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: dup\n  namespace: team-a\n  namespace: kube-system\n"
PYTHON_TAG = "!!python/object/apply:os.system ['id']\n"
MERGE_KEY = (
    "base: {namespace: kube-system}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  <<: {namespace: kube-system}\n  name: m\n"
)


def fifty_mib_manifest() -> dict[str, Any]:
    return {"manifest": json.dumps(configmap("huge", "team-a", "x" * (50 * 1024 * 1024)))}


def deep_manifest() -> dict[str, Any]:
    depth = 100_000
    return {"manifest": '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"deep"},"data":' + "[" * depth + "]" * depth + "}"}


def many_documents() -> dict[str, Any]:
    return {"manifest": as_yaml(*(configmap(f"cm-{i}", "team-a") for i in range(51)))}


# ----------------------------------------------------------------------------- the tables


@dataclass(frozen=True)
class Hostile:
    """One hostile call and what its refusal must say."""

    id: str
    tool: str
    arguments: dict[str, Any] | Callable[[], dict[str, Any]]
    reason: str  # the error's reason; "Unknown tool" for a call the protocol refuses (JSON-RPC -32602)
    says: tuple[str, ...] = ()  # substrings of the error text: the argument or the rule
    server: str = "policy"


def H(id: str, tool: str, arguments: Any, reason: str, *says: str, server: str = "policy", marks: Any = ()) -> Any:
    return pytest.param(Hostile(id, tool, arguments, reason, says, server), id=id, marks=marks)


YAML_HEAD = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x, namespace: team-a}\n"


GET_A = {"kind": "configmaps", "name": "app-config", "namespace": "team-a"}
DENY_NS_RULE = "--denied-namespaces"
ALLOWED_RULE = "--allowed-namespaces"
DENIED_KIND_RULE = "--denied-resources"

HOSTILE = [
    # --- shell metacharacters and command substitution: never a shell, refused by grammar
    H("semicolon-in-name", "get_resource", {**GET_A, "name": "app-config; kubectl delete ns team-a"}, "InvalidArgument", "name"),
    H("and-and-in-name", "get_resource", {**GET_A, "name": "app-config && rm -rf /"}, "InvalidArgument", "name"),
    H("pipe-in-namespace", "list_resources", {"kind": "configmaps", "namespace": "team-a|cat /etc/passwd"}, "InvalidArgument", "namespace"),
    H("dollar-paren-in-name", "get_resource", {**GET_A, "name": "$(id)"}, "InvalidArgument", "name"),
    H("backticks-in-describe-name", "describe_resource", {**GET_A, "name": "`id`"}, "InvalidArgument", "name"),
    H("dollar-paren-in-label-selector", "list_resources", {"kind": "configmaps", "namespace": "team-a", "labelSelector": "app=$(id)"}, "InvalidArgument", "labelSelector"),
    H("chained-delete-in-delete-name", "delete_resource", {**GET_A, "name": "app-config;kubectl delete secrets --all"}, "InvalidArgument", "name"),
    H("backticks-in-container", "get_pod_logs", {"name": "web-0", "namespace": "team-a", "container": "app`reboot`"}, "InvalidArgument", "container"),
    H("semicolon-in-field-selector", "list_resources", {"kind": "configmaps", "namespace": "team-a", "fieldSelector": "metadata.name=x;id"}, "InvalidArgument", "fieldSelector"),
    H("dollar-paren-in-events-name", "get_events", {"namespace": "team-a", "kind": "configmaps", "name": "x$(whoami)"}, "InvalidArgument", "name"),
    H("semicolon-in-context", "get_resource", {**GET_A, "context": "emulator;id"}, "InvalidArgument", "context"),
    H("semicolon-in-kind", "get_resource", {**GET_A, "kind": "pods;id"}, "InvalidArgument", "kind"),
    H("redirect-in-api-group", "get_api_resources", {"apiGroup": "apps>/tmp/x"}, "InvalidArgument", "apiGroup"),
    # --- newlines and NULs
    H("newline-flag-in-name", "get_resource", {**GET_A, "name": "app-config\n--all"}, "InvalidArgument", "name"),
    H("nul-flag-in-delete-name", "delete_resource", {**GET_A, "name": "app-config\x00--all"}, "InvalidArgument", "name"),
    H("trailing-newline-namespace", "get_resource", {**GET_A, "namespace": "team-a\n"}, "InvalidArgument", "namespace"),
    H("nul-in-kind", "get_resource", {**GET_A, "kind": "configmaps\x00"}, "InvalidArgument", "kind"),
    H("newline-in-label-selector", "list_resources", {"kind": "configmaps", "namespace": "team-a", "labelSelector": "app=web\n"}, "InvalidArgument", "labelSelector"),
    H("crlf-in-field-selector", "list_resources", {"kind": "configmaps", "namespace": "team-a", "fieldSelector": "metadata.name=app-config\r\n"}, "InvalidArgument", "fieldSelector"),
    H("newline-kubeconfig-in-context", "get_resource", {**GET_A, "context": "emulator\n--kubeconfig=/etc/passwd"}, "InvalidArgument", "context"),
    H("nul-in-manifest", "create_resource", {"manifest": as_json(configmap("nul", "team-a", "a\x00b"))}, "InvalidManifest", "NUL"),
    H("newline-in-continue-token", "list_resources", {"kind": "configmaps", "namespace": "team-a", "continueToken": "abc\n--all"}, "InvalidArgument", "continueToken"),
    H("nul-in-container", "get_pod_logs", {"name": "web-0", "namespace": "team-a", "container": "app\x00"}, "InvalidArgument", "container"),
    H("control-char-in-yaml-manifest", "create_resource", {"manifest": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bell\x07\n"}, "InvalidManifest", "control character"),
    # --- path traversal
    H("dotdot-slash-in-name", "get_resource", {**GET_A, "name": "../secrets/db-creds"}, "InvalidArgument", "name"),
    H("encoded-slash-in-name", "get_resource", {**GET_A, "name": "..%2fsecrets%2fdb-creds"}, "InvalidArgument", "name"),
    H("dotdot-in-kind", "get_resource", {**GET_A, "kind": "pods/../secrets"}, "InvalidArgument", "kind"),
    H("percent-dotdot-name", "get_resource", {**GET_A, "name": "%2e%2e"}, "InvalidArgument", "name"),
    H("dotdot-namespace", "list_resources", {"kind": "configmaps", "namespace": "../kube-system"}, "InvalidArgument", "namespace"),
    H("dotdot-in-pod-log-name", "get_pod_logs", {"name": "web/../../secrets", "namespace": "team-a"}, "InvalidArgument", "name"),
    H("slash-as-delete-name", "delete_resource", {**GET_A, "name": "/"}, "InvalidArgument", "name"),
    H("dotdot-as-describe-name", "describe_resource", {**GET_A, "name": ".."}, "InvalidArgument", "name"),
    H("dotdot-api-group", "get_api_resources", {"apiGroup": "../../"}, "InvalidArgument", "apiGroup"),
    H("dotdot-field-path", "list_resources", {"kind": "configmaps", "namespace": "team-a", "fields": [".."]}, "InvalidArgument", "field path"),
    H("dotdot-in-context", "get_resource", {**GET_A, "context": "../emulator"}, "InvalidArgument", "context"),
    H("slash-in-manifest-name", "create_resource", {"manifest": as_json(configmap("../../escape", "team-a"))}, "InvalidArgument", "metadata.name"),
    # --- Unicode look-alikes (Cyrillic, fullwidth, Unicode hyphens)
    H("cyrillic-s-secrets", "get_resource", {"kind": "\u0455ecrets", "name": "db-creds", "namespace": "team-a"}, "InvalidArgument", "kind"),
    H("fullwidth-secrets", "get_resource", {"kind": "\uff53\uff45\uff43\uff52\uff45\uff54\uff53", "name": "db-creds", "namespace": "team-a"}, "InvalidArgument", "kind"),
    H("unicode-hyphen-kube-system", "list_resources", {"kind": "configmaps", "namespace": "kube\u2010system"}, "InvalidArgument", "namespace", server="deny-ns"),
    H("cyrillic-e-team-a", "list_resources", {"kind": "configmaps", "namespace": "t\u0435am-a"}, "InvalidArgument", "namespace"),
    H("non-breaking-hyphen-name", "get_resource", {**GET_A, "name": "app\u2011config"}, "InvalidArgument", "name"),
    H("cyrillic-kind-in-manifest", "create_resource", {"manifest": as_json({**secret("x"), "kind": "\u0405ecret"})}, "InvalidManifest", "kind"),
    H("cyrillic-namespace-in-manifest", "create_resource", {"manifest": as_json(configmap("x", "kube-\u0455ystem"))}, "InvalidArgument", "metadata.namespace", server="deny-ns"),
    H("cyrillic-o-context", "get_resource", {**GET_A, "context": "emulat\u043er"}, "InvalidArgument", "context"),
    H("cyrillic-label-value", "list_resources", {"kind": "configmaps", "namespace": "team-a", "labelSelector": "app=w\u0435b"}, "InvalidArgument", "labelSelector"),
    H("zero-width-kind-in-manifest", "create_resource", {"manifest": as_json({**configmap("x"), "kind": "Config\u200bMap"})}, "InvalidManifest", "kind"),
    # --- empty and over-long
    H("empty-name", "get_resource", {**GET_A, "name": ""}, "InvalidArgument", "name"),
    H("empty-kind", "get_resource", {**GET_A, "kind": ""}, "InvalidArgument", "kind"),
    H("name-254-chars", "get_resource", {**GET_A, "name": "a" * 254}, "InvalidArgument", "name", "253"),
    H("namespace-64-chars", "list_resources", {"kind": "configmaps", "namespace": "a" * 64}, "InvalidArgument", "namespace"),
    H("delete-name-10000-chars", "delete_resource", {**GET_A, "name": "a" * 10_000}, "InvalidArgument", "name"),
    H("kind-300-chars", "get_resource", {**GET_A, "kind": "a" * 300}, "InvalidArgument", "kind"),
    H("label-selector-1600-chars", "list_resources", {"kind": "configmaps", "namespace": "team-a", "labelSelector": "a=b," * 400}, "InvalidArgument", "labelSelector", "1024"),
    H("context-300-chars", "get_resource", {**GET_A, "context": "x" * 300}, "InvalidArgument", "context"),
    H("empty-manifest", "create_resource", {"manifest": ""}, "InvalidManifest", "no objects"),
    H("only-separators-manifest", "create_resource", {"manifest": "---\n---\n"}, "InvalidManifest", "no objects"),
    H("empty-namespace-falls-back-to-disallowed-default", "list_resources", {"kind": "configmaps", "namespace": ""}, "PolicyDenied", "'default'", ALLOWED_RULE),
    H("omitted-namespace-disallowed-default", "get_resource", {"kind": "configmaps", "name": "app-config"}, "PolicyDenied", "'default'", ALLOWED_RULE),
    # --- malformed selectors
    H("unclosed-set-selector", "list_resources", {"kind": "configmaps", "namespace": "team-a", "labelSelector": "app in (web"}, "InvalidArgument", "labelSelector"),
    H("keyless-selector", "list_resources", {"kind": "configmaps", "namespace": "team-a", "labelSelector": "=web"}, "InvalidArgument", "labelSelector"),
    H("empty-requirement-selector", "list_resources", {"kind": "configmaps", "namespace": "team-a", "labelSelector": "app=web,,tier=db"}, "InvalidArgument", "labelSelector"),
    H("bang-only-selector", "list_resources", {"kind": "configmaps", "namespace": "team-a", "labelSelector": "!"}, "InvalidArgument", "labelSelector"),
    H("query-smuggling-label-selector", "list_resources", {"kind": "configmaps", "namespace": "team-a", "labelSelector": "app=web&fieldSelector=x"}, "InvalidArgument", "labelSelector"),
    H("operatorless-field-selector", "list_resources", {"kind": "configmaps", "namespace": "team-a", "fieldSelector": "status.phase"}, "InvalidArgument", "fieldSelector"),
    H("query-smuggling-field-selector", "list_resources", {"kind": "configmaps", "namespace": "team-a", "fieldSelector": "metadata.name=x&limit=100000"}, "InvalidArgument", "fieldSelector"),
    H("set-based-field-selector", "list_resources", {"kind": "configmaps", "namespace": "team-a", "fieldSelector": "metadata.name in (a,b)"}, "InvalidArgument", "fieldSelector"),
    # --- continueToken junk
    H("continue-token-command-substitution", "list_resources", {"kind": "configmaps", "namespace": "team-a", "continueToken": "$(id)"}, "InvalidArgument", "continueToken"),
    H("continue-token-9000-chars", "list_resources", {"kind": "configmaps", "namespace": "team-a", "continueToken": "a" * 9000}, "InvalidArgument", "continueToken"),
    H("continue-token-query-smuggling", "list_resources", {"kind": "configmaps", "namespace": "team-a", "continueToken": "abc&limit=100000"}, "InvalidArgument", "continueToken"),
    H("continue-token-percent-encoding", "list_resources", {"kind": "configmaps", "namespace": "team-a", "continueToken": "%2e%2e%2f"}, "InvalidArgument", "continueToken"),
    H("continue-token-as-flag", "list_resources", {"kind": "configmaps", "namespace": "team-a", "continueToken": "--all"}, "InvalidArgument", "continueToken"),
    # --- field paths that try to escape the small grammar (no JSONPath, no filters)
    H("jsonpath-recursive-descent", "list_resources", {"kind": "configmaps", "namespace": "team-a", "fields": ["$..data"]}, "InvalidArgument", "field path"),
    H("jsonpath-template", "list_resources", {"kind": "configmaps", "namespace": "team-a", "fields": ["{.data}"]}, "InvalidArgument", "field path"),
    H("jsonpath-filter", "list_resources", {"kind": "configmaps", "namespace": "team-a", "fields": ["spec.containers[?(@.name=='x')]"]}, "InvalidArgument", "field path"),
    H("twenty-one-field-paths", "list_resources", {"kind": "configmaps", "namespace": "team-a", "fields": [f"data.k{i}" for i in range(21)]}, "InvalidArgument", "fields"),
    H("field-path-300-chars", "list_resources", {"kind": "configmaps", "namespace": "team-a", "fields": ["x" * 300]}, "InvalidArgument", "field path"),
    H("negative-index-field-path", "list_resources", {"kind": "configmaps", "namespace": "team-a", "fields": ["items[-1]"]}, "InvalidArgument", "field path"),
    # --- a Secret spelled every way, under --denied-resources=secrets
    H("secret-singular", "get_resource", {"kind": "secret", "name": "db-creds", "namespace": "team-a"}, "PolicyDenied", DENIED_KIND_RULE),
    H("secret-plural", "get_resource", {"kind": "secrets", "name": "db-creds", "namespace": "team-a"}, "PolicyDenied", DENIED_KIND_RULE),
    H("secret-kind", "get_resource", {"kind": "Secret", "name": "db-creds", "namespace": "team-a"}, "PolicyDenied", DENIED_KIND_RULE),
    H("secret-version-group", "get_resource", {"kind": "secrets.v1.", "name": "db-creds", "namespace": "team-a"}, "PolicyDenied", DENIED_KIND_RULE),
    H("secret-upper-case", "get_resource", {"kind": "SECRETS", "name": "db-creds", "namespace": "team-a"}, "PolicyDenied", DENIED_KIND_RULE),
    H("secret-kind-version-list", "list_resources", {"kind": "Secret.v1.", "namespace": "team-a"}, "PolicyDenied", DENIED_KIND_RULE),
    H("secret-empty-group-list", "list_resources", {"kind": "secrets.", "namespace": "team-a", "output": "full"}, "PolicyDenied", DENIED_KIND_RULE),
    H("secret-mixed-case-describe", "describe_resource", {"kind": "SeCrEt", "name": "db-creds", "namespace": "team-a"}, "PolicyDenied", DENIED_KIND_RULE),
    H("secret-delete", "delete_resource", {"kind": "secret", "name": "db-creds", "namespace": "team-a"}, "PolicyDenied", DENIED_KIND_RULE),
    H("secret-events", "get_events", {"kind": "secrets", "name": "db-creds", "namespace": "team-a"}, "PolicyDenied", DENIED_KIND_RULE),
    H("secret-manifest-create", "create_resource", {"manifest": as_json(secret("stolen"))}, "PolicyDenied", DENIED_KIND_RULE),
    H("secret-manifest-update", "update_resource", {"manifest": as_json(secret("db-creds")), "force": True}, "PolicyDenied", DENIED_KIND_RULE),
    H("secret-manifest-diff", "diff_resource", {"manifest": as_yaml(secret("db-creds"))}, "PolicyDenied", DENIED_KIND_RULE),
    H("secret-manifest-dry-run", "create_resource", {"manifest": as_json(secret("stolen")), "dryRun": True}, "PolicyDenied", DENIED_KIND_RULE),
    H("crb-singular-read", "get_resource", {"kind": "clusterrolebinding", "name": "cluster-admin"}, "PolicyDenied", DENIED_KIND_RULE),
    H("crb-version-group-read", "list_resources", {"kind": "clusterrolebindings.v1.rbac.authorization.k8s.io"}, "PolicyDenied", DENIED_KIND_RULE),
    H("crb-kind-read", "describe_resource", {"kind": "ClusterRoleBinding", "name": "cluster-admin"}, "PolicyDenied", DENIED_KIND_RULE),
    # --- manifests: hostile shapes
    H("fifty-mib-manifest", "create_resource", fifty_mib_manifest, "InvalidManifest", "larger than the limit"),
    H("alias-bomb", "create_resource", {"manifest": ALIAS_BOMB}, "InvalidManifest", "anchors and aliases"),
    H("json-duplicate-kind", "create_resource", {"manifest": DUPLICATE_JSON}, "InvalidManifest", "duplicate key"),
    H("yaml-duplicate-namespace", "create_resource", {"manifest": DUPLICATE_YAML}, "InvalidManifest", "duplicate key"),
    H("yaml-python-tag", "create_resource", {"manifest": PYTHON_TAG}, "InvalidManifest", "tag"),
    H("yaml-merge-key", "create_resource", {"manifest": MERGE_KEY}, "InvalidManifest", "merge keys"),
    H("nesting-100k-deep", "create_resource", deep_manifest, "InvalidManifest", "nested deeper"),
    H("fifty-one-documents", "create_resource", many_documents, "InvalidManifest", "more than 50"),
    H("generate-name-only", "create_resource", {"manifest": as_json({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"generateName": "x-", "namespace": "team-a"}})}, "InvalidManifest", "metadata.name"),
    H("flag-as-manifest-name", "create_resource", {"manifest": as_json(configmap("--all", "team-a"))}, "InvalidArgument", "metadata.name"),
    H("flag-as-manifest-namespace", "create_resource", {"manifest": as_json(configmap("x", "-n=kube-system"))}, "InvalidArgument", "metadata.namespace"),
    H("flag-in-api-version", "create_resource", {"manifest": as_json({**configmap("x"), "apiVersion": "v1 --server=http://127.0.0.1:1"})}, "InvalidManifest", "apiVersion"),
    H("nan-in-json-manifest", "create_resource", {"manifest": '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"n","namespace":"team-a"},"data":{"k":NaN}}'}, "InvalidManifest", "NaN"),
    H("lower-case-secret-kind", "create_resource", {"manifest": as_json({**secret("x"), "kind": "secret"})}, "UnknownResourceType", "secret"),
    H("list-hiding-secret", "create_resource", {"manifest": as_list(configmap("cover", "team-a"), secret("hidden"))}, "PolicyDenied", DENIED_KIND_RULE),
    H("list-hiding-crb", "create_resource", {"manifest": as_list(configmap("cover", "team-a"), CRB)}, "PolicyDenied", DENIED_KIND_RULE),
    H("configmap-list-hiding-secret", "update_resource", {"manifest": as_list(configmap("app-config"), secret("db-creds"), kind="ConfigMapList")}, "PolicyDenied", DENIED_KIND_RULE),
    H("secret-list-kindless-items", "create_resource", {"manifest": json.dumps({"apiVersion": "v1", "kind": "SecretList", "items": [{"metadata": {"name": "s", "namespace": "team-a"}, "stringData": {"p": "x"}}]})}, "InvalidManifest", "apiVersion"),
    H("configmap-carrying-items", "create_resource", {"manifest": as_json({**configmap("carrier"), "items": [secret("smuggled")]})}, "InvalidManifest", "items"),
    H("configmap-carrying-capital-items", "create_resource", {"manifest": as_json({**configmap("carrier"), "Items": [secret("smuggled")]})}, "InvalidManifest", "Items"),
    H("list-with-51-items", "create_resource", {"manifest": as_list(*(configmap(f"cm-{i}") for i in range(51)))}, "InvalidManifest", "more than 50"),
    H("nested-list-hiding-secret", "create_resource", {"manifest": json.dumps({"apiVersion": "v1", "kind": "List", "items": [{"apiVersion": "v1", "kind": "List", "items": [secret("deep")]}]})}, "PolicyDenied", DENIED_KIND_RULE),
    H("top-level-array", "create_resource", {"manifest": json.dumps([secret("in-array")])}, "InvalidManifest", "mapping"),
    H("json-stream-second-is-secret", "create_resource", {"manifest": as_json(configmap("first")) + "\n" + as_json(secret("second"))}, "PolicyDenied", DENIED_KIND_RULE),
    H("bom-then-secret", "create_resource", {"manifest": "\ufeff" + as_yaml(secret("bom"))}, "PolicyDenied", DENIED_KIND_RULE),
    H("explicit-str-tag-secret", "create_resource", {"manifest": "apiVersion: v1\nkind: !!str Secret\nmetadata:\n  name: tagged\n  namespace: team-a\n"}, "PolicyDenied", DENIED_KIND_RULE),
    H("escaped-duplicate-kind-key", "create_resource", {"manifest": '{"apiVersion":"v1","kind":"ConfigMap","\\u006bind":"Secret","metadata":{"name":"e","namespace":"team-a"}}'}, "InvalidManifest", "duplicate key"),
    H("upper-case-kind-key", "create_resource", {"manifest": as_json({**configmap("carrier"), "KIND": "Secret"})}, "InvalidManifest", "KIND"),
    H("capital-namespace-key", "create_resource", {"manifest": json.dumps({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x", "namespace": "team-a", "Namespace": "kube-system"}})}, "InvalidManifest", "metadata.Namespace"),
    H("numeric-namespace", "create_resource", {"manifest": json.dumps({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x", "namespace": 7}})}, "InvalidManifest", "metadata.namespace"),
    H("list-hiding-denied-namespace-object", "create_resource", {"manifest": as_list(configmap("cover", "team-a"), obj("Namespace", "kube-system"))}, "PolicyDenied", "'kube-system'", server="deny-ns"),
    H("unterminated-yaml-secret-not-echoed", "create_resource", {"manifest": f'apiVersion: v1\nkind: Secret\nmetadata: {{name: s, namespace: team-a}}\nstringData:\n  password: "{NEW_VALUE}\n'}, "InvalidManifest", "YAML", server="deny-ns"),
    H("broken-json-secret-not-echoed", "create_resource", {"manifest": as_json(secret("s"))[:-1]}, "InvalidManifest", "JSON", server="deny-ns"),
    H("secret-into-kube-system-not-echoed", "update_resource", {"manifest": as_yaml(secret("s", "kube-system")), "force": True}, "PolicyDenied", DENY_NS_RULE, server="deny-ns"),
    H("json-int-over-4300-digits", "create_resource", {"manifest": '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x","namespace":"team-a"},"n":' + "9" * 5000 + "}"}, "InvalidManifest", "digits"),
    H("yaml-binary-tag", "create_resource", {"manifest": YAML_HEAD + "data: {k: !!binary aGk=}\n"}, "InvalidManifest", "tag"),
    H("capital-kind-key", "create_resource", {"manifest": as_json({**configmap("carrier"), "Kind": "Secret"})}, "InvalidManifest", "Kind"),
    # --- namespaces: denied, not allowed, all of them
    H("manifest-in-kube-system-not-allowed", "create_resource", {"manifest": as_json(configmap("x", "kube-system"))}, "PolicyDenied", "'kube-system'", ALLOWED_RULE),
    H("manifest-in-kube-system-denied", "create_resource", {"manifest": as_json(configmap("x", "kube-system"))}, "PolicyDenied", "'kube-system'", DENY_NS_RULE, server="deny-ns"),
    H("manifest-without-namespace-lands-in-disallowed-default", "create_resource", {"manifest": as_json(configmap("x", None))}, "PolicyDenied", "'default'", ALLOWED_RULE),
    H("list-second-item-in-kube-system", "create_resource", {"manifest": as_list(configmap("ok", "team-a"), configmap("bad", "kube-system"))}, "PolicyDenied", "'kube-system'", server="deny-ns"),
    H("update-into-kube-system", "update_resource", {"manifest": as_json(configmap("coredns", "kube-system")), "force": True}, "PolicyDenied", DENY_NS_RULE, server="deny-ns"),
    H("diff-in-kube-system", "diff_resource", {"manifest": as_json(configmap("coredns", "kube-system"))}, "PolicyDenied", DENY_NS_RULE, server="deny-ns"),
    H("delete-in-kube-system", "delete_resource", {"kind": "cm", "name": "coredns", "namespace": "kube-system"}, "PolicyDenied", DENY_NS_RULE, server="deny-ns"),
    H("get-in-kube-system", "get_resource", {"kind": "cm", "name": "coredns", "namespace": "kube-system"}, "PolicyDenied", DENY_NS_RULE, server="deny-ns"),
    H("logs-in-kube-system", "get_pod_logs", {"name": "etcd-0", "namespace": "kube-system"}, "PolicyDenied", DENY_NS_RULE, server="deny-ns"),
    H("events-in-kube-system", "get_events", {"namespace": "kube-system"}, "PolicyDenied", DENY_NS_RULE, server="deny-ns"),
    H("describe-in-kube-system", "describe_resource", {"kind": "cm", "name": "coredns", "namespace": "kube-system"}, "PolicyDenied", DENY_NS_RULE, server="deny-ns"),
    H("upper-case-kube-system", "list_resources", {"kind": "cm", "namespace": "KUBE-SYSTEM"}, "InvalidArgument", "namespace", server="deny-ns"),
    H("read-outside-allow-list", "list_resources", {"kind": "configmaps", "namespace": "kube-system"}, "PolicyDenied", ALLOWED_RULE),
    H("all-namespaces-under-allow-list", "list_resources", {"kind": "configmaps", "allNamespaces": True}, "PolicyDenied", "all namespaces", ALLOWED_RULE),
    H("all-namespaces-under-deny-list", "list_resources", {"kind": "configmaps", "allNamespaces": True}, "PolicyDenied", "all namespaces", DENY_NS_RULE, server="deny-ns"),
    H("namespace-manifest-for-denied-namespace", "create_resource", {"manifest": as_json(obj("Namespace", "kube-system"))}, "PolicyDenied", "'kube-system'", DENY_NS_RULE, server="deny-ns"),
    H("namespace-update-for-denied-namespace", "update_resource", {"manifest": as_json(obj("Namespace", "kube-system")), "force": True}, "PolicyDenied", "'kube-system'", server="deny-ns"),
    H("delete-denied-namespace-object", "delete_resource", {"kind": "namespaces", "name": "kube-system"}, "PolicyDenied", "'kube-system'", DENY_NS_RULE, server="deny-ns"),
    H("delete-denied-namespace-object-upper-case", "delete_resource", {"kind": "ns", "name": "KUBE-SYSTEM", "dryRun": True}, "PolicyDenied", DENY_NS_RULE, server="deny-ns"),
    # --- cluster-scoped writes while an allow-list is set
    H("namespace-manifest-under-allow-list", "create_resource", {"manifest": as_json(obj("Namespace", "team-c"))}, "PolicyDenied", "cluster-scoped", ALLOWED_RULE),
    H("cluster-role-create", "create_resource", {"manifest": as_json(CLUSTER_ROLE)}, "PolicyDenied", "cluster-scoped"),
    H("cluster-role-update", "update_resource", {"manifest": as_yaml(CLUSTER_ROLE), "force": True}, "PolicyDenied", "cluster-scoped"),
    H("crd-create", "create_resource", {"manifest": as_json(CRD)}, "PolicyDenied", "cluster-scoped"),
    H("delete-allowed-namespace-object", "delete_resource", {"kind": "namespace", "name": "team-a"}, "PolicyDenied", "cluster-scoped"),
    H("delete-cluster-role-with-namespace", "delete_resource", {"kind": "clusterroles", "name": "adversary-reader", "namespace": "team-a"}, "PolicyDenied", "cluster-scoped"),
    # --- contexts outside the allow-list (only the server's own context is allowed)
    H("context-prod-get", "get_resource", {**GET_A, "context": "prod"}, "PolicyDenied", "'prod'", "--allowed-contexts"),
    H("context-list", "list_resources", {"kind": "configmaps", "namespace": "team-a", "context": "kind-kind"}, "PolicyDenied", "--allowed-contexts"),
    H("context-create", "create_resource", {"manifest": CM_A, "context": "staging"}, "PolicyDenied", "--allowed-contexts"),
    H("context-delete", "delete_resource", {**GET_A, "context": "prod"}, "PolicyDenied", "--allowed-contexts"),
    H("context-api-resources", "get_api_resources", {"context": "prod"}, "PolicyDenied", "--allowed-contexts"),
    # --- disabled or nonexistent tools called by name
    H("disabled-create", "create_resource", {"manifest": CM_A}, "Unknown tool", "create_resource", server="read-only"),
    H("disabled-update", "update_resource", {"manifest": CM_A, "force": True}, "Unknown tool", "update_resource", server="read-only"),
    H("disabled-delete", "delete_resource", GET_A, "Unknown tool", "delete_resource", server="read-only"),
    H("no-exec-tool", "exec", {"name": "web-0", "command": ["sh", "-c", "id"]}, "Unknown tool", "exec"),
    H("no-raw-kubectl-tool", "kubectl", {"args": ["delete", "ns", "team-a"]}, "Unknown tool", "kubectl"),
    H("no-config-view-tool", "config_view", {}, "Unknown tool", "config_view"),
    # --- a flag in the namespace argument of a call on a cluster-scoped type (where the namespace is ignored)
    H("flag-namespace-cluster-scoped-get", "get_resource", {"kind": "namespaces", "name": "team-a", "namespace": "--all"}, "InvalidArgument", "namespace"),
    H("flag-namespace-cluster-scoped-list", "list_resources", {"kind": "clusterroles", "namespace": "-A"}, "InvalidArgument", "namespace"),
    H("flag-namespace-cluster-scoped-describe", "describe_resource", {"kind": "namespaces", "name": "team-a", "namespace": "--as=admin"}, "InvalidArgument", "namespace"),
    H("flag-namespace-cluster-scoped-delete", "delete_resource", {"kind": "clusterroles", "name": "adversary-reader", "namespace": "--all"}, "InvalidArgument", "namespace", server="deny-ns"),
    H("flag-namespace-cluster-scoped-update", "update_resource", {"manifest": as_json({**CLUSTER_ROLE, "metadata": {"name": "adversary-reader"}}), "namespace": "--all", "force": True}, "InvalidArgument", "namespace", server="deny-ns"),
    # --- update_resource arguments that disagree with the manifest
    H("update-namespace-disagrees", "update_resource", {"manifest": as_json(configmap("app-config", "team-b")), "namespace": "team-a", "force": True}, "InvalidArgument", "namespace", "'team-b'"),
    H("update-namespace-disagrees-with-default", "update_resource", {"manifest": as_json(configmap("app-config", None)), "namespace": "kube-system", "force": True}, "InvalidArgument", "namespace", server="deny-ns"),
    H("update-name-disagrees", "update_resource", {"manifest": CM_A, "name": "other", "force": True}, "InvalidArgument", "name"),
    H("update-kind-secret-over-configmap", "update_resource", {"manifest": CM_A, "kind": "secrets", "force": True}, "InvalidArgument", "kind"),
    # --- arguments of the wrong shape, refused by the tool schema
    H("output-yaml", "list_resources", {"kind": "configmaps", "namespace": "team-a", "output": "jsonpath={.data}"}, "InvalidArgument", "output"),
    H("limit-too-large", "list_resources", {"kind": "configmaps", "namespace": "team-a", "limit": 1_000_000}, "InvalidArgument", "limit"),
    H("name-not-a-string", "delete_resource", {"kind": "configmaps", "name": ["app-config", "--all"], "namespace": "team-a"}, "InvalidArgument", "name"),
    H("fields-as-a-string", "list_resources", {"kind": "configmaps", "namespace": "team-a", "fields": "--raw=/api"}, "InvalidArgument", "fields"),
    H("negative-tail-lines", "get_pod_logs", {"name": "web-0", "namespace": "team-a", "tailLines": -1}, "InvalidArgument", "tailLines"),
    # --- manifests that once made the parser raise outside the error model (PyYAML constructors, lone surrogates)
    H("yaml-bool-tag-on-junk", "create_resource", {"manifest": YAML_HEAD + "data: {k: !!bool maybe}\n"}, "InvalidManifest", "line 4"),
    H("yaml-float-tag-on-junk", "create_resource", {"manifest": YAML_HEAD + "n: !!float abc\n"}, "InvalidManifest", "line 4"),
    H("yaml-int-over-4300-digits", "create_resource", {"manifest": YAML_HEAD + "n: " + "9" * 5000 + "\n"}, "InvalidManifest", "line 4"),
    H("json-lone-surrogate-escape", "create_resource", {"manifest": '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x","namespace":"team-a"},"data":{"k":"\\ud800"}}'}, "InvalidManifest", "Unicode"),
]



# Cluster-scoped writes reach into every namespace (issue 10 item 3): refused under any namespace rule,
# allow-list or deny-list, whatever the type, spelling, tool or dry-run, unless --allow-cluster-writes.
WEBHOOK = obj(
    "ValidatingWebhookConfiguration",
    "adversary-hook",
    api_version="admissionregistration.k8s.io/v1",
    webhooks=[{"name": "hook.adversary.example.com", "clientConfig": {"url": "https://127.0.0.1:1/"}, "admissionReviewVersions": ["v1"], "sideEffects": "None"}],
)
MUTATING_WEBHOOK = {**WEBHOOK, "kind": "MutatingWebhookConfiguration", "metadata": {"name": "adversary-mutator"}}
STORAGE_CLASS = obj("StorageClass", "adversary-sc", api_version="storage.k8s.io/v1", provisioner="example.com/x")
CLUSTER_WRITES: list[tuple[str, str, dict[str, Any]]] = [
    *[(f"delete-crd-as-{k}", "delete_resource", {"kind": k, "name": "gizmos.adversary.example.com"})
      for k in ("crd", "crds", "customresourcedefinitions", "CustomResourceDefinition", "customresourcedefinitions.apiextensions.k8s.io", "customresourcedefinition.v1.apiextensions.k8s.io")],
    ("delete-crd-dry-run", "delete_resource", {"kind": "crd", "name": "gizmos.adversary.example.com", "dryRun": True}),
    ("delete-crd-with-namespace", "delete_resource", {"kind": "crd", "name": "gizmos.adversary.example.com", "namespace": "team-a"}),
    ("update-crd", "update_resource", {"manifest": as_json(GIZMO_CRD), "force": True}),
    ("create-crd", "create_resource", {"manifest": as_json(CRD)}),
    ("create-crd-dry-run", "create_resource", {"manifest": as_json(CRD), "dryRun": True}),
    ("create-cluster-role", "create_resource", {"manifest": as_json(CLUSTER_ROLE)}),
    ("update-cluster-role", "update_resource", {"manifest": as_yaml({**CLUSTER_ROLE, "metadata": {"name": "adversary-reader"}}), "force": True}),
    ("diff-cluster-role", "diff_resource", {"manifest": as_yaml({**CLUSTER_ROLE, "metadata": {"name": "adversary-reader"}})}),
    ("delete-cluster-role", "delete_resource", {"kind": "clusterroles.rbac.authorization.k8s.io", "name": "adversary-reader"}),
    ("create-webhook", "create_resource", {"manifest": as_json(WEBHOOK)}),
    ("create-mutating-webhook", "create_resource", {"manifest": as_yaml(MUTATING_WEBHOOK)}),
    ("delete-node", "delete_resource", {"kind": "no", "name": "adversary-node"}),
    ("update-node", "update_resource", {"manifest": as_json({**NODE, "metadata": {"name": "adversary-node", "labels": {"x": "y"}}}), "force": True}),
    ("delete-pv", "delete_resource", {"kind": "persistentvolumes", "name": "adversary-pv"}),
    ("create-pv", "create_resource", {"manifest": as_json({**PV, "metadata": {"name": "adversary-pv-2"}})}),
    ("create-storage-class", "create_resource", {"manifest": as_json(STORAGE_CLASS)}),
    ("create-namespace", "create_resource", {"manifest": as_json(obj("Namespace", "team-z"))}),
    ("delete-namespace", "delete_resource", {"kind": "namespaces", "name": "team-b"}),
    ("update-namespace", "update_resource", {"manifest": as_json({**obj("Namespace", "team-a"), "metadata": {"name": "team-a", "labels": {"x": "y"}}}), "force": True}),
    ("list-hiding-cluster-role", "create_resource", {"manifest": as_list(configmap("cover", "team-a"), CLUSTER_ROLE)}),
    ("stream-hiding-crd", "create_resource", {"manifest": as_yaml(configmap("cover", "team-a"), CRD)}),
    ("update-list-hiding-node", "update_resource", {"manifest": as_list(configmap("app-config", "team-a"), {**NODE, "metadata": {"name": "adversary-node", "labels": {"x": "y"}}}), "force": True}),
]
HOSTILE += [
    H(f"cluster-write-{id}-{server}", tool, arguments, "PolicyDenied", "cluster-scoped", rule, "--allow-cluster-writes", server=server)
    for server, rule in (("deny-ns", DENY_NS_RULE), ("policy", ALLOWED_RULE))
    for id, tool, arguments in CLUSTER_WRITES
]
# With --allow-cluster-writes a Namespace object is still governed by its own name.
HOSTILE += [
    H("flag-still-refuses-denied-namespace-delete", "delete_resource", {"kind": "ns", "name": "kube-system"}, "PolicyDenied", "'kube-system'", DENY_NS_RULE, server="deny-ns-cluster"),
    H("flag-still-refuses-denied-namespace-update", "update_resource", {"manifest": as_json({**obj("Namespace", "kube-system"), "metadata": {"name": "kube-system", "labels": {"x": "y"}}}), "force": True}, "PolicyDenied", DENY_NS_RULE, server="deny-ns-cluster"),
    H("flag-still-refuses-denied-namespace-create", "create_resource", {"manifest": as_list(obj("Namespace", "team-z"), obj("Namespace", "kube-system")), "dryRun": True}, "PolicyDenied", DENY_NS_RULE, server="deny-ns-cluster"),
]

# A denied namespace's own Namespace object is as unreachable as its contents (issue 10 item 10).
HOSTILE += [
    *[H(f"denied-namespace-object-get-as-{k}", "get_resource", {"kind": k, "name": "kube-system"}, "PolicyDenied", "'kube-system'", DENY_NS_RULE, server="deny-ns")
      for k in ("namespaces", "namespace", "ns", "Namespace", "namespaces.v1.", "Namespace.v1.")],
    H("denied-namespace-object-describe", "describe_resource", {"kind": "ns", "name": "kube-system"}, "PolicyDenied", DENY_NS_RULE, server="deny-ns"),
    H("denied-namespace-object-events", "get_events", {"kind": "namespaces", "name": "kube-system"}, "PolicyDenied", DENY_NS_RULE, server="deny-ns"),
    H("denied-namespace-object-events-by-kind", "get_events", {"kind": "Namespace", "name": "kube-system", "namespace": "default"}, "PolicyDenied", DENY_NS_RULE, server="deny-ns"),
    H("namespace-object-outside-allow-list", "get_resource", {"kind": "ns", "name": "kube-system"}, "PolicyDenied", "'kube-system'", ALLOWED_RULE),
    H("namespace-object-outside-allow-list-events", "get_events", {"kind": "ns", "name": "default", "namespace": "team-a"}, "PolicyDenied", ALLOWED_RULE),
]

# Types kubectl describe fetches beside the described object (issue 10 item 4), and a denied subresource (item 5).
DESCRIBE_RELATED: list[tuple[str, str, dict[str, Any], tuple[str, ...], str]] = [
    # (id, server, describe arguments, words of the refusal, a path fragment that must never be requested)
    *[(f"namespace-quotas-as-{k}", "deny-related", {"kind": k, "name": "team-a"}, ("resourcequotas", DENIED_KIND_RULE), "/resourcequotas")
      for k in ("namespaces", "ns", "Namespace", "namespaces.v1.", "namespace")],
    *[(f"deployment-replicasets-as-{k}", "deny-related", {"kind": k, "name": "web", "namespace": "team-a"}, ("replicasets.apps", DENIED_KIND_RULE), "/replicasets")
      for k in ("deploy", "deployments", "Deployment", "deployments.apps", "deployments.v1.apps")],
    *[(f"service-endpointslices-as-{k}", "deny-related", {"kind": k, "name": "web", "namespace": "team-a"}, ("endpointslices.discovery.k8s.io", DENIED_KIND_RULE), "/endpointslices")
      for k in ("svc", "services", "Service", "service.v1.")],
    *[(f"node-pods-everywhere-as-{k}", "deny-ns", {"kind": k, "name": "adversary-node"}, ("pods", "all namespaces", DENY_NS_RULE), "/api/v1/pods")
      for k in ("node", "nodes", "no", "Node", "nodes.v1.")],
    ("node-pods-everywhere-allow-list", "policy", {"kind": "nodes", "name": "adversary-node"}, ("all namespaces", ALLOWED_RULE), "/api/v1/pods"),
    ("namespace-quotas-allow-list", "policy", {"kind": "ns", "name": "kube-system"}, (ALLOWED_RULE,), "/resourcequotas"),
]
HOSTILE += [H(f"describe-{id}", "describe_resource", arguments, "PolicyDenied", *says, server=server) for id, server, arguments, says, _ in DESCRIBE_RELATED]
HOSTILE += [
    H(f"pod-log-subresource-{name}", "get_pod_logs", {"name": name, "namespace": "team-a"}, "PolicyDenied", "pods/log", DENIED_KIND_RULE, server="deny-related")
    for name in ("web-0", "absent-pod", "web")
]

# Flag smuggling: every flag in every string argument of every tool, the other arguments legitimate.
FLAGS = [
    "--kubeconfig=/etc/passwd",
    "-s http://127.0.0.1:1",
    "--server=http://127.0.0.1:1",
    "--token=x",
    "--as=admin",
    "-n=kube-system",
    "--all",
    "-A",
    "--raw=/api",
]
BASE_ARGUMENTS: dict[str, dict[str, Any]] = {
    "get_resource": {**GET_A},
    "list_resources": {"kind": "configmaps", "namespace": "team-a"},
    "get_pod_logs": {"name": "web-0", "namespace": "team-a"},
    "get_events": {"namespace": "team-a", "kind": "configmaps", "name": "app-config"},
    "describe_resource": {**GET_A},
    "diff_resource": {"manifest": CM_A},
    "get_api_resources": {},
    "create_resource": {"manifest": as_json(configmap("smuggled", "team-a"))},
    "update_resource": {"manifest": CM_A, "kind": "configmaps", "name": "app-config", "namespace": "team-a", "force": True},
    "delete_resource": {**GET_A},
}
SMUGGLE_TARGETS: dict[str, tuple[str, ...]] = {
    "get_resource": ("kind", "name", "namespace", "context"),
    "list_resources": ("kind", "namespace", "labelSelector", "fieldSelector", "fields", "continueToken", "context"),
    "get_pod_logs": ("name", "namespace", "container", "context"),
    "get_events": ("namespace", "kind", "name", "context"),
    "describe_resource": ("kind", "name", "namespace", "context"),
    "diff_resource": ("manifest", "context"),
    "get_api_resources": ("apiGroup", "verb", "context"),
    "create_resource": ("manifest", "context"),
    "update_resource": ("manifest", "kind", "name", "namespace", "context"),
    "delete_resource": ("kind", "name", "namespace", "context"),
}
NAMED_AS = {"fields": "field path", "manifest": "mapping"}


def _smuggled() -> list[Any]:
    cases = []
    for tool, arguments in SMUGGLE_TARGETS.items():
        for argument in arguments:
            for flag in FLAGS:
                value: Any = [flag] if argument == "fields" else flag
                reason = "InvalidManifest" if argument == "manifest" else "InvalidArgument"
                case = Hostile(f"{tool}.{argument}={flag}", tool, {**BASE_ARGUMENTS[tool], argument: value}, reason, (NAMED_AS.get(argument, argument),))
                cases.append(pytest.param(case, id=case.id))
    return cases


SMUGGLED = _smuggled()


# ----------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def world(cluster: Cluster) -> Any:
    """The objects hostile calls aim at, so a guard that failed would have something to hit."""
    documents = [
        obj("Namespace", "team-a"),
        obj("Namespace", "team-b"),
        obj("Namespace", "kube-system"),
        {**configmap("app-config", "team-a"), "metadata": {"name": "app-config", "namespace": "team-a", "labels": {"app": "web"}}},
        configmap("app-extra", "team-a"),
        configmap("app-config", "team-b"),
        configmap("coredns", "kube-system"),
        obj("ResourceQuota", "system-quota", "kube-system", spec={"hard": {"pods": "10"}}),
        obj("Secret", "db-creds", "team-a", type="Opaque", data={"password": b64(SECRET_VALUE), "token": b64(SECRET_TOKEN)}),
        obj("ClusterRole", "adversary-reader", api_version="rbac.authorization.k8s.io/v1",
            rules=[{"apiGroups": [""], "resources": ["configmaps"], "verbs": ["get"]}]),
        obj("ServiceAccount", "robot", "team-a"),
        DEPLOYMENT,
        SERVICE,
        NODE,
        PV,
        GIZMO_CRD,
    ]
    for document in documents:
        cluster.apply(json.dumps(document))  # client-side apply: the Secret gets a last-applied annotation
    cluster.apply(json.dumps(GIZMO))  # after its CRD
    yield cluster
    for kind, name in CLUSTER_EXTRAS:
        cluster.kubectl("delete", kind, name, "--ignore-not-found", "--wait=false", check=False)


@pytest.fixture(scope="module")
def policy_audit_log(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The policy server logs every call: the proof that no hostile value ever reached kubectl's argv."""
    return tmp_path_factory.mktemp("adversarial-audit") / "audit.jsonl"


@pytest.fixture(scope="module")
def servers(world: Cluster, server_factory: Callable[..., McpServerProcess], policy_audit_log: Path) -> Callable[[str], McpServerProcess]:
    def server(name: str) -> McpServerProcess:
        extra = (f"--audit-log={policy_audit_log}",) if name == "policy" else ()
        return server_factory(*SERVER_FLAGS[name], *extra)

    return server


def writes_seen(cluster: Cluster) -> list[tuple[str, str]]:
    return [(r.method, r.path) for r in cluster.requests if r.method in WRITE_METHODS]


def leaked(answer: ToolAnswer) -> list[str]:
    """Secret strings present anywhere in an answer, text or structured content."""
    blob = answer.text + "\n" + json.dumps(answer.data, ensure_ascii=False)
    return [s for s in SECRET_STRINGS if s in blob]


# ----------------------------------------------------------------------------- hostile inputs


@pytest.mark.parametrize("case", HOSTILE + SMUGGLED)
def test_hostile_input_is_refused_before_any_write(case: Hostile, servers, cluster: Cluster) -> None:
    server = servers(case.server)
    arguments = case.arguments() if callable(case.arguments) else case.arguments
    before = cluster.snapshot()
    cluster.clear_requests()

    if case.reason == "Unknown tool":
        with pytest.raises(MCPError) as refused:
            server.call(case.tool, arguments)
        assert refused.value.code == INVALID_PARAMS and refused.value.message.startswith("Unknown tool")
        answer = ToolAnswer(is_error=True, text=refused.value.message, data=None)
    else:
        answer = server.call(case.tool, arguments)

    writes = writes_seen(cluster)
    after = cluster.snapshot()
    assert answer.is_error, f"{case.id}: not refused: {answer.text[:500]}"
    if case.reason != "Unknown tool":
        assert answer.reason == case.reason, f"{case.id}: expected {case.reason}, got {answer.reason}: {answer.text[:500]}"
    for words in case.says:
        assert words in answer.text, f"{case.id}: {words!r} not in {answer.text[:500]!r}"
    assert writes == [], f"{case.id}: writes reached the API server: {writes}"
    assert after == before, f"{case.id}: the cluster changed"
    assert leaked(answer) == []


@pytest.mark.parametrize("name, reason", [("kube-system", "PolicyDenied"), ("kube", "NotFound")], ids=["exact", "prefix"])
def test_describing_a_denied_namespace_shows_nothing_inside_it(servers, name: str, reason: str) -> None:
    """Found by this suite: describing a Namespace printed the ResourceQuotas inside it, and kubectl describe's
    name-prefix fallback turned 'kube' into kube-system (now: the denied one is refused, the prefix is not found)."""
    answer = servers("deny-ns").call("describe_resource", {"kind": "namespaces", "name": name})
    assert "system-quota" not in answer.text
    assert answer.is_error and answer.reason == reason, answer.text[:300]


def test_the_suite_is_big_enough() -> None:
    assert len(HOSTILE) >= 60
    assert len({p.values[0].id for p in HOSTILE + SMUGGLED}) == len(HOSTILE) + len(SMUGGLED)


# ----------------------------------------------------------------------------- positive controls

ALLOWED = [
    pytest.param("policy", "get_resource", {**GET_A, "context": "<own>"}, id="own-context-named"),  # the kubeconfig's current
    pytest.param("policy", "get_resource", {"kind": "cm", "name": "app-config", "namespace": "team-b"}, id="second-allowed-namespace"),
    pytest.param("policy", "list_resources", {"kind": "configmaps", "namespace": "team-a", "labelSelector": "app = web", "fieldSelector": "metadata.name=app-config"}, id="selectors-with-spaces"),
    pytest.param("policy", "list_resources", {"kind": "configmaps", "namespace": "team-a", "fieldSelector": "metadata.name=../../secrets"}, id="traversal-in-a-query-value-is-data"),
    pytest.param("policy", "list_resources", {"kind": "configmaps", "namespace": "team-a", "fields": ['metadata.labels["app"]', "data.key"]}, id="field-paths"),
    pytest.param("policy", "list_resources", {"kind": "clusterroles"}, id="cluster-scoped-read-under-allow-list"),
    pytest.param("policy", "get_resource", {"kind": "namespaces", "name": "team-a"}, id="namespace-object-read"),
    pytest.param("policy", "get_events", {"namespace": "team-a", "kind": "configmaps", "name": "app-config"}, id="events-of-an-allowed-kind"),
    pytest.param("policy", "describe_resource", {**GET_A}, id="describe"),
    pytest.param("policy", "get_api_resources", {"apiGroup": "rbac.authorization.k8s.io", "verb": "list"}, id="api-resources-filtered"),
    pytest.param("policy", "list_contexts", {}, id="list-contexts"),
    pytest.param("policy", "diff_resource", {"manifest": CM_A}, id="diff-allowed"),
    pytest.param("policy", "create_resource", {"manifest": as_json(configmap("dry", "team-b")), "dryRun": True}, id="create-dry-run"),
    pytest.param("policy", "update_resource", {"manifest": CM_A, "kind": "cm", "name": "app-config", "namespace": "team-a", "dryRun": True, "force": True}, id="update-dry-run-agreeing"),
    pytest.param("policy", "delete_resource", {**GET_A, "dryRun": True}, id="delete-dry-run"),
    pytest.param("deny-ns", "list_resources", {"kind": "configmaps", "namespace": "team-a"}, id="deny-list-other-namespace"),
    pytest.param("deny-ns-cluster", "create_resource", {"manifest": as_json(obj("Namespace", "team-z")), "dryRun": True}, id="namespace-manifest-not-denied-with-cluster-writes"),
    pytest.param("deny-ns", "get_resource", {"kind": "namespaces", "name": "team-a"}, id="allowed-namespace-object-read-under-deny-list"),
    pytest.param("deny-ns", "describe_resource", {"kind": "ns", "name": "team-a"}, id="describe-allowed-namespace-under-deny-list"),
    pytest.param("deny-ns", "get_events", {"kind": "namespaces", "name": "team-a"}, id="events-of-an-allowed-namespace-object"),
    pytest.param("deny-related", "describe_resource", {"kind": "configmaps", "name": "app-config", "namespace": "team-a"}, id="describe-without-denied-related-types"),
    pytest.param("deny-related", "get_resource", {"kind": "deployments", "name": "web", "namespace": "team-a"}, id="get-what-describe-may-not"),
    pytest.param("read-only", "list_resources", {"kind": "configmaps", "allNamespaces": True}, id="all-namespaces-without-rules"),
]


@pytest.mark.parametrize("server_name, tool, arguments", ALLOWED)
def test_the_legitimate_variant_is_allowed(servers, cluster: Cluster, server_name: str, tool: str, arguments: dict[str, Any]) -> None:
    if arguments.get("context") == "<own>":
        arguments = {**arguments, "context": yaml.safe_load(cluster.kubeconfig.read_text())["current-context"]}
    before = cluster.snapshot()
    answer = servers(server_name).call(tool, arguments)
    assert not answer.is_error, answer.text[:500]
    assert cluster.snapshot() == before  # reads and dry runs change nothing


def test_pagination_tokens_from_the_server_are_accepted(servers) -> None:
    server = servers("policy")
    first = server.ok("list_resources", {"kind": "configmaps", "namespace": "team-a", "limit": 1})
    assert first["continueToken"]
    second = server.ok("list_resources", {"kind": "configmaps", "namespace": "team-a", "limit": 1, "continueToken": first["continueToken"]})
    assert second["rows"] and second["rows"] != first["rows"]


ODD_BUT_VALID = [
    pytest.param("get_resource", {"kind": "configmaps", "name": "a..b", "namespace": "team-a"}, id="dots-in-a-name"),
    pytest.param("get_resource", {"kind": "configmaps", "name": "system:serviceaccount@x", "namespace": "team-a"}, id="colon-and-at-in-a-name"),
    pytest.param("list_resources", {"kind": "configmaps", "namespace": "team-a", "continueToken": "../../api/v1/secrets"}, id="path-in-a-continue-token"),
    pytest.param("list_resources", {"kind": "configmaps", "namespace": "team-a", "fieldSelector": "metadata.name=../../secrets"}, id="path-in-a-field-selector"),
    pytest.param("get_pod_logs", {"name": "web..0", "namespace": "team-a"}, id="double-dots-pod"),
]
_DISCOVERY = ("/api", "/apis", "/openapi", "/version")


@pytest.mark.parametrize("server_name", ["policy", "policy-fast"])
@pytest.mark.parametrize("tool, arguments", ODD_BUT_VALID)
def test_odd_but_valid_values_stay_inside_their_own_path(servers, cluster: Cluster, server_name: str, tool: str, arguments: dict[str, Any]) -> None:
    """Values the grammar allows reach the API server only as one GET of the path they name."""
    server = servers(server_name)
    before = cluster.snapshot()
    cluster.clear_requests()
    server.call(tool, arguments)  # NotFound, BadRequest or an empty list: the answer does not matter here
    requests = [r for r in cluster.requests if r.path not in _DISCOVERY and not r.path.startswith(("/apis/", "/openapi/")) and r.path.count("/") > 3]
    assert requests, "the call should have reached the API server"
    assert {r.method for r in requests} == {"GET"}
    prefix = "/api/v1/namespaces/team-a/" + ("pods/" if tool == "get_pod_logs" else "configmaps")
    # An empty list also reads its namespace (to say whether it exists): that exact path only.
    assert all(r.path.startswith(prefix) or r.path == "/api/v1/namespaces/team-a" for r in requests), [r.path for r in requests]
    assert not any("secrets" in r.path for r in requests)
    assert cluster.snapshot() == before


KUBECTLS = [
    pytest.param((), id="pinned-kubectl"),
    pytest.param((f"--kubectl={binaries.path(binaries.KUBECTL_132)}",), id="kubectl-1.32", marks=pytest.mark.kubectl132),
]


@pytest.mark.parametrize("kubectl_flags", KUBECTLS)
def test_a_value_holding_a_document_separator_stays_one_document(world: Cluster, server_factory, cluster: Cluster, kubectl_flags: tuple[str, ...]) -> None:
    """kubectl reads its input as a document stream: a value must not end one document and start another,
    and every document of a multi-document write is written (kubectl 1.32 once stopped after the first)."""
    server = server_factory(*SERVER_FLAGS["policy"], *kubectl_flags)
    smuggled = "x\n---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: smuggled\n  namespace: team-a\n"
    manifest = as_yaml({**configmap("carrier", "team-a"), "data": {"key": smuggled}}, configmap("second", "team-b"))
    cluster.clear_requests()
    try:
        answer = server.call("create_resource", {"manifest": manifest})
        assert not answer.is_error, answer.text
        assert [(o["kind"], o["metadata"]["name"]) for o in answer.data["created"]] == [("ConfigMap", "carrier"), ("ConfigMap", "second")]
        assert world.kubectl_json("get", "cm", "carrier", "-n", "team-a")["data"]["key"] == smuggled
        assert world.exists("cm", "second", "team-b")
        assert [r.path for r in cluster.requests if "secrets" in r.path] == []
    finally:
        world.kubectl("delete", "cm", "carrier", "-n", "team-a", "--ignore-not-found", check=False)
        world.kubectl("delete", "cm", "second", "-n", "team-b", "--ignore-not-found", check=False)


def test_real_writes_are_allowed_and_the_detectors_see_them(servers, cluster: Cluster) -> None:
    """The other half of the proof: the request log and the snapshot do catch a write."""
    server = servers("policy")
    before = cluster.snapshot()
    cluster.clear_requests()
    created = server.call("create_resource", {"manifest": as_json(configmap("control", "team-a"))})
    assert not created.is_error, created.text
    assert any(method == "POST" for method, _ in writes_seen(cluster))
    assert cluster.snapshot() != before
    cluster.clear_requests()
    updated = server.call("update_resource", {"manifest": as_json(configmap("control", "team-a", "v2")), "force": True})
    assert not updated.is_error, updated.text
    assert any(method == "PATCH" for method, _ in writes_seen(cluster))
    cluster.clear_requests()
    deleted = server.call("delete_resource", {"kind": "configmaps", "name": "control", "namespace": "team-a"})
    assert not deleted.is_error, deleted.text
    assert any(method == "DELETE" for method, _ in writes_seen(cluster))
    assert not cluster.exists("cm", "control", "team-a")


# ----------------------------------------------------------------------------- secret redaction

REDACTION_PATHS = [
    pytest.param("get_resource", {"kind": "secrets", "name": "db-creds", "namespace": "team-a"}, False, id="get"),
    pytest.param("list_resources", {"kind": "secrets", "namespace": "team-a"}, False, id="list-summary"),
    pytest.param("list_resources", {"kind": "secrets", "namespace": "team-a", "output": "full"}, False, id="list-full"),
    pytest.param(
        "list_resources",
        {"kind": "secrets", "namespace": "team-a", "fields": ["data", "stringData", 'metadata.annotations["kubectl.kubernetes.io/last-applied-configuration"]']},
        False,
        id="list-fields",
    ),
    pytest.param("describe_resource", {"kind": "secrets", "name": "db-creds", "namespace": "team-a"}, False, id="describe"),
    pytest.param("diff_resource", {"manifest": as_yaml(secret("db-creds"))}, False, id="diff"),
    pytest.param(
        "diff_resource",
        {"manifest": as_yaml(secret("db-creds", string_data=True))},
        False,
        id="diff-string-data",
    ),
    pytest.param("create_resource", {"manifest": as_json(secret("fresh-creds", string_data=True)), "dryRun": True}, False, id="create-dry-run-string-data"),
    pytest.param("create_resource", {"manifest": as_json(secret("fresh-creds")), "dryRun": True}, False, id="create-dry-run"),
    pytest.param("update_resource", {"manifest": as_json(secret("db-creds")), "dryRun": True, "force": True}, False, id="update-dry-run"),
    pytest.param("delete_resource", {"kind": "secrets", "name": "db-creds", "namespace": "team-a", "dryRun": True}, False, id="delete-dry-run"),
    pytest.param("create_resource", {"manifest": as_json(secret("db-creds"))}, True, id="error-already-exists"),
    pytest.param("update_resource", {"manifest": as_json(secret("absent-creds"))}, True, id="error-not-found"),
    pytest.param("create_resource", {"manifest": as_json(secret("Bad_Name"))}, True, id="error-invalid-name"),
    pytest.param("create_resource", {"manifest": as_json(secret("lost", "nowhere-ns-9c1f"))}, True, id="error-missing-namespace"),
    pytest.param("create_resource", {"manifest": as_json(secret("db-creds", string_data=True)), "dryRun": True}, True, id="error-already-exists-dry-run"),
]


REDACTION_PATHS += [
    pytest.param(
        "create_resource",
        {"manifest": as_yaml(configmap("beside", "team-a"), secret("beside-creds"), secret("beside-more", string_data=True)), "dryRun": True},
        False,
        id="multi-document-create-dry-run",
    ),
    pytest.param(
        "update_resource",
        {"manifest": as_list(configmap("app-config", "team-a"), secret("db-creds")), "dryRun": True, "force": True},
        False,
        id="list-update-dry-run",
    ),
]
# The fast read path (a long-lived kubectl proxy) returns the same bodies: redacted the same way.
FAST_REDACTION_PATHS = [p for p in REDACTION_PATHS if p.id in ("get", "list-summary", "list-full", "list-fields", "describe")]


@pytest.mark.parametrize("tool, arguments, is_error", REDACTION_PATHS)
def test_secret_values_never_appear_in_any_answer(servers, cluster: Cluster, tool: str, arguments: dict[str, Any], is_error: bool) -> None:
    check_no_secret_in_answer(servers("deny-ns"), cluster, tool, arguments, is_error)


@pytest.mark.parametrize("tool, arguments, is_error", FAST_REDACTION_PATHS)
def test_secret_values_never_appear_on_the_fast_read_path(servers, cluster: Cluster, tool: str, arguments: dict[str, Any], is_error: bool) -> None:
    check_no_secret_in_answer(servers("fast"), cluster, tool, arguments, is_error)


def check_no_secret_in_answer(server: McpServerProcess, cluster: Cluster, tool: str, arguments: dict[str, Any], is_error: bool) -> None:
    before = cluster.snapshot()
    answer = server.call(tool, arguments)
    assert answer.is_error is is_error, answer.text[:500]
    assert leaked(answer) == [], f"{tool} leaked {leaked(answer)}: {answer.text[:800]}"
    assert cluster.snapshot() == before


def test_secret_write_echoes_are_redacted(servers, cluster: Cluster) -> None:
    server = servers("deny-ns")
    try:
        created = server.call("create_resource", {"manifest": as_json(secret("echo-creds", value=NEW_VALUE))})
        assert not created.is_error, created.text
        assert leaked(created) == []
        assert "<redacted:" in created.text
        updated = server.call("update_resource", {"manifest": as_json(secret("echo-creds", value=SECRET_VALUE)), "force": True})
        assert not updated.is_error, updated.text
        assert leaked(updated) == []
        assert "<redacted:" in updated.text
        live = cluster.kubectl_json("get", "secret", "echo-creds", "-n", "team-a")
        assert base64.b64decode(live["data"]["password"]).decode() == SECRET_VALUE  # the write really happened
    finally:
        cluster.kubectl("delete", "secret", "echo-creds", "-n", "team-a", "--ignore-not-found", check=False)


def test_redacted_answers_keep_keys_and_sizes(servers) -> None:
    got = servers("deny-ns").ok("get_resource", {"kind": "secrets", "name": "db-creds", "namespace": "team-a"})
    assert got["data"]["password"] == f"<redacted: {len(SECRET_VALUE)} bytes>"
    assert set(got["data"]) == {"password", "token"}


def test_show_secrets_turns_redaction_off(servers) -> None:
    """The control: the same read with --show-secrets does return the value."""
    answer = servers("show").call("get_resource", {"kind": "secrets", "name": "db-creds", "namespace": "team-a"})
    assert not answer.is_error, answer.text
    assert b64(SECRET_VALUE) in answer.text


def test_list_contexts_never_shows_credentials(servers, cluster: Cluster) -> None:
    config = yaml.safe_load(cluster.kubeconfig.read_text())
    credentials = [
        value
        for user in config.get("users") or []
        for key, value in (user.get("user") or {}).items()
        if key in ("token", "client-key-data", "client-certificate-data", "password") and isinstance(value, str)
    ]
    assert credentials, "the emulator's kubeconfig should hold a credential to look for"
    answer = servers("policy").call("list_contexts")
    assert not answer.is_error
    blob = answer.text + json.dumps(answer.data)
    assert [c for c in credentials if c in blob] == []


def test_a_diff_hunk_under_string_data_alone_is_redacted() -> None:
    """Found by this suite: the emulator kept stringData, kubectl diff masks only `data`, and the hunk had no 'data' line."""
    from mcp_kubectl.safety.redaction import redact_text

    hunk = "\n".join(
        [
            "diff -u -N /tmp/LIVE-1/v1.Secret.team-a.db-creds /tmp/MERGED-2/v1.Secret.team-a.db-creds",
            "--- /tmp/LIVE-1/v1.Secret.team-a.db-creds\t2026-11-27 04:01:54.845124841 +0000",
            "+++ /tmp/MERGED-2/v1.Secret.team-a.db-creds\t2026-11-27 04:01:54.845124841 +0000",
            "@@ -12,5 +12,6 @@",
            '   resourceVersion: "1012"',
            " stringData:",
            f"+  password: {NEW_VALUE}",
            f"   token: {SECRET_TOKEN}",
            " type: Opaque",
        ]
    )
    redacted = redact_text(hunk)
    assert NEW_VALUE not in redacted and SECRET_TOKEN not in redacted


# ----------------------------------------------------------------------------- types that appear later


def crd(group: str, plural: str, kind: str, short_names: tuple[str, ...] = ()) -> dict[str, Any]:
    names: dict[str, Any] = {"plural": plural, "singular": kind.lower(), "kind": kind}
    if short_names:
        names["shortNames"] = list(short_names)
    return obj(
        "CustomResourceDefinition",
        f"{plural}.{group}",
        api_version="apiextensions.k8s.io/v1",
        spec={
            "group": group,
            "names": names,
            "scope": "Namespaced",
            "versions": [{"name": "v1", "served": True, "storage": True, "schema": {"openAPIV3Schema": {"type": "object", "x-kubernetes-preserve-unknown-fields": True}}}],
        },
    )


@pytest.fixture(scope="module")
def late_types(world: Cluster, server_factory: Callable[..., McpServerProcess], servers) -> Any:
    """Two CRDs registered after the servers learned discovery: a denied name, and a Secret look-alike in another group."""
    widget_server = server_factory(*WRITES, "--denied-resources=widgets")
    widget_server.ok("get_api_resources", {})  # discovery cached before the types exist
    servers("policy").ok("get_api_resources", {})
    created = [crd("adversary.example.com", "widgets", "Widget", ("wdg",)), crd("lookalike.example.com", "secrets", "Secret")]
    for document in created:
        world.apply(json.dumps(document))
    yield widget_server
    for document in created:
        world.kubectl("delete", "crd", document["metadata"]["name"], "--ignore-not-found", check=False)


@pytest.mark.parametrize("spelling", ["widgets", "widget", "Widget", "WIDGETS", "wdg", "widgets.adversary.example.com", "widgets.v1.adversary.example.com"])
def test_a_type_registered_after_start_is_denied_by_every_spelling(late_types: McpServerProcess, cluster: Cluster, spelling: str) -> None:
    before = cluster.snapshot()
    answer = late_types.fails("list_resources", {"kind": spelling, "namespace": "team-a"}, reason="PolicyDenied")
    assert DENIED_KIND_RULE in answer.text
    assert cluster.snapshot() == before


def test_a_late_denied_type_is_refused_in_a_manifest_and_the_rest_still_works(late_types: McpServerProcess, cluster: Cluster) -> None:
    widget = obj("Widget", "w1", "team-a", api_version="adversary.example.com/v1", spec={"size": 1})
    before = cluster.snapshot()
    cluster.clear_requests()
    answer = late_types.fails("create_resource", {"manifest": as_json(widget)}, reason="PolicyDenied")
    assert DENIED_KIND_RULE in answer.text
    assert writes_seen(cluster) == []
    assert cluster.snapshot() == before
    assert late_types.ok("list_resources", {"kind": "configmaps", "namespace": "team-a"})["count"] >= 1


@pytest.mark.parametrize(
    "tool, arguments",
    [
        ("get_resource", {"kind": "secrets.lookalike.example.com", "name": "x", "namespace": "team-a"}),
        ("list_resources", {"kind": "secrets.v1.lookalike.example.com", "namespace": "team-a"}),
        ("create_resource", {"manifest": as_json(obj("Secret", "x", "team-a", api_version="lookalike.example.com/v1"))}),
    ],
    ids=["get", "list", "create"],
)
def test_an_unqualified_deny_rule_covers_the_name_in_every_group(late_types: McpServerProcess, servers, cluster: Cluster, tool: str, arguments: dict[str, Any]) -> None:
    before = cluster.snapshot()
    answer = servers("policy").fails(tool, arguments, reason="PolicyDenied")
    assert DENIED_KIND_RULE in answer.text
    assert cluster.snapshot() == before


ALLOWED_VERBS = {"api-resources", "get", "describe", "diff", "create", "apply", "delete"}
HOSTILE_FRAGMENTS = ("/etc/passwd", "--token", "--as=", "--server=", "127.0.0.1:1", "$(", "`", ";", "|", "&&", "\n", "\x00", "..%2f", "%2e%2e")
REFUSED_OUTCOMES = ("InvalidArgument", "InvalidManifest", "PolicyDenied")
SERVER_OWNED = ("--kubeconfig=", "--cache-dir=", "--request-timeout=", "--context=")


def test_no_hostile_value_ever_reached_kubectl(servers, policy_audit_log: Path) -> None:
    """Every kubectl the policy server ran in this module, read back from its audit log: allow-listed verbs,
    no hostile flag or fragment, raw paths only inside the allowed namespaces and never at Secrets.
    Placed last so that the log holds the hostile calls and the legitimate ones."""
    server = servers("policy")
    for case in (p.values[0] for p in SMUGGLED[:40]):  # so the log holds hostile calls even when this test runs alone
        server.call(case.tool, case.arguments)
    assert not server.call("list_resources", {"kind": "configmaps", "namespace": "team-a"}).is_error
    lines = [json.loads(line) for line in policy_audit_log.read_text().splitlines()]
    ran = [(line, run["argv"]) for line in lines for run in line["runs"]]  # every process of every call
    assert len(lines) >= 41 and any(a.startswith("--raw=/api/v1/namespaces/team-a/") for _, argv in ran for a in argv)
    for line, argv in ran:
        assert argv[1] in ALLOWED_VERBS, argv
        own = [a for a in argv[2:] if not a.startswith(SERVER_OWNED)]
        assert not set(own) & set(FLAGS), argv
        assert not [a for a in own if any(f in a for f in HOSTILE_FRAGMENTS)], argv
        for raw in (a.removeprefix("--raw=").partition("?")[0] for a in own if a.startswith("--raw=")):
            assert raw.startswith(("/api/", "/apis/")) and "secrets" not in raw, argv
            assert "/namespaces/" not in raw or raw.split("/namespaces/")[1].split("/")[0] in ("team-a", "team-b"), argv
    refused = [line for line in lines if line["outcome"] in REFUSED_OUTCOMES]
    assert len(refused) >= 20, "the log should hold the refused hostile calls"
    for line in refused:  # a refused call ran nothing, or at most discovery or a read
        assert line["argv"] == [] or line["argv"][1] in ("api-resources", "get"), line


# ----------------------------------------------------------------------------- contexts in the kubeconfig


def three_context_kubeconfig(world: Cluster, directory: Path) -> tuple[Path, dict[str, Any]]:
    """The cluster's kubeconfig plus two contexts of the same cluster whose namespace is team-a."""
    config = yaml.safe_load(world.kubeconfig.read_text())
    own = config["contexts"][0]["context"]
    config["contexts"] += [
        {"name": "staging", "context": {**own, "namespace": "team-a"}},
        {"name": "forbidden", "context": {**own, "namespace": "team-a"}},
    ]
    path = directory / "kubeconfig"
    path.write_text(yaml.safe_dump(config))
    path.chmod(0o600)
    return path, config


@pytest.fixture(scope="module")
def two_context_server(world: Cluster, tmp_path_factory: pytest.TempPathFactory) -> Any:
    """A kubeconfig with the server's own context, an allowed one and one that exists but is not allowed."""
    path, config = three_context_kubeconfig(world, tmp_path_factory.mktemp("contexts"))
    with McpServerProcess(world, *WRITES, f"--kubeconfig={path}", "--allowed-contexts=staging") as server:
        yield server, config


def test_the_servers_own_context_brings_its_own_namespace(world: Cluster, tmp_path: Path) -> None:
    """--context naming another context than the kubeconfig's current one: a call without a
    namespace goes to that context's namespace, as kubectl --context would, and as the server says."""
    path, config = three_context_kubeconfig(world, tmp_path)
    assert config["contexts"][0]["context"].get("namespace", "default") != "team-a"  # the current context's is another
    with McpServerProcess(world, f"--kubeconfig={path}", "--context=staging") as server:
        assert server.ok("get_resource", {"kind": "configmaps", "name": "app-config"})["metadata"]["namespace"] == "team-a"
        assert server.ok("list_resources", {"kind": "configmaps"})["namespace"] == "team-a"


def test_a_context_in_the_kubeconfig_but_not_allowed_is_refused(two_context_server, cluster: Cluster) -> None:
    server, _ = two_context_server
    assert server.ok("get_resource", {**GET_A, "context": "staging"})["metadata"]["name"] == "app-config"
    before = cluster.snapshot()
    cluster.clear_requests()
    for tool, arguments in [
        ("get_resource", {**GET_A, "context": "forbidden"}),
        ("list_resources", {"kind": "configmaps", "namespace": "team-a", "context": "forbidden"}),
        ("create_resource", {"manifest": as_json(configmap("via-forbidden", "team-a")), "context": "forbidden"}),
        ("delete_resource", {**GET_A, "context": "forbidden"}),
    ]:
        answer = server.fails(tool, arguments, reason="PolicyDenied")
        assert "'forbidden'" in answer.text and "--allowed-contexts" in answer.text
    assert cluster.requests == []  # refused before kubectl ran at all
    assert cluster.snapshot() == before


def test_list_contexts_shows_only_allowed_contexts_and_no_credentials(two_context_server) -> None:
    server, config = two_context_server
    answer = server.call("list_contexts")
    assert not answer.is_error, answer.text
    assert {c["name"] for c in answer.data["contexts"]} == {config["current-context"], "staging"}
    credentials = [v for user in config["users"] for k, v in user["user"].items() if isinstance(v, str)]
    credentials += [v for cluster in config["clusters"] for k, v in cluster["cluster"].items() if k.endswith("-data")]
    assert credentials and not [c for c in credentials if c in answer.text + json.dumps(answer.data)]


def test_the_users_environment_cannot_make_kubectl_run_a_program(world: Cluster, tmp_path: Path) -> None:
    """KUBECTL_EXTERNAL_DIFF (and a kuberc) from the environment would run a program or add flags: the runner drops them."""
    marker = tmp_path / "ran"
    program = tmp_path / "evil-diff"
    program.write_text(f"#!/bin/sh\ntouch {marker}\n")
    program.chmod(0o700)
    kuberc = tmp_path / "kuberc"
    kuberc.write_text("apiVersion: kubectl.config.k8s.io/v1beta1\nkind: Preference\naliases:\n- name: diff\n  command: delete\n")
    env = {"KUBECTL_EXTERNAL_DIFF": str(program), "KUBERC": str(kuberc)}
    with McpServerProcess(world, env=env) as server:
        answer = server.call("diff_resource", {"manifest": CM_A})
    assert not answer.is_error, answer.text
    assert answer.data["changed"] is True and "changed" in answer.data["diff"]
    assert not marker.exists()


# ----------------------------------------------------------------------------- hostile cluster output


@pytest.mark.parametrize("parser", ["parse_json", "parse_json_stream"])
def test_deeply_nested_cluster_output_is_a_typed_error(parser: str) -> None:
    from mcp_kubectl.cluster import kubectl_io
    from mcp_kubectl.errors import KubectlFailed

    depth = 5000
    body = b'{"kind":"Deep","spec":' + b"[" * depth + b"]" * depth + b"}"
    with pytest.raises(KubectlFailed):
        getattr(kubectl_io, parser)(body)


# ----------------------------------------------------------------------------- what kubectl does beyond the named object


@pytest.mark.parametrize("id, server_name, arguments, says, fragment", [pytest.param(*case, id=case[0]) for case in DESCRIBE_RELATED])
def test_describe_never_requests_a_denied_related_type(servers, cluster: Cluster, id: str, server_name: str, arguments: dict[str, Any], says: tuple[str, ...], fragment: str) -> None:
    """The refusal comes before kubectl describe runs: the emulator never sees the related request."""
    cluster.clear_requests()
    answer = servers(server_name).fails("describe_resource", arguments, reason="PolicyDenied")
    assert all(words in answer.text for words in says), answer.text
    assert [r.path for r in cluster.requests if fragment in r.path] == []


def _request_key(path: str, query: dict[str, str]) -> tuple[str, str, str, str] | None:
    """(group, plural, namespace, name) of an API request path; None for discovery and OpenAPI."""
    parts = path.strip("/").split("/")
    if parts[0] == "api" and len(parts) >= 3:
        group, rest = "", parts[2:]
    elif parts[0] == "apis" and len(parts) >= 4:
        group, rest = parts[1], parts[3:]
    else:
        return None
    namespace = ""
    if rest[0] == "namespaces" and len(rest) >= 3:
        namespace, rest = rest[1], rest[2:]
    elif rest[0] == "namespaces" and len(rest) == 2:
        return ("", "namespaces", "", rest[1])
    return (group, rest[0], namespace, rest[1] if len(rest) > 1 else "")


def _described_objects(cluster: Cluster) -> list[tuple[str, str, str]]:
    pod = cluster.kubectl_json("get", "pods", "-n", "team-a", "-l", "app=web-deploy")["items"][0]["metadata"]["name"]
    replicaset = cluster.kubectl_json("get", "rs", "-n", "team-a", "-l", "app=web-deploy")["items"][0]["metadata"]["name"]
    return [
        ("namespaces", "team-a", ""),
        ("nodes", "adversary-node", ""),
        ("pods", pod, "team-a"),
        ("deployments.apps", "web", "team-a"),
        ("replicasets.apps", replicaset, "team-a"),
        ("services", "web", "team-a"),
        ("serviceaccounts", "robot", "team-a"),
        ("configmaps", "app-config", "team-a"),
        ("secrets", "db-creds", "team-a"),
        ("persistentvolumes", "adversary-pv", ""),
        ("resourcequotas", "system-quota", "kube-system"),
        ("clusterroles.rbac.authorization.k8s.io", "adversary-reader", ""),
        ("gizmos.adversary.example.com", "g1", "team-a"),
    ]


@pytest.mark.parametrize("kubectl_flags", KUBECTLS)
def test_the_describe_table_covers_every_request_kubectl_makes(world: Cluster, server_factory, cluster: Cluster, kubectl_flags: tuple[str, ...]) -> None:
    """The server authorizes describe's related requests from a table; this proves the table against what
    kubectl really sends: every API request of each describe is the object's GET or a planned request."""
    from mcp_kubectl.safety.describe_requests import describe_requests
    from mcp_kubectl.cluster.discovery import parse_api_resources_json

    served = parse_api_resources_json(world.kubectl("api-resources", "-o", "json").stdout)
    lookup = {(r.group, r.name): r for r in served}
    server = server_factory(*kubectl_flags)
    for kind, name, namespace in _described_objects(world):
        from mcp_kubectl.cluster.discovery import resolve_kind

        resource = resolve_kind(kind, served)
        assert resource is not None, kind
        planned = describe_requests(resource, namespace, name, lambda g, p: lookup.get((g, p)))
        allowed = {(r.resource.group, r.resource.name, r.namespace, r.name) for r in planned.required}
        if planned.events is not None:
            allowed.add((planned.events.resource.group, planned.events.resource.name, planned.events.namespace, ""))
        cluster.clear_requests()
        arguments = {"kind": kind, "name": name, **({"namespace": namespace} if namespace else {})}
        assert not server.call("describe_resource", arguments).is_error
        made = {key for r in cluster.requests if (key := _request_key(r.path, r.query)) is not None}
        assert made, kind
        assert made <= allowed, f"describe {kind} made unplanned requests: {made - allowed}"


@pytest.mark.parametrize("kind, name, namespace", [("pods", None, "team-a"), ("deployments", "web", "team-a"), ("services", "web", "team-a"), ("nodes", "adversary-node", None)])
def test_describe_leaves_denied_events_out_and_says_so(servers, cluster: Cluster, world: Cluster, kind: str, name: str | None, namespace: str | None) -> None:
    if name is None:
        name = world.kubectl_json("get", "pods", "-n", "team-a", "-l", "app=web-deploy")["items"][0]["metadata"]["name"]
    cluster.clear_requests()
    arguments = {"kind": kind, "name": name, **({"namespace": namespace} if namespace else {})}
    answer = servers("no-events").call("describe_resource", arguments)
    assert not answer.is_error, answer.text
    assert "Events left out" in answer.text and f"Name:" in answer.text
    assert [r.path for r in cluster.requests if r.path.endswith("/events")] == []


def test_describe_under_a_namespace_rule_leaves_cluster_wide_events_out(servers, cluster: Cluster) -> None:
    """A cluster-scoped object's events are listed across every namespace: not under --denied-namespaces."""
    cluster.clear_requests()
    answer = servers("deny-ns").call("describe_resource", {"kind": "pv", "name": "adversary-pv"})
    assert not answer.is_error, answer.text
    assert "Events left out" in answer.text and "all namespaces" in answer.text
    assert [r.path for r in cluster.requests if r.path == "/api/v1/events"] == []


# ----------------------------------------------------------------------------- a denied Namespace object is invisible

NAMESPACE_LISTS = [
    pytest.param({"kind": "namespaces"}, id="summary"),
    pytest.param({"kind": "ns", "output": "full"}, id="full"),
    pytest.param({"kind": "Namespace", "fields": ["metadata.name", "status.phase"]}, id="fields"),
    pytest.param({"kind": "namespaces", "labelSelector": "kubernetes.io/metadata.name=kube-system"}, id="label-selector"),
    pytest.param({"kind": "namespaces", "fieldSelector": "metadata.name=kube-system"}, id="field-selector"),
    pytest.param({"kind": "namespaces.v1.", "limit": 1}, id="page-of-one"),
]


@pytest.mark.parametrize("arguments", NAMESPACE_LISTS)
@pytest.mark.parametrize("server_name, hidden", [("deny-ns", "kube-system"), ("policy", "kube-system"), ("policy", "default")])
def test_lists_of_namespaces_leave_the_denied_ones_out(servers, server_name: str, hidden: str, arguments: dict[str, Any]) -> None:
    answer = servers(server_name).call("list_resources", arguments)
    assert not answer.is_error, answer.text
    blob = answer.text + json.dumps(answer.data)
    assert f'"{hidden}"' not in blob and f" {hidden} " not in blob and f"\n{hidden}" not in blob, blob[:600]


def test_lists_of_namespaces_still_show_the_allowed_ones(servers) -> None:
    rows = servers("policy").ok("list_resources", {"kind": "namespaces", "output": "full"})["items"]
    assert sorted(item["metadata"]["name"] for item in rows) == ["team-a", "team-b"]
    names = {item["metadata"]["name"] for item in servers("deny-ns").ok("list_resources", {"kind": "namespaces", "output": "full"})["items"]}
    assert {"team-a", "team-b", "default"} <= names and "kube-system" not in names


# ----------------------------------------------------------------------------- describe names exactly one object

DESCRIBE_PREFIXES = [
    pytest.param("read-only", {"kind": "namespaces", "name": "kube"}, "kube-system", id="namespace-kube"),
    pytest.param("read-only", {"kind": "ns", "name": "team"}, "team-a", id="namespace-team"),
    pytest.param("read-only", {"kind": "configmaps", "name": "app", "namespace": "team-a"}, "app-config", id="configmap-app"),
    pytest.param("read-only", {"kind": "cm", "name": "app-conf", "namespace": "team-a"}, "app-extra", id="configmap-app-conf"),
    pytest.param("read-only", {"kind": "deployments.apps", "name": "we", "namespace": "team-a"}, "web", id="deployment-we"),
    pytest.param("read-only", {"kind": "clusterroles", "name": "adversary"}, "adversary-reader", id="clusterrole-adversary"),
    pytest.param("policy", {"kind": "configmaps", "name": "app", "namespace": "team-a"}, "app-config", id="policy-configmap-app"),
    pytest.param("deny-ns", {"kind": "namespaces", "name": "kube"}, "kube-system", id="deny-ns-namespace-kube"),
    pytest.param("policy-fast", {"kind": "configmaps", "name": "app-c", "namespace": "team-a"}, "app-config", id="fast-configmap-app-c"),
]


@pytest.mark.parametrize("server_name, arguments, prefixed", DESCRIBE_PREFIXES)
def test_describe_never_falls_back_to_a_name_prefix(servers, cluster: Cluster, server_name: str, arguments: dict[str, Any], prefixed: str) -> None:
    """Given TYPE NAME, kubectl describe describes every object whose name starts with NAME when NAME is missing;
    the server passes TYPE/NAME, so a missing name is NotFound and nothing is listed."""
    cluster.clear_requests()
    answer = servers(server_name).fails("describe_resource", arguments, reason="NotFound")
    assert prefixed not in answer.text
    listed = [r.path for r in cluster.requests if (key := _request_key(r.path, r.query)) and key[3] == "" and not r.path.endswith("/events")]
    assert listed == []


@pytest.mark.emulator_only(reason="the race is staged with the emulator's latency faults and a delete behind the API's back")
def test_describe_of_an_object_deleted_mid_call_is_not_found(servers, emulator: Any, world: Cluster) -> None:
    """The race: the object goes away while kubectl describe fetches it; a sibling with the same prefix stays unseen."""
    world.apply(json.dumps(configmap("race-describe", "team-a")))
    world.apply(json.dumps(configmap("race-describe-sibling", "team-a")))
    path = "/api/v1/namespaces/team-a/configmaps/race-describe"
    try:
        emulator.faults.latency(path, 1.5)
        pending = servers("read-only").call_in_background("describe_resource", {"kind": "configmaps", "name": "race-describe", "namespace": "team-a"})
        _wait_for_request(emulator, path, arrived_only=True)
        emulator.store.delete(("", "configmaps"), "team-a", "race-describe")
        result = pending.result(timeout=60)
    finally:
        emulator.faults.clear()
        world.kubectl("delete", "cm", "race-describe", "race-describe-sibling", "-n", "team-a", "--ignore-not-found", check=False)
    text = "".join(getattr(block, "text", "") for block in result.content)
    assert result.is_error and "NotFound" in text, text
    assert "race-describe-sibling" not in text


def _wait_for_request(emulator: Any, path: str, *, method: str = "GET", arrived_only: bool = False, timeout: float = 30) -> None:
    """Until a request to `path` was answered (or, with `arrived_only`, is being delayed by a latency fault)."""
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if any(r.path == path and r.method == method for r in emulator.requests):
            return
        if arrived_only and _in_flight(emulator, path):
            return
        time.sleep(0.02)
    raise AssertionError(f"no {method} {path} within {timeout}s")


def _in_flight(emulator: Any, path: str) -> bool:
    """Whether a request for this path reached a fault (and so is being delayed)."""
    return path in emulator.faults.matched


# ----------------------------------------------------------------------------- update never creates

ROLE_BINDING = obj(
    "RoleBinding",
    "race-binding",
    "team-a",
    api_version="rbac.authorization.k8s.io/v1",
    roleRef={"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "adversary-reader"},
    subjects=[{"kind": "ServiceAccount", "name": "robot", "namespace": "team-a"}],
)
UPDATE_RACES = [
    pytest.param("deny-ns", configmap("race-cm", "team-a"), {"data": {"key": "after"}}, ("", "configmaps"), id="configmap"),
    pytest.param("deny-ns", ROLE_BINDING, {"roleRef": {**ROLE_BINDING["roleRef"], "name": "cluster-admin"}}, ("rbac.authorization.k8s.io", "rolebindings"), id="rolebinding-new-roleref"),
    pytest.param("deny-ns", {**secret("race-secret"), "type": "Opaque"}, {"data": {"password": b64(NEW_VALUE)}}, ("", "secrets"), id="secret"),
    pytest.param("policy-fast", configmap("race-fast", "team-a"), {"data": {"key": "after"}}, ("", "configmaps"), id="configmap-fast-reads"),
]


@pytest.mark.emulator_only(reason="the race is staged with the emulator's latency faults and a delete behind the API's back")
@pytest.mark.parametrize("server_name, original, change, storage", UPDATE_RACES)
@pytest.mark.parametrize("dry_run", [False, True], ids=["write", "dry-run"])
def test_update_never_creates_an_object_deleted_after_its_check(servers, cluster: Cluster, emulator: Any, world: Cluster, server_name: str, original: dict[str, Any], change: dict[str, Any], storage: tuple[str, str], dry_run: bool) -> None:
    """A delete between update_resource's existence check and its apply: the apply names the checked uid,
    so the API server refuses it instead of creating the object (with create disabled or not)."""
    world.apply(json.dumps(original))
    meta = original["metadata"]
    group, plural = storage
    path = f"/api/v1/namespaces/{meta['namespace']}/{plural}/{meta['name']}" if not group else f"/apis/{group}/v1/namespaces/{meta['namespace']}/{plural}/{meta['name']}"
    cluster.clear_requests()
    try:
        emulator.faults.latency(path, 1.5)
        pending = servers(server_name).call_in_background("update_resource", {"manifest": as_json({**original, **change}), "force": True, "dryRun": dry_run})
        _wait_for_request(emulator, path)  # the existence check was answered: the object was there
        emulator.store.delete(storage, meta["namespace"], meta["name"])
        result = pending.result(timeout=60)
    finally:
        emulator.faults.clear()
    text = "".join(getattr(block, "text", "") for block in result.content)
    try:
        assert result.is_error, text
        assert "Conflict" in text and "uid mismatch" in text and "read it again" in text, text
        assert not world.exists(plural if not group else f"{plural}.{group}", meta["name"], meta["namespace"])
        assert [(r.method, r.path) for r in cluster.requests if r.method == "POST"] == []
        assert NEW_VALUE not in text and b64(NEW_VALUE) not in text
    finally:
        world.kubectl("delete", f"{plural}.{group}" if group else plural, meta["name"], "-n", meta["namespace"], "--ignore-not-found", check=False)


MULTI_DOCUMENT_UPDATES = [
    pytest.param(lambda: as_yaml(configmap("app-config", "team-a", "x"), configmap("absent-one", "team-a")), "absent-one", id="yaml-second-missing"),
    pytest.param(lambda: as_yaml(configmap("absent-two", "team-a"), configmap("app-config", "team-a", "x")), "absent-two", id="yaml-first-missing"),
    pytest.param(lambda: as_yaml(configmap("app-config", "team-a", "x"), configmap("absent-three", "team-b"), configmap("app-extra", "team-a", "y")), "absent-three", id="yaml-middle-missing"),
    pytest.param(lambda: as_list(configmap("app-config", "team-a", "x"), configmap("absent-four", "team-a")), "absent-four", id="list-second-missing"),
    pytest.param(lambda: as_json(configmap("app-config", "team-a", "x")) + "\n" + as_json(configmap("absent-five", "team-a")), "absent-five", id="json-stream-second-missing"),
    pytest.param(lambda: as_yaml(configmap("app-config", "team-a", "x"), {**DEPLOYMENT, "metadata": {"name": "absent-deploy", "namespace": "team-a"}}), "absent-deploy", id="yaml-other-type-missing"),
]


@pytest.mark.parametrize("server_name", ["policy", "policy-fast", "deny-ns"])
@pytest.mark.parametrize("dry_run", [False, True], ids=["write", "dry-run"])
@pytest.mark.parametrize("manifest, missing", MULTI_DOCUMENT_UPDATES)
def test_update_checks_every_document(servers, cluster: Cluster, server_name: str, dry_run: bool, manifest: Callable[[], str], missing: str) -> None:
    before = cluster.snapshot()
    cluster.clear_requests()
    answer = servers(server_name).fails("update_resource", {"manifest": manifest(), "force": True, "dryRun": dry_run}, reason="NotFound")
    assert missing in answer.text and "create_resource" in answer.text
    assert writes_seen(cluster) == []
    assert cluster.snapshot() == before


# ----------------------------------------------------------------------------- deny rules that would deny nothing

RULES_THAT_DENY_NOTHING = ["secret/", "pods/logs", "pods/", "*", "*.", "pods/*", "secrets.Bad_Group", "-secrets", "Pods/Log"]


@pytest.mark.parametrize("rule", RULES_THAT_DENY_NOTHING)
def test_the_server_refuses_to_start_with_a_rule_that_denies_nothing(world: Cluster, rule: str) -> None:
    import subprocess
    import sys

    server = McpServerProcess(world, f"--denied-resources=configmaps,{rule}")
    done = subprocess.run(server.server_argv(), env=server.server_env(), input=b"", capture_output=True, timeout=60)
    assert done.returncode != 0
    stderr = done.stderr.decode()
    assert repr(rule) in stderr and "--denied-resources" in stderr and "Traceback" not in stderr, stderr
    check = subprocess.run([*server.server_argv()[:3], "check", *server.server_argv()[3:]], env=server.server_env(), capture_output=True, timeout=60)
    assert check.returncode != 0 and repr(rule) in check.stdout.decode(), check.stdout.decode() + check.stderr.decode()
    assert sys.executable  # the server ran under this Python


@pytest.mark.parametrize("rules, fails", [("secerts", "secerts"), ("secrets,gizmoz", "gizmoz"), ("pods/log,widgetz.example.com", "widgetz.example.com")])
def test_check_fails_on_a_rule_that_matches_no_served_type(world: Cluster, rules: str, fails: str) -> None:
    import subprocess

    server = McpServerProcess(world, f"--denied-resources={rules}")
    argv = server.server_argv()
    done = subprocess.run([*argv[:3], "check", *argv[3:]], env=server.server_env(), capture_output=True, timeout=120)
    out = done.stdout.decode()
    assert done.returncode == 1, out
    assert f"FAIL --denied-resources {fails} denies no type" in out, out


def test_check_names_what_each_rule_denies(world: Cluster) -> None:
    import subprocess

    server = McpServerProcess(world, "--denied-resources=gadget,pods/log,*.rbac.authorization.k8s.io", "--denied-namespaces=kube-system")
    argv = server.server_argv()
    done = subprocess.run([*argv[:3], "check", *argv[3:]], env=server.server_env(), capture_output=True, timeout=120)
    out = done.stdout.decode()
    assert done.returncode == 0, out
    assert "gadget denies gizmos.adversary.example.com" in out
    # pods/log names the core pods' subresource (and, by name, pods.metrics.k8s.io where metrics are served).
    assert re.search(r"pods/log denies ([^ ]+, )*pods/log(,|$)", out, re.M), out
    assert "clusterrolebindings.rbac.authorization.k8s.io" in out
    assert "writes to cluster-scoped types: refused" in out


SUBRESOURCE_RULES = ["pods/log", "pod/log", "po/log", "Pod/log", "pods.v1./log", "pods./log"]


@pytest.mark.parametrize("rule", SUBRESOURCE_RULES)
def test_a_subresource_rule_denies_the_subresource_and_only_it(server_factory, world: Cluster, cluster: Cluster, rule: str) -> None:
    server = server_factory(f"--denied-resources={rule}")
    pod = world.kubectl_json("get", "pods", "-n", "team-a", "-l", "app=web-deploy")["items"][0]["metadata"]["name"]
    cluster.clear_requests()
    answer = server.fails("get_pod_logs", {"name": pod, "namespace": "team-a"}, reason="PolicyDenied")
    assert "pods/log" in answer.text and rule in answer.text
    assert [r.path for r in cluster.requests if r.path.endswith("/log")] == []
    assert server.ok("get_resource", {"kind": "pods", "name": pod, "namespace": "team-a"})["metadata"]["name"] == pod


GIZMO_SPELLINGS = ["gizmos", "gadget", "Gizmo", "gz", "GIZMOS", "gizmos.adversary.example.com", "gadget.adversary.example.com", "gizmos.v1.adversary.example.com"]


@pytest.mark.parametrize("rule", ["gadget", "Gizmo", "gz", "gizmos.adversary.example.com", "*.adversary.example.com"])
def test_a_rule_naming_a_custom_type_denies_it_by_every_spelling(server_factory, cluster: Cluster, rule: str) -> None:
    """Singulars come from discovery: a CRD whose singular (gadget) is not its Kind in lower case (gizmo)."""
    server = server_factory(*WRITES, f"--denied-resources={rule}")
    before = cluster.snapshot()
    for spelling in GIZMO_SPELLINGS:
        answer = server.fails("list_resources", {"kind": spelling, "namespace": "team-a"}, reason="PolicyDenied")
        assert DENIED_KIND_RULE in answer.text and rule in answer.text
    server.fails("get_resource", {"kind": "gadget", "name": "g1", "namespace": "team-a"}, reason="PolicyDenied")
    server.fails("describe_resource", {"kind": "gz", "name": "g1", "namespace": "team-a"}, reason="PolicyDenied")
    server.fails("create_resource", {"manifest": as_json({**GIZMO, "metadata": {"name": "g2", "namespace": "team-a"}})}, reason="PolicyDenied")
    server.fails("delete_resource", {"kind": "gadget", "name": "g1", "namespace": "team-a"}, reason="PolicyDenied")
    assert cluster.snapshot() == before
    assert server.ok("list_resources", {"kind": "configmaps", "namespace": "team-a"})["count"] >= 1


@pytest.mark.parametrize("spelling", ["clusterroles", "roles", "rolebindings", "clusterrolebindings.rbac.authorization.k8s.io", "Role"])
def test_a_group_wildcard_denies_every_type_of_the_group(server_factory, spelling: str) -> None:
    server = server_factory(*WRITES, "--denied-resources=*.rbac.authorization.k8s.io")
    answer = server.fails("list_resources", {"kind": spelling, "namespace": "team-a"}, reason="PolicyDenied")
    assert "*.rbac.authorization.k8s.io" in answer.text
    assert server.ok("list_resources", {"kind": "configmaps", "namespace": "team-a"})["count"] >= 1


# ----------------------------------------------------------------------------- rediscovery is rate-limited


def test_unknown_kinds_do_not_each_trigger_a_rediscovery(server_factory, cluster: Cluster) -> None:
    from mcp_kubectl.cluster.discovery import REFRESH_BURST

    server = server_factory("--denied-namespaces=rate-limit-probe")  # its own server: a fresh rate limit
    server.ok("list_resources", {"kind": "configmaps", "namespace": "team-a"})
    cluster.clear_requests()
    for i in range(12):
        server.fails("list_resources", {"kind": f"nosuchkind{i}", "namespace": "team-a"}, reason="UnknownResourceType")
    rediscoveries = [r for r in cluster.requests if r.method == "GET" and r.path == "/apis"]
    assert 1 <= len(rediscoveries) <= REFRESH_BURST, len(rediscoveries)
    assert server.ok("list_resources", {"kind": "configmaps", "namespace": "team-a"})["count"] >= 1


# ----------------------------------------------------------------------------- --allow-cluster-writes


CLUSTER_WRITES_ALLOWED = [
    pytest.param("create_resource", {"manifest": as_json(obj("Namespace", "team-z")), "dryRun": True}, id="create-namespace"),
    pytest.param("create_resource", {"manifest": as_json(crd("adversary.example.com", "sprockets", "Sprocket")), "dryRun": True}, id="create-crd"),
    pytest.param("create_resource", {"manifest": as_json(WEBHOOK), "dryRun": True}, id="create-webhook"),
    pytest.param("delete_resource", {"kind": "clusterroles", "name": "adversary-reader", "dryRun": True}, id="delete-cluster-role"),
    pytest.param("delete_resource", {"kind": "crd", "name": "gizmos.adversary.example.com", "dryRun": True}, id="delete-crd"),
    pytest.param("update_resource", {"manifest": as_json({**NODE, "metadata": {"name": "adversary-node", "labels": {"x": "y"}}}), "dryRun": True, "force": True}, id="update-node"),
    pytest.param("diff_resource", {"manifest": as_yaml({**CLUSTER_ROLE, "metadata": {"name": "adversary-reader"}})}, id="diff-cluster-role"),
]


@pytest.mark.parametrize("tool, arguments", CLUSTER_WRITES_ALLOWED)
def test_allow_cluster_writes_lets_cluster_scoped_writes_through(servers, cluster: Cluster, tool: str, arguments: dict[str, Any]) -> None:
    """The control for the cluster-write family: the same writes pass with the flag (dry runs: nothing changes)."""
    before = cluster.snapshot()
    answer = servers("deny-ns-cluster").call(tool, arguments)
    assert not answer.is_error, answer.text[:500]
    assert cluster.snapshot() == before
    refused = servers("deny-ns").call(tool, arguments)
    assert refused.is_error and "cluster-scoped" in refused.text
