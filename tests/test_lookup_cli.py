"""`readlog lookup` and `readlog enrich` end to end, against the local Open Library stand-in."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import pytest

import lookup_server as ol
from conftest import REPO
from readlog.errors import ReadlogError


@pytest.fixture
def server(monkeypatch):
    yield from ol.serving(monkeypatch)


def write_book(books: Path, slug: str, text: str) -> Path:
    books.mkdir(parents=True, exist_ok=True)
    path = books / f"{slug}.toml"
    path.write_text(text)
    return path


# --- lookup ------------------------------------------------------------------------------------------
def test_lookup_by_isbn_shows_what_open_library_knows(run, server):
    out = run("lookup", "978-0-441-01359-3").stdout
    for expected in (
        "Dune",
        "by Frank Herbert",
        "first published 1965  ·  528 pages",
        f"ISBN: {ol.DUNE}, 0441013597",
        "Series: Dune Chronicles #1",
        "Subjects: Science fiction, Deserts, Ecology",
        f"Cover: {server.base}/b/id/11481354-L.jpg",
        "Open Library: /works/OL893415W /books/OL9190193M",
    ):
        assert expected in out, out


def test_lookup_json(run, server):
    data = json.loads(run("lookup", ol.DUNE, "--json").stdout)
    assert data["query"] == ol.DUNE and data["candidates"] == []
    assert data["match"] == {
        "title": "Dune",
        "authors": ["Frank Herbert"],
        "year": 1965,
        "pages": 528,
        "pages_from": "edition",
        "isbns": [ol.DUNE, "0441013597"],
        "series": {"name": "Dune Chronicles", "number": "1"},
        "subjects": ["Science fiction", "Deserts", "Ecology"],
        "cover_id": 11481354,
        "work": "/works/OL893415W",
        "edition": "/books/OL9190193M",
    }


def test_lookup_by_title_completes_the_clear_match_from_its_edition(run, server):
    data = json.loads(run("lookup", "The Left Hand of Darkness", "--author", "Le Guin", "--json").stdout)
    match = data["match"]
    assert (match["title"], match["year"], match["pages"], match["pages_from"]) == (
        "The Left Hand of Darkness",
        1969,
        304,
        "edition",
    )
    assert match["series"] == {"name": "Hainish Cycle", "number": "4"}
    assert match["isbns"] == [ol.isbn13("978044100731")]
    assert server.paths()[-1] == "/books/OL7M.json"


def test_an_ambiguous_title_lists_numbered_candidates(run, server):
    result = run("lookup", "The Stranger")
    assert "1. The Stranger — Albert Camus (1942)" in result.stdout
    assert "2. The Stranger — Harlan Coben (2015)" in result.stdout
    assert "3. The Stranger — Kate Riordan (2019)" in result.stdout
    assert "several books match: narrow it with --author" in result.stderr
    data = json.loads(run("lookup", "The Stranger", "--json").stdout)
    assert data["match"] is None and len(data["candidates"]) == 3
    # The author decides it.
    assert json.loads(run("lookup", "the stranger", "-a", "camus", "--json").stdout)["match"]["year"] == 1942


def test_one_candidate_that_is_no_clear_match_is_not_several(run, server):
    docs = [ol.doc("OL99W", "The Stranger in the Woods", ["Michael Finkel"], first_publish_year=2017)]
    body = json.dumps({"numFound": 1, "start": 0, "docs": docs}).encode()
    server.script["/search.json"] = [(200, {"Content-Type": "application/json"}, body)]
    result = run("lookup", "The Stranger")
    assert "1. The Stranger in the Woods" in result.stdout
    assert "one book comes close, not surely: narrow it with --author" in result.stderr
    assert "several" not in result.stderr


def test_an_unknown_isbn_or_title_is_exit_1(run, server):
    assert run("lookup", ol.UNKNOWN, code=1).stderr.strip() == (
        f"readlog: error: Open Library knows no book '{ol.UNKNOWN}'"
    )
    run("lookup", "No Such Book Anywhere", code=1)


def test_offline_is_one_line_and_exit_1_and_the_cache_answers_when_it_can(run, server):
    first = run("lookup", ol.DUNE).stdout
    server.stop()
    assert run("lookup", ol.DUNE).stdout == first  # from the cache
    result = run("lookup", ol.EARTHSEA, code=1)
    assert result.stderr.startswith("readlog: error: cannot reach 127.0.0.1:") and "offline?" in result.stderr
    assert result.stderr.count("\n") == 1 and result.stdout == ""


def test_refresh_when_offline_says_the_answer_is_the_one_kept(run, server):
    # The try-out: `lookup --refresh ISBN` with the server down showed the cached answer, rc 0, no word.
    first = run("lookup", ol.DUNE)
    assert "kept from before" not in first.stderr  # (a fresh answer from the network: nothing to say)
    server.stop()
    again = run("lookup", ol.DUNE, "--refresh")
    assert again.stdout == first.stdout
    assert again.stderr.startswith("readlog: note: cannot reach 127.0.0.1:")
    assert "this is Open Library's answer kept from before" in again.stderr
    assert "kept from before" not in run("lookup", ol.DUNE).stderr  # (fresh in the cache: asked nothing)


def test_refresh_asks_the_server_again(run, server):
    run("lookup", ol.DUNE)
    seen = len(server.seen)
    run("lookup", ol.DUNE)
    assert len(server.seen) == seen
    run("lookup", ol.DUNE, "--refresh")
    assert len(server.seen) == 2 * seen


def test_one_request_a_second_and_the_user_agent_seen_by_the_server(run, monkeypatch, server):
    monkeypatch.delenv("READLOG_OPENLIBRARY_PACE")
    run("lookup", ol.EARTHSEA)  # edition, work, author: three requests
    arrivals = [s.at for s in server.seen]
    assert len(arrivals) == 3
    assert all(b - a >= 0.95 for a, b in zip(arrivals, arrivals[1:], strict=False)), arrivals
    assert {s.user_agent for s in server.seen} == {"readlog/0.1.0 (reader@example.org)"}


def test_a_hostile_answer_is_shown_not_obeyed(run, server):
    out = run("lookup", ol.MARKUP).stdout
    assert "[bold]Evil & Title" in out and "[31m" not in out and "\x1b" not in out and "\u202e" not in out


# --- enrich ------------------------------------------------------------------------------------------
TYPED = f"""schema = 1
title = "Dune"
authors = ["Frank Herbert"]
status = "read"
pages = 412   # my copy
isbn = "{ol.DUNE}"

