"""The daily loop's rough edges (session 33, t33j): a book read or given up with a reading still going on
(try-out 33b #21)."""

from __future__ import annotations

from pathlib import Path

import pytest

from test_sync_git import SLUG, Device, devices, git_env, remote  # noqa: F401

PIRANESI = "piranesi"


def test_a_start_there_and_a_dated_abandon_here_resolved_abandoned_is_named(devices):
    """Try-out 33b #21: a start on one device, a dated `abandon` on the other, the status resolved to
    `abandoned`: the started reading stayed open beside the stopped one, `show` said `2026-12-01 → now` and
    `check` was all good. `resolve` now says what to run, and `check` names it until it is done."""
    laptop, work = devices
    laptop("add", "Piranesi", "-a", "Susanna Clarke", "--status", "want")
    laptop("sync")
    work("sync")
    laptop("start", PIRANESI, "--date", "2026-12-01")
    work("abandon", PIRANESI, "--date", "2026-12-02")
    laptop("sync")
    work("sync", code=1)
    before = work("check", code=1).stdout
    assert "both devices changed status" in before and "has no end" not in before  # the reader chooses first
    result = work("resolve", PIRANESI, "status", "--ours")
    said = (
        "reads[1] of 'Piranesi' (started 2026-12-01) has no end while the book is abandoned: "
        "`readlog edit piranesi` and give it its stopped day"
    )
    assert result.stdout == "" and f"readlog: note: {said}" in result.stderr
    shown = " ".join(work("show", PIRANESI).stdout.replace("│", " ").split())
    assert "2026-12-01 → ?; ? → stopped 2026-12-02" in shown  # (was `→ now`: it is not read now)
    problems = work("check", code=1).stdout
    assert said in problems and "piranesi.toml:" in problems
    path = work.home / "books" / "piranesi.toml"
    path.write_text(
        path.read_text().replace("started = 2026-12-01\n", "started = 2026-12-01\nstopped = 2026-12-01\n", 1)
    )
    work("check")


def test_resolving_the_other_way_says_nothing_more(devices):
    laptop, work = devices
    laptop("add", "Piranesi", "-a", "Susanna Clarke", "--status", "want")
    laptop("sync")
    work("sync")
    laptop("start", PIRANESI, "--date", "2026-12-01")
    work("abandon", PIRANESI, "--date", "2026-12-02")
    laptop("sync")
    work("sync", code=1)
    result = work("resolve", PIRANESI, "status", "--theirs")  # reading: the reading goes on
    assert "note" not in result.stderr


def book_file(status: str, *reads: str) -> str:
    text = f'schema = 2\ntitle = "Piranesi"\nauthors = ["Susanna Clarke"]\nstatus = "{status}"\n'
    return text + "".join(f"\n[[reads]]\n{read}\n" for read in reads)


@pytest.mark.parametrize(
    "status, reads, named",
    [
        ("abandoned", ["started = 2026-12-01", "stopped = 2026-12-02"], [1]),
        ("abandoned", ["started = 2026-12-01\n[[reads.progress]]\npage = 40", "stopped = 2026-12-02"], [1]),
        ("abandoned", ["[[reads.progress]]\npage = 40\ndate = 2026-12-01", "stopped = 2026-12-02"], [1]),
        # near misses: what the house reads as over
        ("abandoned", ["started = 2026-12-01"], []),  # the last, given up on a day nobody wrote down
        ("abandoned", ["started = 2026-12-01", "started = 2026-12-05\nstopped = 2026-12-06"], []),  # again
        ("abandoned", ['format = "ebook"', "stopped = 2026-12-02"], []),  # never begun
        ("read", ["started = 2026-12-01", "finished = 2026-12-02"], []),  # read, on a day not written
        ("read", ["started = 2026-12-01"], []),
        ("reading", ["started = 2026-12-01", "stopped = 2026-11-02"], []),
        ("paused", ["started = 2026-12-01", "stopped = 2026-11-02"], []),
    ],
)
def test_check_names_a_reading_going_on_in_a_book_given_up(run, books, status, reads, named):
    books.mkdir(parents=True, exist_ok=True)
    (books / "piranesi.toml").write_text(book_file(status, *reads))
    out = run("check", code=1 if named else 0).stdout
    assert [n for n in (1, 2) if f"reads[{n}] of 'Piranesi'" in out] == named, out


# --- "did you mean" on a common word (try-out 33a #12) ---------------------------------------------------
@pytest.fixture
def shelf_of_books(run):
    for title, author in (
        ("Accelerated Piano Adventures: Lesson Book 1", "Nancy Faber"),
        ("The Book Thief", "Markus Zusak"),
        ("Book Lovers", "Emily Henry"),
        ("Dune", "Frank Herbert"),
    ):
        run("add", title, "-a", author)


