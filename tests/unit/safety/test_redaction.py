"""Secret redaction on parsed output and on kubectl's text: keys and lengths stay, values never do."""

from __future__ import annotations

import base64
import copy
import json
from typing import Any

import pytest

from mcp_kubectl.safety.redaction import LAST_APPLIED, redact, redact_text

PASSWORD = "hunter2-very-secret"  # 19 bytes
TOKEN = "t0k3n\u00e9"  # 7 bytes in UTF-8
B64_PASSWORD = base64.b64encode(PASSWORD.encode()).decode()
B64_TOKEN = base64.b64encode(TOKEN.encode()).decode()


def secret(**extra: object) -> dict:
    applied = json.dumps({"apiVersion": "v1", "kind": "Secret", "data": {"password": B64_PASSWORD}})
    return {
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": {"name": "db", "namespace": "team-a", "annotations": {LAST_APPLIED: applied, "team": "a"}},
        "type": "Opaque",
        "data": {"password": B64_PASSWORD, "token": B64_TOKEN},
        **extra,
    }


def configmap() -> dict:
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}, "data": {"color": "blue"}}


def assert_no_secret(value: object) -> None:
    text = json.dumps(value) if not isinstance(value, str) else value
    for needle in (PASSWORD, TOKEN, B64_PASSWORD, B64_TOKEN, "hunter2"):
        assert needle not in text


EXPECTED_DATA = {"password": "<redacted: 19 bytes>", "token": "<redacted: 7 bytes>"}


# --- parsed output --------------------------------------------------------------------


def test_a_secret_keeps_its_keys_and_decoded_lengths() -> None:
    out = redact(secret())
    assert out["data"] == EXPECTED_DATA
    applied = secret()["metadata"]["annotations"][LAST_APPLIED]
    assert out["metadata"]["annotations"][LAST_APPLIED] == f"<redacted: {len(applied.encode())} bytes>"
    assert out["metadata"]["annotations"]["team"] == "a"
    assert out["type"] == "Opaque" and out["metadata"]["name"] == "db"
    assert_no_secret(out)


def test_string_data_reports_utf8_lengths() -> None:
    out = redact(secret(stringData={"token": TOKEN, "empty": ""}))
    assert out["stringData"] == {"token": "<redacted: 7 bytes>", "empty": "<redacted: 0 bytes>"}
    assert_no_secret(out)


SHAPES = {
    "get": lambda: secret(),
    "kubectl list": lambda: {"apiVersion": "v1", "kind": "List", "items": [configmap(), secret()], "metadata": {}},
    "raw SecretList (items carry no kind)": lambda: {
        "apiVersion": "v1",
        "kind": "SecretList",
        "items": [{k: v for k, v in secret().items() if k not in ("kind", "apiVersion")}],
    },
    "dry-run List echo": lambda: {"apiVersion": "v1", "kind": "List", "items": [{"kind": "List", "items": [secret()]}]},
    "wrapped answer": lambda: {"object": secret(), "notes": ["x"]},
    "list of answers": lambda: [configmap(), secret()],
}


@pytest.mark.parametrize("make", SHAPES.values(), ids=SHAPES.keys())
def test_every_output_shape_is_redacted_and_the_input_is_untouched(make: object) -> None:
    value = make()  # type: ignore[operator]
    before = copy.deepcopy(value)
    out = redact(value)
    assert value == before  # never mutated
    assert_no_secret(out)
    assert EXPECTED_DATA in _all_data(out)


def _all_data(value: object) -> list[object]:
    found = []
    if isinstance(value, dict):
        if "data" in value:
            found.append(value["data"])
        for item in value.values():
            found.extend(_all_data(item))
    elif isinstance(value, list):
        for item in value:
            found.extend(_all_data(item))
    return found


def test_other_kinds_events_and_statuses_pass_unchanged() -> None:
    event = {"kind": "Event", "involvedObject": {"kind": "Secret", "name": "db"}, "message": "synced"}
    status = {"kind": "Status", "status": "Failure", "reason": "NotFound", "details": {"kind": "secrets"}}
    for value in (configmap(), event, status, "text", 3, None):
        assert redact(value) == value


