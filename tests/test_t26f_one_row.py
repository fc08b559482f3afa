"""Try-out 26b (#1, #4, #5, #7): one export row is one book, and one reading is one reading. A book holding a
source's own record of a row is that row's book whatever its authors say now (another spelling given since),
on a re-import and in a sync's add/add; an `--update` keeps a reading the reader changed instead of adding
the export's back; a full export's `--update` counts its rows (a dropped queue position is said on its own);
`merge` keeps one reading finished on a day once, with its start. Near misses beside each."""

from __future__ import annotations

import json
import shutil

import pytest

from test_sync_git import Device, devices, files, remote  # noqa: F401 (fixtures)
from test_t23c_merge import slugs, toml
from test_t23c_merge import write as csv_file
from test_t25b_whose_book import SG_FULL, give_author, readings

STEVEN = (
    "The Stand,Steven King,,,paperback,read,2024/03/01,2024/04/01,2024/03/02-2024/04/01,1,,,,,,,,4.0,,,,,No"
)
NOBODY = STEVEN.replace("Steven King", "")


def respell(books, slug: str, old: str, new: str) -> None:
    path = books / f"{slug}.toml"
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")


# --- #1: the row's book, whatever its authors say now ---------------------------------------------------
@pytest.mark.parametrize("update", [False, True], ids=["plain", "update"])
def test_a_reimport_finds_its_row_book_after_the_reader_respelled_its_author(run, books, tmp_path, update):
    """Try-out 26b #1: the second import added the-stand-king (Steven King) beside the-stand, one reading
    twice, nothing said."""
    path = csv_file(tmp_path / "sg7.csv", SG_FULL, STEVEN)
    run("import", str(path))
    respell(books, "the-stand", '"Steven King"', '"Stephen King"')
    out = run("import", *(["--update"] if update else []), str(path)).stderr
    assert slugs(books) == ["the-stand"], out
    assert "0 added" in out and "may be" not in out, out
    assert toml(books, "the-stand")["authors"] == ["Stephen King"]
    assert readings(books, "the-stand") == [("2024-03-02", "2024-04-01")]


def test_a_row_by_its_own_authors_still_finds_its_own_book_beside_another_row_record(run, books, tmp_path):
    """Near misses: two rows of one title by two people, added on one day, to-read (no reading ties either
    record to its row): each finds its own book, sure by its authors; a third spelling of neither, where
    both books hold a record like its, is never guessed: kept as its own book, both named."""
    frost = "Poems,Robert Frost,,,paperback,to-read,2024/03/01,,,0,,,,,,,,,,,,,No"
    both = [frost, frost.replace("Robert Frost", "Emily Dickinson")]
    path = csv_file(tmp_path / "poems.csv", SG_FULL, *both)
    run("import", str(path))
    assert slugs(books) == ["poems", "poems-dickinson"]
    out = run("import", str(path)).stderr
    assert slugs(books) == ["poems", "poems-dickinson"] and "2 skipped" in out, out
    other = frost.replace("Robert Frost", "Anne Sexton")
    out = run("import", str(csv_file(tmp_path / "other.csv", SG_FULL, other))).stderr
    assert "may be the same book as poems, poems-dickinson" in out, out
    assert slugs(books) == ["poems", "poems-dickinson", "poems-sexton"]


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
        respell(work.home / "books", "the-stand", '"Steven King"', '"Stephen King"')
    laptop("sync")
    said = work("sync", "--json")
    laptop("sync")
    assert files(laptop) == files(work)
    assert book_files(laptop) == ["the-stand"], said.stdout
    assert json.loads(said.stdout)["notes"] == []
    book = laptop.book("the-stand")
    assert len(book.reads) == 1
    # merged field by field as any add/add: no version is the older one, so neither spelling is dropped
    assert book.authors == (["Stephen King"] if row == NOBODY else ["Stephen King", "Steven King"])
