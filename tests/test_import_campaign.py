"""An interrupted import converges, and a stopped one leaves no temp files.

- SIGKILL at random moments during `readlog import`, each followed by the same import again (killed again,
  often): at least 50 kills in all, and every journal ends exactly as one uninterrupted import leaves it.
  Editions of one work sit far apart in the file, and titles collide, so that batches and slugs matter.
- SIGTERM, SIGHUP and SIGINT during an import leave no temp files; what a SIGKILL leaves, `check --fix`
  removes.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from test_import_export import GR_HEADER, gr_row, write_csv

KILLS = 50
JOURNALS = 5
ROWS = 600
pytestmark = pytest.mark.skipif(os.name != "posix", reason="signals as POSIX has them")


def export(path: Path, rows: int = ROWS) -> Path:
    """A Goodreads export whose works come back as other editions near the end, and whose titles repeat."""
    rng = random.Random(9)
    out = []
    for n in range(rows):
        title = f"Title {n % (rows // 3)}"  # three authors share each title: slugs collide
        out.append(gr_row(**{
            "Book Id": str(1000 + n), "Title": title, "Author": f"Author {n}",
            "My Rating": str(rng.randint(0, 5)), "Date Read": f"2020/01/{n % 28 + 1:02d}",
            "My Review": f"Review {n}.<br/>Second line.", "Date Added": "2019/05/05",
        }))  # fmt: skip
    for n in range(0, rows, 7):  # another edition of every seventh work, far from its twin
        twin = dict(out[n])
        twin.update({"Book Id": str(90000 + n), "Date Read": "2024/02/02", "My Review": f"Again {n}."})
        out.append(twin)
    return write_csv(path, GR_HEADER, out)


def readlog(home: Path, *args: str) -> subprocess.Popen:
    env = {**os.environ, "READLOG_HOME": str(home), "READLOG_CACHE": str(home / "cache")}
    return subprocess.Popen(
        [sys.executable, "-m", "readlog", *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )


def books_of(home: Path) -> dict[str, bytes]:
    folder = home / "books"
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.toml"))} if folder.is_dir() else {}


def temp_files(home: Path) -> list[Path]:
    folder = home / "books"
    return (
        [p for p in folder.iterdir() if p.name.startswith(".") and p.name.endswith(".tmp")]
        if folder.is_dir()
        else []
    )


def test_an_interrupted_import_converges_to_the_uninterrupted_one(tmp_path):
    source = export(tmp_path / "export.csv")
    reference = tmp_path / "reference"
    started = time.perf_counter()
    done = readlog(reference, "import", str(source))
    assert done.wait(120) == 0, done.stderr.read()
    duration = time.perf_counter() - started  # kills land anywhere from start-up to the last batch
    want = books_of(reference)
    assert len(want) == ROWS
    rng = random.Random(20261127)
    kills = 0
    for number in range(JOURNALS):
        home = tmp_path / f"journal-{number}"
        landed_before = -1
        while kills < KILLS * (number + 1) // JOURNALS:
            process = readlog(home, "import", str(source))
            time.sleep(rng.uniform(0.05, 0.9 * duration))
            if process.poll() is None:
                process.send_signal(signal.SIGKILL)
                kills += 1
            process.wait(60)
            landed_before = len(books_of(home))
        rerun = readlog(home, "import", str(source))
        out, err = rerun.communicate(timeout=120)
        assert rerun.returncode == 0, err
        got = books_of(home)
        assert set(got) == set(want), (number, landed_before, sorted(set(want) ^ set(got))[:5])
        assert got == want, number
    assert kills >= KILLS
    print(
        f"{kills} SIGKILLs over {JOURNALS} journals in {time.perf_counter() - started:.0f} s: all converged"
    )


def _importing(home: Path, source: Path) -> subprocess.Popen:
    """An import under way, caught while temp files of a batch are on disk."""
    process = readlog(home, "import", str(source))
    deadline = time.monotonic() + 60
    while not temp_files(home):
        assert process.poll() is None, process.stderr.read()
        assert time.monotonic() < deadline, "no temp files seen"
        time.sleep(0.002)
    return process


@pytest.mark.parametrize("name", ["SIGTERM", "SIGHUP", "SIGINT"])
def test_a_catchable_signal_during_an_import_leaves_no_temp_files(tmp_path, name):
    source = export(tmp_path / "export.csv", rows=3000)
    home = tmp_path / "journal"
    process = _importing(home, source)
    process.send_signal(getattr(signal, name))
    code = process.wait(60)
    assert code != 0
    assert temp_files(home) == []
    again = readlog(home, "import", str(source))
    assert again.wait(120) == 0, again.stderr.read()


def test_check_fix_removes_what_a_sigkill_leaves(tmp_path):
    source = export(tmp_path / "export.csv", rows=3000)
    home = tmp_path / "journal"
    process = _importing(home, source)
    process.send_signal(signal.SIGKILL)
    process.wait(60)
    left = temp_files(home)
    assert left
    check = readlog(home, "check")
    out, _ = check.communicate(timeout=60)
    assert check.returncode == 1 and b"interrupted write" in out
    fix = readlog(home, "check", "--fix")
    fix.communicate(timeout=60)
    assert temp_files(home) == []
