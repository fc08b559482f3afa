"""Review 25b (#1): a `git pull` by hand stopped on a book file both devices added as two books (the merge
driver leaves this device's version as it is, no conflict markers, exit 1). `readlog sync` then said "finish
it (`git commit`) or undo it": committing keeps this device's book alone, and the other device's next sync
replaced its own book with it. Now sync offers only `git merge --abort`, then `readlog sync` (which keeps
both), and `readlog check` names the unmerged book file (it has no markers, so nothing else showed it)."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from test_sync_git import devices, git_env, remote  # noqa: F401 (fixtures)
from test_t25h_sync_two_books import book_files, pull_by_hand

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def test_sync_during_a_pull_stopped_on_two_books_offers_only_to_undo_it(devices):
    laptop, work = devices
    pull_by_hand(laptop, work)
    said = work("sync", code=1).stderr
    assert (
        "books/dune-messiah.toml" in said
        and "added on both devices as two books: different authors (by" in said
    )
    assert f"undo it (`git -C {work.home} merge --abort`), then `readlog sync` keeps both" in said
    assert "commit`" not in said  # (the way that drops the laptop's book is not offered)
    work.git("merge", "--abort")
    work("sync")
    laptop("sync")
    assert book_files(laptop) == book_files(work) == ["dune-messiah", "dune-messiah-anderson"]
    assert laptop.book("dune-messiah").authors == ["Frank Herbert"]


def test_check_names_a_book_file_a_merge_in_progress_left_unmerged(devices):
    laptop, work = devices
    pull_by_hand(laptop, work)
    said = work("check", code=1)
    path = work.home / "books" / "dune-messiah.toml"
    line = next(line for line in said.stdout.splitlines() if line.startswith(f"{path}: "))
    assert "left unmerged by a git merge in progress, added on both devices as two books: different" in line
    assert "merge --abort`), then `readlog sync` keeps both" in line
    assert "1 problem" in said.stderr
    work.git("merge", "--abort")
    assert str(path) not in work("check").stdout


def test_check_names_any_other_unmerged_book_file_with_both_ways_out(devices):
    laptop, work = devices
    laptop("add", "Dune", "-a", "Frank Herbert")
    laptop("sync")
    work("sync")
    laptop("rate", "dune", "2")
    laptop("sync")
    work("rate", "dune", "5")
    work.git("commit", "-qam", "by hand")
    driver = "merge.readlog.driver=false"  # (a driver that fails: a conflict on a book with a common version)
    pull = ["git", "-C", str(work.home), "-c", driver, "pull", "--no-rebase", "--no-edit", "origin", "main"]
    assert subprocess.run(pull, capture_output=True).returncode == 1
    (line,) = [line for line in work("check", code=1).stdout.splitlines() if "unmerged" in line]
    assert f"finish it (`git -C {work.home} commit`) or undo it (`git -C {work.home} merge --abort`)" in line
