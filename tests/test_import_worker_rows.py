"""What a big import's parsing workers make of a book for the index, and how the recorder takes it (issue 25,
goal 3): the readings' JSON written without the encoder, the rows packed as a tuple, and the recorder's
pause of the garbage collector. Each the same rows as before (tests/rows_reference.py)."""

from __future__ import annotations

import gc
import os
from datetime import date
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

import rows_reference as reference
from readlog.index import Index, book_rows
from readlog.index.rows import pack_rows, unpack_rows
from readlog.model import Book, Progress, Quote, Read, Review

_DAYS = st.one_of(
    st.none(), st.dates(date(1900, 1, 1), date(2100, 12, 31)), st.sampled_from(["2019", "2019-05"])
)
_RATINGS = st.one_of(st.none(), st.integers(1, 5), st.sampled_from([0.5, 4.5, 3.75, 4.0]))
_READS = st.builds(
    Read,
    started=_DAYS,
    finished=_DAYS,
    rating=_RATINGS,
    format=st.one_of(st.none(), st.sampled_from(["ebook", 'a "b"'])),
    stopped=_DAYS,
    progress=st.one_of(st.just([]), st.just([Progress(date(2021, 3, 9), page=90)])),
)


@settings(max_examples=300)
@given(st.lists(_READS, max_size=4))
def test_readings_json_as_the_encoder_writes_it(reads: list[Read]) -> None:
    """Whole dates and ratings (the fast way) mixed with partial dates, half stars, formats and progress
    (the encoder's way): the books row's readings column is the reference's, character for character."""
    book = Book(title="Dune", authors=["Frank Herbert"], pages=412, reads=reads)
    assert book_rows(book, False) == reference.book_rows(book, False)


def _rich_book() -> Book:
    book = Book(title="Dune", authors=["Frank Herbert"], tags=["sf"], pages=412, status="read")
    book.reads = [Read(finished=date(2020, 3, 4), rating=5), Read(started="2021", stopped=date(2021, 5, 1))]
    book.review = Review(body="Sand, and more sand.")
    book.quotes = [Quote(text="Fear is the mind-killer.", page=8)]
    book.extra["source"] = {
        "goodreads": {"Book Id": "234225", "Binding": "Paperback", "Average Rating": "4.3"}
    }
    return book


def test_packed_rows_come_back_as_made() -> None:
    """What a worker sends (pack_rows) is unpacked as the very rows, each list in its place."""
    rows = book_rows(_rich_book(), False)
    again = unpack_rows(pack_rows(rows))
    assert again == rows
    assert again.keys == rows.keys and again.moments == rows.moments and again.parts == rows.parts


def _index(tmp_path: Path) -> tuple[Index, list[tuple[str, str, bytes]]]:
    books = tmp_path / "books"
    books.mkdir()
    written = []
    for n in range(3):
        path = books / f"dune-{n}.toml"
        path.write_text(f'title = "Dune {n}"\n', encoding="utf-8")
        written.append((f"dune-{n}", str(path), pack_rows(book_rows(_rich_book(), False))))
    return Index(books, lambda slug: _rich_book(), tmp_path / "index.sqlite"), written


def test_the_recorder_leaves_the_garbage_collector_as_it_found_it(tmp_path: Path) -> None:
    """The collector is paused while packed rows are written, and back as it was after: on when it was on,
    still off when the caller had paused it."""
    index, written = _index(tmp_path)
    was = gc.isenabled()
    try:
        gc.enable()
        index.record(written[:1])
        assert gc.isenabled()
        gc.disable()
        index.record(written[1:])
        assert not gc.isenabled()
    finally:
        if was:
            gc.enable()
    slugs = [row[0] for row in index.db.execute("SELECT slug FROM books ORDER BY slug")]
    assert slugs == ["dune-0", "dune-1", "dune-2"]
    assert index.db.execute("SELECT count(*) FROM book_keys").fetchone()[0] == 3 * len(
        book_rows(_rich_book(), False).keys
    )
    assert os.path.exists(tmp_path / "index.sqlite")
