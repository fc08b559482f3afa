"""A big import whose book file cannot be written (here: the process's file size limit, as a full disk
would): the import stops at that book with the error it always gave (one line, exit 1), the books before its
durable batch are in place and nothing after them, and no temp file is left, whether the parsing workers
prepared the books' text (a big export) or the importing process formatted them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from readlog import importers
from readlog.importers.base import PARALLEL_FROM_BYTES
from test_import_export import GR_HEADER, gr_row, write_csv

ROWS = importers.FORMAT_IN_WORKERS_FROM + 200
TOO_BIG_AT = importers.FORMAT_IN_WORKERS_FROM + 130  # (0-based) the row whose file is over the limit
LIMIT = 9000  # bytes: every other book's file is smaller, this one's bigger


def _export(path: Path, review: int) -> Path:
    """ROWS rows, each with a review of about `review` characters; the row TOO_BIG_AT has a longer one."""
    rows = [
        gr_row(**{
            "Book Id": str(7000 + n), "Title": f"Tideglass {n} of the Harbour", "Author": f"Maker {n % 89}",
            "Exclusive Shelf": "read", "Date Read": f"2020/05/{n % 28 + 1:02d}",
            "My Review": ("Long " * (LIMIT // 4) if n == TOO_BIG_AT else f"Gull{n}note " * (review // 10)),
        })
        for n in range(ROWS)
    ]  # fmt: skip
    return write_csv(path, GR_HEADER, rows)


# The file size limit for the import and every process it starts; past it a write fails (EFBIG) instead of
# the process being stopped by SIGXFSZ.
_LIMITED = (
    "import os, resource, runpy, signal, sys; signal.signal(signal.SIGXFSZ, signal.SIG_IGN); "
    f"resource.setrlimit(resource.RLIMIT_FSIZE, ({LIMIT}, {LIMIT})); "
    "sys.argv = ['readlog', 'import', sys.argv[1]]; runpy.run_module('readlog', run_name='__main__')"
)


@pytest.mark.parametrize("review", [40, 900], ids=["formatted-when-written", "prepared-by-the-parsers"])
def test_a_book_file_that_cannot_be_written_stops_the_import_at_its_batch(journal_home, tmp_path, review):
    export = _export(tmp_path / "export.csv", review)
    assert (export.stat().st_size >= PARALLEL_FROM_BYTES) == (review > 100)  # both ways of preparing
    done = subprocess.run(
        [sys.executable, "-c", _LIMITED, str(export)], env={**os.environ}, capture_output=True, text=True
    )
    assert done.returncode == 1, done.stderr
    too_big = journal_home / "books" / f"tideglass-{TOO_BIG_AT}-of-the-harbour.toml"
    # Batches of 500 land in order: those handed over before the book that could not be written.
    landed = 500 * (TOO_BIG_AT // 500)
    # (try-out 24b, 11: the line said nothing of the books written before it, nor that the same import
    # again adds the rest. Mutation: Journal.bulk without its note: this fails.)
    assert done.stderr.strip().splitlines() == [
        f"readlog: error: cannot write {too_big}: File too large; {landed:,} new books were written before "
        "it (each whole); the same import again adds the rest"
    ]
    assert done.stdout == ""
    books = journal_home / "books"
    assert landed > 0
    assert sorted(p.name for p in books.iterdir()) == sorted(
        f"tideglass-{n}-of-the-harbour.toml" for n in range(landed)
    )  # (no temp file left: every name is a book's)
    for n in (0, landed - 1):
        text = (books / f"tideglass-{n}-of-the-harbour.toml").read_text(encoding="utf-8")
        assert f"Gull{n}note" in text
    # and the same import again (room now) adds the rest, as the line says
    again = subprocess.run(
        [sys.executable, "-m", "readlog", "import", str(export)], capture_output=True, text=True
    )
    assert again.returncode == 0, again.stderr
    assert len(list(books.iterdir())) == ROWS
