"""What each tool does, as plain async functions over a `Gateway`, grouped by family.

- `reads`: discovery, lists, one object, pod logs, events, describe, contexts.
- `writes`: create, update (server-side apply of existing objects only), delete.
- `previews`: diff, and what --confirm-writes shows the person before a write.
- `diagnose` (over `diagnosis`, the pure findings), `scaling`: day-two operations.
- `helm`: Helm releases and repositories, every rendered object authorized.
- `kubernetes`: the gateway with each operation as a method, for the tool layer.

Each validates the model's values, locates and authorizes through the gateway, and returns
data (a dict, or a small frozen dataclass such as `reads.ListPage`), never text for the model:
the MCP layer (`mcp_kubectl.tools`) adapts arguments and errors and renders answers at the edge.
"""
