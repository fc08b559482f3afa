"""The short ways for a plain row (issue 25, goal 3) take readings of full dates too: a StoryGraph or
LibraryThing row's reading starts and finishes (or stops), where a Goodreads row's only finishes. Each is held
to the general way it stands in for, value for value and byte for byte (`model.plain_checked` against
`checked_book`, `tomlwrite.book_text` against `dumps(book_to_dict(book))`), over the near misses of a
reading's shape."""

from __future__ import annotations

import contextlib
import datetime as dt
from datetime import date

from readlog import tomlwrite
from readlog.errors import InvalidValue
from readlog.model import Read, plain_checked
from test_import_plain_rows import _plain, _same_check, _same_text


class Day(date):
    pass


DAY, LATER = date(2021, 5, 14), date(2022, 9, 23)
# Readings the short ways now take: each date a `date`, in any mix.
PLAIN = [
    [Read(started=DAY, finished=LATER)],
    [Read(started=DAY)],
    [Read(started=DAY, stopped=LATER)],
    [Read(stopped=LATER)],
    [Read(started=DAY, finished=LATER, stopped=LATER)],
    [Read(), Read(started=DAY, finished=LATER), Read(finished=DAY)],
]
# Near misses: a date of another type (a partial date, a datetime, a subclass, a number), or a reading
# with anything beside its dates.
NEAR = [
    [Read(started="2021-05", finished=LATER)],
    [Read(started=DAY, stopped="2022")],
    [Read(started=dt.datetime(2021, 5, 14, 9, 30))],
    [Read(stopped=dt.datetime(2021, 5, 14, 9, 30))],
    [Read(started=Day(2021, 5, 14), finished=LATER)],
    [Read(stopped=Day(2021, 5, 14))],
    [Read(started=2021)],  # type: ignore[arg-type]
    [Read(started=[])],  # type: ignore[arg-type]
    [Read(started=DAY, rating=4)],
    [Read(started=DAY, format="ebook")],
    [Read(started=LATER, finished=DAY)],  # backwards: kept as it is (a warning elsewhere), either way
]


def test_readings_of_full_dates_take_the_short_ways() -> None:
    for reads in PLAIN:
        book = _plain()
        book.reads = reads
        assert plain_checked(book) is book, reads  # (the book itself: no round trip)
        assert _same_text(book), reads  # (written straight from the book, the dict's very text)
        _same_check(book)


def test_near_misses_of_a_plain_reading() -> None:
    for reads in [*PLAIN, *NEAR]:
        book = _plain()
        book.reads = reads
        _same_check(book)
        _same_text(book)


def test_a_reading_is_written_in_reads_order() -> None:
    book = _plain()
    book.reads = [Read(started=DAY, finished=LATER, stopped=LATER)]
    text = tomlwrite.book_text(book)
    assert text is not None
    assert "[[reads]]\nstarted = 2021-05-14\nfinished = 2022-09-23\nstopped = 2022-09-23\n" in text


# `extra` beyond one source table: keys of the book's own (a StoryGraph row's `translators`) before its
# tables, and the near misses: a key the file's dict holds already, plain values after a table, a value
# TOML cannot hold, a key to quote, lists of tables, empty ones.
SOURCE = {"storygraph": {"Format": "paperback", "Moods": "dark, tense"}}
EXTRAS = [
    {"translators": ["Danusia Stok"], "source": SOURCE},
    {"translators": ["A", "B"], "aliases": ["Nineteen"], "note": "x", "n": 1, "source": SOURCE},
    {"source": SOURCE, "translators": ["A"]},  # (a plain value after a table: the dict moves it)
    {"translators": ["A"], "source": SOURCE, "more": {"k": "v"}, "list": [{"a": 1}]},
    {"weird key": "v", 'q"k': 1, "": 2, "ünï": 3, "source": SOURCE},
    {"day": date(2020, 1, 1), "empty": [], "none": None, "source": SOURCE},
    {"empty": {}, "source": SOURCE},
    {"mixed": [{"a": 1}, 2], "source": SOURCE},
    {"translators": ["A"]},
    {"text": "two\nlines", "quote": 'a "b"', "source": SOURCE},
    *(
        {key: "x", "source": SOURCE}
        for key in ("title", "reads", "review", "schema", "author", "slug", "next")
    ),
    {"title": {"k": "v"}, "source": SOURCE},
]


def test_an_extra_of_keys_of_its_own() -> None:
    short = 0
    for extra in EXTRAS:
        book = _plain()
        book.reads = [Read(started=DAY, finished=LATER)]
        book.extra = extra
        _same_check(book)
        short += _same_text(book)
        with contextlib.suppress(InvalidValue):  # (`author` beside `authors`: refused, both ways)
            short += plain_checked(book) is book
    assert short >= 10  # (the short ways taken where they may be: not every case the long way)
    book = _plain()
    book.extra = EXTRAS[0]
    assert plain_checked(book) is book
    assert tomlwrite.book_text(book) is not None
