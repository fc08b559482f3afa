"""What every highlight parser gives back: plain records, no journal, no I/O beyond the parser's own file."""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property

from readlog.identity import device_series, title_digest
from readlog.text import clean_name, normalize


@dataclass
class Highlight:
    """One highlight (or note) as a device or app wrote it."""

    source: str  # kindle | koreader | kobo | readwise
    title: str
    authors: list[str]
    text: str
    translators: list[str] = field(default_factory=list)  # named with a role on the title line
    kind: str = "highlight"  # highlight | note (a note on its own, to attach to a highlight)
    page: int | None = None
    start: float | None = None  # the range, in the source's own units (Kindle locations, KOReader pages)
    end: float | None = None
    location: str | None = None  # the range as a reader reads it: "loc 812-814", "12%"
    chapter: str | None = None
    note: str | None = None
    when: datetime | None = None
    date_text: str | None = None  # the device's date, when it could not be read
    line: int = 0  # where in the file (a line, a row, an entry number)
    series: tuple[tuple[str, str], ...] = ()  # (name, number): what the device says (KOReader's `series`)
    # What the device says of the whole book: "finished" or "reading" (Kobo's ReadStatus and percent
    # read, KOReader's status and percent_finished); None where it says nothing (a Kindle's file).
    progress: str | None = None

    def __post_init__(self) -> None:
        # A device's title line is another program's text: a control character in it (a NUL, an escape)
        # would go into a new book's title, and be shown to the terminal (as an export's).
        self.title = clean_name(self.title)
        self.authors = [a for a in map(clean_name, self.authors) if a]
        self.translators = [t for t in map(clean_name, self.translators) if t]
        if self.chapter is not None:
            self.chapter = clean_name(self.chapter) or None

    @property
    def book(self) -> tuple[str, tuple[str, ...], tuple[tuple[str, str], ...]]:
        return self.title, tuple(self.authors), self.series

    @cached_property
    def words(self) -> str:
        """The text as compared: case, accents, spacing and punctuation aside."""
        return normalize(self.text)

    @cached_property
    def key(self) -> str:
        """Stable across imports: source, book, range and a hash of the text. (Made once: an import asks
        for it to write the quote and to look for the book holding it.)"""
        book = title_digest(self.title)
        where = self.location or (f"p{self.page}" if self.page is not None else "")
        return f"{self.source}:{book}:{where.replace(' ', '')}:{words_hash(self.words)}"


def text_hash(text: str) -> str:
    """A short hash of a highlight's words (case, spacing and punctuation aside)."""
    return words_hash(normalize(text))


def words_hash(words: str) -> str:
    return hashlib.sha1(words.encode()).hexdigest()[:10]


@dataclass
class Reject:
    line: int
    reason: str
    text: str = ""


@dataclass
class Parsed:
    """A file's highlights, what was skipped on purpose (bookmarks, placeholders), and the rejects."""

    source: str
    highlights: list[Highlight] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)
    rejects: list[Reject] = field(default_factory=list)
    fallback_lines: list[int] = field(default_factory=list)  # lines with text not UTF-8, read as:
    fallback_encoding: str = "Windows-1252"
    warnings: list[str] = field(default_factory=list)  # "FILE: lines 4, 9: not UTF-8, read as Windows-1252"

    def extend(self, other: Parsed) -> None:
        self.highlights += other.highlights
        self.skipped.update(other.skipped)
        self.rejects += other.rejects
        self.warnings += other.warnings


def place_in_series(
    parsed: Parsed, items: list[Highlight], device: tuple[tuple[str, str], ...], where: str
) -> None:
    """Give `items` (one book's highlights) the device's series places (KOReader's `series`, Kobo's
    `Series`) with the title line's (identity.device_series: the device's name without a number keeps the
    title's `#3`); when the two give different numbers, the title's is kept and said in one line."""
    if not items or not device:
        return
    series, disagreement = device_series(items[0].title, device)
    for item in items:
        item.series = series
    if disagreement is not None:
        name, said, own = disagreement
        parsed.warnings.append(
            f"{where + ': ' if where else ''}{items[0].title}: the device places it at {name} #{said}, its "
            f"title at #{own}: the title's #{own} kept"
        )
