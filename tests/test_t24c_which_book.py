"""Try-out 24c: which book an import's row or an e-reader's clipping is. A row's ISBN against a title that is
another book of the journal (a maybe, and a row written to another title names that book); a book parked as
a maybe found again next time (not `-2`, `-3`...); an older finished reading never ends a reading; an
authorless row never joined to another author's; an export's review not taken is said; a KOReader book
known by its series. Near misses beside each."""

from __future__ import annotations

import tomllib
from pathlib import Path

GR_HEAD = "Book Id,Title,Author,ISBN,ISBN13,My Rating,Exclusive Shelf,Date Added,Date Read,Read Count,My Review"
SG_HEAD = (
    "Title,Authors,Contributors,ISBN/UID,Format,Read Status,Date Added,Last Date Read,Dates Read,Read Count,"
    "Star Rating,Review"
)
DUNE_ISBN = "9780441172719"


def csv_file(path: Path, head: str, *rows: str) -> Path:
    path.write_text("\n".join((head, *rows)) + "\n", encoding="utf-8")
    return path


def slugs(books: Path) -> list[str]:
    return sorted(p.stem for p in books.glob("*.toml"))


def toml(books: Path, slug: str) -> dict:
    return tomllib.loads((books / f"{slug}.toml").read_text(encoding="utf-8"))


# --- 1. an ISBN against a title that is another book of the journal --------------------------------------
def test_a_row_titled_as_another_book_is_a_maybe_whatever_its_isbn(run, books, tmp_path):
    run("add", "Dune", "-a", "Frank Herbert", "--isbn", DUNE_ISBN, "--finished", "2020-01-01")
    run("add", "Dune Messiah", "-a", "Frank Herbert", "--status", "want")
    before = (books / "dune.toml").read_bytes()
    row = f"200003,Dune Messiah,Frank Herbert,,{DUNE_ISBN},1,read,2021/08/30,2021/09/01,1,"
    out = run("import", str(csv_file(tmp_path / "gr.csv", GR_HEAD, row))).stderr
    assert "may be the same book as dune (its ISBN), dune-messiah" in out, out
    assert (books / "dune.toml").read_bytes() == before
    assert "rating" not in toml(books, "dune-messiah")
    # near miss: the row of Dune's own title, with its ISBN, is Dune
    row = f"200004,Dune,Frank Herbert,,{DUNE_ISBN},4,read,2020/01/01,2020/01/01,1,"
    out = run("import", "--update", str(csv_file(tmp_path / "dune.csv", GR_HEAD, row))).stderr
    assert "may be the same book" not in out and "1 updated" in out, out
    assert toml(books, "dune")["rating"] == 4


def test_a_row_written_to_a_book_of_another_title_names_it(run, books, tmp_path):
    """StoryGraph `--update`, no book of the row's title: its ISBN decides, and the output names the book
    written to, not only the row (near miss: a row of the book's own title says nothing of it)."""
    run("add", "Dune", "-a", "Frank Herbert", "--isbn", DUNE_ISBN, "--finished", "2020-01-01")
    row = f"God Emperor of Dune,Frank Herbert,,{DUNE_ISBN},paperback,read,2022/01/01,2022/02/01,,1,2.0,"
    out = run("import", "--update", str(csv_file(tmp_path / "sg.csv", SG_HEAD, row))).stderr
    assert "sg.csv:2: God Emperor of Dune: written to dune (Dune), the book holding its ISBN" in out, out
    assert "God Emperor of Dune → dune (Dune): kept your added" in out, out
    row = f"Dune,Frank Herbert,,{DUNE_ISBN},paperback,read,2022/01/01,2022/02/01,,1,2.0,"
    out = run("import", "--update", str(csv_file(tmp_path / "sg2.csv", SG_HEAD, row))).stderr
    assert "written to" not in out and "→" not in out, out
