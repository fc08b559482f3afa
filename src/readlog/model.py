"""The journal's data model: plain dataclasses, validation, and the book-file field layout. No I/O.

Every value that enters readlog, from the command line or from a hand-edited file, passes through the
`parse_*` functions here, so "what is a valid rating" is decided in one place.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from readlog import fields
from readlog.errors import InvalidValue, invalid
from readlog.fields import BODY, FACT, FOOT, HEAD, JOIN, KEEP, OWN, Field, Kind
from readlog.lazyclass import dataclass_when_used, pattern_when_used

SCHEMA = 2  # 2: `series` is a list of {name, number} (schema 1 had one table)
STATUSES = ("want", "reading", "read", "abandoned", "paused")

# A date the reader knows fully (a `date`), or only its year or month ("2019", "2019-05").
PartialDate = date | str

_PARTIAL = pattern_when_used(r"(?P<year>\d{4})(?:-(?P<month>\d{2}))?")


def _fail(field_name: str, message: str) -> InvalidValue:
    return invalid(f"{field_name}: {message}", field_name)  # a UsageError for a command-line Option


def shown(value: object) -> str:
    """A value for an error message: its repr, shortened; a huge number by its length (never written out)."""
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 64:
        return f"a number of {digits_of(value)} digits"
    text = repr(value)
    return text if len(text) <= 60 else f"{text[:40]}...{text[-12:]} ({len(text):,} characters)"


def parse_rating(value: object, field_name: str = "rating") -> int | float:
    """0.25 to 5 in steps of 0.25. Whole ratings come back as int so files read `rating = 4`."""
    if isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            raise _fail(
                field_name, f"{shown(value)} is not a number (use 0.25 to 5, e.g. 4 or 3.75)"
            ) from None
    elif isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 64:
        number = math.inf  # far out of range (and too big for a float)
    elif isinstance(value, int | float) and not isinstance(value, bool):
        number = float(value)
    else:
        raise _fail(field_name, f"expected a number from 0.25 to 5, got {type(value).__name__}")
    if not math.isfinite(number) or not 0.25 <= number <= 5 or (number * 4) % 1:
        raise _fail(field_name, f"{shown(value)} is not a rating: use 0.25 to 5 in steps of 0.25")
    return int(number) if number.is_integer() else number


def parse_date(value: object, field_name: str, partial: bool = False) -> PartialDate:
    """A TOML/ISO date; with `partial`, also "YYYY" or "YYYY-MM" kept as a string."""
    if isinstance(value, datetime):
        raise _fail(field_name, f"expected a date without a time, got {value.isoformat()}")
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        raise _fail(field_name, f"expected a date (YYYY-MM-DD), got {type(value).__name__}")
    text = value.strip()
    if text == "today":
        return date.today()
    if len(text) == 10 and text[4:5] == "-" and text[:4].isdigit():  # (not "last month": ten letters too)
        try:
            return date.fromisoformat(text)
        except ValueError as error:
            raise _fail(field_name, f"{shown(value)} is not a valid date ({error})") from None
    match = _PARTIAL.fullmatch(text)
    if partial and match:
        if not int(match["year"]):  # (as date() says of 0000-01-01: `finished = "0000"` was written)
            raise _fail(field_name, f"{shown(value)} is not a valid date (year 0 is out of range)")
        month = match["month"]
        if month is not None and not 1 <= int(month) <= 12:
            raise _fail(field_name, f"{shown(value)} is not a valid month")
        return text
    hint = "YYYY-MM-DD, YYYY-MM or YYYY" if partial else "YYYY-MM-DD"
    raise _fail(field_name, f"{shown(value)} is not a date (use {hint})")


# What `enrich` and `add --lookup` note of a look-up in a book file (lookup/fill.py writes it): the table
# `[source.LOOKUP_SOURCE]`, and in it (and in each of its `editions`, which `readlog merge` keeps) the day of
# the look-up, under LOOKUP_DAY.
LOOKUP_SOURCE = "openlibrary"
LOOKUP_DAY = "fetched"
# The key of a whole-journal JSON backup's first book that holds the journal's imports.toml, not the book's
# (exporters.to_json): a restore takes it out (importers.jsonfile); an older readlog keeps it in that book's
# file, as a key it does not know.
BACKUP_IMPORTS = "imports.toml"
# ... and the key that holds its goals.toml, the file's text as it is (review 33a #17)
BACKUP_GOALS = "goals.toml"


def field_dates(record: dict[str, Any]) -> dict[str, Any]:
    """`record` (values by key, as a book file holds them in a source table: an import's provenance record,
    the look-up's table) with each value readlog writes as a date that came as ISO text (through JSON, which
    has no dates) a date again, as the file had it; any other text stays as it is. Those are a field's whose
    kind is DAY (a record's `added`, a plugin's day field) and the look-up's day (LOOKUP_DAY). The one rule
    of which values are dates there: a book's own fields and parts are typed by book_from_dict, what its
    source tables hold of readlog's by this. `record` itself when none was text."""
    out = record
    for key, value in record.items():
        if isinstance(value, str) and _day_key(key):
            if len(value) != 10 or value[4] != "-" or value[7] != "-":  # (YYYY-MM-DD, as an export writes it)
                continue
            try:
                day = date.fromisoformat(value)
            except ValueError:
                continue
            out = {**out, key: day}
    return out


def _day_key(key: str) -> bool:
    field = fields.FIELDS.get(key)
    return field.kind is DAY if field is not None else key == LOOKUP_DAY


