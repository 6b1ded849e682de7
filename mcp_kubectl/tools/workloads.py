"""The workload tools (day two): diagnose, top, scale, rollout, exec.

Scale, rollout's write actions and exec ask for confirmation like every write (see
`mcp_kubectl.tools.writes`). Exec's output is fitted here, beside the heading the model reads.
"""

# No `from __future__ import annotations`: the SDK reads the tool signatures at registration,
# and the confirmation resolvers are closures it must see as objects.
from typing import Annotated, Any, Literal

from mcp.server.mcpserver import Context
from pydantic import Field

from mcp_kubectl.ops import diagnose, pod_exec, rollout, scaling, top
from mcp_kubectl.ops.kubernetes import Kubernetes
from mcp_kubectl.shaping.budget import cut_text_tail, lines_marker, size_of
from mcp_kubectl.tools import render
from mcp_kubectl.tools.kit import DryRun, Kind, Resolver, ToolKit
from mcp_kubectl.tools.schemas import BOOL, CUT, INT, STR, STRS, answer, array, obj

DIAGNOSIS = answer(
    {"kind": STR, "name": STR, "healthy": BOOL, "findings": array(obj({"reason": STR, "detail": STR})), "text": STR}, {"namespace": STR, **CUT}
)
TOP = answer(
    {"kind": STR, "sortBy": STR, "count": INT, "total": INT, "items": array(obj({"name": STR, "cpuMillicores": INT, "memoryBytes": INT}))},
    {"namespace": STR, **CUT},
)
SCALED = answer({"dryRun": BOOL, "kind": STR, "name": STR, "oldReplicas": INT, "newReplicas": INT}, {"namespace": STR})
ROLLOUT = answer({"kind": STR, "name": STR, "action": STR, "text": STR}, {"namespace": STR, "dryRun": BOOL, "done": BOOL, "pending": STR, "truncated": STR})
EXEC = answer({"pod": STR, "namespace": STR, "container": STR, "command": STRS, "exitCode": INT, "stdout": STR, "stderr": STR}, {"truncated": STR})


async def diagnose_resource(ops: Kubernetes, kind: Kind, name: str, namespace: str | None = None) -> Annotated[dict[str, Any], DIAGNOSIS]:
    """Why a Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob or Service is unhealthy: ranked findings with evidence (pods, events, crash logs)."""
    return await diagnose.diagnose_resource(ops, kind, name, namespace=namespace)


async def top_resources(
    ops: Kubernetes,
    kind: Literal["pods", "nodes"] = "pods",
    namespace: str | None = None,
    containers: Annotated[bool, Field(description="Per container too.")] = False,
    sortBy: Literal["cpu", "memory"] = "cpu",
    limit: Annotated[int, Field(ge=1, le=top.MAX_TOP_LIMIT)] = top.DEFAULT_TOP_LIMIT,
) -> Annotated[dict[str, Any], TOP]:
    """CPU and memory use of pods or nodes (metrics-server), heaviest first."""
    return await top.top_resources(ops, kind, namespace=namespace, containers=containers, sort_by=sortBy, limit=limit)


async def scale_resource(
    ops: Kubernetes,
    kind: Kind,
    name: str,
    replicas: Annotated[int, Field(ge=0, le=10000, description="The new replica count.")],
    namespace: str | None = None,
    dryRun: DryRun = False,
) -> Annotated[dict[str, Any], SCALED]:
    """Set the replica count of a Deployment, StatefulSet, ReplicaSet or any type with a scale subresource; answers old and new count."""
    return await scaling.scale_resource(ops, kind, name, replicas, namespace=namespace, dry_run=dryRun)


