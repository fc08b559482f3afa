"""A BookWyrm CSV export: one row per reading (or shelving) of a book; rows of one book become one book with
every reading (see the pipeline's join of one work's rows)."""

from __future__ import annotations

from datetime import date
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
    split_series,
    stars,
)
from readlog.model import Book, Read, Review

NAME = "bookwyrm"
STATUS = {"read": "read", "to-read": "want", "reading": "reading", "stopped-reading": "abandoned"}
MAPPED = {"title", "author_text", "start_date", "finish_date", "stopped_date", "rating", "review_name",
          "review_content", "review_published", "shelf", "shelf_name", "shelf_date"}  # fmt: skip


class BookWyrmImporter(CsvImporter):
    name = NAME
    label = "BookWyrm"
    source = NAME
    required: ClassVar[tuple[str, ...]] = ("title", "author_text", "remote_id")

    def parse_row(self, cells: dict[str, str]) -> Book:
        title, series = split_series(cells.get("title", ""))
        if not title:
            raise RowError("title: empty")
        book = Book(title=title, authors=comma_list(cells.get("author_text", "")), series=series)
        book.isbn = isbn_or_none(cells.get("isbn_13", ""), cells.get("isbn_10", ""))
        book.rating = stars(cells.get("rating", ""), "rating")
        started = _date(cells.get("start_date", ""), "start_date")
        finished = _date(cells.get("finish_date", ""), "finish_date")
        stopped = _date(cells.get("stopped_date", ""), "stopped_date")
        if started or finished or stopped:
            book.reads = [Read(started=started, finished=finished, stopped=None if finished else stopped)]
        shelf = cells.get("shelf", "").strip().lower()
        status = STATUS.get(shelf) or status_from_shelf(shelf)
        status = status or status_from_shelf(cells.get("shelf_name", ""))
        book.status = status or (
            "read" if finished else "abandoned" if stopped else "reading" if started else "want"
        )
        if book.status == "read" and not book.reads:
            book.reads = [Read()]
        if shelf and shelf not in STATUS:
            book.tags = [clean_name(cells.get("shelf_name", "") or shelf)]
        body = html_to_markdown(cells.get("review_content", ""))
        headline = clean_name(cells.get("review_name", ""))
        if body or headline:
            book.review = Review(headline=headline or None, body=body or None)
            written = _date(cells.get("review_published", ""), "review_published")
            book.review.written = written if written is not None else None
        book.added = _date(cells.get("shelf_date", ""), "shelf_date")
        book.extra["source"] = {NAME: source_columns(cells, MAPPED)}
        return book


def _date(cell: str, column: str) -> date | None:
    """BookWyrm writes `2020-10-21` (or a full timestamp): the day."""
    return slash_date(cell.strip()[:10], column)
