"""Try-out 27a, finding 3: a reader moving from Goodreads and StoryGraph. Goodreads brought *Dune* with its
review; StoryGraph's `--update` row has another review and the reading's start. The StoryGraph review was
said to be "kept" (the book's) and stored nowhere, and the start was dropped without a word. Now the
export's review is kept with StoryGraph's record of the book (`[source.storygraph] review`), shown, found by
search, published and round-tripped, and the start joins the reading it belongs to (merge.same_reading), or
is said when the reading has another. Near misses: a review the reader changed from StoryGraph's own stays
theirs alone; the same export again changes nothing."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

from conftest import snapshot
from test_import_export import GR_HEADER, SG_HEADER, gr_row, sg_row, write_csv

GR_DUNE = {"Book Id": "1", "Title": "Dune (Dune, #1)", "Author": "Frank Herbert", "My Rating": "5",
           "Date Read": "2024/03/01", "Date Added": "2024/01/10", "Read Count": "1",
           "My Review": "Great <b>book</b>."}  # fmt: skip
SG_DUNE = {"Title": "Dune", "Authors": "Frank Herbert", "Date Added": "2024/01/10", "Last Date Read": "2024/03/01",
           "Dates Read": "2024/02/01-2024/03/01", "Read Count": "1", "Star Rating": "5.0",
           "Review": "<div>SG dune review, the spice</div>"}  # fmt: skip


def dune(books: Path) -> dict:
    return tomllib.loads((books / "dune.toml").read_text(encoding="utf-8"))


def from_both(run, tmp_path: Path, sg: dict[str, str] | None = None) -> tuple[Path, str]:
    run("import", str(write_csv(tmp_path / "gr.csv", GR_HEADER, [gr_row(**GR_DUNE)])))
    path = write_csv(tmp_path / "sg.csv", SG_HEADER, [sg_row(**(sg or SG_DUNE))])
    return path, run("import", str(path), "--update").stderr


def test_a_second_service_s_review_and_start_are_kept_shown_and_searchable(
    run, tmp_path, journal_home, books
):
    path, said = from_both(run, tmp_path)
    assert (
        "kept: Dune: kept review (export says another): Goodreads's import set it; the export's is kept with "
        "StoryGraph's record of the book (`readlog show`)" in said
    )
    assert "1 updated, 0 skipped" in said  # (the row: its book file changed)
    book = dune(books)
    assert book["review"]["body"].startswith("Great **book**.")
    assert book["source"]["storygraph"]["review"] == "SG dune review, the spice"
    assert [(str(r.get("started")), str(r.get("finished"))) for r in book["reads"]] == [
        ("2024-02-01", "2024-03-01")
    ]
    shown = run("show", "dune").stdout
    assert "Great book." in shown and "SG dune review, the spice" in shown and "storygraph" in shown
    assert "another edition: storygraph" in run("search", "spice").stdout
    assert "SG dune review" in run("export", "dune", "--format", "markdown").stdout
    assert "SG dune review" not in run("export", "--format", "goodreads").stdout  # (no column of readlog's)
    before = snapshot(journal_home / "books")
    again = run("import", str(path), "--update").stderr  # the same export again: nothing new
    assert "0 updated" in again and snapshot(journal_home / "books") == before
    backup = tmp_path / "backup.json"
    backup.write_text(run("export", "--format", "json").stdout, encoding="utf-8")
    for p in books.glob("*.toml"):
        p.unlink()
    run("import", str(backup))
    assert dune(books)["source"]["storygraph"]["review"] == "SG dune review, the spice"
    assert "another edition: storygraph" in run("search", "spice").stdout
    assert json.loads(run("show", "dune", "--json").stdout)["source"]["storygraph"]["review"]


def test_a_start_other_than_the_reading_s_own_is_kept_and_said(run, tmp_path, books):
    run("import", str(write_csv(tmp_path / "gr.csv", GR_HEADER, [gr_row(**GR_DUNE)])))
    path = books / "dune.toml"  # the reader gave the reading its start by hand
    text = path.read_text(encoding="utf-8").replace(
        "finished = 2024-03-01", "started = 2024-02-05\nfinished = 2024-03-01", 1
    )
    path.write_text(text, encoding="utf-8")
    said = run(
        "import", str(write_csv(tmp_path / "sg.csv", SG_HEADER, [sg_row(**SG_DUNE)])), "--update"
    ).stderr
    assert (
        "kept: Dune: kept the start here of 1 reading (export says started 2024-02-01, finished 2024-03-01)"
        in said
    )
    assert [str(r.get("started")) for r in dune(books)["reads"]] == ["2024-02-05"]


def test_a_review_the_reader_changed_from_the_service_s_own_stays_theirs_alone(run, tmp_path, books):
    path = write_csv(tmp_path / "sg.csv", SG_HEADER, [sg_row(**SG_DUNE)])
    run("import", str(path))
    run("review", "dune", "--replace", "My own words now.")
    newer = write_csv(tmp_path / "sg2.csv", SG_HEADER, [sg_row(**{**SG_DUNE, "Review": "SG edited review"})])
    said = run("import", str(newer), "--update").stderr
    assert "kept: Dune: kept your review (export says another)" in said and "record of the book" not in said
    assert "review" not in dune(books)["source"]["storygraph"]
