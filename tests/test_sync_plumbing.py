"""A sync's commit made by plumbing (`write-tree`, `commit-tree`, `update-ref`) must be the very commit
`git commit --no-verify -m MESSAGE` makes: the same id (tree, parents, author, committer, message bytes),
the same reflog line, the same index; and where `git commit` would do something the plumbing does not
(a hook it runs, a setting it heeds), the sync makes it with `git commit`. Real git repositories."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from readlog.sync.git import Git, strip_space
from test_sync_git import SLUG, Device, devices, git_env, remote  # noqa: F401 (fixtures)
from test_sync_processes import git_commands

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

MESSAGES = [
    'reflect on "Dune"\n\nReadlog-Device: laptop',
    "one line",
    "\n\n  \nleading empty lines\n\n\n\nthree empty lines, then trailing spaces   \ntab\t\n\n\n",
    "carriage return\r\nand\r\r\nlone\rinside\r\n\r\n\r\nend",
    "a vertical tab at the end\v\nand a form feed\f\n\v\nnbsp at the end\u00a0\n\u2003em space",
    "trailing spaces on a last line   ",
    "  indented first line\n\t\ttabbed\n#not a comment\n; nor this",
    "titles \u201cquoted\u201d, \u00e9t\u00e9, \u65e5\u672c\n\n- filed from inbox.md:  \n- a note\t \n",
]


def git(where: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(where), *args], capture_output=True, text=True, check=True
    ).stdout.strip()


@pytest.fixture
def staged(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository with one commit and a change staged on top, at fixed dates."""
    monkeypatch.setenv("GIT_AUTHOR_DATE", "2026-03-01T10:00:00+01:00")
    monkeypatch.setenv("GIT_COMMITTER_DATE", "2026-03-01T10:00:05+01:00")
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "--quiet", "--initial-branch=main")
    (repo / "a.toml").write_text("title = 'A'\n")
    git(repo, "add", "a.toml")
    git(repo, "commit", "--quiet", "-m", "first")
    (repo / "a.toml").write_text("title = 'A, changed'\n")
    (repo / "b.toml").write_text("title = 'B'\n")
    git(repo, "add", "a.toml", "b.toml")
    return repo


@pytest.mark.parametrize("message", MESSAGES)
def test_the_plumbing_commit_is_the_commit_git_commit_makes(staged, tmp_path, message):
    copy = tmp_path / "copy"
    shutil.copytree(staged, copy)
    head = git(staged, "rev-parse", "HEAD")
    git(staged, "commit", "--quiet", "--no-verify", "-m", message)
    repo = Git(copy)
    assert repo.plain_commit_allowed()
    made = repo.commit_on(message, head, git(copy, "write-tree"))
    assert made == git(copy, "rev-parse", "HEAD") == git(staged, "rev-parse", "HEAD")
    for where in (staged, copy):
        assert git(where, "symbolic-ref", "HEAD") == "refs/heads/main"
    for log in ("HEAD", "main"):
        assert git(copy, "reflog", "-1", "--format=%gs", log) == git(
            staged, "reflog", "-1", "--format=%gs", log
        )
    assert git(copy, "status", "--porcelain") == git(staged, "status", "--porcelain") == ""
    raw = subprocess.run(["git", "-C", str(copy), "cat-file", "commit", "HEAD"], capture_output=True).stdout
    assert raw.endswith(b"\n\n" + strip_space(message).encode())


def test_strip_space_keeps_what_git_keeps():
    assert strip_space("a  \n\n\n b\t\n\n") == "a\n\n b\n"
    assert strip_space("x\u00a0") == "x\u00a0\n"  # not a space to git
    assert strip_space("\n \n") == ""


def test_the_plumbing_refuses_when_head_moved(staged, tmp_path):
    repo = Git(staged)
    head = git(staged, "rev-parse", "HEAD")
    git(staged, "commit", "--quiet", "-m", "meanwhile, by hand")
    moved = git(staged, "rev-parse", "HEAD")
    (staged / "c.toml").write_text("title = 'C'\n")
    git(staged, "add", "c.toml")
    with pytest.raises(Exception, match="update-ref"):
        repo.commit_on("mine", head, git(staged, "write-tree"))
    assert git(staged, "rev-parse", "HEAD") == moved  # nothing lost: the commit by hand stays


@pytest.mark.parametrize(
    "setting", [("commit.gpgsign", "false"), ("commit.cleanup", "verbatim"), ("i18n.commitencoding", "UTF-8")]
)
def test_a_setting_git_commit_heeds_means_git_commit(staged, setting):
    git(staged, "config", *setting)
    assert not Git(staged).plain_commit_allowed()


@pytest.mark.parametrize(
    "hook", ["post-commit", "prepare-commit-msg", "reference-transaction", "post-index-change"]
)
def test_a_hook_git_commit_runs_means_git_commit(staged, hook):
    path = staged / ".git" / "hooks" / hook
    path.write_text("#!/bin/sh\nexit 0\n")
    path.chmod(0o755)
    assert not Git(staged).plain_commit_allowed()
    path.unlink()
    assert Git(staged).plain_commit_allowed()


