"""What an import or `readlog merge` joins into a book already here (session 21's notes, t21c and t21g):

- another edition joined to a book no import made (added by hand: no source table) wrote an empty first
  `[[source.goodreads.editions]]` record;
- the same series from two places, one entry with a key of its own, was added twice (the entries were
  compared whole, not by what makes two series entries one: the name and the number)."""

from __future__ import annotations

import csv
import io
import tomllib
from pathlib import Path

from readlog import fields
from readlog.importers.merge import join_editions, merge_edition
from readlog.model import Book

HEADER = ["Book Id", "Title", "Author", "ISBN", "ISBN13", "My Rating", "Binding", "Number of Pages"]
HEADER += ["Year Published", "Original Publication Year", "Date Read", "Date Added", "Bookshelves"]
HEADER += ["Exclusive Shelf", "My Review", "Read Count"]


def export(tmp_path: Path, *rows: dict[str, str], name: str = "goodreads_library_export.csv") -> Path:
    out = io.StringIO()
    writer = csv.DictWriter(out, HEADER, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({"Exclusive Shelf": "read", "Date Added": "2010/12/02", "Read Count": "1", **row})
    path = tmp_path / name
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


DUNE = {"Title": "Dune", "Author": "Frank Herbert"}


def source(books: Path) -> dict:
    return tomllib.loads((books / "dune.toml").read_text(encoding="utf-8")).get("source", {}).get("goodreads")


# --- editions ----------------------------------------------------------------------------------------------
def test_an_edition_met_by_a_book_added_by_hand_is_its_source_not_an_empty_record(run, books, tmp_path):
    run("add", "Dune", "--author", "Frank Herbert", "--status", "read")
    run("import", str(export(tmp_path, {**DUNE, "Book Id": "53732", "Binding": "Paperback"})))
    table = source(books)
    assert table["Book Id"] == "53732" and table["Binding"] == "Paperback"
    assert "editions" not in table  # one edition known: the table is it
    text = (books / "dune.toml").read_text(encoding="utf-8")
    assert "[[source.goodreads.editions]]\n[[source.goodreads.editions]]" not in text
    # a second edition later: the list starts with the first one, as for a book an import made
    second = export(tmp_path, {**DUNE, "Book Id": "999", "Binding": "Hardcover"}, name="later.csv")
    run("import", str(second))
    assert source(books)["editions"] == [
        {"Book Id": "53732", "format": "Paperback"},
        {"Book Id": "999", "format": "Hardcover"},
    ]


def test_near_miss_a_book_with_an_isbn_of_its_own_keeps_it_as_the_first_edition():
    mine = Book(title="Dune", authors=["Frank Herbert"], status="read", isbn="9780441013593")
    theirs = Book(title="Dune", authors=["Frank Herbert"], status="read", isbn="9780340960196")
    theirs.extra["source"] = {"goodreads": {"Book Id": "999", "Binding": "Hardcover"}}
    merge_edition(mine, theirs, "goodreads", kept=[])
    assert mine.extra["source"]["goodreads"]["editions"] == [
        {"isbn": "9780441013593"},
        {"Book Id": "999", "isbn": "9780340960196", "format": "Hardcover"},
    ]


def test_the_same_edition_again_writes_no_list():
    """An edition the book's source table already is: nothing joined, no list of one written."""
    mine = Book(title="Dune", authors=["Frank Herbert"], status="read")
    mine.extra["source"] = {"goodreads": {"Book Id": "53732", "Binding": "Paperback"}}
    theirs = Book(title="Dune", authors=["Frank Herbert"], status="read")
    theirs.extra["source"] = {"goodreads": {"Book Id": "53732", "Binding": "Paperback"}}
    assert not merge_edition(mine, theirs, "goodreads", kept=[])
    assert "editions" not in mine.extra["source"]["goodreads"]


# --- series ------------------------------------------------------------------------------------------------
def test_the_same_series_with_a_key_of_its_own_is_one_entry():
    mine = Book(title="Dune", authors=["Frank Herbert"], status="read")
    mine.series = [{"name": "Dune", "number": "1", "url": "https://example.org/dune"}]
    theirs = Book(title="Dune", authors=["Frank Herbert"], status="read")
    theirs.series = [{"name": "Dune", "number": "1"}, {"name": "Dune Chronicles", "number": "1"}]
    merge_edition(mine, theirs, "goodreads", kept=[])
    assert mine.series == [
        {"name": "Dune", "number": "1", "url": "https://example.org/dune"},
        {"name": "Dune Chronicles", "number": "1"},
    ]


def test_two_rows_of_one_work_join_their_series_by_name_and_number():
    first = Book(title="Dune", authors=["Frank Herbert"], status="read")
    first.series = [{"name": "Dune", "number": "1"}]
    second = Book(title="Dune", authors=["Frank Herbert"], status="read")
    second.series = [{"name": "Dune", "number": "1", "note": "the first"}]
    join_editions(first, second, "goodreads")
    assert first.series == [{"name": "Dune", "number": "1"}]


def test_near_miss_another_number_or_no_number_is_another_entry():
    joined = fields.joined(
        fields.FIELDS["series"],
        [{"name": "Dune", "number": "1"}],
        [{"name": "Dune", "number": "2"}, {"name": "Dune"}, {"name": "Dune", "number": "1", "x": 1}],
    )
    assert joined == [{"name": "Dune", "number": "1"}, {"name": "Dune", "number": "2"}, {"name": "Dune"}]


def test_readlog_merge_keeps_one_entry_of_a_series_both_files_have(run, books):
    books.mkdir(parents=True)
    # (slugs that are no book's title: `dune` would be both a slug and the title of two books, which
    # `merge` refuses to guess between, t22a)
    (books / "dune-paper.toml").write_text(
        'title = "Dune"\nauthors = ["Frank Herbert"]\nstatus = "read"\n'
        'series = [{name = "Dune", number = "1", shelf = "upstairs"}]\n',
        encoding="utf-8",
    )
    (books / "dune-2.toml").write_text(
        'title = "Dune"\nauthors = ["Frank Herbert"]\nstatus = "read"\nseries = [{name = "Dune", number = "1"}]\n',
        encoding="utf-8",
    )
    run("merge", "dune-paper", "dune-2")
    data = tomllib.loads((books / "dune-paper.toml").read_text(encoding="utf-8"))
    assert data["series"] == [{"name": "Dune", "number": "1", "shelf": "upstairs"}]
