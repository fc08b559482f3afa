"""A big import's stages overlap where they can without changing what it writes: the import's last sync is
begun beside the one before it, not after it (issue 25, session 30)."""

from __future__ import annotations

import os
import threading
from pathlib import Path

from readlog.files import BulkWriter
from test_import_pipeline import _temps


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
    assert len(calls) == 2  # one sync a batch, as ever
    assert told == [["b0.toml", "b1.toml"], ["b2.toml"]]  # in order, in this thread
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b0.toml", "b1.toml", "b2.toml"]
    assert _temps(tmp_path) == [] and (tmp_path / "b2.toml").read_text() == "2\n"
