"""What an import wrote, as the base of a merge: two devices that each imported a book (one export row, or
two exports of one library) merge the fields the imports wrote against what the imports wrote. Pure: no I/O
(which device's export is the newer one is asked of `newer`, the caller's).

Each import records what it brought in `[source.NAME.imported]` (importers.merge.imported_record: the
tracked fields, the review's fingerprint, and since session 27 the row's `authors`). A field whose value is
still its side's record is the import's, unedited by that side's reader. Of a field both sides changed
(from the common version, or both added the book: no common version), per field:

- both records hold the same value (one export's row, on both devices): that value is the base, so the
  side whose reader edited it takes it (`Steven King` given on one device to a row by `Stephen King`: one
  author, the reader's spelling; an edit beats an import);
- the records differ (two exports): the older export's value, where its side's reader left it, is the base,
  so the newer export's (or that side's reader's edit since) takes it; where the older side's reader edited
  it, no base: a conflict, never an edit overwritten silently;
- a field both sides' `--update` of a row the reader merged in changed (its news goes to the book's fields,
  its record to its edition's `imported`, which differs on it between the sides): the older export's value,
  where its side left it, is the base, as for the book's own row (review 31a F6);
- the service's own columns of `[source.NAME]` (not the reader's: `--update` writes them over) and the
  `imported` record itself: the newer export's; so is an entry of its `editions` both sides changed (the
  record `--update` renews of an edition the reader merged in: one entry per edition, review 30a F3).

Which export is newer is the caller's `newer(source)`: `"ours"`, `"theirs"`, or None (not known: no base
from the records that differ, so whatever differs stays a conflict)."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from readlog.sync.merge import MISSING, same_value

if TYPE_CHECKING:
    from readlog.model import Book

PROVENANCE = "imported"  # (importers.merge.PROVENANCE: the sync is not to load the importers to know it)
OWN = ("imported", "editions")  # a source table's keys that are not the service's columns

Newer = Callable[[str], str | None]


def import_base(
    base: dict[str, Any] | None,
    sides: tuple[dict[str, Any], dict[str, Any]],
    books: tuple[Book, Book],
    newer: Newer,
) -> dict[str, Any] | None:
    """`base` (None: both sides added the file) with the values of what the imports wrote, for the fields
    both sides changed and the imports' records settle (the module's rules). `base` itself when no source
    record is on both sides."""
    ours, theirs = sides
    sources = [name for name in _tables(ours) if _record_data(theirs, name) is not None]
    sources = [name for name in sources if _record_data(ours, name) is not None]
    if not sources:
        return base
    out: dict[str, Any] = copy.deepcopy(base) if base is not None else {}
    settled: set[str] = set()
    for source in sources:
        older = _older(source, ours, theirs, newer)
        _fields(out, base, sides, books, source, older, settled)
        _columns(out, base, sides, source, older)
        _editions(out, sides, source, older)
    return out


def _tables(data: dict[str, Any]) -> dict[str, Any]:
    tables = data.get("source")
    return tables if isinstance(tables, dict) else {}


def _record_data(data: dict[str, Any], source: str) -> dict[str, Any] | None:
    table = _tables(data).get(source)
    record = table.get(PROVENANCE) if isinstance(table, dict) else None
    return record if isinstance(record, dict) else None


def _older(source: str, ours: dict[str, Any], theirs: dict[str, Any], newer: Newer) -> int | None:
    """0 (this side) or 1 (the other) for the side whose export is the older, None when it is not known or
    there is nothing to know (the two records and columns alike: no `newer` asked, no git run)."""
    if _tables(ours).get(source) == _tables(theirs).get(source):
        return None
    which = newer(source)
    return {"theirs": 0, "ours": 1}.get(which) if which else None


def _both_changed(
    base: dict[str, Any] | None, key: str, ours: dict[str, Any], theirs: dict[str, Any]
) -> bool:
    mine, other = ours.get(key, MISSING), theirs.get(key, MISSING)
    if same_value(mine, other):
        return False
    old = base.get(key, MISSING) if base is not None else MISSING
    return not (same_value(mine, old) or same_value(other, old))


def _items(value: Any) -> bool:
    """An array of tables (readings, reflections): merged item by item, nothing an import's record holds."""
    return isinstance(value, list) and any(isinstance(item, dict) for item in value)


def _fields(
    out: dict[str, Any],
    base: dict[str, Any] | None,
    sides: tuple[dict[str, Any], dict[str, Any]],
    books: tuple[Book, Book],
    source: str,
    older: int | None,
    settled: set[str],
) -> None:
    """The base of each book field an import records (importers.merge.tracked, and `authors`)."""
    ours, theirs = sides
    keys = [key for key in dict.fromkeys([*ours, *theirs]) if key != "source" and key not in settled]
    keys = [key for key in keys if not _items(ours.get(key)) and _both_changed(base, key, ours, theirs)]
    if not keys:
        return  # (a field of its own changed on both sides: the importers are loaded only then)
    from readlog.importers.merge import imported_record, recorded, tracked

    records = [recorded(book, source) or {} for book in books]
    now = [{**imported_record(book), "authors": [n for n in book.authors if n.strip()]} for book in books]
    editions = [_edition_records(book, source) for book in books]
    for key in (*tracked(), "authors"):
        if key not in keys:
            continue
        unedited = [now[i].get(key) == records[i].get(key) for i in (0, 1)]
        merged_in = _brought_by_edition(key, now, editions)
        if older is not None and merged_in is not None and merged_in[older]:
            value = sides[older].get(key, MISSING)  # (a row merged in: the older export's news, the base)
        elif records[0].get(key) == records[1].get(key):  # one export's value on both devices
            at = unedited.index(True) if any(unedited) else None
            if at is not None:
                value = sides[at].get(key, MISSING)
            elif key == "authors" and isinstance(records[0].get(key), list):
                value = list(records[0][key])  # both edited it: merged as names against the row's
            else:
                continue
        elif older is not None and unedited[older]:
            value = sides[older].get(key, MISSING)
        else:
            continue  # the older export's side edited by its reader, or which is older not known
        settled.add(key)
        _put(out, (key,), value)


