"""The `mcp-kubectl` command line: options (and their MCP_KUBECTL_* variables) into one `Settings`.

`mcp-kubectl` serves; `mcp-kubectl check` diagnoses a setup; `mcp-kubectl demo` shows
the server working against the built-in emulator. The Go mcp-k8s server's
single-dash spellings (`-enable-create`, `-kubeconfig x`, `-enable-list=false`) are
accepted so existing client configurations keep working.
"""

from __future__ import annotations

import dataclasses
import logging
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import click

from mcp_kubectl._version import __version__
from mcp_kubectl.settings import (
    DEFAULT_BUDGET_BYTES,
    DEFAULT_MAX_CONCURRENCY,
    DEFAULT_MAX_OUTPUT_BYTES,
    DEFAULT_TIMEOUT_S,
    Settings,
)

logger = logging.getLogger(__name__)

ENV_PREFIX = "MCP_KUBECTL_"


def _env(name: str) -> str:
    return ENV_PREFIX + name.upper().replace("-", "_")


def _csv(values: tuple[str, ...] | None) -> tuple[str, ...]:
    """Options that take lists accept repeats and commas alike."""
    out: list[str] = []
    for value in values or ():
        out.extend(part.strip() for part in value.split(",") if part.strip())
    return tuple(out)


def connection_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    """The options both serving and `check` need to reach a cluster."""
    for decorator in reversed(
        (
            click.option("--kubeconfig", type=click.Path(dir_okay=False, path_type=Path), envvar=_env("kubeconfig"), help="kubeconfig file (default: kubectl's own lookup)."),
            click.option("--context", envvar=_env("context"), help="kubeconfig context (default: its current context)."),
            click.option("--kubectl", "kubectl", default="kubectl", show_default=True, envvar=_env("kubectl"), help="kubectl binary (name on PATH or path)."),
            click.option("--timeout", "timeout_s", type=click.FloatRange(1, 3600), default=DEFAULT_TIMEOUT_S, show_default=True, envvar=_env("timeout"), help="Seconds before a kubectl call is stopped."),
        )
    ):
        fn = decorator(fn)
    return fn


