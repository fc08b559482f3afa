"""The index as a stats `Ledger`: the figures `readlog stats` does its arithmetic over, answered in SQL.

Rows and counts, never SQL handed out: readlog.stats computes every number from these answers, and the site
asks the same questions of its books in memory (stats.BooksLedger), so the two cannot drift. `readlog stats`
is seven statements (eight with --year), each one pass over a table or an index.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection
from typing import Literal, NamedTuple, TypeVar

from readlog.index.schema import Store

NameKind = Literal["author", "tag"]
K = TypeVar("K")


class Finished(NamedTuple):
    """The readings finished in one month ("2024-05"), or in a year given alone ("2024"), added up."""

    period: str
    readings: int
    pages: int  # each reading counts its book's pages (none given: 0)
    days: int  # from start to finish, over the readings with both full dates
    timed: int  # how many readings those are
    paged: int  # how many readings are of a book with a page count (`pages` adds up only theirs)


# The books in scope: a set of slugs passed as one JSON array (no limit on how many), or those read.
_AMONG = "slug IN (SELECT value FROM json_each(?))"
_READ = "status = 'read'"


# A reading done (book_reads `t`): reading.is_done, in SQL (tests/test_t29c_done_rule.py holds the two
# alike over generated books): finished (on a day, a month or a year), or never stopped and either a read
# book's (read on a day nobody knows: `add --status read`, an export's read count), or, never begun (no start,
# no progress), followed by another reading, or begun and started again (whatever the book's status now).
def _done(t: str) -> str:
    later = f"EXISTS (SELECT 1 FROM book_reads n WHERE n.slug = {t}.slug AND n.rowid > {t}.rowid)"
    undated = f"NOT {t}.begun AND {later}"
    again = f"{t}.begun AND {_started_again(t)}"
    return (
        f"({t}.finished IS NOT NULL OR ({t}.stopped IS NULL AND ({t}.status = 'read' OR ({undated}) OR "
        f"({again}))))"
    )


def _started_again(t: str) -> str:
    """reading.started_again: another reading of the book began after `t` began (its start surely later,
    or listed after it and not surely earlier: partial days compared as far as both are known)."""
    n = f"min(length(a.started), length({t}.started))"
    a_cut, t_cut = f"substr(a.started, 1, {n})", f"substr({t}.started, 1, {n})"
    return (
        f"{t}.started IS NOT NULL AND EXISTS (SELECT 1 FROM book_reads a WHERE a.slug = {t}.slug AND "
        f"a.rowid != {t}.rowid AND a.started IS NOT NULL AND ({a_cut} > {t_cut} OR (a.rowid > {t}.rowid "
        f"AND {a_cut} = {t_cut})))"
    )


# The books read whose status is not `read`: a reading of theirs is done (a read book started again, or
# paused, given up or wanted again since: try-out 30a #5), found by book_reads_unread (the readings of the
# books whose status is not `read`: a few in most journals).
_READ_OTHERWISE = f"SELECT DISTINCT d.slug FROM book_reads d WHERE d.status IS NOT 'read' AND {_done('d')}"


def read_otherwise(store: Store) -> list[str]:
    """The books read whose status is not `read`. A book read is one whose status is `read`, or these
    (reading.done_readings: a reading of it is done): THE rule of `stats`' books read (`_read_books`),
    `list --status read` (queries.BookFilter) and the site's (stats.BooksLedger._among, in Python). Asked
    once for the ratings, the authors, the tags and the listing alike, again only once the index changed."""
    db = store.db
    now = (db.execute("PRAGMA data_version").fetchone()[0], db.total_changes)
    held: tuple[object, tuple[int, int], list[str]] | None = getattr(store, "_read_otherwise_held", None)
    if held is None or held[0] is not db or held[1] != now:  # (another connection: asked again)
        held = (db, now, [slug for (slug,) in db.execute(_READ_OTHERWISE)])
        setattr(store, "_read_otherwise_held", held)  # noqa: B010  (kept on the index it was asked of)
    return held[2]


def in_year(finished: str, year: int) -> tuple[str, tuple[str, str, str]]:
    """A condition that the day in the column `finished` (of book_reads) is in `year`, and its parameters:
    a range over book_reads_finished ("~" sorts after "-" and every digit: the whole year), then exact."""
    key = f"{year:04d}"
    return f"{finished} >= ? AND {finished} < ? AND substr({finished}, 1, 4) = ?", (key, f"{key}~", key)


# Of two readings of a book, `e` done before `r`: finished on an earlier day, on the same day and listed
# before it, or on a day nobody knows (stats.Ledger.rereads_in; stats._before, in Python).
_EARLIER = (
    f"e.slug = r.slug AND e.rowid != r.rowid AND {_done('e')} AND (e.finished IS NULL OR e.finished < "
    "r.finished OR (e.finished = r.finished AND e.rowid < r.rowid))"
)
_TIMED = "length(started) = 10 AND length(finished) = 10"  # both full dates: days between them


class Aggregates(Store):
    """What `Index` answers for stats (readlog.stats.Ledger): a layer of `Index` beside the queries."""

    def finished_periods(self) -> list[Finished]:
        """Every finished reading, added up by the month it finished in (by the year, for a year alone)."""
        rows = self.db.execute(
            f"""SELECT CASE WHEN length(finished) >= 7 THEN substr(finished, 1, 7) ELSE substr(finished, 1, 4)
                END, count(*), coalesce(sum(pages), 0),
                CAST(coalesce(sum(CASE WHEN {_TIMED} THEN julianday(finished) - julianday(started) END), 0)
                    AS INTEGER),
                count(CASE WHEN {_TIMED} THEN 1 END), count(CASE WHEN pages > 0 THEN 1 END)
            FROM book_reads WHERE finished IS NOT NULL GROUP BY 1"""
        )
        return list(map(Finished._make, rows))

    def abandoned(self) -> list[tuple[str, int]]:
        """(year, readings stopped unfinished in it), for every year with one; ("", abandoned books no reading
        of which stopped on a known day), when there are any (stats.Ledger.abandoned)."""
        sql = "SELECT substr(stopped, 1, 4), count(*) FROM book_reads WHERE stopped IS NOT NULL GROUP BY 1"
        rows = self.db.execute(sql).fetchall()
        (undated,) = self.db.execute(
            """SELECT count(*) FROM books WHERE status = 'abandoned' AND NOT EXISTS
                (SELECT 1 FROM book_reads r WHERE r.slug = books.slug AND r.stopped IS NOT NULL)"""
        ).fetchone()
        return [*rows, ("", undated)] if undated else rows

    def finished_in(self, year: int) -> list[str]:
        """The books with a reading finished in `year`."""
        during, params = in_year("finished", year)
        return [
            slug
            for (slug,) in self.db.execute(f"SELECT DISTINCT slug FROM book_reads WHERE {during}", params)
        ]

    def rereads(self) -> list[tuple[str, str | None, int]]:
        """(slug, status, undated) of every book with more than one reading done (stats.Ledger.rereads)."""
        sql = (
            "SELECT slug, status, CASE WHEN count(finished) > 0 THEN count(*) - count(finished) ELSE 0 END "
            f"FROM book_reads d WHERE {_done('d')} GROUP BY slug HAVING count(*) > 1"
        )
        return self.db.execute(sql).fetchall()

    def rereads_in(self, year: int) -> int:
        """The readings finished in `year` that were re-reads (stats.Ledger.rereads_in)."""
        during, params = in_year("r.finished", year)
        earlier = f"EXISTS (SELECT 1 FROM book_reads e WHERE {_EARLIER})"
        sql = f"SELECT count(*) FROM book_reads r WHERE {during} AND {earlier}"
        count: int = self.db.execute(sql, params).fetchone()[0]
        return count

    def rating_counts(self, slugs: Collection[str] | None) -> list[tuple[float, int]]:
        """(rating, books) over the rated books among `slugs` (None: every book read: `_read_books`)."""

        def among(where: str, params: tuple[str, ...]) -> list[tuple[float, int]]:
            sql = f"SELECT rating, count(*) FROM books WHERE rating IS NOT NULL AND {where} GROUP BY rating"
            return self.db.execute(sql, params).fetchall()

        return self._read_books(among, slugs)

    def name_counts(self, kind: NameKind, slugs: Collection[str] | None) -> list[tuple[str, int]]:
        """(name, books) for each author (or tag) of the books among `slugs` (None: those read)."""

        def among(where: str, params: tuple[str, ...]) -> list[tuple[str, int]]:
            # `+kind`: a year's books are found by slug; SQLite would rather walk every author by kind (10x)
            kind_is = "kind = ?" if where == _READ else "+kind = ?"
            sql = f"SELECT name, count(*) FROM book_names WHERE {kind_is} AND {where} GROUP BY name"
            return self.db.execute(sql, (kind, *params)).fetchall()

        return self._read_books(among, slugs)

    def _read_books(
        self, among: Callable[[str, tuple[str, ...]], list[tuple[K, int]]], slugs: Collection[str] | None
    ) -> list[tuple[K, int]]:
        """`among` asked of the books `slugs` names, or (None) of every book read: whose status is read, and
        those with a reading done whose status is not (a read book started again, or paused or given up
        since: try-out 30a #5, its rating and names had left the whole journal's counts), added up."""
        if slugs is not None:
            return among(*_scope(slugs))
        counted = among(_READ, ())
        others = read_otherwise(self)
        if not others:
            return counted
        added: dict[K, int] = dict(counted)
        for key, n in among(*_scope(others)):
            added[key] = added.get(key, 0) + n
        return list(added.items())

    def undated(self) -> int:
        """Books read, none of whose readings finished on any date: their status is read, or a reading of
        theirs is done (`Read: 2020-01-01 → ?` started again: review 29c #1)."""
        sql = f"SELECT count(*) FROM books WHERE {_READ} AND last_finished IS NULL"
        read: int = self.db.execute(sql).fetchone()[0]
        # (the others: from their readings with no finish, by book_reads_finished; a 100k journal's want
        # books asked one by one took 38 ms)
        dated = "EXISTS (SELECT 1 FROM book_reads f WHERE f.slug = d.slug AND f.finished IS NOT NULL)"
        sql = (
            "SELECT count(DISTINCT d.slug) FROM book_reads d WHERE d.finished IS NULL AND d.status IS NOT "
            f"'read' AND {_done('d')} AND NOT {dated}"
        )
        others: int = self.db.execute(sql).fetchone()[0]
        return read + others


def _scope(slugs: Collection[str] | None) -> tuple[str, tuple[str, ...]]:
    return (_READ, ()) if slugs is None else (_AMONG, (json.dumps(list(slugs)),))
