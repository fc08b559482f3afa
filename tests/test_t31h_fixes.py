"""Session 31, t31h: `list --status read` lists every book read, as `stats` and the site count them
(try-out 31a #5); search finds a word beside the reader's own U+E000-U+E003 (31a #6); notes on stderr wrap
at word boundaries like errors (31b #5); a JSON backup restores a book file byte for byte (31a, rough)."""

from __future__ import annotations

import json
from pathlib import Path

from readlog import bookfile
from test_t22b_merge import DUNE, export


def _listed(run, *args: str) -> list[str]:
    return sorted(line.split("\t")[0] for line in run("list", *args, "--format", "tsv").stdout.splitlines())


# --- try-out 31a #5: `list --status read --year Y` left out books read in Y and since started again ---------
def test_list_status_read_lists_every_book_read_whatever_its_status_now(run, books: Path):
    for title, day in (("Alpha", "2023-02-01"), ("Beta", "2023-03-01"), ("Gamma", "2023-04-01")):
        run("add", title, "-a", "Ann Author", "-r", "4", "--started", "2023-01-01", "--finished", day)
    run("add", "Delta", "-a", "Dee", "--finished", "2023-05-01")
    run("start", "alpha")  # read in 2023, reading again
    run("start", "beta")
    run("pause", "beta")  # read, started again and paused
    run("start", "gamma")
    run("abandon", "gamma")  # read, started again and given up
    delta = books / "delta.toml"  # read, and wanted again
    delta.write_text(delta.read_text(encoding="utf-8").replace('status = "read"', 'status = "want"'))
    run("add", "Epsilon", "-a", "Eve", "--status", "read")  # read on a day nobody wrote down
    # near misses: reading for the first time, never read, read in another year
    run("add", "Zeta", "-a", "Zed", "--status", "reading", "--started", "2023-06-01")
    run("add", "Eta", "-a", "Ed", "--status", "want")
    run("add", "Theta", "-a", "Tia", "--finished", "2022-12-31")
    stats = json.loads(run("stats", "--year", "2023", "--json").stdout)
    assert stats["finished"] == 4
    in_2023 = ["alpha", "beta", "delta", "gamma"]
    assert _listed(run, "--status", "read", "--year", "2023") == in_2023  # (was: none of them but delta)
    assert _listed(run, "--status", "read", "--from", "2023-03", "--to", "2023") == ["beta", "delta", "gamma"]
    assert _listed(run, "--status", "read") == ["alpha", "beta", "delta", "epsilon", "gamma", "theta"]
    assert _listed(run, "--status", "read", "--rating", ">=4") == ["alpha", "beta", "gamma"]
    wanted = ["alpha", "beta", "delta", "epsilon", "eta", "gamma", "theta"]  # (Delta once)
    assert _listed(run, "--status", "read,want") == wanted
    # the other statuses are what each book is now
    assert _listed(run, "--status", "reading") == ["alpha", "zeta"]
    assert _listed(run, "--status", "want") == ["delta", "eta"]
    assert _listed(run, "--status", "reading", "--year", "2023") == ["alpha"]
    listed = json.loads(run("list", "--status", "read", "--year", "2023", "--json").stdout)
    assert {item["slug"]: item["status"] for item in listed} == {
        "alpha": "reading", "beta": "paused", "gamma": "abandoned", "delta": "want"
    }  # fmt: skip
    table = run("list", "--status", "read", "--format", "table").stdout
    assert "Alpha" in table and "Epsilon" in table and "Zeta" not in table


# --- try-out 31a #6: a word touching the reader's own U+E000-U+E003 was never found ----------------------
def test_search_finds_a_word_beside_a_private_use_character(run):
    """FTS5's unicode61 counts private-use characters as letters, so `\\ue000start\\ue001` was one word; a
    query's words never hold them. The shown text keeps them, with the matches where they are."""
    review = "\ue000start\ue001 and \ue002mid\ue003 then \uf8ffapple end"
    title = "Lantern \ue001Book\ue000"
    run("add", title, "-a", "Ann Author", "--review", review)
    for query, match in (
        ("start", "start"), ("mid", "mid"), ("start*", "start"), ("\ue000start\ue001", "start"),
        ('"start and"', "start and"), ("apple", "apple"), ("end", "end"),
    ):  # fmt: skip
        (hit,) = json.loads(run("search", query, "--json").stdout)
        assert hit["snippet"] == review, query
        assert [hit["snippet"][a:b] for a, b in hit["highlights"]] == match.split(), query
    (hit,) = json.loads(run("search", "book", "--json").stdout)
    assert (hit["part"], hit["title"]) == ("title", title) and hit["snippet"].startswith(title)
    assert review in run("search", "mid", "--format", "tsv").stdout
    # near miss: no phrase runs from the text into the words indexed after it, nor is a glued word split
    assert json.loads(run("search", '"end lantern"', "--json").stdout) == []
    assert json.loads(run("search", "sta", "--json").stdout) == []