def parse_isbn(value: object, field_name: str = "isbn") -> str:
    """A valid ISBN-10 or ISBN-13, hyphens and spaces removed, check digit verified."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        raise _fail(field_name, f"expected an ISBN as text, got {type(value).__name__}")
    digits = _ISBN_GAPS.sub("", value).upper()
    if not is_valid_isbn(digits):
        raise _fail(field_name, f"{shown(value)} is not a valid ISBN-10 or ISBN-13")
    return digits


_ISBN_GAPS = pattern_when_used(r"[\s-]")
_ISBN10 = pattern_when_used(r"\d{9}[\dX]")
_ISBN13 = pattern_when_used(r"97[89]\d{10}")


def is_valid_isbn(digits: str) -> bool:
    # (each pattern matches only its length; the sums weigh each digit as the standard does, 10 down to 1
    # or 1 and 3 in turn, in map's loops: twice as fast as a generator, and an import checks every ISBN)
    if len(digits) == 10 and _ISBN10.fullmatch(digits):
        last = digits[9]  # (only the last may be X, which is 10)
        total = sum(map(operator.mul, _WEIGHTS10, map(int, digits[:9]))) + (10 if last == "X" else int(last))
        return total % 11 == 0
    if len(digits) == 13 and _ISBN13.fullmatch(digits):
        total = sum(map(int, digits[::2])) + 3 * sum(map(int, digits[1::2]))
        return total % 10 == 0
    return False


_WEIGHTS10 = (10, 9, 8, 7, 6, 5, 4, 3, 2)  # (an ISBN-10's first nine digits' weights)


def isbn13(digits: str) -> str:
    """A valid ISBN-10 as the ISBN-13 it is (`1799955672` -> `9781799955672`: `978`, its first nine digits,
    a check digit of its own); anything else as it is (an ISBN-13; a StoryGraph UID that is no ISBN)."""
    if len(digits) != 10 or not is_valid_isbn(digits):
        return digits
    core = "978" + digits[:9]
    return core + str(-(sum(map(int, core[::2])) + 3 * sum(map(int, core[1::2]))) % 10)


def parse_status(value: object, field_name: str = "status") -> str:
    if not isinstance(value, str) or value.strip().lower() not in STATUSES:
        raise _fail(field_name, f"{shown(value)} is not a status: use one of {', '.join(STATUSES)}")
    return value.strip().lower()


# Bounds for whole numbers: generous for any real book, and within what every store (SQLite, JSON) holds.
YEARS = (-9999, 9999)
PAGES = (1, 100_000)
PRIORITIES = (1, 1_000_000_000)


def parse_int(value: object, field_name: str, bounds: tuple[int, int] | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _fail(field_name, f"expected a whole number, got {shown(value)}")
    if bounds is not None and not bounds[0] <= value <= bounds[1]:
        digits = str(value) if value.bit_length() <= 14_000 else ""  # Python refuses to write out more
        said = (
            digits if len(digits) <= 20 else f"{digits[:20]}..."
        ) or f"a number of {digits_of(value)} digits"
        raise _fail(field_name, f"{said} is out of range ({bounds[0]} to {bounds[1]})")
    return value


def digits_of(value: int) -> str:
    """How many digits a whole number has, said without writing it out (Python refuses to for more than
    4,300), approximately past 64 bits."""
    import math

    try:
        return f"{len(str(abs(value))):,}"
    except ValueError:  # past what Python writes out
        return f"about {int(value.bit_length() * math.log10(2)) + 1:,}"


def whole_number(digits: str, field_name: str, bounds: tuple[int, int]) -> int:
    """Digits a reader typed, as a number within `bounds`: a number too long for any field is refused by
    its length (never converted: Python refuses ints of 4,300 digits and more)."""
    text = digits.strip()
    core = text.lstrip("+-").lstrip("0") or "0"
    if len(core) > 18:
        raise _fail(
            field_name, f"a number of {len(core):,} digits is out of range ({bounds[0]} to {bounds[1]})"
        )
    return parse_int(int(text), field_name, bounds)


NAME_MAX = 1000  # titles, names and tags are a line, not a document
_SURROGATE = pattern_when_used("[\ud800-\udfff]")


def parse_text(value: object, field_name: str, required: bool = False, max_length: int | None = None) -> str:
    if not isinstance(value, str):
        raise _fail(field_name, f"expected text, got {type(value).__name__}")
    if required and not value.strip():
        raise _fail(field_name, "must not be empty")
    if max_length is not None and len(value) > max_length:
        raise _fail(field_name, f"too long ({len(value)} characters; at most {max_length})")
    # undecodable bytes smuggled in through argv: they cannot be saved as UTF-8 (ASCII text has none)
    if not value.isascii() and _has_surrogate(value):
        raise _fail(field_name, "contains bytes that are not valid UTF-8 text")
    return value


def parse_line(value: object, field_name: str, required: bool = False) -> str:
    """A one-line field taken in from outside a book file (a title or an author's name typed, a pick's
    title): parse_text's checks, then the rule every import applies (text.clean_name): control characters
    dropped, the text kept (a tab or a newline is a space; a bell, a NUL, a terminal's escape sequence whole,
    `\x1b[31m`, go), runs of spaces one, the ends trimmed. Nothing left of it and `required`: refused."""
    from readlog.text import clean_name

    text = clean_name(parse_text(value, field_name, required=required, max_length=NAME_MAX))
    if required and not text:
        raise _fail(field_name, "must not be empty (it holds only control characters)")
    return text


def _has_surrogate(text: str) -> bool:
    """Whether `_SURROGATE` finds a surrogate in `text`: exactly when strict UTF-8 cannot encode it (the
    encoder refuses every code point in U+D800-U+DFFF, and nothing else), found in one pass in C at several
    times the pattern's speed over a long non-ASCII review."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def parse_names(value: object, field_name: str) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _fail(field_name, "expected a list of names")
    return [parse_text(v, field_name, max_length=NAME_MAX) for v in value if v.strip()]


FORMATS = ("paperback", "hardcover", "ebook", "audiobook")


def parse_format(value: object, field_name: str = "format") -> str:
    if not isinstance(value, str) or value.strip().lower() not in FORMATS:
        raise _fail(field_name, f"{shown(value)} is not a format: use one of {', '.join(FORMATS)}")
    return value.strip().lower()


_DURATION = pattern_when_used(r"(\d{1,4}):(\d\d)")  # (`\d`: any script's digits, `١:٣٠` as `٥٠` for a page)


def parse_duration(value: object, field_name: str = "duration") -> int:
    """A listening time as H:MM (5:30) -> minutes."""
    match = _DURATION.fullmatch(value.strip()) if isinstance(value, str) else None
    if match is None or int(match[2]) > 59:
        raise _fail(field_name, f"{shown(value)} is not a length of time: use H:MM, e.g. 5:30 or 10:12")
    return int(match[1]) * 60 + int(match[2])


def format_duration(minutes: int) -> str:
    return f"{minutes // 60}:{minutes % 60:02d}"


@dataclass_when_used
class Progress:
    """Where the reader was on a day: a page, a percentage, or a listening position (minutes)."""

    date: date | None = None
    page: int | None = None
    percent: int | float | None = None
    minutes: int | None = None
    note: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)  # keys readlog does not know, kept as read


@dataclass_when_used
class Pause:
    """A stretch of a reading set aside: `paused` on a day, `resumed` on a later one (None: paused still)."""

    paused: date | None = None
    resumed: date | None = None
    extra: dict[str, Any] = field(default_factory=dict)  # keys readlog does not know, kept as read


@dataclass_when_used
class Read:
    """One reading of a book. Open while it has neither `finished` nor `stopped` (an abandoned reading)."""

    started: PartialDate | None = None
    finished: PartialDate | None = None
    rating: int | float | None = None
    format: str | None = None
    stopped: PartialDate | None = None
    progress: list[Progress] = field(default_factory=list)
    pauses: list[Pause] = field(default_factory=list)  # `[[reads.pauses]]`: when it was set aside, resumed
    extra: dict[str, Any] = field(default_factory=dict)  # keys readlog does not know, kept as read

    @property
    def is_open(self) -> bool:
        return self.finished is None and self.stopped is None


@dataclass_when_used
class Review:
    """The reader's review of a book: a headline and a body, with the day it was written."""

    headline: str | None = None
    written: date | None = None
    body: str | None = None
    private: bool = False  # kept out of everything readlog publishes (site, Markdown posts)
    extra: dict[str, Any] = field(default_factory=dict)  # keys readlog does not know, kept as read

    def is_empty(self) -> bool:
        return not (self.headline or self.body)


@dataclass_when_used
class Reflection:
    """A thought the reader noted about a book (`readlog reflect`), dated, maybe titled or placed in it."""

    text: str
    date: date | None = None
    private: bool = False
    title: str | None = None  # a heading of its own (`reflect --title`): a section of the post
    location: str | None = None  # where in the book (an e-reader note with no highlight: "loc 78", "p. 12")
    extra: dict[str, Any] = field(default_factory=dict)  # keys readlog does not know, kept as read


