"""The data directory: where it is, which file is which book, and every write to it.

Every change to a book is read-modify-write under one journal lock, and lands with an atomic replace
(temp file in the same folder, fsync, `os.replace`): a crash leaves the old file or the new one.
"""

from __future__ import annotations

import contextlib
import itertools
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from readlog import bookfile
from readlog.errors import (
    AmbiguousBook,
    BookExists,
    BookFileError,
    BookNotFound,
    ConflictError,
    NewerSchema,
    ReadlogError,
)
from readlog.model import Book
from readlog.text import is_slug, normalize, one_line, slugify, surname

ENV_HOME = "READLOG_HOME"


def default_data_dir(option: str | os.PathLike[str] | None = None) -> Path:
    """The data directory: `--data-dir`, else $READLOG_HOME, else the platform's user data dir."""
    if option:
        return Path(option).expanduser()
    if os.environ.get(ENV_HOME):
        return Path(os.environ[ENV_HOME]).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("readlog", appauthor=False))


@dataclass
class Entry:
    """A book together with where it lives."""

    slug: str
    book: Book
    path: Path
    text: str  # the file's text as read: a rewrite is refused if the file no longer holds it
    read_only: bool = False  # written by a newer readlog: may be shown, never rewritten


@dataclass
class Scan:
    entries: list[Entry]
    problems: list[BookFileError]


def same_book(title_a: str, authors_a: list[str], title_b: str, authors_b: list[str]) -> bool:
    """Same normalised title and at least one shared author (or no authors on one side)."""
    if normalize(title_a) != normalize(title_b):
        return False
    if not authors_a or not authors_b:
        return True
    return bool({normalize(a) for a in authors_a} & {normalize(a) for a in authors_b})


