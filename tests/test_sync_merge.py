"""The book-aware three-way merge, without git: pure functions over parsed data and text."""

from __future__ import annotations

import tomllib
from datetime import UTC, date, datetime
from io import StringIO

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich.console import Console

from readlog import bookfile
from readlog.sync.conflicts import pending, record
from readlog.sync.describe import changes, message
from readlog.sync.driver import merge_texts
from readlog.sync.merge import MISSING, merge_data, merge_lines, merge_names, merge_text
from readlog.sync.render import render_conflicts
from test_bookfile import books_strategy

WHEN = datetime(2026, 11, 27, 20, 30, tzinfo=UTC)
D1, D2 = date(2026, 11, 20), date(2026, 11, 22)


def book(**fields):
    return {"schema": 1, "title": "Klara and the Sun", "authors": ["Kazuo Ishiguro"], **fields}


# --- scalars ---------------------------------------------------------------------------------------------
def test_a_change_on_one_side_wins_over_no_change():
    base = book(rating=4)
    assert merge_data(base, book(rating=4.5), base).data["rating"] == 4.5
    assert merge_data(base, base, book(rating=3)).data["rating"] == 3
    assert merge_data(base, book(rating=3), book(rating=3)).conflicts == []


def test_both_changed_differently_keeps_ours_and_reports_theirs():
    merged = merge_data(book(rating=4), book(rating=4.5), book(rating=3))
    assert merged.data["rating"] == 4.5
    assert [(c.field, c.ours, c.theirs) for c in merged.conflicts] == [("rating", 4.5, 3)]


def test_a_value_removed_on_one_side_and_changed_on_the_other_is_a_conflict():
    merged = merge_data(book(year=2021), book(), book(year=2020))
    assert "year" not in merged.data
    assert [(c.field, c.ours, c.theirs) for c in merged.conflicts] == [("year", MISSING, 2020)]


def test_an_int_and_a_float_are_different_values():
    merged = merge_data(book(rating=4), book(rating=4.0), book(rating=4))
    assert merged.data["rating"] == 4.0 and isinstance(merged.data["rating"], float)


def test_tags_and_authors_merge_as_sets():
    assert merge_names(["a", "b"], ["a", "b", "c"], ["b", "d"]) == ["b", "c", "d"]
    merged = merge_data(book(tags=["sf"]), book(tags=["sf", "japan"]), book(tags=["sf", "ai"]))
    assert merged.data["tags"] == ["sf", "japan", "ai"] and not merged.conflicts


def test_author_and_authors_are_one_field():
    base = {"title": "Dune", "author": "Frank Herbert"}
    merged = merge_data(base, {"title": "Dune", "authors": ["Frank Herbert", "X"]}, {**base, "year": 1965})
    assert merged.data == {"title": "Dune", "authors": ["Frank Herbert", "X"], "year": 1965}


def test_a_review_removed_on_one_side_and_edited_on_the_other_stays():
    base = book(review={"body": "old"})
    merged = merge_data(base, book(), book(review={"body": "old, and more"}))
    assert merged.data["review"] == {"body": "old, and more"} and merged.kept == ["review"]
    assert "review" not in merge_data(base, book(), base).data


def test_series_is_one_value():
    base = book(series={"name": "A", "number": "1"})
    merged = merge_data(
        base, book(series={"name": "B", "number": "1"}), book(series={"name": "A", "number": "2"})
    )
    assert merged.data["series"] == {"name": "B", "number": "1"}
    assert merged.conflicts[0].field == "series"