def test_odd_secret_values_are_still_hidden() -> None:
    out = redact({"kind": "Secret", "data": "not-a-map", "stringData": {"n": 12, "bad64": "%%%"}})
    assert out["data"].startswith("<redacted")
    assert out["stringData"] == {"n": "<redacted: 2 bytes>", "bad64": "<redacted: 3 bytes>"}


# --- text -----------------------------------------------------------------------------

DIFF = f"""\
diff -u -N /tmp/LIVE-1/v1.Secret.team-a.db /tmp/MERGED-2/v1.Secret.team-a.db
--- /tmp/LIVE-1/v1.Secret.team-a.db\t2026-11-27 04:00:00
+++ /tmp/MERGED-2/v1.Secret.team-a.db\t2026-11-27 04:00:00
@@ -1,6 +1,6 @@
 apiVersion: v1
 data:
-  password: {B64_TOKEN}
+  password: {B64_PASSWORD}
   user: '*** (before)'
 kind: Secret
@@ -30,4 +30,4 @@
-  token: {B64_TOKEN}
+  token: {B64_PASSWORD}
 metadata:
   name: db
diff -u -N /tmp/LIVE-1/v1.ConfigMap.team-a.c /tmp/MERGED-2/v1.ConfigMap.team-a.c
--- /tmp/LIVE-1/v1.ConfigMap.team-a.c\t2026-11-27 04:00:00
+++ /tmp/MERGED-2/v1.ConfigMap.team-a.c\t2026-11-27 04:00:00
@@ -1,5 +1,5 @@
 apiVersion: v1
 data:
-  color: red
+  color: blue
 kind: ConfigMap
"""


def test_diff_of_a_secret_is_redacted_and_other_kinds_are_kept() -> None:
    out = redact_text(DIFF)
    assert_no_secret(out)
    assert "-  password: <redacted: 7 bytes>" in out
    assert "+  password: <redacted: 19 bytes>" in out
    assert "+  token: <redacted: 19 bytes>" in out  # a hunk starting inside the data block
    assert "  user: '*** (before)'" in out  # kubectl's own mask is kept
    assert "+  color: blue" in out and "-  color: red" in out
    assert out.count("\n") == DIFF.count("\n")


APPLY_ERROR = (
    "Error from server (Conflict): error when applying patch:\n"
    + json.dumps({"data": {"password": B64_PASSWORD}, "metadata": {"annotations": {LAST_APPLIED: json.dumps(secret()["data"])}}})
    + "\nto:\nResource: \"/v1, Resource=secrets\", GroupVersionKind: \"/v1, Kind=Secret\"\n"
    + 'Name: "db", Namespace: "team-a"\n'
    + f'Object: &{{map["apiVersion":"v1" "data":map["password":"{B64_PASSWORD}" "x":"a]b"] "kind":"Secret" "metadata":map["name":"db"]]}}\n'
    + f"Object: &{{map[apiVersion:v1 data:map[token:{B64_TOKEN}] kind:Secret]}}\n"
    + 'for: "STDIN": Operation cannot be fulfilled on secrets "db": the object has been modified'
)


def test_error_text_echoing_an_object_is_redacted() -> None:
    out = redact_text(APPLY_ERROR)
    assert_no_secret(out)
    assert '"data": {<redacted>}' in out
    assert '"kind":"Secret" "metadata":map["name":"db"]' in out  # quoted Go map: ends at its bracket
    assert 'Name: "db", Namespace: "team-a"' in out
    assert out.endswith('the object has been modified')


def test_json_inside_a_json_string_is_redacted() -> None:
    inner = json.dumps({"data": {"password": B64_PASSWORD}, "kind": "Secret"})
    text = "Error: " + json.dumps({"message": inner, "reason": "Invalid"})
    out = redact_text(text)
    assert_no_secret(out)
    assert '\\"data\\": {<redacted>}, \\"kind\\": \\"Secret\\"' in out
    assert out.endswith('"reason": "Invalid"}')


YAML_ECHO = f"""\
apiVersion: v1
kind: List
items:
- apiVersion: v1
  stringData:
    config.yaml: |
      password: {PASSWORD}
      more: lines
    token: "{TOKEN}"
  kind: Secret
  metadata:
    name: db
---
data: {{password: {B64_PASSWORD}}}
kind: Secret
"""


