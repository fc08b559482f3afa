"""Content: every book of the journal, parsed, with a cache so a rebuild re-reads only the files that changed.

The cache lives with readlog's other caches (never in the published folder: it holds private parts too),
keyed by each file's size, mtime and inode. It is only a cache: unreadable or stale, it is thrown away. It
is JSON (a format that only holds data: a planted file can never run code), its folder 0700 and its files
0600, and every book read back from it is validated again like a book file.
"""

from __future__ import annotations

import contextlib
import os
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from readlog import __version__
from readlog.errors import BookFileError, ReadlogError

if TYPE_CHECKING:
    from readlog.journal import Journal
    from readlog.model import Book

Stamp = tuple[int, int, int]  # size, mtime_ns, inode: a file with the same stamp holds the same book
_Cached = tuple[Stamp, "Book", "str | None"]


@dataclass
class Content:
    books: dict[str, Book]  # slug -> book, every book that parsed (private ones too; context filters)
    stamps: dict[str, Stamp] = field(default_factory=dict)
    lines: dict[str, str | None] = field(default_factory=dict)  # slug -> its library.json line, if public
    problems: list[BookFileError] = field(default_factory=list)


def _model_key() -> str:
    """The cache is thrown away when the model's fields change, not only when readlog's version does."""
    from dataclasses import fields

    from readlog import model

    classes = (
        model.Book,
        model.Read,
        model.Review,
        model.Reflection,
        model.Quote,
        model.Pick,
        model.ReadNext,
    )
    shapes = [(cls.__name__, [f.name for f in fields(cls)]) for cls in classes]
    from readlog.exporters.site.context import LIBRARY_LINE

    return f"{__version__} {shapes} library-line-{LIBRARY_LINE}"


SHARDS = 32  # the cache is kept in parts, so that one changed book rewrites a small file, not all of it


def cache_path(root: Path) -> Path:
    """The folder of the parse cache for the journal at `root`."""
    from readlog.index import cache_dir

    where = str(root.resolve())
    return cache_dir() / f"site-books-{zlib.crc32(where.encode()):08x}"


def _shard(slug: str) -> int:
    return zlib.crc32(slug.encode()) % SHARDS


PARALLEL_FROM = 1000  # books to parse: fewer are parsed sooner by one process than by two
_Raw = tuple[Stamp, dict[str, Any], "str | None"]  # a cached book as read, not yet validated


def load_books(journal: Journal, use_cache: bool = True) -> Content:
    """Every book file, parsed; a file that does not parse is reported, never fatal. When many files must
    be parsed (a first build, a new cache), the cache's shards are shared between processes (one per core),
    each parsing and caching its own; books read back from the cache are validated where they are read."""
    import stat as modes

    from readlog.exporters.site import parallel

    folder = cache_path(journal.root)
    if use_cache:
        _forget_pickles(folder)
    slugs = journal.slugs()
    by_shard: list[list[str]] = [[] for _ in range(SHARDS)]
    stamps: dict[str, Stamp] = {}
    books_dir = str(journal.books_dir)
    for slug in slugs:
        file = f"{books_dir}/{slug}.toml"
        try:
            info = os.lstat(file)
            if modes.S_ISLNK(info.st_mode):
                info = os.stat(file)
        except OSError:
            continue  # gone since it was listed
        stamps[slug] = (info.st_size, info.st_mtime_ns, info.st_ino)
        by_shard[_shard(slug)].append(slug)
    raw = [_read_raw(folder, number) if use_cache else {} for number in range(SHARDS)]
    misses = sum(1 for slug, stamp in stamps.items() if (raw[_shard(slug)].get(slug) or (None,))[0] != stamp)
    shares = parallel.workers(enough=misses >= PARALLEL_FROM)
    found: dict[str, tuple[Stamp, Book, str | None] | BookFileError] = {}
    cached: list[int] = []
    for part, written in parallel.fork_map(
        shares,
        lambda n: _load_shards(
            journal, folder, by_shard, range(n, SHARDS, shares), raw, stamps, use_cache, hand_back=n > 0
        ),
    ):
        found.update(part)
        cached += written
    if cached:  # a worker's books come back through the shards it wrote: read, as a rebuild reads them
        for number in cached:
            raw[number] = _read_raw(folder, number)
        found.update(_load_shards(journal, folder, by_shard, cached, raw, stamps, use_cache)[0])
    content = Content({})
    for slug in slugs:  # in the journal's order, however the work was shared
        got = found.get(slug)
        if got is None:
            continue
        if isinstance(got, BookFileError):
            content.problems.append(got)
            continue
        content.stamps[slug], content.books[slug], content.lines[slug] = got
    return content


