"""`list` piped (tsv) is made a batch of lines at a time in SQL (actions.find.select_lines) and written a
block at a time (cli.app.write_blocks). Its text must be what the row-by-row listing (find.select_rows
through write_rows, still what `--format csv` reads) writes, byte for byte, for every kind of value; and
the whole listing, read in one sweep of the table, must keep the order of the index walk a limited
listing takes, ties included."""

from __future__ import annotations

import contextlib
import io
import random
from datetime import date, timedelta
from pathlib import Path

import pytest

from readlog import bookfile
from readlog.actions import find
from readlog.cli.app import write_rows
from readlog.journal import Journal
from readlog.model import Book, Read

# Values that need cleaning for tsv, or that SQL must not write itself: quotes and backslashes (escaped
# in the stored JSON), the JSON separators inside a name, tabs, newlines, runs of spaces, spaces at the
# ends, control characters, U+2424, NBSP, ideographic space, line separator, brackets.
AWKWARD = [
    'Say "when"',
    "back\\slash",
    'Smith", "Jones',
    'a","b',
    "tab\there",
    "new\nline",
    "two  spaces",
    " leading",
    "trailing ",
    "bell\x07ring",
    "c1\x85next",
    "sym\u2424bol",
    "no\u00a0break",
    "wide\u3000space",
    "line\u2028sep",
    "[bracketed]",
    "; semi; colons",
    "é accents ü",
    "\u6f22\u5b57",
    "plain",
]


def _write(books: Path, slug: str, book: Book) -> None:
    books.mkdir(parents=True, exist_ok=True)
    (books / f"{slug}.toml").write_text(bookfile.dumps(book), encoding="utf-8")


def _row_by_row(home: Path) -> str:
    """The listing as it was written before the lines were made in SQL: every row through write_rows."""
    rows, _, _ = find.select_rows(
        Journal(home), find.book_filter([], None, None, None, None, None, None), "newest", 0
    )
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        write_rows(rows, "tsv", find.LIST_COLUMNS)
    return out.getvalue()


def test_awkward_values_are_written_as_row_by_row(run, books, journal_home):
    rng = random.Random(7)
    for n in range(600):
        title = f"{rng.choice(AWKWARD)} {n}" if n % 3 else f"Book {n}"
        authors = rng.sample(AWKWARD, rng.randint(0, 3)) if n % 2 else [f"Author {n % 7}"]
        book = Book(title=title, authors=authors, status=rng.choice(["read", "want", "reading", "abandoned"]))
        book.added = date(2020, 1, 1) + timedelta(days=n % 40)
        if book.status == "read":
            book.reads = [Read(started=book.added, finished=book.added + timedelta(days=3))]
        if n % 4:
            book.rating = rng.randint(1, 20) / 4
        _write(books, f"book-{n:04d}", book)
    listed = run("list").stdout
    assert listed == _row_by_row(journal_home)
    lines = listed.splitlines()
    assert len(lines) == 600
    assert all(line.count("\t") == 5 for line in lines)
    # the awkward values did reach the listing (as tsv shows them), in titles and in authors
    assert any('Say "when"' in line.split("\t")[1] for line in lines)
    assert any('Smith", "Jones' in line.split("\t")[2] for line in lines)
    assert any("tab here" in line for line in lines)
    assert any("\\u2424" not in line and "sym bol" in line for line in lines)
    assert any(line.split("\t")[4] == "5" for line in lines)
    assert any(line.split("\t")[4] == "4.75" for line in lines)
    assert any(line.split("\t")[2] == "" for line in lines)  # no authors


@pytest.mark.parametrize(
    ("title", "shown"),
    [
        ("two  spaces", "two spaces"),
        ("tab\there", "tab here"),
        ("new\nline", "new line"),
        ("sym\u2424bol", "sym bol"),
        ("plain words", "plain words"),
    ],
)
def test_what_tsv_makes_of_a_value_is_the_same_alone_and_among_many(run, books, title, shown):
    """The check that lets a line (or a block of them) out as it is, shared by both ways of writing: pinned
    here on its own, since the listing above is compared with the other way, which uses the same check. The
    book is listed alone (one row) and among 1,500 clean ones (a block holding it)."""
    book = Book(title=title, authors=["Ann Marlow"], status="want")
    book.added = date(2019, 1, 1)
    _write(books, "awkward", book)
    assert run("list").stdout.split("\t")[1] == shown
    for n in range(1500):
        clean = Book(title=f"Title {n}", authors=["Ann Marlow"], status="want")
        clean.added = date(2021, 1, 1)
        _write(books, f"title-{n:04d}", clean)
    last = run("list").stdout.splitlines()[-1].split("\t")  # the oldest: the awkward one
    assert (last[0], last[1]) == ("awkward", shown)


