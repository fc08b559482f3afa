"""How an imported book meets another: editions of one work joined, a newer export merged into a book the
reader has been keeping, and the provenance record that tells the two apart. Pure: books in, books out.

The provenance record (`[source.<name>.imported]`) holds what the last import of that source brought for the
fields a reader also edits (status, rating, review as a hash, shelves, added, to-read position, pages, year),
and what the book took from the row of its other values (title, series, ISBN...: `as_imported`'s).
On `--update`, a field whose value is still what the last import brought takes the export's new value; a field
the reader changed is kept and reported ("kept your rating 4 (export says 2)"). A book imported before the
record existed keeps the reader's value, reported the same way.
"""

from __future__ import annotations

import copy
import hashlib
from collections.abc import Iterator, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from readlog import fields
from readlog.identity import (
    SOURCE_IDS,
    SOURCE_ISBNS,
    STATUS_RANK,
    authors_agree,
    edition_id,
    edition_keys,
    further,
    ids_apart,
    names_author,
    one_edition,
    recorded_as,
    titled_alike,
)
from readlog.model import (
    LOOKUP_SOURCE,
    Book,
    Read,
    Review,
    book_to_dict,
    field_dates,
    is_table_like,
    sort_key,
)
from readlog.text import one_line
from readlog.traits import FORMAT_COLUMNS  # where each source writes an edition's format

if TYPE_CHECKING:
    from collections import Counter

PROVENANCE = "imported"
# The order of the provenance record and of the messages about it, as it has always been: a tracked field
# (fields.Field.tracked) added later comes after these, in the table's order.
_TRACKED_ORDER = ("status", "rating", "review", "tags", "added", "priority", "pages", "year")


def tracked() -> tuple[str, ...]:
    """The fields whose edits by the reader an `--update` keeps: the tracked fields, and the review."""
    from readlog import fields

    names = [name for name, field in fields.FIELDS.items() if field.tracked]
    return tuple(n for n in _TRACKED_ORDER if n == "review" or n in names) + tuple(
        n for n in names if n not in _TRACKED_ORDER
    )


_tracked: dict[int, tuple[tuple[str, Any], ...]] = {}


def _tracked_fields() -> tuple[tuple[str, Any], ...]:
    """`tracked()` with each name's field (None for the review), made once per fields.generation: an import
    records provenance for every row."""
    made = _tracked.get(fields.generation)
    if made is None:
        made = _tracked[fields.generation] = tuple(
            (name, None if name == "review" else fields.FIELDS[name]) for name in tracked()
        )
    return made


# --- readings ------------------------------------------------------------------------------------------
def fix_reading_dates(book: Book) -> list[str]:
    """A reading that starts after it finishes (`2025/04/14-2025/04/04`) loses its start: the finish is what
    exports record reliably. Returns what was changed, for the import's warnings."""
    problems = []
    for read in book.reads:
        end = read.finished or read.stopped
        if _full(read.started) and _full(end) and sort_key(read.started) > sort_key(end):
            problems.append(
                f"a reading starts ({sort_key(read.started)}) after it ends ({sort_key(end)}): "
                "the start was dropped"
            )
            read.started = None
    return problems


def settle_readings(book: Book, source: str | None) -> list[str]:
    """What an import does to a row's readings as it reads them (a format with a source: an abandoned book's
    last date is when it was given up, `abandoned_reading`; every format: `fix_reading_dates`), in the one
    order every process that reads rows does it in. Returns the warnings, in order."""
    if source is not None:
        abandoned_reading(book)
    return fix_reading_dates(book)


def abandoned_reading(book: Book) -> bool:
    """An abandoned book's last date is the day it was given up: its last reading is `stopped`, never
    `finished` (exports write a DNF's date in their "date read" column). True if a reading was changed."""
    if book.status != "abandoned" or not book.reads:
        return False
    last = max(book.reads, key=lambda r: _when(r)) if any(r.finished for r in book.reads) else book.reads[-1]
    if last.finished is None or last.stopped is not None:
        return False
    last.stopped, last.finished = last.finished, None
    return True


def _full(value: object) -> bool:
    return isinstance(value, date)


def _read_key(read: Read) -> tuple[str, str, str]:
    return (sort_key(read.started), sort_key(read.finished), sort_key(read.stopped))


UNDATED = "||"


def read_key(read: Read) -> str:
    """A reading as the provenance record keeps it: `started|finished|stopped` (`||` for an undated one)."""
    return "|".join(_read_key(read))


def drop_removed_reads(
    mine: list[Read],
    theirs: list[Read],
    brought: list[str],
    dated: Sequence[tuple[str, ...]] = (),
    held: list[str] | None = None,
    ended: bool = False,
) -> tuple[list[Read], int]:
    """Readings an earlier import brought (`brought`, their keys) that the newer export no longer has are
    removed, as long as they are still as that import left them, and no other record the book keeps still
    brings them (`held`: the keys of those records' readings, `_held_reads`). Returns the readings, and how
    many the export dropped that the reader had changed (kept). `dated`: undated readings of the export's
    rows that joining them took for another row's dated one (join_editions), each as the keys of its rows'
    dated readings: each covers a gone one, as below, unless those rows' readings are all ones the last
    import brought (a fold it made too: review 30d F3). `ended`: the last import brought the book being read
    (its open reading last) and the export reads it no longer: that reading, ended there, is never one of the
    export's undated readings, which then stand for dated ones (review 32c #4)."""
    from collections import Counter

    now, last = Counter(read_key(r) for r in theirs), Counter(brought)
    gone = last - now - Counter(held or ())  # (a reading another row brought too stays its)
    # A reading the export now has without a date is one it had with a date (Goodreads keeps only the
    # latest date): it covers a dated one that is gone rather than making it go. So does one of a row
    # joined to another edition's dated reading (*The Left Hand of Darkness* read again in one edition: its
    # 2024 reading, now undated, is never the other edition's 2023 one: try-out 30a #2).
    # A fold counts only where its rows' latest date is new: a row read again, whose old date Goodreads
    # replaced. Rows whose dated readings the last import brought all were folded by it as well, and a
    # date gone then is another row's, corrected (review 30d F3).
    cover = (now - last)[UNDATED] + sum(1 for keys in dated if not Counter(keys) <= last)
    # A reading it brought open that the export now ends (a reading no import brought, with its start or
    # none) is not gone: it is that one, ended there (or here too: ended_here), never a reason to drop
    # another of the reader's (review 32a #1: Warbreaker, Read Count 2, kept one reading of two).
    ends = [key.split("|", 1)[0] for key in (now - last).elements() if not key.endswith("||")]
    for key in sorted(gone, key=lambda key: key.startswith("|")):  # (one with a start first)
        start = key[: -len("||")] if key.endswith("||") else None
        while start is not None and gone[key] and (start in ends or "" in ends):
            ends.remove(start if start in ends else "")
            gone[key] -= 1
    # Still as many undated readings as it brought, one of them its open one, ended now (read, Read Count 2,
    # Date Read 2024: the 2020 date the journal had is the other's, dropped by Goodreads, never gone).
    if ended and brought and brought[-1] == UNDATED and not gone[UNDATED] and "" in ends:
        ends.remove("")
        cover += 1
    out = list(mine)
    edited = 0
    for key, count in sorted(gone.items(), key=lambda item: item[0] == UNDATED):
        if key != UNDATED:
            covered = min(cover, count)
            cover, count = cover - covered, count - covered
        for _ in range(count):
            at = next((i for i in range(len(out) - 1, -1, -1) if read_key(out[i]) == key), None)
            if at is None:
                edited += 1  # changed (or removed) in readlog since: the reader's now
            else:
                del out[at]
    return out, edited


def changed_reads(
    mine: list[Read],
    theirs: list[Read],
    brought: list[str],
    going: bool = False,
    held: list[str] | None = None,
) -> tuple[list[Read], list[Read], list[tuple[Read, Read]]]:
    """The export's readings (`theirs`) less those the last import brought (`brought`, their keys) that are
    no longer here as it left them: the reader changed them in readlog (a date corrected) and theirs
    stand, never the export's added back beside them. Returns the readings to match (match_reads), of
    the ones left out, those no reading here is (`same_reading`): the changes to say, and the readings
    the reader ended here that the export ended on another day (`ended_here`; `going`: the export's book is
    being read; `held`: readings other rows' records brought, never the reader's), as (here, the export's):
    the reader's stands in the export's place, so that the export's other readings still count (Read
    Count 2)."""
    from collections import Counter

    left = Counter(brought) - Counter(read_key(r) for r in mine)
    ended = ended_here(mine, theirs, brought, left, going, held or [])
    instead = {id(read): here for here, read in ended}
    out: list[Read] = []
    said: list[Read] = []
    for read in theirs:
        key = read_key(read)
        if id(read) in instead:
            out.append(copy.deepcopy(instead[id(read)]))
            continue
        if not left[key]:
            out.append(read)
            continue
        left[key] -= 1
        if key != UNDATED and not any(same_reading(r, read) or _same_start(r, read) for r in mine):
            said.append(read)
    return out, said, ended


