"""Every failure mcp-kubectl reports, as one exception tree.

    McpKubectlError                 base: `reason` (wire name) + `hint` (next step for the model)
    ├── InvalidArgument             a tool argument failed validation before kubectl ran
    ├── InvalidManifest             a manifest failed parsing or its limits
    ├── PolicyDenied                the server's policy forbids the call
    ├── ToolDisabled                the kubectl verb is not enabled on this server
    ├── ProgramMissing              a binary (kubectl, helm) could not be found or run
    │   └── KubectlMissing          ... and that binary is kubectl
    ├── KubeconfigError             the kubeconfig or context is unusable
    ├── SetupError                  another start-up setting is unusable (audit log path, ...)
    ├── Timeout                     kubectl did not finish within the deadline
    ├── OutputTooLarge              kubectl printed more than the read cap
    ├── ConfirmationRefused         the person said no (or could not be asked)
    ├── InternalError               an unexpected failure inside the server (details in its log)
    └── KubectlFailed               kubectl ran and failed; `reason` from the API server's Status
                                    (NotFound, AlreadyExists, Conflict, Forbidden, Unauthorized,
                                    Invalid, UnknownResourceType, Unreachable, BadRequest, ...)

Errors become MCP tool results (`isError`) in one place: `mcp_kubectl.tools`.
"""

from __future__ import annotations

from collections.abc import Sequence


class McpKubectlError(Exception):
    """Base of every error this package reports to the model."""

    reason: str = "Error"
    default_hint: str = ""

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint if hint is not None else self.default_hint

    def to_dict(self) -> dict[str, str]:
        """The error as the model sees it in structured content."""
        out = {"reason": self.reason, "message": self.message}
        if self.hint:
            out["hint"] = self.hint
        return out

    def __str__(self) -> str:
        text = f"{self.reason}: {self.message}"
        return f"{text}\nHint: {self.hint}" if self.hint else text


class InvalidArgument(McpKubectlError):
    """A tool argument failed validation; kubectl never ran."""

    reason = "InvalidArgument"

    def __init__(self, message: str, *, argument: str, hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.argument = argument


class InvalidManifest(McpKubectlError):
    """The manifest could not be parsed or broke a limit; kubectl never ran."""

    reason = "InvalidManifest"
    default_hint = "Send YAML or JSON documents, each a mapping with apiVersion, kind and metadata.name."


class PolicyDenied(McpKubectlError):
    """The server's policy forbids this call; kubectl never ran."""

    reason = "PolicyDenied"
    default_hint = "This server's operator restricted it; choose an allowed namespace, kind or context."


class ToolDisabled(McpKubectlError):
    """The subcommand (kubectl's verb) behind this call is not enabled on this server."""

    reason = "ToolDisabled"

    def __init__(self, verb: str, *, program: str = "kubectl") -> None:
        super().__init__(
            f"{program} {verb} is not enabled on this server",
            hint="The operator must start mcp-kubectl with the matching --enable-* flag.",
        )
        self.verb = verb
        self.program = program


class ProgramMissing(McpKubectlError):
    """A binary the server runs could not be found or started."""

    reason = "ProgramMissing"

    def __init__(self, message: str, *, program: str, hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.program = program


class KubectlMissing(ProgramMissing):
    """kubectl could not be found or started."""

    reason = "KubectlMissing"
    default_hint = "Install kubectl or pass --kubectl /path/to/kubectl; run `mcp-kubectl check`."

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message, program="kubectl", hint=hint)


class KubeconfigError(McpKubectlError):
    """The kubeconfig or the chosen context cannot be used."""

    reason = "KubeconfigError"
    default_hint = "Check --kubeconfig and --context; run `mcp-kubectl check`."


class SetupError(McpKubectlError):
    """A server setting other than the kubeconfig cannot be used; found at start."""

    reason = "SetupError"


class Timeout(McpKubectlError):
    """kubectl did not finish within its deadline and was killed."""

    reason = "Timeout"
    default_hint = "The API server is slow or unreachable; narrow the request or retry later."


class OutputTooLarge(McpKubectlError):
    """kubectl printed more than the read cap and was killed."""

    reason = "OutputTooLarge"
    default_hint = "Narrow the request: a namespace, a labelSelector or fieldSelector, or a smaller limit."


class ConfirmationRefused(McpKubectlError):
    """The write needed a person's yes and did not get one."""

    reason = "ConfirmationRefused"


class InternalError(McpKubectlError):
    """Something this server did not foresee failed; the traceback is in its log, not the answer."""

    reason = "InternalError"

    def __init__(self) -> None:
        super().__init__(
            "mcp-kubectl failed unexpectedly; the server log has the details",
            hint="Read the object's current state before retrying a write; report the failure with the server log.",
        )


class KubectlFailed(McpKubectlError):
    """kubectl ran and exited non-zero; `reason` is the API server's, when it gave one."""

    HINTS = {
        "NotFound": "Check the name and namespace, or list the resources to find it.",
        "AlreadyExists": "The object exists; use update_resource to change it.",
        "Conflict": "The object changed meanwhile; read it again and retry.",
        "Forbidden": "The kubeconfig's user lacks permission for this; ask the cluster admin.",
        "Unauthorized": "The kubeconfig's credentials were rejected or expired; log in again.",
        "Invalid": "The object is invalid; fix the fields named in the message.",
        "BadRequest": "The request was malformed; check selectors and field values.",
        "UnknownResourceType": "Call get_api_resources to see the resource types this cluster serves.",
        "Unreachable": "The API server could not be reached; check the cluster and `mcp-kubectl check`.",
        "MethodNotAllowed": "This resource type does not support that operation.",
    }

    def __init__(
        self,
        message: str,
        *,
        reason: str,
        argv: Sequence[str] = (),
        exit_code: int | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message, hint=hint if hint is not None else self.HINTS.get(reason, ""))
        self.reason = reason
        self.argv = tuple(argv)
        self.exit_code = exit_code