def test_yaml_echo_redacts_block_and_flow_data() -> None:
    out = redact_text(YAML_ECHO)
    assert_no_secret(out)
    assert "    config.yaml: <redacted>" in out
    assert "    token: <redacted: 7 bytes>" in out
    assert "  metadata:\n    name: db" in out


def test_text_without_secret_data_is_returned_as_is() -> None:
    for text in ("Error from server (NotFound): secrets \"db\" not found", "Name: db\nData\n====\npassword: 19 bytes"):
        assert redact_text(text) == text


def test_yaml_of_another_kind_is_kept() -> None:
    text = "apiVersion: v1\ndata:\n  color: blue\nkind: ConfigMap\n"
    assert redact_text(text) == text


def test_an_unterminated_inline_map_hides_the_rest_of_the_line() -> None:
    out = redact_text(f'"data":{{"password":"{B64_PASSWORD}\nnext line')
    assert_no_secret(out)
    assert out.endswith("\nnext line")


def test_the_last_applied_annotation_in_text_is_replaced_whole() -> None:
    applied = json.dumps({"password": B64_PASSWORD, "kind": "Secret"})  # no "data" key to find
    for text in (
        json.dumps({"metadata": {"annotations": {LAST_APPLIED: applied}}, "kind": "Secret"}),
        f'map["annotations":map["{LAST_APPLIED}":{json.dumps(applied)}] "name":"db"]',
    ):
        out = redact_text(text)
        assert_no_secret(out)
        assert f"{LAST_APPLIED}\": \"<redacted>\"" in out or f"{LAST_APPLIED}\":\"<redacted>\"" in out
        assert out.endswith(('"kind": "Secret"}', '"name":"db"]'))


def python_steps(text: str) -> int:
    """How many lines of `mcp_kubectl.safety.redaction` run to redact `text`: a count of work, the same on
    any machine under any load (the wall time ratio is tests/benchmarks/redaction_growth.py's).

    The Python scanners (brackets, quotes, backslashes) are what hostile text could make
    quadratic; the regular expressions are written to match in one pass (atomic groups, a
    scan budget), and the benchmark times them.
    """
    import sys

    from mcp_kubectl.safety import redaction

    steps = 0
    source = redaction.__file__

    def local(frame: Any, event: str, arg: Any) -> Any:
        nonlocal steps
        if event == "line":
            steps += 1
        return local

    def calls(frame: Any, event: str, arg: Any) -> Any:
        return local if event == "call" and frame.f_code.co_filename == source else None

    sys.settrace(calls)
    try:
        redact_text(text)
    finally:
        sys.settrace(None)
    return steps


HOSTILE_LINES = {
    "json": '"data":{"' * 12_500,
    "escaped json": '\\"data\\":{\\"' * 12_500,
    "go map": "data:map[" * 12_500,
    "last-applied": f'{LAST_APPLIED}":"' * 5_000,
}


@pytest.mark.parametrize("line", HOSTILE_LINES.values(), ids=HOSTILE_LINES.keys())
def test_hostile_text_is_redacted_in_linear_time(line: str) -> None:
    out = redact_text("\n".join([line * 4] * 20))
    assert out.count("\n") == 19 and "<redacted>" in out
    # Linear work grows about 4 times for 4 times the text; quadratic work about 16 times.
    small, large = python_steps("\n".join([line] * 20)), python_steps("\n".join([line * 4] * 20))
    assert 0 < large < 6 * small, f"{small} steps for one size, {large} for four times that"


HOSTILE_YAML_LINES = {"dash lists": "- " * 5_000 + "x", "wide dash lists": "-  " * 5_000 + "x", "blank value": "k: " + " " * 10_000 + "x", "colons": "a: b:" * 2_500}


@pytest.mark.timeout(60)  # a guard: backtracking on these lines would not end, let alone within it
@pytest.mark.parametrize("line", HOSTILE_YAML_LINES.values(), ids=HOSTILE_YAML_LINES.keys())
def test_hostile_yaml_lines_do_not_backtrack(line: str) -> None:
    """Lines of 40,000 to 160,000 characters that a backtracking key-line pattern would chew on for
    hours: redacted, the hostile line kept as it was. How the time grows with the length (about
    linearly) is measured by tests/benchmarks/redaction_growth.py, not asserted here."""
    text = f"kind: Secret\ndata:\n  password: {B64_PASSWORD}\n{line * 16}\n" * 5
    out = redact_text(text)
    assert_no_secret(out)
    assert out.count(line * 16) == 5


