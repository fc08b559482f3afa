"""Series: the reader's `series = [{name, number}]` gathered into ordered series, and the next unread book
of each series the reader is in. Pure (books in, plain data out), but for `journal_books`, which
reads them.

A number like "1.5" or "0.5" (a novella between the main books) or "1-3" (an omnibus) is listed in its
place but never suggested as next: only whole numbers are.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from readlog.errors import BookFileError
from readlog.identity import title_order
from readlog.lazyclass import pattern_when_used
from readlog.text import normalize

if TYPE_CHECKING:
    from readlog.journal import Journal


class InSeries(Protocol):
    """What this module reads of a book: a Book, a BookSummary, or the index's lean row of one
    (index.rows.SeriesMember)."""

    @property
    def title(self) -> str: ...
    @property
    def authors(self) -> list[str]: ...
    @property
    def status(self) -> str | None: ...
    @property
    def series(self) -> list[dict[str, str]]: ...


_NUMBER = pattern_when_used(r"\s*(\d+(?:\.\d+)?)")
_SPAN = pattern_when_used(r"\s*(\d+)\s*[-–]\s*(\d+)\s*$")  # an omnibus: `1-3`
IN_SERIES = ("read", "reading")  # a reader with one of these books "is in" the series


@dataclass
class SeriesBook:
    slug: str
    title: str
    authors: list[str]
    number: str | None
    status: str | None

    def to_json(self) -> dict[str, Any]:
        return {
            "slug": self.slug,
            "title": self.title,
            "authors": self.authors,
            "number": self.number,
            "status": self.status,
        }


@dataclass
class Series:
    name: str
    books: list[SeriesBook] = field(default_factory=list)  # in series order; unnumbered last

    def count(self, status: str) -> int:
        return sum(1 for b in self.books if b.status == status)

    def to_json(self) -> dict[str, Any]:
        upcoming = next_of(self)
        return {
            "name": self.name,
            "books": [b.to_json() for b in self.books],
            "read": self.count("read"),
            "reading": self.count("reading"),
            "want": self.count("want"),
            "next": upcoming.to_json() if upcoming else None,
        }


@dataclass
class Suggestion:
    """The next unread book of a series the reader is in, and the book it follows."""

    series: str
    book: SeriesBook
    after: SeriesBook
    missing: list[int] = field(default_factory=list)  # whole numbers between them no book of it has (a gap)
    # the other books of the series with the same number that may come next (two books numbered 2): in
    # series order, `book` the first of them
    alongside: list[SeriesBook] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "series": self.series,
            **self.book.to_json(),
            "after": self.after.to_json(),
            "missing": self.missing,
            "alongside": [b.to_json() for b in self.alongside],
        }

    @classmethod
    def from_json(cls, value: dict[str, Any]) -> Suggestion:
        """A suggestion as `to_json` gave it (kept for the index as it is: actions.queue)."""
        book = {k: value[k] for k in ("slug", "title", "authors", "number", "status")}
        after = SeriesBook(**value["after"])
        alongside = [SeriesBook(**b) for b in value.get("alongside", [])]
        return cls(value["series"], SeriesBook(**book), after, value.get("missing", []), alongside)

    def to_queue_json(self) -> dict[str, Any]:
        """As an item of `readlog next --json`: `from` is the book it follows, `status` is "series"."""
        return {
            "title": self.book.title,
            "authors": self.book.authors,
            "why": None,
            "added": None,
            "from": {"slug": self.after.slug, "title": self.after.title},
            "status": "series",
            "slug": self.book.slug,
            "series": {"name": self.series, "number": self.book.number},
            "missing": self.missing,
            "alongside": [b.slug for b in self.alongside],
        }


def gap(numbers: Iterable[str | None], after: float, upcoming: float) -> list[int]:
    """The whole numbers between the book read last (`after`) and the one that comes next (`upcoming`)
    that no book of the series in the journal holds (`numbers`, as written: an omnibus `1-3` holds 1, 2
    and 3): Book 4 when 3 is read and 5 is next."""
    held: set[int] = set()
    for number in numbers:
        if number is None:
            continue
        span = _SPAN.match(number)
        if span:
            held.update(range(int(span[1]), int(span[2]) + 1))
        elif is_whole(number):
            held.add(int(number))
    return [n for n in range(int(after) + 1, int(upcoming)) if n not in held]


def number_key(number: str | None) -> tuple[int, float, str]:
    """Series order: by the leading number ("2", "2.5", "1-3" sorts as 1); unnumbered last."""
    if number is None:
        return (1, 0.0, "")
    match = _NUMBER.match(number)
    return (0, float(match[1]), number) if match else (1, 0.0, number)


def is_whole(number: str | None) -> bool:
    """A main entry of the series: "3", not "1.5", "0.5", "1-3" or "Book 3"."""
    return number is not None and number.strip().isdigit()


def collect(books: Iterable[tuple[str, InSeries]]) -> list[Series]:
    """Every series in the journal, by name (the same name however it is cased or accented), each in
    order; series sorted by name."""
    grouped: dict[str, Series] = {}
    for slug, book in books:
        for entry in book.series:  # a book can be in two series (Discworld #8 and City Watch #1)
            if not entry.get("name", "").strip():
                continue
            name = entry["name"].strip()
            series = grouped.setdefault(normalize(name), Series(name))
            number = entry.get("number")
            series.books.append(
                SeriesBook(
                    slug, book.title, list(book.authors), number.strip() if number else None, book.status
                )
            )
    for series in grouped.values():
        series.books.sort(key=lambda b: (number_key(b.number), title_order(b.title), b.slug))
    return sorted(grouped.values(), key=lambda s: normalize(s.name))


def next_of(series: Series) -> Suggestion | None:
    """The first whole-numbered book after the first one read or being read that the reader has not read,
    is not reading and did not give up: None if the reader is not in the series or nothing is left."""
    started = [b for b in series.books if b.status in IN_SERIES and b.number is not None]
    if not started:
        return None
    first = min(number_key(b.number) for b in started)
    may = [
        book
        for book in series.books
        if is_whole(book.number)
        and number_key(book.number) > first
        and book.status not in ("read", "reading", "abandoned")
    ]
    if not may:
        return None
    book = may[0]
    before = [b for b in started if number_key(b.number) < number_key(book.number)]
    after = max(before, key=lambda b: number_key(b.number))
    missing = gap((b.number for b in series.books), number_key(after.number)[1], number_key(book.number)[1])
    alongside = [b for b in may[1:] if number_key(b.number) == number_key(book.number)]
    return Suggestion(series.name, book, after, missing, alongside)


def suggestions(books: Iterable[tuple[str, InSeries]]) -> list[Suggestion]:
    """Next-in-series for `readlog next`: one per series the reader is in, by series name. The same
    answers as `next_of` of each series `collect` makes, found without putting every series in order:
    a series the reader is not in is passed over, and in one they are in, the book that comes next is
    the least of those that may, in series order (number, then title, then slug)."""
    grouped: dict[str, tuple[str, list[tuple[tuple[int, float, str], str | None, str, InSeries]]]] = {}
    keys: dict[str, str | None] = {}  # a name as written: its key, None for no name (the same few names)
    started: set[str] = set()  # the keys of the series the reader is in
    for slug, book in books:
        for entry in book.series:
            written = entry.get("name", "")
            key = keys.get(written)
            if written not in keys:
                key = keys[written] = normalize(written.strip()) if written.strip() else None
            if key is None:
                continue
            number = entry.get("number")
            number = number.strip() if number else None
            group = grouped.get(key)
            if group is None:
                group = grouped[key] = (written.strip(), [])
            group[1].append((number_key(number), number, slug, book))
            if number is not None and book.status in IN_SERIES:
                started.add(key)
    found = [_next_in(name, members) for key, (name, members) in grouped.items() if key in started]
    return sorted((s for s in found if s is not None), key=lambda s: normalize(s.series))


def _next_in(
    name: str, members: list[tuple[tuple[int, float, str], str | None, str, InSeries]]
) -> Suggestion | None:
    """`next_of` the series `name` whose books are `members` (in any order)."""

    def in_order(member: tuple[tuple[int, float, str], str | None, str, InSeries]) -> tuple[Any, ...]:
        order, _, slug, book = member
        return (order, title_order(book.title), slug)

    started = [m for m in members if m[1] is not None and m[3].status in IN_SERIES]
    first = min(m[0] for m in started)
    may = [
        m
        for m in members
        if is_whole(m[1]) and m[0] > first and m[3].status not in ("read", "reading", "abandoned")
    ]
    if not may:
        return None
    least = min(m[0] for m in may)
    tied = sorted((m for m in may if m[0] == least), key=in_order)
    upcoming = tied[0]
    before = [m for m in started if m[0] < least]
    last = max(m[0] for m in before)
    after = min((m for m in before if m[0] == last), key=in_order)
    missing = gap((m[1] for m in members), after[0][1], upcoming[0][1])
    alongside = [_series_book(m) for m in tied[1:]]
    return Suggestion(name, _series_book(upcoming), _series_book(after), missing, alongside)


def _series_book(member: tuple[tuple[int, float, str], str | None, str, InSeries]) -> SeriesBook:
    _, number, slug, book = member
    return SeriesBook(slug, book.title, list(book.authors), number, book.status)


def find(all_series: list[Series], name: str) -> list[Series]:
    """The series NAME means: the same name, else those whose name contains it."""
    wanted = normalize(name)
    exact = [s for s in all_series if normalize(s.name) == wanted]
    return exact or [s for s in all_series if wanted and wanted in normalize(s.name)]


def journal_books(journal: Journal) -> tuple[list[tuple[str, InSeries]], list[BookFileError]]:
    """The journal's books that name a series, from the index (the one function here that reads)."""
    index = journal.fresh_index()
    return [(member.slug, member) for member in index.in_series()], journal.problems()
