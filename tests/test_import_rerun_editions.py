"""Try-out 27b #7: an import stopped between two rows of one work (two editions) and run again did not end
as one uninterrupted import: *The Undoing Project* kept its hardcover row's Date Added and to-read position
(2018-12-19, #123) where one run gives the paperback row's (2018-12-04, #95), as editions of one file are
joined (merge.join_editions). A re-run joins them so, where the book's values are still its import's."""

from __future__ import annotations

import tomllib
from pathlib import Path

from test_import_export import GR_HEADER, gr_row, write_csv

WORK = {"Title": "The Undoing Project: A Friendship That Changed Our Minds", "Author": "Michael Lewis"}
HARDCOVER = gr_row(**WORK, **{
    "Book Id": "30334134", "ISBN13": '="9780393254594"', "Binding": "Hardcover", "Date Added": "2018/12/19",
    "Bookshelves": "to-read", "Bookshelves with positions": "to-read (#123)", "Exclusive Shelf": "to-read",
})  # fmt: skip
PAPERBACK = gr_row(**WORK, **{
    "Book Id": "35631386", "ISBN13": '="9780393354775"', "Binding": "Paperback", "Date Added": "2018/12/04",
    "Bookshelves": "to-read", "Bookshelves with positions": "to-read (#95)", "Exclusive Shelf": "to-read",
})  # fmt: skip
READ_TWICE = [
    gr_row(**WORK, **{"Book Id": "1", "ISBN13": '="9780393254594"', "Binding": "Hardcover", "My Rating": "3",
                      "Date Read": "2019/01/05", "Date Added": "2018/12/19"}),
    gr_row(**WORK, **{"Book Id": "2", "ISBN13": '="9780393354775"', "Binding": "Paperback", "My Rating": "5",
                      "Date Read": "2021/03/01", "Date Added": "2018/12/04"}),
]  # fmt: skip
SLUG = "the-undoing-project-a-friendship-that-changed-our-minds"


def _journal(monkeypatch, tmp_path: Path, name: str) -> Path:
    monkeypatch.setenv("READLOG_HOME", str(tmp_path / name))
    monkeypatch.setenv("READLOG_CACHE", str(tmp_path / f"{name}-cache"))
    return tmp_path / name / "books" / f"{SLUG}.toml"


def _once_and_stopped(run, monkeypatch, tmp_path: Path, rows: list[dict[str, str]]) -> tuple[dict, Path]:
    """The book of one import of `rows`, and the file of a journal that imported the first row alone (an
    import stopped after it), for the test to run the whole file into."""
    whole = write_csv(tmp_path / "whole.csv", GR_HEADER, rows)
    once = _journal(monkeypatch, tmp_path, "once")
    run("import", str(whole))
    book = tomllib.loads(once.read_text(encoding="utf-8"))
    stopped = _journal(monkeypatch, tmp_path, "stopped")
    run("import", str(write_csv(tmp_path / "first.csv", GR_HEADER, rows[:1])))
    return book, stopped


def test_a_rerun_joins_the_other_editions_date_added_and_position_as_one_import_does(
    run, monkeypatch, tmp_path
):
    book, stopped = _once_and_stopped(run, monkeypatch, tmp_path, [HARDCOVER, PAPERBACK])
    assert (str(book["added"]), book["priority"]) == ("2018-12-04", 95)
    run("import", str(tmp_path / "whole.csv"))
    assert tomllib.loads(stopped.read_text(encoding="utf-8")) == book


def test_a_rerun_takes_the_later_readings_rating_as_one_import_does(run, monkeypatch, tmp_path):
    book, stopped = _once_and_stopped(run, monkeypatch, tmp_path, READ_TWICE)
    assert book["rating"] == 5
    run("import", str(tmp_path / "whole.csv"))
    assert tomllib.loads(stopped.read_text(encoding="utf-8")) == book


def test_values_the_reader_changed_since_stay_theirs(run, monkeypatch, tmp_path):
    """Near miss: a Date Added, a position and a rating the reader set since the first import are theirs."""
    _, stopped = _once_and_stopped(run, monkeypatch, tmp_path, [HARDCOVER, PAPERBACK])
    text = stopped.read_text(encoding="utf-8")
    stopped.write_text(
        text.replace("added = 2018-12-19\npriority = 123", "added = 2018-12-20\npriority = 130", 1)
    )
    run("import", str(tmp_path / "whole.csv"))
    book = tomllib.loads(stopped.read_text(encoding="utf-8"))
    assert (str(book["added"]), book["priority"]) == ("2018-12-20", 130)
    assert len(book["source"]["goodreads"]["editions"]) == 2  # (the edition joined all the same)
    (tmp_path / "rated").mkdir()
    _, rated = _once_and_stopped(run, monkeypatch, tmp_path / "rated", READ_TWICE)
    run("rate", SLUG, "2")
    run("import", str(tmp_path / "rated" / "whole.csv"))
    assert tomllib.loads(rated.read_text(encoding="utf-8"))["rating"] == 2
