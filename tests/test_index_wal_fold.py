"""The index's write-ahead log stays small across many commands. readlog ends without closing its SQLite
connection, so SQLite never folds the log back on its own; each process that opens the index reads the whole
log again, and before readlog folded it (index.life.WAL_FOLD) every write by title grew it for good (a
reader of a year of daily writes: a log of 100+ MB read by every command)."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

from conftest import REPO
from readlog.index.life import WAL_FOLD


def readlog(*args: str) -> subprocess.CompletedProcess[str]:
    """One whole readlog process (it ends the way readlog ends: its connection never closed)."""
    return subprocess.run(
        [sys.executable, "-m", "readlog", *args], capture_output=True, text=True, timeout=120, check=False
    )


def _wal(tmp_path: Path) -> int:
    logs = list((tmp_path / "cache").glob("*.sqlite3-wal"))
    return logs[0].stat().st_size if logs else 0


def test_writes_by_title_leave_no_growing_log(journal_home, tmp_path):
    shutil.copytree(REPO / "examples" / "journal", journal_home)
    assert readlog("list").returncode == 0  # the index built
    sizes = []
    for n in range(14):  # each adds 150-250 KB of log here: well past WAL_FOLD without folding
        done = readlog("reflect", "Never Let Me Go", f"thought number {n}")
        assert done.returncode == 0, done.stderr
        sizes.append(_wal(tmp_path))
    most = max(b - a for a, b in zip(sizes, sizes[1:], strict=False) if b > a)  # one write's log
    assert max(sizes) <= WAL_FOLD + most, sizes
    assert min(sizes[5:]) < WAL_FOLD, sizes  # (folded: the writes did grow it)
    found = readlog("search", "thought number 13")
    assert "never-let-me-go" in found.stdout or "Never Let Me Go" in found.stdout, found
    shown = readlog("show", "never-let-me-go")
    assert all(f"thought number {n}" in shown.stdout for n in range(14))


def test_a_reader_holding_the_log_is_never_waited_for(journal_home, tmp_path):
    """Emptying the log waits for every reader; another readlog reading the index at that moment must not
    hold up a write (it would wait the busy timeout, 5 s): the fold is left to a later command."""
    shutil.copytree(REPO / "examples" / "journal", journal_home)
    assert readlog("list").returncode == 0
    for n in range(8):
        assert readlog("reflect", "Never Let Me Go", f"early thought {n}").returncode == 0
        if _wal(tmp_path) > WAL_FOLD * 3 // 4:
            break
    index = next((tmp_path / "cache").glob("*.sqlite3"))
    reader = sqlite3.connect(index, isolation_level=None)
    try:
        reader.execute("BEGIN")
        reader.execute("SELECT count(*) FROM books").fetchone()  # a read transaction on the log, held
        before = os.times().elapsed
        for n in range(4):
            done = readlog("reflect", "Never Let Me Go", f"while reading {n}")
            assert done.returncode == 0, done.stderr
        assert _wal(tmp_path) > WAL_FOLD  # not emptied while the reader holds it...
        assert os.times().elapsed - before < 4 * 5.0  # ...and no write waited the busy timeout for it
    finally:
        reader.execute("COMMIT")
        reader.close()
    assert readlog("reflect", "Never Let Me Go", "after the reader").returncode == 0
    assert _wal(tmp_path) < WAL_FOLD  # the next write folds it
