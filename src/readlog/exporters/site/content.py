"""Content: every book of the journal, parsed, with a cache so a rebuild re-reads only the files that changed.

The cache lives with readlog's other caches (never in the published folder: it holds private parts too),
keyed by each file's size, mtime and inode. It is only a cache: unreadable or stale, it is thrown away.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from readlog import __version__
from readlog.errors import BookFileError, ReadlogError

if TYPE_CHECKING:
    from readlog.journal import Journal
    from readlog.model import Book

_Stamp = tuple[int, int, int]  # size, mtime_ns, inode


@dataclass
class Content:
    books: dict[str, Book]  # slug -> book, every book that parsed (private ones too; context filters)
    problems: list[BookFileError] = field(default_factory=list)


def cache_path(root: Path) -> Path:
    from readlog.index import cache_dir

    where = str(root.resolve())
    return cache_dir() / f"site-books-{zlib.crc32(where.encode()):08x}.pickle"


def load_books(journal: Journal, use_cache: bool = True) -> Content:
    """Every book file, parsed; a file that does not parse is reported, never fatal."""
    path = cache_path(journal.root)
    cached: dict[str, tuple[_Stamp, Book]] = _read_cache(path) if use_cache else {}
    fresh: dict[str, tuple[_Stamp, Book]] = {}
    content = Content({})
    changed = False
    for slug in journal.slugs():
        file = journal.books_dir / f"{slug}.toml"
        try:
            stat = file.stat()
        except OSError:
            continue
        stamp = (stat.st_size, stat.st_mtime_ns, stat.st_ino)
        hit = cached.get(slug)
        if hit is not None and hit[0] == stamp and not file.is_symlink():
            book = hit[1]
        else:
            changed = True
            try:
                book = journal.load(slug).book
            except BookFileError as error:
                content.problems.append(error)
                continue
            except ReadlogError as error:
                content.problems.append(BookFileError(str(file), str(error)))
                continue
        fresh[slug] = (stamp, book)
        content.books[slug] = book
    if use_cache and (changed or fresh.keys() != cached.keys()):
        _write_cache(path, fresh)
    return content


def _read_cache(path: Path) -> dict[str, tuple[_Stamp, Book]]:
    try:
        with open(path, "rb") as handle:
            version, data = pickle.load(handle)
    except (OSError, EOFError, pickle.UnpicklingError, ValueError, TypeError, AttributeError, ImportError):
        return {}
    return data if version == __version__ and isinstance(data, dict) else {}


def _write_cache(path: Path, data: dict[str, tuple[_Stamp, Book]]) -> None:
    """Best effort: a cache that cannot be written only makes the next build slower."""
    temp = path.with_name(f".{path.name}.{os.urandom(4).hex()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(temp, "wb") as handle:
            pickle.dump((__version__, data), handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temp, path)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(temp)
