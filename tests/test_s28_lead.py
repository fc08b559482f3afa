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


def test_enrich_exits_1_when_a_books_answer_could_not_be_read(run, server, books):
    """Try-out 28c #5: answers refused per book (malformed JSON, not UTF-8, too big, a redirect loop) ended
    `enrich: 0 books filled, 2 failed` with exit 0: a script or a cron job could not tell nothing was
    filled. Exit 1 once the others are done, named; a book Open Library does not know is an answer: exit 0."""
    broken = ol.isbn13("978000000096")
    server.answers[f"/isbn/{broken}.json"] = b'{"title": "Cut'
    books.mkdir(parents=True)
    (books / "broken.toml").write_text(f'title = "Broken Answer"\nisbn = "{broken}"\n')
    (books / "dune.toml").write_text(f'title = "Dune"\nisbn = "{ol.DUNE}"\n')
    result = run("enrich", "--missing", "year", code=1)
    assert "dune: filled year 1965" in result.stderr and "broken: failed:" in result.stderr, result.stderr
    assert result.stderr.rstrip().splitlines()[-1] == ("readlog: error: enrich failed for 1 book: broken")
    assert "year = 1965" in (books / "dune.toml").read_text()
    (books / "broken.toml").unlink()
    (books / "unknown.toml").write_text('title = "No Such Book Anywhere"\n')
    assert "failed" not in run("enrich", "--missing", "year").stderr  # (not known: an answer, exit 0)


def test_add_lookup_asks_for_no_cover_when_the_add_is_refused(run, server, books):
    """Review 28a #5: the cover was fetched once the look-up was confirmed, before `add` knew the book was
    already in the journal (or a maybe, or a re-read that never uses it): a slow cover server held up each
    refusal. It is asked only once the book is sure to be created."""
    run("add", "Dune", "-a", "Frank Herbert", "--isbn", ol.DUNE)
    result = run("add", "--lookup", "--isbn", ol.DUNE, code=1)
    assert "already in the journal" in result.stderr, result.stderr
    run("add", "Dune", "-a", "Frank Herbert", "--lookup", "--reread", "--finished", "2026-01-02")
    assert not [path for path in server.paths() if path.startswith("/b/id/")], server.paths()
