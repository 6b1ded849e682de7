"""Object validation and defaulting the emulator performs on writes, with the apiserver's error texts.

Only what kubectl users meet most is checked: names (DNS-1123 subdomain, DNS-1123 label for
namespaces, DNS-1035 label for services), required metadata.name, and a few defaults a real cluster fills
in (namespace phase, service cluster IP, deployment replicas), so that reads look like a real cluster's.
Deeper schema validation is a known gap.
"""

from __future__ import annotations

import base64
import hashlib
import re
from typing import Any

from mcp_kubectl.emulator.catalog import ResourceType
from mcp_kubectl.emulator.errors import invalid

_DNS1123_SUBDOMAIN = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
_DNS1123_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
_DNS1035_LABEL = re.compile(r"^[a-z]([-a-z0-9]*[a-z0-9])?$")

_SUBDOMAIN_MSG = (
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must "
    "start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is "
    "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
)
_LABEL_MSG = (
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and "
    "end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is "
    "'[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
)
_DNS1035_MSG = (
    "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic "
    "character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for "
    "validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"
)

# Resources whose names must be DNS labels rather than subdomains.
_LABEL_NAMED = {("", "namespaces")}
_DNS1035_NAMED = {("", "services")}


def validate_name(resource_type: ResourceType, obj: dict[str, Any]) -> None:
    """Raise Invalid (422) for a missing or malformed metadata.name, with the real message."""
    meta = obj.get("metadata") or {}
    name = meta.get("name") or ""
    kind = resource_type.kind
    group = resource_type.group
    if not name:
        raise invalid(kind, group, name, [("FieldValueRequired", "metadata.name", "Required value: name or generateName is required")])
    key = (resource_type.group, resource_type.plural)
    if key in _DNS1035_NAMED:
        ok, msg, limit = _DNS1035_LABEL.match(name) is not None, _DNS1035_MSG, 63
    elif key in _LABEL_NAMED:
        ok, msg, limit = _DNS1123_LABEL.match(name) is not None, _LABEL_MSG, 63
    else:
        ok, msg, limit = _DNS1123_SUBDOMAIN.match(name) is not None, _SUBDOMAIN_MSG, 253
    if len(name) > limit:
        raise invalid(kind, group, name, [("FieldValueInvalid", "metadata.name", f'Invalid value: "{name}": must be no more than {limit} characters')])
    if not ok:
        raise invalid(kind, group, name, [("FieldValueInvalid", "metadata.name", f'Invalid value: "{name}": {msg}')])
    labels = meta.get("labels")
    if labels is not None and not isinstance(labels, dict):
        raise invalid(kind, group, name, [("FieldValueInvalid", "metadata.labels", "Invalid value: must be a map")])


def _cluster_ip(namespace: str, name: str) -> str:
    digest = hashlib.sha256(f"{namespace}/{name}".encode()).digest()
    return f"10.96.{digest[0]}.{max(digest[1], 2)}"


