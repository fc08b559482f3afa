"""Session 28's lead fixes (try-out 28c): each test fails on the code before it."""

from __future__ import annotations

import pytest

import lookup_server as ol


@pytest.fixture
def server(monkeypatch):
    yield from ol.serving(monkeypatch)


def test_add_lookup_fetches_the_cover_before_the_book_is_written(run, server, books):
    """Try-out 28c #3: `add --isbn X --lookup` wrote the book, then fetched the cover (up to 15 s), then its
    `[source.openlibrary]`: a Ctrl-C during the cover left a book whose Open Library values looked typed (no
    source table: `enrich --refresh` could never mend them) and said "nothing more was done". Every network
    wait now comes before the first write: while the cover is asked for, no book file is there."""
    there_while_asked: list[bool] = []
    answer = server.cover

    def cover(handler, path):
        there_while_asked.append((books / "dune.toml").exists())
        return answer(handler, path)

    server.cover = cover
    assert "Added “Dune”" in run("add", "--isbn", ol.DUNE, "--lookup", "--status", "want").stderr
    assert there_while_asked == [False]
    assert (books / "dune.toml").read_text().count("[source.openlibrary]") == 1
