"""Mutation check of the server's guards: break each guard in small ways, one at a time, and see
whether the tests that name it notice.

    .venv/bin/python tests/mutation/run.py                      # every guard in guards.toml
    .venv/bin/python tests/mutation/run.py --guard redaction     # one guard (a name from guards.toml)
    .venv/bin/python tests/mutation/run.py --list                # the mutants, without running anything
    .venv/bin/python tests/mutation/run.py --only 'build_argv'   # mutants whose key contains this text
    .venv/bin/python tests/mutation/run.py --json out.json       # also keep the outcomes
    .venv/bin/python tests/mutation/run.py --rerun out.json      # after adding tests: run only the survivors again
    .venv/bin/python tests/mutation/run.py --repo ../spare-tree  # mutate a spare worktree, keep working in this one

Not part of `python -m pytest` (like the benchmarks): a full run takes tens of minutes on 2 cores.
For each guard in `guards.toml` (file, targets inside it, and the tests that cover it), it
runs the tests once unmutated (they must pass), then once per mutant with `pytest -x`: a
failing run kills the mutant, a passing run means it survived. It prints a mutation score
per guard and lists each survivor, except those `guards.toml` explains as equivalent.

Mutants are written into the working tree (the tests start real server processes, which
import the package from disk) and the original is always put back, also on Ctrl-C; a run
that was killed outright is repaired by the next one (the original is kept in a temp file
until restored). Do not edit the guarded files while it runs.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import re
import signal
import sys
import tempfile
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from mutants import Mutant, found_targets, mutants_of  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
CONFIG = Path(__file__).resolve().parent / "guards.toml"
# Where the original of a file being mutated waits, so that a run killed outright can be repaired.
_RUN_ID = hashlib.sha256(str(REPO).encode()).hexdigest()[:12]
_PENDING = Path(tempfile.gettempdir()) / f"mcpk-mutation-{_RUN_ID}.json"
_FIRST_FAILURE = Path(tempfile.gettempdir()) / f"mcpk-mutation-{_RUN_ID}.failure"


@dataclass
class Guard:
    """One guard: where its code is, which parts of it, and the tests that prove it."""

    name: str
    file: Path
    targets: list[str]
    tests: list[str]
    equivalent: dict[str, str] = field(default_factory=dict)  # mutant key -> why no test can tell
    env: dict[str, str] = field(default_factory=dict)  # for the test runs (e.g. one transport only)


@dataclass
class Outcome:
    mutant: Mutant
    killed: bool
    seconds: float
    detail: str  # the first failing test, or "timeout"


def _use_repo(repo: Path) -> None:
    global REPO, _PENDING, _FIRST_FAILURE
    REPO = repo
    run_id = hashlib.sha256(str(REPO).encode()).hexdigest()[:12]
    _PENDING = Path(tempfile.gettempdir()) / f"mcpk-mutation-{run_id}.json"
    _FIRST_FAILURE = Path(tempfile.gettempdir()) / f"mcpk-mutation-{run_id}.failure"


def load_guards(path: Path = CONFIG) -> list[Guard]:
    raw = tomllib.loads(path.read_text())
    guards = []
    for entry in raw["guard"]:
        equivalent = {e["key"]: e["reason"] for e in entry.get("equivalent", [])}
        guards.append(Guard(entry["name"], Path(entry["file"]), entry["targets"], entry["tests"], equivalent, entry.get("env", {})))
    return guards


def _drop_bytecode(file: Path) -> None:
    """Python trusts a .pyc whose source has the same size and mtime second: a same-size mutant
    written within a second of the last would run the old code. The server processes the tests
    start do not inherit our environment, so the cache is removed instead of redirected."""
    for cached in (REPO / file).parent.glob(f"__pycache__/{file.stem}.*.pyc"):
        cached.unlink(missing_ok=True)


def _write(file: Path, content: bytes) -> None:
    (REPO / file).write_bytes(content)
    _drop_bytecode(file)


def _repair_pending() -> None:
    """A previous run was killed before it put a file back: put it back now."""
    if _PENDING.exists():
        pending = json.loads(_PENDING.read_text())
        _write(Path(pending["file"]), bytes.fromhex(pending["original"]))
        _PENDING.unlink()
        print(f"repaired {pending['file']} (left mutated by an interrupted run)", file=sys.stderr)


# Imported once by this process so that each forked test run starts warm; never mcp_kubectl
# itself (or the tests, which import it), which each run must import fresh from disk.
_WARM_IMPORTS = ("pytest", "yaml", "click", "pydantic", "anyio", "httpx2", "mcp", "mcp.server.mcpserver",
                 "mcp.client.stdio", "mcp.client.streamable_http", "uvicorn", "starlette", "cryptography.x509")


def _warm_up() -> None:
    import importlib

    for name in _WARM_IMPORTS:
        importlib.import_module(name)
    leaked = [name for name in sys.modules if name.split(".")[0] in ("mcp_kubectl", "harness", "conftest")]
    assert not leaked, f"the warm imports pulled in {leaked}: a forked run would see the unmutated code"


def run_tests(tests: list[str], timeout_s: float, extra_env: dict[str, str]) -> tuple[bool, float, str]:
    """(passed, seconds, first failure) for one pytest run in a forked child, stopping at the first failure."""
    import pytest

    class FirstFailure:
        def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
            if report.failed and not _FIRST_FAILURE.exists():
                _FIRST_FAILURE.write_text(report.nodeid + (" (timeout)" if "Timeout" in str(report.longrepr)[-300:] else ""))

    _FIRST_FAILURE.unlink(missing_ok=True)
    started = time.monotonic()
    pid = os.fork()
    if pid == 0:  # the child: a fresh import of the package from disk, one pytest session, and out
        code = 70
        try:
            os.setsid()
            os.chdir(REPO)
            sys.path.insert(0, str(REPO))  # before the editable install's finder: this tree's package
            os.environ.update(extra_env)
            sys.dont_write_bytecode = True
            if not os.environ.get("MUTATION_VERBOSE"):
                devnull = os.open(os.devnull, os.O_WRONLY)
                os.dup2(devnull, 1)
                os.dup2(devnull, 2)
            # The warm imports include the anyio plugin (mcp imports anyio): too late to rewrite its asserts, harmless.
            args = ["-x", "-q", "-p", "no:cacheprovider", "-W", "ignore::pytest.PytestAssertRewriteWarning", *tests]
            code = int(pytest.main(args, plugins=[FirstFailure()]))
        except BaseException:
            import traceback

            traceback.print_exc()
        finally:
            os._exit(code)
    deadline = started + timeout_s
    try:
        while True:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                break
            if time.monotonic() > deadline:
                os.killpg(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                return False, time.monotonic() - started, "timeout"
            time.sleep(0.05)
    except BaseException:  # Ctrl-C or SIGTERM: the run and all it started go too
        os.killpg(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        raise
    seconds = time.monotonic() - started
    code = os.waitstatus_to_exitcode(status)
    # The run's own process group: anything it left behind (a server, a kubectl) goes with it.
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGKILL)
    if code == 5:
        raise SystemExit(f"no tests collected by {tests}: fix guards.toml")
    detail = _FIRST_FAILURE.read_text() if _FIRST_FAILURE.exists() else f"pytest exit code {code}"
    return code == 0, seconds, detail


def mutants_for(guard: Guard) -> list[Mutant]:
    source = (REPO / guard.file).read_bytes()
    missing = set(guard.targets) - found_targets(source.decode(), guard.targets)
    if missing:
        print(f"  warning: {guard.file} has no {sorted(missing)} (moved? update guards.toml)", file=sys.stderr)
    return mutants_of(guard.file, source, guard.targets)


def _base_key(key: str) -> str:
    """A key without its line text and occurrence: what an earlier run's key (of an older format) shares."""
    return re.sub(r"#\d+$", "", key).split(" @ ")[0]


