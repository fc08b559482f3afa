"""The daily loop as a new user meets it (issue 23, items 1-5): a second `finish` is not a silent re-read,
positions are ordered by their days, an audiobook's bare number is refused, pauses are dated, ratings
clear, quotes stay inside the book, and `show` tells abandoned, paused and undated readings apart."""

from __future__ import annotations

import json
import tomllib
from datetime import date, timedelta
from pathlib import Path

import pytest

from conftest import snapshot

TODAY = date.today()


def days_ago(n: int) -> str:
    return (TODAY - timedelta(days=n)).isoformat()


def data(books: Path, slug: str) -> dict:
    return tomllib.loads((books / f"{slug}.toml").read_text())


# --- 1. finish of a book already read --------------------------------------------------------------------
@pytest.fixture
def read_book(run, books):
    run("add", "The Left Hand of Darkness", "-a", "Ursula K. Le Guin", "--finished", days_ago(1), "-r", "4")
    return books / "the-left-hand-of-darkness.toml"


def test_finish_of_a_read_book_is_refused_in_a_script_naming_reread(run, read_book, journal_home):
    before = snapshot(journal_home / "books")
    result = run("finish", "the-left-hand-of-darkness", "--rating", "2", code=1)
    assert "--reread" in result.stderr and f"finished {days_ago(1)}" in result.stderr
    assert result.stderr.count("\n") == 1
    assert snapshot(journal_home / "books") == before
    goal = json.loads(run("stats", "--json").stdout)
    assert goal["finished"] == 1


def test_finish_reread_logs_a_second_reading_and_each_keeps_its_rating(run, read_book, books):
    out = run("finish", "the-left-hand-of-darkness", "--reread", "--rating", "3").stderr
    assert "(a re-read)" in out
    reads = data(books, "the-left-hand-of-darkness")["reads"]
    assert reads == [{"finished": TODAY - timedelta(days=1), "rating": 4}, {"finished": TODAY, "rating": 3}]
    shown = run("show", "the-left-hand-of-darkness").stdout
    assert "(★★★★☆ 4)" in shown and "(★★★☆☆ 3)" in shown
    # a third finish is refused again: the latest reading is finished
    run("finish", "the-left-hand-of-darkness", code=1)


@pytest.mark.parametrize(
    ("file", "expected"),
    [
        # an open reading is closed, whatever came before: no --reread needed
        ('status = "reading"\n[[reads]]\nfinished = 2025-01-01\n[[reads]]\nstarted = 2026-01-01\n', 2),
        # the one undated reading of a read book gets its day (what `stats` suggests): no second reading
        ('status = "read"\n[[reads]]\n', 1),
        # the latest reading was abandoned: finishing records a reading, not a slip
        ('status = "abandoned"\n[[reads]]\nstarted = 2026-01-01\nstopped = 2026-01-05\n', 2),
        # no reading at all
        ('status = "want"\n', 1),
    ],
)
def test_finish_needs_no_reread_where_no_reading_is_finished_last(run, books, file, expected):
    books.mkdir(parents=True)
    (books / "dune.toml").write_text('title = "Dune"\n' + file)
    run("finish", "dune", "--date", "2026-02-01")
    assert len(data(books, "dune")["reads"]) == expected


def test_the_latest_reading_is_the_latest_by_date_not_by_place_in_the_file(run, books):
    books.mkdir(parents=True)
    (books / "dune.toml").write_text(
        'title = "Dune"\nstatus = "read"\n[[reads]]\nstarted = 2026-01-01\nstopped = 2026-01-05\n'
        "[[reads]]\nfinished = 2024-01-01\n"
    )
    run("finish", "dune", "--date", "2026-02-01")  # the abandoned one (2026) is the latest
    (books / "dune.toml").write_text(
        'title = "Dune"\nstatus = "read"\n[[reads]]\nfinished = 2026-01-10\n'
        "[[reads]]\nstarted = 2024-01-01\nstopped = 2024-01-05\n"
    )
    assert "--reread" in run("finish", "dune", code=1).stderr


