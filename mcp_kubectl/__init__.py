"""mcp-kubectl: an MCP server that drives the user's own kubectl, safely.

Nothing is imported or started here: the server is built by
``mcp_kubectl.server.create_server(settings)`` so that importing the package
costs nothing and starts no process.
"""

from mcp_kubectl._version import __version__

__all__ = ["__version__"]
