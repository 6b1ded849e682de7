"""The opt-in fast read path (`--fast-reads`): GETs through one long-lived `kubectl proxy`.

On the subprocess path every read pays a whole kubectl process start (~70 ms). Here the
server keeps one `kubectl proxy` per context, listening on a Unix socket inside a
private directory (mode 0700), and sends the read tools' GET requests through it with
a small HTTP/1.1 client (keep-alive, Content-Length and chunked bodies, a read cap).
kubectl stays the only holder of credentials, so exec plugins and token refresh keep
working; the proxy refuses every method but GET itself (see `KubectlRunner.proxy_argv`).

The proxy starts on the first read (nothing at server start), and again when the
kubeconfig file changes (a kubectl per call would read the new one). If it dies it is
restarted once; when that fails too, `get` returns None from then on and the caller
reads through a kubectl subprocess, after one logged warning. Answers are the same on
both paths: a 2xx body is what `kubectl get --raw` prints, and an API `Status` is
parsed once into the same typed error (with kubectl's words for its message). Anything else (the proxy's
own plain-text errors) is left to the subprocess path, which reports it kubectl's way.
No proxy outlives the server: each runs in its own process group, which is killed at
exit, and the sandbox's reaper kills it when the server dies, even by SIGKILL.
Proxied reads share the runner's concurrency slots with kubectl processes.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import logging
import os
import shutil
import tempfile
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mcp_kubectl.cluster.kubeconfig import kubeconfig_paths
from mcp_kubectl.cluster.kubectl_errors import error_for, parse_status_body
from mcp_kubectl.cluster.process import RunLog, kill_group
from mcp_kubectl.cluster.runner import KubectlRunner
from mcp_kubectl.errors import McpKubectlError, OutputTooLarge, Timeout
from mcp_kubectl.settings import Settings

logger = logging.getLogger(__name__)

START_TIMEOUT_S = 10.0
MAX_STARTS = 2  # the first start and one restart
_STDERR_LINES = 20
_HEADER_LIMIT = 64 * 1024
_FORBIDDEN_IN_PATH = frozenset(" \t\r\n\x00")


class ProxyUnavailable(Exception):
    """The proxy could not be started or stopped answering; the caller falls back."""


@dataclass(frozen=True)
class HttpResponse:
    """One answer read off the socket."""

    status: int
    headers: dict[str, str]
    body: bytes
    keep_alive: bool


# ----------------------------------------------------------------- the HTTP/1.1 client


def build_request(path: str) -> bytes:
    """A GET for `path`; refuses anything that could split the request line."""
    if not path.startswith("/") or _FORBIDDEN_IN_PATH & set(path):
        raise ValueError(f"not a request path: {path!r}")
    return (
        f"GET {path} HTTP/1.1\r\n"
        "Host: localhost\r\n"
        "Accept: application/json, */*\r\n"
        "User-Agent: mcp-kubectl\r\n"
        "\r\n"
    ).encode("ascii")


async def read_response(reader: asyncio.StreamReader, *, cap: int) -> HttpResponse:
    """Read one response: status line, headers, then a Content-Length, chunked or close-delimited body.

    Raises `OutputTooLarge` once the body passes `cap` bytes, `ConnectionError` when
    the stream ends before the response does.
    """
    while True:
        status_line = await reader.readline()
        if not status_line:
            raise ConnectionError("connection closed before a response")
        parts = status_line.decode("latin-1").split(None, 2)
        if len(parts) < 2 or not parts[0].startswith("HTTP/1.") or not parts[1].isdigit():
            raise ConnectionError(f"not an HTTP response: {status_line[:80]!r}")
        version, status = parts[0], int(parts[1])
        headers = await _read_headers(reader)
        if status >= 200 or status == 101:
            break  # 1xx interim answers are skipped
    connection = headers.get("connection", "").lower()
    keep_alive = version == "HTTP/1.1" and "close" not in connection
    if status in (204, 304) or 100 <= status < 200:
        return HttpResponse(status, headers, b"", keep_alive)
    if "chunked" in headers.get("transfer-encoding", "").lower():
        body = await _read_chunked(reader, cap)
    elif "content-length" in headers:
        length = int(headers["content-length"])
        if length > cap:
            raise _too_large(cap)
        body = await _read_exactly(reader, length)
    else:
        body = await _read_to_eof(reader, cap)
        keep_alive = False
    return HttpResponse(status, headers, body, keep_alive)


async def _read_headers(reader: asyncio.StreamReader) -> dict[str, str]:
    headers: dict[str, str] = {}
    total = 0
    while True:
        line = await reader.readline()
        if not line:
            raise ConnectionError("connection closed inside the headers")
        total += len(line)
        if total > _HEADER_LIMIT:
            raise ConnectionError("response headers too long")
        if line in (b"\r\n", b"\n"):
            return headers
        name, _, value = line.decode("latin-1").partition(":")
        key = name.strip().lower()
        value = value.strip()
        headers[key] = f"{headers[key]}, {value}" if key in headers else value


async def _read_exactly(reader: asyncio.StreamReader, size: int) -> bytes:
    try:
        return await reader.readexactly(size)
    except asyncio.IncompleteReadError as exc:
        raise ConnectionError("connection closed inside the body") from exc


async def _read_chunked(reader: asyncio.StreamReader, cap: int) -> bytes:
    chunks: list[bytes] = []
    total = 0
    while True:
        line = await reader.readline()
        if not line:
            raise ConnectionError("connection closed inside a chunked body")
        try:
            size = int(line.split(b";", 1)[0].strip(), 16)
        except ValueError:
            raise ConnectionError(f"bad chunk size line: {line[:40]!r}") from None
        if size == 0:
            await _read_headers(reader)  # trailers, then the blank line
            return b"".join(chunks)
        total += size
        if total > cap:
            raise _too_large(cap)
        chunks.append(await _read_exactly(reader, size))
        await _read_exactly(reader, 2)  # the CRLF after each chunk


async def _read_to_eof(reader: asyncio.StreamReader, cap: int) -> bytes:
    chunks: list[bytes] = []
    total = 0
    while chunk := await reader.read(256 * 1024):
        total += len(chunk)
        if total > cap:
            raise _too_large(cap)
        chunks.append(chunk)
    return b"".join(chunks)


def _too_large(cap: int) -> OutputTooLarge:
    # The subprocess path's words, so the model sees one message whichever path ran.
    return OutputTooLarge(f"kubectl printed more than {cap} bytes and was stopped")


# ----------------------------------------------------------------- API errors, kubectl's way


def status_error(body: bytes, path: str) -> McpKubectlError | None:
    """The typed error for an API `Status` body (None if it is not one), parsed once.

    The same error, message included, that the subprocess path raises for the same
    answer; it is redacted at the tool edge like every other error.
    """
    status = parse_status_body(body)
    if status is None:
        return None
    return error_for(status, argv=("kubectl", "get", f"--raw={path}"), exit_code=1)


# ----------------------------------------------------------------- one proxy per context


@dataclass
class _Proxy:
    """One `kubectl proxy` process, its socket, and its idle keep-alive connections."""

    context: str | None
    directory: Path
    process: asyncio.subprocess.Process | None = None
    starts: int = 0
    broken: bool = False
    idle: list[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = field(default_factory=list)
    stderr_tail: deque[str] = field(default_factory=lambda: deque(maxlen=_STDERR_LINES))
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    keeper: asyncio.Task[None] | None = None
    config_stamp: tuple[Any, ...] = ()

    @property
    def socket_path(self) -> Path:
        return self.directory / "proxy.sock"

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.returncode is None


class FastReads:
    """GET requests through per-context `kubectl proxy` processes, started on first use."""

    def __init__(self, settings: Settings, runner: KubectlRunner) -> None:
        self._settings = settings
        self._runner = runner
        self._proxies: dict[str | None, _Proxy] = {}
        self._atexit_registered = False
        self._kubeconfig_files = tuple(kubeconfig_paths(settings.kubeconfig, runner.environment))

    @property
    def proxy_pids(self) -> list[int]:
        """PIDs of the live proxies (for tests and diagnostics)."""
        return [p.process.pid for p in self._proxies.values() if p.process is not None and p.running]

    async def get(self, path: str, context: str | None, *, log: RunLog | None = None) -> bytes | None:
        """The body of GET `path`, or None when the caller must read through a subprocess.

        Raises the same typed errors the subprocess path raises for API failures,
        `Timeout` past the deadline and `OutputTooLarge` past the read cap. `log`, when
        given, records the read (as the subprocess path records its argv).
        """
        request = build_request(path)
        proxy = self._proxy_for(context or self._settings.context)
        if proxy.broken:
            return None
        if proxy.running and proxy.config_stamp != _stamp(self._kubeconfig_files):
            # A kubectl per call would read the new kubeconfig (a rotated token, another
            # cluster); the proxy read it once. Restart it, without using up its one restart.
            self._stop(proxy, "the kubeconfig changed; restarting to read it again")
            proxy.starts = max(0, proxy.starts - 1)
        deadline = self._settings.timeout_s
        async with self._runner.slot():
            try:
                async with asyncio.timeout(deadline):
                    response = await self._exchange(proxy, request)
            except TimeoutError:
                raise Timeout(f"kubectl did not answer within {deadline:g}s and was stopped") from None
            except ProxyUnavailable as exc:
                self._give_up(proxy, str(exc))
                return None
        if 200 <= response.status < 300:
            _record(log, path, 0)
            return response.body
        error = status_error(response.body, path)
        if error is not None:
            _record(log, path, 1)
            raise error
        # Not an API Status: the proxy's own text (upstream unreachable, a refused path).
        # kubectl reports those in its own words, so let the subprocess path answer.
        logger.debug("proxy answered %s for %s without a Status; reading through kubectl", response.status, path)
        return None

    async def _exchange(self, proxy: _Proxy, request: bytes) -> HttpResponse:
        """Send one request, reusing a keep-alive connection, restarting a dead proxy once."""
        cap = self._settings.max_output_bytes
        for _ in range(2 * MAX_STARTS + 1):
            await self._ensure_running(proxy)
            reused = bool(proxy.idle)
            try:
                reader, writer = proxy.idle.pop() if reused else await self._connect(proxy)
            except OSError as exc:
                self._stop(proxy, f"connect failed: {exc}")
                continue
            try:
                writer.write(request)
                await writer.drain()
                response = await read_response(reader, cap=cap)
            except (ConnectionError, OSError, ValueError, asyncio.LimitOverrunError) as exc:
                _close(writer)
                if reused:
                    # A keep-alive connection the proxy had closed; the other idle ones
                    # are likely stale too: drop them and try a fresh connection.
                    _close_idle(proxy)
                    continue
                self._stop(proxy, f"request failed: {exc}")
                continue
            except BaseException:
                _close(writer)  # cancelled, timed out or too large: the stream is in an unknown state
                raise
            if response.keep_alive:
                proxy.idle.append((reader, writer))
            else:
                _close(writer)
            return response
        raise ProxyUnavailable("the proxy kept dropping connections")

    async def _connect(self, proxy: _Proxy) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        return await asyncio.open_unix_connection(str(proxy.socket_path), limit=_HEADER_LIMIT)

    def _proxy_for(self, context: str | None) -> _Proxy:
        proxy = self._proxies.get(context)
        if proxy is None:
            directory = Path(tempfile.mkdtemp(prefix="mcpk-"))  # mode 0700, ours alone
            if len(str(directory / "proxy.sock")) > 100:  # sun_path is 108 bytes
                shutil.rmtree(directory, ignore_errors=True)
                directory = Path(tempfile.mkdtemp(prefix="mcpk-", dir="/tmp"))
            proxy = self._proxies[context] = _Proxy(context=context, directory=directory)
            if not self._atexit_registered:
                atexit.register(self.close)
                self._atexit_registered = True
        return proxy

    async def _ensure_running(self, proxy: _Proxy) -> None:
        if proxy.running:
            return
        async with proxy.lock:
            while not proxy.running:
                if proxy.starts >= MAX_STARTS:
                    raise ProxyUnavailable(_describe_failure(proxy))
                proxy.starts += 1
                if proxy.starts > 1:
                    logger.warning("kubectl proxy for context %s stopped; restarting it once", proxy.context or "(current)")
                try:
                    await self._start(proxy)
                except ProxyUnavailable as exc:
                    proxy.stderr_tail.append(str(exc))
                    self._stop(proxy, str(exc))

    async def _start(self, proxy: _Proxy) -> None:
        """Start the proxy and wait until its socket accepts connections."""
        with contextlib.suppress(FileNotFoundError):
            proxy.socket_path.unlink()
        started = time.monotonic()
        proxy.config_stamp = _stamp(self._kubeconfig_files)
        try:
            process = await self._runner.start_proxy(proxy.socket_path, proxy.context)
        except McpKubectlError as exc:
            raise ProxyUnavailable(str(exc)) from exc
        proxy.process = process
        proxy.keeper = asyncio.ensure_future(_keep(proxy, process))
        while time.monotonic() - started < START_TIMEOUT_S:
            if process.returncode is not None:
                await asyncio.sleep(0.05)  # let the last stderr lines arrive
                raise ProxyUnavailable(f"kubectl proxy exited with code {process.returncode}")
            if proxy.socket_path.exists():
                try:
                    connection = await self._connect(proxy)
                except OSError:
                    pass
                else:
                    proxy.idle.append(connection)  # the probe becomes the first keep-alive connection
                    logger.info(
                        "kubectl proxy for context %s ready in %.0f ms", proxy.context or "(current)", (time.monotonic() - started) * 1000
                    )
                    return
            await asyncio.sleep(0.01)
        raise ProxyUnavailable(f"kubectl proxy did not listen within {START_TIMEOUT_S:g}s")

    def _stop(self, proxy: _Proxy, why: str) -> None:
        """Forget a proxy that failed: close its connections, kill its group."""
        logger.info("kubectl proxy for context %s: %s", proxy.context or "(current)", why)
        _close_idle(proxy)
        if proxy.process is not None:
            kill_group(proxy.process)
            proxy.process = None

    def _give_up(self, proxy: _Proxy, why: str) -> None:
        if not proxy.broken:
            proxy.broken = True
            logger.warning(
                "fast reads for context %s are off: %s; reading through kubectl subprocesses instead",
                proxy.context or "(current)",
                why,
            )
        self._stop(proxy, why)

    async def aclose(self) -> None:
        """Stop every proxy and wait for it to be gone."""
        processes = [p.process for p in self._proxies.values() if p.process is not None]
        keepers = [p.keeper for p in self._proxies.values() if p.keeper is not None]
        self.close()
        for process in processes:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(process.wait(), 5)
        await asyncio.gather(*keepers, return_exceptions=True)

    def close(self) -> None:
        """Kill every proxy's process group and remove the socket directories (also at exit)."""
        for proxy in self._proxies.values():
            for _, writer in proxy.idle:
                with contextlib.suppress(Exception):
                    writer.transport.abort()
            proxy.idle.clear()
            if proxy.process is not None:
                kill_group(proxy.process)
                proxy.process = None
            if proxy.keeper is not None:
                with contextlib.suppress(Exception):
                    proxy.keeper.cancel()
            shutil.rmtree(proxy.directory, ignore_errors=True)
        self._proxies.clear()


