"""An import into an empty journal matches its rows against its own landed books in memory (issue 25), not
through one index query per row. The answers must be the index's: the same "may be the same book" warnings
on the same lines, the same files, whether the journal was empty or held an unrelated book (which sends
every row through the index's own queries)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

HEADER = ["Book Id", "Title", "Author", "Author l-f", "ISBN", "ISBN13", "My Rating", "Date Read", "Date Added",
          "Exclusive Shelf", "My Review"]  # fmt: skip
WORDS = ["amber", "birch", "cobalt", "dune", "ember", "fjord", "garnet", "harbor", "indigo", "juniper", "kelp",
         "lichen", "marrow", "nettle", "orchid", "pewter", "quartz", "russet", "sorrel", "thistle"]  # fmt: skip


def _filler(n: int) -> str:
    """A title of its own: no two fillers are one work, or maybe one (three words from n, no plural)."""
    return f"{WORDS[(n // 400) % 20]} {WORDS[(n // 20) % 20]} {WORDS[n % 20]}".title()


def _export(path: Path, rows: int, pairs: dict[int, tuple[str, str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(HEADER)
        for n in range(rows):
            title, author = pairs.get(n, (f"{_filler(n)} Chronicle {n}", f"Writer Number{n}"))
            writer.writerow(
                [5000 + n, title, author, "", '=""', '=""', 3, "2021/02/03", "2021/01/01", "read", ""]
            )


# A "maybe" pair (`Title: Subtitle` and `Title`, one author): far apart, the first has landed (durable
# batches of 500, a batch or two behind) when the second is matched; close together, it has not. Both stay
# books of their own.
PAIRS = {
    3: ("Educated: A Memoir of Mountains", "Tara Westover"),
    2300: ("Educated", "Tara Westover"),
    20: ("Gilead: A Homecoming", "Marilynne Robinson"),
    25: ("Gilead", "Marilynne Robinson"),
    600: ("The Overstory: Roots", "Richard Powers"),
    2550: ("The Overstory", "Richard Powers"),
}


def test_an_empty_journal_warns_and_writes_exactly_as_one_holding_an_unrelated_book(run, tmp_path):
    export = tmp_path / "goodreads_library_export.csv"
    _export(export, 2600, PAIRS)
    empty = {"READLOG_HOME": str(tmp_path / "empty"), "READLOG_CACHE": str(tmp_path / "cache-empty")}
    held = {"READLOG_HOME": str(tmp_path / "held"), "READLOG_CACHE": str(tmp_path / "cache-held")}
    run("add", "Zzyzx Road Atlas", "--author", "Quill Penrose", env=held)
    first = run("import", str(export), env=empty)
    second = run("import", str(export), env=held)

    def warnings(stderr: str) -> list[str]:
        return sorted(
            line.split(".csv:", 1)[1] for line in stderr.splitlines() if "may be the same book" in line
        )

    told = warnings(first.stderr)
    assert told == warnings(second.stderr)
    # the far pairs are told (their first book had landed), the close one is not
    assert any(
        line.startswith("2302: Educated: may be the same book as educated-a-memoir") for line in told
    ), told
    assert any(
        line.startswith("2552: The Overstory: may be the same book as the-overstory-roots") for line in told
    )
    assert not any("Gilead" in line for line in told)
    assert "2600 added" in first.stderr + first.stdout
    in_empty = sorted(p.name for p in (tmp_path / "empty" / "books").iterdir())
    in_held = sorted(
        p.name for p in (tmp_path / "held" / "books").iterdir() if p.name != "zzyzx-road-atlas.toml"
    )
    assert in_empty == in_held
    assert len(in_empty) == 2600
    for name in ("educated.toml", "educated-a-memoir-of-mountains.toml", "gilead.toml", "the-overstory.toml"):
        assert (tmp_path / "empty" / "books" / name).read_bytes() == (
            tmp_path / "held" / "books" / name
        ).read_bytes()


def test_a_second_import_into_the_journal_the_first_filled_skips_every_row(run, tmp_path, books):
    export = tmp_path / "goodreads_library_export.csv"
    _export(export, 1200, PAIRS)
    run("import", str(export))
    before = sorted(p.name for p in books.iterdir())
    again = run("import", str(export))
    assert "0 added" in again.stderr + again.stdout
    assert sorted(p.name for p in books.iterdir()) == before


def _long_export(path: Path, numbers: range) -> None:
    """Rows with reviews (a 1,400-row file passes 1 MB: parsed and prepared by worker processes), a book
    given up with a date read, a custom shelf, a to-read position, and two editions of one work."""
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(HEADER)
        for n in numbers:
            title, author = f"{_filler(n)} Chronicle {n}", f"Writer Number{n}"
            shelf, read = ("read", f"2021/0{n % 9 + 1}/1{n % 10}")
            if n % 7 == 0:
                shelf, read = "abandoned", "2022/03/04"
            elif n % 11 == 0:
                shelf, read = "to-read", ""
            if n in (5, 300):  # one work, two editions (joined: formatted after the join)
                title, author = "Harbor Lights: A Novel", "Wren Okafor"
            review = f"Row {n}: *not* markdown_here<br/><br/>" + "a sentence of my own words " * 28
            writer.writerow(
                [7000 + n, title, author, "", '=""', '=""', n % 6, read, "2020/12/01", shelf, review]
            )


@pytest.fixture(params=["objects", "compact"])
def held(request, monkeypatch):
    """Rows held as objects (prepared by the workers), or compressed as a huge export's are (formatted when
    written, as before)."""
    if request.param == "compact":
        monkeypatch.setattr("readlog.importers.COMPACT_FROM", 0)
    return request.param


def test_books_prepared_by_workers_are_the_files_written_in_one_process(run, tmp_path, held):
    whole = tmp_path / "whole.csv"
    _long_export(whole, range(1400))
    assert whole.stat().st_size > 1_000_000  # parsed (and prepared) in worker processes
    big = {"READLOG_HOME": str(tmp_path / "big"), "READLOG_CACHE": str(tmp_path / "cache-big")}
    small = {"READLOG_HOME": str(tmp_path / "small"), "READLOG_CACHE": str(tmp_path / "cache-small")}
    run("import", str(whole), env=big)
    for start in range(0, 1400, 350):  # 350 rows a file: parsed and formatted in this process
        piece = tmp_path / f"piece{start}.csv"
        _long_export(piece, range(start, start + 350))
        run("import", str(piece), env=small)
    made = {p.name: p.read_bytes() for p in (tmp_path / "big" / "books").iterdir()}
    plain = {p.name: p.read_bytes() for p in (tmp_path / "small" / "books").iterdir()}
    assert len(made) == 1399  # two rows, one book
    assert made == plain
    joined = made["harbor-lights-a-novel.toml"].decode()
    assert "7005" in joined and "7300" in joined
    assert b"Row 14: \\*not\\* markdown_here" in made[next(n for n in made if n.endswith("-14.toml"))]
    assert any(b"stopped" in text for text in made.values())  # a book given up: its date read is when
    # the index holds them too: a search finds a prepared book's review words
    assert "chronicle-1333" in run("search", "Row 1333", env=big).stdout
