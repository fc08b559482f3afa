"""Bringing a reader's history in: every format on one registry, one pipeline.

The format is told from the file's first bytes (never its name): each importer on the registry is asked
`sniff(head, name)` in turn (see `base.Importer` for the contract). A bad row is rejected with its line
number and the import goes on; a file that is not an export at all is one clear error and nothing is written.
Rows of one work in one file (editions: a hardcover and a paperback, one book read twice on BookWyrm) become
one book. Books already in the journal are matched by source id, then ISBN, then title and a shared author:
they are skipped, or with `update` given what the export knows (see `merge`), never losing what the reader
wrote; a new edition of a book already here is merged into it even without `update`.
"""

from __future__ import annotations

import contextlib
import csv
import functools
import io
import os
import signal
import time
from collections import deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from readlog import bookfile
from readlog.errors import ReadlogError, UsageError
from readlog.files import Written, atomic_write
from readlog.identity import (
    VOLUME_KEY,
    Candidate,
    Same,
    TitlesLike,
    Twins,
    Work,
    authors_agree,
    authors_compatible,
    authors_one_sided,
    book_keys,
    book_ties,
    by_id,
    has_volumes,
    id_keys,
    ids_apart,
    isbn_key,
    isbn_titled_elsewhere,
    like_keys,
    names_a_place,
    near_keys,
    nearest_sure,
    own_key,
    recorded_as,
    respelled,
    row_key,
    rows_one_book,
    same_work,
    series_pairs,
    source_ids,
    subtitle_lookups,
    title_stem,
    title_ties,
    titles_apart,
    titles_other,
    volumes_of_keys,
)
from readlog.importers.base import (
    HEAD_BYTES,
    Importer,
    ImportOptions,
    Made,
    Note,
    PreparedRow,
    Reject,
    Row,
    read_bytes,
)
from readlog.importers.merge import (
    BEHIND,
    OLDER,
    PROVENANCE,
    edition_imported,
    edition_news,
    join_editions,
    merge_edition,
    merge_update,
    merged_row,
    owns_row,
    provenance,
    recorded_authors,
    records_a_reading,
    records_row,
    settle_readings,
)
from readlog.journal import Journal, title_slug
from readlog.model import Book
from readlog.text import is_slug

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor

    from readlog.highlights.apply import Choose, HighlightsReport
    from readlog.index import Index, Rows
    from readlog.index.freshness import Recorded, Recording
    from readlog.journal import BulkBatch

__all__ = ["REGISTRY", "ImportReport", "Importer", "Reject", "Row", "parse_file", "register", "run_import"]

# Every format `readlog import` knows, in the order their `sniff` is asked. Read it through `registry()`,
# which also loads the formats other packages declare (entry points, plugins.py) the first time it is asked.
REGISTRY: list[type[Importer]] = []
_plugins_loaded = False


def register(importer: type[Importer]) -> type[Importer]:
    """Put an importer on the registry (built-ins are registered exactly like this). Later ones are asked
    after earlier ones, so a specific format goes before a general one."""
    if any(i.name == importer.name for i in REGISTRY):
        raise ValueError(f"an importer named {importer.name!r} is already registered")
    REGISTRY.append(importer)
    return importer


def registry() -> list[type[Importer]]:
    """The importers: the built-ins, then the plugins (loaded once, on this first call), in sniffing order."""
    global _plugins_loaded
    if not _plugins_loaded:
        from readlog import plugins

        plugins.register_all(
            plugins.IMPORTERS,
            "an Importer class",
            lambda loaded: isinstance(loaded, type) and issubclass(loaded, Importer),
            lambda importer: any(i is importer for i in REGISTRY),
            register,
        )
        _plugins_loaded = True  # only now: a plugin that failed fails again, never silently missing
    return REGISTRY


def _builtins() -> None:
    from readlog.importers.bookwyrm import BookWyrmImporter
    from readlog.importers.bookwyrm_json import BookWyrmJsonImporter
    from readlog.importers.goodreads import GoodreadsImporter
    from readlog.importers.hardcover import HardcoverImporter
    from readlog.importers.highlights import BUILTINS as HIGHLIGHTS
    from readlog.importers.jsonfile import ReadlogJsonImporter
    from readlog.importers.librarything import (
        LibraryThingCsvImporter,
        LibraryThingJsonImporter,
        LibraryThingTsvImporter,
    )
    from readlog.importers.openreads import OpenreadsImporter
    from readlog.importers.storygraph import StoryGraphImporter

    builtins: tuple[type[Importer], ...] = (
        *HIGHLIGHTS,  # asked first, as before they joined the registry: Kobo, KOReader, Readwise, Kindle
        GoodreadsImporter,
        StoryGraphImporter,
        LibraryThingTsvImporter,
        LibraryThingCsvImporter,
        LibraryThingJsonImporter,
        BookWyrmImporter,
        BookWyrmJsonImporter,
        HardcoverImporter,
        OpenreadsImporter,
        ReadlogJsonImporter,
    )
    for importer in builtins:
        register(importer)


_builtins()


def formats() -> list[str]:
    return [i.name for i in registry()]


@dataclass
class ImportReport:
    format: str
    added: list[str] = field(default_factory=list)  # titles
    updated: list[str] = field(default_factory=list)
    # the slugs of `added` and `updated`, in their order (`import --json`); None: not written (a dry run)
    added_slugs: list[str | None] = field(default_factory=list)
    updated_slugs: list[str | None] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    rejected: list[Reject] = field(default_factory=list)
    header: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # "Dune: kept your rating 4 (export says 2)"
    # rows of books the reader removed here (in trash/), not added again (of `skipped`): "Dune: you removed…"
    kept_out: list[str] = field(default_factory=list)
    tidied: list[str] = field(default_factory=list)  # "removed 83 temp files left by an interrupted write"
    # rows merged into a book of another title (its ISBN or id): "FILE:2: Dune Messiah: written to dune…"
    into: list[str] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)  # "Dune: rating 5 -> 4" (what --update, --force changed)
    # (slug, title) of each book whose to-read position an --update dropped: no row of the export
    dropped_positions: list[tuple[str, str]] = field(default_factory=list)
    latest: date | None = None  # the latest date inside the export (Date Added, Date Read, ...)
    older: bool = False  # an export older than the last one imported from its source, applied with --force
    as_they_are: int = 0  # of `skipped`, journal books left as they were (no --update: see import_file)
    as_imported: bool = False  # and each holds what the export says of it: --update would bring nothing
    joined: int = 0  # rows joined into an earlier row's book (editions of one work): in no other count
    edition_reviews: int = 0  # of those, in books added, with a review of their own (kept with the edition)
    warnings: list[str] = field(default_factory=list)  # "FILE:7: Dune: a reading starts (...) after it ends"
    source: str | None = None  # the source table the format's books carry
    adds_books: bool = True
    highlights: HighlightsReport | None = None  # an e-reader highlights import (importers/highlights.py)


def detect(path: Path, fmt: str | None = None) -> Importer:
    """The importer for this file: `fmt` if given, else the first on the registry that says it is its.
    A folder goes to the formats that keep files in folders (e-reader highlights: a device, a backup)."""
    known = registry()
    if fmt is not None:
        for importer in known:
            if importer.name == fmt:
                return importer()
        raise UsageError(f"--from: {fmt!r} is not a format: use one of {', '.join(formats())}")
    if path.is_dir():
        readers = [i for i in known if i.folders]
        if readers:
            return readers[0].for_folder(readers)
    head = _head(path)
    for importer in known:
        if importer.sniff(head, path.name):
            return importer()
    from readlog.text import utf16_as_utf8, utf16_codec

    if utf16_codec(head) is not None:  # (saved as "Unicode" by Notepad: a device's file is read all the same)
        for importer in known:
            if getattr(importer, "reads_utf16", False) and importer.sniff(
                utf16_as_utf8(head, partial=True), path.name
            ):
                return importer()
        raise ReadlogError(
            f"{path} is UTF-16, not UTF-8: open it in a text editor and save it as UTF-8, then import it "
            "again"
        )
    raw = read_bytes(path)  # not a known format: the file's own problem first (empty, binary, a folder)
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ReadlogError(
            f"{path} is not UTF-8 (bad byte at offset {error.start}): a spreadsheet may have re-saved it "
            "as Latin-1; import the original export, or save it as UTF-8 CSV"
        ) from None
    from readlog.importers.base import first_row

    header = first_row(head)
    for separator in (";", "\t", ","):  # a spreadsheet's re-save changes the separator
        resaved = first_row(head, separator)
        for importer in known:
            if (
                separator != getattr(importer, "delimiter", ",")
                and len(resaved) > 1
                and importer.sniff(
                    head.replace(separator.encode(), getattr(importer, "delimiter", ",").encode()), path.name
                )
            ):
                expected = ", ".join(getattr(importer, "required", ()) or resaved[:6])
                raise ReadlogError(
                    f"{path}: a {importer.label} export whose columns are separated by {separator!r} "
                    "(re-saved "
                    f"by a spreadsheet, which also changes dates and ISBNs): readlog expects the export as "
                    f"{importer.label} wrote it, {getattr(importer, 'delimiter', ',')!r}-separated with the "
                    f"columns {expected}, ...; import the original export"
                )
    shown = ", ".join(header[:6]) + (", ..." if len(header) > 6 else "")
    what = f"its header is ({shown})" if len(header) > 1 else "its first line is not a known header"
    labels = ", ".join(dict.fromkeys(i.label for i in known))  # one label for a format's variants
    raise ReadlogError(f"{path}: not an export readlog knows: {what}; readlog reads {labels}")


def _head(path: Path) -> bytes:
    """The first bytes `sniff` is shown (b"" for what cannot be read: read_bytes then says why)."""
    try:
        with path.open("rb") as handle:
            return handle.read(HEAD_BYTES)
    except OSError:
        return b""


def parse_file(path: Path, fmt: str | None = None) -> tuple[ImportReport, list[Row]]:
    """Every book the file holds (editions of one work joined), and the parts that could not be read."""
    report, held = _read_file(path, fmt)
    return report, [item.row() for item in held]


# An export bigger than this is held compressed while it is read (see _Held): a 10,000-book Goodreads
# export with reviews is about 10 MB; compressing costs about a fifth of an import's time.
COMPACT_FROM = 32 * 1024 * 1024


class _Held:
    """A row of an import until its turn to be written: editions of one work are joined across the whole
    file, so every row waits for the end of it. From a big export, the book is kept pickled and compressed
    (100,000 books held as objects took 370 MB; about 1 KB each this way); one a worker process parsed and
    prepared stays as it came (PreparedRow: no book, unless a join asks for it). The title, authors, year and
    book keys stay at hand, for joining, matching and naming its file."""

    __slots__ = (
        "held",
        "compact",
        "line",
        "lines",
        "slug",
        "title",
        "authors",
        "year",
        "made",
        "keys",
        "work",
        "stem",
        "known",
        "placed",
        "reviews",
        "apart",
        "apart_said",
        "matched",
        "dated",
    )

    def __init__(
        self,
        row: Row,
        compact: bool,
        keys: list[str] | None = None,
        work: Work | None = None,
        known: Known | None = None,
    ):
        self.line, self.slug, self.lines, self.compact = row.line, row.slug, [row.line], compact
        self.placed: str | None = None  # the slug its book was written under, once written (see _Reading)
        self.reviews = 0  # later editions joined into it with a review of their own (kept with them)
        self.apart: list[_Held] = []  # rows of the file it may be, kept apart (identity.rows_one_book)
        self.apart_said: list[str] = []  # the warnings saying so (taken back when the journal holds the row)
        self.matched: str | None = None  # the journal book it was matched to (see _Taking.take)
        # undated readings of its rows the join took for another's dated one (join_editions): their rows'
        # dated readings' keys
        self.dated: list[tuple[str, ...]] = []
        self.made = None if compact else row.made  # (held compact: formatted again, when its turn comes)
        if isinstance(row, PreparedRow) and not compact:
            its_keys = keys if keys is not None else row.keys
            self._name(row.title, row.authors, row.year, its_keys, work, row.known)
            self.held: Book | bytes | PreparedRow = row
        else:
            self.put(row.book, keys, work, known)

    def put(
        self, book: Book, keys: list[str] | None = None, work: Work | None = None, known: Known | None = None
    ) -> None:
        """Hold `book`; `keys`: its book_keys, `work`: Work.named of its title and authors, `known`: its
        row_known, when known (a joined book's are asked again)."""
        its_keys = keys if keys is not None else book_keys(book)
        self._name(book.title, book.authors, book.year, its_keys, work, known)
        if not self.compact:
            self.held = book
            return
        from readlog.packed import pack

        self.held = pack(book, compress=True)

    def _name(
        self,
        title: str,
        authors: list[str],
        year: int | None,
        keys: list[str],
        work: Work | None,
        known: Known | None = None,
    ) -> None:
        """What matching asks of the book's title and keys (row_known: its title's stem, what matching looks
        it up by, and more), as the worker process that parsed the row made it, or worked out now."""
        self.title, self.authors, self.year, self.keys, self.work = title, authors, year, keys, work
        self.known = known if known is not None else row_known(title, keys, landed=False)
        self.stem = self.known[0]

    def book(self) -> Book:
        held = self.held
        if isinstance(held, Book):
            return held
        if isinstance(held, PreparedRow):
            self.held = held.book  # (made again from its row's cells: PreparedRow)
            return self.held
        from readlog.packed import unpack

        book: Book = unpack(held, compressed=True)
        return book

    def row(self) -> Row:
        return Row(self.line, self.book(), self.slug, self.lines)


