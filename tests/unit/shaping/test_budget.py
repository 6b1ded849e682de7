"""budget: answers cut at an item or line boundary, with a marker, measured in UTF-8 bytes."""

from __future__ import annotations

import json
from typing import Any

import pytest

from mcp_kubectl.shaping.budget import (
    BudgetResult,
    cut_text_head,
    cut_text_tail,
    fit_items,
    LOGS_HINT,
    format_bytes,
    lines_marker,
    size_of,
    truncation_marker,
)


def render_json(items: list[Any]) -> str:
    return json.dumps({"items": items}, separators=(",", ":"))


def items_of(count: int, width: int = 50) -> list[dict[str, Any]]:
    return [{"name": f"item-{i:05d}", "pad": "x" * width} for i in range(count)]


def fits_with_marker(result: BudgetResult, budget: int) -> bool:
    total = size_of(result.text) + (size_of(result.marker) + 1 if result.marker else 0)
    return total <= budget


def test_everything_fits_without_a_marker() -> None:
    items = items_of(10)
    result = fit_items(items, budget_bytes=64 * 1024, render=render_json)
    assert result.kept == items and result.omitted == 0 and result.marker is None
    assert result.text == render_json(items)


@pytest.mark.parametrize("budget", [200, 1_000, 4_096, 10_000, 65_536])
def test_cut_keeps_the_longest_prefix_that_fits(budget: int) -> None:
    items = items_of(1_000)
    result = fit_items(items, budget_bytes=budget, render=render_json)
    kept = len(result.kept)
    assert result.kept == items[:kept]
    assert result.omitted == 1_000 - kept
    assert result.text == render_json(result.kept)
    assert fits_with_marker(result, budget)
    # One more item would not have fit.
    bigger = BudgetResult(kept=items[: kept + 1], text=render_json(items[: kept + 1]), omitted=result.omitted - 1,
                          marker=truncation_marker(result.omitted - 1, 1_000, budget))
    assert not fits_with_marker(bigger, budget)


def test_marker_says_how_many_and_what_to_do() -> None:
    result = fit_items(items_of(500), budget_bytes=8 * 1024, render=render_json)
    assert result.marker is not None
    assert result.marker.startswith(f"truncated: {result.omitted} of 500 items left out to stay under 8 KiB;")
    for advice in ("labelSelector", "fieldSelector", "namespace", "limit", "continueToken"):
        assert advice in result.marker


def test_marker_hint_can_be_replaced() -> None:
    result = fit_items(items_of(100), budget_bytes=1_000, render=render_json, hint="ask for fewer fields")
    assert result.marker is not None and result.marker.endswith("; ask for fewer fields")


def test_budget_too_small_for_any_item() -> None:
    result = fit_items(items_of(3, width=5_000), budget_bytes=1_000, render=render_json)
    assert result.kept == [] and result.omitted == 3
    assert result.text == render_json([])
    assert result.marker is not None and "3 of 3" in result.marker


def test_sizes_are_utf8_bytes() -> None:
    items = [{"name": "ü" * 100} for _ in range(10)]  # 200 bytes of name each, 100 characters
    result = fit_items(items, budget_bytes=1_200, render=render_json)
    assert size_of(result.text) + size_of(result.marker or "") + 1 <= 1_200
    assert len(result.kept) < 5


def test_fast_for_a_thousand_items_with_few_renders() -> None:
    items = items_of(1_000, width=200)
    calls = 0

    def counting_render(chosen: list[Any]) -> str:
        nonlocal calls
        calls += 1
        return render_json(chosen)

    result = fit_items(items, budget_bytes=64 * 1024, render=counting_render)
    assert 0 < len(result.kept) < 1_000
    assert calls <= 15  # the work, counted: a binary search, not a render per item (no time limit)


@pytest.mark.parametrize(
    ("count", "expected"),
    [(64 * 1024, "64 KiB"), (1024 * 1024, "1 MiB"), (1536, "1.5 KiB"), (900, "900 bytes")],
)
def test_format_bytes(count: int, expected: str) -> None:
    assert format_bytes(count) == expected


LOG = "".join(f"2026-11-27T03:{i:02d}:00Z line {i:03d}\n" for i in range(60))  # 30 bytes a line
# (budget, lines kept, lines left out) for LOG, whichever end is kept.
CUTS = [
    (10_000, 60, 0),
    (30 * 10, 10, 50),
    (30 * 10 + 29, 10, 50),
    (30, 1, 59),
]


@pytest.mark.parametrize(
    ("budget", "kept_lines", "omitted"),
    CUTS,
)
def test_cut_text_tail_keeps_the_newest_lines(budget: int, kept_lines: int, omitted: int) -> None:
    text, dropped = cut_text_tail(LOG, budget)
    assert dropped == omitted
    assert text.splitlines() == LOG.splitlines()[60 - kept_lines :]
    assert size_of(text) <= budget


def test_cut_text_tail_keeps_the_end_of_one_huge_line() -> None:
    text, dropped = cut_text_tail("old\n" + "é" * 100, budget_bytes=11)
    assert dropped == 1
    assert text == "é" * 5  # 10 bytes: never half a character
    assert size_of(text) <= 11


def test_cut_text_tail_of_text_without_trailing_newline() -> None:
    text, dropped = cut_text_tail("a\nb\nc", budget_bytes=3)
    assert (text, dropped) == ("b\nc", 1)


@pytest.mark.parametrize(
    ("budget", "kept_lines", "omitted"),
    CUTS,
)
def test_cut_text_head_keeps_the_beginning(budget: int, kept_lines: int, omitted: int) -> None:
    text, dropped = cut_text_head(LOG, budget)
    assert dropped == omitted
    assert text.splitlines() == LOG.splitlines()[:kept_lines]
    assert size_of(text) <= budget


def test_cut_text_head_of_one_huge_line() -> None:
    text, dropped = cut_text_head("ü" * 100 + "\nnext\n", budget_bytes=9)
    assert (text, dropped) == ("ü" * 4, 1)


def test_empty_text_is_untouched() -> None:
    assert cut_text_tail("", 10) == ("", 0)
    assert cut_text_head("", 0) == ("", 0)


def test_lines_marker_says_which_end_was_kept() -> None:
    assert lines_marker(1200, 64 * 1024, newest_kept=True, hint=LOGS_HINT) == (
        "truncated: 1200 older lines left out to stay under 64 KiB; "
        "lower tailLines, set sinceSeconds, or pass a filter"
    )
    assert lines_marker(5, 1024, newest_kept=False, hint="x").startswith("truncated: 5 later lines")
