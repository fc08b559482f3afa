"""Replacing a review keeps what the reader added to its table by hand (t23d, left by t22e): a comment
and a key readlog does not know stay when `review` (or `finish --review`) rewrites the text, however the
table is written: a `[review]` table, an inline table, dotted keys."""

from __future__ import annotations

import tomllib

import pytest

HEAD = 'schema = 2\ntitle = "Kindred"\nauthors = ["Octavia E. Butler"]\nstatus = "read"\n'

TABLE = HEAD + (
    '\n[[reads]]\n\n[review]\n# where I read it\nmood = "stormy" # how I felt\nwritten = 2025-01-02\n'
    "body = '''\nFirst take.\n\nTwo paragraphs.\n'''\nprivate = true\n\n[review.where]\ncity = \"Lisbon\"\n"
)
INLINE = HEAD + 'review = { body = "First take.", mood = "stormy", where = { city = "Lisbon" } }\n'
DOTTED = HEAD + 'review.body = "First take."\nreview.mood = "stormy"\nreview.where.city = "Lisbon"\n'


def review_of(books):
    return tomllib.loads((books / "kindred.toml").read_text(encoding="utf-8"))["review"]


@pytest.mark.parametrize("text", [TABLE, INLINE, DOTTED], ids=["table", "inline", "dotted"])
def test_a_rewritten_review_keeps_the_readers_keys(run, books, text):
    books.mkdir(parents=True)
    (books / "kindred.toml").write_text(text, encoding="utf-8")
    run("review", "kindred", "Second take.\n\nAlso two.", "--replace")
    review = review_of(books)
    assert review["body"].strip() == "Second take.\n\nAlso two."
    assert review["mood"] == "stormy" and review["where"] == {"city": "Lisbon"}  # (mutation: extra={})
    shown = run("show", "kindred", "--json").stdout
    assert '"mood": "stormy"' in shown
    if text is TABLE:  # the table's own lines stay as they were, the comments with them
        written = (books / "kindred.toml").read_text(encoding="utf-8")
        assert '# where I read it\nmood = "stormy" # how I felt\n' in written
        assert review["private"] is True  # (the old review's privacy, t22e)
    run("review", "kindred", "--headline", "Only the headline", "--replace")
    assert review_of(books)["mood"] == "stormy"
    run("review", "kindred", "Third.", "--replace", "--public")
    assert review_of(books)["where"] == {"city": "Lisbon"}


def test_finish_with_a_review_keeps_them_too(run, books):
    books.mkdir(parents=True)
    (books / "kindred.toml").write_text(
        INLINE.replace('status = "read"', 'status = "reading"') + "\n[[reads]]\nstarted = 2025-01-01\n",
        encoding="utf-8",
    )
    run("finish", "kindred", "--date", "2025-02-01", "--review", "Done now.", "--replace")
    review = review_of(books)
    assert review["body"] == "Done now." and review["mood"] == "stormy"
