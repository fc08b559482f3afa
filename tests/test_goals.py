"""goals.toml belongs to the journal: read as a typed `Goals`, written under the journal's lock with an
atomic write, the reader's comments kept; a broken file is one clear line, never a traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from readlog.errors import InvalidValue
from readlog.goals import Goals, parse_goals, with_goal, without_goal
from readlog.journal import Journal


def test_the_journal_reads_goals_as_a_typed_mapping(journal_home):
    journal = Journal(journal_home)
    assert journal.goals() == Goals() and len(journal.goals()) == 0  # no file: no goals, no error
    journal_home.mkdir(parents=True, exist_ok=True)
    (journal_home / "goals.toml").write_text("# mine\n[goals]\n2025 = 24\n2026 = 40\n")
    goals = journal.goals()
    assert dict(goals) == {2025: 24, 2026: 40} and goals[2026] == 40 and 2024 not in goals


def test_set_and_clear_keep_the_rest_of_the_file(journal_home):
    journal = Journal(journal_home)
    journal.set_goal(2026, 30)  # no file yet: made
    assert (journal_home / "goals.toml").read_text() == "[goals]\n2026 = 30\n"
    (journal_home / "goals.toml").write_text("# my goals\n[goals]\n2025 = 24  # last year\n2026 = 30\n")
    journal.set_goal(2026, 35)
    assert (
        journal_home / "goals.toml"
    ).read_text() == "# my goals\n[goals]\n2025 = 24  # last year\n2026 = 35\n"
    assert journal.clear_goal(2026) is True
    assert (journal_home / "goals.toml").read_text() == "# my goals\n[goals]\n2025 = 24  # last year\n"
    assert journal.clear_goal(2026) is False  # nothing to clear, nothing written
    assert journal.clear_goal(1999) is False
    leftovers = [p.name for p in journal_home.iterdir() if p.name.endswith(".tmp")]
    assert leftovers == []  # written through temp files that became the file


def test_a_year_written_with_a_leading_zero_is_the_same_year(journal_home):
    """`02026 = 30` is 2026's goal to the reader and to parse_goals: changed and cleared in place, never
    doubled into two keys that fight over one year."""
    text = "[goals]\n02026 = 30\n"
    assert dict(parse_goals(text, "goals.toml")) == {2026: 30}
    changed = with_goal(text, 2026, 45)
    assert changed == "[goals]\n02026 = 45\n"
    assert without_goal(changed, 2026) == "[goals]\n"
    assert without_goal(changed, 2025) is None


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("[goals\n2026 = 3\n", "invalid TOML"),
        ("goals = 3\n", "`goals` must be a table"),
        ("[goals]\nsoon = 3\n", "'soon' is not a year"),
        ("[goals]\n2026 = 0\n", "is not a number of books"),
        ("[goals]\n2026 = true\n", "is not a number of books"),
    ],
)
def test_a_broken_goals_file_is_one_line_for_every_goal_command_and_stays_as_it_was(
    run, journal_home, text, said
):
    journal_home.mkdir(parents=True, exist_ok=True)
    path = journal_home / "goals.toml"
    path.write_text(text)
    for args in (["goal", "--clear", "--year", "2026"], ["goal", "12", "--year", "2026"], ["stats"]):
        result = run(*args, code=1)  # `goal --clear` used to end in tomlkit's traceback
        assert said in result.stderr and str(path) in result.stderr, (args, result.stderr)
        assert result.stderr.count("\n") == 1, result.stderr
        assert path.read_text() == text
    with pytest.raises(InvalidValue):
        Journal(journal_home).goals()


def test_goals_in_a_file_that_is_not_utf8_are_refused_cleanly(run, journal_home):
    journal_home.mkdir(parents=True, exist_ok=True)
    (journal_home / "goals.toml").write_bytes(b"[goals]\n2026 = 3 # caf\xe9\n")
    result = run("goal", "--clear", "--year", "2026", code=1)
    assert "not UTF-8" in result.stderr
    assert (journal_home / "goals.toml").read_bytes() == b"[goals]\n2026 = 3 # caf\xe9\n"


def test_a_goal_with_a_bom_is_read_and_kept_readable(run, journal_home):
    journal_home.mkdir(parents=True, exist_ok=True)
    (journal_home / "goals.toml").write_bytes("\ufeff[goals]\n2025 = 5\n".encode())
    run("goal", "7", "--year", "2026")
    assert json.loads(run("goal", "--year", "2025", "--json").stdout)["target"] == 5
    assert json.loads(run("goal", "--year", "2026", "--json").stdout)["target"] == 7


HOLDER = """
import fcntl, sys
handle = open(sys.argv[1], "a+b")
fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
print("held", flush=True)
sys.stdin.readline()
"""


def test_setting_a_goal_waits_for_the_journal_lock(journal_home: Path):
    """Two devices' worth of writers (a sync holding the lock, a `goal` typed meanwhile) never interleave:
    the goal is written only once the holder lets go."""
    journal_home.mkdir(parents=True, exist_ok=True)
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(journal_home / ".lock")],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None and holder.stdout.readline() == "held\n"
    writer = subprocess.Popen(
        [sys.executable, "-m", "readlog", "goal", "12", "--year", "2026"],
        env={**os.environ, "READLOG_HOME": str(journal_home)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert writer.stderr is not None
        line = writer.stderr.readline()  # the notice comes while the lock is held
        assert "waiting for the journal" in line, line
        assert not (journal_home / "goals.toml").exists()
    finally:
        holder.communicate("go\n", timeout=30)
    assert writer.wait(60) == 0
    assert (journal_home / "goals.toml").read_text() == "[goals]\n2026 = 12\n"
