"""The data directory: where it is, which file is which book, and every write to it.

Every change to a book is read-modify-write under one journal lock, and lands with an atomic replace
(temp file in the same folder, fsync, `os.replace`): a crash leaves the old file or the new one.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import itertools
import os
import re
from collections import deque
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from readlog import bookfile
from readlog.errors import (
    AmbiguousBook,
    BookExists,
    BookFileError,
    BookNotFound,
    Cancelled,
    ConflictError,
    MaybeSameBook,
    NewerSchema,
    ReadlogError,
)
from readlog.files import (  # re-exported: the journal's writes are these
    BulkWriter,
    Written,
    atomic_write,
    bom_of,
    fsync_dir,  # noqa: F401 - re-exported
    hold_lock,
    move,
    read_regular,
)
from readlog.identity import (
    Found,
    Lookup,
    Same,
    Work,
    alike_in_authors,
    id_keys,
    letterless_keys,
    name_for_slug,
    named_as_typed,
    same_either_way,
    same_work,
    series_pairs,
    slugs_named,
    subtitle_lookups,
    symbol_words,
)
from readlog.lazyclass import dataclass_when_used, pattern_when_used
from readlog.model import Book, Entry, Summary
from readlog.text import is_slug, one_line, slugify

if TYPE_CHECKING:
    from collections.abc import Sequence

    from readlog.goals import Goals
    from readlog.identity import Candidate
    from readlog.index import Cache, Index, Rows

ENV_HOME = "READLOG_HOME"
# The books the index keeps under a key (identity.subtitle_lookups asks by one).
_WITH_KEY = "WHERE slug IN (SELECT slug FROM book_keys WHERE key = ?) ORDER BY slug"


class Named(Protocol):
    """What a book's slug is made from (`free_slug`): a Book, or a row an import holds beside its book."""

    @property
    def title(self) -> str: ...

    @property
    def authors(self) -> Sequence[str]: ...

    @property
    def year(self) -> int | None: ...


def title_slug(title: str) -> str:
    """The first slug a book titled `title` is offered (free_slug): the title's, the symbols that make another
    title as words (identity.symbol_words: *C++ Primer Plus* is `cplusplus-primer-plus`, never
    `c-primer-plus`, the slug *C Primer Plus* has)."""
    return slugify(symbol_words(title))


def default_data_dir(option: str | os.PathLike[str] | None = None) -> Path:
    """The data directory: `--data-dir`, else $READLOG_HOME, else `data_dir` in the config file, else the
    platform's user data dir."""
    if option:
        return Path(option).expanduser()
    if os.environ.get(ENV_HOME):  # (a relative one is from this folder: said whole, in messages, the cache)
        return Path(os.environ[ENV_HOME]).expanduser().absolute()
    from readlog import config

    configured = config.value("data_dir")
    if configured:
        return Path(configured).expanduser()
    from readlog.userdirs import user_dir  # platformdirs' answer, mostly without importing it

    return Path(user_dir("data"))


# Given the books a not-sure BOOK may mean, the one the reader chose (None: none of them).
Chooser = Callable[[str, "Sequence[Candidate]"], "Candidate | None"]


@dataclass_when_used
class Scan:
    entries: list[Summary]
    problems: list[BookFileError]


