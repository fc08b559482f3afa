"""t31e: three import defects session 30 left (review 30d F2, F4; review 30e F2): a StoryGraph edition with
no ISBN/UID that the reader merged stays one entry after two devices' `--update` and a sync; such a row
merged under another title is found again by its record; a JSON backup carries what refuses an older
export. Each test fails on the code before it."""

from __future__ import annotations

import json
import os
import shutil
import tomllib
from pathlib import Path

import pytest

from conftest import snapshot
from readlog.sync.driver import merge_texts
from test_import_export import SHARED
from test_sync_git import assert_clean, devices, files, remote  # noqa: F401 (fixtures)
from test_t30f_merged_editions import DICKINSON, NO_AUTHOR_READ, _said, _sg
from test_t30k_merged_shared import _still

# (a later export: a row added after every other row's Date Added)
LATER = {"Title": "Kindred", "Authors": "Octavia E. Butler", "Format": "paperback", "Date Added": "2025/07/01",
         "Read Count": "0", "Read Status": "to-read"}  # fmt: skip


def _poems(tmp_path: Path, review: str, rating: str, name: str, *more: dict[str, str]) -> Path:
    """A newer export: the authorless *Poems* read again on 2024-06-01, reviewed anew, rated `rating`."""
    other = {**NO_AUTHOR_READ, "Star Rating": rating, "Review": review,
             "Last Date Read": "2024/06/01", "Dates Read": "2023/05/05, 2024/06/01", "Read Count": "2"}  # fmt: skip
    return _sg(tmp_path, DICKINSON, other, *more, name=name)


def _storygraph_editions(text: str) -> list[dict]:
    return tomllib.loads(text)["source"]["storygraph"]["editions"]


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_two_devices_updating_an_edition_with_no_id_keep_one_entry_the_newer_exports(devices, tmp_path):
    """The authorless *Poems* (a StoryGraph row with no ISBN/UID) merged into Emily Dickinson's, synced;
    each device's `--update` of another export renewed the edition's record: the sync kept both entries,
    `show` printed two "Review of another edition" and `check` said all good (review 30d F2). One entry,
    the newer export's record, no conflict; both devices alike."""
    laptop, work = devices
    laptop("import", str(_sg(tmp_path, DICKINSON, NO_AUTHOR_READ)))
    laptop("merge", "poems.toml", "poems-2.toml", "--force")
    laptop("sync")
    work("sync")
    work("import", "--update", str(_poems(tmp_path, "other review work", "3.0", "work.csv")))
    work("sync")
    laptop("import", "--update", str(_poems(tmp_path, "other review laptop", "1.0", "laptop.csv", LATER)))
    laptop("sync")
    work("sync")
    assert files(laptop) == files(work)
    text = laptop.text("poems")
    kept = [e for e in _storygraph_editions(text) if "imported" in e]
    assert len(kept) == 1, text
    assert kept[0]["imported"]["rating"] == 1 and "conflicts" not in tomllib.loads(text), text
    shown = laptop("show", "poems").stdout
    assert "other review laptop" in shown and "other review work" not in shown, shown
    assert_clean(laptop, work)


def _poems_both_updated(run, books: Path, tmp_path: Path, *more: dict[str, str]) -> tuple[str, str, str]:
    """The common version of the merged *Poems* (`more`: rows merged in too, by their titles), and two
    devices' versions after each `--update` of another export (rated 3, then 1)."""
    run("import", str(_sg(tmp_path, DICKINSON, NO_AUTHOR_READ, *more)))
    for other in ("poems-2.toml", *(row["Title"] for row in more)):
        run("merge", "poems.toml", other, "--force")
    sides = [(books / "poems.toml").read_text("utf-8")]
    for rating in ("3", "1"):
        (books / "poems.toml").write_text(sides[0], "utf-8")
        run(
            "import",
            "--update",
            str(_poems(tmp_path, f"review {rating}", f"{rating}.0", f"{rating}.csv", *more)),
        )
        sides.append((books / "poems.toml").read_text("utf-8"))
    return sides[0], sides[1], sides[2]


