"""Session 20's try-out: a Kobo title with `. ` before its subtitle (`How to Take Smart Notes. One Simple
Technique ...`) and a Kindle title with a publisher's label (`Pride and Prejudice (免费公版书)`) against the
journal's book. Near misses first: abbreviations and initials that a full stop follows, a title that really
is two sentences (MAYBE, never SURE), volumes in parentheses."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from readlog.identity import Same, Twins, Work, bare_title, same_work, sentence_split, title_prefixes
from readlog.text import normalize

SURE, MAYBE, NO = Same.SURE, Same.MAYBE, Same.NO
REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("READLOG_TEST_HIGHLIGHTS") or REPO.parent / "shared" / "fixtures" / "highlights")
needs_shared = pytest.mark.skipif(
    not SHARED.is_dir(), reason=f"the real highlight samples are not here ({SHARED})"
)
KOBO = "KoboReader_trimmed_3books_highlights_notes_dogears.sqlite"
SMART = "How to Take Smart Notes. One Simple Technique to Boost Writing, Learning and Thinking"


@pytest.mark.parametrize(
    ("text", "first"),
    [  # near misses: not a sentence's end
        ("Mr. Mercedes", "Mr. Mercedes"),
        ("Dr. No", "Dr. No"),
        ("St. Mawr", "St. Mawr"),
        ("Vol. 2", "Vol. 2"),
        ("The No. 1 Ladies' Detective Agency", "The No. 1 Ladies' Detective Agency"),
        ("J. R. R. Tolkien", "J. R. R. Tolkien"),
        ("A. Lincoln", "A. Lincoln"),
        ("Tales of the U.S. Navy", "Tales of the U.S. Navy"),
        ("And Then There Were None... Again", "And Then There Were None... Again"),
        ("Sense and Sensibility. and more", "Sense and Sensibility. and more"),  # lower case goes on
        ("Notes.", "Notes."),
        # a sentence's end
        (SMART, "How to Take Smart Notes"),
        ("Wait. What?", "Wait"),
        ("Mr. Mercedes. A Thriller", "Mr. Mercedes"),
        ("U.S. Grant. A Life", "U.S. Grant"),
    ],
)
def test_sentence_split(text, first):
    assert sentence_split(text)[0] == first


AHRENS, KING = ["Sönke Ahrens"], ["Stephen King"]
SAME_WORK = [
    # --- near misses: NO (a full stop after an abbreviation or an initial is no subtitle's colon) -----------
    ("Mr. Mercedes", KING, "Mercedes", KING, NO),  # as `Series: Title` would be MAYBE
    ("Mr. Mercedes", KING, "Mr", KING, NO),
    ("Dr. No", ["Ian Fleming"], "No", ["Ian Fleming"], NO),
    ("St. Mawr", ["D. H. Lawrence"], "Mawr", ["D. H. Lawrence"], NO),
    ("The No. 1 Ladies' Detective Agency", ["Alexander McCall Smith"], "1 Ladies' Detective Agency", [], NO),
    ("Saga, Vol. 2", ["Brian K. Vaughan"], "Saga", ["Brian K. Vaughan"], MAYBE),  # (as `Saga (Saga, #2)`)
    (SMART, AHRENS, "How to Take Smart Notes", ["Someone Else"], NO),  # another author
    (SMART, AHRENS, "How to Take Smart Notes. Another Subtitle", AHRENS, NO),  # two subtitles
    (SMART, AHRENS, "Smart Notes", AHRENS, NO),
    # two volumes are two; a volume is never joined to the work (MAYBE below: kept apart, and said)
    ("Gormenghast (Book 2)", [], "Gormenghast (Book 3)", [], NO),
    ("Gormenghast (Volume 1)", [], "Gormenghast (Part One)", [], NO),
    ("Gormenghast (Book 2)", ["Mervyn Peake"], "Gormenghast", ["Someone Else"], NO),
    ("Gormenghast: Part One", [], "Gormenghast", [], NO),  # (a part after a colon, as before)
    ("The Shining. Part One", [], "The Shining", [], NO),  # a part after a full stop: no more than a colon
    ("Pride and Prejudice (免费公版书)", ["Austen, Jane"], "Pride and Prejudice", ["Jo Baker"], NO),
    # --- MAYBE: a volume alone in parentheses (the work's part, or the book of a series named like it) ---------
    ("Gormenghast (Book 2)", ["Mervyn Peake"], "Gormenghast", ["Mervyn Peake"], MAYBE),
    ("Gormenghast (Volume 1)", ["Mervyn Peake"], "Gormenghast", ["Mervyn Peake"], MAYBE),
    ("Gormenghast (Vol. 3)", [], "Gormenghast", [], MAYBE),
    ("Gormenghast (Part One)", ["Mervyn Peake"], "Gormenghast", ["Mervyn Peake"], MAYBE),
    ("The Hunger Games (Book 1)", ["Suzanne Collins"], "The Hunger Games", ["Collins, Suzanne"], MAYBE),  # LT
    # --- MAYBE: a full stop that may end a sentence, where a colon would be MAYBE or better ------------------
    (SMART, AHRENS, "How to Take Smart Notes", AHRENS, MAYBE),
    (SMART, ["Ahrens, Sonke"], "How To Take Smart Notes", [], MAYBE),
    ("Wait. What?", ["James E. Ryan"], "Wait", ["James E. Ryan"], MAYBE),  # maybe two sentences: never SURE
    ("Gilead. A Novel", [], "Gilead", [], MAYBE),  # a label after a full stop: still only MAYBE
    ("Mr. Mercedes. A Thriller of Sorts", KING, "Mr. Mercedes", KING, MAYBE),
    ("Mistborn. The Hero of Ages", [], "The Hero of Ages", [], MAYBE),  # `Series: Title`
    ("X. Y: Z", [], "X. Y", [], MAYBE),  # the colon's answer, as before
    # --- SURE: the same title written with either mark, an edition's or a publisher's label -----------------
    (SMART, AHRENS, SMART.replace(". ", ": "), AHRENS, SURE),
    ("Pride and Prejudice (免费公版书)", ["Austen, Jane"], "Pride and Prejudice", ["Jane Austen"], SURE),
    ("Pride and Prejudice (Penguin Classics)", [], "Pride and Prejudice", ["Jane Austen"], SURE),
    ("Emma (Illustrated)", ["Jane Austen"], "Emma", ["Jane Austen"], SURE),
    ("Emma (Annotated)", ["Jane Austen"], "Emma", ["Jane Austen"], SURE),
    ("Emma (Everyman's Library)", ["Jane Austen"], "Emma", ["Jane Austen"], SURE),
    ("人間失格 (新潮文庫)", ["太宰治"], "人間失格", ["太宰治"], SURE),
    ("老人与海 (英文版)", [], "老人与海", [], SURE),
    ("Catching Fire (The Hunger Games, Book 2)", [], "Catching Fire", [], SURE),  # a series place, as before
    ("Gormenghast (Book 2) (Penguin Classics)", [], "Gormenghast (Book 2)", [], SURE),
]


@pytest.mark.parametrize(("a", "authors_a", "b", "authors_b", "answer"), SAME_WORK)
def test_same_work(a, authors_a, b, authors_b, answer):
    assert same_work(Work.named(a, authors_a), Work.named(b, authors_b)) is answer
    assert same_work(Work.named(b, authors_b), Work.named(a, authors_a)) is answer


@pytest.mark.parametrize(
    ("title", "bare"),
    [
        ("Gormenghast (Book 2)", "Gormenghast (Book 2)"),
        ("Gormenghast [Vol. 2]", "Gormenghast [Vol. 2]"),
        ("Pride and Prejudice (免费公版书)", "Pride and Prejudice"),
        ("Saga (Saga, Vol. 2)", "Saga"),
    ],
)
def test_bare_title_keeps_a_volume_alone(title, bare):
    assert bare_title(title) == bare


def test_the_index_and_twins_find_the_title_before_the_full_stop():
    assert any(normalize("How to Take Smart Notes").startswith(p) for p in title_prefixes(SMART))
    assert any(normalize("Deep Work").startswith(p) for p in title_prefixes("Deep Work. Rules for Success"))
    assert any(normalize("Dune").startswith(p) for p in title_prefixes("Dune (Book 1)"))
    twins: Twins[str] = Twins()
    twins.add("journal", "Deep Work")
    assert twins.near("Deep Work. Rules for Success") == ["journal"]
    twins = Twins()
    twins.add("kobo", "Deep Work. Rules for Success")
    assert twins.near("Deep Work") == ["kobo"]
    twins = Twins()
    twins.add("lt", "Dune (Book 1)")
    assert twins.near("Dune") == ["lt"]


@needs_shared
def test_kobo_full_stop_subtitle_is_said_and_listed_by_check(run, books):
    """The try-out's steps: the Kobo copy is kept as its own book (never guessed), but the import says it may
    be the journal's, and `check` lists the pair."""
    run("add", "How to Take Smart Notes", "--author", "Sönke Ahrens", "--rating", "4", input="")
    done = run("import", str(SHARED / "kobo" / KOBO))
    assert "may be the same book as how-to-take-smart-notes" in done.stderr
    checked = run("check")
    assert "maybe the same book as how-to-take-smart-notes-one-simple" in checked.stdout + checked.stderr
    # (the reader's book kept, not the copy the Kobo's title line made: t32d, try-out 31b #4)
    assert "readlog merge how-to-take-smart-notes how-to-take-smart-notes-one-simple" in checked.stdout
    # the Kindle copy (a colon, a longer subtitle) too: check names both pairs, a third copy hides neither
    kindle = "en_highlights_notes_bookmark_growing-dupes_bom_crlf.txt"
    assert (
        "may be the same book as how-to-take-smart-notes"
        in run("import", str(SHARED / "kindle" / kindle)).stderr
    )
    said = run("check")
    pairs = [
        line
        for line in (said.stdout + said.stderr).splitlines()
        if "maybe the same book as how-to-take" in line
    ]
    assert len(pairs) == 2 and len({line.split("`readlog merge ")[1] for line in pairs}) == 2, pairs


