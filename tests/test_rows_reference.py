"""`book_rows` made faster must give every row exactly as before: the reference (rows_reference.py, the
function as it was) against the live one, over the example books, books from bench/generate.py, the cold
build test's books and made-up books whose titles, aliases, authors and picks mix scripts, punctuation,
articles, subtitles and empty parts. Also the pieces made faster on their own: the title keys and the
JSON a field stores."""

from __future__ import annotations

import json
import random
import sys
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import rows_reference as reference
from readlog import bookfile, identity
from readlog.index.rows import book_rows
from readlog.model import Book, Pause, Pick, Progress, Quote, Read, Reflection, Review, _json_dumps

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))


def _same(book: Book, read_only: bool = False) -> None:
    assert book_rows(book, read_only) == reference.book_rows(book, read_only)


def test_example_books() -> None:
    paths = sorted((REPO / "examples" / "journal" / "books").glob("*.toml"))
    assert paths
    for path in paths:
        book = bookfile.parse(path.read_text(encoding="utf-8"), str(path))
        _same(book)
        _same(book, read_only=True)


def test_generated_books() -> None:
    from generate import make_book  # bench/generate.py

    rng = random.Random(7)
    for n in range(300):
        _same(make_book(rng, n), read_only=n % 2 == 0)


def test_cold_build_books() -> None:
    from test_cold_build_rows import _book

    for n in range(0, 1400, 7):
        _same(bookfile.parse(_book(n), f"book-{n}.toml"))


def test_readings_with_and_without_progress() -> None:
    """A reading's latest position (by date, not the last typed) is in the index's readings JSON; a reading
    without progress entries has none."""
    day = date(2021, 3, 1)
    book = Book(title="Dune", pages=400)
    book.reads = [
        Read(started=day),
        Read(
            started=day, progress=[Progress(date(2021, 3, 9), page=90), Progress(date(2021, 3, 5), page=40)]
        ),
        Read(
            started="2020", finished="2020-05", rating=4.5, progress=[Progress(None, percent=12.5, note="n")]
        ),
        Read(started=day, pauses=[Pause(day)], progress=[Progress(day, minutes=30)], format="audiobook"),
    ]
    _same(book)
    assert '"at": {"page": 90, "date": "2021-03-09"}' in book_rows(book, False).book[-6]


def test_repeated_author_in_other_books_keeps_its_own_rows() -> None:
    """A cache of names must not hand one book's name to another: the same name in other cases and
    accents, one after the other."""
    names = ["Émile Zola", "EMILE ZOLA", "Emile Zola", "émile zola ", "Zola, Émile", "Émile Zola"]
    for n, name in enumerate(names):
        book = Book(title=f"Germinal {n}", authors=[name], next=[Pick("Nana", [name, names[n - 1]])])
        _same(book)


TEXT = st.lists(
    st.sampled_from(
        list("aAzZ éÉøßİı'’ʼ`´&,:;-–—()[]#.!?_")
        + [
            "The ",
            "the ",
            "L'",
            "l’",
            "A ",
            "An ",
            ", The",
            ", the",
            ": ",
            " (",
            ")",
            "Book 2",
            "Vol. 3",
            "Part One",
            "graphic novel",
            "Dune",
            "東京",
            "物語",
            "ภาษา",
            "한국",
            "ﬁ",
            "Ⅻ",
            "\u0301",
            "  ",
            "\t",
        ]
    ),
    max_size=12,
).map("".join)


