"""Review 32c #3, #4 and t32k's note: `import --update` and a book read more than once. A re-read the reader
logged here that the export now counts too (Read Count 2 -> 3) is one reading, the reader's, said; a
reading's date the journal had from the same source is kept when Goodreads' export, which carries only the
latest date, has it undated; an export reading again a book it had read keeps its open reading open and
last. Each near miss (up by one without a date, by two, a reading logged here before the export's dates,
the same day on both sides, a re-read begun here, an export with fewer readings, an older export,
StoryGraph's readings) is its own test."""

from __future__ import annotations

import csv
import tomllib

from conftest import write_editor
from test_import_export import GR_HEADER, SG_HEADER, SHARED, gr_row, needs_shared, sg_row, write_csv

READING = {"Exclusive_Shelf": "currently-reading", "Bookshelves": "currently-reading"}
RC2_2020 = {"Read_Count": "2", "Date_Read": "2020/01/01"}
RC3_2024 = {"Read_Count": "3", "Date_Read": "2024/05/01"}
KEPT = "kept: A Book: kept your finish 2024-05-03 (export says finished 2024-05-01)"


def reads(books, slug: str = "a-book") -> list[dict[str, str]]:
    data = tomllib.loads((books / f"{slug}.toml").read_text(encoding="utf-8"))
    return [{k: str(v) for k, v in r.items()} for r in data.get("reads", [])]


def status(books, slug: str = "a-book") -> str:
    return tomllib.loads((books / f"{slug}.toml").read_text(encoding="utf-8"))["status"]


def export(tmp_path, name: str, **cells: str):
    return write_csv(tmp_path / f"{name}.csv", GR_HEADER, [gr_row(**cells)])


def reread_here(run, slug: str = "a-book", start: str | None = "2024-04-01", end: str = "2024-05-03"):
    if start is not None:
        run("start", slug, "--date", start)
        run("finish", slug, "--date", end)
    else:
        run("finish", slug, "--date", end, "--reread")


# --- #3: the re-read logged here is the one the export counts -------------------------------------------
def test_read_count_up_by_one_is_the_reread_logged_here(run, books, tmp_path):
    """Read Count 2 (2020), re-read here (2024-04-01 to 2024-05-03), then Read Count 3 (2024/05/01): three
    readings, the reader's dates kept and said (before: four, the export's 2024-05-01 beside the reader's,
    nothing said). `--dry-run` says it and writes nothing; the same export again keeps three."""
    run("import", str(export(tmp_path, "old", **RC2_2020)))
    reread_here(run)
    mine = [{}, {"finished": "2020-01-01"}, {"started": "2024-04-01", "finished": "2024-05-03"}]
    new = export(tmp_path, "new", **RC3_2024)
    dry = run("import", "--update", "--dry-run", str(new))
    assert KEPT in dry.stdout + dry.stderr and reads(books) == mine, dry.stdout + dry.stderr
    out = run("import", "--update", str(new)).stderr
    assert KEPT in out and reads(books) == mine, out
    out = run("import", "--update", str(new)).stderr
    assert reads(books) == mine, out


def test_a_reread_finished_here_after_one_dated_reading(run, books, tmp_path):
    """Read Count 1 (2020), `finish --reread` here, then Read Count 2 (2024/05/01): the 2020 reading (its
    date now dropped by Goodreads) and the reader's, never a third."""
    run("import", str(export(tmp_path, "old", Read_Count="1", Date_Read="2020/01/01")))
    reread_here(run, start=None)
    out = run(
        "import", "--update", str(export(tmp_path, "new", Read_Count="2", Date_Read="2024/05/01"))
    ).stderr
    assert KEPT in out and reads(books) == [{"finished": "2020-01-01"}, {"finished": "2024-05-03"}], out


