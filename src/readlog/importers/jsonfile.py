"""readlog's own JSON export (`readlog export --format json`): a list of books, or one book."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from readlog.errors import InvalidValue, ReadlogError
from readlog.importers.base import Importer, Note, Reject, Row, decode, head_text, read_bytes
from readlog.importers.merge import records_of
from readlog.model import BACKUP_GOALS, BACKUP_IMPORTS, LOOKUP_SOURCE, Book, book_from_dict, field_dates
from readlog.text import clean_name, control_codes

if TYPE_CHECKING:
    from readlog.importers import ImportOptions, ImportReport
    from readlog.journal import Journal


class ReadlogJsonImporter(Importer):
    name = "json"
    label = "readlog JSON"
    source = None
    rows_are_books = True
    carried: dict[str, dict[str, object]] | None = None  # (a backup's imports.toml: BACKUP_IMPORTS, read)
    goals: str | None = None  # (its goals.toml's text: BACKUP_GOALS)

    def run(self, journal: Journal, path: Path, options: ImportOptions) -> ImportReport:
        """The shared pipeline, then a backup's imports.toml (model.BACKUP_IMPORTS, in its first book) joined
        to the journal's, the newer record of each source kept (importers.merged_imports): a restored
        journal refuses the exports older than the last one, as the journal backed up did (review 30e F2)."""
        self.carried, self.goals = None, None
        report = super().run(journal, path, options)
        if self.carried and not options.dry_run:
            from readlog.importers import restore_imports

            restore_imports(journal.root, self.carried)
        if self.goals is not None and not options.dry_run:  # (and goals.toml: review 33a #17)
            said = journal.restore_goals(self.goals)
            if said is not None:
                report.warnings.append(said)
        return report

    @classmethod
    def sniff(cls, head: bytes, filename: str) -> bool:
        text = head_text(head).lstrip()
        if text.startswith("["):
            # A list of books (an empty one too; its items are checked one by one), not a TOML or INI
            # file's first [table] header (a pyproject.toml given by mistake).
            return text[1:].lstrip()[:1] in ("{", "]", "")
        return text.startswith("{") and '"title"' in text[:4096] and '"books_id"' not in text[:4096]

    def read(self, path: Path) -> Iterator[Row | Reject | Note]:
        data = load_json(path)
        if isinstance(data, dict) and "title" not in data:
            hint = (
                " (a LibraryThing JSON export: --from librarything-json)"
                if _looks_like_librarything(data)
                else ""
            )
            raise ReadlogError(f"{path}: not a readlog JSON export: an object without a `title`{hint}")
        items = data if isinstance(data, list) else [data]
        for number, item in enumerate(items, 1):
            if not isinstance(item, dict):
                yield Reject(number, "not a book object", [json.dumps(item)[:200]])
                continue
            if BACKUP_IMPORTS in item:  # (imports.toml, not the book's: taken out of it, every one joined)
                self.carried = _joined(self.carried, _carried(item[BACKUP_IMPORTS]))
                item = {key: value for key, value in item.items() if key != BACKUP_IMPORTS}
            if BACKUP_GOALS in item:
                goals = item[BACKUP_GOALS]
                self.goals = goals if isinstance(goals, str) else self.goals
                item = {key: value for key, value in item.items() if key != BACKUP_GOALS}
            try:
                book = book_from_dict(_from_json(item))
                if "conflicts" in book.extra:  # (what a sync's merge recorded: its dates typed again)
                    from readlog.model import book_to_dict
                    from readlog.sync.conflicts import KEY, from_json

                    book.extra[KEY] = from_json(book.extra[KEY], book_to_dict(book))
            except InvalidValue as error:
                yield Reject(number, str(error), [json.dumps(item)[:200]])
                continue
            if any(control_codes(name) for name in (book.title, *book.authors, *book.tags)):
                _clean_names(book)
                if not book.title:  # (nothing but control characters: refused as a CSV row's is)
                    yield Reject(number, "Title: empty", [json.dumps(item)[:200]])
                    continue
            slug = item.get("slug")
            yield Row(number, book, slug if isinstance(slug, str) else None)


def _carried(value: Any) -> dict[str, dict[str, object]]:
    """A backup's imports.toml records (exporters.to_json), as importers.last_imports reads the file: each
    source's `latest` and `imported` dates again; a record without a `latest` date is left out (it guards
    nothing)."""
    records: dict[str, dict[str, object]] = {}
    for name, record in value.items() if isinstance(value, dict) else ():
        if not isinstance(name, str) or not isinstance(record, dict):
            continue
        kept = {key: item for key, item in record.items() if isinstance(key, str)}
        for key in ("latest", "imported"):
            try:
                kept[key] = date.fromisoformat(str(record[key]))
            except (KeyError, ValueError):
                kept.pop(key, None)
        if isinstance(kept.get("latest"), date):
            records[name] = kept
    return records


def _joined(
    carried: dict[str, dict[str, object]] | None, more: dict[str, dict[str, object]]
) -> dict[str, dict[str, object]]:
    """A backup's imports.toml records so far, joined with another book's key (a stale one an older readlog
    kept in a book file, restoring a backup: an unknown key): the newer record of each source, as a sync
    joins two devices' (importers.merged_imports), never the last key's alone (review 31a F7)."""
    if not carried:
        return more
    from readlog.importers import merged_imports

    return merged_imports(carried, more)


def _looks_like_librarything(data: dict[str, Any]) -> bool:
    first = next(iter(data.values()), None)
    return isinstance(first, dict) and "books_id" in first


def load_json(path: Path) -> Any:
    return load_json_text(path)[1]


def load_json_text(path: Path) -> tuple[str, Any]:
    """The file's text (decoded) and its JSON value; one clear error for a file that is not JSON."""
    text = decode(read_bytes(path), path)
    try:
        from readlog.text import loads_foreign_json

        return text, loads_foreign_json(text)
    except json.JSONDecodeError as error:
        raise ReadlogError(f"{path}:{error.lineno}: not valid JSON ({error.msg})") from None
    except RecursionError:
        raise ReadlogError(f"{path}: JSON nested too deeply to read") from None


