"""Every command that reads the whole journal says which book files it could not read (one warning line each
on stderr), as `list` does: a count, a search or a recall that quietly left a book out is worse than a
warning. The data on stdout is the same as without the warning."""

from __future__ import annotations

import json

import pytest


@pytest.fixture
def journal_with_a_broken_file(run, books):
    run("add", "Dune", "-a", "Frank Herbert", "--rating", "4", "--tag", "classic", "--review", "Spice.")
    run("quote", "dune", "Fear is the mind-killer.")
    (books / "broken.toml").write_text('title = "John Adams"\nrating = \n')
    (books / "bad-status.toml").write_text('title = "Bad Status"\nauthors = ["Ann"]\nstatus = "wnt"\n')
    return books


@pytest.mark.parametrize(
    "args",
    [["stats"], ["stats", "--json"], ["tags"], ["tags", "--json"], ["search", "spice"], ["search", "adams"],
     ["recall"], ["recall", "--json"]],
)  # fmt: skip
def test_a_book_file_that_could_not_be_read_is_said_not_hidden(run, journal_with_a_broken_file, args):
    books = journal_with_a_broken_file
    result = run(*args)
    assert f"readlog: warning: skipped {books / 'broken.toml'}:2:10: invalid TOML" in result.stderr, args
    assert f"readlog: warning: skipped {books / 'bad-status.toml'}:3: status: 'wnt'" in result.stderr, args
    assert "warning" not in result.stdout
    if "--json" in args:
        json.loads(result.stdout)  # still only the data


def test_a_journal_without_a_problem_warns_of_nothing(run, books):
    run("add", "Dune", "-a", "Frank Herbert", "--rating", "4", "--tag", "classic")
    for args in (["stats"], ["tags"], ["search", "dune"], ["recall"]):
        assert "warning" not in run(*args).stderr, args


def test_recall_with_nothing_to_bring_back_says_so_on_stderr(run, books):
    run("add", "Dune", "-a", "Frank Herbert")
    result = run("recall")
    assert result.stdout == ""
    assert "Nothing to recall on this day: no remembered lines yet" in result.stderr
    assert "Nothing to recall on this day" in run("recall", "--count", "0").stderr
    assert run("recall", "--json").stderr == ""  # a script asked for the data: the data alone


def test_reindex_counts_the_files_it_could_not_read_and_names_them(run, journal_with_a_broken_file):
    books = journal_with_a_broken_file
    result = run("reindex")
    assert f"readlog: warning: skipped {books / 'broken.toml'}:2:10: invalid TOML" in result.stderr
    assert "Indexed 3 book files, 2 of them could not be read (above) in " in result.stderr


def test_reindex_of_a_sound_journal_says_only_the_count(run, books):
    run("add", "Dune", "-a", "Frank Herbert")
    result = run("reindex")
    assert result.stderr.startswith("Indexed 1 book file in ") and "warning" not in result.stderr
