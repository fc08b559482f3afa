"""The book's scalar fields, each described once: its key in the file, how it is parsed, its column in the
index, its column in the CSV export (and Goodreads'), how an import merges it, where `show` puts it and
whether a change to it names itself in sync's commit messages. Parsing (model.book_from_dict), the file
layout (model.book_to_dict), the index's books table and rows, import merges, the CSV, JSON and Goodreads
exports, `show` and sync's descriptions loop over `FIELDS` rather than naming fields one by one.

Adding a scalar field is one line in `_BUILTIN` below plus its tests (tests/test_recipe_field.py does
it with a toy field, registered through `register` as the built-ins are). A field whose name `Book` does
not declare is kept on the book all the same (`value`/`put`); declare it on `BookSummary` to read it with a
type. The order of `FIELDS` is the order of keys in a new book file.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import date
from typing import TYPE_CHECKING, Any

from readlog import model

if TYPE_CHECKING:
    from readlog.model import BookSummary


def _same(value: Any) -> Any:
    return value


def _words(value: Any) -> str:
    """A value as `show` says it: lists joined with ", ", dates in ISO form, nothing as ""."""
    if value is None or value is False:
        return ""
    if value is True:
        return "yes"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _csv(value: Any) -> Any:
    """A value as a CSV cell: numbers stay numbers (the csv module writes them), lists joined with "; ",
    the rest as words."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return _words(value)


class Kind:
    """A type of value: how it is parsed from a file (or JSON), stored in an SQLite column and read back,
    and said in words (`show`) and in a CSV cell. `many`: a list (empty is [], an import joins them);
    `none_parses`: a null in the data is parsed (and refused) rather than skipped. (A plain class, not a
    dataclass: the table is built whenever a book is first read, and a dataclass costs a millisecond.)"""

    __slots__ = ("parse", "sql", "store", "load", "words", "csv", "many", "none_parses")

    def __init__(
        self,
        parse: Callable[[Any, str], Any],
        sql: str = "TEXT",
        store: Callable[[Any], Any] = _same,
        load: Callable[[Any], Any] = _same,
        words: Callable[[Any], str] = _words,
        csv: Callable[[Any], Any] = _csv,
        many: bool = False,
        none_parses: bool = False,
    ):
        self.parse = parse
        self.sql = sql
        self.store = store
        self.load = load
        self.words = words
        self.csv = csv
        self.many = many
        self.none_parses = none_parses


def _dumps(value: Any) -> str:
    import json

    return json.dumps(value, ensure_ascii=False)


def _loads(text: str) -> Any:
    import json

    return json.loads(text)


def _stripped_text(max_length: int | None = None) -> Callable[[Any, str], str]:
    def parse(value: Any, name: str) -> str:
        return model.parse_text(value, name, max_length=max_length).strip()

    return parse


def _title(value: Any, name: str) -> str:
    return model.parse_text(value, name, required=True, max_length=model.NAME_MAX).strip()


def _whole(bounds: tuple[int, int]) -> Callable[[Any, str], int]:
    def parse(value: Any, name: str) -> int:
        return model.parse_int(value, name, bounds)

    return parse


def _duration(value: Any, name: str) -> str:
    model.parse_duration(value, name)
    return str(value).strip()


def _day(value: Any, name: str) -> date:
    parsed = model.parse_date(value, name)
    assert isinstance(parsed, date)
    return parsed


def _rating_from_sql(value: float | None) -> int | float | None:
    return (int(value) if float(value).is_integer() else value) if value is not None else None


def _series_store(value: list[dict[str, str]]) -> str | None:
    return _dumps(value) if value else None


def _series_load(text: str | None) -> list[dict[str, str]]:
    """A book's series as the index keeps them (a list; a single table from before schema 2 read as one)."""
    value = _loads(text) if text else []
    return [value] if isinstance(value, dict) else value


def _series_csv(value: list[dict[str, str]]) -> str:
    return "; ".join(f"{s['name']} #{s.get('number', '')}".rstrip(" #") for s in value)


def _series_words(value: list[dict[str, str]]) -> str:
    return "; ".join(s["name"] + (f" #{s['number']}" if s.get("number") else "") for s in value)


def _year_words(year: int) -> str:
    return str(year) if year >= 0 else f"{-year} BCE"


TEXT = Kind(lambda value, name: model.parse_text(value, name))
TITLE = Kind(_title, sql="TEXT NOT NULL")
NAMES = Kind(model.parse_names, sql="TEXT NOT NULL", store=_dumps, load=_loads, many=True, none_parses=True)
SERIES = Kind(
    lambda value, name: model._series_list(value),
    store=_series_store,
    load=_series_load,
    words=_series_words,
    csv=_series_csv,
    many=True,
)
STATUS = Kind(lambda value, name: model.parse_status(value, name))
RATING = Kind(lambda value, name: model.parse_rating(value, name), sql="REAL", load=_rating_from_sql)
YEAR = Kind(_whole(model.YEARS), sql="INTEGER", words=_year_words)
PAGES = Kind(_whole(model.PAGES), sql="INTEGER")
PRIORITY = Kind(_whole(model.PRIORITIES), sql="INTEGER")
ISBN = Kind(lambda value, name: model.parse_isbn(value, name))
DURATION = Kind(_duration)
DAY = Kind(
    _day,
    store=lambda day: day.isoformat() if day else None,
    load=lambda text: date.fromisoformat(text) if text else None,
)
FLAG = Kind(model.parse_flag, sql="INTEGER", store=int, load=bool)

