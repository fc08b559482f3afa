"""`readlog progress` writes a reading's `[[reads.progress]]` after that reading, not at the end of the file
under the quotes (session 21's try-out, finding 12): valid TOML either way, but a reader editing by hand looks
for a reading's progress under it. Everything else in the file stays byte for byte."""

from __future__ import annotations

import difflib
import tomllib
from datetime import date

from readlog import bookfile

READING = """\
# Notes on this one.
title = "Laid Out"
authors = ["A. Writer"]
status = "reading"
mood = "calm"                 # a key of my own

[[reads]]
started = 2025-01-01
where = "a train"             # a reading's key of my own

# The review, so far.
[review]
body = '''
Half way.

[[reads.progress]]
is not a table inside this text.
'''

[[reflections]]
date = 2025-01-02
text = "A thought."

[[quotes]]
text = "A line."
page = 12
"""


def _inserted(old: str, new: str) -> list[str]:
    """`new` must be `old` with lines inserted and nothing else changed: the runs of inserted lines."""
    a, b = old.splitlines(keepends=True), new.splitlines(keepends=True)
    ops = difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes()
    assert all(tag in ("equal", "insert") for tag, *_ in ops), "something besides an insertion changed"
    return ["".join(b[j1:j2]) for tag, _, _, j1, j2 in ops if tag == "insert"]


def test_progress_goes_under_its_reading_and_nothing_else_moves(run, books):
    books.mkdir(parents=True)
    path = books / "laid-out.toml"
    path.write_text(READING, encoding="utf-8")
    run("progress", "laid-out", "40", "--date", "2025-01-05")
    first = path.read_text(encoding="utf-8")
    assert len(_inserted(READING, first)) == 1
    assert "own\n\n[[reads.progress]]\ndate = 2025-01-05\npage = 40\n\n# The review, so far." in first
    run("progress", "laid-out", "60", "--date", "2025-01-06", "--note", "the storm")
    second = path.read_text(encoding="utf-8")
    assert len(_inserted(first, second)) == 1
    # after the reading's first progress, in order; the comment that leads into the review stays with it
    assert (
        'page = 40\n\n[[reads.progress]]\ndate = 2025-01-06\npage = 60\nnote = "the storm"\n\n'
        "# The review, so far.\n[review]\n"
    ) in second
    data = tomllib.loads(second)
    assert data["reads"] == [
        {"started": date(2025, 1, 1), "where": "a train",
         "progress": [{"date": date(2025, 1, 5), "page": 40},
                      {"date": date(2025, 1, 6), "page": 60, "note": "the storm"}]},
    ]  # fmt: skip
    before = tomllib.loads(READING)
    assert {k: v for k, v in data.items() if k != "reads"} == {
        k: v for k, v in before.items() if k != "reads"
    }


def test_progress_of_the_last_of_several_readings_goes_after_its_pauses_and_tables(run, books):
    books.mkdir(parents=True)
    path = books / "laid-out.toml"
    text = READING.replace(
        'where = "a train"             # a reading\'s key of my own\n',
        "finished = 2025-01-20\n\n[[reads]]\nstarted = 2025-06-01\n\n[[reads.pauses]]\npaused = 2025-06-03\n"
        'resumed = 2025-06-04\n\n[reads.where]\nplace = "home"\n',
    )
    path.write_text(text, encoding="utf-8")
    run("progress", "laid-out", "10", "--date", "2025-06-05")
    after = path.read_text(encoding="utf-8")
    assert len(_inserted(text, after)) == 1
    assert 'place = "home"\n\n[[reads.progress]]\ndate = 2025-06-05\npage = 10\n\n# The review' in after
    reads = tomllib.loads(after)["reads"]
    assert "progress" not in reads[0]
    assert reads[1]["progress"] == [{"date": date(2025, 6, 5), "page": 10}]
    assert reads[1]["where"] == {"place": "home"}


def test_a_reading_that_ends_the_file_gets_its_progress_at_the_end(run, books):
    books.mkdir(parents=True)
    path = books / "last.toml"
    text = 'title = "Last"\nstatus = "reading"\n\n[[quotes]]\ntext = "A line."\n\n[[reads]]\nstarted = 2025-01-01\n'
    path.write_text(text, encoding="utf-8")
    run("progress", "last", "5", "--date", "2025-01-02")
    assert path.read_text(encoding="utf-8") == text + "\n[[reads.progress]]\ndate = 2025-01-02\npage = 5\n"


def test_the_layout_is_only_taken_when_the_file_reads_back_as_the_book():
    """A header-like line inside a multi-line string is not a table: the placement is checked by reading the
    result, and what does not read back as the book goes to the end instead."""
    from readlog.model import Progress

    tricky = READING.replace(
        'where = "a train"             # a reading\'s key of my own\n',
        "aside = '''\nA line of mine.\n[review]\n'''\n",
    )
    for text in (READING, tricky):
        book = bookfile.parse(text, "laid-out.toml")
        before = bookfile.snapshot(book)
        book.reads[-1].progress.append(Progress(date=date(2025, 1, 5), page=40))
        written = bookfile.update(text, book, before)
        assert bookfile.parse(written, "x") == book
        assert written.startswith(text.rstrip("\n")) == (text is tricky)  # the tricky one: at the end
