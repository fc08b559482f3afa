"""The importer contract: what every format (CSV, JSON, highlights) gives the import pipeline.

An importer is a small class on the registry (`importers.registry`):
- `name`: what `--from` takes; `label`: how messages name the format; `source`: the `[source.<name>]` table
  its books carry (None for readlog's own JSON, whose books are readlog's);
- `sniff(head, filename) -> bool`: is this file mine? told from the first bytes (never the name alone);
- `read(path) -> Iterator[Row | Reject | Note]`: every book the file holds (with the line or item it came
  from), every part that could not be read (a Reject: where and why), and notes on parts deliberately left
  out. A file that is not this format at all raises
  ReadlogError (one clear line); nothing is written then.
- `adds_books`: False for a source that only brings quotes or notes for books already in the journal (e-reader
  highlights): its books are matched, merged, and never created; unmatched ones come back as rejects.
- `check_first(path) -> bool`: read and check the whole file now, raising every error it has, so that the
  shared pipeline may then write each row `read` gives as it comes (into an empty journal: import_rows);
  False (the default) when the importer cannot (its `read` raises as it goes).
- `run(journal, path, options) -> ImportReport`: the import itself. The default hands `read`'s rows to the
  shared pipeline (matching, merging, writing); a format whose records are not books overrides it (e-reader
  highlights apply quotes through their own policy, importers/highlights.py).
- `folders`: glob patterns of this format's files inside a folder (a device, a backup); a folder given to
  `readlog import` is read by `for_folder(the registry's importers that have patterns)`.

Built-in importers register exactly as a third-party one would: `register(MyImporter)`, or from another
package, an entry point in the `readlog.importers` group (see `importers.REGISTRY`).
"""

from __future__ import annotations

import csv
import io
import itertools
import os
from abc import ABC, abstractmethod
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from readlog.errors import InvalidValue, ReadlogError
from readlog.importers.common import RowError, csv_problem, looks_like_spreadsheet_date
from readlog.model import Book, checked_book, plain_checked
from readlog.text import composed, decode_lines, fallback_message

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor

    from readlog.files import BulkWriter, Written
    from readlog.highlights.apply import Choose
    from readlog.importers import ImportReport, Known
    from readlog.index import Rows
    from readlog.journal import Journal

HEAD_BYTES = 65536  # what `sniff` is shown of a file


@dataclass
class Reject:
    """A part of the file that could not be imported: its line (or item number), why, and its cells."""

    line: int
    reason: str
    row: list[str]


@dataclass
class Row:
    """A book read from the file, and the line (or item number) it starts at."""

    line: int
    book: Book
    slug: str | None = None  # a wished-for slug (readlog JSON), honoured when free
    lines: list[int] = field(default_factory=list)  # every line that went into it (editions of one work)
    made: Made | None = None  # what a worker process prepared beside the book (a big export: see Made)


class Packed:
    """The books of a chunk of rows a worker process parsed, pickled together there and sent as one blob
    when the import will need most of them whole (`Importer.books_wanted`: an --update merges every row it
    matches): unpickled, all at once, the first time one of them is asked for."""

    __slots__ = ("data", "books")

    def __init__(self, data: bytes):
        self.data = data
        self.books: list[Book] | None = None

    def book(self, at: int) -> Book:
        if self.books is None:
            from readlog.packed import unpack

            self.books, self.data = unpack(self.data), b""
        return self.books[at]


