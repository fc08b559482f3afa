"""Open Library and series: lookup, enrich, series, and the look-up step of `add --lookup`. Thin: the work
is readlog.lookup's (its client owns timeouts, the cache and retries); here is what the user typed in."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from readlog.errors import ReadlogError
from readlog.journal import Journal
from readlog.text import one_line

if TYPE_CHECKING:
    from readlog.errors import BookFileError
    from readlog.lookup.fill import AddLookup, EnrichReport, LookupResult
    from readlog.lookup.openlibrary import Found
    from readlog.lookup.series import Series, Suggestion


def as_isbn(text: str) -> str | None:
    """`text` as an ISBN's digits when it is a valid ISBN (spaces and hyphens allowed), else None."""
    from readlog.model import is_valid_isbn

    digits = "".join(text.split()).replace("-", "").upper()
    return digits if is_valid_isbn(digits) else None


@dataclass
class Looked:
    result: LookupResult
    covers_url: str  # where the covers are (the client's; a test's local server)
    unreached: str | None = None  # why Open Library was not asked afresh: an answer kept from before stood in


def lookup(
    query: str, author: str | None = None, refresh: bool = False, waiting: Callable[[str], None] | None = None
) -> Looked:
    """What Open Library knows about an ISBN or a title: a clear match, or the candidates."""
    from readlog.lookup import client as web
    from readlog.lookup import fill

    isbn = as_isbn(query)
    session = web.from_environment(refresh, waiting)
    result = fill.fill_book(session, title=None if isbn else query, isbn=isbn, author=author)
    if result.match is None and not result.candidates:
        raise ReadlogError(f"Open Library knows no book {one_line(query)!r}")
    return Looked(result, session.covers_url, session.unreached)


def enrich(
    journal: Journal,
    books: list[str] | None,
    missing: str | None,
    dry_run: bool = False,
    refresh: bool = False,
    progress: Callable[[int, int, str], None] | None = None,
    waiting: Callable[[str], None] | None = None,
) -> EnrichReport:
    """Fill the `missing` fields (default pages, year, isbn, cover) of `books` (default: every book) from
    Open Library, never over what the reader wrote."""
    from readlog.lookup import client as web
    from readlog.lookup import fill

    fields = fill.parse_missing(missing)
    slugs = [journal.resolve(book).slug for book in books] if books else None
    session = web.from_environment(refresh, waiting)
    return fill.enrich(journal, session, slugs, fields, dry_run=dry_run, refresh=refresh, progress=progress)


@dataclass
class SeriesFound:
    series: list[Series]
    upcoming: dict[str, Suggestion] = field(default_factory=dict)  # series name: the book that comes next
    problems: list[BookFileError] = field(default_factory=list)


def series(journal: Journal, name: str | None = None) -> SeriesFound:
    """The journal's series in order (those matching `name`, if given: none may) and what comes next."""
    from readlog.lookup import series as books_in_series

    found, problems = books_in_series.journal_books(journal)
    everything = books_in_series.collect(found)
    chosen = books_in_series.find(everything, name) if name is not None else everything
    upcoming = {s.name: n for s in chosen if (n := books_in_series.next_of(s)) is not None}
    return SeriesFound(chosen, upcoming, problems)


@dataclass
class ForAdd:
    found: AddLookup | None  # the match to fill from; None: `add` goes on with what was typed
    why: str = ""  # why there is none


def lookup_for_add(
    title: str | None,
    isbn: str | None,
    authors: list[str],
    interactive: bool,
    confirm: Callable[[Found], bool],
    pick: Callable[[list[Found]], Found | None],
    waiting: Callable[[str], None] | None = None,
) -> ForAdd:
    """The match `add --lookup` fills from: confirmed by the reader on a terminal (`confirm`, `pick`),
    only a clear one in a script. Offline, blocked or no match: none, and why."""
    from readlog.lookup import client as web
    from readlog.lookup import fill
    from readlog.lookup.client import BadAnswer, LookupFailed

    session = web.from_environment(waiting=waiting)
    try:
        result = fill.fill_book(session, title=title, isbn=isbn, author=authors[0] if authors else None)
        found = fill.confirm_match(result, interactive=interactive, confirm=confirm, pick=pick)
        if found is not None and result.match is None:
            found = fill.complete(session, found)
    except (LookupFailed, BadAnswer) as error:
        return ForAdd(None, f"no look-up ({one_line(str(error))})")
    if found is None:
        return ForAdd(None, "several books match" if result.ambiguous else "Open Library knows no such book")
    return ForAdd(fill.AddLookup(found, session))


def describe(found: Found) -> str:
    """A match in one line: title, authors, year."""
    from readlog.lookup.openlibrary import describe as line

    return line(found)
