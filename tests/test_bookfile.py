"""The book file is the contract: reading, writing, and rewriting without disturbing a reader's edits."""

from __future__ import annotations

import string
import tomllib
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from readlog import bookfile
from readlog.errors import BookFileError, NewerSchema
from readlog.model import Book, Pause, Pick, Quote, Read, ReadNext, Reflection, Review, book_from_dict

HAND_WRITTEN = """\
# My notes on this one. Keep this comment!
title = "Never Let Me Go"
author = "Kazuo Ishiguro"     # just one author, so `author` will do
status = "read"
rating = 4.5
mood = "wistful"              # not a readlog field: it must survive

[[reads]]
finished = "2019-05"
where = "on a train"          # an unknown key inside a table

# The review, written in my own words.
[review]
headline = "Quiet"
body = '''
## One

Text.
'''

[[quotes]]
text = "A line I liked."
page = 12

[custom]
anything = [1, 2, 3]
"""


def test_hand_written_file_reads_with_author_alias_and_unknown_keys():
    book = bookfile.parse(HAND_WRITTEN, "x.toml")
    assert book.authors == ["Kazuo Ishiguro"]
    assert book.reads == [Read(finished="2019-05", extra={"where": "on a train"})]  # kept, as read
    assert book.extra == {"mood": "wistful", "custom": {"anything": [1, 2, 3]}}


def _appended(old: str, new: str) -> str:
    """`new` must be `old` with lines inserted and nothing else changed: returns the inserted lines."""
    import difflib

    a, b = old.splitlines(keepends=True), new.splitlines(keepends=True)
    ops = difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes()
    assert all(tag in ("equal", "insert") for tag, *_ in ops), "something besides an insertion changed"
    return "".join("".join(b[j1:j2]) for tag, _, _, j1, j2 in ops if tag == "insert")


def test_reflect_and_quote_keep_everything_else_byte_for_byte(run, books):
    books.mkdir(parents=True)
    path = books / "never-let-me-go.toml"
    path.write_text(HAND_WRITTEN)
    run("reflect", "never let me go", "It stayed with me.", "--date", "2025-03-05")
    after_reflect = path.read_text()
    added = _appended(HAND_WRITTEN, after_reflect)
    assert "[[reflections]]" in added and "It stayed with me." in added
    run("quote", "never let me go", "Another line.", "--page", "40")
    added = _appended(after_reflect, path.read_text())
    assert "[[quotes]]" in added and "page = 40" in added
    final = tomllib.loads(path.read_text())
    assert final["mood"] == "wistful" and final["reads"][0]["where"] == "on a train"
    assert final["custom"] == {"anything": [1, 2, 3]} and final["author"] == "Kazuo Ishiguro"
    assert [q["text"] for q in final["quotes"]] == ["A line I liked.", "Another line."]


def test_update_changes_only_the_changed_value():
    book = bookfile.parse(HAND_WRITTEN, "x.toml")
    book.rating = 5
    out = bookfile.update(HAND_WRITTEN, book)
    assert out == HAND_WRITTEN.replace("rating = 4.5", "rating = 5")


def test_update_switches_author_to_authors_only_when_it_must():
    book = bookfile.parse(HAND_WRITTEN, "x.toml")
    book.authors.append("Second Author")
    data = tomllib.loads(bookfile.update(HAND_WRITTEN, book))
    assert "author" not in data and data["authors"] == ["Kazuo Ishiguro", "Second Author"]


def test_long_text_is_a_literal_multiline_string():
    book = Book(title="T", review=Review(body="## A\n\nSome 'quoted' text.\n"))
    text = bookfile.dumps(book)
    assert "body = '''\n## A\n\nSome 'quoted' text.\n'''" in text


@pytest.mark.parametrize(
    "body",
    [
        "has ''' inside\n",
        "ends with a quote'\nx'",
        "escape \x1b[31m\nred",
        'triple """ basic\n"',
        "cr\r\nlf",
        "tab\tand\n",
    ],
)
def test_awkward_text_still_round_trips(body):
    book = Book(title="T", review=Review(body=body))
    assert bookfile.parse(bookfile.dumps(book), "x").review == Review(body=body)


@pytest.mark.parametrize(
    ("text", "message", "line"),
    [
        ('title = "x"\nrating = 7\n', "rating: 7 is not a rating", 2),
        ('title = "x"\nrating = nan\n', "is not a rating", 2),
        ('title = "x"\nstatus = "done"\n', "'done' is not a status", 2),
        ('title = "x"\nisbn = "123"\n', "not a valid ISBN", 2),
        ('title = "x"\n\n[[reads]]\nfinished = "2023-02-30"\n', "reads[1].finished", 4),
        ('title = "x"\n[[reads]]\n[[reads]]\nstarted = "soon"\n', "reads[2].started", 4),
        ('title = "x"\nadded = 2023-02-30\n', "invalid TOML", 2),
        ('title = "x"\ntitle = "y"\n', "invalid TOML", 2),
        ("rating = 4\n", "title: missing", None),
        ('title = ""\n', "title: must not be empty", 1),
        ('title = "x"\n[review]\nbody = 3\n', "review.body: expected text", 3),
        (
            'title = "x"\npages = 99999999999999999999999\n',
            "pages: 99999999999999999999... is out of range",
            2,
        ),
    ],
)
def test_bad_files_name_the_field_and_line(text, message, line):
    with pytest.raises(BookFileError) as caught:
        bookfile.parse(text, "books/x.toml")
    assert message in str(caught.value)
    assert caught.value.line == line
    assert str(caught.value).startswith("books/x.toml" + (f":{line}" if line else ""))


