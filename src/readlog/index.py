"""The derived index: a SQLite cache of every book's summary and searchable text, so that `list`, `next`,
`search`, `stats` and BOOK lookups do not read every file.

The TOML files stay the only source of truth. The index lives in the user cache dir (one per data dir),
can be deleted at any time, and is brought up to date on every use: only files whose size, mtime, ctime or
inode changed are parsed again, added files are added and removed ones dropped, whoever changed them (readlog,
an editor, git). Where this Python's SQLite lacks FTS5, search falls back to a slower scan and says so once.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import re
import sqlite3
import unicodedata
import zlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, TypeAlias

from readlog.errors import BookFileError, ReadlogError
from readlog.identity import Candidate, aliases_of, book_keys, lookup_keys, stored_name, stored_title
from readlog.index_aggregates import Aggregates
from readlog.model import Book, Pick, Progress, Read, Summary, sort_key
from readlog.text import normalize

# What tells a file changed: size, mtime, inode and ctime (as the files table stores them).
Stamp = tuple[int, int, int, int]
_MASK = (1 << 64) - 1
# A book file -> (book, read_only). Given by the journal: the index never reads files on its own terms.
Loader = Callable[[str], tuple[Book, bool]]
Loaded: TypeAlias = "tuple[Book, bool] | Rows | ReadlogError"
# Many book files -> each one's (book, read_only) or error, in order, possibly using several processes.
ManyLoader = Callable[[list[str]], Iterator[tuple[str, Loaded]]]
PARALLEL_FROM = 2000  # files to parse before worker processes pay for themselves

INDEX_VERSION = 17  # bump when the tables change: an old index is simply rebuilt (17: BOOK lookup keys)
ENV_CACHE = "READLOG_CACHE"
# How long to wait for another readlog that is writing the index before working from the files instead.
BUSY_SECONDS = 5.0
BIG_CACHE_KB = 65536  # SQLite's page cache for a big sync: 64 MB (peak memory of a 100k build: 180 MB)
SPLIT_RANKING = 30_000  # matches of a search from which two processes rank them (Index._ranked)
WRITE_BATCH = 250  # books written to the index in one go (one statement per table)
BIG_WRITE = 200  # rows changed in one sync or import: after this many, checkpoint the WAL
UNIT = "\x1f"  # between names in one column
_NONE: frozenset[str] = frozenset()
PARTS = ("title", "review", "reflection", "quote", "pick")

_TABLES = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE files (
    slug TEXT PRIMARY KEY, size INTEGER, mtime_ns INTEGER, inode INTEGER, ctime_ns INTEGER,
    error TEXT, line INTEGER, col INTEGER
);
CREATE TABLE books (
    slug TEXT PRIMARY KEY, title TEXT NOT NULL, norm_title TEXT NOT NULL, authors TEXT NOT NULL,
    norm_authors TEXT NOT NULL, status TEXT, rating REAL, tags TEXT NOT NULL, year INTEGER, pages INTEGER,
    added TEXT, why TEXT, priority INTEGER, reads TEXT NOT NULL, picks TEXT NOT NULL, last_finished TEXT,
    activity TEXT NOT NULL, read_only INTEGER NOT NULL, duration TEXT, series TEXT, traits TEXT
);
CREATE INDEX books_norm_title ON books (norm_title);
CREATE INDEX books_activity ON books (activity);
CREATE INDEX books_status ON books (status, priority, added);
CREATE INDEX books_series ON books (slug) WHERE series IS NOT NULL;
CREATE INDEX files_errors ON files (slug) WHERE error IS NOT NULL;
-- Readings and names (authors, tags) one per row, with the book's status, for stats and filters in SQL.
CREATE TABLE book_reads (
    slug TEXT NOT NULL, status TEXT, started TEXT, finished TEXT, pages INTEGER, stopped TEXT
);
CREATE INDEX book_reads_slug ON book_reads (slug, finished, status);  -- covering: stats' re-reads
CREATE INDEX book_reads_finished ON book_reads (finished, pages, started);  -- covering: per year
CREATE TABLE book_names (
    slug TEXT NOT NULL, status TEXT, kind TEXT NOT NULL, name TEXT NOT NULL, norm TEXT NOT NULL
);
CREATE INDEX book_names_slug ON book_names (slug);
CREATE INDEX book_names_kind ON book_names (kind, norm);
CREATE INDEX book_names_status ON book_names (kind, status, name);
CREATE INDEX books_status_rating ON books (status, rating);
CREATE INDEX books_status_finished ON books (status, last_finished);  -- stats: read, undated
CREATE TABLE book_keys (slug TEXT NOT NULL, key TEXT NOT NULL);  -- isbn:..., goodreads:<Book Id>
CREATE INDEX book_keys_slug ON book_keys (slug);
CREATE INDEX book_keys_key ON book_keys (key);
-- Each pick, with its book's `activity` (the queue's order: picks_and_books sorts by it);
-- `norm_authors` are joined by U+001F (split at once, where JSON would be parsed 10,000 times).
CREATE TABLE pick_titles (
    slug TEXT NOT NULL, norm_title TEXT NOT NULL, norm_authors TEXT NOT NULL, activity TEXT NOT NULL
);
CREATE INDEX pick_titles_slug ON pick_titles (slug);
CREATE INDEX pick_titles_title ON pick_titles (norm_title);
CREATE TABLE part_rows (slug TEXT NOT NULL, part INTEGER NOT NULL);  -- which `parts` rows are whose
CREATE INDEX part_rows_slug ON part_rows (slug);
-- Quotes and dated reflections, for `recall`: `day` is the ISO date (or NULL), `ident` a quote's key.
CREATE TABLE moments (
    slug TEXT NOT NULL, kind TEXT NOT NULL, day TEXT, ident TEXT NOT NULL, body TEXT NOT NULL, label TEXT,
    note TEXT
);
CREATE INDEX moments_slug ON moments (slug);
CREATE INDEX moments_day ON moments (substr(day, 6, 5));
-- The want list ranked by `next --suggest` (readlog.suggest), best first, kept until `key` (the books'
-- fingerprint, the weights and the day) changes: plain `next` reads its top three from here.
CREATE TABLE suggestions (
    rank INTEGER PRIMARY KEY, slug TEXT NOT NULL, score REAL NOT NULL, data TEXT NOT NULL
);
"""
# Each table's columns, as _TABLES makes them: an index whose tables differ is damaged, not ours.
_COLUMNS = {
    name: tuple(part.split()[0] for part in body.split(","))
    for name, body in re.findall(r"CREATE TABLE (\w+) \((.*?)\);", _TABLES, flags=re.S)
}
_FTS = (
    "CREATE VIRTUAL TABLE parts USING fts5(slug UNINDEXED, part UNINDEXED, label, body, "
    "tokenize='unicode61 remove_diacritics 2')"
)
_PLAIN = "CREATE TABLE parts (slug TEXT, part TEXT, label TEXT, body TEXT)"
# Beside the word index, for parts written in scripts without spaces between words (CJK, Thai...), which
# unicode61 reads as one token per run: a trigram index finds any substring of 3+ characters; shorter
# queries scan only these rows. Rows share their rowid with `parts`.
_CJK = "CREATE VIRTUAL TABLE cjk USING fts5(slug UNINDEXED, part UNINDEXED, label, body, tokenize='trigram')"
_CJK_PLAIN = "CREATE TABLE cjk (slug TEXT, part TEXT, label TEXT, body TEXT)"
_UNSPACED_CHARS = (
    "[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff"
    "\uac00-\ud7af\uf900-\ufaff\U00020000-\U0003134f]"
)


