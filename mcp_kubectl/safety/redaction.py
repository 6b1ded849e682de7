"""Secret redaction for everything kubectl prints, parsed (`redact`) or as text (`redact_text`).

A redacted value becomes `<redacted: N bytes>`: the key stays, so the model still sees
which keys a Secret holds and how big they are, never what they hold. For `data`
(base64) N is the decoded length, as `kubectl describe` reports it.

Parsed output: every mapping with `kind: Secret` (and every item of a `SecretList`,
whose items carry no kind in raw API responses, and any kind-less object shaped like a
Secret, or named one by `redact(..., kind="Secret")`) has its `data` and `stringData` values
and its `kubectl.kubernetes.io/last-applied-configuration` annotation (which holds the
data as applied) replaced. Inputs are never mutated; a redacted copy is returned.

Text output is redacted in two passes, both leaning to over-redaction:
1. Inline maps, in any text: `"data":{...}`, `\\"data\\":{...}` (JSON inside a JSON string,
   as in the last-applied annotation), `"data":map[...]` and `data:map[...]` (Go's
   printing of an object in kubectl's apply errors), `data: {...}` (YAML flow). Free text
   does not say whose map it is, so these are redacted whatever the kind (a ConfigMap's
   inline data in an error message is hidden too). Quoted maps end at their matching
   bracket, outside strings; Go's unquoted maps cannot be delimited, so the rest of the
   line goes. The last-applied annotation as a quoted string is replaced whole.
2. YAML blocks (diff output, YAML echoed in messages): the text is cut into chunks (per
   `diff` file header in a diff, which is text with a hunk header `@@ -a,b +c,d @@`, else
   per `---` document). A chunk is left alone only when it is
   known to be another kind (a `kind: X` line or a kubectl-diff file name `v1.X.ns.name`
   with X not Secret); otherwise the values under every `data:`/`stringData:` key are
   replaced. A diff hunk may start inside the data block without showing the `data:`
   line, so in a Secret chunk every nested value before the hunk's first top-level key is
   redacted too. (kubectl diff masks Secret values as `***` itself; this is the second lock.)
   The last-applied annotation, which kubectl diff does not mask and YAML folds over
   several lines, is replaced whole, continuation lines included.
An empty inline map (`"data":{}`) is kept: it says the Secret holds nothing.

Both passes recognise layouts; the first lock is structural. A call that knows which
Secrets its text can mention (the Secret it describes, the Secrets in a manifest and their
live versions) gathers them in a `SecretValues` and passes it to `redact_text`, which
then removes every value of those Secrets (decoded and base64, JSON-escaped, the
last-applied annotation and the values inside it) wherever kubectl printed it, in any
layout: `kubectl describe` of a service-account-token Secret prints its token in clear,
and no layout rule names that line.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Iterable, Mapping
from typing import Any

from mcp_kubectl.shaping.objects import LAST_APPLIED_ANNOTATION as LAST_APPLIED

_SECRET_FIELDS = ("data", "stringData")


def marker(size: int) -> str:
    """The text that replaces a secret value."""
    return f"<redacted: {size} bytes>"


def may_hold_secrets(body: bytes) -> bool:
    """Whether raw API JSON could hold a Secret's values at all; False lets callers skip the walk.

    Redaction acts only on objects of kind Secret, and JSON can spell "Secret" only as
    those letters or through a `\\u` escape; a page with neither (most lists of pods,
    deployments, events) has nothing to hide. The walk costs a third of a list's CPU.
    """
    return b"Secret" in body or b"\\u" in body


def redact(value: Any, *, kind: str | None = None) -> Any:
    """A copy of parsed kubectl output with every Secret's values replaced by markers.

    `kind` names the kind of a top-level object that lacks one (a raw API list item);
    `redact(item, kind=resource.kind)` is the safe call for those. Iterative, so an object
    nested thousands of levels deep (the API server allows it) cannot exhaust the stack.
    """
    root: list[Any] = [None]
    role = "secret-item" if kind == "Secret" else ""
    stack: list[tuple[Any, Any, Any, str]] = [(value, root, 0, role)]
    while stack:
        source, parent, slot, role = stack.pop()
        if isinstance(source, list):
            copied: list[Any] = [None] * len(source)
            parent[slot] = copied
            stack.extend((item, copied, index, "") for index, item in enumerate(source))
        elif isinstance(source, dict):
            parent[slot] = _copy_mapping(source, role, stack)
        else:
            parent[slot] = source
    return root[0]


def _copy_mapping(source: dict[str, Any], role: str, stack: list[tuple[Any, Any, Any, str]]) -> dict[str, Any]:
    """Copy one mapping, redacting what its role calls for; children go on the stack."""
    kind = source.get("kind")
    is_secret = role != "metadata" and (
        kind == "Secret" or (kind is None and (role == "secret-item" or _looks_like_secret(source)))
    )
    copied: dict[str, Any] = {}
    for key, item in source.items():
        copied[key] = None  # keeps the key order; filled now or when the stack gets to it
        if is_secret and key in _SECRET_FIELDS:
            copied[key] = _redact_values(item, base64_encoded=key == "data")
        elif is_secret and key == "metadata" and isinstance(item, dict):
            stack.append((item, copied, key, "metadata"))
        elif role == "metadata" and key == "annotations" and isinstance(item, dict):
            copied[key] = {
                name: marker(_byte_length(text, base64_encoded=False)) if name == LAST_APPLIED else text
                for name, text in item.items()
            }
        elif key == "items" and kind == "SecretList" and isinstance(item, list):
            entries: list[Any] = [None] * len(item)
            copied[key] = entries
            stack.extend((entry, entries, index, "secret-item") for index, entry in enumerate(item))
        else:
            stack.append((item, copied, key, ""))
    return copied


def _looks_like_secret(source: dict[str, Any]) -> bool:
    """A kind-less object shaped like a Secret (metadata, a string `type`, a data map).

    Raw API list items carry no kind; if a caller forgets `kind=`, this still catches a
    Secret. Only Secrets have both a top-level `type` and `data`/`stringData` among the
    built-in kinds; a false positive merely hides a value.
    """
    return (
        isinstance(source.get("metadata"), dict)
        and isinstance(source.get("type"), str)
        and (isinstance(source.get("data"), dict) or isinstance(source.get("stringData"), dict))
    )


def _redact_values(values: Any, *, base64_encoded: bool) -> Any:
    if values is None:
        return None
    if not isinstance(values, dict):
        return marker(_byte_length(values, base64_encoded=base64_encoded))
    return {key: marker(_byte_length(item, base64_encoded=base64_encoded)) for key, item in values.items()}


def _byte_length(value: Any, *, base64_encoded: bool) -> int:
    if not isinstance(value, str):
        return len(str(value).encode("utf-8")) if value is not None else 0
    if base64_encoded:
        try:
            return len(base64.b64decode("".join(value.split()), validate=True))
        except (binascii.Error, ValueError):
            pass
    return len(value.encode("utf-8"))


# --- values of known Secrets -------------------------------------------------------------

# Shorter values are left to the layout passes: scrubbing "1" or "on" from every text would
# turn an answer into noise, and a value that short is no secret worth the name.
MIN_SCRUBBED_CHARS = 4
# One line of a multi-line value (a PEM block, a config file) printed on its own.
MIN_SCRUBBED_LINE_CHARS = 16
SCRUBBED = "<redacted>"


class SecretValues:
    """The values of the Secrets one call deals with, in every spelling kubectl may print them.

    Built from the objects themselves (structure, not layout): for each Secret, every
    `data` value base64 and decoded, every `stringData` value plain and base64, the
    last-applied annotation and the values in the Secret it records. Each is also kept
    JSON-escaped once and twice (a value inside a JSON string inside JSON) and, for a
    multi-line value, line by line. A value equal to the Secret's own name or namespace
    is public (the token controller writes the namespace into `data.namespace`).
    """

    def __init__(self, secrets: Iterable[Any] = ()) -> None:
        self._needles: set[str] = set()
        self._pattern: re.Pattern[str] | None = None
        for obj in secrets:
            self.add(obj)

    def __bool__(self) -> bool:
        return bool(self._needles)

    def __len__(self) -> int:
        return len(self._needles)

    def add(self, obj: Any) -> None:
        """Remember the values of `obj` if it is a Secret (a raw list item without kind counts)."""
        if not isinstance(obj, Mapping) or not (obj.get("kind") == "Secret" or (obj.get("kind") is None and _looks_like_secret(dict(obj)))):
            return
        found = obj.get("metadata")
        metadata: Mapping[str, Any] = found if isinstance(found, Mapping) else {}
        public = {metadata.get("name"), metadata.get("namespace")}
        for field in _SECRET_FIELDS:
            values = obj.get(field)
            if isinstance(values, Mapping):
                values = list(values.values())
            elif values is not None:
                values = [values]
            for value in values or ():
                if isinstance(value, str):
                    self._add_value(value, base64_encoded=field == "data", public=public)
        found = metadata.get("annotations")
        annotations: Mapping[str, Any] = found if isinstance(found, Mapping) else {}
        applied = annotations.get(LAST_APPLIED)
        if isinstance(applied, str):
            self._add_spellings(applied.strip(), public)
            try:
                recorded = json.loads(applied)
            except ValueError:
                recorded = None
            if isinstance(recorded, Mapping):
                self.add({**recorded, "kind": "Secret", "metadata": {"name": metadata.get("name"), "namespace": metadata.get("namespace")}})

    def _add_value(self, value: str, *, base64_encoded: bool, public: set[Any]) -> None:
        if base64_encoded:
            self._add_spellings(value, public)
            try:
                decoded = base64.b64decode("".join(value.split()), validate=True).decode("utf-8")
            except (binascii.Error, ValueError):
                return  # binary: printed, if ever, only as base64
            self._add_spellings(decoded, public)
        else:
            self._add_spellings(value, public)
            self._add_spellings(base64.b64encode(value.encode("utf-8")).decode("ascii"), public)

    def _add_spellings(self, value: str, public: set[Any]) -> None:
        if len(value) < MIN_SCRUBBED_CHARS or value in public:
            return
        once = json.dumps(value, ensure_ascii=False)[1:-1]
        twice = json.dumps(once, ensure_ascii=False)[1:-1]
        self._needles.update((value, once, twice, json.dumps(value)[1:-1]))
        for line in value.splitlines():
            line = line.strip()
            if len(line) >= MIN_SCRUBBED_LINE_CHARS and line not in public:
                self._needles.add(line)
        self._pattern = None

    def scrub(self, text: str) -> str:
        """`text` with every known value replaced by `<redacted>`, longest spellings first."""
        if not self._needles:
            return text
        if self._pattern is None:
            ordered = sorted(self._needles, key=len, reverse=True)
            self._pattern = re.compile("|".join(map(re.escape, ordered)))
        return self._pattern.sub(SCRUBBED, text)


# --- text -------------------------------------------------------------------------------


def redact_text(text: str, known: SecretValues | None = None) -> str:
    """kubectl's human text (errors, diff, describe) with secret values replaced; see the module doc.

    `known` holds the Secrets the caller knows this text can mention: their values go
    wherever they appear, whatever the layout.
    """
    if known:
        text = known.scrub(text)
    if not _LAYOUT_CUES.search(text):
        return text
    return _redact_last_applied(_redact_inline_maps(_redact_yaml_blocks(text)))


# What the layout passes act on: a data or stringData key, the last-applied annotation, or a
# diff hunk (which may start inside a Secret's data block without showing its `data:` line).
# Text with none of them passes through unchanged, and skipping it saves the line-by-line work.
_LAYOUT_CUES = re.compile(r"data|stringData|kubectl\.kubernetes\.io/last-applied-configuration|^@@ -\d", re.MULTILINE)


_DESCRIBE_DATA_LINE = re.compile(r"^([^\s:][^:]*):([ \t]+)(.*)$")
_DESCRIBE_SIZE = re.compile(r"^\d+ bytes$")


def redact_describe_secret(text: str) -> str:
    """`kubectl describe secret` text whose Data section shows sizes only.

    The caller knows from structure that the described object is a Secret. kubectl prints
    each key's size (`password:  19 bytes`), except a service-account token, which it
    prints in clear. From the `Data` heading to the end (kubectl prints nothing after it),
    every value that is not a size goes, and so does every line that is not `key: value`
    (the rest of a multi-line value), so a token rotated between our read and kubectl's,
    or one holding line breaks, is hidden too.
    """
    lines = text.split("\n")
    for index in range(len(lines) - 1):
        if lines[index] == "Data" and lines[index + 1] and set(lines[index + 1]) == {"="}:
            break
    else:
        return text
    for position in range(index + 2, len(lines)):
        line = lines[position]
        match = _DESCRIBE_DATA_LINE.match(line)
        if match is not None and _DESCRIBE_SIZE.match(match.group(3).strip()):
            continue
        if match is not None:
            lines[position] = f"{match.group(1)}:{match.group(2)}{SCRUBBED}"
        elif line.strip():
            lines[position] = SCRUBBED
    return "\n".join(lines)


_LAST_APPLIED_STRING = re.compile(r'kubectl\.kubernetes\.io/last-applied-configuration(\\*)"?[ \t]*:[ \t]*(\\*)"')


def _redact_last_applied(text: str) -> str:
    """The annotation as a quoted string (JSON, Go map): the whole applied object goes."""
    out: list[str] = []
    position = 0
    for match in _LAST_APPLIED_STRING.finditer(text):
        if match.start() < position:
            continue
        backslashes = len(match.group(2))
        end = _closing_quote(text, match.end(), backslashes)
        out.append(text[position : match.end()] + "<redacted>")
        position = end
    out.append(text[position:])
    return "".join(out)


def _closing_quote(text: str, start: int, backslashes: int) -> int:
    """Index of the quote ending a string opened just before `start` (else the line's end)."""
    for token in _QUOTE_OR_NEWLINE.finditer(text, start):
        if token.group() == "\n":
            return token.start()
        if _backslashes_before(text, token.start()) == backslashes:
            return token.start()
    return len(text)


_QUOTE_OR_NEWLINE = re.compile(r'["\n]')


_INLINE_KEY = re.compile(r'(?<![\w./-])(\\*)("?)(data|stringData)\\*"?[ \t]*:[ \t]*(map\[|\{)')


_SCAN_TOKENS = re.compile(r'["\[\]{}\n]')
# Quote and bracket events scanned per call; past it, each line with an inline map is
# redacted from the map's key to its end, so hostile text costs regex time, not Python time.
_SCAN_BUDGET = 200_000


def _redact_inline_maps(text: str) -> str:
    out: list[str] = []
    position = 0
    budget = [_SCAN_BUDGET]
    for match in _INLINE_KEY.finditer(text):
        if match.start() < position:
            continue  # inside a span already redacted
        backslashes, quote, opener = len(match.group(1)), match.group(2), match.group(4)
        open_at = match.end() - 1
        end = None  # Go's unquoted map: values are not delimited
        if quote or opener == "{":
            end = _matching_bracket(text, open_at, backslashes, budget)
        if end == open_at + 1:  # an empty map: nothing to hide, and "none" is worth showing
            out.append(text[position:end])
        elif end is None:
            line_end = text.find("\n", open_at)
            end = len(text) if line_end < 0 else line_end
            out.append(text[position : match.end()] + "<redacted>")
        else:
            out.append(text[position : match.end()] + "<redacted>" + text[end])
            end += 1
        position = end
    out.append(text[position:])
    return "".join(out)


def _matching_bracket(text: str, open_at: int, backslashes: int, budget: list[int]) -> int | None:
    """Index of the bracket closing the one at `open_at`, skipping strings at this escape level.

    None when the map is not closed on its line (maps are printed on one line) or when
    the scan budget is spent.
    """
    depth = 0
    in_string = False
    for token in _SCAN_TOKENS.finditer(text, open_at):
        budget[0] -= 1
        if budget[0] < 0:
            return None
        char, index = token.group(), token.start()
        if char == "\n":
            return None
        if char == '"':
            if _backslashes_before(text, index) == backslashes:
                in_string = not in_string
        elif not in_string:
            depth += 1 if char in "[{" else -1
            if depth == 0:
                return index
    return None


def _backslashes_before(text: str, index: int) -> int:
    run = 0
    while index - run - 1 >= 0 and text[index - run - 1] == "\\":
        run += 1
    return run


_DIFF_HEADER = re.compile(r"^(diff |--- |\+\+\+ |@@ |\\ )")
# A unified diff's hunk header: what makes text a diff (a YAML line cannot start with `@`).
_HUNK_HEADER = re.compile(r"^@@ -\d+(?:,\d+)? \+\d+(?:,\d+)? @@", re.MULTILINE)
_DIFF_FILE_KIND = re.compile(r"\bv\d[a-z0-9]*\.([A-Z][A-Za-z0-9]*)\.")
# Atomic groups: the leading `- - ` of a list can be read only one way (no ReDoS).
_KIND_LINE = re.compile(r"""^(?>[ \t]*(?:-[ \t]+)*)kind:[ \t]*["']?([A-Za-z0-9]+)["']?[ \t]*$""")
_KEY_LINE = re.compile(r"""^((?>[ \t]*(?:-[ \t]+)*))("[^"]*"|'[^']*'|[^\s:#'"][^:#]*?):(?:[ \t]+(.*))?$""")


def _redact_yaml_blocks(text: str) -> str:
    lines = text.split("\n")
    diff_mode = _HUNK_HEADER.search(text) is not None
    chunks: list[list[str]] = [[]]
    for line in lines:
        if line.startswith("diff ") if diff_mode else line.rstrip() == "---" or line.startswith("--- "):
            chunks.append([])
        chunks[-1].append(line)
    return "\n".join(line for chunk in chunks for line in _redact_chunk(chunk, diff_mode))


def _chunk_may_hold_secret(chunk: list[str], diff_mode: bool) -> bool:
    kinds: set[str] = set()
    for line in chunk:
        if diff_mode and _DIFF_HEADER.match(line):
            kinds.update(_DIFF_FILE_KIND.findall(line))
            continue
        match = _KIND_LINE.match(line[1:] if diff_mode else line)
        if match:
            kinds.add(match.group(1))
    return not kinds or "Secret" in kinds


def _redact_chunk(chunk: list[str], diff_mode: bool) -> list[str]:
    if not _LAYOUT_CUES.search("\n".join(chunk)):
        return chunk
    if not _chunk_may_hold_secret(chunk, diff_mode):
        return chunk
    out: list[str] = []
    block: int | None = None  # column of the data/stringData key we are under
    block_field = "data"
    value_column: int | None = None  # column of the keys inside the block
    unknown = False  # diff mode: after a hunk header, until a top-level key shows where we are
    skip: int | None = None  # column of a last-applied annotation whose folded lines we drop
    for line in chunk:
        if diff_mode and _DIFF_HEADER.match(line):
            if _HUNK_HEADER.match(line):
                block, value_column, unknown, skip = None, None, True, None
            out.append(line)
            continue
        prefix, content = (line[:1], line[1:]) if diff_mode else ("", line)
        if not content.strip():
            out.append(line)
            continue
        indent = len(content) - len(content.lstrip(" \t"))
        match = _KEY_LINE.match(content)
        key_column = len(match.group(1)) if match else indent
        if skip is not None:
            if indent > skip:
                continue  # the annotation's value, folded over several lines
            skip = None
        if match and _unquote(match.group(2)) == LAST_APPLIED:
            # The applied object, data included, as one JSON string that YAML folds
            # over lines (kubectl diff's own mask misses it): the whole value goes.
            out.append(prefix + match.group(1) + match.group(2) + ": <redacted>")
            skip = key_column
            continue
        if block is not None:
            if indent > block:
                if match and (value_column is None or key_column == value_column):
                    value_column = key_column
                    out.append(prefix + _redacted_key_line(match, base64_encoded=block_field == "data"))
                # else: a continuation of a multi-line value: dropped
                continue
            block, value_column = None, None
        if unknown:
            if key_column == 0:  # a top-level key (a `- ` list item at column 0 is not one)
                unknown = False
            elif match:
                out.append(prefix + _redacted_key_line(match, base64_encoded=True))
                continue
            else:
                continue
        if match and _unquote(match.group(2)) in _SECRET_FIELDS:
            value = (match.group(3) or "").rstrip()
            if value == "" or value.startswith("#"):
                block, block_field, value_column = key_column, _unquote(match.group(2)), None
            elif value not in ("{}", "null", "~"):
                out.append(prefix + match.group(1) + match.group(2) + ": <redacted>")
                continue
        out.append(line)
    return out


def _redacted_key_line(match: re.Match[str], *, base64_encoded: bool) -> str:
    lead, key, value = match.group(1), match.group(2), (match.group(3) or "").rstrip()
    if value == "" or value.startswith("#"):
        return f"{lead}{key}:"  # a nested mapping: its own keys follow
    if value.startswith(("|", ">")):
        return f"{lead}{key}: <redacted>"
    plain = _unquote(value)
    if plain.startswith("***"):
        return f"{lead}{key}: {value}"  # kubectl diff's own mask
    size = _byte_length(plain, base64_encoded=base64_encoded)
    return f"{lead}{key}: {marker(size)}"


def _unquote(token: str) -> str:
    if len(token) >= 2 and token[0] == token[-1] and token[0] in "'\"":
        return token[1:-1]
    return token
