"""Session 26 (t26e): what sessions 24-25 saw the sync do and left. Two books added under one slug on two
devices, each with a cover, keep their own covers; one book added on both devices with its author spelled two
ways keeps one author."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from readlog.sync import repo
from readlog.sync.git import Git
from test_sync_git import SLUG, Device, assert_clean, devices, files, git_env, remote  # noqa: F401 (fixtures)
from test_t25h_sync_two_books import add, book_files, sync_both

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

JPEG = b"\xff\xd8\xff\xe0"


def give_cover(device: Device, slug: str, data: bytes) -> None:
    """A cover as `enrich` saves one: `covers/<slug>.jpg`, named by the book file's `cover`."""
    (device.home / "covers").mkdir(exist_ok=True)
    (device.home / "covers" / f"{slug}.jpg").write_bytes(data)
    device.change(lambda b: b.extra.__setitem__("cover", f"covers/{slug}.jpg"), slug)


def cover_of(device: Device, slug: str) -> bytes:
    return (device.home / device.book(slug).extra["cover"]).read_bytes()


def test_two_books_added_under_one_slug_each_keep_their_own_cover(devices):
    laptop, work = devices
    add(laptop, "Frank Herbert")
    give_cover(laptop, "dune-messiah", JPEG + b"herbert")
    add(work, "Kevin J. Anderson")
    give_cover(work, "dune-messiah", JPEG + b"anderson")
    report = sync_both(laptop, work)
    assert book_files(laptop) == ["dune-messiah", "dune-messiah-anderson"]
    for device in (laptop, work):
        assert cover_of(device, "dune-messiah") == JPEG + b"herbert"
        assert cover_of(device, "dune-messiah-anderson") == JPEG + b"anderson"
    assert report["attention"] == []  # nothing for the reader to sort out: each cover is its book's
    assert_clean(laptop, work)


@pytest.mark.parametrize("laptop_cover", [True, False])
def test_a_cover_added_with_one_of_two_books_goes_with_its_book(devices, laptop_cover):
    laptop, work = devices
    add(laptop, "Frank Herbert")
    if laptop_cover:
        give_cover(laptop, "dune-messiah", JPEG + b"herbert")
    add(work, "Kevin J. Anderson")
    give_cover(work, "dune-messiah", JPEG + b"anderson")
    sync_both(laptop, work)
    assert cover_of(work, "dune-messiah-anderson") == JPEG + b"anderson"
    assert ("cover" in work.book("dune-messiah").extra) is laptop_cover
    covers = sorted(path.name for path in (work.home / "covers").iterdir())
    assert covers == ["dune-messiah-anderson.jpg", "dune-messiah.jpg"][: 1 + laptop_cover]
    assert_clean(laptop, work)


def test_a_cover_already_under_the_new_name_is_kept_and_the_moved_book_takes_a_free_one(devices):
    """Review 26c #5: `rm` keeps a removed book's cover (for `restore`); the book this device added that
    moves to the name it had takes a free cover name beside it, and the old file is left as it is."""
    laptop, work = devices
    (laptop.home / "covers").mkdir()
    (laptop.home / "covers" / "dune-messiah-anderson.jpg").write_bytes(JPEG + b"removed book's")
    add(laptop, "Frank Herbert")
    give_cover(laptop, "dune-messiah", JPEG + b"herbert")
    add(work, "Kevin J. Anderson")
    give_cover(work, "dune-messiah", JPEG + b"anderson")
    sync_both(laptop, work)
    for device in (laptop, work):
        assert cover_of(device, "dune-messiah") == JPEG + b"herbert"
        assert device.book("dune-messiah-anderson").extra["cover"] == "covers/dune-messiah-anderson-2.jpg"
        assert cover_of(device, "dune-messiah-anderson") == JPEG + b"anderson"
        assert (device.home / "covers" / "dune-messiah-anderson.jpg").read_bytes() == JPEG + b"removed book's"
    assert_clean(laptop, work)


