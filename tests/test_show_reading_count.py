"""`show` counts a book's readings as what they are, in the order they happened (try-out 27a, finding 5):
Ulysses, given up in 2021 and read in 2025, said "Read 2 times"; Emma, started today after a reading given up
in 2025, said "Read 2 times" with today's reading first. `stats` counts neither as a re-read."""

from __future__ import annotations

from test_t21d_show import header_line, write

HEAD = 'title = "{}"\nauthors = ["A B"]\nstatus = "{}"\n\n'


def test_a_reading_given_up_and_one_finished_are_two_readings(run, books):
    write(
        books, "ulysses", HEAD.format("Ulysses", "read")
        + "[[reads]]\nstopped = 2021-06-10\n\n[[reads]]\nstarted = 2025-05-01\nfinished = 2025-06-10\n",
    )  # fmt: skip
    assert header_line(run, "ulysses") == "2 readings: ? → stopped 2021-06-10; 2025-05-01 → 2025-06-10"


def test_a_current_reading_after_one_given_up_comes_last_and_is_no_read(run, books):
    write(
        books, "emma", HEAD.format("Emma", "reading")
        + "[[reads]]\nstarted = 2026-12-07\n\n[[reads]]\nstopped = 2025-07-15\n",
    )  # fmt: skip
    assert header_line(run, "emma") == "2 readings: ? → stopped 2025-07-15; 2026-12-07 → now"


def test_readings_all_done_are_still_read_that_many_times(run, books):
    write(
        books, "again", HEAD.format("Again", "read")
        + "[[reads]]\nfinished = 2024-04-01\n\n[[reads]]\nstarted = 2019-01-01\nfinished = 2019-02-01\n\n[[reads]]\n",
    )  # fmt: skip
    assert header_line(run, "again") == "Read 3 times: 2019-01-01 → 2019-02-01; 2024-04-01; date unknown"
