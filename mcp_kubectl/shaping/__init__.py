"""Kubernetes data made lean for a model: pure functions, no cluster access.

- `objects`, `projection`: the fields worth reading, noise removed.
- `printers`: one port of kubectl's printers (tested against tables recorded from real kubectl).
- `summaries`, `events`: lists and events as compact rows.
- `budget`: the byte budget every answer fits in.
- `hints`: what to do next after an error.
"""
