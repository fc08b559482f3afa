"""A LibraryThing row's short ways (issue 25, goal 3), each held to the way it stands in for: the source
table of a row of text kept in one pass (`_source(..., text_only=True)`) as the general loop keeps it, and
the answers kept per name, tag and medium (`first_last`, `_tag_name`, `_not_a_book`, `_whole`) as computed
afresh, a bad cell refused each time."""

from __future__ import annotations

import itertools
import random

import pytest

from readlog.importers import librarything as lt
from readlog.importers.base import SkipRow
from readlog.importers.common import RowError, whole

CELLS = ["", " ", "[]", " [] ", "[ ]", "x", " x ", "\tx\n", "[x]", "\u00a0", "é", "[]x", "0"]
MAPPED = {"Title", "Tags"}


def test_a_row_of_text_keeps_what_the_loop_keeps() -> None:
    keys = ["Title", "Tags", "Publication", "Summary", "Media"]
    for values in itertools.product(CELLS, repeat=3):
        for chosen in (keys[:3], keys[2:]):
            cells = dict(zip(chosen, values, strict=True))
            fast = lt._source(cells, MAPPED, text_only=True)
            slow = lt._source(cells, MAPPED, text_only=False)
            assert list(fast.items()) == list(slow.items()), cells


def test_a_real_shaped_row_keeps_the_same_table_in_the_same_order() -> None:
    rng = random.Random(29)
    names = [f"Column {n}" for n in range(40)] + sorted(lt.TSV_MAPPED)
    for _ in range(500):
        cells = {name: rng.choice(CELLS) for name in rng.sample(names, len(names))}
        fast = lt._source(cells, lt.TSV_MAPPED, text_only=True)
        assert list(fast.items()) == list(lt._source(cells, lt.TSV_MAPPED, text_only=False).items())


NAMES = ["Cortazar, Julio", "Hamlyn", "King, Jr., Martin Luther", "Ornish, Dean, M.D.", "&#039;Abd, X",
         "  Le  Guin,  Ursula K. ", "", " ", "O&#39;Brien, Tim", "Smith,", ",Smith"]  # fmt: skip
MEDIA = ["", "Book", "Paperback", "DVD", "Audio CD", "audiobook (CD)", "Blu-ray", "Music CD", "Ebook", "Film"]


def test_kept_answers_are_the_answers() -> None:
    for name in NAMES * 2:  # (the second time from what was kept)
        assert lt.first_last(name) == lt.first_last.__wrapped__(name)
        assert lt._tag_name(name) == lt._tag_name.__wrapped__(name)
    for medium in MEDIA * 2:
        assert lt._not_a_book(medium) == lt._not_a_book.__wrapped__(medium)
        slow = lt._NOT_A_BOOK.search(medium) and not lt._A_BOOK.search(medium)
        if medium.strip() and slow:
            with pytest.raises(SkipRow):
                lt.check_media(medium)
        else:
            lt.check_media(medium)
    for cell in ("3", " 3 ", "3.0", "", "0", "100001", "2.5", "x", "2.5"):
        try:
            expected: object = whole(cell, "Page Count", 1, 100_000)
        except RowError as error:
            expected = str(error)
        for _ in range(2):  # (a refused cell is refused again: an error is not kept)
            try:
                got: object = lt._whole(cell, "Page Count", 1, 100_000)
            except RowError as error:
                got = str(error)
            assert got == expected, cell
