"""The identity rules for highlights' books: series suffixes, subtitles when an author is shared, names in
either order. Pure functions, no journal."""

from __future__ import annotations

import pytest

from readlog.identity import (
    Candidate,
    author_key,
    bare_title,
    find_highlight_book,
    same_highlight_book,
    short_title,
)


@pytest.mark.parametrize(
    ("title", "bare"),
    [
        ("Dune (Dune #1)", "Dune"),
        ("Dune (Dune, #1)", "Dune"),
        ("The Fifth Season (The Broken Earth Book 1)", "The Fifth Season"),
        ("Les vaisseaux du coeur (French Edition)", "Les vaisseaux du coeur"),
        ("Piranesi", "Piranesi"),
        ("(Untitled #3)", "(Untitled #3)"),  # never stripped to nothing
    ],
)
def test_bare_title(title, bare):
    assert bare_title(title) == bare


def test_short_title_and_author_key():
    assert short_title("Sapiens: A Brief History of Humankind (Penguin Edition)") == "Sapiens"
    assert author_key("Groult, Benoîte") == author_key("Benoîte  Groult") == "benoite groult"


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        (("Dune (Dune #1)", ["Herbert, Frank"]), ("Dune", ["Frank Herbert"]), True),
        (("Sapiens: A Brief History", ["Yuval Noah Harari"]), ("Sapiens", ["Harari, Yuval Noah"]), True),
        (("Sapiens: A Brief History", []), ("Sapiens", ["Yuval Noah Harari"]), False),  # no shared author
        (("Dune", []), ("Dune", ["Frank Herbert"]), True),  # the title decides when one side has no authors
        (("Dune", ["Someone Else"]), ("Dune", ["Frank Herbert"]), False),
    ],
)
def test_same_highlight_book(a, b, same):
    assert same_highlight_book(*a, *b) is same


def test_find_highlight_book_prefers_a_shared_author():
    books = [
        Candidate("dune", "Dune", ("Frank Herbert",)),
        Candidate("dune-2", "Dune", ()),
        Candidate("sapiens", "Sapiens: A Brief History of Humankind", ("Yuval Noah Harari",)),
    ]

    def exact(norm):
        return [b for b in books if b.norm_title == norm]

    def containing(words):
        return [b for b in books if all(w in b.norm_title for w in words)]

    assert find_highlight_book("Dune (Dune #1)", ["Herbert, Frank"], exact, containing).slug == "dune"
    assert find_highlight_book("Sapiens", ["Harari, Yuval Noah"], exact, containing).slug == "sapiens"
    assert find_highlight_book("Sapiens", [], exact, containing) is None
