"""A command that started worker processes leaves no `pymp-*` folder in $TMPDIR (readlog.pool.remove_temp_dir).
multiprocessing makes one per process for its fork server's socket and removes it at the interpreter's exit,
which readlog skips (`os._exit`, readlog.__main__): every big import and cold build left one behind, 756 of
them in a day's /tmp; and an import stopped by a signal ends by it, with no exit of readlog's at all."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from readlog.index.freshness import PARALLEL_FROM
from test_import_streaming import _export, _temps

pytestmark = [
    pytest.mark.skipif(sys.platform != "linux", reason="the fork server: Linux's start method here"),
    pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="one core: no workers are started"),
]


def _env(tmp_path: Path) -> tuple[dict[str, str], Path]:
    temp = tmp_path / "tmp"
    temp.mkdir()
    env = {
        **os.environ,
        "READLOG_HOME": str(tmp_path / "journal"),
        "READLOG_CACHE": str(tmp_path / "cache"),
        "TMPDIR": str(temp),
    }
    return env, temp


def _left(temp: Path) -> list[str]:
    """multiprocessing's temp folders in `temp`: readlog's own (readlog.pool.own_temp_dir), or its `pymp-*`."""
    return sorted(p.name for p in temp.iterdir() if p.name.startswith(("pymp-", "readlog-")))


def test_a_big_import_and_a_cold_build_leave_no_multiprocessing_folder(tmp_path):
    env, temp = _env(tmp_path)
    export = _export(tmp_path / "export.csv", max(1300, PARALLEL_FROM + 100))
    done = subprocess.run(
        [sys.executable, "-m", "readlog", "import", str(export)], env=env, capture_output=True
    )
    assert done.returncode == 1, done.stderr  # (two rows rejected, as the export means)
    assert b"added" in done.stdout + done.stderr
    assert _left(temp) == []
    for index in (tmp_path / "cache").glob("index-*"):  # a cold build of them all, in workers
        index.unlink()
    done = subprocess.run([sys.executable, "-m", "readlog", "reindex"], env=env, capture_output=True)
    assert done.returncode == 0, done.stderr
    assert _left(temp) == []


@pytest.mark.skipif(os.name != "posix", reason="signals as POSIX has them")
def test_an_import_stopped_by_a_signal_leaves_no_multiprocessing_folder(tmp_path):
    env, temp = _env(tmp_path)
    export = _export(tmp_path / "export.csv", 4000)
    process = subprocess.Popen(
        [sys.executable, "-m", "readlog", "import", str(export)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    home = tmp_path / "journal"
    deadline = time.monotonic() + 60
    while not any(name.startswith(".readlog-import.") for name in _temps(home)):  # the workers at work
        assert process.poll() is None, process.stderr.read()  # type: ignore[union-attr]
        assert time.monotonic() < deadline, "no worker's temp file seen"
        time.sleep(0.002)
    assert _left(temp), "the fork server's folder is made while it runs"
    process.send_signal(signal.SIGTERM)
    assert process.wait(60) == -signal.SIGTERM
    assert b"import stopped (SIGTERM)" in process.stderr.read()  # type: ignore[union-attr]
    assert _left(temp) == []


HOLDS_A_POOL = """
import sys
from readlog import pool
workers = pool.worker_pool(1)
print(pool.answer(pool.submit(workers, sum, [1, 2])), flush=True)
sys.stdin.read()  # (alive, its folder locked, until the test closes its stdin)
"""


@pytest.mark.skipif(os.name != "posix", reason="signals as POSIX has them")
def test_a_killed_readlogs_folder_is_its_own_and_the_next_pooled_command_clears_it(tmp_path):
    """Session 28: a readlog killed outright (`kill -9`, the OOM killer) left its `pymp-*` folder in $TMPDIR
    for ever, nothing in it saying whose it was. Now it is named for readlog and the pid, and the next
    command that starts workers removes it: never a live readlog's, nor another program's or a folder that
    only looks like readlog's (its pid a process's)."""
    env, temp = _env(tmp_path)
    books = tmp_path / "journal" / "books"
    books.mkdir(parents=True)
    for n in range(max(1300, PARALLEL_FROM + 100)):
        (books / f"book-{n:05d}.toml").write_text(
            f'title = "Quarry Notes {n}"\nauthors = ["Writer {n % 13}"]\n'
        )
    live, killed = (_holding_a_pool(env) for _ in range(2))
    killed.kill()  # SIGKILL: no clean-up of any kind
    assert killed.wait(60) == -signal.SIGKILL
    its = _named_for(temp, killed.pid)
    assert its, f"the killed one's folder, named for it: {_left(temp)}"
    mine = os.getpid()  # (alive: folders named as readlog names them, but not of a readlog that has ended)
    others = [
        temp / "pymp-abcd1234",
        temp / "readlog-notes",
        temp / f"readlog-{mine}",
        temp / f"readlog-{mine}-abcd1234",
    ]
    for folder in others:
        folder.mkdir()
    done = subprocess.run([sys.executable, "-m", "readlog", "reindex"], env=env, capture_output=True)
    assert done.returncode == 0, done.stderr
    left = _left(temp)
    assert not set(its) & set(left), left
    assert _named_for(temp, live.pid), "a live one is left"
    assert all(folder.is_dir() for folder in others)
    live.communicate("", timeout=60)
    assert live.returncode == 0
    assert not _named_for(temp, live.pid)


def _holding_a_pool(env: dict[str, str]) -> subprocess.Popen[str]:
    """A process that started readlog's workers and holds them (HOLDS_A_POOL), once they have answered."""
    holding = subprocess.Popen(
        [sys.executable, "-c", HOLDS_A_POOL],
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holding.stdout is not None and holding.stdout.readline().strip() == "3"
    return holding


def _named_for(temp: Path, pid: int) -> list[str]:
    """The folders in `temp` that readlog.pool names for the process `pid`."""
    return [name for name in _left(temp) if name == f"readlog-{pid}" or name.startswith(f"readlog-{pid}-")]
