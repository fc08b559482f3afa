"""identity.title_ties: an import asks same_work only about the books tied to a row's title (matching's
shortcut, importers._match and identity.TitlesLike.like with `ties`), so two titles whose ties are disjoint
must be titles same_work answers NO about (without a shared id). The near misses: a complete title that is
words of a longer one, a subtitle that is a volume, an article, `&` and `and`, accents, case, a full stop
read as a colon, a series before the title, a generic subtitle, letterless titles."""

from __future__ import annotations

import csv
import itertools
import os
import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from readlog.identity import (
    Candidate,
    Same,
    TitlesLike,
    Work,
    book_ties,
    same_work,
    title_ties,
    volume_keys,
)

AUTHORS = ("Ann Writer",)

# Pairs same_work answers SURE or MAYBE about: each must stay tied (else the shortcut would drop a match).
NEAR = [
    ("The Hobbit", "Hobbit"),
    ("The Hobbit", "Hobbit, The"),
    ("Pride & Prejudice", "Pride and Prejudice"),
    ("Les Misérables", "Les Miserables"),
    ("LES MISÉRABLES", "les misérables"),
    ("Dune", "Dune (Dune #1)"),
    ("Dune", "Dune: Deluxe Edition"),
    ("Dune", "Dune: A Novel"),
    ("Foo: Bar", "Foo Bar"),
    ("Earthsea: The Farthest Shore", "The Farthest Shore"),
    ("The Farthest Shore", "Earthsea: The Farthest Shore"),
    ("Mistborn", "Mistborn: The Final Empire"),
    ("How to Take Smart Notes. One Simple Technique", "How to Take Smart Notes: One Simple Technique"),
    ("How to Take Smart Notes. One Simple Technique", "How to Take Smart Notes"),
    ("How to Take Smart Notes", "How To Take Smart Notes. One Simple Technique"),
    ("The Hunger Games (Book 1)", "The Hunger Games"),
    ("The Hunger Games", "The Hunger Games (Book 1)"),
    ("The Hunger Games (Book 1)", "The Hunger Games: Book 1"),
    ("?", "?"),
    ("😀", "😀"),
    ("Wait. What?", "Wait: What?"),
]
# Pairs it answers NO about (a longer title, another volume): whether tied or not, never a match.
APART = [
    ("Dune", "Dune Messiah"),
    ("The Hunger Games", "The Hunger Games Trilogy"),
    ("Saga, Vol. 1", "Saga, Vol. 2"),
    ("Dune", "Dunes"),
    ("?", "!"),
    ("?", "Dune"),
]


def _same(a: str, b: str, keys_a: list[str] = [], keys_b: list[str] = []) -> Same:  # noqa: B006
    return same_work(Work.of_row(a, AUTHORS, keys_a), Work.of_row(b, AUTHORS, keys_b))


@pytest.mark.parametrize(("a", "b"), NEAR)
def test_near_misses_stay_tied(a: str, b: str) -> None:
    assert _same(a, b) is not Same.NO  # (the pair is a real near miss: a match the shortcut must keep)
    assert _same(b, a) is not Same.NO
    assert not title_ties(a).isdisjoint(title_ties(b))


@pytest.mark.parametrize(("a", "b"), APART)
def test_apart_answer_no(a: str, b: str) -> None:
    assert _same(a, b) is Same.NO


WORDS = ["The", "the", "A", "an", "Le", "l'", "and", "&", "AND", "Book", "Vol.", "Part", "Two", "2", "#1",
         "Trilogy", "Novel", "Stories", "Dune", "dune", "DUNE", "Dunes", "Édition", "Edition", "Saga", "é",
         "e", "Misérables", "Miserables", "What?", "Wait.", "Notes.", "One", "Hobbit", "(Book 1)", "(Dune #1)",
         ":", ":", ". ", "-", ",", "(", ")", "?", "😀", "Mr.", "Farthest", "Shore", "Earthsea:"]  # fmt: skip
titles = st.builds(" ".join, st.lists(st.sampled_from(WORDS), min_size=1, max_size=5))


@settings(max_examples=1500, deadline=None)
@given(titles, titles)
def test_disjoint_ties_answer_no(a: str, b: str) -> None:
    if title_ties(a).isdisjoint(title_ties(b)):
        assert _same(a, b) is Same.NO, (a, b)
        assert _same(a, b, volume_keys([("dune", "1")]), volume_keys([("dune", "1")])) is Same.NO