class PreparedRow(Row):
    """A row a worker process parsed and prepared (`Made`: its file text and index rows), sent back without
    its book: what a big import's main process reads of the common row comes beside it, the title, authors
    and year (to match it and name its file) and its identity.book_keys; it writes the text the worker made.
    The rare row whose book is needed whole (editions joined, a new edition merged) has it made again here,
    from the row's cells (`origin`, which the main process holds anyway), by the very code the worker ran:
    `parse_one`, then `settle_readings` as `prepare` did. So no book becomes an object in the main process
    unless it is needed, and the workers do not pickle every book for the few that are (a twentieth of
    their time, and a quarter of the bytes they send back). When most are needed (`Importer.books_wanted`),
    the books come too, pickled together (`pack`, the row's at `at`): unpickling them costs less than
    parsing them again."""

    def __init__(
        self,
        line: int,
        title: str,
        authors: list[str],
        year: int | None,
        keys: list[str],
        made: Made,
        pack: Packed | None = None,
        at: int = 0,
        known: Known | None = None,
    ):
        self.line, self.slug, self.lines, self.made = line, None, [], made
        self.title, self.authors, self.year, self.keys = title, authors, year, keys
        self.pack, self.at = pack, at
        self.known = known  # importers.row_known of its title and keys, made by the worker too
        self.origin: tuple[CsvImporter, list[str], list[str]] | None = None  # importer, header, cells
        self._book: Book | None = None

    @property
    def book(self) -> Book:
        if self._book is None:
            self._book = self.pack.book(self.at) if self.pack is not None else self._made_again()
        return self._book

    @book.setter
    def book(self, book: Book) -> None:
        self._book = book

    def _made_again(self) -> Book:
        if self.origin is None:  # pragma: no cover - the main process gives every row its origin
            raise AssertionError("a prepared row without its cells")
        importer, header, cells = self.origin
        parsed = importer.parse_one(self.line, cells, header)
        if not isinstance(parsed, Row):  # pragma: no cover - the same code gave a book in the worker
            raise AssertionError(f"line {self.line}: parsed as a book in a worker, not here")
        from readlog.importers.merge import settle_readings

        settle_readings(parsed.book, importer.source)
        return parsed.book

    def __reduce__(self) -> tuple[object, ...]:
        # (sent back without its origin: the main process has the cells; its book only in its chunk's blob)
        return PreparedRow, (
            self.line,
            self.title,
            self.authors,
            self.year,
            self.keys,
            self.made,
            self.pack,
            self.at,
            self.known,
        )


@dataclass
class Made:
    """What the worker process that parsed a row of a big export also did for the shared pipeline (see
    `importers.prepare`), so the book is not sent to a worker a second time to be formatted: the latest date
    the row holds, the readings it fixed (the warnings, in order), and the book's file text and index rows as
    the import adds it (with its provenance). Used only if the book is added as it was parsed (not joined
    with another edition)."""

    latest: date | None
    problems: list[str]
    text: str | bytes | Written  # bytes: encoded as UTF-8 by the worker; Written: in a temp file by it
    rows: Rows | bytes  # bytes: packed by the worker (index.rows.pack_rows), unpacked only where recorded

    def __reduce__(self) -> tuple[type[Made], tuple[object, ...]]:
        # (sent back by a worker for every row: its four values alone, not a dict of them with their names,
        # which cost a fifth more to pickle there and a quarter more to unpickle in the main process)
        return Made, (self.latest, self.problems, self.text, self.rows)


@dataclass
class Note:
    """Something the reader should know about a part of the file that was deliberately left out or changed."""

    line: int  # 0: the file as a whole
    message: str


@dataclass
class ImportOptions:
    """What `readlog import` was asked, beyond the file and its format."""

    dry_run: bool = False
    update: bool = False  # bring in what changed in the export (row formats)
    progress: Callable[[int, int], None] | None = None
    create: str | None = None  # books that highlights name but the journal lacks: want|reading|read|none
    force: bool = False  # apply an export older than the last one imported from its source
    # On a terminal: which journal book a book of the file that may be one is (highlights.apply.Choose)
    choose: Choose | None = None
    # When this import began (a time.time()), before any worker of it wrote: a temp file in the journal
    # last written before then is an interrupted write's, never this import's (_import_rows clears them)
    started: float | None = None


class SkipRow(Exception):
    """A row that is deliberately not imported (a book deleted in the source app): a note, not a reject."""


