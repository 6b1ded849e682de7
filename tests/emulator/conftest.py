"""Shared fixtures for the emulator's proof: real kubectl binaries against a running Emulator.

Every test drives the emulator through a real kubectl (the pinned 1.37 from the venv and kubectl 1.32.3
from tests/binaries.py). One emulator per test module keeps the suite fast; tests that write use their
own namespace so they never see each other's objects.
"""

from __future__ import annotations

import itertools
import json
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

import binaries
from mcp_kubectl.emulator import Emulator, Rule

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "fixtures" / "emulator"
PINNED_KUBECTL = Path(sys.executable).parent / "kubectl"
# kubectl 1.32.3 from tests/binaries.py (the root conftest skips, or in CI fails, its tests when it is missing).
KUBECTL_132 = binaries.path(binaries.KUBECTL_132)

KUBECTL_BINARIES = [
    pytest.param(PINNED_KUBECTL, id="kubectl-1.37"),
    pytest.param(KUBECTL_132, id="kubectl-1.32", marks=pytest.mark.kubectl132),
]

VIEWER_RULES = [Rule(verbs=("get", "list", "watch"), resources=("*",), namespaces=("default",))]


@dataclass
class Result:
    argv: list[str]
    returncode: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        assert self.returncode == 0, f"{self.argv}: exit {self.returncode}: {self.stderr}"
        return json.loads(self.stdout)


@dataclass
class Kubectl:
    """A kubectl binary bound to one emulator (its kubeconfig and a private cache dir)."""

    binary: Path
    emulator: Emulator

    @property
    def cache_dir(self) -> Path:
        return self.emulator.cache_dir / self.binary.name.replace("/", "_") / str(abs(hash(str(self.binary))))

    def run(self, *args: str, input: str | None = None, kubeconfig: Path | None = None, timeout: float = 60,
            cache_dir: Path | None = None) -> Result:
        argv = [str(self.binary), "--kubeconfig", str(kubeconfig or self.emulator.kubeconfig),
                "--cache-dir", str(cache_dir or self.cache_dir), *args]
        proc = subprocess.run(argv, input=input, capture_output=True, text=True, timeout=timeout, check=False)
        return Result(argv, proc.returncode, proc.stdout, proc.stderr)

    def ok(self, *args: str, input: str | None = None) -> Result:
        result = self.run(*args, input=input)
        assert result.returncode == 0, f"{args}: exit {result.returncode}: {result.stderr}"
        return result


@pytest.fixture(scope="module")
def emulator() -> Iterator[Emulator]:
    """One emulator per module: seeded workloads in 'default', the sample manifests in 'shop', a 'viewer' user."""
    with Emulator(users={"viewer": VIEWER_RULES}) as emu:
        emu.seed_workloads()
        emu.load(FIXTURES)
        yield emu


@pytest.fixture(params=KUBECTL_BINARIES)
def kubectl(request: pytest.FixtureRequest, emulator: Emulator) -> Kubectl:
    """Each kubectl version in turn."""
    return Kubectl(request.param, emulator)


@pytest.fixture
def kubectl_pinned(emulator: Emulator) -> Kubectl:
    """The pinned kubectl only, for tests where the version does not matter."""
    return Kubectl(PINNED_KUBECTL, emulator)


_namespace_counter = itertools.count(1)


@pytest.fixture
def namespace(emulator: Emulator) -> str:
    """A fresh namespace for a test that writes."""
    name = f"t{next(_namespace_counter)}-{abs(hash(str(emulator.workdir))) % 10000}"
    emulator.ensure_namespace(name)
    return name


def manifest(name: str) -> str:
    return (FIXTURES / name).read_text()
