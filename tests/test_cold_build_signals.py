"""A cold build runs with a rollback journal (index.freshness `_cold_build`). Stopped part way, by a signal
it can catch or by SIGKILL, it must leave no index that is trusted half built, and a catchable signal must
leave no journal file behind: the next command answers from every file."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from readlog.index import PARALLEL_FROM

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
COUNT = 3 * PARALLEL_FROM


def _journal(books: Path) -> None:
    books.mkdir(parents=True)
    for n in range(COUNT):
        review = f'\n[review]\nbody = "The quarry {n} and the long road after it, page by page."\n' * (n % 2)
        (books / f"book-{n:05d}.toml").write_text(
            f'title = "Quarry Notes {n}"\nauthors = ["Writer {n % 13}"]\nstatus = "read"\n{review}'
        )


def _dispositions(ignored: tuple[signal.Signals, ...] = ()) -> None:
    """In the child, before readlog starts: SIGINT, SIGHUP and SIGTERM as a terminal gives them, whatever
    the test run inherited (`nohup` ignores SIGHUP, a shell's `&` SIGINT), then `ignored` ignored."""
    for s in (signal.SIGINT, signal.SIGHUP, signal.SIGTERM):
        signal.signal(s, signal.SIG_IGN if s in ignored else signal.SIG_DFL)


def _children() -> dict[int, list[int]]:
    """Every process's children, by parent id (from /proc, or `ps` where there is none)."""
    found: dict[int, list[int]] = {}
    if Path("/proc/self/stat").exists():
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                text = stat.read_text()
            except OSError:  # ended while we looked
                continue
            # "pid (command) state ppid ...": the command may hold spaces and parentheses
            parent = int(text[text.rindex(")") + 2 :].split()[1])
            found.setdefault(parent, []).append(int(text.split(maxsplit=1)[0]))
    else:
        listed = subprocess.run(["ps", "-A", "-o", "pid=,ppid="], capture_output=True, text=True, check=True)
        for line in listed.stdout.splitlines():
            pid, parent = (int(word) for word in line.split())
            found.setdefault(parent, []).append(pid)
    return found


def _building(pid: int, cache: Path) -> bool:
    """Whether the cold build's own transaction is under way in process `pid`: its rollback journal is there
    and its parsing workers are running. A cold build starts its worker processes (children of readlog's
    fork server, itself a child of `pid`) only once its transaction has begun, and stops them before it
    ends. A -journal file alone is no such sign: leaving the WAL for the build writes the file's header in
    a short transaction of its own, with a journal, before the build's begins."""
    if not any(p.name.endswith("-journal") for p in cache.glob("*")):
        return False
    children = _children()
    return any(children.get(server) for server in children.get(pid, []))


def _stop_midway(how: signal.Signals, ignored: tuple[signal.Signals, ...] = ()) -> int:
    """A cold build started by a plain command, sent `how` once its own transaction is under way."""
    cache = Path(os.environ["READLOG_CACHE"])
    temp = cache.parent / "tmp"  # (its fork server's folder, which a readlog killed outright leaves)
    temp.mkdir(exist_ok=True)
    process = subprocess.Popen(
        [sys.executable, "-m", "readlog", "list", "--limit", "1"],
        env={**os.environ, "TMPDIR": str(temp)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        preexec_fn=lambda: _dispositions(ignored),  # noqa: PLW1509 - POSIX only (skipped on Windows), no threads
    )
    until = time.monotonic() + 120
    while not _building(process.pid, cache):
        assert process.poll() is None, "the build ended before it could be stopped"
        assert time.monotonic() < until, "no cold build seen under way"
        time.sleep(0.002)
    process.send_signal(how)
    _, err = process.communicate(timeout=120)
    print(err.decode(errors="replace"))  # shown when the test fails
    return process.returncode


def _whole(run) -> None:
    listed = json.loads(run("list", "--json").stdout)
    assert len(listed) == COUNT
    assert "Quarry Notes 4321" in run("search", "4321").stdout


@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT])
def test_a_caught_signal_rolls_the_cold_build_back_and_leaves_no_journal(run, books, journal_home, how):
    _journal(books)
    code = _stop_midway(how)
    if how == signal.SIGINT:
        assert code != 0
    else:
        assert code == -how  # ended by the signal itself, as without readlog's handler
    cache = Path(os.environ["READLOG_CACHE"])
    left = sorted(p.name for p in cache.iterdir())
    assert not [name for name in left if name.endswith("-journal")], left
    _whole(run)


def test_under_nohup_sigterm_still_rolls_the_cold_build_back(run, books, journal_home):
    """SIGHUP ignored (`nohup readlog reindex &`) and left ignored; SIGTERM is still caught and rolled back."""
    _journal(books)
    assert _stop_midway(signal.SIGTERM, ignored=(signal.SIGHUP,)) == -signal.SIGTERM
    cache = Path(os.environ["READLOG_CACHE"])
    left = sorted(p.name for p in cache.iterdir())
    assert not [name for name in left if name.endswith("-journal")], left
    _whole(run)


def test_a_killed_cold_build_is_rolled_back_by_the_next_command(run, books, journal_home):
    _journal(books)
    assert _stop_midway(signal.SIGKILL) == -signal.SIGKILL
    cache = Path(os.environ["READLOG_CACHE"])
    assert [p for p in cache.iterdir() if p.name.endswith("-journal")]  # hot: the next opener rolls back
    _whole(run)
    assert not [p for p in cache.iterdir() if p.name.endswith("-journal")]