def unspaced(text: str) -> bool:
    """Whether `text` has characters of a script written without spaces. ASCII text is answered without
    the pattern, which is compiled on first need (its ranges cost 3 ms to compile: more than a write)."""
    return not text.isascii() and _pattern_of(_UNSPACED_CHARS).search(text) is not None


@functools.cache
def _pattern_of(source: str) -> re.Pattern[str]:
    return re.compile(source)


# The tables with rows per book, by slug ("parts" and "cjk" go by rowid, through part_rows: first).
_PER_BOOK = ("part_rows", "moments", "pick_titles", "book_reads", "book_names", "book_keys", "files", "books")


def is_busy(error: Exception) -> bool:
    """The index is locked by another process (not damaged)."""
    return isinstance(error, sqlite3.OperationalError) and any(
        word in str(error) for word in ("locked", "busy")
    )


def is_damaged(error: Exception) -> bool:
    """The index file is corrupt, not a database, or not the tables this readlog expects."""
    text = str(error)
    return isinstance(error, sqlite3.DatabaseError) and any(
        words in text for words in ("malformed", "not a database", "no such", "has no column", "corrupt")
    )


def cache_dir() -> Path:
    if os.environ.get(ENV_CACHE):
        return Path(os.environ[ENV_CACHE]).expanduser()
    import platformdirs

    return Path(platformdirs.user_cache_dir("readlog", appauthor=False))


def index_path(root: Path) -> Path:
    """One index per data dir, named after it (readably, plus a checksum to keep names apart)."""
    where = str(root.resolve())
    readable = re.sub(r"[^A-Za-z0-9]+", "-", where).strip("-")[-60:]
    return cache_dir() / f"index-{readable}-{zlib.crc32(where.encode()):08x}.sqlite3"


@dataclass
class Hit:
    slug: str
    title: str
    authors: list[str]
    part: str  # title | review | reflection | quote | pick
    label: str  # the part's own heading: the review headline, a reflection's date, a pick's title...
    snippet: str  # with \ue000 ... \ue001 around each match
    rank: float


@dataclass
class SyncReport:
    parsed: int
    removed: int
    problems: list[BookFileError]


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


