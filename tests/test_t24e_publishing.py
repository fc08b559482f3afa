"""Publishing and rendering say the same thing everywhere (session 24's try-out 24d): the Goodreads export
keeps a review's lines and says what it cannot hold; raw HTML is text everywhere; quotes in one order; a
pick's note is plain text; the feed carries the opening paragraph; small wording and width fixes."""

from __future__ import annotations

import csv
import json
from pathlib import Path

REVIEW = """# A Headline

## A section

A first paragraph that wraps
onto a second line.

> Survival is insufficient.
> — painted on the lead caravan

| Thread | Time |
|---|---|
| Arthur | before |
| Kirsten | year 20 |

See <https://en.wikipedia.org/wiki/Station_Eleven> and `King Lear`.
"""


def _book_with_review(run, tmp_path: Path, review: str = REVIEW, title: str = "Station Eleven") -> None:
    source = tmp_path / "review.md"
    source.write_text(review, encoding="utf-8")
    run("add", title, "-a", "Emily St. John Mandel", "--status", "read", "--review-file", str(source))


# --- 1. the Goodreads export keeps the lines a review's structure needs, and says what it cannot hold ----


def test_goodreads_keeps_table_and_quote_lines_and_the_round_trip_gives_them_back(run, tmp_path):
    """Mutation: `_is_row` in exporters/goodreads.py answering False (soft wraps joined again): the cell's
    table is one line and the body read back has neither the table nor the quote; the importer's table-row
    rule in importers/common.py `_breaks` taken out: the rows come back with a backslash at their ends."""
    _book_with_review(run, tmp_path)
    out = tmp_path / "gr.csv"
    result = run("export", "--format", "goodreads", "--output", str(out))
    (row,) = csv.DictReader(out.open(encoding="utf-8"))
    cell = row["My Review"]
    assert "| Thread | Time |<br/>|---|---|<br/>| Arthur | before |" in cell
    assert "&gt; Survival is insufficient.<br/>&gt; — painted" in cell
    assert "A first paragraph that wraps onto a second line." in cell  # a soft wrap is still joined
    assert '<a href="https://en.wikipedia.org/wiki/Station_Eleven">' in cell  # an autolink is a link
    assert "headline and headings" in result.stderr and "code, footnotes and images" in result.stderr
    back = tmp_path / "back"
    run("--data-dir", str(back), "import", str(out))
    (book,) = json.loads(run("--data-dir", str(back), "export", "--format", "json").stdout)
    body = book["review"]["body"]
    assert "> Survival is insufficient.\n> — painted on the lead caravan\n\n" in body
    assert "| Thread | Time |\n|---|---|\n| Arthur | before |\n| Kirsten | year 20 |\n\n" in body
    assert "A first paragraph that wraps onto a second line.\n\n" in body


def test_goodreads_says_nothing_of_a_plain_review(run, tmp_path):
    """Near miss: a review of paragraphs alone (and an escaped backtick, as an import writes it) loses nothing."""
    _book_with_review(run, tmp_path, "Plain words, and a \\` typed.\n\nA second paragraph.\n", "Plain")
    result = run("export", "--format", "goodreads")
    assert "review" not in result.stderr
