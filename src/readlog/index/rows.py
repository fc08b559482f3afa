"""One book's rows for every table, and books read back from rows: the only code that knows how a
`Book` is laid out in the index."""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from readlog import fields
from readlog.identity import (
    aliases_of,
    book_keys,
    lookup_keys,
    merged_row_keys,
    own_row_keys,
    pick_keys,
    pick_places,
    pick_title_key,
    pick_work_key,
    stored_name,
    stored_title,
)
from readlog.lazyclass import dataclass_when_used
from readlog.model import Book, BookSummary, Pick, Progress, Read, Summary, plain_json_strings, sort_key
from readlog.text import normalize, search_indexed

if TYPE_CHECKING:
    from readlog.fields import Field

UNIT = "\x1f"  # between names in one column
_NONE: frozenset[str] = frozenset()
_UNSPACED_CHARS = (
    "[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff"
    "\uac00-\ud7af\uf900-\ufaff\U00020000-\U0003134f]"
)


def unspaced(text: str) -> bool:
    """Whether `text` has characters of a script written without spaces. ASCII text is answered without
    the pattern, which is compiled on first need (its ranges cost 3 ms to compile: more than a write)."""
    return not text.isascii() and _pattern_of(_UNSPACED_CHARS).search(text) is not None


@functools.cache
def _pattern_of(source: str) -> re.Pattern[str]:
    return re.compile(source)


def _author_key(authors: str) -> str | None:
    """The first author's library filing name, from the JSON list in `books.authors`."""
    from readlog.text import sort_name

    names = json.loads(authors)
    return sort_name(names[0]) if names else None


# `json.dumps` with any argument but the value makes a new encoder each call; these are made once (the
# same output: json.dumps(value) and json.dumps(value, ensure_ascii=False)).
_ascii_json = json.JSONEncoder().encode
_unicode_json = json.JSONEncoder(ensure_ascii=False).encode


def _names_json(names: list[str]) -> str:
    """json.dumps(names): without the encoder for plain ASCII names (see model.plain_json_strings)."""
    plain = plain_json_strings(names, True)
    return _ascii_json(names) if plain is None else plain


_TRAITS_TEXT: dict[tuple[tuple[str, str, str], ...], str] = {}  # (see _traits_json)
_TRAITS_OF_CELLS: dict[tuple[str, str | None, str | None], str | None] = {}  # (see _traits_json)
_TRAITS_KEPT = 4096
_UNKNOWN: Any = object()  # (no text kept yet: see _traits_json)
# traits.book_traits and traits_cells, and packed.pack, imported on first use and kept: an import statement
# in a function costs 0.4-0.7 us each time it runs, and these run once a book.
_book_traits: Callable[[Book], dict[str, Any] | None] | None = None
_traits_cells: Callable[[Book], tuple[str, str | None, str | None] | None] | None = None
_pack: Callable[[Any], bytes] | None = None


def _traits_json(book: Book) -> str | None:
    """The book's traits as JSON. Books of one export share a few (a format, an average rating): the text
    is remembered for traits of strings and numbers alone, by each value's type and repr (which is what
    JSON writes of a number: 4 and 4.0, 0.0 and -0.0 are apart). A book an import made is known by what
    book_traits would read of it (traits.traits_cells: a binding, an average rating, as the export wrote
    them): its text is kept for those, not worked out again for each row that repeats them."""
    global _book_traits, _traits_cells
    if _book_traits is None or _traits_cells is None:
        from readlog.traits import book_traits, traits_cells

        _book_traits, _traits_cells = book_traits, traits_cells
    cells = _traits_cells(book)
    if cells is not None:
        known = _TRAITS_OF_CELLS.get(cells, _UNKNOWN)
        if known is not _UNKNOWN:
            return known
        text = _traits_text(_book_traits(book))
        if len(_TRAITS_OF_CELLS) < _TRAITS_KEPT:
            _TRAITS_OF_CELLS[cells] = text
        return text
    return _traits_text(_book_traits(book))


def _traits_text(traits: dict[str, Any] | None) -> str | None:
    """`traits` as JSON (None for none), the text remembered by each value's type and repr."""
    if not traits:
        return None
    key = []
    for name, value in traits.items():
        kind = type(value)
        if kind is not str and kind is not float and kind is not int:
            return _unicode_json(traits)  # (a list of moods)
        key.append((name, kind.__name__, value if kind is str else repr(value)))
    found = _TRAITS_TEXT.get(remembered := tuple(key))
    if found is None:
        found = _unicode_json(traits)
        if len(_TRAITS_TEXT) < _TRAITS_KEPT:
            _TRAITS_TEXT[remembered] = found
    return found


