"""Try-out 26b (#1, #4, #5, #7): one export row is one book, and one reading is one reading. A book holding a
source's own record of a row is that row's book whatever its authors say now (another spelling given since),
on a re-import and in a sync's add/add; an `--update` keeps a reading the reader changed instead of adding
the export's back; a full export's `--update` counts its rows (a dropped queue position is said on its own);
`merge` keeps one reading finished on a day once, with its start. Near misses beside each."""

from __future__ import annotations

import csv
import json
import shutil
import tomllib

import pytest

from test_import_export import GR_HEADER, SHARED, needs_shared
from test_sync_git import Device, devices, files, remote  # noqa: F401 (fixtures)
from test_t23c_merge import slugs, toml
from test_t23c_merge import write as csv_file
from test_t25b_whose_book import SG_FULL, give_author, readings

STEVEN = (
    "The Stand,Steven King,,,paperback,read,2024/03/01,2024/04/01,2024/03/02-2024/04/01,1,,,,,,,,4.0,,,,,No"
)
NOBODY = STEVEN.replace("Steven King", "")
GR_ROW = '5,The Stand,Stephen King,"King, Stephen",,"=""""","=""""",4,4.5,X,Paperback,800,1978,1978,2024/04/01,2024/03/01,,,read,,,,1,0'


def respell(books, slug: str, old: str, new: str) -> None:
    path = books / f"{slug}.toml"
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")


def respell_authors(books, slug: str, old: str, new: str) -> None:
    """The reader's edit of the book's `authors` line (the import's record of the row left as it was)."""
    path = books / f"{slug}.toml"
    head, sep, rest = path.read_text(encoding="utf-8").partition("\n[")
    path.write_text(head.replace(old, new) + sep + rest, encoding="utf-8")


# --- #1: the row's book, whatever its authors say now ---------------------------------------------------
@pytest.mark.parametrize("update", [False, True], ids=["plain", "update"])
def test_a_reimport_finds_its_row_book_after_the_reader_respelled_its_author(run, books, tmp_path, update):
    """Try-out 26b #1: the second import added the-stand-king (Steven King) beside the-stand, one reading
    twice, nothing said."""
    path = csv_file(tmp_path / "sg7.csv", SG_FULL, STEVEN)
    run("import", str(path))
    respell_authors(books, "the-stand", '"Steven King"', '"Stephen King"')
    out = run("import", *(["--update"] if update else []), str(path)).stderr
    assert slugs(books) == ["the-stand"], out
    assert "0 added" in out and "may be" not in out, out
    assert toml(books, "the-stand")["authors"] == ["Stephen King"]
    assert readings(books, "the-stand") == [("2024-03-02", "2024-04-01")]


def test_a_respelled_author_of_a_book_no_reading_ties_to_its_row_is_a_maybe_named(run, books, tmp_path):
    """Near miss: a to-read row (Date Added alone, which many rows share) whose author the reader respelled
    is not surely the row's book: kept as its own book, named, never silent."""
    path = csv_file(
        tmp_path / "sg.csv",
        SG_FULL,
        "The Stand,Steven King,,,paperback,to-read,2024/03/01,,,0,,,,,,,,,,,,,No",
    )
    run("import", str(path))
    respell(books, "the-stand", '"Steven King"', '"Stephen King"')
    out = run("import", str(path)).stderr
    assert "The Stand: may be the same book as the-stand (by Stephen King): kept as its own book" in out, out