def server_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Every option of the server itself."""
    options = (
        click.option("--namespace", envvar=_env("namespace"), help="Default namespace (default: the context's)."),
        click.option("--enable-list/--disable-list", default=True, show_default=True, envvar=_env("enable_list"), help="Read tools that list and inspect."),
        click.option("--enable-create", is_flag=True, envvar=_env("enable_create"), help="Offer create_resource."),
        click.option("--enable-update", is_flag=True, envvar=_env("enable_update"), help="Offer update_resource."),
        click.option("--enable-delete", is_flag=True, envvar=_env("enable_delete"), help="Offer delete_resource."),
        click.option("--enable-exec", is_flag=True, envvar=_env("enable_exec"), help="Offer exec_in_pod: run commands in containers (anything the container can do). Implied by no other flag."),
        click.option("--transport", type=click.Choice(["stdio", "http", "sse"]), default="stdio", show_default=True, envvar=_env("transport"), help="How clients connect."),
        click.option("--allowed-namespaces", multiple=True, envvar=_env("allowed_namespaces"), help="Only these namespaces (comma-separated)."),
        click.option("--denied-namespaces", multiple=True, envvar=_env("denied_namespaces"), help="Never these namespaces."),
        click.option("--denied-resources", multiple=True, envvar=_env("denied_resources"), help="Never these types, e.g. secrets,clusterrolebindings.rbac.authorization.k8s.io."),
        click.option("--allow-cluster-writes", is_flag=True, envvar=_env("allow_cluster_writes"), help="Allow writes to cluster-scoped types (CRDs, ClusterRoleBindings, Nodes, Namespaces, ...) while a namespace rule is set."),
        click.option("--allowed-contexts", multiple=True, envvar=_env("allowed_contexts"), help="Contexts a tool call may name."),
        click.option("--show-secrets", is_flag=True, envvar=_env("show_secrets"), help="Do not redact Secret values."),
        click.option("--confirm-writes", is_flag=True, envvar=_env("confirm_writes"), help="Ask the person (MCP elicitation) before every write."),
        click.option("--audit-log", type=click.Path(dir_okay=False, path_type=Path), envvar=_env("audit_log"), help="Append one JSON line per tool call (mode 0600)."),
        click.option("--budget-bytes", type=click.IntRange(4096, 16 * 1024 * 1024), default=DEFAULT_BUDGET_BYTES, show_default=True, envvar=_env("budget_bytes"), help="Most text one answer may carry."),
        click.option("--max-output-bytes", type=click.IntRange(1024, 1 << 31), default=DEFAULT_MAX_OUTPUT_BYTES, show_default=True, envvar=_env("max_output_bytes"), help="Most bytes read from kubectl."),
        click.option("--max-concurrency", type=click.IntRange(1, 256), default=DEFAULT_MAX_CONCURRENCY, show_default=True, envvar=_env("max_concurrency"), help="kubectl processes at once."),
        click.option("--fast-reads", is_flag=True, envvar=_env("fast_reads"), help="Send reads through one long-lived kubectl proxy (GET only) instead of a kubectl per call."),
        click.option("--cache-dir", type=click.Path(file_okay=False, path_type=Path), envvar=_env("cache_dir"), help="kubectl discovery cache (default: ~/.cache/mcp-kubectl/kube-cache, under $XDG_CACHE_HOME when set)."),
        click.option("--pass-env", multiple=True, envvar=_env("pass_env"), help="Extra environment variables kubectl may see (credential plugins)."),
        click.option("--helm", "helm", default="helm", show_default=True, envvar=_env("helm"), help="helm binary for the Helm tools (name on PATH or path); without one they are not offered."),
        click.option("--enable-helm-release-list/--disable-helm-release-list", default=True, show_default=True, envvar=_env("enable_helm_release_list"), help="Offer list_helm_releases."),
        click.option("--enable-helm-release-get/--disable-helm-release-get", default=True, show_default=True, envvar=_env("enable_helm_release_get"), help="Offer get_helm_release."),
        click.option("--enable-helm-install", is_flag=True, envvar=_env("enable_helm_install"), help="Offer install_helm_chart."),
        click.option("--enable-helm-upgrade", is_flag=True, envvar=_env("enable_helm_upgrade"), help="Offer upgrade_helm_chart."),
        click.option("--enable-helm-uninstall", is_flag=True, envvar=_env("enable_helm_uninstall"), help="Offer uninstall_helm_chart."),
        click.option("--enable-helm-repo-list/--disable-helm-repo-list", default=True, show_default=True, envvar=_env("enable_helm_repo_list"), help="Offer list_helm_repositories."),
        click.option("--enable-helm-repo-add", is_flag=True, envvar=_env("enable_helm_repo_add"), help="Offer add_helm_repository."),
        click.option("--enable-helm-repo-remove", is_flag=True, envvar=_env("enable_helm_repo_remove"), help="Offer remove_helm_repository."),
        click.option("--allowed-chart-dirs", multiple=True, envvar=_env("allowed_chart_dirs"), help="Directories whose local charts the Helm tools may install (default: none; repo/chart and oci:// only)."),
        click.option("--log-level", type=click.Choice(["DEBUG", "INFO", "WARNING", "ERROR"]), default="WARNING", show_default=True, envvar=_env("log_level"), help="Least severe log records written to stderr."),
    )
    for decorator in reversed(options):
        fn = decorator(fn)
    return connection_options(fn)


def http_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Options of the HTTP transports (`--transport http` or `sse`)."""
    options = (
        click.option("--host", default="127.0.0.1", show_default=True, envvar=_env("host"), help="Address to listen on (http/sse). Anything but loopback needs a token."),
        click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True, envvar=_env("port"), help="Port to listen on (http/sse)."),
        click.option("--auth-token", envvar=_env("auth_token"), help="Bearer token clients must send (prefer the variable or --auth-token-file: argv is visible to other users)."),
        click.option("--auth-token-file", type=click.Path(dir_okay=False, path_type=Path), envvar=_env("auth_token_file"), help="File holding the bearer token."),
        click.option("--insecure-no-auth", is_flag=True, envvar=_env("insecure_no_auth"), help="Allow a non-loopback --host without a token (only behind something that authenticates)."),
        click.option("--allowed-hosts", multiple=True, envvar=_env("allowed_hosts"), help="Host headers to accept besides loopback, e.g. mcp.example.com or name:8000; * for any."),
        click.option("--allowed-origins", multiple=True, envvar=_env("allowed_origins"), help="Browser Origins to accept besides loopback, e.g. https://app.example.com; * for any."),
        click.option("--stateless", "stateless_http", is_flag=True, envvar=_env("stateless"), help="Streamable HTTP without sessions, for replicas behind a load balancer."),
        click.option("--shutdown-grace", "shutdown_grace_s", type=click.FloatRange(0, 3600), default=10.0, show_default=True, envvar=_env("shutdown_grace"), help="Seconds in-flight calls get to finish on SIGTERM/SIGINT."),
    )
    for decorator in reversed(options):
        fn = decorator(fn)
    return fn


