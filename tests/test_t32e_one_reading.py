"""Try-out 32a #1: a book imported as currently-reading, finished in readlog, then `import --update` from a
newer export that says read on another day: the open reading the last import recorded, ended here, is the
export's one reading (the reader's finish kept, said), never a second one. Near misses beside it: a true
re-read still added, a reading ended here and another started, the same day on both sides, no record of an
open reading, StoryGraph's dates, `--dry-run`."""

from __future__ import annotations

import json
import tomllib

from test_import_export import GR_HEADER, SG_HEADER, SHARED, gr_row, needs_shared, sg_row, write_csv

READING = {"Exclusive_Shelf": "currently-reading", "Read_Count": "1", "Bookshelves": "currently-reading"}


def reads(books, slug: str = "a-book") -> list[dict[str, str]]:
    data = tomllib.loads((books / f"{slug}.toml").read_text(encoding="utf-8"))
    return [{k: str(v) for k, v in r.items()} for r in data.get("reads", [])]


def two_exports(tmp_path, newer: dict[str, str], older: dict[str, str] | None = None):
    first = write_csv(tmp_path / "old.csv", GR_HEADER, [gr_row(**(older or READING))])
    second = write_csv(tmp_path / "new.csv", GR_HEADER, [gr_row(Date_Added="2020/01/02", **newer)])
    return first, second


def test_a_reading_finished_here_is_the_newer_exports_one_reading(run, books, tmp_path):
    first, second = two_exports(tmp_path, {"Date_Read": "2024/05/01", "Read_Count": "1"})
    run("import", str(first))
    run("finish", "a-book", "--date", "2024-05-03")
    said = "kept: A Book: kept your finish 2024-05-03 (export says finished 2024-05-01)"
    dry = run("import", "--update", "--dry-run", str(second))
    assert said in dry.stdout + dry.stderr and reads(books) == [{"finished": "2024-05-03"}]
    out = run("import", "--update", str(second)).stderr
    assert said in out and "you changed here" not in out, out
    assert reads(books) == [{"finished": "2024-05-03"}]
    stats = json.loads(run("stats", "--json").stdout)
    assert stats["rereads"] == 0, stats
    out = run("import", "--update", str(second)).stderr  # again: still one reading, the reader's
    assert reads(books) == [{"finished": "2024-05-03"}], out


def test_a_true_reread_in_the_export_is_still_added(run, books, tmp_path):
    """Near miss: Read Count 2: the reading ended here is one of them, the other is added (undated)."""
    first, second = two_exports(tmp_path, {"Date_Read": "2024/05/01", "Read_Count": "2"})
    run("import", str(first))
    run("finish", "a-book", "--date", "2024-05-03")
    out = run("import", "--update", str(second)).stderr
    assert "kept your finish 2024-05-03" in out, out
    assert reads(books) == [{}, {"finished": "2024-05-03"}], out


def test_the_same_day_on_both_sides_is_one_reading_nothing_said(run, books, tmp_path):
    first, second = two_exports(tmp_path, {"Date_Read": "2024/05/03", "Read_Count": "1"})
    run("import", str(first))
    run("finish", "a-book", "--date", "2024-05-03")
    out = run("import", "--update", str(second)).stderr
    assert "kept:" not in out and reads(books) == [{"finished": "2024-05-03"}], out


def test_a_reading_ended_here_and_another_started(run, books, tmp_path):
    """Near miss: the reader finished it and began it again here: the export's reading is the finished
    one; the open one stays open, the status stays reading, and one line says what was kept."""
    first, second = two_exports(tmp_path, {"Date_Read": "2024/05/01", "Read_Count": "1"})
    run("import", str(first))
    run("finish", "a-book", "--date", "2024-05-03")
    run("start", "a-book", "--date", "2024-06-01")
    out = run("import", "--update", str(second)).stderr
    assert reads(books) == [{"finished": "2024-05-03"}, {"started": "2024-06-01"}], out
    assert sorted(line for line in out.splitlines() if line.startswith("kept:")) == [
        "kept: A Book: kept your finish 2024-05-03 (export says finished 2024-05-01)",
        "kept: A Book: kept your status reading (since 2024-06-01): the export's read reading is an "
        "earlier one",
    ], out


