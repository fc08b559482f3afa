"""`readlog add --lookup` end to end. The option lives in cli/books.py, which the lifecycle work owns: these
tests skip until it is wired there (the exact lines are in the lookup branch's report), then run."""

from __future__ import annotations

import inspect
import tomllib

import pytest

import lookup_server as ol
from readlog.cli.books import add

pytestmark = pytest.mark.skipif(
    "lookup" not in inspect.signature(add).parameters,
    reason="`add --lookup` is not wired into cli/books.py yet",
)


@pytest.fixture
def server(monkeypatch):
    yield from ol.serving(monkeypatch)


def test_add_isbn_lookup_fills_title_authors_year_pages_and_cover(run, server, books, journal_home):
    assert "Added “Dune”" in run("add", "--isbn", ol.DUNE, "--lookup", "--status", "want").stderr
    data = tomllib.loads((books / "dune.toml").read_text())
    assert (data["title"], data["authors"], data["year"], data["pages"], data["cover"]) == (
        "Dune",
        ["Frank Herbert"],
        1965,
        528,
        "covers/dune.jpg",
    )
    assert (journal_home / "covers" / "dune.jpg").read_bytes() == ol.JPEG
    assert data["source"]["openlibrary"]["filled"] == ["title", "authors", "year", "pages", "series", "cover"]
    # A second look-up, with the server stopped, answers from the cache; what was typed still wins.
    server.stop()
    (books / "dune.toml").unlink()
    run("add", "--isbn", ol.DUNE, "--lookup", "--pages", "99")
    data = tomllib.loads((books / "dune.toml").read_text())
    assert (data["title"], data["pages"], data["year"]) == ("Dune", 99, 1965)


def test_add_lookup_offline_adds_what_was_typed(run, server, books):
    server.stop()
    result = run("add", "Dune", "-a", "Frank Herbert", "--lookup")
    assert "readlog: note: no look-up (cannot reach" in result.stderr
    data = tomllib.loads((books / "dune.toml").read_text())
    assert data["title"] == "Dune" and "year" not in data and "source" not in data


def test_add_lookup_in_a_script_fills_nothing_from_an_ambiguous_title(run, server, books):
    result = run("add", "The Stranger", "--author", "Nobody Known", "--lookup")
    assert "adding what you typed" in result.stderr
    assert "source" not in (books / "the-stranger.toml").read_text()
