"""Try-out 27b (#4, #9): two devices' syncs of imported books merge what the imports wrote against what they
wrote. One export row imported on both devices, its author respelled on one: one author, the reader's
spelling (an edit beats an import), never the two spellings side by side. Two exports of one library, one
on each device: the service's own columns, and the fields the imports wrote that neither reader edited,
are the newer export's, never a conflict; a reader's edit still is one (sync.imported)."""

from __future__ import annotations

import shutil
import tomllib

import pytest

from readlog.sync.driver import merge_texts
from test_import_export import GR_HEADER
from test_sync_git import Device, devices, files, remote  # noqa: F401 (fixtures)
from test_t23c_merge import write as csv_file


def imported(authors: str, rating: int = 4, pages: int = 300, average: str = "4.00") -> str:
    """A book file an import of one Goodreads row wrote: its record (`rating`, `pages`) names the row's
    author too. Edits by the reader are made to the book's own lines (`edited`)."""
    lines = ["schema = 2", 'title = "It"', f"authors = [{authors}]", 'status = "read"', f"rating = {rating}"]
    lines += [f"pages = {pages}", "added = 2024-01-05", "", "[[reads]]", "finished = 2024-02-01", ""]
    lines += ["[source.goodreads]", f'"Average Rating" = "{average}"', "", "[source.goodreads.imported]"]
    lines += ['status = "read"', f"rating = {rating}", f"pages = {pages}", "added = 2024-01-05"]
    lines += ['authors = ["Stephen King"]', 'reads = ["||2024-02-01"]']
    return "\n".join(lines) + "\n"


def edited(text: str, line: str, to: str) -> str:
    """`text` with the book's own `line` (the first: not its import's record) changed `to`."""
    assert line in text
    return text.replace(line, to, 1)


def merged(ours: str, theirs: str, newer=None) -> tuple[dict, list[str]]:
    told = {"newer": newer} if newer is not None else {}
    text, conflicts = merge_texts("", ours, theirs, "books/it.toml", **told)
    return tomllib.loads(text), conflicts


# --- #4: one row, one author: the reader's spelling ---------------------------------------------------------
ROW = imported('"Stephen King"')


@pytest.mark.parametrize("side", ["ours", "theirs"])
@pytest.mark.parametrize("spelling", ['"Steven King"', '"Stephen E. King"'])
def test_an_author_the_reader_changed_on_one_device_is_the_books_one_author(side, spelling):
    """Try-out 27b #4: `authors = ["Steven King", "Stephen King"]`: stats and `list --author` count him
    twice. Whatever the reader gave on one device (another spelling, another name, once the row's book is joined) replaces the row's."""
    mine = edited(ROW, 'authors = ["Stephen King"]', f"authors = [{spelling}]")
    ours, theirs = (mine, ROW) if side == "ours" else (ROW, mine)
    data, conflicts = merged(ours, theirs)
    assert data["authors"] == [tomllib.loads(f"a = {spelling}")["a"]]
    assert conflicts == []


def test_two_people_on_two_devices_stay_two_and_an_author_added_on_one_stays():
    ours = edited(ROW, 'authors = ["Stephen King"]', 'authors = ["Stephen King", "Peter Straub"]')
    theirs = edited(ROW, 'authors = ["Stephen King"]', 'authors = ["Steven King"]')
    data, _ = merged(ours, theirs)
    assert data["authors"] == ["Steven King", "Peter Straub"]


def test_a_record_without_the_rows_authors_merges_authors_as_before():
    """A record written before readlog kept the row's authors says nothing of which device edited them."""
    old = ROW.replace('authors = ["Stephen King"]\nreads', "reads")
    mine = edited(old, 'authors = ["Stephen King"]', 'authors = ["Ursula K Le Guin"]')
    theirs = edited(old, 'authors = ["Stephen King"]', 'authors = ["Ursula K. Le Guin"]')
    assert merged(mine, theirs)[0]["authors"] == ["Ursula K. Le Guin"]  # the other device's: README


# --- #9: two exports: the newer one's, where no reader edited ---------------------------------------------
OLDER = imported('"Stephen King"', average="4.00")
NEWER = imported('"Stephen King"', rating=5, pages=310, average="4.04")


@pytest.mark.parametrize("ours_newer", [True, False], ids=["newer-here", "newer-there"])
def test_the_newer_exports_values_where_no_reader_edited_them(ours_newer):
    ours, theirs = (NEWER, OLDER) if ours_newer else (OLDER, NEWER)
    data, conflicts = merged(ours, theirs, lambda source: "ours" if ours_newer else "theirs")
    assert conflicts == []
    assert data["source"]["goodreads"]["Average Rating"] == "4.04"
    assert (data["rating"], data["pages"]) == (5, 310)
    assert data["source"]["goodreads"]["imported"] == tomllib.loads(NEWER)["source"]["goodreads"]["imported"]


