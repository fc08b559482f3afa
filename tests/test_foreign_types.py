"""Every importer survives every JSON type and every SQLite storage class in every field it reads (issue 21,
item 8): a property test per importer over its field list. A field may hold null, a boolean, a whole number
(5,000 digits too), a float (NaN and infinities too), text, a list or an object; a Kobo column may hold NULL,
INTEGER, REAL, TEXT or BLOB. Whatever the file holds, `import --dry-run` ends with a report (exit 0) or one
line (exit 1): never a traceback."""

from __future__ import annotations

import copy
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from readlog.cli import app

HUGE = "9" * 5000
_HUGE_MARK = "\x00huge\x00"

leaves = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.just(_HUGE_MARK)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=12)
    | st.sampled_from(["", " ", "2024-01-02", "2024-13-45", "5", "-1", "1e308", "NaN", "<p>x</p>"])
)
json_values = st.recursive(
    leaves,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=6,
)


def dumps(value: Any) -> str:
    """JSON text, where the huge marker becomes a number of 5,000 digits (json.dumps cannot write one)."""
    return json.dumps(value, allow_nan=True).replace(json.dumps(_HUGE_MARK), HUGE)


def put(record: Any, path: tuple[Any, ...], value: Any) -> Any:
    """`record` with the field at `path` set to `value` (made where missing)."""
    record = copy.deepcopy(record)
    target = record
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    return record


# --- the importers, each with a sound record and the fields it reads ---------------------------------------
BOOKWYRM_BOOK = {
    "title": "The Salt Road",
    "created_date": "2024-01-02T10:00:00.000Z",
    "remote_id": "https://books.example/book/1",
    "openlibrary_key": "OL1M",
    "series": "Coast Paths",
    "series_number": "2",
    "subtitle": "a walking book",
    "edition": {"isbn_13": "9780441172719", "isbn_10": "", "pages": 288, "physical_format": "Paperback"},
    "authors": [{"name": "Nell Arden"}],
    "readthroughs": [{"start_date": "2024-01-03T00:00:00Z", "finish_date": "2024-01-20T00:00:00Z"}],
    "shelves": [{"identifier": "read", "name": "Read"}],
    "reviews": [{"name": "Good", "content": "<p>Yes.</p>", "rating": "4.50", "published_date": "2024-01-21",
                 "privacy": "public", "deleted": False}],
    "comments": [{"content": "<p>Chapter three.</p>", "published_date": "2024-06-05", "privacy": "public"}],
    "quotes": [{"quote": "<p>The road.</p>", "content": "<p>card</p>", "position": "112",
                "position_mode": "PG", "privacy": "public"}],
}  # fmt: skip
BOOKWYRM_FIELDS = [
    ("title",), ("created_date",), ("remote_id",), ("openlibrary_key",), ("series",), ("series_number",),
    ("subtitle",), ("edition",), ("edition", "isbn_13"), ("edition", "isbn_10"), ("edition", "pages"),
    ("edition", "physical_format"), ("authors",), ("authors", 0), ("authors", 0, "name"), ("readthroughs",),
    ("readthroughs", 0, "start_date"), ("readthroughs", 0, "finish_date"), ("readthroughs", 0, "stopped_date"),
    ("shelves",), ("shelves", 0, "identifier"), ("shelves", 0, "name"), ("reviews",), ("reviews", 0, "name"),
    ("reviews", 0, "content"), ("reviews", 0, "rating"), ("reviews", 0, "published_date"),
    ("reviews", 0, "privacy"), ("reviews", 0, "deleted"), ("comments", 0, "content"),
    ("comments", 0, "privacy"), ("comments", 0, "published_date"), ("quotes", 0, "quote"),
    ("quotes", 0, "content"), ("quotes", 0, "position"), ("quotes", 0, "position_mode"),
    ("quotes", 0, "privacy"), ("quotes", 0, "deleted"),
]  # fmt: skip

LIBRARYTHING_BOOK = {
    "books_id": "1", "title": "T", "authors": [{"lf": "Walker, Ada", "fl": "Ada Walker"}],
    "primaryauthor": "Walker, Ada", "rating": 4, "review": "good", "privatecomment": "mine",
    "datestarted": "2024-01-01", "dateread": "2024-01-20", "datefinished": "2024-01-20", "tags": ["a"],
    "collections": ["Your library"], "pages": "300", "date": "1999", "entrydate": "2024-01-01",
    "isbn": {"0": "9780441172719"}, "originalisbn": "9780441172719",
}  # fmt: skip
LIBRARYTHING_FIELDS = [(k,) for k in LIBRARYTHING_BOOK] + [
    ("authors", 0), ("authors", 0, "lf"), ("authors", 0, "fl"), ("tags", 0), ("collections", 0), ("isbn", "0"),
]  # fmt: skip

