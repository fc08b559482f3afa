"""Keeping the index up to date with the files: a fingerprint of every stamp, parsing only the files
that changed (in worker processes for a cold build), and readlog's own writes folded in at once."""

from __future__ import annotations

import contextlib
import operator
import os
import sqlite3
import zlib
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from readlog.errors import BookFileError, ReadlogError
from readlog.index.rows import Rows, _rows, book_rows
from readlog.index.schema import (
    _CJK,
    _CJK_PLAIN,
    _FTS,
    _MASK,
    _PER_BOOK,
    _PLAIN,
    LISTING_TRIGGERS,
    Loaded,
    Packed,
    Stamp,
    Store,
    leave_wal,
    listing_statements,
    rollback,
)
from readlog.lazyclass import dataclass_when_used
from readlog.model import Book

PARALLEL_FROM = 2000  # files to parse before worker processes pay for themselves
BIG_CACHE_KB = 65536  # SQLite's page cache for a big sync: 64 MB (peak memory of a 100k build: 180 MB)
WRITE_BATCH = 250  # books written to the index in one go (one statement per table)
RECORD_BATCH = 500  # books `record` writes in one go (an import's durable batch)
BIG_WRITE = 200  # rows changed in one sync or import: after this many, checkpoint the WAL
TEXT_HASH_BYTES = 16 * 1024 * 1024  # the text tables' words held in memory during a big write (_roomy_text)


@dataclass_when_used
class SyncReport:
    parsed: int
    removed: int
    problems: list[BookFileError]


def _mix(name: str, stamp: tuple[int, ...]) -> int:
    """One file's share of the fingerprint (`_bulk_fingerprint` makes it in bulk). Hashes of ints and tuples
    of ints are the same in every process (only str hashes are salted), so the file name goes in as its
    CRC."""
    return hash((zlib.crc32(name.encode()), *stamp))


def _encodes(name: str) -> bool:
    """Whether a file name is text (os.scandir gives the bytes of one that is not UTF-8 as surrogates)."""
    try:
        name.encode()
    except UnicodeEncodeError:
        return False
    return True


_STAMP = operator.attrgetter("st_size", "st_mtime_ns", "st_ino", "st_ctime_ns")


def _bulk_fingerprint(folder: int) -> str | None:
    """`Freshness.fingerprint` of the folder open as `folder`, when every name in it is a book file's
    (`*.toml`, not hidden, ASCII) and none is a link, as in a journal readlog keeps: the same sum of `_mix`,
    taken with no Python code run per file (each file's name checked, stamp and share taken in C: 10,000
    books, some 45 -> 8 M instructions besides the stat calls themselves). None for any other folder, or a
    file removed while we looked: then the file-by-file pass sorts it out."""
    with os.scandir(folder) as found:
        items = list(found)
    names = list(map(_NAME, items))
    joined = "/" + "/".join(names) + "/"  # (no name holds a "/")
    if joined.count(".toml/") != len(names) or "/." in joined or not joined.isascii():
        return None
    if any(map(os.DirEntry.is_symlink, items)):
        return None
    # hash((crc32(name), size, mtime, inode, ctime)) for each file, as `_mix` makes it: (crc,) + stamp; each
    # file's stat gone once its stamp is taken.
    stamps = map(_STAMP, map(os.DirEntry.stat, items))
    shares = map(hash, map(operator.add, zip(map(zlib.crc32, map(str.encode, names))), stamps))
    try:
        total = sum(shares)
    except FileNotFoundError:  # removed while we looked
        return None
    return f"{total & _MASK:x}-{len(names)}"


_NAME = operator.attrgetter("name")


# A books folder this big (the size its listing takes, as the file system reports it) likely holds enough
# files for worker processes (PARALLEL_FROM): ext4 ~600 names, tmpfs ~1,600, btrfs ~550. Only a hint, for
# starting the workers' fork server early: wrong, a server starts unused, or the build waits for it as before.
MANY_FILES_BYTES = 32 * 1024


