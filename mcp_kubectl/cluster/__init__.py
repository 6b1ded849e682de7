"""How the server reaches a cluster: one sandboxed process per call, or one checked HTTP read.

- `process`: the sandbox for any binary (filtered environment, deadline, process-group kill,
  output caps, concurrency slots, death with the parent) and each binary's argv policy.
- `runner`: kubectl on top of it (verbs the flags enable, server-owned global flags).
- `helm`: helm on top of it (allow-listed subcommands, the server's cluster flags).
- `gateway`: context, discovery, locate and authorize, then get parsed and redacted data.
- `fast_reads`: the same reads over HTTP without starting kubectl.
- `discovery`, `kubeconfig`, `kubectl_io`, `kubectl_errors`: what the gateway reads and parses.
"""
