"""The emulator's catalog of served resource types and the discovery documents built from it.

The built-in table is that of a Kubernetes 1.37 API server with default feature gates (every group
and type a real v1.37.2 kube-apiserver serves; compared in tests/integration/test_api_behaviour.py against the
control plane tests/real_cluster.py runs). Names, short names, verbs, categories, scope and
sub-resources are copied from what a real server's legacy discovery (`/api/v1`,
`/apis/GROUP/VERSION`) returns, so `kubectl api-resources -o wide` prints the same rows. The review
types (tokenreviews, *subjectaccessreviews, selfsubjectreviews) are create-only and never stored.
CustomResourceDefinitions add types at run time through `Catalog.register_crd`.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import re
import threading
from dataclasses import dataclass
from typing import Any

__all__ = ["ResourceType", "Subresource", "Catalog", "storage_version_hash", "version_priority_key"]


@dataclass(frozen=True)
class ResourceType:
    """One served resource (a plural name in one group-version) with its discovery facts."""

    group: str
    version: str
    kind: str
    plural: str
    singular: str
    namespaced: bool
    verbs: tuple[str, ...]
    short_names: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    subresources: tuple[str, ...] = ()
    custom: bool = False
    # Not part of the shared contract; discovery details.
    storage_version_hash: str = ""
    list_kind_name: str = ""

    @property
    def api_version(self) -> str:
        """The apiVersion objects of this type carry: "v1" for core, "group/version" otherwise."""
        return f"{self.group}/{self.version}" if self.group else self.version

    @property
    def list_kind(self) -> str:
        """The kind of a list of these objects (CRDs may name their own listKind)."""
        return self.list_kind_name or self.kind + "List"


@dataclass(frozen=True)
class Subresource:
    """A sub-resource entry as discovery lists it ("pods/log", "deployments/scale")."""

    name: str
    verbs: tuple[str, ...]
    kind: str
    group: str | None = None
    version: str | None = None


def storage_version_hash(group: str, version: str, kind: str) -> str:
    """The apiserver's storageVersionHash: base64 of the first 8 bytes of sha256("group/version/kind")."""
    digest = hashlib.sha256(f"{group}/{version}/{kind}".encode()).digest()
    return base64.b64encode(digest[:8]).decode()


_VERSION_RE = re.compile(r"^v(\d+)(?:(alpha|beta)(\d+))?$")


def version_priority_key(version: str) -> tuple[Any, ...]:
    """Sort key giving Kubernetes' version priority (v2 > v1 > v1beta2 > v1beta1 > v1alpha1 > others)."""
    match = _VERSION_RE.match(version)
    if not match:
        return (3, version)
    major = int(match.group(1))
    stage = match.group(2)
    minor = int(match.group(3) or 0)
    stage_rank = {None: 0, "beta": 1, "alpha": 2}[stage]
    return (stage_rank, -major, -minor)


_CRUD = ("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch")
_CRUD_NO_COLLECTION = ("create", "delete", "get", "list", "patch", "update", "watch")
_GET_PATCH_UPDATE = ("get", "patch", "update")
_PROXY_VERBS = ("create", "delete", "get", "patch", "update")
# Custom resources: the apiextensions-apiserver lists these verbs in this (unsorted) order.
_CUSTOM_VERBS = ("delete", "deletecollection", "get", "list", "patch", "create", "update", "watch")

# Sub-resources that are not "status" (parent kind) or "scale" (autoscaling/v1 Scale).
_SPECIAL_SUBRESOURCES: dict[tuple[str, str, str], Subresource] = {
    ("", "namespaces", "finalize"): Subresource("finalize", ("update",), "Namespace"),
    ("", "nodes", "proxy"): Subresource("proxy", _PROXY_VERBS, "NodeProxyOptions"),
    ("", "pods", "attach"): Subresource("attach", ("create", "get"), "PodAttachOptions"),
    ("", "pods", "binding"): Subresource("binding", ("create",), "Binding"),
    ("", "pods", "ephemeralcontainers"): Subresource("ephemeralcontainers", _GET_PATCH_UPDATE, "Pod"),
    ("", "pods", "eviction"): Subresource("eviction", ("create",), "Eviction", "policy", "v1"),
    ("", "pods", "exec"): Subresource("exec", ("create", "get"), "PodExecOptions"),
    ("", "pods", "log"): Subresource("log", ("get",), "Pod"),
    ("", "pods", "portforward"): Subresource("portforward", ("create", "get"), "PodPortForwardOptions"),
    ("", "pods", "proxy"): Subresource("proxy", _PROXY_VERBS, "PodProxyOptions"),
    ("", "serviceaccounts", "token"): Subresource(
        "token", ("create",), "TokenRequest", "authentication.k8s.io", "v1"
    ),
    ("", "services", "proxy"): Subresource("proxy", _PROXY_VERBS, "ServiceProxyOptions"),
}

