"""Manifest parsing: what kubectl receives is exactly what was checked, and hostile input fails fast."""

from __future__ import annotations

import hashlib
import json
import re
import time

import pytest

from mcp_kubectl.errors import InvalidManifest
from mcp_kubectl.safety.manifests import MAX_DEPTH, Manifest, ManifestTarget, parse_manifest, parse_values

LIMITS = {"max_bytes": 1024 * 1024, "max_documents": 50}

CONFIGMAP = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  namespace: team-a
data:
  color: blue
"""


def parse(text: str, **limits: int) -> Manifest:
    return parse_manifest(text, **{**LIMITS, **limits})


def refused(text: str, **limits: int) -> str:
    with pytest.raises(InvalidManifest) as info:
        parse(text, **limits)
    return info.value.message


def billion_laughs(levels: int = 10) -> str:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in range(1, levels):
        refs = ",".join([f"*a{level - 1}"] * 9)
        lines.append(f"a{level}: &a{level} [{refs}]")
    return "\n".join(lines) + "\n"


# --- accepted input -------------------------------------------------------------------


def test_yaml_document_becomes_its_json_object() -> None:
    manifest = parse(CONFIGMAP)
    assert manifest.targets() == [ManifestTarget("v1", "ConfigMap", "settings", "team-a")]
    assert manifest.documents == ({
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": "settings", "namespace": "team-a"},
        "data": {"color": "blue"},
    },)
    assert manifest.sha256 == hashlib.sha256(CONFIGMAP.encode()).hexdigest()


def test_several_documents_become_one_list_and_empty_documents_are_ignored() -> None:
    text = "---\n" + CONFIGMAP + "---\n---\n# only a comment\n---\n" + CONFIGMAP.replace("settings", "other")
    manifest = parse(text)
    assert [t.name for t in manifest.targets()] == ["settings", "other"]
    assert [d["metadata"]["name"] for d in manifest.documents] == ["settings", "other"]


def test_list_kinds_are_expanded_item_by_item_even_when_nested() -> None:
    text = json.dumps(
        {
            "apiVersion": "v1",
            "kind": "List",
            "items": [
                {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "a"}},
                {
                    "apiVersion": "v1",
                    "kind": "SecretList",
                    "items": [{"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s", "namespace": "kube-system"}}],
                },
            ],
        }
    )
    manifest = parse(text)
    assert manifest.targets() == [
        ManifestTarget("v1", "ConfigMap", "a", None),
        ManifestTarget("v1", "Secret", "s", "kube-system"),
    ]
    assert [d["kind"] for d in manifest.documents] == ["ConfigMap", "Secret"]  # the List wrapper is gone


def test_json_stream_and_yaml_flow_mapping_are_accepted() -> None:
    stream = '{"apiVersion":"v1","kind":"A","metadata":{"name":"a"}}\n{"apiVersion":"v1","kind":"B","metadata":{"name":"b"}}'
    assert [t.kind for t in parse(stream).targets()] == ["A", "B"]
    flow = "{apiVersion: apps/v1, kind: Deployment, metadata: {name: web}}"
    target = parse(flow).targets()[0]
    assert (target.group, target.version, target.kind) == ("apps", "v1", "Deployment")


def test_json_numbers_keep_their_json_meaning() -> None:
    text = '{"apiVersion":"v1","kind":"A","metadata":{"name":"a"},"spec":{"e":1e5,"big":123456789012345678901234567890}}'
    spec = parse(text).documents[0]["spec"]
    assert spec == {"e": 100000.0, "big": 123456789012345678901234567890}


def test_yaml_scalars_become_json_scalars_and_timestamps_stay_text() -> None:
    # `=` alone is YAML 1.1's "value" type: plain text, as kubectl reads it.
    text = CONFIGMAP + "  when: 2026-01-01\n  replicas: 3\n  ratio: 0.5\n  flag: true\n  nothing: null\n  ports: 22:22\n  sign: =\n"
    data = parse(text).documents[0]["data"]
    assert data == {
        "color": "blue",
        "when": "2026-01-01",
        "replicas": 3,
        "ratio": 0.5,
        "flag": True,
        "nothing": None,
        "ports": "22:22",  # not YAML 1.1's base-60 integer 1342
        "sign": "=",
    }


def test_empty_namespace_means_the_default_namespace() -> None:
    assert parse(CONFIGMAP.replace("team-a", '""')).targets()[0].namespace is None


def test_utf8_bom_and_unicode_values_are_fine() -> None:
    manifest = parse("\ufeff" + CONFIGMAP.replace("blue", "bleu \u00e9t\u00e9"))
    assert manifest.documents[0]["data"]["color"] == "bleu \u00e9t\u00e9"


def test_targets_do_not_change_when_documents_are_mutated_later() -> None:
    manifest = parse(CONFIGMAP)
    manifest.documents[0]["metadata"]["namespace"] = "kube-system"
    assert manifest.targets()[0].namespace == "team-a"


# --- hostile input ----------------------------------------------------------------------

HOSTILE = [
    ("duplicate key in YAML", "apiVersion: v1\nkind: A\nmetadata:\n  name: a\n  name: b\n", "duplicate key 'metadata.name'"),
    (
        "duplicate kind in YAML",
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\nkind: Secret\n",
        "duplicate key 'kind'",
    ),
    (
        "duplicate key in JSON",
        '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a"},"kind":"Secret"}',
        "duplicate key 'kind'",
    ),
    (
        "duplicate namespace in JSON",
        '{"apiVersion":"v1","kind":"A","metadata":{"name":"a","namespace":"ok","namespace":"kube-system"}}',
        "duplicate key 'namespace'",
    ),
    ("alias", "apiVersion: v1\nkind: A\nmetadata: &m {name: a}\nspec: *m\n", "anchors and aliases"),
    ("anchor alone", "apiVersion: v1\nkind: A\nmetadata: &m {name: a}\n", "anchors and aliases"),
    ("billion laughs", billion_laughs(), "anchors and aliases"),
    ("recursive alias", "a: &a [*a]\n", "anchors and aliases"),
    ("deep YAML flow", "a: " + "[" * 200 + "]" * 200, f"nested deeper than {MAX_DEPTH}"),
    ("deep YAML block", "".join(" " * i + f"k{i}:\n" for i in range(100)) + " " * 100 + "v: 1\n", "nested deeper"),
    ("deep JSON", '{"a":' * 100 + "1" + "}" * 100, f"nested deeper than {MAX_DEPTH}"),
    ("very deep JSON", "[" * 500_000, "nested deeper"),
    ("NUL", CONFIGMAP + "  x: a\x00b\n", "control character (U+0000)"),
    ("escaped NUL in JSON", '{"apiVersion":"v1","kind":"A","metadata":{"name":"a\\u0000b"}}', "NUL"),
    ("binary bytes", "apiVersion: v1\x01\x02\x03\n", "control character"),
    ("lone surrogate", CONFIGMAP + "  x: \ud800\n", "not valid Unicode"),
    ("sequence document", "- a\n- b\n", "document 1: must be a mapping"),
    ("string document", CONFIGMAP + "---\njust text\n", "document 2: must be a mapping"),
    ("JSON array", "[1, 2]", "document 1: must be a mapping"),
    ("missing apiVersion", "kind: A\nmetadata: {name: a}\n", "apiVersion is missing"),
    ("numeric apiVersion", "apiVersion: 1\nkind: A\nmetadata: {name: a}\n", "apiVersion is missing or not a string"),
    ("missing kind", "apiVersion: v1\nmetadata: {name: a}\n", "kind is missing"),
    ("odd kind", "apiVersion: v1\nkind: 'Secret '\nmetadata: {name: a}\n", "not a valid Kind"),
    ("missing metadata", "apiVersion: v1\nkind: A\n", "metadata is missing"),
    ("generateName only", "apiVersion: v1\nkind: A\nmetadata: {generateName: a-}\n", "metadata.name is missing"),
    ("non-string name", "apiVersion: v1\nkind: A\nmetadata: {name: 12}\n", "metadata.name is missing or not a string"),
    ("list namespace", "apiVersion: v1\nkind: A\nmetadata: {name: a, namespace: [x]}\n", "metadata.namespace must be"),
    ("integer key", CONFIGMAP + "  1: one\n", "key '1' is not a string"),
    ("boolean key", CONFIGMAP + "  on: yes\n", "key 'on' is not a string"),
    ("complex key", CONFIGMAP + "  ? [a, b]\n  : c\n", "must be a string, not a collection"),
    ("python tag", "!!python/object/apply:os.system ['true']\n", "YAML tag"),
    ("binary tag", CONFIGMAP + "  x: !!binary aGk=\n", "YAML tag"),
    ("set tag", CONFIGMAP + "  x: !!set {a: null}\n", "YAML tag"),
    ("custom tag", CONFIGMAP + "  x: !Ref other\n", "YAML tag"),
    ("merge key", CONFIGMAP + "  <<: {a: b}\n", "merge keys"),
    ("NaN in YAML", CONFIGMAP + "  x: .nan\n", "not a finite number"),
    ("NaN in JSON", '{"apiVersion":"v1","kind":"A","metadata":{"name":"a"},"x":NaN}', "NaN"),
    (
        "ConfigMap hiding items",
        CONFIGMAP + "items:\n- {apiVersion: v1, kind: Secret, metadata: {name: s}}\n",
        "not a List kind",
    ),
    (
        "list items without their own kind",
        "apiVersion: v1\nkind: SecretList\nitems:\n- metadata: {name: s}\n  data: {a: YQ==}\n",
        "SecretList item 1): apiVersion is missing",
    ),
    ("items not a list", "apiVersion: v1\nkind: List\nitems: {a: b}\n", "'items' of the List must be a list"),
    ("non-mapping list item", "apiVersion: v1\nkind: List\nitems: [x]\n", "item 1): must be a mapping"),
    ("Kind spelled differently", "apiVersion: v1\nkind: A\nKind: Secret\nmetadata: {name: a}\n", "'Kind' must be spelled"),
    ("ITEMS spelled differently", CONFIGMAP + "ITEMS: []\n", "'ITEMS' must be spelled"),
    ("Namespace spelled differently", CONFIGMAP.replace("namespace", "Namespace"), "'metadata.Namespace' must be"),
    ("only empty documents", "---\n---\n# nothing\n", "holds no objects"),
    ("empty List", "apiVersion: v1\nkind: List\nitems: []\n", "holds no objects"),
    ("broken YAML", "apiVersion: v1\nkind: [\n", "YAML parse error at line"),
    ("broken JSON", '{"apiVersion": "v1", ', "neither valid JSON"),
]


@pytest.mark.parametrize(("text", "expected"), [(t, e) for _, t, e in HOSTILE], ids=[n for n, _, _ in HOSTILE])
def test_hostile_manifest_is_refused_with_a_clear_message(text: str, expected: str) -> None:
    assert expected in refused(text)


def test_error_names_the_document() -> None:
    assert refused(CONFIGMAP + "---\n" + CONFIGMAP + "---\napiVersion: v1\nkind: A\n").startswith("document 3:")


def test_fifty_mebibytes_are_refused_before_parsing() -> None:
    text = CONFIGMAP + "  blob: " + "x" * (50 * 1024 * 1024) + "\n"
    started = time.process_time()
    message = refused(text)
    assert "larger than the limit of 1048576 bytes" in message
    assert time.process_time() - started < 0.5


def test_size_limit_counts_utf8_bytes_not_characters() -> None:
    text = CONFIGMAP + "  x: " + "\u00e9" * 600 + "\n"  # 600 characters, 1200 bytes
    assert len(text) < 1300 < len(text.encode())
    assert "over the limit of 1300 bytes" in refused(text, max_bytes=1300)
    assert parse(text, max_bytes=2000).targets()[0].name == "settings"


def test_billion_laughs_is_refused_fast() -> None:
    started = time.process_time()
    assert "anchors and aliases" in refused(billion_laughs(levels=30))
    assert time.process_time() - started < 0.1


@pytest.mark.parametrize(
    "text",
    [
        "".join(f"---\napiVersion: v1\nkind: A\nmetadata: {{name: a{i}}}\n" for i in range(51)),
        "".join(f'{{"apiVersion":"v1","kind":"A","metadata":{{"name":"a{i}"}}}}\n' for i in range(51)),
        json.dumps({"apiVersion": "v1", "kind": "List", "items": [
            {"apiVersion": "v1", "kind": "A", "metadata": {"name": f"a{i}"}} for i in range(51)
        ]}),
    ],
    ids=["yaml documents", "json stream", "list items"],
)
def test_document_limit_counts_objects(text: str) -> None:
    assert "more than 50" in refused(text)
    assert len(parse(text, max_documents=51).targets()) == 51


def test_a_huge_document_stream_stops_at_the_limit_quickly() -> None:
    text = "".join(f"---\napiVersion: v1\nkind: A\nmetadata: {{name: a{i}}}\n" for i in range(100_000))
    started = time.process_time()
    assert "more than 50 documents" in refused(text, max_bytes=len(text))
    assert time.process_time() - started < 0.5


def test_largest_allowed_manifest_parses_in_reasonable_time() -> None:
    entries = "".join(f"  key{i}: {'v' * 40}\n" for i in range(19_000))
    text = CONFIGMAP + entries
    assert len(text) < LIMITS["max_bytes"]
    started = time.process_time()
    manifest = parse(text)
    assert len(manifest.documents[0]["data"]) == 19_001
    assert time.process_time() - started < 3.0


def test_manifest_built_directly_is_checked_too() -> None:
    with pytest.raises(InvalidManifest):
        Manifest(documents=({"kind": "A"},), sha256="0" * 64)
    with pytest.raises(InvalidManifest):
        Manifest(documents=(), sha256="0" * 64)


def test_text_that_is_not_a_string_is_refused() -> None:
    with pytest.raises(InvalidManifest):
        parse_manifest(b"apiVersion: v1", **LIMITS)  # type: ignore[arg-type]


# --- work bounds (issue 10 item 8): values and key length, not only bytes and depth ------------

from mcp_kubectl.safety.manifests import (  # noqa: E402
    MAX_KEY_CHARS,
    MAX_NODES,
    one_parse_per_call,
    parse_manifest_in_thread,
    parsed_in_this_call,
)

HEAD_YAML = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n"
HEAD_JSON = '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x"},'
LONG_KEY = "k" * (256 * 1024)

TOO_MUCH_WORK = {
    "yaml block of empty lists": HEAD_YAML + "data:\n" + "- []\n" * 150_000,
    "yaml flow of empty lists": HEAD_YAML + "data: [" + "[]," * 200_000 + "[]]\n",
    "yaml flow of scalars": HEAD_YAML + "data: [" + "1," * 200_000 + "1]\n",
    "yaml flow mapping of keys": HEAD_YAML + "data: {" + ",".join(f"k{i}: 1" for i in range(60_000)) + "}\n",
    "yaml empty mappings": HEAD_YAML + "data: [" + "{}," * 200_000 + "{}]\n",
    "json empty lists": HEAD_JSON + '"data":[' + "[]," * 200_000 + "[]]}",
    "json empty objects": HEAD_JSON + '"data":[' + "{}," * 200_000 + "{}]}",
    "json scalars": HEAD_JSON + '"data":[' + "1," * 200_000 + "1]}",
    "spread over documents": "".join(f"---\n{HEAD_YAML}data: [" + "1," * 2_000 + "1]\n" for _ in range(30)),
    "spread over a json stream": "".join(HEAD_JSON + '"data":[' + "1," * 2_000 + "1]}\n" for _ in range(30)),
}


@pytest.mark.parametrize("text", TOO_MUCH_WORK.values(), ids=TOO_MUCH_WORK.keys())
def test_more_values_than_the_limit_are_refused_naming_it(text: str) -> None:
    assert len(text.encode()) <= LIMITS["max_bytes"]
    message = refused(text)
    assert f"more than {MAX_NODES} values" in message


LONG_KEYS = {
    "json key": HEAD_JSON + json.dumps({"data": {LONG_KEY: [[]] * 1000}})[1:],
    "json key with many empty lists": HEAD_JSON + '"data":{"' + LONG_KEY + '":[' + "[]," * 30_000 + "[]]}}",
    "yaml explicit key": HEAD_YAML + "data:\n  ? " + LONG_KEY + "\n  : [" + "[]," * 1000 + "[]]\n",
    "yaml explicit key just over": HEAD_YAML + "data:\n  ? " + "k" * (MAX_KEY_CHARS + 1) + "\n  : v\n",
    "json key just over": HEAD_JSON + json.dumps({"data": {"k" * (MAX_KEY_CHARS + 1): "v"}})[1:],
}


@pytest.mark.parametrize("text", LONG_KEYS.values(), ids=LONG_KEYS.keys())
def test_a_key_longer_than_the_limit_is_refused(text: str) -> None:
    assert f"longer than the limit of {MAX_KEY_CHARS}" in refused(text)


def test_values_and_keys_at_the_limits_are_accepted() -> None:
    keys = {f"k{i}": "v" for i in range(MAX_NODES // 2 - 10)}  # each entry: a key and a value
    text = HEAD_JSON + json.dumps({"data": keys})[1:]
    assert len(parse(text).documents[0]["data"]) == len(keys)
    long_key = "k" * MAX_KEY_CHARS
    assert long_key in parse(HEAD_YAML + f"data:\n  ? {long_key}\n  : v\n").documents[0]["data"]


def test_a_duplicate_key_deep_under_a_list_still_names_its_path() -> None:
    text = HEAD_YAML + "spec:\n  items:\n  - a: 1\n  - b: 1\n    b: 2\n"
    assert "spec.items[1].b" in refused(text)


def test_one_call_parses_a_text_once_and_remembers_a_refusal(monkeypatch: pytest.MonkeyPatch) -> None:
    import mcp_kubectl.safety.manifests as manifests

    calls: list[str] = []
    real = manifests._parse_manifest

    def counting(text: str, **limits: int) -> Manifest:
        calls.append(text)
        return real(text, **limits)

    monkeypatch.setattr(manifests, "_parse_manifest", counting)
    with one_parse_per_call():
        first = parse(CONFIGMAP)
        assert parse(CONFIGMAP) is first and parsed_in_this_call(CONFIGMAP) is first
        assert refused("a: &x 1\n") == refused("a: &x 1\n")
        assert parsed_in_this_call("a: &x 1\n") is None
    assert len(calls) == 2
    assert parsed_in_this_call(CONFIGMAP) is None  # the call is over: nothing kept
    parse(CONFIGMAP)
    assert len(calls) == 3  # outside a call, every parse is fresh


def test_parsing_runs_off_the_event_loop_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    import threading

    import anyio

    import mcp_kubectl.safety.manifests as manifests

    threads: list[int] = []
    real = manifests._parse_manifest

    def recording(text: str, **limits: int) -> Manifest:
        threads.append(threading.get_ident())
        return real(text, **limits)

    monkeypatch.setattr(manifests, "_parse_manifest", recording)

    async def main() -> tuple[int, Manifest, Manifest | None]:
        with one_parse_per_call():
            manifest = await parse_manifest_in_thread(CONFIGMAP, **LIMITS)
            return threading.get_ident(), manifest, parsed_in_this_call(CONFIGMAP)

    loop_thread, manifest, remembered = anyio.run(main)
    assert manifest.targets()[0].name == "settings"
    assert remembered is manifest  # the worker's parse is the call's parse
    assert threads and threads[0] != loop_thread


# --- limits and second checks at their edges (found by the mutation check) ----------------

SMALL = '{"apiVersion":"v1","kind":"A","metadata":{"name":"a"}}'


def _nested(levels: int) -> str:
    """A manifest whose deepest mapping is `levels` deep (the document itself is level 1)."""
    return '{"apiVersion":"v1","kind":"A","metadata":{"name":"a"},"spec":' + '{"a":' * (levels - 2) + "{}" + "}" * (levels - 2) + "}"


def _nested_lists(levels: int) -> str:
    """The same, with lists below the top-level mapping."""
    return '{"apiVersion":"v1","kind":"A","metadata":{"name":"a"},"spec":' + "[" * (levels - 1) + "]" * (levels - 1) + "}"


def test_nesting_may_reach_the_limit_and_not_one_more() -> None:
    for nested in (_nested, _nested_lists):
        assert parse(nested(MAX_DEPTH)).documents[0]["kind"] == "A"
        assert f"nested deeper than {MAX_DEPTH} levels" in refused(nested(MAX_DEPTH + 1))


def test_a_json_string_in_a_list_holding_nul_is_refused() -> None:
    assert "a string contains a NUL character" in refused(SMALL[:-1] + ',"spec":[["a\\u0000b"]]}')


def test_a_json_key_holding_nul_is_refused() -> None:
    assert "a key contains a NUL character" in refused(SMALL[:-1] + ',"spec":{"a\\u0000b":1}}')


def test_a_json_stream_stops_at_the_document_limit_and_empty_documents_do_not_count() -> None:
    # The stream is refused as soon as it holds one document too many, before the next is even read.
    assert refused(SMALL * 3 + "[1]", max_documents=3) == "the manifest holds more than 3 documents"
    assert len(parse(SMALL + " null" * 5, max_documents=2).documents) == 1


def test_a_numeric_kind_is_refused_as_not_a_string() -> None:
    assert "kind is missing or not a string" in refused("apiVersion: v1\nkind: 5\nmetadata: {name: a}\n")


def test_a_list_documents_own_keys_are_spelling_checked() -> None:
    text = "apiVersion: v1\nkind: List\nITEMS: [{apiVersion: v1, kind: Secret, metadata: {name: s}}]\nitems: []\n"
    assert "'ITEMS' must be spelled exactly 'items'" in refused(text)


@pytest.mark.parametrize(
    "document, expected",
    [
        ("a string", "must be a mapping"),
        ({"apiVersion": "v1", "kind": "A", "Kind": "Secret", "metadata": {"name": "a"}}, "'Kind' must be spelled"),
        ({"apiVersion": "v1", "kind": "AList", "metadata": {"name": "a"}, "items": []}, "may not hold a top-level 'items'"),
    ],
    ids=["not a mapping", "misspelt key", "items"],
)
def test_a_manifest_built_directly_gets_every_object_check(document: object, expected: str) -> None:
    with pytest.raises(InvalidManifest) as raised:
        Manifest(documents=(document,), sha256="0" * 64)  # type: ignore[arg-type]
    assert expected in raised.value.message


def test_yaml_nesting_may_reach_the_limit_and_not_one_more() -> None:
    def nested(levels: int) -> str:
        return "apiVersion: v1\nkind: A\nmetadata: {name: a}\nspec: " + "[" * (levels - 1) + "]" * (levels - 1) + "\n"

    assert parse(nested(MAX_DEPTH)).documents[0]["kind"] == "A"
    assert f"nested deeper than {MAX_DEPTH} levels" in refused(nested(MAX_DEPTH + 1))


def test_an_escaped_nul_in_a_yaml_string_is_refused() -> None:
    # The raw text holds no control character: only the parsed value does.
    assert "a string contains a NUL character (line 8)" in refused(CONFIGMAP + '  x: "a\\0b"\n')


def test_a_yaml_error_without_context_still_says_where() -> None:
    assert "YAML parse error at line 1, column 5" in refused("a: b: c\n")


# --- Helm values: one mapping, under the manifest rules ---------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [("replicas: 2\nimage: {tag: v1}\n", {"replicas": 2, "image": {"tag": "v1"}}), ("", {}), ("# nothing set\n", {}),
     ("\ufeffreplicas: 2\n", {"replicas": 2}), ('{"replicas": 2}', {"replicas": 2})],
)  # fmt: skip
def test_values_accepted(text: str, expected: dict[str, object]) -> None:
    assert parse_values(text, max_bytes=1000) == expected


@pytest.mark.parametrize(
    ("text", "says"),
    [(5, "values must be text"),
     ("a: " + "x" * 998, "larger than the limit of 1000 bytes"),
     ("a: " + "\u00e9" * 499, "larger than the limit of 1000 bytes"),  # 502 characters, 1,001 bytes
     ("a: \ud800", "not valid Unicode text"),
     ("a: \x01", "control character (U+0001)"),
     ("- 1\n", "must be one YAML mapping"),
     ("just text", "must be one YAML mapping"),
     ("a: 1\n---\nb: 2\n", "more than 1 documents"),
     ("a: &x 1\nb: *x\n", "anchors and aliases are not accepted")],
)  # fmt: skip
def test_values_refused(text: object, says: str) -> None:
    with pytest.raises(InvalidManifest, match=re.escape(says)):
        parse_values(text, max_bytes=1000)  # type: ignore[arg-type]


def test_values_at_the_byte_limit_pass() -> None:
    assert parse_values("a: " + "x" * 997, max_bytes=1000) == {"a": "x" * 997}
    assert parse_values("a: " + "\u00e9" * 498 + "x", max_bytes=1000) == {"a": "\u00e9" * 498 + "x"}  # 1,000 bytes


def test_exactly_the_value_limit_passes_and_one_more_is_refused() -> None:
    def configmap(keys: int) -> str:  # keys + 8 values: three mappings and five other fields
        data = {f"k{i}": "v" for i in range(keys)}
        return json.dumps({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "a"}, "data": data})

    at_limit = configmap(MAX_NODES - 8)
    assert len(parse(at_limit, max_bytes=len(at_limit)).documents[0]["data"]) == MAX_NODES - 8
    assert f"more than {MAX_NODES} values" in refused(configmap(MAX_NODES - 7), max_bytes=len(at_limit) + 100)


def test_a_long_yaml_key_is_named_by_its_line_a_json_one_by_its_document() -> None:
    assert "a key of 1025 characters (line 5) is longer" in refused(LONG_KEYS["yaml explicit key just over"])
    assert refused(LONG_KEYS["json key just over"]) == f"document 1: a key of 1025 characters is longer than the limit of {MAX_KEY_CHARS}"


def test_yaml_refusals_name_the_line() -> None:
    assert "anchors and aliases are not accepted (line 8)" in refused(CONFIGMAP + "  a: &x 1\n  b: *x\n")
    assert "duplicate key 'data.a' (line 9)" in refused(CONFIGMAP + "  a: 1\n  a: 2\n")