def test_very_deep_output_is_copied_without_recursion() -> None:
    deep: object = {"leaf": secret()}
    for _ in range(20_000):
        deep = {"kind": "Widget", "spec": [deep]}
    out = redact(deep)
    for _ in range(20_000):
        out = out["spec"][0]  # type: ignore[index]
    assert out["leaf"]["data"] == EXPECTED_DATA  # type: ignore[index]


def test_metadata_annotations_of_other_kinds_are_kept() -> None:
    applied = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c", "annotations": {LAST_APPLIED: "{}"}}}
    assert redact(applied) == applied


def _raw_item() -> dict:
    return {k: v for k, v in secret().items() if k not in ("kind", "apiVersion")}


def test_a_raw_list_item_is_redacted_when_its_kind_is_given() -> None:
    item = {"metadata": {"name": "db"}, "data": {"password": B64_PASSWORD}}  # no `type`: not shaped like one
    assert redact(item)["data"] == {"password": B64_PASSWORD}
    assert redact(item, kind="Secret")["data"] == {"password": "<redacted: 19 bytes>"}
    assert redact(configmap(), kind="Secret") == configmap()  # an explicit kind wins


def test_a_kind_less_object_shaped_like_a_secret_is_redacted_anyway() -> None:
    out = redact(_raw_item())
    assert out["data"] == EXPECTED_DATA
    assert_no_secret(out)


def test_describe_style_text_hides_the_data_inside_a_last_applied_annotation() -> None:
    # kubectl describe skips this annotation today; the text pass must not rely on that.
    applied = json.dumps(
        {"apiVersion": "v1", "data": {"password": B64_PASSWORD}, "kind": "Secret", "stringData": {"token": TOKEN}},
        separators=(",", ":"),
    )
    text = (
        "Name:         db\nNamespace:    team-a\nLabels:       <none>\n"
        f"Annotations:  {LAST_APPLIED}:\n                {applied}\n\n"
        "Type:  Opaque\n\nData\n====\npassword:  19 bytes\n"
    )
    out = redact_text(text)
    assert_no_secret(out)
    assert '{"apiVersion":"v1","data":{<redacted>},"kind":"Secret","stringData":{<redacted>}}' in out
    assert out.endswith("Data\n====\npassword:  19 bytes\n")


# Captured from kubectl 1.37 `diff --server-side` of a client-side-applied Secret: kubectl
# masks `data` itself, but not the last-applied annotation, which YAML folds over lines.
REAL_DIFF = """\
diff -u -N /tmp/LIVE-3884573319/v1.Secret.default.db /tmp/MERGED-4058095122/v1.Secret.default.db
--- /tmp/LIVE-3884573319/v1.Secret.default.db\t2026-11-27 03:52:22.417124650 +0000
+++ /tmp/MERGED-4058095122/v1.Secret.default.db\t2026-11-27 03:52:22.417124650 +0000
@@ -1,12 +1,12 @@
 apiVersion: v1
 data:
-  password: '*** (before)'
+  password: '*** (after)'
   user: '***'
 kind: Secret
 metadata:
   annotations:
     kubectl.kubernetes.io/last-applied-configuration: '{"apiVersion": "v1", "kind":
-      "Secret", "data": {"password": "b2xkcGFzc3dvcmQ=", "user":
-      "YWRtaW4="}}'
+      "Secret", "data": {"password": "bmV3cGFzc3dvcmQ=", "user":
+      "YWRtaW4="}}'
   name: db
   namespace: default
   resourceVersion: "1"
"""


def test_a_real_kubectl_diff_hides_the_folded_last_applied_annotation() -> None:
    out = redact_text(REAL_DIFF)
    for value in ("b2xkcGFzc3dvcmQ=", "bmV3cGFzc3dvcmQ=", "YWRtaW4="):
        assert value not in out
    assert f"     {LAST_APPLIED}: <redacted>\n   name: db\n" in out
    assert "-  password: '*** (before)'" in out and "  user: '***'" in out


