"""The import's short ways for a plain row (issue 25, goal 3), each against the general way it stands in
for, value for value and byte for byte:
- `model.plain_checked(book)` (a Goodreads row's book kept as parse_row made it) vs `checked_book(book)`;
- `tomlwrite.book_text(book)` (a plain book's file written straight from it) vs `dumps(book_to_dict(book))`;
- `GoodreadsImporter.parse_one` (`fresh_books`) vs the general path (checked_book) over every real export row,
  bench's rows and made-up near misses, and the file text `prepare` makes from each.
Compared over the books test_import_row_checks makes (good values, bad values, near misses) too."""

from __future__ import annotations

import copy
import csv
import os
import pickle
import random
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from readlog import fields, tomlwrite
from readlog.errors import InvalidValue
from readlog.importers import detect, prepare
from readlog.importers.base import CsvImporter, Row
from readlog.importers.goodreads import GoodreadsImporter
from readlog.importers.merge import provenance
from readlog.index.rows import unpack_rows
from readlog.model import (
    TEXT,
    Book,
    Read,
    Reflection,
    Review,
    book_to_dict,
    checked_book,
    plain_checked,
)
from test_import_row_checks import EXTRAS, READS, REFLECTIONS, REVIEWS, VALUES, _random_book

REPO = Path(__file__).resolve().parents[1]


def _outcome(make: Any) -> str:
    try:
        book = make()
    except InvalidValue as error:
        return f"error {type(error).__name__}: {error} ({error.field})"
    return f"{type(book).__name__} {_deep(book)!r}"


def _deep(value: Any) -> Any:
    """Every value with its type and key order (4 and 4.0, True and 1 apart), nested objects opened."""
    if hasattr(value, "__dict__") and not isinstance(value, type):
        return (type(value).__name__, [(k, _deep(v)) for k, v in vars(value).items()])
    if isinstance(value, dict):
        return ("dict", [(k, _deep(v)) for k, v in value.items()])
    if isinstance(value, list):
        return ("list", [_deep(v) for v in value])
    return (type(value).__name__, repr(value))


def _same_check(book: Book) -> None:
    reference = _outcome(lambda: checked_book(copy.deepcopy(book)))
    assert _outcome(lambda: plain_checked(copy.deepcopy(book))) == reference


def _same_text(book: Book) -> bool:
    """book_text is the dict's text, or None; True when it wrote the book itself."""
    try:
        text = tomlwrite.book_text(book)
    except TypeError as error:  # (a value TOML cannot hold: the same error as the dict's way)
        with pytest.raises(TypeError) as reference:
            tomlwrite.dumps(book_to_dict(book))
        assert str(error) == str(reference.value)
        return False
    if text is None:
        return False
    assert text == tomlwrite.dumps(book_to_dict(book))
    return True


def _plain() -> Book:
    book = Book(title="Dune", authors=["Frank Herbert"], status="read", rating=4, tags=["sf"], year=1965)
    book.series = [{"name": "Dune", "number": "1"}]
    book.isbn, book.pages, book.added, book.priority = "9780441172719", 412, date(2020, 1, 2), 3
    book.reads = [Read(), Read(finished=date(2021, 3, 4))]
    book.review = Review(body="Sand.\n\nMore sand.\n")
    book.reflections = [Reflection("private words", private=True)]
    book.extra = {"source": {"goodreads": {"Book Id": "1", "Binding": "Paperback"}}}
    return book


