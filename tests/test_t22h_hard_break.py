"""A Markdown hard break (two or more spaces at a line's end, a line of text after it) is the reader's: it is
stored, shown, published and posted (session 22's try-out: it was taken off when the review was saved)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from readlog.text import clean_text, split_review

REVIEW = "# Edge\n\nA hard break line  \nsecond line\n\nthree   \nfour\n\nno break at the end  \n\nlast  \n"


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("one  \ntwo", "one  \ntwo\n"),  # the break
        ("one   \ntwo", "one   \ntwo\n"),  # three spaces: kept as typed
        ("one \ntwo", "one\ntwo\n"),  # one space is no break
        ("one\t\ntwo", "one\ntwo\n"),  # nor a tab
        ("one \t  \ntwo", "one  \ntwo\n"),  # the spaces at the end, the tab before them not
        ("one  \n\ntwo", "one\n\ntwo\n"),  # at a paragraph's end: nothing to break
        ("one  \n   \ntwo", "one\n\ntwo\n"),  # a line of spaces is blank
        ("one  ", "one"),  # the last line
        ("one\r\ntwo  \r\nthree  \r\n", "one\ntwo  \nthree\n"),
    ],
)
def test_clean_text_keeps_a_hard_break_and_only_that(typed, kept):
    """Mutation: clean_text's loop taken out (every line rstripped, as before): the first two cases fail."""
    assert clean_text(typed) == kept


def test_text_from_html_keeps_no_spaces():
    assert clean_text("one  \ntwo", hard_breaks=False) == "one\ntwo\n"


def test_split_review_keeps_the_break_in_the_body():
    headline, body = split_review(REVIEW)
    assert headline == "Edge"
    assert body == "A hard break line  \nsecond line\n\nthree   \nfour\n\nno break at the end\n\nlast\n"


def test_a_hard_break_is_stored_shown_published_and_posted(run, books, tmp_path):
    """Through the commands, from a review file to the TOML file, `show`, the site and the post.
    Mutation: clean_text rstripping every line again: every assertion below fails."""
    source = tmp_path / "review.md"
    source.write_text(REVIEW, encoding="utf-8")
    run("add", "Edge Book", "-a", "A B", "--review-file", str(source))
    assert "A hard break line  \nsecond line" in (books / "edge-book.toml").read_text(encoding="utf-8")
    shown = json.loads(run("show", "edge-book", "--json").stdout)
    assert shown["review"]["body"].startswith("A hard break line  \nsecond line\n")
    lines = [line.strip("│ ") for line in run("show", "edge-book").stdout.splitlines()]
    assert "A hard break line" in lines and "second line" in lines  # two lines, not one
    assert "three" in lines and "four" in lines
    run("site", str(tmp_path / "site"))
    page = (tmp_path / "site" / "books" / "edge-book.html").read_text(encoding="utf-8")
    assert "A hard break line<br />\nsecond line" in page and "three<br />\nfour" in page
    run("export", "--format", "markdown", "-o", str(tmp_path / "posts"))
    post = (tmp_path / "posts" / "edge-book.md").read_text(encoding="utf-8")
    assert "A hard break line  \nsecond line\n" in post


def test_a_hard_break_in_a_reflection_and_a_replaced_review(run, books):
    run("add", "Edge Book", "-a", "A B")
    run("review", "edge-book", "-", input="first  \nsecond\n")
    run("reflect", "edge-book", "-", input="thought  \nmore\n")
    text = (books / "edge-book.toml").read_text(encoding="utf-8")
    assert "first  \nsecond" in text and "thought  \nmore" in text
    run("review", "edge-book", "-", "--replace", input="again  \nand\n")
    assert "again  \nand" in (books / "edge-book.toml").read_text(encoding="utf-8")


def test_the_file_round_trips_the_spaces(books: Path, run):
    """A hand-written file with a hard break in a multi-line string: read back as written."""
    books.mkdir(parents=True)
    (books / "hand.toml").write_text(
        "title = \"Hand\"\nauthors = [\"A B\"]\nstatus = \"read\"\n\n[review]\nbody = '''\nx  \ny\n'''\n",
        encoding="utf-8",
    )
    assert json.loads(run("show", "hand", "--json").stdout)["review"]["body"] == "x  \ny\n"