class Index(Aggregates):
    """The index of the books in `books_dir`, read with `load`, kept at `path`; with no path, in memory
    (built from the files on every run)."""

    def __init__(
        self,
        books_dir: Path,
        load: Loader,
        path: Path | None,
        use_fts: bool = True,
        load_many: ManyLoader | None = None,
    ):
        self.books_dir = books_dir
        self.load = load
        self.load_many = load_many
        self.path = path
        self.use_fts = use_fts  # False: the plain tables and scan search, as on a Python without FTS5
        self._db: sqlite3.Connection | None = None
        self.fts = True
        self.trigram = False  # the CJK table is a trigram index (else a plain table, scanned)
        self.fts_notice = False  # set when this run had to fall back to a scan: tell the user, once

    # --- connection ---------------------------------------------------------------------------------
    @property
    def db(self) -> sqlite3.Connection:
        if self._db is None:
            self._db = self._open()
        return self._db

    def _open(self) -> sqlite3.Connection:
        if self.path is None:
            memory = sqlite3.connect(":memory:", isolation_level=None)
            self._create(memory)
            return memory
        from readlog.private import private_dir

        private_dir(self.path.parent)
        db: sqlite3.Connection | None = None
        try:
            db = self._connect()
            self._ensure_schema(db)
        # A corrupt or foreign file: it is only a cache, start again. Garbage where SQLite keeps text (the
        # schema, a pragma's answer) comes out as a UnicodeDecodeError rather than a DatabaseError.
        except (sqlite3.DatabaseError, UnicodeDecodeError) as error:
            if db is not None:
                db.close()
            if is_busy(error):  # another readlog holds it: not damaged, never delete it under them
                raise
            self._delete()
            db = self._connect()
            self._ensure_schema(db)
        self._private()
        return db

    def _private(self) -> None:
        """The index holds every review in full: it and its WAL and SHM files are the reader's alone."""
        assert self.path is not None
        for suffix in ("", "-wal", "-shm"):
            path = Path(f"{self.path}{suffix}")
            with contextlib.suppress(FileNotFoundError):
                if path.stat().st_mode & 0o077:
                    os.chmod(path, 0o600)

    def reset(self) -> None:
        """Throw a damaged index away: the next use creates it again from the files."""
        self.close()
        self._delete()

    def _ensure_schema(self, db: sqlite3.Connection) -> None:
        """Create the tables, or replace an older version's, in one exclusive transaction: several readlog
        processes may open a new index at the same moment."""
        if db.execute("PRAGMA user_version").fetchone()[0] != INDEX_VERSION:
            db.execute("BEGIN EXCLUSIVE")
            try:
                if db.execute("PRAGMA user_version").fetchone()[0] != INDEX_VERSION:
                    tables = db.execute(
                        "SELECT name FROM sqlite_master WHERE type = 'table' "
                        "AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'parts_%'"
                    ).fetchall()
                    for (name,) in tables:  # an older index: its tables go (FTS5 takes its own along)
                        db.execute(f'DROP TABLE IF EXISTS "{name}"')
                    self._create(db)
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
        self.fts = db.execute("SELECT value FROM meta WHERE key = 'fts'").fetchone()[0] == "1"
        for table, columns in _COLUMNS.items():  # the version matches: are the tables really ours?
            found = tuple(d[0] for d in db.execute(f"SELECT * FROM {table} LIMIT 0").description)
            if found != columns:
                raise sqlite3.DatabaseError(f"no such columns in {table}: the index is not this version's")
        try:
            row = db.execute("SELECT value FROM meta WHERE key = 'trigram'").fetchone()
        except UnicodeDecodeError:  # garbage where the value was: a damaged file, rebuilt like any other
            raise sqlite3.DatabaseError("malformed meta table") from None
        self.trigram = row is not None and row[0] == "1"

    def _connect(self) -> sqlite3.Connection:
        assert self.path is not None
        if not self.path.exists():  # made 0600 first: SQLite gives its WAL and SHM files the same mode
            os.close(os.open(self.path, os.O_WRONLY | os.O_CREAT, 0o600))
        db = sqlite3.connect(self.path, timeout=BUSY_SECONDS, isolation_level=None)
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = NORMAL")
        return db

    def _create(self, db: sqlite3.Connection) -> None:
        # One statement at a time: `executescript` would COMMIT the caller's exclusive transaction first,
        # and then the COMMIT after it fails, so a new index was thrown away and rebuilt in memory.
        for statement in _TABLES.split(";"):
            if statement.strip():
                db.execute(statement)
        try:
            if not self.use_fts:
                raise sqlite3.OperationalError("no fts5 wanted")
            db.execute(_FTS)
            self.fts = True
        except sqlite3.OperationalError:  # this SQLite was built without FTS5
            db.execute(_PLAIN)
            self.fts = False
            self.fts_notice = True
        try:
            db.execute(_CJK if self.fts else _CJK_PLAIN)
            trigram = self.fts
        except sqlite3.OperationalError:  # SQLite before 3.34 has no trigram tokenizer
            db.execute(_CJK_PLAIN)
            trigram = False
        db.execute("INSERT INTO meta VALUES ('fts', ?)", ("1" if self.fts else "0",))
        db.execute("INSERT INTO meta VALUES ('trigram', ?)", ("1" if trigram else "0",))
        db.execute(f"PRAGMA user_version = {INDEX_VERSION}")

    def _delete(self) -> None:
        if self.path is None:
            return
        for suffix in ("", "-wal", "-shm"):
            Path(f"{self.path}{suffix}").unlink(missing_ok=True)

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    # --- keeping up with the files --------------------------------------------------------------------
    def sweep(self) -> tuple[dict[str, Stamp], int]:
        """Every book file's stamp (size, mtime, inode, ctime), and their fingerprint: one pass over the
        folder. Only when the fingerprint alone (`fingerprint`) says something changed."""
        stamps: dict[str, Stamp] = {}
        total = 0
        for name, st in self._book_files():
            stamp = stamps[name[:-5]] = (st.st_size, st.st_mtime_ns, st.st_ino, st.st_ctime_ns)
            total += _mix(name, stamp)
        return stamps, total & _MASK

    def fingerprint(self) -> str:
        """The fingerprint of every book file's name and stamp, in one pass that keeps nothing: the floor of
        what keeping up with hand edits costs (as fast as a bare loop that stats every file)."""
        total = count = 0
        crc = zlib.crc32
        for name, st in self._book_files():
            # _mix, inlined: a call per file is 10% of the pass.
            total += hash((crc(name.encode()), st.st_size, st.st_mtime_ns, st.st_ino, st.st_ctime_ns))
            count += 1
        return f"{total & _MASK:x}-{count}"

    def _book_files(self) -> Iterator[tuple[str, os.stat_result]]:
        """(file name, stat) of each book file: `*.toml`, not hidden, not a link (a second name for a book,
        or a way out of the journal)."""
        if not self.books_dir.is_dir():
            return
        with os.scandir(self.books_dir) as found:
            for item in found:
                name = item.name
                if name[-5:] != ".toml" or name[0] == "." or item.is_symlink():
                    continue
                try:
                    yield name, item.stat()
                except FileNotFoundError:  # removed while we looked
                    continue

    def sync(self, progress: Callable[[int, int], None] | None = None, rebuild: bool = False) -> SyncReport:
        """Bring the index up to date with the files: parse only what changed since the last sync (with
        `rebuild`, every file, the index emptied first in the same transaction)."""
        folder = folder_stamp(self.books_dir)  # before the sweep: a change during it shows next time
        db = self.db
        # The fingerprint (a sum over files of a hash of name and stamp): when it matches the one stored
        # at the last sync, nothing changed and the per-file comparison (10k rows read back) is skipped.
        # readlog's own writes keep it up to date (note_written). While the folder's own stamp is the
        # one stored, the fingerprint is taken in a pass that keeps nothing, and only a file edited in
        # place behind readlog's back costs a second pass; a file added, removed or renamed shows in the
        # folder's stamp, and then the one pass keeps every stamp.
        stored_row = db.execute("SELECT value FROM meta WHERE key = 'fingerprint'").fetchone()
        stored = stored_row[0] if stored_row else None
        stamps: dict[str, Stamp] | None = None
        if rebuild or stored is None or self._meta("folder") != folder:
            stamps, total = self.sweep()
            fingerprint = f"{total:x}-{len(stamps)}"
        else:
            fingerprint = self.fingerprint()
        changed: list[str] = []
        removed: list[str] = []
        if stored != fingerprint or rebuild:
            if stamps is None:
                stamps, total = self.sweep()
                fingerprint = f"{total:x}-{len(stamps)}"  # of the very stamps indexed below
            # ctime too: a same-size rewrite with its mtime put back (`cp -p`, `rsync -t`) still shows.
            known: dict[str, Stamp] = {}
            if not rebuild:  # (a query left open would stop the rebuild's DROP TABLE)
                rows = db.execute("SELECT slug, size, mtime_ns, inode, ctime_ns FROM files")
                known = {slug: (size, mtime, inode, ctime) for slug, size, mtime, inode, ctime in rows}
            changed = [slug for slug, stamp in stamps.items() if known.get(slug) != stamp]
            removed = [slug for slug in known if slug not in stamps]
            if (
                len(changed) >= BIG_WRITE
            ):  # room for the indexes' pages (default 2 MB): a 100k rebuild 31 -> 26 s
                db.execute(f"PRAGMA cache_size = -{BIG_CACHE_KB}")
            db.execute("BEGIN IMMEDIATE")
            try:
                indexes: list[str] = []
                if rebuild:
                    indexes = self._empty()
                for slug in removed:
                    self._forget(slug)
                batch: list[tuple[str, Stamp, Rows]] = []
                for done, (slug, loaded) in enumerate(self._load_all(changed), 1):
                    if slug in known:  # a new file has nothing to forget (a rebuild: every file)
                        self._forget(slug)
                    if isinstance(loaded, ReadlogError):
                        self._failed(slug, stamps[slug], loaded)
                    else:
                        batch.append((slug, stamps[slug], _rows(loaded)))
                    if len(batch) >= WRITE_BATCH or done == len(changed):
                        self._write(batch)
                        batch.clear()
                    if progress is not None:
                        progress(done, len(changed))
                for statement in indexes:  # made once from all the rows: faster than kept up row by row
                    db.execute(statement)
                self._set_meta(fingerprint=fingerprint, folder=folder)
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
            if len(changed) + len(removed) >= BIG_WRITE:
                self.checkpoint()
        elif self._meta("folder") != folder:
            self._set_meta(folder=folder)
        return SyncReport(len(changed), len(removed), self.problems())

    def problems(self) -> list[BookFileError]:
        """The files the last sync could not read."""
        rows = self.db.execute(
            "SELECT slug, error, line, col FROM files WHERE error IS NOT NULL ORDER BY slug"
        )
        return [
            BookFileError(str(self.books_dir / f"{slug}.toml"), error, line, col)
            for slug, error, line, col in rows
        ]

    def unchanged_folder(self) -> bool:
        """No file was added, removed or renamed in the books folder since the index last looked (a file
        edited in place would not show here: only writers that re-check the file they write use this)."""
        return self._meta("folder") == folder_stamp(self.books_dir)

    def note_written(self, slug: str, path: Path, book: Book | None, folder_before: str) -> None:
        """A write of readlog's own (or a removal, with `book` None), folded into the index at once, so the
        next command need neither parse the file nor compare every file's stamp. Only when the index was
        up to date with the folder just before this write; otherwise the next sync sorts it out."""
        db = self.db
        if self._meta("folder") != folder_before:
            return
        fingerprint = self._meta("fingerprint")
        row = db.execute(
            "SELECT size, mtime_ns, inode, ctime_ns FROM files WHERE slug = ?", (slug,)
        ).fetchone()
        db.execute("BEGIN IMMEDIATE")
        try:
            self._forget(slug)
            new_stamp = None
            if book is not None:
                st = path.stat()
                new_stamp = (st.st_size, st.st_mtime_ns, st.st_ino, st.st_ctime_ns)
                self._write([(slug, new_stamp, book_rows(book, False))])
            if fingerprint is not None:
                total_text, _, count_text = fingerprint.partition("-")
                total, count = int(total_text, 16), int(count_text)
                if row is not None:
                    total, count = total - _mix(f"{slug}.toml", tuple(row)), count - 1
                if new_stamp is not None:
                    total, count = total + _mix(f"{slug}.toml", new_stamp), count + 1
                self._set_meta(fingerprint=f"{total & _MASK:x}-{count}")
            self._set_meta(folder=folder_stamp(self.books_dir))
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise

    def _meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def _set_meta(self, **values: str) -> None:
        self.db.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", list(values.items()))

    def rebuild(self, progress: Callable[[int, int], None] | None = None) -> SyncReport:
        """Forget everything and read every file again (emptied in place: others may have it open)."""
        return self.sync(progress, rebuild=True)

    def _empty(self) -> list[str]:
        """Every book's rows gone (within the caller's transaction), and the tables' secondary indexes
        dropped: returns the statements that make them again, once the rows are in. The text tables are
        dropped and made again: emptying an FTS5 table deletes row by row, reading each back to unindex
        it (0.6 s of a 10,000-book rebuild)."""
        db = self.db
        db.execute("DROP TABLE parts")
        db.execute(_FTS if self.fts else _PLAIN)
        db.execute("DROP TABLE cjk")
        db.execute(_CJK if self.trigram else _CJK_PLAIN)
        marks = ",".join("?" * len(_PER_BOOK))
        indexes = db.execute(
            f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
            f"AND tbl_name IN ({marks})",
            _PER_BOOK,
        ).fetchall()
        for name, _ in indexes:
            db.execute(f'DROP INDEX "{name}"')
        for table in _PER_BOOK:
            db.execute(f"DELETE FROM {table}")
        return [sql for _, sql in indexes]

    def _forget(self, slug: str) -> None:
        db = self.db
        # By rowid: deleting from an FTS5 table by an unindexed column would scan all of it.
        db.execute("DELETE FROM parts WHERE rowid IN (SELECT part FROM part_rows WHERE slug = ?)", (slug,))
        db.execute("DELETE FROM cjk WHERE rowid IN (SELECT part FROM part_rows WHERE slug = ?)", (slug,))
        for table in _PER_BOOK:
            db.execute(f"DELETE FROM {table} WHERE slug = ?", (slug,))

    def _load_all(self, slugs: list[str]) -> Iterator[tuple[str, Loaded]]:
        """Each file parsed, or the error that stopped it: in this process, or for a big batch (a cold
        build) in worker processes as well, since parsing TOML is most of the time and there are cores."""
        if self.load_many is not None and len(slugs) >= PARALLEL_FROM:
            yield from self.load_many(slugs)
            return
        for slug in slugs:
            try:
                yield slug, self.load(slug)
            except ReadlogError as error:
                yield slug, error

    def _failed(self, slug: str, stamp: Stamp, error: ReadlogError) -> None:
        """A file that did not parse: kept in `files` with what went wrong, so `problems` can say."""
        if isinstance(error, BookFileError):
            row = (slug, *stamp, error.message, error.line, error.column)
        else:
            row = (slug, *stamp, str(error), None, None)
        self.db.execute("INSERT INTO files VALUES (?, ?, ?, ?, ?, ?, ?, ?)", row)

    def record(self, written: list[tuple[str, Path, Book]], checkpoint: bool = True) -> None:
        """Index books just written from the Book objects in hand, so the next sync need not parse them.
        (An import records each batch as it lands, and checkpoints once, at the end.)"""
        db = self.db
        db.execute("BEGIN IMMEDIATE")
        try:
            marks = ",".join("?" * len(written))
            rows = db.execute(f"SELECT slug FROM files WHERE slug IN ({marks})", [w[0] for w in written])
            known = {slug for (slug,) in rows}  # new books, as a rule: nothing of theirs to forget
            batch: list[tuple[str, Stamp, Rows]] = []
            for slug, path, book in written:
                if slug in known:
                    self._forget(slug)
                st = path.stat()
                batch.append(
                    (slug, (st.st_size, st.st_mtime_ns, st.st_ino, st.st_ctime_ns), book_rows(book, False))
                )
            self._write(batch)
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        if checkpoint and len(written) >= BIG_WRITE:
            self.checkpoint()

    def checkpoint(self) -> None:
        """Fold a big write's WAL back into the database now. readlog ends without closing connections
        (for start-up speed), so without this the next command would first wade through the whole WAL:
        70 s after a 100k-book rebuild, measured."""
        if self.path is not None:
            self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def _write(self, batch: Sequence[tuple[str, Stamp, Rows]]) -> None:
        """Books into every table, many at a time (one statement per table, not per row)."""
        if not batch:
            return
        db = self.db
        db.executemany(
            "INSERT INTO files VALUES (?, ?, ?, ?, ?, NULL, NULL, NULL)", [(s, *t) for s, t, _ in batch]
        )
        db.executemany(
            "INSERT INTO books VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(slug, *rows.book) for slug, _, rows in batch],
        )
        per_book = (
            ("book_reads", "?, ?, ?, ?, ?, ?", "reads"),
            ("book_names", "?, ?, ?, ?, ?", "names"),
            ("book_keys", "?, ?", "keys"),
            ("pick_titles", "?, ?, ?, ?", "picks"),
            ("moments", "?, ?, ?, ?, ?, ?, ?", "moments"),
        )
        for table, marks, field in per_book:
            db.executemany(
                f"INSERT INTO {table} VALUES ({marks})",
                [(slug, *row) for slug, _, rows in batch for row in getattr(rows, field)],
            )
        # Parts get their rowids here, so `part_rows` and the CJK table can name them in bulk too.
        last = db.execute("SELECT rowid FROM parts ORDER BY rowid DESC LIMIT 1").fetchone()
        rowid = last[0] if last else 0
        parts, owners, unspaced = [], [], []
        for slug, _, rows in batch:
            for part, label, body, cjk in rows.parts:
                rowid += 1
                parts.append((rowid, slug, part, label, body))
                owners.append((slug, rowid))
                if cjk:
                    unspaced.append(parts[-1])
        db.executemany("INSERT INTO parts (rowid, slug, part, label, body) VALUES (?, ?, ?, ?, ?)", parts)
        db.executemany("INSERT INTO part_rows VALUES (?, ?)", owners)
        db.executemany("INSERT INTO cjk (rowid, slug, part, label, body) VALUES (?, ?, ?, ?, ?)", unspaced)

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

    @staticmethod
    def _starting(prefixes: Sequence[str]) -> tuple[str, tuple[str, ...]]:
        # One range of the title index per prefix (an OR of ranges makes SQLite scan the table).
        wanted = [p for p in dict.fromkeys(prefixes) if p]
        ranges = " UNION ALL ".join(
            "SELECT slug FROM books WHERE norm_title >= ? AND norm_title < ?" for _ in wanted
        )
        return ranges, tuple(x for p in wanted for x in (p, p + "\U0010ffff"))

    def search(self, query: str, parts: tuple[str, ...] = PARTS, limit: int = 50) -> list[Hit]:
        """Ranked hits. Snippets are cut from the hit's text around its first match, in time linear in
        the text (FTS5's snippet() took 95 s on a 4 MB review)."""
        terms = search_terms(query)
        if not terms:
            return []
        if any(unspaced(text) for text, _ in terms):
            return self._unspaced_search(terms, parts, limit)
        if not self.fts:
            return self._scan_search(terms, parts, limit)
        # Two steps: rank every match from the word index alone, then read the text and book of only
        # the hits shown. (Reading `body` for each of 20,000 matches of a common word, to throw most
        # away, was most of the time.) The part filter reads each match's row: only when asked for.
        where, params = "", ()  # type: tuple[str, tuple[str, ...]]
        if set(parts) != set(PARTS):
            where, params = f" AND part IN ({','.join('?' * len(parts))})", parts
        ranked = self._ranked(fts_query(query), where, params, limit)
        if not ranked:
            return []
        rows = self.db.execute(
            f"""SELECT parts.rowid, parts.slug, books.title, books.authors, part, label, body
                FROM parts JOIN books ON books.slug = parts.slug
                WHERE parts.rowid IN ({",".join("?" * len(ranked))})""",
            [rowid for rowid, _ in ranked],
        )
        found = {row[0]: row[1:] for row in rows}
        return [
            Hit(s, t, json.loads(a), p, lab, make_snippet(body, terms), rank)
            for rowid, rank in ranked
            if rowid in found
            for s, t, a, p, lab, body in [found[rowid]]
        ]

    def _ranked(self, match: str, where: str, params: tuple[str, ...], limit: int) -> list[tuple[int, float]]:
        """(rowid, bm25) of the best `limit` matches. FTS5 ranks every match before it keeps the best, and a
        word in most books matches hundreds of thousands of parts: then the parts are split in two by rowid,
        a forked copy of this process ranks the upper half on a connection of its own while this one ranks
        the lower, and the two best lists are merged. The ranks are the same (FTS5 weighs a term over the
        whole table whatever the rowid range): 100k books, `harbour`: 150 ms -> 82 ms. (Threads do not help:
        SQLite's allocator takes one lock for the process.)"""
        sql = f"SELECT rowid, bm25(parts, 4.0, 1.0) FROM parts WHERE parts MATCH ?{where}"
        db = self.db
        if not self._can_split() or (
            db.execute("SELECT count(*) FROM parts WHERE parts MATCH ?", (match,)).fetchone()[0]
            < SPLIT_RANKING
        ):
            return db.execute(f"{sql} ORDER BY 2 LIMIT ?", (match, *params, limit)).fetchall()
        middle = db.execute("SELECT rowid FROM parts ORDER BY rowid DESC LIMIT 1").fetchone()[0] // 2
        upper_sql, upper_args = f"{sql} AND rowid > ? ORDER BY 2 LIMIT ?", (match, *params, middle, limit)
        waiting = _rank_in_child(str(self.path), upper_sql, upper_args)
        try:
            lower = db.execute(
                f"{sql} AND rowid <= ? ORDER BY 2 LIMIT ?", (match, *params, middle, limit)
            ).fetchall()
        finally:  # the child is waited for whatever happens here
            upper = waiting() if waiting is not None else None
        if upper is None:  # no child, or it failed: rank the upper half here too
            upper = db.execute(upper_sql, upper_args).fetchall()
        return sorted(lower + upper, key=lambda hit: (hit[1], hit[0]))[:limit]

    def _can_split(self) -> bool:
        """Forking is safe here: a file on disk to open again, a second core, and no other thread (a fork
        copies only the calling thread, and a lock another one held would stay locked in the copy)."""
        import threading

        return (
            self.path is not None
            and hasattr(os, "fork")
            and (os.cpu_count() or 1) > 1
            and threading.active_count() == 1
        )

    def _unspaced_search(
        self, terms: list[tuple[str, bool]], parts: tuple[str, ...], limit: int
    ) -> list[Hit]:
        """A query in CJK (or Thai...): substrings of the parts that hold such text. Terms of 3+ characters
        go through the trigram index (ranked by bm25); shorter ones, which a trigram cannot hold, are
        looked for in those rows only."""
        marks = ",".join("?" * len(parts))
        long_terms = [t for t, _ in terms if len(t) >= 3]
        where = [f"part IN ({marks})"]
        params: list[Any] = list(parts)
        for text, _ in terms:
            where.append("(instr(lower(cjk.body), ?) > 0 OR instr(lower(cjk.label), ?) > 0)")
            params += [text.lower(), text.lower()]
        rank = "0.0"
        if self.trigram and long_terms:
            where.append("cjk MATCH ?")
            params.append(" ".join('"' + t.replace('"', '""') + '"' for t in long_terms))
            rank = "bm25(cjk, 4.0, 1.0)"
        rows = self.db.execute(
            f"""SELECT cjk.slug, books.title, books.authors, part, label, body, {rank}
                FROM cjk JOIN books ON books.slug = cjk.slug
                WHERE {" AND ".join(where)} ORDER BY 7, length(body), cjk.rowid LIMIT ?""",
            (*params, limit),
        )
        return [
            Hit(s, t, json.loads(a), p, lab, make_snippet(body, terms), r)
            for s, t, a, p, lab, body, r in rows
        ]

    def _scan_search(self, terms: list[tuple[str, bool]], parts: tuple[str, ...], limit: int) -> list[Hit]:
        """Without FTS5: every word must occur (prefixes with *); ranked by how often they do."""
        words = [text for text, _ in terms]
        marks = ",".join("?" * len(parts))
        hits = []
        rows = self.db.execute(
            f"""SELECT parts.slug, books.title, books.authors, part, label, body FROM parts
                JOIN books ON books.slug = parts.slug WHERE part IN ({marks})""",
            parts,
        )
        for slug, title, authors, part, label, body in rows:
            folded = normalize(f"{label} {body}")
            if all(normalize(w) in folded for w in words):
                score = -sum(folded.count(normalize(w)) for w in words)
                hits.append(
                    Hit(slug, title, json.loads(authors), part, label, make_snippet(body, terms), score)
                )
        hits.sort(key=lambda h: h.rank)
        return hits[:limit]


