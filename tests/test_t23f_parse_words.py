"""A book file that does not parse is named in the reader's terms (tomlerrors.explain): the file:line first,
the key or table, the other line, and the way out; one line each, in `check` and in the read warnings."""

from __future__ import annotations

import pytest

from readlog import bookfile
from readlog.errors import BookFileError

CASES = [
    # (name, text, line, what the message must say)
    ("duplicate key", 'title = "A"\nauthors = ["x"]\n\ntitle = "B"\n', 4, "title: given twice, on lines 1 and 4"),
    ("duplicate key in a table", 'title = "A"\n[review]\nbody = "x"\nbody = "y"\n', 4,
     "body: given twice, on lines 3 and 4"),
    ("table twice", 'title = "A"\n[review]\nbody = "x"\n[review]\nwritten = 2020-01-01\n', 4,
     "the table [review] is declared twice, on lines 2 and 4"),
    ("missing closing quote", 'title = "A\nauthors = ["x"]\n', 1, "title: the string has no closing quote"),
    ("unclosed triple quote", 'title = "A"\n\nnotes = """\nabc\n\nmore\n', 3, 'the """ opened here is never closed'),
    ("unclosed literal triple", "title = 'A'\nx = '''a'''\nnotes = '''\nabc\n", 3, "the ''' opened here"),
    ("no such day", 'title = "A"\nadded = 2026-02-30\n', 2,
     "added: 2026-02-30 is not a date: February 2026 has no day 30"),
    ("no such month", 'title = "A"\n[[reads]]\nstarted = 2026-13-01\n', 3, "started: 2026-13-01 is not a date"),
    ("a bare word", 'title = "A"\nrating = 4x\n', 2, "rating: `4x` is not a value TOML reads"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "text", "line", "said"), CASES, ids=[c[0] for c in CASES])
def test_a_parse_error_names_the_key_the_lines_and_the_way_out(name, text, line, said):
    with pytest.raises(BookFileError) as raised:
        bookfile.parse(text, "b.toml")
    error = raised.value
    assert error.line == line, str(error)
    assert said in error.message, str(error)
    assert str(error).startswith(f"b.toml:{line}")
    for raw in ("Cannot overwrite", "Cannot declare", "('review',)", "Illegal character", "Unterminated"):
        assert raw not in str(error)


@pytest.mark.parametrize(
    ("text", "what"), [("", "empty"), ("\n  \n", "empty"), ("# a note\n", "only comments")]
)
def test_an_empty_file_says_so(text, what):
    with pytest.raises(BookFileError) as raised:
        bookfile.parse(text, "b.toml")
    assert raised.value.message.startswith(f"the file is {what}")
    assert "title: missing" not in str(raised.value)


def test_check_and_the_warnings_say_the_same_words(run, books):
    run("add", "Dune", "-a", "Frank Herbert")
    (books / "twice.toml").write_text('title = "Twice"\nrating = 3\nrating = 4\n')
    (books / "empty.toml").write_text("")
    checked = run("check", code=1).stdout
    assert (
        f"{books / 'twice.toml'}:3: invalid TOML: rating: given twice, on lines 2 and 3: keep one" in checked
    )
    assert f"{books / 'empty.toml'}: the file is empty" in checked
    warned = run("list").stderr
    assert f"skipped {books / 'twice.toml'}:3: invalid TOML: rating: given twice" in warned
