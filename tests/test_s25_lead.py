"""Session 25, the lead's fixes: each test fails on the code before it."""

from __future__ import annotations


def test_a_quote_reads_as_typed_in_the_post_as_in_show_and_on_the_site(run):
    """A quote is plain text (README), as `show` and the site print it: in the Markdown post `*so*` was
    emphasis, a line opening with `#` a heading inside the block quote, `[x](y)` a link.
    Mutation: book_markdown writing the quote's text as Markdown (`without_raw_html`) again fails this."""
    from markdown_it import MarkdownIt

    run("add", "Station Eleven", "-a", "Emily St. John Mandel", "--status", "read")
    text = "the *so* it goes\n# not a heading\n1984. not a list [x](y) <b>z</b>"
    run("quote", "station-eleven", text, "--page", "12")
    shown = run("show", "station-eleven").stdout
    assert all(line in shown for line in text.split("\n"))  # (`show`: as typed)
    post = run("export", "station-eleven", "--format", "markdown").stdout
    rendered = MarkdownIt("commonmark").render(post)
    quote = rendered.split("<blockquote>")[1].split("</blockquote>")[0]
    assert "<h1>" not in quote and "<em>" not in quote and "<a " not in quote and "<ol" not in quote
    assert "the *so* it goes\n# not a heading\n1984. not a list [x](y) &lt;b&gt;z&lt;/b&gt;" in quote
    assert "— p. 12" in quote


def _positions(home) -> dict[str, int]:
    import tomllib

    books = (tomllib.loads(p.read_text("utf-8")) for p in sorted((home / "books").glob("*.toml")))
    return {b["title"]: b["priority"] for b in books if "priority" in b}


def test_a_few_rows_imported_with_update_keep_the_queue_of_the_books_they_do_not_name(
    run, tmp_path, journal_home
):
    """try-out 25a: a fixed rejects file (or a few rows made by hand) imported with `--update` dropped the
    queue position of every wanted book it did not name (240 of them), and a 1-row file was recorded in
    imports.toml as `rows = 240`. A few rows change only their own books (README: they are no export of the
    library). Mutation: `_leave_queue` on every `--update` again fails this; near miss: a whole newer export
    that no longer lists a wanted book still drops its position."""
    import tomllib

    from test_import_export import GR_HEADER, gr_row, write_csv

    wanted = [
        gr_row(**{"Book Id": str(n), "Title": f"Wanted {n}", "Exclusive Shelf": "to-read",
                  "Bookshelves with positions": f"to-read (#{n})", "Date Added": "2021/01/02"})
        for n in range(1, 21)
    ]  # fmt: skip
    read = [
        gr_row(**{"Book Id": str(n), "Title": f"Read {n}", "Date Read": "2021/03/04"}) for n in range(21, 31)
    ]
    bad = gr_row(**{"Book Id": "31", "Title": "Bad Date", "Date Read": "2020/13/45"})
    export = write_csv(tmp_path / "export.csv", GR_HEADER, [*wanted, *read, bad])
    rejects = tmp_path / "rejects.csv"
    run("import", str(export), "--rejects", str(rejects), code=1)  # (a row rejected: exit 1)
    home = journal_home
    assert len(_positions(home)) == 20
    rejects.write_text(rejects.read_text("utf-8").replace("2020/13/45", "2020/12/25"), "utf-8")
    run("import", str(rejects), "--update")
    assert len(_positions(home)) == 20  # (the fixed row added; no position dropped)
    hand = write_csv(tmp_path / "hand.csv", GR_HEADER, [read[0], wanted[0]])
    out = run("import", str(hand), "--update")
    assert len(_positions(home)) == 20 and "no longer in the export's to-read queue" not in out.stderr
    record = tomllib.loads((home / "imports.toml").read_text("utf-8"))["goodreads"]
    assert record["file"] == "export.csv" and record["rows"] == 31
    newer = write_csv(tmp_path / "newer.csv", GR_HEADER, [*wanted[1:], *read])
    out = run("import", str(newer), "--update")
    assert "Wanted 1" not in _positions(home) and len(_positions(home)) == 19, out.stderr