# (group, version, plural, singular, kind, namespaced, verbs, short names, categories, sub-resources)
_Row = tuple[str, str, str, str, str, bool, tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...]]
_ALL = ("all",)
_EXT = ("api-extensions",)
_BUILTIN_ROWS: tuple[_Row, ...] = (
    # core/v1
    ("", "v1", "bindings", "binding", "Binding", True, ("create",), (), (), ()),
    ("", "v1", "componentstatuses", "componentstatus", "ComponentStatus", False, ("get", "list"), ("cs",), (), ()),
    ("", "v1", "configmaps", "configmap", "ConfigMap", True, _CRUD, ("cm",), (), ()),
    ("", "v1", "endpoints", "endpoints", "Endpoints", True, _CRUD, ("ep",), (), ()),
    ("", "v1", "events", "event", "Event", True, _CRUD, ("ev",), (), ()),
    ("", "v1", "limitranges", "limitrange", "LimitRange", True, _CRUD, ("limits",), (), ()),
    ("", "v1", "namespaces", "namespace", "Namespace", False, _CRUD_NO_COLLECTION, ("ns",), (),
     ("finalize", "status")),
    ("", "v1", "nodes", "node", "Node", False, _CRUD, ("no",), (), ("proxy", "status")),
    ("", "v1", "persistentvolumeclaims", "persistentvolumeclaim", "PersistentVolumeClaim", True, _CRUD,
     ("pvc",), (), ("status",)),
    ("", "v1", "persistentvolumes", "persistentvolume", "PersistentVolume", False, _CRUD, ("pv",), (),
     ("status",)),
    ("", "v1", "pods", "pod", "Pod", True, _CRUD, ("po",), _ALL,
     ("attach", "binding", "ephemeralcontainers", "eviction", "exec", "log", "portforward", "proxy", "status")),
    ("", "v1", "podtemplates", "podtemplate", "PodTemplate", True, _CRUD, (), (), ()),
    ("", "v1", "replicationcontrollers", "replicationcontroller", "ReplicationController", True, _CRUD,
     ("rc",), _ALL, ("scale", "status")),
    ("", "v1", "resourcequotas", "resourcequota", "ResourceQuota", True, _CRUD, ("quota",), (), ("status",)),
    ("", "v1", "secrets", "secret", "Secret", True, _CRUD, (), (), ()),
    ("", "v1", "serviceaccounts", "serviceaccount", "ServiceAccount", True, _CRUD, ("sa",), (), ("token",)),
    ("", "v1", "services", "service", "Service", True, _CRUD, ("svc",), _ALL, ("proxy", "status")),
    # admissionregistration.k8s.io/v1
    ("admissionregistration.k8s.io", "v1", "mutatingwebhookconfigurations", "mutatingwebhookconfiguration",
     "MutatingWebhookConfiguration", False, _CRUD, (), _EXT, ()),
    ("admissionregistration.k8s.io", "v1", "validatingadmissionpolicies", "validatingadmissionpolicy",
     "ValidatingAdmissionPolicy", False, _CRUD, (), _EXT, ("status",)),
    ("admissionregistration.k8s.io", "v1", "validatingadmissionpolicybindings",
     "validatingadmissionpolicybinding", "ValidatingAdmissionPolicyBinding", False, _CRUD, (), _EXT, ()),
    ("admissionregistration.k8s.io", "v1", "validatingwebhookconfigurations", "validatingwebhookconfiguration",
     "ValidatingWebhookConfiguration", False, _CRUD, (), _EXT, ()),
    ("admissionregistration.k8s.io", "v1", "mutatingadmissionpolicies", "mutatingadmissionpolicy",
     "MutatingAdmissionPolicy", False, _CRUD, (), _EXT, ()),
    ("admissionregistration.k8s.io", "v1", "mutatingadmissionpolicybindings", "mutatingadmissionpolicybinding",
     "MutatingAdmissionPolicyBinding", False, _CRUD, (), _EXT, ()),
    # apiregistration.k8s.io/v1
    ("apiregistration.k8s.io", "v1", "apiservices", "apiservice", "APIService", False, _CRUD, (), _EXT, ("status",)),
    # authentication.k8s.io/v1 and authorization.k8s.io/v1: create-only reviews
    ("authentication.k8s.io", "v1", "selfsubjectreviews", "selfsubjectreview", "SelfSubjectReview", False, ("create",),
     (), (), ()),
    ("authentication.k8s.io", "v1", "tokenreviews", "tokenreview", "TokenReview", False, ("create",), (), (), ()),
    ("authorization.k8s.io", "v1", "localsubjectaccessreviews", "localsubjectaccessreview", "LocalSubjectAccessReview",
     True, ("create",), (), (), ()),
    ("authorization.k8s.io", "v1", "selfsubjectaccessreviews", "selfsubjectaccessreview", "SelfSubjectAccessReview",
     False, ("create",), (), (), ()),
    ("authorization.k8s.io", "v1", "selfsubjectrulesreviews", "selfsubjectrulesreview", "SelfSubjectRulesReview",
     False, ("create",), (), (), ()),
    ("authorization.k8s.io", "v1", "subjectaccessreviews", "subjectaccessreview", "SubjectAccessReview", False,
     ("create",), (), (), ()),
    # certificates.k8s.io/v1
    ("certificates.k8s.io", "v1", "certificatesigningrequests", "certificatesigningrequest",
     "CertificateSigningRequest", False, _CRUD, ("csr",), (), ("approval", "status")),
    ("certificates.k8s.io", "v1", "clustertrustbundles", "clustertrustbundle", "ClusterTrustBundle", False, _CRUD,
     (), (), ()),
    ("certificates.k8s.io", "v1", "podcertificaterequests", "podcertificaterequest", "PodCertificateRequest", True,
     _CRUD, (), (), ("status",)),
    # flowcontrol.apiserver.k8s.io/v1
    ("flowcontrol.apiserver.k8s.io", "v1", "flowschemas", "flowschema", "FlowSchema", False, _CRUD, (), (),
     ("status",)),
    ("flowcontrol.apiserver.k8s.io", "v1", "prioritylevelconfigurations", "prioritylevelconfiguration",
     "PriorityLevelConfiguration", False, _CRUD, (), (), ("status",)),
    # node.k8s.io/v1
    ("node.k8s.io", "v1", "runtimeclasses", "runtimeclass", "RuntimeClass", False, _CRUD, (), (), ()),
    # resource.k8s.io/v1
    ("resource.k8s.io", "v1", "deviceclasses", "deviceclass", "DeviceClass", False, _CRUD, (), (), ()),
    ("resource.k8s.io", "v1", "devicetaintrules", "devicetaintrule", "DeviceTaintRule", False, _CRUD, (), (),
     ("status",)),
    ("resource.k8s.io", "v1", "resourceclaims", "resourceclaim", "ResourceClaim", True, _CRUD, (), (), ("status",)),
    ("resource.k8s.io", "v1", "resourceclaimtemplates", "resourceclaimtemplate", "ResourceClaimTemplate", True, _CRUD,
     (), (), ()),
    ("resource.k8s.io", "v1", "resourceslices", "resourceslice", "ResourceSlice", False, _CRUD, (), (), ()),
    # scheduling.k8s.io/v1
    ("scheduling.k8s.io", "v1", "priorityclasses", "priorityclass", "PriorityClass", False, _CRUD, ("pc",), (), ()),
    # storagemigration.k8s.io/v1
    ("storagemigration.k8s.io", "v1", "storageversionmigrations", "storageversionmigration", "StorageVersionMigration",
     False, _CRUD, (), (), ("status",)),
    # apiextensions.k8s.io/v1
    ("apiextensions.k8s.io", "v1", "customresourcedefinitions", "customresourcedefinition",
     "CustomResourceDefinition", False, _CRUD, ("crd", "crds"), _EXT, ("status",)),
    # apps/v1
    ("apps", "v1", "controllerrevisions", "controllerrevision", "ControllerRevision", True, _CRUD, (), (), ()),
    ("apps", "v1", "daemonsets", "daemonset", "DaemonSet", True, _CRUD, ("ds",), _ALL, ("status",)),
    ("apps", "v1", "deployments", "deployment", "Deployment", True, _CRUD, ("deploy",), _ALL,
     ("scale", "status")),
    ("apps", "v1", "replicasets", "replicaset", "ReplicaSet", True, _CRUD, ("rs",), _ALL, ("scale", "status")),
    ("apps", "v1", "statefulsets", "statefulset", "StatefulSet", True, _CRUD, ("sts",), _ALL,
     ("scale", "status")),
    # autoscaling/v2 (preferred) and autoscaling/v1
    ("autoscaling", "v2", "horizontalpodautoscalers", "horizontalpodautoscaler", "HorizontalPodAutoscaler", True,
     _CRUD, ("hpa",), _ALL, ("status",)),
    ("autoscaling", "v1", "horizontalpodautoscalers", "horizontalpodautoscaler", "HorizontalPodAutoscaler", True,
     _CRUD, ("hpa",), _ALL, ("status",)),
    # batch/v1
    ("batch", "v1", "cronjobs", "cronjob", "CronJob", True, _CRUD, ("cj",), _ALL, ("status",)),
    ("batch", "v1", "jobs", "job", "Job", True, _CRUD, (), _ALL, ("status",)),
    # coordination.k8s.io/v1
    ("coordination.k8s.io", "v1", "leases", "lease", "Lease", True, _CRUD, (), (), ()),
    # discovery.k8s.io/v1
    ("discovery.k8s.io", "v1", "endpointslices", "endpointslice", "EndpointSlice", True, _CRUD, (), (), ()),
    # events.k8s.io/v1
    ("events.k8s.io", "v1", "events", "event", "Event", True, _CRUD, ("ev",), (), ()),
    # networking.k8s.io/v1
    ("networking.k8s.io", "v1", "ipaddresses", "ipaddress", "IPAddress", False, _CRUD, ("ip",), (), ()),
    ("networking.k8s.io", "v1", "servicecidrs", "servicecidr", "ServiceCIDR", False, _CRUD, (), (), ("status",)),
    ("networking.k8s.io", "v1", "ingressclasses", "ingressclass", "IngressClass", False, _CRUD, (), (), ()),
    ("networking.k8s.io", "v1", "ingresses", "ingress", "Ingress", True, _CRUD, ("ing",), (), ("status",)),
    ("networking.k8s.io", "v1", "networkpolicies", "networkpolicy", "NetworkPolicy", True, _CRUD, ("netpol",),
     (), ()),
    # policy/v1
    ("policy", "v1", "poddisruptionbudgets", "poddisruptionbudget", "PodDisruptionBudget", True, _CRUD, ("pdb",),
     (), ("status",)),
    # rbac.authorization.k8s.io/v1
    ("rbac.authorization.k8s.io", "v1", "clusterrolebindings", "clusterrolebinding", "ClusterRoleBinding", False,
     _CRUD, (), (), ()),
    ("rbac.authorization.k8s.io", "v1", "clusterroles", "clusterrole", "ClusterRole", False, _CRUD, (), (), ()),
    ("rbac.authorization.k8s.io", "v1", "rolebindings", "rolebinding", "RoleBinding", True, _CRUD, (), (), ()),
    ("rbac.authorization.k8s.io", "v1", "roles", "role", "Role", True, _CRUD, (), (), ()),
    # storage.k8s.io/v1
    ("storage.k8s.io", "v1", "csidrivers", "csidriver", "CSIDriver", False, _CRUD, (), (), ()),
    ("storage.k8s.io", "v1", "csinodes", "csinode", "CSINode", False, _CRUD, (), (), ()),
    ("storage.k8s.io", "v1", "csistoragecapacities", "csistoragecapacity", "CSIStorageCapacity", True, _CRUD,
     (), (), ()),
    ("storage.k8s.io", "v1", "storageclasses", "storageclass", "StorageClass", False, _CRUD, ("sc",), (), ()),
    ("storage.k8s.io", "v1", "volumeattributesclasses", "volumeattributesclass", "VolumeAttributesClass", False, _CRUD,
     ("vac",), (), ()),
    ("storage.k8s.io", "v1", "volumeattachments", "volumeattachment", "VolumeAttachment", False, _CRUD, (), (),
     ("status",)),
)

