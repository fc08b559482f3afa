"""Try-out 29a #2, #3, #5, #6: a volume is a book. A device's own series place (KOReader's `series`, Kobo's
`Series`) is read with its title line's, so volume 1's clippings never land on volume 3; two volumes are
named with their places wherever readlog names candidates, and a BOOK argument's place is read as `add`
reads it; one rule for every way a place is written; a UTF-16 device file is read or said to be UTF-16."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from readlog import identity
from test_highlights_kindle import SHARED, needs_shared
from test_import_faithful import clipping, clippings
from test_query_policy import _on_terminal
from test_t23c_merge import slugs, toml
from test_t26g_pick_places import BKV
from test_t28h_places_bytes import quotes

FRANKENSTEIN = "metadata.epub.lua.new-annotations_frankenstein.lua"


def sidecar(tmp_path: Path, title: str, series: str = "", index: str = "") -> Path:
    """Frankenstein's KOReader sidecar retitled `title` by BKV, with the device's `series` (and index)."""
    raw = (SHARED / "koreader" / FRANKENSTEIN).read_text(encoding="utf-8")
    head, props, tail = raw.partition('["doc_props"] = {')
    extra = f'["series"] = "{series}", ' if series else ""
    extra += f'["series_index"] = {index}, ' if index else ""
    body, end, rest = tail.partition("}")
    body = body.replace('"Mary Shelley"', f'"{BKV}"')
    body = body.replace('["title"] = "Frankenstein"', f'["title"] = "{title}"')
    path = tmp_path / "device" / "book.sdr" / "metadata.epub.lua"
    path.parent.mkdir(parents=True)
    path.write_text(head + props + extra + body + end + rest, encoding="utf-8")
    return path


def volume_one_clipping(tmp_path: Path) -> Path:
    return clippings(tmp_path / "kindle", clipping(f"Saga, Vol. 1 ({BKV})", "volume one words"))


def assert_volume_one_apart(run, books: Path, tmp_path: Path, device_count: int) -> None:
    (tmp_path / "kindle").mkdir()
    out = run("import", str(volume_one_clipping(tmp_path)), "--from", "kindle", "--no-input").stderr
    assert "1 created" in out, out
    (other,) = [slug for slug in slugs(books) if slug != "saga"]
    assert quotes(books, other) == ["volume one words"]
    assert len(quotes(books, "saga")) == device_count


# --- #2: a device's own series place ------------------------------------------------------------------------
@needs_shared
def test_a_koreader_series_without_a_number_keeps_the_title_s_place(run, books, tmp_path):
    """`series = "Saga"` with no index threw away the title's `#3`: *Saga* was written with no place, and
    the next Kindle file's volume 1 clippings were added to it, said of nothing."""
    run("import", str(sidecar(tmp_path, "Saga (Saga, #3)", "Saga").parent.parent), "--from", "koreader")
    assert toml(books, "saga")["title"] == "Saga"
    assert toml(books, "saga")["series"] == [{"name": "Saga", "number": "3"}]
    assert_volume_one_apart(run, books, tmp_path, 4)


@needs_shared
def test_a_koreader_number_that_disagrees_with_the_title_s_keeps_the_title_s_and_says_so(
    run, books, tmp_path
):
    path = sidecar(tmp_path, "Saga (Saga, #3)", "Saga", "2")
    out = run("import", str(path.parent.parent), "--from", "koreader").stderr
    assert "the device places it at Saga #2, its title at #3: the title's #3 kept" in out, out
    assert toml(books, "saga")["series"] == [{"name": "Saga", "number": "3"}]


@needs_shared
def test_a_kobo_book_s_series_and_number_are_its_place(run, books, tmp_path):
    """`content.Series` / `SeriesNumber` were never read: a Kobo *Saga* #3 was a *Saga* with no place."""
    path = tmp_path / "KoboReader.sqlite"
    shutil.copyfile(SHARED / "kobo" / "KoboReader_trimmed_suntzu_2highlights_2notes.sqlite", path)
    with sqlite3.connect(path) as db:
        db.execute(
            "UPDATE content SET Title = 'Saga', Attribution = ?, Series = 'Saga', SeriesNumber = '3' "
            "WHERE ContentType = 6",
            (BKV,),
        )
    db.close()
    run("import", str(path), "--from", "kobo")
    assert toml(books, "saga")["series"] == [{"name": "Saga", "number": "3"}]
    assert_volume_one_apart(run, books, tmp_path, 4)


@pytest.mark.parametrize(
    ("title", "device", "series", "disagreement"),
    [
        ("Saga (Saga, #3)", [("Saga", "")], (("Saga", "3"),), None),
        ("Saga (Saga, #3)", [("Saga", "3.0")], (("Saga", "3"),), None),
        ("Saga (Saga, #3)", [("Saga", "2")], (("Saga", "3"),), ("Saga", "2", "3")),
        ("Saga", [("Saga", "2")], (("Saga", "2"),), None),
        ("Leviathan Wakes (The Expanse, #1)", [("Expanse", "")], (("Expanse", "1"),), None),
        ("Guards! Guards! (Discworld, #8; City Watch, #1)", [("Discworld", "8")], (("Discworld", "8"), ("City Watch", "1")), None),
        ("Saga (Saga, #3)", [], (), None),
    ],
)  # fmt: skip
def test_device_series_reads_the_device_s_places_with_the_title_s(title, device, series, disagreement):
    assert identity.device_series(title, device) == (series, disagreement)