@dataclass_when_used
class Quote:
    """A remembered line. Imported highlights also carry the `date` the device recorded, the `chapter`,
    and a stable `key` (source, book, range, text hash) that makes a re-import add only what is new; a
    device date that could not be read is kept as text in `source` (`{ date = "..." }`)."""

    text: str
    page: int | None = None
    location: str | None = None
    note: str | None = None
    private: bool = False
    date: date | None = None
    chapter: str | None = None
    key: str | None = None
    source: dict[str, Any] | None = None
    extra: dict[str, Any] = field(default_factory=dict)  # keys readlog does not know, kept as read


def notes_by_date(reflections: Sequence[Reflection]) -> list[Reflection]:
    """Untitled reflections by their day, the one order `show`, the site and the Markdown export give
    them: a diary is read by date, whatever order the file holds them in (a sync's merge puts the other
    device's after this one's, a backdated `reflect --date` goes last); undated ones first, and
    reflections of one day in the file's order. The file keeps its order (a titled reflection is a
    section of the review, in the order the reader gave it)."""
    return sorted(reflections, key=lambda r: (r.date is not None, r.date or date.min))


def quotes_in_book_order(quotes: Sequence[Quote]) -> list[Quote]:
    """Quotes as a reader meets them in the book, the one order `show`, the site and the post give them:
    front matter first (a roman `xii`, `p. ix`), then by place: a Kindle location (`loc 812-814`), else the
    page, else a location that is a page (`p. 3-4` at 3, `144`); quotes with none of these (`ch. 3`, none at
    all) keep their place after the others, as do quotes at one place among themselves."""
    return [q for _, q in sorted(enumerate(quotes), key=_place)]


def _place(numbered: tuple[int, Quote]) -> tuple[int, int, int]:
    number, quote = numbered
    location = (quote.location or "").strip().lower()
    if match := _LOCATION.match(location):
        return 1, int(match[1]), number
    if quote.page is not None:
        return 1, quote.page, number
    if match := _PAGE_LOCATION.fullmatch(location):
        return 1, int(match[1]), number
    if (match := _ROMAN_LOCATION.fullmatch(location)) and match[1]:
        return 0, _roman(match[1]), number
    return 2, 0, number


_LOCATION = pattern_when_used(r"loc (\d+)")
_PAGE_LOCATION = pattern_when_used(r"(?:pp?\.?\s*|pages?\s+)?(\d+)(?:\s*[-–]\s*\d+)?")
_ROMAN = r"c{0,3}(?:xc|xl|l?x{0,3})(?:ix|iv|v?i{0,3})"  # front matter: up to ccc
_ROMAN_LOCATION = pattern_when_used(rf"(?:pp?\.?\s*|pages?\s+)?({_ROMAN})(?:\s*[-–]\s*{_ROMAN})?")
_ROMAN_VALUES = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100}


def _roman(numeral: str) -> int:
    values = [_ROMAN_VALUES[c] for c in numeral]
    return sum(-v if v < after else v for v, after in zip(values, [*values[1:], 0], strict=True))


@dataclass_when_used
class Pick:
    """A follow-up book this one leads to, with the reader's note on why."""

    title: str
    authors: list[str] = field(default_factory=list)
    why: str | None = None
    added: date | None = None
    extra: dict[str, Any] = field(default_factory=dict)  # keys readlog does not know, kept as read


@dataclass_when_used
class ReadNext:
    """How the read-next picks are introduced where they are published: a heading and a paragraph."""

    heading: str | None = None
    intro: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)  # keys readlog does not know, kept as read


@dataclass(eq=False)
class BookSummary:
    """What the index knows of a book: its scalar fields (fields.FIELDS), its readings (each with its
    latest progress only) and its read-next picks; never the review, reflections or quotes. A `Book` is a
    BookSummary with the rest. Fields registered (fields.register) that are not declared here are kept as
    attributes all the same (fields.value/put)."""

    title: str
    authors: list[str] = field(default_factory=list)
    # Every series the book belongs to: [{"name": "Discworld", "number": "8"}, {"name": "City Watch", ...}].
    # Numbers are text ("0.5", "1-3").
    series: list[dict[str, str]] = field(default_factory=list)
    status: str | None = None
    rating: int | float | None = None
    tags: list[str] = field(default_factory=list)
    year: int | None = None
    isbn: str | None = None
    pages: int | None = None
    duration: str | None = None  # an audiobook's length, H:MM
    added: date | None = None
    why: str | None = None
    priority: int | None = None
    private: bool = False  # the whole book stays out of everything readlog publishes
    reads: list[Read] = field(default_factory=list)
    next: list[Pick] = field(default_factory=list)

    def __eq__(self, other: object) -> bool:
        # Every value, a registered field's that is not declared here included (it lives in __dict__ too).
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self.__dict__ == other.__dict__

    @property
    def last_finished(self) -> PartialDate | None:
        finished = [r.finished for r in self.reads if r.finished is not None]
        return max(finished, key=sort_key) if finished else None

    @property
    def open_read(self) -> Read | None:
        """The reading in progress (the last open one), if any."""
        return next((r for r in reversed(self.reads) if r.is_open), None)


@dataclass_when_used(eq=False)
class Book(BookSummary):
    """A whole book, as its file holds it."""

    review: Review | None = None
    reflections: list[Reflection] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    read_next: ReadNext | None = None
    # Keys readlog does not know, kept as read so that nothing a reader (or an importer) wrote is lost.
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class Summary:
    """A book and where it lives, as the index knows it: a `BookSummary` (the summary fields only: no
    review, reflections or quotes to be found empty)."""

    slug: str
    book: BookSummary
    path: Path
    read_only: bool = False  # written by a newer readlog: may be shown, never rewritten


@dataclass_when_used
class Entry(Summary):
    """A whole book, read from its file, with the file's text: a rewrite is refused if the file no longer
    holds that text."""

    book: Book
    text: str = field(default="", kw_only=True)


def backwards_reads(book: Book) -> list[int]:
    """Readings (numbered from 1) that start after they end: a typo in a date, which averages go wrong on."""
    return [
        number
        for number, read in enumerate(book.reads, 1)
        if isinstance(read.started, date)
        and isinstance(read.finished or read.stopped, date)
        and read.started > (read.finished or read.stopped)  # type: ignore[operator]
    ]


def sort_key(value: PartialDate | None) -> str:
    """Dates and partial dates ordered together: '2019' < '2019-05' < 2019-05-03."""
    return "" if value is None else value.isoformat() if isinstance(value, date) else value


# --- schema migrations ---------------------------------------------------------------------------------
# Each step turns a file's data at schema N into schema N + 1: (N, name, step), in order, never edited once
# released.
Migration = tuple[int, str, Callable[[dict[str, Any]], dict[str, Any]]]


def _series_as_list(data: dict[str, Any]) -> dict[str, Any]:
    """Schema 1 -> 2: `series = {name, number}` becomes `series = [{name, number}]` (a book can be in two)."""
    if isinstance(data.get("series"), dict):
        data["series"] = [data["series"]]
    return data


MIGRATIONS: tuple[Migration, ...] = ((1, "series as a list", _series_as_list),)


