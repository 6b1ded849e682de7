"""kubectl's failures become one typed error each, by the API server's reason."""

from __future__ import annotations

import pytest

from mcp_kubectl.errors import KubeconfigError, KubectlFailed, Timeout
from mcp_kubectl.kubectl_errors import classify, clean_stderr
from mcp_kubectl.runner import KubectlResult


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
        ("something nobody anticipated", "KubectlError"),
    ],
)
def test_reasons(stderr: str, reason: str) -> None:
    error = classify(failed(stderr))
    assert isinstance(error, KubectlFailed)
    assert error.reason == reason


def test_timeouts_and_kubeconfig_problems_get_their_own_types() -> None:
    assert isinstance(classify(failed("Unable to connect to the server: net/http: request canceled (Client.Timeout exceeded while awaiting headers)")), Timeout)
    assert isinstance(classify(failed('error: context "nope" does not exist')), KubeconfigError)


def test_klog_noise_is_dropped_and_hints_attached() -> None:
    stderr = 'I1127 03:37:39.419972 5034 cached.go:1] "noise"\nError from server (NotFound): pods "p" not found'
    assert clean_stderr(stderr) == 'Error from server (NotFound): pods "p" not found'
    error = classify(failed(stderr))
    assert error.hint and error.argv == ("kubectl", "get") and error.exit_code == 1
