"""t30f: imports over books the reader merged (review 29a #1, #2; session 29's closing note). `readlog merge`
keeps the merged book's record of its row with its edition; an import compares that row with its own record,
never with the kept book's. Each test fails on the code before it; the journal's files compared byte for byte."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from conftest import snapshot
from test_import_export import GR_HEADER, SG_HEADER, SHARED, gr_row, sg_row, write_csv

DUNE = {"Book Id": "111", "Title": "Dune", "Author": "Frank Herbert", "My Rating": "5", "Date Added": "2021/05/01",
        "Date Read": "2023/03/01", "Read Count": "1", "My Review": "Dune review"}  # fmt: skip
MESSIAH = {"Book Id": "222", "Title": "Dune Messiah", "Author": "Frank Herbert", "My Rating": "3",
           "Date Added": "2022/07/03", "Date Read": "2022/09/01", "Read Count": "1", "My Review": "Messiah"}  # fmt: skip
CHILDREN = {"Book Id": "333", "Title": "Children of Dune", "Author": "Frank Herbert", "My Rating": "2",
            "Date Added": "2020/02/02", "Date Read": "2020/03/03", "Read Count": "1", "My Review": "Kids"}  # fmt: skip
LEO = {"Book Id": "111", "Title": "War and Peace", "Author": "Leo Tolstoy", "My Rating": "5",
       "Date Added": "2021/05/01", "Date Read": "2023/03/01", "Read Count": "1", "My Review": "Leo review"}  # fmt: skip
LEV = {"Book Id": "222", "Title": "War and Peace", "Author": "Lev Tolstoy", "My Rating": "4",
       "Date Added": "2022/07/03", "Date Read": "2022/09/01", "Read Count": "1", "My Review": "Lev review"}  # fmt: skip
DICKINSON = {"Title": "Poems", "Authors": "Emily Dickinson", "Format": "paperback", "Date Added": "2024/01/05",
             "Last Date Read": "2024/02/01", "Dates Read": "2024/01/10-2024/02/01", "Read Count": "1",
             "Star Rating": "4.0", "Review": "Dickinson review"}  # fmt: skip
NO_AUTHOR = {"Title": "Poems", "Authors": "", "Format": "paperback", "Date Added": "2024/01/05",
             "Read Count": "1"}  # fmt: skip
NO_AUTHOR_READ = {**NO_AUTHOR, "Last Date Read": "2023/05/05", "Dates Read": "2023/05/05", "Star Rating": "2.0",
                  "Review": "other review"}  # fmt: skip


def _gr(tmp_path: Path, *rows: dict[str, str], name: str = "goodreads_library_export.csv") -> Path:
    return write_csv(tmp_path / name, GR_HEADER, [gr_row(**r) for r in rows])


def _sg(tmp_path: Path, *rows: dict[str, str], name: str = "storygraph.csv", real: bool = False) -> Path:
    path = write_csv(tmp_path / name, SG_HEADER, [sg_row(**r) for r in rows])
    fixture = SHARED / "storygraph_tranguyeenn_optimization-books-engine.csv"
    if real and fixture.exists():  # (the real export: 41 of its rows have no ISBN/UID; the pair at its end)
        lines = path.read_text("utf-8").splitlines()[1:]
        body = fixture.read_text("utf-8").rstrip("\n")
        path.write_text(body + "\n" + "\n".join(lines) + "\n", encoding="utf-8")
    return path


def _said(run, path: Path, update: bool) -> str:
    return run("import", *(["--update"] if update else []), str(path)).stderr


def _quiet(said: str) -> None:
    """A re-import of rows already here: nothing added or updated, nothing kept apart, no --update hint."""
    assert "0 added" in said and " 0 updated" in said, said
    assert "kept apart" not in said and "may be" not in said and "left as they are" not in said, said


CASES = {
    # (export, the pair's slugs as `check` names them)
    "goodreads-two-titles": (lambda t: _gr(t, DUNE, MESSIAH), ("dune", "dune-messiah")),
    "goodreads-kept-apart": (lambda t: _gr(t, LEO, LEV), ("war-and-peace", "war-and-peace-tolstoy")),
    "storygraph-no-uid": (lambda t: _sg(t, DICKINSON, NO_AUTHOR, real=True), ("poems.toml", "poems-2.toml")),
    "storygraph-no-uid-read": (lambda t: _sg(t, DICKINSON, NO_AUTHOR_READ), ("poems.toml", "poems-2.toml")),
    "storygraph-isbn": (
        lambda t: _sg(
            t, {**DICKINSON, "ISBN/UID": "9780316769488"}, {**NO_AUTHOR_READ, "ISBN/UID": "9780140424638"}
        ),
        ("poems.toml", "poems-2.toml"),
    ),
}


@pytest.mark.parametrize("update", [False, True], ids=["plain", "update"])
@pytest.mark.parametrize("keep_second", [False, True], ids=["keep-a", "keep-b"])
@pytest.mark.parametrize("case", list(CASES))
def test_the_same_export_after_a_merge_changes_nothing(run, books, tmp_path, case, keep_second, update):
    """Two rows of one export that the file does not join, merged by the reader (either way round): the same
    export again wrote the merged row's rating, Date Added, Book Id, readings and review over the kept book
    under `--update` ("Leo review" in no file after: review 29a #1); a StoryGraph pair with no ISBN/UID came
    back as a named maybe, "1 added" (review 29a #2); a plain re-import printed the `--update` hint for a row
    `--update` would not change. Three runs, not a byte changed, and nothing said."""
    make, pair = CASES[case]
    path = make(tmp_path)
    assert "0 rejected" in run("import", str(path)).stderr
    keep, other = reversed(pair) if keep_second else pair
    run("merge", keep, other, "--force")
    before = snapshot(books)
    for _ in range(3):
        _quiet(_said(run, path, update))
        assert snapshot(books) == before


def _book(books: Path, slug: str) -> dict:
    return tomllib.loads((books / f"{slug}.toml").read_text("utf-8"))


@pytest.mark.parametrize("keep_second", [False, True], ids=["keep-a", "keep-b"])
def test_an_edition_merged_in_takes_its_own_rows_news_by_the_rules(run, books, tmp_path, keep_second):
    """The near miss: a newer export in which the merged edition's row DID change (a new reading, a review,
    another rating): its news lands on the kept book by `--update`'s rules, compared with its own record (a
    rating the kept book has from the other row stays, said; the other row's reading and review stay); the
    row the file's book was made of is untouched; a plain import says `--update` has news; runs after it change
    nothing."""
    first, second = (MESSIAH, DUNE) if keep_second else (DUNE, MESSIAH)
    run("import", str(_gr(tmp_path, DUNE, MESSIAH)))
    keep, other = ("dune-messiah", "dune") if keep_second else ("dune", "dune-messiah")
    run("merge", keep, other, "--force")
    kept = _book(books, keep)
    newer = {**second, "My Rating": str(int(second["My Rating"]) - 1), "Date Read": "2025/01/02",
             "Read Count": "2", "My Review": "New words"}  # fmt: skip
    path = _gr(tmp_path, first, newer, name="newer.csv")
    assert "left as they are" in run("import", str(path)).stderr  # (plain: --update has news of it)
    said = run("import", "--update", str(path)).stderr
    assert "1 updated" in said, said
    book = _book(books, keep)
    assert book["rating"] == kept["rating"] and f"rating {kept['rating']} (export says" in said, said
    assert book["added"] == kept["added"] and book["review"] == kept["review"]
    assert book["source"]["goodreads"]["Book Id"] == first["Book Id"]
    finished = [str(r.get("finished")) for r in book["reads"]]
    assert sorted(finished) == ["2022-09-01", "2023-03-01", "2025-01-02"], finished
    edition = next(e for e in book["source"]["goodreads"]["editions"] if e.get("imported"))
    assert edition["Book Id"] == second["Book Id"] and edition.get("review") == "New words"
    assert book["source"]["goodreads"]["imported"] == kept["source"]["goodreads"]["imported"]
    shown = run("show", keep).stdout  # (the edition told by its id, not by the record kept with it)
    assert (
        "New words" in shown and f"goodreads Book Id {second['Book Id']}" in shown and "imported" not in shown
    )
    before = snapshot(books)
    for update in (True, False, True):
        _quiet(_said(run, path, update))
        assert snapshot(books) == before


def test_a_three_way_merge_keeps_each_rows_record(run, books, tmp_path):
    """Three rows merged into one book, one merge into a book that was itself merged: each row's record
    stays with its edition, and the same export, plain or `--update`, changes nothing."""
    path = _gr(tmp_path, DUNE, MESSIAH, CHILDREN)
    run("import", str(path))
    run("merge", "dune-messiah", "children-of-dune", "--force")
    run("merge", "dune", "dune-messiah", "--force")
    records = [e for e in _book(books, "dune")["source"]["goodreads"]["editions"] if e.get("imported")]
    assert sorted(e["Book Id"] for e in records) == ["222", "333"]
    before = snapshot(books)
    for update in (True, False, True):
        _quiet(_said(run, path, update))
        assert snapshot(books) == before


def test_an_edition_joined_by_an_import_keeps_todays_rule(run, books, tmp_path):
    """An edition an import joined itself (no record of its own): `--update` of its changed row goes by the
    book's record, as before (test_s25_lead), and the merge's record of another row is left alone."""
    path = _gr(tmp_path, DUNE, MESSIAH, {**DUNE, "Book Id": "444", "My Rating": "4", "Date Read": ""})
    run("import", str(path))
    run("merge", "dune", "dune-messiah", "--force")
    newer = _gr(
        tmp_path, DUNE, MESSIAH, {**DUNE, "Book Id": "444", "Date Read": "2026/01/01"}, name="new.csv"
    )
    said = run("import", "--update", str(newer)).stderr
    book = _book(books, "dune")
    assert "2026-01-01" in [str(r.get("finished")) for r in book["reads"]], said
    edition = next(e for e in book["source"]["goodreads"]["editions"] if e.get("imported"))
    assert edition["Book Id"] == "222" and edition["imported"]["rating"] == 3


def test_a_merged_editions_record_survives_an_edit_of_the_book(run, books, tmp_path):
    """The record is part of the book file: a command that rewrites the book keeps it, and the reader's
    change stands against the export."""
    path = _gr(tmp_path, DUNE, MESSIAH)
    run("import", str(path))
    run("merge", "dune", "dune-messiah", "--force")
    run("rate", "dune", "2")
    before = snapshot(books)
    assert "imported" in next(
        e for e in _book(books, "dune")["source"]["goodreads"]["editions"] if "imported" in e
    )
    for update in (True, True):
        _said(run, path, update)
        assert snapshot(books) == before


def test_an_authorless_edition_merged_in_takes_its_news_and_no_one_elses_row(run, books, tmp_path):
    """A StoryGraph row with no ISBN/UID and no author, merged into Emily Dickinson's *Poems*: a newer export
    giving that row a reading brings it to the kept book (her reading and rating stay); Walt Whitman's *Poems*
    of the same day is never taken for it (its own book, as before), and runs after change nothing."""
    run("import", str(_sg(tmp_path, DICKINSON, NO_AUTHOR)))
    run("merge", "poems.toml", "poems-2.toml", "--force")
    read = {**NO_AUTHOR, "Last Date Read": "2025/03/03", "Dates Read": "2025/03/03"}
    whitman = {**NO_AUTHOR, "Authors": "Walt Whitman"}
    path = _sg(tmp_path, DICKINSON, read, whitman, name="newer.csv")
    assert "left as they are" in run("import", str(path)).stderr  # (plain: --update has news of it)
    said = run("import", "--update", str(path)).stderr
    assert "0 added" in said and "1 updated" in said, said
    book = _book(books, "poems")
    assert book["authors"] == ["Emily Dickinson"] and book["rating"] == 4
    assert sorted(str(r.get("finished")) for r in book["reads"]) == ["2024-02-01", "2025-03-03"]
    assert len(list(books.glob("*.toml"))) == 2  # (Whitman's own book)
    before = snapshot(books)
    for update in (True, False):
        assert "0 added" in _said(run, path, update)
        assert snapshot(books) == before
