"""A sandbox for running any program: the one place this server starts a process.

The sandbox knows environments, deadlines, process groups, output caps and concurrency;
it knows nothing of kubectl or helm. Each binary brings its own argv policy (`ArgvPolicy`:
the subcommands it may run, the flags only the server may set, `--` before positional
arguments) and hands the sandbox a finished argv list.

Every child:
- gets a filtered environment (`filtered_env`), never the server's own;
- runs in its own process group, so a timeout or a cancel kills it and whatever it
  started (credential plugins, a diff program), then reaps it;
- dies with the server, its whole group with it, even when the server is killed with
  SIGKILL: a small helper process (`_Reaper`) holds the read end of a pipe from the
  server and the list of live groups; when the server dies the pipe closes and the
  helper kills every group still listed;
- has its stdout and stderr read with caps, decoded with `errors="replace"`;
- takes one of a fixed number of concurrency slots;
- is recorded, argv and exit code, in the `RunLog` the caller passes in (one per tool
  call, so an audit line lists every process the call ran).
"""

from __future__ import annotations

import asyncio
import logging
import os
import shutil
import signal
import sys
import threading
import time
from collections.abc import AsyncIterator, Iterable, Iterator, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass

from mcp_kubectl.errors import OutputTooLarge, ProgramMissing, Timeout, ToolDisabled

logger = logging.getLogger(__name__)

STDERR_CAP = 256 * 1024
_CHUNK = 256 * 1024


# ----------------------------------------------------------------- what ran


@dataclass(frozen=True)
class Run:
    """One process a tool call started: its argv and how it ended (None: killed or never finished)."""

    argv: tuple[str, ...]
    exit_code: int | None

    def to_dict(self) -> dict[str, object]:
        return {"argv": list(self.argv), "exit_code": self.exit_code}


class RunLog:
    """Every process one tool call ran, in order; created by the caller and passed in explicitly."""

    def __init__(self) -> None:
        self._runs: list[Run] = []

    def record(self, argv: Sequence[str], exit_code: int | None) -> None:
        self._runs.append(Run(tuple(argv), exit_code))

    @property
    def runs(self) -> tuple[Run, ...]:
        return tuple(self._runs)

    @property
    def last(self) -> Run | None:
        return self._runs[-1] if self._runs else None

    def __iter__(self) -> Iterator[Run]:
        return iter(tuple(self._runs))

    def __len__(self) -> int:
        return len(self._runs)


@dataclass(frozen=True)
class ProcessResult:
    """What a finished process left behind."""

    argv: tuple[str, ...]
    exit_code: int
    stdout: bytes
    stderr: str
    duration_s: float


# ----------------------------------------------------------------- argv policy


@dataclass(frozen=True)
class ArgvPolicy:
    """What one binary may be asked to do: its subcommands and the flags the server owns.

    `build` refuses a subcommand outside `subcommands` or outside the enabled set, any
    value that is not a clean string, any server-owned flag in the caller's flags or
    arguments, and any positional argument that looks like a flag. The server's own
    flags go before `--`; positional arguments after it, so a value can never be
    read as a flag.
    """

    program: str
    subcommands: frozenset[str]
    server_owned_flags: frozenset[str]

    def check_subcommand(self, subcommand: str, enabled: Iterable[str]) -> None:
        """Raise `ToolDisabled` unless this binary may run `subcommand` here."""
        if subcommand not in self.subcommands or subcommand not in frozenset(enabled):
            raise ToolDisabled(subcommand, program=self.program)

    def build(
        self,
        executable: str,
        subcommand: str,
        *,
        args: Sequence[str] = (),
        flags: Sequence[str] = (),
        server_flags: Sequence[str] = (),
        trailing: Sequence[str] = (),
        enabled: Iterable[str],
    ) -> list[str]:
        """`executable subcommand... flags... server_flags... -- args...`, or an error.

        `trailing` (kubectl exec's command) goes after the `--` that follows `args`:
        `executable subcommand... flags... args... -- trailing...`. The binary never
        parses it, so only its values may start with `-`.
        """
        self.check_subcommand(subcommand, enabled)
        for value in (*flags, *args, *trailing):
            if not isinstance(value, str) or "\x00" in value:
                raise ValueError(f"{self.program} argument is not a clean string: {value!r}")
        for value in (*flags, *args):
            if value.split("=", 1)[0] in self.server_owned_flags:
                raise ValueError(f"a command may not carry the server-owned flag {value!r}")
        for value in args:
            if value.startswith("-"):
                raise ValueError(f"positional argument looks like a flag: {value!r}")
        argv = [executable, *subcommand.split(" "), *flags, *server_flags]
        if trailing:
            return [*argv, *args, "--", *trailing]
        return [*argv, "--", *args] if args else argv