def _edition_records(book: Book, source: str) -> dict[Any, dict[str, Any]]:
    """The records the book's editions under `source` keep (`readlog merge` keeps a merged row's there,
    which `--update` renews), by identity.edition_key."""
    from readlog.identity import edition_key
    from readlog.model import field_dates

    tables = book.extra.get("source")
    table = tables.get(source) if isinstance(tables, dict) else None
    entries = table.get("editions") if isinstance(table, dict) else None
    out: dict[Any, dict[str, Any]] = {}
    for entry in entries if isinstance(entries, list) else ():
        record = entry.get(PROVENANCE) if isinstance(entry, dict) else None
        key = edition_key(entry) if isinstance(record, dict) else None
        if key is not None and isinstance(record, dict):
            out.setdefault(key, field_dates(record))  # (as the import reads it: merge._read_record)
    return out


def _brought_by_edition(
    key: str, now: list[dict[str, Any]], editions: list[dict[Any, dict[str, Any]]]
) -> list[bool] | None:
    """For a book field both sides changed: whether each side's value is what its `--update` of a merged
    row brought (its edition's record's value, where the two sides' records of that edition differ on it:
    two exports' news of the row, not the reader's edits; review 31a F6); None: no edition's records differ
    on it (the book's own records decide)."""
    for edition, mine in editions[0].items():
        theirs = editions[1].get(edition)
        if theirs is not None and mine.get(key) != theirs.get(key):
            return [now[0].get(key) == mine.get(key), now[1].get(key) == theirs.get(key)]
    return None


def _columns(
    out: dict[str, Any],
    base: dict[str, Any] | None,
    sides: tuple[dict[str, Any], dict[str, Any]],
    source: str,
    older: int | None,
) -> None:
    """The service's own columns of the source table, and its `imported` record: the newer export's."""
    if older is None:
        return
    mine, other = (_tables(side).get(source) for side in sides)
    if not (isinstance(mine, dict) and isinstance(other, dict)):
        return
    old_table = _tables(base).get(source) if base is not None else None
    old = old_table if isinstance(old_table, dict) else {}
    for key in dict.fromkeys([*mine, *other]):
        if key != PROVENANCE and key in OWN:
            continue
        if _both_changed(old, key, mine, other):
            _put(out, ("source", source, key), (mine, other)[older].get(key, MISSING))


def _editions(
    out: dict[str, Any], sides: tuple[dict[str, Any], dict[str, Any]], source: str, older: int | None
) -> None:
    """Each edition of the source table's `editions` that both sides changed from the base (each device's
    `--update` renewed its record): the older export's entry is the base, so the newer export's is taken
    (the merge pairs entries by their id, or an id-less one's row: identity.edition_key; two entries of one
    key, the first with the first, as the merge pairs them). Not known which is newer: the merge records
    what differs as a conflict."""
    if older is None:
        return
    tables = [_tables(side).get(source) for side in sides]
    lists = [table.get("editions") if isinstance(table, dict) else None for table in tables]
    if not (isinstance(lists[0], list) and isinstance(lists[1], list)):
        return
    pair: tuple[list[Any], list[Any]] = (lists[0], lists[1])
    mine = _tables(out).get(source)
    now = mine.get("editions") if isinstance(mine, dict) else None
    base = copy.deepcopy(now) if isinstance(now, list) else []
    before = copy.deepcopy(base)
    keyed = [_keyed(entries) for entries in (pair[older], pair[1 - older], base)]
    for entry, key in zip(pair[older], keyed[0], strict=True):
        twin = next((e for e, k in zip(pair[1 - older], keyed[1], strict=True) if k == key), None)
        if key is None or twin is None or same_value(twin, entry):
            continue
        at = next((i for i, k in enumerate(keyed[2]) if k == key), None)
        if at is None:
            base.append(entry)
        elif not (same_value(base[at], entry) or same_value(base[at], twin)):  # (else: one side changed it)
            base[at] = entry
    if base != before:
        _put(out, ("source", source, "editions"), base)


def _keyed(entries: list[Any]) -> list[tuple[Any, int] | None]:
    """Each entry's identity.edition_key with how many entries before it have that key (None: no key)."""
    from readlog.identity import edition_key

    seen: dict[Any, int] = {}
    out: list[tuple[Any, int] | None] = []
    for entry in entries:
        key = edition_key(entry) if isinstance(entry, dict) else None
        if key is None:
            out.append(None)
            continue
        seen[key] = seen.get(key, -1) + 1
        out.append((key, seen[key]))
    return out


def _put(data: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    """`data` at `path` set to `value` (MISSING: removed), making the tables on the way."""
    for key in path[:-1]:
        inner = data.get(key)
        if not isinstance(inner, dict):
            inner = data[key] = {}
        data = inner
    if value is MISSING:
        data.pop(path[-1], None)
    else:
        data[path[-1]] = copy.deepcopy(value)
