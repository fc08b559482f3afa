"""An import's row is checked by `model.checked_book` (issue 25, goal 3): it must give exactly what the
round trip it replaced gave, `book_from_dict(book_to_dict(book))`: the same book (every value, its type,
the order of `extra`), or the same error for the first bad value. Compared over every row of the real
exports, bench's rows, and books made of good values, bad values and near misses."""

from __future__ import annotations

import os
import random
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from readlog.errors import InvalidValue
from readlog.importers import detect
from readlog.importers.base import CsvImporter, Row
from readlog.model import (
    Book,
    Pause,
    Pick,
    Progress,
    Quote,
    Read,
    ReadNext,
    Reflection,
    Review,
    book_from_dict,
    book_to_dict,
    checked_book,
)

REPO = Path(__file__).resolve().parents[1]


def _outcome(make: Any) -> str:
    """What a check gives: the book's every value (reprs show 4 from 4.0 and True from 1, and key order),
    or the error it raised."""
    try:
        book = make()
    except InvalidValue as error:
        return f"error {type(error).__name__}: {error} ({error.field})"
    return f"{type(book).__name__} {vars(book)!r}"


def _same(book: Book) -> None:
    old = _outcome(lambda: book_from_dict(book_to_dict(book)))
    assert _outcome(lambda: checked_book(book)) == old


# Values each field is tried with: good ones, the empties book_to_dict leaves out, and bad ones.
VALUES: dict[str, list[Any]] = {
    "title": ["Dune", "  Dune  ", "", " ", None, [], False, 0, "x" * 1001, "x" * 1000, "\ud800", ["Dune"]],
    "authors": [["A"], [], ["", " ", "B"], "A", ["A", 1], None, False, [["A"]], ["x" * 1001], ("A",)],
    "series": [
        [{"name": "S", "number": "1"}],
        [],
        {"name": "S"},
        [{"name": " "}],
        [{"name": "S", "number": 2}],
        [{"name": "S", "number": 2.5}],
        [{"name": "S", "number": True}],
        ["S"],
        None,
        [{"name": "S", "x": 1}],
    ],
    "status": ["read", "READ ", "done", "", None, False, 1, []],
    "rating": [4, 4.0, 3.75, 0, 0.1, 6, "4", True, False, None, float("nan"), 2**70],
    "tags": [["a", "b"], [], ["", "a"], "a", [1], None],
    "year": [1999, -500, 0, 10**6, "1999", True, 1999.0, None, False],
    "isbn": ["9780441172719", "0441172717", "978-0-441-17271-9", "123", 441172717, None, "", False],
    "pages": [300, 0, -1, 100_001, "300", True, None, False],
    "duration": ["5:30", "5:75", "", None, 330],
    "added": [date(2020, 1, 2), "2020-01-02", "2020-13-01", datetime(2020, 1, 2, 3, 4), "today", 2020, None],
    "why": ["because", "", " ", None, 1, "\ud800"],
    "priority": [1, 0, -1, 10**9, "1", None, False, True],
    "private": [True, False, None, 1, "yes"],
}
READS = [
    [Read(finished=date(2020, 1, 1))], [Read()], [Read(started="2019", finished="2019-05")],
    [Read(started="2019-13")], [Read(rating=4.5, format="ebook")], [Read(format="scroll")],
    [Read(finished=date(2020, 1, 1)), Read(stopped=date(2021, 2, 2))], [Read(started=[])],  # type: ignore[arg-type]
    [Read(progress=[Progress(page=3)])], [Read(progress=[Progress()])],
    [Read(pauses=[Pause(date(2020, 1, 2), date(2020, 1, 1))])], [Read(pauses=[Pause(date(2020, 1, 1))])],
    [Read(rating=0)], [Read(stopped="2019-13")], [Read(stopped="2019-02-30", finished="x")],
    [Read(started="x", finished="y", rating=7, format="scroll", stopped="z")], [Read(finished="y", rating=7)],
    [Read(rating=7, format="scroll")], [Read(format="scroll", stopped="z")], [Read(finished=[], stopped=[])],  # type: ignore[arg-type]
    [Read(rating=[], format=[])], [Read(stopped=date(2020, 1, 1), started=date(2021, 1, 1))],  # type: ignore[arg-type]
    [Read(progress=[Progress(page=3)], pauses=[Pause(date(2020, 1, 2), date(2020, 1, 1))], stopped="z")],
    [Read(progress=[Progress(page=-3)], pauses=[Pause(date(2020, 1, 2), date(2020, 1, 1))])],
    [Read(finished="2020"), Read(started="bad")], [Read(progress=[Progress(page=3)], pauses=[Pause(date(2020, 1, 1))])],
    [],
]  # fmt: skip
REVIEWS = [None, Review(), Review(body="Good."), Review(headline="H"), Review(private=True),
           Review(body=""), Review(written=date(2020, 1, 1)), Review(body=3)]  # type: ignore[arg-type]  # fmt: skip
