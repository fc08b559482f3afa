"""Session 30, t30m: `check` called a copy an enrich had filled since its import "as its import made it"
(review 30e F4): its `[source.openlibrary]` table shows the book changed since."""

from __future__ import annotations

import pytest

from test_t23c_merge import slugs
from test_t23c_merge import write as csv_file
from test_t25b_whose_book import SG_FULL
from test_t26f_one_row import respell_authors
from test_t28g_row_records import THINNER

LOOKED_UP = '\n[source.openlibrary]\nwork = "/works/OL81633W"\nfetched = 2026-12-07\nfilled = ["pages"]\n'


@pytest.mark.parametrize("enriched", ["table", "filled"])
def test_a_copy_a_look_up_filled_is_not_as_its_import_made_it(run, books, tmp_path, enriched):
    """t29g's Thinner: a row kept as its own book beside the reader's (`thinner-bachman`) is "as its import
    made it" (the near miss) until `enrich` fills it: its `[source.openlibrary]` table alone, or with the
    isbn and cover it filled. Then `check` no longer offers it as the copy to drop."""
    path = csv_file(tmp_path / "s.csv", SG_FULL, THINNER)
    run("import", str(path))
    respell_authors(books, "thinner", '"Richard Bachman"', '"Stephen King"')
    run("import", str(path))
    assert slugs(books) == ["thinner", "thinner-bachman"]
    assert "thinner-bachman is as its import made it" in run("check").stdout  # (near miss: not filled)
    copy = books / "thinner-bachman.toml"
    text = copy.read_text(encoding="utf-8")
    if enriched == "filled":
        text = text.replace("\n[", '\nisbn = "9780451161345"\ncover = "covers/thinner-bachman.jpg"\n\n[', 1)
        table = LOOKED_UP.replace('["pages"]', '["isbn", "cover"]')
    else:
        table = LOOKED_UP
    copy.write_text(text + table, encoding="utf-8")
    checked = run("check").stdout
    assert "readlog merge" in checked and "as its import made it" not in checked, checked
