"""Try-out 25b (#3): two devices added different books under one slug (*Dune Messiah* by Frank Herbert, rated,
on the laptop; by Kevin J. Anderson, wanted, at work), and the sync merged them field by field into one book
with both authors, status `want`, Herbert's rating and an undated reading, saying only that `status`
conflicted. A book file added on both devices (no common version) is merged only when identity says it is
surely one book (identity.added_apart); else both are kept: the other device's under the name, this
device's under the name `add --new` gives it, said in the sync's output and `--json`."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from readlog.identity import Work
from test_sync_git import Device, assert_clean, devices, files, git_env, remote  # noqa: F401 (fixtures)

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

TITLE = "Dune Messiah"
REVIEW = "Paul's fall, told as a plot."


def add(device: Device, *authors: str, extra: tuple[str, ...] = ()) -> None:
    device("add", TITLE, *(arg for author in authors for arg in ("-a", author)), *extra)


def book_files(device: Device) -> list[str]:
    return sorted(path.stem for path in (device.home / "books").glob("dune-messiah*.toml"))


def sync_both(laptop: Device, work: Device) -> dict:
    """The laptop syncs first, work merges (and says what it did, as JSON), the laptop takes that."""
    laptop("sync")
    said = work("sync", "--json")
    laptop("sync")
    assert files(laptop) == files(work)
    return json.loads(said.stdout)


def test_books_by_different_people_added_on_two_devices_stay_two(devices):
    laptop, work = devices
    add(laptop, "Frank Herbert", extra=("--rating", "4"))
    add(work, "Kevin J. Anderson", extra=("--status", "want"))
    report = sync_both(laptop, work)
    assert book_files(laptop) == ["dune-messiah", "dune-messiah-anderson"]
    herbert, anderson = laptop.book("dune-messiah"), laptop.book("dune-messiah-anderson")
    assert (herbert.authors, herbert.status, herbert.rating) == (["Frank Herbert"], "read", 4)
    assert len(herbert.reads) == 1
    assert (anderson.authors, anderson.status, anderson.rating) == (["Kevin J. Anderson"], "want", None)
    assert anderson.reads == []
    assert "[[conflicts]]" not in laptop.text("dune-messiah") + laptop.text("dune-messiah-anderson")
    assert report["attention"] == []
    (note,) = report["notes"]
    assert "books/dune-messiah.toml: added on both devices, two books: different authors" in note
    assert "this device's “Dune Messiah” is now books/dune-messiah-anderson.toml" in note
    assert "dune-messiah-anderson" in work("list").stdout  # the index saw the new name
    assert work("sync").stderr.endswith("all in sync with " + str(work.home.parent / "remote.git") + "\n")
    assert_clean(laptop, work)


def test_the_note_is_on_stderr_and_in_the_merge_commit(devices):
    laptop, work = devices
    add(laptop, "Frank Herbert")
    add(work, "Brian Herbert")
    laptop("sync")
    said = work("sync")
    assert "readlog: note: books/dune-messiah.toml: added on both devices, two books" in said.stderr
    assert "this device's “Dune Messiah” is now books/dune-messiah-herbert.toml" in said.stderr  # as `--new`
    subject = work.git("log", "-1", "--format=%s")
    assert 'two books named "Dune Messiah": this device\'s is now dune-messiah-herbert' in subject


@pytest.mark.parametrize(
    "here, there",
    [
        (("Frank Herbert",), ("Frank Herbert",)),  # the same reader added it on both devices
        (("Frank Herbert", "Kevin J. Anderson"), ("Frank Herbert",)),  # one person in common: one book
        (("F. Herbert",), ("Frank Herbert",)),  # one person written two ways
    ],
)
def test_one_book_added_on_two_devices_is_still_merged_field_by_field(devices, here, there):
    laptop, work = devices
    add(laptop, *there, extra=("--rating", "4"))
    add(work, *here, extra=("--review", REVIEW))
    report = sync_both(laptop, work)
    assert book_files(laptop) == ["dune-messiah"]
    merged = laptop.book("dune-messiah")
    assert merged.rating == 4 and merged.review is not None and merged.review.body == REVIEW
    assert report["notes"] == []
    assert_clean(laptop, work)


def test_an_authorless_book_and_an_authored_one_are_kept_two_and_check_lists_them(devices):
    laptop, work = devices
    add(laptop, "Frank Herbert", extra=("--rating", "4"))
    (work.home / "books" / "dune-messiah.toml").write_text(book_text("", "want"))  # as an import makes it
    report = sync_both(laptop, work)
    assert book_files(laptop) == ["dune-messiah", "dune-messiah-2"]
    assert laptop.book("dune-messiah").authors == ["Frank Herbert"]
    assert laptop.book("dune-messiah-2").authors == []
    (note,) = report["notes"]
    assert "two books: maybe one book, which `readlog check` lists" in note
    listed = laptop("check").stdout
    assert "dune-messiah.toml: maybe the same book" in listed and "dune-messiah-2" in listed


def test_nothing_either_device_wrote_is_dropped(devices):
    laptop, work = devices
    add(laptop, "Frank Herbert", extra=("--rating", "4", "--review", "Herbert's own."))
    add(work, "Kevin J. Anderson", extra=("--review", REVIEW, "--finished", "2026-11-02"))
    sync_both(laptop, work)
    herbert, anderson = work.book("dune-messiah"), work.book("dune-messiah-anderson")
    assert herbert.review is not None and herbert.review.body == "Herbert's own."
    assert anderson.review is not None and anderson.review.body == REVIEW
    assert [str(read.finished) for read in anderson.reads] == ["2026-11-02"]
    assert herbert.rating == 4 and anderson.rating is None


def book_text(authors: str, status: str) -> str:
    return f'schema = 2\ntitle = "{TITLE}"\nauthors = [{authors}]\nstatus = "{status}"\nadded = 2026-12-06\n'


def test_the_driver_leaves_two_books_unmerged_and_says_why(tmp_path: Path):
    from readlog.sync.driver import TwoBooks, merge_texts, run_driver

    ours, theirs = book_text('"Kevin J. Anderson"', "want"), book_text('"Frank Herbert"', "read")
    with pytest.raises(TwoBooks, match="different authors"):
        merge_texts("", ours, theirs, "books/dune-messiah.toml")
    given_up = book_text('"Kevin J. Anderson"', "abandoned")
    merged, conflicts = merge_texts("", given_up, book_text('"Kevin J. Anderson"', "read"), "books/x.toml")
    assert conflicts == ["status"]  # the same book: merged as before (`want` against `read` would be read)
    sides = [tmp_path / name for name in ("base", "ours", "theirs")]
    for path, text in zip(sides, ("", ours, theirs), strict=True):
        path.write_text(text, encoding="utf-8")
    result = run_driver(*sides, "books/dune-messiah.toml")
    assert result.code == 1 and result.apart is not None and "by Frank Herbert" in result.apart
    assert sides[1].read_text(encoding="utf-8") == ours  # OURS as it was, for git (and sync) to see


def test_two_journals_started_apart_keep_both_books_too(run, tmp_path, remote):
    laptop, work = Device(run, tmp_path / "laptop"), Device(run, tmp_path / "work")
    add(laptop, "Frank Herbert", extra=("--rating", "4"))
    add(work, "Kevin J. Anderson", extra=("--status", "want"))
    laptop("sync", "init", str(remote))
    said = work("sync", "init", str(remote))
    assert "this device's “Dune Messiah” is now books/dune-messiah-anderson.toml" in said.stderr
    laptop("sync")
    assert book_files(laptop) == book_files(work) == ["dune-messiah", "dune-messiah-anderson"]
    assert files(laptop) == files(work)


def pull_by_hand(laptop: Device, work: Device) -> None:
    """Herbert's *Dune Messiah* on the laptop, synced; Anderson's at work, committed and `git pull`ed by
    hand: the pull stops on books/dune-messiah.toml (the driver keeps the two books apart, exit 1)."""
    add(laptop, "Frank Herbert")
    add(work, "Kevin J. Anderson")
    laptop("sync")
    work.git("add", "-A")
    work.git("commit", "-qm", "by hand")
    pull = subprocess.run(
        ["git", "-C", str(work.home), "pull", "--no-rebase", "--no-edit", "origin", "main"],
        capture_output=True,
        text=True,
    )
    assert pull.returncode == 1 and "added on both sides as two books: different authors" in pull.stderr


def test_a_git_pull_by_hand_stops_on_two_books_and_sync_then_keeps_both(devices):
    laptop, work = devices
    pull_by_hand(laptop, work)
    assert "Kevin J. Anderson" in work.text("dune-messiah")  # this device's, as it was: no mix of the two
    work.git("merge", "--abort")
    work("sync")
    assert book_files(work) == ["dune-messiah", "dune-messiah-anderson"]


@pytest.mark.parametrize(
    "a, b, kept_two",
    [
        (Work.named(TITLE, ["Frank Herbert"]), Work.named(TITLE, ["Brian Herbert"]), True),  # two people
        (Work.named(TITLE, ["Frank Herbert"]), Work.named(TITLE), True),  # a maybe: never guessed
        (Work.named(TITLE, ["Frank Herbert"]), Work.named(TITLE.lower(), ["Frank Herbert"]), True),  # (maybe)
        (Work.named(TITLE), Work.named(TITLE), False),  # both authorless: one book
        (Work.named(TITLE, ["Herbert, Frank"]), Work.named(TITLE, ["Frank Herbert"]), False),
        (Work(TITLE, ("Frank Herbert",), frozenset({"isbn:9780441172696"})),
         Work(TITLE, ("F. Herbert", "Anon"), frozenset({"isbn:9780441172696"})), False),  # one edition
    ],
)  # fmt: skip
def test_which_two_versions_added_on_their_own_are_two_books(a, b, kept_two):
    from readlog.identity import added_apart

    assert (added_apart(a, b) is not None) is kept_two
    assert (added_apart(b, a) is not None) is kept_two  # either device may be the one that merges