def test_a_hunk_starting_inside_the_folded_annotation_is_hidden() -> None:
    header = REAL_DIFF.split("@@")[0]
    hunk = (
        "@@ -9,4 +9,4 @@\n"
        '-      "Secret", "data": {"password": "b2xkcGFzc3dvcmQ=", "user":\n'
        '-      "YWRtaW4="}}\'\n'
        '+      "Secret", "data": {}}\'\n'
        "   name: db\n"
    )
    out = redact_text(header + hunk)
    assert "b2xkcGFzc3dvcmQ=" not in out and "YWRtaW4=" not in out
    # Until a top-level key shows where the hunk is, nested values are hidden too.
    assert out.endswith("   name: <redacted: 2 bytes>\n")


@pytest.mark.parametrize(
    "body, possible",
    [
        (b'{"kind":"PodList","items":[{"metadata":{"name":"p"},"spec":{"containers":[]}}]}', False),
        (b'{"kind":"SecretList","items":[]}', True),
        (b'{"items":[{"kind":"Secret","data":{"a":"YQ=="}}]}', True),
        (b'{"items":[{"kind":"\\u0053ecret","data":{"a":"YQ=="}}]}', True),  # JSON may spell it escaped
    ],
)
def test_may_hold_secrets_is_false_only_when_no_secret_can_be_spelled(body: bytes, possible: bool) -> None:
    from mcp_kubectl.safety.redaction import may_hold_secrets

    assert may_hold_secrets(body) is possible


# --- values of known Secrets (structure, not layout) ---------------------------------------

from mcp_kubectl.safety.redaction import SecretValues, redact_describe_secret  # noqa: E402

JWT = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzeXN0ZW0ifQ.c2lnbmF0dXJl"
PEM = "-----BEGIN CERTIFICATE-----\nMIIBdzCCAR2gAwIBAgIRAKx2\nMIIBdzCCAR2gAwIBAgIRAKx3\n-----END CERTIFICATE-----\n"


def token_secret() -> dict:
    return {
        "apiVersion": "v1",
        "kind": "Secret",
        "type": "kubernetes.io/service-account-token",
        "metadata": {"name": "robot-token", "namespace": "team-a", "annotations": {LAST_APPLIED: json.dumps({"kind": "Secret", "stringData": {"extra": "applied-only-value"}})}},
        "data": {"token": base64.b64encode(JWT.encode()).decode(), "ca.crt": base64.b64encode(PEM.encode()).decode(), "namespace": base64.b64encode(b"team-a").decode()},
    }


KNOWN_LAYOUTS = {
    "describe line": f"token:      {JWT}",
    "free text": f"the token {JWT} was rejected",
    "base64": "data: " + base64.b64encode(JWT.encode()).decode(),
    "json string": json.dumps({"message": f"bad {JWT}"}),
    "json in a json string": json.dumps(json.dumps({"token": PEM})),
    "one PEM line": "cert line MIIBdzCCAR2gAwIBAgIRAKx2 seen",
    "last-applied value": "applied: applied-only-value",
    "last-applied value base64": "x " + base64.b64encode(b"applied-only-value").decode(),
}


@pytest.mark.parametrize("text", KNOWN_LAYOUTS.values(), ids=KNOWN_LAYOUTS.keys())
def test_known_secret_values_go_in_any_layout(text: str) -> None:
    known = SecretValues([token_secret()])
    out = redact_text(text, known)
    for needle in (JWT, "MIIBdzCCAR2gAwIBAgIRAKx2", "applied-only-value", base64.b64encode(JWT.encode()).decode()):
        assert needle not in out
    assert "<redacted>" in out


def test_without_known_values_a_describe_line_is_not_recognised() -> None:
    """Why structure matters: no layout rule names kubectl describe's token line."""
    assert JWT in redact_text(f"token:      {JWT}")


def test_public_and_short_values_are_kept() -> None:
    known = SecretValues([token_secret(), {"kind": "Secret", "metadata": {"name": "s"}, "data": {"pin": base64.b64encode(b"42").decode()}}])
    text = "Namespace:    team-a\nName: robot-token\npin 42"
    assert redact_text(text, known) == text


def test_only_secrets_are_remembered() -> None:
    known = SecretValues([configmap(), {"kind": "ConfigMap", "data": {"password": "long-configmap-value"}}, None, "text"])
    assert not known and len(known) == 0
    assert SecretValues([{k: v for k, v in token_secret().items() if k != "kind"}])  # a kind-less list item


