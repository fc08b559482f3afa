"""Editions of one work in one export (try-out 31b #1): an edition given up leaves the work wanted while
another edition is still wanted, and nothing a joined row brought is lost (its title, its credits, its
review kept with it)."""

from __future__ import annotations

import tomllib

import pytest

from test_import_export import GR_HEADER, SG_HEADER, gr_row, sg_row, write_csv

PAPERBACK = sg_row(**{
    "Title": "Crime and Punishment", "Authors": "Fyodor Dostoevsky", "ISBN/UID": "9781593080815",
    "Contributors": "Constance Garnett (Translator), Priscilla Meyer (Contributor)", "Format": "paperback",
    "Read Status": "to-read", "Date Added": "2024/12/18", "Tags": "to-be-read",
})  # fmt: skip
SECOND = {**PAPERBACK, "ISBN/UID": "", "Contributors": "David Magarshack (Translator)"}
ABRIDGED = sg_row(**{
    "Title": "Crime and Punishment (Abridged)", "Authors": "Fyodor Dostoevsky", "ISBN/UID": "9780143058144",
    "Contributors": "Alex Jennings (Narrator)", "Format": "audio", "Read Status": "did-not-finish",
    "Date Added": "2026/01/04", "Review": "<div>i hate dostoevsky yapping my ear off</div>",
})  # fmt: skip


def one_book(run, tmp_path, books, header, rows) -> dict:
    run("import", str(write_csv(tmp_path / "export.csv", header, rows)))
    (path,) = books.glob("*.toml")
    return tomllib.loads(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("rows", [[PAPERBACK, SECOND, ABRIDGED], [ABRIDGED, PAPERBACK, SECOND]])
def test_an_abandoned_abridged_audiobook_leaves_the_paperback_wanted(run, tmp_path, books, rows):
    book = one_book(run, tmp_path, books, SG_HEADER, rows)
    assert book["status"] == "want"
    assert "crime-and-punishment" in run("list", "--status", "want").stdout
    assert "Crime and Punishment" in run("next").stdout
    assert "review" not in book  # the audiobook's review is of the audiobook: kept with it
    editions = book["source"]["storygraph"]["editions"]
    (audio,) = [e for e in editions if e.get("isbn") == "9780143058144"]
    assert audio["status"] == "abandoned"
    assert audio["review"] == "i hate dostoevsky yapping my ear off"
    kept = (books / "crime-and-punishment.toml").read_text(encoding="utf-8")
    for fact in (
        "Alex Jennings (Narrator)",
        "David Magarshack (Translator)",
        "Crime and Punishment (Abridged)",
    ):
        assert fact in kept, fact
    shown = run("show", "crime-and-punishment").stdout
    assert "Review of another edition" in shown and "abandoned" in shown
    again = (books / "crime-and-punishment.toml").read_bytes()
    run("import", str(tmp_path / "export.csv"))
    run("import", "--update", str(tmp_path / "export.csv"))
    assert (books / "crime-and-punishment.toml").read_bytes() == again


def test_near_misses_keep_the_most_advanced_status(run, tmp_path, books):
    # Read in one edition and wanted in another: read. An abridged edition read: read, its title kept.
    read = {**ABRIDGED, "Read Status": "read", "Last Date Read": "2025/03/01", "Star Rating": "3"}
    book = one_book(run, tmp_path, books, SG_HEADER, [PAPERBACK, read])
    assert book["status"] == "read" and book["rating"] == 3
    (audio,) = [e for e in book["source"]["storygraph"]["editions"] if e.get("format") == "audio"]
    assert audio["title"] == "Crime and Punishment (Abridged)" and "status" not in audio


def test_goodreads_editions_one_given_up_one_wanted(run, tmp_path, books):
    rows = [
        gr_row(**{"Book Id": "1", "Title": "Dune", "Author": "Frank Herbert", "Exclusive Shelf": "to-read",
                  "Binding": "Paperback", "Bookshelves": "to-read"}),
        gr_row(**{"Book Id": "2", "Title": "Dune", "Author": "Frank Herbert", "Exclusive Shelf": "did-not-finish",
                  "Binding": "Audible Audio", "Bookshelves": "did-not-finish"}),
    ]  # fmt: skip
    book = one_book(run, tmp_path, books, GR_HEADER, rows)
    assert book["status"] == "want"
    (gone,) = [e for e in book["source"]["goodreads"]["editions"] if e.get("Book Id") == "2"]
    assert gone["status"] == "abandoned"
