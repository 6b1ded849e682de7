"""`mcp-kubectl check`: say plainly whether this setup can work, and why not if not."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from mcp_kubectl.errors import McpKubectlError
from mcp_kubectl.settings import Settings

if TYPE_CHECKING:
    from mcp_kubectl.cluster.kubeconfig import KubeconfigView
    from mcp_kubectl.cluster.runner import KubectlRunner
    from mcp_kubectl.safety.policy import Policy

T = TypeVar("T")


def run_check(settings: Settings, *, echo: Callable[[str], None]) -> int:
    """Check kubectl, the kubeconfig, the cluster; print one line each; 0 only if all pass."""
    return asyncio.run(_check(settings, echo))


class _Failed(Exception):
    """A step of `check` failed: the message is the rest of its FAIL line."""


def _step(label: str, step: Callable[[], T], *, with_hint: bool = True) -> T:
    """Run one step; a typed error becomes the FAIL line that names the step."""
    try:
        return step()
    except McpKubectlError as error:
        raise _Failed(f"{label}: {error.message}" + (f". {error.hint}" if with_hint else "")) from None


async def _check(settings: Settings, echo: Callable[[str], None]) -> int:
    try:
        return await _check_steps(settings, echo)
    except _Failed as failed:
        echo(f"FAIL {failed}")
        return 1


async def _check_steps(settings: Settings, echo: Callable[[str], None]) -> int:
    from mcp_kubectl.cluster.kubeconfig import load_kubeconfig
    from mcp_kubectl.cluster.kubectl_errors import classify
    from mcp_kubectl.cluster.runner import KubectlCommand, KubectlRunner, resolve_kubectl
    from mcp_kubectl.safety.policy import Policy
    from mcp_kubectl.tools.table import enabled_tools, enabled_verbs

    policy = _step("policy", lambda: Policy.from_settings(settings))
    kubectl = _step("kubectl", lambda: resolve_kubectl(settings.kubectl))
    runner = KubectlRunner(settings, kubectl, enabled_verbs=enabled_verbs(settings, "kubectl"))
    runner.cache_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        client = await runner.run(KubectlCommand("version", flags=("--client=true", "--output=json")))
        version = json.loads(client.stdout)["clientVersion"]["gitVersion"]
    except (McpKubectlError, ValueError, KeyError) as error:
        raise _Failed(f"kubectl at {kubectl} did not run: {error}") from None
    echo(f"ok   kubectl {version} at {kubectl}")
    view = _step("kubeconfig", lambda: load_kubeconfig(settings.kubeconfig), with_hint=False)
    context = settings.context or view.current_context
    problem = view.problem(settings.context)
    if problem is not None:
        raise _Failed(f"{problem.message}. {problem.hint}")
    info = view.context(context)
    if info is None:
        where = "in-cluster service account" if view.in_cluster else "kubeconfig"
        raise _Failed(f"context {context!r} not found in the {where}; contexts: {', '.join(c.name for c in view.contexts) or 'none'}")
    echo(f"ok   context {info.name}: cluster {info.cluster} at {info.server}, namespace {info.namespace}")
    result = await runner.run(KubectlCommand("version", flags=("--output=json",)))
    if result.exit_code != 0:
        raise _Failed(f"cluster unreachable: {classify(result).message}")
    server_version = json.loads(result.stdout).get("serverVersion", {}).get("gitVersion", "unknown")
    echo(f"ok   API server {server_version} reachable")
    if not await _check_policy(settings, policy, runner, view, echo):
        return 1
    helm_line, helm_found = await _check_helm(settings)
    echo(helm_line)
    echo(f"ok   tools that would be enabled: {', '.join(spec.name for spec in enabled_tools(settings) if helm_found or not spec.helm)}")
    return 0


async def _check_policy(settings: Settings, policy: Policy, runner: KubectlRunner, view: KubeconfigView, echo: Callable[[str], None]) -> bool:
    """Each deny rule against the cluster's types: a rule that denies nothing served is a failure."""
    from mcp_kubectl.cluster.process import RunLog
    from mcp_kubectl.ops.kubernetes import Kubernetes

    if policy.namespace_rules:
        state = "allowed (--allow-cluster-writes)" if policy.allow_cluster_writes else "refused (a namespace rule is set)"
        echo(f"ok   writes to cluster-scoped types: {state}")
    if not policy.rules:
        return True
    try:
        served = await Kubernetes(settings, runner, view).for_call(RunLog(), settings.context).api_resources(refresh=True)
    except McpKubectlError as error:
        echo(f"FAIL discovery for the deny rules: {error.message}")
        return False
    ok = True
    for rule in policy.rules:
        denied = sorted(r.qualified_name + (f"/{rule.subresource}" if rule.subresource else "") for r in served if rule.matches(r, rule.subresource))
        if denied:
            echo(f"ok   --denied-resources {rule.spelling} denies {', '.join(denied)}")
        else:
            echo(f"FAIL --denied-resources {rule.spelling} denies no type this cluster serves (a typo, or a type not installed yet)")
            ok = False
    return ok


async def _check_helm(settings: Settings) -> tuple[str, bool]:
    """One line on helm (its version, or why the Helm tools are not offered: never a failure of the
    check), and whether the server would find it."""
    from mcp_kubectl.cluster.helm import HelmCommand, HelmRunner, resolve_helm
    from mcp_kubectl.tools.table import enabled_verbs

    if not enabled_verbs(settings, "helm"):
        return "ok   Helm tools: all disabled", False
    try:
        path = resolve_helm(settings.helm)
    except McpKubectlError as error:
        return f"note helm: {error.message}; the Helm tools are not offered ({error.hint})", False
    result = await HelmRunner(settings, path, {"version"}).run(HelmCommand("version", flags=("--short",), cluster=False))
    if result.exit_code != 0:
        return f"note helm at {path} did not run ({result.stderr.strip()[:200]}); the Helm tools will fail", True
    return f"ok   helm {result.stdout.decode(errors='replace').strip()} at {path}", True
