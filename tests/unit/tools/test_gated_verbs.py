"""A tool's gated verbs (rollout_resource's write actions): enabled only while their own gate is open."""

from __future__ import annotations

import pytest

from mcp_kubectl.cluster.runner import ALLOWED_VERBS, KubectlCommand, KubectlRunner
from mcp_kubectl.errors import ToolDisabled
from mcp_kubectl.settings import Settings
from mcp_kubectl.tools.table import ROLLOUT_READS, ROLLOUT_WRITES, TOOLS, enabled_tools, enabled_verbs


def _runner(settings: Settings) -> KubectlRunner:
    return KubectlRunner(settings, "/usr/bin/kubectl", enabled_verbs=enabled_verbs(settings))


def test_rollout_reads_come_with_listing_and_writes_only_with_update() -> None:
    assert ROLLOUT_READS <= enabled_verbs(Settings()) and not ROLLOUT_WRITES & enabled_verbs(Settings())
    assert ROLLOUT_WRITES <= enabled_verbs(Settings(enable_update=True))
    # The tool is off without listing: its gated verbs stay off even with --enable-update.
    assert not (ROLLOUT_READS | ROLLOUT_WRITES) & enabled_verbs(Settings(enable_list=False, enable_update=True))
    assert (ROLLOUT_READS | ROLLOUT_WRITES) <= ALLOWED_VERBS


def test_the_runner_cannot_run_a_write_action_unless_update_is_enabled() -> None:
    """Even a bug that skipped the tool's own check could not make kubectl restart anything."""
    reading = _runner(Settings())
    for verb in ROLLOUT_WRITES:
        with pytest.raises(ToolDisabled):
            reading.build_argv(KubectlCommand(verb, args=("deployments.apps/web",)))
    assert reading.build_argv(KubectlCommand("rollout status", args=("deployments.apps/web",)))[1:3] == ["rollout", "status"]
    argv = _runner(Settings(enable_update=True)).build_argv(KubectlCommand("rollout restart", args=("deployments.apps/web",)))
    assert argv[1:3] == ["rollout", "restart"] and argv[-2:] == ["--", "deployments.apps/web"]


def test_a_tool_is_read_only_while_all_its_gated_writes_are_shut() -> None:
    rollout = next(spec for spec in TOOLS if spec.name == "rollout_resource")
    assert rollout.annotations_for(Settings()).read_only_hint is True
    assert not rollout.annotations_for(Settings(enable_update=True)).read_only_hint
    assert "rollout_resource" in [spec.name for spec in enabled_tools(Settings())]
    assert not rollout.writes_on(Settings()) and rollout.writes_on(Settings(enable_update=True))
