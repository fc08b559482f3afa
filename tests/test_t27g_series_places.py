"""Try-outs 27b #2, #5 and 27c #4: a book's place in a series. A title placed at another number of a
series named as a book's own title is at most a maybe of the book that names no place (`Saga (Saga, #3)`
and the reader's *Saga*); `Saga #2`, `Saga, Vol. 2` and `Saga (Saga, #2)` are one place; and a pick's
identity is one rule for `next add`, `next drop` and the queue."""

from __future__ import annotations

from readlog.identity import Same, Work, same_work
from test_t26g_pick_places import BKV
from test_which_book_writes import GR_HEADER


def same(a: str, b: str, authors: tuple[str, ...] = (BKV,)) -> tuple[Same, Same]:
    x, y = Work.named(a, authors), Work.named(b, authors)
    return same_work(x, y), same_work(y, x)


def test_another_place_of_a_series_named_as_the_title_is_a_maybe_of_the_book_with_no_place():
    assert same("Saga (Saga, #3)", "Saga") == (Same.MAYBE, Same.MAYBE)
    assert same("Saga (Saga, #1-3)", "Saga") == (Same.MAYBE, Same.MAYBE)  # an omnibus
    series = Work.named("Saga", (BKV,), [("Saga", "3")])  # (an import's book: the place in its `series`)
    assert same_work(series, Work.named("Saga", (BKV,))) is Same.MAYBE
    # the book titled as its series is its first; a series named otherwise decides nothing
    assert same("Dune (Dune #1)", "Dune", ("Frank Herbert",)) == (Same.SURE, Same.SURE)
    assert same("Dune Messiah (Dune #2)", "Dune Messiah", ("Frank Herbert",)) == (Same.SURE, Same.SURE)
    assert same("The Hunger Games (The Hunger Games, #1)", "The Hunger Games") == (Same.SURE, Same.SURE)
    assert same("Catching Fire (The Hunger Games, #2)", "Catching Fire") == (Same.SURE, Same.SURE)


def test_an_import_parks_another_volume_beside_the_reader_s_book_and_add_refuses_it(run, books, tmp_path):
    """The row *Saga (Saga, #3)* was written into the reader's *Saga* (volume 1): its series, year, a
    second reading, volume 3's Book Id; its rating and review lost."""
    run("add", "Saga", "-a", BKV, "--rating", "5", "--finished", "2023-03-01", "--review", "Volume one: wow.")
    before = (books / "saga.toml").read_bytes()
    export = tmp_path / "saga.csv"
    export.write_text(
        GR_HEADER + "\n"
        f'999002,"Saga (Saga, #3)",{BKV},"Vaughan, Brian K.",,,2,2023/09/01,2023/08/01,read,Vol three meh.\n'
    )
    result = run("import", str(export))
    assert "Saga: may be the same book as saga: kept as its own book" in result.stderr, result.stderr
    assert "1 added, 0 updated" in result.stderr, result.stderr
    assert (books / "saga.toml").read_bytes() == before
    assert "Vol three meh." in (books / "saga-vaughan.toml").read_text()
    # a script's add of that volume beside the reader's *Saga* alone: a maybe, refused naming --new
    (books / "saga-vaughan.toml").unlink()
    err = run("add", "Saga (Saga, #3)", "-a", BKV, code=1).stderr
    assert "may be the same book as saga (Saga by Brian K. Vaughan)" in err and "add --new" in err, err
    run("add", "Saga (Saga, #3)", "-a", BKV, "--new")
    err = run("import", str(export)).stderr  # (its own volume, by title: no "book holding its id")
    assert "1 updated" in err and "written to" not in err, err
    # *Dune Messiah (Dune #2)* is the journal's *Dune Messiah*: its series is not its title
    run("add", "Dune Messiah", "-a", "Frank Herbert")
    err = run("add", "Dune Messiah (Dune #2)", "-a", "Frank Herbert", code=1).stderr
    assert "is already in the journal as 'dune-messiah'" in err, err


def test_a_book_query_placed_past_the_first_names_no_book_titled_as_its_series(run, books):
    """`rate "Saga (Saga, #3)" 2` rated the reader's *Saga* (volume 1) as the export's #3 was written into it."""
    run("add", "Saga", "-a", BKV)
    err = run("rate", "Saga (Saga, #3)", "2", code=1).stderr
    assert "no book in the journal is 'Saga (Saga, #3)'; did you mean: saga (Saga by" in err, err
    assert "rating" not in (books / "saga.toml").read_text()
    run("rate", "Saga (Saga, #1)", "4")  # the book titled as its series is its first
    assert "rating = 4" in (books / "saga.toml").read_text()


VOLUME_TWO = [
    "Saga #2",
    "Saga, Vol. 2",
    "Saga (Saga, #2)",
    "Saga Volume Two",
    "Saga, Vol. II",
    "Saga, Book 2",
]
NEAR_MISSES = ["Catch-22", "Apollo 13", "Fahrenheit 451", "1984", "Room 237", "Ocean's 11", "#GIRLBOSS",
               "Saga #2: Part One", "Vol. II", "Volume Two"]  # fmt: skip


