"""Label and field selectors, parsed with the grammar and error text of k8s.io/apimachinery.

``parse_label_selector`` follows labels/selector.go (``=``, ``==``, ``!=``, ``in``, ``notin``, exists,
``!key``); ``parse_field_selector`` follows fields/selector.go (``=``, ``==``, ``!=`` joined by commas).
Both raise ``SelectorError`` with the apiserver's message so that the HTTP layer can answer BadRequest.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


class SelectorError(ValueError):
    """A selector the apiserver would reject with BadRequest."""


_SPECIAL = set("=!(),><")
_KEYWORDS = {"in": "IN", "notin": "NOTIN"}
_SYMBOLS = {"!": "NOT", "!=": "NEQ", "(": "LPAR", ")": "RPAR", ",": "COMMA", "==": "DEQ", "=": "EQ", ">": "GT", "<": "LT"}
_QUALIFIED_NAME = re.compile(r"^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$")
_DNS_SUBDOMAIN = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")


def _lex(text: str) -> list[tuple[str, str]]:
    tokens: list[tuple[str, str]] = []
    i, n = 0, len(text)
    while True:
        while i < n and text[i] in " \t":
            i += 1
        if i >= n:
            tokens.append(("END", ""))
            return tokens
        if text[i] in _SPECIAL:
            buf, last = "", None
            while i < n and text[i] in _SPECIAL:
                candidate = buf + text[i]
                if candidate in _SYMBOLS:
                    buf, last = candidate, candidate
                    i += 1
                elif last is not None:
                    break
                else:
                    buf = candidate
                    i += 1
            if last is None:
                tokens.append(("ERROR", f"error expected: keyword found '{buf}'"))
            else:
                tokens.append((_SYMBOLS[last], last))
            continue
        start = i
        while i < n and text[i] not in _SPECIAL and text[i] not in " \t":
            i += 1
        word = text[start:i]
        tokens.append((_KEYWORDS.get(word, "ID"), word))


def _check_key(key: str) -> None:
    prefix, _, name = key.rpartition("/")
    ok = bool(name) and len(name) <= 63 and _QUALIFIED_NAME.match(name) is not None
    if prefix:
        ok = ok and len(prefix) <= 253 and _DNS_SUBDOMAIN.match(prefix) is not None
    if not ok:
        raise SelectorError(
            f'unable to parse requirement: <nil>: Invalid value: "{key}": name part must consist of alphanumeric '
            "characters, '-', '_' or '.', and must start and end with an alphanumeric character "
            "(e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is "
            "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"
        )


@dataclass(frozen=True)
class Requirement:
    key: str
    operator: str  # "=", "!=", "in", "notin", "exists", "!", ">", "<"
    values: tuple[str, ...] = ()

    def matches(self, labels: dict[str, str]) -> bool:
        op = self.operator
        if op == "exists":
            return self.key in labels
        if op == "!":
            return self.key not in labels
        value = labels.get(self.key)
        if op in ("=", "in"):
            return value is not None and value in self.values
        if op in ("!=", "notin"):
            return value is None or value not in self.values
        if value is None:
            return False
        try:
            number, bound = int(value), int(self.values[0])
        except ValueError:
            return False
        return number > bound if op == ">" else number < bound


class LabelSelector:
    """A parsed label selector; an empty one matches everything."""

    def __init__(self, requirements: list[Requirement]) -> None:
        self.requirements = requirements

    def matches(self, labels: dict[str, str] | None) -> bool:
        labels = labels or {}
        return all(r.matches(labels) for r in self.requirements)

    def __bool__(self) -> bool:
        return bool(self.requirements)


def parse_label_selector(text: str) -> LabelSelector:
    """Parse ``app=web,tier in (a,b),!legacy`` like labels.Parse."""
    tokens = _lex(text)
    pos = 0

    def peek(values: bool = True) -> tuple[str, str]:
        kind, lit = tokens[pos]
        if values and kind in ("IN", "NOTIN"):
            kind = "ID"
        return kind, lit

    def take(values: bool = True) -> tuple[str, str]:
        nonlocal pos
        token = peek(values)
        pos += 1
        return token

    def requirement() -> Requirement:
        kind, lit = take()
        operator = ""
        if kind == "NOT":
            operator = "!"
            kind, lit = take()
        if kind != "ID":
            raise SelectorError(f"unable to parse requirement: found '{lit}', expected: identifier")
        key = lit
        _check_key(key)
        if peek()[0] in ("END", "COMMA"):
            return Requirement(key, operator or "exists")
        if operator == "!":
            raise SelectorError(f"unable to parse requirement: found '{peek()[1]}', expected: ',' or 'end of string'")
        kind, lit = take(values=False)
        ops = {"IN": "in", "NOTIN": "notin", "EQ": "=", "DEQ": "=", "NEQ": "!=", "GT": ">", "LT": "<"}
        if kind not in ops:
            raise SelectorError(f"unable to parse requirement: found '{lit}', expected: in, notin, =, ==, !=, gt, lt")
        op = ops[kind]
        if op in ("in", "notin"):
            kind, lit = take()
            if kind != "LPAR":
                raise SelectorError(f"unable to parse requirement: found '{lit}' expected: '('")
            values: set[str] = set()
            if peek()[0] == "RPAR":
                take()
                return Requirement(key, op, ("",))
            while True:
                kind, lit = take()
                if kind == "ID":
                    values.add(lit)
                    nxt, nlit = peek()
                    if nxt == "COMMA":
                        take()
                        if peek()[0] == "RPAR":
                            values.add("")
                        continue
                    if nxt == "RPAR":
                        take()
                        break
                    raise SelectorError(f"unable to parse requirement: found '{nlit}', expected: ',' or ')'")
                if kind == "COMMA":
                    values.add("")
                    if peek()[0] == "RPAR":
                        take()
                        break
                    continue
                if kind == "RPAR":
                    break
                raise SelectorError(f"unable to parse requirement: found '{lit}', expected: ',', or identifier")
            return Requirement(key, op, tuple(sorted(values)))
        nxt, nlit = peek()
        if nxt in ("END", "COMMA"):
            return Requirement(key, op, ("",))
        kind, lit = take()
        if kind != "ID":
            raise SelectorError(f"unable to parse requirement: found '{lit}', expected: identifier")
        if op in (">", "<") and not re.fullmatch(r"-?\d+", lit):
            raise SelectorError("unable to parse requirement: for 'Gt', 'Lt' operators, the value must be an integer")
        return Requirement(key, op, (lit,))

    requirements: list[Requirement] = []
    while True:
        kind, lit = peek()
        if kind == "ERROR":
            raise SelectorError(lit)
        if kind == "END":
            break
        if kind not in ("ID", "NOT"):
            raise SelectorError(f"found '{lit}', expected: !, identifier, or 'end of string'")
        requirements.append(requirement())
        kind, lit = take()
        if kind == "END":
            break
        if kind == "ERROR":
            raise SelectorError(lit)
        if kind != "COMMA":
            raise SelectorError(f"found '{lit}', expected: ',' or 'end of string'")
        if peek()[0] not in ("ID", "NOT"):
            raise SelectorError(f"found '{peek()[1]}', expected: identifier after ','")
    requirements.sort(key=lambda r: r.key)
    return LabelSelector(requirements)


@dataclass(frozen=True)
class FieldTerm:
    field: str
    negate: bool
    value: str


def parse_field_selector(text: str) -> list[FieldTerm]:
    """Parse ``metadata.name=x,status.phase!=Running`` like fields.ParseSelector."""
    terms: list[FieldTerm] = []
    if not text.strip():
        return terms
    for part in _split_unescaped(text, ","):
        if not part:
            continue
        for op in ("!=", "==", "="):
            index = _find_unescaped(part, op)
            if index >= 0:
                field_name, value = part[:index], part[index + len(op) :]
                terms.append(FieldTerm(field_name.strip(), op == "!=", _unescape(value)))
                break
        else:
            raise SelectorError(f"invalid selector: '{text}'; can't understand '{part}'")
    return terms


def _find_unescaped(text: str, needle: str) -> int:
    i = 0
    while i < len(text):
        if text[i] == "\\":
            i += 2
            continue
        if text.startswith(needle, i):
            return i
        i += 1
    return -1


def _split_unescaped(text: str, sep: str) -> list[str]:
    parts, buf, i = [], "", 0
    while i < len(text):
        if text[i] == "\\" and i + 1 < len(text):
            buf += text[i : i + 2]
            i += 2
            continue
        if text[i] == sep:
            parts.append(buf)
            buf = ""
        else:
            buf += text[i]
        i += 1
    parts.append(buf)
    return parts


def _unescape(value: str) -> str:
    return re.sub(r"\\(.)", r"\1", value)


def _path(*keys: str) -> Callable[[dict[str, Any]], str]:
    def get(obj: dict[str, Any]) -> str:
        cur: Any = obj
        for key in keys:
            if not isinstance(cur, dict):
                return ""
            cur = cur.get(key)
        return "" if cur is None else str(cur)

    return get


_COMMON_FIELDS: dict[str, Callable[[dict[str, Any]], str]] = {
    "metadata.name": _path("metadata", "name"),
    "metadata.namespace": _path("metadata", "namespace"),
}

# Fields each resource supports on a real apiserver (pkg/registry/*/strategy.go ...FieldsSet).
_EXTRA_FIELDS: dict[tuple[str, str], dict[str, Callable[[dict[str, Any]], str]]] = {
    ("", "pods"): {
        "spec.nodeName": _path("spec", "nodeName"),
        "spec.restartPolicy": _path("spec", "restartPolicy"),
        "spec.schedulerName": _path("spec", "schedulerName"),
        "spec.serviceAccountName": _path("spec", "serviceAccountName"),
        "spec.hostNetwork": lambda o: str(bool((o.get("spec") or {}).get("hostNetwork"))).lower(),
        "status.phase": _path("status", "phase"),
        "status.podIP": _path("status", "podIP"),
        "status.nominatedNodeName": _path("status", "nominatedNodeName"),
    },
    ("", "events"): {
        "involvedObject.kind": _path("involvedObject", "kind"),
        "involvedObject.namespace": _path("involvedObject", "namespace"),
        "involvedObject.name": _path("involvedObject", "name"),
        "involvedObject.uid": _path("involvedObject", "uid"),
        "involvedObject.apiVersion": _path("involvedObject", "apiVersion"),
        "involvedObject.resourceVersion": _path("involvedObject", "resourceVersion"),
        "involvedObject.fieldPath": _path("involvedObject", "fieldPath"),
        "reason": _path("reason"),
        "reportingComponent": _path("reportingComponent"),
        "source": _path("source", "component"),
        "type": _path("type"),
    },
    ("", "nodes"): {"spec.unschedulable": lambda o: str(bool((o.get("spec") or {}).get("unschedulable"))).lower()},
    ("", "namespaces"): {"status.phase": _path("status", "phase")},
    ("", "secrets"): {"type": _path("type")},
    ("", "replicationcontrollers"): {"status.replicas": _path("status", "replicas")},
    ("apps", "replicasets"): {"status.replicas": _path("status", "replicas")},
    ("batch", "jobs"): {"status.successful": _path("status", "succeeded")},
}


def field_getters(group: str, plural: str) -> dict[str, Callable[[dict[str, Any]], str]]:
    """The field selector keys a resource supports, each with a function reading it from an object."""
    return {**_COMMON_FIELDS, **_EXTRA_FIELDS.get((group, plural), {})}


def field_matcher(terms: list[FieldTerm], group: str, plural: str) -> Callable[[dict[str, Any]], bool] | None:
    """A predicate over objects, or None when there are no terms; SelectorError on unsupported fields."""
    if not terms:
        return None
    getters = field_getters(group, plural)
    checks = []
    for term in terms:
        getter = getters.get(term.field)
        if getter is None:
            raise SelectorError(f"field label not supported: {term.field}")
        checks.append((getter, term.negate, term.value))

    def match(obj: dict[str, Any]) -> bool:
        for getter, negate, value in checks:
            if (getter(obj) == value) == negate:
                return False
        return True

    return match
