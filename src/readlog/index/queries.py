"""Reading books back from the index: lists and their filters and sorts, the queue, BOOK lookups by
title and key, tags, completion, and the saved suggestions."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from readlog.identity import (
    PICK_KEY,
    VOLUME_KEY,
    WORK_KEY,
    Candidate,
    book_places,
    person_keys,
    pick_work_key,
    stored_name,
    stored_title,
    title_prefixes,
)
from readlog.index.aggregates import in_year, read_otherwise
from readlog.index.freshness import Freshness, SyncReport
from readlog.index.rows import (
    _NONE,
    SERIES_COLUMNS,
    SOURCE_COLUMNS,
    UNIT,
    WANTED_COLUMNS,
    Listed,
    PickSource,
    SeriesMember,
    WantedBook,
    _author_key,
    _summary,
    listed_columns,
    listed_rows,
    pick_sources,
    series_members,
    wanted_books,
)
from readlog.index.schema import (
    BUSY_SECONDS,
    LINE_VALUES,
    LISTING_ORDER,
    LISTING_TRIGGERS,
    is_busy,
    list_line,
    listing_statements,
    rollback,
)
from readlog.lazyclass import dataclass_when_used
from readlog.model import BookSummary, Summary
from readlog.text import lines_as_is

if TYPE_CHECKING:
    from readlog.queue import Named, Target


@dataclass_when_used
class BookFilter:
    """What `readlog list` narrows by. Each field None means: no condition."""

    status: list[str] | None = None
    tag: str | None = None
    author: str | None = None  # a part of an author's name, compared normalised
    rating: tuple[str, float] | None = None  # (operator, value): (">=", 4)
    year: int | None = None  # finished (given up, for `abandoned`) in this year
    date_from: str | None = None  # finished on or after (ISO date)
    date_to: str | None = None  # finished on or before

    def sql(self, read_otherwise: Callable[[], Collection[str]]) -> tuple[str, list[Any]]:
        """The WHERE clause and its parameters. `read_otherwise`: the books read whose status is not
        `read` (aggregates.read_otherwise), which `read` lists too (try-out 31a #5): every book read, as
        `stats` and the site count them, whatever its status is now (started again, paused, given up or
        wanted again since). With a year or days, `read` is every book with a reading finished then and
        `abandoned` every book with a reading given up then (the readings `stats` counts as abandoned, by
        the day they stopped: try-out 33a #5), whatever its status now; another status, the books with it
        now and a reading finished then. Without them, `abandoned` too is every book given up, whatever its
        status now (review 33a #4)."""
        clauses: list[str] = []
        params: list[Any] = []
        finishing = self.year is not None or self.date_from or self.date_to
        if finishing:
            clauses.append(self._then(params))
        elif self.status:
            others = list(read_otherwise()) if "read" in self.status else []
            either = [f"status IN ({','.join('?' * len(self.status))})"]
            if others:  # (mostly none: then the status alone, by books_status)
                either.append("slug IN (SELECT value FROM json_each(?))")
            if "abandoned" in self.status:  # every book given up, whatever its status now, as `stats`
                # counts them and as `--year` lists them (a book given up and then read: review 33a #4)
                either.append("slug IN (SELECT slug FROM book_reads WHERE stopped IS NOT NULL)")
            clauses.append(f"({' OR '.join(either)})")
            params += [*self.status, *([json.dumps(others)] if others else [])]
        names = "EXISTS (SELECT 1 FROM book_names n WHERE n.slug = books.slug AND n.kind = ? AND "
        if self.tag:
            clauses.append(names + "n.norm = ?)")
            params += ["tag", self.tag.casefold()]
        if self.author:
            clauses.append(names + "instr(n.norm, ?) > 0)")
            params += ["author", stored_name(self.author)]
        if self.rating:
            clauses.append(f"rating {self.rating[0]} ?")
            params.append(self.rating[1])
        return (" WHERE " + " AND ".join(clauses) if clauses else ""), params

    def _then(self, params: list[Any]) -> str:
        """The statuses asked for (every book read, when none is) within the year or days asked for."""
        statuses = self.status or ["read"]
        either = []
        if "read" in statuses:  # (a book finished then is read: `read` asks nothing more of it)
            either.append(self._ended("finished", params))
        elif others := [s for s in statuses if s != "abandoned"]:
            either.append(f"(status IN ({','.join('?' * len(others))}) AND ")
            params += others
            either[-1] += self._ended("finished", params) + ")"
        if "abandoned" in statuses:
            either.append(self._ended("stopped", params))
        return f"({' OR '.join(either)})"

    def _ended(self, end: str, params: list[Any]) -> str:
        """The books with a reading that ended (`finished` or `stopped`) in the year or days asked for. (By
        book_reads_finished for `finished`: a list by year was a lookup of each book's readings, 10,000
        books: 32 -> 3 ms.) One reading meets every bound given: a book read in 2022 and again in 2023 is
        not "finished between March 2022 and May 2023" (try-out 31c #5)."""
        column = f"r.{end}"
        bounds: list[str] = []
        if self.year is not None:
            during, year = in_year(column, self.year)
            bounds.append(during)
            params += year
        if self.date_from:  # (a day known to its month or year only: listed when that month or year
            # meets the range, as `--to` and `--year` have it: `2019-05` is after `--from 2019-05-10` too;
            # try-out 32b #11)
            bounds.append(f"({column} >= ? OR {column} IN (?, ?))")
            params += [self.date_from, self.date_from[:4], self.date_from[:7]]
        if self.date_to:
            bounds.append(f"{column} <= ?")
            params.append(self.date_to)
        return f"slug IN (SELECT r.slug FROM book_reads r WHERE {' AND '.join(bounds)})"


KEPT_ROWS = 2000  # a kept stats answer longer than this is not kept (KeptLedger.save)
_WANT_ORDER = "ORDER BY priority IS NULL, priority, added IS NULL, added, slug"  # the queue's wanted books

SORTS = {
    "newest": "activity DESC, norm_title",
    "title": "norm_title, slug",
    # By surname, as libraries file books (Adams, Le Guin, Smith, Tyler); see text.sort_name.
    "author": "author_key(authors) IS NULL, author_key(authors), norm_title",
    "rating": "rating IS NULL, rating DESC, norm_title",
    "finished": "last_finished IS NULL, last_finished DESC, norm_title",
    "added": "added IS NULL, added DESC, norm_title",
}


# Every book, newest first: `_selection` for `list` with no filter and no limit (the order `listing` keeps).
_EVERY_NEWEST = f" NOT INDEXED ORDER BY {SORTS['newest']}, rowid DESC"


class Queries(Freshness):
    """Reading books back: lists, filters, the queue, BOOK lookups, suggestions, completion."""

    # --- reading ---------------------------------------------------------------------------------------
    def entries(self, where: str = "", params: tuple[Any, ...] = ()) -> list[Summary]:
        """Books rebuilt from the index: summary fields only (no review, reflections, quotes)."""
        rows = self.db.execute(f"SELECT * FROM books {where}", params)
        return [_summary(row, self.books_dir) for row in rows]

    def select(
        self, where: BookFilter, sort: str = "newest", limit: int | None = None
    ) -> tuple[Iterator[Summary], int]:
        """The books that pass `where`, sorted, at most `limit` of them, read as they are asked for (a
        script listing 100,000 books never holds them all); and how many passed in all."""
        clause, params, total = self._selection(where, sort, limit)
        return self._batches(clause, params=params), total

    def select_listed(
        self, where: BookFilter, sort: str = "newest", limit: int | None = None
    ) -> tuple[Iterator[Listed], int]:
        """`select` as `list` gives it to scripts: the same books in the same order, each read from the
        columns it prints (rows.Listed), not rebuilt as a whole BookSummary."""
        clause, params, total = self._selection(where, sort, limit)
        columns, names, loaded = listed_columns()
        return self._listed(f"SELECT {columns} FROM books{clause}", params, names, loaded), total

    def select_columns(
        self, where: BookFilter, sort: str, limit: int | None, columns: Sequence[str]
    ) -> tuple[Iterator[tuple[Any, ...]], int]:
        """`select`'s books in its order, each as the values of `columns` as stored (a listing for scripts
        that decodes only what it prints); and how many passed in all."""
        clause, params, total = self._selection(where, sort, limit)
        return self._values(f"SELECT {', '.join(columns)} FROM books{clause}", params), total

    def select_lines(
        self, where: BookFilter, sort: str, limit: int | None
    ) -> tuple[Iterator[list[tuple[Any, ...]]], int]:
        """`select`'s books in its order, fetched a batch at a time, each as (its line, schema.list_line,
        or NULL; its rowid; 1 when that line is its tsv as it is, else NULL: not known); and how many passed
        in all. Every book newest first is read from `listing`, where the lines are kept in that order (one
        walk, no sort), most of them found tsv as they are when it was made: each book there as one value,
        (its line,) where it is its tsv as it is, else (its rowid,) (100,000 books: one column read, not
        three, 54 -> 37 ms); any other selection makes the lines, none known to be."""
        clause, params, total = self._selection(where, sort, limit)
        if clause == _EVERY_NEWEST and self.listing_ready():
            lines = f"SELECT CASE WHEN plain THEN line ELSE rid END FROM listing ORDER BY {LISTING_ORDER}"
            return self._fetched(lines, ()), total
        return self._fetched(f"SELECT {list_line()}, rowid, NULL FROM books{clause}", params), total

    def listing_ready(self) -> bool:
        """The `listing` table is there (schema.listing_statements), made now if not and the index is free:
        False (the listing made from `books` this time) when another readlog is writing it, or for an index
        in memory (used once). Made, its lines are checked (`plain`)."""
        if self._has_listing():
            return True
        if self.path is None:
            return False

        def make() -> None:
            if not self._has_listing():  # (another readlog may have made it meanwhile)
                for statement in listing_statements(vouched=True):
                    self.db.execute(statement)
                self._plain_checked()

        return self._if_free(make)

    def _plain_checked(self) -> None:
        """`plain` taken back from the listing's lines, all just vouched for, that are not their tsv as they
        are (text.lines_as_is), checked a thousand at a time as `list` writes them (a line SQL could not
        make, one with two spaces running, a control character). 100,000 books: some 0.1 s, once."""
        cursor = self.db.execute("SELECT line, activity, norm_title, rid FROM listing")
        needs_work: list[tuple[str, str, int]] = []
        while batch := cursor.fetchmany(1000):
            lines = [line for line, *_ in batch]
            if None in lines or not lines_as_is("\n".join(lines), len(lines), LINE_VALUES):
                needs_work += [
                    key for line, *key in batch if line is None or not lines_as_is(line, 1, LINE_VALUES)
                ]
        self.db.executemany(
            "UPDATE listing SET plain = NULL WHERE activity = ? AND norm_title = ? AND rid = ?", needs_work
        )

    def rebuild(self, progress: Callable[[int, int], None] | None = None) -> SyncReport:
        """Freshness.rebuild, the kept listing dropped first (forget_listing)."""
        self.forget_listing()
        return super().rebuild(progress)

    def forget_listing(self) -> None:
        """Drop the kept listing and its triggers before a rebuild in place, which would otherwise pay a
        trigger per row (10,000 books: +0.2-0.3 s of CPU); the next whole `list` makes it again. Never an
        error and never a wait: a damaged or busy index keeps it (kept in step through the rebuild)."""
        try:
            if self.path is not None and self._has_listing():
                drops = [f"DROP TRIGGER IF EXISTS {name}" for name in LISTING_TRIGGERS]
                self._listing_change((*drops, "DROP TABLE IF EXISTS listing"), made=True)
        except sqlite3.Error:
            pass

    def _has_listing(self) -> bool:
        exists = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'listing'"
        return self.db.execute(exists).fetchone() is not None

    def _listing_change(self, statements: Sequence[str], made: bool) -> bool:
        """Run `statements` in one transaction if the index is free, unless another readlog changed the
        listing meanwhile (it is there: `made`, or not); False when they did not run (a full disk, a
        read-only file: listed from `books` this time)."""

        def change() -> None:
            if self._has_listing() == made:
                for statement in statements:
                    self.db.execute(statement)

        return self._if_free(change)

    def _if_free(self, work: Callable[[], object]) -> bool:
        """`work` in one write transaction if the index is free now: False (nothing done, no wait) if another
        readlog is writing it, or on an SQLite error (rolled back, unless SQLite did already)."""
        db = self.db
        db.execute("PRAGMA busy_timeout = 0")
        try:
            db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError:
            return False
        finally:
            db.execute(f"PRAGMA busy_timeout = {int(BUSY_SECONDS * 1000)}")
        try:
            work()
            db.execute("COMMIT")
        except sqlite3.Error:
            rollback(db)  # (a full disk or an I/O error may end the transaction itself)
            return False
        return True

    def values_of(self, rowids: Sequence[int], columns: Sequence[str]) -> dict[int, tuple[Any, ...]]:
        """rowid -> the values of `columns` of these books."""
        found: dict[int, tuple[Any, ...]] = {}
        for start in range(0, len(rowids), 500):  # SQLite's limit on parameters
            part = list(rowids[start : start + 500])
            rows = self.db.execute(
                f"SELECT rowid, {', '.join(columns)} FROM books WHERE rowid IN ({','.join('?' * len(part))})",
                part,
            )
            found.update((row[0], row[1:]) for row in rows)
        return found

    def _fetched(self, sql: str, params: tuple[Any, ...]) -> Iterator[list[Any]]:
        cursor = self.db.execute(sql, params)
        try:
            while rows := cursor.fetchmany(1000):
                yield rows
        finally:
            cursor.close()

    def _values(self, sql: str, params: tuple[Any, ...]) -> Iterator[tuple[Any, ...]]:
        cursor = self.db.execute(sql, params)
        try:
            while rows := cursor.fetchmany(500):
                yield from rows
        finally:
            cursor.close()

    def _listed(
        self,
        sql: str,
        params: tuple[Any, ...],
        names: tuple[str, ...],
        loaded: list[tuple[str, Callable[[Any], Any]]],
    ) -> Iterator[Listed]:
        cursor = self.db.execute(sql, params)
        try:
            while rows := cursor.fetchmany(500):
                yield from listed_rows(rows, names, loaded)
        finally:
            cursor.close()

    def _selection(self, where: BookFilter, sort: str, limit: int | None) -> tuple[str, tuple[Any, ...], int]:
        """The WHERE, ORDER BY and LIMIT of `select` and its parameters; and how many books pass `where`."""
        clause, params = where.sql(lambda: read_otherwise(self))
        if sort == "author":
            self.db.create_function("author_key", 1, _author_key, deterministic=True)
        total = self.db.execute(f"SELECT count(*) FROM books{clause}", params).fetchone()[0]
        if sort == "newest" and not clause and not limit:
            # Every book, newest first: read in one sweep of the table and sorted (100,000 books: 295 ->
            # 195 ms), not walked through the activity index with a lookup in the table for each. The walk
            # gives the books of the same activity and title last row first; `rowid DESC` says so, so
            # the order is the same either way (tests/test_list_lines.py lists tied books both ways).
            return _EVERY_NEWEST, tuple(params), total
        order = f" ORDER BY {SORTS[sort]}" + (" LIMIT ?" if limit else "")
        return clause + order, tuple(params) + ((limit,) if limit else ()), total

    def sources(self, batch: int = 200, every: bool = True) -> Iterator[PickSource]:
        """Books with read-next picks, most recently active first, read in batches as they are needed: each
        with what the queue shows of it (rows.SourceBook), not rebuilt as a whole book. `every`: all of
        them will be read (no limit), so they are read in one sweep and sorted, not walked through the
        activity index with a lookup in the table for each (21 ms -> 14 ms at 10,000 books); a limited
        queue walks the index and stops early. The order is total (the slug last): the same either way."""
        plan = "NOT INDEXED " if every else ""
        cursor = self.db.execute(
            f"SELECT {SOURCE_COLUMNS} FROM books {plan}WHERE picks != '[]' ORDER BY activity DESC, slug"
        )
        try:
            while rows := cursor.fetchmany(batch):
                yield from pick_sources(rows)
        finally:
            cursor.close()

    def picks_and_books(self) -> tuple[list[Target], list[Named], int, dict[str, bool], dict[str, str]]:
        """What the queue needs to know about picks, from one join of the picks with the books of the same
        title (or the same work key, identity.pick_work_key): (1) the books some pick names by title, as
        (slug, the pick's normalised title, normalised authors, status, places: identity.book_places), once
        for each title a pick names it by; (2) the normalised (title, authors, places) of the picks whose
        title a book has, in `sources()` order; (3) how many different titles (and places: two volumes of a
        series are two, one work's titles by one author one: queue.open_key) the other picks name (each one
        open item of the queue); (4) the titles of those picks that make more than one item, or one with
        another title's, each with whether its work key is another title's too (`Matcher.shapes`); (5) the
        picks' authors' names that stand for another's (identity.person_keys: `K. Ishiguro` for `Kazuo
        Ishiguro`, `Matcher.persons`)."""

        def join() -> list[Any]:
            """The join (every pick looked up among the books: 22 ms at 100k) and the count of the picks'
            titles, kept for the index as it is."""
            rows = self.db.execute(
                "SELECT p.norm_title, p.norm_authors, p.activity, p.slug, p.rowid, p.places, b.slug, "
                f"b.norm_authors, b.status, b.title, ({_VOLUMES}), k.key, p.work FROM pick_titles p "
                "JOIN book_keys k ON k.key IN ('q1:' || p.norm_title, 'p:' || p.norm_title, "
                f"'q2:' || p.work, '{WORK_KEY}' || p.work) "
                "JOIN books b ON b.slug = k.slug"
            ).fetchall()
            rows = [[*row[:-2], row[-1]] for row in rows if _names_work(row[-2], row[-1], row[9])]
            return [*_open_items(self.db, {row[0] for row in rows}), rows]

        open_items, shapes, persons, rows = self.kept("picks", join)
        targets = {
            (slug, title): (slug, title, json.loads(authors), status, _places(book_title, volumes))
            for title, *_, slug, authors, status, book_title, volumes, _ in rows
        }
        picks = {
            (activity, source, rowid): (title, _names(names), _names(places), work)
            for title, names, activity, source, rowid, places, *_, work in rows
        }
        order = sorted(picks, key=lambda key: (key[1], key[2]))
        order.sort(key=lambda key: key[0], reverse=True)  # newest first, then slug and pick order
        named = [picks[key] for key in order]
        books = [targets[key] for key in sorted(targets)]  # a title two books share: the first by slug
        return books, named, open_items, shapes, persons

    def count_status(self, status: str) -> int:
        return self.db.execute("SELECT count(*) FROM books WHERE status = ?", (status,)).fetchone()[0]

    def by_slugs(self, slugs: Sequence[str]) -> dict[str, BookSummary]:
        """The books with these slugs (summary fields only)."""
        found: dict[str, BookSummary] = {}
        unique = sorted(set(slugs))
        for start in range(0, len(unique), 500):  # SQLite's limit on parameters is lower than a journal
            part = unique[start : start + 500]
            where = f"WHERE slug IN ({','.join('?' * len(part))})"
            found.update((entry.slug, entry.book) for entry in self.entries(where, tuple(part)))
        return found

    def reading(self, limit: int | None = None) -> tuple[list[Summary], int]:
        """Books being read now, most recently active first (at most `limit`); and how many in all."""
        where = "WHERE status = 'reading'"
        total = self.db.execute(f"SELECT count(*) FROM books {where}").fetchone()[0]
        order = " ORDER BY activity DESC, norm_title" + (f" LIMIT {int(limit)}" if limit else "")
        if limit and total and limit * self._book_count() < total * total:
            # Many books being read: walking the books newest first finds the few shown sooner than
            # reading and sorting every one being read (100k books, 5,000 being read: 7 ms -> 1 ms).
            # The same rows in the same order: only the way SQLite finds them differs.
            rows = self.db.execute(f"SELECT * FROM books INDEXED BY books_activity {where}{order}")
            return [_summary(row, self.books_dir) for row in rows], total
        return self.entries(where + order), total

    def _book_count(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM books").fetchone()[0])

    def in_series(self) -> list[SeriesMember]:
        """Books that name a series, by slug: what `readlog series` and next-in-series are made from (read
        from the columns they use alone: rows.SeriesMember)."""
        rows = self.db.execute(f"SELECT {SERIES_COLUMNS} FROM books WHERE series IS NOT NULL ORDER BY slug")
        return series_members(rows)

    def wanted(self, batch: int = 200, first: int | None = None) -> Iterator[WantedBook]:
        """Books with status `want`, in queue order (priority, then date added), read as needed (each with
        what the queue lists of it: rows.WantedBook). With `first` (what a limited queue is likely to
        need), those are found without sorting every wanted book (100k books: 44 ms -> 4 ms); any more
        are read as usual, after them."""
        where = "WHERE status = 'want'"
        if first:
            head = self._first_wanted(first)
            if head is not None:
                yield from head
                rest = self._wanted(f"{where} {_WANT_ORDER}", (), batch)
                for skipped, entry in enumerate(rest):
                    if skipped >= len(head):
                        yield entry
                return
        yield from self._wanted(f"{where} {_WANT_ORDER}", (), batch)

    def _wanted(self, where: str, params: tuple[Any, ...], batch: int = 500) -> Iterator[WantedBook]:
        cursor = self.db.execute(f"SELECT {WANTED_COLUMNS} FROM books {where}", params)
        try:
            while rows := cursor.fetchmany(batch):
                yield from wanted_books(rows)
        finally:
            cursor.close()

    def _first_wanted(self, first: int) -> list[WantedBook] | None:
        """The first `first` wanted books in queue order, or None when there are no more than that. The
        order's keys without the slug come from the covering index (status, priority, added); the rows
        whose keys tie with the last of them are all read, and the candidates sorted by the whole order
        in SQL: exactly the rows, and the order, of the full query's first `first`."""
        keys = self.db.execute(
            "SELECT rowid, priority, added FROM books INDEXED BY books_status WHERE status = 'want' "
            "ORDER BY priority IS NULL, priority, added IS NULL, added LIMIT ?",
            (first + 1,),  # one more: to know that there are more than `first`
        ).fetchall()
        if len(keys) <= first:
            return None
        last = tuple(keys[first - 1][1:])
        before = [rowid for rowid, priority, added in keys[:first] if (priority, added) != last]
        ties = self.db.execute(
            "SELECT rowid FROM books INDEXED BY books_status WHERE status = 'want' AND priority IS ? "
            "AND added IS ?",
            last,
        )
        candidates = before + [rowid for (rowid,) in ties]
        found: list[WantedBook] = []
        for start in range(0, len(candidates), 500):  # SQLite's limit on parameters
            part = candidates[start : start + 500]
            found += self._wanted(f"WHERE rowid IN ({','.join('?' * len(part))})", tuple(part))
        if len(candidates) > 500:  # sorted in parts: sort the whole by the same order
            order = {slug: n for n, slug in enumerate(self._sorted_slugs(candidates))}
            found.sort(key=lambda entry: order[entry.slug])
            return found[:first]
        return list(
            self._wanted(
                f"WHERE rowid IN ({','.join('?' * len(candidates))}) {_WANT_ORDER} LIMIT ?",
                (*candidates, first),
            )
        )

    def _sorted_slugs(self, rowids: Sequence[int]) -> list[str]:
        """The slugs of these wanted books in queue order (a temporary table: more rows than parameters)."""
        db = self.db
        db.execute("CREATE TEMP TABLE IF NOT EXISTS chosen (id INTEGER PRIMARY KEY)")
        db.execute("DELETE FROM temp.chosen")
        db.executemany("INSERT OR IGNORE INTO temp.chosen VALUES (?)", [(rowid,) for rowid in rowids])
        rows = db.execute(f"SELECT slug FROM books WHERE rowid IN (SELECT id FROM temp.chosen) {_WANT_ORDER}")
        return [slug for (slug,) in rows]

    # --- suggestions (readlog.suggest ranks; these keep what it needs and what it found) -----------------
    def suggest_rows(self) -> list[tuple[Any, ...]]:
        """What ranking needs of every book, one query: slug, title, authors, status, rating, tags, pages,
        added, reads, picks, series, traits (lists and tables as the JSON the books table holds), priority."""
        return self.db.execute(
            "SELECT slug, title, authors, status, rating, tags, pages, added, reads, picks, series, traits, "
            "priority FROM books ORDER BY slug"
        ).fetchall()

    def suggestions_key(self) -> str | None:
        """The key the kept ranking was made under, or None when none is kept."""
        return self._meta("suggestions")

    def books_key(self) -> str:
        """What changes whenever a book does: the fingerprint of the book files."""
        return self._meta("fingerprint") or ""

    def saved_suggestions(self, limit: int | None = None) -> list[tuple[str, float, str]]:
        """The kept ranking, best first: (slug, score, data as JSON)."""
        tail = " LIMIT ?" if limit else ""
        return self.db.execute(
            f"SELECT slug, score, data FROM suggestions ORDER BY rank{tail}", (limit,) if limit else ()
        ).fetchall()

    def save_suggestions(self, key: str, rows: Sequence[tuple[str, float, str]]) -> bool:
        """Keep a ranking (slug, score, data) under `key`, replacing the last; False when another process
        holds the index (a ranking not kept is made again next time, never an error)."""
        db = self.db
        try:
            db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as error:
            if is_busy(error):
                return False
            raise
        try:
            db.execute("DELETE FROM suggestions")
            db.executemany(
                "INSERT INTO suggestions VALUES (?, ?, ?, ?)",
                [(rank, slug, score, data) for rank, (slug, score, data) in enumerate(rows)],
            )
            self._set_meta(suggestions=key)
            db.execute("COMMIT")
        except BaseException:
            rollback(db)
            raise
        return True

    def _batches(self, where: str, batch: int = 200, params: tuple[Any, ...] = ()) -> Iterator[Summary]:
        """Books rebuilt `batch` at a time as the caller asks, from one query. (Pages by LIMIT and
        OFFSET read the skipped rows again for every page: the whole queue at 10,000 books took 0.3 s.)"""
        cursor = self.db.execute(f"SELECT * FROM books {where}", params)
        books_dir = self.books_dir
        try:
            while rows := cursor.fetchmany(batch):
                for row in rows:
                    yield _summary(row, books_dir)
        finally:
            cursor.close()

    def subtitle_keys(self) -> set[str]:
        """Every subtitle key the books have (identity.lookup_keys' `s:…`): an import asks it once, and then
        each row in memory (identity.subtitle_lookups), not with a query per row."""
        return self.keys_starting("s:")

    def keys_starting(self, prefix: str) -> set[str]:
        """Every key the books have that begins with `prefix` (one ending in `:`)."""
        query = "SELECT key FROM book_keys WHERE key >= ? AND key < ?"
        return {key for (key,) in self.db.execute(query, (prefix, f"{prefix[:-1]};"))}

    def pick_targets(self, titles: Sequence[tuple[str, str]]) -> list[Target]:
        """(slug, title key, normalised authors, status, places) of the books picks with these (title key,
        work key) name (identity.pick_title_key: a book's `q1:` key, or its `p:` key, identity.pick_keys;
        identity.pick_work_key: its `q2:` or `w:` key, as `picks_and_books` joins them): what the status
        of picks with those titles is decided from, each under the title key of the picks that name it."""
        wanted: dict[str, set[str]] = {}  # a book's key -> the title keys of the picks it is looked up for
        for title, work in titles:
            for key in (
                f"q1:{title}",
                f"{PICK_KEY}{title}",
                *((f"q2:{work}", f"{WORK_KEY}{work}") * bool(work)),
            ):
                wanted.setdefault(key, set()).add(title)
        marks = ",".join("?" * len(wanted))
        rows = self.db.execute(
            f"SELECT b.slug, k.key, b.norm_authors, b.status, b.title, ({_VOLUMES}) FROM book_keys k "
            f"JOIN books b ON b.slug = k.slug WHERE k.key IN ({marks})",
            tuple(wanted),
        )
        found = {
            (slug, title): (slug, title, json.loads(authors), status, _places(book_title, volumes))
            for slug, key, authors, status, book_title, volumes in rows
            for title in wanted[key]
            if key.startswith(("q1:", PICK_KEY)) or _names_work(key, key.partition(":")[2], book_title)
        }
        return list(found.values())

    def tag_counts(self) -> list[tuple[str, int]]:
        """Every tag as written in the books, with how many books have it. (Kept: counting the distinct
        books of every tag took 250 ms at 100,000 books.)"""

        def count() -> list[list[Any]]:
            rows = self.db.execute(
                "SELECT name, count(DISTINCT slug) FROM book_names WHERE kind = 'tag' GROUP BY name"
            )
            return [[name, number] for name, number in rows]

        return [(str(name), int(number)) for name, number in self.kept("tags", count)]

    # --- figures kept for the index as it is --------------------------------------------------------------
    # A figure made from every book (the tags' counts, a search's best hits) is kept in `meta` under the
    # state of the index it was made from (`state_key`), and made again as soon as that changes. Keeping
    # one is never an error and never a wait: when another readlog is writing the index, it is not kept.
    def state_key(self) -> str:
        """What changes whenever the index's rows do: readlog's version and code (another may read files,
        or make what is kept, another way: `code_stamp`), the book files' fingerprint (stored by every sync
        and every write of readlog's own, with the rows) and the last part's rowid (every book has parts,
        and a batch an import records gets new ones before the next sync stores the fingerprint)."""
        from readlog import __version__, code_stamp

        last = self.db.execute("SELECT rowid FROM parts ORDER BY rowid DESC LIMIT 1").fetchone()
        return f"{__version__}|{code_stamp()}|{self._meta('fingerprint')}|{last[0] if last else 0}"

    def kept(self, name: str, make: Callable[[], Any]) -> Any:
        """The figure `name` as kept for the index as it is; else `make()`, kept (JSON values only)."""
        if self.path is None:
            return make()
        key = self.state_key()
        stored = self._meta(f"kept:{name}")
        if stored:
            try:
                kept = json.loads(stored)
                if isinstance(kept, dict) and kept.get("key") == key and "value" in kept:
                    return kept["value"]
            except ValueError:  # not what this code writes: made again
                pass
        value = make()
        self.keep_meta(**{f"kept:{name}": json.dumps({"key": key, "value": value}, ensure_ascii=False)})
        return value

    def kept_ledger(self, ledger: Any) -> KeptLedger:
        """`ledger` (this index as a stats Ledger) with its answers kept for the index as it is."""
        return KeptLedger(self, ledger)

    def keep_meta(self, **values: str) -> bool:
        """Store these `meta` values now if the index is free; False (nothing stored) if another readlog
        is writing it: no wait."""
        return self._if_free(lambda: self._set_meta(**values))

    def slugs_tagged(self, names: Sequence[str]) -> list[str]:
        marks = ",".join("?" * len(names))
        rows = self.db.execute(
            f"SELECT DISTINCT slug FROM book_names WHERE kind = 'tag' AND name IN ({marks}) ORDER BY slug",
            tuple(names),
        )
        return [slug for (slug,) in rows]

    def slug_for_key(self, key: str) -> str | None:
        row = self.db.execute("SELECT slug FROM book_keys WHERE key = ? LIMIT 1", (key,)).fetchone()
        return row[0] if row else None

    def slugs_for_key(self, key: str, most: int = 2) -> list[str]:
        """Up to `most` books holding `key` (one ISBN in two books: an import asks which, never guesses)."""
        query = "SELECT DISTINCT slug FROM book_keys WHERE key = ? ORDER BY slug LIMIT ?"
        return [slug for (slug,) in self.db.execute(query, (key, most))]

    def keys_of(self, slug: str) -> list[str]:
        """A book's keys (identity.book_keys), as recorded."""
        return [key for (key,) in self.db.execute("SELECT key FROM book_keys WHERE slug = ?", (slug,))]

    def holds_quotes(self, slug: str, prefixes: Sequence[str]) -> bool:
        """Does the book `slug` hold a quote whose key starts with one of `prefixes` (a highlight's source
        and title line's digest, `kindle:9dc059:`: clippings of that title line from that device)?"""
        ranges = " OR ".join("(ident >= ? AND ident < ?)" for _ in prefixes)
        if not ranges:
            return False
        row = self.db.execute(
            f"SELECT 1 FROM moments WHERE slug = ? AND kind = 'quote' AND ({ranges}) LIMIT 1",
            (slug, *(x for p in prefixes for x in (p, p + "\U0010ffff"))),
        ).fetchone()
        return row is not None

    def quote_holders(self, keys: Collection[str]) -> dict[str, set[str]]:
        """The books holding a quote under each of `keys` (a highlight's key: its source, its title line's
        digest, its place and words), by key: where an earlier import put these highlights, whatever the
        book is called now (`merge` keeps B's quotes, keys and all, in A). Keys no book holds are left out.
        (The quotes' keys have no index of their own: an import asks once, for all its highlights.)"""
        wanted = {k for k in keys if k}
        found: dict[str, set[str]] = {}
        if len(wanted) <= 500:  # (under SQLite's limit on parameters)
            marks = ",".join("?" * len(wanted))
            rows: Iterable[tuple[str, str]] = self.db.execute(
                f"SELECT ident, slug FROM moments WHERE kind = 'quote' AND ident IN ({marks})", sorted(wanted)
            )
        else:  # one pass over the quotes, not one per 500 keys
            rows = self.db.execute("SELECT ident, slug FROM moments WHERE kind = 'quote'")
        for key, slug in rows:
            if key in wanted:
                found.setdefault(key, set()).add(slug)
        return found

    # --- what BOOK lookups ask (identity.find) ------------------------------------------------------------
    def _candidates(self, where: str = "", params: Sequence[Any] = ()) -> list[Candidate]:
        """Slug, title, authors and series (a book known by its series alone, KOReader's `Saga` with Saga
        #2, may be a row's *Saga, Vol. 2*: identity.book_ties)."""
        rows = self.db.execute(f"SELECT slug, title, authors, series FROM books {where}", tuple(params))
        return [
            Candidate(slug, title, tuple(json.loads(authors)), series=_series_pairs(series))
            for slug, title, authors, series in rows
        ]

    def with_title(self, norm_title: str) -> list[Candidate]:
        return self._candidates("WHERE norm_title = ? ORDER BY slug", (norm_title,))

    def titled(self, title: str) -> list[Candidate]:
        """The books whose title is `title`, as the index compares titles (case and accents aside)."""
        return self.with_title(stored_title(title))

    def with_key(self, key: str) -> list[Candidate]:
        """The books stored under a lookup key (identity.lookup_keys: `q1:the passage`), with their series
        (`Dune (Dune #1)` finds no *Dune* that is #2: identity.lookup)."""
        rows = self.db.execute(
            "SELECT slug, title, authors, series FROM books "
            "WHERE slug IN (SELECT slug FROM book_keys WHERE key = ?) ORDER BY slug",
            (key,),
        )
        return [
            Candidate(slug, title, tuple(json.loads(authors)), series=_series_pairs(series))
            for slug, title, authors, series in rows
        ]

    def containing(self, words: Sequence[str]) -> list[Candidate]:
        """Books whose normalised title contains every one of `words` somewhere (whole words are checked
        by the caller): narrows 100,000 titles to a handful in SQL."""
        if not words:
            return []
        where = " AND ".join("instr(norm_title, ?) > 0" for _ in words)
        rows = self.db.execute(
            f"SELECT slug, title, authors, series FROM books WHERE {where} ORDER BY slug", words
        )
        return [  # (with their series: `the expanse` names a series too, identity.lookup)
            Candidate(slug, title, tuple(json.loads(authors)), series=_series_pairs(series))
            for slug, title, authors, series in rows
        ]

    def candidates(self) -> list[Candidate]:
        """Every book, with its other titles' keys and its series: what suggestions look through."""
        aliases: dict[str, list[str]] = {}
        rows = self.db.execute("SELECT slug, key FROM book_keys WHERE key >= 'q3:' AND key < 'q3;'")
        for slug, key in rows:
            aliases.setdefault(slug, []).append(key[3:])
        rows = self.db.execute("SELECT slug, title, authors, series FROM books ORDER BY slug")
        return [
            Candidate(
                slug, title, tuple(json.loads(authors)), tuple(aliases.get(slug, ())), _series_pairs(series)
            )
            for slug, title, authors, series in rows
        ]

    def complete(self, prefix: str, limit: int = 200) -> list[tuple[str, str]]:
        """(slug, title) of books whose slug or title starts with `prefix`: for shell completion."""
        slug_prefix = prefix.lower().replace(" ", "-")
        rows = self.db.execute(
            "SELECT slug, title FROM books WHERE substr(slug, 1, ?) = ? OR substr(norm_title, 1, ?) = ? "
            "ORDER BY slug LIMIT ?",
            (len(slug_prefix), slug_prefix, len(stored_title(prefix)), stored_title(prefix), limit),
        )
        return list(rows)

    def titles_starting(self, prefixes: Sequence[str]) -> list[Summary]:
        """Books whose normalised title starts with one of `prefixes` (identity.title_prefixes): the few
        that may be one work with a given title, found through the title index; identity decides which
        are."""
        where, params = self._starting(prefixes)
        return self.entries(f"WHERE slug IN ({where}) ORDER BY slug", params) if params else []

    def candidates_starting(self, prefixes: Sequence[str]) -> list[Candidate]:
        """`titles_starting`, as slug, title and authors only (an import asks once per row)."""
        where, params = self._starting(prefixes)
        return self._candidates(f"WHERE slug IN ({where}) ORDER BY slug", params) if params else []

    def titles_like(self, title: str) -> list[Summary]:
        """The books that may be one work with `title` (by identity.title_prefixes): `titles_starting`."""
        return self.titles_starting(title_prefixes(title))

    def candidates_like(self, title: str) -> list[Candidate]:
        """`titles_like`, as slug, title and authors only (an import asks once per row)."""
        return self.candidates_starting(title_prefixes(title))

    @staticmethod
    def _starting(prefixes: Sequence[str]) -> tuple[str, tuple[str, ...]]:
        # One range of the title index per prefix (an OR of ranges makes SQLite scan the table).
        wanted = [p for p in dict.fromkeys(prefixes) if p]
        ranges = " UNION ALL ".join(
            "SELECT slug FROM books WHERE norm_title >= ? AND norm_title < ?" for _ in wanted
        )
        return ranges, tuple(x for p in wanted for x in (p, p + "\U0010ffff"))


class KeptLedger:
    """A stats Ledger (readlog.stats) whose answers are kept in `meta` under the index's state: `readlog
    stats` asks eight questions of every book (84 ms at 100,000 books), and then none until a book changes.
    Answers are read once, made only when missing, and written back in one go by `save`."""

    def __init__(self, index: Queries, ledger: Any) -> None:
        self._index = index
        self._ledger = ledger
        self._key = index.state_key() if index.path is not None else None
        self._answers: dict[str, Any] = {}
        self._new = False
        stored = index._meta("kept:stats") if self._key is not None else None
        try:
            kept = json.loads(stored) if stored else None
            if (
                isinstance(kept, dict)
                and kept.get("key") == self._key
                and isinstance(kept.get("answers"), dict)
            ):
                self._answers = kept["answers"]
        except ValueError:  # not what this code writes: asked again
            pass

    def _ask(self, question: str, ask: Callable[[], Any]) -> Any:
        if question not in self._answers:
            self._answers[question] = ask()
            self._new = True
        return self._answers[question]

    def save(self) -> None:
        """Keep the answers made this time (never an error, never a wait); a long one (every author of a
        big journal) is asked again each time: reading it back would cost what asking does."""
        if self._new and self._key is not None:
            answers = {
                q: a for q, a in self._answers.items() if not isinstance(a, list) or len(a) <= KEPT_ROWS
            }
            value = json.dumps({"key": self._key, "answers": answers}, ensure_ascii=False)
            self._index.keep_meta(**{"kept:stats": value})

    @staticmethod
    def _scope(slugs: Collection[str] | None) -> str:
        if slugs is None:
            return "read"
        import hashlib

        return hashlib.sha1(json.dumps(sorted(slugs), ensure_ascii=False).encode()).hexdigest()

    def finished_periods(self) -> list[Any]:
        from readlog.index.aggregates import Finished

        rows = self._ask("finished_periods", lambda: [list(r) for r in self._ledger.finished_periods()])
        return [Finished._make(row) for row in rows]

    def abandoned(self) -> list[tuple[str, int]]:
        # ("abandoned:2": with the undated row; an answer kept before it is not taken)
        rows = self._ask("abandoned:2", lambda: [list(r) for r in self._ledger.abandoned()])
        return [(str(year), int(n)) for year, n in rows]

    def finished_in(self, year: int) -> list[str]:
        return [
            str(s) for s in self._ask(f"finished_in:{year}", lambda: list(self._ledger.finished_in(year)))
        ]

    def rereads(self) -> list[tuple[str, str | None, int]]:
        # ("rereads:2": with the readings done on a day nobody knows; an answer kept before it is not taken)
        rows = self._ask("rereads:2", lambda: [list(r) for r in self._ledger.rereads()])
        return [(slug, status, int(undated)) for slug, status, undated in rows]

    def rereads_in(self, year: int) -> int:
        return int(self._ask(f"rereads_in:{year}", lambda: self._ledger.rereads_in(year)))

    def rating_counts(self, slugs: Collection[str] | None) -> list[tuple[float, int]]:
        question = f"rating_counts:{self._scope(slugs)}"
        rows = self._ask(question, lambda: [list(r) for r in self._ledger.rating_counts(slugs)])
        return [(rating, int(n)) for rating, n in rows]

    def name_counts(self, kind: str, slugs: Collection[str] | None) -> list[tuple[str, int]]:
        question = f"name_counts:{kind}:{self._scope(slugs)}"
        rows = self._ask(question, lambda: [list(r) for r in self._ledger.name_counts(kind, slugs)])
        return [(str(name), int(n)) for name, n in rows]

    def undated(self) -> int:
        return int(self._ask("undated", self._ledger.undated))


# A book's places in a series its `series` field gives, as its `vol:` keys joined by UNIT (a subquery of b).
_VOLUMES = (
    "SELECT group_concat(v.key, char(31)) FROM book_keys v WHERE v.slug = b.slug "
    f"AND v.key >= '{VOLUME_KEY}' AND v.key < '{VOLUME_KEY[:-1]};'"
)


def _places(title: str, volumes: str | None) -> frozenset[str]:
    """A book's places (identity.book_places) from its title and its `_VOLUMES`."""
    return book_places(title, volumes.split(UNIT) if volumes else ())


def _names_work(key: str, work: str, title: str) -> bool:
    """A book found by `key` for a pick of this work key (identity.pick_work_key) is one it names: found by
    its title key or its `p:` or `w:` key; by its `q2:` key (its title_key, looked up for a work key) only
    when its own work key is that too (else it has a `w:` key of its own: `Never Let Me Go: A Novel`'s
    title_key is not its work key)."""
    return not key.startswith("q2:") or pick_work_key(title) == work


def _names(joined: str) -> frozenset[str]:
    """Names (or places) a column keeps joined by UNIT."""
    return frozenset(joined.split(UNIT)) if joined else _NONE


def _series_pairs(series: str | None) -> tuple[tuple[str, str], ...]:
    """A book's `series` column (JSON) as the (name, number) pairs a Candidate carries."""
    if not series:
        return ()
    return tuple(
        (str(s.get("name", "")), str(s.get("number", "")))
        for s in json.loads(series) or ()
        if isinstance(s, dict)
    )


def _open_items(db: sqlite3.Connection, met: Collection[str]) -> tuple[int, dict[str, bool], dict[str, str]]:
    """How many open items of the queue the picks whose title no book has (none of `met`) make: their
    different `queue.open_key`s, as `build_queue` lists them; and the titles whose picks need more than
    their title to tell their items (`Matcher.shapes`): picked with other authors or at a place in a series
    (False), or one work's as another title is (True: its work key counts). Most titles need only
    themselves, and the queue reads nothing more of their picks (10,000 books: 8,000 picks' work keys
    took 40 ms). And the names among every pick's authors that stand for another's (identity.person_keys,
    the queue's `Matcher.persons`: `K. Ishiguro` and `Kazuo Ishiguro` one author of one item)."""
    from readlog.queue import open_key

    rows = db.execute("SELECT norm_title, norm_authors, places, work FROM pick_titles").fetchall()
    persons = person_keys(name for _, names, *_ in rows if names for name in names.split(UNIT))
    rows = [row for row in rows if row[0] not in met]
    authors: dict[str, str] = {}
    titles_of: dict[str, set[str]] = {}
    shapes: dict[str, bool] = {}
    for title, names, places, work in rows:
        if places or authors.setdefault(title, names) != names:
            shapes[title] = False
        if work:
            titles_of.setdefault(work, set()).add(title)
    shapes.update((title, True) for titles in titles_of.values() if len(titles) > 1 for title in titles)
    keys = {
        open_key(
            title, names.split(UNIT) if names else (), _names(places), work if shapes[title] else "", persons
        )
        for title, names, places, work in rows
        if title in shapes
    }
    return len(keys) + len({row[0] for row in rows if row[0] not in shapes}), shapes, persons
