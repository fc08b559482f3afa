"""A Goodreads library export (`goodreads_library_export.csv`, 31, 24 or 23 columns) row -> Book."""

from __future__ import annotations

import functools
import re
from typing import ClassVar

from readlog.identity import is_status_shelf, status_from_shelf
from readlog.importers.base import CsvImporter
from readlog.importers.common import (
    RowError,
    clean_name,
    comma_list,
    html_to_markdown,
    isbn_or_none,
    slash_date,
    split_series,
    stars,
    unwrap,
    whole,
)
from readlog.model import Book, Read, Reflection, Review

NAME = "goodreads"
REQUIRED = ("Book Id", "Title", "Author", "Exclusive Shelf")
# Columns with a field of their own; every other column is kept under [source.goodreads].
MAPPED = {
    "Title", "Author", "Additional Authors", "My Rating", "Number of Pages", "Original Publication Year",
    "Date Read", "Date Added", "Bookshelves", "Bookshelves with positions", "Exclusive Shelf", "My Review",
    "Private Notes", "Read Count",
}  # fmt: skip
# Mapped columns that are kept in the source table as well: what an export back to Goodreads gives back.
KEPT = {"Additional Authors", "Bookshelves with positions"}
_NOT_KEPT = frozenset(MAPPED - KEPT)  # the columns left out of the source table
_POSITION = re.compile(r"([^,(]+?)\s*\(#(\d+)\)")
_YEAR = re.compile(r"-?\d{1,4}(?:\.0+)?")


# A column's cells repeat (ratings, page counts, dates, read counts): each cell's value remembered per
# column. Pure functions of the cell's text, with values that cannot change (numbers, dates, None); a cell
# they refuse is refused again each time (an exception is not remembered).
_date = functools.lru_cache(maxsize=4096)(slash_date)
_stars = functools.lru_cache(maxsize=4096)(stars)
_whole = functools.lru_cache(maxsize=4096)(whole)


@functools.lru_cache(maxsize=4096)
def _shelf(shelf: str) -> tuple[str | None, bool]:
    """(status_from_shelf(shelf), is_status_shelf(shelf)), remembered: an export names a few shelves over
    and over, and each answer normalises the name again."""
    return status_from_shelf(shelf), is_status_shelf(shelf)


class GoodreadsImporter(CsvImporter):
    name = NAME
    label = "Goodreads"
    source = NAME
    required: ClassVar[tuple[str, ...]] = REQUIRED
    dates_column = "Date Added"
    fresh_books = True  # (parse_row makes every book afresh: model.plain_checked)

    @classmethod
    def matches(cls, names: set[str]) -> bool:
        return {"Book Id", "Exclusive Shelf"} <= names

    def parse_row(self, cells: dict[str, str]) -> Book:
        return parse_row(cells)


def parse_row(row: dict[str, str]) -> Book:
    title, series = split_series(row.get("Title", ""))
    if not title:
        raise RowError("Title: empty")
    author = clean_name(row.get("Author", ""))
    authors = [author] if author else []
    authors += [a for a in comma_list(row.get("Additional Authors", ""), names=True) if a not in authors]
    book = Book(title=title, authors=authors)
    book.series = series
    shelf = row.get("Exclusive Shelf", "").strip().lower()
    book.rating = _stars(row.get("My Rating", ""), "My Rating")
    book.isbn = isbn_or_none(row.get("ISBN13", ""), row.get("ISBN", ""))
    book.pages = _whole(row.get("Number of Pages", ""), "Number of Pages", 1, 100_000)
    for column in ("Original Publication Year", "Year Published"):
        cell = row.get(column, "").strip()
        if cell and _YEAR.fullmatch(cell):
            book.year = int(float(cell))
            break
    book.added = _date(row.get("Date Added", ""), "Date Added")
    finished = _date(row.get("Date Read", ""), "Date Read")
    reads = _whole(row.get("Read Count", ""), "Read Count", 0, 10_000) or 0
    shelves = comma_list(row.get("Bookshelves", ""))
    book.status = _shelf(shelf)[0] or ("read" if finished or reads else "want")
    if book.status == "read":
        reads = max(reads, 1)
    if finished and reads == 0:
        reads = 1
    # Goodreads keeps only the latest date: earlier readings are known to have happened, not when.
    book.reads = [Read() for _ in range(max(reads - 1, 0))] + ([Read(finished=finished)] if reads else [])
    if book.status in ("reading", "paused") and not (book.reads and book.reads[-1].is_open):
        book.reads.append(Read())  # the reading in progress (Goodreads counts only finished ones)
    book.tags = [s for s in shelves if not _shelf(s)[1] and s.lower() != shelf]
    if shelf and not _shelf(shelf)[1]:
        book.tags.append(shelf)  # a custom exclusive shelf: keep it as a tag
    for name, position in _POSITION.findall(row.get("Bookshelves with positions", "")):
        if name.strip().lower() == "to-read" and book.status == "want":
            book.priority = int(position) or None
    review = html_to_markdown(row.get("My Review", ""))
    if review:
        book.review = Review(body=review)
    notes = html_to_markdown(row.get("Private Notes", ""))
    if notes:  # Goodreads' private notes stay private here: never published by readlog
        book.reflections = [Reflection(text=notes, private=True)]
    source = {k: v for k, v in row.items() if k not in _NOT_KEPT and v.strip() not in ("", '=""')}
    for column in ("ISBN", "ISBN13"):
        if column in source:
            source[column] = unwrap(source[column])
    book.extra["source"] = {NAME: source}
    return book
