"""t33l: `check` and a Finder copy (review 33a #6); a JSON backup's ending conflicts (#10); a reading ended
twice, as counted (#18); goals.toml in a whole-journal backup (#17)."""

from __future__ import annotations

import json
import subprocess


def _titles(run) -> list[str]:
    return [book["title"] for book in json.loads(run("list", "--json").stdout)]


def test_a_finder_copy_is_a_copy_and_fix_puts_it_in_trash_never_a_second_book(run, books, journal_home):
    run("add", "Dune", "-a", "Frank Herbert", "--rating", "4")
    (books / "Dune.toml").write_bytes((books / "dune.toml").read_bytes())
    said = run("check", code=1).stdout
    assert said.count("\n") == 1, said  # one line: the copy's; dune.toml is no duplicate of a file unseen
    assert f"{books / 'Dune.toml'}: the file name is not a slug: readlog cannot see it; " in said
    assert "the same bytes as dune.toml, which readlog reads: a copy (safe to remove" in said
    assert "merge" not in said  # (`merge Dune.toml dune.toml` is refused: no advice that cannot run)
    fixed = run("check", "--fix").stdout
    assert "renamed" not in fixed and f"moved {books / 'Dune.toml'} to " in fixed
    assert sorted(p.name for p in books.iterdir()) == ["dune.toml"]
    assert [p.name.split(".")[0] for p in (journal_home / "trash").iterdir()] == ["dune"]
    assert _titles(run) == ["Dune"]
    assert "all good" in run("check").stderr


def test_a_copy_with_changes_of_its_own_is_named_with_a_way_in_and_a_merge_that_run(run, books):
    run("add", "Dune", "-a", "Frank Herbert", "--rating", "4")
    text = (books / "dune.toml").read_text()
    (books / "dune 2.toml").write_text(text.replace("rating = 4\n", 'rating = 4\ntags = ["desert"]\n'))
    said = run("check", code=1).stdout
    assert said.count("\n") == 1 and "the same book as dune.toml (Dune), with changes of its own" in said
    before = sorted(p.name for p in books.iterdir())
    assert "renamed" not in run("check", "--fix", code=1).stdout  # the reader's to join: never a second book
    assert sorted(p.name for p in books.iterdir()) == before
    command = said.split("`")[1] + " && " + said.split("`")[3].replace("readlog ", "readlog --no-input ")
    assert command.startswith("mv -i ") and "readlog --no-input merge dune.toml dune-herbert" in command
    moved, merged = command.split(" && ")
    subprocess.run(moved, shell=True, check=True)
    run(*merged.split()[1:])
    assert sorted(p.name for p in books.iterdir()) == ["dune.toml"]
    assert "desert" in (books / "dune.toml").read_text() and _titles(run) == ["Dune"]


def test_a_name_not_a_slug_of_a_book_not_in_books_is_still_renamed(run, books):
    run("add", "Dune", "-a", "Frank Herbert")
    (books / "Klara.toml").write_text('title = "Klara and the Sun"\nauthors = ["Kazuo Ishiguro"]\n')
    (books / "Dune Messiah.toml").write_text('title = "Dune Messiah"\nauthors = ["Frank Herbert"]\n')
    said = run("check", code=1).stdout
    assert "same" not in said and said.count("not a slug") == 2
    assert "renamed" in run("check", "--fix").stdout
    assert sorted(p.name for p in books.iterdir()) == [
        "dune-messiah.toml",
        "dune.toml",
        "klara-and-the-sun.toml",
    ]
