"""t32m's note: `readlog merge` of two books sharing an ISBN under two titles (StoryGraph's *Summer* with the
ISBN/UID of the journal's audio *Ethan Frome*; *Saga, Vol. 2* with Vol. 1's ISBN) kept no trace of the merged
row (its edition was taken for the kept book's own, by the ISBN), so the same export again parked it once
more as its own book: merge, import, merge... The merged book's edition is kept apart now, with its title
and its record, and an import finds its row there (and says so when it writes to it)."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import snapshot
from test_t23c_merge import slugs, toml
from test_t32m_isbn_titles import STORYGRAPH, SUMMER, ethan, export  # noqa: F401  (ethan: a fixture)

pytestmark = pytest.mark.skipif(
    not STORYGRAPH.exists(), reason="the real exports (READLOG_TEST_IMPORTS) absent"
)


@pytest.fixture
def merged(run, books, tmp_path, ethan) -> Path:  # noqa: F811
    """The real StoryGraph *Ethan Frome* row and a *Summer* row with its ISBN/UID, imported (two books, said)
    and merged as the reader was told."""
    header, row = ethan
    path = export(tmp_path, "sg.csv", header, {}, SUMMER, base=row)
    run("import", str(path))
    assert slugs(books) == ["ethan-frome", "summer"]
    run("merge", "ethan-frome", "summer")
    assert slugs(books) == ["ethan-frome"]
    return path


def test_the_same_export_after_the_merge_finds_summer_in_the_kept_book(run, books, merged):
    before = snapshot(books)
    err = run("import", str(merged)).stderr
    assert slugs(books) == ["ethan-frome"] and snapshot(books) == before, err
    assert "2 skipped" in err, err
    assert "may be the same book" not in err and "kept apart" not in err, err  # (the reader joined them)
    assert run("import", str(merged), "--update").stderr.count("skipped") == 1
    assert snapshot(books) == before
    checked = run("check", code=0)
    assert "all good" in checked.stdout + checked.stderr


def test_the_kept_book_remembers_the_merged_title_and_record(books, merged):
    table = toml(books, "ethan-frome")["source"]["storygraph"]
    (summer,) = [e for e in table["editions"] if e.get("title") == "Summer"]
    assert summer["ISBN/UID"] == "9781799955672"
    assert summer["imported"]["title"] == "Summer"
    assert table["imported"]["title"] == "Ethan Frome"  # (the kept book's own record stays its own)


def test_news_of_the_merged_row_is_written_to_the_kept_book_and_said(run, books, tmp_path, merged, ethan):  # noqa: F811
    header, row = ethan
    newer = export(
        tmp_path, "newer.csv", header, {}, {**SUMMER, "Read Status": "read", "Star Rating": "4.0"}, base=row
    )
    err = run("import", str(newer), "--update").stderr
    assert slugs(books) == ["ethan-frome"], err
    assert f"{newer}:3: Summer: written to ethan-frome (Ethan Frome), the book its row was merged into" in err
    assert toml(books, "ethan-frome")["rating"] == 4


def test_the_kept_books_own_row_is_compared_with_its_own_record(run, books, tmp_path, merged, ethan):  # noqa: F811
    """Near miss: one ISBN, two records now: *Ethan Frome*'s row is never taken for Summer's edition."""
    header, row = ethan
    newer = export(tmp_path, "newer.csv", header, {"Star Rating": "3.0"}, SUMMER, base=row)
    err = run("import", str(newer), "--update").stderr
    assert "written to" not in err and "1 updated" in err, err
    book = toml(books, "ethan-frome")
    assert book["rating"] == 3
    assert book["source"]["storygraph"]["imported"]["rating"] == 3
    (summer,) = [e for e in book["source"]["storygraph"]["editions"] if e.get("title") == "Summer"]
    assert "rating" not in summer["imported"]


def test_merged_twice_the_edition_is_listed_once(run, books, merged):
    """Restored from the trash and merged again (or the other device's merge): one edition of Summer."""
    run("restore", "summer")
    assert slugs(books) == ["ethan-frome", "summer"]
    run("merge", "ethan-frome", "summer")
    editions = toml(books, "ethan-frome")["source"]["storygraph"]["editions"]
    assert [e.get("title") for e in editions].count("Summer") == 1
    checked = run("check", code=0)
    assert "all good" in checked.stdout + checked.stderr


def test_a_volume_merged_into_another_with_its_isbn_is_found_there(run, books, tmp_path, ethan):  # noqa: F811
    """The README's promise (`merge saga-vol-1 saga-vol-2`, then a row of *Saga, Vol. 2* finds Vol. 1) held
    only when the two ISBNs differed."""
    header, row = ethan
    one = {"Title": "Saga, Vol. 1", "Authors": "Brian K. Vaughan"}
    two = {"Title": "Saga, Vol. 2", "Authors": "Brian K. Vaughan", "Date Added": "2025/02/22"}
    path = export(tmp_path, "sg.csv", header, one, two, base=row)
    err = run("import", str(path)).stderr
    assert slugs(books) == ["saga-vol-1", "saga-vol-2"], err
    run("merge", "saga-vol-1", "saga-vol-2")
    before = snapshot(books)
    err = run("import", str(path)).stderr
    assert slugs(books) == ["saga-vol-1"] and snapshot(books) == before, err
    assert "may be the same book" not in err and "kept apart" not in err, err


def test_a_row_of_another_title_never_merged_is_still_kept_apart(run, books, tmp_path, merged, ethan):  # noqa: F811
    """Near miss: the merge remembers *Summer*, not every title with the ISBN (*Bunner Sisters*)."""
    header, row = ethan
    other = export(
        tmp_path, "other.csv", header, {"Title": "Bunner Sisters", "Date Added": "2025/02/20"}, base=row
    )
    err = run("import", str(other)).stderr
    assert "Bunner Sisters: may be the same book as ethan-frome (its ISBN, another title)" in err, err
    assert slugs(books) == ["bunner-sisters", "ethan-frome"]
