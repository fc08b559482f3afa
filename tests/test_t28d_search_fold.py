"""`search` folds the Latin letters that are no accented letter (æ, œ, ø, ł, ß, đ, þ) as it folds accents: the
index's words and the query's by one rule (text.search_fold), and the snippet marks the letters as written."""

from __future__ import annotations

import json

import pytest

from readlog.identity import title_key

REVIEW = "Sung in Łódź by the Straße, with Œdipus, Þórr, Đorđe and Ørsted."


@pytest.fixture
def folded(run):
    run("add", "The Æneid", "-a", "Virgil", "--review", REVIEW)
    run("add", "Aeneid for Schools", "-a", "A. Teacher")
    return run


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("aeneid", "The Æneid"),
        ("AENEID", "The Æneid"),
        ("Lodz", "Łódź"),
        ("łódź", "Łódź"),
        ("strasse", "Straße"),
        ("oedipus", "Œdipus"),
        ("thorr", "Þórr"),
        ("dorde", "Đorđe"),
        ("orsted", "Ørsted"),
        ("aen*", "The Æneid"),
        ('"the aeneid"', "The Æneid"),
    ],
)
def test_a_folded_letter_is_found_by_the_letters_typed_for_it(folded, query, found):
    hits = json.loads(folded("search", query, "--json").stdout)
    hit = next((h for h in hits if h["slug"] == "the-aeneid"), None)
    assert hit is not None, (query, hits)
    marked = [hit["snippet"][a:b] for a, b in hit["highlights"]]
    assert any(found.endswith(m) or m in found for m in marked), (marked, hit["snippet"])
    assert "\ue003" not in hit["snippet"] and "aeneid" not in hit["snippet"]  # as written, no folded words


def test_the_folded_query_finds_the_plain_spelling_too(folded):
    """`Æneid` typed finds *Aeneid for Schools* as well (one fold for the query and the index)."""
    slugs = {h["slug"] for h in json.loads(folded("search", "Æneid", "--json").stdout)}
    assert slugs == {"the-aeneid", "aeneid-for-schools"}


def test_a_private_use_mark_in_the_text_is_shown_as_written(run):
    text = "Kept \ue003 as typed in Łódź, and after it."
    run("add", "Marks", "-a", "Someone", "--review", text)
    (hit,) = json.loads(run("search", "lodz", "--json").stdout)
    assert hit["snippet"] == text


def test_identity_title_keys_fold_them_alike():
    """The title keys already fold these letters (INDEX 26): `Aeneid` and `Æneid` have one key."""
    assert title_key("The Æneid") == title_key("Aeneid") == "aeneid"
    assert title_key("Łódź") == title_key("Lodz") and title_key("Straße") == title_key("Strasse")
