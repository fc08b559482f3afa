"""Try-out 26b #6: `start TITLE --author A` beside an authorless book of that title is asked about on a
terminal, as `add` is; a script's refusal names `start --new`, which starts a separate book (its hint was
`add --new`, which records a reading as read)."""

from __future__ import annotations

from conftest import snapshot
from test_query_policy import _on_terminal
from test_t23c_merge import slugs, toml
from test_t24d_which_book import write

KING = "Stephen King"


def test_start_with_an_author_beside_an_authorless_book_is_refused_naming_start_new(run, books):
    write(books, "the-stand", "The Stand", [], status="want")
    before = snapshot(books)
    err = run("start", "The Stand", "--author", KING, code=1).stderr
    assert "'The Stand' may be the same book as the-stand (The Stand): nothing was added" in err, err
    assert (
        "`readlog start 'The Stand' -a 'Stephen King' --new` starts it as a separate book" in err
        and "add --new" not in err
    ), err
    assert snapshot(books) == before
    err = run("start", "The Stand", "--new", code=2).stderr
    assert "--new adds a separate book: give its author with --author NAME" in err, err
    assert snapshot(books) == before
    run("start", "The Stand", "--author", KING, "--new", "--date", "2026-01-02")
    assert slugs(books) == ["the-stand", "the-stand-king"]
    book = toml(books, "the-stand-king")
    assert book["status"] == "reading" and book["authors"] == [KING], book
    assert [str(r["started"]) for r in book["reads"]] == ["2026-01-02"] and "finished" not in book["reads"][0]
    assert toml(books, "the-stand")["status"] == "want"


def test_start_on_a_terminal_asks_as_add_does(run, books, tmp_path):
    write(books, "the-stand", "The Stand", [], status="want")
    before = snapshot(books)
    args = ["start", "The Stand", "--author", KING]
    code, shown = _on_terminal(args, [(b"Add it as a separate book? [y/N]", b"")], tmp_path)
    assert code == 1 and "may be the same book as the-stand (The Stand)" in shown, shown
    assert "`readlog start the-stand` starts the one the" in shown, shown
    assert snapshot(books) == before
    code, shown = _on_terminal(args, [(b"Add it as a separate book? [y/N]", b"y")], tmp_path)
    assert code == 0 and "Added “The Stand” and started reading it" in shown, shown
    assert toml(books, "the-stand-king")["status"] == "reading"
