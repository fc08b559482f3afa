"""Sync keeps every device's edit and makes no book twice (try-out 22a): a review both devices changed on
one line keeps both devices' other edits, and `resolve` picks a side for that line only; an open reading
finished on both devices is one reading; a file renamed on both devices is one book. Real git and a bare
remote in a temp dir."""

from __future__ import annotations

import shutil

import pytest

from readlog.model import Review
from test_import_empty_journal import _export
from test_sync_git import SLUG, Device, devices, git_env, remote  # noqa: F401 - fixtures

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

LINES = [f"Paragraph {n} of the review, as it was written at first." for n in range(1, 9)]
BODY = "\n\n".join(LINES) + "\n"


def set_review(device: Device, body: str) -> None:
    def change(book):
        book.review = Review(body=body)

    device.change(change)


def edited(body: str, **lines: str) -> str:
    for old, new in lines.items():
        body = body.replace(f"Paragraph {old[1:]} of", new)
    return body


def both_edit_one_line(laptop: Device, work: Device) -> tuple[str, str]:
    """Both change paragraph 3; the laptop adds a paragraph at the end, work changes paragraph 6."""
    set_review(laptop, BODY)
    laptop("sync")
    work("sync")
    mine = edited(BODY, p3="LAPTOP: paragraph 3 of") + "\nLAPTOP: a new last paragraph.\n"
    theirs = edited(BODY, p3="WORK: paragraph 3 of", p6="WORK: paragraph 6 of")
    set_review(laptop, mine)
    set_review(work, theirs)
    work("sync")
    laptop("sync", code=1)
    return mine, theirs


def test_a_review_changed_on_one_line_by_both_keeps_both_devices_other_edits(devices):
    laptop, work = devices
    both_edit_one_line(laptop, work)
    body = laptop.book().review.body
    assert "LAPTOP: paragraph 3" in body and "WORK: paragraph 3" not in body  # this device's, in place
    assert "WORK: paragraph 6" in body and "LAPTOP: a new last paragraph." in body  # both clean edits
    checked = " ".join(laptop("check", code=1).stdout.split())
    assert "review.body line 5 " in checked  # the one line both changed, not the whole review


def test_resolve_theirs_takes_the_other_line_only(devices):
    laptop, work = devices
    both_edit_one_line(laptop, work)
    laptop("resolve", SLUG, "review.body", "--theirs")
    body = laptop.book().review.body
    assert "WORK: paragraph 3" in body and "LAPTOP: paragraph 3" not in body
    assert "WORK: paragraph 6" in body and "LAPTOP: a new last paragraph." in body
    laptop("sync")
    work("sync")
    assert work.book().review.body == body and not work.book().extra.get("conflicts")


def test_resolve_ours_keeps_the_other_devices_other_edits(devices):
    laptop, work = devices
    both_edit_one_line(laptop, work)
    work("sync", code=1)
    work("resolve", SLUG, "review.body", "--ours")  # work's line 5, and the laptop's new paragraph
    body = work.book().review.body
    assert "WORK: paragraph 3" in body and "LAPTOP: paragraph 3" not in body
    assert "WORK: paragraph 6" in body and "LAPTOP: a new last paragraph." in body


# --- an open reading with no start date, finished on both devices -----------------------------------------
def open_undated(device: Device) -> None:
    """Klara as imports leave a book being read: an open reading with no start date."""
    from readlog.model import Read

    def change(book):
        book.status = "reading"
        book.reads = [Read()]

    device.change(change)


def test_an_open_reading_with_no_start_finished_on_both_devices_is_one_reading(devices):
    laptop, work = devices
    open_undated(laptop)
    laptop("sync")
    work("sync")
    laptop("finish", SLUG, "--date", "2026-12-01")
    work("finish", SLUG, "--date", "2026-12-02")
    work("sync")
    out = laptop("sync", code=1)
    reads = laptop.book().reads
    assert [str(r.finished) for r in reads] == ["2026-12-01"]  # this device's, in place: one reading
    assert "reads[1].finished" in out.stderr
    laptop("resolve", SLUG, "reads[1].finished", "--theirs")
    assert [str(r.finished) for r in laptop.book().reads] == ["2026-12-02"]


# --- a file renamed by hand on both devices --------------------------------------------------------------
def test_a_file_renamed_on_both_devices_is_one_book_under_this_devices_name(devices):
    laptop, work = devices
    (laptop.home / "books" / f"{SLUG}.toml").rename(laptop.home / "books" / "klara-ishiguro.toml")
    (work.home / "books" / f"{SLUG}.toml").rename(work.home / "books" / "klara-sun.toml")
    work("rate", "klara-sun", "5")  # and an edit on one side: the one file has it
    work("sync")
    out = laptop("sync")  # exit 0: nothing needs the reader
    for device in (laptop, work):
        if device is work:  # the other device is told where its file went
            there = " ".join(work("sync").stderr.split())
            assert (
                "books/klara-ishiguro.toml: the book that was books/klara-sun.toml here, renamed on the "
                "other device" in there
            )
        assert sorted(p.name for p in (device.home / "books").glob("*.toml")) == ["klara-ishiguro.toml"]
        assert device.book("klara-ishiguro").rating == 5
    said = " ".join(out.stderr.split())
    assert (
        "books/klara-ishiguro.toml: renamed on both devices (books/klara-and-the-sun.toml became "
        "books/klara-ishiguro.toml here, books/klara-sun.toml on the other device)" in said
    )
    assert "mv books/klara-ishiguro.toml books/klara-sun.toml" in said
    assert "removed" not in said and "line by line" not in said  # no file that is not there, no false removal
    subject = laptop.git("log", "-1", "--format=%s")
    assert (
        'one name for "Klara and the Sun": klara-ishiguro (the other device\'s klara-sun dropped)' in subject
    )
    laptop("check")  # no duplicate left for `check` to name
    work("check")


