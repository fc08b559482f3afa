"""`readlog check` on names after session 23's review and try-out: an unseen `Upper.TOML` is neither a crossing
nor a duplicate to merge (readlog does not see it; `check --fix` renames it first), and the merge `check`
offers is one that runs."""

from __future__ import annotations


def test_an_unseen_upper_case_file_is_no_crossing(run, books):
    """Review 23a: `dune.toml` and an unseen `Dune.TOML`, both *Dune*: check called them crossed and said a
    write by `dune` is refused, though `rate dune` works (readlog does not see Dune.TOML)."""
    books.mkdir(parents=True, exist_ok=True)
    for name, author in (("dune.toml", "Frank Herbert"), ("Dune.TOML", "Someone Else")):
        (books / name).write_text(f'title = "Dune"\nauthors = ["{author}"]\nstatus = "read"\n')
    said = run("check", code=1).stdout + run("check", code=1).stderr
    assert "crossed" not in said and "is refused" not in said and "merge" not in said
    assert "Dune.TOML: a book file readlog cannot see" in said
    run("rate", "dune", "5")


def test_the_merge_check_offers_is_one_that_runs(run, books):
    """Try-out 23d: `dune.toml` and a hand-written `dune-hand.toml`, both *Dune*: check offered `readlog merge
    dune-hand dune`, which is refused (`dune` is a slug and the other's title). Mutation: `_addressed`
    returning the slug alone: the offered command is refused and this fails."""
    import re

    books.mkdir(parents=True, exist_ok=True)
    for name in ("dune.toml", "dune-hand.toml"):
        (books / name).write_text('title = "Dune"\nauthors = ["Frank Herbert"]\nstatus = "read"\n')
    said = run("check", code=1).stdout
    offered = re.search(r"`readlog (merge [^`]+)`", said)
    assert offered, said
    run(*offered[1].split())
    assert len(list(books.glob("*.toml"))) == 1
