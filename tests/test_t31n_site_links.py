"""Review 31d F1-F3, F6: a leftover or a damaged marker deleting the reader's `tags/`, their things moved
into another site through a link, or left hidden beside a link, and named twice."""

from __future__ import annotations

import os
from pathlib import Path

from conftest import snapshot
from test_s29_lead import _a_published_site
from test_s30_lead import _killed_before_swap
from test_t31g_site_kept import OTHER_CACHE, _killed_with_the_readers_things, _leftover


def _readers_tags(out: Path) -> None:
    """The reader's own `tags/` in a site with no tags (no book has one): a name readlog makes elsewhere."""
    assert not (out / "tags").exists()
    (out / "tags").mkdir()
    (out / "tags" / "mine.txt").write_text("mine\n", encoding="utf-8")


def test_a_damaged_marker_never_deletes_the_readers_folder_of_a_name_readlog_makes_elsewhere(run, tmp_path):
    """Review 31d F1: with `.readlog-site.json` damaged, every name readlog may make (`tags/` among them)
    was readlog's, even where this build makes none: the reader's `tags/` was deleted, exit 0."""
    out = _a_published_site(run, tmp_path)
    _readers_tags(out)
    run("site", str(out), "--title", "X")
    assert (out / "tags" / "mine.txt").is_file()  # (a readable marker: kept)
    marker = out / ".readlog-site.json"
    marker.write_text("<<<<<<< HEAD\n" + marker.read_text(encoding="utf-8"), encoding="utf-8")
    run("add", "Dune", "-a", "Frank Herbert", "--finished", "2024-06-01", "--review", "Sand.")
    said = run("site", str(out)).stderr
    assert (out / "tags" / "mine.txt").read_text(encoding="utf-8") == "mine\n", said
    assert (out / "books" / "dune.html").is_file() and "could not be read" in said


def test_a_leftover_whose_record_is_damaged_keeps_the_readers_folder_of_a_name_readlog_makes(run, tmp_path):
    """Review 31d F1, the leftover's side: its `.readlog-kept` damaged, a `tags/` it held was taken for its
    build's own (that build made no tags), and the leftover deleted with it, exit 0, nothing said. Its own
    marker, on disk before any move, says what it made: anything else is the reader's, kept and named."""
    out = _a_published_site(run, tmp_path)
    _readers_tags(out)
    run("add", "Dune", "-a", "Frank Herbert", "--finished", "2024-06-01", "--review", "Sand.")
    _killed_before_swap(out)
    unfinished = _leftover(tmp_path)
    (unfinished / ".readlog-kept").write_bytes(b"garbage")
    for cache in (OTHER_CACHE, "cache"):
        said = run("site", str(out), env={"READLOG_CACHE": str(tmp_path / cache)}).stderr
        assert (unfinished / "tags" / "mine.txt").is_file(), said
        assert f"{unfinished} holds tags of yours" in said and "move it by hand" in said


def _www_linked_to_blog(run, tmp_path: Path) -> tuple[Path, Path, dict]:
    """A killed build of `site` (its .git, CNAME, notes in its leftover), `site` moved away and replaced by a
    link to another site, `blog`: blog, the leftover, and what blog held."""
    blog = tmp_path / "blog"
    out, unfinished = _killed_with_the_readers_things(run, tmp_path)
    run("site", str(blog), env={"READLOG_CACHE": str(tmp_path / "blog-cache")})  # (`site`'s mark left)
    (blog / "README.md").write_text("blog's\n", encoding="utf-8")
    out.rename(tmp_path / "site-archive")
    out.symlink_to(blog)
    return blog, unfinished, snapshot(blog)


def test_a_leftovers_things_are_never_moved_through_a_link_into_another_site(run, tmp_path) -> None:
    """Review 31d F2: OUTDIR replaced by a link to another site, the leftover's .git and CNAME were moved
    into that site, silently (by a build of that site, or by any build through the same cache dir, of an
    unrelated folder): a push from there went to the wrong repository. A link cannot prove it leads to the
    same folder: the leftover is named, for the reader to move."""
    blog, unfinished, before = _www_linked_to_blog(run, tmp_path)
    inside = snapshot(unfinished)
    for target, cache in ((tmp_path / "elsewhere", "cache"), (blog, OTHER_CACHE), (blog, "cache")):
        said = run("site", str(target), env={"READLOG_CACHE": str(tmp_path / cache)}).stderr
        assert f"{unfinished} holds .git, CNAME, a-notes and 2 more of yours" in said, said
        assert "site is a link now" in said
        assert snapshot(unfinished) == inside and snapshot(blog) == before  # (no .git, no CNAME)


