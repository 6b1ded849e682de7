"""The command line: options and environment into Settings, and the Go server's spellings."""

from __future__ import annotations

import dataclasses
import os
import pty
import select
import signal
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from mcp_kubectl.cli import _known_options, build_settings, cli, translate_go_flags
from mcp_kubectl.settings import Settings
from mcp_kubectl.tools.table import enabled_verbs, enabled_writes


@pytest.mark.parametrize(
    "given, expected",
    [
        (["-enable-create"], ["--enable-create"]),
        (["-enable-list=false"], ["--disable-list"]),
        (["-enable-delete=true"], ["--enable-delete"]),
        (["-enable-update=false"], []),
        (["-kubeconfig", "/k"], ["--kubeconfig", "/k"]),
        (["-kubeconfig=/k"], ["--kubeconfig=/k"]),
        (["-h"], ["-h"]),
        (["-unknown-flag"], ["-unknown-flag"]),
        (["check", "-context=x"], ["check", "--context=x"]),
    ],
)
def test_go_style_flags_are_translated(given: list[str], expected: list[str]) -> None:
    assert translate_go_flags(given, _known_options(cli)) == expected


def test_options_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    seen = {}

    def fake_check(settings, echo):  # type: ignore[no-untyped-def]
        seen["settings"] = settings
        return 0

    monkeypatch.setattr("mcp_kubectl.check.run_check", fake_check)
    result = CliRunner().invoke(
        cli,
        ["check"],
        env={
            "MCP_KUBECTL_ENABLE_CREATE": "true",
            "MCP_KUBECTL_NAMESPACE": "team",
            "MCP_KUBECTL_TIMEOUT": "7",
            "MCP_KUBECTL_DENIED_RESOURCES": "secrets,configmaps",
        },
    )
    assert result.exit_code == 0, result.output
    settings = seen["settings"]
    assert settings.enable_create and not settings.enable_delete
    assert settings.namespace == "team" and settings.timeout_s == 7
    assert settings.denied_resources == ("secrets", "configmaps")


def _non_default_arguments(option: click.Option) -> list[str]:
    """Command-line words that set `option` to something other than its default."""
    if option.is_flag:
        return [(option.secondary_opts if option.default is True else option.opts)[0]]
    kind = option.type
    if isinstance(kind, click.Choice):
        value = next(str(c) for c in kind.choices if c != option.default)
    elif isinstance(kind, (click.IntRange, click.FloatRange)):
        value = str((kind.min or 0) + 2)
    else:
        value = "/tmp/option-value" if isinstance(kind, click.Path) else "option-value"
    return [option.opts[0], value]


SETTINGS_FIELDS = {field.name for field in dataclasses.fields(Settings)}


@pytest.mark.parametrize(
    "option", [p for p in cli.params if isinstance(p, click.Option) and p.name in SETTINGS_FIELDS], ids=lambda p: p.opts[0]
)
def test_every_option_reaches_the_settings(monkeypatch: pytest.MonkeyPatch, option: click.Option) -> None:
    """build_settings copies options by name: an option it dropped would leave the default in place."""
    seen = {}
    monkeypatch.setattr("mcp_kubectl.transport.launch.serve", lambda settings: seen.setdefault("settings", settings))
    monkeypatch.setattr("mcp_kubectl.transport.http_app.check_exposure", lambda settings: None)
    result = CliRunner().invoke(cli, _non_default_arguments(option), env={})
    assert result.exit_code == 0, result.output
    assert getattr(seen["settings"], option.name) != getattr(Settings(), option.name)


def test_lists_accept_commas_and_repeats() -> None:
    settings = build_settings(kubectl="kubectl", timeout_s=30, allowed_namespaces=("a,b", "c"), denied_resources=("secrets",))
    assert settings.allowed_namespaces == frozenset({"a", "b", "c"})
    assert enabled_writes(settings) == ()


def test_version_and_help() -> None:
    runner = CliRunner()
    assert "mcp-kubectl, version" in runner.invoke(cli, ["--version"]).output
    help_text = runner.invoke(cli, ["--help"]).output
    for option in ("--enable-create", "--kubeconfig", "--denied-resources", "--transport"):
        assert option in help_text


