"""Review 32c #2, #7, #8: a kept older build's page listing a book now private by its title alone stayed
published, never named; the reader's file or link at the top of OUTDIR where readlog makes a folder was
replaced without a word; a `.DS_Store` in readlog's folders was named on every build, and alone made a
folder whose pages were gone the reader's, published for good."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

from conftest import snapshot

MARKER = ".readlog-site.json"
DAMAGED = "<<<<<<< HEAD\n{}\n=======\n{}\n>>>>>>> other\n"


def _private(journal_home: Path, slug: str) -> None:
    path = journal_home / "books" / f"{slug}.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"^(status = .*)$", r"\1\nprivate = true", text, count=1, flags=re.M), "utf-8")


def _kept_tag_page(run, tmp_path: Path, title: str) -> Path:
    """A site whose tag `hush` lists `title` (no review: no page of its own, so listed by its title alone)
    and Dune, kept by a build whose marker could not be read once the tag was gone."""
    run("add", title, "-a", "Ann Nonymous", "--status", "read", "--finished", "2024-01-01", "-t", "hush")
    run("add", "Dune", "-a", "Frank Herbert", "--status", "read", "--finished", "2024-01-01", "-t", "hush")
    out = tmp_path / "site"
    run("site", str(out))
    assert "books/" not in (out / "tags" / "hush.html").read_text(encoding="utf-8")  # (no link: by title)
    (out / MARKER).write_text(DAMAGED, encoding="utf-8")
    run("tag", title, "hush", "--remove")
    run("tag", "Dune", "hush", "--remove")
    run("site", str(out))
    assert (out / "tags" / "hush.html").is_file()
    return out


def _published(out: Path, words: str) -> list[str]:
    return [str(p) for p in out.rglob("*") if p.is_file() and words.encode() in p.read_bytes()]


def test_a_kept_page_listing_a_book_made_private_by_its_title_alone_is_removed_and_named(
    run, tmp_path, journal_home
) -> None:
    """#2: the kept `tags/hush.html` lists "Secret Diary" with no link (the book has no page of its own),
    so only slugs in links were looked for: the title stayed published and the page was never named. The
    reader made the book private to have it off the site, and readlog makes no such page now: removed,
    named (never the title), and the folder it leaves empty goes too."""
    out = _kept_tag_page(run, tmp_path, "Secret Diary")
    _private(journal_home, "secret-diary")
    said = run("site", str(out)).stderr
    assert "1 private book left out" in said, said
    assert (
        f"removed tags/hush.html from {out}: made by an older build, it names a book that is private" in said
    )
    assert "Secret" not in said and not _published(out, "Secret Diary")
    assert not (out / "tags").exists()
    said = run("site", str(out)).stderr
    assert "removed" not in said and "tags/" not in said, said
    assert "kept" not in json.loads((out / MARKER).read_text(encoding="utf-8"))


def test_a_title_is_looked_for_as_the_templates_write_it(run, tmp_path, journal_home) -> None:
    """A title with `&` or `<` is written escaped (`Tom &amp; Jerry`): looked for as written."""
    out = _kept_tag_page(run, tmp_path, "Tom & Jerry <Uncut>")
    _private(journal_home, "tom-jerry-uncut")
    said = run("site", str(out)).stderr
    assert "removed tags/hush.html" in said, said
    assert not _published(out, "Tom &amp; Jerry")


def test_a_kept_page_naming_no_private_book_is_kept(run, tmp_path, journal_home) -> None:
    """The near miss: another book made private, one the kept page does not list (Dune's title is on it,
    the private one's slug is in Dune's): the page stays, as before, only named as maybe an older build's."""
    out = _kept_tag_page(run, tmp_path, "Secret Diary")
    run("add", "Dune Messiah", "-a", "Frank Herbert", "--status", "read", "--finished", "2024-02-01")
    _private(journal_home, "dune-messiah")
    said = run("site", str(out)).stderr
    assert "1 private book left out" in said and "removed" not in said, said
    assert f"tags/ in {out}: named like readlog's pages" in said
    assert (out / "tags" / "hush.html").is_file()


def test_a_readers_file_at_the_top_where_readlog_makes_a_folder_stops_the_build(run, tmp_path) -> None:
    """#7: `books`, the reader's file at the top of OUTDIR, was replaced by readlog's `books/` without a
    word, while one a level down stops the build. Same rule at the top: one line, exit 1, OUTDIR as it was."""
    run("add", "Dune", "-a", "Frank Herbert", "--status", "read", "--finished", "2024-01-01", "--rating", "5")
    out = tmp_path / "site"
    run("site", str(out))
    (out / "books").write_text("my book list, precious\n", encoding="utf-8")
    run("site", str(out))  # (no book pages: kept, as any entry of theirs at the top)
    before = snapshot(out)
    said = run("site", str(out), "--all", code=1).stderr
    assert f"{out}/books is not readlog's (a file), and this build makes its folder books/ there" in said
    assert said.count("\n") == 1 and f"{out} is as it was" in said, said
    assert snapshot(out) == before and not any(".building-" in p.name for p in tmp_path.iterdir())
    (out / "books").rename(tmp_path / "books.txt")
    run("site", str(out), "--all")
    assert (out / "books" / "dune.html").is_file()