def migrate(
    data: dict[str, Any], steps: tuple[Migration, ...] = MIGRATIONS, target: int = SCHEMA
) -> dict[str, Any]:
    """A book file's data brought from its `schema` (1 when absent) up to `target`, one step at a time."""
    version = data.get("schema", 1)
    for from_version, name, step in steps:
        if from_version == version and version < target:
            try:
                data = step(dict(data))
            except (KeyError, TypeError, ValueError) as error:
                raise InvalidValue(f"schema: migration {name!r} failed: {error}", field="schema") from None
            version += 1
            data["schema"] = version
    if version != target:
        raise InvalidValue(f"schema: no migration from schema {version} to {target}", field="schema")
    return data


# --- file layout -------------------------------------------------------------------------------------
# The scalar keys are the registered fields (fields.FIELDS), in order: the order of keys in a new file.
TABLE_KEYS = ("reads", "review", "reflections", "quotes", "next", "read_next")
# Names no field may take: the file's own keys, JSON's slug, and the book's other attributes.
RESERVED_KEYS = frozenset(("schema", "author", "slug", "extra", "last_finished", "open_read", *TABLE_KEYS))
# The keys readlog knows inside each of a book file's tables (`[[reads]]`, `[[reads.progress]]`, a series'
# `{name, number}`...). Any other key a table holds is kept as read: in its part's `extra` (a series' in its
# table), written back after the part's own keys, exported and imported with it.
PART_KEYS: dict[str, frozenset[str]] = {
    "reads": frozenset(("started", "finished", "rating", "format", "stopped", "progress", "pauses")),
    "progress": frozenset(("date", "page", "percent", "minutes", "note")),
    "pauses": frozenset(("paused", "resumed")),
    "review": frozenset(("headline", "written", "body", "private")),
    "reflections": frozenset(("date", "title", "text", "private", "location")),
    "quotes": frozenset(("text", "page", "location", "note", "private", "date", "chapter", "key", "source")),
    "next": frozenset(("title", "authors", "author", "why", "added")),
    "read_next": frozenset(("heading", "intro")),
    "series": frozenset(("name", "number")),
}


def _unknown(data: dict[str, Any], known: frozenset[str]) -> dict[str, Any]:
    """A file's table's keys that are not in `known`, with their values, in the file's order."""
    if known.issuperset(data):  # (almost every table: one pass in C, no dict made)
        return {}
    return {k: v for k, v in data.items() if k not in known}


def _with_extra(out: dict[str, Any], extra: dict[str, Any], known: frozenset[str]) -> dict[str, Any]:
    """`out` (a part's own values, as the file holds them) with the part's unknown keys after them; a key
    readlog knows is never taken from `extra` (it would be read back as the part's own)."""
    for key, value in extra.items():
        if key not in known:
            out[key] = value
    return out


def book_from_dict(data: dict[str, Any]) -> Book:
    """Validate a parsed book file (or JSON object) into a Book. Raises InvalidValue naming the field."""
    data = dict(data)
    data.pop("slug", None)  # present in JSON output, never in files
    if "title" not in data:
        raise _fail("title", "missing: every book needs a title")
    if "author" in data and "authors" not in data:
        data["authors"] = data.pop("author")
    elif "author" in data:
        raise _fail("author", "give either `author` or `authors`, not both")
    table = fields.FIELDS
    book = Book(title=table["title"].kind.parse(data["title"], "title"))
    for name, described, parse, none_parses, declared in _field_parsers():
        if name in data:
            raw = data[name]
            if raw is not None or none_parses:
                if declared:  # what fields.put does for a field Book declares
                    setattr(book, name, parse(raw, name))
                else:
                    fields.put(book, described, parse(raw, name))
    get = data.get
    book.reads = [_read(item, f"reads[{i}]") for i, item in enumerate(_tables(data, "reads"), 1)]
    if get("review") is not None:
        book.review = _review(data["review"])
    book.reflections = [
        _reflection(t, f"reflections[{i}]") for i, t in enumerate(_tables(data, "reflections"), 1)
    ]
    book.quotes = [_quote(t, f"quotes[{i}]") for i, t in enumerate(_tables(data, "quotes"), 1)]
    book.next = [_pick(t, f"next[{i}]") for i, t in enumerate(_tables(data, "next"), 1)]
    if get("read_next") is not None:
        book.read_next = _read_next(data["read_next"])
    book.extra = {k: v for k, v in data.items() if k not in table and k not in _KNOWN}
    return book


_KNOWN = frozenset(("schema", "author", *TABLE_KEYS))
_parsers: dict[int, tuple[tuple[str, Field, Callable[[Any, str], Any], bool, bool], ...]] = {}
_taken: dict[int, frozenset[str]] = {}


def checked_book(book: Book) -> Book:
    """`book_from_dict(book_to_dict(book))`: a new Book with every value through readlog's own checks (the
    same values, the same error for the first bad one), without the file's dict in between (an importer's
    every row goes through this). A book whose `extra` holds a key the dict would read as something else
    (a field, a table, `schema`, `author`, `slug`), or that is not exactly a Book, takes the round trip."""
    extra = book.extra
    if type(book) is not Book or type(extra) is not dict or not _taken_by_file().isdisjoint(extra):
        return book_from_dict(book_to_dict(book))
    title = book.title
    if title is None or title is False or title == []:  # left out of the dict: missing
        raise _fail("title", "missing: every book needs a title")
    new = Book(title=fields.FIELDS["title"].kind.parse(_copied(title), "title"))
    for name, described, parse, _, declared in _field_parsers():
        value = getattr(book, name, None)
        if value is None or value is False or value == _NO_ITEMS:  # (book_to_dict leaves these out)
            continue
        if isinstance(value, list):
            value = _copied(value)
        if declared:
            setattr(new, name, parse(value, name))
        else:
            fields.put(new, described, parse(value, name))
    if book.reads:
        new.reads = [_read_checked(r, f"reads[{i}]") for i, r in enumerate(book.reads, 1)]
    review = book.review
    if review is not None:
        data = _part_dict(review, "review")
        if data:
            new.review = _review(data)
    if book.reflections:
        new.reflections = [
            _reflection(_reflection_dict(r), f"reflections[{i}]") for i, r in enumerate(book.reflections, 1)
        ]
    if book.quotes:
        new.quotes = [_quote(_part_dict(q, "quotes"), f"quotes[{i}]") for i, q in enumerate(book.quotes, 1)]
    if book.next:
        new.next = [_pick(_part_dict(p, "next"), f"next[{i}]") for i, p in enumerate(book.next, 1)]
    if book.read_next is not None:
        data = _part_dict(book.read_next, "read_next")
        if data:
            new.read_next = _read_next(data)
    if extra:  # the plain values first, then the tables (as book_to_dict writes them)
        tables = {k: v for k, v in extra.items() if isinstance(v, dict | list) and is_table_like(v)}
        new.extra = {k: v for k, v in extra.items() if k not in tables} | tables if tables else dict(extra)
    return new


_NO_ITEMS: list[Any] = []  # (compared with, never changed)


def plain_checked(book: Book) -> Book:
    """`checked_book(book)` for a book an importer has just made (nothing else holds its values): the book
    itself when every value in it is already what its check gives back (`_already_checked`: then the
    round trip makes an equal book, value for value and type for type), else `checked_book(book)` (which
    raises the same error for the first bad value). A Goodreads row's book almost always is."""
    return book if _already_checked(book) else checked_book(book)


