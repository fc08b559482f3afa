"""Review 32a #1, #2: `import --update` of a book whose reading the last import brought open. A reading the
export now ends is that open reading, never one gone from the export: no other reading of the reader's goes
with it (Read Count 2 keeps two readings), whether or not the reader finished it here too; and an export
reading the book again, where the last import recorded no finished reading, ended the reading the reader
finished here and began another (kept open, the book being read)."""

from __future__ import annotations

import csv
import tomllib

from test_import_export import GR_HEADER, SG_HEADER, SHARED, gr_row, needs_shared, sg_row, write_csv

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


AGAIN = {**READING, "Read_Count": "1", "Date_Read": "2024/05/01"}


def test_reading_it_again_there_after_a_finish_here(run, books, tmp_path):
    """Review 32a #2: imported with Read Count 0, finished here, then the export says currently-reading,
    Read Count 1, finished 2024/05/01: one finish (the reader's, said) and the reading begun again there,
    open and last; `--dry-run` says the same and writes nothing; the same export again changes nothing."""
    first, second = exports(tmp_path, {**READING, "Read_Count": "0"}, AGAIN)
    run("import", str(first))
    run("finish", "a-book", "--date", "2024-05-03")
    said = "kept: A Book: kept your finish 2024-05-03 (export says finished 2024-05-01, and reading it again)"
    dry = run("import", "--update", "--dry-run", str(second))
    assert said in dry.stdout + dry.stderr, dry.stdout + dry.stderr
    assert reads(books) == [{"finished": "2024-05-03"}] and status(books) == "read"
    out = run("import", "--update", str(second)).stderr
    assert said in out, out
    assert reads(books) == [{"finished": "2024-05-03"}, {}] and status(books) == "reading", out
    shown = run("show", "a-book").stdout
    assert "Read 2 times" not in shown and "reading" in shown, shown
    run("import", "--update", str(second))
    assert reads(books) == [{"finished": "2024-05-03"}, {}] and status(books) == "reading"
    run("finish", "a-book", "--date", "2024-06-01")  # the reading begun again is the one going here
    assert reads(books) == [{"finished": "2024-05-03"}, {"finished": "2024-06-01"}]


def test_reading_it_again_there_and_here(run, books, tmp_path):
    """Near miss: the reader began it again here too: theirs is that reading, never a second open one."""
    first, second = exports(tmp_path, {**READING, "Read_Count": "0"}, AGAIN)
    run("import", str(first))
    run("finish", "a-book", "--date", "2024-05-03")
    run("start", "a-book", "--date", "2024-06-01")
    run("import", "--update", str(second))
    assert reads(books) == [{"finished": "2024-05-03"}, {"started": "2024-06-01"}]
    assert status(books) == "reading"


def test_a_finished_reading_recorded_before_keeps_the_export_reading_apart(run, books, tmp_path):
    """Near miss (t32e's decision stands): the last import recorded a finished reading (2020), so the
    export's finish on another day may be that one's new date, its open reading the one still going:
    nothing is paired, the open reading is not begun again."""
    first, second = exports(tmp_path, {**READING, "Read_Count": "1", "Date_Read": "2020/01/01"}, AGAIN)
    run("import", str(first))
    run("finish", "a-book", "--date", "2024-05-03")
    out = run("import", "--update", str(second)).stderr
    assert "kept your finish" not in out, out
    assert status(books) == "read" and {"finished": "2024-05-03"} in reads(books), out


def test_the_next_export_ends_the_reading_begun_again(run, books, tmp_path):
    """After the reading begun again there is finished here too, a newer export (read, Read Count 2,
    another day) is about that one: the latest here, never the first finish."""
    first, second = exports(tmp_path, {**READING, "Read_Count": "0"}, AGAIN)
    third = write_csv(tmp_path / "third.csv", GR_HEADER, [gr_row(Read_Count="2", Date_Read="2024/06/05")])
    run("import", str(first))
    run("finish", "a-book", "--date", "2024-05-03")
    run("import", "--update", str(second))
    run("finish", "a-book", "--date", "2024-06-01")
    out = run("import", "--update", str(third)).stderr
    assert "kept your finish 2024-06-01 (export says finished 2024-06-05)" in out, out
    assert reads(books) == [{"finished": "2024-05-03"}, {"finished": "2024-06-01"}], out
    assert status(books) == "read"


def test_storygraph_reading_it_again_keeps_the_new_start(run, books, tmp_path):
    """StoryGraph's dates: started there, finished here, then the export ends it another day and has begun it
    again (2024/06/01-): the new reading keeps its start, open and last (before: an undated reading put
    first, the start dropped, the book read)."""
    row = {"Read Status": "currently-reading", "Dates Read": "2024/03/02-", "ISBN/UID": "9780000000002"}
    again = {**row, "Dates Read": "2024/03/02-2024/04/01, 2024/06/01-", "Last Date Read": "2024/04/01"}
    run("import", str(write_csv(tmp_path / "old.csv", SG_HEADER, [sg_row(**row)])))
    run("finish", "a-book", "--date", "2024-04-05")
    new = write_csv(tmp_path / "new.csv", SG_HEADER, [sg_row(**again, **{"Read Count": "1"})])
    out = run("import", "--update", str(new)).stderr
    assert "kept your finish 2024-04-05 (export says started 2024-03-02, finished 2024-04-01, and" in out
    assert reads(books) == [{"started": "2024-03-02", "finished": "2024-04-05"}, {"started": "2024-06-01"}]
    assert status(books) == "reading"