READLOG_BOOK = {
    "slug": "t", "title": "T", "authors": ["Ada Walker"], "status": "read", "rating": 4, "tags": ["x"],
    "series": [{"name": "S", "number": "1"}], "year": 1999, "isbn": "9780441172719", "pages": 300,
    "duration": "10:12", "added": "2024-01-01", "why": "w", "priority": 1, "private": False,
    "reads": [{"started": "2024-01-01", "finished": "2024-01-20", "rating": 4, "format": "audiobook",
               "progress": [{"date": "2024-01-05", "page": 10, "note": "n"}]}],
    "review": {"headline": "h", "body": "b", "written": "2024-01-21", "private": False},
    "reflections": [{"date": "2024-01-02", "text": "r", "private": False}],
    "quotes": [{"text": "q", "page": 3, "location": "l", "note": "n", "private": False}],
    "next": [{"title": "N", "authors": ["A"], "why": "w", "added": "2024-01-01"}],
}  # fmt: skip
READLOG_FIELDS = [(k,) for k in READLOG_BOOK] + [
    ("authors", 0), ("tags", 0), ("series", 0), ("series", 0, "name"), ("series", 0, "number"),
    *[("reads", 0, k) for k in ("started", "finished", "rating", "format", "progress")],
    *[("reads", 0, "progress", 0, k) for k in ("date", "page", "percent", "minutes", "note")],
    *[("review", k) for k in ("headline", "body", "written", "private")],
    *[("reflections", 0, k) for k in ("date", "text", "private")],
    *[("quotes", 0, k) for k in ("text", "page", "location", "note", "private")],
    *[("next", 0, k) for k in ("title", "authors", "why", "added")],
]  # fmt: skip

KOREADER_DOC = {
    "title": "Lanterns", "author": "Odile Fen",
    "entries": [{"text": "Light is a rumour.", "note": "so", "page": 12, "time": 1703262453,
                 "chapter": "Two", "sort": "highlight"}],
}  # fmt: skip
KOREADER_FIELDS = [("title",), ("author",), ("entries",), ("entries", 0)] + [
    ("entries", 0, k) for k in ("text", "note", "page", "time", "chapter", "sort")
]  # fmt: skip

JSON_CASES = {
    "bookwyrm-json": ({"user": {"username": "r"}, "books": [BOOKWYRM_BOOK]}, [("books", 0, *f) for f in BOOKWYRM_FIELDS]),
    "librarything-json": ({"1": LIBRARYTHING_BOOK}, [("1", *f) for f in LIBRARYTHING_FIELDS]),
    "readlog-json": ([READLOG_BOOK], [(0, *f) for f in READLOG_FIELDS]),
    "koreader": ({"documents": [KOREADER_DOC]}, [("documents", 0, *f) for f in KOREADER_FIELDS]),
}  # fmt: skip

SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def import_dry_run(path: Path, fmt: str | None) -> None:
    args = ["import", str(path), "--dry-run"] + (["--from", fmt] if fmt else [])
    result = CliRunner().invoke(app, args)
    assert result.exit_code in (0, 1), (result.exit_code, result.output, result.exception)
    if result.exception is not None:
        assert isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output


def test_the_sound_records_import(tmp_path):
    """The starting points are sound: each imports one book (or its highlights) before any field is bent."""
    for name, (record, _) in JSON_CASES.items():
        path = tmp_path / f"{name}.json"
        path.write_text(dumps(record))
        result = CliRunner().invoke(app, ["import", str(path), "--dry-run"])
        assert result.exit_code == 0, (name, result.output)


@pytest.mark.parametrize("name", sorted(JSON_CASES))
@SETTINGS
@given(data=st.data())
def test_every_field_of_every_json_importer_takes_every_json_type(name, data, tmp_path_factory):
    record, fields = JSON_CASES[name]
    chosen = data.draw(st.lists(st.sampled_from(fields), min_size=1, max_size=3, unique=True))
    for path in chosen:
        try:
            record = put(record, path, data.draw(json_values))
        except (KeyError, IndexError, TypeError):
            continue  # an earlier change made this field's parent something else: that is tested too
    folder = tmp_path_factory.mktemp(name)
    file = folder / "export.json"
    file.write_text(dumps(record))
    import_dry_run(file, None if name in ("koreader", "readlog-json") else name)


@pytest.mark.parametrize("name", sorted(JSON_CASES))
def test_a_number_of_5000_digits_in_any_field_is_one_line_at_most(name, tmp_path):
    record, fields = JSON_CASES[name]
    for number, path in enumerate(fields):
        file = tmp_path / f"{number}.json"
        file.write_text(dumps(put(record, path, _HUGE_MARK)))
        import_dry_run(file, None if name in ("koreader", "readlog-json") else name)


