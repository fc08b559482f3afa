"""`readlog restore` lists removed books newest removal first, with the time each was removed: not by
each file's last edit, which the move into trash/ keeps (try-out 22a: a book edited just before it was
removed was listed above one removed after it, with its edit's time)."""

from __future__ import annotations

import os
import time

from readlog.journal import Journal, removed_at


def test_the_trash_is_listed_by_when_each_book_was_removed(run, books):
    run("add", "Dune", "-a", "Frank Herbert")
    run("add", "Emma", "-a", "Jane Austen")
    hour_ago = time.time() - 3600
    os.utime(books / "emma.toml", (hour_ago, hour_ago))  # Emma last edited an hour ago, Dune now
    run("rm", "dune", "--yes")
    time.sleep(1.1)  # (the trash's names keep the second)
    run("rm", "emma", "--yes")
    listed = [line.split("\t") for line in run("restore").stdout.splitlines()]
    assert [row[2] for row in listed] == ["emma", "dune"]  # Emma was removed last
    emma = next(books.parent.joinpath("trash").glob("emma.*.toml"))
    assert abs(removed_at(emma).timestamp() - time.time()) < 60  # when it was removed, not its edit
    assert listed[0][1] == removed_at(emma).strftime("%Y-%m-%d %H:%M")


def test_two_removals_in_one_second_are_told_apart(run, books):
    for title in ("Alpha", "Beta", "Gamma"):
        run("add", title, "-a", "Ann Author")
    for slug in ("gamma", "alpha", "beta"):  # in one second, as a rule: the move's time orders them
        run("rm", slug, "--yes")
    names = [p.name.split(".", 1)[0] for p in Journal(books.parent).trashed_books()]
    assert names == ["beta", "alpha", "gamma"]


def test_a_file_put_in_the_trash_by_hand_has_its_own_time(books):
    trash = books.parent / "trash"
    trash.mkdir(parents=True)
    path = trash / "by-hand.toml"
    path.write_text('title = "By Hand"\n', encoding="utf-8")
    os.utime(path, (1_700_000_000, 1_700_000_000))
    assert removed_at(path).timestamp() == 1_700_000_000
