"""t31k: review 31a's findings in t31e's merged rows with no id (F1, F2, F8) and its JSON backup (F7): a
book restored after a merge keeps its row's news; the same export after a merge of two rows alike adds
nothing back and writes the kept row's news to the book's own record; the book a merged row was written to
is said to be found by that merge; a backup with two imports.toml keys restores the newest of each. Each
test fails on the code before it."""

from __future__ import annotations

import json
import shutil
import tomllib

import pytest

from readlog.sync.driver import merge_texts
from test_sync_git import assert_clean, devices, files, remote  # noqa: F401 (fixtures)
from test_t30f_merged_editions import _sg
from test_t30k_merged_shared import _still
from test_t31e_merged_imports import LATER, NEWER, OLDER

# Two to-read rows alike but for their titles: one author, one Date Added, no ISBN/UID (review 31a's repro)
DAISIES = {"Title": "Picking Daisies on Sundays", "Authors": "Liana Cincotti", "Format": "paperback",
           "Read Status": "to-read", "Date Added": "2025/02/23"}  # fmt: skip
LOVE = {**DAISIES, "Title": "Don't Be In Love", "Format": "digital"}
READ = {"Read Status": "read", "Read Count": "1", "Star Rating": "2.0", "Review": "love review"}
LOVE_READ = {**LOVE, **READ, "Last Date Read": "2025/07/01", "Dates Read": "2025/07/01"}
DAISIES_READ = {**DAISIES, **READ, "Last Date Read": "2025/06/01", "Dates Read": "2025/06/01", "Star Rating": "4.0",
                "Review": "daisies review"}  # fmt: skip
PAIR = ("picking-daisies-on-sundays", "don-t-be-in-love")


def _book(books, slug: str) -> dict:
    return tomllib.loads((books / f"{slug}.toml").read_text("utf-8"))


def _merged(run, tmp_path) -> None:
    run("import", str(_sg(tmp_path, DAISIES, LOVE)))
    run("merge", *PAIR, "--force")


def test_a_book_restored_after_a_merge_keeps_its_rows_news(run, books, tmp_path):
    """*Don't Be In Love* merged into *Picking Daisies on Sundays*, then restored: the `--update` of the
    export where it was read wrote its reading, rating and review to *Picking Daisies* (review 31a F1). The
    restored book holds the row's record as its own: its news is its; *Picking Daisies* is left as it was."""
    _merged(run, tmp_path)
    run("restore", PAIR[1])
    daisies = (books / f"{PAIR[0]}.toml").read_bytes()
    said = run("import", "--update", str(_sg(tmp_path, DAISIES, LOVE_READ, name="b2.csv"))).stderr
    assert "0 added" in said and "1 updated" in said and PAIR[0] not in said, said
    love = _book(books, PAIR[1])
    assert love["status"] == "read" and love["rating"] == 2 and love["review"]["body"] == "love review", love
    assert (books / f"{PAIR[0]}.toml").read_bytes() == daisies


def test_a_row_two_books_keep_merged_in_is_left_naming_both(run, books, tmp_path):
    """The near miss: merged into one book, restored, merged into another (each keeps its row merged in):
    which one is its book is not known; left as they are, both named, nothing added."""
    songs = {**DAISIES, "Title": "Love Songs", "Date Added": "2025/03/01"}
    run("import", str(_sg(tmp_path, DAISIES, LOVE, songs)))
    run("merge", *PAIR, "--force")
    run("restore", PAIR[1])
    run("merge", "love-songs", PAIR[1], "--force")
    before = {slug: (books / f"{slug}.toml").read_bytes() for slug in (PAIR[0], "love-songs")}
    said = run("import", "--update", str(_sg(tmp_path, DAISIES, LOVE_READ, songs, name="b2.csv"))).stderr
    assert "0 added" in said and "left as they are" in said, said
    assert f"{PAIR[0]} (its row merged in)" in said and "love-songs (its row merged in)" in said, said
    assert {slug: (books / f"{slug}.toml").read_bytes() for slug in before} == before


def test_the_same_export_after_a_merge_of_rows_alike_adds_nothing_back(run, books, tmp_path):
    """Two to-read rows alike but for their titles, merged: the same export added the merged one back
    (review 31a F2: the book's own record, equal to the edition's, was taken for the row's). Its edition
    keeps its title: nothing added, nothing changed, nothing said, run after run."""
    _merged(run, tmp_path)
    _still(run, books, _sg(tmp_path, DAISIES, LOVE, name="again.csv"), never="added back")
    assert sorted(p.name for p in books.glob("*.toml")) == [f"{PAIR[0]}.toml"]


def test_the_kept_rows_news_goes_to_the_books_own_record_never_the_merged_edition(run, books, tmp_path):
    """The kept row read since: `--update` added the merged book back and wrote the kept row's reading into
    the merged edition's record, the book's own still saying to-read (review 31a F2). The book's own record
    is the row's now; the edition's is left as it was; nothing added; the runs after change nothing."""
    _merged(run, tmp_path)
    path = _sg(tmp_path, DAISIES_READ, LOVE, name="a2.csv")
    said = run("import", "--update", str(path)).stderr
    assert "0 added" in said and "1 updated" in said, said
    book = _book(books, PAIR[0])
    storygraph = book["source"]["storygraph"]
    assert book["rating"] == 4 and storygraph["imported"]["status"] == "read", book
    edition = next(e for e in storygraph["editions"] if "imported" in e)
    assert edition["title"] == LOVE["Title"] and edition["imported"]["status"] == "want", edition
    _still(run, books, path, never="added back")