def _rank_in_child(
    path: str, sql: str, args: tuple[Any, ...]
) -> Callable[[], list[tuple[int, float]] | None] | None:
    """Run a ranking query in a forked child on its own read-only connection; returns a function that waits
    for the child and gives its rows (None if it failed), or None if no child could be started. The child
    never touches the parent's connection and ends with os._exit: no buffers flushed, nothing torn down."""
    import pickle

    try:
        read_end, write_end = os.pipe()
        pid = os.fork()
    except OSError:
        return None
    if pid == 0:  # the child
        code = 1
        try:
            os.close(read_end)
            other = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=BUSY_SECONDS)
            rows = other.execute(sql, args).fetchall()
            with os.fdopen(write_end, "wb") as out:
                out.write(pickle.dumps(rows))
            code = 0
        finally:
            os._exit(code)
    os.close(write_end)

    def wait() -> list[tuple[int, float]] | None:
        with os.fdopen(read_end, "rb") as result:
            data = result.read()
        _, status = os.waitpid(pid, 0)
        if status != 0 or not data:
            return None
        rows: list[tuple[int, float]] = pickle.loads(data)
        return rows

    return wait


def _author_key(authors: str) -> str | None:
    """The first author's library filing name, from the JSON list in `books.authors`."""
    from readlog.text import sort_name

    names = json.loads(authors)
    return sort_name(names[0]) if names else None


