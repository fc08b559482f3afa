"""t30k: review 30a's F1-F3 over books the reader merged. A merged book's readings and values are shared by
the rows' records (the book's own, each edition's): a row's `--update` never takes away what another row
the book keeps still brings, and a sync keeps one entry of each edition. Files compared byte for byte."""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path

import pytest

from conftest import snapshot
from readlog.sync.driver import merge_texts
from test_sync_git import assert_clean, devices, files, remote  # noqa: F401 (fixtures)
from test_t30f_merged_editions import CHILDREN, DUNE, LEO, LEV, MESSIAH, _book, _gr, _quiet, _said

SAME_DAY = {"Date Read": "2023/03/01"}


def _still(run, books: Path, path: Path, never: str, runs: tuple[bool, ...] = (True, False, True)) -> None:
    """The export again (`--update`, plain, ...) changes no byte of the journal and says nothing, `never`
    least of all."""
    before = snapshot(books)
    for update in runs:
        said = _said(run, path, update)
        assert never not in said, said
        _quiet(said)
        assert snapshot(books) == before


@pytest.mark.parametrize("keep_second", [False, True], ids=["keep-a", "keep-b"])
def test_an_editions_update_keeps_a_reading_the_other_row_still_brings(run, books, tmp_path, keep_second):
    """Leo's and Lev's *War and Peace*, both finished 2023-03-01, merged; Lev's row moved back to to-read:
    `--update` deleted the book's one reading (Leo's row still lists it), then said on every run that the
    reader removed it (review 30a F1). The reading stays, and the runs after change nothing."""
    leo, lev = {**LEO, **SAME_DAY}, {**LEV, **SAME_DAY}
    run("import", str(_gr(tmp_path, leo, lev)))
    pair = ("war-and-peace", "war-and-peace-tolstoy")
    keep, other = reversed(pair) if keep_second else pair
    run("merge", keep, other, "--force")
    moved = {
        **(leo if keep_second else lev),
        "Date Read": "",
        "Exclusive Shelf": "to-read",
        "Read Count": "0",
    }
    rows = (moved, lev) if keep_second else (leo, moved)
    path = _gr(tmp_path, *rows, name="newer.csv")
    said = _said(run, path, True)
    assert [str(r.get("finished")) for r in _book(books, keep)["reads"]] == ["2023-03-01"], said
    _still(run, books, path, never="removed here")


@pytest.mark.parametrize("which", ["edition", "own"])
def test_a_reading_two_titles_share_stays_when_one_row_moves_its_date(run, books, tmp_path, which):
    """Dune and Dune Messiah finished the same day, merged: a newer export moving one row's reading to
    another day took the other row's reading with it (the edition's row, and the mirror: the kept book's
    own row). Both days are kept."""
    dune, messiah = {**DUNE, **SAME_DAY}, {**MESSIAH, **SAME_DAY}
    run("import", str(_gr(tmp_path, dune, messiah)))
    run("merge", "dune", "dune-messiah", "--force")
    moved = {"Date Read": "2024/06/01"}
    rows = (dune, {**messiah, **moved}) if which == "edition" else ({**dune, **moved}, messiah)
    path = _gr(tmp_path, *rows, name="newer.csv")
    said = _said(run, path, True)
    finished = sorted(str(r.get("finished")) for r in _book(books, "dune")["reads"])
    assert finished == ["2023-03-01", "2024-06-01"], said
    _still(run, books, path, never="removed here", runs=(True, False))


def test_both_rows_dropping_a_shared_reading_keep_it_named(run, books, tmp_path):
    """The near miss: both rows of the merged book lose the reading in an export with a newer row: each row
    is older than what the last import brought (its latest date, the reading's, gone: t33f, try-out 33a
    #4, an old export with one newer row looks just so), so neither is taken and both are named; the
    runs after change nothing."""
    leo, lev = {**LEO, **SAME_DAY}, {**LEV, **SAME_DAY}
    run("import", str(_gr(tmp_path, leo, lev)))
    run("merge", "war-and-peace", "war-and-peace-tolstoy", "--force")
    gone = {"Date Read": "", "Read Count": "0", "Exclusive Shelf": "to-read"}
    later = {
        **DUNE,
        "Book Id": "999",
        "Date Added": "2025/01/01",
        "Date Read": "2025/02/02",
    }  # (a newer export than the last)
    path = _gr(tmp_path, {**leo, **gone}, {**lev, **gone}, later, name="newer.csv")
    said = _said(run, path, True)
    assert [str(r.get("finished")) for r in _book(books, "war-and-peace")["reads"]] == ["2023-03-01"], said
    assert said.count("not taken: the export's row is older") == 2, said
    assert "reading removed (finished 2023-03-01)" in said
    before = snapshot(books)
    assert "0 added, 0 updated" in _said(run, path, True)
    assert snapshot(books) == before


@pytest.mark.parametrize("field", ["rating", "tags"])
def test_an_editions_change_leaves_a_value_the_other_row_shares(run, books, tmp_path, field):
    """Both rows rated 5 (or shelved alike), merged; only Lev's row changed: the edition's news replaced the
    book's value, then every `--update` said the reader set it (review 30a F2). The book keeps its value,
    said once in the existing wording, and the runs after change nothing and say nothing."""
    shared = {"My Rating": "5"} if field == "rating" else {"Bookshelves": "classics"}
    leo, lev = {**LEO, **shared}, {**LEV, **shared}
    run("import", str(_gr(tmp_path, leo, lev)))
    run("merge", "war-and-peace", "war-and-peace-tolstoy", "--force")
    kept = _book(books, "war-and-peace")
    changed = {"My Rating": "2"} if field == "rating" else {"Bookshelves": "russian"}
    path = _gr(tmp_path, leo, {**lev, **changed}, name="newer.csv")
    said = _said(run, path, True)
    book = _book(books, "war-and-peace")
    if field == "rating":
        assert book["rating"] == 5 and "kept your rating 5 (export says 2)" in said, said
    else:
        assert "classics" in book["tags"], said
    assert book["source"]["goodreads"]["imported"] == kept["source"]["goodreads"]["imported"]
    _still(run, books, path, never="kept")