class Journal:
    """The data dir at `root`: its files, the lock, every write, and the trash. Its index is handed to it
    (`cache`), or is the data dir's own (readlog.index.open_cache)."""

    def __init__(self, root: Path, cache: Cache | None = None):
        self.root = root
        self.books_dir = root / "books"
        self.drafts_dir = root / "drafts"
        self.trash_dir = root / "trash"
        self._cache = cache  # the index's life (readlog.index.life); None: the data dir's own, on first use
        self._lock_depth = 0
        # Asks which book a not-sure BOOK meant (the CLI sets it on a terminal, without --no-input): given
        # the candidates, the one chosen or None. None here: a not-sure BOOK is refused (scripts, inbox).
        self.chooser: Chooser | None = None
        self._chosen: dict[tuple[str, str | None], Found] = {}  # answers given in this process
        self._found: set[str] = set()  # slugs a query named in this process (find): sure from then on
        self._kept_now: list[Path] | None = None  # what `keep` put in trash/ for the write under way

    # --- the folder itself ------------------------------------------------------------------------
    def folder_problem(self) -> str | None:
        """Why this data folder cannot be the journal it is taken for, or None (also when it is not there
        yet: `add` makes it). `books` that is not a folder; or a folder that holds book files at its top and
        no `books/`: a books folder given as the data folder (its books would go unread, and new ones into
        books/books/); a bare git repository (the sync remote `sync init` made: its books would go where
        git never looks), with a books/ folder too (an older readlog wrote one there). Two stats when books/
        is a folder, as it is in every journal (and HEAD is not: a journal's is in .git/)."""
        books = self.books_dir
        if books.is_dir() and not os.path.isfile(os.path.join(self.root, "HEAD")):
            return None
        from readlog.userdirs import git_folder  # (a bare repository: HEAD, objects/, refs/)

        if git_folder(str(self.root)):
            left = len(top_book_files(books)) if books.is_dir() else 0
            files, them = ("1 book file", "it") if left == 1 else (f"{left} book files", "them")
            return (
                f"{self.root} is a bare git repository (a sync remote?), not a journal: give the data folder "
                "that holds books/, the one `readlog sync` is run in"
            ) + (
                f" ({self.root.name}/books/ holds {files} an older readlog wrote there, never synced: move "
                f"{them} to that folder's books/)"
                if left
                else ""
            )
        if books.is_dir():
            return None
        if books.exists() or books.is_symlink():
            return f"{books} is not a folder: a journal keeps its book files in a books/ folder there"
        loose = top_book_files(self.root)
        if loose:
            count = f"{len(loose)} book file{'s' if len(loose) != 1 else ''} ({loose[0].name}"
            count += ", ...)" if len(loose) > 1 else ")"
            return (
                f"{self.root} holds {count} and no books/ folder: it looks like a journal's books folder; "
                f"the data folder is the one that holds books/ (--data-dir {self.root.parent}?)"
            )
        return None

    # --- reading ---------------------------------------------------------------------------------
    def path_for(self, slug: str) -> Path:
        return Path(self.path_text(slug))

    def path_text(self, slug: str, folder: str | None = None) -> str:
        """`path_for`'s path as a string (an import's many new files: a Path made per book cost 10,000 rows
        about 0.04 s); `folder`: the books folder's path with its separator, when the caller keeps it."""
        if not is_slug(slug):  # never let text that is not a slug become a path
            raise ReadlogError(f"{one_line(slug)!r} is not a valid book slug")
        return f"{folder or os.fspath(self.books_dir) + os.sep}{slug}.toml"

    def slugs(self) -> list[str]:
        if not self.books_dir.is_dir():
            return []
        return sorted(
            name[:-5] for name in os.listdir(self.books_dir) if name.endswith(".toml") and name[0] != "."
        )

    def load(self, slug: str, allow_newer: bool = False) -> Entry:
        """One book. With `allow_newer`, a file from a newer readlog loads read-only instead of failing."""
        path = self.path_for(slug)
        if path.is_symlink():  # a second name for a book in the journal: read (and write) the book itself
            self.check_link(path)  # (one lstat for a book that is no link: check_link makes its own)
            target = path.resolve()
            if target.suffix == ".toml" and is_slug(target.stem) and target.stem != slug:
                return self.load(target.stem, allow_newer)
        try:
            raw = read_regular(path)
        except FileNotFoundError:
            raise BookNotFound(f"no book {slug!r} in {self.books_dir}") from None
        except OSError as error:
            raise ReadlogError(f"cannot read {path}: {error.strerror}") from None
        text = bookfile.decode(raw, str(path))
        try:
            return Entry(slug, bookfile.parse(text, str(path)), path, text=text)
        except NewerSchema:
            if not allow_newer:
                raise
            book = bookfile.parse(text, str(path), allow_newer=True)
            return Entry(slug, book, path, read_only=True, text=text)

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
        reported, never fatal. Summaries carry title, authors, status, rating, tags, dates, reads and picks,
        not the review, reflections or quotes: `load` a book for those."""
        index = self.fresh_index()
        return Scan(index.entries(), self.problems())

    # --- its index (readlog.index.life: opened, recovered, synced and rebuilt there) ----------------
    @property
    def cache(self) -> Cache:
        """The index's life in this process, as handed to the journal (else the data dir's own, made on
        first use: commands that never ask do not import the index)."""
        if self._cache is None:
            from readlog.index.life import Cache, open_cache

            load = BookLoader(self.root, self)
            # No journal here (`readlog stats` before the first `add`): an index in memory, so that nothing
            # is made for a journal that does not exist. (A write takes the lock first, which makes the
            # folder: an import's index is the file's.)
            self._cache = (
                open_cache(self.root, load) if self.root.is_dir() else Cache(self.books_dir, load, None)
            )
        return self._cache

    def index(self) -> Index:
        """The derived index as it is, not synced (Cache.index)."""
        return self.cache.index()

    def fresh_index(self) -> Index:
        """The index, brought up to date with the files once per command (Cache.fresh)."""
        return self.cache.fresh()

    def writer_index(self) -> Index:
        """The index for a write by BOOK: no sweep when the books folder is unchanged (Cache.writer)."""
        return self.cache.writer()

    def rebuild_index(self, progress: Callable[[int, int], None] | None = None) -> int:
        """`readlog reindex`: the index thrown away and built again from the files (Cache.rebuild). When the
        index file could not be written (a full disk, a read-only cache), the books were read into one in
        memory and nothing was kept: that is a ReadlogError, naming the file and why."""
        parsed = self.cache.rebuild(progress)
        if self.cache.not_kept is not None:
            why = one_line(self.cache.not_kept)
            raise ReadlogError(
                f"the index could not be kept ({why}): {parsed} book files were read, and the next command "
                "reads them again"
            )
        return parsed

    def problems(self) -> list[BookFileError]:
        """Files the last sync could not read."""
        return self.cache.problems()

    def _changed(self) -> None:
        if self._cache is not None:
            self._cache.changed()

    def _folder_now(self) -> str | None:
        """The books folder's stamp, when this process has the index open (see Cache.after_write)."""
        return None if self._cache is None else self._cache.folder_now()

    def _after_write(self, slug: str, path: Path, book: Book | None, folder_before: str | None) -> None:
        """Fold readlog's own write into the index, when it is open in this process."""
        if self._cache is not None:
            self._cache.after_write(slug, path, book, folder_before)

    def find(self, query: str, fuzzy: bool = False, author: str | None = None) -> Found:
        """Which book BOOK names (the query policy: identity.lookup). A slug first: the file of a book that
        exists now (a removed one's slug is an error naming `readlog restore`, never a title match); then
        the index, brought up to date file by file (so an in-place edit counts). Writes (the default) take a
        sure match; a not-sure one goes to `chooser` (a terminal asks) or is refused naming each candidate.
        `fuzzy` (read-only commands) also takes the one book a not-sure match found. `author` (--author)
        must be one of the book's authors. The slug a query named is sure for the rest of the process: a
        command that found its book (`hyperion by Hölderlin`) and hands its slug on (`hyperion`, also the
        whole title of another book) is never asked again, nor refused."""
        found = self._find(query, fuzzy, author)
        self._found.add(found.slug)
        return found

    def _find(self, query: str, fuzzy: bool, author: str | None) -> Found:
        from readlog import identity

        slug = self._file_named(query.strip())
        named_file = slug.endswith(".toml") and is_slug(slug[:-5])  # `dune.toml`: the book in that file
        if named_file:
            slug = slug[:-5]
        if is_slug(slug):
            path = self.path_for(slug)
            if path.exists() and not path.is_dir():
                found = Found(slug, identity.Match.SLUG, identity.Candidate(slug, slug))
                if slug in self._found or named_file:  # (named already in this process: see find)
                    return self._check_author(found, author) if named_file else found
                # One word (`twilight`) may be a slug or a title; `the-stranger` is plainly a slug.
                others = [] if "-" in slug else self._titled_like(slug, query)
                if not others:
                    return self._check_author(found, author)
                if fuzzy:  # a read shows the file the slug names, and says on stderr what else it names
                    return Found(slug, found.how, others[0], others=tuple(others[1:]))
                several = identity.Lookup(query, maybe=tuple(others), how=identity.Match.SEVERAL)
                try:
                    return self._choose(query, author, several)
                except AmbiguousBook as refused:  # the way to the book whose file this slug names
                    message = identity.slug_or_title(query.strip(), others[0], others[1:])
                    raise AmbiguousBook(message, refused.candidates) from None
            removed = self.removed(slug)
            if removed is not None:
                raise BookNotFound(
                    f"{removed} was removed (its file is in the journal's trash/): `readlog restore {slug}` "
                    "brings it back"
                )
        asked = self._chosen.get((query, author))
        if asked is not None and self.path_for(asked.slug).exists():
            return asked
        index = self.fresh_index()
        looked = identity.lookup(query, index.with_key, index.containing, index.candidates, author=author)
        if not (fuzzy and looked.sure is not None):
            # Never past a file that does not parse: the book meant may be in it (a write by title, even a
            # sure one; a read that found no sure book).
            broken = self.unreadable_for(query)
            if broken:
                sure = looked.sure.slug if looked.sure else None
                raise unreadable_here(
                    query, broken, sure, doing="it cannot be shown" if fuzzy else "nothing was written"
                )
        if looked.sure is not None:
            return looked.sure
        if not looked.maybe:
            self._refuse_in_no_journal(query)
        try:
            return looked.shown() if fuzzy else self._choose(query, author, looked)
        except BookNotFound:
            picked = None if looked.maybe else _as_pick(query, index, self.find_same)
            if picked is None:
                raise
            raise BookNotFound(picked) from None

    def _file_named(self, text: str) -> str:
        """BOOK as the path of a book file (`books/dune.toml`, `/home/me/.../books/dune.toml`: the paths
        readlog prints) -> the file's name (`dune.toml`), which names its book. Taken as typed (from this
        folder, as a shell does), else from the journal's folder (as sync and git name files). A path that
        is a file outside this journal's books folder is refused: it is no book of this journal. Anything
        else is returned as it is."""
        if not text.endswith(".toml") or "/" not in text.replace(os.sep, "/"):
            return text
        given = Path(text).expanduser()
        places = [given] if given.is_absolute() else [self.root / given]
        if not given.is_absolute():
            with contextlib.suppress(OSError):  # (the working folder removed: the journal's folder alone)
                places.insert(0, Path.cwd() / given)
        books = self.books_dir.resolve()
        for place in places:
            if place.is_file():
                if place.resolve().parent != books:
                    raise BookNotFound(
                        f"{text!r} is the file {place.resolve()}, which is not a book file of this journal "
                        f"(its books are in {self.books_dir})"
                    )
                return place.resolve().name
        in_books = [p for p in places if p.parent.resolve() == books]
        return in_books[0].name if in_books else text

    def _refuse_in_no_journal(self, query: str) -> None:
        """No book found, in a journal that has none at all: say that, not "no book is X" (a mistyped
        --data-dir or $READLOG_HOME, a journal not started yet)."""
        if not self.books_dir.is_dir():
            raise BookNotFound(
                f"no book {query!r}: there is no journal at {self.root} (is the data "
                "folder right? `readlog add` starts a journal)"
            )
        if not any(self.books_dir.glob("*.toml")):
            raise BookNotFound(f"no book {query!r}: the journal at {self.root} has no books yet")

    def unreadable_for(self, title: str) -> list[BookFileError]:
        """The book files that do not parse (as the index's last look found them) and may hold the book
        `title` names: the file whose slug is the title's, or starts with it (`dune-herbert`, `dune-2`: the
        names `free_slug` gives a second book of the title). `TITLE by AUTHOR`: the title's too."""
        problems = self.problems()
        if not problems:
            return []
        wanted = slugs_named(title)
        return [
            problem
            for problem in problems
            if any(
                (stem := Path(problem.path).stem) == slug or stem.startswith(f"{slug}-") for slug in wanted
            )
        ]

    def _choose(self, query: str, author: str | None, looked: Lookup) -> Found:
        """A write's BOOK that is not sure: the reader chooses on a terminal; anywhere else, the refusal
        that names every candidate."""
        if looked.maybe and self.chooser is not None and looked.how is not None:
            chosen = self.chooser(query, looked.maybe)
            if chosen is None:
                raise Cancelled("nothing was written")
            found = Found(chosen.slug, looked.how, chosen)
            self._chosen[(query, author)] = found
            return found
        raise looked.refusal()

    def _titled_like(self, slug: str, query: str) -> list[Candidate]:
        """When a slug typed is also the whole title of another book (`twilight`: Meyer's file, and Wiesel's
        *Twilight* is `twilight-wiesel`), every book it names, this one first; else none. Answered from what
        is on disk: the index as the writers see it (`writer_index`: swept when a file was added, removed or
        renamed since it last looked, or when there is none yet), and when that names another book, as
        reads see it (`fresh_index`: every file's stamp, so an in-place edit counts), since the answer then
        resolves a title. A slug that is nobody else's title pays no sweep of an unchanged folder (a file
        edited in place to take that title is not seen: a write by slug may skip the sweep)."""
        from readlog import identity

        try:
            named = identity.whole_title_books(query, self.writer_index().with_key)
            if set(named) <= {slug}:
                return []
            if self.cache.quick:  # the folder unchanged, the files not looked at: look before naming others
                self._changed()
                named = identity.whole_title_books(query, self.fresh_index().with_key)
                if set(named) <= {slug}:
                    return []
        except Exception as error:  # the cache cannot answer: the slug stands
            if type(error).__module__ != "sqlite3":
                raise
            return []
        try:
            book = self.load(slug, allow_newer=True).book
            mine = identity.Candidate.of(slug, book)
        except ReadlogError:
            mine = identity.Candidate(slug, slug)
        return [mine, *(c for s, c in sorted(named.items()) if s != slug)]

    @contextlib.contextmanager
    def without_questions(self) -> Iterator[None]:
        """No BOOK is asked about inside (the inbox: a not-sure BOOK is refused even on a terminal)."""
        chooser, self.chooser = self.chooser, None
        try:
            yield
        finally:
            self.chooser = chooser

    def _check_author(self, found: Found, author: str | None) -> Found:
        """A slug with --author: the book must be by that author."""
        if author is None:
            return found
        from readlog import identity

        book = self.load(found.slug, allow_newer=True).book
        if not identity.names_author(author, book.authors):
            named = identity.Candidate.of(found.slug, book)
            raise BookNotFound(f"{named.describe()} is not a book by {one_line(author)!r}")
        return found

    def removed(self, slug: str) -> str | None:
        """When a book by this slug was removed (`rm`) and is in trash/: `SLUG (Title by Author)`."""
        from readlog.identity import Candidate

        if not self.trash_dir.is_dir():
            return None
        stamp = re.compile(re.escape(slug) + r"\.\d{8}T\d{6}(?:-\d+)?\.toml")
        for path in self.trashed_books():
            if stamp.fullmatch(path.name):
                try:
                    book = bookfile.parse(bookfile.decode(path.read_bytes(), str(path)), str(path))
                except (OSError, ReadlogError):
                    return slug
                return Candidate.of(slug, book).describe()
        return None

    def resolve(self, query: str, allow_newer: bool = False, fuzzy: bool = False) -> Entry:
        """The book BOOK names, loaded. See `find`."""
        return self.load(self.find(query, fuzzy).slug, allow_newer)

    # --- writing ---------------------------------------------------------------------------------
    @contextlib.contextmanager
    def locked(self, held: int | None = None) -> Iterator[None]:
        """One writer at a time: every read-modify-write happens inside this lock. Re-entrant within a
        process, so a bulk writer (import) and the single-book writes share one path. `held`: a descriptor
        of this journal's lock file on which this process holds the lock already (readlog.sync.quick takes
        it before the journal is imported), taken over: closed, so released, when the block ends."""
        if self._lock_depth:
            if held is not None:  # (cannot be: this journal's own descriptor holds the lock)
                os.close(held)
            self._lock_depth += 1
            try:
                yield
            finally:
                self._lock_depth -= 1
            return
        try:
            self._ensure_dirs()
        except BaseException:
            if held is not None:
                os.close(held)
            raise
        with hold_lock(self.root / ".lock", "the journal") if held is None else os.fdopen(held, "rb"):
            self._changed()  # another process may have written while we waited: sync again under the lock
            self._lock_depth = 1
            try:
                yield
            finally:
                self._lock_depth = 0

    def create(self, book: Book, new: bool = False) -> Entry:
        """Write a new book under a fresh slug. Refuses a book that is surely already in the journal, and
        one that may be (identity.same_work), unless `new` says it is another book."""
        with self.locked():
            self.check_new(book, new)
            slug = self.free_slug(book)
            text = bookfile.dumps(book)
            path = self.path_for(slug)
            folder = self._folder_now()
            atomic_write(path, text)
            self._after_write(slug, path, book, folder)
            return Entry(slug, book, path, text=text)

    def check_new(self, book: Book, new: bool = False) -> None:
        """What `create` refuses, raised, without writing (a dry run asks it too): a book that is surely in
        the journal already (BookExists), one whose title a file that does not parse may hold, one that may
        be in it (MaybeSameBook); `new` says it is another book."""
        sure, maybe = self.new_book_is(book) if not new else ([], [])
        if sure:  # (several: the one the title as typed names, `It` or `IT`; else each is named)
            sure = named_as_typed(book.title, sure, lambda e: e.book.title)
            sure = alike_in_authors(book.authors, sure, lambda e: e.book.authors)
            if len(sure) > 1:
                raise BookExists(several_here(book.title, sure))
            raise BookExists(already_here(book.title, sure[0]), sure[0].slug)
        if not new:  # (else the index as the same-work check sees it: no sweep of an unchanged folder)
            self.writer_index()
        broken = self.unreadable_for(book.title)  # even with --new: what the file holds is not known
        if broken:
            raise unreadable_here(book.title, broken, doing="nothing was added")
        if maybe:
            raise MaybeSameBook(maybe_here(book.title, maybe), tuple(e.slug for e in maybe))

    def new_book_is(self, book: Book) -> tuple[list[Summary], list[Summary]]:
        """The journal's books a book about to be added surely is, and those it may be: what `create` refuses
        it for (`check_new`), and a read-next pick is asked about (`next add --from`)."""
        # (an authored book and an authorless one of its title: a maybe, whichever came first)
        sure, maybe = self.same_works(Work.of(book), same_either_way)
        if not sure:  # (a title typed a letter off a book of its author's: identity.title_typo)
            maybe += [e for e in self.typed_near(Work.of(book)) if e not in maybe]
        return sure, maybe

    def modify(self, slug: str, change: Callable[[Book], None]) -> Entry:
        """Read a book, apply `change`, write only what changed. Nothing is written if `change` raises. The
        lock keeps other readlogs out, not an editor or a script: a hand edit saved between the read and the
        write would be lost, so the file is looked at once more just before the new text replaces it, and
        if it changed meanwhile the change is made again on what is there now (a few times, then refused)."""
        with self.locked(), self._keeping():
            for _ in range(MODIFY_TRIES):
                entry = self.load(slug)
                if entry.read_only:  # pragma: no cover - load() without allow_newer never returns one
                    raise NewerSchema(str(entry.path), "written by a newer readlog; not changing it")
                before = bookfile.snapshot(entry.book)
                change(entry.book)
                text = bookfile.update(entry.text, entry.book, before)
                if text == entry.text:
                    return Entry(slug, entry.book, entry.path, text=text)
                folder = self._folder_now()
                try:
                    written = bom_of(entry.path) + text  # (a BOM the reader's editor put there stays)
                    atomic_write(entry.path, written, last_look=functools.partial(_unchanged, entry))
                except _ChangedMeanwhile:
                    continue
                self._after_write(slug, entry.path, entry.book, folder)
                return Entry(slug, entry.book, entry.path, text=text)
            raise ConflictError(
                f"{entry.path} kept changing on disk while readlog was writing it (an editor or a script "
                "saving it): nothing was written; try again"
            )

    @contextlib.contextmanager
    def _keeping(self) -> Iterator[None]:
        """A write that may `keep` what it replaces (review --replace keeps the old review in trash/): what
        it kept is removed again if the write does not land (a read-only books folder, a full disk), so
        trash/ never holds a copy of a text that was never replaced."""
        outer, self._kept_now = self._kept_now, []
        try:
            yield
        except BaseException:
            for path in self._kept_now:
                _unclaim(path)
            raise
        finally:
            if outer is not None:
                outer.extend(self._kept_now)
            self._kept_now = outer

    def replace_text(self, entry: Entry, new_text: str) -> None:
        """Replace a whole file, unless it changed since `entry` was read (that change would be lost)."""
        with self.locked():
            try:
                _unchanged(entry)
            except _ChangedMeanwhile:
                raise ConflictError(
                    f"{entry.path} changed on disk while you were editing; your version was not saved over it"
                ) from None
            atomic_write(entry.path, new_text)
            self._changed()

    def remove(self, slug: str) -> Path:
        """Move a book file to trash/ (a mistaken `rm` can be undone by moving it back)."""
        with self.locked():
            entry = self.load(slug)
            target = self.trash_path(slug, ".toml")
            folder = self._folder_now()
            try:
                move(entry.path, target, replace=True)  # over the empty file that claimed the name
            except BaseException:  # (a read-only books folder): no empty file left in trash/ for `restore`
                _unclaim(target)
                raise
            self._after_write(slug, entry.path, None, folder)
            return target

    def keep(self, name: str, suffix: str, text: str) -> Path:
        """Keep `text` (an old review, say) in trash/ under a name that never overwrites another; once per
        content: text already kept under `name` (a write interrupted after keeping it, then tried again)
        is not copied again, and that copy's path is returned."""
        with self.locked():
            same = self._kept_already(name, suffix, text.encode("utf-8", "surrogatepass"))
            if same is not None:
                return same
            target = self.trash_path(name, suffix)
            try:
                atomic_write(target, text)
            except BaseException:  # (a full disk): not the empty file that claimed the name
                _unclaim(target)
                raise
            if self._kept_now is not None:
                self._kept_now.append(target)
            return target

    def _kept_already(self, name: str, suffix: str, data: bytes) -> Path | None:
        try:
            entries = list(os.scandir(self.trash_dir))
        except OSError:
            return None
        for entry in entries:
            if (
                entry.name.startswith(f"{name}.")
                and entry.name.endswith(suffix)
                and entry.is_file(follow_symlinks=False)
                and entry.stat(follow_symlinks=False).st_size == len(data)
            ):
                with contextlib.suppress(OSError), open(entry.path, "rb") as handle:
                    if handle.read() == data:
                        return Path(entry.path)
        return None

    # --- goals.toml -------------------------------------------------------------------------------
    def goals(self) -> Goals:
        """The reader's yearly goals (none while goals.toml does not exist). A file the reader broke is
        one clear error naming it."""
        from readlog.goals import GOALS_FILE, Goals, parse_goals

        text = self.goals_text()
        return Goals() if text is None else parse_goals(text, str(self.root / GOALS_FILE))

    def set_goal(self, year: int, books: int) -> None:
        """Write `[goals] YEAR = BOOKS`, keeping the rest of goals.toml (comments too) as it is."""
        from readlog.goals import GOALS_FILE, parse_goals, with_goal

        path = self.root / GOALS_FILE
        with self.locked():
            text = self.goals_text()
            if text is not None:
                parse_goals(text, str(path))  # refuses a broken file before tomlkit sees it
            atomic_write(path, with_goal(text, year, books))

    def clear_goal(self, year: int) -> bool:
        """Remove YEAR's goal, keeping the rest of goals.toml; False when there was none."""
        from readlog.goals import GOALS_FILE, parse_goals, without_goal

        path = self.root / GOALS_FILE
        with self.locked():
            text = self.goals_text()
            if text is None or year not in parse_goals(text, str(path)):  # a broken file: one clear error
                return False
            changed = without_goal(text, year)
            assert changed is not None  # parse_goals found the year, so tomlkit does too
            atomic_write(path, changed)
            return True

    def restore_goals(self, text: str) -> str | None:
        """A whole-journal JSON backup's goals.toml, as it was (review 33a #17): written when this journal has
        none; kept out, and said why (the returned line), when it has goals of its own, or the backup's do
        not parse. None when there is nothing to say (written, or the same text already here)."""
        from readlog.errors import InvalidValue
        from readlog.goals import GOALS_FILE, parse_goals

        path = self.root / GOALS_FILE
        with self.locked():
            here = self.goals_text()
            if here == text:
                return None
            if here is not None:
                return f"{path}: kept as it is; the backup's goals.toml was not restored over it"
            try:
                parse_goals(text, f"the backup's {GOALS_FILE}")
            except InvalidValue as error:
                return f"{error}: not restored"
            atomic_write(path, text)
            return None

    def goals_text(self) -> str | None:
        from readlog.errors import InvalidValue
        from readlog.goals import GOALS_FILE

        path = self.root / GOALS_FILE
        try:
            raw = read_regular(path)
        except FileNotFoundError:
            return None
        except OSError as error:
            raise InvalidValue(f"{path}: cannot read it ({error.strerror})") from None
        return bookfile.decode(raw, str(path))

    def ensure_private_dir(self, folder: Path) -> None:
        """A folder of the journal (drafts/, trash/), made private; never one that leads out of the data
        dir through a link (what readlog writes there would land elsewhere)."""
        self._ensure_dirs()
        if folder.is_symlink():
            raise ReadlogError(
                f"{folder} is a link; readlog writes only inside the data directory {self.root}"
            )
        from readlog.private import private_dir

        private_dir(folder)

    def trash_path(self, name: str, suffix: str) -> Path:
        """A new, unused name in trash/: `<name>.<time><suffix>`, with a number when that is taken."""
        self.ensure_private_dir(self.trash_dir)
        stamp = datetime.now().strftime("%Y%m%dT%H%M%S")
        for number in itertools.count(1):
            target = self.trash_dir / f"{name}.{stamp}{'' if number == 1 else f'-{number}'}{suffix}"
            try:  # claim the name: two removals in one second must not overwrite each other
                os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
                return target
            except FileExistsError:
                continue
        raise AssertionError("unreachable")  # pragma: no cover

    @contextlib.contextmanager
    def bulk(self) -> Iterator[BulkBatch]:
        """Many new books at once (import), under the lock: written in durable batches, recorded in the
        index from the books in hand. On an error, the batch not yet in place is discarded."""
        with self.locked():
            batch = BulkBatch(self)
            try:
                yield batch
                batch.writer.flush()
            except OSError as error:  # (a full disk): how far it got, and that the same again finishes it
                batch.writer.discard()  # (the batch in the sync thread's hands lands first, and is counted)
                error.add_note(written_so_far(batch.landed))
                raise
            finally:
                batch.writer.discard()
                if batch.landed:
                    self.cache.after_bulk(batch.landed)

    @contextlib.contextmanager
    def bulk_unless_dry(self, dry_run: bool) -> Iterator[BulkBatch]:
        """`bulk()`; or for a dry run, which writes nothing, a batch never written, taken without the lock
        (so no lock file, no data folder), and in a journal with no books folder yet an index in memory
        rather than a new one in the cache."""
        if not dry_run:
            with self.bulk() as batch:
                yield batch
            return
        if self._cache is None and not self.books_dir.is_dir():
            from readlog.index.life import Cache

            self._cache = Cache(self.books_dir, BookLoader(self.root, self), None)
        yield BulkBatch(self)

    def find_same(self, title: str, authors: list[str]) -> Summary | None:
        """The one book already in the journal that is surely this work (identity.same_work), if any.
        (Without a sweep of every file when the folder is unchanged: a title edited in place since may be
        missed.)"""
        sure, _ = self.same_works(Work.named(title, authors))
        return sure[0] if len(sure) == 1 else None

    def typed_near(self, work: Work) -> list[Summary]:
        """The journal's books whose title `work`'s (typed by hand) may be a typo of, by one of their
        authors (identity.title_typo), found through the title index (identity.typo_prefixes)."""
        from readlog.identity import title_typo, typo_prefixes

        prefixes = typo_prefixes(work.title) if work.authors else []
        if not prefixes:
            return []
        index = self.writer_index()
        near = [
            c.slug
            for c in index.candidates_starting(prefixes)
            if title_typo(work, Work.named(c.title, c.authors))
        ]
        return [e for slug in near for e in index.entries("WHERE slug = ?", (slug,))]

    def same_works(
        self, work: Work, policy: Callable[[Work, Work], Same] = same_work
    ) -> tuple[list[Summary], list[Summary]]:
        """The journal's books that are surely `work`, and those that maybe are (identity.same_work, or
        the `policy` given: identity.same_either_way for a book about to be added)."""
        index = self.writer_index()
        pool: dict[str, Summary] = {}
        for key in sorted(work.keys):
            slug = index.slug_for_key(key)
            if slug:
                pool.update((e.slug, e) for e in index.entries("WHERE slug = ?", (slug,)))
        for entry in index.titles_like(work.title):
            pool.setdefault(entry.slug, entry)
        for key in letterless_keys(work.title):  # (`.`, `😀`: no words to find them by)
            for candidate in index.with_key(key):
                pool.update((e.slug, e) for e in index.entries("WHERE slug = ?", (candidate.slug,)))
        subtitled, prefixes = subtitle_lookups(work.title)  # (one side's subtitle the other's title)
        for key in subtitled:
            pool.update((e.slug, e) for e in index.entries(_WITH_KEY, (key,)))
        for entry in index.titles_starting(prefixes) if prefixes else ():
            pool.setdefault(entry.slug, entry)
        sure: list[Summary] = []
        maybe: list[Summary] = []
        for slug in sorted(pool):
            entry = pool[slug]
            keys = frozenset(index.keys_of(slug)) if work.keys else frozenset()
            book = entry.book
            answer = policy(work, Work(book.title, tuple(book.authors), keys, series_pairs(book.series)))
            if answer is Same.SURE:
                sure.append(entry)
            elif answer is Same.MAYBE:
                maybe.append(entry)
        return sure, maybe

    def free_slug(
        self,
        book: Named,
        taken: frozenset[str] | set[str] = frozenset(),
        listed: set[str] | None = None,
        first: str | None = None,
    ) -> str:
        """The title's slug (title_slug); if taken, a readable variant: author surname, then year, then a
        number.
        `taken` holds slugs already promised to files not yet on disk (a bulk import's pending batch);
        `listed`, the books folder's names as `BulkBatch.claim` listed them (asked instead of the disk).
        `first`: the title's slug (title_slug), when the caller has it already, a valid slug (is_slug): a big
        import's parsing worker made it."""

        def wanted() -> Iterator[str]:  # each made only if the one before is taken (most books: the first)
            slug = title_slug(book.title) if first is None else first
            yield slug
            if book.authors:
                slug = f"{slug}-{slugify(name_for_slug(book.authors[0]))}"
                yield slug
                if book.year is not None:
                    slug = f"{slug}-{str(book.year).replace('-', 'bce')}"
                    yield slug
            yield from (f"{slug}-{n}" for n in range(2, 10_000))

        folder = os.fspath(self.books_dir) if listed is None else ""
        for slug in wanted():
            if slug in taken:
                continue
            if listed is None:
                if not _exists(folder, slug):
                    return slug
            elif slug != first and not is_slug(slug):  # (as _exists refuses it)
                raise ReadlogError(f"{one_line(slug)!r} is not a valid book slug")
            elif slug not in listed:
                return slug
        raise ReadlogError(f"no free file name for {book.title!r} in {self.books_dir}")

    def rename_to_slug(self, path: Path, book: Book) -> Path:
        """A book file in books/ whose name is not a slug (`check --fix`), renamed to a free slug of its
        title, never over another file. Returns the new path."""
        with self.locked():
            target = self.path_for(self.free_slug(book))
            move(path, target)
            self._changed()
            return target

    def trash_copy(self, path: Path, book: Book) -> Path:
        """A copy of a book under a name readlog cannot see (Finder's `Dune.toml` of dune.toml: `check
        --fix`), moved to trash/ as a book `rm` removed (`readlog restore` finds it). Returns where."""
        with self.locked():
            target = self.trash_path(title_slug(book.title), ".toml")
            try:
                move(path, target, replace=True)  # over the empty file that claimed the name
            except BaseException:
                _unclaim(target)
                raise
            self._changed()
            return target

    # --- the trash: undo for `rm` ------------------------------------------------------------------
    def trashed_books(self) -> list[Path]:
        """Book files in trash/ (what `rm` moved there), newest first."""
        folder = self.trash_dir
        if not folder.is_dir() or folder.is_symlink():
            return []
        found = [p for p in folder.glob("*.toml") if p.is_file() and not p.is_symlink()]
        # (two removals in one second: the file's ctime, which the move into trash/ set, tells them apart)
        return sorted(found, key=lambda p: (removed_at(p), p.stat().st_ctime_ns, p.name), reverse=True)

    def restore(self, trashed: Path) -> Entry:
        """Bring a removed book back from trash/ under its old slug (or a free one), unless the same book
        is in the journal again."""
        with self.locked():
            try:
                text = bookfile.decode(trashed.read_bytes(), str(trashed))
            except FileNotFoundError:
                raise ReadlogError(f"{trashed} is no longer in the trash") from None
            book = bookfile.parse(text, str(trashed))
            work = Work.of(book)  # its ISBNs and source ids too: a merge kept them in a book of another title
            sure, _ = self.same_works(work)
            if sure:
                shared = sorted(work.keys & set(self.writer_index().keys_of(sure[0].slug)))
                raise BookExists(in_again(book.title, sure[0], shared, trashed), sure[0].slug)
            slug = trashed.name.split(".", 1)[0]
            if not is_slug(slug) or self.path_for(slug).exists():
                slug = self.free_slug(book)
            path = self.path_for(slug)
            move(trashed, path)  # never over a file: fails if the name was taken meanwhile
            self._changed()
            return Entry(slug, book, path, text=text)

    def _ensure_dirs(self) -> None:
        for folder in (self.root, self.books_dir):
            if not folder.is_dir():
                from readlog.private import private_dir

                try:
                    private_dir(folder)
                except OSError as error:
                    raise ReadlogError(
                        f"cannot create the data directory {folder}: {error.strerror}"
                    ) from None


