"""The HTTP(S) transport: a threading HTTP/1.1 server that authenticates, applies faults, logs and answers.

TLS handshakes happen in the per-connection thread, so a slow client never blocks the accept loop.
Every request yields one ``RequestRecord``; the command line logs each one to stderr.
"""

from __future__ import annotations

import logging
import socket
import ssl
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from mcp_kubectl.emulator import errors
from mcp_kubectl.emulator.api import Api, ApiRequest, ApiResponse
from mcp_kubectl.emulator.auth import Authenticator
from mcp_kubectl.emulator.faults import Faults
from mcp_kubectl.emulator.store import dumps

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class RequestRecord:
    """One request as the emulator saw it."""

    method: str
    path: str
    query: dict[str, str]
    user: str | None
    status: int  # 0 when no answer was sent (hang, drop)
    duration_s: float  # until the answer was ready to send
    user_agent: str = ""


class RequestLog:
    """Thread-safe list of RequestRecords."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._records: list[RequestRecord] = []

    def add(self, record: RequestRecord) -> None:
        with self._lock:
            self._records.append(record)

    def snapshot(self) -> list[RequestRecord]:
        with self._lock:
            return list(self._records)

    def clear(self) -> None:
        with self._lock:
            self._records.clear()


class _DropConnection(Exception):
    """Close the connection without a response."""


class EmulatorHTTPServer(ThreadingHTTPServer):
    """ThreadingHTTPServer with optional TLS, tracked connections and the emulator's collaborators."""

    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, address: tuple[str, int], api: Api, authenticator: Authenticator, faults: Faults,
                 request_log: RequestLog, ssl_context: ssl.SSLContext | None) -> None:
        self.api = api
        self.authenticator = authenticator
        self.faults = faults
        self.request_log = request_log
        self.ssl_context = ssl_context
        self.closing = threading.Event()
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        super().__init__(address, _Handler)

    def finish_request(self, request: Any, client_address: Any) -> None:
        conn = request
        if self.ssl_context is not None:
            try:
                request.settimeout(30)
                conn = self.ssl_context.wrap_socket(request, server_side=True)
                conn.settimeout(None)
            except (ssl.SSLError, OSError) as exc:
                logger.debug("TLS handshake with %s failed: %s", client_address, exc)
                return
        with self._connections_lock:
            self._connections.add(conn)
        try:
            super().finish_request(conn, client_address)
        finally:
            with self._connections_lock:
                self._connections.discard(conn)
            if conn is not request:
                try:
                    conn.close()
                except OSError:
                    pass

    def handle_error(self, request: Any, client_address: Any) -> None:
        logger.debug("connection from %s ended with an error", client_address, exc_info=True)

    def close_connections(self) -> None:
        """Shut down every open connection (idle keep-alives, hung requests, watches)."""
        with self._connections_lock:
            connections = list(self._connections)
        for conn in connections:
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: EmulatorHTTPServer
    server_version = "mcp-kubectl-emulator"
    sys_version = ""
    # Go's net/http (a real API server) sets TCP_NODELAY; without it a kept-alive client
    # (kubectl proxy) waits ~40 ms for a delayed ACK between the header and body writes.
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: Any) -> None:  # the stdlib signature names `format`
        logger.debug("%s " + format, self.address_string(), *args)

    def do_GET(self) -> None:
        self._serve()

    do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = do_GET

    def _serve(self) -> None:
        started = time.perf_counter()
        split = urlsplit(self.path)
        path = split.path
        query_all = parse_qs(split.query, keep_blank_values=True)
        query = {k: v[0] for k, v in query_all.items()}
        user: str | None = None
        recorded = False

        def record(status: int) -> None:
            # Recorded before the answer is sent, so a test reading emu.requests right after kubectl
            # exits always finds it; duration_s is the server's time to produce the answer.
            nonlocal recorded
            recorded = True
            duration = time.perf_counter() - started
            self.server.request_log.add(
                RequestRecord(self.command, path, query, user, status, duration, self.headers.get("User-Agent", "")))
            logger.info("%s %s%s user=%s status=%s %.1fms", self.command, path,
                        f"?{split.query}" if split.query else "", user, status or "-", duration * 1000)

        try:
            body = self._read_body()
            response = self._faulted(path)
            if response is None:
                user = self.server.authenticator.user_for(self.headers.get("Authorization"))
                if user is None:
                    response = ApiResponse(401, dumps(errors.unauthorized().status()))
                else:
                    headers = {k.lower(): v for k, v in self.headers.items()}
                    request = ApiRequest(self.command, path, query, headers, body, user, query_all)
                    try:
                        response = self.server.api.handle(request)
                    except Exception as exc:  # a bug in the emulator: answer like apiserver's panic handler
                        logger.exception("internal error serving %s %s", self.command, self.path)
                        response = ApiResponse(500, dumps(errors.internal_error(str(exc)).status()))
            record(response.status)
            self._write(response)
        except _DropConnection:
            self.close_connection = True
        except (BrokenPipeError, ConnectionResetError, ssl.SSLError, OSError):
            self.close_connection = True
        finally:
            if not recorded:
                record(0)

    def _read_body(self) -> bytes:
        """The request body, sized by Content-Length or sent chunked (client-go streams some bodies)."""
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            parts: list[bytes] = []
            while True:
                size_line = self.rfile.readline(65537)
                size = int(size_line.split(b";", 1)[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline(65537) not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(parts)
                parts.append(self.rfile.read(size))
                self.rfile.readline(65537)
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def _upgrade(self, response: ApiResponse) -> None:
        """101 Switching Protocols, then the session owns the connection until it ends (exec)."""
        assert response.session is not None
        self.send_response(response.status)
        for name, value in response.headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.flush()
        self.close_connection = True
        response.session(self.rfile, self.wfile, self.server.closing)

    def _faulted(self, path: str) -> ApiResponse | None:
        for fault in self.server.faults.match(path):
            if fault.kind == "latency":
                self.server.closing.wait(fault.seconds)
            elif fault.kind == "hang":
                while not self.server.closing.is_set():
                    if self.server.faults.wait_for_release(0.2):
                        break
                raise _DropConnection
            elif fault.kind == "drop":
                raise _DropConnection
            elif fault.kind == "error_500":
                return ApiResponse(500, dumps(errors.internal_error("injected fault").status()))
        return None

    def _write(self, response: ApiResponse) -> None:
        if response.session is not None:
            self._upgrade(response)
            return
        self.send_response(response.status)
        self.send_header("Content-Type", response.content_type)
        self.send_header("Cache-Control", "no-cache, private")
        if response.stream is None:
            self.send_header("Content-Length", str(len(response.body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(response.body)
            return
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        self.wfile.flush()
        try:
            for chunk in response.stream:
                if self.server.closing.is_set():
                    break
                if chunk:
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                self.wfile.flush()
            self.wfile.write(b"0\r\n\r\n")
            self.wfile.flush()
        finally:
            self.close_connection = True
