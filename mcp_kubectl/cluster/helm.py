"""helm's argv policy, binary resolution, environment and runner; and the checks on what a model names.

helm runs in the same `mcp_kubectl.cluster.process.Sandbox` as kubectl, with its own `ArgvPolicy`:
only the subcommands in `HELM_SUBCOMMANDS` (narrowed to the enabled tools' verbs), the
cluster flags (`--kubeconfig`, `--kube-context`, `--namespace`) set by the server alone,
positional values after `--`. Its environment is the kubectl base set plus the user's own
Helm directories (so their repositories and registry logins work); no `HELM_*` variable
that picks a cluster, a user or a driver ever passes.

A model names releases, charts, versions, repositories and URLs; the `check_*` functions
here refuse anything else before an argv is built:
- release and repository names: lower-case DNS-style names, never a flag;
- charts: `repo/chart`, `oci://host/path` without credentials, or a local path only under
  a directory `--allowed-chart-dirs` names (symlinks resolved first);
- repository URLs: `https://` without credentials; `http://` to loopback only (tests).
"""

from __future__ import annotations

import ipaddress
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from mcp_kubectl.cluster.process import ArgvPolicy, ProcessResult, RunLog, Sandbox, filtered_env, find_program
from mcp_kubectl.errors import InvalidArgument, ProgramMissing
from mcp_kubectl.safety.validation import DNS1123_SUBDOMAIN
from mcp_kubectl.settings import BASE_ENV_VARS, Settings

# Every helm subcommand this server can ever run; the enabled tools narrow it.
HELM_SUBCOMMANDS = frozenset(
    {
        "version", "list", "status", "history", "get values", "get manifest", "get notes",
        "pull", "template", "install", "upgrade", "uninstall", "repo list", "repo add", "repo remove",
    }
)  # fmt: skip
# Flags that pick the cluster, the credentials, the storage or a program to run: the server's.
HELM_SERVER_OWNED_FLAGS = frozenset(
    {
        "--kubeconfig", "--kube-context", "--namespace", "-n", "--kube-apiserver", "--kube-as-user",
        "--kube-as-group", "--kube-token", "--kube-ca-file", "--kube-tls-server-name",
        "--kube-insecure-skip-tls-verify", "--registry-config", "--repository-config",
        "--repository-cache", "--burst-limit", "--qps", "--debug", "--post-renderer",
        "--post-renderer-args", "--username", "--password", "--password-stdin", "--cert-file",
        "--key-file", "--ca-file", "--pass-credentials", "--insecure-skip-tls-verify",
        "--plain-http", "--set-file", "--content-cache", "--replace", "--install", "--force", "--force-replace",
        "--force-update", "--all-namespaces", "-A", "--keyring", "--verify",
    }
)  # fmt: skip
HELM = ArgvPolicy(program="helm", subcommands=HELM_SUBCOMMANDS, server_owned_flags=HELM_SERVER_OWNED_FLAGS)

# The user's own Helm directories (repositories, cache, registry logins, plugins they installed).
HELM_ENV_VARS = (
    "HELM_CONFIG_HOME", "HELM_CACHE_HOME", "HELM_DATA_HOME", "HELM_REPOSITORY_CONFIG",
    "HELM_REPOSITORY_CACHE", "HELM_REGISTRY_CONFIG", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME",
)  # fmt: skip

# Each matches a whole value (`fullmatch`: a trailing newline is not part of a name).
_RELEASE = re.compile(DNS1123_SUBDOMAIN)  # helm's own rule, within MAX_RELEASE_NAME
_REPO_NAME = re.compile(r"[a-z0-9]([-a-z0-9_.]*[a-z0-9])?")
_CHART_NAME = re.compile(r"[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?")
_VERSION = re.compile(r"[0-9A-Za-z.+~^<>=*|, -]{1,64}")
_OCI_PATH = re.compile(r"[a-z0-9]([-a-z0-9._/]*[a-z0-9])?(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?")
_HOST = re.compile(r"[A-Za-z0-9]([-A-Za-z0-9.]*[A-Za-z0-9])?")
MAX_RELEASE_NAME = 53  # helm's own limit (release Secrets carry it in their name and labels)


def resolve_helm(helm: str) -> str:
    """The absolute path of helm (`--helm`, then PATH, then beside this Python); `ProgramMissing` if absent."""
    path = find_program(helm)
    if path is None:
        raise ProgramMissing(
            f"helm not found or not executable: {helm!r}",
            program="helm",
            hint="Install helm or pass --helm PATH; the Helm tools are not offered until then.",
        )
    return path


def helm_env(environ: Mapping[str, str], extra: Sequence[str] = (), *, pass_kubeconfig: bool = True) -> dict[str, str]:
    """helm's environment: kubectl's base set, the user's Helm directories, nothing that picks a cluster."""
    names = set(BASE_ENV_VARS) | set(HELM_ENV_VARS) | set(extra)
    names = {n for n in names if not n.startswith("HELM_KUBE") and n not in ("HELM_NAMESPACE", "HELM_DRIVER")}
    if not pass_kubeconfig:
        names.discard("KUBECONFIG")
    return filtered_env(environ, names)


@dataclass(frozen=True)
class HelmCommand:
    """One helm invocation before the server's cluster flags: subcommand, flags built by us, checked values."""

    subcommand: str
    args: tuple[str, ...] = ()
    flags: tuple[str, ...] = ()
    stdin: bytes | None = None
    namespace: str | None = None  # checked against the policy by the caller
    context: str | None = None
    cluster: bool = True  # False: `repo ...` and `template` never reach the cluster


