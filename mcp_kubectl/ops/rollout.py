"""rollout_resource: `kubectl rollout` for Deployments, StatefulSets and DaemonSets, one action per call.

Each action is one sandboxed `kubectl rollout ACTION` process, so the semantics are kubectl's own
(which revision undo picks, what status waits for, "skipped rollback", "already paused").
`status` and `history` are reads; `restart`, `undo`, `pause` and `resume` need --enable-update:
refused here with a typed error naming the flag, and by the runner, whose enabled verbs hold
`rollout restart` etc. only while --enable-update is on.

Authorized as the API server sees it: status gets and watches the object; history and undo
list its ReplicaSets (Deployments) or ControllerRevisions (the others); the writes patch it.
`status` waits at most `timeout_seconds` (capped) and then answers what is still pending,
not an error: a rollout in progress is a state, not a failure.
"""

from __future__ import annotations

from typing import Any

from mcp_kubectl.cluster.gateway import Address, Gateway
from mcp_kubectl.cluster.kubectl_errors import classify
from mcp_kubectl.cluster.runner import KubectlCommand
from mcp_kubectl.errors import InvalidArgument, KubectlFailed, ToolDisabled
from mcp_kubectl.safety import validation
from mcp_kubectl.shaping.budget import cut_text_head, lines_marker

READ_ACTIONS = ("status", "history")
WRITE_ACTIONS = ("restart", "undo", "pause", "resume")
ACTIONS = READ_ACTIONS + WRITE_ACTIONS
KINDS = {"deployments": "Deployment", "statefulsets": "StatefulSet", "daemonsets": "DaemonSet"}
PAUSABLE = ("deployments",)  # kubectl: "pausing is not supported" for the others
DEFAULT_WAIT_S = 5
MAX_WAIT_S = 60
_TIMED_OUT = "timed out waiting for the condition"


async def _target(gw: Gateway, kind: str, name: str, namespace: str | None, action: str) -> Address:
    """Locate and authorize the object, and every request kubectl rollout makes for this action."""
    validation.check_name(name)
    verb = "get" if action in READ_ACTIONS else "patch"
    target, _ = await gw.locate(kind, namespace, verb=verb, name=name)
    resource = target.resource
    if resource.group != "apps" or resource.name not in KINDS:
        raise InvalidArgument(
            f"rollout_resource takes a Deployment, StatefulSet or DaemonSet; not {resource.kind}", argument="kind"
        )
    if action in ("pause", "resume") and resource.name not in PAUSABLE:
        raise InvalidArgument(f"{action} is only for Deployments; {resource.kind}s cannot be paused", argument="action")
    if action in ("history", "undo"):  # kubectl reads the revisions: ReplicaSets or ControllerRevisions
        history = "replicasets.apps" if resource.name == "deployments" else "controllerrevisions.apps"
        await gw.locate(history, target.namespace, verb="list")
    if action == "status":
        gw.policy.authorize(target.request("watch", name))
    if action in ("restart", "undo", "pause", "resume"):
        gw.policy.authorize(target.request("get", name))
    return target


def _check_arguments(gw: Gateway, action: str, revision: int | None, dry_run: bool = False) -> None:
    if action not in ACTIONS:
        raise InvalidArgument(f"action must be one of {', '.join(ACTIONS)}; not {action!r}", argument="action")
    if action in WRITE_ACTIONS and not gw.settings.enable_update:
        raise ToolDisabled(f"rollout {action}").with_message(
            f"rollout_resource action {action!r} changes the cluster and needs --enable-update, which is off on this server"
        ).with_hint("Use action 'status' or 'history' to read; the operator can start mcp-kubectl with --enable-update.")
    if revision is not None and action not in ("undo", "history"):
        raise InvalidArgument("revision applies only to undo and history", argument="revision")
    if dry_run and action != "undo":
        raise InvalidArgument(
            f"kubectl rollout {action} has no dry run; only undo has", argument="dryRun",
            hint="Leave dryRun out; the operator can make every write ask first (--confirm-writes).",
        )


