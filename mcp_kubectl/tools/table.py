"""The one table of tools: name, gate, the verbs each binary may run for it, annotations, handler,
and for a write its confirmation.

Everything that needs to know which tools exist reads this table and nothing else:
registration (`mcp_kubectl.server`), the runner's enabled verbs (`enabled_verbs`),
the server instructions, `mcp-kubectl check`, and the README test. Adding a tool is
one row here, one operation, one tool function in its family's module (`reads`, `writes`,
`workloads`, `helm`), its tests and its README row.

A gate is the command-line flag that turns a tool on (a `Settings` field); `ALWAYS`
has none. A tool lists every verb it may run, per binary: kubectl's now; a Helm
tool adds `helm=frozenset({"install"})` and its own gate (`--enable-helm-install`).
No verb runs unless an enabled tool lists it.
"""

from __future__ import annotations

from dataclasses import dataclass

from mcp_types import ToolAnnotations

from mcp_kubectl.settings import Settings
from mcp_kubectl.tools import helm as helm_tools
from mcp_kubectl.tools import reads, render, workloads, writes
from mcp_kubectl.tools.kit import ConfirmationOf, ToolFunction


@dataclass(frozen=True)
class Gate:
    """The flag that enables a tool: a boolean `Settings` field, or none (always on)."""

    setting: str | None
    default_on: bool = False

    @property
    def flag(self) -> str:
        """The command-line flag, as the README and `check` spell it."""
        return "always" if self.setting is None else "--" + self.setting.replace("_", "-")

    def is_open(self, settings: Settings) -> bool:
        return self.setting is None or bool(getattr(settings, self.setting))


ALWAYS = Gate(None)
LIST = Gate("enable_list", default_on=True)
CREATE = Gate("enable_create")
UPDATE = Gate("enable_update")
DELETE = Gate("enable_delete")
EXEC = Gate("enable_exec")  # its own flag: running commands in containers is not implied by any write


@dataclass(frozen=True)
class ToolSpec:
    """One tool: what it is called, what enables it, what it may run, how it is built."""

    name: str
    gate: Gate
    annotations: ToolAnnotations
    handler: ToolFunction
    kubectl: frozenset[str] = frozenset()
    show: render.Renderer = render.as_json  # the answer as the model reads it
    helm: frozenset[str] = frozenset()
    # Verbs that need a further gate besides the tool's own: a tool offered with listing whose
    # write actions run only with --enable-update (rollout_resource). Closed: never run.
    gated_kubectl: tuple[tuple[Gate, frozenset[str]], ...] = ()
    # Runs against a cluster: takes the model's `context` argument, bound into its operations
    # by the kit. False for tools that read only local configuration (kubeconfig, Helm repositories).
    in_context: bool = True
    # A write's confirmation (its resolver's maker, beside the tool function): the kit fills and
    # checks the call's `confirmation` with it before the tool runs. Every write has one.
    confirm: ConfirmationOf | None = None

    @property
    def writes(self) -> bool:
        """A tool that may change the cluster (its annotations say it is not read-only)."""
        return not self.annotations.read_only_hint

    def verbs(self, binary: str, settings: Settings | None = None) -> frozenset[str]:
        """The subcommands this tool may run with `binary` ("kubectl" or "helm"); with `settings`,
        its gated verbs whose gate is open too, and without, every verb it could ever run."""
        verbs = {"kubectl": self.kubectl, "helm": self.helm}.get(binary, frozenset())
        if binary == "kubectl":
            for gate, gated in self.gated_kubectl:
                if settings is None or gate.is_open(settings):
                    verbs |= gated
        return verbs

    def annotations_for(self, settings: Settings) -> ToolAnnotations:
        """Its annotations on this server: a tool whose write actions are all gated shut is read-only."""
        if self.gated_kubectl and not any(gate.is_open(settings) for gate, _ in self.gated_kubectl):
            return READ
        return self.annotations

    def writes_on(self, settings: Settings) -> bool:
        """Whether this tool may change the cluster on a server with these settings."""
        return not self.annotations_for(settings).read_only_hint


# Each hint is sent only where it differs from the MCP default (readOnly false, destructive true,
# idempotent false, openWorld true; destructive and idempotent mean nothing for a read-only tool):
# the same meaning to every client, and about 70 bytes less per tool in every tools/list.
READ = ToolAnnotations(read_only_hint=True)
CREATES = ToolAnnotations(destructive_hint=False)
CHANGES = ToolAnnotations(idempotent_hint=True)  # destructive, and repeating it changes nothing more
RESTARTS = ToolAnnotations()  # rollout: restart and undo are destructive and not idempotent
RUNS = ToolAnnotations()  # exec: may destroy, not idempotent (the defaults)

# Discovery (`api-resources`) resolves `kind`; `get --raw` reads through the API server's paths.
_LOOKUP = frozenset({"api-resources", "get"})
# kubectl rollout's actions: the reads come with the tool, the writes only with --enable-update.
ROLLOUT_READS = frozenset({"rollout status", "rollout history"})
ROLLOUT_WRITES = frozenset({"rollout restart", "rollout undo", "rollout pause", "rollout resume"})