# The data folder's own TOML files (beside books/): not books.
OWN_TOML = frozenset({"goals.toml", "imports.toml", "config.toml"})


def top_book_files(root: Path) -> list[Path]:
    """The `*.toml` files at the top of the data folder that are not its own (goals.toml, imports.toml):
    book files, most likely, that readlog never reads there (only books/ holds books)."""
    try:
        names = sorted(os.listdir(root))
    except OSError:
        return []
    return [root / n for n in names if n.endswith(".toml") and n[0] != "." and n not in OWN_TOML]


def _unclaim(path: Path) -> None:
    """A file readlog just made in trash/ taken away again, its write having failed (a last error of its own,
    a read-only folder say, is not the one to tell)."""
    with contextlib.suppress(OSError):
        path.unlink()


MODIFY_TRIES = 5  # a write made again on a file that changed meanwhile, at most this many times (modify)


class _ChangedMeanwhile(Exception):  # noqa: N818 - not an error: the write is made again
    """The book file changed between Journal.modify's read and its write."""


def _unchanged(entry: Entry) -> None:
    """Raise _ChangedMeanwhile unless the file holds what `entry` was read from (as `replace_text` checks)."""
    try:
        current = entry.path.read_bytes().decode("utf-8", "replace").removeprefix("\ufeff")
    except FileNotFoundError:
        current = None
    if current != entry.text:
        raise _ChangedMeanwhile(str(entry.path))


