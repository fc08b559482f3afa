"""Which readings are done is one rule (reading.is_done), and every view asks it: `show`'s and the site's
"Read N times", `stats` (its re-reads in SQL: index.aggregates' `_done`, held to the rule here over generated
books, as tests/rows_reference.py holds the rows), `stats --year`, the site's year pages and `finish`.
Session 28 had it four times, and they disagreed: a paused book with an undated first reading and a finished
re-read said "2 readings" while `stats` counted a re-read."""

from __future__ import annotations

import tempfile
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from readlog.index import BookFilter, Index
from readlog.index.aggregates import _done
from readlog.model import Book, Pause, Progress, Read, sort_key
from readlog.reading import done_readings, in_date_order, is_done, readings_label
from readlog.stats import BooksLedger
from test_stats_engine import journal_of, shelf_settings

# --- the rule over generated books: the index's SQL, the books in memory and the labels agree ---------------

SHAPES = {  # a reading as a file may hold it
    "finished": lambda day: Read(started=date(2021, 3, 1), finished=day),
    "finished alone": lambda day: Read(finished=day),
    "stopped": lambda day: Read(started=date(2021, 3, 1), stopped=day),
    "stopped alone": lambda day: Read(stopped=day),
    "never begun": lambda day: Read(),
    "begun": lambda day: Read(started=day),
    "begun, progress": lambda day: Read(started=day, progress=[Progress(page=40)]),
    "progress only": lambda day: Read(progress=[Progress(page=12)]),
    "paused, no start": lambda day: Read(pauses=[Pause(paused=date(2021, 6, 1))]),
}
DAYS = [date(2021, 5, 2), date(2022, 1, 9), "2022", "2022-07", date(2024, 12, 31)]
STATUSES = ["read", "read", "reading", "paused", "abandoned", "want", None]

readings = st.lists(
    st.builds(lambda shape, day: SHAPES[shape](day), st.sampled_from(sorted(SHAPES)), st.sampled_from(DAYS)),
    max_size=4,
)
shelves = st.lists(st.tuples(st.sampled_from(STATUSES), readings), min_size=1, max_size=8)


def _rereads_by_rule(books: dict[str, Book]) -> list[tuple[str, str | None, int]]:
    """Ledger.rereads, from the rule alone."""
    found = []
    for slug, book in books.items():
        done = [r for r in book.reads if is_done(book, r)]
        if len(done) > 1:
            undated = sum(1 for r in done if r.finished is None)
            found.append((slug, book.status, undated if undated < len(done) else 0))
    return sorted(found)


def _rereads_in_by_rule(books: dict[str, Book], year: int) -> int:
    """Ledger.rereads_in, from the rule alone: a reading finished in `year` with another done before it."""
    count = 0
    for book in books.values():
        done = [(at, r) for at, r in enumerate(book.reads) if is_done(book, r)]
        for at, read in done:
            when = sort_key(read.finished)
            if not when.startswith(f"{year:04d}"):
                continue
            count += any(
                j != at and (not sort_key(o.finished) or (sort_key(o.finished), j) < (when, at))
                for j, o in done
            )
    return count


def _listed(index: Index, where: BookFilter) -> set[str]:
    entries, total = index.select(where)
    slugs = {entry.slug for entry in entries}
    assert len(slugs) == total
    return slugs


@shelf_settings(60)
@given(shelf=shelves)
def test_the_index_counts_the_readings_the_rule_says_are_done(shelf, tmp_path):
    with tempfile.TemporaryDirectory(dir=tmp_path) as folder:
        journal = journal_of(folder, [Book(title="", authors=["A B"], status=s, reads=r) for s, r in shelf])
        books = {slug: journal.load(slug).book for slug in journal.slugs()}
        index = journal.fresh_index()
        try:
            for slug, book in books.items():  # reading by reading, in the file's order
                sql = f"SELECT {_done('d')} FROM book_reads d WHERE slug = ? ORDER BY rowid"
                in_sql = [bool(done) for (done,) in index.db.execute(sql, (slug,))]
                assert in_sql == [is_done(book, r) for r in book.reads], (book.status, book.reads)
                assert [r for r in book.reads if is_done(book, r)] == done_readings(book)
            assert sorted(index.rereads()) == _rereads_by_rule(books) == sorted(BooksLedger(books).rereads())
            for year in (2021, 2022, 2024):
                expected = _rereads_in_by_rule(books, year)
                assert index.rereads_in(year) == expected == BooksLedger(books).rereads_in(year), year
            # a book read on no known day counts as undated whatever its status (t30g: review 29c #1)
            undated = sum(
                1
                for b in books.values()
                if not any(r.finished for r in b.reads)
                and (b.status == "read" or any(is_done(b, r) for r in b.reads))
            )
            assert index.undated() == undated == BooksLedger(books).undated()
            # `list --status read` lists the books read as stats counts them (try-out 31a #5), by year too
            read = {slug for slug, b in books.items() if b.status == "read" or done_readings(b)}
            assert _listed(index, BookFilter(status=["read"])) == read
            assert _listed(index, BookFilter(status=["read", "want"])) == read | {
                slug for slug, b in books.items() if b.status == "want"
            }
            for year in (2021, 2022, 2024):
                finished = BooksLedger(books).finished_in(year)
                assert _listed(index, BookFilter(status=["read"], year=year)) == finished, year
                assert set(index.finished_in(year)) == finished, year
        finally:
            index.close()


@settings(max_examples=300, deadline=None)
@given(status=st.sampled_from(STATUSES), reads=readings.filter(bool))
def test_the_label_says_read_exactly_when_every_reading_is_done(status, reads):
    book = Book(title="X", authors=["A B"], status=status, reads=reads)
    label = readings_label(book, in_date_order(reads))
    every = all(is_done(book, r) for r in reads)
    assert (label == "Read" if len(reads) == 1 else label == f"Read {len(reads)} times") == every, label
    if not every:
        assert label in ("Reading", "Abandoned", "1 reading", f"{len(reads)} readings")
