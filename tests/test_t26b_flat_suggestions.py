"""The suggestions panels (`next`'s top three, `next --suggest`) drawn flat (render.Flat): each numbered
suggestion is a one-row grid, drawn as lines of text where Rich would lay it out as it is. The bytes must be
Rich's own at every width, with and without colour, for every kind of text (a wrong pad, a style on the wrong
run, shows); where it cannot be sure (a line that wraps, a character not one cell wide) Rich draws it."""

from __future__ import annotations

import io
import os
import random
import subprocess
import sys

import pytest
from rich.console import Console

from readlog import suggest_views
from readlog.suggest import Suggested
from test_render_flat import COLOURS, WORDS, _printed

WIDTHS = (12, 20, 33, 40, 57, 80, 100, 160)


def _suggested(rng: random.Random, count: int) -> list[Suggested]:
    def words(most: int) -> str:
        picked = [rng.choice(WORDS[:4]) for _ in range(rng.randint(1, most))]
        if rng.random() < 0.3:
            picked.append(rng.choice(WORDS))  # now and then a word Rich alone lays out
        return " ".join(picked)

    books = []
    for n in range(count):
        reasons = [words(14) for _ in range(rng.randint(0, 3))]
        if reasons and rng.random() < 0.5:
            reasons[0] = f"you rated *{words(3)}* 5"  # a marked title: italics within the reason
        books.append(
            Suggested(
                slug=f"book-{n}",
                title=words(6),
                authors=[words(2) for _ in range(rng.randint(0, 2))],
                score=rng.random() * 5,
                reasons=reasons,
                pages=None,
                format=None,
                tags=[],
                signals=[],
            )
        )
    return books


def _by_rich(monkeypatch, renderable, width: int, terminal: bool, colour: str | None) -> str:
    """The same panel printed as Rich draws it: its panel, its grids, no flat drawing."""
    with monkeypatch.context() as patched:
        patched.setattr(suggest_views, "Flat", lambda panel, items: panel)
        return _printed(renderable, width, terminal, colour)


@pytest.mark.parametrize("seed", range(6))
def test_the_suggestions_panels_are_richs(monkeypatch, seed):
    rng = random.Random(seed)
    flat = 0
    for width in WIDTHS:
        books = _suggested(random.Random(seed), 12 if seed % 2 else 3)
        for drawn in (
            suggest_views.render_next_suggestions(books[:3]),
            suggest_views.render_suggested(books, 40),
        ):
            for terminal, colour in ((False, None), (True, rng.choice(COLOURS[1:])), (True, "truecolor")):
                ours = _printed(drawn, width, terminal, colour)
                assert ours == _by_rich(monkeypatch, drawn, width, terminal, colour), (seed, width, colour)
        flat += sum(
            entry.flat(width - 6) is not None
            for entry in suggest_views.render_suggested(books, 40).body.renderables
        )
    assert flat >= 6  # most of them, at the wider widths


def test_a_wrong_pad_shows():
    """The comparison above can fail: a line padded a cell short is not Rich's."""
    books = [
        Suggested(f"b-{n}", f"Title {n}", ["An Author"], 1.0, ["a reason", "a longer reason than the other"],
                  None, None, [], [])
        for n in range(3)
    ]  # fmt: skip
    entry = suggest_views._entry(1, books[0], False)
    lines = entry.flat(100)
    assert lines is not None
    widths = {line.cell_len for line in lines}
    assert len(widths) == 1  # every line padded to the widest, as Rich's grid pads its cells
    drawn = suggest_views.render_next_suggestions(books)
    real = suggest_views._Numbered.flat

    def short(self, room, console=None):
        made = real(self, room, console)
        return made and [line[: line.cell_len - 1] if n == 1 else line for n, line in enumerate(made)]

    suggest_views._Numbered.flat = short  # type: ignore[method-assign]
    try:
        wrong = _printed(drawn, 100, True, "truecolor")
    finally:
        suggest_views._Numbered.flat = real  # type: ignore[method-assign]
    assert wrong != _printed(drawn, 100, True, "truecolor")


def _imports_table(reasons: list[str], shown: str) -> bool:
    """Whether drawing one suggestion with these reasons at 100 columns, on a terminal, imports rich.table."""
    script = (
        "import io, sys\n"
        "from rich.console import Console\n"
        "from readlog.suggest import Suggested\n"
        "from readlog.suggest_views import render_next_suggestions\n"
        f"books = [Suggested('a', 'A Title', ['An Author'], 1.0, {reasons!r}, None, None, [], [])]\n"
        "console = Console(file=io.StringIO(), width=100, force_terminal=True, color_system='truecolor')\n"
        "console.print(render_next_suggestions(books))\n"
        f"assert {shown!r} in console.file.getvalue()\n"
        "print('rich.table' in sys.modules)\n"
    )
    found = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=os.environ.copy(), check=True
    )
    return found.stdout.strip() == "True"


def test_drawing_the_suggestions_imports_no_table():
    """`next` on a terminal draws its three suggestions without rich.table (21 M instructions to import)."""
    assert not _imports_table(["you rated *B* 5", "tagged memoir"], "A Title")


# `next`'s suggestions as a 10,000-book journal has them: reasons longer than a line at 100 columns.
LONG = [
    "picked from The Captain of Archive 847, which you rated 5: “Window orchard morning window letter kingdom "
    "light mirror s…”",
    "you rated 15 of Hiro Kaur's books 4 on average and abandoned 1 book of theirs",
    "you rated *The Long Title of a Book That Goes On* 5 and tagged it memoir, travel and the sea",
]


def _long(count: int) -> list[Suggested]:
    return [
        Suggested(f"b-{n}", f"The Daughter {n} of a Title Long Enough to Wrap at Forty Columns", ["Hiro Kaur"],
                  1.0, LONG[n % 3 :] + LONG[: n % 3], None, None, [], [])
        for n in range(count)
    ]  # fmt: skip


@pytest.mark.parametrize("width", [30, 40, 57, 80, 100, 120])
def test_suggestions_that_wrap_are_drawn_flat_as_rich_draws_them(monkeypatch, width):
    """A suggestion wider than its panel (its reasons quote a pick's note) is laid out as Rich's grid lays it
    out, narrowed to the room and each text wrapped there, and drawn flat: the same bytes."""
    books = _long(12)
    for drawn in (
        suggest_views.render_next_suggestions(books[:3]),
        suggest_views.render_suggested(books, 40),
    ):
        for terminal, colour in ((False, None), (True, "256"), (True, "truecolor")):
            ours = _printed(drawn, width, terminal, colour)
            assert ours == _by_rich(monkeypatch, drawn, width, terminal, colour), (width, colour)
    console = Console(file=io.StringIO(), width=width)
    entries = suggest_views.render_suggested(books, 40).body.renderables
    assert all(entry.flat(width - 6, console) is not None for entry in entries)  # none left to Rich


def test_next_draws_suggestions_that_wrap_without_rich_table():
    """At 100 columns `next`'s three suggestions wrap: drawn flat, rich.table is not imported for them."""
    assert not _imports_table(LONG, "on average and abandoned")
