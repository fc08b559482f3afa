"""An import into an empty journal records its landed books in the index at its end, in one go
(importers._Recorder, issue 25; once by a thread of its own, batch by batch): the index it leaves is the
one a cold build makes from the files, every book of it recorded by the import itself (the sync after it
parses nothing), the last batch too; a journal that already holds books, and a small import, keep
recording batch by batch as before."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from readlog.importers import INDEX_AT_END_FROM, run_import
from readlog.index.life import open_cache
from readlog.journal import BookLoader, Journal
from test_import_export import GR_HEADER, gr_row, write_csv


class Counting(BookLoader):
    """The journal's own loader, counting the files the index had to parse."""

    def __init__(self, root: Path):
        super().__init__(root)
        self.parsed: list[str] = []

    def __call__(self, slug: str):  # type: ignore[no-untyped-def]
        self.parsed.append(slug)
        return super().__call__(slug)


def _export(path: Path, rows: int) -> Path:
    out = [
        gr_row(**{
            "Book Id": str(5000 + n), "Title": f"Lantern {n} of the Quay", "Author": f"Writer {n % 97}",
            "My Rating": str(n % 6), "Date Read": f"2021/03/{n % 28 + 1:02d}" if n % 3 else "",
            "Exclusive Shelf": "read" if n % 3 else "to-read",
            "My Review": f"Heron{n}word appears once.<br/>Second line {n}." if n % 2 else "",
        })
        for n in range(rows)
    ]  # fmt: skip
    return write_csv(path, GR_HEADER, out)


def _tables(cache: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row the index holds (a file's stamp aside: its times and inode are the file system's)."""
    [path] = cache.glob("index-*.sqlite3")
    db = sqlite3.connect(path)
    try:
        names = [
            n for (n,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            if not n.startswith(("sqlite_", "parts_", "cjk_")) and n != "meta"
        ]  # fmt: skip
        found = {}
        for name in names:
            query = {  # (a part's rowid follows the order books were written in: the import's, or the slugs')
                "files": "SELECT slug, size, error FROM files",
                "parts": "SELECT f.slug, p.slug, p.part, p.body FROM files f "
                "JOIN parts p ON p.rowid BETWEEN f.first_part AND f.last_part",
            }.get(name, f"SELECT * FROM {name}")
            found[name] = sorted(db.execute(query).fetchall(), key=repr)
        found["hits"] = sorted(db.execute("SELECT slug FROM parts WHERE parts MATCH 'heron1201word'"))
        return found
    finally:
        db.close()


def _import(home: Path, export: Path) -> tuple[Journal, Counting]:
    loader = Counting(home)
    journal = Journal(home, cache=open_cache(home, loader))
    report = run_import(journal, export)
    assert not report.rejected
    return journal, loader


@pytest.mark.parametrize("rows", [INDEX_AT_END_FROM + 301, INDEX_AT_END_FROM - 1])
def test_the_index_an_import_leaves_is_the_cold_builds_and_nothing_is_parsed_again(
    rows, journal_home, tmp_path
):
    export = _export(tmp_path / "export.csv", rows)
    journal, loader = _import(journal_home, export)
    assert len(journal.slugs()) == rows
    journal.fresh_index()  # what the next command does first
    assert loader.parsed == []  # every book recorded by the import, the last batch's too
    recorded = _tables(tmp_path / "cache")
    assert len(recorded["books"]) == rows
    journal.rebuild_index()
    assert _tables(tmp_path / "cache") == recorded
    if rows > 1201:
        assert len(recorded["hits"]) == 1


def test_a_journal_with_books_already_is_matched_and_indexed_as_before(journal_home, tmp_path):
    first = _export(tmp_path / "first.csv", 3)
    _import(journal_home, first)
    journal, loader = _import(journal_home, _export(tmp_path / "export.csv", INDEX_AT_END_FROM + 50))
    journal.fresh_index()
    assert loader.parsed == []
    recorded = _tables(tmp_path / "cache")
    journal.rebuild_index()
    assert _tables(tmp_path / "cache") == recorded
    assert len(recorded["books"]) == INDEX_AT_END_FROM + 50


def test_an_import_stopped_by_sigterm_leaves_an_index_that_follows_the_files(journal_home, tmp_path):
    export = _export(tmp_path / "export.csv", 4000)
    env = {**os.environ}
    process = subprocess.Popen(
        [sys.executable, "-m", "readlog", "import", str(export)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    books = journal_home / "books"
    deadline = time.monotonic() + 60
    while not (books.is_dir() and len([p for p in books.iterdir() if not p.name.startswith(".")]) >= 500):
        assert process.poll() is None, process.stderr.read() if process.stderr else ""
        assert time.monotonic() < deadline
        time.sleep(0.005)
    process.send_signal(signal.SIGTERM)
    assert process.wait(60) != 0
    on_disk = sorted(p.stem for p in books.glob("*.toml"))
    assert 500 <= len(on_disk) < 4000
    journal = Journal(journal_home)
    index = journal.fresh_index()
    assert sorted(s.slug for s in index.entries()) == on_disk
    recorded = _tables(tmp_path / "cache")
    journal.rebuild_index()
    assert _tables(tmp_path / "cache") == recorded