def _read_file(path: Path, fmt: str | None | Importer) -> tuple[ImportReport, list[_Held]]:
    """parse_file's work, rows held compact; rows of one work (same normalised title and a shared author,
    or the same ISBN or source id) joined as they are read, into the first one's place."""
    importer = fmt if isinstance(fmt, Importer) else detect(path, fmt)
    reading = _Reading(path, importer)
    return reading.report, list(reading.rows())


class _Reading:
    """An export being read: each book held (_Held) as its first row comes, the later rows of its work
    (same normalised title and a shared author, or the same ISBN or source id) joined into it, and the
    report's part that reading fills (rejects, notes, the readings' fixes, the latest date). `rows` gives
    each book once, when its first row is read; an import that writes each row as it comes (import_rows,
    streaming) has written a book by the time a later edition of it is read: `late` holds the books joined
    after they were written (`_Held.placed`), in the order they were first joined, to be written again
    whole. Read to the end first (`_read_file`), nothing is late."""

    def __init__(self, path: Path, importer: Importer):
        self.path, self.importer = path, importer
        self.report = ImportReport(
            format=importer.label, source=importer.source, adds_books=importer.adds_books
        )
        self.late: list[_Held] = []

    def rows(self) -> Iterator[_Held]:
        path, importer, report = self.path, self.importer, self.report
        source = importer.source
        compact = path.is_file() and path.stat().st_size > COMPACT_FROM
        by_title: Twins[_Held] = Twins()
        by_key: dict[str, _Held] = {}
        items = importer.read(path)
        try:
            for item in items:
                if isinstance(item, Reject):
                    report.rejected.append(item)
                    continue
                if isinstance(item, Note):
                    report.warnings.append(
                        f"{path}:{item.line}: {item.message}" if item.line else f"{path}: {item.message}"
                    )
                    continue
                if item.made is not None:  # done by the worker process that parsed it (prepare)
                    latest, problems = item.made.latest, item.made.problems
                else:
                    book = item.book
                    latest = latest_date(book)
                    # (a DNF's "date read" is the day it was given up)
                    problems = settle_readings(book, source)
                # (a PreparedRow's book is not asked for: its title, authors and keys came with it)
                title, authors = (
                    (item.title, item.authors)
                    if isinstance(item, PreparedRow)
                    else (item.book.title, item.book.authors)
                )
                if latest is not None and (report.latest is None or latest > report.latest):
                    report.latest = latest  # (the latest of them all: a comparison a row, no generator)
                for problem in problems:
                    report.warnings.append(f"{path}:{item.line}: {title}: {problem}")
                if source is None:
                    yield _Held(item, compact)
                    continue
                keys, known = (
                    (item.keys, item.known) if isinstance(item, PreparedRow) else (book_keys(item.book), None)
                )
                if known is None:  # (made by the worker that parsed it, as a rule: row_known)
                    known = row_known(title, keys, landed=False)
                twins = by_title.near(title, keyed=known[1])
                # identity.same_work (SURE), on the title, authors and places in a series (`vol:` keys: two
                # volumes are two books) held beside the compressed book
                work = first = None  # (no twin, no Work: _match makes it if it needs it)
                apart: list[_Held] = []
                if twins:
                    work = Work.of_row(title, authors, keys)
                    for t in twins:  # (a row with no author beside one with authors: kept apart, identity)
                        answer = rows_one_book(Work.of_row(t.title, t.authors, t.keys), work)
                        if answer is Same.SURE:
                            first = t
                            break
                        if answer is Same.MAYBE and (
                            bool(t.authors) != bool(authors) or not authors_compatible(t.authors, authors)
                        ):  # (one with no author, or a name spelled another way: identity.spelled_otherwise)
                            apart.append(t)
                ids = known[7]
                isbn_apart = None  # (the book of a row whose ISBN it shares, by another title or volume)
                if first is None:
                    shared = None
                    for key in ids:  # (the first of its ids a book held already holds: most rows, none;
                        if key in by_key:  # a source id before an ISBN: the service's record decides)
                            shared = key if shared is None or not key.startswith("isbn:") else shared
                            if not key.startswith("isbn:"):
                                break
                    first = by_key[shared] if shared is not None else None
                    apart_by = _isbn_apart(first, title, shared) if first and shared else None
                    if first is not None and apart_by is not None:
                        isbn_said = (
                            f"{path}:{item.line}: {title}: has the ISBN of {first.title!r} (line "
                            f"{first.line}) but {apart_by}: kept apart from it, as two books "
                            "(`readlog merge` joins them if they are one)"
                        )
                        report.warnings.append(isbn_said)
                        isbn_apart, first = first, None
                if first is None:
                    first = _Held(item, compact, keys, work, known)
                    if apart:  # (the other row's book is never this one's: a maybe, said once here)
                        first.apart = apart
                        other = apart[0]
                        who = f" by {', '.join(other.authors)}" if other.authors else " with no author"
                        mine = "has no author" if not authors else f"is by {', '.join(authors)}"
                        said = (
                            f"{path}:{item.line}: {title}: {mine}, beside {other.title!r}{who} (line "
                            f"{other.line}): may be the same book, kept apart from it, as two books "
                            "(`readlog merge` joins them if they are one)"
                        )
                        first.apart_said.append(said)
                        report.warnings.append(said)
                    if isbn_apart is not None:  # (said above; never joined to it by its ISBN: take)
                        first.apart.append(isbn_apart)
                        first.apart_said.append(isbn_said)
                    by_title.add(first, title, keyed=known[1])
                    for key in ids:
                        by_key.setdefault(key, first)
                    yield first
                    continue
                self._join(first, item, title)
                for key in ids:
                    by_key.setdefault(key, first)
        finally:  # (closed early, its worker processes stopped: close)
            close = getattr(items, "close", None)
            if close is not None:
                close()
        report.header = importer.header

    def _join(self, first: _Held, item: Row, title: str) -> None:
        """`item`, a later edition of the work `first` holds, joined into it (editions); counted when its
        review is another (kept with its edition: `readlog show` shows it), for the books added."""
        report, source = self.report, self.importer.source
        assert source is not None
        whole, book = first.book(), item.book
        mine, theirs = whole.review, book.review
        if mine and mine.body and theirs and theirs.body and theirs.body != mine.body:
            first.reviews += 1
            if first.placed is not None:  # (written already: added by this import)
                report.edition_reviews += 1
        first.dated += join_editions(whole, book, source)
        first.put(whole)
        first.made = None  # no longer the book it was prepared as: formatted when written
        first.lines.append(item.line)
        report.joined += 1
        _unused(item.made)  # (this row's own file text: its book is part of the first one's now)
        if first.placed is not None and first not in self.late:
            self.late.append(first)


def _isbn_apart(held: _Held, title: str, key: str) -> str | None:
    """Why a row titled `title` that shares the ISBN `key` with a book held already is never joined to it
    on the ISBN alone (identity.by_id): its title names another volume, or is another title (an omnibus's
    ISBN: *Summer* beside *Ethan Frome*); None when it is that book (a source id is: the service's record)."""
    if not key.startswith("isbn:") or by_id(Work(title), Work(held.title), key) is Same.SURE:
        return None
    return "names another volume" if titles_apart(title, held.title) else "is another title"


def _unused(made: Made | None) -> None:
    """A prepared book that is not written as it was prepared: the temp file its worker wrote, removed."""
    if made is not None and isinstance(made.text, Written):
        made.text.drop()


@contextlib.contextmanager
def _interruptible() -> Iterator[None]:
    """Ctrl-C, SIGTERM and SIGHUP stop an import as one exception of readlog's own, so that every `finally` on
    the way out removes the temp files of the batch in flight (SIGKILL cannot be caught: `check --fix`).
    Ctrl-C too: left to Python's KeyboardInterrupt, it was sometimes lost under load and the import ran
    to the end with exit 0 (test_import_campaign's SIGINT case, about one run in two beside another)."""
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: object) -> None:
        raise Interrupted(signum)

    wanted = [s for s in (signal.SIGINT, signal.SIGTERM, getattr(signal, "SIGHUP", None)) if s is not None]
    previous = {s: signal.signal(s, stop) for s in wanted}
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)


class Interrupted(BaseException):  # noqa: N818 - like KeyboardInterrupt, not an error of the reader's
    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


_DEFERRED = tuple(
    s for s in (signal.SIGINT, signal.SIGTERM, getattr(signal, "SIGHUP", None)) if s is not None
)


@contextlib.contextmanager
def _whole() -> Iterator[None]:
    """A step no signal may cut in half (a temp file made but not yet recorded for clean-up): signals wait
    until it is done."""
    if not hasattr(signal, "pthread_sigmask"):  # pragma: no cover - Windows
        yield
        return
    signal.pthread_sigmask(signal.SIG_BLOCK, _DEFERRED)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _DEFERRED)


def run_import(
    journal: Journal,
    path: Path,
    fmt: str | None = None,
    dry_run: bool = False,
    update: bool = False,
    progress: Callable[[int, int], None] | None = None,
    create: str | None = None,
    force: bool = False,
    stopped: Callable[[str], None] | None = None,
    encoding: str | None = None,
    choose: Choose | None = None,
) -> ImportReport:
    """Import `path` into the journal with the importer its content (or `fmt`) names. An export older than
    the last one imported from its source is refused unless `force` (see `check_not_older`). Stopped by a
    signal (Ctrl-C, SIGTERM, SIGHUP), it is told to `stopped` in one line, then ends as the signal asks.
    `choose`: on a terminal, the question a book that may be a journal book gets (highlights.apply)."""
    if create is not None:  # (before anything: whatever the file, a value outside the choices is misused)
        from readlog.highlights.apply import CREATE

        if create not in CREATE:
            raise UsageError(f"--create: {create!r} is not one of {', '.join(CREATE)}")
    started = time.time() - TEMP_CLOCK  # (before this import's workers write anything)
    _start_workers_early(path)
    importer = detect(path, fmt)
    importer.encoding = encoding  # (a delimited file's cells that are not UTF-8: text.decode_lines)
    options = ImportOptions(
        dry_run=dry_run,
        update=update,
        progress=progress,
        create=create,
        force=force,
        choose=choose,
        started=started,
    )
    with _interruptible():
        try:
            return importer.run(journal, path, options)
        except Interrupted as stop:
            # Clean-up is done (every `finally` ran): now end the way the signal asked, with its exit status.
            if stopped is not None:
                name = signal.Signals(stop.signum).name
                stopped(
                    f"readlog: import stopped ({name}): every book written so far is whole; the same import "
                    "again adds the rest"
                )
            signal.signal(stop.signum, signal.SIG_DFL)
            from readlog.pool import remove_temp_dir

            remove_temp_dir()  # (the process ends by the signal: no __main__ after it)
            os.kill(os.getpid(), stop.signum)
            raise  # pragma: no cover - the signal ends the process first


# A file's last-written time is the kernel's coarse clock, a tick or so behind time.time(): a temp file this
# import writes is never taken for one last written before it began, with this margin (seconds)
TEMP_CLOCK = 2.0


def _start_workers_early(path: Path) -> None:
    """A file big enough to be parsed by worker processes (base._in_workers) has their fork server started
    now: it starts on its own (loading readlog's code: about 0.2 s, on the other core) while this process
    tells the format and reads the file, instead of after. (A big file that turns out not to be parsed in
    workers has its books formatted or indexed by them all the same, as a rule: _Writer, _Recorder.)"""
    from readlog.importers.base import PARALLEL_FROM_BYTES
    from readlog.pool import IMPORT_PRELOAD, cores, start_server

    try:
        big = path.is_file() and path.stat().st_size >= PARALLEL_FROM_BYTES
    except OSError:  # (told by `detect`, as ever)
        return
    if big and cores() >= 2:
        start_server(IMPORT_PRELOAD)


def import_rows(journal: Journal, path: Path, importer: Importer, options: ImportOptions) -> ImportReport:
    """The shared pipeline (`Importer.run`'s default): the file's books matched to the journal's, added,
    merged or skipped; a format that does not add books (`adds_books = False`) rejects the unmatched."""
    from readlog.pool import collector_paused

    # An import's objects (each row held, its chunk's blob, each landed book's candidate) live until it is
    # done: the cyclic collector would walk them again and again, for nothing (as the workers' chunks,
    # base._parse_chunk, and a site build).
    with collector_paused():
        try:
            return _import_rows(journal, path, importer, options)
        finally:
            importer.let_go()  # (what `check_first` started, if the import stopped before reading)


