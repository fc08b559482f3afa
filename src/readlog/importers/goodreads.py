"""A Goodreads library export (`goodreads_library_export.csv`, 31, 24 or 23 columns) row -> Book."""

from __future__ import annotations

import re

from readlog.importers.common import (
    RowError,
    clean_name,
    comma_list,
    html_to_markdown,
    isbn_or_none,
    slash_date,
    split_series,
    unwrap,
)
from readlog.model import Book, Read, Reflection, Review

NAME = "goodreads"
REQUIRED = ("Book Id", "Title", "Author", "Exclusive Shelf")
STATUS = {
    "read": "read",
    "to-read": "want",
    "currently-reading": "reading",
    "did-not-finish": "abandoned",
    "dropped": "abandoned",
    "stopped-reading": "abandoned",
    "wont-finish": "abandoned",
    "abandoned": "abandoned",
    "paused": "paused",
}
# Columns with a field of their own; every other column is kept under [source.goodreads].
MAPPED = {
    "Title", "Author", "My Rating", "Number of Pages", "Original Publication Year", "Date Read", "Date Added",
    "Bookshelves", "Bookshelves with positions", "Exclusive Shelf", "My Review", "Private Notes",
    "Read Count",
}  # fmt: skip
_POSITION = re.compile(r"([^,(]+?)\s*\(#(\d+)\)")


def parse_row(row: dict[str, str]) -> Book:
    title, series = split_series(row.get("Title", ""))
    if not title:
        raise RowError("Title: empty")
    book = Book(title=title, authors=[clean_name(row["Author"])] if clean_name(row.get("Author", "")) else [])
    book.series = series
    shelf = row.get("Exclusive Shelf", "").strip().lower()
    book.status = STATUS.get(shelf)
    rating = row.get("My Rating", "").strip()
    if rating not in ("", "0"):
        if rating not in ("1", "2", "3", "4", "5"):
            raise RowError(f"My Rating: {rating!r} is not 0-5")
        book.rating = int(rating)
    book.isbn = isbn_or_none(row.get("ISBN13", ""), row.get("ISBN", ""))
    pages = row.get("Number of Pages", "").strip()
    if pages.isdigit() and 0 < int(pages) <= 100_000:
        book.pages = int(pages)
    year = row.get("Original Publication Year", "").strip() or row.get("Year Published", "").strip()
    if re.fullmatch(r"-?\d{1,4}", year):
        book.year = int(year)
    book.added = slash_date(row.get("Date Added", ""), "Date Added")
    finished = slash_date(row.get("Date Read", ""), "Date Read")
    count = row.get("Read Count", "").strip()
    reads = int(count) if count.isdigit() else 0
    if book.status == "read":
        reads = max(reads, 1)
    if finished and reads == 0:
        reads = 1
    # Goodreads keeps only the latest date: earlier readings are known to have happened, not when.
    book.reads = [Read() for _ in range(max(reads - 1, 0))] + ([Read(finished=finished)] if reads else [])
    shelves = comma_list(row.get("Bookshelves", ""))
    book.tags = [s for s in shelves if s.lower() not in STATUS and s.lower() != shelf]
    if shelf and shelf not in STATUS:
        book.tags.append(shelf)  # a custom exclusive shelf: keep it as a tag
    for name, position in _POSITION.findall(row.get("Bookshelves with positions", "")):
        if name.strip().lower() == "to-read":
            book.priority = int(position) or None
    review = html_to_markdown(row.get("My Review", ""))
    if review:
        book.review = Review(body=review)
    notes = html_to_markdown(row.get("Private Notes", ""))
    if notes:  # Goodreads' private notes stay private here: never published by readlog
        book.reflections = [Reflection(text=notes, private=True)]
    source = {k: v for k, v in row.items() if k not in MAPPED and v.strip() not in ("", '=""')}
    source.update({k: unwrap(v) for k, v in source.items() if k in ("ISBN", "ISBN13")})
    book.extra["source"] = {NAME: source}
    return book