def ended_here(
    mine: list[Read],
    theirs: list[Read],
    brought: list[str],
    left: Counter[str],
    going: bool = False,
    held: Sequence[str] = (),
) -> list[tuple[Read, Read]]:
    """A reading the last import brought with no end (open: `||`, `START||`; or undated) that the reader
    ended in readlog since (finished, or gave up: with its start) is the one reading the export now ends
    the same way on another day (one no import brought, with that start or none): one reading, ended in
    two places, never two (try-out 32a #1). Each such pair as (here, the export's), latest first on both
    sides (a reading left open was the last: the reader's latest ended it, never one before it); `left`
    (the brought keys no longer here) loses the keys paired. With no record of a reading left open there
    is no pair: a reading ended on another day is another reading (`same_reading`); nor
    where the export, its book being read (`going`), still has that open reading (then it is its own),
    unless the last import brought no ended reading: then the export's one ended reading can only be the
    one left open, its open one a reading begun again (review 32a #2).
    Then, while the export and the book here each have more readings than the last import brought (Read
    Count 2 -> 3, a re-read logged here), each reading the reader logged since that ended after every date it
    brought is the one the export now has beyond them ending the same way after those dates: a re-read
    logged in both places, never two (review 32c #3). A reading logged here that ended before then is
    another one (a past reading added), and so is the export's where the reader added none (a date
    corrected here is no reading added; a reading another row's record brought, `held`, is not theirs)."""
    from collections import Counter

    new_here = Counter(read_key(r) for r in mine) - Counter(brought) - Counter(held)
    new_there = Counter(read_key(r) for r in theirs) - Counter(brought)
    ended = any(not key.endswith("||") for key in brought)
    still = Counter(read_key(r) for r in theirs if going and ended and r.is_open)
    since = max((part for key in brought for part in key.split("|")), default="")
    pairs: list[tuple[Read, Read]] = []

    def pair(here: Read | None, found: list[Read]) -> bool:
        there = max(found, key=_when, default=None)
        if here is None or there is None:
            return False
        new_here[read_key(here)] -= 1
        new_there[read_key(there)] -= 1
        pairs.append((here, there))
        return True

    def later(read: Read) -> bool:  # (one of the reader's since the last import: ended after its dates)
        return bool(_ending(read)) and _when(read) > since

    for key in sorted((left - still).elements()):
        start, finished, stopped = key.split("|")
        if finished or stopped:
            continue  # (one the import brought ended: a reading changed here, said as such)
        ours = [r for r in mine if later(r) and new_here[read_key(r)] and sort_key(r.started) == start]
        here = max(ours, key=_when, default=None)
        found = [
            r
            for r in theirs
            if here is not None
            and _ending(r) == _ending(here)
            and new_there[read_key(r)]
            and sort_key(r.started) in ("", start)
            and not any(same_reading(m, r) for m in mine)
        ]
        if pair(here, found):
            left[key] -= 1
    added = min(len(theirs), len(mine) - len(held)) - len(brought)  # (readings added on both sides)
    for _ in range(added if brought else 0):
        here = max((r for r in mine if later(r) and new_here[read_key(r)]), key=_when, default=None)
        found = [
            r
            for r in theirs
            if here is not None
            and later(r)
            and _ending(r) == _ending(here)
            and new_there[read_key(r)]
            and not any(same_reading(m, r) for m in mine)
        ]
        if not pair(here, found):
            break
    return pairs


def _ending(read: Read) -> str | None:
    """How a reading ended: `finished`, `stopped` (given up), or None (open, or said both ways)."""
    if (read.finished is None) == (read.stopped is None):
        return None
    return "finished" if read.finished is not None else "stopped"


def _same_start(here: Read, read: Read) -> bool:
    """An export's open reading (started, not ended) and one here with its start: that reading, the reader
    having finished (or given up) it in readlog since."""
    return (
        read.finished is None
        and read.stopped is None
        and read.started is not None
        and (here.started is not None and sort_key(here.started) == sort_key(read.started))
    )


def date_placeholders(book: Book, other: Book) -> int:
    """`book`'s placeholder readings (no start, stop, finish or progress: what `add --status read` and an
    export's read shelf make), where each stands for a finished reading (the book is read, or a later reading
    follows), are the finished readings of `other` that `book` has no reading finished on the same day: one
    for one, in order, each placeholder is dropped and its rating (when it has one and the dated reading
    none) and its keys of the reader's own go to the dated reading. A reading is never counted twice: read
    on a day nobody knew, then the day found in the other file. (Two placeholders, one on each side, are
    one reading: _union_reads.) Returns how many placeholders were dated."""
    mine = {sort_key(r.finished) for r in book.reads if r.finished is not None}
    dated = [r for r in other.reads if r.finished is not None and sort_key(r.finished) not in mine]
    last = len(book.reads) - 1
    kept = []
    taken = 0
    for at, read in enumerate(book.reads):
        stands = book.status == "read" or at < last  # (last in a book being read: its reading going on)
        placeholder = read.is_open and read.started is None and not read.progress and not read.pauses
        if placeholder and stands and dated:
            found = dated.pop(0)
            if found.rating is None:
                found.rating = read.rating
            for key, value in read.extra.items():  # (the reader's own keys: the file keeps them there too)
                found.extra.setdefault(key, value)
            taken += 1
            continue
        kept.append(read)
    book.reads = kept
    return taken


def join_reads(book: Book, other: Book) -> list[Read]:
    """The readings of one book kept in two places (another edition, the other file of a `merge`): a
    placeholder on either side is a dated reading of the other's (`date_placeholders`, each way), then
    every reading of each, an identical one once (`_union_reads`). An export's undated reading of a book
    read on a known day is that reading, not a second one. (Changes the placeholders of both.)"""
    return _joined_reads(book, other)[0]


def _joined_reads(book: Book, other: Book) -> tuple[list[Read], list[tuple[str, ...]]]:
    """join_reads, and each placeholder of either taken for a dated reading of the other, as the keys of its
    side's dated readings (read_key: the row's, or the rows' joined before)."""
    taken = [_dated_keys(book)] * date_placeholders(book, other)
    taken += [_dated_keys(other)] * date_placeholders(other, book)
    return _union_reads(book.reads, other.reads), taken


def _dated_keys(book: Book) -> tuple[str, ...]:
    return tuple(read_key(r) for r in book.reads if r.finished is not None)


def _union_reads(mine: list[Read], theirs: list[Read]) -> list[Read]:
    """Readings of two editions: every one of each, an identical one once, and one reading of each that is
    one (`same_reading`: finished on one day, one with its start) once, each's dates and rating in it
    (`_fold`; where both say something different, both readings stay: no date is dropped)."""
    seen = {_read_key(r) for r in mine if r.started or r.finished or r.stopped}
    out = list(mine)
    for read in theirs:
        key = _read_key(read)
        if read.started or read.finished or read.stopped:
            if key in seen:
                continue
            if any(same_reading(r, read) and _fold(r, read) for r in out):
                continue
            seen.add(key)
        elif any(not (r.started or r.finished or r.stopped) for r in mine):
            continue  # an undated reading on each: the same reading as far as anyone can tell
        out.append(copy.deepcopy(read))
    return sorted(out, key=lambda r: (not (r.finished or r.started or r.stopped), _when(r)))


def _when(read: Read) -> str:
    return sort_key(read.finished or read.stopped or read.started)


def same_reading(here: Read, read: Read) -> bool:
    """Whether `read` (an export's, the other file's) is the reading `here`, as an import decides it: both
    finished on one day, or given up on the day the other ended (an earlier import may have taken a DNF's
    date for a finish). A start does not tell two readings apart: an export often has only the finish."""
    if here.finished is not None and read.finished is not None:
        return sort_key(here.finished) == sort_key(read.finished)
    return read.stopped is not None and sort_key(here.stopped or here.finished) == sort_key(read.stopped)


_FOLDED = ("started", "finished", "stopped", "rating", "format", "progress", "pauses")


def _fold(into: Read, other: Read) -> bool:
    """Fill `into` (one reading with `other`: same_reading) with what only `other` says (its start, its
    rating...), when nothing `other` says differs from what `into` says; False (nothing changed) if it does:
    two readings that each say something of their own stay two."""
    if (into.finished is None) != (other.finished is None):
        return False  # (finished on the day the other was given up: which it was, nobody says)
    pairs = [(getattr(into, name), getattr(other, name)) for name in _FOLDED]
    if any(mine not in (None, []) and theirs not in (None, []) and mine != theirs for mine, theirs in pairs):
        return False
    if any(key in into.extra and into.extra[key] != value for key, value in other.extra.items()):
        return False  # (a key of the reader's own, `place`, saying something else: both readings stay)
    for name, (mine, theirs) in zip(_FOLDED, pairs, strict=True):
        if mine in (None, []) and theirs not in (None, []):
            setattr(into, name, copy.deepcopy(theirs))
    for key, value in other.extra.items():
        into.extra.setdefault(key, copy.deepcopy(value))
    return True


def match_reads(mine: list[Read], theirs: list[Read], apart: list[Read] | None = None) -> list[Read]:
    """A newer export's readings matched with the ones already here: each dated reading of the export is
    found by its date (`same_reading`: that reading, given what it lacks, its start: `_join_start`), or
    becomes the open (or undated) reading at the end, or is added; undated readings are added only while
    the export knows more readings than readlog has. Readings the reader logged in readlog stay. Never an
    invented extra one. `apart` is told the export's readings found here with another start (kept)."""
    out = [copy.copy(r) for r in mine]
    for read in theirs:
        if read.finished is None and read.stopped is None:
            continue
        if read.finished is not None:
            here = next((r for r in out if r.finished is not None and same_reading(r, read)), None)
            if here is not None:
                _join_start(here, read, apart)
                continue
        if read.stopped is not None:
            same = [r for r in out if same_reading(r, read)]
            if same:  # given up that day (an earlier import may have taken the DNF's date for a finish)
                if same[0].stopped is None and same[0].finished is not None and read.finished is None:
                    same[0].stopped, same[0].finished = same[0].finished, None
                _join_start(same[0], read, apart)
                continue
        last = out[-1] if out else None
        if (
            last is not None
            and last.is_open
            and (last.started is None or sort_key(last.started) <= _when(read))
        ):
            last.finished, last.stopped = read.finished, read.stopped
            last.started = last.started or read.started
        else:
            out.append(copy.deepcopy(read))
    missing = len(theirs) - len(out)
    return [Read() for _ in range(max(missing, 0))] + out


