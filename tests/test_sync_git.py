"""Sync through real git: two data dirs (two devices) and a bare remote in a temp folder, git's global
config pointed at an empty file, a fixed identity through the environment."""

from __future__ import annotations

import io
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tomllib
from datetime import date
from pathlib import Path

import pytest

from conftest import snapshot
from readlog import bookfile
from readlog.journal import Journal
from readlog.model import Quote

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

SLUG = "klara-and-the-sun"
REVIEW = "First paragraph.\n\nSecond paragraph.\n\nThird paragraph.\n"


@pytest.fixture(autouse=True)
def git_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "gitconfig"
    config.write_text("")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(config))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for who in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{who}_NAME", "Test Reader")
        monkeypatch.setenv(f"GIT_{who}_EMAIL", "reader@example.org")


class Device:
    """One machine's journal, driven through the CLI the way a reader would."""

    def __init__(self, run, home: Path):
        self.run = run
        self.home = home
        self.journal = Journal(home)

    def __call__(self, *args: str, code: int = 0, input: str | None = None):
        return self.run(*args, code=code, input=input, env={"READLOG_HOME": str(self.home)})

    def book(self, slug: str = SLUG):
        path = self.home / "books" / f"{slug}.toml"
        return bookfile.parse(path.read_text(encoding="utf-8"), str(path))

    def text(self, slug: str = SLUG) -> str:
        return (self.home / "books" / f"{slug}.toml").read_text(encoding="utf-8")

    def change(self, change, slug: str = SLUG) -> None:
        self.journal.modify(slug, change)

    def git(self, *args: str) -> str:
        return subprocess.run(
            ["git", "-C", str(self.home), *args], capture_output=True, text=True, check=True
        ).stdout


@pytest.fixture
def remote(tmp_path: Path) -> Path:
    bare = tmp_path / "remote.git"
    subprocess.run(["git", "init", "--quiet", "--bare", str(bare)], check=True)
    return bare


def goals_conflict(device: Device, other: Device) -> None:
    """Both devices change one year's goal after a sync: `device`'s sync fails on the conflict."""
    (other.home / "goals.toml").write_text("[goals]\n2026 = 30\n")
    other("sync")
    device("sync")
    (other.home / "goals.toml").write_text("[goals]\n2026 = 40\n")
    (device.home / "goals.toml").write_text("[goals]\n2026 = 20\n")
    other("sync")
    device("sync", code=1)


@pytest.fixture
def devices(run, tmp_path: Path, remote: Path) -> tuple[Device, Device]:
    """Laptop has Klara (with a review); both devices are set up against the remote, in sync."""
    laptop, work = Device(run, tmp_path / "laptop"), Device(run, tmp_path / "work")
    laptop("add", "Klara and the Sun", "-a", "Kazuo Ishiguro", "-r", "4", "--review", REVIEW)
    laptop("sync", "init", str(remote))
    work("sync", "init", str(remote))
    assert work.book().title == "Klara and the Sun"
    return laptop, work


def files(device: Device) -> dict[str, bytes]:
    """What travels: everything but git's own folder and what stays on the machine."""
    stays = (".git/", "trash/", "drafts/")
    return {k: v for k, v in snapshot(device.home).items() if not k.startswith(stays) and k != ".lock"}


def assert_clean(*devices: Device) -> None:
    for device in devices:
        for path in (device.home / "books").glob("*.toml"):
            text = path.read_text(encoding="utf-8")
            assert "<<<<<<<" not in text and ">>>>>>>" not in text
            bookfile.parse(text, str(path))
        device("check")


def test_reflections_on_both_devices_are_both_kept(devices):
    laptop, work = devices
    laptop("reflect", "klara-and-the-sun", "The sun as a god: what a child would make of it.")
    work("reflect", "klara-and-the-sun", "Josie's mother wanted a copy, not a cure.")
    laptop("sync")
    work("sync")
    laptop("sync")
    assert [r.text for r in work.book().reflections] == [
        "Josie's mother wanted a copy, not a cure.",
        "The sun as a god: what a child would make of it.",
    ]
    assert files(laptop) == files(work)
    assert_clean(laptop, work)


def test_a_rating_changed_on_both_devices_needs_the_reader_then_resolve_settles_it(devices):
    laptop, work = devices
    laptop.change(lambda b: setattr(b, "rating", 4.5))
    work.change(lambda b: setattr(b, "rating", 3))
    laptop("sync")
    result = work("sync", code=1)
    assert result.stdout == ""  # every message on stderr, the line that needs the reader with them
    assert result.stderr.splitlines()[-2:] == [
        "“Klara and the Sun” (klara-and-the-sun): both devices changed rating: "
        "`readlog resolve klara-and-the-sun rating --ours|--theirs`",
        "1 thing needs you",
    ]
    assert work.book().rating == 3  # this device's value stays in place
    assert tomllib.loads(work.text())["conflicts"][0] | {"when": None} == {
        "field": "rating",
        "ours": 3,
        "theirs": 4.5,
        "ours_device": work.git("config", "readlog.machine").strip(),  # each copy named itself once
        "theirs_device": laptop.git("config", "readlog.machine").strip(),
        "when": None,
    }
    check = work("check", code=1)
    assert (
        "both devices changed rating" in check.stdout and "readlog resolve klara-and-the-sun" in check.stdout
    )
    assert_parses(laptop, work)
    laptop("sync", code=1)  # the laptop gets the merge, and the conflict with it

    work("resolve", "klara-and-the-sun", "rating", "--theirs")
    assert work.book().rating == 4.5 and "conflicts" not in work.book().extra
    work("sync")
    laptop("sync")
    assert files(laptop) == files(work)
    assert_clean(laptop, work)


def test_conflict_labels_follow_the_device_on_both_sides(devices):
    """A rated 4.5 and synced, B rated 3.5 and synced; A's next sync fast-forwards to B's merge: on A,
    "here" is still A's 4.5, and `resolve --ours` on A keeps A's value (not the one in place)."""
    laptop, work = devices
    laptop.change(lambda b: setattr(b, "rating", 4.5))
    laptop("sync")
    work.change(lambda b: setattr(b, "rating", 3.5))
    work("sync", code=1)
    assert "here 3.5 (in place), other device" in work("show", "klara").stdout
    laptop("sync", code=1)  # a fast-forward: the file, merged and recorded on B, arrives as it is
    assert laptop.book().rating == 3.5  # the value in place is B's
    shown = " ".join(laptop("show", "klara").stdout.split())
    name_b = work.git("config", "readlog.machine").strip()
    assert f"rating: here 4.5, other device ({name_b}) 3.5 (in place)" in shown
    check = laptop("check", code=1).stdout
    assert "(here 4.5, other (" in check and "3.5; the other device's is in place)" in check
    laptop("resolve", "klara-and-the-sun", "rating", "--ours")
    assert laptop.book().rating == 4.5 and "conflicts" not in laptop.book().extra
    laptop("sync")
    work("sync")
    assert work.book().rating == 4.5 and "conflicts" not in work.book().extra


