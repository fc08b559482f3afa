"""A write changes only what it changes, in a file a reader wrote by hand (try-out 23b, findings 1, 3 and
8): each case is a hand-written file, one command through the CLI, and the file's bytes compared with what
the reader expects, where only the changed lines differ. Comments, a date written as a string, a float's
style, a BOM, a multi-line array, dotted keys, inline tables and arrays of inline tables, CRLF line endings,
where a new table goes, and the `schema` line of a file that has none."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from readlog import bookfile

TODAY = date.today().isoformat()


@pytest.fixture(autouse=True)
def _today() -> None:
    """TODAY as each test begins, not as the module was imported: a run crossing midnight UTC compared
    yesterday's date with the files' today."""
    global TODAY
    TODAY = date.today().isoformat()


def _case(books: Path, run, slug: str, before: str, args: list[str], after: str, bom: bool = False) -> None:
    books.mkdir(parents=True, exist_ok=True)
    path = books / f"{slug}.toml"
    head = b"\xef\xbb\xbf" if bom else b""
    path.write_bytes(head + before.encode("utf-8"))
    run(*args)
    assert path.read_bytes().decode("utf-8") == ("\ufeff" if bom else "") + after


HAND = """\
# My own book file, written in vim.
title = "Hand Made"   # the title
authors = ["Ann Hand"]
status = "reading"
rating = 5.0          # a float rating
added = '2025-01-02'   # a date as a (literal) string
tags = [
  "craft",  # first tag
  "diy",
]

[[reads]]   # my reading
started = "2025-11-01"   # string date
format = "paperback"
"""


def test_rate_keeps_dates_written_as_strings_and_a_floats_style(books: Path, run) -> None:
    after = HAND.replace("rating = 5.0  ", "rating = 4.0  ")
    _case(books, run, "hand-made", HAND, ["rate", "hand-made", "4"], after)


def test_rate_keeps_a_bom(books: Path, run) -> None:
    after = HAND.replace("rating = 5.0  ", "rating = 4.5  ")
    _case(books, run, "hand-made", HAND, ["rate", "hand-made", "4.5"], after, bom=True)


def test_tag_appends_to_a_multi_line_array_keeping_its_comments(books: Path, run) -> None:
    after = HAND.replace('  "diy",\n', '  "diy",\n  "newtag",\n')
    _case(books, run, "hand-made", HAND, ["tag", "hand-made", "newtag"], after)


def test_tag_removed_from_a_multi_line_array_keeps_the_other_comments(books: Path, run) -> None:
    after = HAND.replace('  "diy",\n', "")
    _case(books, run, "hand-made", HAND, ["tag", "hand-made", "diy", "--remove"], after)


DOTTED = """\
title = "String Dates"
authors = ["Sam Str"]
status = "reading"
review.body = "Dotted key body."   # dotted key review
review.written = "2025-04-01"

[[reads]]
started = "2025-11-01"   # string date
# a comment line inside the reading
format = "ebook"
"""


def test_progress_leaves_dotted_keys_and_string_dates_alone(books: Path, run) -> None:
    after = DOTTED + "\n[[reads.progress]]\ndate = 2025-11-10\npercent = 50\n"
    _case(
        books, run, "string-dates", DOTTED, ["progress", "string-dates", "50%", "--date", "2025-11-10"], after
    )


def test_review_replace_edits_dotted_keys_in_place(books: Path, run) -> None:
    after = DOTTED.replace('"Dotted key body."', '"A new body."').replace(
        'review.written = "2025-04-01"', f'review.written = "{TODAY}"'
    )
    _case(books, run, "string-dates", DOTTED, ["review", "string-dates", "A new body.", "--replace"], after)


INLINE = """\
title = "Hand Three"
authors = ["Tri Hand"]
status = "reading"
review = { written = 2025-04-01, body = "Short." }   # inline review
reads = [ { started = 2025-10-01, format = "ebook" } ]   # inline array of tables
quotes = [
  { text = "Q1", page = 3 },   # the first quote
]
"""


def test_progress_into_an_inline_array_of_tables_keeps_it_inline(books: Path, run) -> None:
    after = INLINE.replace(
        'format = "ebook" }',
        'format = "ebook", progress = [{ date = 2025-11-10, percent = 40 }] }',
    )
    _case(books, run, "hand-three", INLINE, ["progress", "hand-three", "40%", "--date", "2025-11-10"], after)


def test_quote_appended_to_an_inline_array_keeps_its_comment(books: Path, run) -> None:
    after = INLINE.replace(
        "the first quote\n", f'the first quote\n  {{ text = "Q2", page = 5, date = {TODAY} }},\n'
    )
    _case(books, run, "hand-three", INLINE, ["quote", "hand-three", "Q2", "--page", "5"], after)


def test_review_replace_edits_an_inline_table_in_place(books: Path, run) -> None:
    after = INLINE.replace(
        'review = { written = 2025-04-01, body = "Short." }',
        f'review = {{ written = {TODAY}, body = "Longer now." }}',
    )
    _case(books, run, "hand-three", INLINE, ["review", "hand-three", "Longer now.", "--replace"], after)


QUOTES = """\
title = "Hand Two"
authors = ["Two Hand"]
status = "reading"

[[quotes]]
text = "Q1"
page = 3

