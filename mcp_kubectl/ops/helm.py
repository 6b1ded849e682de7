"""What each Helm tool does: validated values in, policy checked, one sandboxed helm process per step.

The path is kubectl's: check the model's values (`mcp_kubectl.cluster.helm`), authorize, build a
`HelmCommand`, run it, parse helm's `-o json`, shape the answer (Secrets redacted).

Policy before anything is written. An install or upgrade first renders the chart
(`helm template --include-crds`, the same chart, version, values and namespace) and checks
every rendered object, hooks and CRDs included, with the same call kubectl's writes use
(`Policy.authorize(Request(verb, type, namespace, name))`: denied types, denied namespaces,
cluster-scoped objects under namespace rules). One refusal, and helm never runs the write.
An uninstall checks every object of the release's current manifest the same way. helm keeps
releases in Secrets of the release namespace, so every call is also authorized as the
Secret reads and writes helm makes: `--denied-resources=secrets` keeps the model out of
Helm too (release Secrets hold the values).

Values are a model's YAML, parsed under the manifest rules (`manifests.parse_values`) and
handed to helm as JSON on stdin (`--values=-`): never a file path from the model.
`get_helm_release` answers values with every string replaced by a size marker unless
`--show-secrets` (numbers, booleans and the structure stay: they are rarely secret and
often what one wants to see); manifests with Secret data redacted as everywhere else.
"""

from __future__ import annotations

import contextlib
import json
import re
import tempfile
from collections.abc import AsyncIterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import yaml

from mcp_kubectl.cluster.helm import (
    ChartSource,
    HelmCommand,
    HelmRunner,
    check_chart,
    check_release_name,
    check_repo_name,
    check_repo_url,
    check_version,
)
from mcp_kubectl.cluster.kubectl_io import compact_json
from mcp_kubectl.cluster.process import ProcessResult
from mcp_kubectl.errors import HelmFailed, InvalidArgument, InvalidManifest, KubectlFailed, PolicyDenied
from mcp_kubectl.ops.kubernetes import Kubernetes
from mcp_kubectl.safety import validation
from mcp_kubectl.safety.manifests import ManifestTarget, parse_manifest, parse_values
from mcp_kubectl.safety.policy import Request
from mcp_kubectl.safety.redaction import marker
from mcp_kubectl.shaping.budget import fit_items

MAX_RENDERED_OBJECTS = 2000
_ERROR_LINE = re.compile(r"^Error: (.*)$", re.MULTILINE)
_REASONS = (
    (re.compile(r"cannot re-?use a name that is still in use|already exists"), "AlreadyExists"),
    (re.compile(r"has no deployed releases|release: not found|release not found|not found: release"), "NotFound"),
    (re.compile(r"no chart (version )?found|chart .*not found|repo .* not found|failed to fetch|no such host|not a valid chart repository|could not find"), "ChartNotFound"),
    (re.compile(r"[Ff]orbidden"), "Forbidden"),
)
_HINTS = {
    "AlreadyExists": "install never replaces a release; use upgrade_helm_chart to change it.",
    "NotFound": "Check the release name and namespace with list_helm_releases; upgrade never installs.",
    "ChartNotFound": "Check the chart name, version and repository (list_helm_repositories).",
}


@dataclass(frozen=True)
class ChartRequest:
    """An install or upgrade as the model asked for it; `Helm.planned` checks and resolves it, once."""

    name: str
    chart: str
    namespace: str | None = None
    version: str | None = None
    values: str | None = None  # YAML text, parsed under the manifest rules
    reuse_values: bool = False  # upgrade only: start from the release's current values


