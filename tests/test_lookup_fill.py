"""Filling books: the match a look-up settles on, `add --lookup`'s flow (fill, confirm, after_add), and the
rule that nothing the reader typed is ever changed."""

from __future__ import annotations

import tomllib
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import lookup_server as ol
from readlog.actions.books import add_book
from readlog.journal import Journal
from readlog.lookup import client as web
from readlog.lookup import fill
from readlog.lookup.client import Cache, Client, Timing
from readlog.lookup.openlibrary import Found, choose
from readlog.model import Book


@pytest.fixture
def server(monkeypatch):
    yield from ol.serving(monkeypatch)


@pytest.fixture
def session(server, tmp_path) -> Client:
    return Client(
        base_url=server.base, covers_url=server.base, cache=Cache(tmp_path / "http"), timing=Timing(pace=0)
    )


def add_with_lookup(journal: Journal, session: Client, title=None, isbn=None, authors=(), **typed):
    """What `readlog add --lookup` does (in a script: only a clear match fills anything)."""
    result = fill.fill_book(session, title=title, isbn=isbn, author=authors[0] if authors else None)
    found = fill.confirm_match(result, interactive=False, confirm=lambda f: True, pick=lambda c: c[0])
    looked = fill.AddLookup(found, session) if found else None
    year, pages = typed.get("year"), typed.get("pages")
    authors = list(authors)
    if looked is not None:
        title, authors, year, pages, isbn = looked.merge(title, authors, year, pages, isbn)
    cover = looked.fetch_cover if looked is not None else None  # (as `add` does: before the book is written)
    added = add_book(
        journal, title, authors, year=year, pages=pages, isbn=isbn, status="want", before_create=cover
    )
    if looked is not None:
        looked.after_add(journal, added.entry.slug)
    return added.entry


def test_add_isbn_lookup_fills_title_authors_year_pages_cover_and_series(session, journal_home):
    journal = Journal(journal_home)
    entry = add_with_lookup(journal, session, isbn=ol.DUNE)
    data = tomllib.loads(entry.path.read_text())
    assert (data["title"], data["authors"], data["year"], data["pages"], data["isbn"]) == (
        "Dune",
        ["Frank Herbert"],
        1965,
        528,
        ol.DUNE,
    )
    assert data["series"] == [{"name": "Dune Chronicles", "number": "1"}]
    assert (
        data["cover"] == "covers/dune.jpg" and (journal_home / "covers" / "dune.jpg").read_bytes() == ol.JPEG
    )
    source = data["source"]["openlibrary"]
    assert source["filled"] == ["title", "authors", "year", "pages", "series", "cover"]
    assert source["work"] == "/works/OL893415W" and source["fetched"] == date.today()
    assert journal.load("dune").book.extra["cover"] == "covers/dune.jpg"


def test_add_lookup_keeps_what_the_reader_typed(session, journal_home):
    journal = Journal(journal_home)
    entry = add_with_lookup(journal, session, title="dune", isbn=ol.DUNE, authors=("F. Herbert",), pages=99)
    book = journal.load(entry.slug).book
    assert (book.title, book.authors, book.pages, book.year) == ("dune", ["F. Herbert"], 99, 1965)
    assert book.extra["source"]["openlibrary"]["filled"] == ["year", "series", "cover"]


def test_add_lookup_offline_still_adds_what_was_typed(server, session, journal_home):
    server.stop()
    journal = Journal(journal_home)
    with pytest.raises(web.LookupFailed):
        fill.fill_book(session, isbn=ol.DUNE)
    entry = add_book(journal, "Dune", ["Frank Herbert"]).entry
    assert "source" not in entry.path.read_text()


def test_add_lookup_by_title_in_a_script_fills_only_a_clear_match(session, journal_home):
    journal = Journal(journal_home)
    clear = add_with_lookup(journal, session, title="Piranesi", authors=("Susanna Clarke",))
    book = journal.load(clear.slug).book
    assert (book.year, book.pages) == (2020, 272)
    unclear = add_with_lookup(journal, session, title="The Stranger", authors=())
    assert journal.load(unclear.slug).book == Book(title="The Stranger", status="want", added=date.today())


def test_the_confirm_flow_on_a_terminal():
    match = Found("Dune", ["Frank Herbert"], 1965)
    others = [Found("The Stranger", ["Albert Camus"]), Found("The Stranger", ["Harlan Coben"])]
    clear = fill.LookupResult("dune", match, [match])
    unclear = fill.LookupResult("the stranger", None, others)
    asked: list[Found] = []

    def confirm(found: Found) -> bool:
        asked.append(found)
        return False

    assert fill.confirm_match(clear, interactive=True, confirm=confirm, pick=lambda c: c[0]) is None
    assert asked == [match]
    assert fill.confirm_match(clear, interactive=True, confirm=lambda f: True, pick=lambda c: None) is match
    assert fill.confirm_match(unclear, interactive=True, confirm=confirm, pick=lambda c: c[1]) is others[1]
    assert fill.confirm_match(unclear, interactive=False, confirm=confirm, pick=lambda c: c[1]) is None
    assert unclear.ambiguous and not clear.ambiguous