# --- Kobo: every SQLite storage class in every column it reads ----------------------------------------------
KOBO_COLUMNS = {
    "Bookmark": ["BookmarkID", "VolumeID", "ContentID", "Text", "Annotation", "DateCreated", "ChapterProgress",
                 "Hidden", "Type"],
    "content": ["ContentID", "ContentType", "Title", "Attribution", "VolumeIndex"],
}  # fmt: skip
sqlite_values = (
    st.none()
    | st.integers(min_value=-(2**63), max_value=2**63 - 1)
    | st.floats(allow_nan=False)
    | st.text(max_size=12)
    | st.binary(max_size=12)
    | st.sampled_from([b"\xff\xfe not utf-8", "2024-01-02T10:00:00", "true", 1e308, -1.5, "book1"])
)


def make_kobo(path: Path, bookmark: dict[str, Any], book: dict[str, Any]) -> Path:
    db = sqlite3.connect(path)
    db.execute(f"CREATE TABLE content ({', '.join(KOBO_COLUMNS['content'])})")  # no types: any class goes
    db.execute(f"CREATE TABLE Bookmark ({', '.join(KOBO_COLUMNS['Bookmark'])})")
    row = {"ContentID": "book1", "ContentType": 6, "Title": "Lanterns", "Attribution": "Odile Fen",
           "VolumeIndex": None, **book}  # fmt: skip
    db.execute("INSERT INTO content VALUES (?, ?, ?, ?, ?)", [row[c] for c in KOBO_COLUMNS["content"]])
    mark = {"BookmarkID": "b1", "VolumeID": "book1", "ContentID": "book1", "Text": "Light is a rumour.",
            "Annotation": "so true", "DateCreated": "2024-12-22T18:27:33", "ChapterProgress": 0.5,
            "Hidden": "false", "Type": "highlight", **bookmark}  # fmt: skip
    db.execute(
        "INSERT INTO Bookmark VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", [mark[c] for c in KOBO_COLUMNS["Bookmark"]]
    )
    db.commit()
    db.close()
    return path


@SETTINGS
@given(
    bookmark=st.dictionaries(st.sampled_from(KOBO_COLUMNS["Bookmark"]), sqlite_values, max_size=4),
    book=st.dictionaries(st.sampled_from(KOBO_COLUMNS["content"]), sqlite_values, max_size=3),
)
def test_every_kobo_column_takes_every_storage_class(bookmark, book, tmp_path_factory):
    path = make_kobo(tmp_path_factory.mktemp("kobo") / "KoboReader.sqlite", bookmark, book)
    import_dry_run(path, None)


def test_a_kobo_highlight_stored_as_a_blob_is_read_as_text(tmp_path, run):
    path = make_kobo(tmp_path / "KoboReader.sqlite", {"Text": b"Light as a blob."}, {})
    result = run("import", str(path), "--create", "read")
    assert "Traceback" not in result.output
    from readlog.journal import Journal

    journal = Journal(tmp_path / "journal")
    (slug,) = journal.slugs()
    assert [q.text for q in journal.load(slug).book.quotes] == ["Light as a blob."]


def test_a_kobo_bookmark_that_is_a_recursive_view_is_refused_without_running_it(tmp_path):
    path = tmp_path / "KoboReader.sqlite"
    db = sqlite3.connect(path)
    db.execute(f"CREATE TABLE content ({', '.join(KOBO_COLUMNS['content'])})")
    db.execute(
        "CREATE VIEW Bookmark AS WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) "
        "SELECT n AS BookmarkID, n AS VolumeID, n AS ContentID, 'x' AS Text, NULL AS Annotation, "
        "NULL AS DateCreated, 0 AS ChapterProgress, 'false' AS Hidden, 'highlight' AS Type FROM r"
    )
    db.commit()
    db.close()
    result = CliRunner().invoke(app, ["import", str(path), "--dry-run"])
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Bookmark" in result.output and "view" in result.output


def test_every_statement_on_a_foreign_database_is_bounded():
    """The bound itself, on a query that would never end: it is stopped, not waited for."""
    from readlog.highlights import kobo

    db = sqlite3.connect(":memory:")
    kobo._bounded(db, 0.2)
    with pytest.raises(sqlite3.OperationalError, match="interrupted"):
        db.execute(
            "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT count(*) FROM r"
        ).fetchall()


