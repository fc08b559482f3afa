"""t32j: a row with no id merged into another book, the merged book restored and retitled since: the next
`--update` wrote the row's news to the book it had been merged into (try-out 32b #7); a book holding the
row's record as its own is its book whatever its title now, and two holding it so are left, named. And a
merge that took the merged book's earlier Date Added: every later `--update` said `kept your added` (t32c's
open point); the value the merge took is the join's, never said. Each test fails on the code before it."""

from __future__ import annotations

import csv
import io
import shutil
import tomllib
from pathlib import Path

import pytest

from conftest import snapshot
from test_import_export import SHARED
from test_t30f_merged_editions import _sg
from test_t30k_merged_shared import _still
from test_t31k_merged_rows import DAISIES, LOVE, LOVE_READ, PAIR

REAL = SHARED / "storygraph_tranguyeenn_optimization-books-engine.csv"
KEEPER, MERGED = "oxford-thuong-yeu", "beloved-oxford"  # (the real export's two editions of one work)


def _book(books: Path, slug: str) -> dict:
    return tomllib.loads((books / f"{slug}.toml").read_text("utf-8"))


def _retitle(books: Path, slug: str, title: str) -> None:
    path = books / f"{slug}.toml"
    text = path.read_text("utf-8")
    old = f'title = "{_book(books, slug)["title"]}"\n'
    assert text.startswith(f"schema = 2\n{old}"), text[:80]
    path.write_text(text.replace(old, f'title = "{title}"\n', 1), encoding="utf-8")


def _changed(tmp_path: Path, title: str, **cells: str) -> Path:
    """The real StoryGraph export, the row of `title` changed since (`cells`: column -> value)."""
    rows = list(csv.reader(io.StringIO(REAL.read_text("utf-8"))))
    (row,) = [r for r in rows if r[0] == title]
    for column, value in cells.items():
        row[rows[0].index(column.replace("_", " "))] = value
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path = tmp_path / "newer.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


@pytest.mark.skipif(not REAL.exists(), reason="the real StoryGraph export is not here")
def test_a_restored_retitled_book_of_the_real_export_takes_its_rows_news(run, books, tmp_path):
    """*Beloved Oxford* merged into *Oxford thương yêu*, restored, retitled `Beloved Oxford (English)`:
    the `--update` of a newer export wrote its rating and review to *Oxford thương yêu* (try-out 32b #7).
    The restored book holds the row's record as its own: the news is its, said by its title now, the
    dry run saying the same (its plan on stdout); *Oxford thương yêu* is left as it was, and the same export again is quiet."""
    run("import", str(REAL))
    run("merge", KEEPER, MERGED)
    run("restore", MERGED)
    _retitle(books, MERGED, "Beloved Oxford (English)")
    keeper = (books / f"{KEEPER}.toml").read_bytes()
    newer = _changed(tmp_path, "Beloved Oxford", Star_Rating="1.0", Review="<div>Read it again: better</div>")
    told = f"Beloved Oxford: {{}}written to {MERGED} (Beloved Oxford (English)), the book holding its record"
    before = snapshot(books)
    dry = run("import", "--update", "--dry-run", str(newer))
    assert told.format("would be ") in dry.stdout and "1 would be updated" in dry.stderr, dry.stdout
    assert snapshot(books) == before
    said = run("import", "--update", str(newer)).stderr
    assert told.format("") in said and "0 added, 1 updated" in said and KEEPER not in said, said
    book = _book(books, MERGED)
    assert book["title"] == "Beloved Oxford (English)" and book["rating"] == 1, book
    assert book["review"]["body"] == "Read it again: better", book
    assert (books / f"{KEEPER}.toml").read_bytes() == keeper
    _still(run, books, newer, never=KEEPER)


