"""Sync's commit messages and `readlog log` tell true stories about hand edits (try-out 23b, finding 7): a
book broken by hand and mended is one book, unreadable for a while (never removed and added again); two
files whose contents were swapped are two books trading files (not one book's rating and review edits); a
`readlog merge` into a file made by hand before any sync is a merge (not a rename); a new file that is no
book yet is added, not edited; one broken file is one thing that needs the reader. Real git and a bare
remote in a temp dir."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from test_sync_git import SLUG, Device, devices, git_env, remote  # noqa: F401 - fixtures

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def last_message(device: Device) -> str:
    return subprocess.run(
        ["git", "-C", str(device.home), "log", "-1", "--format=%B"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def log(device: Device, slug: str) -> list[str]:
    """`readlog log SLUG`: each entry's words, without the date."""
    return [line[11:] for line in device("log", slug).stdout.splitlines() if line.strip()]


def test_a_book_broken_by_hand_then_mended_is_unreadable_for_a_while_never_removed(devices):
    laptop, _ = devices
    path = laptop.home / "books" / f"{SLUG}.toml"
    good = path.read_text(encoding="utf-8")
    path.write_text(good.replace("rating = 4", "rating = 4x"), encoding="utf-8")
    out = laptop("sync", code=1)
    assert last_message(laptop).startswith('edit "Klara and the Sun", unreadable now (line ')
    assert "1 thing needs you" in out.stderr and "not pushed" in out.stderr  # the book, not the push too
    path.write_text(good, encoding="utf-8")
    laptop("sync")
    assert last_message(laptop).splitlines()[0] == 'mend "Klara and the Sun"'
    told = log(laptop, SLUG)
    assert told[-2].startswith("unreadable now (line ") and told[-1] == "mended"
    assert not any("removed" in line for line in told)
    assert told[0].startswith("in the journal when syncing began (")  # (sync init's first commit)
    assert not any(line.startswith("added") for line in told)


def test_a_book_mended_with_a_new_rating_says_what_changed_since_it_last_parsed(devices):
    laptop, _ = devices
    path = laptop.home / "books" / f"{SLUG}.toml"
    good = path.read_text(encoding="utf-8")
    path.write_text(good.replace("rating = 4", "rating = = 4"), encoding="utf-8")
    laptop("sync", code=1)
    path.write_text(good.replace("rating = 4", "rating = 4.5"), encoding="utf-8")
    laptop("sync")
    assert last_message(laptop).splitlines()[0] == 'mend "Klara and the Sun"; rate "Klara and the Sun" 4.5'
    assert log(laptop, SLUG)[-1] == "mended, rated 4.5"


def test_two_files_whose_contents_were_swapped_are_two_books_trading_files(devices):
    laptop, _ = devices
    laptop("add", "Kindred", "-a", "Octavia E. Butler", "-r", "4")
    laptop("add", "Beloved", "-a", "Toni Morrison", "-r", "5")
    laptop("sync")
    books = laptop.home / "books"
    kindred, beloved = (books / "kindred.toml").read_bytes(), (books / "beloved.toml").read_bytes()
    (books / "kindred.toml").write_bytes(beloved)
    (books / "beloved.toml").write_bytes(kindred.replace(b"rating = 4", b"rating = 3"))
    laptop("sync")
    message = last_message(laptop)
    assert message.startswith('"Beloved" and "Kindred" swap files (beloved ↔ kindred); rate "Kindred" 3')
    assert 'rate "Beloved"' not in message and "review" not in message
    told = log(laptop, "kindred")
    assert told[-1] == "“Kindred” left this file: it holds “Beloved” now"  # not Beloved's story as Kindred's
    assert log(laptop, "beloved")[-1] == "“Beloved” left this file: it holds “Kindred” now"


def test_two_books_of_one_author_swapped_are_a_swap_not_ratings_nobody_gave(devices):
    """Review 23b: *Dune* and *Children of Dune* (one author) swapped by hand were committed as `rate "Dune"
    5; rate "Children of Dune" 3`. Mutation: `_swapped` back to describe.another_book (authors not one
    person): this fails."""
    laptop, _ = devices
    laptop("add", "Dune", "-a", "Frank Herbert", "-r", "5")
    laptop("add", "Children of Dune", "-a", "Frank Herbert", "-r", "3")
    laptop("sync")
    books = laptop.home / "books"
    dune, children = (books / "dune.toml").read_bytes(), (books / "children-of-dune.toml").read_bytes()
    (books / "dune.toml").write_bytes(children)
    (books / "children-of-dune.toml").write_bytes(dune)
    laptop("sync")
    message = last_message(laptop)
    assert message.startswith('"Children of Dune" and "Dune" swap files') or message.startswith(
        '"Dune" and "Children of Dune" swap files'
    ), message
    assert "rate " not in message


