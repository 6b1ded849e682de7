"""The package's layers, as the module map in `mcp_kubectl/__init__.py` draws them: a call goes
down, never up, and no two modules import each other (lazy imports inside functions count).

Read from the source with `ast`, so the rule holds for imports that only run on some paths.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "mcp_kubectl"

# What each part may import from the package (besides itself, `errors`, `settings`, `_version`).
MAY_IMPORT: dict[str, set[str]] = {
    "errors": set(),
    "settings": set(),
    "shaping": set(),
    "cluster": {"safety", "shaping"},
    "safety": {"cluster", "shaping"},
    "ops": {"cluster", "safety", "shaping"},
    "tools": {"ops", "cluster", "safety", "shaping"},
    "server": {"tools", "ops", "cluster", "safety", "shaping"},
    "transport": {"server"},
    "check": {"tools", "ops", "cluster", "safety"},
    "demo": {"transport", "cluster", "emulator"},
    "cli": {"check", "demo", "transport"},
    "emulator": {"shaping"},
}
BASE = {"errors", "settings", "_version"}


def _modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        found[".".join(parts).removesuffix(".__init__")] = path
    return found


MODULES = _modules()


def _imports(module: str) -> Iterator[str]:
    """Every package module `module` imports, at the top or inside a function."""
    for node in ast.walk(ast.parse(MODULES[module].read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            submodules = [f"{node.module}.{alias.name}" for alias in node.names if f"{node.module}.{alias.name}" in MODULES]
            names = submodules or [node.module]
        else:
            continue
        for name in names:
            # A submodule reading its own package's __init__ (which re-exports it) is not a layer crossing.
            if name in MODULES and name != "mcp_kubectl" and not module.startswith(f"{name}.") and name != module:
                yield name


def _part(module: str) -> str:
    return module.split(".")[1] if "." in module else module


def test_the_map_names_every_part_of_the_package() -> None:
    parts = {_part(m) for m in MODULES if m != "mcp_kubectl"} - {"__main__", "_version"}
    assert parts == set(MAY_IMPORT), "a new part of the package: put it in the map and in MAY_IMPORT"


@pytest.mark.parametrize("module", sorted(m for m in MODULES if m != "mcp_kubectl"))
def test_a_module_imports_only_the_layers_below_it(module: str) -> None:
    part = _part(module)
    allowed = MAY_IMPORT.get(part, set()) | BASE | {part}
    if part in BASE:
        allowed = {"_version"}
    upward = sorted(i for i in set(_imports(module)) if _part(i) not in allowed and not (part == "__main__" and i == "mcp_kubectl.cli"))
    assert not upward, f"{module} imports {upward}, above or beside its layer"


def test_no_two_modules_import_each_other() -> None:
    graph = {m: set(_imports(m)) for m in MODULES}
    state: dict[str, int] = {}
    path: list[str] = []
    cycles: list[list[str]] = []

    def visit(module: str) -> None:
        state[module] = 1
        path.append(module)
        for imported in sorted(graph[module]):
            if state.get(imported) == 1:
                cycles.append([*path[path.index(imported) :], imported])
            elif imported not in state:
                visit(imported)
        path.pop()
        state[module] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module)
    assert not cycles, "import cycles: " + "; ".join(" -> ".join(c) for c in cycles)