def _join_start(here: Read, read: Read, apart: list[Read] | None) -> None:
    """`read` (an export's) is the reading `here` (same_reading): what only it says joins `here` (`_fold`:
    its start, from a second service's row of a book another brought: try-out 27a, where StoryGraph's start
    was dropped without a word); where both say something different, `here` stays, and a start the export
    gives that `here` does not have is told to `apart` (said: kept)."""
    if _fold(here, read) or read.started is None or sort_key(here.started) == sort_key(read.started):
        return
    if here.started is None:  # (something else differs, a rating: the start itself is no conflict)
        here.started = copy.deepcopy(read.started)
    elif apart is not None:
        apart.append(read)


# --- editions of one work, in one file -----------------------------------------------------------------
def edition_record(book: Book, source: str) -> dict[str, Any]:
    """What tells one edition from another: its id in the source, its ISBN, its format."""
    table = _table(book, source)
    record: dict[str, Any] = {}
    column = SOURCE_IDS.get(source)
    if column and table.get(column):
        record[column] = table[column]
    if book.isbn:
        record["isbn"] = book.isbn
    else:  # StoryGraph's `ISBN/UID` when it is no ISBN (an ASIN, its own id): the edition's id there
        uid_column = SOURCE_ISBNS.get(source)
        uid = table.get(uid_column) if uid_column else None
        if uid_column and isinstance(uid, str) and uid.strip():
            record[uid_column] = uid.strip()
    format_column = FORMAT_COLUMNS.get(source)
    if format_column and isinstance(table.get(format_column), str) and table[format_column].strip():
        record["format"] = table[format_column].strip()
    return record


def _made_table(book: Book, source: str) -> dict[str, Any] | None:
    """The book's `source` table, made when it has none (None where its file holds something else there)."""
    tables = book.extra.setdefault("source", {})
    if not isinstance(tables, dict):
        return None
    table = tables.setdefault(source, {})
    return table if isinstance(table, dict) else None


def _table(book: Book, source: str) -> dict[str, Any]:
    tables = book.extra.get("source")
    table = tables.get(source) if isinstance(tables, dict) else None
    return table if isinstance(table, dict) else {}


def _add_edition(book: Book, record: dict[str, Any], source: str) -> dict[str, Any] | None:
    """`record` (edition_record) joined to the book's editions under its `source` table: the edition's own
    record in that list when it joined (appended, or an edition kept without its UID given it), for what is
    kept with it (an export's other review); None when nothing joined (no record, the same edition again).
    Where it sits in the list is not asked: an edition given its UID may be any of them."""
    table = _made_table(book, source)
    if table is None:
        return None
    editions = table.get("editions")
    if not isinstance(editions, list):
        own = edition_record(book, source)
        if not own:  # a book no import made (`add`): `record` is the first edition known, its source table's
            return None  # (`_source_columns`), not a list of one under an empty record
        column = SOURCE_IDS.get(source)
        if column and column not in own and all(record.get(name) == value for name, value in own.items()):
            return None  # (its ISBN, say, and the source's id now known: the book's own edition, once)
        editions = [own]
    if not record or record in editions:
        return None
    uid_column = SOURCE_ISBNS.get(source)
    if uid_column and uid_column in record:  # (an edition an older readlog kept without its UID: given it)
        bare = {k: v for k, v in record.items() if k != uid_column}
        for edition in editions:
            if isinstance(edition, dict) and uid_column not in edition and edition == bare:
                edition[uid_column] = record[uid_column]
                table["editions"] = editions
                return edition
    column = SOURCE_IDS.get(source)
    if column and record.get(column) and any(e.get(column) == record[column] for e in editions):
        return None  # the same edition again (one BookWyrm row per reading)
    editions.append(record)
    begun = "editions" not in table
    table["editions"] = editions  # (the list is written only with an edition joined)
    if begun and PROVENANCE in table:  # (the record after it, as an import joining the rows in one go has it:
        table[PROVENANCE] = table.pop(PROVENANCE)  # an import stopped and run again leaves the same file)
    return record


def _edition_in(book: Book, record: dict[str, Any], source: str) -> dict[str, Any] | None:
    """The book's edition under its `source` table that `record` (edition_record) is: the same record, or
    the same id in the source; with no record to tell it by (no id, ISBN or format), the last one (where
    a review of its own is kept rather than lost). None when the book keeps no editions."""
    editions = _table(book, source).get("editions")
    if not isinstance(editions, list):
        return None
    kept = [e for e in editions if isinstance(e, dict)]
    column = SOURCE_IDS.get(source)
    for edition in kept:
        if edition == record or (column and record.get(column) and edition.get(column) == record[column]):
            return edition
    return kept[-1] if kept and not record else None


def join_editions(book: Book, other: Book, source: str) -> list[tuple[str, ...]]:
    """`other` (a later row of the same work in the same file) joined into `book`. Returns the undated
    readings of the two rows the join took for the other row's dated ones (date_placeholders), each as its
    rows' dated readings' keys: readings of the export that no longer show, which a later `--update` must
    not take for readings the export dropped (merge_update's `dated`)."""
    first_rated = _latest(book)
    joined = None
    if book.extra.get("source") and _table(book, source):
        joined = _add_edition(book, edition_record(other, source), source)
    if further(other.status, book.status):  # identity.STATUS_TABLE: the most advanced status wins
        book.status = other.status
    if other.rating is not None and (book.rating is None or _latest(other) >= first_rated):
        book.rating = other.rating
    _fill(book, other)
    book.reads, taken = _joined_reads(book, other)
    if book.status != "want":
        book.priority = None
    elif other.priority is not None:
        book.priority = min(p for p in (book.priority, other.priority) if p is not None)
    if other.added is not None and (book.added is None or other.added < book.added):
        book.added = other.added
    if other.review is not None and not other.review.is_empty():
        if book.review is None or book.review.is_empty():
            book.review = other.review
        elif other.review.body and other.review.body != book.review.body:
            kept_with = (
                joined if joined is not None else _edition_in(book, edition_record(other, source), source)
            )
            if kept_with is not None:
                kept_with["review"] = other.review.body  # never lose a word: kept with its edition
    return taken


def _latest(book: Book) -> str:
    return max(sort_key(book.last_finished), sort_key(book.added))


def _fill(book: Book, other: Book, authors: bool = True) -> None:
    """Fields `book` lacks, from `other` (fields.FILL); lists joined (fields.JOIN). Without `authors` (another
    edition joining the reader's book: merge_edition) the book's authors stay as they are, unless it has
    none."""
    from readlog import fields

    for name, field in fields.FIELDS.items():
        if field.merge == fields.FILL:
            theirs = fields.value(other, field)
            if fields.is_empty(field, fields.value(book, field)) and not fields.is_empty(field, theirs):
                fields.put(book, field, theirs)
        elif name == "authors":  # one person written two ways (`James S.A. Corey`) is one: as written here
            if not authors and book.authors:
                continue
            mine = list(book.authors)
            book.authors = mine + [a for a in other.authors if a not in mine and not names_author(a, mine)]
        elif field.merge == fields.JOIN:  # (an item whose key is here already is not added: fields.joined)
            mine, theirs = fields.value(book, field), fields.value(other, field)
            fields.put(book, field, fields.joined(field, mine, theirs))
    texts = {r.text for r in book.reflections}
    book.reflections += [r for r in other.reflections if r.text not in texts]
    quotes = {q.text for q in book.quotes}
    book.quotes += [q for q in other.quotes if q.text not in quotes]


# --- merging an import into a book of the journal -------------------------------------------------------
def reading_since(book: Book, incoming: Book) -> str | None:
    """The date the book's own latest reading began or was given up (`reading`, `paused`, `abandoned`: its
    open or stopped reading), when the export's readings all end before it (or have no date): then the
    export's status (`read`, 2020-05-01) is an older reading's, added as a past one, and the book's status
    stays what its latest reading says (never `read` by an older finish). None when the export's status may
    move it (a book wanted, or an export's reading as late as the book's)."""
    if book.status not in ("reading", "paused", "abandoned"):
        return None
    mine = max((sort_key(r.stopped or r.started) for r in book.reads if r.is_open or r.stopped), default="")
    theirs = max((sort_key(r.finished or r.stopped or r.started) for r in incoming.reads), default="")
    if theirs and theirs >= mine:
        return None
    return mine or "?"


def merge_edition(
    book: Book, incoming: Book, source: str | None, kept: list[str], changes: list[str] | None = None
) -> bool:
    """A plain re-run met another edition of a book already here: the edition and its readings join it,
    and it gets what it lacks; nothing the reader wrote changes (a status goes further only, and a book no
    longer wanted leaves the queue). True if anything changed; `changes` is told each value changed
    (`what_changed`)."""
    before = copy.deepcopy(book_to_dict(book))
    values = {name: copy.deepcopy(_value(book, name)) for name, _ in _tracked_fields()}
    joined = source is not None and not _table(book, source)  # (a book no import of the source made)
    first_rated = _latest(book)
    edition = None
    if source is not None:
        edition = _add_edition(book, edition_record(incoming, source), source)
        _source_columns(book, incoming, source, overwrite=False)
    if further(incoming.status, book.status) and reading_since(book, incoming) is None:
        book.status = incoming.status
    if book.rating is None:
        book.rating = incoming.rating
    _as_one_file_joins(book, incoming, _record(book, source), values, first_rated)
    if (book.review is None or book.review.is_empty()) and incoming.review is not None:
        book.review = incoming.review
    elif incoming.review is not None and _other_words(incoming.review.body, book.review):
        if edition is not None:  # never lose a word: kept with its edition, as join_editions
            edition["review"] = incoming.review.body
            kept.append(
                "kept the book's review; the export's other review is kept with its edition (`readlog show`)"
            )
        elif _review_beside(book, incoming, source, None, True):  # no edition to keep it with (one added)
            kept.append(
                f"kept the book's review; the export's other review is kept with {_label(source)}'s record "
                "of the book (`readlog show`)"
            )
        else:  # (a format with no source: said, as `--update` says it: the export still holds it)
            kept.append("kept the book's review; the export's other review was not imported")
    _fill(book, incoming, authors=False)  # (another edition's credits never rewrite the book's authors)
    undated = _undated(book.reads) + _undated(incoming.reads)
    book.reads = join_reads(book, copy.deepcopy(incoming))
    if book.status != "want":
        book.priority = None  # a book read (or reading, ...) is no longer in the queue
    left = _undated(book.reads)
    _record_brought(book, source, values, incoming, joined, left if left < undated else None)
    return _changed(before, book, source, changes)


