"""`readlog merge A B`: two files that are one book become one. Every reading, review, reflection, quote
and pick of both is kept in A; B's file goes to trash/ (`readlog restore` brings it back)."""

from __future__ import annotations

import copy
import shlex
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from readlog.actions.books import find_book
from readlog.errors import ConflictError, PlainlyApart, ReadlogError
from readlog.identity import (
    OTHER_ISBNS,
    Candidate,
    Work,
    authors_agree,
    further,
    pick_names_book,
    plainly_apart,
    respelled_pair,
    spelled_otherwise,
)
from readlog.journal import Journal
from readlog.model import Book, Entry, Reflection


@dataclass
class Merged:
    entry: Entry  # the book kept (A), with B's writing in it
    removed: str  # B's slug
    trashed: Path  # where B's file went
    notes: list[str] = field(default_factory=list)  # what was kept of two differing values, and how


def merge_books(journal: Journal, keep: str, other: str, *, force: bool = False) -> Merged:
    """B (`other`) into A (`keep`): sure BOOK matches only; one lock; A is written (atomically) before B
    moves to the trash, so a stop between the two leaves both files, never a lost word. Two books that are
    plainly two works (by different people: identity.plainly_apart), or one work's titles by names that
    may be one person's (identity.respelled_pair), are refused (PlainlyApart, which a terminal asks about)
    unless `force`."""
    with journal.locked():
        first, second = find_book(journal, keep), find_book(journal, other)
        if first.slug == second.slug:
            raise ReadlogError(f"{keep!r} and {other!r} are the same file ({first.slug}): nothing to merge")
        if not force:
            _refuse_two(first, second, keep, other)
        notes: list[str] = []
        incoming = copy.deepcopy(second.book)
        entry = journal.modify(first.slug, lambda book: join_books(book, incoming, second.slug, notes))
        if journal.load(second.slug).text != second.text:
            raise ConflictError(
                f"{second.path} changed while it was merged: it was left in place; "
                f"check {first.slug} and run the merge again"
            )
        assert entry.text is not None and first.text is not None and second.text is not None
        text = with_their_forms(first.text, entry.text, second.text)
        if text != entry.text:  # (A's values as written; only the forms of what came from B)
            journal.replace_text(entry, text)
            entry = Entry(entry.slug, entry.book, entry.path, text=text)
        lost = lost_comments(second.text, text)
        trashed = journal.remove(second.slug)
    if lost:
        many = f"{lost} of {second.slug}'s comments" if lost > 1 else f"a comment of {second.slug}'s"
        notes.append(f"{many} could not come along: they stay in trash/{trashed.name}")
    return Merged(entry, second.slug, trashed, notes)


def _refuse_two(first: Entry, second: Entry, keep: str, other: str) -> None:
    """PlainlyApart (asked on a terminal, refused in a script naming `--force`) for two books that are
    plainly two works (identity.plainly_apart), or may be one by a name spelled two ways (respelled_pair:
    a maybe, never joined without a word, since it keeps A's spelling of the name and drops B's). The
    `--force` named gives a book by its slug, or by its file where the reader gave that (`home.toml`: the
    slug `home` is also the title of John Smith's *Home*)."""
    works = Work.of(first.book), Work.of(second.book)
    why = plainly_apart(*works)
    if why is None and not respelled_pair(*works):
        return
    a, b = (Candidate.of(e.slug, e.book).describe() for e in [first, second])
    a_name, b_name = (
        shlex.quote(typed) if typed.endswith(".toml") else e.slug
        for typed, e in ((keep, first), (other, second))
    )
    force = f"`readlog merge {a_name} {b_name} --force`"
    if why is not None:
        raise PlainlyApart(
            f"not merging {b} into {a}: {why}, plainly two books; {force} merges them anyway",
            f"{b} and {a}: {why}. Merge them anyway (B's file goes to the trash)?",
        )
    kept = ", ".join(first.book.authors)
    why = "the authors' names may be one person's spelled two ways, or two people's"
    raise PlainlyApart(
        f"not merging {b} into {a}: {why}; {force} merges them, keeping the author {kept}",
        f"{b} and {a}: {why}. Merge them, keeping the author {kept} (B's file goes to the trash)?",
    )


