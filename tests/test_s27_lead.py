"""Session 27's lead fixes, each a test that failed on the code before it."""

from __future__ import annotations

from readlog.identity import pick_removed_by
from test_t23c_merge import toml
from test_t26g_pick_places import BKV, picks_of


def test_a_drop_that_names_a_volume_never_removes_a_pick_that_names_none(run, books, journal_home):
    """`next drop "Saga (Saga, #2)"` removed the pick *Saga* (no place: the series, or its first volume)
    while the book's *Saga #2* was beside it (session 26's left-alone list). It removes nothing now, and
    names the picks there; a title with no place still removes the one pick that has one."""
    run("add", "Y: The Last Man", "-a", BKV, "--finished", "2020-01-01")
    run("next", "add", "Saga", "-a", BKV, "--from", "y-the-last-man", "--why", "the series")
    run("next", "add", "Saga #2", "-a", BKV, "--from", "y-the-last-man", "--why", "the second")
    before = (books / "y-the-last-man.toml").read_bytes()
    err = run("next", "drop", "Saga (Saga, #2)", "--from", "y-the-last-man", code=1).stderr
    assert "has no pick called 'Saga (Saga, #2)': its picks are “Saga”, “Saga #2”" in err, err
    assert (books / "y-the-last-man.toml").read_bytes() == before
    assert not (journal_home / "trash").exists()
    run("next", "drop", "Saga #2", "--from", "y-the-last-man")
    assert picks_of(books, "y-the-last-man") == ["Saga"]
    # the other way: a title without its place removes the pick that names one
    run("next", "add", "Dune Messiah (Dune #2)", "-a", "Frank Herbert", "--from", "y-the-last-man")
    run("next", "drop", "Dune Messiah", "--from", "y-the-last-man")
    assert picks_of(books, "y-the-last-man") == ["Saga"]
    assert pick_removed_by("saga (saga, vol. 2)", "Saga (Saga, #2)")
    assert not pick_removed_by("Saga (Saga, #2)", "Saga")
    assert not pick_removed_by("Dune Messiah (Dune #5)", "Dune Messiah (Dune #2)")


def test_a_reread_of_a_slug_whose_book_is_someone_elses_adds_nothing(run, books):
    """`add dune -a "Brian Herbert" --reread` made a new book titled `dune` by Brian Herbert beside Frank
    Herbert's *Dune* (session 26's left-alone list): `--reread` says the book is in the journal. Refused
    now, naming the slug's book and both ways on."""
    run("add", "Dune", "-a", "Frank Herbert", "--finished", "2020-01-01")
    before = sorted(p.name for p in books.iterdir())
    err = run("add", "dune", "-a", "Brian Herbert", "--reread", "--finished", "2024-01-01", code=1).stderr
    assert err.startswith(
        "readlog: error: 'dune' is the slug of dune (Dune by Frank Herbert), not a book by"
    ), err
    assert "`readlog add dune --reread` logs another reading of it, `--new` adds a separate book" in err, err
    assert sorted(p.name for p in books.iterdir()) == before
    run("add", "dune", "--reread", "--finished", "2024-01-01")  # the slug alone: its book
    assert len(toml(books, "dune")["reads"]) == 2
    run("add", "dune", "-a", "Brian Herbert", "--reread", "--new", "--finished", "2024-01-01")
    assert (books / "dune-herbert.toml").is_file()
