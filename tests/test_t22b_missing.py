"""A command that reads the journal, run where there is none yet, makes nothing: no journal folder and no
cache index for it (session 21, t21f: `list` made none; search, tags, next, stats and the others still
made an index for a journal that does not exist). A command that writes makes both, as before."""

from __future__ import annotations

import os
from pathlib import Path

import pytest


def made(journal_home: Path) -> list[str]:
    cache = Path(os.environ["READLOG_CACHE"])
    return sorted(str(p) for folder in (journal_home, cache) if folder.exists() for p in folder.rglob("*"))


@pytest.mark.parametrize(
    ("command", "code"),
    [
        # (try-out 24b, 5: a mistyped READLOG_HOME gave `stats` 0 readings and `show` "no such book", exit 0:
        # the commands that only read the journal say there is none there, exit 1)
        (["search", "dune"], 1),
        (["tags"], 1),  # (session 29: a folder somebody named, as the others)
        (["next"], 1),
        (["stats"], 1),
        (["stats", "--json"], 1),
        (["series"], 1),  # (session 29: a folder somebody named, as the others)
        (["recall"], 1),  # (session 29: a folder somebody named, as the others)
        (["show", "dune"], 1),
        (["list"], 1),  # (try-out 32a #9: `list` too; a new user's default folder is test_t32f_empty's)
    ],
)
def test_a_reading_command_on_no_journal_makes_nothing(run, journal_home, command, code):
    run(*command, code=code)
    assert made(journal_home) == []


def test_near_miss_the_first_add_makes_the_journal_and_its_index(run, journal_home):
    run("add", "Dune", "-a", "Frank Herbert")
    cache = Path(os.environ["READLOG_CACHE"])
    assert (journal_home / "books" / "dune.toml").exists()
    assert list(cache.glob("index-*.sqlite3"))  # (the next command finds it built: no cold build)
    assert "Dune" in run("search", "dune").stdout
