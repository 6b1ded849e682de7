"""The server's settings: one frozen value, built by the command line, passed in explicitly.

Nothing here reads the environment or the disk; `mcp_kubectl.cli` does that once and
builds a `Settings`. Tests build one directly.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_TIMEOUT_S = 30.0
DEFAULT_MAX_OUTPUT_BYTES = 32 * 1024 * 1024
DEFAULT_BUDGET_BYTES = 64 * 1024
DEFAULT_MAX_MANIFEST_BYTES = 1024 * 1024
DEFAULT_MAX_DOCUMENTS = 50
DEFAULT_MAX_CONCURRENCY = 8
FIELD_MANAGER = "mcp-kubectl"

# Variables kubectl and its credential plugins need; everything else is dropped.
BASE_ENV_VARS: tuple[str, ...] = (
    "PATH",
    "HOME",
    "KUBECONFIG",
    "LANG",
    "LC_ALL",
    "LC_CTYPE",
    "TZ",
    "TMPDIR",
    "USER",
    "NO_PROXY",
    "no_proxy",
    "HTTPS_PROXY",
    "https_proxy",
    "HTTP_PROXY",
    "http_proxy",
    # Cloud credential plugins (gke-gcloud-auth-plugin, aws, kubelogin) read these.
    "CLOUDSDK_CONFIG",
    "CLOUDSDK_CORE_PROJECT",
    "USE_GKE_GCLOUD_AUTH_PLUGIN",
    "AWS_PROFILE",
    "AWS_REGION",
    "AWS_DEFAULT_REGION",
    "AWS_CONFIG_FILE",
    "AWS_SHARED_CREDENTIALS_FILE",
    "AZURE_CONFIG_DIR",
    "KUBERNETES_SERVICE_HOST",
    "KUBERNETES_SERVICE_PORT",
)


@dataclass(frozen=True)
class Settings:
    """Everything the server needs to know, decided once at start."""

    kubectl: str = "kubectl"
    kubeconfig: Path | None = None
    context: str | None = None
    namespace: str | None = None
    cache_dir: Path | None = None
    timeout_s: float = DEFAULT_TIMEOUT_S

    enable_list: bool = True
    enable_create: bool = False
    enable_update: bool = False
    enable_delete: bool = False
    enable_exec: bool = False  # exec_in_pod: never implied by another flag

    max_output_bytes: int = DEFAULT_MAX_OUTPUT_BYTES
    budget_bytes: int = DEFAULT_BUDGET_BYTES
    max_concurrency: int = DEFAULT_MAX_CONCURRENCY
    extra_env_vars: tuple[str, ...] = ()

    # Safety policy.
    allowed_namespaces: frozenset[str] | None = None
    denied_namespaces: frozenset[str] = frozenset()
    denied_resources: tuple[str, ...] = ()
    allow_cluster_writes: bool = False  # write cluster-scoped types even while a namespace rule is set
    allowed_contexts: frozenset[str] = frozenset()
    show_secrets: bool = False
    confirm_writes: bool = False
    audit_log: Path | None = None
    max_manifest_bytes: int = DEFAULT_MAX_MANIFEST_BYTES
    max_documents: int = DEFAULT_MAX_DOCUMENTS

    # Performance.
    fast_reads: bool = False

    # Helm (issue 14): the Go mcp-k8s's flags and defaults.
    helm: str = "helm"
    enable_helm_release_list: bool = True
    enable_helm_release_get: bool = True
    enable_helm_install: bool = False
    enable_helm_upgrade: bool = False
    enable_helm_uninstall: bool = False
    enable_helm_repo_list: bool = True
    enable_helm_repo_add: bool = False
    enable_helm_repo_remove: bool = False
    allowed_chart_dirs: tuple[Path, ...] = ()

    # Transport.
    transport: str = "stdio"
    host: str = "127.0.0.1"
    port: int = 8000
    auth_token: str | None = field(default=None, repr=False)
    insecure_no_auth: bool = False
    allowed_hosts: tuple[str, ...] = ()
    allowed_origins: tuple[str, ...] = ()
    stateless_http: bool = False
    shutdown_grace_s: float = 10.0

    def replace(self, **changes: object) -> Settings:
        """A copy with some fields changed (settings are frozen)."""
        return dataclasses.replace(self, **changes)  # type: ignore[arg-type]
