"""Decoding the Kubernetes protobuf wire format for the objects kubectl's typed clients send.

``kubectl create configmap|secret|namespace|serviceaccount|deployment`` and a few other commands write
with ``Content-Type: application/vnd.kubernetes.protobuf`` (the ``k8s\\x00`` envelope around an
``Unknown`` message). A real apiserver decodes every built-in type; the emulator carries field tables
(from k8s.io/api's generated.proto) only for the types those commands send, and answers 415 for others.
"""

from __future__ import annotations

import base64
import datetime
from typing import Any

MAGIC = b"k8s\x00"


class ProtobufError(ValueError):
    """A body the emulator cannot decode."""


# field number -> (json name, type, repeated)
# types: string, bytes, int, bool, time, map_ss, map_sb, map_sq, intorstr, quantity, or a message name.
Schema = dict[int, tuple[str, str, bool]]
_S, _B, _I, _BOOL = "string", "bytes", "int", "bool"

SCHEMAS: dict[str, Schema] = {
    "TypeMeta": {1: ("apiVersion", _S, False), 2: ("kind", _S, False)},
    "ObjectMeta": {
        1: ("name", _S, False), 2: ("generateName", _S, False), 3: ("namespace", _S, False),
        5: ("uid", _S, False), 6: ("resourceVersion", _S, False), 7: ("generation", _I, False),
        8: ("creationTimestamp", "time", False), 11: ("labels", "map_ss", False),
        12: ("annotations", "map_ss", False), 13: ("ownerReferences", "OwnerReference", True),
        14: ("finalizers", _S, True),
    },
    "OwnerReference": {
        1: ("kind", _S, False), 3: ("name", _S, False), 4: ("uid", _S, False), 5: ("apiVersion", _S, False),
        6: ("controller", _BOOL, False), 7: ("blockOwnerDeletion", _BOOL, False),
    },
    "LabelSelector": {1: ("matchLabels", "map_ss", False), 2: ("matchExpressions", "LabelSelectorRequirement", True)},
    "LabelSelectorRequirement": {1: ("key", _S, False), 2: ("operator", _S, False), 3: ("values", _S, True)},
    "ConfigMap": {1: ("metadata", "ObjectMeta", False), 2: ("data", "map_ss", False), 3: ("binaryData", "map_sb", False),
                  4: ("immutable", _BOOL, False)},
    "Secret": {1: ("metadata", "ObjectMeta", False), 2: ("data", "map_sb", False), 3: ("type", _S, False),
               4: ("stringData", "map_ss", False), 5: ("immutable", _BOOL, False)},
    "Namespace": {1: ("metadata", "ObjectMeta", False), 2: ("spec", "NamespaceSpec", False), 3: ("status", "NamespaceStatus", False)},
    "NamespaceSpec": {1: ("finalizers", _S, True)},
    "NamespaceStatus": {1: ("phase", _S, False)},
    "ServiceAccount": {1: ("metadata", "ObjectMeta", False), 2: ("secrets", "ObjectReference", True),
                       3: ("imagePullSecrets", "LocalObjectReference", True), 4: ("automountServiceAccountToken", _BOOL, False)},
    "ObjectReference": {1: ("kind", _S, False), 2: ("namespace", _S, False), 3: ("name", _S, False), 4: ("uid", _S, False),
                        5: ("apiVersion", _S, False), 6: ("resourceVersion", _S, False), 7: ("fieldPath", _S, False)},
    "LocalObjectReference": {1: ("name", _S, False)},
    "Deployment": {1: ("metadata", "ObjectMeta", False), 2: ("spec", "DeploymentSpec", False), 3: ("status", "DeploymentStatus", False)},
    "DeploymentSpec": {1: ("replicas", _I, False), 2: ("selector", "LabelSelector", False), 3: ("template", "PodTemplateSpec", False),
                       4: ("strategy", "DeploymentStrategy", False), 5: ("minReadySeconds", _I, False),
                       6: ("revisionHistoryLimit", _I, False), 7: ("paused", _BOOL, False), 9: ("progressDeadlineSeconds", _I, False)},
    "DeploymentStrategy": {1: ("type", _S, False), 2: ("rollingUpdate", "RollingUpdateDeployment", False)},
    "RollingUpdateDeployment": {1: ("maxUnavailable", "intorstr", False), 2: ("maxSurge", "intorstr", False)},
    "DeploymentStatus": {1: ("observedGeneration", _I, False), 2: ("replicas", _I, False), 3: ("updatedReplicas", _I, False),
                         4: ("availableReplicas", _I, False), 5: ("unavailableReplicas", _I, False), 7: ("readyReplicas", _I, False)},
    "PodTemplateSpec": {1: ("metadata", "ObjectMeta", False), 2: ("spec", "PodSpec", False)},
    "PodSpec": {2: ("containers", "Container", True), 3: ("restartPolicy", _S, False), 4: ("terminationGracePeriodSeconds", _I, False),
                6: ("dnsPolicy", _S, False), 7: ("nodeSelector", "map_ss", False), 8: ("serviceAccountName", _S, False),
                10: ("nodeName", _S, False), 19: ("schedulerName", _S, False), 20: ("initContainers", "Container", True)},
    "Container": {1: ("name", _S, False), 2: ("image", _S, False), 3: ("command", _S, True), 4: ("args", _S, True),
                  5: ("workingDir", _S, False), 6: ("ports", "ContainerPort", True), 7: ("env", "EnvVar", True),
                  8: ("resources", "ResourceRequirements", False), 13: ("terminationMessagePath", _S, False),
                  14: ("imagePullPolicy", _S, False), 16: ("stdin", _BOOL, False), 17: ("stdinOnce", _BOOL, False),
                  18: ("tty", _BOOL, False), 20: ("terminationMessagePolicy", _S, False)},
    "ContainerPort": {1: ("name", _S, False), 2: ("hostPort", _I, False), 3: ("containerPort", _I, False),
                      4: ("protocol", _S, False), 5: ("hostIP", _S, False)},
    "EnvVar": {1: ("name", _S, False), 2: ("value", _S, False)},
    "ResourceRequirements": {1: ("limits", "map_sq", False), 2: ("requests", "map_sq", False)},
    "DeleteOptions": {1: ("gracePeriodSeconds", _I, False), 2: ("preconditions", "Preconditions", False),
                      3: ("orphanDependents", _BOOL, False), 4: ("propagationPolicy", _S, False), 5: ("dryRun", _S, True)},
    "Preconditions": {1: ("uid", _S, False), 2: ("resourceVersion", _S, False)},
    "Service": {1: ("metadata", "ObjectMeta", False), 2: ("spec", "ServiceSpec", False), 3: ("status", "ServiceStatus", False)},
    "ServiceSpec": {1: ("ports", "ServicePort", True), 2: ("selector", "map_ss", False), 3: ("clusterIP", _S, False),
                    4: ("type", _S, False), 5: ("externalIPs", _S, True), 7: ("sessionAffinity", _S, False),
                    10: ("externalName", _S, False)},
    "ServicePort": {1: ("name", _S, False), 2: ("protocol", _S, False), 3: ("port", _I, False),
                    4: ("targetPort", "intorstr", False), 5: ("nodePort", _I, False), 6: ("appProtocol", _S, False)},
    "ServiceStatus": {1: ("loadBalancer", "LoadBalancerStatus", False)},
    "LoadBalancerStatus": {},
    # batch/v1 (k8s.io/api batch/v1/generated.proto)
    "Job": {1: ("metadata", "ObjectMeta", False), 2: ("spec", "JobSpec", False), 3: ("status", "JobStatus", False)},
    "JobSpec": {1: ("parallelism", _I, False), 2: ("completions", _I, False), 3: ("activeDeadlineSeconds", _I, False),
                4: ("selector", "LabelSelector", False), 5: ("manualSelector", _BOOL, False),
                6: ("template", "PodTemplateSpec", False), 7: ("backoffLimit", _I, False),
                8: ("ttlSecondsAfterFinished", _I, False), 9: ("completionMode", _S, False), 10: ("suspend", _BOOL, False)},
    "JobStatus": {},
    "CronJob": {1: ("metadata", "ObjectMeta", False), 2: ("spec", "CronJobSpec", False), 3: ("status", "CronJobStatus", False)},
    "CronJobSpec": {1: ("schedule", _S, False), 2: ("startingDeadlineSeconds", _I, False), 3: ("concurrencyPolicy", _S, False),
                    4: ("suspend", _BOOL, False), 5: ("jobTemplate", "JobTemplateSpec", False),
                    6: ("successfulJobsHistoryLimit", _I, False), 7: ("failedJobsHistoryLimit", _I, False),
                    8: ("timeZone", _S, False)},
    "CronJobStatus": {},
    "JobTemplateSpec": {1: ("metadata", "ObjectMeta", False), 2: ("spec", "JobSpec", False)},
    # rbac.authorization.k8s.io/v1 (k8s.io/api rbac/v1/generated.proto)
    "Role": {1: ("metadata", "ObjectMeta", False), 2: ("rules", "PolicyRule", True)},
    "ClusterRole": {1: ("metadata", "ObjectMeta", False), 2: ("rules", "PolicyRule", True),
                    3: ("aggregationRule", "AggregationRule", False)},
    "AggregationRule": {1: ("clusterRoleSelectors", "LabelSelector", True)},
    "PolicyRule": {1: ("verbs", _S, True), 2: ("apiGroups", _S, True), 3: ("resources", _S, True),
                   4: ("resourceNames", _S, True), 5: ("nonResourceURLs", _S, True)},
    "RoleBinding": {1: ("metadata", "ObjectMeta", False), 2: ("subjects", "Subject", True), 3: ("roleRef", "RoleRef", False)},
    "ClusterRoleBinding": {1: ("metadata", "ObjectMeta", False), 2: ("subjects", "Subject", True), 3: ("roleRef", "RoleRef", False)},
    "RoleRef": {1: ("apiGroup", _S, False), 2: ("kind", _S, False), 3: ("name", _S, False)},
    "Subject": {1: ("kind", _S, False), 2: ("apiGroup", _S, False), 3: ("name", _S, False), 4: ("namespace", _S, False)},
    "SelfSubjectAccessReview": {1: ("metadata", "ObjectMeta", False), 2: ("spec", "SelfSubjectAccessReviewSpec", False),
                                3: ("status", "SubjectAccessReviewStatus", False)},
    "SubjectAccessReviewStatus": {1: ("allowed", _BOOL, False), 2: ("reason", _S, False),
                                  3: ("evaluationError", _S, False), 4: ("denied", _BOOL, False)},
    "SelfSubjectAccessReviewSpec": {1: ("resourceAttributes", "ResourceAttributes", False),
                                    2: ("nonResourceAttributes", "NonResourceAttributes", False)},
    "ResourceAttributes": {1: ("namespace", _S, False), 2: ("verb", _S, False), 3: ("group", _S, False),
                           4: ("version", _S, False), 5: ("resource", _S, False), 6: ("subresource", _S, False),
                           7: ("name", _S, False)},
    "NonResourceAttributes": {1: ("path", _S, False), 2: ("verb", _S, False)},
}

