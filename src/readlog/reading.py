"""Where a reader is in a book: positions typed as `120`, `120/288`, `42%` or `5:30`, and what an open
reading's progress adds up to (a fraction, pages a day, a likely finishing day). Pure: no I/O."""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date, timedelta

from readlog.errors import InvalidValue, Option, UsageError
from readlog.lazyclass import dataclass_when_used, pattern_when_used
from readlog.model import (
    PAGES,
    Book,
    BookSummary,
    PartialDate,
    Progress,
    Read,
    format_duration,
    parse_duration,
    parse_percent,
    sort_key,
    whole_number,
)

_PAGE = pattern_when_used(r"(\d+)(?:\s*/\s*(\d+))?")
_PERCENT = pattern_when_used(r"(\d+(?:\.\d+)?)\s*%")
_TIME = pattern_when_used(r"\d{1,4}:\d\d")


@dataclass_when_used
class Position:
    """A parsed AT: exactly one of page, percent, minutes; `total_pages` from `120/288`."""

    page: int | None = None
    percent: int | float | None = None
    minutes: int | None = None
    total_pages: int | None = None


def parse_position(text: str) -> Position:
    """`120` (a page), `120/288` (a page of a total), `42%`, or `5:30` (hours:minutes listened)."""
    at = text.strip()
    if match := _PAGE.fullmatch(at):
        page = whole_number(match[1], Option("AT (page)"), PAGES)
        total = whole_number(match[2], Option("AT (total pages)"), PAGES) if match[2] else None
        if total is not None and page > total:
            raise InvalidValue(f"AT: page {page} is past the end ({total} pages)")
        return Position(page=page, total_pages=total)
    if match := _PERCENT.fullmatch(at):
        if len(match[1]) > 30:  # never a percentage, and its float would only say `inf`
            raise UsageError(
                f"AT (percent): a number of {len(match[1]):,} characters is not a percentage (0 to 100)", "AT"
            )
        return Position(percent=parse_percent(float(match[1]), Option("AT (percent)")))
    if _TIME.fullmatch(at):
        return Position(minutes=parse_duration(at, Option("AT (time)")))
    shown = text if len(text) <= 40 else f"{text[:20]}...{text[-10:]}"
    raise UsageError(
        f"AT: {shown!r} is not a position: use a page (120), a page of a total (120/288), a percentage (42%) "
        "or, for audiobooks, hours:minutes (5:30)",
        "AT",
    )


def check_position(book: BookSummary, position: Position) -> None:
    """Refuse a position past the end of the book, as far as the book's length is known."""
    if position.page is not None and book.pages is not None and position.page > book.pages:
        raise InvalidValue(f"AT: page {position.page} is past the end ({book.pages} pages)")
    if position.minutes is not None and book.duration is not None:
        length = parse_duration(book.duration)
        if position.minutes > length:
            raise InvalidValue(
                f"AT: {format_duration(position.minutes)} is past the end ({book.duration} long)"
            )


@dataclass_when_used
class Outlook:
    """An open reading at a glance."""

    label: str  # "p. 120 of 288", "42%", "5:30 of 10:12"
    fraction: float | None  # 0..1 where the length is known
    per_day: float | None = None  # pages (or percent, or minutes) a day since the reading started
    unit: str = "pages"
    finish_by: date | None = None  # at that pace


def fraction(book: BookSummary, entry: Progress) -> float | None:
    if entry.percent is not None:
        return float(entry.percent) / 100
    if entry.page is not None and book.pages:
        return min(entry.page / book.pages, 1.0)
    if entry.minutes is not None and book.duration:
        return min(entry.minutes / max(parse_duration(book.duration), 1), 1.0)
    return None


def label(book: BookSummary, entry: Progress) -> str:
    if entry.page is not None:
        return f"p. {entry.page}" + (f" of {book.pages}" if book.pages else "")
    if entry.percent is not None:
        return f"{entry.percent:g}%"
    assert entry.minutes is not None
    return format_duration(entry.minutes) + (f" of {book.duration}" if book.duration else "")


def by_date(progress: Sequence[Progress]) -> list[Progress]:
    """Positions in the order of their days (the order typed among the same day). An undated one keeps its
    place after the position typed before it: a hand edit or an import is not moved to either end."""
    keyed = []
    last: date = date.min
    for number, entry in enumerate(progress):
        if entry.date is not None:
            last = entry.date
        keyed.append((last, number, entry))
    return [entry for _, _, entry in sorted(keyed, key=lambda item: (item[0], item[1]))]


def latest(read: Read) -> Progress | None:
    """Where the reader is now: the position of the latest day, not the last one typed."""
    return by_date(read.progress)[-1] if read.progress else None


def share_of(book: BookSummary, entry: Progress) -> tuple[float, float, str] | None:
    """(done, total, unit) of a position in its own unit; total 0 where the length is unknown."""
    if entry.page is not None:
        return float(entry.page), float(book.pages or 0), "pages"
    if entry.percent is not None:
        return float(entry.percent), 100.0, "%"
    if entry.minutes is not None:
        return float(entry.minutes), float(parse_duration(book.duration)) if book.duration else 0.0, "minutes"
    return None


