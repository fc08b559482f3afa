"""An import into an empty journal records its books the cold way (Freshness.recording `cold`), and:
- stores the fingerprint and the folder's stamp a sync would store, from the stamps it recorded the rows
  with, when the books folder holds exactly the files it recorded; then the import's end (Cache.after_bulk)
  looks at no file again. A file there that was not recorded, one gone, one edited in place after its rows
  were recorded, are all found by the next sync, as when the sync after the import stored it itself;
- makes its secondary indexes (and a kept listing) when asked (`Recording.index_now`: its last books on
  their way), the rest written with them: the same rows, the same schema, every index whole."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from readlog import bookfile
from readlog.index import BIG_WRITE, Index, folder_stamp
from readlog.index.freshness import Freshness
from readlog.index.life import Cache
from readlog.journal import BookLoader
from readlog.model import Book

COUNT = BIG_WRITE + 10  # enough books for a cold recording


def _books(root: Path, count: int, first: int = 0) -> list[tuple[str, Path, Book]]:
    """`count` book files written in `root`/books, and what `record` takes for each."""
    books = root / "books"
    books.mkdir(parents=True, exist_ok=True)
    written = []
    for n in range(first, first + count):
        book = Book(title=f"Lantern {n} of the Quay", authors=[f"Writer {n % 7}"])
        path = books / f"lantern-{n}.toml"
        path.write_text(bookfile.dumps(book), encoding="utf-8")
        written.append((f"lantern-{n}", path, book))
    return written


class Counting(BookLoader):
    def __init__(self, root: Path):
        super().__init__(root)
        self.parsed: list[str] = []

    def __call__(self, slug: str):  # type: ignore[no-untyped-def]
        self.parsed.append(slug)
        return super().__call__(slug)


def _index(root: Path, tmp_path: Path) -> tuple[Index, Counting]:
    loader = Counting(root)
    return Index(root / "books", loader, tmp_path / "index.sqlite3"), loader


def _swept(index: Index) -> str:
    stamps, total = index.sweep()
    return f"{total:x}-{len(stamps)}"


def test_a_cold_recording_stores_the_fingerprint_a_sweep_of_the_folder_gives(tmp_path):
    root = tmp_path / "journal"
    written = _books(root, COUNT)
    index, loader = _index(root, tmp_path)
    index.record(written, cold=True)
    assert index._meta("fingerprint") == _swept(index)
    assert index._meta("folder") == folder_stamp(root / "books")
    assert index.sync().parsed == 0
    assert loader.parsed == []


def test_a_warm_recording_stores_none(tmp_path):
    """Into an index that holds files already (batch by batch, a journal with books): the stored
    fingerprint stays the sync's, and the sync after the import stores the new one."""
    root = tmp_path / "journal"
    index, loader = _index(root, tmp_path)
    _books(root, 3)
    index.sync()
    loader.parsed.clear()
    stored = index._meta("fingerprint"), index._meta("folder")
    index.record(_books(root, COUNT, first=3), cold=True)  # (not cold: the index lists files)
    assert (index._meta("fingerprint"), index._meta("folder")) == stored
    index.sync()
    assert index._meta("fingerprint") == _swept(index)
    assert loader.parsed == []


def test_a_file_there_that_was_not_recorded_leaves_no_fingerprint_and_the_sync_finds_it(tmp_path):
    root = tmp_path / "journal"
    written = _books(root, COUNT)
    _books(root, 1, first=COUNT)  # another book's file, in the folder, not recorded
    index, loader = _index(root, tmp_path)
    index.record(written, cold=True)
    assert index._meta("fingerprint") is None
    assert index.sync().parsed == 1
    assert loader.parsed == [f"lantern-{COUNT}"]


@pytest.mark.parametrize("another", [False, True])
def test_a_recorded_file_gone_before_the_end_leaves_no_fingerprint(another, tmp_path):
    """Also with another file in its place (as many files as recorded): the folder's stamp is stored only
    with an index that holds every file there (Cache.writer trusts it without looking at any file)."""
    root = tmp_path / "journal"
    written = _books(root, COUNT)
    index, loader = _index(root, tmp_path)
    with index.recording(True, True) as write:
        write(written)
        os.unlink(written[0][1])  # removed behind the import's back, after its rows were written
        if another:
            _books(root, 1, first=COUNT)
    assert index._meta("fingerprint") is None
    assert not index.unchanged_folder()
    report = index.sync()
    assert report.removed == 1
    assert loader.parsed == ([f"lantern-{COUNT}"] if another else [])
    assert index.db.execute("SELECT count(*) FROM books").fetchone() == (COUNT - 1 + another,)


