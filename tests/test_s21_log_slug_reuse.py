"""A slug another book takes after its book was renamed away is two books' name, one after the other: `log`
and `show --at` of each tell that book's history only (session 20 left it: `log hyperion` of the book
added under the freed slug began with the other book's add and rename). Near misses: a rename with no new
book under the old slug (the old name's history is the book's), and an edit the other device made under
the old name after the rename (still the renamed book's: test_sync_reader)."""

from __future__ import annotations

import shutil

import pytest

from readlog.errors import ReadlogError
from readlog.journal import Journal
from readlog.sync.history import book_at
from test_sync_git import Device

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def test_each_book_keeps_its_own_history(run, tmp_path, monkeypatch):
    device = Device(run, tmp_path / "solo")
    days = iter(["2026-11-10", "2026-11-12", "2026-11-14", "2026-11-16", "2026-11-18"])

    def sync(*init: str) -> None:
        stamp = f"{next(days)}T12:00:00"
        monkeypatch.setenv("GIT_AUTHOR_DATE", stamp)
        monkeypatch.setenv("GIT_COMMITTER_DATE", stamp)
        device("sync", *init)

    device("add", "Hyperion", "-a", "Dan Simmons", "--rating", "4")
    sync("init")  # 11-10
    books = device.home / "books"
    (books / "hyperion.toml").rename(books / "hyperion-simmons.toml")  # a `mv`
    sync()  # 11-12
    device("add", "Hyperion", "-a", "Friedrich Hölderlin", "--rating", "5")  # the freed slug
    assert (books / "hyperion.toml").exists()
    sync()  # 11-14
    device("reflect", "hyperion-simmons", "The Shrike.")
    sync()  # 11-16
    device("reflect", "hyperion by Hölderlin", "Diotima.")  # (one word: a slug, and both titles)
    sync()  # 11-18
    assert device("log", "hyperion").stdout.splitlines() == [
        "2026-11-14 added, finished, rated 5",
        "2026-11-18 reflection added",
    ]
    assert device("log", "hyperion-simmons").stdout.splitlines() == [
        "2026-11-10 in the journal when syncing began (read, rated 4)",
        "2026-11-12 renamed: hyperion → hyperion-simmons",
        "2026-11-16 reflection added",
    ]
    journal = Journal(device.home)
    assert book_at(journal, "hyperion-simmons", "2026-11-11").authors == ["Dan Simmons"]
    assert book_at(journal, "hyperion", "2026-11-15").authors == ["Friedrich Hölderlin"]
    with pytest.raises(ReadlogError, match="no version on or before 2026-11-11"):
        book_at(journal, "hyperion", "2026-11-11")  # (then the slug was the other book's)
    with pytest.raises(ReadlogError, match="did not exist"):
        book_at(journal, "hyperion", "HEAD~3")  # the rename's commit: Hölderlin not added yet
    shown = device("show", "hyperion", "--at", "HEAD~1").stdout
    assert "Hölderlin" in shown and "Simmons" not in shown


def test_a_book_found_once_is_not_looked_for_again_by_its_slug(run, books):
    """A verb that finds its book (`hyperion by Hölderlin`), then hands its slug on (`hyperion`, a one-word
    slug that is also the whole title of the other Hyperion) wrote nothing: "matches several books"."""
    run("add", "Hyperion", "-a", "Dan Simmons", "--status", "want")
    (books / "hyperion.toml").rename(books / "hyperion-simmons.toml")
    run("add", "Hyperion", "-a", "Friedrich Hölderlin", "--status", "reading")
    mine = "hyperion by Hölderlin"
    run("reflect", mine, "Diotima.")
    run("review", mine, "A novel in letters.")
    run("finish", mine, "--review", "Still a novel in letters.", "--replace", "--rating", "4")
    hölderlin = Journal(books.parent).load("hyperion").book
    assert [r.text for r in hölderlin.reflections] == ["Diotima."]
    assert hölderlin.review.body.startswith("Still") and hölderlin.rating == 4
    simmons = Journal(books.parent).load("hyperion-simmons").book
    assert simmons.reflections == [] and simmons.review is None and simmons.status == "want"
    said = run("reflect", "hyperion", "x", code=1).stderr  # near miss: typed, one word is still not sure
    assert "matches several books" in said
    run("rm", mine, "--yes")
    assert sorted(p.name for p in books.glob("*.toml")) == ["hyperion-simmons.toml"]