def test_what_a_plain_import_gave_a_book_through_another_edition_is_the_imports(run, tmp_path, journal_home):
    """try-out 25a: a plain import joined another edition (read, rated 3) into a wanted book an earlier
    import made; the provenance record still said `want` with no rating, so the next export's `--update`
    (rating 5) said `kept your rating 3 (export says 5)` of a rating the reader never gave. Mutation:
    merge_edition not recording what it changed (`_record_brought`) fails this. Near miss: a rating the reader
    gave in readlog before the edition came stays theirs."""
    import tomllib

    from test_import_export import GR_HEADER, gr_row, write_csv

    wanted = {"Book Id": "1", "Title": "1984", "Author": "George Orwell", "Exclusive Shelf": "to-read"}
    edition = {"Book Id": "2", "Title": "1984", "Author": "George Orwell", "My Rating": "3",
               "Date Read": "2023/01/05", "ISBN": '="0451524934"'}  # fmt: skip
    run("import", str(write_csv(tmp_path / "first.csv", GR_HEADER, [gr_row(**wanted)])))
    run("import", str(write_csv(tmp_path / "edition.csv", GR_HEADER, [gr_row(**edition)])))
    newer = write_csv(tmp_path / "newer.csv", GR_HEADER, [gr_row(**{**edition, "My Rating": "5"})])
    out = run("import", str(newer), "--update")
    book = tomllib.loads((journal_home / "books" / "1984.toml").read_text("utf-8"))
    assert book["rating"] == 5 and book["status"] == "read", out.stderr
    assert "kept your rating" not in out.stderr

    run("rate", "1984", "2")  # (the near miss: the reader's own rating, then another edition's export)
    later = write_csv(tmp_path / "later.csv", GR_HEADER, [gr_row(**{**edition, "My Rating": "4"})])
    out = run("import", str(later), "--update")
    assert "kept your rating 2 (export says 4)" in out.stderr
    book = tomllib.loads((journal_home / "books" / "1984.toml").read_text("utf-8"))
    assert book["rating"] == 2


def test_a_highlights_import_lists_as_updated_only_the_books_it_wrote(run, tmp_path):
    """try-out 25a: a second import of one Kindle file said `"updated": 3` in `--json` (every book it met),
    though it wrote nothing; the text said `0 added to 3 books`. Mutation: `report.updated` of every book
    found again fails this; near miss: a longer file's book, with a new highlight, is updated."""
    import json
    from datetime import datetime

    from test_highlights_import import record, write
    from test_highlights_kindle import ENGLISH, clippings, english_date

    path = write(tmp_path, clippings(ENGLISH, english_date))
    run("import", str(path))
    again = json.loads(run("import", str(path), "--json").stdout)
    assert again["counts"]["updated"] == 0 and again["updated"] == []
    assert (
        again["counts"]["skipped"] == 2
    )  # (review 25a: counted nowhere, each book the file names is counted)
    longer = (
        clippings(ENGLISH, english_date)
        + record("The Salt Road (Okafor, Ada)", "700-701", datetime(2024, 4, 2, 9, 0), "A new line.").encode()
    )
    out = json.loads(run("import", str(write(tmp_path, longer)), "--json").stdout)
    assert out["counts"]["updated"] == 1 and [b["slug"] for b in out["updated"]] == ["the-salt-road"]


