"""Session 26 (t26e): the doors sessions 24-25 saw and left. A bare repository that an older readlog gave a
books/ folder is still no journal; ..."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from conftest import snapshot
from test_sync_git import devices, git_env, remote  # noqa: F401 - fixtures
from test_t25h_sync_two_books import pull_by_hand


def test_a_bare_repository_an_older_readlog_gave_a_books_folder_is_still_refused(run, remote):
    """t25g's note: `READLOG_HOME=remote.git readlog add Zed -a Q` (before session 25) wrote
    remote.git/books/zed.toml; with that folder there, the remote was taken for a journal again."""
    (remote / "books").mkdir()
    (remote / "books" / "zed.toml").write_text(
        'schema = 2\ntitle = "Zed"\nauthors = ["Q"]\nstatus = "want"\n'
    )
    before = snapshot(remote)
    for args in (("add", "Dune", "-a", "Frank Herbert"), ("list",), ("next",), ("sync",), ("check",)):
        said = run(*args, code=1, env={"READLOG_HOME": str(remote)}).stderr
        assert f"{remote} is a bare git repository (a sync remote?), not a journal" in said, said
        assert (
            "(remote.git/books/ holds 1 book file an older readlog wrote there, never synced: move it" in said
        )
        assert len(said.strip().splitlines()) == 1, said
    assert snapshot(remote) == before


def test_check_names_a_merge_in_progress_in_a_journal_whose_git_is_a_file(devices, tmp_path):
    """A journal whose `.git` is a file (`gitdir: ...`: a worktree, a submodule, `git init
    --separate-git-dir`): `check` looked for .git/MERGE_HEAD and missed the merge that stopped."""
    laptop, work = devices
    (work.home / ".git").rename(tmp_path / "work-git")
    (work.home / ".git").write_text(f"gitdir: {tmp_path / 'work-git'}\n")
    pull_by_hand(laptop, work)
    assert (tmp_path / "work-git" / "MERGE_HEAD").exists()
    said = work("check", code=1)
    path = work.home / "books" / "dune-messiah.toml"
    assert (
        f"{path}: left unmerged by a git merge in progress, added on both devices as two books" in said.stdout
    )
    assert "a git merge is in progress in" in work("sync", code=1).stderr  # (sync asks git where it is)
    work.git("merge", "--abort")
    assert str(path) not in work("check").stdout


def test_a_journals_own_git_folder_is_found_without_git(tmp_path):
    from readlog.userdirs import own_git_dir

    root = tmp_path / "journal"
    root.mkdir()
    assert own_git_dir(str(root)) is None
    (root / ".git").write_text("gitdir: ../modules/journal\n")  # (a submodule's: relative to the journal)
    assert own_git_dir(str(root)) == str(root / "../modules/journal")
    (root / ".git").write_text("not a gitdir line\n")
    assert own_git_dir(str(root)) is None
    (root / ".git").unlink()
    (root / ".git").mkdir()
    assert own_git_dir(str(root)) == str(root / ".git")


def test_check_json_says_a_name_that_is_not_utf8_as_check_does_in_utf8(books):
    """t25f: `check` shows `caf\\xe9.toml`; `check --json` wrote the raw byte 0xE9: not UTF-8, not JSON."""
    books.mkdir(parents=True)
    (books / os.fsdecode(b"caf\xe9.toml")).write_text('title = "Caf"\nauthors = ["A"]\n')
    command = [sys.executable, "-m", "readlog", "check"]
    said = subprocess.run([*command, "--json"], capture_output=True, env=os.environ)
    (problem,) = json.loads(said.stdout.decode("utf-8"))["problems"]
    assert problem["path"] == os.path.join(books, "caf\\xe9.toml")
    shown = subprocess.run(command, capture_output=True, env=os.environ).stdout.decode("utf-8")
    assert shown.startswith(problem["path"] + ": the file name is not a slug")
