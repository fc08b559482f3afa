"""A row joined to a book by its ISBN alone names that book's title, or it is kept as its own book, said; and
an ISBN-10 is one key with the ISBN-13 it is (review 32b #6). The real exports' rows, changed as the review
changed them: an audio omnibus's one ISBN under two titles is a real shape."""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

import pytest

from readlog.identity import Same, Work, book_keys, by_id, isbn_key, same_work, titles_other
from readlog.model import Book, isbn13

SHARED = Path(os.environ.get("READLOG_TEST_IMPORTS") or Path(__file__).parents[2] / "shared/fixtures/imports")
STORYGRAPH = SHARED / "storygraph_tranguyeenn_optimization-books-engine.csv"
GOODREADS = SHARED / "goodreads_freizl_my-reads.csv"
LIBRARYTHING = SHARED / "librarything" / "librarything_mouse-reeve_book-catalogue_2014.csv"
pytestmark = pytest.mark.skipif(
    not STORYGRAPH.exists(), reason="the real exports (READLOG_TEST_IMPORTS) absent"
)


def real_rows(path: Path, column: str, value: str, encoding: str = "utf-8") -> tuple[list[str], list[str]]:
    """The header of a real export and its row whose `column` is `value`."""
    with path.open(encoding=encoding, errors="replace", newline="") as handle:
        rows = list(csv.reader(handle))
    at = rows[0].index(column)
    return rows[0], next(row for row in rows[1:] if row[at] == value)


