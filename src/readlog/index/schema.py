"""The index file and its tables: where it lives, its schema and version, opening it, and recovering
a damaged or foreign file (it is only a cache: it is made again from the books)."""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
import zlib
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeAlias

# What tells a file changed: size, mtime, inode and ctime (as the files table stores them).
Stamp = tuple[int, int, int, int]
_MASK = (1 << 64) - 1

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from readlog.errors import ReadlogError
    from readlog.index.rows import Rows
    from readlog.model import Book

# A book file -> (book, read_only). Given by the journal: the index never reads files on its own terms.
Loader: TypeAlias = "Callable[[str], tuple[Book, bool]]"
Loaded: TypeAlias = "tuple[Book, bool] | Rows | ReadlogError"
# Many book files -> each one's (book, read_only) or error, in order, possibly using several processes (which
# send their books' rows a chunk at a time, `Packed`).
ManyLoader: TypeAlias = "Callable[[list[str]], Iterator[tuple[str, Loaded] | Packed]]"
INDEX_VERSION = 40  # bump when the tables change: an old index is simply rebuilt (18: a column per field;
# 19: another edition's review among the parts search looks through; 20: an initial, `A. Lincoln`, is no
# article in the title keys; 21: symbols that make another title are words in them, `C++` -> `cplusplus`,
# and a title with no letters is kept as typed; 22: a book's places in a series (`vol:saga#2`) and its
# subtitle (`s:...`) among its keys; 23: a pick's title kept as its `q1:` key, so `C++` is not `C` there;
# 24: the ISBN in StoryGraph's `ISBN/UID` is a key, `isbn:...`, though the book's own is another: a merge
# kept it; 25: a StoryGraph UID that is no ISBN is a key, `storygraph:...`, and so is each of `isbns`;
# 26: the Latin letters that do not decompose folded in the title keys, `Ægir` -> `aegir`, and text taken
# in as NFC; 27: a pick's title key without a series' place, `Dune Messiah (Dune #2)` -> `dune messiah`, and
# a book titled so has it as its `p:` key; 28: fewer indexes (a list by tag walked every name with that tag
# once for each book); a book's parts found by the range of rowids `files` keeps, not by a table of their own,
# `part_rows`); 29: a pick's places in a series, `places` (`Saga (Saga, #3)` is not a pick of #2's book),
# and a volume's number in a title's keys in digits (`Saga, Vol. II` is `saga vol 2`); 30: a place at a
# title's end is one whichever way written (`Saga #2`, `Saga, Vol. 2`: `vol:saga#2`, `p:saga`); 31: a pick's
# work key, `work` (`Never Let Me Go: A Novel` names the journal's *Never Let Me Go*), and a book's, `w:`;
# a part's words with `æ`, `ł`, `ß`... folded after its text (text.search_indexed: `Aeneid` finds *Æneid*)
# 32: only those letters folded there, by the label and the text apart (`İstanbul` typed finds itself);
# 33: a reading's `begun` (a start or a progress: a reading going on, never one done on a day nobody knows)
# 34: an omnibus's place at a title's end is one too (`Saga, Vol. 1-3` is `vol:saga#1-3`, not `Saga, Vol. 1`)
# 35: a kept listing's `plain`, its lines found already tsv when it was made (`list` piped checks no more)
# 36: a place written with `Tome` or `No.` (`Number` in parentheses) is one too (`Saga, Tome 2` and `Saga
# (Saga, No. 2)` are `Saga, Vol. 2`), and a part's number in digits (`Saga Part Two` is `Saga, Part 2`)
# 37: an edition with no id that keeps its row's record (a merge) has a `row:` key, its source and Date Added
# 38: the readings of the books whose status is not `read` indexed apart (`book_reads_unread`: `list --status
# read` lists a read book started again), and the words beside a private-use character in a part's text too
# (text.search_indexed: `\ue000start\ue001` is found by `start`)
# 39: an ISBN-10 keyed as the ISBN-13 it is (`isbn:9781799955672` for `1799955672`: identity.isbn_key)
# 40: a book holding as its own the record of a row with no id has an `own:` key, its source and Date Added
ENV_CACHE = "READLOG_CACHE"
# The index file's page size, given to a new file (and to an index started over by `reindex`): SQLite's
# default is 4096. With 8192, an import's recorder and a cold build write the same rows with half the
# pages (10,000 books: some 0.04 s less CPU of about 0.5 s for the recorder's SQLite work); searches take
# the same time. An index made with another size keeps it until it is started over (a page size changes
# only with a new file or a VACUUM); nothing else depends on it.
PAGE_SIZE = 8192
# How long to wait for another readlog that is writing the index before working from the files instead.
BUSY_SECONDS = 5.0
_TABLE_TEMPLATE = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
-- Each book file: its stamp, what went wrong reading it (else NULL), and the rowids of its rows in `parts`
-- (and `cjk`), first to last: a book's parts are numbered together, so this range is all a change of the
-- book needs to find them (NULL: none, a file that did not parse).
CREATE TABLE files (
    slug TEXT PRIMARY KEY, size INTEGER, mtime_ns INTEGER, inode INTEGER, ctime_ns INTEGER,
    error TEXT, line INTEGER, col INTEGER, first_part INTEGER, last_part INTEGER
) WITHOUT ROWID;
-- books: the slug, a column per field of fields.FIELDS (named as the field, in its order), then BOOK_TAIL.
CREATE TABLE books ({book_columns});
CREATE INDEX books_norm_title ON books (norm_title);
CREATE INDEX books_activity ON books (activity);
CREATE INDEX books_status ON books (status, priority, added);
CREATE INDEX books_series ON books (slug) WHERE series IS NOT NULL;
CREATE INDEX files_errors ON files (slug) WHERE error IS NOT NULL;
-- Readings and names (authors, tags) one per row, with the book's status, for stats and filters in SQL.
CREATE TABLE book_reads (
    slug TEXT NOT NULL, status TEXT, started TEXT, finished TEXT, pages INTEGER, stopped TEXT, begun INTEGER
);
CREATE INDEX book_reads_slug ON book_reads (slug, finished, status);  -- covering: stats' re-reads
CREATE INDEX book_reads_finished ON book_reads (finished, pages, started);  -- covering: per year
-- covering: the readings of the books whose status is not `read`, which may be read all the same (list)
CREATE INDEX book_reads_unread ON book_reads (slug, finished, stopped, begun, started, status)
    WHERE status IS NOT 'read';
