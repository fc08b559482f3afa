"""Device files under what goes wrong (try-out 24a): a Kindle file still being written (its last clipping
without `==========`, or cut mid-character) lands whole up to its last whole clipping, and the cut one is
held back in one line; a named pipe is refused, never waited on; a truncated Kobo database is named without
a line 0."""

from __future__ import annotations

import os
import sqlite3
import tomllib
from datetime import datetime
from pathlib import Path

import pytest

from readlog.highlights import kindle
from test_highlights_import import record

WHEN = datetime(2024, 3, 5, 21, 4, 10)
WHOLE = record("Piranesi (Clarke, Susanna)", "180-182", WHEN, "The Beauty of the House is immeasurable.")
LAST = record("Piranesi (Clarke, Susanna)", "200-204", WHEN, "Its Kindness infinite — every word of it.")


def quotes(books: Path) -> list[str]:
    return [q["text"] for q in tomllib.loads((books / "piranesi.toml").read_text())["quotes"]]


def test_a_last_clipping_without_its_separator_is_held_back_and_said(run, tmp_path, books):
    path = tmp_path / "My Clippings.txt"
    path.write_text(WHOLE + LAST.removesuffix("==========\n")[:-12] + "\n", encoding="utf-8")
    result = run("import", str(path), "--create", "want")
    assert quotes(books) == ["The Beauty of the House is immeasurable."]
    said = [line for line in result.stderr.splitlines() if "held back" in line]
    assert len(said) == 1 and f"{path}:" in said[0] and "Piranesi" in said[0], result.stderr
    path.write_text(WHOLE + LAST, encoding="utf-8")  # the copy is done: the rest lands
    run("import", str(path))
    assert quotes(books)[-1] == "Its Kindness infinite — every word of it."


def test_a_file_cut_mid_character_lands_its_whole_clippings(run, tmp_path, books):
    raw = (WHOLE + LAST).encode()
    cut = raw[: raw.index("—".encode()) + 1]  # the first byte of the three of an em dash
    path = tmp_path / "My Clippings.txt"
    path.write_bytes(cut)
    result = run("import", str(path), "--create", "want")
    assert quotes(books) == ["The Beauty of the House is immeasurable."]
    assert "--encoding" not in result.stderr and "mid-character" in result.stderr, result.stderr


def test_the_parser_holds_the_unterminated_record_back():
    parsed = kindle.parse((WHOLE + LAST.removesuffix("==========\n")).encode())
    assert [h.text for h in parsed.highlights] == ["The Beauty of the House is immeasurable."]
    assert len(parsed.warnings) == 1 and not parsed.rejects
    assert kindle.parse((WHOLE + "\n\n").encode()).warnings == []  # blank lines after the last: nothing


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_named_pipe_is_refused_at_once(run, tmp_path):
    pipe = tmp_path / "fifo.txt"
    os.mkfifo(pipe)
    result = run("import", str(pipe), code=1)  # (before: waited for a writer, forever, in silence)
    assert "named pipe" in result.stderr and "Traceback" not in result.output


def test_a_truncated_kobo_database_is_named_without_a_line_0(run, tmp_path):
    whole = tmp_path / "whole.sqlite"
    with sqlite3.connect(whole) as db:
        db.execute("CREATE TABLE Bookmark (BookmarkID TEXT, VolumeID TEXT, Text TEXT, Annotation TEXT)")
        db.execute("CREATE TABLE content (ContentID TEXT, Title TEXT, Attribution TEXT)")
        db.executemany(
            "INSERT INTO Bookmark VALUES (?, ?, ?, ?)", [(str(n), "v", "x" * 500, "") for n in range(200)]
        )
    db.close()
    cut = tmp_path / "trunc.sqlite"
    cut.write_bytes(whole.read_bytes()[:6000])
    result = run("import", str(cut), "--from", "kobo", code=1)
    assert f"rejected {cut}: " in result.stderr and ":0:" not in result.stderr, result.stderr


# --- many highlights of one book: each incoming one looks at its candidates, not at every quote ------------------
class Counted(list):
    """A book's quotes that count how often they are looked through whole."""

    walks = 0

    def __iter__(self):
        Counted.walks += 1
        return super().__iter__()


def device_quote(n: int, text: str, loc: int):
    from readlog.highlights.records import words_hash
    from readlog.model import Quote
    from readlog.text import normalize

    return Quote(text=text, location=f"loc {loc}", key=f"kindle:b:loc{loc}:{words_hash(normalize(text))}")


def test_merging_many_highlights_into_one_book_never_walks_all_its_quotes_for_each():
    from readlog.highlights.apply import BookResult, merge
    from readlog.model import Book

    book = Book(title="Big Book", authors=["Anne Writer"], status="read")
    old = [device_quote(n, f"an older highlight number {n}", 10_000 + n) for n in range(300)]
    longer = device_quote(0, "an older highlight number 0, selected longer now", 10_000)  # a new version
    book.quotes = Counted([*old])
    Counted.walks = 0
    incoming = [device_quote(n, f"highlight number {n} says its own thing", 100 + 3 * n) for n in range(300)]
    result = BookResult("Big Book")
    merge(book, [*incoming, longer], [], result)
    assert (result.added, result.replaced) == (300, 1)  # the same answers
    assert book.quotes[0].text.endswith("selected longer now")
    assert Counted.walks < 20  # (before: one walk of every quote for each incoming highlight, 301 here)
