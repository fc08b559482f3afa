"""READLOG_DATE_STYLE=long reaches every date `show` prints; `show --at` takes a date in words."""

from __future__ import annotations

import re
import shutil
from datetime import date, timedelta

import pytest

from test_sync_git import git_env  # noqa: F401 - git's config pointed at an empty file, a fixed identity

LONG = re.compile(
    r"\d{1,2} (January|February|March|April|May|June|July|August|September|October|November|December) \d{4}"
)


def test_done_by_about_follows_the_long_date_style(run):
    started = (date.today() - timedelta(days=10)).isoformat()
    run("add", "Dune", "-a", "Frank Herbert", "--pages", "600", "--status", "want")
    run("start", "dune", "--date", started)
    run("progress", "dune", "100")
    iso = run("show", "dune").stdout
    done_iso = re.search(r"Done by about: (\S+)", iso)
    assert done_iso and re.fullmatch(r"\d{4}-\d{2}-\d{2}", done_iso[1])
    long = run("show", "dune", env={"READLOG_DATE_STYLE": "long"}).stdout
    line = next(x for x in long.splitlines() if "Done by about:" in x)
    assert LONG.search(line) and not re.search(r"\d{4}-\d{2}-\d{2}", line), line
    expected = date.fromisoformat(done_iso[1])
    assert f"{expected.day} " in line and str(expected.year) in line


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_show_at_takes_a_date_in_words(run, journal_home, monkeypatch):
    run("add", "Dune", "-a", "Frank Herbert", "-r", "3")
    three_days_ago = (date.today() - timedelta(days=3)).isoformat()
    monkeypatch.setenv("GIT_COMMITTER_DATE", f"{three_days_ago}T12:00:00")
    monkeypatch.setenv("GIT_AUTHOR_DATE", f"{three_days_ago}T12:00:00")
    run("sync", "init")
    monkeypatch.delenv("GIT_COMMITTER_DATE")
    monkeypatch.delenv("GIT_AUTHOR_DATE")
    run("rate", "dune", "5")
    run("sync")
    then = run("show", "dune", "--at", "yesterday", "--json")
    assert '"rating": 3' in then.stdout
    assert f"--at yesterday: {(date.today() - timedelta(days=1)).isoformat()}" in then.stderr
    assert '"rating": 5' in run("show", "dune", "--at", "today", "--json").stdout
    assert '"rating": 5' in run("show", "dune", "--at", "HEAD", "--json").stdout  # a revision still
    refused = run("show", "dune", "--at", "sometime soonish", code=2).stderr  # (a usage mistake)
    assert "neither a date" in refused and "not a date" not in refused
    early = run("show", "dune", "--at", "10 days ago", code=1).stderr
    assert "has no version on or before" in early