def _import_rows(journal: Journal, path: Path, importer: Importer, options: ImportOptions) -> ImportReport:
    importer.books_wanted = options.update  # (--update merges every row that matches: its book, whole)
    reading = _Reading(path, importer)
    report = reading.report
    source = report.source
    # Streaming: the whole file checked now (nothing is written for a file refused half way), then read
    # as the rows are written; else read first.
    streaming = _may_stream(journal, path, importer, options) and importer.check_first(path)
    held = None if streaming else list(reading.rows())
    set_aside: dict[int, str] = {}  # (rows `--update` does not take: _set_aside)
    # The lock first, then the index: a book another process adds meanwhile is seen, not duplicated.
    with journal.bulk_unless_dry(options.dry_run) as batch:  # (a dry run: no lock, no folder made)
        index = journal.fresh_index()
        refuse_unreadable(journal)
        if held is None and index.holds_books():  # (books added by another readlog since: read first)
            held = list(reading.rows())
        if held is None:
            importer.streaming = os.fspath(journal.books_dir)
        elif source is not None and not importer.rejects_file:  # (a few rows fixed by hand: any age)
            drops = options.update and _of_the_library(journal, source, importer, len(held))  # (_leave_queue)
            report.older = check_not_older(
                journal.root,
                path,
                source,
                report.format,
                report.latest,
                options.force,
                functools.partial(_undone, journal, index, held, source, drops),
                report.warnings,
                rows=len(held),
                update=options.update,
            )
            if options.update and not report.older and source in last_imports(journal.root):
                set_aside = _set_aside(journal, index, held, source, options.force, report)
        rows = reading.rows() if held is None else iter(held)
        total = len(held) if held is not None else None
        with _Writer(batch, FORMAT_IN_WORKERS_FROM if total is None else total) as writer:
            landed = None if index.holds_books() else _Landed(batch)
            if landed is not None and not options.dry_run and (total is None or total >= INDEX_AT_END_FROM):
                writer.indexer = landed.indexer = _Recorder.start(batch, index)
            writer.landed = landed
            taking = _Taking(journal, path, index, batch, writer, landed, report, options)
            taking.each_a_book = importer.rows_are_books
            taking.set_aside = set_aside
            # (the row after which the recorder makes the index's secondary indexes: _Recorder.index_soon)
            soon = -1 if writer.indexer is None else (total or importer.expected or 0) - INDEX_SOON_ROWS
            try:
                for done, row in enumerate(rows, 1):
                    taking.take(row)
                    if done == soon:
                        writer.indexer.index_soon()  # type: ignore[union-attr]
                    if options.progress is not None:
                        options.progress(done, total or max(done, importer.expected or 0))
                writer.finish()
                if reading.late:
                    _write_joined(batch, writer, reading.late, source)
            except BaseException:
                if held is None:  # the rows not written yet: their workers' temp files too
                    rows.close()  # type: ignore[attr-defined]
                    _remove_import_temps(batch, journal.books_dir)
                raise
        if not options.dry_run and options.started is not None:
            # The temp files of writes a crash interrupted (a killed import's: one for each book it was
            # writing), now that this import's books are in place: one holding what its book holds now is
            # removed; one holding other text, kept in trash/ (checkup.clear_temp_file)
            from readlog.checkup import clear_stray_temps

            batch.writer.flush()
            report.tidied = clear_stray_temps(journal, options.started)
        report.warnings += taking.maybes
        if report.as_they_are and not options.update and held is not None and not report.older:  # (hint)
            imported = source is not None and source in last_imports(journal.root)
            report.as_imported = _left_as_imported(journal, index, held, source, imported, taking.merged_in)
        # (the rows of the file: counted before `_leave_queue`, whose books are no rows of it)
        counted = len(report.added) + len(report.updated) + len(report.skipped) + len(report.rejected)
        counted += report.joined
        if options.update and source is not None and _of_the_library(journal, source, importer, counted):
            touched = taking.touched | taking.added_here
            _leave_queue(journal, index, source, touched, options.dry_run, report)
        recorded = not importer.rejects_file  # (the export's own record stays as it was)
        if source is not None and recorded and not options.dry_run and report.latest is not None:
            record_import(journal.root, source, path, report.latest, counted)
    return report


def refuse_unreadable(journal: Journal) -> None:
    """An import into a journal with book files that do not parse stops before writing anything: the books
    in them are not seen, so a row of one would be added again (`dune-herbert.toml` beside a broken
    `dune.toml`), or joined to another book. Refused, not parked: which rows they are is not known."""
    broken = journal.problems()
    if not broken:
        return
    from readlog.text import one_line

    named = "; ".join(one_line(str(error)) for error in broken[:3])
    more = f"; and {len(broken) - 3} more" if len(broken) > 3 else ""
    one = len(broken) == 1
    files = "a book file that does not parse" if one else f"{len(broken)} book files that do not parse"
    them, it = ("the book in it", "it") if one else ("the books in them", "them")
    raise ReadlogError(
        f"the journal has {files} ({named}{more}): an import would not see {them} and could add {it} "
        f"again; nothing was imported: fix {it} (`readlog check` lists {it}), then import again"
    )