# Resources that are not persisted have no storageVersionHash in discovery.
_NOT_STORED = {
    ("", "bindings"), ("", "componentstatuses"),
    ("authentication.k8s.io", "selfsubjectreviews"), ("authentication.k8s.io", "tokenreviews"),
    ("authorization.k8s.io", "localsubjectaccessreviews"), ("authorization.k8s.io", "selfsubjectaccessreviews"),
    ("authorization.k8s.io", "selfsubjectrulesreviews"), ("authorization.k8s.io", "subjectaccessreviews"),
}
# Resources whose storage version differs from the served group-version.
_STORAGE_GVK = {
    ("events.k8s.io", "events"): ("", "v1", "Event"),
    ("autoscaling", "horizontalpodautoscalers"): ("autoscaling", "v2", "HorizontalPodAutoscaler"),
}

# The order a real API server lists built-in groups in /apis (by APIService priority).
_BUILTIN_GROUP_ORDER = (
    "apiregistration.k8s.io",
    "apps",
    "events.k8s.io",
    "authentication.k8s.io",
    "authorization.k8s.io",
    "autoscaling",
    "batch",
    "certificates.k8s.io",
    "networking.k8s.io",
    "policy",
    "rbac.authorization.k8s.io",
    "storage.k8s.io",
    "admissionregistration.k8s.io",
    "apiextensions.k8s.io",
    "scheduling.k8s.io",
    "coordination.k8s.io",
    "node.k8s.io",
    "discovery.k8s.io",
    "resource.k8s.io",
    "flowcontrol.apiserver.k8s.io",
    "storagemigration.k8s.io",
)


