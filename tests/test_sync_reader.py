"""Sync and history as a reader meets them (try-out 20): a recorded conflict in a long text shows where the
two sides differ; a book removed here and kept by the other device's merge is named when it comes back; a
book's history follows its file through a rename; `log` piped is one change a line and keeps its --limit;
one word is "1 word"."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime

import pytest

from readlog import bookfile
from readlog.model import book_from_dict
from readlog.sync.conflicts import problems_in, record, show_sides
from readlog.sync.describe import changes
from readlog.sync.merge import merge_data
from test_sync_git import Device, devices, git_env, remote  # noqa: F401 (fixtures)

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

WHEN = datetime(2026, 11, 27, 20, 30, tzinfo=UTC)
OPENING = (
    "## The setup\n\nA man (he is called Piranesi) lives alone in a house of endless halls, tides and "
    "statues, and writes it all down.\n\n"
)
LAPTOP = OPENING + "LAPTOP: What do we lose when we forget who we were?\n\n## The end\n\nQuiet.\n"
DESK = OPENING + "DESK: What is lost when memory goes?\n\n## The end\n\nQuiet.\n"


def piranesi(**fields):
    return {"schema": 1, "title": "Piranesi", "authors": ["Susanna Clarke"], "status": "read", **fields}


def conflicted_review() -> str:
    """Piranesi's book file with the review both devices edited in the same paragraph, as recorded."""
    base = piranesi(review={"body": OPENING + "What is memory?\n\n## The end\n\nQuiet.\n"})
    merged = merge_data(base, piranesi(review={"body": LAPTOP}), piranesi(review={"body": DESK}))
    assert [c.field for c in merged.conflicts] == ["review.body"]
    data = record(merged.data, merged.conflicts, WHEN, ("laptop", "desk"))
    return bookfile.dumps(book_from_dict(data))


# --- 1. a conflict in a review shows the lines that differ ------------------------------------------------
def test_a_review_conflict_shows_the_line_that_differs_on_each_side(run, books):
    books.mkdir(parents=True)
    (books / "piranesi.toml").write_text(conflicted_review(), encoding="utf-8")
    shown = " ".join(run("show", "piranesi").stdout.replace("│", "").split())
    assert "review.body (line 5): here 'LAPTOP: What do we lose" in shown
    assert "other device (desk) 'DESK: What is lost when memory goes?'" in shown
    checked = " ".join(run("check", code=1).stdout.split())
    assert "both devices changed review.body line 5 (here 'LAPTOP: What do we lose" in checked
    assert "'DESK: What is lost when" in checked


def test_where_two_texts_differ():
    text = conflicted_review()
    found = problems_in(bookfile.parse(text, "x"), "piranesi", text)
    assert "line 5" in found[0][0] and "The setup" not in found[0][0]
    assert show_sides(LAPTOP, LAPTOP + "\nA line more.\n") == ("lines 10-11", "(nothing)", "'A line more.'")
    assert show_sides("a\n\nb", "a\n\n\nb")[0] == "spacing only"
    # one long line: an excerpt around the first difference, on both sides
    where, here, other = show_sides("x" * 100 + " here " + "y" * 50, "x" * 100 + " there " + "y" * 50, 40)
    assert where == "" and "here" in here and "there" in other and len(here) <= 42 and here.startswith("'...")
    assert show_sides(4, 3.5) == ("", "4", "3.5")
    assert show_sides("short", "other") == ("", "'short'", "'other'")


# --- 5. one word --------------------------------------------------------------------------------------------
def test_one_word_is_singular():
    def book(body: str):
        return book_from_dict(piranesi(review={"body": body}))

    assert [c.past for c in changes(None, book("Fine."))][-1] == "reviewed, 1 word"
    assert [c.past for c in changes(book("Fine."), book("Fine, fine."))] == ["review edited, +1 word"]
    assert [c.past for c in changes(book("Fine, fine."), book("Fine."))] == ["review edited, -1 word"]
    assert [c.line("Piranesi") for c in changes(book("a b"), book("a b c d"))] == [
        'edit the review of "Piranesi", +2 words'
    ]