def _exists(folder: str, slug: str) -> bool:
    """`path_for(slug).exists()` (the same refusal of a non-slug, the same errors ignored), on the folder's
    name as a string: an import asks once per book, and pathlib's objects cost more than the stat."""
    if not is_slug(slug):  # never let text that is not a slug become a path
        raise ReadlogError(f"{one_line(slug)!r} is not a valid book slug")
    try:
        os.stat(f"{folder}{os.sep}{slug}.toml")
    except OSError as error:
        if error.errno in (errno.ENOENT, errno.ENOTDIR, errno.EBADF, errno.ELOOP):
            return False
        raise
    except ValueError:
        return False
    return True


# A bulk write's claims ask whether a slug's file exists with one stat each until this many; then the books
# folder is listed once and its names asked (10,000 stats cost an import about 0.07 s; a listing of a
# 10,000-book folder about 5 ms). Under the journal's lock only the batch itself adds files meanwhile, and
# every slug it claims is in `taken`.
LIST_FROM_CLAIMS = 100


# trash_path's `<name>.<time>[-N]<suffix>`
_TRASH_NAME = pattern_when_used(r"\.(\d{8}T\d{6})(?:-\d+)?\.[^.]+$")


def removed_at(trashed: Path) -> datetime:
    """When a file in trash/ was put there: the time in its name (trash_path), not its last edit, which
    `rm` keeps (a book edited an hour before it was removed is not listed as removed then); the file's
    time for a name without one (put there by hand)."""
    found = _TRASH_NAME.search(trashed.name)
    if found:
        try:
            return datetime.strptime(found[1], "%Y%m%dT%H%M%S")
        except ValueError:
            pass
    return datetime.fromtimestamp(trashed.stat().st_mtime)


