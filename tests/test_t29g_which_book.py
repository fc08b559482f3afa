"""Session 29, t29g: which book is this, four wrongs left alone before. An authorless import row of the
day another person's book was added joined that book silently; `check`'s suggested merge of a pair sharing
an import record kept the import's copy; `start "Carrie" -a "Owen King"` beside Stephen King's *Carrie*;
`next` kept `K. Ishiguro` and `Kazuo Ishiguro` two items. Near misses beside each."""

from __future__ import annotations

import json

import pytest

from test_check_merge_keeper import write as write_book
from test_t23c_merge import slugs
from test_t23c_merge import write as csv_file
from test_t25b_whose_book import SG_FULL
from test_t26f_one_row import respell_authors
from test_t28g_row_records import THINNER
from test_t28l_one_day import DICKINSON, NOBODY

KING_STAND = 'title = "The Stand"\nauthors = ["Stephen King"]\n'


def test_an_authorless_row_of_the_day_another_persons_book_was_added_is_a_named_maybe(run, books, tmp_path):
    """t28l noticed: after Emily Dickinson's *Poems* was imported, a file holding only the authorless *Poems*
    row of that day was `1 skipped`, joined to her book with no word (her record names her, the row nobody):
    now the row is its own book, the maybe named, and the next run adds none and names none."""
    run("import", str(csv_file(tmp_path / "d.csv", SG_FULL, DICKINSON)))
    path = csv_file(tmp_path / "n.csv", SG_FULL, NOBODY)
    out = run("import", str(path)).stderr
    assert "1 added" in out and "Poems: may be the same book as poems: kept as its own book" in out, out
    assert slugs(books) == ["poems", "poems-2"]
    assert "maybe the same book as poems-2.toml" in run("check").stdout  # (as the import's message says)
    out = run("import", str(path)).stderr
    assert "0 added" in out and "may be" not in out, out
    assert slugs(books) == ["poems", "poems-2"]
    # near miss: Dickinson's row again is her book, said nowhere
    out = run("import", str(csv_file(tmp_path / "d2.csv", SG_FULL, DICKINSON))).stderr
    assert "0 added" in out and "may be" not in out, out


@pytest.mark.parametrize("tagged", [False, True], ids=["pen-name", "pen-name-and-tag"])
def test_checks_suggested_merge_keeps_the_readers_book_not_the_imports_copy(run, books, tmp_path, tagged):
    """t28g noticed: *Thinner* imported, made Stephen King's by the reader, then the export again kept the
    row as `thinner-bachman` (a maybe, named); check suggested `readlog merge thinner-bachman thinner.toml`,
    keeping the import's copy (with `--force` the reader's pen name and tag would go). It keeps the
    reader's book now, and says which it keeps and why."""
    path = csv_file(tmp_path / "s2.csv", SG_FULL, THINNER)
    run("import", str(path))
    respell_authors(books, "thinner", '"Richard Bachman"', '"Stephen King"')
    if tagged:
        run("tag", "thinner.toml", "pen-name")
    run("import", str(path))
    assert slugs(books) == ["thinner", "thinner-bachman"]
    checked = run("check").stdout
    assert (
        "if it is, `readlog merge thinner.toml thinner-bachman` joins them, keeping thinner.toml, the one you "
        "changed since a StoryGraph export's row made it: thinner-bachman is as a StoryGraph export's row "
        "made it" in checked
    ), checked
    assert "readlog merge thinner-bachman" not in checked, checked


def test_checks_suggested_merge_near_misses_say_what_they_keep(run, books):
    """Near misses: two books as their imports made them (or both the reader's) still keep the one in the
    journal first, else the one listed first; a book with authors is kept over one with none, whichever
    the reader made."""
    write_book(books, "old-one", "How to Take Smart Notes", "2021-03-17")
    write_book(books, "new-one", "How to Take Smart Notes: One Simple Technique for Writers", "2026-12-06")
    checked = run("check").stdout
    assert (
        "`readlog merge old-one new-one` joins them, keeping old-one, in the journal first (2021-03-17)"
        in checked
    )
    (books / "new-one.toml").unlink()
    write_book(books, "same-day", "How to Take Smart Notes: One Simple Technique for Writers", "2021-03-17")
    checked = run("check").stdout
    assert "`readlog merge old-one same-day` joins them, keeping old-one\n" in checked, checked
    (books / "the-stand.toml").write_text('title = "The Stand"\nstatus = "read"\nadded = 2020-01-01\n')
    (books / "the-stand-king.toml").write_text(f'{KING_STAND}status = "want"\nadded = 2024-01-01\n')
    checked = run("check").stdout
    assert (
        "`readlog merge the-stand-king the-stand` joins them, keeping the-stand-king: the-stand has no author"
        in checked
    )


