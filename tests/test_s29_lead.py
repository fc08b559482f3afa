"""Session 29's lead fixes: each test fails on the code before it."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import snapshot


@pytest.mark.parametrize(
    ("args", "what"),
    [
        (["tags"], "count"),
        (["recall"], "recall"),
        (["series"], "list"),
        (["next", "--suggest"], "suggest"),
    ],
)
def test_commands_over_the_whole_journal_refuse_a_missing_folder(run, tmp_path: Path, args, what) -> None:
    """A mistyped $READLOG_HOME made `tags` print nothing, `recall`/`series`/`next --suggest` say there was
    nothing yet, exit 0: an empty journal, where `show`, `stats` and `search` say there is none. One line,
    exit 1, nothing made."""
    env = {"READLOG_HOME": str(tmp_path / "nowhere")}
    refused = run(*args, code=1, env=env)
    assert refused.stdout == ""
    assert refused.stderr.strip().count("\n") == 0
    assert f"{tmp_path / 'nowhere'}, which does not exist: nothing to {what}" in refused.stderr
    assert not (tmp_path / "nowhere").exists()


def test_site_from_a_mistyped_journal_leaves_the_published_site_alone(run, tmp_path: Path) -> None:
    """`READLOG_HOME=/typo readlog site OUT` built an empty journal's site over OUT: a 470-file blog became
    10 files, exit 0. It is refused in one line, and OUT is as it was."""
    run(
        "add", "Piranesi", "-a", "Susanna Clarke", "--finished", "2024-05-01", "--review", "A house of tides."
    )
    out = tmp_path / "site"
    run("site", str(out))
    before = snapshot(out)
    assert any("piranesi" in name for name in before)
    refused = run("site", str(out), code=1, env={"READLOG_HOME": str(tmp_path / "typo")})
    assert "which does not exist: nothing to publish" in refused.stderr
    assert refused.stderr.strip().count("\n") == 0
    assert snapshot(out) == before


# --- try-out 29a #1: an import undid the reader's merge of two rows the file keeps apart ---------------------

GR_HEAD = (
    "Book Id,Title,Author,ISBN,ISBN13,My Rating,Exclusive Shelf,Date Added,Date Read,Read Count,My Review"
)
LEO = "111,War and Peace,Leo Tolstoy,,,5,read,2021/05/01,2023/03/01,1,Leo review"
LEV = "222,War and Peace,Lev Tolstoy,,,4,read,2022/07/03,2022/09/01,1,Lev review"
SG_HEAD = (
    "Title,Authors,Contributors,ISBN/UID,Format,Read Status,Date Added,Last Date Read,Dates Read,Read Count,"
    "Star Rating,Review,Tags,Owned?"
)
DICKINSON = (
    "Poems,Emily Dickinson,,9780316769488,paperback,read,2024/01/05,2024/02/01,2024/01/10-2024/02/01,1,4.0,"
    "Dickinson review,,No"
)
NO_AUTHOR = "Poems,,,9780140424638,paperback,read,2024/01/05,,,1,,,,No"


def _export(tmp_path: Path, name: str, *lines: str) -> Path:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("update", [False, True], ids=["plain", "update"])
@pytest.mark.parametrize(
    ("name", "lines", "keep", "other"),
    [
        ("goodreads_library_export.csv", (GR_HEAD, LEO, LEV), "war-and-peace", "war-and-peace-tolstoy"),
        ("storygraph.csv", (SG_HEAD, DICKINSON, NO_AUTHOR), "poems.toml", "poems-2"),
    ],
    ids=["goodreads-book-id", "storygraph-isbn"],
)
def test_a_row_the_reader_merged_is_not_added_again(run, books, tmp_path, update, name, lines, keep, other):
    """Two rows of one export with one title, by a name spelled two ways or with no author, are two books
    and a maybe, named. The reader merges them as `check` advises; the same export again added the merged
    book back ("1 added") on every import, and a year's count with it: the kept book holds that row's Book
    Id or ISBN (its editions), so the row is already here, and nothing is said to be kept apart; `--update`
    wrote the merged row's rating, date, readings and review over the kept book's (review 29a #1): its values
    are an edition's, and change nothing."""
    path = _export(tmp_path, name, *lines)
    assert "2 added" in run("import", str(path)).stderr
    run("merge", keep, other, "--force")
    before = snapshot(books)
    for _ in range(2):
        said = run("import", *(["--update"] if update else []), str(path)).stderr
        assert "0 added" in said and "kept apart" not in said and "may be" not in said, said
    assert snapshot(books) == before  # (byte for byte: --update wrote the other row's values over it)
    assert len(list(books.glob("*.toml"))) == 1


def test_a_row_kept_apart_from_the_readers_own_book_is_still_its_own_book(run, books, tmp_path):
    """The near miss: the reader's own *War and Peace* by Leo Tolstoy (no import record) is row 111's book;
    row 222, by Lev Tolstoy, is kept apart from row 111 and is never written into it (nothing of 222's is
    there): its own book, said, as before."""
    run("add", "War and Peace", "-a", "Leo Tolstoy", "--finished", "2023-03-01")
    path = _export(tmp_path, "goodreads_library_export.csv", GR_HEAD, LEO, LEV)
    said = run("import", str(path)).stderr
    assert "1 added" in said and "kept apart from it, as two books" in said, said
    assert len(list(books.glob("*.toml"))) == 2


# --- try-out 29a #4: the site called an abandoned or unfinished book "Read" ----------------------------------


def _readings_row(page: str) -> str:
    import re

    seen = re.findall(r"<dt>([^<]*)</dt><dd>([^<]*)</dd>", page)
    return next((f"{t}: {d}" for t, d in seen if "started" in d or "finished" in d), "")


def test_a_book_page_says_reading_and_abandoned_as_show_does(run, books, tmp_path):
    """A book given up and one being read were each "Read: started 7 December 2026" on their public page,
    where `show` says "Abandoned: ... → stopped ..." and "Reading: ... → now": a page saying a book was read
    when it was not. The label is show's (reading.readings_label) for one reading too, and a reading given up
    says when it stopped; an abandoned re-read lists its stop (the template and bookpage.py alike:
    tests/test_site_bookpage.py draws readings with both dates)."""
    run("add", "Quitter", "-a", "Q", "--status", "reading", "--started", "2026-11-02")
    run("abandon", "quitter", "--date", "2026-11-20")
    run("add", "Now Reading", "-a", "N", "--status", "reading", "--started", "2026-11-03")
    run("add", "Again", "-a", "A", "--finished", "2020-01-01")
    run("start", "again", "--date", "2026-11-04")
    run("abandon", "again", "--date", "2026-11-21")
    run("site", str(tmp_path / "site"), "--all")
    pages = tmp_path / "site" / "books"
    assert _readings_row((pages / "quitter.html").read_text()) == (
        "Abandoned: started 2 November 2026, stopped 20 November 2026"
    )
    assert _readings_row((pages / "now-reading.html").read_text()) == "Reading: started 3 November 2026"
    assert _readings_row((pages / "again.html").read_text()) == (
        "2 readings: finished 1 January 2020; started 4 November 2026, stopped 21 November 2026"
    )


# --- review 29b: the site over a mistyped journal folder; the reader's own files in OUTDIR ------------------


def _a_published_site(run, tmp_path: Path) -> Path:
    run(
        "add", "Piranesi", "-a", "Susanna Clarke", "--finished", "2024-05-01", "--review", "A house of tides."
    )
    out = tmp_path / "site"
    run("site", str(out))
    return out


def test_an_empty_journal_folder_never_replaces_a_site_with_book_pages(run, tmp_path: Path) -> None:
    """Review 29b #1: `--data-dir` naming a folder that exists but holds no journal (an empty folder, a
    parent folder) built an empty site over the published one, exit 0. Refused in one line; `--force`
    publishes it empty, as asked; a new empty journal into a new folder still builds."""
    out = _a_published_site(run, tmp_path)
    before = snapshot(out)
    wrong = tmp_path / "wrong"
    wrong.mkdir()
    refused = run("--data-dir", str(wrong), "site", str(out), code=1)
    assert "holds no books: building would take the 1 book pages out of" in refused.stderr
    assert refused.stderr.strip().count("\n") == 0 and snapshot(out) == before
    run("--data-dir", str(wrong), "site", str(out), "--force")
    assert not any(name.startswith("books/") for name in snapshot(out))
    run("--data-dir", str(wrong), "site", str(tmp_path / "fresh"))  # (no book pages to lose)


def test_a_rebuild_keeps_what_the_reader_keeps_in_the_site_folder(run, tmp_path: Path, journal_home) -> None:
    """Review 29b #2, older than this session: a `.git` (to publish the site) and a `CNAME` in OUTDIR were
    deleted by the next build that changed a page (the old site swapped out whole). They are moved into the
    new site; readlog's own pages of the old site that the new one has not (a deleted book's) still go."""
    out = _a_published_site(run, tmp_path)
    (out / ".git").mkdir()
    (out / ".git" / "HEAD").write_text("ref: refs/heads/main\n", encoding="utf-8")
    (out / "CNAME").write_text("books.example.org\n", encoding="utf-8")
    run("add", "Dune", "-a", "Frank Herbert", "--finished", "2024-06-01", "--review", "Sand.")
    run("site", str(out))
    assert (out / ".git" / "HEAD").read_text(encoding="utf-8") == "ref: refs/heads/main\n"
    assert (out / "CNAME").read_text(encoding="utf-8") == "books.example.org\n"
    assert (out / "books" / "dune.html").is_file()
    (journal_home / "books" / "piranesi.toml").unlink()
    run("site", str(out))
    assert not (out / "books" / "piranesi.html").exists() and (out / "CNAME").is_file()


@pytest.mark.parametrize("args", [["tags"], ["recall"], ["series"], ["next", "--suggest"]])
def test_a_new_users_default_folder_is_an_empty_answer_not_an_error(run, tmp_path: Path, args) -> None:
    """Review 29b #4: the refusal above is for a folder somebody named; a brand-new user's default data
    folder (no --data-dir, no $READLOG_HOME) gives these commands an empty answer, exit 0, as before."""
    env = {"READLOG_HOME": "", "XDG_DATA_HOME": str(tmp_path / "share"), "HOME": str(tmp_path)}
    result = run(*args, env=env)
    assert "error" not in result.stderr
    assert not (tmp_path / "share" / "readlog").exists()


def test_a_first_build_into_a_git_clone_keeps_its_git(run, tmp_path: Path) -> None:
    """Review 29d #2: publishing into a clone of the site's repository was refused ("not a readlog site"),
    and the `--force` it advised deleted `.git`. A folder holding only dot-entries and a CNAME is an empty
    one for a first build, and they are kept; `--force` over other files keeps them too."""
    run("add", "Piranesi", "-a", "Susanna Clarke", "--finished", "2024-05-01", "--review", "Tides.")
    clone = tmp_path / "clone"
    (clone / ".git").mkdir(parents=True)
    (clone / ".git" / "HEAD").write_text("ref: refs/heads/main\n", encoding="utf-8")
    (clone / "CNAME").write_text("books.example.org\n", encoding="utf-8")
    run("site", str(clone))
    assert (clone / ".git" / "HEAD").is_file() and (clone / "CNAME").is_file()
    assert (clone / "books" / "piranesi.html").is_file()
    other = tmp_path / "other"
    (other / ".git").mkdir(parents=True)
    (other / "old.html").write_text("<p>old</p>\n", encoding="utf-8")
    assert "not a readlog site" in run("site", str(other), code=1).stderr
    run("site", str(other), "--force")
    assert (other / ".git").is_dir() and not (other / "old.html").exists()


def test_a_build_failing_as_it_swaps_leaves_the_readers_files_in_outdir(run, tmp_path, monkeypatch) -> None:
    """Review 29d #1: what the reader keeps in OUTDIR is moved into the new site before it is swapped in;
    a build stopped or failing before the swap puts it back, so OUTDIR is as it was."""
    import errno

    from readlog.exporters.site import build

    out = _a_published_site(run, tmp_path)
    (out / ".git").mkdir()
    (out / "CNAME").write_text("books.example.org\n", encoding="utf-8")
    before = snapshot(out)
    run("add", "Dune", "-a", "Frank Herbert", "--finished", "2024-06-01", "--review", "Sand.")

    def fails(staging, outdir, pages):
        raise OSError(errno.EIO, "input/output error")

    monkeypatch.setattr(build, "_swap", fails)
    run("site", str(out), code=1)
    assert snapshot(out) == before and (out / ".git").is_dir()


def test_a_want_books_undated_reading_is_not_called_reading(run, books, tmp_path: Path) -> None:
    """Review 29c #2: a Goodreads to-read row with Read Count 1 made `show` say "Reading: date unknown" of a
    book the reader is not reading (58a06ab: "Read", which stats never counted). It is "1 reading"; a reading
    begun, or a book being read, is still "Reading"."""
    path = _export(
        tmp_path,
        "goodreads_library_export.csv",
        GR_HEAD,
        "5,Soft Skills,John Sonmez,,,0,to-read,2021/05/01,,1,",
    )
    run("import", str(path))
    shown = run("show", "soft-skills").stdout
    assert "1 reading: date unknown" in shown and "Reading:" not in shown
    run("add", "Now", "-a", "N", "--status", "reading")
    assert "Reading:" in run("show", "now").stdout


def _in_series(books: Path, slug: str, series: str) -> None:
    path = books / f"{slug}.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("status = ", f'series = [{{name = "{series}", number = "1"}}]\nstatus = ', 1)
    )