class Importer(ABC):
    name: ClassVar[str]
    label: ClassVar[str]
    source: ClassVar[str | None] = None
    adds_books: ClassVar[bool] = True
    folders: ClassVar[tuple[str, ...]] = ()  # glob patterns of this format's files inside a folder
    # Whether each row is a book of its own, never one another row of the file made (a readlog backup: the
    # journal held them as two books, whatever ISBN or title they share): a restore never drops a book.
    rows_are_books: ClassVar[bool] = False

    def __init__(self) -> None:
        self.header: list[str] = []  # the columns a --rejects file repeats
        # Whether the import will need most rows' books whole (an --update merges each row it matches with
        # the journal's book): a big export's parsing workers then send the books back too (PreparedRow).
        self.books_wanted = False
        # Set by the shared pipeline when it writes each row as it comes (an import into an empty journal,
        # importers.import_rows, after `check_first`): the books folder, where a big export's parsing
        # workers then write each prepared book's file text to a temp file (files.Written).
        self.streaming: str | None = None
        self.expected: int | None = None  # the rows `read` gives, once known (`check_first`: a progress bar)
        # A `--rejects` file readlog wrote (its first columns `line`, `reason`), read: a few of an export's
        # rows, fixed by hand, whose age says nothing of the export's (never refused as older).
        self.rejects_file = False
        # `import --encoding NAME`: what the cells of a delimited file that are not UTF-8 are in (else told).
        self.encoding: str | None = None

    @classmethod
    @abstractmethod
    def sniff(cls, head: bytes, filename: str) -> bool:
        """Whether a file is this format, told from its first bytes (and its name, as a last hint)."""

    @abstractmethod
    def read(self, path: Path) -> Iterator[Row | Reject | Note]:
        """The file's books as rows, what could not be read as rejects with a line, and notes."""

    def run(self, journal: Journal, path: Path, options: ImportOptions) -> ImportReport:
        """Import the file into the journal: by default `read`'s rows through the shared pipeline."""
        from readlog.importers import import_rows

        return import_rows(journal, path, self, options)

    def check_first(self, path: Path) -> bool:
        """Read and check the whole file now, raising every error it has (a file that is not this format,
        not valid CSV...), so that `read(path)` then only gives what was read here, raising nothing more:
        the shared pipeline may write its rows as they come, since no file refused half way has written
        any. False when this importer cannot (the default): its `read` raises as it goes. What it holds for
        `read` may include work begun already (a big export's first rows, parsing in worker processes while
        the rest is checked): `let_go` ends it when `read` never comes."""
        return False

    def let_go(self) -> None:
        """What `check_first` holds for `read` let go, if `read` never took it (an import stopped between the
        two: an error, a signal): the worker processes it started, stopped. (Nothing, by default.)"""
        return None

    def prepared_in_workers(self, path: Path) -> bool:
        """Whether the worker processes that parse a big export of `path` also prepare each book (its file
        text and index rows, `importers.prepare`): when the shared pipeline adds the books (`run` as it is,
        `adds_books`) and the export is not held compact while it is read (importers._Held keeps no
        prepared text then)."""
        from readlog.importers import COMPACT_FROM

        return type(self).run is Importer.run and self.adds_books and path.stat().st_size <= COMPACT_FROM

    @classmethod
    def for_folder(cls, readers: Iterable[type[Importer]]) -> Importer:
        """The importer for a folder holding files of these formats (each has `folders` patterns)."""
        raise ReadlogError(f"{cls.label} does not read folders: give the export file")


def read_bytes(path: Path) -> bytes:
    try:
        raw = path.read_bytes()
    except IsADirectoryError:
        raise ReadlogError(f"{path} is a folder: give the export file") from None
    except OSError as error:
        raise ReadlogError(f"cannot read {path}: {error.strerror}") from None
    if not raw.strip():
        raise ReadlogError(f"{path} is empty: export your library again")
    if b"\x00" in raw[:HEAD_BYTES] and not raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ReadlogError(
            f"{path} is a binary file, not a CSV export (a spreadsheet's .xlsx? export as CSV)"
        )
    return raw