@needs_shared
def test_the_real_export_hit_refresh_read_three_times(run, books, tmp_path):
    """The review's reproduction: freizl's Hit Refresh (read, Read Count 2, no date), read a third time here,
    then the same export saying Read Count 3, 2024/05/01: three readings, said; no other book changes."""
    real = SHARED / "goodreads_freizl_my-reads.csv"
    with real.open(encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f)
        rows, header = list(reader), reader.fieldnames
    (row,) = [row for row in rows if row["Title"].startswith("Hit Refresh")]
    assert (row["Read Count"], row["Date Read"]) == ("2", "")
    row.update({"Read Count": "3", "Date Read": "2024/05/01"})
    newer = tmp_path / "newer.csv"
    with newer.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=header or [])
        writer.writeheader()
        writer.writerows(rows)
    run("import", str(real))
    slug = next(p.stem for p in books.glob("hit-refresh*.toml"))
    reread_here(run, slug)
    out = run("import", "--update", str(newer)).stderr
    assert "kept your finish 2024-05-03 (export says finished 2024-05-01)" in out, out
    assert reads(books, slug) == [{}, {}, {"started": "2024-04-01", "finished": "2024-05-03"}], out
    assert "0 added, 1 updated" in out, out
    assert "Read 3 times" in run("show", slug).stdout


def test_up_by_two_with_one_reread_here(run, books, tmp_path):
    """Read Count 2 -> 4 (2024/05/01), one re-read logged here: the export's latest is the reader's, its
    other new reading is added undated: four readings, the reader's one among them."""
    run("import", str(export(tmp_path, "old", **RC2_2020)))
    reread_here(run)
    out = run(
        "import", "--update", str(export(tmp_path, "new", Read_Count="4", Date_Read="2024/05/01"))
    ).stderr
    assert KEPT in out, out
    assert reads(books) == [
        {},
        {},
        {"finished": "2020-01-01"},
        {"started": "2024-04-01", "finished": "2024-05-03"},
    ], out


def test_up_by_one_without_a_date(run, books, tmp_path):
    """Near miss: Read Count 2 -> 3 with no date at all: the reader's re-read is the third, nothing said."""
    run("import", str(export(tmp_path, "old", Read_Count="2")))
    reread_here(run)
    out = run("import", "--update", str(export(tmp_path, "new", Read_Count="3"))).stderr
    assert "kept" not in out and reads(books) == [{}, {}, {"started": "2024-04-01", "finished": "2024-05-03"}]


def test_the_same_day_on_both_sides(run, books, tmp_path):
    """Near miss: the re-read here finished on the export's day: that reading, nothing said."""
    run("import", str(export(tmp_path, "old", **RC2_2020)))
    reread_here(run, end="2024-05-01")
    out = run("import", "--update", str(export(tmp_path, "new", **RC3_2024))).stderr
    assert "kept" not in out, out
    assert reads(books) == [
        {},
        {"finished": "2020-01-01"},
        {"started": "2024-04-01", "finished": "2024-05-01"},
    ]


def test_a_past_reading_logged_here_is_another_reading(run, books, tmp_path):
    """Near miss: the reader logged here a reading that ended before the last import's date (2018, written
    into the file with `readlog edit`): the export's new 2024 reading is not that one: four readings."""
    run("import", str(export(tmp_path, "old", **RC2_2020)))
    body = "import sys\nwith open(sys.argv[1], 'a') as f:\n    f.write('\\n[[reads]]\\nfinished = 2018-06-01\\n')\n"
    run("edit", "a-book", env={"EDITOR": write_editor(tmp_path, body)})
    assert {"finished": "2018-06-01"} in reads(books)
    out = run("import", "--update", str(export(tmp_path, "new", **RC3_2024))).stderr
    assert "kept your finish" not in out, out
    assert sorted(r.get("finished", "") for r in reads(books)) == [
        "",
        "2018-06-01",
        "2020-01-01",
        "2024-05-01",
    ]


def test_a_reread_given_up_here_is_not_the_exports_finish(run, books, tmp_path):
    """Near miss: the re-read was given up here; the export's new reading is finished: two readings."""
    run("import", str(export(tmp_path, "old", **RC2_2020)))
    run("start", "a-book", "--date", "2024-04-01")
    run("abandon", "a-book", "--date", "2024-05-03")
    out = run("import", "--update", str(export(tmp_path, "new", **RC3_2024))).stderr
    assert "kept your finish" not in out and "kept your stop" not in out, out
    assert {"started": "2024-04-01", "stopped": "2024-05-03"} in reads(books)
    assert {"finished": "2024-05-01"} in reads(books) and len(reads(books)) == 4


