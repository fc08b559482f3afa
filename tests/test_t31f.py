"""Session 31, t31f (review 30e F4): `check` called a copy "as its import made it" (the one to drop) though
the reader had changed its title, `private`, `duration`, review headline, `series` or ISBN: the provenance
record did not hold them. It now holds the book's other values (importers.merge._own), and anything a file
holds that no record holds makes the copy the reader's."""

from __future__ import annotations

import copy
import dataclasses
import tomllib
from datetime import date

import pytest

from conftest import snapshot
from readlog import fields, model
from readlog.fields import Field
from readlog.importers.merge import as_imported, provenance
from readlog.model import TEXT, Book, Read, Review, book_from_dict
from readlog.sync.driver import merge_texts
from test_import_export import GR_HEADER, gr_row, write_csv
from test_t27f_import_sync import edited
from test_t30j_backup_and_copies import thinner_copy


# --- through `check`: t29g's Thinner, the copy changed by hand ---------------------------------------------
def _first(text: str, line: str, to: str) -> str:
    assert line in text
    return text.replace(line, to, 1)  # (the book's own line: the record's comes after it)


def _before_tables(text: str, lines: str) -> str:
    return text.replace("\n[", f"\n{lines}\n\n[", 1)


CHANGED_BY_HAND = {
    "title": lambda t: _first(t, 'title = "Thinner"', 'title = "Thinner (Bachman edition)"'),
    "private": lambda t: _before_tables(t, "private = true"),
    "duration": lambda t: _before_tables(t, 'duration = "9:30"'),
    "headline": lambda t: t + '\n[review]\nheadline = "Not his best"\n',
    "series": lambda t: _before_tables(t, 'series = [{name = "Bachman Books", number = "5"}]'),
    "isbn": lambda t: _before_tables(t, 'isbn = "9780451161345"'),
}


@pytest.mark.parametrize("change", list(CHANGED_BY_HAND))
def test_a_copy_the_reader_changed_is_not_as_its_import_made_it(run, books, tmp_path, change):
    """Review 30e F4: each of these on the copy `thinner-bachman` still had `check` say it "is as its import
    made it", so that the suggested merge (or a `rm`) of it lost the reader's change. Near miss: the copy
    untouched (thinner_copy)."""
    path = thinner_copy(run, books, tmp_path)
    path.write_text(CHANGED_BY_HAND[change](path.read_text(encoding="utf-8")), encoding="utf-8")
    checked = run("check").stdout
    assert "readlog merge" in checked and "is as a StoryGraph export's row made it" not in checked, checked


def test_a_record_from_before_vouches_for_no_other_value_and_stays_as_it_is(run, books, tmp_path):
    """A record an older readlog wrote (no `title`: it held none of the book's other values) cannot tell the
    copy's title from the reader's: the copy is not "as its import made it". The same export again, plainly
    or with `--update`, leaves the record as it was (nothing rewritten)."""
    path = thinner_copy(run, books, tmp_path)
    text = path.read_text(encoding="utf-8")
    record = text[text.index("[source.storygraph.imported]") :]
    path.write_text(text.replace(record, _first(record, 'title = "Thinner"\n', "")), encoding="utf-8")
    assert "is as a StoryGraph export's row made it" not in run("check").stdout
    before = snapshot(books)
    export = tmp_path / "s.csv"
    for args in ([], ["--update"], ["--update"]):
        assert " 0 updated" in run("import", str(export), *args).stderr
        assert snapshot(books) == before


# --- --update: the record holds what the book took from the rows ---------------------------------------
def _data(books) -> dict:
    return tomllib.loads((books / "thinner.toml").read_text(encoding="utf-8"))


def _record(books) -> dict:
    return _data(books)["source"]["goodreads"]["imported"]