# ----------------------------------------------------------------- finding a binary


def find_program(name: str) -> str | None:
    """An executable's absolute path, or None: a path as given; a bare name on PATH, then beside
    this Python (a venv that installed the binary but is not activated, as when a client starts
    the server by path)."""
    path = name
    if os.sep not in name:
        path = shutil.which(name) or shutil.which(name, path=os.path.dirname(sys.executable)) or ""
    if not path or not os.path.isfile(path) or not os.access(path, os.X_OK):
        return None
    return os.path.abspath(path)


# ----------------------------------------------------------------- environment


def filtered_env(environ: Mapping[str, str], names: Iterable[str], *, fixed: Mapping[str, str] | None = None) -> dict[str, str]:
    """Only the `names` given, from `environ`, plus `fixed` values; PATH defaults to the system's."""
    env = {name: environ[name] for name in set(names) if name in environ}
    env.update(fixed or {})
    env.setdefault("PATH", os.defpath)
    return env


# ----------------------------------------------------------------- the sandbox


class Sandbox:
    """Runs argv lists for one program with a filtered environment, deadlines, caps and slots.

    `program` names the binary in error messages ("kubectl did not answer within 30s").
    """

    def __init__(
        self,
        program: str,
        env: Mapping[str, str],
        *,
        max_concurrency: int,
        max_output_bytes: int,
        stderr_cap: int = STDERR_CAP,
    ) -> None:
        self.program = program
        self._env = dict(env)
        self._max_output_bytes = max_output_bytes
        self._stderr_cap = stderr_cap
        self._slots = asyncio.Semaphore(max(1, max_concurrency))
        self._running = 0
        self.peak_running = 0
        # Started now, not at the first run: a server killed while its first child starts
        # must find the reaper already listening, with no process start in that window.
        _reaper.start()

    @property
    def environment(self) -> dict[str, str]:
        return dict(self._env)

    @property
    def max_output_bytes(self) -> int:
        return self._max_output_bytes

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        """Hold one concurrency slot (also for work that is not a process, such as a proxied GET)."""
        async with self._slots:
            self._running += 1
            self.peak_running = max(self.peak_running, self._running)
            try:
                yield
            finally:
                self._running -= 1

    async def run(
        self,
        argv: Sequence[str],
        *,
        deadline_s: float,
        stdin: bytes | None = None,
        log: RunLog | None = None,
    ) -> ProcessResult:
        """Run argv to its end within `deadline_s`; on timeout, cancel or a passed cap its group dies.

        Raises `Timeout`, `OutputTooLarge` or `ProgramMissing`; a non-zero exit is a
        result, not an error (what it means is the binary's business).
        """
        argv = tuple(argv)
        exit_code: int | None = None
        async with self.slot():
            try:
                result = await self._run_one(argv, stdin, deadline_s)
                exit_code = result.exit_code
                return result
            finally:
                if log is not None:
                    log.record(argv, exit_code)

    async def start(self, argv: Sequence[str]) -> asyncio.subprocess.Process:
        """Start a long-lived child (stderr piped, no stdin or stdout); the caller stops it with `kill_group`."""
        process = await self._spawn(argv, stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.DEVNULL)
        watcher = asyncio.ensure_future(_release_when_reaped(process))
        _watchers.add(watcher)
        watcher.add_done_callback(_watchers.discard)
        return process

    async def _spawn(self, argv: Sequence[str], *, stdin: int, stdout: int) -> asyncio.subprocess.Process:
        try:
            process = await asyncio.create_subprocess_exec(
                *argv,
                stdin=stdin,
                stdout=stdout,
                stderr=asyncio.subprocess.PIPE,
                env=self._env,
                start_new_session=True,
            )
        except (FileNotFoundError, PermissionError) as exc:
            raise ProgramMissing(f"cannot run {self.program} at {argv[0]!r}: {exc.strerror}", program=self.program) from exc
        _reaper.register(process.pid)  # its group id: start_new_session made it the leader
        return process

    async def _run_one(self, argv: tuple[str, ...], stdin: bytes | None, deadline_s: float) -> ProcessResult:
        started = time.monotonic()
        process = await self._spawn(
            argv,
            stdin=asyncio.subprocess.PIPE if stdin is not None else asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
        )
        readers = (
            asyncio.ensure_future(self._feed_and_read(process, stdin)),
            asyncio.ensure_future(read_capped(process.stderr, self._stderr_cap)),
        )
        try:
            async with asyncio.timeout(deadline_s):
                stdout = await readers[0]
                stderr = await readers[1]
                exit_code = await process.wait()
            _reaper.release(process.pid)
        except BaseException as exc:
            await asyncio.shield(_stop(process, readers))
            if isinstance(exc, TimeoutError):
                raise Timeout(f"{self.program} did not answer within {deadline_s:g}s and was stopped") from None
            if isinstance(exc, asyncio.CancelledError):
                logger.info("%s cancelled by the client; process group killed", self.program)
            raise
        duration = time.monotonic() - started
        logger.debug("%s %s exited %s in %.3fs", self.program, argv[1:2], exit_code, duration)
        return ProcessResult(
            argv=argv,
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
        limit = self._max_output_bytes
        data = await read_capped(process.stdout, limit)
        if len(data) > limit:
            raise OutputTooLarge(f"{self.program} printed more than {limit} bytes and was stopped")
        return data


async def read_capped(stream: asyncio.StreamReader | None, limit: int) -> bytes:
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


def kill_group(process: asyncio.subprocess.Process) -> None:
    """SIGKILL a child's whole process group (it and what it started), if it is still running."""
    if process.returncode is None:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
    _reaper.release(process.pid)  # dead now, and its id held by the unreaped leader until then


_watchers: set[asyncio.Future[None]] = set()


async def _release_when_reaped(process: asyncio.subprocess.Process) -> None:
    try:
        await process.wait()
    finally:
        _reaper.release(process.pid)


async def _stop(process: asyncio.subprocess.Process, readers: Sequence[asyncio.Future[bytes]]) -> None:
    """Stop the readers, kill the group, drain the pipes and reap the child."""
    for reader in readers:
        reader.cancel()
    await asyncio.gather(*readers, return_exceptions=True)
    kill_group(process)
    # Unread output would pause the pipe transports, and asyncio only reports the
    # exit once every pipe is closed: drain what is left (finite once the group is dead).
    for stream in (process.stdout, process.stderr):
        if stream is not None:
            while await stream.read(_CHUNK):
                pass
    await process.wait()


# The reaper: reads "+PGID" / "-PGID" lines until the server's end of the pipe closes
# (the server exited or was killed), then kills every group still listed. `-I -S`: no
# site, no environment, so it starts in a few milliseconds and imports nothing of ours.
_REAPER_SCRIPT = """
import os, signal, sys
groups = set()
for line in sys.stdin:
    pgid = int(line[1:])
    if line[0] == "+":
        groups.add(pgid)
    else:
        groups.discard(pgid)
for pgid in groups:
    try:
        os.killpg(pgid, signal.SIGKILL)
    except OSError:
        pass
"""


class _Reaper:
    """Kills every child's process group when the server dies, however it dies.

    Linux's PR_SET_PDEATHSIG would do it per child, but only from a pre-exec hook,
    which makes Python fork the whole server instead of using vfork: several
    milliseconds on every kubectl run. One helper, started once, costs a pipe write
    per run, works beyond Linux, and kills the whole group (credential plugins too).
    A group is listed from its start until it is killed or reaped, so a reused
    process-group id is never killed.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pipe: int | None = None
        self._groups: set[int] = set()
        self._failed = False

    def register(self, pgid: int) -> None:
        with self._lock:
            self._groups.add(pgid)
            self._send(f"+{pgid}\n")

    def release(self, pgid: int) -> None:
        with self._lock:
            if pgid in self._groups:
                self._groups.discard(pgid)
                self._send(f"-{pgid}\n")

    def start(self) -> None:
        """Start the reaper now if it is not running (it is started on demand otherwise)."""
        with self._lock:
            if self._pipe is None:
                self._start()

    def _send(self, line: str) -> None:
        for _ in range(2):
            pipe = self._pipe
            if pipe is None:
                pipe = self._start()
                if pipe is None:
                    return
                line = "".join(f"+{pgid}\n" for pgid in self._groups)  # a new reaper learns every live group
            try:
                os.write(pipe, line.encode("ascii"))  # a few bytes: one atomic write
                return
            except OSError:  # the reaper died (someone killed it): start another
                os.close(pipe)
                self._pipe = None

    def _start(self) -> int | None:
        """Start the reaper; the write end of its pipe, or None if it cannot run."""
        if self._failed:
            return None
        read_end, write_end = os.pipe()  # not inheritable: no child but the reaper holds either end
        try:
            os.posix_spawn(
                sys.executable,
                [sys.executable, "-I", "-S", "-c", _REAPER_SCRIPT],
                {},
                file_actions=[(os.POSIX_SPAWN_DUP2, read_end, 0)],
                setsid=True,  # its own session: a Ctrl-C meant for the server does not reach it
            )
        except OSError as exc:
            os.close(write_end)
            self._failed = True
            logger.warning("cannot start the process reaper (%s): children may outlive a killed server", exc)
            return None
        finally:
            os.close(read_end)
        self._pipe = write_end
        return write_end


_reaper = _Reaper()
