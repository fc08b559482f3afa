"""docs/ARCHITECTURE.md's recipe for a new book field, followed once with a toy field that exists only here:
`shelf` (where the reader keeps the book: "B7"), registered through `fields.register`, the call that puts
each built-in field in the table. Then everything the recipe says comes for free is checked: the book file
(parsed, validated, written in its place, round trip byte for byte), `show`, the index (`list --json`), the
CSV and JSON exports, an import's merge, and sync's description of a change."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest

from conftest import REPO
from readlog import bookfile, fields
from readlog.fields import BODY, Field
from readlog.model import TEXT, BookSummary

SHELF = Field("shelf", TEXT, csv="shelf", shown=BODY, label="Shelf", listed=True, published="Shelf")


@pytest.fixture
def toy():
    fields.register(SHELF)  # what model does for each built-in (fields.register_built_in)
    try:
        yield SHELF
    finally:
        fields.unregister("shelf")


BOOK = """\
# kept by hand
title = "The Lantern Year"
authors = ["Ines Varga"]
status = "read"
rating = 4
shelf = "B7"  # by the window
mood = "quiet"

[[reads]]
finished = 2024-03-02
"""


def write(books: Path, slug: str, text: str) -> Path:
    books.mkdir(parents=True, exist_ok=True)
    path = books / f"{slug}.toml"
    path.write_text(text)
    return path


def test_the_recipe_names_two_files_and_they_are_the_ones_a_field_lives_in():
    recipe = (REPO / "docs" / "ARCHITECTURE.md").read_text()
    section = recipe[recipe.index("### Recipe: a new book field") :]
    section = re.split(r"\n##", section[4:])[0]
    assert re.findall(r"^\d\. `([^`]+)`", section, flags=re.M) == ["src/readlog/model.py", "tests/"]
    table = (REPO / "src" / "readlog" / "model.py").read_text()
    assert "fields.register_built_in(BUILT_IN)" in table  # through `register`, as the toy goes in


def test_parsed_validated_and_kept_in_its_place_on_a_round_trip(books, toy):
    book = bookfile.parse(BOOK, "lantern.toml")
    assert fields.value(book, toy) == "B7"
    assert "shelf" not in book.extra and book.extra == {"mood": "quiet"}  # a field now, not an unknown key
    assert bookfile.update(BOOK, book) == BOOK  # byte for byte: the comment and the order stay
    book.rating = 5
    assert bookfile.update(BOOK, book) == BOOK.replace("rating = 4", "rating = 5")
    fields.put(book, toy, "C1")
    assert bookfile.update(BOOK, book) == BOOK.replace("rating = 4", "rating = 5").replace(
        '"B7"  #', '"C1"  #'
    )
    # A new file has it after the built-in fields (the table's order), before unknown keys.
    keys = [line.split(" = ")[0] for line in bookfile.dumps(book).splitlines() if " = " in line]
    assert keys[:6] == ["schema", "title", "authors", "status", "rating", "shelf"]
    assert keys.index("shelf") < keys.index("mood")


def test_a_wrong_value_is_refused_naming_the_field_and_its_line(toy):
    from readlog.errors import BookFileError

    with pytest.raises(BookFileError) as error:
        bookfile.parse(BOOK.replace('"B7"', "7"), "lantern.toml")
    assert "shelf" in str(error.value) and error.value.line == 6


def test_without_the_toy_the_same_key_is_an_unknown_one_kept_as_written():
    book = bookfile.parse(BOOK.replace('"B7"', "7"), "lantern.toml")  # no field: no check, nothing lost
    assert book.extra["shelf"] == 7 and not hasattr(book, "shelf")


def test_an_empty_value_is_no_value(toy):
    book = bookfile.parse(BOOK.replace('shelf = "B7"  # by the window\n', ""), "lantern.toml")
    assert fields.value(book, toy) is None and "shelf" not in book.__dict__
    other = bookfile.parse(BOOK.replace('shelf = "B7"  # by the window\n', ""), "lantern.toml")
    assert book == other
    fields.put(other, toy, "B7")
    assert book != other  # books differ by a registered field too


def test_shown_by_show(run, books, toy):
    write(books, "the-lantern-year", BOOK)
    shown = run("show", "the-lantern-year").stdout
    assert "Shelf: B7" in shown
    write(books, "the-lantern-year", BOOK.replace('shelf = "B7"  # by the window\n', ""))
    assert "Shelf" not in run("show", "the-lantern-year").stdout


def test_in_the_index_and_list_json(run, books, toy):
    write(books, "the-lantern-year", BOOK)
    write(books, "stone-weather", 'title = "Stone Weather"\nauthors = ["Pell Marsh"]\nstatus = "want"\n')
    listed = {b["slug"]: b for b in json.loads(run("list", "--json").stdout)}
    assert listed["the-lantern-year"]["shelf"] == "B7"
    assert listed["stone-weather"]["shelf"] is None
    assert list(listed["stone-weather"])[:6] == ["slug", "title", "authors", "status", "rating", "finished"]
    # A hand edit reaches the index like any other.
    write(books, "stone-weather", 'title = "Stone Weather"\nshelf = "A1"\n')
    listed = {b["slug"]: b for b in json.loads(run("list", "--json").stdout)}
    assert listed["stone-weather"]["shelf"] == "A1"


def test_an_index_made_before_the_field_is_made_again(run, books):
    write(books, "the-lantern-year", BOOK)
    assert "shelf" not in json.loads(run("list", "--json").stdout)[0]  # the index exists, without it
    fields.register(SHELF)
    try:
        assert json.loads(run("list", "--json").stdout)[0]["shelf"] == "B7"
    finally:
        fields.unregister("shelf")
    assert "shelf" not in json.loads(run("list", "--json").stdout)[0]


def test_in_the_csv_and_json_exports(run, books, toy):
    write(books, "the-lantern-year", BOOK)
    rows = list(csv.reader(io.StringIO(run("export", "--format", "csv").stdout)))
    header = rows[0]
    assert header[:15] == ["slug", "title", "authors", "series", "status", "rating", "year", "isbn", "pages",
                           "added", "started", "finished", "reads", "tags", "headline"]  # fmt: skip
    assert header[15:] == ["shelf"]  # a new column goes after the ones scripts know
    assert rows[1][15] == "B7"
    exported = json.loads(run("export", "--format", "json").stdout)
    assert exported[0]["shelf"] == "B7"


def test_merged_by_an_import(run, books, toy, tmp_path):
    write(books, "the-lantern-year", BOOK.replace('shelf = "B7"  # by the window\n', ""))
    write(books, "stone-weather", 'title = "Stone Weather"\nauthors = ["Pell Marsh"]\nshelf = "A1"\n')
    export = tmp_path / "books.json"
    export.write_text(
        json.dumps(
            [
                {"title": "The Lantern Year", "authors": ["Ines Varga"], "shelf": "D4"},
                {"title": "Stone Weather", "authors": ["Pell Marsh"], "shelf": "Z9"},
            ]
        )
    )
    run("import", str(export), "--update")
    lantern = bookfile.parse((books / "the-lantern-year.toml").read_text(), "x")
    stone = bookfile.parse((books / "stone-weather.toml").read_text(), "x")
    assert fields.value(lantern, toy) == "D4"  # the book had none: the import's
    assert fields.value(stone, toy) == "A1"  # the reader's own stays
    assert "mood" in (books / "the-lantern-year.toml").read_text()


def test_a_tracked_field_keeps_the_readers_edit_on_update(run, books, tmp_path):
    tracked = Field("shelf", TEXT, tracked=True)
    fields.register(tracked)
    try:
        from readlog.importers.merge import merge_update
        from readlog.importers.merge import tracked as tracked_names

        assert tracked_names()[-1] == "shelf"
        mine = bookfile.parse('title = "A"\nshelf = "B7"\n', "x")
        theirs = bookfile.parse('title = "A"\nshelf = "C1"\n', "x")
        kept: list[str] = []
        merge_update(mine, theirs, None, kept)
        assert fields.value(mine, tracked) == "B7" and kept == ["kept your shelf B7 (export says C1)"]
    finally:
        fields.unregister("shelf")


def test_named_in_syncs_description_of_an_edit(toy):
    from readlog.sync.describe import changes

    old = bookfile.parse(BOOK, "x")
    new = bookfile.parse(BOOK.replace('"B7"', '"C1"'), "x")
    assert [c.past for c in changes(old, new)] == ["edited (shelf)"]


def test_the_index_gives_a_summary_not_a_half_empty_book(run, books):
    from readlog.journal import Journal

    write(books, "the-lantern-year", BOOK.replace("status", 'isbn = "9780306406157"\nprivate = true\nstatus'))
    [entry] = Journal(books.parent).fresh_index().entries()
    assert type(entry.book) is BookSummary
    assert not hasattr(entry.book, "review") and not hasattr(entry.book, "quotes")
    assert (entry.book.isbn, entry.book.private, entry.book.rating) == ("9780306406157", True, 4)


def test_every_field_has_its_column_and_every_builtin_its_attribute():
    from readlog.index.schema import _tables

    columns = _tables()[1]["books"]
    for name, field in fields.FIELDS.items():
        assert name in columns
        assert name in BookSummary.__dataclass_fields__, f"{name}: declare it on BookSummary for typed access"
        declared = BookSummary.__dataclass_fields__[name]
        if name != "title":  # the one a book cannot be without
            empty = declared.default_factory() if field.kind.many else declared.default  # type: ignore[misc]
            assert empty == field.empty, name
    for taken in ("reads", "title", "extra", "activity", "norm_title", "Shelf", "shelf mark", "2nd", ""):
        with pytest.raises(ValueError):  # the file's, the book's or the index's own; not a bare key
            fields.register(Field(taken, TEXT))
    assert "shelf mark" not in fields.FIELDS and "activity" not in fields.FIELDS


def test_a_field_named_like_an_sql_word_is_indexed_all_the_same(run, books):
    order = Field("order", TEXT, listed=True)  # a keyword of SQL: the column's name is quoted
    fields.register(order)
    try:
        write(books, "the-lantern-year", BOOK.replace("mood", 'order = "third"\nmood'))
        assert json.loads(run("list", "--json").stdout)[0]["order"] == "third"
    finally:
        fields.unregister("order")


def test_kept_when_two_books_are_merged(run, books, toy):
    write(books, "the-lantern-year", BOOK.replace('shelf = "B7"  # by the window\n', ""))
    write(books, "lantern-year", 'title = "Lantern Year"\nauthors = ["Ines Varga"]\nshelf = "B7"\n')
    run("merge", "the-lantern-year", "lantern-year")
    kept = bookfile.parse((books / "the-lantern-year.toml").read_text(), "x")
    assert fields.value(kept, toy) == "B7"  # never lost with the trashed file
    write(books, "lantern-year", 'title = "Lantern Year"\nauthors = ["Ines Varga"]\nshelf = "Q2"\n')
    result = run("merge", "the-lantern-year", "lantern-year")
    assert "kept shelf B7 (lantern-year had Q2)" in result.stderr
    kept = bookfile.parse((books / "the-lantern-year.toml").read_text(), "x")
    assert fields.value(kept, toy) == "B7"


def test_published_on_the_sites_book_page(run, books, toy, tmp_path):
    write(books, "the-lantern-year", BOOK.replace('shelf = "B7"', 'shelf = "B7 <left>"'))
    run("site", str(tmp_path / "out"), "--all")
    page = (tmp_path / "out" / "books" / "the-lantern-year.html").read_text()
    assert "<dt>Shelf</dt><dd>B7 &lt;left&gt;</dd>" in page  # escaped like every value the reader wrote
    fields.unregister("shelf")
    try:  # (a new folder: a build keeps the pages whose books and readlog's version are unchanged)
        run("site", str(tmp_path / "out2"), "--all")
        assert "Shelf" not in (tmp_path / "out2" / "books" / "the-lantern-year.html").read_text()
    finally:
        fields.register(SHELF)


def test_a_cold_build_big_enough_for_worker_processes_keeps_the_field(run, books, toy):
    from readlog.index import PARALLEL_FROM

    books.mkdir(parents=True)
    for number in range(PARALLEL_FROM + 1):  # a worker process knows only model's fields
        (books / f"book-{number}.toml").write_text(f'title = "Book {number}"\nshelf = "S{number}"\n')
    listed = json.loads(run("list", "--json", "--sort", "title", "--limit", "3").stdout)
    assert [b["shelf"] for b in listed] == ["S0", "S1", "S10"]
