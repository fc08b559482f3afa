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