# --- #3: two volumes named with their places; a BOOK's place read as `add` reads it -----------------------
@pytest.fixture
def two_sagas(run, books, tmp_path):
    """*Saga* at Saga #1 (saga.toml) and at Saga #3 (saga-vaughan.toml), as a Kindle file makes them."""
    path = clippings(
        tmp_path,
        clipping(f"Saga (Saga, #1) ({BKV})", "from one"),
        clipping(f"Saga (Saga, #3) ({BKV})", "from three", where="Location 20-22"),
    )
    run("import", str(path), "--from", "kindle")
    assert toml(books, "saga")["series"] == [{"name": "Saga", "number": "1"}]
    assert toml(books, "saga-vaughan")["series"] == [{"name": "Saga", "number": "3"}]
    return books


def test_two_volumes_are_named_each_with_its_place(run, two_sagas):
    """`saga (Saga by Brian K. Vaughan), saga-vaughan (Saga by Brian K. Vaughan)`: two identical choices."""
    named = f"saga (Saga (Saga #1) by {BKV}), saga-vaughan (Saga (Saga #3) by {BKV})"
    assert named in run("quote", "Saga", "x", "--no-input", code=1).stderr
    assert named in run("add", "Saga", "--reread", "--no-input", code=1).stderr
    assert f"saga-vaughan (Saga (Saga #3) by {BKV})" in run("show", "saga").stderr


def test_the_terminal_question_names_each_volume_with_its_place(two_sagas, tmp_path):
    code, shown = _on_terminal(["quote", "Saga", "words"], [(b"which? [1-2, Enter for none]", b"")], tmp_path)
    assert code == 1 and f"1. saga (Saga (Saga #1) by {BKV})" in shown, shown
    assert f"2. saga-vaughan (Saga (Saga #3) by {BKV})" in shown, shown


@pytest.mark.parametrize(
    ("book", "slug"),
    [("Saga #3", "saga-vaughan"), ("Saga, Vol. 3", "saga-vaughan"), ("Saga Volume Three", "saga-vaughan"),
     ("Saga, Tome 3", "saga-vaughan"), ("Saga (Saga, #3)", "saga-vaughan"), ("Saga #1", "saga"),
     ("Saga, Book 1", "saga")],
)  # fmt: skip
def test_a_book_s_place_however_written_names_that_volume(run, two_sagas, book, slug):
    """`quote "Saga #3"` said no book in the journal is 'Saga #3', while `add "Saga #3" --reread` found it."""
    run("quote", book, "a line", "--no-input")
    assert "a line" in quotes(two_sagas, slug)


def test_a_place_no_book_has_is_never_guessed(run, two_sagas):
    err = run("quote", "Saga #2", "a line", "--no-input", code=1).stderr
    assert "no book in the journal is 'Saga #2'" in err, err
    assert "a line" not in quotes(two_sagas, "saga") + quotes(two_sagas, "saga-vaughan")


def test_a_write_by_the_one_word_slug_of_one_of_two_alike_titled_books_is_still_refused(run, two_sagas):
    """(Decided: `saga` is volume 3's whole title too, and a whole title never writes into another book;
    the refusal names `saga.toml`, which writes to volume 1.)"""
    err = run("quote", "saga", "a line", "--no-input", code=1).stderr
    assert "give `saga.toml`" in err and "Saga (Saga #3)" in err, err
    run("quote", "saga.toml", "a line")
    assert "a line" in quotes(two_sagas, "saga")
    assert "the whole title of saga-vaughan.toml (Saga (Saga #3))" in run("check").stdout


