"""Series and next-in-series on a fixed journal: the pure functions, then `readlog series` rendered at width
100 without colour, and as JSON."""

from __future__ import annotations

import json
import os
from io import StringIO
from pathlib import Path

import pytest
from rich.console import Console

from readlog.lookup import series as ser
from readlog.lookup import views
from readlog.model import Book

JOURNAL = {
    "a-wizard-of-earthsea": ('"A Wizard of Earthsea"', "Ursula K. Le Guin", "Earthsea", "1", "read"),
    "the-tombs-of-atuan": ('"The Tombs of Atuan"', "Ursula K. Le Guin", "Earthsea", "2", "reading"),
    "the-farthest-shore": ('"The Farthest Shore"', "Ursula K. Le Guin", "earthsea", "3", "want"),
    "the-word-of-unbinding": ('"The Word of Unbinding"', "Ursula K. Le Guin", "Earthsea", "0.5", "want"),
    "tehanu": ('"Tehanu"', "Ursula K. Le Guin", "Earthsea", "4", "want"),
    "dune": ('"Dune"', "Frank Herbert", "Dune", "1", "read"),
    "dune-messiah": ('"Dune Messiah"', "Frank Herbert", "Dune", "2", "read"),
    "tales-from-dune": ('"Tales [bold]from[/] Dune"', "Someone", "Dune", "2.5", "want"),
    "children-of-dune": ('"Children of Dune"', "Frank Herbert", "Dune", "3", None),
    "the-fifth-season": ('"The Fifth Season"', "N. K. Jemisin", "The Broken Earth", "1", "want"),
    "the-obelisk-gate": ('"The Obelisk Gate"', "N. K. Jemisin", "The Broken Earth", "2", "want"),
    "piranesi": ('"Piranesi"', "Susanna Clarke", None, None, "read"),
}


def write_journal(books: Path) -> None:
    books.mkdir(parents=True, exist_ok=True)
    for slug, (title, author, name, number, status) in JOURNAL.items():
        lines = [f"title = {title}", f'authors = ["{author}"]']
        if name:
            lines.append(f'series = {{ name = "{name}", number = "{number}" }}')
        if status:
            lines.append(f'status = "{status}"')
        (books / f"{slug}.toml").write_text("\n".join(lines) + "\n")


def book(title: str, number: str | None, status: str | None, name: str = "S") -> tuple[str, Book]:
    series = {"name": name, **({"number": number} if number is not None else {})}
    return title.lower(), Book(title=title, series=[series], status=status)


def test_series_are_gathered_by_name_and_ordered_by_number():
    found = ser.collect(
        [
            book("C", "3", None),
            book("A", "1", "read"),
            book("Half", "1.5", None),
            book("X", None, None),
            book("B", "2", None, name="s"),
            book("Omni", "1-3", None),
            book("Other", "1", None, name="T"),
        ]
    )
    assert [s.name for s in found] == ["S", "T"]
    assert [(b.title, b.number) for b in found[0].books] == [
        ("A", "1"),
        ("Omni", "1-3"),
        ("Half", "1.5"),
        ("B", "2"),
        ("C", "3"),
        ("X", None),
    ]


@pytest.mark.parametrize(
    ("books", "expected"),
    [
        ([("1", "read"), ("2", "want"), ("3", "want")], ("2", "1")),
        ([("1", "read"), ("1.5", "want"), ("2", None)], ("2", "1")),  # novellas are not suggested
        ([("0.5", "want"), ("1", "reading"), ("2", "paused")], ("2", "1")),
        ([("1", "read"), ("2", "reading"), ("3", "want")], ("3", "2")),
        ([("1", "read"), ("2", "abandoned"), ("3", "want")], ("3", "1")),
        ([("1", "read"), ("3", "read"), ("2", "want")], ("2", "1")),  # a gap is filled first
        ([("1", "want"), ("2", "want")], None),  # not in the series yet
        ([("1", "read"), ("2", "read")], None),  # nothing left
        ([("1", "read"), ("1-3", "want"), ("2.5", "want")], None),
    ],
)
def test_next_in_series(books, expected):
    series = ser.collect([book(f"Book {n}", n, status) for n, status in books])[0]
    suggestion = ser.next_of(series)
    got = (suggestion.book.number, suggestion.after.number) if suggestion else None
    assert got == expected


