"""The import's pipeline (issue 25): durable batches made in a thread while the next one is written, and
CSV rows parsed by a worker process; the same files, the same order, the same clean-up as before."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from readlog.files import BulkWriter


def _temps(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def test_overlapped_batches_land_in_order_and_are_told_in_the_callers_thread(tmp_path):
    told: list[tuple[list[str], str]] = []
    writer = BulkWriter(
        batch=3,
        landed=lambda paths: told.append(([p.stem for p in paths], threading.current_thread().name)),
        overlap=True,
    )
    for n in range(7):
        writer.add(tmp_path / f"b{n}.toml", f"n = {n}\n")
    writer.flush()
    assert [names for names, _ in told] == [["b0", "b1", "b2"], ["b3", "b4", "b5"], ["b6"]]
    assert {thread for _, thread in told} == {threading.current_thread().name}
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"b{n}.toml" for n in range(7)]
    assert (tmp_path / "b4.toml").read_text() == "n = 4\n"
    writer.flush()  # nothing left: nothing told twice
    assert len(told) == 3


def test_a_batch_that_fails_in_the_thread_fails_the_write_and_leaves_no_temp_files(tmp_path):
    blocker = tmp_path / "b1.toml"
    blocker.mkdir()
    (blocker / "inside").write_text("x")  # a folder that is not empty: the rename onto it fails
    told: list[list[str]] = []
    writer = BulkWriter(batch=2, landed=lambda paths: told.append([p.name for p in paths]), overlap=True)
    writer.add(tmp_path / "b0.toml", "a\n")
    writer.add(blocker, "b\n")  # the batch goes to the thread, where b1's rename fails
    with pytest.raises(OSError):
        writer.add(tmp_path / "b2.toml", "c\n")
        writer.add(tmp_path / "b3.toml", "d\n")  # the next hand-over raises the thread's error
        writer.flush()
    writer.discard()
    assert told == [["b0.toml"]]  # what did land is told (the index learns of it), nothing else
    assert _temps(tmp_path) == []
    assert (tmp_path / "b0.toml").read_text() == "a\n"
    assert not (tmp_path / "b2.toml").exists() and not (tmp_path / "b3.toml").exists()


def test_discard_waits_for_the_batch_in_the_thread_and_removes_the_rest(tmp_path):
    told: list[list[str]] = []
    writer = BulkWriter(batch=2, landed=lambda paths: told.append([p.name for p in paths]), overlap=True)
    for n in range(3):
        writer.add(tmp_path / f"b{n}.toml", f"{n}\n")
    writer.discard()  # b0, b1 were in the thread's hands: they land; b2 was not yet made durable
    assert told == [["b0.toml", "b1.toml"]]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b0.toml", "b1.toml"]


def test_without_overlap_a_batch_lands_before_add_returns(tmp_path):
    told: list[list[str]] = []
    writer = BulkWriter(batch=2, landed=lambda paths: told.append([p.name for p in paths]))
    writer.add(tmp_path / "a.toml", "a\n")
    writer.add(tmp_path / "b.toml", "b\n")
    assert told == [["a.toml", "b.toml"]] and _temps(tmp_path) == []


# --- CSV rows parsed by worker processes ---------------------------------------------------------------
from readlog.importers import parse_file  # noqa: E402
from readlog.importers.base import PARALLEL_FROM_BYTES, Reject, Row  # noqa: E402
from readlog.importers.goodreads import GoodreadsImporter  # noqa: E402
from test_import_export import GR_HEADER, gr_row, write_csv  # noqa: E402


def _rows(count: int) -> list[dict[str, str]]:
    rows = []
    for n in range(count):
        cells = {"Book Id": str(n + 1), "Title": f"Book number {n} (Cycle, #{n % 7 + 1})",
                 "Author": f"Writer {n % 97}", "My Rating": str(n % 6), "Date Added": "2021/03/04",
                 "My Review": f"Review {n}: " + "<b>bold</b> words, " * 60 + "<br/><br/>the end."}  # fmt: skip
        if n % 3 == 0:
            cells.update({"Exclusive Shelf": "to-read", "Bookshelves with positions": f"to-read (#{n})"})
        if n % 5 == 0:
            cells.update({"Date Read": f"2022/0{n % 9 + 1}/1{n % 10}", "Read Count": "1"})
        if n == 17:
            cells["Title"] = ""  # a reject: no title
        if n == 600:
            cells["My Rating"] = "9"  # a reject: out of range
        rows.append(gr_row(**cells))
    return rows


def _read(path: Path) -> list[tuple[str, int, object]]:
    out: list[tuple[str, int, object]] = []
    for item in GoodreadsImporter().read(path):
        if isinstance(item, Row):
            out.append(("row", item.line, item.book))
        elif isinstance(item, Reject):
            out.append(("reject", item.line, (item.reason, item.row)))
        else:
            out.append(("note", item.line, item.message))
    return out


def test_a_big_export_parsed_in_workers_gives_what_one_process_gives(tmp_path):
    rows = _rows(1500)
    big = write_csv(tmp_path / "big.csv", GR_HEADER, rows)
    with big.open("a", encoding="utf-8") as out:  # a ragged row near the end
        out.write("9999,Too few fields\r\n")
    assert big.stat().st_size >= PARALLEL_FROM_BYTES  # the workers' path
    together = _read(big)
    # The same rows in pieces too small for workers: parsed in this process, one line per row.
    apart: list[tuple[str, int, object]] = []
    for start in range(0, len(rows), 500):
        piece = write_csv(tmp_path / f"piece{start}.csv", GR_HEADER, rows[start : start + 500])
        assert piece.stat().st_size < PARALLEL_FROM_BYTES
        apart += [(kind, line + start, what) for kind, line, what in _read(piece)]
    apart.append(("reject", len(rows) + 2, ("2 fields where the header has 24", ["9999", "Too few fields"])))
    assert [(k, line) for k, line, _ in together] == [(k, line) for k, line, _ in apart]
    assert together == apart
    assert [line for kind, line, _ in together if kind == "reject"] == [19, 602, 1502]


def test_a_big_export_joins_and_reports_as_before(tmp_path):
    rows = _rows(1200)
    rows.append(gr_row(**{**rows[40], "Book Id": "77777", "Binding": "Hardcover"}))  # another edition
    big = write_csv(tmp_path / "big.csv", GR_HEADER, rows)
    report, books = parse_file(big)
    assert [r.line for r in report.rejected] == [19, 602]
    assert len(books) == 1200 - 2
    joined = next(b for b in books if b.book.title == "Book number 40")
    assert joined.lines == [42, 1202]


class _Plugin(GoodreadsImporter):  # a format from outside readlog: parsed in this process
    name = "test-plugin-goodreads"
    label = "Plugin Goodreads"


def test_a_plugins_big_export_is_parsed_in_this_process(tmp_path):
    big = write_csv(tmp_path / "big.csv", GR_HEADER, _rows(1100))
    assert big.stat().st_size >= PARALLEL_FROM_BYTES
    items = list(_Plugin().read(big))
    assert sum(isinstance(i, Row) for i in items) == 1098


# --- new books formatted by worker processes ------------------------------------------------------------
import sqlite3  # noqa: E402

from readlog.importers import FORMAT_IN_WORKERS_FROM  # noqa: E402
from readlog.index import index_path  # noqa: E402
from test_import_campaign import export  # noqa: E402


def _index_rows(home: Path) -> dict[str, list[tuple]]:
    """Every table of the index but the files' stamps and the rowids, sorted: what it says of the books."""
    db = sqlite3.connect(index_path(home))
    out = {}
    tables = ["books", "book_reads", "book_names", "book_keys", "pick_titles", "moments"]
    for table in tables:
        out[table] = sorted(map(repr, db.execute(f"SELECT * FROM {table}")))
    out["parts"] = sorted(map(repr, db.execute("SELECT slug, part, label, body FROM parts")))
    out["files"] = sorted(db.execute("SELECT slug FROM files"))
    db.close()
    return out


def test_a_big_imports_index_rows_made_by_workers_are_what_a_rebuild_makes(journal_home, tmp_path, run):
    source = export(tmp_path / "export.csv", rows=1200)  # editions, titles shared by three authors
    assert FORMAT_IN_WORKERS_FROM <= 1200  # the workers' path
    run("import", str(source))
    files = sorted(p.name for p in (journal_home / "books").iterdir())
    assert len(files) > 1000 and not [f for f in files if f.startswith(".")]
    recorded = _index_rows(journal_home)
    run("reindex")
    assert _index_rows(journal_home) == recorded
    assert len(recorded["files"]) == len(files)


def test_a_big_import_writes_the_same_files_every_time(tmp_path, monkeypatch, run):
    source = export(tmp_path / "export.csv", rows=1200)
    journals = []
    for name in ("one", "two"):
        home = tmp_path / name
        monkeypatch.setenv("READLOG_HOME", str(home))
        monkeypatch.setenv("READLOG_CACHE", str(tmp_path / f"cache-{name}"))
        run("import", str(source))
        journals.append({p.name: p.read_bytes() for p in sorted((home / "books").iterdir())})
    assert journals[0] == journals[1]
