"""A hand edit saved while readlog writes the same book is not lost (try-out 21a: a loop appending a comment
every 30 ms while `reflect` ran lost some of them): Journal.modify looks at the file once more just before
its new text replaces it, and makes its change again on what is there now. Deterministic: the "editor" saves
from inside the change, between modify's read and its write."""

from __future__ import annotations

import pytest

from readlog.errors import ConflictError
from readlog.journal import MODIFY_TRIES, Journal
from readlog.model import Reflection


def test_a_hand_edit_between_the_read_and_the_write_is_kept(run, books):
    run("add", "Race Book", "-a", "Someone")
    path = books / "race-book.toml"
    journal = Journal(books.parent)
    calls = []

    def change(book):
        calls.append(1)
        if len(calls) == 1:  # the editor saves now
            path.write_text(path.read_text() + "# hand note\n")
        book.reflections.append(Reflection(text="mine"))

    journal.modify("race-book", change)
    text = path.read_text()
    assert "# hand note" in text and 'text = "mine"' in text and text.count('text = "mine"') == 1
    assert len(calls) == 2


def test_a_file_that_keeps_changing_is_refused_and_left_as_it_is(run, books):
    run("add", "Busy Book", "-a", "Someone")
    path = books / "busy-book.toml"
    journal = Journal(books.parent)
    saves = []

    def change(book):
        saves.append(f"# save {len(saves)}\n")
        path.write_text(path.read_text() + saves[-1])
        book.reflections.append(Reflection(text="mine"))

    with pytest.raises(ConflictError, match="kept changing on disk"):
        journal.modify("busy-book", change)
    text = path.read_text()
    assert len(saves) == MODIFY_TRIES and all(save in text for save in saves) and "mine" not in text


def test_near_miss_no_edit_one_pass(run, books):
    run("add", "Calm Book", "-a", "Someone")
    calls = []
    Journal(books.parent).modify(
        "calm-book", lambda b: (calls.append(1), b.reflections.append(Reflection("x")))
    )
    assert len(calls) == 1 and 'text = "x"' in (books / "calm-book.toml").read_text()
