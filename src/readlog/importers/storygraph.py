"""A StoryGraph export row -> Book (headers with `Authors`/`ISBN/UID`, and the older `Author`/`ISBN`)."""

from __future__ import annotations

import functools
import re
from typing import ClassVar

from readlog.identity import status_from_shelf
from readlog.importers.base import CsvImporter
from readlog.importers.common import (
    RowError,
    clean_name,
    comma_list,
    html_to_markdown,
    isbn_or_none,
    slash_date,
    stars,
    whole,
)
from readlog.model import Book, Read, Review

NAME = "storygraph"
REQUIRED = ("Title", "Read Status")
_ROLE = re.compile(r"\s*([^,()]+?)\s*\(([^()]*)\)")
MAPPED = {"Title", "Authors", "Author", "Read Status", "Date Added", "Last Date Read", "Dates Read",
          "Read Count", "Star Rating", "Review", "Tags"}  # fmt: skip

# A column's cells repeat (dates, ratings, read counts, statuses): each cell's value remembered, as the
# Goodreads importer does. Pure functions of the cell's text, with values that cannot change; a cell they
# refuse is refused again each time (an exception is not remembered).
_date = functools.lru_cache(maxsize=4096)(slash_date)
_stars = functools.lru_cache(maxsize=4096)(stars)
_whole = functools.lru_cache(maxsize=4096)(whole)
_status = functools.lru_cache(maxsize=4096)(status_from_shelf)


class StoryGraphImporter(CsvImporter):
    name = NAME
    label = "StoryGraph"
    source = NAME
    required: ClassVar[tuple[str, ...]] = REQUIRED
    dates_column = "Date Added"
    fresh_books = True  # (parse_row makes every book afresh: model.plain_checked)

    @classmethod
    def matches(cls, names: set[str]) -> bool:
        return "Read Status" in names and bool(names & {"Authors", "Author"} and names & {"ISBN/UID", "ISBN"})

    def parse_row(self, cells: dict[str, str]) -> Book:
        return parse_row(cells)


def parse_row(row: dict[str, str]) -> Book:
    title = clean_name(row.get("Title", ""))
    if not title:
        raise RowError("Title: empty")
    book = Book(title=title, authors=comma_list(row.get("Authors", row.get("Author", "")), names=True))
    status = row.get("Read Status", "").strip().lower()
    book.status = _status(status) or ("read" if row.get("Last Date Read", "").strip() else "want")
    book.rating = _stars(row.get("Star Rating", ""), "Star Rating")
    book.isbn = isbn_or_none(row.get("ISBN/UID", row.get("ISBN", "")))
    book.added = _date(row.get("Date Added", ""), "Date Added")
    book.reads = _reads(row.get("Dates Read", ""), row.get("Last Date Read", ""))
    known = _whole(row.get("Read Count", ""), "Read Count", 0, 10_000) or 0
    book.reads += [Read() for _ in range(max(known - len(book.reads), 0))]
    if book.status == "read" and not book.reads:
        book.reads = [Read()]  # read, but not said when: a reading without dates, never today's
    if book.status in ("reading", "paused") and not any(r.is_open for r in book.reads):
        book.reads.append(Read())
    book.tags = comma_list(row.get("Tags", ""))
    translators = [
        m[1].strip() for m in _ROLE.finditer(row.get("Contributors", "")) if "translat" in m[2].lower()
    ]
    if (
        translators
    ):  # `Danusia Stok (Translator)`: kept as `translators` too (Contributors stays in the source)
        book.extra["translators"] = list(dict.fromkeys(translators))
    review = html_to_markdown(row.get("Review", ""))
    if review:
        book.review = Review(body=review)
    source = {k: v for k, v in row.items() if k not in MAPPED and v.strip()}
    book.extra["source"] = {NAME: source}
    return book


def _reads(dates: str, last: str) -> list[Read]:
    reads = []
    for part in (p.strip() for p in dates.split(",") if p.strip()):
        if "-" in part:
            started, _, finished = (p.strip() for p in part.partition("-"))
            reads.append(Read(started=_date(started, "Dates Read"), finished=_date(finished, "Dates Read")))
        else:
            reads.append(Read(finished=_date(part, "Dates Read")))
    if not reads and last.strip():
        reads.append(Read(finished=_date(last, "Last Date Read")))
    return reads
