"""The kept listing (`list` piped, every book newest first) knows which of its lines are already their tsv
line as they are (`plain`, checked once when the listing is made), and `list` writes those unchecked: at
100,000 books the check of every line was some 80 ms of a listing's CPU, each time (issue 25, goal 1). A
line that needs work (two spaces running, a tab or a control character in a value, a line SQL cannot
make) is never vouched for, nor is a row written since (a trigger's: checked as it is listed), and the
listing says exactly what the listing made from `books` says."""

from __future__ import annotations

import importlib
import sqlite3
from pathlib import Path

import pytest

from readlog.index.schema import index_path
from readlog.model import Book
from test_listing_table import BIG, _book, _listing_rows, _write

ODD_TITLES = {
    "two-spaces": "Two  Spaces Running",
    "control": "Bell\x07 In The Title",
    "tabbed": "A\tTab",
}


def _plain(home: Path) -> dict[str, int | None]:
    """Each listed book's slug (its line's first value, or its rowid) -> `plain`."""
    db = sqlite3.connect(index_path(home))
    try:
        rows = db.execute("SELECT line, rid, plain FROM listing").fetchall()
        slugs = dict(db.execute("SELECT rowid, slug FROM books"))
    finally:
        db.close()
    return {slugs[rid]: plain for _, rid, plain in rows}


def _journal(books: Path) -> None:
    for n in range(40):  # some with a backslash in a name: no SQL line (n % 11 == 0)
        _write(books, f"book-{n:03d}", _book(n))
    _write(books, "accents", Book(title="Ægir à Zürich", authors=["Émile Zola"], status="want"))
    for slug, title in ODD_TITLES.items():
        _write(books, slug, Book(title=title, authors=["Someone"], status="want"))


def test_the_listing_vouches_for_the_lines_that_need_no_work(run, books, journal_home):
    _journal(books)
    expected = run("list", "--limit", BIG).stdout  # made from `books`, every line checked
    assert run("list").stdout == expected  # the listing made, and read
    plain = _plain(journal_home)
    assert len(plain) == _listing_rows(journal_home) == 44
    not_plain = {slug for slug, mark in plain.items() if mark != 1}
    no_sql_line = {f"book-{n:03d}" for n in range(40) if n % 11 == 0 and n % 3}
    assert not_plain == set(ODD_TITLES) | no_sql_line
    assert "Two Spaces Running\t" in expected and "A Tab\t" in expected


def _checks(monkeypatch) -> list[str]:
    """The texts cli.app's tsv check is asked about from now on."""
    app = importlib.import_module("readlog.cli.app")
    checked: list[str] = []
    check = app.tsv_as_is
    monkeypatch.setattr(app, "tsv_as_is", lambda text, values: checked.append(text) or check(text, values))
    return checked


def test_a_line_written_after_the_listing_is_checked_as_it_is_listed(run, books, journal_home, monkeypatch):
    for n in range(1, 30):
        if n % 11:  # (no backslash in a name: every line made by SQL)
            _write(books, f"book-{n:03d}", _book(n))
    run("list")
    assert set(_plain(journal_home).values()) == {1}
    checked = _checks(monkeypatch)
    whole = run("list").stdout
    assert whole == run("list", "--limit", BIG).stdout and len(whole.splitlines()) == 27
    assert checked == [whole[:-1]]  # not the listing's lines: once, the whole of the one from `books`
    checked.clear()
    # a hand edit: two spaces running in a title; the row is written again by the trigger, not vouched for
    path = books / "book-001.toml"
    path.write_text(path.read_text(encoding="utf-8").replace("Shared Title 1", "Shared  Title  1"), "utf-8")
    _write(books, "new-one", Book(title="New One", authors=["Someone"], status="want"))
    listed = run("list").stdout
    assert checked  # the block holding them
    assert listed == run("list", "--limit", BIG).stdout
    assert "book-001\tShared Title 1\t" in listed
    plain = _plain(journal_home)
    assert plain["book-001"] is None and plain["new-one"] is None


@pytest.mark.parametrize("line", ["a\tb\tc\td\te\tf", "caf\u00e9\tb\t\t\t\t"])
def test_lines_as_is_takes_a_plain_line(line):
    from readlog.text import lines_as_is

    assert lines_as_is(line, 1, 6)
    assert lines_as_is(f"{line}\n{line}", 2, 6)
    assert not lines_as_is(line.replace("b", "b "), 1, 6)
    assert not lines_as_is(line + "\tg", 1, 6)  # a tab in a value
    assert not lines_as_is(f"{line}\n{line}", 1, 6)  # a newline in a value
    assert not lines_as_is(line.replace("a", "a\x1b"), 1, 6)
