"""Mutants of a guard's code: small, plausible breaks made on the AST, applied as text splices.

Each mutant replaces one node's exact source span (so the rest of the file, comments
included, stays byte-for-byte the same) with the unparsed mutated node. Only code
inside the named targets is mutated: `Class.method`, `function`, a module-level
`CONSTANT`, or `*` for the whole module.

Operators, each a way a guard typically breaks:

| operator    | example                                  | the guard that breaks        |
|-------------|------------------------------------------|------------------------------|
| compare     | `==` -> `!=`, `in` -> `not in`, `<` -> `<=` | a check inverted or off by one |
| boolop      | `and` -> `or`                             | a two-part check half-done   |
| not         | `not x` -> `x`                            | a negation lost              |
| if-never    | `if cond:` -> `if False:`                 | a check that never fires     |
| call-gone   | `check(x)` as a statement -> `pass`        | a check not called (not logging) |
| constant    | `True` <-> `False`; `n` -> `n + 1` where n is compared | a flag flipped, a limit moved |
| drop-item   | `{"a", "b"}` -> `{"b"}`                   | an allow/deny list shortened |

Left out, to keep a run within minutes on 2 cores: `if cond:` -> `if True:` (a check that
always fires refuses everything, which any positive test notices), integers that are not
compared (indexes, counts: breaking them crashes), and strings (messages).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

_COMPARE_SWAPS: dict[type[ast.cmpop], type[ast.cmpop]] = {
    ast.Eq: ast.NotEq,
    ast.NotEq: ast.Eq,
    ast.Lt: ast.LtE,
    ast.LtE: ast.Lt,
    ast.Gt: ast.GtE,
    ast.GtE: ast.Gt,
    ast.In: ast.NotIn,
    ast.NotIn: ast.In,
    ast.Is: ast.IsNot,
    ast.IsNot: ast.Is,
}


@dataclass(frozen=True)
class Mutant:
    """One change to one file: replace bytes [start, end) with `after`."""

    path: Path  # relative to the repository root
    target: str  # the target (function, class, constant) it lies in
    line: int
    start: int  # byte offsets into the file
    end: int
    before: str
    after: str
    operator: str
    source_line: str  # the line it starts on, stripped: a key that changes when that line does
    occurrence: int = 0  # the same change on the same line text in the same target, counted

    @property
    def key(self) -> str:
        """Stable across edits elsewhere in the file (no line number), but not across an edit of its own
        line: an equivalent mutant named in the config is judged again when its line changes."""
        suffix = f"#{self.occurrence}" if self.occurrence else ""
        return f"{self.path}:{self.target}:{self.operator}:{self.before} => {self.after} @ {self.source_line}{suffix}"

    def apply(self, source: bytes) -> bytes:
        return source[: self.start] + self.after.encode() + source[self.end :]

    def describe(self) -> str:
        return f"{self.path}:{self.line} in {self.target}: [{self.operator}] {self.before}  =>  {self.after}"


def _offsets(source: bytes) -> list[int]:
    """Byte offset of each line's start (1-based lines: index 0 is unused)."""
    starts = [0, 0]
    for index, byte in enumerate(source):
        if byte == 0x0A:
            starts.append(index + 1)
    return starts


def _targets(tree: ast.Module, names: list[str]) -> Iterator[tuple[str, ast.AST]]:
    """The nodes the config names; `*` is the whole module."""
    if "*" in names:
        yield "*", tree
        return
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name in names:
            yield node.name, node
        elif isinstance(node, ast.ClassDef):
            if node.name in names:
                yield node.name, node
                continue
            for item in node.body:
                if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)) and f"{node.name}.{item.name}" in names:
                    yield f"{node.name}.{item.name}", item
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if isinstance(target, ast.Name) and target.id in names:
                    yield target.id, node


def found_targets(source: str, names: list[str]) -> set[str]:
    """Which of `names` exist in `source` (the config may name code that has moved)."""
    return {name for name, _ in _targets(ast.parse(source), names)}


def _replacements(node: ast.AST, parent: ast.AST | None) -> Iterator[tuple[str, ast.AST | str]]:
    """(operator, replacement node or text) for one node."""
    if isinstance(node, ast.Compare):
        for index, op in enumerate(node.ops):
            swap = _COMPARE_SWAPS.get(type(op))
            if swap is not None:
                ops = list(node.ops)
                ops[index] = swap()
                yield "compare", ast.Compare(left=node.left, ops=ops, comparators=node.comparators)
    elif isinstance(node, ast.BoolOp):
        yield "boolop", ast.BoolOp(op=ast.Or() if isinstance(node.op, ast.And) else ast.And(), values=node.values)
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        yield "not", node.operand
    elif isinstance(node, ast.Constant) and isinstance(node.value, bool):
        yield "constant", ast.Constant(not node.value)
    elif isinstance(node, ast.Constant) and type(node.value) is int and isinstance(parent, ast.Compare):
        yield "constant", ast.Constant(node.value + 1)
    elif isinstance(node, (ast.Set, ast.Tuple, ast.List)) and len(node.elts) >= 2 and all(
        isinstance(e, ast.Constant) and isinstance(e.value, str) for e in node.elts
    ):
        for index in range(len(node.elts)):
            kept = node.elts[:index] + node.elts[index + 1 :]
            yield "drop-item", ast.Set(elts=kept) if isinstance(node, ast.Set) else type(node)(elts=kept, ctx=ast.Load())