def test_a_reread_begun_here_and_not_finished(run, books, tmp_path):
    """Near miss: the re-read begun here is still open; the export finished it: it takes the export's finish
    (one reading, three in all), the book read."""
    run("import", str(export(tmp_path, "old", **RC2_2020)))
    run("start", "a-book", "--date", "2024-04-01")
    out = run("import", "--update", str(export(tmp_path, "new", **RC3_2024))).stderr
    assert reads(books) == [
        {},
        {"finished": "2020-01-01"},
        {"started": "2024-04-01", "finished": "2024-05-01"},
    ]
    assert status(books) == "read", out


def test_fewer_readings_in_a_newer_export_keep_the_readers(run, books, tmp_path):
    """Near miss, going down: the newer export has one reading fewer (removed on Goodreads): the reading it
    brought goes, the re-read the reader logged here stays."""
    run("import", str(export(tmp_path, "old", **RC2_2020)))
    reread_here(run)
    out = run(
        "import", "--update", str(export(tmp_path, "new", Read_Count="1", Date_Read="2020/01/01"))
    ).stderr
    assert reads(books) == [
        {"finished": "2020-01-01"},
        {"started": "2024-04-01", "finished": "2024-05-03"},
    ], out


def test_an_older_export_never_undoes_the_newer_one(run, books, tmp_path):
    """Near miss, going down: after Read Count 3 came in, the older export (Read Count 2, 2020) is refused,
    exit 1, nothing written."""
    old = export(tmp_path, "old", **RC2_2020)
    run("import", str(old))
    reread_here(run)
    run("import", "--update", str(export(tmp_path, "new", **RC3_2024, Date_Added="2024/05/02")))
    before = (books / "a-book.toml").read_bytes()
    out = run("import", "--update", str(old), code=1).stderr
    assert "older Goodreads export" in out and (books / "a-book.toml").read_bytes() == before, out


def test_a_later_export_never_takes_a_kept_date_for_a_reading_ended_here(run, books, tmp_path):
    """The 2020 date kept (Read Count 1 -> 2), a third reading in the next export (2025): three readings, the
    2020 one never said to be a reading of the reader's the export ended on another day."""
    run("import", str(export(tmp_path, "one", Read_Count="1", Date_Read="2020/01/01")))
    run("import", "--update", str(export(tmp_path, "two", Read_Count="2", Date_Read="2024/05/01")))
    assert reads(books) == [{"finished": "2020-01-01"}, {"finished": "2024-05-01"}]
    out = run(
        "import", "--update", str(export(tmp_path, "three", Read_Count="3", Date_Read="2025/02/01"))
    ).stderr
    assert "kept" not in out, out
    assert reads(books) == [
        {"finished": "2020-01-01"},
        {"finished": "2024-05-01"},
        {"finished": "2025-02-01"},
    ]


# --- #4: a date the journal had from the same source is kept --------------------------------------------
def test_a_reread_ended_there_keeps_the_first_readings_date(run, books, tmp_path):
    """Currently-reading, Read Count 1, 2020/01/01, then read, Read Count 2, 2024/05/01: the 2020 reading
    keeps its date (before: undated, silently); the same export again changes nothing."""
    first = export(tmp_path, "old", **READING, Read_Count="1", Date_Read="2020/01/01")
    run("import", str(first))
    assert reads(books) == [{"finished": "2020-01-01"}, {}]
    new = export(tmp_path, "new", Read_Count="2", Date_Read="2024/05/01")
    out = run("import", "--update", str(new)).stderr
    assert reads(books) == [{"finished": "2020-01-01"}, {"finished": "2024-05-01"}], out
    assert status(books) == "read" and "kept" not in out, out
    out = run("import", "--update", str(new)).stderr
    assert "0 updated, 1 skipped" in out and "kept" not in out, out


