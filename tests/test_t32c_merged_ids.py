"""t32c: review 31f F2 (older). A book merged away that an export's row with an id made (StoryGraph's
ISBN/UID; a Goodreads or LibraryThing Book Id): the same export again, `--update`, said "2 updated" (its
dry run 1) run after run, and wrote the merged row's ISBN/UID, Date Added and format into the kept book's
own source table. `merge` keeps the merged book's own edition by its columns (`"ISBN/UID" = "978..."`), the
row names it by its ISBN (`isbn = "978..."`): the two are one edition (identity.one_edition), so the row
finds its record, never the kept book's. A newer export's news of the merged row lands on the kept book and
in that row's record, which keeps its title and ISBN. Each test fails on the code before it."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from conftest import snapshot
from test_import_export import GR_HEADER, SG_HEADER, gr_row, sg_row, write_csv
from test_import_faithful import lt_file
from test_t30f_merged_editions import _quiet
from test_t30k_merged_shared import _still

# Two works of two rows each (a hardcover, a paperback; an audiobook, a hardcover), in the order of the real
# StoryGraph export they come from (storygraph_tranguyeenn_optimization-books-engine.csv, lines 37, 59, 265
# and 306): Little Dorrit's first row has no ISBN/UID.
ETHAN = {
    "Title": "Ethan Frome",
    "Authors": "Edith Wharton",
    "Read Status": "to-read",
    "Date Added": "2025/02/23",
}
DORRIT = {"Title": "Little Dorrit", "Authors": "Charles Dickens", "Read Status": "to-read",
          "Date Added": "2025/02/23"}  # fmt: skip
SHAPES = {
    # (the export's rows, the merge's A and B)
    "both-joined": (
        [
            {**ETHAN, "ISBN/UID": "9781799955672", "Format": "audio"},
            {**DORRIT, "Format": "hardcover"},
            {**DORRIT, "ISBN/UID": "9781542915250", "Format": "paperback"},
            {**ETHAN, "ISBN/UID": "9781566196741", "Format": "hardcover"},
        ],
        ("little-dorrit", "ethan-frome"),
    ),  # fmt: skip
    # A with no ISBN/UID: the merge gives it B's ISBN, which then named A's own edition
    "kept-has-none": (
        [{**DORRIT, "Format": "hardcover"}, {**DORRIT, "Title": "Klein Dorrit", "ISBN/UID": "9781542915250"}],
        ("little-dorrit", "klein-dorrit"),
    ),
    # ids that are no ISBNs (ASINs): B's first row's, its book's ISBN its second row's
    "uids-joined": (
        [
            {**DORRIT, "ISBN/UID": "B00IJYDJAM", "Format": "digital"},
            {**ETHAN, "ISBN/UID": "B00XXXXXXX", "Format": "audio"},
            {**ETHAN, "ISBN/UID": "9781566196741", "Format": "hardcover"},
        ],
        ("little-dorrit", "ethan-frome"),
    ),  # fmt: skip
}


def _book(books: Path, slug: str) -> dict:
    return tomllib.loads((books / f"{slug}.toml").read_text("utf-8"))


def _counts(said: str, dry: bool) -> str:
    line = [x for x in said.splitlines() if "export:" in x][-1]
    return line.split(": ", 1)[1].split(", 0 rejected")[0].replace("would be ", "") if dry else line


@pytest.mark.parametrize("shape", SHAPES)
def test_the_same_export_after_a_merge_finds_each_row_and_changes_nothing(run, books, tmp_path, shape):
    rows, (keep, other) = SHAPES[shape]
    path = write_csv(tmp_path / "sg.csv", SG_HEADER, [sg_row(**r) for r in rows])
    run("import", str(path))
    run("merge", keep, other, "--force")
    own = _book(books, keep)["source"]["storygraph"]
    before = snapshot(books)
    dry = run("import", "--update", "--dry-run", str(path)).stderr
    assert "0 would be added, 0 would be updated" in dry, dry
    _still(run, books, path, never="written to")
    assert snapshot(books) == before
    kept = _book(books, keep)["source"]["storygraph"]
    assert {k: v for k, v in kept.items() if k != "editions"} == {
        k: v for k, v in own.items() if k != "editions"
    }


def test_the_merge_lists_the_merged_books_own_edition_once(run, books, tmp_path):
    """B's own edition was kept twice: once by its columns (`"ISBN/UID"`, with its record), once as its
    list named it (`isbn`)."""
    rows, (keep, other) = SHAPES["both-joined"]
    run("import", str(write_csv(tmp_path / "sg.csv", SG_HEADER, [sg_row(**r) for r in rows])))
    run("merge", keep, other, "--force")
    editions = _book(books, keep)["source"]["storygraph"]["editions"]
    named = [e for e in editions if "9781799955672" in (e.get("isbn"), e.get("ISBN/UID"))]
    assert len(named) == 1 and "imported" in named[0] and named[0]["isbn"] == "9781799955672", editions
    assert len(editions) == 4, editions  # (A's two, B's two)


def _goodreads(tmp_path: Path, rating: str, name: str) -> tuple[Path, str]:
    rows = [
        gr_row(**{"Book Id": "11", "Title": "The Stranger", "Author": "Albert Camus", "ISBN13": '="9780679720201"'}),
        gr_row(**{"Book Id": "22", "Title": "The Outsider", "Author": "Albert Camus", "My Rating": rating,
                  "ISBN13": '="9780141182506"', "Date Added": "2020/01/02"}),
    ]  # fmt: skip
    return write_csv(tmp_path / name, GR_HEADER, rows), "goodreads"


def _storygraph(tmp_path: Path, rating: str, name: str) -> tuple[Path, str]:
    rows = [{**r, "Star Rating": rating} if r["Format"] == "audio" else r for r in SHAPES["both-joined"][0]]
    rows = [{**r, "Title": "The Stranger" if r["Title"] == "Little Dorrit" else "The Outsider"} for r in rows]
    return write_csv(tmp_path / name, SG_HEADER, [sg_row(**r) for r in rows]), "storygraph"


def _librarything(tmp_path: Path, rating: str, name: str) -> tuple[Path, str]:
    rows = [
        {"Title": "The Stranger", "Primary Author": "Camus, Albert", "Collections": "Your library"},
        {"Title": "The Outsider", "Primary Author": "Camus, Albert", "Collections": "Your library", "Rating": rating},
    ]  # fmt: skip
    return lt_file(tmp_path / name.replace(".csv", ".tsv"), rows), "librarything"


@pytest.mark.parametrize("export", [_goodreads, _storygraph, _librarything], ids=lambda f: f.__name__[1:])
def test_a_newer_exports_news_of_the_merged_row_lands_on_the_kept_book_alone(run, books, tmp_path, export):
    """The merged row rated 3 now (4 before): 1 updated, the kept book's rating (it took B's) is 3, the
    row's record (with its edition) says 3 and still holds its title and ISBN (they were dropped), nothing
    else changes; the same newer export again changes nothing."""
    path, source = export(tmp_path, "4", "a.csv")
    run("import", str(path))
    run("merge", "the-stranger", "the-outsider", "--force")
    merged = _book(books, "the-stranger")
    (edition,) = [e for e in merged["source"][source]["editions"] if "imported" in e]
    assert edition["imported"]["rating"] == 4 and edition["imported"]["title"] == "The Outsider", edition
    newer, _ = export(tmp_path, "3", "b.csv")
    assert "1 would be updated" in run("import", "--update", "--dry-run", str(newer)).stderr
    said = run("import", "--update", str(newer)).stderr
    assert "0 added, 1 updated" in said, said
    after = _book(books, "the-stranger")
    assert after["rating"] == 3
    (changed,) = [e for e in after["source"][source]["editions"] if "imported" in e]
    edition["imported"]["rating"] = 3
    assert changed == edition
    merged["rating"] = 3
    assert after == merged
    still = snapshot(books)
    _quiet(run("import", "--update", str(newer)).stderr)
    assert snapshot(books) == still
