"""Recall: what happened on this day in earlier years, and the quotes drawn from."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from readlog.index import Index


# --- recall -------------------------------------------------------------------------------------------
def on_this_day(
    index: Index, month_day: str, before: str
) -> list[tuple[str, str, str, str, str, str, str | None]]:
    """(kind, day, slug, title, body, label, note) of what happened on `month_day` (MM-DD) of earlier
    years (dates before `before`): books finished, reflections written, quotes highlighted or saved."""
    db = index.db
    finished = _finished_on(index, month_day, before)
    written = db.execute(
        "SELECT m.kind, m.day, m.slug, b.title, m.body, m.label, m.note FROM moments m "
        "JOIN books b ON b.slug = m.slug WHERE substr(m.day, 6, 5) = ? AND m.day < ?",
        (month_day, before),
    ).fetchall()
    return sorted(finished + written, key=lambda row: (row[1], row[0] != "finished", row[2]))


def _finished_on(index: Index, month_day: str, before: str) -> list[tuple[Any, ...]]:
    """The readings finished on `month_day` of a year before `before`: each such day looked up in the
    index of finish dates, from the year of the first finish on (a full date is stored as YYYY-MM-DD),
    not every reading before that year read to find them (100,000 books: 11 ms -> 1 ms)."""
    db = index.db
    columns = "'finished', r.finished, r.slug, b.title, b.authors, '', NULL"
    first = db.execute("SELECT min(finished) FROM book_reads").fetchone()[0]
    year = first[:4] if isinstance(first, str) else ""
    if year.isascii() and year.isdigit() and before.isascii() and before.isdigit() and len(month_day) == 5:
        return db.execute(
            "WITH RECURSIVE years(y) AS (SELECT ? UNION ALL SELECT y + 1 FROM years WHERE y + 1 < ?) "
            f"SELECT {columns} FROM years JOIN book_reads r ON r.finished = printf('%04d-', years.y) || ? "
            "JOIN books b ON b.slug = r.slug WHERE years.y < ?",
            (int(year), int(before), month_day, int(before)),
        ).fetchall()
    return db.execute(  # no finish dates, or a day given in another form: every reading before it
        f"SELECT {columns} FROM book_reads r JOIN books b ON b.slug = r.slug WHERE length(r.finished) = 10 "
        "AND substr(r.finished, 6, 5) = ? AND r.finished < ?",
        (month_day, before),
    ).fetchall()


def quote_idents(index: Index) -> list[tuple[str, str]]:
    """(slug, ident) of every quote in the journal, in the order of their rows."""
    return index.db.execute("SELECT slug, ident FROM moments WHERE kind = 'quote' ORDER BY rowid").fetchall()


MARK_EVERY = 1024  # a quote's row id kept for every this many: a place is counted from the mark before it


def quote_count(index: Index) -> int:
    """How many quotes the journal has (kept for the index as it is, with the marks: `_places`)."""
    return _places(index)[0]


def _places(index: Index) -> tuple[int, list[int]]:
    """How many quotes there are, and the rowid of the quotes at places 0, MARK_EVERY, 2 * MARK_EVERY...
    (in `quote_idents` order): kept for the index as it is (Index.kept), so that a draw neither counts
    every quote nor walks to its places from the first (100,000 books, 160,000 quotes: 5 ms to count them,
    and 7 ms to walk to three places, each time)."""

    def made() -> list[Any]:
        db = index.db
        total = int(db.execute("SELECT count(*) FROM moments WHERE kind = 'quote'").fetchone()[0])
        marks = db.execute(
            "SELECT rowid FROM (SELECT rowid, row_number() OVER (ORDER BY rowid) - 1 AS place FROM moments "
            "WHERE kind = 'quote') WHERE place % ? = 0 ORDER BY rowid",
            (MARK_EVERY,),
        ).fetchall()
        return [total, [rowid for (rowid,) in marks]]

    total, marks = index.kept(f"quotes:{MARK_EVERY}", made)
    return int(total), [int(rowid) for rowid in marks]


def quotes_at(index: Index, places: Sequence[int]) -> dict[int, tuple[str, str]]:
    """place -> (slug, ident) of the quotes at these places (from 0) in `quote_idents` order, counted
    along the quotes' own index from the place before it (the one found before, or the mark before it,
    whichever is nearer), one row read for each."""
    total, marks = _places(index)
    if len(marks) != -(-total // MARK_EVERY):  # not what `_places` makes: counted from the first
        marks = []
    found: dict[int, tuple[str, str]] = {}
    after, last = 0, -1  # rowids start at 1
    for place in sorted(set(places)):
        mark = place // MARK_EVERY
        if mark < len(marks) and mark * MARK_EVERY > last:  # from the mark: rowid >= its rowid
            after, last = marks[mark] - 1, mark * MARK_EVERY - 1
        row = index.db.execute(
            "SELECT rowid, slug, ident FROM moments WHERE kind = 'quote' AND rowid > ? ORDER BY rowid "
            "LIMIT 1 OFFSET ?",
            (after, place - last - 1),
        ).fetchone()
        if row is None:
            break
        after, last = row[0], place
        found[place] = (row[1], row[2])
    return found


def quote_rows_of(index: Index, slugs: Sequence[str]) -> list[tuple[int, str, str]]:
    """(rowid, slug, ident) of every quote of these books."""
    found: list[tuple[int, str, str]] = []
    unique = sorted(set(slugs))
    for start in range(0, len(unique), 500):
        part = unique[start : start + 500]
        found += index.db.execute(
            # `+kind`: found by the slug's index (the books are few), not by scanning every quote
            "SELECT rowid, slug, ident FROM moments WHERE +kind = 'quote' "
            f"AND slug IN ({','.join('?' * len(part))})",
            part,
        ).fetchall()
    return found


def quote_rows(
    index: Index, chosen: Sequence[tuple[str, str]]
) -> list[tuple[str, str, str, str, str | None, str | None]]:
    """(slug, title, body, label, note, day) of these quotes, in the order given."""
    out = []
    for slug, ident in chosen:
        row = index.db.execute(
            "SELECT m.slug, b.title, m.body, m.label, m.note, m.day FROM moments m "
            "JOIN books b ON b.slug = m.slug WHERE m.slug = ? AND m.ident = ? AND +m.kind = 'quote' LIMIT 1",
            (slug, ident),
        ).fetchone()
        if row is not None:
            out.append(row)
    return out