def test_binary_and_invalid_base64_values_are_still_scrubbed_as_base64() -> None:
    binary = base64.b64encode(b"\xff\xfe\x00binary").decode()
    known = SecretValues([{"kind": "Secret", "metadata": {}, "data": {"bin": binary, "bad": "%%%not-base64"}}])
    text = f"a {binary} b %%%not-base64 c"
    assert redact_text(text, known) == "a <redacted> b <redacted> c"


DESCRIBE = """Name:         robot-token
Namespace:    team-a
Labels:       <none>
Annotations:  kubernetes.io/service-account.name: robot

Type:  kubernetes.io/service-account-token

Data
====
ca.crt:     595 bytes
namespace:  6 bytes
token:      {token}
"""


@pytest.mark.parametrize("token", [JWT, "first-line\nsecond-line-of-it", "12 bytes but not", ""], ids=["jwt", "multi-line", "size-like", "empty"])
def test_describe_of_a_secret_keeps_sizes_only(token: str) -> None:
    out = redact_describe_secret(DESCRIBE.format(token=token))
    assert "ca.crt:     595 bytes" in out and "namespace:  6 bytes" in out
    assert "Name:         robot-token" in out and "Annotations:  kubernetes.io/service-account.name: robot" in out
    for part in token.split("\n"):
        if part:
            assert part not in out
    assert "token:      <redacted>" in out or token == ""


def test_describe_text_without_a_data_section_is_untouched() -> None:
    text = "Name: x\nData: not a heading\ntoken: abc"
    assert redact_describe_secret(text) == text


# Found by the mutation check: cases no test had (each passed with its guard broken).


def test_secret_list_items_without_kind_or_type_are_redacted() -> None:
    """A SecretList's items carry no kind, and these no `type` either: only their place says Secret."""
    value = base64.b64encode(b"list-item-password").decode()
    out = redact({"kind": "SecretList", "items": [{"metadata": {"name": "s"}, "data": {"k": value}}]})
    assert out["items"][0]["data"] == {"k": "<redacted: 18 bytes>"}
    assert value not in json.dumps(out)


def test_a_secret_with_null_data_keeps_null_and_invalid_base64_counts_as_text() -> None:
    out = redact({"kind": "Secret", "metadata": {"name": "s"}, "data": None, "stringData": {"k": "v"}})
    assert out["data"] is None and out["stringData"] == {"k": "<redacted: 1 bytes>"}
    # 'ab$cd' is not base64; a lenient decode would drop the '$' and report 3 bytes.
    assert redact({"kind": "Secret", "metadata": {"name": "s"}, "data": {"k": "ab$cd"}})["data"] == {"k": "<redacted: 5 bytes>"}


def test_only_a_secret_lists_items_are_read_as_secrets() -> None:
    """API lists carry no kind on their items: a ConfigMapList's values stay, a SecretList's go."""
    configmaps = {"apiVersion": "v1", "kind": "ConfigMapList",
                  "items": [{"metadata": {"name": "c"}, "data": {"mode": "fast"}}]}  # fmt: skip
    assert redact(configmaps)["items"][0]["data"] == {"mode": "fast"}
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
           "spec": {"volumes": [{"name": "v", "data": {"k": "not-a-secret"}}]}}  # fmt: skip
    assert redact(pod)["spec"]["volumes"][0]["data"] == {"k": "not-a-secret"}
    secrets = {"apiVersion": "v1", "kind": "SecretList", "items": [{"metadata": {"name": "s"}, "data": {"password": B64_PASSWORD}}]}
    assert redact(secrets)["items"][0]["data"]["password"].startswith("<redacted: ")


def test_known_values_come_from_secrets_only_and_from_any_shape_of_their_fields() -> None:
    kindless_configmap = {"metadata": {"name": "c"}, "data": {"mode": "fast-mode-value"}}
    assert not SecretValues([kindless_configmap])  # an API list item without kind is a Secret only if it looks like one
    assert SecretValues([kindless_configmap]).scrub("fast-mode-value") == "fast-mode-value"
    bare = {"kind": "Secret", "metadata": {"name": "s"}, "data": B64_PASSWORD}  # a malformed Secret: data is one string
    assert PASSWORD not in SecretValues([bare]).scrub(f"password {PASSWORD}")