def test_a_row_by_its_own_authors_still_finds_its_own_book_beside_another_row_record(run, books, tmp_path):
    """Near misses: two rows of one title by two people, added on one day, to-read (no reading ties either
    record to its row): each finds its own book, sure by its authors; a third person's row, where both
    books hold a record like its, is a third book, as any other person's (review 26a #1: no maybe either)."""
    frost = "Poems,Robert Frost,,,paperback,to-read,2024/03/01,,,0,,,,,,,,,,,,,No"
    both = [frost, frost.replace("Robert Frost", "Emily Dickinson")]
    path = csv_file(tmp_path / "poems.csv", SG_FULL, *both)
    run("import", str(path))
    assert slugs(books) == ["poems", "poems-dickinson"]
    out = run("import", str(path)).stderr
    assert slugs(books) == ["poems", "poems-dickinson"] and "2 skipped" in out, out
    other = frost.replace("Robert Frost", "Anne Sexton")
    out = run("import", str(csv_file(tmp_path / "other.csv", SG_FULL, other))).stderr
    assert "1 added" in out and "may be" not in out, out
    assert slugs(books) == ["poems", "poems-dickinson", "poems-sexton"]


# --- review 26a #1/#2: someone else's book of the title is never the row's (nor one in a sync) -------------
SEXTON = {
    "goodreads": '5,Selected Poems,Anne Sexton,"Sexton, Anne",,"=""""","=""""",4,4.5,X,Paperback,200,1988,1988,'
    "2024/04/01,2024/03/01,,,read,,,,1,0",
    "storygraph": "Selected Poems,Anne Sexton,,,paperback,read,2024/03/01,2024/04/01,2024/04/01,1,"
    ",,,,,,,4.0,,,,,No",
}
PLATH = {
    "goodreads": SEXTON["goodreads"]
    .replace("5,", "7,", 1)
    .replace("Anne Sexton", "Sylvia Plath")
    .replace("Sexton, Anne", "Plath, Sylvia")
    .replace(",read,,", ",read,Ariel is here,"),
    "storygraph": SEXTON["storygraph"]
    .replace("Anne Sexton", "Sylvia Plath")
    .replace(",4.0,,", ",5.0,Ariel is here,"),
}
HEADS = {"goodreads": GR_HEADER, "storygraph": SG_FULL}


@pytest.mark.parametrize("update", [False, True], ids=["plain", "update"])
@pytest.mark.parametrize("service", sorted(HEADS))
def test_a_row_by_someone_else_is_never_written_into_another_persons_book_of_its_title(
    run, books, tmp_path, service, update
):
    """Review 26a #1: Plath's *Selected Poems* (one Date Added and finish day as Sexton's, a shelf filled on
    one day) was written into Sexton's book (`authors = ["Anne Sexton", "Sylvia Plath"]`, her review in
    it), or on StoryGraph silently skipped: two people's books are two books."""
    head = HEADS[service]
    run("import", str(csv_file(tmp_path / "s.csv", head, SEXTON[service])))
    both = csv_file(tmp_path / "both.csv", head, SEXTON[service], PLATH[service])
    out = run("import", *(["--update"] if update else []), str(both)).stderr
    assert slugs(books) == ["selected-poems", "selected-poems-plath"], out
    assert "1 added" in out and "written to" not in out, out
    assert toml(books, "selected-poems")["authors"] == ["Anne Sexton"]
    assert "Ariel" not in (books / "selected-poems.toml").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "a, b, one",
    [
        ("Steven King", "Stephen King", True),
        ("King, Stephen", "Stephen King", True),
        ("J.R.R. Tolkein", "J.R.R. Tolkien", True),
        ("Anne Sexton", "Sylvia Plath", False),
        ("Anne Brontë", "Charlotte Brontë", False),
        ("J. King", "S. King", False),
        ("Joan Smith", "John Smith", False),  # (review 26d: short names a letter apart are two people)
        ("Dan Brown", "Don Brown", False),
        ("Chris Wood", "Chris Hood", False),
        ("Jane Austen", "Jana Austen", False),
    ],
)  # fmt: skip
def test_another_spelling_is_of_one_person_never_someone_else(a, b, one):
    from readlog.identity import respelled

    assert respelled([a], [b]) is one


RESPELLED = {  # (Steven King's row, another Book Id / ISBN of the service's own: another edition's record)
    "goodreads": (GR_HEADER, GR_ROW.replace("Stephen King", "Steven King"), "5,", "9,"),
    "storygraph": (
        SG_FULL,
        STEVEN.replace(",,paperback", ",9780385121682,paperback"),
        "9780385121682",
        "9780307743688",
    ),
}


