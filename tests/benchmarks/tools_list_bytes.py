"""The bytes of `tools/list` a client (and often the model's context) pays for, per set of flags.

    .venv/bin/python tests/benchmarks/tools_list_bytes.py

Starts the emulator and, for each set of flags, one `mcp-kubectl` over stdio through the
`mcp` client; prints the tools, their count and the compact JSON size of the `tools/list`
result (all of it, then without output schemas, which clients rarely show the model).
Not collected by pytest.
"""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from harness import pinned_kubectl  # noqa: E402

WRITES = ("--enable-create", "--enable-update", "--enable-delete")
HELM_WRITES = ("--enable-helm-install", "--enable-helm-upgrade", "--enable-helm-uninstall", "--enable-helm-repo-add", "--enable-helm-repo-remove")
NO_HELM = ("--helm=/nonexistent/helm",)  # the Helm tools need a helm binary: none here, whatever PATH holds


def flag_sets() -> dict[str, tuple[str, ...]]:
    """Without helm, then (if `tests/binaries.py` installed it) with the pinned helm 4.2.3."""
    import binaries

    sets = {
        "default": NO_HELM,
        "all on": (*NO_HELM, *WRITES),
        "all on, contexts": (*NO_HELM, *WRITES, "--allowed-contexts=emulator,other"),
    }
    if binaries.installed("helm-4.2.3"):
        helm = (f"--helm={binaries.path('helm-4.2.3')}",)
        sets["default, helm"] = helm
        sets["all on, helm"] = (*helm, *WRITES, *HELM_WRITES)
    return sets


async def tools_list(kubeconfig: Path, cache_dir: Path, flags: tuple[str, ...]) -> list[dict]:
    from mcp import Client
    from mcp.client.stdio import StdioServerParameters

    argv = ["-m", "mcp_kubectl", f"--kubeconfig={kubeconfig}", f"--kubectl={pinned_kubectl()}", f"--cache-dir={cache_dir}", *flags]
    async with Client(StdioServerParameters(command=sys.executable, args=argv)) as client:
        result = await client.list_tools()
    return [tool.model_dump(mode="json", by_alias=True, exclude_none=True) for tool in result.tools]


def compact(value: object) -> int:
    return len(json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode())


def main() -> None:
    from mcp_kubectl.emulator import Emulator

    with Emulator() as emulator:
        for label, flags in flag_sets().items():
            tools = asyncio.run(tools_list(emulator.kubeconfig, emulator.cache_dir, flags))
            without_output = [{k: v for k, v in tool.items() if k != "outputSchema"} for tool in tools]
            print(f"{label:<17} {len(tools):>2} tools  tools/list {compact({'tools': tools}):>6} bytes  "
                  f"without outputSchema {compact({'tools': without_output}):>6} bytes  flags: {' '.join(flags) or '(none)'}")


if __name__ == "__main__":
    main()
