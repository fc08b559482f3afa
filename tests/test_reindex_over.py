"""`readlog reindex` over an index that is there (the usual case: readlog has been used) leaves what a cold
build into an empty cache leaves, table by table, and writes it the same way (Store.start_over: the file made
a new, empty index in place, then a cold build), when no other readlog has the index open. With another
connection open, that one goes on reading the old index, whole, until the rebuild commits. Stopped part way,
it leaves an index the next command either uses or builds again: never one trusted half built.

The commands run as processes of their own, as a reader runs them: a command run in this process (CliRunner)
leaves its connection to the index open until the garbage collector finds it, and an open connection is
another readlog's for the rebuild."""

from __future__ import annotations

import gc
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from readlog.index import Index, index_path
from readlog.index.freshness import BIG_WRITE
from readlog.index.schema import leave_wal
from readlog.journal import BookLoader, Journal
from test_cold_build_rows import _journal
from test_cold_build_signals import _building, _dispositions, _whole
from test_cold_build_signals import _journal as _many_books

COUNT = BIG_WRITE + 100  # a cold build's way (BIG_WRITE files or more), parsed in this process


def _readlog(*args: str) -> str:
    """`readlog ARGS` in a process of its own; its stderr."""
    done = subprocess.run(
        [sys.executable, "-m", "readlog", *args],
        env=dict(os.environ),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stderr


def _every_table(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every table of the file, row for row in rowid order (the text tables' own shadow tables too, and
    `meta`), and the schema (sqlite_master, but for where each table starts in the file)."""
    db = sqlite3.connect(path)
    try:
        schema = db.execute(
            "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name"
        ).fetchall()
        found: dict[str, list[tuple[object, ...]]] = {"sqlite_master": schema}
        for kind, name, _, sql in schema:
            if kind != "table" or (sql or "").startswith("CREATE VIRTUAL"):
                continue  # (an FTS5 table is read through its shadow tables, which are listed too)
            rowid = "WITHOUT ROWID" not in (sql or "")
            query = f'SELECT rowid, * FROM "{name}" ORDER BY rowid' if rowid else f'SELECT * FROM "{name}"'
            found[name] = db.execute(query).fetchall()
        return found
    finally:
        db.close()


def _used() -> None:
    """What using readlog leaves in an index beyond a build's rows: the listing kept by the first whole
    `list` piped, kept figures and searches in `meta`, the ranked want list."""
    for args in (["list"], ["stats"], ["search", "lantern"], ["next", "--suggest"]):
        _readlog(*args)


@pytest.mark.parametrize("count", [COUNT, 5])
@pytest.mark.parametrize("other", [False, True], ids=["alone", "another-connection-open"])
def test_a_reindex_over_a_used_index_leaves_what_a_cold_build_leaves(books, journal_home, count, other):
    """Alone, from a new, empty index (start_over); with another connection open, emptied in the rebuild's
    transaction: either way, every table as the cold build left it, and what using it kept gone."""
    _journal(books, count)
    path = index_path(journal_home)
    _readlog("reindex")  # into an empty cache: the cold build
    cold = _every_table(path)
    _used()
    used = _every_table(path)
    assert "listing" in used and used["meta"] != cold["meta"] and used["suggestions"]  # not hollow
    reader = sqlite3.connect(path) if other else None
    if reader is not None:  # (a connection opens the file at its first statement)
        assert reader.execute("SELECT count(*) FROM books").fetchone()[0] == count
    try:
        out = _readlog("reindex")
    finally:
        if reader is not None:
            reader.close()
    assert f"Indexed {count + 3} book files" in out
    again = _every_table(path)
    assert again.keys() == cold.keys()
    for name in cold:
        assert again[name] == cold[name], name
    assert len(cold["books"]) == count and len(cold["files"]) == count + 3
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    db.close()
    assert not list(path.parent.glob("*-journal"))


def test_alone_the_rebuild_starts_from_a_new_empty_index_in_the_same_file(books, journal_home):
    """The file made a new, small index first (the old pages cut off), then written as a cold build writes
    it: no bigger after the rebuild over it than after the cold build, and the same file."""
    _journal(books, COUNT)
    path = index_path(journal_home)
    _readlog("reindex")
    cold = path.stat().st_size
    inode = path.stat().st_ino
    _used()
    _readlog("reindex")
    assert path.stat().st_size <= cold
    assert path.stat().st_ino == inode  # never deleted or replaced under another reader


def test_another_connection_reads_the_old_index_whole_until_the_rebuild_commits(books, journal_home):
    _journal(books, COUNT)
    _readlog("reindex")
    path = index_path(journal_home)
    reader = sqlite3.connect(path, isolation_level=None)  # another readlog's, open (not in a transaction)
    assert reader.execute("SELECT count(*) FROM books").fetchone()[0] == COUNT
    (books / "book-00007.toml").unlink()  # the rebuild has one book fewer to find
    seen: list[tuple[int, int, str]] = []

    def midway(done: int, total: int) -> None:
        if not seen and done >= total // 2:
            books_now = reader.execute("SELECT count(*) FROM books").fetchone()[0]
            files_now = reader.execute("SELECT count(*) FROM files").fetchone()[0]
            mode = reader.execute("PRAGMA journal_mode").fetchone()[0]
            seen.append((books_now, files_now, mode))

    assert Journal(journal_home).rebuild_index(midway) == COUNT + 2
    assert seen == [(COUNT, COUNT + 3, "wal")]  # the old index, whole, while the rebuild wrote
    assert reader.execute("SELECT count(*) FROM books").fetchone()[0] == COUNT - 1  # then the new one
    assert not reader.execute("SELECT 1 FROM books WHERE slug = 'book-00007'").fetchall()
    assert reader.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    reader.close()


class _Stop(Exception):
    pass


def test_a_reindex_stopped_part_way_leaves_an_index_the_next_command_builds_again(books, journal_home):
    _journal(books, COUNT)
    path = index_path(journal_home)
    _readlog("reindex")
    cold = _every_table(path)
    _used()
    gc.collect()  # (no connection of this process's left open: the rebuild has the index to itself)

    def stop(done: int, total: int) -> None:
        if done >= total // 2:
            raise _Stop

    with pytest.raises(_Stop):
        Journal(journal_home).rebuild_index(stop)
    gc.collect()
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("SELECT count(*) FROM books").fetchone()[0] == 0  # the new, empty index: never half
    assert db.execute("SELECT count(*) FROM meta WHERE key = 'fingerprint'").fetchone()[0] == 0
    db.close()
    assert not list(path.parent.glob("*-journal"))
    _readlog("list", "--limit", "1")  # the next command builds it again, from every file
    assert _every_table(path)["books"] == cold["books"]
    assert f"Indexed {COUNT + 3} book files" in _readlog("reindex")


def test_a_start_over_that_cannot_have_the_lock_stops_instead_of_waiting_for_ever(books, journal_home):
    """Another readlog begins writing between the moment the rebuild finds the index free and its backup (a
    rollback journal by then): the backup waits as any write does, then stops with "database is locked"
    (the rebuild then works from the files in memory, as when the lock cannot be had), where Python's
    backup would try again for ever. The other's transaction and the index are left as they were."""
    _journal(books, 5)
    _readlog("reindex")
    path = index_path(journal_home)
    free, locked = threading.Event(), threading.Event()
    outcome: list[object] = []

    def rebuild() -> None:  # (in a thread: the test goes on if it waits for ever)
        index = Index(books, BookLoader(journal_home), path)
        index.busy_seconds = 0.2
        try:
            assert leave_wal(
                index.db, index.busy_seconds
            )  # the rebuild found it free: a rollback journal now
            free.set()
            locked.wait(30)
            outcome.append(index.start_over())
        except BaseException as error:  # noqa: BLE001 - handed to the test
            outcome.append(error)
        finally:
            free.set()
            outcome.append(index.db.execute("SELECT count(*) FROM books").fetchone()[0])
            index.close()

    worker = threading.Thread(target=rebuild, daemon=True)
    worker.start()
    assert free.wait(30)
    other = sqlite3.connect(path, isolation_level=None, timeout=0)
    other.execute("BEGIN IMMEDIATE")
    other.execute("DELETE FROM suggestions")
    locked.set()
    worker.join(timeout=30)
    alive = worker.is_alive()
    other.execute("COMMIT")
    other.close()
    worker.join(timeout=30)
    assert not alive, "the backup waited for the lock for ever"
    error, left = outcome
    assert isinstance(error, sqlite3.OperationalError) and "locked" in str(error)
    assert left == 5  # the index as it was


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
@pytest.mark.parametrize("how", [signal.SIGINT, signal.SIGKILL])
def test_a_reindex_over_an_index_stopped_by_a_signal_leaves_one_the_next_command_answers_from(
    run, journal_home, how
):
    """Ctrl-C, or a kill no handler sees, while the rebuild writes the new index (its transaction under way,
    its workers parsing): the next command answers from every file."""
    _many_books(journal_home / "books")
    _readlog("reindex")
    _used()
    cache = index_path(journal_home).parent
    process = subprocess.Popen(
        [sys.executable, "-m", "readlog", "reindex"],
        env=dict(os.environ),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        preexec_fn=_dispositions,  # noqa: PLW1509 - POSIX only (skipped on Windows), no threads
    )
    until = time.monotonic() + 120
    while not _building(process.pid, cache):
        assert process.poll() is None, "the rebuild ended before it could be stopped"
        assert time.monotonic() < until, "no rebuild seen under way"
        time.sleep(0.002)
    process.send_signal(how)
    _, err = process.communicate(timeout=120)
    assert process.returncode != 0, err
    _whole(run)
    assert not [p for p in cache.iterdir() if p.name.endswith("-journal")]
