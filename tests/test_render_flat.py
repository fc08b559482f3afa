"""Panels drawn flat (render._Flat): recall's on-this-day panel and `next`'s panels are drawn from each item's
text as Rich wraps and renders it, not through Rich's panel, padding, group and hanging layers. The output
must be Rich's own, byte for byte, at every width, with and without colour, for every kind of text; where
it cannot be sure (a narrow console, an item of another kind) it is Rich's panel itself."""

from __future__ import annotations

import io
import random
from datetime import date

import pytest
from rich.console import Console, Group
from rich.text import Text

from readlog import render
from readlog.actions.queue import read_next
from readlog.actions.recall import Moment, Recall
from readlog.bookfile import dumps
from readlog.journal import Journal
from readlog.model import Book, Pick, Read

COLOURS = [None, "standard", "256", "truecolor"]

WORDS = [
    "plain", "words", "a", "of", "the", "supercalifragilisticexpialidocious" * 3, "\u6f22\u5b57\u306e\u6587",
    "\u6f22" * 40, "emoji\U0001f600", "e\u0301", "zero\u200bwidth", "tab\there", "two  spaces", " lead",
    "trail ", "no\u00a0break", "wide\u3000space", "line\u2028sep", "bell\x07", "c1\x85", "sym\u2424", "[b]bold[/b]",
    "-", "—", "…", "x" * 95, "\u0645\u0631\u062d\u0628\u0627",
]  # fmt: skip


def _text(rng: random.Random, most: int) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(0, most))]
    text = ""
    for word in words:
        text += word + rng.choice([" ", " ", " ", "\n", "\n\n", "  ", "\t"])
    return text


def _moments(rng: random.Random, count: int) -> list[Moment]:
    moments = []
    for n in range(count):
        kind = rng.choice(["finished", "reflection", "quote"])
        moments.append(
            Moment(
                kind,
                f"slug-{n}",
                _text(rng, 6).strip() or "Untitled",
                text=_text(rng, 60),
                note=rng.choice([None, "", _text(rng, 12)]),
                date=rng.choice(["2019-12-05", "2025-12-05", "", None, "12-05", "2026-12-05"]),
                authors=[_text(rng, 3).strip() for _ in range(rng.randint(0, 3))],
            )
        )
    return moments


def _printed(renderable, width: int, terminal: bool, colour: str | None) -> str:
    console = Console(
        file=io.StringIO(), width=width, force_terminal=terminal, color_system=colour, legacy_windows=False
    )
    console.print(renderable)
    return console.file.getvalue()


def _rich(renderable):
    """The same renderable with every flat panel given back to Rich."""
    if isinstance(renderable, render._Flat):
        return renderable.panel
    if isinstance(renderable, Group):
        return Group(*[_rich(part) for part in renderable.renderables])
    return renderable


def _both(result: Recall):
    drawn = render.render_recall(result)
    assert isinstance(drawn.renderables[0], render._Flat)
    return drawn, _rich(drawn)


@pytest.mark.parametrize("seed", range(6))
def test_the_flat_panel_is_richs_text(seed):
    rng = random.Random(seed)
    result = Recall(date(2026, 12, 5), _moments(rng, 16), _moments(rng, 2))
    drawn, by_rich = _both(result)
    for width in (14, 15, 23, 40, 57, 80, 100, 160):
        for terminal, colour in ((False, None), (True, None), (True, rng.choice(COLOURS[1:]))):
            ours = _printed(drawn, width, terminal, colour)
            assert ours == _printed(by_rich, width, terminal, colour), (seed, width, terminal, colour)
    assert "On this day, December 5" in ours


@pytest.mark.parametrize("colour", ["standard", "256", "truecolor"])
def test_with_colour_it_is_richs_panel(colour):
    result = Recall(date(2026, 12, 5), _moments(random.Random(99), 12), [])
    drawn, by_rich = _both(result)
    for width in (30, 100):
        ours = _printed(drawn, width, True, colour)
        assert ours == _printed(by_rich, width, True, colour)
        assert "\x1b[" in ours


