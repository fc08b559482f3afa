"""Try-out 32a #8: `next --limit N` did not do what its help said ("At most N picks and N wanted books"): a
book's picks were not cut (three picks of one book for --limit 1), and the books being read were cut to N in
a pipe and in --json without a word. Now N is the most of each (picks, wanted books, books being read), and
what is left out is said on stderr in every format."""

from __future__ import annotations

import json

import pytest


@pytest.fixture
def queue(run):
    for title in ("Deep Work", "Atomic Habits", "Range"):
        run("add", title, "-a", "Some One", "--status", "reading")
    run("add", "The Remains of the Day", "-a", "Kazuo Ishiguro", "--finished", "2024-01-01")
    for title in ("Never Let Me Go", "Klara and the Sun", "An Artist of the Floating World"):
        run("next", "add", title, "-a", "Kazuo Ishiguro", "--from", "the remains of the day")
    for title in ("Dune", "Emma"):
        run("next", "add", title, "-a", "X Y")


@pytest.mark.parametrize("limit", ["1", "2"])
def test_limit_is_the_most_picks_wanted_and_reading_and_the_rest_is_said(run, queue, limit):
    n = int(limit)
    result = run("next", "--limit", limit)  # (piped: tsv)
    rows = [line.split("\t") for line in result.stdout.splitlines()]
    assert sum(row[3] == "open" for row in rows) == n  # picks: at most N, though one book has three
    assert sum(row[3] == "want" for row in rows) == n
    assert sum(row[3] == "reading" for row in rows) == n
    assert f"and {3 - n} more being read: readlog list --status reading" in result.stderr
    assert f"showing {2 * n} of 5 in your queue" in result.stderr


def test_json_with_a_limit_is_never_silently_short(run, queue):
    result = run("next", "--limit", "1", "--json")
    items = json.loads(result.stdout)
    assert [i["status"] for i in items] == ["reading", "open", "want"]
    assert "and 2 more being read" in result.stderr and "showing 2 of 5 in your queue" in result.stderr


def test_no_limit_in_a_pipe_is_everything_and_says_nothing(run, queue):
    result = run("next", "--json")
    assert len(json.loads(result.stdout)) == 3 + 3 + 2
    assert "more" not in result.stderr and "showing" not in result.stderr
    result = run("next", "--limit", "0")
    assert len(result.stdout.splitlines()) == 8 and "more" not in result.stderr


def test_the_help_says_what_limit_does(run):
    flat = " ".join(run("next", "--help").stdout.split())
    assert "At most N picks, N wanted books and N books being read" in flat
