"""A reading removed from the middle of a book, or one put between two, takes its own keys and comments with
it and gives nobody else's to another reading (session 21, t21g: `_sync_aot` synced the tables by place and
never removed a key it does not own, so the next reading gained the removed one's `mood`).

Each check compares the parsed TOML with what the book must hold, and the text with the old text with only
the lines of the reading that went (or came) taken out (or put in)."""

from __future__ import annotations

import tomllib
from datetime import date

import pytest

from readlog import bookfile
from readlog.model import Progress, Read, book_to_dict

# Three readings; the middle one has a key of the reader's own and comments: above its header (after a blank
# line: it leads into that reading) and inside it.
THREE = """\
schema = 2
title = "Dune"
authors = ["Frank Herbert"]
status = "read"

# My readings of it.
[[reads]]
started = 2019-01-01
finished = 2019-02-01

# The rainy one.
[[reads]]
# read at the cabin
started = 2020-03-01
finished = 2020-04-01
mood = "rainy"

# Third time.
[[reads]]
started = 2022-01-01
finished = 2022-02-01
rating = 4.0
# (the one that stuck)

# About the review.
[review]
body = "Good."
"""

MIDDLE = """\
# The rainy one.
[[reads]]
# read at the cabin
started = 2020-03-01
finished = 2020-04-01
mood = "rainy"

"""


def test_the_middle_reading_goes_with_its_key_and_comments():
    book = bookfile.parse(THREE, "dune.toml")
    del book.reads[1]
    text = bookfile.update(THREE, book)
    data = tomllib.loads(text)
    assert [r.get("mood") for r in data["reads"]] == [None, None]
    expected = tomllib.loads(THREE)
    del expected["reads"][1]
    assert data == expected
    assert text == THREE.replace(MIDDLE, "")
    assert bookfile.parse(text, "dune.toml") == book


def test_near_miss_an_edited_middle_reading_keeps_its_key_and_comments():
    """The same reading changed in place (a date) is the same table: its key and comments stay."""
    book = bookfile.parse(THREE, "dune.toml")
    book.reads[1].finished = date(2020, 4, 2)
    text = bookfile.update(THREE, book)
    assert [r.get("mood") for r in tomllib.loads(text)["reads"]] == [None, "rainy", None]
    assert text == THREE.replace("finished = 2020-04-01", "finished = 2020-04-02")


FIRST = "[[reads]]\nstarted = 2019-01-01\nfinished = 2019-02-01\n\n"
LAST = "# Third time.\n[[reads]]\nstarted = 2022-01-01\nfinished = 2022-02-01\nrating = 4.0\n# (the one that stuck)\n\n"


@pytest.mark.parametrize(("gone", "lines"), [(0, FIRST), (1, MIDDLE), (2, LAST)])
def test_any_reading_removed_leaves_the_others_byte_for_byte(gone, lines):
    """The comment above the first header is about all the readings: it stays whichever goes. A comment
    right under a reading's values is that reading's; one after a blank line leads into the next table."""
    book = bookfile.parse(THREE, "dune.toml")
    del book.reads[gone]
    text = bookfile.update(THREE, book)
    expected = tomllib.loads(THREE)
    del expected["reads"][gone]
    assert tomllib.loads(text) == expected
    assert text == THREE.replace(lines, "")


def test_a_reading_put_between_two_leaves_both_as_they_were():
    book = bookfile.parse(THREE, "dune.toml")
    book.reads.insert(2, Read(started=date(2021, 5, 1), finished=date(2021, 6, 1)))
    text = bookfile.update(THREE, book)
    assert [r.get("mood") for r in tomllib.loads(text)["reads"]] == [None, "rainy", None, None]
    new = "[[reads]]\nstarted = 2021-05-01\nfinished = 2021-06-01\n\n"
    assert text == THREE.replace("# Third time.\n", new + "# Third time.\n")


def test_a_reading_with_progress_removed_takes_its_progress_along():
    book = bookfile.parse(THREE, "dune.toml")
    book.reads[1].progress.append(Progress(date=date(2020, 3, 10), page=40))
    with_progress = bookfile.update(THREE, book)
    assert "[[reads.progress]]" in with_progress
    del book.reads[1]
    text = bookfile.update(with_progress, book)
    assert "[[reads.progress]]" not in text and "mood" not in text
    assert tomllib.loads(text)["reads"] == [r for i, r in enumerate(tomllib.loads(THREE)["reads"]) if i != 1]


def test_a_middle_progress_entry_removed_leaves_the_next_as_it_was():
    text = THREE.replace(
        'mood = "rainy"\n',
        'mood = "rainy"\n\n[[reads.progress]]\ndate = 2020-03-05\npage = 10\nseat = "window"\n\n'
        "[[reads.progress]]\ndate = 2020-03-10\npage = 40\n\n",
    )
    book = bookfile.parse(text, "dune.toml")
    del book.reads[1].progress[0]
    out = bookfile.update(text, book)
    assert "seat" not in out
    assert out == text.replace('[[reads.progress]]\ndate = 2020-03-05\npage = 10\nseat = "window"\n\n', "")