def with_their_forms(kept: str, written: str, theirs: str) -> str:
    """`written` (A's text after the merge, its own forms kept by bookfile.update) with each part that came
    whole from B (`theirs`) in B's own form: a reading, reflection, quote or pick that is one of B's tables
    as it was, and a key A lacked (`kept`: A's text before) that B had in the same form (a table, an
    unknown value), carry their comments, string styles and key order with them. Only where the result
    is the very same book; else `written` as it is."""
    import tomlkit
    from tomlkit.exceptions import TOMLKitError
    from tomlkit.items import AoT, Table

    from readlog import bookfile

    try:
        doc, mine, other = tomlkit.parse(written), tomlkit.parse(kept), tomlkit.parse(theirs)
    except TOMLKitError:  # pragma: no cover - all three were read as books already
        return written
    for name, item in other.body:
        key = name.key if name is not None else None
        if key is None or key not in doc:
            continue
        here = doc.item(key)
        if isinstance(item, AoT) and isinstance(here, AoT):
            own = mine.item(key) if key in mine else None
            before = [t.unwrap() for t in own.body] if isinstance(own, AoT) else []
            left = list(item.body)
            for at, table in enumerate(list(here.body)):
                value = table.unwrap()
                if value in before:  # A's own, as it was
                    before.remove(value)
                    continue
                same = next((t for t in left if t.unwrap() == value), None)
                if same is not None:
                    left.remove(same)
                    here[at] = _ending_as(copy.deepcopy(same), table)
        elif key not in mine and type(item) is type(here) and item.unwrap() == here.unwrap():
            doc[key] = (
                _ending_as(copy.deepcopy(item), here) if isinstance(item, Table) else copy.deepcopy(item)
            )
    text = tomlkit.dumps(doc)
    if written.endswith("\n") and not text.endswith("\n"):  # (B's last line may have had no newline)
        text += "\n"
    if text == written:
        return written
    try:
        same_book = bookfile.parse(text, "merged") == bookfile.parse(written, "merged")
    except ReadlogError:
        return written
    shown = Counter(_comments(tomlkit.parse(text)))
    if not same_book or Counter(_comments(tomlkit.parse(written))) - shown:  # (never one of A's dropped)
        return written
    return text


def _ending_as(table: Any, written: Any) -> Any:
    """B's `table` ending as the table it stands for in A's text ended (`written`): the blank lines and
    comment lines written under its last key belong to what follows it in A (a comment above the next
    header: bookfile's writer keeps them there), not to B's table."""
    from readlog.bookfile import table_tail

    mine, theirs = table_tail(table), table_tail(written)
    while mine.body and mine.body[-1][0] is None:
        mine.body.pop()
    ending: list[tuple[Any, Any]] = []
    for name, item in reversed(theirs.body):
        if name is not None:
            break
        ending.insert(0, (name, copy.deepcopy(item)))
    mine.body.extend(ending)
    return table


def lost_comments(theirs: str, kept: str) -> int:
    """How many of B's comments (`theirs`) are nowhere in A's merged text (`kept`)."""
    import tomlkit

    return sum(1 for comment in _comments(tomlkit.parse(theirs)) if comment not in kept)


def _comments(item: Any) -> Iterator[str]:
    """Every comment in a tomlkit document or item: a line's, a value's, a table header's, an array item's."""
    from tomlkit.container import Container
    from tomlkit.items import AoT, Array, InlineTable, Table, Whitespace

    if not isinstance(item, (Whitespace, Container)):
        comment = item.trivia.comment.strip()
        if comment:
            yield comment
    if isinstance(item, Container):
        for _, child in item.body:
            yield from _comments(child)
    elif isinstance(item, (Table, InlineTable)):
        yield from _comments(item.value)
    elif isinstance(item, AoT):
        for table in item.body:
            yield from _comments(table)
    elif isinstance(item, Array):
        for group in getattr(item, "_value", []):  # (tomlkit's items of an array, each with its comment)
            for part in (getattr(group, "value", None), getattr(group, "comment", None)):
                if part is not None:
                    yield from _comments(part)