def test_an_edition_with_no_id_whose_newer_export_is_not_known_is_one_entry_in_conflict(run, books, tmp_path):
    """The merge driver on its own: one entry of the id-less edition, what differs recorded as a conflict;
    told which export is newer, that one's entry and no conflict."""
    base, ours, theirs = _poems_both_updated(run, books, tmp_path)
    text, conflicts = merge_texts(base, ours, theirs, "books/poems.toml")
    assert len([e for e in _storygraph_editions(text) if "imported" in e]) == 1, text
    assert "source.storygraph.editions[2].imported.rating" in conflicts, conflicts
    text, conflicts = merge_texts(base, ours, theirs, "books/poems.toml", newer=lambda source: "theirs")
    assert conflicts == [] and _storygraph_editions(text) == _storygraph_editions(theirs), text


def _untitled(text: str) -> str:
    """The file as an older readlog's merge left it: its editions keep no title."""
    assert 'title = "' in text.partition("[[source.storygraph.editions]]")[2], text
    head, mark, tail = text.partition("[[source.storygraph.editions]]")
    return head + mark + "".join(line for line in tail.splitlines(True) if not line.startswith("title = "))


@pytest.mark.parametrize("titled", [True, False], ids=["titled", "merged-by-older"])
@pytest.mark.parametrize("added", ["2022/02/02", "2024/01/05"], ids=["another-day", "same-day"])
def test_two_rows_with_no_id_merged_into_one_book_stay_two_editions(run, books, tmp_path, added, titled):
    """The near miss: another authorless row (*Verses*, with its own reading; added another day, or the same
    day as the authorless *Poems*) merged in too: the two devices' updates of *Poems* pair each entry with its
    own row's, never the two rows' entries with each other; so do entries an older readlog merged, with no
    title (the same day: the first with the first)."""
    other = {**NO_AUTHOR_READ, "Title": "Verses", "Date Added": added, "Dates Read": "2022/03/03",
             "Last Date Read": "2022/03/03", "Review": "third"}  # fmt: skip
    sides = _poems_both_updated(run, books, tmp_path, other)
    base, ours, theirs = sides if titled else tuple(_untitled(side) for side in sides)
    assert ("Verses" in base) is titled
    for newer in ("ours", "theirs"):
        text, conflicts = merge_texts(
            base, ours, theirs, "books/poems.toml", newer=lambda _, which=newer: which
        )
        kept = [e for e in _storygraph_editions(text) if "imported" in e]
        verses = [e for e in kept if e["imported"]["reads"] == ["|2022-03-03|"]]
        assert len(kept) == 2 and len(verses) == 1 and verses[0] in _storygraph_editions(base), text
        assert [e["imported"]["rating"] for e in kept if e not in verses] == [3 if newer == "ours" else 1], (
            text
        )
        assert conflicts == [], conflicts


# --- review 30d F4: a row with no id merged under another title ----------------------------------------------
SG_DUNE = {**DICKINSON, "Title": "Dune", "Authors": "Frank Herbert", "Review": ""}  # (read, rated 4)
SG_MESSIAH = {**SG_DUNE, "Title": "Dune Messiah", "Format": "hardcover", "Date Added": "2024/01/06",
              "Last Date Read": "2020/05/05", "Dates Read": "2020/05/05", "Star Rating": "5.0"}  # fmt: skip
SG_WANTED = {"Title": "Dune Messiah", "Authors": "Frank Herbert", "Format": "hardcover", "Date Added": "2024/01/05",
             "Read Status": "to-read", "Read Count": "0"}  # fmt: skip
SG_TWIN = {**SG_WANTED, "Title": "Children of Dune"}  # (the to-read row's author and Date Added: no reading)


