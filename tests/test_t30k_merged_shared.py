"""t30k: review 30a's F1-F3 over books the reader merged. A merged book's readings and values are shared by
the rows' records (the book's own, each edition's): a row's `--update` never takes away what another row
the book keeps still brings, and a sync keeps one entry of each edition. Files compared byte for byte."""

from __future__ import annotations

import pytest

from conftest import snapshot
from test_t30f_merged_editions import DUNE, LEO, LEV, MESSIAH, _book, _gr, _quiet, _said

SAME_DAY = {"Date Read": "2023/03/01"}


@pytest.mark.parametrize("keep_second", [False, True], ids=["keep-a", "keep-b"])
def test_an_editions_update_keeps_a_reading_the_other_row_still_brings(run, books, tmp_path, keep_second):
    """Leo's and Lev's *War and Peace*, both finished 2023-03-01, merged; Lev's row moved back to to-read:
    `--update` deleted the book's one reading (Leo's row still lists it), then said on every run that the
    reader removed it (review 30a F1). The reading stays, and the runs after change nothing."""
    leo, lev = {**LEO, **SAME_DAY}, {**LEV, **SAME_DAY}
    run("import", str(_gr(tmp_path, leo, lev)))
    pair = ("war-and-peace", "war-and-peace-tolstoy")
    keep, other = reversed(pair) if keep_second else pair
    run("merge", keep, other, "--force")
    moved = {
        **(leo if keep_second else lev),
        "Date Read": "",
        "Exclusive Shelf": "to-read",
        "Read Count": "0",
    }
    rows = (moved, lev) if keep_second else (leo, moved)
    path = _gr(tmp_path, *rows, name="newer.csv")
    said = _said(run, path, True)
    assert [str(r.get("finished")) for r in _book(books, keep)["reads"]] == ["2023-03-01"], said
    before = snapshot(books)
    for update in (True, False, True):
        said = _said(run, path, update)
        assert "removed here" not in said, said
        _quiet(said)
        assert snapshot(books) == before


@pytest.mark.parametrize("which", ["edition", "own"])
def test_a_reading_two_titles_share_stays_when_one_row_moves_its_date(run, books, tmp_path, which):
    """Dune and Dune Messiah finished the same day, merged: a newer export moving one row's reading to
    another day took the other row's reading with it (the edition's row, and the mirror: the kept book's
    own row). Both days are kept."""
    dune, messiah = {**DUNE, **SAME_DAY}, {**MESSIAH, **SAME_DAY}
    run("import", str(_gr(tmp_path, dune, messiah)))
    run("merge", "dune", "dune-messiah", "--force")
    moved = {"Date Read": "2024/06/01"}
    rows = (dune, {**messiah, **moved}) if which == "edition" else ({**dune, **moved}, messiah)
    path = _gr(tmp_path, *rows, name="newer.csv")
    said = _said(run, path, True)
    finished = sorted(str(r.get("finished")) for r in _book(books, "dune")["reads"])
    assert finished == ["2023-03-01", "2024-06-01"], said
    before = snapshot(books)
    for update in (True, False):
        _quiet(_said(run, path, update))
        assert snapshot(books) == before


def test_both_rows_dropping_a_shared_reading_drop_it(run, books, tmp_path):
    """The near miss: both rows of the merged book lose the reading in the newer export: it goes (no other
    record brings it any more), in one run."""
    leo, lev = {**LEO, **SAME_DAY}, {**LEV, **SAME_DAY}
    run("import", str(_gr(tmp_path, leo, lev)))
    run("merge", "war-and-peace", "war-and-peace-tolstoy", "--force")
    gone = {"Date Read": "", "Read Count": "0", "Exclusive Shelf": "to-read"}
    later = {
        **DUNE,
        "Book Id": "999",
        "Date Added": "2025/01/01",
        "Date Read": "2025/02/02",
    }  # (a newer export than the last)
    path = _gr(tmp_path, {**leo, **gone}, {**lev, **gone}, later, name="newer.csv")
    said = _said(run, path, True)
    assert "reads" not in _book(books, "war-and-peace"), said
    before = snapshot(books)
    _quiet(_said(run, path, True))
    assert snapshot(books) == before


@pytest.mark.parametrize("field", ["rating", "tags"])
def test_an_editions_change_leaves_a_value_the_other_row_shares(run, books, tmp_path, field):
    """Both rows rated 5 (or shelved alike), merged; only Lev's row changed: the edition's news replaced the
    book's value, then every `--update` said the reader set it (review 30a F2). The book keeps its value,
    said once in the existing wording, and the runs after change nothing and say nothing."""
    shared = {"My Rating": "5"} if field == "rating" else {"Bookshelves": "classics"}
    leo, lev = {**LEO, **shared}, {**LEV, **shared}
    run("import", str(_gr(tmp_path, leo, lev)))
    run("merge", "war-and-peace", "war-and-peace-tolstoy", "--force")
    kept = _book(books, "war-and-peace")
    changed = {"My Rating": "2"} if field == "rating" else {"Bookshelves": "russian"}
    path = _gr(tmp_path, leo, {**lev, **changed}, name="newer.csv")
    said = _said(run, path, True)
    book = _book(books, "war-and-peace")
    if field == "rating":
        assert book["rating"] == 5 and "kept your rating 5 (export says 2)" in said, said
    else:
        assert "classics" in book["tags"], said
    assert book["source"]["goodreads"]["imported"] == kept["source"]["goodreads"]["imported"]
    before = snapshot(books)
    for update in (True, False, True):
        said = _said(run, path, update)
        assert "kept" not in said, said
        _quiet(said)
        assert snapshot(books) == before
