"""Letting everything back out: each format is a function from books to text, chosen from a registry.
Writing the text somewhere (stdout, or a file written atomically) is the caller's step."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from dataclasses import dataclass

from readlog.journal import Entry
from readlog.model import Book, book_to_json, sort_key


@dataclass(frozen=True)
class Exporter:
    name: str
    extension: str
    render: Callable[[list[Entry], bool], str]  # (entries, one book asked for) -> text


def to_json(entries: list[Entry], single: bool) -> str:
    data = [book_to_json(e.book, e.slug) for e in entries]
    return json.dumps(data[0] if single else data, ensure_ascii=False, indent=2) + "\n"


CSV_COLUMNS = ("slug", "title", "authors", "series", "status", "rating", "year", "isbn", "pages", "added",
               "started", "finished", "reads", "tags", "headline")  # fmt: skip


def to_csv(entries: list[Entry], single: bool) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for entry in entries:
        book = entry.book
        last = book.reads[-1] if book.reads else None
        series = f"{book.series['name']} #{book.series.get('number', '')}".rstrip(" #") if book.series else ""
        writer.writerow([
            entry.slug, book.title, "; ".join(book.authors), series, book.status or "",
            "" if book.rating is None else book.rating, "" if book.year is None else book.year,
            book.isbn or "",
            book.pages or "", sort_key(book.added), sort_key(last.started) if last else "",
            sort_key(book.last_finished), len(book.reads), "; ".join(book.tags),
            book.review.headline or "" if book.review else "",
        ])  # fmt: skip
    return out.getvalue()


GOODREADS_COLUMNS = ("Book Id", "Title", "Author", "Additional Authors", "ISBN", "ISBN13", "My Rating",
                     "Number of Pages", "Original Publication Year", "Date Read", "Date Added", "Bookshelves",
                     "Exclusive Shelf", "My Review", "Private Notes", "Read Count")  # fmt: skip
_SHELF = {"want": "to-read", "reading": "currently-reading", "read": "read", "abandoned": "did-not-finish",
          "paused": "paused"}  # fmt: skip


def to_goodreads(entries: list[Entry], single: bool) -> str:
    """Goodreads' own export layout, which its importer reads: whole-star ratings, HTML line breaks."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(GOODREADS_COLUMNS)
    for entry in entries:
        book = entry.book
        source = (
            book.extra.get("source", {}).get("goodreads", {})
            if isinstance(book.extra.get("source"), dict)
            else {}
        )
        isbn10 = book.isbn if book.isbn and len(book.isbn) == 10 else ""
        isbn13 = book.isbn if book.isbn and len(book.isbn) == 13 else ""
        review = book.review.body if book.review and book.review.body else ""
        notes = "\n\n".join(r.text for r in book.reflections)
        finished = book.last_finished
        writer.writerow([
            source.get("Book Id", ""), series_title(book), book.authors[0] if book.authors else "",
            ", ".join(book.authors[1:]), f'="{isbn10}"', f'="{isbn13}"',
            round(book.rating) if book.rating is not None else 0, book.pages or "",
            "" if book.year is None else book.year,
            sort_key(finished).replace("-", "/") if finished and len(sort_key(finished)) == 10 else "",
            sort_key(book.added).replace("-", "/"), ", ".join(book.tags),
            _SHELF.get(book.status or "", "read"),
            review.replace("\n", "<br/>"), notes.replace("\n", "<br/>"), len(book.reads),
        ])  # fmt: skip
    return out.getvalue()


def series_title(book: Book) -> str:
    """The title as Goodreads writes it: `Dune (Dune, #1)`."""
    if not book.series:
        return book.title
    number = f", #{book.series['number']}" if book.series.get("number") else ""
    return f"{book.title} ({book.series['name']}{number})"


def to_markdown(entries: list[Entry], single: bool) -> str:
    """Posts for publishing: private books are left out (one asked for by name is refused)."""
    from readlog.markdown import book_markdown

    if not single:
        entries = [e for e in entries if not e.book.private]
    return "\n\n---\n\n".join(book_markdown(e.book, with_front_matter=not single) for e in entries)


REGISTRY = {
    exporter.name: exporter
    for exporter in (
        Exporter("markdown", "md", to_markdown),
        Exporter("json", "json", to_json),
        Exporter("csv", "csv", to_csv),
        Exporter("goodreads", "csv", to_goodreads),
    )
}