def join_books(book: Book, other: Book, other_slug: str, notes: list[str]) -> None:
    """Everything `other` holds, into `book`: readings, reflections, quotes and picks added (an identical
    one once), a second review kept as a reflection, fields `book` lacks filled, tags, series and authors
    joined. Where both have a value (rating, year, ...), `book`'s stays and `notes` says so."""
    from readlog import fields
    from readlog.importers.merge import join_reads

    kept_editions = _own_editions(book)  # (before B's values fill A's: A's edition as it was)
    respelled = respelled_pair(Work.of(book), Work.of(other))  # (A's own keys, before B's fill them)
    book.reads = join_reads(book, other)
    if further(other.status, book.status):
        book.status = other.status
    if other.review is not None and not other.review.is_empty():
        if book.review is None or book.review.is_empty():
            book.review = other.review
        elif (other.review.headline, other.review.body) != (book.review.headline, book.review.body):
            text = "\n\n".join(
                p for p in (other.review.headline and f"# {other.review.headline}", other.review.body) if p
            )
            book.reflections.append(Reflection(text, other.review.written, other.review.private))
            notes.append(f"{other_slug}'s review is kept as a reflection")
    seen_reflections = {(r.date, r.text) for r in book.reflections}
    book.reflections += [r for r in other.reflections if (r.date, r.text) not in seen_reflections]
    seen_quotes = {(q.key, q.text, q.page, q.location) for q in book.quotes}
    book.quotes += [q for q in other.quotes if (q.key, q.text, q.page, q.location) not in seen_quotes]
    for pick in other.next:
        if not any(pick_names_book(p.title, p.authors, pick.title, pick.authors) for p in book.next):
            book.next.append(pick)
    for name in ("rating", "year", "isbn", "pages", "duration", "why", "priority", "read_next"):
        mine, theirs = getattr(book, name), getattr(other, name)
        if mine is None:
            setattr(book, name, theirs)
        elif theirs is not None and theirs != mine:
            notes.append(f"kept {name} {mine} ({other_slug} had {theirs})")
    if other.added is not None and (book.added is None or other.added < book.added):
        book.added = other.added
    book.tags += [t for t in other.tags if t not in book.tags]
    book.series = fields.joined(fields.FIELDS["series"], book.series, other.series)  # (by name and number)
    book.authors += _their_authors(book.authors, other.authors, other_slug, notes, respelled)
    book.private = book.private or other.private  # never publish what one of them kept private
    _join_other_fields(book, other, other_slug, notes)
    if book.status != "want":
        book.priority = None
    extra = {k: v for k, v in other.extra.items() if k != OTHER_ISBNS}  # (joined below, not kept as A's)
    _join_extra(
        book.extra,
        extra,
        other_slug,
        notes,
        _editions_to_keep(book, other),
        kept_editions,
        (other.title, book.title),
    )
    _keep_other_isbns(book, other)


def _their_authors(
    mine: list[str], theirs: list[str], other_slug: str, notes: list[str], respelled: bool
) -> list[str]:
    """B's authors A lacks. Of a `respelled` pair (identity.respelled_pair: the maybe that `check` listed,
    *The Stand* by Steven King and by Stephen King, asked about before the merge), a name of B's that may
    be one of A's spelled another way is that author, A's spelling kept and said; else every name A lacks
    joins (two books by Joan Smith and John Smith merged with `--force` keep both names)."""
    added: list[str] = []
    for name in theirs:
        if authors_agree(mine, [name]):
            continue
        kept = [a for a in mine if respelled and spelled_otherwise([a], [name])]
        if kept:
            notes.append(f"kept author {kept[0]} ({other_slug} had {name})")
        else:
            added.append(name)
    return added


def _own_editions(book: Book) -> dict[str, dict[str, Any]]:
    """`book`'s own edition under each of its source tables (importers.merge.edition_record), for a table
    that has no list of editions yet: the list a merge starts there begins with it, as an import's does."""
    from readlog.importers.merge import edition_record

    tables = book.extra.get("source")
    if not isinstance(tables, dict):
        return {}
    return {
        name: edition_record(book, name)
        for name, table in tables.items()
        if isinstance(table, dict) and not isinstance(table.get("editions"), list)
    }


def _keep_other_isbns(book: Book, other: Book) -> None:
    """B's ISBNs that none of A's keys hold now (B's own, when it came with no source table to keep it in,
    and those B kept from earlier merges): kept in A's `isbns` (identity.OTHER_ISBNS), since an ISBN is
    what a later `add`, import or `restore` finds a book by."""
    from readlog.identity import book_keys, isbn_key

    mine = book.extra.get(OTHER_ISBNS)
    theirs = other.extra.get(OTHER_ISBNS)
    wanted = [other.isbn] if other.isbn else []
    wanted += [i for i in (theirs if isinstance(theirs, list) else []) if isinstance(i, str) and i]
    keys = set(book_keys(book))
    new = [i for i in dict.fromkeys(wanted) if isbn_key(i) not in keys]
    if new:
        book.extra[OTHER_ISBNS] = [*(mine if isinstance(mine, list) else []), *new]


# The fields join_books joins by rules of its own; any other field (fields.FIELDS): _join_other_fields.
_JOINED = frozenset(
    ("title", "status", "rating", "year", "isbn", "pages", "duration", "why", "priority", "added", "tags",
     "series", "authors", "private")
)  # fmt: skip


