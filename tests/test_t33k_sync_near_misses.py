"""Sync's near misses after session 33's merges (review 33a #13, #15, #14, #7, #8)."""

from __future__ import annotations

import datetime
import json
import tomllib

from readlog.sync.merge import MISSING, merge_data
from test_sync_git import SLUG, Device, assert_clean, devices, files, git_env, remote  # noqa: F401
from test_t33h_outcomes import YEAR


def day(month: int, dd: int) -> datetime.date:
    return datetime.date(int(YEAR), month, dd)


# --- #13: a re-read started on both devices the same day, ended two ways -------------------------------
def test_a_reading_started_on_both_the_same_day_is_one_reading_ended_one_way():
    first = {"started": day(1, 1), "finished": day(1, 1)}
    base = {"status": "read", "reads": [first]}
    ours = {"status": "read", "reads": [first, {"started": day(1, 2), "finished": day(3, 1)}]}
    theirs = {"status": "abandoned", "reads": [first, {"started": day(1, 2), "stopped": day(2, 1)}]}
    merged = merge_data(base, ours, theirs)
    assert merged.data["reads"] == ours["reads"] and merged.data["status"] == "read"
    assert {c.field: (c.ours, c.theirs) for c in merged.conflicts} == {
        "reads[2].finished": (day(3, 1), MISSING),
        "reads[2].stopped": (MISSING, day(2, 1)),
        "status": ("read", "abandoned"),
    }
    # finished on both on two days: one reading whose finish differs, never a re-read counted twice
    theirs = {"status": "read", "reads": [first, {"started": day(1, 2), "finished": day(3, 5)}]}
    merged = merge_data(base, ours, theirs)
    assert merged.data["reads"] == ours["reads"] and merged.data["status"] == "read"
    assert [(c.field, c.ours, c.theirs) for c in merged.conflicts] == [
        ("reads[2].finished", day(3, 1), day(3, 5))
    ]


def test_readings_started_on_other_days_or_undated_stay_two():
    base = {"status": "reading", "reads": []}
    for a, b in (
        ({"started": day(1, 2), "finished": day(3, 1)}, {"started": day(1, 3), "stopped": day(2, 1)}),
        ({"finished": day(3, 1)}, {"stopped": day(2, 1)}),  # no start: nobody's to pair
    ):
        merged = merge_data(base, {"status": "read", "reads": [a]}, {"status": "read", "reads": [b]})
        assert len(merged.data["reads"]) == 2 and merged.conflicts == []


def test_a_reread_started_on_both_before_a_sync_given_up_and_finished_is_a_conflict(devices):
    laptop, work = devices
    laptop("start", SLUG, "--date", f"{YEAR}-01-02")
    work("start", SLUG, "--date", f"{YEAR}-01-02")  # on both, before a sync
    laptop("abandon", SLUG, "--date", f"{YEAR}-02-01")
    work("finish", SLUG, "--date", f"{YEAR}-03-01")
    laptop("sync")
    result = work("sync", code=1)
    assert "both devices changed status (and how reads[2] ended)" in result.stderr
    book = tomllib.loads(work.text())
    ended = [r for r in book["reads"] if str(r.get("started")) == f"{YEAR}-01-02"]
    assert ended == [{"started": day(1, 2), "finished": day(3, 1)}] and book["status"] == "read"
    stats = json.loads(work("stats", "--year", YEAR, "--json").stdout)
    assert (stats["finished"], stats["abandoned"]) == (1, 0)
    work("resolve", SLUG, "status", "--theirs")  # the laptop's: given up
    book = tomllib.loads(work.text())
    assert book["status"] == "abandoned" and book["reads"][-1] == {"started": day(1, 2), "stopped": day(2, 1)}
    work("sync")
    laptop("sync")
    assert files(laptop) == files(work)
    assert_clean(laptop, work)


# --- #15: a goals conflict answered two ways ----------------------------------------------------------
def test_a_goal_conflict_answered_two_ways_is_a_conflict_again(devices):
    laptop, work = devices
    laptop("goal", "40", "--year", "2026")
    laptop("sync")
    work("sync")
    laptop("goal", "45", "--year", "2026")
    work("goal", "30", "--year", "2026")
    laptop("sync")
    work("sync", code=1)  # work's 30 in place, the laptop's 45 recorded
    laptop("sync", code=1)
    laptop("resolve", "goals", "2026", "--ours")  # the laptop: 45
    work("resolve", "goals", "2026", "--ours")  # work: 30, the value in place kept
    laptop("sync")
    result = work("sync", code=1)
    assert "goals" in result.stderr and "resolve goals" in result.stderr
    goals = tomllib.loads((work.home / "goals.toml").read_text())
    assert goals["goals"]["2026"] == 30
    assert [(c["field"], c["ours"], c["theirs"]) for c in goals["conflicts"]] == [("goals.2026", 30, 45)]
    laptop("sync", code=1)
    assert (laptop.home / "goals.toml").read_text() == (work.home / "goals.toml").read_text()
    work("resolve", "goals", "2026", "--theirs")  # 45, once
    work("sync")
    laptop("sync")
    assert tomllib.loads((laptop.home / "goals.toml").read_text()) == {"goals": {"2026": 45}}
    assert_clean(laptop, work)


