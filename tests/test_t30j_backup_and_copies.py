"""Session 30, t30j: a JSON backup restored brought the import records' dates back as text (try-out 30b #1),
and `check` called a copy holding the reader's writing "as its import made it" (try-out 30b #3)."""

from __future__ import annotations

import tomllib
from datetime import date

import pytest

from readlog.importers.merge import as_imported
from readlog.model import book_from_dict
from test_t23c_merge import slugs
from test_t23c_merge import write as csv_file
from test_t25b_whose_book import SG_FULL
from test_t26f_one_row import respell_authors
from test_t28g_row_records import THINNER

EVERY_DATE = """schema = 2
title = "Dated Everywhere"
authors = ["Ann Author"]
status = "reading"
added = 2018-12-29

[[reads]]
started = "2019-05"
finished = 2019-06-01

[[reads]]
started = 2024-01-02

[[reads.progress]]
date = 2024-01-05
page = 40

[[reads.pauses]]
paused = 2024-01-06
resumed = 2024-02-01

[review]
written = 2019-06-02
body = "Good."

[[reflections]]
date = 2024-01-07
text = "A thought."

[[quotes]]
text = "A line."
date = 2024-01-08

[[next]]
title = "Another Book"
added = 2024-01-09

[source.goodreads]
"Book Id" = "1"

[source.goodreads.imported]
status = "read"
added = 2018-12-29
authors = ["Ann Author"]
reads = ["|2019-06-01|"]

[[source.goodreads.editions]]
"Book Id" = "2"

[source.goodreads.editions.imported]
status = "want"
added = 2017-03-04
authors = ["Ann Author"]
"""


# A book `enrich` filled (lookup/fill.py's `[source.openlibrary]`, its `fetched` a date: README), then joined
# by `readlog merge` with another enriched edition (kept, with its own `fetched`, in the table's editions).
ENRICHED = """schema = 2
title = "Dune"
authors = ["Frank Herbert"]
status = "want"
isbn = "9780441172719"
pages = 604
added = 2026-12-01
cover = "covers/dune.jpg"

[source.openlibrary]
work = "/works/OL893415W"
edition = "/books/OL9190193M"
fetched = 2026-12-07
filled = ["pages", "isbn", "cover"]

[[source.openlibrary.editions]]
edition = "/books/OL26242482M"
fetched = 2026-11-27
filled = ["pages"]
isbn = "9780593099322"
"""


@pytest.mark.parametrize("slug, text", [("dated-everywhere", EVERY_DATE), ("dune", ENRICHED)])
def test_a_json_backup_restores_every_date_as_a_date(run, books, tmp_path, slug, text):
    """Every date a book file holds, the import records' (its own and an edition's) and the look-up's day
    (review 30e F3) included, is a date again after `export --format json` and an import of it into a new
    journal, as the file had it: the same file, byte for byte."""
    books.mkdir(parents=True)
    (books / f"{slug}.toml").write_text(text, encoding="utf-8")
    backup = tmp_path / "backup.json"
    run("export", "--format", "json", "--output", str(backup))
    fresh = tmp_path / "fresh"
    run("--data-dir", str(fresh), "import", str(backup))
    restored = (fresh / "books" / f"{slug}.toml").read_text(encoding="utf-8")
    assert tomllib.loads(restored) == tomllib.loads(text)  # (types too: a date is no text)
    assert restored == text


def thinner_copy(run, books, tmp_path):
    """t29g's Thinner: the StoryGraph row imported, its authors respelled to Stephen King, the same export
    again, which keeps the row as its own book, `thinner-bachman`: "as its import made it" (each test's
    near miss). Its file."""
    path = csv_file(tmp_path / "s.csv", SG_FULL, THINNER)
    run("import", str(path))
    respell_authors(books, "thinner", '"Richard Bachman"', '"Stephen King"')
    run("import", str(path))
    assert slugs(books) == ["thinner", "thinner-bachman"]
    said = run("check").stdout  # (near miss: nothing written)
    assert "thinner-bachman is as a StoryGraph export's row made it" in said
    return books / "thinner-bachman.toml"


@pytest.mark.parametrize("writing", ["reflect", "quote", "pick", "why"])
def test_a_copy_holding_the_readers_writing_is_not_as_its_import_made_it(run, books, tmp_path, writing):
    """A row kept as its own book beside the reader's (`thinner-bachman`) is "as its import made it" until
    the reader writes in it: a reflection, a quote, a read-next pick, why they want it. Then `check` no
    longer offers it as the copy to drop (a `rm` of it would lose that writing)."""
    copy = thinner_copy(run, books, tmp_path)
    if writing == "reflect":
        run("reflect", "thinner-bachman", "My only note")
    elif writing == "quote":
        run("quote", "thinner-bachman", "Four legs good.", "--page", "3")
    elif writing == "pick":
        copy.write_text(copy.read_text() + '\n[[next]]\ntitle = "The Long Walk"\n', encoding="utf-8")
    else:
        text = copy.read_text()
        copy.write_text(text.replace("\n[", '\nwhy = "a friend said"\n\n[', 1), encoding="utf-8")
    checked = run("check").stdout
    assert "readlog merge" in checked and "is as a StoryGraph export's row made it" not in checked, checked


RECORD = {
    "status": "read",
    "added": date(2018, 12, 29),
    "title": "Animal Farm",  # (the book's other values: a record of session 31's readlog, t31f)
    "authors": ["George Orwell"],
    "reads": ["|2019-01-06|"],
}


@pytest.mark.parametrize(
    "reading",
    [
        {},  # (near miss: as the import made it)
        {"progress": [{"date": date(2019, 1, 2), "page": 40}]},
        {"pauses": [{"paused": date(2019, 1, 3)}]},
        {"rating": 4.5},
        {"format": "audiobook"},
    ],
    ids=["as-imported", "progress", "pause", "rating", "format"],
)
def test_a_reading_the_reader_wrote_in_is_not_as_its_import_made_it(reading):
    """Where they are in a reading, a pause, a reading's own rating, its format: the reader's, none of
    which an import writes nor its record holds."""
    row = {k: v for k, v in RECORD.items() if k != "reads"}
    source = {"goodreads": {"Book Id": "412836", "imported": RECORD}}
    data = {
        "title": "Animal Farm",
        **row,
        "reads": [{"finished": date(2019, 1, 6), **reading}],
        "source": source,
    }
    assert as_imported(book_from_dict(data)) is not bool(reading)
