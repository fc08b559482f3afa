"""An import into an empty journal records its books in the index at its end, the way a cold build writes
an empty index (importers._Recorder, Freshness.record `cold`, issue 25): one transaction in a rollback
journal, the tables' secondary indexes dropped and made once. What it must leave: the index in WAL mode
with every index of its schema, no journal file, the rows a rebuild from the files makes; held books
recorded in several goes when there are many; and never the cold way into an index that already lists a
file (a broken one: emptying the tables would forget it)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from readlog import importers
from readlog.journal import Journal
from test_import_index_thread import _export, _import, _tables


def _index(cache: Path) -> Path:
    [path] = cache.glob("index-*.sqlite3")
    return path


def _schema(cache: Path) -> tuple[str, list[tuple[str, str, str]]]:
    db = sqlite3.connect(_index(cache))
    try:
        mode = db.execute("PRAGMA journal_mode").fetchone()[0]
        made = db.execute("SELECT type, name, sql FROM sqlite_master ORDER BY type, name").fetchall()
        return mode, made
    finally:
        db.close()


def test_the_cold_record_leaves_the_wal_and_every_index_of_the_schema(journal_home, tmp_path):
    cache = tmp_path / "cache"
    journal, loader = _import(
        journal_home, _export(tmp_path / "export.csv", importers.INDEX_AT_END_FROM + 20)
    )
    mode, schema = _schema(cache)
    assert mode == "wal"
    assert not list(cache.glob("*-journal"))  # the rollback journal is gone with its transaction
    indexes = [name for kind, name, _ in schema if kind == "index" and not name.startswith("sqlite_")]
    assert "book_keys_key" in indexes and "books_norm_title" in indexes
    journal.fresh_index()
    assert loader.parsed == []
    recorded = _tables(cache)
    journal.rebuild_index()  # made from the files: the same schema, the same rows
    assert _schema(cache) == (mode, schema)
    assert _tables(cache) == recorded
    # The indexes are there, and used: a lookup by key answers from the import's own rows.
    assert journal.index().slug_for_key("goodreads:5007") is not None


def test_the_recorder_makes_the_indexes_before_the_last_books_and_the_index_is_the_same(
    journal_home, tmp_path, monkeypatch
):
    """_Recorder.index_soon: with the import's last rows still to match, the recorder makes the secondary
    indexes from the books it holds, and writes the last ones with them: the same rows, the same schema."""
    from readlog.index import book_rows
    from readlog.index.rows import pack_rows

    asked: list[int] = []
    index_soon = importers._Recorder.index_soon
    monkeypatch.setattr(importers, "INDEX_SOON_ROWS", 300)
    monkeypatch.setattr(importers._Recorder, "index_soon", lambda self: asked.append(1) or index_soon(self))
    cache = tmp_path / "cache"
    journal, _ = _import(journal_home, _export(tmp_path / "export.csv", importers.INDEX_AT_END_FROM + 200))
    assert asked == [1]  # once, 300 rows before the end
    # The recorder's steps, here: the first books, the indexes, the last books, the end.
    books = journal_home / "books"
    written = [
        (slug, str(books / f"{slug}.toml"), pack_rows(book_rows(journal.load(slug).book, False)))
        for slug in journal.slugs()
    ]
    again = tmp_path / "again"
    again.mkdir()
    monkeypatch.setattr(importers, "_recording", None)
    importers._record_open(str(books), str(again / "index-again.sqlite3"))
    importers._record_take(written[:700])
    importers._record_index_now()
    state = importers._recording
    assert state is not None and state.go is not None  # (within the go's one transaction)
    made = {n for (n,) in state.index.db.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert {"book_keys_key", "books_norm_title"} <= made
    importers._record_take(written[700:])
    importers._record_end()
    state.index.close()
    assert _tables(again) == _tables(cache)
    assert _schema(again) == _schema(cache)


def test_many_held_books_are_recorded_in_several_goes(journal_home, tmp_path, monkeypatch):
    monkeypatch.setattr(importers, "HELD_FOR_INDEX", 500)  # the first go cold, the next ones not
    cache = tmp_path / "cache"
    # (fewer rows than a sync parses in worker processes: a book left out would be counted as parsed)
    journal, loader = _import(journal_home, _export(tmp_path / "export.csv", 1600))
    assert len(journal.slugs()) == 1600
    journal.fresh_index()
    assert loader.parsed == []  # every book recorded: the goes past the first, and the last few
    recorded = _tables(cache)
    assert len(recorded["books"]) == 1600
    journal.rebuild_index()
    assert _tables(cache) == recorded


def test_an_index_that_lists_a_broken_file_is_not_recorded_into_the_cold_way(
    journal_home, tmp_path, monkeypatch
):
    # (An import refuses beside a file that does not parse, test_t21e_unreadable: this asks what the index
    # would do with one that got past.)
    monkeypatch.setattr(importers, "refuse_unreadable", lambda journal: None)
    books = journal_home / "books"
    books.mkdir(parents=True)
    (books / "torn-page.toml").write_text('title = "Torn Page"\nrating = \n', encoding="utf-8")
    first = Journal(journal_home)
    assert [Path(p.path).stem for p in first.fresh_index().problems()] == ["torn-page"]  # listed, no book
    first.fresh_index().close()
    cache = tmp_path / "cache"
    journal, loader = _import(
        journal_home, _export(tmp_path / "export.csv", importers.INDEX_AT_END_FROM + 20)
    )
    index = journal.fresh_index()
    assert loader.parsed == []
    assert [Path(p.path).stem for p in index.problems()] == ["torn-page"]  # not forgotten
    recorded = _tables(cache)
    assert len(recorded["books"]) == importers.INDEX_AT_END_FROM + 20
    journal.rebuild_index()
    assert _tables(cache) == recorded


@pytest.mark.parametrize("rows", [importers.INDEX_AT_END_FROM])
def test_the_rows_are_the_same_as_batch_by_batch(rows, tmp_path, monkeypatch):
    """The same export into two empty journals: recorded at the end, and (above the threshold) batch by
    batch as it lands: every table equal, the parts' rowids (the order books were written in) included."""
    found = []
    for name, threshold in (("end", rows), ("batches", rows + 1)):
        home, cache = tmp_path / name / "journal", tmp_path / name / "cache"
        monkeypatch.setenv("READLOG_HOME", str(home))
        monkeypatch.setenv("READLOG_CACHE", str(cache))
        monkeypatch.setattr(importers, "INDEX_AT_END_FROM", threshold)
        _, loader = _import(home, _export(tmp_path / "export.csv", rows))
        assert loader.parsed == []
        db = sqlite3.connect(_index(cache))
        try:
            found.append({
                table: db.execute(f"SELECT rowid, * FROM {table} ORDER BY rowid").fetchall()
                for table in ("books", "book_keys", "book_names", "book_reads", "parts")
            } | {"files": db.execute("SELECT slug, first_part, last_part FROM files").fetchall()})  # fmt: skip
        finally:
            db.close()
    assert found[0] == found[1]
    assert len(found[0]["books"]) == rows
