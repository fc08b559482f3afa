"""Try-out 28c #1, #6, #2. A book a highlights import makes keeps the place in a series its title line names
(volume 1's clippings never land on volume 3's *Saga*); `Saga, Vol. 3`, `Saga #3` and `Saga (Saga, #3)` are
one place and take one path beside a *Saga* that names none (add, imports, highlights, check); and a byte
that is not UTF-8 in a KOReader or Kobo file is read as a Kindle's is and said, never a silent U+FFFD."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from readlog import identity
from readlog.identity import Same, Work, same_work, title_parts, title_ties
from test_highlights_kindle import SHARED, needs_shared
from test_import_faithful import clipping, clippings
from test_t23c_merge import slugs, toml
from test_t26g_pick_places import BKV

READWISE_HEAD = (
    "Highlight,Book Title,Book Author,Amazon Book ID,Note,Color,Tags,Location Type,Location,Highlighted at,"
    "Document tags\n"
)


def quotes(books: Path, slug: str) -> list[str]:
    return [q["text"] for q in toml(books, slug).get("quotes", [])]


# --- #1: the place a title line names is kept on the book an import makes --------------------------------
@pytest.mark.parametrize(
    ("line", "title", "places"),
    [
        ("Saga (Saga, #3)", "Saga", (("Saga", "3"),)),
        ("Leviathan Wakes (The Expanse Book 1) (French Edition)", "Leviathan Wakes", (("The Expanse", "1"),)),
        ("Catching Fire (The Hunger Games, Book 02)", "Catching Fire", (("The Hunger Games", "2"),)),
        ("Guards! Guards! (Discworld, #8; City Watch, #1)", "Guards! Guards!", (("Discworld", "8"), ("City Watch", "1"))),
        ("Saga (Saga, #1-3)", "Saga", (("Saga", "1-3"),)),
        # near misses: no place, or one kept in the title as written
        ("Emma (Everyman's Library)", "Emma", ()),
        ("Saga, Vol. 3", "Saga, Vol. 3", ()),
        ("The Hunger Games (Book 1)", "The Hunger Games (Book 1)", ()),
        ("Catch-22", "Catch-22", ()),
    ],
)  # fmt: skip
def test_a_title_s_places_are_read_where_its_bare_title_drops_them(line, title, places):
    assert identity.title_and_places(line) == (title, places)


@pytest.mark.parametrize("kind", ["kindle", "readwise"])
def test_a_volume_s_clippings_never_land_on_the_book_another_volume_s_import_made(run, books, tmp_path, kind):
    """`Saga (Saga, #3)` made a book titled `Saga` with no place: the next file's `Saga (Saga, #1)` clippings
    went onto it, said of nothing, and `check` told the reader to merge the volumes."""

    def source(volume: str, words: str, day: int) -> Path:
        line = f"Saga (Saga, #{volume})"
        if kind == "kindle":
            return clippings(
                tmp_path / volume,
                clipping(f"{line} ({BKV})", words, when=f"Monday, March {day}, 2024 10:00:00 AM"),
            )
        (tmp_path / f"{volume}.csv").write_text(
            READWISE_HEAD + f'"{words}","{line}",{BKV},,,yellow,,location,10,2024-03-0{day} 10:00:00+00:00,\n'
        )
        return tmp_path / f"{volume}.csv"

    (tmp_path / "3").mkdir(), (tmp_path / "1").mkdir()
    run("import", str(source("3", "from volume three", 4)), "--no-input")
    assert toml(books, "saga")["series"] == [{"name": "Saga", "number": "3"}]
    out = run("import", str(source("1", "from volume one", 5)), "--no-input").stderr
    assert "1 created" in out, out
    assert quotes(books, "saga") == ["from volume three"]
    (other,) = [slug for slug in slugs(books) if slug != "saga"]
    assert quotes(books, other) == ["from volume one"]
    assert toml(books, other)["series"] == [{"name": "Saga", "number": "1"}]
    result = run("check")
    assert "same book" not in result.stdout + result.stderr, result.stdout + result.stderr
    # and again: each volume's clippings find their own book
    out = run("import", str(source("3", "more from three", 6)), "--no-input").stderr
    assert "0 created" in out and quotes(books, "saga") == ["from volume three", "more from three"], out


# --- #6: a place however written, one path ---------------------------------------------------------------
THREE = ["Saga (Saga, #3)", "Saga, Vol. 3", "Saga #3", "Saga Volume Three", "Saga, Book III", "Saga: Vol. 3"]
ONE = ["Saga (Saga, #1)", "Saga, Vol. 1", "Saga #1", "Saga Volume One", "Saga, Book 1"]


def both(a: str, b: str, b_series: tuple[tuple[str, str], ...] = ()) -> set[Same]:
    x, y = Work.named(a, [BKV]), Work.named(b, [BKV], b_series)
    return {same_work(x, y), same_work(y, x)}


@pytest.mark.parametrize("title", THREE)
def test_a_later_place_however_written_is_a_maybe_of_the_book_with_no_place(title):
    assert both(title, "Saga") == {Same.MAYBE}
    assert both(title, "Saga (Saga, #3)") == {Same.SURE}
    assert both(title, "Saga", (("Saga", "3"),)) == {Same.SURE}  # (an import's book: its place in `series`)
    assert both(title, "Saga, Vol. 1") == {Same.NO} == both(title, "Saga", (("Saga", "1"),))
    assert not title_ties(title).isdisjoint(title_ties("Saga"))  # (the import's shortcut asks about it)


@pytest.mark.parametrize("title", ONE)
def test_the_first_place_however_written_is_the_book_titled_as_its_series(title):
    assert both(title, "Saga") == {Same.SURE}
    assert both(title, "Saga, Vol. 2") == {Same.NO}


def test_near_misses_name_no_place():
    for title in ["Catch-22", "1984", "Apollo 13", "Fahrenheit 451", "#GIRLBOSS", "Saga #2: Part One"]:
        assert getattr(title_parts(title), "placed", None) is None, title
    assert same_work(Work.named("Catch-22"), Work.named("Catch")) is Same.NO
    assert same_work(Work.named("Apollo 13"), Work.named("Apollo")) is Same.NO
    herbert = ["Frank Herbert"]
    assert same_work(Work.named("Dune", herbert), Work.named("Dune Messiah", herbert)) is Same.NO
    assert same_work(Work.named("Dune Messiah, Book 2", herbert), Work.named("Dune", herbert)) is Same.NO
    assert same_work(Work.named("Dune, Book 2", herbert), Work.named("Dune Messiah", herbert)) is Same.NO
    # an omnibus is its own place: a maybe of the book with none, never its first volume
    for omnibus in ["Saga, Vol. 1-3", "Saga #1-3"]:
        assert both(omnibus, "Saga") == {Same.MAYBE}
        assert both(omnibus, "Saga, Vol. 1") == {Same.NO} == both(omnibus, "Saga (Saga, #1)")
        assert both(omnibus, "Saga (Saga, #1-3)") == {Same.SURE}
    # a part that is no volume stays what it was (`Dune: The Graphic Novel, Book 1` is an adaptation)
    assert getattr(title_parts("Dune: The Graphic Novel, Book 1"), "placed", None) is None
    assert same_work(Work.named("Dune: The Graphic Novel, Book 1"), Work.named("Dune")) is Same.NO


def test_add_imports_and_check_take_one_path_for_every_way_a_place_is_written(run, books, tmp_path):
    """Beside a *Saga* with no place, `add "Saga, Vol. 3"` was accepted silently where `add "Saga (Saga,
    #3)"` was a maybe; the Kindle import made `Saga, Vol. 3` without naming the pair; `Saga, Vol. 1`'s
    clippings made a new book while `Saga (Saga, #1)`'s went onto *Saga*."""
    run("add", "Saga", "-a", BKV)
    for title in ["Saga, Vol. 3", "Saga #3", "Saga (Saga, #3)"]:
        err = run("add", title, "-a", BKV, "--no-input", code=1).stderr
        assert "may be the same book as saga (Saga by Brian K. Vaughan)" in err and "--new" in err, err
    path = clippings(tmp_path, clipping(f"Saga, Vol. 3 ({BKV})", "three words"))
    out = run("import", str(path), "--no-input").stderr
    assert (
        "Saga, Vol. 3: may be the same book as saga (Saga by Brian K. Vaughan): kept as its own book" in out
    ), out
    result = run("check")
    assert "maybe the same book as saga-vol-3.toml" in result.stdout + result.stderr
    path = clippings(tmp_path, clipping(f"Saga, Vol. 1 ({BKV})", "one words"), name="one.txt")
    out = run("import", str(path), "--no-input").stderr
    assert "0 created" in out and quotes(books, "saga") == ["one words"], out
    assert slugs(books) == ["saga", "saga-vol-3"]