@pytest.mark.parametrize("update", [False, True], ids=["plain", "update"])
@pytest.mark.parametrize("keep_second", [False, True], ids=["keep-a", "keep-b"])
@pytest.mark.parametrize("messiah", [SG_MESSIAH, SG_WANTED], ids=["read", "to-read"])
def test_a_row_with_no_id_merged_under_another_title_is_found_there(run, books, tmp_path, messiah, keep_second,
                                                                      update):  # fmt: skip
    """StoryGraph's *Dune* and *Dune Messiah*, neither with an ISBN/UID, merged (either way round): the same
    export again added *Dune Messiah* back as a new book (review 30d F4: t30f's "already here" held only when
    the titles matched). The merged book is the row's, whatever its title: three runs, nothing added, not a
    byte changed, nothing said; a to-read row (no reading in its record) by its title, with *Children of
    Dune*, by that author and of that Date Added, beside it, its own book as ever."""
    path = _sg(tmp_path, SG_DUNE, messiah, SG_TWIN)
    assert "3 added" in run("import", str(path)).stderr
    pair = ("dune", "dune-messiah")
    keep, other = reversed(pair) if keep_second else pair
    run("merge", keep, other, "--force")
    _still(run, books, path, never="added back", runs=(update,) * 3)


def test_a_merged_rows_news_lands_on_the_book_of_another_title(run, books, tmp_path):
    """A newer export in which the merged row changed (read again): `--update` brings its reading to the
    kept book, compared with the edition's own record; a plain import says `--update` has news; nothing
    is added, and the runs after change nothing."""
    run("import", str(_sg(tmp_path, SG_DUNE, SG_MESSIAH)))
    run("merge", "dune", "dune-messiah", "--force")
    again = {
        **SG_MESSIAH,
        "Dates Read": "2020/05/05, 2025/03/03",
        "Last Date Read": "2025/03/03",
        "Read Count": "2",
    }
    path = _sg(tmp_path, SG_DUNE, again, name="newer.csv")
    assert "left as they are" in run("import", str(path)).stderr
    said = run("import", "--update", str(path)).stderr
    assert "0 added" in said and "1 updated" in said, said
    book = tomllib.loads((books / "dune.toml").read_text("utf-8"))
    assert sorted(str(r["finished"]) for r in book["reads"]) == ["2020-05-05", "2024-02-01", "2025-03-03"]
    assert sorted(p.name for p in books.glob("*.toml")) == ["dune.toml"]
    _still(run, books, path, never="added back", runs=(True, False))


READ_TWIN = {**SG_TWIN, "Read Status": "read", "Dates Read": "2025/01/01", "Last Date Read": "2025/01/01",
             "Read Count": "1", "Star Rating": "3.0"}  # fmt: skip


@pytest.mark.parametrize(
    "near, said",
    [
        (
            ({**SG_WANTED, "Authors": "Brian Herbert"}, SG_WANTED, SG_TWIN),
            "1 added",
        ),  # the title, another author
        (
            ({**SG_WANTED, "Date Added": "2025/02/02", "Format": "ebook"}, SG_TWIN),
            "1 added",
        ),  # another edition
        ((SG_WANTED, READ_TWIN), "1 updated"),  # another title of that author and day: its own book's news
    ],
    ids=["other-author", "other-edition", "other-title"],
)
def test_a_row_that_is_another_book_is_not_taken_for_the_merged_one(run, books, tmp_path, near, said):
    """The near misses: after the to-read *Dune Messiah* was merged into *Dune*, a row of that title by
    another author (the same day), a later export's row of another edition of it with no ISBN/UID (in
    place of the merged one): its own book, as before; *Children of Dune*, by that author and of that day,
    read since: `--update` brings it to its own book. *Dune* is left as it was."""
    run("import", str(_sg(tmp_path, SG_DUNE, SG_WANTED, SG_TWIN)))
    run("merge", "dune", "dune-messiah", "--force")
    dune = (books / "dune.toml").read_bytes()
    told = run("import", "--update", str(_sg(tmp_path, SG_DUNE, *near, name="near.csv"))).stderr
    assert said in told, told
    assert (books / "dune.toml").read_bytes() == dune
    assert ("dune-messiah.toml" in [p.name for p in books.glob("*.toml")]) is (said == "1 added")
    if READ_TWIN in near:
        children = tomllib.loads((books / "children-of-dune.toml").read_text("utf-8"))
        assert children["rating"] == 3 and str(children["reads"][0]["finished"]) == "2025-01-01", told