def test_an_inbox_finish_of_a_read_book_stays_with_the_reason(run, read_book, journal_home, books):
    (journal_home / "inbox.md").write_text("finish: the left hand of darkness | 5 | again\n")
    before = read_book.read_bytes()
    result = run("inbox", code=1)
    assert "--reread" in result.stderr
    assert read_book.read_bytes() == before
    assert (journal_home / "inbox.md").read_text() == "finish: the left hand of darkness | 5 | again\n"


# --- 2. positions by date --------------------------------------------------------------------------------
@pytest.fixture
def dune(run, books):
    run(
        "add",
        "Dune",
        "-a",
        "Frank Herbert",
        "--status",
        "reading",
        "--started",
        days_ago(20),
        "--pages",
        "600",
    )
    return books / "dune.toml"


def test_now_is_the_latest_position_by_date(run, dune):
    run("progress", "dune", "300", "--date", "yesterday")
    result = run("progress", "dune", "100", "--date", "10 days ago")
    assert "at 100 (16%)" in result.stderr
    assert "stays where you are now" in result.stderr  # an earlier day filled in: said, not hidden
    shown = run("show", "dune").stdout
    assert "50%  p. 300 of 600" in shown and "16%" not in shown
    assert "Pace: 15.8 pages a day" in shown  # 300 pages in the 19 days from the start to yesterday
    assert "50%" in run("list", "--status", "reading", "--format", "table").stdout
    assert "(p. 300 of 600, 50%)" in run("next", "--format", "table").stdout
    # the index agrees after a rebuild from nothing
    run("reindex")
    assert "50%" in run("list", "--status", "reading", "--format", "table").stdout


def test_a_position_behind_the_latest_on_a_later_day_is_kept_with_a_note(run, dune):
    run("progress", "dune", "300", "--date", "yesterday")
    result = run("progress", "dune", "250")
    assert "note:" in result.stderr and "behind p. 300" in result.stderr
    assert "41%  p. 250 of 600" in run("show", "dune").stdout
    quiet = run("progress", "dune", "260")  # forward again: no note
    assert "note:" not in quiet.stderr


def test_positions_in_different_units_compare_as_shares(run, dune):
    run("progress", "dune", "60%", "--date", "yesterday")
    assert "behind 60%" in run("progress", "dune", "300").stderr  # 300 of 600 is 50%


def test_the_index_keeps_the_latest_by_date_and_every_field_of_a_reading(run, dune, books):
    run("progress", "dune", "300", "--date", "yesterday")
    run("pause", "dune")
    run("progress", "dune", "100", "--date", "10 days ago")
    listed = run("list", "--format", "table").stdout
    assert "paused" in listed and "50%" in listed
    run("reindex")
    listed = run("list", "--format", "table").stdout
    assert "50%" in listed


# --- 3. an audiobook's bare number --------------------------------------------------------------------
def test_a_bare_number_on_an_audiobook_without_pages_is_refused(run, books, journal_home):
    run(
        "start",
        "Station Eleven",
        "-a",
        "Emily St. John Mandel",
        "--format",
        "audiobook",
        "--date",
        days_ago(3),
    )
    run("progress", "station eleven", "2:00", "--of", "10:00", "--date", days_ago(2))
    before = snapshot(journal_home / "books")
    result = run("progress", "station eleven", "90", code=1)
    assert "H:MM" in result.stderr and "%" in result.stderr
    assert snapshot(journal_home / "books") == before
    assert "20%" in run("show", "station eleven").stdout
    run("progress", "station eleven", "25%")
    # a page of a total says what it is: it gives the book a page count, and pages work from then on
    run("progress", "station eleven", "90/300")
    run("progress", "station eleven", "95")