def decode(raw: bytes, path: Path) -> str:
    """UTF-8 (a BOM tolerated) or UTF-16 with a BOM: the whole file, or one clear error."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return composed(raw.decode("utf-16"))
    try:
        return composed(raw.decode("utf-8").removeprefix("\ufeff"))  # (NFC: text.composed)
    except UnicodeDecodeError as error:
        raise ReadlogError(
            f"{path} is not UTF-8 (bad byte at offset {error.start}): a spreadsheet may have re-saved it "
            "as Latin-1; import the original export, or save it as UTF-8 CSV"
        ) from None


def head_text(head: bytes) -> str:
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return head.decode("utf-16", errors="replace")
    return head.decode("utf-8", errors="replace").removeprefix("\ufeff")


def csv_lines(text: str) -> Iterator[str]:
    """The lines of `text` as `io.StringIO(text, newline="")` gives them (split after \\n, \\r\\n or a
    lone \\r, nothing translated), without its copy of the whole text at four bytes a character (400 MB
    for a 100,000-book export)."""
    start, size = 0, len(text)
    while start < size:
        newline = text.find("\n", start)
        ret = text.find("\r", start, newline if newline >= 0 else size)
        if ret >= 0 and ret + 1 != newline:  # a lone \r ends this line
            end = ret + 1
        elif newline >= 0:
            end = newline + 1
        else:
            end = size
        yield text[start:end]
        start = end


def first_row(head: bytes, delimiter: str = ",") -> list[str]:
    """The header row of a delimited file from its first bytes ([] if there is none)."""
    text = head_text(head)
    try:
        row = next(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, skipinitialspace=True))
    except (StopIteration, csv.Error):
        return []
    return [clean_header(cell) for cell in row]


def clean_header(cell: str) -> str:
    """`'TITLE'` (LibraryThing's quoted names) -> `TITLE`; spaces trimmed."""
    cell = cell.strip()
    if len(cell) >= 2 and cell[0] == cell[-1] == "'":
        cell = cell[1:-1].strip()
    return cell


# Columns a `--rejects` file adds in front of the export's own: dropped when that file is imported again.
REJECT_COLUMNS = ("line", "reason")


class CsvImporter(Importer):
    """A delimited export with a header row; one row is one book (rows of one work are joined later)."""

    required: ClassVar[tuple[str, ...]] = ()
    # What `check_first` read: the file, the decoding's fallback lines, the header, the rows' cells not
    # handed out yet, the size, and the workers parsing the first rows meanwhile (_Ahead; None: none).
    _checked: (
        tuple[Path, str, list[str], Iterator[tuple[int, list[str]] | Reject], int, _Ahead | None] | None
    ) = None
    delimiter: ClassVar[str] = ","
    dates_column: ClassVar[str | None] = None  # a column whose first values tell a spreadsheet re-save
    # Whether `parse_row` makes every book afresh (no value of it shared with another row or kept by the
    # importer): its book is then checked by `model.plain_checked`, kept as it is when it is already what
    # readlog's checks give back (almost every row), else checked in full: the same book, or reject,
    # either way. Otherwise (a plugin's, say) every book takes the checks' round trip, a new Book.
    fresh_books: ClassVar[bool] = False

    @classmethod
    def sniff(cls, head: bytes, filename: str) -> bool:
        header = first_row(head, cls.delimiter)
        return bool(header) and cls.matches(set(header))

    @classmethod
    def matches(cls, names: set[str]) -> bool:
        return set(cls.required) <= names

    @abstractmethod
    def parse_row(self, cells: dict[str, str]) -> Book:
        """One row of the export, by column name, as a book (RowError for a row that cannot be)."""

    def check_first(self, path: Path) -> bool:
        """The file decoded, its header and every row's cells read (the file's errors raised) now, and
        counted in `expected`; `read` gives the rows of what is held here. A big export's worker processes
        start now, and parse its first rows while the rest is read (_Ahead): they write nothing, so a file
        refused on its last row has still changed nothing on disk."""
        fallback, header, cells, size = self._opened(path)
        ahead = _Ahead(self, header, self.prepared_in_workers(path)) if in_workers(self, size) else None
        try:
            rows = ahead.hand_out(cells) if ahead is not None else []
            rows += cells
        except BaseException:
            if ahead is not None:
                ahead.close()
            raise
        self.expected = len(rows)
        handed = itertools.islice(rows, ahead.handed if ahead is not None else 0, None)
        self._checked = (path, fallback, header, handed, size, ahead)
        return True

    def let_go(self) -> None:
        checked, self._checked = self._checked, None
        if checked is not None and checked[5] is not None:
            checked[5].close()

    def read(self, path: Path) -> Iterator[Row | Reject | Note]:
        checked, self._checked = self._checked, None
        ahead = None
        if checked is not None and checked[0] == path:
            _, fallback, header, cells, size, ahead = checked
        else:
            if checked is not None and checked[5] is not None:  # pragma: no cover - another file checked
                checked[5].close()
            fallback, header, cells, size = self._opened(path)
        if fallback:
            yield Note(0, fallback)  # line 0: the whole file (see Note)
        if in_workers(self, size):
            ready = self.prepared_in_workers(path)
            yield from _parsed_in_workers(self, header, cells, ready, self.streaming, ahead)
            return
        for item in cells:
            yield item if isinstance(item, Reject) else self.parse_one(*item, header)

    def _opened(self, path: Path) -> tuple[str, list[str], Iterator[tuple[int, list[str]] | Reject], int]:
        """The file decoded (what `decode_lines` said of the cells not UTF-8, or ""), its header (also
        `self.header`), its rows' cells to be parsed (read as they are asked for), and its size in
        characters."""
        text, lines, encoding = decode_lines(read_bytes(path), self.delimiter, self.encoding, str(path))
        fallback = fallback_message(lines, encoding) if lines else ""
        reader = csv.reader(csv_lines(text), delimiter=self.delimiter, skipinitialspace=True)
        try:
            header = [clean_header(h) for h in next(reader)]
        except (StopIteration, csv.Error) as error:
            raise ReadlogError(f"{path}: not a CSV file ({error})") from None
        dropped = 2 if tuple(header[:2]) == REJECT_COLUMNS and len(header) > 2 else 0
        header = header[dropped:]
        self.header, self.rejects_file = header, dropped > 0
        missing = [c for c in self.required if c not in header]
        if missing:
            raise ReadlogError(f"{path}: not a {self.label} export: no {', '.join(missing)} column")
        return fallback, header, self._cells(path, reader, header, dropped), len(text)

    def parse_one(self, line: int, row: list[str], header: list[str]) -> Row | Reject | Note:
        """One row (its cells in the header's order) as a book, a reject, or a note: in this process, or
        in a worker process for a big export."""
        try:
            book = self.parse_row(dict(zip(header, row, strict=True)))
            # every field through readlog's own checks (book_from_dict), the round trip spared where it
            # would give the same book (`fresh_books`)
            book = plain_checked(book) if self.fresh_books else checked_book(book)
        except (RowError, InvalidValue) as error:
            return Reject(line, str(error), row)
        except SkipRow as skip:
            return Note(line, str(skip))
        return Row(line, book)

    def _cells(
        self, path: Path, reader: Iterator[list[str]], header: list[str], dropped: int
    ) -> Iterator[tuple[int, list[str]] | Reject]:
        """Each row of the file as (line, cells) to be parsed, or a reject when its fields do not match
        the header; a file re-saved by a spreadsheet, or not CSV at all, is one clear error."""
        checked = rows = ragged = 0
        first_ragged: tuple[int, int] | None = None
        at = header.index(self.dates_column) if self.dates_column in header else -1
        line = reader.line_num  # type: ignore[attr-defined]
        try:
            for raw_row in reader:
                line = reader.line_num  # type: ignore[attr-defined]
                row = [cell.strip(" ") for cell in raw_row[dropped:]]  # an editor's column alignment
                if not any(cell.strip() for cell in row):
                    continue
                rows += 1
                if len(row) != len(header):
                    ragged += 1
                    first_ragged = first_ragged or (line, len(row))
                    yield Reject(line, f"{len(row)} fields where the header has {len(header)}", row)
                    continue
                if at >= 0 and checked < 50:  # a spreadsheet re-save changes every date
                    checked += 1
                    if looks_like_spreadsheet_date(row[at]):
                        raise ReadlogError(
                            f"{path}:{line}: {self.dates_column} {row[at]!r} where "
                            f"{self.label} writes YYYY/MM/DD: this file was re-saved by a spreadsheet, which "
                            "changes dates and ISBNs; import the original export"
                        )
                yield line, row
        except csv.Error as error:  # (the row that failed starts after the last one read)
            raise csv_problem(path, line + 1, reader.line_num, error) from None  # type: ignore[attr-defined]
        if rows and ragged == rows and first_ragged is not None:
            raise ReadlogError(
                f"{path}: every row has a different number of fields from the header ({first_ragged[1]} "
                f"on line {first_ragged[0]}, {len(header)} in the header): not a {self.label} export as "
                "written, or its separators were changed"
            )


# A big export's rows are parsed by worker processes (the second core) while this one reads the file and
# joins the books: from this many bytes of export (about 1,000 Goodreads rows with reviews; below it,
# starting the workers costs more than it saves).
PARALLEL_FROM_BYTES = 1_000_000
CHUNK_ROWS = 250  # rows a worker parses in one go


def in_workers(importer: Importer, size: int) -> bool:
    """Whether to parse an export of `size` characters (or bytes) in worker processes: a big export, more
    than one core, and a built-in format (a plugin's class may not be importable by name in a fresh process:
    it stays in this one)."""
    from readlog import fields
    from readlog.pool import cores

    return (
        size >= PARALLEL_FROM_BYTES
        and cores() >= 2
        and type(importer).__module__.startswith("readlog.importers.")
        and fields.built_in_only()  # a worker knows only model's fields, not one registered from outside
    )


class _Ahead:
    """The worker processes that parse a big export, started while `check_first` reads the whole file, and
    the first chunks handed to them then (`hand_out`: the first `2 x cores`, as many as `_parsed_in_workers`
    keeps in flight), in order: their parsing runs beside the rest of the check (on a second core that was
    idle), not after it. Their rows are parsed and prepared as any other's, with no temp file written
    (`folder` None: the importing process writes those files itself, once it holds the journal's lock), so
    a file the check refuses has changed nothing on disk; `close` stops them."""

    def __init__(self, importer: CsvImporter, header: list[str], ready: bool):
        import copy

        from readlog.pool import IMPORT_PRELOAD, cores, worker_pool

        # The importer as it is now, for those chunks: a pool pickles what it sends later, in a thread of
        # its own, and the check goes on changing the importer meanwhile (what it holds for `read`: this).
        self.importer = copy.copy(importer)
        self.header, self.ready = header, ready
        self.workers = cores()
        self.pool = worker_pool(self.workers, IMPORT_PRELOAD)
        self.pending: deque[Handed] = deque()
        self.handed = 0  # how many of the cells (rows and rejects) went out in those chunks

    def hand_out(
        self, cells: Iterator[tuple[int, list[str]] | Reject]
    ) -> list[tuple[int, list[str]] | Reject]:
        """The first chunks of `cells` handed to the workers, each as soon as it is read; the cells read."""
        read: list[tuple[int, list[str]] | Reject] = []
        while len(self.pending) < 2 * self.workers and (chunk := list(itertools.islice(cells, CHUNK_ROWS))):
            read += chunk
            self.pending.append(_hand(self.pool, self.importer, self.header, chunk, self.ready, None))
        self.handed = len(read)
        return read

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


if TYPE_CHECKING:
    # A chunk of cells handed to a worker (rejects among them stay here), and its parsed rows to come.
    Handed = tuple[list[tuple[int, list[str]] | Reject], Future[list[Row | Reject | Note]]]


def _hand(
    pool: ProcessPoolExecutor,
    importer: CsvImporter,
    header: list[str],
    chunk: list[tuple[int, list[str]] | Reject],
    ready: bool,
    folder: str | None,
) -> Handed:
    from readlog.pool import submit

    rows = [item for item in chunk if not isinstance(item, Reject)]
    return chunk, submit(pool, _parse_chunk, importer, header, rows, ready, folder)


def _parsed_in_workers(
    importer: CsvImporter,
    header: list[str],
    cells: Iterator[tuple[int, list[str]] | Reject],
    ready: bool = False,
    streaming: str | None = None,
    ahead: _Ahead | None = None,
) -> Iterator[Row | Reject | Note]:
    """`parse_one` of every row, by worker processes, yielded in the file's order (the same results as in
    this process: the workers run the very same code). A few chunks in flight per worker, not the whole
    file: a 100,000-row export's cells would otherwise all wait in memory. With `streaming` (the books
    folder: Importer.streaming), each prepared book's file text is written by its worker to a temp file
    there. With `ahead`, the workers were started and handed the first cells during the file's check
    (`cells` is the rest): they go on from there."""
    from readlog.pool import IMPORT_PRELOAD, answer, cores, worker_pool

    workers = cores()
    if ahead is not None:
        pool, pending = ahead.pool, ahead.pending
    else:
        pool, pending = worker_pool(workers, IMPORT_PRELOAD), deque()

    def results(
        chunk: list[tuple[int, list[str]] | Reject], future: Future[list[Row | Reject | Note]]
    ) -> Iterator[Row | Reject | Note]:
        answers = answer(future)
        parsed = iter(answers)
        for item in chunk:
            if isinstance(item, Reject):
                yield item
                continue
            got = next(parsed)
            if isinstance(got, PreparedRow):
                got.origin = (importer, header, item[1])  # (its book, if ever needed, is made from these)
            yield got

    folder = streaming if ready else None
    answered = False
    try:
        while chunk := list(itertools.islice(cells, CHUNK_ROWS)):
            pending.append(_hand(pool, importer, header, chunk, ready, folder))
            if len(pending) > 2 * workers:
                yield from results(*pending.popleft())
        while pending:
            yield from results(*pending.popleft())
        answered = True
    finally:
        # Every chunk answered, the workers are idle: they end on their own while the import goes on to
        # its last files (waiting for them to exit held its end up by some 20 to 70 ms). Stopped on the
        # way, they are stopped and waited for: none writes a temp file after the import's clean-up.
        pool.shutdown(wait=not answered, cancel_futures=True)


def _parse_chunk(
    importer: CsvImporter,
    header: list[str],
    rows: list[tuple[int, list[str]]],
    ready: bool = False,
    folder: str | None = None,
) -> list[Row | Reject | Note]:
    """In a worker process: `parse_one` of each row; `ready` (the shared pipeline will add the books: an
    importer that adds books through it), each book prepared as well (`importers.prepare`: its file text and
    index rows), and sent back as a PreparedRow, without the book; with `folder` (the books folder of an
    import that writes each row as it comes), its file text written to a temp file there (Written), which
    the import puts in place or removes: the file creation, most of an import's system time, is done by
    the workers in parallel instead of by the importing process. The cyclic garbage collector waits until
    the chunk is done: a chunk makes some 40,000 objects that all live until its answer is sent, which the
    collector would otherwise walk through about sixty times, for nothing (a fifth of the chunk's time)."""
    from readlog.pool import collector_paused

    with collector_paused():
        parsed = [importer.parse_one(line, row, header) for line, row in rows]
        if ready:
            from readlog.identity import book_keys
            from readlog.importers import prepare, row_known

            at = [n for n, item in enumerate(parsed) if isinstance(item, Row)]
            books = [parsed[n].book for n in at]  # type: ignore[union-attr]
            keys = [book_keys(book) for book in books]  # (the index rows' too: prepare)
            prepared = prepare(books, importer.source, keys)
            if folder is not None:
                _write_texts(prepared, folder)
            # Each row goes back with what the main process reads of it, and its book's file text and rows
            # (and, when most will be needed, the chunk's books as one blob: Packed).
            blob = None
            if importer.books_wanted:
                from readlog.packed import pack

                blob = Packed(pack(books))
            for k, (n, book, made, its_keys) in enumerate(zip(at, books, prepared, keys, strict=True)):
                title = book.title
                parsed[n] = PreparedRow(
                    parsed[n].line,
                    title,
                    book.authors,
                    book.year,
                    its_keys,
                    made,
                    blob,
                    k,
                    row_known(title, its_keys),
                )
    return parsed


_temp_writer: BulkWriter | None = None  # one per worker process, for its temp files' names (_write_texts)


def _write_texts(prepared: list[Made], folder: str) -> None:
    """Each prepared book's file text (UTF-8 bytes) to a temp file of its own in `folder` (Written). Text
    that could not be encoded, or written (a full disk, a size limit), stays as it is: its error is the
    importing process's, at its turn, naming the book's file (as when the workers write nothing)."""
    from readlog.files import IMPORT_TEMP, BulkWriter, Written

    global _temp_writer
    if _temp_writer is None:
        _temp_writer = BulkWriter()
    name = os.path.join(folder, IMPORT_TEMP)
    for made in prepared:
        if isinstance(made.text, bytes):
            try:
                made.text = Written(_temp_writer.write_temp(name, made.text))
            except OSError:  # (CannotWrite too)
                continue
