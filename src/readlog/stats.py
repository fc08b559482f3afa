"""A reading life at a glance: arithmetic over what a `Ledger` answers, for `readlog stats` and the site.

Two ledgers answer the same questions (the finished readings added up by month, the stopped ones by year,
the books finished in a year, the books read more than once, and over a set of books their ratings, authors
and tags, and how many read books have no date): the index, in SQL (readlog.index.aggregates), for the CLI;
`BooksLedger`, over books in memory, for the site's year pages (the public part only). Every number is
computed here once from those answers, so `readlog stats --year N --json` and the site's page for N agree
by construction.

A book counts in the year (and month) of each reading it finished: a re-read counts again, and so do its
pages. A reading stopped unfinished is abandoned, never read. Goals (`<data dir>/goals.toml`) are the
journal's (readlog.goals); stats is handed their targets.
"""

from __future__ import annotations

import calendar
import functools
import heapq
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Mapping
from dataclasses import asdict, field
from datetime import date
from typing import TYPE_CHECKING, Any, Protocol

from readlog.lazyclass import dataclass_when_used

if TYPE_CHECKING:
    from readlog.index.aggregates import Finished, NameKind
    from readlog.model import Book, Read

TOP = 10  # authors and tags shown


class Ledger(Protocol):
    """What stats asks of a journal. `slugs=None` means every book whose status is `read`. Dates are sort
    keys ("2024", "2024-05" or "2024-05-03"), as the index stores them."""

    def finished_periods(self) -> Iterable[Finished]:
        """Every finished reading, added up by the month it finished in (by the year, for a year alone)."""
        ...

    def abandoned(self) -> Iterable[tuple[str, int]]:
        """(year, readings stopped unfinished in it), for every year with one; and ("", books abandoned with
        no day of stopping: no reading of theirs stopped on a known day, as an export's DNF shelf leaves
        them), when there are any: counted with the rest, in no year."""
        ...

    def finished_in(self, year: int) -> Collection[str]:
        """The books with a reading finished in `year`."""
        ...

    def rereads(self) -> Iterable[tuple[str, str | None, int]]:
        """(slug, status, undated) of every book with more than one reading done (reading.is_done: `Read 2
        times: 2016-07-21; date unknown` is a book read twice), whatever its status now. `undated`: how
        many of its readings done have no finish date, when one has (else 0: the book is one of
        `undated`'s)."""
        ...

    def rereads_in(self, year: int) -> int:
        """The readings finished in `year` that were re-reads: the book had another reading done before
        (finished on an earlier day, listed before it on the same day, or done on a day nobody knows)."""
        ...

    def rating_counts(self, slugs: Collection[str] | None) -> Iterable[tuple[float, int]]:
        """(rating, books) over the rated books among `slugs` (None: every book read: its status is read,
        or a reading of it is done, as a read book started again, or paused or given up since, has)."""
        ...

    def name_counts(self, kind: NameKind, slugs: Collection[str] | None) -> Iterable[tuple[str, int]]:
        """(name, books) for every author (or tag) of the books among `slugs`, as written in the books."""
        ...

    def undated(self) -> int:
        """Books read (their status is `read`, or a reading of theirs is done: reading.is_done) with no
        reading finished on any date."""
        ...


@dataclass_when_used
class Goal:
    year: int
    target: int
    done: int
    remaining: int
    weeks_left: float
    per_week_needed: float  # to finish on time from today
    expected_by_now: float  # where an even pace would have the reader today
    on_track: bool
    undated: int = 0  # read books with no finish date: they may belong to this year, readlog cannot tell