def test_an_audiobook_by_length_alone_refuses_a_bare_number_too(run, books):
    books.mkdir(parents=True)
    (books / "a.toml").write_text(
        'title = "A"\nstatus = "reading"\nduration = "8:00"\n[[reads]]\nstarted = 2026-01-01\n'
    )
    assert "H:MM" in run("progress", "a", "90", code=1).stderr
    (books / "b.toml").write_text(
        'title = "B"\nstatus = "reading"\npages = 300\nduration = "8:00"\n[[reads]]\nstarted = 2026-01-01\n'
    )
    run("progress", "b", "90")  # a page count: a number is a page
    assert "H:MM" in run("abandon", "a", "--at", "90", code=1).stderr  # where it stopped, likewise
    run("abandon", "a", "--at", "4:00")


def test_a_time_on_a_book_of_pages_that_is_no_audiobook_is_refused(run, books, journal_home):
    """`5:30` on a 630-page paperback was kept as 330 minutes listened. Near misses that stay allowed: the
    reading's format audiobook, `--of` giving the length, a book with no page count."""
    books.mkdir(parents=True)
    head = 'status = "reading"\npages = 630\n'
    (books / "paper.toml").write_text(f'title = "Paper"\n{head}[[reads]]\nstarted = 2026-01-01\n')
    before = snapshot(journal_home / "books")
    said = run("progress", "paper", "5:30", code=1).stderr
    assert "Paper” is a book of 630 pages, not an audiobook" in said and "--of 10:12" in said
    assert "a book of 630 pages" in run("abandon", "paper", "--at", "5:30", code=1).stderr
    assert snapshot(journal_home / "books") == before
    run("progress", "paper", "120")  # a page, as ever
    (books / "heard.toml").write_text(
        f'title = "Heard"\n{head}[[reads]]\nstarted = 2026-01-01\nformat = "audiobook"\n'
    )
    run("progress", "heard", "5:30")
    (books / "given.toml").write_text(f'title = "Given"\n{head}[[reads]]\nstarted = 2026-01-01\n')
    run("progress", "given", "5:30", "--of", "10:12")  # the length given: an audiobook from now on
    assert 'duration = "10:12"' in (books / "given.toml").read_text()
    (books / "bare.toml").write_text('title = "Bare"\nstatus = "reading"\n[[reads]]\nstarted = 2026-01-01\n')
    run("progress", "bare", "5:30")  # no page count: nothing says it is not listened to


# --- 4. pause and resume, dated -----------------------------------------------------------------------
def test_pause_and_resume_are_dated_in_the_reading(run, dune, books):
    run("progress", "dune", "25%", "--date", days_ago(6))
    assert f"Paused “Dune” on {days_ago(5)}" in run("pause", "dune", "--date", days_ago(5)).stderr
    reads = data(books, "dune")["reads"]
    assert reads[0]["pauses"] == [{"paused": TODAY - timedelta(days=5)}]
    shown = run("show", "dune").stdout
    assert f"Paused: since {days_ago(5)}" in shown
    assert "Done by about" not in shown
    assert shown.count("25%") == 1  # the percentage once, not `25%  25%`
    assert "since" in run("pause", "dune", code=1).stderr
    assert "before" in run("start", "dune", "--date", days_ago(6), code=1).stderr
    resumed = run("start", "dune", "--date", days_ago(2)).stderr
    assert f"(paused {days_ago(5)}, resumed {days_ago(2)})" in resumed
    reads = data(books, "dune")["reads"]
    assert reads[0]["pauses"] == [{"paused": TODAY - timedelta(days=5), "resumed": TODAY - timedelta(days=2)}]
    shown = run("show", "dune").stdout
    assert "Paused" not in shown and "Done by about" in shown
    assert len(reads) == 1


