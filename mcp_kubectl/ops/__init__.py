"""What each tool does, as plain async functions over a `Gateway`, grouped by family.

- `reads`: discovery, lists, one object, pod logs, events, describe, contexts.
- `writes`: create, update (server-side apply of existing objects only), delete.
- `previews`: diff, and what --confirm-writes shows the person before a write.

Each validates the model's values, locates and authorizes through the gateway, and returns
data (a dict, or a `Reply` whose text for the model is leaner than its data). The MCP layer
(`mcp_kubectl.tools`) adapts arguments and errors at the edge.
"""
