"""Data on stdout, everything else on stderr, for every command: a walk through all of them, piped.

A command whose purpose is to change something (add, finish, sync, site, import, ...) prints nothing on
stdout: its confirmation goes to stderr with every other message. A command that reports (show, list,
search, stats, lookup, ...) prints its data on stdout, and `--json` where it has it is JSON alone."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

import lookup_server as ol
from readlog.cli.app import COMMANDS
from test_highlights_kindle import ENGLISH, clippings, english_date

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


@pytest.fixture
def server(monkeypatch):
    yield from ol.serving(monkeypatch)


@pytest.fixture(autouse=True)
def git_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "gitconfig"
    config.write_text("")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(config))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for who in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{who}_NAME", "Test Reader")
        monkeypatch.setenv(f"GIT_{who}_EMAIL", "reader@example.org")


def test_every_command_keeps_data_on_stdout_and_messages_on_stderr(
    run, tmp_path, journal_home, server, monkeypatch
):
    monkeypatch.setenv("READLOG_CONFIG", str(tmp_path / "config.toml"))
    seen: set[str] = set()

    def quiet(*args: str, code: int = 0, input: str | None = None) -> str:
        """A command that changes something: nothing on stdout; its confirmation on stderr."""
        seen.add(args[0])
        result = run(*args, code=code, input=input)
        assert result.stdout == "", (args, result.stdout)
        return result.stderr

    def data(*args: str, code: int = 0) -> str:
        """A command that reports: its data on stdout."""
        seen.add(args[0])
        result = run(*args, code=code)
        assert result.stdout.strip(), (args, result.stderr)
        if "--json" in args:
            json.loads(result.stdout)
        return result.stdout

    assert "Added" in quiet("add", "Klara and the Sun", "-a", "Kazuo Ishiguro", "--year", "2021")
    quiet("add", "Dune", "-a", "Frank Herbert")
    quiet("add", "Gone Soon", "-a", "Someone Else")
    quiet("start", "dune", "--date", "2026-01-02")
    quiet("progress", "dune", "40", "--date", "2026-01-10")  # (dated: a finish may not come before them)
    quiet("pause", "dune", "--date", "2026-01-12")
    quiet("start", "dune", "--date", "2026-01-14")
    quiet("finish", "dune", "--date", "2026-01-20")
    quiet("start", "klara-and-the-sun")
    quiet("abandon", "klara-and-the-sun")
    quiet("review", "dune", "Sand and politics.")
    quiet("rate", "dune", "4.5")
    assert "Tagged" in quiet("tag", "dune", "classics")
    quiet("reflect", "dune", "Spice is oil.")
    quiet("quote", "dune", "Fear is the mind-killer.", "--page", "8")
    quiet("next", "add", "Piranesi", "-a", "Susanna Clarke", "--from", "dune")
    quiet("next", "add", "Babel", "-a", "R. F. Kuang", "--from", "dune")
    quiet("tags", "rename", "none", "other", code=1)  # refused: the error on stderr, nothing on stdout
    data("goal", "12")  # sets the goal and shows where it stands: that is its data
    quiet("rm", "gone soon", "--yes")
    quiet("restore", "gone-soon")
    quiet("add", "Twice Over", "-a", "Someone Else")
    quiet("add", "Twice Over", "-a", "Someone Else", "--new")  # a second book of the same work
    quiet("merge", "twice-over", "twice-over-else")
    script = tmp_path / "editor.py"
    script.write_text("import sys\nopen(sys.argv[1], 'a').write('\\n# edited\\n')\n")
    seen.add("edit")
    edited = run("edit", "dune", env={"VISUAL": f"python3 {script}"})
    assert edited.stdout == "" and "# edited" in (journal_home / "books" / "dune.toml").read_text()
    quiet("reindex")
    quiet("config", "init")
    (journal_home / "inbox.md").write_text("reflect: dune | From the phone.\n")
    assert "Filed line 1" in quiet("inbox")
    assert "Built" in quiet("site", str(tmp_path / "site"))
    clip = tmp_path / "My Clippings.txt"
    clip.write_bytes(clippings(ENGLISH, english_date))
    assert "kindle highlights" in quiet("import", str(clip))
    csv = tmp_path / "goodreads.csv"
    csv.write_text("Book Id,Title,Author,My Rating,Exclusive Shelf\n7,Piranesi,Susanna Clarke,5,read\n")
    assert "added" in quiet("import", str(csv))
    assert "filled" in quiet("enrich", "dune", "--missing", "pages")
    seen.add("merge-driver")  # git runs it, and says nothing on stdout: see test_sync_git
    # sync, with a conflict to resolve: two copies of the journal and a bare remote
    remote = tmp_path / "remote.git"
    subprocess.run(["git", "init", "--quiet", "--bare", str(remote)], check=True)
    assert "Syncing" in quiet("sync", "init", str(remote))
    other = tmp_path / "other"
    run("sync", "init", str(remote), env={"READLOG_HOME": str(other)})
    run("rate", "dune", "2", env={"READLOG_HOME": str(other)})
    run("sync", env={"READLOG_HOME": str(other)})
    quiet("rate", "dune", "3")
    assert "needs you" in quiet("sync", code=1)
    assert "Resolved" in quiet("resolve", "dune", "rating", "--ours")
    assert "Pushed" in quiet("sync")

    data("show", "dune")
    data("show", "dune", "--json")
    data("list")
    data("list", "--json")
    data("next")
    data("search", "spice")
    data("stats")
    data("goal")
    data("recall", "--json")
    data("series", "--json")
    data("export", "dune", "--format", "markdown")
    data("lookup", ol.DUNE, "--json")
    data("tags", "--json")
    quiet("rm", "piranesi", "--yes")
    data("restore")
    (journal_home / "drafts").mkdir(exist_ok=True)
    (journal_home / "drafts" / "review-dune.20260101T000000.md").write_text("A draft.\n")
    data("drafts")
    data("config")

    data("completion", "bash")
    data("log")
    data("sync", "--json")
    assert "Filed" not in data("inbox", "--json")
    (journal_home / "books" / "broken.toml").write_text("title = \n")
    data("check", code=1)
    assert seen >= set(COMMANDS), set(COMMANDS) - seen
