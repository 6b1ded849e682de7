"""Turn a failed kubectl run into one typed error, parsed once.

kubectl prints the API server's `Status` as `Error from server (Reason): message`;
client-side failures have their own fixed texts. The reason decides the error type
and the hint; the message is kubectl's own, minus klog noise.
"""

from __future__ import annotations

import re

from mcp_kubectl.errors import KubeconfigError, KubectlFailed, McpKubectlError, Timeout
from mcp_kubectl.runner import KubectlResult

_SERVER_ERROR = re.compile(r"Error from server \((?P<reason>[A-Za-z]+)\)")
_KLOG_LINE = re.compile(r"^[IWEF]\d{4} \d{2}:\d{2}:\d{2}\.\d+\s")
_MAX_MESSAGE = 2000

# (pattern, reason) checked in order against kubectl's stderr.
_CLIENT_FAILURES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"the server doesn't have a resource type|doesn't have a resource type"), "UnknownResourceType"),
    (re.compile(r"You must be logged in to the server|\(Unauthorized\)"), "Unauthorized"),
    (re.compile(r"Apply failed with \d+ conflicts?"), "Conflict"),
    # kubectl prints an Invalid Status from create/apply as `The Kind "name" is invalid: ...`.
    (re.compile(r'^The \S+ "[^"]*" is invalid:|^The request is invalid', re.M), "Invalid"),
    (re.compile(r"context deadline exceeded|Client\.Timeout exceeded|i/o timeout|TLS handshake timeout|timed out"), "Timeout"),
    (
        re.compile(
            r"Unable to connect to the server|connection refused|was refused - did you specify|no such host|"
            r"connection reset by peer|EOF$|server has asked for the client to provide credentials|"
            r"certificate signed by unknown authority|x509:"
        ),
        "Unreachable",
    ),
    (re.compile(r"error loading config file|context \".*\" does not exist|no configuration has been provided|invalid configuration|couldn't get current server API group list.*no such file", re.I), "KubeconfigError"),
    (re.compile(r"\(NotFound\)|not found"), "NotFound"),
)


def clean_stderr(stderr: str) -> str:
    """kubectl's message without klog lines (kept if nothing else is left), capped."""
    lines = [line for line in stderr.splitlines() if line.strip()]
    kept = [line for line in lines if not _KLOG_LINE.match(line)] or lines
    text = "\n".join(kept).strip()
    if len(text) > _MAX_MESSAGE:
        text = text[:_MAX_MESSAGE] + " ..."
    return text


def classify(result: KubectlResult) -> McpKubectlError:
    """The typed error for a kubectl run that exited non-zero."""
    message = clean_stderr(result.stderr) or f"kubectl exited with code {result.exit_code}"
    reason = _reason(result.stderr)
    if reason == "Timeout":
        return Timeout(message)
    if reason == "KubeconfigError":
        return KubeconfigError(message)
    return KubectlFailed(message, reason=reason, argv=result.argv, exit_code=result.exit_code)


def _reason(stderr: str) -> str:
    match = _SERVER_ERROR.search(stderr)
    if match:
        reason = match.group("reason")
        # The API server says "the server could not find the requested resource" as
        # NotFound for a whole type it does not serve.
        if reason == "NotFound" and "could not find the requested resource" in stderr:
            return "UnknownResourceType"
        return reason
    for pattern, reason in _CLIENT_FAILURES:
        if pattern.search(stderr):
            return reason
    return "KubectlError"
