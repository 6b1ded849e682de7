"""The audit log: one JSON line per call, mode 0600, no symlinks followed, never a secret value."""

from __future__ import annotations

import hashlib
import json
import os
import stat
import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest

from mcp_kubectl.safety.audit import AuditEntry, AuditLog, summarize_arguments
from mcp_kubectl.safety.manifests import one_parse_per_call, parse_manifest
from mcp_kubectl.cluster.process import Run

SECRET_VALUE = "aHVudGVyMg=="
MANIFEST = f"""\
apiVersion: v1
kind: Secret
metadata:
  name: db
  namespace: team-a
data:
  password: {SECRET_VALUE}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
"""


def read_lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_file_is_created_with_mode_0600_and_one_line_per_entry(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    old_umask = os.umask(0)
    try:
        log = AuditLog(path)
    finally:
        os.umask(old_umask)
    with log:
        log.record(AuditEntry(tool="get_resource", arguments={"kind": "pods", "name": "web"}, runs=[Run(("kubectl", "get"), 0)]))
        log.record(AuditEntry(tool="delete_resource", arguments={"kind": "pods"}, outcome="PolicyDenied"))
    assert mode(path) == 0o600
    lines = read_lines(path)
    assert [line["tool"] for line in lines] == ["get_resource", "delete_resource"]
    assert lines[1]["outcome"] == "PolicyDenied"


def test_an_existing_file_is_tightened_and_appended_to(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    path.write_text('{"earlier": true}\n')
    path.chmod(0o644)
    with AuditLog(path) as log:
        log.record(AuditEntry(tool="list_resources", arguments={}))
    assert mode(path) == 0o600
    assert [list(line)[0] for line in read_lines(path)] == ["earlier", "time"]


def test_a_symlink_at_the_path_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "elsewhere"
    target.write_text("")
    link = tmp_path / "audit.jsonl"
    link.symlink_to(target)
    with pytest.raises(OSError, match="symlink"):
        AuditLog(link)
    assert target.read_text() == ""


def test_a_directory_at_the_path_is_refused(tmp_path: Path) -> None:
    with pytest.raises(OSError):
        AuditLog(tmp_path)


def test_the_line_has_every_field_and_utc_time(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    entry = AuditEntry(
        tool="get_resource",
        arguments={"kind": "pods"},
        runs=[Run(("/usr/bin/kubectl", "api-resources"), 0), Run(("/usr/bin/kubectl", "get", "pods"), 1)],
        duration_ms=12.345,
        bytes_returned=321,
        outcome="NotFound",
        time=datetime(2026, 11, 27, 4, 0, 0, 123000, tzinfo=UTC),
    )
    with AuditLog(path) as log:
        log.record(entry)
    assert read_lines(path) == [
        {
            "time": "2026-11-27T04:00:00.123Z",
            "tool": "get_resource",
            "arguments": {"kind": "pods"},
            "argv": ["/usr/bin/kubectl", "get", "pods"],
            "exit_code": 1,
            "runs": [
                {"argv": ["/usr/bin/kubectl", "api-resources"], "exit_code": 0},
                {"argv": ["/usr/bin/kubectl", "get", "pods"], "exit_code": 1},
            ],
            "duration_ms": 12.3,
            "bytes_returned": 321,
            "outcome": "NotFound",
        }
    ]


def test_a_manifest_is_logged_as_its_hash_and_targets_never_its_values(tmp_path: Path) -> None:
    manifest = parse_manifest(MANIFEST, max_bytes=1 << 20, max_documents=50)
    arguments = summarize_arguments({"manifest": MANIFEST, "dryRun": True}, manifest)
    assert arguments == {
        "manifest": {
            "sha256": manifest.sha256,
            "documents": [
                {"apiVersion": "v1", "kind": "Secret", "namespace": "team-a", "name": "db"},
                {"apiVersion": "v1", "kind": "ConfigMap", "namespace": None, "name": "settings"},
            ],
        },
        "dryRun": True,
    }
    path = tmp_path / "audit.jsonl"
    with AuditLog(path) as log:
        log.record(AuditEntry(tool="create_resource", arguments=arguments, runs=[Run(("kubectl", "create", "-f", "-"), 0)]))
    text = path.read_text()
    assert SECRET_VALUE not in text and "password" not in text
    assert manifest.sha256 in text


def test_the_objects_are_named_from_the_parse_the_call_made() -> None:
    with one_parse_per_call():
        parse_manifest(MANIFEST, max_bytes=1 << 20, max_documents=50)
        summary = summarize_arguments({"manifest": MANIFEST})["manifest"]
    assert [d["name"] for d in summary["documents"]] == ["db", "settings"]
    assert SECRET_VALUE not in json.dumps(summary)


def test_the_log_never_parses_a_manifest_itself(monkeypatch: pytest.MonkeyPatch) -> None:
    """A second parse of hostile text would double its cost (issue 10 item 8): no parse, no names."""
    import mcp_kubectl.safety.manifests as manifests

    def forbidden(*args: object, **kwargs: object) -> None:
        raise AssertionError("the audit log parsed a manifest")

    monkeypatch.setattr(manifests, "_parse_manifest", forbidden)
    with one_parse_per_call():
        summary = summarize_arguments({"manifest": MANIFEST})["manifest"]
    assert summary == {"sha256": hashlib.sha256(MANIFEST.encode()).hexdigest(), "bytes": len(MANIFEST.encode()), "documents": None}


@pytest.mark.parametrize(
    "text", [MANIFEST + "---\n- not a mapping\n", MANIFEST.replace("name: db", "name: &a db"), "x" * 2_000_000]
)
def test_a_refused_manifest_is_logged_by_hash_and_size_only(text: str) -> None:
    summary = summarize_arguments({"manifest": text})["manifest"]
    assert summary["documents"] is None
    assert summary["bytes"] == len(text.encode()) and len(summary["sha256"]) == 64
    assert SECRET_VALUE not in json.dumps(summary)


def test_long_argument_strings_are_cut_to_a_prefix_and_hash() -> None:
    summary = summarize_arguments({"name": "x" * 10_000, "labelSelector": "app=web"}, None)
    assert summary["labelSelector"] == "app=web"
    assert summary["name"]["chars"] == 10_000 and len(summary["name"]["prefix"]) == 64


def test_concurrent_records_never_interleave(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    with AuditLog(path) as log:

        def write(worker: int) -> None:
            for i in range(50):
                log.record(AuditEntry(tool=f"t{worker}", arguments={"i": i, "pad": "p" * 200}))

        threads = [threading.Thread(target=write, args=(n,)) for n in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    lines = read_lines(path)
    assert len(lines) == 400
    assert sorted(line["arguments"]["i"] for line in lines if line["tool"] == "t3") == list(range(50))


def test_recording_after_close_is_an_error(tmp_path: Path) -> None:
    log = AuditLog(tmp_path / "audit.jsonl")
    log.close()
    with pytest.raises(ValueError):
        log.record(AuditEntry(tool="x", arguments={}))


def test_raw_arguments_are_summarized_even_when_the_caller_forgot(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    with AuditLog(path) as log, one_parse_per_call():
        parse_manifest(MANIFEST, max_bytes=1 << 20, max_documents=50)  # as the tool call does
        log.record(AuditEntry(tool="create_resource", arguments={"manifest": MANIFEST, "dryRun": False}))
        log.record(AuditEntry(tool="create_resource", arguments=summarize_arguments({"manifest": MANIFEST})))
    first, second = read_lines(path)
    assert SECRET_VALUE not in path.read_text()
    assert first["arguments"]["manifest"] == second["arguments"]["manifest"]
    assert first["arguments"]["manifest"]["documents"][0]["name"] == "db"