def _reads_json(reads: list[Read]) -> str:
    """`json.dumps([_read_json(r) for r in reads])`: a reading of whole dates (or none), a whole rating (or
    none), no format and no progress (an export's readings, as a rule) written without the dict and the
    encoder, the very same text."""
    written = []
    for read in reads:
        started, finished, stopped, rating = read.started, read.finished, read.stopped, read.rating
        if (
            read.progress
            or read.format is not None
            or (started is not None and type(started) is not date)
            or (finished is not None and type(finished) is not date)
            or (stopped is not None and type(stopped) is not date)
            or (rating is not None and type(rating) is not int)
        ):
            return _ascii_json([_read_json(r) for r in reads])
        written.append(
            '{"started": ' + (f'"{started.isoformat()}"' if started is not None else "null")
            + ', "finished": ' + (f'"{finished.isoformat()}"' if finished is not None else "null")
            + ', "rating": ' + (int.__repr__(rating) if rating is not None else "null")
            + ', "format": null'
            + ', "stopped": ' + (f'"{stopped.isoformat()}"' if stopped is not None else "null")
            + ', "at": null}'
        )  # fmt: skip
    return "[" + ", ".join(written) + "]"


def _read_json(read: Read) -> dict[str, Any]:
    """A reading as the index keeps it: its dates, rating, format and its latest progress only (the
    latest by date, as `show` has it: reading.latest)."""
    if read.progress:
        from readlog.reading import latest

        last = latest(read)
    else:
        last = None  # (what `latest` gives: no progress, no position)
    return {
        "started": sort_key(read.started) or None,
        "finished": sort_key(read.finished) or None,
        "rating": read.rating,
        "format": read.format,
        "stopped": sort_key(read.stopped) or None,
        "at": {k: v for k, v in last.__dict__.items() if k not in ("note", "date", "extra") and v is not None}
        | ({"date": last.date.isoformat()} if last.date else {})
        if last
        else None,
    }


def _read_from_json(data: dict[str, Any]) -> Read:
    at = data.get("at")
    progress = []
    if at:
        day = date.fromisoformat(at["date"]) if at.get("date") else None
        progress = [Progress(day, at.get("page"), at.get("percent"), at.get("minutes"))]
    # by name, never by position: a field added to Read (pauses) must not shift the others
    return Read(
        started=_partial(data["started"]),
        finished=_partial(data["finished"]),
        rating=data["rating"],
        format=data.get("format"),
        stopped=_partial(data.get("stopped")),
        progress=progress,
    )


def _pick_json(pick: Pick) -> dict[str, Any]:
    return {
        "title": pick.title,
        "authors": pick.authors,
        "why": pick.why,
        "added": sort_key(pick.added) or None,
    }


def _partial(value: str | None) -> date | str | None:
    if value is None or len(value) < 10:
        return value
    return date.fromisoformat(value)


class Listed:
    """One book as `list` gives it to scripts (tsv, csv, JSON): its slug, the values of the fields marked
    `listed` by name (loaded exactly as a BookSummary holds them) and the day it was last finished ("" for
    none). Read from those columns alone: a listing of 100,000 books builds no BookSummary and no path."""

    __slots__ = ("slug", "values", "finished")

    def __init__(self, slug: str, values: dict[str, Any], finished: str):
        self.slug = slug
        self.values = values
        self.finished = finished


class SourceBook:
    """What the queue shows of a book its picks come from: its title, status, the day it was last finished
    (as the index keeps it: None when never) and its picks. Read from those columns alone."""

    __slots__ = ("title", "status", "last_finished", "next")

    def __init__(self, title: str, status: str | None, last_finished: str | None, picks: list[Pick]):
        self.title = title
        self.status = status
        self.last_finished = last_finished
        self.next = picks


class PickSource:
    """A book with read-next picks, as the queue lists them under it: its slug and a `SourceBook`."""

    __slots__ = ("slug", "book")

    def __init__(self, slug: str, book: SourceBook):
        self.slug = slug
        self.book = book


SOURCE_COLUMNS = "slug, title, status, last_finished, picks"


