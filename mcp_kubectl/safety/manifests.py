"""Parse a model-supplied manifest safely, so kubectl only ever sees what was checked.

The model's text is never handed to kubectl. It is parsed here (JSON with the json
module, anything else with PyYAML's safe parser, event by event), checked against
the limits, expanded (every object holding `items` is a list to kubectl, so each item
is checked on its own), and re-serialized as JSON for `kubectl ... -f -`.

Refused, each with an `InvalidManifest` naming the document and the problem:
- more than `max_bytes` UTF-8 bytes (checked before any parsing), or more than
  `max_documents` objects (checked while parsing, so a huge stream stops early);
- control characters (NUL included) and text that is not valid Unicode;
- YAML anchors and aliases, all of them: kubectl never needs them, and refusing them
  outright makes alias bombs ("billion laughs") impossible rather than merely capped;
- nesting deeper than `MAX_DEPTH`, more than `MAX_NODES` values (mappings, lists and
  scalars, all documents together) or a key longer than `MAX_KEY_CHARS`: bytes and depth
  alone do not bound the work (a MiB of `[]` is 350,000 lists), these do, and the parser
  stops at the first value past them;
- duplicate keys (YAML and JSON), non-string keys,
  YAML merge keys and explicit tags other than the plain JSON-like ones;
- a document that is not a mapping with string `apiVersion`, `kind` and
  `metadata.name` (`generateName` alone is not enough: policy and audit need a name);
- near-miss spellings of the keys kubectl reads (`Kind`, `Items`, `Namespace`), which a
  case-insensitive decoder could read differently from us.

Why `items` matters: kubectl decodes *any* object with a top-level `items` as a list, so
a `ConfigMap` carrying `items: [<a Secret>]` creates the Secret, and a `SecretList`'s
items without their own kind become Secrets (checked against kubectl 1.37). Hence
`items` is accepted only on a `*List` kind, and every item needs its own apiVersion/kind.

YAML scalars follow PyYAML's YAML 1.1 rules, as kubectl's decoder mostly does (`yes`,
`on` are booleans, `0777` is octal); base-60 numbers (`22:22`) and timestamps stay text.
Where the two decoders differ (`y`, `1e5`), ours keeps the text.

Parsing is CPU work for a whole call: `parse_manifest_in_thread` runs it off the event
loop, and `one_parse_per_call` lets every step of one tool call (preview, write, audit
line) share one parse of the same text.
"""

from __future__ import annotations

import contextvars
import functools
import hashlib
import json
import math
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import yaml

from mcp_kubectl.errors import InvalidManifest

MAX_DEPTH = 64
# A 1 MiB ConfigMap of 20,000 short keys is 40,000 values; past this, parsing would cost
# seconds of CPU (about 10 us per YAML value on one core) for no object anyone writes.
MAX_NODES = 50_000
# Kubernetes' longest keys (annotation and label keys) are 317 characters.
MAX_KEY_CHARS = 1024

_Loader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_API_VERSION = re.compile(r"^(?:[a-z0-9](?:[-a-z0-9.]*[a-z0-9])?/)?[a-z0-9]+$")
_KIND = re.compile(r"^[A-Za-z][A-Za-z0-9]*$")
_TOP_LEVEL_KEYS = {"apiversion": "apiVersion", "kind": "kind", "metadata": "metadata", "items": "items"}
_METADATA_KEYS = {"name": "name", "namespace": "namespace"}

_TAG = "tag:yaml.org,2002:"
_PLAIN_SCALAR_TAGS = {_TAG + t for t in ("str", "int", "float", "bool", "null", "timestamp", "value")}
_MAPPING_TAGS = {None, "!", _TAG + "map"}
_SEQUENCE_TAGS = {None, "!", _TAG + "seq"}


@dataclass(frozen=True)
class ManifestTarget:
    """One object a manifest would write: what policy and the audit log look at."""

    api_version: str
    kind: str
    name: str
    namespace: str | None  # None: kubectl puts it in the default namespace (if namespaced)

    @property
    def group(self) -> str:
        return self.api_version.rpartition("/")[0]

    @property
    def version(self) -> str:
        return self.api_version.rpartition("/")[2]

    def to_dict(self) -> dict[str, str | None]:
        return {"apiVersion": self.api_version, "kind": self.kind, "namespace": self.namespace, "name": self.name}