def _undated(reads: list[Read]) -> int:
    return sum(1 for read in reads if read_key(read) == UNDATED)


def _as_one_file_joins(
    book: Book, incoming: Book, record: dict[str, Any] | None, values: dict[str, Any], first_rated: str
) -> None:
    """Another edition met by a plain re-run, where the book's Date Added, queue position and rating are
    still its import's (its provenance `record` holds the `values` the book had), joins them as
    `join_editions` joins two rows of one file: the earlier Date Added, the lower position, the later-dated
    rating (strictly later: where neither reading is dated, the book's rating stays, as a plain import of
    another export leaves it). An import stopped between a work's two rows and run again then ends as one
    uninterrupted run (try-out 27b #7: *The Undoing Project* kept its hardcover row's 2018-12-19 and #123,
    where one run gives the paperback row's 2018-12-04 and #95). A value the reader changed since is
    theirs: left as it is."""
    if record is None:
        return

    def imported(name: str) -> bool:
        return record.get(name) == values[name]

    if incoming.added is not None and book.added is not None and imported("added"):
        book.added = min(book.added, incoming.added)
    if book.status == "want" and incoming.priority is not None and imported("priority"):
        book.priority = min(p for p in (book.priority, incoming.priority) if p is not None)
    if incoming.rating is not None and imported("rating") and _latest(incoming) > first_rated:
        book.rating = incoming.rating


def _record_brought(
    book: Book,
    source: str | None,
    values: dict[str, Any],
    incoming: Book,
    joined: bool = False,
    undated: int | None = None,
) -> None:
    """After a plain import joined an edition: what it changed (a rating the book lacked, the status it moved,
    the queue position it ended) is the import's, in the provenance record, with the edition's readings, so a
    newer export's `--update` applies its own values there rather than keeping them as "yours" (try-out 25a:
    `kept your rating 3 (export says 5)` of a rating the reader never gave). Values the reader changed, which
    this merge leaves, keep their record. A book no import of the source made (`joined`: the reader's own,
    a row joined to it now) gets the one an import of the row writes: the same export again is then seen
    as what the book holds (no `--update` hint: try-out 28b #6); one imported before the record existed
    still has none (its values stay the reader's). `undated`: how many readings with no dates the book has
    left where the join took some for a dated one (date_placeholders): the record keeps no more of them, as
    one import joining the two rows records them (an import stopped between them and run again)."""
    if source is None:
        return
    record = _record(book, source)
    if record is None:
        if joined:  # (what the export said, as an import of the row records it)
            provenance(book, source, incoming)
        return
    for name, _ in _tracked_fields():
        now = _value(book, name)
        if now == values[name]:
            continue
        if now in _LEFT_OUT:
            record.pop(name, None)
        else:
            record[name] = copy.deepcopy(now)
    reads = record.get("reads")
    known = list(reads) if isinstance(reads, list) else []
    known += [key for key in (read_key(r) for r in incoming.reads) if key not in known]
    while undated is not None and known.count(UNDATED) > undated:
        known.remove(UNDATED)
    if known:
        record["reads"] = known
    _table(book, source)[PROVENANCE] = record


def _other_words(body: str | None, review: Review | None) -> bool:
    """An export's review `body` is words the book's `review` does not hold (a review of its own)."""
    mine = review.body if review is not None else None
    return bool(body and body.strip()) and (mine or "").strip() != (body or "").strip()


def _changed(before: dict[str, Any], book: Book, source: str | None, changes: list[str] | None) -> bool:
    """Whether `book` is no longer `before` (book_to_dict of it before a merge); `changes` told how."""
    after = book_to_dict(book)
    if changes is not None and after != before:
        changes += what_changed(before, after, source)
    return after != before


def merge_update(
    book: Book,
    incoming: Book,
    source: str | None,
    kept: list[str],
    changes: list[str] | None = None,
    dated: Sequence[tuple[str, ...]] = (),
) -> bool:
    """`--update`: the export's news lands where the reader has not changed a field since the last import;
    where they have, theirs stays and `kept` says so (`changes` is told each value changed: `what_changed`).
    A to-read position the
    export dropped goes, and readings the last import brought that the export no longer has are removed,
    unless the reader changed them, or an undated reading of a row (`dated` of them: join_editions, for
    `incoming` joined from rows of several editions) stands for one. A row the reader merged into the book
    as another edition's (edition_imported): only what the row changed since its edition's own record, by
    these rules, that record the import's (its values are that edition's, never the book's: review 29a #1).
    True if anything changed."""
    from readlog import fields

    edition = edition_imported(book, source, incoming) if source is not None else None
    record = _record(book, source) if edition is None else _read_record(edition[PROVENANCE])
    news = None if edition is None else _news(record, incoming)
    if news is not None and not news:
        return False  # (the row as its edition's record says: nothing of it is new)
    others = _other_records(book, source, edition) if source is not None else []
    # Of an edition's row, a value of the book that another row's record holds too is that row's as well
    # (both rows rated 5): the edition's change never replaces it (review 30a F2).
    shared = {
        name
        for name in tracked()
        if news and name in news and any(o.get(name) == _value(book, name) for o in others)
    }
    before = copy.deepcopy(book_to_dict(book))  # deep: the merge below changes nested tables in place
    was_want = book.status == "want"
    for name in tracked():
        if news is not None and name not in news:
            continue
        mine, theirs = _value(book, name), _value(incoming, name)
        if name == "priority" and theirs is None and mine is not None and record is not None:
            if record.get("priority") == mine and name not in shared:  # (the export gives it no place now)
                book.priority = None
            continue
        if theirs in (None, []) or mine == theirs:
            continue
        if name == "tags":
            if record is not None and set(mine) == set(record.get("tags", [])) and name not in shared:
                book.tags = list(incoming.tags) + [t for t in book.tags if t not in record.get("tags", [])]
            else:
                book.tags += [t for t in incoming.tags if t not in book.tags]
            continue
        if name == "priority" and mine is None and book.status != "want":  # (status is settled first)
            kept.append(_kept_cleared(name, book, incoming))  # a book reading here, never moved back (28a #4)
            continue
        took = _merge_took(record, others) if name == "added" and edition is None else None
        if took is not None and mine == took:  # (the join's Date Added: the export's row joins it again)
            book.added = min(theirs, took)
            continue
        untouched = record is not None and record.get(name) == mine and name not in shared
        # The last import brought a value the book no longer has: the reader took it away (starting a book, or
        # `next drop`, takes it out of the queue), a change of theirs like any other (try-out 28a #3).
        cleared = mine is None and record is not None and record.get(name) is not None
        if name == "status":
            rank_mine, rank_theirs = STATUS_RANK.get(mine, 0), STATUS_RANK.get(theirs, 0)
            if rank_theirs < rank_mine:
                continue  # an import never moves a book back (an older export's `want` for a read book)
            since = reading_since(book, incoming) if rank_theirs > rank_mine else None
            if since is not None:  # the export's reading is older than the book's own latest: a past one
                began = f" (since {since})" if since != "?" else ""
                kept.append(
                    f"kept your status {mine}{began}: the export's {theirs} reading is an earlier one"
                )
                continue
            untouched = untouched or rank_theirs > rank_mine  # further along: the reader got there too
        if (mine is None and not cleared) or untouched:
            _set(book, incoming, name)
        elif cleared:
            kept.append(_kept_cleared(name, book, incoming))
        else:
            said = f"{_describe(name, book)} (export says {_describe(name, incoming, False)})"
            other = _brought_by(book, name, mine, source)
            said = f"kept {said}: {other}'s import set it" if other else f"kept your {said}"
            if name == "review" and edition is not None and incoming.review is not None:
                edition[SOURCE_REVIEW] = incoming.review.body  # (kept with its edition, as an import's is)
                said += "; the export's is kept with its edition (`readlog show`)"
            elif name == "review" and _review_beside(book, incoming, source, record, other is not None):
                said += f"; the export's is kept with {_label(source)}'s record of the book (`readlog show`)"
            kept.append(said)
    # The rest of what the book lacks (a list: where it has none); of an edition's row, only its news.
    for field in fields.FIELDS.values() if edition is None else ():
        if field.tracked or field.merge not in (fields.FILL, fields.JOIN):
            continue
        theirs = fields.value(incoming, field)
        if fields.is_empty(field, fields.value(book, field)) and not fields.is_empty(field, theirs):
            fields.put(book, field, list(theirs) if field.kind.many else theirs)
    if edition is None:
        texts = {r.text for r in book.reflections}
        book.reflections += [r for r in incoming.reflections if r.text not in texts]
        quotes = {q.text for q in book.quotes}
        book.quotes += [q for q in incoming.quotes if q.text not in quotes]
    brought = record.get("reads") if record is not None else None
    reads_news = news is None or "reads" in news
    theirs = incoming.reads if reads_news else []
    # The export being read, a reading ended here its ending (ended): its open reading, last, is one begun
    # again there (`again`), never an undated one before the others; the book is being read (review 32a #2).
    again = False
    if reads_news and isinstance(brought, list) and all(isinstance(k, str) for k in brought):
        held = _held_reads(others)
        going = incoming.status in ("reading", "paused")
        was_going = record is not None and record.get("status") in ("reading", "paused")
        book.reads, edited = drop_removed_reads(
            book.reads, incoming.reads, brought, dated, held=held, ended=was_going and not going
        )
        theirs, changed, ended = changed_reads(book.reads, incoming.reads, brought, going, held)
        # (or the last import brought no reading going, the export has one more reading than the book here,
        # and none here ended after the export's last: the export read the book again, review 32c's `read`
        # in 2020, then currently-reading, Date Read 2020: never an undated past reading put first)
        fresh = len(incoming.reads) > len(book.reads) and not (
            was_going or _logged_since(book.reads, incoming.reads)
        )
        begun = bool(ended) or fresh
        again = going and begun and bool(theirs) and theirs[-1].is_open
        again = again and book.status not in ("reading", "paused")
        if edited > 0 and len(book.reads) > len(incoming.reads):
            kept.append(
                f"kept {edited} reading{'s' if edited > 1 else ''} you changed here "
                f"(the export no longer has {'them' if edited > 1 else 'it'})"
            )
        for here, there in ended:  # (the reader's own data wins over an export's)
            end = here.finished if here.finished is not None else here.stopped
            kept.append(
                f"kept your {'finish' if here.finished is not None else 'stop'} {_shown(end)} "
                f"(export says {_reading(_dates(there))}{', and reading it again' if again else ''})"
            )
        # (a reading here the export has not, a date corrected, stands for one changed; the rest the reader
        # removed: left out, never said to be kept)
        own = {read_key(r) for r in incoming.reads}
        mended = min(len(changed), sum(1 for r in book.reads if read_key(r) not in own))
        parts = (("kept", "changed", changed[:mended]), ("left out", "removed", changed[mended:]))
        for said, reads, which in parts:
            if which:
                kept.append(
                    f"{said} {len(which)} reading{'s' if len(which) > 1 else ''} you {reads} here "
                    f"(export says {'; '.join(_reading(_dates(r)) for r in which)})"
                )
    apart: list[Read] = []
    book.reads = match_reads(book.reads, theirs[:-1] if again else theirs, apart)
    if again:
        book.reads.append(copy.deepcopy(theirs[-1]))
        book.status = incoming.status
    if apart:
        n = len(apart)
        kept.append(
            f"kept the start here of {n} reading{'s' if n > 1 else ''} "
            f"(export says {'; '.join(_reading(_dates(r)) for r in apart)})"
        )
    if (was_want and book.status != "want") or book.status in ("read", "abandoned"):
        book.priority = None  # a finished book leaves the queue
    if edition is not None:
        _update_edition(edition, incoming, book)
    elif source is not None:
        _source_columns(book, incoming, source, overwrite=True)
        provenance(book, source, incoming, update=True)
    return _changed(before, book, source, changes)


