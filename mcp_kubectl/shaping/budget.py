"""A byte budget for every answer: cut at an item or line boundary, and say so.

Nothing fails for being big; instead the answer keeps as much as fits and ends
with an explicit marker that says what was left out and how to ask for less.
Sizes are UTF-8 bytes of the text the model reads.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

NARROW_LIST_HINT = (
    "narrow with labelSelector/fieldSelector/namespace, or page with limit and continueToken"
)


@dataclass(frozen=True)
class BudgetResult:
    """What fit: the kept prefix, its rendered text, how many items were left out, and the marker."""

    kept: list[Any]
    text: str
    omitted: int
    marker: str | None


def size_of(text: str) -> int:
    """The size the model pays for: UTF-8 bytes."""
    return len(text.encode("utf-8"))


def format_bytes(count: int) -> str:
    """64 KiB, 1.5 MiB or 900 bytes: how a budget is named in a marker."""
    if count >= 1024 * 1024 and count % (1024 * 1024) == 0:
        return f"{count // (1024 * 1024)} MiB"
    if count >= 1024 and count % 1024 == 0:
        return f"{count // 1024} KiB"
    if count >= 1024:
        return f"{count / 1024:.1f} KiB"
    return f"{count} bytes"


def truncation_marker(omitted: int, total: int, budget_bytes: int, hint: str = NARROW_LIST_HINT) -> str:
    """The line that tells the model an answer was cut, by how much, and what to do next."""
    return (
        f"truncated: {omitted} of {total} items left out to stay under "
        f"{format_bytes(budget_bytes)}; {hint}"
    )


def lines_marker(omitted_lines: int, budget_bytes: int, *, newest_kept: bool, hint: str) -> str:
    """The marker for a cut text: which end was kept, how many lines went, and what to do next."""
    which = "older" if newest_kept else "later"
    return (
        f"truncated: {omitted_lines} {which} lines left out to stay under "
        f"{format_bytes(budget_bytes)}; {hint}"
    )


LOGS_HINT = "lower tailLines, set sinceSeconds, or pass a filter"
DESCRIBE_HINT = "read specific parts with get_resource and fields, or events with get_events"


def fit_items(
    items: Sequence[Any],
    *,
    budget_bytes: int,
    render: Callable[[list[Any]], str],
    hint: str = NARROW_LIST_HINT,
) -> BudgetResult:
    """Keep the longest prefix of `items` whose rendering, plus the marker, fits the budget.

    `render` is called O(log n) times (a binary search on the prefix length),
    so 1,000 items cost about ten renders. When everything fits there is no marker.
    """
    everything = list(items)
    text = render(everything)
    if size_of(text) <= budget_bytes:
        return BudgetResult(kept=everything, text=text, omitted=0, marker=None)

    total = len(everything)

    def fits(count: int) -> tuple[bool, str]:
        rendered = render(everything[:count])
        marker = truncation_marker(total - count, total, budget_bytes, hint)
        return size_of(rendered) + size_of(marker) + 1 <= budget_bytes, rendered

    low, high = 0, total - 1  # `low` items are known to fit (or nothing does); `total` does not
    best_text = render([])
    # Start near the proportional guess to save renders on the common case.
    guess = max(0, min(high, total * budget_bytes // max(1, size_of(text))))
    ok, rendered = fits(guess)
    if ok:
        low, best_text = guess, rendered
    else:
        high = guess - 1
    while low < high:
        middle = (low + high + 1) // 2
        ok, rendered = fits(middle)
        if ok:
            low, best_text = middle, rendered
        else:
            high = middle - 1
    if low == 0:
        best_text = render([])
    omitted = total - low
    return BudgetResult(
        kept=everything[:low],
        text=best_text,
        omitted=omitted,
        marker=truncation_marker(omitted, total, budget_bytes, hint),
    )


def _split_lines(text: str) -> list[str]:
    return text.splitlines(keepends=True)


def cut_text_tail(text: str, budget_bytes: int) -> tuple[str, int]:
    """Keep the newest (last) whole lines of a log that fit; return them and how many lines were dropped.

    When even the last line is too big, its last `budget_bytes` bytes are kept
    (at a character boundary) and it is not counted as dropped.
    """
    if size_of(text) <= budget_bytes:
        return text, 0
    lines = _split_lines(text)
    used = 0
    start = len(lines)
    for index in range(len(lines) - 1, -1, -1):
        cost = size_of(lines[index])
        if used + cost > budget_bytes:
            break
        used += cost
        start = index
    if start == len(lines):  # not one whole line fits: keep the end of the last one
        tail = lines[-1].encode("utf-8")[-budget_bytes:] if budget_bytes > 0 else b""
        return tail.decode("utf-8", errors="ignore"), len(lines) - 1
    return "".join(lines[start:]), start


def cut_text_head(text: str, budget_bytes: int) -> tuple[str, int]:
    """Keep the beginning of a text (describe output) up to a line boundary; return it and the lines dropped.

    When even the first line is too big, its first `budget_bytes` bytes are kept.
    """
    if size_of(text) <= budget_bytes:
        return text, 0
    lines = _split_lines(text)
    used = 0
    end = 0
    for line in lines:
        cost = size_of(line)
        if used + cost > budget_bytes:
            break
        used += cost
        end += 1
    if end == 0:
        head = lines[0].encode("utf-8")[: max(0, budget_bytes)] if lines else b""
        return head.decode("utf-8", errors="ignore"), len(lines) - 1
    return "".join(lines[:end]), len(lines) - end
