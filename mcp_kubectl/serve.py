"""Run the server on the chosen transport until the client goes away or a signal arrives."""

from __future__ import annotations

import logging

from mcp_kubectl.settings import Settings

logger = logging.getLogger(__name__)


def serve(settings: Settings, *, shutdown_grace_s: float | None = None) -> None:
    """Serve over stdio, or over HTTP (`mcp_kubectl.http`) until SIGTERM/SIGINT.

    `shutdown_grace_s`: how long in-flight HTTP calls may run on after a signal.
    """
    import anyio

    from mcp_kubectl.server import create_server

    if settings.transport != "stdio":
        from mcp_kubectl.http import check_exposure

        check_exposure(settings)  # before any work
    server = create_server(settings)
    if settings.transport == "stdio":
        anyio.run(server.run_stdio_async)
        return
    from mcp_kubectl.http import DEFAULT_SHUTDOWN_GRACE_S, serve_http

    serve_http(server, settings, grace_s=DEFAULT_SHUTDOWN_GRACE_S if shutdown_grace_s is None else shutdown_grace_s)
