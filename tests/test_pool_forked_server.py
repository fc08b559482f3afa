"""An import's fork server and resource tracker (readlog.pool) are the importing process forked, while it
has no other thread: not new Pythons that imported readlog's code (or multiprocessing's) again (a tenth of
a second of CPU on every big import). Forked, they keep nothing of the client's but its code: no
descriptor (a database, the journal's lock, held on, would outlive their closing in the client), no
signal handler; the workers answer as ever. A client with another thread running still starts new
Pythons (forking a thread that holds a lock is not safe)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from test_pool_leaks import _children

pytestmark = pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs /proc to see threads")

CLIENT = """
import signal, sys, threading, time
from readlog import pool

if __name__ == "__main__":  # (a new server's workers import this file)
    held = open(sys.argv[1], "w")  # a regular file held open, as the journal's lock is
    signal.signal(signal.SIGTERM, lambda *_: None)  # a handler of the client's own
    if sys.argv[2] == "thread":
        threading.Thread(target=time.sleep, args=(30,), daemon=True).start()
    if sys.argv[2] == "database":  # an index open, as an import's after its first step
        import sqlite3

        index = sqlite3.connect(sys.argv[1] + ".sqlite3")
        index.execute("PRAGMA journal_mode=WAL")
        index.execute("CREATE TABLE t (x)")
    pool.start_server(pool.IMPORT_PRELOAD)
    with pool.worker_pool(1, pool.IMPORT_PRELOAD) as workers:
        print(pool.answer(pool.submit(workers, sum, [1, 2, 3])), flush=True)
        from multiprocessing import forkserver
        from multiprocessing import resource_tracker
        print(forkserver._forkserver._forkserver_pid, resource_tracker._resource_tracker._pid, flush=True)
        sys.stdin.readline()  # the test looks at the server now
"""


def _client(tmp_path: Path, mode: str) -> tuple[subprocess.Popen[str], int, int]:
    script = tmp_path / "client.py"
    script.write_text(textwrap.dedent(CLIENT))
    client = subprocess.Popen(
        [sys.executable, str(script), str(tmp_path / "held"), mode],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert client.stdout is not None
    assert client.stdout.readline().strip() == "6"  # the worker answered
    server, tracker = (int(pid) for pid in client.stdout.readline().split())
    assert {server, tracker} <= set(_children(client.pid))
    return client, server, tracker


def _done(client: subprocess.Popen[str]) -> None:
    client.communicate("\n", timeout=60)
    assert client.returncode == 0


def _signals(pid: int, kind: str) -> int:
    """Whether the process catches (SigCgt) or ignores (SigIgn) SIGTERM."""
    status = Path(f"/proc/{pid}/status").read_text().splitlines()
    mask = next(int(line.split()[1], 16) for line in status if line.startswith(f"{kind}:"))
    return mask & (1 << (signal.SIGTERM - 1))


def test_the_fork_server_of_a_client_without_threads_is_the_client_forked(tmp_path):
    client, server, tracker = _client(tmp_path, "alone")
    try:
        for pid in (server, tracker):
            command = Path(f"/proc/{pid}/cmdline").read_bytes()
            assert command == Path(f"/proc/{client.pid}/cmdline").read_bytes()  # no new Python started
            fds = [fd for fd in os.listdir(f"/proc/{pid}/fd") if int(fd) > 2]  # (beyond stdin, out, err)
            kept = [os.readlink(f"/proc/{pid}/fd/{fd}") for fd in fds]
            assert str(tmp_path / "held") not in kept
            assert not [path for path in kept if path.startswith("/") and not path.startswith("/dev/")], kept
        assert not _signals(server, "SigCgt")  # SIGTERM ends it, as a new Python's
        assert _signals(tracker, "SigIgn")  # as multiprocessing's own tracker
    finally:
        _done(client)


@pytest.mark.parametrize("mode", ["thread", "database"])
def test_a_client_with_another_thread_or_a_database_open_starts_a_new_python(tmp_path, mode):
    """Another thread: forking one that holds a lock is not safe. A database open: SQLite keeps an open
    database's locks in the process's memory, so a server forked from there, and the recorder it forks,
    took the index's WAL locks on descriptors since closed (review 26b: the index corrupted by a writer not
    held off). Either way the server and tracker are new Pythons."""
    client, server, tracker = _client(tmp_path, mode)
    try:
        assert b"multiprocessing.forkserver" in Path(f"/proc/{server}/cmdline").read_bytes()
        assert b"multiprocessing.resource_tracker" in Path(f"/proc/{tracker}/cmdline").read_bytes()
    finally:
        _done(client)