def test_a_secrets_last_applied_annotation_goes_whole() -> None:
    applied = json.dumps({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "db"}, "data": {"password": B64_PASSWORD}})
    known = SecretValues([{"kind": "Secret", "metadata": {"name": "db", "annotations": {LAST_APPLIED: applied}}, "data": {}}])
    assert known.scrub(f"annotation: {applied}\n") == "annotation: <redacted>\n"  # not only the values inside it


def test_a_value_of_the_minimum_length_is_scrubbed_and_non_ascii_escapes_too() -> None:
    from mcp_kubectl.safety.redaction import MIN_SCRUBBED_CHARS

    short = "k" * MIN_SCRUBBED_CHARS
    assert SecretValues([{"kind": "Secret", "metadata": {"name": "s"}, "stringData": {"a": short}}]).scrub(f"[{short}]") == "[<redacted>]"
    value = 'pässwörd "quoted" wert'
    known = SecretValues([{"kind": "Secret", "metadata": {"name": "s"}, "stringData": {"a": value}}])
    once = json.dumps(value, ensure_ascii=False)  # as kubectl prints JSON: UTF-8 kept, quotes escaped
    twice = json.dumps(once, ensure_ascii=False)  # a JSON document inside a JSON string (last-applied)
    assert known.scrub(once) == '"<redacted>"' and known.scrub(twice) == '"\\"<redacted>\\""'


# --- what the complete redaction mutation run found untested (tests/mutation, "redaction")


def _string_data_secret(value: str) -> SecretValues:
    return SecretValues([{"kind": "Secret", "metadata": {"name": "s"}, "stringData": {"file": value}}])


def test_a_line_of_exactly_the_line_minimum_is_scrubbed_on_its_own() -> None:
    """kubectl may print one line of a multi-line Secret file (a describe, a diff hunk)."""
    line = "0123456789abcdef"  # MIN_SCRUBBED_LINE_CHARS long
    known = _string_data_secret(f"{line}\nsecond-line-that-is-long")
    assert known.scrub(f"+   {line}\n") == "+   <redacted>\n"


def test_a_short_line_of_a_secret_file_is_not_scrubbed_everywhere() -> None:
    """Short lines (`}`, `ok`) of a Secret's file are too common to scrub alone: the whole value and its long lines go."""
    known = _string_data_secret("password-line-long-enough\nok\n}")
    assert known.scrub("status: ok\n}") == "status: ok\n}"


def test_a_whole_multi_line_value_goes_at_once_not_line_by_line() -> None:
    """Longest spellings first: the whole value, not only its first line, leaving the short rest visible."""
    value = "first-line-long-enough-1\nxy"
    assert _string_data_secret(value).scrub(f"value:\n{value}\n") == "value:\n<redacted>\n"


def test_a_last_applied_annotation_nested_in_another_is_redacted_once_whole() -> None:
    """The outer annotation's span is redacted whole; a second match inside it must not reopen it."""
    inner = json.dumps({"metadata": {"annotations": {LAST_APPLIED: json.dumps({"data": {"a": "aW5uZXI="}})}}, "data": {"b": "T1VURVItU0VDUkVU"}})
    text = json.dumps({"metadata": {"annotations": {LAST_APPLIED: inner}}}) + "\nafter: kept"
    out = redact_text(text)
    assert "T1VURVItU0VDUkVU" not in out and "aW5uZXI=" not in out and out.endswith("\nafter: kept")


def test_an_unclosed_last_applied_string_ends_at_its_line() -> None:
    text = f'    {LAST_APPLIED}: "{{\\"data\\":{{\\"a\\":\\"c2VjcmV0\n  name: "visible-name"\n'
    out = redact_text(text)
    assert "c2VjcmV0" not in out and '  name: "visible-name"' in out


def test_an_inline_data_map_nested_in_another_is_redacted_once_whole() -> None:
    text = 'obj: {"data":{"k":{"data":{"x":"SU5ORVI="}},"k2":"T1VURVItU0VDUkVU"}} after: kept'
    out = redact_text(text)
    assert "T1VURVItU0VDUkVU" not in out and "SU5ORVI=" not in out and out.endswith("after: kept")
