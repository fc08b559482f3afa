"""Session 32, t32d: a value added to an existing table goes where a new file has it, so a JSON backup
restores the book byte for byte (try-out 31c #6); sync's count of merged files and its conflict line (31c
#7); check's words and keeper for a book a device's highlights made (31b #4)."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

from readlog import bookfile
from test_import_export import GR_HEADER, SG_HEADER, gr_row, sg_row, write_csv
from test_sync_git import SLUG, devices, git_env, remote  # noqa: F401 (fixtures)

SHARED = Path(os.environ.get("READLOG_TEST_IMPORTS") or Path(__file__).parents[2] / "shared/fixtures/imports")


def _restored(run, tmp_path: Path, books: Path) -> dict[str, bytes]:
    """Every book file of the journal and of a JSON backup of it restored into an empty journal."""
    backup = tmp_path / "backup.json"
    run("export", "--format", "json", "-o", str(backup))
    fresh = tmp_path / "fresh"
    run("--data-dir", str(fresh), "import", str(backup))
    return {p.name: p.read_bytes() for p in sorted((fresh / "books").glob("*.toml"))}


def _files(books: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(books.glob("*.toml"))}


# --- try-out 31c #6: a value a second app's import adds went under the file's last value ------------------
def test_values_a_second_apps_import_adds_go_where_a_new_file_has_them(run, books, tmp_path):
    darkness = {"Title": "The Left Hand of Darkness", "Date Added": "2021/03/04"}
    sg = sg_row(**darkness, Authors="Ursula K. Le Guin", Tags="sf", **{"ISBN/UID": "9780441478125"})
    run("import", str(write_csv(tmp_path / "sg.csv", SG_HEADER, [sg])))
    gr = gr_row(**darkness, Author="Ursula K. Le Guin", ISBN13='="9780441478125"', My_Rating="5",
                Number_of_Pages="304", Year_Published="1969", Date_Read="2021/05/06")  # fmt: skip
    run("import", "--update", str(write_csv(tmp_path / "gr.csv", GR_HEADER, [gr])))
    text = (books / "the-left-hand-of-darkness.toml").read_text(encoding="utf-8")
    top = text.split("\n\n")[0].splitlines()
    assert [line.split(" = ")[0] for line in top] == [
        "schema", "title", "authors", "status", "rating", "tags", "year", "isbn", "pages", "added"
    ]  # fmt: skip
    assert text == bookfile.dumps(bookfile.parse(text, "x.toml"))
    assert _restored(run, tmp_path, books) == _files(books)


HAND = """\
# written by hand
title = "Hand Made"
authors = ["Ann Hand"]
added = 2025-01-02   # my own order: added before the status
status = "reading"
tags = [
  "craft",  # first tag
]
# my shelf
shelf = "study"

[[reads]]
# when I began
started = 2025-11-01
mood = "calm"   # my own key
"""


def test_a_value_added_to_a_hand_written_file_moves_nothing_the_reader_wrote(run, books):
    books.mkdir(parents=True, exist_ok=True)
    (books / "hand-made.toml").write_text(HAND, encoding="utf-8")
    run("rate", "hand-made", "4")
    run("finish", "hand-made", "--date", "2025-12-01")
    after = (books / "hand-made.toml").read_text(encoding="utf-8")
    assert after == (
        HAND.replace('status = "reading"\n', 'status = "read"\nrating = 4\n').replace(
            "started = 2025-11-01\n", "started = 2025-11-01\nfinished = 2025-12-01\n"
        )
    )


READING = """\
schema = 2
title = "A Reading"
authors = ["A. Writer"]
status = "reading"

