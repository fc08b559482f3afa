"""A command asked for `--json` with stdout closed (`>&-`) fails before it changes anything (session 21,
t21f: `add --json >&-` wrote the book, then failed on stdout with exit 1: the script saw a failure and the
journal had the book). Run for real, in a subprocess with fd 1 closed."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import snapshot

CLOSED = "readlog: error: stdout is closed: the output could not be written (`>/dev/null` drops it)"


def readlog(*args: str, close_stdout: bool = True) -> subprocess.CompletedProcess[str]:
    """`python -m readlog ARGS`, with stdout closed as `>&-` closes it (or a pipe to read it)."""
    return subprocess.run(
        [sys.executable, "-m", "readlog", *args],
        stdout=None if close_stdout else subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        preexec_fn=(lambda: os.close(1)) if close_stdout else None,
        text=True,
    )


def everything(journal_home: Path) -> dict[str, bytes]:
    """The journal and the cache, every file with its bytes."""
    cache = Path(os.environ["READLOG_CACHE"])
    return {**snapshot(journal_home), **{f"cache/{k}": v for k, v in snapshot(cache).items()}}


def test_add_json_with_stdout_closed_writes_nothing(journal_home):
    result = readlog("add", "Dune", "-a", "Frank Herbert", "--json")
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [CLOSED]
    assert not journal_home.exists() and not Path(os.environ["READLOG_CACHE"]).exists()


def test_near_miss_add_without_json_runs_with_stdout_closed(books):
    result = readlog("add", "Dune", "-a", "Frank Herbert")
    assert result.returncode == 0, result.stderr
    assert (books / "dune.toml").exists()


def test_near_miss_add_json_with_stdout_open_prints_the_book(books):
    result = readlog("add", "Dune", "-a", "Frank Herbert", "--json", close_stdout=False)
    assert result.returncode == 0 and '"slug": "dune"' in result.stdout
    assert (books / "dune.toml").exists()


@pytest.mark.parametrize(
    "command",
    [["finish", "dune", "--json"], ["rate", "dune", "4", "--json"], ["progress", "dune", "40", "--json"]],
)
def test_a_lifecycle_verb_with_json_and_stdout_closed_changes_nothing(run, journal_home, command):
    run("add", "Dune", "-a", "Frank Herbert", "--status", "reading")
    before = everything(journal_home)
    result = readlog(*command)
    assert result.returncode == 1 and CLOSED in result.stderr
    assert everything(journal_home) == before


def test_import_json_with_stdout_closed_changes_nothing(run, journal_home, tmp_path):
    run("add", "Emma", "-a", "Jane Austen")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["Book Id", "Title", "Author", "Exclusive Shelf", "Date Added", "My Rating"])
    writer.writerow(["53732", "Dune", "Frank Herbert", "read", "2010/12/02", "5"])
    export = tmp_path / "goodreads_library_export.csv"
    export.write_text(out.getvalue(), encoding="utf-8")
    before = everything(journal_home)
    result = readlog("import", str(export), "--json")
    assert result.returncode == 1 and CLOSED in result.stderr
    assert everything(journal_home) == before
    assert readlog("import", str(export)).returncode == 0  # (no --json: nothing printed, the import runs)
    assert (journal_home / "books" / "dune.toml").exists()
