"""An export's age (try-out 33a #4, #13): judged by the file's latest date alone, an old export with one newer
row appended passed as newer, and `--update` silently took back a reading given up, a re-read and ratings
the last import brought; and the refusal of a file that looks older named a rating as "newer" that was the
file's own. Now each row is judged against the record the last import kept of its book: a row whose own
dates are older than that record's is older, and an `--update` holding one is refused whatever the file's
latest date, naming each book with the values it would take back; a file that looks older says the same."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

from conftest import snapshot
from test_import_export import SHARED

STORYGRAPH = next(SHARED.glob("storygraph_*.csv"))
GOODREADS = SHARED / "goodreads_freizl_my-reads.csv"

Rows = list[dict[str, str]]


def _export(source: Path, path: Path, edit: Callable[[Rows], Rows] = lambda rows: rows) -> Path:
    """The real export `source`, its rows edited as a reader's later (or earlier) export would hold them."""
    with source.open(encoding="utf-8", newline="") as file:
        reader = csv.DictReader(file)
        header, rows = list(reader.fieldnames or []), list(reader)
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.DictWriter(file, header)
        writer.writeheader()
        writer.writerows(edit(rows))
    return path


def _set(rows: Rows, title: str, **cells: str) -> Rows:
    (row,) = [r for r in rows if r["Title"] == title]
    row.update({k.replace("_", " "): v for k, v in cells.items()})
    return rows


def _added(rows: Rows, title: str, author: str, added: str, **cells: str) -> Rows:
    return [*rows, {**{k: "" for k in rows[0]}, "Title": title, "Authors": author, "Read Status": "to-read",
                    "Date Added": added, "Read Count": "0", **cells}]  # fmt: skip


def _newer(rows: Rows) -> Rows:
    """StoryGraph's export a month later: Wonder given up, A Court of Thorns and Roses rated 4, Piranesi
    read (the newest row)."""
    _set(
        rows,
        "Wonder",
        Read_Status="did-not-finish",
        Last_Date_Read="2026/03/01",
        Dates_Read="2026/02/20-2026/03/01",
    )
    _set(rows, "A Court of Thorns and Roses", Star_Rating="4.0")
    return _added(rows, "Piranesi", "Susanna Clarke", "2026/03/02", **{"Read Status": "read",
                  "Last Date Read": "2026/03/06", "Dates Read": "2026/03/02-2026/03/06", "Read Count": "1",
                  "Star Rating": "5.0", "ISBN/UID": "9781635575996"})  # fmt: skip


def _book(run, title: str) -> str:
    return run("show", title).stdout


def _imported_newer(run, tmp_path: Path) -> None:
    run("import", str(STORYGRAPH))
    run("import", str(_export(STORYGRAPH, tmp_path / "newer.csv", _newer)), "--update")
    assert "Abandoned" in _book(run, "Wonder")


def test_an_old_export_with_one_newer_row_takes_back_nothing_and_names_its_older_rows(run, tmp_path, books):
    _imported_newer(run, tmp_path)
    wonder = (books / "wonder.toml").read_bytes()
    sneaky = _export(
        STORYGRAPH,
        tmp_path / "sneaky.csv",
        lambda rows: _added(rows, "Klara and the Sun", "Kazuo Ishiguro", "2026/03/10"),
    )
    said = run("import", str(sneaky), "--update").stderr
    assert (
        "kept: Wonder: not taken: the export's row is older than what the last StoryGraph import brought "
        "(status abandoned -> want, reading removed (started 2026-02-20, stopped 2026-03-01)); --force applies it"
    ) in said, said
    assert "1 added" in said  # (the newer row is taken)
    assert (books / "wonder.toml").read_bytes() == wonder
    assert "Abandoned" in _book(run, "Wonder")
    # the same file again: the same line, nothing written
    before = snapshot(books)
    assert "kept: Wonder: not taken" in run("import", str(sneaky), "--update").stderr
    assert snapshot(books) == before
    # a plain import takes back nothing (it skips the books here)
    assert "Abandoned" in _book(run, "Wonder") and "not taken" not in run("import", str(sneaky)).stderr


