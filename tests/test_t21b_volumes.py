"""Which book is this, session 21 (try-out 21b, findings 1, 5 and 8): a volume of a series is its own book;
one side's subtitle may be the other's title; `Vol.` and `Volume` are one word; a series' place is no part of
a work for a BOOK lookup. identity alone, no journal: near misses first."""

from __future__ import annotations

import pytest

from readlog.identity import (
    Candidate,
    Same,
    Work,
    book_keys,
    find_in,
    highlight_book,
    lookup_keys,
    names_surely,
    place_number,
    same_work,
    subtitle_lookups,
    title_prefixes,
    title_volumes,
)
from readlog.model import Book

W = Work.named
VAUGHAN = ("Brian K. Vaughan",)


# --- near misses: one volume, written two ways, is one book ----------------------------------------------
@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Saga (Saga, #2)", "Saga (Saga, Vol. 2)"),
        ("Saga (Saga, Book 2)", "Saga (Saga, Volume 2)"),
        ("Saga (Saga, Vol 2)", "Saga (Saga, #02)"),
        ("Saga (Saga, Book 2)", "Saga (Saga, Vol. 2)"),
        ("Effective Notetaking (Study Skills Book 2)", "Effective Notetaking (Study Skills, #2)"),
        ("Saga (Saga, #1-3)", "Saga (Saga #1–3)"),  # an omnibus, its dash written two ways
        ("Dune (Dune #1)", "Dune"),  # a number on one side only: as before
        ("Dune (Dune Chronicles, Book 1)", "Dune (Dune #1)"),  # two series' names: no conflict between them
        ("One Piece Volume 3", "One Piece, Vol. 3"),
        ("One Piece Vol 3", "One Piece, Vol. 3"),
        ("The Hunger Games (Book 1)", "The Hunger Games (Volume 1)"),
    ],
)
def test_one_volume_written_two_ways_is_one_book(a, b):
    assert same_work(W(a, VAUGHAN), W(b, VAUGHAN)) is Same.SURE
    assert same_work(W(b, VAUGHAN), W(a, VAUGHAN)) is Same.SURE


def test_a_series_field_that_agrees_with_the_title_is_one_book():
    dune = Work("Dune", ("Frank Herbert",), series=(("Dune", "1"),))
    assert same_work(W("Dune (Dune #1)", ["Frank Herbert"]), dune) is Same.SURE
    assert same_work(W("Dune", ["Frank Herbert"]), dune) is Same.SURE  # a number on one side only
    assert same_work(W("Dune", ["Frank Herbert"], [("The Dune", "01")]), dune) is Same.SURE


# --- different volumes are different books -----------------------------------------------------------------
@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Saga (Saga, #1)", "Saga (Saga, #2)"),
        ("Effective Notetaking (Study Skills Book 2)", "Effective Notetaking (Study Skills Book 1)"),
        ("The Wicked + The Divine (The Wicked + The Divine #1)", "The Wicked + The Divine (The Wicked + The Divine #2)"),
        ("The Hunger Games (The Hunger Games, Book 3)", "The Hunger Games (The Hunger Games, #1)"),
        ("Saga (Saga, #1-3)", "Saga (Saga, #1)"),  # the omnibus is not its first volume
        ("Saga (Saga, Vol. II)", "Saga (Saga, #3)"),
    ],
)  # fmt: skip
def test_two_volumes_are_two_books(a, b):
    assert same_work(W(a, VAUGHAN), W(b, VAUGHAN)) is Same.NO
    assert same_work(W(b, VAUGHAN), W(a, VAUGHAN)) is Same.NO


def test_a_series_field_at_another_number_is_another_book():
    # The journal's Saga #2 (the Goodreads importer keeps the series in the `series` field, not the title)
    journal = Work("Saga", VAUGHAN, series=(("Saga", "2"),))
    assert same_work(W("Saga (Saga, #3)", VAUGHAN), journal) is Same.NO
    assert same_work(W("Saga", VAUGHAN, [("Saga", "3")]), journal) is Same.NO
    assert same_work(W("Saga", VAUGHAN, [("Saga", "2")]), journal) is Same.SURE  # near miss


def test_an_import_rows_places_travel_as_vol_keys():
    row = Book(title="Saga", authors=list(VAUGHAN), series=[{"name": "Saga", "number": "3"}])
    keys = book_keys(row)
    assert "vol:saga#3" in keys
    two = Work.of_row("Saga", VAUGHAN, ["vol:saga#2", "goodreads:1"])
    assert two.keys == frozenset({"vol:saga#2"})  # (ids are matched by themselves, first)
    assert same_work(Work.of_row("Saga", VAUGHAN, keys), two) is Same.NO
    # A shared place is no id: two books numbered 2 in one series are not one book for it.
    assert same_work(Work.of_row("Saga", VAUGHAN, keys), Work.of_row("Sage", VAUGHAN, keys)) is Same.NO


