"""A big import's parsing worker normalises each row's title once (issue 25, goal 3): its books row's stored
title, its lookup keys' typed key, what TitlesLike holds it under and its series key are all that one text
(identity.stored_title, kept per title; typed_title_key of a plain title is it), and a series' volume title
is worked out once for the title's ties and its twins' keys (identity.volume_title, kept per title). The
same answers as worked out each time."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from readlog import identity
from readlog.importers import detect
from readlog.importers.base import PreparedRow, _parse_chunk
from readlog.text import normalize

_HEADER = (
    "Book Id,Title,Author,Author l-f,Additional Authors,ISBN,ISBN13,My Rating,Average Rating,Publisher,Binding,"
    "Number of Pages,Year Published,Original Publication Year,Date Read,Date Added,Bookshelves,"
    "Bookshelves with positions,Exclusive Shelf,My Review,Spoiler,Private Notes,Read Count,Owned Copies"
)


def _row(title: str, book_id: int) -> list[str]:
    return [str(book_id), title, "Kofi Novak", "Novak, Kofi", "", '=""', '=""', "4", "3.9", "Press",
            "Paperback", "186", "2001", "1999", "2020/01/10", "2019/01/05", "fiction", "", "read",
            "A review.", "", "", "1", "0"]  # fmt: skip


def test_a_workers_row_normalises_its_title_once(tmp_path: Path, monkeypatch) -> None:
    export = tmp_path / "goodreads_library_export.csv"
    export.write_text(_HEADER + "\n", encoding="utf-8")
    importer = detect(export)
    titles = ["The Quiet of Light 7230 (Saga, #3)", "Orchard of Salt 7231", "A Lantern Unlit 7232"]
    asked: list[str] = []

    def counted(text: str) -> str:
        asked.append(text)
        return normalize(text)

    monkeypatch.setattr(identity, "normalize", counted)
    rows = [(n + 2, _row(title, 100 + n)) for n, title in enumerate(titles)]
    parsed = _parse_chunk(importer, _HEADER.split(","), rows, True)
    assert all(isinstance(item, PreparedRow) for item in parsed)
    # (on 886d78f each title 4 times: books row, lookup_keys, like_keys, series_key)
    for title in ("The Quiet of Light 7230", "Orchard of Salt 7231", "A Lantern Unlit 7232"):
        assert asked.count(title) == 1, (title, asked.count(title))


_ODD = ["Saga, Vol. 2", "Saga #2", "Saga (Saga, #2)", "Saga Volume Two", "Gormenghast (Part One)",
        "Remains of the Day, The", "Klara & the Sun", "L'Étranger", "C++", "A. Lincoln", "Dune", ""]  # fmt: skip
_TITLES = st.one_of(
    st.text(max_size=40),
    st.text(alphabet="abcXYZ 019#.,&'-:()", max_size=40),
    st.sampled_from(_ODD),
)


@settings(max_examples=400)
@given(_TITLES)
def test_the_titles_kept_answers_are_those_worked_out_each_time(title: str) -> None:
    assert identity.stored_title(title) == normalize(title)
    assert identity.stored_title(title) == identity.stored_title.__wrapped__(title)
    assert identity.volume_title(title) == identity.volume_title.__wrapped__(title)
    if title.isascii() and identity._TYPED_AS_IS.search(title) is None:
        assert identity.typed_title_key(title) == normalize(title)
