"""A worker process killed in the middle of sending its answer back (SIGKILL: the OOM killer, a `kill -9` of
one pid) while the answer is bigger than the pipe holds: the pool's manager thread was left reading the
rest of an answer that never came (the other workers, and readlog itself, held the pipe's write end), never
saw the worker's end, and every wait on the pool waited for ever: an import hung for an hour. Now the pool
breaks at once (readlog.pool._watch): an import stops with one line (exit 1), its batches in place and no
temp file, and the same import again adds the rest; a cold build parses what the workers did not give back
in the process itself. The worker is killed by tests/pool_sabotage.py at the moment its answer's length is
written and its body not yet. Every run is bounded: on a regression the test fails instead of hanging."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from readlog.index import open_cache
from readlog.index.freshness import PARALLEL_FROM
from readlog.journal import Journal
from test_build_progress import _heavy_journal
from test_import_index_thread import Counting, _tables
from test_import_write_errors import ROWS, _export

pytestmark = pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="one core: no worker processes")

TESTS = Path(__file__).resolve().parent
BOUND = 120  # seconds: a run that takes longer has hung (each takes a few seconds)
LOST = (
    "readlog: error: a worker process was killed (by a signal, or by the system short of memory): "
    "stopped there, with nothing half-written; run the command again"
)

# readlog run with the sabotage module in its fork server's preload (every worker has the task replaced).
_SABOTAGED = (
    "import runpy, sys, readlog.pool as pool; "
    "pool.PRELOAD.append('pool_sabotage'); pool.IMPORT_PRELOAD.append('pool_sabotage'); "
    "sys.argv = ['readlog', *sys.argv[1:]]; runpy.run_module('readlog', run_name='__main__')"
)


def _env(task: str, nth: int, when: str, marker: Path) -> dict[str, str]:
    path = os.pathsep.join(p for p in (str(TESTS), os.environ.get("PYTHONPATH")) if p)
    return {**os.environ, "PYTHONPATH": path, "POOL_SABOTAGE": f"{task};{nth};{when};{marker}"}


def _readlog(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", _SABOTAGED, *args], env=env, capture_output=True, text=True, timeout=BOUND
    )


_POOL = """
import json

from readlog.errors import WorkerLost
from readlog.pool import PRELOAD, answer, submit, worker_pool
import pool_sabotage

pool = worker_pool(2, [*PRELOAD, "pool_sabotage"])
futures = [submit(pool, pool_sabotage.big, 300_000) for _ in range(6)]
outcomes = []
for future in futures:
    try:
        outcomes.append(len(answer(future)))
    except WorkerLost:
        outcomes.append("lost")
pool.shutdown(wait=True)
print(json.dumps(outcomes))
"""


def test_a_worker_killed_while_sending_a_big_answer_breaks_its_pool(tmp_path):
    marker = tmp_path / "killed"
    env = _env("pool_sabotage:big", 2, "send", marker)
    done = subprocess.run(
        [sys.executable, "-c", _POOL], env=env, capture_output=True, text=True, timeout=BOUND
    )  # (hung before: the first wait for an answer after the kill never returned)
    assert done.returncode == 0, done.stderr
    assert marker.exists()  # a worker was killed in the middle of sending
    outcomes = json.loads(done.stdout)
    assert "lost" in outcomes  # every answer not in yet: the pool is broken, and the shutdown returned
    assert all(o in ("lost", 300_000) for o in outcomes)


@pytest.mark.parametrize("when", ["send", "start"])
@pytest.mark.parametrize(
    ("review", "task"),
    [(900, "readlog.importers.base:_parse_chunk"), (40, "readlog.importers:_format_chunk")],
    ids=["parsing", "formatting"],
)
def test_an_import_whose_worker_is_killed_stops_with_one_line(journal_home, tmp_path, review, task, when):
    export = _export(tmp_path / "export.csv", review)  # big enough for both kinds of worker
    marker = tmp_path / "killed"
    done = _readlog(_env(task, 2, when, marker), "import", str(export))
    assert marker.exists()
    assert done.returncode == 1, done.stderr
    assert done.stderr.splitlines() == [LOST]  # (a traceback before, or for ever when killed sending)
    books = journal_home / "books"
    names = sorted(p.name for p in books.iterdir()) if books.exists() else []
    assert all(not name.startswith(".") for name in names)  # no temp file left
    assert len(names) % 500 == 0 and len(names) < ROWS  # whole batches of books, each whole
    for name in names:
        assert tomllib.loads((books / name).read_text(encoding="utf-8"))["title"]
    again = subprocess.run(
        [sys.executable, "-m", "readlog", "import", str(export)],
        capture_output=True,
        text=True,
        timeout=BOUND,
    )
    assert again.returncode == 0, again.stderr
    assert len(list(books.glob("*.toml"))) == ROWS


def test_a_cold_build_whose_worker_is_killed_parses_the_rest_itself(books, tmp_path):
    _heavy_journal(books, count=PARALLEL_FROM + 500, reflections=5)
    marker = tmp_path / "killed"
    done = _readlog(_env("readlog.index.pool:_load_chunk", 2, "send", marker), "list", "--json")
    assert marker.exists()
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert len(json.loads(done.stdout)) == PARALLEL_FROM + 500
    # The index it left holds every book (the next command parses none), as a build with no kill makes it.
    loader = Counting(books.parent)
    journal = Journal(books.parent, cache=open_cache(books.parent, loader))
    assert len(list(journal.fresh_index().entries())) == PARALLEL_FROM + 500
    assert loader.parsed == []
    built = _tables(tmp_path / "cache")
    journal.rebuild_index()
    assert _tables(tmp_path / "cache") == built
