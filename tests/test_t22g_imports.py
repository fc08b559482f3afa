"""Session 22's try-out (22a #10, the import items): a few-row Goodreads file dated 2022 made the reader's real
2020-10 export "older" from then on; the refusal of an older export said it would undo ratings while a
plain import changes none and adds the books the newer export no longer held (`--force --dry-run`: "0 would
be updated", and 348 added); `--update` said "kept your added ..." of a value another import set; a sync
merge left progress (and readings) out of date order."""

from __future__ import annotations

import os
import re
import tomllib
from datetime import date
from pathlib import Path

import pytest

from conftest import snapshot
from readlog.importers import FEW_ROWS, few_rows, last_imports
from readlog.sync.merge import merge_data
from test_import_export import GR_HEADER, gr_row, write_csv


def library(tmp_path: Path, name: str, year: int, rating: str = "4", rows: int = 30) -> Path:
    """The reader's Goodreads library exported in `year`: `rows` books, the first rated `rating`."""
    books = [
        gr_row(**{"Book Id": str(100 + n), "Title": f"Book number {n}", "Author": "Ann Lee",
                  "My Rating": rating if n == 0 else "3", "Date Read": f"{year}/03/0{1 + n % 9}",
                  "Date Added": f"{year}/01/01"})
        for n in range(rows)
    ]  # fmt: skip
    return write_csv(tmp_path / name, GR_HEADER, books)


def few(tmp_path: Path, year: int = 2022) -> Path:
    """A few rows made by hand (other books), dated later than the library's exports."""
    return write_csv(tmp_path / "few.csv", GR_HEADER, [
        gr_row(**{"Book Id": "900", "Title": "Café Stories", "Author": "Zoë Ray", "Date Added": f"{year}/04/13"}),
        gr_row(**{"Book Id": "901", "Title": "Naïve Days", "Author": "Zoë Ray", "Date Added": f"{year}/04/12"}),
    ])  # fmt: skip


def recorded(home: Path) -> dict[str, object]:
    return last_imports(home)["goodreads"]


# --- a file of a few rows is not the library's last export ---------------------------------------------
def test_a_few_rows_dated_later_do_not_make_the_library_s_newer_export_older(run, tmp_path, journal_home):
    run("import", str(library(tmp_path, "2019.csv", 2019)))
    assert recorded(journal_home)["rows"] == 30
    run("import", str(few(tmp_path)))
    assert recorded(journal_home)["file"] == "2019.csv"  # the library's export stays the last one
    said = run("import", str(library(tmp_path, "2020.csv", 2020, rating="5")), "--update").stderr
    assert "older" not in said and "30 updated" in said
    assert recorded(journal_home)["file"] == "2020.csv"


def test_a_library_s_export_takes_the_place_of_a_few_rows_recorded_first(run, tmp_path, journal_home):
    run("import", str(few(tmp_path)))
    assert recorded(journal_home)["file"] == "few.csv"
    said = run("import", str(library(tmp_path, "2020.csv", 2020))).stderr
    assert "older" not in said and "30 added" in said
    assert recorded(journal_home)["file"] == "2020.csv"  # whatever the few rows' date


def test_a_few_rows_older_than_the_library_s_export_are_still_refused(run, tmp_path, journal_home):
    """Near miss: a few rows are checked against the library's export like any file."""
    run("import", str(library(tmp_path, "2020.csv", 2020)))
    before = snapshot(journal_home)
    older = library(tmp_path, "picked.csv", 2019, rating="1", rows=2)
    error = run("import", str(older), "--update", code=1).stderr
    assert (
        "an older Goodreads export" in error and "(Book number 0: " in error and "; Book number 1: " in error
    )
    assert snapshot(journal_home) == before


def test_few_rows_is_a_tenth():
    assert few_rows(2, 30) and few_rows(29, 300) and not few_rows(30, 300) and FEW_ROWS == 10
    assert not few_rows(None, 30) and not few_rows(2, None) and not few_rows(True, 30)


# --- what the refusal of an older export says is what the import does -----------------------------------
def test_the_refusal_counts_the_books_a_forced_import_adds(run, tmp_path, journal_home):
    run("import", str(library(tmp_path, "2019.csv", 2019, rows=30)))
    newer = library(tmp_path, "2020.csv", 2020, rating="5", rows=20)  # ten books gone from the library
    run("import", str(newer), "--update")
    for n in range(20, 30):  # (deleted by hand: a book removed with `rm` stays removed, t33g)
        (journal_home / "books" / f"book-number-{n}.toml").unlink()
    older = tmp_path / "2019.csv"
    error = run("import", str(older), code=1).stderr
    assert "importing it would add 10 books the last export no longer held (Book number 20" in error
    assert "it holds other values than an import brought here (Book number 0: " in error
    assert "which `--update` would undo" in error and "would undo newer" not in error  # (plain: keeps them)
    update = run("import", str(older), "--update", code=1).stderr
    assert "would undo what the last import brought (Book number 0: " in update
    assert "and add 10 books the last export no longer held" in update
    dry = run("import", str(older), "--force", "--dry-run").stderr
    assert "10 would be added, 0 would be updated" in dry
    assert "--update" not in dry  # (no hint to --update an older export)
    real = run("import", str(older), "--force").stderr
    assert "10 added, 0 updated" in real


