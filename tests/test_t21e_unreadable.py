"""A book file that does not parse (try-out 21a, finding 2) is never guessed past: a write by title or an add
whose book may be in it (its slug is the title's, or starts with it) is refused naming `file:line` and
why; an import into a journal with such a file refuses before writing anything, naming it and `readlog
check`."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import REPO, snapshot

EXAMPLE = REPO / "examples" / "goodreads_library_export.csv"
BROKEN = "rating = 5x\n"


def _break(path: Path) -> None:
    """The file with a value that is no TOML, written anew (so the books folder changes, as an editor's save
    does)."""
    text = path.read_text("utf-8")
    path.unlink()
    path.write_text(text.replace("rating = ", "rating = 5x #", 1) if "rating = " in text else text + BROKEN)


def test_an_import_beside_a_broken_file_refuses_before_writing(
    run, journal_home: Path, tmp_path: Path
) -> None:
    run("import", str(EXAMPLE))
    books = journal_home / "books"
    _break(books / "dune.toml")
    export = tmp_path / "goodreads_library_export.csv"
    shutil.copy(EXAMPLE, export)
    before = snapshot(books)
    for dry in ([], ["--dry-run"]):
        refused = run("import", *dry, str(export), code=1)
        assert f"{books / 'dune.toml'}:" in refused.stderr  # file:line
        assert "`readlog check`" in refused.stderr and "nothing was imported" in refused.stderr
        assert snapshot(books) == before
    assert not (books / "dune-herbert.toml").exists()


def _tales(run, books: Path) -> None:
    for title in ("Alpha Tale", "Beta Tale", "Gamma Tale"):
        run("add", title, "-a", "Writer", "--rating", "3")
    run("list")  # the index has seen them


def test_an_add_beside_a_broken_file_of_its_title_is_refused(run, books: Path) -> None:
    _tales(run, books)
    _break(books / "beta-tale.toml")
    before = snapshot(books)
    for new in ([], ["--new"]):  # --new too: what the broken file holds is not known
        refused = run("add", "Beta Tale", "-a", "Writer", *new, code=1)
        assert f"{books / 'beta-tale.toml'}:" in refused.stderr
        assert "nothing was added" in refused.stderr and "`readlog check`" in refused.stderr
    assert snapshot(books) == before
    run("add", "Delta Tale", "-a", "Writer")  # another title: no file of its name is broken


def test_a_write_by_title_whose_book_may_be_in_a_broken_file_is_refused(run, books: Path) -> None:
    _tales(run, books)
    _break(books / "gamma-tale.toml")
    before = snapshot(books)
    refused = run("rate", "gamma tale", "4", code=1)
    assert f"{books / 'gamma-tale.toml'}:" in refused.stderr and "did you mean" not in refused.stderr
    assert "nothing was written" in refused.stderr
    shown = run("show", "gamma tale", code=1)  # a read finds no book and says why
    assert f"{books / 'gamma-tale.toml'}:" in shown.stderr
    assert snapshot(books) == before
    assert "Rated “Alpha Tale”" in run("rate", "alpha tale", "4").stderr  # other titles: as ever


def test_a_sure_title_is_refused_when_a_second_book_of_it_does_not_parse(run, books: Path) -> None:
    run("add", "Beta Tale", "-a", "Writer")
    run("add", "Beta Tale", "-a", "Other Person", "--new")  # beta-tale-person
    run("list")
    _break(books / "beta-tale.toml")
    before = snapshot(books)
    refused = run("rate", "Beta Tale", "4", code=1)  # the one readable Beta Tale may not be the one meant
    assert f"{books / 'beta-tale.toml'}:" in refused.stderr and "beta-tale-person" in refused.stderr
    assert snapshot(books) == before
    assert "Rated “Beta Tale”" in run("rate", "beta-tale-person", "4").stderr  # the slug: no guess


def test_a_highlights_import_beside_a_broken_file_refuses_too(run, books: Path, tmp_path: Path) -> None:
    run("add", "Gamma Tale", "-a", "Writer", "--rating", "3")
    run("list")
    _break(books / "gamma-tale.toml")
    clippings = tmp_path / "My Clippings.txt"
    clippings.write_text(
        "Gamma Tale (Writer)\n- Your Highlight on page 1 | Location 10-12 | Added on Monday, March 4, 2024 "
        "10:00:00 AM\n\nA line worth keeping.\n==========\n",
        encoding="utf-8",
    )
    before = snapshot(books)
    refused = run("import", str(clippings), code=1)
    assert f"{books / 'gamma-tale.toml'}:" in refused.stderr and "`readlog check`" in refused.stderr
    assert snapshot(books) == before
