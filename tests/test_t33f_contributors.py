"""LibraryThing's contributors (try-out 33a #9): only the primary author and those credited as `Author` (or
with no role) are a book's authors; a `Translator` goes to `translators`, as StoryGraph's does; an editor,
illustrator, a foreword's or commentary's writer is neither (the export's credits stay in
`[source.librarything]`). And another edition joining a book already here never rewrites its authors."""

from __future__ import annotations

import tomllib
from pathlib import Path

from test_import_export import SHARED as FIXTURES

LT_JSON = FIXTURES / "librarything" / "librarything_mouse-reeve_book-catalogue_2020.json"
STORYGRAPH = next(FIXTURES.glob("storygraph_*.csv"))


def _book(books: Path, stem: str) -> dict:
    (path,) = books.glob(f"{stem}*.toml")
    return tomllib.loads(path.read_text(encoding="utf-8"))


def test_the_json_exports_translators_editors_and_forewords_are_no_authors(run, books: Path) -> None:
    run("import", str(LT_JSON))
    sappho = _book(books, "sappho")  # Barnard: Translator, Fitts: Foreword
    assert sappho["authors"] == ["Sappho"]
    assert sappho["translators"] == ["Mary Barnard"]
    table = sappho["source"]["librarything"]
    assert (table["secondaryauthor"], table["secondaryauthorroles"]) == (
        "Barnard, Mary|Fitts, Dudley",
        "Translator|Foreword",
    )
    goetia = _book(books, "the-goetia")  # the primary author is one whatever the role (Editor)
    assert goetia["authors"] == ["Aleister Crowley"]
    assert goetia["translators"] == ["Samuel Liddell", "MacGregor Mathers"]
    oberon = _book(books, "the-book-of-oberon")  # secondary authors with no role are authors
    assert oberon["authors"] == ["Daniel Harms", "Joseph H. Peterson", "James R. Clark"]
    assert "translators" not in oberon
    cookbook = _book(books, "the-hungarian-cookbook")  # Illustrator and Contributor: neither
    assert cookbook["authors"] == ["Melanie De Proft"]
    trolldom = _book(books, "trolldom")  # the author also credited as illustrator: once
    assert trolldom["authors"] == ["Johannes Björn Gårdbäck"]
    out = run("list", "--author", "Mary Barnard").stdout
    assert "Sappho" not in out


def test_the_tsv_exports_secondary_author_roles(run, books: Path, tmp_path: Path) -> None:
    header = [
        "Book Id",
        "Title",
        "Primary Author",
        "Secondary Author",
        "Secondary Author Roles",
        "Collections",
    ]
    rows = [
        ["1", "Tales of Pirx the Pilot", "Lem, Stanislaw", "Iribarne, Louis", "Translator", "Your library"],
        ["2", "Good Omens", "Pratchett, Terry", "Gaiman, Neil", "Author", "Your library"],
        [
            "3",
            "The Book of Oberon",
            "Harms, Daniel",
            "Peterson, Joseph H.|Clark, James R.",
            "|",
            "Your library",
        ],
        ["4", "Moby-Dick", "Melville, Herman", "Quirk, Tom|Delbanco, Andrew", "Commentary|Introduction", ""],
    ]
    path = tmp_path / "librarything.tsv"
    path.write_text("\n".join("\t".join(r) for r in [header, *rows]) + "\n", encoding="utf-8")
    run("import", str(path))
    pirx = _book(books, "tales-of-pirx")
    assert (pirx["authors"], pirx["translators"]) == (["Stanislaw Lem"], ["Louis Iribarne"])
    assert _book(books, "good-omens")["authors"] == ["Terry Pratchett", "Neil Gaiman"]
    assert _book(books, "the-book-of-oberon")["authors"] == [
        "Daniel Harms",
        "Joseph H. Peterson",
        "James R. Clark",
    ]
    moby = _book(books, "moby-dick")
    assert moby["authors"] == ["Herman Melville"] and "translators" not in moby
    assert moby["source"]["librarything"]["Secondary Author"] == "Quirk, Tom|Delbanco, Andrew"  # kept


def test_another_edition_joining_a_book_never_rewrites_its_authors(run, books: Path) -> None:
    run("import", str(STORYGRAPH))
    assert _book(books, "moby-dick")["authors"] == ["Herman Melville"]
    out = run("import", str(LT_JSON))
    assert "1 updated" in out.stderr + out.stdout  # LibraryThing's edition joined it
    moby = _book(books, "moby-dick")
    assert moby["authors"] == ["Herman Melville"]
    assert "librarything" in moby["source"]


def test_an_edition_joining_fills_in_no_authors_beside_the_readers(run, books: Path, tmp_path: Path) -> None:
    """A near miss of the rule: an edition whose export credits a co-author (role Author) the reader's book
    does not name still leaves the reader's authors as they are."""
    run("add", "Good Omens", "--author", "Terry Pratchett")
    header = [
        "Book Id",
        "Title",
        "Primary Author",
        "Secondary Author",
        "Secondary Author Roles",
        "Collections",
    ]
    path = tmp_path / "librarything.tsv"
    row = ["2", "Good Omens", "Pratchett, Terry", "Gaiman, Neil", "Author", "Read"]
    path.write_text("\t".join(header) + "\n" + "\t".join(row) + "\n", encoding="utf-8")
    run("import", str(path))
    book = _book(books, "good-omens")
    assert book["authors"] == ["Terry Pratchett"]
    assert book["status"] == "read"  # (what the edition may bring: a status further on)
