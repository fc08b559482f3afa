"""Session 30, t30m: `check` called a copy an enrich had filled since its import "as its import made it"
(review 30e F4): its `[source.openlibrary]` table shows the book changed since. A date corrected in one of
two rows joined into one book kept the old date beside the new one (review 30d F3)."""

from __future__ import annotations

import tomllib

import pytest

from conftest import snapshot
from test_import_export import GR_HEADER, gr_row, imported, write_csv
from test_t30j_backup_and_copies import thinner_copy

LOOKED_UP = '\n[source.openlibrary]\nwork = "/works/OL81633W"\nfetched = 2026-12-07\nfilled = ["pages"]\n'


@pytest.mark.parametrize("enriched", ["table", "filled"])
def test_a_copy_a_look_up_filled_is_not_as_its_import_made_it(run, books, tmp_path, enriched):
    """t29g's Thinner: a row kept as its own book beside the reader's (`thinner-bachman`) is "as its import
    made it" (the near miss) until `enrich` fills it: its `[source.openlibrary]` table alone, or with the
    isbn and cover it filled. Then `check` no longer offers it as the copy to drop."""
    copy = thinner_copy(run, books, tmp_path)  # (near miss: as its import made it)
    text = copy.read_text(encoding="utf-8")
    if enriched == "filled":
        text = text.replace("\n[", '\nisbn = "9780451161345"\ncover = "covers/thinner-bachman.jpg"\n\n[', 1)
        table = LOOKED_UP.replace('["pages"]', '["isbn", "cover"]')
    else:
        table = LOOKED_UP
    copy.write_text(text + table, encoding="utf-8")
    checked = run("check").stdout
    assert "readlog merge" in checked and "is as a StoryGraph export's row made it" not in checked, checked


LEFT_HAND = {"Title": "The Left Hand of Darkness", "Date Added": "2020/01/01"}


@pytest.mark.parametrize("order", ["corrected-first", "corrected-last"])
def test_a_date_corrected_in_one_of_two_joined_rows_moves_its_reading(run, tmp_path, books, order):
    """Review 30d F3: row 1002 (read twice: 2023 and a day Goodreads no longer shows) is joined to row 1001
    (read once, 2024-03-01), its undated reading taken for 1001's. A newer export corrects 1001's date to
    2024-03-05: that reading moves, as a single row's does; it is not read a third time. (t30h's case, 1001
    read again, keeps its old date: test_import_fidelity's
    test_update_keeps_the_other_editions_reading_of_a_book_joined_from_two_rows.)"""
    first = gr_row(
        **LEFT_HAND, **{"Book Id": "1001", "Author": "Ursula K. Le Guin", "Date Read": "2024/03/01"}
    )
    other = gr_row(**LEFT_HAND, **{"Book Id": "1002", "Author": "Ursula Le Guin", "Date Read": "2023/05/01",
                                   "Read Count": "2"})  # fmt: skip
    imported(run, tmp_path, GR_HEADER, [first, other])
    path = books / "the-left-hand-of-darkness.toml"
    finished = [str(r.get("finished")) for r in tomllib.loads(path.read_text())["reads"]]
    assert finished == ["2023-05-01", "2024-03-01"]  # (near miss: the fold, made by the first import)
    fixed = {**first, "Date Read": "2024/03/05"}
    rows = [fixed, other] if order == "corrected-first" else [other, fixed]
    newer = write_csv(tmp_path / "n.csv", GR_HEADER, rows)
    assert "1 updated" in run("import", str(newer), "--update").stderr
    finished = [str(r.get("finished")) for r in tomllib.loads(path.read_text())["reads"]]
    assert finished == ["2023-05-01", "2024-03-05"]
    before = snapshot(books)
    assert "0 updated" in run("import", str(newer), "--update").stderr  # and again: nothing more
    assert snapshot(books) == before