def test_a_goal_conflict_answered_alike_settles(devices):
    laptop, work = devices
    laptop("goal", "40", "--year", "2026")
    laptop("sync")
    work("sync")
    laptop("goal", "45", "--year", "2026")
    work("goal", "30", "--year", "2026")
    laptop("sync")
    work("sync", code=1)
    laptop("sync", code=1)
    laptop("resolve", "goals", "2026", "--theirs")  # 30 on both
    work("resolve", "goals", "2026", "--ours")
    laptop("sync")
    work("sync")
    laptop("sync")
    assert tomllib.loads((work.home / "goals.toml").read_text()) == {"goals": {"2026": 30}}
    assert_clean(laptop, work)


# --- #14: a file name in the commit message, one line -------------------------------------------------
def test_a_file_name_with_a_newline_or_an_escape_is_one_line_in_the_commit_message(devices):
    laptop, _ = devices
    books = laptop.home / "books"
    text = (books / f"{SLUG}.toml").read_text()
    (books / f"{SLUG}\n2.toml").write_text(text)
    (books / "Emma\t\x1b[31mX.toml").write_text(text)
    said = laptop("sync", code=1).stderr
    message = laptop.git("log", "-1", "--format=%B")
    assert "\x1b" not in message and "\t" not in message and "2.toml" not in message.split("\n", 1)[1]
    subject = laptop.git("log", "-1", "--format=%s")
    assert f"add books/{SLUG}\u24242.toml" in subject and "add books/Emma \u241b[31mX.toml" in subject
    assert f"add books/{SLUG}\u24242.toml" in said  # the "Committed:" line says all that was committed


# --- #8: a file under a name that is not a slug, that is no book --------------------------------------
def test_a_non_slug_file_that_is_no_book_is_said_to_be_none_not_to_want_a_free_name(devices):
    laptop, work = devices
    broken = laptop.home / "books" / "broken copy.toml"
    broken.write_text("x = [\n")
    for attempt in range(2):  # (the first commits it; the next reads what the first kept)
        said = laptop("sync", code=1).stderr
        [line] = [line for line in said.splitlines() if line.startswith(str(broken))]
        assert "no free name" not in line, (attempt, line)
        assert line.startswith(
            f"{broken}: the file name is not a slug: readlog cannot see it; not a book file: "
        )
        assert line.endswith(
            "not a book file: invalid TOML: Invalid value (`readlog check` names what to fix)"
        )
    assert laptop("check", code=1).stdout.strip() == f"{broken}: invalid TOML: Invalid value"  # check's words
    broken.unlink()
    laptop("sync")  # gone: pushed, exit 0
    work("sync")
    assert not (work.home / "books" / "broken copy.toml").exists()


# --- #7: a book file whose name readlog never lists ------------------------------------------------------
def test_a_book_file_named_dune_TOML_or_dune_toml_tilde_is_named_by_every_sync(devices):
    laptop, work = devices
    books = laptop.home / "books"
    upper, tilde = books / f"{SLUG}.TOML", books / f"{SLUG}.toml~"
    for copy in (upper, tilde):
        copy.write_bytes((books / f"{SLUG}.toml").read_bytes())
    (books / "settings.toml.bak").write_text("x = 1\n")  # no book: not named, not held
    for attempt in range(3):  # (the first commits them; the next ones read what the first kept)
        said = laptop("sync", code=1).stderr
        assert "error:" not in said and f"{books}/settings" not in said, (attempt, said)
        for copy, why in ((upper, "must end in `.toml`, lower case"), (tilde, "is not `<slug>.toml`")):
            [line] = [line for line in said.splitlines() if line.startswith(str(copy))]
            assert line.startswith(f"{copy}: the file name {why}: readlog cannot see it; "), line
            assert f"the same bytes as {SLUG}.toml, which readlog reads: a copy (safe to remove)" in line
        assert "not pushed" in said
        (laptop.home / ".git" / "readlog-attention").unlink(missing_ok=True)  # then: a look at every book
    subject = laptop.git("log", "-1", "--format=%s")
    assert f"add books/{SLUG}.TOML, a name readlog cannot see" in subject, subject
    assert f"add books/{SLUG}.toml~, a name readlog cannot see" in subject
    assert "update books/settings.toml.bak" in subject and f"update books/{SLUG}" not in subject
    assert work("sync").stderr.strip().startswith("all in sync")
    assert not (work.home / "books" / f"{SLUG}.TOML").exists()  # never sent while they are there
    upper.unlink()
    tilde.unlink()
    laptop("sync")
    work("sync")
    assert (work.home / "books" / "settings.toml.bak").exists()