def _join_other_fields(book: Book, other: Book, other_slug: str, notes: list[str]) -> None:
    """A field added to model.BUILT_IN (or registered) after these rules were written is never dropped with
    B's file: a list's new items are added; a value A lacks is taken; where both differ, A's stays and `notes`
    says so."""
    from readlog import fields

    for name, described in fields.FIELDS.items():
        if name in _JOINED:
            continue
        mine, theirs = fields.value(book, described), fields.value(other, described)
        if described.kind.many:
            fields.put(book, described, fields.joined(described, mine, theirs))
        elif fields.is_empty(described, mine):
            fields.put(book, described, theirs)
        elif not fields.is_empty(described, theirs) and theirs != mine:
            said = described.kind.words
            notes.append(f"kept {name} {said(mine)} ({other_slug} had {said(theirs)})")


def _editions_to_keep(book: Book, other: Book) -> dict[str, dict[str, Any]]:
    """When `book` keeps its own ISBN and `other`'s differs: `other`'s edition of each of its source tables
    (importers.merge.edition_record: its id there, its ISBN, its format), to be kept in the list of that
    table's editions, since an edition's ISBN is one of the book's keys (identity.book_keys) and an export
    that names its books by ISBN only (StoryGraph's `ISBN/UID`) finds the book by nothing else."""
    from readlog.identity import book_keys, isbn_key
    from readlog.importers.merge import edition_record

    if other.isbn is None or isbn_key(other.isbn) in book_keys(book):
        return {}
    tables = other.extra.get("source")
    if not isinstance(tables, dict):
        return {}
    return {name: edition_record(other, name) for name, table in tables.items() if isinstance(table, dict)}


def _join_extra(
    mine: dict[str, Any],
    theirs: dict[str, Any],
    other_slug: str,
    notes: list[str],
    own: dict[str, dict[str, Any]] | None = None,
    kept: dict[str, dict[str, Any]] | None = None,
    titles: tuple[str, str] = ("", ""),
) -> None:
    """Fields readlog does not know, and the sources' tables: `other`'s are kept (a source both have: as
    another edition, so the ids of both still find the book). `own` (_editions_to_keep): `other`'s edition
    of each source, kept in the table's list of editions where `other` brought none (an import's list
    holds its own edition first already). `kept` (_own_editions): `mine`'s own edition of each source with
    no list yet, which a list begun here starts with (then `other`'s), as an import's list does. `other`'s
    record of its row (`imported`) stays with its edition: an import compares that row with it, never with
    `mine`'s (importers.merge.edition_imported; review 29a #1); an edition with no id keeps `other`'s
    `title` beside it, by which an import finds that row again, whatever `mine` is titled (merged_row); so
    does an edition `mine` has already whose title is another (`titles`: other's, then mine's; Summer with
    Ethan Frome's ISBN): kept as an edition of its own, else the row is a maybe of another title next
    import."""
    own, kept = own or {}, kept or {}
    for key, value in theirs.items():
        if key not in mine:
            mine[key] = copy.deepcopy(value)
            if key == "source" and isinstance(value, dict):
                for name, table in mine[key].items():
                    _keep_own_edition(table, own.get(name))
        elif key == "source" and isinstance(value, dict) and isinstance(mine[key], dict):
            for name, table in value.items():
                if name not in mine[key]:
                    mine[key][name] = copy.deepcopy(table)
                    _keep_own_edition(mine[key][name], own.get(name))
                elif isinstance(table, dict) and isinstance(mine[key][name], dict):
                    _join_source(mine[key][name], table, own.get(name), kept.get(name), titles, name)
        elif mine[key] != value:
            notes.append(f"kept {key} as it was ({other_slug} had another)")


