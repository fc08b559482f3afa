"""Sync and history as a reader meets them (try-out 20): a recorded conflict in a long text shows where the
two sides differ; a book removed here and kept by the other device's merge is named when it comes back; a
book's history follows its file through a rename; `log` piped is one change a line and keeps its --limit;
one word is "1 word"."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime

import pytest

from readlog import bookfile
from readlog.model import book_from_dict
from readlog.sync.conflicts import problems_in, record, show_sides
from readlog.sync.describe import changes
from readlog.sync.merge import merge_data
from test_sync_git import SLUG, Device, devices, git_env, remote  # noqa: F401 (fixtures)

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

WHEN = datetime(2026, 11, 27, 20, 30, tzinfo=UTC)
OPENING = (
    "## The setup\n\nA man (he is called Piranesi) lives alone in a house of endless halls, tides and "
    "statues, and writes it all down.\n\n"
)
LAPTOP = OPENING + "LAPTOP: What do we lose when we forget who we were?\n\n## The end\n\nQuiet.\n"
DESK = OPENING + "DESK: What is lost when memory goes?\n\n## The end\n\nQuiet.\n"


def piranesi(**fields):
    return {"schema": 1, "title": "Piranesi", "authors": ["Susanna Clarke"], "status": "read", **fields}


def conflicted_review() -> str:
    """Piranesi's book file with the review both devices edited in the same paragraph, as recorded."""
    base = piranesi(review={"body": OPENING + "What is memory?\n\n## The end\n\nQuiet.\n"})
    merged = merge_data(base, piranesi(review={"body": LAPTOP}), piranesi(review={"body": DESK}))
    assert [c.field for c in merged.conflicts] == ["review.body"]
    data = record(merged.data, merged.conflicts, WHEN, ("laptop", "desk"))
    return bookfile.dumps(book_from_dict(data))


# --- 1. a conflict in a review shows the lines that differ ------------------------------------------------
def test_a_review_conflict_shows_the_line_that_differs_on_each_side(run, books):
    books.mkdir(parents=True)
    (books / "piranesi.toml").write_text(conflicted_review(), encoding="utf-8")
    shown = " ".join(run("show", "piranesi").stdout.replace("│", "").split())
    assert "review.body (line 5): here 'LAPTOP: What do we lose" in shown
    assert "other device (desk) 'DESK: What is lost when memory goes?'" in shown
    checked = " ".join(run("check", code=1).stdout.split())
    assert "both devices changed review.body line 5 (here 'LAPTOP: What do we lose" in checked
    assert "'DESK: What is lost when" in checked


def test_where_two_texts_differ():
    text = conflicted_review()
    found = problems_in(bookfile.parse(text, "x"), "piranesi", text)
    assert "line 5" in found[0][0] and "The setup" not in found[0][0]
    assert show_sides(LAPTOP, LAPTOP + "\nA line more.\n") == ("lines 10-11", "(nothing)", "'A line more.'")
    assert show_sides("a\n\nb", "a\n\n\nb")[0] == "spacing only"
    # one long line: an excerpt around the first difference, on both sides
    where, here, other = show_sides("x" * 100 + " here " + "y" * 50, "x" * 100 + " there " + "y" * 50, 40)
    assert where == "" and "here" in here and "there" in other and len(here) <= 42 and here.startswith("'...")
    assert show_sides(4, 3.5) == ("", "4", "3.5")
    assert show_sides("short", "other") == ("", "'short'", "'other'")


# --- 5. one word --------------------------------------------------------------------------------------------
def test_one_word_is_singular():
    def book(body: str):
        return book_from_dict(piranesi(review={"body": body}))

    assert [c.past for c in changes(None, book("Fine."))][-1] == "reviewed, 1 word"
    assert [c.past for c in changes(book("Fine."), book("Fine, fine."))] == ["review edited, +1 word"]
    assert [c.past for c in changes(book("Fine, fine."), book("Fine."))] == ["review edited, -1 word"]
    assert [c.line("Piranesi") for c in changes(book("a b"), book("a b c d"))] == [
        'edit the review of "Piranesi", +2 words'
    ]