def _load_shards(
    journal: Journal,
    folder: Path,
    by_shard: list[list[str]],
    numbers: range | list[int],
    raw: list[dict[str, _Raw]],
    stamps: dict[str, Stamp],
    use_cache: bool,
    hand_back: bool = False,
) -> tuple[dict[str, tuple[Stamp, Book, str | None] | BookFileError], list[int]]:
    """The books of these shards of the cache: from the cache where a file's stamp matches (validated
    again, as a book file is), else parsed; a shard with a change is written again.

    With `hand_back` (in a worker process), the books of a shard written whole are left out of the answer
    and the shard's number given instead: the parent reads them from the cache faster than it would
    unpickle them."""
    from readlog.exporters.site.context import library_line

    found: dict[str, tuple[Stamp, Book, str | None] | BookFileError] = {}
    written: list[int] = []
    for number in numbers:
        cached = _validated(raw[number], by_shard[number], stamps)
        fresh: dict[str, tuple[Stamp, Book | dict[str, Any], str | None]] = {}
        changed = False
        for slug in by_shard[number]:
            stamp = stamps[slug]
            hit = cached.get(slug)
            if hit is not None:
                book, line = hit[1], hit[2]
                fresh[slug] = (stamp, raw[number][slug][1], line)  # the table read: written back as it was
            else:
                changed = True
                try:
                    book = journal.load(slug).book
                except BookFileError as error:
                    found[slug] = error
                    continue
                except ReadlogError as error:
                    found[slug] = BookFileError(f"{journal.books_dir}/{slug}.toml", str(error))
                    continue
                line = library_line(slug, book)
                fresh[slug] = (stamp, book, line)
            found[slug] = (stamp, book, line)
        if (
            use_cache
            and (changed or fresh.keys() != raw[number].keys())
            and _write_cache(folder, number, fresh)
            and hand_back
        ):
            for slug in fresh:
                del found[slug]
            written.append(number)
    return found, written


def _validated(raw: dict[str, _Raw], slugs: list[str], stamps: dict[str, Stamp]) -> dict[str, _Cached]:
    """The cached books of these slugs whose file is unchanged, validated like a book file; none if one of
    the shard's books does not validate (a damaged cache: its books are parsed again)."""
    from readlog.model import book_from_dict

    books: dict[str, _Cached] = {}
    try:
        for slug in slugs:
            hit = raw.get(slug)
            if hit is not None and hit[0] == stamps[slug]:
                books[slug] = (hit[0], book_from_dict(hit[1]), hit[2])
    except (ValueError, TypeError, KeyError, AttributeError, RecursionError, ReadlogError):
        return {}
    return books


def _forget_pickles(folder: Path) -> None:
    """An older readlog kept this cache as pickles (a format that runs code when read): never read, gone."""
    with contextlib.suppress(OSError), os.scandir(folder) as entries:
        for entry in entries:
            if entry.name.endswith(".pickle"):
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)


def _read_raw(folder: Path, number: int) -> dict[str, _Raw]:
    """A shard of the cache as read: each book's stamp, table and library line, checked for shape only
    (`_validated` checks the tables); empty if it is missing, damaged or of another readlog."""
    import json

    try:
        with open(folder / f"{number:02d}.json", "rb") as handle:
            raw = json.loads(handle.read(), object_hook=_untag_table)
        if not isinstance(raw, dict) or raw.get("version") != _model_key():
            return {}
        data: dict[str, _Raw] = {}
        for slug, (stamp, book, line) in raw["books"].items():
            size, mtime, inode = (int(n) for n in stamp)
            if line is not None and not isinstance(line, str):
                return {}
            if not isinstance(book, dict):
                return {}  # a cached book is a table; anything else is a damaged cache
            data[str(slug)] = ((size, mtime, inode), book, line)
        return data
    except (OSError, ValueError, TypeError, KeyError, AttributeError, RecursionError, ReadlogError):
        return {}  # unreadable, damaged or not ours: only a cache, start again


def _write_cache(
    folder: Path, number: int, data: dict[str, tuple[Stamp, Book | dict[str, Any], str | None]]
) -> bool:
    """Best effort: a cache that cannot be written only makes the next build slower."""
    import json

    from readlog.model import book_to_dict
    from readlog.private import private_dir, write_private

    books = {
        slug: [list(stamp), book if isinstance(book, dict) else book_to_dict(book), line]
        for slug, (stamp, book, line) in data.items()
    }
    try:
        private_dir(folder)
        payload = json.dumps({"version": _model_key(), "books": books}, ensure_ascii=False, default=_tag)
        write_private(folder / f"{number:02d}.json", payload.encode("utf-8", "surrogatepass"))
    except (OSError, ValueError, TypeError):
        return False
    return True


# Dates and times (a TOML file's own types) are kept tagged, so a book comes back with the same types. The
# JSON coders do the walking (in C): `_tag` is called only for the values JSON has no type for, and
# `_untag_table` for each object read back.
_TAGS = {"date": "\x00date", "datetime": "\x00datetime", "time": "\x00time"}
_KINDS = {tag: kind for kind, tag in _TAGS.items()}


def _tag(value: object) -> object:
    from datetime import date, datetime, time

    if isinstance(value, datetime):  # (before date: a datetime is a date too)
        return {_TAGS["datetime"]: value.isoformat()}
    if isinstance(value, date):
        return {_TAGS["date"]: value.isoformat()}
    if isinstance(value, time):
        return {_TAGS["time"]: value.isoformat()}
    raise TypeError(f"{type(value).__name__} is not a value of a book")


def _untag_table(table: dict[str, Any]) -> object:
    if len(table) == 1:
        ((key, text),) = table.items()
        kind = _KINDS.get(key)
        if kind is not None:
            from datetime import date, datetime, time

            parse: dict[str, Any] = {"date": date, "datetime": datetime, "time": time}
            return parse[kind].fromisoformat(text)
    return table