@pytest.mark.parametrize("service", sorted(RESPELLED))
def test_a_row_with_another_id_of_its_service_is_not_the_respelled_book(run, books, tmp_path, service):
    """Review 26a #1 (the veto): a row the service gives another id of its own than the book it made (a
    Book Id; StoryGraph's ISBN/UID) is never that book by its Date Added and finish day, respelled or not."""
    head, row, mine, other = RESPELLED[service]
    run("import", str(csv_file(tmp_path / "a.csv", head, row)))
    respell(books, "the-stand", '"Steven King"', '"Stephen King"')
    before = (books / "the-stand.toml").read_text(encoding="utf-8")
    out = run("import", str(csv_file(tmp_path / "b.csv", head, row.replace(mine, other, 1)))).stderr
    assert len(slugs(books)) == 2 and "1 added" in out, out
    assert (books / "the-stand.toml").read_text(encoding="utf-8") == before


def book_files(device: Device) -> list[str]:
    return sorted(path.stem for path in (device.home / "books").glob("the-stand*.toml"))


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
@pytest.mark.parametrize("given", ["Stephen King", "Steven King"])
def test_one_row_imported_on_two_devices_is_one_book_whatever_authors_each_gave(devices, tmp_path, given):
    """Try-out 26b #1 in sync: both devices imported the authorless row, one gave it an author: `added on
    both devices, two books: maybe one book`, the-stand and the-stand-king, one reading twice. Also a row
    by Steven King respelled on one device (two people, by their names)."""
    laptop, work = devices
    row = NOBODY if given == "Stephen King" else STEVEN
    path = csv_file(tmp_path / "sg1.csv", SG_FULL, row)
    laptop("import", str(path))
    work("import", str(path))
    if row == NOBODY:
        give_author(work.home / "books", "the-stand", "Stephen King")
    else:
        respell_authors(work.home / "books", "the-stand", '"Steven King"', '"Stephen King"')
    laptop("sync")
    said = work("sync", "--json")
    laptop("sync")
    assert files(laptop) == files(work)
    assert book_files(laptop) == ["the-stand"], said.stdout
    assert json.loads(said.stdout)["notes"] == []
    book = laptop.book("the-stand")
    assert len(book.reads) == 1
    # the import's record of the row is the base (t27f): the reader's respelling on one device is an edit,
    # which wins over the other device's import: one author
    assert book.authors == ["Stephen King"]


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
@pytest.mark.parametrize("who", ["Sylvia Plath", "Stephen King, another Book Id"])
def test_two_rows_by_two_people_or_two_ids_imported_on_two_devices_stay_two_books(devices, tmp_path, who):
    """Review 26a #2: Sexton's *Selected Poems* on one device, Plath's on the other (one Date Added, one
    finish day): the sync made one book by both, Plath's Book Id against Sexton's a conflict. Also one
    person respelled whose rows have two Book Ids (two editions the service keeps apart)."""
    laptop, work = devices
    if who == "Sylvia Plath":
        mine, theirs, title = SEXTON["goodreads"], PLATH["goodreads"], "selected-poems"
    else:
        mine, theirs, title = (
            GR_ROW.replace("Stephen King", "Steven King"),
            GR_ROW.replace("5,", "9,", 1),
            "the-stand",
        )
    laptop("import", str(csv_file(tmp_path / "a.csv", GR_HEADER, mine)))
    work("import", str(csv_file(tmp_path / "b.csv", GR_HEADER, theirs)))
    laptop("sync")
    work("sync")
    laptop("sync")
    assert files(laptop) == files(work)
    kept = sorted((laptop.home / "books").glob(f"{title}*.toml"))
    assert len(kept) == 2, [p.name for p in kept]
    assert all(len(tomllib.loads(p.read_text(encoding="utf-8"))["authors"]) == 1 for p in kept)


