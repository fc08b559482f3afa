"""A big import's head and tail overlap what they can, writing the same (issue 25, session 31): its parsing
workers start, and parse its first rows, while the whole file is still being checked (writing nothing: a
file the check refuses changes nothing on disk); each durable batch's sync begins as it is handed over,
beside the one before it; and the workers, every chunk answered, end on their own while the import writes
its last files."""

from __future__ import annotations

import fcntl
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from readlog import importers, pool
from readlog.files import BulkWriter
from test_import_pipeline import _temps
from test_import_streaming import _books, _export
from test_import_streaming import test_a_file_refused_on_its_last_rows_writes_nothing as refused
from test_pool_leaks import _alive, _children

pytestmark = pytest.mark.skipif(pool.cores() < 2, reason="one core: an export is parsed in-process")


def _handed(
    monkeypatch: pytest.MonkeyPatch, sent: list[tuple[object, dict[str, object]]] | None = None
) -> list[str | None]:
    """The folder each chunk of rows handed to a parsing worker is to write its temp files in (None:
    none), in order; `sent`, each importer handed with a chunk, and what it held then."""
    handed: list[str | None] = []
    submit = pool.submit

    def spy(executor, task, *args):  # type: ignore[no-untyped-def]
        if getattr(task, "__name__", "") == "_parse_chunk":
            handed.append(args[-1])
            if sent is not None:
                sent.append((args[0], dict(vars(args[0]))))
        return submit(executor, task, *args)

    monkeypatch.setattr(pool, "submit", spy)
    return handed


def _pools(monkeypatch: pytest.MonkeyPatch) -> list[tuple[list[object], list[bool]]]:
    """Each worker pool started: its processes, and the `wait` of each shutdown asked of it."""
    started: list[tuple[list[object], list[bool]]] = []
    worker_pool = pool.worker_pool

    def spy(*args, **kwargs):  # type: ignore[no-untyped-def]
        executor = worker_pool(*args, **kwargs)
        waits: list[bool] = []
        started.append((list(executor._processes.values()), waits))
        shutdown = executor.shutdown

        def told(wait: bool = True, **more: bool) -> None:
            waits.append(wait)
            shutdown(wait=wait, **more)

        executor.shutdown = told  # type: ignore[method-assign]
        return executor

    monkeypatch.setattr(pool, "worker_pool", spy)
    return started


def _ended(processes: list[object], within: float = 30) -> bool:
    deadline = time.monotonic() + within
    while any(p.is_alive() for p in processes):  # type: ignore[attr-defined]
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


def test_the_first_rows_go_to_the_workers_while_the_file_is_checked(journal_home, tmp_path, monkeypatch):
    sent: list[tuple[object, dict[str, object]]] = []
    handed = _handed(monkeypatch, sent)
    export = _export(tmp_path / "export.csv")
    importer = importers.detect(export)
    try:
        assert importer.check_first(export)
        # As many chunks as the workers keep in flight, before the check's end, and none with a folder
        # to write temp files in (the journal is not locked yet: nothing of it is touched).
        assert handed == [None] * (2 * pool.cores())
        assert importer.expected == 1300 + 4 and not journal_home.exists()
        # What the pool pickles later (in a thread of its own) is the importer as it was when handed out,
        # not as the check left it (holding the workers themselves: no pickle, and the chunk was lost).
        assert all(vars(handed_with) == held for handed_with, held in sent)
        ahead = importer._checked[5]  # type: ignore[index]
        for _, future in ahead.pending:
            assert len(future.result(60)) == 250  # (each chunk answered)
    finally:
        importer.let_go()


def test_what_they_parsed_then_is_written_as_the_rest_is(journal_home, tmp_path, monkeypatch, run):
    handed = _handed(monkeypatch)
    export = _export(tmp_path / "export.csv")
    result = run("import", str(export), code=1)  # (two rows rejected: test_import_pipeline._rows)
    ahead = 2 * pool.cores()
    books = os.fspath(journal_home / "books")
    assert handed[:ahead] == [None] * ahead and set(handed[ahead:]) == {books}
    assert "1299 added, 0 updated, 0 skipped (already here), 2 rejected, 3 joined" in result.stderr
    assert _temps(journal_home / "books") == []
    home, cache = tmp_path / "first", tmp_path / "first-cache"  # the same export, read whole first
    monkeypatch.setenv("READLOG_HOME", str(home))
    monkeypatch.setenv("READLOG_CACHE", str(cache))
    monkeypatch.setattr(importers, "STREAMING", False)
    assert run("import", str(export), code=1).stderr == result.stderr.replace(str(journal_home), str(home))
    assert _books(journal_home) == _books(home)


def test_a_file_refused_on_its_last_row_stops_the_workers_it_started(
    journal_home, tmp_path, monkeypatch, run
):
    pools = _pools(monkeypatch)
    refused(journal_home, tmp_path, run)  # (one line said, nothing on disk, not the data folder either)
    assert len(pools) == 1  # the parsing workers, started during the check: stopped, and waited for
    processes, waits = pools[0]
    assert waits == [True] and _ended(processes, within=0)


