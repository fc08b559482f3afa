"""How the book's scalar fields are described (`Field`, with a `Kind` of value), and the registry they are
kept in (`FIELDS`, in order: the order of keys in a new book file). The built-in fields are one table in
model.py (`model.BUILT_IN`), registered at model's import with `register`, the call anything else uses too.
Parsing and the file layout (model), the index's books table and rows, import merges, the CSV, JSON and
Goodreads exports, `show`, `list --json`, `readlog merge`, sync's descriptions and the site's book page loop
over `FIELDS` rather than naming fields one by one.

A field `BookSummary` does not declare is kept on the book all the same, in its `__dict__` (`value`/`put`);
a built-in is declared too, to be read with a type. Nothing here imports the rest of readlog: model builds
on it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import date
from typing import Any

from readlog.lazyclass import pattern_when_used


def same(value: Any) -> Any:
    """A value stored as it is read (a Kind's default `store` and `load`)."""
    return value


_same = same


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
    `none_parses`: a null in the data is parsed (and refused) rather than skipped; `item_key`: what makes two
    items of a list one (an import or `merge` joining two lists adds an item whose key is not there yet).
    (A plain class, not a dataclass: the table is built whenever a book is first read, and a dataclass costs
    a millisecond.)"""

    __slots__ = ("parse", "sql", "store", "load", "words", "csv", "many", "none_parses", "empty", "item_key")

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
        empty: Any = None,  # a book's value when it has none (a list's is a fresh [])
        item_key: Callable[[Any], Any] = _same,
    ):
        self.parse = parse
        self.sql = sql
        self.store = store
        self.load = load
        self.words = words
        self.csv = csv
        self.many = many
        self.none_parses = none_parses
        self.empty = empty
        self.item_key = item_key


def _dumps(value: Any) -> str:
    import json

    return json.dumps(value, ensure_ascii=False)


def _loads(text: str) -> Any:
    import json

    return json.loads(text)


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
    """One scalar field of a book (model.BUILT_IN has the built-ins, for examples)."""

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
        return [] if self.kind.many else self.kind.empty


FIELDS: dict[str, Field] = {}
_NAME = pattern_when_used(r"[a-z][a-z0-9_]*")  # a bare TOML key, a Python attribute and an SQL column alike
# Names no field may take: the book file's and the book's own (model adds them), and the index's own columns
# beside the fields' (index/schema.py BOOK_TAIL).
RESERVED = {"norm_title", "norm_authors", "picks", "last_finished", "activity", "read_only", "traits"}
generation = 0  # changes whenever FIELDS does: what is derived from the table is made again
_built_in: tuple[str, ...] = ()


def register(field: Field) -> Field:
    """Put a field in the table, after the others (model registers the built-ins exactly like this)."""
    global generation
    if field.name in FIELDS or field.name in RESERVED:
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


def register_built_in(table: Iterable[Field]) -> None:
    """model's table, registered: what every readlog process has (see `built_in_only`)."""
    global _built_in
    for field in table:
        register(field)
    _built_in = tuple(FIELDS)


def built_in_only() -> bool:
    """Whether the table is model's own (no field registered from elsewhere, as a test's): what a fresh
    process, such as an index build's worker, has."""
    return tuple(FIELDS) == _built_in


def value(book: object, field: Field) -> Any:
    """The book's value of `field` (its empty value when the book has none)."""
    return getattr(book, field.name, field.empty)


def put(book: object, field: Field, new: Any) -> None:
    """Set the book's value of `field` (an undeclared field's empty value is not kept: books compare
    equal whether or not it was ever set)."""
    if new == field.empty and field.name not in getattr(type(book), "__dataclass_fields__", ()):
        book.__dict__.pop(field.name, None)
    else:
        setattr(book, field.name, new)


def joined(field: Field, mine: list[Any], theirs: list[Any]) -> list[Any]:
    """A list field's two values as one: `mine`, then each item of `theirs` whose key (its kind's
    `item_key`: a series' name and number) is not there yet. An item here stays as it is."""
    key = field.kind.item_key
    seen = [key(item) for item in mine]  # (a list: a registered kind's items need not hash; lists are short)
    out = list(mine)
    for item in theirs:
        if key(item) not in seen:
            seen.append(key(item))
            out.append(item)
    return out


def is_empty(field: Field, found: Any) -> bool:
    return found is None or found == [] or found is False


def where(shown: str) -> Iterator[Field]:
    """The fields `show` puts in one place, in table order."""
    return (f for f in FIELDS.values() if f.shown == shown)