def test_a_file_edited_in_place_after_its_rows_were_recorded_is_parsed_by_the_next_sync(tmp_path):
    root = tmp_path / "journal"
    written = _books(root, COUNT)
    index, loader = _index(root, tmp_path)
    slug, path, _ = written[5]
    with index.recording(True, True) as write:
        write(written)
        # Edited in place (no rename: the folder's stamp stays), after its stamp was taken.
        path.write_text(bookfile.dumps(Book(title="Another Title Altogether")), encoding="utf-8")
    assert index._meta("folder") == folder_stamp(root / "books")
    assert index._meta("fingerprint") != _swept(index)
    assert index.sync().parsed == 1
    assert loader.parsed == [slug]
    assert index.db.execute("SELECT title FROM books WHERE slug = ?", (slug,)).fetchone() == (
        "Another Title Altogether",
    )


@pytest.mark.parametrize("cold", [True, False])
def test_the_import_end_looks_at_the_files_only_when_the_recording_did_not(cold, tmp_path, monkeypatch):
    looked: list[str] = []
    for name in ("sweep", "fingerprint"):
        real = getattr(Freshness, name)
        monkeypatch.setattr(
            Freshness, name, lambda self, real=real, name=name: looked.append(name) or real(self)
        )
    root = tmp_path / "journal"
    cache = Cache(root / "books", Counting(root), tmp_path / "index.sqlite3")
    if not cold:  # a journal with a book already: recorded batch by batch, the sync after stores it
        _books(root, 1, first=COUNT)
        cache.fresh()
        looked.clear()
    cache.index().record(_books(root, COUNT), cold=True)
    cache.after_bulk(COUNT)
    assert looked == ([] if cold else ["sweep"])
    index = cache.index()
    assert index._meta("fingerprint") == _swept(index)
    assert index._meta("folder") == folder_stamp(root / "books")


def _everything(index: Index) -> dict[str, object]:
    """Every table's rows in rowid order (a file's stamp aside) and the schema, and SQLite's own check."""
    db = index.db
    assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]  # (each index holds every row)
    names = [n for (n,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
    found: dict[str, object] = {
        name: db.execute(f"SELECT rowid, * FROM {name} ORDER BY rowid").fetchall()
        for name in names
        if name not in ("files", "meta", "listing") and not name.startswith(("sqlite_", "parts_", "cjk_"))
    }
    found["files"] = db.execute("SELECT slug, first_part, last_part FROM files").fetchall()
    if "listing" in names:
        found["listing"] = db.execute("SELECT * FROM listing").fetchall()
    found["hits"] = db.execute(
        "SELECT rowid FROM parts WHERE parts MATCH 'lantern' ORDER BY rowid"
    ).fetchall()
    found["schema"] = db.execute("SELECT type, name, sql FROM sqlite_master ORDER BY name").fetchall()
    return found


@pytest.mark.parametrize("listing", [False, True])
def test_indexes_made_midway_leave_the_index_a_recording_at_once_leaves(listing, tmp_path):
    """`Recording.index_now` (an import whose last books are on their way): the secondary indexes, and a
    kept listing, made from the rows so far; the rest written with them: the same rows, the same schema,
    every index whole."""
    root = tmp_path / "journal"
    written = _books(root, COUNT)
    found = []
    for name, midway in (("once", None), ("midway", COUNT // 2)):
        index = Index(root / "books", BookLoader(root), tmp_path / f"{name}.sqlite3")
        if listing:
            assert index.listing_ready()
        with index.recording(True, True) as write:
            if midway is None:
                write(written)
            else:
                write(written[:midway])
                write.index_now()
                made = {n for (n,) in index.db.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
                assert {"book_keys_key", "books_norm_title", "book_names_slug"} <= made
                write(written[midway:])
        found.append(_everything(index))
    assert found[0] == found[1]
    assert len(found[0]["books"]) == COUNT  # type: ignore[arg-type]
    if listing:
        assert len(found[0]["listing"]) == COUNT  # type: ignore[arg-type]