def test_suggestions_one_per_series_the_reader_is_in(books):
    write_journal(books)
    from readlog.journal import Journal

    found, problems = ser.journal_books(Journal(books.parent))
    assert problems == [] and len(found) == 11  # piranesi has no series: not even parsed
    suggestions = ser.suggestions(found)
    assert [(s.series, s.book.title, s.after.title) for s in suggestions] == [
        ("Dune", "Children of Dune", "Dune Messiah"),
        ("Earthsea", "The Farthest Shore", "The Tombs of Atuan"),
    ]
    assert suggestions[0].to_json() == {
        "series": "Dune",
        "slug": "children-of-dune",
        "title": "Children of Dune",
        "authors": ["Frank Herbert"],
        "number": "3",
        "status": None,
        "after": {
            "slug": "dune-messiah",
            "title": "Dune Messiah",
            "authors": ["Frank Herbert"],
            "number": "2",
            "status": "read",
        },
        "missing": [],
        "alongside": [],
    }


def test_a_suggestion_as_a_next_json_item(books):
    write_journal(books)
    from readlog.journal import Journal

    found, _ = ser.journal_books(Journal(books.parent))
    assert ser.suggestions(found)[1].to_queue_json() == {
        "title": "The Farthest Shore",
        "authors": ["Ursula K. Le Guin"],
        "why": None,
        "added": None,
        "from": {"slug": "the-tombs-of-atuan", "title": "The Tombs of Atuan"},
        "status": "series",
        "slug": "the-farthest-shore",
        "series": {"name": "Earthsea", "number": "3"},
        "missing": [],
        "alongside": [],
    }


def render(renderable) -> str:
    console = Console(width=100, file=StringIO(), color_system=None, legacy_windows=False)
    console.print(renderable)
    return console.file.getvalue()


def test_next_in_series_renders_marked_as_such(books):
    write_journal(books)
    from readlog.journal import Journal

    found, _ = ser.journal_books(Journal(books.parent))
    assert render(views.render_suggestions(ser.suggestions(found))) == (
        "╭─ Next in a series ───────────────────────────────────────────────────────────────────────────────╮\n"
        "│                                                                                                  │\n"
        "│  1. Children of Dune — Frank Herbert                                                             │\n"
        "│     [next in series: Dune #3] after Dune Messiah                                                 │\n"
        "│                                                                                                  │\n"
        "│  2. The Farthest Shore — Ursula K. Le Guin  [want]                                               │\n"
        "│     [next in series: Earthsea #3] after The Tombs of Atuan                                       │\n"
        "│                                                                                                  │\n"
        "╰──────────────────────────────────────────────────────────────────────────────────────────────────╯\n"
    )


def test_series_command_lists_every_series(run, books):
    write_journal(books)
    assert run("series", "--format", "table").stdout == (
        "Series            Books  Read  Reading  Want  Next                   \n"
        "Dune                  4     2        0     1  Children of Dune (#3)  \n"
        "Earthsea              5     1        1     3  The Farthest Shore (#3)\n"
        "The Broken Earth      2     0        0     2                         \n"
    )


LONG_NAME = "Discworld: Rincewind and the Wizards"


def write_long_named(books: Path) -> None:
    (books / "the-colour-of-magic.toml").write_text(
        f'title = "The Colour of Magic"\nauthors = ["Terry Pratchett"]\nstatus = "reading"\n'
        f'series = {{ name = "{LONG_NAME}", number = "1" }}\n'
    )


@pytest.mark.parametrize("columns", [40, 59, 60, 80, 160])
def test_every_series_name_is_read_whole_at_any_width(run, books, columns):
    """Try-out 28d #4: at 40 columns the table cut every name to five characters (`Earth…`). Under 60 each
    series is its name on a line of its own, then its counts and next book; from 60 the table, whose
    names wrap between words, never cut."""
    write_journal(books)
    write_long_named(books)
    out = run("series", "--format", "table", env={"COLUMNS": str(columns)}).stdout
    assert "…" not in out and max(len(line.rstrip()) for line in out.splitlines()) <= columns
    words = out.split()
    assert all(word in words for name in (LONG_NAME, "Dune", "The Broken Earth") for word in name.split())
    if columns < 60:  # (the counts flow on as many lines as they need, broken between them)
        lines = [line.rstrip() for line in out.splitlines()]
        earthsea = lines[lines.index("Earthsea") + 1 :][:2]
        assert (
            "  ·  ".join(earthsea)
            == "5 books  ·  1 read  ·  1 reading  ·  3 want  ·  next: The Farthest Shore (#3)"
        )
        assert lines[lines.index(LONG_NAME) + 1] == "1 book  ·  0 read  ·  1 reading"
    else:
        assert out.startswith("Series ")


def test_series_on_a_terminal_40_columns_wide_names_each_whole(run, books, journal_home):
    from test_t21d_show import on_pty

    write_journal(books)
    write_long_named(books)
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    env.update(READLOG_HOME=str(journal_home), TERM="xterm-256color", READLOG_PAGER="")
    lines = on_pty(["series"], env, 40).splitlines()
    assert LONG_NAME in lines and "The Broken Earth" in lines and "2 books  ·  0 read  ·  2 want" in lines