async def rollout_resource(
    ops: Kubernetes,
    kind: Annotated[str, Field(description="deployment, statefulset, daemonset")],
    name: str,
    action: Annotated[Literal["status", "history", "restart", "undo", "pause", "resume"], Field(description="Writes need --enable-update.")],
    namespace: str | None = None,
    revision: Annotated[int | None, Field(ge=1, description="undo to it; history of it.")] = None,
    timeoutSeconds: Annotated[int, Field(ge=0, le=60, description="status: seconds to wait.")] = 5,
    dryRun: Annotated[bool, Field(description="undo only.")] = False,
) -> Annotated[dict[str, Any], ROLLOUT]:
    """kubectl rollout of a Deployment, StatefulSet or DaemonSet; status waits, then says what is pending."""
    return await rollout.rollout_resource(ops, kind, name, action, namespace=namespace, revision=revision, timeout_seconds=timeoutSeconds, dry_run=dryRun)


async def exec_in_pod(
    ops: Kubernetes,
    name: Annotated[str, Field(description="Pod name.")],
    command: Annotated[list[str], Field(description='argv, e.g. ["cat", "/etc/hostname"]; no shell unless you name one.')],
    namespace: str | None = None,
    container: Annotated[str | None, Field(description="Default: the pod's default container.")] = None,
    timeoutSeconds: Annotated[int, Field(ge=1, le=pod_exec.MAX_EXEC_TIMEOUT_S)] = pod_exec.DEFAULT_EXEC_TIMEOUT_S,
) -> Annotated[dict[str, Any], EXEC]:
    """Run a command in a pod's container (no TTY, no stdin): exitCode, stdout, stderr."""
    ran = await pod_exec.exec_in_pod(ops, name, command, namespace=namespace, container=container, timeout_seconds=timeoutSeconds)
    return fit_exec_output(ran, ops.settings.budget_bytes)


def fit_exec_output(ran: dict[str, Any], budget_bytes: int) -> dict[str, Any]:
    """The newest output that fits beside the heading the model reads (`render.exec_heading`):
    stderr gets at most a quarter of the budget, stdout what the heading, stderr and 512
    bytes for the markers leave. Fitted here, at the edge, because the heading is text."""
    stderr, cut_err = cut_text_tail(ran["stderr"], budget_bytes // 4)
    room = budget_bytes - size_of(render.exec_heading(ran)) - size_of(stderr) - 512
    stdout, cut_out = cut_text_tail(ran["stdout"], max(0, room))
    fitted = {**ran, "stdout": stdout, "stderr": stderr}
    if cut_out or cut_err:
        fitted["truncated"] = lines_marker(cut_out + cut_err, budget_bytes, newest_kept=True, hint=EXEC_HINT)
    return fitted


EXEC_HINT = "print less (head, grep, a narrower command)"


# Their confirmation resolvers (named in their table rows): each asks the person with a preview.


def confirm_scale(kit: ToolKit) -> Resolver:
    async def confirm(
        ctx: Context, kind: str, name: str, replicas: int, namespace: str | None = None, dryRun: bool = False, context: str | None = None
    ) -> Any:
        return await kit.confirmer.ask(
            ctx, "scale", dryRun, lambda: scaling.preview_scale(kit.for_preview(context), kind, name, replicas, namespace=namespace)
        )

    return confirm


def confirm_rollout(kit: ToolKit) -> Resolver:
    async def confirm(
        ctx: Context, kind: str, name: str, action: str, namespace: str | None = None, revision: int | None = None,
        dryRun: bool = False, context: str | None = None,
    ) -> Any:  # fmt: skip
        reads = action in rollout.READ_ACTIONS  # status and history change nothing: never asked
        return await kit.confirmer.ask(
            ctx, f"rollout {action}", dryRun or reads,
            lambda: rollout.preview_rollout(kit.for_preview(context), kind, name, action, namespace=namespace, revision=revision),
        )  # fmt: skip

    return confirm


def confirm_exec(kit: ToolKit) -> Resolver:
    async def confirm(
        ctx: Context, name: str, command: list[str], namespace: str | None = None, container: str | None = None, context: str | None = None
    ) -> Any:
        return await kit.confirmer.ask(
            ctx, "exec", False, lambda: pod_exec.preview_exec(kit.for_preview(context), name, command, namespace=namespace, container=container)
        )

    return confirm
