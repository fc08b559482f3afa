"""LibraryThing's and StoryGraph's rows the way Goodreads' go (issue 25, goal 3: the same rule for the other
importers): a big LibraryThing JSON export parsed by worker processes as a big CSV export is, in the file's
order, with the same books and rejects as one process; and a row's book checked with `model.plain_checked`,
the same book (and the same reject) as readlog's full checks give."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from readlog.errors import InvalidValue
from readlog.importers.base import PARALLEL_FROM_BYTES, PreparedRow, Reject, Row
from readlog.importers.common import RowError
from readlog.importers.librarything import (
    LibraryThingJsonImporter,
    LibraryThingTsvImporter,
    _json_book,
)
from readlog.importers.storygraph import StoryGraphImporter
from readlog.importers.storygraph import parse_row as storygraph_row
from readlog.model import book_from_dict, book_to_dict, checked_book

LONG = "x" * 1001  # a title longer than readlog keeps (model.NAME_MAX): parsed, then refused by the checks
_WORDS = [
    "a",
    "catalogue",
    "of",
    "books",
    "read",
    "and",
    "unread,",
    "with",
    "a",
    "review",
    "of",
    "some",
    "length",
    "for",
    "each",
    "one",
]


def _item(n: int) -> dict[str, object]:
    """A book as LibraryThing's JSON export writes one (ids, `lf`/`fl` names, lists, an ISBN object)."""
    item: dict[str, object] = {
        "books_id": str(1000 + n),
        "title": f"Volume {n} of the Catalogue",
        "primaryauthor": f"Writer{n % 13}, Ann",
        "authors": [{"lf": f"Writer{n % 13}, Ann", "fl": f"Ann Writer{n % 13}"}],
        "tags": ["essays", f"shelf {n % 5}"],
        "collections": ["Your library", "Read"] if n % 3 == 0 else ["Your library"],
        "isbn": {"0": "0345497503", "2": "9780345497505"} if n % 4 == 0 else [],
        "date": str(1900 + n % 120),
        "entrydate": f"2020-0{1 + n % 9}-1{n % 10}",
        "pages": f"{100 + n % 700} ",
        "publication": "Press, Paperback",
    }
    if n % 2:
        item["review"] = " ".join(_WORDS[(n + k) % len(_WORDS)] for k in range(150))
        item["rating"] = str(1 + n % 5)
        item["dateread"] = f"2021-0{1 + n % 9}-2{n % 8}"
        if n % 6 == 1:
            item["datestarted"] = f"2021-0{1 + n % 9}-0{1 + n % 8}"  # a reading with its start
    return item


def _export(path: Path, books: int, odd: dict[int, object]) -> dict[str, object]:
    data: dict[str, object] = {str(1000 + n): odd.get(n, _item(n)) for n in range(books)}
    path.write_text(json.dumps(data), encoding="utf-8")
    return data


def _as_before(number: int, key: str, item: object) -> tuple[str, int, object]:
    """What the importer made of an item before it went to workers: the whole round trip, in this process."""
    if not isinstance(item, dict):
        return ("reject", number, (f"book {key}: not a book object", [json.dumps(item)[:200]]))
    try:
        book = book_from_dict(book_to_dict(_json_book(item)))
    except (RowError, InvalidValue) as error:
        return ("reject", number, (f"book {key}: {error}", [json.dumps(item)[:200]]))
    return ("row", number, book)


def _said(item: Row | Reject | object) -> tuple[str, int, object]:
    if isinstance(item, Row):
        return ("row", item.line, item.book)
    assert isinstance(item, Reject), item
    return ("reject", item.line, (item.reason, item.row))