class Helm:
    """The Helm operations, sharing one helm runner; the Kubernetes operations give policy and discovery."""

    def __init__(self, runner: HelmRunner) -> None:
        self.runner = runner

    async def run(self, ops: Kubernetes, command: HelmCommand) -> ProcessResult:
        """Run one helm command in this call's run log, against its context if it reaches the
        cluster (the context `ops` is bound to, never one of the command's own); a non-zero
        exit is a `HelmFailed`."""
        if command.cluster:
            command = replace(command, context=ops.context)
        result = await self.runner.run(command, log=ops.run_log)
        if result.exit_code != 0:
            raise _classify(result)
        return result

    # ----------------------------------------------------------------- where

    async def _namespace(self, ops: Kubernetes, namespace: str | None, verb: str) -> str:
        """The release namespace: validated, defaulted, and authorized for helm's release storage."""
        namespace = validation.check_namespace(namespace) if namespace else ops.default_namespace()
        await self._storage(ops, verb, namespace)
        return namespace

    async def _storage(self, ops: Kubernetes, verb: str, namespace: str) -> None:
        """helm's own requests: `verb` on the release Secrets of `namespace` ("" for every namespace)."""
        secrets = await ops.resolve("secrets")
        ops.policy.authorize(Request(verb, secrets, namespace))

    # ----------------------------------------------------------------- reads

    async def list_releases(
        self, ops: Kubernetes, *, namespace: str | None = None, all_namespaces: bool = False
    ) -> dict[str, Any]:
        """`helm list -o json`: one line per release (name, namespace, revision, status, chart, appVersion)."""
        flags = ["--output=json", "--deployed", "--failed", "--pending", "--max=1000"]
        if all_namespaces:
            await self._storage(ops, "list", "")
            flags.append("--all-namespaces")
            where = None
        else:
            where = await self._namespace(ops, namespace, "list")
        result = await self.run(ops, HelmCommand("list", flags=tuple(flags), namespace=where))
        releases = [_release_line(r) for r in _json(result.stdout) or []]
        return {"releases": releases, "count": len(releases)}

    async def get_release(
        self,
        ops: Kubernetes,
        name: str,
        *,
        namespace: str | None = None,
        resource: str = "status",
        revision: int | None = None,
        all_values: bool = False,
    ) -> dict[str, Any]:
        """One release's status, values, manifest, notes or history."""
        check_release_name(name)
        where = await self._namespace(ops, namespace, "list")
        flags: list[str] = [f"--revision={revision}"] if revision is not None and resource != "history" else []

        def command(subcommand: str, *extra: str) -> HelmCommand:
            return HelmCommand(subcommand, args=(name,), flags=(*extra, *flags), namespace=where)

        answer: dict[str, Any] = {"name": name, "namespace": where}
        if resource == "status":
            result = await self.run(ops, command("status", "--output=json"))
            answer.update(_release_summary(_json(result.stdout)))
            if "chart" not in answer and revision is None:  # `status -o json` leaves the chart out
                latest = await self.run(ops, command("history", "--output=json", "--max=1"))
                for entry in _json(latest.stdout) or []:
                    answer.update(chart=entry.get("chart"), appVersion=entry.get("app_version"))
        elif resource == "values":
            result = await self.run(ops, command("get values", "--output=json", *(["--all"] if all_values else [])))
            values = _json(result.stdout) or {}
            answer["values"] = values if ops.settings.show_secrets else hide_strings(values)
            if not ops.settings.show_secrets:
                answer["note"] = "string values are hidden (the server runs without --show-secrets); numbers, booleans and keys are shown"
        elif resource == "manifest":
            result = await self.run(ops, command("get manifest"))
            objects = [ops.shape(obj) for obj in _yaml_objects(result.stdout)]
            _fit(answer, "objects", objects, ops.settings.budget_bytes, "read one object with get_resource instead")
        elif resource == "notes":
            result = await self.run(ops, command("get notes"))
            answer["notes"] = ops.shape_text(result.stdout.decode("utf-8", errors="replace"))
        elif resource == "history":
            result = await self.run(ops, command("history", "--output=json", "--max=50"))
            history = [_history_line(h) for h in _json(result.stdout) or []]
            _fit(answer, "history", history, ops.settings.budget_bytes, "older revisions left out; read one with revision", newest_last=True)
        else:
            raise InvalidArgument(f"resource {resource!r}: one of status, values, manifest, notes, history", argument="resource")
        return answer

    async def list_repositories(self, ops: Kubernetes) -> dict[str, Any]:
        """`helm repo list -o json`: the user's configured repositories (name and URL only)."""
        result = await self.runner.run(HelmCommand("repo list", flags=("--output=json",), cluster=False), log=ops.run_log)
        if result.exit_code != 0:
            if "no repositories" in result.stderr:
                return {"repositories": []}
            raise _classify(result)
        return {"repositories": [{"name": r.get("name"), "url": r.get("url")} for r in _json(result.stdout) or []]}

    # ----------------------------------------------------------------- repository writes

    async def add_repository(self, ops: Kubernetes, name: str, url: str) -> dict[str, Any]:
        """`helm repo add NAME URL`: never over an existing name, never with credentials."""
        check_repo_name(name)
        check_repo_url(url)
        existing = {r["name"] for r in (await self.list_repositories(ops))["repositories"]}
        if name in existing:
            raise HelmFailed(f"repository {name!r} exists already", reason="AlreadyExists", hint="Remove it first, or pick another name.")
        await self.run(ops, HelmCommand("repo add", args=(name, url), cluster=False))
        return {"added": {"name": name, "url": url}}

    async def remove_repository(self, ops: Kubernetes, name: str) -> dict[str, Any]:
        check_repo_name(name)
        await self.run(ops, HelmCommand("repo remove", args=(name,), cluster=False))
        return {"removed": name}

    # ----------------------------------------------------------------- release writes

    async def install(self, ops: Kubernetes, request: ChartRequest, *, dry_run: bool = False) -> dict[str, Any]:
        """Render, authorize every object, then `helm install` (never `--replace`) of the very archive rendered."""
        return await self._write(ops, "install", request, dry_run)

    async def upgrade(self, ops: Kubernetes, request: ChartRequest, *, dry_run: bool = False) -> dict[str, Any]:
        """Render, authorize every object, then `helm upgrade` (never `--install`) of the very archive rendered."""
        return await self._write(ops, "upgrade", request, dry_run)

    async def uninstall(
        self, ops: Kubernetes, name: str, *, namespace: str | None = None, dry_run: bool = False
    ) -> dict[str, Any]:
        """Authorize deleting every object of the release, then `helm uninstall`."""
        check_release_name(name)
        where = await self._namespace(ops, namespace, "delete")
        objects = await self._current_objects(ops, name, where, "delete")
        flags = ("--dry-run",) if dry_run else ()
        await self.run(ops, HelmCommand("uninstall", args=(name,), flags=flags, namespace=where))
        return {"dryRun": dry_run, "uninstalled": name, "namespace": where, "deleted": [t.to_dict() for t in objects]}

    @contextlib.asynccontextmanager
    async def planned(self, ops: Kubernetes, verb: str, request: ChartRequest) -> AsyncIterator[HelmPlan]:
        """Everything an install or upgrade will write, rendered and authorized; nothing written.

        The chart is fetched once (`helm pull`, after every check on the arguments and the
        namespace) into a private directory that lives as long as the plan: the render that
        policy checks and the install or upgrade that follows read the same archive, so a
        repository that changes in between cannot slip in other objects."""
        name = check_release_name(request.name)
        source = check_chart(request.chart, ops.settings.allowed_chart_dirs)
        if request.version is not None:
            check_version(request.version)
        where = await self._namespace(ops, request.namespace, "create" if verb == "install" else "update")
        given = _values(request.values, ops.settings.max_manifest_bytes)
        current: list[ManifestTarget] = []
        if verb == "upgrade":
            current = await self._current_objects(ops, name, where, "update")  # NotFound: upgrade never installs
            if request.reuse_values:
                result = await self.run(ops, HelmCommand("get values", args=(name,), flags=("--output=json",), namespace=where))
                given = merge_values(_json(result.stdout) or {}, given)
        stdin = json.dumps(given).encode()
        async with self._fetched(ops, source, request.version) as archive:
            rendered = await self.run(
                ops,
                HelmCommand("template", args=(name, archive), flags=("--values=-", "--include-crds"), stdin=stdin, namespace=where, cluster=False),
            )
            write = "create" if verb == "install" else "update"
            targets = await self._authorize(ops, rendered.stdout, where, write, what="the rendered chart")
            yield HelmPlan(name, source.reference, archive, where, stdin, targets, current)

    @contextlib.asynccontextmanager
    async def _fetched(self, ops: Kubernetes, source: ChartSource, version: str | None) -> AsyncIterator[str]:
        """The chart as one archive in a private temporary directory (a local chart under --allowed-chart-dirs as it is)."""
        if source.kind == "local":
            yield source.reference
            return
        with tempfile.TemporaryDirectory(prefix="mcp-kubectl-chart-") as into:
            flags = (f"--destination={into}", *((f"--version={version}",) if version else ()))
            await self.run(ops, HelmCommand("pull", args=(source.reference,), flags=flags, cluster=False))
            archives = sorted(Path(into).glob("*.tgz"))
            if len(archives) != 1:
                raise HelmFailed(f"helm pull of {source.reference} left {len(archives)} chart archives, expected one")
            yield str(archives[0])

    async def _write(self, ops: Kubernetes, verb: str, request: ChartRequest, dry_run: bool) -> dict[str, Any]:
        flags = ["--values=-", "--output=json"]
        if dry_run:
            flags.append("--dry-run=server")
        async with self.planned(ops, verb, request) as plan:
            result = await self.run(
                ops,
                HelmCommand(verb, args=(plan.name, plan.archive), flags=tuple(flags), stdin=plan.stdin, namespace=plan.namespace),
            )
        release = _json(result.stdout) or {}
        answer: dict[str, Any] = {"dryRun": dry_run, **_release_summary(release)}
        answer["objects"] = plan.changes()
        notes = (release.get("info") or {}).get("notes")
        if notes:
            answer["notes"] = ops.shape_text(str(notes))[:2000]
        return answer

    async def preview(self, ops: Kubernetes, verb: str, request: ChartRequest) -> str:
        """For --confirm-writes: every object an install or upgrade would create, change or delete."""
        async with self.planned(ops, verb, request) as plan:
            lines = [f"{verb} release {plan.namespace}/{plan.name} from {plan.chart}:"]
            lines += [f"{change['action']} {change['object']}" for change in plan.changes()]
            return "\n".join(lines)

    async def preview_uninstall(self, ops: Kubernetes, name: str, *, namespace: str | None = None) -> str:
        """For --confirm-writes: every object an uninstall would delete."""
        check_release_name(name)
        where = await self._namespace(ops, namespace, "delete")
        objects = await self._current_objects(ops, name, where, "delete")
        lines = [f"uninstall release {where}/{name}, deleting:"] + [f"delete {_describe(t)}" for t in objects]
        return "\n".join(lines)

    # ----------------------------------------------------------------- policy

    async def _current_objects(self, ops: Kubernetes, name: str, namespace: str, verb: str) -> list[ManifestTarget]:
        """The release's deployed objects, each authorized for `verb` (an upgrade or uninstall may change them)."""
        result = await self.run(ops, HelmCommand("get manifest", args=(name,), namespace=namespace))
        return await self._authorize(ops, result.stdout, namespace, verb, what=f"release {name!r}")

    async def _authorize(self, ops: Kubernetes, manifest: bytes, namespace: str, verb: str, *, what: str) -> list[ManifestTarget]:
        """Every object in a helm manifest through `Policy.authorize`; `PolicyDenied` names the first refused."""
        text = manifest.decode("utf-8", errors="replace")
        if not text.strip() or not _yaml_objects(manifest):
            return []
        try:
            parsed = parse_manifest(text, max_bytes=max(len(manifest), 1), max_documents=MAX_RENDERED_OBJECTS)
        except InvalidManifest as error:
            raise InvalidManifest(f"{what} could not be checked: {error.message}", hint="Only charts whose objects this server can parse are installed.") from None
        placed: list[ManifestTarget] = []
        for target in parsed.targets():
            try:
                resource = await ops.resolve_manifest_kind(target.api_version, target.kind)
            except KubectlFailed:
                resource = None
            if resource is None:
                # A type the cluster does not serve yet (a custom resource whose CRD the chart brings):
                # its scope is unknown, so under any rule it cannot be checked, and is refused.
                target = target if target.namespace else _in(target, namespace)
                if ops.policy.rules or ops.policy.namespace_rules:
                    raise PolicyDenied(
                        f"{what} holds {_describe(target)}, a type this cluster does not serve yet, so the policy "
                        "cannot check it; nothing was written"
                    )
            else:
                target = _in(target, target.namespace or namespace) if resource.namespaced else _in(target, None)
                try:
                    ops.policy.authorize(Request(verb, resource, target.namespace or "", target.name))
                except PolicyDenied as denied:
                    raise PolicyDenied(f"{what} holds {_describe(target)}: {denied.message}; nothing was written") from None
            placed.append(target)
        return placed


