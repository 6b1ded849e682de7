"""The eight Helm tools (issue 14): the reads are tool functions, the writes build theirs from the kit.

Same shape as the other families (`mcp_kubectl.tools.kit`): the tool function's signature is the input schema
(the Go mcp-k8s's tool names), its docstring the description; `ops.helm` does the work.
Their rows (gate, helm subcommands, annotations) are in `mcp_kubectl.tools.table`; the
server offers none of them when no helm binary was found (`ops.helm` is None).
"""

# No `from __future__ import annotations`: the SDK reads the tool signatures at registration.
from typing import Annotated, Any, Literal

from mcp.server.mcpserver import Context
from pydantic import Field

from mcp_kubectl.ops.helm import ChartRequest
from mcp_kubectl.ops.kubernetes import Kubernetes
from mcp_kubectl.tools.kit import Resolver, ToolKit, sentence
from mcp_kubectl.tools.schemas import BOOL, INT, OBJ, OBJS, STR, answer, array, obj

Chart = Annotated[str, Field(description="repo/chart (a repository from list_helm_repositories) or oci://host/path.")]
Version = Annotated[str | None, Field(description="Chart version or constraint; default the latest.")]
Values = Annotated[str | None, Field(description="Values as one YAML mapping, e.g. 'replicaCount: 2'.")]
ReuseValues = Annotated[bool, Field(description="Start from the release's current values.")]
DryRun = Annotated[bool, Field(description="Render and check against the cluster, change nothing.")]

# Answers (`mcp_kubectl.schemas`). A release as `helm status`/`install` sum it up; values that helm left empty are left out.
_SUMMARY = {"revision": INT, "status": STR, "description": STR, "chart": STR, "appVersion": STR, "firstDeployed": STR, "lastDeployed": STR}
_LINE = obj({"revision": INT, "status": STR}, {"name": STR, "namespace": STR, "chart": STR, "appVersion": STR, "updated": STR, "description": STR})
RELEASES = answer({"count": INT, "releases": array(_LINE)}, {"truncated": STR})
RELEASE = answer(
    {"name": STR, "namespace": STR},
    {**_SUMMARY, "values": OBJ, "note": STR, "objects": OBJS, "notes": STR, "history": array(_LINE), "truncated": STR},
)
WRITTEN = answer({"dryRun": BOOL, "objects": array(obj({"action": STR, "object": STR}))}, {"name": STR, "namespace": STR, **_SUMMARY, "notes": STR})
UNINSTALLED = answer({"dryRun": BOOL, "uninstalled": STR, "namespace": STR, "deleted": OBJS})
REPOSITORIES = answer({"repositories": array(obj({"name": STR, "url": STR}))})
REPOSITORY_ADDED = answer({"added": obj({"name": STR, "url": STR})})
REPOSITORY_REMOVED = answer({"removed": STR})


async def list_helm_releases(
    ops: Kubernetes,
    namespace: str | None = None,
    allNamespaces: bool = False,
) -> Annotated[dict[str, Any], RELEASES]:
    """List Helm releases: name, namespace, revision, status, chart, appVersion."""
    return await ops.helm.list_releases(ops, namespace=namespace, all_namespaces=allNamespaces)  # type: ignore[no-any-return]


async def get_helm_release(
    ops: Kubernetes,
    name: str,
    namespace: str | None = None,
    resource: Annotated[Literal["status", "values", "manifest", "notes", "history"], Field()] = "status",
    revision: Annotated[int | None, Field(ge=1, description="A past revision (not for history).")] = None,
    allValues: Annotated[bool, Field(description="values: the chart defaults too.")] = False,
) -> Annotated[dict[str, Any], RELEASE]:
    """One Helm release: status, values (strings hidden unless the server shows secrets), manifest (Secrets redacted), notes or history."""
    return await ops.helm.get_release(  # type: ignore[no-any-return]
        ops, name, namespace=namespace, resource=resource, revision=revision, all_values=allValues
    )


async def list_helm_repositories(ops: Kubernetes) -> Annotated[dict[str, Any], REPOSITORIES]:
    """The Helm chart repositories configured for this user: name and URL."""
    return await ops.helm.list_repositories(ops)  # type: ignore[no-any-return]


async def add_helm_repository(
    ops: Kubernetes,
    name: Annotated[str, Field(description="Repository name, e.g. bitnami.")],
    url: Annotated[str, Field(description="https:// URL of the repository (its index.yaml lives there).")],
) -> Annotated[dict[str, Any], REPOSITORY_ADDED]:
    """Add a chart repository to this user's Helm configuration (https only, no credentials)."""
    return await ops.helm.add_repository(ops, name, url)  # type: ignore[no-any-return]