# --- #2: bytes that are not UTF-8 in KOReader and Kobo files -----------------------------------------------
def assert_no_replacement(books: Path) -> None:
    for path in books.glob("*.toml"):
        assert "\ufffd" not in path.read_text(encoding="utf-8"), path


@needs_shared
@pytest.mark.parametrize(
    ("fixture", "name", "words"),
    [
        ("koreader-export_json-1.0.0_single-document.json", "export.json", "I steered clear"),
        (
            "metadata.epub.lua.new-annotations_frankenstein.lua",
            "frankenstein.sdr/metadata.epub.lua",
            "But the",
        ),
    ],
)
def test_a_koreader_file_s_stray_byte_is_read_and_said_or_refused_naming_its_line(
    run, books, tmp_path, fixture, name, words
):
    """A byte that is not UTF-8 (`caf\\xe9`, a UTF-8 `ǔ` beside it) was stored as `caf�`, said of nothing."""
    raw = (SHARED / "koreader" / fixture).read_bytes()
    at = (
        raw.find(f'"{words}'.encode()) + 1
    )  # (a highlight's text: the sidecar's first `text` is a bookmark's)
    path = tmp_path / name
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(raw[:at] + b"caf\xe9 \xc7\x94 " + raw[at:])
    line = raw[:at].count(b"\n") + 1
    err = run("import", str(path), "--encoding", "ascii", "--no-input", code=1).stderr
    assert f"{path}: line {line}: not UTF-8, nor ascii as the --encoding given" in err, err
    assert not slugs(books)
    out = run("import", str(path), "--no-input").stderr
    assert f"{path}: line {line}: not UTF-8, read as Windows-1252" in out, out
    assert any(q.startswith(f"café ǔ {words}") for q in quotes(books, slugs(books)[0]))
    assert_no_replacement(books)


@needs_shared
def test_a_kobo_text_s_stray_byte_is_read_and_said(run, books, tmp_path):
    path = tmp_path / "KoboReader.sqlite"
    shutil.copyfile(SHARED / "kobo" / "KoboReader_trimmed_suntzu_2highlights_2notes.sqlite", path)
    with sqlite3.connect(path) as db:
        first = db.execute("SELECT BookmarkID FROM Bookmark ORDER BY rowid LIMIT 1").fetchone()[0]
        db.execute(
            "UPDATE Bookmark SET Text = CAST(x'636166e920c794' || CAST(Text AS BLOB) AS TEXT) WHERE BookmarkID = ?",
            (first,),
        )
    db.close()
    out = run("import", str(path), "--no-input").stderr
    assert f"{path}: bookmark row" in out and "not UTF-8, read as Windows-1252" in out, out
    assert any(q.startswith("café ǔ") for q in quotes(books, slugs(books)[0])), quotes(books, slugs(books)[0])
    assert_no_replacement(books)