@pytest.mark.parametrize(
    "query, offered",
    [
        ("nonexistent book xyz", []),  # shared only "book": nothing offered
        ("unknown novel of volume 3", []),
        # near misses: another word shared, or the words all common, still offer
        ("piano xyz book", ["accelerated-piano-adventures-lesson-book-1"]),
        ("thief xyz book", ["the-book-thief"]),
        ("books novel", ["accelerated-piano-adventures-lesson-book-1", "book-lovers", "the-book-thief"]),
    ],
)
def test_did_you_mean_offers_no_book_for_a_common_word_alone(run, shelf_of_books, query, offered):
    error = run("start", query, code=1).stderr
    slugs = ("accelerated-piano-adventures-lesson-book-1", "the-book-thief", "book-lovers", "dune")
    assert sorted(slug for slug in slugs if slug in error) == sorted(offered), error
    assert ("did you mean" in error) == bool(offered), error


def test_a_kobo_imported_again_says_only_its_count_line(run, tmp_path):
    """Try-out 33a #12: each re-import of one Kobo database said `Models: …: 1 duplicate collapsed, 38
    already here` (and a line for each other book) again, though nothing was done: the count line only."""
    import os
    import shutil

    if not os.environ.get("READLOG_TEST_HIGHLIGHTS"):
        pytest.skip("READLOG_TEST_HIGHLIGHTS (the real e-reader files) not set")
    kobo = Path(os.environ["READLOG_TEST_HIGHLIGHTS"]) / "kobo"
    path = tmp_path / "KoboReader.sqlite"
    shutil.copy(kobo / "KoboReader_trimmed_3books_highlights_notes_dogears.sqlite", path)
    first = run("import", str(path)).stderr
    assert "Models: Attract Women Through Honesty (new, reading): 38 highlights added" in first
    again = run("import", str(path)).stderr.splitlines()
    assert len(again) == 1, again
    assert again[0].startswith("kobo highlights: 0 added to 3 books (0 created)")
    assert "nothing new in 3 books (191 already here); 0 rejected" in again[0]


# --- search snippets: Markdown read as words (try-out 33b #10) -------------------------------------------
REVIEW = (
    "Opening words about the novel and its long winding plot.\n\n"
    "Setext heading about zebra\n==========================\n\n"
    "Some text after the setext heading.\n\n"
    "~~~python\n# not a heading: giraffe in a tilde fence\nprint('giraffe')\n~~~\n\n"
    "> ## quoted heading with pelican\n> quoted words\n\n"
    "- ## list item heading ostrich\n- plain item\n\n"
    "<h2>html heading okapi</h2>\n\n"
    "Second part\n-----------\n\nThe tapir sits.\n\n"
    "After a rule\n\n---\n\n- 3 - 2 = 1 in a list, yak\n* starred yak\n\n"
    "Closing #hashtag words and a lone # mark with narwhal."
)


@pytest.mark.parametrize(
    "word, shown, hidden",
    [
        ("zebra", "plot. Setext heading about zebra — Some text", "==="),
        ("tapir", "Second part — The tapir sits.", "----"),  # (a rule after a blank line stays)
        ("pelican", "quoted heading with pelican — quoted words", ">"),
        ("ostrich", "list item heading ostrich — plain item", "- "),
        ("okapi", "html heading okapi — Second part —", "<h2>"),
        ("giraffe", "# not a heading: giraffe in a tilde fence print('giraffe')", "~~~"),  # code as written
        ("yak", "3 - 2 = 1 in a list, yak starred yak", "* "),
        ("narwhal", "Closing #hashtag words and a lone # mark with narwhal.", "—"),  # (no heading here)
    ],
)
def test_a_snippet_reads_every_heading_as_words_and_drops_markers(run, word, shown, hidden):
    import json

    run("add", "Day Book", "-a", "A Writer", "--review", REVIEW)
    (hit,) = json.loads(run("search", word, "--json").stdout)
    flat = " ".join(hit["snippet"].replace("\ue000", "").replace("\ue001", "").split())
    assert shown in flat and hidden not in flat, flat


def test_a_window_ending_inside_an_html_heading_shows_its_words_only():
    from readlog.index.search import _headings_plain

    text = "Before.\n\n<h2>html heading okapi</h2>\nafter"
    assert _headings_plain(text, 0, text.index("okapi")) == "Before.\n\nhtml heading "
    assert _headings_plain(text, text.index("heading"), len(text)) == "heading okapi —\nafter"
    text = "> > - quoted list words\nmore"
    assert _headings_plain(text, text.index("list"), len(text)) == "list words\nmore"
    text = "a paragraph\n---\nafter"  # the underline at the window's start: its heading before the window
    assert _headings_plain(text, text.index("---"), len(text)) == "\nafter"
    text = "\n---\nafter"  # a rule, not an underline: kept
    assert _headings_plain(text, 1, len(text)) == "---\nafter"