def is_behind(book: BookSummary, entry: Progress, other: Progress) -> bool:
    """`entry` is a place earlier in the book than `other` (compared in one unit, or as fractions)."""
    a, b = share_of(book, entry), share_of(book, other)
    if a is not None and b is not None and a[2] == b[2]:
        return a[0] < b[0]
    x, y = fraction(book, entry), fraction(book, other)
    return x is not None and y is not None and x < y


def surely_after(first: PartialDate, second: PartialDate) -> bool:
    """`first` is surely later than `second` (partial dates compare as far as both are known)."""
    a, b = sort_key(first), sort_key(second)
    n = min(len(a), len(b))
    return a[:n] > b[:n]


def past_its_end(read: Read, end: PartialDate) -> tuple[PartialDate, str] | None:
    """A reading ends on or after the days it records: the latest of them surely after `end` (its start,
    a progress, a pause or a resume) with what it is ("started", "progress", "paused", "resumed"), or None.
    The one rule `finish` and `abandon` refuse a --date by and `readlog check` names a file's reading by."""
    if read.started is not None and surely_after(read.started, end):
        return read.started, "started"
    days: list[tuple[PartialDate, str]] = [(p.date, "progress") for p in read.progress if p.date is not None]
    for pause in read.pauses:
        days += [(d, word) for d, word in ((pause.paused, "paused"), (pause.resumed, "resumed")) if d]
    later = [(d, word) for d, word in days if surely_after(d, end)]
    return max(later, key=lambda pair: sort_key(pair[0])) if later else None


def begun(read: Read) -> bool:
    """A reading begun: it has a start day or a position logged (the index's book_reads.begun)."""
    return read.started is not None or bool(read.progress)


def is_done(book: BookSummary, read: Read) -> bool:
    """Whether `read`, a reading of `book`, is done: THE rule `show`'s and the site's "Read N times", stats'
    re-reads (index.aggregates' `_done` is it in SQL, tested against it) and the verbs (`finish`'s re-read,
    `rate`, `start`) go by. See `_done`."""
    return _done(book, read, next((n for n, r in enumerate(book.reads) if r is read), len(book.reads)))


def done_readings(book: BookSummary) -> list[Read]:
    """The readings of `book` that are done (`is_done`), in the file's order."""
    return [read for at, read in enumerate(book.reads) if _done(book, read, at)]


def _done(book: BookSummary, read: Read, at: int) -> bool:
    """A reading finished (on a day, a month or a year) is done; one stopped unfinished never is
    (abandoned). One neither finished nor stopped is done when the book's status is `read` (read, on a day
    nobody wrote down: `add --status read`, an export's read shelf), when it was never begun (no start,
    no progress) and another reading of the book follows it (an export's earlier readings, of which only
    the latest is dated), or when another reading began after it began (`started_again`: a read book's
    `Read: 2020-01-01 → ?`, started again, stays read whatever the status is now; review 29c #1). Any other
    is the reading going on, or the one given up. `at`: where `read` is in the book's readings."""
    if read.finished is not None:
        return True
    if read.stopped is not None:
        return False
    if book.status == "read":
        return True
    if not begun(read):
        return at < len(book.reads) - 1
    return started_again(book.reads, read, at)


def going_on_when_over(book: BookSummary) -> list[int]:
    """The readings (1-based) of a book read or given up that the rules above still count as going on: begun,
    never finished or stopped, not done (`_done`) and not the given-up book's last (given up on a day nobody
    wrote down). A sync's merge makes them: a start on one device beside a dated `abandon` on the other,
    the status then resolved to `abandoned` (try-out 33b #21); `show` said `2026-12-01 → now`."""
    if book.status not in ("read", "abandoned"):
        return []
    last = len(book.reads) - 1
    return [
        at + 1
        for at, read in enumerate(book.reads)
        if read.is_open
        and begun(read)
        and not _done(book, read, at)
        and not (book.status == "abandoned" and at == last)
    ]


def started_again(reads: Sequence[Read], read: Read, at: int) -> bool:
    """Whether another of `reads` began after `read` (the `at`-th) began: its start day surely later, or
    listed after it and not surely earlier (two starts of one day, or of a year and a day in it). A reading
    with no start day is never started again (index.aggregates' `_started_again`, in Python)."""
    if read.started is None:
        return False
    return any(
        other.started is not None
        and (
            surely_after(other.started, read.started)
            if n < at
            else not surely_after(read.started, other.started)
        )
        for n, other in enumerate(reads)
        if n != at
    )


def in_date_order(reads: Sequence[Read]) -> list[Read]:
    """A book's readings as they happened, as `show` and the site list them: the dated ones by the day each
    began (or ended), in the places the dated ones have among them (one undated stays where the file has it:
    `2016-07-21; date unknown`)."""
    dated = [r for r in reads if r.started or r.stopped or r.finished]
    ordered = iter(sorted(dated, key=lambda r: sort_key(r.started or r.stopped or r.finished)))
    return [next(ordered) if r.started or r.stopped or r.finished else r for r in reads]