def _auth_token(options: dict[str, Any]) -> str | None:
    """The bearer token from --auth-token (or its variable) or --auth-token-file; never both."""
    token = options.get("auth_token")
    token_file = options.get("auth_token_file")
    if token and token_file:
        raise click.UsageError("give --auth-token or --auth-token-file, not both")
    if token_file is not None:
        try:
            token = Path(token_file).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise click.BadParameter(f"cannot read {str(token_file)!r}: {exc.strerror}", param_hint="--auth-token-file") from None
        if not token:
            raise click.BadParameter(f"{str(token_file)!r} is empty", param_hint="--auth-token-file")
    return token or None


# Settings fields whose option has another name or needs converting; every other field takes the
# option of its own name when one was given, else the Settings default.
_CONVERTED: dict[str, Callable[[dict[str, Any]], Any]] = {
    "extra_env_vars": lambda o: _csv(o.get("pass_env")),
    "allowed_namespaces": lambda o: frozenset(_csv(o.get("allowed_namespaces"))) or None,
    "denied_namespaces": lambda o: frozenset(_csv(o.get("denied_namespaces"))),
    "denied_resources": lambda o: _csv(o.get("denied_resources")),
    "allowed_contexts": lambda o: frozenset(_csv(o.get("allowed_contexts"))),
    "allowed_chart_dirs": lambda o: tuple(Path(d) for d in _csv(o.get("allowed_chart_dirs"))),
    "allowed_hosts": lambda o: _csv(o.get("allowed_hosts")),
    "allowed_origins": lambda o: _csv(o.get("allowed_origins")),
    "auth_token": _auth_token,
}
# Empty means "not given" for these (an empty MCP_KUBECTL_HELM is no binary name).
_EMPTY_IS_UNSET = frozenset({"helm", "host", "port"})


def build_settings(**options: Any) -> Settings:
    """One frozen Settings from parsed options."""
    values: dict[str, Any] = {}
    for field in dataclasses.fields(Settings):
        if field.name in _CONVERTED:
            values[field.name] = _CONVERTED[field.name](options)
        elif options.get(field.name) is not None and not (field.name in _EMPTY_IS_UNSET and not options[field.name]):
            values[field.name] = options[field.name]
    return Settings(**values)


def _configure_logging(level: str) -> None:
    """Logs go to stderr: in stdio mode stdout belongs to the protocol."""
    logging.basicConfig(stream=sys.stderr, level=getattr(logging, level), format="%(asctime)s %(levelname)s %(name)s: %(message)s")