REFLECTIONS = [[], [Reflection("t")], [Reflection("")], [Reflection(None)],  # type: ignore[arg-type]
               [Reflection("t", title=" ", private=True)], [Reflection("t", date="2020-01-01")]]  # type: ignore[arg-type]  # fmt: skip
QUOTES = [[], [Quote("q", page=3)], [Quote("")], [Quote("q", page=0)], [Quote("q", source={})],
          [Quote("q", source=[])], [Quote("q", source={"date": "x"})]]  # type: ignore[arg-type]  # fmt: skip
PICKS = [[], [Pick("P", ["A"])], [Pick(" ")], [Pick("P", [""])], [Pick("P", why="w", added="2020-01-01")]]  # type: ignore[arg-type]  # fmt: skip
READ_NEXT = [None, ReadNext(), ReadNext(" ", "\nintro\n"), ReadNext(heading=1)]  # type: ignore[arg-type]
EXTRAS: list[dict[str, Any]] = [
    {}, {"source": {"goodreads": {"Book Id": "1"}}}, {"note": "x", "source": {"a": {}}, "z": 1},
    {"t": [{"a": 1}], "plain": [], "mixed": [{"a": 1}, 2], "d": {}},
    {"rating": 3}, {"rating": "bad"}, {"slug": "s"}, {"schema": 1}, {"author": "A"}, {"reads": []},
    {"title": "Other"}, {"review": {"body": "b"}}, {"next": [{"title": "N"}]}, {"read_next": {}},
]  # fmt: skip


def test_each_field_alone() -> None:
    for name, values in VALUES.items():
        for value in values:
            book = Book(title="Dune")
            setattr(book, name, value)
            _same(book)


def test_tables_alone() -> None:
    for attribute, values in (("reads", READS), ("review", REVIEWS), ("reflections", REFLECTIONS),
                              ("quotes", QUOTES), ("next", PICKS), ("read_next", READ_NEXT),
                              ("extra", EXTRAS)):  # fmt: skip
        for value in values:
            book = Book(title="Dune")
            setattr(book, attribute, value)
            _same(book)


def _random_book(rng: random.Random) -> Book:
    book = Book(title="Dune")
    for name, values in VALUES.items():
        if rng.random() < 0.5:
            setattr(book, name, rng.choice(values))
    for attribute, values in (("reads", READS), ("review", REVIEWS), ("reflections", REFLECTIONS),
                              ("quotes", QUOTES), ("next", PICKS), ("read_next", READ_NEXT),
                              ("extra", EXTRAS)):  # fmt: skip
        if rng.random() < 0.5:
            setattr(book, attribute, rng.choice(values))
    return book


def test_random_books() -> None:
    """Several bad values at once: the same one is reported (the first in the file's order)."""
    rng = random.Random(25)
    for _ in range(4000):
        _same(_random_book(rng))


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(min_value=0, max_value=2**32))
def test_hypothesis_books(seed: int) -> None:
    _same(_random_book(random.Random(seed)))


def test_not_a_book_or_odd_extra_takes_the_round_trip() -> None:
    class Mine(Book):
        pass

    _same(Mine(title="Dune", rating=4))
    book = Book(title="Dune")
    book.extra = {"a": 1}
    checked = checked_book(book)
    assert checked is not book and checked.extra == {"a": 1} and checked.extra is not book.extra


def test_a_field_undeclared_on_book() -> None:
    from readlog import fields
    from readlog.model import TEXT

    field = fields.register(fields.Field("mood", TEXT))
    try:
        for value in ("calm", "", None, 3):
            book = Book(title="Dune")
            fields.put(book, field, value)
            _same(book)
    finally:
        fields.unregister("mood")


def _rows_of(path: Path) -> list[Book]:
    importer = detect(path)
    if not isinstance(importer, CsvImporter):
        return []
    books = []
    original = importer.parse_row

    def keep(cells: dict[str, str]) -> Book:
        book = original(cells)
        books.append(book)
        return book

    importer.parse_row = keep  # type: ignore[method-assign]
    items = list(importer.read(path))
    assert any(isinstance(item, Row) for item in items)
    return books