# Near misses of the plain shape: each one value off (a type, a range, a blank, a trim, a key order).
NEAR: list[tuple[str, Any]] = [
    ("title", " Dune"), ("title", "Dune "), ("title", "x" * 1001), ("title", "x" * 1000), ("title", ""),
    ("title", "a\ud800"), ("authors", ["A", " "]), ("authors", ["x" * 1001]), ("authors", ("A",)),
    ("tags", ["a", ""]), ("tags", ["\t"]), ("status", "Read"), ("status", "read "), ("status", "done"),
    ("rating", 4.0), ("rating", 3.75), ("rating", 0), ("rating", 6), ("rating", 0.2), ("rating", True),
    ("rating", 5.25), ("rating", 0.25), ("year", 10_000), ("year", -9999), ("year", True), ("year", 1965.0),
    ("pages", 0), ("pages", 100_001), ("priority", 0), ("priority", 10**9 + 1), ("isbn", "978-0441172719"),
    ("isbn", "9780441172710"), ("isbn", "044117271x"), ("added", "2020-01-02"), ("duration", "1:00"),
    ("why", "w"), ("private", True), ("private", 1),
    ("series", [{"number": "1", "name": "Dune"}]), ("series", [{"name": "Dune", "number": "1" * 21}]),
    ("series", [{"name": "Dune", "number": "1" * 20}]), ("series", [{"name": " ", "number": "1"}]),
    ("series", [{"name": "Dune"}]), ("series", [{"name": "Dune", "number": 1}]),
    ("reads", [Read(finished="2020")]), ("reads", [Read(started=date(2020, 1, 1))]),
    ("reads", [Read(finished=date(2020, 1, 1), rating=4)]), ("reads", [Read(format="ebook")]),
    ("review", Review(body="")), ("review", Review(body="b", private=True)), ("review", Review(headline="h")),
    ("review", Review(body="b\ud800")), ("review", Review()),
    ("reflections", [Reflection(" ")]), ("reflections", [Reflection("t", title="T")]),
    ("reflections", [Reflection("t", private=1)]),  # type: ignore[arg-type]
    ("extra", {}), ("extra", {"source": {}}), ("extra", {"source": [{"a": 1}]}), ("extra", {"note": "x"}),
    ("extra", {"source": {"goodreads": {}}, "z": 1}),
    ("extra", {"source": {"goodreads": {"a": "line\nbreak", "b": 'q"uote', "c": 1.5, "d": [], "e": {}}}}),
]  # fmt: skip


def test_near_misses_of_the_plain_shape() -> None:
    assert plain_checked(_plain()) is not None
    book = _plain()
    assert plain_checked(book) is book  # (the short way is taken for the plain book itself)
    assert _same_text(_plain())
    _same_check(_plain())
    for name, value in NEAR:
        book = _plain()
        setattr(book, name, value)
        _same_check(book)
        _same_text(book)


def test_a_subclass_a_registered_field_an_odd_reading() -> None:
    class Mine(Book):
        pass

    class MyRead(Read):
        pass

    mine = Mine(title="Dune", rating=4)
    _same_check(mine)
    assert tomlwrite.book_text(mine) is None
    book = _plain()
    book.reads = [MyRead(finished=date(2020, 1, 1))]
    _same_check(book)
    assert tomlwrite.book_text(book) is None
    field = fields.register(fields.Field("mood", TEXT))
    try:
        for value in ("calm", None, ""):
            book = _plain()
            fields.put(book, field, value)
            _same_check(book)
            assert tomlwrite.book_text(book) is None
            assert pickle.loads(pickle.dumps(book)) == book
        assert tomlwrite.book_text(_plain()) is None  # (the table is not model's own)
    finally:
        fields.unregister("mood")


def test_the_fields_order_is_models() -> None:
    assert tuple(fields.FIELDS) == tomlwrite._FIELDS


def test_books_of_every_kind() -> None:
    """test_import_row_checks's books (good values, bad ones, near misses, several at once)."""
    rng = random.Random(2525)
    written = 0
    for _ in range(3000):
        book = _random_book(rng)
        _same_check(book)
        written += _same_text(book)
    for name, values in VALUES.items():
        for value in values:
            book = _plain()
            setattr(book, name, value)
            _same_check(book)
            written += _same_text(book)
    for attribute, values in (("reads", READS), ("review", REVIEWS), ("reflections", REFLECTIONS),
                              ("extra", EXTRAS)):  # fmt: skip
        for value in values:
            book = _plain()
            setattr(book, attribute, copy.deepcopy(value))
            _same_check(book)
            written += _same_text(book)
    assert written > 200