def test_a_restored_retitled_book_takes_its_rows_news_not_a_row_of_that_day(run, books, tmp_path):
    """Two rows of one author and one Date Added (*Don't Be In Love*, *Picking Daisies on Sundays*), the
    first merged into the second, restored, retitled: its row's news went to *Picking Daisies* (try-out 32b
    #7). It is the retitled book's, found by the record it holds as its own; *Picking Daisies*, whose own
    record is another row of that day, is never taken for it and is left as it was."""
    run("import", str(_sg(tmp_path, DAISIES, LOVE)))
    run("merge", *PAIR, "--force")
    run("restore", PAIR[1])
    _retitle(books, PAIR[1], "Don't Be In Love (Wattpad)")
    daisies = (books / f"{PAIR[0]}.toml").read_bytes()
    said = run("import", "--update", str(_sg(tmp_path, DAISIES, LOVE_READ, name="b2.csv"))).stderr
    assert "0 added, 1 updated" in said and f"written to {PAIR[1]} (Don't Be In Love (Wattpad))" in said, said
    love = _book(books, PAIR[1])
    assert love["status"] == "read" and love["rating"] == 2 and love["review"]["body"] == "love review", love
    assert (books / f"{PAIR[0]}.toml").read_bytes() == daisies


def test_two_books_holding_a_row_as_their_own_beside_its_merged_edition_are_left_naming_all(
    run, books, tmp_path
):
    """The near miss: the restored, retitled book copied by hand (two files each holding the row's record as
    its own) beside the book it was merged into: which is its book is not known; nothing is written or added,
    and all three are named."""
    run("import", str(_sg(tmp_path, DAISIES, LOVE)))
    run("merge", *PAIR, "--force")
    run("restore", PAIR[1])
    _retitle(books, PAIR[1], "Don't Be In Love (Wattpad)")
    shutil.copy(books / f"{PAIR[1]}.toml", books / "love-copy.toml")
    before = snapshot(books)
    said = run("import", "--update", str(_sg(tmp_path, DAISIES, LOVE_READ, name="b2.csv"))).stderr
    assert "0 added, 0 updated" in said and "left as they are" in said, said
    held = f"its record is held by {PAIR[1]}, love-copy, {PAIR[0]} (its row merged in)"
    assert held in said, said
    assert snapshot(books) == before


@pytest.mark.skipif(not REAL.exists(), reason="the real StoryGraph export is not here")
def test_the_same_export_after_a_merge_that_took_the_earlier_added_says_nothing(run, books, tmp_path):
    """*Oxford thương yêu* (added 2025-05-24) merged into *Beloved Oxford* (2026-01-21): the book takes the
    earlier Date Added, and every `--update` of the same export said `kept your added 2025-05-24 (export says
    2026-01-21)`, writing nothing (t32c). That is the join's value, as an import joining the rows takes it:
    the dry run and every run after say nothing and change nothing."""
    run("import", str(REAL))
    run("merge", MERGED, KEEPER)
    assert str(_book(books, MERGED)["added"]) == "2025-05-24"
    before = snapshot(books)
    dry = run("import", "--update", "--dry-run", str(REAL))
    assert "kept" not in dry.stderr + dry.stdout and "0 would be updated" in dry.stderr, dry.stderr
    assert snapshot(books) == before
    _still(run, books, REAL, never="kept")


@pytest.mark.skipif(not REAL.exists(), reason="the real StoryGraph export is not here")
@pytest.mark.parametrize(
    ("added", "book_added", "said"),
    [
        ("2025/01/01", "2025-01-01", None),  # (earlier than the merged row's: the join's is the export's)
        ("2026/02/01", "2025-05-24", None),  # (later: the merged row's stays, unsaid)
        ("", "2020-03-03", "kept your added 2020-03-03 (export says 2026-01-21)"),  # (the reader's own)
    ],
    ids=["export-earlier", "export-later", "changed-here"],
)
def test_after_a_merge_that_took_the_earlier_added_the_books_added_follows_the_join(
    run, books, tmp_path, added, book_added, said
):
    """The near misses: a newer export moving the kept row's Date Added takes the earlier of it and the merged
    row's, said by nothing; a Date Added the reader set by hand since is theirs, kept and said as before."""
    run("import", str(REAL))
    run("merge", MERGED, KEEPER)
    path = REAL
    if added:
        path = _changed(tmp_path, "Beloved Oxford", Date_Added=added)
    else:
        text = (books / f"{MERGED}.toml").read_text("utf-8")
        (books / f"{MERGED}.toml").write_text(text.replace("added = 2025-05-24\n", "added = 2020-03-03\n", 1))
    out = run("import", "--update", str(path)).stderr
    assert (said in out) if said else ("kept" not in out), out
    assert str(_book(books, MERGED)["added"]) == book_added
    _still(run, books, path, never="kept" if said is None else "kept your added 2025-05-24")


