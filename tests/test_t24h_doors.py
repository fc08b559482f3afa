"""The doors under what goes wrong (try-out 24a): a sync interrupted in git's merge driver leaves git's
`.merge_file_XXXXXX` copies, which are removed and never committed; `sync init` at a folder that is not
there yet; a refused push says the remote's reason; `sync --json` when the remote fails. Real git and a
bare remote in a temp dir."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from test_sync_git import SLUG, Device, devices, git_env, remote  # noqa: F401 - fixtures

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

LEFT = ".merge_file_Ab3dE9"  # as git names the copies it hands a merge driver


def test_git_merge_copies_are_ignored_in_a_new_journal(devices):
    laptop, _ = devices
    (laptop.home / LEFT).write_text("title = 'Klara'\n")
    assert laptop.git("check-ignore", LEFT).strip() == LEFT


def test_a_sync_removes_git_merge_copies_an_interrupted_sync_left_and_never_commits_them(devices):
    laptop, work = devices
    # a journal set up by an older readlog: its .gitignore has no rule for them
    (laptop.home / ".gitignore").write_text(".lock\n*.tmp\n.*.tmp\ndrafts/\ntrash/\n")
    laptop.git("commit", "-q", "-am", "an older .gitignore")
    (laptop.home / LEFT).write_text("title = 'Klara and the Sun'\n")
    checked = laptop("check", code=1).stdout
    assert LEFT in checked and "interrupted sync" in checked  # named while it stays
    laptop("reflect", SLUG, "a thought")
    laptop("sync")
    assert not (laptop.home / LEFT).exists()
    assert ".merge_file_" not in laptop.git("log", "--all", "--name-only", "--format=")
    work("sync")
    assert not list(work.home.glob(".merge_file_*"))


def test_check_fix_removes_a_git_merge_copy(devices):
    laptop, _ = devices
    (laptop.home / LEFT).write_text("title = 'Klara and the Sun'\n")
    laptop("check", "--fix", code=0)
    assert not (laptop.home / LEFT).exists() and not list((laptop.home / "trash").glob("*merge_file*"))