[source.goodreads]
"Book Id" = "234225"
"""


def test_enrich_fills_only_what_is_missing_and_records_where_it_came_from(run, server, books, journal_home):
    write_book(books, "dune", TYPED)
    write_book(books, "piranesi", 'title = "Piranesi"\nauthors = ["Susanna Clarke"]\nyear = 2021\n')
    write_book(books, "the-stranger", 'title = "The Stranger"\n')
    result = run("enrich")
    assert result.stdout == ""  # what was filled is a confirmation, on stderr
    assert "dune: filled year 1965, cover 11481354" in result.stderr
    assert "piranesi: filled pages 272" in result.stderr
    assert result.stderr.splitlines()[-1] == (
        "enrich: 2 books filled (cover 1, pages 1, year 1), 1 ambiguous (give them an ISBN)"
    )
    assert "the-stranger: ambiguous: The Stranger by Albert Camus (1942)" in result.stderr
    dune = (books / "dune.toml").read_text()
    assert "pages = 412   # my copy" in dune  # the reader's value and comment, untouched
    data = tomllib.loads(dune)
    assert (data["year"], data["pages"], data["cover"]) == (1965, 412, "covers/dune.jpg")
    assert data["source"]["goodreads"] == {"Book Id": "234225"}
    assert data["source"]["openlibrary"]["work"] == "/works/OL893415W"
    assert data["source"]["openlibrary"]["edition"] == "/books/OL9190193M"
    assert data["source"]["openlibrary"]["filled"] == ["year", "cover"]
    assert (journal_home / "covers" / "dune.jpg").read_bytes() == ol.JPEG
    piranesi = tomllib.loads((books / "piranesi.toml").read_text())
    assert piranesi["year"] == 2021 and piranesi["pages"] == 272 and "isbn" not in piranesi  # no ISBN known
    # A second run has nothing left to fill, and asks the network nothing new.
    seen = len(server.seen)
    again = run("enrich")
    assert again.stderr.splitlines()[-1].startswith("enrich: 0 books filled")
    assert len(server.seen) == seen
    run("check")


def test_enrich_dry_run_writes_nothing(run, server, books, journal_home, unchanged):
    write_book(books, "dune", TYPED)
    unchanged_before = (books / "dune.toml").read_bytes()
    result = run("enrich", "dune", "--dry-run", "--missing", "year,cover,series")
    assert "dune: would fill year 1965, cover 11481354, series Dune Chronicles #1" in result.stdout
    assert result.stderr.splitlines()[-1] == "enrich: 1 book would fill (cover 1, series 1, year 1)"
    assert (books / "dune.toml").read_bytes() == unchanged_before
    assert not (journal_home / "covers").exists()


def test_enrich_json_and_bad_fields(run, server, books):
    write_book(books, "dune", TYPED)
    data = json.loads(run("enrich", "--missing", "year", "--json").stdout)
    assert data == {
        "books": [
            {"slug": "dune", "title": "Dune", "outcome": "filled", "fields": {"year": 1965}, "note": None}
        ],
        "stopped": None,
    }
    assert "--missing: colour is not a field" in run("enrich", "--missing", "year,colour", code=1).stderr


def test_enrich_refresh_updates_what_open_library_filled_never_what_the_reader_did(run, server, books):
    write_book(books, "dune", TYPED)
    run("enrich", "--missing", "year")
    server.answers["/works/OL893415W.json"] = ol.work(
        "OL893415W", "Dune", "OL79034A", first_publish_date="1966"
    )
    run("enrich", "--missing", "year,pages", "--refresh")
    data = tomllib.loads((books / "dune.toml").read_text())
    assert (data["year"], data["pages"]) == (1966, 412)


def test_enrich_refuses_bad_covers_but_keeps_the_rest(run, server, books, journal_home):
    write_book(books, "big", f'title = "Big Cover"\nisbn = "{ol.BIG_COVER}"\n')
    write_book(books, "notimage", f'title = "Not An Image"\nisbn = "{ol.NOT_IMAGE}"\n')
    result = run("enrich")
    assert "big: filled year 1999" in result.stderr and "notimage: filled year 1998" in result.stderr
    assert not (journal_home / "covers").exists()
    for slug in ("big", "notimage"):
        assert "cover" not in tomllib.loads((books / f"{slug}.toml").read_text())


def test_enrich_offline_stops_with_one_line_and_exit_1(run, server, books, unchanged):
    write_book(books, "dune", TYPED)
    server.stop()
    result = run("enrich", code=1)
    assert result.stderr.strip().splitlines()[-1].startswith("readlog: error: enrich stopped: cannot reach")
    assert result.stderr.strip().endswith("run it again to continue")


def test_enrich_is_resumable_after_sigkill(server, books, journal_home, tmp_path):
    isbns = [ol.isbn13(f"97899900000{n}") for n in range(8)]
    for n, isbn in enumerate(isbns):
        server.answers[f"/isbn/{isbn}.json"] = ol.edition(
            f"OL10{n}M", f"Book {n}", f"OL10{n}W", "OL2A", number_of_pages=100 + n
        )
        server.answers[f"/works/OL10{n}W.json"] = ol.work(
            f"OL10{n}W", f"Book {n}", "OL2A", first_publish_date=str(1990 + n)
        )
        write_book(books, f"book-{n}", f'title = "Book {n}"\nisbn = "{isbn}"\n')
    env = {**os.environ, "READLOG_OPENLIBRARY_PACE": "0.15", "PYTHONPATH": str(REPO / "src")}
    command = [sys.executable, "-m", "readlog", "enrich", "--missing", "pages,year"]
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 30
    while len(server.seen) < 10 and time.monotonic() < deadline:
        time.sleep(0.02)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert process.returncode == -signal.SIGKILL
    done = [n for n in range(8) if "pages" in tomllib.loads((books / f"book-{n}.toml").read_text())]
    assert 1 <= len(done) < 8  # stopped part-way
    first_run = len(server.seen)
    finished = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)
    assert finished.returncode == 0, finished.stderr
    second = server.paths()[first_run:]
    for n in done:  # a finished book is neither looked up nor written again
        assert f"/isbn/{isbns[n]}.json" not in second
        assert f"book-{n}:" not in finished.stdout
    for n in range(8):
        data = tomllib.loads((books / f"book-{n}.toml").read_text())
        assert (data["pages"], data["year"]) == (100 + n, 1990 + n)
    assert not list(books.glob(".*.tmp"))


# --- the look-up step `add --lookup` calls -------------------------------------------------------------
def test_lookup_for_add_in_a_script(server, capsys):
    from readlog.cli.lookup import lookup_for_add

    looked = lookup_for_add(None, ol.DUNE, [])
    assert looked is not None and looked.found.title == "Dune"
    assert looked.merge(None, [], None, 300, ol.DUNE) == ("Dune", ["Frank Herbert"], 1965, 300, ol.DUNE)
    assert looked.used == ["title", "authors", "year"]
    assert lookup_for_add("The Stranger", None, []) is None
    assert "several books match; adding what you typed" in capsys.readouterr().err
    server.stop()
    assert lookup_for_add("A Wizard of Earthsea", ol.EARTHSEA, []) is None
    err = capsys.readouterr().err
    assert err.startswith("readlog: note: no look-up (cannot reach") and err.endswith(
        "adding what you typed\n"
    )
    with pytest.raises(ReadlogError, match="give its title"):  # only an ISBN typed: nothing to add as typed
        lookup_for_add(None, ol.EARTHSEA, [])