class _Taking:
    """The rows of an import, one by one, into the journal: each matched to the journal's books (or this
    import's own), then added, merged, skipped or rejected, the report told."""

    def __init__(
        self,
        journal: Journal,
        path: Path,
        index: Index,
        batch: BulkBatch,
        writer: _Writer,
        landed: _Landed | None,
        report: ImportReport,
        options: ImportOptions,
    ):
        self.journal, self.path, self.index, self.batch, self.writer = journal, path, index, batch, writer
        self.landed, self.report, self.options = landed, report, options
        self.new_keys: dict[str, str] = {}  # keys of books added by this import -> slug
        self.new_titles: dict[str, str] = {}  # (the books added by this import that name a place: titles)
        self.subtitles: set[str] | None = (
            None  # the journal's subtitle keys (Index.subtitle_keys), when asked
        )
        self.added_here: set[str] = set()
        self.touched: set[str] = set()  # every journal book this export names
        self.maybes: list[str] = []  # (after the reading's own warnings, as when the file is read first)
        self.merged_in: dict[int, bool] = {}  # (lines of rows the reader merged in: has --update news of it?)
        self.set_aside: dict[int, str] = {}  # (lines of rows older than the last import's: _set_aside)
        self.row_keys: set[str] | None = (
            None  # the journal's keys of merged editions with no id (_merged_into)
        )
        self.own_keys: set[str] | None = None  # the journal's keys of books holding a row's record (_owning)
        self.each_a_book = False  # (Importer.rows_are_books: a backup's rows are never one of its own books)
        # the books in trash/, by their title stems and ids (_removed_here)
        self.removed: dict[str, list[tuple[str, Path, Work]]] | None = None

    def _written(self, slug: str) -> bool:
        """Has an import of this source written to the book `slug` (its `source` table holds one)? Asked
        only of true duplicates a row surely is (identity.nearest_sure): a file or two read."""
        try:
            tables = self.journal.load(slug).book.extra.get("source")
        except ReadlogError:
            return False
        return isinstance(tables, dict) and isinstance(tables.get(self.report.source), dict)

    def take(self, row: _Held) -> None:
        report, source = self.report, self.report.source
        dry_run, update = self.options.dry_run, self.options.update
        title, keys = row.title, row.keys  # (provenance changes none of the keys)
        landed = self.landed
        live = landed if landed and landed.live() else None
        if live is None and self.subtitles is None:
            self.subtitles = self.index.subtitle_keys()
        match: str | None = None
        maybe: list[str] = []
        # (most rows into an empty journal: no book put so far is tied to it, nor holds an id of it, so
        # _match would answer (None, []))
        merged = False  # (the row the reader merged into its kept-apart twin's book: already here)
        kept_in = self._merged_into(row) if live is None else []
        by_row = False  # (found by the row the reader merged into a book of another title)
        if kept_in:  # (a row with no id the reader merged into a book of another title)
            match, maybe, by_row = self._kept_in(row, kept_in)
            merged = by_row
        elif live is None or not live.none_like(row.known[7], row.known[2], self.new_keys):
            match, maybe = self._match(row, live)
            if match is None and not maybe and live is None and not id_keys(keys):  # (retitled since?)
                match, maybe = self._retitled(row)
        if match is not None and any(match in (h.placed, h.matched) for h in row.apart):
            merged = self._holds_row(row, match)
            if not merged:
                match, maybe = None, []  # (a book of a row it was kept apart from: its own, said)
            else:  # (the reader joined them, `merge` of the two: nothing is kept apart)
                report.warnings[:] = [w for w in report.warnings if w not in row.apart_said]
        # (a row merged in: has --update news of it, by its edition's own record? None: the book's own row)
        news = self._edition_news(match, row) if merged and match is not None else None
        if match == HELD_APART:  # (books that each hold the row's record: one of them is its book, unsaid)
            report.skipped.append(title)
            self.maybes.append(
                f"{self.path}:{row.line}: {title}: its record is held by {', '.join(maybe)}: left as they "
                f"are, nothing added ({'' if kept_in else '`readlog check` lists the pair; '}`readlog merge` "
                "joins them)"
            )
            _unused(row.made)
            return
        if self.each_a_book:  # (a backup's two books sharing an ISBN, or alike: the journal held two)
            match = None if match in self.added_here else match
            # (a maybe is a slug, or one with why: `summer (its ISBN, another title)`)
            maybe = [named for named in maybe if named.split(" ", 1)[0] not in self.added_here]
            if match is None and row.slug in {named.split(" ", 1)[0] for named in maybe}:
                match, maybe = row.slug, []  # (of true duplicates, the one it was: restored again)
        row.matched = match
        if match is not None:
            self.touched.add(match)
        if match is None and maybe and report.adds_books:
            named = ", ".join(maybe)
            self.maybes.append(
                f"{self.path}:{row.line}: {title}: may be the same book as {named}: kept as its own book "
                "(`readlog check` lists the pair; `readlog merge` joins them)"
            )
        # (a service's export: readlog's own JSON backup brings back what it holds, as the reader asks)
        removed = self._removed_here(row) if match is None and report.adds_books and source else None
        if match is None and not report.adds_books:
            report.rejected.append(Reject(row.line, f"no book {title!r} in the journal", []))
        elif removed is not None:  # (a book the reader removed stays removed, as a reading does)
            report.skipped.append(title)
            report.kept_out.append(f"{title}: {removed}")
        elif match is None:
            # The whole book only if it is to be formatted here: one a worker prepared is written as it
            # made it (with its provenance already), never made here (PreparedRow).
            prepared: Book | Made | None = row.made
            if prepared is None:
                prepared = row.book()
                if source is not None:
                    provenance(prepared, source)
            if not dry_run:
                slug = self.batch.claim(row, row.slug, row.known[8])
                self.writer.put(slug, title, row.authors, prepared, keys, row.known)
                row.placed = slug
                report.edition_reviews += row.reviews
                for key in keys:
                    self.new_keys[key] = slug
                if row.known[6]:  # (an ISBN, and a title that names a place: row_known)
                    self.new_titles[slug] = title  # (what a later row with its ISBN is compared with)
                self.added_here.add(slug)
            report.added.append(title)
            report.added_slugs.append(row.placed)
        elif match in self.added_here:
            report.skipped.append(title)  # one of this import's own new books: written already
        elif update and row.line in self.set_aside:  # (older than what the last import brought: not taken)
            report.skipped.append(title)
            report.kept.append(self.set_aside[row.line])
        elif news is not None and not (update and news):  # (its values are an edition's, not the book's)
            report.skipped.append(title)
            report.as_they_are += news  # (what --update would change: its edition's news)
            self.merged_in[row.line] = news
        elif update or _new_edition(self.index, match, keys):
            book = row.book()  # (only a merge reads the whole book: made here, for a prepared row)
            kept: list[str] = []
            changes: list[str] = []
            # (each change said: of --update, which brings the export's values, and an older export)
            said = changes if report.older or update else None
            merger = (
                functools.partial(merge_update, changes=said, dated=row.dated)
                if update
                else functools.partial(merge_edition, changes=said)
            )
            into: list[Work] = []  # (the journal's book, as it was: named, when its title is not the row's)
            change = functools.partial(_apply, merger, incoming=book, source=source, kept=kept, into=into)
            changed = _merge(self.journal, match, change, dry_run)
            (report.updated if changed else report.skipped).append(title)
            if changed:
                report.updated_slugs.append(match)
            if (
                (changed or kept)
                and into
                and same_work(Work.of_row(title, row.authors, keys), into[0]) is not Same.SURE
            ):
                named = f"{match} ({into[0].title})"  # the book written to, not only the row (try-out 24c)
                report.into.append(
                    f"{self.path}:{row.line}: {title}: {would(dry_run)}written to {named}, "
                    + _found_by(row, merged)
                )
                title = f"{title} → {named}"
            report.kept += [f"{title}: {k}" for k in kept]
            report.changes += [f"{title}: {c}" for c in changes]  # (--update, or an older export's merge)
        else:
            report.skipped.append(title)
            report.as_they_are += 1
        if row.placed is None:
            _unused(row.made)

    def _removed_here(self, row: _Held) -> str | None:
        """Of a row no journal book holds: what says the reader removed its book here (`rm`: a book in
        trash/ that is surely the row's, by its ids or its title and authors: identity.same_work), so it is
        not added again, as a reading removed here is not; None: none is. The trash is read once an import,
        and only when a row is to be added (most imports into a journal with books add few); a row is
        compared only with the removed books that share an id or its title's stem (what the import's own
        matching looks a title up by)."""
        if self.removed is None:
            self.removed = {}
            seen: set[str] = set()
            for path in self.journal.trashed_books():  # (newest first: the latest removal of a slug first)
                try:
                    book = bookfile.parse(bookfile.decode(path.read_bytes(), str(path)), str(path))
                except (OSError, ReadlogError):
                    continue  # (`readlog restore` names a file that cannot be read)
                slug = path.name.split(".", 1)[0]
                # (restore brings back the latest removal of a slug by that slug; an older one by its name)
                which = path.name if slug in seen or not is_slug(slug) else slug
                seen.add(slug)
                work = Work.of(book)
                if self.journal.same_works(work)[0]:  # (in the journal still: merged into a book, say)
                    continue  # (what `restore` refuses: no removed book, its rows matched as any are)
                # (by its title too only when no import brought it: a book `merge` moved here is found in
                # the journal by its ids, but not by a title of its own, and a row of that title is its own)
                tables = book.extra.get("source")
                titled = [] if isinstance(tables, dict) and tables else [title_stem(book.title)]
                for key in [*titled, *id_keys(work.keys)]:
                    self.removed.setdefault(key, []).append((which, path, work))
        if not self.removed:
            return None
        found = [
            entry for key in dict.fromkeys([row.stem, *row.known[7]]) for entry in self.removed.get(key, ())
        ]
        if not found:
            return None
        work = Work(row.title, tuple(row.authors), frozenset(row.keys))
        for which, path, trashed in found:
            if same_work(work, trashed) is Same.SURE:
                from readlog.journal import removed_at

                day = removed_at(path).date().isoformat()
                return f"you removed it here on {day} (`readlog restore {which}` brings it back)"
        return None

    def _holds_row(self, row: _Held, slug: str) -> bool:
        """Does the journal book `slug` (not one of this import's) hold the row's own source id or ISBN (two
        rows this file keeps apart share none: they would be one book), or its record? Then the reader put
        the row there (`merge` of the two, as `check` advised): it is the row's book, never one more copy of
        it on every import (try-out 29a #1)."""
        if slug in self.added_here or self.report.source is None:
            return False
        for key in row.keys:
            if not key.startswith(VOLUME_KEY) and slug in _holding(self.index, key, key.startswith("isbn:")):
                return True
        return self._of_record(row)(slug) is not Same.NO

    def _merged_into(self, row: _Held) -> list[str]:
        """The journal books (not this import's) that keep this row's record with an edition `readlog merge`
        brought, when the row has no id of its own (a StoryGraph row with no ISBN/UID: its book found by no
        key): merge.merged_row, asked of the books holding the row's identity.row_key in the index (_kept_in
        decides between them and a book holding the row's record as its own)."""
        source = self.report.source
        if source is None or id_keys(row.keys):
            return []
        if self.row_keys is None:  # (asked once: most journals hold none)
            self.row_keys = self.index.keys_starting(row_key(source, ""))
        if not self.row_keys:
            return []
        incoming = row.book()
        key = row_key(source, incoming.added) if incoming.added is not None else None
        if key not in self.row_keys:
            return []
        return [slug for slug, _ in self._holding(key, lambda book: merged_row(book, source, incoming))]

    def _holding(self, key: str, test: Callable[[Book], bool]) -> list[tuple[str, Book]]:
        """The journal books (not this import's) the index holds under `key` (a row's row_key or own_key,
        books with a row of that day) that pass `test`, with their slugs."""
        held = []
        for slug in self.index.slugs_for_key(key, most=100):
            try:
                book = self.journal.load(slug).book
            except ReadlogError:
                continue
            if slug not in self.added_here and test(book):
                held.append((slug, book))
        return held

    def _kept_in(self, row: _Held, kept_in: list[str]) -> tuple[str | None, list[str], bool]:
        """The book of a row with no id that `kept_in` (_merged_into) each keep merged in, as (match, maybes,
        merged): the one book, whatever its title (a book of the row's title is not: review 30d F4), unless
        a book holds the row's record as its own (a merged book restored since: `--update`'s news is its,
        review 31a F1), found by its title and authors or, whatever its title now, by the record
        (merge.owns_row: restored and retitled, try-out 32b #7); two books each holding it as their own,
        or two keeping it merged in, or one beside a book of its title that may hold it as its own:
        HELD_APART, naming them, never a guess."""
        match, maybe = self._match(row, None)
        holds = self._of_record(row)
        own = [match] if match and match not in kept_in and holds(match) is not Same.NO else []
        own += [slug for slug, _ in self._owning(row) if slug not in kept_in and slug not in own]
        if len(own) == 1:
            return own[0], [], False  # (its own book, taken as any row is)
        if own:
            return HELD_APART, own + [f"{slug} (its row merged in)" for slug in kept_in], False
        slugs = [named.split(" ", 1)[0] for named in maybe]  # (a maybe is named "SLUG (by AUTHORS)" at most)
        rivals = [slug for slug in slugs if slug not in kept_in and holds(slug) is not Same.NO]
        if len(kept_in) == 1 and not rivals:
            return kept_in[0], [], True
        return HELD_APART, [f"{slug} (its row merged in)" for slug in kept_in] + rivals, False

    def _retitled(self, row: _Held) -> tuple[str | None, list[str]]:
        """Of a row with no id no title finds: the book holding its record as its own (_owning), retitled by
        hand since (the same export added it again), as (match, maybes): the one such book whose authors
        are the row's (or either has none); two: HELD_APART, named; one the reader gave other authors too
        is a maybe at most, named, the row parked (as a pen name is for a book of its title: try-out 28b)."""
        owners = self._owning(row)
        slugs = [slug for slug, _ in owners]
        sure = [
            slug
            for slug, book in owners
            if not (row.authors and book.authors) or authors_agree(row.authors, book.authors)
        ]
        if len(owners) == 1 and sure:
            return sure[0], []
        return (HELD_APART, slugs) if sure else (None, slugs)

    def _owning(self, row: _Held) -> list[tuple[str, Book]]:
        """The journal books (not this import's) holding the record of the row (one with no id) as their own,
        whatever their title now (merge.owns_row), found by its identity.own_key: a row no title finds is
        the book's it was imported as, retitled by hand since (the same export added it again), and a row
        also merged into another book is the restored book's (_kept_in)."""
        source, incoming = self.report.source, row.book()
        if source is None or incoming.added is None:
            return []
        if self.own_keys is None:  # (asked once, of the rows no title finds)
            self.own_keys = self.index.keys_starting(own_key(source, ""))
        key = own_key(source, incoming.added)
        if key not in self.own_keys:
            return []
        return self._holding(key, lambda book: owns_row(book, source, incoming))

    def _edition_news(self, slug: str, row: _Held) -> bool | None:
        """Of a row the reader merged into the book `slug` (_holds_row): whether `--update` has news of it
        (merge.edition_news: what it says otherwise than the record its edition keeps, unless the row is
        older than that record: _set_aside); None: it is the book's own row, taken as any row is."""
        from readlog.importers.merge import taken_back

        source = self.report.source
        try:
            book = self.journal.load(slug).book
        except ReadlogError:
            return False
        if source is None or not edition_news(book, source, row.book()):
            return False
        back = taken_back(book, source, row.book())
        return back is None or back[0] != OLDER

    def _match(self, row: _Held, live: _Landed | None) -> tuple[str | None, list[str]]:
        source = self.report.source
        return _match(
            self.index,
            row.title,
            row.authors,
            {} if self.each_a_book else self.new_keys,  # (a backup: never one of its own books, by a key)
            live,
            row.keys,
            row.work,
            row.stem,
            row.known[2],
            self.new_titles,
            self.subtitles,
            parks=self.report.adds_books,
            written=self._written if source is not None else None,
            of_record=self._of_record(row) if live is None and source is not None else None,
            titled_record=self._records_title(row) if live is None and source is not None else None,
        )

    def _records_title(self, row: _Held) -> Callable[[str], bool]:
        """Whether a journal book (not one of this import's) keeps this source's record of a row titled as
        `row` (its `imported`, or an edition's that a merge brought): the book that row made, retitled by hand
        since (*La Peste*), or the one the reader merged it into. Then the row's ISBN is that book's, whatever
        the book's title (_match: never a maybe of another title)."""
        source = self.report.source

        def holds(slug: str) -> bool:
            if slug in self.added_here or source is None:
                return False
            try:
                tables = self.journal.load(slug).book.extra.get("source")
            except ReadlogError:
                return False
            table = tables.get(source) if isinstance(tables, dict) else None
            if not isinstance(table, dict):
                return False
            editions = table.get("editions")
            records = [table, *(editions if isinstance(editions, list) else [])]
            for record in records:
                kept = record.get(PROVENANCE) if isinstance(record, dict) else None
                named = kept.get("title") if isinstance(kept, dict) else None
                if isinstance(named, str) and not titles_other(row.title, named):
                    return True
            return False

        return holds

    def _of_record(self, row: _Held) -> _Holds:
        """Whether a journal book (not one of this import's) holds this source's own record of `row`
        (merge.records_row): SURE when a dated reading of the row ties it too, MAYBE on the row's Date Added
        alone, else NO (NO too when the source gave the book another id of its own than the row's: a Book Id,
        StoryGraph's ISBN/UID); asked only of a book of its title the row is not surely by its authors. A
        record that names the row's authors is the row's (identity.recorded_as: `It` by Richard Bachman is
        the reader's *It* made Stephen King's). One naming others is another row's, unless the row and the
        book are one person's (the names edited since): never the record of a row or in a book with no
        author (an authorless *Poems* of the day Emily Dickinson's was added is a maybe, named: t28l). An
        older record (no authors) counts where the authors say nothing against it (one side with none, or
        one person on both), and for a near spelling of the book's authors
        (identity.respelled) as a maybe at most, named: a letter between two names is no proof of one
        person (Robert Powell's row is never written into Robert Lowell's book: try-out 27b); an older
        record, a maybe whoever the book's authors are now (review 27a #4; try-out 28b #2: on the row's
        Date Added alone too, named rather than a silent copy). `surely`: only a book that surely holds it
        (SURE, or a record naming the row's authors) is not NO: two books each holding what may be its record,
        both on its Date Added alone, are no proof its book is there twice (review 28c #1: *Poems* with no
        author beside Emily Dickinson's and Walt Whitman's *Poems* of that day)."""
        source = self.report.source
        assert source is not None

        def holds(slug: str, surely: bool = False) -> Same:
            if slug in self.added_here:
                return Same.NO
            try:
                book = self.journal.load(slug).book
            except ReadlogError:
                return Same.NO
            incoming = row.book()
            if edition_imported(book, source, incoming) is not None:
                return Same.SURE  # (the row's record, kept with its edition: the reader merged it in)
            if ids_apart(book, incoming, source) or not records_row(book, source, incoming):
                return Same.NO  # (a Book Id of its own that differs: the service's record of another book)
            held = Same.SURE if records_a_reading(book, source) else Same.MAYBE
            named = recorded_authors(book, source)
            if named is not None and recorded_as(named, incoming.authors):
                return held  # (surely too: the record names the row's authors)
            if named is not None and not (incoming.authors and book.authors):
                return Same.NO  # (a record naming others: another row's, whatever a side with none says)
            if not (incoming.authors and book.authors) or authors_agree(incoming.authors, book.authors):
                answer = held
            elif respelled(incoming.authors, book.authors):
                answer = Same.MAYBE
            else:
                # An older record: the reader may have given the book other authors since (It by Richard
                # Bachman, made Stephen King's; Thinner, on the shelf on the row's day), as it may be another
                # person's row of that day: named, never silently a book beside it (try-out 28b #2).
                answer = Same.MAYBE if named is None else Same.NO
            return Same.NO if surely and answer is not Same.SURE else answer

        return holds


# Tests turn this off to compare an import that writes each row as it comes with one that reads first.
STREAMING = True


def _may_stream(journal: Journal, path: Path, importer: Importer, options: ImportOptions) -> bool:
    """Whether this import may write each row as it comes, instead of reading the whole export first: a
    big export (parsed by worker processes, base.in_workers; not held compact) into a journal with no books
    yet, from a source never imported before (an older export is refused on the whole file's latest date,
    before anything is written: check_not_older), not a dry run nor an --update; and its importer must be
    able to check the whole file first (`check_first`, asked next). The books, the index and the report
    are the same either way (a later edition of a book already written rewrites it: _Reading.late); what
    changes is that the parsing, the writing and the syncs overlap, where they came one after the other
    (on a disk whose syncs are slow, the whole parse then hides under them)."""
    from readlog.importers.base import in_workers

    if not STREAMING or options.dry_run or options.update:
        return False
    try:
        size = path.stat().st_size
    except OSError:
        return False
    if size > COMPACT_FROM or not in_workers(importer, size):
        return False
    if importer.source is not None and importer.source in last_imports(journal.root):
        return False
    return not _holds_files(journal.books_dir)


def _holds_files(folder: Path) -> bool:
    """Whether the books folder holds a book file (or anything but dot files); no folder: none."""
    try:
        with os.scandir(folder) as entries:
            return any(not entry.name.startswith(".") for entry in entries)
    except FileNotFoundError:
        return False


def _write_joined(batch: BulkBatch, writer: _Writer, late: list[_Held], source: str | None) -> None:
    """The books an import that writes each row as it comes wrote before a later edition of theirs was
    read (_Reading.late): each written again whole, in one more durable batch, as the import would have
    written it had it read the whole file first; recorded in the index by this process (the recorder is
    done by then: BulkBatch records them, forgetting the rows the recorder gave them)."""
    if writer.indexer is not None and not writer.indexer.failed:
        batch.indexing = True
    for held in late:
        assert held.placed is not None
        book = held.book()
        if source is not None:
            provenance(book, source)
        batch.put(held.placed, book, bookfile.dumps(book))
    batch.writer.flush()


def _remove_import_temps(batch: BulkBatch, folder: Path) -> None:
    """An import stopped on its way (an error, a signal), its reading closed: the temp files its parsing
    workers wrote for rows it had not written yet (files.IMPORT_TEMP; under the journal's lock, no other
    import's). The batch in the sync thread's hands lands first, whole (BulkWriter.discard, which removes
    the temp files of the rest): some of its files are such temp files."""
    from readlog.files import IMPORT_TEMP

    batch.writer.discard()
    stem = f".{IMPORT_TEMP}."
    with contextlib.suppress(OSError), os.scandir(folder) as entries:
        for entry in entries:
            if entry.name.startswith(stem) and entry.name.endswith(".tmp"):
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(entry.path)


