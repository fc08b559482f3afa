"""`finish`, `rate` and other one-line changes are written without tomlkit (bookfile._edited_lines): the file
that comes out must be exactly the one tomlkit writes, or tomlkit must write it. Every case here compares the
two; the near misses (a look-alike line inside a long text, a comment, a spaced header, CRLF, an inline
table) must fall back, not guess."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from readlog import bookfile
from readlog.model import Book, Read

EXAMPLES = sorted((Path(__file__).parent.parent / "examples" / "journal" / "books").glob("*.toml"))

READING = """\
schema = 2
title = "The Bench Book"
authors = ["A. Writer"]
status = "reading"
priority = 2
tags = ["essays", "quiet"]
year = 2001
added = 2025-04-05

[[reads]]
started = 2024-01-02
finished = 2024-02-03

[[reads]]
started = 2025-11-20
format = "ebook"

[[reads.progress]]
date = 2025-11-21
page = 40

[[reflections]]
date = 2025-11-22
text = "Slow going, in a good way."
"""


def _finish(book: Book) -> None:
    read = book.open_read
    if read is None:
        read = Read()
        book.reads.append(read)
    read.finished = date(2025, 12, 1)
    book.status = "read"
    book.priority = None


def _rate(book: Book) -> None:
    book.rating = 3.75


def _unrate(book: Book) -> None:
    book.rating = None


def _retag(book: Book) -> None:
    book.tags = [*book.tags, "reread soon"]


def _rate_reading(book: Book) -> None:
    if book.reads:
        book.reads[-1].rating = 4.5
    book.rating = 4.5


CHANGES: dict[str, Callable[[Book], None]] = {
    "finish": _finish,
    "rate": _rate,
    "unrate": _unrate,
    "retag": _retag,
    "rate reading": _rate_reading,
}


def _both(text: str, change: Callable[[Book], None]) -> tuple[str | None, str, str]:
    """What the line path writes (None: it declined), what tomlkit writes, and what `update` writes."""
    book = bookfile.parse(text, "x.toml")
    before = bookfile.snapshot(book)
    change(book)
    new = bookfile.book_to_dict(book)
    return (
        bookfile._edited_lines(before, new, text),
        bookfile.update_data(text, new),
        bookfile.update(text, book, before),
    )


@pytest.mark.parametrize("name", CHANGES)
@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_every_example_book_comes_out_as_tomlkit_writes_it(path, name):
    lines, tomlkit_text, written = _both(path.read_text(), CHANGES[name])
    if lines is not None:
        assert lines == tomlkit_text == written


@pytest.mark.parametrize("name", CHANGES)
def test_a_book_being_read_is_changed_line_by_line(name):
    lines, tomlkit_text, written = _both(READING, CHANGES[name])
    assert lines is not None, "the one-line path declined a plain file"
    assert lines == tomlkit_text == written


def test_finish_changes_three_lines_and_nothing_else():
    lines, _, _ = _both(READING, _finish)
    assert lines == READING.replace('status = "reading"\n', 'status = "read"\n').replace(
        "priority = 2\n", ""
    ).replace(
        "started = 2025-11-20\n", "started = 2025-11-20\nfinished = 2025-12-01\n"
    )  # (a new file's place)


NEAR_MISSES = {
    # the look-alike line is inside a long text: the real status is below it
    "status inside a text": READING.replace(
        'status = "reading"\n',
        "notes = '''\nstatus = \"reading\"\n'''\nstatus = \"reading\"\n",
    ),
    # the only line that looks right is inside a long text; the real one is written in literal quotes
    "look-alike only inside a text": READING.replace(
        'status = "reading"\n',
        "notes = '''\nstatus = \"reading\"\n'''\nstatus = 'reading'\n",
    ),
    # a comment after the value: tomlkit keeps it, the line path cannot see the value alone
    "comment after a value": READING.replace('status = "reading"', 'status = "reading"  # for now'),
    # the top ends with a comment: where would a new key go?
    "comment last at the top": READING.replace("added = 2025-04-05\n", "added = 2025-04-05\n# mine\n"),
    "spaced header": READING.replace("[[reads]]\nstarted = 2025-11-20", "[[ reads ]]\nstarted = 2025-11-20"),
    "crlf": READING.replace("\n", "\r\n"),
    "inline reads": READING.split("[[reads]]")[0]
    + 'reads = [{started = 2024-01-02, finished = 2024-02-03}, {started = 2025-11-20, format = "ebook"}]\n',
    "quoted key": READING.replace('status = "reading"', '"status" = "reading"'),
    "one author alias": READING.replace('authors = ["A. Writer"]', 'author = "A. Writer"'),
    "last reading before a table of its own": READING.replace(
        "[[reflections]]", '[reads.where]\nplace = "train"\n\n[[reflections]]'
    ),
    "title with a quote": READING.replace('"The Bench Book"', '"The \\"Bench\\" Book"'),
    "value written another way": READING.replace("year = 2001", "year = 2_001"),
}


@pytest.mark.parametrize("name", CHANGES)
@pytest.mark.parametrize("case", NEAR_MISSES)
def test_near_misses_come_out_as_tomlkit_writes_them(case, name):
    lines, tomlkit_text, written = _both(NEAR_MISSES[case], CHANGES[name])
    if lines is not None:
        assert lines == tomlkit_text == written


@pytest.mark.parametrize(
    "case",
    [
        "status inside a text",
        "look-alike only inside a text",
        "comment after a value",
        "crlf",
        "inline reads",
    ],
)
def test_near_misses_that_must_fall_back(case):
    lines, _, _ = _both(NEAR_MISSES[case], _finish)
    assert lines is None


def test_finish_by_title_does_not_load_tomlkit(tmp_path):
    """The point of the line path: a `finish` runs without importing tomlkit (about a third of its time)."""
    home = tmp_path / "readlog"
    (home / "books").mkdir(parents=True)
    (home / "books" / "the-bench-book.toml").write_text(READING)
    env = {**os.environ, "READLOG_HOME": str(home), "READLOG_CACHE": str(tmp_path / "cache")}
    done = subprocess.run(
        [
            sys.executable,
            "-X",
            "importtime",
            "-m",
            "readlog",
            "finish",
            "the bench book",
            "--date",
            "2025-12-01",
        ],
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert "Finished" in done.stderr
    assert "tomlkit" not in done.stderr
    lines, _, _ = _both(READING, _finish)
    assert (home / "books" / "the-bench-book.toml").read_text() == lines
