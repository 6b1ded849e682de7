"""Unit tests for the emulator's catalog: discovery documents as a real 1.37 API server serves them."""

from __future__ import annotations

import pytest

from mcp_kubectl.emulator.catalog import Catalog, ResourceType, storage_version_hash, version_priority_key

# Rows: name, short names, apiVersion, namespaced, kind, verbs, categories.
_CRUD = "create,delete,deletecollection,get,list,patch,update,watch"
# `kubectl api-resources -o wide` of a real v1.37.2 kube-apiserver (tests/real_cluster.py), default feature gates.
REAL_API_RESOURCES = f"""
bindings||v1|true|Binding|create|
componentstatuses|cs|v1|false|ComponentStatus|get,list|
configmaps|cm|v1|true|ConfigMap|{_CRUD}|
endpoints|ep|v1|true|Endpoints|{_CRUD}|
events|ev|v1|true|Event|{_CRUD}|
limitranges|limits|v1|true|LimitRange|{_CRUD}|
namespaces|ns|v1|false|Namespace|create,delete,get,list,patch,update,watch|
nodes|no|v1|false|Node|{_CRUD}|
persistentvolumeclaims|pvc|v1|true|PersistentVolumeClaim|{_CRUD}|
persistentvolumes|pv|v1|false|PersistentVolume|{_CRUD}|
pods|po|v1|true|Pod|{_CRUD}|all
podtemplates||v1|true|PodTemplate|{_CRUD}|
replicationcontrollers|rc|v1|true|ReplicationController|{_CRUD}|all
resourcequotas|quota|v1|true|ResourceQuota|{_CRUD}|
secrets||v1|true|Secret|{_CRUD}|
serviceaccounts|sa|v1|true|ServiceAccount|{_CRUD}|
services|svc|v1|true|Service|{_CRUD}|all
mutatingadmissionpolicies||admissionregistration.k8s.io/v1|false|MutatingAdmissionPolicy|{_CRUD}|api-extensions
mutatingadmissionpolicybindings||admissionregistration.k8s.io/v1|false|MutatingAdmissionPolicyBinding|{_CRUD}|api-extensions
mutatingwebhookconfigurations||admissionregistration.k8s.io/v1|false|MutatingWebhookConfiguration|{_CRUD}|api-extensions
validatingadmissionpolicies||admissionregistration.k8s.io/v1|false|ValidatingAdmissionPolicy|{_CRUD}|api-extensions
validatingadmissionpolicybindings||admissionregistration.k8s.io/v1|false|ValidatingAdmissionPolicyBinding|{_CRUD}|api-extensions
validatingwebhookconfigurations||admissionregistration.k8s.io/v1|false|ValidatingWebhookConfiguration|{_CRUD}|api-extensions
customresourcedefinitions|crd,crds|apiextensions.k8s.io/v1|false|CustomResourceDefinition|{_CRUD}|api-extensions
apiservices||apiregistration.k8s.io/v1|false|APIService|{_CRUD}|api-extensions
controllerrevisions||apps/v1|true|ControllerRevision|{_CRUD}|
daemonsets|ds|apps/v1|true|DaemonSet|{_CRUD}|all
deployments|deploy|apps/v1|true|Deployment|{_CRUD}|all
replicasets|rs|apps/v1|true|ReplicaSet|{_CRUD}|all
statefulsets|sts|apps/v1|true|StatefulSet|{_CRUD}|all
selfsubjectreviews||authentication.k8s.io/v1|false|SelfSubjectReview|create|
tokenreviews||authentication.k8s.io/v1|false|TokenReview|create|
localsubjectaccessreviews||authorization.k8s.io/v1|true|LocalSubjectAccessReview|create|
selfsubjectaccessreviews||authorization.k8s.io/v1|false|SelfSubjectAccessReview|create|
selfsubjectrulesreviews||authorization.k8s.io/v1|false|SelfSubjectRulesReview|create|
subjectaccessreviews||authorization.k8s.io/v1|false|SubjectAccessReview|create|
horizontalpodautoscalers|hpa|autoscaling/v2|true|HorizontalPodAutoscaler|{_CRUD}|all
cronjobs|cj|batch/v1|true|CronJob|{_CRUD}|all
jobs||batch/v1|true|Job|{_CRUD}|all
certificatesigningrequests|csr|certificates.k8s.io/v1|false|CertificateSigningRequest|{_CRUD}|
clustertrustbundles||certificates.k8s.io/v1|false|ClusterTrustBundle|{_CRUD}|
podcertificaterequests||certificates.k8s.io/v1|true|PodCertificateRequest|{_CRUD}|
leases||coordination.k8s.io/v1|true|Lease|{_CRUD}|
endpointslices||discovery.k8s.io/v1|true|EndpointSlice|{_CRUD}|
events|ev|events.k8s.io/v1|true|Event|{_CRUD}|
flowschemas||flowcontrol.apiserver.k8s.io/v1|false|FlowSchema|{_CRUD}|
prioritylevelconfigurations||flowcontrol.apiserver.k8s.io/v1|false|PriorityLevelConfiguration|{_CRUD}|
ingressclasses||networking.k8s.io/v1|false|IngressClass|{_CRUD}|
ingresses|ing|networking.k8s.io/v1|true|Ingress|{_CRUD}|
ipaddresses|ip|networking.k8s.io/v1|false|IPAddress|{_CRUD}|
networkpolicies|netpol|networking.k8s.io/v1|true|NetworkPolicy|{_CRUD}|
servicecidrs||networking.k8s.io/v1|false|ServiceCIDR|{_CRUD}|
runtimeclasses||node.k8s.io/v1|false|RuntimeClass|{_CRUD}|
poddisruptionbudgets|pdb|policy/v1|true|PodDisruptionBudget|{_CRUD}|
clusterrolebindings||rbac.authorization.k8s.io/v1|false|ClusterRoleBinding|{_CRUD}|
clusterroles||rbac.authorization.k8s.io/v1|false|ClusterRole|{_CRUD}|
rolebindings||rbac.authorization.k8s.io/v1|true|RoleBinding|{_CRUD}|
roles||rbac.authorization.k8s.io/v1|true|Role|{_CRUD}|
deviceclasses||resource.k8s.io/v1|false|DeviceClass|{_CRUD}|
devicetaintrules||resource.k8s.io/v1|false|DeviceTaintRule|{_CRUD}|
resourceclaims||resource.k8s.io/v1|true|ResourceClaim|{_CRUD}|
resourceclaimtemplates||resource.k8s.io/v1|true|ResourceClaimTemplate|{_CRUD}|
resourceslices||resource.k8s.io/v1|false|ResourceSlice|{_CRUD}|
priorityclasses|pc|scheduling.k8s.io/v1|false|PriorityClass|{_CRUD}|
csidrivers||storage.k8s.io/v1|false|CSIDriver|{_CRUD}|
csinodes||storage.k8s.io/v1|false|CSINode|{_CRUD}|
csistoragecapacities||storage.k8s.io/v1|true|CSIStorageCapacity|{_CRUD}|
storageclasses|sc|storage.k8s.io/v1|false|StorageClass|{_CRUD}|
volumeattachments||storage.k8s.io/v1|false|VolumeAttachment|{_CRUD}|
volumeattributesclasses|vac|storage.k8s.io/v1|false|VolumeAttributesClass|{_CRUD}|
storageversionmigrations||storagemigration.k8s.io/v1|false|StorageVersionMigration|{_CRUD}|
"""