def test_a_merged_rows_book_is_said_to_be_found_by_the_merge(run, books, tmp_path):
    """The merged row read since: its news is written to *Picking Daisies*, "the book holding its ISBN or
    id" (review 31a F8), where the row has neither: the book it was merged into, said."""
    _merged(run, tmp_path)
    said = run("import", "--update", str(_sg(tmp_path, DAISIES, LOVE_READ, name="b2.csv"))).stderr
    assert f"written to {PAIR[0]} (Picking Daisies on Sundays), the book its row was merged into" in said, (
        said
    )
    assert "ISBN or id" not in said


@pytest.mark.skipif(not NEWER.exists(), reason="the real Goodreads exports are not here")
@pytest.mark.parametrize("at", [1, 5], ids=["second-book", "later-book"])
def test_a_backup_with_a_stale_imports_key_in_a_later_book_restores_the_newest(run, books, tmp_path, at):
    """A backup holding a second imports.toml key (an older readlog kept one in a book file, a stale
    goodreads record): its last one was restored, the first book's fresh one dropped, and the older
    export taken again (review 31a F7). Every key joined, the newer record of each source kept (a source
    only the stale key names too): the restored journal refuses the older export; no book keeps the key."""
    run("import", str(NEWER))
    backup = tmp_path / "backup.json"
    run("export", "--format", "json", "--output", str(backup))
    data = json.loads(backup.read_text("utf-8"))
    stale = {"latest": "2019-12-16", "imported": "2020-01-01", "rows": 5}
    data[at]["imports.toml"] = {"goodreads": stale, "storygraph": stale}
    backup.write_text(json.dumps(data), "utf-8")
    fresh = tmp_path / "fresh"
    run("--data-dir", str(fresh), "import", str(backup))
    kept = tomllib.loads((fresh / "imports.toml").read_text("utf-8"))
    assert str(kept["goodreads"]["latest"]) == data[0]["imports.toml"]["goodreads"]["latest"], kept
    assert str(kept["storygraph"]["latest"]) == "2019-12-16", kept
    assert not any("imports.toml" in p.read_text("utf-8") for p in (fresh / "books").glob("*.toml"))
    said = run("--data-dir", str(fresh), "import", "--update", str(OLDER), code=1).stderr
    assert "an older Goodreads export than the last one imported" in said, said


# --- review 31a F6: two devices' `--update` of a merged row with no id ----------------------------------------
POEMS = {"Title": "Poems", "Authors": "Emily Dickinson", "ISBN/UID": "9780316184137", "Format": "paperback",
         "Read Status": "to-read", "Date Added": "2024/01/05"}  # fmt: skip
UNTITLED = {**POEMS, "Authors": "", "ISBN/UID": "", "Format": "digital"}


def _read(rating: str, review: str) -> dict[str, str]:
    return {**UNTITLED, "Read Status": "read", "Last Date Read": "2024/06/01", "Dates Read": "2024/06/01",
            "Read Count": "1", "Star Rating": rating, "Review": review}  # fmt: skip


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_two_devices_updating_a_merged_row_take_the_newer_exports_values(devices, tmp_path):
    """The authorless to-read *Poems* (no ISBN/UID) merged into Emily Dickinson's: each device's `--update`
    of another export (read, rated 5 and 2, reviewed) wrote the row's news to the book's rating and review,
    which the book's own record does not hold: the sync took both as the reader's edits, a conflict
    (review 31a F6). The newer export's values, as for a book never merged; no conflict."""
    laptop, work = devices
    laptop("import", str(_sg(tmp_path, POEMS, UNTITLED)))
    laptop("merge", "poems.toml", "poems-2.toml", "--force")
    laptop("sync")
    work("sync")
    work("import", "--update", str(_sg(tmp_path, POEMS, _read("5.0", "work review"), name="work.csv")))
    work("sync")
    newer = _sg(tmp_path, POEMS, _read("2.0", "laptop review"), LATER, name="laptop.csv")
    laptop("import", "--update", str(newer))
    laptop("sync")
    work("sync")
    assert files(laptop) == files(work)
    book = tomllib.loads(laptop.text("poems"))
    assert "conflicts" not in book and book["rating"] == 2 and book["review"]["body"] == "laptop review", book
    assert_clean(laptop, work)


@pytest.mark.parametrize("edited", [False, True], ids=["as-updated", "older-side-edited"])
def test_the_merge_driver_takes_a_merged_rows_news_from_the_newer_export(run, books, tmp_path, edited):
    """The merge driver on its own: each side's `--update` of the merged row; told which export is newer,
    its rating and review, no conflict; not told, or the older side's rating edited by its reader since (a
    value no export brought), a conflict as ever."""
    run("import", str(_sg(tmp_path, POEMS, UNTITLED)))
    run("merge", "poems.toml", "poems-2.toml", "--force")
    path = books / "poems.toml"
    base = path.read_text("utf-8")
    sides = []
    for rating, review in (("5.0", "ours review"), ("2.0", "theirs review")):
        path.write_text(base, "utf-8")
        run("import", "--update", str(_sg(tmp_path, POEMS, _read(rating, review), name=f"{rating}.csv")))
        sides.append(path.read_text("utf-8"))
    ours, theirs = sides
    if edited:
        ours = ours.replace("rating = 5\n", "rating = 3\n", 1)
    text, conflicts = merge_texts(base, ours, theirs, "books/poems.toml")
    assert {"rating", "review.body"} <= set(conflicts), conflicts
    text, conflicts = merge_texts(base, ours, theirs, "books/poems.toml", newer=lambda source: "theirs")
    book = tomllib.loads(text)
    assert book["review"]["body"] == "theirs review" and "review.body" not in conflicts, text
    assert (conflicts == ["rating"]) if edited else (conflicts == [] and book["rating"] == 2), conflicts
