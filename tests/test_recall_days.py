"""recall's books finished on this day are found by looking each year's day up in the index of finish dates
(index.recall._finished_on), not by reading every reading before this year: the same rows as the plain
query, whatever the dates (partial ones, leap days, several readings of a book, none at all)."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from readlog.bookfile import dumps
from readlog.index import recall as index_recall
from readlog.journal import Journal
from readlog.model import Book, Read

PLAIN = (
    "SELECT 'finished', r.finished, r.slug, b.title, b.authors, '', NULL FROM book_reads r "
    "JOIN books b ON b.slug = r.slug WHERE length(r.finished) = 10 AND substr(r.finished, 6, 5) = ? "
    "AND r.finished < ?"
)
DAYS = ["12-05", "02-29", "01-01", "03-05", "12-31"]


def _shelf(books, rng: random.Random, count: int, first_year: int) -> None:
    books.mkdir(parents=True, exist_ok=True)
    for n in range(count):
        reads = []
        for _ in range(rng.randint(0, 3)):
            year = rng.randint(first_year, 2027)
            month_day = rng.choice([*DAYS, "06-15", "11-30"])
            if month_day == "02-29" and (year % 4 or (year % 100 == 0 and year % 400)):
                month_day = "02-28"
            finished: date | str = date.fromisoformat(f"{year:04d}-{month_day}")
            if rng.random() < 0.15:
                finished = rng.choice([f"{year:04d}", f"{year:04d}-{month_day[:2]}"])  # partial dates
            assert isinstance(finished, (date, str))
            started = (
                date(max(year - 1, 1), 6, 1) if isinstance(finished, str) else finished - timedelta(days=9)
            )
            reads.append(Read(started=started, finished=finished))
        book = Book(title=f"Book {n}", authors=["A. Writer"], status="read" if reads else "want", reads=reads)
        (books / f"book-{n:03d}.toml").write_text(dumps(book), encoding="utf-8")


@pytest.mark.parametrize(("seed", "first_year"), [(1, 2010), (2, 1), (3, 1999), (4, 2026)])
def test_the_days_looked_up_are_the_plain_querys(journal_home, books, seed, first_year):
    _shelf(books, random.Random(seed), 150, first_year)
    index = Journal(journal_home).fresh_index()
    found = 0
    for month_day in DAYS:
        for year in (first_year, first_year + 1, 2020, 2026, 2028):
            before = f"{year:04d}"
            plain = index.db.execute(PLAIN, (month_day, before)).fetchall()
            assert sorted(index_recall._finished_on(index, month_day, before)) == sorted(plain), (
                month_day,
                year,
            )
            found += len(plain)
    assert found or first_year == 2026


def test_no_readings_finished_at_all(journal_home, books):
    books.mkdir(parents=True)
    (books / "a.toml").write_text(dumps(Book(title="A", authors=["B"], status="want")), encoding="utf-8")
    index = Journal(journal_home).fresh_index()
    assert index_recall._finished_on(index, "12-05", "2026") == []