def test_a_series_renumbered_on_both_devices_is_a_conflict_not_two_numbers():
    base = book(schema=2, series=[{"name": "Dune", "number": "1"}])
    ours = book(schema=2, series=[{"name": "Dune", "number": "1B"}])
    theirs = book(schema=2, series=[{"name": "Dune", "number": "1A"}])
    merged = merge_data(base, ours, theirs)
    assert merged.data["series"] == [{"name": "Dune", "number": "1B"}]  # this device's stays in place
    assert [(c.field, c.ours, c.theirs) for c in merged.conflicts] == [("series[1].number", "1B", "1A")]
    # near misses: renumbered on one side only is that change; a second series on the other side is kept
    assert merge_data(base, base, theirs).data["series"] == [{"name": "Dune", "number": "1A"}]
    both = merge_data(
        base, ours, book(schema=2, series=[{"name": "Dune", "number": "1"}, {"name": "Arrakis"}])
    )
    assert (
        both.data["series"] == [{"name": "Dune", "number": "1B"}, {"name": "Arrakis"}] and not both.conflicts
    )


def test_unknown_keys_and_tables_merge_too():
    base = book(source={"goodreads": {"id": 1}})
    merged = merge_data(
        base, book(source={"goodreads": {"id": 1}, "mine": "x"}), book(source={"goodreads": {"id": 2}})
    )
    assert merged.data["source"] == {"goodreads": {"id": 2}, "mine": "x"}


# --- arrays of tables ----------------------------------------------------------------------------------
def test_reflections_added_on_both_sides_the_same_day_are_both_kept():
    base = book(reflections=[{"date": D1, "text": "old"}])
    ours = book(reflections=[{"date": D1, "text": "old"}, {"date": D2, "text": "mine"}])
    theirs = book(reflections=[{"date": D1, "text": "old"}, {"date": D2, "text": "yours"}])
    merged = merge_data(base, ours, theirs)
    assert [r["text"] for r in merged.data["reflections"]] == ["old", "mine", "yours"]
    assert not merged.conflicts


def test_the_same_item_added_on_both_sides_is_kept_once():
    quote = {"text": "Memories", "page": 262}
    merged = merge_data(book(), book(quotes=[quote]), book(quotes=[dict(quote)]))
    assert merged.data["quotes"] == [quote]


def test_removed_on_one_side_and_untouched_on_the_other_goes():
    base = book(reflections=[{"date": D1, "text": "a"}, {"date": D2, "text": "b"}])
    ours = book(reflections=[{"date": D1, "text": "a"}, {"date": D2, "text": "b"}, {"date": D2, "text": "c"}])
    theirs = book(reflections=[{"date": D2, "text": "b"}])
    assert [r["text"] for r in merge_data(base, ours, theirs).data["reflections"]] == ["b", "c"]


def test_removed_on_one_side_and_edited_on_the_other_stays():
    base = book(reflections=[{"date": D1, "text": "a"}])
    merged = merge_data(base, book(), book(reflections=[{"date": D1, "text": "a, edited"}]))
    assert merged.data["reflections"] == [{"date": D1, "text": "a, edited"}]
    assert merged.kept == ["reflections[1]"]


def test_an_edited_reflection_is_matched_by_its_date_and_its_text_line_merged():
    text = "line one\nline two\nline three"
    base = book(reflections=[{"date": D1, "text": text}])
    ours = book(reflections=[{"date": D1, "text": text.replace("one", "ONE")}])
    theirs = book(reflections=[{"date": D1, "text": text.replace("three", "THREE")}])
    merged = merge_data(base, ours, theirs)
    assert merged.data["reflections"] == [{"date": D1, "text": "line ONE\nline two\nline THREE"}]


def test_a_reading_that_gains_a_finish_is_the_same_reading():
    base = book(reads=[{"started": D1}])
    ours = book(reads=[{"started": D1, "finished": D2}])
    theirs = book(reads=[{"started": D1, "rating": 4}])
    merged = merge_data(base, ours, theirs)
    assert merged.data["reads"] == [{"started": D1, "finished": D2, "rating": 4}]


def test_a_reading_finished_on_different_days_is_a_conflict_inside_the_item():
    base = book(reads=[{"started": D1}])
    merged = merge_data(
        base,
        book(reads=[{"started": D1, "finished": D2}]),
        book(reads=[{"started": D1, "finished": "2026-12"}]),
    )
    assert merged.data["reads"] == [{"started": D1, "finished": D2}]
    assert [c.field for c in merged.conflicts] == ["reads[1].finished"]