@pytest.mark.parametrize("typed", ["Dune #2", "Dune, Vol. 2", "Dune, Book 2"])
def test_a_place_typed_never_names_a_book_placed_in_a_series_named_otherwise(run, books, typed) -> None:
    """Review 29e #1 (t29h widened it to every way of writing a place): `progress "Dune #2" 40%` wrote to
    *Dune*, placed as Dune Chronicles #1 (a series named otherwise than its title), where 58a06ab refused.
    `Dune #2` names no place in Dune Chronicles: refused with a "did you mean", nothing written."""
    run("add", "Dune", "-a", "Frank Herbert", "--status", "reading")
    _in_series(books, "dune", "Dune Chronicles")
    before = snapshot(books)
    refused = run("progress", typed, "40%", code=1)
    assert f"no book in the journal is {typed!r}" in refused.stderr
    assert snapshot(books) == before
    assert "at 40%" in run("progress", "Dune", "40%").stderr  # (its own title still names it)


def test_a_clipping_of_a_numbered_title_never_joins_a_book_of_another_series(run, books, tmp_path) -> None:
    """Review 29e #2: a Kindle clipping of *Symphony No. 9* was filed on the journal's *Symphony* (Symphonies
    #1): `No. 9` read as a place in a series *Symphony*, which that book is not in. Its own book, a maybe."""
    run("add", "Symphony", "-a", "Ann Author")
    _in_series(books, "symphony", "Symphonies")
    clippings = tmp_path / "My Clippings.txt"
    clippings.write_text(
        "\ufeffSymphony No. 9 (Ann Author)\r\n- Your Highlight on Location 10-12 | Added on Monday, March 3, 2025"
        " 10:00:00 AM\r\n\r\nA line.\r\n==========\r\n",
        encoding="utf-8",
    )
    said = run("import", str(clippings)).stderr
    assert (
        "Symphony No. 9: may be the same book as symphony (Symphony by Ann Author): kept as its own" in said
    )
    assert "A line." not in (books / "symphony.toml").read_text(encoding="utf-8")