def _builtin_types() -> list[ResourceType]:
    types = []
    for group, version, plural, singular, kind, namespaced, verbs, short, cats, subs in _BUILTIN_ROWS:
        if (group, plural) in _NOT_STORED:
            svh = ""
        else:
            svh = storage_version_hash(*_STORAGE_GVK.get((group, plural), (group, version, kind)))
        types.append(
            ResourceType(
                group=group,
                version=version,
                kind=kind,
                plural=plural,
                singular=singular,
                namespaced=namespaced,
                verbs=verbs,
                short_names=short,
                categories=cats,
                subresources=subs,
                storage_version_hash=svh,
            )
        )
    return types


def subresource_details(resource_type: ResourceType, name: str) -> Subresource | None:
    """Discovery facts for one sub-resource of a type ("status", "scale", "log", ...)."""
    if name not in resource_type.subresources:
        return None
    if not resource_type.custom:
        special = _SPECIAL_SUBRESOURCES.get((resource_type.group, resource_type.plural, name))
        if special is not None:
            return special
    if name == "scale":
        return Subresource("scale", _GET_PATCH_UPDATE, "Scale", "autoscaling", "v1")
    return Subresource(name, _GET_PATCH_UPDATE, resource_type.kind)


class CRDError(ValueError):
    """A CustomResourceDefinition the catalog cannot register (missing group, names or versions)."""


