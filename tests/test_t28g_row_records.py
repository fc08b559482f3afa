"""Try-out 28b: a StoryGraph row with no id is found by the import's record of it (`[source.storygraph.imported]`):
never one more copy per import when two books hold that record, never a silent copy in a journal imported
before the record named the row's authors, and `readlog check` lists the pair the import named."""

from __future__ import annotations

import pytest

from test_s27_lead import BACHMAN, _as_before_session_27
from test_t23c_merge import slugs, toml
from test_t23c_merge import write as csv_file
from test_t25b_whose_book import SG_FULL
from test_t26f_one_row import respell_authors

THINNER = "Thinner,Richard Bachman,,,paperback,to-read,2019/12/02,,,0,,,,,,,,,,,,,No"


def _parked_then_undone(run, books, path, authors: str = '"Richard Bachman"') -> None:
    """Try-out 28b #1: the row's book made Stephen King's, the same export again parks the row as
    `thinner-bachman` (a maybe, named), then the reader gives *Thinner* `authors` back."""
    run("import", str(path))
    respell_authors(books, "thinner", '"Richard Bachman"', '"Stephen King"')
    out = run("import", str(path)).stderr
    assert "Thinner: may be the same book as thinner (by Stephen King): kept as its own book" in out, out
    assert slugs(books) == ["thinner", "thinner-bachman"]
    respell_authors(books, "thinner", '"Stephen King"', authors)


@pytest.mark.parametrize(
    "authors", ['"Richard Bachman"', '"Stephen King", "Richard Bachman"'], ids=["undone", "co-author"]
)
@pytest.mark.parametrize("update", [False, True], ids=["plain", "update"])
def test_a_row_whose_record_two_books_hold_adds_no_copy_on_each_import(run, books, tmp_path, authors, update):
    """Try-out 28b #1: with the row's record in *Thinner* and in the book its row was parked as, every
    import of the same export added another copy (thinner-bachman-2, -3, ...). Now it is left out, naming
    both (`readlog check` lists them: the same book), as often as it is imported."""
    path = csv_file(tmp_path / "s2.csv", SG_FULL, THINNER)
    _parked_then_undone(run, books, path, authors)
    before = {p.name: p.read_bytes() for p in books.iterdir()}
    for _ in range(2):
        out = run("import", *(["--update"] if update else []), str(path)).stderr
        assert "0 added" in out and "1 skipped" in out, out
        assert "Thinner: its record is held by thinner, thinner-bachman: left as they are" in out, out
    assert {p.name: p.read_bytes() for p in books.iterdir()} == before
    assert "thinner-bachman.toml" in run("check", code=1).stdout  # (a duplicate: a problem)


def test_of_two_books_the_row_surely_is_the_one_holding_its_record_is_its_book(run, books, tmp_path):
    """Two books by the row's author of its title, each written by a StoryGraph import (the second holds
    the record of another row, another day's): the row is the book holding its own record (no maybe,
    nothing added), as the copy an import wrote is found among true duplicates."""
    path = csv_file(tmp_path / "s2.csv", SG_FULL, THINNER)
    run("import", str(path))
    text = (books / "thinner.toml").read_text(encoding="utf-8")
    (books / "thinner-bachman.toml").write_text(text.replace("2019-12-02", "2018-05-01"), encoding="utf-8")
    before = {p.name: p.read_bytes() for p in books.iterdir()}
    out = run("import", str(path)).stderr
    assert "0 added" in out and "may be" not in out and "held by" not in out, out
    assert {p.name: p.read_bytes() for p in books.iterdir()} == before


@pytest.mark.parametrize("update", [False, True], ids=["plain", "update"])
def test_an_older_record_on_the_rows_date_alone_is_a_named_maybe(run, books, tmp_path, update):
    """Try-out 28b #2: a journal imported before session 27 (records without `authors`), *It* (a dated
    reading) and *Thinner* (to-read) made Stephen King's: *It* was named as a maybe, *Thinner* silently got
    `thinner-bachman` beside the reader's book holding its record. Both named now; the next import is
    stable, and `readlog check` lists each pair the import named."""
    path = csv_file(tmp_path / "s1.csv", SG_FULL, BACHMAN, THINNER)
    run("import", str(path))
    for slug in ("it", "thinner"):
        _as_before_session_27(books / f"{slug}.toml")
        respell_authors(books, slug, '"Richard Bachman"', '"Stephen King"')
    out = run("import", *(["--update"] if update else []), str(path)).stderr
    assert "It: may be the same book as it (by Stephen King): kept as its own book" in out, out
    assert "Thinner: may be the same book as thinner (by Stephen King): kept as its own book" in out, out
    out = run("import", str(path)).stderr
    assert "0 added" in out and "may be" not in out, out
    checked = run("check").stdout
    for slug in ("it", "thinner"):
        assert f"{slug}.toml: maybe the same book as {slug}-bachman.toml" in checked, checked
    assert toml(books, "thinner")["authors"] == ["Stephen King"]


def test_check_lists_the_pen_name_pair_the_import_named(run, books, tmp_path):
    """Try-out 28b #5: the import said "`readlog check` lists the pair" of *Thinner* (made Stephen King's)
    and the row parked as `thinner-bachman`, and check said "all good" without it."""
    path = csv_file(tmp_path / "s2.csv", SG_FULL, THINNER)
    run("import", str(path))
    respell_authors(books, "thinner", '"Richard Bachman"', '"Stephen King"')
    assert "`readlog check` lists the pair" in run("import", str(path)).stderr
    checked = run("check").stdout
    assert (
        "thinner.toml: maybe the same book as thinner-bachman.toml (Thinner by Richard Bachman / "
        "Thinner by Stephen King)" in checked
    ), checked


def test_check_lists_no_pair_for_two_peoples_rows_of_one_day(run, books, tmp_path):
    """Two rows of one title by two people, put on the shelf on one day (their records name each): two
    books, no maybe in check (nor in the import)."""
    other = THINNER.replace("Richard Bachman", "Jane Doe")
    path = csv_file(tmp_path / "two.csv", SG_FULL, THINNER, other)
    out = run("import", str(path)).stderr
    assert "2 added" in out and "may be" not in out, out
    assert "maybe" not in run("check").stdout
