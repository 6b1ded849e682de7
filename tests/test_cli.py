"""The command line: options and environment into Settings, and the Go server's spellings."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from mcp_kubectl.cli import _known_options, build_settings, cli, translate_go_flags


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


def test_lists_accept_commas_and_repeats() -> None:
    settings = build_settings(kubectl="kubectl", timeout_s=30, allowed_namespaces=("a,b", "c"), denied_resources=("secrets",))
    assert settings.allowed_namespaces == frozenset({"a", "b", "c"})
    assert settings.enabled_writes == ()


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
    assert "create" not in settings.enabled_verbs and "delete" not in settings.enabled_verbs


def test_bad_option_values_are_refused(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["--timeout", "0"])
    assert result.exit_code == 2 and "--timeout" in result.output
