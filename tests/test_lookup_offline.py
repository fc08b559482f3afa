"""Look-ups that fail: only Open Library's own "no such book" is an answer (cached); a proxy's 404, a
network error or a server in trouble is said as what happened and asked again next time."""

from __future__ import annotations

import tomllib

import pytest

import lookup_server as ol


@pytest.fixture
def server(monkeypatch):
    yield from ol.serving(monkeypatch)


PROXY_404 = (404, {"Content-Type": "text/html"}, b"<html><body>404 Not Found (squid)</body></html>")


def test_a_proxys_404_is_reported_as_such_and_not_cached(run, server):
    server.script[f"/isbn/{ol.DUNE}.json"] = [PROXY_404]
    result = run("lookup", ol.DUNE, code=1)
    assert "knows no book" not in result.stderr
    assert result.stderr.startswith("readlog: error: 127.0.0.1:") and "answered 404" in result.stderr
    assert "text/html" in result.stderr and result.stderr.count("\n") == 1
    # asked again next time (nothing cached), and found
    assert "Dune" in run("lookup", ol.DUNE).stdout


def test_a_404_with_no_content_type_and_a_text_body_is_not_an_answer(run, server):
    server.script[f"/isbn/{ol.DUNE}.json"] = [(404, {"Content-Type": ""}, b"not here")]
    assert "answered 404" in run("lookup", ol.DUNE, code=1).stderr
    assert "Dune" in run("lookup", ol.DUNE).stdout


def test_open_librarys_own_not_found_is_cached(run, server):
    assert "knows no book" in run("lookup", ol.UNKNOWN, code=1).stderr
    asked = len(server.seen)
    assert "knows no book" in run("lookup", ol.UNKNOWN, code=1).stderr
    assert len(server.seen) == asked  # from the cache: Open Library said so itself


def test_a_server_error_is_not_cached_either(run, server, monkeypatch):
    server.script[f"/isbn/{ol.DUNE}.json"] = [(503, {"Retry-After": "0"}, b"")] * 4
    assert "having trouble" in run("lookup", ol.DUNE, code=1).stderr
    assert "Dune" in run("lookup", ol.DUNE).stdout


def test_add_by_isbn_alone_offline_is_one_clear_error(run, server, books):
    server.stop()
    result = run("add", "--isbn", ol.DUNE, "--lookup", code=1)
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"readlog: error: cannot add ISBN {ol.DUNE}")
    assert "cannot reach" in lines[0] and "give its title" in lines[0]
    assert "missing title" not in result.stderr and "adding what you typed" not in result.stderr
    assert not books.exists() or not list(books.glob("*.toml"))


def test_add_by_isbn_alone_behind_a_proxy_404_says_so_and_a_later_try_works(run, server, books):
    server.script[f"/isbn/{ol.DUNE}.json"] = [PROXY_404]
    result = run("add", "--isbn", ol.DUNE, "--lookup", code=1)
    assert "answered 404" in result.stderr and "knows no such book" not in result.stderr
    run("add", "--isbn", ol.DUNE, "--lookup")
    assert tomllib.loads((books / "dune.toml").read_text())["title"] == "Dune"


def test_add_by_an_unknown_isbn_says_open_library_knows_none(run, server, books):
    result = run("add", "--isbn", ol.UNKNOWN, "--lookup", code=1)
    assert "Open Library knows no such book" in result.stderr and result.stderr.count("\n") == 1
