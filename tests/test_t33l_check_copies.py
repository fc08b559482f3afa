"""t33l: `check` and a Finder copy (review 33a #6); a JSON backup's ending conflicts (#10); a reading ended
twice, as counted (#18); goals.toml in a whole-journal backup (#17)."""

from __future__ import annotations

import json
import subprocess


def _titles(run) -> list[str]:
    return [book["title"] for book in json.loads(run("list", "--json").stdout)]


def test_a_finder_copy_is_a_copy_and_fix_puts_it_in_trash_never_a_second_book(run, books, journal_home):
    run("add", "Dune", "-a", "Frank Herbert", "--rating", "4")
    (books / "Dune.toml").write_bytes((books / "dune.toml").read_bytes())
    said = run("check", code=1).stdout
    assert said.count("\n") == 1, said  # one line: the copy's; dune.toml is no duplicate of a file unseen
    assert f"{books / 'Dune.toml'}: the file name is not a slug: readlog cannot see it; " in said
    assert "the same bytes as dune.toml, which readlog reads: a copy (safe to remove" in said
    assert "merge" not in said  # (`merge Dune.toml dune.toml` is refused: no advice that cannot run)
    fixed = run("check", "--fix").stdout
    assert "renamed" not in fixed and f"moved {books / 'Dune.toml'} to " in fixed
    assert sorted(p.name for p in books.iterdir()) == ["dune.toml"]
    assert [p.name.split(".")[0] for p in (journal_home / "trash").iterdir()] == ["dune"]
    assert _titles(run) == ["Dune"]
    assert "all good" in run("check").stderr


def test_an_upper_case_extension_copy_is_a_copy_too_and_another_book_so_named_is_still_renamed(run, books):
    run("add", "Dune", "-a", "Frank Herbert")
    (books / "Dune.TOML").write_bytes((books / "dune.toml").read_bytes())
    (books / "Kindred.TOML").write_text('title = "Kindred"\nauthors = ["Octavia E. Butler"]\n')
    said = run("check", code=1).stdout
    assert "Dune.TOML: a book file readlog cannot see" in said and "the same bytes as dune.toml" in said
    assert "merge" not in said
    fixed = run("check", "--fix").stdout
    assert (
        f"moved {books / 'Dune.TOML'} to " in fixed
        and f"renamed {books / 'Kindred.TOML'} to kindred" in fixed
    )
    assert sorted(p.name for p in books.iterdir()) == ["dune.toml", "kindred.toml"]


def test_a_copy_with_changes_of_its_own_is_named_with_a_way_in_and_a_merge_that_run(run, books):
    run("add", "Dune", "-a", "Frank Herbert", "--rating", "4")
    text = (books / "dune.toml").read_text()
    (books / "dune 2.toml").write_text(text.replace("rating = 4\n", 'rating = 4\ntags = ["desert"]\n'))
    said = run("check", code=1).stdout
    assert said.count("\n") == 1 and "the same book as dune.toml (Dune), with changes of its own" in said
    before = sorted(p.name for p in books.iterdir())
    assert "renamed" not in run("check", "--fix", code=1).stdout  # the reader's to join: never a second book
    assert sorted(p.name for p in books.iterdir()) == before
    command = said.split("`")[1] + " && " + said.split("`")[3].replace("readlog ", "readlog --no-input ")
    assert command.startswith("mv -i ") and "readlog --no-input merge dune.toml dune-herbert" in command
    moved, merged = command.split(" && ")
    subprocess.run(moved, shell=True, check=True)
    run(*merged.split()[1:])
    assert sorted(p.name for p in books.iterdir()) == ["dune.toml"]
    assert "desert" in (books / "dune.toml").read_text() and _titles(run) == ["Dune"]


def test_a_name_not_a_slug_of_a_book_not_in_books_is_still_renamed(run, books):
    run("add", "Dune", "-a", "Frank Herbert")
    (books / "Klara.toml").write_text('title = "Klara and the Sun"\nauthors = ["Kazuo Ishiguro"]\n')
    (books / "Dune Messiah.toml").write_text('title = "Dune Messiah"\nauthors = ["Frank Herbert"]\n')
    said = run("check", code=1).stdout
    assert "same" not in said and said.count("not a slug") == 2
    assert "renamed" in run("check", "--fix").stdout
    assert sorted(p.name for p in books.iterdir()) == [
        "dune-messiah.toml",
        "dune.toml",
        "klara-and-the-sun.toml",
    ]


# --- #10: a JSON backup of t33h's ending conflicts --------------------------------------------------------
# (what a real two-device sync wrote for "given up on the laptop, finished on work": t33h's
# given_up_and_finished; `reads[2].stopped` has nothing in place, the finish is)
ENDED_BOTH_WAYS = """schema = 2
title = "Klara and the Sun"
authors = ["Kazuo Ishiguro"]
status = "read"
rating = 3
added = 2026-12-08

[[reads]]
rating = 4

[[reads]]
started = 2026-01-02
finished = 2026-12-08
rating = 3

[[conflicts]]
field = "status"
ours = "read"
theirs = "abandoned"
ours_device = "vm-bb88"
theirs_device = "vm-e149"
when = 2026-12-08T00:28:58Z

[[conflicts]]
field = "reads[2].finished"
ours = 2026-12-08
ours_device = "vm-bb88"
theirs_device = "vm-e149"
when = 2026-12-08T00:28:58Z

[[conflicts]]
field = "reads[2].stopped"
theirs = 2026-12-08
ours_device = "vm-bb88"
theirs_device = "vm-e149"
when = 2026-12-08T00:28:58Z
"""