def _listed(folder: Path) -> set[str]:
    """The slugs the files in `folder` take, lower-cased (a disk that ignores case would say `dune` is
    taken by `Dune.toml`: so does this, on any disk)."""
    try:
        names = os.listdir(folder)
    except FileNotFoundError:
        return set()
    return {name[:-5].lower() for name in names if name.endswith(".toml")}


class BulkBatch:
    """New books of one bulk write: each gets a free slug (or the one it asks for, when free)."""

    def __init__(self, journal: Journal):
        self.journal = journal
        self.writer = BulkWriter(landed=self._landed, overlap=True)
        self.taken: set[str] = set()  # slugs promised to files not yet renamed into place
        # Written, not yet renamed into place, in the order they were put (batches land in that order: a
        # landed batch is the first of them, with no Path hashed per book to find it).
        self.waiting: deque[tuple[str, Path | str, Book | Rows | bytes]] = deque()
        self.folder = os.fspath(journal.books_dir) + os.sep  # (`put`: Journal.path_text)
        self.landed = 0
        self.indexing = True  # until the cache fails (read-only, full): then the next sync catches up
        self.claims = 0
        self.listed: set[str] | None = None  # the books folder's names, once claims are many (see claim)

    def _landed(self, paths: list[Path | str]) -> None:
        """A durable batch is in place: index its books from the objects in hand, and let them go (an
        import of 100,000 books held every one of them until the end: 890 MB)."""
        written = self.landing(paths)
        for _ in written:
            self.waiting.popleft()
        self.landed += len(written)
        if self.indexing:
            try:
                self.journal.index().record(written, checkpoint=False)
            except Exception:  # noqa: BLE001 - the index is a cache: never a reason to stop an import
                self.indexing = False

    def add(self, book: Book, wanted_slug: str | None = None) -> str:
        slug = self.claim(book, wanted_slug)
        self.put(slug, book, bookfile.dumps(book))
        return slug

    def claim(self, book: Named, wanted_slug: str | None = None, first: str | None = None) -> str:
        """The slug `book` will be written under (promised: no later claim takes it); `put` writes it. (Only
        its title, authors and year are read: an import names a book it holds still pickled; `first`, its
        title's slug, when made already: free_slug.)"""
        journal = self.journal
        if (
            wanted_slug
            and is_slug(wanted_slug)
            and wanted_slug not in self.taken
            and not journal.path_for(wanted_slug).exists()
        ):
            slug = wanted_slug
        else:
            if self.listed is None and self.claims >= LIST_FROM_CLAIMS:
                self.listed = _listed(journal.books_dir)
            slug = journal.free_slug(book, self.taken, self.listed, first)
        self.claims += 1
        self.taken.add(slug)
        return slug

    def put(self, slug: str, book: Book | Rows | bytes, text: str | bytes | Written) -> None:
        """Write the claimed `slug`: `text` is the book's file (bookfile.dumps; or encoded as UTF-8 already;
        or in a temp file beside it already, Written), `book` the book or its index rows already made (an
        import makes both in worker processes; packed there: bytes). The file's path is `path_for`'s, as a
        string (`Journal.path_text`)."""
        path = self.journal.path_text(slug, self.folder)
        self.waiting.append((slug, path, book))
        self.writer.add(path, text)

    def landing(self, paths: list[Path | str]) -> list[tuple[str, Path | str, Book | Rows | bytes]]:
        """The books of the batch landing at `paths` (the first of those waiting), as `put` was given them."""
        written = list(itertools.islice(self.waiting, len(paths)))
        if any(entry[1] is not path and entry[1] != path for entry, path in zip(written, paths, strict=True)):
            raise AssertionError("a batch landed out of the order its books were put in")  # pragma: no cover
        return written


