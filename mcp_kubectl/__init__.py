"""mcp-kubectl: an MCP server that drives the user's own kubectl, safely.

Nothing is imported or started here: the server is built by
``mcp_kubectl.server.create_server(settings)`` so that importing the package
costs nothing and starts no process.

Module map (a call goes down the list, never up):

- `cli`, `check`, `demo`: the command line; `settings`: flags as one frozen value.
- `server`: builds the MCP server from `tools.table`; `transport`: stdio, HTTP, SSE.
- `tools`: the MCP edge: the tool table, tool functions by family (`reads`, `writes`, `workloads`,
  `helm`), `kit` to build them, argument checks, and `render`, which makes the model's text from data.
- `ops`: what each tool does, as functions over the cluster gateway, returning data.
- `cluster`: the gateway, discovery, kubeconfig, and the process sandbox that runs kubectl and helm.
- `safety`: authorization, validation, redaction, previews and confirmation, the audit log.
- `shaping`: pure functions that make Kubernetes data lean (printers, summaries, budget).
- `errors`: the typed errors every layer raises.
- `emulator`: a small Kubernetes API server for the tests and `mcp-kubectl demo`.
"""

from mcp_kubectl._version import __version__

__all__ = ["__version__"]
