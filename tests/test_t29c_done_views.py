"""Each view of which readings are done session 28 left disagreeing with the others (the rule itself, and the
index's SQL held to it: test_t29c_done_rule.py): `show` against `stats` and `stats --year`, the site's book
page against `show`, `finish` against `stats`."""

from __future__ import annotations

import json

from test_t21d_show import header_line, write

# --- each disagreement session 28 left, through the commands ------------------------------------------------

UNDATED_THEN_REREAD = "[[reads]]\n\n[[reads]]\nstarted = 2024-02-01\nfinished = 2024-03-01\n"


def test_a_paused_book_read_undated_then_again_is_read_twice_in_show_as_in_stats(run, books, tmp_path):
    """The brief's case: show said "2 readings" while stats --year 2024 counted a re-read."""
    write(books, "gamma", f'title = "Gamma"\nauthors = ["C D"]\nstatus = "paused"\n\n{UNDATED_THEN_REREAD}')
    assert header_line(run, "gamma") == "Read 2 times: date unknown; 2024-02-01 → 2024-03-01"
    assert json.loads(run("stats", "--year", "2024", "--json").stdout)["rereads"] == 1
    assert json.loads(run("stats", "--json").stdout)["rereads"] == 1
    run("site", str(tmp_path / "out"), "--all")
    page = (tmp_path / "out" / "books" / "gamma.html").read_text(encoding="utf-8")
    assert "<dt>Read 2 times</dt>" in page
    # near miss: the undated reading last is the one going on (an export's currently-reading row)
    write(books, "delta", 'title = "Delta"\nauthors = ["C D"]\nstatus = "paused"\n\n[[reads]]\n'
          "finished = 2024-03-01\n\n[[reads]]\n")  # fmt: skip
    assert header_line(run, "delta") == "2 readings: 2024-03-01; date unknown"


def test_a_read_book_begun_on_a_day_is_read_not_reading(run, books):
    """`add --status read --started D` (no finish date): stats counted it read with no date, show said
    `Reading: 2020-01-01 → now`."""
    run("add", "Epsilon", "-a", "E F", "--status", "read", "--started", "2020-01-01")
    assert header_line(run, "epsilon") == "Read: 2020-01-01 → ?"
    assert json.loads(run("stats", "--json").stdout)["undated"] == 1


def test_finish_of_a_read_book_begun_on_a_day_is_not_today(run, books):
    """`finish` gave that reading today's date (a 2020 reading finished in 2026), and `--reread` did too."""
    run("add", "Epsilon", "-a", "E F", "--status", "read", "--started", "2020-01-01")
    refused = run("finish", "epsilon", code=1)
    assert "read already (on a day not recorded)" in refused.stderr
    assert "(a re-read)" in run("finish", "epsilon", "--reread").stderr
    assert header_line(run, "epsilon").startswith("Read 2 times: 2020-01-01 → ?; ")


def test_a_book_read_twice_and_started_again_is_still_read_more_than_once(run, books):
    """stats counted a book read more than once only while its status was read, stats --year kept its
    re-read: starting it a third time took it away (the README said it never does)."""
    run("add", "Dune", "-a", "Frank Herbert", "--finished", "2020-01-05")
    run("finish", "dune", "--reread", "--date", "2022-03-01")
    run("start", "dune")
    assert json.loads(run("stats", "--json").stdout)["rereads"] == 1
    assert "1 book read more than once" in run("stats").stdout
    assert json.loads(run("stats", "--year", "2022", "--json").stdout)["rereads"] == 1


def test_the_site_calls_one_reading_what_show_calls_it(run, books, tmp_path):
    """The site said "Read" of every book with one reading: one going on, one given up."""
    write(
        books,
        "now",
        'title = "Now"\nauthors = ["A B"]\nstatus = "reading"\n\n[[reads]]\nstarted = 2026-01-02\n',
    )
    write(books, "gone", 'title = "Gone"\nauthors = ["A B"]\nstatus = "abandoned"\n\n[[reads]]\n'
          "started = 2025-01-02\nstopped = 2025-02-01\n")  # fmt: skip
    write(
        books,
        "done",
        'title = "Done"\nauthors = ["A B"]\nstatus = "read"\n\n[[reads]]\nfinished = 2025-01-02\n',
    )
    run("site", str(tmp_path / "out"), "--all")
    for slug, label in (("now", "Reading"), ("gone", "Abandoned"), ("done", "Read")):
        assert header_line(run, slug).startswith(f"{label}: ")
        page = (tmp_path / "out" / "books" / f"{slug}.html").read_text(encoding="utf-8")
        assert f"<dt>{label}</dt>" in page, slug