CREATE TABLE book_names (
    slug TEXT NOT NULL, status TEXT, kind TEXT NOT NULL, name TEXT NOT NULL, norm TEXT NOT NULL
);
CREATE INDEX book_names_slug ON book_names (slug, kind, norm);  -- covering: list's --tag and --author
CREATE INDEX book_names_status ON book_names (kind, status, name);
CREATE INDEX books_status_rating ON books (status, rating);
CREATE INDEX books_status_finished ON books (status, last_finished);  -- stats: read, undated
CREATE TABLE book_keys (slug TEXT NOT NULL, key TEXT NOT NULL);  -- isbn:..., goodreads:<Book Id>
CREATE INDEX book_keys_slug ON book_keys (slug);
CREATE INDEX book_keys_key ON book_keys (key);
-- Each pick, with its book's `activity` (the queue's order: picks_and_books sorts by it);
-- `norm_authors` are joined by U+001F (split at once, where JSON would be parsed 10,000 times), and so are
-- `places`, the places in a series its title names (`vol:saga#2`, identity.pick_places: mostly none);
-- `work` its title as the same-work rule reads it (identity.pick_work_key), looked up as a book's `q2:`/`w:`.
CREATE TABLE pick_titles (
    slug TEXT NOT NULL, norm_title TEXT NOT NULL, norm_authors TEXT NOT NULL, activity TEXT NOT NULL,
    places TEXT NOT NULL, work TEXT NOT NULL
);
CREATE INDEX pick_titles_slug ON pick_titles (slug);
CREATE INDEX pick_titles_title ON pick_titles (norm_title, places);  -- (covering: the count of titles)
-- Quotes and dated reflections, for `recall`: `day` is the ISO date (or NULL), `ident` a quote's key.
CREATE TABLE moments (
    slug TEXT NOT NULL, kind TEXT NOT NULL, day TEXT, ident TEXT NOT NULL, body TEXT NOT NULL, label TEXT,
    note TEXT
);
CREATE INDEX moments_slug ON moments (slug);
CREATE INDEX moments_day ON moments (substr(day, 6, 5)) WHERE day IS NOT NULL;  -- (recall: `day < ?`)
CREATE INDEX moments_kind ON moments (kind);  -- recall's draw reads the quotes' rows alone
-- The want list ranked by `next --suggest` (readlog.suggest), best first, kept until `key` (the books'
-- fingerprint, the weights and the day) changes: plain `next` reads its top three from here.
CREATE TABLE suggestions (
    rank INTEGER PRIMARY KEY, slug TEXT NOT NULL, score REAL NOT NULL, data TEXT NOT NULL
);
"""


# The books table's columns after the fields' (rows.book_rows fills them in this order).
BOOK_TAIL = (
    "norm_title TEXT NOT NULL, norm_authors TEXT NOT NULL, reads TEXT NOT NULL, picks TEXT NOT NULL, "
    "last_finished TEXT, activity TEXT NOT NULL, read_only INTEGER NOT NULL, traits TEXT"
)
_made: dict[int, tuple[str, dict[str, tuple[str, ...]]]] = {}


# The values in a line of list_line (actions.find.LIST_COLUMNS).
LINE_VALUES = 6


def list_line(row: str = "") -> str:
    """One book's line of `list` piped, in SQL, from the columns of `row` (a table name or NEW, with its
    dot; "" for the table queried), for the books whose values SQL writes as `actions.find._list_rows` does
    (else NULL): authors as json.dumps stores a list (no backslash, so no quote or escape in a name; its
    own separators), whose names joined by "; " are the text between the brackets with each `", "` made
    "; "; a rating in quarters from 0 to 5, which printf's %g writes as Python's :g does (4, 4.5, 3.75).
    The values are tab-separated, not yet made one tsv line (cli.app.write_blocks does that)."""
    slug, title, authors, status, rating, finished = (
        f"{row}{name}" for name in ("slug", "title", "authors", "status", "rating", "last_finished")
    )
    return (
        f"CASE WHEN ({authors} = '[]' OR (length({authors}) >= 4 AND substr({authors}, 1, 2) = '[\"' "
        f"AND substr({authors}, -2) = '\"]' AND instr({authors}, '\\') = 0 "
        f"AND instr({authors}, '\",\"') = 0 AND instr({authors}, char(10)) = 0)) "
        f"AND ({rating} IS NULL OR ({rating} >= 0 AND {rating} <= 5 "
        f"AND {rating} * 4 = CAST({rating} * 4 AS INTEGER))) "
        f"THEN {slug} || char(9) || {title} || char(9) || "
        f"CASE {authors} WHEN '[]' THEN '' "
        f"ELSE replace(substr({authors}, 3, length({authors}) - 4), '\", \"', '; ') END || char(9) "
        f"|| ifnull({status}, '') || char(9) "
        f"|| CASE WHEN {rating} IS NULL THEN '' ELSE printf('%g', {rating}) END || char(9) "
        f"|| ifnull({finished}, '') END"
    )


# The whole listing, newest first (`list` piped, no filter, no limit), made by the first such `list`
# (Queries.listing_ready: not by a cold build, which it would slow by a trigger per row) and from then on kept
# in step with `books` by SQLite itself: a trigger on every insert, delete and update of a book row, whoever
# makes it (the sweep, a write, a rename, a delete, an import, a rebuild in place). Its key is the listing's
# order, so reading it is one walk along one b-tree, no sort and no look-up in the wide `books` rows. `rid`
# is the book's rowid in `books` (ties of activity and title come last row first, as the activity index
# gives them; nothing vacuums the index, which could renumber them); `line` is list_line's, or NULL where
# SQL cannot make it; `plain` is 1 where that line was found to be its tsv line as it is (text.tsv_as_is),
# which `list` then writes unchecked: only when the listing is made (`vouched`: Queries.listing_ready checks
# every line and takes `plain` back from those that need work); a row a trigger writes has NULL, and is
# checked each time it is listed (100,000 books: the check was some 80 ms of a listing's CPU, ~15%). The
# statements in order; the last fills the table from `books` as they are.
LISTING_ORDER = "activity DESC, norm_title, rid DESC"
LISTING_TRIGGERS = ("books_listing_insert", "books_listing_delete", "books_listing_update")


def listing_statements(vouched: bool = False) -> tuple[str, ...]:
    new = list_line("NEW.")
    key = "activity = OLD.activity AND norm_title = OLD.norm_title AND rid = OLD.rowid"
    old = f"DELETE FROM listing WHERE {key};"
    insert = f"INSERT INTO listing VALUES (NEW.activity, NEW.norm_title, NEW.rowid, {new}, NULL);"
    return (
        "CREATE TABLE listing (activity TEXT NOT NULL, norm_title TEXT NOT NULL, rid INTEGER NOT NULL, "
        f"line TEXT, plain INTEGER, PRIMARY KEY ({LISTING_ORDER})) WITHOUT ROWID",
        f"CREATE TRIGGER {LISTING_TRIGGERS[0]} AFTER INSERT ON books BEGIN {insert} END",
        f"CREATE TRIGGER {LISTING_TRIGGERS[1]} AFTER DELETE ON books BEGIN {old} END",
        f"CREATE TRIGGER {LISTING_TRIGGERS[2]} AFTER UPDATE ON books BEGIN {old} {insert} END",
        f"INSERT INTO listing SELECT activity, norm_title, rowid, {list_line()}, {1 if vouched else 'NULL'} "
        "FROM books NOT INDEXED ORDER BY activity DESC, norm_title, rowid DESC",
    )


def _tables() -> tuple[str, dict[str, tuple[str, ...]]]:
    """The tables' statements for the fields registered now, and each table's columns as they make them
    (an index whose tables differ is damaged, or made for other fields: it is made again)."""
    import readlog.model  # noqa: F401 - its import registers the built-in fields
    from readlog import fields

    made = _made.get(fields.generation)
    if made is None:
        book_columns = ", ".join(
            [
                "slug TEXT PRIMARY KEY",
                *(f'"{name}" {f.kind.sql}' for name, f in fields.FIELDS.items()),
                BOOK_TAIL,
            ]
        )
        sql = _TABLE_TEMPLATE.replace("{book_columns}", book_columns)
        columns = {
            name: tuple(part.split()[0].strip('"') for part in body.split(","))
            for name, body in re.findall(r"CREATE TABLE (\w+) \((.*?)\)(?: WITHOUT ROWID)?;", sql, flags=re.S)
        }
        made = _made[fields.generation] = (sql, columns)
    return made


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
# The tables with rows per book, by slug ("parts" and "cjk" go by rowid, through `files`: first).
_PER_BOOK = ("moments", "pick_titles", "book_reads", "book_names", "book_keys", "files", "books")


class Packed:
    """A chunk of books, in order, as a worker process of a cold build sends them: each table's rows for all
    of them at once, every row with its slug in front, as the writer inserts them. One object per chunk
    instead of a `Rows` (and its seven lists) per book: unpickled in the parent in a quarter of the time.
    `failed` holds the books that did not parse (they have no rows); `parts` rows are (slug, part, label,
    body), and `unspaced` the positions in `parts` of those written in a script without spaces."""

    __slots__ = (
        "slugs",
        "failed",
        "books",
        "reads",
        "names",
        "keys",
        "picks",
        "moments",
        "parts",
        "unspaced",
    )

    def __init__(self, slugs: list[str]):
        self.slugs = slugs
        self.failed: dict[str, ReadlogError] = {}
        self.books: list[tuple[Any, ...]] = []
        self.reads: list[tuple[Any, ...]] = []
        self.names: list[tuple[Any, ...]] = []
        self.keys: list[tuple[Any, ...]] = []
        self.picks: list[tuple[Any, ...]] = []
        self.moments: list[tuple[Any, ...]] = []
        self.parts: list[tuple[str, str, str, str]] = []
        self.unspaced: list[int] = []

    def add(self, slug: str, rows: Rows) -> None:
        """One book's rows (`rows.book_rows`), at the end."""
        self.books.append((slug, *rows.book))
        for table, own in (
            (self.reads, rows.reads),
            (self.names, rows.names),
            (self.keys, rows.keys),
            (self.picks, rows.picks),
            (self.moments, rows.moments),
        ):
            table.extend([(slug, *row) for row in own])
        for part, label, body, cjk in rows.parts:
            if cjk:
                self.unspaced.append(len(self.parts))
            self.parts.append((slug, part, label, body))