# --- kept: whose value it is ----------------------------------------------------------------------------
def test_update_says_which_import_set_a_value_it_keeps(run, tmp_path, books):
    lt = tmp_path / "lt.tsv"
    lt.write_text(
        "Book Id\tTitle\tPrimary Author\tEntry Date\n9001\tThe Stranger\tCamus, Albert\t[2014-09-13]\n",
        encoding="utf-8",
    )
    run("import", str(lt))
    row = {"Book Id": "49552", "Title": "The Stranger", "Author": "Albert Camus", "Date Added": "2016/02/01"}
    gr = write_csv(tmp_path / "gr.csv", GR_HEADER, [gr_row(**row)])
    run("import", str(gr))
    said = run("import", str(gr), "--update").stderr
    assert (
        "kept: The Stranger: kept added 2014-09-13 (export says 2016-02-01): LibraryThing's import set it"
        in said
    )
    assert "kept your added" not in said
    text = (books / "the-stranger.toml").read_text()
    (books / "the-stranger.toml").write_text(text.replace("added = 2014-09-13", "added = 2013-01-01", 1))
    said = run("import", str(gr), "--update").stderr
    assert "kept: The Stranger: kept your added 2013-01-01 (export says 2016-02-01)" in said  # near miss


# --- a sync merge keeps progress and readings in date order ----------------------------------------------
def test_progress_from_both_devices_is_in_date_order():
    start = {"title": "Klara", "reads": [{"started": date(2025, 11, 20)}]}
    laptop = {"title": "Klara", "reads": [{"started": date(2025, 11, 20),
              "progress": [{"date": date(2026, 12, 3), "page": 150}]}]}  # fmt: skip
    desktop = {"title": "Klara", "reads": [{"started": date(2025, 11, 20),
               "progress": [{"date": date(2026, 12, 1), "page": 100}]}]}  # fmt: skip
    merged = merge_data(start, laptop, desktop)
    assert [p["page"] for p in merged.data["reads"][0]["progress"]] == [100, 150]
    assert not merged.conflicts


def test_readings_from_both_devices_are_in_date_order_unless_one_is_undated_or_in_conflict():
    base = {"title": "S", "reads": [{"finished": date(2020, 1, 1)}]}
    ours = {"title": "S", "reads": [{"finished": date(2020, 1, 1)}, {"finished": date(2026, 12, 2)}]}
    theirs = {"title": "S", "reads": [{"finished": date(2020, 1, 1)}, {"finished": date(2026, 12, 1)}]}
    days = [r["finished"].day for r in merge_data(base, ours, theirs).data["reads"]]
    assert days == [1, 1, 2]
    undated = {"title": "S", "reads": [{"finished": date(2020, 1, 1)}, {"rating": 4}]}
    kept = merge_data(base, ours, undated).data["reads"]
    assert kept == [{"finished": date(2020, 1, 1)}, {"finished": date(2026, 12, 2)}, {"rating": 4}]
    rated = {"title": "S", "reads": [{"finished": date(2020, 1, 1), "rating": 3}]}
    mine = {"title": "S", "reads": [{"finished": date(2020, 1, 1), "rating": 4}]}
    other = {
        "title": "S",
        "reads": [{"finished": date(2020, 1, 1), "rating": 5}, {"finished": date(2019, 5, 5)}],
    }
    clash = merge_data(rated, mine, other)
    assert [c.field for c in clash.conflicts] == ["reads[1].rating"]  # (a reading's place: order kept)
    assert [r["finished"].year for r in clash.data["reads"]] == [2020, 2019]


# --- the real exports ------------------------------------------------------------------------------------
REAL = Path(os.environ.get("READLOG_TEST_IMPORTS", "/nonexistent"))
LT_2014 = REAL / "librarything" / "librarything_mouse-reeve_book-catalogue_2014.csv"
LT_2020 = REAL / "librarything" / "librarything_mouse-reeve_book-catalogue_2020.json"
GR_2019 = REAL / "goodreads-more" / "goodreads_mouse-reeve_book-catalogue_2019-12.csv"
GR_2020 = REAL / "goodreads-more" / "goodreads_mouse-reeve_book-catalogue_2020-10.csv"
needs_real = pytest.mark.skipif(
    not LT_2014.is_file(), reason="READLOG_TEST_IMPORTS (the real exports) not set"
)


@needs_real
def test_the_real_older_librarything_export_s_refusal_counts_what_force_adds(run, journal_home):
    run("import", str(LT_2020))
    # (its cells that are not UTF-8 are MARC-8, which no encoding reads: read as before, asked: README)
    error = run("import", str(LT_2014), "--encoding", "cp1252", code=1).stderr
    counted = re.search(r"importing it would add (\d+) books the last export no longer held", error)
    assert counted, error
    dry = run("import", str(LT_2014), "--encoding", "cp1252", "--force", "--dry-run").stderr
    assert f"{counted[1]} would be added, 0 would be updated" in dry


@needs_real
def test_the_real_goodreads_exports_around_a_few_rows_of_2022(run, tmp_path, journal_home):
    run("import", str(GR_2019))
    run("import", str(few(tmp_path)))
    said = run("import", str(GR_2020), "--update").stderr
    assert "older" not in said
    assert tomllib.loads((journal_home / "imports.toml").read_text())["goodreads"]["file"] == GR_2020.name