class _Landed:
    """An import into an empty journal: the books matching must see are only this import's own, those whose
    durable batch has landed (a small import indexes each batch as it lands, BulkBatch._landed; a big one
    at its end, _Recorder; in the order the books were put). Asking the index once per row for the books
    titled like it (10,000 queries for 10,000 rows) is answered here instead: the same books, taken in at
    the same point (when `batch.landed` counts them), asked in memory (identity.TitlesLike: the same
    answers, sorted by slug as the index gives them). Only while every landed batch was indexed or is held
    to be (`live`): once the index fails, the index itself is asked again."""

    def __init__(self, batch: BulkBatch):
        self.batch = batch
        # put, in order, not yet landed; each with what TitlesLike holds it under (identity.like_keys)
        self.waiting: deque[tuple[Candidate, tuple[tuple[str, ...], frozenset[str]]]] = deque()
        self.seen = 0  # how many of them have landed
        self.titles = TitlesLike()
        self.indexer: _Recorder | None = None  # the landed books are indexed at the end (see _Recorder)
        self.tied: set[str] = set()  # the ties (identity.like_keys) of every book put, landed or not

    def live(self) -> bool:
        # With a _Recorder, the batch records nothing itself (indexing False): the books asked here are still
        # exactly the landed ones, whether they are recorded yet or not (or failed to be).
        return self.indexer is not None or self.batch.indexing

    def put(
        self, slug: str, title: str, authors: list[str], keys: Sequence[str] = (), known: Known | None = None
    ) -> None:
        # As the index's row gives it back: the title as written, the authors as written (JSON); its places
        # in a series, as its `vol:` keys (the index keeps them: _match asks it for them). (`known`: the
        # row's row_known, when it holds them: the spans and ties it is held under in TitlesLike.)
        series = volumes_of_keys(keys) if known is None else known[3]
        spans, ties = (known[4], known[5]) if known is not None and known[4] is not None else (None, None)
        candidate = Candidate(slug, title, tuple(authors), series=series)
        keyed = like_keys(title, series) if spans is None or ties is None else (spans, ties)
        self.waiting.append((candidate, keyed))
        self.tied.update(keyed[1])

    def none_like(self, ids: Sequence[str], ties: frozenset[str], new_keys: dict[str, str]) -> bool:
        """Whether no book put so far holds one of a row's `ids` (identity.id_keys: its ISBNs and source
        ids; `new_keys`: the books' keys) or is tied to its title (`ties`: its identity.title_ties): then
        _match finds none among the landed ones, a part of them, and answers (None, []) (a shared place in a
        series is no id: two volumes of one series, Saga #1 and Saga #2, are two works). Asked first of each
        row of an import into an empty journal: most are of a work no earlier row is.
        (tests/test_t29b_none_like.py: _match's answers.)"""
        return self.tied.isdisjoint(ties) and new_keys.keys().isdisjoint(ids)

    def like(
        self, title: str, stem: str | None = None, ties: frozenset[str] | None = None
    ) -> list[Candidate]:
        """Index.candidates_like(title), of the books landed so far (`stem`: the title's, when known; with
        `ties`, its identity.title_ties: only those tied to it, TitlesLike.like)."""
        landed = self.batch.landed
        if landed != self.seen:
            came = [self.waiting.popleft() for _ in range(landed - self.seen)]
            self.titles.add([candidate for candidate, _ in came], [keyed for _, keyed in came])
            self.seen = landed
        return self.titles.like(title, stem, ties)


# An import of this many rows into an empty journal records its books in the index at its end, in one go
# (below it, batch by batch as they land: the same rows either way).
INDEX_AT_END_FROM = 1000
# The landed books whose index rows wait for that (about 3 KB each): past this many, they are recorded then
# and there, and the rest wait again (a 100,000-book import would otherwise hold every book's rows).
HELD_FOR_INDEX = 10_000
# The rows of the export left to match when the recorder is asked to make the index's secondary indexes from
# the books it holds so far (_Recorder.index_soon): about as many as the parsing workers work ahead.
INDEX_SOON_ROWS = 1000


class _Recorder:
    """An import into an empty journal: the books of each durable batch, once in place, are recorded in the
    index the way a cold build writes an empty index (Freshness.recording `cold`: one transaction, the
    secondary indexes made once at its end), not one transaction per batch as each lands (BulkBatch._landed).
    Recorded batch by batch by this thread or by a thread of its own, the SQLite steps and this thread's
    work fought for the GIL and the disk (stage 2 of a 10,000-row import took about 1.2 s longer than with
    no index written at all). So the batches go, as they land, to a process of their own (one worker of
    pool.worker_pool): it writes them while this one writes the next files, on the second core, which the
    parsing workers left idle by then. Their rows go as the bytes the parsing workers packed them into
    (prepare): this process never makes them into objects. The same books in the same order with the same
    rows, in the same goes (a go: at most HELD_FOR_INDEX books, one transaction each), so the index ends the
    same. Nothing in the import asks the index meanwhile: its matching asks the landed books in memory
    (_Landed). `finish` waits until every go is committed. If recording fails (a full disk, a read-only
    cache), the journal's sync after the import (Cache.after_bulk) indexes the files, as when BulkBatch's
    own recording fails; so it does for the books of a batch that lands after `finish` (an import stopped
    by an error or a signal). With the index in memory (no file to share), the books wait here and are
    recorded by this process at the end of each go."""

    def __init__(self, batch: BulkBatch, index: Index):
        self.batch = batch
        self.index = index
        self.held: list[tuple[str, Path | str, Book | Rows | bytes]] = []  # (an index in memory: here)
        self.going = 0  # books sent to the recorder process in this go
        self.failed = False
        self.told = batch.writer.landed
        self.done = False
        self.pool: ProcessPoolExecutor | None = None
        self.sent: deque[Future[None]] = deque()  # steps sent to the recorder process, not yet seen done
        self.sent_any = False  # a batch sent to the recorder process yet

    @classmethod
    def start(cls, batch: BulkBatch, index: Index) -> _Recorder | None:
        """The recorder, if the batch records at all (its index has not failed)."""
        if not batch.indexing or batch.writer.landed is None:
            return None
        recorder = cls(batch, index)
        if index.path is not None:
            from readlog.pool import IMPORT_PRELOAD, worker_pool

            try:
                recorder.pool = worker_pool(1, IMPORT_PRELOAD)
                recorder._send(_record_open, os.fspath(index.books_dir), os.fspath(index.path))
            except Exception:  # noqa: BLE001 - no process to be had: recorded here, as before
                recorder._stop()
        batch.writer.landed = recorder._landed
        batch.indexing = False  # BulkBatch records nothing itself: the recorder does
        return recorder

    def _send(self, task: Callable[..., None], *args: object) -> None:
        """`task(*args)` to the recorder process, unless it failed (a step, or the process itself)."""
        if self.failed or self.pool is None:
            return
        from readlog.pool import submit

        try:
            self.sent.append(submit(self.pool, task, *args))  # (signals held off for the call: pool.submit)
        except Exception:  # noqa: BLE001 - a broken pool (the process killed): the sync catches up
            self.failed = True

    def _landed(self, paths: list[Path | str]) -> None:
        """A batch is in place (told in the writer's thread): its books to the index, then BulkBatch told
        as before (it counts them, and lets them go)."""
        written = self.batch.landing(paths)
        assert self.told is not None
        self.told(paths)
        if self.failed:
            return
        if self.pool is None:
            self.held += written
            if len(self.held) >= HELD_FOR_INDEX:
                self._record()
            return
        from readlog.packed import pack

        if not self.sent_any:
            self.sent_any = True
            # This process's connection closed before the first batch is sent (opened again when next
            # asked, after `finish`): with no other open, the recorder can leave the WAL for the cold
            # build's rollback journal. Closed only now, after the recorder's own has opened (as a rule):
            # the last connection to close folds the WAL back, and that is then the recorder's to do.
            self.index.close()
        # (rows made here, or a book formatted here: packed as the workers pack theirs)
        sent = [(slug, os.fspath(path), b if isinstance(b, bytes) else pack(b)) for slug, path, b in written]
        self._failed_yet()
        self._send(_record_take, sent)
        self.going += len(sent)
        if self.going >= HELD_FOR_INDEX:
            self._send(_record_end)
            self.going = 0

    def index_soon(self) -> None:
        """The import's last rows are being matched: the recorder makes the index's secondary indexes now,
        from the books it holds so far (Recording.index_now), and writes the last ones with them, instead
        of making them from every book after the last one landed, while this process waits. Made now, they
        cost the recorder some 0.1 s of a 10,000-book import, on the core the parsing workers, done by then,
        leave idle; the last books, written with them, a hundredth of that."""
        self._send(_record_index_now)

    def _failed_yet(self) -> None:
        """Has the recorder process failed a step already? Then nothing more is sent (the sync catches up).
        Steps done are let go; if more books than HELD_FOR_INDEX wait for the recorder (a slow disk), this
        waits for it, so that they do not pile up here without end (as many as were held before)."""
        waiting = self.batch.writer.batch  # books per step, at most
        while self.sent and (self.sent[0].done() or len(self.sent) * waiting > HELD_FOR_INDEX):
            try:
                self.sent.popleft().result()
            except Exception:  # noqa: BLE001 - the index is a cache: never a reason to stop an import
                self.failed = True

    def _record(self) -> None:
        held, self.held = self.held, []
        if held and not self.failed:
            try:
                self.index.record(held, checkpoint=False, cold=True)
            except Exception:  # noqa: BLE001 - the index is a cache: never a reason to stop an import
                self.failed = True

    def finish(self) -> None:
        """Every book landed so far recorded (an error or a signal on the way out too: the files are in
        place, and their rows in hand cost less than parsing them again); BulkBatch as it was."""
        if self.done:
            return
        self.done = True
        self.batch.writer.landed = self.told
        if self.pool is None:
            self._record()
            return
        try:
            if self.going:
                self._send(_record_end)
            while self.sent:
                try:
                    self.sent.popleft().result()
                except Exception:  # noqa: BLE001 - the index is a cache: never a reason to stop an import
                    self.failed = True
        finally:
            self._stop()

    def _stop(self) -> None:
        pool, self.pool = self.pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)


class _Recording:
    """In the recorder process of an import (_Recorder): the index, the landed books of the go in progress
    waiting for its transaction (`held`), the transaction once open (`go`, and `write` into it), and
    whether a step failed (the recorder takes nothing more)."""

    def __init__(self, index: Index):
        self.index = index
        self.held: list[Recorded] = []
        self.go: contextlib.ExitStack | None = None
        self.write: Recording | None = None
        self.failed = False

    def check(self) -> None:
        if self.failed:
            raise RuntimeError("the recorder failed already")

    def fail(self, error: BaseException) -> None:
        """A step failed: the go in progress rolled back (raising `error` again), nothing more taken."""
        self.failed = True
        go, self.go = self.go, None
        if go is not None:
            go.__exit__(type(error), error, error.__traceback__)


_recording: _Recording | None = None


def _record_open(books_dir: str, path: str) -> None:
    """The index at `path`, opened in the recorder process (never synced: it is only written)."""
    import gc

    from readlog.index import Index
    from readlog.index.life import _not_synced

    global _recording
    gc.set_threshold(50_000, 50, 100)  # as readlog's own process (__main__): it unpickles many rows
    index = Index(Path(books_dir), _not_synced, Path(path))
    _recording = _Recording(index)
    index.db  # noqa: B018 - opened now, before the importing process closes its own (_Recorder._landed)


def _record_take(written: list[tuple[str, str, bytes]]) -> None:
    """A landed batch, into the go in progress: its transaction is opened once the go is big enough to
    be written the cold way (BIG_WRITE books: `record` decides the same on the whole go); till then the
    books wait. A step that fails rolls the go back, and the recorder takes nothing more."""
    from readlog.index import BIG_WRITE

    state = _recording
    assert state is not None
    state.check()
    state.held += written
    try:
        if state.go is None:
            if len(state.held) < BIG_WRITE:
                return
            state.go = contextlib.ExitStack()
            state.write = state.go.enter_context(state.index.recording(True, True))
        taken, state.held = state.held, []
        assert state.write is not None
        state.write(taken)
    except BaseException as error:
        state.fail(error)
        raise


def _record_index_now() -> None:
    """The secondary indexes of the go in progress made now, if its transaction is open (a cold one: else
    there are none to make); the books recorded after are written with them (_Recorder.index_soon)."""
    state = _recording
    assert state is not None
    state.check()
    if state.write is None or state.go is None:
        return
    try:
        state.write.index_now()
    except BaseException as error:
        state.fail(error)
        raise


def _record_end() -> None:
    """The go in progress committed (or, fewer than BIG_WRITE books, recorded as `record` records them)."""
    state = _recording
    assert state is not None
    state.check()
    held, state.held = state.held, []
    go, state.go = state.go, None
    try:
        if go is not None:
            go.close()
        elif held:
            state.index.record(held, checkpoint=False, cold=True)
    except BaseException:
        state.failed = True
        raise


# A big import's new books are formatted (file text, index rows) by worker processes while this process
# matches the rows after them and writes the files: from this many rows of export (below it, starting the
# workers costs more than it saves), in chunks of FORMAT_CHUNK books.
FORMAT_IN_WORKERS_FROM = 1000
FORMAT_CHUNK = 100


