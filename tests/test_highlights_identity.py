"""identity's highlight policy: a clipping goes to the one journal book that is surely the same work;
none, when none is or several are. Pure functions, no journal. Near misses first."""

from __future__ import annotations

import pytest

from readlog.identity import Candidate, bare_title, highlight_book, one_highlight_book


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


SHELF = [
    Candidate("gormenghast-titus-groans", "Gormenghast: Titus Groan", ("Mervyn Peake",)),
    Candidate("gormenghast-gormenghast", "Gormenghast: Gormenghast", ("Mervyn Peake",)),
    Candidate("piranesi", "Piranesi", ("Susanna Clarke",)),
    Candidate("the-waves", "The Waves", ("Virginia Woolf",)),
    Candidate("the-waves-2", "The Waves", ("Bernard Dray",)),
    Candidate("circe", "Circe", ("Madeline Miller",)),
    Candidate("circe-2", "Circe: A Retelling", ("Madeline Miller",)),
    Candidate("watership-down", "Watership Down", ("Richard Adams",)),
    Candidate("moomin", "Finn Family Moomintroll", ("Tove Jansson",)),
    Candidate("kindred", "Kindred", ("Octavia E. Butler",)),
]

# (clipping title, clipping authors, the book it goes to or None)
HIGHLIGHT_CASES = [
    # near misses first: a sibling volume of one series name, an adaptation, a part, two sure books
    ("Gormenghast: Mr Pye", ["Mervyn Peake"], None),  # another subtitle: never the first volume
    ("Gormenghast: Titus Groan", ["Mervyn Peake"], "gormenghast-titus-groans"),  # the exact title
    ("Kindred: A Graphic Novel Adaptation", ["Octavia E. Butler"], None),  # an adaptation
    ("Watership Down: Part Two", ["Richard Adams"], None),  # a part
    ("Watership Down, Volume 2", [], None),
    ("The Waves", [], None),  # two books are surely it: none
    ("The Waves", ["Woolf, Virginia"], "the-waves"),  # the author tells them apart
    ("The Waves", ["Leonard Woolf"], None),  # one surname, another given name
    ("Piranesi's Garden", ["Susanna Clarke"], None),  # only starts alike
    ("Circe", ["Madeline Miller"], "circe"),  # exact title wins over a maybe with `Circe: A Retelling`
    ("Finn Family", ["Tove Jansson"], None),  # words of a title
    # positives
    ("Piranesi (Bloomsbury Edition)", ["Clarke, Susanna"], "piranesi"),
    ("Watership Down (Watership Down #1)", ["R. Adams"], "watership-down"),
    ("Kindred: A Novel", ["Octavia Butler"], "kindred"),  # a label subtitle; no middle initial
    ("piranesi", [], "piranesi"),
]


@pytest.mark.parametrize(("title", "authors", "slug"), HIGHLIGHT_CASES)
def test_highlight_policy(title, authors, slug):
    found = highlight_book(title, authors, SHELF)
    assert (found.slug if found else None) == slug


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        (("Gormenghast: Titus Groan", []), ("Gormenghast: Mr Pye", []), False),
        (("Piranesi (Piranesi #1)", ["Clarke, Susanna"]), ("Piranesi", ["Susanna Clarke"]), True),
        (("Piranesi", []), ("Piranesi", ["Susanna Clarke"]), True),  # no author on one side: the title
        (("Piranesi", ["Someone Else"]), ("Piranesi", ["Susanna Clarke"]), False),
        (("Circe", ["Madeline Miller"]), ("Circe: A Retelling", ["Madeline Miller"]), False),  # a maybe
    ],
)
def test_one_highlight_book(a, b, same):
    assert one_highlight_book(*a, *b) is same
