"""Session 25, t25i: reviews 25a (#2, #4, #6) and 25b (#3). `add --draft` of a book already there names the
kept draft and its way back; `add --reread` with authors against an authorless book is a maybe; a JSON row
whose title is only control characters is refused as a CSV row's is; a `read` book's undated reading is not
one `progress` or `pause` goes on with. Each test fails on the code before it."""

from __future__ import annotations

import json
import tomllib

import readlog.cli.lifecycle  # noqa: F401 - imported before `terminal` patches `interactive` it imports
import readlog.cli.review_input  # noqa: F401 - (so too: a patched `interactive` would stay in it)
from conftest import snapshot
from test_t23d_drafts import drafts, way_back
from test_t24d_which_book import terminal, write

__all__ = ["terminal"]  # (a fixture, used by name)


def _kept_draft(journal_home, name: str) -> None:
    folder = journal_home / "drafts"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.md").write_text("# Second thoughts\n\nMy long review.\n", encoding="utf-8")


# --- review 25a #2: `add --draft` on a terminal names the draft in every refusal ---------------------------


def test_add_draft_of_a_book_already_there_names_the_draft_and_review(run, books, journal_home, terminal):
    write(books, "dune", "Dune", ["Frank Herbert"])
    _kept_draft(journal_home, "dune-20250101")
    refused = run("add", "Dune", "-a", "Frank Herbert", "--draft", "dune-20250101", code=1).stderr
    assert "already in the journal as 'dune'" in refused and "dune-20250101.md" in refused, refused
    assert way_back(refused) == ["review", "dune", "--draft", "dune-20250101"]
    assert drafts(journal_home) == ["dune-20250101.md"]


def test_add_draft_of_a_maybe_answered_no_names_the_draft_and_review(run, books, journal_home, terminal):
    write(books, "the-stand", "The Stand", [])
    _kept_draft(journal_home, "the-stand-doe-20250101")
    before = snapshot(books)
    refused = run(
        "add", "The Stand", "-a", "Jane Doe", "--draft", "the-stand-doe-20250101", input="n\n", code=1
    ).stderr
    assert "nothing was added" in refused and "the-stand-doe-20250101.md" in refused, refused
    assert way_back(refused) == ["review", "the-stand", "--draft", "the-stand-doe-20250101"]
    assert snapshot(books) == before and drafts(journal_home) == ["the-stand-doe-20250101.md"]
    # near miss: without a draft, the refusal is as it was (nothing typed, nothing kept)
    run("add", "Dune", "-a", "Frank Herbert", "--status", "want")
    refused = run("add", "Dune", "-a", "Frank Herbert", code=1).stderr
    assert "takes it up again" not in refused and "add --new" in refused, refused


# --- review 25a #4: `add --reread` with authors against an authorless book is a maybe ----------------------


def test_add_reread_with_authors_against_an_authorless_book_is_a_maybe(run, books):
    write(books, "the-stand", "The Stand", [])
    write(books, "the-stand-king", "The Stand", ["Stephen King"])
    before = snapshot(books)
    refused = run("add", "The Stand", "-a", "Jane Doe", "--reread", "--finished", "2025-01-01", code=1).stderr
    assert "'The Stand' by Jane Doe is not in the journal; the closest are the-stand (The Stand)" in refused
    assert "nothing was added" in refused, refused
    assert snapshot(books) == before
    # near miss: the author's own book is sure, and gets its reading (the authorless one a maybe beside it)
    done = run("add", "The Stand", "-a", "Stephen King", "--reread", "--finished", "2025-01-01").stderr
    assert "Logged another reading of" in done, done
    assert tomllib.loads((books / "the-stand-king.toml").read_text())["reads"][-1]["finished"].year == 2025
    assert (books / "the-stand.toml").read_bytes() == before["the-stand.toml"]


# --- review 25a #6: a readlog JSON row whose title is only control characters -------------------------------


def test_a_json_title_of_control_characters_is_refused_an_author_dropped(run, books, tmp_path):
    rows = [
        {"slug": "b", "schema": 2, "title": "\u0007", "authors": ["Ann Leckie"], "status": "read"},
        {"slug": "c", "schema": 2, "title": "Ancillary\u0007 Justice", "authors": ["\u001b", "Ann Leckie"]},
    ]
    path = tmp_path / "cc.json"
    path.write_text(json.dumps(rows), encoding="utf-8")
    out = run("import", str(path), code=1).stderr  # (a rejected row: exit 1, as a CSV's)
    assert "Title: empty" in out and "1 added" in out, out
    (kept,) = [tomllib.loads(p.read_text()) for p in books.glob("*.toml")]
    assert kept["title"] == "Ancillary Justice" and kept["authors"] == ["Ann Leckie"]


# --- review 25b #3: a `read` book's undated reading is not open to progress or pause ------------------------


def test_progress_and_pause_never_go_on_with_a_read_books_undated_reading(run, books, terminal):
    write(books, "dune", "Dune", ["Frank Herbert"], "read", "[[reads]]\n")  # as `add` writes it in a script
    write(books, "dune-herbert", "Dune", ["Brian Herbert"], "reading", "[[reads]]\nstarted = 2024-01-01\n")
    before = (books / "dune.toml").read_bytes()
    assert tomllib.loads(before.decode())["reads"] == [{}]  # the undated reading
    asked = run("progress", "Dune", "50", input="y\n").stderr
    assert "Log progress in “Dune” by Brian Herbert? [y/N]" in asked and "Frank" not in asked, asked
    assert "page = 50" in (books / "dune-herbert.toml").read_text()
    assert (books / "dune.toml").read_bytes() == before


def test_a_read_books_undated_reading_is_refused_by_progress_and_pause(run, books):
    write(books, "dune", "Dune", ["Frank Herbert"], "read", "[[reads]]\n")
    before = (books / "dune.toml").read_bytes()
    for words in (["progress", "dune", "60"], ["pause", "dune"]):
        refused = run(*words, code=1).stderr
        assert "it is read; `readlog start` it first" in refused, refused
    assert (books / "dune.toml").read_bytes() == before
    # near miss: `finish --date` still gives that reading its day
    run("finish", "dune", "--date", "2024-05-01")
    assert str(tomllib.loads((books / "dune.toml").read_text())["reads"][0]["finished"]) == "2024-05-01"
