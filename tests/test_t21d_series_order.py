"""`next --suggest` keeps a series in its order (session 21's try-out, finding 7): the next unread volume
first, a later volume held back behind the want book of the series just before it (never scored above
it), ties broken by the rule `--explain` names. The journal is built like the try-out's series300.csv
(series of numbered books in forward, reversed and shuffled to-read order), smaller."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import pytest

from readlog.suggest import TIES, Item, rank

HEADER = (
    "Book Id,Title,Author,Author l-f,Additional Authors,ISBN,ISBN13,My Rating,Average Rating,Publisher,"
    "Binding,Number of Pages,Year Published,Original Publication Year,Date Read,Date Added,Bookshelves,"
    "Bookshelves with positions,Exclusive Shelf,My Review,Spoiler,Private Notes,Read Count,Owned Copies"
)
VOLUMES = 6
# Each series: the volumes read (with their rating), and the want volumes' to-read order, first first.
SERIES = {
    "Amber": ({1: 5, 2: 5}, [3, 4, 5, 6]),  # two read and loved; the rest forward
    "Dusk": ({1: 4}, [6, 5, 4, 3, 2]),  # Book 1 read; the rest reversed
    "Frost": ({}, [6, 5, 4, 3, 2, 1]),  # not started; reversed (Book 6 is to-read #1)
    "Glass": ({}, [4, 1, 6, 3, 2, 5]),  # not started; shuffled
}


def row(book_id: int, title: str, author: str, rating: int = 0, read: str = "", added: str = "2024/01/01",
        shelf: str = "", place: int | None = None) -> str:  # fmt: skip
    """One row of a Goodreads export: read (with `read`, the day) or to-read (at `place`); `shelf`, a tag."""
    if read:
        shelves, positions, exclusive, count = shelf, f"{shelf} (#1)" if shelf else "", "read", "1"
    else:
        shelves, positions, exclusive, count = "to-read", f"to-read (#{place})", "to-read", "0"
    cells = [str(book_id), f'"{title}"', author, "", "", "", "", str(rating), "", "", "", "300", "", "",
             read, added, shelves, positions, exclusive, "", "", "", count, ""]  # fmt: skip
    assert len(cells) == len(HEADER.split(","))
    return ",".join(cells)


def history(first_id: int) -> list[str]:
    """Five books read, by other authors, rated 4: history enough, saying nothing of the series."""
    return [row(first_id + i, f"Filler {i}", f"Writer {i}", 4, f"2024/0{i + 1}/01") for i in range(5)]


def _csv(tmp_path: Path, extra: Sequence[str] = ()) -> Path:
    rows, book_id = [HEADER], 60000
    for name, (read, order) in SERIES.items():
        for number in range(1, VOLUMES + 1):
            book_id += 1
            title, author = f"The {name} Tale {number} ({name} Saga, #{number})", f"Author {name}"
            if number in read:
                rows.append(row(book_id, title, author, read[number], f"2025/0{number}/15"))
            else:  # the day added goes against the series' order too: the late volumes were added first
                added = f"2025/03/{VOLUMES + 1 - number:02d}"
                rows.append(row(book_id, title, author, added=added, place=order.index(number) + 1))
    rows += history(70000) + list(extra)
    path = tmp_path / "series.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def ranked(run, tmp_path):
    def make(extra: Sequence[str] = ()) -> list[dict]:
        run("import", str(_csv(tmp_path, extra)))
        return json.loads(run("next", "--suggest", "--json", "--count", "0").stdout)

    return make


def _volume(book: dict) -> tuple[str, int]:
    match = re.fullmatch(r"The (\w+) Tale (\d+)", book["title"])
    assert match, book["title"]
    return match[1], int(match[2])


def test_every_series_comes_in_its_own_order_whatever_the_to_read_order(ranked):
    """Mutation: `in_series_order` without the holds (sorted by score and the queue's keys alone) puts
    Frost 6 (to-read #1) before Frost 1, and Glass 4 before Glass 1: this fails."""
    found = ranked()
    seen: dict[str, list[int]] = {}
    for book in found:
        if book["title"].startswith("The "):
            name, number = _volume(book)
            seen.setdefault(name, []).append(number)
    assert seen["Frost"] == [1, 2, 3, 4, 5, 6]
    assert seen["Glass"] == [1, 2, 3, 4, 5, 6]
    assert seen["Dusk"] == [2, 3, 4, 5, 6]
    assert seen["Amber"] == [3, 4, 5, 6]
    scores = [b["score"] for b in found]
    assert scores == sorted(scores, reverse=True)  # the list reads best first, held books included


def test_the_next_volume_keeps_its_reason_and_the_series_next_books_lead_a_tie(ranked):
    """At the same score the next book of each series comes before any series' second want book.
    Mutation: the depth taken out of the sort key (ties by to-read order alone): Frost 2 (to-read #5) comes
    before Frost 1 (#6), and this fails (so do the two tests above)."""
    found = ranked()
    titles = [b["title"] for b in found]
    dusk2 = found[titles.index("The Dusk Tale 2")]
    assert any("next in the Dusk Saga series, which you have started" in r for r in dusk2["reasons"])
    assert titles.index("The Amber Tale 3") < titles.index("The Amber Tale 4")
    firsts = [titles.index(f"The {n} Tale 1") for n in ("Frost", "Glass")]
    seconds = [titles.index(f"The {n} Tale 2") for n in ("Frost", "Glass")] + [
        titles.index("The Dusk Tale 3")
    ]
    assert max(firsts) < min(seconds)


def test_a_late_volume_that_scores_higher_on_its_own_is_held_back_and_says_why(run, ranked):
    """Frost 6 alone is tagged what the reader loves: its own score is above Frost 5's, yet it stays after
    it, at Frost 5's score, and its reason and --explain name the book before it. Mutation: the cap taken
    out (`held = score`): Frost 6 scores above Frost 5 and the list is out of order: this fails."""
    loved = [
        row(71000 + i, f"Loved {i}", f"Other {i}", 5, f"2024/06/0{i + 1}", shelf="gems") for i in range(5)
    ]
    found = ranked(loved)
    run("tag", "the-frost-tale-6", "gems")
    found = json.loads(run("next", "--suggest", "--json", "--count", "0").stdout)
    titles = [b["title"] for b in found]
    by_title = {b["title"]: b for b in found}
    assert titles.index("The Frost Tale 5") < titles.index("The Frost Tale 6")
    assert by_title["The Frost Tale 6"]["score"] <= by_title["The Frost Tale 5"]["score"]
    held = (
        "Book 6 of the Frost Saga series: you have not read Book 5, *The Frost Tale 5*, so it comes after it"
    )
    assert held in by_title["The Frost Tale 6"]["reasons"]
    explained = json.loads(run("next", "--suggest", "--explain", "the frost tale 6", "--json").stdout)
    order = [s for s in explained["signals"] if s["signal"] == "order"]
    assert order and order[0]["adds"] < 0 and order[0]["evidence"] == held
    total = explained["mean"] + sum(s["adds"] for s in explained["signals"])
    assert abs(total - explained["score"]) < 0.01  # the score is still the mean plus what the rows add


def test_explain_names_the_tie_rule_and_the_books_own_keys(run, ranked):
    """The try-out's `--explain "the dusk tale 9"`: every signal +0.00 and "#27 of 293", no reason why.
    Mutation: `tie_words` returning None: the line is missing and this fails."""
    ranked()
    text = run("next", "--suggest", "--explain", "the frost tale 6").stdout
    flat = " ".join(text.split())
    assert "Book 6 of the Frost Saga series: you have not read Book 5" in flat
    assert re.search(r"\b\d+ others? in the ranking score \d\.\d\d too", flat)
    assert " ".join(TIES.split()) in flat
    assert "this one has to-read #1, added 2025-03-01" in flat  # Frost 6: to-read #1, added first
    explained = json.loads(run("next", "--suggest", "--explain", "the frost tale 1", "--json").stdout)
    assert TIES in explained["ties"] and "to-read #6" in explained["ties"]


def test_ties_follow_the_to_read_order_then_the_day_added(run, tmp_path):
    """Standalone books of one score: by `priority` (Goodreads' to-read position) before the day added.
    Mutation: `priority` left out of `suggest_rows` (as it was: every Item had none): ordered by the day
    added instead, and this fails."""
    rows = [HEADER, *history(80000)]
    for n, (title, place, added) in enumerate((("Alpha", 3, "01"), ("Beta", 1, "02"), ("Gamma", 2, "03"))):
        rows.append(row(81000 + n, title, f"Solo {title}", added=f"2025/03/{added}", place=place))
    path = tmp_path / "solo.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    run("import", str(path))
    found = json.loads(run("next", "--suggest", "--json", "--count", "0").stdout)
    assert [b["title"] for b in found] == ["Beta", "Gamma", "Alpha"]


# --- the rule itself, on Items -------------------------------------------------------------------------
def _item(slug: str, status: str, series: list[tuple[str, str]], rating: float | None = None) -> Item:
    return Item(
        slug, slug.replace("-", " ").title(), ["Someone"], status, rating=rating,
        series=[{"name": name, "number": number} for name, number in series], added=date(2025, 1, 1),
    )  # fmt: skip


def test_a_novella_is_held_back_but_holds_nothing_back_nor_does_an_omnibus():
    """Mutation: `is_whole` dropped from `series_holds` (every numbered book holds the next back): Book 2
    is held behind the novella 1.5 and the evidence names it: this fails."""
    items = [
        _item("read-one", "read", [], 4),
        _item("book-1", "want", [("Saga", "1")]),
        _item("novella", "want", [("Saga", "1.5")]),
        _item("omnibus", "want", [("Saga", "1-3")]),
        _item("book-2", "want", [("Saga", "2")]),
    ]
    books = rank(items, today=date(2025, 6, 1)).books
    order = [b.slug for b in books]
    assert order.index("book-1") < order.index("novella")
    assert order.index("book-1") < order.index("book-2")
    signals = {b.slug: [s for s in b.signals if s.name == "order"] for b in books}
    assert "Book 1" in (signals["book-2"][0].reason or "") and "*Book 1*" in (
        signals["book-2"][0].reason or ""
    )
    assert "Book 1" in (signals["novella"][0].reason or "")
    assert not signals["book-1"]
    assert not signals["omnibus"]  # "1-3" stands where Book 1 does: not held behind it, and holds nothing


def test_two_series_that_hold_each_other_back_still_rank_every_book():
    """A loop (X is #1 and Y #2 of one series, Y #1 and X #2 of another) ends; every book is ranked once."""
    items = [
        _item("read-one", "read", [], 4),
        _item("x", "want", [("One", "1"), ("Two", "2")]),
        _item("y", "want", [("Two", "1"), ("One", "2")]),
        _item("z", "want", [("One", "3")]),
    ]
    books = rank(items, today=date(2025, 6, 1)).books
    assert sorted(b.slug for b in books) == ["x", "y", "z"]
    assert [b.slug for b in books].index("z") == 2
