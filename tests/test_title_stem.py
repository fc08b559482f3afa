"""identity.title_parts and identity.title_stem take a shorter way for a plain title (ASCII letters, digits,
spaces: most titles an import meets): the same answers as the general steps (title_parts_reference.py, the
code as it was), for any title. The real fixtures' titles and the bench export's were compared whole when
the change was made (every one the same)."""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import title_parts_reference as reference
from readlog import identity

WORDS = ["The", "the", "A", "an", "An", "Le", "l", "and", "AND", "And", "Book", "book", "Vol", "Part", "part",
         "Chapter", "Two", "2", "Trilogy", "Omnibus", "Graphic", "Novel", "Box", "Set", "Manga", "Stories",
         "Chess", "is", "as", "Bus", "Gods", "Saga", "Dune", "Edition", "Complete", "Series", "Season", "3",
         "XIV", "ii", "Mistborn", "Los", "Das", "Een", "o", "Hobbit", "Essays", "Novella", "Memoir"]  # fmt: skip
TAILS = ["", " (Saga, #3)", " (Dune #1)", "[Vol. 2]", " (French Edition)", ": A Novel", ": The Hero of Ages",
         " - Book 1", ", The", " & Sun", "'s Tale", " (notes)", ": Tenth Anniversary Edition"]  # fmt: skip

plain_titles = st.builds(
    lambda words, tail, spaces: (spaces or " ").join(words) + tail,
    st.lists(st.sampled_from(WORDS), min_size=1, max_size=6),
    st.sampled_from(TAILS),
    st.sampled_from([" ", "  ", "\t", ""]),
)
any_titles = st.text(st.sampled_from("abcsSTé Éx1 2-–:,'’&()[]#.!_\u00a0\t") | st.characters(), max_size=40)


def same(title: str) -> None:
    parts = identity.title_parts(title)
    assert (parts.main, parts.sub, parts.whole, parts.markers) == reference.title_parts(title), title
    assert identity.title_stem(title) == reference.title_stem(title), title


@settings(max_examples=600, deadline=None)
@given(plain_titles)
def test_plain_titles_as_before(title: str) -> None:
    same(title)


@settings(max_examples=400, deadline=None)
@given(any_titles)
def test_any_title_as_before(title: str) -> None:
    same(title)


@pytest.mark.parametrize(
    "title, stem",
    [
        ("The Quiet of Light 0 (Saga, #1)", "quiet of light 0"),
        ("The A Team", "team"),  # a second article right after the first goes too (as it always did)
        ("A", "a"),
        ("Dune", "dune"),
        ("Gods and Monsters", "god"),
        ("War and Peace", "war"),
        ("Chess Story", "ches"),
        ("Bus 9", "bus 9"),
    ],
)
def test_plain_stems(title: str, stem: str) -> None:
    assert identity.title_stem(title) == stem
    same(title)


def test_plain_markers() -> None:
    parts = identity.title_parts("The Hunger Games Trilogy")
    assert (parts.main, parts.sub, parts.markers) == ("hunger games trilogy", None, frozenset({"trilogy"}))
    assert identity.title_parts("Saga Vol 2").markers == frozenset({"vol 2"})


def test_fixture_titles_as_before() -> None:
    folder = os.environ.get("READLOG_TEST_IMPORTS")
    if not folder or not Path(folder).is_dir():
        pytest.skip("READLOG_TEST_IMPORTS: the real exports")
    titles = set()
    for path in Path(folder).rglob("*.csv"):
        with path.open(newline="", encoding="utf-8-sig", errors="replace") as file:
            for row in csv.DictReader(file):
                titles.update(v for k, v in row.items() if k and k.strip().lower() == "title" and v)
    assert len(titles) > 1000
    for title in titles:
        same(title)
