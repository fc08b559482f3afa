"""The whole listing, newest first (`list` piped, no filter, no limit), is read from the index's `listing`
table, made by the first such `list` and kept in step with `books` by SQLite triggers (schema.listing_statements).
It must say exactly what the listing made from `books` says (a limited listing still makes it: `--limit`
larger than the journal), after every kind of change: a hand edit in place, a rename, a copy, a delete, a
new file, readlog's own writes, a rebuild in place; ties of day and title included, and books whose line
SQL cannot make (their values are read by rowid)."""

from __future__ import annotations

import os
import sqlite3
from datetime import date, timedelta
from pathlib import Path

from readlog import bookfile
from readlog.index.schema import index_path
from readlog.model import Book, Read

BIG = "100000"  # a limit larger than any journal here: the listing made from `books`, not the table


def _write(books: Path, slug: str, book: Book) -> None:
    books.mkdir(parents=True, exist_ok=True)
    (books / f"{slug}.toml").write_text(bookfile.dumps(book), encoding="utf-8")


def _book(n: int, title: str | None = None) -> Book:
    # Titles repeat and days repeat: many books tie on (activity, title), the order rowid decides.
    odd = n % 11 == 0  # a backslash in a name: no SQL line, the values read by rowid
    book = Book(
        title=title or f"Shared Title {n % 4}",
        authors=["Back\\slash Author" if odd else f"Author {n % 5}", "Second"] if n % 3 else [],
        status=["read", "want", "reading", "abandoned"][n % 4],
    )
    book.added = date(2023, 3, 1) + timedelta(days=n % 3)
    if book.status == "read":
        book.reads = [Read(started=book.added, finished=book.added + timedelta(days=2))]
    if n % 2:
        book.rating = (n % 20 + 1) / 4
    return book


def _listing_rows(home: Path) -> int | None:
    """How many rows the index's listing table holds (None: no table yet)."""
    db = sqlite3.connect(index_path(home))
    try:
        if db.execute("SELECT 1 FROM sqlite_master WHERE name = 'listing'").fetchone() is None:
            return None
        return db.execute("SELECT count(*) FROM listing").fetchone()[0]
    finally:
        db.close()


def _agrees(run, home: Path, count: int) -> str:
    whole = run("list").stdout
    assert _listing_rows(home) == count  # the table was read (and holds every book, no more)
    assert whole == run("list", "--limit", BIG).stdout
    assert len(whole.splitlines()) == count
    return whole


