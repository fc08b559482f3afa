"""The reading lifecycle: want -> reading -> read, or abandoned / paused on the way; re-reads.

Every verb changes one reading of one book: the open one (no `finished`, no `stopped`) or a new one. A
reading is never invented twice: `finish` closes the open reading when there is one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from readlog.actions.books import ReviewText, after, set_review, slug_of
from readlog.errors import BookNotFound, InvalidValue, ReadlogError
from readlog.journal import Journal
from readlog.model import (
    Book,
    Entry,
    PartialDate,
    Progress,
    Read,
    format_duration,
    parse_date,
    parse_duration,
    parse_format,
    parse_rating,
    parse_text,
    sort_key,
)
from readlog.reading import Position, check_position, parse_position
from readlog.text import one_line


class StateError(ReadlogError):
    """The verb does not fit where the book is in its lifecycle (start a book being read, ...)."""


def _day(value: str | None, option: str = "--date", partial: bool = True) -> PartialDate:
    return parse_date(value, option, partial=partial) if value else date.today()


def _full_day(value: str | None, option: str = "--date") -> date:
    day = _day(value, option, partial=False)
    assert isinstance(day, date)
    return day


def _title(book: Book) -> str:
    return f"“{one_line(book.title)}”"


@dataclass
class StartResult:
    entry: Entry
    created: bool = False  # the book was not in the journal: added as `reading`
    resumed: bool = False  # a paused (or imported) open reading goes on
    reread: bool = False  # the book was read before: this is another reading


def start(
    journal: Journal,
    query: str,
    *,
    on: str | None = None,
    fmt: str | None = None,
    authors: Sequence[str] = (),
) -> StartResult:
    """`readlog start`: begin (or resume) reading a book; a book not in the journal is added when the
    reader names its author."""
    day = _day(on)
    book_format = parse_format(fmt, "--format") if fmt else None
    try:
        # With --author, a book by someone else is not this one: `start "The Road" -a "Cormac McCarthy"`
        # adds McCarthy's book beside Orwell's The Road to Wigan Pier.
        slug = journal.find(query, author=authors[0] if authors else None).slug
    except BookNotFound as error:
        if not authors:
            raise BookNotFound(f"{error}; to add it as a new book, give --author NAME") from None
        from readlog.actions.books import add_book

        added = add_book(journal, query, authors, status="reading", started=sort_key(day))
        if book_format:
            added.entry = journal.modify(added.entry.slug, lambda b: _set_format(b.reads[-1], book_format))
        return StartResult(added.entry, created=True)
    flags = {"resumed": False, "reread": False}

    def change(book: Book) -> None:
        current = book.open_read
        if book.status == "reading" and current is not None:
            since = f" since {sort_key(current.started)}" if current.started else ""
            raise StateError(f"{_title(book)} is already being read{since}: `readlog progress` or `finish`")
        if current is not None and book.status in ("paused", "want", "reading", None):
            flags["resumed"] = True  # a paused reading, or an open one an import brought
            if current.started is None:
                current.started = day
        else:
            flags["reread"] = any(r.finished is not None for r in book.reads) or book.status == "read"
            current = Read(started=day)
            book.reads.append(current)
        if book_format:
            _set_format(current, book_format)
        book.status = "reading"
        book.priority = None  # it leaves the want queue

    entry = journal.modify(slug, change)
    return StartResult(entry, resumed=flags["resumed"], reread=flags["reread"])


def _set_format(read: Read, fmt: str) -> None:
    read.format = fmt


def _open_read(book: Book, verb: str) -> Read:
    """The reading a verb continues; a `reading` book with no readings (an import) gets its open one."""
    current = book.open_read
    if current is None and book.status in ("reading", "paused") and not book.reads:
        current = Read()
        book.reads.append(current)
    if current is None:
        state = f"it is {book.status}" if book.status else "it has no open reading"
        raise StateError(f"cannot {verb} {_title(book)}: {state}; `readlog start` it first")
    return current


@dataclass
class ProgressResult:
    entry: Entry
    position: Position


def progress(
    journal: Journal,
    query: str,
    at: str,
    *,
    on: str | None = None,
    note: str | None = None,
    of: str | None = None,
) -> ProgressResult:
    """`readlog progress`: where the reader is in the open reading."""
    position = parse_position(at)
    day = _full_day(on)
    length = parse_duration(of, "--of") if of else None
    if length is not None and position.minutes is None:
        raise InvalidValue(
            "--of goes with a listening position such as 5:30 (it sets the audiobook's length)"
        )
    text = parse_text(note, "--note") if note and note.strip() else None
    slug = slug_of(journal, query)

    def change(book: Book) -> None:
        current = _open_read(book, "log progress on")
        if position.total_pages is not None:
            if book.pages is None:
                book.pages = position.total_pages
            elif book.pages != position.total_pages:
                raise InvalidValue(
                    f"AT: {_title(book)} has {book.pages} pages, not {position.total_pages}: "
                    "give the page alone, or fix `pages` with `readlog edit`"
                )
        if length is not None:
            if book.duration is not None and parse_duration(book.duration) != length:
                raise InvalidValue(
                    f"--of: {_title(book)} is {book.duration} long already; fix `duration` by hand (edit)"
                )
            book.duration = format_duration(length)
        check_position(book, position)
        if current.started is not None and after(current.started, day):
            raise InvalidValue(f"--date {day} is before this reading started ({sort_key(current.started)})")
        current.progress.append(Progress(day, position.page, position.percent, position.minutes, text))
        if book.status == "paused":
            book.status = "reading"

    return ProgressResult(journal.modify(slug, change), position)


@dataclass
class FinishResult:
    entry: Entry
    reread: bool
    kept: Path | None  # a replaced review, kept in trash/


def finish(
    journal: Journal,
    query: str,
    *,
    on: str | None = None,
    rating: str | None = None,
    review: ReviewText | None = None,
    replace: bool = False,
) -> FinishResult:
    """`readlog finish`: close the open reading (or record one that finished on the day), status `read`,
    the rating on the book (and on a re-read, on that reading too), and the review if given."""
    day = _day(on)
    stars = parse_rating(rating, "--rating") if rating else None
    slug = slug_of(journal, query)
    found: dict[str, Path | bool | None] = {"reread": False, "kept": None}

    def change(book: Book) -> None:
        current = book.open_read
        if current is None:
            current = Read(finished=day)
            book.reads.append(current)
        elif current.started is not None and after(current.started, day):
            raise InvalidValue(
                f"--date {sort_key(day)} is before this reading started ({sort_key(current.started)})"
            )
        current.finished = day
        earlier = book.reads[: book.reads.index(current)]
        found["reread"] = reread = any(r.finished is not None for r in earlier)
        if stars is not None:
            book.rating = stars
            if reread:
                current.rating = stars
        book.status = "read"
        book.priority = None
        if review:
            found["kept"] = set_review(journal, book, slug, review, replace)

    entry = journal.modify(slug, change)
    kept = found["kept"]
    return FinishResult(entry, bool(found["reread"]), kept if isinstance(kept, Path) else None)


def abandon(journal: Journal, query: str, *, on: str | None = None, at: str | None = None) -> Entry:
    """`readlog abandon`: stop reading for good. The open reading gets `stopped` (and where, with AT)."""
    day = _day(on)
    position = parse_position(at) if at else None
    slug = slug_of(journal, query)

    def change(book: Book) -> None:
        current = book.open_read
        if current is None and book.status == "read":
            raise StateError(f"{_title(book)} is read: there is no reading to abandon")
        if current is None and (position is not None or book.status in ("reading", "paused")):
            current = Read()
            book.reads.append(current)
        if current is not None:
            if current.started is not None and after(current.started, day):
                raise InvalidValue(f"--date {sort_key(day)} is before this reading started")
            current.stopped = day
            if position is not None:
                check_position(book, position)
                if position.total_pages is not None and book.pages is None:
                    book.pages = position.total_pages
                when = day if isinstance(day, date) else None
                current.progress.append(Progress(when, position.page, position.percent, position.minutes))
        book.status = "abandoned"
        book.priority = None

    return journal.modify(slug, change)


def pause(journal: Journal, query: str) -> Entry:
    """`readlog pause`: set the book aside; its reading stays open for `start` to resume."""
    slug = slug_of(journal, query)

    def change(book: Book) -> None:
        if book.status == "paused":
            raise StateError(f"{_title(book)} is paused already: `readlog start` resumes it")
        _open_read(book, "pause")
        book.status = "paused"

    return journal.modify(slug, change)
