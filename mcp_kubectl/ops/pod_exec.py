"""exec_in_pod: run one command (an argv list, no shell, no TTY, no stdin) in a pod's container.

`kubectl exec POD --container=C -- ARGV...`: the command goes after `--`, so kubectl never reads
it as flags, and it reaches the container as the list it was (a shell runs only if the caller
names one). Authorized as the API server sees it, `create` on `pods/exec` (so
`--denied-resources pods/exec` refuses it), plus `get` on the pod, which is read first to
choose the container as kubectl would and to fail clearly on a missing container or a
finished pod. A deadline stops kubectl (`Timeout`); the sandbox's output cap stops a flood
(`OutputTooLarge`); the tool edge keeps the newest output within the byte budget. A command that
exits non-zero is an answer with its `exitCode`, not an error: its output is what the model
needs. Values of the Secrets the container's env references are scrubbed from the output when
the policy lets them be read.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from mcp_kubectl.cluster.gateway import Address
from mcp_kubectl.cluster.kubectl_errors import classify
from mcp_kubectl.cluster.kubectl_io import parse_json
from mcp_kubectl.cluster.runner import KubectlCommand
from mcp_kubectl.errors import InvalidArgument, KubectlFailed, McpKubectlError, Reason, Timeout
from mcp_kubectl.safety import validation
from mcp_kubectl.safety.redaction import SecretValues
from mcp_kubectl.shaping.budget import size_of

if TYPE_CHECKING:
    from mcp_kubectl.cluster.gateway import Gateway

DEFAULT_EXEC_TIMEOUT_S = 30
MAX_EXEC_TIMEOUT_S = 300
MAX_ARGS = 256
MAX_COMMAND_BYTES = 32 * 1024
DEFAULT_CONTAINER_ANNOTATION = "kubectl.kubernetes.io/default-container"

# kubectl's last stderr line when the remote command, not kubectl, exited non-zero.
_REMOTE_EXIT = re.compile(r"^command terminated with exit code (\d+)$")


@dataclass(frozen=True)
class ExecPlan:
    """Where a command will run, decided before anything runs (also what a confirmation shows)."""

    target: Address
    name: str
    container: str
    command: tuple[str, ...]
    secrets: tuple[str, ...]  # the Secrets the container's env names

    def describe(self) -> str:
        return f"run {json.dumps(list(self.command))} in pod {self.target.namespace}/{self.name}, container {self.container}"


def check_command(command: list[str]) -> tuple[str, ...]:
    """An argv list: at least one word, each a string without NUL, bounded in count and size."""
    if not isinstance(command, list) or not command:
        raise InvalidArgument("command must be a non-empty list of strings (an argv, not a shell line)", argument="command")
    if len(command) > MAX_ARGS:
        raise InvalidArgument(f"command has more than {MAX_ARGS} arguments", argument="command")
    for word in command:
        if not isinstance(word, str) or "\x00" in word:
            raise InvalidArgument("every command word must be a string without NUL characters", argument="command")
    if not command[0]:
        raise InvalidArgument("command[0] (the program) is empty", argument="command")
    if sum(size_of(word) for word in command) > MAX_COMMAND_BYTES:
        raise InvalidArgument(f"command is longer than {MAX_COMMAND_BYTES} bytes", argument="command")
    return tuple(command)


def _choose_container(pod: dict[str, Any], name: str, container: str | None) -> dict[str, Any]:
    """The container spec to run in: the one named, else the default-container annotation's, else the first."""
    specs = (pod.get("spec") or {}).get("containers") or []
    names = [str(c.get("name", "")) for c in specs]
    wanted = container or ((pod.get("metadata") or {}).get("annotations") or {}).get(DEFAULT_CONTAINER_ANNOTATION)
    if wanted in names:
        return dict(specs[names.index(wanted)])
    if container:
        raise InvalidArgument(
            f"pod {name!r} has no container {container!r}", argument="container", hint=f"Its containers: {', '.join(names) or '(none)'}."
        )
    if not specs:
        raise InvalidArgument(f"pod {name!r} has no containers", argument="name")
    return dict(specs[0])


def _referenced_secrets(container: dict[str, Any]) -> tuple[str, ...]:
    names = {((e.get("valueFrom") or {}).get("secretKeyRef") or {}).get("name") for e in container.get("env") or []}
    names |= {(e.get("secretRef") or {}).get("name") for e in container.get("envFrom") or []}
    return tuple(sorted(n for n in names if isinstance(n, str) and n))