def _general(importer: CsvImporter, line: int, cells: list[str], header: list[str]) -> Any:
    general = copy.copy(importer)
    general.fresh_books = False  # type: ignore[misc] # the general path: every book through checked_book
    return general.parse_one(line, cells, header)


def _rows(path: Path) -> tuple[CsvImporter, list[str], list[tuple[int, list[str]]]]:
    importer = detect(path)
    assert isinstance(importer, GoodreadsImporter)
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.reader(handle, skipinitialspace=True)
        header = [cell.strip() for cell in next(reader)]
        rows = [
            (n, [c.strip(" ") for c in row]) for n, row in enumerate(reader, 2) if len(row) == len(header)
        ]
    return importer, header, rows


def _compare_rows(path: Path) -> int:
    importer, header, rows = _rows(path)
    plain = 0
    for line, cells in rows:
        fast = importer.parse_one(line, list(cells), header)
        slow = _general(importer, line, list(cells), header)
        assert _deep(fast) == _deep(slow), (path, line)
        if isinstance(fast, Row) and isinstance(slow, Row):
            [made], [reference] = prepare([fast.book], "goodreads"), prepare([slow.book], "goodreads")
            assert made.text == reference.text
            # (the rows as recorded, value for value and type for type: their packed bytes may differ,
            # marshal marking a string shared or interned as it finds it)
            assert _deep(unpack_rows(made.rows)) == _deep(unpack_rows(reference.rows))  # type: ignore[arg-type]
            assert _deep(fast.book) == _deep(slow.book)
            provenance(fast.book, "goodreads")
            plain += _same_text(fast.book)
    return plain


@pytest.mark.skipif(not os.environ.get("READLOG_TEST_IMPORTS"), reason="real exports not given")
def test_every_goodreads_row_of_the_real_exports() -> None:
    folder = Path(os.environ["READLOG_TEST_IMPORTS"])
    seen = 0
    for path in sorted(folder.rglob("goodreads*.csv")):
        seen += _compare_rows(path)
    assert seen > 100


def test_bench_rows_and_near_misses(tmp_path: Path) -> None:
    import sys

    sys.path.insert(0, str(REPO / "bench"))
    from import_speed import HEADER, write_export

    export = tmp_path / "goodreads_library_export.csv"
    write_export(export, 300)
    assert _compare_rows(export) == 300
    names = HEADER.split(",")
    base = dict.fromkeys(names, "")
    base.update(
        {"Book Id": "1", "Title": "Dune (Dune, #1)", "Author": "Frank Herbert", "Exclusive Shelf": "read"}
    )
    odd: list[dict[str, str]] = [
        {"Title": " Dune  "}, {"Title": "x" * 1001}, {"Title": "x" * 1000}, {"Author": "x" * 1001},
        {"Title": "Dune (S, #" + "1" * 21 + ")"}, {"Title": "Dune (S, #" + "1" * 20 + ")"},
        {"My Rating": "4.0"}, {"My Rating": "3.5"}, {"My Rating": "0"}, {"Number of Pages": "0"},
        {"Bookshelves with positions": "to-read (#0)", "Exclusive Shelf": "to-read"},
        {"Bookshelves with positions": "to-read (#1000000001)", "Exclusive Shelf": "to-read"},
        {"Bookshelves": " , ,fiction", "Exclusive Shelf": "currently-reading"},
        {"Exclusive Shelf": "did-not-finish"}, {"Exclusive Shelf": "My Shelf"}, {"Exclusive Shelf": ""},
        {"My Review": "<b>bold</b> 'quote'''"}, {"My Review": "   "}, {"Private Notes": "<br/><br/>"},
        {"My Review": 'a "quote" and \\ back\x7f'}, {"Private Notes": "note"}, {"Read Count": "3"},
        {"Date Read": "2020/02/30"}, {"ISBN13": '="9780441172719"'}, {"Additional Authors": "A, M.D., B"},
        {"Year Published": "12345"}, {"Original Publication Year": "-44"}, {"Title": "Ａ\u3000(Ｂ, #1)"},
    ]  # fmt: skip
    export = tmp_path / "odd.csv"
    with export.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(names)
        for change in odd:
            writer.writerow([{**base, **change}[name] for name in names])
    _compare_rows(export)


