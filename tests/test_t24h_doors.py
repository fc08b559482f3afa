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


# --- sync init at a folder not there yet ---------------------------------------------------------------------
def test_sync_init_makes_a_bare_repository_at_a_path_not_there_yet(run, tmp_path):
    laptop, work = Device(run, tmp_path / "laptop"), Device(run, tmp_path / "work")
    laptop("add", "Klara and the Sun", "-a", "Kazuo Ishiguro")
    usb = tmp_path / "usb" / "journal.git"
    usb.parent.mkdir()
    made = laptop("sync", "init", str(usb))
    assert f"made an empty repository at {usb}" in made.stderr and "Pushed" in made.stderr, made.stderr
    assert (usb / "HEAD").is_file() and not (usb / ".git").exists()  # bare
    work("sync", "init", str(usb))
    assert work.book().title == "Klara and the Sun"


def test_sync_init_at_a_folder_whose_disk_is_not_there_says_how_to_make_it(run, tmp_path):
    laptop = Device(run, tmp_path / "laptop")
    laptop("add", "Klara and the Sun", "-a", "Kazuo Ishiguro")
    gone = tmp_path / "media" / "usb" / "journal.git"
    for args in (("sync", "init", str(gone)), ("sync",)):  # (every next sync says it too)
        said = laptop(*args, code=1).stderr
        assert f"there is no {gone}" in said and f"`git init --bare {gone}`" in said, said
        assert len(said.strip().splitlines()) == 1
    assert not (tmp_path / "media").exists()  # nothing made on the machine's own disk
    assert laptop.git("log", "--format=%s").strip()  # set up and committed: it goes when the disk is there


def test_sync_init_refuses_a_remote_inside_the_journal(run, tmp_path):
    """Review 24b: `sync init journal.git` (git reads it from the data dir) made the remote inside the
    journal, and each later sync committed the remote's files and pushed them to every device."""
    laptop = Device(run, tmp_path / "laptop")
    laptop("add", "Klara and the Sun", "-a", "Kazuo Ishiguro")
    for given in ("journal.git", "books/../inner.git", str(laptop.home / "sub.git")):
        said = laptop("sync", "init", given, code=1).stderr
        assert "is inside the journal's folder" in said and "give the remote's whole path" in said, said
    assert not any(p.name.endswith(".git") for p in laptop.home.iterdir())
    assert not (laptop.home / ".git").exists()  # refused before anything was set up


# --- a refused push, and --json when the remote fails ---------------------------------------------------------
def refuse_pushes(remote: Path) -> None:
    hook = remote / "hooks" / "pre-receive"
    hook.write_text("#!/bin/sh\necho 'remote says: pushes are closed today'\nexit 1\n")
    hook.chmod(0o755)


def test_a_refused_push_says_the_remotes_reason(devices, remote):
    laptop, _ = devices
    refuse_pushes(remote)
    laptop("rate", SLUG, "3")
    said = laptop("sync", code=1).stderr
    assert "remote: remote says: pushes are closed today" in said, said
    assert (
        "[remote rejected] main (pre-receive hook declined)" in said and len(said.strip().splitlines()) == 1
    )


def test_sync_json_says_committed_not_pushed_when_the_push_is_refused(devices, remote):
    laptop, _ = devices
    refuse_pushes(remote)
    laptop("rate", SLUG, "3")
    result = laptop("sync", "--json", code=1)
    data = json.loads(result.stdout)
    assert data["committed"] and data["pushed"] is False and "pushes are closed today" in data["error"]
    assert "cannot push" in result.stderr


def test_sync_json_says_what_it_did_when_the_remote_is_gone(devices, remote):
    laptop, _ = devices
    remote.rename(remote.with_name("gone.git"))
    laptop("rate", SLUG, "3")
    data = json.loads(laptop("sync", "--json", code=1).stdout)
    assert data["committed"] and data["pushed"] is False and "cannot reach origin" in data["error"]
    assert json.loads(laptop("sync", "--json", code=1).stdout)["committed"] is None  # nothing new: said too
    assert (
        subprocess.run(["git", "-C", str(laptop.home), "status", "--porcelain"], capture_output=True).stdout
        == b""
    )


# --- show's conflict panel names the one field ------------------------------------------------------------------
def test_the_conflict_panel_names_the_one_field_and_says_field_for_several():
    from io import StringIO

    from rich.console import Console

    from readlog import bookfile
    from readlog.model import book_from_dict
    from readlog.sync.conflicts import record
    from readlog.sync.merge import merge_data
    from readlog.sync.render import render_conflicts
    from test_sync_merge import WHEN, book

    def panel(ours: dict, theirs: dict) -> str:
        merged = merge_data(book(rating=4, year=2000), ours, theirs)
        parsed = bookfile.parse(
            bookfile.dumps(book_from_dict(record(merged.data, merged.conflicts, WHEN))), "x"
        )
        console = Console(width=100, file=StringIO(), color_system=None)
        console.print(render_conflicts(parsed, "klara"))
        return console.file.getvalue()

    assert "readlog resolve klara rating --ours|--theirs" in panel(
        book(rating=4.5, year=2000), book(rating=3, year=2000)
    )
    both = panel(book(rating=4.5, year=2001), book(rating=3, year=2002))
    assert "readlog resolve klara FIELD --ours|--theirs" in both and "rating" in both and "year" in both
