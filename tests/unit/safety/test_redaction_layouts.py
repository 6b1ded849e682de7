"""The text passes of redaction at their edges, each pinned by its exact answer.

Written for the last survivors of the redaction mutation check (tests/mutation, guard
"redaction"): each test fails with at least one of those mutants, most because a value
leaks, some because a value that is not secret (a sibling, the next line) is hidden.
"""

from __future__ import annotations

import base64
import json

import pytest

from mcp_kubectl.safety import redaction
from mcp_kubectl.safety.redaction import LAST_APPLIED, SecretValues, redact_text

SECRET = "c2VjcmV0LXZhbHVl"  # base64 of "secret-value"


def test_a_value_that_is_not_strict_base64_is_remembered_only_as_written() -> None:
    """A lenient decode would drop the `$` and make up "password", then scrub that word everywhere."""
    known = SecretValues([{"kind": "Secret", "metadata": {"name": "s"}, "data": {"k": "cGFz$c3dvcmQ="}}])
    assert known.scrub("the password is cGFz$c3dvcmQ=") == "the password is <redacted>"


# --- diffs ---------------------------------------------------------------------------------

SECRET_DIFF_HEADER = """\
diff -u -N /tmp/LIVE-1/v1.Secret.team-a.db /tmp/MERGED-2/v1.Secret.team-a.db
--- /tmp/LIVE-1/v1.Secret.team-a.db\t2026-11-29 20:00:00
+++ /tmp/MERGED-2/v1.Secret.team-a.db\t2026-11-29 20:00:00
"""


def test_a_secret_hunk_that_never_names_data_is_still_redacted() -> None:
    """Deep in a long data block, a hunk shows neither `data:` nor `metadata:`: nothing in the
    text says "data", and it leaked before this test (kubectl's own mask and the known values
    were the only locks left)."""
    hunk = "@@ -10,5 +10,5 @@\n   key7: a2V5Nw==\n-  token: T0xELVNFQ1JFVA==\n+  token: TkVXLVNFQ1JFVA==\n   key9: a2V5OQ==\n"
    assert redact_text(SECRET_DIFF_HEADER + hunk) == SECRET_DIFF_HEADER + (
        "@@ -10,5 +10,5 @@\n   key7: <redacted: 4 bytes>\n-  token: <redacted: 10 bytes>\n"
        "+  token: <redacted: 10 bytes>\n   key9: <redacted: 4 bytes>\n"
    )


def test_a_hunk_without_its_file_header_is_still_read_as_a_diff() -> None:
    """A diff cut to its hunk (an error quoting it): the `+`/`-` column is not indentation."""
    hunk = f"@@ -1,4 +1,4 @@\n data:\n-  password: {SECRET}\n+  password: T1RIRVI=\n kind: Secret\n"
    assert redact_text(hunk) == (
        "@@ -1,4 +1,4 @@\n data:\n-  password: <redacted: 12 bytes>\n+  password: <redacted: 5 bytes>\n kind: Secret\n"
    )


def test_yaml_with_a_line_starting_diff_is_not_read_as_a_diff() -> None:
    """Only a hunk header makes text a diff; read as one, `data:` would lose its first letter and leak."""
    text = f"kind: Secret\ndata:\n  password: {SECRET}\ndiff of the applied object follows\n"
    assert redact_text(text) == "kind: Secret\ndata:\n  password: <redacted: 12 bytes>\ndiff of the applied object follows\n"


def test_a_configmap_hunk_without_a_kind_line_is_kept_by_its_file_name() -> None:
    header = SECRET_DIFF_HEADER.replace("Secret", "ConfigMap")
    hunk = "@@ -1,4 +1,4 @@\n data:\n-  color: red\n+  color: blue\n   size: large\n"
    assert redact_text(header + hunk) == header + hunk


def test_a_hunk_hides_nested_values_until_a_top_level_key_and_keeps_their_shape() -> None:
    """Before the first top-level key a hunk may be inside `data`: values go, mapping keys and
    block scalars keep their lines (sizes only where the line shows them), and a `- ` list item
    at column 0 is not a top-level key."""
    hunk = (
        "@@ -3,9 +3,9 @@\n"
        "   labels:\n"
        "   annotations: # set by the operator\n"
        "     config: >\n"
        "       folded secret text\n"
        "     empty: \"\"\n"
        "-- password: T0xE\n"
        "+- password: TkVX\n"
        " kind: Secret\n"
        "   name: db\n"
    )
    assert redact_text(SECRET_DIFF_HEADER + hunk) == SECRET_DIFF_HEADER + (
        "@@ -3,9 +3,9 @@\n"
        "   labels:\n"
        "   annotations:\n"
        "     config: <redacted>\n"
        "     empty: <redacted: 0 bytes>\n"
        "-- password: <redacted: 3 bytes>\n"
        "+- password: <redacted: 3 bytes>\n"
        " kind: Secret\n"
        "   name: db\n"
    )


# --- YAML ----------------------------------------------------------------------------------


@pytest.mark.parametrize("separator", ["---", "--- # the Secret"])
def test_each_yaml_document_is_judged_by_its_own_kind(separator: str) -> None:
    configmap = "kind: ConfigMap\ndata:\n  color: blue\n"
    text = f"{configmap}{separator}\nkind: Secret\ndata:\n  password: {SECRET}\n"
    assert redact_text(text) == f"{configmap}{separator}\nkind: Secret\ndata:\n  password: <redacted: 12 bytes>\n"


def test_a_separator_comment_naming_a_diff_file_does_not_set_the_kind() -> None:
    """`--- ` starts a diff file header only in a diff; in YAML it is a document separator."""
    text = f"--- # was v1.ConfigMap.team-a.c\ndata:\n  password: {SECRET}\n"
    assert redact_text(text) == "--- # was v1.ConfigMap.team-a.c\ndata:\n  password: <redacted: 12 bytes>\n"