@st.composite
def books(draw: st.DrawFn) -> Book:
    title = draw(TEXT.filter(lambda t: t.strip() != ""))
    book = Book(title=title, authors=draw(st.lists(TEXT, max_size=3)), status=draw(st.sampled_from(
        [None, "read", "want", "reading", "abandoned", "paused"])))  # fmt: skip
    book.tags = draw(st.lists(TEXT, max_size=2))
    aliases = draw(st.one_of(st.none(), TEXT, st.lists(st.one_of(TEXT, st.integers()), max_size=3)))
    if aliases is not None:
        book.extra["aliases"] = aliases
    if draw(st.booleans()):
        book.extra["source"] = {"goodreads": {"book_id": draw(TEXT)}}
    book.isbn = draw(st.sampled_from([None, "9780307455925"]))
    book.added = draw(st.sampled_from([None, date(2020, 1, 2)]))
    book.reads = [Read(started=date(2021, 1, 1), finished=draw(st.sampled_from([None, date(2021, 2, 3)])))
                  for _ in range(draw(st.integers(0, 2)))]  # fmt: skip
    book.next = [Pick(draw(TEXT), draw(st.lists(TEXT, max_size=2)), draw(st.one_of(st.none(), TEXT)))
                 for _ in range(draw(st.integers(0, 2)))]  # fmt: skip
    if draw(st.booleans()):
        book.review = Review(headline=draw(st.one_of(st.none(), TEXT)), body=draw(st.one_of(st.none(), TEXT)))
    book.quotes = [Quote(text=draw(TEXT), page=draw(st.one_of(st.none(), st.integers(1, 9))))
                   for _ in range(draw(st.integers(0, 2)))]  # fmt: skip
    book.reflections = [Reflection(text=draw(TEXT), date=draw(st.sampled_from([None, date(2022, 5, 6)])))
                        for _ in range(draw(st.integers(0, 1)))]  # fmt: skip
    return book


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(books(), st.booleans())
def test_made_up_books(book: Book, read_only: bool) -> None:
    _same(book, read_only)


@settings(max_examples=400, deadline=None)
@given(TEXT, st.lists(TEXT, max_size=3))
def test_title_keys(title: str, aliases: list[str]) -> None:
    # twice: a cached answer must be the first one
    for _ in range(2):
        assert identity.typed_title_key(title) == reference.typed_title_key(title)
        assert identity.title_key(title) == reference.title_key(title)
        assert identity.lookup_keys(title, aliases) == reference.lookup_keys(title, aliases)
        assert identity.stored_title(title) == reference.stored_title(title)
        assert identity.stored_name(title) == reference.stored_name(title)


@pytest.mark.parametrize(
    "value", [[], ["Émile Zola", 'a "quoted" name', "東京\\"], [{"name": "ø", "number": "1"}]]
)
def test_field_json_as_before(value: object) -> None:
    assert _json_dumps(value) == json.dumps(value, ensure_ascii=False)


# Pieces of series tables (model.plain_json_tables): what JSON escapes, near misses, non-ASCII, odd types.
TABLE_PIECES = ["Dune", "", '"', "\\", "\n", "\x1f", "\x7f", "é", "東京", "\u2028", "a b", "#1", "/", "'"]


def test_series_json_pieces() -> None:
    for a in TABLE_PIECES:
        for b in TABLE_PIECES:
            for value in ([{"name": a, "number": b}], [{"name": a}, {"name": b, "number": a}], [{a: b}]):
                assert _json_dumps(value) == json.dumps(value, ensure_ascii=False), value
    odd = [[{"name": "S", "number": 1}], [{"name": "S"}, "S"], [{1: "S"}], [{}], [{}, {"name": None}],
           [{"name": ["S"]}], [{"name": "S", "number": 2.5}], [{"name": True}]]  # fmt: skip
    for value in odd:
        assert _json_dumps(value) == json.dumps(value, ensure_ascii=False), value


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.dictionaries(st.text(max_size=4), st.one_of(st.text(max_size=6), st.integers()), max_size=3))
)
def test_series_json_hypothesis(value: list[dict[str, object]]) -> None:
    assert _json_dumps(value) == json.dumps(value, ensure_ascii=False)


def test_traits_json_remembered_as_written() -> None:
    """The traits' JSON, remembered for repeated traits, is json.dumps' of them every time: numbers that
    compare equal but are written apart (4 and 4.0, 0.0 and -0.0) never share a text."""
    from readlog.index.rows import _traits_json
    from readlog.traits import book_traits

    sources = [
        {"goodreads": {"Average Rating": v, "Binding": b}}
        for v in ("3.9", "4", "4.0", 4, 4.0, "5", "0", "-0.0", "x", "")
        for b in ("Paperback", "Kindle", "")
    ]
    sources += [{"storygraph": {"Moods": "dark, tense", "Pace": "slow", "Format": "audio"}},
                {"openlibrary": {"work": "/works/OL45883W"}, "storygraph": {"Pace": "fast"}},
                {"goodreads": {"Average Rating": 4}, "storygraph": {"Pace": 'a "b"'}}, {}]  # fmt: skip
    for _ in range(2):
        for source in sources:
            for reads in ([], [Read(format="ebook")]):
                book = Book(title="Dune", reads=reads, extra={"source": source})
                traits = book_traits(book)
                expected = json.dumps(traits, ensure_ascii=False) if traits else None
                assert _traits_json(book) == expected, source


