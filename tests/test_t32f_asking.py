"""Try-out 32a #3 and #5: a highlights import asks on a terminal where readlog is unsure which book, as `add`
does, and every question asks again after a typo. Through a real pseudo-terminal, with the real Kindle files
of /work/shared/fixtures/highlights (their SOURCES.md)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from conftest import snapshot
from test_query_policy import _on_terminal

KINDLE = Path(os.environ.get("READLOG_TEST_HIGHLIGHTS", "/work/shared/fixtures/highlights")) / "kindle"
SMART = KINDLE / "en_highlights_notes_bookmark_growing-dupes_bom_crlf.txt"  # How to Take Smart Notes: One ...
STICK = KINDLE / "en-ui_fr-books_cut200_crlf_boms_exact-dupes.txt"  # Make It Stick (Peter C. Brown)
LONG = "how-to-take-smart-notes-one-simple-technique-to-boost-writing-learning-and"


@pytest.fixture
def smart(run, books, tmp_path) -> Path:
    if not SMART.is_file():
        pytest.skip("the highlights fixtures are not here")
    run("add", "How to Take Smart Notes", "-a", "Sönke Ahrens", "--finished", "2024-01-01")
    copy = tmp_path / "My Clippings.txt"
    shutil.copy(SMART, copy)
    return copy


def terminal(args: list[str], answers: list[tuple[bytes, bytes]], cwd: Path) -> tuple[int, str]:
    """_on_terminal, with what it showed as words joined by single spaces (however the lines wrapped)."""
    code, shown = _on_terminal(args, answers, cwd)
    return code, " ".join(shown.split())


def quotes(path: Path) -> int:
    return path.read_text(encoding="utf-8").count("[[quotes]]")


# --- #3: the import asks ------------------------------------------------------------------------------------
def test_a_terminal_is_asked_and_yes_puts_the_highlights_in_the_journals_book(smart, books, tmp_path):
    code, shown = terminal(["import", str(smart)], [(b"[y/N]", b"y")], tmp_path)
    assert code == 0, shown
    assert "may be a book the journal has" in shown and "by Sönke Ahrens" in shown
    assert "Add its highlights to “How to Take Smart Notes” by Sönke Ahrens? [y/N]" in shown
    assert not (books / f"{LONG}.toml").exists()
    assert quotes(books / "how-to-take-smart-notes.toml") == 41
    # asked once: the same file again finds them where they went, and asks nothing
    before = snapshot(books)
    code, shown = terminal(["import", str(smart)], [], tmp_path)
    assert code == 0 and "[y/N]" not in shown and snapshot(books) == before


@pytest.mark.parametrize("answer", [b"", b"n"])
def test_enter_or_n_keeps_it_a_book_of_its_own_and_is_not_asked_again(smart, books, tmp_path, answer):
    code, shown = terminal(["import", str(smart)], [(b"[y/N]", answer)], tmp_path)
    assert code == 0, shown
    assert quotes(books / f"{LONG}.toml") == 41 and quotes(books / "how-to-take-smart-notes.toml") == 0
    assert "kept as its own book" not in shown  # (the reader said so: no warning about it)
    before = snapshot(books)
    code, shown = terminal(["import", str(smart)], [], tmp_path)
    assert code == 0 and "[y/N]" not in shown and snapshot(books) == before


def test_a_typo_at_the_question_is_said_and_asked_again(smart, books, tmp_path):
    code, shown = terminal(["import", str(smart)], [(b"[y/N]", b"yse"), (b"is not y or n", b"y")], tmp_path)
    assert code == 0, shown
    assert "readlog: 'yse' is not y or n (Enter for n)" in shown and "Invalid value" not in shown
    assert shown.count("Add its highlights to") == 2
    assert quotes(books / "how-to-take-smart-notes.toml") == 41


def test_end_of_input_at_the_question_writes_nothing(smart, books, tmp_path):
    before = snapshot(books)
    code, shown = terminal(["import", str(smart)], [(b"[y/N]", b"\x04")], tmp_path)
    assert code == 1 and "no answer" in shown
    assert snapshot(books) == before


def test_a_script_keeps_it_apart_naming_the_book_and_the_merge(run, smart, books):
    result = run("import", str(smart))  # (CliRunner: no terminal)
    assert quotes(books / f"{LONG}.toml") == 41
    line = next(line for line in result.stderr.splitlines() if "may be the same book" in line)
    assert "how-to-take-smart-notes (How to Take Smart Notes by Sönke Ahrens)" in line
    assert f"`readlog merge how-to-take-smart-notes {LONG}` joins them" in line
    run("merge", "how-to-take-smart-notes", LONG)  # the command it names works
    assert quotes(books / "how-to-take-smart-notes.toml") == 41


def test_no_input_and_dry_run_are_never_asked(smart, books, tmp_path):
    before = snapshot(books)
    code, shown = terminal(["import", str(smart), "--dry-run"], [], tmp_path)
    assert code == 0 and "[y/N]" not in shown and snapshot(books) == before
    code, shown = terminal(["--no-input", "import", str(smart)], [], tmp_path)
    assert code == 0 and "[y/N]" not in shown and "may be the same book" in shown
    assert (books / f"{LONG}.toml").exists()


def test_the_shorter_title_on_the_device_is_asked_too(run, books, tmp_path):
    if not STICK.is_file():
        pytest.skip("the highlights fixtures are not here")
    run(
        "add", "Make It Stick: The Science of Successful Learning", "-a", "Peter C. Brown", "--status", "want"
    )
    code, shown = terminal(["import", str(STICK)], [(b"[y/N]", b"y")], tmp_path)
    assert code == 0, shown
    assert "“Make It Stick” by Peter C. Brown" in shown and "note:" not in shown
    assert not (books / "make-it-stick.toml").exists()
    assert quotes(books / "make-it-stick-the-science-of-successful-learning.toml") > 0


def _clippings(path: Path, title_line: str) -> Path:
    text = (
        f"{title_line}\n- Your Highlight on Location 10-12 | Added on Monday, 1 January 2024 10:00:00\n\n"
        "A line worth keeping.\n==========\n"
    )
    path.write_text(text, encoding="utf-8")
    return path


def test_a_volume_is_named_in_the_question_and_a_part_is_not_asked(run, books, tmp_path):
    """Near misses: `Book Three` may be the series' book (identity: a maybe), so it is asked, the question
    saying which volume each names; `Part 2` is another book (identity: no): never asked, its own book."""
    run("add", "Make It Stick", "-a", "Peter C. Brown", "--status", "want")
    clip = _clippings(tmp_path / "a.txt", "Make It Stick: Book Three (Brown, Peter C.)")
    code, shown = terminal(["import", str(clip)], [(b"[y/N]", b"")], tmp_path)
    assert code == 0, shown
    assert "note: its title names volume 3, make-it-stick's no volume" in shown
    assert quotes(books / "make-it-stick.toml") == 0
    clip = _clippings(tmp_path / "b.txt", "Make It Stick: Part 2 (Brown, Peter C.)")
    code, shown = terminal(["import", str(clip)], [], tmp_path)
    assert code == 0 and "[y/N]" not in shown and quotes(books / "make-it-stick.toml") == 0


def test_another_author_is_not_asked(run, books, tmp_path):
    run("add", "Make It Stick: The Science of Successful Learning", "-a", "Someone Else", "--status", "want")
    clip = _clippings(tmp_path / "a.txt", "Make It Stick (Brown, Peter C.)")
    code, shown = terminal(["import", str(clip)], [], tmp_path)
    assert code == 0 and "[y/N]" not in shown and (books / "make-it-stick.toml").exists()


def test_two_books_it_may_be_are_a_numbered_choice_and_a_wrong_number_is_asked_again(run, books, tmp_path):
    run(
        "add", "Make It Stick: The Science of Successful Learning", "-a", "Peter C. Brown", "--status", "want"
    )
    run("add", "Make It Stick: A Workbook", "-a", "Peter C. Brown", "--status", "want")
    clip = _clippings(tmp_path / "a.txt", "Make It Stick (Brown, Peter C.)")
    code, shown = terminal(
        ["import", str(clip)], [(b"Enter for its own book]", b"3"), (b"is not one of", b"1")], tmp_path
    )
    assert code == 0, shown
    assert "may be one of these books the journal has" in shown
    assert "readlog: '3' is not one of the choices: 1-2, or Enter for its own book" in shown
    assert quotes(books / "make-it-stick-a-workbook.toml") == 1
    assert quotes(books / "make-it-stick-the-science-of-successful-learning.toml") == 0


def test_create_none_asks_and_enter_skips(run, smart, books, tmp_path):
    code, shown = terminal(["import", str(smart), "--create", "none"], [(b"[y/N]", b"")], tmp_path)
    assert code == 0, shown
    assert "n or Enter: skipped (--create none)" in shown
    assert not (books / f"{LONG}.toml").exists() and quotes(books / "how-to-take-smart-notes.toml") == 0


# --- #5: every question asks again after a typo ---------------------------------------------------------------
def test_a_wrong_number_at_a_not_sure_book_is_asked_again(run, books, tmp_path):
    run("add", "How to Take Smart Notes", "-a", "Sönke Ahrens", "--status", "reading")
    run(
        "add",
        "How to Take Smart Notes. One Simple Technique",
        "-a",
        "Sönke Ahrens",
        "--new",
        "--status",
        "reading",
    )
    code, shown = terminal(
        ["quote", "smart notes", "Prompted line"],
        [(b"Enter for none]", b"3"), (b"is not one of", b"2")],
        tmp_path,
    )
    assert code == 0, shown
    assert "readlog: '3' is not one of the choices: 1-2, or Enter for none" in shown
    assert "nothing was written" not in shown
    texts = [(p.name, p.read_text(encoding="utf-8")) for p in books.glob("*.toml")]
    assert sum("Prompted line" in text for _, text in texts) == 1


def test_a_typo_at_finished_when_is_asked_again_and_words_work(run, books, tmp_path):
    code, shown = terminal(
        ["add", "A Pale View of Hills", "--author", "Kazuo Ishiguro"],
        [(b"don't know):", b"yesterdya"), (b"is not a date", b"yesterday")],
        tmp_path,
    )
    assert code == 0, shown
    flat = shown
    assert "or words: yesterday, last week" in flat  # the question says words work
    assert "readlog: 'yesterdya' is not a date: use YYYY-MM-DD, YYYY-MM or YYYY, or words" in flat
    assert "--finished" not in flat  # (an option the reader never typed)
    assert "readlog: finished yesterday: " in flat
    from datetime import date, timedelta

    text = (books / "a-pale-view-of-hills.toml").read_text(encoding="utf-8")
    assert f"finished = {(date.today() - timedelta(days=1)).isoformat()}" in text


def test_a_date_that_is_no_day_is_asked_again_and_ctrl_d_adds_nothing(run, books, tmp_path):
    code, shown = terminal(
        ["add", "A Pale View of Hills", "--author", "Kazuo Ishiguro"],
        [(b"don't know):", b"2025-02-30"), (b"is not a date", b"\x04")],
        tmp_path,
    )
    assert code == 1 and "'2025-02-30' is not a date" in shown
    assert not books.exists() or not list(books.glob("*.toml"))


def test_a_wrong_number_at_open_librarys_choice_is_asked_again(books, tmp_path, monkeypatch):
    """`add --lookup` of a title several books have: `Which one? (0 for none)` answered 7 of 3 took none of
    them, silently; it is said, and asked again."""
    import lookup_server as ol

    for _ in ol.serving(monkeypatch):
        code, shown = terminal(
            ["add", "The Stranger", "--lookup", "--status", "want"],
            [(b"Which one? (0 for none)", b"7"), (b"is not one of", b"1")],
            tmp_path,
        )
        assert code == 0, shown
        assert "readlog: '7' is not one of the choices: 1-3, or 0 for none" in shown
        assert "Albert Camus" in (books / "the-stranger.toml").read_text(encoding="utf-8")
