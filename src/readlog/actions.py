"""What the commands do to the journal: one function per verb, plain values in, entries out.

Values arrive as the user typed them; every one is validated before anything is written.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from readlog.errors import BookFileError, InvalidValue, ReadlogError
from readlog.journal import Entry, Journal, same_book
from readlog.model import (
    NAME_MAX,
    PAGES,
    YEARS,
    Book,
    PartialDate,
    Pick,
    Quote,
    Read,
    Reflection,
    Review,
    parse_date,
    parse_int,
    parse_isbn,
    parse_names,
    parse_rating,
    parse_status,
    parse_text,
    sort_key,
)
from readlog.text import normalize, one_line

if TYPE_CHECKING:
    from readlog.index import BookFilter, Hit, Index
    from readlog.queue import Queue
    from readlog.stats import Stats


@dataclass
class AddResult:
    entry: Entry
    created: bool  # False: an existing book got another reading (--reread)


def add_book(
    journal: Journal,
    title: str,
    authors: Sequence[str],
    *,
    status: str | None = None,
    rating: str | None = None,
    tags: Sequence[str] = (),
    started: str | None = None,
    finished: str | None = None,
    year: int | None = None,
    isbn: str | None = None,
    pages: int | None = None,
    headline: str | None = None,
    review: str | None = None,
    reread: bool = False,
    today: date | None = None,
) -> AddResult:
    today = today or date.today()
    title = parse_text(title, "title", required=True, max_length=NAME_MAX).strip()
    names = [a.strip() for a in parse_names(list(authors), "--author")]
    read = _read(started, finished, rating if reread else None)
    book = Book(
        title=title,
        authors=names,
        status=parse_status(status, "--status") if status else "read",
        rating=parse_rating(rating, "--rating") if rating and not reread else None,
        tags=_tags(parse_names(list(tags), "--tag")),
        year=parse_int(year, "--year", YEARS) if year is not None else None,
        isbn=parse_isbn(isbn, "--isbn") if isbn else None,
        pages=parse_int(pages, "--pages", PAGES) if pages is not None else None,
        added=today,
        reads=[read] if read else [],
    )
    if headline or review:
        headline = parse_text(headline or "", "--headline", max_length=NAME_MAX).strip() or None
        book.review = Review(
            headline=headline, written=today, body=parse_text(review or "", "review") or None
        )
    if reread:
        existing = journal.find_same(title, names)
        if existing is not None:
            if book.review is not None:
                raise InvalidValue("--reread logs another reading; add thoughts on it with `readlog reflect`")
            return AddResult(journal.modify(existing.slug, lambda b: _log_reread(b, read, status)), False)
    return AddResult(journal.create(book), True)


def _read(started: str | None, finished: str | None, rating: str | None) -> Read | None:
    if not (started or finished or rating):
        return None
    read = Read(
        started=parse_date(started, "--started", partial=True) if started else None,
        finished=parse_date(finished, "--finished", partial=True) if finished else None,
        rating=parse_rating(rating, "--rating") if rating else None,
    )
    if read.started and read.finished and _after(read.started, read.finished):
        raise InvalidValue(
            f"--started {sort_key(read.started)} is after --finished {sort_key(read.finished)}"
        )
    return read


def _after(first: PartialDate, second: PartialDate) -> bool:
    a, b = sort_key(first), sort_key(second)
    n = min(len(a), len(b))
    return a[:n] > b[:n]


def _log_reread(book: Book, read: Read | None, status: str | None) -> None:
    book.reads.append(read or Read())
    if status:
        book.status = parse_status(status, "--status")
    elif read and read.finished:
        book.status = "read"
    elif read and read.started:
        book.status = "reading"


def _tags(tags: Sequence[str]) -> list[str]:
    out: list[str] = []
    for tag in tags:
        for part in tag.split(","):
            if part.strip() and part.strip() not in out:
                out.append(part.strip())
    return out


def add_reflection(journal: Journal, slug: str, text: str, when: str | None = None) -> Entry:
    text = parse_text(text, "reflection", required=True)
    day = parse_date(when, "--date") if when else date.today()
    assert isinstance(day, date)
    return journal.modify(slug, lambda book: book.reflections.append(Reflection(text=text, date=day)))


def add_quote(
    journal: Journal,
    slug: str,
    text: str,
    page: int | None = None,
    location: str | None = None,
    note: str | None = None,
) -> Entry:
    if page is not None and location:
        raise InvalidValue("give --page or --location, not both")
    quote = Quote(
        text=parse_text(text, "quote", required=True),
        page=parse_int(page, "--page", PAGES) if page is not None else None,
        location=parse_text(location, "--location", max_length=NAME_MAX).strip() or None
        if location
        else None,
        note=parse_text(note, "--note") if note and note.strip() else None,
    )
    return journal.modify(slug, lambda book: book.quotes.append(quote))


def add_pick(
    journal: Journal, title: str, authors: Sequence[str], source: str | None = None, why: str | None = None
) -> Entry:
    """With a source book: a pick in its [[next]]. Without: a book of its own with status `want`."""
    title = parse_text(title, "title", required=True, max_length=NAME_MAX).strip()
    names = [a.strip() for a in parse_names(list(authors), "--author")]
    why = parse_text(why, "--why") if why and why.strip() else None
    if source is None:
        return journal.create(Book(title=title, authors=names, status="want", why=why, added=date.today()))

    def append(book: Book) -> None:
        for pick in book.next:
            if same_book(pick.title, pick.authors, title, names):
                raise ReadlogError(f"{one_line(title)!r} is already a pick of {one_line(book.title)!r}")
        book.next.append(Pick(title=title, authors=names, why=why, added=date.today()))

    return journal.modify(source, append)


def drop_pick(journal: Journal, title: str, source: str | None = None) -> Entry:
    """Remove the pick named `title` from `source`, or from the one book that has it."""
    wanted = normalize(title)

    def matches(pick: Pick) -> bool:
        return normalize(pick.title) == wanted

    if source is None:
        holders = [e for e in journal.scan().entries if any(matches(p) for p in e.book.next)]
        if not holders:
            raise ReadlogError(f"no book has a pick called {one_line(title)!r}; `readlog next` lists them")
        if len(holders) > 1:
            names = ", ".join(e.slug for e in holders)
            raise ReadlogError(
                f"{one_line(title)!r} is a pick of several books ({names}); say which with --from"
            )
        source = holders[0].slug

    def remove(book: Book) -> None:
        kept = [p for p in book.next if not matches(p)]
        if len(kept) == len(book.next):
            raise ReadlogError(f"{one_line(book.title)!r} has no pick called {one_line(title)!r}")
        book.next = kept

    return journal.modify(source, remove)


def book_filter(
    status: Sequence[str],
    tag: str | None,
    author: str | None,
    rating: str | None,
    year: int | None,
    date_from: str | None,
    date_to: str | None,
) -> BookFilter:
    """`readlog list`'s options, validated, as a filter for the index."""
    from readlog.index import BookFilter

    statuses = [
        parse_status(s.strip(), "--status") for value in status for s in value.split(",") if s.strip()
    ]
    return BookFilter(
        status=statuses or None,
        tag=tag.strip() if tag and tag.strip() else None,
        author=author if author and author.strip() else None,
        rating=parse_rating_filter(rating) if rating else None,
        year=parse_int(year, "--year", YEARS) if year is not None else None,
        date_from=sort_key(parse_date(date_from, "--from", partial=True)) if date_from else None,
        date_to=_end_of(sort_key(parse_date(date_to, "--to", partial=True))) if date_to else None,
    )