# Fields Go's JSON encoding never omits (structs without omitempty) so the decoded object looks the same.
_ALWAYS = {"ObjectMeta": {"creationTimestamp": None}}


def _varint(data: bytes, pos: int) -> tuple[int, int]:
    result = shift = 0
    while True:
        if pos >= len(data):
            raise ProtobufError("truncated varint")
        byte = data[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return result, pos
        shift += 7


def _fields(data: bytes) -> list[tuple[int, int, Any]]:
    out = []
    pos = 0
    while pos < len(data):
        key, pos = _varint(data, pos)
        number, wire = key >> 3, key & 7
        value: int | bytes
        if wire == 0:
            value, pos = _varint(data, pos)
        elif wire == 2:
            length, pos = _varint(data, pos)
            value = data[pos : pos + length]
            pos += length
        elif wire == 1:
            value = data[pos : pos + 8]
            pos += 8
        elif wire == 5:
            value = data[pos : pos + 4]
            pos += 4
        else:
            raise ProtobufError(f"unsupported wire type {wire}")
        out.append((number, wire, value))
    return out


def _signed(value: int) -> int:
    return value - (1 << 64) if value >= 1 << 63 else value


def _map_entry(raw: bytes) -> tuple[str, bytes]:
    key, value = "", b""
    for number, _wire, item in _fields(raw):
        if number == 1:
            key = item.decode()
        elif number == 2:
            value = item
    return key, value


def _scalar(kind: str, wire: int, value: Any) -> Any:
    if kind == _S:
        return value.decode()
    if kind == _B:
        return base64.b64encode(value).decode()
    if kind == _I:
        return _signed(value)
    if kind == _BOOL:
        return bool(value)
    if kind == "time":
        seconds = 0
        for number, _w, item in _fields(value):
            if number == 1:
                seconds = _signed(item)
        if seconds == 0:
            return None  # Go's zero time encodes as null
        return datetime.datetime.fromtimestamp(seconds, datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    if kind == "intorstr":
        parsed = {number: item for number, _w, item in _fields(value)}
        return parsed.get(3, b"").decode() if parsed.get(1, 0) == 1 else _signed(parsed.get(2, 0))
    if kind == "quantity":
        return next((item.decode() for number, _w, item in _fields(value) if number == 1), "")
    return decode_message(kind, value)


def decode_message(name: str, data: bytes) -> dict[str, Any]:
    schema = SCHEMAS.get(name)
    if schema is None:
        raise ProtobufError(f"no schema for {name}")
    out: dict[str, Any] = dict(_ALWAYS.get(name, {}))
    for number, wire, value in _fields(data):
        spec = schema.get(number)
        if spec is None:
            if value in (0, b""):
                continue  # gogo-protobuf writes every non-pointer field, empty ones included
            raise ProtobufError(f"{name}: field {number} is not in the emulator's table")
        json_name, kind, repeated = spec
        if kind in (_S, _B, _I, _BOOL) and value in (0, b"") and not repeated:
            continue  # omitempty, as the JSON encoding would
        if kind.startswith("map_"):
            key, raw = _map_entry(value)
            target = out.setdefault(json_name, {})
            target[key] = raw.decode() if kind == "map_ss" else base64.b64encode(raw).decode() if kind == "map_sb" else _scalar("quantity", 2, raw)
        elif repeated:
            out.setdefault(json_name, []).append(_scalar(kind, wire, value))
        else:
            out[json_name] = _scalar(kind, wire, value)
    return out


def decode_object(body: bytes, expected_kind: str) -> dict[str, Any]:
    """A JSON-shaped object from a ``k8s\\x00`` protobuf envelope; ProtobufError for types without a table."""
    if not body.startswith(MAGIC):
        raise ProtobufError("missing k8s protobuf envelope")
    type_meta: dict[str, Any] = {}
    raw = b""
    for number, _wire, value in _fields(body[len(MAGIC):]):
        if number == 1:
            type_meta = decode_message("TypeMeta", value)
        elif number == 2:
            raw = value
    kind = type_meta.get("kind") or expected_kind
    obj = decode_message(kind, raw)
    result: dict[str, Any] = {}
    if type_meta.get("apiVersion"):
        result["apiVersion"] = type_meta["apiVersion"]
    result["kind"] = kind
    result.update(obj)
    return result
