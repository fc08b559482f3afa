"""`readlog check` suggests the merge that keeps the book that was in the journal first (its `added`): the
reader's own book, not the copy an e-reader's clippings made today, whichever of the two is listed first."""

from __future__ import annotations

import pytest


def write(books, slug: str, title: str, added: str | None) -> None:
    books.mkdir(parents=True, exist_ok=True)
    line = f"added = {added}\n" if added else ""
    (books / f"{slug}.toml").write_text(
        f'title = "{title}"\nauthors = ["Sonke Ahrens"]\nstatus = "read"\n{line}'
    )


@pytest.mark.parametrize("older_is_short", [True, False])
def test_the_suggested_merge_keeps_the_book_added_first(run, books, older_is_short):
    short, long = "How to Take Smart Notes", "How to Take Smart Notes: One Simple Technique for Writers"
    old_title, new_title = (short, long) if older_is_short else (long, short)
    write(books, "old-one", old_title, "2021-03-17")
    write(books, "new-one", new_title, "2026-12-06")
    out = run("check").stdout
    assert "maybe the same book" in out
    assert "readlog merge old-one new-one" in out and "readlog merge new-one old-one" not in out