def test_a_json_backup_types_an_ending_conflicts_day_with_nothing_in_place(run, books, tmp_path):
    books.mkdir(parents=True)
    (books / "klara-and-the-sun.toml").write_text(ENDED_BOTH_WAYS)
    backup = tmp_path / "backup.json"
    backup.write_text(run("export", "--format", "json").stdout)
    assert "2026-12-08T00:28:58" in backup.read_text()  # (JSON: days and times as text)
    home = tmp_path / "restored"
    run("--no-input", "import", str(backup), env={"READLOG_HOME": str(home)})
    assert (home / "books" / "klara-and-the-sun.toml").read_text() == ENDED_BOTH_WAYS


def test_a_side_is_typed_by_its_fields_own_type_only_where_that_is_a_day():
    from datetime import date

    from readlog.sync.conflicts import from_json

    data = {"title": "x", "reads": [{"started": date(2026, 1, 2)}]}
    given = [
        {"field": "reads[1].stopped", "theirs": "2026-12-08"},
        {"field": "reads[2]", "ours": {"started": "2026-01-03", "stopped": "2026-02-01", "rating": 4}},
        {"field": "reads[1].stopped", "ours": "not a day"},
        {"field": "subtitle", "theirs": "2026-12-08"},  # (a text that looks like a day: text still)
        {
            "field": "reads[1]",
            "theirs": {"started": "2026-01-02", "finished": "2026-03-01", "note": "2026-03-01"},
        },
    ]
    out = from_json(given, data)
    assert out[0]["theirs"] == date(2026, 12, 8)
    assert out[1]["ours"] == {"started": date(2026, 1, 3), "stopped": date(2026, 2, 1), "rating": 4}
    assert out[2]["ours"] == "not a day" and out[3]["theirs"] == "2026-12-08"
    assert out[4]["theirs"] == {
        "started": date(2026, 1, 2),
        "finished": date(2026, 3, 1),
        "note": "2026-03-01",
    }


# --- #18: a reading both finished and stopped, as it is counted -------------------------------------------
def test_a_reading_ended_both_ways_is_said_counted_both_ways_as_stats_counts_it(run, books):
    books.mkdir(parents=True)
    (books / "emma.toml").write_text(
        'schema = 2\ntitle = "Emma"\nauthors = ["Jane Austen"]\nstatus = "read"\nadded = 2026-12-08\n\n'
        "[[reads]]\nstarted = 2026-01-01\nstopped = 2026-02-01\nfinished = 2026-03-01\n"
    )
    said = run("check", code=1).stdout
    assert (
        "both finished (2026-03-01) and stopped (2026-02-01), and counted both as read and as given up"
        in said
    )
    assert "remove reads[1].stopped" in said
    counted = json.loads(run("stats", "--year", "2026", "--json").stdout)
    assert (counted["finished"], counted["abandoned"]) == (1, 1)  # (what the line says is what stats does)
    assert "emma" in run("list", "--status", "abandoned", "--year", "2026").stdout


# --- #17: goals.toml in a whole-journal backup --------------------------------------------------------------
def test_a_whole_journal_backup_carries_goals_toml_and_a_restore_never_writes_over_goals_of_its_own(
    run, journal_home, tmp_path
):
    run("add", "Dune", "-a", "Frank Herbert")
    goals = '[goals]\n2026 = 30\n2025 = 12 # a comment kept\n\n[[conflicts]]\nfield = "2027"\nours = 5\n'
    (journal_home / "goals.toml").write_text(goals)
    backup = tmp_path / "backup.json"
    backup.write_text(run("export", "--format", "json").stdout)
    assert json.loads(run("export", "dune", "--format", "json").stdout).get("goals.toml") is None  # one book
    home = tmp_path / "restored"
    restored = run("--no-input", "import", str(backup), env={"READLOG_HOME": str(home)})
    assert (home / "goals.toml").read_text() == goals and "goals" not in restored.stderr
    assert "goals" not in (home / "books" / "dune.toml").read_text()  # (the journal's file, not the book's)
    mine = "[goals]\n2026 = 5\n"
    (home / "goals.toml").write_text(mine)
    again = run("--no-input", "import", str(backup), env={"READLOG_HOME": str(home)})
    assert (home / "goals.toml").read_text() == mine
    assert "goals.toml: kept as it is; the backup's goals.toml was not restored over it" in again.stderr
    dry = tmp_path / "dry"
    run("--no-input", "import", str(backup), "--dry-run", env={"READLOG_HOME": str(dry)})
    assert not (dry / "goals.toml").exists()
