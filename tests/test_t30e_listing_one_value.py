"""`list` piped, every book newest first, reads the kept listing one value a book: the line of a book whose
line was vouched for when the listing was made (`plain`), else the book's rowid, whose values are then read
as `select_rows` gives them. At 100,000 books, reading three columns a row (the line, the rowid and `plain`)
was some 17 ms of the listing's 37 (issue 25, goal 1). The listing says what `--format tsv` says, before and
after a hand edit."""

from __future__ import annotations

from readlog.index import BookFilter
from readlog.journal import Journal
from readlog.model import Book
from test_listing_table import BIG, _book, _write
from test_t29e_listing_plain import ODD_TITLES, _plain


def _read(journal_home) -> list[tuple[object, ...]]:
    """What the listing's batches hold, every row."""
    index = Journal(journal_home).fresh_index()
    batches, total = index.select_lines(BookFilter(), "newest", None)
    rows = [row for batch in batches for row in batch]
    assert len(rows) == total
    return rows


def test_the_kept_listing_is_read_one_value_a_book(run, books, journal_home):
    for n in range(40):  # a backslash in a name where n % 11 == 0 (and n % 3): no SQL line
        _write(books, f"book-{n:03d}", _book(n))
    for slug, title in ODD_TITLES.items():
        _write(books, slug, Book(title=title, authors=["Someone"], status="want"))
    expected = run("list", "--format", "tsv").stdout
    assert run("list").stdout == expected  # the listing made, and read
    assert run("list").stdout == expected == run("list", "--limit", BIG).stdout
    rows = _read(journal_home)
    assert {len(row) for row in rows} == {1}
    lines = [value for (value,) in rows if isinstance(value, str)]
    unvouched = {slug for slug, mark in _plain(journal_home).items() if mark != 1}
    assert len(rows) - len(lines) == len(unvouched) == 5  # the odd titles, and the two with no SQL line
    assert set(lines) <= set(expected.splitlines())
    # a hand edit: the row written again by the trigger, not vouched for, is listed from its values
    path = books / "book-002.toml"
    path.write_text(path.read_text(encoding="utf-8").replace("Shared Title 2", "Shared  Title\t2"), "utf-8")
    edited = run("list").stdout
    assert edited == run("list", "--format", "tsv").stdout == run("list", "--limit", BIG).stdout
    assert "book-002\tShared Title 2\t" in edited
    assert sum(isinstance(value, int) for (value,) in _read(journal_home)) == 6
