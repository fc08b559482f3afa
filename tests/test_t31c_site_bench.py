"""bench/site.py times both tools on a file system that saw no big delete just before (t31c): on ext4
without a journal, files created within minutes of a big delete cost the kernel a scan of the freed inodes
each, which timed the file system, not readlog or Hugo. The last run's folders are set aside (renamed) and
deleted only after every timing; a run started soon after such a delete waits first; each timed build
starts with nothing left to write."""

from __future__ import annotations

import importlib.util
import time

import pytest

from conftest import REPO


def _bench():
    spec = importlib.util.spec_from_file_location("bench_site_t31c", REPO / "bench" / "site.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _run(bench, monkeypatch, folder, *options, books="20", timed=None):
    """bench/site.py's main on 20 books, one pair, without Hugo: what happened, in order (the timed builds
    are not run: `timed` instead, if given)."""
    events: list[str] = []
    monkeypatch.setattr(bench, "HUGO", None)
    monkeypatch.setattr(bench.os, "sync", lambda: None)  # (the machine's other files: not this test's)
    monkeypatch.setattr(bench.time, "sleep", lambda seconds: events.append(f"sleep {seconds:.0f}"))
    monkeypatch.setattr(
        bench, "timed", timed or (lambda *args, **kwargs: events.append("timed") or (1.0, 1.0))
    )
    argv = ["site.py", "--books", books, "--pairs", "1", "--folder", str(folder), *options]
    monkeypatch.setattr(bench.sys, "argv", argv)
    bench.main()
    return events


def test_a_run_deletes_its_folders_after_its_timings_and_the_next_one_waits_if_soon_after(
    tmp_path, monkeypatch
):
    bench = _bench()
    folder = tmp_path / "site"
    assert "sleep" not in " ".join(_run(bench, monkeypatch, folder, "--keep"))  # (nothing deleted before)
    assert (folder / "20" / "journal").is_dir()  # kept
    assert not (folder / "deleted-at").exists()
    events = _run(bench, monkeypatch, folder)  # the kept folders deleted first: then a wait
    assert events[0].startswith("sleep") and int(events[0].split()[1]) > bench.QUIET - 60
    assert events.count("timed") > 2 and not any(event.startswith("sleep") for event in events[1:])
    assert not (folder / "20").exists()  # deleted after the timings
    assert abs(float((folder / "deleted-at").read_text()) - time.time()) < 60
    events = _run(bench, monkeypatch, folder)  # right after that delete: a wait too
    assert events[0].startswith("sleep") and int(events[0].split()[1]) > bench.QUIET - 60


def test_a_run_soon_after_a_delete_waits_out_the_rest_and_a_later_one_does_not(tmp_path, monkeypatch):
    bench = _bench()
    slept: list[float] = []
    monkeypatch.setattr(bench.time, "sleep", slept.append)
    (tmp_path / "deleted-at").write_text(f"{time.time() - 100:.0f}\n")
    bench.wait_quiet(tmp_path)
    assert len(slept) == 1 and bench.QUIET - 110 < slept[0] <= bench.QUIET - 99
    assert bench.QUIET > 360  # the kernel's longest: 60 s, and 300 more while the inode table is unwritten
    (tmp_path / "deleted-at").write_text(f"{time.time() - bench.QUIET - 1:.0f}\n")
    bench.wait_quiet(tmp_path)
    (tmp_path / "deleted-at").unlink()
    bench.wait_quiet(tmp_path)
    assert len(slept) == 1


def test_each_timed_build_starts_with_nothing_left_to_write(monkeypatch):
    bench = _bench()
    calls: list[str] = []
    monkeypatch.setattr(bench.os, "sync", lambda: calls.append("sync"))
    monkeypatch.setattr(bench.subprocess, "run", lambda *args, **kwargs: calls.append("run"))
    bench.timed(["true"])
    assert calls == ["sync", "run"]


def test_a_run_deletes_the_folders_an_earlier_run_kept_of_other_sizes_too(tmp_path, monkeypatch):
    """(review 31c F2) A run of one size left another size's kept folders there for good."""
    bench = _bench()
    folder = tmp_path / "site"
    _run(bench, monkeypatch, folder, "--keep", books="20")
    assert (folder / "20" / "journal").is_dir()
    (folder / "notes").mkdir()  # (not a size's: not the bench's to delete)
    (folder / "2024").mkdir()  # (named like a size, not made by the bench: kept, review 32b #5)
    (folder / "2024" / "photo.jpg").write_text("mine")
    events = _run(bench, monkeypatch, folder, books="30")
    assert events[0].startswith("sleep")  # (the kept folders deleted first, then waited for)
    assert sorted(p.name for p in folder.iterdir()) == ["2024", "deleted-at", "notes"]
    assert (folder / "2024" / "photo.jpg").read_text() == "mine"


def test_a_run_that_fails_deletes_what_it_made(tmp_path, monkeypatch):
    """(review 31c F2) A run that failed, or was stopped, left its journal and sites behind."""
    bench = _bench()
    folder = tmp_path / "site"

    def failing(*args, **kwargs):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        _run(bench, monkeypatch, folder, books="20", timed=failing)
    assert sorted(p.name for p in folder.iterdir()) == ["deleted-at"]
    assert abs(float((folder / "deleted-at").read_text()) - time.time()) < 60
    with pytest.raises(KeyboardInterrupt):  # (--keep: kept, for a look at what failed)
        _run(bench, monkeypatch, folder, "--keep", books="20", timed=failing)
    assert (folder / "20" / "journal").is_dir()
