"""What an import says and refuses (session 20, from the new user's try-out): an older export applied with
--force says every value it changes; an older export that changes no book an import brought (another
reader's library) is taken; a dry run leaves the disk as it was; --update counts every book it rewrote; a
long cell is read, one too long is refused in readlog's words. Near misses beside each rule."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import REPO, snapshot
from readlog.importers.common import CELL_LIMIT
from test_import_export import GR_HEADER, SHARED, gr_row, needs_shared, write_csv


def _books(run) -> dict[str, dict]:
    return {b["title"]: b for b in json.loads(run("export", "--format", "json").stdout)}


def _mine(tmp_path: Path) -> Path:
    """The reader's own library, exported in 2024: 1984 waiting in the queue, Dune read and rated."""
    return write_csv(tmp_path / "mine.csv", GR_HEADER, [
        gr_row(**{"Book Id": "40961427", "Title": "1984", "Author": "George Orwell", "Exclusive Shelf": "to-read",
                  "Bookshelves": "to-read", "Bookshelves with positions": "to-read (#142)", "Date Added": "2024/05/01"}),
        gr_row(**{"Book Id": "7", "Title": "Dune", "Author": "Frank Herbert", "My Rating": "5",
                  "Date Read": "2023/03/01", "Date Added": "2023/01/01"}),
    ])  # fmt: skip


def _theirs(tmp_path: Path, *rows: dict[str, str], name: str = "theirs.csv") -> Path:
    """Another reader's library, exported in 2020 (older than the reader's own)."""
    return write_csv(tmp_path / name, GR_HEADER, [
        gr_row(**{"Book Id": "900", "Title": "Emma", "Author": "Jane Austen", "Date Read": "2020/02/02",
                  "Date Added": "2019/05/05"}),
        *rows,
    ])  # fmt: skip


# Their 1984: another edition (Book Id 5470), read, rated 3, with an introduction writer among the authors.
THEIR_1984 = gr_row(**{"Book Id": "5470", "Title": "1984", "Author": "George Orwell", "My Rating": "3",
                       "Additional Authors": "Erich Fromm", "Binding": "Mass Market Paperback",
                       "Date Read": "2020/06/01", "Date Added": "2019/01/01"})  # fmt: skip


# --- 1. --force on an older export says every value it changes --------------------------------------------
def test_force_says_every_value_an_older_exports_edition_changes(run, tmp_path, books):
    run("import", str(_mine(tmp_path)))
    result = run("import", str(_theirs(tmp_path, THEIR_1984)), "--force")
    said = result.stderr
    assert "older than the last Goodreads export imported: applied (--force)" in said
    for change in (
        "changed: 1984: status want -> read",
        "changed: 1984: queue position 142 -> none",  # a read book leaves the queue, and that is said
        "changed: 1984: rating none -> 3",
        "changed: 1984: reading added (finished 2020-06-01)",
        "changed: 1984: another edition joined (Book Id 5470, format Mass Market Paperback)",
    ):
        assert change in said, said
    assert "Emma" not in said.replace("1 added", "")  # a book added is counted, not a change
    assert "Book Id 40961427" not in said  # the book's own edition, listed first, is not a joined one
    assert "authors" not in said  # (another edition never rewrites the book's authors: t33f)
    book = _books(run)["1984"]
    assert book["status"] == "read" and book["rating"] == 3 and "priority" not in book
    assert book["authors"] == ["George Orwell"]
    assert "1 added, 1 updated" in said


def test_a_newer_exports_edition_is_joined_without_changed_lines(run, tmp_path):
    # near miss: not an older export, so nothing calls for each value (the count says it)
    run("import", str(_mine(tmp_path)))
    newer = {**THEIR_1984, "Date Read": "2025/06/01"}
    result = run("import", str(write_csv(tmp_path / "newer.csv", GR_HEADER, [newer])))
    assert "changed:" not in result.stderr and "0 added, 1 updated" in result.stderr


def test_force_with_update_says_each_change_as_before(run, tmp_path):
    run("import", str(_mine(tmp_path)))
    older = write_csv(tmp_path / "older.csv", GR_HEADER, [
        gr_row(**{"Book Id": "7", "Title": "Dune", "Author": "Frank Herbert", "My Rating": "4", "Bookshelves": "sf",
                  "Date Read": "2023/03/01", "Date Added": "2023/01/01"}),
    ])  # fmt: skip
    said = run("import", str(older), "--update", "--force").stderr
    assert "changed: Dune: rating 5 -> 4" in said and "changed: Dune: tags + sf" in said