def _stamp(files: tuple[Path, ...]) -> tuple[Any, ...]:
    """What changes when a kubeconfig file is rewritten (a stat per read: microseconds)."""
    stamps: list[Any] = []
    for path in files:
        try:
            info = os.stat(path)
        except OSError:
            stamps.append(None)
        else:
            stamps.append((info.st_mtime_ns, info.st_size, info.st_ino))
    return tuple(stamps)


def _record(log: RunLog | None, path: str, exit_code: int) -> None:
    """Tell the audit log what this call read (the subprocess path records its argv alike)."""
    if log is not None:
        log.record(("kubectl", "proxy", f"GET {path}"), exit_code)


def _describe_failure(proxy: _Proxy) -> str:
    tail = " | ".join(line for line in proxy.stderr_tail if line)
    return f"kubectl proxy failed {proxy.starts} times" + (f" ({tail[-500:]})" if tail else "")


async def _keep(proxy: _Proxy, process: asyncio.subprocess.Process) -> None:
    """Drain the proxy's stderr (its last lines explain a failure) until it exits.

    When the event loop shuts down this task is cancelled: it then kills the proxy's
    group and reaps it while the loop can still do so, so nothing is left to the
    interpreter's exit (`FastReads.close`, registered with atexit, is the backstop).
    """
    try:
        if process.stderr is not None:
            with contextlib.suppress(ValueError, OSError):
                while line := await process.stderr.readline():
                    text = line.decode("utf-8", errors="replace").rstrip()
                    proxy.stderr_tail.append(text)
                    logger.debug("kubectl proxy: %s", text)
        await process.wait()
    except asyncio.CancelledError:
        if proxy.process is process:
            _close_idle(proxy)
        kill_group(process)
        with contextlib.suppress(Exception):
            await asyncio.wait_for(process.wait(), 5)
        raise


def _close_idle(proxy: _Proxy) -> None:
    for _, writer in proxy.idle:
        _close(writer)
    proxy.idle.clear()


def _close(writer: asyncio.StreamWriter) -> None:
    with contextlib.suppress(Exception):
        writer.close()
