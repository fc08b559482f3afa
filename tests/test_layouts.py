"""Layouts on a real pseudo-terminal at 40, 80, 120 and 200 columns (the width the terminal reports, not
$COLUMNS): nothing cut, nothing broken inside a word, list columns sharing the width by what they hold,
footers and help examples wrapped, pick notes at a reading measure."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from test_colour import on_pty

WIDTHS = (40, 80, 120, 200)
BOX = re.compile(r"[│╭╮╰╯─]")

NOTE = (
    "Another narrator who does not quite see himself: the butler's restraint beside Klara's devotion, "
    "read in one season so that each lights the other, and so on for a good while longer than a line."
)


@pytest.fixture
def env(run, journal_home: Path) -> dict[str, str]:
    run(
        "add", "The Left Hand of Darkness", "-a", "Ursula K. Le Guin", "-r", "4.5", "--finished", "2026-10-01"
    )
    run("add", "Surely You're Joking, Mr. Feynman!", "-a", "Richard P. Feynman", "-r", "4",
        "--finished", "2026-09-01")  # fmt: skip
    run("add", "Klara and the Sun", "-a", "Kazuo Ishiguro", "-r", "4.5", "--finished", "2026-11-01")
    run("add", "Dune", "-a", "Frank Herbert", "--pages", "412", "--status", "want")
    run("start", "dune", "--date", "2026-11-20")
    run("progress", "dune", "120")
    run("add", "Station Eleven", "-a", "Emily St. John Mandel", "--status", "want")
    run(
        "next",
        "add",
        "The Remains of the Day",
        "-a",
        "Kazuo Ishiguro",
        "--from",
        "klara and the sun",
        "--why",
        NOTE,
    )
    run("next", "add", "What I Talk About When I Talk About Running", "-a", "Haruki Murakami",
        "--from", "surely-you-re-joking-mr-feynman")  # fmt: skip
    base = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    return {**base, "READLOG_HOME": str(journal_home), "TERM": "xterm", "READLOG_PAGER": ""}


def screen(args: list[str], env: dict[str, str], width: int) -> list[str]:
    out, code = on_pty([*args, "--color", "never"], env, columns=width)
    assert code == 0, out
    lines = out.decode("utf-8").replace("\r\n", "\n").split("\n")
    assert all(len(line) <= width for line in lines), (width, [line for line in lines if len(line) > width])
    return lines


def flat(lines: list[str]) -> list[str]:
    return [" ".join(BOX.sub(" ", line).split()) for line in lines]


def whole(lines: list[str], phrase: str) -> bool:
    return any(phrase in line for line in flat(lines))


@pytest.mark.parametrize("width", WIDTHS)
def test_list_keeps_names_whole_and_the_footer_wraps_between_words(env, width):
    lines = screen(["list", "--limit", "4"], env, width)
    for phrase in ("Klara and the Sun", "Kazuo Ishiguro", "reading", "2026-11-01", "29%"):
        assert whole(lines, phrase), (width, phrase, lines)
    assert "…" not in "".join(lines)
    footer = "showing 4 of 5 books: --limit N for more, --limit 0 for all"
    joined = " ".join(flat(lines))
    assert footer in joined
    if width < len(footer):  # wrapped by readlog between words, not by the terminal inside one
        assert any(line.rstrip().endswith(("more,", "for", "N", "books:", "--limit")) for line in lines)
        assert not any(line.startswith(("imit", "mit", "or all", "ll")) for line in lines)


def test_list_at_80_gives_the_title_the_room_the_progress_column_does_not_need(env):
    lines = screen(["list"], env, 80)
    header = next(line for line in lines if line.startswith("Title"))
    title_width = header.index("Authors")
    authors_width = header.index("Status") - title_width
    assert title_width >= 24 and title_width > authors_width, header
    assert header.rstrip().endswith("Progress")
    assert whole(lines, "Klara and the Sun") and whole(lines, "The Left Hand of")


@pytest.mark.parametrize("width", WIDTHS)
def test_stats_and_next_never_cut_a_name(env, width):
    stats = screen(["stats"], env, width)
    for name in ("Richard P. Feynman", "Ursula K. Le Guin", "Kazuo Ishiguro"):
        assert whole(stats, name), (width, name, stats)
    queue = screen(["next"], env, width)
    for phrase in ("Surely You're Joking, Mr. Feynman!", "Klara and the Sun", "Station Eleven"):
        assert whole(queue, phrase) or phrase in " ".join(flat(queue)), (width, phrase, queue)
    assert not any(re.search(r"Joki─|Surely You're Joki\b", line) for line in queue)


@pytest.mark.parametrize("width", (120, 200))
def test_pick_notes_keep_a_reading_measure_on_a_wide_terminal(env, width):
    lines = screen(["next"], env, width)
    note_lines = [BOX.sub("", line).strip() for line in lines if "narrator" in line or "devotion" in line]
    assert note_lines and all(len(text) <= 100 for text in note_lines), note_lines
    assert any(len(line) == width for line in lines)  # the panels stay full width


@pytest.mark.parametrize("width", WIDTHS)
def test_help_examples_wrap_with_a_continuation(env, width):
    for args in (["list", "--help"], ["--help"]):
        lines = screen(args, env, width)
        examples = [
            line for line in lines if line.strip().startswith("readlog ") or line.startswith("      --")
        ]
        assert examples
        if width == 40:
            assert any(line.endswith(" \\") for line in lines), lines
        else:
            assert not any(line.endswith(" \\") for line in lines)
        words = " ".join(line.strip().removesuffix("\\").strip() for line in lines)
        assert "readlog list --status read --year 2025 --rating '>=4' --sort rating" in words or args == [
            "--help"
        ]