def test_an_item_written_first_into_a_one_line_array_keeps_the_files_spacing():
    """try-out 25a: an import's record `reads = ["|2019-12-15|"]` given back its first item became
    `reads = ["||","|2019-12-15|"]` (tomlkit inserting first on one line), a diff with no change in files kept
    in git. Mutation: `_sync_array` inserting at 0 with tomlkit's insert again fails this; near misses: an
    item added last, an array over several lines, a padded one."""
    from readlog.bookfile import update_data

    def changed(text: str, key: str, value: list[object]) -> str:
        import tomllib

        data = tomllib.loads(text)
        data["source"]["goodreads"]["imported"][key] = value
        return update_data(text, data)

    head = 'title = "Dune"\n\n[source.goodreads.imported]\n'
    one = head + 'reads = ["|2019-12-15|"]\n'
    assert changed(one, "reads", ["||", "|2019-12-15|"]) == head + 'reads = ["||", "|2019-12-15|"]\n'
    assert changed(one, "reads", ["|2019-12-15|", "||"]) == head + 'reads = ["|2019-12-15|", "||"]\n'
    padded = head + 'reads = [ "a", "b" ]\n'
    assert changed(padded, "reads", ["z", "a", "b"]) == head + 'reads = [ "z", "a", "b" ]\n'
    lines = head + 'reads = [\n    "a",\n    "b",\n]\n'
    assert changed(lines, "reads", ["z", "a", "b"]) == head + 'reads = [\n    "z",\n    "a",\n    "b",\n]\n'


def test_add_asks_nothing_of_a_title_with_a_bell_that_is_a_book_already_there(run, journal_home):
    """review 25a: `add` takes a title as `parse_line` does (a bell dropped), but its early check on a
    terminal (`check_add`, before `Finished when?`) parsed it the old way and found no `Du\\x07ne`, so the
    question came first. Mutation: check_add with `parse_text` again fails this."""
    import pytest

    from readlog.actions.books import check_add
    from readlog.errors import BookExists
    from readlog.journal import Journal

    run("add", "Dune", "-a", "Frank Herbert")
    with pytest.raises(BookExists):
        check_add(Journal(journal_home), "Du\x07ne", ["Frank Herbert"])


class _Terminal:
    """A stdout that is a terminal, keeping what is written to it."""

    def __init__(self) -> None:
        self.text = ""

    def isatty(self) -> bool:
        return True

    def write(self, text: str) -> int:
        self.text += text
        return len(text)

    def flush(self) -> None:
        pass


def test_a_cancelled_reindex_starts_its_line_after_the_terminals_echo(monkeypatch, capsys):
    """review 25b: Ctrl-C in `reindex` or `export` (said_when_cancelled) printed its line right after the
    terminal's `^C`, on the same line, where every other Ctrl-C starts a line of its own. Mutation: no
    `end_prompt_line()` in said_when_cancelled fails this."""
    import sys

    import pytest
    import typer

    from readlog.cli.app import said_when_cancelled

    terminal = _Terminal()
    monkeypatch.setattr(sys, "stdout", terminal)
    with pytest.raises(typer.Exit) as stopped, said_when_cancelled("nothing was exported"):
        raise KeyboardInterrupt
    assert stopped.value.exit_code == 130 and terminal.text == "\n"
    assert "cancelled: nothing was exported" in capsys.readouterr().err


def test_abandon_of_a_read_book_with_an_undated_reading_is_refused(run, books):
    """t25i's note: `add` of a read book writes an undated `[[reads]]`, which `abandon` took for an open
    reading: it stamped it stopped and turned the read book abandoned. Mutation: abandon continuing
    `book.open_read` again fails this; near miss: a book being read is abandoned as before."""
    from conftest import snapshot

    run("add", "Dune", "-a", "Frank Herbert")
    before = snapshot(books)
    refused = run("abandon", "dune", code=1)
    assert "is read: there is no reading to abandon" in refused.stderr
    assert snapshot(books) == before
    run("add", "Dune Messiah", "-a", "Frank Herbert", "--status", "reading")
    run("abandon", "dune-messiah")
    assert 'status = "abandoned"' in (books / "dune-messiah.toml").read_text("utf-8")
