"""Session 24's try-out b: the journal's folder and files used the wrong way (a file name that is not UTF-8,
a data folder that is the books folder or is missing, a failed write's trash, `--rejects` over the
export, an interrupted or full-disk bulk write, a folder given to `import`)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from conftest import REPO

EXAMPLES = REPO / "examples" / "journal"


def _examples(home: Path) -> Path:
    shutil.copytree(EXAMPLES, home)
    return home / "books"


def test_a_book_file_whose_name_is_not_utf8_is_named_and_the_rest_works(run, journal_home: Path) -> None:
    """Try-out 24b, 1: `books/caf\\xe9.toml` made list, show, rate, search, stats, next and reindex end in a
    traceback (UnicodeEncodeError). Each works over the other books; the reading ones name the file as
    one they skipped. Mutation: `_named_entries` without its `_encodes` test: each of these fails."""
    books = _examples(journal_home)
    odd = os.path.join(os.fsencode(books), b"caf\xe9.toml")
    shutil.copyfile(books / "piranesi.toml", odd)
    listed = run("list")
    assert "never-let-me-go" in listed.stdout
    assert listed.stderr.count("is not UTF-8") == 1
    for args in (
        ["show", "piranesi"],
        ["rate", "piranesi", "3"],
        ["search", "house"],
        ["stats", "--json"],
        ["next"],
        ["reindex"],
    ):
        result = run(*args)
        assert result.stderr.count("caf") <= 1, (args, result.stderr)
    assert "is not UTF-8" in run("reindex").stderr
    assert os.path.exists(odd)  # never touched: `check --fix` is the one to rename it


def test_a_journal_folder_whose_name_is_not_utf8_works(run, tmp_path: Path) -> None:
    """Try-out 24b, 1: READLOG_HOME=/tmp/...\\xffname: `add` made the folder, then crashed naming its index
    (`where.encode()`). Mutation: index_path's crc of `where.encode()` again: this fails."""
    home = os.fsdecode(os.path.join(os.fsencode(tmp_path), b"bad\xffname"))
    env = {"READLOG_HOME": home}
    run("add", "Misplaced", "-a", "Someone", env=env)
    assert "misplaced" in run("list", env=env).stdout
    run("rate", "misplaced", "3", env=env)
    assert "misplaced" in run("search", "someone", env=env).stdout