def pick_sources(rows: list[tuple[Any, ...]]) -> list[PickSource]:
    """`PickSource`s from rows of SOURCE_COLUMNS. Their picks' JSON is decoded in one call (each is a
    JSON list: together, a list of them): a quarter less time than one call each."""
    picks = json.loads("[" + ",".join([row[4] for row in rows]) + "]")
    return [
        PickSource(row[0], SourceBook(row[1], row[2], row[3], _picks_of(data)))
        for row, data in zip(rows, picks, strict=True)
    ]


def _picks_from_json(text: str) -> list[Pick]:
    return _picks_of(json.loads(text))


def _picks_of(data: list[dict[str, Any]]) -> list[Pick]:
    return [
        Pick(p["title"], p["authors"], p["why"], date.fromisoformat(p["added"]) if p["added"] else None)
        for p in data
    ]


class WantedBook:
    """A wanted book as the queue lists it: its slug, title, authors, why, day added and priority (loaded
    as a BookSummary holds them). Read from those columns alone."""

    __slots__ = ("slug", "title", "authors", "why", "added", "priority")

    def __init__(self, slug: str, *values: Any):
        self.slug = slug
        self.title, self.authors, self.why, self.added, self.priority = values


WANTED_FIELDS = ("title", "authors", "why", "added", "priority")
WANTED_COLUMNS = "slug, " + ", ".join(WANTED_FIELDS)


def wanted_books(rows: Iterable[tuple[Any, ...]]) -> Iterator[WantedBook]:
    """`WantedBook`s from rows of WANTED_COLUMNS."""
    loads = [fields.FIELDS[name].kind.load for name in WANTED_FIELDS]
    for slug, *values in rows:
        yield WantedBook(slug, *[load(value) for load, value in zip(loads, values, strict=True)])


class SeriesMember:
    """A book that names a series, as `readlog series` and next-in-series read it: its slug, title,
    authors, status and series entries (loaded as a BookSummary holds them). Read from those columns
    alone, its authors loaded when asked (next-in-series names two books a series): a journal whose every
    book is in a series builds no BookSummary for them."""

    __slots__ = ("slug", "title", "_authors", "status", "series")

    def __init__(self, slug: str, title: str, authors: str, status: str | None, series: list[dict[str, str]]):
        self.slug, self.title, self._authors, self.status, self.series = slug, title, authors, status, series

    @property
    def authors(self) -> list[str]:
        loaded = fields.FIELDS["authors"].kind.load(self._authors)
        return list(loaded)


SERIES_COLUMNS = "slug, title, authors, status, series"


def series_members(rows: Iterable[tuple[Any, ...]]) -> list[SeriesMember]:
    """`SeriesMember`s from rows of SERIES_COLUMNS."""
    title, status, series = (fields.FIELDS[name].kind.load for name in ("title", "status", "series"))
    return [SeriesMember(slug, title(t), a, status(s), series(r)) for slug, t, a, s, r in rows]


def listed_columns() -> tuple[str, tuple[str, ...], list[tuple[str, Callable[[Any], Any]]]]:
    """The columns a `Listed` is read from (slug, the listed fields', last_finished); the listed fields'
    names, in fields.FIELDS order; and those of them whose stored value is loaded (the others, such as
    the title, are read as stored), with their loaders."""
    listed = [(name, field.kind.load) for name, field in fields.FIELDS.items() if field.listed]
    names = tuple(name for name, _ in listed)
    columns = ", ".join(["slug", *(f'"{name}"' for name in names), "last_finished"])
    return columns, names, [(name, load) for name, load in listed if load is not fields.same]


def listed_rows(
    rows: Iterable[tuple[Any, ...]], names: tuple[str, ...], loaded: list[tuple[str, Callable[[Any], Any]]]
) -> Iterator[Listed]:
    """`Listed` books from rows of the columns `listed_columns` names."""
    last = len(names) + 1
    for row in rows:
        values = dict(zip(names, row[1:last]))  # noqa: B905 (the columns are the names, one each)
        for name, load in loaded:
            values[name] = load(values[name])
        yield Listed(row[0], values, row[last] or "")


def _summary(row: tuple[Any, ...], books_dir: Path) -> Summary:
    layout = _layout()
    return Summary(row[0], _book(row, layout), books_dir / f"{row[0]}.toml", bool(row[layout.read_only]))