def test_conflict_labels_use_the_configured_machine_names(devices, run):
    laptop, work = devices
    a, b = {"READLOG_MACHINE": "laptop"}, {"READLOG_MACHINE": "desk"}
    laptop.change(lambda b_: setattr(b_, "rating", 4.5))
    run("sync", env={"READLOG_HOME": str(laptop.home), **a})
    work.change(lambda b_: setattr(b_, "rating", 3.5))
    run("sync", code=1, env={"READLOG_HOME": str(work.home), **b})
    recorded = tomllib.loads(work.text())["conflicts"][0]
    assert (recorded["ours_device"], recorded["theirs_device"]) == ("desk", "laptop")
    run("sync", code=1, env={"READLOG_HOME": str(laptop.home), **a})
    on_a = " ".join(run("show", "klara", env={"READLOG_HOME": str(laptop.home), **a}).stdout.split())
    assert "rating: here 4.5, other device (desk) 3.5 (in place)" in on_a
    on_b = " ".join(run("show", "klara", env={"READLOG_HOME": str(work.home), **b}).stdout.split())
    assert "rating: here 3.5 (in place), other device (laptop) 4.5" in on_b
    # B takes the other device's value: A's 4.5
    run("resolve", "klara-and-the-sun", "rating", "--theirs", env={"READLOG_HOME": str(work.home), **b})
    assert work.book().rating == 4.5


def assert_parses(*devices: Device) -> None:
    for device in devices:
        for path in (device.home / "books").glob("*.toml"):
            bookfile.parse(path.read_text(encoding="utf-8"), str(path))


def test_resolve_ours_and_its_errors(devices, run):
    laptop, work = devices
    laptop.change(lambda b: setattr(b, "year", 2021))
    work.change(lambda b: setattr(b, "year", 2020))
    laptop("sync")
    work("sync", code=1)
    assert "give exactly one of --ours or --theirs" in work("resolve", "klara-and-the-sun", code=2).output
    assert (
        "no conflict on 'rating'" in work("resolve", "klara-and-the-sun", "rating", "--ours", code=1).stderr
    )
    work("resolve", "klara-and-the-sun", "--ours")
    assert work.book().year == 2020 and "conflicts" not in work.book().extra
    assert "no conflicts to resolve" in work("resolve", "klara-and-the-sun", "--ours", code=1).stderr


def test_a_review_edited_in_different_paragraphs_merges(devices):
    laptop, work = devices
    laptop.change(lambda b: setattr(b.review, "body", REVIEW.replace("First", "My first")))
    work.change(lambda b: setattr(b.review, "body", REVIEW.replace("Third", "A third")))
    laptop("sync")
    work("sync")
    laptop("sync")
    assert work.book().review.body == "My first paragraph.\n\nSecond paragraph.\n\nA third paragraph.\n"
    assert files(laptop) == files(work)
    assert_clean(laptop, work)


def test_a_review_edited_in_the_same_paragraph_keeps_one_and_records_the_other(devices):
    laptop, work = devices
    laptop.change(lambda b: setattr(b.review, "body", REVIEW.replace("Second", "The laptop's second")))
    work.change(lambda b: setattr(b.review, "body", REVIEW.replace("Second", "Work's second")))
    laptop("sync")
    work("sync", code=1)
    text = work.text()
    assert "Work's second paragraph." in work.book().review.body  # in place
    assert [c["field"] for c in tomllib.loads(text)["conflicts"]] == ["review.body"]
    assert "The laptop's second paragraph." in tomllib.loads(text)["conflicts"][0]["theirs"]  # nothing lost
    assert "<<<<<<<" not in text
    out = work("show", "klara").stdout
    assert "Work's second" in out


def test_a_book_removed_on_one_device_and_edited_on_the_other_survives_with_the_edit(devices):
    laptop, work = devices
    laptop("rm", "klara-and-the-sun", "--yes")
    work(
        "quote",
        "klara-and-the-sun",
        "The Sun always has ways to reach us.",
        "--page",
        "12",
        "--date",
        "2025-06-01",
    )
    laptop("sync")
    result = work("sync", code=1)
    assert "klara-and-the-sun.toml" in result.stderr and "kept" in result.stderr
    back = laptop("sync", code=1).stderr  # a fast-forward to that merge: the book is back, and said so
    assert (
        "books/klara-and-the-sun.toml: removed here, changed on the other device, which kept it: back, "
        "with that change (`readlog rm klara-and-the-sun` removes it again)\n1 thing needs you"
    ) in back
    assert "needs you" not in laptop("sync").stderr  # said once
    for device in (laptop, work):
        assert device.book().quotes == [
            Quote("The Sun always has ways to reach us.", page=12, date=date(2025, 6, 1))
        ]
    assert files(laptop) == files(work)


def test_an_edit_wins_over_a_removal_that_syncs_second(devices):
    laptop, work = devices
    work("reflect", "klara-and-the-sun", "still here")
    work("sync")
    laptop("rm", "klara-and-the-sun", "--yes")
    laptop("sync", code=1)
    assert [r.text for r in laptop.book().reflections] == ["still here"]


