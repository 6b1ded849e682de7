"""A failed kubectl run or API answer becomes one typed error, parsed once.

Two sources, one result (`ApiStatus`: a `Reason` and kubectl's message):
- the fast read path has the API server's `Status` body itself (`parse_status_body`);
- the subprocess path has kubectl's stderr, where kubectl printed that Status as
  `Error from server (Reason): message`, or a client-side failure in its own words
  (`parse_stderr`).
`error_for` turns either into the error type the model sees. The message is the text
kubectl prints (the Status rendered as kubectl renders it), so both paths answer alike.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass

from mcp_kubectl.cluster.process import ProcessResult
from mcp_kubectl.errors import KubeconfigError, KubectlFailed, McpKubectlError, Reason, Timeout

_SERVER_ERROR = re.compile(r"Error from server \((?P<reason>[A-Za-z]+)\)")
_KLOG_LINE = re.compile(r"^[IWEF]\d{4} \d{2}:\d{2}:\d{2}\.\d+\s")
_MAX_MESSAGE = 2000
# The API server says this, with NotFound, for a whole type it does not serve.
_NO_SUCH_TYPE = "could not find the requested resource"

# (pattern, reason) checked in order against kubectl's stderr when no Status was printed.
_CLIENT_FAILURES: tuple[tuple[re.Pattern[str], Reason], ...] = (
    (re.compile(r"the server doesn't have a resource type|doesn't have a resource type"), Reason.UNKNOWN_RESOURCE_TYPE),
    (re.compile(r"You must be logged in to the server|\(Unauthorized\)"), Reason.UNAUTHORIZED),
    (re.compile(r"Apply failed with \d+ conflicts?"), Reason.CONFLICT),
    # kubectl prints an Invalid Status from create/apply as `The Kind "name" is invalid: ...`.
    (re.compile(r'^The \S+ "[^"]*" is invalid:|^The request is invalid', re.M), Reason.INVALID),
    (
        re.compile(r"context deadline exceeded|Client\.Timeout exceeded|i/o timeout|TLS handshake timeout|timed out"),
        Reason.TIMEOUT,
    ),
    (
        re.compile(
            r"Unable to connect to the server|connection refused|was refused - did you specify|no such host|"
            r"connection reset by peer|EOF$|server has asked for the client to provide credentials|"
            r"certificate signed by unknown authority|x509:"
        ),
        Reason.UNREACHABLE,
    ),
    (
        re.compile(
            r"error loading config file|context \".*\" does not exist|no configuration has been provided|"
            r"invalid configuration|couldn't get current server API group list.*no such file",
            re.I,
        ),
        Reason.KUBECONFIG,
    ),
    # A Status kubectl received on a stream (exec, attach) rather than as an HTTP answer: kubectl
    # prints apierrors' text for InternalError. Its message may say "not found" (a program missing
    # in the container), which is not the API object NotFound.
    (re.compile(r"^error: Internal error occurred:", re.M), Reason.INTERNAL_ERROR),
    (re.compile(r"\(NotFound\)|not found"), Reason.NOT_FOUND),
)

# apimachinery's reasonForCode: a Status without a reason is classified by its HTTP code.
_REASON_FOR_CODE = {
    400: Reason.BAD_REQUEST,
    401: Reason.UNAUTHORIZED,
    403: Reason.FORBIDDEN,
    404: Reason.NOT_FOUND,
    405: Reason.METHOD_NOT_ALLOWED,
    406: Reason.NOT_ACCEPTABLE,
    409: Reason.CONFLICT,
    410: Reason.GONE,
    413: Reason.REQUEST_ENTITY_TOO_LARGE,
    415: Reason.UNSUPPORTED_MEDIA_TYPE,
    422: Reason.INVALID,
    429: Reason.TOO_MANY_REQUESTS,
    500: Reason.INTERNAL_ERROR,
    503: Reason.SERVICE_UNAVAILABLE,
    504: Reason.SERVER_TIMEOUT,
}


@dataclass(frozen=True)
class ApiStatus:
    """A failure, parsed: why (`reason`) and what kubectl says about it (`message`)."""

    reason: Reason
    message: str


def parse_status_body(body: bytes) -> ApiStatus | None:
    """The failure an API `Status` body reports, or None if the body is not a failed Status.

    The message is kubectl's StandardErrorMessage for it: Unauthorized has its own
    sentence; otherwise `Error from server (Reason): message`, or without a reason
    `Error from server: message`.
    """
    try:
        status = json.loads(body)
    except (ValueError, RecursionError):
        return None
    if not isinstance(status, dict) or status.get("kind") != "Status" or status.get("status") == "Success":
        return None
    message = str(status.get("message") or "")
    named = str(status.get("reason") or "")
    code = status.get("code")
    if named == "Unauthorized":
        text = f"error: You must be logged in to the server ({message})"
    elif named:
        text = f"Error from server ({named}): {message}"
    else:
        text = f"Error from server: {message}"
    if named:
        reason = Reason.parse(named)
    else:
        reason = _REASON_FOR_CODE.get(code, Reason.UNKNOWN) if isinstance(code, int) else Reason.UNKNOWN
    if reason is Reason.NOT_FOUND and _NO_SUCH_TYPE in message:
        reason = Reason.UNKNOWN_RESOURCE_TYPE
    return ApiStatus(reason, _capped(text))


def parse_stderr(stderr: str) -> ApiStatus:
    """The failure kubectl reported on stderr: the Status it printed, or its own client-side failure."""
    return ApiStatus(_stderr_reason(stderr), clean_stderr(stderr))


def _stderr_reason(stderr: str) -> Reason:
    match = _SERVER_ERROR.search(stderr)
    if match:
        reason = Reason.parse(match.group("reason"))
        if reason is Reason.NOT_FOUND and _NO_SUCH_TYPE in stderr:
            return Reason.UNKNOWN_RESOURCE_TYPE
        return reason
    for pattern, reason in _CLIENT_FAILURES:
        if pattern.search(stderr):
            return reason
    return Reason.UNKNOWN


def clean_stderr(stderr: str) -> str:
    """kubectl's message without klog lines (kept if nothing else is left), capped."""
    lines = [line for line in stderr.splitlines() if line.strip()]
    kept = [line for line in lines if not _KLOG_LINE.match(line)] or lines
    return _capped("\n".join(kept).strip())


def _capped(text: str) -> str:
    return text[:_MAX_MESSAGE] + " ..." if len(text) > _MAX_MESSAGE else text


def error_for(status: ApiStatus, *, argv: Sequence[str] = (), exit_code: int | None = None) -> McpKubectlError:
    """The typed error for a parsed failure."""
    message = status.message or f"kubectl exited with code {exit_code}"
    if status.reason is Reason.TIMEOUT:
        return Timeout(message)
    if status.reason is Reason.KUBECONFIG:
        return KubeconfigError(message)
    return KubectlFailed(message, reason=status.reason, argv=argv, exit_code=exit_code)


def classify(result: ProcessResult) -> McpKubectlError:
    """The typed error for a kubectl run that exited non-zero."""
    return error_for(parse_stderr(result.stderr), argv=result.argv, exit_code=result.exit_code)