def test_a_reread_ended_here_and_there_keeps_both_dates(run, books, tmp_path):
    """The same, the reader having finished the re-read here (2024-05-03): 2020 and the reader's finish."""
    run("import", str(export(tmp_path, "old", **READING, Read_Count="1", Date_Read="2020/01/01")))
    run("finish", "a-book", "--date", "2024-05-03")
    out = run(
        "import", "--update", str(export(tmp_path, "new", Read_Count="2", Date_Read="2024/05/01"))
    ).stderr
    assert KEPT in out, out
    assert reads(books) == [{"finished": "2020-01-01"}, {"finished": "2024-05-03"}], out


def test_an_ended_reading_with_one_reading_counted_replaces_the_date(run, books, tmp_path):
    """Near miss: currently-reading, Read Count 1, 2020, then read, Read Count 1, 2024/05/01 (the count did
    not go up: Goodreads has one reading): one reading, 2024-05-01, as a fresh import gives."""
    run("import", str(export(tmp_path, "old", **READING, Read_Count="1", Date_Read="2020/01/01")))
    run("import", "--update", str(export(tmp_path, "new", Read_Count="1", Date_Read="2024/05/01")))
    assert reads(books) == [{"finished": "2024-05-01"}]


# --- t32k's note: an export reading again a book it had read ----------------------------------------------
def test_an_export_reading_it_again_with_the_same_date(run, books, tmp_path):
    """Read, Read Count 1, 2020, then currently-reading, Read Count 1, 2020: the reading begun again there is
    open and last, the book being read (before: an undated past reading put first, the book read)."""
    run("import", str(export(tmp_path, "old", Read_Count="1", Date_Read="2020/01/01")))
    new = export(tmp_path, "new", **READING, Read_Count="1", Date_Read="2020/01/01")
    dry = run("import", "--update", "--dry-run", str(new))
    assert "update: A Book" in dry.stdout and reads(books) == [{"finished": "2020-01-01"}], dry.stdout
    out = run("import", "--update", str(new)).stderr
    assert reads(books) == [{"finished": "2020-01-01"}, {}] and status(books) == "reading", out
    out = run("import", "--update", str(new)).stderr
    assert "0 updated, 1 skipped" in out, out
    run("finish", "a-book", "--date", "2024-05-03")
    assert reads(books) == [{"finished": "2020-01-01"}, {"finished": "2024-05-03"}]


def test_an_export_still_reading_what_was_finished_here(run, books, tmp_path):
    """Near miss: the reader already finished the re-read here (2024-05-03, after the export's 2020): the
    export's open reading is that one, lagging: two readings, the book read."""
    run("import", str(export(tmp_path, "old", Read_Count="1", Date_Read="2020/01/01")))
    reread_here(run, start=None)
    out = run(
        "import", "--update", str(export(tmp_path, "new", **READING, Read_Count="1", Date_Read="2020/01/01"))
    )
    assert reads(books) == [{"finished": "2020-01-01"}, {"finished": "2024-05-03"}], out.stderr
    assert status(books) == "read"


def test_an_export_reading_with_no_finished_reading_left(run, books, tmp_path):
    """Near miss: read (Read Count 1, no date), then currently-reading with Read Count 0: no reading of the
    export's besides its open one, nothing begun again: one reading, the book read, as before."""
    run("import", str(export(tmp_path, "old", Read_Count="1")))
    run("import", "--update", str(export(tmp_path, "new", **READING, Read_Count="0")))
    assert reads(books) == [{}] and status(books) == "read"


# --- StoryGraph: every reading dated, the same rules ------------------------------------------------------
def test_storygraph_a_reread_logged_here_and_there(run, books, tmp_path):
    """StoryGraph read 2020, re-read here (2024-04-01 to 2024-05-03), then the export has a second reading
    (2024/04/02-2024/05/01, Read Count 2): two readings, the reader's kept, said."""
    row = {"Dates Read": "2020/01/01", "Last Date Read": "2020/01/01", "Read Count": "1"}
    run("import", str(write_csv(tmp_path / "old.csv", SG_HEADER, [sg_row(**row)])))
    reread_here(run)
    again = {
        "Dates Read": "2020/01/01, 2024/04/02-2024/05/01",
        "Last Date Read": "2024/05/01",
        "Read Count": "2",
    }
    out = run("import", "--update", str(write_csv(tmp_path / "new.csv", SG_HEADER, [sg_row(**again)]))).stderr
    assert "kept your finish 2024-05-03 (export says started 2024-04-02, finished 2024-05-01)" in out, out
    assert reads(books) == [{"finished": "2020-01-01"}, {"started": "2024-04-01", "finished": "2024-05-03"}]