def _crd_types(crd: dict[str, Any]) -> list[ResourceType]:
    spec = crd.get("spec") or {}
    group = spec.get("group") or ""
    names = spec.get("names") or {}
    kind = names.get("kind") or ""
    plural = names.get("plural") or ""
    if not group or not kind or not plural:
        raise CRDError("spec.group, spec.names.kind and spec.names.plural are required")
    singular = names.get("singular") or kind.lower()
    namespaced = spec.get("scope", "Namespaced") != "Cluster"
    versions = spec.get("versions") or []
    storage = next((v.get("name") for v in versions if v.get("storage")), None)
    if storage is None and versions:
        storage = versions[0].get("name")
    svh = storage_version_hash(group, storage or "", kind)
    types = []
    for entry in versions:
        if not entry.get("served", True):
            continue
        subresources = entry.get("subresources") or spec.get("subresources") or {}
        subs = tuple(s for s in ("status", "scale") if s in subresources)
        types.append(
            ResourceType(
                group=group,
                version=entry.get("name") or "",
                kind=kind,
                plural=plural,
                singular=singular,
                namespaced=namespaced,
                verbs=_CUSTOM_VERBS,
                short_names=tuple(names.get("shortNames") or ()),
                categories=tuple(names.get("categories") or ()),
                subresources=subs,
                custom=True,
                storage_version_hash=svh,
                list_kind_name=names.get("listKind") or "",
            )
        )
    return types