def test_series_command_shows_one_series_in_order(run, books):
    write_journal(books)
    assert run("series", "earthsea", "--format", "table").stdout == (
        "╭─ Earthsea ───────────────────────────────────────────────────────────────────────────────────────╮\n"
        "│                                                                                                  │\n"
        "│  0.5  The Word of Unbinding — Ursula K. Le Guin  [want]                                          │\n"
        "│    1  A Wizard of Earthsea — Ursula K. Le Guin  [✓ read]                                         │\n"
        "│    2  The Tombs of Atuan — Ursula K. Le Guin  [reading now]                                      │\n"
        "│    3  The Farthest Shore — Ursula K. Le Guin  [want]  [next in series]                           │\n"
        "│    4  Tehanu — Ursula K. Le Guin  [want]                                                         │\n"
        "│                                                                                                  │\n"
        "│  1 of 5 read                                                                                     │\n"
        "╰──────────────────────────────────────────────────────────────────────────────────────────────────╯\n"
    )
    out = run("series", "dune", "--format", "table").stdout
    assert "2.5  Tales [bold]from[/] Dune — Someone  [want]" in out  # shown, not obeyed


def test_series_json(run, books):
    write_journal(books)
    data = json.loads(run("series", "Broken", "--json").stdout)
    assert data == [
        {
            "name": "The Broken Earth",
            "books": [
                {
                    "slug": "the-fifth-season",
                    "title": "The Fifth Season",
                    "authors": ["N. K. Jemisin"],
                    "number": "1",
                    "status": "want",
                },
                {
                    "slug": "the-obelisk-gate",
                    "title": "The Obelisk Gate",
                    "authors": ["N. K. Jemisin"],
                    "number": "2",
                    "status": "want",
                },
            ],
            "read": 0,
            "reading": 0,
            "want": 2,
            "next": None,
        }
    ]
    assert [s["name"] for s in json.loads(run("series", "--json").stdout)] == [
        "Dune",
        "Earthsea",
        "The Broken Earth",
    ]


def test_an_unknown_series_is_one_line(run, books):
    write_journal(books)
    assert run("series", "narnia", code=1).stderr == (
        "readlog: error: no series called 'narnia'; `readlog series` lists them\n"
    )


def test_no_series_yet(run, journal_home):
    journal_home.mkdir()  # an empty journal (a missing one is refused: test_s29_lead.py)
    result = run("series")  # a message, on stderr (session 21: it was on stdout), hard-wrapped no more
    assert result.stdout == "" and "No series yet" in result.stderr and "\n" not in result.stderr.strip()
    assert json.loads(run("series", "--json").stdout) == []


def test_a_broken_file_is_warned_about_not_fatal(run, books):
    write_journal(books)
    (books / "broken.toml").write_text('title = "Broken"\nseries = "not a table"\n')
    result = run("series")
    assert "Dune" in result.stdout and "broken.toml" in result.stderr


@pytest.mark.parametrize("seed", range(40))
def test_suggestions_agree_with_next_of_every_collected_series(seed):
    """`suggestions` finds each series' next book without ordering every series: over random journals
    (names cased and accented differently, blank names, ties in number and title, numbers that are not
    whole, every status, books in two series), it answers exactly what `next_of` of `collect` does."""
    import random

    rng = random.Random(seed)
    names = ["Saga", "saga", "Ságá", " Saga ", "Dune", "Earthsea", "", "   ", "!!", "??"]
    numbers = ["1", "2", "2", "3", "02", " 4 ", "1.5", "1-3", "Book 3", "0", "10", None]
    statuses = ["read", "reading", "want", "abandoned", None, "read", "want"]
    titles = ["A", "B", "The A", "a", "Á", "C"]
    books = []
    for n in range(rng.randrange(1, 40)):
        series = [
            {"name": rng.choice(names), **({"number": num} if (num := rng.choice(numbers)) else {})}
            for _ in range(rng.choice([1, 1, 1, 2]))
        ]
        book = Book(
            title=rng.choice(titles), authors=[f"Author {n % 3}"], series=series, status=rng.choice(statuses)
        )
        books.append((f"book-{rng.randrange(1000)}-{n}", book))
    books.sort(key=lambda pair: pair[0])  # as the index gives them: by slug
    expected = [s.to_json() for s in map(ser.next_of, ser.collect(books)) if s is not None]
    assert [s.to_json() for s in ser.suggestions(books)] == expected


