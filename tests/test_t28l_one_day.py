"""Review 28c: StoryGraph rows of one title put on the shelf on one day (no ids): a stopped import run
again keeps the authorless row its own book, as one run does, and `readlog check` of a journal imported
before the records named the rows' authors lists no pair of two people's books of that day."""

from __future__ import annotations

from test_s27_lead import _as_before_session_27
from test_t23c_merge import slugs
from test_t23c_merge import write as csv_file
from test_t25b_whose_book import SG_FULL

DICKINSON, WHITMAN, NOBODY, PLATH = (
    f'Poems,{who},"",,paperback,to-read,2021/05/01,"","",0,"",,,,,,,,,"",,"",No'
    for who in ("Emily Dickinson", "Walt Whitman", '""', "Sylvia Plath")
)


def test_a_stopped_import_run_again_keeps_the_authorless_row_its_own_book(run, books, tmp_path):
    """Review 28c #1: after the import stopped past *Poems* by Dickinson and by Whitman, the whole file
    again skipped its authorless *Poems* as "held by poems, poems-whitman" (and said to merge the two):
    it is its own book now, a maybe named, as one uninterrupted import makes it; the next run adds none."""
    run("import", str(csv_file(tmp_path / "a.csv", SG_FULL, DICKINSON, WHITMAN)))
    path = csv_file(tmp_path / "full.csv", SG_FULL, DICKINSON, WHITMAN, NOBODY)
    out = run("import", str(path)).stderr
    assert "1 added" in out and "held by" not in out, out
    assert "Poems: may be the same book as poems, poems-whitman: kept as its own book" in out, out
    assert slugs(books) == ["poems", "poems-2", "poems-whitman"]
    out = run("import", str(path)).stderr
    assert "0 added" in out and "held by" not in out, out


def test_an_older_journal_keeps_another_persons_row_of_that_day_and_check_lists_no_pair(run, books, tmp_path):
    """Review 28c #1 and #2, a journal imported before session 27 (records without `authors`): Plath's
    *Poems* of the day Dickinson's and Whitman's were added was skipped as held by both, and check listed
    every pair of the three as maybe one book. Now it is added (named as a maybe: the older records can't
    tell), and check lists none of them."""
    run("import", str(csv_file(tmp_path / "a.csv", SG_FULL, DICKINSON, WHITMAN)))
    for book in books.iterdir():
        _as_before_session_27(book)
    assert "maybe" not in run("check").stdout
    out = run("import", str(csv_file(tmp_path / "b.csv", SG_FULL, DICKINSON, WHITMAN, PLATH))).stderr
    assert "1 added" in out and "held by" not in out, out
    assert slugs(books) == ["poems", "poems-plath", "poems-whitman"]
    assert "maybe" not in run("check").stdout
