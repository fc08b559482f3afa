"""A long index build (a cold one: a new device, a cache thrown away) shows a progress bar on stderr once
it has taken a second, on a terminal only (issue 25): checked on a real pseudo-terminal and through a pipe."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from test_colour import on_pty

BAR = b"indexing"  # the bar's label: Rich draws it on every refresh


def _heavy_journal(books: Path, count: int = 800, reflections: int = 300) -> None:
    """Books slow to index (hundreds of reflections each), so a cold build of them takes seconds. Many books
    rather than a few huge ones: progress is told per book, and the rows are written every 250 books, so
    the build's time is spread over the calls (8 books of 20,000 reflections each parsed in under a second
    and spent the rest in one write after the last call: no bar, on a machine that parses fast)."""
    books.mkdir(parents=True)
    for n in range(count):
        parts = [f'title = "Heavy book {n}"', 'authors = ["A Writer"]', 'status = "read"']
        parts += [
            f'\n[[reflections]]\ntext = "thought {k} on the {n} book"\ndate = 2020-01-0{k % 9 + 1}'
            for k in range(reflections)
        ]
        (books / f"heavy-{n}.toml").write_text("\n".join(parts) + "\n", encoding="utf-8")


def _env(tmp_path: Path) -> dict[str, str]:
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "100"}
    env.pop("NO_COLOR", None)
    return env


def test_a_cold_build_that_takes_seconds_shows_a_bar_on_a_terminal_and_clears_it(books, tmp_path):
    _heavy_journal(books)
    out, code = on_pty(["list", "--limit", "3"], _env(tmp_path))
    assert code == 0, out
    assert BAR in out
    assert b"Heavy book" in out  # the listing follows
    again, code = on_pty(["list", "--limit", "3"], _env(tmp_path))  # the index is built now: no bar
    assert code == 0 and BAR not in again and b"Heavy book" in again


def test_reindex_shows_the_bar_on_a_terminal_after_a_second(books, tmp_path):
    _heavy_journal(books)
    out, code = on_pty(["reindex"], _env(tmp_path))
    assert code == 0, out
    assert BAR in out and b"Indexed 800 book files" in out


def test_no_bar_when_stderr_is_a_pipe(books, tmp_path):
    _heavy_journal(books)
    done = subprocess.run(
        [sys.executable, "-m", "readlog", "list", "--limit", "3"],
        env=_env(tmp_path),
        capture_output=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert BAR not in done.stderr and b"\x1b" not in done.stderr
    assert b"Heavy book" in done.stdout


@pytest.mark.parametrize("args", [["list"], ["reindex"]])
def test_a_quick_cold_build_shows_no_bar(books, tmp_path, args):
    _heavy_journal(books, count=3, reflections=3)
    out, code = on_pty(args, _env(tmp_path))
    assert code == 0, out
    assert BAR not in out
