"""Notes to self are never published, wherever the reader wrote them (a review of this session's diff found
each of these published or shown): inside an HTML block, after a closed comment in the same block, in a
footnote's text, after an escaped `\\<!--` earlier in the text, after a lone backtick typed for an
apostrophe, in a wanted book's own `why`; and a review that was only a note to self is no review."""

from __future__ import annotations

import pytest

from readlog.model import Book, Review
from readlog.privacy import hidden, open_comment, public_book, without_comments


@pytest.mark.parametrize(
    ("text", "kept", "opened"),
    [
        ("<details>\nThe butler did it <!-- I guessed on p. 12 -->\n</details>", "The butler did it", None),
        ("<br>\nMy thoughts <!-- secret -->", "My thoughts", None),
        ("<div>\n<!-- secret -->\n</div>", "</div>", None),
        ("<!-- a --> visible <!-- secret\nmore secret", "visible", 1),
        ("A.[^1]\n\n[^1]: First.\n\n    Second <!-- secret --> end.", "Second end.", None),
        ("A.[^1]\n\n[^1]: <!-- secret -->", "A.[^1]", None),
        ("Use \\<!-- in HTML.\n\nSecret <!-- my private note --> here.", "Secret here.", None),
        ("Don`t forget <!-- my secret, never closed\n\nmore secret", "Don`t forget", 1),
    ],
)
def test_a_note_to_self_is_taken_out_wherever_it_stands(text, kept, opened):
    out = without_comments(text)
    assert "secret" not in out and "guessed" not in out and "private note" not in out
    assert kept in out
    assert open_comment(text) == opened


def test_what_is_not_a_note_stays():
    for text in ("Code `<!-- not a note -->` stays.", "```\n<!-- code -->\n```", "Use \\<!-- in HTML."):
        assert without_comments(text) == text


def test_a_wanted_books_why_is_published_without_its_note():
    book = Book(title="T", status="want", why="gift from Ann <!-- she has awful taste -->")
    public = public_book(book)
    assert public is not None and public.why == "gift from Ann" and "taste" in book.why


def test_a_review_that_was_only_a_note_is_no_review_and_not_called_private():
    book = Book(title="T", review=Review(body="<!-- draft: hated it -->"))
    public = public_book(book)
    assert public is not None and public.review is None
    assert not hidden(book)  # (nothing private was left out: a note to self is not counted)


def test_a_removal_beside_a_book_that_is_only_maybe_the_same_is_no_merge():
    """sync's commit message calls a removal a merge only when the other book surely holds the removed one
    (one of its ids, or surely the same work): `The Expanse: Leviathan Wakes` removed while `Leviathan Wakes`
    was rated (only maybe the same book: kept apart) is a removal and a rating, not a merge (review of
    session 22)."""
    from readlog.sync.describe import merged_into

    corey = ["James S. A. Corey"]
    expanse = Book(title="The Expanse: Leviathan Wakes", authors=corey)
    wakes = Book(title="Leviathan Wakes", authors=corey)
    assert not merged_into(expanse, wakes, Book(title="Leviathan Wakes", authors=corey, rating=5))
    twin = Book(title="Dune", authors=["Frank Herbert"], isbn="9780441013593")
    took = Book(title="Dune", authors=["Frank Herbert"], isbn="9780441013593", rating=5)
    assert merged_into(Book(title="Dune", authors=["Frank Herbert"], rating=5), twin, took)


def test_check_names_an_unclosed_note_in_a_wanted_books_why(run, books):
    """`readlog check` looks at the texts a note may stand in as publishing takes notes out of them (one
    list, privacy.note_fields): a wanted book's own why too."""
    books.mkdir(parents=True)
    (books / "t.toml").write_text(
        'title = "T"\nstatus = "want"\nwhy = "a gift <!-- never closed"\n', encoding="utf-8"
    )
    said = run("check").stdout + run("check").stderr
    assert "why: a `<!--` on line 1 of the book's why is never closed" in said
