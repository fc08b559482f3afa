"""What a sync asks of git, counted: each git process readlog starts writes a `start` event to the file named
by GIT_TRACE2_EVENT (git's own children, such as the upload-pack of a fetch, carry their parent's id and are
not readlog's). A sync with nothing to do must not grow back its old 18 processes, nor look through every
book for conflicts; and the books that need the reader must still be named on every sync until they are
settled, also when HEAD moved behind readlog's back. Counts, never times."""

from __future__ import annotations

import json
import tomllib
from itertools import count
from pathlib import Path

import pytest

from test_sync_git import SLUG, Device, devices, git_env, goals_conflict, remote  # noqa: F401 (fixtures)

NOTHING_TO_DO = ["rev-parse", "config", "fetch", "status", "for-each-ref"]
_runs = count()


def git_commands(device: Device, tmp_path: Path, *args: str, code: int = 0) -> tuple[object, list[str]]:
    """Run `readlog ARGS` on `device`; the subcommand of each git process it started itself, in order."""
    trace = tmp_path / f"trace-{next(_runs)}.json"
    result = device.run(
        *args, code=code, env={"READLOG_HOME": str(device.home), "GIT_TRACE2_EVENT": str(trace)}
    )
    events = [json.loads(line) for line in trace.read_text(encoding="utf-8").splitlines()]
    started = [e["argv"] for e in events if e["event"] == "start" and "/" not in e["sid"]]
    assert all(argv[1] == "-C" and argv[2] == str(device.home) for argv in started), started
    return result, [argv[3] for argv in started]


def test_a_sync_with_nothing_to_do_runs_five_git_processes(devices, tmp_path):
    laptop, _ = devices
    laptop("sync")
    result, commands = git_commands(laptop, tmp_path, "sync")
    assert "all in sync" in result.stderr
    assert commands == NOTHING_TO_DO  # no grep through every book, no push, no merge-base


def test_a_sync_without_a_remote_and_nothing_to_do_runs_three(run, tmp_path):
    device = Device(run, tmp_path / "alone")
    device("add", "Dune", "-a", "Frank Herbert")
    device("sync", "init")
    _, commands = git_commands(device, tmp_path, "sync")
    assert commands == ["rev-parse", "config", "status"]


def test_one_changed_book_is_committed_and_pushed_with_ten(devices, tmp_path):
    laptop, work = devices
    laptop("sync")
    laptop("reflect", SLUG, "a thought on the train")
    result, commands = git_commands(laptop, tmp_path, "sync")
    assert "Pushed to" in result.stderr
    # `write-tree` runs beside `cat-file` (what changed, HEAD:PATH and :0:PATH, and the remote's branch,
    # in one) and the message made from it, so their starts come in either order. Then the commit as
    # `git commit` makes it, without its whole-index refresh and auto maintenance, and the push; then
    # `status` again, for what was written while it pushed (try-out 32b #1).
    assert commands[:5] == [*NOTHING_TO_DO[:4], "add"]
    assert sorted(commands[5:7]) == ["cat-file", "write-tree"]
    assert commands[7:] == ["commit-tree", "update-ref", "push", "status"]
    work("sync")
    assert [r.text for r in work.book().reflections] == ["a thought on the train"]


def test_a_change_from_the_other_device_is_a_fast_forward_without_a_push(devices, tmp_path):
    laptop, work = devices
    laptop("reflect", SLUG, "from the laptop")
    laptop("sync")
    result, commands = git_commands(work, tmp_path, "sync")
    assert "Merged 1 book from" in result.stderr and "Pushed" not in result.stderr
    assert commands == [*NOTHING_TO_DO, "merge-base", "diff", "cat-file", "reset"]
    assert [r.text for r in work.book().reflections] == ["from the laptop"]
    _, again = git_commands(work, tmp_path, "sync")
    assert again == NOTHING_TO_DO


def conflict(devices) -> tuple[Device, Device]:
    """Both devices rate the book differently; the work device's sync records the conflict."""
    laptop, work = devices
    laptop.change(lambda b: setattr(b, "rating", 4.5))
    work.change(lambda b: setattr(b, "rating", 3))
    laptop("sync")
    work("sync", code=1)
    assert "conflicts" in tomllib.loads(work.text())
    return laptop, work


def test_a_conflict_is_named_on_every_sync_until_it_is_resolved_without_grepping(devices, tmp_path):
    laptop, work = conflict(devices)
    for _ in range(2):
        result, commands = git_commands(work, tmp_path, "sync", code=1)
        assert "both devices changed rating" in result.stderr and "1 thing needs you" in result.stderr
        assert commands == NOTHING_TO_DO
    work("resolve", SLUG, "rating", "--ours")
    result, commands = git_commands(work, tmp_path, "sync")
    assert "needs you" not in result.stderr and "grep" not in commands
    result, commands = git_commands(work, tmp_path, "sync")
    assert "all in sync" in result.stderr and commands == NOTHING_TO_DO


