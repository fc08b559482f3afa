"""`show` counts a book's readings as what they are, in the order they happened (try-out 27a, finding 5):
Ulysses, given up in 2021 and read in 2025, said "Read 2 times"; Emma, started today after a reading given up
in 2025, said "Read 2 times" with today's reading first. `stats` counts neither as a re-read."""

from __future__ import annotations

import pytest

from test_t21d_show import header_line, write

CASES = [
    ("read", "[[reads]]\nstopped = 2021-06-10\n\n[[reads]]\nstarted = 2025-05-01\nfinished = 2025-06-10\n",
     "2 readings: ? → stopped 2021-06-10; 2025-05-01 → 2025-06-10"),  # (Ulysses: given up, then read)
    ("reading", "[[reads]]\nstarted = 2026-12-07\n\n[[reads]]\nstopped = 2025-07-15\n",
     "2 readings: ? → stopped 2025-07-15; 2026-12-07 → now"),  # (Emma: the current reading last)
    ("read", "[[reads]]\nfinished = 2024-04-01\n\n[[reads]]\nstarted = 2019-01-01\nfinished = 2019-02-01\n\n"
     "[[reads]]\n", "Read 3 times: 2019-01-01 → 2019-02-01; 2024-04-01; date unknown"),  # (every one done)
]  # fmt: skip


@pytest.mark.parametrize(("status", "reads", "said"), CASES)
def test_the_readings_count_says_what_they_are(run, books, status, reads, said):
    write(books, "book", f'title = "Book"\nauthors = ["A B"]\nstatus = "{status}"\n\n{reads}')
    assert header_line(run, "book") == said
