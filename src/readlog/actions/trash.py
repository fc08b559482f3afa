"""The trash: what `rm` removed, listed and brought back."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from readlog import bookfile
from readlog.errors import ReadlogError
from readlog.journal import Journal, removed_at
from readlog.model import Entry


@dataclass
class Trashed:
    number: int  # 1 = the latest removal
    path: Path
    slug: str  # the slug it had
    title: str
    authors: list[str]
    removed: datetime


def trashed(journal: Journal) -> list[Trashed]:
    """Removed books, newest first. Files that no longer parse are listed by name."""
    out = []
    for number, path in enumerate(journal.trashed_books(), 1):
        slug = path.name.split(".", 1)[0]
        try:
            book = bookfile.parse(bookfile.decode(path.read_bytes(), str(path)), str(path))
            title, authors = book.title, book.authors
        except (ReadlogError, OSError):
            title, authors = f"({path.name} cannot be read)", []
        out.append(Trashed(number, path, slug, title, authors, removed_at(path)))
    return out


def restore(journal: Journal, which: str) -> Entry:
    """Bring back a removed book: by its number in `readlog restore`, its old slug (the latest removal of
    it), or its file name in trash/."""
    items = trashed(journal)
    if not items:
        raise ReadlogError("the trash is empty: nothing to restore")
    chosen = None
    if which.isdigit():
        chosen = next((t for t in items if t.number == int(which)), None)
    chosen = chosen or next((t for t in items if which in (t.slug, t.path.name)), None)
    if chosen is None:
        from readlog.identity import pick_named

        matches = [t for t in items if pick_named(which, t.title)]  # the whole title, as a pick is named
        chosen = matches[0] if matches else None
    if chosen is None:
        raise ReadlogError(f"nothing in the trash is {which!r}: `readlog restore` lists what is there")
    return journal.restore(chosen.path)
