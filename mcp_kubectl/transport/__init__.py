"""Serving the MCP server: stdio, or streamable HTTP and legacy SSE behind a request guard.

- `launch`: run on the chosen transport until the client leaves or a signal arrives.
- `http_app`: the guarded ASGI app (Host, Origin, token, in-flight limits) and uvicorn.
"""