class Journal:
    def __init__(self, root: Path):
        self.root = root
        self.books_dir = root / "books"
        self.drafts_dir = root / "drafts"
        self.trash_dir = root / "trash"
        self._index: Any = None  # the Index, once opened

    # --- reading ---------------------------------------------------------------------------------
    def path_for(self, slug: str) -> Path:
        if not is_slug(slug):  # never let text that is not a slug become a path
            raise ReadlogError(f"{one_line(slug)!r} is not a valid book slug")
        return self.books_dir / f"{slug}.toml"

    def slugs(self) -> list[str]:
        if not self.books_dir.is_dir():
            return []
        return sorted(
            name[:-5] for name in os.listdir(self.books_dir) if name.endswith(".toml") and name[0] != "."
        )

    def load(self, slug: str, allow_newer: bool = False) -> Entry:
        """One book. With `allow_newer`, a file from a newer readlog loads read-only instead of failing."""
        path = self.path_for(slug)
        self.check_link(path)
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            raise BookNotFound(f"no book {slug!r} in {self.books_dir}") from None
        except OSError as error:
            raise ReadlogError(f"cannot read {path}: {error.strerror}") from None
        text = bookfile.decode(raw, str(path))
        try:
            return Entry(slug, bookfile.parse(text, str(path)), path, text)
        except NewerSchema:
            if not allow_newer:
                raise
            return Entry(slug, bookfile.parse(text, str(path), allow_newer=True), path, text, read_only=True)

    def check_link(self, path: Path) -> None:
        """A book file may be a link within the journal, never to a file elsewhere on the machine."""
        if path.is_symlink():
            target = path.resolve()
            if not target.is_relative_to(self.books_dir.resolve()):
                raise ReadlogError(
                    f"{path} is a link to {target}, outside the journal; readlog will not read it"
                )

    def scan(self) -> Scan:
        """Every book's summary, from the index (brought up to date first); files that do not parse are
        reported, never fatal. Entries carry title, authors, status, rating, tags, dates, reads and picks,
        not the review, reflections or quotes: `load` a book for those."""
        index = self.index()
        report = index.sync()
        return Scan(index.entries(), report.problems)

    def index(self) -> Any:
        """The derived index, synced by its users. Where the cache cannot be written, one in memory."""
        if self._index is None:
            import sqlite3

            from readlog.index import Index, index_path

            try:
                self._index = Index(self, index_path(self.root))
                self._index.db  # noqa: B018 - opens, creates or rebuilds it now, so failure shows here
            except (OSError, sqlite3.Error):
                self._index = Index(self, None)
        return self._index

    def resolve(self, query: str, allow_newer: bool = False) -> Entry:
        """BOOK: by slug, then exact title, then a unique partial title, then a clear fuzzy winner."""
        wanted = normalize(query)
        if not wanted:
            raise BookNotFound(f"{one_line(query)!r} does not name a book")
        for slug in dict.fromkeys([query, wanted.replace(" ", "-")]):
            if is_slug(slug) and self.path_for(slug).is_file():
                return self.load(slug, allow_newer)
        index = self.index()
        index.sync()
        return self.load(_search(query, wanted, index.titles()), allow_newer)

    # --- writing ---------------------------------------------------------------------------------
    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        """One writer at a time: every read-modify-write happens inside this lock."""
        self._ensure_dirs()
        fd = os.open(self.root / ".lock", os.O_RDWR | os.O_CREAT, 0o600)
        with os.fdopen(fd, "r+b") as handle:
            _lock_file(handle)
            yield

    def create(self, book: Book) -> Entry:
        """Write a new book under a fresh slug. Refuses a book that is already in the journal."""
        with self.locked():
            existing = self.find_same(book.title, book.authors)
            if existing is not None:
                raise BookExists(
                    f"{book.title!r} is already in the journal as {existing.slug!r}: "
                    f"use `readlog edit {existing.slug}`, or `readlog add --reread` to log another reading"
                )
            slug = self.free_slug(book)
            text = bookfile.dumps(book)
            path = self.path_for(slug)
            atomic_write(path, text)
            return Entry(slug, book, path, text)

    def modify(self, slug: str, change: Callable[[Book], None]) -> Entry:
        """Read a book, apply `change`, write only what changed. Nothing is written if `change` raises."""
        with self.locked():
            entry = self.load(slug)
            change(entry.book)
            text = bookfile.update(entry.text, entry.book)
            if text != entry.text:
                atomic_write(entry.path, text)
            return Entry(slug, entry.book, entry.path, text)

    def replace_text(self, entry: Entry, new_text: str) -> None:
        """Replace a whole file, unless it changed since `entry` was read (that change would be lost)."""
        with self.locked():
            try:
                current = entry.path.read_bytes().decode("utf-8", "replace").removeprefix("\ufeff")
            except FileNotFoundError:
                current = None
            if current != entry.text:
                raise ConflictError(
                    f"{entry.path} changed on disk while you were editing; your version was not saved over it"
                )
            atomic_write(entry.path, new_text)

    def remove(self, slug: str) -> Path:
        """Move a book file to trash/ (a mistaken `rm` can be undone by moving it back)."""
        with self.locked():
            entry = self.load(slug)
            self.trash_dir.mkdir(mode=0o700, exist_ok=True)
            stamp = datetime.now().strftime("%Y%m%dT%H%M%S")
            target = self.trash_dir / f"{slug}.{stamp}.toml"
            os.replace(entry.path, target)
            return target

    def find_same(self, title: str, authors: list[str]) -> Entry | None:
        """The book already in the journal with this title and a shared author, if any."""
        index = self.index()
        index.sync()
        for entry in index.same_title(title):
            if same_book(entry.book.title, entry.book.authors, title, authors):
                return entry
        return None

    def free_slug(self, book: Book, taken: frozenset[str] | set[str] = frozenset()) -> str:
        """The title's slug; if taken, a readable variant: author surname, then year, then a number.
        `taken` holds slugs already promised to files not yet on disk (a bulk import's pending batch)."""
        base = slugify(book.title)
        readable = [base]
        if book.authors:
            readable.append(f"{base}-{slugify(surname(book.authors[0]))}")
            if book.year is not None:
                readable.append(f"{readable[-1]}-{str(book.year).replace('-', 'bce')}")
        numbered = (f"{readable[-1]}-{n}" for n in range(2, 10_000))
        for slug in itertools.chain(readable, numbered):
            if slug not in taken and not self.path_for(slug).exists():
                return slug
        raise ReadlogError(f"no free file name for {book.title!r} in {self.books_dir}")

    def _ensure_dirs(self) -> None:
        for folder in (self.root, self.books_dir):
            if not folder.is_dir():
                try:
                    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
                except OSError as error:
                    raise ReadlogError(
                        f"cannot create the data directory {folder}: {error.strerror}"
                    ) from None


