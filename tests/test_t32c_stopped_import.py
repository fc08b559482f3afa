"""t32c: an import stopped part way by SIGTERM to its process group (as a terminal's job control, or a
service manager, sends it), run again, ends with the journal one uninterrupted import leaves, byte for byte
(review 31e F4): a work whose first row landed before the stop and whose other edition's row comes late
had its list of editions written after the import's record, and the record kept the first row's undated
reading beside the edition's dated one that the join took it for. The stop itself says one line, from the
importing process, and no process of the group prints a traceback (review 31e F1). Fails on the code
before it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import readlog
from test_import_streaming import TWINS, _books, _export

pytestmark = pytest.mark.skipif(os.name != "posix", reason="signals and process groups as POSIX has them")


def _env(tmp_path: Path, name: str) -> dict[str, str]:
    return {
        **os.environ,
        "READLOG_HOME": str(tmp_path / name),
        "READLOG_CACHE": str(tmp_path / f"{name}-cache"),
    }


def _import(export: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [sys.executable, "-m", "readlog", "import", str(export)], env=env, capture_output=True
    )
    assert done.returncode == 1, done.stderr  # (two rows rejected: test_import_pipeline._rows)
    return subprocess.CompletedProcess(done.args, done.returncode, done.stdout.decode(), done.stderr.decode())


def test_an_import_stopped_after_a_batch_landed_and_run_again_ends_as_one_run(tmp_path):
    export = _export(tmp_path / "export.csv", 4000)
    env = _env(tmp_path, "stopped")
    books = tmp_path / "stopped" / "books"
    # The stop: once some batches are in place (the first holds the twins' first rows; their other editions
    # are the file's last rows), to the whole process group, the workers included (the recorder's, which
    # holds the index's transaction open between batches, too).
    late = [books / f"book-number-{n}.toml" for n in TWINS]
    process = subprocess.Popen(
        [sys.executable, "-m", "readlog", "import", str(export)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    deadline = time.monotonic() + 120
    while not all(path.exists() for path in late) or len(list(books.iterdir())) < 2000:
        assert process.poll() is None, process.stderr.read()  # type: ignore[union-attr]
        assert time.monotonic() < deadline, "the first batch never landed"
        time.sleep(0.002)
    os.killpg(process.pid, signal.SIGTERM)
    assert process.wait(60) == -signal.SIGTERM
    said = process.stderr.read().decode()  # type: ignore[union-attr]
    assert said == (
        "readlog: import stopped (SIGTERM): every book written so far is whole; the same import again adds "
        "the rest\n"
    ), said
    assert process.stdout.read() == b""  # type: ignore[union-attr]
    landed = _books(tmp_path / "stopped")
    assert 0 < len(landed) < 4000 - 1 and not any(name.endswith(".tmp") for name in landed)
    again = _import(export, env)
    assert "Traceback" not in again.stderr, again.stderr
    _import(export, _env(tmp_path, "whole"))
    stopped, whole = _books(tmp_path / "stopped"), _books(tmp_path / "whole")
    assert sorted(stopped) == sorted(whole)
    assert [name for name in whole if stopped[name] != whole[name]] == []
    assert (tmp_path / "stopped" / "imports.toml").read_bytes() == (
        tmp_path / "whole" / "imports.toml"
    ).read_bytes()


HOLDER = """
import contextlib, os
from readlog import stopping
_held = contextlib.ExitStack()
def hold():
    _held.enter_context(stopping.undone_then_ended())  # (open across tasks, as the import's recorder's go)
    return os.getpid()
"""
DRIVER = """
import os, signal, time
from readlog import pool
import holder
with pool.worker_pool(1) as workers:
    pid = pool.answer(pool.submit(workers, holder.hold))
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + 30
    while os.path.exists(f"/proc/{pid}") and time.monotonic() < deadline:
        time.sleep(0.01)
print("gone" if not os.path.exists(f"/proc/{pid}") else "alive")
"""


@pytest.mark.skipif(not Path("/proc/self").exists(), reason="a worker's end seen in /proc")
def test_a_worker_inside_stoppings_block_ends_by_sigterm_without_a_traceback(tmp_path):
    """A task that leaves readlog.stopping's block open while the worker waits for its next task (the
    import's recorder, its transaction open between batches): SIGTERM raised `Ending` in the worker's wait,
    outside any block, and the worker printed its traceback. It ends by the signal, quietly."""
    (tmp_path / "holder.py").write_text(HOLDER, encoding="utf-8")
    src = Path(readlog.__file__).parent.parent
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(src), str(tmp_path)])}
    done = subprocess.run(
        [sys.executable, "-c", DRIVER], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.stdout == "gone\n" and done.returncode == 0, done
    assert done.stderr == "", done.stderr