def export(tmp_path: Path, name: str, header: list[str], *rows: dict[str, str], base: list[str]) -> Path:
    """An export of `base` (a real row) once per `rows`, each with those cells changed."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for cells in rows:
        row = list(base)
        for column, value in cells.items():
            row[header.index(column)] = value
        writer.writerow(row)
    path = tmp_path / name
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def journal(run) -> dict[str, dict]:
    return {book["slug"]: book for book in json.loads(run("export", "--format", "json").stdout)}


@pytest.fixture
def ethan() -> tuple[list[str], list[str]]:
    return real_rows(STORYGRAPH, "Title", "Ethan Frome")  # (its audio edition, ISBN/UID 9781799955672)


SUMMER = {"Title": "Summer", "Date Added": "2025/02/22"}


def test_storygraph_row_of_another_title_with_the_isbn_is_its_own_book_said(run, tmp_path, ethan):
    header, row = ethan
    assert row[header.index("ISBN/UID")] == "9781799955672"
    path = export(tmp_path, "sg.csv", header, {}, SUMMER, base=row)
    result = run("import", str(path))
    assert "1 joined" not in result.stderr
    assert (
        f"{path}:3: Summer: has the ISBN of 'Ethan Frome' (line 2) but is another title: kept apart from it, as "
        "two books" in result.stderr
    )
    books = journal(run)
    assert sorted(books) == ["ethan-frome", "summer"]
    assert books["summer"]["title"] == "Summer" and books["summer"]["added"] == "2025-02-22"
    assert books["ethan-frome"]["added"] == "2025-02-23"  # (not the other row's date)
    again = run("import", str(path))
    assert "0 added" in again.stderr and sorted(journal(run)) == ["ethan-frome", "summer"]


def test_against_the_journal_a_row_of_another_title_with_its_isbn_is_a_maybe(run, tmp_path, ethan):
    header, row = ethan
    run("import", str(export(tmp_path, "first.csv", header, {}, base=row)))
    later = export(tmp_path, "later.csv", header, SUMMER, base=row)
    result = run("import", str(later))
    assert (
        f"{later}:2: Summer: may be the same book as ethan-frome (its ISBN, another title): kept as its own book"
        in result.stderr
    )
    assert sorted(journal(run)) == ["ethan-frome", "summer"]
    again = run("import", str(later))  # (the book it was kept as is found again: never one more copy)
    assert "1 skipped" in again.stderr and sorted(journal(run)) == ["ethan-frome", "summer"]
    assert "maybe the same book as ethan-frome.toml" in run("check", code=0).stdout + run("check").stderr


@pytest.mark.parametrize(
    "title",
    [
        "ETHAN FROME",
        "Ethan Frome!",
        "Ethan Frome: A Novel",
        "Ethan Frome (Unabridged)",
        "Ethan Frome (Wharton #1)",
    ],
)
def test_the_same_title_written_otherwise_still_joins_by_its_isbn(run, tmp_path, ethan, title):
    """Near misses: case, punctuation, a subtitle, an edition word, a series' mark. No author on the row, so
    only the ISBN can join them (a row with no author is never surely a book by its title alone)."""
    header, row = ethan
    path = export(tmp_path, "sg.csv", header, {}, {"Title": title, "Authors": ""}, base=row)
    result = run("import", str(path))
    assert "1 added" in result.stderr and "1 joined" in result.stderr
    assert list(journal(run)) == ["ethan-frome"]


def test_a_translation_with_the_isbn_is_its_own_book_said(run, tmp_path, ethan):
    """Another language or script is another title: the ISBN says one book, the title another, and which is
    wrong is not known (decided: kept as its own book; `readlog merge` joins them)."""
    header, row = ethan
    run("import", str(export(tmp_path, "first.csv", header, {}, base=row)))
    later = export(tmp_path, "later.csv", header, {"Title": "イーサン・フローム"}, base=row)
    result = run("import", str(later))
    assert "may be the same book as ethan-frome (its ISBN, another title)" in result.stderr
    assert len(journal(run)) == 2


@pytest.mark.parametrize("written", ["1799955672", "1-79995-567-2", "978-1-79995-567-2"])
def test_an_isbn_10_is_the_isbn_13_it_is(run, tmp_path, ethan, written):
    """The review's row with its ISBN written as ISBN-10 became its own book, silently; with no author (so that
    only the ISBN can say it is the book) it is joined, however written."""
    header, row = ethan
    path = export(tmp_path, "sg.csv", header, {}, {"ISBN/UID": written, "Authors": ""}, base=row)
    result = run("import", str(path))
    assert "1 added" in result.stderr and "1 joined" in result.stderr, result.stderr
    later = export(tmp_path, "later.csv", header, {"ISBN/UID": written, "Authors": ""}, base=row)
    assert "1 skipped" in run("import", str(later)).stderr
    assert list(journal(run)) == ["ethan-frome"]


def test_an_isbn_10_of_another_title_is_said_too(run, tmp_path, ethan):
    header, row = ethan
    path = export(tmp_path, "sg.csv", header, {}, {**SUMMER, "ISBN/UID": "1799955672"}, base=row)
    result = run("import", str(path))
    assert "Summer: has the ISBN of 'Ethan Frome' (line 2) but is another title" in result.stderr
    assert sorted(journal(run)) == ["ethan-frome", "summer"]


def test_isbn_keys():
    assert isbn13("1799955672") == "9781799955672"
    assert isbn13("080442957X") == "9780804429573"  # (an X check digit: 10)
    assert isbn13("1799955673") == "1799955673"  # (no valid ISBN-10: as it is)
    assert isbn13("B00IJYDJAM") == "B00IJYDJAM"  # (a StoryGraph UID that is no ISBN)
    assert isbn13("9781799955672") == "9781799955672"
    assert isbn_key("1799955672") == isbn_key("9781799955672")
    book = Book(title="Ethan Frome", isbn="1799955672")
    book.extra = {"isbns": ["080442957X"], "source": {"storygraph": {"ISBN/UID": "B00IJYDJAM"}}}
    assert book_keys(book) == ["isbn:9781799955672", "isbn:9780804429573", "storygraph:B00IJYDJAM"]


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("Summer", "Ethan Frome", Same.MAYBE),
        ("Der Wüstenplanet", "Dune", Same.MAYBE),
        ("Ethan Frome and Other Stories", "Ethan Frome", Same.MAYBE),
        ("Dune Messiah", "Dune", Same.MAYBE),
        ("Dune: Deluxe Edition", "Dune", Same.SURE),
        ("Dune (Dune #1)", "Dune", Same.SURE),
        ("Dune (Penguin Classics)", "Dune", Same.SURE),
        ("dune", "DUNE", Same.SURE),
        (
            "Fragments of an Anarchist Anthropology (Paradigm)",
            "Fragments of an Anarchist Anthropology",
            Same.SURE,
        ),
        ("Saga, Vol. 2", "Saga, Vol. 1", Same.MAYBE),
    ],
)
def test_an_isbn_of_another_title_is_a_maybe(a, b, same):
    assert by_id(Work(a), Work(b), "isbn:9781799955672") is same
    assert by_id(Work(a), Work(b), "goodreads:1") is Same.SURE  # (a source id: the service's record)
    keys = frozenset({"isbn:9781799955672"})
    assert same_work(Work(a, ("Edith Wharton",), keys), Work(b, ("Edith Wharton",), keys)) is same
    assert titles_other(a, b) is (same is Same.MAYBE)


@pytest.fixture
def deep_work() -> tuple[list[str], list[str]]:
    return real_rows(GOODREADS, "Book Id", "25744928")  # (Deep Work, ISBN13 9781455586691)


def test_goodreads_row_of_another_title_with_the_isbn_is_its_own_book(run, tmp_path, deep_work):
    header, row = deep_work
    other = {"Book Id": "13525945", "Title": "So Good They Can't Ignore You"}
    path = export(tmp_path, "gr.csv", header, {}, other, base=row)
    result = run("import", str(path))
    assert (
        "So Good They Can't Ignore You: has the ISBN of 'Deep Work: Rules for Focused Success"
        in result.stderr
    )
    assert len(journal(run)) == 2
    later = export(tmp_path, "later.csv", header, {**other, "Book Id": "99"}, base=row)
    result = run("import", str(later))
    assert "may be the same book as" not in result.stderr  # (the book of its title holds the ISBN: found)
    assert "0 added" in result.stderr and len(journal(run)) == 2


def test_goodreads_book_id_still_joins_whatever_the_title(run, tmp_path, deep_work):
    """A source id is the service's record of the book: a renamed book is the same book."""
    header, row = deep_work
    run("import", str(export(tmp_path, "gr.csv", header, {}, base=row)))
    later = export(tmp_path, "later.csv", header, {"Title": "So Good They Can't Ignore You"}, base=row)
    result = run("import", str(later))
    assert "may be the same book" not in result.stderr and "0 added" in result.stderr
    assert len(journal(run)) == 1
    both = export(tmp_path, "both.csv", header, {}, {"Title": "Another Title"}, base=row)
    run("import", str(both))
    assert len(journal(run)) == 1