def written_so_far(landed: int) -> str:
    """What a bulk write that failed midway (a full disk) had done: told after its error, as the note of an
    import stopped by a signal tells it."""
    if not landed:
        return "no new book was written; the same import again starts it over"
    books = f"{landed:,} new book{'s were' if landed != 1 else ' was'} written"
    return f"{books} before it (each whole); the same import again adds the rest"


def unreadable_here(
    title: str,
    broken: Sequence[BookFileError],
    found: str | None = None,
    *,
    doing: str = "nothing was written",
) -> ReadlogError:
    """Why a write by title, an add (`found`: the book the title surely names otherwise) or a read that
    found no sure book does not go on: the book may be in a file that does not parse (`file:line: why`)."""
    named = "; ".join(one_line(str(error)) for error in broken[:3])
    if len(broken) > 3:
        named += f"; and {len(broken) - 3} more"
    fix = f"fix {'that file' if len(broken) == 1 else 'those files'} (`readlog check` lists them all)"
    if doing == "nothing was added":
        then = f"{fix}, then add it again"
    else:
        slug = f" ({found}, or the file's name)" if found else ""
        then = f"{fix}, or give the slug of the book you mean{slug}"
    return ReadlogError(
        f"{one_line(title)!r} may be the book in a file that does not parse: {named}; {doing}: {then}"
    )