@dataclass_when_used(frozen=True)
class _Layout:
    """Where each value sits in a row of the books table: the fields from column 1, in fields.FIELDS
    order (declared ones by keyword, the others set after), then the columns of schema.BOOK_TAIL."""

    declared: tuple[tuple[int, str, Callable[[Any], Any]], ...]
    others: tuple[tuple[int, Field, Callable[[Any], Any]], ...]
    reads: int
    picks: int
    read_only: int
    positional: bool  # the declared fields are BookSummary's first parameters, in order (a faster call)


_layouts: dict[int, _Layout] = {}


def _layout() -> _Layout:
    layout = _layouts.get(fields.generation)
    if layout is None:
        declared, others = [], []
        for at, field in enumerate(fields.FIELDS.values(), 1):
            if field.name in BookSummary.__dataclass_fields__:
                declared.append((at, field.name, field.kind.load))
            else:
                others.append((at, field, field.kind.load))
        from readlog.index.schema import BOOK_TAIL

        tail = [part.split()[0] for part in BOOK_TAIL.split(",")]
        at_tail = {name: 1 + len(fields.FIELDS) + number for number, name in enumerate(tail)}
        order = [name for _, name, _ in declared]
        positional = order == list(BookSummary.__dataclass_fields__)[: len(order)]
        layout = _layouts[fields.generation] = _Layout(
            tuple(declared),
            tuple(others),
            at_tail["reads"],
            at_tail["picks"],
            at_tail["read_only"],
            positional,
        )
    return layout


def _book(row: tuple[Any, ...], layout: _Layout) -> BookSummary:
    if layout.positional:
        book = BookSummary(*[load(row[at]) for at, _, load in layout.declared])
    else:
        book = BookSummary(**{name: load(row[at]) for at, name, load in layout.declared})
    if layout.others:
        for at, field, load in layout.others:
            fields.put(book, field, load(row[at]))
    book.reads = [_read_from_json(r) for r in json.loads(row[layout.reads])]
    book.next = _picks_from_json(row[layout.picks])
    return book


@dataclass_when_used
class Rows:
    """One book's rows for every table but `files` (the slug goes in front of each when written). Made from
    the book alone: in a cold build, by the worker process that parsed it, so the writer only writes."""

    book: tuple[Any, ...]
    reads: list[tuple[Any, ...]]
    names: list[tuple[Any, ...]]
    keys: list[tuple[str]]
    picks: list[tuple[str, str, str, str, str]]
    parts: list[tuple[str, str, str, bool]]  # part, label, body, and whether it has unspaced script
    moments: list[tuple[Any, ...]]


_stores: dict[int, tuple[tuple[str, Callable[[Any], Any] | None, Any], ...]] = {}


def _field_stores() -> tuple[tuple[str, Callable[[Any], Any] | None, Any], ...]:
    """Each field's name, how its column stores its value (None: as it is) and its empty value, in
    fields.FIELDS order: looked up once per table rather than per book."""
    stores = _stores.get(fields.generation)
    if stores is None:
        stores = _stores[fields.generation] = tuple(
            (name, None if field.kind.store is fields.same else field.kind.store, field.empty)
            for name, field in fields.FIELDS.items()
        )
    return stores


