"""Serve MCP over HTTP: streamable HTTP at `/mcp` (`--transport http`) or legacy SSE at `/sse` + `/messages/`.

Every request passes two gates, outermost first, before the SDK's transport sees it:

    Host / Origin allow-list   DNS-rebinding guard: bad Host -> 421, bad Origin -> 403
    /.well-known/*             404: no OAuth discovery, so clients do not start an OAuth flow
    bearer token               when a token is set: missing or wrong -> 401 + WWW-Authenticate

The Host check comes first so a rebinding page learns nothing, not even whether a
token is needed. `/healthz` answers "ok" before both gates (for kubelet probes,
which send the pod IP as Host and no token); it reveals nothing else.

Shutdown on SIGTERM/SIGINT is graceful: the listener closes, in-flight MCP requests
get `settings.shutdown_grace_s` to finish, then everything still running is cancelled, which makes the
runner kill each kubectl process group. No process is left behind.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import ipaddress
import json
import logging
import re
import secrets
import signal
import sys
import threading
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import uvicorn
from mcp.server.streamable_http import EventMessage, EventStore
from sse_starlette.sse import AppStatus

from mcp_kubectl.errors import SetupError
from mcp_kubectl.settings import Settings

if TYPE_CHECKING:
    from mcp.server.mcpserver import MCPServer

logger = logging.getLogger(__name__)

STREAMABLE_HTTP_PATH = "/mcp"
SSE_PATH = "/sse"
SSE_MESSAGE_PATH = "/messages/"
HEALTH_PATH = "/healthz"
WELL_KNOWN_PREFIX = "/.well-known/"
REALM = "mcp-kubectl"

# Host names that always mean this machine; a rebinding attack's Host is the attacker's name.
LOOPBACK_HOSTS: tuple[str, ...] = ("127.0.0.1", "localhost", "[::1]")
LOOPBACK_ORIGINS: tuple[str, ...] = tuple(
    f"{scheme}://{host}:*" for scheme in ("http", "https") for host in LOOPBACK_HOSTS
) + tuple(f"{scheme}://{host}" for scheme in ("http", "https") for host in LOOPBACK_HOSTS)

Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


def is_loopback_bind(host: str) -> bool:
    """True when `--host` only listens on this machine (127.0.0.0/8, ::1, localhost)."""
    if host.strip("[]").lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_exposure(settings: Settings) -> None:
    """Refuse to serve beyond loopback without a token, unless the user insisted.

    Raises `SetupError` (the command line turns it into exit status 2).
    """
    if settings.transport == "stdio":
        return
    if settings.stateless_http and settings.transport != "http":
        raise SetupError("--stateless applies to --transport http only", hint="Use --transport http for replicas behind a load balancer.")
    for origin in settings.allowed_origins:
        if origin != "*" and _parse_origin(origin) is None:
            raise SetupError(f"--allowed-origins: {origin!r} is not an origin", hint="Write scheme://host[:port], e.g. https://app.example.com or http://localhost:*.")
    for host in settings.allowed_hosts:
        if host != "*" and (host != host.strip() or _split_host(host, any_port=True) is None):
            raise SetupError(f"--allowed-hosts: {host!r} is not a host name", hint="Write name or name:port, without a scheme, e.g. mcp.example.com or mcp.example.com:8000.")
    if settings.auth_token is not None and not settings.auth_token.strip():
        raise SetupError("the auth token is empty", hint="Set a long random token, e.g. `openssl rand -hex 32`.")
    if settings.auth_token or settings.insecure_no_auth or is_loopback_bind(settings.host):
        return
    raise SetupError(
        f"refusing to serve on {settings.host}, which is reachable from other machines, without an auth token",
        hint=(
            "Set --auth-token-file FILE (or MCP_KUBECTL_AUTH_TOKEN), bind --host 127.0.0.1, "
            "or pass --insecure-no-auth if something in front of this server authenticates clients."
        ),
    )


_HOST_NAME = re.compile(r"[a-z0-9]([a-z0-9.-]*[a-z0-9])?")
_HOST_IPV6 = re.compile(r"\[[0-9a-f:.]+\]")


def _split_host(value: str, *, any_port: bool = False) -> tuple[str, str | None] | None:
    """'name:port' / '[::1]:port' / 'name' -> (name, port or None), name lower-cased;
    None when the value is not exactly a host and an optional port.

    Strict on purpose: `127.0.0.1:80@evil.example`, `host:80:81`, `host:`, `host:0x50`
    and names with other characters are not a loopback host with an odd port, they are
    not hosts at all.
    """
    value = value.strip().lower()
    if value.startswith("["):
        end = value.find("]")
        name, rest = value[: end + 1], value[end + 1 :]
        if end < 0 or not _HOST_IPV6.fullmatch(name):
            return None
    else:
        name, colon, port = value.partition(":")
        rest = colon + port
        if not _HOST_NAME.fullmatch(name):
            return None
    if not rest:
        return name, None
    port = rest[1:]
    if any_port and rest == ":*":
        return name, port
    if not rest.startswith(":") or not port.isascii() or not port.isdigit() or not 0 < int(port) < 65536:
        return None
    return name, port


@dataclass(frozen=True)
class HostPolicy:
    """Which Host and Origin headers may reach the server (the DNS-rebinding guard).

    Allowed hosts: `name` (any port), `name:port`, or `*` (any). Allowed origins:
    `scheme://host` (default port), `scheme://host:port`, `scheme://host:*` (any port),
    or `*`. Loopback names are always allowed. A request without an Origin (any
    non-browser client) passes the Origin check.
    """

    allowed_hosts: tuple[str, ...] = LOOPBACK_HOSTS
    allowed_origins: tuple[str, ...] = LOOPBACK_ORIGINS

    @classmethod
    def from_settings(cls, settings: Settings) -> HostPolicy:
        hosts = list(LOOPBACK_HOSTS)
        if not is_loopback_bind(settings.host) and settings.host not in ("0.0.0.0", "::", ""):
            # Binding one specific address: clients naturally use it as Host.
            hosts.append(f"[{settings.host}]" if ":" in settings.host else settings.host)
        hosts.extend(settings.allowed_hosts)
        return cls(allowed_hosts=tuple(hosts), allowed_origins=LOOPBACK_ORIGINS + tuple(settings.allowed_origins))

    def host_allowed(self, host: str | None) -> bool:
        """True when `host` is exactly `name` or `name:port` and matches an allowed entry."""
        if not host:
            return False
        entries = (_split_host(allowed, any_port=True) for allowed in self.allowed_hosts)
        return "*" in self.allowed_hosts or _matches_any(_split_host(host), entries)

    def origin_allowed(self, origin: str | None) -> bool:
        """True when there is no Origin (not a browser), or it matches an allowed entry."""
        if origin is None:
            return True
        return "*" in self.allowed_origins or _matches_any(_parse_origin(origin), map(_parse_origin, self.allowed_origins))


def _matches_any(wanted: tuple[str | None, ...] | None, entries: Iterable[tuple[str | None, ...] | None]) -> bool:
    """True when `wanted` (a parsed Host or Origin, its port last) equals an allowed entry but for the port,
    and the entry's port is the same, `*` (any) or not written (a Host entry: any). Entries that did not parse match nothing."""
    if wanted is None:
        return False
    return any(entry is not None and entry[:-1] == wanted[:-1] and entry[-1] in (None, "*", wanted[-1]) for entry in entries)


