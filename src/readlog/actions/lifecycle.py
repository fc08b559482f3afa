"""The reading lifecycle: want -> reading -> read, or abandoned / paused on the way; re-reads.

Every verb changes one reading of one book: the open one (no `finished`, no `stopped`) or a new one. A
reading is never invented twice: `finish` closes the open reading when there is one.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from datetime import date
from pathlib import Path

from readlog.actions.books import ReviewText, after, no_blank_author, set_review, slug_of
from readlog.errors import BookNotFound, InvalidValue, MaybeSameBook, Option, ReadlogError, UsageError
from readlog.journal import Journal
from readlog.lazyclass import dataclass_when_used
from readlog.model import (
    Book,
    Entry,
    PartialDate,
    Pause,
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
from readlog.reading import (
    Position,
    check_position,
    is_behind,
    is_done,
    its_own_day,
    latest,
    parse_position,
    past_its_end,
    paused_since,
    rate_reading,
)
from readlog.text import one_line

TYPE_CHECKING = False
if TYPE_CHECKING:
    from readlog.identity import Candidate


class StateError(ReadlogError):
    """The verb does not fit where the book is in its lifecycle (start a book being read, ...)."""


def _day(value: str | None, option: str = Option("--date"), partial: bool = True) -> PartialDate:
    return parse_date(value, option, partial=partial) if value else date.today()


def _full_day(value: str | None, option: str = Option("--date")) -> date:
    day = _day(value, option, partial=False)
    assert isinstance(day, date)
    return day


def _title(book: Book) -> str:
    return f"“{one_line(book.title)}”"


@dataclass_when_used
class StartResult:
    entry: Entry
    created: bool = False  # the book was not in the journal: added as `reading`
    resumed: bool = False  # a paused (or imported) open reading goes on
    reread: bool = False  # the book was read before: this is another reading
    pause: Pause | None = None  # the pause this start ended


def start(
    journal: Journal,
    query: str,
    *,
    on: str | None = None,
    fmt: str | None = None,
    authors: Sequence[str] = (),
    new: bool = False,
) -> StartResult:
    """`readlog start`: begin (or resume) reading a book; a book not in the journal is added when the
    reader names its author. One the journal may have already (an authorless *The Stand* for `--author
    "Stephen King"`) is refused (MaybeSameBook, naming `start --new`: `add --new` would record it as
    read) unless `new` says it is another book, which is then added and started whatever the journal has."""
    day = _day(on)
    book_format = parse_format(fmt, Option("--format")) if fmt else None
    authors = no_blank_author(authors)
    if new and not authors:
        raise UsageError("--new adds a separate book: give its author with --author NAME", "--new")
    try:
        if new:
            raise BookNotFound(query)
        # With --author, a book by someone else is not this one: `start "The Road" -a "Cormac McCarthy"`
        # adds McCarthy's book beside Orwell's The Road to Wigan Pier.
        slug = _to_start(journal, query, authors[0]) if authors else journal.find(query).slug
    except BookNotFound as error:
        if not authors:
            raise BookNotFound(f"{error}; to add it as a new book, give --author NAME") from None
        from readlog.actions.books import add_book
        from readlog.journal import ADD_NEW

        try:
            added = add_book(journal, query, authors, status="reading", started=sort_key(day), new=new)
        except MaybeSameBook as maybe:
            again = f"`{_start_new(query, authors)}` starts it as a separate book"
            raise MaybeSameBook(str(maybe).replace(ADD_NEW, again), maybe.slugs) from None
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
            ended["pause"] = _resume(book, current, day, "--date")
        else:
            _not_before_earlier(book, book.reads, day)  # (as finish and abandon refuse it)
            flags["reread"] = book.status == "read" or any(is_done(book, r) for r in book.reads)
            current = Read(started=day)
            book.reads.append(current)
        if book_format:
            _set_format(current, book_format)
        book.status = "reading"
        book.priority = None  # it leaves the want queue

    ended: dict[str, Pause | None] = {}
    entry = journal.modify(slug, change)
    return StartResult(entry, resumed=flags["resumed"], reread=flags["reread"], pause=ended.get("pause"))


def _start_new(query: str, authors: Sequence[str]) -> str:
    """The command that starts the title typed as a separate book, whole (`readlog start --new` alone misses
    its BOOK: review 27c)."""
    import shlex

    named = " ".join(f"-a {shlex.quote(one_line(author))}" for author in authors)
    return f"readlog start {shlex.quote(one_line(query))} {named} --new"


def _to_start(journal: Journal, query: str, author: str) -> str:
    """`start TITLE --author NAME`: the book TITLE surely names, by that author. Words of a longer title of
    that author's, whole words only (`start "Dune" -a "Frank Herbert"` with only *Dune Messiah*; `start
    "never let"` with *Never Let Me Go*), may be that book or a new one of the title typed: on a terminal
    the reader is asked to start the book, then (a no) whether to add the typed title as a separate book
    (MaybeSameBook, which `start` asks as `add` does); in a script refused naming the book and `start
    --new`. Never a new book added without a word (review 27a #2). A word cut short (`jane eyr`) or a
    close spelling is asked about as any BOOK is (a no writes nothing), and refused naming `start --new`."""
    from readlog.errors import AmbiguousBook, Cancelled, NotSureBook
    from readlog.identity import whole_words_of

    again = f"`{_start_new(query, [author])}` adds {one_line(query)!r} as a separate book and starts it"
    maybe = None
    with journal.without_questions():
        try:
            return journal.find(query, author=author).slug
        except NotSureBook as unsure:
            if all(whole_words_of(query, c.title) for c in unsure.candidates):
                maybe = _words_of(query, unsure.candidates, again)
        except AmbiguousBook:
            pass  # (several books it names: asked below on a terminal, as any BOOK)
    if maybe is not None and journal.chooser is None:
        raise maybe
    try:
        return journal.find(query, author=author).slug
    except NotSureBook as unsure:
        raise NotSureBook(f"{unsure}; {again}", unsure.candidates) from None
    except Cancelled:
        if maybe is None:
            raise
        raise maybe from None


def _words_of(query: str, books: Sequence[Candidate], again: str) -> MaybeSameBook:
    """What `start TITLE --author` says of a title typed whole that is words of the title of `books`."""
    from readlog.identity import describe

    one = len(books) == 1
    start_it = f"`readlog start {books[0].slug}` starts it" if one else "`readlog start SLUG` starts one"
    return MaybeSameBook(
        f"{one_line(query)!r} is words of the title{'' if one else 's'} of {describe(books)}: nothing was "
        f"added; {start_it}, {again}",
        tuple(c.slug for c in books),
    )


def _set_format(read: Read, fmt: str) -> None:
    read.format = fmt


def _resume(book: Book, read: Read, day: PartialDate, option: str) -> Pause | None:
    """The reading goes on: a pause still open ends on `day` (a day before it began is refused); the
    pause it ended, if any."""
    pause = read.pauses[-1] if read.pauses else None
    if pause is None or pause.resumed is not None:
        if book.status != "paused" or not isinstance(day, date):
            return None
        pause = Pause()  # paused before pauses were dated: the resume is, at least
        read.pauses.append(pause)
    if not isinstance(day, date):
        raise InvalidValue(f"{option} {day}: resuming needs a whole date (YYYY-MM-DD)")
    if pause.paused is not None and day < pause.paused:
        raise InvalidValue(
            f"{option} {day} is before {_title(book)} was paused ({pause.paused}): "
            "it resumes on or after that day"
        )
    pause.resumed = day
    return pause


def _may_continue(book: Book) -> bool:
    """Whether the book has a reading a verb can continue (`_open_read` finds or gives it one)."""
    return _continued(book) is not None or (book.status in ("reading", "paused") and not book.reads)


def _continued(book: Book) -> Read | None:
    """The open reading `progress` and `pause` go on with. A `read` or `abandoned` book has none: a reading
    it holds with no end (`add`'s undated one, an export's read shelf) ended, on a day nobody wrote down.
    (`Read.is_open` stays as it is: `finish --date` gives such a reading its day.)"""
    return book.open_read if book.status not in ("read", "abandoned") else None


@contextlib.contextmanager
def _asking_only_open(journal: Journal, verb: str) -> Iterator[None]:
    """Inside, the question a not-sure BOOK gets on a terminal offers only the books with a reading to
    continue (a read book, chosen, would be refused); when none has one, that is said instead, with where
    each book is. A script's refusal still names every candidate."""
    chooser = journal.chooser
    if chooser is None:
        yield
        return

    def narrowed(query: str, candidates: Sequence[Candidate]) -> Candidate | None:
        kept, others = [], []
        for candidate in candidates:
            try:
                book = journal.load(candidate.slug, allow_newer=True).book
            except ReadlogError:  # (chosen, its write says what is wrong with its file)
                kept.append(candidate)
                continue
            if _may_continue(book):
                kept.append(candidate)
            else:
                others.append(f"{candidate.describe()} is {book.status or 'not started'}")
        if not kept:
            raise StateError(
                f"cannot {verb} {one_line(query)!r}: none of the books it may name has an open reading "
                f"({'; '.join(others)}); `readlog start` one first"
            )
        return chooser(query, kept)

    journal.chooser = narrowed
    try:
        yield
    finally:
        journal.chooser = chooser


def _open_read(book: Book, verb: str) -> Read:
    """The reading a verb continues; a `reading` book with no readings (an import) gets its open one."""
    current = _continued(book)
    if current is None and _may_continue(book):
        current = Read()
        book.reads.append(current)
    if current is None:
        state = f"it is {book.status}" if book.status else "it has no open reading"
        raise StateError(f"cannot {verb} {_title(book)}: {state}; `readlog start` it first")
    return current


@dataclass_when_used
class ProgressResult:
    entry: Entry
    position: Position
    logged: Progress | None = None  # the position as written
    behind: Progress | None = None  # the latest position before, further on than this one (a day later)
    earlier: Progress | None = None  # a later-dated position than this one: "now" stays there

    def share(self) -> float | None:
        """How far through the book the logged position is (0 to 1), where its length is known."""
        from readlog.reading import fraction

        return None if self.logged is None else fraction(self.entry.book, self.logged)

    def where(self, position: Progress) -> str:
        """A position in words: `p. 120 of 288`, `42%`, `5:30 of 11:02`."""
        from readlog.reading import label

        return label(self.entry.book, position)


def _refuse_other_unit(book: Book, read: Read | None, position: Position) -> None:
    """On an audiobook with no page count, `90` is not a page: say what to give instead. And the other way
    round: on a book of pages that is no audiobook (no `duration`, the reading not `audiobook`), `5:30` is
    not a time listened (it was kept as 330 minutes of a paperback): say what to give instead."""
    audio = book.duration is not None or (read is not None and read.format == "audiobook")
    if position.page is not None and position.total_pages is None and book.pages is None and audio:
        raise InvalidValue(
            f"AT: {_title(book)} is an audiobook with no page count: give the time listened as H:MM "
            "(e.g. 5:30) or a percentage (e.g. 42%)"
        )
    if position.minutes is not None and book.pages is not None and not audio:
        raise InvalidValue(
            f"AT: {_title(book)} is a book of {book.pages} pages, not an audiobook: give a page (e.g. 120) "
            "or a percentage (e.g. 42%); listening to it? give its length once: "
            "`progress BOOK 5:30 --of 10:12`"
        )


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
    length = parse_duration(of, Option("--of")) if of else None
    if length is not None and position.minutes is None:
        raise InvalidValue(
            "--of goes with a listening position such as 5:30 (it sets the audiobook's length)"
        )
    text = parse_text(note, Option("--note")) if note and note.strip() else None
    with _asking_only_open(journal, "log progress on"):
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
        _refuse_other_unit(book, current, position)
        check_position(book, position)
        if current.started is not None and after(current.started, day):
            raise InvalidValue(f"--date {day} is before this reading started ({sort_key(current.started)})")
        before = latest(current)
        entry = Progress(day, position.page, position.percent, position.minutes, text)
        current.progress.append(entry)
        seen["logged"] = entry
        if before is not None and before.date is not None and before.date > day:
            seen["earlier"] = before
        elif before is not None and is_behind(book, entry, before):
            seen["behind"] = before
        since = paused_since(current)
        if book.status == "paused" and (since is None or day >= since):
            _resume(book, current, day, "--date")  # reading on: the pause ends that day
            book.status = "reading"

    seen: dict[str, Progress] = {}
    entry = journal.modify(slug, change)
    return ProgressResult(entry, position, seen.get("logged"), seen.get("behind"), seen.get("earlier"))


class RereadNeeded(StateError):
    """`finish` of a book whose latest reading is finished: another reading only when asked (--reread)."""


def finished_day(read: Read) -> str:
    """The day a reading was finished, as sorted (`2025-03`, `2025-03-14`)."""
    return sort_key(read.finished)


def finished_already(book: Book) -> Read | None:
    """The book's latest reading, when it is finished and no reading is open: finishing the book again
    would be a re-read."""
    if book.open_read is not None or not book.reads:
        return None
    numbered = list(enumerate(book.reads))
    _, last = max(numbered, key=lambda item: (sort_key(_end(item[1])), item[0]))
    return last if last.finished is not None else None


def read_undated(book: Book) -> Read | None:
    """The reading of a book read on a day nobody wrote down (`add --status read`, an export's read shelf,
    `add --status read --started D`: its open reading, done by reading.is_done though it has no finish
    date): `finish` today is not that day."""
    current = book.open_read
    return current if current is not None and book.status == "read" and is_done(book, current) else None


def _end(read: Read) -> PartialDate | None:
    return read.finished or read.stopped or read.started


@dataclass_when_used
class FinishResult:
    entry: Entry
    reread: bool
    kept: Path | None  # a replaced review, kept in trash/
    took: float | None = None  # no --rating: the rating the reading had of its own, the book's now


def finish(
    journal: Journal,
    query: str,
    *,
    on: str | None = None,
    rating: str | None = None,
    review: ReviewText | None = None,
    replace: bool = False,
    reread: bool = False,
) -> FinishResult:
    """`readlog finish`: close the open reading (or record one that finished on the day), status `read`,
    the rating on the book (and on a re-read, on that reading too), and the review if given. A book whose
    latest reading is finished is read again only with `reread`: a second `finish` is otherwise a slip."""
    day = _day(on)
    stars = parse_rating(rating, Option("--rating")) if rating else None
    slug = slug_of(journal, query)
    found: dict[str, Path | bool | None] = {"reread": False, "kept": None}
    took: list[float] = []  # no --rating: the rating the reading had of its own, the book's now

    def change(book: Book) -> None:
        current = book.open_read
        done = finished_already(book)
        if done is not None and not reread:
            raise RereadNeeded(
                f"{_title(book)} is read already (finished {sort_key(done.finished)}): "
                "to log another reading of it, pass --reread"
            )
        undated = read_undated(book)
        if current is not None and current is not undated and is_done(book, current):
            # (a done reading, on a day nobody wrote down, of a book started again and given up since: never
            # finished today; the finish is a reading of its own, as beside a dated one: review 30b #2)
            current = None
        if current is not None and current is undated:  # --date: its day; --reread: another
            if reread:
                current = None
            elif on is None:
                raise RereadNeeded(
                    f"{_title(book)} is read already (on a day not recorded): `--date DAY` gives that "
                    "reading its day; to log another reading of it, pass --reread"
                )
        if current is None:
            current = Read(finished=day)
            book.reads.append(current)
        else:
            _not_before_its_own(current, day)
        earlier = book.reads[: next(i for i, r in enumerate(book.reads) if r is current)]
        _not_before_earlier(book, earlier, day)
        current.finished = day
        found["reread"] = any(is_done(book, r) for r in earlier)
        if stars is not None:
            rate_reading(book, current, stars)
        elif current.rating is not None and rate_reading(book, current, current.rating):
            took.append(current.rating)  # given as the reading began (`add --reread --status reading`)
        book.status = "read"
        book.priority = None
        if review:
            found["kept"] = set_review(journal, book, slug, review, replace)

    entry = journal.modify(slug, change)
    kept = found["kept"]
    return FinishResult(entry, bool(found["reread"]), kept if isinstance(kept, Path) else None, *took)


def _not_before_its_own(read: Read, day: PartialDate) -> None:
    """A reading ends on or after the days it records: a finish (or abandon) date before its start, its
    latest progress or a pause is refused, naming that day."""
    found = past_its_end(read, day)
    if found is not None:
        last, word = found
        raise InvalidValue(
            f"--date {sort_key(day)} is before {its_own_day(word)} ({sort_key(last)})", "--date"
        )


def _not_before_earlier(book: Book, earlier: list[Read], day: PartialDate) -> None:
    """A reading ends after the readings before it ended: a finish date before an earlier reading's end (a
    slip of the year, as a rule) is refused, naming that reading's day, as a date before the reading's own
    start is (an older reading is written into the file: `readlog edit`)."""
    ends = [end for read in earlier if (end := read.finished or read.stopped) is not None and after(end, day)]
    if ends:
        latest_end = max(ends, key=sort_key)
        raise InvalidValue(
            f"--date {sort_key(day)} is before an earlier reading of {_title(book)} ended "
            f"({sort_key(latest_end)}); an older reading is written into the book's file: `readlog edit`",
            "--date",
        )


def abandon(journal: Journal, query: str, *, on: str | None = None, at: str | None = None) -> Entry:
    """`readlog abandon`: stop reading for good. The open reading gets `stopped` (and where, with AT)."""
    day = _day(on)
    position = parse_position(at) if at else None
    slug = slug_of(journal, query)

    def change(book: Book) -> None:
        current = _continued(book)  # (a read book's undated reading ended: nothing to abandon)
        if current is None and book.status == "read":
            raise StateError(f"{_title(book)} is read: there is no reading to abandon")
        if current is None and book.status == "abandoned":  # (it said "Abandoned" and changed nothing)
            stopped = next((r.stopped for r in reversed(book.reads) if r.stopped is not None), None)
            since = f" (stopped {sort_key(stopped)})" if stopped is not None else ""
            raise StateError(
                f"{_title(book)} is abandoned already{since}: `readlog start` reads it again, "
                "`readlog edit` changes the day"
            )
        # (a day the reader gave is kept as the reading's stop, as with AT: it was dropped, try-out 33b #21)
        if current is None and (position is not None or on or book.status in ("reading", "paused")):
            current = Read()
            book.reads.append(current)
        if current is not None:
            _not_before_its_own(current, day)
            current.stopped = day
            if position is not None:
                _refuse_other_unit(book, current, position)
                check_position(book, position)
                if position.total_pages is not None and book.pages is None:
                    book.pages = position.total_pages
                when = day if isinstance(day, date) else None
                current.progress.append(Progress(when, position.page, position.percent, position.minutes))
        book.status = "abandoned"
        book.priority = None

    return journal.modify(slug, change)


def pause(journal: Journal, query: str, *, on: str | None = None) -> Entry:
    """`readlog pause`: set the book aside on a day (`[[reads.pauses]]`); its reading stays open for
    `start` to resume."""
    day = _full_day(on)
    slug = slug_of(journal, query)

    def change(book: Book) -> None:
        if book.status == "paused":
            since = paused_since(book.open_read) if book.open_read else None
            when = f" since {since}" if since else ""
            raise StateError(f"{_title(book)} is paused already{when}: `readlog start` resumes it")
        current = _open_read(book, "pause")
        if current.started is not None and after(current.started, day):
            raise InvalidValue(f"--date {day} is before this reading started ({sort_key(current.started)})")
        last = current.pauses[-1] if current.pauses else None
        if last is not None and last.resumed is not None and last.resumed > day:
            raise InvalidValue(f"--date {day} is before the reading last resumed ({last.resumed})")
        if last is not None and last.resumed is None:
            last.paused = day  # a pause left open by hand: it is this one
        else:
            current.pauses.append(Pause(paused=day))
        book.status = "paused"

    return journal.modify(slug, change)