def _fail(message: str) -> None:
    click.echo(f"mcp-kubectl: {message}", err=True)
    sys.exit(2)


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 110})
@click.version_option(__version__, "--version", prog_name="mcp-kubectl")
@server_options
@http_options
@click.option("--demo", is_flag=True, help="Serve the built-in Kubernetes emulator with sample workloads.")
@click.pass_context  # type: ignore[arg-type]  # click's stubs cannot type **options
def cli(ctx: click.Context, demo: bool, log_level: str, **options: Any) -> None:
    """An MCP server that lets AI assistants use your kubectl, safely. Serves over stdio by default."""
    if ctx.invoked_subcommand is not None:
        return
    _configure_logging(log_level)
    from mcp_kubectl.errors import McpKubectlError

    settings = build_settings(**options)
    try:
        if settings.transport != "stdio":
            from mcp_kubectl.transport.http_app import check_exposure

            check_exposure(settings)  # before any work: a refused bind says so at once
        if demo:
            from mcp_kubectl.demo import serve_demo

            serve_demo(settings)
            return
        from mcp_kubectl.transport.launch import serve

        serve(settings)
    except McpKubectlError as error:
        _fail(str(error))


@cli.command()
@server_options
def check(log_level: str, **options: Any) -> None:
    """Diagnose a setup: kubectl, kubeconfig, cluster reachability, and the tools that would be enabled."""
    from mcp_kubectl.check import run_check

    _configure_logging(log_level)
    settings = build_settings(**options)
    sys.exit(run_check(settings, echo=click.echo))


@cli.command()
@click.option("--keep", is_flag=True, help="Keep the emulator running after the scripted session (Ctrl-C to stop).")
@click.option("--kubectl", "kubectl", default="kubectl", show_default=True, envvar=_env("kubectl"), help="kubectl binary (name on PATH or path).")
@click.option("--timeout", "timeout_s", type=click.FloatRange(1, 3600), default=DEFAULT_TIMEOUT_S, show_default=True, envvar=_env("timeout"), help="Seconds before a kubectl call is stopped.")
def demo(keep: bool, kubectl: str, timeout_s: float) -> None:
    """Start the built-in emulator with sample workloads and drive a short scripted session through a real MCP client.

    The demo makes its own cluster and kubeconfig, so it takes no --kubeconfig or --context.
    """
    from mcp_kubectl.demo import run_demo_session
    from mcp_kubectl.errors import McpKubectlError

    try:
        sys.exit(run_demo_session(echo=click.echo, keep=keep, kubectl=kubectl, timeout_s=timeout_s))
    except McpKubectlError as error:
        _fail(str(error))


_GO_STYLE = re.compile(r"^-([a-z][a-z0-9-]+)(?:=(.*))?$")


def translate_go_flags(argv: Sequence[str], known: set[str]) -> list[str]:
    """Rewrite mcp-k8s's single-dash flags (`-enable-create`, `-enable-list=false`) to ours."""
    out: list[str] = []
    for arg in argv:
        match = _GO_STYLE.match(arg)
        if not match or f"--{match.group(1)}" not in known:
            out.append(arg)
            continue
        name, value = match.group(1), match.group(2)
        if value is None:
            out.append(f"--{name}")
        elif value.lower() in ("true", "1"):
            out.append(f"--{name}")
        elif value.lower() in ("false", "0"):
            if f"--{name.replace('enable-', 'disable-')}" in known and name.startswith("enable-"):
                out.append(f"--{name.replace('enable-', 'disable-')}")
            # A false boolean that has no negative form is simply the default.
        else:
            out.append(f"--{name}={value}")
    return out


def _known_options(command: click.Command) -> set[str]:
    names: set[str] = set()
    for param in command.params:
        names.update(o for o in getattr(param, "opts", []) + getattr(param, "secondary_opts", []) if o.startswith("--"))
    return names


def main(argv: Sequence[str] | None = None) -> None:
    """Console entry point."""
    args = list(sys.argv[1:] if argv is None else argv)
    cli.main(args=translate_go_flags(args, _known_options(cli)), prog_name="mcp-kubectl")
