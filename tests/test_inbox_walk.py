"""Parked inbox lines: `inbox --drop N`, the walk on a terminal, and `sync` not failing on them."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

import test_sync_git as sync_git
from test_terminal import Terminal, env_for

git_env, remote, devices = sync_git.git_env, sync_git.remote, sync_git.devices


@pytest.fixture
def journal(run, journal_home: Path) -> Path:
    run("add", "Klara and the Sun", "-a", "Kazuo Ishiguro")
    run("add", "Dune", "-a", "Frank Herbert")
    return journal_home


def trash_texts(home: Path) -> list[str]:
    return [p.read_text() for p in sorted((home / "trash").glob("inbox.*.md"))]


def test_drop_takes_the_numbered_line_out_and_keeps_it_in_trash(run, journal):
    inbox = journal / "inbox.md"
    inbox.write_text("# phone\nrate: klaar | 4\nreflect: dune | Sand.\nrate: klaar | 4\n")
    run("inbox", "--dry-run", code=1)
    result = run("inbox", "--drop", "2")
    assert result.stdout == "" and "Dropped line 2 of inbox.md" in result.stderr
    # the same text later in the file stays; only one copy went
    assert inbox.read_text() == "# phone\nreflect: dune | Sand.\nrate: klaar | 4\n"
    assert any("rate: klaar | 4" in text for text in trash_texts(journal))
    assert "rate: klaar" in run("inbox", "--drop", "3", "--json").stdout
    assert inbox.read_text() == "# phone\nreflect: dune | Sand.\n"
    assert len(trash_texts(journal)) == 2
    assert run("restore").stdout.count("inbox") == 0  # restore lists books only


@pytest.mark.parametrize("number", ["1", "9", "0"])
def test_drop_refuses_a_line_that_is_not_a_note(run, journal, number):
    inbox = journal / "inbox.md"
    inbox.write_text("# phone\nrate: klaar | 4\n")
    result = run("inbox", "--drop", number, code=1)
    assert result.stderr.startswith("readlog: error:") and inbox.read_text() == "# phone\nrate: klaar | 4\n"
    assert not (journal / "trash").exists() or not trash_texts(journal)


def test_inbox_refusal_says_what_the_command_line_says(run, journal):
    """The same BOOK rule and the same words: one function decides for both."""
    cli = run("rate", "klara and the moon", "4", code=1).stderr
    (journal / "inbox.md").write_text("rate: klara and the moon | 4\n")
    inbox = run("inbox", code=1).stderr
    reason = cli.removeprefix("readlog: error: ").strip()
    assert "did you mean" in reason
    assert inbox.strip() == f"inbox.md:1: {reason}"


def test_sync_names_a_parked_line_and_exits_0_while_inbox_still_exits_1(devices):
    laptop, work = devices
    (laptop.home / "inbox.md").write_text("rate: klaar | 4\nreflect: klara and the sun | The sun.\n")
    result = laptop("sync")
    assert "readlog: inbox.md:1: 'klaar' is not the whole title of a book" in result.stderr
    assert result.stdout == ""
    laptop("inbox", code=1)  # the line waits: the inbox itself says so in its exit code
    laptop("inbox", "--drop", "1")
    assert laptop("inbox").stderr.startswith("nothing to file")
    laptop("sync")
    work("sync")
    assert [r.text for r in work.book().reflections] == ["The sun."]
    assert (work.home / "inbox.md").read_text() == ""


def test_sync_still_fails_when_the_sync_itself_needs_the_reader(devices):
    laptop, work = devices
    laptop.change(lambda b: setattr(b, "rating", 4.5))
    laptop("sync")
    work.change(lambda b: setattr(b, "rating", 3))
    (work.home / "inbox.md").write_text("rate: klaar | 4\n")
    result = work("sync", code=1)
    assert "1 thing needs you" in result.stderr  # the conflict, not the inbox line


# --- the walk on a terminal ------------------------------------------------------------------------
pytestmark_tmux = pytest.mark.skipif(
    __import__("shutil").which("tmux") is None, reason="tmux drives the terminal"
)


@pytest.fixture
def terminal():
    term = Terminal()
    yield term
    term.close()


@pytestmark_tmux
def test_the_walk_files_to_the_suggested_book_another_keeps_and_drops(terminal, journal):
    inbox = journal / "inbox.md"
    inbox.write_text(
        "rate: klaar | 4\n"  # a typo: suggested
        "reflect: the moon | A line for Dune.\n"  # nothing close: another book
        "quote: nothing | kept for later\n"  # kept
        "gibberish line\n"  # dropped
        "reflect: dune | Filed at once.\n"
    )
    terminal.start(["inbox"], env_for(journal))
    screen = terminal.wait_for("Choose")
    assert "inbox.md:1: rate: klaar | 4" in screen and "[f] file to “Klara and the Sun”" in screen
    terminal.type("f")
    terminal.wait_for("inbox.md:2: reflect: the moon")
    terminal.type("o")
    terminal.wait_for("Book")
    terminal.type("dune")
    terminal.wait_for("inbox.md:3: quote: nothing")
    terminal.type("k")
    screen = terminal.wait_for("inbox.md:4: gibberish line")
    assert "[f]" not in screen.split("inbox.md:4:")[1] and "[o]" not in screen.split("inbox.md:4:")[1]
    terminal.type("d")
    screen = terminal.wait_for("EXIT=")
    assert "EXIT=1" in screen and "1 note waits in inbox.md: readlog inbox" in screen
    assert inbox.read_text() == "quote: nothing | kept for later\n"
    klara = tomllib.loads((journal / "books" / "klara-and-the-sun.toml").read_text())
    dune = tomllib.loads((journal / "books" / "dune.toml").read_text())
    assert klara["rating"] == 4
    assert [r["text"] for r in dune["reflections"]] == ["Filed at once.", "A line for Dune."]
    assert any("gibberish line" in text for text in trash_texts(journal))


@pytestmark_tmux
def test_the_walk_ends_with_exit_0_when_no_line_is_kept(terminal, journal):
    inbox = journal / "inbox.md"
    inbox.write_text("rate: klaar | 4\n")
    terminal.start(["inbox"], env_for(journal))
    terminal.wait_for("Choose")
    terminal.type("o")
    terminal.wait_for("Book")
    terminal.type("no such thing at all")  # refused: asked again
    terminal.wait_for("no book in the journal is 'no such thing at all'")
    terminal.type("d")
    assert "EXIT=0" in terminal.wait_for("EXIT=")
    assert inbox.read_text() == ""


@pytestmark_tmux
def test_the_walk_offers_no_book_for_a_line_whose_book_was_found(terminal, journal):
    """Try-out 32a #17: `rate: the buried giant | 6` (the book found, the value wrong) was offered `[f] file
    to “…”`, which only printed the same error again: the book that left it is not offered; another book
    still is (`progress: dune | 50%` where Dune is read and Dune Messiah meant: review 32a #3)."""
    inbox = journal / "inbox.md"
    inbox.write_text("rate: dune | 6\n")
    terminal.start(["inbox"], env_for(journal))
    screen = terminal.wait_for("Choose")
    shown = screen.split("inbox.md:1:")[1]
    assert "[f]" not in shown and "[o] another book" in shown and "[k] keep it" in shown, screen
    terminal.type("k")
    assert "EXIT=1" in terminal.wait_for("EXIT=")
    assert inbox.read_text() == "rate: dune | 6\n"


@pytestmark_tmux
def test_the_walk_exits_1_naming_the_notes_a_phone_added_meanwhile(terminal, journal):
    """Try-out 33b #11: lines a phone's folder sync added during the walk were neither walked nor counted,
    and the walk ended with exit 0 while they waited; the line dropped was `line 2` on the screen and
    `line 3` in its trash file (where it had moved): what waits is the file as it is at the end, and the
    number is the one shown."""
    inbox = journal / "inbox.md"
    inbox.write_text("gibberish one\ngibberish two\n")
    terminal.start(["inbox"], env_for(journal))
    terminal.wait_for("inbox.md:1: gibberish one")
    terminal.type("d")
    terminal.wait_for("inbox.md:2: gibberish two")
    inbox.write_text("reflect: dune | From the phone.\n# a comment\nrate: klaar | 4\ngibberish two\n")
    terminal.type("d")
    screen = terminal.wait_for("EXIT=")
    assert "EXIT=1" in screen and "2 notes wait in inbox.md: readlog inbox" in screen, screen
    assert "Dropped line 2 (kept in" in screen
    assert inbox.read_text() == "reflect: dune | From the phone.\n# a comment\nrate: klaar | 4\n"
    assert sorted(text.splitlines()[0] for text in trash_texts(journal)) == [
        "# line 1 of inbox.md, dropped",
        "# line 2 of inbox.md, dropped",
    ]
