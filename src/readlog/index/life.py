"""The index's life in one process: opening the cache (or, where it cannot be written or another readlog
holds it, one in memory built from the files), recovering a damaged file, bringing it up to date once per
command, rebuilding it, and folding in the journal's own writes. The journal is handed a `Cache` and asks
it for the index; it never opens, recovers or rebuilds one itself."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from readlog.errors import BookFileError
    from readlog.index import Index
    from readlog.index.freshness import SyncReport
    from readlog.index.schema import Loaded, Loader, Packed
    from readlog.model import Book


def _sqlite_error(error: Exception) -> bool:
    """An error of the cache itself (sqlite3's), as opposed to one of the books or of readlog."""
    return type(error).__module__ == "sqlite3"


# A long index build (a cold one: a new device after `git clone`, a cache thrown away) shows a progress bar
# where the CLI says how (`on_long_build`): only once it has taken BUILD_BAR_AFTER seconds, and only while
# there is more to do; a build that ends sooner shows nothing.
BUILD_BAR_AFTER = 1.0
# Starts a bar: returns (update(done, total), close()), or None for no bar (not a terminal, one showing).
StartBar = Callable[[], "tuple[Callable[[int, int], None], Callable[[], None]] | None"]
_start_bar: StartBar | None = None


def on_long_build(start_bar: StartBar | None) -> None:
    """How to show a progress bar for an index build that takes more than a second (the CLI's)."""
    global _start_bar
    _start_bar = start_bar


class _BuildProgress:
    """An index sync's progress: told to `also` (reindex's caller), and to a bar once a second has gone."""

    def __init__(self, also: Callable[[int, int], None] | None):
        import time

        self.also = also
        self.clock = time.monotonic
        self.since = self.clock()
        self.asked = False
        self.bar: tuple[Callable[[int, int], None], Callable[[], None]] | None = None

    def __call__(self, done: int, total: int) -> None:
        if self.also is not None:
            self.also(done, total)
        if self.bar is None:
            waited = self.clock() - self.since
            if self.asked or done >= total or _start_bar is None or waited < BUILD_BAR_AFTER:
                return
            self.asked = True
            self.bar = _start_bar()
            if self.bar is None:
                return
        self.bar[0](done, total)

    def close(self) -> None:
        if self.bar is not None:
            self.bar[1]()
            self.bar = None


def _sync(
    index: Index, progress: Callable[[int, int], None] | None = None, rebuild: bool = False
) -> SyncReport:
    """`index.sync()` (or its rebuild), with a progress bar if it takes long (see `on_long_build`). SIGTERM
    or SIGHUP on the way rolls it back and ends the process (readlog.stopping.undone_then_ended), from
    before its workers' fork server starts: a signal between that start and the cold build's own handler
    left their temp folder (`$TMPDIR/readlog-PID`) for the next command that starts workers to clear."""
    from readlog.stopping import undone_then_ended

    watch = _BuildProgress(progress)
    with undone_then_ended():
        try:
            return index.rebuild(watch) if rebuild else index.sync(watch)
        finally:
            watch.close()


class Cache:
    """The index of the books in `books_dir`, kept at `path` (None: in memory), read with `load`."""

    def __init__(self, books_dir: Path, load: Loader, path: Path | None):
        self.books_dir = books_dir
        self.load = load
        self.path = path
        self._index: Index | None = None
        self._fresh: list[BookFileError] | None = None  # problems from this process's last sync
        self.quick = False  # that "sync" trusted an unchanged folder instead of looking at every file
        # Why the index is in memory when it has a file (`path`): the file could not be opened or written
        # (a full disk, a read-only cache, another readlog holding it). None while it is kept on disk.
        self.not_kept: str | None = None

    def _make(self, path: Path | None) -> Index:
        from readlog.index import Index

        index = Index(self.books_dir, self.load, path, load_many=self._load_many)
        index.start_workers = self._start_workers
        return index

    def _start_workers(self) -> None:
        """The workers' fork server started ahead, as a cold build begins (Freshness.sync)."""
        from readlog.index.pool import start_workers

        start_workers(self.load)

    def _load_many(self, slugs: list[str]) -> Iterator[tuple[str, Loaded] | Packed]:
        """A cold build's files, parsed by worker processes (imported only when a build is that big)."""
        from readlog.index.pool import load_many

        return load_many(self.load, slugs)

    def index(self) -> Index:
        """The derived index as it is, not synced: see `fresh`. Where the cache cannot be written, one in
        memory."""
        if self._index is None:
            import sqlite3

            try:
                self._index = self._make(self.path)
                self._index.db  # noqa: B018 - opens, creates or rebuilds it now, so failure shows here
            except (OSError, sqlite3.Error) as error:
                self.not_kept = f"{self.path}: {error}"
                self._index = self._make(None)
        return self._index

    @property
    def opened(self) -> Index | None:
        """The index, if this process has opened it (nothing is opened to answer)."""
        return self._index

    def fresh(self) -> Index:
        """The index, brought up to date with the files once per command: a later call in the same
        process syncs again only if the journal was written to since (`changed`)."""
        index = self.index()
        if self._fresh is None:
            self.quick = False
            try:
                self._fresh = _sync(index).problems
            except Exception as error:
                index = self._recover(error)
                self._fresh = _sync(index).problems
            _fold_log(index)  # (what the sync wrote, or writes of earlier commands left in the log)
        return index

    def _recover(self, error: Exception) -> Index:
        """The cache failed: a damaged index is rebuilt on disk; one that is locked by another process,
        read-only or on a full disk is replaced, for this command, by one in memory built from the files."""
        from readlog.index.schema import is_damaged

        if not _sqlite_error(error):
            raise error
        index = self.index()
        if index.path is not None and is_damaged(error):
            index.reset()
            try:
                _sync(index)
                return index
            except Exception as again:
                if not _sqlite_error(again):
                    raise
                error = again
        if index.path is not None:
            self.not_kept = f"{index.path}: {error}"
        self._index = self._make(None)
        return self._index

    def rebuild(self, progress: Callable[[int, int], None] | None = None) -> int:
        """`readlog reindex`: the index thrown away and built again from the files (also when damaged).
        Returns how many files were parsed."""
        index = self.index()
        try:
            report = _sync(index, progress, rebuild=True)
        except Exception as error:
            if not _sqlite_error(error):
                raise
            index = self._recover(error)
            report = _sync(index, progress, rebuild=True)
        self._fresh = report.problems  # (as `fresh` keeps them: the files it could not read, for `problems`)
        self.quick = False
        return report.parsed

    def writer(self) -> Index:
        """The index for a command that writes to a book it names: no sweep of every file when the books
        folder is as the index last saw it (no file added, removed or renamed). A file edited in place would
        not show, so what is found this way is checked against the file itself (Journal.find)."""
        index = self.index()
        if self._fresh is None:
            try:
                if index.unchanged_folder():
                    self._fresh = index.problems()
                    self.quick = True
                    return index
            except Exception as error:
                if not _sqlite_error(error):
                    raise
            return self.fresh()
        return index

    def problems(self) -> list[BookFileError]:
        """Files the last sync could not read."""
        self.fresh()
        return list(self._fresh or [])

    def changed(self) -> None:
        """The books may have changed (a write, or another process's while we waited for the lock): the
        next `fresh` syncs again."""
        self._fresh = None

    def folder_now(self) -> str | None:
        """The books folder's stamp, when this process has the index open on disk (see `after_write`)."""
        if self._index is None or self._index.path is None:
            return None
        from readlog.index.freshness import folder_stamp

        return folder_stamp(self.books_dir)

    def after_write(self, slug: str, path: Path, book: Book | None, folder_before: str | None) -> None:
        """Fold the journal's own write (`book` None: a removal) into the index, when it is open in this
        process and was up to date with the folder just before (`folder_now`, taken before the write)."""
        self._fresh = None
        if folder_before is None or self._index is None:
            return
        with contextlib.suppress(Exception):  # a cache that cannot be written: the next sync catches up
            self._index.note_written(slug, path, book, folder_before)
            _fold_log(self._index)

    def after_bulk(self, landed: int) -> None:
        """Many books landed (an import, recorded batch by batch with `Index.record`): fold a big write's
        log back, and store the new fingerprint, so the next command compares nothing. An import into an
        empty journal stored it already (Freshness.recording, cold: the folder's stamp with it): then no
        sync here, and a later use of the index in this process syncs as ever (`_fresh` is None)."""
        self._fresh = None
        with contextlib.suppress(Exception):  # read-only or full cache: the next sync catches up
            from readlog.index.freshness import BIG_WRITE

            index = self.index()
            if landed >= BIG_WRITE:
                index.checkpoint()
            if not index.unchanged_folder():
                self.fresh()


# readlog ends without closing its connection to the index (start-up and exit are faster for it), so SQLite
# never folds the write-ahead log back into the database itself, and a process that opens the index after
# one that ended so reads the whole log again and takes it as not folded back yet: each small write (a
# title write adds ~35 pages, 140 KB, at 10,000 books) then grew the log for good, every command paid
# ~0.8 ms a MB of it to open the index (7.5 ms after 64 writes, measured), and past SQLite's 1,000 pages
# every write copied all of its pages back again. Past this size, the log is folded back and emptied.
WAL_FOLD = 1 << 20


def _fold_log(index: Index) -> None:
    """The index's write-ahead log folded back and emptied, once it has grown past WAL_FOLD. Never waits:
    with another readlog reading it (a checkpoint that empties the log would wait for it), the next
    command's turn."""
    import os

    if index.path is None:
        return
    try:
        if os.stat(f"{index.path}-wal").st_size <= WAL_FOLD:
            return
    except OSError:
        return
    db = index.db
    with contextlib.suppress(Exception):  # the index is a cache: never a reason to fail a command
        db.execute("PRAGMA busy_timeout = 0")
        try:
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
        finally:
            db.execute(f"PRAGMA busy_timeout = {int(index.busy_seconds * 1000)}")


def open_cache(root: Path, load: Loader) -> Cache:
    """The index of the data dir `root` (its books in `root/books`), in the cache dir; nothing is opened
    until it is used. `load` reads one book file for it, and must pickle (a cold build hands it to worker
    processes)."""
    from readlog.index.schema import index_path

    return Cache(root / "books", load, index_path(root))


def _not_synced(slug: str) -> tuple[Book, bool]:
    from readlog.errors import ReadlogError

    raise ReadlogError(f"{slug}: the index as last saved is read here, never brought up to date")


COMPLETION_WAIT_SECONDS = 0.2


def complete(root: Path, prefix: str) -> list[tuple[str, str]]:
    """Shell completion for BOOK: (slug, title) of books whose slug or title starts with `prefix`, from the
    index of `root` as last saved (never synced, never created: no index yet, no answers)."""
    import sqlite3

    from readlog.index import Index
    from readlog.index.schema import index_path

    path = index_path(root)
    if not path.exists():
        return []
    try:
        index = Index(root / "books", _not_synced, path)
        # A TAB must be instant: during another readlog's first build of the index (its tables locked
        # until it commits) completion answers nothing at once rather than waiting on the lock.
        index.busy_seconds = COMPLETION_WAIT_SECONDS
        return list(index.complete(prefix))
    except (OSError, sqlite3.Error):
        return []