_STATUS_SET = frozenset(STATUSES)


def _plain_names(names: Any) -> bool:
    """A list of names each of which parse_names keeps as it is (a str, not blank, not too long)."""
    if type(names) is not list:
        return False
    for name in names:  # noqa: SIM110 (a loop, not all() over a generator: 0.3 us less a list)
        if type(name) is not str or len(name) > NAME_MAX or not name.strip():
            return False
    return True


def _in(value: Any, bounds: tuple[int, int]) -> bool:
    return value is None or (type(value) is int and bounds[0] <= value <= bounds[1])


def _already_checked(book: Book) -> bool:
    """Whether `checked_book(book)` would give a book equal to it in every value and type: only the plain
    shapes an import row makes (the fields model declares alone, readings of full dates alone, a
    review with a body alone, reflections of text, `extra` as checked_book keeps it); each value of the
    exact type its check gives back, in range, with no blank name, no text to trim, no surrogate. Anything
    else: False (the caller takes the round trip)."""
    held = book.__dict__
    if type(book) is not Book or held.keys() != _keys(Book) or not fields.built_in_only():
        return False
    title = book.title
    if type(title) is not str or not title or len(title) > NAME_MAX or title != title.strip():
        return False
    if not (_plain_names(book.authors) and _plain_names(book.tags)):
        return False
    texts = [title, *book.authors, *book.tags]
    series = book.series
    if type(series) is not list:
        return False
    for item in series:
        if type(item) is not dict or list(item) != ["name", "number"]:
            return False
        name, number = item["name"], item["number"]
        if type(name) is not str or len(name) > NAME_MAX or not name.strip():
            return False
        if type(number) is not str or len(number) > 20:
            return False
        texts += (name, number)
    status, rating, isbn = book.status, book.rating, book.isbn
    if status is not None and (type(status) is not str or status not in _STATUS_SET):
        return False
    if rating is not None and not (
        (type(rating) is int and 1 <= rating <= 5)
        or (
            type(rating) is float and 0.25 <= rating <= 5 and not (rating * 4) % 1 and not rating.is_integer()
        )
    ):
        return False
    if not (_in(book.year, YEARS) and _in(book.pages, PAGES) and _in(book.priority, PRIORITIES)):
        return False
    if isbn is not None and (type(isbn) is not str or not is_valid_isbn(isbn)):
        return False
    if book.added is not None and type(book.added) is not date:
        return False
    if book.duration is not None or book.why is not None or book.private is not False:
        return False
    if book.next or book.quotes or book.read_next is not None:
        return False
    if type(book.next) is not list or type(book.quotes) is not list:
        return False
    reads = book.reads
    if type(reads) is not list:
        return False
    for read in reads:
        if type(read) is not Read or read.__dict__.keys() != _READ_KEYS:
            return False
        started, finished, stopped = read.started, read.finished, read.stopped
        if finished is not None and type(finished) is not date:
            return False
        if (started is not None and type(started) is not date) or (
            stopped is not None and type(stopped) is not date
        ):
            return False
        if read.rating is not None or read.format is not None:
            return False
        if read.progress != [] or read.pauses != [] or read.extra:
            return False
        if type(read.progress) is not list or type(read.pauses) is not list:
            return False
    review = book.review
    if review is not None:
        if type(review) is not Review or review.__dict__.keys() != _keys(Review):
            return False
        if review.headline is not None or review.written is not None or review.private is not False:
            return False
        if review.extra:
            return False
        if type(review.body) is not str or not review.body:
            return False
        texts.append(review.body)
    reflections = book.reflections
    if type(reflections) is not list:
        return False
    for reflection in reflections:
        if type(reflection) is not Reflection or reflection.__dict__.keys() != _keys(Reflection):
            return False
        if type(reflection.text) is not str or not reflection.text.strip():
            return False
        if reflection.date is not None or reflection.title is not None or reflection.location is not None:
            return False
        if reflection.extra:
            return False
        if reflection.private is not True and reflection.private is not False:
            return False
        texts.append(reflection.text)
    extra = book.extra
    if type(extra) is not dict or (extra and not _extra_as_checked(extra)):
        return False
    joined = "".join(texts)
    return joined.isascii() or not _has_surrogate(joined)


def _extra_as_checked(extra: dict[str, Any]) -> bool:
    """Whether checked_book keeps `extra` as it is (its values are never checked): a `source` table alone
    (an import row's), or keys that name nothing of the file's own (a field, a table, `schema`, `author`,
    `slug`: those take the round trip) in checked_book's order, plain values before tables (a StoryGraph
    row's `translators`, then its source table)."""
    if len(extra) == 1 and type(extra.get("source")) is dict:
        return True
    if not _taken_by_file().isdisjoint(extra):
        return False
    tables = False
    for value in extra.values():
        if isinstance(value, dict | list) and is_table_like(value):
            tables = True
        elif tables:
            return False
    return True


def _taken_by_file() -> frozenset[str]:
    """The keys `extra` may not hold for checked_book to keep it: every field's, the file's own."""
    taken = _taken.get(fields.generation)
    if taken is None:
        taken = _taken[fields.generation] = frozenset((*fields.FIELDS, *_KNOWN, "slug"))
    return taken


_KEYS: dict[type, frozenset[str]] = {}


def _keys(cls: type) -> frozenset[str]:
    """The fields of Book, Review or Reflection (asked for here, not at import: each class is made when first
    used, and `stats` never makes one)."""
    keys = _KEYS.get(cls)
    if keys is None:
        keys = _KEYS[cls] = frozenset(cls.__dataclass_fields__)  # type: ignore[attr-defined]
    return keys


_READ_KEYS = frozenset(("started", "finished", "rating", "format", "stopped", "progress", "pauses", "extra"))


def _read_checked(read: Read, where: str) -> Read:
    """`_read(_read_dict(read), where)` without the dict: each date, the rating and the format that the
    dict would hold (not None, not []) parsed in the same order; progress and pauses the dict's way."""
    if type(read) is not Read or read.__dict__.keys() != _READ_KEYS:  # (a field this does not know: the dict)
        return _read(_read_dict(read), where)
    new = Read()
    held = read.__dict__
    value = held.get("started")
    if value is not None and value != _NO_ITEMS:
        new.started = parse_date(value, f"{where}.started", partial=True)
    value = held.get("finished")
    if value is not None and value != _NO_ITEMS:
        new.finished = parse_date(value, f"{where}.finished", partial=True)
    value = held.get("rating")
    if value is not None and value != _NO_ITEMS:
        new.rating = parse_rating(value, f"{where}.rating")
    value = held.get("format")
    if value is not None and value != _NO_ITEMS:
        new.format = parse_format(value, f"{where}.format")
    value = held.get("stopped")
    if value is not None and value != _NO_ITEMS:
        new.stopped = parse_date(value, f"{where}.stopped", partial=True)
    if read.progress:
        progress = [_part_dict(p, "progress") for p in read.progress]
        new.progress = [_progress(p, f"{where}.progress[{i}]") for i, p in enumerate(progress, 1)]
    if read.pauses:
        pauses = [_part_dict(p, "pauses") for p in read.pauses]
        new.pauses = [_pause(p, f"{where}.pauses[{i}]") for i, p in enumerate(pauses, 1)]
    extra = held.get("extra")
    if extra:  # (as _read reads them back from the dict: the keys it does not know)
        new.extra = _unknown(extra, PART_KEYS["reads"])
    return new