def _api_resources_rows(catalog: Catalog) -> list[str]:
    """What `kubectl api-resources -o wide` derives from discovery: preferred versions, no sub-resources, sorted by group."""
    rows = []
    groups: list[tuple[str, str]] = [("", "v1")]
    groups += [(g["name"], g["preferredVersion"]["version"]) for g in catalog.group_list()["groups"]]
    for group, version in sorted(groups, key=lambda gv: gv[0]):
        listing = catalog.resource_list(group, version)
        assert listing is not None
        for entry in listing["resources"]:
            if "/" in entry["name"]:
                continue
            rows.append(
                "|".join(
                    [
                        entry["name"],
                        ",".join(entry.get("shortNames", [])),
                        listing["groupVersion"],
                        "true" if entry["namespaced"] else "false",
                        entry["kind"],
                        ",".join(entry["verbs"]),
                        ",".join(entry.get("categories", [])),
                    ]
                )
            )
    return rows


def test_api_resources_match_a_real_cluster() -> None:
    expected = [line for line in REAL_API_RESOURCES.strip().splitlines()]
    assert _api_resources_rows(Catalog()) == expected


def test_core_versions_is_the_legacy_apiversions_document() -> None:
    document = Catalog().core_versions()
    assert document["kind"] == "APIVersions"
    assert document["versions"] == ["v1"]
    assert document["serverAddressByClientCIDRs"][0]["clientCIDR"] == "0.0.0.0/0"


