"""Never lose a word, part three: the new doors (site cache, sync, look-ups, device files) under attack
(issue 21). Real processes, a real umask, real pickles, real servers on 127.0.0.1, real SQLite files."""

from __future__ import annotations

import os
import pickle
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

import lookup_server as ol
from conftest import REPO

EXAMPLE = REPO / "examples" / "journal"


def readlog(*args: str, timeout: float = 90, umask: int = -1, **kwargs) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "readlog", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
        check=False,
        umask=umask,
        **kwargs,
    )


def modes(folder: Path) -> dict[str, int]:
    """Every folder and file under `folder` (itself included) with its permission bits."""
    found = {".": stat.S_IMODE(folder.stat().st_mode)}
    for path in folder.rglob("*"):
        if ".git" in path.relative_to(folder).parts:
            continue
        found[str(path.relative_to(folder))] = stat.S_IMODE(path.lstat().st_mode)
    return found


def loose(found: dict[str, int], folder: Path) -> dict[str, int]:
    """What is not the reader's alone: folders other than 0700, files other than 0600."""
    wrong = {}
    for name, mode in found.items():
        path = folder / name
        want = 0o700 if path.is_dir() else 0o600
        if mode != want:
            wrong[name] = oct(mode)
    return wrong


# --- 1. the site's cache: no pickle, nothing readable by others ----------------------------------------
@pytest.mark.parametrize("first", ["site", "list", "lookup-cache"])
def test_every_file_readlog_makes_is_private_under_umask_zero_whichever_command_runs_first(
    tmp_path, journal_home, first, monkeypatch
):
    shutil.copytree(EXAMPLE / "books", journal_home / "books")
    os.chmod(journal_home, 0o700)
    os.chmod(journal_home / "books", 0o700)
    for book in (journal_home / "books").iterdir():
        os.chmod(book, 0o600)
    cache = tmp_path / "cache"
    assert not cache.exists()
    if first == "lookup-cache":
        gen = ol.serving(monkeypatch)
        next(gen)
        first_command: tuple[str, ...] = ("lookup", ol.DUNE)
    else:
        first_command = (first,) + ((str(tmp_path / "out"),) if first == "site" else ())
    readlog(*first_command, umask=0)
    for command in (("site", str(tmp_path / "out")), ("list",), ("progress", "dune", "40")):
        done = readlog(*command, umask=0)
        assert "Traceback" not in done.stderr, done.stderr
    assert cache.is_dir()
    assert loose(modes(cache), cache) == {}
    assert loose(modes(journal_home), journal_home) == {}
    assert any(cache.glob("site-books-*/*.json"))
    if first == "lookup-cache":
        assert any((cache / "openlibrary").iterdir())


def test_a_pickle_planted_in_the_site_cache_is_never_loaded(tmp_path, journal_home):
    shutil.copytree(EXAMPLE / "books", journal_home / "books")
    out = tmp_path / "out"
    assert readlog("site", str(out)).returncode == 0
    folder = next((tmp_path / "cache").glob("site-books-*"))
    proof = tmp_path / "ran"

    class Payload:
        def __reduce__(self):
            return (os.system, (f"touch {proof}",))

    for number in range(32):
        (folder / f"{number:02d}.pickle").write_bytes(pickle.dumps(Payload()))
    for shard in folder.glob("*.json"):
        shard.unlink()  # no JSON: an old readlog would have read the pickles now
    done = readlog("site", str(out), "--force")
    assert done.returncode == 0, done.stderr
    assert not proof.exists()
    assert not list(folder.glob("*.pickle"))  # an older readlog's cache is thrown away, never read