def _end_of(day: str) -> str:
    """`--to 2024` or `--to 2024-05` include the whole year or month."""
    return day + "\uffff" if len(day) < 10 else day


def parse_rating_filter(text: str) -> tuple[str, float]:
    match = re.fullmatch(r"\s*(>=|<=|>|<|=|==)?\s*(\S+)\s*", text)
    if not match:
        raise InvalidValue(f"--rating: {text!r} is not a rating filter (e.g. '>=4', '<3', '4.5')")
    operator = {"==": "=", None: "="}.get(match[1], match[1])
    return operator, float(parse_rating(match[2], "--rating"))


SORT_KEYS = ("newest", "title", "author", "rating", "finished", "added")


def select_books(
    journal: Journal, where: BookFilter, sort: str, limit: int
) -> tuple[list[Entry], int, list[BookFileError]]:
    if sort not in SORT_KEYS:
        raise InvalidValue(f"--sort: {sort!r} is not a sort key: use one of {', '.join(SORT_KEYS)}")
    if limit < 0:
        raise InvalidValue(f"--limit: {limit} is negative (0 means no limit)")
    index = journal.index()
    report = index.sync()
    entries, total = index.select(where, sort, limit or None)
    return entries, total, report.problems


def list_item(entry: Entry) -> dict[str, object]:
    """One book as `list --json` gives it."""
    book = entry.book
    return {
        "slug": entry.slug,
        "title": book.title,
        "authors": book.authors,
        "status": book.status,
        "rating": book.rating,
        "finished": sort_key(book.last_finished) or None,
    }