def test_quotes_match_by_key_when_they_have_one():
    base = book(quotes=[{"key": "q1", "text": "A", "page": 3}])
    ours = book(quotes=[{"key": "q1", "text": "A", "page": 4}])
    theirs = book(quotes=[{"key": "q1", "text": "A", "page": 3, "note": "mine"}])
    assert merge_data(base, ours, theirs).data["quotes"] == [
        {"key": "q1", "text": "A", "page": 4, "note": "mine"}
    ]


def test_picks_match_by_title_and_author():
    base = book(next=[{"title": "Never Let Me Go", "authors": ["Kazuo Ishiguro"]}])
    ours = book(next=[{"title": "never let me go", "authors": ["Kazuo Ishiguro"], "why": "same author"}])
    theirs = book(next=[{"title": "Never Let Me Go", "authors": ["Kazuo Ishiguro"]}, {"title": "Dune"}])
    merged = merge_data(base, ours, theirs).data["next"]
    assert merged == [
        {"title": "never let me go", "authors": ["Kazuo Ishiguro"], "why": "same author"},
        {"title": "Dune"},
    ]


def test_files_added_on_both_sides_merge_as_a_union():
    ours = book(rating=4, reflections=[{"date": D1, "text": "a"}])
    theirs = book(rating=4, reflections=[{"date": D1, "text": "b"}], year=2021)
    merged = merge_data(None, ours, theirs)
    assert merged.data["year"] == 2021 and len(merged.data["reflections"]) == 2 and not merged.conflicts


# --- text ------------------------------------------------------------------------------------------------
REVIEW = "First paragraph.\n\nSecond paragraph.\n\nThird paragraph.\n"


def test_text_edited_in_different_paragraphs_merges():
    ours = REVIEW.replace("First", "My first")
    theirs = REVIEW.replace("Third", "Their third")
    assert (
        merge_text(REVIEW, ours, theirs)
        == "My first paragraph.\n\nSecond paragraph.\n\nTheir third paragraph.\n"
    )


def test_text_edited_in_the_same_paragraph_does_not_merge():
    assert merge_text(REVIEW, REVIEW.replace("Second", "2nd"), REVIEW.replace("Second", "Other")) is None


def test_edits_with_no_unchanged_line_between_conflict_as_in_git():
    assert merge_lines(["a", "b"], ["A", "b"], ["a", "B"]) is None
    assert merge_lines(["a", "x", "b"], ["A", "x", "b"], ["a", "x", "B"]) == ["A", "x", "B"]


def test_the_same_edit_on_both_sides_is_no_conflict():
    assert merge_lines(["a"], ["a", "b"], ["a", "b"]) == ["a", "b"]


def test_a_review_edited_in_the_same_paragraph_keeps_ours_and_records_theirs():
    base = book(review={"body": REVIEW})
    ours = book(review={"body": REVIEW.replace("Second", "2nd")})
    theirs = book(review={"body": REVIEW.replace("Second", "Other")})
    merged = merge_data(base, ours, theirs)
    assert merged.data["review"]["body"] == ours["review"]["body"]
    assert [(c.field, c.theirs) for c in merged.conflicts] == [("review.body", theirs["review"]["body"])]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.sampled_from(["a", "b", "c", ""]), max_size=8),
    st.lists(st.sampled_from(["a", "b", "c", "d", ""]), max_size=8),
    st.lists(st.sampled_from(["a", "b", "c", "e", ""]), max_size=8),
)
def test_line_merge_laws(base, ours, theirs):
    assert merge_lines(base, ours, base) == ours
    assert merge_lines(base, base, theirs) == theirs
    assert merge_lines(base, ours, ours) == ours
    merged = merge_lines(base, ours, theirs)
    if merged is not None:  # every line either side added survives
        for line in {*ours, *theirs} - set(base):
            assert line in merged


