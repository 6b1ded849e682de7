"""A Kubernetes API emulator that the real kubectl (1.32 and 1.37) accepts: the project's test bed and demo cluster.

It is an emulator, not a cluster: objects live in memory and nothing runs. ``Emulator`` is the Python
API (a context manager for tests); ``python -m mcp_kubectl.emulator --help`` is the command line.

Modules: ``emulator`` (lifecycle, seeding entry points), ``server`` (HTTP/TLS, faults, request log),
``api`` (REST semantics), ``store`` (objects, resource versions), ``selectors``, ``tables`` (server-side
printing), ``podlogs``, ``podexec`` and ``websocket`` (exec), ``metrics`` (metrics.k8s.io), ``controllers`` (Deployment → ReplicaSet → Pod stand-ins), ``protobuf`` (the
writes kubectl's typed clients send), ``validation`` (names, defaults), ``auth``, ``certs``,
``kubeconfig``, ``seeding``, ``errors``; ``catalog``, ``openapi``, ``patch`` and ``apply`` hold the
resource types, OpenAPI documents, patch flavours and server-side apply.

Known gaps against a real apiserver:
- Validation covers names, a few spec rules and immutable fields (``validation``), not schemas: most
  field values go unchecked, and ``fieldValidation=Strict`` finds unknown fields only at the top level
  of common kinds (and in a Deployment's spec).
- Controllers: Deployments and ReplicaSets get pods at once (Running, Ready) and Jobs report themselves
  Complete (without pods); nothing else reconciles (no StatefulSet or DaemonSet pods, no CronJob runs, no
  endpoints, no scheduling, no restarts); namespace deletion and the garbage collector's cascade happen
  synchronously, with no Terminating phase to observe.
- Protobuf request bodies (kubectl's typed clients) decode only for ConfigMap, Secret, Namespace,
  ServiceAccount, Deployment, Service, Job, CronJob, RBAC kinds, DeleteOptions and SelfSubjectAccessReview;
  other typed writes (``kubectl create quota|ingress|pdb|token``, ``kubectl autoscale``) answer 415.
- exec answers a fixed set of commands (``podexec``) over WebSocket only (no SPDY); metrics are computed
  (``metrics``), not measured. No attach, port-forward, proxy, CSR or token requests; no aggregated discovery (kubectl
  falls back to legacy discovery, as it does against old servers); OpenAPI v2 is an empty document.
- Watches replay from a bounded in-memory event log; no "too old resource version" (410) answers.
- Plain-HTTP mode (``tls=False``) treats requests without a token as admin: kubectl sends no bearer token
  over HTTP.
"""

from mcp_kubectl.emulator.auth import Rule
from mcp_kubectl.emulator.emulator import Emulator
from mcp_kubectl.emulator.server import RequestRecord

__all__ = ["Emulator", "RequestRecord", "Rule"]