# --- 2. an older export that changes no book an import brought is taken ------------------------------------
def test_another_readers_older_library_is_taken_without_force(run, tmp_path, journal_home):
    run("import", str(_mine(tmp_path)))
    record = (journal_home / "imports.toml").read_bytes()
    result = run("import", str(_theirs(tmp_path)))
    said = result.stderr
    assert "an older Goodreads export than the last one imported" in said and "changes no book" in said
    assert "2020-02-02" in said and "2024-05-01" in said
    assert "1 added" in said and "changed:" not in said
    assert set(_books(run)) == {"1984", "Dune", "Emma"}
    assert (journal_home / "imports.toml").read_bytes() == record  # the newer export's record, whole


def test_an_older_export_of_the_same_library_is_still_refused(run, tmp_path, journal_home):
    run("import", str(_mine(tmp_path)))
    before = snapshot(journal_home)
    older = write_csv(tmp_path / "older.csv", GR_HEADER, [
        gr_row(**{"Book Id": "7", "Title": "Dune", "Author": "Frank Herbert", "My Rating": "2",
                  "Date Read": "2023/03/01", "Date Added": "2023/01/01"}),
    ])  # fmt: skip
    for args in ([], ["--update"], ["--dry-run"]):
        error = run("import", str(older), *args, code=1).stderr
        assert (
            "an older Goodreads export" in error and "(Dune: rating 5 -> 2)" in error and "--force" in error
        )
        # (no date says which is newer: refused, its value named, and that it may be the newer export: t33f)
        assert "it may be the newer export" in error
    assert snapshot(journal_home) == before


def test_one_shared_book_with_other_values_refuses_naming_it(run, tmp_path, journal_home):
    run("import", str(_mine(tmp_path)))
    before = snapshot(journal_home)
    error = run("import", str(_theirs(tmp_path, THEIR_1984)), code=1).stderr
    assert "it holds other values than an import brought here (1984: status want -> read," in error
    assert "which `--update` would undo" in error  # (t22g: a plain import keeps them)
    assert "add 1 book the last export no longer held (Emma)" in error  # (t22g: what it does, said)
    assert snapshot(journal_home) == before


def test_one_shared_book_as_that_import_brought_it_is_taken(run, tmp_path):
    # near miss: the shared row says what the import brought (the same export's row again)
    run("import", str(_mine(tmp_path)))
    same_dune = gr_row(**{"Book Id": "7", "Title": "Dune", "Author": "Frank Herbert", "My Rating": "5",
                          "Date Read": "2023/03/01", "Date Added": "2023/01/01"})  # fmt: skip
    said = run("import", str(_theirs(tmp_path, same_dune))).stderr
    assert "changes no book" in said and "1 added" in said and "1 skipped" in said


def test_a_shared_book_the_reader_added_by_hand_is_not_an_imports(run, tmp_path):
    # near miss: the journal's book was not brought by a Goodreads import: nothing of it to undo
    run("import", str(_mine(tmp_path)))
    run("add", "Persuasion", "--author", "Jane Austen")
    theirs = gr_row(**{"Book Id": "901", "Title": "Persuasion", "Author": "Jane Austen", "My Rating": "4",
                       "Date Read": "2020/01/01", "Date Added": "2019/01/01"})  # fmt: skip
    said = run("import", str(_theirs(tmp_path, theirs))).stderr
    assert "changes no book" in said


def test_many_shared_books_are_named_a_few(run, tmp_path):
    rows = [gr_row(**{"Book Id": str(n), "Title": f"Book {n}", "Author": "Somebody", "Date Added": "2024/01/01"})
            for n in range(1, 7)]  # fmt: skip
    run("import", str(write_csv(tmp_path / "new.csv", GR_HEADER, rows)))
    older = [{**row, "Date Added": "2023/01/01"} for row in rows]
    error = run("import", str(write_csv(tmp_path / "old.csv", GR_HEADER, older)), code=1).stderr
    assert (
        "(Book 1: added 2024-01-01 -> 2023-01-01; Book 2: added 2024-01-01 -> 2023-01-01; Book 3: " in error
    )
    assert "-> 2023-01-01 and more)" in error and "it may be the newer export" not in error  # (older rows)