def _clean_names(book: Book) -> None:
    """A title, authors and tags without control characters, as every import takes them in (text.clean_name):
    a file an older readlog wrote from a pasted title keeps none of them here. An author or a tag that was
    nothing else is dropped, as a CSV cell drops it; a title that was is left empty, for the row's refusal."""
    book.title = clean_name(book.title)
    book.authors = list(dict.fromkeys(name for name in map(clean_name, book.authors) if name))
    book.tags = list(dict.fromkeys(tag for tag in map(clean_name, book.tags) if tag))


def _from_json(item: dict[str, Any]) -> dict[str, Any]:
    """JSON has no dates: a book's own fields are typed by book_from_dict (a date's ISO text is that date),
    and the source tables, which it keeps as they are, get back the dates readlog wrote in them by
    model.field_dates's rule, as the book file had them: in its provenance records (merge.records_of) and in
    what a look-up noted (review 30e F3). A backup restored is byte for byte the journal it was made of, and
    a sync with that journal's remote sees no change (try-out 30b #1)."""
    data = dict(item)
    if isinstance(data.get("source"), dict):
        data["source"] = copy.deepcopy(data["source"])  # (the item stays JSON, for a refusal's line)
        for record in (*records_of(data), *_looked_up(data["source"])):
            dated = field_dates(record)
            if dated is not record:
                record.update(dated)
    return data


def _looked_up(tables: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The look-up's table (`[source.openlibrary]`) and each of its editions (`readlog merge` keeps the
    merged book's there)."""
    table = tables.get(LOOKUP_SOURCE)
    if isinstance(table, dict):
        yield table
        editions = table.get("editions")
        yield from (e for e in editions if isinstance(e, dict)) if isinstance(editions, list) else ()
