"""The import's per-row work made faster (issue 25, goal 3) must give exactly what it gave before: the live
code against the old (import_reference.py) over real exports' cells, bench's generated reviews, made-up
adversarial HTML and random text built from the characters every shortcut looks for."""

from __future__ import annotations

import csv
import os
import random
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import import_reference as reference
from readlog.importers.common import escape_markdown, html_to_markdown

REPO = Path(__file__).resolve().parents[1]

# Pieces a review's HTML is made of, near misses of every shortcut's test included.
PIECES = [
    "<br/>", "<br>", "<br />", "<BR/>", "<Br  />", "<br/ >", "<br\t/>", "<br class='x'/>", "<br", "br/>",
    "<br/><br/>", " <br/> ", "\n", "\n\n\n", "\r\n", "\r", "<haml:newline/>", "<HAML:NEWLINE >",
    "<i>", "</i>", "<em>", "<b>", "</b>", "<strong>", "</strong>", "<a href=\"http://x.org/a_b\">", "</a>",
    "<a>", "<spoiler>", "</spoiler>", "<p>", "</p>", "<div>", "</div>", "<", ">", "&amp;", "&lt;", "&",
    "&#42;", "&nbsp;", "[b:Dune|234225|Dune (Dune, #1)|Frank Herbert|x]", "[a:Frank Herbert|58|x]",
    "[b:Odd|x1|y]", "[", "]", "|", "*", "**", "_", "__", "a_b", "_a", "a_", "\\", "`", "``", "\ue000",
    "word", "two words", " ", "  ", "\t", "é", "Ω_ω", "日本語", "—", "\u00a0", "#", "> quote", "1.",
]  # fmt: skip


def _same_html(html: str) -> None:
    for escape in (True, False):
        assert html_to_markdown(html, escape) == reference.html_to_markdown(html, escape), (html, escape)
    assert escape_markdown(html) == reference.escape_markdown(html), html


def test_adversarial_pieces_alone_and_in_pairs() -> None:
    for a in PIECES:
        _same_html(a)
        _same_html(f"x{a}y")
        for b in PIECES:
            _same_html(a + b)
            _same_html(f"Some text {a}more{b} end")


def test_random_mixes() -> None:
    rng = random.Random(25)
    for _ in range(3000):
        _same_html("".join(rng.choice(PIECES) for _ in range(rng.randint(1, 30))))


def test_long_text() -> None:
    rng = random.Random(7)
    words = [rng.choice(PIECES) if rng.random() < 0.1 else "word" for _ in range(20_000)]
    _same_html(" ".join(words))
    _same_html("plain words " * 5000 + "<br/>" * 300)


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=8)), max_size=25))
def test_hypothesis_html(parts: list[str]) -> None:
    _same_html("".join(parts))


def test_bench_reviews() -> None:
    sys.path.insert(0, str(REPO / "bench"))
    from generate import paragraph

    rng = random.Random(3)
    for _ in range(200):
        _same_html("<br/><br/>".join(paragraph(rng, 5) for _ in range(3)))


def _real_cells() -> list[str]:
    folder = os.environ.get("READLOG_TEST_IMPORTS")
    cells: list[str] = []
    for path in sorted(Path(folder).glob("*.csv")) if folder else []:
        with path.open(newline="", encoding="utf-8-sig", errors="replace") as handle:
            for row in csv.reader(handle):
                cells += [cell for cell in row if len(cell) > 3]
    return cells


@pytest.mark.skipif(not os.environ.get("READLOG_TEST_IMPORTS"), reason="real exports not given")
def test_real_export_cells() -> None:
    cells = _real_cells()
    assert cells
    for cell in cells:
        _same_html(cell)
