"""Session 22's try-out (22a #4): after `readlog merge A B`, importing B's export again added B back when the
export finds its books by ISBN (StoryGraph: `ISBN/UID` is no id of its own). A kept its ISBN; B's was only a
column of the source table merge copied, which is no key (identity.book_keys). Merge now keeps B's edition,
ISBN included, in each of B's source tables' `editions`. Each importer: a book merged into one of another
title (the title alone says only "maybe"), then its export again: nothing added, nothing changed."""

from __future__ import annotations

import json
import os
import tomllib
from pathlib import Path

import pytest

from conftest import snapshot

A_TITLE = "War and Peace: Original Version"  # the book kept: another ISBN, another title
A_ISBN = "9780060798871"
B_ISBN = "9780192833983"  # B's edition: the one its export names


def goodreads(folder: Path) -> Path:
    head = "Book Id,Title,Author,ISBN,ISBN13,My Rating,Exclusive Shelf,Date Added,Date Read,Read Count"
    row = f'4242,War and Peace,Leo Tolstoy,"=""0192833987""","=""{B_ISBN}""",4,read,2020/01/02,2020/02/03,1'
    return _write(folder / "goodreads.csv", head, row)


def storygraph(folder: Path) -> Path:
    head = "Title,Authors,Contributors,ISBN/UID,Format,Read Status,Date Added,Last Date Read,Dates Read,Read Count"
    return _write(
        folder / "storygraph.csv",
        head,
        f"War and Peace,Leo Tolstoy,,{B_ISBN},paperback,to-read,2025/02/23,,,0",
    )


def librarything(folder: Path) -> Path:
    head = "Book Id\tTitle\tPrimary Author\tISBN\tISBNs\tEntry Date\tRating"
    return _write(
        folder / "librarything.tsv",
        head,
        f"9001\tWar and Peace\tTolstoy, Leo\t[0192833987]\t{B_ISBN}\t[2019-12-24]\t4",
    )


def librarything_json(folder: Path) -> Path:
    book = {"books_id": "9001", "title": "War and Peace", "primaryauthor": "Tolstoy, Leo",
            "isbn": {"0": "0192833987", "2": B_ISBN}, "entrydate": "2019-12-24", "rating": 4}  # fmt: skip
    path = folder / "librarything.json"
    path.write_text(json.dumps({"9001": book}), encoding="utf-8")
    return path


def hardcover(folder: Path) -> Path:
    head = "Title,Author,Status,Hardcover Book ID,Hardcover Edition ID,ISBN 10,ISBN 13,Date Added,Rating"
    return _write(
        folder / "hardcover.csv", head, f"War and Peace,Leo Tolstoy,Read,501,9501,,{B_ISBN},2024-01-02,4"
    )


def bookwyrm(folder: Path) -> Path:
    head = "title,author_text,remote_id,isbn_13,start_date,finish_date,rating,shelf,shelf_name,shelf_date"
    row = f"War and Peace,Leo Tolstoy,https://books.example/book/1,{B_ISBN},2019-02-01,2019-02-20,4,read,Read,2019-02-01"
    return _write(folder / "bookwyrm.csv", head, row)


def bookwyrm_json(folder: Path) -> Path:
    book = {"id": 1, "created_date": "2024-01-02T10:00:00.000Z", "remote_id": "https://books.example/book/1",
            "title": "War and Peace", "edition": {"isbn_13": B_ISBN}, "authors": [{"name": "Leo Tolstoy"}],
            "readthroughs": [{"start_date": "2024-01-03T00:00:00Z", "finish_date": "2024-01-20T00:00:00Z"}],
            "shelves": [{"identifier": "read", "name": "Read"}]}  # fmt: skip
    path = folder / "bookwyrm.json"
    path.write_text(json.dumps({"user": {"username": "r@books.example"}, "books": [book]}), encoding="utf-8")
    return path


def openreads(folder: Path) -> Path:
    head = "title,subtitle,author,status,rating,isbn,book_format,readings,date_added"
    return _write(
        folder / "openreads.csv",
        head,
        f"War and Peace,,Leo Tolstoy,finished,4,{B_ISBN},paperback,,2019-12-30T10:00:00.000",
    )


def _write(path: Path, head: str, row: str) -> Path:
    path.write_text(f"{head}\n{row}\n", encoding="utf-8")
    return path


EXPORTS = [
    goodreads,
    storygraph,
    librarything,
    librarything_json,
    hardcover,
    bookwyrm,
    bookwyrm_json,
    openreads,
]


def slugs(books: Path) -> list[str]:
    return sorted(p.stem for p in books.glob("*.toml"))