class HelmPlan:
    """An authorized install or upgrade: what runs, and which objects it creates, changes or deletes."""

    def __init__(
        self,
        name: str,
        chart: str,
        archive: str,
        namespace: str,
        stdin: bytes,
        rendered: list[ManifestTarget],
        current: list[ManifestTarget],
    ) -> None:
        self.name, self.chart, self.archive, self.namespace = name, chart, archive, namespace
        self.stdin, self.rendered, self.current = stdin, rendered, current

    def changes(self) -> list[dict[str, str]]:
        """`create`/`update` per rendered object, `delete` per deployed object the chart no longer has."""
        deployed = {_describe(t) for t in self.current}
        out = [{"action": "update" if _describe(t) in deployed else "create", "object": _describe(t)} for t in self.rendered]
        kept = {_describe(t) for t in self.rendered}
        out += [{"action": "delete", "object": _describe(t)} for t in self.current if _describe(t) not in kept]
        return out


# ----------------------------------------------------------------------------- shaping


def hide_strings(value: Any) -> Any:
    """Values with every string replaced by a size marker: structure, numbers and booleans stay."""
    if isinstance(value, dict):
        return {k: hide_strings(v) for k, v in value.items()}
    if isinstance(value, list):
        return [hide_strings(v) for v in value]
    if isinstance(value, str):
        return marker(len(value.encode("utf-8", errors="replace")))
    return value


