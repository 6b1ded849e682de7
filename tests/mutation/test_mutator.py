"""The mutation check's mutant maker (tests/mutation/mutants.py): exact splices, only in the named targets."""

from __future__ import annotations

import ast
import sys
import tomllib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from mutants import found_targets, mutants_of

REPO = Path(__file__).resolve().parents[2]

SOURCE = '''"""A module docstring with == and True in it."""
import logging

logger = logging.getLogger(__name__)
VERBS = frozenset({"get", "list"})


def check(value: str, limit: int = 3) -> str:
    """Docstring: not mutated."""
    logger.info("checking %s", value)
    if value.startswith("-") or len(value) > limit:
        raise ValueError(f"bad {value == 'x'}")
    audit(value)
    return value


def untouched(a: int) -> bool:
    return a == 1
'''


def test_every_mutant_is_a_one_span_change_inside_its_target() -> None:
    source = SOURCE.encode()
    mutants = mutants_of(Path("m.py"), source, ["check", "VERBS"])
    described = {(m.operator, m.before, m.after) for m in mutants}
    assert described == {
        ("drop-item", '{"get", "list"}', "{'list'}"),
        ("drop-item", '{"get", "list"}', "{'get'}"),
        ("if-never", 'value.startswith("-") or len(value) > limit', "False"),
        ("boolop", 'value.startswith("-") or len(value) > limit', "(value.startswith('-') and len(value) > limit)"),
        ("compare", "len(value) > limit", "(len(value) >= limit)"),
        ("call-gone", "audit(value)", "pass"),
    }
    for mutant in mutants:
        changed = mutant.apply(source).decode()
        ast.parse(changed)
        assert " ".join(source[mutant.start : mutant.end].decode().split()) == mutant.before  # the span is the node
        assert "def untouched(a: int) -> bool:\n    return a == 1" in changed  # outside every target
    assert len({m.key for m in mutants}) == len(mutants)


def test_keys_do_not_depend_on_line_numbers() -> None:
    before = {m.key for m in mutants_of(Path("m.py"), SOURCE.encode(), ["check"])}
    shifted = {m.key for m in mutants_of(Path("m.py"), ("# a new first line\n" + SOURCE).encode(), ["check"])}
    assert before == shifted and before


def test_integers_are_moved_only_where_compared() -> None:
    source = b"def f(x):\n    if x[0] > 10:\n        return x[1]\n    return 2\n"
    constants = [(m.before, m.after) for m in mutants_of(Path("f.py"), source, ["f"]) if m.operator == "constant"]
    assert constants == [("10", "11")]


def test_the_guard_config_names_code_that_exists() -> None:
    config = tomllib.loads((REPO / "tests" / "mutation" / "guards.toml").read_text())
    assert len(config["guard"]) >= 8
    for guard in config["guard"]:
        source = (REPO / guard["file"]).read_text()
        missing = set(guard["targets"]) - found_targets(source, guard["targets"])
        assert not missing, f"tests/mutation/guards.toml: {guard['file']} has no {sorted(missing)}; point the guard at the code's new home"
        assert mutants_of(Path(guard["file"]), source.encode(), guard["targets"]), guard["name"]
        paths = [arg for arg in guard["tests"] if arg.startswith("tests/")]
        assert paths, guard["name"]
        for path in paths:
            assert (REPO / path.split("::")[0]).exists(), path
