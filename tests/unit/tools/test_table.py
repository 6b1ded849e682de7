"""The tool table's own invariants: what every row must say, checked on the table itself."""

from __future__ import annotations

import inspect

from mcp_kubectl.tools.table import TOOLS


def test_every_write_asks_for_confirmation_and_no_read_does() -> None:
    writes = {spec.name for spec in TOOLS if spec.writes}
    confirming = {spec.name for spec in TOOLS if spec.confirm is not None}
    assert writes == confirming
    assert {"create_resource", "update_resource", "delete_resource", "exec_in_pod", "install_helm_chart"} <= confirming


def test_every_tool_is_a_plain_tool_function_that_never_names_its_confirmation_or_context() -> None:
    for spec in TOOLS:
        assert inspect.iscoroutinefunction(spec.handler), spec.name
        parameters = list(inspect.signature(spec.handler).parameters)
        assert parameters[0] == "ops", spec.name
        assert not {"confirmation", "context"} & set(parameters), spec.name  # the kit adds both