class _Writer:
    """The new books of an import, written in the order they were claimed. Formatted in this process for a
    small import; for a big one by worker processes, a few chunks ahead: a chunk is written when the chunk
    `2 x cores` after it is handed out (or at `finish`), always at the same point of the import, never when
    a worker happens to be done, so what the index holds when a row is matched does not depend on timing."""

    def __init__(self, batch: BulkBatch, rows: int):
        from readlog import fields
        from readlog.pool import cores

        self.batch = batch
        # A worker knows only model's fields (fields.built_in_only): with another one registered, format here.
        wanted = rows >= FORMAT_IN_WORKERS_FROM and cores() >= 2 and fields.built_in_only()
        self.workers = cores() if wanted else 0
        self.pool: ProcessPoolExecutor | None = None
        self.chunk: list[tuple[str, Book | None, Made | None]] = []  # (a book only where made is None)
        self.pending: deque[
            tuple[list[tuple[str, Book | None, Made | None]], Future[list[tuple[str, bytes]]] | None]
        ]
        self.pending = deque()
        self.landed: _Landed | None = None  # told every book put, in order (an import into an empty journal)
        self.indexer: _Recorder | None = None  # records the landed books in the index (an empty journal)

    def __enter__(self) -> _Writer:
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            if self.indexer is not None:
                self.indexer.finish()  # (after `finish`, nothing is left)
        finally:
            if self.pool is not None:
                self.pool.shutdown(wait=True, cancel_futures=True)

    def put(
        self,
        slug: str,
        title: str,
        authors: list[str],
        book: Book | Made,
        keys: Sequence[str] = (),
        known: Known | None = None,
    ) -> None:
        """Write the book titled `title` by `authors` (identity.book_keys `keys`; `known`, its row_known when
        held) under the `slug` claimed for it (now, or a few chunks later): `book` itself, or its text and
        index rows prepared already by the worker process that parsed it (`Made`)."""
        if self.landed is not None:
            self.landed.put(slug, title, authors, keys, known)
        if not self.workers:
            with _whole():
                if isinstance(book, Made):
                    self.batch.put(slug, book.rows, book.text)
                else:
                    self.batch.put(slug, book, bookfile.dumps(book))
            return
        self.chunk.append((slug, None, book) if isinstance(book, Made) else (slug, book, None))
        if len(self.chunk) >= FORMAT_CHUNK:
            self._hand_out()

    def finish(self) -> None:
        """Every book put so far written (and, with an indexer, in place and indexed)."""
        if self.chunk:
            self._hand_out()
        while self.pending:
            self._write(*self.pending.popleft())
        if self.indexer is not None:
            self.batch.writer.flush()  # the last batch in place, kept by the recorder
            self.indexer.finish()

    def _hand_out(self) -> None:
        """The chunk's books not prepared yet to a worker; the chunk waits its turn to be written (the same
        turn whether or not any of it needed formatting)."""
        todo = [book for _, book, made in self.chunk if made is None and book is not None]
        future = None
        if todo:
            if self.pool is None:
                from readlog.pool import IMPORT_PRELOAD, worker_pool

                self.pool = worker_pool(self.workers, IMPORT_PRELOAD)
            from readlog.pool import submit

            future = submit(self.pool, _format_chunk, todo)
        self.pending.append((self.chunk, future))
        self.chunk = []
        if len(self.pending) > 2 * self.workers:
            self._write(*self.pending.popleft())

    def _write(
        self,
        chunk: list[tuple[str, Book | None, Made | None]],
        future: Future[list[tuple[str, bytes]]] | None,
    ) -> None:
        from readlog.pool import answer

        formatted = iter(answer(future) if future is not None else ())
        with _whole():  # once per chunk: blocking signals per file cost 0.2 s of a 10,000-book import
            for slug, _, made in chunk:
                text, rows = (made.text, made.rows) if made is not None else next(formatted)
                self.batch.put(slug, rows, text)
        if next(formatted, None) is not None:  # pragma: no cover - one answer per book handed out
            raise AssertionError("a formatting worker answered for more books than it was given")


# What the import asks of a row's title and keys, row_known's answer (a plain tuple: one comes back with each
# row a parsing worker sends, 10,000 for a 10,000-row export).
Known = tuple[
    str,  # title_stem
    tuple[str, ...],  # identity.near_keys (what the rows of the file are kept by, to join editions)
    frozenset[str],  # title_ties
    tuple[tuple[str, str], ...],  # its places in a series (volumes_of_keys)
    tuple[str, ...] | None,  # identity.like_keys: the spans TitlesLike holds it under (None: not made)
    frozenset[str] | None,  # identity.like_keys: the ties it holds it under (None: not made)
    bool,  # an ISBN, and a title that names a place (names_a_place): it may name another volume
    list[str],  # id_keys
    str | None,  # journal.title_slug, the first slug its book is offered (None: not a valid slug)
]


def row_known(title: str, keys: Sequence[str], landed: bool = True) -> Known:
    """What the import asks of a row's title and book keys, again and again (identity's answers: pure
    functions of the two), worked out at once: by the worker process that parsed a big export's row
    (base._parse_chunk), beside its book, so that the importing process, which matches the rows one after
    another alone while the workers wait for it, only looks them up. Else when the row is read. With the
    first slug its book is offered (journal.title_slug), checked. `landed`: with what TitlesLike holds the
    book under once it is added (identity.like_keys: only an import into an empty journal asks that;
    _Landed works it out then if it is not here)."""
    series = volumes_of_keys(keys)
    spans, held = like_keys(title, series) if landed else (None, None)
    place = any(key.startswith("isbn:") for key in keys) and names_a_place(title)
    slug = title_slug(title)  # (the first slug its book is offered: BulkBatch.claim's `first`, checked)
    first = slug if is_slug(slug) else None
    stem, twins, ties = title_stem(title), near_keys(title), title_ties(title)
    return stem, twins, ties, series, spans, held, place, id_keys(keys), first


def prepare(books: list[Book], source: str | None, keys: list[list[str]] | None = None) -> list[Made]:
    """In the worker process that parsed a chunk of a big export's rows (base._parse_chunk): what
    `_read_file` and `import_rows` would do to each book next, done there: its latest date, its readings'
    fixes, and its file text and index rows as the import adds it (with its provenance, the book itself
    left without it: a book that matches one in the journal is merged without). `keys`: each book's
    identity.book_keys, when the caller has them (provenance changes none of them)."""
    from readlog.index import book_rows
    from readlog.index.rows import pack_rows

    made = []
    for n, book in enumerate(books):
        latest = latest_date(book)
        problems = settle_readings(book, source)  # (a DNF's "date read" is the day it was given up)
        text, rows = _as_added(book, source, book_rows, None if keys is None else keys[n])
        # The rows go back packed: the main process only hands them on to where they are recorded
        # (unpacked there: in the recorder's process for an import into an empty journal), never as objects
        # of its own. The text goes as the file's bytes, encoded here (text that cannot be, which readlog's
        # checks refuse first, goes as it is: its error is the writer's, at its turn, as ever).
        made.append(Made(latest, problems, _encoded(text), pack_rows(rows)))
    return made


def _encoded(text: str) -> str | bytes:
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        return text


def _as_added(
    book: Book,
    source: str | None,
    book_rows: Callable[[Book, bool, list[str] | None], Rows],
    keys: list[str] | None = None,
) -> tuple[str, Rows]:
    """`book`'s file text and index rows (`book_rows`: index.book_rows, imported once by the caller; `keys`:
    the book's identity.book_keys, when known) once `provenance` has been recorded on it; the book is left
    as it was (what `provenance` writes is put back)."""
    tables = book.extra.get("source")
    table = tables.get(source) if source is not None and isinstance(tables, dict) else None
    if source is None or not isinstance(table, dict):  # provenance records nothing
        return bookfile.dumps(book), book_rows(book, False, keys)
    missing = object()
    before = table.get(PROVENANCE, missing)
    provenance(book, source)
    try:
        return bookfile.dumps(book), book_rows(book, False, keys)
    finally:
        if before is missing:
            table.pop(PROVENANCE, None)
        else:
            table[PROVENANCE] = before


def _format_chunk(books: list[Book]) -> list[tuple[str, bytes]]:
    """In a worker process: each book's file text and its index rows (packed, as `prepare` sends them)."""
    from readlog.index import book_rows
    from readlog.index.rows import pack_rows

    return [(bookfile.dumps(book), pack_rows(book_rows(book, False))) for book in books]


def latest_date(book: Book) -> date | None:
    """The latest full date a row of an export holds: added, and every reading's start, finish or stop."""
    latest = book.added if isinstance(book.added, date) else None
    for read in book.reads:  # (a loop, not max over a generator: a worker asks it of every row)
        for day in (read.started, read.finished, read.stopped):
            if isinstance(day, date) and (latest is None or day > latest):
                latest = day
    return latest


# --- which export is newer: `<data dir>/imports.toml` -------------------------------------------------------
IMPORTS_FILE = "imports.toml"


def last_imports(root: Path) -> dict[str, dict[str, object]]:
    """What readlog remembers of each source's last import: `[goodreads] latest = 2024-05-01` (the latest
    date inside that export), `imported` (when), `file`. A file readlog cannot read is ignored (rewritten at
    the next import): it only guards against older exports."""
    import tomllib

    path = root / IMPORTS_FILE
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {k: v for k, v in data.items() if isinstance(v, dict)}


def check_not_older(
    root: Path,
    path: Path,
    source: str,
    label: str,
    latest: date | None,
    force: bool,
    undone: Callable[..., Undone] | None = None,
    said: list[str] | None = None,
    rows: int | None = None,
    update: bool = True,
) -> bool:
    """Refuse an export older than the last one imported from its source when it holds other values than an
    import brought: its latest date (Date Added, Date Read, ...) earlier than the latest date inside that
    one. `undone()` names the journal's books whose values it would take back, each with them (`Dune:
    rating 5 -> 2`), the books it would add, and with `--update` the books whose to-read positions it would
    drop (`_undone`; not given: every older export would). (A file whose latest date is not earlier may
    still hold older rows: `--update` sets them aside, _set_aside.) The refusal says what the import would
    do: the books it adds back (the newer export no longer held them); `--update` would undo those values
    and drop those positions, a plain import (not `update`) keeps them. With `force` it is applied (True:
    report every change it makes). An older export that changes no such book (another reader's library, the
    same export again) is taken like any other, `said` told so. The last export is the library's
    (`few_rows`): a file of a few rows (`rows`) recorded since is not one."""
    if latest is None:
        return False
    record = last_imports(root).get(source, {})
    last = record.get("latest")
    if not isinstance(last, date) or few_rows(record.get("rows"), rows):
        return False
    if latest >= last:
        return False
    if force:
        return True
    dates = f"its latest date is {latest.isoformat()}, the last import's was {last.isoformat()}"
    changed, added, dropped = undone() if undone is not None else (["its books"], [], [])
    if changed or added or dropped:
        # (no row whose own dates are older: perhaps the newer export, its latest row taken out there)
        newer = bool(changed) and undone is not None and not undone(older=(OLDER, BEHIND))[0]
        maybe = (
            " (no row of it is older than what that import brought of its book: it may be the newer export, "
            "its newest row removed there)"
            if newer
            else ""
        )
        adds = f"add {len(added)} book{'s' if len(added) != 1 else ''} the last export no longer held"
        adds = f"{adds} ({_named(added)})" if added else ""
        if update:
            undoes = f"undo what the last import brought ({_said(changed)}){maybe}" if changed else ""
            n = len(dropped)
            drops = (
                f"drop the to-read position{'s' if n != 1 else ''} the last export gave {n} "
                f"book{'s' if n != 1 else ''} it does not list ({_named(dropped)})"
                if dropped
                else ""
            )
            does = "importing it would " + " and ".join(p for p in (undoes, drops, adds) if p)
        else:
            older = f"other values than an import brought here ({_said(changed)})"
            does = f"importing it would {adds}" if added else ""
            if changed:
                does += f"{', and it' if added else 'it'} holds {older}, which `--update` would undo{maybe}"
        raise ReadlogError(
            f"{path}: an older {label} export than the last one imported: {dates}; {does} (use --force to "
            "apply it anyway, every change reported)"
        )
    if said is not None:
        said.append(
            f"{path}: an older {label} export than the last one imported ({dates}), but it changes no book "
            f"an import of {label} brought: taken like any export ({IMPORTS_FILE} keeps the newer date)"
        )
    return False


def _set_aside(
    journal: Journal, index: Index, held: list[_Held], source: str, force: bool, report: ImportReport
) -> dict[int, str]:
    """The rows of `held` older than what the last import of `source` brought of their books (their own
    latest date, Date Added or a reading's, earlier than that import's record: merge.taken_back; an old
    export with one newer row added, try-out 33a #4), by line, each with what the import says of it: such
    a row is not taken (_Taking), its book left as that import brought it, counted skipped and said with
    the values it would have taken back. With `force` they are taken, and every change said
    (`report.older`): none is set aside."""
    from readlog.importers.merge import taken_back

    older: dict[int, str] = {}
    for mine, row in _matched(journal, index, held, source, theirs_only=True):
        back = taken_back(mine, source, row.book())
        if back is not None and back[0] == OLDER:
            older[row.line] = (
                f"{mine.title}: not taken: the export's row is older than what the last {report.format} "
                f"import brought ({', '.join(back[1])}); --force applies it"
            )
    if force:
        report.older = bool(older)
        return {}
    return older


def _named(titles: list[str], between: str = ", ") -> str:
    return between.join(titles[:UNDONE_NAMED]) + (" and more" if len(titles) > UNDONE_NAMED else "")


def _said(changed: list[str]) -> str:
    """The books an older export would change, each with its values (_taken_back): `; ` between books."""
    return _named(changed, "; ")


# The books an older export would change that its refusal names (one more is looked for, to say "and more").
UNDONE_NAMED = 3


# What an older export would do (`_undone`): the titles of the books whose values it would take back, of
# the books it would add, and of the books whose to-read positions `--update` would drop.
Undone = tuple[list[str], list[str], list[str]]


