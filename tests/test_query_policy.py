"""The query policy (identity): which book a BOOK a reader typed names, as a table of cases."""

from __future__ import annotations

import pytest

from readlog import identity

# --- the normalisation every policy shares -------------------------------------------------------------
KEYS = [
    ("The Handmaid's Tale", "handmaids tale"),  # apostrophes join
    ("the handmaids tale", "handmaids tale"),
    ("Catch-22", "catch 22"),  # hyphens separate
    ("Catch—22", "catch 22"),  # so do dashes
    ("catch 22", "catch 22"),
    ("Remains of the Day, The", "remains of the day"),  # a trailing `, The` turned round
    ("Klara & the Sun", "klara and the sun"),  # & is and
    ("Klara and the Sun", "klara and the sun"),
    ("L'Étranger", "etranger"),  # accents, and the French article's elision
    ("Der Process", "process"),
    ("A", "a"),  # an article that is the whole title stays
    ("V.", "v"),
    ("An Unkindness of Ghosts", "unkindness of ghosts"),
]


@pytest.mark.parametrize(("title", "key"), KEYS)
def test_title_key(title: str, key: str) -> None:
    assert identity.title_key(title) == key


def test_typed_title_key_keeps_the_article() -> None:
    assert identity.typed_title_key("The Passage") == "the passage"
    assert identity.typed_title_key("Passage") == "passage"
    assert identity.typed_title_key("Remains of the Day, The") == "the remains of the day"


@pytest.mark.parametrize(
    ("title", "main"),
    [
        ("Sapiens: A Brief History of Humankind", "sapiens"),
        ("The Odyssey", "odyssey"),
        ("Dune (Dune #1)", "dune"),
        ("Mistborn: The Final Empire", "mistborn"),
        ("Catch-22", "catch 22"),
    ],
)
def test_main_title_key(title: str, main: str) -> None:
    assert identity.main_title_key(title) == main