def read_next(
    journal: Journal, include_read: bool = False, limit: int | None = None
) -> tuple[Queue, list[BookFileError]]:
    """The read-next queue, from the index: open picks under their source books, then wanted books."""
    from readlog.queue import Matcher, build_queue

    index = journal.index()
    report = index.sync()
    matcher = Matcher(index.pick_targets())
    queue = build_queue(index.sources(), index.wanted(), matcher, index.picked(), include_read, limit)
    return queue, report.problems


def pick_statuses(journal: Journal, book: Book) -> list[str]:
    """For each of `book`'s picks: read, reading, want (in the journal) or open."""
    from readlog.queue import Matcher

    index = journal.index()
    index.sync()
    matcher = Matcher([entry for pick in book.next for entry in index.same_title(pick.title)])
    return [matcher.status(pick.title, pick.authors) for pick in book.next]


SEARCH_PARTS = {
    "all": ("title", "review", "reflection", "quote", "pick"),
    "titles": ("title",),
    "review": ("review",),
    "reflections": ("reflection",),
    "quotes": ("quote",),
    "picks": ("pick",),
}


def search(journal: Journal, query: str, where: str = "all", limit: int = 20) -> tuple[list[Hit], Index]:
    """Ranked full-text search over the journal's titles, reviews, reflections, quotes and picks."""
    if where not in SEARCH_PARTS:
        raise InvalidValue(f"--in: {where!r} is not a part: use one of {', '.join(SEARCH_PARTS)}")
    if limit < 1:
        raise InvalidValue(f"--limit: {limit} is too small (at least 1)")
    if not query.strip():
        raise InvalidValue("search: give some words to look for")
    index = journal.index()
    index.sync()
    return index.search(query, SEARCH_PARTS[where], limit), index


def reindex(journal: Journal, progress: Callable[[int, int], None] | None = None) -> int:
    """Throw the index away and build it again from the files; returns how many files it read."""
    return journal.index().rebuild(progress).parsed


def reading_stats(journal: Journal, year: int | None = None) -> Stats:
    from readlog import stats

    if year is not None:
        parse_int(year, "--year", YEARS)
    index = journal.index()
    index.sync()
    return stats.compute(index.db, year, stats.read_goals(journal.root))


def set_goal(journal: Journal, books: int, year: int) -> None:
    from readlog import stats

    stats.set_goal(journal, books, year)


def export(
    journal: Journal, book: str | None, fmt: str, output: Path | None, force: bool
) -> tuple[list[Path], str | None, list[BookFileError]]:
    """Render an export; write it to `output` (atomically, never over a file unless `force`) or return it."""
    from readlog.exporters import REGISTRY
    from readlog.journal import atomic_write

    if fmt not in REGISTRY:
        raise InvalidValue(f"--format: {fmt!r} is not a format: use one of {', '.join(REGISTRY)}")
    exporter = REGISTRY[fmt]
    problems: list[BookFileError] = []
    if book is not None:
        entries = [journal.resolve(book, allow_newer=True)]
    else:
        entries = []
        for slug in journal.slugs():
            try:
                entries.append(journal.load(slug, allow_newer=True))
            except BookFileError as error:
                problems.append(error)
            except ReadlogError as error:
                problems.append(BookFileError(str(journal.books_dir / f"{slug}.toml"), str(error)))
    if fmt == "markdown" and book is None:
        if output is None:
            raise InvalidValue("a whole-journal markdown export is a folder of files: give --output FOLDER")
        from readlog.markdown import book_markdown

        output.mkdir(parents=True, exist_ok=True)
        targets = [(output / f"{e.slug}.{exporter.extension}", e) for e in entries]
        clashes = [str(p) for p, _ in targets if p.exists()]
        if clashes and not force:
            raise ReadlogError(
                f"{len(clashes)} files already in {output} (e.g. {clashes[0]}): use --force to overwrite"
            )
        for path, entry in targets:
            atomic_write(path, book_markdown(entry.book, with_front_matter=True), sync_dir=False)
        return [p for p, _ in targets], None, problems
    text = exporter.render(entries, book is not None)
    if output is None:
        return [], text, problems
    if output.exists() and not force:
        raise ReadlogError(f"{output} already exists: use --force to overwrite it")
    if output.is_dir():
        raise ReadlogError(f"{output} is a folder: give a file name")
    atomic_write(output, text)
    return [output], None, problems