def test_a_readers_link_at_the_top_where_readlog_makes_a_folder_stops_the_build(run, tmp_path) -> None:
    """#7: the reader's link `tags -> elsewhere` was replaced (the link gone, nothing said). Also where the
    marker cannot be read: readlog makes no link, so it is the reader's all the same."""
    run("add", "Dune", "-a", "Frank Herbert", "--status", "read", "--finished", "2024-01-01")
    out = tmp_path / "site"
    run("site", str(out))
    elsewhere = tmp_path / "mytags"
    elsewhere.mkdir()
    (elsewhere / "notes.txt").write_text("mine\n", encoding="utf-8")
    (out / "tags").symlink_to(elsewhere)
    run("tag", "Dune", "scifi")
    for damaged in (False, True):
        if damaged:
            (out / MARKER).write_text(DAMAGED, encoding="utf-8")
        before = snapshot(out)
        said = run("site", str(out), code=1).stderr
        assert f"{out}/tags is not readlog's (a link), and this build makes its folder tags/ there" in said
        assert snapshot(out) == before and os.readlink(out / "tags") == str(elsewhere)
        assert os.listdir(elsewhere) == ["notes.txt"]


def test_a_readers_folder_at_the_top_where_readlog_makes_one_is_still_kept_inside(run, tmp_path) -> None:
    """The near miss of #7: a folder of the reader's where readlog makes one builds, its files kept (named)."""
    run("add", "Dune", "-a", "Frank Herbert", "--status", "read", "--finished", "2024-01-01")
    out = tmp_path / "site"
    run("site", str(out))
    (out / "books").mkdir()
    (out / "books" / "photo.jpg").write_bytes(b"photo")
    said = run("site", str(out), "--all").stderr
    assert f"kept books/photo.jpg in {out}" in said, said
    assert (out / "books" / "photo.jpg").read_bytes() == b"photo" and (out / "books" / "dune.html").is_file()


def _site_with_book_pages(run, tmp_path: Path) -> Path:
    run("add", "Dune", "-a", "Frank Herbert", "--status", "read", "--finished", "2024-01-01", "--rating", "5")
    out = tmp_path / "site"
    run("site", str(out), "--all")
    return out


def test_dot_files_in_readlogs_folders_are_kept_without_a_word(run, tmp_path) -> None:
    """#8: Finder's `.DS_Store` and an editor's swap file in `authors/`, `books/` were named on every build."""
    out = _site_with_book_pages(run, tmp_path)
    (out / "authors" / ".DS_Store").write_bytes(b"\0\0\0\1Bud1")
    (out / "books" / ".dune.html.swp").write_bytes(b"b0VIM")
    for rating in ("4", "3"):
        run("rate", "Dune", rating)
        said = run("site", str(out), "--all").stderr
        assert "DS_Store" not in said and ".swp" not in said and "kept" not in said, said
        assert (out / "authors" / ".DS_Store").read_bytes() == b"\0\0\0\1Bud1"
        assert (out / "books" / ".dune.html.swp").read_bytes() == b"b0VIM"


def test_a_folder_whose_pages_are_gone_holding_a_dot_file_alone_goes(run, tmp_path) -> None:
    """#8: `books/` holding one `.DS_Store` once its pages were gone was kept as the reader's folder, and
    from then on published for good. It goes with its pages; the dot-file is named, once."""
    out = _site_with_book_pages(run, tmp_path)
    (out / "books" / ".DS_Store").write_bytes(b"Bud1")
    said = run("site", str(out)).stderr  # (no --all: no book pages)
    assert f"removed books/.DS_Store from {out}: dot-files left in a folder of pages" in said, said
    assert not (out / "books").exists()
    run("rate", "Dune", "4")
    said = run("site", str(out)).stderr
    assert "DS_Store" not in said and not (out / "books").exists(), said


def test_a_dot_file_beside_the_readers_file_stays_with_it(run, tmp_path) -> None:
    """The near miss: `books/` whose pages are gone still holds the reader's photo: kept (named), and its
    `.DS_Store` with it, unnamed."""
    out = _site_with_book_pages(run, tmp_path)
    (out / "books" / ".DS_Store").write_bytes(b"Bud1")
    (out / "books" / "photo.jpg").write_bytes(b"photo")
    said = run("site", str(out)).stderr
    assert f"kept books/photo.jpg in {out}" in said and "DS_Store" not in said, said
    assert (out / "books" / ".DS_Store").read_bytes() == b"Bud1"
    assert (out / "books" / "photo.jpg").read_bytes() == b"photo"
