"""Try-out 31a #1-#4: the site deleting or hiding the reader's files, or publishing without its book pages."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import snapshot
from test_s29_lead import _a_published_site
from test_s30_lead import _killed_before_swap, _readers_things

OTHER_CACHE = "other-cache"


def _leftover(folder: Path) -> Path:
    (unfinished,) = (p for p in folder.iterdir() if ".building-" in p.name)
    return unfinished


def _killed_with_the_readers_things(run, tmp_path: Path) -> tuple[Path, Path]:
    """A published site holding the reader's .git, CNAME and notes, whose next build was killed outright
    right before its swap: the site, and the unfinished one beside it holding the reader's things."""
    out = _a_published_site(run, tmp_path)
    _readers_things(out)
    run("add", "Dune", "-a", "Frank Herbert", "--finished", "2024-06-01", "--review", "Sand.")
    _killed_before_swap(out)
    unfinished = _leftover(tmp_path)
    assert (unfinished / ".git" / "unpushed").is_file() and not (out / ".git").exists()  # (the window)
    return out, unfinished


@pytest.mark.parametrize("damage", ["<<<<<<< HEAD\n", "{}"])
def test_a_damaged_site_marker_never_lets_a_rebuild_delete_the_readers_files(run, tmp_path, damage) -> None:
    """Try-out 31a #1: a merge conflict in `.readlog-site.json` (or `{}` in it) was read as "a site readlog
    made with nothing else in it": the next build deleted the reader's README.md and notes/, exit 0."""
    out = _a_published_site(run, tmp_path)
    (out / "README.md").write_text("mine\n", encoding="utf-8")
    (out / "notes").mkdir()
    (out / "notes" / "a").write_text("n\n", encoding="utf-8")
    marker = out / ".readlog-site.json"
    marker.write_text(damage + marker.read_text(encoding="utf-8") if damage != "{}" else damage)
    run("add", "Dune", "-a", "Frank Herbert", "--finished", "2024-06-01", "--review", "Sand.")
    said = run("site", str(out)).stderr
    assert (out / "README.md").read_text(encoding="utf-8") == "mine\n" and (out / "notes" / "a").is_file()
    assert (out / "books" / "dune.html").is_file() and ".readlog-site.json could not be read" in said
    assert said.count("\n") == 2  # (that line, and the summary)
    run("site", str(out))  # (the marker is whole again: said no more)
    assert (out / "README.md").is_file() and "could not be read" not in run("site", str(out)).stderr


def test_a_damaged_site_marker_still_guards_the_book_pages(run, tmp_path) -> None:
    """A damaged marker holds no list of the last build's pages: the empty-journal guard counts the pages
    in OUTDIR's books/ instead of letting a wrong journal folder publish an empty site."""
    out = _a_published_site(run, tmp_path)
    (out / ".readlog-site.json").write_text("{}", encoding="utf-8")
    before = snapshot(out)
    wrong = tmp_path / "wrong"
    wrong.mkdir()
    said = run("--data-dir", str(wrong), "site", str(out), code=1).stderr
    assert "take the 1 book pages out of" in said and snapshot(out) == before


@pytest.mark.parametrize("damage", ["garbage", "empty", "deleted"])
def test_a_leftover_whose_record_is_damaged_is_kept_and_named(run, tmp_path, damage) -> None:
    """Try-out 31a #2: with the unfinished site's `.readlog-kept` damaged, emptied or deleted, the next build
    gave nothing back and deleted the leftover with the reader's .git, CNAME and notes in it, exit 0."""
    out, unfinished = _killed_with_the_readers_things(run, tmp_path)
    record = unfinished / ".readlog-kept"
    if damage == "deleted":
        record.unlink()
    else:
        record.write_bytes(b"\xff\x00garbage" if damage == "garbage" else b"")
    inside = snapshot(unfinished)
    for cache in (OTHER_CACHE, OTHER_CACHE, "cache"):  # (named by every build, through either cache dir)
        said = run("site", str(out), env={"READLOG_CACHE": str(tmp_path / cache)}).stderr
        assert f"{unfinished} holds .git, CNAME, a-notes and 2 more of yours" in said, said
        assert (
            ".readlog-kept, damaged or deleted, does not name them all" in said and "move it by hand" in said
        )
        assert snapshot(unfinished) == inside and (out / "books" / "dune.html").is_file()
    run("site", str(tmp_path / "other"))  # (another folder's build clears dead builds: never this one)
    assert snapshot(unfinished) == inside


def test_the_record_is_on_disk_before_each_move_it_covers(run, tmp_path, monkeypatch) -> None:
    """Try-out 31a #2: the record of what a build moves out of OUTDIR was written without fsync before the
    moves: a power cut could leave the reader's .git in the unfinished site with no word of it."""
    out = _a_published_site(run, tmp_path)
    _readers_things(out)
    run("add", "Dune", "-a", "Frank Herbert", "--finished", "2024-06-01", "--review", "Sand.")
    synced: dict[str, bytes] = {}
    fsync, rename, moves = os.fsync, os.rename, []

    def syncing(fd: int) -> None:
        fsync(fd)
        path = os.readlink(f"/proc/self/fd/{fd}")
        if path.endswith(".readlog-kept"):
            synced[path] = Path(path).read_bytes()

    def moving(source, target, *args, **kwargs):
        if ".building-" in str(target) and str(source).startswith(str(out) + "/"):
            moves.append(Path(source).name)
            kept = synced.get(str(Path(target).parent / ".readlog-kept"), b"")
            assert os.fsencode(Path(source).name) + b"\0" in kept, (source, kept)
        return rename(source, target, *args, **kwargs)

    monkeypatch.setattr(os, "fsync", syncing)
    monkeypatch.setattr(os, "rename", moving)
    run("site", str(out))
    assert sorted(moves) == [".git", "CNAME", "a-notes", "b-notes", "c-notes"]


