"""Try-out 32b #6, #8: what a damaged-marker build kept named once, then published for good (a book made
private since included), and a file the reader put inside one of readlog's folders deleted, nothing said."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from conftest import snapshot
from readlog.exporters.site import build

MARKER = ".readlog-site.json"


def _tag_page_kept_by_a_damaged_marker(run, tmp_path: Path) -> tuple[Path, str]:
    """A site whose only tag was removed, built with its marker damaged (a merge conflict): its old
    `tags/` kept, and named by that build. The site, and what that build said."""
    run("add", "Month Only", "-a", "Bo Writer", "--review", "A review.", "-t", "newtag")
    run("add", "Other", "-a", "Cy Writer", "--review", "Another.")
    out = tmp_path / "site"
    run("site", str(out))
    run("tag", "Month Only", "newtag", "--remove")
    (out / MARKER).write_text("<<<<<<< HEAD\n{}\n=======\n{}\n>>>>>>> other\n", encoding="utf-8")
    said = run("site", str(out)).stderr
    assert "could not be read" in said and "(tags/: named like readlog's pages" in said, said
    return out, said


def test_what_a_damaged_marker_build_kept_is_named_by_every_build_while_it_is_there(run, tmp_path) -> None:
    """Try-out 32b #6: the build after the damaged marker's wrote a fresh one, and from then on `tags/` was
    the reader's: published, never named again. It stays recorded as maybe an older build's, and every
    build names it (a build with nothing to do too) until it is gone."""
    out, _ = _tag_page_kept_by_a_damaged_marker(run, tmp_path)
    for _ in range(2):  # (the second with nothing else to do)
        said = run("site", str(out)).stderr
        assert f"tags/ in {out}: named like readlog's pages, which no build makes" in said, said
        assert "every page was made again" not in said
    assert json.loads((out / MARKER).read_text(encoding="utf-8"))["kept"] == ["tags"]
    for page in (out / "tags").iterdir():
        page.unlink()
    (out / "tags").rmdir()
    said = run("site", str(out)).stderr
    assert "tags/" not in said and "kept" not in json.loads((out / MARKER).read_text(encoding="utf-8"))


def test_an_older_builds_page_naming_a_book_made_private_is_removed_and_named(run, tmp_path, journal_home):
    """Try-out 32b #6: with the book made private, the build said "1 private book left out" while the kept
    `tags/newtag.html` still published it. The page is removed (review 32c #2: named, it stayed published)
    and named (never the book); the folder it leaves empty goes, and with it the "kept" record."""
    out, _ = _tag_page_kept_by_a_damaged_marker(run, tmp_path)
    path = journal_home / "books" / "month-only.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"^(status = .*)$", r"\1\nprivate = true", text, count=1, flags=re.M), "utf-8")
    said = run("site", str(out)).stderr
    assert "1 private book left out" in said, said
    assert (
        f"removed tags/newtag.html from {out}: made by an older build, it names a book that is private"
        in said
    )
    assert "Month Only" not in said and not (out / "tags").exists()
    said = run("site", str(out)).stderr
    assert "1 private book left out" in said and "tags/" not in said, said
    path.write_text(text, encoding="utf-8")
    said = run("site", str(out)).stderr
    assert "private" not in said and "tags/" not in said  # (public again: no page of it to keep)


def test_the_readers_own_folder_of_a_page_name_is_never_called_readlogs(run, tmp_path) -> None:
    """The near miss of #6: a `tags/` the reader made beside a readable marker is theirs (review 31d F1),
    never recorded or named as maybe an older build's."""
    run("add", "Piranesi", "-a", "Susanna Clarke", "--finished", "2024-05-01", "--review", "Tides.")
    out = tmp_path / "site"
    run("site", str(out))
    (out / "tags").mkdir()
    (out / "tags" / "mine.txt").write_text("mine\n", encoding="utf-8")
    run("rate", "Piranesi", "4")
    said = run("site", str(out)).stderr
    assert said.count("\n") == 1 and (out / "tags" / "mine.txt").read_text(encoding="utf-8") == "mine\n"
    assert "kept" not in json.loads((out / MARKER).read_text(encoding="utf-8"))


def _site_with_the_readers_files_inside(run, tmp_path: Path) -> Path:
    run(
        "add", "Piranesi", "-a", "Susanna Clarke", "--finished", "2024-05-01", "--review", "Tides.", "-t", "x"
    )
    out = tmp_path / "site"
    run("site", str(out))
    (out / "authors" / "photo.jpg").write_bytes(b"\xff\xd8photo")
    (out / "tags" / "img").mkdir()
    (out / "tags" / "img" / "a.png").write_bytes(b"png")
    return out


def test_a_file_the_reader_put_inside_readlogs_folder_is_kept_and_named(run, tmp_path) -> None:
    """Try-out 32b #8: `authors/photo.jpg` (and a folder of the reader's in `tags/`) was deleted with the
    old site on the next build, nothing said. Kept where it was, named on each build that writes."""
    out = _site_with_the_readers_files_inside(run, tmp_path)
    for rating in ("3", "4"):
        run("rate", "Piranesi", rating)
        said = run("site", str(out)).stderr
        assert f"kept authors/photo.jpg, tags/img in {out}, which no build made" in said, said
        assert (out / "authors" / "photo.jpg").read_bytes() == b"\xff\xd8photo"
        assert (out / "tags" / "img" / "a.png").read_bytes() == b"png"
    run("tag", "Piranesi", "x", "--remove")  # (no tag page now: tags/ is the reader's folder whole)
    run("site", str(out))
    assert (out / "tags" / "img" / "a.png").read_bytes() == b"png" and not (out / "tags" / "x.html").exists()


def test_a_file_of_the_readers_where_a_new_page_goes_stops_the_build(run, tmp_path) -> None:
    """#8's edge: a page of the new site takes the path of a file no build made: never written over. The
    build stops in one line, OUTDIR as it was, nothing left beside it."""
    out = _site_with_the_readers_files_inside(run, tmp_path)
    (out / "tags" / "poetry.html").write_text("<p>my own page</p>\n", encoding="utf-8")
    run("tag", "Piranesi", "poetry")
    before = snapshot(out)
    said = run("site", str(out), code=1).stderr
    assert f"{out}/tags/poetry.html is not a page readlog made" in said and said.count("\n") == 1, said
    assert snapshot(out) == before and not any(".building-" in p.name for p in tmp_path.iterdir())


def test_a_copy_of_a_page_beside_a_readable_manifest_is_the_readers(run, tmp_path) -> None:
    """A page readlog's templates made (its generator mark) that a readable manifest does not list, in
    readlog's folder, is the reader's (a copy saved as `piranesi-print.html`): kept and named, never removed
    as an older build's (review 32c #1: it was deleted, said as "pages an older build made")."""
    out = _site_with_the_readers_files_inside(run, tmp_path)
    (out / "books" / "old.html").write_bytes((out / "books" / "piranesi.html").read_bytes())
    run("rate", "Piranesi", "2")
    said = run("site", str(out)).stderr
    assert "an older build made" not in said and "books/old.html" in said, said
    assert (out / "books" / "old.html").is_file() and (out / "authors" / "photo.jpg").is_file()


def test_an_older_builds_page_where_the_marker_could_not_be_read_is_removed_and_named(run, tmp_path) -> None:
    """Where the manifest cannot be read, a page readlog's templates made that this build does not make is
    an older build's: removed, and said; never silently."""
    out = _site_with_the_readers_files_inside(run, tmp_path)
    (out / "books" / "old.html").write_bytes((out / "books" / "piranesi.html").read_bytes())
    (out / MARKER).write_text("<<<<<<< HEAD\n{}\n=======\n{}\n>>>>>>> other\n", encoding="utf-8")
    run("rate", "Piranesi", "2")
    said = run("site", str(out)).stderr
    assert "books/old.html" in said and "an older build made" in said, said
    assert not (out / "books" / "old.html").exists()


def test_a_build_stopped_after_keeping_them_leaves_them_in_place(run, tmp_path, monkeypatch) -> None:
    """The files kept inside are linked into the new site, never moved: a build stopped before its swap
    (or killed outright) leaves them where they were."""
    out = _site_with_the_readers_files_inside(run, tmp_path)
    run("rate", "Piranesi", "2")

    def stopped(*_args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(build, "_swap", stopped)
    run("site", str(out), code=130)
    assert (out / "authors" / "photo.jpg").read_bytes() == b"\xff\xd8photo"
    assert (out / "tags" / "img" / "a.png").is_file()


@pytest.mark.parametrize("damage", ["<<<<<<< HEAD\n", "{}"])
def test_with_a_damaged_marker_the_new_pages_still_take_their_paths(run, tmp_path, damage) -> None:
    """With no manifest to read, the last build's pages are known by readlog's mark, and every page of the
    new site takes its path as before: the build goes through, the reader's photo kept."""
    out = _site_with_the_readers_files_inside(run, tmp_path)
    marker = out / MARKER
    marker.write_text(damage + marker.read_text(encoding="utf-8") if damage != "{}" else damage)
    run("rate", "Piranesi", "5")
    said = run("site", str(out)).stderr
    assert "could not be read" in said and "kept authors/photo.jpg, tags/img" in said, said
    assert (out / "authors" / "photo.jpg").is_file() and "removed" not in said


def test_once_a_tag_page_is_made_again_the_kept_folder_is_readlogs_with_the_readers_file_kept(run, tmp_path):
    """The end of #6 meeting #8: a new tag makes `tags/` readlog's folder again. The older build's page in
    it is removed and named, a file of the reader's put there meanwhile is kept and named (it was deleted
    with the old site), and the marker no longer records `tags/` as maybe an older build's."""
    out, _ = _tag_page_kept_by_a_damaged_marker(run, tmp_path)
    (out / "tags" / "notes.txt").write_text("mine\n", encoding="utf-8")
    run("tag", "Other", "fresh")
    said = run("site", str(out)).stderr
    assert f"removed tags/newtag.html from {out}" in said and f"kept tags/notes.txt in {out}" in said, said
    assert sorted(p.name for p in (out / "tags").iterdir()) == ["fresh.html", "notes.txt"]
    assert "kept" not in json.loads((out / MARKER).read_text(encoding="utf-8"))
    assert "named like readlog's pages" not in run("site", str(out)).stderr


def test_the_folders_holding_what_was_kept_are_synced_before_the_swap(run, tmp_path, monkeypatch) -> None:
    """The old site's names for the reader's files are deleted after the swap: the new site's entries for
    them (a folder of theirs in `tags/` too) are on disk before it, with the pages'."""
    out = _site_with_the_readers_files_inside(run, tmp_path)
    run("rate", "Piranesi", "2")
    synced: list[str] = []
    fsync_all = build._fsync_all

    def syncing(paths: list[str]) -> None:
        synced.extend(path.split(".building-", 1)[-1].partition("/")[2] for path in paths)
        fsync_all(paths)

    monkeypatch.setattr(build, "_fsync_all", syncing)
    run("site", str(out))
    assert {"authors", "tags", "tags/img"} <= set(synced), synced
