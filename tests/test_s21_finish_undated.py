"""`finish` of a book read on a day nobody wrote down (`add --status read`, an export's read shelf: one reading
with no date) is not a finish today (try-out 21a: a script's `finish cafe-society` gave it today's date, so
it counted for this year): refused, naming --date (that reading's day) and --reread (another reading).
Near misses: a book being read (its reading takes today), a book read on a known day (--reread, as before)."""

from __future__ import annotations

import tomllib


def reads(books, slug):
    return tomllib.loads((books / f"{slug}.toml").read_text())["reads"]


def test_an_undated_reading_is_not_finished_today(run, books):
    run("add", "Cafe Society", "-a", "Someone", "--status", "read")
    before = (books / "cafe-society.toml").read_bytes()
    said = run("finish", "cafe-society", code=1).stderr
    assert "read already (on a day not recorded)" in said and "--date" in said and "--reread" in said
    assert (books / "cafe-society.toml").read_bytes() == before
    run("finish", "cafe-society", "--date", "2019-05-02")  # that reading's day
    assert reads(books, "cafe-society") == [{"finished": reads(books, "cafe-society")[0]["finished"]}]
    assert str(reads(books, "cafe-society")[0]["finished"]) == "2019-05-02"


def test_reread_keeps_the_undated_reading_and_adds_one(run, books):
    run("add", "Other", "-a", "Someone", "--status", "read", "--rating", "3")
    said = run("finish", "other", "--reread", "--date", "2026-11-02", "--rating", "4").stderr
    assert "a re-read" in said
    got = reads(books, "other")
    assert len(got) == 2 and "finished" not in got[0] and str(got[1]["finished"]) == "2026-11-02"
    assert got[0].get("rating") == 3 and got[1]["rating"] == 4  # each reading keeps its own rating


def test_near_misses_as_before(run, books):
    run("add", "Reading Now", "-a", "Someone", "--status", "reading")
    run("finish", "reading-now")  # today
    assert len(reads(books, "reading-now")) == 1 and "finished" in reads(books, "reading-now")[0]
    run("add", "Dated", "-a", "Someone", "--status", "read", "--finished", "2024-01-05")
    assert "finished 2024-01-05" in run("finish", "dated", code=1).stderr


def test_on_a_terminal_it_asks(journal_home, run, books):
    import os

    from test_t20a_prompt import asked

    run("add", "Asked", "-a", "Someone", "--status", "read")
    env = {**os.environ, "READLOG_HOME": str(journal_home), "TERM": "xterm", "READLOG_PAGER": ""}
    out = asked(["finish", "asked"], env, b"\n")  # no: nothing changed, and how to say what was meant
    assert "is read already (on a day not recorded). Log another" in " ".join(out.split())
    assert "--date DAY" in out and reads(books, "asked") == [{}]
    out = asked(["finish", "asked"], env, b"y\n")
    got = reads(books, "asked")
    assert "a re-read" in out and len(got) == 2 and got[0] == {} and "finished" in got[1]