def test_an_export_reading_again_before_what_the_reader_did_here_since(run, books, tmp_path):
    """Near miss: the reader gave up a re-read here (2024-05-03) after every reading the export has ended
    (its new one 2024/05/01), the export reading it yet again: the reader's later word stands, the book
    given up, no reading begun again."""
    run("import", str(export(tmp_path, "old", Read_Count="1", Date_Read="2020/01/01")))
    run("start", "a-book", "--date", "2024-04-01")
    run("abandon", "a-book", "--date", "2024-05-03")
    new = export(tmp_path, "new", **READING, Read_Count="2", Date_Read="2024/05/01")
    out = run("import", "--update", str(new)).stderr
    assert status(books) == "abandoned" and not any(r == {} for r in reads(books)), out
    assert {"started": "2024-04-01", "stopped": "2024-05-03"} in reads(books), out


def test_a_date_corrected_here_is_no_reread(run, books, tmp_path):
    """Near miss: the reader corrected the 2020 reading's date here (2020-02-01, `readlog edit`), read
    nothing again: the export's new 2024 reading is another, never taken for the corrected one."""
    run("import", str(export(tmp_path, "old", **RC2_2020)))
    body = "import sys\np = sys.argv[1]\nt = open(p).read().replace('finished = 2020-01-01', 'finished = 2020-02-01')\nopen(p, 'w').write(t)\n"
    run("edit", "a-book", env={"EDITOR": write_editor(tmp_path, body)})
    assert reads(books) == [{}, {"finished": "2020-02-01"}]
    out = run("import", "--update", str(export(tmp_path, "new", **RC3_2024))).stderr
    assert "kept your finish" not in out, out
    assert reads(books) == [{}, {"finished": "2020-02-01"}, {"finished": "2024-05-01"}], out


def test_readings_over_four_exports(run, books, tmp_path):
    """Currently-reading (Read Count 1, 2020), read (2, 2024/05/01), currently-reading again (2,
    2024/05/01), read (3, 2025/01/01): every date kept, the reading begun again open and last in the third
    (before: the 2020 date lost, then no reading going, the book read), one reading per count in the end."""
    run("import", str(export(tmp_path, "one", **READING, Read_Count="1", Date_Read="2020/01/01")))
    run("import", "--update", str(export(tmp_path, "two", Read_Count="2", Date_Read="2024/05/01")))
    three = export(tmp_path, "three", **READING, Read_Count="2", Date_Read="2024/05/01")
    out = run("import", "--update", str(three)).stderr
    assert reads(books) == [{"finished": "2020-01-01"}, {"finished": "2024-05-01"}, {}], out
    assert status(books) == "reading"
    run("import", "--update", str(export(tmp_path, "four", Read_Count="3", Date_Read="2025/01/01")))
    dates = [{"finished": "2020-01-01"}, {"finished": "2024-05-01"}, {"finished": "2025-01-01"}]
    assert reads(books) == dates and status(books) == "read"


def test_an_export_reading_what_the_reader_removed_here(run, books, tmp_path):
    """Near miss: read (Read Count 1, no date), the reading removed here (`readlog edit`), then
    currently-reading with Read Count 0: no reading of the export's left to begin again (a first version of
    this branch raised IndexError here), the removal stands."""
    run("import", str(export(tmp_path, "old", Read_Count="1")))
    body = "import sys\np = sys.argv[1]\nt = open(p).read().replace('[[reads]]\\n', '', 1)\nopen(p, 'w').write(t)\n"
    run("edit", "a-book", env={"EDITOR": write_editor(tmp_path, body)})
    assert reads(books) == []
    out = run("import", "--update", str(export(tmp_path, "new", **READING, Read_Count="0"))).stderr
    assert reads(books) == [] and status(books) == "read", out
