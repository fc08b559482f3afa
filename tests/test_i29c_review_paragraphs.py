"""A Goodreads review of one-line paragraphs apart by `<br/><br/>` is read in one split (issue 25, goal 3:
`common._paragraphs`), and must read as the whole of html_to_markdown read it before (import_reference.py):
near misses at each paragraph's sides (the blank space `_breaks` takes, the blank space it leaves and
`clean_text` takes, the space it leaves for good), blank paragraphs, other breaks and markup beside them."""

from __future__ import annotations

import random

import import_reference as reference
from readlog.importers import common
from readlog.importers.common import html_to_markdown

# What may sit at a paragraph's sides: spaces and tabs (taken next to a break), other blank space (no-break
# space, NEL, line and paragraph separators, form feed: taken only at a line's end), and near misses of the
# paragraph tags and of what the short way leaves to the long one.
SIDES = ["", " ", "\t", " \t ", "\u00a0", " \u00a0", "\u00a0 ", "\x85", "\u2028", "\u2029", "\x0c", "\x0b",
         "\u3000", "\n", "\r", "\r\n", "<br/>", "<br>", "<br />", "_", "*", "`", "\\", "&amp;", "<i>x</i>",
         "[b:Dune|234225|Dune]", "\ue000", "x", "é", "<", ">"]  # fmt: skip
TAGS = ["<br/><br/>", "<br><br>", "<br/><br/><br/>", "<br><br><br>", "<br/><br/><br/><br/>", "<br/> <br/>",
        "<BR/><BR/>", "<br/><br>", "<br><br/>", "<div>", "</div>", "</div><div>"]  # fmt: skip


def _same(html: str, wrapped: tuple[str, ...] = ("{}", "<div>{}</div>")) -> None:
    for escape in (True, False):
        for text in (form.format(html) for form in wrapped):
            assert html_to_markdown(text, escape) == reference.html_to_markdown(text, escape), (text, escape)


def test_paragraph_sides_and_joints() -> None:
    for left in SIDES:
        for right in SIDES:
            for tag in TAGS:
                _same(f"{left}One{right}{tag}{left}Two{right}")
                _same(f"One{tag}{left}Two{right}{tag}{right}Three{left}")
                _same(f"{left}{tag}{right}")  # (a blank paragraph)
                _same(f"a_{left}{tag}{right}_b")  # (an underscore next to the break: escaped as before)


def test_many_paragraphs_at_random() -> None:
    rng = random.Random(29)
    for _ in range(3000):
        parts = [
            rng.choice(SIDES) + rng.choice(["word", "two words", "a_b", "*x*", ""]) + rng.choice(SIDES)
            for _ in range(rng.randint(1, 6))
        ]
        tag = rng.choice(TAGS[:2] * 5 + TAGS)  # (mostly the short way's own tags)
        _same(tag.join(parts), ("{}", "<div>{}</div>", "<div>{}", "{}</div>", " <div>{}</div>", "<p>{}</p>"))


def test_the_short_way_is_taken_for_the_plain_review() -> None:
    html = "First paragraph. <br/><br/>\tSecond one_ with *stars*.\u00a0<br/><br/>Third."
    assert common._paragraphs(html, True) == (
        "First paragraph.\n\nSecond one\\_ with \\*stars\\*.\n\nThird.\n"
    )
    _same(html)
    assert common._paragraphs("<div>One <br><br> two</div>", True) == "One\n\ntwo\n"
    assert common._paragraphs("<div> Only *one* </div>", True) == "Only \\*one\\*"  # (HTML shows no space)
    for other in ("One<br/>Two", "One<br/><br/>Two\nmore", "One &amp; two<br/><br/>x", "One<br/><br/><br>x"):
        assert common._paragraphs(other, True) is None