class HelmRunner:
    """Runs allow-listed helm commands, with the server's own cluster flags, in the sandbox."""

    def __init__(self, settings: Settings, helm_path: str, enabled: Iterable[str], *, environ: Mapping[str, str] | None = None) -> None:
        self._settings = settings
        self.helm_path = helm_path
        self._enabled = frozenset(enabled) & HELM_SUBCOMMANDS
        env = helm_env(os.environ if environ is None else environ, settings.extra_env_vars, pass_kubeconfig=settings.kubeconfig is None)
        self.sandbox = Sandbox("helm", env, max_concurrency=settings.max_concurrency, max_output_bytes=settings.max_output_bytes)

    def build_argv(self, command: HelmCommand) -> list[str]:
        """The argv for a command, or `ToolDisabled` if its subcommand may not run here."""
        server_flags: list[str] = []
        if command.cluster:
            if self._settings.kubeconfig is not None:
                server_flags.append(f"--kubeconfig={self._settings.kubeconfig}")
            context = command.context or self._settings.context
            if context:
                server_flags.append(f"--kube-context={context}")
        if command.namespace is not None:
            server_flags.append(f"--namespace={command.namespace}")
        return HELM.build(
            self.helm_path, command.subcommand, args=command.args, flags=command.flags, server_flags=server_flags, enabled=self._enabled
        )

    async def run(self, command: HelmCommand, *, log: RunLog | None = None) -> ProcessResult:
        """Run one command within the server's deadline; its process group dies on timeout or cancel."""
        return await self.sandbox.run(self.build_argv(command), deadline_s=self._settings.timeout_s, stdin=command.stdin, log=log)


# ----------------------------------------------------------------------------- model values


def check_release_name(value: str, argument: str = "name") -> str:
    """A Helm release name: lower-case DNS labels, at most 53 characters, never a flag."""
    if not isinstance(value, str) or len(value) > MAX_RELEASE_NAME or not _RELEASE.fullmatch(value):
        raise InvalidArgument(
            f"{argument} {value!r} is not a release name: lower-case letters, digits, '-' and '.', "
            f"starting and ending with a letter or digit, at most {MAX_RELEASE_NAME} characters",
            argument=argument,
        )
    return value


def check_repo_name(value: str, argument: str = "name") -> str:
    if not isinstance(value, str) or len(value) > 63 or not _REPO_NAME.fullmatch(value):
        raise InvalidArgument(
            f"{argument} {value!r} is not a repository name: lower-case letters, digits, '-', '_' and '.', at most 63",
            argument=argument,
        )
    return value


def check_version(value: str, argument: str = "version") -> str:
    """A chart version or constraint (`1.2.3`, `^1.2`, `>=1.0 <2`)."""
    if not isinstance(value, str) or not _VERSION.fullmatch(value) or value.startswith("-"):
        raise InvalidArgument(f"{argument} {value!r} is not a chart version or constraint", argument=argument)
    return value


def check_repo_url(value: str, argument: str = "url") -> str:
    """`https://host[:port]/path` without credentials; `http://` only to a loopback address."""
    parts = urlsplit(value) if isinstance(value, str) and len(value) <= 2048 else None
    if parts is None or parts.scheme not in ("https", "http") or not parts.hostname or "\\" in value or any(c.isspace() for c in value):
        raise InvalidArgument(f"{argument} {value!r} is not an https:// repository URL", argument=argument)
    if parts.username is not None or parts.password is not None or "@" in parts.netloc:
        raise InvalidArgument(
            f"{argument} carries credentials; repository credentials are the user's own Helm configuration, never a tool argument",
            argument=argument,
        )
    if parts.scheme == "http" and not _is_loopback(parts.hostname):
        raise InvalidArgument(f"{argument}: only https:// repositories (http:// is accepted for loopback only)", argument=argument)
    if parts.query or parts.fragment:
        raise InvalidArgument(f"{argument}: a repository URL takes no query or fragment", argument=argument)
    return value


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class ChartSource:
    """A chart reference helm may fetch: `repo/chart`, `oci://...`, or an allowed local path."""

    reference: str
    kind: str  # "repository", "oci" or "local"


def check_chart(value: str, allowed_dirs: Sequence[Path], argument: str = "chart") -> ChartSource:
    """Accept `repo/chart`, a credential-free `oci://host/path[:tag]`, or a path under `--allowed-chart-dirs`."""
    if not isinstance(value, str) or not value or len(value) > 1024 or "\x00" in value:
        raise InvalidArgument(f"{argument} must be repo/chart or oci://host/path", argument=argument)
    if value.startswith("oci://"):
        rest = value[len("oci://"):]
        host, _, path = rest.partition("/")
        hostname, _, port = host.partition(":")
        if "@" in rest:
            raise InvalidArgument(f"{argument}: no credentials or digests in an oci:// reference", argument=argument)
        if not _HOST.fullmatch(hostname) or (port and not port.isdigit()) or not _OCI_PATH.fullmatch(path):
            raise InvalidArgument(f"{argument} {value!r} is not an oci://host/path[:tag] reference", argument=argument)
        return ChartSource(value, "oci")
    repo, slash, chart = value.partition("/")
    if slash and _REPO_NAME.fullmatch(repo) and _CHART_NAME.fullmatch(chart) and not value.startswith(("/", ".")):
        return ChartSource(value, "repository")
    if os.path.isabs(value) and allowed_dirs:
        real = Path(os.path.realpath(value))
        for base in allowed_dirs:
            root = Path(os.path.realpath(base))
            if real == root or root in real.parents:
                return ChartSource(str(real), "local")
        raise InvalidArgument(f"{argument}: local chart paths are accepted only under --allowed-chart-dirs", argument=argument)
    raise InvalidArgument(
        f"{argument} {value!r} is not a chart reference: use repo/chart (from a repository list_helm_repositories shows) "
        "or oci://host/path; local paths only under --allowed-chart-dirs",
        argument=argument,
    )