def _crd_name(crd: dict[str, Any]) -> str:
    """metadata.name, which the apiserver requires to be "<plural>.<group>"."""
    name = (crd.get("metadata") or {}).get("name")
    if name:
        return str(name)
    spec = crd.get("spec") or {}
    return f"{(spec.get('names') or {}).get('plural', '')}.{spec.get('group', '')}"


def _api_resource(resource_type: ResourceType) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "name": resource_type.plural,
        "singularName": resource_type.singular,
        "namespaced": resource_type.namespaced,
        "kind": resource_type.kind,
        "verbs": list(resource_type.verbs),
    }
    if resource_type.short_names:
        entry["shortNames"] = list(resource_type.short_names)
    if resource_type.categories:
        entry["categories"] = list(resource_type.categories)
    if resource_type.storage_version_hash:
        entry["storageVersionHash"] = resource_type.storage_version_hash
    return entry


def _api_subresource(resource_type: ResourceType, sub: Subresource) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "name": f"{resource_type.plural}/{sub.name}",
        "singularName": "",
        "namespaced": resource_type.namespaced,
    }
    if sub.group is not None:
        entry["group"] = sub.group
        entry["version"] = sub.version
    entry["kind"] = sub.kind
    entry["verbs"] = list(sub.verbs)
    return entry


