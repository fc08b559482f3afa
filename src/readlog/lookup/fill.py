"""Filling books from Open Library: `lookup`, `add --lookup` and `enrich`.

One rule everywhere: a field the reader (or an import) filled is never changed. What Open Library filled is
recorded in the book's `[source.openlibrary]` table (work and edition keys, the date, the fields it
filled), so it can be told apart from what the reader wrote and refreshed later.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from readlog.errors import BookFileError, InvalidValue, Option, ReadlogError
from readlog.lookup import openlibrary
from readlog.lookup.client import BadAnswer, LookupFailed
from readlog.lookup.covers import COVER_KEY
from readlog.lookup.openlibrary import Found
from readlog.model import LOOKUP_DAY, LOOKUP_SOURCE, parse_isbn

if TYPE_CHECKING:
    from readlog.journal import Journal
    from readlog.lookup.client import Client
    from readlog.lookup.covers import Cover
    from readlog.model import Book

SOURCE = LOOKUP_SOURCE  # the book file's [source.openlibrary] table
# What `enrich --missing` can fill, and what it fills when not told.
ENRICH_FIELDS = ("pages", "year", "isbn", "cover", "series", "authors")
DEFAULT_MISSING = ("pages", "year", "isbn", "cover")


@dataclass
class LookupResult:
    """A look-up's outcome: the clear match (or None), and the candidates to offer a reader."""

    query: str
    match: Found | None
    candidates: list[Found] = field(default_factory=list)

    @property
    def ambiguous(self) -> bool:
        return self.match is None and bool(self.candidates)


def fill_book(
    client: Client, *, title: str | None = None, isbn: str | None = None, author: str | None = None
) -> LookupResult:
    """What Open Library knows for a book being added or looked up: by ISBN when given, else by title
    (and author). Only a clear match is `match`; a title search's match is completed from its edition."""
    if isbn:
        digits = parse_isbn(isbn, Option("--isbn"))
        found = openlibrary.by_isbn(client, digits)
        return LookupResult(digits, found, [found] if found else [])
    if not title or not title.strip():
        raise InvalidValue("give an ISBN or a title to look up")
    results = openlibrary.search(client, title.strip(), author.strip() if author else None)
    match, candidates = openlibrary.choose(results, title, author)
    if match is not None:
        openlibrary.edition_details(client, match)
    return LookupResult(title.strip(), match, candidates)


def complete(client: Client, found: Found) -> Found:
    """A candidate the reader picked, completed from its edition like a clear match."""
    openlibrary.edition_details(client, found)
    return found


def confirm_match(
    result: LookupResult,
    *,
    interactive: bool,
    confirm: Callable[[Found], bool],
    pick: Callable[[list[Found]], Found | None],
) -> Found | None:
    """The match to fill from. In a script only a clear match; on a terminal the reader confirms a clear
    match (title, author, year shown by `confirm`) or picks one of the candidates (`pick`; None: none)."""
    if not interactive:
        return result.match
    if result.match is not None:
        return result.match if confirm(result.match) else None
    if result.candidates:
        return pick(result.candidates)
    return None


def values_for(found: Found, fields: Iterable[str]) -> dict[str, Any]:
    """The values `found` has for `fields` (cover: its id), leaving out what it does not know."""
    known: dict[str, Any] = {
        "title": found.title,
        "authors": list(found.authors) or None,
        "year": found.year,
        "pages": found.pages,
        "isbn": found.isbn,
        "series": [dict(found.series)] if found.series else None,  # a book's series are a list
        "cover": found.cover_id,
    }
    return {name: known[name] for name in fields if known.get(name) is not None}


def empty_fields(book: Book, fields: Iterable[str], refresh: bool = False) -> list[str]:
    """Which of `fields` the book lacks. With `refresh`, fields Open Library filled before count too;
    never one the reader filled."""
    before = set(filled_before(book)) if refresh else set()
    out = []
    for name in fields:
        value = book.extra.get(COVER_KEY) if name == "cover" else getattr(book, name)
        if value is None or value == [] or name in before:
            out.append(name)
    return out


def filled_before(book: Book) -> list[str]:
    table = _source(book)
    filled = table.get("filled") if table else None
    return [f for f in filled if isinstance(f, str)] if isinstance(filled, list) else []


def _source(book: Book) -> dict[str, Any] | None:
    sources = book.extra.get("source")
    table = sources.get(SOURCE) if isinstance(sources, dict) else None
    return table if isinstance(table, dict) else None