def test_two_journals_started_apart_merge(run, tmp_path, remote):
    laptop, work = Device(run, tmp_path / "laptop"), Device(run, tmp_path / "work")
    laptop("add", "Klara and the Sun", "-a", "Kazuo Ishiguro", "-r", "4")
    laptop("add", "Dune", "-a", "Frank Herbert")
    laptop("reflect", "klara-and-the-sun", "from the laptop")
    work("add", "Klara and the Sun", "-a", "Kazuo Ishiguro", "-r", "4")
    work("reflect", "klara-and-the-sun", "from work")
    work("add", "Never Let Me Go", "-a", "Kazuo Ishiguro")
    # the same book under another file name, as a hand-made or imported file would be
    (work.home / "books" / "dune-herbert.toml").write_text(
        'title = "Dune"\nauthors = ["Frank Herbert"]\nyear = 1965\n'
    )
    laptop("sync", "init", str(remote))
    result = work("sync", "init", str(remote), code=1)
    assert "the same book as" in result.stderr  # reported, for the reader to merge by hand
    laptop("sync")
    assert sorted(p.name for p in (laptop.home / "books").glob("*.toml")) == [
        "dune-herbert.toml",
        "dune.toml",
        "klara-and-the-sun.toml",
        "never-let-me-go.toml",
    ]
    assert sorted(r.text for r in laptop.book().reflections) == ["from the laptop", "from work"]
    assert files(laptop) == files(work)
    assert "Never Let Me Go" in laptop("list").stdout  # the index noticed what the merge wrote
    assert "from work" in laptop("search", "work").stdout
    duplicates = laptop("check", code=1).stdout
    assert "dune" in duplicates and "the same book" in duplicates


def test_log_and_show_at_over_five_commits(run, tmp_path, monkeypatch):
    device = Device(run, tmp_path / "solo")
    days = iter(["2026-11-18", "2026-11-20", "2026-11-22", "2026-11-23", "2026-11-25"])

    def sync_on_day(*init: str) -> None:
        stamp = f"{next(days)}T12:00:00"
        monkeypatch.setenv("GIT_AUTHOR_DATE", stamp)
        monkeypatch.setenv("GIT_COMMITTER_DATE", stamp)
        device("sync", *init)

    device("add", "Klara and the Sun", "-a", "Kazuo Ishiguro", "--status", "reading", "--review", "Short.")
    sync_on_day("init")  # no remote: sync only commits
    device.change(lambda b: (setattr(b, "status", "read"), setattr(b, "rating", 4.5)))
    sync_on_day()
    device.change(lambda b: setattr(b.review, "body", "Short.\n\n" + "word " * 120))
    sync_on_day()
    device("reflect", "klara-and-the-sun", "What is a heart?")
    sync_on_day()
    device("quote", "klara-and-the-sun", "The Sun always has ways to reach us.")
    sync_on_day()

    shown = device("log", "klara")  # read-only: words of the title show the one book, and say which
    assert "the history of klara-and-the-sun (Klara and the Sun by Kazuo Ishiguro)" in shown.stderr
    lines = shown.stdout.splitlines()
    assert lines == [
        "2026-11-18 in the journal when syncing began (reading, a review of 1 word)",
        "2026-11-20 finished, rated 4.5",
        "2026-11-22 review edited, +120 words",
        "2026-11-23 reflection added",
        "2026-11-25 quote added",
    ]
    history = json.loads(device("log", "klara", "--json").stdout)
    assert [h["date"][:10] for h in history] == [
        "2026-11-18",
        "2026-11-20",
        "2026-11-22",
        "2026-11-23",
        "2026-11-25",
    ]
    journal_lines = device("log").stdout.splitlines()
    assert journal_lines[0] == '2026-11-25 quote "Klara and the Sun"'
    assert journal_lines[1] == '2026-11-23 reflect on "Klara and the Sun"'

    from readlog.sync.history import book_at, entry_at

    journal = Journal(device.home)
    assert book_at(journal, SLUG, "2026-11-19").rating is None
    assert book_at(journal, SLUG, "2026-11-21").rating == 4.5
    assert book_at(journal, SLUG, "2026-11-22").review.body.count("word") == 120
    assert book_at(journal, SLUG, "HEAD~1").quotes == []
    assert book_at(journal, SLUG, "HEAD").quotes != []
    first = entry_at(journal, SLUG, "HEAD~4")
    assert first.book.status == "reading" and not first.read_only
    from rich.console import Console

    from readlog.render import render_book

    console = Console(width=100, file=io.StringIO(), color_system=None)
    console.print(render_book(first))  # what `show --at` prints
    assert "Short." in console.file.getvalue() and "What is a heart?" not in console.file.getvalue()
    shown = device("show", "klara", "--at", "HEAD~4").stdout
    assert "Short." in shown and "What is a heart?" not in shown
    assert json.loads(device("show", "klara", "--at", "2026-11-21", "--json").stdout)["rating"] == 4.5
    from readlog.errors import ReadlogError

    for rev, message in [
        ("2026-11-01", "no version on or before 2026-11-01"),
        ("2026-02-30", "not a valid date"),
        ("--output=/tmp/x", "neither a date"),
        ("nope", "neither a date"),
    ]:
        with pytest.raises(ReadlogError, match=message):
            book_at(journal, SLUG, rev)


def test_log_of_a_removed_book_by_its_slug(run, tmp_path):
    device = Device(run, tmp_path / "solo")
    device("add", "Dune", "-a", "Frank Herbert")
    device("sync", "init")
    device("rm", "dune", "--yes")
    device("sync")
    assert device("log", "dune").stdout.splitlines()[-1].endswith("removed")


def test_without_a_repository_sync_and_log_say_so(run, tmp_path):
    device = Device(run, tmp_path / "plain")
    device("add", "Dune", "-a", "Frank Herbert")
    assert "not a git repository yet: run `readlog sync init" in device("sync", code=1).stderr
    assert "not a git repository" in device("log", code=1).stderr


def test_without_git_a_clear_error(run, tmp_path):
    device = Device(run, tmp_path / "plain")
    device("add", "Dune", "-a", "Frank Herbert")
    empty = tmp_path / "no-git-here"
    empty.mkdir()
    for args in (["sync"], ["sync", "init"], ["log"]):
        result = run(*args, code=1, env={"READLOG_HOME": str(device.home), "PATH": str(empty)})
        assert result.stderr.startswith("readlog: error: git is not installed (or not on PATH)")
        assert len(result.stderr.strip().splitlines()) == 1


def test_an_unreachable_remote_keeps_the_commit_for_next_time(run, tmp_path):
    device = Device(run, tmp_path / "laptop")
    device("add", "Dune", "-a", "Frank Herbert")
    later = tmp_path / "usb" / "journal.git"
    result = device("sync", "init", str(later), code=1)
    assert "cannot reach origin" in result.stderr and "committed here" in result.stderr
    assert "dune" in device.git("log", "--stat", "--format=%s")
    device("reflect", "dune", "spice")
    device("sync", code=1)
    assert device.git("log", "-1", "--format=%s").strip() == 'reflect on "Dune"'
    later.parent.mkdir()
    subprocess.run(["git", "init", "--quiet", "--bare", str(later)], check=True)
    assert "Pushed to" in device("sync").stderr
    other = Device(run, tmp_path / "work")
    other("sync", "init", str(later))
    assert other.book("dune").reflections[0].text == "spice"