def test_merge_of_two_files_puts_the_other_reading_between_without_copying_keys(run, books):
    """`readlog merge`: the readings of both, in date order; the 2020 reading goes between the two of A."""
    books.mkdir(parents=True)
    a = THREE.replace(MIDDLE, "")
    a = a.replace("finished = 2022-02-01\n", 'finished = 2022-02-01\nmood = "sunny"\n')
    (books / "dune.toml").write_text(a, encoding="utf-8")
    (books / "dune-2.toml").write_text(
        'title = "Dune"\nauthors = ["Frank Herbert"]\nstatus = "read"\n\n'
        "[[reads]]\nstarted = 2020-03-01\nfinished = 2020-04-01\n",
        encoding="utf-8",
    )
    run("merge", "dune.toml", "dune-2")  # (`dune` is also the other's title: t22a)
    text = (books / "dune.toml").read_text(encoding="utf-8")
    reads = tomllib.loads(text)["reads"]
    assert [r["finished"] for r in reads] == [date(2019, 2, 1), date(2020, 4, 1), date(2022, 2, 1)]
    assert [r.get("mood") for r in reads] == [None, None, "sunny"]
    new = "[[reads]]\nstarted = 2020-03-01\nfinished = 2020-04-01\n\n"
    assert text == a.replace("# Third time.\n", new + "# Third time.\n")


def test_merge_dates_a_placeholder_and_keeps_its_keys_on_that_reading(run, books):
    """A placeholder reading (`add --status read`) dated by the other file is that reading: its own key
    and comment stay on it, and go nowhere else."""
    books.mkdir(parents=True)
    a = (
        'title = "Dune"\nauthors = ["Frank Herbert"]\nstatus = "read"\n\n'
        '[[reads]]\n# the first time\nmood = "rainy"\n\n'
        "[[reads]]\nstarted = 2022-01-01\nfinished = 2022-02-01\n"
    )
    (books / "dune.toml").write_text(a, encoding="utf-8")
    (books / "dune-2.toml").write_text(
        'title = "Dune"\nauthors = ["Frank Herbert"]\nstatus = "read"\n\n[[reads]]\nfinished = 2020-04-01\n',
        encoding="utf-8",
    )
    run("merge", "dune.toml", "dune-2")
    text = (books / "dune.toml").read_text(encoding="utf-8")
    reads = tomllib.loads(text)["reads"]
    assert reads == [
        {"finished": date(2020, 4, 1), "mood": "rainy"},
        {"started": date(2022, 1, 1), "finished": date(2022, 2, 1)},
    ]
    assert "[[reads]]\n# the first time\n" in text


def test_merge_driver_takes_the_other_devices_removed_reading(run, tmp_path):
    """`readlog merge-driver` (sync): the other device removed the middle reading; this one did not touch
    the file. The result is this device's text without that reading, and the third does not gain `mood`."""
    base, ours, theirs = (tmp_path / n for n in ("base.toml", "ours.toml", "theirs.toml"))
    base.write_text(THREE, encoding="utf-8")
    ours.write_text(THREE, encoding="utf-8")
    theirs.write_text(THREE.replace(MIDDLE, ""), encoding="utf-8")
    run("merge-driver", str(base), str(ours), str(theirs), "books/dune.toml")
    text = ours.read_text(encoding="utf-8")
    assert [r.get("mood") for r in tomllib.loads(text)["reads"]] == [None, None]
    assert text == THREE.replace(MIDDLE, "")


def test_tables_moved_around_are_matched_by_what_they_hold():
    """Readings sorted anew (a merge sorts them by date): every table keeps its own lines."""
    book = bookfile.parse(THREE, "dune.toml")
    book.reads = [book.reads[2], book.reads[0], book.reads[1]]
    text = bookfile.update(THREE, book)
    reads = tomllib.loads(text)["reads"]
    assert [r.get("mood") for r in reads] == [None, None, "rainy"]
    assert bookfile.parse(text, "dune.toml") == book


def test_merge_driver_a_reading_removed_there_and_the_next_changed_too(run, tmp_path):
    """The other device removed the middle reading and changed the third's rating: the third is told from
    the removed one by what it holds (its dates), not by its place, so it alone is edited."""
    base, ours, theirs = (tmp_path / n for n in ("base.toml", "ours.toml", "theirs.toml"))
    base.write_text(THREE, encoding="utf-8")
    ours.write_text(THREE, encoding="utf-8")
    theirs.write_text(THREE.replace(MIDDLE, "").replace("rating = 4.0", "rating = 4.5"), encoding="utf-8")
    run("merge-driver", str(base), str(ours), str(theirs), "books/dune.toml")
    text = ours.read_text(encoding="utf-8")
    assert [r.get("rating") for r in tomllib.loads(text)["reads"]] == [None, 4.5]
    assert text == THREE.replace(MIDDLE, "").replace("rating = 4.0", "rating = 4.5")


def test_a_dated_placeholder_carries_its_keys_in_the_book_too():
    """What the file keeps (above) the book says too: the placeholder's own key is on the dated reading."""
    from readlog.importers.merge import join_reads
    from readlog.model import Book

    mine = Book(
        title="Dune", status="read", reads=[Read(extra={"mood": "rainy"}), Read(finished=date(2022, 2, 1))]
    )
    theirs = Book(title="Dune", status="read", reads=[Read(finished=date(2020, 4, 1))])
    reads = join_reads(mine, theirs)
    assert [(r.finished, r.extra) for r in reads] == [
        (date(2020, 4, 1), {"mood": "rainy"}),
        (date(2022, 2, 1), {}),
    ]


def test_a_key_added_to_a_reading_goes_under_its_values_not_under_the_next_ones_comment():
    """tomlkit adds a key after a table's last line, which here is the comment that leads into the next
    reading: the key goes under the values, the blank line and that comment stay above the next header. A
    comment right under the values is the table's own: the key goes after it."""
    book = bookfile.parse(THREE, "dune.toml")
    book.reads[1].rating = 5
    book.reads[2].format = "ebook"
    text = bookfile.update_data(THREE, book_to_dict(book))
    assert text == THREE.replace("finished = 2020-04-01\n", "finished = 2020-04-01\nrating = 5\n").replace(
        "# (the one that stuck)\n", '# (the one that stuck)\nformat = "ebook"\n'
    )
