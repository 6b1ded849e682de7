"""Run the server on the chosen transport until the client goes away or a signal arrives."""

from __future__ import annotations

import logging

from mcp_kubectl.settings import Settings

logger = logging.getLogger(__name__)


def serve(settings: Settings) -> None:
    """Serve over stdio (HTTP transports are added by `mcp_kubectl.http`)."""
    import anyio

    from mcp_kubectl.server import create_server

    server = create_server(settings)
    if settings.transport == "stdio":
        anyio.run(server.run_stdio_async)
        return
    from mcp_kubectl.http import serve_http

    serve_http(server, settings)
