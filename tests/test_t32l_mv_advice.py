"""Review 32b #1-#4, #8: the `mv` that the sync and `check` give to bring a book file into books/ never
loses, hides or misleads. It names each file by its real name (never a glob: `x.toml.bak` is no `*.toml`),
only files that parse as book files (never a `settings.toml`), to a name readlog reads (a slug `.toml`:
never `.kindred.toml`, `kin dred.toml`, `Dune.toml`), free when it is said (else the title's free slug),
and by `mv -i`, which never replaces a book made under that name since. Each command is run as the reader
would: in a real shell, with no terminal to answer `mv -i`; real git, two devices, a bare remote."""

from __future__ import annotations

import re
import subprocess

from test_sync_git import SLUG, devices, git_env, remote  # noqa: F401 (fixtures)
from test_t32h_sync_truth import two_with


def commands(said: str) -> list[str]:
    """Every command the output gives that `brings it in`, `brings it back` or `brings them back`."""
    return re.findall(r"`([^`]*)` brings (?:it|them) (?:in|back)", said)


def shell(command: str) -> subprocess.CompletedProcess[str]:
    """As the reader runs it: a real shell, no terminal (`mv -i` asked gets no answer: it does not replace)."""
    done = subprocess.run(["sh", "-c", command], stdin=subprocess.DEVNULL, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done


def emptied_line(err: str) -> str:
    [line] = [line for line in err.splitlines() if line.startswith("books/: no book left here")]
    return line


# --- #1: the books renamed in place (`x.toml.bak`) ------------------------------------------------------
def test_books_renamed_in_place_are_brought_back_by_the_emptied_line_and_named_by_check(devices):
    """Review 32b #1: `mv …/books/*.toml …/books/`: `cannot stat`, exit 1; check said `not a book file`."""
    laptop, work = devices
    two_with(laptop, work, "Kindred", "Dawn")
    for path in sorted((laptop.home / "books").glob("*.toml")):
        path.rename(path.with_name(path.name + ".bak"))
    laptop("sync")
    work("reflect", "kindred", "written on work")  # (carried through the move: the merge keeps it)
    err = work("sync", code=1).stderr
    line = emptied_line(err)
    [command] = commands(line)
    assert "*" not in command and command.count("mv -i ") == 3, line
    books = work.home / "books"
    for slug in ("dawn", "kindred", SLUG):
        assert f"mv -i {books / (slug + '.toml.bak')} {books / (slug + '.toml')}" in command
    checked = work("check", code=1)
    said = checked.stdout + checked.stderr
    assert "not a book file" not in said and "all good" not in said, said
    assert said.count("a book file readlog cannot see") == 3, said
    assert f"`mv -i {books / 'dawn.toml.bak'} {books / 'dawn.toml'}` brings it in" in said
    shell(command)
    listed = work("list").stdout
    assert all(title in listed for title in ("Kindred", "Dawn", "Klara and the Sun")), listed
    assert [r.text for r in work.book("kindred").reflections] == ["written on work"]
    assert "all good" in work("check").stderr


# --- #2: a settings.toml beside the books moved away -----------------------------------------------------
def test_a_toml_that_is_no_book_is_never_named_nor_moved_in(devices):
    """Review 32b #2: with books/ emptied into `it's archive/`, its `settings.toml` was called a book by
    check and moved in by the sync's glob: `title: missing`, and no push until every book parses."""
    laptop, work = devices
    two_with(laptop, work, "Kindred", "Dawn")
    archive = laptop.home / "it's archive"
    archive.mkdir()
    (archive / "settings.toml").write_text("[x]\ny = 1\n")
    laptop("sync")
    work("sync")
    laptop.git("mv", *(f"books/{p.name}" for p in (laptop.home / "books").glob("*.toml")), "it's archive/")
    laptop("sync")
    err = work("sync", code=1).stderr
    line = emptied_line(err)
    assert "settings" not in line and "*" not in line, line
    [command] = commands(line)
    checked = work("check", code=1)
    said = checked.stdout + checked.stderr
    assert "settings.toml" not in said and said.count("a book file outside books/") == 3, said
    shell(command)
    assert not (work.home / "books" / "settings.toml").exists()
    assert (work.home / "it's archive" / "settings.toml").exists()
    assert "all in sync" in work("sync").stderr  # (pushed: every book parses)
    assert "all good" in work("check").stderr
    assert len(work("list").stdout.strip().splitlines()) == 3


# --- #3: a hidden book file ------------------------------------------------------------------------------
def test_a_hidden_book_file_is_brought_in_under_a_name_readlog_reads_and_never_all_good(run, books):
    """Review 32b #3: `books/old/.kindred.toml` was to go to `books/.kindred.toml`, which readlog skips:
    the book vanished from list and show, and check said `all good`."""
    run("add", "Kindred", "-a", "Octavia Butler")
    run("add", "Dune", "-a", "Frank Herbert")
    (books / "old").mkdir()
    hidden = books / "old" / ".kindred.toml"
    (books / "kindred.toml").rename(hidden)
    said = run("check", code=1).stdout
    assert commands(said) == [f"mv -i {hidden} {books / 'kindred.toml'}"], said
    shell(commands(said)[0])
    (books / "old").rmdir()
    assert "Kindred" in run("show", "kindred").stdout
    assert "all good" in run("check").stderr
    # near miss: a hidden book file in books/ itself is no longer passed over in silence
    (books / "kindred.toml").rename(books / ".kindred.toml")
    said = run("check", code=1).stdout
    assert "all good" not in said, said
    assert f"{books / '.kindred.toml'}: a book file readlog cannot see" in said
    shell(commands(said)[0])
    assert "Kindred" in run("list").stdout and "all good" in run("check").stderr
    # near miss: a hidden file that is no book (a tool's) stays unsaid
    (books / ".settings.toml").write_text("[x]\ny = 1\n")
    assert "all good" in run("check").stderr


# --- #4: names that are no slug --------------------------------------------------------------------------
def test_a_book_file_whose_name_is_no_slug_is_brought_in_under_one(run, books):
    """Review 32b #4: `kin dred.toml` and `Dune.TOML` were brought in as `books/kin dred.toml` and
    `books/Dune.toml`: still skipped until `check --fix`."""
    run("add", "Emma", "-a", "Jane Austen")
    run("add", "Kindred", "-a", "Octavia Butler")
    run("add", "Dune", "-a", "Frank Herbert")
    deep = books / "old stuff" / "it's"
    deep.mkdir(parents=True)
    (books / "old").mkdir()
    (books / "kindred.toml").rename(deep / "kin dred.toml")
    (books / "dune.toml").rename(books / "old" / "Dune.TOML")
    said = run("check", code=1).stdout
    found = commands(said)
    assert len(found) == 2, said
    assert {command.rpartition(" ")[2] for command in found} == {
        str(books / "kindred.toml"),
        str(books / "dune.toml"),
    }, found
    for command in found:
        shell(command)
    for folder in (deep, deep.parent, books / "old"):
        folder.rmdir()  # (empty now)
    assert "all good" in run("check").stderr
    listed = run("list").stdout
    assert "Kindred" in listed and "Dune" in listed


# --- #8: the mv never replaces a book made since ---------------------------------------------------------
def test_the_notes_mv_never_replaces_a_book_re_added_since(devices):
    """Review 32b #8: the note's `mv SRC books/kindred.toml`, run after the reader re-added the book that
    had vanished, replaced it: the review written since, never committed, was lost."""
    laptop, work = devices
    two_with(laptop, work, "Kindred")
    (laptop.home / "archive").mkdir()
    laptop.git("mv", "books/kindred.toml", "archive/kindred.toml")
    laptop("sync")
    err = work("sync").stderr
    [command] = commands(err)
    work("add", "Kindred", "-a", "Octavia Butler", "--review", "My new long review written today")
    shell(command)  # as given, after the re-add
    assert "My new long review written today" in (work.home / "books" / "kindred.toml").read_text()
    assert command.startswith("mv -i "), command
    assert (work.home / "archive" / "kindred.toml").exists()  # (nothing lost either side)
    # given now, with the name taken: another free name, which brings it in beside the new one
    checked = work("check")
    assert "archive" not in checked.stdout  # (books/ holds books: check does not look outside it)
    assert "all good" in checked.stderr


def test_check_names_a_free_slug_when_the_name_is_taken_and_mv_i_keeps_both(run, books):
    """Review 32b #8 in check: the suggested name is free when said; made since, `mv -i` does not replace
    it."""
    run("add", "Kindred", "-a", "Octavia Butler", "--review", "the one in the folder")
    (books / "old").mkdir()
    (books / "kindred.toml").rename(books / "old" / "kindred.toml")
    said = run("check", code=1).stdout
    [command] = commands(said)
    assert command.endswith(f" {books / 'kindred.toml'}")
    run("add", "Kindred", "-a", "Someone Else", "--review", "written since")
    shell(command)
    assert "written since" in (books / "kindred.toml").read_text()
    assert "the one in the folder" in (books / "old" / "kindred.toml").read_text()
    said = run("check", code=1).stdout
    [command] = commands(said)
    assert command.endswith(f" {books / 'kindred-butler.toml'}"), said  # (the title's free slug)
    shell(command)
    assert "the one in the folder" in (books / "kindred-butler.toml").read_text()
    assert "written since" in (books / "kindred.toml").read_text()


def test_a_copy_with_the_same_bytes_as_the_book_is_called_a_copy_not_moved_in_beside_it(run, books):
    """Near miss of the free-name rule: a `kindred.toml.bak` (or `old/Kindred Copy.TOML`) byte for byte the
    `kindred.toml` readlog reads is no book unseen: moved in under a free name it would be a duplicate."""
    run("add", "Kindred", "-a", "Octavia Butler")
    (books / "old").mkdir()
    data = (books / "kindred.toml").read_bytes()
    (books / "kindred.toml.bak").write_bytes(data)
    (books / "old" / "Kindred Copy.TOML").write_bytes(data)
    said = run("check", code=1).stdout
    assert not commands(said), said
    assert said.count("the same bytes as kindred.toml, which readlog reads: a copy (safe to remove)") == 2
    (books / "kindred.toml.bak").write_bytes(data + b"rating = 4\n")  # (no copy now: a book, brought in)
    [command] = commands(run("check", code=1).stdout)
    assert command.endswith(f" {books / 'kindred-butler.toml'}"), command
