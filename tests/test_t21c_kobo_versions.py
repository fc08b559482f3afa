"""Session 21's try-out (21b #4): every import of a Kobo database replaced one quote by another and back
again. The device keeps both selections when a reader extends a highlight; they are one passage (same start,
one text inside the other) and the later is kept once, so a second import changes nothing."""

from __future__ import annotations

import os
import sqlite3
import tomllib
from pathlib import Path

import pytest

from conftest import snapshot
from readlog.highlights import kobo

SHARED = Path(os.environ.get("READLOG_TEST_HIGHLIGHTS", "/nonexistent"))
needs_shared = pytest.mark.skipif(
    not (SHARED / "kobo").is_dir(), reason="set READLOG_TEST_HIGHLIGHTS to the real highlights fixtures"
)

SHORT = "What is there about you that would stop her dead in her tracks?"
LONG = SHORT + " What can you offer that most other men can't?"


def make_kobo(path: Path, bookmarks: list[tuple[str, str, float, str, str | None, str | None]]) -> Path:
    """A Kobo database with one book and one chapter; `bookmarks`: (id, text, ChapterProgress, created,
    StartContainerPath, EndContainerPath)."""
    db = sqlite3.connect(path)
    db.executescript(
        """
        CREATE TABLE content (ContentID TEXT, ContentType INTEGER, Title TEXT, Attribution TEXT,
                              VolumeIndex INTEGER, BookID TEXT);
        CREATE TABLE Bookmark (BookmarkID TEXT, VolumeID TEXT, ContentID TEXT, Text TEXT, Annotation TEXT,
                               DateCreated TEXT, ChapterProgress REAL, Hidden BOOL, Type TEXT,
                               StartContainerPath TEXT, EndContainerPath TEXT);
        INSERT INTO content VALUES ('book1', 6, 'Lanterns', 'Odile Fen', NULL, NULL);
        INSERT INTO content VALUES ('book1!!ch2', 9, 'The Second Lantern', NULL, 15, 'book1');
        """
    )
    db.executemany(
        "INSERT INTO Bookmark VALUES (?, 'book1', 'book1!!ch2', ?, NULL, ?, ?, 'false', 'highlight', ?, ?)",
        [(b, text, created, progress, start, end) for b, text, progress, created, start, end in bookmarks],
    )
    db.commit()
    db.close()
    return path


def quotes(books: Path) -> list[dict]:
    return tomllib.loads((books / "lanterns.toml").read_text())["quotes"]


def test_a_passage_selected_twice_on_different_pages_is_one_quote_kept_once(run, tmp_path, books):
    path = make_kobo(
        tmp_path / "KoboReader.sqlite",
        [
            ("a", SHORT, 0.933, "2025-01-16T18:53:22", r"span#kobo\.165\.1", r"span#kobo\.165\.5"),
            ("b", LONG, 0.939, "2025-01-16T18:54:09", r"span#kobo\.165\.1", r"span#kobo\.166\.1"),
        ],
    )
    first = run("import", str(path)).stderr
    assert "1 highlight added" in first and "1 duplicate collapsed" in first and "replaced" not in first
    assert [q["text"] for q in quotes(books)] == [LONG]  # the later selection
    before = snapshot(books)
    for _ in range(2):
        again = run("import", str(path)).stderr
        assert "1 already here" in again and "replaced" not in again and "added to" in again
        assert snapshot(books) == before  # nothing written: not one byte


def test_near_miss_a_phrase_highlighted_in_two_places_is_two_quotes(run, tmp_path, books):
    """The short text inside the long one, but in other paragraphs: two highlights, both kept, and a second
    import still changes nothing (neither replaces the other)."""
    path = make_kobo(
        tmp_path / "KoboReader.sqlite",
        [
            ("a", SHORT, 0.2, "2025-01-16T18:53:22", r"span#kobo\.20\.1", r"span#kobo\.20\.3"),
            ("b", LONG, 0.9, "2025-01-16T18:54:09", r"span#kobo\.165\.1", r"span#kobo\.166\.1"),
        ],
    )
    first = run("import", str(path)).stderr
    assert "2 highlights added" in first and "collapsed" not in first
    assert sorted(q["text"] for q in quotes(books)) == sorted([SHORT, LONG])
    before = snapshot(books)
    again = run("import", str(path)).stderr
    assert "2 already here" in again and "replaced" not in again
    assert snapshot(books) == before