def apply(
    book: Book,
    found: Found,
    values: dict[str, Any],
    *,
    cover_path: str | None = None,
    refresh: bool = False,
    today: date | None = None,
) -> list[str]:
    """Put `values` into the empty fields of `book` (checked again here: the file may have changed since
    the look-up) and record the look-up in `[source.openlibrary]`. Returns the fields filled."""
    check_source(book)
    allowed = set(empty_fields(book, [*values, "cover"], refresh))
    filled: list[str] = []
    for name, value in values.items():
        if name == "cover" or name not in allowed or name == "title":
            continue
        setattr(book, name, value)
        filled.append(name)
    if cover_path is not None and "cover" in allowed:
        book.extra[COVER_KEY] = cover_path
        filled.append("cover")
    if filled:
        record(book, found, filled, today)
    return filled


def check_source(book: Book) -> None:
    """A `source` (or `source.openlibrary`) the reader made something other than a table is theirs: a
    book with one is not filled rather than have it replaced."""
    sources = book.extra.get("source")
    mine = sources.get(SOURCE) if isinstance(sources, dict) else None
    if (sources is not None and not isinstance(sources, dict)) or (
        mine is not None and not isinstance(mine, dict)
    ):
        raise InvalidValue("`source` in this book is not a table of sources; nothing was filled")


def record(book: Book, found: Found, filled: Sequence[str], today: date | None = None) -> None:
    """Note in `[source.openlibrary]` where the values came from and which fields they are."""
    sources = book.extra.get("source")
    if not isinstance(sources, dict):
        sources = {}
    before = filled_before(book)
    table: dict[str, Any] = dict(_source(book) or {})
    if found.work:
        table["work"] = found.work
    if found.edition:
        table["edition"] = found.edition
    table[LOOKUP_DAY] = today or date.today()
    table["filled"] = [*before, *(f for f in filled if f not in before)]
    book.extra["source"] = {**sources, SOURCE: table}


def fetch_cover(client: Client, found: Found) -> Cover | None:
    from readlog.lookup import covers

    return covers.fetch(client, found.cover_id) if found.cover_id else None


def save_fill(
    journal: Journal,
    slug: str,
    found: Found,
    values: dict[str, Any],
    cover: Cover | None = None,
    refresh: bool = False,
    typed: Sequence[str] = (),
) -> list[str]:
    """Write a fill to a book under the journal lock: the cover file, then the book's fields and source.
    `typed`: fields already filled from `found` (by `add`), recorded as Open Library's too."""
    from readlog.lookup import covers

    filled: list[str] = []

    def change(book: Book) -> None:
        check_source(book)
        path = None
        if cover is not None and "cover" in empty_fields(book, ["cover"], refresh):
            path = covers.save(journal, slug, cover)
        if typed:
            record(book, found, typed)
        filled[:] = [*typed, *apply(book, found, values, cover_path=path, refresh=refresh)]

    journal.modify(slug, change)
    return filled


@dataclass
class AddLookup:
    """`add --lookup`'s match: `merge` fills what the reader did not type, `after_add` gives the new book
    its series, cover and `[source.openlibrary]`."""

    found: Found
    client: Client
    used: list[str] = field(default_factory=list)  # fields `merge` took from the look-up
    notes: list[str] = field(default_factory=list)  # what `after_add` could not do (a cover refused)
    cover: Cover | None = None  # fetched by `fetch_cover`, before anything is written

    def fetch_cover(self) -> None:
        """The cover, asked once the book is sure to be created and before it is (`add_book`'s
        `before_create`): every network wait comes before the first write, so a look-up stopped (Ctrl-C, a
        hung cover server) leaves no half-filled book behind, and a refused add asks for no cover. Offline
        by now, or a bad cover: the book is added without one; `readlog enrich --missing cover` fetches it
        later."""
        if self.cover is not None or self.notes:
            return  # (asked already: the add asked again after a question)
        try:
            self.cover = fetch_cover(self.client, self.found)
        except LookupFailed:
            pass  # (offline by now: the book is added; `enrich --missing cover` fetches it later)
        except BadAnswer as error:  # a page where the cover should be: said, never dropped in silence
            self.notes.append(f"no cover: {error}")

    def merge(
        self,
        title: str | None,
        authors: list[str],
        year: int | None,
        pages: int | None,
        isbn: str | None,
    ) -> tuple[str | None, list[str], int | None, int | None, str | None]:
        """(title, authors, year, pages, isbn): what the reader typed, else what Open Library knows."""
        found = self.found
        self.used = [
            name
            for name, typed, known in (
                ("title", title, found.title),
                ("authors", authors, found.authors),
                ("year", year, found.year),
                ("pages", pages, found.pages),
                ("isbn", isbn, found.isbn),
            )
            if (typed is None or typed == []) and known not in (None, [])
        ]
        return (
            title or found.title,
            list(authors) or list(found.authors),
            year if year is not None else found.year,
            pages if pages is not None else found.pages,
            isbn or found.isbn,
        )

    def after_add(self, journal: Journal, slug: str) -> list[str]:
        """After the book is created: its series and cover (fetched before it was), and the source table
        naming every field the look-up filled. No network here."""
        values = values_for(self.found, ["series"])
        return save_fill(journal, slug, self.found, values, self.cover, typed=self.used)


