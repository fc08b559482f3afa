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
from readlog.text import is_name_suffix

NAME = "storygraph"
REQUIRED = ("Title", "Read Status")
_LAST_ROLE = re.compile(r"^(?P<name>.*?)\s*\((?P<role>[^()]*)\)\s*$")
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
    contributors = row.get("Contributors", "")
    if "ranslat" in contributors.lower():  # (most cells name no translator: one scan, no parse)
        translators = list(
            dict.fromkeys(name for name, role in credits(contributors) if "translat" in role.lower())
        )
        if translators:  # `Danusia Stok (Translator)`: as `translators` (Contributors stays in the source)
            book.extra["translators"] = translators
    review = html_to_markdown(row.get("Review", ""))
    if review:
        book.review = Review(body=review)
    source = {k: v for k, v in row.items() if k not in MAPPED and v.strip()}
    book.extra["source"] = {NAME: source}
    return book


def credits(cell: str) -> list[tuple[str, str]]:
    """StoryGraph's `Contributors` as the export says them: each name with its role (the last parenthetical
    of its entry: `Danusia Stok (Translator)`; `""` where none is given), in order, a name and role said
    twice kept once. Entries are split at the commas outside brackets (`Jane Roe (Translator, Editor)` is
    one), and a name's suffix stays with it (`Martin Luther King, Jr. (Translator)`: not a translator
    `Jr.`). A name is kept as written, the book's author too: the export credits an author as translator
    of their own book (Tolstoy, *War and Peace*, 1 row in 327 of a real export) and self-translations are
    real (Nabokov, Beckett): readlog cannot tell which, so it never guesses."""
    entries: list[str] = []
    depth, start = 0, 0
    for at, char in enumerate(cell):
        if char in "([":
            depth += 1
        elif char in ")]":
            depth = max(depth - 1, 0)
        elif char == "," and depth == 0:
            entries.append(cell[start:at])
            start = at + 1
    entries.append(cell[start:])
    out: list[tuple[str, str]] = []
    for entry in entries:
        entry = clean_name(entry)
        if not entry:
            continue
        named = _LAST_ROLE.match(entry)
        name, role = (named["name"], clean_name(named["role"])) if named else (entry, "")
        if out and (is_name_suffix(name) or not name):
            if not name:  # `(Translator)` alone after a name: that name's role
                out[-1] = (out[-1][0], role)
                continue
            name = f"{out[-1][0]}, {name}"  # `King, Jr. (Translator)`: the suffix is the name's
            out[-1] = (name, role or out[-1][1])
            continue
        if name and (name, role) not in out:
            out.append((name, role))
    return out


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
