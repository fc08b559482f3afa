"""Two short ways of an import's worker (issue 25, goal 3), each held to what it stands in for:
- `packed.pack_plain` (marshal for a book's index rows, pickle for anything marshal refuses) gives back
  exactly the value, type for type, as `pack` did, and `index.rows.unpack_rows` reads what `pack_rows` wrote;
- `identity.main_title` answers without its pattern for a title that does not end with a bracket, as
  the pattern does."""

from __future__ import annotations

import enum
import math
import re
from datetime import date
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from readlog import identity
from readlog.index.rows import book_rows, pack_rows, unpack_rows
from readlog.model import Book, Read, Reflection, Review
from readlog.packed import pack, pack_plain, unpack, unpack_plain


class Level(enum.IntEnum):
    HIGH = 3


class Loud(str):
    pass


def _typed(value: Any) -> Any:
    """The value with every type spelled out (True and 1, 0.0 and -0.0, a str and its subclass apart)."""
    if isinstance(value, list | tuple):
        return (type(value).__name__, [_typed(v) for v in value])
    if isinstance(value, float):
        return ("float", math.copysign(1, value), repr(value))
    return (type(value).__name__, repr(value))


VALUES: list[Any] = [
    (), [], "", "a\ud800b", "東京", 0, -1, 2**70, True, False, None, 0.0, -0.0, 1e300, float("nan"), b"x",
    ("title", ["a", ("b", 1, None)], [("q1:dune",)], 4.25),
    Level.HIGH, Loud("loud"), date(2020, 1, 2), ("plain", Level.HIGH), [Loud("x")], {"k": [1]},
]  # fmt: skip


def test_plain_values_come_back_as_they_went() -> None:
    for value in VALUES:
        data = pack_plain(value)
        assert _typed(unpack_plain(data)) == _typed(unpack(pack(value))) == _typed(value), value


def test_what_marshal_refuses_is_pickled() -> None:
    assert pack_plain(("a", 1))[:1] != b"\x80"  # (marshal's)
    for value in (Level.HIGH, Loud("x"), date(2020, 1, 2), ["a", Level.HIGH]):
        assert pack_plain(value)[:1] == b"\x80"  # (pickle's)
        assert _typed(unpack_plain(pack_plain(value))) == _typed(value)


scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(), st.text(), st.binary(max_size=4)
)  # fmt: skip
plain = st.recursive(
    scalars, lambda inner: st.lists(inner, max_size=3) | st.tuples(inner, inner), max_leaves=10
)


@settings(max_examples=300, deadline=None)
@given(plain)
def test_any_plain_value(value: Any) -> None:
    assert _typed(unpack_plain(pack_plain(value))) == _typed(value)


def test_a_books_rows_come_back_whole() -> None:
    book = Book(title="Dune: Part One (Dune #1)", authors=["Frank Herbert"], status="read", rating=4.5)
    book.tags, book.year, book.added = ["sf", "東京"], 1965, date(2020, 1, 2)
    book.reads = [Read(started=date(2020, 1, 3), finished=date(2020, 2, 1))]
    book.review = Review(body="Sand.\n\nMore sand.\n")
    book.reflections = [Reflection("words", date=date(2020, 3, 1))]
    book.extra = {"source": {"goodreads": {"Book Id": "1", "Binding": "Paperback", "Average Rating": "4.2"}}}
    rows = book_rows(book, False)
    again = unpack_rows(pack_rows(rows))
    assert _typed(list(vars(again).values())) == _typed(list(vars(rows).values()))


# --- main_title: the pattern only for a head that ends with a bracket --------------------------------
_SERIES_TAIL = re.compile(r"\s*[(\[][^()\[\]]*[)\]]\s*$")


def _main_title(title: str) -> str:
    """main_title as it was: the pattern tried on every head."""
    head = title.split(":", 1)[0].strip()
    bare = _SERIES_TAIL.sub("", head).strip()
    return bare or head or title


TITLE_PIECES = [
    "Dune",
    " ",
    "\t",
    "\n",
    "\u00a0",
    ":",
    "(",
    ")",
    "[",
    "]",
    "(Dune #1)",
    "[x]",
    "()",
    "#1",
    "é",
]


def test_main_title_as_the_pattern_gives_it() -> None:
    for a in TITLE_PIECES:
        for b in TITLE_PIECES:
            for c in TITLE_PIECES:
                title = a + b + c
                assert identity.main_title(title) == _main_title(title), repr(title)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(TITLE_PIECES), st.text(max_size=4)), max_size=8))
def test_main_title_hypothesis(parts: list[str]) -> None:
    title = "".join(parts)
    assert identity.main_title(title) == _main_title(title)
