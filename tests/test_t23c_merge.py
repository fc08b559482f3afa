"""After `readlog merge` (t22a, t22b left these): two volumes merged are one book to the reader, so new
highlights of the merged-in volume, and a re-import row naming it, land in the merged book as its other data
did (the highlights said in one line); and the editions list a merge begins starts with the kept book's own
edition, then the merged-in one, as an import's does, so a re-import changes nothing. Near misses first."""

from __future__ import annotations

import tomllib
from pathlib import Path

from conftest import snapshot
from readlog.actions.merge import join_books
from readlog.model import Book

SG_HEAD = (
    "Title,Authors,Contributors,ISBN/UID,Format,Read Status,Date Added,Last Date Read,Dates Read,Read Count"
)
GR_HEAD = "Book Id,Title,Author,ISBN,ISBN13,My Rating,Exclusive Shelf,Date Added,Date Read,Read Count"
VAUGHAN = "Brian K. Vaughan"
VOL1, VOL2 = "9781607066019", "9781607066927"


def write(path: Path, head: str, *rows: str) -> Path:
    path.write_text("\n".join((head, *rows)) + "\n", encoding="utf-8")
    return path


def slugs(books: Path) -> list[str]:
    return sorted(p.stem for p in books.glob("*.toml"))


def toml(books: Path, slug: str) -> dict:
    return tomllib.loads((books / f"{slug}.toml").read_text(encoding="utf-8"))


def sagas(tmp_path: Path, second_isbn: str = VOL2) -> Path:
    return write(
        tmp_path / "sg.csv",
        SG_HEAD,
        f'"Saga, Vol. 1",{VAUGHAN},,{VOL1},paperback,read,2024/01/02,2024/01/20,,1',
        f'"Saga, Vol. 2",{VAUGHAN},,{second_isbn},hardcover,read,2024/02/02,2024/02/20,,1',
    )


# --- 4. a row naming the merged-in volume ------------------------------------------------------------------
def test_a_row_of_the_merged_in_volume_finds_the_merged_book(run, books, tmp_path):
    path = sagas(tmp_path)
    run("import", str(path))
    assert slugs(books) == ["saga-vol-1", "saga-vol-2"]
    run("merge", "saga-vol-1", "saga-vol-2")
    before = snapshot(books)
    for args in (("--dry-run",), ("--update", "--dry-run"), ()):
        out = run("import", str(path), *args).stderr
        assert ("0 added" in out or "0 would be added" in out) and "may be the same book" not in out, (
            args,
            out,
        )
    assert slugs(books) == ["saga-vol-1"] and snapshot(books) == before


def test_the_volume_added_back_as_a_book_of_its_own_is_its_row_s_book(run, books, tmp_path):
    """Near miss: after the merge, the reader adds the volume back (`--new`): its row is that book now."""
    path = sagas(tmp_path)
    run("import", str(path))
    run("merge", "saga-vol-1", "saga-vol-2")
    run("add", "Saga, Vol. 2", "-a", VAUGHAN, "--isbn", VOL2, "--new")
    out = run("import", str(path), "--update").stderr
    assert "0 added" in out and "may be the same book" not in out, out
    assert toml(books, "saga-vol-2")["reads"][0]["finished"].isoformat() == "2024-02-20"


def test_a_row_of_another_volume_with_the_book_s_own_isbn_is_still_a_maybe(run, books, tmp_path):
    """Near miss: the ISBN is the journal book's own (no merge made it its edition's): t22a's maybe."""
    run(
        "import",
        str(write(tmp_path / "one.csv", SG_HEAD, f'"Saga, Vol. 1",{VAUGHAN},,{VOL1},paperback,read,,,,1')),
    )
    out = run("import", str(sagas(tmp_path, second_isbn=VOL1))).stderr
    assert "Saga, Vol. 2: may be the same book as saga-vol-1 (its ISBN, another volume)" in out, out
    assert slugs(books) == ["saga-vol-1", "saga-vol-2"]