# What `add` says of a book that may be in the journal already: how to add it as a book of its own anyway.
ADD_NEW = "`readlog add --new` adds it as a separate book"


def maybe_here(title: str, maybe: list[Summary]) -> str:
    """Why `add` will not guess: the books the new one may be."""
    from readlog.identity import Candidate, describe

    named = describe([Candidate.of(e.slug, e.book) for e in maybe])
    return f"{one_line(title)!r} may be the same book as {named}: nothing was added; {ADD_NEW}"


def in_again(title: str, existing: Summary, shared: list[str], trashed: Path) -> str:
    """Why `restore` refuses a book: the same book (identity.same_work) is in the journal again, named
    with what says so (a shared ISBN or source id: what `merge` keeps of the book it moved to the trash)."""
    why = [
        f"ISBN {value}" if name == "isbn" else f"{name} id {value}"
        for name, _, value in (key.partition(":") for key in id_keys(shared))
    ]
    said = f"; both have {', '.join(why[:2])}" if why else ""
    again = ""
    if trashed.name.split(".", 1)[0] == existing.slug:  # (under its old name: an import added it again, say)
        again = (
            f"; to have this one back in its place, `readlog rm {existing.slug}` (it waits in the trash), "
            f"then `readlog restore {trashed.name}`"
        )
    return (
        f"{one_line(title)!r} is already in the journal, as {existing.slug!r} "
        f"(“{one_line(existing.book.title)}”{said}): nothing restored, {trashed.name} stays in the trash"
        + again
    )