# --- enrich ----------------------------------------------------------------------------------------
@dataclass
class Enriched:
    slug: str
    title: str
    outcome: str  # filled | would-fill | complete | not-found | ambiguous | failed
    fields: dict[str, Any] = field(default_factory=dict)  # what was (or would be) filled
    note: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "slug": self.slug,
            "title": self.title,
            "outcome": self.outcome,
            "fields": self.fields,
            "note": self.note,
        }


@dataclass
class EnrichReport:
    items: list[Enriched] = field(default_factory=list)
    problems: list[BookFileError] = field(default_factory=list)
    stopped: str | None = None  # why the run stopped early (offline, blocked): run it again to go on

    def count(self, outcome: str) -> int:
        return sum(1 for item in self.items if item.outcome == outcome)

    def filled_fields(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for item in self.items:
            if item.outcome in ("filled", "would-fill"):
                for name in item.fields:
                    counts[name] = counts.get(name, 0) + 1
        return counts


def parse_missing(text: str | None) -> list[str]:
    if not text:
        return list(DEFAULT_MISSING)
    names = [part.strip().lower() for part in text.split(",") if part.strip()]
    unknown = [n for n in names if n not in ENRICH_FIELDS]
    if unknown or not names:
        raise InvalidValue(
            f"--missing: {', '.join(unknown) or repr(text)} is not a field: use {','.join(ENRICH_FIELDS)}"
        )
    return list(dict.fromkeys(names))


def enrich(
    journal: Journal,
    client: Client,
    slugs: Sequence[str] | None,
    missing: Sequence[str],
    *,
    dry_run: bool = False,
    refresh: bool = False,
    progress: Callable[[int, int, str], None] | None = None,
) -> EnrichReport:
    """Fill the gaps of `slugs` (every book when None) from Open Library, one book at a time, each written
    as soon as it is looked up: a run that stops (offline, killed) is continued by running it again,
    and what was already fetched is answered from the cache."""
    report = EnrichReport()
    names = list(slugs) if slugs is not None else journal.slugs()
    for number, slug in enumerate(names, 1):
        if progress is not None:
            progress(number, len(names), slug)
        try:
            entry = journal.load(slug)
        except BookFileError as error:
            report.problems.append(error)
            continue
        book = entry.book
        wanted = empty_fields(book, missing, refresh)
        if not wanted:
            report.items.append(Enriched(slug, book.title, "complete"))
            continue
        client.new_look_up()  # (a minute of waits for each book's asks, not for the whole command)
        try:
            item = _enrich_one(journal, client, slug, book, wanted, dry_run, refresh)
        except LookupFailed as error:
            report.stopped = str(error)
            break
        except (BadAnswer, InvalidValue) as error:
            item = Enriched(slug, book.title, "failed", note=str(error))
        except ReadlogError as error:  # the file changed under us, or became unreadable: skip it
            item = Enriched(slug, book.title, "failed", note=str(error))
        report.items.append(item)
    return report


def _enrich_one(
    journal: Journal, client: Client, slug: str, book: Book, wanted: list[str], dry_run: bool, refresh: bool
) -> Enriched:
    if book.isbn:
        found = openlibrary.by_isbn(client, book.isbn)
        candidates = [found] if found else []
    else:
        result = fill_book(client, title=book.title, author=book.authors[0] if book.authors else None)
        found, candidates = result.match, result.candidates
    if found is None:
        outcome = "ambiguous" if candidates else "not-found"
        note = "; ".join(openlibrary.describe(c) for c in candidates[:3]) or None
        return Enriched(slug, book.title, outcome, note=note)
    values = values_for(found, [w for w in wanted if w != "title"])
    if not values:
        return Enriched(slug, book.title, "not-found", note="Open Library does not know these fields")
    if dry_run:
        return Enriched(slug, book.title, "would-fill", _shown(values))
    cover = None
    note = None
    if "cover" in values:
        try:
            cover = fetch_cover(client, found)
        except BadAnswer as error:
            note = f"no cover: {error}"
            values.pop("cover")
            if not values:
                return Enriched(slug, book.title, "failed", note=note)
    filled = save_fill(journal, slug, found, values, cover, refresh)
    shown = {name: _shown(values).get(name) for name in filled}
    return Enriched(slug, book.title, "filled" if filled else "complete", shown, note=note)


def _shown(values: dict[str, Any]) -> dict[str, Any]:
    """Values as a summary shows them (a cover as its id)."""
    return dict(values)
