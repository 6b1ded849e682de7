"""Run the server on the chosen transport until the client goes away or a signal arrives."""

from __future__ import annotations

import logging
import sys

from mcp_kubectl.settings import Settings

logger = logging.getLogger(__name__)

WAITING_ON_A_TERMINAL = (
    "mcp-kubectl: waiting for an MCP client on stdin (an MCP client starts this command itself; "
    "Ctrl-C to quit). To see it working, run: mcp-kubectl demo"
)


def serve(settings: Settings) -> None:
    """Serve over stdio, or over HTTP (`mcp_kubectl.transport.http_app`) until SIGTERM/SIGINT."""
    import anyio

    from mcp_kubectl.server import create_server

    if settings.transport != "stdio":
        from mcp_kubectl.transport.http_app import check_exposure

        check_exposure(settings)  # before any work
    server = create_server(settings)
    if settings.transport == "stdio":
        if sys.stdin.isatty():
            # A person ran it by hand: say why nothing seems to happen.
            print(WAITING_ON_A_TERMINAL, file=sys.stderr, flush=True)
        anyio.run(server.run_stdio_async)
        return
    from mcp_kubectl.transport.http_app import serve_http

    serve_http(server, settings)