# --- 4. new highlights of the merged-in volume ---------------------------------------------------------------
CLIP = """{title} (Vaughan, Brian K.)
- Your Highlight on page 8 | location {at}-{end} | Added on Monday, 1 January 2024 10:0{n}:00

{text}
==========
"""


def test_new_highlights_of_the_merged_in_volume_land_in_the_merged_book(run, books, tmp_path):
    first = CLIP.format(title="Saga, Vol. 2", at=11, end=12, n=1, text="Line one.")
    near = CLIP.format(title="Saga, Vol. 1", at=5, end=6, n=3, text="Line of one.")
    clips = tmp_path / "My Clippings.txt"
    clips.write_text(first)
    run("add", "Saga, Vol. 1", "-a", VAUGHAN)
    run("import", str(clips), "--create", "read")
    run("merge", "saga-vol-1", "saga-vol-2")
    clips.write_text(near + first + CLIP.format(title="Saga, Vol. 2", at=21, end=22, n=2, text="Line two."))
    out = run("import", str(clips), "--create", "read").stderr
    lines = [line for line in out.splitlines() if "Saga, Vol. 2: added to saga-vol-1" in line]
    assert len(lines) == 1 and "holds its highlights so far" in lines[0], out
    assert "Saga, Vol. 1:" not in out  # near miss: its own volume's highlights, said as usual
    assert slugs(books) == ["saga-vol-1"]
    assert sorted(q["text"] for q in toml(books, "saga-vol-1")["quotes"]) == [
        "Line of one.",
        "Line one.",
        "Line two.",
    ]
    before = snapshot(books)
    run("import", str(clips), "--create", "read")
    assert snapshot(books) == before


# --- 5. the editions list a merge begins: the kept book's own edition first ------------------------------------
def test_a_merge_begins_the_editions_list_with_the_kept_book_s_own_edition(run, books, tmp_path):
    path = write(
        tmp_path / "gr.csv",
        GR_HEAD,
        '4242,War and Peace: Original Version,Leo Tolstoy,"=""""","=""9780060798871""",4,read,2020/01/02,2020/02/03,1',
        '5353,Voina i mir,Leo Tolstoy,"=""""","=""9780192833983""",5,read,2021/01/02,2021/02/03,1',
    )
    run("import", str(path))
    assert slugs(books) == ["voina-i-mir", "war-and-peace-original-version"]
    run("merge", "war-and-peace-original-version", "voina-i-mir")
    table = toml(books, "war-and-peace-original-version")["source"]["goodreads"]
    editions = table["editions"]
    assert editions[0] == {"Book Id": "4242", "isbn": "9780060798871"}  # A's own, first
    assert editions[1]["Book Id"] == "5353" and len(editions) == 2
    before = snapshot(books)
    out = run("import", str(path)).stderr
    assert "0 added" in out and "0 updated" in out, out
    assert snapshot(books) == before


def test_the_list_of_a_table_that_has_one_is_not_begun_again():
    """Near misses: a table with its own list keeps it as it was; B's source, when A has none, is B's."""
    book = Book(title="A", isbn="9780060798871")
    book.extra["source"] = {"storygraph": {"ISBN/UID": "9780060798871", "Format": "hardcover",
                                           "editions": [{"isbn": "9780060798871", "format": "hardcover"}]}}  # fmt: skip
    other = Book(title="B", isbn="9780192833983")
    other.extra["source"] = {"storygraph": {"ISBN/UID": "9780192833983", "Format": "paperback"}}
    join_books(book, other, "b", [])
    editions = book.extra["source"]["storygraph"]["editions"]
    assert editions[0] == {"isbn": "9780060798871", "format": "hardcover"}
    assert editions[1]["ISBN/UID"] == "9780192833983" and len(editions) == 2
    book = Book(title="A", isbn="9780060798871")
    book.extra["source"] = {"storygraph": {"ISBN/UID": "9780060798871", "Format": "hardcover"}}
    join_books(book, other, "b", [])
    editions = book.extra["source"]["storygraph"]["editions"]
    assert editions[0] == {"isbn": "9780060798871", "format": "hardcover"} and len(editions) == 2