def test_one_book_added_on_two_devices_with_its_author_spelled_two_ways_keeps_one_author(devices):
    laptop, work = devices
    laptop("add", "The Left Hand of Darkness", "-a", "Ursula K. Le Guin", "-r", "5")
    work("add", "The Left Hand of Darkness", "-a", "Ursula K Le Guin", "--review", "Winter, and trust.")
    report = sync_both(laptop, work)
    assert report["notes"] == [] and report["attention"] == []
    book = work.book("the-left-hand-of-darkness")
    assert book.authors == ["Ursula K. Le Guin"]  # the remote's spelling, already on the other device


def test_a_name_the_other_device_gave_that_fits_two_authors_drops_neither(devices):
    """Review 26c #2: `King` there, Stephen and Owen King here: all three kept (as before t26e), none lost."""
    laptop, work = devices
    laptop("add", "Sleeping Beauties", "-a", "King")
    work("add", "Sleeping Beauties", "-a", "Stephen King", "-a", "Owen King", "-r", "4")
    sync_both(laptop, work)
    for device in (laptop, work):
        assert sorted(device.book("sleeping-beauties").authors) == ["King", "Owen King", "Stephen King"]
    assert_clean(laptop, work)


@pytest.mark.parametrize(
    "base, ours, theirs, merged",
    [
        (None, ["Ursula K Le Guin"], ["Ursula K. Le Guin"], ["Ursula K. Le Guin"]),
        (None, ["Ursula Le Guin", "Neil Gaiman"], ["Neil Gaiman", "Ursula K. Le Guin"], ["Ursula K. Le Guin", "Neil Gaiman"]),
        # review 26c #2: never on initials or a surname alone, never a name that fits two, never both edits
        (None, ["Terry Pratchett", "Neil Gaiman"], ["Neil Gaiman", "T. Pratchett"], ["Terry Pratchett", "Neil Gaiman", "T. Pratchett"]),
        (None, ["Stephen King", "Owen King"], ["King"], ["Stephen King", "Owen King", "King"]),
        (None, ["King"], ["Stephen King", "Owen King"], ["King", "Stephen King", "Owen King"]),
        (None, ["Stephen King"], ["King"], ["Stephen King", "King"]),
        (None, ["John Smith", "Jane Smith"], ["J. Smith"], ["John Smith", "Jane Smith", "J. Smith"]),
        (None, ["Arkady Strugatsky", "Boris Strugatsky"], ["Strugatsky"], ["Arkady Strugatsky", "Boris Strugatsky", "Strugatsky"]),
        (None, ["Ursula K Le Guin"], ["Ursula K. Le Guin", "Ursula Le Guin"], ["Ursula K Le Guin", "Ursula K. Le Guin", "Ursula Le Guin"]),
        (["Le Guin"], ["Ursula K Le Guin"], ["Ursula K. Le Guin"], ["Ursula K Le Guin", "Ursula K. Le Guin"]),  # respelled on both
        (["Ursula Le Guin"], ["Ursula K Le Guin"], ["Ursula K. Le Guin"], ["Ursula K Le Guin", "Ursula K. Le Guin"]),
        (None, ["Frank Herbert"], ["Brian Herbert"], ["Frank Herbert", "Brian Herbert"]),  # two people
        (["Frank Herbert"], ["Frank Herbert", "Brian Herbert"], ["Frank Herbert"], ["Frank Herbert", "Brian Herbert"]),
    ],
)  # fmt: skip
def test_authors_merge_by_person_tags_by_value(base, ours, theirs, merged):
    from readlog.sync.merge import merge_data

    def data(authors):
        return None if authors is None else {"title": "T", "authors": authors, "tags": authors}

    result = merge_data(data(base), data(ours), data(theirs)).data
    assert result["authors"] == merged
    assert result["tags"] == [*ours, *(t for t in theirs if t not in ours and t not in (base or []))]