def _mix(name: str, stamp: tuple[int, ...]) -> int:
    """One file's share of the fingerprint (`Index.fingerprint` has it inlined). Hashes of ints and tuples
    of ints are the same in every process (only str hashes are salted), so the file name goes in as its
    CRC."""
    return hash((zlib.crc32(name.encode()), *stamp))


def folder_stamp(folder: Path) -> str:
    """The books folder's own mtime and ctime: they change when a file is added, removed or renamed
    there (an atomic write is a rename), not when a file is edited in place."""
    try:
        st = os.stat(folder)
    except FileNotFoundError:
        return "none"
    return f"{st.st_mtime_ns}:{st.st_ctime_ns}"


def _traits_json(book: Book) -> str | None:
    from readlog.traits import book_traits

    traits = book_traits(book)
    return json.dumps(traits, ensure_ascii=False) if traits else None


def _read_json(read: Read) -> dict[str, Any]:
    """A reading as the index keeps it: its dates, rating, format and its latest progress only (the
    latest by date, as `show` has it: reading.latest)."""
    from readlog.reading import latest

    last = latest(read)
    return {
        "started": sort_key(read.started) or None,
        "finished": sort_key(read.finished) or None,
        "rating": read.rating,
        "format": read.format,
        "stopped": sort_key(read.stopped) or None,
        "at": {k: v for k, v in last.__dict__.items() if k not in ("note", "date") and v is not None}
        | ({"date": last.date.isoformat()} if last.date else {})
        if last
        else None,
    }