# --- a book merged on one device, edited on the other ------------------------------------------------------
NOVEL = "klara-and-the-sun-a-novel"


def merged_here_reviewed_there(laptop: Device, work: Device) -> None:
    laptop("add", "Klara and the Sun: A Novel", "-a", "Kazuo Ishiguro", "--new")
    laptop("reflect", NOVEL, "a first thought, which the merge takes into Klara")
    laptop("sync")
    work("sync")
    laptop("merge", SLUG, NOVEL)
    work("reflect", NOVEL, "written on the other device")


def test_a_book_merged_here_and_edited_there_comes_back_with_the_merge_as_the_way_out(devices):
    laptop, work = devices
    merged_here_reviewed_there(laptop, work)
    laptop("sync")
    work("sync", code=1)  # changed there, removed here: kept
    said = " ".join(laptop("sync", code=1).stderr.split())
    assert f"books/{NOVEL}.toml: removed here, changed on the other device, which kept it: back" in said
    assert f"`readlog merge {SLUG} {NOVEL}` takes that change into it too" in said
    assert "readlog rm" not in said  # rm would put the other device's writing in the trash
    subject = laptop.git("log", "--format=%s", '--grep=^merge "')
    assert 'merge "Klara and the Sun: A Novel" into "Klara and the Sun"' in subject
    novel = [line.split(None, 1)[1] for line in laptop("log", NOVEL).stdout.splitlines() if line.strip()]
    assert f"merged into {SLUG}" in novel and "removed" not in novel  # not told as a removal
    assert f"merged: {NOVEL} went into it" in " ".join(laptop("log", SLUG).stdout.split())


def test_a_book_merged_here_is_named_with_the_merge_when_this_device_merges_the_edit(devices):
    laptop, work = devices
    merged_here_reviewed_there(laptop, work)
    work("sync")
    said = " ".join(laptop("sync", code=1).stderr.split())
    assert f"books/{NOVEL}.toml: removed here, changed on the other device: kept, with that change" in said
    assert f"`readlog merge {SLUG} {NOVEL}` takes that change into it too" in said


# --- commit messages and log say what changed -------------------------------------------------------------
def test_a_tag_is_in_the_commit_message_and_the_log(devices):
    laptop, _ = devices
    laptop("tag", SLUG, "japan")
    laptop("sync")
    assert laptop.git("log", "-1", "--format=%s").strip() == 'tag "Klara and the Sun" (japan)'
    assert "tagged japan" in laptop("log", SLUG).stdout


def test_a_resolve_is_committed_as_a_resolve_not_as_a_rating(devices):
    laptop, work = devices
    laptop("rate", SLUG, "5")
    work("rate", SLUG, "3")
    work("sync")
    laptop("sync", code=1)
    laptop("resolve", SLUG, "rating", "--theirs")
    laptop("sync")
    assert laptop.git("log", "-1", "--format=%s").strip() == 'resolve "Klara and the Sun" (rating)'


def test_a_subject_counts_the_books_past_those_described_as_books():
    from readlog.sync.describe import message

    lines = [f'add "Book {n}"' for n in range(65)] + ["768 more books"]
    subject = message(lines).splitlines()[0]
    assert subject.endswith('add "Book 2"; 62 more changes; and 768 more books'), subject
    assert message(["a", "b", "c", "d"]).splitlines()[0] == "a; b; c; and 1 more"
    subject = message([*lines, "update imports.toml"]).splitlines()[0]  # (tryout 30b #4)
    assert subject.endswith('add "Book 2"; 63 more changes; and 768 more books'), subject


def test_a_sync_of_an_import_counts_every_book_in_its_subject(devices, tmp_path):
    """The files that are no books (`update imports.toml`) come after the line that counts the books past
    the first 50: the subject still counts them (tryout 30b #4: "and 58 more" for 314 books)."""
    laptop, _ = devices
    export = tmp_path / "goodreads_library_export.csv"
    _export(export, 60, {})
    laptop("import", str(export))
    laptop("sync")
    subject, _, body = laptop.git("log", "-1", "--format=%B").partition("\n\n")
    assert "- 10 more books\n- update imports.toml\n" in body, body
    assert subject.endswith("; 98 more changes; and 10 more books"), subject


def test_resolve_keeps_an_edit_made_after_the_conflict_was_recorded(devices):
    laptop, work = devices
    both_edit_one_line(laptop, work)
    body = laptop.book().review.body
    set_review(laptop, body.replace("Paragraph 8 of", "LATER: paragraph 8 of"))
    laptop("resolve", SLUG, "review.body", "--theirs")
    body = laptop.book().review.body
    assert "WORK: paragraph 3" in body and "LATER: paragraph 8" in body and "WORK: paragraph 6" in body


def test_a_text_git_takes_for_binary_is_merged_by_lines_all_the_same():
    from readlog.sync.git import merge_file_sides

    base = "a\x00\nb\nc\n"
    assert merge_file_sides(base, "A\x00\nb\nc\n", "a\x00\nb\nC\n") == ("A\x00\nb\nC\n", "A\x00\nb\nC\n")
    assert merge_file_sides("a\nb\nc\nd\n", "a\nB\nc\nd\n", "a\nb\nc\nD\n") == ("a\nB\nc\nD\n",) * 2
    assert merge_file_sides("a\nb\n", "a\nX\n", "a\nY\n") == ("a\nX\n", "a\nY\n")