def test_goodreads_subtitle_dropped_with_the_isbn_joins(run, tmp_path, deep_work):
    header, row = deep_work
    path = export(
        tmp_path, "gr.csv", header, {}, {"Book Id": "99", "Title": "Deep Work", "Author": ""}, base=row
    )
    result = run("import", str(path))
    assert "1 added" in result.stderr and "1 joined" in result.stderr
    assert len(journal(run)) == 1


def test_librarything_row_of_another_title_with_the_isbn_10_is_its_own_book(run, tmp_path):
    header, row = real_rows(LIBRARYTHING, "'TITLE'", "Kraken", encoding="cp1252")
    assert row[header.index("'ISBNs'")] == "[0345497503]"  # (an ISBN-10, as LibraryThing's CSV wrote them)
    path = export(tmp_path, "lt.csv", header, {}, {"'TITLE'": "Embassytown"}, base=row)
    result = run("import", str(path), "--from", "librarything-csv")
    assert "Embassytown: has the ISBN of 'Kraken' (line 2) but is another title" in result.stderr
    assert sorted(journal(run)) == ["embassytown", "kraken"]
    no_author = {"'ISBNs'": "[9780345497505]", "'AUTHOR (first, last)'": "", "'AUTHOR (last, first)'": ""}
    same = export(tmp_path, "same.csv", header, no_author, base=row)
    result = run(
        "import", str(same), "--from", "librarything-csv"
    )  # (its ISBN-13, and no author: the ISBN finds it)
    assert "may be the same book" not in result.stderr and "0 added" in result.stderr
    assert sorted(journal(run)) == ["embassytown", "kraken"]


def test_add_of_another_title_with_a_books_isbn_is_a_maybe(run, books):
    """`add` in a script: the ISBN of the journal's *Ethan Frome* under *Summer* is not surely that book (it was
    refused as `already in the journal as 'ethan-frome'`): a maybe, refused naming `--new`, nothing written."""
    run("add", "Ethan Frome", "-a", "Edith Wharton", "--isbn", "9781799955672", "--status", "want")
    before = {p.name: p.read_bytes() for p in books.iterdir()}
    out = run("add", "Summer", "-a", "Edith Wharton", "--isbn", "1-79995-567-2", "--status", "want", code=1)
    assert "'Summer' may be the same book as ethan-frome (Ethan Frome by Edith Wharton)" in out.stderr
    assert "--new" in out.stderr
    assert {p.name: p.read_bytes() for p in books.iterdir()} == before
    run("add", "Summer", "-a", "Edith Wharton", "--isbn", "9781799955672", "--status", "want", "--new")
    assert sorted(p.name for p in books.iterdir()) == ["ethan-frome.toml", "summer.toml"]