def _statement_replacements(node: ast.stmt) -> Iterator[tuple[str, ast.AST, str]]:
    """(operator, the node whose span is replaced, replacement text) for statements."""
    if isinstance(node, (ast.If, ast.While)):
        yield "if-never", node.test, "False"
    elif isinstance(node, ast.Expr) and isinstance(node.value, (ast.Call, ast.Await)) and not _is_logging(node.value):
        yield "call-gone", node, "pass"


def _is_logging(call: ast.expr) -> bool:
    """`logger.warning(...)`, `logging.info(...)`: what they change is not the guard's decision."""
    function = call.func if isinstance(call, ast.Call) else None
    return isinstance(function, ast.Attribute) and isinstance(function.value, ast.Name) and function.value.id in ("logger", "logging", "log")


def mutants_of(path: Path, source: bytes, names: list[str]) -> list[Mutant]:
    """Every mutant of the named targets in one file, in source order, each checked to compile."""
    tree = ast.parse(source.decode())
    starts = _offsets(source)
    made: list[Mutant] = []
    seen: dict[tuple[str, str, str, str, str], int] = {}
    lines = source.decode().splitlines()

    def span(node: ast.AST) -> tuple[int, int]:
        return starts[node.lineno] + node.col_offset, starts[node.end_lineno] + node.end_col_offset  # type: ignore[attr-defined]

    for target, root in _targets(tree, names):
        skip = _inert(root)
        parents = {id(child): parent for parent in ast.walk(root) for child in ast.iter_child_nodes(parent)}
        for node in ast.walk(root):
            if id(node) in skip:
                continue
            changes: list[tuple[str, ast.AST, str]] = []
            if isinstance(node, ast.stmt):
                changes.extend(_statement_replacements(node))
            if isinstance(node, ast.expr):
                for operator, replacement in _replacements(node, parents.get(id(node))):
                    after = ast.unparse(replacement)
                    if not isinstance(replacement, (ast.Constant, ast.Set, ast.List, ast.Tuple)):
                        after = f"({after})"  # keep the precedence the original had
                    changes.append((operator, node, after))
            for operator, where, after in changes:
                start, end = span(where)
                before = source[start:end].decode()
                if isinstance(where, ast.expr) and not _same_expression(before, where):
                    continue  # the span is not the node (never seen; a guard against a wrong splice)
                line = lines[where.lineno - 1].strip()  # type: ignore[attr-defined]
                key = (target, operator, before, after, line)
                occurrence = seen.get(key, 0)
                seen[key] = occurrence + 1
                mutant = Mutant(path, target, where.lineno, start, end, " ".join(before.split()), after, operator, line, occurrence)  # type: ignore[attr-defined]
                try:
                    compile(mutant.apply(source), str(path), "exec")
                except SyntaxError:
                    continue  # e.g. `pass` where an expression is needed: not a mutant
                made.append(mutant)
    made.sort(key=lambda m: (m.start, m.operator, m.after))
    return made


def _same_expression(text: str, node: ast.expr) -> bool:
    try:
        parsed = ast.parse(f"({text})", mode="eval").body
    except SyntaxError:
        return False
    return ast.dump(parsed) == ast.dump(node)


_DATACLASS_KNOBS = frozenset({"init", "repr", "eq", "compare", "hash", "order", "frozen", "kw_only", "slots", "unsafe_hash"})


def _inert(root: ast.AST) -> set[int]:
    """Nodes whose mutation changes nothing a guard decides, or whose spans are unreliable: docstrings,
    annotations, decorators, dataclass field options, and anything inside an f-string (3.11 positions
    there are not exact)."""
    skip: set[int] = set()
    for parent in ast.walk(root):
        inert: list[ast.AST] = []
        if isinstance(parent, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Module)) and parent.body:
            first = parent.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                inert.append(first.value)
        if isinstance(parent, ast.arg) and parent.annotation is not None:
            inert.append(parent.annotation)
        if isinstance(parent, (ast.FunctionDef, ast.AsyncFunctionDef)) and parent.returns is not None:
            inert.append(parent.returns)
        if isinstance(parent, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            inert.extend(parent.decorator_list)  # @dataclass(frozen=True): how a value is built, not a decision
        if isinstance(parent, ast.AnnAssign):
            inert.append(parent.annotation)
        if isinstance(parent, ast.keyword) and parent.arg in _DATACLASS_KNOBS:
            inert.append(parent.value)  # field(repr=False, compare=False): how a value prints or compares
        if isinstance(parent, ast.JoinedStr):
            inert.append(parent)
        for tree in inert:
            skip.update(id(child) for child in ast.walk(tree))
    return skip
