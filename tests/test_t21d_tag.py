"""`readlog tag BOOK TAG... [--remove]` (session 21's try-out: "No such command 'tag'", and no way to tag a
book already in the journal but `edit`): BOOK found as every write finds it, tags in the journal's
spelling, one line on stderr saying what changed, exit 1 and nothing written for a bad BOOK."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from conftest import REPO, snapshot


def tags_of(books, slug: str) -> list[str]:
    import tomllib

    return tomllib.loads((books / f"{slug}.toml").read_text()).get("tags", [])


def test_tags_take_the_journals_spelling_and_the_line_says_what_changed(run, books):
    """Mutation: `tag_book` without `canonical_tags` (the tags as typed): 'sci fi' is written as typed
    beside the journal's Sci-Fi, and this fails."""
    run("add", "Dune", "-a", "Frank Herbert", "--tag", "Sci-Fi")
    run("add", "Dune Messiah", "-a", "Frank Herbert")
    done = run("tag", "dune messiah", "sci fi", "classics, space")
    assert tags_of(books, "dune-messiah") == ["Sci-Fi", "classics", "space"]
    assert done.stderr == "Tagged “Dune Messiah”: Sci-Fi, classics, space\n" and done.stdout == ""


def test_a_tag_the_book_has_in_any_spelling_is_not_added_again(run, books):
    """Mutation: every tag given appended (no check against the book's own): Sci-Fi twice, and this fails."""
    run("add", "Dune", "-a", "Frank Herbert", "--tag", "Sci-Fi")
    done = run("tag", "dune", "SCI_FI", "classics")
    assert tags_of(books, "dune") == ["Sci-Fi", "classics"]
    assert done.stderr == "Tagged “Dune”: classics (it had Sci-Fi already)\n"
    path = books / "dune.toml"
    before = path.read_bytes(), os.stat(path).st_mtime_ns
    done = run("tag", "dune", "classics")
    assert done.stderr == "“Dune” has these tags already: classics\n"
    assert (path.read_bytes(), os.stat(path).st_mtime_ns) == before  # nothing changed: nothing written


def test_remove_takes_a_tag_off_whatever_its_spelling(run, books):
    """Mutation: --remove matching the tag as typed (`tag not in given`): 'sci fi' does not take Sci-Fi
    off, and this fails."""
    run("add", "Dune", "-a", "Frank Herbert", "--tag", "Sci-Fi", "--tag", "classics")
    done = run("tag", "dune", "sci fi", "desert", "--remove")
    assert tags_of(books, "dune") == ["classics"]
    assert done.stderr == "Untagged “Dune”: Sci-Fi (it did not have desert)\n"
    assert run("tag", "dune", "desert", "--remove").stderr == "“Dune” had none of these tags: desert\n"


def test_a_bad_book_is_refused_with_exit_1_and_nothing_changes(run, books):
    """A typo is not a sure match: a write refuses it (as `rate` does). Mutation: `tag_book` finding BOOK
    with fuzzy=True (as `show` does): the typo lands on Dune Messiah, exit 0, and this fails."""
    run("add", "Dune Messiah", "-a", "Frank Herbert")
    before = snapshot(books)
    done = run("tag", "dune mesiah", "classics", code=1)
    assert done.stderr.startswith("readlog: error: ") and done.stderr.count("\n") == 1
    done = run("tag", "nothing like it", "classics", code=1)
    assert done.stderr.startswith("readlog: error: ")
    assert snapshot(books) == before


def test_two_books_of_one_title_piped_are_refused_naming_both(run, books):
    run("add", "The Stranger", "-a", "Albert Camus")
    run("add", "The Stranger", "-a", "Harlan Coben", "--new")
    before = snapshot(books)
    done = run("tag", "the stranger", "noir", code=1)
    assert "Albert Camus" in done.stderr and "Harlan Coben" in done.stderr
    assert snapshot(books) == before
    run("tag", "the stranger by harlan coben", "noir")
    assert sorted(str(tags_of(books, p.stem)) for p in books.glob("the-stranger*.toml")) == ["['noir']", "[]"]


def test_json_prints_the_book_and_a_tag_without_letters_is_a_usage_error(run, books):
    run("add", "Dune", "-a", "Frank Herbert")
    book = json.loads(run("tag", "dune", "classics", "--json").stdout)
    assert book["tags"] == ["classics"]
    assert run("tag", "dune", " , ", code=2).stderr == "readlog: error: TAG: give a tag with letters in it\n"


def test_tag_is_listed_and_completes_book(run, journal_home):
    """`readlog --help` lists it; shell completion offers slugs for its BOOK as for every verb's."""
    assert "  tag " in run("--help").stdout
    run("add", "Dune Messiah", "-a", "Frank Herbert")
    run("list")  # builds the index completion reads
    env = {
        **os.environ,
        "READLOG_HOME": str(journal_home),
        "_READLOG_COMPLETE": "complete_bash",
        "COMP_WORDS": "readlog tag dune-m",
        "COMP_CWORD": "2",
    }
    done = subprocess.run(
        [sys.executable, "-m", "readlog"], env=env, capture_output=True, text=True, timeout=60, check=False,
        cwd=REPO,
    )  # fmt: skip
    assert done.stdout.split() == ["dune-messiah"], done.stderr
