"""The index's write side made cheaper (issue 25, goal 3) with the same rows: a new index file gets the page
size readlog asks for (schema.PAGE_SIZE), and so does an old one that `reindex` starts over, with every
table as a cold build leaves it; None is bound as NULL through the adapter readlog registers for it, with no
Python call for each value (t28b)."""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

from readlog.index import index_path
from readlog.index.schema import PAGE_SIZE, Store
from readlog.journal import BookLoader, Journal
from test_cold_build_rows import _journal
from test_reindex_over import COUNT, _every_table, _readlog


def _page_size(path: Path) -> int:
    db = sqlite3.connect(path)
    try:
        return int(db.execute("PRAGMA page_size").fetchone()[0])
    finally:
        db.close()


def test_a_new_index_file_has_readlogs_page_size(books, journal_home):
    assert PAGE_SIZE != 4096  # (SQLite's default: else this would prove nothing)
    _journal(books, 5)
    _readlog("list")  # the first command: its index file is new (no `reindex`, which starts one over)
    assert _page_size(index_path(journal_home)) == PAGE_SIZE


def test_reindex_gives_an_index_of_another_page_size_readlogs_and_the_same_rows(books, journal_home):
    """An index made before (SQLite's 4096) keeps its page size while it is used; `reindex` starts it over
    (Store.start_over) with PAGE_SIZE, and every table is the one a cold build into an empty cache makes."""
    _journal(books, COUNT)
    path = index_path(journal_home)
    _readlog("reindex")
    cold = _every_table(path)
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode = DELETE")
    db.execute("PRAGMA page_size = 4096")
    db.execute("VACUUM")
    db.execute("PRAGMA journal_mode = WAL")
    db.close()
    assert _page_size(path) == 4096
    _readlog("search", "lantern")  # used as it is
    assert _page_size(path) == 4096
    _readlog("reindex")
    assert _page_size(path) == PAGE_SIZE
    again = _every_table(path)
    assert again.keys() == cold.keys()
    for name in cold:
        assert again[name] == cold[name], name
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    db.close()


def test_none_is_bound_as_null(books, journal_home):
    """Books with no rating (every one but each third), no series, no reading: NULL in their columns, never
    a value the adapter for None made up; and the adapter is there."""
    _journal(books, 6)
    Journal(journal_home).rebuild_index()
    assert (type(None), sqlite3.PrepareProtocol) in sqlite3.adapters
    db = sqlite3.connect(index_path(journal_home))
    try:
        kinds = dict(db.execute("SELECT slug, typeof(rating) FROM books WHERE slug LIKE 'book-%'"))
        assert kinds == {f"book-{n:05d}": "null" if n % 3 else "integer" for n in range(6)} or kinds == {
            f"book-{n:05d}": "null" if n % 3 else "real" for n in range(6)
        }
        assert {kind for (kind,) in db.execute("SELECT DISTINCT typeof(series) FROM books")} == {"null"}
        assert {kind for (kind,) in db.execute("SELECT DISTINCT typeof(finished) FROM book_reads")} == {
            "text"
        }
        assert {kind for (kind,) in db.execute("SELECT DISTINCT typeof(stopped) FROM book_reads")} == {"null"}
        assert db.execute("SELECT count(*) FROM files WHERE error IS NULL").fetchone()[0] == 6
    finally:
        db.close()


def test_none_is_bound_with_no_python_call_for_each_value(tmp_path):
    """An import binds some 60,000 Nones: the adapter readlog registers for None is called for each, and a
    Python function made a frame each time (14 M of the recorder's 3,750 M instructions). Bound through readlog's
    own connection, a hundred rows of None call no Python code, and are NULL."""
    db = Store(tmp_path, BookLoader(tmp_path), None).db  # (in memory, opened as readlog opens its index)
    db.execute("CREATE TABLE t (a, b)")
    rows = [(None, n) for n in range(100)]
    calls: list[str] = []

    def profile(frame, event, arg):  # type: ignore[no-untyped-def]
        if event == "call":
            calls.append(frame.f_code.co_name)

    sys.setprofile(profile)
    try:
        db.executemany("INSERT INTO t VALUES (?, ?)", rows)
    finally:
        sys.setprofile(None)
    assert calls == []
    assert db.execute("SELECT count(*), count(DISTINCT typeof(a)), max(typeof(a)) FROM t").fetchone() == (
        100,
        1,
        "null",
    )