[[reads]]
# my comment over the format
format = "ebook"
"""


DATED = "started = 2025-01-02\nfinished = 2025-02-03\n"


@pytest.mark.parametrize(
    ("reading", "after"),
    [
        # no key before them: right above the first after them, the comment under the header kept there
        (READING, READING.replace('format = "ebook"\n', DATED + 'format = "ebook"\n')),
        (
            READING.replace('format = "ebook"\n', 'format = "ebook"\nmood = "calm"\n'),
            READING.replace('format = "ebook"\n', DATED + 'format = "ebook"\nmood = "calm"\n'),
        ),
        # (a line the fast path declines: tomlkit's, by the same rule)
        (
            READING.replace("[[reads]]\n", "[[reads]]\nmood = 'calm'\n"),
            READING.replace("[[reads]]\n", "[[reads]]\n" + DATED + "mood = 'calm'\n"),
        ),
        # a remark right under the values (no key after it) stays under them; one leading into a key, over it
        (
            READING + "# (the one that stuck)\n",
            READING.replace('format = "ebook"\n', DATED + 'format = "ebook"\n') + "# (the one that stuck)\n",
        ),
    ],
)
def test_the_line_path_and_tomlkit_put_an_added_key_in_the_same_place(reading, after):
    book = bookfile.parse(reading, "x.toml")
    before = bookfile.snapshot(book)
    book.reads[-1].started = date(2025, 1, 2)
    book.reads[-1].finished = date(2025, 2, 3)
    new = bookfile.book_to_dict(book)
    lines, tomlkit_text = bookfile._edited_lines(before, new, reading), bookfile.update_data(reading, new)
    assert lines in (None, tomlkit_text)
    assert tomlkit_text == after


def test_a_rating_added_to_a_reading_goes_under_a_remark_on_its_values_not_over_the_next_key():
    reading = READING.replace(
        'format = "ebook"\n', 'started = 2025-01-02\n# (a slow start)\n\nformat = "ebook"\n'
    )
    book = bookfile.parse(reading, "x.toml")
    before = bookfile.snapshot(book)
    book.reads[-1].finished = date(2025, 2, 3)
    new = bookfile.book_to_dict(book)
    after = reading.replace("# (a slow start)\n", "# (a slow start)\nfinished = 2025-02-03\n")
    assert bookfile.update_data(reading, new) == after
    assert bookfile._edited_lines(before, new, reading) in (None, after)


def test_a_record_added_to_a_file_writes_its_series_as_a_new_file_does():
    text = bookfile.dumps(bookfile.parse('schema = 2\ntitle = "Dune"\nauthors = ["F. H."]\n', "x.toml"))
    book = bookfile.parse(text, "x.toml")
    book.extra["source"] = {"goodreads": {"imported": {"series": [{"name": "Dune", "number": "1"}]}}}
    assert bookfile.update(text, book) == bookfile.dumps(book)


def test_an_empty_reading_added_above_a_table_is_set_apart_by_a_blank_line():
    text = 'schema = 2\ntitle = "T"\nauthors = ["A"]\nstatus = "read"\n\n[source.x]\nid = "1"\n'
    book = bookfile.parse(text, "x.toml")
    book.reads.append(bookfile.parse('title = "T"\n[[reads]]\n', "y.toml").reads[0])
    assert bookfile.update(text, book) == bookfile.dumps(book)


@pytest.mark.skipif(not SHARED.is_dir(), reason=f"the real exports are not here ({SHARED})")
def test_a_journal_of_real_exports_restores_from_its_backup_byte_for_byte(run, books, tmp_path):
    run("import", str(SHARED / "goodreads_freizl_my-reads.csv"))
    run("import", "--update", str(SHARED / "storygraph_tranguyeenn_optimization-books-engine.csv"))
    run(
        "import",
        "--update",
        "--force",
        str(SHARED / "goodreads-more/goodreads_aaronj1335_reading_2026-06-25.csv"),
    )
    mine, restored = _files(books), _restored(run, tmp_path, books)
    assert [name for name in mine if restored.get(name) != mine[name]] == []


# --- try-out 31c #7: "Merged 3 files" counted .gitattributes; a key holding a tab was shown with a space --
def test_a_sync_counts_the_books_it_merged_and_names_the_other_files(devices):
    laptop, work = devices
    laptop.change(lambda b: setattr(b, "rating", 5))
    attributes = laptop.home / ".gitattributes"
    attributes.write_text(attributes.read_text(encoding="utf-8") + "# a line of my own\n", encoding="utf-8")
    (laptop.home / "goals.toml").write_text("[goals]\n2026 = 30\n", encoding="utf-8")
    laptop("sync")
    merged = [line for line in work("sync").stderr.splitlines() if line.startswith("Merged")]
    assert merged == [f"Merged 1 book and goals.toml from {work.git('remote', 'get-url', 'origin').strip()}"]


@pytest.mark.parametrize(
    ("paths", "words"),
    [
        (["books/a.toml", "books/b.toml", ".gitattributes", ".gitignore"], "2 books"),
        ([".gitattributes"], ""),  # (no line: nothing of the reader's came)
        (["books/.a.toml", "covers/a.jpg"], "books/.a.toml and covers/a.jpg"),  # (a hidden file is no book)
        (
            ["books/a.toml", "goals.toml", "imports.toml", "inbox.md"],
            "1 book, goals.toml, imports.toml and inbox.md",
        ),
        (["books/a.toml", "a", "b", "c", "d"], "1 book and 4 other files"),
        (["notes/a\tb.md"], "$'notes/a\\tb.md'"),
    ],
)
def test_what_a_merge_brought_is_said_as_books_and_files_by_name(paths, words):
    from readlog.sync.render import merged_words

    assert merged_words(paths) == words


def test_a_key_holding_a_tab_is_named_as_the_resolve_command_quotes_it(devices):
    laptop, work = devices
    laptop.change(lambda b: b.extra.__setitem__("a\tb", "one"))
    laptop("sync")
    work("sync")
    laptop.change(lambda b: b.extra.__setitem__("a\tb", "two"))
    work.change(lambda b: b.extra.__setitem__("a\tb", "three"))
    laptop("sync")
    said = work("sync", code=1).stderr
    assert (
        f"({SLUG}): both devices changed $'a\\tb': `readlog resolve {SLUG} $'a\\tb' --ours|--theirs`" in said
    )
    assert "both devices changed $'a\\tb' (here 'three'" in work("check", code=1).stdout
    assert "$'a\\tb': here 'three'" in work("show", SLUG).stdout
    assert work("resolve", SLUG, "a\tb", "--ours").stderr.startswith(
        "Resolved $'a\\tb' of “Klara and the Sun”"
    )


# --- try-out 31b #4: check kept a book a Kobo file made as "the one you made or changed" ------------------
HIGHLIGHTS = Path(
    os.environ.get("READLOG_TEST_HIGHLIGHTS") or Path(__file__).parents[2] / "shared/fixtures/highlights"
)
KOBO = HIGHLIGHTS / "kobo" / "KoboReader_trimmed_3books_highlights_notes_dogears.sqlite"
SHOW = "show-your-work-10-ways-to-share-your-creativity-and-get-discovered"
needs_kobo = pytest.mark.skipif(not KOBO.is_file(), reason=f"the real Kobo file is not here ({KOBO})")


def _kobo_then_export(run, tmp_path: Path) -> None:
    """A Kobo's *Show Your Work!* (its title line; 2 highlights), then a Goodreads row of the book with its
    subtitle, rated and read: a maybe, kept as its own book."""
    run("import", str(KOBO))
    row = gr_row(Title="Show Your Work!: 10 Ways to Share Your Creativity and Get Discovered",
                 Author="Austin Kleon", My_Rating="4", Date_Read="2021/02/03", Date_Added="2020/01/05")  # fmt: skip
    run("import", str(write_csv(tmp_path / "gr.csv", GR_HEADER, [row])))


@needs_kobo
def test_check_keeps_the_exports_copy_over_a_book_a_kobo_file_made(run, books, tmp_path):
    _kobo_then_export(run, tmp_path)
    said = run("check").stdout
    assert (
        f"`readlog merge {SHOW} show-your-work` joins them, keeping {SHOW}, the one a Goodreads export's row "
        "made: show-your-work was made from a Kobo highlights file and holds nothing more (its quotes go with "
        "the merge)"
    ) in said, said
    run("merge", SHOW, "show-your-work")
    kept = bookfile.parse((books / f"{SHOW}.toml").read_text(encoding="utf-8"), "x.toml")
    assert (
        kept.title.startswith("Show Your Work!: 10 Ways")
        and kept.rating == 4
        and kept.added == date(2020, 1, 5)
    )
    assert len(kept.quotes) == 2 and all(q.key.startswith("kobo:") for q in kept.quotes)


@needs_kobo
@pytest.mark.parametrize(
    "change",
    [
        ["rate", "show-your-work", "5"],
        ["quote", "show-your-work", "Words I typed myself."],
        ["reflect", "show-your-work", "A thought of mine."],
        ["tag", "show-your-work", "creativity"],
    ],
    ids=["rated", "a quote by hand", "a reflection", "a tag"],
)
def test_a_kobo_book_the_reader_wrote_in_is_theirs_and_said_to_be_made_from_the_kobo(
    run, books, tmp_path, change
):
    _kobo_then_export(run, tmp_path)
    run(*change)
    said = run("check").stdout
    assert (
        f"`readlog merge show-your-work {SHOW}` joins them, keeping show-your-work, the one you changed since a "
        f"Kobo highlights file made it: {SHOW} is as a Goodreads export's row made it"
    ) in said, said
