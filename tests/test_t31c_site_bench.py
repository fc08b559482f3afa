"""bench/site.py times both tools on a file system that saw no big delete just before (t31c): on ext4
without a journal, files created within minutes of a big delete cost the kernel a scan of the freed inodes
each, which timed the file system, not readlog or Hugo. The last run's folders are set aside (renamed) and
deleted only after every timing; a run started soon after such a delete waits first; each timed build
starts with nothing left to write."""

from __future__ import annotations

import importlib.util
import time

from conftest import REPO


def _bench():
    spec = importlib.util.spec_from_file_location("bench_site_t31c", REPO / "bench" / "site.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_no_file_is_deleted_before_or_between_the_timed_builds(tmp_path, monkeypatch):
    bench = _bench()
    folder = tmp_path / "site"
    old = folder / "20" / "public-0"
    old.mkdir(parents=True)
    for n in range(5):
        (old / f"old-page-{n}.html").write_text("old page\n")
    seen: list[int] = []  # the old pages still on disk at each timed build
    monkeypatch.setattr(bench.os, "sync", lambda: None)  # (the machine's other files: not this test's)
    monkeypatch.setattr(bench, "HUGO", None)

    def timed(command, env=None, cwd=None):
        seen.append(len(list(folder.rglob("old-page-*.html"))))
        return 1.0, 1.0

    monkeypatch.setattr(bench, "timed", timed)
    bench.bench(20, 2, folder)
    assert seen and all(pages == 5 for pages in seen)  # the old pages were still there, set aside
    assert not (folder / "20" / "public-0").exists()  # (the new run's folders are new ones)
    assert [path.name for path in (folder / "old").iterdir()][0].startswith("20-")
    bench.delete_old(folder)
    assert not (folder / "old").exists() or not any((folder / "old").iterdir())
    assert abs(float((folder / "deleted-at").read_text()) - time.time()) < 60


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
