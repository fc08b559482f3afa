"""A big import's stages overlap where they can without changing what it writes: the parsing workers go on
while the importing process waits for a batch's sync (a slow disk's take a tenth of a second and more), and
the import's last sync is begun beside the one before it, not after it (issue 25, session 30)."""

from __future__ import annotations

import csv
import os
import threading
from pathlib import Path

from readlog.files import BulkWriter
from readlog.importers.base import CHUNK_ROWS, _parsed_in_workers
from readlog.importers.goodreads import GoodreadsImporter
from readlog.pool import cores
from test_import_export import GR_HEADER, write_csv
from test_import_pipeline import _rows, _temps


def test_the_workers_parse_on_while_the_importing_process_holds_its_first_row(tmp_path):
    # Held at a batch's end (its sync), the importing process takes no row: the chunks handed out already
    # are all the workers have to parse meanwhile. Four a worker (about half a second of parsing), not two
    # (a quarter: they ran dry at each slow sync, and waited).
    wanted = (4 * cores() + 1) * CHUNK_ROWS
    big = write_csv(tmp_path / "big.csv", GR_HEADER, _rows(wanted + CHUNK_ROWS))
    with big.open(newline="", encoding="utf-8") as handle:
        header, *rows = list(csv.reader(handle))
    handed = 0

    def cells():
        nonlocal handed
        for line, row in enumerate(rows, 2):
            handed += 1
            yield line, row

    items = _parsed_in_workers(GoodreadsImporter(), header, cells())
    try:
        first = next(items)
        assert first.line == 2
        assert handed >= wanted
    finally:
        items.close()


def test_the_last_batch_is_synced_beside_the_one_before_it_and_lands_after_it(tmp_path, monkeypatch):
    second = threading.Event()
    calls: list[str] = []
    beside: list[bool] = []

    def sync() -> None:
        calls.append(threading.current_thread().name)
        if len(calls) == 1:  # the thread's, for the first batch: is the last batch's begun meanwhile?
            beside.append(second.wait(3))
        else:
            second.set()

    monkeypatch.setattr(os, "sync", sync)
    told: list[list[str]] = []
    writer = BulkWriter(
        batch=2, landed=lambda paths: told.append([Path(p).name for p in paths]), overlap=True
    )
    for n in range(3):
        writer.add(tmp_path / f"b{n}.toml", f"{n}\n")  # b0, b1: to the thread; b2: the last batch
    writer.flush()
    assert beside == [True]
    assert calls == ["readlog-sync", threading.current_thread().name]  # one sync a batch, as ever
    assert told == [["b0.toml", "b1.toml"], ["b2.toml"]]  # in order, in this thread
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b0.toml", "b1.toml", "b2.toml"]
    assert _temps(tmp_path) == [] and (tmp_path / "b2.toml").read_text() == "2\n"