def book_rows(book: Book, read_only: bool, keys: list[str] | None = None) -> Rows:
    """The book's rows (`read_only`: its file cannot be written); `keys`: its identity.book_keys, when the
    caller has them already (an import's worker: the row's own)."""
    status, reads = book.status, book.reads
    # Each reading's row (its dates as sort_key writes them, None for none), and from them the last
    # finished date: Book.last_finished's (the latest by sort_key) without another pass over the readings.
    read_rows = [
        (status, sort_key(r.started) or None, sort_key(r.finished) or None, book.pages,
         sort_key(r.stopped) or None, int(r.started is not None or bool(r.progress)))
        for r in reads
    ]  # fmt: skip
    last_finished = max([row[2] for row in read_rows if row[2] is not None], default="")
    activity = max(last_finished, sort_key(book.added))
    return Rows(
        book=(  # the fields' columns, then schema.BOOK_TAIL's in its order
            *[getattr(book, name, empty) if store is None else store(getattr(book, name, empty))
              for name, store, empty in _field_stores()],
            stored_title(book.title), _names_json([stored_name(a) for a in book.authors]),
            _reads_json(book.reads) if book.reads else "[]",
            _unicode_json([_pick_json(p) for p in book.next]) if book.next else "[]",
            last_finished or None, activity, int(read_only), _traits_json(book),
        ),
        reads=read_rows,
        names=[(status, "author", a, stored_name(a)) for a in book.authors]
        + [(status, "tag", t, t.casefold()) for t in book.tags],
        keys=[
            (key,)
            for key in [
                *(keys or book_keys(book)),
                *merged_row_keys(book),
                *own_row_keys(book),
                *lookup_keys(book.title, aliases_of(book)),
                *pick_keys(book.title),
            ]
        ],
        picks=[
            (pick_title_key(p.title), UNIT.join(stored_name(a) for a in p.authors), activity,
             UNIT.join(sorted(pick_places(p.title))), pick_work_key(p.title))
            for p in book.next
        ],
        parts=[  # (most parts ASCII: kept as written, no script without spaces; no call made to know it)
            (part, label, body, False) if label.isascii() and body.isascii()
            else (part, label, search_indexed(label, body), unspaced(label) or unspaced(body))
            for part, label, body in _parts(book)
        ],
        moments=list(_moments(book)) if book.quotes or book.reflections else [],  # (most books: none)
    )  # fmt: skip


def pack_rows(rows: Rows) -> bytes:
    """A book's rows as bytes (`packed.pack_plain`), for the process that records them: their seven lists
    as one tuple of plain values, which marshal writes and reads in a third of the time pickle takes a
    `Rows` (no object state; a value of another type is pickled)."""
    global _pack
    if _pack is None:
        from readlog.packed import pack_plain

        _pack = pack_plain
    return _pack((rows.book, rows.reads, rows.names, rows.keys, rows.picks, rows.parts, rows.moments))


def unpack_rows(data: bytes) -> Rows:
    """The rows `pack_rows` packed (in this process, or a worker process of this import)."""
    from readlog.packed import unpack_plain

    return Rows(*unpack_plain(data))


def _rows(loaded: tuple[Book, bool] | Rows) -> Rows:
    return loaded if isinstance(loaded, Rows) else book_rows(*loaded)


def _parts(book: Book) -> Iterator[tuple[str, str, str]]:
    """(part, label, body) rows: what search looks through, and what a hit says it came from."""
    yield "title", book.title, " ".join([book.title, *book.authors, *book.tags])
    if book.review is not None and (book.review.headline or book.review.body):
        yield "review", book.review.headline or "", book.review.body or ""
    if book.extra.get("source"):  # another edition's or service's review, kept with it (as `show` shows it)
        from readlog.traits import edition_reviews

        for told, text in edition_reviews(book):
            yield "review", f"another edition: {told}", text
    for reflection in book.reflections:
        when = reflection.date.isoformat() if reflection.date else ""
        label = f"{reflection.title} ({when})" if reflection.title and when else reflection.title or when
        yield "reflection", label, reflection.text
    for quote in book.quotes:
        where = f"p. {quote.page}" if quote.page is not None else quote.location or ""
        yield "quote", where, quote.text + (f"\n{quote.note}" if quote.note else "")
    for pick in book.next:
        yield "pick", pick.title, " ".join([pick.title, *pick.authors, pick.why or ""])


def _moments(book: Book) -> Iterator[tuple[str, str | None, str, str, str, str | None]]:
    """(kind, day, ident, body, label, note) rows for `recall`: every quote, every dated reflection."""
    try:
        from _sha1 import sha1  # type: ignore[import-not-found] # hashlib loads OpenSSL, blake2 first: 3 ms
    except ImportError:  # pragma: no cover - a Python built without it
        from hashlib import sha1

    for quote in book.quotes:
        where = f"p. {quote.page}" if quote.page is not None else quote.location or ""
        ident = quote.key or "text:" + sha1(normalize(quote.text).encode()).hexdigest()[:12]
        day = quote.date.isoformat() if quote.date else None
        yield "quote", day, ident, quote.text, where, quote.note
    for reflection in book.reflections:
        if reflection.date is not None:
            yield "reflection", reflection.date.isoformat(), "", reflection.text, "", None


def _series_from_json(text: str | None) -> list[dict[str, str]]:
    """A book's series as the index keeps them (a list; a single table from before schema 2 read as one)."""
    from readlog.model import SERIES

    return SERIES.load(text)