def _copied(value: Any) -> Any:
    """A field's value as book_to_dict puts it in the dict: a list copied (and the tables in it)."""
    return [dict(v) if isinstance(v, dict) else v for v in value] if isinstance(value, list) else value


def _field_parsers() -> tuple[tuple[str, Field, Callable[[Any, str], Any], bool, bool], ...]:
    """The fields but the title, in fields.FIELDS order, each with its parser, whether None is parsed
    and whether Book declares it: looked up once per table rather than per book file."""
    parsers = _parsers.get(fields.generation)
    if parsers is None:
        declared = Book.__dataclass_fields__
        parsers = _parsers[fields.generation] = tuple(
            (name, field, field.kind.parse, field.kind.none_parses, name in declared)
            for name, field in fields.FIELDS.items()
            if name != "title"
        )
    return parsers


def _series_list(value: object) -> list[dict[str, str]]:
    """`[{name, number}, ...]`; the single table of schema 1 (`{name, number}`) is still read."""
    if isinstance(value, dict):
        return [_series(value)]
    if not isinstance(value, list):
        raise _fail("series", 'expected [{ name = "...", number = "..." }]')
    return [_series(item) for item in value]


def parse_flag(value: object, field_name: str) -> bool:
    if not isinstance(value, bool):
        raise _fail(field_name, f"expected true or false, got {shown(value)}")
    return value


def _read_next(data: object) -> ReadNext | None:
    if not isinstance(data, dict):
        raise _fail("read_next", "expected a [read_next] table with heading and intro")
    read_next = ReadNext()
    if data.get("heading") is not None:
        read_next.heading = (
            parse_text(data["heading"], "read_next.heading", max_length=NAME_MAX).strip() or None
        )
    if data.get("intro") is not None:
        read_next.intro = parse_text(data["intro"], "read_next.intro").strip("\n") or None
    read_next.extra = _unknown(data, PART_KEYS["read_next"])
    return read_next


def _series(value: object) -> dict[str, str]:
    if not isinstance(value, dict) or not isinstance(value.get("name"), str) or not value["name"].strip():
        raise _fail("series", 'expected [{ name = "...", number = "..." }]')
    series = {"name": parse_text(value["name"], "series.name", max_length=NAME_MAX)}
    if value.get("number") is not None:
        number = value["number"]
        series["number"] = (
            str(number) if isinstance(number, int | float) and not isinstance(number, bool) else number
        )
        parse_text(series["number"], "series.number", max_length=20)
    if not PART_KEYS["series"].issuperset(value):  # (a key of its own: kept in the table, as read)
        series.update(_unknown(value, PART_KEYS["series"]))
    return series


def _full_date(value: object, field_name: str) -> date:
    parsed = parse_date(value, field_name)
    assert isinstance(parsed, date)
    return parsed


def _tables(data: dict[str, Any], key: str) -> list[dict[str, Any]]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise _fail(key, f"expected [[{key}]] tables")
    return value


def _read(data: dict[str, Any], where: str) -> Read:
    read = Read()
    if data.get("started") is not None:
        read.started = parse_date(data["started"], f"{where}.started", partial=True)
    if data.get("finished") is not None:
        read.finished = parse_date(data["finished"], f"{where}.finished", partial=True)
    if data.get("rating") is not None:
        read.rating = parse_rating(data["rating"], f"{where}.rating")
    if data.get("format") is not None:
        read.format = parse_format(data["format"], f"{where}.format")
    if data.get("stopped") is not None:
        read.stopped = parse_date(data["stopped"], f"{where}.stopped", partial=True)
    progress = data.get("progress", [])
    if not isinstance(progress, list) or not all(isinstance(p, dict) for p in progress):
        raise _fail(f"{where}.progress", "expected [[reads.progress]] tables")
    read.progress = [_progress(p, f"{where}.progress[{i}]") for i, p in enumerate(progress, 1)]
    pauses = data.get("pauses", [])
    if not isinstance(pauses, list) or not all(isinstance(p, dict) for p in pauses):
        raise _fail(f"{where}.pauses", "expected [[reads.pauses]] tables")
    read.pauses = [_pause(p, f"{where}.pauses[{i}]") for i, p in enumerate(pauses, 1)]
    read.extra = _unknown(data, PART_KEYS["reads"])
    return read


def _pause(data: dict[str, Any], where: str) -> Pause:
    pause = Pause()
    if data.get("paused") is not None:
        pause.paused = _full_date(data["paused"], f"{where}.paused")
    if data.get("resumed") is not None:
        pause.resumed = _full_date(data["resumed"], f"{where}.resumed")
    if pause.paused and pause.resumed and pause.resumed < pause.paused:
        raise _fail(f"{where}.resumed", f"{pause.resumed} is before it was paused ({pause.paused})")
    pause.extra = _unknown(data, PART_KEYS["pauses"])
    return pause


PERCENT = (0, 100)
MINUTES = (0, 60 * 10_000)


def parse_percent(value: object, field_name: str = "percent") -> int | float:
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 64:
        raise _fail(field_name, f"{shown(value)} is not a percentage (0 to 100)")
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise _fail(field_name, f"expected a number from 0 to 100, got {shown(value)}")
    if not PERCENT[0] <= value <= PERCENT[1]:
        raise _fail(field_name, f"{value:g} is not a percentage (0 to 100)")
    return int(value) if float(value).is_integer() else round(float(value), 1)


def _progress(data: dict[str, Any], where: str) -> Progress:
    entry = Progress()
    if data.get("date") is not None:
        entry.date = _full_date(data["date"], f"{where}.date")
    if data.get("page") is not None:
        entry.page = parse_int(data["page"], f"{where}.page", PAGES)
    if data.get("percent") is not None:
        entry.percent = parse_percent(data["percent"], f"{where}.percent")
    if data.get("minutes") is not None:
        entry.minutes = parse_int(data["minutes"], f"{where}.minutes", MINUTES)
    if data.get("note") is not None:
        entry.note = parse_text(data["note"], f"{where}.note")
    if sum(v is not None for v in (entry.page, entry.percent, entry.minutes)) != 1:
        raise _fail(where, "give exactly one of page, percent or minutes")
    entry.extra = _unknown(data, PART_KEYS["progress"])
    return entry


def _review(data: object) -> Review:
    if not isinstance(data, dict):
        raise _fail("review", "expected a [review] table")
    review = Review()
    if data.get("headline") is not None:
        review.headline = parse_text(data["headline"], "review.headline")
    if data.get("written") is not None:
        review.written = _full_date(data["written"], "review.written")
    if data.get("body") is not None:
        review.body = parse_text(data["body"], "review.body")
    if data.get("private") is not None:
        review.private = parse_flag(data["private"], "review.private")
    review.extra = _unknown(data, PART_KEYS["review"])
    return review