@pytest.mark.parametrize("fmt", [None, "librarything-json"])
def test_a_librarything_author_given_as_a_number_is_no_author(tmp_path, fmt):
    path = tmp_path / "librarything.json"
    path.write_text('{"1":{"books_id":"1","title":"T","authors":[{"fl":7}]}}')
    import_dry_run(path, fmt)
    bare = tmp_path / "bare.json"
    bare.write_text('{"1":{"title":"T","authors":[{"fl":7}]}}')
    import_dry_run(bare, fmt)


# --- CSV and TSV exports: every column holds text, and a number of 5,000 digits in any of them -----------------
FIXTURES = Path(__file__).parent / "fixtures" / "imports"
STORYGRAPH = (
    "Title,Authors,Contributors,ISBN/UID,Format,Read Status,Date Added,Last Date Read,Dates Read,Read Count,"
    "Moods,Pace,Character- or Plot-Driven?,Strong Character Development?,Loveable Characters?,"
    "Diverse Characters?,Flawed Characters?,Star Rating,Review,Content Warnings,Content Warning Description,"
    "Tags,Owned?\n"
    "The Salt Road,Nell Arden,,9780441172719,paperback,read,2024/01/02,2024/01/20,2024/01/03-2024/01/20,1,"
    "calm,slow,Plot,Yes,Yes,No,Yes,4.5,Lovely.,,,walks,No\n"
)


def csv_exports() -> list[tuple[str, str, str]]:
    """(name, header line, first row) of each CSV or TSV export readlog reads."""
    from conftest import REPO

    found = []
    for name, path in (
        ("goodreads", REPO / "examples" / "goodreads_library_export.csv"),
        ("bookwyrm", FIXTURES / "bookwyrm.csv"),
        ("hardcover", FIXTURES / "hardcover.csv"),
        ("openreads", FIXTURES / "openreads.csv"),
        ("librarything", FIXTURES / "librarything.tsv"),
    ):
        lines = path.read_bytes().decode("utf-8-sig" if name != "librarything" else "latin-1").splitlines()
        found.append((name, lines[0], lines[1]))
    header, row = STORYGRAPH.splitlines()
    found.append(("storygraph", header, row))
    return found


@pytest.mark.parametrize(("name", "header", "row"), csv_exports(), ids=[c[0] for c in csv_exports()])
def test_a_number_of_5000_digits_in_any_column_is_one_line_at_most(name, header, row, tmp_path):
    import csv
    import io

    delimiter = "\t" if "\t" in header else ","
    columns = next(csv.reader([header], delimiter=delimiter))
    cells = next(csv.reader([row], delimiter=delimiter))
    cells += [""] * (len(columns) - len(cells))
    for number in range(len(columns)):
        for value in (HUGE, "-" + HUGE, HUGE + ".5", "1e999"):
            changed = list(cells)
            changed[number] = value
            out = io.StringIO()
            csv.writer(out, delimiter=delimiter, lineterminator="\n").writerows([columns, changed])
            path = tmp_path / f"{number}.{'tsv' if delimiter == chr(9) else 'csv'}"
            path.write_text(out.getvalue(), encoding="utf-8")
            import_dry_run(path, None)


def test_highlights_with_numbers_of_5000_digits_are_read_or_rejected_never_a_traceback(tmp_path):
    sound = "Dune (Frank Herbert)\n- Your Highlight on page 3 | Location 5-6 | Added on Monday, 1 January 2024 10:00:00\n\nFear zero.\n==========\n"
    kindle = tmp_path / "My Clippings.txt"
    kindle.write_text(
        sound
        + f"Dune (Frank Herbert)\n- Your Highlight on page 3 | Location {HUGE}-{HUGE}3 | Added on Monday, 1 January 2024 10:00:00\n\nOne.\n==========\n"
        + f"Dune (Frank Herbert)\n- Your Highlight on page {HUGE} | Location 5-6 | Added on Monday, 1 January {HUGE} 10:00:00\n\nTwo.\n==========\n"
    )  # fmt: skip
    lua = tmp_path / "metadata.epub.lua"
    lua.write_text(
        'return {\n  ["doc_props"] = { ["title"] = "Dune", ["authors"] = "Frank Herbert" },\n'
        f'  ["annotations"] = {{ [1] = {{ ["text"] = "Fear.", ["pageno"] = {HUGE}, ["pos0"] = "x" }} }}\n}}\n'
    )
    readwise = tmp_path / "readwise.csv"
    readwise.write_text(
        "Highlight,Book Title,Book Author,Amazon Book ID,Note,Color,Tags,Location Type,Location,Highlighted at,"
        f"Document tags\nFear.,Dune,Frank Herbert,,,,,page,{HUGE},2024-01-01 10:00:00+00:00,\n"
    )
    for path in (kindle, lua, readwise):
        import_dry_run(path, None)