values = st.one_of(
    st.integers(-5, 5), st.text(max_size=5), st.dates(), st.lists(st.text(max_size=3), max_size=3)
)
tables = st.dictionaries(st.sampled_from(["title", "rating", "tags", "why", "x"]), values, max_size=5)


@settings(max_examples=200, deadline=None)
@given(tables, tables, tables)
def test_merge_laws(base, ours, theirs):
    assert merge_data(base, ours, base).data == ours
    assert merge_data(base, base, theirs).data == theirs
    assert merge_data(base, ours, ours).data == ours
    merged = merge_data(base, ours, theirs)
    for conflict in merged.conflicts:  # ours stays in place, theirs is recorded
        assert merged.data.get(conflict.field, MISSING) == conflict.ours


# --- recording conflicts ---------------------------------------------------------------------------------
def test_a_conflict_is_recorded_once():
    merged = merge_data(book(rating=4), book(rating=4.5), book(rating=3))
    data = record(merged.data, merged.conflicts, WHEN)
    assert data["conflicts"] == [{"field": "rating", "ours": 4.5, "theirs": 3, "when": WHEN}]
    assert record(data, merged.conflicts, WHEN) == data


KLARA = """\
schema = 1
title = "Klara and the Sun"
authors = ["Kazuo Ishiguro"]
rating = 4  # after the second reading

[review]
body = '''
First paragraph.

Second paragraph.
'''
"""


def test_the_driver_edits_ours_keeping_its_comments_and_records_conflicts():
    ours = KLARA.replace("rating = 4 ", "rating = 4.5 ").replace("First", "My first")
    theirs = KLARA.replace("rating = 4 ", "rating = 3 ").replace("Second", "Their second")
    text, fields = merge_texts(KLARA, ours, theirs, "books/klara-and-the-sun.toml", WHEN)
    assert fields == ["rating"]
    assert "rating = 4.5  # after the second reading" in text
    parsed = bookfile.parse(text, "merged")
    assert parsed.review.body == "My first paragraph.\n\nTheir second paragraph.\n"
    assert tomllib.loads(text)["conflicts"] == [{"field": "rating", "ours": 4.5, "theirs": 3, "when": WHEN}]
    assert "<<<<<<<" not in text


def test_the_driver_keeps_keys_readlog_does_not_know_inside_tables():
    base = KLARA + '\n[[reflections]]\ndate = 2026-11-20\ntext = "a"\n'
    ours = base.replace("rating = 4 ", "rating = 5 ")
    theirs = (
        base.replace('text = "a"', 'text = "a"\nmood = "quiet"')
        + '\n[[reflections]]\ntext = "b"\nmood = "loud"\n'
    )
    text, _ = merge_texts(base, ours, theirs, "books/klara-and-the-sun.toml", WHEN)
    data = tomllib.loads(text)
    assert data["rating"] == 5
    assert data["reflections"] == [
        {"date": D1, "text": "a", "mood": "quiet"},
        {"text": "b", "mood": "loud"},
    ]


def test_a_private_book_merges_and_rewrites():
    # found by the property test below: tomlkit gives `private = true` back as a plain bool
    base = 'title = "X"\nprivate = true\nrating = 3\n'
    text, _ = merge_texts(
        base, base.replace("rating = 3", "rating = 4"), base.replace("true", "false"), "books/x.toml", WHEN
    )
    assert text == 'title = "X"\nprivate = false\nrating = 4\n'


def test_the_driver_refuses_what_does_not_parse():
    from readlog.errors import BookFileError

    with pytest.raises(BookFileError):
        merge_texts(KLARA, KLARA + "rating = [", KLARA, "books/x.toml", WHEN)
    with pytest.raises(BookFileError):
        merge_texts(KLARA, KLARA.replace("schema = 1", "schema = 99"), KLARA, "books/x.toml", WHEN)
    with pytest.raises(BookFileError, match="other device's version"):  # valid TOML, not a valid book
        merge_texts(KLARA, KLARA, KLARA + "\n[[reads]]\nrating = 11\n", "books/x.toml", WHEN)
    with pytest.raises(BookFileError):
        merge_texts(KLARA, KLARA, KLARA.replace("[review]", "reads = [1, 2]\n[review]"), "books/x.toml", WHEN)