def _many_files(folder: Path) -> bool:
    try:
        return os.stat(folder).st_size >= MANY_FILES_BYTES
    except OSError:
        return False


def folder_stamp(folder: Path) -> str:
    """The books folder's own mtime and ctime: they change when a file is added, removed or renamed
    there (an atomic write is a rename), not when a file is edited in place."""
    try:
        st = os.stat(folder)
    except FileNotFoundError:
        return "none"
    return f"{st.st_mtime_ns}:{st.st_ctime_ns}"


class Recording:
    """What `Freshness.recording` gives, within its transaction: called with books, writes them; for a cold
    recording, `index_now` makes the secondary indexes (and a kept listing) it dropped, from the rows
    written so far, and the books written after are written with them, as into a warm index. Made once,
    at the end of the block, unless asked sooner: an import asks when its last books are on their way
    (importers._record_soon), so that its end waits only for them and the commit, not for every index
    made from every row (10,000 books: 0.1 s of CPU; kept up for a last 1,000 books instead, some 0.01 s)."""

    def __init__(self, freshness: Freshness, tally: _Tally | None, indexes: list[str]):
        self.freshness = freshness
        self.tally = tally
        self.indexes = indexes

    def __call__(self, written: Sequence[Recorded]) -> None:
        self.freshness._record_part(self.tally, written)

    def index_now(self) -> None:
        indexes, self.indexes = self.indexes, []
        for statement in indexes:  # made once from all the rows so far
            self.freshness.db.execute(statement)


class _Tally:
    """The book files a cold recording wrote rows for (`Freshness.recording`): their names, and their shares
    of the fingerprint (`_mix`) added up as each file's stamp is taken, so that at its end the fingerprint
    costs no second look at every file."""

    __slots__ = ("names", "total")

    def __init__(self) -> None:
        self.names: set[str] = set()
        self.total = 0


# What `record` takes for each book just written: its slug, its file (a path, or its text as os.stat takes it:
# an import's recorder process gets strings) and the book, its rows, or those rows packed (rows.pack_rows).
Recorded = tuple[str, "Path | str", "Book | Rows | bytes"]


