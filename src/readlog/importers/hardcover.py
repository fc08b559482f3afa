"""A Hardcover CSV export (37 columns): status, dates started/finished, rating, review, private notes,
moods, content warnings, pages, and the listening time of audiobooks."""

from __future__ import annotations

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
    source_columns,
    stars,
    whole,
)
from readlog.model import Book, Read, Reflection, Review, format_duration

NAME = "hardcover"
STATUS = {"read": "read", "currently reading": "reading", "want to read": "want",
          "did not finish": "abandoned", "paused": "paused"}  # fmt: skip
MAPPED = {"Title", "Author", "Series", "Status", "ISBN 10", "ISBN 13", "Pages", "Duration in Seconds",
          "Publish Date", "Tags", "Date Added", "Date Started", "Date Finished", "Rating", "Review",
          "Review Date", "Private Notes", "Review Slate"}  # fmt: skip
_SERIES = re.compile(r"\s*(.+?)\s*\(#\s*([^)]*)\)\s*(?:,|$)")


class HardcoverImporter(CsvImporter):
    name = NAME
    label = "Hardcover"
    source = NAME
    required: ClassVar[tuple[str, ...]] = ("Title", "Author", "Status", "Hardcover Book ID")

    def parse_row(self, cells: dict[str, str]) -> Book:
        title = clean_name(cells.get("Title", ""))
        if not title:
            raise RowError("Title: empty")
        book = Book(title=title, authors=comma_list(cells.get("Author", "")))
        for name, number in _SERIES.findall(cells.get("Series", "")):
            entry = {"name": clean_name(name)}
            if _number(number):
                entry["number"] = _number(number)
            book.series.append(entry)
        status = clean_name(cells.get("Status", "")).lower()
        started = slash_date(cells.get("Date Started", "")[:10], "Date Started")
        finished = slash_date(cells.get("Date Finished", "")[:10], "Date Finished")
        book.status = STATUS.get(status) or status_from_shelf(status) or ("read" if finished else "want")
        if status and status not in STATUS:
            book.tags.append(status)  # "Ignored" and anything new: kept as a tag
        if book.status == "abandoned" and (started or finished):
            book.reads = [Read(started=started, stopped=finished)]
        elif book.status in ("reading", "paused"):
            book.reads = [Read(started=started)]  # still open, whatever the finish column says
        elif started or finished or book.status == "read":
            book.reads = [Read(started=started, finished=finished)]
        book.rating = stars(cells.get("Rating", ""), "Rating")
        book.isbn = isbn_or_none(cells.get("ISBN 13", ""), cells.get("ISBN 10", ""))
        book.pages = whole(cells.get("Pages", ""), "Pages", 1, 100_000)
        seconds = whole(cells.get("Duration in Seconds", ""), "Duration in Seconds", 60, 10_000 * 3600)
        if seconds:
            book.duration = format_duration(seconds // 60)
        year = re.match(r"\s*(\d{4})", cells.get("Publish Date", ""))
        if year:
            book.year = int(year[1])
        tags = map(clean_name, re.split(r"[;,]", cells.get("Tags", "")))
        book.tags = [t for t in dict.fromkeys([*tags, *book.tags]) if t]
        body = html_to_markdown(cells.get("Review", ""))
        if body:
            written = slash_date(cells.get("Review Date", "")[:10], "Review Date")
            book.review = Review(body=body, written=written)
        notes = html_to_markdown(cells.get("Private Notes", ""))
        if notes:
            book.reflections = [Reflection(text=notes, private=True)]  # never published by readlog
        privacy = cells.get("Privacy", "").strip().lower()
        if privacy and privacy != "public":  # "Followers", "Private": the whole book was not public there
            book.private = True
        book.added = slash_date(cells.get("Date Added", "")[:10], "Date Added")
        book.extra["source"] = {NAME: source_columns(cells, MAPPED)}
        return book


def _number(text: str) -> str:
    text = text.strip()
    return text[:-2] if text.endswith(".0") else text