def _search(query: str, wanted: str, books: list[tuple[str, str, str]]) -> str:
    """The slug of the one book `wanted` names in (slug, title, normalised title): exact, partial, fuzzy."""
    found = [b for b in books if b[2] == wanted] or [b for b in books if wanted in b[2]]
    if len(found) == 1:
        return found[0][0]
    if len(found) > 1:
        raise AmbiguousBook(f"{one_line(query)!r} matches several books: {_names(found)}; give the slug")
    from rapidfuzz import fuzz, process

    scored = process.extract(wanted, [b[2] for b in books], scorer=fuzz.WRatio, limit=3, score_cutoff=60)
    if scored:
        best = scored[0]
        runner_up = scored[1][1] if len(scored) > 1 else 0
        if best[1] >= 85 and best[1] - runner_up >= 10:
            return books[best[2]][0]
        close = [books[s[2]] for s in scored]
        raise BookNotFound(f"no book matches {one_line(query)!r} exactly; did you mean: {_names(close)}?")
    raise BookNotFound(f"no book matches {one_line(query)!r}; `readlog list` shows them all")


def _names(books: list[tuple[str, str, str]]) -> str:
    shown = [f"{slug} ({one_line(title)})" for slug, title, _ in books[:8]]
    more = f" and {len(books) - 8} more" if len(books) > 8 else ""
    return ", ".join(shown) + more


def _temp_path(path: Path) -> Path:
    """Beside `path`, under a dot name readlog never reads as a book. (os.urandom: `secrets` costs 4 ms.)"""
    return path.with_name(f".{path.name}.{os.urandom(4).hex()}.tmp")


def atomic_write(path: Path, text: str, sync_dir: bool = True) -> None:
    """Write `text` to `path` so that a crash leaves either the old file or the new one, never half.

    `sync_dir=False` is for bulk writers (import) that fsync the folder once at the end instead."""
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError as error:  # a last guard: validation should have refused such text already
        raise ReadlogError(
            f"{path}: text with characters that cannot be saved as UTF-8 ({error.reason})"
        ) from None
    temp = _temp_path(path)
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)
        raise
    if sync_dir:
        fsync_dir(path.parent)


class BulkWriter:
    """Many new files at once, as safely as one: each goes to a dot-named temp file; a batch is made
    durable with one `os.sync()` and only then renamed into place. A crash can leave temp files (never
    read as books; `check --fix` removes them), never a half-written book. One fsync per file would make
    a 10,000-book import several times slower."""

    def __init__(self, batch: int = 500):
        self.batch = batch
        self.pending: list[tuple[Path, Path]] = []
        self.done: list[Path] = []

    def add(self, path: Path, text: str) -> None:
        temp = _temp_path(path)
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(text.encode("utf-8"))
        self.pending.append((temp, path))
        if len(self.pending) >= self.batch:
            self.flush()

    def flush(self) -> None:
        if not self.pending:
            return
        if hasattr(os, "sync"):
            os.sync()
        else:  # pragma: no cover - Windows: no os.sync
            for temp, _ in self.pending:
                with open(temp, "rb+") as handle:
                    os.fsync(handle.fileno())
        for temp, path in self.pending:
            os.replace(temp, path)
            self.done.append(path)
        fsync_dir(self.pending[0][1].parent)
        self.pending.clear()

    def discard(self) -> None:
        for temp, _ in self.pending:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temp)
        self.pending.clear()


def fsync_dir(folder: Path) -> None:
    if os.name == "posix":
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _lock_file(handle: object) -> None:
    """Block until this process holds the journal lock; released when the handle closes."""
    if os.name == "posix":
        import fcntl

        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)  # type: ignore[attr-defined]
    else:  # pragma: no cover - Windows
        import msvcrt

        msvcrt.locking(handle.fileno(), msvcrt.LK_LOCK, 1)  # type: ignore[attr-defined]