@pytest.mark.parametrize("retitled", [False, True], ids=["as-imported", "retitled"])
def test_an_update_records_the_title_the_book_kept_never_the_readers(run, books, tmp_path, retitled):
    """A newer export that renamed the row (and rated it): `--update` takes the rating, never the title (the
    book's stays), so the record keeps the title the book took from the first row: the book is still as its
    imports made it. A title the reader gave is no import's: the record never vouches for it."""
    first = gr_row(Book_Id="7", Title="Thinner", Author="Richard Bachman", My_Rating="3")
    run("import", str(write_csv(tmp_path / "a.csv", GR_HEADER, [first])))
    assert _record(books)["title"] == "Thinner" and as_imported(book_from_dict(_data(books)))
    if retitled:
        path = books / "thinner.toml"
        path.write_text(_first(path.read_text(), 'title = "Thinner"', 'title = "Mine"'), encoding="utf-8")
    newer = {**first, "Title": "Thinner: A Novel", "My Rating": "4"}
    newer_csv = write_csv(tmp_path / "b.csv", GR_HEADER, [newer])
    assert " 1 updated" in run("import", "--update", str(newer_csv)).stderr
    book = book_from_dict(_data(books))
    assert (book.rating, book.title) == (4, "Mine" if retitled else "Thinner")
    assert _record(books)["title"] == "Thinner"
    assert as_imported(book) is not retitled
    before = snapshot(books)
    assert " 0 updated" in run("import", "--update", str(newer_csv)).stderr
    assert snapshot(books) == before


# --- every value a book holds: vouched for by the record, or the copy is the reader's ------------------
ROW = {
    "title": "Thinner",
    "authors": ["Richard Bachman"],
    "series": [{"name": "Bachman Books", "number": "5"}],
    "status": "abandoned",
    "rating": 3,
    "tags": ["horror"],
    "year": 1984,
    "isbn": "9780451161345",
    "pages": 309,
    "duration": "9:30",
    "added": date(2019, 12, 2),
    "private": True,  # (a Hardcover row's)
}
# A value of each field other than the row's (a field added to model.BUILT_IN must be given one here).
OTHER = {
    "title": "Thinner (Bachman edition)", "authors": ["Stephen King"], "status": "read", "rating": 4,
    "series": [{"name": "Bachman Books", "number": "4"}], "tags": ["horror", "mine"], "year": 1985,
    "isbn": "9780451161343", "pages": 310, "duration": "9:45", "added": date(2019, 12, 3),
    "why": "a friend said", "priority": 2, "private": False,
}  # fmt: skip
# Each part of the model (a dataclass field of Book, a reading, a review) that no field of fields.FIELDS
# is, changed as a reader (or a look-up) changes it.
PARTS = {
    "Book.reads": lambda b: b.reads.append(Read(finished=date(2021, 5, 1))),
    "Book.next": lambda b: b.next.append(model.Pick("The Long Walk")),
    "Book.review": lambda b: setattr(b, "review", Review(body="Another")),
    "Book.reflections": lambda b: b.reflections.append(model.Reflection("My note")),
    "Book.quotes": lambda b: b.quotes.append(model.Quote("Four legs good.")),
    "Book.read_next": lambda b: setattr(b, "read_next", model.ReadNext(heading="After this")),
    "Book.extra": lambda b: b.extra.update(bought="2020, Oxfam"),
    "Book.extra (a table)": lambda b: b.extra.update(shelf={"room": "study"}),
    "Book.extra (a look-up)": lambda b: b.extra["source"].update(openlibrary={"work": "/works/OL1W"}),
    "Book.extra (a key the row brought)": lambda b: b.extra.pop("translators"),
    "Read.started": lambda b: setattr(b.reads[0], "started", date(2020, 1, 2)),
    "Read.finished": lambda b: setattr(b.reads[0], "finished", date(2020, 1, 9)),
    "Read.stopped": lambda b: setattr(b.reads[0], "stopped", date(2020, 1, 9)),
    "Read.rating": lambda b: setattr(b.reads[0], "rating", 2),
    "Read.format": lambda b: setattr(b.reads[0], "format", "audiobook"),
    "Read.progress": lambda b: b.reads[0].progress.append(model.Progress(page=40)),
    "Read.pauses": lambda b: b.reads[0].pauses.append(model.Pause(paused=date(2020, 1, 4))),
    "Read.extra": lambda b: b.reads[0].extra.update(where="on the train"),
    "Review.headline": lambda b: setattr(b.review, "headline", "Not his best"),
    "Review.written": lambda b: setattr(b.review, "written", date(2020, 1, 9)),
    "Review.body": lambda b: setattr(b.review, "body", "Gripping, then not."),
    "Review.private": lambda b: setattr(b.review, "private", True),
    "Review.extra": lambda b: b.review.extra.update(spoilers=True),
}


