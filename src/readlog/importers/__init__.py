"""Bringing a reader's history in: Goodreads and StoryGraph CSV exports, and readlog's own JSON export.

The format is told from the header row (never the file name). A bad row is rejected with its line number
and the import goes on; a file that is not an export at all is one clear error and nothing is written.
Books already in the journal are matched by source id, then ISBN, then title and a shared author: they
are skipped, or with `update` given what they lack, never overwriting what the reader wrote.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from readlog.errors import InvalidValue, ReadlogError
from readlog.identity import STATUS_RANK, book_keys, same_book
from readlog.importers import goodreads, storygraph
from readlog.importers.common import RowError, looks_like_spreadsheet_date
from readlog.journal import Journal, atomic_write
from readlog.model import Book, Read, book_from_dict, book_to_dict, sort_key

if TYPE_CHECKING:
    from readlog.index import Index

CSV_FORMATS = {goodreads.NAME: goodreads, storygraph.NAME: storygraph}
FORMATS = (*CSV_FORMATS, "json")


@dataclass
class Reject:
    line: int
    reason: str
    row: list[str]


@dataclass
class ImportReport:
    format: str
    added: list[str] = field(default_factory=list)  # titles
    updated: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    rejected: list[Reject] = field(default_factory=list)
    header: list[str] = field(default_factory=list)


def detect(header: list[str]) -> str:
    names = set(header)
    if {"Book Id", "Exclusive Shelf"} <= names:
        return goodreads.NAME
    if "Read Status" in names and names & {"Authors", "Author"} and names & {"ISBN/UID", "ISBN"}:
        return storygraph.NAME
    shown = ", ".join(header[:6]) + (", ..." if len(header) > 6 else "")
    raise ReadlogError(
        f"not a Goodreads or StoryGraph export: its header is ({shown}); "
        "expected Goodreads' `Book Id ... Exclusive Shelf` or StoryGraph's `Title, Authors, ... Read Status`"
    )


def read_text(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise ReadlogError(f"cannot read {path}: {error.strerror}") from None
    if not raw.strip():
        raise ReadlogError(f"{path} is empty: export your library again")
    if b"\x00" in raw[:65536]:
        raise ReadlogError(
            f"{path} is a binary file, not a CSV export (a spreadsheet's .xlsx? export as CSV)"
        )
    try:
        return raw.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as error:
        raise ReadlogError(
            f"{path} is not UTF-8 (bad byte at offset {error.start}): a spreadsheet may have re-saved it "
            "as Latin-1; import the original export, or save it as UTF-8 CSV"
        ) from None


def parse_file(path: Path, fmt: str | None = None) -> tuple[ImportReport, list[tuple[int, Book]]]:
    """Every row as a Book (with its line), and the rows that could not be read."""
    if fmt is not None and fmt not in FORMATS:
        raise InvalidValue(f"--from: {fmt!r} is not a format: use one of {', '.join(FORMATS)}")
    text = read_text(path)
    if fmt == "json" or (fmt is None and text.lstrip()[:1] in ("[", "{")):
        return _parse_json(path, text)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip() for h in next(reader)]
    except (StopIteration, csv.Error) as error:
        raise ReadlogError(f"{path}: not a CSV file ({error})") from None
    name = fmt or detect(header)
    module = CSV_FORMATS[name]
    missing = [c for c in module.REQUIRED if c not in header]
    if missing:
        raise ReadlogError(f"{path}: not a {name} export: no {', '.join(missing)} column")
    report = ImportReport(format=name, header=header)
    books: list[tuple[int, Book]] = []
    checked = 0
    try:
        for row in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(header):
                report.rejected.append(
                    Reject(line, f"{len(row)} fields where the header has {len(header)}", row)
                )
                continue
            cells = dict(zip(header, row, strict=True))
            if checked < 50:  # a spreadsheet re-save changes every date: the first rows tell
                checked += 1
                if looks_like_spreadsheet_date(cells.get("Date Added", "")):
                    raise ReadlogError(
                        f"{path}:{line}: dates like {cells['Date Added']!r}: this file was re-saved by a "
                        "spreadsheet, which changes dates and ISBNs; import the original export"
                    )
            try:
                book = module.parse_row(cells)
                book = book_from_dict(book_to_dict(book))  # every field through readlog's own checks
            except (RowError, InvalidValue) as error:
                report.rejected.append(Reject(line, str(error), row))
                continue
            books.append((line, book))
    except csv.Error as error:
        raise ReadlogError(f"{path}:{reader.line_num}: not valid CSV ({error})") from None
    return report, books


def _parse_json(path: Path, text: str) -> tuple[ImportReport, list[tuple[int, Book]]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ReadlogError(f"{path}:{error.lineno}: not valid JSON ({error.msg})") from None
    items = data if isinstance(data, list) else [data]
    report = ImportReport(format="json")
    books = []
    for number, item in enumerate(items, 1):
        if not isinstance(item, dict):
            report.rejected.append(Reject(number, "not a book object", [json.dumps(item)[:200]]))
            continue
        try:
            book = book_from_dict(_from_json(item))
        except InvalidValue as error:
            report.rejected.append(Reject(number, str(error), [json.dumps(item)[:200]]))
            continue
        if isinstance(item.get("slug"), str):
            book.extra["__slug"] = item["slug"]  # a wish, honoured when the slug is free
        books.append((number, book))
    return report, books


def _from_json(item: dict[str, Any]) -> dict[str, Any]:
    """JSON dates are strings: the fields that hold dates get them back as dates."""
    from readlog.model import parse_date

    data = dict(item)
    for key in ("added",):
        if isinstance(data.get(key), str):
            data[key] = parse_date(data[key], key)
    if isinstance(data.get("review"), dict) and isinstance(data["review"].get("written"), str):
        data["review"] = {
            **data["review"],
            "written": parse_date(data["review"]["written"], "review.written"),
        }
    for table, key in (("reflections", "date"), ("next", "added")):
        if isinstance(data.get(table), list):
            data[table] = [
                {**t, key: parse_date(t[key], f"{table}.{key}")}
                if isinstance(t, dict) and isinstance(t.get(key), str)
                else t
                for t in data[table]
            ]
    if isinstance(data.get("reads"), list):
        data["reads"] = [_read_dates(r) if isinstance(r, dict) else r for r in data["reads"]]
    return data


def _read_dates(read: dict[str, Any]) -> dict[str, Any]:
    from readlog.model import parse_date

    dated = ("started", "finished")
    return {
        k: parse_date(v, f"reads.{k}", partial=True) if k in dated and isinstance(v, str) else v
        for k, v in read.items()
    }


def run_import(
    journal: Journal,
    path: Path,
    fmt: str | None = None,
    dry_run: bool = False,
    update: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> ImportReport:
    report, books = parse_file(path, fmt)
    new_keys: dict[str, str] = {}  # keys of books added by this import -> slug (editions stay apart)
    # The lock first, then the index: a book another process adds meanwhile is seen, not duplicated.
    with journal.locked(), journal.bulk() as batch:
        index = journal.fresh_index()
        for done, (_, book) in enumerate(books, 1):
            wanted_slug = book.extra.pop("__slug", None)
            match = _match(index, book, new_keys)
            if match is None:
                if not dry_run:
                    slug = batch.add(book, wanted_slug)
                    for key in book_keys(book):
                        new_keys[key] = slug
                report.added.append(book.title)
            elif update:
                changed = _merge(journal, match, book, dry_run)
                (report.updated if changed else report.skipped).append(book.title)
            else:
                report.skipped.append(book.title)
            if progress is not None:
                progress(done, len(books))
    return report


def _match(index: Index, book: Book, new_keys: dict[str, str]) -> str | None:
    keys = book_keys(book)
    for key in keys:
        if key.startswith("goodreads:"):
            if key in new_keys:
                return new_keys[key]
            slug = index.slug_for_key(key)
            if slug:
                return slug
    for key in keys:
        if key.startswith("isbn:"):
            slug = new_keys.get(key) or index.slug_for_key(key)
            if slug:
                return slug
    for entry in index.same_title(book.title):
        if same_book(entry.book.title, entry.book.authors, book.title, book.authors):
            return entry.slug
    return None


def _merge(journal: Journal, slug: str, incoming: Book, dry_run: bool) -> bool:
    """Give a book what the import knows and it lacks; never overwrite what the reader wrote."""
    if dry_run:
        return _merge_into(journal.load(slug).book, incoming)
    changed = [False]

    def change(book: Book) -> None:
        changed[0] = _merge_into(book, incoming)

    journal.modify(slug, change)
    return changed[0]


def _merge_into(book: Book, incoming: Book) -> bool:
    """`book` given what `incoming` knows and it lacks; True if that changed anything."""
    import copy

    before = copy.deepcopy(book_to_dict(book))  # deep: the merge below changes nested tables in place
    for name in ("series", "rating", "isbn", "pages", "year", "added", "priority", "why"):
        if getattr(book, name) is None and getattr(incoming, name) is not None:
            setattr(book, name, getattr(incoming, name))
    if STATUS_RANK.get(incoming.status, 0) > STATUS_RANK.get(book.status, 0):
        book.status = incoming.status
    book.authors = book.authors or incoming.authors
    book.tags += [t for t in incoming.tags if t not in book.tags]
    finished = {sort_key(r.finished) for r in book.reads if r.finished}
    new_reads = [r for r in incoming.reads if r.finished and sort_key(r.finished) not in finished]
    undated = sum(1 for r in book.reads if not r.finished)
    book.reads += new_reads + [
        Read() for _ in range(sum(1 for r in incoming.reads if not r.finished) - undated)
    ]
    if (book.review is None or book.review.is_empty()) and incoming.review is not None:
        book.review = incoming.review
    texts = {r.text for r in book.reflections}
    book.reflections += [r for r in incoming.reflections if r.text not in texts]
    source = book.extra.setdefault("source", {})
    if isinstance(source, dict):
        source.update(incoming.extra.get("source", {}))
    return book_to_dict(book) != before


def write_rejects(report: ImportReport, path: Path) -> None:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["line", "reason", *report.header])
    for reject in report.rejected:
        writer.writerow([reject.line, reject.reason, *reject.row])
    atomic_write(path, out.getvalue(), private=False)