def test_checks_suggested_merge_keeps_the_book_the_reader_added_over_an_older_imported_copy(
    run, books, tmp_path
):
    """The reader's own *How to Take Smart Notes*, added today, and an export's row with a subtitle, put on a
    shelf in 2019 (a maybe: kept as its own book, untouched): the reader's is kept, though added later."""
    run("add", "How to Take Smart Notes", "-a", "Sonke Ahrens", "--status", "want")
    row = THINNER.replace(
        "Thinner,Richard Bachman", "How to Take Smart Notes: One Simple Technique,Sonke Ahrens"
    )
    run("import", str(csv_file(tmp_path / "s.csv", SG_FULL, row)))
    assert slugs(books) == ["how-to-take-smart-notes", "how-to-take-smart-notes-one-simple-technique"]
    checked = run("check").stdout
    assert (
        "`readlog merge how-to-take-smart-notes how-to-take-smart-notes-one-simple-technique` joins them, "
        "keeping how-to-take-smart-notes, the one you added: "
        "how-to-take-smart-notes-one-simple-technique is as a StoryGraph export's row made it" in checked
    ), checked


@pytest.mark.parametrize(
    ("names", "gathered"),
    [
        (["K. Ishiguro", "Kazuo Ishiguro"], {"k ishiguro": "ishiguro kazuo"}),
        (["Ishiguro, K.", "Ishiguro, Kazuo"], {"ishiguro k": "ishiguro kazuo"}),
        (["J. Smith", "Jane Smith"], {"j smith": "jane smith"}),
        (["J. R. R. Tolkien", "John Ronald Reuel Tolkien"], {"j r r tolkien": "john reuel ronald tolkien"}),
        (["J. Smith", "John Ronald Smith"], {"j smith": "john ronald smith"}),
        # near misses: two people it may stand for, initials that disagree or more of them than names, a
        # surname alone, another surname, no initials
        (["J. Smith", "Jane Smith", "John Smith"], {}),
        (["A. Smith", "Jane Smith"], {}),
        (["J. R. Smith", "John Smith"], {}),
        (["K. Ishiguro", "Ishiguro"], {}),
        (["K. Ishiguro", "Kazuo Ishiguru"], {}),
        (["Owen King", "Stephen King"], {}),
        # a first name is no surname (t30g: review 29a #3); a name in full written the other way is apart
        (["C. Lewis", "Lewis Carroll"], {}),
        (["J. Smith", "Smith Jones"], {}),
        (["M. Henry", "Henry Miller"], {}),
        (["K. Ishiguro", "Ishiguro, Kazuo"], {}),
        (["C. S. Lewis", "Lewis Carroll", "Clive Staples Lewis"], {"c s lewis": "clive lewis staples"}),
    ],
)
def test_person_keys_gather_initials_only_into_the_one_person_they_agree_with(names, gathered):
    from readlog.identity import person_keys, stored_name

    assert person_keys([stored_name(name) for name in names]) == gathered


def _picks(run, title: str, *authors: str) -> list[dict]:
    """`title` picked by each of `authors` from a book of its own: the queue's items of that title."""
    for number, author in enumerate(authors):
        run("add", f"Source {number}", "-a", "Writer", "--finished", f"2025-06-0{number + 1}")
        run("next", "add", title, "-a", author, "--from", f"source-{number}")
    items = json.loads(run("next", "--json", "--limit", "0").stdout)
    return [item for item in items if item["title"] == title]


def test_next_gathers_k_ishiguro_and_kazuo_ishiguro_into_one_item(run):
    """Session 28 left it: *The Buried Giant* picked by `K. Ishiguro` and by `Kazuo Ishiguro` were two open
    items; one now, naming both books, in `next`, its limited count and `--suggest`."""
    (item,) = _picks(run, "The Buried Giant", "K. Ishiguro", "Kazuo Ishiguro", "Ishiguro, K.")
    assert len(item["also"]) == 2, item
    assert "showing 1 of 1 in your queue" in run("next", "--limit", "1", "--format", "table").stderr
    titles = [i["title"] for i in json.loads(run("next", "--suggest", "--json", "--count", "0").stdout)]
    assert titles == ["The Buried Giant"]


def test_next_keeps_j_smith_apart_beside_jane_and_john_smith(run):
    """Near miss: `J. Smith` may be Jane Smith or John Smith: three items, counted as three."""
    items = _picks(run, "Home", "J. Smith", "Jane Smith", "John Smith")
    assert sorted(", ".join(item["authors"]) for item in items) == ["J. Smith", "Jane Smith", "John Smith"]
    assert "showing 1 of 3 in your queue" in run("next", "--limit", "1", "--format", "table").stderr