def apply_defaults(resource_type: ResourceType, obj: dict[str, Any]) -> None:
    """Fill in the defaults a real cluster adds on create, for the types people look at most."""
    key = (resource_type.group, resource_type.plural)
    meta = obj.setdefault("metadata", {})
    spec = obj.get("spec")
    if key == ("", "namespaces"):
        meta.setdefault("labels", {})["kubernetes.io/metadata.name"] = meta.get("name", "")
        obj.setdefault("spec", {}).setdefault("finalizers", ["kubernetes"])
        obj["status"] = {"phase": "Active"}
    elif key == ("", "services") and isinstance(spec, dict):
        spec.setdefault("type", "ClusterIP")
        spec.setdefault("sessionAffinity", "None")
        if spec["type"] != "ExternalName":  # an ExternalName service gets no cluster IP, as on a real server
            if spec.get("clusterIP") != "None":
                spec.setdefault("clusterIP", _cluster_ip(meta.get("namespace", ""), meta.get("name", "")))
            spec.setdefault("clusterIPs", [spec["clusterIP"]])
            spec.setdefault("ipFamilies", ["IPv4"])
            spec.setdefault("ipFamilyPolicy", "SingleStack")
        spec.setdefault("internalTrafficPolicy", "Cluster")
        for port in spec.get("ports") or []:
            if isinstance(port, dict):
                port.setdefault("protocol", "TCP")
                port.setdefault("targetPort", port.get("port"))
        obj.setdefault("status", {"loadBalancer": {}})
    elif key in _WORKLOADS and isinstance(spec, dict):
        spec.setdefault("replicas", 1)
        spec.setdefault("revisionHistoryLimit", 10)
        if key == ("apps", "deployments"):
            spec.setdefault("progressDeadlineSeconds", 600)
            if not spec.get("strategy"):
                spec["strategy"] = {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": "25%", "maxSurge": "25%"}}
        template = spec.get("template")
        if isinstance(template, dict) and isinstance(template.get("spec"), dict):
            _pod_spec_defaults(template["spec"])
    elif key == ("batch", "jobs") and isinstance(spec, dict):
        _job_spec_defaults(spec, meta)
    elif key == ("batch", "cronjobs") and isinstance(spec, dict):
        spec.setdefault("concurrencyPolicy", "Allow")
        spec.setdefault("suspend", False)
        spec.setdefault("successfulJobsHistoryLimit", 3)
        spec.setdefault("failedJobsHistoryLimit", 1)
        job_template = spec.get("jobTemplate")
        if isinstance(job_template, dict) and isinstance((job_template.get("spec") or {}).get("template"), dict):
            template_spec = job_template["spec"]["template"].get("spec")
            if isinstance(template_spec, dict):
                _pod_spec_defaults(template_spec)
    elif key == ("", "pods") and isinstance(spec, dict):
        _pod_spec_defaults(spec)
        if not obj.get("status"):
            obj["status"] = {"phase": "Pending", "qosClass": "BestEffort"}
    elif key == ("", "secrets"):
        obj.setdefault("type", "Opaque")


def fold_string_data(resource_type: ResourceType, obj: dict[str, Any]) -> None:
    """A Secret's write-only ``stringData`` is merged into ``data`` (base64) and never stored, as the apiserver does."""
    if (resource_type.group, resource_type.plural) != ("", "secrets"):
        return
    string_data = obj.pop("stringData", None)
    if isinstance(string_data, dict) and string_data:
        data: dict[str, Any] = obj["data"] if isinstance(obj.get("data"), dict) else {}
        for key, value in string_data.items():
            data[key] = base64.b64encode(str(value).encode()).decode()
        obj["data"] = data


_WORKLOADS = {("apps", "deployments"), ("apps", "replicasets"), ("apps", "statefulsets")}


def _pod_spec_defaults(spec: dict[str, Any]) -> None:
    spec.setdefault("restartPolicy", "Always")
    spec.setdefault("terminationGracePeriodSeconds", 30)
    spec.setdefault("dnsPolicy", "ClusterFirst")
    spec.setdefault("securityContext", {})
    spec.setdefault("schedulerName", "default-scheduler")
    for container in [*(spec.get("containers") or []), *(spec.get("initContainers") or [])]:
        if not isinstance(container, dict):
            continue
        image = str(container.get("image", ""))
        tag = image.rsplit("/", 1)[-1]
        container.setdefault("terminationMessagePath", "/dev/termination-log")
        container.setdefault("terminationMessagePolicy", "File")
        container.setdefault("imagePullPolicy", "Always" if ":" not in tag or tag.endswith(":latest") else "IfNotPresent")
        container.setdefault("resources", {})
        for port in container.get("ports") or []:
            if isinstance(port, dict):
                port.setdefault("protocol", "TCP")


def _job_spec_defaults(spec: dict[str, Any], meta: dict[str, Any]) -> None:
    """The job strategy's defaults, including the controller-uid selector and template labels."""
    if spec.get("completions") is None and spec.get("parallelism") is None:
        spec["completions"] = 1  # a work queue (parallelism alone) keeps completions unset, as on a real server
    spec.setdefault("parallelism", 1)
    spec.setdefault("backoffLimit", 6)
    spec.setdefault("completionMode", "NonIndexed")
    spec.setdefault("suspend", False)
    spec.setdefault("podReplacementPolicy", "TerminatingOrFailed")
    uid = meta.get("uid", "")
    if not spec.get("manualSelector") and uid:
        labels = {"batch.kubernetes.io/controller-uid": uid, "batch.kubernetes.io/job-name": meta.get("name", ""),
                  "controller-uid": uid, "job-name": meta.get("name", "")}
        spec["selector"] = {"matchLabels": {"batch.kubernetes.io/controller-uid": uid}}
        template = spec.setdefault("template", {})
        template.setdefault("metadata", {}).setdefault("labels", {}).update(labels)
    template_spec = (spec.get("template") or {}).get("spec")
    if isinstance(template_spec, dict):
        _pod_spec_defaults(template_spec)


def rolled_out_status(resource_type: ResourceType, obj: dict[str, Any], now: str) -> None:
    """No controllers run here: a workload reports itself fully rolled out, so `kubectl rollout status` returns;
    a Job reports itself complete, so `kubectl wait --for=condition=complete` returns."""
    if (resource_type.group, resource_type.plural) == ("batch", "jobs"):
        spec = obj.get("spec") or {}
        if spec.get("suspend"):
            return
        obj["status"] = {
            "startTime": now, "completionTime": now, "succeeded": int(spec.get("completions", 1) or 1),
            "ready": 0, "terminating": 0, "uncountedTerminatedPods": {},
            "conditions": [
                {"type": "SuccessCriteriaMet", "status": "True", "lastProbeTime": now, "lastTransitionTime": now,
                 "reason": "CompletionsReached", "message": "Reached expected number of succeeded pods"},
                {"type": "Complete", "status": "True", "lastProbeTime": now, "lastTransitionTime": now,
                 "reason": "CompletionsReached", "message": "Reached expected number of succeeded pods"},
            ],
        }
        return
    if (resource_type.group, resource_type.plural) not in _WORKLOADS:
        return
    spec = obj.get("spec") or {}
    replicas = int(spec.get("replicas", 1) or 0)
    status: dict[str, Any] = {
        "observedGeneration": (obj.get("metadata") or {}).get("generation", 1),
        "replicas": replicas,
        "readyReplicas": replicas,
        "availableReplicas": replicas,
    }
    if resource_type.plural == "deployments":
        status["updatedReplicas"] = replicas
        status["conditions"] = [
            {"type": "Available", "status": "True", "lastUpdateTime": now, "lastTransitionTime": now,
             "reason": "MinimumReplicasAvailable", "message": "Deployment has minimum availability."},
            {"type": "Progressing", "status": "True", "lastUpdateTime": now, "lastTransitionTime": now,
             "reason": "NewReplicaSetAvailable",
             "message": f'ReplicaSet "{(obj.get("metadata") or {}).get("name", "")}" has successfully progressed.'},
        ]
    elif resource_type.plural == "statefulsets":
        status.update({"currentReplicas": replicas, "updatedReplicas": replicas})
    else:
        status["fullyLabeledReplicas"] = replicas
    if replicas == 0:
        for field in ("readyReplicas", "availableReplicas"):
            status.pop(field)
    obj["status"] = status

