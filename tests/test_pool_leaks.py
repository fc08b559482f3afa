"""Worker processes never outlive readlog (readlog.pool). A readlog killed outright during a cold build
(SIGKILL: the OOM killer, `kill -9`, a closed container) cannot shut its pool down; its fork server and
workers used to wait for their next task forever, with SIGTERM blocked, so not even `kill` ended them.
Now each worker watches its client and ends with it, and the fork server, which lives while a worker holds
its pipe, ends after them; the server and its workers take SIGTERM."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from readlog.index.freshness import PARALLEL_FROM
from test_build_progress import _heavy_journal

pytestmark = [
    pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs /proc to see the workers"),
    pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="one core: a build parses in-process, no workers"),
]


def _children(pid: int) -> list[int]:
    found = []
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                status = Path(entry.path, "status").read_text()
            except OSError:
                continue
            if f"\nPPid:\t{pid}\n" in status:
                found.append(int(entry.name))
    return found


def _blocked(pid: int) -> int:
    """The process's blocked-signal mask (SigBlk in /proc/PID/status)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("SigBlk:"):
            return int(line.split()[1], 16)
    raise AssertionError(f"no SigBlk for {pid}")


def _masks(*pids: int) -> dict[int, int]:
    """The blocked-signal masks of those of `pids` still running."""
    masks = {}
    for pid in pids:
        try:
            if _alive(pid):
                masks[pid] = _blocked(pid)
        except OSError:  # ended between the two looks
            continue
    return masks


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "\nState:\tZ" not in state  # a zombie has ended; only its parent has not looked yet


def _build_with_workers(books: Path) -> tuple[subprocess.Popen[bytes], int, list[int]]:
    """A cold `readlog reindex` caught while its fork server has workers: (the process, the server, the
    workers)."""
    _heavy_journal(books, count=PARALLEL_FROM + 500, reflections=40)
    temp = books.parent.parent / "tmp"  # (its fork server's folder, which a readlog killed outright leaves)
    temp.mkdir(exist_ok=True)
    client = subprocess.Popen(
        [sys.executable, "-m", "readlog", "reindex"],
        env={**os.environ, "TMPDIR": str(temp)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,  # not pipes: a leaked worker holds their write ends, and reading waits
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and client.poll() is None:
        for server in _children(client.pid):
            workers = _children(server)
            if workers:
                return client, server, workers
        time.sleep(0.005)
    client.kill()
    client.wait()
    pytest.fail("the build ended (or took a minute) before any worker was seen")


def test_workers_and_their_fork_server_end_when_readlog_is_killed_outright(books):
    client, server, workers = _build_with_workers(books)
    client.kill()  # SIGKILL: no clean-up of any kind in the client
    client.wait()
    deadline = time.monotonic() + 30
    left = [server, *workers]
    while time.monotonic() < deadline:
        left = [pid for pid in (server, *workers) if _alive(pid)]
        if not left:
            break
        time.sleep(0.05)
    for pid in left:  # the test cleans up after a failure; the assertion below still fails it
        os.kill(pid, signal.SIGKILL)
    assert not left, f"still running 30 s after readlog was killed: {left}"


def test_the_fork_server_and_its_workers_take_sigterm(books):
    client, server, workers = _build_with_workers(books)
    try:
        term = 1 << (signal.SIGTERM - 1)
        masks = _masks(server, *workers)
        assert masks, "the build's processes ended before their masks were read"
        # A worker seen in its first instants (forked, its first step not run yet) may still hold the mask
        # it was forked with; what counts is the mask it works with: looked at again for a few seconds.
        deadline = time.monotonic() + 5
        while any(mask & term for mask in masks.values()) and time.monotonic() < deadline:
            time.sleep(0.01)
            masks = _masks(*masks) or masks
        assert all(not mask & term for mask in masks.values()), masks
    finally:
        client.kill()
        client.wait()
