"""`search` weighs a word in a part's label (a review's headline, a book's title, a reflection's title) above
the same word in its text, and marks a word where the text writes it with a ligature (`ﬁeld`, `ﬂour`), as
it marks `İstanbul` and `Straße`: what was found is shown, in a short snippet and a long one."""

from __future__ import annotations

import json

import pytest

FILLER = "a long walk along the shore with nothing much to say about it at all, only the wind and the rain"


def search(run, query: str) -> list[dict]:
    return json.loads(run("search", query, "--json").stdout)


def marked(hit: dict) -> list[str]:
    return [hit["snippet"][a:b] for a, b in hit["highlights"]]


def test_a_word_in_a_headline_ranks_above_the_same_word_once_in_a_text(run):
    """The headline's book first, though its review is the longer (bm25 weighs the label column, not the
    unindexed slug and part columns the weights fell on before)."""
    review = f"{FILLER}, and more of it, again and again."
    run("add", "Shore Notes", "-a", "A. Walker", "--review", review, "--headline", "Lighthouses")
    run("add", "Coast Days", "-a", "B. Walker", "--review", "We saw lighthouses, and then the tide came in.")
    hits = [(h["slug"], h["part"]) for h in search(run, "lighthouses")]
    assert hits == [("shore-notes", "review"), ("coast-days", "review")]


@pytest.mark.parametrize(
    ("query", "word"),
    [
        ("ﬁeld", "ﬁeld"),
        ("ﬂour", "ﬂour"),
        ("oﬃce", "oﬃce"),
        ("İstanbul", "İstanbul"),
        ("istanbul", "İstanbul"),
        ("Straße", "Straße"),
        ("strasse", "Straße"),
    ],
)
@pytest.mark.parametrize("long", [False, True])
def test_a_word_found_is_marked_as_the_text_writes_it(run, query, word, long):
    """In a short text, and far into a long one (the snippet is the window around the word, not the
    text's beginning)."""
    text = "the ﬁrst ﬁeld, the ﬂour mill, the oﬃce in İstanbul on the Straße"
    if long:
        text = f"{FILLER}. " * 6 + text
    run("add", "Dose", "-a", "W. Writer", "--review", text)
    (hit,) = search(run, query)
    assert word in marked(hit), (hit["snippet"], marked(hit))
