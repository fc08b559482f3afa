"""Session 29, t29g: which book is this, four wrongs left alone before. An authorless import row of the
day another person's book was added joined that book silently; `check`'s suggested merge of a pair sharing
an import record kept the import's copy; `start "Carrie" -a "Owen King"` beside Stephen King's *Carrie*;
`next` kept `K. Ishiguro` and `Kazuo Ishiguro` two items. Near misses beside each."""

from __future__ import annotations

from test_t23c_merge import slugs
from test_t23c_merge import write as csv_file
from test_t25b_whose_book import SG_FULL
from test_t28l_one_day import DICKINSON, NOBODY


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