@pytest.mark.parametrize(
    "messiah, said", [(SG_MESSIAH, "0 added"), (SG_WANTED, "1 added")], ids=["read", "to-read"]
)
def test_a_row_merged_by_an_older_readlog_is_found_by_a_reading(run, books, tmp_path, messiah, said):
    """An edition merged before readlog kept its title: its row is found by its record when that holds a
    dated reading the row still has; a to-read row's record (its Date Added alone) ties it to no one row
    of that day, and it comes back as its own book, as before."""
    path = _sg(tmp_path, SG_DUNE, messiah, SG_TWIN)
    run("import", str(path))
    run("merge", "dune", "dune-messiah", "--force")
    (books / "dune.toml").write_text(_untitled((books / "dune.toml").read_text("utf-8")), "utf-8")
    assert said in _said(run, path, True)


@pytest.mark.skipif(not (SHARED / "storygraph_tranguyeenn_optimization-books-engine.csv").exists(),
                    reason="the real StoryGraph export is not here")  # fmt: skip
def test_the_real_export_finds_sapiens_merged_into_the_alchemist(run, books, tmp_path):
    """The real StoryGraph export (review 30d F4): *Sapiens* (no ISBN/UID, to-read) merged into *The
    Alchemist*: the next `--update` added it back. Nothing added, nothing changed, nothing said."""
    path = SHARED / "storygraph_tranguyeenn_optimization-books-engine.csv"
    run("import", str(path))
    run("merge", "the-alchemist", "sapiens-a-brief-history-of-humankind", "--force")
    _still(run, books, path, never="added back")


# --- review 30e F2: a JSON backup carries imports.toml ------------------------------------------------------
MORE = Path(os.environ.get("READLOG_TEST_IMPORTS", "/nonexistent")) / "goodreads-more"
NEWER, OLDER = (MORE / f"goodreads_mouse-reeve_book-catalogue_{when}.csv" for when in ("2020-10", "2019-12"))


@pytest.mark.skipif(not NEWER.exists(), reason="the real Goodreads exports are not here")
def test_a_journal_restored_from_a_json_backup_refuses_an_older_export(run, books, tmp_path):
    """The 2020-10 Goodreads export imported, the journal backed up as JSON and restored into a new one:
    the 2019-12 export's `--update` was applied there (193 updated), where the journal backed up refuses it
    (review 30e F2). Refused in both, nothing written; the restored books are the backed-up ones, byte for
    byte (imports.toml is no key of any book)."""
    run("import", str(NEWER))
    backup = tmp_path / "backup.json"
    run("export", "--format", "json", "--output", str(backup))
    fresh = tmp_path / "fresh"
    run("--data-dir", str(fresh), "import", str(backup))
    assert snapshot(fresh / "books") == snapshot(books)
    assert (
        tomllib.loads((fresh / "imports.toml").read_text("utf-8"))["goodreads"]["latest"]
        == (tomllib.loads((books.parent / "imports.toml").read_text("utf-8"))["goodreads"]["latest"])
    )
    for home in (books.parent, fresh):
        before = snapshot(home)
        said = run("--data-dir", str(home), "import", "--update", str(OLDER), code=1).stderr
        assert "an older Goodreads export than the last one imported" in said, said
        assert snapshot(home) == before


@pytest.mark.skipif(not NEWER.exists(), reason="the real Goodreads exports are not here")
def test_a_backup_without_imports_restores_as_before(run, books, tmp_path):
    """The near miss: a backup an older readlog wrote (no imports.toml in it) restores the same books and no
    imports.toml, so the older export is taken, as before; a backup's first book keeps no such key."""
    run("import", str(NEWER))
    backup = tmp_path / "backup.json"
    run("export", "--format", "json", "--output", str(backup))
    data = json.loads(backup.read_text("utf-8"))
    assert "imports.toml" in data[0] and all("imports.toml" not in item for item in data[1:])
    del data[0]["imports.toml"]
    backup.write_text(json.dumps(data), "utf-8")
    fresh = tmp_path / "fresh"
    run("--data-dir", str(fresh), "import", str(backup))
    assert snapshot(fresh / "books") == snapshot(books) and not (fresh / "imports.toml").exists()
    assert "updated" in run("--data-dir", str(fresh), "import", "--update", str(OLDER)).stderr