SONGS = {**LOVE, "Title": "Love Songs"}  # (one more row of that author and that day: another book)
THINNER = {"Title": "Thinner", "Authors": "Richard Bachman", "Format": "paperback", "Read Status": "to-read",
           "Date Added": "2019/12/02"}  # fmt: skip


@pytest.mark.skipif(not REAL.exists(), reason="the real StoryGraph export is not here")
def test_the_same_real_export_adds_no_book_retitled_here_again(run, books, tmp_path):
    """*Beloved Oxford* (no ISBN/UID) retitled `Beloved Oxford (English)` by hand: the same export again
    added it back as `beloved-oxford-thuy` (its title finds no book): importing again added a book twice.
    The retitled book holds the row's record as its own: it is the row's book, nothing added, nothing said;
    a newer export's news of it goes there, named by its title now."""
    run("import", str(REAL))
    _retitle(books, MERGED, "Beloved Oxford (English)")
    _still(run, books, REAL, never="beloved-oxford-thuy")
    newer = _changed(tmp_path, "Beloved Oxford", Star_Rating="1.0")
    said = run("import", "--update", str(newer)).stderr
    assert f"written to {MERGED} (Beloved Oxford (English)), the book holding its record" in said, said
    assert "0 added, 1 updated" in said and _book(books, MERGED)["rating"] == 1, said
    assert sorted(p.name for p in books.glob("beloved*")) == [f"{MERGED}.toml"]


def test_a_retitled_book_is_never_taken_for_another_row_of_its_day(run, books, tmp_path):
    """The near misses: *Don't Be In Love* retitled; *Picking Daisies on Sundays* and *Love Songs* (one
    author, one Date Added) are found by their own titles, or added as a new book, never taken for the
    retitled one; two books each holding the row's record as their own (one copied by hand) are left as they
    are, both named, nothing added."""
    run("import", str(_sg(tmp_path, DAISIES, LOVE)))
    _retitle(books, PAIR[1], "Don't Be In Love (Wattpad)")
    love = (books / f"{PAIR[1]}.toml").read_bytes()
    said = run("import", str(_sg(tmp_path, DAISIES, LOVE, SONGS, name="more.csv"))).stderr
    assert "1 added" in said and "2 skipped" in said, said
    assert (books / "love-songs.toml").exists() and (books / f"{PAIR[1]}.toml").read_bytes() == love
    shutil.copy(books / f"{PAIR[1]}.toml", books / "love-copy.toml")
    before = snapshot(books)
    said = run("import", "--update", str(_sg(tmp_path, DAISIES, LOVE_READ, SONGS, name="b2.csv"))).stderr
    assert "0 added, 0 updated" in said and f"its record is held by {PAIR[1]}, love-copy: left" in said, said
    assert snapshot(books) == before


def test_a_book_retitled_and_given_other_authors_is_a_named_maybe(run, books, tmp_path):
    """The near miss of the pen name (try-out 28b): *Thinner* by Richard Bachman retitled and made Stephen
    King's: the record alone, on its Date Added, is no proof; the row is kept as its own book, the maybe
    named, as for a book of its title."""
    from test_t26f_one_row import respell_authors

    run("import", str(_sg(tmp_path, THINNER)))
    _retitle(books, "thinner", "Thinner (1984)")
    respell_authors(books, "thinner", '"Richard Bachman"', '"Stephen King"')
    said = run("import", str(_sg(tmp_path, THINNER, name="again.csv"))).stderr
    assert "1 added" in said and "Thinner: may be the same book as thinner: kept as its own book" in said, (
        said
    )