def test_a_damaged_json_cache_is_only_a_slower_build(tmp_path, journal_home, run):
    shutil.copytree(EXAMPLE / "books", journal_home / "books")
    out = tmp_path / "out"
    run("site", str(out))
    before = {str(p.relative_to(out)): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    folder = next((tmp_path / "cache").glob("site-books-*"))
    shards = sorted(folder.glob("*.json"))
    assert len(shards) >= 3
    shards[0].write_text('{"version": 1, "books": [')
    shards[1].write_text('{"version": "x", "books": {"dune": [[1, 2], {"title": 5}, 7]}}')
    shards[2].write_bytes(b"\x80\x04garbage")
    run("site", str(out), "--force")
    after = {str(p.relative_to(out)): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before


def test_the_site_lock_lives_in_the_cache_not_beside_the_site(tmp_path, journal_home, run):
    shutil.copytree(EXAMPLE / "books", journal_home / "books")
    run("site", str(tmp_path / "out"))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cache", "config.toml", "journal", "out"] or sorted(
        p.name for p in tmp_path.iterdir()
    ) == ["cache", "journal", "out"]
    assert list((tmp_path / "cache" / "site-locks").glob("*.lock"))


# --- 2. what was not public where it came from is private here -----------------------------------------
def _bookwyrm_export(path: Path) -> Path:
    import json

    def status(kind: str, privacy: str | None, text: str) -> dict[str, object]:
        item: dict[str, object] = {"published_date": "2024-01-21T09:00:00Z"}
        item["quote" if kind == "quote" else "content"] = f"<p>{text}</p>"
        if privacy is not None:
            item["privacy"] = privacy
        return item

    book = {
        "title": "The Road Home",
        "authors": [{"name": "Ada Walker"}],
        "shelves": [{"identifier": "read", "name": "Read"}],
        "readthroughs": [{"start_date": "2024-01-01", "finish_date": "2024-01-20"}],
        "reviews": [
            {**status("review", "direct", "REVIEW-DIRECT"), "name": "Mine"},
            status("review", "public", "REVIEW-PUBLIC-SECOND"),
        ],
        "comments": [
            status("comment", "followers", "COMMENT-FOLLOWERS"),
            status("comment", "unlisted", "COMMENT-UNLISTED"),
            status("comment", "public", "COMMENT-PUBLIC"),
            status("comment", None, "COMMENT-NO-FIELD"),
            status("comment", 7, "COMMENT-ODD-VALUE"),  # type: ignore[arg-type]
        ],
        "quotes": [status("quote", "direct", "QUOTE-DIRECT"), status("quote", "public", "QUOTE-PUBLIC")],
    }
    path.write_text(json.dumps({"user": {"username": "r"}, "books": [book]}))
    return path


def test_bookwyrm_statuses_that_were_not_public_are_private_and_never_published(run, tmp_path):
    export = _bookwyrm_export(tmp_path / "archive.json")
    run("import", str(export))
    out = tmp_path / "site"
    run("site", str(out))
    published = "".join(p.read_text(errors="replace") for p in out.rglob("*") if p.is_file())
    for hidden in (
        "REVIEW-DIRECT",
        "COMMENT-FOLLOWERS",
        "COMMENT-UNLISTED",
        "COMMENT-ODD-VALUE",
        "QUOTE-DIRECT",
    ):
        assert hidden not in published, hidden
    for shown in ("REVIEW-PUBLIC-SECOND", "COMMENT-PUBLIC", "COMMENT-NO-FIELD", "QUOTE-PUBLIC"):
        assert shown in published, shown
    # and the journal keeps every word, flagged
    import tomllib

    (book,) = (tmp_path / "journal" / "books").glob("*.toml")
    data = tomllib.loads(book.read_text())
    assert data["review"]["private"] is True
    private = {r["text"] for r in data["reflections"] if r.get("private")}
    assert private == {"COMMENT-FOLLOWERS", "COMMENT-UNLISTED", "COMMENT-ODD-VALUE"}
    assert [q.get("private", False) for q in data["quotes"]] == [True, False]


def test_a_hardcover_book_that_was_not_public_is_private(run, tmp_path):
    header = "Title,Author,Status,Privacy,Hardcover Book ID,Review,Date Finished\n"
    rows = (
        "Open Book,Ann Able,Read,Public,1,SHOWN-REVIEW,2024-01-02\n"
        "Closed Book,Ben Bold,Read,Private,2,HIDDEN-REVIEW,2024-01-03\n"
        "Friends Book,Cy Coy,Read,Followers,3,FRIENDS-REVIEW,2024-01-04\n"
    )
    export = tmp_path / "hardcover.csv"
    export.write_text(header + rows)
    run("import", str(export), "--from", "hardcover")
    out = tmp_path / "site"
    run("site", str(out))
    published = "".join(p.read_text(errors="replace") for p in out.rglob("*") if p.is_file())
    assert "SHOWN-REVIEW" in published
    assert "HIDDEN-REVIEW" not in published and "Closed Book" not in published
    assert "FRIENDS-REVIEW" not in published


# --- 7. every number a reader types is bounded ------------------------------------------------------------
BIG = "9" * 5000


@pytest.mark.parametrize(
    "args",
    [
        ("progress", "dune", BIG),
        ("progress", "dune", BIG + "%"),
        ("progress", "dune", f"{BIG}/300"),
        ("progress", "dune", f"12/{BIG}"),
        ("progress", "dune", "p." + BIG),
        ("progress", "dune", f"{BIG}:00"),
        ("abandon", "dune", "--at", BIG),
        ("abandon", "dune", "--at", BIG + "%"),
        ("rate", "dune", BIG),
        ("rate", "dune", BIG + ".25"),
        ("finish", "dune", "--rating", BIG),
        ("quote", "dune", "a line", "--page", BIG),
        ("add", "Other", "-a", "Someone", "--year", BIG),
        ("add", "Other", "-a", "Someone", "--pages", BIG),
        ("add", "Other", "-a", "Someone", "--rating", BIG),
        ("goal", BIG),
        ("goal", "5", "--year", BIG),
        ("list", "--year", BIG),
        ("stats", "--year", BIG),
    ],
    ids=lambda args: " ".join(a if len(a) < 20 else "BIG" for a in args),
)
def test_a_number_of_5000_digits_is_one_line_and_changes_nothing(run, journal_home, args):
    from conftest import snapshot

    run("add", "Dune", "-a", "Frank Herbert")
    run("start", "dune")
    before = snapshot(journal_home / "books")
    result = run.runner.invoke(__import__("readlog.cli", fromlist=["app"]).app, list(args))
    assert result.exit_code in (1, 2), (result.exit_code, result.output)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    if result.stderr.startswith("readlog: error:"):  # readlog's own error: one line
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr[:500]
    else:  # a usage error, in Click's own shape, whose one error line does not write the number out
        assert len([line for line in result.stderr.splitlines() if "Error" in line]) == 1, result.stderr[:500]
    assert len(result.stderr) < 800, result.stderr[:900]  # the number is not written out
    assert snapshot(journal_home / "books") == before


@pytest.mark.parametrize("limit", ["9" * 30, "9" * 5000])
@pytest.mark.parametrize("command", [("list",), ("search", "dune"), ("next",)])
def test_a_huge_limit_means_everything_not_a_traceback(run, command, limit):
    run("add", "Dune", "-a", "Frank Herbert")
    result = run.runner.invoke(__import__("readlog.cli", fromlist=["app"]).app, [*command, "--limit", limit])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code in (0, 2)


def test_inbox_lines_with_huge_numbers_are_parked_with_a_reason_and_the_rest_is_filed(run, journal_home):
    run("add", "Dune", "-a", "Frank Herbert")
    run("start", "dune")
    lines = [
        f"progress: dune | {BIG}",
        f"progress: dune | {BIG}%",
        f"quote: dune | p. {BIG} | a line",
        f"abandon: dune | {BIG}",
        f"rate: dune | {BIG}",
        f"finish: dune | {BIG}",
        "reflect: dune | the one good line",
    ]
    (journal_home / "inbox.md").write_text("\n".join(lines) + "\n")
    result = run.runner.invoke(__import__("readlog.cli", fromlist=["app"]).app, ["inbox"])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    left = [line for line in result.output.splitlines() if line.startswith("inbox.md:")]
    assert [line.split(":")[1] for line in left] == ["1", "2", "3", "4", "5", "6"]
    assert all(len(line) < 400 for line in left)
    remaining = (journal_home / "inbox.md").read_text().splitlines()
    assert remaining == lines[:-1]  # parked, every one of them, word for word
    import tomllib

    book = tomllib.loads((journal_home / "books" / "dune.toml").read_text())
    assert [r["text"] for r in book["reflections"]] == ["the one good line"]
    assert book["status"] == "reading"


# --- 13. stray temp files, wherever readlog writes ---------------------------------------------------------
def test_check_lists_every_stray_temp_file_and_fix_keeps_text_that_is_nowhere_else(run, journal_home):
    run("add", "Dune", "-a", "Frank Herbert")
    (journal_home / "inbox.md").write_text("reflect: dune | kept line\n")
    strays = {
        journal_home / ".inbox.md.0a1b2c3d.tmp": "reflect: dune | kept line\n",  # its text is in inbox.md
        journal_home / "..inbox-filing.1a2b3c4d.tmp": "",  # empty
        journal_home / ".inbox.md.2b3c4d5e.tmp": "reflect: dune | a note only here\n",  # unique text
        journal_home / "books" / ".dune.toml.3c4d5e6f.tmp": 'title = "Dune"\n',
    }
    (journal_home / "covers").mkdir()
    strays[journal_home / "covers" / ".dune.jpg.4d5e6f70.tmp"] = ""
    for path, text in strays.items():
        path.write_text(text)
    listed = run("check", code=1).stdout
    for path in strays:
        assert path.name in listed, path.name
    fixed = run("check", "--fix")
    assert "no problems" in fixed.stderr or fixed.exit_code == 0
    assert not [p for p in strays if p.exists()]
    kept = [p.read_text() for p in (journal_home / "trash").iterdir()]
    assert "reflect: dune | a note only here\n" in kept
    assert "reflect: dune | kept line\n" not in kept
    assert (journal_home / "inbox.md").read_text() == "reflect: dune | kept line\n"


# --- 14. review --replace keeps the old review once ------------------------------------------------------
def test_review_replace_tried_again_keeps_one_copy_per_old_review(run, journal_home):
    run("add", "Dune", "-a", "Frank Herbert", "--review", "The first take.")
    from readlog.actions.books import ReviewText, set_review
    from readlog.journal import Journal
    from readlog.model import Book

    journal = Journal(journal_home)
    book = journal.load("dune").book
    for _ in range(5):  # what five runs killed between keeping the old review and writing the new do
        set_review(
            journal, Book(title=book.title, review=book.review), "dune", ReviewText(None, "never"), True
        )
    run("review", "dune", "The second take.", "--replace")
    run("review", "dune", "The third take.", "--replace")
    kept = sorted(p.read_text() for p in (journal_home / "trash").glob("dune.review.*.md"))
    assert (
        len(kept) == 2 and "The first take." in kept[0] + kept[1] and "The second take." in kept[0] + kept[1]
    )