def test_choose_takes_a_clear_winner_among_duplicate_works():
    big = Found("Dune", ["Frank Herbert"], editions=300)
    dup = Found("Dune", ["Frank Herbert"], editions=4)
    assert choose([dup, big], "dune", None) == (big, [dup, big])
    close = Found("Dune", ["Frank Herbert"], editions=200)
    assert choose([close, big], "dune", "herbert")[0] is None
    other = Found("Dune: A Study Guide", ["Someone"], editions=1)
    assert choose([other], "Dune", "Frank Herbert") == (None, [other])
    assert choose([Found("Dune: Deluxe Edition", ["Frank Herbert"])], "dune", None)[0] is not None


_values = st.fixed_dictionaries(
    {},
    optional={
        "authors": st.lists(st.text(min_size=1, max_size=5).filter(str.strip), min_size=1, max_size=2),
        "year": st.integers(-500, 2030),
        "pages": st.integers(1, 5000),
        "isbn": st.just("9780306406157"),
        "series": st.just([{"name": "Mine", "number": "2"}]),
    },
)


@settings(max_examples=60, deadline=None)
@given(typed=_values, has_cover=st.booleans())
def test_a_field_the_reader_filled_is_never_changed(typed, has_cover):
    book = Book(title="T", **typed)
    if has_cover:
        book.extra["cover"] = "my/own.jpg"
    found = Found(
        "Other",
        ["OL Author"],
        1965,
        528,
        "edition",
        ["9780441013593"],
        {"name": "OL", "number": "1"},
        cover_id=1,
        work="/works/OL1W",
    )
    before = {name: getattr(book, name) for name in ("title", *typed)}
    values = fill.values_for(found, fill.ENRICH_FIELDS)
    filled = fill.apply(book, found, values, cover_path="covers/t.jpg", refresh=True)
    assert {name: getattr(book, name) for name in before} == before
    assert book.extra["cover"] == ("my/own.jpg" if has_cover else "covers/t.jpg")
    assert not set(filled) & set(typed)
    assert set(filled) | set(typed) >= {"authors", "year", "pages", "isbn", "series"}


def test_refresh_replaces_only_what_open_library_filled():
    book = Book(title="T", pages=100, year=1999)
    book.extra["source"] = {"openlibrary": {"filled": ["year"]}, "goodreads": {"Book Id": "1"}}
    found = Found("T", year=1965, pages=528)
    assert fill.apply(book, found, fill.values_for(found, ["year", "pages"]), refresh=True) == ["year"]
    assert (book.year, book.pages) == (1965, 100)
    assert book.extra["source"]["goodreads"] == {"Book Id": "1"}
    assert fill.apply(book, Found("T", year=1900), {"year": 1900}) == []  # without refresh: filled already


def test_missing_fields_are_checked():
    assert fill.parse_missing(None) == ["pages", "year", "isbn", "cover"]
    assert fill.parse_missing("Year, cover,year") == ["year", "cover"]
    for bad in ("title", " , ", "pages,colour"):
        with pytest.raises(fill.InvalidValue, match="--missing"):
            fill.parse_missing(bad)


def test_a_cover_is_written_only_as_a_slug_in_the_covers_folder(journal_home: Path):
    from readlog.errors import ReadlogError
    from readlog.lookup import covers

    journal = Journal(journal_home)
    cover = covers.Cover(ol.JPEG, "jpg")
    with journal.locked():
        assert covers.save(journal, "dune", cover) == "covers/dune.jpg"
        with pytest.raises(ReadlogError):
            covers.save(journal, "../escape", cover)
    assert [p.name for p in (journal_home / "covers").iterdir()] == ["dune.jpg"]


@pytest.mark.parametrize("source", ['source = "my library"', '[source]\nopenlibrary = "mine"'])
def test_a_source_key_the_reader_wrote_is_never_replaced(run, server, books, journal_home, source):
    books.mkdir(parents=True)
    text = f'title = "Dune"\nisbn = "{ol.DUNE}"\n{source}\n'
    (books / "dune.toml").write_text(text)
    result = run("enrich", code=1)  # (a book it cannot fill: exit 1, test_s28_lead)
    assert "dune: failed: `source` in this book is not a table" in result.stderr
    assert (books / "dune.toml").read_text() == text
    assert not (journal_home / "covers").exists()
