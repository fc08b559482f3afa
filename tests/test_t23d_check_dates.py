"""`readlog check` names a reading that ends before a day it records (t23d, left by t22h): `finish --date`
and `abandon --date` refuse it (reading.past_its_end, the one rule); a hand edit or an older readlog can
still write it. The finding names the book, the reading, both days and the way out, and counts (exit 1)."""

from __future__ import annotations

import json

import pytest

HEAD = 'schema = 2\ntitle = "Kindred"\nauthors = ["Octavia E. Butler"]\nstatus = "read"\n'


def check(run, books, reads: str, code: int) -> list[dict]:
    books.mkdir(parents=True, exist_ok=True)
    (books / "kindred.toml").write_text(HEAD + reads, encoding="utf-8")
    found = json.loads(run("check", "--json", code=code).stdout)["problems"]
    return [p for p in found if p["kind"] == "dates"]


def test_a_finish_before_its_progress_is_named_with_the_way_out(run, books):
    reads = (
        "\n[[reads]]\nstarted = 2024-01-01\nfinished = 2024-02-01\n"
        "\n[[reads]]\nstarted = 2026-11-01\nfinished = 2026-12-02\n"
        "\n[[reads.progress]]\ndate = 2026-12-03\npage = 120\n"
    )
    (found,) = check(run, books, reads, code=1)  # (mutation: check without _ends_too_soon)
    message = found["message"]
    assert message.startswith(
        "reads[2] of 'Kindred': finished 2026-12-02, before this reading's latest progress"
    )
    assert "(2026-12-03)" in message and "`readlog edit kindred`" in message
    lines = (books / "kindred.toml").read_text(encoding="utf-8").split("\n")
    assert lines[found["line"] - 1] == "finished = 2026-12-02"  # the line to correct


def test_an_abandoned_reading_stopped_before_a_pause(run, books):
    reads = (
        "\n[[reads]]\nstarted = 2026-11-01\nstopped = 2026-11-10\n"
        "\n[[reads.pauses]]\npaused = 2026-11-05\nresumed = 2026-11-20\n"
    )
    (found,) = check(run, books, reads.replace('"read"', '"abandoned"'), code=1)
    assert "abandoned 2026-11-10, before this reading was resumed (2026-11-20)" in found["message"]


@pytest.mark.parametrize(
    "reads",
    [
        "\n[[reads]]\nfinished = 2026-12-03\n\n[[reads.progress]]\ndate = 2026-12-03\npage = 120\n",  # same day
        '\n[[reads]]\nfinished = "2026-12"\n\n[[reads.progress]]\ndate = 2026-12-03\npage = 1\n',  # a month
        "\n[[reads]]\nstarted = 2026-11-01\n\n[[reads.progress]]\ndate = 2026-12-03\npage = 1\n",  # still open
    ],
    ids=["same-day", "partial-month", "open"],
)
def test_near_misses_are_no_finding(run, books, reads):
    assert check(run, books, reads, code=0) == []


def test_a_start_after_the_end_is_told_once(run, books):
    reads = "\n[[reads]]\nstarted = 2026-12-05\nfinished = 2026-12-02\n"
    (found,) = check(run, books, reads, code=1)
    assert "starts after it ends" in found["message"]


def test_finish_refuses_what_check_names(run, books):
    run("add", "Dune", "-a", "Frank Herbert", "--status", "reading", "--started", "2026-11-01")
    run("progress", "dune", "120", "--date", "2026-12-03")
    refused = run("finish", "dune", "--date", "2026-12-02", code=1)
    assert "--date 2026-12-02 is before this reading's latest progress (2026-12-03)" in refused.stderr