async def rollout_resource(
    gw: Gateway,
    kind: str,
    name: str,
    action: str,
    *,
    namespace: str | None = None,
    revision: int | None = None,
    timeout_seconds: int = DEFAULT_WAIT_S,
    dry_run: bool = False,
) -> dict[str, Any]:
    """Run one `kubectl rollout ACTION TYPE/NAME`; its text, redacted and within the byte budget."""
    _check_arguments(gw, action, revision, dry_run)
    # kubectl reads --timeout=0s as "wait forever": the least wait it is given is one second.
    wait = max(1, min(int(timeout_seconds), MAX_WAIT_S))
    target = await _target(gw, kind, name, namespace, action)
    flags = [f"--namespace={target.namespace}"] if target.namespace else []
    if action == "status":
        flags += ["--watch=true", f"--timeout={wait}s"]
    if revision is not None:
        flags.append(f"--to-revision={revision}" if action == "undo" else f"--revision={revision}")
    if dry_run:
        flags.append("--dry-run=server")
    command = KubectlCommand(f"rollout {action}", args=(f"{target.resource.full_name}/{name}",), flags=tuple(flags))
    data: dict[str, Any] = {"kind": KINDS[target.resource.name], "name": name, "action": action}
    if target.namespace:
        data["namespace"] = target.namespace
    if action == "status":
        # kubectl's own --timeout ends the wait; the process deadline only catches a hung API server.
        result = await gw.execute(command, timeout_s=wait + gw.settings.timeout_s)
        output = result.stdout.decode("utf-8", errors="replace").strip()
        if result.exit_code != 0 and _TIMED_OUT not in result.stderr:
            raise classify(result)
        done = result.exit_code == 0
        data["done"] = done
        lines = output.splitlines()
        if not done:
            data["pending"] = lines[-1] if lines else f"not finished after {wait}s"
        text = lines[-1] if lines else ""
        if not done:
            text = f"still rolling out after {wait}s: {data['pending']}"
    else:
        if action in WRITE_ACTIONS:
            data["dryRun"] = dry_run
        try:
            result = await gw.run(command)
        except KubectlFailed as error:
            raise _explained(error, action) from None
        text = result.stdout.decode("utf-8", errors="replace").strip()
    text = gw.shape_text(text)
    text, omitted = cut_text_head(text, gw.settings.budget_bytes)
    if omitted:
        data["truncated"] = lines_marker(omitted, gw.settings.budget_bytes, newest_kept=False, hint="ask for one revision")
        text += "\n" + data["truncated"]
    data["text"] = text
    return data


def _explained(error: KubectlFailed, action: str) -> KubectlFailed | InvalidArgument:
    """kubectl's refusals that are about the arguments become InvalidArgument, with what to do."""
    message = error.message.removeprefix("error: ")
    if "unable to find specified revision" in message or "no last revision to roll back to" in message:
        return InvalidArgument(message, argument="revision", hint="See the revisions with action 'history'.")
    if "cannot rollback a paused" in message:
        return InvalidArgument(message, argument="action", hint="Resume it first (action 'resume').")
    if "is already paused" in message or "is not paused" in message:
        return InvalidArgument(message, argument="action")
    return error


async def preview_rollout(
    gw: Gateway, kind: str, name: str, action: str, *, namespace: str | None = None, revision: int | None = None
) -> str:
    """What rollout_resource would do, for --confirm-writes."""
    _check_arguments(gw, action, revision)
    target = await _target(gw, kind, name, namespace, action)
    where = f"{target.namespace}/" if target.namespace else ""
    what = f"{KINDS[target.resource.name]} {where}{name}"
    return {
        "restart": f"restart {what}: every pod is replaced, as the update strategy allows",
        "undo": f"roll {what} back to " + (f"revision {revision}" if revision is not None else "its previous revision"),
        "pause": f"pause {what}: template changes are not rolled out until it is resumed",
        "resume": f"resume {what}: pending template changes roll out",
    }.get(action, f"{action} {what}")