def test_newer_schema_is_refused():
    with pytest.raises(NewerSchema, match="newer readlog"):
        bookfile.parse('schema = 3\ntitle = "x"\n', "x.toml")


def test_bom_and_crlf_files_are_read():
    raw = '\ufefftitle = "x"\r\nrating = 3\r\n'.encode()
    book = bookfile.parse(bookfile.decode(raw, "x"), "x")
    assert (book.title, book.rating) == ("x", 3)


def test_latin1_file_is_a_clear_error():
    with pytest.raises(BookFileError, match="not UTF-8"):
        bookfile.decode('title = "café"'.encode("latin-1"), "x.toml")


# --- property tests --------------------------------------------------------------------------------
# Any text a user can type: every code point but surrogates (which no keyboard or UTF-8 file produces).
typed = st.text(st.characters(blacklist_categories=("Cs",)), max_size=60)
nonblank = typed.filter(lambda s: s.strip() != "")
names = st.lists(nonblank, max_size=3)
days = st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31))
partial = st.one_of(
    days,
    st.integers(1000, 2999).map(str),
    st.builds(lambda y, m: f"{y}-{m:02d}", st.integers(1000, 2999), st.integers(1, 12)),
)
ratings = st.integers(1, 20).map(lambda q: q / 4).map(lambda r: int(r) if r.is_integer() else r)
isbns = st.sampled_from(["9781400078776", "014023666X", "0441172717", "9791090636071"])


def opt(strategy):
    return st.one_of(st.none(), strategy)


# a pause: the day it began and, when it ended, a day on or after it
pauses = st.builds(
    lambda start, length: Pause(start, None if length is None else start + timedelta(days=length)),
    st.dates(min_value=date(1, 1, 1), max_value=date(9000, 12, 31)),
    opt(st.integers(0, 400)),
)


books_strategy = st.builds(
    Book,
    title=nonblank.map(str.strip).filter(bool),
    authors=names,
    status=opt(st.sampled_from(["want", "reading", "read", "abandoned", "paused"])),
    rating=opt(ratings),
    tags=names,
    year=opt(st.integers(-9999, 9999)),
    isbn=opt(isbns),
    pages=opt(st.integers(1, 10_000)),
    added=opt(days),
    why=opt(typed),
    priority=opt(st.integers(1, 1000)),
    reads=st.lists(
        st.builds(
            Read,
            started=opt(partial),
            finished=opt(partial),
            rating=opt(ratings),
            pauses=st.lists(pauses, max_size=2),
        ),
        max_size=3,
    ),
    review=opt(
        st.builds(Review, headline=opt(typed), written=opt(days), body=opt(typed), private=st.booleans())
    ),
    reflections=st.lists(
        st.builds(
            Reflection,
            text=nonblank,
            date=opt(days),
            private=st.booleans(),
            title=opt(nonblank.map(str.strip).filter(bool)),
        ),
        max_size=3,
    ),
    quotes=st.lists(
        st.builds(
            Quote,
            text=nonblank,
            page=opt(st.integers(1, 5000)),
            location=opt(typed),
            note=opt(typed),
            private=st.booleans(),
        ),
        max_size=3,
    ),
    next=st.lists(
        st.builds(
            Pick, title=nonblank.map(str.strip).filter(bool), authors=names, why=opt(typed), added=opt(days)
        ),
        max_size=3,
    ),
    read_next=opt(
        st.builds(
            ReadNext,
            heading=opt(nonblank.map(str.strip).filter(bool)),
            intro=opt(nonblank.filter(lambda t: t == t.strip("\n"))),
        )
    ),
    private=st.booleans(),
    extra=st.dictionaries(st.sampled_from(["mood", "shelf", "x-note"]), typed, max_size=2),
)


def _normal(book: Book) -> Book:
    """What a book is once stored: a review table with no keys is the same as none."""
    if book.review is not None and all(v in (None, False, {}) for v in vars(book.review).values()):
        book.review = None
    if book.read_next is not None and book.read_next == ReadNext():
        book.read_next = None
    return book


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(books_strategy)
def test_any_valid_book_survives_write_then_read(book):
    text = bookfile.dumps(book)
    assert bookfile.parse(text, "x.toml") == _normal(book)


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(books_strategy, typed, st.sampled_from(["rating", "why", "tags"]))
def test_editing_one_field_keeps_every_other_line(book, text, which):
    original = HAND_WRITTEN
    parsed = bookfile.parse(original, "x.toml")
    if which == "rating":
        parsed.rating = book.rating if book.rating is not None else 1
    elif which == "why":
        parsed.why = text or "why"
    else:
        parsed.tags = book.tags
    updated = bookfile.update(original, parsed)
    again = bookfile.parse(updated, "x.toml")
    assert again == parsed
    old_lines = original.splitlines()
    kept = [line for line in old_lines if line in updated.splitlines()]
    changed = [line for line in old_lines if line not in kept]
    assert all(line.startswith("rating") for line in changed), changed


@given(st.text(string.printable, max_size=40))
def test_round_trip_of_from_dict_never_raises_on_valid_text_fields(text):
    book = book_from_dict({"title": "T", "why": text})
    assert book.why == text
