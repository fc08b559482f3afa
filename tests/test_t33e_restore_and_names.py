"""t32d's note: a JSON backup restored into an empty journal dropped the books sharing an ISBN (or alike) with
another book of it, "skipped (already here)": a backup's books are each a book. Review 32c #5: the import's
question answered with a book removed meanwhile said "(on a terminal the import asks)", as if nobody had
asked. t32l's note: a broken book file in a folder of books/ was named as its folder only."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import snapshot
from readlog.actions.transfer import import_file
from readlog.highlights.apply import Unsure
from readlog.journal import Journal
from test_t23c_merge import slugs

# --- t32d: a backup restore keeps every book ---------------------------------------------------------------
# The real-exports journal's pairs (rt2.sh): an ISBN-10 and the ISBN-13 it is, under a longer title; one ISBN
# under a title and its subtitle; the same title and ISBN, two files (a maybe the reader kept).
PAIRS = [
    ("war-and-peace-original-version", "War and Peace: Original Version", "9780060798871"),
    ("war-and-peace-tolstoy", "War and Peace", "0060798874"),
    ("introduction-to-graph-theory", "Introduction to Graph Theory", "9780486678702"),
    (
        "introduction-to-graph-theory-dover-books-on-mathematics-trudeau",
        "Introduction to Graph Theory (Dover Books on Mathematics)",
        "9780486678702",
    ),
    ("ethan-frome", "Ethan Frome", "9781799955672"),
    ("summer", "Summer", "9781799955672"),
    ("dune", "Dune", ""),
    ("dune-2", "Dune", ""),
]


def write_pairs(books: Path) -> None:
    books.mkdir(parents=True)
    for slug, title, isbn in PAIRS:
        line = f'isbn = "{isbn}"\n' if isbn else ""
        text = f'schema = 2\ntitle = {json.dumps(title)}\nauthors = ["Ann Author"]\nstatus = "read"\n{line}'
        (books / f"{slug}.toml").write_text(text, encoding="utf-8")


def test_a_json_backup_restores_every_book_whatever_they_share(run, books, tmp_path):
    write_pairs(books)
    backup = tmp_path / "backup.json"
    run("export", "--format", "json", "--output", str(backup))
    fresh = tmp_path / "fresh"
    err = run("--data-dir", str(fresh), "import", str(backup)).stderr
    assert f"{len(PAIRS)} added" in err and "skipped" not in err.replace("0 skipped", ""), err
    assert "may be the same book" not in err, err
    assert snapshot(fresh / "books") == snapshot(books)  # the same files, byte for byte
    # the same backup again: every book is there already (the journal's, not one of the import's own)
    again = run("--data-dir", str(fresh), "import", str(backup)).stderr
    assert f"{len(PAIRS)} skipped" in again and snapshot(fresh / "books") == snapshot(books), again


def test_a_book_of_the_backup_the_journal_has_is_still_found(run, books, tmp_path):
    """Near miss: only the restore's own books are never a row's; the journal's are, as before."""
    write_pairs(books)
    backup = tmp_path / "backup.json"
    run("export", "--format", "json", "--output", str(backup))
    fresh = tmp_path / "fresh"
    run(
        "--data-dir",
        str(fresh),
        "add",
        "Summer",
        "-a",
        "Ann Author",
        "--status",
        "read",
        "--isbn",
        "9781799955672",
    )
    err = run("--data-dir", str(fresh), "import", str(backup)).stderr
    assert f"{len(PAIRS) - 1} added" in err and "1 skipped" in err, err
    assert slugs(fresh / "books") == sorted(slug for slug, _, _ in PAIRS)


# --- review 32c #5: the chosen book is gone by the time the lock is held ------------------------------------
CLIP = "Make It Stick (Brown, Peter C.)\n- Your Highlight on Location 10-12 | Added on Monday, 1 January 2024 10:00:00\n\nA line worth keeping.\n==========\n"


@pytest.mark.parametrize("removed", [True, False])
def test_an_answer_naming_a_book_removed_meanwhile_says_so(run, books, journal_home, tmp_path, removed):
    run(
        "add", "Make It Stick: The Science of Successful Learning", "-a", "Peter C. Brown", "--status", "want"
    )
    run("add", "Make It Stick: The Workbook", "-a", "Peter C. Brown", "--status", "want")
    clip = tmp_path / "My Clippings.txt"
    clip.write_text(CLIP, encoding="utf-8")
    journal = Journal(journal_home)
    asked: list[Unsure] = []

    def choose(unsure: Unsure) -> str | None:  # (the reader types 2; meanwhile, another shell's `rm`)
        asked.append(unsure)
        if removed:
            journal.remove("make-it-stick-the-workbook")
        return "make-it-stick-the-workbook"

    result = import_file(journal, clip, choose=choose)
    said = [m.text for m in result.messages]
    assert len(asked) == 1
    if not removed:  # (near miss: the answer taken)
        assert slugs(books) == [
            "make-it-stick-the-science-of-successful-learning",
            "make-it-stick-the-workbook",
        ]
        assert not any("which you chose" in line for line in said), said
        return
    assert "make-it-stick" in slugs(books)  # kept as its own book, as Enter keeps it; never another book
    line = next(line for line in said if "which you chose" in line)
    assert (
        "Make It Stick: make-it-stick-the-workbook, which you chose, is no longer in the journal: kept as "
        in line
    )
    assert "on a terminal the import asks" not in " ".join(said)


# --- t32l's note: a broken book file in a folder is named as the file -------------------------------------
def test_a_broken_book_file_in_a_folder_is_named_as_the_file(run, books):
    run("add", "Dune", "-a", "Frank Herbert")
    old = books / "old"
    old.mkdir()
    (old / "kindred.toml").write_text('schema = 2\ntitle = "Kindred\nauthors = ["Octavia E. Butler"]\n')
    (old / "kin.toml").write_text(
        'schema = 2\ntitle = "Kin"\n<<<<<<< HEAD\nrating = 4\n=======\nrating = 5\n>>>>>>> b\n'
    )
    (old / "settings.toml").write_text('theme = "x"\n[params\n')  # (no book's: never named)
    result = run("check", code=1)
    out = result.stdout + result.stderr
    assert f"{old / 'kindred.toml'}:2: a book file in a folder, which does not parse (invalid TOML" in out, (
        out
    )
    assert f"{old / 'kin.toml'}:3: a book file in a folder, which does not parse (git conflict markers" in out
    assert "settings.toml" not in out
    assert f"{old}: not a book file" not in out  # (the folder holds book files: they are named)


def test_a_folder_of_no_book_is_still_named_as_the_folder(run, books):
    """Near miss: a broken tool's file alone is no book file: the folder is named, as before."""
    run("add", "Dune", "-a", "Frank Herbert")
    (books / "tool").mkdir()
    (books / "tool" / "settings.toml").write_text('theme = "x"\n[params\n')
    out = run("check", code=1).stdout
    assert f"{books / 'tool'}: not a book file" in out, out