@pytest.mark.skipif(not os.environ.get("READLOG_TEST_IMPORTS"), reason="real exports not given")
def test_every_row_of_the_real_exports() -> None:
    folder = Path(os.environ["READLOG_TEST_IMPORTS"])
    seen = 0
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.suffix in (".csv", ".tsv", ".txt"):
            try:
                books = _rows_of(path)
            except Exception:  # noqa: BLE001 (not an export an importer reads)
                continue
            for book in books:
                _same(book)
                seen += 1
    assert seen > 100


def test_bench_rows(tmp_path: Path) -> None:
    import sys

    sys.path.insert(0, str(REPO / "bench"))
    from import_speed import write_export

    export = tmp_path / "gr.csv"
    write_export(export, 400)
    books = _rows_of(export)
    assert len(books) == 400
    for book in books:
        _same(book)


def test_lists_are_copied_as_the_round_trip_copies_them() -> None:
    """A field whose parser hands its value back as it is (a plugin's) gets the dict's copy, not the book's
    own list: the checked book shares no list or table with the row's."""
    from readlog import fields

    field = fields.register(fields.Field("moods", fields.Kind(lambda value, name: value, many=True)))
    try:
        book = Book(title="Dune")
        fields.put(book, field, [{"m": "calm"}, "x"])
        _same(book)
        old, new = book_from_dict(book_to_dict(book)), checked_book(book)
        for checked in (old, new):
            assert checked.moods == book.moods  # type: ignore[attr-defined]
            assert checked.moods is not book.moods  # type: ignore[attr-defined]
            assert checked.moods[0] is not book.moods[0]  # type: ignore[attr-defined]
    finally:
        fields.unregister("moods")


SHELVES = ["read", "to-read", "currently-reading", "did-not-finish", "DNF", "Read", " read ", "to_read",
           "reading-soon", "gave-up-on", "abgebrochen", "lidos", "favourites", "fiction", "", "re-read",
           "paused", "on-hold", "want-to-read", "Lesen", "read_2019", "to-read-soon", "é-read"]  # fmt: skip


def test_shelves_remembered_as_identity_answers_them() -> None:
    from readlog.identity import is_status_shelf, status_from_shelf
    from readlog.importers import goodreads

    for _ in range(2):  # the second time from what was remembered
        for shelf in SHELVES:
            assert goodreads._shelf(shelf) == (status_from_shelf(shelf), is_status_shelf(shelf)), shelf


def test_shelves_remembered_at_most_a_bound() -> None:
    from readlog.importers import goodreads

    bound = goodreads._shelf.cache_info().maxsize
    assert bound is not None
    goodreads._shelf.cache_clear()
    for n in range(bound + 10):
        goodreads._shelf(f"shelf-{n}")
    assert goodreads._shelf.cache_info().currsize == bound
    assert goodreads._shelf("read")[0] == "read" and goodreads._shelf("lidos")[1] is False


def test_a_chunk_leaves_the_collector_as_it_found_it(tmp_path: Path) -> None:
    """_parse_chunk pauses the cyclic collector while it works: on again after it (an error included),
    and still off if the caller had it off."""
    import gc

    from readlog.importers.base import _parse_chunk
    from readlog.importers.goodreads import GoodreadsImporter

    importer = GoodreadsImporter()
    header = ["Book Id", "Title", "Author", "Exclusive Shelf"]
    rows = [(2, ["1", "Dune", "Frank Herbert", "read"]), (3, ["2", "", "X", "read"])]
    assert gc.isenabled()
    parsed = _parse_chunk(importer, header, rows, ready=True)
    assert gc.isenabled() and isinstance(parsed[0], Row) and parsed[0].made is not None
    with pytest.raises(ValueError):
        _parse_chunk(importer, header, [(2, ["1", "Dune"])])  # (cells that do not fit the header)
    assert gc.isenabled()
    gc.disable()
    try:
        _parse_chunk(importer, header, rows)
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_reading_is_checked_field_by_field_only_while_every_field_is_known():
    """model._read_checked copies a reading's fields one by one: a field added to Read later would be left
    out of every imported reading. It knows Read's fields exactly, and a reading holding anything else takes
    the dict's way."""
    import dataclasses

    from readlog import model

    assert {f.name for f in dataclasses.fields(Read)} == model._READ_KEYS
    odd = Read(started="2020")
    odd.where = "on a train"  # type: ignore[attr-defined]
    assert model._read_checked(odd, "reads[1]") == model._read(model._read_dict(odd), "reads[1]")
