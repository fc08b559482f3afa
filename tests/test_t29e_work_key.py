"""identity.pick_work_key and pick_keys take a shorter way for a plain title with no word that may mark a
part (most titles an index build meets: every book's own and its picks'): the same answers as the general
steps (title_parts), for any title."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from readlog import identity
from test_title_stem import any_titles, plain_titles


def _work_key(title: str) -> str:
    """pick_work_key by title_parts, always."""
    parts = identity.title_parts(title)
    return "" if parts.markers else parts.whole


def _pick_keys(title: str) -> list[str]:
    """pick_keys by title_parts, always."""
    keys = (
        []
        if identity._placed(title) is None and identity._unbracketed_name(title) is None
        else [identity.pick_title_key(title)]
    )
    keys = [f"{identity.PICK_KEY}{key}" for key in keys]
    work = _work_key(title)
    if work and work != identity.title_key(title):
        keys.append(f"{identity.WORK_KEY}{work}")
    return keys


def same(title: str) -> None:
    assert identity.pick_work_key(title) == _work_key(title), title
    assert identity.pick_keys(title) == _pick_keys(title), title


@settings(max_examples=1000, deadline=None)
@given(st.one_of(plain_titles, any_titles))
def test_any_title_as_by_title_parts(title: str) -> None:
    same(title)


def test_the_shorter_way_is_taken(monkeypatch) -> None:
    """A plain title asks title_parts nothing; one with a word that may mark a part, or anything else, does."""
    plain = ("The Archive of Archive 4908", "Never  Let Me Go", "1984", "A", "The")
    others = ("Saga Book 2", "Dune Volume Two", "The Complete Stories", "Never Let Me Go: A Novel")
    expected = {title: _work_key(title) for title in plain + others}
    asked: list[str] = []
    parts = identity.title_parts
    monkeypatch.setattr(identity, "title_parts", lambda title: asked.append(title) or parts(title))
    for title in plain:
        assert identity.pick_work_key(title) == expected[title]
        assert identity.pick_keys(title) == []
    assert asked == []
    for title in others:
        assert identity.pick_work_key(title) == expected[title]
    assert asked == list(others)
