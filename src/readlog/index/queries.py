"""Reading books back from the index: lists and their filters and sorts, the queue, BOOK lookups by
title and key, tags, completion, and the saved suggestions."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from readlog.identity import Candidate, stored_name, stored_title, title_prefixes
from readlog.index.freshness import Freshness
from readlog.index.rows import _NONE, UNIT, _author_key, _summary
from readlog.index.schema import is_busy
from readlog.model import Book, Summary


@dataclass
class BookFilter:
    """What `readlog list` narrows by. Each field None means: no condition."""

    status: list[str] | None = None
    tag: str | None = None
    author: str | None = None  # a part of an author's name, compared normalised
    rating: tuple[str, float] | None = None  # (operator, value): (">=", 4)
    year: int | None = None  # finished in this year
    date_from: str | None = None  # finished on or after (ISO date)
    date_to: str | None = None  # finished on or before

    def sql(self) -> tuple[str, list[Any]]:
        clauses: list[str] = []
        params: list[Any] = []
        if self.status:
            clauses.append(f"status IN ({','.join('?' * len(self.status))})")
            params += self.status
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
        finished = "EXISTS (SELECT 1 FROM book_reads r WHERE r.slug = books.slug AND "
        if self.year is not None:
            clauses.append(finished + "substr(r.finished, 1, 4) = ?)")
            params.append(f"{self.year:04d}")
        if self.date_from:
            clauses.append(finished + "r.finished >= ?)")
            params.append(self.date_from)
        if self.date_to:
            clauses.append(finished + "r.finished <= ?)")
            params.append(self.date_to)
        return (" WHERE " + " AND ".join(clauses) if clauses else ""), params


SORTS = {
    "newest": "activity DESC, norm_title",
    "title": "norm_title, slug",
    # By surname, as libraries file books (Adams, Le Guin, Smith, Tyler); see text.sort_name.
    "author": "author_key(authors) IS NULL, author_key(authors), norm_title",
    "rating": "rating IS NULL, rating DESC, norm_title",
    "finished": "last_finished IS NULL, last_finished DESC, norm_title",
    "added": "added IS NULL, added DESC, norm_title",
}


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
        clause, params = where.sql()
        if sort == "author":
            self.db.create_function("author_key", 1, _author_key, deterministic=True)
        total = self.db.execute(f"SELECT count(*) FROM books{clause}", params).fetchone()[0]
        order = f" ORDER BY {SORTS[sort]}" + (" LIMIT ?" if limit else "")
        return self._batches(clause + order, params=tuple(params) + ((limit,) if limit else ())), total

    def sources(self, batch: int = 200) -> Iterator[Summary]:
        """Books with read-next picks, most recently active first, read in batches as they are needed."""
        return self._batches("WHERE picks != '[]' ORDER BY activity DESC, slug", batch)

    def picks_and_books(
        self,
    ) -> tuple[list[tuple[str, str, list[str], str | None]], list[tuple[str, frozenset[str]]], int]:
        """What the queue needs to know about picks, from one join of the picks with the books of the same
        title: (1) the books some pick names by title, as (slug, normalised title, normalised authors,
        status); (2) the normalised (title, authors) of the picks whose title a book has, in `sources()`
        order; (3) how many different titles the other picks name (each one open item of the queue)."""
        rows = self.db.execute(
            "SELECT p.norm_title, p.norm_authors, p.activity, p.slug, p.rowid, b.slug, b.norm_authors, "
            "b.status FROM pick_titles p JOIN books b ON b.norm_title = p.norm_title"
        ).fetchall()
        targets = {
            slug: (slug, title, json.loads(authors), status) for title, *_, slug, authors, status in rows
        }
        picks = {
            (activity, source, rowid): (title, names) for title, names, activity, source, rowid, *_ in rows
        }
        order = sorted(picks, key=lambda key: (key[1], key[2]))
        order.sort(key=lambda key: key[0], reverse=True)  # newest first, then slug and pick order
        named = [
            (picks[key][0], frozenset(picks[key][1].split(UNIT)) if picks[key][1] else _NONE) for key in order
        ]
        titles = self.db.execute("SELECT count(DISTINCT norm_title) FROM pick_titles").fetchone()[0]
        books = [targets[slug] for slug in sorted(targets)]  # a title two books share: the first by slug
        return books, named, titles - len({title for title, *_ in rows})

    def count_status(self, status: str) -> int:
        return self.db.execute("SELECT count(*) FROM books WHERE status = ?", (status,)).fetchone()[0]

    def by_slugs(self, slugs: Sequence[str]) -> dict[str, Book]:
        """The books with these slugs (summary fields only)."""
        found: dict[str, Book] = {}
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
        return self.entries(where + order), total

    def in_series(self) -> list[Summary]:
        """Books that name a series: what `readlog series` and next-in-series are made from."""
        return self.entries("WHERE series IS NOT NULL ORDER BY slug")

    def wanted(self, batch: int = 200) -> Iterator[Summary]:
        """Books with status `want`, in queue order (priority, then date added), read as needed."""
        return self._batches(
            "WHERE status = 'want' ORDER BY priority IS NULL, priority, added IS NULL, added, slug", batch
        )

    # --- suggestions (readlog.suggest ranks; these keep what it needs and what it found) -----------------
    def suggest_rows(self) -> list[tuple[Any, ...]]:
        """What ranking needs of every book, one query: slug, title, authors, status, rating, tags, pages,
        added, reads, picks, series, traits (lists and tables as the JSON the books table holds)."""
        return self.db.execute(
            "SELECT slug, title, authors, status, rating, tags, pages, added, reads, picks, series, traits "
            "FROM books ORDER BY slug"
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
            db.execute("ROLLBACK")
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

    def pick_targets(self, norm_titles: Sequence[str]) -> list[tuple[str, str, list[str], str | None]]:
        """(slug, normalised title, normalised authors, status) of the books with one of `norm_titles`:
        what the status of picks with those titles is decided from."""
        marks = ",".join("?" * len(norm_titles))
        rows = self.db.execute(
            f"SELECT slug, norm_title, norm_authors, status FROM books WHERE norm_title IN ({marks})",
            tuple(norm_titles),
        )
        return [(slug, title, json.loads(authors), status) for slug, title, authors, status in rows]

    def tag_counts(self) -> list[tuple[str, int]]:
        """Every tag as written in the books, with how many books have it."""
        rows = self.db.execute(
            "SELECT name, count(DISTINCT slug) FROM book_names WHERE kind = 'tag' GROUP BY name"
        )
        return [(name, count) for name, count in rows]

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

    def keys_of(self, slug: str) -> list[str]:
        """A book's keys (identity.book_keys), as recorded."""
        return [key for (key,) in self.db.execute("SELECT key FROM book_keys WHERE slug = ?", (slug,))]

    # --- what BOOK lookups ask (identity.find) ------------------------------------------------------------
    def _candidates(self, where: str = "", params: Sequence[Any] = ()) -> list[Candidate]:
        rows = self.db.execute(f"SELECT slug, title, authors FROM books {where}", tuple(params))
        return [Candidate(slug, title, tuple(json.loads(authors))) for slug, title, authors in rows]

    def with_title(self, norm_title: str) -> list[Candidate]:
        return self._candidates("WHERE norm_title = ? ORDER BY slug", (norm_title,))

    def with_key(self, key: str) -> list[Candidate]:
        """The books stored under a lookup key (identity.lookup_keys: `q1:the passage`)."""
        return self._candidates(
            "WHERE slug IN (SELECT slug FROM book_keys WHERE key = ?) ORDER BY slug", (key,)
        )

    def containing(self, words: Sequence[str]) -> list[Candidate]:
        """Books whose normalised title contains every one of `words` somewhere (whole words are checked
        by the caller): narrows 100,000 titles to a handful in SQL."""
        if not words:
            return []
        where = " AND ".join("instr(norm_title, ?) > 0" for _ in words)
        return self._candidates(f"WHERE {where} ORDER BY slug", list(words))

    def candidates(self) -> list[Candidate]:
        """Every book, with its other titles' keys and its series: what suggestions look through."""
        aliases: dict[str, list[str]] = {}
        rows = self.db.execute("SELECT slug, key FROM book_keys WHERE key >= 'q3:' AND key < 'q3;'")
        for slug, key in rows:
            aliases.setdefault(slug, []).append(key[3:])
        rows = self.db.execute("SELECT slug, title, authors, series FROM books ORDER BY slug")
        return [
            Candidate(
                slug, title, tuple(json.loads(authors)), tuple(aliases.get(slug, ())),
                tuple((str(s.get("name", "")), str(s.get("number", ""))) for s in json.loads(series) or ()
                      if isinstance(s, dict)) if series else (),
            )
            for slug, title, authors, series in rows
        ]  # fmt: skip

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