def test_a_place_at_a_title_s_end_is_one_place_however_written():
    """`pick_places("Saga #2")` was empty, and `Saga #2`, `Saga, Vol. 2`, `Saga (Saga, #2)` three books."""
    from readlog.identity import pick_places, pick_title_key, title_ties

    for title in VOLUME_TWO:
        assert pick_places(title) == {"vol:saga#2"}, title
        assert pick_title_key(title) == "saga", title
        for other in VOLUME_TWO:
            assert same(title, other) == (Same.SURE, Same.SURE), (title, other)
            assert title_ties(title) & title_ties(other), (title, other)  # (the import's shortcut)
        assert same(title, "Saga, Vol. 3") == (Same.NO, Same.NO), title
        assert same(title, "Saga #3") == (Same.NO, Same.NO), title
    for title in NEAR_MISSES:
        assert pick_places(title) == frozenset(), title
    assert same("Saga #2: Part One", "Saga #2") == (Same.NO, Same.NO)


def test_three_forms_of_one_volume_are_one_book_and_one_pick(run, books):
    """Try-out 27b #5: all three `add`s succeeded in a script (three files for one volume), a second pick of
    volume 2 was accepted, and the read *Saga, Vol. 2* left the pick *Saga #2* open."""
    run("add", "Saga, Vol. 1", "-a", BKV, "--rating", "4")
    run("next", "add", "Saga #2", "-a", BKV, "--from", "saga-vol-1")
    err = run("next", "add", "Saga, Vol. 2", "-a", BKV, "--from", "saga-vol-1", code=1).stderr
    assert "'Saga, Vol. 2' is already a pick of 'Saga, Vol. 1'" in err, err
    run("next", "add", "Saga (Saga, #3)", "-a", BKV, "--from", "saga-vol-1")
    assert "Saga #2\t" in run("next", "--format", "tsv").stdout
    run("add", "Saga, Vol. 2", "-a", BKV, "--finished", "2025-02-01")
    shown = run("next", "--format", "tsv").stdout
    assert "Saga #2" not in shown and "Saga (Saga, #3)\t" in shown, shown
    for title in ("Saga #2", "Saga (Saga, #2)", "Saga Volume Two"):
        err = run("add", title, "-a", BKV, code=1).stderr
        assert "is already in the journal as 'saga-vol-2'" in err, err
    assert sorted(p.name for p in books.iterdir()) == ["saga-vol-1.toml", "saga-vol-2.toml"]
    # the other way round: the pick *Saga, Vol. 3*, the book read *Saga #3*
    run("next", "add", "Saga, Vol. 4", "-a", BKV, "--from", "saga-vol-1")
    run("add", "Saga #4", "-a", BKV, "--finished", "2025-03-01")
    assert "Saga, Vol. 4" not in run("next", "--format", "tsv").stdout


def test_next_add_and_drop_agree_on_which_pick_a_placed_title_is(run, books):
    """Try-out 27c #4: `next add "Saga (Saga, #2)"` beside the pick *Saga* said "already a pick", `next drop`
    of it said there was none, and the hint's `next add "Saga"` lost the volume; `next drop "Saga"` removed
    the pick *Saga (Saga, #3)*."""
    from test_t26g_pick_places import picks_of

    run("add", "Dune", "-a", "Frank Herbert", "--rating", "5", "--finished", "2026-01-01")
    run("next", "add", "Saga", "-a", BKV, "--from", "dune", "--why", "the series")
    run("next", "add", "Saga (Saga, #2)", "-a", BKV, "--from", "dune")  # another pick: both kept
    assert picks_of(books, "dune") == ["Saga", "Saga (Saga, #2)"]
    run("next", "drop", "Saga (Saga, #2)")
    assert picks_of(books, "dune") == ["Saga"]
    err = run("next", "drop", "Saga (Saga, #3)", code=1).stderr
    assert "no book has a pick called 'Saga (Saga, #3)'" in err and 'next add "Saga"' not in err, err
    run("next", "add", "Saga #3", "-a", BKV, "--from", "dune")
    run("next", "drop", "Saga")  # the place-less pick only
    assert picks_of(books, "dune") == ["Saga #3"]
    run("next", "drop", "Saga (Saga, #3)")  # the same volume, written another way
    assert picks_of(books, "dune") == []
    # a series named otherwise than the title: one pick, and the hint keeps the place as typed
    run("next", "add", "Dune Messiah", "-a", "Frank Herbert", "--from", "dune")
    err = run("next", "add", "Dune Messiah (Dune #2)", "-a", "Frank Herbert", "--from", "dune", code=1).stderr
    assert "is already a pick of 'Dune'" in err, err
    err = run("start", "Dune Messiah (Dune #2)", code=1).stderr
    assert '`readlog next add "Dune Messiah (Dune #2)" --author "Frank Herbert"`' in err, err


def test_an_export_s_rows_and_check_take_the_forms_of_one_volume_as_one_book(run, books, tmp_path):
    export = tmp_path / "saga.csv"
    export.write_text(
        GR_HEADER + "\n"
        f'999003,"Saga, Vol. 2",{BKV},"Vaughan, Brian K.",,,4,2023/09/01,2023/08/01,read,Vol two.\n'
        f'999005,"Saga #2",{BKV},"Vaughan, Brian K.",,,4,2023/09/01,2023/08/01,read,\n'
        f'999006,"Saga (Saga, #4)",{BKV},"Vaughan, Brian K.",,,4,2023/09/01,2023/08/01,read,Vol 4.\n'
    )
    err = run("import", str(export)).stderr
    assert "2 added, 0 updated, 0 skipped (already here), 0 rejected, 1 joined to another row's book" in err
    run("add", "Saga Volume Three", "-a", BKV)
    run("add", "Saga #3", "-a", BKV, "--new")
    out = run("check", code=1).stdout
    assert "saga-volume-three.toml: the same book as saga-3.toml" in out, out
