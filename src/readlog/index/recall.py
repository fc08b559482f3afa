"""Recall: what happened on this day in earlier years, and the quotes drawn from."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from readlog.index import Index


# --- recall -------------------------------------------------------------------------------------------
def on_this_day(
    index: Index, month_day: str, before: str
) -> list[tuple[str, str, str, str, str, str, str | None]]:
    """(kind, day, slug, title, body, label, note) of what happened on `month_day` (MM-DD) of earlier
    years (dates before `before`): books finished, reflections written, quotes highlighted or saved."""
    db = index.db
    finished = db.execute(
        "SELECT 'finished', r.finished, r.slug, b.title, b.authors, '', NULL FROM book_reads r "
        "JOIN books b ON b.slug = r.slug WHERE length(r.finished) = 10 AND substr(r.finished, 6, 5) = ? "
        "AND r.finished < ?",
        (month_day, before),
    ).fetchall()
    written = db.execute(
        "SELECT m.kind, m.day, m.slug, b.title, m.body, m.label, m.note FROM moments m "
        "JOIN books b ON b.slug = m.slug WHERE substr(m.day, 6, 5) = ? AND m.day < ?",
        (month_day, before),
    ).fetchall()
    return sorted(finished + written, key=lambda row: (row[1], row[0] != "finished", row[2]))


def quote_idents(index: Index) -> list[tuple[str, str]]:
    """(slug, ident) of every quote in the journal."""
    return index.db.execute("SELECT slug, ident FROM moments WHERE kind = 'quote'").fetchall()


def quote_rows(
    index: Index, chosen: Sequence[tuple[str, str]]
) -> list[tuple[str, str, str, str, str | None, str | None]]:
    """(slug, title, body, label, note, day) of these quotes, in the order given."""
    out = []
    for slug, ident in chosen:
        row = index.db.execute(
            "SELECT m.slug, b.title, m.body, m.label, m.note, m.day FROM moments m "
            "JOIN books b ON b.slug = m.slug WHERE m.slug = ? AND m.ident = ? AND m.kind = 'quote' LIMIT 1",
            (slug, ident),
        ).fetchone()
        if row is not None:
            out.append(row)
    return out
