"""An export big enough for the parsing workers has their fork server started as the import begins (it loads
readlog's code on the other core while this process tells the format and reads the file); a small one
starts none."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from readlog.importers.base import PARALLEL_FROM_BYTES

# In a process of its own: whether a fork server runs after `_start_workers_early` (a server started by an
# earlier test in this process would answer for it).
_ASK = """
import sys
from multiprocessing import forkserver
from pathlib import Path
from readlog.importers import _start_workers_early
_start_workers_early(Path(sys.argv[1]))
print(forkserver._forkserver._forkserver_pid is not None)
"""


def _server_started(path: Path) -> bool:
    done = subprocess.run([sys.executable, "-c", _ASK, str(path)], capture_output=True, text=True, check=True)
    return done.stdout.strip() == "True"


@pytest.mark.skipif(sys.platform != "linux", reason="the fork server: Linux's start method here")
def test_a_big_export_starts_the_fork_server_at_once_and_a_small_one_does_not(tmp_path):
    big = tmp_path / "big.csv"
    big.write_bytes(b"x" * PARALLEL_FROM_BYTES)
    small = tmp_path / "small.csv"
    small.write_bytes(b"x" * (PARALLEL_FROM_BYTES - 1))
    assert _server_started(big)
    assert not _server_started(small)
    assert not _server_started(tmp_path / "missing.csv")  # (detect says what is wrong with it, as ever)
