"""kubectl's failures become one typed error each, by the API server's reason."""

from __future__ import annotations

import pytest

import json

from mcp_kubectl.errors import InvalidArgument, KubeconfigError, KubectlFailed, Reason, Timeout
from mcp_kubectl.cluster.kubectl_errors import classify, clean_stderr, error_for, parse_status_body, parse_stderr
from mcp_kubectl.cluster.runner import KubectlResult


def failed(stderr: str) -> KubectlResult:
    return KubectlResult(argv=("kubectl", "get"), exit_code=1, stdout=b"", stderr=stderr, duration_s=0.1)


@pytest.mark.parametrize(
    "stderr, reason",
    [
        ('Error from server (NotFound): configmaps "x" not found', "NotFound"),
        ('Error from server (AlreadyExists): error when creating "STDIN": configmaps "x" already exists', "AlreadyExists"),
        ("Error from server (Conflict): Operation cannot be fulfilled on configmaps \"x\": the object has been modified", "Conflict"),
        ('Error from server (Forbidden): pods is forbidden: User "viewer" cannot list resource "pods"', "Forbidden"),
        ("error: You must be logged in to the server (Unauthorized)", "Unauthorized"),
        ('Error from server (Invalid): error when creating "STDIN": Service "s" is invalid: spec.ports[0].port: Invalid value', "Invalid"),
        ('error: the server doesn\'t have a resource type "flurbs"', "UnknownResourceType"),
        ("Error from server (NotFound): the server could not find the requested resource", "UnknownResourceType"),
        ("error: Apply failed with 1 conflict: conflict with \"kubectl-create\" using v1: .data.key", "Conflict"),
        (
            'E1127 03:37:39.419972 5034 memcache.go:381] "Unhandled Error" err="couldn\'t get current server API group list"\n'
            "The connection to the server 127.0.0.1:1 was refused - did you specify the right host or port?",
            "Unreachable",
        ),
        ("Unable to connect to the server: dial tcp 127.0.0.1:9: connect: connection refused", "Unreachable"),
        ("Error from server (InternalError): an error on the server has prevented the request from succeeding", "InternalError"),
        ('The ConfigMap "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain', "Invalid"),
        ("The request is invalid: the server rejected our request due to an error in our request", "Invalid"),
        (
            "error: Internal error occurred: error executing command in container: failed to exec in container: "
            'OCI runtime exec failed: exec failed: unable to start container process: exec: "nope": '
            "executable file not found in $PATH: unknown",
            "InternalError",
        ),
        ("something nobody anticipated", "KubectlError"),
    ],
)
def test_reasons(stderr: str, reason: str) -> None:
    error = classify(failed(stderr))
    assert isinstance(error, KubectlFailed)
    assert error.reason == reason and isinstance(error.reason, Reason)


def test_timeouts_and_kubeconfig_problems_get_their_own_types() -> None:
    assert isinstance(classify(failed("Unable to connect to the server: net/http: request canceled (Client.Timeout exceeded while awaiting headers)")), Timeout)
    assert isinstance(classify(failed('error: context "nope" does not exist')), KubeconfigError)


def test_klog_noise_is_dropped_and_hints_attached() -> None:
    stderr = 'I1127 03:37:39.419972 5034 cached.go:1] "noise"\nError from server (NotFound): pods "p" not found'
    assert clean_stderr(stderr) == 'Error from server (NotFound): pods "p" not found'
    error = classify(failed(stderr))
    assert error.hint and error.argv == ("kubectl", "get") and error.exit_code == 1


def status(reason: str, message: str, code: int) -> bytes:
    return json.dumps({"kind": "Status", "apiVersion": "v1", "status": "Failure", "reason": reason, "message": message, "code": code}).encode()


@pytest.mark.parametrize(
    "reason, message, code",
    [
        ("NotFound", 'configmaps "x" not found', 404),
        ("AlreadyExists", 'configmaps "x" already exists', 409),
        ("Forbidden", 'pods is forbidden: User "u" cannot list resource "pods"', 403),
        ("Conflict", 'Operation cannot be fulfilled on configmaps "x": the object has been modified', 409),
        ("Unauthorized", "Unauthorized", 401),
        ("InternalError", "an error on the server has prevented the request from succeeding", 500),
        ("NotFound", "the server could not find the requested resource", 404),
        ("Timeout", "the server was unable to return a response in the time allotted", 504),
    ],
)
def test_a_status_body_and_kubectls_stderr_for_it_parse_to_the_same_error(reason: str, message: str, code: int) -> None:
    """The fast path parses the Status itself; the subprocess path parses kubectl's print of it: one answer."""
    from_body = parse_status_body(status(reason, message, code))
    assert from_body is not None
    from_stderr = parse_stderr(from_body.message + "\n")  # what kubectl prints for this Status
    assert from_body == from_stderr
    body_error, stderr_error = error_for(from_body), error_for(from_stderr)
    assert type(body_error) is type(stderr_error) and body_error.to_dict() == stderr_error.to_dict()


def test_a_status_without_a_reason_is_classified_by_its_code_and_an_unknown_reason_is_kubectl_error() -> None:
    assert parse_status_body(status("", "gone away", 410)) == parse_status_body(status("Gone", "gone away", 410)).__class__(
        Reason.GONE, "Error from server: gone away"
    )
    assert parse_status_body(status("", "?", 599)).reason is Reason.UNKNOWN  # type: ignore[union-attr]
    assert parse_status_body(status("SomethingNew", "?", 400)).reason is Reason.UNKNOWN  # type: ignore[union-attr]
    for not_a_failure in (b"Forbidden\n", b'{"kind":"Pod"}', b'{"kind":"Status","status":"Success"}', b"[" * 100_000):
        assert parse_status_body(not_a_failure) is None


def test_errors_are_immutable_and_with_hint_returns_a_copy() -> None:
    error = classify(failed('Error from server (NotFound): pods "p" not found'))
    assert isinstance(error, KubectlFailed)
    with pytest.raises(AttributeError):
        error.hint = "changed"  # type: ignore[misc]
    with pytest.raises(AttributeError):
        error.message = "changed"  # type: ignore[misc]
    hinted = error.with_hint("look elsewhere")
    assert (hinted.hint, error.hint) == ("look elsewhere", KubectlFailed.HINTS[Reason.NOT_FOUND])
    assert (hinted.reason, hinted.argv, hinted.exit_code, hinted.message) == (error.reason, error.argv, error.exit_code, error.message)
    assert type(hinted) is KubectlFailed and str(hinted).endswith("Hint: look elsewhere")
    argument = InvalidArgument("bad name", argument="name").with_message("redacted")
    assert (argument.argument, argument.message, str(argument)) == ("name", "redacted", "InvalidArgument: redacted")


def test_no_hint_in_the_error_tree_names_a_tool() -> None:
    """Which tools exist is the edge's knowledge (mcp_kubectl.shaping.hints), not the error tree's."""
    import mcp_kubectl.errors as errors

    tools = ("get_resource", "list_resources", "get_api_resources", "create_resource", "update_resource", "delete_resource", "describe_resource")
    hints = [*KubectlFailed.HINTS.values()] + [getattr(c, "default_hint", "") for c in vars(errors).values() if isinstance(c, type)]
    assert not [h for h in hints if any(t in h for t in tools)]