def several_here(title: str, books: list[Summary]) -> str:
    """Why `add` refuses a title that is surely each of several books (*Les Misérables* and *Les
    Miserables*, kept apart with `--new`, and `Les Miserables` typed): each named, and the way to each."""
    from readlog.identity import Candidate, describe

    named = describe([Candidate.of(e.slug, e.book) for e in books])
    return (
        f"{one_line(title)!r} is already in the journal, as several books: {named}; give the slug of the "
        "one you mean to the verb you want (`readlog start SLUG`, `readlog finish SLUG --reread`)"
    )


def already_here(title: str, existing: Summary) -> str:
    """Why `add` refuses a book that is in the journal, and which verb the reader wants instead."""
    slug, status = existing.slug, existing.book.status
    where = f"{one_line(title)!r} is already in the journal as {slug!r}"
    if status == "want":
        return f"{where} (want to read): `readlog start {slug}` to begin, `readlog finish {slug}` when done"
    if status in ("reading", "paused"):
        return f"{where} ({status}): `readlog progress {slug} PAGE`, or `readlog finish {slug} --rating R`"
    if status == "abandoned":
        return f"{where} (abandoned): `readlog start {slug}` to try again"
    return (
        f"{where}: `readlog review {slug}` or `readlog rate {slug} R` to change what you wrote, "
        f"`readlog start {slug}` to read it again"
    )


class BookLoader:
    """How the index reads a book file: (book, read-only?). It pickles as its data dir alone: a cold
    build's worker processes (readlog.index.pool) each make their own journal."""

    def __init__(self, root: Path, journal: Journal | None = None):
        self.root = root
        self._journal = journal

    def __reduce__(self) -> tuple[type[BookLoader], tuple[Path]]:
        return BookLoader, (self.root,)

    def __call__(self, slug: str) -> tuple[Book, bool]:
        if self._journal is None:
            self._journal = Journal(self.root)
        entry = self._journal.load(slug, allow_newer=True)
        return entry.book, entry.read_only


def _as_pick(query: str, index: Index, same: Callable[[str, list[str]], Summary | None]) -> str | None:
    """A title no book has that is a read-next pick of one (`next` lists it): said so, with the command
    that makes it a book (the reader typed what `next` showed them); or, when the journal has that book
    under another title already (`same`: identity.same_work, as `next add` would refuse it), its slug,
    never a `next add` that goes in a circle."""
    import json

    from readlog.identity import Candidate, pick_places
    from readlog.queue import picks_titled

    for source, pick in picks_titled(query, index.sources()):
        # (the title as typed when it names a place the pick does not: `Dune Messiah (Dune #2)`, the pick
        # *Dune Messiah*: the command never drops the volume the reader gave)
        title = pick.title if pick_places(query) <= pick_places(pick.title) else query.strip()
        by = f" --author {json.dumps(pick.authors[0], ensure_ascii=False)}" if pick.authors else ""
        who = f" ({', '.join(pick.authors)})" if pick.authors else ""
        there = same(pick.title, list(pick.authors))
        if there is not None:
            book = Candidate.of(there.slug, there.book)
            return (
                f"no book in the journal is titled {one_line(query)!r}{one_line(who)}: it is a read-next "
                f"pick of {one_line(source.book.title)!r}, and the journal has it as "
                f"{one_line(book.describe())}: give `{there.slug}`"
            )
        return (
            f"no book in the journal is {one_line(query)!r}{one_line(who)}: it is a read-next pick of "
            f"{one_line(source.book.title)!r}; `readlog next add "
            f"{json.dumps(title, ensure_ascii=False)}{by}` makes it a book you want"
        )
    return None