# --- 2. a book removed here, kept by the other device's merge ---------------------------------------------
def test_a_book_removed_here_and_kept_by_the_other_devices_merge_is_named_when_it_comes_back(devices):
    laptop, work = devices
    laptop("rm", SLUG, "--yes")
    laptop("sync")
    work("reflect", SLUG, "still thinking about it")
    assert "changed here, removed on the other device: kept" in work("sync", code=1).stderr
    laptop("add", "Dune", "-a", "Frank Herbert")  # a change here too: this side merges (no fast-forward)
    back = laptop("sync", code=1).stderr.splitlines()
    assert back[-2:] == [
        f"books/{SLUG}.toml: removed here, changed on the other device, which kept it: back, with that "
        f"change (`readlog rm {SLUG}` removes it again)",
        "1 thing needs you",
    ]
    assert (laptop.home / "books" / f"{SLUG}.toml").exists()
    told = [line[11:] for line in laptop("log", SLUG).stdout.splitlines()]
    assert told[0].startswith("in the journal when syncing began (")  # (sync init's first commit)
    assert sorted(told[1:3]) == ["reflection added", "removed"]
    assert told[3:] == ["back: removed on one device, changed on the other, kept by the merge"]
    work("sync")
    assert [line[11:] for line in work("log", SLUG).stdout.splitlines()] == told
    # a book added on one device and merged on the other was never removed: it is not "back"
    for device in (laptop, work):
        dune = [line[11:] for line in device("log", "dune").stdout.splitlines()]
        assert len(dune) == 1 and dune[0].startswith("added")


# --- 3. a rename ---------------------------------------------------------------------------------------------
def test_a_books_history_follows_its_file_through_a_rename(devices, monkeypatch):
    laptop, work = devices
    days = iter(range(10, 20))

    def sync(device: Device, code: int = 0) -> None:
        stamp = f"2026-11-{next(days)}T12:00:00"
        monkeypatch.setenv("GIT_AUTHOR_DATE", stamp)
        monkeypatch.setenv("GIT_COMMITTER_DATE", stamp)
        device("sync", code=code)

    first = laptop.git("rev-list", "--max-parents=0", "HEAD").strip()
    (laptop.home / "books" / f"{SLUG}.toml").rename(laptop.home / "books" / "klara.toml")  # a `mv`
    sync(laptop)
    assert laptop.git("log", "-1", "--format=%s").strip() == f'rename "Klara and the Sun" ({SLUG} → klara)'
    work("reflect", SLUG, "Desk: the Sun as a god")
    sync(work)
    sync(laptop)
    for device in (laptop, work):
        assert sorted(p.name for p in (device.home / "books").glob("*.toml")) == ["klara.toml"]
        assert [r.text for r in device.book("klara").reflections] == ["Desk: the Sun as a god"]
        assert device("log", "klara").stdout.splitlines() == [
            f"{laptop.git('log', '-1', '--format=%as', first).strip()} in the journal when syncing began "
            "(read, rated 4, a review of 6 words)",
            f"2026-11-10 renamed: {SLUG} → klara",
            "2026-11-11 reflection added",
        ]
        shown = device("show", "klara", "--at", first).stdout  # before the rename: the old file
        assert "Klara and the Sun" in shown and "Desk: the Sun" not in shown
    assert "rename" in work.git("log", "-1", "--format=%s")  # the merge that renamed it there says so