def _read_from_json(data: dict[str, Any]) -> Read:
    at = data.get("at")
    progress = []
    if at:
        day = date.fromisoformat(at["date"]) if at.get("date") else None
        progress = [Progress(day, at.get("page"), at.get("percent"), at.get("minutes"))]
    # by name, never by position: a field added to Read (pauses) must not shift the others
    return Read(
        started=_partial(data["started"]),
        finished=_partial(data["finished"]),
        rating=data["rating"],
        format=data.get("format"),
        stopped=_partial(data.get("stopped")),
        progress=progress,
    )


def _pick_json(pick: Pick) -> dict[str, Any]:
    return {
        "title": pick.title,
        "authors": pick.authors,
        "why": pick.why,
        "added": sort_key(pick.added) or None,
    }


def _partial(value: str | None) -> date | str | None:
    if value is None or len(value) < 10:
        return value
    return date.fromisoformat(value)


def _summary(row: tuple[Any, ...], books_dir: Path) -> Summary:
    return Summary(row[0], _book(row), books_dir / f"{row[0]}.toml", bool(row[17]))


def _book(row: tuple[Any, ...]) -> Book:
    (_, title, _, authors, _, status, rating, tags, year, pages, added, why, priority, reads, picks) = row[
        :15
    ]
    return Book(
        title=title,
        authors=json.loads(authors),
        status=status,
        rating=(int(rating) if float(rating).is_integer() else rating) if rating is not None else None,
        tags=json.loads(tags),
        year=year,
        pages=pages,
        added=date.fromisoformat(added) if added else None,
        why=why,
        priority=priority,
        reads=[_read_from_json(r) for r in json.loads(reads)],
        duration=row[18],
        series=_series_from_json(row[19]),
        next=[
            Pick(p["title"], p["authors"], p["why"], date.fromisoformat(p["added"]) if p["added"] else None)
            for p in json.loads(picks)
        ],
    )