def test_a_sync_commits_by_plumbing_and_the_other_device_gets_it(devices, tmp_path):
    laptop, work = devices
    laptop("sync")
    laptop("reflect", SLUG, "a thought on the train")
    result, commands = git_commands(laptop, tmp_path, "sync")
    assert "commit" not in commands and "commit-tree" in commands
    assert "Pushed to" in result.stderr
    log = laptop.git("log", "-1", "--format=%s%n%b%n%an <%ae>%n%cn <%ce>")
    assert log.startswith('reflect on "Klara and the Sun"\nReadlog-Device: ')
    assert laptop.git("status", "--porcelain") == ""
    assert laptop.git("reflog", "-1", "--format=%gs").strip() == 'commit: reflect on "Klara and the Sun"'
    work("sync")
    assert [r.text for r in work.book().reflections] == ["a thought on the train"]
    again, commands = git_commands(laptop, tmp_path, "sync")
    assert "all in sync" in again.stderr and "commit-tree" not in commands


def test_a_post_commit_hook_still_runs_on_a_sync(devices, tmp_path):
    laptop, _ = devices
    laptop("sync")
    marker = tmp_path / "hook-ran"
    hook = laptop.home / ".git" / "hooks" / "post-commit"
    hook.write_text(f"#!/bin/sh\ngit log -1 --format=%s > '{marker}'\n")
    hook.chmod(0o755)
    laptop("reflect", SLUG, "with a hook")
    _, commands = git_commands(laptop, tmp_path, "sync")
    assert "commit" in commands and "commit-tree" not in commands
    assert marker.read_text().strip() == 'reflect on "Klara and the Sun"'


def test_offline_the_commit_is_made_by_git_commit(devices, tmp_path, remote):
    """Without a fetch, git's auto maintenance ran nowhere in this sync: `git commit` runs it."""
    laptop, _ = devices
    laptop("sync")
    shutil.move(remote, tmp_path / "away.git")
    laptop("reflect", SLUG, "offline")
    result, commands = git_commands(laptop, tmp_path, "sync", code=1)
    assert "cannot reach" in result.stderr
    assert "commit" in commands and "commit-tree" not in commands
    shutil.move(tmp_path / "away.git", remote)
    result = laptop("sync")
    assert "Pushed to" in result.stderr


def test_one_cat_file_reads_what_diff_cached_and_cat_file_read(staged):
    """After `add` of the paths status named, `staged_read` gives what `staged` and `blobs` give: every
    change (added, removed, modified; names with spaces, colons, brackets, non-ASCII) with its contents;
    a file changed and changed back is no change."""
    repo = staged
    git(repo, "commit", "--quiet", "-m", "second")
    names = ["a b.txt", "c:d.txt", "[x].txt", "ünï.toml", ":(glob)g.txt", "books/x y.toml"]
    for name in names:
        (repo / name).parent.mkdir(exist_ok=True)
        (repo / name).write_text(f"old {name}\n")
    git(repo, "add", "--all")
    git(repo, "commit", "--quiet", "-m", "third")
    (repo / "a b.txt").write_text("new\n")
    (repo / "c:d.txt").unlink()
    (repo / "new file.txt").write_text("added\n")
    (repo / "ünï.toml").write_text("changed\n")
    git(repo, "add", "ünï.toml")
    (repo / "ünï.toml").write_text("old ünï.toml\n")  # staged, then changed back: no change
    (repo / "books" / "x y.toml").write_text("")  # emptied
    status = Git(repo).status()
    assert status.plain
    paths = [path for _, path in status.changes]
    subprocess.run(["git", "-C", str(repo), "add", "--", *paths], check=True)
    one = Git(repo)
    read = one.staged_read(paths)
    assert read is not None
    changed, contents, _ = read
    expected = one.staged(git(repo, "rev-parse", "HEAD"))
    assert [(c.state, c.path, c.old, c.new) for c in changed] == [
        (c.state, c.path, c.old, c.new) for c in expected
    ]
    assert contents == one.blobs([oid for c in expected for oid in (c.old, c.new)])
    assert {c.path for c in changed} == {"a b.txt", "c:d.txt", "new file.txt", "books/x y.toml"}
    head = git(repo, "rev-parse", "HEAD")
    assert one.staged_read(paths, "refs/heads/main") == (changed, contents, head)
    assert one.staged_read(paths, "refs/remotes/origin/main") == (changed, contents, None)
    git(repo, "tag", "a-tree", head + "^{tree}")
    assert one.staged_read(paths, "refs/tags/a-tree") == (changed, contents, None)  # not a commit


def test_a_mode_change_or_a_repository_inside_is_not_plain(staged):
    (staged / "a.toml").chmod(0o755)
    assert not Git(staged).status().plain
    (staged / "a.toml").chmod(0o644)
    assert Git(staged).status().plain
    inner = staged / "inner"
    inner.mkdir()
    git(inner, "init", "--quiet")
    (inner / "f").write_text("f")
    git(inner, "add", "f")
    git(inner, "commit", "--quiet", "-m", "inner")
    assert not Git(staged).status().plain


def test_a_remote_added_later_gets_the_commits_made_before(run, tmp_path, remote):
    """No remote's branch to read with the commit (never fetched from): asked of git as before, and the
    push creates it."""
    device = Device(run, tmp_path / "alone")
    device("add", "Klara and the Sun", "-a", "Kazuo Ishiguro")
    device("sync", "init")
    device("reflect", SLUG, "before the remote")
    device("sync")
    device("sync", "init", str(remote))
    device("reflect", SLUG, "with the remote")
    result = device("sync")
    assert "Pushed to" in result.stderr
    pushed = git(remote, "log", "--format=%s", "main")
    assert pushed.splitlines()[0] == 'reflect on "Klara and the Sun"'
    assert git(remote, "rev-parse", "main") == device.git("rev-parse", "HEAD").strip()
    other = Device(run, tmp_path / "other")
    other("sync", "init", str(remote))
    assert [r.text for r in other.book().reflections] == ["before the remote", "with the remote"]
