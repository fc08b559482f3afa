"""Session 30, the lead's own fixes, each with a test that fails on the old code."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

from conftest import snapshot
from test_s29_lead import _a_published_site

# `readlog site OUT`, killed outright (SIGKILL) in the instant between moving the reader's own entries of
# OUTDIR into the new site and swapping it in.
KILLED_BEFORE_SWAP = """import os, signal, sys
from readlog.exporters.site import build

def swap(staging, outdir, pages):
    os.kill(os.getpid(), signal.SIGKILL)

build._swap = swap
sys.argv = ["readlog", "site", sys.argv[1]]
from readlog.__main__ import main
main()
"""


def _killed_before_swap(out: Path) -> None:
    killed = subprocess.run([sys.executable, "-c", KILLED_BEFORE_SWAP, str(out)], capture_output=True)
    assert killed.returncode == -signal.SIGKILL, killed.stderr


def test_a_build_killed_before_its_swap_gives_the_readers_git_back_at_the_next_build(run, tmp_path) -> None:
    """Session 29 left alone: a `.git` in OUTDIR, moved into the new site just before the swap, was lost if
    readlog was killed outright in between: the next build deleted the unfinished site with it."""
    out = _a_published_site(run, tmp_path)
    (out / ".git").mkdir()
    (out / ".git" / "HEAD").write_text("ref: refs/heads/main\n", encoding="utf-8")
    (out / "CNAME").write_text("books.example.org\n", encoding="utf-8")
    run("add", "Dune", "-a", "Frank Herbert", "--finished", "2024-06-01", "--review", "Sand.")
    _killed_before_swap(out)
    (unfinished,) = (p for p in tmp_path.iterdir() if p.name.startswith(".site.building-"))
    assert (unfinished / ".git" / "HEAD").is_file() and not (out / ".git").exists()  # (the window)
    run("site", str(out))
    assert (out / ".git" / "HEAD").read_text(encoding="utf-8") == "ref: refs/heads/main\n"
    assert (out / "CNAME").read_text(encoding="utf-8") == "books.example.org\n"
    assert (out / "books" / "dune.html").is_file() and not unfinished.exists()
    assert not any((tmp_path / "cache" / "site-builds").iterdir())


def test_what_cannot_be_given_back_stays_where_it_is(run, tmp_path) -> None:
    """The near miss: the reader made a new `.git` in OUTDIR meanwhile. The killed build's one is neither
    put over it nor deleted: its unfinished site stays, for the reader, build after build."""
    out = _a_published_site(run, tmp_path)
    (out / ".git").mkdir()
    (out / ".git" / "HEAD").write_text("old\n", encoding="utf-8")
    run("add", "Dune", "-a", "Frank Herbert", "--finished", "2024-06-01", "--review", "Sand.")
    _killed_before_swap(out)
    (unfinished,) = (p for p in tmp_path.iterdir() if p.name.startswith(".site.building-"))
    (out / ".git").mkdir()
    (out / ".git" / "HEAD").write_text("new\n", encoding="utf-8")
    for _ in range(2):
        run("site", str(out))
        assert (unfinished / ".git" / "HEAD").read_text(encoding="utf-8") == "old\n"
        assert (out / ".git" / "HEAD").read_text(encoding="utf-8") == "new\n"
    before = snapshot(out)
    run("site", str(tmp_path / "other"))  # (another folder's build clears dead builds too)
    assert (unfinished / ".git" / "HEAD").is_file() and snapshot(out) == before


# --- try-out 30a #3, #4, #7: the site over the reader's folder, unreadable books, a symlinked OUTDIR -------


def test_the_refusal_names_what_force_deletes_of_a_folder_readlog_did_not_make(run, tmp_path) -> None:
    """Try-out 30a #3: a first `site --force` into the reader's folder deleted its README and drafts/ for
    good, after a refusal that only said "use --force to replace what is in it"."""
    run("add", "Piranesi", "-a", "Susanna Clarke", "--finished", "2024-05-01", "--review", "Tides.")
    pub = tmp_path / "pub"
    (pub / ".git").mkdir(parents=True)
    (pub / "drafts").mkdir()
    for name in ("README.md", "a.html", "b.html", "c.html"):
        (pub / name).write_text("mine\n", encoding="utf-8")
    (pub / "CNAME").write_text("ex.org\n", encoding="utf-8")
    before = snapshot(pub)
    said = run("site", str(pub), code=1).stderr
    assert "it deletes README.md, a.html, b.html and 2 more" in said and ".git and a CNAME are kept" in said
    assert said.strip().count("\n") == 0 and snapshot(pub) == before
    (pub / "a.html").unlink()
    said = run("site", str(pub), code=1).stderr
    assert "it deletes README.md, b.html, c.html and 1 more;" in said


def test_a_journal_none_of_whose_books_can_be_read_never_empties_the_site(run, tmp_path, journal_home):
    """Try-out 30a #4: conflict markers in every book file, and `site` published a site with no book pages
    ("2 book files left out", exit 0). Refused unless --force; with one readable book, the other's page is
    still refused (try-out 31a #4: t31g)."""
    run("add", "Piranesi", "-a", "Susanna Clarke", "--finished", "2024-05-01", "--review", "Tides.")
    run("add", "Dune", "-a", "Frank Herbert", "--finished", "2024-06-01", "--review", "Sand.")
    out = tmp_path / "site"
    run("site", str(out))
    before = snapshot(out)
    books = journal_home / "books"
    texts = {p: p.read_text(encoding="utf-8") for p in books.glob("*.toml")}
    for path, text in texts.items():
        path.write_text("<<<<<<< HEAD\n" + text + "=======\n>>>>>>> theirs\n", encoding="utf-8")
    said = run("site", str(out), code=1).stderr
    assert "not one of the 2 book files" in said and "take the 2 book pages out of" in said
    assert said.strip().count("\n") == 0 and snapshot(out) == before
    (books / "dune.toml").write_text(texts[books / "dune.toml"], encoding="utf-8")  # (a near miss: one reads)
    assert "(books/piranesi.html); use --force" in run("site", str(out), code=1).stderr
    run("site", str(out), "--force")
    assert (out / "books" / "dune.html").is_file() and not (out / "books" / "piranesi.html").exists()


def test_a_symlink_to_the_site_folder_is_built_through(run, tmp_path) -> None:
    """Try-out 30a #7: `site link`, where link -> www, said "link is not a folder"; the site is built into
    www, and the link stays a link."""
    run("add", "Piranesi", "-a", "Susanna Clarke", "--finished", "2024-05-01", "--review", "Tides.")
    www = tmp_path / "www"
    www.mkdir()
    link = tmp_path / "link"
    link.symlink_to(www)
    run("site", str(link))
    run("site", str(link))
    assert link.is_symlink() and (www / "books" / "piranesi.html").is_file()
    dangling = tmp_path / "gone"
    dangling.symlink_to(tmp_path / "nowhere")
    assert "is not a folder" in run("site", str(dangling), code=1).stderr


# --- review 29d #3: a reader's own private-use characters in a search snippet ------------------------------


def test_a_snippet_keeps_the_readers_own_private_use_characters(run) -> None:
    """Search's snippet marks are private-use characters (U+E000, U+E001; U+E002 stood for a note): a review
    holding them (an import keeps them, session 29) lost them in its snippet, and a script's highlight
    offsets pointed at the wrong words."""
    import json

    review = "Glyphs \ue000a\ue001 and \ue002b\ue003 then the sea rose."
    run("add", "Tides", "-a", "Ann Author", "--review", review)
    (hit,) = json.loads(run("search", "sea", "--json").stdout)
    assert hit["snippet"] == review
    ((start, end),) = hit["highlights"]
    assert hit["snippet"][start:end] == "sea"
    tsv = run("search", "sea", "--format", "tsv").stdout
    assert review in tsv


# --- try-out 30a #5: a read book being read again, or paused or given up since, is still a read book -------


def test_a_read_book_started_again_keeps_its_rating_names_and_shelf(run, tmp_path) -> None:
    """All-time `stats` left its rating, author and tag out (`stats --year 2023` had them), and the site's
    shelves said "Nothing finished yet" while the 2023 page listed it; paused, it was on no shelf."""
    import json

    run("add", "Alpha", "-a", "A Writer", "--status", "read", "--started", "2023-01-01",
        "--finished", "2023-02-01", "--rating", "4", "--tag", "scifi")  # fmt: skip
    run("add", "Beta", "-a", "B Writer", "--status", "read", "--finished", "2022-05-01", "--rating", "2")
    run("add", "Gamma", "-a", "A Writer", "--status", "want", "--tag", "scifi")  # (wanted: never counted)
    run("start", "alpha", "--date", "2025-03-01")
    for command in ([], ["pause", "alpha"], ["abandon", "alpha"]):
        if command:
            run(*command)
        stats = json.loads(run("stats", "--json").stdout)
        assert stats["ratings"] == {"2": 1, "4": 1}, command
        assert stats["top_authors"] == [{"name": "A Writer", "books": 1}, {"name": "B Writer", "books": 1}]
        assert stats["top_tags"] == [{"tag": "scifi", "books": 1}]
        out = tmp_path / "site"
        run("site", str(out), "--all")
        shelves = (out / "shelves.html").read_text(encoding="utf-8")
        assert "Nothing finished yet" not in shelves and shelves.count("Alpha") == (2 if not command else 1)
        assert (
            shelves.count('id="alpha"') == 1
        )  # (one place on the shelves: the reading shelf's, then the read)
        assert ">2023</a></h3>" in shelves


# --- review 30c #1-#4: the reader's things in OUTDIR, when a move fails, a Ctrl-C comes, a build is killed --


def _readers_things(out: Path) -> None:
    (out / ".git").mkdir()
    (out / ".git" / "unpushed").write_text("precious\n", encoding="utf-8")
    (out / "CNAME").write_text("ex.org\n", encoding="utf-8")
    for name in ("a-notes", "b-notes", "c-notes"):
        (out / name).mkdir()
        (out / name / "n.md").write_text(name + "\n", encoding="utf-8")


def test_one_thing_that_cannot_be_moved_stops_the_build_and_deletes_nothing(run, tmp_path, monkeypatch):
    """Review 30c #1 (older than this session): the first entry that could not be moved into the new site (a
    folder the reader may not move, a mount point) ended the loop, and every entry after it was deleted with
    the old site, exit 0."""
    import errno
    import os

    out = _a_published_site(run, tmp_path)
    _readers_things(out)
    run("add", "Dune", "-a", "Frank Herbert", "--finished", "2024-06-01", "--review", "Sand.")
    before = snapshot(out)
    rename = os.rename

    def refusing(source, target, *args, **kwargs):
        if str(source).endswith("b-notes") and ".building-" in str(target):
            raise PermissionError(errno.EACCES, "Permission denied")
        return rename(source, target, *args, **kwargs)

    monkeypatch.setattr(os, "rename", refusing)
    said = run("site", str(out), code=1).stderr
    assert "cannot move" in said and "b-notes" in said and said.strip().count("\n") == 0
    monkeypatch.setattr(os, "rename", rename)
    assert snapshot(out) == before and [p.name for p in tmp_path.iterdir() if ".building-" in p.name] == []


def test_a_stop_among_the_moves_puts_back_what_was_moved(run, tmp_path, monkeypatch) -> None:
    """Review 30c #2: a Ctrl-C (or SIGTERM) while the reader's entries were being moved sent the ones moved
    already to the trash with the unfinished site, and said OUTDIR "is as it was"."""
    import os

    out = _a_published_site(run, tmp_path)
    _readers_things(out)
    run("add", "Dune", "-a", "Frank Herbert", "--finished", "2024-06-01", "--review", "Sand.")
    before = snapshot(out)
    rename, calls = os.rename, []

    def stopped(source, target, *args, **kwargs):
        if ".building-" in str(target):
            calls.append(source)
            if len(calls) == 3:
                raise KeyboardInterrupt
        return rename(source, target, *args, **kwargs)

    monkeypatch.setattr(os, "rename", stopped)
    run("site", str(out), code=130)
    assert snapshot(out) == before


def test_a_killed_builds_leftover_gives_back_whatever_cache_or_path_the_next_build_goes_by(run, tmp_path):
    """Review 30c #3: the word of what a killed build had moved was in its mark, in the cache dir, under the
    path it was given: a build with another cache dir, or after the folder holding OUTDIR was moved, deleted
    the leftover with the reader's .git in it. The leftover now holds that word itself."""
    base = tmp_path / "a"
    base.mkdir()
    out = _a_published_site(run, base)
    _readers_things(out)
    run("add", "Dune", "-a", "Frank Herbert", "--finished", "2024-06-01", "--review", "Sand.")
    _killed_before_swap(out)
    moved = tmp_path / "moved"
    base.rename(moved)
    other_cache = {"READLOG_CACHE": str(tmp_path / "other-cache")}
    run("site", str(moved / "site"), env=other_cache)
    site = moved / "site"
    assert (site / ".git" / "unpushed").read_text(encoding="utf-8") == "precious\n"
    assert (site / "b-notes" / "n.md").is_file() and (site / "books" / "dune.html").is_file()
    assert [p.name for p in moved.iterdir() if ".building-" in p.name] == []
    assert not (site / ".readlog-kept").exists()


def test_a_leftover_kept_for_the_reader_is_named(run, tmp_path) -> None:
    """Review 30c #4: a leftover holding what could not be given back was kept silently, build after build."""
    out = _a_published_site(run, tmp_path)
    (out / ".git").mkdir()
    run("add", "Dune", "-a", "Frank Herbert", "--finished", "2024-06-01", "--review", "Sand.")
    _killed_before_swap(out)
    (out / ".git").mkdir()
    said = run("site", str(out)).stderr
    (unfinished,) = (p for p in tmp_path.iterdir() if p.name.startswith(".site.building-"))
    assert f"{unfinished} holds .git of yours" in said and "move it by hand" in said


def test_a_snippet_never_cuts_an_escaped_character_nor_marks_inside_one(run) -> None:
    """Review 30c #5, #6: a snippet window starting between the two characters of an escaped U+E000 showed
    it as U+E010; a title holding U+E000 and U+E010 was marked on the escaped text, a match shown inside
    the pair and the reader's U+E000 shown as U+E010."""
    import json

    review = "a" * 10 + "\ue000" + "b" * 58 + "-spice end"
    run("add", "Emma", "-a", "Jane Austen", "--review", review)
    (hit,) = json.loads(run("search", "spice", "--json").stdout)
    assert "\ue010" not in hit["snippet"] and hit["snippet"].endswith("-spice end")
    title = "Stars \ue000★\ue010"
    run("add", title, "-a", "Ann Star")
    for query, match in (("\ue000★", "\ue000★"), ("\ue010", "\ue010")):
        hits = json.loads(run("search", query, "--json").stdout)
        (found,) = (h for h in hits if h["title"] == title)
        assert found["snippet"].startswith(title)
        assert [found["snippet"][a:b] for a, b in found["highlights"]] == [match]


def test_a_pick_of_a_volume_keeps_its_place_when_the_bare_title_names_another(run, books, tmp_path) -> None:
    """Review 30d F1 (t30h stored a pick under its journal book's title): `next add "Saga #3" --from
    piranesi` beside Saga #1 (read) and #3 (wanted), both titled *Saga*, stored `Saga`, which the queue took
    for the read #1: the pick vanished from `next`. A bare title naming another volume is never stored."""
    header = (
        "Book Id,Title,Author,Author l-f,Additional Authors,ISBN,ISBN13,My Rating,Average Rating,Publisher,"
        "Binding,Number of Pages,Year Published,Original Publication Year,Date Read,Date Added,Bookshelves,"
        "Bookshelves with positions,Exclusive Shelf,My Review,Spoiler,Private Notes,Read Count,Owned Copies"
    )
    rows = (
        '1,"Saga (Saga, #1)",Brian K. Vaughan,"Vaughan, Brian K.",,,,4,4,,,160,2012,2012,2020/01/01,'
        "2019/12/01,,,read,,,,1,0",
        '3,"Saga (Saga, #3)",Brian K. Vaughan,"Vaughan, Brian K.",,,,0,4,,,144,2014,2014,,2019/12/01,'
        "to-read,to-read (#1),to-read,,,,0,0",
        '5,Piranesi,Susanna Clarke,"Clarke, Susanna",,,,5,4,,,272,2020,2020,2021/02/02,2021/01/01,,,read,,,,1,0',
    )
    export = tmp_path / "saga.csv"
    export.write_text("\n".join((header, *rows)) + "\n", encoding="utf-8")
    run("import", str(export))
    run("next", "add", "Saga #3", "--from", "piranesi")
    assert 'title = "Saga #3"' in (books / "piranesi.toml").read_text(encoding="utf-8")
    listed = run("next", "--format", "tsv").stdout
    assert any(line.startswith("Saga") and "piranesi" in line for line in listed.splitlines()), listed


def test_a_want_book_read_before_is_on_the_read_shelf_as_stats_count_it(run, tmp_path) -> None:
    """Review 30b #1: a Goodreads to-read row with a Date Read and Read Count 2 (read, and shelved to read
    again) was counted by stats and listed on its year's page, but the read shelf said "Nothing finished
    yet"; it keeps its one anchor on the want shelf."""
    header = (
        "Book Id,Title,Author,Author l-f,Additional Authors,ISBN,ISBN13,My Rating,Average Rating,Publisher,"
        "Binding,Number of Pages,Year Published,Original Publication Year,Date Read,Date Added,Bookshelves,"
        "Bookshelves with positions,Exclusive Shelf,My Review,Spoiler,Private Notes,Read Count,Owned Copies"
    )
    row = (
        '1,Reread Me,Rita Reader,"Reader, Rita",,,,4,4.0,P,Paperback,200,2010,2010,2021/05/01,2020/01/01,'
        "to-read,to-read (#1),to-read,,,,2,0"
    )
    export = tmp_path / "gr.csv"
    export.write_text(header + "\n" + row + "\n", encoding="utf-8")
    run("import", str(export))
    out = tmp_path / "site"
    run("site", str(out), "--all")
    shelves = (out / "shelves.html").read_text(encoding="utf-8")
    assert "Nothing finished yet" not in shelves and shelves.count("Reread Me") == 2
    assert shelves.count('id="reread-me"') == 1 and ">2021</a></h3>" in shelves


def test_finish_after_a_given_up_reread_never_dates_the_reading_of_an_unknown_day(run, books) -> None:
    """Review 30b #2 (older than this session): a book read on a day nobody wrote down (with or without its
    start), started again and given up, then `finish`ed: the old reading was finished today (a seven-year
    reading, out of `undated` and into this year's count). The finish is a reading of its own."""
    import json

    for title, dates in (("Lambda", ["--started", "2020-01-01"]), ("Nu", [])):
        run("add", title, "--author", "Lam Bda", "--status", "read", *dates)
        run("start", title)
        run("abandon", title)
        run("--no-input", "finish", title)
        text = (books / f"{title.lower()}.toml").read_text(encoding="utf-8")
        assert text.count("finished = ") == 1 and text.count("stopped = ") == 1, text
    stats = json.loads(run("stats", "--json").stdout)
    assert stats["rereads"] == 2 and stats["undated_readings"] == 2  # (each: one day unknown, one today)


def test_checks_notes_share_one_parenthesis(run, tmp_path) -> None:
    """Review 30b #3: `all good (1 maybe the same book) (1 title naming two files: give the slug)`."""
    export = tmp_path / "sg.csv"
    export.write_text(
        "Title,Authors,Contributors,ISBN/UID,Format,Read Status,Date Added,Last Date Read,Dates Read,"
        "Read Count,Star Rating,Review,Tags,Owned?\n"
        "Poems,,,9780140424638,paperback,read,2023/01/05,2023/03/01,2023/03/01,1,3.0,,,No\n"
        "Poems,Emily Dickinson,,9780316769488,paperback,read,2024/01/05,2024/02/01,2024/01/10-2024/02/01,1,"
        "4.0,Her review,,No\n",
        encoding="utf-8",
    )
    run("import", str(export))
    said = run("check").stderr
    assert "all good (1 maybe the same book; 1 title naming two files: give the slug)" in said, said


def test_the_books_read_otherwise_are_asked_once_per_stats_and_again_after_a_change(run, journal_home):
    """Re-reading session 30's change: stats asked the index for the read books whose status is not read once
    each for the ratings, the authors and the tags (13 ms each at 100,000 books); an answer kept past a
    change would leave a book out."""
    from readlog.index import Index
    from readlog.journal import BookLoader, Journal

    run("add", "Alpha", "-a", "A Writer", "--status", "read", "--finished", "2023-02-01", "--rating", "4")
    run("start", "alpha", "--date", "2025-03-01")
    index = Index(Journal(journal_home).books_dir, BookLoader(journal_home), None)
    index.sync()
    asked: list[str] = []
    index.db.set_trace_callback(lambda sql: asked.append(sql) if "IS NOT 'read'" in sql else None)
    for _ in range(2):
        assert index.rating_counts(None) == [(4.0, 1)]
        assert index.name_counts("author", None) == [("A Writer", 1)]
    assert len(asked) == 1
    index.db.execute("DELETE FROM book_reads")  # (a change: asked again, and the book is gone)
    assert index.rating_counts(None) == [] and len(asked) == 2
