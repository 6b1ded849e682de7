"""What may be done, what the person sees before it is done, what is hidden, what is recorded.

- `policy`: one stateless `authorize(Request)` over Kubernetes authorization attributes.
- `validation`, `manifests`: the model's values and manifests, checked before kubectl sees them.
- `describe_requests`: every object kubectl describe reads, so each passes `authorize`.
- `redaction`: Secret values out of every answer, structurally and in kubectl's text.
- `previews`, `confirm`: what --confirm-writes shows the person, and asking them.
- `audit`: one JSON line per call.
"""
