"""An error in the reader's terms: a write into a folder that is not writable names the folder (try-out 21a:
'Permission denied: books/ro-book.toml', a file that was writable); and on a terminal narrower than the
line, an error wraps between words (at 40 columns it broke `the w|hole title`). Piped, it stays one line."""

from __future__ import annotations

import errno
import os

from readlog.cli.app import _os_message
from test_t20a_prompt import asked, cells


def test_a_folder_that_is_not_writable_is_named():
    temp = "/j/books/.ro-book.toml.0123abcd.tmp"  # readlog's temp file beside the book
    said = _os_message(PermissionError(errno.EACCES, "Permission denied", temp))
    assert said.startswith("cannot write /j/books/ro-book.toml: its folder /j/books is not writable")
    # near misses: the book's own file, and another error on the temp file
    assert _os_message(PermissionError(errno.EACCES, "Permission denied", "/j/books/x.toml")) == (
        "Permission denied: /j/books/x.toml"
    )
    assert _os_message(OSError(errno.EIO, "Input/output error", temp)) == (
        "Input/output error: /j/books/ro-book.toml"
    )


def test_an_error_wraps_between_words_on_a_narrow_terminal(journal_home, run):
    run("add", "Alpha Tale", "-a", "Someone")
    base = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    env = {**base, "READLOG_HOME": str(journal_home), "TERM": "xterm", "READLOG_PAGER": ""}
    out = asked(["rate", "no such book anywhere in this journal at all", "3"], env, b"\n")
    lines = [line for line in out.split("\n") if line.strip()]
    assert len(lines) > 1 and all(cells(line) <= 40 for line in lines), lines
    words = " ".join(lines).split()
    for word in ("'no", "such", "book", "anywhere", "journal", "`readlog", "list`", "shows", "them", "all"):
        assert word in words, (word, lines)  # whole, never broken by the terminal
    piped = run("rate", "no such book anywhere in this journal at all", "3", code=1).stderr
    assert len(piped.strip().splitlines()) == 1  # piped: one line, however long