def undated(gave_up: bool = False) -> str:
    """A reading without a date, in words (`gave_up`: the one an abandoned book was given up in)."""
    return "abandoned, date unknown" if gave_up else "date unknown"


def readings_label(book: Book, reads: Sequence[Read]) -> str:
    """What `show` and the site call a book's readings (`reads`, all of them, in date order), by `is_done`:
    "Read", "Read 3 times" when every one is done; "Abandoned" for one given up (or stopped), "Reading" for
    one going on ("1 reading" for a want book's undated one, never begun); "3 readings" when one was not
    read to the end (given up, or still going)."""
    if len(reads) == 1:
        only = reads[0]
        if is_done(book, only):
            return "Read"
        if given_up(book, reads) or only.stopped is not None:
            return "Abandoned"
        # (a want book's undated reading, never begun: an export's Read Count 1 on to-read; review 29c #2)
        return "Reading" if begun(only) or book.status in ("reading", "paused") else "1 reading"
    if all(is_done(book, r) for r in reads):
        return f"Read {len(reads)} times"
    return f"{len(reads)} readings"  # (one given up, or still going: not read that many times)


def given_up(book: Book, reads: Sequence[Read]) -> bool:
    """Whether the last of `reads` (in date order) is the reading `book` was given up in (an abandoned book's
    last, unfinished): never called "Read"."""
    return book.status == "abandoned" and reads[-1].finished is None


def going_on(book: Book) -> Read | None:
    """The reading going on: the book's open one, unless it is done (`is_done`: the book is read, or it is
    an undated one never begun with another after it)."""
    read = book.open_read
    return None if read is None or is_done(book, read) else read


def rate_reading(book: Book, read: Read, stars: float) -> bool:
    """A rating given with a reading of `book` (`finish BOOK --rating`, `add TITLE --reread --rating`), by
    one rule: each reading keeps its own, and the book has the latest finished one's. On a re-read (another
    reading done) `read` takes it, the book's old rating staying with the reading it was given for (the
    latest other one done, when none has a rating of its own); the book takes it only when `read` is
    finished and no other reading finished after it (`add --reread --finished` of an older reading, or an
    open one, rates that reading alone). True if the book took it."""
    others = [r for r in book.reads if r is not read and is_done(book, r)]
    if others and book.rating is not None and all(r.rating is None for r in others):
        latest_done(others).rating = book.rating
    end = read.finished
    took = end is not None and not any(r.finished and surely_after(r.finished, end) for r in others)
    if others or not took:
        read.rating = stars
    if took:
        book.rating = stars
    return took


def latest_done(reads: Sequence[Read]) -> Read:
    """The reading of `reads` finished last by its day (of one day, the one listed last; a reading done on a
    day nobody knows before any dated one): the one a book's rating was given for."""
    numbered = list(enumerate(reads))
    return max(numbered, key=lambda item: (sort_key(item[1].finished), item[0]))[1]


def its_own_day(word: str) -> str:
    """What `past_its_end` found, in words: "this reading started", "this reading's latest progress"."""
    if word == "progress":
        return "this reading's latest progress"
    return "this reading started" if word == "started" else f"this reading was {word}"


def paused_since(read: Read) -> date | None:
    """The day the reading was set aside, while it still is."""
    if read.pauses and read.pauses[-1].resumed is None:
        return read.pauses[-1].paused
    return None


def outlook(book: BookSummary, read: Read, today: date) -> Outlook | None:
    """Where the open reading `read` stands; None before any progress was logged. The pace is the dated
    positions' own: from the start of the reading (else the first dated position) to the latest day."""
    if not read.progress:
        return None
    dated = [entry for entry in by_date(read.progress) if entry.date is not None]
    last = latest(read)
    assert last is not None
    share = fraction(book, last)
    result = Outlook(label(book, last), share)
    if last.date is None or not dated:
        return result
    measured = share_of(book, last)
    assert measured is not None
    done, total, result.unit = measured
    if isinstance(read.started, date) and read.started <= last.date:
        since, base = read.started, 0.0
    else:  # no start day: from the first dated position in the same unit
        firsts = [
            (e.date, m[0]) for e in dated if e.date and (m := share_of(book, e)) and m[2] == result.unit
        ]
        first_day = firsts[0][0] if firsts else None
        if first_day is None or first_day >= last.date:
            return result
        since, base = first_day, firsts[0][1]
    days = max((last.date - since).days, 1)
    result.per_day = max(done - base, 0.0) / days
    if total and result.per_day > 0 and done < total and paused_since(read) is None:
        result.finish_by = max(last.date, today) + timedelta(days=math.ceil((total - done) / result.per_day))
    return result


def percent_done(book: BookSummary) -> int | None:
    """The open reading's latest position as a whole percentage, where the book's length is known."""
    read = book.open_read
    last = latest(read) if read is not None else None
    if last is None:
        return None
    share = fraction(book, last)
    return None if share is None else int(share * 100)