@dataclass_when_used
class Stats:
    year: int | None
    finished: int  # readings finished (in `year`, or ever)
    books_per_year: dict[str, int] = field(default_factory=dict)
    pages_per_year: dict[str, int] = field(default_factory=dict)
    books_per_month: dict[str, int] = field(default_factory=dict)  # "2026-01": n, for `year` (or the latest)
    pages_per_month: dict[str, int] = field(default_factory=dict)
    # Of books_per_year (per_month), the readings of a book with a page count: the pages add up only theirs.
    books_with_pages_per_year: dict[str, int] = field(default_factory=dict)
    books_with_pages_per_month: dict[str, int] = field(default_factory=dict)
    ratings: dict[str, int] = field(default_factory=dict)  # "4.5": books with that rating
    top_authors: list[tuple[str, int]] = field(default_factory=list)
    top_tags: list[tuple[str, int]] = field(default_factory=list)
    average_days_to_finish: float | None = None
    # Books read more than once (a reading on a day nobody knows counted: Ledger.rereads); of a `year`, the
    # readings finished in it that were re-reads (Ledger.rereads_in: a first reading is none, try-out 28a #4).
    rereads: int = 0
    abandoned: int = 0  # readings stopped unfinished (in `year`; ever: with the undated): never read
    undated: int = 0  # books read (Ledger.undated) with no finish date: in no year, month or goal
    # Readings with no finish date of books that have one with a date (re-reads, in `rereads`): the books
    # count in their dated readings' years, these readings in no year, month or goal (the whole journal's).
    undated_readings: int = 0
    goal: Goal | None = None

    def to_json(self) -> dict[str, Any]:
        """`stats --json`: every number. A year or month whose books have no page count gives `null` pages,
        not 0 (the text says `pages unknown`); one with no book read, 0."""
        data = asdict(self)
        data["pages_per_year"] = _known_pages(
            self.pages_per_year, self.books_per_year, self.books_with_pages_per_year
        )
        data["pages_per_month"] = _known_pages(
            self.pages_per_month, self.books_per_month, self.books_with_pages_per_month
        )
        data["top_authors"] = [{"name": n, "books": c} for n, c in self.top_authors]
        data["top_tags"] = [{"tag": t, "books": c} for t, c in self.top_tags]
        return data


def _known_pages(
    pages: Mapping[str, int], books: Mapping[str, int], paged: Mapping[str, int]
) -> dict[str, int | None]:
    """Pages per period, None where books were read and none of them has a page count."""
    return {key: None if books.get(key) and not paged.get(key) else n for key, n in pages.items()}


def compute(ledger: Ledger, year: int | None, goals: Mapping[int, int], today: date | None = None) -> Stats:
    """`readlog stats` (`year` None: over the whole journal; else the readings finished in `year`)."""
    periods = list(ledger.finished_periods())
    return _stats(ledger, periods, list(ledger.abandoned()), year, goals, today or date.today())


def compute_years(ledger: Ledger, years: Iterable[int]) -> dict[int, Stats]:
    """`compute` for each of `years`, the journal-wide answers asked once (the site's year pages). No
    goals: a published page does not show them."""
    periods, abandoned = list(ledger.finished_periods()), list(ledger.abandoned())
    return {year: _stats(ledger, periods, abandoned, year, {}, None) for year in years}  # no clock: pure