def test_writes_are_off_by_default() -> None:
    settings = build_settings(kubectl="kubectl", timeout_s=30)
    assert not (settings.enable_create or settings.enable_update or settings.enable_delete)
    assert settings.enable_list
    assert "create" not in enabled_verbs(settings) and "delete" not in enabled_verbs(settings)


def test_bad_option_values_are_refused(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["--timeout", "0"])
    assert result.exit_code == 2 and "--timeout" in result.output


# ---------------------------------------------------------------- what a newcomer reads (issue 13)

OFFLINE_KUBECONFIG = (
    "apiVersion: v1\nkind: Config\ncurrent-context: c\n"
    "clusters: [{name: c, cluster: {server: 'https://127.0.0.1:9'}}]\n"
    "users: [{name: u, user: {token: x}}]\n"
    "contexts: [{name: c, context: {cluster: c, user: u}}]\n"
)


def _offline_argv(tmp_path: Path, *extra: str) -> list[str]:
    from harness import pinned_kubectl

    kubeconfig = tmp_path / "kubeconfig"
    kubeconfig.write_text(OFFLINE_KUBECONFIG)
    return [sys.executable, "-m", "mcp_kubectl", f"--kubeconfig={kubeconfig}", f"--kubectl={pinned_kubectl()}", f"--cache-dir={tmp_path / 'cache'}", *extra]


def test_help_and_readme_agree_on_the_cache_directory(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from mcp_kubectl.cluster.runner import default_cache_dir

    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    default = "~/" + str(default_cache_dir().relative_to(tmp_path))
    help_text = " ".join(CliRunner().invoke(cli, ["--help"]).output.split())
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    assert f"(default: {default}" in help_text
    assert f"| `--cache-dir DIR` | `{default}` |" in readme


def test_every_option_has_help() -> None:
    for command in (cli, *cli.commands.values()):
        for param in command.params:
            if isinstance(param, click.Option) and not param.hidden:
                assert param.help, f"{command.name} {param.opts} has no help"


def test_check_without_kubectl_does_not_tell_the_user_to_run_check() -> None:
    result = CliRunner().invoke(cli, ["check", "--kubectl=kubectl-that-is-not-installed"])
    assert result.exit_code == 1
    assert "FAIL kubectl" in result.output and "--kubectl" in result.output
    assert "mcp-kubectl check" not in result.output


def test_a_terminal_on_stdin_gets_one_line_saying_what_to_do(tmp_path: Path) -> None:
    controller, terminal = pty.openpty()
    try:
        with subprocess.Popen(_offline_argv(tmp_path), stdin=terminal, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as process:
            try:
                assert process.stderr is not None
                ready, _, _ = select.select([process.stderr], [], [], 30)
                assert ready, "nothing on stderr within 30s"
                line = process.stderr.readline()
            finally:
                process.terminate()
                process.wait(timeout=10)
    finally:
        os.close(controller)
        os.close(terminal)
    assert line.startswith("mcp-kubectl: waiting for an MCP client") and "mcp-kubectl demo" in line


def test_a_client_on_stdin_gets_no_such_line(tmp_path: Path) -> None:
    done = subprocess.run(_offline_argv(tmp_path), stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stderr == "" and done.stdout == ""


def test_http_start_up_is_one_plain_line_not_a_warning(tmp_path: Path) -> None:
    from harness import _wait_for_port, free_port

    port = free_port()
    env = {**os.environ, "MCP_KUBECTL_AUTH_TOKEN": "a-token-for-this-test"}
    argv = _offline_argv(tmp_path, "--transport=http", f"--port={port}")
    with subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env) as process:
        try:
            assert process.stderr is not None
            first = process.stderr.readline()
            _wait_for_port(port, process, lambda: "")  # signal handlers are in place once it listens
            process.send_signal(signal.SIGTERM)
            rest = process.stderr.read()
            assert process.wait(timeout=15) == 0
        finally:
            if process.poll() is None:
                process.kill()
    assert first == f"mcp-kubectl: serving MCP (http) at http://127.0.0.1:{port}/mcp\n"
    assert "WARNING" not in first + rest and "mcp-kubectl stopped" in rest