def test_a_shared_isbn_still_decides():
    # An ISBN names one edition of one book: a series renumbered between two exports keeps its book.
    a = Work("Saga", VAUGHAN, frozenset({"isbn:9781607066019", "vol:saga#1"}))
    b = Work("Saga", VAUGHAN, frozenset({"isbn:9781607066019", "vol:saga#2"}))
    assert same_work(a, b) is Same.SURE


@pytest.mark.parametrize(
    ("text", "number"),
    [("2", "2"), ("02", "2"), ("Two", "2"), ("II", "2"), ("iv", "4"), ("1 – 3", "1-3"), ("1.50", "1.5"),
     ("0", "0"), ("first", "1"), ("", "")],
)  # fmt: skip
def test_place_numbers(text, number):
    assert place_number(text) == number


def test_title_volumes():
    guards = (("discworld", "8"), ("city watch", "1"))
    assert title_volumes("Guards! Guards! (Discworld, #8; City Watch, #1)") == guards
    assert title_volumes("The Hunger Games (Book 1)") == (("hunger games", "1"),)  # a volume alone
    assert title_volumes("Les vaisseaux du coeur (French Edition)") == ()
    assert title_volumes("The Notebook") == ()


# --- the clipping of one volume never goes to another ------------------------------------------------------
def test_a_clipping_goes_to_its_own_volume_only():
    shelf = [Candidate("en-2", "Effective Notetaking (Study Skills Book 2)", ("Fiona McPherson",))]
    fiona = ["Fiona McPherson"]
    assert highlight_book("Effective Notetaking (Study Skills Book 2)", fiona, shelf) is shelf[0]
    assert highlight_book("Effective Notetaking", fiona, shelf) is shelf[0]  # no number: as before
    for title in ("Effective Notetaking (Study Skills Book 1)", "Effective Notetaking (Study Skills Book 3)"):
        assert highlight_book(title, ["Fiona McPherson"], shelf) is None
    hunger = [Candidate("hg", "The Hunger Games", ("Suzanne Collins",), series=(("The Hunger Games", "1"),))]
    hg = "The Hunger Games (The Hunger Games, Book {})"
    assert highlight_book(hg.format(1), ["Collins, Suzanne"], hunger) is hunger[0]
    assert highlight_book(hg.format(3), ["Collins, Suzanne"], hunger) is None


# --- one side's subtitle is the other's title (finding 5) ---------------------------------------------------
@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Earthsea: The Farthest Shore", "The Farthest Shore"),
        ("The Expanse: Leviathan Wakes", "Leviathan Wakes"),
        ("Mistborn: The Hero of Ages", "The Hero of Ages"),
    ],
)
def test_a_subtitle_that_is_the_other_title_is_maybe(a, b):
    assert same_work(W(a), W(b)) is Same.MAYBE
    assert same_work(W(b), W(a)) is Same.MAYBE
    assert same_work(W(a), W("The Tombs of Atuan")) is Same.NO  # near miss


def test_subtitle_lookups_find_both_ways():
    # The journal's `Earthsea: The Farthest Shore` keeps a subtitle key; `The Farthest Shore` asks for it.
    assert "s:farthest shore" in lookup_keys("Earthsea: The Farthest Shore")
    assert subtitle_lookups("The Farthest Shore") == (["s:farthest shore"], [])
    # `Earthsea: The Farthest Shore` asks for the titles that start like its subtitle.
    keys, prefixes = subtitle_lookups("Earthsea: The Farthest Shore")
    assert keys == [] and prefixes == title_prefixes("The Farthest Shore")
    assert not any(key.startswith("s:") for key in lookup_keys("Earthsea"))  # near miss: no subtitle


def test_vol_and_volume_stems_find_each_other():
    for a, b in (("One Piece Volume 3", "one piece vol 3"), ("One Piece, Vol. 3", "one piece volume 3")):
        assert any(b.startswith(prefix) for prefix in title_prefixes(a)), (a, b)


# --- BOOK lookups: a series' place is no part (finding 8) --------------------------------------------------
def test_a_series_place_is_found_by_the_main_title():
    fire = Candidate("catching-fire-the-hunger-games-book-2", "Catching Fire (The Hunger Games, Book 2)")
    assert "q4:catching fire" in lookup_keys(fire.title)
    assert find_in("catching fire", [fire]).slug == fire.slug
    # near miss: a part or an adaptation is still not what its main title names
    assert not any(key.startswith("q4:") for key in lookup_keys("Dune: The Graphic Novel, Book 1"))
    assert not any(key.startswith("q4:") for key in lookup_keys("The Hunger Games (Book 1)"))


def test_names_surely():
    frank = Candidate("dune", "Dune", ("Frank Herbert",))
    brian = Candidate("dune-herbert", "Dune", ("Brian Herbert",))
    messiah = Candidate("dune-messiah", "Dune Messiah", ("Frank Herbert",))
    assert names_surely("dune", frank) and names_surely("dune", brian)
    assert names_surely("dune by herbert", frank)
    assert not names_surely("dune", messiah)  # near miss: words of its title
