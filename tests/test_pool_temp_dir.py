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
    return sorted(p.name for p in temp.iterdir() if p.name.startswith("pymp-"))


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