@pytest.mark.parametrize("export", EXPORTS, ids=lambda f: f.__name__)
def test_the_export_of_a_merged_book_finds_the_book_it_was_merged_into(export, run, books, tmp_path):
    run("add", A_TITLE, "-a", "Leo Tolstoy", "--isbn", A_ISBN, "--status", "read")
    path = export(tmp_path)
    first = run("import", str(path)).stderr
    assert "1 added" in first, first
    assert slugs(books) == ["war-and-peace", "war-and-peace-original-version"]
    merged = run("merge", "war-and-peace-original-version", "war-and-peace").stderr
    assert f"kept isbn {A_ISBN} (war-and-peace had {B_ISBN})" in merged
    kept = tomllib.loads((books / "war-and-peace-original-version.toml").read_text())
    assert kept["isbn"] == A_ISBN
    before = snapshot(books)
    for args in ((), ("--dry-run",), ("--update", "--dry-run")):
        again = run("import", str(path), *args).stderr
        assert "0 added" in again or "0 would be added" in again, (args, again)
        assert "may be the same book" not in again, (args, again)
    assert run("import", str(path)).stderr.count("0 added") == 1
    assert slugs(books) == ["war-and-peace-original-version"]
    assert snapshot(books) == before  # a plain re-run: the book was found, and nothing of it changed


def test_the_merged_edition_is_kept_with_its_isbn_under_its_source(run, books, tmp_path):
    """What merge writes: B's edition (its ISBN, its format) begins the copied table's `editions`."""
    run("add", A_TITLE, "-a", "Leo Tolstoy", "--isbn", A_ISBN, "--status", "read")
    run("import", str(storygraph(tmp_path)))
    run("merge", "war-and-peace-original-version", "war-and-peace")
    table = tomllib.loads((books / "war-and-peace-original-version.toml").read_text())["source"]["storygraph"]
    assert table["ISBN/UID"] == B_ISBN
    assert table["editions"] == [{"isbn": B_ISBN, "format": "paperback"}]


def test_a_merge_of_one_isbn_begins_no_list_of_editions():
    """B's ISBN the same as A's, or none: the book's keys hold it already; merge begins no `editions`."""
    from readlog.actions.merge import join_books
    from readlog.model import Book

    for isbn in (A_ISBN, None):
        kept = Book(title=A_TITLE, authors=["Leo Tolstoy"], isbn=A_ISBN)
        other = Book(title="War and Peace", authors=["Leo Tolstoy"], isbn=isbn)
        other.extra["source"] = {"storygraph": {"ISBN/UID": isbn or "x", "Format": "paperback"}}
        join_books(kept, other, "war-and-peace", [])
        assert kept.extra["source"] == {"storygraph": {"ISBN/UID": isbn or "x", "Format": "paperback"}}
        assert kept.isbn == A_ISBN


def test_both_books_from_the_same_source_keep_both_editions(run, books, tmp_path):
    """A and B both StoryGraph's, two ISBNs: B's becomes an edition of A's table, with its ISBN."""
    head = "Title,Authors,Contributors,ISBN/UID,Format,Read Status,Date Added,Last Date Read,Dates Read,Read Count"
    path = _write(
        tmp_path / "sg.csv",
        head,
        f"{A_TITLE},Leo Tolstoy,,{A_ISBN},hardcover,read,2016/11/07,2016/11/15,,1\n"
        f"War and Peace,Leo Tolstoy,,{B_ISBN},paperback,to-read,2025/02/23,,,0",
    )
    run("import", str(path))
    assert slugs(books) == ["war-and-peace", "war-and-peace-original-version"]
    run("merge", "war-and-peace-original-version", "war-and-peace")
    before = snapshot(books)
    again = run("import", str(path)).stderr
    assert "0 added" in again and "may be the same book" not in again, again
    assert snapshot(books) == before


REAL = Path(os.environ.get("READLOG_TEST_IMPORTS", "/nonexistent"))
REAL_STORYGRAPH = REAL / "storygraph_tranguyeenn_optimization-books-engine.csv"


@pytest.mark.skipif(not REAL_STORYGRAPH.is_file(), reason="READLOG_TEST_IMPORTS (the real exports) not set")
def test_the_real_storygraph_export_after_the_merge_check_suggests(run, books, tmp_path):
    """22a's steps: its *War and Peace* merged into a hand-added edition of another title and ISBN; the
    export again adds nothing (and `--update` nothing either)."""
    run("add", A_TITLE, "-a", "Leo Tolstoy", "--isbn", A_ISBN, "--status", "read")
    run("import", str(REAL_STORYGRAPH))
    assert (books / "war-and-peace.toml").is_file()
    count = len(slugs(books))
    run("merge", "war-and-peace-original-version", "war-and-peace")
    for args in ((), ("--update",)):
        again = run("import", str(REAL_STORYGRAPH), *args).stderr
        assert "War and Peace: may be the same book" not in again, again
        assert " 0 added" in again, again
    assert len(slugs(books)) == count - 1 and not (books / "war-and-peace.toml").exists()