def test_the_workers_end_on_their_own_once_every_chunk_is_answered(journal_home, tmp_path, monkeypatch, run):
    pools = _pools(monkeypatch)
    export = _export(tmp_path / "export.csv")
    run("import", str(export), code=1)
    parsing, waits = pools[0]  # (then the recorder's)
    assert waits == [False]  # not waited for: the import went on to its last files meanwhile
    assert _ended(parsing)
    assert [w for _, w in pools[1:]] == [[True]]  # (the recorder's: its index committed and closed first)


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs /proc to see the workers")
def test_stopped_after_the_check_while_it_waits_for_the_lock(tmp_path):
    export = _export(tmp_path / "export.csv", 4000)
    home = tmp_path / "journal"
    home.mkdir()
    env = {**os.environ, "READLOG_HOME": str(home), "READLOG_CACHE": str(tmp_path / "cache")}
    said = tmp_path / "stderr"
    with open(home / ".lock", "wb") as lock, open(said, "wb") as err:
        fcntl.flock(lock.fileno(), fcntl.LOCK_EX)  # another readlog holds the journal
        process = subprocess.Popen(
            [sys.executable, "-m", "readlog", "import", str(export)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=err,
            preexec_fn=lambda: signal.signal(signal.SIGTERM, signal.SIG_DFL),
        )
        deadline = time.monotonic() + 60
        while "waiting for the journal" not in said.read_text():
            assert process.poll() is None, said.read_text()
            assert time.monotonic() < deadline, "never waited for the lock"
            time.sleep(0.01)
        # The file checked, its workers started and parsing its first rows: a fork server's children.
        workers = [w for child in _children(process.pid) for w in _children(child)]
        assert len(workers) == pool.cores()
        process.send_signal(signal.SIGTERM)
        assert process.wait(60) == -signal.SIGTERM
    assert "readlog: import stopped (SIGTERM)" in said.read_text()
    deadline = time.monotonic() + 30
    while any(_alive(pid) for pid in workers):
        assert time.monotonic() < deadline, "a worker outlived the import"
        time.sleep(0.01)
    assert not (home / "books").exists() or not any((home / "books").iterdir())  # nothing written
    again = subprocess.run(
        [sys.executable, "-m", "readlog", "import", str(export)], env=env, capture_output=True
    )
    assert again.returncode == 1, again.stderr  # (two rows rejected)
    assert len(list((home / "books").glob("*.toml"))) == 4000 + 1 - 2 and _temps(home / "books") == []


def test_each_batch_is_synced_as_it_is_handed_over_beside_the_one_before_it(tmp_path, monkeypatch):
    next_one = threading.Event()
    syncs: list[int] = []
    beside: list[bool] = []
    renamed: list[str] = []

    def sync() -> None:
        syncs.append(len(syncs))
        if len(syncs) == 1:  # the first batch's: is the second batch's begun meanwhile?
            beside.append(next_one.wait(3))
        elif len(syncs) == 2:
            next_one.set()

    replace = os.replace

    def spy(source: str, target: str) -> None:
        renamed.append(Path(target).name)
        replace(source, target)

    monkeypatch.setattr(os, "sync", sync)
    monkeypatch.setattr(os, "replace", spy)
    told: list[list[str]] = []
    writer = BulkWriter(
        batch=2, landed=lambda paths: told.append([Path(p).name for p in paths]), overlap=True
    )
    for n in range(5):  # b0, b1 to a thread; b2, b3 to another, handed over while b0, b1 sync; b4 at flush
        writer.add(tmp_path / f"b{n}.toml", f"{n}\n")
    writer.flush()
    assert beside == [True] and len(syncs) == 3  # one sync a batch, as ever
    assert renamed == [f"b{n}.toml" for n in range(5)]  # in order: a batch after the one before it
    assert told == [["b0.toml", "b1.toml"], ["b2.toml", "b3.toml"], ["b4.toml"]]
    assert _temps(tmp_path) == [] and (tmp_path / "b3.toml").read_text() == "3\n"


# --- the formats' registry, asked at every import's start ---------------------------------------------
_ASKED = """
import sys
from readlog import importers
importers.registry()
print("importlib.metadata" in sys.modules, [i.name for i in importers.registry()][-1])
"""


def test_with_no_plugin_installed_the_registry_never_imports_importlib_metadata(tmp_path):
    from test_plugins import ENTRY_POINTS, PLUGIN, install

    site = tmp_path / "site-packages"
    site.mkdir()

    def asked() -> str:
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(site), os.environ.get("PYTHONPATH", "")])}
        done = subprocess.run([sys.executable, "-c", _ASKED], capture_output=True, text=True, env=env)
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()

    assert asked() == "False json"  # (some 15 ms of every import's start, with email and zipfile)
    install(site, "readlog_other", None, "[console_scripts]\nother = readlog_other:main\n")
    assert asked() == "False json"  # (entry points of other groups only)
    install(site, "readlog_shelf", PLUGIN, ENTRY_POINTS)
    assert asked() == "True shelf"  # found as before, by importlib.metadata itself


def test_where_it_cannot_be_sure_importlib_metadata_is_asked(tmp_path, monkeypatch):
    from readlog import plugins

    monkeypatch.setattr(sys, "path", [str(tmp_path / "missing")])
    assert not plugins._may_declare(plugins.IMPORTERS)
    for odd in (str(tmp_path / "Something-1.0.egg"), str(tmp_path / "library.zip")):
        Path(odd).write_bytes(b"PK")
        monkeypatch.setattr(sys, "path", [odd])
        assert plugins._may_declare(plugins.IMPORTERS)

    class Finder:  # a finder of distributions of another kind
        @staticmethod
        def find_distributions(*args: object) -> list[object]:
            return []

    monkeypatch.setattr(sys, "path", [])
    monkeypatch.setattr(sys, "meta_path", [*sys.meta_path, Finder])
    assert plugins._may_declare(plugins.IMPORTERS)