def test_git_pull_by_hand_uses_the_driver(devices):
    laptop, work = devices
    laptop.change(lambda b: setattr(b, "rating", 5))
    laptop("sync")
    work.change(lambda b: b.tags.append("robots"))
    work.git("commit", "-qam", "tag by hand")
    work.git("pull", "--quiet", "--no-rebase", "--no-edit", "origin", "main")
    assert work.book().rating == 5 and work.book().tags == ["robots"]


def test_a_file_that_does_not_parse_never_travels_and_no_sync_reports_success_over_it(devices):
    laptop, work = devices
    path = laptop.home / "books" / f"{SLUG}.toml"
    path.write_text(path.read_text().replace("rating = 4", "rating = [4"))
    first = laptop("sync", code=1)  # committed here (the reader's text is kept), named, not pushed
    assert f"{SLUG}.toml" in first.stderr and "not pushed" in first.stderr
    work.change(lambda b: setattr(b, "rating", 2))
    work("sync")  # the other device never received the broken file
    assert work.book().rating == 2
    for _ in range(2):  # both sides, twice: never "all in sync" while a copy does not parse
        result = laptop("sync", code=1)
        assert f"books/{SLUG}.toml" in result.stderr
        assert "all in sync" not in result.stderr
        result = work("sync")
        assert "<<<<<<<" not in (work.home / "books" / f"{SLUG}.toml").read_text()
    check = laptop("check", code=1).stdout
    assert f"{SLUG}.toml" in check


def test_a_stale_git_lock_is_cleared(devices):
    laptop, _ = devices
    (laptop.home / ".git" / "index.lock").write_text("")
    laptop("reflect", "klara-and-the-sun", "after a crash")
    result = laptop("sync")
    assert "index.lock" in result.stderr
    assert not (laptop.home / ".git" / "index.lock").exists()


def test_what_travels(devices):
    laptop, work = devices
    (laptop.home / "goals.toml").write_text("[goals]\n2026 = 30\n")
    (laptop.home / "drafts").mkdir()
    (laptop.home / "drafts" / "x.md").write_text("draft")
    (laptop.home / "books" / ".klara.toml.1234.tmp").write_text("half")
    laptop("sync")
    work("sync")
    assert (work.home / "goals.toml").read_text() == "[goals]\n2026 = 30\n"
    assert not (work.home / "drafts").exists()
    assert not list((work.home / "books").glob("*.tmp"))
    tracked = laptop.git("ls-files").split()
    assert ".lock" not in tracked and ".gitattributes" in tracked
    config = laptop.git("config", "--get", "merge.readlog.driver")
    assert config.startswith(sys.executable) or config.startswith("'" + sys.executable)


def test_goals_merge_too(devices):
    laptop, work = devices
    (laptop.home / "goals.toml").write_text("# mine\n[goals]\n2025 = 20\n")
    laptop("sync")
    work("sync")
    (laptop.home / "goals.toml").write_text("# mine\n[goals]\n2025 = 20\n2026 = 30\n")
    (work.home / "goals.toml").write_text("# mine\n[goals]\n2025 = 24\n")
    laptop("sync")
    work("sync")
    assert (work.home / "goals.toml").read_text() == "# mine\n[goals]\n2025 = 24\n2026 = 30\n"


# --- crashes -------------------------------------------------------------------------------------------
def wrapper(tmp_path: Path, kill_at: str) -> Path:
    """A `git` ahead of the real one on PATH that SIGKILLs readlog (its parent) at one git subcommand."""
    folder = tmp_path / f"kill-at-{kill_at}"
    folder.mkdir()
    script = folder / "git"
    script.write_text(
        f'#!/bin/sh\nif [ "$3" = "{kill_at}" ]; then kill -9 $PPID; sleep 1; exit 1; fi\n'
        f'exec {shutil.which("git")} "$@"\n'
    )
    script.chmod(0o755)
    return folder


def sync_process(device: Device, path: str | None = None, *args: str, **popen):
    env = dict(os.environ, READLOG_HOME=str(device.home))
    if path:
        env["PATH"] = f"{path}{os.pathsep}{env['PATH']}"
    return subprocess.Popen([sys.executable, "-m", "readlog", "sync", *args], env=env, **popen)


@pytest.mark.parametrize(  # the local commit is write-tree, commit-tree, update-ref (`commit` offline)
    "kill_at", ["add", "write-tree", "commit-tree", "update-ref", "merge-tree", "reset", "push"]
)
def test_sigkill_mid_sync_then_the_next_sync_finishes(devices, tmp_path, kill_at):
    laptop, work = devices
    laptop("reflect", "klara-and-the-sun", "laptop")
    laptop.change(lambda b: setattr(b, "rating", 5))
    laptop("add", "Dune", "-a", "Frank Herbert")
    laptop("sync")
    work("reflect", "klara-and-the-sun", "work")
    work("quote", "klara-and-the-sun", "a line")
    work("add", "Never Let Me Go", "-a", "Kazuo Ishiguro")
    process = sync_process(work, str(wrapper(tmp_path, kill_at)))
    assert process.wait(timeout=60) == -9
    assert_parses(work)
    work("sync")
    laptop("sync")
    assert files(laptop) == files(work)
    assert sorted(r.text for r in work.book().reflections) == ["laptop", "work"]
    assert work.book().rating == 5 and work.book().quotes[0].text == "a line"
    assert_clean(laptop, work)


def test_sigkill_at_random_moments(devices, tmp_path):
    import random
    import signal
    import time

    laptop, work = devices
    for number in range(8):
        laptop("add", f"Laptop book {number}", "-a", "A. Writer")
        work("add", f"Work book {number}", "-a", "B. Writer")
    laptop("sync")
    chance = random.Random(14)
    killed = 0
    for attempt in range(4):
        laptop("reflect", "klara-and-the-sun", f"laptop {attempt}")
        laptop("sync")
        work("reflect", "klara-and-the-sun", f"work {attempt}")
        process = sync_process(work, start_new_session=True)
        time.sleep(chance.uniform(0.05, 0.6))
        os.killpg(process.pid, signal.SIGKILL)  # readlog and the git it runs, as a power cut would
        killed += process.wait() == -signal.SIGKILL
        assert_parses(work)
    assert killed  # at least one sync was cut short
    work("sync")
    laptop("sync")
    assert files(laptop) == files(work)
    texts = sorted(r.text for r in work.book().reflections)
    assert texts == sorted([f"laptop {n}" for n in range(4)] + [f"work {n}" for n in range(4)])


