"""kubectl's input and output formats, as pure functions."""

from __future__ import annotations

import pytest

from mcp_kubectl.errors import KubectlFailed
from mcp_kubectl.cluster.kubectl_io import (
    as_documents,
    conflicts_only_with_ourselves,
    parse_json,
    parse_json_stream,
    stable_diff,
)


def test_documents_go_in_as_a_json_stream() -> None:
    body = as_documents([{"kind": "A"}, {"kind": "B"}])
    assert body == b'{"kind":"A"}\n{"kind":"B"}'  # newline-separated: kubectl 1.32 reads a JSON stream


def test_a_stream_of_objects_comes_back_in_order() -> None:
    assert parse_json_stream(b'{"a":1}\n{"b":2}\n') == [{"a": 1}, {"b": 2}]
    with pytest.raises(KubectlFailed):
        parse_json_stream(b'{"a":1} nonsense')
    with pytest.raises(KubectlFailed):
        parse_json(b"[1, 2]")


def test_diffs_lose_temp_paths_and_times() -> None:
    raw = (
        "diff -u -N /tmp/LIVE-123/v1.ConfigMap.a.b /tmp/MERGED-456/v1.ConfigMap.a.b\n"
        "--- /tmp/LIVE-123/v1.ConfigMap.a.b\t2026-11-27 04:11:05.75 +0000\n"
        "+++ /tmp/MERGED-456/v1.ConfigMap.a.b\t2026-11-27 04:11:05.75 +0000\n"
        "@@ -1 +1 @@\n-  k: a\n+  k: b"
    )
    assert stable_diff(raw) == "--- live/v1.ConfigMap.a.b\n+++ merged/v1.ConfigMap.a.b\n@@ -1 +1 @@\n-  k: a\n+  k: b"


@pytest.mark.parametrize(
    "message, ours",
    [
        ('Apply failed with 1 conflict: conflict with "mcp-kubectl" using v1: .data.key', True),
        ('Apply failed with 2 conflicts: conflicts with "mcp-kubectl" using v1:\n- .data.a\nconflicts with "kubectl-create"', False),
        ('Apply failed with 1 conflict: conflict with "helm" using apps/v1: .spec.replicas', False),
        ("no managers named", False),
    ],
)
def test_only_self_conflicts_are_taken_over_silently(message: str, ours: bool) -> None:
    assert conflicts_only_with_ourselves(message) is ours
