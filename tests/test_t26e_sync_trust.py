"""Session 26 (t26e): what sessions 24-25 saw the sync do and left. Two books added under one slug on two
devices, each with a cover, keep their own covers; one book added on both devices with its author spelled two
ways keeps one author."""

from __future__ import annotations

import shutil

import pytest

from test_sync_git import Device, assert_clean, devices, files, git_env, remote  # noqa: F401 (fixtures)
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


def test_one_book_added_on_two_devices_with_its_author_spelled_two_ways_keeps_one_author(devices):
    laptop, work = devices
    laptop("add", "The Left Hand of Darkness", "-a", "Ursula K. Le Guin", "-r", "5")
    work("add", "The Left Hand of Darkness", "-a", "Ursula K Le Guin", "--review", "Winter, and trust.")
    report = sync_both(laptop, work)
    assert report["notes"] == [] and report["attention"] == []
    book = work.book("the-left-hand-of-darkness")
    assert book.authors == ["Ursula K. Le Guin"]  # the remote's spelling, already on the other device


@pytest.mark.parametrize(
    "base, ours, theirs, merged",
    [
        (None, ["Ursula K Le Guin"], ["Ursula K. Le Guin"], ["Ursula K. Le Guin"]),
        (None, ["Terry Pratchett", "Neil Gaiman"], ["Neil Gaiman", "T. Pratchett"], ["T. Pratchett", "Neil Gaiman"]),
        (["Le Guin"], ["Ursula K Le Guin"], ["Ursula K. Le Guin"], ["Ursula K. Le Guin"]),  # respelled on both
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