_DEFAULT_PORTS = {"http": "80", "https": "443"}


_ORIGIN = re.compile(
    r"(?P<scheme>[a-z][a-z0-9+.-]*)://(?P<name>\[[0-9a-f:.]+\]|[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?)(?::(?P<port>[0-9]{1,5}|\*))?/?"
)


def _parse_origin(origin: str) -> tuple[str, str, str] | None:
    """'https://Example.com:8443' -> ('https', 'example.com', '8443'); the default port when none is written.

    Exactly scheme://host[:port]: no user info, path, query or fragment (a browser's Origin has none),
    so `http://127.0.0.1:8000@evil.example` or `http://localhost?@evil.example` is not an origin.
    """
    match = _ORIGIN.fullmatch(origin.strip().lower())
    if match is None:
        return None
    scheme, name, port = match["scheme"], match["name"], match["port"]
    if port is None:
        port = _DEFAULT_PORTS.get(scheme, "")
    elif port != "*" and not 0 < int(port) <= 65535:
        return None
    return scheme, name, port


class RequestGuard:
    """ASGI middleware: the Host/Origin allow-list, then the bearer token."""

    def __init__(self, app: ASGIApp, *, policy: HostPolicy, token: str | None) -> None:
        self.app = app
        self.policy = policy
        self._token = token.encode("utf-8") if token else None
        self.draining = False  # set by GracefulServer once a shutdown has begun

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = _headers(scope)
        if scope.get("path") == HEALTH_PATH and scope.get("method") in ("GET", "HEAD"):
            await _respond(send, 200, {"status": "ok"})
            return
        host = headers.get("host")
        if not self.policy.host_allowed(host):
            logger.warning("refused a request with Host %r (not in the allowed hosts; see --allowed-hosts)", host)
            await _respond(send, 421, {"error": "misdirected_request", "message": "Host header not allowed"})
            return
        origin = headers.get("origin")
        if not self.policy.origin_allowed(origin):
            logger.warning("refused a request with Origin %r (not in the allowed origins; see --allowed-origins)", origin)
            await _respond(send, 403, {"error": "forbidden", "message": "Origin header not allowed"})
            return
        if str(scope.get("path", "")).startswith(WELL_KNOWN_PREFIX):
            # No OAuth here: a 401 on discovery paths sends clients into an OAuth flow that cannot work.
            await _respond(send, 404, {"error": "not_found", "message": "this server does not do OAuth; send a bearer token"})
            return
        if self._token is not None:
            problem = self._check_token(headers.get("authorization"))
            if problem is not None:
                client = scope.get("client") or ("?", 0)
                logger.warning("refused a request from %s: %s bearer token", client[0], problem)
                challenge = f'Bearer realm="{REALM}"'
                if problem == "wrong":
                    challenge += ', error="invalid_token"'
                await _respond(
                    send,
                    401,
                    {"error": "unauthorized", "message": "a valid bearer token is required"},
                    extra_headers=[(b"www-authenticate", challenge.encode("ascii"))],
                )
                return
        await self._serve(scope, receive, send)

    async def _serve(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Run the request; one cancelled by a shutdown ends quietly instead of with a traceback."""
        state = {"started": False, "done": False}

        async def tracking_send(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                state["started"] = True
            elif message["type"] == "http.response.body" and not message.get("more_body", False):
                state["done"] = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except asyncio.CancelledError:
            if not self.draining:
                raise
            logger.info("%s %s cancelled by the shutdown", scope.get("method"), scope.get("path"))
            with contextlib.suppress(Exception):
                if not state["started"]:
                    await _respond(send, 503, {"error": "shutting_down", "message": "the server is shutting down"})
                elif not state["done"]:
                    await send({"type": "http.response.body", "body": b"", "more_body": False})

    def _check_token(self, authorization: str | None) -> str | None:
        """None when the token is right; otherwise 'missing' or 'wrong' (never the token itself)."""
        assert self._token is not None
        if not authorization:
            return "missing"
        scheme, _, presented = authorization.partition(" ")
        if scheme.lower() != "bearer" or not presented.strip():
            return "missing"
        if hmac.compare_digest(presented.strip().encode("utf-8"), self._token):
            return None
        return "wrong"


def _headers(scope: Scope) -> dict[str, str]:
    """Request headers, names lower-cased; a repeated header keeps its first value."""
    out: dict[str, str] = {}
    for name, value in scope.get("headers", ()):
        out.setdefault(name.decode("latin-1").lower(), value.decode("latin-1"))
    return out


async def _respond(send: Send, status: int, body: dict[str, str], extra_headers: Sequence[tuple[bytes, bytes]] = ()) -> None:
    payload = json.dumps(body).encode("utf-8")
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(payload)).encode("ascii")), *extra_headers]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": payload})


class InFlight:
    """Counts MCP requests being handled, so shutdown can wait for them (and only them)."""

    def __init__(self) -> None:
        self.count = 0
        self._idle: asyncio.Event | None = None

    async def __call__(self, ctx: Any, call_next: Callable[[Any], Awaitable[Any]]) -> Any:
        """An MCP server middleware: every request (not notification) is counted while it runs."""
        if str(getattr(ctx, "method", "")).startswith("notifications/"):
            return await call_next(ctx)
        self.count += 1
        try:
            return await call_next(ctx)
        finally:
            self.count -= 1
            if self.count == 0 and self._idle is not None:
                self._idle.set()

    async def wait_idle(self, timeout_s: float) -> bool:
        """Wait until no request is in flight; False if the grace period ran out first."""
        if self.count == 0:
            return True
        self._idle = asyncio.Event()
        try:
            async with asyncio.timeout(timeout_s):
                while self.count:
                    self._idle.clear()
                    await self._idle.wait()
        except TimeoutError:
            return False
        return True


def build_app(server: MCPServer, settings: Settings, in_flight: InFlight | None = None) -> RequestGuard:
    """The ASGI app for `settings.transport` ("http" or "sse"), behind the request guard.

    `server` is the `MCPServer` from `create_server`; `in_flight`, when given, is
    installed as its middleware so graceful shutdown knows what is still running.
    """
    from mcp.server.transport_security import TransportSecuritySettings

    if in_flight is not None:
        server.middleware.append(in_flight)
    # The guard checks Host and Origin before auth; the SDK's own check would repeat it, later.
    sdk_security = TransportSecuritySettings(enable_dns_rebinding_protection=False)
    inner: Any  # Starlette apps are ASGI apps; their own signature types say so less plainly
    if settings.transport == "http":
        inner = server.streamable_http_app(
            streamable_http_path=STREAMABLE_HTTP_PATH,
            stateless_http=settings.stateless_http,
            # Event IDs on every SSE stream, so a client that lost its connection resumes (Last-Event-ID).
            event_store=None if settings.stateless_http else MemoryEventStore(),
            transport_security=sdk_security,
            host=settings.host,
        )
    elif settings.transport == "sse":
        sse_app: Any = server.sse_app(sse_path=SSE_PATH, message_path=SSE_MESSAGE_PATH, transport_security=sdk_security, host=settings.host)
        inner = _one_response_per_request(sse_app)
    else:
        raise SetupError(f"not an HTTP transport: {settings.transport!r}")
    return RequestGuard(inner, policy=HostPolicy.from_settings(settings), token=settings.auth_token)


class MemoryEventStore(EventStore):
    """The recent events of every streamable-HTTP stream, so a client whose connection dropped can
    resume with Last-Event-ID and lose no answer (the spec's SHOULD).

    Bounded: the oldest events are forgotten first. Event IDs are random, so one session cannot
    name (and replay) another's events.
    """

    def __init__(self, max_events: int = 256) -> None:
        self.max_events = max_events
        self._events: OrderedDict[str, tuple[str, Any]] = OrderedDict()

    async def store_event(self, stream_id: str, message: Any) -> str:
        event_id = secrets.token_urlsafe(16)
        self._events[event_id] = (stream_id, message)
        while len(self._events) > self.max_events:
            self._events.popitem(last=False)
        return event_id

    async def replay_events_after(self, last_event_id: str, send_callback: Callable[[Any], Awaitable[None]]) -> str | None:
        if last_event_id not in self._events:
            return None
        stream_id = self._events[last_event_id][0]
        ids = list(self._events)
        for event_id in ids[ids.index(last_event_id) + 1 :]:
            stream, message = self._events.get(event_id, ("", None))
            if stream == stream_id and message is not None:
                await send_callback(EventMessage(message, event_id))
        return stream_id


def _one_response_per_request(app: ASGIApp) -> ASGIApp:
    """Drop a second response on a request that already answered.

    The SDK's SSE endpoint returns an empty `Response()` after its event stream has
    ended (client gone, or shutdown), which uvicorn reports as a protocol error
    with a traceback on every SSE disconnect; there is nothing left to send.
    """

    async def guarded(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        started = False
        finished = False

        async def send_once(message: dict[str, Any]) -> None:
            nonlocal started, finished
            if message["type"] == "http.response.start":
                if started:
                    finished = True  # the late second response: swallow it whole
                    return
                started = True
            elif message["type"] == "http.response.body" and finished:
                return
            await send(message)

        await app(scope, receive, send_once)

    return guarded


def serve_http(server: MCPServer, settings: Settings) -> None:
    """Serve until SIGTERM or SIGINT, then shut down gracefully (see the module docstring)."""
    check_exposure(settings)
    # sse-starlette closes every event stream the moment a signal arrives, which would
    # cut off the answers of calls still in flight; GracefulServer closes them after.
    AppStatus.disable_automatic_graceful_drain()  # type: ignore[no-untyped-call]  # untyped in sse-starlette
    in_flight = InFlight()
    app = build_app(server, settings, in_flight)
    if not settings.auth_token:
        logger.warning("serving without an auth token: any process that can reach %s:%s can use this server", settings.host, settings.port)
    config = uvicorn.Config(
        app,
        host=settings.host,
        port=settings.port,
        log_config=None,  # our logging: stderr, configured by the command line
        lifespan="on",
        timeout_graceful_shutdown=1,
        server_header=False,
    )
    uvicorn_server = GracefulServer(config, guard=app, in_flight=in_flight, grace_s=settings.shutdown_grace_s)
    path = STREAMABLE_HTTP_PATH if settings.transport == "http" else SSE_PATH
    # Normal start-up is no warning: one plain line says where to connect, at any --log-level.
    print(f"mcp-kubectl: serving MCP ({settings.transport}) at http://{_url_host(settings.host)}:{settings.port}{path}", file=sys.stderr, flush=True)
    try:
        uvicorn_server.run()
    except SystemExit:
        # uvicorn exits this way when it cannot listen (it has logged why).
        raise SetupError(f"could not listen on {settings.host}:{settings.port}", hint="Choose another --port or --host.") from None
    print("mcp-kubectl stopped", file=sys.stderr, flush=True)


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host and not host.startswith("[") else host


class GracefulServer(uvicorn.Server):
    """uvicorn's server, with a shutdown that waits for in-flight MCP requests, not idle streams.

    uvicorn's own graceful shutdown waits for every open connection, and MCP clients
    keep a stream open while idle, so it would always use the whole grace period.
    This leans on uvicorn's `servers`, `server_state` and `handle_exit`; the SIGTERM
    tests in tests/integration/test_http.py notice if a uvicorn release moves them.
    """

    def __init__(self, config: Any, *, guard: RequestGuard, in_flight: InFlight, grace_s: float) -> None:
        super().__init__(config)
        self.guard = guard
        self.in_flight = in_flight
        self.grace_s = grace_s

    async def shutdown(self, sockets: Any = None) -> None:
        for listener in self.servers:
            listener.close()  # no new connections, so no new calls
        self.guard.draining = True
        pending = self.in_flight.count
        if pending:
            logger.warning("shutting down: waiting up to %gs for %d request(s) in flight", self.grace_s, pending)
            if await self.in_flight.wait_idle(self.grace_s):
                await asyncio.sleep(0.2)  # let the last answers reach their streams
            else:
                logger.warning("grace period over: cancelling %d request(s); their kubectl processes are killed", self.in_flight.count)
                for task in self.server_state.tasks:
                    task.cancel()
        # Event streams (SSE, and streamable HTTP's) close now, not at the signal.
        AppStatus.should_exit = True
        # uvicorn then closes connections (1 s for responses to flush), cancels what is
        # left, and runs the app's shutdown, which cancels the MCP sessions' tasks.
        await super().shutdown(sockets)

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        """SIGTERM/SIGINT start the graceful shutdown; a second SIGINT forces it.

        Unlike uvicorn's, the signal is not re-raised afterwards: a graceful stop exits 0.
        """
        if threading.current_thread() is not threading.main_thread():
            yield
            return
        original = {sig: signal.signal(sig, self.handle_exit) for sig in (signal.SIGINT, signal.SIGTERM)}
        try:
            yield
        finally:
            for sig, handler in original.items():
                signal.signal(sig, handler)
