"""Never lose a word: SIGKILL at random moments, and many processes writing one journal at once.

The figures these tests reach (kills survived, writes held) are reported in docs/RELIABILITY.md.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import pytest

from readlog import bookfile
from readlog.journal import Journal

WORKERS = Path(__file__).with_name("workers.py")
KILLS = 200  # library-level writer processes killed
CLI_KILLS = 30  # `python -m readlog` processes killed
PARALLEL = 4


def start(*args: str, stdout=subprocess.DEVNULL) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, str(WORKERS), *args], stdout=stdout, stderr=subprocess.PIPE)


def shared_book(run) -> None:
    run("add", "Shared", "-a", "Everyone")


def every_book_parses(books: Path) -> dict[str, dict]:
    parsed = {}
    for path in books.iterdir():
        if path.name.startswith("."):
            assert path.name.endswith(".tmp"), path  # only our own temp files, which readlog never reads
            continue
        bookfile.parse(path.read_text(), str(path))  # raises if half-written
        parsed[path.stem] = tomllib.loads(path.read_text())
    return parsed


def wait_for_line(log: Path, line: str, worker: subprocess.Popen[bytes]) -> None:
    """Until `line` is in the log (the worker reported that write done); the worker must still run."""
    deadline = time.monotonic() + 120  # a liveness bound on a loaded machine, not a speed
    while time.monotonic() < deadline:
        if log.exists() and line in log.read_text():
            return
        assert worker.poll() is None, worker.stderr.read() if worker.stderr else worker.returncode
        time.sleep(0.01)
    raise AssertionError(f"the worker never reported {line.strip()!r}")


def test_sigkill_at_random_moments_never_loses_a_finished_write(run, journal_home, books, tmp_path):
    shared_book(run)
    log = tmp_path / "successes.log"
    rng = random.Random(20261126)
    for round_start in range(
        0, KILLS, PARALLEL
    ):  # a few writers at once: kills land while others hold the lock
        workers = [
            start("loop", str(journal_home), str(n), str(log), stdout=subprocess.PIPE)
            for n in range(round_start, round_start + PARALLEL)
        ]
        for worker in workers:
            assert worker.stdout.readline() == b"ready\n", worker.stderr.read()
        for number, worker in zip(range(round_start, round_start + PARALLEL), workers, strict=True):
            # each worker is killed only once it has reported a finished write, however slow the machine:
            # every kill then lands among writes, after at least one that must be on disk
            wait_for_line(log, f"book crash-{number}-0\n", worker)
            time.sleep(rng.uniform(0, 0.02))
            worker.send_signal(signal.SIGKILL)
        for worker in workers:
            worker.wait()
            assert worker.returncode == -signal.SIGKILL
    cli_done = []
    env = {**os.environ, "READLOG_HOME": str(journal_home)}
    # Kills land 0.03 s to `latest` after the start. On a loaded machine a whole run can take longer than
    # that: each kill that came before the write finished lets the next process live a little longer, so
    # some CLI writes always finish whatever the machine's speed (and the later kills land among them).
    latest = 0.25
    for kill in range(CLI_KILLS):
        text = f"cli reflection {kill}"
        process = subprocess.Popen(
            [sys.executable, "-m", "readlog", "reflect", "shared", text],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )  # fmt: skip
        time.sleep(rng.uniform(0.03, latest))
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
        process.wait()
        if process.returncode == 0:
            cli_done.append(text)
        elif not cli_done:
            latest *= 1.5

    books_on_disk = every_book_parses(books)
    successes = log.read_text().splitlines()
    assert len(successes) >= KILLS  # every worker finished a write before its kill (waited for, not timed)
    reflections = {r["text"] for r in books_on_disk["shared"].get("reflections", [])}
    for line in successes:
        kind, _, what = line.partition(" ")
        if kind == "book":
            assert what in books_on_disk, what
        else:
            assert what in reflections, what
    assert set(cli_done) <= reflections and cli_done
    print(f"\n{KILLS + CLI_KILLS} kills; {len(successes)} library writes and {len(cli_done)} CLI writes held")
    # what check sees afterwards: at most stray temp files, which --fix removes
    result = run("check", "--fix", code=0)
    assert "problems" not in result.stderr
    assert not [p for p in books.iterdir() if p.name.startswith(".")]


def test_concurrent_adds_all_land(journal_home, books):
    workers, each = 4, 50
    processes = [start("add", str(journal_home), str(w), str(each)) for w in range(workers)]
    for process in processes:
        assert process.wait(timeout=120) == 0, process.stderr.read()
    parsed = every_book_parses(books)
    assert len(parsed) == workers * each
    titles = {data["title"] for data in parsed.values()}
    assert titles == {f"Book {w}-{n}" for w in range(workers) for n in range(each)}


def test_concurrent_appends_to_one_book_all_land(run, journal_home, books):
    shared_book(run)
    workers, each = 4, 25
    processes = [start("reflect", str(journal_home), str(w), str(each)) for w in range(workers)]
    for process in processes:
        assert process.wait(timeout=120) == 0, process.stderr.read()
    reflections = [r["text"] for r in tomllib.loads((books / "shared.toml").read_text())["reflections"]]
    assert sorted(reflections) == sorted(f"reflection {w}-{n}" for w in range(workers) for n in range(each))


def test_concurrent_cli_processes_all_land(run, journal_home, books):
    shared_book(run)
    env = {**os.environ, "READLOG_HOME": str(journal_home)}
    commands = []
    for w in range(4):
        commands += [["add", f"Cli Book {w}-{n}", "-a", "A"] for n in range(5)]
        commands += [["quote", "shared", f"quote {w}-{n}"] for n in range(5)]
        commands += [["next", "add", f"Pick {w}-{n}", "-a", "P", "--from", "shared"] for n in range(5)]
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "readlog", *c], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        for c in commands
    ]
    for process in processes:
        assert process.wait(timeout=120) == 0, process.stderr.read()
    shared = tomllib.loads((books / "shared.toml").read_text())
    assert len(shared["quotes"]) == 20 and len(shared["next"]) == 20
    assert len(every_book_parses(books)) == 21


def test_a_stale_whole_file_write_is_refused(run, journal_home, books):
    """The mechanism `edit` uses: replacing a file that changed since it was read is refused."""
    from readlog.errors import ConflictError

    shared_book(run)
    journal = Journal(journal_home)
    entry = journal.load("shared")
    run("quote", "shared", "written meanwhile")
    with pytest.raises(ConflictError, match="changed on disk"):
        journal.replace_text(entry, entry.text.replace("Everyone", "Nobody"))
    assert "written meanwhile" in (books / "shared.toml").read_text()