def test_force_applies_an_old_export_with_a_newer_row_saying_each_change(run, tmp_path):
    _imported_newer(run, tmp_path)
    sneaky = _export(
        STORYGRAPH, tmp_path / "sneaky.csv", lambda rows: _added(rows, "Klara", "K. I.", "2026/03/10")
    )
    said = run("import", str(sneaky), "--update", "--force").stderr
    assert "changed: Wonder: reading removed (started 2026-02-20, stopped 2026-03-01)" in said, said
    assert "changed: A Court of Thorns and Roses: rating 4 -> 3" in said
    assert "not taken" not in said


def test_a_newer_export_missing_its_newest_row_names_the_values_not_newer_ones(run, tmp_path, journal_home):
    _imported_newer(run, tmp_path)
    before = snapshot(journal_home)

    def removed(rows: Rows) -> Rows:  # Piranesi taken out on StoryGraph, Wonder rated 2 there
        return _set([r for r in _newer(rows) if r["Title"] != "Piranesi"], "Wonder", Star_Rating="2.0")

    fixed = _export(STORYGRAPH, tmp_path / "fixed.csv", removed)
    error = run("import", str(fixed), "--update", code=1).stderr
    assert "an older StoryGraph export than the last one imported" in error  # (its latest date says so)
    assert "(Wonder: rating none -> 2)" in error, error
    assert "it may be the newer export, its newest row removed there" in error
    assert "newer ratings" not in error  # (the old message called the file's own rating the newer one)
    assert snapshot(journal_home) == before
    # near miss: the same export without its newest row and nothing else changed: nothing to undo, taken
    bare = _export(
        STORYGRAPH, tmp_path / "bare.csv", lambda rows: [r for r in _newer(rows) if r["Title"] != "Piranesi"]
    )
    assert "changes no book" in run("import", str(bare), "--update").stderr
    said = run("import", str(fixed), "--update", "--force").stderr
    assert "changed: Wonder: rating none -> 2" in said


def test_the_same_export_again_changes_nothing(run, tmp_path, books):
    _imported_newer(run, tmp_path)
    before = snapshot(books)
    again = _export(STORYGRAPH, tmp_path / "again.csv", _newer)
    said = run("import", str(again), "--update").stderr
    assert "older" not in said and "changed:" not in said
    assert snapshot(books) == before  # (imports.toml names the file now)


def test_a_newer_export_changing_a_rating_and_a_reading_is_taken(run, tmp_path):
    _imported_newer(run, tmp_path)

    def later(
        rows: Rows,
    ) -> Rows:  # a later export: ACOTAR rated 5 (no date moves), Wonder finished after all
        rows = _set(_newer(rows), "A Court of Thorns and Roses", Star_Rating="5.0")
        return _set(
            rows,
            "Wonder",
            Read_Status="read",
            Last_Date_Read="2026/03/20",
            Dates_Read="2026/02/20-2026/03/20",
        )

    said = run("import", str(_export(STORYGRAPH, tmp_path / "later.csv", later)), "--update").stderr
    assert "older" not in said, said
    assert "★★★★★" in _book(run, "A Court of Thorns and Roses")
    assert "2026-03-20" in _book(run, "Wonder")


def test_an_old_goodreads_export_with_one_newer_row_keeps_the_newer_values(run, tmp_path, books):
    def newer(rows: Rows) -> Rows:  # Deep Work read again in 2024, rated 5
        (row,) = [r for r in rows if r["Title"].startswith("Deep Work")]
        row.update({"Date Read": "2024/05/01", "Read Count": "2", "My Rating": "5"})
        return rows

    def sneaky(rows: Rows) -> Rows:  # the first export, with one book added in 2025
        extra = {**{k: "" for k in rows[0]}, "Book Id": "999999", "Title": "Klara and the Sun",
                 "Author": "Kazuo Ishiguro", "Exclusive Shelf": "to-read", "Date Added": "2025/01/01"}  # fmt: skip
        return [*rows, extra]

    run("import", str(GOODREADS))
    run("import", str(_export(GOODREADS, tmp_path / "newer.csv", newer)), "--update")
    (deep_work,) = books.glob("deep-work*.toml")
    before = deep_work.read_bytes()
    said = run("import", str(_export(GOODREADS, tmp_path / "sneaky.csv", sneaky)), "--update").stderr
    assert "kept: Deep Work" in said and "not taken: the export's row is older" in said, said
    assert "rating 5 -> 3" in said and "1 added" in said
    assert deep_work.read_bytes() == before