def _imported_copy() -> Book:
    """A row as its import made it (every field the row can give, a reading, a review, a translator):
    with the record the import writes."""
    book = Book(**copy.deepcopy(ROW), reads=[Read(stopped=date(2020, 1, 8))], review=Review(body="Gripping."))
    book.extra = {"translators": ["Nobody"], "source": {"hardcover": {"Format": "paperback"}}}
    provenance(book, "hardcover")
    return book


def test_every_field_and_part_of_a_book_is_walked():
    """A field added to fields.FIELDS, or a part to the model, must be given a change above (and is then
    checked below): none can be forgotten."""
    assert set(fields.FIELDS) <= set(OTHER)
    walked = {name.split(" ")[0] for name in PARTS}
    for cls in (Book, Read, Review):
        own = {f.name for f in dataclasses.fields(cls)} - set(fields.FIELDS)
        assert {f"{cls.__name__}.{name}" for name in own} <= walked, cls


@pytest.mark.parametrize("name", ["(none)", *OTHER, *PARTS])
def test_any_change_to_an_imported_copy_makes_it_the_readers(name):
    """Near miss: the copy as its import made it. Any field changed, or any part of the book, and it is no
    longer (a value of the row's another, one the row lacked given, a part written, a reading changed)."""
    book = _imported_copy()
    if name in OTHER:
        fields.put(book, fields.FIELDS[name], copy.deepcopy(OTHER[name]))
    elif name in PARTS:
        PARTS[name](book)
    assert as_imported(book) is (name == "(none)")


def test_a_field_registered_later_is_held_by_the_record_too():
    """A plugin's field (fields.register): the record holds what the row gave; a change makes the copy the
    reader's."""
    shelf = fields.register(Field("shelf", TEXT))
    try:
        book = Book(**copy.deepcopy(ROW))
        fields.put(book, shelf, "B7")
        book.extra = {"source": {"hardcover": {}}}
        provenance(book, "hardcover")
        assert book.extra["source"]["hardcover"]["imported"]["shelf"] == "B7"
        assert as_imported(book)
        fields.put(book, shelf, "C2")
        assert not as_imported(book)
    finally:
        fields.unregister("shelf")


# --- sync: the record goes through a merge as it is ----------------------------------------------------
def test_a_sync_merge_keeps_the_records_other_values():
    text = "\n".join(
        ["schema = 2", 'title = "It"', 'authors = ["Stephen King"]', 'status = "read"', "rating = 4",
         'isbn = "9780450031069"', "added = 2024-01-05", "", "[source.goodreads]", 'Format = "paperback"', "",
         "[source.goodreads.imported]", 'status = "read"', "rating = 4", "added = 2024-01-05", 'title = "It"',
         'isbn = "9780450031069"', 'authors = ["Stephen King"]', ""]
    )  # fmt: skip
    rated = edited(text, "rating = 4", "rating = 5")
    retitled = edited(text, 'title = "It"', 'title = "It (1986)"')
    merged, conflicts = merge_texts(text, rated, retitled, "books/it.toml")
    data = tomllib.loads(merged)
    assert conflicts == [] and (data["rating"], data["title"]) == (5, "It (1986)")
    assert data["source"]["goodreads"]["imported"] == tomllib.loads(text)["source"]["goodreads"]["imported"]
