"""tomlwrite's fast path (issue 25) writes exactly the bytes the plain version wrote: over generated books,
over any data a book file can hold, and for the near misses of its type lookup (subclasses, bool/int,
datetime/date, the inline keys, a table holding only tables)."""

from __future__ import annotations

import enum
import math
import tomllib
from datetime import UTC, date, datetime, time, timedelta, timezone

import pytest
import tomlkit
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import tomlwrite_reference as reference
from readlog import tomlwrite
from readlog.model import book_to_dict
from test_bookfile import books_strategy


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(books_strategy)
def test_a_book_is_written_byte_for_byte_as_before(book):
    data = book_to_dict(book)
    fast = tomlwrite.dumps(data)
    assert fast == reference.dumps(data)
    assert tomlkit.parse(fast).unwrap() == tomllib.loads(fast)  # what tomlkit reads is what tomllib reads


keys = st.one_of(
    st.sampled_from(["title", "series", "a-b_c", "reads", "quotes", "x"]),
    st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=12),
)
scalars = st.one_of(
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=30),
    st.booleans(),
    st.integers(-(2**63), 2**63 - 1),
    st.floats(allow_nan=False, allow_infinity=False),
    st.dates(),
    st.datetimes(),
    st.datetimes(timezones=st.just(timezone(timedelta(hours=2)))),
    st.datetimes(timezones=st.just(UTC)),  # (written `Z`, as tomlkit writes it)
    st.times(),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(keys, inner, max_size=3)),
    max_leaves=12,
)


def _same(read: object, written: object) -> bool:
    """tomllib's reading of `written` (floats compared as floats: -0.0 is 0.0)."""
    if isinstance(written, dict):
        return (
            isinstance(read, dict)
            and read.keys() == written.keys()
            and all(_same(read[k], written[k]) for k in written)
        )
    if isinstance(written, list):
        return (
            isinstance(read, list)
            and len(read) == len(written)
            and all(_same(a, b) for a, b in zip(read, written, strict=True))
        )
    if isinstance(written, float):
        return (
            isinstance(read, float) and math.isclose(read, written, rel_tol=0, abs_tol=0) or read == written
        )
    return type(read) is type(written) and read == written


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.dictionaries(keys, values, max_size=6))
def test_any_data_is_written_as_before(data):
    try:
        expected = reference.dumps(data)
    except TypeError:
        with pytest.raises(TypeError):
            tomlwrite.dumps(data)
        return
    fast = tomlwrite.dumps(data)
    assert fast == expected
    try:
        read = tomllib.loads(fast)
    except tomllib.TOMLDecodeError:
        return  # data TOML cannot hold the way it is laid out (a mixed array of tables): as before
    assert _same(read, data)


class Loud(str):
    pass


class Level(enum.IntEnum):
    HIGH = 3


class Stamp(date):
    pass


NEAR_MISSES = [
    {"title": Loud('a "quoted" title\nover two lines')},  # a str subclass: written as a str
    {"rating": Level.HIGH, "on": True, "off": False, "n": 0},  # an IntEnum is an int; bool is not an int
    {"day": Stamp(2024, 5, 1), "when": datetime(2024, 5, 1, 9, 30), "at": time(7, 5)},
    {"series": {"name": "Saga", "number": 2}},  # inline, not a [series] table
    {"series": [{"name": "A"}, {"name": "B"}]},  # inline, not [[series]]
    {"outer": {"inner": {"k": 1}}},  # a table holding only a table: no [outer] header
    {"empty": {}},  # an empty table keeps its header
    {"mixed": [{"a": 1}, 2]},  # not every item a table: an inline array
    {"weird key": 1, "ünï": 2, "": 3, 'q"k': 4},
    {"reads": [{"started": date(2020, 1, 1), "pauses": [{"from": date(2020, 2, 1)}]}]},
    {"f": 1.0, "g": -0.0, "h": 1e300, "i": 5e-324},
]


@pytest.mark.parametrize("data", NEAR_MISSES)
def test_near_misses_of_the_type_lookup_are_written_as_before(data):
    assert tomlwrite.dumps(data) == reference.dumps(data)


def test_a_value_toml_cannot_hold_is_refused_as_before():
    for data in ({"x": object()}, {"x": [1, {2, 3}]}, {"t": {"x": None}}):
        with pytest.raises(TypeError, match="cannot write"):
            reference.dumps(data)
        with pytest.raises(TypeError, match="cannot write"):
            tomlwrite.dumps(data)


def test_remembered_keys_do_not_change_what_a_later_key_writes():
    # a str subclass key equal to a bare key, then the bare key itself, then a key needing quotes
    assert tomlwrite.dumps({Loud("title"): "a"}) == 'title = "a"\n'
    assert tomlwrite.dumps({"title": "a", "a b": 1}) == 'title = "a"\n"a b" = 1\n'


# Pieces of an inline table's strings (a book's series): what TOML escapes, near misses, non-ASCII.
SERIES_PIECES = ["Dune", "", '"', "\\", "\n", "\t", "\x1f", "\x7f", "\r", "é", "東京", "'''", "#1", "a = b"]


def test_series_tables_written_as_before() -> None:
    for a in SERIES_PIECES:
        for b in SERIES_PIECES:
            for series in (
                [{"name": a, "number": b}],
                [{"name": a}, {"name": b, "number": a}],
                [{a or "k": b}],
            ):
                data = {"title": "t", "series": series}
                assert tomlwrite.dumps(data) == reference.dumps(data), series
    odd = [[{"name": "S", "number": 1}], [{"name": "S"}, "S"], [{}], [{"name": ["S"]}], [{"name": True}],
           [{"name": date(2020, 1, 1)}], [], ["S"]]  # fmt: skip
    for series in odd:
        data = {"series": series}
        assert tomlwrite.dumps(data) == reference.dumps(data), series