def test_the_listing_table_follows_every_change(run, books, journal_home):
    slugs = [f"book-{n:03d}" for n in range(120)]
    for n in (7, 3, 100, 42, 0, 99, 12, 64, 5, 77) + tuple(range(120)):  # some written (indexed) early
        if not (books / f"{slugs[n]}.toml").exists():
            _write(books, slugs[n], _book(n))
    assert run("list", "--limit", "5").stdout  # the index is made; a limited listing makes no table
    assert _listing_rows(journal_home) is None
    before = _agrees(run, journal_home, 120)

    # in place: a new title (another place in the listing), then the same size with the mtime put back
    path = books / "book-010.toml"
    path.write_text(path.read_text(encoding="utf-8").replace("Shared Title 2", "Aardvark Days"), "utf-8")
    path = books / "book-011.toml"
    stat = path.stat()
    path.write_text(path.read_text(encoding="utf-8").replace("Shared Title 3", "Shared Title 1"), "utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    after = _agrees(run, journal_home, 120)
    assert after != before and "book-010\tAardvark Days" in after

    (books / "book-020.toml").rename(books / "renamed-020.toml")  # a rename: another slug, a new row
    (books / "copy-of-021.toml").write_bytes((books / "book-021.toml").read_bytes())  # a tie with its twin
    (books / "book-022.toml").unlink()
    _write(books, "brand-new", _book(1000, title="Shared Title 1"))
    listed = _agrees(run, journal_home, 121)
    assert "renamed-020\t" in listed and "book-020\t" not in listed and "book-022\t" not in listed

    # readlog's own writes: a new book, a finish (a new day: to the top), a rating, a removal
    run("add", "Shared Title 0", "--author", "Author 0", "--status", "want", "--new")
    run("start", "book-033")
    run("finish", "book-033", "--rating", "4.5")
    run("rate", "book-034", "2.25")
    run("rm", "book-035", "--yes")
    listed = _agrees(run, journal_home, 121)
    assert {line.split("\t")[0] for line in listed.splitlines()[:2]} == {
        "shared-title-0",
        "book-033",
    }  # today

    run("reindex")  # a rebuild in place: the listing dropped first (no trigger per row), made again by `list`
    assert _listing_rows(journal_home) is None
    rebuilt = _agrees(run, journal_home, 121)  # tied books in the rebuild's row order (name order)
    assert sorted(rebuilt.splitlines()) == sorted(listed.splitlines())


def test_a_busy_index_lists_from_the_books_and_makes_the_table_later(run, books, journal_home):
    for n in range(30):
        _write(books, f"book-{n:03d}", _book(n))
    expected = run("list", "--limit", BIG).stdout
    other = sqlite3.connect(index_path(journal_home), isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")  # another readlog writing the index: no wait, no table
        assert run("list").stdout == expected
        assert _listing_rows(journal_home) is None
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert run("list").stdout == expected
    assert _listing_rows(journal_home) == 30


def test_the_triggers_keep_the_table_equal_to_books_under_random_changes():
    """The schema alone: random inserts, deletes and updates of `books` rows (no readlog code updates a
    row in place today; the update trigger is for whatever does), against the listing made from `books`."""
    import random

    from readlog.index import schema

    db = sqlite3.connect(":memory:", isolation_level=None)
    for statement in schema._tables()[0].split(";"):
        if statement.strip():
            db.execute(statement)
    columns = [row[1] for row in db.execute("PRAGMA table_info(books)")]
    made = f"SELECT {schema.list_line()}, rowid FROM books NOT INDEXED ORDER BY activity DESC, norm_title, rowid DESC"
    kept = f"SELECT line, rid FROM listing ORDER BY {schema.LISTING_ORDER}"
    rng = random.Random(5)

    def insert(n: int) -> None:
        values = dict.fromkeys(columns)
        values.update(
            slug=f"s{n}", title=f"T{n % 3}", authors=rng.choice(['["A", "B"]', "[]", '["C\\\\D"]']),
            status=rng.choice([None, "read"]), rating=rng.choice([None, 4.5, 1.3]),
            last_finished=rng.choice([None, "2024-01-02"]), norm_title=f"t{n % 3}", norm_authors="",
            reads="[]", picks="[]", tags="[]", activity=f"2024-01-0{n % 3}", read_only=0,
        )  # fmt: skip
        db.execute(f"INSERT INTO books VALUES ({','.join('?' * len(columns))})", [values[c] for c in columns])

    for statement in schema.listing_statements():
        db.execute(statement)
    for n in range(40):
        insert(n)
    for n in range(40, 400):
        action = rng.random()
        if action < 0.4:
            insert(n)
        elif action < 0.6:
            db.execute("DELETE FROM books WHERE rowid = (SELECT rowid FROM books ORDER BY random() LIMIT 1)")
        elif action < 0.8:
            db.execute(
                "UPDATE books SET activity = ?, norm_title = ?, title = ? "
                "WHERE rowid = (SELECT rowid FROM books ORDER BY random() LIMIT 1)",
                (f"2024-01-0{n % 4}", f"t{n % 2}", f"T{n % 2}"),
            )
        else:
            db.execute(
                "UPDATE books SET rating = ?, status = 'want' WHERE rowid = (SELECT rowid FROM books LIMIT 1)",
                (rng.choice([None, 2.75, 3.1]),),
            )
        assert db.execute(kept).fetchall() == db.execute(made).fetchall()
    assert db.execute("SELECT count(*) FROM listing").fetchone()[0] > 40
