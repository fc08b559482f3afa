"""A big import's parsing worker writes each book's `[source.<name>]` tables straight (issue 25, goal 3):
an export's columns as one run of strings, and the record of what the import brought
(`[source.<name>.imported]`) with the book's own values in the text their fields' lines were written in,
not written a second time (tomlwrite._source_tables). The same bytes as the general way
(`dumps(book_to_dict(book))`), over odd tables: quotes, `'''`, control characters, CRLF, Unicode, empty
cells, huge values, numbers, lists, tables and empty tables among the strings."""

from __future__ import annotations

from datetime import date
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from readlog import tomlwrite
from readlog.importers import prepare
from readlog.importers.merge import provenance
from readlog.model import Book, Read, Review, book_to_dict
from test_t30a_worker_titles import _HEADER, _row


def _imported_book() -> Book:
    from readlog.importers.goodreads import parse_row

    book = parse_row(dict(zip(_HEADER.split(","), _row("Orchard of Salt (Saga, #2)", 7), strict=True)))
    book.tags = ["fiction", "favourites"]
    provenance(book, "goodreads")
    return book


def test_an_imported_books_source_tables_are_written_straight(monkeypatch) -> None:
    book = _imported_book()
    expected = tomlwrite.dumps(book_to_dict(book))
    written: list[str] = []
    line_text = tomlwrite._line_text

    def counted(key: str, value: Any) -> str | None:
        written.append(key)
        return line_text(key, value)

    def general(*args: Any) -> bool:
        raise AssertionError("an import's source tables written the general way")

    monkeypatch.setattr(tomlwrite, "_line_text", counted)
    monkeypatch.setattr(tomlwrite, "_table_body", general)
    assert tomlwrite.book_text(book) == expected
    # The record's status, rating, tags, added, pages, year and authors are the book's: each written once,
    # at the top (tags and added by `_line_text`); its review fingerprint and readings are its own text.
    # (On bd9166e, the source tables went through `_table_body`, which wrote every value again.) The record's
    # series (held there since t31f) is a list of tables, written again by `_line_text`: only lists of
    # strings reuse the field's line.
    expected_keys = ["tags", "added", "finished", "body", "review", "series", "reads"]
    assert sorted(written) == sorted(expected_keys), written


def test_what_prepare_writes_is_the_general_ways_text() -> None:
    book = _imported_book()
    del book.extra["source"]["goodreads"]["imported"]
    (made,) = prepare([book], "goodreads")
    provenance(book, "goodreads")
    assert made.text == tomlwrite.dumps(book_to_dict(book)).encode()


_TEXT = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["", " ", "'''", "a'", 'q"uote', "back\\slash", "line\r\nbreak", "a\nb", "\x7f", "\x00",
                     "tab\t", "Étranger", "日本語", "🙂", "=\"\"", "x" * 5000]),
)  # fmt: skip
_KEY = st.one_of(st.sampled_from(["Book Id", "Binding", "status", "rating", "tags", "authors", "imported",
                                  "series", "a.b", "ключ", "", "q\"k"]), st.text(max_size=8))  # fmt: skip
_PLAIN = st.one_of(_TEXT, st.integers(), st.floats(allow_nan=False), st.booleans(), st.lists(_TEXT, max_size=3),
                   st.just(date(2020, 1, 2)), st.just([]), st.just({}))  # fmt: skip


_FIELDS = ["status", "rating", "review", "tags", "added", "pages", "year", "authors", "reads", "title"]


def _record(data: st.DataObject, book: Book) -> dict[str, Any]:
    """A record as provenance writes one: the book's own values (the very objects, or equal copies), or
    others, under its fields' names (in any order)."""
    record: dict[str, Any] = {}
    for key in data.draw(st.lists(st.sampled_from(_FIELDS), max_size=len(_FIELDS), unique=True)):
        own = getattr(book, key)
        copy = list(own) if isinstance(own, list) else own
        record[key] = data.draw(st.one_of(st.just(own), st.just(copy), _PLAIN))
    return record