# --- 3. a dry run changes nothing on disk ----------------------------------------------------------------
def test_a_dry_run_into_a_fresh_home_makes_nothing(run, tmp_path, journal_home):
    said = run("import", str(_mine(tmp_path)), "--dry-run")
    assert "2 would be added" in said.stderr
    assert not journal_home.exists()  # not the data folder, not its lock file
    assert not (tmp_path / "cache").exists()  # nor an index in the cache
    kindle = run("import", str(REPO / "examples" / "my_clippings.txt"), "--dry-run")
    assert "would be" in kindle.stderr
    assert not journal_home.exists() and not (tmp_path / "cache").exists()


def test_a_dry_run_leaves_a_journal_byte_for_byte(run, tmp_path, journal_home):
    run("import", str(_mine(tmp_path)))
    before, entries = snapshot(journal_home), sorted(journal_home.rglob("*"))
    newer = write_csv(tmp_path / "newer.csv", GR_HEADER, [
        gr_row(**{"Book Id": "7", "Title": "Dune", "Author": "Frank Herbert", "My Rating": "4",
                  "Date Read": "2025/03/01", "Date Added": "2023/01/01"}),
        gr_row(**{"Book Id": "8", "Title": "Emma", "Author": "Jane Austen", "Date Added": "2025/01/01"}),
    ])  # fmt: skip
    for args in (["--dry-run"], ["--dry-run", "--update"]):
        said = run("import", str(newer), *args).stderr
        assert "1 would be added" in said
    run("import", str(REPO / "examples" / "my_clippings.txt"), "--dry-run")
    assert snapshot(journal_home) == before
    assert sorted(journal_home.rglob("*")) == entries  # no folder made either


# --- 4. --update says every book whose file it changed (try-out 26b #5: a dropped position on its own line,
# in no count of the export's rows, which add up to its rows) ---------------------------------------------
def test_update_names_the_books_whose_queue_position_it_dropped(run, tmp_path):
    run("import", str(_mine(tmp_path)))
    without_1984 = write_csv(tmp_path / "later.csv", GR_HEADER, [
        gr_row(**{"Book Id": "7", "Title": "Dune", "Author": "Frank Herbert", "My Rating": "5",
                  "Date Read": "2023/03/01", "Date Added": "2023/01/01"}),
        gr_row(**{"Book Id": "8", "Title": "Emma", "Author": "Jane Austen", "Date Added": "2024/06/01"}),
    ])  # fmt: skip
    dry = run("import", str(without_1984), "--update", "--dry-run")
    dropped = (
        "changed: 1 book no longer in the export's to-read queue: its position {}dropped (still want): 1984"
    )
    assert dropped.format("would be ") in dry.stdout and "update: 1984" not in dry.stdout
    assert "0 would be updated, 1 would be skipped" in dry.stderr
    said = run("import", str(without_1984), "--update", "--json")
    assert "1 added, 0 updated, 1 skipped" in said.stderr and dropped.format("") in said.stderr, said.stderr
    assert "older" not in said.stderr
    report = json.loads(said.stdout)
    assert report["updated"] == [] and report["dropped_positions"] == [{"slug": "1984", "title": "1984"}]
    assert "priority" not in _books(run)["1984"]
    again = run("import", str(without_1984), "--update").stderr  # near miss: nothing left to drop
    assert "0 added, 0 updated, 2 skipped" in again


# --- 5. a long cell is read; one too long is said in readlog's words ----------------------------------------
def test_a_200_kb_review_is_read_whole(run, tmp_path):
    review = "A long and careful review. " * 8000  # 216,000 characters: past the csv module's 131,072
    path = write_csv(tmp_path / "long.csv", GR_HEADER, [gr_row(**{"Title": "Long", "My Review": review})])
    run("import", str(path))
    assert _books(run)["Long"]["review"]["body"].startswith("A long and careful review.")
    assert len(_books(run)["Long"]["review"]["body"]) > 200_000