def test_show_marks_conflicts():
    from readlog.model import book_from_dict

    merged = merge_data(book(rating=4), book(rating=4.5), book(rating=3))
    written = bookfile.dumps(book_from_dict(record(merged.data, merged.conflicts, WHEN)))
    parsed = bookfile.parse(written, "x")
    console = Console(width=100, file=StringIO(), color_system=None)
    console.print(render_conflicts(parsed, "klara-and-the-sun"))
    out = console.file.getvalue()
    assert "rating: here 4.5 (in place), other device 3  (2026-11-27 20:30)" in out
    assert "readlog resolve klara-and-the-sun rating --ours|--theirs" in out  # (the one field: named)
    assert [c.field for c in pending(parsed)] == ["rating"]
    assert render_conflicts(book_from_dict(book()), "x") is None


# --- in words --------------------------------------------------------------------------------------------
def _model(**fields):
    from readlog.model import book_from_dict

    return book_from_dict(book(**fields))


def test_changes_in_words():
    before = _model(status="reading", reads=[{"started": D1}], review={"body": "one two three"})
    after = _model(
        status="read",
        rating=4.5,
        reads=[{"started": D1, "finished": D2}],
        review={"body": "one two three four five"},
        reflections=[{"date": D2, "text": "x"}],
    )
    found = changes(before, after)
    assert [c.line("Klara and the Sun") for c in found] == [
        'finish "Klara and the Sun" (4.5)',
        'edit the review of "Klara and the Sun", +2 words',
        'reflect on "Klara and the Sun"',
    ]
    assert [c.past for c in found] == ["finished, rated 4.5", "review edited, +2 words", "reflection added"]
    assert [c.past for c in changes(None, before)] == ["added", "reviewed, 3 words"]
    assert [c.past for c in changes(before, None)] == ["removed"]
    assert message(["a", "b", "c", "d"]).splitlines()[0] == "a; b; c; and 1 more"


# --- resolve, on the journal (no git needed) -------------------------------------------------------------
CONFLICTED = """\
title = "Klara and the Sun"
authors = ["Kazuo Ishiguro"]
year = 2021

[[reflections]]
date = 2026-11-20
text = "mine"

[[reflections]]
date = 2026-11-21
text = "other"

[[conflicts]]
field = "reflections[1].text"
ours = "mine"
theirs = "yours"
when = 2026-11-27T20:30:00Z

[[conflicts]]
field = "year"
ours = 2021
when = 2026-11-27T20:30:00Z
"""


def test_resolve_theirs_puts_the_other_value_in_place(run, books):
    books.mkdir(parents=True)
    (books / "klara-and-the-sun.toml").write_text(CONFLICTED)
    check = run("check", code=1).stdout
    assert "klara-and-the-sun.toml:13: both devices changed reflections[1].text" in check
    assert (
        "klara-and-the-sun.toml:19: both devices changed year "
        "(here 2021, other (none); this device's is in place)" in check
    )
    run("resolve", "klara-and-the-sun", "reflections", "--theirs")
    text = (books / "klara-and-the-sun.toml").read_text()
    assert [r["text"] for r in tomllib.loads(text)["reflections"]] == ["yours", "other"]
    assert [c["field"] for c in tomllib.loads(text)["conflicts"]] == ["year"]
    run("resolve", "klara-and-the-sun", "year", "--theirs")  # the other device had removed it
    text = (books / "klara-and-the-sun.toml").read_text()
    assert "year" not in tomllib.loads(text) and "conflicts" not in tomllib.loads(text)
    run("check")


def test_resolve_finds_a_moved_item_by_its_value(run, books):
    books.mkdir(parents=True)
    moved = CONFLICTED.replace('text = "mine"', 'text = "first"', 1).replace(
        'text = "other"', 'text = "mine"'
    )
    (books / "klara-and-the-sun.toml").write_text(moved)
    run("resolve", "klara-and-the-sun", "reflections[1].text", "--theirs")
    text = (books / "klara-and-the-sun.toml").read_text()
    assert [r["text"] for r in tomllib.loads(text)["reflections"]] == ["first", "yours"]