def _logged_since(mine: list[Read], theirs: list[Read]) -> bool:
    """Whether a reading here ended after every reading `theirs` (an export's) ended: one the reader logged
    since, which an open reading of the export's may be."""
    last = max((_when(r) for r in theirs if _ending(r)), default="")
    return any(_ending(r) and _when(r) > last for r in mine)


def _merge_took(record: dict[str, Any] | None, others: list[dict[str, Any]]) -> Any:
    """The Date Added `readlog merge` gave the book from a merged edition's record (`others`), earlier than
    the one its own row's `record` brought: the earlier of the two, as an import joining the rows takes it,
    never a change of the reader's (every `--update` said `kept your added`: t32c). None: no such one."""
    mine = record.get("added") if record is not None else None
    dates = [o["added"] for o in others if type(o.get("added")) is type(mine)]  # (a date, a date)
    return min(dates) if mine is not None and dates and min(dates) < mine else None


def _other_records(book: Book, source: str, edition: dict[str, Any] | None) -> list[dict[str, Any]]:
    """The records of `source` that `book` keeps besides the one `--update` compares a row with (the book's
    own, or `edition`'s: edition_imported): the book's own record, when an edition's row is updated, and
    every merged edition's own record but `edition`: rows the book is also made of."""
    mine = _record(book, source)
    out = [mine] if mine is not None and edition is not None else []
    editions = _table(book, source).get("editions")
    for other in editions if isinstance(editions, list) else ():
        if isinstance(other, dict) and other is not edition:
            record = _read_record(other.get(PROVENANCE))
            if record is not None:
                out.append(record)
    return out


def _held_reads(records: list[dict[str, Any]]) -> list[str]:
    """The keys of the readings `records` (provenance records) brought, each as often as any one brought it:
    readings a row's `--update` leaves while another row still brings them (review 30a F1)."""
    from collections import Counter

    held: Counter[str] = Counter()
    for record in records:
        reads = record.get("reads")
        if isinstance(reads, list):
            held |= Counter(key for key in reads if isinstance(key, str))
    return list(held.elements())


def _news(record: dict[str, Any] | None, incoming: Book) -> set[str]:
    """What the row `incoming` says otherwise than `record` (its provenance record) does: the tracked fields
    and `reads` that changed in the export since."""
    brought = imported_record(incoming)
    record = record or {}
    return {name for name in (*tracked(), "reads") if record.get(name) != brought.get(name)}


def _kept_cleared(name: str, book: Book, incoming: Book) -> str:
    """How `--update` says it kept a value the reader took away since the last import: a queue position by
    what the book is now (`kept it out of the queue: it is reading here (export says queue #1)`)."""
    theirs = _describe(name, incoming, False)
    if name != "priority":
        return f"kept your {name}: none (export says {theirs})"
    now = "you took it out here" if book.status == "want" else f"it is {book.status} here"
    return f"kept it out of the queue: {now} (export says queue #{theirs})"


def _brought_by(book: Book, name: str, mine: Any, source: str | None) -> str | None:
    """The label of another source whose last import brought the book's value `mine` of `name` (its
    provenance record holds it): then that import set it, not the reader, and `kept` says so."""
    tables = book.extra.get("source")
    for other in tables if isinstance(tables, dict) else ():
        record = _record(book, other) if other != source else None
        if record is not None and record.get(name) == mine:
            return _label(other)
    return None


def _label(source: str | None) -> str:
    """How the import of `source` is named to the reader (`Goodreads`, `StoryGraph`)."""
    from readlog.importers import registry

    return next((i.label for i in registry() if i.source == source), str(source))


# The key of a source's table that keeps that source's review of the book when the book's own review is
# another (another source's import brought it, or the reader wrote it): never a word lost, and shown.
SOURCE_REVIEW = "review"


def _review_beside(
    book: Book, incoming: Book, source: str | None, record: dict[str, Any] | None, elsewhere: bool
) -> bool:
    """An import keeps the book's review, and the export's review is another: kept in the source's table
    (SOURCE_REVIEW, as an edition's is kept with its edition: traits.edition_reviews shows it, search finds
    it), unless it is the reader's change of this source's own review of the book (its provenance `record`
    says this source's import brought the book's review, and no other import set the one it has now:
    not `elsewhere`; nothing is kept beside it yet): then the reader's stands and the export's new words are
    theirs to drop (said). True if kept."""
    body = incoming.review.body if incoming.review is not None else None
    if source is None or not body or not body.strip():
        return False
    changed_here = record is not None and "review" in record and not elsewhere
    if changed_here and SOURCE_REVIEW not in _table(book, source):
        return False
    table = _made_table(book, source)
    if table is not None:
        table[SOURCE_REVIEW] = body
    return table is not None


def clear_imported_priority(book: Book, source: str) -> bool:
    """A book the newer export no longer lists: the queue position the last import gave it goes (one the
    reader set in readlog stays). True if it went."""
    record = _record(book, source)
    if record is None or book.priority is None or record.get("priority") != book.priority:
        return False
    book.priority = None
    tables = book.extra["source"]
    tables[source][PROVENANCE] = {k: v for k, v in record.items() if k != "priority"}
    return True


# How a change to a key of the book's file is said (what_changed); any other key by its own name.
_SAID_AS = {"priority": "queue position", "reads": "reading", "reflections": "reflection", "quotes": "quote"}


def what_changed(before: dict[str, Any], after: dict[str, Any], source: str | None = None) -> list[str]:
    """Every value of a book a merge changed, one phrase each, in the file's order (`before`, `after`:
    model.book_to_dict of it): `rating 5 -> 3`, `status want -> read`, `queue position 142 -> none`,
    `authors + Erich Fromm, Irving Howe`, `reading added (finished 2019-05-01)`, `review added`, and of the
    source's own table only the editions joined (its other columns are the export's, not the reader's)."""
    said = []
    for key in dict.fromkeys([*before, *after]):
        old, new = before.get(key), after.get(key)
        if key in ("schema", "source") or old == new:
            continue
        name = _SAID_AS.get(key, key)
        if key == "review":
            said.append("review added" if not old else "review removed" if not new else "review replaced")
        elif key == "reads":
            said += _list_change(name, old or [], new or [], _reading)
        elif isinstance(old, list) or isinstance(new, list):
            said += _list_change(name, old or [], new or [], _item)
        else:
            said.append(f"{name} {_shown(old)} -> {_shown(new)}")
    if source is not None:
        now = _editions(after, source)
        mine = _editions(before, source) or now[:1]  # (a list begun now starts with the book's own edition)
        said += [f"another edition joined ({_edition(e)})" for e in now if e not in mine]
    return said


