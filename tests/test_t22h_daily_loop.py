"""The daily loop's edges (session 22's try-outs): `finish --date` (and `abandon --date`) before the reading's
own progress or pauses is refused, naming that day; `show --at` with a day that is no day is a usage
mistake (exit 2), as `--date` is; `list --status reading` gives the percentage piped and in JSON."""

from __future__ import annotations

import json
import shutil

import pytest

from conftest import snapshot


def reading_with_a_pause(run) -> None:
    """The try-out's Foundation Pit: progress on the 5th and 6th, paused on the 5th, resumed on the 6th."""
    run("add", "The Foundation Pit", "-a", "Andrei Platonov", "--status", "want", "--pages", "200")
    run("start", "the foundation pit", "--date", "2026-12-01")
    run("progress", "the foundation pit", "20", "--date", "2026-12-05")
    run("pause", "the foundation pit", "--date", "2026-12-05")
    run("start", "the foundation pit", "--date", "2026-12-06")
    run("progress", "the foundation pit", "50", "--date", "2026-12-06")


def test_finish_before_the_latest_progress_is_refused_naming_it(run, books):
    """Mutation: `_not_before_its_own` not called in `finish`: rc 0 and `finished = 2026-12-04`, and this
    fails."""
    reading_with_a_pause(run)
    before = snapshot(books)
    result = run("finish", "the foundation pit", "--date", "2026-12-04", code=1)
    assert "--date 2026-12-04 is before this reading's latest progress (2026-12-06)" in result.stderr
    assert snapshot(books) == before


def test_finish_before_a_pause_or_a_resume_is_refused(run, books):
    run("add", "Paused Book", "-a", "A B", "--status", "want")
    run("start", "paused book", "--date", "2026-12-01")
    run("pause", "paused book", "--date", "2026-12-03")
    before = snapshot(books)
    result = run("finish", "paused book", "--date", "2026-12-02", code=1)
    assert "--date 2026-12-02 is before this reading was paused (2026-12-03)" in result.stderr
    assert snapshot(books) == before
    run("start", "paused book", "--date", "2026-12-05")
    result = run("finish", "paused book", "--date", "2026-12-04", code=1)
    assert "--date 2026-12-04 is before this reading was resumed (2026-12-05)" in result.stderr


def test_finish_on_or_after_the_latest_record_is_fine(run, books):
    reading_with_a_pause(run)
    run("finish", "the foundation pit", "--date", "2026-12-06")  # the same day: finished that evening
    assert "finished = 2026-12-06" in (books / "the-foundation-pit.toml").read_text(encoding="utf-8")


def test_a_month_that_holds_the_record_is_not_refused(run, books):
    reading_with_a_pause(run)
    run("finish", "the foundation pit", "--date", "2026-12")  # partial: it may be after the 6th
    assert 'finished = "2026-12"' in (books / "the-foundation-pit.toml").read_text(encoding="utf-8") or (
        "finished = 2026-12" in (books / "the-foundation-pit.toml").read_text(encoding="utf-8")
    )


def test_abandon_before_the_latest_progress_is_refused(run, books):
    """Mutation: `_not_before_its_own` not called in `abandon`: rc 0, and this fails."""
    reading_with_a_pause(run)
    before = snapshot(books)
    result = run("abandon", "the foundation pit", "--date", "2026-12-02", code=1)
    assert "is before this reading's latest progress (2026-12-06)" in result.stderr
    assert snapshot(books) == before


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_show_at_a_day_that_is_no_day_is_a_usage_mistake(run):
    """tryout22a #9: `--date` with these exits 2, `--at` exited 1. Mutation: history.commit_at raising
    ReadlogError (exit 1) again: this fails."""
    run("add", "Klara", "-a", "Kazuo Ishiguro")
    run("sync", "init")
    for value in ("last fryday", "2026-13-45", "2026-02-30"):
        result = run("show", "klara", "--at", value, code=2)
        assert f"--at: {value!r}" in result.stderr and "Traceback" not in result.output
    assert "Klara" in run("show", "klara", "--at", "HEAD").stdout  # a revision, as before


def test_list_reading_gives_the_percentage_piped_and_in_json(run):
    """Mutation: the percentage left out of the piped row (as before): this fails."""
    run("add", "Pages Book", "-a", "A B", "--status", "want", "--pages", "200")
    run("start", "pages book")
    run("progress", "pages book", "50")
    run("add", "No Pages", "-a", "C D", "--status", "want")
    run("start", "no pages")
    rows = [line.split("\t") for line in run("list", "--status", "reading").stdout.splitlines()]
    by_title = {row[1]: row for row in rows}
    assert by_title["Pages Book"][-1] == "25%"
    assert by_title["No Pages"][-1] == "" and len(by_title["No Pages"]) == 7
    csv = run("list", "--status", "reading", "--status", "paused", "--format", "csv").stdout.splitlines()
    assert csv[0] == "slug,title,authors,status,rating,finished,progress" and "25%" in csv[1] + csv[2]
    plain = run("list").stdout.splitlines()  # any other listing: its six columns, as ever
    assert all(len(line.split("\t")) == 6 for line in plain) and len(plain) == 2
    assert "percent_done" not in json.loads(run("list", "--json").stdout)[0]
    listed = {b["title"]: b for b in json.loads(run("list", "--status", "reading", "--json").stdout)}
    assert listed["Pages Book"]["percent_done"] == 25
    assert listed["No Pages"]["percent_done"] is None