def merge_values(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """helm's coalescing for `--reuse-values`: maps merge key by key, anything else is replaced."""
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = merge_values(merged[key], value)
        else:
            merged[key] = value
    return merged


def _values(text: str | None, max_bytes: int) -> dict[str, Any]:
    if text is None or not text.strip():
        return {}
    try:
        return parse_values(text, max_bytes=max_bytes)
    except InvalidManifest as error:
        raise InvalidArgument(f"values: {error.message}", argument="values", hint="Send values as one YAML mapping, e.g. 'replicaCount: 2'.") from None


def _in(target: ManifestTarget, namespace: str | None) -> ManifestTarget:
    """The object where helm puts it: a namespaced one without a namespace in the release's; a cluster-scoped one in none."""
    return ManifestTarget(target.api_version, target.kind, target.name, namespace)


def _describe(target: ManifestTarget) -> str:
    return f"{target.kind} {target.namespace}/{target.name}" if target.namespace else f"{target.kind} {target.name}"


def _json(stdout: bytes) -> Any:
    text = stdout.decode("utf-8", errors="replace").strip()
    if not text:
        return None
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        raise HelmFailed("helm printed output that is not JSON") from None


def _yaml_objects(stdout: bytes) -> list[dict[str, Any]]:
    """The objects in a helm manifest (helm's own output: YAML documents, `# Source:` comments)."""
    loader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        documents = list(yaml.load_all(stdout.decode("utf-8", errors="replace"), Loader=loader))
    except (yaml.YAMLError, RecursionError):
        raise HelmFailed("helm printed a manifest that is not YAML") from None
    return [d for d in documents if isinstance(d, dict)]


def _fit(answer: dict[str, Any], key: str, items: list[Any], budget_bytes: int, hint: str, *, newest_last: bool = False) -> None:
    """`answer[key] = items`, as many as fit the byte budget with the rest of the answer; a marker says what was cut.

    The first items are kept, or with `newest_last` (helm history: oldest first) the last ones."""
    ordered = items[::-1] if newest_last else items
    room = budget_bytes - len(',"truncated":""')  # fit_items counts the marker's text, the answer also carries its key
    fitted = fit_items(ordered, budget_bytes=room, render=lambda kept: compact_json({**answer, key: kept}), hint=hint)
    answer[key] = fitted.kept[::-1] if newest_last else fitted.kept
    if fitted.marker:
        answer["truncated"] = fitted.marker


def _present(fields: dict[str, Any]) -> dict[str, Any]:
    """Only what helm filled in: an empty appVersion or description is left out, not sent as null."""
    return {k: v for k, v in fields.items() if v not in (None, "")}


def _revision(value: Any) -> Any:
    """helm list prints the revision as a string, history and status as a number: always a number here."""
    return int(value) if isinstance(value, str) and value.isdigit() else value


def _release_line(release: dict[str, Any]) -> dict[str, Any]:
    return _present(
        {
            "name": release.get("name"),
            "namespace": release.get("namespace"),
            "revision": _revision(release.get("revision")),
            "status": release.get("status"),
            "chart": release.get("chart"),
            "appVersion": release.get("app_version"),
            "updated": release.get("updated"),
        }
    )


def _release_summary(release: dict[str, Any]) -> dict[str, Any]:
    """The release without its values, manifest, hooks or chart files (they carry secrets and bulk)."""
    info = release.get("info") or {}
    metadata = (release.get("chart") or {}).get("metadata") or {}
    summary = {
        "name": release.get("name"),
        "namespace": release.get("namespace"),
        "revision": release.get("version"),
        "status": info.get("status"),
        "description": info.get("description"),
        "chart": f"{metadata.get('name')}-{metadata.get('version')}" if metadata else None,
        "appVersion": metadata.get("appVersion"),
        "firstDeployed": info.get("first_deployed"),
        "lastDeployed": info.get("last_deployed"),
    }
    return _present(summary)


def _history_line(entry: dict[str, Any]) -> dict[str, Any]:
    keys = {"revision": "revision", "updated": "updated", "status": "status", "chart": "chart", "app_version": "appVersion", "description": "description"}
    return _present({ours: _revision(entry.get(theirs)) if ours == "revision" else entry.get(theirs) for theirs, ours in keys.items()})


def _classify(result: ProcessResult) -> HelmFailed:
    """helm's `Error: ...` line, with a reason the model can act on."""
    errors = _ERROR_LINE.findall(result.stderr)
    message = errors[-1] if errors else (result.stderr.strip().splitlines() or ["helm failed"])[-1]
    message = message[:2000]
    reason = next((name for pattern, name in _REASONS if pattern.search(message)), "HelmError")
    return HelmFailed(message, reason=reason, argv=result.argv, exit_code=result.exit_code, hint=_HINTS.get(reason, ""))
