"""Review 32c #8: Kindle highlights of *Saga* (Brian K. Vaughan) went surely into *Saga, Vol. 1* when the
journal had Vol. 1 and Vol. 2. A clipping titled by a series' name alone does not say which volume it is:
never sure of a book whose title is that series' name and a place (`Saga, Vol. 1`), however many volumes
the journal has; asked on a terminal, kept as its own book in a script, naming the volumes. The near misses
(a title naming its volume, a longer title, a book titled exactly like the clipping, *Twilight*) are held."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from conftest import snapshot
from readlog import identity
from test_highlights_kindle import SHARED, needs_shared
from test_import_faithful import clipping, clippings
from test_t28h_places_bytes import quotes
from test_t29h_volumes import sidecar
from test_t32f_asking import terminal

BKV = "Brian K. Vaughan"
VOL1, VOL2 = "saga-vol-1", "saga-vol-2"


def book(slug: str, title: str, authors: tuple[str, ...] = (BKV,)) -> identity.Candidate:
    return identity.Candidate(slug=slug, title=title, authors=list(authors))


def found(title: str, *journal: identity.Candidate, series=()) -> tuple[str | None, list[str]]:
    sure, maybe = identity.highlight_books(title, [BKV], journal, series)
    return (None if sure is None else sure.slug), sorted(c.slug for c in maybe)


# --- identity --------------------------------------------------------------------------------------------
def test_the_series_name_alone_is_sure_of_no_volume():
    both = (book(VOL1, "Saga, Vol. 1"), book(VOL2, "Saga, Vol. 2"))
    assert found("Saga", *both) == (None, [VOL1, VOL2])
    # decided: one volume only is no surer (the file may be Vol. 2, not added yet): asked, or kept apart
    assert found("Saga", both[0]) == (None, [VOL1])
    assert found("Saga", both[1]) == (None, [VOL2])
    # however the journal's title writes the place
    for title in ("Saga #1", "Saga: Volume One", "Saga, Book 1", "Saga Vol 1"):
        assert found("Saga", book("v", title)) == (None, ["v"]), title
    # a device's series with no number names no volume either
    assert found("Saga", *both, series=(("Saga", ""),)) == (None, [VOL1, VOL2])


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Saga: Volume 2", VOL2),
        ("Saga Vol 2", VOL2),
        ("Saga #2", VOL2),
        ("Saga, Vol. 2", VOL2),
        ("Saga (Saga, #2)", VOL2),
        ("Saga: Volume Two", VOL2),
        ("Saga, Vol. 1", VOL1),
        ("Saga #1", VOL1),
    ],
)
def test_a_title_that_names_its_volume_is_still_sure_of_it(title, slug):
    assert found(title, book(VOL1, "Saga, Vol. 1"), book(VOL2, "Saga, Vol. 2"))[0] == slug


def test_near_misses_that_stay_as_they_were():
    both = (book(VOL1, "Saga, Vol. 1"), book(VOL2, "Saga, Vol. 2"))
    # a longer title that starts with the same word is another book
    assert found("Saga of the Swamp Thing", *both) == (None, [])
    # a book titled exactly like the clipping is its book, whatever volumes are beside it
    assert found("Saga", book("saga", "Saga"), *both)[0] == "saga"
    # a title of its own with a series beside it is no series' name: the clipping's title names it
    twilight = book("twilight", "Twilight (The Twilight Saga, Book 1)", ("Stephenie Meyer",))
    assert identity.highlight_books("Twilight", ["Stephenie Meyer"], [twilight])[0] == twilight
    # a series' mark in brackets is the book's place beside its title, as *Dune (Dune #1)* is the journal's Dune
    assert found("Saga", book("s1", "Saga (Saga, #1)"))[0] == "s1"
    assert not identity.a_volume_named("Gilead (Gilead #1)", "Gilead")
    # the series' name as a subtitle of a title of its own is not a volume of it
    assert not identity.a_volume_named("Saga: Compendium One", "Saga")
    assert not identity.a_volume_named("Saga of the Swamp Thing, Book 1", "Saga")


# --- the import, Kindle -----------------------------------------------------------------------------------
@pytest.fixture
def volumes(run, books) -> Path:
    run("add", "Saga, Vol. 1", "-a", BKV, "--status", "read")
    run("add", "Saga, Vol. 2", "-a", BKV, "--status", "read")
    return books


def saga_clip(tmp_path: Path, line: str = f"Saga ({BKV})") -> Path:
    return clippings(tmp_path, clipping(line, "Some words worth keeping"))


def test_a_script_keeps_it_apart_naming_both_volumes(run, volumes, tmp_path):
    err = run("import", str(saga_clip(tmp_path)), "--from", "kindle").stderr
    assert quotes(volumes, VOL1) == [] and quotes(volumes, VOL2) == []
    assert quotes(volumes, "saga") == ["Some words worth keeping"]
    line = next(line for line in err.splitlines() if "may be the same book" in line)
    assert f"{VOL1} (Saga, Vol. 1 by {BKV}) or {VOL2} (Saga, Vol. 2 by {BKV})" in line, line
    assert "kept as its own book" in line
    before = snapshot(volumes)  # found again: no copy per import
    run("import", str(saga_clip(tmp_path)), "--from", "kindle")
    assert snapshot(volumes) == before


def test_one_volume_only_is_kept_apart_too_naming_it(run, books, tmp_path):
    run("add", "Saga, Vol. 1", "-a", BKV, "--status", "read")
    err = run("import", str(saga_clip(tmp_path)), "--from", "kindle").stderr
    assert quotes(books, VOL1) == [] and quotes(books, "saga") == ["Some words worth keeping"]
    assert f"may be the same book as {VOL1} (Saga, Vol. 1 by {BKV})" in err, err


@pytest.mark.parametrize("line", ["Saga: Volume 2", "Saga Vol 2", "Saga #2"])
def test_a_clipping_naming_its_volume_goes_there(run, volumes, tmp_path, line):
    err = run("import", str(saga_clip(tmp_path, f"{line} ({BKV})")), "--from", "kindle").stderr
    assert quotes(volumes, VOL2) == ["Some words worth keeping"], err
    assert not (volumes / "saga.toml").exists() and quotes(volumes, VOL1) == []


def test_a_longer_title_is_its_own_book_and_nothing_is_asked(run, volumes, tmp_path):
    err = run(
        "import", str(saga_clip(tmp_path, f"Saga of the Swamp Thing ({BKV})")), "--from", "kindle"
    ).stderr
    assert quotes(volumes, "saga-of-the-swamp-thing") == ["Some words worth keeping"]
    assert "may be the same book" not in err


def test_a_terminal_asks_which_volume(volumes, tmp_path):
    clip = saga_clip(tmp_path)
    code, shown = terminal(["import", str(clip)], [(b"Enter for its own book]", b"2")], tmp_path)
    assert code == 0, shown
    assert "may be one of these books the journal has" in shown
    assert quotes(volumes, VOL2) == ["Some words worth keeping"] and quotes(volumes, VOL1) == []
    assert not (volumes / "saga.toml").exists()
    before = snapshot(volumes)  # asked once
    code, shown = terminal(["import", str(clip)], [], tmp_path)
    assert code == 0 and "Enter for its own book" not in shown and snapshot(volumes) == before


def test_a_terminal_asks_about_the_one_volume_and_names_it(run, books, tmp_path):
    run("add", "Saga, Vol. 1", "-a", BKV, "--status", "read")
    code, shown = terminal(["import", str(saga_clip(tmp_path))], [(b"[y/N]", b"y")], tmp_path)
    assert code == 0, shown
    assert "note: its title names no volume, saga-vol-1's volume 1" in shown, shown
    assert quotes(books, VOL1) == ["Some words worth keeping"]


# --- KOReader and Kobo: the title the device gives is the series' name --------------------------------------
@needs_shared
def test_a_koreader_book_titled_by_the_series_alone_is_kept_apart(run, volumes, tmp_path):
    path = sidecar(tmp_path, "Saga", "Saga")  # (the device's series, no number)
    err = run("import", str(path.parent.parent), "--from", "koreader").stderr
    assert len(quotes(volumes, "saga")) > 0 and quotes(volumes, VOL1) == [] and quotes(volumes, VOL2) == []
    assert f"{VOL1} (Saga, Vol. 1 by {BKV}) or {VOL2}" in err, err


@needs_shared
def test_a_kobo_book_titled_by_the_series_alone_is_kept_apart(run, volumes, tmp_path):
    path = tmp_path / "KoboReader.sqlite"
    shutil.copyfile(SHARED / "kobo" / "KoboReader_trimmed_suntzu_2highlights_2notes.sqlite", path)
    with sqlite3.connect(path) as db:
        db.execute("UPDATE content SET Title = 'Saga', Attribution = ? WHERE ContentType = 6", (BKV,))
    db.close()
    err = run("import", str(path), "--from", "kobo").stderr
    assert len(quotes(volumes, "saga")) > 0 and quotes(volumes, VOL1) == [] and quotes(volumes, VOL2) == []
    assert f"{VOL1} (Saga, Vol. 1 by {BKV}) or {VOL2}" in err, err


@needs_shared
def test_a_kobo_book_with_its_series_number_goes_to_its_volume(run, volumes, tmp_path):
    path = tmp_path / "KoboReader.sqlite"
    shutil.copyfile(SHARED / "kobo" / "KoboReader_trimmed_suntzu_2highlights_2notes.sqlite", path)
    with sqlite3.connect(path) as db:
        db.execute("UPDATE content SET Title = 'Saga, Vol. 2', Attribution = ? WHERE ContentType = 6", (BKV,))
    db.close()
    run("import", str(path), "--from", "kobo")
    assert len(quotes(volumes, VOL2)) > 0 and not (volumes / "saga.toml").exists()


# --- add, show, rate by title: already never sure of one volume (guards) -------------------------------------
@pytest.mark.parametrize("args", [["rate", "Saga", "4"], ["add", "Saga", "--reread"], ["quote", "Saga", "w"]])
def test_a_book_argument_of_the_series_name_names_both_volumes_and_writes_nothing(run, volumes, args):
    before = snapshot(volumes)
    err = run(*args, "--no-input", code=1).stderr
    assert f"{VOL1} (Saga, Vol. 1 by {BKV}), {VOL2} (Saga, Vol. 2 by {BKV})" in err, err
    assert snapshot(volumes) == before


# --- add and check: a series' name alone beside a volume is a maybe, not that volume ------------------------
def test_add_of_the_series_name_names_every_volume_and_adds_nothing(run, volumes):
    """`add "Saga"` said `'Saga' is already in the journal as 'saga-vol-1'`, beside Vol. 2 too."""
    before = snapshot(volumes)
    err = run("add", "Saga", "-a", BKV, "--no-input", code=1).stderr
    assert f"may be the same book as {VOL1} (Saga, Vol. 1 by {BKV}), {VOL2} (Saga, Vol. 2 by {BKV})" in err, (
        err
    )
    assert "already in the journal as" not in err and snapshot(volumes) == before
    run("add", "Saga", "-a", BKV, "--new")  # (the way it names)
    assert (volumes / "saga.toml").exists()


def test_check_lists_the_kept_apart_book_as_a_maybe_of_each_volume(run, volumes, tmp_path):
    """`check` called the *Saga* the import kept apart "the same book as saga-vol-1.toml" (a problem, with the
    merge into Vol. 1 as its advice), while the import said it may be either volume."""
    run("import", str(saga_clip(tmp_path)), "--from", "kindle")
    result = run("check", code=0)
    out = result.stdout + result.stderr
    assert "the same book as saga-vol-1.toml" not in out.replace("maybe the same book", ""), out
    assert f"maybe the same book as {VOL1}.toml" in out and f"maybe the same book as {VOL2}.toml" in out, out


def test_add_near_misses_stay_as_they_were(run, books):
    run("add", "Twilight (The Twilight Saga, Book 1)", "-a", "Stephenie Meyer")
    err = run("add", "Twilight", "-a", "Stephenie Meyer", "--no-input", code=1).stderr
    assert "is already in the journal as 'twilight-the-twilight-saga-book-1'" in err, (
        err
    )  # (a title of its own)
    run("add", "Saga, Vol. 1", "-a", BKV)
    assert (
        "already in the journal as 'saga-vol-1'"
        in run("add", "Saga #1", "-a", BKV, "--no-input", code=1).stderr
    )
    run("add", "Saga of the Swamp Thing", "-a", "Alan Moore")  # (another book: added)
    assert (books / "saga-of-the-swamp-thing.toml").exists()