def test_registered_fields_set_and_unset() -> None:
    """A field a plugin registers (after the table's stores were looked up once): its column is there,
    stored as before, whether a book has a value or none."""
    from readlog import fields
    from readlog.model import DAY, NAMES, TEXT

    book = Book(title="Known", authors=["Ann Ode"])
    _same(book)  # the stores looked up before the fields exist
    added = [fields.Field("mood", TEXT), fields.Field("bought", DAY), fields.Field("lent_to", NAMES)]
    for field in added:
        fields.register(field)
    try:
        _same(book)
        fields.put(book, added[0], "calm")
        fields.put(book, added[1], date(2020, 3, 4))
        fields.put(book, added[2], ["Ülla", "Bo"])
        assert (
            book_rows(book, False).book
            != reference.book_rows(Book(title="Known", authors=["Ann Ode"]), False).book
        )
        _same(book)
    finally:
        for field in added:
            fields.unregister(field.name)
    _same(Book(title="Known", authors=["Ann Ode"]))


def _loaded_same(data: dict[str, object]) -> None:
    """The live book_from_dict gives the book (or the error) the old one gave."""
    from readlog.errors import ReadlogError
    from readlog.model import book_from_dict

    try:
        expected: object = reference.book_from_dict(data)
    except ReadlogError as error:
        expected = str(error)
    try:
        got: object = book_from_dict(data)
    except ReadlogError as error:
        got = str(error)
    assert got == expected
    if isinstance(got, Book):
        assert got.__dict__ == expected.__dict__  # type: ignore[union-attr]


def test_loaded_books_as_before() -> None:
    import tomllib

    from generate import dumps_fast, make_book

    from test_cold_build_rows import _book

    texts = [p.read_text(encoding="utf-8") for p in (REPO / "examples" / "journal" / "books").glob("*.toml")]
    texts += [_book(n) for n in range(0, 300, 7)]
    rng = random.Random(3)
    texts += [dumps_fast(make_book(rng, n)) for n in range(50)]
    for text in texts:
        _loaded_same(tomllib.loads(text))


@pytest.mark.parametrize(
    "data",
    [
        {"title": "T", "rating": 9, "pages": -1},  # two bad fields: the first in the table's order is named
        {"title": "T", "pages": "x", "rating": 9},
        {"title": "T", "authors": None, "tags": None, "series": None},
        {"title": "T", "author": "A", "authors": ["B"]},
        {"title": "T", "author": "A", "mood": "calm", "private": True},
        {"title": "  T  ", "isbn": "9780307455925", "year": -44, "format": "ebook", "status": "read"},
        {"title": "T", "status": "nope"},
        {"title": "T", "reads": [{"started": "2020-01"}], "slug": "t"},
    ],
)
def test_loaded_edge_cases_as_before(data: dict[str, object]) -> None:
    _loaded_same(data)


def test_loaded_with_registered_fields_as_before() -> None:
    """Fields a plugin registers: an empty value is not kept on the book (fields.put), a set one is."""
    from readlog import fields
    from readlog.model import FLAG, NAMES, TEXT

    added = [fields.Field("mood", TEXT), fields.Field("lent_to", NAMES), fields.Field("signed", FLAG)]
    for field in added:
        fields.register(field)
    try:
        for data in (
            {"title": "T", "mood": "calm", "lent_to": ["Bo"], "signed": True},
            {"title": "T", "mood": "", "lent_to": [], "signed": False},
            {"title": "T", "lent_to": None},
            {"title": "T", "mood": 3},
        ):
            _loaded_same(data)
    finally:
        for field in added:
            fields.unregister(field.name)
    _loaded_same({"title": "T", "mood": "calm"})  # an unknown key again: kept in extra
