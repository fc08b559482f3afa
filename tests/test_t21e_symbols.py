"""Titles that differ only in symbols (try-out 21a, finding 1): a symbol that makes another title counts (`C`
/ `C++` / `C#`, `F#`, `A+`, `-v` / `V.`, `.NET` / `NET`); punctuation that does not is ignored as before
(`Dune` / `DUNE` / `Dune.`, `Don't` / `Dont`, quotes, dashes, accents); an exact title as typed wins over a
looser key. The near misses first: each must still be one title."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import snapshot
from readlog.errors import AmbiguousBook, BookNotFound, NotSureBook
from readlog.identity import Candidate, Match, Same, Work, find_in, same_work, symbol_words

PRATA = ("Stephen Prata",)

# One title written two ways: the lookup is sure and the same-work rule says SURE.
NEAR_MISSES = [
    ("Dune", "DUNE"),
    ("Dune", "Dune."),
    ("Dune", "Dune!"),
    ("Don't Look Now", "Dont Look Now"),
    ("Don't Look Now", "Don’t Look Now"),
    ("Dune", "“Dune”"),
    ("Dune", '"Dune"'),
    ("Catch-22", "Catch 22"),
    ("Catch-22", "Catch—22"),
    ("Café Society", "Cafe Society"),
    ("Klara & the Sun", "Klara and the Sun"),
    ("...And Justice for All", "And Justice for All"),
    ("The $100 Startup", "The 100 Startup"),
    ("#Girlboss", "Girlboss"),
    ("Oklahoma!", "Oklahoma"),
    ("Mr. Mercedes", "Mr Mercedes"),
    ("Node.js in Action", "Node js in Action"),
    ("Love - Hate", "Love Hate"),
    ("C++ Primer Plus", "c++ primer plus"),
    ("C++ Primer Plus", "C＋＋ Primer Plus"),  # full-width plus signs
    ("C# in Depth", "C♯ in Depth"),
]

# Two titles that a symbol tells apart: neither names the other, and they are not one work.
TWO_TITLES = [
    ("C Primer Plus", "C++ Primer Plus"),
    ("C Primer Plus", "C# Primer Plus"),
    ("C++ Primer Plus", "C# Primer Plus"),
    ("F", "F#"),
    ("The A Team", "The A+ Team"),
    ("Google Guide", "Google+ Guide"),
    ("V.", "-v"),
    ("NET Programming", ".NET Programming"),
    ("40 Degrees", "-40 Degrees"),
    ("Winter at 40", "Winter at -40"),
]


@pytest.mark.parametrize(("stored", "typed"), NEAR_MISSES)
def test_a_near_miss_still_names_its_book(stored: str, typed: str) -> None:
    found = find_in(typed, [Candidate("the-book", stored, PRATA), Candidate("other", "Something Else")])
    assert found.slug == "the-book" and found.how.sure


@pytest.mark.parametrize(("a", "b"), NEAR_MISSES)
def test_a_near_miss_is_the_same_work(a: str, b: str) -> None:
    assert same_work(Work.named(a, PRATA), Work.named(b, PRATA)) is Same.SURE


@pytest.mark.parametrize(("a", "b"), TWO_TITLES)
def test_a_symbol_that_makes_another_title_counts_in_lookup(a: str, b: str) -> None:
    for stored, typed in ((a, b), (b, a)):
        with pytest.raises((BookNotFound, NotSureBook)):  # never a sure match: a write asks or refuses
            find_in(typed, [Candidate("the-book", stored, PRATA)])


@pytest.mark.parametrize(("a", "b"), TWO_TITLES)
def test_a_symbol_that_makes_another_title_counts_in_same_work(a: str, b: str) -> None:
    assert same_work(Work.named(a, PRATA), Work.named(b, PRATA)) is Same.NO


@pytest.mark.parametrize(("a", "b"), TWO_TITLES)
def test_each_of_two_titles_finds_its_own_book(a: str, b: str) -> None:
    books = [Candidate("first", a, PRATA), Candidate("second", b, PRATA)]
    assert find_in(a, books).slug == "first"
    assert find_in(b, books).slug == "second"


def test_symbol_words() -> None:
    assert symbol_words("C++ Primer Plus") == "Cplusplus Primer Plus"
    assert symbol_words("F# for Fun") == "Fsharp for Fun"
    assert symbol_words("Dune (Dune #1)") == "Dune (Dune #1)"  # a number sign is punctuation
    assert symbol_words("-v") == "minusv"
    assert symbol_words("Sisters - Brothers") == "Sisters - Brothers"  # a dash between words separates
    assert symbol_words("Catch-22") == "Catch-22"
    assert symbol_words(".NET and ASP.NET") == "dotNET and ASP.NET"
    assert symbol_words("...And Then") == "...And Then"  # an ellipsis is punctuation
    assert symbol_words("Dune.") == "Dune."


def test_an_exact_title_wins_over_a_looser_key() -> None:
    books = [Candidate("dune", "Dune", ("Frank Herbert",)), Candidate("dune-2", "Dune.", ("Frank Herbert",))]
    assert find_in("Dune.", books).slug == "dune-2"
    assert find_in("dune", books).slug == "dune"  # case is no symbol
    assert find_in("Dune", books).how is Match.TITLE
    with pytest.raises(AmbiguousBook):  # neither exactly: several, never a guess
        find_in("DUNE!", books)


def test_an_exact_title_with_its_case_breaks_a_tie_of_case() -> None:
    books = [Candidate("it", "It", ("Stephen King",)), Candidate("it-2", "IT", ("Someone Else",))]
    assert find_in("IT", books).slug == "it-2"
    assert find_in("It", books).slug == "it"
    with pytest.raises(AmbiguousBook):
        find_in("it", books)


# --- through the command line ----------------------------------------------------------------------------
PRATA_CSV = """Book Id,Title,Author,Author l-f,Additional Authors,ISBN,ISBN13,My Rating,Average Rating,Publisher,\
Binding,Number of Pages,Year Published,Original Publication Year,Date Read,Date Added,Bookshelves,\
Bookshelves with positions,Exclusive Shelf,My Review,Spoiler,Private Notes,Read Count,Owned Copies
111,C Primer Plus,Stephen Prata,"Prata, Stephen",,,,5,4.27,Ace,Paperback,658,2005,1965,2020/01/05,\
2021/07/30,programming,,read,Great C book.,,,1,0
222,C++ Primer Plus,Stephen Prata,"Prata, Stephen",,,,2,4.27,Ace,Paperback,658,2005,1965,2021/06/07,\
2021/07/30,programming,,read,Too long.,,,1,0
"""


def test_an_export_with_c_and_cpp_keeps_two_books(run, tmp_path: Path) -> None:
    export = tmp_path / "goodreads_library_export.csv"
    export.write_text(PRATA_CSV, encoding="utf-8")
    result = run("import", str(export))
    assert "2 added" in result.stderr and "joined" not in result.stderr
    listed = run("list", "--json").stdout
    import json

    ratings = {b["title"]: b["rating"] for b in json.loads(listed)}
    assert ratings == {"C Primer Plus": 5, "C++ Primer Plus": 2}


def test_a_write_by_a_title_a_symbol_apart_is_refused(run, journal_home: Path) -> None:
    run("add", "C++ Primer Plus", "-a", "Stephen Prata")
    before = snapshot(journal_home / "books")
    for typed in ("C Primer Plus", "C# Primer Plus"):
        refused = run("rate", typed, "2", code=1)
        assert "cplusplus-primer-plus (C++ Primer Plus by Stephen Prata)" in refused.stderr
        assert "Rated" not in refused.stderr
    assert snapshot(journal_home / "books") == before
    assert "Rated “C++ Primer Plus”" in run("rate", "C++ Primer Plus", "3").stderr


def test_an_add_a_symbol_apart_is_another_book(run) -> None:
    run("add", "C++ Primer Plus", "-a", "Stephen Prata")
    added = run("add", "C Primer Plus", "-a", "Stephen Prata")  # not "already in the journal"
    assert "Added “C Primer Plus”" in added.stderr
    assert "Rated “C Primer Plus”" in run("rate", "C Primer Plus", "5").stderr
    assert "Rated “C++ Primer Plus”" in run("rate", "C++ Primer Plus", "2").stderr
    run("check")  # no "the same book as" pair


def test_the_readme_example_v_and_minus_v(run) -> None:
    run("add", "-a", "X", "--", "-v")
    run("add", "V.", "-a", "Thomas Pynchon")
    assert "Rated “V.”" in run("rate", "V.", "2").stderr
    assert "Rated “-v”" in run("rate", "--", "-v", "4").stderr