# --- F3: one entry per edition after a sync -----------------------------------------------------------------
def _editions(text: str) -> list[dict]:
    return tomllib.loads(text)["source"]["goodreads"]["editions"]


def _messiah(tmp_path: Path, rating: str, name: str, *more: dict[str, str]) -> Path:
    """A newer export: Messiah read again on 2024-06-01, reviewed anew, rated `rating` (`more` rows: a later
    export)."""
    messiah = {**MESSIAH, "My Rating": rating, "Date Read": "2024/06/01", "My Review": "Messiah v2"}
    return _gr(tmp_path, DUNE, messiah, *more, name=name)


LATER = {**CHILDREN, "Date Added": "2025/07/01"}  # (in the later export only: its latest date is later)


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_two_devices_updating_a_merged_edition_keep_one_entry_the_newer_exports(devices, tmp_path):
    """Dune with Dune Messiah merged in, synced; each device's `--update` of another export renewed the
    edition's record (Messiah rated 2 on the work device, 1 on the laptop in a later export): `sync` kept
    both `[[source.goodreads.editions]]` entries of Book Id 222, `show` printed its review twice and `check`
    said all good (review 30a F3). One entry, the newer export's record, no conflict; both devices alike."""
    laptop, work = devices
    laptop("import", str(_gr(tmp_path, DUNE, MESSIAH)))
    laptop("merge", "dune", "dune-messiah", "--force")
    laptop("sync")
    work("sync")
    work("import", "--update", str(_messiah(tmp_path, "2", "work.csv")))
    work("sync")
    laptop("import", "--update", str(_messiah(tmp_path, "1", "laptop.csv", LATER)))
    laptop("sync")
    work("sync")
    assert files(laptop) == files(work)
    text = laptop.text("dune")
    ids = [e["Book Id"] for e in _editions(text)]
    assert ids == ["111", "222"], text
    assert _editions(text)[1]["imported"]["rating"] == 1 and "conflicts" not in tomllib.loads(text), text
    assert laptop("show", "dune").stdout.count("Book Id 222") == 1
    assert_clean(laptop, work)


def _both_updated(run, books, tmp_path) -> tuple[str, str, str]:
    """The common version of a merged Dune, and the two devices' versions after each `--update`."""
    run("import", str(_gr(tmp_path, DUNE, MESSIAH)))
    run("merge", "dune", "dune-messiah", "--force")
    sides = [(books / "dune.toml").read_text("utf-8")]
    for rating in ("2", "1"):
        (books / "dune.toml").write_text(sides[0], "utf-8")
        run("import", "--update", str(_messiah(tmp_path, rating, f"{rating}.csv")))
        sides.append((books / "dune.toml").read_text("utf-8"))
    return sides[0], sides[1], sides[2]


def test_which_export_is_newer_not_known_is_a_recorded_conflict_of_one_entry(run, books, tmp_path):
    """The merge driver on its own (no imports.toml to tell which export is newer): one entry of the edition,
    what differs in its record recorded as a conflict, never a second entry."""
    base, ours, theirs = _both_updated(run, books, tmp_path)
    text, conflicts = merge_texts(base, ours, theirs, "books/dune.toml")
    assert [e["Book Id"] for e in _editions(text)] == ["111", "222"], text
    assert "source.goodreads.editions[2].imported.rating" in conflicts, conflicts
    newer = merge_texts(base, ours, theirs, "books/dune.toml", newer=lambda source: "theirs")
    assert newer[1] == [] and _editions(newer[0])[1] == _editions(theirs)[1], newer


def test_check_names_an_edition_listed_twice(run, books, tmp_path):
    """A file an older readlog's sync left with two entries of one edition: `check` names it, with its line
    and the way out; a file with one entry of each is all good."""
    run("import", str(_gr(tmp_path, DUNE, MESSIAH)))
    run("merge", "dune", "dune-messiah", "--force")
    run("check")
    text = (books / "dune.toml").read_text("utf-8")
    twice = text + '\n[[source.goodreads.editions]]\n"Book Id" = "222"\n'
    (books / "dune.toml").write_text(twice, "utf-8")
    said = run("check", code=1)
    line = len(text.splitlines()) + 2
    assert f"dune.toml:{line}: source.goodreads.editions[3]: the edition Book Id 222 is listed twice" in (
        said.stdout + said.stderr
    ), said.stdout + said.stderr


def test_a_merge_of_a_book_with_editions_lists_its_own_edition_once(run, books, tmp_path):
    """`merge` of a book that already kept editions (Dune Messiah with Children of Dune merged in) listed the
    merged book's own edition twice (from its columns and from its list): once, its record with it."""
    run("import", str(_gr(tmp_path, DUNE, MESSIAH, CHILDREN)))
    run("merge", "dune-messiah", "children-of-dune", "--force")
    run("merge", "dune", "dune-messiah", "--force")
    ids = [e["Book Id"] for e in _editions((books / "dune.toml").read_text("utf-8"))]
    assert sorted(ids) == ["111", "222", "333"], ids
    run("check")