# --- review 26c #1: only a git that can hold a lock file keeps a sync from clearing it --------------------
def git_waiting(device: Device, *args: str) -> subprocess.Popen[bytes]:
    """A git working in the journal that waits on its input (an editor's long-lived `git cat-file --batch`)."""
    waiting = subprocess.Popen(["git", "-C", str(device.home), *args], stdin=subprocess.PIPE)
    deadline = time.monotonic() + 10
    while (started := repo.git_running_in(str(device.home), str(device.home / ".git"))) is not None:
        if started or time.monotonic() > deadline:
            break
        time.sleep(0.02)
    return waiting


def left_lock(device: Device, ago: float = 0) -> Path:
    """.git/index.lock as a git killed `ago` seconds back left it, and a change for the sync to commit."""
    lock = device.home / ".git" / "index.lock"
    lock.touch()
    os.utime(lock, (time.time() - ago, time.time() - ago))
    device("reflect", SLUG, "beside a git")
    return lock


def ended(process: subprocess.Popen[bytes]) -> None:
    if process.stdin:
        process.stdin.close()
    process.wait(timeout=30)


@pytest.mark.parametrize("reader", [["cat-file", "--batch"], ["log", "--stdin"]])
def test_a_git_that_only_reads_never_keeps_a_sync_from_clearing_a_lock_left_behind(
    devices, monkeypatch, reader
):
    laptop, _ = devices
    monkeypatch.setattr(repo, "LOCK_WAIT", 0.5)
    reading = git_waiting(laptop, *reader)  # started before the lock was left
    try:
        lock = left_lock(laptop)
        assert "removed .git/index.lock, left by a git" in laptop("sync").stderr
        assert not lock.exists()
    finally:
        ended(reading)


def test_a_git_started_after_a_lock_was_left_never_keeps_a_sync_from_clearing_it(devices, monkeypatch):
    laptop, _ = devices
    monkeypatch.setattr(repo, "LOCK_WAIT", 0.5)
    lock = left_lock(laptop, ago=30)
    hashing = git_waiting(laptop, "hash-object", "-w", "--stdin")  # writes, but came after the lock
    try:
        assert "removed .git/index.lock" in laptop("sync").stderr
        assert not lock.exists()
    finally:
        ended(hashing)


def test_a_writing_git_that_may_have_made_a_lock_is_named_as_running_not_as_holding_it(devices, monkeypatch):
    """A git that started before the lock and writes (as a `git commit` keeps index.lock, closed, while
    its editor is open) keeps the lock; but it does not have it open, so it is not said to hold it."""
    laptop, _ = devices
    monkeypatch.setattr(repo, "LOCK_WAIT", 0.5)
    hashing = git_waiting(laptop, "hash-object", "-w", "--stdin")
    try:
        time.sleep(1.2)  # past the second's slack (boot time is in whole seconds)
        lock = left_lock(laptop)
        error = laptop("sync", code=1).stderr
        assert f"a git runs in {laptop.home} (`git hash-object`, process {hashing.pid})" in error, error
        assert ".git/index.lock may be its" in error and "holding" not in error
        assert lock.exists()
    finally:
        ended(hashing)


def test_a_lock_made_after_the_last_look_at_the_running_gits_is_left_alone(devices, monkeypatch):
    """A git that starts between the last look at /proc and the removal makes a new lock: only a lock seen
    before that look (the same file, unchanged) is removed."""
    laptop, _ = devices
    lock = left_lock(laptop, ago=30)
    looked = repo.git_running_in

    def a_git_starts_meanwhile(root: str, git_dir: str):
        found = looked(root, git_dir)
        lock.unlink()  # the old git's lock is gone, a new git's is there
        lock.write_text("new")
        return found

    monkeypatch.setattr(repo, "git_running_in", a_git_starts_meanwhile)
    assert repo._recover(Git(laptop.home)) == []
    assert lock.read_text() == "new"