# What None is bound as: itself, NULL (`_bind_none_plainly`). The `get` of a dict that stays empty: a C
# function that gives None for any value, where a Python function made a frame for each of an import's
# ~60,000 Nones.
_NOTHING: dict[object, None] = {}


def _bind_none_plainly() -> None:
    """None bound as a parameter without the search Python's sqlite3 (3.11) makes for an adapter first: it
    asks its protocol for `__adapt__`, and the AttributeError it raises and throws away has its message
    formatted each time (an import of 10,000 books binds some 60,000 Nones: 0.02-0.03 s of the recorder's
    CPU). With an adapter registered for None, the search ends at the first look, and None is still bound
    as NULL; the adapter is `_NOTHING.get`, called with no Python frame (the same import's recorder: 14 M
    instructions less than with a Python function, 0.4% of its 3,750 M). The registry is the sqlite3 module's,
    for the whole process: for readlog's own connections alone, whose statements bind None the same either
    way."""
    sqlite3.register_adapter(type(None), _NOTHING.get)


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
    # (os.fsencode: a folder whose name is not UTF-8 has a cache too, by the name's own bytes)
    return cache_dir() / f"index-{readable}-{zlib.crc32(os.fsencode(where)):08x}.sqlite3"


def leave_wal(db: sqlite3.Connection, busy_seconds: float = BUSY_SECONDS) -> bool:
    """The index's connection `db` switched from the WAL to a rollback journal, which SQLite allows only
    while no other connection has the file open: False at once with one (never a wait), and the WAL kept.
    `busy_seconds`: the connection's wait for a lock, put back after."""
    db.execute("PRAGMA busy_timeout = 0")
    try:
        return bool(db.execute("PRAGMA journal_mode = DELETE").fetchone()[0] == "delete")
    except sqlite3.OperationalError:
        return False
    finally:
        db.execute(f"PRAGMA busy_timeout = {int(busy_seconds * 1000)}")


