"""An Openreads CSV export: `readings` holds every reading as `start|finish|time`, separated by `;`."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from readlog.importers.base import CsvImporter, SkipRow
from readlog.importers.common import (
    RowError,
    clean_name,
    comma_list,
    isbn_or_none,
    slash_date,
    source_columns,
    text_to_markdown,
    whole,
)
from readlog.importers.common import stars as parse_stars
from readlog.model import Book, Read, Reflection, Review

NAME = "openreads"
STATUS = {"finished": "read", "in_progress": "reading", "planned": "want", "abandoned": "abandoned",
          "unfinished": "abandoned"}  # fmt: skip
MAPPED = {"title", "author", "status", "rating", "pages", "publication_year", "isbn", "tags", "my_review",
          "notes", "readings", "date_added", "description"}  # fmt: skip


class OpenreadsImporter(CsvImporter):
    name = NAME
    label = "Openreads"
    source = NAME
    required: ClassVar[tuple[str, ...]] = ("title", "author", "status", "readings")

    def parse_row(self, cells: dict[str, str]) -> Book:
        if cells.get("deleted", "").strip().lower() == "true":
            raise SkipRow(f"{clean_name(cells.get('title', ''))}: deleted in Openreads, not imported")
        title = clean_name(cells.get("title", ""))
        if not title:
            raise RowError("title: empty")
        subtitle = clean_name(cells.get("subtitle", ""))
        book = Book(title=f"{title}: {subtitle}" if subtitle else title)
        book.authors = [clean_name(cells.get("author", ""))] if clean_name(cells.get("author", "")) else []
        if len(book.authors) == 1 and "," in book.authors[0] and ", " in book.authors[0]:
            last, first = book.authors[0].split(", ", 1)
            one_person = " " not in last.strip()  # "Smith, Mark" is one name; "A B, C D" two authors
            book.authors = [f"{first} {last}"] if one_person else comma_list(cells.get("author", ""))
        status = cells.get("status", "").strip().lower()
        book.reads = _readings(cells.get("readings", ""))
        book.status = STATUS.get(status) or ("read" if any(r.finished for r in book.reads) else "want")
        if book.status == "read" and not book.reads:
            book.reads = [Read()]
        if book.status == "reading" and not any(r.is_open for r in book.reads):
            book.reads.append(Read())
        book.rating = parse_stars(cells.get("rating", ""), "rating")
        book.pages = whole(cells.get("pages", ""), "pages", 1, 100_000)
        year = whole(cells.get("publication_year", ""), "publication_year", -9999, 9999)
        book.year = year
        book.isbn = isbn_or_none(cells.get("isbn", ""))
        book.tags = [t for t in (clean_name(t) for t in cells.get("tags", "").split("|||||")) if t]
        body = text_to_markdown(cells.get("my_review", ""), html=True)  # (its newlines are the reader's)
        if body:
            book.review = Review(body=body)
        notes = text_to_markdown(cells.get("notes", ""))  # plain text, shown as typed
        if notes:
            book.reflections = [Reflection(text=notes)]
        book.added = _day(cells.get("date_added", ""), "date_added")
        book.extra["source"] = {NAME: source_columns(cells, MAPPED)}
        return book


def _day(cell: str, column: str) -> date | None:
    """`2023-10-27T00:00:00.000` -> the day."""
    return slash_date(cell.strip()[:10], column)


def _readings(cell: str) -> list[Read]:
    reads = []
    for entry in (e.strip() for e in cell.split(";")):
        if not entry:
            continue
        parts = entry.split("|")
        started = _day(parts[0], "readings") if parts else None
        finished = _day(parts[1], "readings") if len(parts) > 1 else None
        if started or finished:
            reads.append(Read(started=started, finished=finished))
    return reads