def test_a_reader_edit_on_the_older_exports_device_is_still_a_conflict():
    data, conflicts = merged(NEWER, edited(OLDER, "rating = 4", "rating = 3"), lambda source: "ours")
    assert conflicts == ["rating"]
    assert data["source"]["goodreads"]["Average Rating"] == "4.04"  # the service's column: the newer's


def test_a_reader_edit_after_the_newer_export_is_kept():
    data, conflicts = merged(OLDER, edited(NEWER, "rating = 5", "rating = 2"), lambda source: "theirs")
    assert (data["rating"], conflicts) == (2, [])


def test_which_export_is_newer_not_known_leaves_the_conflicts():
    data, conflicts = merged(OLDER, NEWER, lambda source: None)
    assert "source.goodreads.Average Rating" in conflicts and "rating" in conflicts


# --- through git: two devices, two exports ----------------------------------------------------------------
ROW_2019 = (
    '7,Piranesi,Susanna Clarke,"Clarke, Susanna",,"=""""","=""""",0,4.21,Bloomsbury,Hardcover,245,2020,2020,'
    ",2019/11/02,to-read,to-read (#2),to-read,,,,0,0"
)
ROW_2020 = (
    '7,Piranesi,Susanna Clarke,"Clarke, Susanna",,"=""""","=""""",4,4.27,Bloomsbury USA,Hardcover,272,2020,2020,'
    "2020/10/01,2019/11/02,,,read,,,,1,0"
)
OTHER_2020 = (
    '8,Never Let Me Go,Kazuo Ishiguro,"Ishiguro, Kazuo",,"=""""","=""""",0,3.9,Knopf,Hardcover,303,2021,2021,'
    ",2020/10/05,to-read,to-read (#1),to-read,,,,0,0"
)

MARCH_2020 = OTHER_2020.replace("8,Never Let Me Go", "9,Nocturnes").replace("2020/10/05", "2020/03/01")


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
@pytest.mark.parametrize("edit", [None, "older"])
def test_two_devices_that_imported_two_exports_of_one_library_need_nothing_unless_a_reader_edited(
    devices, tmp_path, edit
):
    """Try-out 27b #9: `187 things need you`, 172 of them Goodreads' Average Rating."""
    laptop, work = devices
    laptop("import", str(csv_file(tmp_path / "2019.csv", GR_HEADER, ROW_2019)))
    work("import", str(csv_file(tmp_path / "2020.csv", GR_HEADER, ROW_2020, OTHER_2020)))
    if edit == "older":
        laptop.change(lambda book: setattr(book, "pages", 250), "piranesi")
    laptop("sync")
    work("sync", code=1 if edit else 0)
    laptop("sync", code=1 if edit else 0)
    assert files(laptop) == files(work)
    book = tomllib.loads(laptop.text("piranesi"))
    assert book["source"]["goodreads"]["Average Rating"] == "4.27"
    assert book["source"]["goodreads"]["Publisher"] == "Bloomsbury USA"
    assert (book["status"], book["rating"]) == ("read", 4)
    assert book["pages"] == 272  # (the work device merged: its value in place)
    conflicts = [(c["field"], c["ours"], c["theirs"]) for c in book.get("conflicts", [])]
    assert conflicts == ([("pages", 272, 250)] if edit else [])


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_a_synced_book_updated_from_two_exports_takes_the_newer_ones_columns(devices, tmp_path):
    """The same with a common version: the book synced, then each device's `import --update` of another
    export (the laptop's of March, the work device's of October) changed the service's columns both ways."""
    laptop, work = devices
    laptop("import", str(csv_file(tmp_path / "2019.csv", GR_HEADER, ROW_2019)))
    laptop("sync")
    work("sync")
    march = ROW_2019.replace("4.21,Bloomsbury,", "4.24,Bloomsbury UK,")
    laptop("import", "--update", str(csv_file(tmp_path / "2020-03.csv", GR_HEADER, march, MARCH_2020)))
    work("import", "--update", str(csv_file(tmp_path / "2020-10.csv", GR_HEADER, ROW_2020, OTHER_2020)))
    laptop("sync")
    work("sync")
    laptop("sync")
    assert files(laptop) == files(work)
    book = tomllib.loads(laptop.text("piranesi"))
    assert (book["source"]["goodreads"]["Average Rating"], book.get("conflicts")) == ("4.27", None)
    assert book["source"]["goodreads"]["Publisher"] == "Bloomsbury USA"