# --- #4: a reading the reader changed is theirs, never the export's added back beside it -----------------
CHANGES = {
    "goodreads": (GR_HEADER, GR_ROW, "finished = 2024-04-01", "finished = 2024-04-03", "finished 2024-04-01"),
    "storygraph": (
        SG_FULL,
        STEVEN,
        "finished = 2024-04-01",
        "finished = 2024-04-03",
        "started 2024-03-02, finished 2024-04-01",
    ),
}


@pytest.mark.parametrize("service", sorted(CHANGES))
def test_an_update_keeps_a_reading_whose_date_the_reader_corrected(run, books, tmp_path, service):
    """Try-out 26b #4: `1 updated`, nothing said, the export's 2024-04-01 reading back beside the reader's
    2024-04-03: two readings, two books in 2024's stats."""
    head, row, old, new, says = CHANGES[service]
    path = csv_file(tmp_path / f"{service}.csv", head, row)
    run("import", str(path))
    respell(books, "the-stand", old, new)
    for _ in range(2):  # (said again by the next --update, as any field kept)
        out = run("import", "--update", str(path)).stderr
        assert f"kept: The Stand: kept 1 reading you changed here (export says {says})" in out, out
        assert [r[1] for r in readings(books, "the-stand")] == ["2024-04-03"], out


def test_an_update_says_nothing_of_a_reading_the_reader_only_gave_a_start(run, books, tmp_path):
    """Near misses: a start given to the export's reading is that reading (finished the same day): kept,
    nothing said; a newer export's own new reading is still added."""
    path = csv_file(tmp_path / "gr.csv", GR_HEADER, GR_ROW)
    run("import", str(path))
    respell(books, "the-stand", "finished = 2024-04-01", "started = 2024-03-02\nfinished = 2024-04-01")
    out = run("import", "--update", str(path)).stderr
    assert "kept:" not in out and readings(books, "the-stand") == [("2024-03-02", "2024-04-01")], out
    newer = GR_ROW.replace("2024/04/01,2024/03/01", "2024/09/09,2024/03/01").replace(
        ",read,,,,1,", ",read,,,,2,"
    )
    out = run("import", "--update", str(csv_file(tmp_path / "newer.csv", GR_HEADER, newer))).stderr
    assert [r[1] for r in readings(books, "the-stand")] == ["2024-04-01", "2024-09-09"], out


def test_an_update_says_nothing_of_an_open_reading_the_reader_finished_here(run, books, tmp_path):
    """Review 26a #4a: an export still currently-reading (started 2024-03-02), the reader finished it in
    readlog: every --update said `kept 1 reading you changed here (export says started 2024-03-02)`."""
    row = STEVEN.replace(",read,", ",currently-reading,").replace(
        "2024/04/01,2024/03/02-2024/04/01", ",2024/03/02-"
    )
    path = csv_file(tmp_path / "e.csv", SG_FULL, row)
    run("import", str(path))
    run("finish", "the-stand", "--date", "2024-04-01")
    out = run("import", "--update", str(path)).stderr
    assert "kept:" not in out and readings(books, "the-stand") == [("2024-03-02", "2024-04-01")], out


def test_an_update_says_a_reading_the_reader_removed_is_left_out_not_kept(run, books, tmp_path):
    """Review 26a #4b: the reader removed the imported reading: `kept 1 reading you changed here`, with no
    reading kept. Now: left out, because the reader removed it (not added back)."""
    path = csv_file(tmp_path / "gr.csv", GR_HEADER, GR_ROW)
    run("import", str(path))
    respell(books, "the-stand", "[[reads]]\nfinished = 2024-04-01\n", "")
    assert readings(books, "the-stand") == []
    out = run("import", "--update", str(path)).stderr
    assert "left out 1 reading you removed here (export says finished 2024-04-01)" in out, out
    assert "you changed here" not in out and readings(books, "the-stand") == [], out


