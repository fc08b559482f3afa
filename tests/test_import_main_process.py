"""A big import's main process (issue 25, session 16): what it no longer asks the disk or works out again
gives the same answers as before."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from readlog import journal as journal_module
from readlog.importers.base import PARALLEL_FROM_BYTES
from readlog.journal import Journal
from readlog.model import Book
from test_import_export import GR_HEADER, gr_row, write_csv


def test_claims_after_the_folder_is_listed_pass_over_the_files_there(journal_home: Path):
    """Past LIST_FROM_CLAIMS claims, a batch asks the folder's listing, not the disk: a file that was there
    before the import (even by a name that differs only in case) is never claimed, and neither is a slug
    this batch has promised."""
    journal = Journal(journal_home)
    journal.books_dir.mkdir(parents=True, exist_ok=True)
    (journal.books_dir / "dune.toml").write_text('title = "Dune"\n')
    (journal.books_dir / "Emma.toml").write_text('title = "Emma"\n')
    with journal.bulk() as batch:
        filler = [batch.claim(Book(title=f"Filler {n}")) for n in range(journal_module.LIST_FROM_CLAIMS)]
        assert batch.listed is None  # (every claim so far asked the disk)
        assert batch.claim(Book(title="Dune", authors=["Frank Herbert"])) == "dune-herbert"
        assert batch.listed is not None  # (this one asked the listing)
        assert batch.claim(Book(title="Emma", authors=["Jane Austen"])) == "emma-austen"
        assert batch.claim(Book(title="Filler 3")) == "filler-3-2"
        assert batch.claim(Book(title="Persuasion")) == "persuasion"
        assert len(set(filler)) == len(filler)


# --- new books' files written while the export is read (importers._Early) ---------------------------------
EDITIONS_FROM = 1100  # rows; then another edition of every fifth work of the first 400


def _big_export(path: Path) -> Path:
    """An export big enough for the parsing workers (they prepare each book's text), whose works come back
    as other editions at its end, long after their first edition's file was written early."""
    rows = [
        gr_row(**{
            "Book Id": str(5000 + n), "Title": f"Saltmarsh {n} of the Lantern", "Author": f"Weaver {n % 97}",
            "Exclusive Shelf": "read", "Date Read": f"2021/03/{n % 28 + 1:02d}",
            "My Review": f"Heron{n}word " * 90,
        })
        for n in range(EDITIONS_FROM)
    ]  # fmt: skip
    for n in range(0, 400, 5):
        twin = dict(rows[n])
        twin.update({"Book Id": str(80000 + n), "Date Read": "2024/06/06", "My Review": f"Again {n}."})
        rows.append(twin)
    return write_csv(path, GR_HEADER, rows)


def _temps(books: Path) -> list[str]:
    return sorted(p.name for p in books.iterdir() if p.name.startswith(".") and p.name.endswith(".tmp"))


def test_a_book_written_early_and_joined_later_is_written_joined(journal_home: Path, tmp_path: Path):
    export = _big_export(tmp_path / "export.csv")
    assert export.stat().st_size >= PARALLEL_FROM_BYTES  # (the workers prepare the text: written early)
    done = subprocess.run(
        [sys.executable, "-m", "readlog", "import", str(export)],
        capture_output=True,
        text=True,
        env={**os.environ},
    )
    assert done.returncode == 0, done.stderr
    books = journal_home / "books"
    assert _temps(books) == []
    files = sorted(p.name for p in books.glob("*.toml"))
    assert len(files) == EDITIONS_FROM
    for n in range(0, 400, 5):
        text = (books / f"saltmarsh-{n}-of-the-lantern.toml").read_text(encoding="utf-8")
        assert str(5000 + n) in text and str(80000 + n) in text, n  # both editions, not the first alone
    text = (books / "saltmarsh-1-of-the-lantern.toml").read_text(encoding="utf-8")
    assert "80001" not in text and "Heron1word" in text


def test_a_signal_while_the_export_is_read_leaves_no_early_temp_file(journal_home: Path, tmp_path: Path):
    export = _big_export(tmp_path / "export.csv")
    books = journal_home / "books"
    process = subprocess.Popen(
        [sys.executable, "-m", "readlog", "import", str(export)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ},
    )
    deadline = time.monotonic() + 60
    while not (books.is_dir() and any(n.startswith(".import.toml.") for n in _temps(books))):
        assert process.poll() is None, process.stderr.read() if process.stderr else ""
        assert time.monotonic() < deadline, "no early temp file seen"
        time.sleep(0.002)
    process.send_signal(signal.SIGTERM)
    assert process.wait(60) != 0
    assert _temps(books) == []