@dataclass
class Rows:
    """One book's rows for every table but `files` (the slug goes in front of each when written). Made from
    the book alone: in a cold build, by the worker process that parsed it, so the writer only writes."""

    book: tuple[Any, ...]
    reads: list[tuple[Any, ...]]
    names: list[tuple[Any, ...]]
    keys: list[tuple[str]]
    picks: list[tuple[str, str, str]]
    parts: list[tuple[str, str, str, bool]]  # part, label, body, and whether it has unspaced script
    moments: list[tuple[Any, ...]]


def book_rows(book: Book, read_only: bool) -> Rows:
    activity = max(sort_key(book.last_finished), sort_key(book.added))
    status = book.status
    return Rows(
        book=(
            book.title, stored_title(book.title), json.dumps(book.authors, ensure_ascii=False),
            json.dumps([stored_name(a) for a in book.authors]), status, book.rating,
            json.dumps(book.tags, ensure_ascii=False), book.year, book.pages,
            book.added.isoformat() if book.added else None, book.why, book.priority,
            json.dumps([_read_json(r) for r in book.reads]),
            json.dumps([_pick_json(p) for p in book.next], ensure_ascii=False),
            sort_key(book.last_finished) or None, activity, int(read_only), book.duration,
            json.dumps(book.series, ensure_ascii=False) if book.series else None,
            _traits_json(book),
        ),
        reads=[
            (status, sort_key(r.started) or None, sort_key(r.finished) or None, book.pages,
             sort_key(r.stopped) or None)
            for r in book.reads
        ],
        names=[(status, "author", a, stored_name(a)) for a in book.authors]
        + [(status, "tag", t, t.casefold()) for t in book.tags],
        keys=[(key,) for key in [*book_keys(book), *lookup_keys(book.title, aliases_of(book))]],
        picks=[
            (stored_title(p.title), UNIT.join(stored_name(a) for a in p.authors), activity) for p in book.next
        ],
        parts=[
            (part, label, body, unspaced(label) or unspaced(body))
            for part, label, body in _parts(book)
        ],
        moments=list(_moments(book)),
    )  # fmt: skip


