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