def _reflection(data: dict[str, Any], where: str) -> Reflection:
    reflection = Reflection(text=parse_text(data.get("text"), f"{where}.text", required=True))
    if data.get("date") is not None:
        reflection.date = _full_date(data["date"], f"{where}.date")
    if data.get("private") is not None:
        reflection.private = parse_flag(data["private"], f"{where}.private")
    if data.get("title") is not None:
        reflection.title = parse_text(data["title"], f"{where}.title", max_length=NAME_MAX).strip() or None
    if data.get("location") is not None:
        reflection.location = parse_text(data["location"], f"{where}.location")
    reflection.extra = _unknown(data, PART_KEYS["reflections"])
    return reflection


def _quote(data: dict[str, Any], where: str) -> Quote:
    quote = Quote(text=parse_text(data.get("text"), f"{where}.text", required=True))
    if data.get("page") is not None:
        quote.page = parse_int(data["page"], f"{where}.page", PAGES)
    if data.get("location") is not None:
        quote.location = parse_text(data["location"], f"{where}.location")
    if data.get("note") is not None:
        quote.note = parse_text(data["note"], f"{where}.note")
    if data.get("private") is not None:
        quote.private = parse_flag(data["private"], f"{where}.private")
    if data.get("date") is not None:
        quote.date = _full_date(data["date"], f"{where}.date")
    if data.get("chapter") is not None:
        quote.chapter = parse_text(data["chapter"], f"{where}.chapter", max_length=NAME_MAX)
    if data.get("key") is not None:
        quote.key = parse_text(data["key"], f"{where}.key", max_length=NAME_MAX)
    if data.get("source") is not None:
        if not isinstance(data["source"], dict):
            raise _fail(f"{where}.source", 'expected a table, e.g. { date = "..." }')
        quote.source = dict(data["source"])
    quote.extra = _unknown(data, PART_KEYS["quotes"])
    return quote


def _pick(data: dict[str, Any], where: str) -> Pick:
    pick = Pick(
        title=parse_text(data.get("title"), f"{where}.title", required=True, max_length=NAME_MAX).strip()
    )
    if "authors" in data or "author" in data:
        pick.authors = parse_names(data.get("authors", data.get("author")), f"{where}.authors")
    if data.get("why") is not None:
        pick.why = parse_text(data["why"], f"{where}.why")
    if data.get("added") is not None:
        pick.added = _full_date(data["added"], f"{where}.added")
    pick.extra = _unknown(data, PART_KEYS["next"])
    return pick


def book_to_dict(book: Book) -> dict[str, Any]:
    """The book as the file holds it: canonical key order, empty values left out, dates as `date`."""
    out: dict[str, Any] = {"schema": SCHEMA}
    for key in fields.FIELDS:
        value = getattr(book, key, None)  # a registered field the book never had: empty, left out
        if value is not None and value != _NO_ITEMS and value is not False:
            out[key] = (
                [dict(v) if isinstance(v, dict) else v for v in value] if isinstance(value, list) else value
            )
    tables = {k: v for k, v in book.extra.items() if isinstance(v, dict | list) and is_table_like(v)}
    out.update((k, v) for k, v in book.extra.items() if k not in tables)
    if book.reads:
        out["reads"] = [_read_dict(r) for r in book.reads]
    review = _part_dict(book.review, "review") if book.review is not None else None
    if review:
        out["review"] = review
    if book.reflections:
        out["reflections"] = [_reflection_dict(r) for r in book.reflections]
    if book.quotes:
        out["quotes"] = [_part_dict(q, "quotes") for q in book.quotes]
    if book.next:
        out["next"] = [_part_dict(p, "next") for p in book.next]
    read_next = _part_dict(book.read_next, "read_next") if book.read_next is not None else None
    if read_next:
        out["read_next"] = read_next
    out.update(tables)
    return out


def _part_dict(part: Any, table: str) -> dict[str, Any]:
    """A part of the book (a review, a quote, a pick...) as the file's `table` holds it: its own values
    (`_compact`), then the keys readlog does not know (its `extra`), as read."""
    values = part.__dict__
    out = _compact(values)
    extra = values.get("extra")
    return _with_extra(out, extra, PART_KEYS[table]) if extra else out


def _reflection_dict(r: Reflection) -> dict[str, Any]:
    out = _compact(
        {"date": r.date, "title": r.title, "text": r.text, "private": r.private, "location": r.location}
    )
    extra = r.__dict__.get("extra")
    return _with_extra(out, extra, PART_KEYS["reflections"]) if extra else out


def _read_dict(read: Read) -> dict[str, Any]:
    out = {  # (_compact's rule, in the same pass)
        k: (list(v) if isinstance(v, list) else v)
        for k, v in read.__dict__.items()
        if k != "progress"
        and k != "pauses"
        and k != "extra"
        and v is not None
        and v != _NO_ITEMS
        and not (k == "private" and v is False)
    }
    extra = read.__dict__.get("extra")
    if extra:  # (its own keys before its tables, as the file has them)
        _with_extra(out, extra, PART_KEYS["reads"])
    if read.progress:
        out["progress"] = [_part_dict(p, "progress") for p in read.progress]
    if read.pauses:
        out["pauses"] = [_part_dict(p, "pauses") for p in read.pauses]
    return out


def is_table_like(value: dict[str, Any] | list[Any]) -> bool:
    return isinstance(value, dict) or (bool(value) and all(isinstance(v, dict) for v in value))


def _compact(values: dict[str, Any]) -> dict[str, Any]:
    """Empty values left out; `private = false` too, so only what a reader opted into is written. A part's
    `extra` is not one of its values (see `_part_dict`)."""
    return {
        k: (list(v) if isinstance(v, list) else v)
        for k, v in values.items()
        if v is not None and v != [] and not (k == "private" and v is False) and k != "extra"
    }


def book_to_json(book: Book, slug: str) -> dict[str, Any]:
    """The JSON form: the file's field names, dates as ISO strings, plus the slug."""
    data = book_to_dict(book)
    data.setdefault("authors", [])
    return {"slug": slug, **_jsonable(data)}


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, date | datetime):
        return value.isoformat()
    if hasattr(value, "isoformat"):  # datetime.time in a hand-written unknown key
        return value.isoformat()
    return value


# --- the scalar fields -----------------------------------------------------------------------------
# Each described once (fields.Field): how it is parsed and stored, its CSV and Goodreads columns, how an
# import merges it, where `show` puts it. Adding one is a line in BUILT_IN (and its attribute on
# BookSummary); docs/ARCHITECTURE.md has the recipe.
def _json_dumps(value: Any) -> str:
    """`json.dumps(value, ensure_ascii=False)`, through one encoder made on first use (json.dumps makes a
    new one each call when given an argument: a third of the time, in an index build's rows)."""
    if type(value) is list:
        if len(value) == 1:  # (one author, one series: most books; as the two below write it)
            one = value[0]
            if type(one) is str:
                if _JSON_ESCAPED.search(one) is None:
                    return f'["{one}"]'
            elif type(one) is dict and one.keys() == _SERIES_KEYS and list(one) == ["name", "number"]:
                name, number = one["name"], one["number"]
                if type(name) is str and type(number) is str and _JSON_ESCAPED.search(name + number) is None:
                    return f'[{{"name": "{name}", "number": "{number}"}}]'
        plain = plain_json_strings(value, False)
        if plain is None:
            plain = plain_json_tables(value)
        if plain is not None:
            return plain
    encode = _encoders.get("unicode")
    if encode is None:
        import json

        encode = _encoders["unicode"] = json.JSONEncoder(ensure_ascii=False).encode
    return encode(value)


