"""`next` at 40 columns (session 22's try-out): the "Next in a series" panel keeps its hanging indent, each
wrapped line under the title, never under the number. On a real pseudo-terminal."""

from __future__ import annotations

import os
from pathlib import Path

from test_suggest import write
from test_t22h_show_markdown import on_pty


def series_panel(out: str) -> list[str]:
    lines = out.splitlines()
    start = next(n for n, line in enumerate(lines) if "Next in a series" in line)
    end = next(n for n in range(start + 1, len(lines)) if lines[n].startswith("╰"))
    return [line[1:-1] for line in lines[start + 1 : end] if line[1:-1].strip()]


def test_the_series_panel_hangs_its_numbers_at_40_and_80_columns(books: Path, journal_home: Path):
    """Mutation: the panel's lines as they were (`1. ` and the note three spaces in, one Text each): at 40
    columns `Glass` and `after Glass Saga 2…` start at column 2, and this fails."""
    for n in (1, 2):
        write(books, f"glass-{n}", f"Glass Saga {n}: Part {n}", "Mira Glass", "read", rating=4,
              series={"name": "Glass Saga", "number": str(n)})  # fmt: skip
    write(books, "glass-3", "Glass Saga 3: Part 3", "Mira Glass", "want",
          series={"name": "Glass Saga", "number": "3"})  # fmt: skip
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES", "NO_COLOR")}
    env.update(READLOG_HOME=str(journal_home), TERM="xterm-256color", READLOG_PAGER="")
    for columns in (40, 80):
        panel = series_panel(on_pty(["next"], env, columns))
        assert panel[0].startswith("  1. Glass Saga 3: Part 3"), panel
        assert all(line.startswith("     ") and line[5] != " " for line in panel[1:]), panel
        words = " ".join(panel).split()
        assert words[-6:] == ["after", "Glass", "Saga", "2:", "Part", "2"], panel
        if columns == 40:
            assert len(panel) >= 3  # (it wraps there: the rule is seen at work)