@pytest.mark.parametrize("how", ["renamed", "linked"])
def test_a_leftover_of_a_renamed_or_linked_site_folder_is_never_hidden(run, tmp_path, how) -> None:
    """Try-out 31a #3: after a killed build, OUTDIR renamed (or moved aside and replaced by a link to it): the
    reader's things stayed hidden in `.site.building-*` and no build said a word of them (`_clear_dead` had
    dropped its mark, and another cache dir has none). They are named, on every build beside them; never
    moved through a link (review 31d F2: one may lead to another site)."""
    out, unfinished = _killed_with_the_readers_things(run, tmp_path)
    real = tmp_path / "site-real"
    out.rename(real)
    inside = snapshot(unfinished)
    if how == "linked":
        out.symlink_to(real)
        said = run("site", str(out), env={"READLOG_CACHE": str(tmp_path / OTHER_CACHE)}).stderr
        assert f"{unfinished} holds .git, CNAME, a-notes and 2 more of yours" in said, said
        assert "(site is a link now, which may lead to another site)" in said
        assert snapshot(unfinished) == inside and not (real / ".git").exists()
        return
    for cache, target in ((OTHER_CACHE, real), ("cache", real), ("cache", real), ("cache", tmp_path / "b")):
        said = run("site", str(target), env={"READLOG_CACHE": str(tmp_path / cache)}).stderr
        assert f"{unfinished} holds .git, CNAME, a-notes and 2 more of yours" in said, said
        assert f"moved out of {out}" in said and "gone" in said and snapshot(unfinished) == inside


def test_a_leftover_named_by_another_site_folders_builds_in_another_parent(run, tmp_path) -> None:
    """Try-out 31a #3, the mark's side: once the killed build's own folder is gone, its mark in the cache dir
    stays, so that any build through that cache dir names the leftover, wherever it is built."""
    out, unfinished = _killed_with_the_readers_things(run, tmp_path)
    out.rename(tmp_path / "renamed")
    elsewhere = tmp_path / "elsewhere" / "www"
    for _ in range(2):
        said = run("site", str(elsewhere)).stderr
        assert f"{unfinished} holds .git, CNAME, a-notes and 2 more of yours" in said, said
    (tmp_path / "renamed").rename(out)  # (the reader puts the folder back: the next build gives them back)
    assert "of yours" not in run("site", str(elsewhere)).stderr
    assert (out / ".git" / "unpushed").is_file() and not unfinished.exists()


def test_unreadable_book_files_never_take_their_pages_out_of_the_site(run, tmp_path, journal_home) -> None:
    """Try-out 31a #4: with every book file but one unreadable (conflict markers), the site was published
    without the others' pages, exit 0 (the guard only held when not one book could be read). Refused while
    an unreadable file would take a page of the last build out; `--force` publishes without them; a new
    unreadable file with no page yet takes nothing out (said, and built)."""
    for title in ("Piranesi", "Dune", "Emma", "Beloved", "Ulysses"):
        run("add", title, "-a", "Some Author", "--finished", "2024-05-01", "--review", "Good.")
    out = tmp_path / "site"
    run("site", str(out))
    before = snapshot(out)
    books = journal_home / "books"
    for path in books.glob("*.toml"):
        if path.name != "dune.toml":
            path.write_text("<<<<<<< HEAD\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    said = run("site", str(out), code=1).stderr
    assert "4 book files of" in said and "would take 4 book pages out of" in said, said
    assert "(books/beloved.html, books/emma.html, books/piranesi.html and 1 more)" in said
    assert said.strip().count("\n") == 0 and snapshot(out) == before
    run("site", str(out), "--force")
    assert (out / "books" / "dune.html").is_file() and not (out / "books" / "emma.html").exists()
    run("add", "Middlemarch", "-a", "George Eliot", "--finished", "2024-07-01", "--review", "Wise.")
    (books / "middlemarch.toml").write_text("<<<<<<< HEAD\n", encoding="utf-8")  # (no page yet: none lost)
    assert "5 book files left out" in run("site", str(out)).stderr


def test_a_first_build_says_nothing_of_a_marker(run, tmp_path) -> None:
    """The near miss of #1: a new folder has no marker to read, and nothing is said of it."""
    run("add", "Piranesi", "-a", "Susanna Clarke", "--finished", "2024-05-01", "--review", "Tides.")
    said = run("site", str(tmp_path / "new")).stderr
    assert "could not be read" not in said and said.count("\n") == 1


def test_a_stopped_build_never_deletes_what_it_could_not_move_back(run, tmp_path, monkeypatch) -> None:
    """The same rule for a build stopped among its moves (review 30c #2 puts them back): one that cannot go
    back (OUTDIR has that name again meanwhile) was deleted with the unfinished site. It stays, named."""
    out = _a_published_site(run, tmp_path)
    _readers_things(out)
    run("add", "Dune", "-a", "Frank Herbert", "--finished", "2024-06-01", "--review", "Sand.")
    rename = os.rename

    def stopped(source, target, *args, **kwargs):
        rename(source, target, *args, **kwargs)
        if ".building-" in str(target) and Path(source).name == ".git":
            (out / ".git").mkdir()  # (the reader's new one, in that instant)
            raise KeyboardInterrupt

    monkeypatch.setattr(os, "rename", stopped)
    run("site", str(out), code=130)
    monkeypatch.setattr(os, "rename", rename)
    unfinished = _leftover(tmp_path)
    assert (unfinished / ".git" / "unpushed").read_text(encoding="utf-8") == "precious\n"
    said = run("site", str(out)).stderr
    assert f"{unfinished} holds .git of yours" in said and "(site has that name again)" in said