@needs_shared
def test_kindle_publisher_label_finds_the_journal_book(run, books):
    run("add", "Pride and Prejudice", "--author", "Jane Austen", input="")
    done = run(
        "import", str(SHARED / "kindle" / "zh_page-and-location_bookmarks_boms.txt"), "--create", "none"
    )
    assert "Pride and Prejudice: 2 highlights added" in done.stderr + done.stdout
    assert "免费公版书" not in done.stderr + done.stdout
    assert "免费公版书" not in (books / "pride-and-prejudice.toml").read_text()
    assert len(list(books.glob("*.toml"))) == 1


def test_add_in_a_script_refuses_a_full_stop_subtitle_naming_the_book(run, books):
    run("add", "How to Take Smart Notes", "--author", "Sönke Ahrens", input="")
    refused = run("add", SMART, "--author", "Sönke Ahrens", input="", code=1)
    assert "may be the same book as how-to-take-smart-notes" in refused.stderr
    run("add", "Mr. Mercedes", "--author", "Stephen King", input="")  # near miss: asked about nothing
    run("add", "Mercedes", "--author", "Stephen King", input="")
    assert len(list(books.glob("*.toml"))) == 3


def test_an_export_row_with_a_full_stop_subtitle_is_kept_and_said(run, tmp_path, books):
    from test_import_export import GR_HEADER, gr_row, write_csv

    run("add", "Deep Work", "--author", "Cal Newport", input="")
    rows = [
        gr_row(**{"Book Id": "1", "Title": "Deep Work. Rules for Focused Success", "Author": "Cal Newport"}),
        gr_row(**{"Book Id": "2", "Title": "Dr. No", "Author": "Ian Fleming"}),
        gr_row(**{"Book Id": "3", "Title": "No", "Author": "Ian Fleming"}),  # near miss: no warning
    ]
    said = run("import", str(write_csv(tmp_path / "export.csv", GR_HEADER, rows))).stderr
    assert "may be the same book as deep-work" in said
    assert said.count("may be the same") == 1, said
    assert len(list(books.glob("*.toml"))) == 4
    checked = run("check")
    # (the merge keeps the book the reader added, not the import's copy as it came: t29g)
    assert "readlog merge deep-work deep-work-rules-for-focused-success" in checked.stdout + checked.stderr
