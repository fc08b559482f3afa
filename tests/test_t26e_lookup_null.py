"""Session 26 (t26e): a `null` where Open Library's answer should hold an object (the work, an author, the
search index's second look) is that thing missing: the look-up goes on with what it has. Only when nothing
is usable (the edition itself `null`) is it one clear line, exit 1, and never a traceback."""

from __future__ import annotations

import json

import pytest

import lookup_server as ol


@pytest.fixture
def server(monkeypatch):
    yield from ol.serving(monkeypatch)


@pytest.mark.parametrize("path", ["/works/OL893415W.json", "/authors/OL79034A.json"])
def test_a_null_work_or_author_is_missing_not_unreadable(run, server, path):
    server.answers[path] = b"null"
    match = json.loads(run("lookup", ol.DUNE, "--json").stdout)["match"]
    assert match["title"] == "Dune" and match["pages"] == 528  # the edition's, kept
    if "works" in path:
        assert match["subjects"] == [] and match["work"] == "/works/OL893415W"
    else:
        assert match["subjects"] == ["Science fiction", "Deserts", "Ecology"]
    server.answers[path] = ol.ANSWERS[path]  # the null is not kept in the cache: asked again, and known
    again = json.loads(run("lookup", ol.DUNE, "--json").stdout)["match"]
    assert again["subjects"] == ["Science fiction", "Deserts", "Ecology"]
    assert again["authors"] == ["Frank Herbert"]


def test_a_null_edition_is_one_line_that_it_cannot_be_read(run, server):
    server.answers["/books/OL9190193M.json"] = b"null"
    said = run("lookup", ol.DUNE, code=1).stderr
    assert said.startswith("readlog: error: ") and "cannot read" in said and len(said.splitlines()) == 1, said