def test_the_indexed_text_of_a_part_with_private_use_characters_shows_as_written():
    from readlog.text import SEARCH_FOLDS, search_indexed, search_shown

    for label, body in (
        ("", "\ue000start\ue001"), ("Lantern \ue001Book\ue000", "x"), ("", f"a {SEARCH_FOLDS} b"),
        ("Æneid", "\ue003\ue003"), ("\U000f0001", "Straße\U0010fffd"),
    ):  # fmt: skip
        indexed = search_indexed(label, body)
        assert indexed != body and search_shown(indexed) == body
        assert indexed.count(SEARCH_FOLDS) == body.count(SEARCH_FOLDS) + 2  # (its words: none of them)
    assert search_indexed("Plain", "ascii and é") == "ascii and é"


# --- try-out 31b #5: notes on stderr broke mid-word at 40 columns, where errors wrap between words ---------
def test_every_message_on_stderr_wraps_between_words_on_a_narrow_terminal(run, journal_home):
    import os
    import re
    import subprocess

    from test_colour import on_pty

    title = "Catching Fire: A Second Hunger Games Book"  # (its slug fits a line)
    run("add", title, "-a", "Suzanne Collins", "--pages", "391", "--status", "want")
    run("start", "catching-fire", "--date", "2020-01-01")
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    env.update(READLOG_HOME=str(journal_home), TERM="xterm-256color", READLOG_PAGER="", NO_COLOR="1")
    for args in (
        ["show", "catchng fire"],  # a note (the closest title), stdout elsewhere
        ["progress", "catching-fire", "20%", "--date", "yesterday"],  # the date understood; the confirmation
        ["rate", "catching-fire", "11"],  # an error, as before
    ):
        piped = run(*args, code=2 if args[0] == "rate" else 0).stderr.splitlines()
        assert any(len(line) > 40 for line in piped), piped  # (each says more than a line holds)
        out, _ = on_pty(args, env, 40, stdout=subprocess.DEVNULL)
        said = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", out.decode()).split("\r\n")
        lines = [line.rstrip() for line in said if line.strip()]
        assert all(len(line) <= 40 for line in lines), lines
        # each message's words whole: its lines joined by spaces are the message as a script reads it
        assert " ".join(lines) == " ".join(piped), (lines, piped)


# --- try-out 31a, rough: a review `import --update` added went after [source.goodreads], restored before
def test_a_table_added_to_a_file_goes_where_a_new_file_has_it(run, books, tmp_path):
    row = {**DUNE, "Book Id": "53732", "Binding": "Paperback", "Date Read": "2020/01/02"}
    run("import", str(export(tmp_path, row)))
    run("import", "--update", str(export(tmp_path, {**row, "My Review": "Spice and sand."}, name="two.csv")))
    text = (books / "dune.toml").read_text(encoding="utf-8")
    assert text.index("[review]") < text.index("[source.goodreads]")
    assert text == bookfile.dumps(bookfile.parse(text, "dune.toml"))  # (as a new file is written)
    run("reflect", "dune", "Sand everywhere.")  # another table the file had not: in its place too
    text = (books / "dune.toml").read_text(encoding="utf-8")
    assert text == bookfile.dumps(bookfile.parse(text, "dune.toml"))
    # a JSON backup restored into an empty journal: the same bytes
    backup = tmp_path / "backup.json"
    run("export", "--format", "json", "-o", str(backup))
    run("--data-dir", str(tmp_path / "fresh"), "import", str(backup))
    assert (tmp_path / "fresh" / "books" / "dune.toml").read_text(encoding="utf-8") == text
