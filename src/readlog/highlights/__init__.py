"""E-reader highlights: Kindle `My Clippings.txt`, KOReader (JSON export, `metadata.*.lua` sidecars), Kobo
`KoboReader.sqlite`, Readwise CSV. Each format is parsed by a pure function into plain records (records.py);
`apply.py` matches them to journal books and writes quotes.

Which format a file is, and where a folder keeps each format's files, is the import registry's business:
each format is an importer there (importers/highlights.py), told from its first bytes like every other.
The two functions below are that registry seen from here.
"""

from __future__ import annotations

from pathlib import Path

from readlog.highlights.records import Highlight, Parsed, Reject

__all__ = ["Highlight", "Parsed", "Reject", "format_of", "read"]


def format_of(head: bytes, name: str) -> str | None:
    """Which highlights format (its name on the registry) these first bytes are, if any."""
    from readlog.importers.highlights import readers

    return next((r.name for r in readers() if r.sniff(head, name)), None)


def read(path: Path) -> tuple[str, Parsed]:
    """The highlights of a file or folder: (format name, records)."""
    from readlog.importers.highlights import read as read_highlights

    return read_highlights(path)