def _undone(
    journal: Journal,
    index: Index,
    held: list[_Held],
    source: str,
    drops: bool = False,
    older: tuple[str, ...] = (),
) -> Undone:
    """What an (older) export would do to the journal. First, the books whose values an import brought it
    would take back, each said with them (_taken_back), UNDONE_NAMED + 1 at most: a book an import of
    `source` brought (it has that source's table) that a row matches as the import matches it, whose values
    there (status, rating, review, shelves, dates, position, pages, year, readings: merge's provenance
    record) are not the ones that import brought. A book with no such record counts (readlog cannot tell);
    one from elsewhere does not (an export never undoes what it did not bring). With `drops` (an `--update`
    of an export of the library: `_leave_queue` follows it), the titles of every wanted book no row names
    whose to-read position an import of `source` gave it, which that drops (try-out 27a: the older export's
    `--update` was taken like any export, and the newer one's queue lost its order). Then, when there are
    either (an export of that library: it is refused), the titles of every row it would add: the books the
    newer export no longer held, which the refusal counts, as `--force --dry-run` would. `older`: the books
    whose row is older than what that import brought of them in one of these ways, alone (_taken_back)."""
    changed = _taken_back(journal, index, held, source, UNDONE_NAMED + 1, older)
    if older:
        return changed, [], []
    if not changed and not drops:  # (taken like any export: what it adds is counted by the import itself)
        return [], [], []
    matched = [_match(index, r.title, r.authors, {}, None, r.keys, r.work, r.stem)[0] for r in held]
    named = {slug for slug in matched if slug is not None}
    dropped = _positions_dropped(journal, index, source, named) if drops else []
    if not changed and not dropped:
        return [], [], []
    return changed, [row.title for row, match in zip(held, matched, strict=True) if match is None], dropped


def _unlike(
    journal: Journal, index: Index, held: Sequence[_Held], source: str, most: int, theirs_only: bool
) -> list[str]:
    """The titles of the journal's books (`most` at most) that the rows `held` match, as the import matches
    them, whose provenance record of `source` is not the one the row brings: what the export says of them
    is not what an import of it brought. `theirs_only`: a book without that source's table is left out
    (else it counts: the export has something to say of it). A row older than that record is no news
    either: `--update` does not take it (_set_aside)."""
    from readlog.importers.merge import taken_back

    found: list[str] = []
    for mine, row in _matched(journal, index, held, source, theirs_only):
        tables = mine.extra.get("source")
        if isinstance(tables, dict) and isinstance(tables.get(source), dict):
            back = taken_back(mine, source, row.book())
            if back is None or back[0] == OLDER:
                continue  # (its own record, or its edition's: merged in; or older than it)
        found.append(mine.title)
        if len(found) >= most:
            break
    return found


def _taken_back(
    journal: Journal, index: Index, held: Sequence[_Held], source: str, most: int, older: tuple[str, ...]
) -> list[str]:
    """The journal's books (`most` at most) whose values an import of `source` brought the rows `held` would
    take back, each said with them (`Dune: rating 5 -> 2`; a book with no record: its title alone).
    `older`: only the rows older than that import's record of their book in one of these ways
    (merge.taken_back: OLDER, by their dates; BEHIND, by their status)."""
    from readlog.importers.merge import taken_back

    found: list[str] = []
    for mine, row in _matched(journal, index, held, source, theirs_only=True):
        back = taken_back(mine, source, row.book())
        if back is None or (older and back[0] not in older):
            continue
        found.append(f"{mine.title}: {', '.join(back[1])}" if back[1] else mine.title)
        if len(found) >= most:
            break
    return found


def _matched(
    journal: Journal, index: Index, held: Sequence[_Held], source: str, theirs_only: bool
) -> Iterator[tuple[Book, _Held]]:
    """Each journal book a row of `held` matches as the import matches it, with the row: not a book
    the row's own worker made (as that import brought it), nor one that cannot be read (said by the
    import itself); `theirs_only`: nor one without `source`'s table."""
    for row in held:
        match, _ = _match(index, row.title, row.authors, {}, None, row.keys, row.work, row.stem)
        if match is None:
            continue
        if row.made is not None and isinstance(row.made.text, bytes):  # (prepared by a worker, as added)
            with contextlib.suppress(OSError):
                if journal.path_for(match).read_bytes() == row.made.text:
                    continue  # the very file this row makes: as that import brought it, no book made here
        try:
            mine = journal.load(match).book
        except ReadlogError:  # (a broken file is said by the import itself)
            continue
        tables = mine.extra.get("source")
        if theirs_only and (not isinstance(tables, dict) or not isinstance(tables.get(source), dict)):
            continue
        yield mine, row


# Up to this many rows, a re-import that left journal books as they are looks at each (a file read) to tell
# whether the export says anything else of them (`--update`'s hint); past it, only whether an import of its
# source ever finished (about 0.1 ms a row: 1 s of a 10,000-row re-import, for a hint).
LEFT_CHECKED_UP_TO = 2000


def _left_as_imported(
    journal: Journal,
    index: Index,
    held: list[_Held],
    source: str | None,
    imported: bool,
    merged_in: Mapping[int, bool] | None = None,
) -> bool:
    """Whether the books a re-import left as they are hold what the export says of them, so that `--update`
    would bring nothing: none of them has another provenance record than its row brings, its own or its
    edition's (an export of LEFT_CHECKED_UP_TO rows at most), or, for a bigger one, no import of the source
    ever finished (`imported` False): they are that unfinished import's own books (stopped, and run again).
    `merged_in` (_Taking.merged_in): of the rows the reader merged into a book, by line, whether `--update`
    has news of them (its edition's record), already asked."""
    merged_in = merged_in or {}
    if source is None or any(merged_in.values()):
        return False
    if len(held) > LEFT_CHECKED_UP_TO:
        return not imported
    left = [row for row in held if row.placed is None and row.line not in merged_in]
    return not _unlike(journal, index, left, source, 1, theirs_only=False)


# A file of fewer rows than the library's export over this is a few rows (made by hand, picked out), not an
# export of the library: it never becomes the source's last export, nor is an export compared with it.
FEW_ROWS = 10


def few_rows(rows: object, other: object) -> bool:
    """Whether a file of `rows` rows is a few rows beside one of `other` (rows unknown: not)."""
    if not isinstance(rows, int) or not isinstance(other, int) or isinstance(rows, bool):
        return False
    return rows * FEW_ROWS < other


def record_import(root: Path, source: str, path: Path, latest: date, rows: int | None = None) -> None:
    """Remember this import for the next one: the latest date inside it, when, which file, and how many
    rows; an older export's import leaves the record of the newer one as it was (the date never goes back).
    The record is the library's export's: a file of a few rows beside it (`few_rows`) leaves it too, and a
    whole export takes the place of a few rows recorded, whatever their date."""
    imports = last_imports(root)
    record = imports.get(source, {})
    previous = record.get("latest")
    if few_rows(rows, record.get("rows")):
        return  # a few rows beside the library's export: that export stays the last one
    if isinstance(previous, date) and previous > latest and not few_rows(record.get("rows"), rows):
        return  # an older export (applied with --force, or changing nothing): the newer one's record stays
    imports[source] = {"latest": latest, "imported": date.today(), "file": path.name}
    if rows is not None:
        imports[source]["rows"] = rows
    atomic_write(root / IMPORTS_FILE, imports_text(imports), private=False)


def imports_text(imports: dict[str, dict[str, object]]) -> str:
    """imports.toml's text: each source's record, by name."""
    from readlog import tomlwrite

    # (tomlwrite, not tomlkit: the same text, without tomlkit's import at the end of every import)
    text = tomlwrite.dumps({name: imports[name] for name in sorted(imports)})
    return "# What each source's last import held (readlog writes this: an older export is refused)\n" + text


def merged_imports(ours: dict[str, Any], theirs: dict[str, Any]) -> dict[str, dict[str, object]]:
    """imports.toml as two devices left it, joined for `sync` (its merge driver): each source's record from
    the side that has it, and where both have one that differ, the one `record_import` keeps: the library's
    export over a few rows beside it, else the newer export (its latest date, then when it was imported).
    Never a conflict: whichever record stays only guards against an older export, which `--force` applies."""
    joined: dict[str, dict[str, object]] = {}
    for source in sorted({*ours, *theirs}):
        mine, other = ours.get(source), theirs.get(source)
        if not isinstance(mine, dict) or not isinstance(other, dict):
            kept = mine if isinstance(mine, dict) else other
            if isinstance(kept, dict):
                joined[source] = kept
            continue
        joined[source] = other if newer_import(other, mine) else mine
    return joined


def restore_imports(root: Path, carried: dict[str, dict[str, object]]) -> None:
    """A JSON backup's imports.toml records (`carried`) joined to the journal's, as a sync joins two devices'
    (merged_imports: the newer record of each source): what a restored journal refuses as older."""
    imports = last_imports(root)
    joined = merged_imports(imports, carried)
    if joined != imports:
        atomic_write(root / IMPORTS_FILE, imports_text(joined), private=False)


def newer_import(record: dict[str, Any], other: dict[str, Any]) -> bool:
    """Whether imports.toml's `record` of a source is of a newer import than `other` (`record_import`'s
    rule: the library's export over a few rows beside it, else the newer export: its latest date, then
    when it was imported); False when neither is (the same export, imported on one day)."""

    def rank(record: dict[str, Any], other: dict[str, Any]) -> tuple[bool, str, str]:
        return (
            not few_rows(record.get("rows"), other.get("rows")),
            str(record.get("latest", "")),
            str(record.get("imported", "")),
        )

    return rank(record, other) > rank(other, record)


def _of_the_library(journal: Journal, source: str, importer: Importer, rows: int) -> bool:
    """Is this file an export of the library (its to-read queue the whole queue), not a rejects file nor a
    few rows made by hand or picked out (`few_rows` beside the last export)? A few rows change only their own
    books: the queue positions of the books they do not name stay."""
    if importer.rejects_file:
        return False
    return not few_rows(rows, last_imports(journal.root).get(source, {}).get("rows"))


def _leave_queue(
    journal: Journal, index: Index, source: str, touched: set[str], dry_run: bool, report: ImportReport
) -> None:
    """After `--update`, the to-read positions are exactly the export's: a book it no longer lists keeps its
    status (`want`) and loses the position the last import gave it; a position set in readlog stays."""
    from readlog.importers.merge import clear_imported_priority

    waiting = _queued_besides(index, touched)
    dropped = report.dropped_positions  # (no row of the export: in no count of its rows, said on their own)
    for slug, title in waiting:
        if _merge(journal, slug, functools.partial(clear_imported_priority, source=source), dry_run):
            dropped.append((slug, title))
    if dropped:
        n = len(dropped)
        report.changes.append(
            f"{n} book{'s' if n > 1 else ''} no longer in the export's to-read queue: "
            f"{'their positions' if n > 1 else 'its position'} {would(dry_run)}dropped (still want): "
            + _named([title for _, title in dropped])
        )


def _queued_besides(index: Index, named: set[str]) -> list[tuple[str, str]]:
    """The wanted books with a to-read position that are not among `named` (slugs), as (slug, title)."""
    return [(s.slug, s.title) for s in index.wanted() if s.priority is not None and s.slug not in named]


def _positions_dropped(journal: Journal, index: Index, source: str, named: set[str]) -> list[str]:
    """The titles of the wanted books not among `named` whose to-read position the last import of `source`
    gave them (and the reader has not changed since): what `_leave_queue` drops; nothing is written."""
    from readlog.importers.merge import clear_imported_priority

    found = []
    for slug, title in _queued_besides(index, named):
        try:
            book = journal.load(slug).book
        except ReadlogError:  # (a broken file is said by the import itself)
            continue
        if clear_imported_priority(book, source):  # (on the book as read, never written)
            found.append(title)
    return found


def _found_by(row: _Held, merged_in: bool) -> str:
    """What found the book a row was written to, of another title (review 31a F8)."""
    if merged_in:
        return "the book its row was merged into (`readlog merge`)"
    return "the book holding its ISBN or id" if id_keys(row.keys) else "the book holding its record"


def _new_edition(index: Index, slug: str, keys: list[str]) -> bool:
    """Does the book whose identity.book_keys are `keys` bring a source id the matched book lacks (another
    edition of the work, from the same kind of export)? Then a plain re-run merges it rather than skipping
    it. (The index knows every book's keys: no file is read, and the row's book is not made.)"""
    return any(index.slug_for_key(key) != slug for key in source_ids(keys))


def _holding(index: Index, key: str, isbn: bool) -> list[str]:
    """The books holding `key`: for an ISBN, up to two (which one is a question when two do); for a source
    id, the one (the service's record of one book)."""
    if isbn:
        return index.slugs_for_key(key)
    slug = index.slug_for_key(key)
    return [slug] if slug else []


def _titled_as(title: str, authors: list[str], holder: Candidate) -> bool:
    """Is `holder` (one of the books holding a row's ISBN) surely the row's book by its title and authors?"""
    return same_work(Work.named(title, authors), Work.named(holder.title, holder.authors)) is Same.SURE


def _isbn_titled_elsewhere(index: Index, title: str, authors: list[str], key: str) -> bool:
    """Is the one journal book holding a row's ISBN `key` not the row's title, while another journal book
    surely is (identity.isbn_titled_elsewhere)? Then the row is a maybe of both."""
    holders = index.with_key(key)
    if len(holders) != 1 or _titled_as(title, authors, holders[0]):
        return False
    holder = holders[0]
    titled = [
        Work.named(c.title, c.authors, c.series)
        for c in index.candidates_like(title)
        if c.slug != holder.slug
    ]
    return isbn_titled_elsewhere(
        Work.named(title, authors), Work.named(holder.title, holder.authors, holder.series), titled
    )