def _join_source(
    mine: dict[str, Any],
    theirs: dict[str, Any],
    own: dict[str, Any] | None,
    kept: dict[str, Any] | None,
    titles: tuple[str, str],
    source: str,
) -> None:
    """`other`'s table of a source (`theirs`) joined to `mine`, the kept book's table of that source, as
    another edition (_join_extra: `own`, `kept`, `title`), its own list's entries too; an edition `mine`
    has already (its own: the same id in its columns, or one listed) is that edition, never listed again:
    what it lacks is filled in, the rest stays (a book merged again, back from the other device: try-out
    32a #2)."""
    from readlog.identity import another_title, edition_id
    from readlog.importers.merge import PROVENANCE, ROW_TITLE

    title, kept_title = titles
    record = {k: v for k, v in theirs.items() if k != "editions" and not isinstance(v, dict)}
    if isinstance(theirs.get(PROVENANCE), dict):  # (its row's record, with its edition)
        record[PROVENANCE] = copy.deepcopy(theirs[PROVENANCE])
    listed = theirs.get("editions")
    if own and not isinstance(listed, list):
        record["isbn"] = own.get("isbn")
    shared = _own_edition(mine, record, source)
    # (the edition `mine` names, brought by a row of another title: an ISBN two books shared, kept apart)
    titled = (
        shared and PROVENANCE in record and bool(title and kept_title) and another_title(title, kept_title)
    )
    if PROVENANCE in record and title and (edition_id(record) is None or titled):
        record[ROW_TITLE] = title
    entries = [e for e in listed if isinstance(e, dict)] if isinstance(listed, list) else []
    if shared and not titled:
        for name, value in record.items():  # (the book's own edition: by its id, or with no id, its record)
            if name != ROW_TITLE:
                mine.setdefault(name, copy.deepcopy(value))
        if not entries:
            return
        record = {}
    if record and entries and _as_listed(record, entries[0], source):
        # (`other`'s list begins with its own edition, which `record` is, its columns spelled as they are:
        # listed once, with what that entry kept besides, a review of its own say)
        for name, value in entries.pop(0).items():
            if name != "format":  # (`record` names it by its column; its `isbn` stays: book_keys, t32c)
                record.setdefault(name, copy.deepcopy(value))
    if not isinstance(mine.get("editions"), list) and kept:
        mine["editions"] = [kept]  # (A's own edition first)
    editions = mine.setdefault("editions", [])
    if isinstance(editions, list):
        for entry in [record, *entries] if record else entries:
            _one_per_edition(editions, entry, source)


def _as_listed(record: dict[str, Any], entry: dict[str, Any], source: str) -> bool:
    """Whether `entry`, an edition as an import lists it (importers.merge.edition_record: the source's id,
    `isbn` or its ISBN column, `format`), is `record`, the same edition as a source table's columns hold it
    (`Format`, `ISBN/UID`): every value it names by those, the same."""
    from readlog.identity import SOURCE_ISBNS
    from readlog.traits import FORMAT_COLUMNS

    named = 0
    for name, value in entry.items():
        if name == "format":
            column = FORMAT_COLUMNS.get(source)
            theirs = record.get(column) if column else None
            same = isinstance(theirs, str) and theirs.strip() == value
        elif name == "isbn":
            same = value in (record.get("isbn"), record.get(SOURCE_ISBNS.get(source, "isbn")))
        elif isinstance(value, dict) or name == "review":
            continue  # (what is kept with the edition, not what names it)
        else:
            same = record.get(name) == value
        if not same:
            return False
        named += 1
    return named > 0


def _own_edition(mine: dict[str, Any], record: dict[str, Any], source: str) -> bool:
    """Whether `record` (another book's edition of `source`) is the edition `mine`'s own columns name: by
    an id or ISBN, however each writes it (identity.one_edition); neither giving one, by every value of the
    record (its row's record too)."""
    from readlog.identity import edition_id, one_edition
    from readlog.importers.merge import ROW_TITLE

    if edition_id(record) is not None or edition_id(mine) is not None:
        return one_edition(mine, record, source)
    return all(mine.get(k) == v for k, v in record.items() if k != ROW_TITLE)


def _one_per_edition(editions: list[Any], entry: dict[str, Any], source: str) -> None:
    """`entry` (of `other`'s list of editions under `source`) joined to `editions`: into the entry of its
    edition there already (identity.one_edition: by its id, or its ISBN however written: the columns'
    `ISBN/UID` is the list's `isbn`), what that one lacks; else added. `other`'s list begins with its own
    edition, which its columns have given already: never listed twice (`check` names a file that lists
    one twice)."""
    from readlog.identity import one_edition
    from readlog.importers.merge import ROW_TITLE

    same = next(
        (
            e
            for e in editions
            if isinstance(e, dict)
            and one_edition(e, entry, source)
            and e.get(ROW_TITLE) == entry.get(ROW_TITLE)
        ),
        None,
    )  # (one ISBN under another title, kept apart by _join_source, is another book's edition)
    if same is None and entry in editions:
        return  # (an edition with no id, listed as it is: merged before)
    if same is None:
        editions.append(entry)
        return
    for name, value in entry.items():
        same.setdefault(name, copy.deepcopy(value))


def _keep_own_edition(table: Any, record: dict[str, Any] | None) -> None:
    """A source table that came with `other` whole: `other`'s edition `record` begins its list of editions
    (as an import begins one: importers.merge), unless it has a list already."""
    if record and isinstance(table, dict) and not isinstance(table.get("editions"), list):
        table["editions"] = [record]
