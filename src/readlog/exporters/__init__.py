"""Letting everything back out: each format is a function from books to text, chosen from a registry.
Writing the text somewhere (stdout, or a file written atomically) is the caller's step.

Another package adds a format with an `Exporter` in the `readlog.exporters` entry-point group (plugins.py);
`registry()` loads those the first time it is asked."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from readlog.journal import Entry
from readlog.model import BACKUP_GOALS, BACKUP_IMPORTS, Book, book_to_json, sort_key


@dataclass(frozen=True)
class Exporter:
    name: str
    extension: str
    render: Callable[[list[Entry], bool], str]  # (entries, one book asked for) -> text


def to_json(
    entries: list[Entry],
    single: bool,
    imports: dict[str, dict[str, object]] | None = None,
    goals: str | None = None,
) -> str:
    """The books as JSON: one object, or a list. `imports` (a backup of the whole journal: imports.toml's
    records, importers.last_imports) goes with the first book, under model.BACKUP_IMPORTS: what refuses an
    export older than each source's last one, which a restore takes back (importers.jsonfile); `goals`,
    goals.toml's text, under model.BACKUP_GOALS."""
    data = [book_to_json(e.book, e.slug) for e in entries]
    if imports and data and not single:
        data[0][BACKUP_IMPORTS] = {
            name: {key: str(value) if isinstance(value, date) else value for key, value in record.items()}
            for name, record in imports.items()
        }
    if goals is not None and data and not single:
        data[0][BACKUP_GOALS] = goals
    return json.dumps(data[0] if single else data, ensure_ascii=False, indent=2) + "\n"


# The CSV's columns as scripts know them, by name and by position: never reordered. A column of a field
# (fields.Field.csv) not among them goes after them, in the table's order.
CSV_COLUMNS = ("slug", "title", "authors", "series", "status", "rating", "year", "isbn", "pages", "added",
               "started", "finished", "reads", "tags", "headline")  # fmt: skip


def csv_columns() -> tuple[str, ...]:
    from readlog import fields

    return CSV_COLUMNS + tuple(
        f.csv for f in fields.FIELDS.values() if f.csv is not None and f.csv not in CSV_COLUMNS
    )


def to_csv(entries: list[Entry], single: bool) -> str:
    from readlog import fields

    columns = csv_columns()
    by_column = {f.csv: f for f in fields.FIELDS.values() if f.csv is not None}
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    for entry in entries:
        book = entry.book
        last = book.reads[-1] if book.reads else None
        own = {
            "slug": entry.slug,
            "started": sort_key(last.started) if last else "",
            "finished": sort_key(book.last_finished),
            "reads": len(book.reads),
            "headline": book.review.headline or "" if book.review else "",
        }
        writer.writerow(
            [
                field.kind.csv(fields.value(book, field)) if field is not None else own[column]
                for column in columns
                for field in (by_column.get(column),)
            ]
        )
    return out.getvalue()


GOODREADS_COLUMNS = ("Book Id", "Title", "Author", "Author l-f", "Additional Authors", "ISBN", "ISBN13",
                     "My Rating", "Average Rating", "Publisher", "Binding", "Number of Pages",
                     "Year Published",
                     "Original Publication Year", "Date Read", "Date Added", "Bookshelves",
                     "Bookshelves with positions", "Exclusive Shelf", "My Review", "Spoiler", "Private Notes",
                     "Read Count", "Owned Copies")  # fmt: skip


def to_goodreads(entries: list[Entry], single: bool) -> str:
    """Goodreads' own export layout (its 24 columns), which its importer and readlog's read back: what readlog
    maps from its fields, everything else from the `[source.goodreads]` columns an import kept."""
    from readlog.exporters.goodreads import goodreads_row

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(GOODREADS_COLUMNS)
    for entry in entries:
        row = goodreads_row(entry.book)
        writer.writerow([row.get(column, "") for column in GOODREADS_COLUMNS])
    return out.getvalue()


def series_title(book: Book) -> str:
    """The title as Goodreads writes it: `Dune (Dune, #1)`, `Guards! (Discworld, #8; City Watch, #1)`."""
    if not book.series:
        return book.title
    parts = [s["name"] + (f", #{s['number']}" if s.get("number") else "") for s in book.series]
    return f"{book.title} ({'; '.join(parts)})"


def to_markdown(entries: list[Entry], single: bool) -> str:
    """Posts for publishing: private books are left out (one asked for by name is refused)."""
    from readlog.markdown import book_markdown

    if not single:
        entries = [e for e in entries if not e.book.private]
    return "\n\n---\n\n".join(book_markdown(e.book, with_front_matter=not single) for e in entries)


REGISTRY: dict[str, Exporter] = {}
_plugins_loaded = False


def register(exporter: Exporter) -> Exporter:
    """Put an exporter on the registry (the built-ins are registered exactly like this)."""
    if exporter.name in REGISTRY:
        raise ValueError(f"an exporter named {exporter.name!r} is already registered")
    REGISTRY[exporter.name] = exporter
    return exporter


def registry() -> dict[str, Exporter]:
    """The exporters by name: the built-ins, then the plugins (loaded once, on this first call)."""
    global _plugins_loaded
    if not _plugins_loaded:
        from readlog import plugins

        plugins.register_all(
            plugins.EXPORTERS,
            "an Exporter",
            lambda loaded: isinstance(loaded, Exporter),
            lambda exporter: REGISTRY.get(exporter.name) is exporter,
            register,
        )
        _plugins_loaded = True  # only now: a plugin that failed fails again, never silently missing
    return REGISTRY


for _builtin in (
    Exporter("markdown", "md", to_markdown),
    Exporter("json", "json", to_json),
    Exporter("csv", "csv", to_csv),
    Exporter("goodreads", "csv", to_goodreads),
):
    register(_builtin)