def test_next_in_series_is_kept_for_the_index_as_it_is_and_follows_a_change(books, monkeypatch):
    """`next` on a terminal keeps each series' next book for the index as it is (actions.queue): asked
    again with nothing changed, it is not worked out again; after a hand edit it is."""
    from readlog.actions.queue import read_next
    from readlog.journal import Journal
    from readlog.lookup import series as module

    write_journal(books)
    journal = Journal(books.parent)
    made = read_next(journal, limit=10)[0].series
    first = [(s.series, s.book.slug, s.after.slug) for s in made]
    assert first == [
        ("Dune", "children-of-dune", "dune-messiah"),
        ("Earthsea", "the-farthest-shore", "the-tombs-of-atuan"),
    ]

    def not_again(books):
        raise AssertionError("worked out again with nothing changed")

    with monkeypatch.context() as patch:  # (not monkeypatch.undo(): that undid READLOG_CACHE too)
        patch.setattr(module, "suggestions", not_again)
        again = read_next(Journal(books.parent), limit=10)[0].series
        assert [(s.series, s.book.slug, s.after.slug) for s in again] == first
        assert [s.to_json() for s in again] == [s.to_json() for s in made]  # whole, as made

    path = books / "children-of-dune.toml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("title =", 'status = "read"\ntitle =', 1), encoding="utf-8"
    )
    after = read_next(Journal(books.parent), limit=10)[0].series
    assert [(s.series, s.book.slug) for s in after] == [("Earthsea", "the-farthest-shore")]


def test_a_gap_in_a_series_is_named(books, run):
    """Session 23's try-out: Books 1-3 read, no Book 4 in the journal, 4.5 and 5 wanted: `next` offered Book
    5 and never said that Book 4 is missing. Mutation: `gap` returning []: this fails."""
    import json

    books.mkdir(parents=True)
    for number, status in (("1", "read"), ("2", "read"), ("3", "read"), ("4.5", "want"), ("5", "want")):
        slug = f"frost-{number.replace('.', '-')}"
        (books / f"{slug}.toml").write_text(
            f'title = "Frost Saga {number}"\nauthors = ["Ada Frost"]\nstatus = "{status}"\n'
            f'series = [{{ name = "Frost Saga", number = "{number}" }}]\n',
            encoding="utf-8",
        )
    item = next(i for i in json.loads(run("next", "--json").stdout) if i["status"] == "series")
    assert (item["title"], item["missing"]) == ("Frost Saga 5", [4])
    assert "(no #4 in your journal)" in run("next", "--format", "tsv").stdout
    table = " ".join(run("next", "--format", "table", env={"COLUMNS": "100"}).stdout.split())
    assert "[next in series: Frost Saga #5] after Frost Saga 3 (no #4 in your journal)" in table
    assert (
        ser.gap(["1", "2", "3", "4.5", "5"], 3, 5) == [4] and ser.gap(["1", "2", "3", "4", "5"], 3, 5) == []
    )
    assert ser.gap(["1", "7"], 1, 7) == [2, 3, 4, 5, 6]
    assert ser.gap(["1-3", "4"], 1, 4) == []  # an omnibus holds its numbers (review 23b)
    assert ser.gap(["1-3", None, "Book 5", "6"], 1, 6) == [4, 5]


def test_two_books_with_the_next_number_are_both_next(books, run):
    """Session 23's try-out: *Twin Saga 2: Left* and *Right*, both number 2: only Left was next (by title),
    silently; `--suggest` gave Right no "next in" line. Mutation: `alongside` left empty in `_next_in`: this
    fails (and `next_of` must agree: the differential test compares the two)."""
    import json

    books.mkdir(parents=True)
    for slug, title, number, status in (
        ("twin-1", "Twin Saga 1: Mirror", "1", "read"),
        ("twin-2-left", "Twin Saga 2: Left", "2", "want"),
        ("twin-2-right", "Twin Saga 2: Right", "2", "want"),
        ("twin-3", "Twin Saga 3", "3", "want"),
    ):
        (books / f"{slug}.toml").write_text(
            f'title = "{title}"\nauthors = ["Tess Twin"]\nstatus = "{status}"\n'
            f'series = [{{ name = "Twin Saga", number = "{number}" }}]\n',
            encoding="utf-8",
        )
    item = next(i for i in json.loads(run("next", "--json").stdout) if i["status"] == "series")
    assert (item["slug"], item["alongside"]) == ("twin-2-left", ["twin-2-right"])
    table = " ".join(run("next", "--format", "table", env={"COLUMNS": "120"}).stdout.split())
    assert "[next in series: Twin Saga #2] or Twin Saga 2: Right (also #2) after Twin Saga 1: Mirror" in table
    for slug in ("twin-2-left", "twin-2-right"):
        explained = json.loads(run("next", "--suggest", "--explain", slug, "--json").stdout)
        series = [s for s in explained["signals"] if s["signal"] == "series"]
        assert series and "next in the Twin Saga series" in series[0]["evidence"], slug