def test_git_variables_of_the_caller_do_not_redirect_sync(devices, tmp_path, monkeypatch):
    laptop, _ = devices
    elsewhere = tmp_path / "elsewhere"
    subprocess.run(["git", "init", "--quiet", str(elsewhere)], check=True)
    monkeypatch.setenv("GIT_DIR", str(elsewhere / ".git"))
    monkeypatch.setenv("GIT_WORK_TREE", str(elsewhere))
    laptop("reflect", "klara-and-the-sun", "inside a hook's environment")
    laptop("sync")
    monkeypatch.delenv("GIT_DIR")
    monkeypatch.delenv("GIT_WORK_TREE")
    assert 'reflect on "Klara and the Sun"' in laptop.git("log", "--format=%s").splitlines()
    assert subprocess.run(["git", "-C", str(elsewhere), "log"], capture_output=True).returncode != 0


def test_a_push_race_is_merged_and_pushed_again(devices, tmp_path, remote):
    laptop, work = devices
    intruder = tmp_path / "intruder"
    subprocess.run(["git", "clone", "--quiet", "-b", "main", str(remote), str(intruder)], check=True)
    (intruder / "books" / "dune.toml").write_text('title = "Dune"\nauthors = ["Frank Herbert"]\n')
    subprocess.run(["git", "-C", str(intruder), "add", "-A"], check=True)
    subprocess.run(["git", "-C", str(intruder), "commit", "-qm", "add Dune elsewhere"], check=True)
    folder = tmp_path / "racing-git"
    folder.mkdir()
    real = shutil.which("git")
    (folder / "git").write_text(  # the first push finds that another device pushed a moment before
        f'#!/bin/sh\nif [ "$3" = "push" ] && [ ! -e {folder}/done ]; then touch {folder}/done; '
        f'{real} -C {intruder} push -q origin HEAD:main; fi\nexec {real} "$@"\n'
    )
    (folder / "git").chmod(0o755)
    work("reflect", "klara-and-the-sun", "racing")
    process = sync_process(work, str(folder), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 0, (out, err)
    assert (folder / "done").exists()
    assert work.book("dune").title == "Dune"
    laptop("sync")
    assert [r.text for r in laptop.book().reflections] == ["racing"]
    assert files(laptop) == files(work)


def test_every_sync_registers_the_driver_again(devices):
    laptop, _ = devices
    laptop.git("config", "merge.readlog.driver", "/gone/python -m readlog merge-driver %O %A %B %P")
    laptop("sync")
    assert "/gone/" not in laptop.git("config", "--get", "merge.readlog.driver")


def test_a_remote_journal_on_another_branch_name_is_joined_not_forked(run, tmp_path, remote):
    old = tmp_path / "old-laptop"
    old.mkdir()
    subprocess.run(["git", "init", "--quiet", "--initial-branch=master", str(old)], check=True)
    laptop, work = Device(run, old), Device(run, tmp_path / "work")
    laptop("add", "Dune", "-a", "Frank Herbert")
    laptop("sync", "init", str(remote))  # adopts the repository and its branch, master
    work("sync", "init", str(remote))  # a new one starts on main, and joins master
    assert work.book("dune").title == "Dune"
    branches = ["git", "-C", str(remote), "for-each-ref", "--format=%(refname:short)", "refs/heads"]
    assert subprocess.run(branches, capture_output=True, text=True).stdout.split() == ["master"]


def test_without_an_identity_sync_still_commits(run, tmp_path, monkeypatch):
    for name in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL", "EMAIL"):
        monkeypatch.delenv(name, raising=False)
    device = Device(run, tmp_path / "fresh")
    device("add", "Dune", "-a", "Frank Herbert")
    device("sync", "init")
    assert "@" in device.git("log", "-1", "--format=%ae")


def test_the_resolve_command_sync_check_and_show_print_is_one_a_shell_takes_as_it_is(devices):
    """`reflections[1].text` unquoted is a glob: zsh's `nomatch` (bash's `failglob`) stops the command the
    reader copies (tryout 30b #6). sync, check and show print it quoted, alike."""
    laptop, work = devices
    laptop("reflect", SLUG, "The sun as a god.")
    laptop("sync")
    work("sync")
    laptop.change(lambda b: setattr(b.reflections[0], "text", "The sun as a god, to a child."))
    work.change(lambda b: setattr(b.reflections[0], "text", "The sun as a god, to a machine."))
    laptop("sync")
    told = {
        "sync": work("sync", code=1).stderr,
        "check": work("check", code=1).stdout,
        "show": work("show", SLUG).stdout,
    }
    command = f"readlog resolve {SLUG} 'reflections[1].text' --ours|--theirs"
    for where, said in told.items():
        assert command in said, (where, said)
    words = command.removeprefix("readlog ").removesuffix("|--theirs")
    shell = ["bash", "-O", "failglob", "-c", f"printf '%s\\n' {words}"]
    argv = subprocess.run(shell, cwd=work.home, capture_output=True, text=True, check=True).stdout
    assert argv.splitlines() == ["resolve", SLUG, "reflections[1].text", "--ours"]
    work(*argv.splitlines())
    assert work.book().reflections[0].text == "The sun as a god, to a machine."


def test_ctrl_c_while_merging_says_what_was_done_and_leaves_no_merge_files(devices, tmp_path):
    """Ctrl-C while git merged the remote's changes said `cancelled: nothing more was done`, though this
    device's changes were committed; the copies git had made for the merge driver (`.merge_file_*`) stayed,
    and the next sync called them temp files "left by an interrupted write" (tryout 30b #5)."""
    from test_cold_build_signals import _dispositions

    laptop, work = devices
    laptop("reflect", SLUG, "laptop")
    laptop("sync")
    work("reflect", SLUG, "work")
    folder = tmp_path / "ctrl-c-at-merge-tree"  # a `git` that, at merge-tree, makes git's driver copy and
    folder.mkdir()  # Ctrl-Cs readlog, its parent (as a terminal's Ctrl-C reaches readlog while git merges)
    script = folder / "git"
    script.write_text(
        '#!/bin/sh\nif [ "$3" = "merge-tree" ]; then echo base > "$2/.merge_file_Ab12Cd"; kill -INT $PPID; '
        f'exec sleep 30; fi\nexec {shutil.which("git")} "$@"\n'
    )
    script.chmod(0o755)
    process = sync_process(
        work, str(folder), stderr=subprocess.PIPE, text=True,
        preexec_fn=_dispositions,  # noqa: PLW1509 - POSIX only (Linux here), no threads
    )  # fmt: skip
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130, err
    assert err.splitlines()[-1].endswith(
        ": sync stopped: committed here; origin's changes not merged, nothing pushed; the next `readlog sync` "
        "does both"
    ), err
    assert list(work.home.glob(".merge_file_*")) == []
    assert work.git("status", "--porcelain") == "" and "reflect" in work.git("log", "-1", "--format=%s")
    (work.home / ".merge_file_Xy34Zw").write_text("base")  # (as a sync killed outright leaves one)
    again = work("sync")
    assert "removed 1 temp file left by an interrupted merge" in again.stderr, again.stderr
    assert "interrupted write" not in again.stderr
    laptop("sync")
    assert files(laptop) == files(work)
    assert sorted(r.text for r in work.book().reflections) == ["laptop", "work"]


def ctrl_c_at(tmp_path: Path, at: str, after: bool) -> Path:
    """A `git` ahead of the real one on PATH that Ctrl-Cs readlog (its parent) at one git subcommand, as it
    starts it or (`after`) once it has run, then keeps readlog waiting a moment, as a slow git would."""
    folder = tmp_path / f"ctrl-c-at-{at}{'-after' if after else ''}"
    folder.mkdir()
    real = shutil.which("git")
    run = (
        f'{real} "$@"; code=$?; kill -INT $PPID; sleep 1; exit $code' if after else "kill -INT $PPID; sleep 1"
    )
    script = folder / "git"
    script.write_text(f'#!/bin/sh\nif [ "$3" = "{at}" ]; then {run}; fi\nexec {real} "$@"\n')
    script.chmod(0o755)
    return folder


def stopped(device: Device, folder: Path, *args: str, lines: int = 1) -> str:
    """`readlog sync ARGS` with `folder`'s git first on PATH (SIGINT's default given back, as a terminal
    gives it): exit 130; its last line, less `readlog: ` (the last `lines`, each less it)."""
    from test_cold_build_signals import _dispositions

    process = sync_process(
        device, str(folder), *args, stderr=subprocess.PIPE, text=True,
        preexec_fn=_dispositions,  # noqa: PLW1509 - POSIX only (Linux here), no threads
    )  # fmt: skip
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130, err
    return "\n".join(line.split("readlog: ", 1)[-1] for line in err.splitlines()[-lines:])


MERGED = "sync stopped: committed and merged origin's changes here, not pushed to origin; the next "


@pytest.mark.parametrize(
    ("at", "after", "said"),
    [
        ("reset", False, MERGED + "`readlog sync` pushes it"),  # (the merged files were being written)
        ("reset", True, MERGED + "`readlog sync` pushes it"),
        ("push", True, "sync stopped: committed and merged origin's changes here, pushed to origin"),
        (
            "update-ref",
            True,
            "sync stopped: committed here; origin's changes not merged, nothing pushed; the next `readlog sync` "
            "does both",
        ),
    ],
)
def test_ctrl_c_in_a_sync_says_what_it_had_done_and_the_next_sync_credits_no_one_wrongly(
    devices, tmp_path, at, after, said
):
    """Ctrl-C while the merged files were written, before `git reset` moved HEAD, said "origin's changes not
    merged" and left the other device's changes in the folder, which the next sync committed as this
    device's own (in history twice, credited to this device); Ctrl-C once the push or the local commit
    was done said "not pushed" or "nothing more was done" (review 30e F1, F6 (c), (d))."""
    laptop, work = devices
    laptop("reflect", SLUG, "laptop")
    laptop("sync")
    work("reflect", SLUG, "work")
    assert stopped(work, ctrl_c_at(tmp_path, at, after)) == said
    again = work("sync")
    assert "Committed" not in again.stderr, again.stderr  # (nothing of its own to commit: all was)
    laptop("sync")
    assert files(laptop) == files(work)
    assert sorted(r.text for r in work.book().reflections) == ["laptop", "work"]


@pytest.mark.parametrize("at", ["reset", "diff", "fetch"])  # (fetch: before the journal's lock; t30l)
def test_ctrl_c_while_a_new_device_takes_the_journal_leaves_it_taken_whole_or_not_at_all(
    devices, tmp_path, remote, at
):
    """A new device's first sync (`sync init REMOTE`) stopped by Ctrl-C while the journal's files were
    written said "nothing more was done" and left them uncommitted: the next sync committed the other
    device's books as this device's, a second root's; stopped before, it said the same, and a plain sync
    would merge the journal as a second one (review 30e F1)."""
    laptop, _ = devices
    laptop("add", "Dune", "-a", "Frank Herbert")
    laptop("sync")
    phone = Device(laptop.run, tmp_path / "phone")
    said = stopped(phone, ctrl_c_at(tmp_path, at, False), "init", str(remote))
    if at == "reset":  # (the files were being written: taken whole)
        assert said == "sync stopped: took origin's journal here; the next `readlog sync` does the rest"
        again = phone("sync")
    else:
        assert said == (
            f"sync stopped: origin's journal not taken here yet; `readlog sync init {shlex.quote(str(remote))}` "
            "again takes it "
            "(a plain `readlog sync` would merge it as a second journal)"
        )
        again = phone("sync", "init", str(remote))
    assert "Committed" not in again.stderr, again.stderr
    assert phone.git("rev-list", "--max-parents=0", "HEAD") == laptop.git(
        "rev-list", "--max-parents=0", "HEAD"
    )
    assert files(phone) == files(laptop)


@pytest.mark.parametrize(
    ("answers", "said"),
    [
        (True, "sync stopped: committed here, pushed to origin"),
        (
            False,
            "sync stopped: committed here; whether origin took the push is not known (origin did not say): "
            "the next `readlog sync` pushes it if not",
        ),
    ],
)
def test_ctrl_c_once_the_remote_took_the_push_says_pushed(devices, tmp_path, remote, answers, said):
    """Ctrl-C while `git push` waited for the remote's own hook, after the remote had taken the commits
    (git had not yet noted so here: `refs/remotes/origin/main` unmoved), said "not pushed to origin; the
    next `readlog sync` pushes it", and the next sync found nothing to push (session 30, t30l). The remote
    is asked (`ls-remote`); a remote that does not answer: not known."""
    laptop, work = devices
    folder = tmp_path / "push-pid"  # a `git` that notes readlog's process id as the push starts
    folder.mkdir()
    script = folder / "git"
    silent = "" if answers else 'if [ "$3" = "ls-remote" ]; then exit 128; fi\n'
    script.write_text(
        f'#!/bin/sh\n{silent}if [ "$3" = "push" ]; then echo $PPID > {folder}/pid; fi\n'
        f'exec {shutil.which("git")} "$@"\n'
    )
    script.chmod(0o755)
    hook = remote / "hooks" / "post-receive"  # the remote's refs updated: Ctrl-C, then a slow hook
    hook.write_text(f"#!/bin/sh\nkill -INT $(cat {folder}/pid)\nsleep 5\n")
    hook.chmod(0o755)
    work("reflect", SLUG, "work")
    asking = "asking origin whether it took the push (Ctrl-C again: no longer)...\n"  # (the wait, said)
    assert stopped(work, folder, lines=2) == asking + said
    took = ["git", "-C", str(remote), "rev-parse", "main"]
    assert work.git("rev-parse", "HEAD") == subprocess.run(took, capture_output=True, text=True).stdout
    hook.unlink()
    again = work("sync")
    assert "Committed" not in again.stderr and "Pushed" not in again.stderr, again.stderr
    laptop("sync")
    assert files(laptop) == files(work)


def merged_with(device: Device, tmp_path: Path, at_reset: str, *args: str, code: int = 1) -> str:
    """`readlog sync ARGS` whose `git reset` (the merge's last step, its files written) runs the shell
    command `at_reset` first (`$2`: the data dir; `$GIT`: the real git): exit `code`; its last line, less
    `readlog: error: `."""
    folder = tmp_path / f"at-reset-{len(list(tmp_path.glob('at-reset-*')))}"
    folder.mkdir()
    real = shutil.which("git")
    (folder / "git").write_text(
        f'#!/bin/sh\nGIT={real}\nif [ "$3" = "reset" ]; then {at_reset}; fi\nexec {real} "$@"\n'
    )
    (folder / "git").chmod(0o755)
    process = sync_process(device, str(folder), *args, stderr=subprocess.PIPE, text=True)
    _, err = process.communicate(timeout=60)
    assert process.returncode == code, err
    return err.splitlines()[-1].removeprefix("readlog: error: ") if err else ""


def merged_with_a_busy_index(device: Device, tmp_path: Path, *args: str) -> str:
    """`readlog sync ARGS` whose `git reset` finds the index locked by another git (its `index.lock`,
    removed after): exit 1; its last line, less `readlog: error: `."""
    said = merged_with(device, tmp_path, 'touch "$2/.git/index.lock"', *args)
    (device.home / ".git" / "index.lock").unlink()  # (the other git ends)
    return said


def test_a_merge_whose_git_reset_fails_leaves_the_files_as_they_were(devices, tmp_path):
    """`git reset` failing once the merged files were written (another git holding the index: its
    `index.lock`) left them written, HEAD unmoved: the next sync committed the other device's changes as
    this device's own (session 30, t30l). Now they are put back as they were, one line says so (exit 1),
    and the next sync merges."""
    laptop, work = devices
    laptop("reflect", SLUG, "laptop")
    laptop("add", "Dune", "-a", "Frank Herbert")
    laptop("sync")
    work("reflect", SLUG, "work")
    said = merged_with_a_busy_index(work, tmp_path)
    assert said.startswith("cannot merge origin's changes here: git reset failed: Unable to create"), said
    assert said.endswith(
        "; none of them is written here (the files are as they were): the next `readlog sync` merges them"
    ), said
    assert work.git("status", "--porcelain") == ""
    assert not (work.home / "books" / "dune.toml").exists()
    again = work("sync")
    assert "Committed" not in again.stderr, again.stderr  # (nothing of this device's to commit)
    laptop("sync")
    assert files(laptop) == files(work)
    assert sorted(r.text for r in work.book().reflections) == ["laptop", "work"]


def test_a_new_devices_first_sync_whose_git_reset_fails_takes_nothing(devices, tmp_path, remote):
    """The same on a new device's first sync (`sync init REMOTE`): the journal's files were left there, not
    committed, for the next sync to commit as this device's own, a second root's. Now none is left."""
    laptop, _ = devices
    phone = Device(laptop.run, tmp_path / "phone")
    said = merged_with_a_busy_index(phone, tmp_path, "init", str(remote))
    assert said.endswith(
        f"; none of it is written here: `readlog sync init {shlex.quote(str(remote))}` again takes it"
    ), said
    assert list((phone.home / "books").glob("*")) == []
    phone("sync", "init", str(remote))
    assert phone.git("rev-list", "--max-parents=0", "HEAD") == laptop.git(
        "rev-list", "--max-parents=0", "HEAD"
    )
    assert files(phone) == files(laptop)


def test_a_merge_put_back_leaves_no_folder_it_made(devices, tmp_path):
    """The merge's files put back left the folders made for them: an empty `books/old/`, which `check` then
    refused as no book file, a folder the reader never made (review 31b F5)."""
    laptop, work = devices
    (laptop.home / "books" / "old").mkdir()
    (laptop.home / "books" / f"{SLUG}.toml").rename(laptop.home / "books" / "old" / f"{SLUG}.toml")
    laptop("sync")
    merged_with_a_busy_index(work, tmp_path)
    assert not (work.home / "books" / "old").exists()
    assert work.git("status", "--porcelain") == ""
    work("check")


KILLED_AFTER = '"$GIT" "$@"; echo "fatal: killed" >&2; exit 1'  # (git's reset done, then it dies)


def test_a_merge_whose_git_reset_fails_after_moving_head_took(devices, tmp_path):
    """A `git reset` that moved HEAD to the merge, then failed (killed, at its deadline): the merged files
    were put back under the new HEAD, so the next sync committed a revert of the other device's changes as
    this device's own, and pushed it: the laptop lost Dune and its reflection (review 31b F2). HEAD is
    asked: the merge took."""
    laptop, work = devices
    laptop("reflect", SLUG, "laptop")
    laptop("add", "Dune", "-a", "Frank Herbert")
    laptop("sync")
    work("reflect", SLUG, "work")
    merged_with(work, tmp_path, KILLED_AFTER, code=0)
    again = work("sync")
    assert "Committed" not in again.stderr, again.stderr
    laptop("sync")
    assert files(laptop) == files(work)
    assert laptop.book("dune").title == "Dune"
    assert sorted(r.text for r in laptop.book().reflections) == ["laptop", "work"]


def test_a_new_devices_first_sync_whose_git_reset_fails_after_moving_head_took(devices, tmp_path, remote):
    """The same on a new device's first sync: every book was removed under the remote's HEAD, and doing as
    told (`sync init URL` again) pushed the removal of every book (review 31b F2)."""
    laptop, _ = devices
    phone = Device(laptop.run, tmp_path / "phone")
    merged_with(phone, tmp_path, KILLED_AFTER, "init", str(remote), code=0)
    again = phone("sync")
    assert "Committed" not in again.stderr, again.stderr
    laptop("sync")
    assert files(phone) == files(laptop) and laptop.book().title == "Klara and the Sun"


def test_a_new_devices_first_sync_whose_reset_wrote_the_index_only_leaves_it_empty(devices, tmp_path, remote):
    """A reset that wrote the index, then could not move the ref (another git's lock on it): the files were
    put back, not the index, which held the remote's tree; `sync init URL` again, as told, committed that
    as a second root and merged it as a second journal (review 31b F3). The index is put back too."""
    laptop, _ = devices
    phone = Device(laptop.run, tmp_path / "phone")
    lock = '"$GIT" "$@"; code=$?; rm "$2/.git/refs/heads/main.lock"; exit $code'
    said = merged_with(phone, tmp_path, f'touch "$2/.git/refs/heads/main.lock"; {lock}', "init", str(remote))
    assert said.endswith("again takes it"), said
    assert phone.git("ls-files") == ""
    phone("sync", "init", str(remote))
    assert phone.git("rev-list", "--max-parents=0", "HEAD") == laptop.git(
        "rev-list", "--max-parents=0", "HEAD"
    )
    assert files(phone) == files(laptop)


def test_a_put_back_that_fails_for_one_file_puts_back_the_others_and_says_what_to_do(devices, tmp_path):
    """Putting back the merged files stopped at the first that could not be written: the rest stayed, for
    the next sync to commit as this device's changes, and the line said nothing to do (review 31b F4).
    Every file is tried; the line names the one left and how to put it back."""
    laptop, work = devices
    laptop("reflect", SLUG, "laptop")
    laptop("add", "Dune", "-a", "Frank Herbert")
    laptop("add", "Piranesi", "-a", "Susanna Clarke")
    laptop("sync")
    work("reflect", SLUG, "work")
    klara = f'"$2/books/{SLUG}.toml"'
    said = merged_with(work, tmp_path, f"rm {klara}; mkdir {klara}; exit 1")
    assert not (work.home / "books" / "dune.toml").exists()
    assert not (work.home / "books" / "piranesi.toml").exists()
    assert "and 1 of the files it wrote could not be put back (" in said, said
    assert f": books/{SLUG}.toml): the next `readlog sync` would commit them" in said, said
    assert "`git checkout HEAD -- FILE`; a new one: `rm FILE`)" in said, said


def test_ctrl_c_while_a_device_with_books_of_its_own_fetches_first_says_it_is_set_up(
    devices, tmp_path, remote
):
    """A first sync (`sync init REMOTE`) of a journal with books of its own stopped at the fetch said
    "nothing more was done", though the journal was set up to sync: a plain sync then does the rest."""
    laptop, _ = devices
    phone = Device(laptop.run, tmp_path / "phone")
    phone("add", "Dune", "-a", "Frank Herbert")
    said = stopped(phone, ctrl_c_at(tmp_path, "fetch", False), "init", str(remote))
    assert said == (
        "sync stopped: set up here to sync with origin, nothing committed or fetched yet; the next `readlog "
        "sync` does it"
    )
    phone("sync")
    laptop("sync")
    assert files(phone) == files(laptop)
    assert phone.book("dune").title == "Dune" and laptop.book("dune").title == "Dune"


def test_a_resolve_command_for_a_key_with_a_tab_is_one_a_shell_takes_back_exactly(devices):
    """A hand-written key holding a tab: the resolve command sync and check print said `'tab key'` (the tab
    shown as a space), which `resolve` refused: "has no conflict on 'tab key'" (review 30e F6 (b)). It is
    quoted as bash, zsh and POSIX sh take a control character: `$'tab\\tkey'`."""
    laptop, work = devices

    def hand_key(device: Device, value: int) -> None:
        path = device.home / "books" / f"{SLUG}.toml"
        text = path.read_text(encoding="utf-8")
        text = re.sub(r'^"tab\\tkey" = \d+\n', "", text, flags=re.M)
        path.write_text(f'"tab\\tkey" = {value}\n' + text, encoding="utf-8")

    hand_key(laptop, 1)
    laptop("sync")
    work("sync")
    hand_key(laptop, 2)
    hand_key(work, 3)
    laptop("sync")
    told = {"sync": work("sync", code=1).stderr, "check": work("check", code=1).stdout}
    command = f"readlog resolve {SLUG} $'tab\\tkey' --ours|--theirs"
    for where, said in told.items():
        assert command in said, (where, said)
    words = command.removeprefix("readlog ").removesuffix("|--theirs")
    argv = subprocess.run(["bash", "-c", f"printf '%s\\n' {words}"], capture_output=True, text=True).stdout
    refused = work("resolve", SLUG, "tab key", "--ours", code=1).stderr  # (as a space shows it)
    assert refused.endswith("has no conflict on 'tab key'; it has: $'tab\\tkey'\n"), refused
    assert argv.splitlines() == ["resolve", SLUG, "tab\tkey", "--ours"]
    work(*argv.splitlines())
    assert work("check").stdout == ""


@pytest.mark.parametrize(
    "key",
    ["rating", "reflections[1].text", "it's", "tab\tkey", "a\\t\tb", "new\nline", "esc\x1b[31m", "c1\x85"],
)
def test_a_key_as_sync_prints_it_is_what_a_shell_gives_back(key):
    from readlog.sync.conflicts import shell_word

    word = shell_word(key)
    assert word.isprintable(), word
    shell = ["bash", "-c", f"printf '%s' {word}"]  # (in any locale: bash reads `\u0085` in UTF-8 ones only)
    said = subprocess.run(shell, capture_output=True, env=dict(os.environ, LC_ALL="C")).stdout
    assert said.decode("utf-8") == key