async def remove_helm_repository(
    ops: Kubernetes, name: Annotated[str, Field(description="Repository name.")]
) -> Annotated[dict[str, Any], REPOSITORY_REMOVED]:
    """Remove a chart repository from this user's Helm configuration."""
    return await ops.helm.remove_repository(ops, name)  # type: ignore[no-any-return]


async def install_helm_chart(
    ops: Kubernetes, name: str, chart: Chart, namespace: str | None = None, version: Version = None, values: Values = None, dryRun: DryRun = False
) -> Annotated[dict[str, Any], WRITTEN]:
    """Install a chart as a new release. Every rendered object is checked against the server's policy first; never replaces an existing release."""
    request = ChartRequest(name, chart, namespace=namespace, version=version, values=values)
    return await ops.helm.install(ops, request, dry_run=dryRun)  # type: ignore[no-any-return]


async def upgrade_helm_chart(
    ops: Kubernetes, name: str, chart: Chart, namespace: str | None = None, version: Version = None, values: Values = None,
    reuseValues: ReuseValues = False, dryRun: DryRun = False,
) -> Annotated[dict[str, Any], WRITTEN]:  # fmt: skip
    """Upgrade an existing release (never installs one). Every rendered object is checked against the server's policy first."""
    request = ChartRequest(name, chart, namespace=namespace, version=version, values=values, reuse_values=reuseValues)
    return await ops.helm.upgrade(ops, request, dry_run=dryRun)  # type: ignore[no-any-return]


async def uninstall_helm_chart(
    ops: Kubernetes, name: str, namespace: str | None = None, dryRun: DryRun = False
) -> Annotated[dict[str, Any], UNINSTALLED]:
    """Uninstall a release, deleting every object it created (each checked against the server's policy first)."""
    return await ops.helm.uninstall(ops, name, namespace=namespace, dry_run=dryRun)  # type: ignore[no-any-return]


# Their confirmation resolvers (named in their table rows): each asks the person with a preview.


def confirm_add_repository(kit: ToolKit) -> Resolver:
    async def confirm(ctx: Context, name: str, url: str) -> Any:
        preview = sentence(f"add Helm repository {name} at {url} to this user's repository list")
        return await kit.confirmer.ask(ctx, "add a Helm repository", False, preview)

    return confirm


def confirm_remove_repository(kit: ToolKit) -> Resolver:
    async def confirm(ctx: Context, name: str) -> Any:
        preview = sentence(f"remove Helm repository {name} from this user's repository list")
        return await kit.confirmer.ask(ctx, "remove a Helm repository", False, preview)

    return confirm


def confirm_install(kit: ToolKit) -> Resolver:
    async def confirm(
        ctx: Context, name: str, chart: str, namespace: str | None = None, version: str | None = None,
        values: str | None = None, dryRun: bool = False, context: str | None = None,
    ) -> Any:  # fmt: skip
        request = ChartRequest(name, chart, namespace=namespace, version=version, values=values)
        return await kit.confirmer.ask(ctx, "install a Helm chart", dryRun, lambda: kit.ops.helm.preview(kit.for_preview(context), "install", request))

    return confirm


def confirm_upgrade(kit: ToolKit) -> Resolver:
    async def confirm(
        ctx: Context, name: str, chart: str, namespace: str | None = None, version: str | None = None,
        values: str | None = None, reuseValues: bool = False, dryRun: bool = False, context: str | None = None,
    ) -> Any:  # fmt: skip
        request = ChartRequest(name, chart, namespace=namespace, version=version, values=values, reuse_values=reuseValues)
        return await kit.confirmer.ask(ctx, "upgrade a Helm release", dryRun, lambda: kit.ops.helm.preview(kit.for_preview(context), "upgrade", request))

    return confirm


def confirm_uninstall(kit: ToolKit) -> Resolver:
    async def confirm(ctx: Context, name: str, namespace: str | None = None, dryRun: bool = False, context: str | None = None) -> Any:
        return await kit.confirmer.ask(
            ctx, "uninstall a Helm release", dryRun, lambda: kit.ops.helm.preview_uninstall(kit.for_preview(context), name, namespace=namespace)
        )

    return confirm


# The helm subcommands each tool may run (its row in `tool_table.TOOLS` lists them).
_RELEASE_READ = frozenset({"get manifest"})  # upgrade and uninstall read what is deployed first
LIST_RELEASES = frozenset({"list"})
GET_RELEASE = frozenset({"status", "get values", "get manifest", "get notes", "history"})
_CHART = frozenset({"pull", "template"})  # fetch the chart once, render it for policy (`Helm.planned`)
INSTALL = _CHART | {"install"}
UPGRADE = _RELEASE_READ | _CHART | {"upgrade", "get values"}
UNINSTALL = _RELEASE_READ | {"uninstall"}
REPO_LIST = frozenset({"repo list"})
REPO_ADD = frozenset({"repo list", "repo add"})
REPO_REMOVE = frozenset({"repo remove"})
