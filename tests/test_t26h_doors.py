"""The doors under what goes wrong (try-out 26a): a sync never deletes a lock file a live git holds (a
real git, slowed by a clean filter, holds .git/index.lock)."""

from __future__ import annotations

import shutil
import subprocess
import time
from pathlib import Path

import pytest

from readlog.sync import repo
from test_sync_git import SLUG, Device, devices, git_env, remote  # noqa: F401 - fixtures

git_missing = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def slow_git_add(device: Device, tmp_path: Path, seconds: float) -> subprocess.Popen[bytes]:
    """The reader's own `git add`, whose clean filter takes `seconds`: it holds .git/index.lock meanwhile."""
    (device.home / "big.txt").write_text("x" * 100_000)
    attributes = tmp_path / "attributes"
    attributes.write_text("big.txt filter=slow\n")
    slow = f"filter.slow.clean=sleep {seconds}; cat"
    argv = ["git", "-C", str(device.home), "-c", slow, "-c", f"core.attributesFile={attributes}", "add"]
    adding = subprocess.Popen([*argv, "big.txt"], stderr=subprocess.PIPE)
    lock = device.home / ".git" / "index.lock"
    deadline = time.monotonic() + 10
    while not lock.exists() and time.monotonic() < deadline:
        time.sleep(0.02)
    assert lock.exists()
    return adding


@git_missing
def test_a_sync_refuses_while_a_live_git_holds_its_lock_and_never_removes_it(devices, tmp_path, monkeypatch):
    laptop, _ = devices
    monkeypatch.setattr(repo, "LOCK_WAIT", 0.5)
    adding = slow_git_add(laptop, tmp_path, 4)
    laptop("reflect", SLUG, "while git works")
    result = laptop("sync", code=1)
    assert "git is busy" in result.stderr and "index.lock" in result.stderr
    assert "interrupted" not in result.stderr
    assert (laptop.home / ".git" / "index.lock").exists()
    assert adding.wait(timeout=30) == 0, adding.stderr.read() if adding.stderr else ""
    laptop("sync")  # once it ends
    assert "big.txt" in laptop.git("ls-files")


@git_missing
def test_a_sync_waits_for_a_live_git_that_ends_soon(devices, tmp_path, monkeypatch):
    laptop, _ = devices
    monkeypatch.setattr(repo, "LOCK_WAIT", 20)
    adding = slow_git_add(laptop, tmp_path, 1.5)
    laptop("reflect", SLUG, "while git works")
    result = laptop("sync")
    assert "removed" not in result.stderr
    assert adding.wait(timeout=30) == 0