def test_narrow_consoles_and_other_items_are_left_to_rich():
    result = Recall(date(2026, 12, 5), _moments(random.Random(5), 6), [])
    drawn, by_rich = _both(result)
    flat = drawn.renderables[0]
    for width in (1, 5, 9, 13):  # too narrow for the panel's own arithmetic: Rich draws it
        console = Console(file=io.StringIO(), width=width, color_system=None)
        assert flat._lines(console, console.options, True) is None
        assert _printed(drawn, width, False, None) == _printed(by_rich, width, False, None)
    console = Console(file=io.StringIO(), width=80, color_system="256")
    assert flat._lines(console, console.options, False) is not None  # the flat path is taken at all
    flat.items.append(Text("no newline at its end", end=""))  # an item it does not draw
    assert flat._lines(console, console.options, False) is None
    assert _printed(drawn, 80, True, "256") == _printed(_rich(drawn), 80, True, "256")


def _queue_journal(home, rng: random.Random) -> Journal:
    """Books being read, books with picks (some of them books of the journal, read, being read or wanted),
    and wanted books, with titles, names and notes of every kind of text."""
    books = home / "books"
    books.mkdir(parents=True)

    def words(most: int) -> str:
        return " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, most))).replace("\n", " ")

    titles = [f"{words(4)} {n}" for n in range(40)]
    for n, title in enumerate(titles):
        status = rng.choice(["read", "read", "reading", "want", "want"])
        book = Book(title=title, authors=[words(2) for _ in range(rng.randint(0, 2))], status=status)
        book.added = date(2025, 1, 1 + n % 28)
        if status == "reading":
            book.reads = [Read(started=date(2026, 1, 1 + n % 28))]
        if status == "read" or rng.random() < 0.2:
            picks = []
            for _ in range(rng.randint(1, 3)):
                named = rng.choice(titles) if rng.random() < 0.3 else f"{words(5)} pick"
                why = rng.choice([None, "", words(40), _text(rng, 30).strip() or None])
                picks.append(Pick(title=named.strip() or "Pick", authors=[words(2)], why=why))
            book.next = picks
        (books / f"b-{n:03d}.toml").write_text(dumps(book), encoding="utf-8")
    return Journal(home)


@pytest.mark.parametrize("seed", range(4))
def test_the_queue_panels_are_richs(journal_home, seed):
    rng = random.Random(seed)
    journal = _queue_journal(journal_home, rng)
    for limit in (3, 30):
        queue, _ = read_next(journal, limit=limit)
        assert queue.items and queue.reading
        for width in (14, 23, 40, 57, 80, 100, 160):
            drawn = render.render_queue(queue, width)
            flat = [p for p in drawn.renderables if isinstance(p, render._Flat)]
            assert len(flat) == len(drawn.renderables)  # every panel of the queue
            by_rich = _rich(drawn)
            for terminal, colour in ((False, None), (True, rng.choice(COLOURS[1:])), (True, "truecolor")):
                ours = _printed(drawn, width, terminal, colour)
                assert ours == _printed(by_rich, width, terminal, colour), (seed, limit, width, colour)
    console = Console(file=io.StringIO(), width=100, color_system="truecolor", force_terminal=True)
    assert all(p._lines(console, console.options, False) is not None for p in flat)  # drawn flat at all


def test_a_line_that_fits_in_cells_but_not_in_characters_is_wrapped_as_rich_does():
    """Combining marks take no cell: Rich's wrap trims a styled line's trailing spaces by its length in
    characters, so a line that fits in cells is not always given back unchanged."""
    items = [
        Text("e\u0301" * 30 + "    ", style="bold"),
        render.Padding(Text("zero\u200bwidth " * 4 + "  ", style="italic"), (0, 0, 0, 2)),
        Text("plain"),
    ]
    drawn = render._Flat(render._panel_titled(Text("Marks"), items), items)
    for width in range(36, 70):
        for colour in COLOURS:
            ours = _printed(drawn, width, True, colour)
            assert ours == _printed(drawn.panel, width, True, colour), (width, colour)