async def plan_exec(gw: Gateway, name: str, command: list[str], *, namespace: str | None, container: str | None) -> ExecPlan:
    """Validate, authorize (create pods/exec, get the pod) and read the pod: where the command will run."""
    validation.check_name(name)
    argv = check_command(command)
    if container is not None:
        validation.check_container(container)
    target, _ = await gw.locate("pods", namespace, verb="create", name=name, subresource="exec")
    gw.policy.authorize(target.request("get", name))
    pod = parse_json(await gw.get_raw(gw.api_path(target, name)))
    spec = _choose_container(pod, name, container)
    phase = (pod.get("status") or {}).get("phase", "")
    if phase in ("Succeeded", "Failed"):
        raise InvalidArgument(
            f"pod {name!r} has finished (phase {phase}); exec needs a running container",
            argument="name",
            hint="Read its logs with get_pod_logs instead.",
        )
    return ExecPlan(target, name, str(spec.get("name", "")), argv, _referenced_secrets(spec))


async def _known_secrets(gw: Gateway, plan: ExecPlan) -> SecretValues:
    """Values of the Secrets the env references, to scrub from the output (those the policy lets us read)."""
    known = SecretValues()
    if gw.settings.show_secrets or not plan.secrets:
        return known
    try:
        secrets = Address(await gw.resolve("secrets"), plan.target.namespace)
    except McpKubectlError:
        return known
    for secret in plan.secrets:
        try:
            gw.policy.authorize(secrets.request("get", secret))
            known.add(parse_json(await gw.get_raw(gw.api_path(secrets, secret))))
        except McpKubectlError:
            continue  # unreadable here: its values cannot be recognised (the README says so)
    return known


def remote_exit_code(exit_code: int, stderr: str) -> tuple[int, str] | None:
    """(the command's exit code, its own stderr) when kubectl ran it; None when kubectl itself failed."""
    if exit_code == 0:
        return 0, stderr
    lines = stderr.rstrip("\n").split("\n")
    match = _REMOTE_EXIT.match(lines[-1].strip()) if lines else None
    if match is None or int(match.group(1)) != exit_code:
        return None
    return exit_code, "\n".join(lines[:-1]) + ("\n" if len(lines) > 1 else "")


async def exec_in_pod(
    gw: Gateway,
    name: str,
    command: list[str],
    *,
    namespace: str | None = None,
    container: str | None = None,
    timeout_seconds: int = DEFAULT_EXEC_TIMEOUT_S,
) -> dict[str, Any]:
    """Run `command` in the container: its exit code, stdout and stderr, redacted and whole (the
    sandbox caps them); the tool edge fits them to the budget left beside the heading it prints."""
    if not 1 <= timeout_seconds <= MAX_EXEC_TIMEOUT_S:
        raise InvalidArgument(f"timeoutSeconds must be between 1 and {MAX_EXEC_TIMEOUT_S}", argument="timeoutSeconds")
    plan = await plan_exec(gw, name, command, namespace=namespace, container=container)
    known = await _known_secrets(gw, plan)
    flags = (f"--namespace={plan.target.namespace}", f"--container={plan.container}")
    run = KubectlCommand("exec", args=(plan.name,), flags=flags, trailing=plan.command)
    try:
        result = await gw.execute(run, timeout_s=timeout_seconds)
    except Timeout:
        raise Timeout(
            f"the command did not finish within {timeout_seconds}s; kubectl was stopped",
            hint="Raise timeoutSeconds (at most 300), or run something quicker; the process may still run in the container.",
        ) from None
    remote = remote_exit_code(result.exit_code, result.stderr)
    if remote is None:
        error = classify(result)
        if "does not have a host assigned" in error.message:  # the API server's answer for an unscheduled pod
            error = KubectlFailed(
                error.message.removeprefix("error: "),
                reason=Reason.BAD_REQUEST,
                argv=result.argv,
                exit_code=result.exit_code,
                hint="The pod is not scheduled on a node, so no container runs yet; diagnose_resource says why.",
            )
        raise gw.scrub_error(error, known)
    exit_code, stderr = remote
    stdout = gw.shape_text(result.stdout.decode("utf-8", errors="replace"), known)
    stderr = gw.shape_text(stderr, known)
    return {
        "pod": plan.name, "namespace": plan.target.namespace, "container": plan.container,
        "command": list(plan.command), "exitCode": exit_code, "stdout": stdout, "stderr": stderr,
    }  # fmt: skip


async def preview_exec(gw: Gateway, name: str, command: list[str], *, namespace: str | None, container: str | None) -> str:
    """What exec_in_pod would run, for --confirm-writes: the pod, the container and the full argv."""
    plan = await plan_exec(gw, name, command, namespace=namespace, container=container)
    return plan.describe()