def test_a_database_without_containers_keeps_both_and_is_still_stable(run, tmp_path, books):
    """No StartContainerPath (a sideloaded EPUB's path, or an older database): nothing to tell one
    passage by, so both selections are kept, and a re-import neither adds nor swaps them."""
    path = make_kobo(
        tmp_path / "KoboReader.sqlite",
        [
            ("a", SHORT, 0.933, "2025-01-16T18:53:22", "/1/4/2/1:0", "/1/4/2/1:80"),
            ("b", LONG, 0.939, "2025-01-16T18:54:09", None, None),
        ],
    )
    run("import", str(path))
    assert sorted(q["text"] for q in quotes(books)) == sorted([SHORT, LONG])
    before = snapshot(books)
    for _ in range(2):
        again = run("import", str(path)).stderr
        assert "2 already here" in again and "replaced" not in again
        assert snapshot(books) == before


def test_the_container_columns_are_optional(tmp_path):
    path = tmp_path / "KoboReader.sqlite"
    db = sqlite3.connect(path)
    db.executescript(
        """
        CREATE TABLE content (ContentID TEXT, ContentType INTEGER, Title TEXT, Attribution TEXT,
                              VolumeIndex INTEGER);
        CREATE TABLE Bookmark (BookmarkID TEXT, VolumeID TEXT, ContentID TEXT, Text TEXT, Annotation TEXT,
                               DateCreated TEXT, ChapterProgress REAL, Hidden BOOL, Type TEXT);
        INSERT INTO content VALUES ('book1', 6, 'Lanterns', 'Odile Fen', NULL);
        INSERT INTO Bookmark VALUES ('a', 'book1', 'book1', 'Dark is patient.', NULL, '2024-12-21', 0.1,
                                     'false', 'highlight');
        """
    )
    db.commit()
    db.close()
    parsed = kobo.parse(path)
    assert [(h.text, h.location) for h in parsed.highlights] == [("Dark is patient.", "Lanterns, 10%")]
    assert not parsed.rejects


def test_the_journal_s_shorter_version_is_replaced_once(run, tmp_path, books):
    """A journal that an earlier readlog left holding the shorter selection: the next import puts the longer
    (later) one in its place, and from then on nothing changes."""
    only_short = make_kobo(
        tmp_path / "old.sqlite",
        [("a", SHORT, 0.933, "2025-01-16T18:53:22", r"span#kobo\.165\.1", r"span#kobo\.165\.5")],
    )
    run("import", str(only_short))
    both = make_kobo(
        tmp_path / "KoboReader.sqlite",
        [
            ("a", SHORT, 0.933, "2025-01-16T18:53:22", r"span#kobo\.165\.1", r"span#kobo\.165\.5"),
            ("b", LONG, 0.939, "2025-01-16T18:54:09", r"span#kobo\.165\.1", r"span#kobo\.166\.1"),
        ],
    )
    assert "1 replaced by a later selection" in run("import", str(both)).stderr
    assert [q["text"] for q in quotes(books)] == [LONG]
    before = snapshot(books)
    assert "replaced" not in run("import", str(both)).stderr
    assert snapshot(books) == before


@needs_shared
def test_real_kobo_database_twice_changes_nothing(run, books):
    path = SHARED / "kobo" / "KoboReader_trimmed_3books_highlights_notes_dogears.sqlite"
    first = run("import", str(path)).stderr
    # (`reading`: the Kobo says 58% read, ReadStatus 1; try-out 33a #2)
    assert "Models: Attract Women Through Honesty (new, reading): 38 highlights added" in first
    models = tomllib.loads((books / "models-attract-women-through-honesty.toml").read_text())
    offer = [q for q in models["quotes"] if q["text"].startswith("Ask yourself this: If you were lined up")]
    assert len(offer) == 1 and offer[0]["text"].endswith("What can you offer that most other men can’t?")
    before = snapshot(books)
    for _ in range(2):
        again = run("import", str(path)).stderr
        assert "replaced" not in again and "0 added to 3 books" in again
        assert snapshot(books) == before
