"""Session 21's try-out (21b #6): an export imported into a journal that has the book added a false re-read
(`Read 2 times: 2020-01-01; date unknown`), and one author twice (`James S. A. Corey`, `James S.A. Corey`).
An export's undated reading of a book read on a known day is that reading; a placeholder here takes the
export's date; one person written two ways is one author, written as the journal has it."""

from __future__ import annotations

import csv
import io
import os
import tomllib
from datetime import date
from pathlib import Path

import pytest

from readlog.importers.merge import join_editions, join_reads, merge_edition
from readlog.model import Book, Read

IMPORTS = Path(os.environ.get("READLOG_TEST_IMPORTS", "/nonexistent"))
needs_imports = pytest.mark.skipif(
    not IMPORTS.is_dir(), reason="set READLOG_TEST_IMPORTS to the real export fixtures"
)

HEADER = [
    "Book Id",
    "Title",
    "Author",
    "Author l-f",
    "Additional Authors",
    "ISBN",
    "ISBN13",
    "My Rating",
    "Average Rating",
    "Publisher",
    "Binding",
    "Number of Pages",
    "Year Published",
    "Original Publication Year",
    "Date Read",
    "Date Added",
    "Bookshelves",
    "Bookshelves with positions",
    "Exclusive Shelf",
    "My Review",
    "Spoiler",
    "Private Notes",
    "Read Count",
    "Recommended For",
    "Recommended By",
    "Owned Copies",
    "Original Purchase Date",
    "Original Purchase Location",
    "Condition",
    "Condition Description",
    "BCID",
]


