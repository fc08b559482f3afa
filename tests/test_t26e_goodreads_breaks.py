"""Session 26 (t26e): a `<br>` in a review is a line break in `show`, the post and the site (t25f); the
Goodreads export wrote it as text (`&lt;br&gt;`), so an import of readlog's own export brought back a review
whose lines were run together around a literal `<br>`. It is a `<br/>` in the export now: the review comes
back with the same lines (the break written as Markdown's own, a `\\` at the line's end); a `<br>` that is text
there (`&lt;br&gt;`) is text here (`\\<br>`), never a break."""

from __future__ import annotations

import csv

import pytest

REVIEW = (
    "line one\n<br>\nline two\n\nend<BR/>\nnext, and a <br> inside\n\nroses are red,<br>\nviolets<br>\nare blue\n\n"
    "Not \\<br> one."
)


def shown_review(run, *where: str) -> list[str]:
    """The review's lines as `show` has them (its box and the date it was written left out)."""
    box = run(*where, "show", "dune").stdout.split("Review")[1].split("\n")[1:-2]
    return [line.strip("│ ") for line in box]


def test_a_reviews_breaks_come_back_through_readlogs_own_goodreads_export(run, tmp_path):
    run("add", "Dune", "-a", "Frank Herbert", "-r", "4", "--review", REVIEW)
    out = tmp_path / "gr.csv"
    run("export", "--format", "goodreads", "--output", str(out))
    (row,) = csv.DictReader(out.open(encoding="utf-8"))
    assert row["My Review"] == "line one<br/>line two<br/><br/>end<br/>next, and a<br/>inside<br/><br/>" + (
        "roses are red,<br/>violets<br/>are blue<br/><br/>Not &lt;br&gt; one."
    )
    back = tmp_path / "back"
    run("--data-dir", str(back), "import", str(out))
    assert shown_review(run, "--data-dir", str(back)) == shown_review(run)
    again = tmp_path / "again.csv"
    run("--data-dir", str(back), "export", "--format", "goodreads", "--output", str(again))
    assert next(csv.DictReader(again.open(encoding="utf-8")))["My Review"] == row["My Review"]


@pytest.mark.parametrize(
    ("markdown", "html"),
    [
        ("a\n<br>\nb", "a<br/>b"),
        ("a<br>\nb", "a<br/>b"),
        ("a <br/> b", "a<br/>b"),
        ("a\nb", "a b"),  # near miss: a soft wrap is a space, as before
        ("a \\<br> b", "a &lt;br&gt; b"),  # an escaped one is text
        ("a <bra> b", "a &lt;bra&gt; b"),  # another tag is text
    ],
)
def test_goodreads_html_keeps_breaks(markdown, html):
    from readlog.exporters.goodreads import markdown_html

    assert markdown_html(markdown) == html


@pytest.mark.parametrize(
    ("markdown", "html"),
    [
        ("Write `<br>` to break.", "Write `&lt;br&gt;` to break."),  # in a code span: text
        ("``a <BR/> b`` <br> c", "``a &lt;BR/&gt; b``<br/>c"),  # a break beside the span is one still
        ("a\n\n```\nx<br>\ny\n```", "a<br/><br/>``` x&lt;br&gt; y ```"),  # in a fence: text
    ],
)
def test_a_br_in_code_is_text_in_goodreads_html(markdown, html):
    """review26c #3: a `<br>` in code was a `<br/>`, and the import dropped it; `show` keeps it as typed."""
    from readlog.exporters.goodreads import markdown_html

    assert markdown_html(markdown) == html


def test_a_br_in_code_comes_back_through_readlogs_own_goodreads_export(run, tmp_path):
    run("add", "Dune", "-a", "Frank Herbert", "--review", "Write `<br>` to break a line in HTML.")
    out = tmp_path / "gr.csv"
    run("export", "--format", "goodreads", "--output", str(out))
    back = tmp_path / "back"
    run("--data-dir", str(back), "import", str(out))
    # (the code comes back as typed, backticks and all: the export's warning says so; its `<br>` is there)
    assert shown_review(run, "--data-dir", str(back))[1] == "Write `<br>` to break a line in HTML."