def test_a_clean_listing_is_the_row_by_row_one(run, books, journal_home):
    for n in range(1500):  # more than one batch of lines, every block written whole
        book = Book(title=f"Title {n}", authors=[f"First {n}", "Second"], status="want")
        book.added = date(2021, 1, 1) + timedelta(days=n % 300)
        book.rating = None if n % 5 == 0 else (n % 20 + 1) / 4
        _write(books, f"title-{n:04d}", book)
    listed = run("list").stdout
    assert listed == _row_by_row(journal_home)
    assert len(listed.splitlines()) == 1500
    assert "title-0001\tTitle 1\tFirst 1; Second\twant\t0.5\t\n" in listed


def test_the_whole_listing_keeps_the_order_of_ties(run, books):
    # Books of the same title and the same day (the same `activity`, the same sorted title): the limited
    # listing walks the activity index, the whole one sorts a sweep of the table; both give one order.
    rng = random.Random(3)
    slugs = [f"same-{n:03d}" for n in range(300)]
    rng.shuffle(slugs)  # written, and so indexed, out of order
    for n, slug in enumerate(slugs):
        book = Book(title=f"Same Title {n % 3}", authors=[f"Author {n}"], status="want")
        book.added = date(2022, 5, 1) + timedelta(days=n % 2)
        _write(books, slug, book)
    whole = run("list").stdout
    limited = run("list", "--limit", "1000").stdout
    assert whole == limited
    assert len(whole.splitlines()) == 300
    as_json = [item["slug"] for item in __import__("json").loads(run("list", "--json").stdout)]
    assert as_json == [line.split("\t")[0] for line in whole.splitlines()]
    csv_slugs = [line.split(",")[0] for line in run("list", "--format", "csv").stdout.splitlines()[1:]]
    assert csv_slugs == as_json


def _written(write, *args) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        write(*args)
    return out.getvalue()


def test_blocks_are_written_as_their_rows_would_be():
    # Blocks of clean rows with one value from AWKWARD (or a clean one) put in at a random place: the
    # block's one check must send every block that needs cleaning row by row, and no other.
    from readlog.cli.app import write_blocks

    rng = random.Random(11)
    clean = ["slug-1", "A Title", "First; Second", "read", "4.5", "2024-01-02", "x", ""]
    cases = 0
    for awkward in [*AWKWARD, "end ", " start", "mid  dle", "ok"]:
        if "\t" in awkward or "\n" in awkward:
            continue  # never in a block (select_lines gives such a book as its values)
        for place in range(6):
            for at in range(3):  # the first row, one between, the last
                rows = [[rng.choice(clean) for _ in range(6)] for _ in range(3)]
                rows[at][place] = awkward
                block = ("\n".join("\t".join(row) for row in rows), len(rows))
                loose = rows[at]
                expected = _written(write_rows, [*rows, loose], "tsv", ())
                assert _written(write_blocks, [block, loose]) == expected, (awkward, place, at)
                cases += 1
    assert cases > 300


@pytest.mark.parametrize("where", ["title", "authors"])
@pytest.mark.parametrize(
    "value", ["tab\there", "new\nline", " lead", "trail ", "two  spaces", "sy\u2424m", "b\x07"]
)
def test_one_awkward_book_among_clean_ones(run, books, journal_home, value, where):
    # Every other line of the batch is clean and made by SQL: the one book must still come out as the
    # row-by-row listing has it (a tab or newline in a value sends the batch line by line).
    for n in range(40):
        book = Book(title=f"Clean {n}", authors=[f"Someone {n}"], status="want")
        book.added = date(2021, 1, 1) + timedelta(days=n)
        if n == 17:
            book.title, book.authors = (value, ["Someone"]) if where == "title" else ("Awkward", [value, "B"])
        _write(books, f"clean-{n:02d}", book)
    listed = run("list").stdout
    assert listed == _row_by_row(journal_home)
    assert len(listed.splitlines()) == 40