_encoders: dict[str, Callable[[Any], str]] = {}
_SERIES_KEYS = frozenset(("name", "number"))
_JSON_ESCAPED = pattern_when_used(r'[\x00-\x1f\\"]')  # what JSON escapes in a string (ensure_ascii=False)


def plain_json_strings(values: list[Any], ascii_only: bool) -> str | None:
    """A list of strings as JSON (`["a", "b"]`, as json.dumps writes it: `", "` between), when every item
    is a plain `str` with nothing JSON escapes (a quote, a backslash, a control character; with
    `ascii_only`, anything outside printable ASCII, DEL included, as ensure_ascii=True does); None
    otherwise: encode it the usual way.
    Names and tags almost always are: an import stores them for every book."""
    if not values:
        return "[]"
    for item in values:
        if type(item) is not str:
            return None
    joined = "".join(values)
    if _JSON_ESCAPED.search(joined) is not None or (
        ascii_only and not (joined.isascii() and "\x7f" not in joined)
    ):
        return None
    return '["' + '", "'.join(values) + '"]'


def plain_json_tables(values: list[Any]) -> str | None:
    """A list of tables of strings as JSON, as json.dumps(ensure_ascii=False) writes it (a book's series:
    `[{"name": "Dune", "number": "1"}]`), when every table is a plain `dict` of plain `str` keys and values
    with nothing JSON escapes; None otherwise: encode it the usual way."""
    from readlog.tomlwrite import plain_tables

    return plain_tables(values, _json_pair, _JSON_ESCAPED, True)


def _json_pair(key: str, value: str) -> str:
    return f'"{key}": "{value}"'


def _json_loads(text: str) -> Any:
    import json

    return json.loads(text)


def _title(value: Any, name: str) -> str:
    return parse_text(value, name, required=True, max_length=NAME_MAX).strip()


def _whole(bounds: tuple[int, int]) -> Callable[[Any, str], int]:
    def parse(value: Any, name: str) -> int:
        return parse_int(value, name, bounds)

    return parse


def _duration(value: Any, name: str) -> str:
    parse_duration(value, name)
    return str(value).strip()


def _day(value: Any, name: str) -> date:
    parsed = parse_date(value, name)
    assert isinstance(parsed, date)
    return parsed


def _rating_from_sql(value: float | None) -> int | float | None:
    return (int(value) if float(value).is_integer() else value) if value is not None else None


def _series_store(value: list[dict[str, str]]) -> str | None:
    """A book's series as the index keeps them: each its name and number only (a key of the reader's own in
    a series' table is the file's and the backup's, not the index's: it may hold a date, which JSON has no
    type for)."""
    if not value:
        return None
    known = PART_KEYS["series"]
    for item in value:
        if not known.issuperset(item):
            value = [{k: v for k, v in series.items() if k in known} for series in value]
            break
    return _json_dumps(value)


def _series_load(text: str | None) -> list[dict[str, str]]:
    """A book's series as the index keeps them (a list; a single table from before schema 2 read as one)."""
    value = _json_loads(text) if text else []
    return [value] if isinstance(value, dict) else value


def _series_csv(value: list[dict[str, str]]) -> str:
    return "; ".join(f"{s['name']} #{s.get('number', '')}".rstrip(" #") for s in value)


def _series_words(value: list[dict[str, str]]) -> str:
    return "; ".join(s["name"] + (f" #{s['number']}" if s.get("number") else "") for s in value)


def _year_words(year: int) -> str:
    return str(year) if year >= 0 else f"{-year} BCE"


TEXT = Kind(lambda value, name: parse_text(value, name))
TITLE = Kind(_title, sql="TEXT NOT NULL")


def _names_load(text: str) -> list[str]:
    """A list of names as `_json_dumps` stored it. Without a backslash no name holds a quote or an escape,
    so the list is its text split at the separators json.dumps writes: the same list as json.loads
    gives, for a third of the time (every author and tag of every book a listing reads)."""
    # (json.dumps's own separators only: a compact or indented list is read by json)
    if "\\" in text or not (text.startswith('["') and text.endswith('"]')) or '","' in text or "\n" in text:
        return _json_loads(text)
    return text[2:-2].split('", "')


NAMES = Kind(
    parse_names, sql="TEXT NOT NULL", store=_json_dumps, load=_names_load, many=True, none_parses=True
)
SERIES = Kind(
    lambda value, name: _series_list(value),
    store=_series_store,
    load=_series_load,
    words=_series_words,
    csv=_series_csv,
    many=True,
    item_key=lambda entry: (entry["name"], entry.get("number")),  # (not its keys of the reader's own)
)
STATUS = Kind(lambda value, name: parse_status(value, name))
RATING = Kind(lambda value, name: parse_rating(value, name), sql="REAL", load=_rating_from_sql)
YEAR = Kind(_whole(YEARS), sql="INTEGER", words=_year_words)
PAGE_COUNT = Kind(_whole(PAGES), sql="INTEGER")
PRIORITY = Kind(_whole(PRIORITIES), sql="INTEGER")
ISBN = Kind(lambda value, name: parse_isbn(value, name))
DURATION = Kind(_duration)
DAY = Kind(
    _day,
    store=lambda day: day.isoformat() if day else None,
    load=lambda text: date.fromisoformat(text) if text else None,
)
FLAG = Kind(parse_flag, sql="INTEGER", store=int, load=bool, empty=False)

# fmt: off
BUILT_IN = (
    Field("title", TITLE, csv="title", goodreads="Title", merge=KEEP, listed=True),
    Field("authors", NAMES, csv="authors", goodreads="Author", merge=JOIN, listed=True),
    Field("series", SERIES, csv="series", merge=JOIN, shown=HEAD, label="Series"),
    Field("status", STATUS, csv="status", goodreads="Exclusive Shelf", merge=OWN, tracked=True, shown=FACT,
          label="{}", listed=True),
    Field("rating", RATING, csv="rating", goodreads="My Rating", merge=OWN, tracked=True, listed=True),
    Field("tags", NAMES, csv="tags", goodreads="Bookshelves", merge=JOIN, tracked=True, shown=BODY,
          label="Tags"),
    Field("year", YEAR, csv="year", goodreads="Original Publication Year", tracked=True, shown=FACT,
          label="{}"),
    Field("isbn", ISBN, csv="isbn", goodreads="ISBN", shown=FOOT, label="ISBN {}"),
    Field("pages", PAGE_COUNT, csv="pages", goodreads="Number of Pages", tracked=True, shown=FACT,
          label="{} pages"),
    Field("duration", DURATION, describe=False),
    Field("added", DAY, csv="added", goodreads="Date Added", merge=OWN, tracked=True, shown=FOOT,
          label="added {}", describe=False),
    Field("why", TEXT, shown=BODY, label="Why"),
    Field("priority", PRIORITY, goodreads="Bookshelves with positions", merge=OWN, tracked=True, shown=FACT,
          label="queue #{}"),
    Field("private", FLAG, merge=KEEP, shown=FACT, label="private", describe=False),
)
# fmt: on

fields.RESERVED.update(RESERVED_KEYS)
fields.register_built_in(BUILT_IN)