def test_a_multi_line_value_with_blank_lines_goes_whole() -> None:
    """A blank line inside a block scalar neither ends the data block nor the value."""
    text = "kind: Secret\nstringData:\n  config: |\n    user=admin\n\n    password=hunter2\n  other: x\ntype: Opaque\n"
    assert redact_text(text) == "kind: Secret\nstringData:\n  config: <redacted>\n\n  other: <redacted: 1 bytes>\ntype: Opaque\n"


def test_a_line_under_data_that_is_not_a_key_is_dropped() -> None:
    text = "kind: Secret\ndata:\n  not-a-key-line\n  password: T0xE\nkind: Secret\n"
    assert redact_text(text) == "kind: Secret\ndata:\n  password: <redacted: 3 bytes>\nkind: Secret\n"


def test_the_annotations_after_a_folded_last_applied_one_are_kept() -> None:
    text = (
        "kind: Secret\nmetadata:\n  annotations:\n"
        f"    {LAST_APPLIED}: '{{\"kind\":\"Secret\",\n      \"stringData\":{{\"a\":\"hunter2\"}}}}'\n"
        "    team: a\n  name: db\n"
    )
    assert redact_text(text) == f"kind: Secret\nmetadata:\n  annotations:\n    {LAST_APPLIED}: <redacted>\n    team: a\n  name: db\n"


@pytest.mark.parametrize("value", ["null", "~"])
def test_a_null_data_field_is_shown_as_it_is(value: str) -> None:
    text = f"kind: Secret\ndata: {value}\nstringData: {value}\n"
    assert redact_text(text) == text


def test_a_scalar_data_field_goes_and_an_empty_map_stays() -> None:
    """`data: {}` says the Secret holds nothing, in YAML and in JSON; a malformed scalar `data` goes."""
    text = f'kind: Secret\ndata: {{}}\nstringData: {SECRET}\nmessage: {{"data":{{}},"x":1}}\n'
    assert redact_text(text) == 'kind: Secret\ndata: {}\nstringData: <redacted>\nmessage: {"data":{},"x":1}\n'


# --- inline maps ---------------------------------------------------------------------------


def test_a_flow_map_ends_at_its_bracket_and_a_go_map_at_the_line_end() -> None:
    """A YAML flow map can be delimited; Go's unquoted map cannot: `]` may be part of a value."""
    text = f"spec: {{data: {{password: {SECRET}}}, mode: kept}}\nObject: &{{map[data:map[token:ab]{SECRET}] kind:Secret]}}\nnext"
    assert redact_text(text) == "spec: {data: {<redacted>}, mode: kept}\nObject: &{map[data:map[<redacted>\nnext"


def test_a_bracket_inside_a_string_does_not_close_the_map() -> None:
    text = f'{{"data":{{"password":"ab}}{SECRET}"}},"kind":"Secret"}}'
    assert redact_text(text) == '{"data":{<redacted>},"kind":"Secret"}'


def test_an_inline_map_not_closed_on_its_line_ends_there() -> None:
    """Maps are printed on one line; a bracket on a later line must not close this one."""
    for text in (f'"data":{{"a":{{"b":"{SECRET}"\nline two}} kept', f'"data":{{"a":"{SECRET}\nline two"}} kept'):
        assert redact_text(text) == '"data":{<redacted>' + text[text.index("\n") :]


def _nested_pairs_closing_at_event(events: int) -> str:
    """An inline map whose closing bracket is the `events`-th quote or bracket scanned."""
    pairs = (events - 2) // 2
    return '"data":{' + "[]" * pairs + "} kept"


def test_the_bracket_scan_stops_exactly_at_its_budget() -> None:
    """Past the budget (hostile text) the rest of the line goes; up to it the map ends at its bracket."""
    within = _nested_pairs_closing_at_event(redaction._SCAN_BUDGET)
    beyond = _nested_pairs_closing_at_event(redaction._SCAN_BUDGET + 2)
    assert redact_text(within) == '"data":{<redacted>} kept'
    assert redact_text(beyond) == '"data":{<redacted>'


# --- the last-applied annotation as a quoted string ----------------------------------------


def test_an_annotation_at_the_very_start_of_the_text_is_replaced() -> None:
    text = f'{LAST_APPLIED}": "{{\\"kind\\":\\"Secret\\",\\"token\\":\\"{SECRET}\\"}}", "name": "db"}}'
    assert redact_text(text) == f'{LAST_APPLIED}": "<redacted>", "name": "db"}}'


def test_an_annotation_nested_in_another_does_not_reopen_the_outer_span() -> None:
    inner = json.dumps({"metadata": {"annotations": {LAST_APPLIED: json.dumps({"k": "v"})}}, "token": SECRET})
    text = json.dumps({"metadata": {"annotations": {LAST_APPLIED: inner}}, "name": "db"})
    assert redact_text(text) == json.dumps({"metadata": {"annotations": {LAST_APPLIED: "<redacted>"}}, "name": "db"})


def test_an_unclosed_annotation_string_ends_at_its_line() -> None:
    """Here inside a JSON string (its quotes escaped once), cut at a line break: the quotes on
    the next line are not the annotation's."""
    start = f'{{"message":"{{\\"annotations\\":{{\\"{LAST_APPLIED}\\":\\"'
    text = start + f'{{\\\\\\"token\\\\\\":\\\\\\"{SECRET}\nnext: \\"visible\\" value'
    assert redact_text(text) == start + '<redacted>\nnext: \\"visible\\" value'
