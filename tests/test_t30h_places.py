"""Try-out 30a #6, #7: a place typed names the book whose place is only in its title (*Saga, Vol. 3*, as
`add` and a Goodreads import write it), as a Kindle clipping of `Saga #3` lands there; a pick that is the
journal's book is stored under that book's title; a lifecycle message names the volume it wrote to."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import snapshot
from test_t23c_merge import toml
from test_t26g_pick_places import BKV
from test_t28h_places_bytes import quotes
from test_t29h_volumes import two_sagas  # noqa: F401 - a fixture


def _placed(books: Path, slug: str, series: str, number: str) -> None:
    """The book `slug` placed in `series` at `number` (its `series` field, as a device or an edit gives it)."""
    path = books / f"{slug}.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("status = ", f'series = [{{name = "{series}", number = "{number}"}}]\nstatus = ', 1)
    )


@pytest.fixture
def volume_three(run, books) -> Path:
    run("add", "Saga, Vol. 3", "-a", BKV, "--status", "read")
    return books


@pytest.mark.parametrize(
    "typed", ["Saga #3", "Saga, Tome 3", "Saga Volume Three", "Saga, No. 3", "Saga #3 by Vaughan"]
)
def test_a_place_typed_names_the_book_whose_title_places_it(run, volume_three, typed):
    """`quote "Saga #3" x` was refused: "it is words of the title of saga-vol-3" (untrue); `Saga, Tome 3`,
    `Saga Volume Three` and `Saga, No. 3` found no book."""
    run("quote", typed, "a line", "--no-input")
    assert quotes(volume_three, "saga-vol-3") == ["a line"]


def test_a_pick_typed_with_a_place_is_the_volume_here(run, volume_three):
    """`next add "Saga #3" --from piranesi` asked for an author beside the wanted *Saga, Vol. 3*."""
    run("add", "Piranesi", "-a", "Susanna Clarke", "--status", "read")
    run("next", "add", "Saga #3", "--from", "piranesi", "--no-input")
    assert toml(volume_three, "piranesi")["next"][0]["title"] == "Saga, Vol. 3"
    assert toml(volume_three, "piranesi")["next"][0]["authors"] == [BKV]


def test_the_series_name_alone_is_still_not_sure_of_a_volume(run, volume_three):
    """*Saga* (Saga #1) and *Saga, Vol. 3*: `Saga` stays *Saga*, a place names its volume, one not here none."""
    run("add", "Saga", "-a", BKV, "--status", "read", "--new")
    _placed(volume_three, "saga", "Saga", "1")
    run("quote", "Saga", "one", "--no-input")  # (its whole title: the book *Saga*)
    run("quote", "Saga #1", "first", "--no-input")
    run("quote", "Saga #3", "third", "--no-input")
    assert quotes(volume_three, "saga") == ["one", "first"]
    assert quotes(volume_three, "saga-vol-3") == ["third"]
    before = snapshot(volume_three)
    assert "no book in the journal is 'Saga #2'" in run("quote", "Saga #2", "x", code=1).stderr
    assert snapshot(volume_three) == before


def test_two_books_at_the_place_typed_are_both_named(run, volume_three):
    """*Saga* placed at Saga #3 by its `series` and *Saga, Vol. 3*: `Saga #3` is either, refused naming both."""
    run("add", "Saga", "-a", BKV, "--status", "read", "--new")
    _placed(volume_three, "saga", "Saga", "3")
    before = snapshot(volume_three)
    err = run("quote", "Saga #3", "x", "--no-input", code=1).stderr
    assert "saga (Saga (Saga #3)" in err and "saga-vol-3 (Saga, Vol. 3" in err, err
    assert snapshot(volume_three) == before


@pytest.mark.parametrize(
    ("title", "series", "typed"),
    [("Symphony", "Symphonies", "Symphony No. 9"), ("Dune", "Dune Chronicles", "Dune #2")],
)
def test_a_place_never_names_a_book_placed_only_in_another_series(run, books, title, series, typed):
    """(Review 29e's near misses stay refused: `series_title_apart`.)"""
    run("add", title, "-a", "Ann Author", "--status", "read")
    _placed(books, title.lower(), series, "1")
    before = snapshot(books)
    assert f"no book in the journal is {typed!r}" in run("quote", typed, "x", code=1).stderr
    assert snapshot(books) == before


# --- #7: a pick stored under its book's title; a message names the volume --------------------------------
def test_a_pick_that_is_a_journal_book_is_stored_under_its_title(run, books):
    """`next add "homo deus: a history of tomorrow" --from sapiens` stored the pick in lowercase as typed,
    which show and the site printed, beside the wanted *Homo Deus: A History of Tomorrow*."""
    run("add", "Sapiens", "-a", "Yuval Noah Harari", "--status", "read")
    run("next", "add", "Homo Deus: A History of Tomorrow", "-a", "Yuval Noah Harari")
    said = run("next", "add", "homo deus: a history of tomorrow", "--from", "sapiens", "--no-input").stderr
    assert "Added “Homo Deus: A History of Tomorrow” as a pick of “Sapiens”" in said, said
    assert [p["title"] for p in toml(books, "sapiens")["next"]] == ["Homo Deus: A History of Tomorrow"]


def test_a_message_names_the_volume_written_to(run, two_sagas):  # noqa: F811 - the fixture
    """`progress "Saga, Vol. 1" 20%` with *Saga* #1 and #3 said only “Saga”: at 20%."""
    run("start", "saga.toml")
    said = run("progress", "Saga, Vol. 1", "20%").stderr
    assert "“Saga (Saga #1)”: at 20%" in said, said
