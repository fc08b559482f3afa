"""`readlog merge` and the undated placeholder reading (`[[reads]]` with no start, stop, finish or progress:
what `add --status read` and an export's read shelf make): one reading is never counted as two. Near misses
first: a placeholder that is a book's reading going on, two readings that are really two."""

from __future__ import annotations

import tomllib
from datetime import date

from readlog.actions.merge import join_books
from readlog.model import Book, Progress, Read


def joined(mine: list[Read], theirs: list[Read], status=("read", "read")) -> list[Read]:
    book = Book(title="Just Mercy", authors=["Bryan Stevenson"], status=status[0], reads=mine)
    other = Book(title="Just Mercy: A Story", authors=["Bryan Stevenson"], status=status[1], reads=theirs)
    join_books(book, other, "other", [])
    return book.reads


D2020, D2024 = date(2020, 5, 1), date(2024, 1, 2)


def test_near_misses_keep_their_readings():
    # a placeholder last in a book being read is its reading going on: never a finish found elsewhere
    assert len(joined([Read()], [Read(finished=D2020)], ("reading", "read"))) == 2
    # the other book read it twice (once on a day nobody knows): two readings, the same 2020 once
    assert len(joined([Read(finished=D2020)], [Read(), Read(finished=D2020)])) == 2
    # a reading given up is no finish to date a placeholder with
    assert len(joined([Read()], [Read(started=D2020, stopped=D2020)])) == 2
    # a reading with a start or progress is no placeholder
    assert len(joined([Read(started=D2020)], [Read(finished=D2024)])) == 2
    assert len(joined([Read(progress=[Progress(None, 10)])], [Read(finished=D2024)])) == 2
    # two dated readings on two days are two
    assert len(joined([Read(finished=D2020)], [Read(finished=D2024)])) == 2


def test_a_placeholder_and_a_dated_finish_are_one_reading_either_way_round():
    for mine, theirs in (
        ([Read(rating=5)], [Read(finished=D2020)]),
        ([Read(finished=D2020)], [Read(rating=5)]),
    ):
        reads = joined(mine, theirs)
        assert [(r.finished, r.rating) for r in reads] == [
            (D2020, 5)
        ]  # the placeholder's rating kept with it


def test_two_placeholders_are_one_reading():
    assert len(joined([Read()], [Read()])) == 1


def test_an_earlier_placeholder_before_a_reread_is_dated_by_the_other_book():
    reads = joined([Read(), Read(finished=D2024)], [Read(finished=D2020)])
    assert [r.finished for r in reads] == [D2020, D2024]


def test_merge_command_counts_one_reading(run, books):
    run("add", "Just Mercy", "-a", "Bryan Stevenson", "--status", "read", "-r", "4", input="")
    run(
        "add",
        "Just Mercy: A Story of Justice",
        "-a",
        "Bryan Stevenson",
        "--finished",
        "2020-05-01",
        "--new",
        input="",
    )
    run("merge", "just-mercy", "just-mercy-a-story-of-justice")
    data = tomllib.loads((books / "just-mercy.toml").read_text())
    assert data["reads"] == [{"finished": date(2020, 5, 1)}]
    shown = run("show", "just-mercy").stdout
    assert "Read 2 times" not in shown and "2020-05-01" in shown
