"""Counts and groupings session 29 left alone (session 30, t30g): a read book started again counted nowhere
(review 29c #1), a read pick's book as evidence for itself (try-out 29b #1), picks split from a wanted book
before t29i, `person_keys` reading a first name as a surname (review 29a #3), check's keeper on a tie
(review 29a #4)."""

from __future__ import annotations

import json

from test_t21d_show import header_line


def _stats(run, *args: str) -> dict:
    return json.loads(run("stats", *args, "--json").stdout)


# --- review 29c #1: a read book with a start day and no finish, started again, was counted nowhere ---------
def test_a_read_book_begun_on_a_day_and_started_again_stays_read(run, books, tmp_path):
    run("add", "Dune", "-a", "Frank Herbert", "--status", "read", "--started", "2020-01-01")
    assert "again (reading 2)" in run("start", "dune", "--date", "2026-12-01").stderr
    assert header_line(run, "dune") == "2 readings: 2020-01-01 → ?; 2026-12-01 → now"  # (was `→ now` twice)
    assert _stats(run)["undated"] == 1  # (counted nowhere: finished 0, undated 0, rereads 0)
    run("abandon", "dune", "--date", "2026-12-05")
    assert header_line(run, "dune") == "2 readings: 2020-01-01 → ?; 2026-12-01 → stopped 2026-12-05"
    said = _stats(run)
    assert (said["undated"], said["abandoned"], said["rereads"]) == (1, 1, 0)
    assert "1 read book has no finish date" in run("stats").stdout
    run("site", str(tmp_path / "out"), "--all")
    page = (tmp_path / "out" / "books" / "dune.html").read_text(encoding="utf-8")
    assert "<dt>2 readings</dt><dd>started 1 January 2020; started 1 December 2026, stopped" in page


def test_a_read_book_started_again_then_finished_is_a_reread_in_every_count(run, books):
    run("add", "Dune", "-a", "Frank Herbert", "--status", "read", "--started", "2020-01-01")
    run("start", "dune", "--date", "2026-12-01")
    assert "(a re-read)" in run("finish", "dune", "--date", "2026-12-06").stderr  # (was a first reading)
    assert header_line(run, "dune") == "Read 2 times: 2020-01-01 → ?; 2026-12-01 → 2026-12-06"
    said = _stats(run)
    assert (said["rereads"], said["undated_readings"], said["undated"]) == (1, 1, 0)
    assert _stats(run, "--year", "2026")["rereads"] == 1


def test_a_book_read_on_no_day_then_given_up_on_is_counted_undated(run, books):
    """The close cousin: `add` (read, no date), `start`, `abandon`: the one reading done counted nowhere."""
    run("add", "Emma", "-a", "Jane Austen")
    run("start", "emma")
    run("abandon", "emma")
    said = _stats(run)
    assert (said["undated"], said["abandoned"]) == (1, 1)
    # near miss: a reading going on listed before an older re-read is neither done nor started again
    run("add", "Gamma", "-a", "C D", "--status", "reading", "--started", "2025-01-10")
    run("add", "Gamma", "--reread", "--started", "2024-02-01", "--finished", "2024-03-01")
    assert header_line(run, "gamma").startswith("2 readings: 2024-02-01 → 2024-03-01; 2025-01-10 → now")
    assert _stats(run)["undated"] == 1


# --- try-out 29b #1's tail: a read book counted as evidence for the pick it may be ------------------------
def test_a_read_book_is_no_evidence_for_a_pick_it_may_be(run, books):
    harari = ("-a", "Yuval Noah Harari")
    run("add", "Sapiens: A Brief History of Humankind", *harari, "--rating", "5", "--finished", "2019-12-02")
    run("add", "21 Lessons for the 21st Century", *harari, "--rating", "5", "--finished", "2020-02-02")
    run("next", "add", "Homo Deus", *harari, "--from", "sapiens-a-brief-history-of-humankind")
    run("add", "Homo Deus: A History of Tomorrow", *harari, "--rating", "1", "--finished", "2021-03-03")
    (pick,) = [b for b in json.loads(run("next", "--suggest", "--json").stdout) if b["title"] == "Homo Deus"]
    said = " / ".join(pick["reasons"])
    assert "you rated 2 of Yuval Noah Harari's books" in said, said  # (was 3: the book itself, rated 1)
    # near miss: another book of the author's is evidence as before
    run("next", "add", "Nexus", *harari, "--from", "sapiens-a-brief-history-of-humankind")
    explained = " ".join(run("next", "--suggest", "--explain", "Nexus", "--json").stdout.split())
    assert "you rated 3 of Yuval Noah Harari's books" in explained


# --- review 29a #4: check's keeper on a full tie was the file order's first, the copy holding nothing -------
def test_checks_keeper_on_a_tie_is_the_book_holding_more_of_the_readers_data(run, books):
    books.mkdir(parents=True, exist_ok=True)
    head = 'title = "Poems"\nstatus = "read"\nadded = 2024-01-05\n'
    (books / "poems-dickenson.toml").write_text(f'{head}authors = ["Emily Dickenson"]\n\n[[reads]]\n')
    (books / "poems.toml").write_text(
        f'{head}authors = ["Emily Dickinson"]\nrating = 4.0\n\n[[reads]]\nfinished = 2024-01-05\n'
    )
    checked = " ".join(run("check").stdout.split())
    assert (
        "`readlog merge poems.toml poems-dickenson` joins them, keeping poems.toml, which holds more of what "
        "you recorded (a dated reading, a rating)" in checked
    ), checked
    # near miss: holding as much, the one listed first is kept, and no reason is made up
    (books / "poems.toml").write_text(f'{head}authors = ["Emily Dickinson"]\n\n[[reads]]\n')
    checked = run("check").stdout
    assert "joins them, keeping poems-dickenson\n" in checked, checked


# --- picks made before t29i, split from the wanted book they may be ---------------------------------------
def test_check_names_a_pick_split_from_the_book_it_may_be_and_how_to_join_them(run, books):
    harari = ("-a", "Yuval Noah Harari")
    run("add", "Sapiens: A Brief History of Humankind", *harari, "--rating", "5", "--finished", "2019-12-02")
    run("next", "add", "Homo Deus", *harari, "--from", "sapiens-a-brief-history-of-humankind")
    run("next", "add", "Homo Deus: A History of Tomorrow", *harari)  # (the pick first: no question asked)
    said = run("check")
    assert "all good (1 pick apart from the book it may be)" in said.stderr
    checked = " ".join(said.stdout.split())
    assert (
        "sapiens-a-brief-history-of-humankind.toml: the pick “Homo Deus” may be "
        "homo-deus-a-history-of-tomorrow.toml (Homo Deus: A History of Tomorrow): `next` lists the two apart, "
        "and reading the book never closes the pick; if it is the book, write the pick's title as the book's "
        'here (title = "Homo Deus: A History of Tomorrow"): one item, read when the book is' in checked
    ), checked
    source = books / "sapiens-a-brief-history-of-humankind.toml"
    source.write_text(source.read_text().replace('"Homo Deus"', '"Homo Deus: A History of Tomorrow"'))
    assert "the pick" not in run("check").stdout  # (joined as it says: one item)
    assert [i["title"] for i in json.loads(run("next", "--json").stdout)] == [
        "Homo Deus: A History of Tomorrow"
    ]
    # near miss: a pick of another author's book of that title is no split
    run("next", "add", "Homo Deus", "-a", "Jane Doe", "--from", "sapiens-a-brief-history-of-humankind")
    assert "the pick" not in run("check").stdout
