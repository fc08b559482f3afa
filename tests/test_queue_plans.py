"""The queue's faster ways to its rows (issue 25) give the very rows, in the very order, of the plain queries:
the first wanted books of a limited queue without sorting every wanted book (ties on priority and date
added broken by slug, as the full order does), and the books being read newest first."""

from __future__ import annotations

import itertools
import random
from datetime import date, timedelta

import pytest

from readlog.bookfile import dumps
from readlog.journal import Journal
from readlog.model import Book, Read


def shelf(books, rng: random.Random, count: int, reading: int) -> None:
    books.mkdir(parents=True, exist_ok=True)
    days = [date(2024, 1, 1) + timedelta(days=d) for d in range(3)]  # few dates: many ties
    for n in range(count):
        status = "reading" if n < reading else rng.choice(["want", "want", "want", "read"])
        book = Book(title=f"Book {n:04d} {rng.choice('abcxyz')}", authors=["A. Writer"], status=status)
        book.added = rng.choice([*days, None])
        if status == "want" and rng.random() < 0.3:
            book.priority = rng.choice([1, 2, 2, 3])
        if status == "reading":
            book.reads = [Read(started=rng.choice(days))]
        slug = f"{rng.choice(['m', 'b', 'z', 'c'])}-{n:04d}"  # slugs not in the order of writing
        (books / f"{slug}.toml").write_text(dumps(book), encoding="utf-8")


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_first_wanted_books_are_those_of_the_full_order(journal_home, books, seed):
    shelf(books, random.Random(seed), 400, 5)
    index = Journal(journal_home).fresh_index()
    full = [e.slug for e in index.wanted(200)]
    assert len(full) > 200
    for first in (1, 2, 7, 60, 150, len(full) - 1, len(full), len(full) + 3):
        for wanted in (first, first + 1, first + 40, len(full) + 10):
            got = [e.slug for e in itertools.islice(index.wanted(200, first=first), wanted)]
            assert got == full[:wanted], (first, wanted)


def test_the_first_wanted_when_more_than_500_tie(journal_home, books):
    books.mkdir(parents=True)
    for n in range(700):  # one priority, one date: every book ties with every other
        book = Book(title=f"Tie {n}", authors=["A. Writer"], status="want", added=date(2024, 5, 1))
        (books / f"t-{(n * 7919) % 1000:04d}.toml").write_text(dumps(book), encoding="utf-8")
    index = Journal(journal_home).fresh_index()
    full = [e.slug for e in index.wanted(200)]
    assert [e.slug for e in itertools.islice(index.wanted(200, first=60), 80)] == full[:80]


@pytest.mark.parametrize(("count", "reading"), [(300, 250), (300, 3), (300, 40), (50, 50)])
def test_books_being_read_newest_first_whatever_the_plan(journal_home, books, count, reading):
    shelf(books, random.Random(count + reading), count, reading)
    index = Journal(journal_home).fresh_index()
    plain = index.entries("WHERE status = 'reading' ORDER BY activity DESC, norm_title")
    for limit in (1, 3, 10, None):
        found, total = index.reading(limit)
        assert total == reading
        assert [e.slug for e in found] == [e.slug for e in plain][:limit]