# --- 4. log's output --------------------------------------------------------------------------------------
def test_log_piped_is_one_change_a_line_keeps_its_limit_and_says_what_is_true(run, tmp_path):
    device = Device(run, tmp_path / "solo")
    long_title = "The " + " ".join(["Very Long"] * 20) + " Title"
    device("add", long_title, "-a", "Someone")
    device("add", "Piranesi", "-a", "Susanna Clarke")
    device("sync", "init")
    for thought in ("one", "two", "three"):
        device("reflect", "piranesi", f"thought {thought}")
        device("sync")
    device("reflect", long_title, "a thought with a long title")
    device("sync")
    journal = device("log").stdout.splitlines()
    assert len(journal) == 5 and all(line[:4] == "2026" for line in journal)  # never wrapped when piped
    assert journal[0].endswith(f'reflect on "{long_title}"') and len(journal[0]) > 100
    assert len(device("log", "--limit", "2").stdout.splitlines()) == 2
    book = device("log", "piranesi").stdout.splitlines()
    assert [line[11:] for line in book][1:] == ["reflection added"] * 3
    assert device("log", "piranesi", "--limit", "1").stdout.splitlines() == book[-1:]
    assert len(json.loads(device("log", "piranesi", "--limit", "2", "--json").stdout)) == 2
    assert device("log", "piranesi", "--limit", "0").stdout.splitlines() == book
    # a book added and removed between syncs: no sync ever records it, and the error says that instead
    device("add", "Test Book B", "-a", "Someone")
    assert "has no history yet: `readlog sync` records it" in device("log", "test-book-b", code=1).stderr
    device("rm", "test-book-b", "--yes")
    gone = device("log", "test-book-b", code=1).stderr
    assert "was removed before any sync recorded it" in gone and "readlog restore test-book-b" in gone
    assert (
        "no book 'nothing-here' in the journal or in its history"
        in device("log", "nothing-here", code=1).stderr
    )


def test_a_removal_this_device_merges_itself_is_named_once(devices):
    laptop, work = devices
    work("reflect", SLUG, "still here")
    work("sync")
    laptop("rm", SLUG, "--yes")
    told = [line for line in laptop("sync", code=1).stderr.splitlines() if f"{SLUG}.toml" in line]
    assert told == [f"books/{SLUG}.toml: removed here, changed on the other device: kept, with that change"]


def test_a_merge_that_adds_a_book_never_removed_here_asks_git_nothing_more(devices, tmp_path):
    from test_sync_processes import NOTHING_TO_DO, git_commands

    laptop, work = devices
    laptop("rm", SLUG, "--yes")  # something in trash/, but not the book that arrives
    laptop("sync")
    work("sync")
    work("add", "Dune", "-a", "Frank Herbert")
    work("sync")
    result, commands = git_commands(laptop, tmp_path, "sync")
    assert "Merged 1 book from" in result.stderr and "back" not in result.stderr
    assert commands == [*NOTHING_TO_DO, "merge-base", "diff", "cat-file", "reset"]  # no `git log`


def test_a_book_logged_on_both_devices_is_one_reading_and_its_dates_a_conflict(devices):
    """Try-out 20 (#11): each device ran `add "Lanny" --finished ...` a day apart before a sync; the merge took
    the union, and `show`, `stats` and the goal counted two readings. Both added the file: its readings are
    one for one, and the dates that differ are the reader's to settle."""
    laptop, work = devices
    laptop("add", "Lanny", "-a", "Max Porter", "--finished", "2026-12-04", "-r", "4")
    work("add", "Lanny", "-a", "Max Porter", "--finished", "2026-12-05")
    laptop("sync")
    result = work("sync", code=1)
    assert "both devices changed reads[1].finished" in result.stderr
    lanny = bookfile.parse((work.home / "books" / "lanny.toml").read_text(encoding="utf-8"), "lanny")
    assert len(lanny.reads) == 1 and lanny.rating == 4  # (the laptop's rating: the other had none)
    assert json.loads(work("stats", "--json").stdout)["finished"] == 1  # (Klara's reading has no date)
    work("resolve", "lanny", "reads[1].finished", "--theirs")
    assert str(work.book("lanny").reads[0].finished) == "2026-12-04"
    # near misses: the same day on both is one reading, with no conflict (as before); a file both sides had
    # (a common version) with a reading added on each is two readings, as before
    one = piranesi(reads=[{"finished": "2026-12-01"}])
    same = merge_data(None, one, piranesi(reads=[{"finished": "2026-12-01", "rating": 3}]))
    assert same.data["reads"] == [{"finished": "2026-12-01", "rating": 3}] and not same.conflicts
    base = piranesi(reads=[{"finished": "2020-01-01"}])
    ours = piranesi(reads=[{"finished": "2020-01-01"}, {"finished": "2026-12-04"}])
    theirs = piranesi(reads=[{"finished": "2020-01-01"}, {"finished": "2026-12-05"}])
    both = merge_data(base, ours, theirs)
    assert len(both.data["reads"]) == 3 and not both.conflicts