def test_a_leftover_beside_a_link_left_where_the_site_was_is_named(run, tmp_path) -> None:
    """Review 31d F3: OUTDIR moved into another folder and a link left in its place; built through the link
    with another cache dir, the leftover beside the link was looked for only beside the folder itself:
    exit 0, nothing said, the reader's things hidden. Named (not moved: F2) on every build."""
    out, unfinished = _killed_with_the_readers_things(run, tmp_path)
    (tmp_path / "q").mkdir()
    out.rename(tmp_path / "q" / "site")
    out.symlink_to(tmp_path / "q" / "site")
    inside = snapshot(unfinished)
    for _ in range(2):
        said = run("site", str(out), env={"READLOG_CACHE": str(tmp_path / OTHER_CACHE)}).stderr
        assert f"{unfinished} holds .git, CNAME, a-notes and 2 more of yours" in said, said
        assert said.count("of yours") == 1 and snapshot(unfinished) == inside


def test_a_leftover_found_through_a_linked_parent_is_named_once(run, tmp_path) -> None:
    """Review 31d F6: through a parent folder that is a link, the same leftover was named twice (as its
    mark names it, and as found beside OUTDIR)."""
    out, unfinished = _killed_with_the_readers_things(run, tmp_path)
    out.rename(tmp_path / "renamed")
    linked = tmp_path / "lp"
    linked.symlink_to(tmp_path)
    said = run("site", os.path.join(linked, "www2")).stderr
    assert "of yours" in said and said.count("of yours") == 1, said


# `readlog site OUT --force`, killed outright (SIGKILL) while the folder it replaced is discarded.
KILLED_IN_DISCARD = """import os, signal, sys
from readlog.exporters.site import build

def discard(old, pages):
    os.kill(os.getpid(), signal.SIGKILL)

build._discard = discard
sys.argv = ["readlog", "site", sys.argv[1], "--force"]
from readlog.__main__ import main
main()
"""


def test_a_folder_force_replaced_is_not_named_as_the_readers_after_a_kill(run, tmp_path) -> None:
    """Review 31d F6: `--force` over a folder readlog did not make, killed while discarding it: every later
    build named its README.md and old.html as the reader's, "its .readlog-kept, damaged or deleted". It is
    the folder `--force` was told to replace, and no record was damaged: it is removed, nothing said."""
    import signal
    import subprocess
    import sys

    run("add", "Piranesi", "-a", "Susanna Clarke", "--finished", "2024-05-01", "--review", "Tides.")
    out = tmp_path / "site"
    out.mkdir()
    (out / "README.md").write_text("old\n", encoding="utf-8")
    (out / "old.html").write_text("<p>old</p>\n", encoding="utf-8")
    killed = subprocess.run([sys.executable, "-c", KILLED_IN_DISCARD, str(out)], capture_output=True)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert (_leftover(tmp_path) / "old.html").is_file()  # (the folder replaced, not yet discarded)
    for cache in (OTHER_CACHE, "cache"):
        said = run("site", str(out), env={"READLOG_CACHE": str(tmp_path / cache)}).stderr
        assert "of yours" not in said and said.count("\n") == 1, said
    assert not any(".building-" in p.name for p in tmp_path.iterdir())


def test_a_renamed_sites_leftover_goes_once_the_reader_has_moved_their_things(run, tmp_path) -> None:
    """Review 31d F6: OUTDIR renamed after a killed build; once the reader moved the things it named, the
    leftover (a whole copy of the site) stayed hidden beside it forever, neither removed nor named."""
    out, unfinished = _killed_with_the_readers_things(run, tmp_path)
    renamed = tmp_path / "renamed"
    out.rename(renamed)
    other = {"READLOG_CACHE": str(tmp_path / OTHER_CACHE)}
    assert f"{unfinished} holds .git" in run("site", str(renamed), env=other).stderr
    for name in (".git", "CNAME", "a-notes", "b-notes", "c-notes"):  # (as told: "move it by hand")
        (unfinished / name).rename(renamed / name)
    assert "of yours" not in run("site", str(renamed), env=other).stderr
    assert not unfinished.exists() and (renamed / ".git" / "unpushed").is_file()


def test_one_unreadable_book_file_is_refused_in_the_singular(run, tmp_path, journal_home) -> None:
    """Review 31d F6: the refusal read "1 book file ... 1 book pages ... without them"."""
    out = _a_published_site(run, tmp_path)
    book = journal_home / "books" / "piranesi.toml"
    run("add", "Dune", "-a", "Frank Herbert", "--finished", "2024-06-01", "--review", "Sand.")
    book.write_text("<<<<<<< HEAD\n" + book.read_text(encoding="utf-8"), encoding="utf-8")
    said = run("site", str(out), code=1).stderr
    assert "1 book file of" in said and "take 1 book page out of" in said, said
    assert said.rstrip().endswith("(books/piranesi.html); use --force to publish without it")
