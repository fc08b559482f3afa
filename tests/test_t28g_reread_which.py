"""Try-out 28b #3: `add "Saga" -a "Brian K. Vaughan" --reread` logged the reading on the place-less *Saga*
without a word, beside *Saga* in series Saga #3 (same title, same author), where `add "Saga" --reread`,
`start` and `rate` refuse naming both. One rule now: refused in a script naming both, asked on a terminal."""

from __future__ import annotations

import pytest

from conftest import snapshot
from test_query_policy import _on_terminal
from test_t23c_merge import toml
from test_t24d_which_book import write

BKV = "Brian K. Vaughan"


def _two_sagas(books) -> None:
    write(books, "saga", "Saga", [BKV])
    write(books, "saga-vaughan", "Saga", [BKV], extra='series = [{name = "Saga", number = "3"}]\n')


def _reads(books, slug: str) -> list[str]:
    return [str(r.get("finished")) for r in toml(books, slug).get("reads", [])]


@pytest.mark.parametrize("typed", ["Saga", "saga"])
def test_a_reread_of_a_title_two_volumes_have_is_refused_in_a_script_naming_both(run, books, typed):
    _two_sagas(books)
    before = snapshot(books)
    err = run("add", typed, "-a", BKV, "--reread", "--finished", "2026-11-05", code=1).stderr
    assert f"{typed!r} names several books of the journal: saga (Saga by {BKV}), saga-vaughan (" in err, err
    assert "nothing was added" in err, err
    assert snapshot(books) == before


def test_a_reread_that_names_the_volume_by_its_slug_takes_it(run, books):
    """Near miss: the slug tells the two apart."""
    _two_sagas(books)
    run("add", "saga-vaughan", "-a", BKV, "--reread", "--finished", "2026-11-05")
    assert _reads(books, "saga-vaughan") == ["2026-11-05"]
    assert _reads(books, "saga") == []


@pytest.mark.parametrize(
    ("title", "first", "second"),
    [
        ("Selected Poems", "Robert Lowell", "Robert Powell"),
        ("Persuasion", "Jane Austen", "Jan Austen"),
        ("Poems", "Joan Smith", "John Smith"),
    ],
)
@pytest.mark.parametrize("typed", [0, 1], ids=["first", "second"])
def test_a_reread_by_the_author_typed_is_never_asked_about_a_near_name(
    run, books, title, first, second, typed
):
    """Near misses: a name a letter off is another book for a reading typed with the other name (as `start
    TITLE -a NAME` takes it): no question, no refusal."""
    write(books, "one", title, [first])
    write(books, "two", title, [second])
    run("add", title, "-a", (first, second)[typed], "--reread", "--finished", "2026-11-05")
    assert [_reads(books, "one"), _reads(books, "two")][typed] == ["2026-11-05"]
    assert [_reads(books, "one"), _reads(books, "two")][1 - typed] == []


def test_a_reread_of_dune_is_never_asked_about_dune_messiah(run, books):
    write(books, "dune", "Dune", ["Frank Herbert"])
    write(books, "dune-messiah", "Dune Messiah", ["Frank Herbert"])
    run("add", "Dune", "-a", "Frank Herbert", "--reread", "--finished", "2026-11-05")
    assert _reads(books, "dune") == ["2026-11-05"] and _reads(books, "dune-messiah") == []


def test_a_reread_of_a_title_two_volumes_have_is_asked_on_a_terminal(books, tmp_path):
    _two_sagas(books)
    before = snapshot(books)
    args = ["add", "Saga", "-a", BKV, "--reread", "--finished", "2026-11-05"]
    code, shown = _on_terminal(args, [(b"which? [1-2, Enter for none]", b"")], tmp_path)
    assert code == 1 and "saga-vaughan (Saga (Saga #3) by" in shown, shown  # (t29h: with its place)
    assert snapshot(books) == before
    code, shown = _on_terminal(args, [(b"which? [1-2, Enter for none]", b"2")], tmp_path)
    assert code == 0, shown
    assert _reads(books, "saga-vaughan") == ["2026-11-05"] and _reads(books, "saga") == []


def test_checks_maybe_line_names_the_place_of_each_volume_of_one_title(run, books):
    """Try-out 28b #8: the pair read `(Saga / Saga)`; the place tells them apart. Near miss: a pair of one
    title neither of which has a place is named as before (by who wrote each)."""
    _two_sagas(books)
    write(books, "the-stand", "The Stand", ["Stephen King"])
    write(books, "the-stand-king", "The Stand", ["Steven King"])
    checked = run("check").stdout
    assert (
        "maybe the same book as saga-vaughan.toml (Saga (Saga #3) / Saga (no place in a series))" in checked
    )
    assert "(The Stand by Steven King / The Stand by Stephen King)" in checked, checked