class Freshness(Store):
    """Keeping up with the files: the sweep of stamps, parsing only what changed, writing rows."""

    # Starts the workers' fork server ahead of a cold build (`load_many` then finds it ready), or None.
    start_workers: Callable[[], None] | None = None

    # --- keeping up with the files --------------------------------------------------------------------
    def holds_books(self) -> bool:
        """Whether any book is indexed (an import into an empty journal matches its rows in memory)."""
        return self.db.execute("SELECT 1 FROM books LIMIT 1").fetchone() is not None

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
        what keeping up with hand edits costs. The same sum of `_mix` as `sweep`'s, taken in bulk where it can
        be (`_bulk_fingerprint`), else file by file."""
        if os.scandir in os.supports_fd:
            with contextlib.suppress(OSError):
                folder = os.open(self.books_dir, os.O_RDONLY | os.O_DIRECTORY)
                try:
                    bulk = _bulk_fingerprint(folder)
                finally:
                    os.close(folder)
                if bulk is not None:
                    self.unnamed = ()
                    return bulk
        total = count = 0
        for name, st in self._book_files():
            total += _mix(name, (st.st_size, st.st_mtime_ns, st.st_ino, st.st_ctime_ns))
            count += 1
        return f"{total & _MASK:x}-{count}"

    def _book_files(self) -> Iterator[tuple[str, os.stat_result]]:
        """(file name, stat) of each book file (`_book_entries`)."""
        for item in self._book_entries():
            try:
                yield item.name, item.stat()
            except FileNotFoundError:  # removed while we looked
                continue

    def _book_entries(self) -> Iterator[os.DirEntry[str]]:
        """Each book file in the folder: `*.toml`, not hidden, not a link (a second name for a book, or a way
        out of the journal). Told from its name and type alone: nothing is stat'ed here. Listed through the
        folder opened once, where the system can (`os.scandir(fd)`): each entry's stat then looks up its
        name in that folder, not its whole path again (10,000 books: 34 -> 30 ms of CPU a pass)."""
        if os.scandir not in os.supports_fd:
            if self.books_dir.is_dir():
                yield from self._named_entries(self.books_dir)
            return
        try:
            folder = os.open(self.books_dir, os.O_RDONLY | os.O_DIRECTORY)
        except OSError:
            if self.books_dir.is_dir():  # (what is_dir says of a folder that is not there, or not one)
                raise
            return
        try:
            yield from self._named_entries(folder)
        finally:
            os.close(folder)

    # Book files whose names are not UTF-8 (`caf\xe9.toml`), seen by this process's last pass: no slug can
    # name them (nor the index hold them), so they are left out and named among the problems.
    unnamed: tuple[str, ...] = ()

    def _named_entries(self, where: Path | int) -> Iterator[os.DirEntry[str]]:
        unnamed: list[str] = []
        with os.scandir(where) as found:
            for item in found:
                name = item.name
                if name[-5:] != ".toml" or name[0] == "." or item.is_symlink():
                    continue
                if not name.isascii() and not _encodes(name):
                    unnamed.append(name)
                    continue
                yield item
        self.unnamed = tuple(unnamed)

    def sync(self, progress: Callable[[int, int], None] | None = None, rebuild: bool = False) -> SyncReport:
        """Bring the index up to date with the files: parse only what changed since the last sync (with
        `rebuild`, every file, into a new, empty index (`start_over`), or one emptied first in the same
        transaction)."""
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
        if (rebuild or stored is None) and self.start_workers is not None and _many_files(self.books_dir):
            # Likely a cold build (every file parsed, by worker processes): their fork server starts now,
            # on the other core, while this one sweeps the folder and readies the index, instead of after
            # (10,000 books: its start, Python's and the parsing code's, no longer on the build's path).
            self.start_workers()
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
            else:
                # A rebuild starts from an empty index when it has the file to itself, and then is a cold
                # build (100k books: 16.8 s, where over the old rows it took 23-25 s); else (another
                # readlog has it open, and reads the old index meanwhile) it empties it in its transaction.
                self.start_over()
            changed = [slug for slug, stamp in stamps.items() if known.get(slug) != stamp]
            removed = [slug for slug in known if slug not in stamps]
            if (
                len(changed) >= BIG_WRITE
            ):  # room for the indexes' pages (default 2 MB): a 100k rebuild 31 -> 26 s
                db.execute(f"PRAGMA cache_size = -{BIG_CACHE_KB}")
                # In name order, not the folder's (its hash order): the slug keys of `books` and `files`
                # then grow at their end (100k books: the SQLite half 17 -> 12.5 s wall), and books that
                # tie in a search (ranked, then by row) come in the same order on every device.
                changed.sort()
            # A cold build: many files into an index that holds none (a new device, a cache thrown away).
            cold = (
                len(changed) >= BIG_WRITE
                and not known
                and db.execute("SELECT 1 FROM files LIMIT 1").fetchone() is None
            )
            with self._cold_build(cold):
                db.execute("BEGIN IMMEDIATE")
                try:
                    indexes: list[str] = []
                    if rebuild or cold:  # (a cold build has nothing to empty: its indexes go, as here)
                        indexes = self._empty()
                    if rebuild:  # what was kept for the old rows goes too: a cold build has none
                        db.execute("DELETE FROM meta WHERE key NOT IN ('fts', 'trigram')")
                        db.execute("DELETE FROM suggestions")
                    if len(changed) >= BIG_WRITE:
                        self._roomy_text()
                    for slug in removed:
                        self._forget(slug)
                    batch: list[tuple[str, Stamp, Rows]] = []
                    done = 0
                    for item in self._load_all(changed):
                        if isinstance(item, Packed):  # a worker's chunk of books, its rows table by table
                            self._write(batch)  # (in order: any book before it first)
                            batch.clear()
                            for slug in item.slugs:
                                if slug in known:
                                    self._forget(slug)
                            for slug, error in item.failed.items():
                                self._failed(slug, stamps[slug], error)
                            self._write_packed(item, stamps)
                            done += len(item.slugs)
                        else:
                            slug, loaded = item
                            done += 1
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
                    self._write(batch)
                    for statement in indexes:  # made once from all the rows: faster than kept up row by row
                        db.execute(statement)
                    self._set_meta(fingerprint=fingerprint, folder=folder)
                    db.execute("COMMIT")
                except BaseException:
                    rollback(db)
                    raise
            if len(changed) + len(removed) >= BIG_WRITE:
                self.checkpoint()
        elif self._meta("folder") != folder:
            self._set_meta(folder=folder)
        return SyncReport(len(changed), len(removed), self.problems())

    @contextlib.contextmanager
    def _cold_build(self, cold: bool) -> Iterator[None]:
        """The sync's transaction, for a cold build (`cold`: many files into an index that holds no book
        yet): with a rollback journal instead of the WAL, which would take every page once and the
        checkpoint write it again. SQLite journals no page past the file's size before the transaction,
        so the journal stays small and each page is written once; the build is still one transaction
        (killed, it is rolled back by the next to open the file). Only when no other connection has the
        index open (leaving the WAL needs the file to itself); the WAL is back when it is done. SIGTERM
        and SIGHUP roll it back too, and leave no journal behind: then the signal ends the process as it
        would have."""
        db = self.db
        # (another readlog has it open: build in the WAL, not wait)
        if not cold or self.path is None or not leave_wal(db):
            yield
            return
        from readlog.stopping import undone_then_ended

        with undone_then_ended():
            try:
                yield
            finally:
                with contextlib.suppress(sqlite3.OperationalError):  # (the next to open it sets the WAL)
                    db.execute("PRAGMA journal_mode = WAL")

    def problems(self) -> list[BookFileError]:
        """The files the last sync could not read."""
        rows = self.db.execute(
            "SELECT slug, error, line, col FROM files WHERE error IS NOT NULL ORDER BY slug"
        )
        found = [
            BookFileError(str(self.books_dir / f"{slug}.toml"), error, line, col)
            for slug, error, line, col in rows
        ]
        return found + [
            BookFileError(
                os.fsencode(self.books_dir / name).decode("utf-8", "backslashreplace"),  # (`caf\xe9.toml`)
                "its name is not UTF-8, so readlog cannot name it (readlog check --fix)",
            )
            for name in self.unnamed
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
            rollback(db)
            raise

    def rebuild(self, progress: Callable[[int, int], None] | None = None) -> SyncReport:
        """Forget everything and read every file again, in the same file (others may have it open): from a
        new, empty index when no other connection has it open (`start_over`), written as a cold build;
        else emptied within the rebuild's transaction."""
        return self.sync(progress, rebuild=True)

    def _empty(self) -> list[str]:
        """Every book's rows gone (within the caller's transaction), and the tables' secondary indexes
        dropped: returns the statements that make them again, once the rows are in. The text tables are
        dropped and made again: emptying an FTS5 table deletes row by row, reading each back to unindex
        it (0.6 s of a 10,000-book rebuild). A kept listing (schema.listing_statements: made by a whole
        `list`, of an empty journal say, before an import into it) goes too, with its triggers, and is made
        again last, from the rows in `books`: a trigger per book written costs more (10,000 books: 0.17 s
        of CPU, against some 0.02 s)."""
        db = self.db
        listing: tuple[str, ...] = ()
        if db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'listing'").fetchone():
            for name in LISTING_TRIGGERS:  # (first: emptying `books` below would fire one per row)
                db.execute(f"DROP TRIGGER IF EXISTS {name}")
            db.execute("DROP TABLE listing")
            listing = listing_statements()
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
        return [*(sql for _, sql in indexes), *listing]

    def _roomy_text(self) -> None:
        """Room for a big write's words in memory (within the caller's transaction): the text tables keep
        new words in memory and write them out as a segment each time they pass `hashsize` (1 MB by
        default), and merge segments as they pile up; with 16 MB, a 30,000-book text index is built in half
        the CPU. Kept in the tables' own config (it bounds the memory of later writes, no more); searches
        are the same (the segments are merged as before, fewer of them)."""
        for table, made in (("parts", self.fts), ("cjk", self.trigram)):
            if made:
                self.db.execute(
                    f"INSERT INTO {table}({table}, rank) VALUES ('hashsize', ?)", (TEXT_HASH_BYTES,)
                )

    def _forget(self, slug: str) -> None:
        db = self.db
        # By rowid, the book's range of them: deleting from an FTS5 table by an unindexed column would scan
        # all of it.
        found = db.execute("SELECT first_part, last_part FROM files WHERE slug = ?", (slug,)).fetchone()
        if found is not None and found[0] is not None:
            db.execute("DELETE FROM parts WHERE rowid BETWEEN ? AND ?", found)
            db.execute("DELETE FROM cjk WHERE rowid BETWEEN ? AND ?", found)
        for table in _PER_BOOK:
            db.execute(f"DELETE FROM {table} WHERE slug = ?", (slug,))

    def _load_all(self, slugs: list[str]) -> Iterator[tuple[str, Loaded] | Packed]:
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
        self.db.execute("INSERT INTO files VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL)", row)

    def record(
        self,
        written: Sequence[Recorded],
        checkpoint: bool = True,
        cold: bool = False,
    ) -> None:
        """Index books just written from the Book objects in hand (or their rows, made already; or those rows
        packed by the worker process that made them, `rows.pack_rows`), so the next sync need not parse them.
        (An import records each batch as it lands, and checkpoints once, at the end.) With `cold`, many
        books into an index that holds no file yet (an import into an empty journal, recorded at its end)
        are written the way a cold build writes them (`_cold_build`): one transaction in a rollback
        journal, the secondary indexes made once at the end; the same rows."""
        with self.recording(cold and len(written) >= BIG_WRITE, len(written) >= BIG_WRITE) as write:
            write(written)
        if checkpoint and len(written) >= BIG_WRITE:
            self.checkpoint()

    @contextlib.contextmanager
    def recording(self, cold: bool, big: bool) -> Iterator[Recording]:
        """`record`'s one transaction, open while the block runs: each call of what it gives (`Recording`)
        writes books (in slices of RECORD_BATCH), committed at the end of the block, rolled back if it
        raises. `cold`: into an index that holds no file (checked here), the cold build's way; `big`: many
        books (`_roomy_text`). An import into an empty journal writes its durable batches as they land, from
        a process of its own (importers._Recorder), the same rows as one `record` of them all."""
        db = self.db
        cold = cold and db.execute("SELECT 1 FROM files LIMIT 1").fetchone() is None
        if cold:
            db.execute(f"PRAGMA cache_size = -{BIG_CACHE_KB}")
        tally = _Tally() if cold else None
        with self._cold_build(cold):
            db.execute("BEGIN IMMEDIATE")
            try:
                indexes = self._empty() if cold else []  # (nothing to empty: the indexes go, as in a sync)
                if big:
                    self._roomy_text()
                recording = Recording(self, tally, indexes)
                yield recording
                recording.index_now()  # (unless made already)
                if tally is not None:
                    self._fingerprinted(tally)
                db.execute("COMMIT")
            except BaseException:
                rollback(db)
                raise

    def _record_part(self, tally: _Tally | None, written: Sequence[Recorded]) -> None:
        """Books into every table, RECORD_BATCH at a time (`tally`: a cold recording's, told each file). The
        cyclic garbage collector waits until they are written: each batch makes some 20 objects a book (its
        rows unpacked, the statements' tuples), all freed once it is written, which the collector would
        otherwise walk through for nothing."""
        from readlog.pool import collector_paused

        with collector_paused():
            self._record_batches(tally, written)

    def _record_batches(self, tally: _Tally | None, written: Sequence[Recorded]) -> None:
        db = self.db
        for start in range(0, len(written), RECORD_BATCH):
            part = written[start : start + RECORD_BATCH]
            known: set[str] = set()
            if tally is None:
                marks = ",".join("?" * len(part))
                query = f"SELECT slug FROM files WHERE slug IN ({marks})"
                # New books, as a rule: nothing of theirs to forget.
                known = {slug for (slug,) in db.execute(query, [w[0] for w in part])}
            from readlog.packed import unpack_plain  # (and pickle: only a recorder needs them, not a `next`)

            batch: list[tuple[str, Stamp, tuple[Any, ...]]] = []
            for slug, path, book in part:
                if slug in known:
                    self._forget(slug)
                st = os.stat(path)
                stamp = (st.st_size, st.st_mtime_ns, st.st_ino, st.st_ctime_ns)
                if tally is not None:
                    name = f"{slug}.toml"
                    tally.names.add(name)
                    tally.total += _mix(name, stamp)
                # Packed rows are written as marshal gives them back (pack_rows: the tuple of the seven
                # lists, in _written's order), with no `Rows` made of them.
                if isinstance(book, bytes):
                    batch.append((slug, stamp, unpack_plain(book)))
                else:
                    batch.append(
                        (slug, stamp, _listed(book if isinstance(book, Rows) else book_rows(book, False)))
                    )
            self._written(batch)

    def _fingerprinted(self, tally: _Tally) -> None:
        """At the end of a cold recording (in its transaction): when the books folder holds exactly the
        files recorded (an import into an empty journal, all of it landed), the fingerprint and the folder's
        stamp a sync would store, so that the sync after it compares nothing (Cache.after_bulk) and the next
        command's only takes the fingerprint. The fingerprint is of the stamps the rows were recorded with:
        a file edited in place since shows as a different one, and the next sync parses it. The folder's
        stamp is taken first, as `sync` takes it before its sweep: a file added, removed or renamed after it
        shows next time. Otherwise (another file there, one gone), nothing is stored, and the sync after
        the import compares every file as before."""
        folder = folder_stamp(self.books_dir)
        names = tally.names
        count = 0
        for item in self._book_entries():
            if item.name not in names:
                return
            count += 1
        if count == len(names):
            self._set_meta(fingerprint=f"{tally.total & _MASK:x}-{count}", folder=folder)

    def _write_packed(self, packed: Packed, stamps: dict[str, Stamp]) -> None:
        """A worker's chunk of books into every table (its failed books are the caller's): as `_write`
        writes them, row for row, with no object per book made here."""
        db = self.db
        failed = packed.failed
        # The parts' rowids follow the last one, in order, as `_written` numbers them; each book's run of
        # them (its parts come together) is kept with its file.
        last = db.execute("SELECT rowid FROM parts ORDER BY rowid DESC LIMIT 1").fetchone()
        first = (last[0] if last else 0) + 1
        parts = packed.parts
        ranges: dict[str, list[int]] = {}
        for rowid, part in enumerate(parts, first):
            span = ranges.get(part[0])
            if span is None:
                ranges[part[0]] = [rowid, rowid]
            else:
                span[1] = rowid
        none = [None, None]
        db.executemany(
            "INSERT INTO files VALUES (?, ?, ?, ?, ?, NULL, NULL, NULL, ?, ?)",
            [(slug, *stamps[slug], *ranges.get(slug, none)) for slug in packed.slugs if slug not in failed],
        )
        if packed.books:
            marks = ", ".join("?" * len(packed.books[0]))
            db.executemany(f"INSERT INTO books VALUES ({marks})", packed.books)
        for table, marks, rows in (
            ("book_reads", "?, ?, ?, ?, ?, ?, ?", packed.reads),
            ("book_names", "?, ?, ?, ?, ?", packed.names),
            ("book_keys", "?, ?", packed.keys),
            ("pick_titles", "?, ?, ?, ?, ?, ?", packed.picks),
            ("moments", "?, ?, ?, ?, ?, ?, ?", packed.moments),
        ):
            db.executemany(f"INSERT INTO {table} VALUES ({marks})", rows)
        db.executemany(
            "INSERT INTO parts (rowid, slug, part, label, body) VALUES (?, ?, ?, ?, ?)",
            [(rowid, *part) for rowid, part in enumerate(parts, first)],
        )
        db.executemany(
            "INSERT INTO cjk (rowid, slug, part, label, body) VALUES (?, ?, ?, ?, ?)",
            [(first + at, *parts[at]) for at in packed.unspaced],
        )

    def _write(self, batch: Sequence[tuple[str, Stamp, Rows]]) -> None:
        """Books into every table, many at a time (one statement per table, not per row)."""
        if batch:
            self._written([(slug, stamp, _listed(rows)) for slug, stamp, rows in batch])

    def _written(self, batch: Sequence[tuple[str, Stamp, tuple[Any, ...]]]) -> None:
        """`_write`, of each book's rows as the tuple `rows.pack_rows` packs (`_listed`): book, reads, names,
        keys, picks, parts, moments."""
        if not batch:
            return
        db = self.db
        # Parts get their rowids here, each book's together, so `files` and the CJK table can name them.
        last = db.execute("SELECT rowid FROM parts ORDER BY rowid DESC LIMIT 1").fetchone()
        rowid = last[0] if last else 0
        parts, files, unspaced = [], [], []
        for slug, stamp, rows in batch:
            first = rowid + 1
            for part, label, body, cjk in rows[5]:
                rowid += 1
                parts.append((rowid, slug, part, label, body))
                if cjk:
                    unspaced.append(parts[-1])
            files.append((slug, *stamp, first, rowid) if rowid >= first else (slug, *stamp, None, None))
        db.executemany("INSERT INTO files VALUES (?, ?, ?, ?, ?, NULL, NULL, NULL, ?, ?)", files)
        marks = ", ".join("?" * (1 + len(batch[0][2][0])))  # the slug, then the book's columns
        db.executemany(f"INSERT INTO books VALUES ({marks})", [(slug, *rows[0]) for slug, _, rows in batch])
        per_book = (
            ("book_reads", "?, ?, ?, ?, ?, ?, ?", 1),
            ("book_names", "?, ?, ?, ?, ?", 2),
            ("book_keys", "?, ?", 3),
            ("pick_titles", "?, ?, ?, ?, ?, ?", 4),
            ("moments", "?, ?, ?, ?, ?, ?, ?", 6),
        )
        for table, marks, at in per_book:
            db.executemany(
                f"INSERT INTO {table} VALUES ({marks})",
                [(slug, *row) for slug, _, rows in batch for row in rows[at]],
            )
        db.executemany("INSERT INTO parts (rowid, slug, part, label, body) VALUES (?, ?, ?, ?, ?)", parts)
        db.executemany("INSERT INTO cjk (rowid, slug, part, label, body) VALUES (?, ?, ?, ?, ?)", unspaced)


def _listed(rows: Rows) -> tuple[Any, ...]:
    """A book's rows as the tuple `rows.pack_rows` packs them into (what `Freshness._written` takes)."""
    return (rows.book, rows.reads, rows.names, rows.keys, rows.picks, rows.parts, rows.moments)
