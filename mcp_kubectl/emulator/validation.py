"""Object validation and defaulting the emulator performs on writes, with the apiserver's error texts.

Only what kubectl users meet most is checked: names (DNS-1123 subdomain, DNS-1123 label for
namespaces, DNS-1035 label for services), required metadata.name, unknown top-level fields under
fieldValidation=Strict, a few spec rules (apps/v1 replicas and selectors, volume mounts naming a volume,
cluster IPs being IP addresses), immutable fields on update; and a few defaults a real cluster fills in
(namespace phase, service cluster IP, deployment replicas), so that reads look like a real cluster's.
Deeper schema validation is a known gap.
"""

from __future__ import annotations

import base64
import hashlib
import ipaddress
import json
import re
from collections.abc import Callable
from typing import Any

from mcp_kubectl.emulator.catalog import ResourceType
from mcp_kubectl.emulator.errors import bad_request, invalid

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
        elif key == ("apps", "statefulsets"):
            spec.setdefault("podManagementPolicy", "OrderedReady")
            if not spec.get("updateStrategy"):
                spec["updateStrategy"] = {"type": "RollingUpdate", "rollingUpdate": {"partition": 0}}
        template = spec.get("template")
        if isinstance(template, dict) and isinstance(template.get("spec"), dict):
            _pod_spec_defaults(template["spec"])
    elif key == ("apps", "daemonsets") and isinstance(spec, dict):
        spec.setdefault("revisionHistoryLimit", 10)
        if not spec.get("updateStrategy"):
            spec["updateStrategy"] = {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 1, "maxSurge": 0}}
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
DAEMON_NODES = 3  # the emulator's nodes (controllers._NODES)


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
    if (resource_type.group, resource_type.plural) == ("apps", "daemonsets"):
        nodes = DAEMON_NODES  # one pod on each of the emulator's nodes, all updated and available
        obj["status"] = {
            "observedGeneration": (obj.get("metadata") or {}).get("generation", 1),
            "currentNumberScheduled": nodes, "desiredNumberScheduled": nodes, "numberMisscheduled": 0,
            "numberReady": nodes, "updatedNumberScheduled": nodes, "numberAvailable": nodes,
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



# --- checks a real API server makes on the object's contents, with its messages -------------------------

_SELECTED_WORKLOADS = {("apps", "deployments"), ("apps", "replicasets"), ("apps", "statefulsets"), ("apps", "daemonsets")}
_BINDINGS = {("rbac.authorization.k8s.io", "rolebindings"), ("rbac.authorization.k8s.io", "clusterrolebindings")}


def _shown(value: Any) -> str:
    """A value as a 1.37 API server quotes it in a field error: compact JSON, map keys sorted."""
    return json.dumps(value, separators=(",", ":"), sort_keys=isinstance(value, dict) and "APIGroup" not in value)


def _shown_selector(selector: dict[str, Any]) -> str:
    shown: dict[str, Any] = {}
    if selector.get("matchLabels"):
        shown["matchLabels"] = dict(sorted(selector["matchLabels"].items()))
    if selector.get("matchExpressions"):
        shown["matchExpressions"] = selector["matchExpressions"]
    return json.dumps(shown, separators=(",", ":"))


def _selector_matches(selector: dict[str, Any], labels: dict[str, Any]) -> bool:
    wanted = selector.get("matchLabels") or {}
    return isinstance(wanted, dict) and all(labels.get(k) == v for k, v in wanted.items())


def validate_spec(resource_type: ResourceType, obj: dict[str, Any]) -> None:
    """Raise Invalid (422), every cause at once, for what the API server's validation refuses in a spec:
    see the checks in _SPEC_CHECKS."""
    check = _SPEC_CHECKS.get((resource_type.group, resource_type.plural))
    spec = obj.get("spec")
    if check is None or not isinstance(spec, dict):
        return
    causes = check(spec)
    if causes:
        name = (obj.get("metadata") or {}).get("name", "")
        raise invalid(resource_type.kind, resource_type.group, name, causes)


Cause = tuple[str, str, str]  # reason, field path, message after the field path


def _workload_causes(spec: dict[str, Any]) -> list[Cause]:
    """apps/v1: negative replicas, a missing selector, a selector that does not select the template's
    labels, then what the pod template's spec gets wrong."""
    causes: list[Cause] = []
    replicas = spec.get("replicas")
    if isinstance(replicas, int) and not isinstance(replicas, bool) and replicas < 0:
        causes.append(("FieldValueInvalid", "spec.replicas", f"Invalid value: {replicas}: must be greater than or equal to 0"))
    selector = spec.get("selector")
    template = spec.get("template")
    labels = ((template.get("metadata") or {}) if isinstance(template, dict) else {}).get("labels") or {}
    if not isinstance(selector, dict) or not selector:
        causes.append(("FieldValueRequired", "spec.selector", "Required value"))
    elif isinstance(labels, dict) and not _selector_matches(selector, labels):
        causes.append(("FieldValueInvalid", "spec.template.metadata.labels",
                       f"Invalid value: {_shown(labels)}: `selector` does not match template `labels`"))
    pod_spec = template.get("spec") if isinstance(template, dict) else None
    if isinstance(pod_spec, dict):
        causes += _volume_mount_causes(pod_spec, "spec.template.spec")
    return causes


def _volume_mount_causes(pod_spec: dict[str, Any], path: str) -> list[Cause]:
    """Each container's volumeMounts must name one of the pod's volumes (ValidateVolumeMounts)."""
    volumes = {volume.get("name") for volume in pod_spec.get("volumes") or [] if isinstance(volume, dict)}
    causes: list[Cause] = []
    for containers in ("containers", "initContainers"):
        for index, container in enumerate(pod_spec.get(containers) or []):
            mounts = container.get("volumeMounts") if isinstance(container, dict) else None
            for number, mount in enumerate(mounts or []):
                field = f"{path}.{containers}[{index}].volumeMounts[{number}].name"
                mounted = mount.get("name", "") if isinstance(mount, dict) else ""
                if not mounted:
                    causes.append(("FieldValueRequired", field, "Required value"))
                if mounted not in volumes:
                    causes.append(("FieldValueNotFound", field, f"Not found: {_shown(mounted)}"))
    return causes


_IPV4_WITH_ZEROS = re.compile(r"^\d+\.\d+\.\d+\.\d+$")


def _ip_problem(text: str) -> str | None:
    """What a 1.37 API server (StrictIPCIDRValidation on) says of a value in a legacy IP field, None if it is fine.
    Go's parser takes IPv4 octets with leading zeros, then strict validation refuses them; Python's refuses them."""
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        octets = text.split(".")
        if _IPV4_WITH_ZEROS.match(text) and all(int(octet) <= 255 for octet in octets):
            return "must not have leading 0s"
        return "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"
    if "%" in text:  # Go's parser takes no IPv6 zone
        return "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return "must not be an IPv4-mapped IPv6 address"
    return None


def _service_causes(spec: dict[str, Any]) -> list[Cause]:
    """Every cluster IP must be an IP address ("None" first and alone is headless), as the checks the
    service registry runs before it allocates (ValidateServiceClusterIPsRelatedFields); a clusterIP
    alone stands for clusterIPs, as the registry copies it there first."""
    if spec.get("type") == "ExternalName":
        return []
    cluster_ip = spec.get("clusterIP")
    cluster_ips = spec.get("clusterIPs") or ([cluster_ip] if cluster_ip else [])
    causes: list[Cause] = []
    for index, value in enumerate(cluster_ips if isinstance(cluster_ips, list) else []):
        if not isinstance(value, str) or (index == 0 and value == "None"):
            continue
        problem = _ip_problem(value)
        if problem:
            causes.append(("FieldValueInvalid", f"spec.clusterIPs[{index}]", f"Invalid value: {_shown(value)}: {problem}"))
    return causes


_SPEC_CHECKS: dict[tuple[str, str], Callable[[dict[str, Any]], list[Cause]]] = {
    **dict.fromkeys(_SELECTED_WORKLOADS, _workload_causes),
    ("", "pods"): lambda spec: _volume_mount_causes(spec, "spec"),
    ("", "services"): _service_causes,
}


def carry_cluster_ips(resource_type: ResourceType, old: dict[str, Any], new: dict[str, Any]) -> None:
    """On a Service update, keep the cluster IPs the client left out and follow a changed clusterIP into
    clusterIPs, as the real service registry does before validating (patchAllocatedValues, then
    normalizeClusterIPs in pkg/registry/core/service/storage)."""
    if (resource_type.group, resource_type.plural) != ("", "services"):
        return
    old_spec, new_spec = old.get("spec"), new.get("spec")
    if not isinstance(old_spec, dict) or not isinstance(new_spec, dict):
        return
    if old_spec.get("type") != "ExternalName" and new_spec.get("type") != "ExternalName":
        if not new_spec.get("clusterIP") and old_spec.get("clusterIP"):
            new_spec["clusterIP"] = old_spec["clusterIP"]
        if not new_spec.get("clusterIPs") and old_spec.get("clusterIPs"):
            new_spec["clusterIPs"] = old_spec["clusterIPs"]
    old_ip, new_ip = old_spec.get("clusterIP") or "", new_spec.get("clusterIP") or ""
    old_ips, new_ips = old_spec.get("clusterIPs") or [], new_spec.get("clusterIPs") or []
    if old_ips and not new_ips and old_ip == new_ip:
        new_spec["clusterIPs"] = new_ips = old_ips
    if old_ip != new_ip and old_ips == new_ips:
        if old_ip and not new_ip:
            new_spec.pop("clusterIPs", None)
        else:
            new_spec["clusterIPs"] = [new_ip]


def _cluster_ip_change_causes(old_spec: dict[str, Any], new_spec: dict[str, Any]) -> list[Cause]:
    """A primary (or, same count, any) cluster IP changed: what validateUpgradeDowngradeClusterIPs says."""
    if "ExternalName" in (old_spec.get("type"), new_spec.get("type")):
        return []
    old_ips, new_ips = old_spec.get("clusterIPs") or [], new_spec.get("clusterIPs") or []
    if not isinstance(old_ips, list) or not isinstance(new_ips, list) or (old_ips[:1] == ["None"] and new_ips[:1] == ["None"]):
        return []
    shown = _shown(new_ips)
    if len(old_ips) == len(new_ips):
        changed = [index for index, ip in enumerate(old_ips) if ip != new_ips[index]]
    else:
        changed = [0] if old_ips and new_ips and old_ips[0] != new_ips[0] else []
    return [("FieldValueInvalid", f"spec.clusterIPs[{index}]", f"Invalid value: {shown}: may not change once set")
            for index in changed]


def validate_update(resource_type: ResourceType, old: dict[str, Any], new: dict[str, Any]) -> None:
    """Raise Invalid (422) for changes a real API server never allows: a binding's roleRef, the
    selector of an apps/v1 workload, and a Service's cluster IPs (after carry_cluster_ips)."""
    key = (resource_type.group, resource_type.plural)
    name = (new.get("metadata") or {}).get("name", "")
    old_spec, new_spec = old.get("spec"), new.get("spec")
    if key == ("", "services") and isinstance(old_spec, dict) and isinstance(new_spec, dict):
        causes = _cluster_ip_change_causes(old_spec, new_spec)
        if causes:
            raise invalid(resource_type.kind, resource_type.group, name, causes)
    if key in _BINDINGS and new.get("roleRef") != old.get("roleRef"):
        given = new.get("roleRef")
        ref: dict[str, Any] = given if isinstance(given, dict) else {}
        shown = _shown({"APIGroup": ref.get("apiGroup", ""), "Kind": ref.get("kind", ""), "Name": ref.get("name", "")})
        raise invalid(resource_type.kind, resource_type.group, name,
                      [("FieldValueInvalid", "roleRef", f"Invalid value: {shown}: field is immutable")])
    if key in _SELECTED_WORKLOADS:
        new_selector = (new.get("spec") or {}).get("selector")
        old_selector = (old.get("spec") or {}).get("selector")
        if isinstance(new_selector, dict) and old_selector is not None and new_selector != old_selector:
            raise invalid(resource_type.kind, resource_type.group, name,
                          [("FieldValueInvalid", "spec.selector", f"Invalid value: {_shown_selector(new_selector)}: field is immutable")])


# Top-level fields of the kinds people write by hand, and a Deployment's spec: enough for the
# unknown-field check below. Kinds not listed here are not checked (a known gap: no full schemas).
_OBJECT_META_FIELDS = frozenset({
    "name", "generateName", "namespace", "selfLink", "uid", "resourceVersion", "generation", "creationTimestamp",
    "deletionTimestamp", "deletionGracePeriodSeconds", "labels", "annotations", "ownerReferences", "finalizers",
    "managedFields",
})
_SPEC_AND_STATUS = frozenset({"spec", "status"})
_TOP_LEVEL_FIELDS: dict[tuple[str, str], frozenset[str]] = {
    ("", "configmaps"): frozenset({"data", "binaryData", "immutable"}),
    ("", "secrets"): frozenset({"data", "stringData", "type", "immutable"}),
    ("", "serviceaccounts"): frozenset({"secrets", "imagePullSecrets", "automountServiceAccountToken"}),
    ("", "namespaces"): _SPEC_AND_STATUS,
    ("", "services"): _SPEC_AND_STATUS,
    ("", "pods"): _SPEC_AND_STATUS,
    ("", "resourcequotas"): _SPEC_AND_STATUS,
    ("", "persistentvolumeclaims"): _SPEC_AND_STATUS,
    ("apps", "deployments"): _SPEC_AND_STATUS,
    ("apps", "replicasets"): _SPEC_AND_STATUS,
    ("apps", "statefulsets"): _SPEC_AND_STATUS,
    ("apps", "daemonsets"): _SPEC_AND_STATUS,
    ("batch", "jobs"): _SPEC_AND_STATUS,
    ("batch", "cronjobs"): _SPEC_AND_STATUS,
    ("rbac.authorization.k8s.io", "roles"): frozenset({"rules"}),
    ("rbac.authorization.k8s.io", "clusterroles"): frozenset({"rules", "aggregationRule"}),
    ("rbac.authorization.k8s.io", "rolebindings"): frozenset({"subjects", "roleRef"}),
    ("rbac.authorization.k8s.io", "clusterrolebindings"): frozenset({"subjects", "roleRef"}),
}
_SPEC_FIELDS: dict[tuple[str, str], frozenset[str]] = {
    ("apps", "deployments"): frozenset({"replicas", "selector", "template", "strategy", "minReadySeconds",
                                        "revisionHistoryLimit", "paused", "progressDeadlineSeconds"}),
}


def unknown_fields(resource_type: ResourceType, obj: dict[str, Any]) -> list[str]:
    """Paths of fields the type does not have, as strict decoding names them ("spec", "spec.replica")."""
    key = (resource_type.group, resource_type.plural)
    known = _TOP_LEVEL_FIELDS.get(key)
    if known is None:
        return []
    found = [f for f in obj if f not in known and f not in ("apiVersion", "kind", "metadata")]
    meta = obj.get("metadata")
    if isinstance(meta, dict):
        found += [f"metadata.{f}" for f in meta if f not in _OBJECT_META_FIELDS]
    spec_fields = _SPEC_FIELDS.get(key)
    if spec_fields is not None and isinstance(obj.get("spec"), dict):
        found += [f"spec.{f}" for f in obj["spec"] if f not in spec_fields]
    return found


def check_strict_fields(resource_type: ResourceType, obj: dict[str, Any], field_validation: str | None) -> None:
    """Under fieldValidation=Strict (kubectl's default), unknown fields are a BadRequest, as a real server says."""
    if (field_validation or "").lower() != "strict":
        return
    found = unknown_fields(resource_type, obj)
    if found:
        kind, version = resource_type.kind, resource_type.version
        listed = ", ".join(f'unknown field "{f}"' for f in found)
        raise bad_request(f'{kind} in version "{version}" cannot be handled as a {kind}: strict decoding error: {listed}')