# How an import merges a field into a book already here (importers/merge.py):
FILL = "fill"  # taken from the import where the book has none
JOIN = "join"  # a list: the import's items the book lacks are added (on --update: taken where it has none)
OWN = "own"  # a rule of its own, written in importers/merge.py (status, rating, queue position, added)
KEEP = "keep"  # never taken from an import

# Where `show` puts a field (render.py): a line of its own above the facts ("head") or below the
# readings ("body"), labelled; in the line of facts after the rating ("fact"); or in the dim line at the
# bottom ("foot"). The label of a fact or foot is a format with `{}` for the value (none: the label alone,
# for a flag).
HEAD, FACT, BODY, FOOT = "head", "fact", "body", "foot"


class Field:
    """One scalar field of a book (see the module's docstring, and the table below for examples)."""

    __slots__ = (
        "name",
        "kind",
        "csv",
        "goodreads",
        "merge",
        "tracked",
        "shown",
        "label",
        "describe",
        "listed",
        "published",
    )

    def __init__(
        self,
        name: str,  # the key in the file and in JSON, the attribute on the book, the index column
        kind: Kind,
        csv: str | None = None,  # the column in `export --format csv` (a new one goes after the others)
        goodreads: str | None = None,  # the Goodreads export column written from it (exporters/goodreads.py)
        merge: str = FILL,
        tracked: bool = False,  # on `import --update`, the reader's edits win (the provenance record)
        shown: str | None = None,  # where `show` puts it (HEAD, FACT, BODY, FOOT), None: not there
        label: str = "",
        describe: bool = True,  # a change to it names it in sync's "edited (rating, tags)"
        listed: bool = False,  # in each book of `list --json`
        # Its label among the facts of the site's book page (None: not published). The built-ins the
        # template writes with markup of its own (year, pages, series, status, tags) have none.
        published: str | None = None,
    ):
        self.name = name
        self.kind = kind
        self.csv = csv
        self.goodreads = goodreads
        self.merge = merge
        self.tracked = tracked
        self.shown = shown
        self.label = label
        self.describe = describe
        self.listed = listed
        self.published = published

    def __repr__(self) -> str:
        return f"Field({self.name!r})"

    @property
    def empty(self) -> Any:
        """The value of a book that has none (a fresh list for a list)."""
        return [] if self.kind.many else False if self.kind is FLAG else None


# fmt: off
_BUILTIN = (
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
    Field("pages", PAGES, csv="pages", goodreads="Number of Pages", tracked=True, shown=FACT,
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

FIELDS: dict[str, Field] = {}
_NAME = re.compile(r"[a-z][a-z0-9_]*")  # a bare TOML key, a Python attribute and an SQL column alike
# The index's own columns beside the fields' (index/schema.py BOOK_TAIL): no field may take their names.
_INDEX_ONLY = frozenset(
    ("norm_title", "norm_authors", "picks", "last_finished", "activity", "read_only", "traits")
)
generation = 0  # changes whenever FIELDS does: what is derived from the table is made again


def register(field: Field) -> Field:
    """Put a field in the table (the built-ins are registered exactly like this), after the others."""
    global generation
    if field.name in FIELDS or field.name in model.RESERVED_KEYS or field.name in _INDEX_ONLY:
        raise ValueError(f"a book field named {field.name!r} already exists")
    if not _NAME.fullmatch(field.name):
        raise ValueError(f"{field.name!r} is not a field name: lower-case letters, digits and _")
    FIELDS[field.name] = field
    generation += 1
    return field


def unregister(name: str) -> None:
    """Take a registered field out again (a test's toy field)."""
    global generation
    FIELDS.pop(name)
    generation += 1


for _field in _BUILTIN:
    register(_field)


def built_in_only() -> bool:
    """Whether the table is fields.py's own (no field registered from elsewhere, as a test's): what a
    fresh process, such as an index build's worker, has."""
    return tuple(FIELDS) == _BUILTIN_NAMES


_BUILTIN_NAMES = tuple(f.name for f in _BUILTIN)


def declared(field: Field) -> bool:
    """Whether `BookSummary` has an attribute of its own for the field (typed access)."""
    return field.name in model.BookSummary.__dataclass_fields__


def value(book: BookSummary, field: Field) -> Any:
    """The book's value of `field` (its empty value when the book has none)."""
    return getattr(book, field.name, field.empty)


def put(book: BookSummary, field: Field, new: Any) -> None:
    """Set the book's value of `field` (an undeclared field's empty value is not kept: books compare
    equal whether or not it was ever set)."""
    if new == field.empty and not declared(field):
        book.__dict__.pop(field.name, None)
    else:
        setattr(book, field.name, new)


def is_empty(field: Field, found: Any) -> bool:
    return found is None or found == [] or found is False


def where(shown: str) -> Iterator[Field]:
    """The fields `show` puts in one place, in table order."""
    return (f for f in FIELDS.values() if f.shown == shown)