# --- #7: one reading finished on a day, in two books merged, is one reading ------------------------------
def test_merge_keeps_one_reading_finished_on_one_day_once_with_its_start(run, books, tmp_path):
    """Try-out 26b #7: `Read 2 times: 2024-04-01; 2024-03-02 → 2024-04-01` after the merge."""
    run("import", str(csv_file(tmp_path / "sg1.csv", SG_FULL, NOBODY)))
    run("add", "The Stand", "-a", "Stephen King", "--new", "--finished", "2024-04-01", "--rating", "5")
    run("merge", "the-stand-king", "the-stand")
    assert readings(books, "the-stand-king") == [("2024-03-02", "2024-04-01")]


@pytest.mark.parametrize(
    "mine, kept",
    [
        ('finished = 2024-04-02', 2),  # another day: two readings
        ('started = 2024-03-20\nfinished = 2024-04-01', 2),  # another start that day: each says its own
        ('stopped = 2024-04-01', 2),  # given up that day, finished that day: which, nobody says
        ('started = 2024-03-02\nfinished = 2024-04-01', 1),  # the same reading: once
    ],
)  # fmt: skip
def test_merge_keeps_two_readings_that_each_say_something_of_their_own(run, books, tmp_path, mine, kept):
    run("import", str(csv_file(tmp_path / "sg1.csv", SG_FULL, NOBODY)))
    run("add", "The Stand", "-a", "Stephen King", "--new", "--status", "want")
    path = books / "the-stand-king.toml"
    path.write_text(path.read_text(encoding="utf-8") + f"\n[[reads]]\n{mine}\n", encoding="utf-8")
    run("merge", "the-stand-king", "the-stand")
    assert len(toml(books, "the-stand-king")["reads"]) == kept


def test_merge_keeps_both_readings_whose_keys_of_the_readers_own_differ(run, books):
    """Review 26a #3: one reading finished on a day in each book, each with its own `place`: the merge kept
    one reading, `place = "a train to Leeds"`, and the beach at Brighton was gone. A `place` only one
    says is folded in."""
    run("add", "Dune", "-a", "Frank Herbert", "--finished", "2024-04-01")
    run("add", "Dune (Deluxe)", "-a", "Frank Herbert", "--finished", "2024-04-01")
    respell(books, "dune", "finished = 2024-04-01", 'finished = 2024-04-01\nplace = "a train to Leeds"')
    deluxe = 'started = 2024-03-01\nfinished = 2024-04-01\nplace = "the beach at Brighton, with Dad"'
    respell(books, "dune-deluxe", "finished = 2024-04-01", deluxe)
    run("merge", "dune", "dune-deluxe")
    places = sorted(r.get("place") for r in toml(books, "dune")["reads"])
    assert places == ["a train to Leeds", "the beach at Brighton, with Dad"]


# --- #5: a full export's --update counts its rows; a dropped queue position is said on its own -----------
@needs_shared
def test_a_full_export_update_counts_its_rows_and_names_the_book_it_no_longer_queues(run, tmp_path):
    """Try-out 26b #5 (freizl's real export less one queued row): `0 added, 1 updated, 313 skipped, 1
    joined` for 314 rows, `updated: [{"slug": null, "title": "Functional Differential Geometry"}]`."""
    export = SHARED / "goodreads_freizl_my-reads.csv"
    run("import", str(export))
    with export.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    fewer = tmp_path / "drop1.csv"
    with fewer.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, list(rows[0]))
        writer.writeheader()
        writer.writerows(row for row in rows if row["Book Id"] != "17349914")
    said = run("import", str(fewer), "--update", "--json")
    report = json.loads(said.stdout)
    assert sum(report["counts"].values()) == len(rows) - 1 and report["updated"] == [], report["counts"]
    book = {"slug": "functional-differential-geometry", "title": "Functional Differential Geometry"}
    assert report["dropped_positions"] == [book]
    assert "its position dropped (still want): Functional Differential Geometry" in said.stderr
