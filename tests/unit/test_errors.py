"""The error tree's wire names and its immutability.

A direct subclass's `reason` is its class name: renaming a class would change what clients
read in `error.reason`, so the names are pinned here, as a contract.
"""

from __future__ import annotations

import pytest

from mcp_kubectl import errors
from mcp_kubectl.errors import HelmFailed, KubectlFailed, McpKubectlError, ProgramFailed, Reason

WIRE_NAMES = {
    "InvalidArgument", "InvalidManifest", "PolicyDenied", "ToolDisabled", "ProgramMissing", "KubectlMissing",
    "KubeconfigError", "SetupError", "Timeout", "OutputTooLarge", "MetricsUnavailable", "ConfirmationRefused",
    "InternalError",
}
READ_FROM_THE_PROGRAM = {HelmFailed, KubectlFailed}  # their reason is the failure's, per instance


def _tree(root: type[McpKubectlError]) -> list[type[McpKubectlError]]:
    return [root, *(c for sub in root.__subclasses__() for c in _tree(sub))]


def test_every_class_reason_is_its_pinned_wire_name() -> None:
    classes = [
        c for c in _tree(McpKubectlError)
        if c.__module__ == errors.__name__ and c not in (McpKubectlError, ProgramFailed, *READ_FROM_THE_PROGRAM)
    ]
    assert {c.reason for c in classes} == WIRE_NAMES
    assert all(c.reason == c.__name__ for c in classes)


def test_a_deeper_subclass_answers_with_its_parents_reason_unless_it_names_one() -> None:
    from mcp_kubectl.safety.previews import PreviewTooLarge

    class Refusal(errors.ConfirmationRefused):
        pass

    assert Refusal.reason == PreviewTooLarge.reason == "ConfirmationRefused"
    assert errors.KubectlMissing.reason == "KubectlMissing" != errors.ProgramMissing.reason


def test_failed_programs_carry_their_own_reason_argv_and_exit_code() -> None:
    helm = HelmFailed("no such chart", reason="ChartNotFound", argv=["helm", "pull"], exit_code=1)
    assert (helm.reason, helm.argv, helm.exit_code) == ("ChartNotFound", ("helm", "pull"), 1)
    assert HelmFailed("odd output").reason == "HelmError"
    kubectl = KubectlFailed("pods \"x\" not found", reason=Reason.NOT_FOUND, argv=("kubectl", "get"), exit_code=1)
    assert isinstance(kubectl, ProgramFailed) and kubectl.reason is Reason.NOT_FOUND
    assert kubectl.hint == KubectlFailed.HINTS[Reason.NOT_FOUND]
    assert KubectlFailed("x", reason=Reason.NOT_FOUND, hint="").hint == ""


def test_errors_are_immutable_and_copies_keep_their_fields() -> None:
    error = KubectlFailed("denied", reason=Reason.FORBIDDEN, argv=("kubectl",), exit_code=1)
    with pytest.raises(AttributeError, match="immutable"):
        error.message = "changed"  # type: ignore[misc]
    copy = error.with_hint("ask the admin").with_message("DENIED")
    assert (copy.message, copy.hint, copy.reason, copy.argv, copy.exit_code) == ("DENIED", "ask the admin", Reason.FORBIDDEN, ("kubectl",), 1)
    assert (error.message, error.hint) == ("denied", KubectlFailed.HINTS[Reason.FORBIDDEN])
