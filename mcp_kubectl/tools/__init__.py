"""The MCP edge: the tool table, and the tool functions that adapt arguments and render answers.

- `table`: every tool's name, gate, verbs, annotations and builder, read by registration, the
  runner's enabled verbs, the server instructions, `check` and the README test.
- `kubernetes`, `helm`: the tool functions; each calls one operation in `mcp_kubectl.ops`.
"""
