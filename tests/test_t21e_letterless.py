"""A title with no letters (try-out 21a, finding 7): `add "."`, `"/"`, `"😀"` work, and the title typed whole
finds its book again; typed otherwise, the refusal names the slug(s) to give."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import snapshot
from readlog.errors import AmbiguousBook, BookNotFound
from readlog.identity import Candidate, Same, Work, find_in, lookup_keys, same_work

TITLES = [".", "/", "...", "?!...", "😀", "📚📚"]


@pytest.mark.parametrize("title", TITLES)
def test_a_title_with_no_letters_typed_whole_finds_its_book(title: str) -> None:
    books = [Candidate(f"book-{n}", t, ("Y",)) for n, t in enumerate(TITLES)]
    assert find_in(title, books).slug == f"book-{TITLES.index(title)}"
    assert find_in(f" {title} ", books).slug == f"book-{TITLES.index(title)}"  # spaces around: the same


def test_its_key_is_the_title_as_typed() -> None:
    assert lookup_keys("?!...") == ["q1:?!..."]
    assert lookup_keys("  📚  📚 ") == ["q1:📚 📚"]
    assert lookup_keys("   ") == []


def test_typed_otherwise_the_refusal_names_the_slugs() -> None:
    books = [
        Candidate("books-books", "📚📚", ("Y",)),
        Candidate("grinning", "😀", ("Y",)),
        Candidate("notes", "📚 Notes", ("Y",)),
        Candidate("v-pynchon", "V.", ("Thomas Pynchon",)),
        Candidate("book-y-3", "?!...", ("Y",)),
    ]
    with pytest.raises(BookNotFound) as error:
        find_in("📚", books)
    assert "books-books (📚📚 by Y)" in str(error.value) and "notes (📚 Notes by Y)" in str(error.value)
    assert "grinning" not in str(error.value)
    with pytest.raises(BookNotFound) as error:
        find_in("?", books)
    assert "book-y-3 (?!... by Y)" in str(error.value)
    with pytest.raises(BookNotFound) as error:
        find_in(".", books)  # not every title with a full stop in it
    assert "v-pynchon" not in str(error.value)


def test_two_books_of_one_letterless_title_are_named_not_guessed() -> None:
    books = [Candidate("book", ".", ("Y",)), Candidate("book-z", ".", ("Z",))]
    with pytest.raises(AmbiguousBook) as error:
        find_in(".", books)
    assert "book (. by Y)" in str(error.value) and "book-z (. by Z)" in str(error.value)
    assert find_in(". by Z", books).slug == "book-z"


def test_one_letterless_title_twice_is_maybe_one_work() -> None:
    assert same_work(Work.named("😀", ["Y"]), Work.named("😀", ["Y"])) is Same.MAYBE
    assert same_work(Work.named("😀", ["Y"]), Work.named("😀", ["Z"])) is Same.NO
    assert same_work(Work.named("😀", ["Y"]), Work.named("📚", ["Y"])) is Same.NO
    assert same_work(Work.named("?", []), Work.named("Dune", [])) is Same.NO


def test_through_the_command_line(run, journal_home: Path) -> None:
    slugs = {}
    for title in TITLES:
        added = run("add", "-a", "Y", "--", title)
        slugs[title] = added.stderr.rsplit("/", 1)[1].split(".toml")[0]
    assert "│ . " in run("show", ".").stdout
    assert "Rated “/”" in run("rate", "/", "3").stderr
    assert "😀" in run("show", "😀").stdout
    refused = run("show", "📚", code=1)
    assert f"{slugs['📚📚']} (📚📚 by Y)" in refused.stderr
    before = snapshot(journal_home / "books")
    refused = run("add", "-a", "Y", "--", "😀", code=1)  # maybe the same: never guessed in a script
    assert f"{slugs['😀']} (😀 by Y)" in refused.stderr
    assert snapshot(journal_home / "books") == before