def test_a_big_json_export_is_parsed_by_workers_into_what_one_process_made(tmp_path: Path) -> None:
    odd = {7: ["not", "a", "book"], 900: {**_item(900), "title": ""}, 1400: {**_item(1400), "rating": "11"}}
    odd[1200] = {**_item(1200), "title": LONG}  # made into a book, refused by readlog's checks
    big = tmp_path / "librarything_big.json"
    data = _export(big, 1500, odd)
    assert big.stat().st_size >= PARALLEL_FROM_BYTES  # the workers' path
    items = list(LibraryThingJsonImporter().read(big))
    assert sum(isinstance(i, PreparedRow) for i in items) == 1496  # parsed and prepared by the workers
    assert [_said(i) for i in items] == [_as_before(n, k, v) for n, (k, v) in enumerate(data.items(), 1)]
    assert [i.line for i in items if isinstance(i, Reject)] == [8, 901, 1201, 1401]


def test_a_small_json_export_is_parsed_here_into_the_same(tmp_path: Path) -> None:
    small = tmp_path / "librarything_small.json"
    data = _export(small, 40, {3: 42, 5: {**_item(5), "title": "   "}, 9: {**_item(9), "title": LONG}})
    assert small.stat().st_size < PARALLEL_FROM_BYTES
    items = list(LibraryThingJsonImporter().read(small))
    assert not any(isinstance(i, PreparedRow) for i in items)
    assert [i.line for i in items if isinstance(i, Reject)] == [4, 6, 10]
    assert [_said(i) for i in items] == [_as_before(n, k, v) for n, (k, v) in enumerate(data.items(), 1)]


LT_HEADER = [
    "Book Id",
    "Title",
    "Primary Author",
    "Rating",
    "Collections",
    "Tags",
    "Date Started",
    "Date Read",
]
SG_HEADER = [
    "Title",
    "Authors",
    "Contributors",
    "ISBN/UID",
    "Read Status",
    "Dates Read",
    "Star Rating",
    "Tags",
]


@pytest.mark.parametrize(
    ("importer", "header", "row"),
    [
        (LibraryThingTsvImporter(), LT_HEADER, ["1", "Kraken", "Mieville, China", "4.5", "Read", "", "", ""]),
        (
            LibraryThingTsvImporter(),
            LT_HEADER,
            ["2", "Kraken", "Mieville, China", "", "", "", "2020-01-02", ""],
        ),
        (LibraryThingTsvImporter(), LT_HEADER, ["3", LONG, "Mieville, China", "", "", "", "", ""]),
        (LibraryThingTsvImporter(), LT_HEADER, ["4", "Kraken", "Mieville, China", "", "", "to-read", "", ""]),
        (StoryGraphImporter(), SG_HEADER, ["Emma", "Jane Austen", "", "", "read", "2021/03/04", "3.75", ""]),
        (
            StoryGraphImporter(),
            SG_HEADER,
            ["Emma", "Jane Austen", "A B (Translator)", "", "read", "", "", ""],
        ),
        (
            StoryGraphImporter(),
            SG_HEADER,
            ["Emma", "Jane Austen", "", "", "read", "2021/03/04-2021/04/05", "", ""],
        ),
        (StoryGraphImporter(), SG_HEADER, [LONG, "Jane Austen", "", "", "to-read", "", "", "x, y"]),
    ],
)
def test_a_rows_book_is_what_readlogs_checks_give(importer, header: list[str], row: list[str]) -> None:
    """A plain row's book is kept as made (plain_checked); one with a start date, a translator, or a value
    the checks refuse, takes the full checks: either way the book, or the reject, of `checked_book`."""
    cells = dict(zip(header, row, strict=True))
    made = storygraph_row(cells) if isinstance(importer, StoryGraphImporter) else importer.parse_row(cells)
    try:
        expected: object = ("row", checked_book(made))
    except InvalidValue as error:
        expected = ("reject", str(error))
    got = importer.parse_one(2, row, header)
    assert (("row", got.book) if isinstance(got, Row) else ("reject", got.reason)) == expected  # type: ignore[union-attr]
    if len(row[0 if isinstance(importer, StoryGraphImporter) else 1]) > 1000:
        assert isinstance(got, Reject)