def _stats(rng: random.Random):
    """A Stats with years, months, ratings, authors and tags: names of every kind of text, some wider
    than a column, and notes of every length (a month with no books has none)."""
    from readlog.stats import Stats

    years = {str(2000 + n): rng.randint(1, 900) for n in range(rng.randint(1, 12))}
    months = {f"2026-{m:02d}": rng.choice([0, 0, rng.randint(1, 40)]) for m in range(1, 13)}
    names = [rng.choice(WORDS).replace("\n", " ") or "x" for _ in range(10)] + ["Sana Lindqvist", "Ó"]
    return Stats(
        year=None,
        finished=sum(years.values()),
        books_per_year=years,
        pages_per_year={y: n * rng.choice([0, 300]) for y, n in years.items()},
        books_with_pages_per_year={y: rng.choice([0, n, n // 2]) for y, n in years.items()},
        books_per_month=months,
        pages_per_month={m: n * 250 for m, n in months.items()},
        ratings={r: rng.randint(1, 500) for r in rng.sample(["5", "4.5", "4", "3.75", "2", "1"], 4)},
        top_authors=[(name, rng.randint(1, 40)) for name in rng.sample(names, 6)],
        top_tags=[(name, rng.randint(1, 2000)) for name in rng.sample(["fiction", "sf", "memoir"], 3)],
        average_days_to_finish=12.5,
        abandoned=rng.randint(0, 9),
    )


@pytest.mark.parametrize("seed", range(6))
def test_the_stats_charts_are_richs(seed):
    """`stats`' panels of bar charts are drawn flat where every label and note fits its column (the grid
    laid out as Rich lays it out), else by Rich: the same bytes either way."""
    rng = random.Random(seed)
    drawn_flat = 0
    for width in (14, 23, 40, 57, 80, 100, 160):
        drawn = render.render_stats(_stats(random.Random(seed)), width)
        flat = [p for p in drawn.renderables if isinstance(p, render._Flat)]
        assert len(flat) == 5  # years, months, ratings, authors, tags
        by_rich = _rich(drawn)
        for terminal, colour in ((False, None), (True, rng.choice(COLOURS[1:])), (True, "truecolor")):
            ours = _printed(drawn, width, terminal, colour)
            assert ours == _printed(by_rich, width, terminal, colour), (seed, width, colour)
        console = Console(file=io.StringIO(), width=width, color_system="truecolor", force_terminal=True)
        drawn_flat += sum(p._lines(console, console.options, False) is not None for p in flat)
    assert drawn_flat >= 10  # the years, months, ratings and tags at the wider widths, at least


def test_the_borders_are_drawn_once_for_all_the_panels(journal_home, monkeypatch):
    """`next` draws dozens of panels alike: Rich draws their borders once for the console (each one's title
    line drawn as Rich's panel draws it), not a whole empty panel for each."""
    from rich.panel import Panel

    queue, _ = read_next(_queue_journal(journal_home, random.Random(7)), limit=30)
    drawn = render.render_queue(queue, 100)
    frames = []
    real = Console.render_lines

    def counted(self, renderable, *args, **kwargs):
        if isinstance(renderable, Panel) and isinstance(renderable.renderable, Text):
            frames.append(renderable)
        return real(self, renderable, *args, **kwargs)

    monkeypatch.setattr(Console, "render_lines", counted)
    ours = _printed(drawn, 100, True, "truecolor")
    assert len(drawn.renderables) > 3 and len(frames) == 1
    monkeypatch.undo()
    assert ours == _printed(_rich(drawn), 100, True, "truecolor")