def _list_change(name: str, old: list[Any], new: list[Any], shown: Any) -> list[str]:
    """`authors + A, B` / `tags - x`, or for whole records (readings, quotes) `reading added (...)`."""
    added = [v for v in new if v not in old]
    gone = [v for v in old if v not in new]
    if name in _SAID_AS.values():
        return [f"{name} added ({shown(v)})" for v in added] + [f"{name} removed ({shown(v)})" for v in gone]
    out = [f"{name} + {_few([shown(v) for v in added])}"] if added else []
    out += [f"{name} - {_few([shown(v) for v in gone])}"] if gone else []
    return out or [f"{name} reordered"]


def _few(items: list[str], most: int = 5) -> str:
    if len(items) <= most:
        return ", ".join(items)
    return f"{', '.join(items[:most])} and {len(items) - most} more"


def _dates(read: Read) -> dict[str, Any]:
    return {"started": read.started, "finished": read.finished, "stopped": read.stopped}


def _reading(read: dict[str, Any]) -> str:
    dated = [f"{k} {_shown(read[k])}" for k in ("started", "finished", "stopped") if read.get(k) is not None]
    return ", ".join(dated) or "undated"


def _item(value: Any) -> str:
    if isinstance(value, dict):  # a series, a quote, a reflection: what names it
        named = value.get("name") or value.get("text") or value.get("title") or ""
        number = f" #{value['number']}" if value.get("number") else ""
        return f"{one_line(str(named))[:60]}{number}"
    return _shown(value)


def _shown(value: Any) -> str:
    if value is None:
        return "none"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "yes" if value else "no"
    return one_line(str(value))


def _editions(book: dict[str, Any], source: str) -> list[Any]:
    tables = book.get("source")
    table = tables.get(source) if isinstance(tables, dict) else None
    editions = table.get("editions") if isinstance(table, dict) else None
    return editions if isinstance(editions, list) else []


def _edition(record: Any) -> str:
    if not isinstance(record, dict):
        return str(record)
    return ", ".join(f"{k} {v}" for k, v in record.items() if k != "review") or "no id"


def _source_columns(book: Book, incoming: Book, source: str, overwrite: bool) -> None:
    """The export's own columns for this source, joined into the book's source table (editions kept)."""
    theirs = _table(incoming, source)
    if not theirs:
        return
    tables = book.extra.setdefault("source", {})
    if not isinstance(tables, dict):
        return
    mine = tables.setdefault(source, {})
    if not isinstance(mine, dict):
        tables[source] = mine = {}
    for key, value in theirs.items():
        if key in (PROVENANCE, "editions"):
            continue
        if overwrite or key not in mine:
            mine[key] = copy.deepcopy(value)
    for record in theirs.get("editions", []) if isinstance(theirs.get("editions"), list) else []:
        _add_edition(book, record, source)


def _record(book: Book, source: str | None) -> dict[str, Any] | None:
    if source is None:
        return None
    return _read_record(_table(book, source).get(PROVENANCE))


def _read_record(record: Any) -> dict[str, Any] | None:
    """A provenance record as the import compares it (None: none there)."""
    if not isinstance(record, dict):
        return None
    return field_dates(record)  # (a journal restored from JSON by an older readlog: its dates as text)