def _fixture_titles() -> list[str]:
    folder = os.environ.get("READLOG_TEST_IMPORTS")
    if not folder or not Path(folder).is_dir():
        pytest.skip("READLOG_TEST_IMPORTS: the real exports")
    found: set[str] = set()
    for path in Path(folder).rglob("*.csv"):
        with path.open(newline="", encoding="utf-8-sig", errors="replace") as file:
            for row in csv.DictReader(file):
                found.update(v for k, v in row.items() if k and k.strip().lower() == "title" and v)
    return sorted(found)


def test_fixture_titles_tied_to_every_match() -> None:
    """Every pair of the real exports' titles that same_work does not answer NO about is tied; pairs that
    share a word are most of those asked (the others are NO on their first word already)."""
    found = _fixture_titles()
    assert len(found) > 1000
    by_word: dict[str, list[str]] = {}
    for title in found:
        for word in set(title.casefold().split()[:2]):
            by_word.setdefault(word, []).append(title)
    asked = matched = 0
    for group in by_word.values():
        for a, b in itertools.combinations(group[:80], 2):
            asked += 1
            if _same(a, b) is not Same.NO:
                matched += 1
                assert not title_ties(a).isdisjoint(title_ties(b)), (a, b)
    assert asked > 5000 and matched > 10, (asked, matched)


def test_like_with_ties_is_like_less_the_untied() -> None:
    """TitlesLike.like(title, stem, ties): the books like(title) gives, less those not tied to it, in the
    same order, whether they were added before or after the last question."""
    rng = random.Random(24)
    pool = [t for a, b in NEAR + APART for t in (a, b)] + ["The Garden", "Garden", "A Garden of Dune"]
    pool += [" ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 4))) for _ in range(400)]
    held = TitlesLike()
    books = [Candidate(f"b{n:04d}", title, AUTHORS) for n, title in enumerate(pool)]
    rng.shuffle(books)
    tied_found = 0
    for start in range(0, len(books), 97):
        held.add(books[start : start + 97])
        for title in pool[::3]:
            ties = title_ties(title)
            want = [c for c in held.like(title) if not ties.isdisjoint(title_ties(c.title))]
            assert held.like(title, None, ties) == want, title
            tied_found += bool(want)
    assert tied_found > 50


# A book known by its series alone (KOReader's `Saga` with Saga #2, or an export's `Saga (Saga, #2)`) against
# a volume's title: same_work says SURE (`Saga, Vol. 2` is compared as `Saga` at #2: one place, one book,
# session 28), so the ties must tie them, either way round; other volumes stay NO.
SERIES_NEAR = [
    ("Saga, Vol. 2", "Saga", [("Saga", "2")]),
    ("Saga, Volume 2", "Saga", [("Saga", "2")]),
    ("The Expanse, Vol. 3", "The Expanse", [("The Expanse", "3")]),
]
SERIES_APART = [
    ("Saga, Vol. 3", "Saga", [("Saga", "2")]),
    ("Saga", "Saga", [("Saga", "1")]),  # (tied by the title itself: same_work decides the rest)
]


@pytest.mark.parametrize(("row", "title", "series"), SERIES_NEAR)
def test_a_book_known_by_its_series_is_tied_to_its_volume(row: str, title: str, series) -> None:
    book = Work.named(title, AUTHORS, series)
    assert same_work(Work.of_row(row, AUTHORS, []), book) is Same.SURE
    assert same_work(book, Work.of_row(row, AUTHORS, [])) is Same.SURE
    assert not title_ties(row).isdisjoint(title_ties(title))  # (its name is the book's title)
    assert not title_ties(row).isdisjoint(book_ties(title, series))
    held = TitlesLike()
    held.add([Candidate("saga", title, AUTHORS, series=tuple(series))])
    assert [c.slug for c in held.like(row, None, title_ties(row))] == ["saga"]


@pytest.mark.parametrize(("row", "title", "series"), SERIES_APART)
def test_another_volume_of_a_book_known_by_its_series_is_no_match(row: str, title: str, series) -> None:
    assert same_work(Work.of_row(row, AUTHORS, []), Work.named(title, AUTHORS, series)) is not Same.MAYBE


NUMBERS = st.sampled_from(["1", "2", "3", "#2", "Two"])


@settings(max_examples=800, deadline=None)
@given(titles, titles, st.one_of(titles, st.none()), NUMBERS)
def test_disjoint_book_ties_answer_no(a: str, b: str, name: str | None, number: str) -> None:
    """With a series on one side (a journal book as the index keeps it; named as its title, or not): untied
    is NO, as without one."""
    series = [(b if name is None else name, number)]
    if title_ties(a).isdisjoint(book_ties(b, series)):
        assert same_work(Work.of_row(a, AUTHORS, []), Work.named(b, AUTHORS, series)) is Same.NO, (a, b)
