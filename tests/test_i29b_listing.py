"""A cold write (an import into an empty journal, a cold build of an index that holds no file) into an index
that keeps the listing table already (a whole `list` of the empty journal made it) drops the listing and its
triggers, and makes them again from `books` once the rows are in (Freshness._empty), rather than paying a
trigger per book. What it must keep: the listing there, saying what the listing made from `books` says,
and kept in step by its triggers afterwards."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from readlog import importers
from readlog.index import BIG_WRITE
from readlog.index.schema import LISTING_TRIGGERS, index_path
from readlog.journal import Journal
from test_import_index_thread import _export
from test_listing_table import BIG, _book, _listing_rows, _write


def _triggers(home: Path) -> list[str]:
    db = sqlite3.connect(index_path(home))
    try:
        return sorted(n for (n,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'"))
    finally:
        db.close()


def _agrees(run, home: Path, count: int) -> None:
    Journal(home).fresh_index()  # the sync (a cold one first), without a `list`, which would make it
    assert _listing_rows(home) == count
    assert _triggers(home) == sorted(LISTING_TRIGGERS)
    whole = run("list").stdout
    assert _listing_rows(home) == count  # the kept table was read, and holds every book
    assert whole == run("list", "--limit", BIG).stdout  # (made from `books`)
    assert len(whole.splitlines()) == count
    assert _triggers(home) == sorted(LISTING_TRIGGERS)


def test_a_cold_build_into_an_index_with_a_listing_makes_it_again(run, journal_home):
    journal_home.mkdir()  # an empty journal (a missing folder makes no index: session 21)
    assert run("list").stdout == ""
    assert _listing_rows(journal_home) == 0  # kept, for an empty journal
    books = journal_home / "books"
    count = BIG_WRITE + 40  # files come from elsewhere (a git pull): the sync is a cold build
    for n in range(count):
        _write(books, f"book-{n:04d}", _book(n))
    _agrees(run, journal_home, count)
    _write(books, "one-more", _book(7, title="One More Book"))  # the triggers keep it in step after
    _agrees(run, journal_home, count + 1)


def test_an_import_into_an_empty_journal_with_a_listing_makes_it_again(run, journal_home, tmp_path):
    journal_home.mkdir()  # an empty journal (a missing folder makes no index: session 21)
    assert run("list").stdout == ""
    rows = importers.INDEX_AT_END_FROM + 30  # recorded at the end, the cold way
    result = run("import", str(_export(tmp_path / "export.csv", rows)))
    assert result.exit_code == 0, result.output
    assert _listing_rows(journal_home) == rows  # (made again by the import)
    _agrees(run, journal_home, rows)
    _write(journal_home / "books", "lantern-1-of-the-quay", _book(3, title="Edited By Hand"))
    _agrees(run, journal_home, rows)


def test_a_rebuild_in_place_that_finds_the_listing_still_there_makes_it_again(run, journal_home):
    """A rebuild over the old rows (another readlog has the index open) whose listing could not be dropped
    first (Queries.forget_listing: another readlog writing just then) empties `books` with the listing gone
    and makes it again at its end: no trigger per row deleted or written, the same listing."""
    from readlog.index.freshness import Freshness

    books = journal_home / "books"
    count = BIG_WRITE + 10
    for n in range(count):
        _write(books, f"book-{n:04d}", _book(n))
    before = run("list").stdout  # (the listing made, of every book)
    assert _listing_rows(journal_home) == count
    reader = sqlite3.connect(index_path(journal_home))  # the other readlog: the rebuild is in place
    try:
        reader.execute("SELECT count(*) FROM books").fetchone()
        index = Journal(journal_home).index()
        assert Freshness.rebuild(index).parsed == count  # (without Queries.rebuild's forget_listing)
        assert _listing_rows(journal_home) == count
        assert _triggers(journal_home) == sorted(LISTING_TRIGGERS)
    finally:
        reader.close()
    assert run("list").stdout == before
    _agrees(run, journal_home, count)