def records_of(data: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Every provenance record a book's data holds (book_to_dict's, or a JSON export's object): each source
    table's own, and each of its editions' (`readlog merge` keeps a merged row's with its edition)."""
    tables = data.get("source")
    for table in tables.values() if isinstance(tables, dict) else ():
        if not isinstance(table, dict):
            continue
        if isinstance(table.get(PROVENANCE), dict):
            yield table[PROVENANCE]
        editions = table.get("editions")
        for edition in editions if isinstance(editions, list) else ():
            if isinstance(edition, dict) and isinstance(edition.get(PROVENANCE), dict):
                yield edition[PROVENANCE]


def _value(book: Book, name: str) -> Any:
    if name == "review":
        body = book.review.body if book.review and not book.review.is_empty() else None
        return _fingerprint(body) if body else None
    from readlog import fields

    return fields.value(book, fields.FIELDS[name])


def _fingerprint(text: str) -> str:
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _set(book: Book, incoming: Book, name: str) -> None:
    if name == "review":
        book.review = copy.deepcopy(incoming.review)
    else:
        from readlog import fields

        field = fields.FIELDS[name]
        fields.put(book, field, copy.deepcopy(fields.value(incoming, field)))


_UNSET: Any = object()


def _describe(name: str, book: Book, label: bool = True) -> str:
    if name == "review":
        return "review" if label else "another"
    value = _value(book, name)
    if isinstance(value, date):
        value = value.isoformat()
    return f"{name} {value}" if label else str(value)


_LEFT_OUT: tuple[Any, ...] = (None, [])  # values the record leaves out (compared with, never changed)


def provenance(book: Book, source: str, incoming: Book | None = None, update: bool = False) -> None:
    """Record under the source table what this import brought for the fields a reader also edits, and what
    the book took from the row of its other values (_own_taken). A record written before readlog kept the
    row's `authors`, or the book's other values, that is otherwise this one stays as it is (the same
    record: an import of the same export changes nothing, review 27a). `update` (`--update`, which brings
    no authors in): the record's `authors` stay whom the book took from the row (_authors_taken)."""
    tables = book.extra.get("source")
    if not isinstance(tables, dict) or not isinstance(tables.get(source), dict):
        return
    row = incoming if incoming is not None else book
    record = imported_record(row)
    stored = tables[source].get(PROVENANCE)
    if update and isinstance(stored, dict):
        _authors_taken(record, stored, book)
    older = isinstance(stored, dict) and ("authors" not in stored or OWN_MARK not in stored)
    if older and same_record(stored, record):
        return  # (an older record of the row: stays as it is, so the same export again writes nothing)
    tables[source][PROVENANCE] = _with_own(record, _own_taken(book, row, stored))


def _authors_taken(record: dict[str, Any], stored: dict[str, Any], book: Book) -> None:
    """`--update`'s record names whom the book took from the row: the authors the record named (the import
    that made the book, or joined a row to it), never a newer row's the book did not take (*Carrie* by
    Stephen Kng, a newer export's Stephen King: try-out 28b #7); a record without them (written before
    readlog kept them) names the row's only when they are the book's."""
    named = stored.get("authors")
    if isinstance(named, list):
        record["authors"] = named
    elif not recorded_as(record.get("authors", []), book.authors):
        record.pop("authors", None)


def same_record(stored: dict[str, Any] | None, brought: dict[str, Any]) -> bool:
    """A book's provenance record (`stored`) is the one an import of the row writes now (`brought`), but
    for `authors`: whom the book took from the row, which no later export changes (`--update` brings no
    authors in: _authors_taken), and one from before readlog kept them is that row's record all the same."""
    if stored is None:
        return False
    return _compared(stored) == _compared(brought)


def _compared(record: dict[str, Any]) -> dict[str, Any]:
    """What of a record is compared with a row: what `--update` takes (the tracked fields, the review's
    fingerprint, the readings), never whom the book took (`authors`) nor the book's other values (_own)."""
    names = _compared_names.get(fields.generation) or _compared_keys()
    return {key: value for key, value in record.items() if key in names}


# --- the book's other values, in its provenance record ------------------------------------------------
# Besides what `--update` takes, the record holds what the book took from the row of every other value of
# its own (`_own`: every other field of fields.FIELDS, `title`, `series`, `isbn`, `duration`, `private`...,
# and a plain key an import writes that is no field, StoryGraph's `translators`), so that `as_imported`
# tells a copy the reader changed since (a title, `private`, an ISBN) from one as its import made it (review
# 30e F4). A record written before readlog kept them (no `title`, which every book has) vouches for none.
OWN_MARK = "title"
_own_fields: dict[int, tuple[str, ...]] = {}
_compared_names: dict[int, frozenset[str]] = {}


def _compared_keys() -> frozenset[str]:
    """The keys of a record that `--update` takes (_compared): tracked(), and `reads`."""
    made = _compared_names.get(fields.generation)
    if made is None:
        made = _compared_names[fields.generation] = frozenset((*tracked(), "reads"))
    return made


def _own_names() -> tuple[str, ...]:
    """The fields a record holds as the book's other values (_own): neither tracked nor `authors`."""
    made = _own_fields.get(fields.generation)
    if made is None:
        made = _own_fields[fields.generation] = tuple(
            name for name, field in fields.FIELDS.items() if not field.tracked and name != "authors"
        )
    return made


def _own(book: Book) -> dict[str, Any]:
    """The book's other values (what a record holds beside what `--update` takes: _own_names's fields, and
    the plain keys readlog does not know), each as book_to_dict writes it (an empty one left out)."""
    out: dict[str, Any] = {}
    for name in _own_names():
        value = getattr(book, name, None)
        if type(value) is list:  # (a copy: the record never shares the book's list)
            value = [dict(v) if type(v) is dict else v for v in value]
        if value is not None and value is not False and value != []:
            out[name] = value
    for key, value in book.extra.items():
        if key != "source" and not (isinstance(value, dict | list) and is_table_like(value)):
            out[key] = list(value) if isinstance(value, list) else value
    return out


def _own_of(record: dict[str, Any]) -> dict[str, Any]:
    """What a record holds of the book's other values (_own): all but what `--update` takes and `authors`."""
    names = _compared_keys()
    return {k: v for k, v in record.items() if k not in names and k != "authors"}


def _own_taken(book: Book, row: Book, stored: Any) -> dict[str, Any]:
    """The book's other values (_own) that a record of the row `row` holds: the row's, where the book holds
    it (the import gave it, or the book had it already); where the book keeps another (a title, which an
    export never changes; an ISBN of its own), what the record `stored` said (an earlier row's), else none:
    never a value of the book the row did not bring, which may be the reader's."""
    theirs = _own(row)
    if row is book and not isinstance(stored, dict):
        return theirs  # (a book an import makes: the row's own)
    mine = theirs if row is book else _own(book)
    before = _own_of(stored) if isinstance(stored, dict) else {}
    out: dict[str, Any] = {}
    for key in dict.fromkeys([*theirs, *before]):
        value = theirs.get(key, _UNSET)
        if mine.get(key, _UNSET) != value:
            value = before.get(key, _UNSET)
        if value is not _UNSET:
            out[key] = value
    return out


def _with_own(record: dict[str, Any], own: dict[str, Any]) -> dict[str, Any]:
    """`record` (imported_record's, changed) with the book's other values (_own) after what `--update`
    takes."""
    after = [(key, record.pop(key)) for key in ("authors", "reads") if key in record]
    record.update(own)
    record.update(after)
    return record


def recorded(book: Book, source: str) -> dict[str, Any] | None:
    """What the last import of `source` brought to `book` (its provenance record), if it says."""
    return _record(book, source)


def records_row(book: Book, source: str, row: Book) -> bool:
    """Whether `book` holds `source`'s own record of the export's row `row`: the provenance an import of that
    row wrote (a row of a source with no id of its own: a StoryGraph row with no ISBN/UID). The row is that
    one when it has the record's Date Added (the day it was put on a shelf in the app, which a newer export
    says too) and still every dated reading the record holds (an export adds readings, it does not change
    them); with no Date Added on either side, it must share a dated reading. Such a book is the row's,
    whatever its authors now say (the reader gave the authorless book an author since). Another row of
    the title (King's *The Stand* with other readings) is not: a maybe, as for any other book."""
    return _records(_record(book, source), row)


def _records(record: dict[str, Any] | None, row: Book) -> bool:
    """Whether `record` (a provenance record) is the row's: records_row's rule."""
    if record is None or str(record.get("added")) != str(row.added):
        return False
    dated = _dated(record)
    if row.added is None and not dated:
        return False  # (nothing ties the record to this row)
    return dated <= {read_key(read) for read in row.reads}


def recorded_authors(book: Book, source: str) -> list[str] | None:
    """The authors `source`'s provenance record of `book` says the export's row named (None: a record
    written before readlog kept them, or none)."""
    record = _record(book, source)
    names = record.get("authors") if record is not None else None
    if not isinstance(names, list) or not all(isinstance(name, str) for name in names):
        return None
    return names or None


def records_a_reading(book: Book, source: str) -> bool:
    """Whether `book`'s provenance record of `source` holds a dated reading its import brought (a reading
    ties a record to its row more than the row's Date Added alone, which many rows may share)."""
    record = _record(book, source)
    return record is not None and bool(_dated(record))


def as_imported(book: Book) -> bool:
    """Whether `book` is as an import made it, nothing changed since: it holds a source's provenance record
    and everything else it holds is what that import brought, by the record: what the reader also edits
    (the tracked fields, the readings' dates, the review's fingerprint, the authors) and the book's other
    values (_own: the title, series, ISBN, `private`...): a row kept as its own book beside the reader's,
    say. A book the reader added (no record), changed since (a pen name for its author, a tag, a reading, a
    new title, `private`: review 30e F4) or joined is not, nor one with authors whose record names none
    (from before records named them: who gave it its authors is not known), nor one whose record is from
    before records held its other values (no `title`: _own). Nor is one holding anything no record holds
    (_unrecorded: writing, a reading's progress, a review's headline, a look-up's table): whoever wrote it,
    a copy holding it is never offered as the one to remove (try-out 30b #3)."""
    tables = book.extra.get("source")
    if not isinstance(tables, dict) or _unrecorded(book):
        return False
    brought, own = imported_record(book), _own(book)
    for source in tables:
        stored = _record(book, source)
        if stored is None or not same_record(stored, brought) or _own_of(stored) != own:
            continue
        named = recorded_authors(book, source)
        if recorded_as(named, book.authors) if named is not None else not book.authors:
            return True  # (a record naming none: an authorless row's, or one from before records named them)
    return False


# What of a book's file a provenance record vouches for outside its own values (_own): a reading's dates,
# the review's body (its fingerprint), the export's own source tables.
_READ_DATES = frozenset(("started", "finished", "stopped"))


def _unrecorded(book: Book) -> bool:
    """Whether `book`'s file holds anything no provenance record holds (it holds the fields, `authors`, the
    readings' dates, the review's fingerprint, and the plain keys an import writes: _own), walked in the
    file's terms (book_to_dict), so that a part added later counts too: writing (`reflect`, `quote`, a
    pick, `read_next`), a reading's progress, pauses, own rating or format, a review's headline, date or
    `private`, a table readlog does not know, the look-up's `[source.openlibrary]` (`enrich`: no import
    writes one; review 30e F4). (An export's own notes, a Goodreads row's Private Notes, a BookWyrm
    review's headline, count too: they are not told from the reader's since.)"""
    for key, value in book_to_dict(book).items():
        if key == "reads":
            if any(not _READ_DATES.issuperset(read) for read in value):
                return True
        elif key == "review":
            if set(value) - {"body"}:
                return True
        elif key == "source":
            if LOOKUP_SOURCE in value:
                return True
        elif key not in fields.FIELDS and isinstance(value, dict | list) and is_table_like(value):
            return True
    return False


def one_row(a: Book, b: Book) -> bool:
    """Whether two books each hold one source's own record of one export row (records_row's rule, of the
    two records: the row's Date Added, and the dated readings of one, a newer export's, holding the
    other's; with authors on both sides, as the import asks, a dated reading in common too): a sync's two
    versions of a book file added on two devices, each by an import of that row, are that row's one book,
    whatever authors the reader gave either since; never two books a service gave ids of their own
    (identity.ids_apart). Records that name the row's authors (`authors`, kept since session 27) decide by
    them (identity.recorded_as): the same people named, whatever the books say now. Older records, by the
    books' authors: one person's (identity.authors_agree), never a near spelling alone (Robert Lowell and
    Robert Powell are two poets: try-out 27b)."""
    for source, mine, theirs in _records_of_one_day(a, b):
        named, other = recorded_authors(a, source), recorded_authors(b, source)
        if named is not None and other is not None:
            if not recorded_as(named, other):
                continue  # (two rows: two people's books of one title, put on shelves on one day)
        elif a.authors and b.authors and not authors_agree(a.authors, b.authors):
            continue  # (an older record: two people's books, or a name a letter from another's: never one)
        dated_mine, dated_theirs = _dated(mine), _dated(theirs)
        if (mine.get("added") is None or (a.authors and b.authors)) and not dated_mine & dated_theirs:
            continue  # (nothing ties the two records to one row; two spellings of authors: a reading must)
        if dated_mine <= dated_theirs or dated_theirs <= dated_mine:
            return True
    return False


def may_be_one_row(a: Book, b: Book) -> bool:
    """Whether two books each hold what may be one source's own record of one export row, as an import asks
    of a row (records_row: the row's Date Added, and the dated readings of one holding the other's; a
    dated reading in common when neither has a Date Added), the records naming the same people when both
    name them (identity.recorded_as), whatever authors the books have now: the pair an import names as a
    maybe and keeps apart (a row parked as its own book beside the book the reader made Stephen King's),
    which `readlog check` lists too (try-out 28b #5). An older record (no `authors`: one_row's rule) goes by
    the books' authors, one person's, unless a dated reading in common ties the two (`It` by Richard
    Bachman, read on a day, made Stephen King's): never every same-titled pair of one Date Added (review
    28c #2: Plath's, Whitman's and Dickinson's *Poems*). Never two books a service gave ids of their own."""
    for source, mine, theirs in _records_of_one_day(a, b):
        named, other = recorded_authors(a, source), recorded_authors(b, source)
        dated_mine, dated_theirs = _dated(mine), _dated(theirs)
        read = bool(dated_mine & dated_theirs)  # (a dated reading in common)
        if named is not None and other is not None:
            if not recorded_as(named, other):
                continue  # (two rows: two people's books of one title, put on shelves on one day)
        elif a.authors and b.authors and not authors_agree(a.authors, b.authors) and not read:
            continue  # (an older record: two people's books of one day, nothing more tying them)
        if mine.get("added") is None and not read:
            continue  # (nothing ties the two records to one row)
        if dated_mine <= dated_theirs or dated_theirs <= dated_mine:
            return True
    return False


def _records_of_one_day(a: Book, b: Book) -> Iterator[tuple[str, dict[str, Any], dict[str, Any]]]:
    """Each source both books hold a provenance record of, with one Date Added (or none on both), as
    (source, a's record, b's record); none for two books a service gave ids of their own (ids_apart)."""
    tables = a.extra.get("source")
    sources = list(tables) if isinstance(tables, dict) else []
    if any(ids_apart(a, b, source) for source in sources):
        return  # (a service's records of two books: a Book Id of each)
    for source in sources:
        mine, theirs = _record(a, source), _record(b, source)
        if mine is not None and theirs is not None and str(mine.get("added")) == str(theirs.get("added")):
            yield source, mine, theirs


def _dated(record: dict[str, Any]) -> set[str]:
    """The keys (read_key) of the dated readings a provenance record says its import brought."""
    brought = record.get("reads")
    dated = {key for key in brought if isinstance(key, str)} if isinstance(brought, list) else set()
    dated.discard(UNDATED)
    return dated


def imported_record(brought: Book) -> dict[str, Any]:
    """The provenance record an import that brings the book `brought` writes."""
    record: dict[str, Any] = {}
    for name, field in _tracked_fields():
        # (as `_value` reads each: fields.value for a field, the review's fingerprint; the field's empty
        # value, a property, asked only of a book without the attribute)
        if field is None:
            value = _value(brought, name)
        else:
            value = getattr(brought, name, _UNSET)
            if value is _UNSET:
                value = field.empty
        if value not in _LEFT_OUT:
            record[name] = value
    authors = [name for name in brought.authors if name.strip()]
    if authors:  # whom the row named: its book is found by it, whatever authors the reader gives it since
        record["authors"] = authors
    reads = [read_key(r) for r in brought.reads]  # what a newer export's readings are checked against
    if reads:
        record["reads"] = reads
    return record


# --- a book the reader merged in: its row's record, kept with its edition -------------------------------
# `readlog merge` keeps the merged book's record of each source with its edition (`[source.NAME.editions]`'s
# `imported`): the row is still that edition's, and an import compares it with its own record, never with the
# kept book's (review 29a #1). An edition an import joined has none: the book's record is its row's too.
def edition_imported(book: Book, source: str, row: Book) -> dict[str, Any] | None:
    """The edition of `book` under its `source` table holding its own record of the export's row `row`: by
    the edition's id (a Book Id, an ISBN, StoryGraph's ISBN/UID), else (a row with no id) by the record
    (the row's, or records_row's rule) naming the row's authors, or none of a row with none. None when the
    book's own record is the row's, or no edition holds one of it. Of records alike (two to-read rows of
    one author and one Date Added), the title decides: an edition that keeps the row's title (ROW_TITLE) is
    its, in a book of another title, whatever the book's own record says; one that keeps another row's
    title is never this row's (review 31a F2)."""
    editions = _table(book, source).get("editions")
    own = (
        [e for e in editions if isinstance(e, dict) and isinstance(e.get(PROVENANCE), dict)]
        if isinstance(editions, list)
        else []
    )
    if not own:
        return None  # (most books)
    told = _row_edition(row, source)
    if edition_keys(told, source):  # (by its id; one id under two titles, merged: by its title too)
        same = [e for e in own if one_edition(e, told, source)]
        return next((e for e in same if ROW_TITLE not in e or _titled(e, row)), None)
    brought = imported_record(row)
    found = [e for e in own if _row_of(_read_record(e[PROVENANCE]), row, brought, strict=True)]
    titled = [e for e in found if _titled(e, row)]
    if titled and not titled_alike(book.title, row.title):
        return titled[0]  # (the row merged in under its title, its record like the book's own)
    mine = _record(book, source)
    if same_record(mine, brought) and _row_of(mine, row, brought, strict=True):
        return None
    return next(iter(titled or [e for e in found if ROW_TITLE not in e]), None)


# An edition with no id keeps the title of the book `readlog merge` brought it from (`title` in its entry):
# what tells its row from another row of those authors and that Date Added (merged_row).
ROW_TITLE = "title"


def _titled(edition: dict[str, Any], row: Book) -> bool:
    """Whether the merged edition's title (ROW_TITLE) is the row's."""
    return titled_alike(edition.get(ROW_TITLE), row.title)


def merged_row(book: Book, source: str, row: Book) -> bool:
    """Whether `book` keeps the record of the export's row `row` (a row with no id: StoryGraph's with no
    ISBN/UID) with an edition `readlog merge` brought it (edition_imported), whatever the book's title: an
    edition of the row's title (ROW_TITLE), or one merged before readlog kept it whose record holds a dated
    reading the row still has (a Date Added alone ties a record to no one row: a shelf filled on one day).
    Asked of the books the index finds by the row's identity.row_key."""
    edition = edition_imported(book, source, row)
    if edition is None or edition_id(edition) is not None:
        return False
    if ROW_TITLE in edition:
        return _titled(edition, row)
    record = _read_record(edition[PROVENANCE])
    return record is not None and bool(_dated(record))


def owns_row(book: Book, source: str, row: Book) -> bool:
    """Whether `book` holds the record of the export's row `row` (a row with no id) as its own, whatever the
    book's title now (a merged book restored from the trash and retitled since: try-out 32b #7): its table of
    the source names no id, and its record is of the row's title (the title the import recorded) and the
    row's by _row_of. Asked of the books the index finds by the row's identity.own_key."""
    table = _table(book, source)
    record = _record(book, source)
    return (
        record is not None
        and edition_id(table) is None
        and titled_alike(record.get("title"), row.title)
        and _row_of(record, row, imported_record(row), strict=False)
    )


def _row_of(record: dict[str, Any] | None, row: Book, brought: dict[str, Any], strict: bool) -> bool:
    """Whether `record` is the record of `row` (which brings `brought`), a row with no id: the same record,
    or records_row's rule, by the authors it names. A record naming none: `strict`, only an authorless
    row's (an edition's record, kept by a merge); else any row's (a book's record from before records named
    them: as the import takes it)."""
    if record is None:
        return False
    named = record.get("authors")
    if isinstance(named, list) and named:
        if not recorded_as(named, row.authors):
            return False
    elif strict and row.authors:
        return False
    return same_record(record, brought) or _records(record, row)


def edition_news(book: Book, source: str, row: Book) -> bool | None:
    """Of a row of the export that the reader merged into `book`: None when it is the book's own row (the
    book's record of the source is the row's), else whether `--update` has news of it: the record its
    edition keeps (edition_imported) is not what the row brings now. False for an edition merged before
    readlog kept its record: its values are an edition's, never the book's."""
    edition = edition_imported(book, source, row)
    if edition is not None:
        return not same_record(_read_record(edition[PROVENANCE]), imported_record(row))
    told = _row_edition(row, source)
    if edition_keys(told, source):
        return None if one_edition(edition_record(book, source), told, source) else False
    return None if _row_of(_record(book, source), row, imported_record(row), strict=False) else False


def holds_record(book: Book, source: str, row: Book) -> bool:
    """Whether `book` holds the record an import of the row writes now: its own, or one of its editions'
    (edition_imported): the export says nothing else of it."""
    brought = imported_record(row)
    if same_record(_record(book, source), brought):
        return True
    edition = edition_imported(book, source, row)
    return edition is not None and same_record(_read_record(edition[PROVENANCE]), brought)


# How a row that would take back what an import brought is older than that import's record (taken_back):
# by its own dates, earlier than the record's; or only behind it, its status one the record's had passed.
OLDER, BEHIND = "older", "behind"


def taken_back(book: Book, source: str, row: Book) -> tuple[str, list[str]] | None:
    """What the export's row `row` would take back of what an import of `source` brought `book` (its record,
    or its edition's: holds_record): None where the book holds the record the row brings. Else how the row
    is older than that record, and how it differs, from the record's values to the row's, as what_changed
    says them (`rating 4 -> 3`, `reading removed (started 2026-02-20, stopped 2026-03-01)`). OLDER: its own
    latest date (Date Added, a reading's) is earlier than the record's (a row of an older export, or one
    whose latest reading was taken out there); BEHIND: its dates are not, but its status is one the
    record's had passed (`reading` for `read`: a row of an older export all the same, most likely); ""
    neither (a rating, a shelf, a position: no date tells which is newer). A book without a record: "",
    no values (not known)."""
    brought = imported_record(row)
    stored = _record(book, source)
    if same_record(stored, brought):
        return None
    edition = edition_imported(book, source, row)
    if edition is not None:
        stored = _read_record(edition[PROVENANCE])
        if same_record(stored, brought):
            return None
    if stored is None:
        return "", []
    mine, theirs = _record_latest(stored), _record_latest(brought)
    said = what_changed(_record_said(stored), _record_said(brought))
    if theirs and theirs < mine:
        return OLDER, said
    return BEHIND if further(stored.get("status"), brought.get("status")) else "", said


def _record_latest(record: dict[str, Any]) -> str:
    """A provenance record's latest day (its `added`, its readings' days), as ISO text ("": none)."""
    days = [str(record["added"])] if record.get("added") else []
    days += [day for key in record.get("reads", []) if isinstance(key, str) for day in key.split("|") if day]
    return max(days, default="")


def _record_said(record: dict[str, Any]) -> dict[str, Any]:
    """A record as what_changed reads a book's data: what `--update` takes (_compared), each reading as
    its days."""
    said = _compared(record)
    if "reads" in said:
        said["reads"] = [
            dict(zip(("started", "finished", "stopped"), _key_days(k), strict=True)) for k in said["reads"]
        ]
    return said


def _key_days(key: Any) -> list[str | None]:
    days = str(key).split("|") + ["", ""]
    return [day or None for day in days[:3]]


def _row_edition(row: Book, source: str) -> dict[str, Any]:
    """The edition of the export's row `row` (its first row's, when other rows of its work joined it: the
    one its record is of), as edition_record names it: the first of its `editions`, which the join began
    with that row's edition before the others filled in what it lacked (an ISBN, where its ISBN/UID was
    StoryGraph's own id), else its edition_record."""
    editions = _table(row, source).get("editions")
    if isinstance(editions, list) and editions and isinstance(editions[0], dict):
        return editions[0]
    return edition_record(row, source)


def _update_edition(own: dict[str, Any], incoming: Book, book: Book) -> None:
    """The edition's own record (edition_imported), now the row's: as provenance writes the book's, its
    other values (a title, an ISBN: _own_taken) kept as it held them where the book holds others."""
    record, stored = imported_record(incoming), own[PROVENANCE]
    _authors_taken(record, stored, book)
    own[PROVENANCE] = _with_own(record, _own_taken(book, incoming, stored))