@settings(max_examples=500, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_the_straight_writer_gives_the_general_ways_bytes(data: st.DataObject) -> None:
    book = Book(
        title=data.draw(_TEXT.filter(str.strip)), authors=data.draw(st.lists(_TEXT, min_size=1, max_size=2))
    )
    book.status, book.rating, book.added = "read", data.draw(st.sampled_from([None, 3])), date(2019, 1, 5)
    book.tags, book.year, book.pages = data.draw(st.lists(_TEXT, min_size=1, max_size=3)), 1999, 304
    book.reads = [Read(finished=date(2020, 4, 11))]
    book.review = Review(body=data.draw(_TEXT)) if data.draw(st.booleans()) else None
    tables: dict[Any, Any] = {}
    for name in data.draw(st.lists(_KEY, min_size=1, max_size=2, unique=True)):
        table = data.draw(st.dictionaries(_KEY, _TEXT if data.draw(st.booleans()) else _PLAIN, max_size=6))
        for key in data.draw(st.lists(_KEY, max_size=2, unique=True)):
            table[key] = (
                _record(data, book)
                if data.draw(st.booleans())
                else data.draw(st.one_of(st.dictionaries(_KEY, _PLAIN, max_size=4), st.just({})))
            )
        tables[name] = table
    book.extra = {"source": tables}
    if data.draw(st.booleans()):
        book.extra["z"] = data.draw(st.one_of(_PLAIN, st.dictionaries(_KEY, _TEXT, max_size=2)))
    try:
        text = tomlwrite.book_text(book)
    except TypeError as error:  # (a value TOML cannot hold: the same error either way)
        try:
            tomlwrite.dumps(book_to_dict(book))
        except TypeError as reference:
            assert str(error) == str(reference)
            return
        raise
    if text is not None:
        assert text == tomlwrite.dumps(book_to_dict(book))


# --- the index's traits of a book an import made: kept for the cells they come from -----------------------
def test_rows_that_repeat_a_binding_and_an_average_ask_book_traits_once(monkeypatch) -> None:
    from readlog.index import rows

    rows._traits_json(Book(title="Warm"))  # (book_traits imported and kept)
    asked: list[str] = []
    book_traits = rows._book_traits
    assert book_traits is not None

    def counted(book: Book) -> dict[str, Any] | None:
        asked.append(book.title)
        return book_traits(book)

    monkeypatch.setattr(rows, "_book_traits", counted)
    cells = {"Binding": "Leatherbound (t31a)", "Average Rating": "4.17"}
    texts = [
        rows._traits_json(Book(title=title, extra={"source": {"goodreads": {**cells, "Book Id": title}}}))
        for title in ("One", "Two", "Three")
    ]
    assert texts == ['{"average": 4.17}'] * 3
    assert asked == ["One"]  # (on bd9166e, each row's: ["One", "Two", "Three"])


_CELL = st.one_of(st.none(), _TEXT, st.sampled_from(["Paperback", "Kindle Edition", "Audio CD", "3.9", "4",
                  "-0.0", "5.01", "nan", "inf", "1e0", " 4 "]), st.integers(-1, 6), st.floats(0, 6))  # fmt: skip
_SOURCE = st.sampled_from(["goodreads", "storygraph", "hardcover", "openreads", "librarything", "openlibrary",
                           "bookwyrm", "Binding"])  # fmt: skip


@settings(max_examples=500, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_the_kept_traits_are_book_traits_every_time(data: st.DataObject) -> None:
    import json

    from readlog.index.rows import _traits_json
    from readlog.traits import book_traits

    sources: dict[str, Any] = {}
    for name in data.draw(st.lists(_SOURCE, min_size=0, max_size=2, unique=True)):
        columns = [
            "Binding",
            "Average Rating",
            "Format",
            "Media",
            "book_format",
            "Moods",
            "Pace",
            "work",
            "x",
        ]
        sources[name] = {c: v for c in columns if (v := data.draw(_CELL)) is not None}
    extra: dict[str, Any] = {"source": sources} if data.draw(st.booleans()) or sources else {}
    reads = data.draw(st.lists(st.sampled_from([Read(), Read(format="ebook"), Read(format="")]), max_size=2))
    for _ in range(2):  # (kept the first time, then looked up)
        book = Book(title="Dune", reads=reads, extra=extra)
        traits = book_traits(book)
        assert _traits_json(book) == (json.dumps(traits, ensure_ascii=False) if traits else None)


def test_a_prepared_rows_made_is_sent_as_its_values_alone() -> None:
    import pickle

    from readlog.importers.base import Made

    book = _imported_book()
    del book.extra["source"]["goodreads"]["imported"]
    (made,) = prepare([book], "goodreads")
    sent = pickle.dumps(made, protocol=pickle.HIGHEST_PROTOCOL)
    got = pickle.loads(sent)
    assert type(got) is Made and got == made
    assert b"problems" not in sent  # (on bd9166e, a dict of its values under their names)
