"""`search` folds the Latin letters that are no accented letter (æ, œ, ø, ł, ß, đ, þ) as it folds accents: the
index's words and the query's by one rule (text.search_fold), and the snippet marks the letters as written."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

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


# Review 28b #2: casefold made the query's `İstanbul` `i̇stanbul` (two words for the query's split), `ﬁeld`
# `field` and `Յևան` `յեւան`, which the index never held: only the letters its folded words hold are folded.
@pytest.mark.parametrize("query", ["İstanbul", "İZMİR", "ﬁeld", "Յևան", "ΐ", "λόγος", "i̇zmir"])
def test_a_word_typed_as_the_text_spells_it_finds_it(run, query):
    run("add", "Turkish", "-a", "Orhan Pamuk", "--review", "İstanbul: Memories and the City, İZMİR")
    run("add", "Dose", "-a", "W", "--review", "the first ﬂower of the ﬁeld; Յևան, ΐ and λόγος")
    assert len(json.loads(run("search", query, "--json").stdout)) == 1


def _matches(rows: list[tuple[str, str]], query: str) -> bool:
    import sqlite3

    from readlog.index.schema import _FTS

    db = sqlite3.connect(":memory:")
    db.execute(_FTS)
    db.executemany("INSERT INTO parts (label, body) VALUES (?, ?)", rows)
    return (
        query != "" and db.execute("SELECT 1 FROM parts WHERE parts MATCH ?", (query,)).fetchone() is not None
    )


_LETTERS = "abzIiİıßẞÆæŁłØĐþÞﬁﬂﬀևյանλόγοςΣΐŉǰéëö\u0640"


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(
    label=st.text(alphabet=_LETTERS + " ", max_size=12),
    body=st.text(alphabet=_LETTERS + " .,'", min_size=1, max_size=30),
)
def test_any_word_as_written_or_in_either_case_finds_its_part_as_before(label, body):
    """Every word of a part's label or text, typed as written, finds the part; so does it upper- or lower-
    cased wherever the unfolded index found it so (a43d7b2: the text as written, each query word as typed)."""
    from readlog.index.search import fts_query
    from readlog.text import search_fold, search_indexed

    indexed = [(label, search_indexed(label, body))]
    for word in (label + " " + body).replace(".", " ").replace(",", " ").split():
        if not re.search(r"\w", search_fold(word)):
            continue  # no word (a tatweel alone, which only stretches one)
        assert _matches(indexed, fts_query(word)), (word, indexed)
        for typed in (word.upper(), word.lower()):
            before = '"' + " ".join(re.findall(r"\w+", typed)) + '"'
            if before != '""' and _matches([(label, body)], before):
                assert _matches(indexed, fts_query(typed)), (typed, indexed)


def test_a_phrase_never_runs_from_a_label_into_its_text(run):
    """Review 28b #3: the folded label and text were one, so `"zebra caesar"` found a quote at "ch. Zebra"."""
    run("add", "Book", "-a", "W")
    run("quote", "book", "Caesar ate Æsop's fables", "--location", "ch. Zebra")
    run("quote", "book", "Nothing folded here at all", "--location", "Æsop, p. 3")
    assert json.loads(run("search", '"zebra caesar"', "--json").stdout) == []
    assert json.loads(run("search", '"fables ch"', "--json").stdout) == []
    (hit,) = json.loads(run("search", "aesop nothing", "--json").stdout)  # the label's first word
    assert hit["snippet"] == "Nothing folded here at all"


@pytest.mark.parametrize(
    ("query", "marked"), [("stras*", "Straße"), ("A*", "Æthelred"), ("STRASS*", "Straße"), ("th*", "Þórr")]
)
def test_a_prefix_ending_inside_a_folded_letter_marks_it(run, query, marked):
    """Review 28b #4: `stras*` found *Straße* and marked nothing."""
    run("add", "Kings", "-a", "W", "--review", "Æthelred by the Straße, Þórr")
    (hit,) = json.loads(run("search", query, "--json").stdout)
    assert marked in [hit["snippet"][a:b] for a, b in hit["highlights"]]


def test_an_accent_stays_in_its_word_and_alone_is_none():
    from readlog.index.search import fts_query, search_terms

    assert fts_query("i\u0307stanbul \u0301 mémoire") == '"i\u0307stanbul" "mémoire"'
    assert search_terms("i\u0307stanbul \u0301 x*") == [("i\u0307stanbul", False), ("x", True)]
