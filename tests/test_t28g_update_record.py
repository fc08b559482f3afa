"""Try-out 28b #6 and #7: the import's record (`[source.<format>.imported]`) of a row joined to the reader's own
book, and the `authors` `--update` records."""

from __future__ import annotations

from test_import_export import GR_HEADER, gr_row, write_csv
from test_t23c_merge import toml

CATCH = {"Book Id": "405", "Title": "Catch-22", "Author": "Joseph Heller", "My Rating": "5"}
NINETEEN = {"Book Id": "407", "Title": "1984", "Author": "George Orwell"}
DATED = {"Date Read": "2020/01/01", "Date Added": "2019/01/01"}


def test_the_same_export_again_gives_no_hint_after_a_plain_import_joined_the_readers_books(
    run, books, tmp_path
):
    """Try-out 28b #6: a plain import that joined both rows to books the reader added (0 added, 2 updated)
    wrote no record of them, so the same export again said `--update` would merge what it says of them."""
    run("add", "Catch-22", "-a", "Joseph Heller")
    run("add", "1984", "-a", "George Orwell")
    path = write_csv(tmp_path / "g9.csv", GR_HEADER, [gr_row(**CATCH, **DATED), gr_row(**NINETEEN, **DATED)])
    out = run("import", str(path)).stderr
    assert "0 added, 2 updated" in out, out
    record = toml(books, "catch-22")["source"]["goodreads"]["imported"]
    assert record["rating"] == 5 and record["authors"] == ["Joseph Heller"], record
    out = run("import", str(path)).stderr
    assert "0 added, 0 updated, 2 skipped" in out and "--update" not in out, out
    before = {p.name: p.read_bytes() for p in books.iterdir()}
    out = run("import", "--update", str(path)).stderr
    assert "0 added, 0 updated, 2 skipped" in out, out
    assert {p.name: p.read_bytes() for p in books.iterdir()} == before


def test_update_records_the_authors_the_book_took_not_a_newer_rows(run, books, tmp_path):
    """Try-out 28b #7: a newer export spells *Carrie*'s author right and gives *Misery* a co-author; `--update`
    brings no authors in (the books keep theirs), and its record said the newer row's authors all the same:
    the record and the book disagreed, though the reader edited nothing. The record keeps whom the book
    took; the same export again is then as the books hold it (no hint, nothing updated)."""
    rows = [
        gr_row(**{**CATCH, "Book Id": "501", "Title": "Carrie", "Author": "Stephen Kng"}, **DATED),
        gr_row(**{**CATCH, "Book Id": "502", "Title": "Misery", "Author": "Stephen King"}, **DATED),
    ]
    run("import", str(write_csv(tmp_path / "old.csv", GR_HEADER, rows)))
    rows[0]["Author"] = "Stephen King"
    rows[1]["Additional Authors"] = "Richard Bachman"
    newer = write_csv(tmp_path / "new.csv", GR_HEADER, [{**r, "My Rating": "4"} for r in rows])
    out = run("import", "--update", str(newer)).stderr
    assert "2 updated" in out, out
    for slug, authors in (("carrie", ["Stephen Kng"]), ("misery", ["Stephen King"])):
        book = toml(books, slug)
        assert book["rating"] == 4 and book["authors"] == authors, book
        assert book["source"]["goodreads"]["imported"]["authors"] == authors, book
    for update in ((), ("--update",)):
        out = run("import", *update, str(newer)).stderr
        assert "0 updated, 2 skipped" in out and "--update" not in out, out