def test_after_a_commit_by_hand_every_book_is_looked_through_again(devices, tmp_path):
    """HEAD moved behind readlog's back: what it kept about conflicts is for another commit, so `git grep`
    looks through every book, once; the conflict is still named."""
    _, work = conflict(devices)
    (work.home / "notes.txt").write_text("mine\n")
    work.git("add", "notes.txt")
    work.git("commit", "-qm", "a note by hand")
    result, commands = git_commands(work, tmp_path, "sync", code=1)
    assert "both devices changed rating" in result.stderr
    assert commands.count("grep") == 1
    _, again = git_commands(work, tmp_path, "sync", code=1)
    assert "grep" not in again


def test_a_conflict_a_pull_by_hand_recorded_is_named(devices, tmp_path):
    """`git pull` by hand runs the merge driver, which records the conflict; readlog's next sync names it."""
    laptop, work = devices
    work("sync")
    laptop.change(lambda b: setattr(b, "rating", 4.5))
    laptop("sync")
    work.change(lambda b: setattr(b, "rating", 2))
    work.git("commit", "-qam", "rated by hand")
    work.git("pull", "--quiet", "--no-rebase", "--no-edit", "origin", "main")
    assert "conflicts" in tomllib.loads(work.text())
    result = work("sync", code=1)
    assert "both devices changed rating" in result.stderr


def test_a_conflict_copied_in_by_hand_is_named(devices, tmp_path):
    """A book file with a conflict table put in place by hand is a change: the sync commits it, reads it,
    and names it."""
    laptop, work = conflict(devices)
    laptop("sync", code=1)  # the laptop gets the merge and its conflict
    laptop("resolve", SLUG, "--ours")
    laptop("sync")
    text = work.text()
    path = laptop.home / "books" / f"{SLUG}.toml"
    path.write_text(text)  # the work device's copy, conflict and all
    result = laptop("sync", code=1)
    assert "both devices changed rating" in result.stderr


def test_kept_conflicts_from_another_readlog_are_not_trusted(devices, tmp_path):
    _, work = conflict(devices)
    kept = work.home / ".git" / "readlog-attention"
    data = json.loads(kept.read_text())
    assert data["conflicts"] == [f"books/{SLUG}.toml"] and data["broken"] == []
    kept.write_text(json.dumps(data | {"conflicts": []}))
    result, commands = git_commands(work, tmp_path, "sync")  # what is kept is what a sync looks at
    assert "all in sync" in result.stderr and "grep" not in commands
    kept.write_text(json.dumps(data | {"readlog": "0.0.1", "conflicts": []}))
    result, commands = git_commands(work, tmp_path, "sync", code=1)
    assert "both devices changed rating" in result.stderr and "grep" in commands
    kept.write_text("{not json")
    result, commands = git_commands(work, tmp_path, "sync", code=1)
    assert "both devices changed rating" in result.stderr and "grep" in commands


@pytest.mark.parametrize("where", ["goals"])
def test_a_goals_conflict_is_named_on_a_sync_with_nothing_to_do(devices, tmp_path, where):
    laptop, work = devices
    goals_conflict(work, laptop)
    result, commands = git_commands(work, tmp_path, "sync", code=1)
    assert "goals.toml: both devices changed" in result.stderr
    assert commands == NOTHING_TO_DO


def test_a_book_that_does_not_parse_is_named_on_a_sync_with_nothing_to_do(devices, tmp_path):
    laptop, _ = devices
    path = laptop.home / "books" / f"{SLUG}.toml"
    path.write_text(path.read_text().replace("rating = 4", "rating = [4"))
    laptop("sync", code=1)
    for _ in range(2):
        result, commands = git_commands(laptop, tmp_path, "sync", code=1)
        assert f"{SLUG}.toml" in result.stderr and "not pushed" in result.stderr
        assert commands == NOTHING_TO_DO
    path.write_text(path.read_text().replace("rating = [4", "rating = 4"))
    result = laptop("sync")
    assert "Pushed to" in result.stderr and "all in sync" in result.stderr


def test_a_book_broken_and_committed_by_hand_is_named(devices, tmp_path):
    """Not a change the sync sees (git already has it) and not one it kept: HEAD moved behind its back, so
    every book is looked at again."""
    laptop, _ = devices
    laptop("sync")
    path = laptop.home / "books" / f"{SLUG}.toml"
    path.write_text(path.read_text().replace("rating = 4", "rating = [4"))
    laptop.git("commit", "-qam", "by hand")
    result = laptop("sync", code=1)
    assert f"{SLUG}.toml" in result.stderr and "not pushed" in result.stderr
    result, commands = git_commands(laptop, tmp_path, "sync", code=1)
    assert f"{SLUG}.toml" in result.stderr and commands == NOTHING_TO_DO


