"""Session 23's review and try-out: with *Lodz Diary* and *Łódź Diary* (or *Aegir* and *Ægir*), typing the
plain title rated the plain one without asking, where *Angel* beside *Ángel* is refused naming both: a
letter that does not decompose (`ł`, `æ`, `œ`) is left out as an accent is. Mutation: `folded_letters`
taken out of identity._unaccented: the rating lands on the plain book and this fails."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    "plain, other", [("Lodz Diary", "Łódź Diary"), ("Aegir", "Ægir"), ("Oeuvre Notes", "Œuvre Notes")]
)
def test_a_folded_letter_is_an_accent_left_out(run, plain, other):
    run("add", plain, "-a", "A One")
    run("add", other, "-a", "B Two")
    said = run("rate", plain, "3", code=1).stderr
    assert "matches several books" in said and other in said
    run("rate", other, "3")  # the letter given names its book
