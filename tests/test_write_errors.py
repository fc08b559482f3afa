"""A write that fails where the OS names no file (a full disk, a file size limit, a quota, an I/O error: the
write, its fsync or the close fails) is said with the file it was for, `readlog: error: cannot write PATH:
No space left on device`, not `readlog: error: File too large` alone; one line, exit 1, no traceback, the
file as it was and no temp file beside it. The failure is provoked with the process's file size limit
(RLIMIT_FSIZE, with SIGXFSZ ignored: the write fails with EFBIG), as a full disk would make it fail; a big
import's case is in test_import_write_errors.py."""

from __future__ import annotations

import contextlib
import errno
import os
import resource
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from readlog.errors import CannotWrite, ReadlogError
from readlog.files import BulkWriter, atomic_write

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGXFSZ"), reason="needs POSIX file size limits")

# readlog with a file size limit (argv[1] bytes) for its writes; past it a write fails (EFBIG).
_LIMITED = (
    "import resource, runpy, signal, sys; signal.signal(signal.SIGXFSZ, signal.SIG_IGN); "
    "limit = int(sys.argv[1]); resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit)); "
    "sys.argv = ['readlog', *sys.argv[2:]]; runpy.run_module('readlog', run_name='__main__')"
)


def _limited(limit: int, *args: str) -> subprocess.CompletedProcess[str]:
    # (stdout and stderr are pipes: the limit would cut what is written to a file)
    return subprocess.run(
        [sys.executable, "-c", _LIMITED, str(limit), *args], capture_output=True, text=True, timeout=120
    )


@contextlib.contextmanager
def _file_size_limit(size: int) -> Iterator[None]:
    """This process's writes limited to `size` bytes a file for the block (the hard limit kept)."""
    before = resource.getrlimit(resource.RLIMIT_FSIZE)
    handler = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (size, before[1]))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, before)
        signal.signal(signal.SIGXFSZ, handler)


def test_atomic_write_names_the_file_a_failed_write_was_for(tmp_path):
    path = tmp_path / "dune.toml"
    path.write_text('title = "Dune"\n', encoding="utf-8")
    with _file_size_limit(1000), pytest.raises(CannotWrite) as raised:
        atomic_write(path, "x" * 5000)
    error = raised.value
    assert str(error) == f"cannot write {path}: File too large"
    # Still the OS error it was, for code that handles those (the look-up cache, the index's fallback).
    assert isinstance(error, OSError) and isinstance(error, ReadlogError)
    assert error.errno == errno.EFBIG and error.filename == str(path)
    assert os.listdir(tmp_path) == ["dune.toml"]  # no temp file left
    assert path.read_text(encoding="utf-8") == 'title = "Dune"\n'


def test_a_bulk_writers_failed_write_names_the_book(tmp_path):
    writer = BulkWriter()
    with _file_size_limit(1000), pytest.raises(CannotWrite) as raised:
        writer.add(tmp_path / "small.toml", "x" * 100)
        writer.add(tmp_path / "big.toml", "x" * 5000)
    assert str(raised.value) == f"cannot write {tmp_path / 'big.toml'}: File too large"
    writer.discard()
    assert os.listdir(tmp_path) == []


def test_add_that_cannot_write_its_book_names_it(journal_home):
    done = _limited(40, "add", "Dune", "-a", "Frank Herbert")
    book = journal_home / "books" / "dune.toml"
    assert done.returncode == 1, done.stderr
    assert done.stderr.splitlines() == [f"readlog: error: cannot write {book}: File too large"]
    assert done.stdout == ""
    assert os.listdir(journal_home / "books") == []


def test_reflect_that_cannot_rewrite_the_book_names_it_and_leaves_it_as_it_was(run, journal_home):
    run("add", "Dune", "-a", "Frank Herbert")
    book = journal_home / "books" / "dune.toml"
    before = book.read_bytes()
    done = _limited(len(before) + 20, "reflect", "dune", "a long thought " * 20)
    assert done.returncode == 1, done.stderr
    assert done.stderr.splitlines() == [f"readlog: error: cannot write {book}: File too large"]
    assert book.read_bytes() == before
    assert sorted(p.name for p in book.parent.iterdir()) == ["dune.toml"]


def test_an_export_that_cannot_be_written_names_it(run, tmp_path: Path):
    run("add", "Dune", "-a", "Frank Herbert", "--review", "Sand and politics. " * 20)
    out = tmp_path / "out.json"
    done = _limited(100, "export", "--format", "json", "--output", str(out))
    assert done.returncode == 1, done.stderr
    assert done.stderr.splitlines() == [f"readlog: error: cannot write {out}: File too large"]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out.json")]


def test_a_site_that_cannot_be_written_names_the_file(run, tmp_path: Path):
    """A page of the site (written by the build itself, not atomic_write) that fails says which file; the
    published folder is not made."""
    run("add", "Dune", "-a", "Frank Herbert", "--review", "Sand and politics. " * 200)
    out = tmp_path / "site"
    done = _limited(3000, "site", str(out))
    assert done.returncode == 1, done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("readlog: error: cannot write "), lines
    assert lines[0].endswith(": File too large") and "Traceback" not in done.stderr
    assert not out.exists()


def test_a_reindex_whose_index_cannot_be_kept_says_so(run, journal_home, tmp_path: Path):
    """`reindex` exists to keep the index: one that could only build it in memory (a full disk) fails, with
    the file and SQLite's own reason (not the failed ROLLBACK's "no transaction is active" after SQLite had
    rolled back itself), instead of "Indexed 1 book file"."""
    run("add", "Dune", "-a", "Frank Herbert")
    before = sorted(p.name for p in (journal_home / "books").iterdir())
    done = _limited(3000, "reindex")
    assert done.returncode == 1, done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("readlog: error: the index could not be kept ("), lines
    assert (
        str(tmp_path / "cache") in lines[0] and "rollback" not in lines[0] and "transaction" not in lines[0]
    )
    assert "1 book files were read" in lines[0] and done.stdout == ""
    assert sorted(p.name for p in (journal_home / "books").iterdir()) == before
    assert run("list").stdout.startswith("Dune") or "Dune" in run("list").stdout  # and the journal is fine
    assert "Indexed 1 book file in" in run("reindex").stderr  # (with room again, kept)