def test_a_cell_past_the_limit_is_refused_saying_where_and_writing_nothing(run, tmp_path, journal_home):
    rows = [gr_row(**{"Book Id": "1", "Title": "Fine"}), gr_row(**{"Book Id": "2", "Title": "Huge"})]
    rows[1]["My Review"] = "x" * (CELL_LIMIT + 1)
    path = write_csv(tmp_path / "huge.csv", GR_HEADER, rows)
    error = run("import", str(path), code=1).stderr
    assert f"huge.csv:3: a cell of more than {CELL_LIMIT:,} characters on line 3" in error
    assert "field limit" not in error and "nothing was imported" in error
    assert not journal_home.exists()
    # a quote that never closes: the line it opens on is named, and the line the reading stopped on
    text = path.read_text(encoding="utf-8").splitlines(keepends=True)
    broken = text[0] + text[1] + '2,"Open,' + "more,\n" * (CELL_LIMIT // 6 + 10)
    (tmp_path / "open.csv").write_text(broken, encoding="utf-8")
    run("add", "Something", "--author", "Somebody")  # (a journal that holds a book: the file read first)
    before = snapshot(journal_home)
    error = run("import", str(tmp_path / "open.csv"), code=1).stderr
    assert "open.csv:3: a cell of more than" in error and "from line 3 to past line" in error
    assert 'a quote (") that opens a cell on line 3 never closes' in error
    assert snapshot(journal_home) == before


# --- 6. --update's hint only when the export says something else of the books left as they are -----------
HINT = "books already in the journal were left as they are"


def test_a_rerun_of_the_same_export_gives_no_update_hint(run, tmp_path, journal_home):
    run("import", str(_mine(tmp_path)))
    (journal_home / "imports.toml").unlink()  # as an import stopped half way leaves it: no record yet
    again = run("import", str(_mine(tmp_path))).stderr
    assert "0 added, 0 updated, 2 skipped" in again and HINT not in again
    again = run("import", str(_mine(tmp_path))).stderr  # and after an import that finished
    assert HINT not in again


def test_the_update_hint_when_one_book_is_said_otherwise(run, tmp_path):
    run("import", str(_mine(tmp_path)))
    rows = [
        gr_row(**{"Book Id": "7", "Title": "Dune", "Author": "Frank Herbert", "My Rating": "4",
                  "Date Read": "2023/03/01", "Date Added": "2024/06/01"}),
    ]  # fmt: skip
    said = run("import", str(write_csv(tmp_path / "newer.csv", GR_HEADER, rows))).stderr
    assert HINT in said


def test_the_update_hint_for_a_book_the_export_did_not_bring(run, tmp_path):
    # near miss: a book added by hand that a row matches has no record to compare: the export has news
    run("add", "Dune", "--author", "Frank Herbert")
    sg = tmp_path / "sg.csv"
    from test_import_export import SG_HEADER, sg_row

    write_csv(sg, SG_HEADER, [sg_row(Title="Dune", Authors="Frank Herbert", **{"Star Rating": "4.0"})])
    said = run("import", str(sg)).stderr
    assert "1 skipped" in said and HINT in said


def test_a_big_rerun_tells_by_whether_an_import_ever_finished(run, tmp_path, journal_home, monkeypatch):
    import readlog.importers

    monkeypatch.setattr(readlog.importers, "LEFT_CHECKED_UP_TO", 1)  # (every file is big, for the rule)
    run("import", str(_mine(tmp_path)))
    assert HINT in run("import", str(_mine(tmp_path))).stderr  # finished before: it may say more (not read)
    (journal_home / "imports.toml").unlink()
    assert HINT not in run("import", str(_mine(tmp_path))).stderr  # stopped before: its own books


# --- the try-out's own exports --------------------------------------------------------------------------
@needs_shared
def test_the_real_second_library_is_refused_naming_the_two_books_it_shares(run, tmp_path):
    run("import", str(SHARED / "goodreads_freizl_my-reads.csv"))
    other = str(SHARED / "goodreads_dr-rodriguez_Exploring-Goodreads.csv")
    error = run("import", other, code=1).stderr
    assert "(Animal Farm: " in error and "; 1984: " in error
    said = run("import", other, "--force").stderr
    assert (
        "changed: 1984: status want -> read" in said and "changed: 1984: queue position 142 -> none" in said
    )
    assert "changed: Animal Farm: another edition joined" in said


@needs_shared
def test_the_real_older_export_of_one_library_is_refused(run):
    run("import", str(SHARED / "goodreads-more" / "goodreads_mouse-reeve_book-catalogue_2020-10.csv"))
    older = SHARED / "goodreads-more" / "goodreads_mouse-reeve_book-catalogue_2019-12.csv"
    error = run("import", str(older), code=1).stderr
    assert (
        "an older Goodreads export" in error
        and " and more), which `--update` would undo (use --force" in error
    )
