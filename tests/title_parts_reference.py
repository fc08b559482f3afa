"""`identity.title_parts` and `identity.title_stem` as they were before each took a shorter way for a plain
title (issue 25, goal 3), kept whole as the reference test_title_stem.py compares the live ones with. What
they share with the live code (bare_title, title_key, the patterns and word lists) was not changed. Session 20
cut title_stem's head at a full stop that may end a sentence (sentence_split) and before a volume alone in
parentheses (without_volume), here as there; session 21 made `volume`/`book` before a number `vol` (_vol) in
the markers and stopped the stem before a volume's word, here as there."""

from __future__ import annotations

from readlog.identity import (
    _APOSTROPHES,
    _EDITION_WORDS,
    _MARKER_HINTS,
    _PREFIX_ARTICLES,
    _SPLITS,
    _STEM_STOPS,
    _TRAILING_ARTICLE,
    PART_MARKER,
    _generic,
    _key,
    _vol,
    bare_title,
    sentence_split,
    without_volume,
)
from readlog.text import normalize


def title_parts(title: str) -> tuple[str, str | None, str, frozenset[str]]:
    """(main, sub, whole, markers), as TitleParts held them."""
    bare = bare_title(title)
    head, *rest = _SPLITS.split(bare, maxsplit=1)
    head_key = _key(head)
    main = head_key or _key(bare)
    sub = _key(rest[0]) if rest and head_key else None
    if sub is not None and (not sub or sub in _generic() or sub.rsplit(" ", 1)[-1] in _EDITION_WORDS):
        sub = None
    whole = f"{main} {sub}" if sub else main
    folded = bare.casefold()
    markers: frozenset[str] = frozenset()
    if any(hint in folded for hint in _MARKER_HINTS):
        markers = frozenset(m.group(0) for m in PART_MARKER.finditer(_vol(normalize(bare))))  # (session 21)
    return main, sub, whole, markers


def title_stem(title: str) -> str:
    head = sentence_split(_SPLITS.split(without_volume(bare_title(title)), maxsplit=1)[0])[0]  # (session 20)
    head = _TRAILING_ARTICLE.sub("", head)
    kept: list[str] = []
    for token in head.split():
        if "&" in token or token.casefold() == "and":
            break
        cut = _APOSTROPHES.split(token, maxsplit=1)
        if not kept and len(cut) > 1 and cut[0].casefold() in ("l", "d") and cut[1]:
            cut = _APOSTROPHES.split(cut[1], maxsplit=1)
        words = normalize(cut[0]).split()
        if not kept and len(words) == 1 and words[0] + " " in _PREFIX_ARTICLES and len(head.split()) > 1:
            continue
        if kept and words and words[0] in _STEM_STOPS:  # (session 21: a volume's word, written several ways)
            break
        if kept and token[:1] == "#" and token[1:2].isdigit():  # (session 27: `Saga #2` is `Saga, Vol. 2`)
            break
        if words and words[-1].endswith("s") and len(words[-1]) > 3:
            kept += [*words[:-1], words[-1][:-1]]
            break
        kept += words
        if len(cut) > 1:
            break
    return " ".join(kept)
