"""The MCP edge: the tool table, the tool functions by family, and rendering for the model.

- `table`: every tool's name, gate, verbs, annotations, builder and renderer, read by registration,
  the runner's enabled verbs, the server instructions, `check` and the README test.
- `reads`, `writes`, `workloads`, `helm`: the tool functions, by family; each calls one operation.
- `kit`: what they are built with (`ToolKit`, `build_tool`, the answer and audit wrapper);
  `arguments`: the input schema trimmed and arguments checked against it; `schemas`: answer schemas.
- `render`: the answer's data as the text the model reads.
"""
