"""`next` lists the same books on a terminal, as TSV and as JSON (session 23's try-out: the series' next
books were missing from the TSV, the JSON left out the books being read, and a series' next book that was
also a pick was listed twice), and a pick naming a book the reader paused or abandoned says so."""

from __future__ import annotations

import csv
import io
import json

from test_suggest import write


def journal(books) -> None:
    write(
        books, "ember-1", "Ember Cycle 1", "Ivo Ember", "read", series={"name": "Ember Cycle", "number": "1"}
    )
    with (books / "ember-1.toml").open("a", encoding="utf-8") as f:
        f.write('\n[[next]]\ntitle = "Ember Cycle 2"\nauthors = ["Ivo Ember"]\n')
        f.write('\n[[next]]\ntitle = "Brick One"\nauthors = ["Cy Dropped"]\n')
        f.write('\n[[next]]\ntitle = "Paused Thing"\nauthors = ["Pa Use"]\n')
    write(
        books, "ember-2", "Ember Cycle 2", "Ivo Ember", "want", series={"name": "Ember Cycle", "number": "2"}
    )
    write(books, "frost-1", "Frost Saga 1", "Ada Frost", "read", series={"name": "Frost Saga", "number": "1"})
    write(books, "frost-2", "Frost Saga 2", "Ada Frost", "want", series={"name": "Frost Saga", "number": "2"})
    write(books, "brick-one", "Brick One", "Cy Dropped", "abandoned")
    write(books, "paused-thing", "Paused Thing", "Pa Use", "paused", reads=True)
    with (books / "paused-thing.toml").open("a", encoding="utf-8") as f:
        f.write("\n[[reads]]\nstarted = 2024-02-01\n")
    write(books, "lone-want", "Lone Want", "Al One", "want")
    write(books, "now-reading", "Now Reading", "Rea Der", "reading", reads=True)
    with (books / "now-reading.toml").open("a", encoding="utf-8") as f:
        f.write("\n[[reads]]\nstarted = 2024-03-01\n")


def test_the_terminal_tsv_and_json_list_the_same_books_each_once(run, books):
    journal(books)
    rows = list(csv.reader(io.StringIO(run("next", "--format", "tsv").stdout), delimiter="\t"))
    items = json.loads(run("next", "--json").stdout)
    assert [r[0] for r in rows] == [i["title"] for i in items]
    titles = [r[0] for r in rows]
    assert sorted(titles) == sorted(
        ["Now Reading", "Ember Cycle 2", "Brick One", "Paused Thing", "Lone Want", "Frost Saga 2"]
    )  # each once: Ember Cycle 2 as the pick, Frost Saga 2 as its series' next book
    frost = next(i for i in items if i["title"] == "Frost Saga 2")
    assert frost["status"] == "series" and frost["from"]["slug"] == "frost-1"
    assert rows[titles.index("Frost Saga 2")][2:5] == ["frost-1", "series", "next in series: Frost Saga #2"]
    assert items[0]["status"] == "reading" and items[0]["slug"] == "now-reading"
    table = run("next", "--format", "table", env={"COLUMNS": "100"}).stdout
    assert table.count("Ember Cycle 2") == 1
    assert "Frost Saga 2" in table and "Lone Want" in table


def test_a_pick_of_a_book_paused_or_abandoned_says_so(run, books):
    journal(books)
    items = {i["title"]: i for i in json.loads(run("next", "--json").stdout)}
    assert items["Brick One"]["status"] == "abandoned"
    assert items["Paused Thing"]["status"] == "paused"
    table = " ".join(run("next", "--format", "table", env={"COLUMNS": "100"}).stdout.split())
    assert "Brick One — Cy Dropped [you abandoned it]" in table
    assert "Paused Thing — Pa Use [paused]" in table
    shown = " ".join(run("show", "ember-1").stdout.split())
    assert "[you abandoned it]" in shown and "[paused]" in shown


def test_a_book_where_next_takes_a_subcommand_is_told_where_its_picks_are(run, books):
    journal(books)
    said = run("next", "ember cycle 1", code=2).stderr
    assert "No such command 'ember cycle 1'" in said and "`readlog show BOOK`" in said
    assert len(said.strip().splitlines()) == 1
    said = run("next", "ad", code=2).stderr  # a subcommand misspelt keeps its own "did you mean"
    assert "did you mean 'add'" in said and "show BOOK" not in said


def test_options_explain_would_ignore_are_usage_errors(run, books):
    journal(books)
    for extra in (["--tag", "x"], ["--max-pages", "100"], ["--count", "3"], ["--format", "csv"],
                  ["--format", "ebook"]):  # fmt: skip
        said = run("next", "--suggest", "--explain", "lone-want", *extra, code=2).stderr
        assert "does not go with --explain" in said, extra
    said = run("next", "--suggest", "--json", "--format", "csv", code=2).stderr
    assert "--json and --format csv: give one" in said
    run("next", "--json", "--format", "json")  # the same thing twice is no conflict


def test_a_pick_named_as_next_shows_it_is_told_how_to_make_it_a_book(run, books):
    """Session 23's try-out: `start "Nowhere Book"` (a pick `next` listed, no book of the journal) said
    "did you mean" six unrelated titles. Mutation: `_as_pick` returning None: the old words, and this fails."""
    journal(books)
    with (books / "frost-1.toml").open("a", encoding="utf-8") as f:
        f.write('\n[[next]]\ntitle = "Nowhere Book"\nauthors = ["Ghost Author"]\n')
    said = run("start", "nowhere book", code=1).stderr
    # (the pick's author beside the pick's title, not after its source's: try-out 26b)
    assert "is 'nowhere book' (Ghost Author): it is a read-next pick of 'Frost Saga 1';" in said
    assert '`readlog next add "Nowhere Book" --author "Ghost Author"` makes it a book you want' in said
    assert "did you mean" not in said
    assert "read-next pick" in run("show", "Nowhere Book", code=1).stderr
    assert "read-next pick" not in run("start", "nowhere else", code=1).stderr  # no pick: as before


def test_a_pick_of_a_book_in_the_journal_takes_its_authors(run, books):
    journal(books)
    run("next", "add", "Lone Want", "--from", "frost-1")
    assert '[[next]]\ntitle = "Lone Want"\nauthors = ["Al One"]' in (books / "frost-1.toml").read_text()
    said = run("next", "add", "Not Here At All", "--from", "frost-1", code=1).stderr
    assert "missing author: give it with --author NAME" in said
    said = run("next", "add", "Lone Want", code=1).stderr  # a want book of its own still needs its author
    assert "missing author" in said