def test_the_sync_knows_the_inbox_files_by_their_names():
    """`sync` looks for these two files before it imports the inbox's module: the names must be its."""
    from readlog.actions.inbox import INBOX, MARKER
    from readlog.actions.sync import INBOX_FILES

    assert INBOX_FILES == (INBOX, MARKER)


def test_what_git_config_says_is_read_once_and_answered_as_git_would(tmp_path, monkeypatch):
    """Git.config_get answers from one `config --list` what `git config --get` (and `remote get-url`)
    would: the last value of a key, the first URL of a remote, scopes kept apart, names case-insensitive
    but a subsection not."""
    import subprocess

    from readlog.sync.git import Git

    config = tmp_path / "gitconfig"
    config.write_text("[readlog]\n\tmachine = global-name\n[user]\n\tname = Global Reader\n")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(config))
    repo = tmp_path / "repo"
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    for args in (
        ["remote", "add", "origin", "/first/url"],
        ["config", "--add", "remote.origin.url", "/second/url"],
        ["config", "Merge.Readlog.Name", "one"],
        ["config", "--add", "merge.readlog.name", "two"],
        ["config", "remote.Origin.url", "/other/case"],
    ):
        subprocess.run(["git", "-C", str(repo), *args], check=True)
    git = Git(repo)
    assert git.config_get("merge.readlog.name") == "two"
    assert git.config_get("MERGE.readlog.NAME") == "two"
    assert git.config_get("readlog.machine") == "global-name"
    assert git.config_get("readlog.machine", local=True) is None
    assert git.config_get("user.name", local=True) is None and git.config_get("user.name") == "Global Reader"
    assert git.remote_url("origin") == "/first/url"
    assert git.remote_url("Origin") == "/other/case"
    assert git.remote_url("elsewhere") is None
    git.config_set("readlog.machine", "local-name")  # read again after readlog sets a value
    assert git.config_get("readlog.machine", local=True) == "local-name"
    assert (
        git.remote_url("origin")
        == subprocess.run(
            ["git", "-C", str(repo), "remote", "get-url", "origin"], capture_output=True, text=True
        ).stdout.strip()
    )
    subprocess.run(["git", "-C", str(repo), "config", "url./rewritten/.insteadOf", "/first/"], check=True)
    assert Git(repo).remote_url("origin") == "/rewritten/url"  # as git would name it


PROBE = """
import sys
from readlog.cli import main
sys.argv = ["readlog", "sync"]
try:
    main()
except SystemExit:
    pass
sys.stdout.write("rich.console loaded" if "rich.console" in sys.modules else "rich.console not loaded")
"""


@pytest.mark.parametrize("forced", [False, True])
def test_a_quiet_sync_in_a_script_says_its_line_without_rich(devices, forced):
    """Piped, the sync's messages are plain lines, written without importing Rich's console (most of a
    no-op sync's own start-up); with colour forced they go through Rich, in colour."""
    import os
    import subprocess
    import sys

    laptop, _ = devices
    env = dict(os.environ, READLOG_HOME=str(laptop.home))
    env.pop("NO_COLOR", None)
    if forced:
        env["FORCE_COLOR"] = "1"
    result = subprocess.run(
        [sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, timeout=60
    )
    assert "all in sync with" in result.stderr
    if forced:
        assert result.stdout == "rich.console loaded" and "\x1b[" in result.stderr
    else:
        assert result.stdout == "rich.console not loaded" and "\x1b[" not in result.stderr
        assert result.stderr.endswith(f"all in sync with {laptop.home.parent / 'remote.git'}\n")


def test_every_change_is_committed_whatever_its_name(devices):
    """The sync stages exactly the paths `status` named (as literal paths, not patterns): names with
    spaces, brackets, a star, a leading dash, pathspec magic, non-ASCII; a removal; a new folder."""
    laptop, work = devices
    names = ["a b.txt", "[x].txt", "*.txt", "-dash.txt", ":(glob)g.txt", "ünï.txt", "new/deep/n.txt"]
    for name in names:
        path = laptop.home / "notes" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(name)
    (laptop.home / ":(glob)top.txt").write_text("at the top, where a pathspec's magic would be read")
    laptop("sync")
    assert laptop.git("status", "--porcelain") == ""
    (laptop.home / "notes" / "[x].txt").unlink()
    (laptop.home / "notes" / "a b.txt").write_text("changed")
    result = laptop("sync")
    assert "Pushed to" in result.stderr and laptop.git("status", "--porcelain") == ""
    work("sync")
    kept = sorted(str(p.relative_to(work.home / "notes")) for p in (work.home / "notes").rglob("*.txt"))
    assert kept == sorted(n for n in names if n != "[x].txt")
    assert (work.home / "notes" / "a b.txt").read_text() == "changed"
    assert (work.home / ":(glob)top.txt").exists()
