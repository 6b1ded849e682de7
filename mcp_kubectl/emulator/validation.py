"""Object validation and defaulting the emulator performs on writes, with the apiserver's error texts.

Only what kubectl users meet most is checked: names (DNS-1123 subdomain, DNS-1123 label for
namespaces, DNS-1035 label for services), required metadata.name, and a few defaults a real cluster fills
in (namespace phase, service cluster IP, deployment replicas), so that reads look like a real cluster's.
Deeper schema validation is a known gap.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

from mcp_kubectl.emulator.catalog import ResourceType
from mcp_kubectl.emulator.errors import ApiError, invalid

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
    elif key == ("apps", "deployments") and isinstance(spec, dict):
        spec.setdefault("replicas", 1)
        spec.setdefault("revisionHistoryLimit", 10)
        spec.setdefault("progressDeadlineSeconds", 600)
        spec.setdefault("strategy", {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": "25%", "maxSurge": "25%"}})
    elif key == ("", "pods") and isinstance(spec, dict):
        spec.setdefault("restartPolicy", "Always")
        spec.setdefault("dnsPolicy", "ClusterFirst")
        spec.setdefault("schedulerName", "default-scheduler")
        spec.setdefault("terminationGracePeriodSeconds", 30)
        spec.setdefault("serviceAccountName", "default")
        for container in spec.get("containers") or []:
            if isinstance(container, dict):
                container.setdefault("terminationMessagePath", "/dev/termination-log")
                container.setdefault("terminationMessagePolicy", "File")
                container.setdefault("imagePullPolicy", "Always" if str(container.get("image", "")).endswith(":latest") or ":" not in str(container.get("image", "")) else "IfNotPresent")
        if not obj.get("status"):
            obj["status"] = {"phase": "Pending", "qosClass": "BestEffort"}
    elif key == ("", "secrets"):
        obj.setdefault("type", "Opaque")


def require(condition: bool, error: ApiError) -> None:
    if not condition:
        raise error