def export(tmp_path: Path, *rows: dict[str, str]) -> Path:
    out = io.StringIO()
    writer = csv.DictWriter(out, HEADER, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({"Exclusive Shelf": "read", "Date Added": "2010/12/02", **row})
    path = tmp_path / "goodreads_library_export.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def reads(books: Path, slug: str) -> list[dict]:
    return tomllib.loads((books / f"{slug}.toml").read_text()).get("reads", [])


def book(*reads: Read, status: str = "read", authors: tuple[str, ...] = ("Frank Herbert",)) -> Book:
    return Book(title="Dune", authors=list(authors), status=status, reads=list(reads))


# --- the rules, on books -----------------------------------------------------------------------------------
def test_near_miss_an_export_that_counts_two_readings_keeps_its_second():
    """Read Count 2 on the day the book was read: Goodreads knows of an earlier reading, undated."""
    mine = book(Read(finished=date(2020, 1, 1)))
    theirs = book(Read(), Read(finished=date(2020, 1, 1)))
    assert [r.finished for r in join_reads(mine, theirs)] == [date(2020, 1, 1), None]


def test_near_miss_a_reading_on_another_day_is_a_second_reading():
    mine = book(Read(finished=date(2020, 1, 1)))
    theirs = book(Read(finished=date(2011, 9, 2)))
    assert sorted(str(r.finished) for r in join_reads(mine, theirs)) == ["2011-09-02", "2020-01-01"]


def test_near_miss_a_book_being_read_again_keeps_its_reading_in_progress():
    """An undated open reading of a book being read is the reading going on, not a placeholder."""
    mine = book(Read(finished=date(2020, 1, 1)))
    theirs = book(Read(), status="reading")
    assert [r.finished for r in join_reads(mine, theirs)] == [date(2020, 1, 1), None]


def test_an_undated_reading_from_an_export_is_the_dated_one_here():
    mine = book(Read(finished=date(2020, 1, 1)))
    assert [r.finished for r in join_reads(mine, book(Read()))] == [date(2020, 1, 1)]


def test_a_placeholder_here_takes_the_export_s_date():
    mine = book(Read(rating=4))
    joined = join_reads(mine, book(Read(finished=date(2011, 9, 2))))
    assert [(r.finished, r.rating) for r in joined] == [(date(2011, 9, 2), 4)]


def test_merge_edition_never_changes_the_books_authors():
    # (t33f: another edition's credits, a translator or an introducer among them, are not the reader's authors)
    mine = book(Read(finished=date(2020, 1, 1)), authors=("James S. A. Corey",))
    theirs = book(Read(), authors=("James S.A. Corey", "Daniel Abraham"))
    assert merge_edition(mine, theirs, "goodreads", [])
    assert mine.authors == ["James S. A. Corey"]
    assert [r.finished for r in mine.reads] == [date(2020, 1, 1)]


def test_rows_of_one_work_join_one_person_once_as_written_here():
    first = book(Read(finished=date(2020, 1, 1)), authors=("James S. A. Corey",))
    join_editions(first, book(Read(), authors=("James S.A. Corey", "Daniel Abraham")), "goodreads")
    assert first.authors == ["James S. A. Corey", "Daniel Abraham"]


def test_near_miss_two_people_of_one_surname_are_two_authors():
    mine = book(authors=("Frank Herbert",))
    join_editions(mine, book(authors=("Brian Herbert",)), "goodreads")
    assert mine.authors == ["Frank Herbert", "Brian Herbert"]


# --- through `readlog import` ------------------------------------------------------------------------------
def test_an_export_s_undated_read_of_a_dated_book_is_no_second_reading(run, tmp_path, books):
    run("add", "Dune", "-a", "Frank Herbert", "--finished", "2020-01-01")
    path = export(
        tmp_path,
        {"Book Id": "53732", "Title": "Dune", "Author": "Frank Herbert", "Read Count": "1"},
        {"Book Id": "1", "Title": "Leviathan Wakes (Expanse, #1)", "Author": "James S.A. Corey",
         "Date Read": "2011/09/02", "Read Count": "1"},
    )  # fmt: skip
    run("add", "Leviathan Wakes", "-a", "James S. A. Corey", "--status", "read")
    run("import", str(path))
    assert reads(books, "dune") == [{"finished": date(2020, 1, 1)}]
    assert reads(books, "leviathan-wakes") == [{"finished": date(2011, 9, 2)}]
    leviathan = tomllib.loads((books / "leviathan-wakes.toml").read_text())
    assert leviathan["authors"] == ["James S. A. Corey"]
    shown = run("show", "dune").stdout
    assert "Read: 2020-01-01" in shown and "date unknown" not in shown and "2 times" not in shown
    stats = run("stats").stdout
    assert "2 readings finished" in stats and "read more than once" not in stats


@needs_imports
def test_real_goodreads_export_into_the_try_out_s_journal(run, books):
    """Dune finished 2020-01-01 and Leviathan Wakes added undated, then dr-rodriguez's export (Dune: Read
    Count 1, no Date Read; Leviathan Wakes: 2011/09/02, `James S.A. Corey`)."""
    run("add", "Dune", "-a", "Frank Herbert", "--finished", "2020-01-01")
    run("add", "Leviathan Wakes", "-a", "James S. A. Corey", "--status", "read")
    run("import", str(IMPORTS / "goodreads_dr-rodriguez_Exploring-Goodreads.csv"))
    assert reads(books, "dune") == [{"finished": date(2020, 1, 1)}]
    assert reads(books, "leviathan-wakes") == [{"finished": date(2011, 9, 2)}]
    assert tomllib.loads((books / "leviathan-wakes.toml").read_text())["authors"] == ["James S. A. Corey"]
    shown = [line.strip("│ ") for line in run("show", "leviathan-wakes").stdout.splitlines()]
    assert "by James S. A. Corey" in shown


def test_two_editions_in_one_export_are_one_reading_when_only_one_is_dated(run, tmp_path, books):
    path = export(
        tmp_path,
        {
            "Book Id": "1",
            "Title": "Dune",
            "Author": "Frank Herbert",
            "Date Read": "2020/01/01",
            "Read Count": "1",
        },
        {
            "Book Id": "2",
            "Title": "Dune",
            "Author": "Frank Herbert",
            "Binding": "Paperback",
            "Read Count": "1",
        },
    )
    assert "1 joined to another row's book" in run("import", str(path)).stderr
    assert reads(books, "dune") == [{"finished": date(2020, 1, 1)}]


def test_near_miss_two_editions_read_on_two_days_are_two_readings(run, tmp_path, books):
    path = export(
        tmp_path,
        {
            "Book Id": "1",
            "Title": "Dune",
            "Author": "Frank Herbert",
            "Date Read": "2020/01/01",
            "Read Count": "1",
        },
        {
            "Book Id": "2",
            "Title": "Dune",
            "Author": "Frank Herbert",
            "Date Read": "2011/05/01",
            "Read Count": "1",
        },
    )
    run("import", str(path))
    assert reads(books, "dune") == [{"finished": date(2011, 5, 1)}, {"finished": date(2020, 1, 1)}]