def test_core_resource_list_has_subresources_with_their_real_kinds() -> None:
    listing = Catalog().resource_list("", "v1")
    assert listing is not None
    assert listing["groupVersion"] == "v1" and "apiVersion" not in listing
    by_name = {entry["name"]: entry for entry in listing["resources"]}
    assert by_name["pods/log"] == {
        "name": "pods/log",
        "singularName": "",
        "namespaced": True,
        "kind": "Pod",
        "verbs": ["get"],
    }
    assert by_name["pods/eviction"]["group"] == "policy" and by_name["pods/eviction"]["kind"] == "Eviction"
    assert by_name["pods/exec"]["kind"] == "PodExecOptions"
    assert by_name["serviceaccounts/token"]["group"] == "authentication.k8s.io"
    assert by_name["replicationcontrollers/scale"]["kind"] == "Scale"
    assert by_name["namespaces/finalize"]["verbs"] == ["update"]
    # Storage hashes are the apiserver's: sha256("group/version/kind")[:8], base64.
    assert by_name["pods"]["storageVersionHash"] == "xPOwRZ+Yhw8="
    assert by_name["configmaps"]["storageVersionHash"] == "qFsyl6wFWjQ="
    assert "storageVersionHash" not in by_name["bindings"]


def test_apps_resource_list_has_scale_and_status() -> None:
    listing = Catalog().resource_list("apps", "v1")
    assert listing is not None
    assert listing["apiVersion"] == "v1" and listing["groupVersion"] == "apps/v1"
    names = [entry["name"] for entry in listing["resources"]]
    assert names.index("deployments") < names.index("deployments/scale") < names.index("deployments/status")
    scale = next(e for e in listing["resources"] if e["name"] == "deployments/scale")
    assert (scale["group"], scale["version"], scale["kind"]) == ("autoscaling", "v1", "Scale")


def test_autoscaling_prefers_v2_and_serves_v1() -> None:
    group = Catalog().group("autoscaling")
    assert group is not None
    assert group["kind"] == "APIGroup"
    assert [v["version"] for v in group["versions"]] == ["v2", "v1"]
    assert group["preferredVersion"] == {"groupVersion": "autoscaling/v2", "version": "v2"}
    # Both versions share one storage hash (the storage version is v2).
    v1 = Catalog().resource_list("autoscaling", "v1")
    v2 = Catalog().resource_list("autoscaling", "v2")
    assert v1 is not None and v2 is not None
    assert v1["resources"][0]["storageVersionHash"] == v2["resources"][0]["storageVersionHash"] == "qwQve8ut294="


def test_unknown_groups_are_none() -> None:
    catalog = Catalog()
    assert catalog.group("example.com") is None
    assert catalog.resource_list("apps", "v1beta1") is None
    assert catalog.lookup("apps", "v1", "nothings") is None


def test_lookup_and_by_kind() -> None:
    catalog = Catalog()
    deployments = catalog.lookup("apps", "v1", "deployments")
    assert deployments is not None
    assert deployments.api_version == "apps/v1" and deployments.list_kind == "DeploymentList"
    assert catalog.by_kind("v1", "Pod") == catalog.lookup("", "v1", "pods")
    assert catalog.by_kind("apps/v1", "Pod") is None
    assert catalog.by_kind("autoscaling/v1", "HorizontalPodAutoscaler").version == "v1"  # type: ignore[union-attr]