def test_without_a_record_of_an_open_reading_another_day_is_another_reading(run, books, tmp_path):
    """Near miss (decided, not guessed): imported as wanted, read here: the last import recorded no reading
    left open, so the export's reading finished on another day is another reading, as `merge`'s rule has it."""
    first, second = two_exports(
        tmp_path, {"Date_Read": "2024/05/01", "Read_Count": "1"}, {"Exclusive_Shelf": "to-read"}
    )
    run("import", str(first))
    run("start", "a-book", "--date", "2024-04-01")
    run("finish", "a-book", "--date", "2024-05-03")
    out = run("import", "--update", str(second)).stderr
    assert "kept your finish" not in out, out
    assert reads(books) == [{"started": "2024-04-01", "finished": "2024-05-03"}, {"finished": "2024-05-01"}]


def test_storygraph_a_reading_started_there_finished_here(run, books, tmp_path):
    """StoryGraph's dates: started 2024-03-02 there, finished here; its newer export ends it another day."""
    row = {"Read Status": "currently-reading", "Dates Read": "2024/03/02-", "ISBN/UID": "9780000000002"}
    first = write_csv(tmp_path / "old.csv", SG_HEADER, [sg_row(**row)])
    done = {
        **row,
        "Read Status": "read",
        "Dates Read": "2024/03/02-2024/04/01",
        "Last Date Read": "2024/04/01",
    }
    second = write_csv(tmp_path / "new.csv", SG_HEADER, [sg_row(**done, **{"Read Count": "1"})])
    run("import", str(first))
    assert reads(books) == [{"started": "2024-03-02"}]
    run("finish", "a-book", "--date", "2024-04-05")
    out = run("import", "--update", str(second)).stderr
    assert (
        "kept: A Book: kept your finish 2024-04-05 (export says started 2024-03-02, finished 2024-04-01)"
        in out
    )
    assert reads(books) == [{"started": "2024-03-02", "finished": "2024-04-05"}], out


def test_a_reading_given_up_here_and_finished_in_the_export_stays_two(run, books, tmp_path):
    """Near miss (decided): given up here, finished there: they say different things of the reading, so
    neither is taken for the other (both kept; the status stays the reader's)."""
    first, second = two_exports(tmp_path, {"Date_Read": "2024/05/01", "Read_Count": "1"})
    run("import", str(first))
    run("abandon", "a-book", "--date", "2024-05-03")
    out = run("import", "--update", str(second)).stderr
    assert "kept your" in out and "kept your stop" not in out, out
    assert reads(books) == [{"stopped": "2024-05-03"}, {"finished": "2024-05-01"}], out


@needs_shared
def test_the_real_exports_peter_darling_is_read_once(run, books):
    """The try-out's reproduction: mouse-reeve's 2019-12 export (Peter Darling currently-reading), finished
    here, then the 2020-10 export (read, 2019/12/16, Read Count 1)."""
    folder = SHARED / "goodreads-more"
    run("import", str(folder / "goodreads_mouse-reeve_book-catalogue_2019-12.csv"))
    run("finish", "peter-darling", "--date", "2026-12-07")
    out = run("import", "--update", str(folder / "goodreads_mouse-reeve_book-catalogue_2020-10.csv")).stderr
    assert "kept: Peter Darling: kept your finish 2026-12-07 (export says finished 2019-12-16)" in out, out
    assert reads(books, "peter-darling") == [{"finished": "2026-12-07"}]
    shown = run("show", "peter-darling").stdout
    assert "Read 2 times" not in shown and "2026-12-07" in shown, shown
    rereads = json.loads(run("stats", "--json").stdout)["rereads"]
    assert rereads == 11, rereads  # (9 rows with Read Count 2, and two books of two rows: not Peter Darling)


def test_an_export_reading_it_again_ended_the_one_finished_here(run, books, tmp_path):
    """The newer export is currently-reading again (a finished reading and one going), and the last import
    recorded no finished reading: its finished one can only be the one left open, finished here too (the
    reader's date kept and said), and its open one is a reading begun again, kept open: the book is being
    read (review 32a #2; this test pinned "Read 2 times", the finish counted twice, before)."""
    first, second = two_exports(
        tmp_path, {"Date_Read": "2024/05/01", "Read_Count": "1", **READING}, {**READING, "Read_Count": "0"}
    )
    run("import", str(first))
    run("finish", "a-book", "--date", "2024-05-03")
    out = run("import", "--update", str(second)).stderr
    assert "kept your finish 2024-05-03 (export says finished 2024-05-01, and reading it again)" in out, out
    assert reads(books) == [{"finished": "2024-05-03"}, {}], out
    assert 'status = "reading"' in (books / "a-book.toml").read_text(encoding="utf-8")