def _stats(
    ledger: Ledger,
    periods: list[Finished],
    abandoned: list[tuple[str, int]],
    year: int | None,
    goals: Mapping[int, int],
    today: date | None,  # only for the whole journal's months and for goals
) -> Stats:
    stats = Stats(year=year, finished=0)
    books: dict[str, int] = defaultdict(int)
    pages: dict[str, int] = defaultdict(int)
    paged: dict[str, int] = defaultdict(int)
    days: dict[str, int] = defaultdict(int)
    timed: dict[str, int] = defaultdict(int)
    for row in periods:
        key = row.period[:4]
        books[key] += row.readings
        pages[key] += row.pages
        paged[key] += row.paged
        days[key] += row.days
        timed[key] += row.timed
    for key in sorted(books):
        stats.books_per_year[key] = books[key]
        stats.pages_per_year[key] = pages[key]
        stats.books_with_pages_per_year[key] = paged[key]
    month_year = f"{year:04d}" if year is not None else max(books, default=f"{_now(today).year:04d}")
    for number in range(1, 13):
        stats.books_per_month[f"{month_year}-{number:02d}"] = 0
        stats.pages_per_month[f"{month_year}-{number:02d}"] = 0
        stats.books_with_pages_per_month[f"{month_year}-{number:02d}"] = 0
    for row in periods:
        if len(row.period) == 7 and row.period[:4] == month_year:
            stats.books_per_month[row.period] += row.readings
            stats.pages_per_month[row.period] += row.pages
            stats.books_with_pages_per_month[row.period] += row.paged

    rereads = list(ledger.rereads())
    scope: Collection[str] | None  # the books counted for ratings, names and re-reads (None: those read)
    if year is None:
        scope = None
        stats.finished = sum(books.values())
        spent, counted = sum(days.values()), sum(timed.values())
        stats.abandoned = sum(n for _, n in abandoned)
        stats.rereads = len(rereads)  # (whatever the book's status now: started again, it was read twice)
    else:
        key = f"{year:04d}"
        scope = sorted(ledger.finished_in(year)) if key in books else []
        stats.finished = books.get(key, 0)
        spent, counted = days.get(key, 0), timed.get(key, 0)
        stats.abandoned = sum(n for when, n in abandoned if when == key)
        stats.rereads = ledger.rereads_in(year) if scope else 0
    stats.average_days_to_finish = round(spent / counted, 1) if counted else None
    if scope != []:  # a year with no book finished: nothing to ask
        stats.ratings = {f"{rating:g}": n for rating, n in sorted(ledger.rating_counts(scope))}
        stats.top_authors = top(ledger.name_counts("author", scope))
        stats.top_tags = top(ledger.name_counts("tag", scope))
    stats.undated = ledger.undated()
    stats.undated_readings = sum(undated for *_, undated in rereads)  # (as `undated`: the whole journal's)
    goal_year = year if year is not None else _now(today).year
    if goal_year in goals:
        finished_then = stats.books_per_year.get(f"{goal_year:04d}", 0)
        stats.goal = make_goal(goal_year, goals[goal_year], finished_then, _now(today))
        stats.goal.undated = stats.undated
    return stats


def _now(today: date | None) -> date:
    return today if today is not None else date.today()


def top(counts: Iterable[tuple[str, int]], limit: int = TOP) -> list[tuple[str, int]]:
    """The `limit` names counted most, most first; a tie in name order (as SQL's ORDER BY 2 DESC, 1)."""
    return heapq.nsmallest(limit, counts, key=lambda item: (-item[1], item[0]))


def make_goal(year: int, target: int, done: int, today: date) -> Goal:
    start, end = date(year, 1, 1), date(year, 12, 31)
    days_in_year = 366 if calendar.isleap(year) else 365
    elapsed = min(max((today - start).days + 1, 0), days_in_year)
    weeks_left = max((end - today).days + 1, 0) / 7 if today <= end else 0.0
    remaining = max(target - done, 0)
    expected = target * elapsed / days_in_year
    per_week = remaining / weeks_left if weeks_left else float(remaining)
    return Goal(
        year,
        target,
        done,
        remaining,
        round(weeks_left, 1),
        round(per_week, 2),
        round(expected, 1),
        done >= expected,
    )


