"""importers.merge: an export's other review is kept with its own edition, wherever that edition sits in the
book's list (merge_edition and join_editions wrote it onto the last edition: review 24)."""

from __future__ import annotations

from readlog.importers.merge import join_editions, merge_edition
from readlog.model import Book, Review

UID = "ISBN/UID"


def _kept_in_the_middle() -> Book:
    """A StoryGraph book with two editions: a paperback an older readlog kept without its UID, then an audiobook."""
    mine = Book(title="Dune", authors=["Frank Herbert"], status="read", review=Review(body="Mine."))
    mine.extra["source"] = {
        "storygraph": {
            "Format": "paperback",
            "editions": [{"format": "paperback"}, {UID: "B0AUDIO", "format": "audio"}],
        }
    }
    return mine


def _paperback(review: str) -> Book:
    theirs = Book(title="Dune", authors=["Frank Herbert"], status="read", review=Review(body=review))
    theirs.extra["source"] = {"storygraph": {UID: "B0PAPER", "Format": "paperback"}}
    return theirs


def test_an_edition_given_its_uid_keeps_its_own_review_not_the_last_edition():
    mine, kept = _kept_in_the_middle(), []
    assert merge_edition(mine, _paperback("The paperback's review."), "storygraph", kept=kept)
    paperback, audio = mine.extra["source"]["storygraph"]["editions"]
    assert paperback == {"format": "paperback", UID: "B0PAPER", "review": "The paperback's review."}
    assert audio == {UID: "B0AUDIO", "format": "audio"}  # (it was written here)
    assert mine.review.body == "Mine." and "kept with its edition" in kept[0]


def test_a_row_of_one_file_keeps_its_review_with_its_own_edition():
    first = _kept_in_the_middle()
    join_editions(first, _paperback("The paperback's review."), "storygraph")
    paperback, audio = first.extra["source"]["storygraph"]["editions"]
    assert paperback["review"] == "The paperback's review." and "review" not in audio
    # near miss: a new edition joins at the end, its review with it
    other = _paperback("The hardback's review.")
    other.extra["source"]["storygraph"] = {UID: "B0HARD", "Format": "hardcover"}
    join_editions(first, other, "storygraph")
    assert first.extra["source"]["storygraph"]["editions"][-1]["review"] == "The hardback's review."
    assert paperback["review"] == "The paperback's review."
