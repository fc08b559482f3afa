"""Review 32a #1, #2: `import --update` of a book whose reading the last import brought open. A reading the
export now ends is that open reading, never one gone from the export: no other reading of the reader's goes
with it (Read Count 2 keeps two readings), whether or not the reader finished it here too; and an export
reading the book again, where the last import recorded no finished reading, ended the reading the reader
finished here and began another (kept open, the book being read)."""

from __future__ import annotations

import csv
import tomllib

from test_import_export import GR_HEADER, SHARED, gr_row, needs_shared, write_csv

READING = {"Exclusive_Shelf": "currently-reading", "Bookshelves": "currently-reading"}


def reads(books, slug: str = "a-book") -> list[dict[str, str]]:
    data = tomllib.loads((books / f"{slug}.toml").read_text(encoding="utf-8"))
    return [{k: str(v) for k, v in r.items()} for r in data.get("reads", [])]


def status(books, slug: str = "a-book") -> str:
    return tomllib.loads((books / f"{slug}.toml").read_text(encoding="utf-8"))["status"]


def exports(tmp_path, older: dict[str, str], newer: dict[str, str]):
    first = write_csv(tmp_path / "old.csv", GR_HEADER, [gr_row(**older)])
    second = write_csv(tmp_path / "new.csv", GR_HEADER, [gr_row(**newer)])
    return first, second


RC2_READING = {**READING, "Read_Count": "2", "Date_Read": "2020/01/01"}
RC2_READ = {"Read_Count": "2", "Date_Read": "2024/05/01"}


def test_read_count_2_finished_here_keeps_two_readings(run, books, tmp_path):
    first, second = exports(tmp_path, RC2_READING, RC2_READ)
    run("import", str(first))
    assert reads(books) == [{}, {"finished": "2020-01-01"}, {}]
    run("finish", "a-book", "--date", "2024-05-03")
    said = "kept: A Book: kept your finish 2024-05-03 (export says finished 2024-05-01)"
    dry = run("import", "--update", "--dry-run", str(second))
    assert said in dry.stdout + dry.stderr, dry.stdout + dry.stderr
    assert reads(books) == [{}, {"finished": "2020-01-01"}, {"finished": "2024-05-03"}]  # (nothing written)
    out = run("import", "--update", str(second)).stderr
    assert said in out and "you changed here" not in out, out
    assert reads(books) == [{}, {"finished": "2024-05-03"}], out
    out = run("import", "--update", str(second)).stderr  # again: the same two
    assert reads(books) == [{}, {"finished": "2024-05-03"}], out


def test_read_count_2_ended_in_the_export_alone_keeps_two_readings(run, books, tmp_path):
    """The same without the finish here (as wrong before t32e): the open reading is the one the export ends."""
    first, second = exports(tmp_path, RC2_READING, RC2_READ)
    run("import", str(first))
    out = run("import", "--update", str(second)).stderr
    assert "kept" not in out, out
    assert reads(books) == [{}, {"finished": "2024-05-01"}] and status(books) == "read", out


def test_a_dated_reading_gone_with_no_end_in_the_export_still_goes(run, books, tmp_path):
    """Near miss: the export ends no reading (read, its one date another): the open reading the last import
    brought is gone from it, and goes, as before."""
    first, second = exports(tmp_path, RC2_READING, {"Read_Count": "2", "Date_Read": "2020/01/01"})
    run("import", str(first))
    run("import", "--update", str(second))
    assert reads(books) == [{}, {"finished": "2020-01-01"}]


@needs_shared
def test_the_real_export_warbreaker_keeps_both_readings(run, books, tmp_path):
    """The review's reproduction: dr-rodriguez's Warbreaker (currently-reading, Read Count 2, 2014/04/05),
    finished here, then the same export saying read, Read Count 2, 2024/05/01."""
    real = SHARED / "goodreads_dr-rodriguez_Exploring-Goodreads.csv"
    with real.open(encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f)
        rows, header = list(reader), reader.fieldnames
    for row in rows:
        if row["Title"].startswith("Warbreaker"):
            row.update({"Exclusive Shelf": "read", "Bookshelves": "", "Date Read": "2024/05/01"})
            row["Bookshelves with positions"] = ""
    newer = tmp_path / "newer.csv"
    with newer.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=header or [])
        writer.writeheader()
        writer.writerows(rows)
    run("import", str(real))
    slug = next(p.stem for p in books.glob("warbreaker*.toml"))
    assert reads(books, slug) == [{}, {"finished": "2014-04-05"}, {}]
    run("finish", slug, "--date", "2026-12-01")
    out = run("import", "--update", str(newer)).stderr
    assert "kept your finish 2026-12-01 (export says finished 2024-05-01)" in out, out
    assert reads(books, slug) == [{}, {"finished": "2026-12-01"}], out
    assert "Read 2 times" in run("show", slug).stdout
