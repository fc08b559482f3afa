"""Book files read with their long texts cut out of what tomli reads (bookfile.loads): the same table as tomli
gives, or the same error, for any text; the long text itself never goes through tomli's check."""

from __future__ import annotations

import tomli
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from readlog import bookfile
from readlog.model import Reflection, Review
from test_bookfile import books_strategy

LONG = "Long words of a review, line after line.\n" * 12  # over bookfile.LONG_TEXT


def _same_as_tomli(text: str) -> None:
    try:
        expected = tomli.loads(text)
    except tomli.TOMLDecodeError as error:
        try:
            bookfile.loads(text)
        except tomli.TOMLDecodeError as got:
            assert str(got) == str(error)
            return
        raise AssertionError(f"tomli refuses {text!r}, bookfile.loads does not") from None
    assert bookfile.loads(text) == expected


# Pieces that make a literal's cut land where it is no literal: inside a basic or literal string, a comment,
# a key; escapes that could spell a mark; quotes past the closing three; characters TOML forbids.
PIECES = [
    "'''\n", "'''", "''''", "'''''", '"""\n', '"""', '"', "'", "\\", "\\u0080", "\\n", "\x80", "\x800\x80",
    "\x01", "\x7f", "\r", "\r\n", "\n", "\t", " ", "# ", "= ", "body = ", "x = ", "k.y = ", "[review]\n",
    "[[reflections]]\n", "[t]\n", "{ a = ", "}", "[", "]", ", ", "1", "é", "\ud7ff", LONG, LONG[:100],
]  # fmt: skip


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(PIECES), max_size=24))
def test_any_text_reads_as_tomli_reads_it(pieces):
    _same_as_tomli("".join(pieces))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(books_strategy, st.sampled_from(["", "\n", "'", "''", "\r\n", "é", "\\"]))
def test_a_written_book_with_long_texts_reads_as_tomli_reads_it(book, end):
    book.review = Review(headline="A", body=LONG + end)
    book.reflections = [*book.reflections, Reflection(text=end + LONG)]
    text = bookfile.dumps(book)
    _same_as_tomli(text)
    _same_as_tomli(text.replace("\n", "\r\n"))


def test_a_long_review_is_not_read_by_tomli_character_by_character(monkeypatch):
    """tomli checks a multi-line literal one character at a time (half of a cold site build's parsing of a
    typical book): the review's text is cut out of what it is given, and put back whole."""
    read: list[str] = []
    loads = tomli.loads

    def seen(text: str) -> dict[str, object]:
        read.append(text)
        return loads(text)

    monkeypatch.setattr(tomli, "loads", seen)
    assert len(LONG) >= bookfile.LONG_TEXT
    body = LONG * 10
    text = f"title = \"Dune\"\n\n[review]\nbody = '''\n{body}'''\n\n[[reflections]]\ntext = '''\n{LONG}'''\n"
    book = bookfile.parse(text, "dune.toml")
    assert book.review is not None and book.review.body == body
    assert [r.text for r in book.reflections] == [LONG]
    assert len(read) == 1 and len(read[0]) < 200


def test_a_cut_that_is_no_literal_is_read_as_tomli_reads_it():
    # the three quotes inside a basic string: what follows them up to the next three is no literal's text
    text = f"title = \"x\"\nnote = \"\"\"\nsay '''\n{LONG}\"\"\"\nbody = '''\n{LONG}'''\n"
    assert bookfile.loads(text) == tomli.loads(text)
    assert bookfile.loads(text)["note"] == f"say '''\n{LONG}"