def _killed_in(files: list[Path]) -> set[str]:
    """Base keys every mutant of which an earlier run killed (a base key shared by a survivor runs again)."""
    outcomes: dict[str, bool] = {}
    for earlier in files:
        for entries in json.loads(earlier.read_text()).values():
            for entry in entries:
                base = _base_key(entry["key"])
                outcomes[base] = outcomes.get(base, True) and entry["killed"]
    return {base for base, killed in outcomes.items() if killed}


def check_guard(guard: Guard, only: str | None, killed_before: set[str]) -> list[Outcome]:
    mutants = [m for m in mutants_for(guard) if m.key not in guard.equivalent and (only is None or only in m.key)]
    carried = [Outcome(m, True, 0.0, "killed in the earlier run") for m in mutants if _base_key(m.key) in killed_before]
    mutants = [m for m in mutants if _base_key(m.key) not in killed_before]
    if carried:
        print(f"  {len(carried)} mutants killed in the earlier run are not run again", flush=True)
    if not mutants:
        return carried
    passed, baseline, detail = run_tests(guard.tests, 1800, guard.env)
    if not passed:
        raise SystemExit(f"{guard.name}: the tests fail without any mutant ({detail}); fix them first")
    timeout = baseline * 3 + 60
    print(f"  {len(mutants)} mutants; the tests take {baseline:.0f}s unmutated (timeout {timeout:.0f}s)", flush=True)
    original = (REPO / guard.file).read_bytes()
    outcomes = []
    try:
        for index, mutant in enumerate(mutants, 1):
            _PENDING.write_text(json.dumps({"file": str(guard.file), "original": original.hex()}))
            _write(guard.file, mutant.apply(original))
            try:
                survived, seconds, detail = run_tests(guard.tests, timeout, guard.env)
            finally:
                _write(guard.file, original)
                _PENDING.unlink(missing_ok=True)
            outcomes.append(Outcome(mutant, not survived, seconds, detail))
            verdict = "survived" if survived else f"killed by {detail}"
            print(f"  [{index}/{len(mutants)}] {seconds:5.1f}s {verdict}: {mutant.describe()}", flush=True)
    finally:
        if (REPO / guard.file).read_bytes() != original:
            _write(guard.file, original)
    return carried + outcomes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--guard", action="append", help="only this guard (repeatable)")
    parser.add_argument("--only", help="only mutants whose key contains this text")
    parser.add_argument("--list", action="store_true", help="list the mutants and exit")
    parser.add_argument("--json", type=Path, help="also write the outcomes here")
    parser.add_argument("--repo", type=Path, help="mutate and test this checkout instead (e.g. a spare worktree)")
    parser.add_argument("--rerun", type=Path, action="append", default=[],
                        help="a --json file of an earlier run: run only what it did not kill (after new tests)")
    options = parser.parse_args(argv)
    if options.repo:
        _use_repo(options.repo.resolve())

    guards = load_guards()
    if options.guard:
        unknown = set(options.guard) - {g.name for g in guards}
        if unknown:
            parser.error(f"unknown guards {sorted(unknown)}; known: {[g.name for g in guards]}")
        guards = [g for g in guards if g.name in options.guard]

    if options.list:
        for guard in guards:
            mutants = mutants_for(guard)
            print(f"{guard.name}: {len(mutants)} mutants ({len(guard.equivalent)} explained as equivalent)")
            for mutant in mutants:
                note = "  (equivalent)" if mutant.key in guard.equivalent else ""
                print(f"  {mutant.describe()}{note}")
        return 0

    _repair_pending()
    _warm_up()
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    results: dict[str, list[Outcome]] = {}
    killed_before = _killed_in(options.rerun)
    started = time.monotonic()
    for guard in guards:
        print(f"{guard.name} ({guard.file}: {', '.join(guard.targets)})", flush=True)
        results[guard.name] = check_guard(guard, options.only, killed_before)

    print(f"\nMutation scores ({(time.monotonic() - started) / 60:.0f} min):")
    print(f"  {'guard':<28} {'killed':>7} {'mutants':>8} {'score':>7} {'equivalent':>11}")
    total_killed = total = 0
    for guard in guards:
        outcomes = results[guard.name]
        killed = sum(o.killed for o in outcomes)
        total_killed += killed
        total += len(outcomes)
        score = f"{100 * killed / len(outcomes):.0f}%" if outcomes else "-"
        print(f"  {guard.name:<28} {killed:>7} {len(outcomes):>8} {score:>7} {len(guard.equivalent):>11}")
    if total:
        print(f"  {'all':<28} {total_killed:>7} {total:>8} {100 * total_killed / total:>6.0f}%")
    survivors = [o for outcomes in results.values() for o in outcomes if not o.killed]
    print(f"\nSurviving mutants ({len(survivors)}):")
    for outcome in survivors:
        print(f"  {outcome.mutant.describe()}\n    key: {outcome.mutant.key}")
    if options.json:
        options.json.write_text(json.dumps({
            name: [{"key": o.mutant.key, "line": o.mutant.line, "killed": o.killed, "by": o.detail, "seconds": round(o.seconds, 1)}
                   for o in outcomes]
            for name, outcomes in results.items()
        }, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