def test_a_book_merged_into_a_copy_made_before_any_sync_is_a_merge_not_a_rename(devices):
    laptop, _ = devices
    laptop("add", "Dune", "-a", "Frank Herbert", "--isbn", "9780441013593")
    laptop("sync")
    copy = laptop.home / "books" / "dune-a-novel.toml"  # the reader's own copy, written by hand
    copy.write_text(
        'schema = 2\ntitle = "Dune: A Novel"\nauthors = ["Frank Herbert"]\nstatus = "read"\n'
        "\n[[reads]]\nstarted = 2024-01-01\nfinished = 2024-02-01\n",
        encoding="utf-8",
    )
    laptop("merge", "dune-a-novel", "dune")
    laptop("sync")
    subject = last_message(laptop).splitlines()[0]
    assert subject == 'add "Dune: A Novel"; merge "Dune" into "Dune: A Novel"'
    assert log(laptop, "dune")[-1] == "merged into dune-a-novel"
    assert log(laptop, "dune-a-novel")[-1] == "merged: dune went into it"


def test_a_file_moved_by_hand_is_still_a_rename(devices):
    """The near miss of the merge above: a `mv` puts nothing in trash/, so it stays a rename."""
    laptop, _ = devices
    books = laptop.home / "books"
    (books / f"{SLUG}.toml").rename(books / "klara.toml")
    for title in ("Dune", "Kindred", "Beloved"):  # (a subject too long for every change: `; and N more`)
        laptop("add", title, "-a", "Someone Else")
    laptop("sync")
    message = last_message(laptop)
    assert '- rename "Klara and the Sun" (klara-and-the-sun → klara)' in message and "; and " in message
    assert "merge" not in message
    assert log(laptop, "klara")[-1] == "renamed: klara-and-the-sun → klara"


def test_a_new_empty_file_is_added_as_no_book_yet_and_counted_once(devices):
    laptop, _ = devices
    (laptop.home / "books" / "empty.toml").write_text("", encoding="utf-8")
    out = laptop("sync", code=1)
    subject = last_message(laptop).splitlines()[0]
    assert subject.startswith("add books/empty.toml, not a book yet (the file is empty")
    assert "1 thing needs you" in out.stderr
    (laptop.home / "books" / "empty.toml").write_text('title = "Empty"\n', encoding="utf-8")
    laptop("sync")
    assert last_message(laptop).splitlines()[0] == 'add "Empty"'  # it never was a book: no mending


def test_a_merge_into_a_hand_made_copy_after_the_merged_book_changed_is_a_merge(devices):
    """Review 23b: rated since the last sync, then merged into a copy made by hand: committed as `rename
    "Dune" (dune -> dune-a-novel); rate "Dune" 2` (trash/ held B as rated, not the commit's old text).
    Mutation: `_in_trash` back to the exact text only: this fails."""
    laptop, _ = devices
    laptop("add", "Dune", "-a", "Frank Herbert", "--isbn", "9780441013593")
    laptop("sync")
    laptop("rate", "dune.toml", "2")
    copy = laptop.home / "books" / "dune-a-novel.toml"
    copy.write_text(
        'schema = 2\ntitle = "Dune: A Novel"\nauthors = ["Frank Herbert"]\nstatus = "read"\n',
        encoding="utf-8",
    )
    laptop("merge", "dune-a-novel", "dune.toml")
    laptop("sync")
    subject = last_message(laptop).splitlines()[0]
    assert 'merge "Dune" into "Dune: A Novel"' in subject and "rename" not in subject, subject


def test_log_finds_a_merge_told_only_in_the_body(devices):
    """Review 23b: a merge committed with three more changes is in the message's body only (the subject
    says `...; and 2 more`), and `log` called it a rename. Mutation: the log read with `%s` again: fails."""
    laptop, _ = devices
    laptop("add", "Dune", "-a", "Frank Herbert", "--isbn", "9780441013593")
    for title in ("Alpha", "Bravo", "Charlie"):
        laptop("add", title, "-a", "Someone")
    laptop("sync")
    for slug in ("alpha", "bravo", "charlie"):
        laptop("rate", slug, "3")
    copy = laptop.home / "books" / "dune-a-novel.toml"
    copy.write_text(
        'schema = 2\ntitle = "Dune: A Novel"\nauthors = ["Frank Herbert"]\nstatus = "read"\n',
        encoding="utf-8",
    )
    laptop("merge", "dune-a-novel", "dune.toml")
    laptop("sync")
    message = last_message(laptop)
    assert 'merge "Dune" into "Dune: A Novel"' in message and "merge" not in message.splitlines()[0]
    assert log(laptop, "dune-a-novel")[-1].startswith("merged: dune went into it"), log(
        laptop, "dune-a-novel"
    )
