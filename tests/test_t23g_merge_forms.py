"""`readlog merge A B` keeps the forms of what it moves (try-out 23b, finding 2): B's readings, reflections,
quotes and the keys A lacked come with their comments, string styles and key order; A's own text stays as
it was; a comment that cannot come along (on B's title, above its tables) is said in one line, naming the
file in trash/ that keeps it."""

from __future__ import annotations

import tomllib
from pathlib import Path

from readlog.actions.merge import with_their_forms

KEPT = """\
schema = 2
# my second copy
title = "Hand Made: A Novel"
authors = ['Ann Hand']
status = "read"
rating = 3   # the other rating

[[reads]]
started = 2024-01-01
finished = 2024-02-01   # first reading
"""

MERGED_IN = """\
# written in vim
title = "Hand Made"   # the title
authors = ["Ann Hand"]
status = "read"
my_mood = "sunny"   # a key readlog does not know

[[reads]]   # my reading
started = 2025-11-01
mine = true   # unknown key in reads
finished = 2025-11-30

[[reflections]]
date = 2025-11-16
text = '''
Literal reflection with \\n a literal backslash-n.
'''

[[quotes]]
text = 'Single-quoted literal quote'
page = 12   # the page

[[quotes]]
text = "Basic quote with \\u00e9 escape"
location = "ch. 2"   # where

[custom_table]   # unknown table
a = 1
"""


def merge(run, home: Path, kept: str = KEPT, merged_in: str = MERGED_IN):
    books = home / "books"
    books.mkdir(parents=True, exist_ok=True)
    (books / "hand-made-a-novel.toml").write_text(kept, encoding="utf-8")
    (books / "hand-made.toml").write_text(merged_in, encoding="utf-8")
    result = run("merge", "hand-made-a-novel", "hand-made")
    return result, (books / "hand-made-a-novel.toml").read_text(encoding="utf-8")


def test_the_merged_in_files_parts_keep_their_comments_and_string_styles(run, journal_home):
    result, text = merge(run, journal_home)
    for line in (
        "[[reads]]   # my reading",
        "mine = true   # unknown key in reads",
        "text = 'Single-quoted literal quote'",
        "page = 12   # the page",
        'text = "Basic quote with \\u00e9 escape"',
        'location = "ch. 2"   # where',
        "Literal reflection with \\n a literal backslash-n.",
        "[custom_table]   # unknown table",
        'my_mood = "sunny"   # a key readlog does not know',
    ):
        assert line in text, line
    assert text.startswith(KEPT.split("\n\n")[0])  # A's own lines as they were (its literal, comments)
    assert "finished = 2024-02-01   # first reading" in text
    book = tomllib.loads(text)
    assert [q["text"] for q in book["quotes"]] == ["Single-quoted literal quote", "Basic quote with é escape"]
    assert len(book["reads"]) == 2 and book["custom_table"] == {"a": 1}
    # the two comments that belong to nothing that moved: said once, with where they are kept
    said = [line for line in result.stderr.splitlines() if "could not come along" in line]
    assert len(said) == 1 and "2 of hand-made's comments" in said[0]
    trashed = said[0].rpartition("stay in ")[2]
    assert "# written in vim" in (journal_home / trashed).read_text(encoding="utf-8")


def test_nothing_is_said_when_every_comment_came_along(run, journal_home):
    merged_in = MERGED_IN.replace("# written in vim\n", "").replace("   # the title", "")
    result, text = merge(run, journal_home, merged_in=merged_in)
    assert "# my reading" in text and "could not come along" not in result.stderr


def test_a_part_the_merge_joined_with_the_kept_files_is_written_anew_and_its_comments_are_counted(
    run, journal_home
):
    """The same reading in both (one start day): one reading, A's; B's comment on it is named as left."""
    merged_in = MERGED_IN.replace("started = 2025-11-01", "started = 2024-01-01").replace(
        "finished = 2025-11-30", "finished = 2024-02-01"
    )
    result, text = merge(run, journal_home, merged_in=merged_in)
    assert len(tomllib.loads(text)["reads"]) == 1
    assert "finished = 2024-02-01   # first reading" in text
    assert "4 of hand-made's comments could not come along" in result.stderr  # vim, title, reading's two


def test_forms_are_taken_only_where_the_book_stays_the_same():
    kept = 'title = "A"\n'
    written = 'title = "A"\n\n[[quotes]]\ntext = "theirs"\n'
    theirs = "title = 'B'\n\n[[quotes]]\ntext = 'theirs'   # a comment\n"
    assert (
        with_their_forms(kept, written, theirs)
        == "title = \"A\"\n\n[[quotes]]\ntext = 'theirs'   # a comment\n"
    )
    other = "title = 'B'\n\n[[quotes]]\ntext = 'not the same quote'\n"
    assert with_their_forms(kept, written, other) == written


def test_a_part_both_files_hold_keeps_the_kept_files_form(run, journal_home):
    kept = KEPT + '\n[[quotes]]\ntext = "Single-quoted literal quote"   # kept\'s own\npage = 12\n'
    result, text = merge(run, journal_home, kept=kept)
    assert 'text = "Single-quoted literal quote"   # kept\'s own' in text
    assert "'Single-quoted literal quote'" not in text and text.count("Single-quoted") == 1
    assert "3 of hand-made's comments could not come along" in result.stderr  # vim, title, the page


def test_the_kept_file_keeps_its_last_newline_when_the_merged_in_one_had_none(run, books):
    """Review 23a: B's file ending with no newline left A's without one after `merge`. Mutation: the newline
    line in with_their_forms removed: this fails."""
    books.mkdir(parents=True, exist_ok=True)
    (books / "dune.toml").write_text('title = "Dune"\nauthors = ["Frank Herbert"]\nstatus = "read"\n')
    (books / "dune-40th.toml").write_text(
        'title = "Dune"\nauthors = ["Frank Herbert"]\nstatus = "want"\n\n[shelf]\nwhere = "x"'
    )
    run("merge", "dune.toml", "dune-40th")
    assert (books / "dune.toml").read_text().endswith("\n")
