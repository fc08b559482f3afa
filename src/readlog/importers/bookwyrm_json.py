"""A BookWyrm account export (`archive.json` inside the account export): every book with its readthroughs,
shelves, reviews (with their ratings), comments and quotes."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

from readlog.errors import InvalidValue, ReadlogError
from readlog.identity import STATUS_RANK, status_from_shelf
from readlog.importers.base import Importer, Note, Reject, Row, head_text
from readlog.importers.common import RowError, clean_name, html_to_markdown, isbn_or_none, slash_date, stars
from readlog.model import Book, Quote, Read, Reflection, Review, book_from_dict, book_to_dict

NAME = "bookwyrm"
SHELVES = {"read": "read", "to-read": "want", "reading": "reading", "stopped-reading": "abandoned"}


class BookWyrmJsonImporter(Importer):
    name = "bookwyrm-json"
    label = "BookWyrm account"
    source = NAME

    @classmethod
    def sniff(cls, head: bytes, filename: str) -> bool:
        text = head_text(head).lstrip()
        return text.startswith("{") and '"books"' in text and ('"readthroughs"' in text or '"user"' in text)

    def read(self, path: Path) -> Iterator[Row | Reject | Note]:
        from readlog.importers.jsonfile import load_json

        data = load_json(path)
        books = data.get("books") if isinstance(data, dict) else None
        if not isinstance(books, list):
            raise ReadlogError(f"{path}: not a BookWyrm account export (no `books` list)")
        for number, item in enumerate(books, 1):
            if not isinstance(item, dict):
                yield Reject(number, "not a book object", [json.dumps(item)[:200]])
                continue
            try:
                book = book_from_dict(book_to_dict(_book(item)))
            except (RowError, InvalidValue, TypeError, ValueError) as error:
                yield Reject(number, f"book {item.get('title', number)!r}: {error}", [json.dumps(item)[:200]])
                continue
            yield Row(number, book)


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _day(value: object, where: str) -> date | None:
    return slash_date(_text(value)[:10], where)


def _list(value: object) -> list[dict[str, Any]]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


PUBLIC = "public"  # BookWyrm's default; `unlisted`, `followers`, `direct` (and anything else) stay private


def _private(status: dict[str, Any]) -> bool:
    """A review, comment or quote that was not public on BookWyrm is private here from the start:
    `unlisted` too (it was kept out of BookWyrm's feeds; readlog's site and feed would publish it). A
    status without the field (an older export) is public, BookWyrm's default."""
    privacy = status.get("privacy", PUBLIC)
    return not (isinstance(privacy, str) and privacy.strip().lower() == PUBLIC)


def _book(item: dict[str, Any]) -> Book:
    title = clean_name(_text(item.get("title")))
    if not title:
        raise RowError("title: empty")
    book = Book(title=title, authors=[clean_name(_text(a.get("name"))) for a in _list(item.get("authors"))])
    book.authors = [a for a in book.authors if a]
    edition: dict[str, Any] = item["edition"] if isinstance(item.get("edition"), dict) else {}
    book.isbn = isbn_or_none(_text(edition.get("isbn_13")), _text(edition.get("isbn_10")))
    pages = edition.get("pages")
    if isinstance(pages, int) and 0 < pages <= 100_000:
        book.pages = pages
    if _text(item.get("series")).strip():
        entry = {"name": clean_name(_text(item["series"]))}
        if _text(item.get("series_number")).strip():
            entry["number"] = _text(item["series_number"]).strip()
        book.series = [entry]
    for through in _list(item.get("readthroughs")):
        started, finished = (
            _day(through.get("start_date"), "start_date"),
            _day(through.get("finish_date"), "finish_date"),
        )
        stopped = None if finished else _day(through.get("stopped_date"), "stopped_date")
        book.reads.append(Read(started=started, finished=finished, stopped=stopped))
    statuses: list[str] = []
    for shelf in _list(item.get("shelves")):
        identifier = _text(shelf.get("identifier")).lower()
        status = SHELVES.get(identifier) or status_from_shelf(identifier)
        if status:
            statuses.append(status)
        if identifier not in SHELVES and _text(shelf.get("name")).strip():
            book.tags.append(clean_name(_text(shelf["name"])))
    book.status = max(statuses, key=lambda s: STATUS_RANK[s]) if statuses else None
    book.status = book.status or ("read" if any(r.finished for r in book.reads) else "want")
    if book.status == "read" and not book.reads:
        book.reads = [Read()]
    for review in _list(item.get("reviews")):
        if review.get("deleted"):
            continue
        body = html_to_markdown(_text(review.get("content")))
        headline = clean_name(_text(review.get("name"))) or None
        rating = stars(str(review.get("rating") or ""), "rating")
        if rating is not None:
            book.rating = rating
        private = _private(review)
        if book.review is None and (body or headline):
            book.review = Review(
                headline=headline,
                body=body or None,
                written=_day(review.get("published_date"), "review"),
                private=private,
            )
        elif body:
            book.reflections.append(
                Reflection(text=body, date=_day(review.get("published_date"), "review"), private=private)
            )
    for comment in _list(item.get("comments")):
        body = html_to_markdown(_text(comment.get("content")))
        if body and not comment.get("deleted"):
            book.reflections.append(
                Reflection(
                    text=body, date=_day(comment.get("published_date"), "comment"), private=_private(comment)
                )
            )
    for quotation in _list(item.get("quotes")):
        text = html_to_markdown(_text(quotation.get("quote")), escape=False)  # a quote is shown as it is
        if not text or quotation.get("deleted"):
            continue
        quote = Quote(
            text=text,
            note=html_to_markdown(_text(quotation.get("content"))) or None,
            private=_private(quotation),
        )
        position = _text(str(quotation.get("position") or "")).strip()
        if (
            position.isdigit()
            and quotation.get("position_mode", "PG") == "PG"
            and 0 < int(position) <= 100_000
        ):
            quote.page = int(position)
        elif position:
            quote.location = position
        book.quotes.append(quote)
    added = _day(item.get("created_date"), "created_date")
    book.added = added
    source = {"remote_id": _text(item.get("remote_id"))}
    for key in ("openlibrary_key", "inventaire_id", "goodreads_key", "librarything_key", "subtitle"):
        if _text(item.get(key)).strip():
            source[key] = _text(item[key]).strip()
    if _text(edition.get("physical_format")).strip():
        source["format"] = _text(edition["physical_format"]).strip()
    book.extra["source"] = {NAME: {k: v for k, v in source.items() if v}}
    return book