CRD = {
    "apiVersion": "apiextensions.k8s.io/v1",
    "kind": "CustomResourceDefinition",
    "metadata": {"name": "widgets.example.com"},
    "spec": {
        "group": "example.com",
        "scope": "Namespaced",
        "names": {
            "plural": "widgets",
            "singular": "widget",
            "kind": "Widget",
            "listKind": "WidgetList",
            "shortNames": ["wd"],
            "categories": ["all", "toys"],
        },
        "versions": [
            {"name": "v1beta1", "served": True, "storage": False, "schema": {"openAPIV3Schema": {"type": "object"}}},
            {
                "name": "v1",
                "served": True,
                "storage": True,
                "schema": {"openAPIV3Schema": {"type": "object"}},
                "subresources": {"status": {}, "scale": {"specReplicasPath": ".spec.replicas"}},
            },
            {"name": "v1alpha1", "served": False, "storage": False},
        ],
    },
}


def test_register_crd_serves_each_served_version() -> None:
    catalog = Catalog()
    types = catalog.register_crd(CRD)
    assert [t.version for t in types] == ["v1beta1", "v1"]
    v1 = catalog.lookup("example.com", "v1", "widgets")
    assert v1 is not None and v1.custom and v1.subresources == ("status", "scale")
    assert catalog.by_kind("example.com/v1alpha1", "Widget") is None
    group = catalog.group("example.com")
    assert group is not None
    assert group["preferredVersion"]["version"] == "v1"
    assert [v["version"] for v in group["versions"]] == ["v1", "v1beta1"]
    assert catalog.group_list()["groups"][-1]["name"] == "example.com"
    listing = catalog.resource_list("example.com", "v1")
    assert listing is not None
    entries = listing["resources"]
    assert entries[0] == {
        "name": "widgets",
        "singularName": "widget",
        "namespaced": True,
        "kind": "Widget",
        "verbs": ["delete", "deletecollection", "get", "list", "patch", "create", "update", "watch"],
        "shortNames": ["wd"],
        "categories": ["all", "toys"],
        "storageVersionHash": storage_version_hash("example.com", "v1", "Widget"),
    }
    assert [e["name"] for e in entries[1:]] == ["widgets/scale", "widgets/status"]
    assert entries[1]["kind"] == "Scale" and entries[1]["group"] == "autoscaling"
    crd = catalog.crd_for(v1)
    assert crd is not None and crd["metadata"]["name"] == "widgets.example.com"


def test_unregister_crd_removes_the_types() -> None:
    catalog = Catalog()
    before = catalog.generation
    catalog.register_crd(CRD)
    assert catalog.generation > before
    removed = catalog.unregister_crd(CRD)
    assert {t.version for t in removed} == {"v1", "v1beta1"}
    assert catalog.lookup("example.com", "v1", "widgets") is None
    assert catalog.group("example.com") is None
    assert all(g["name"] != "example.com" for g in catalog.group_list()["groups"])


def test_cluster_scoped_crd_without_subresources() -> None:
    crd = {
        "metadata": {"name": "gizmos.example.org"},
        "spec": {
            "group": "example.org",
            "scope": "Cluster",
            "names": {"plural": "gizmos", "kind": "Gizmo"},
            "versions": [{"name": "v1", "served": True, "storage": True}],
        },
    }
    (gizmo,) = Catalog().register_crd(crd)
    assert gizmo == ResourceType(
        group="example.org",
        version="v1",
        kind="Gizmo",
        plural="gizmos",
        singular="gizmo",
        namespaced=False,
        verbs=("delete", "deletecollection", "get", "list", "patch", "create", "update", "watch"),
        custom=True,
        storage_version_hash=storage_version_hash("example.org", "v1", "Gizmo"),
    )
    assert gizmo.list_kind == "GizmoList"


@pytest.mark.parametrize(
    ("versions", "ordered"),
    [
        (["v1", "v2"], ["v2", "v1"]),
        (["v1alpha1", "v1beta1", "v1", "v1beta2"], ["v1", "v1beta2", "v1beta1", "v1alpha1"]),
        (["foo", "v1"], ["v1", "foo"]),
    ],
)
def test_version_priority(versions: list[str], ordered: list[str]) -> None:
    assert sorted(versions, key=version_priority_key) == ordered
