"""Session 22's try-out (22a #7): `stats` left out re-reads with one undated reading (`Read 2 times:
2016-07-21; date unknown`, from Goodreads' Read Count 2) and counted their undated readings nowhere. A
reading done is one finished on a known day, or a read book's reading never stopped (read on a day nobody
knows); a book with two is read more than once, and the undated readings of books with a dated one are said."""

from __future__ import annotations

import json
import os
import tempfile
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from readlog import bookfile, stats
from readlog.journal import Journal
from readlog.model import Book, Read
from readlog.stats import BooksLedger

SHELF = {
    # read on a known day, then again on a day nobody knows: read twice (22a's Live Alone)
    "live-alone": ("read", "[[reads]]\nfinished = 2016-07-21\n\n[[reads]]\n"),
    # read twice, neither day known (an export's Read Count 2 alone): read twice, an undated book
    "twice-undated": ("read", "[[reads]]\n\n[[reads]]\n"),
    # given up once, then read: read once
    "second-try": ("read", "[[reads]]\nstopped = 2019-03-01\n\n[[reads]]\nfinished = 2020-05-02\n"),
    # read once, being read again (the open reading is the current one): read once, so far
    "again-now": ("reading", "[[reads]]\nfinished = 2016-02-02\n\n[[reads]]\n"),
    # read on two known days
    "two-dated": ("read", "[[reads]]\nfinished = 2016-01-01\n\n[[reads]]\nfinished = 2018-01-01\n"),
}


@pytest.fixture
def shelf(run, books: Path) -> Path:
    run("add", "Seed", "-a", "Nobody", "--status", "want")  # (the journal made)
    (books / "seed.toml").unlink()
    for slug, (status, reads) in SHELF.items():
        text = f'schema = 2\ntitle = "{slug}"\nauthors = ["A. Writer"]\nstatus = "{status}"\n\n{reads}'
        (books / f"{slug}.toml").write_text(text, encoding="utf-8")
    return books


def test_a_book_read_again_on_an_unknown_day_is_read_more_than_once(run, shelf):
    ever = json.loads(run("stats", "--json").stdout)
    assert ever["rereads"] == 3  # live-alone, twice-undated, two-dated
    assert ever["undated"] == 1  # twice-undated: no reading of it has a date
    assert ever["undated_readings"] == 1  # live-alone's second reading: in no year, and said
    assert ever["finished"] == 5  # the dated readings, each in its year
    year = json.loads(run("stats", "--year", "2016", "--json").stdout)
    # live-alone's 2016 reading has its undated one beside it; two-dated's 2016 reading is its first, and
    # its re-read is 2018's (try-out 28a #4: a year counts its readings that were re-reads)
    assert year["rereads"] == 1
    assert json.loads(run("stats", "--year", "2018", "--json").stdout)["rereads"] == 1
    assert year["undated_readings"] == 1  # (the whole journal's, as `undated` is)


def test_the_undated_readings_are_said_under_the_counts(run, shelf):
    out = run("stats", env={"COLUMNS": "200"}).stdout
    assert "3 books read more than once" in out
    assert (
        "1 read book has no finish date, and 1 reading of books read more than once has none: "
        "not counted in any year or goal" in out
    )


def test_only_undated_readings_of_dated_books_are_said_alone(run, shelf):
    (shelf / "twice-undated.toml").unlink()
    out = run("stats", env={"COLUMNS": "200"}).stdout
    assert "2 books read more than once" in out
    assert "read book" not in out
    assert "1 reading of books read more than once has none: not counted in any year or goal" in out


def test_the_index_and_the_books_count_alike(shelf):
    journal = Journal(shelf.parent)
    books = {slug: journal.load(slug).book for slug in journal.slugs()}
    index = journal.fresh_index()
    assert sorted(index.rereads()) == sorted(BooksLedger(books).rereads())
    assert sorted(index.rereads()) == [
        ("live-alone", "read", 1),
        ("twice-undated", "read", 0),
        ("two-dated", "read", 0),
    ]


READS = st.lists(
    st.sampled_from(
        [
            Read(),
            Read(finished=date(2020, 1, 2)),
            Read(stopped=date(2021, 3, 4)),
            Read(started=date(2022, 5, 6)),
        ]
    ),
    max_size=3,
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(shelf_books=st.lists(st.tuples(st.sampled_from(["read", "reading", "abandoned"]), READS), max_size=5))
def test_any_undated_readings_give_the_same_stats_from_the_index_and_the_books(shelf_books, tmp_path):
    with tempfile.TemporaryDirectory(dir=tmp_path) as folder:
        home = Path(folder)
        (home / "books").mkdir()
        for number, (status, reads) in enumerate(shelf_books):
            book = Book(title=f"Book {number}", authors=["A. Writer"], status=status, reads=list(reads))
            (home / "books" / f"book-{number}.toml").write_text(bookfile.dumps(book), encoding="utf-8")
        journal = Journal(home)
        books = {slug: journal.load(slug).book for slug in journal.slugs()}
        index = journal.fresh_index()
        for year in (None, 2020):
            today = date(2026, 1, 1)
            from_index = stats.compute(index, year, {}, today).to_json()
            assert from_index == stats.compute(BooksLedger(books), year, {}, today).to_json(), year
        index.close()


REAL = Path(os.environ.get("READLOG_TEST_IMPORTS", "/nonexistent"))
MOUSE = REAL / "goodreads-more" / "goodreads_mouse-reeve_book-catalogue_2020-10.csv"


@pytest.mark.skipif(not MOUSE.is_file(), reason="READLOG_TEST_IMPORTS (the real exports) not set")
def test_a_real_export_s_read_counts_are_all_counted(run, books):
    """Every book the export read more than once (Read Count > 1) is in the count, whatever its dates."""
    import csv

    rows = list(csv.DictReader(MOUSE.open(encoding="utf-8")))
    read_again = sum(1 for r in rows if r["Exclusive Shelf"] == "read" and int(r["Read Count"] or 0) > 1)
    run("import", str(MOUSE))
    ever = json.loads(run("stats", "--json").stdout)
    assert read_again > 0 and ever["rereads"] >= read_again
    assert ever["undated_readings"] > 0