def _stop_if_busy(status: int, remaining: int, pages: int) -> None:
    """A backup's progress: stopped with "database is locked" once its wait for the lock is over (Python's
    `backup` would otherwise try again for ever)."""
    if status in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
        raise sqlite3.OperationalError("database is locked")


def rollback(db: sqlite3.Connection) -> None:
    """The transaction in progress undone, on the way out of a failed write. A full disk or an I/O error may
    have ended it already (SQLite rolls back itself): a ROLLBACK then fails ("no transaction is active") and
    its error would take the place of the one that says what went wrong."""
    if db.in_transaction:
        db.execute("ROLLBACK")


class Store:
    """The index file: opening it, its tables and their version, recovering a damaged or foreign file."""

    busy_seconds = BUSY_SECONDS  # how long opening waits on another readlog's lock (completion: briefly)

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
        _bind_none_plainly()
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

    def start_over(self) -> bool:
        """The index file made a new, empty index of this version in place (`reindex`, before it reads
        every file again), when no other connection has it open: then a build into it writes as a cold
        build does, where one over the old rows would first free every page of them (2.3 s of CPU at 100,000
        books), then write every page twice, to the WAL and back (+3.8 s). The empty index is copied over the
        old one with SQLite's backup, one transaction with a rollback journal: the file stays (never deleted
        or replaced: its WAL and SHM are tied to it by name), readers see the old index or the empty one,
        and only the few pages it writes are journaled (the old pages past its end are cut off once it has
        committed). Returns False, with nothing done, when another readlog has the index open (leaving the
        WAL needs the file to itself): the caller rebuilds over it as before, and they read the old index
        until that commits. Raises if it cannot write the file (locked, full, read-only)."""
        if self.path is None or not leave_wal(self.db, self.busy_seconds):
            return False
        db = self.db
        try:
            empty = sqlite3.connect(":memory:", isolation_level=None)
            try:
                empty.execute(f"PRAGMA page_size = {PAGE_SIZE}")
                self._create(empty)
                empty.backup(db, progress=_stop_if_busy)
                flags = dict(empty.execute("SELECT key, value FROM meta"))
            finally:
                empty.close()
            self.fts, self.trigram = flags["fts"] == "1", flags["trigram"] == "1"
        finally:
            with contextlib.suppress(sqlite3.OperationalError):  # (else the next to open it sets the WAL)
                db.execute("PRAGMA journal_mode = WAL")
        return True

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
                rollback(db)
                raise
        self.fts = db.execute("SELECT value FROM meta WHERE key = 'fts'").fetchone()[0] == "1"
        for table, columns in _tables()[1].items():  # the version matches: are the tables really ours?
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
        new = not self.path.exists()
        if new:  # made 0600 first: SQLite gives its WAL and SHM files the same mode
            os.close(os.open(self.path, os.O_WRONLY | os.O_CREAT, 0o600))
        db = sqlite3.connect(self.path, timeout=self.busy_seconds, isolation_level=None)
        if new:  # (before the WAL's header is written: the first write fixes the page size)
            db.execute(f"PRAGMA page_size = {PAGE_SIZE}")
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = NORMAL")
        return db

    def _create(self, db: sqlite3.Connection) -> None:
        # One statement at a time: `executescript` would COMMIT the caller's exclusive transaction first,
        # and then the COMMIT after it fails, so a new index was thrown away and rebuilt in memory.
        for statement in _tables()[0].split(";"):
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

    def _meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def _set_meta(self, **values: str) -> None:
        self.db.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", list(values.items()))

    def checkpoint(self) -> None:
        """Fold a big write's WAL back into the database now. readlog ends without closing connections
        (for start-up speed), so without this the next command would first wade through the whole WAL:
        70 s after a 100k-book rebuild, measured."""
        if self.path is not None:
            self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