TOOLS: tuple[ToolSpec, ...] = (
    ToolSpec("get_api_resources", LIST, READ, reads.get_api_resources, kubectl=frozenset({"api-resources"})),
    ToolSpec("list_resources", LIST, READ, reads.list_resources, kubectl=_LOOKUP, show=render.list_page),
    ToolSpec("get_resource", ALWAYS, READ, reads.get_resource, kubectl=_LOOKUP),
    ToolSpec("get_pod_logs", LIST, READ, reads.get_pod_logs, kubectl=_LOOKUP, show=render.pod_logs),
    ToolSpec("get_events", LIST, READ, reads.get_events, kubectl=_LOOKUP),
    ToolSpec("describe_resource", LIST, READ, reads.describe_resource, kubectl=_LOOKUP | {"describe"}, show=render.description),
    ToolSpec("diagnose_resource", LIST, READ, workloads.diagnose_resource, kubectl=_LOOKUP, show=render.its_text),
    ToolSpec("top_resources", LIST, READ, workloads.top_resources, kubectl=_LOOKUP),
    ToolSpec("diff_resource", LIST, READ, writes.diff_resource, kubectl=_LOOKUP | {"diff"}, show=render.diff),
    ToolSpec("explain_resource", LIST, READ, reads.explain_resource, kubectl=_LOOKUP | {"explain"}, show=render.its_text),
    ToolSpec("rollout_resource", LIST, RESTARTS, workloads.rollout_resource, confirm=workloads.confirm_rollout, kubectl=_LOOKUP | ROLLOUT_READS, gated_kubectl=((UPDATE, ROLLOUT_WRITES),), show=render.its_text),
    ToolSpec("list_contexts", LIST, READ, reads.list_contexts, in_context=False),
    ToolSpec("create_resource", CREATE, CREATES, writes.create_resource, confirm=writes.confirm_create, kubectl=_LOOKUP | {"create"}),
    ToolSpec("update_resource", UPDATE, CHANGES, writes.update_resource, confirm=writes.confirm_update, kubectl=_LOOKUP | {"apply"}),
    ToolSpec("scale_resource", UPDATE, CHANGES, workloads.scale_resource, confirm=workloads.confirm_scale, kubectl=_LOOKUP | {"scale"}),
    ToolSpec("delete_resource", DELETE, CHANGES, writes.delete_resource, confirm=writes.confirm_delete, kubectl=_LOOKUP | {"delete"}),
    ToolSpec("exec_in_pod", EXEC, RUNS, workloads.exec_in_pod, confirm=workloads.confirm_exec, kubectl=_LOOKUP | {"exec"}, show=render.exec_output),
)



DESTROYS = ToolAnnotations()  # the defaults: may destroy, not idempotent, reaches the cluster
# The Go mcp-k8s's Helm tools and flags (issue 14). Offered only when helm was found (`ops.helm`).
HELM_TOOLS: tuple[ToolSpec, ...] = (
    ToolSpec("list_helm_releases", Gate("enable_helm_release_list", default_on=True), READ, helm_tools.list_helm_releases, kubectl=_LOOKUP, helm=helm_tools.LIST_RELEASES),
    ToolSpec("get_helm_release", Gate("enable_helm_release_get", default_on=True), READ, helm_tools.get_helm_release, kubectl=_LOOKUP, helm=helm_tools.GET_RELEASE),
    ToolSpec("install_helm_chart", Gate("enable_helm_install"), CREATES, helm_tools.install_helm_chart, confirm=helm_tools.confirm_install, kubectl=_LOOKUP, helm=helm_tools.INSTALL),
    ToolSpec("upgrade_helm_chart", Gate("enable_helm_upgrade"), DESTROYS, helm_tools.upgrade_helm_chart, confirm=helm_tools.confirm_upgrade, kubectl=_LOOKUP, helm=helm_tools.UPGRADE),
    ToolSpec("uninstall_helm_chart", Gate("enable_helm_uninstall"), DESTROYS, helm_tools.uninstall_helm_chart, confirm=helm_tools.confirm_uninstall, kubectl=_LOOKUP, helm=helm_tools.UNINSTALL),
    ToolSpec("list_helm_repositories", Gate("enable_helm_repo_list", default_on=True), READ, helm_tools.list_helm_repositories, helm=helm_tools.REPO_LIST, in_context=False),
    ToolSpec("add_helm_repository", Gate("enable_helm_repo_add"), CREATES, helm_tools.add_helm_repository, confirm=helm_tools.confirm_add_repository, helm=helm_tools.REPO_ADD, in_context=False),
    ToolSpec("remove_helm_repository", Gate("enable_helm_repo_remove"), DESTROYS, helm_tools.remove_helm_repository, confirm=helm_tools.confirm_remove_repository, helm=helm_tools.REPO_REMOVE, in_context=False),
)  # fmt: skip
TOOLS = TOOLS + HELM_TOOLS

# Verbs the server itself runs, whatever the tools: `check` and start-up ask kubectl its version.
SERVER_VERBS: dict[str, frozenset[str]] = {"kubectl": frozenset({"version"})}


def enabled_tools(settings: Settings) -> tuple[ToolSpec, ...]:
    """The tools these settings offer, in table order: exactly what the server registers."""
    return tuple(spec for spec in TOOLS if spec.gate.is_open(settings))


def enabled_verbs(settings: Settings, binary: str = "kubectl") -> frozenset[str]:
    """The subcommands of `binary` these settings allow: the enabled tools' verbs, and the server's own."""
    verbs = set(SERVER_VERBS.get(binary, frozenset()))
    for spec in enabled_tools(settings):
        verbs |= spec.verbs(binary, settings)
    return frozenset(verbs)


def enabled_writes(settings: Settings) -> tuple[str, ...]:
    """Names of the enabled tools that may change the cluster."""
    return tuple(spec.name for spec in enabled_tools(settings) if spec.writes_on(settings))
