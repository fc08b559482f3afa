"""Look-ups under what goes wrong (try-out 24a), against the local Open Library stand-in: an answer of the
wrong shape is no "no such book" and is not cached; a cover that is not an image is said; a title with a
first name as --author is still the one match."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest

import lookup_server as ol

SHAPE = ol.isbn13("978000000095")
WRONG = {"title": ["A", "list"], "works": "notalist", "authors": {"key": 5}, "number_of_pages": "lots"}


@pytest.fixture
def server(monkeypatch):
    yield from ol.serving(monkeypatch)


def cached_bodies(cache: Path) -> list[bytes]:
    return (
        [p.read_bytes() for p in (cache / "openlibrary").glob("*.body")]
        if (cache / "openlibrary").is_dir()
        else []
    )


def test_an_answer_of_the_wrong_shape_is_said_as_such_and_never_cached(run, server, tmp_path):
    server.answers[f"/isbn/{SHAPE}.json"] = WRONG
    said = run("lookup", SHAPE, code=1).stderr
    assert "cannot read" in said and "knows no" not in said, said
    assert not [b for b in cached_bodies(tmp_path / "cache") if b"notalist" in b]
    add = run("add", "Typed", "-a", "T. Author", "--isbn", SHAPE, "--lookup", "--status", "want").stderr
    assert "no such book" not in add and "cannot read" in add, add
    server.answers[f"/isbn/{SHAPE}.json"] = ol.edition("OL95M", "Mended", "OL6W", "OL6A")  # asked again
    assert "Mended" in run("lookup", SHAPE).stdout


def test_enrich_says_a_wrong_shape_failed_not_not_found(run, server, books):
    server.answers[f"/isbn/{SHAPE}.json"] = WRONG
    books.mkdir(parents=True)
    (books / "shape.toml").write_text(f'title = "Shape"\nisbn = "{SHAPE}"\n')
    data = json.loads(run("enrich", "--json", code=1).stdout)  # (exit 1: try-out 28c #5, test_s28_lead)
    assert data["books"][0]["outcome"] == "failed" and "cannot read" in data["books"][0]["note"]


def test_a_cover_that_is_not_an_image_is_said_by_add(run, server, books):
    said = run("add", "--isbn", ol.NOT_IMAGE, "--lookup", "--status", "want").stderr
    assert "note: no cover: cover 666 is not an image (text/html)" in said, said
    assert "cover" not in tomllib.loads((books / "not-an-image.toml").read_text())


def test_a_cover_that_is_not_an_image_is_said_by_enrich(run, server, books):
    books.mkdir(parents=True)
    (books / "notimage.toml").write_text(f'title = "Not An Image"\nisbn = "{ol.NOT_IMAGE}"\n')
    said = run("enrich").stderr
    assert (
        "notimage: filled year 1998" in said and "notimage: note: no cover: cover 666 is not an image" in said
    )
    assert json.loads(run("enrich", "--json", "--refresh").stdout)["books"][0]["note"].startswith("no cover")


def test_a_first_name_as_author_keeps_the_one_match(run, server):
    data = json.loads(run("lookup", "piranesi", "--author", "susanna", "--json").stdout)
    assert data["match"]["title"] == "Piranesi"  # (before: no match, "Several books match" over one book)
    assert json.loads(run("lookup", "the stranger", "--author", "albert", "--json").stdout)["match"][
        "authors"
    ] == ["Albert Camus"]


def test_one_close_book_is_not_called_several_and_author_is_not_advised_twice(run, server):
    result = run("lookup", "piranesi", "--author", "someone else")
    assert "Several books" not in result.stdout and "One book comes close to" in result.stdout
    assert "--author" not in result.stderr and "give the whole title" in result.stderr, result.stderr