@dataclass(frozen=True)
class Manifest:
    """A checked manifest: its objects (lists already expanded) and the raw text's sha256.

    The targets are computed once, at construction, from the checked documents; treat
    `documents` as read-only.
    """

    documents: tuple[dict[str, Any], ...]
    sha256: str
    _targets: tuple[ManifestTarget, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not self.documents:
            raise InvalidManifest("the manifest holds no objects")
        targets = tuple(_check_object(doc, f"document {i}") for i, doc in enumerate(self.documents, 1))
        try:
            # What kubectl will be sent must be JSON: no lone surrogates, no NaN.
            json.dumps(self.documents, ensure_ascii=False, allow_nan=False).encode("utf-8")
        except UnicodeEncodeError:
            raise InvalidManifest("the manifest holds invalid Unicode: a lone UTF-16 surrogate (as from a \\ud800 escape)") from None
        except (TypeError, ValueError) as exc:
            raise InvalidManifest(f"the manifest cannot be serialized as JSON: {exc}") from None
        object.__setattr__(self, "_targets", targets)

    def targets(self) -> list[ManifestTarget]:
        """The objects this manifest writes, in order."""
        return list(self._targets)


# The parses of the tool call in progress, by text: a Manifest or the refusal it met.
_call_parses: contextvars.ContextVar[dict[str, Manifest | InvalidManifest] | None] = contextvars.ContextVar(
    "manifest_call_parses", default=None
)


@contextmanager
def one_parse_per_call() -> Iterator[None]:
    """Within this block, a text already parsed is not parsed again (nor refused again)."""
    token = _call_parses.set({})
    try:
        yield
    finally:
        _call_parses.reset(token)


def parsed_in_this_call(text: Any) -> Manifest | None:
    """The Manifest this call already parsed from `text`, if any; never parses."""
    found = (_call_parses.get() or {}).get(text) if isinstance(text, str) else None
    return found if isinstance(found, Manifest) else None


_parse_threads: dict[int, Any] = {}  # an anyio.CapacityLimiter per event loop (one in a server)


async def parse_manifest_in_thread(text: str, *, max_bytes: int, max_documents: int) -> Manifest:
    """`parse_manifest` in a worker thread: one client's large manifest never stalls the event loop.

    One parse at a time per process: a worst-case manifest costs a core for a fraction of a
    second, and parses side by side would take every core (and the GIL) from other sessions.
    """
    import asyncio

    import anyio
    import anyio.to_thread

    loop = id(asyncio.get_running_loop())
    if loop not in _parse_threads:
        _parse_threads.clear()
        _parse_threads[loop] = anyio.CapacityLimiter(1)
    parse = functools.partial(parse_manifest, text, max_bytes=max_bytes, max_documents=max_documents)
    return await anyio.to_thread.run_sync(contextvars.copy_context().run, parse, limiter=_parse_threads[loop])


def parse_manifest(text: str, *, max_bytes: int, max_documents: int) -> Manifest:
    """Parse and check YAML or JSON text (one or more documents) into a `Manifest`."""
    parses = _call_parses.get()
    if parses is None or not isinstance(text, str):
        return _parse_manifest(text, max_bytes=max_bytes, max_documents=max_documents)
    earlier = parses.get(text)
    if isinstance(earlier, InvalidManifest):
        raise InvalidManifest(earlier.message)
    if earlier is None:
        try:
            earlier = parses[text] = _parse_manifest(text, max_bytes=max_bytes, max_documents=max_documents)
        except InvalidManifest as error:
            parses[text] = error
            raise
    return earlier


def _parse_manifest(text: str, *, max_bytes: int, max_documents: int) -> Manifest:
    if not isinstance(text, str):
        raise InvalidManifest("the manifest must be text (YAML or JSON)")
    # Every character is at least one UTF-8 byte: refuse huge input before encoding it.
    if len(text) > max_bytes:
        raise InvalidManifest(f"the manifest is larger than the limit of {max_bytes} bytes")
    try:
        raw = text.encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidManifest("the manifest is not valid Unicode text") from None
    if len(raw) > max_bytes:
        raise InvalidManifest(f"the manifest is {len(raw)} bytes, over the limit of {max_bytes} bytes")
    bad = _CONTROL_CHARS.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        raise InvalidManifest(
            f"the manifest contains a control character (U+{ord(bad.group()):04X}) on line {line}; "
            "binary data is not accepted"
        )
    body = text[1:] if text.startswith("\ufeff") else text

    stripped = body.lstrip()
    documents: list[Any] | None = None
    json_error = ""
    if stripped.startswith(("{", "[")):
        try:
            documents = _load_json(body, max_documents)
        except _NotJson as exc:
            json_error = str(exc)
    if documents is None:
        try:
            documents = _load_yaml(body, max_documents)
        except InvalidManifest as exc:
            if json_error:
                raise InvalidManifest(f"neither valid JSON ({json_error}) nor valid YAML ({exc.message})") from None
            raise

    objects: list[dict[str, Any]] = []
    for index, document in enumerate(documents, 1):
        if document is None:
            continue  # an empty document between `---` separators
        for obj in _expand(document, f"document {index}"):
            objects.append(obj)
            if len(objects) > max_documents:
                raise InvalidManifest(
                    f"the manifest holds more than {max_documents} objects (List items count one each)"
                )
    if not objects:
        raise InvalidManifest("the manifest holds no objects")
    return Manifest(documents=tuple(objects), sha256=hashlib.sha256(raw).hexdigest())


def parse_values(text: str, *, max_bytes: int) -> dict[str, Any]:
    """Parse Helm values (one YAML or JSON mapping) under the manifest rules: size, control
    characters, no anchors or aliases, depth, no duplicate or non-string keys, plain tags."""
    if not isinstance(text, str):
        raise InvalidManifest("values must be text (a YAML or JSON mapping)")
    if len(text) > max_bytes or len(text.encode("utf-8", errors="surrogatepass")) > max_bytes:
        raise InvalidManifest(f"values are larger than the limit of {max_bytes} bytes")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidManifest("values are not valid Unicode text") from None
    bad = _CONTROL_CHARS.search(text)
    if bad:
        raise InvalidManifest(f"values contain a control character (U+{ord(bad.group()):04X})")
    documents = [d for d in _load_yaml(text[1:] if text.startswith("\ufeff") else text, 1) if d is not None]
    if not documents:
        return {}
    if len(documents) > 1 or not isinstance(documents[0], dict):
        raise InvalidManifest("values must be one YAML mapping, such as 'replicas: 2'")
    value: dict[str, Any] = documents[0]
    return value


def _expand(document: Any, label: str) -> Iterator[dict[str, Any]]:
    """Yield the objects in a document; any object with `items` is a list to kubectl."""
    if not isinstance(document, dict):
        raise InvalidManifest(f"{label}: must be a mapping (an object), not {_type_name(document)}")
    _check_spelling(document, _TOP_LEVEL_KEYS, label, "")
    if "items" not in document:
        _check_object(document, label)
        yield document
        return
    kind = document.get("kind")
    if not isinstance(kind, str) or not kind.endswith("List"):
        raise InvalidManifest(
            f"{label}: has a top-level 'items' but its kind {kind!r} is not a List kind; "
            "kubectl would read it as a list of objects"
        )
    items = document["items"]
    if not isinstance(items, list):
        raise InvalidManifest(f"{label}: 'items' of the {kind} must be a list, not {_type_name(items)}")
    for number, item in enumerate(items, 1):
        yield from _expand(item, f"{label} ({kind} item {number})")


def _check_object(document: Any, label: str) -> ManifestTarget:
    """Check one (non-list) object's identifying fields and return its target."""
    if not isinstance(document, dict):
        raise InvalidManifest(f"{label}: must be a mapping (an object), not {_type_name(document)}")
    _check_spelling(document, _TOP_LEVEL_KEYS, label, "")
    if "items" in document:
        raise InvalidManifest(f"{label}: an object may not hold a top-level 'items'")
    api_version = document.get("apiVersion")
    if not isinstance(api_version, str) or not api_version:
        raise InvalidManifest(f"{label}: apiVersion is missing or not a string")
    if not _API_VERSION.match(api_version):
        raise InvalidManifest(f"{label}: apiVersion {api_version!r} is not of the form 'v1' or 'group/version'")
    kind = document.get("kind")
    if not isinstance(kind, str) or not kind:
        raise InvalidManifest(f"{label}: kind is missing or not a string")
    if not _KIND.match(kind):
        raise InvalidManifest(f"{label}: kind {kind!r} is not a valid Kind name")
    metadata = document.get("metadata")
    if not isinstance(metadata, dict):
        raise InvalidManifest(f"{label}: metadata is missing or not a mapping")
    _check_spelling(metadata, _METADATA_KEYS, label, "metadata.")
    name = metadata.get("name")
    if not isinstance(name, str) or not name:
        raise InvalidManifest(
            f"{label}: metadata.name is missing or not a string (generateName alone is not accepted)"
        )
    namespace = metadata.get("namespace")
    if namespace is not None and not isinstance(namespace, str):
        raise InvalidManifest(f"{label}: metadata.namespace must be a string")
    # kubectl treats an empty namespace as none: the object lands in the default namespace.
    return ManifestTarget(api_version=api_version, kind=kind, name=name, namespace=namespace or None)


def _check_spelling(mapping: dict[str, Any], canonical: dict[str, str], label: str, prefix: str) -> None:
    """Refuse `Kind`, `ITEMS`, `Namespace`...: a case-insensitive reader might take them."""
    for key in mapping:
        wanted = canonical.get(key.lower())
        if wanted is not None and key != wanted:
            raise InvalidManifest(f"{label}: key '{prefix}{key}' must be spelled exactly '{prefix}{wanted}'")


def _type_name(value: Any) -> str:
    return {list: "a list", str: "a string", bool: "a boolean", int: "a number", float: "a number"}.get(
        type(value), type(value).__name__
    )


# --- JSON -------------------------------------------------------------------------------


class _NotJson(Exception):
    """The text is not JSON; it may still be YAML (a flow mapping starts with `{` too)."""


def _load_json(text: str, max_documents: int) -> list[Any]:
    """A JSON document or a stream of them (kubectl accepts both)."""
    budget = _NodeBudget()
    decoder = json.JSONDecoder(object_pairs_hook=functools.partial(_json_object, budget), parse_constant=_json_constant)
    documents: list[Any] = []
    index = _skip_whitespace(text, 0)
    while index < len(text):
        try:
            document, index = decoder.raw_decode(text, index)
        except InvalidManifest as exc:  # from the object hook: a duplicate key, NaN, a limit
            raise InvalidManifest(f"document {len(documents) + 1}: {exc.message}") from None
        except RecursionError:
            raise InvalidManifest(f"document {len(documents) + 1}: nested deeper than {MAX_DEPTH} levels") from None
        except json.JSONDecodeError as exc:
            raise _NotJson(f"{exc.msg} at line {exc.lineno}, column {exc.colno}") from None
        except ValueError as exc:  # e.g. an integer with too many digits
            raise InvalidManifest(f"document {len(documents) + 1}: {exc}") from None
        documents.append(document)
        _check_json_tree(document, f"document {len(documents)}", budget)
        if sum(d is not None for d in documents) > max_documents:
            raise InvalidManifest(f"the manifest holds more than {max_documents} documents")
        index = _skip_whitespace(text, index)
    return documents


def _skip_whitespace(text: str, index: int) -> int:
    while index < len(text) and text[index] in " \t\r\n":
        index += 1
    return index


class _NodeBudget:
    """Values left before a manifest is too large to be worth parsing (`MAX_NODES`)."""

    __slots__ = ("left",)

    def __init__(self) -> None:
        self.left = MAX_NODES

    def spend(self, count: int = 1) -> None:
        self.left -= count
        if self.left < 0:
            raise InvalidManifest(f"the manifest holds more than {MAX_NODES} values (mappings, lists and scalars); split it")


def _check_key(key: str, line: int | None = None) -> None:
    if len(key) > MAX_KEY_CHARS:
        where = f" (line {line})" if line is not None else ""
        raise InvalidManifest(f"a key of {len(key)} characters{where} is longer than the limit of {MAX_KEY_CHARS}")


def _json_object(budget: _NodeBudget, pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    # Called by the C decoder as each object closes: refuses early, before the whole text is decoded.
    budget.spend(len(pairs) + 1)
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise InvalidManifest(f"duplicate key {key[:64]!r} in a JSON object")
        _check_key(key)
        result[key] = value
    return result


def _json_constant(name: str) -> Any:
    raise InvalidManifest(f"{name} is not a valid JSON number")


def _check_json_tree(document: Any, label: str, budget: _NodeBudget) -> None:
    """Depth, size and NUL checks, iteratively (the tree may be deep).

    Objects and their values were counted by the object hook; lists and their items are
    counted here, so every value counts once at least.
    """
    stack: list[tuple[Any, int]] = [(document, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, list):
            try:
                budget.spend(len(value) + 1)
            except InvalidManifest as exc:
                raise InvalidManifest(f"{label}: {exc.message}") from None
        if isinstance(value, dict):
            if depth > MAX_DEPTH:
                raise InvalidManifest(f"{label}: nested deeper than {MAX_DEPTH} levels")
            for key, item in value.items():
                if "\x00" in key:
                    raise InvalidManifest(f"{label}: a key contains a NUL character")
                stack.append((item, depth + 1))
        elif isinstance(value, list):
            if depth > MAX_DEPTH:
                raise InvalidManifest(f"{label}: nested deeper than {MAX_DEPTH} levels")
            stack.extend((item, depth + 1) for item in value)
        elif isinstance(value, str) and "\x00" in value:
            raise InvalidManifest(f"{label}: a string contains a NUL character")


# --- YAML -------------------------------------------------------------------------------

_NO_KEY = object()


class _Frame:
    """A mapping or sequence being built from parser events.

    Its path is worked out only for an error message: building it for every frame made
    each child of a long key copy that key (quadratic work).
    """

    __slots__ = ("container", "key", "parent")

    def __init__(self, container: dict[str, Any] | list[Any], parent: _Frame | None) -> None:
        self.container = container
        self.key: Any = _NO_KEY
        self.parent = parent  # with its key (or list length) as it was when this frame began

    @property
    def path(self) -> str:
        parts: list[str] = []
        frame: _Frame | None = self
        while frame is not None and frame.parent is not None:
            parent = frame.parent
            if isinstance(parent.container, dict):
                parts.append(f".{parent.key}")
            else:
                parts.append(f"[{len(parent.container)}]")
            frame = parent
        return "".join(reversed(parts)).lstrip(".")


def _line(event: yaml.Event) -> int | str:
    """The 1-based line an event starts on, for messages."""
    return event.start_mark.line + 1 if event.start_mark is not None else "?"


def _load_yaml(text: str, max_documents: int) -> list[Any]:
    """Build documents straight from parser events, so no alias is ever expanded.

    PyYAML's composer would resolve aliases and recurse per level; building from events
    with an explicit stack lets us refuse anchors, depth and duplicate keys as they appear.
    """
    loader = _Loader(text)
    documents: list[Any] = []
    stack: list[_Frame] = []
    current: Any = None
    label = "document 1"
    budget = _NodeBudget()
    try:
        while loader.check_event():
            event = loader.get_event()
            label = f"document {len(documents) + 1}"
            if isinstance(event, (yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                try:
                    budget.spend()
                except InvalidManifest as exc:
                    raise InvalidManifest(f"{label}: {exc.message} (line {_line(event)})") from None
            if isinstance(event, yaml.DocumentStartEvent):
                current = None
                continue
            if isinstance(event, yaml.DocumentEndEvent):
                documents.append(current)
                if sum(d is not None for d in documents) > max_documents:
                    raise InvalidManifest(f"the manifest holds more than {max_documents} documents")
                continue
            if isinstance(event, (yaml.StreamStartEvent, yaml.StreamEndEvent)):
                continue
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                raise InvalidManifest(
                    f"{label}: YAML anchors and aliases are not accepted (line {_line(event)}); "
                    "write the values out in full"
                )
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                is_mapping = isinstance(event, yaml.MappingStartEvent)
                allowed = _MAPPING_TAGS if is_mapping else _SEQUENCE_TAGS
                if event.tag not in allowed:
                    raise InvalidManifest(
                        f"{label}: the YAML tag {event.tag!r} is not accepted (line {_line(event)})"
                    )
                if stack and stack[-1].key is _NO_KEY and isinstance(stack[-1].container, dict):
                    raise InvalidManifest(
                        f"{label}: a mapping key must be a string, not a collection "
                        f"(line {_line(event)})"
                    )
                if len(stack) >= MAX_DEPTH:
                    raise InvalidManifest(f"{label}: nested deeper than {MAX_DEPTH} levels")
                stack.append(_Frame({} if is_mapping else [], stack[-1] if stack else None))
                continue
            if isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                value = stack.pop().container
            else:  # ScalarEvent
                value = _scalar(loader, event, label, key=bool(stack) and _expects_key(stack[-1]))
            if not stack:
                current = value
            else:
                _add(stack[-1], value, label, event)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise InvalidManifest(f"{label}: YAML parse error{where}: {exc.problem or exc.context}") from None
    except yaml.YAMLError as exc:
        raise InvalidManifest(f"{label}: YAML error: {exc}") from None
    finally:
        loader.dispose()
    return documents


def _expects_key(frame: _Frame) -> bool:
    return isinstance(frame.container, dict) and frame.key is _NO_KEY


def _add(frame: _Frame, value: Any, label: str, event: Any) -> None:
    container = frame.container
    if isinstance(container, list):
        container.append(value)
    elif frame.key is _NO_KEY:
        _check_key(value, event.start_mark.line + 1)
        if value in container:
            where = f"{frame.path}.{value}" if frame.path else value
            raise InvalidManifest(f"{label}: duplicate key {where!r} (line {_line(event)})")
        frame.key = value
    else:
        container[frame.key] = value
        frame.key = _NO_KEY


def _scalar(loader: Any, event: Any, label: str, *, key: bool) -> Any:
    """Resolve a scalar to str, int, float, bool or None; refuse everything else."""
    line = event.start_mark.line + 1
    tag = event.tag
    if tag in (None, "!"):
        tag = loader.resolve(yaml.ScalarNode, event.value, event.implicit)
    if "\x00" in event.value:
        raise InvalidManifest(f"{label}: a string contains a NUL character (line {line})")
    if tag == _TAG + "merge":
        raise InvalidManifest(f"{label}: YAML merge keys ('<<') are not accepted (line {line})")
    if tag not in _PLAIN_SCALAR_TAGS:
        raise InvalidManifest(f"{label}: the YAML tag {tag!r} is not accepted (line {line})")
    if tag in (_TAG + "str", _TAG + "timestamp", _TAG + "value") or (
        tag in (_TAG + "int", _TAG + "float") and ":" in event.value
    ):
        # Timestamps stay text (JSON has no date type), and so do YAML 1.1's base-60
        # numbers (`22:22`): kubectl's YAML decoder reads both as strings.
        return event.value
    if key:
        raise InvalidManifest(
            f"{label}: the mapping key {event.value!r} is not a string (line {line}); quote it"
        )
    node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
    try:
        value = loader.yaml_constructors[tag](loader, node)
    except (ValueError, KeyError, OverflowError, yaml.YAMLError) as exc:
        # PyYAML's constructors raise plain errors for `!!bool maybe` or a 5,000-digit integer.
        raise InvalidManifest(f"{label}: {event.value[:40]!r} is not a valid {tag.rsplit(':', 1)[-1]} (line {line}): {exc}") from None
    if isinstance(value, float) and not math.isfinite(value):
        raise InvalidManifest(f"{label}: {event.value!r} is not a finite number (line {line})")
    return value
