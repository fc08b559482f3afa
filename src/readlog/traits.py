"""What an import or `enrich` left in a book's `[source.*]` tables that ranking suggestions can use: the
export's average rating, the edition's format, Open Library's work key (its subjects are in enrich's cache),
and StoryGraph's moods and pace (the reader's own answers after reading). Pure: no I/O.

The index keeps these per book (one JSON column), so `next --suggest` never parses a book file.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from readlog.model import Book

# Where each source writes an edition's format (binding).
FORMAT_COLUMNS = {
    "goodreads": "Binding",
    "storygraph": "Format",
    "hardcover": "Media",
    "openreads": "book_format",
    "librarything": "Media",
}
# Where a source writes the average rating of everyone who rated the book (0-5).
AVERAGE_COLUMNS = {"goodreads": "Average Rating"}
_WORK = re.compile(r"/works/OL\d+W")


@functools.lru_cache(maxsize=4096)  # (an export names a few bindings, over and over: each answer kept)
def book_format(text: str) -> str | None:
    """An edition's binding as one of the journal's formats: `Kindle Edition` -> ebook, `Audio CD` ->
    audiobook, `Mass Market Paperback` -> paperback; None for what says none of them."""
    words = text.casefold()
    if "audio" in words or "audible" in words:
        return "audiobook"
    if any(w in words for w in ("kindle", "ebook", "e-book", "digital", "nook", "kobo", "epub")):
        return "ebook"
    if "hardcover" in words or "hardback" in words or "library binding" in words:
        return "hardcover"
    if "paperback" in words or "softcover" in words or "mass market" in words:
        return "paperback"
    return None


def book_traits(book: Book) -> dict[str, Any] | None:
    """{average, format, work, moods, pace} where the book has them; None when it has none."""
    traits: dict[str, Any] = {}
    sources = book.extra.get("source")
    sources = sources if isinstance(sources, dict) else {}
    read_format = next((r.format for r in reversed(book.reads) if r.format), None)
    if read_format:
        traits["format"] = read_format
    for name, table in sources.items():
        if not isinstance(table, dict):
            continue
        column = FORMAT_COLUMNS.get(name)
        if "format" not in traits and column and isinstance(table.get(column), str):
            found = book_format(table[column])
            if found:
                traits["format"] = found
        column = AVERAGE_COLUMNS.get(name)
        if "average" not in traits and column and isinstance(table.get(column), str | int | float):
            try:
                average = float(table[column])
            except ValueError:
                average = 0.0
            if 0 < average <= 5:
                traits["average"] = average
    openlibrary = sources.get("openlibrary")
    work = openlibrary.get("work") if isinstance(openlibrary, dict) else None
    if isinstance(work, str) and _WORK.fullmatch(work):
        traits["work"] = work
    storygraph = sources.get("storygraph")
    if isinstance(storygraph, dict):
        moods = storygraph.get("Moods")
        if isinstance(moods, str) and moods.strip():
            traits["moods"] = [m.strip() for m in moods.split(",") if m.strip()]
        pace = storygraph.get("Pace")
        if isinstance(pace, str) and pace.strip():
            traits["pace"] = pace.strip()
    return traits or None


def traits_cells(book: Book) -> tuple[str, str | None, str | None] | None:
    """What `book_traits` reads of a book an import made, when that is all it reads: one source table (of
    a service with neither a work, openlibrary, nor moods and pace, storygraph), no reading's format.
    Then (the source's name, its format cell, its average cell: each a string, or None) is its answer's
    every input: an export's rows share a few, and the caller keeps the answer for each (index.rows).
    None for any other book."""
    for read in book.reads:
        if read.format:
            return None
    sources = book.extra.get("source")
    if type(sources) is not dict or len(sources) != 1:
        return None
    ((name, table),) = sources.items()
    if type(name) is not str or type(table) is not dict or name == "openlibrary" or name == "storygraph":
        return None
    column, average = FORMAT_COLUMNS.get(name), AVERAGE_COLUMNS.get(name)
    told = table.get(column) if column else None
    rated = table.get(average) if average else None
    if (told is not None and type(told) is not str) or (rated is not None and type(rated) is not str):
        return None
    return name, told, rated


def keeps_other_reviews(book: Book) -> bool:
    """Whether a source table of the book may keep a review besides the book's own (`edition_reviews`): a
    list of editions, or a service's own review. Most books have neither: they pay for this look only."""
    tables = book.extra.get("source")
    return isinstance(tables, dict) and any(
        isinstance(table, dict) and ("editions" in table or "review" in table) for table in tables.values()
    )


# An edition's keys that do not tell it: its format and ISBN (said first), its review, and the record of its
# row that `readlog merge` keeps with it (importers.merge.PROVENANCE).
_NOT_TOLD = ("format", "isbn", "review", "imported")


def edition_reviews(book: Book, published: bool = False) -> list[tuple[str, str]]:
    """The reviews an export gave other editions of the book, kept with those editions when the book's own
    review is another (importers.merge.join_editions: `[[source.<name>.editions]]`'s `review`), and the
    review a second service's export gave the book, kept in that service's table (`[source.<name>]`'s
    `review`, importers.merge.SOURCE_REVIEW: the book's own review is another service's, or yours): each
    as (what tells the edition, or the service's name; its review), for `show`. `published`: what tells the
    edition is only what an import writes there (its format, its ISBN, the source's id for it), never a
    key added by hand (see privacy.edition_reviews, which decides what of these is published)."""
    tables = book.extra.get("source")
    found: list[tuple[str, str]] = []
    if not isinstance(tables, dict):
        return found
    for name, table in tables.items():
        if isinstance(table, dict) and isinstance(table.get("review"), str):
            found.append((name, table["review"]))
        editions = table.get("editions") if isinstance(table, dict) else None
        for record in editions if isinstance(editions, list) else []:
            if not isinstance(record, dict) or not isinstance(record.get("review"), str):
                continue
            told = [str(record["format"])] if record.get("format") else []
            told += [f"ISBN {record['isbn']}"] if record.get("isbn") else []
            told += [
                f"{name} {k} {v}"
                for k, v in record.items()
                if k not in _NOT_TOLD and (not published or k == _source_id(name))
            ]
            found.append((", ".join(told) or name, record["review"]))
    return found


def _source_id(source: str) -> str | None:
    from readlog.identity import SOURCE_IDS

    return SOURCE_IDS.get(source)