# --- #5: one rule for every way a place is written ---------------------------------------------------------
@pytest.mark.parametrize(
    "title", ["Lucky Number 7", "Book number 40", "Part of the Sea", "Dr. No", "Catch-22"]
)
def test_a_number_word_out_of_parentheses_or_a_part_word_alone_is_no_place(title):
    assert identity.title_volumes(title) == () and identity.volume_title(title) is None


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("Saga, Vol. 2", "Saga, Tome 2", "SURE"),
        ("Saga, Vol. 2", "Saga (Saga, Tome 2)", "SURE"),
        ("Saga, Vol. 2", "Saga (Saga, No. 2)", "SURE"),
        ("Saga, Vol. 2", "Saga, No. 2", "SURE"),
        ("Saga, Volume II", "Saga, Tome II", "SURE"),
        ("Saga Part Two", "Saga, Part 2", "SURE"),
        ("It: Chapter Two", "It: Chapter 2", "SURE"),
        ("Les Misérables, Tome 2", "Les Misérables (Les Misérables, Tome 2)", "SURE"),
        ("Les Misérables, Tome 2", "Les Misérables (Les Misérables, #2)", "SURE"),
        ("Saga", "Saga, Tome 2", "MAYBE"),
        # near misses stay apart
        ("Les Misérables, Tome 1", "Les Misérables, Tome 2", "NO"),
        ("Saga, Tome 2", "Saga, No. 3", "NO"),
        ("Saga, Part 2", "Saga, Part 3", "NO"),
        ("Saga, Part 2", "Saga, Vol. 2", "NO"),  # (a part is no volume: Gormenghast (Part One))
        ("Part of the Sea", "Part of the Island", "NO"),
        ("Apollo 13", "Apollo 11", "NO"),
        ("Catch-22", "Catch-23", "NO"),
        ("Dr. No", "Dr. No", "SURE"),
    ],
)
def test_every_way_of_writing_a_place_is_one_rule(a, b, same):
    x, y = identity.Work.named(a, [BKV]), identity.Work.named(b, [BKV])
    assert {identity.same_work(x, y).name, identity.same_work(y, x).name} == {same}
    if same != "NO":  # (an import and `add` compare only the books tied to a title: these are)
        assert identity.title_ties(a) & identity.title_ties(b)


@pytest.mark.parametrize(
    ("first", "second"),
    [("Saga, Vol. 2", "Saga (Saga, No. 2)"), ("Saga, Vol. 2", "Saga, Tome 2"), ("Saga Part Two", "Saga, Part 2"),
     ("Les Misérables, Tome 2", "Les Misérables (Les Misérables, Tome 2)")],
)  # fmt: skip
def test_add_finds_a_volume_written_another_way_as_check_does(run, books, first, second):
    """`add "Saga (Saga, No. 2)"` beside *Saga, Vol. 2* added a second book, which `check` then called the
    same book."""
    run("add", first, "-a", BKV, "--status", "read")
    err = run("add", second, "-a", BKV, "--status", "read", "--no-input", code=1).stderr
    assert "is already in the journal" in err, err
    assert len(slugs(books)) == 1


def test_a_clipping_s_tome_finds_the_volume_added_with_its_place_in_parentheses(run, books, tmp_path):
    run("add", "Les Misérables (Les Misérables, Tome 2)", "-a", "Victor Hugo", "--status", "read")
    path = clippings(tmp_path, clipping("Les Misérables, Tome 2 (Victor Hugo)", "deux"))
    assert "0 created" in run("import", str(path), "--from", "kindle").stderr
    assert quotes(books, slugs(books)[0]) == ["deux"]


# --- #6: a device file saved as UTF-16 ---------------------------------------------------------------------
@needs_shared
@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be"])
@pytest.mark.parametrize(
    ("fixture", "name", "fmt"),
    [
        ("koreader/" + FRANKENSTEIN, "book.sdr/metadata.epub.lua", "koreader"),
        ("koreader/koreader-export_json-1.0.0_single-document.json", "export.json", "koreader"),
        ("kindle/en_paperwhite_your-highlight-location.txt", "My Clippings.txt", "kindle"),
    ],
)
def test_a_device_file_saved_as_utf16_is_read_as_its_utf8_is(run, books, tmp_path, fixture, name, fmt, codec):
    """A UTF-16 sidecar was `unexpected 'ÿ' (not a data table)`, a UTF-16 Kindle file or KOReader JSON `not a
    Kindle highlights file`."""
    text = (SHARED / fixture).read_text(encoding="utf-8-sig")
    path = tmp_path / "device" / name
    path.parent.mkdir(parents=True)
    path.write_bytes(text.encode(codec))
    given = path.parent.parent if name.endswith(".lua") else path
    out = run("import", str(given), "--from", fmt).stderr
    assert " 0 added" not in out and "rejected" in out, out
    (tmp_path / "utf8").mkdir()
    twin = tmp_path / "utf8" / name.rsplit("/", 1)[-1]
    twin.write_text(text, encoding="utf-8")
    assert " 0 added" in run("import", str(twin), "--from", fmt).stderr  # (the same highlights: all here)
    if not name.endswith(".lua"):  # (and told apart without --from)
        assert " 0 added" in run("import", str(path)).stderr


@needs_shared
def test_utf16_that_does_not_decode_or_is_no_device_file_is_said_in_one_line(run, books, tmp_path):
    broken = tmp_path / "My Clippings.txt"
    text = (SHARED / "kindle" / "en_paperwhite_your-highlight-location.txt").read_text(encoding="utf-8-sig")
    broken.write_bytes(text.encode("utf-16")[:-1])
    err = run("import", str(broken), "--from", "kindle", code=1).stderr
    assert err.count("\n") == 1 and "is UTF-16 with a broken character" in err and "save it as UTF-8" in err
    other = tmp_path / "notes.txt"
    other.write_bytes("just some notes\nof mine\n".encode("utf-16"))
    err = run("import", str(other), code=1).stderr
    assert err.count("\n") == 1 and "is UTF-16, not UTF-8" in err and "save it as UTF-8" in err, err
    assert not slugs(books)
