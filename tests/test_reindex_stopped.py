"""`readlog reindex` stopped by SIGTERM or SIGHUP said nothing (an import and a site build say one line,
`readlog: ... stopped (SIGTERM): ...`): it says where things stand in one line, ends by the signal as they
do, leaves nothing half-written (the rebuild's transaction rolled back, no journal file) and no workers' temp
folder; a signal between the workers' start and the cold build's own handler left `$TMPDIR/readlog-PID`."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from test_cold_build_signals import _building, _children, _dispositions, _journal, _whole
from test_pool_temp_dir import _left

pytestmark = [
    pytest.mark.skipif(sys.platform != "linux", reason="POSIX signals; the fork server's workers"),
    pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="one core: no workers are started"),
]


WORDS = "the index was not rebuilt; the next command brings it up to date"


def _stopped(args: list[str], how: signal.Signals, under_way) -> tuple[int, str, Path]:
    """readlog ARGS in a child with the signals' defaults back (.ci/run ignores SIGINT), sent `how` once
    `under_way(pid)`; its exit code, its stderr and its $TMPDIR."""
    temp = Path(os.environ["READLOG_CACHE"]).parent / "tmp"
    temp.mkdir(exist_ok=True)
    process = subprocess.Popen(
        [sys.executable, "-m", "readlog", *args],
        env={**os.environ, "TMPDIR": str(temp)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        preexec_fn=_dispositions,  # noqa: PLW1509 - POSIX only (skipped elsewhere), no threads
    )
    until = time.monotonic() + 120
    while not under_way(process.pid):
        assert process.poll() is None, "readlog ended before it could be stopped"
        assert time.monotonic() < until, "no build seen under way"
        time.sleep(0.002)
    process.send_signal(how)
    _, err = process.communicate(timeout=120)
    return process.returncode, err.decode(errors="replace"), temp


def _built() -> None:
    """The index built, by a readlog of its own (one run here keeps it open: no rebuild could start over)."""
    subprocess.run([sys.executable, "-m", "readlog", "list", "--limit", "1"], capture_output=True, check=True)


@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGHUP])
def test_a_stopped_reindex_says_so_in_one_line_and_leaves_nothing_half_written(run, books, journal_home, how):
    _journal(books)
    _built()
    cache = Path(os.environ["READLOG_CACHE"])
    code, err, temp = _stopped(["reindex"], how, lambda pid: _building(pid, cache))
    assert code == -how, err  # ended by the signal itself, as an import or a site build is
    assert err.splitlines() == [f"readlog: reindex stopped ({how.name}): {WORDS}"]
    assert not [p.name for p in cache.iterdir() if p.name.endswith("-journal")]
    assert _left(temp) == []  # (the workers' temp folder taken away)
    _whole(run)


def _workers_running(pid: int) -> bool:
    children = _children()
    return any(children.get(server) for server in children.get(pid, []))


@pytest.mark.parametrize("command", ["reindex", "list"])
def test_a_build_stopped_outside_the_cold_builds_own_handler_leaves_no_temp_folder(
    run, books, journal_home, command
):
    """Another readlog holds the index open: a rebuild (or a sync of every file, their stamps all new) is no
    cold build (it stays in the WAL, without the cold build's handler), its workers started all the same;
    SIGTERM then killed it outright, and its `$TMPDIR/readlog-PID` stayed for the next command that starts
    workers to clear."""
    _journal(books)
    _built()
    cache = Path(os.environ["READLOG_CACHE"])
    [index] = cache.glob("index-*.sqlite3")
    later = time.time() + 60
    for path in books.iterdir():  # (every file changed, for `list`: parsed again, in workers)
        os.utime(path, (later, later))
    other = sqlite3.connect(index, isolation_level=None)
    try:
        other.execute("DELETE FROM meta WHERE key = 'fingerprint'")  # (as a cache never synced: workers)
        code, err, temp = _stopped([command], signal.SIGTERM, _workers_running)
    finally:
        other.close()
    assert code == -signal.SIGTERM, err
    assert _left(temp) == []
    if command == "reindex":
        assert err.splitlines() == [f"readlog: reindex stopped (SIGTERM): {WORDS}"], err
    _whole(run)