class Catalog:
    """Thread-safe registry of served types: the built-ins of a Kubernetes 1.3x cluster plus registered CRDs."""

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._builtin = _builtin_types()
        self._custom: dict[str, list[ResourceType]] = {}  # CRD name -> its types
        self._crds: dict[str, dict[str, Any]] = {}  # CRD name -> the CRD object (for schemas)
        self._aggregated: dict[str, tuple[ResourceType, ...]] = {}  # group -> types another server would serve
        self._generation = 0
        self._index: dict[tuple[str, str, str], ResourceType] = {}
        self._kinds: dict[tuple[str, str], ResourceType] = {}
        self._reindex()

    @property
    def generation(self) -> int:
        """Bumped whenever CRDs change what is served, so callers can cache derived documents."""
        return self._generation

    def _reindex(self) -> None:
        types = self.all_types()
        self._index = {(t.group, t.version, t.plural): t for t in types}
        self._kinds = {}
        for t in types:
            self._kinds.setdefault((t.api_version, t.kind), t)
        self._generation += 1

    # --- lookups -------------------------------------------------------------------------------------
    def all_types(self) -> list[ResourceType]:
        """Every served type: built-ins first, then custom types in registration order."""
        with self._lock:
            types = list(self._builtin)
            for aggregated in self._aggregated.values():
                types.extend(aggregated)
            for custom in self._custom.values():
                types.extend(custom)
            return types

    def lookup(self, group: str, version: str, plural: str) -> ResourceType | None:
        """The type served at /apis/group/version/plural (or /api/v1/plural), if any."""
        return self._index.get((group, version, plural))

    def by_kind(self, api_version: str, kind: str) -> ResourceType | None:
        """The type for an object's apiVersion and kind, if served."""
        return self._kinds.get((api_version, kind))

    def crd_for(self, resource_type: ResourceType) -> dict[str, Any] | None:
        """A deep copy of the CRD that defines a custom type, for its schema."""
        with self._lock:
            for name, types in self._custom.items():
                if resource_type in types:
                    return copy.deepcopy(self._crds[name])
        return None

    def group_versions(self) -> list[tuple[str, str]]:
        """Served (group, version) pairs in discovery order, core first, preferred version first per group."""
        result: list[tuple[str, str]] = [("", "v1")]
        for group in self._group_order():
            result.extend((group, version) for version in self._versions(group))
        return result

    # --- aggregated APIs ---------------------------------------------------------------------------
    def set_aggregated(self, group: str, types: tuple[ResourceType, ...]) -> None:
        """Serve (or, with no types, stop serving) a group an aggregated API server adds, such as metrics.k8s.io."""
        with self._lock:
            if types:
                self._aggregated[group] = types
            else:
                self._aggregated.pop(group, None)
            self._reindex()

    # --- CRDs ----------------------------------------------------------------------------------------
    def register_crd(self, crd: dict[str, Any]) -> list[ResourceType]:
        """Serve the types an apiextensions.k8s.io/v1 CRD defines (one per served version); replaces a previous registration."""
        types = _crd_types(crd)
        name = _crd_name(crd)
        with self._lock:
            self._custom[name] = types
            self._crds[name] = copy.deepcopy(crd)
            self._reindex()
        return list(types)

    def unregister_crd(self, crd: dict[str, Any]) -> list[ResourceType]:
        """Stop serving a CRD's types; returns the types removed."""
        name = _crd_name(crd)
        with self._lock:
            self._crds.pop(name, None)
            removed = self._custom.pop(name, [])
            self._reindex()
            return removed

    # --- discovery documents -------------------------------------------------------------------------
    def core_versions(self, server_address: str = "127.0.0.1:6443") -> dict[str, Any]:
        """GET /api: the APIVersions document."""
        return {
            "kind": "APIVersions",
            "versions": ["v1"],
            "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0", "serverAddress": server_address}],
        }

    def group_list(self) -> dict[str, Any]:
        """GET /apis: the APIGroupList document."""
        return {
            "kind": "APIGroupList",
            "apiVersion": "v1",
            "groups": [self._api_group(group) for group in self._group_order()],
        }

    def group(self, group: str) -> dict[str, Any] | None:
        """GET /apis/{group}: the APIGroup document, or None when the group is not served."""
        if not group or not self._versions(group):
            return None
        document = {"kind": "APIGroup", "apiVersion": "v1"}
        document.update(self._api_group(group))
        return document

    def resource_list(self, group: str, version: str) -> dict[str, Any] | None:
        """GET /api/v1 or /apis/{group}/{version}: the APIResourceList, sub-resources included."""
        types = [t for t in self.all_types() if t.group == group and t.version == version]
        if not types:
            return None
        entries = []
        for resource_type in sorted(types, key=lambda t: t.plural):
            entries.append(_api_resource(resource_type))
            for name in sorted(resource_type.subresources):
                sub = subresource_details(resource_type, name)
                if sub is not None:
                    entries.append(_api_subresource(resource_type, sub))
        if not group:  # the legacy core list carries no apiVersion
            return {"kind": "APIResourceList", "groupVersion": version, "resources": entries}
        return {"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": f"{group}/{version}", "resources": entries}

    # --- helpers -------------------------------------------------------------------------------------
    def _versions(self, group: str) -> list[str]:
        versions = {t.version for t in self.all_types() if t.group == group}
        return sorted(versions, key=version_priority_key)

    def _group_order(self) -> list[str]:
        groups = {t.group for t in self.all_types() if t.group}
        builtin = [g for g in _BUILTIN_GROUP_ORDER if g in groups]
        others = sorted(groups - set(builtin))
        return builtin + others

    def _api_group(self, group: str) -> dict[str, Any]:
        versions = [{"groupVersion": f"{group}/{v}", "version": v} for v in self._versions(group)]
        return {"name": group, "versions": versions, "preferredVersion": versions[0]}
