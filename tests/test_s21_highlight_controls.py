"""An e-reader's title line is another program's text, as an export's is: control characters in it (a NUL, a
bell, C1) are dropped before the clipping is matched or a book made of it (records.Highlight), so a new book's
title holds none and a clipping of a book the journal holds lands on it. Near misses: a title with none, and
the highlight's own text, which keeps its line breaks."""

from __future__ import annotations

import tomllib
from datetime import datetime, timedelta

from readlog.highlights.records import Highlight
from test_highlights_import import record, write


def test_a_title_line_loses_them_and_keeps_the_rest():
    plain = Highlight("kindle", "Fresh Ink", ["Noor Haddad"], "Wet.\nStill wet.")
    odd = Highlight("kindle", "\x00Fresh\x07  Ink\x9b", ["Noor\x00 Haddad", "\x1b"], "Wet.\nStill wet.")
    assert (odd.title, odd.authors) == ("Fresh Ink", ["Noor Haddad"])
    assert odd.key == plain.key and odd.text == "Wet.\nStill wet."
    emoji = Highlight("kobo", "Odd\u202e 😀 ノルウェイの森", [], "x", chapter="One\x00")
    assert emoji.title == "Odd\u202e 😀 ノルウェイの森" and emoji.chapter == "One"


def test_a_new_book_has_a_clean_title_and_a_second_import_adds_nothing(run, tmp_path, books):
    when = datetime.now() - timedelta(days=3)
    raw = record("Fresh\x00 Ink\x07 (Noor\x9b Haddad)", "5-6", when, "Wet.").encode()
    path = write(tmp_path, raw)
    run("import", str(path))
    assert sorted(p.name for p in books.glob("*.toml")) == ["fresh-ink.toml"]
    book = tomllib.loads((books / "fresh-ink.toml").read_text())
    assert (book["title"], book["authors"]) == ("Fresh Ink", ["Noor Haddad"])
    assert "control character" not in run("check").stderr
    again = run("import", str(path)).stderr
    assert "0 added" in again and sorted(p.name for p in books.glob("*.toml")) == ["fresh-ink.toml"]


def test_a_clipping_of_a_book_held_lands_on_it(run, tmp_path, books):
    run("add", "Fresh Ink", "-a", "Noor Haddad", input="")
    when = datetime.now() - timedelta(days=3)
    run("import", str(write(tmp_path, record("Fresh Ink\x00 (Noor Haddad)", "5-6", when, "Wet.").encode())))
    assert sorted(p.name for p in books.glob("*.toml")) == ["fresh-ink.toml"]
    assert tomllib.loads((books / "fresh-ink.toml").read_text())["quotes"][0]["text"] == "Wet."


def test_an_escape_sequence_goes_whole_from_a_review_too():
    from readlog.importers.common import html_to_markdown

    assert html_to_markdown("Good\x1b[1;31m book\x1b[0m.<br/>Two\tlines") == "Good book.\\\nTwo\tlines\n"
    assert html_to_markdown("[31m stays") == "\\[31m stays"  # near miss: no escape character (`[` escaped)
