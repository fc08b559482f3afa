"""Session 25, t25f: the daily loop's and the messages' rough edges left open in session 24 (its closing note's
"Noticed, left alone"). Each test fails on the code before it."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

import readlog.cli.lifecycle  # noqa: F401 - imported before `terminal` patches `interactive` it imports
from conftest import snapshot, write_editor
from test_t24d_which_book import terminal, write

__all__ = ["terminal"]  # (a fixture, used by name)


def _dunes(books: Path) -> None:
    write(books, "dune", "Dune", ["Frank Herbert"], "read")
    write(books, "dune-messiah", "Dune Messiah", ["Frank Herbert"], "reading")
    write(books, "dune-chapterhouse", "Chapterhouse: Dune", ["Frank Herbert"], "read")


# --- 1: `progress` on a terminal asks only about books it can take ----------------------------------------


def test_progress_asks_only_about_the_books_with_an_open_reading(run, books, terminal):
    """It listed the three, then refused Dune (read) once picked: now the one book being read is asked."""
    _dunes(books)
    done = run("progress", "dun", "50", input="y\n")
    assert "Log progress in “Dune Messiah” by Frank Herbert? [y/N]" in done.stderr
    assert "Chapterhouse" not in done.stderr
    assert "page = 50" in (books / "dune-messiah.toml").read_text()


def test_progress_says_why_when_none_of_the_books_can_take_it(run, books, terminal, unchanged):
    _dunes(books)
    write(books, "dune-messiah", "Dune Messiah", ["Frank Herbert"], "want")
    before = snapshot(books)
    refused = run("progress", "dun", "50", input="1\n", code=1)
    assert "which?" not in refused.stderr and "[y/N]" not in refused.stderr
    assert refused.stderr.strip().splitlines() == [
        "readlog: error: cannot log progress on 'dun': none of the books it may name has an open reading "
        "(dune (Dune by Frank Herbert) is read; dune-chapterhouse (Chapterhouse: Dune by Frank Herbert) is "
        "read; dune-messiah (Dune Messiah by Frank Herbert) is want); `readlog start` one first"
    ]
    assert snapshot(books) == before


# --- 2: one rule for digits -------------------------------------------------------------------------------


def test_a_listening_time_in_arabic_indic_digits_is_taken_as_a_page_is(run, books):
    write(books, "dune", "Dune", ["Frank Herbert"], "reading", 'duration = "10:12"\n')
    done = run("progress", "dune", "١:٣٠")
    assert "at 1:30" in done.stderr
    assert tomllib.loads((books / "dune.toml").read_text())["reads"][-1]["progress"][-1]["minutes"] == 90
    refused = run("progress", "dune", "١:٧٥", code=2)  # 75 minutes is no H:MM, in any digits
    assert "is not a length of time" in refused.stderr


# --- 3: one draft per book for `edit` --------------------------------------------------------------------

BREAKS = "import sys\nopen(sys.argv[1], 'w').write('title = [\\n')\n"


def test_each_failed_edit_replaces_the_draft_of_the_last_one(run, books, journal_home, tmp_path):
    write(books, "dune", "Dune", ["Frank Herbert"])
    editor = write_editor(tmp_path, BREAKS, "breaks.py")
    before = (books / "dune.toml").read_bytes()
    first = run("edit", "dune", env={"EDITOR": editor}, code=1).stderr
    second = run("edit", "dune", env={"EDITOR": editor}, code=1).stderr
    drafts = sorted(p.name for p in (journal_home / "drafts").iterdir())
    assert len(drafts) == 1, drafts
    assert f"your text is kept in {journal_home / 'drafts' / drafts[0]}" in second
    earlier = first.split("your text is kept in ")[1].split()[0]
    assert f"(it replaces the earlier draft {Path(earlier).name}: the same text)" in second
    assert (books / "dune.toml").read_bytes() == before


def test_a_draft_another_edit_has_open_is_left_alone(run, books, journal_home, tmp_path):
    import fcntl

    write(books, "dune", "Dune", ["Frank Herbert"])
    write(books, "dune-messiah", "Dune Messiah", ["Frank Herbert"])
    drafts = journal_home / "drafts"
    drafts.mkdir()
    open_now = drafts / "dune-20260101-101010.toml"  # another shell's `edit dune`, its editor still open
    open_now.write_text("title = 'Dune'\n")
    other_book = drafts / "dune-messiah-20260101-101010.toml"
    other_book.write_text("title = 'Dune Messiah'\n")
    held = os.open(drafts / f".{open_now.name}.live", os.O_WRONLY | os.O_CREAT)
    try:
        fcntl.flock(held, fcntl.LOCK_EX)
        run("edit", "dune", env={"EDITOR": write_editor(tmp_path, BREAKS, "breaks.py")}, code=1)
    finally:
        os.close(held)
    assert open_now.exists() and other_book.exists()
    assert len([p for p in drafts.iterdir() if not p.name.startswith(".")]) == 3


# --- 4: BOOK as the path of its file ----------------------------------------------------------------------


def test_a_book_file_path_names_its_book(run, books, journal_home, monkeypatch):
    write(books, "piranesi", "Piranesi", ["Susanna Clarke"])
    run("rate", str(books / "piranesi.toml"), "3")  # the path readlog prints
    monkeypatch.chdir(journal_home)
    run("rate", "books/piranesi.toml", "4")  # from the journal's folder
    monkeypatch.chdir(journal_home.parent)
    run("rate", "books/piranesi.toml", "4.5")  # as sync and git name it, from anywhere
    assert tomllib.loads((books / "piranesi.toml").read_text())["rating"] == 4.5


def test_the_path_of_a_book_file_of_another_journal_is_refused(run, books, tmp_path, monkeypatch):
    write(books, "piranesi", "Piranesi", ["Susanna Clarke"])
    write(tmp_path / "other" / "books", "piranesi", "Piranesi", ["Susanna Clarke"])
    before = snapshot(tmp_path)
    monkeypatch.chdir(tmp_path / "other")
    refused = run("rate", "books/piranesi.toml", "3", code=1)
    assert "is not a book file of this journal" in refused.stderr
    assert snapshot(tmp_path) == before


# --- 5: a file name that is not UTF-8, as `ls -b` shows it ------------------------------------------------


def test_check_shows_a_name_that_is_not_utf8_escaped(run, books):
    write(books, "piranesi", "Piranesi", ["Susanna Clarke"])
    (books / os.fsdecode(b"caf\xe9.toml")).write_text('title = "Caf"\nauthors = ["A"]\n')
    said = run("check", code=1).stdout
    assert "caf\\xe9.toml: the file name is not a slug" in said and "\ufffd" not in said


# --- 6: no journal is not "no book" ----------------------------------------------------------------------


def test_a_book_named_over_a_missing_journal_says_there_is_no_journal(run, journal_home):
    refused = run("rate", "x", "3", code=1)
    assert refused.stderr.strip() == (
        f"readlog: error: no book 'x': there is no journal at {journal_home} (is the data folder right? "
        "`readlog add` starts a journal)"
    )
    assert not journal_home.exists()
    (journal_home / "books").mkdir(parents=True)
    assert "the journal at" in run("rate", "x", "3", code=1).stderr


# --- 7: Ctrl-C in reindex and export ---------------------------------------------------------------------


def _ctrl_c(*_: object, **__: object) -> None:
    raise KeyboardInterrupt


def test_ctrl_c_in_reindex_says_so_with_exit_130(run, books, monkeypatch):
    write(books, "dune", "Dune", ["Frank Herbert"])
    monkeypatch.setattr("readlog.actions.find.reindex", _ctrl_c)
    stopped = run("reindex", code=130)
    assert stopped.stderr.strip().splitlines() == [
        "readlog: error: cancelled: the index was not rebuilt; the next command brings it up to date"
    ]


def test_ctrl_c_in_export_says_so_with_exit_130(run, books, monkeypatch):
    write(books, "dune", "Dune", ["Frank Herbert"])
    monkeypatch.setattr("readlog.actions.transfer.export", _ctrl_c)
    assert run("export", code=130).stderr.strip() == "readlog: error: cancelled: nothing was exported"


def test_ctrl_c_in_an_export_of_posts_says_how_far_it_got(run, books, tmp_path, monkeypatch):
    from readlog import markdown

    for slug in ("a", "b", "c"):
        write(books, slug, slug.upper(), ["X"])
    made = markdown.book_markdown
    calls: list[int] = []

    def second_stops(*args: object, **kwargs: object) -> str:
        calls.append(1)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return made(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(markdown, "book_markdown", second_stops)
    stopped = run("export", "--format", "markdown", "-o", str(tmp_path / "posts"), code=130)
    assert stopped.stderr.strip() == (
        f"readlog: error: cancelled: 1 of 3 posts written in {tmp_path / 'posts'}, each whole; the same "
        "export with --force writes them all"
    )
    assert [p.name for p in (tmp_path / "posts").iterdir()] == ["a.md"]


# --- 10: `finish --edit` left untouched finishes ----------------------------------------------------------


def test_finish_edit_left_untouched_finishes_without_a_review(run, books, tmp_path, journal_home):
    write(books, "dune", "Dune", ["Frank Herbert"], "reading", "[[reads]]\nstarted = 2026-01-02\n")
    untouched = write_editor(tmp_path, "pass\n", "untouched.py")
    done = run("finish", "dune", "--edit", env={"EDITOR": untouched})
    assert "Finished “Dune”; no review was written (the editor was closed with it untouched)" in done.stderr
    book = tomllib.loads((books / "dune.toml").read_text())
    assert book["status"] == "read" and "review" not in book
    assert not list((journal_home / "drafts").glob("*"))


def test_finish_edit_left_untouched_keeps_the_review_typed_with_it(run, books, tmp_path):
    write(books, "dune", "Dune", ["Frank Herbert"], "reading", "[[reads]]\nstarted = 2026-01-02\n")
    untouched = write_editor(tmp_path, "pass\n", "untouched.py")
    run("finish", "dune", "--review", "Sand, all of it.", "--edit", env={"EDITOR": untouched})
    assert tomllib.loads((books / "dune.toml").read_text())["review"]["body"].strip() == "Sand, all of it."


# --- 11: `<br>` alone on its line, and `\\<b>` -----------------------------------------------------------

LONE_BREAKS = "First line.\n\n<br>\n\nAfter a lone break.\n\n<br>\nA block a break opens, <b>x</b>.\n\nA \\\\<b>bold?</b>\n"


def test_a_break_alone_on_its_line_is_a_break_in_show_the_post_and_the_site(run, books):
    from markdown_it import MarkdownIt

    from readlog.exporters.site.markdown import Markdown
    from readlog.markdown import without_raw_html

    site = Markdown().html(LONE_BREAKS)
    assert "&lt;br" not in site and site.count("<br") == 2
    post = without_raw_html(LONE_BREAKS)
    assert "\\<br" not in post and "\\\n" in post
    obeyed = MarkdownIt("commonmark", {"html": True}).render(post)  # a renderer that obeys HTML
    assert obeyed.count("<br") == 2 and "<b>" not in obeyed and "\\&lt;b&gt;bold?&lt;/b&gt;" in obeyed
    assert "\\&lt;b&gt;bold?&lt;/b&gt;" in site  # (the site shows `\<b>bold?</b>`, as the post now does)
    write(books, "dune", "Dune", ["Frank Herbert"])
    run("review", "dune", "-", input=LONE_BREAKS)
    shown = run("show", "dune").stdout
    assert "<br>" not in shown and "A block a break opens, <b>x</b>." in shown


def test_ctrl_c_in_any_command_says_one_line(run, books, monkeypatch):
    """Not only reindex and export: a command stopped where it says nothing of its own (here `stats`) says
    the line a question's Ctrl-C says, rather than nothing."""
    write(books, "dune", "Dune", ["Frank Herbert"])
    monkeypatch.setattr("readlog.actions.find.reading_stats", _ctrl_c)
    assert run("stats", code=130).stderr.strip() == "readlog: error: cancelled: nothing more was done"


def test_a_failed_edit_with_other_words_never_drops_the_earlier_draft(run, books, journal_home, tmp_path):
    """review 25b: a second failed `edit` deleted the first one's draft, whose words (an hour's rewrite) were
    in no other file: `edit` starts from the book file, not from the draft. Only a draft of the same text is
    replaced. Mutation: dropping earlier drafts whatever their text fails this."""
    write(books, "dune", "Dune", ["Frank Herbert"])
    careful = write_editor(
        tmp_path,
        'import sys\nopen(sys.argv[1], \'a\').write(\'review = """My careful rewrite"""\\nbad line here\\n\')\n',
        "careful.py",
    )
    run("edit", "dune", env={"EDITOR": careful}, code=1)
    run("edit", "dune", env={"EDITOR": write_editor(tmp_path, BREAKS, "breaks.py")}, code=1)
    drafts = [p for p in (journal_home / "drafts").iterdir() if not p.name.startswith(".")]
    assert len(drafts) == 2 and any("My careful rewrite" in p.read_text() for p in drafts)
