"""Try-out 27c #1 and #7: `add TITLE --reread` says the book is in the journal. A title or an author that is
not surely a book of it (someone else's *Dune*, `Dnue`, `Frank Herbrt`, a title it has not at all) made a new
book with the reading, exit 0: now nothing is written in a script (exit 1, naming the close books and
`--new`), and a terminal asks as `add` asks a maybe. With no author, TITLE is a BOOK as `finish` has it."""

from __future__ import annotations

import pytest

from conftest import snapshot
from test_query_policy import _on_terminal
from test_t23c_merge import slugs, toml
from test_t24d_which_book import write

FRANK = "Frank Herbert"
NAMED = "the closest is dune (Dune by Frank Herbert) (nothing was added: `readlog add dune --reread` logs"


@pytest.mark.parametrize(
    ("title", "author"),
    [("Dune", "Brian Herbert"), ("DUNE", "Brian Herbert"), ("dune", "Brian Herbert"), ("Dnue", FRANK),
     ("Dune", "Frank Herbrt")],
)  # fmt: skip
def test_a_reread_of_a_book_not_surely_in_the_journal_adds_nothing_and_names_the_close_one(
    run, books, title, author
):
    write(books, "dune", "Dune", [FRANK])
    before = snapshot(books)
    err = run("add", title, "-a", author, "--reread", "--finished", "2026-11-05", code=1).stderr
    assert f"readlog: error: {title!r} by {author} is not in the journal; {NAMED}" in err, err
    assert "`--new` adds a separate book" in err and "Added" not in err, err
    assert snapshot(books) == before
    # near miss: the book as it is, by its title and author, takes the reading
    run("add", "Dune", "-a", FRANK, "--reread", "--finished", "2026-11-05")
    assert [str(r["finished"]) for r in toml(books, "dune")["reads"]] == ["2026-11-05"]


def test_a_reread_of_a_title_the_journal_has_not_at_all_adds_nothing(run, books):
    write(books, "dune", "Dune", [FRANK])
    before = snapshot(books)
    err = run("add", "Brand New", "-a", "Nobody", "--reread", code=1).stderr
    assert "'Brand New' by Nobody is not in the journal (nothing was added" in err, err
    assert "`--new` adds it as a new book" in err, err
    err = run("add", "Brand New", "--reread", code=1).stderr
    assert "no book in the journal is 'Brand New'" in err and "--new" in err, err
    assert snapshot(books) == before
    run("add", "Brand New", "-a", "Nobody", "--reread", "--new", "--finished", "2026-11-02")
    assert slugs(books) == ["brand-new", "dune"]


def test_a_reread_with_no_author_names_each_book_the_title_is(run, books):
    """`add dune --reread` with Frank's and Brian's *Dune*: "missing author". Each is named now, as `finish
    dune --reread` names them; the one title of one book takes the reading with no author."""
    write(books, "dune", "Dune", [FRANK])
    write(books, "dune-herbert", "Dune", ["Brian Herbert"])
    before = snapshot(books)
    for title in ("dune", "Dune"):
        err = run("add", title, "--reread", "--finished", "2026-11-05", code=1).stderr
        assert "matches several books" in err and "missing author" not in err, err
        assert "dune (Dune by Frank Herbert)" in err and "dune-herbert (Dune by Brian Herbert)" in err, err
    err = run("add", "Dune", "-a", "Kevin J. Anderson", "--reread", code=1).stderr
    assert "the closest are dune (Dune by Frank Herbert), dune-herbert (Dune by Brian Herbert) (" in err, err
    assert snapshot(books) == before
    run("add", "Dune by Brian Herbert", "--reread", "--finished", "2026-11-05")
    assert [str(r["finished"]) for r in toml(books, "dune-herbert")["reads"]] == ["2026-11-05"]


def test_a_reread_not_surely_in_the_journal_is_asked_on_a_terminal(books, tmp_path):
    write(books, "dune", "Dune", [FRANK])
    before = snapshot(books)
    args = ["add", "Dune", "-a", "Brian Herbert", "--reread", "--finished", "2026-11-05"]
    code, shown = _on_terminal(args, [(b"Add it as a separate book? [y/N]", b"")], tmp_path)
    assert code == 1 and "the closest is dune (Dune by Frank Herbert)" in shown, shown
    assert snapshot(books) == before
    code, shown = _on_terminal(args, [(b"Add it as a separate book? [y/N]", b"y")], tmp_path)
    assert code == 0 and "Added “Dune”" in shown, shown
    assert [str(r["finished"]) for r in toml(books, "dune-herbert")["reads"]] == ["2026-11-05"]
    assert "reads" not in toml(books, "dune")