def _rows(loaded: tuple[Book, bool] | Rows) -> Rows:
    return loaded if isinstance(loaded, Rows) else book_rows(*loaded)


def _parts(book: Book) -> Iterator[tuple[str, str, str]]:
    """(part, label, body) rows: what search looks through, and what a hit says it came from."""
    yield "title", book.title, " ".join([book.title, *book.authors, *book.tags])
    if book.review is not None and (book.review.headline or book.review.body):
        yield "review", book.review.headline or "", book.review.body or ""
    for reflection in book.reflections:
        when = reflection.date.isoformat() if reflection.date else ""
        label = f"{reflection.title} ({when})" if reflection.title and when else reflection.title or when
        yield "reflection", label, reflection.text
    for quote in book.quotes:
        where = f"p. {quote.page}" if quote.page is not None else quote.location or ""
        yield "quote", where, quote.text + (f"\n{quote.note}" if quote.note else "")
    for pick in book.next:
        yield "pick", pick.title, " ".join([pick.title, *pick.authors, pick.why or ""])


def _moments(book: Book) -> Iterator[tuple[str, str | None, str, str, str, str | None]]:
    """(kind, day, ident, body, label, note) rows for `recall`: every quote, every dated reflection."""
    import hashlib

    for quote in book.quotes:
        where = f"p. {quote.page}" if quote.page is not None else quote.location or ""
        ident = quote.key or "text:" + hashlib.sha1(normalize(quote.text).encode()).hexdigest()[:12]
        day = quote.date.isoformat() if quote.date else None
        yield "quote", day, ident, quote.text, where, quote.note
    for reflection in book.reflections:
        if reflection.date is not None:
            yield "reflection", reflection.date.isoformat(), "", reflection.text, "", None


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


def fts_query(query: str) -> str:
    """A user's query as a safe FTS5 expression: every word and phrase quoted (so AND, NEAR, parentheses
    and column names are just words), a trailing * kept as a prefix search."""
    out = []
    for phrase, word in re.findall(r'"([^"]*)"|(\S+)', query):
        text = phrase or word
        prefix = bool(word) and word.endswith("*")
        text = text.rstrip("*") if prefix else text
        text = " ".join(re.findall(r"\w+", text))  # FTS5's tokenizer keeps only word characters anyway
        if text:
            out.append('"' + text.replace('"', '""') + '"' + ("*" if prefix else ""))
    return " ".join(out)


def search_terms(query: str) -> list[tuple[str, bool]]:
    """(text, is_prefix) for each word or "phrase" of a query, as fts_query reads it."""
    out = []
    for phrase, word in re.findall(r'"([^"]*)"|(\S+)', query):
        text = phrase or word
        prefix = bool(word) and word.endswith("*")
        text = " ".join(_pattern_of(_WORD).findall(text.rstrip("*") if prefix else text))
        if text:
            out.append((text, prefix))
    return out


# A word: word characters, and the vowel and tone marks of Thai, Lao, Myanmar and Khmer (not \w in `re`).
_WORD = "[\\w\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff]+"  # compiled on first use (_pattern_of)


_MARKS = "[\u0300-\u036f]*"  # combining accents, after NFD: "memoire" finds "mémoire"


def _pattern(terms: list[tuple[str, bool]]) -> re.Pattern[str] | None:
    """Each word of each term, accents and case ignored; whole words (or word prefixes), except in
    scripts without spaces, where any substring counts."""
    pieces = []
    for text, prefix in terms:
        for word in text.split():
            folded = "".join(
                c for c in unicodedata.normalize("NFKD", word.casefold()) if not "\u0300" <= c <= "\u036f"
            )
            if not folded:
                continue
            body = "".join(re.escape(c) + _MARKS for c in folded)
            if unspaced(folded):
                pieces.append(body)
            else:
                pieces.append(r"(?<!\w)" + body + (r"\w*" if prefix else r"(?!\w)"))
    if not pieces:
        return None
    return re.compile("|".join(f"(?:{p})" for p in sorted(pieces, key=len, reverse=True)), re.IGNORECASE)


def make_snippet(body: str, terms: list[tuple[str, bool]], before: int = 60, after: int = 100) -> str:
    """A window of `body` around its first match, every match in it between \ue000 and \ue001. One pass
    to find the first match and work only on the window: linear in the size of the text."""
    text = unicodedata.normalize("NFD", body)
    pattern = _pattern(terms)
    first = pattern.search(text) if pattern else None
    at = first.start() if first else 0
    start, end = max(0, at - before), min(len(text), (first.end() if first else 0) + after)
    if start > 0:  # begin and end on a space where there is one near
        space = text.find(" ", start, at)
        start = space + 1 if space >= 0 else start
    if end < len(text):
        space = text.rfind(" ", max(at, end - 30), end)
        end = space if space > at else end
    window = text[start:end]
    if pattern is not None:
        window = pattern.sub(lambda m: "\ue000" + m[0] + "\ue001", window)
    window = unicodedata.normalize("NFC", window)
    return ("…" if start else "") + window + ("…" if end < len(text) else "")


def _series_from_json(text: str | None) -> list[dict[str, str]]:
    """A book's series as the index keeps them (a list; a single table from before schema 2 read as one)."""
    value = json.loads(text) if text else []
    return [value] if isinstance(value, dict) else value
