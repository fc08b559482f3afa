"""Shorter ways for the titles an import meets most, each asked once per row in its main process, with the
same answers: text.slugify of an ASCII title of words and single spaces (the pattern's slug, for any text);
identity.bare_title of a title that ends in no bracket (the suffix pattern is not tried)."""

from __future__ import annotations

import re

from hypothesis import example, given, settings
from hypothesis import strategies as st

from readlog.identity import bare_title
from readlog.text import slugify

_NON_SLUG = re.compile(r"[^a-z0-9]+")


def _by_pattern(text: str) -> str:
    """slugify of an ASCII text as it was: the pattern, then the same limits (text.py)."""
    slug = _NON_SLUG.sub("-", text.lower()).strip("-")
    if len(slug) > 80:
        slug = slug[:80].rsplit("-", 1)[0] if "-" in slug[:80] else slug[:80]
    if not slug:
        return "book"
    return f"{slug}-book" if slug in {"con", "prn", "aux", "nul", "com1", "lpt1"} else slug


@settings(max_examples=1500, deadline=None)
@given(st.text(st.sampled_from("aZ09 x  \t-_.,#"), max_size=30))
@example("The Quiet of Light 0")
@example("Dune  Messiah")
@example(" Dune")
@example("Dune ")
@example("")
@example("   ")
@example("CON")
@example("Lpt1")
@example("a" * 79 + " bc")
def test_plain_titles_slug_as_the_pattern(text: str) -> None:
    assert slugify(text) == _by_pattern(text)


@settings(max_examples=800, deadline=None)
@given(st.text(st.sampled_from("ab (S, #1)[]Vol.2 Kindle Edition\t"), max_size=40))
@example("Saga [Saga, #2]")
@example("Dune [Kindle Edition] ")
@example("Dune (Dune #1) [Kindle Edition]")
@example("Dune (Book 2)")
def test_bare_title_as_the_pattern(title: str) -> None:
    bare_title.cache_clear()
    assert bare_title(title) == _bare_by_pattern(title)


def _bare_by_pattern(title: str) -> str:
    """identity.bare_title as it was: the suffix pattern tried on every title."""
    from readlog.identity import _TITLE_SUFFIX

    title = " ".join(title.split())
    while True:
        shorter = _TITLE_SUFFIX.sub("", title)
        if shorter == title or not shorter.strip():
            return title.strip()
        title = shorter
