"""LibraryThing: the TSV export (today's), the CSV export of older years (`'TITLE'`-quoted headers, often
Windows-1252 bytes), and the JSON export (an object keyed by book id).

LibraryThing is a catalogue first: `[bracketed]` dates and ISBNs, `ISBNs` lists, half stars, "Last, First"
authors. A book's status comes from what the file says about reading (see `status_of`), never from a rating;
rows whose `Media` is not a book (DVD, CD, video) are skipped and reported.
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar, cast

from readlog.errors import InvalidValue
from readlog.identity import SHELF_NAMES, status_from_shelf
from readlog.importers.base import (
    CsvImporter,
    Importer,
    Note,
    Reject,
    Row,
    SkipRow,
    _parsed_in_workers,
    head_text,
    in_workers,
)
from readlog.importers.common import (
    RowError,
    clean_name,
    html_to_markdown,
    isbn_or_none,
    slash_date,
    stars,
    whole,
)
from readlog.model import Book, Read, Reflection, Review, plain_checked
from readlog.text import normalize, person_name

NAME = "librarything"
_BRACKETS = re.compile(r"^\[(.*)\]$")
_ISBN_LIKE = re.compile(r"[0-9Xx-]{10,17}")
_PAGES = re.compile(r"\s*\d+\s*")
_YEAR = re.compile(r"-?\d{1,4}")


def unbracket(cell: str) -> str:
    cell = cell.strip()
    match = _BRACKETS.match(cell)
    return match[1].strip() if match else cell


def lt_date(cell: str, column: str) -> Any:
    """`[2007-04-16]`, `2007-04-16`, `2014-01-21 18:49:25` -> date; empty or `?` -> None."""
    cell = unbracket(cell).split(" ")[0].strip()
    if not cell or cell in ("?", "0000-00-00"):
        return None
    return slash_date(cell, column)


def isbns(*cells: str) -> str | None:
    """The first valid ISBN of `[0345497503]`, `2070291340, 9782070291342`, and the like (13 digits first)."""
    found = [m.replace("-", "") for cell in cells for m in _ISBN_LIKE.findall(unbracket(cell))]
    return isbn_or_none(*sorted(found, key=lambda isbn: -len(isbn)))


@functools.lru_cache(maxsize=4096)  # (a catalogue names its authors again and again: each answer kept)
def first_last(name: str) -> str:
    """`Cortazar, Julio` -> `Julio Cortazar`; `Hamlyn` stays; `King, Jr., Martin Luther` keeps its suffix."""
    return person_name(clean_name(html.unescape(name)))


def _credited(credits: list[tuple[str, str]]) -> tuple[list[str], list[str]]:
    """The book's authors and translators of LibraryThing's credits (each a name and its role), the primary
    author first: the primary author and every other credited as `Author` or with no role are authors; a
    `Translator` is a translator; an editor, illustrator, a foreword's or commentary's writer is neither
    (LibraryThing's `Secondary Author` and its roles stay in `[source.librarything]`). Each First Last,
    once."""
    authors: list[str] = []
    translators: list[str] = []
    for number, (name, role) in enumerate(credits):
        person, kind = first_last(name), role.strip().lower()
        if not person:
            continue
        if number == 0 or kind in ("", "author"):
            authors.append(person)
        elif "translat" in kind:
            translators.append(person)
    return list(dict.fromkeys(authors)), [t for t in dict.fromkeys(translators) if t not in authors]


def _secondary(names: str, roles: str) -> list[tuple[str, str]]:
    """`Secondary Author` (`Barnard, Mary|Fitts, Dudley`) with its `Secondary Author Roles`
    (`Translator|Foreword`), each name with its role (`""`: none given)."""
    listed = roles.split("|")
    return [
        (name, listed[i] if i < len(listed) else "")
        for i, name in enumerate(names.split("|"))
        if name.strip()
    ]


@functools.lru_cache(maxsize=4096)  # (the same few tags and collections on every row: each answer kept)
def _tag_name(tag: str) -> str:
    return clean_name(html.unescape(tag))


def status_of(finished: object, started: object, collections: list[str], tags: list[str]) -> str:
    """What the file says about reading, in this order: a finish date (read), a start date (reading), a
    collection whose name says a status (`Read`, `Currently reading`, `To read`, `Wishlist`, in any
    language the shelf table knows), a tag that is a status's whole name (`read`, `to-read`, `dnf`);
    else `want`. A rating or review says nothing about reading: a catalogue rates books it never logged."""
    if finished:
        return "read"
    if started:
        return "reading"
    for collection in collections:
        status = _collection_status(collection)
        if status:
            return status
    for tag in tags:
        status = _tag_status(tag)
        if status:
            return status
    return "want"


# A catalogue names the same few collections and tags on every row: each one's answer is remembered (pure
# functions of the name; normalising it and trying every shelf phrase was a tenth of a row's time).
@functools.lru_cache(maxsize=4096)
def _collection_status(collection: str) -> str | None:
    if collection.strip().lower() == "read but unowned":
        return "read"
    return status_from_shelf(collection)


@functools.lru_cache(maxsize=4096)
def _tag_status(tag: str) -> str | None:
    return SHELF_NAMES.get(normalize(tag.replace("_", " ")))


# A column's cells repeat (dates, ratings): each cell's value remembered, as the Goodreads importer does (a
# date or a number cannot change; a cell they refuse is refused again each time).
_lt_date = functools.lru_cache(maxsize=4096)(lt_date)
_stars = functools.lru_cache(maxsize=4096)(stars)
_whole = functools.lru_cache(maxsize=4096)(whole)


# LibraryThing catalogues films and music too: `Media` says so. Those rows are skipped and reported (a
# reading journal has no place for a DVD); an audiobook on CDs is a book.
_NOT_A_BOOK = re.compile(
    r"\b(dvd|blu-?ray|vhs|video|film|movie|music|vinyl|lp|cd|cd-rom|game)s?\b", re.IGNORECASE
)
_A_BOOK = re.compile(r"\b(audio|audio ?books?|books?|paperback|hardcover|ebook)\b", re.IGNORECASE)


def check_media(media: str) -> None:
    """Raise SkipRow for a row whose `Media` is not a book (DVD, CD, video, ...)."""
    media = media.strip()
    if media and _not_a_book(media):
        raise SkipRow(f"skipped: not a book (Media: {media})")


@functools.lru_cache(maxsize=4096)  # (a catalogue names a few media: each answer kept)
def _not_a_book(media: str) -> bool:
    return _NOT_A_BOOK.search(media) is not None and _A_BOOK.search(media) is None


def _book(
    title: str,
    authors: list[tuple[str, str]],
    cells: dict[str, Any],
    *,
    rating: str,
    review: str,
    started: str,
    finished: str,
    collections: list[str],
    tags: list[str],
    isbn: str | None,
    pages: str,
    year: str,
    added: str,
    comment: str = "",
    mapped: set[str],
    text_only: bool = False,
) -> Book:
    title = clean_name(html.unescape(title))  # the JSON export writes `&#039;` for an apostrophe
    if not title:
        raise RowError("Title: empty")
    named, translators = _credited(authors)
    book = Book(title=title, authors=named)
    if (
        translators
    ):  # (as StoryGraph's `(Translator)`: never an author; the export's credits stay in the source)
        book.extra["translators"] = translators
    book.rating = _stars(rating, "Rating")
    body = html_to_markdown(review)
    if body:
        book.review = Review(body=body)
    note = html_to_markdown(comment)
    if note:
        book.reflections = [Reflection(text=note, private=True)]  # LibraryThing's private comment
    start, end = _lt_date(started, "Date Started"), _lt_date(finished, "Date Read")
    book.status = status_of(end, start, collections, tags)
    if start or end:
        book.reads = [Read(started=start, finished=end)]
    elif book.status in ("read", "reading"):
        book.reads = [Read()]  # the file says read (a collection, a tag), not when
    shelves = [c for c in collections if c.strip() and c.strip().lower() != "your library"]
    book.tags = list(dict.fromkeys(t for t in (_tag_name(t) for t in [*tags, *shelves]) if t))
    book.isbn = isbn
    book.pages = _whole(pages, "Page Count", 1, 100_000) if _PAGES.fullmatch(pages or "") else None
    match = _YEAR.search(year or "")
    if match:
        book.year = int(match[0])
    book.added = _lt_date(added, "Entry Date")
    book.extra["source"] = {NAME: _source(cells, mapped, text_only)}
    return book


def _source(cells: dict[str, Any], mapped: set[str], text_only: bool) -> dict[str, str | list[str]]:
    """The cells readlog has no field for, as `[source.librarything]` keeps them: text trimmed (none
    empty, no `[]`), lists of text without their blank items (the JSON export's). `text_only`: every cell
    is text (a CSV or TSV row), kept in one pass."""
    if text_only:
        return {
            key: kept
            for key, value in cells.items()
            if key not in mapped and (kept := value.strip()) and kept != "[]"
        }
    source: dict[str, str | list[str]] = {}
    for key, value in cells.items():
        if key in mapped:
            continue
        if isinstance(value, str):
            kept = value.strip()
            if kept and kept != "[]":
                source[key] = kept
        elif isinstance(value, list) and value and all(isinstance(v, str) for v in value):
            source[key] = [v for v in value if v.strip()]
    return source


# --- TSV (today) and CSV (older) exports ----------------------------------------------------------------
TSV_MAPPED = {"Title", "Primary Author", "Review", "Rating", "Private Comment",
              "Date Started", "Date Read", "Tags", "Collections", "Page Count", "Date",
              "Entry Date"}  # fmt: skip


class LibraryThingTsvImporter(CsvImporter):
    name = "librarything"
    label = "LibraryThing"
    source = NAME
    delimiter = "\t"
    required: ClassVar[tuple[str, ...]] = ("Book Id", "Title", "Primary Author")
    fresh_books = True  # (_book makes every book afresh: model.plain_checked)

    def parse_row(self, cells: dict[str, str]) -> Book:
        check_media(cells.get("Media", ""))
        authors = [(cells.get("Primary Author", ""), "")]
        authors += _secondary(cells.get("Secondary Author", ""), cells.get("Secondary Author Roles", ""))
        return _book(
            cells.get("Title", ""),
            authors,
            cells,
            rating=cells.get("Rating", ""),
            review=cells.get("Review", ""),
            comment=cells.get("Private Comment", ""),
            started=cells.get("Date Started", ""),
            finished=cells.get("Date Read", ""),
            collections=_split(cells.get("Collections", "")),
            tags=_split(cells.get("Tags", "")),
            isbn=isbns(cells.get("ISBN", ""), cells.get("ISBNs", "")),
            pages=cells.get("Page Count", ""),
            year=cells.get("Date", ""),
            added=cells.get("Entry Date", ""),
            mapped=TSV_MAPPED,
            text_only=True,  # (a row's cells: text alone)
        )


class LibraryThingCsvImporter(LibraryThingTsvImporter):
    """The same export as comma-separated values: today's columns, or 2014's `'TITLE'`-quoted ones."""

    name = "librarything-csv"
    delimiter = ","
    required: ClassVar[tuple[str, ...]] = ()  # one of two headers: see `matches`

    @classmethod
    def matches(cls, names: set[str]) -> bool:
        return {"Book Id", "Title", "Primary Author"} <= names or {"TITLE", "AUTHOR (last, first)"} <= names

    def parse_row(self, cells: dict[str, str]) -> Book:
        if "TITLE" not in cells:
            return super().parse_row(cells)
        authors = [(cells.get("AUTHOR (last, first)", "") or cells.get("AUTHOR (first, last)", ""), "")]
        return _book(
            cells.get("TITLE", ""),
            authors,
            cells,
            rating=cells.get("RATINGS", ""),
            review=cells.get("REVIEWS", ""),
            comment="",
            started="",
            finished="",
            collections=_split(cells.get("COLLECTIONS", "")),
            tags=_split(cells.get("TAGS", "")),
            isbn=isbns(cells.get("ISBNs", ""), cells.get("ISBN", "")),
            pages="",
            year=cells.get("DATE", ""),
            added=cells.get("ENTRY DATE", ""),
            mapped={
                "TITLE",
                "AUTHOR (first, last)",
                "AUTHOR (last, first)",
                "RATINGS",
                "REVIEWS",
                "COLLECTIONS",
                "TAGS",
                "DATE",
                "ENTRY DATE",
            },  # fmt: skip
            text_only=True,
        )


def _split(cell: str) -> list[str]:
    return [p.strip() for p in cell.split(",") if p.strip()]


# --- JSON export ------------------------------------------------------------------------------------------
JSON_MAPPED = {"title", "authors", "primaryauthor", "rating", "review", "privatecomment", "datestarted",
               "dateread", "datefinished", "tags", "collections", "pages", "date", "entrydate"}  # fmt: skip


class LibraryThingJsonImporter(Importer):
    name = "librarything-json"
    label = "LibraryThing JSON"
    source = NAME

    @classmethod
    def sniff(cls, head: bytes, filename: str) -> bool:
        text = head_text(head).lstrip()
        return text.startswith("{") and '"books_id"' in text[:4096]

    _checked: tuple[Path, dict[str, Any], int] | None = None  # what `check_first` read

    def check_first(self, path: Path) -> bool:
        """The file read and parsed as JSON now (`read` gives its books: a book that is not one is a reject
        of its own, never an error of the file's)."""
        self._checked = (path, *self._loaded(path))
        self.expected = len(self._checked[1])
        return True

    def read(self, path: Path) -> Iterator[Row | Reject | Note]:
        checked, self._checked = self._checked, None
        data, size = checked[1:] if checked is not None and checked[0] == path else self._loaded(path)
        parallel = in_workers(self, size)  # (a big export: as a CSV one, parsed by worker processes)
        items = ((number, [key, item]) for number, (key, item) in enumerate(data.items(), 1))
        if parallel:
            # (as CsvImporter.read; `_parsed_in_workers` asks only `parse_one`, `source` and
            # `books_wanted` of the importer, and hands each item to `parse_one` as it is given)
            ready, into = self.prepared_in_workers(path), self.streaming
            yield from _parsed_in_workers(cast(CsvImporter, self), [], cast(Any, items), ready, into)
            return
        for number, cells in items:
            yield self.parse_one(number, cells, [])

    def _loaded(self, path: Path) -> tuple[dict[str, Any], int]:
        """The export's books by id, and its size in characters."""
        from readlog.errors import ReadlogError
        from readlog.importers.jsonfile import load_json_text

        text, data = load_json_text(path)
        if not isinstance(data, dict):
            raise ReadlogError(f"{path}: not a LibraryThing JSON export (not an object keyed by book id)")
        return data, len(text)

    def parse_one(self, line: int, row: list[Any], header: list[str]) -> Row | Reject | Note:
        """The book `row` ([its id, its object]) holds, or a reject; in this process, or in a worker
        process for a big export."""
        key, item = row
        if not isinstance(item, dict):
            return Reject(line, f"book {key}: not a book object", [_json_text(item)])
        try:
            book = plain_checked(_json_book(item))  # (every field through readlog's checks)
        except (RowError, InvalidValue) as error:
            return Reject(line, f"book {key}: {error}", [_json_text(item)])
        return Row(line, book)


def _json_text(item: object) -> str:
    import json

    return json.dumps(item)[:200]


def _json_book(item: dict[str, Any]) -> Book:
    def text(key: str) -> str:
        value = item.get(key)
        return str(value) if isinstance(value, str | int | float) and not isinstance(value, bool) else ""

    def name(author: dict[str, Any]) -> str:
        for key in ("lf", "fl"):  # a name given as a number, a list or null is no name
            if isinstance(author.get(key), str) and author[key].strip():
                return str(author[key])
        return ""

    def role(author: dict[str, Any]) -> str:
        return author["role"] if isinstance(author.get("role"), str) else ""

    listed_authors = item.get("authors")
    authors = (
        [(name(a), role(a)) for a in listed_authors if isinstance(a, dict)]
        if isinstance(listed_authors, list)
        else []
    )
    if not any(a for a, _ in authors) and text("primaryauthor"):
        authors = [
            (text("primaryauthor"), ""),
            *_secondary(text("secondaryauthor"), text("secondaryauthorroles")),
        ]
    isbn_field = item.get("isbn")
    isbn_values = (
        list(isbn_field.values())
        if isinstance(isbn_field, dict)
        else isbn_field
        if isinstance(isbn_field, list)
        else []
    )
    isbn_cells = [v for v in isbn_values if isinstance(v, str)] or [text("isbn")]
    tags = item.get("tags")
    listed = [v for v in tags if isinstance(v, str)] if isinstance(tags, list) else []
    collections = item.get("collections", [])
    collections = [c for c in collections if isinstance(c, str)] if isinstance(collections, list) else []
    cells = {k: v for k, v in item.items() if k not in ("isbn",)}
    cells["isbn"] = ", ".join(isbn_cells)
    book = _book(
        text("title"),
        authors,
        cells,
        rating=text("rating"),
        review=text("review"),
        comment=text("privatecomment"),
        started=text("datestarted"),
        finished=text("dateread") or text("datefinished"),
        collections=collections,
        tags=listed,
        isbn=isbns(text("originalisbn"), *isbn_cells),
        pages=text("pages"),
        year=text("date"),
        added=text("entrydate"),
        mapped=JSON_MAPPED,
    )
    table = book.extra["source"][NAME]
    table["Book Id"] = text("books_id")
    table.pop("books_id", None)
    return book