class Text(str):
    """A str subclass (written as a str, through the encoder)."""


def test_one_name_and_one_series_json() -> None:
    """model._json_dumps' short way for a list of one name or one series, as json.dumps writes them."""
    import json

    from readlog.model import _json_dumps

    pieces = ["Dune", "", '"', "\\", "\n", "\x1f", "\x7f", "é", "東京", "\u2028", "'", Text("t")]
    for a in pieces:
        for b in pieces:
            for value in ([a], [{"name": a, "number": b}], [{"number": b, "name": a}], [{"name": a}],
                          [{"name": a, "number": b, "x": a}], [{"name": a, "x": b}]):  # fmt: skip
                assert _json_dumps(value) == json.dumps(value, ensure_ascii=False), value
    for value in ([{"name": "S", "number": 1}], [{"name": None, "number": "1"}], [1], [None], [["a"]]):
        assert _json_dumps(value) == json.dumps(value, ensure_ascii=False), value


def test_breaks_as_before() -> None:
    """common._breaks' short way for paragraphs (two breaks apart) against the loop it stands in for
    (import_reference._breaks, kept verbatim): breaks in runs of one to four, blank paragraphs, spaces,
    tabs and other blanks next to them."""
    import itertools

    import import_reference as reference
    from readlog.importers.common import _BREAK, _breaks

    pieces = ["a", "b c", " ", "\t", "\u00a0", "\n", _BREAK, _BREAK * 2, _BREAK * 3, ""]
    pieces += ["- x", "> q", "| r"]  # (what a break before is plain, unless the text is escaped: session 27)
    for size in range(1, 5):
        for parts in itertools.product(pieces, repeat=size):
            text = "".join(parts)
            for escaped in (False, True):
                assert _breaks(text, escaped) == reference._breaks(text, escaped), text
    rng = random.Random(5)
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 14)))
        for escaped in (False, True):
            assert _breaks(text, escaped) == reference._breaks(text, escaped), text


def test_remembered_cells_as_computed() -> None:
    """goodreads' remembered cell readers give what the functions give, a refused cell refused every time."""
    from readlog.importers import common, goodreads

    cells = ["", " ", "0", "4", "4.0", "3.5", "2.3", "6", "-1", "x", "1e3", "nan", "2019/01/05", "2019-1-5",
             "2019/02/30", "5/1/2019", " 2019/01/05 ", "100000", "100001", "12.0", "12.5"]  # fmt: skip
    readers: list[tuple[Any, Any, tuple[Any, ...]]] = [
        (goodreads._date, common.slash_date, ("Date Read",)),
        (goodreads._stars, common.stars, ("My Rating",)),
        (goodreads._whole, common.whole, ("Number of Pages", 1, 100_000)),
    ]
    for remembered, plain, rest in readers:
        for cell in cells * 2:  # (the second time from memory)
            expected = _outcome_of(lambda: plain(cell, *rest))  # noqa: B023
            assert _outcome_of(lambda: remembered(cell, *rest)) == expected, cell  # noqa: B023


def _outcome_of(make: Any) -> str:
    try:
        value = make()
    except Exception as error:  # noqa: BLE001 (the error is what is compared)
        return f"error {type(error).__name__}: {error}"
    return f"{type(value).__name__} {value!r}"