class BooksLedger:
    """The ledger of books in memory (the site's public books): the index's answers, computed in Python."""

    def __init__(self, books: Mapping[str, Book]):
        self.books = books

    def _reads(self) -> Iterable[tuple[str, Book, str, str, str]]:
        """(slug, book, started, finished, stopped) of every reading, dates as sort keys ("" unknown)."""
        from readlog.model import sort_key

        for slug, book in self.books.items():
            for read in book.reads:
                yield slug, book, sort_key(read.started), sort_key(read.finished), sort_key(read.stopped)

    def finished_periods(self) -> list[Finished]:
        from readlog.index.aggregates import Finished

        sums: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])
        for _, book, started, finished, _ in self._reads():
            if not finished:
                continue
            row = sums[finished[:7] if len(finished) >= 7 else finished[:4]]
            row[0] += 1
            row[1] += book.pages or 0
            if len(started) == 10 and len(finished) == 10:
                row[2] += (date.fromisoformat(finished) - date.fromisoformat(started)).days
                row[3] += 1
            if book.pages:
                row[4] += 1
        return [Finished(period, *row) for period, row in sums.items()]

    def abandoned(self) -> list[tuple[str, int]]:
        dated: Counter[str] = Counter()
        stopped = set()  # (the books with a reading stopped on a known day: one pass over the readings)
        for slug, *_, when in self._reads():
            if when:
                dated[when[:4]] += 1
                stopped.add(slug)
        undated = sum(
            1 for slug, book in self.books.items() if book.status == "abandoned" and slug not in stopped
        )
        return [*dated.items(), *([("", undated)] if undated else [])]

    def finished_in(self, year: int) -> set[str]:
        return self._finished_by_year.get(f"{year:04d}", set())

    @functools.cached_property
    def _finished_by_year(self) -> dict[str, set[str]]:  # asked once per year page: worked out once
        years: dict[str, set[str]] = defaultdict(set)
        for slug, _, _, finished, _ in self._reads():
            if finished:
                years[finished[:4]].add(slug)
        return years

    def rereads(self) -> list[tuple[str, str | None, int]]:
        return self._rereads

    @functools.cached_property
    def _rereads(self) -> list[tuple[str, str | None, int]]:
        from readlog.reading import done_readings

        found = []
        for slug, book in self.books.items():
            done = done_readings(book)
            if len(done) > 1:
                dated = sum(1 for read in done if read.finished is not None)
                found.append((slug, book.status, len(done) - dated if dated else 0))
        return found

    def rereads_in(self, year: int) -> int:
        return self._rereads_by_year.get(f"{year:04d}", 0)

    @functools.cached_property
    def _rereads_by_year(self) -> Counter[str]:  # asked once per year page: counted once
        from readlog.model import sort_key
        from readlog.reading import done_readings

        years: Counter[str] = Counter()
        for _, book in self._rereads_of():
            done = done_readings(book)
            for at, read in enumerate(done):
                finished = sort_key(read.finished)
                if finished and any(_before(other, j, finished, at) for j, other in enumerate(done)):
                    years[finished[:4]] += 1
        return years

    def _rereads_of(self) -> Iterable[tuple[str, Book]]:
        """The books with more than one reading done (the only ones with a re-read)."""
        return ((slug, self.books[slug]) for slug, _, _ in self._rereads)

    def _among(self, slugs: Collection[str] | None) -> Iterable[Book]:
        if slugs is None:  # (every book read: its status is, or a reading of it is done)
            from readlog.reading import done_readings

            return (b for b in self.books.values() if b.status == "read" or done_readings(b))
        return (self.books[slug] for slug in slugs if slug in self.books)

    def rating_counts(self, slugs: Collection[str] | None) -> list[tuple[float, int]]:
        counts = Counter(book.rating for book in self._among(slugs) if book.rating is not None)
        return list(counts.items())

    def name_counts(self, kind: NameKind, slugs: Collection[str] | None) -> list[tuple[str, int]]:
        field_name = "authors" if kind == "author" else "tags"
        counts = Counter(name for book in self._among(slugs) for name in getattr(book, field_name))
        return list(counts.items())

    def undated(self) -> int:
        return self._undated

    @functools.cached_property
    def _undated(self) -> int:  # asked once per year page: counted once (it is 0.3 s of a 10,000-book site)
        from readlog.reading import done_readings

        return sum(
            1
            for book in self.books.values()
            if book.last_finished is None and (book.status == "read" or done_readings(book))
        )


def _before(read: Read, at: int, finished: str, then: int) -> bool:
    """Whether a reading done (`read`, the `at`-th of them) came before one finished on `finished` (the
    `then`-th): finished on an earlier day, on the same day and listed before, or on a day nobody knows
    (index.aggregates' `_EARLIER`, in Python)."""
    from readlog.model import sort_key

    when = sort_key(read.finished)
    return at != then and (not when or when < finished or (when == finished and at < then))
