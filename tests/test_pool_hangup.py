"""A closed terminal sends SIGHUP to the whole process group: readlog, its fork server, its resource tracker
and its workers. The server and the tracker died of it, and a big import or a cold reindex ended with
multiprocessing's `resource_tracker: process died unexpectedly, relaunching` and a `KeyError` traceback per
semaphore; the import's pool took its workers for dead while they went on writing temp files into the
books folder, which stayed there. A hang-up now ends each as its SIGTERM does (readlog.pool._hangup_held)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from test_cold_build_signals import COUNT, _building, _dispositions, _journal
from test_import_streaming import _export, _temps
from test_pool_temp_dir import _env, _left

pytestmark = [
    pytest.mark.skipif(sys.platform != "linux", reason="the fork server: Linux's start method here"),
    pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="one core: no workers are started"),
]


def _in_a_terminals_group(env: dict[str, str], *args: str) -> subprocess.Popen[bytes]:
    """readlog as a terminal starts it: a process group of its own, SIGHUP and SIGINT at their defaults."""
    return subprocess.Popen(
        [sys.executable, "-m", "readlog", *args],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
        preexec_fn=_dispositions,  # noqa: PLW1509 - POSIX only (Linux here), no threads
    )


def _hung_up(process: subprocess.Popen[bytes]) -> list[str]:
    os.killpg(process.pid, signal.SIGHUP)  # the terminal closed: the whole group
    _, err = process.communicate(timeout=120)
    assert process.returncode == -signal.SIGHUP, err
    return err.decode().splitlines()


def test_a_hang_up_during_a_big_import_ends_it_in_one_line_leaving_nothing(tmp_path):
    env, temp = _env(tmp_path)
    export = _export(tmp_path / "export.csv", 4000)
    home = tmp_path / "journal"
    process = _in_a_terminals_group(env, "import", str(export))
    deadline = time.monotonic() + 60
    while not any(name.startswith(".readlog-import.") for name in _temps(home)):  # the workers at work
        assert process.poll() is None, process.stderr.read()  # type: ignore[union-attr]
        assert time.monotonic() < deadline, "no worker's temp file seen"
        time.sleep(0.002)
    said = _hung_up(process)
    assert said == [
        "readlog: import stopped (SIGHUP): every book written so far is whole; the same import again adds the rest"
    ]
    time.sleep(1)  # (a worker that went on would write its chunk's temp files meanwhile)
    assert _temps(home) == []
    assert _left(temp) == []


def test_a_hang_up_during_a_cold_reindex_ends_it_as_sigterm_does(tmp_path):
    env, temp = _env(tmp_path)
    books = tmp_path / "journal" / "books"
    _journal(books)
    cache = tmp_path / "cache"
    process = _in_a_terminals_group(env, "reindex")
    until = time.monotonic() + 120
    while not _building(process.pid, cache):
        assert process.poll() is None, "the build ended before it could be stopped"
        assert time.monotonic() < until, "no cold build seen under way"
        time.sleep(0.002)
    said = "the index was not rebuilt; the next command brings it up to date"
    assert _hung_up(process) == [f"readlog: reindex stopped (SIGHUP): {said}"]  # (as an import says it)
    assert not [p.name for p in cache.iterdir() if p.name.endswith("-journal")]
    assert _left(temp) == []
    listed = subprocess.run(
        [sys.executable, "-m", "readlog", "list", "--json"], env=env, capture_output=True, check=True
    )
    assert len(json.loads(listed.stdout)) == COUNT


HUNG_UP = """
import os, signal, sqlite3, sys
if sys.argv[1] == "index-open":  # (the fork server then started by multiprocessing, as a new Python)
    held = sqlite3.connect(os.path.join(sys.argv[2], "index.sqlite3"))
    held.execute("create table t (x)")
from multiprocessing import forkserver, resource_tracker
from readlog import pool
signal.signal(signal.SIGHUP, lambda *_: None)  # (this process: readlog's own handling, not the question)
workers = pool.worker_pool(1)
print(pool.answer(pool.submit(workers, sum, [1, 2])), flush=True)
os.killpg(0, signal.SIGHUP)  # the terminal closed: the whole group
os.system("sleep 0.5")
for pid in (forkserver._forkserver._forkserver_pid, resource_tracker._resource_tracker._pid):
    print("alive" if os.waitpid(pid, os.WNOHANG) == (0, 0) else "dead", flush=True)
print(pool.answer(pool.submit(workers, sum, [3, 4])), flush=True)
workers.shutdown()
"""


@pytest.mark.parametrize("how", ["forked", "index-open"])
def test_the_fork_server_and_the_tracker_outlive_a_hang_up(tmp_path, how):
    """Whichever way they were started (forked from readlog, or as new Pythons by multiprocessing), the
    fork server and the resource tracker are alive after the group's SIGHUP, the pool still works, and
    nothing is said: they end when readlog does, as its SIGTERM leaves them."""
    env, _ = _env(tmp_path)
    done = subprocess.run(
        [sys.executable, "-c", HUNG_UP, how, str(tmp_path)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        start_new_session=True,
        preexec_fn=_dispositions,  # noqa: PLW1509 - POSIX only (Linux here), no threads
    )
    assert done.stdout.split() == ["3", "alive", "alive", "7"], done.stderr
    assert done.stderr == ""


def test_a_tracker_started_as_a_new_python_says_nothing_of_what_readlog_left(tmp_path):
    """The resource tracker multiprocessing starts as a new Python (the index open: a reindex) said
    `UserWarning: resource_tracker: There appear to be 5 leaked semaphore objects` after a readlog ended by a
    signal (SIGHUP, `kill -9`), after the shell's prompt; readlog's own forked tracker says nothing (s27)."""
    from test_s27_lead import LEFT_A_SEMAPHORE

    index = str(tmp_path / "index.sqlite3")
    index_open = f"import sqlite3\nheld = sqlite3.connect({index!r})\nheld.execute('create table t (x)')\n"
    done = subprocess.run(
        [sys.executable, "-c", index_open + LEFT_A_SEMAPHORE],
        capture_output=True,
        text=True,
        timeout=60,
        env=_env(tmp_path)[0],
    )  # (run returns once the tracker, which writes to the same stderr, has ended)
    assert done.stdout.strip() == "3"
    assert "leaked" not in done.stderr and "Warning" not in done.stderr, done.stderr