# my own table, after the quotes
[custom_table]   # unknown table
a = 1
"""


def test_a_new_quote_goes_after_the_last_quote(books: Path, run) -> None:
    after = QUOTES.replace(
        "page = 3\n\n# my own", f'page = 3\n\n[[quotes]]\ntext = "Q2"\npage = 5\ndate = {TODAY}\n\n# my own'
    )
    _case(books, run, "hand-two", QUOTES, ["quote", "hand-two", "Q2", "--page", "5"], after)
    after_tag = after.replace('status = "reading"\n', 'status = "reading"\ntags = ["newtag"]\n')
    run("tag", "hand-two", "newtag")
    assert (books / "hand-two.toml").read_text() == after_tag


CRLF = 'schema = 2\ntitle = "CRLF Book"\nauthors = ["C R"]\nstatus = "reading"\n\n[[reads]]\nstarted = 2025-11-01\n'


@pytest.mark.parametrize(
    "args",
    [
        ["progress", "crlf-book", "40%", "--date", "2025-11-10"],
        ["quote", "crlf-book", "A line.", "--page", "4"],
        ["review", "crlf-book", "Two lines.\n\nOf review."],
        ["tag", "crlf-book", "one"],
        ["rate", "crlf-book", "3"],
    ],
    ids=["progress", "quote", "review", "tag", "rate"],
)
def test_a_crlf_file_stays_crlf(books: Path, run, args: list[str]) -> None:
    books.mkdir(parents=True)
    path = books / "crlf-book.toml"
    path.write_bytes(CRLF.replace("\n", "\r\n").encode())
    run(*args)
    raw = path.read_bytes()
    assert raw.startswith(CRLF.replace("\n", "\r\n").split("[[reads]]")[0].split("status")[0].encode())
    assert raw.count(b"\n") == raw.count(b"\r\n") > CRLF.count("\n"), raw
    assert b"\r\r" not in raw


def test_a_mixed_file_takes_its_majority_ending_and_keeps_its_lines(books: Path, run) -> None:
    before = CRLF.replace("\n", "\r\n").replace('"C R"]\r\n', '"C R"]\n')  # one LF line among CRLF ones
    books.mkdir(parents=True)
    path = books / "crlf-book.toml"
    path.write_bytes(before.encode())
    run("quote", "crlf-book", "A line.", "--page", "4")
    added = f'\r\n[[quotes]]\r\ntext = "A line."\r\npage = 4\r\ndate = {TODAY}\r\n'
    assert path.read_bytes().decode() == before + added


SCHEMA_1 = """\
title = "Old Form"
authors = ["O. Form"]
status = "reading"
series = { name = "Saga", number = 2 }   # schema 1's form
"""


def test_a_file_without_schema_keeps_its_untouched_schema_1_series(books: Path, run) -> None:
    after = SCHEMA_1 + 'tags = ["x"]\n'
    _case(books, run, "old-form", SCHEMA_1, ["tag", "old-form", "x"], after)


def test_writing_a_series_into_a_file_without_schema_adds_the_schema_line() -> None:
    book = bookfile.parse(SCHEMA_1, "old-form.toml")
    before = bookfile.snapshot(book)
    book.series = [*book.series, {"name": "Other", "number": "1"}]
    text = bookfile.update(SCHEMA_1, book, before)
    assert text.startswith("schema = 2\n"), text
    assert "# schema 1's form" in text
    assert bookfile.parse(text, "old-form.toml").series == book.series


SPLIT = """\
title = "Split Quotes"
authors = ["S. Plit"]
tags = ["a"]   # my tags
status = "reading"

[[quotes]]
text = "Q1"

[custom_table]   # a table of mine between two quotes
a = 1

[[quotes]]
text = "Q2"
"""


def test_a_table_between_two_quotes_stays_where_the_reader_put_it(books: Path, run) -> None:
    after = SPLIT.replace('tags = ["a"]', 'tags = ["a", "b"]')
    _case(books, run, "split-quotes", SPLIT, ["tag", "split-quotes", "b"], after)
    run("review", "split-quotes", "Fine.")
    text = (books / "split-quotes.toml").read_text()
    # the review goes where a new file has it, above the quotes (t31h); the rest stays as it was, the
    # reader's table between the two quotes too
    review, quotes = text.index("[review]"), text.index("[[quotes]]")
    assert review < quotes and text[:review] + text[quotes:] == after, text


def test_an_inline_table_ending_with_a_date_keeps_its_space_before_the_brace(books: Path, run) -> None:
    """tomlkit drops the blank before `}` after a date (`{ since = 2024-01-01 }`) even where nothing
    changes: the untouched line is put back as written; the changed one is tomlkit's."""
    shelf = 'shelf = { room = "study", since = 2024-01-01 }   # mine'
    for review in ('{ written = 2025-04-01, body = "Short." }', '{ body = "Short.", written = 2025-04-01 }'):
        before = INLINE.replace("status", f"{shelf}\nstatus").replace(
            '{ written = 2025-04-01, body = "Short." }', review
        )
        books.mkdir(parents=True, exist_ok=True)
        path = books / "hand-three.toml"
        path.write_text(before)
        run("review", "hand-three", "Longer now.", "--replace")
        lines = path.read_text().splitlines()
        assert shelf in lines
        assert [line for line in lines if line.startswith("review = {")][0].endswith("}   # inline review")
        assert 'body = "Longer now."' in path.read_text()


def test_a_header_written_right_under_the_values_stays_so(books: Path, run) -> None:
    before = 'title = "Tight"\nauthors = ["T"]\ntags = ["a"]  # mine\nstatus = "reading"\n[[reads]]\nstarted = 2025-11-01\n'
    after = before.replace('tags = ["a"]', 'tags = ["a", "b"]')
    _case(books, run, "tight", before, ["tag", "tight", "b"], after)