def test_progress_on_a_paused_book_resumes_it_that_day_unless_it_fills_in_an_earlier_one(run, dune, books):
    run("pause", "dune", "--date", days_ago(5))
    run("progress", "dune", "100", "--date", days_ago(7))  # before the pause: still paused
    assert data(books, "dune")["status"] == "paused"
    run("progress", "dune", "120", "--date", days_ago(1))
    book = data(books, "dune")
    assert book["status"] == "reading"
    assert book["reads"][0]["pauses"] == [
        {"paused": TODAY - timedelta(days=5), "resumed": TODAY - timedelta(days=1)}
    ]


def test_a_dated_pause_from_the_inbox(run, dune, books, journal_home):
    (journal_home / "inbox.md").write_text(f"{days_ago(3)} pause: dune\n")
    run("inbox")
    assert data(books, "dune")["reads"][0]["pauses"] == [{"paused": TODAY - timedelta(days=3)}]


def test_pauses_round_trip_through_json_and_survive_a_rewrite(run, dune, books, tmp_path):
    run("pause", "dune", "--date", days_ago(5))
    run("start", "dune", "--date", days_ago(4))
    run("rate", "dune", "4")  # a rewrite through tomlkit keeps the table
    assert len(data(books, "dune")["reads"][0]["pauses"]) == 1
    exported = tmp_path / "all.json"
    run("export", "--format", "json", "--output", str(exported))
    run("rm", "dune", "--yes")
    run("import", str(exported))
    assert data(books, "dune")["reads"][0]["pauses"] == [
        {"paused": TODAY - timedelta(days=5), "resumed": TODAY - timedelta(days=4)}
    ]


# --- 5. ratings, quotes, and what show says ---------------------------------------------------------------
def test_rate_clear(run, books, unchanged):
    run("add", "Dune", "-a", "Frank Herbert", "-r", "4")
    assert "unrated" in run("rate", "dune", "--clear").stderr
    assert "rating" not in data(books, "dune")
    assert "unrated" in run("show", "dune").stdout
    run("rate", "dune", code=2)  # neither R nor --clear
    run("rate", "dune", "3", "--clear", code=2)
    run("rate", "dune", "0", code=2)


def test_a_quote_past_the_last_page_is_refused(run, books, journal_home):
    run("add", "Dune", "-a", "Frank Herbert", "--pages", "304")
    before = snapshot(journal_home / "books")
    assert "past the end" in run("quote", "dune", "A line.", "--page", "999", code=1).stderr
    assert snapshot(journal_home / "books") == before
    run("quote", "dune", "A line.", "--page", "304")
    run("add", "Emma", "-a", "Jane Austen")  # no page count: any page
    run("quote", "emma", "A line.", "--page", "999")


def test_show_says_where_an_abandoned_book_stopped(run, dune):
    run("progress", "dune", "150", "--date", days_ago(3))
    run("abandon", "dune", "--date", days_ago(1))
    shown = run("show", "dune").stdout
    assert f"Stopped: at p. 150 of 600 (25%) on {days_ago(1)}" in shown
    run("add", "Emma", "-a", "Jane Austen", "--status", "reading")
    run("abandon", "emma", "--at", "42%")
    assert "Stopped: at 42% on" in run("show", "emma").stdout


def test_an_undated_reading_shows_date_unknown(run):
    run("add", "Emma", "-a", "Jane Austen")
    shown = run("show", "emma").stdout
    assert "Read: date unknown" in shown and "?" not in shown


def test_a_book_paused_before_pauses_were_dated_records_its_resume(run, books):
    books.mkdir(parents=True)
    (books / "dune.toml").write_text('title = "Dune"\nstatus = "paused"\n[[reads]]\nstarted = 2026-01-01\n')
    assert "(resumed 2026-02-01)" in run("start", "dune", "--date", "2026-02-01").stderr
    assert data(books, "dune")["reads"][0]["pauses"] == [{"resumed": date(2026, 2, 1)}]
    assert "Paused" not in run("show", "dune").stdout
