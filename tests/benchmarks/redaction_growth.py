"""How redaction time grows with hostile text: the wall-clock side of test_redaction's step counts.

    .venv/bin/python tests/benchmarks/redaction_growth.py [--scale 4] [--repeat 3]

For each hostile line of `tests/unit/safety/test_redaction.py` (unclosed JSON, escaped JSON and Go maps,
endless last-applied annotations; YAML lines that a backtracking key-line pattern would chew on),
times `redact_text` on such text and on the same with lines `--scale` times longer (best of `--repeat` each) and prints both times and their ratio:
about `--scale` for linear work, about its square for quadratic. A ratio measured in one
run, so the machine's load cancels out; numbers, not a verdict. Not collected by pytest.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "unit" / "safety"))

from test_redaction import B64_PASSWORD, HOSTILE_LINES, HOSTILE_YAML_LINES  # noqa: E402

from mcp_kubectl.safety.redaction import redact_text  # noqa: E402


def best_of(text: str, repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        redact_text(text)
        runs.append(time.perf_counter() - started)
    return min(runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, default=4)
    parser.add_argument("--repeat", type=int, default=3)
    options = parser.parse_args()
    print(f"{'hostile line':<16} {'1x (ms)':>9} {f'{options.scale}x (ms)':>9} {'ratio':>6}")
    texts = {name: lambda scale, line=line: "\n".join([line * scale] * 20) for name, line in HOSTILE_LINES.items()}
    # A Secret's YAML followed by a hostile line, five times: the key-line patterns' worst cases.
    texts |= {
        name: lambda scale, line=line: f"kind: Secret\ndata:\n  password: {B64_PASSWORD}\n{line * scale}\n" * 5
        for name, line in HOSTILE_YAML_LINES.items()
    }
    for name, make in texts.items():
        small = best_of(make(1), options.repeat)
        large = best_of(make(options.scale), options.repeat)
        print(f"{name:<16} {small * 1000:>9.1f} {large * 1000:>9.1f} {large / max(small, 1e-9):>6.2f}")


if __name__ == "__main__":
    main()