# --- any three valid books -------------------------------------------------------------------------------


@settings(max_examples=100, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(books_strategy, books_strategy, books_strategy)
def test_any_three_books_merge_into_a_valid_book(base, ours, theirs):
    texts = [bookfile.dumps(b) for b in (base, ours, theirs)]
    merged, fields = merge_texts(*texts, "books/x.toml", WHEN)
    result = bookfile.parse(merged, "merged")
    assert [c.field for c in pending(result)] == fields
    # a change on one side only is that side's version
    one_side, _ = merge_texts(texts[0], texts[0], texts[2], "books/x.toml", WHEN)
    assert bookfile.parse(one_side, "x") == bookfile.parse(texts[2], "x")
    unchanged_there, _ = merge_texts(texts[0], texts[1], texts[0], "books/x.toml", WHEN)
    assert unchanged_there == texts[1]


def test_user_text_in_conflicts_and_history_is_shown_not_obeyed():
    from readlog.model import book_from_dict
    from readlog.sync.history import LogEntry
    from readlog.sync.render import render_log

    merged = merge_data(book(why="a"), book(why="\x1b[31mred"), book(why="[bold]x[/bold]"))
    parsed = book_from_dict(record(merged.data, merged.conflicts, WHEN))
    console = Console(width=100, file=StringIO(), force_terminal=True, color_system=None)
    console.print(render_conflicts(parsed, "x"))
    console.print(render_log([LogEntry("c", "2026-11-27T00:00:00", 'finish "\x1b]0;t\x07"')], book=False))
    out = console.file.getvalue()
    assert "\x1b]0;" not in out and "\x1b[31m" not in out and "[bold]x[/bold]" in out


# --- which device wrote each side (issue 23) -----------------------------------------------------------
@pytest.mark.parametrize(
    ("ours_device", "theirs_device", "me", "here", "other", "swapped"),
    [
        ("desk", "laptop", "desk", 3.5, 4.5, False),  # the device that merged: here is the value in place
        ("desk", "laptop", "laptop", 4.5, 3.5, True),  # the other one, after a fast-forward
        ("desk", None, "laptop", 4.5, 3.5, True),  # the other side's name unknown: two devices
        ("desk", "laptop", "phone", 3.5, 4.5, False),  # a third device: neither is its own; in place
        (None, None, "laptop", 3.5, 4.5, False),  # recorded by an older readlog: as before
        ("desk", "laptop", None, 3.5, 4.5, False),  # no name here (not a repository): as before
        ("desk", "desk", "desk", 3.5, 4.5, False),  # one name on both sides: nothing to tell apart
    ],
)
def test_here_is_always_this_device(ours_device, theirs_device, me, here, other, swapped):
    from readlog.sync.conflicts import Recorded, perspective

    sides = perspective(Recorded("rating", 3.5, 4.5, None, ours_device, theirs_device), me)
    assert (sides.here, sides.other, sides.swapped) == (here, other, swapped)


def test_a_recorded_conflict_names_the_devices_and_is_recorded_once():
    from readlog.sync.merge import Conflict

    conflict = Conflict("rating", 3.5, 4.5)
    when = datetime(2026, 11, 27, tzinfo=UTC)
    data = record({"title": "Klara"}, [conflict], when, ("desk", "laptop"))
    assert data["conflicts"] == [
        {"field": "rating", "ours": 3.5, "theirs": 4.5, "ours_device": "desk", "theirs_device": "laptop",
         "when": when}
    ]  # fmt: skip
    again = record(data, [conflict], when, ("desk", None))  # the same values: not recorded twice
    assert again["conflicts"] == data["conflicts"]
    other = record(data, [Conflict("rating", 3.5, 2.0)], when, ("desk", "phone"))
    assert len(other["conflicts"]) == 2
