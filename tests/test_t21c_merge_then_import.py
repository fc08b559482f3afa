"""Session 21's try-out (21b #3): after `merge`, importing the same highlights again made the book again and
added every highlight to it. A highlight's key (source, title line, place, words) is kept by `merge` with
the quote; an import that finds no book by title looks for the book holding its highlights by those keys."""

from __future__ import annotations

import tomllib
from datetime import datetime
from pathlib import Path

from conftest import snapshot
from test_highlights_import import record, write
from test_highlights_kindle import SHARED, needs_shared


def quotes_of(books: Path, slug: str) -> list[str]:
    return [q["text"] for q in tomllib.loads((books / f"{slug}.toml").read_text()).get("quotes", [])]


def clip(title: str, loc: str, day: int, text: str) -> str:
    return record(title, loc, datetime(2024, 3, day, 9, 0), text)


ROSE = "The Name of the Rose (Umberto Eco)"
FIRST = clip(ROSE, "100-102", 5, "Books are not made to be believed, but to be subjected to inquiry.")
SECOND = clip(ROSE, "300-301", 6, "The good of a book lies in its being read.")


def test_near_miss_a_title_line_s_other_highlights_are_not_taken_for_the_book_s(run, tmp_path, books):
    """Two *Twilight*s, and a file whose authorless `Twilight` brings highlights no book holds: the keys of
    another file's `Twilight (Meyer, Stephenie)` clippings (the same title line digest) do not decide it."""
    run("add", "Twilight", "-a", "Stephenie Meyer")
    run("add", "Twilight", "-a", "Meg Cabot")
    meyer = write(
        tmp_path, clip("Twilight (Meyer, Stephenie)", "10-12", 5, "About three things I was sure.").encode()
    )
    assert "1 highlight added" in run("import", str(meyer)).stderr
    assert quotes_of(books, "twilight") == ["About three things I was sure."]
    before = snapshot(books)
    alone = write(
        tmp_path, clip("Twilight", "40-41", 7, "I had never given much thought.").encode(), "alone.txt"
    )
    out = run("import", str(alone), "--create", "none").stderr
    assert "0 added" in out and snapshot(books) == before


def test_a_re_import_after_merging_a_book_of_another_title_adds_nothing(run, tmp_path, books):
    """The kept book's title is not the clippings' (a translation here): identity cannot find it by title,
    the highlights' keys do."""
    run("add", "Il nome della rosa", "-a", "Umberto Eco", "--status", "read")
    path = write(tmp_path, (FIRST + SECOND).encode())
    assert "The Name of the Rose (new, read): 2 highlights added" in run("import", str(path)).stderr
    run("merge", "il-nome-della-rosa", "the-name-of-the-rose")
    assert not (books / "the-name-of-the-rose.toml").exists()
    before = snapshot(books)
    again = run("import", str(path)).stderr
    assert "(new" not in again and "2 already here" in again and "0 added to 1 book (0 created)" in again
    assert snapshot(books) == before  # no book made, nothing written
    dry = run("import", str(path), "--dry-run").stderr
    assert "0 would be added to 1 book (0 would be created)" in dry


def test_a_new_highlight_of_a_merged_book_goes_to_the_kept_book(run, tmp_path, books):
    run("add", "Il nome della rosa", "-a", "Umberto Eco", "--status", "read")
    path = write(tmp_path, FIRST.encode())
    run("import", str(path))
    run("merge", "il-nome-della-rosa", "the-name-of-the-rose")
    path.write_text(FIRST + SECOND, encoding="utf-8")  # the Kindle's file only grows
    out = run("import", str(path)).stderr
    assert "1 highlight added, 1 already here" in out and "(new" not in out
    assert sorted(quotes_of(books, "il-nome-della-rosa")) == sorted(
        [
            "Books are not made to be believed, but to be subjected to inquiry.",
            "The good of a book lies in its being read.",
        ]
    )
    assert sorted(p.name for p in books.glob("*.toml")) == ["il-nome-della-rosa.toml"]


def test_highlights_in_two_books_go_to_the_one_with_most_and_are_said(run, tmp_path, books):
    """A journal where the same highlights were imported into two books (as before this fix): a re-import
    adds to neither, makes no third, and says where they are."""
    run("add", "Il nome della rosa", "-a", "Umberto Eco", "--status", "read")
    path = write(tmp_path, (FIRST + SECOND).encode())
    run("import", str(path))
    run("merge", "il-nome-della-rosa", "the-name-of-the-rose")
    kept = tomllib.loads((books / "il-nome-della-rosa.toml").read_text())["quotes"]
    first = next(q for q in kept if q["text"].startswith("Books are"))
    (books / "la-rosa.toml").write_text(
        'schema = 2\ntitle = "La rosa"\nauthors = ["Umberto Eco"]\nstatus = "read"\n\n[[quotes]]\n'
        f'text = "{first["text"]}"\nlocation = "{first["location"]}"\nkey = "{first["key"]}"\n'
    )
    before = snapshot(books)
    out = run("import", str(path)).stderr
    assert "(new" not in out and "0 added" in out and snapshot(books) == before
    assert "its highlights are in il-nome-della-rosa and also in la-rosa" in out


@needs_shared
def test_real_kindle_and_kobo_after_merging_both_into_the_journal_s_book(run, books):
    """The try-out's steps: a journal book, the Kindle and Kobo files each made a book of their own (a title
    with a subtitle is only maybe the journal's), both merged into it; the same two files again."""
    run("add", "How to Take Smart Notes", "-a", "Sönke Ahrens", "--status", "read")
    run("add", "How to Take Smart Notes", "-a", "Other Person")
    kindle = SHARED / "kindle" / "en_highlights_notes_bookmark_growing-dupes_bom_crlf.txt"
    kobo = SHARED / "kobo" / "KoboReader_trimmed_3books_highlights_notes_dogears.sqlite"
    run("import", str(kindle))
    run("import", str(kobo))
    made = sorted(p.stem for p in books.glob("how-to-take-smart-notes-*") if not p.stem.endswith("person"))
    assert len(made) == 2
    for slug in made:
        run("merge", "how-to-take-smart-notes", slug)
    assert len(quotes_of(books, "how-to-take-smart-notes")) == 192
    before = snapshot(books)
    for path in (kindle, kobo):
        out = run("import", str(path)).stderr
        assert "(new" not in out and "0 added" in out and "(0 created)" in out
    assert snapshot(books) == before
    assert len(quotes_of(books, "how-to-take-smart-notes")) == 192
    assert quotes_of(books, "how-to-take-smart-notes-person") == []