def _isbn_of_another_title(index: Index, title: str, key: str) -> bool:
    """Is the one journal book holding a row's ISBN `key` titled otherwise than the row (identity.by_id: an
    omnibus's ISBN, *Summer* with the ISBN of the journal's *Ethan Frome*), holding it as its own? Then the
    row is a maybe of it, kept as its own book. An ISBN the book holds as another edition's, one a merge or
    an import joined to it, is its (_joined_isbn)."""
    holders = index.with_key(key)
    if len(holders) != 1 or by_id(Work(title), Work(holders[0].title), key) is Same.SURE:
        return False
    return not _joined_isbn(index, holders[0], key)


def _joined_isbn(index: Index, holder: Candidate, key: str) -> bool:
    """Does `holder` hold the ISBN `key` as another edition's (one a `readlog merge` or an import joined to
    it: under a source table's `editions`, or its `isbns`), not as its own `isbn`? Then the reader (or an
    import sure of it) made that edition part of this book: a row with it is this book, whatever volume its
    title names (*Saga, Vol. 2*, merged into *Saga, Vol. 1*, found there again)."""
    summary = index.by_slugs([holder.slug]).get(holder.slug)
    return summary is not None and (summary.isbn is None or key != isbn_key(summary.isbn))


# What _match answers for a row whose record (merge.records_row) several journal books hold: one of them
# is its book, which one is not known; the row is left out, naming them (never added once more).
HELD_APART = ""


class _Holds(Protocol):
    """_Taking._of_record's answer: whether the journal book `slug` holds the row's record."""

    def __call__(self, slug: str, surely: bool = False) -> Same: ...


def _match(
    index: Index,
    title: str,
    authors: list[str],
    new_keys: dict[str, str],
    landed: _Landed | None,
    keys: list[str],
    work: Work | None = None,
    stem: str | None = None,
    ties: frozenset[str] | None = None,
    new_titles: dict[str, str] | None = None,
    subtitles: set[str] | None = None,
    parks: bool = True,
    written: Callable[[str], bool] | None = None,
    of_record: _Holds | None = None,
    titled_record: Callable[[str], bool] | None = None,
) -> tuple[str | None, list[str]]:
    """The journal book this row (titled `title` by `authors`, identity.book_keys `keys`) is surely
    (identity.same_work: a shared id first, then the title and authors), and the books it only maybe is (it
    is then kept as its own book: the caller does not guess). With `landed` (an import into an empty
    journal), the index's books are exactly the ones it holds: asked there, not in SQL (the same answers).
    `work`, `stem`, `ties`: its Work.named, title_stem and title_ties, when known already. A book that
    shares an ISBN with a row whose title names another volume (identity.by_id) is no match: then the row
    is kept as its own book, naming it (`new_titles`: the titles of this import's own added books that
    name a place). `subtitles`: the journal's subtitle keys (Index.subtitle_keys), when the caller holds
    them: asked in memory.
    `written(slug)`: whether the row's source wrote to that book before (identity.nearest_sure: of true
    duplicates, the copy an earlier import of it kept apart).
    `of_record(slug)`: whether that journal book holds this source's own record of the row (its provenance,
    merge.records_row; SURE: a dated reading of the row in it too): then it is the row's book whatever its
    authors now say, when the record names the row's authors (identity.recorded_as); a record from before
    readlog kept them counts where the authors say nothing against it (an authorless book), and for a near
    spelling of them (identity.respelled) as a maybe at most, named; never true of a book the source gave
    another id of its own (identity.ids_apart). Of several books the row surely is, the one holding its
    record; several surely holding it (a parked row's own book beside the book it was parked from, the
    reader's change undone since): HELD_APART, naming them, never one more copy of it per import (try-out
    28b #1); several that only may (on its Date Added alone): a maybe, its own book (review 28c #1).
    `titled_record(slug)`: whether that journal book keeps this source's record of a row of the row's title
    (_Taking._records_title): then the one book holding its ISBN is its, whatever that book is titled now."""
    placed_row: bool | None = None  # (its title names a place: only then can an ISBN name another book)
    other: list[str] = []  # journal books sharing an ISBN with the row, whose titles name another volume
    # Into an empty journal, every key the index holds of an id or ISBN is in new_keys already: a row none of
    # whose keys this import's own books hold (most rows) has no book to look up by its keys.
    by_keys = landed is None or not new_keys.keys().isdisjoint(keys)
    for prefix_isbn in (False, True) if by_keys else ():
        for key in keys:
            if key.startswith("isbn:") == prefix_isbn and not key.startswith(VOLUME_KEY):
                mine = new_keys.get(key)
                holding = [mine] if mine else [] if landed is not None else _holding(index, key, prefix_isbn)
                if not holding:
                    continue
                slug = holding[0]
                if prefix_isbn:  # (a source id is the service's record of the book: identity.by_id)
                    placed_row = names_a_place(title) if placed_row is None else placed_row
                if not prefix_isbn:
                    return slug, []
                if not placed_row and len(holding) == 1:
                    if mine:
                        return slug, []
                    if _isbn_of_another_title(index, title, key) and not (
                        titled_record and titled_record(slug)
                    ):
                        other.append(f"{slug} (its ISBN, another title)")
                        continue
                    if not _isbn_titled_elsewhere(index, title, authors, key):
                        return slug, []
                    other.append(f"{slug} (its ISBN)")  # (and the book of its title, found below)
                    continue
                if not placed_row:  # two books hold its ISBN: the one of its title, else a maybe (no guess)
                    holders = index.with_key(key)
                    same = [h.slug for h in holders if _titled_as(title, authors, h)]
                    if len(same) == 1:
                        return same[0], []
                    other += [f"{h.slug} (its ISBN)" for h in holders]
                    continue
                if mine:
                    named = (new_titles or {}).get(mine)
                    if named is None or by_id(Work(title), Work(named), key) is Same.SURE:
                        return mine, []
                    if landed is not None:
                        continue
                holders = index.with_key(key)  # every book holding the ISBN: one of the same volume wins,
                for holder in holders:
                    if by_id(Work(title), Work(holder.title), key) is Same.SURE:
                        return holder.slug, []
                joined = [h.slug for h in holders if _joined_isbn(index, h, key)]
                if len(joined) == 1:  # else the one holding it as a joined edition's (a merge made it so)
                    return joined[0], []
                merged = [h.slug for h in holders if titled_record and titled_record(h.slug)]
                if len(merged) == 1:  # or its record, of its title (merged in: one ISBN, two volumes)
                    return merged[0], []
                other += [f"{h.slug} (its ISBN, another volume)" for h in holders]
    sure: list[Candidate] = []
    maybe: list[str] = []
    # Only the books tied to its title (identity.title_ties; a book's series too, book_ties: neither side
    # holds an id here, so same_work answers NO of every other book like it)
    if ties is None:
        ties = title_ties(title)
    if landed is not None:
        candidates = landed.like(title, stem, ties)
    else:  # those titled like it, and those whose subtitle is its title or whose title is its subtitle
        candidates = index.candidates_like(title)
        subtitled, prefixes = subtitle_lookups(title)  # (identity.same_work answers MAYBE of such a pair)
        if subtitles is not None:  # (most rows: a title no book has as its subtitle, asked in memory)
            subtitled = [key for key in subtitled if key in subtitles]
        also = [c for key in subtitled for c in index.with_key(key)]
        also += index.candidates_starting(prefixes) if prefixes else []
        if also:
            found = {c.slug: c for c in candidates}
            candidates = list({**found, **{c.slug: c for c in also if c.slug not in found}}.values())
    placed = None  # (whether the row names a place in a series: then a journal book's own places matter)
    recorded: list[str] = []  # books its title and authors are not surely, holding the source's record of it
    spelled: dict[str, str] = {}  # maybes by a name the row spells another way: named with their authors
    for candidate in candidates:
        if landed is None and ties.isdisjoint(book_ties(candidate.title, candidate.series)):
            continue
        if work is None:  # (made for the first book tied to it: most rows have none)
            work = Work.of_row(title, authors, keys)
        answer = same_work(work, Work.named(candidate.title, candidate.authors, candidate.series))
        if answer is not Same.NO and landed is None and not candidate.series:
            placed = has_volumes(work) if placed is None else placed
            if placed:  # the journal book's places, as the index keeps them (its `vol:` keys)
                theirs = Work.of_row(candidate.title, candidate.authors, index.keys_of(candidate.slug))
                answer = same_work(work, theirs)
        if answer is Same.SURE and parks and authors_one_sided(authors, candidate.authors):
            # (a row with no author is not surely someone's book by its title alone, nor an authored row an
            # authorless book's: rows_one_book's rule against the journal too, so neither the file's order
            # nor the imports' decides whose book it is; `parks`: the import keeps a maybe as its own book;
            # a quotes-only source has only titles to go by) Unless the book holds this source's own
            # record of the row: the book that row made, the reader having given it an author since.
            if of_record is None or of_record(candidate.slug) is Same.NO:
                answer = Same.MAYBE
        elif (
            answer is not Same.SURE
            and of_record is not None
            and (answer is Same.MAYBE or not authors_agree(authors, candidate.authors))
        ):  # (its record of the row and a reading of it decide, by the row's authors it names: _of_record;
            # one person's other work of a title like it is not asked)
            held = of_record(candidate.slug)
            if held is Same.SURE:
                recorded.append(candidate.slug)  # (the row's book, its authors since changed: below)
            elif held is Same.MAYBE:
                answer = Same.MAYBE
        if answer is Same.SURE:
            sure.append(candidate)
        elif answer is Same.MAYBE:
            maybe.append(candidate.slug)
            if authors and candidate.authors and not authors_agree(authors, candidate.authors):
                spelled[candidate.slug] = f"{candidate.slug} (by {', '.join(candidate.authors)})"
    if not sure and not maybe and not other and not recorded:  # (most rows: no book like it at all)
        return None, []
    if not sure and not other and len(recorded) == 1:
        return recorded[0], []  # the book that row made, whatever its authors say now (another spelling)
    maybe += [slug for slug in recorded if slug not in maybe]  # (two such: never guessed, named)
    near = nearest_sure(title, authors, sure, written) if not other else sure
    if len(near) > 1 and of_record is not None and not other:  # (the one of them holding its record)
        near = [c for c in near if of_record(c.slug) is not Same.NO] or near
    if len(near) == 1 and not other:
        return near[0].slug, []
    # several sure: the journal holds a duplicate; never guess between them (nor between an id and a title)
    maybes = list(dict.fromkeys(other)) + [c.slug for c in sure] + [spelled.get(s, s) for s in maybe]
    if of_record is not None and not other:
        holding = [s for s in [c.slug for c in sure] + maybe if of_record(s, surely=True) is not Same.NO]
        if len(holding) > 1:  # its book is in the journal already, twice: never one more copy per import
            return HELD_APART, maybes
    return None, maybes


def _apply(
    merger: Callable[[Book, Book, str | None, list[str]], bool],
    book: Book,
    *,
    incoming: Book,
    source: str | None,
    kept: list[str],
    into: list[Work] | None = None,
) -> bool:
    if into is not None:  # (with its places: KOReader's *Saga* at #2 is the row *Saga, Vol. 2*'s title)
        into.append(Work.named(book.title, book.authors, series_pairs(book.series)))
    return merger(book, incoming, source, kept)


def would(dry_run: bool) -> str:
    return "would be " if dry_run else ""


def _merge(journal: Journal, slug: str, change: Callable[[Book], bool], dry_run: bool) -> bool:
    """Apply `change` to the book `slug` (only in memory on a dry run); True if it changed anything."""
    if dry_run:
        return change(journal.load(slug).book)
    changed = [False]

    def apply(book: Book) -> None:
        changed[0] = change(book)

    journal.modify(slug, apply)
    return changed[0]


def check_rejects_target(path: Path, force: bool = False, reads: Sequence[Path] = ()) -> None:
    """Refuse a --rejects file before anything is imported: never over an existing file unless `force`;
    never a file this run reads (`reads`: the export, or a highlights folder and all in it; the journal's
    folder), even with `force`; never a place it cannot write (tried: a file made there and removed)."""
    if path.is_dir():
        raise ReadlogError(f"--rejects: {path} is a folder: give a file name")
    target = path.resolve()
    for read in reads:
        if _same_or_within(target, path, read):
            raise ReadlogError(
                f"--rejects: {path} is {'the file' if read.is_file() else 'within ' + str(read) + ', which'} "
                "this import reads: give another file name"
            )
    if path.exists() and not force:
        raise ReadlogError(f"--rejects: {path} already exists: use --force to overwrite it")
    probe = path.with_name(f".{path.name}.{os.urandom(4).hex()}.tmp")
    try:
        os.close(os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        os.unlink(probe)
    except OSError as error:
        raise ReadlogError(f"--rejects: cannot write {path}: {error.strerror}") from None


def _same_or_within(target: Path, given: Path, read: Path) -> bool:
    """Whether the --rejects file (`target` resolved, `given` as typed) is the file `read` or lies within
    the folder `read` (a second name for the same file counts: a link)."""
    with contextlib.suppress(OSError):
        if given.exists() and read.is_file() and os.path.samefile(given, read):
            return True
    where = read.resolve()
    return target == where or (read.is_dir() and target.is_relative_to(where))


def write_rejects(report: ImportReport, path: Path, force: bool = False) -> None:
    """The rows that could not be imported, as a CSV of the export's own columns after `line` and `reason`;
    importing the fixed file drops those two columns again. Never over an existing file unless `force`."""
    check_rejects_target(path, force)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["line", "reason", *report.header])
    for reject in report.rejected:
        writer.writerow([reject.line, reject.reason, *reject.row])
    atomic_write(path, out.getvalue(), private=False)
