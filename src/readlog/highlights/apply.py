"""Highlights into the journal: each book found through identity (or created as `--create` says), its
highlights added as quotes idempotently by their stable key, every write through the journal.

- Within a file, growing versions of one highlight (the Kindle appends an edited highlight instead of
  replacing it) collapse to the longest, the latest when equal.
- Against the journal: a quote with the same key is already here; an earlier device version (same source,
  overlapping range, one text containing the other) is replaced by the later selection (longer or shorter:
  README), unless the reader edited it in readlog (its text no longer matches its key's hash): what the
  reader wrote is never overwritten.
- A Kindle note becomes the `note` of the highlight whose range ends where the note is, else a dated
  reflection that names its location.
"""

from __future__ import annotations

import bisect
import contextlib
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from readlog import identity
from readlog.highlights.records import Highlight, Parsed, Reject, words_hash
from readlog.model import Book, Quote, Read, Reflection
from readlog.text import normalize

if TYPE_CHECKING:
    from readlog.index import Index
    from readlog.journal import Journal

CREATE = ("want", "reading", "read", "none")
RECENT_DAYS = 90  # a book highlighted this recently is taken to be in progress


@dataclass
class BookResult:
    title: str
    slug: str | None = None
    created: str | None = None  # the status a new book was given; None for a book already here
    added: int = 0
    replaced: int = 0  # earlier device versions replaced by the later selection
    notes: int = 0  # notes attached to their highlight
    reflections: int = 0  # notes with no highlight to attach to, kept as reflections
    collapsed: int = 0  # growing or repeated versions within the file
    already: int = 0  # in the journal already
    kept: int = 0  # quotes the reader edited, kept over the device's version
    not_created: bool = False  # not in the journal, and --create none
    authors: list[str] = field(default_factory=list)  # the book's (the journal's, for a book found there)
    shared: bool = False  # another book of the journal has this title: the slug tells which book it is
    several: list[str] = field(default_factory=list)  # the books it surely is (more than one: none chosen)
    maybe: list[str] = field(default_factory=list)  # the books it only may be

    @property
    def changed(self) -> bool:
        """Whether the import writes (or wrote) the book's file: something new in it."""
        return bool(self.added or self.replaced or self.notes or self.reflections)


@dataclass
class HighlightsReport:
    format: str
    books: list[BookResult] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)
    rejects: list[Reject] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass
class Unsure:
    """A book of the file that may be a journal book (identity's MAYBE, or several books surely it and none
    nearest), asked about on a terminal before anything is written: which of `candidates` it is, or none
    (a book of its own; skipped with `--create none`)."""

    title: str  # the file's title line
    authors: list[str]
    highlights: int  # how many highlights and notes of the file it holds
    candidates: list[identity.Candidate]
    create: str  # what none means: the status a book of its own gets, or "none" (--create none: skipped)


# The question an import asks: the slug of the book an Unsure is, or None for none of them.
Choose = Callable[[Unsure], "str | None"]


@dataclass
class _Group:
    title: str
    authors: list[str]
    items: list[Highlight] = field(default_factory=list)
    translators: list[str] = field(default_factory=list)  # named on a title line with a translator's note
    swapped: int = 0  # items whose title line had title and author the other way round
    series: tuple[tuple[str, str], ...] = ()  # the device's (name, number), when it gives one (KOReader)


def apply(
    journal: Journal,
    fmt: str,
    parsed: Parsed,
    dry_run: bool,
    create: str | None,
    today: date,
    choose: Choose | None = None,
) -> HighlightsReport:
    """`choose`: on a terminal, the question a book that may be a journal book gets (Unsure), asked before
    the journal's lock is taken (nobody waits on the reader); without it (a script, a dry run) such a book
    is kept as its own book and named, with the `merge` that joins them."""
    report = HighlightsReport(
        fmt, skipped=Counter(parsed.skipped), rejects=list(parsed.rejects), warnings=list(parsed.warnings)
    )
    groups = group_by_book(parsed.highlights)
    from readlog.importers import refuse_unreadable

    chosen = _asked(journal, groups, create, today, choose) if choose is not None and not dry_run else {}
    with journal.bulk_unless_dry(dry_run) as batch:  # (a dry run: no lock, no folder made)
        index = journal.fresh_index()
        refuse_unreadable(journal)  # (a clipping's book may be in a file that does not parse)
        holders = _Holders(groups)
        answers, gathered = _settle(groups, [_find(index, group) for group in groups])
        for into, extra in gathered:  # (to_journal sorts the file's order out: collapse, notes)
            into.items += extra.items
        for group in groups:
            if id(group) not in answers:  # (an authorless title line's, gathered into its book's group)
                continue
            result = BookResult(group.title)
            report.books.append(result)
            quotes, reflections = to_journal(group, result, today)
            found, maybe = answers[id(group)]
            if found is None:  # where these very highlights are already: the book a `merge` kept, say
                found, also = holders.book([q.key for q in quotes if q.key], index)
                if found is not None and _other_volume(group, found):
                    # (identity.titles_apart) the book holding them names another volume: the reader joined
                    # the two (`readlog merge`, which keeps every quote's key), so the new ones go where the
                    # rest went, as the merged book's other data did; said, naming both (a book of their own
                    # would hold them twice)
                    report.warnings.append(
                        f"{group.title}: added to {found.describe()}, which holds its highlights so far "
                        f"though its title names another volume (if {group.title!r} is a book of its own: "
                        f"`readlog add` it, move its highlights out of {found.slug} by hand, then import "
                        "again; the import adds them to the new book and leaves the old ones)"
                    )
                if found is not None and also:
                    report.warnings.append(
                        f"{group.title}: its highlights are in {found.slug} and also in {', '.join(also)}: "
                        f"added to {found.slug} (`readlog merge` joins them)"
                    )
            asked = id(group) in chosen
            gone = None  # (the book the reader chose, when it is no longer one it may be: removed meanwhile)
            if found is None and asked and chosen[id(group)] is not None:  # the reader's answer, when that
                found = next((c for c in maybe if c.slug == chosen[id(group)]), None)  # is still offered
                gone = chosen[id(group)] if found is None else None
            if found is None:
                status = create or _default_status(group, today)
                if status == "none":
                    result.not_created = True
                    sure = [
                        c
                        for c in maybe
                        if identity.one_highlight_book(group.title, group.authors, *_named(c))
                    ]
                    result.several = [c.describe() for c in sure] if len(sure) > 1 else []
                    result.maybe = [] if result.several else [c.describe() for c in maybe]
                    continue
                book = new_book(group, status, today)
                merge(book, quotes, reflections, result)
                result.created = status
                result.slug = None if dry_run else batch.add(book)
                # never guessed: kept as a book of its own, and said (as a row is), unless the reader said so
                if gone is not None:
                    report.warnings.append(_chosen_gone(group.title, gone, index, result.slug))
                elif maybe and not (asked and chosen[id(group)] is None):
                    report.warnings.append(_kept_apart(group.title, maybe, result.slug))
                result.authors = list(book.authors)
                result.shared = bool(index.titled(book.title))
                continue
            result.slug, result.title, result.authors = found.slug, found.title, list(found.authors)
            result.shared = len(index.titled(found.title)) > 1
            seen = _finished_there(group, fmt, found.slug, report)
            if dry_run:
                book = journal.load(found.slug).book
                seen(book)
                merge(book, quotes, reflections, result)
                continue
            with contextlib.suppress(_NothingNew):  # nothing is written when the change raises
                journal.modify(found.slug, _merger(quotes, reflections, result, seen))
    return report


def _other_volume(group: _Group, holder: identity.Candidate) -> bool:
    """The book holding a group's highlights already names another volume in its title than the group's
    title line (`Saga, Vol. 2`'s highlights held by *Saga, Vol. 1*, after a merge or from an older readlog):
    as with a shared ISBN, that does not make them its own (identity.titles_apart)."""
    return identity.names_a_place(group.title) and identity.titles_apart(group.title, holder.title)


def _named(candidate: identity.Candidate) -> tuple[str, list[str]]:
    return candidate.title, list(candidate.authors)


def group_keys(groups: list[_Group]) -> set[str]:
    """Every key the import's highlights can have (each version's, before `collapse`)."""
    return {h.key for g in groups for h in g.items if h.kind != "note"}


class _Holders:
    """Which journal book holds an import's highlights already, asked of the index once (on the first
    group identity finds no book for) for every highlight of the import."""

    def __init__(self, groups: list[_Group]) -> None:
        self.groups = groups
        self.by_key: dict[str, set[str]] | None = None

    def book(self, keys: list[str], index: Index) -> tuple[identity.Candidate | None, list[str]]:
        """The book holding these highlights already, and the others that hold some too (a journal where
        they were imported twice): the one holding most of them (then the first by slug). A highlight's key
        names its place and words as well as its title line, so a book under another title (the other book
        of a `merge`) is found by it, and two books of one title are not confused."""
        if self.by_key is None:
            self.by_key = index.quote_holders(group_keys(self.groups))
        held = Counter(slug for key in keys for slug in self.by_key.get(key, ()))
        if not held:
            return None, []
        slug = min(held, key=lambda s: (-held[s], s))
        book = index.by_slugs([slug]).get(slug)
        others = sorted(s for s in held if s != slug)
        return (None if book is None else identity.Candidate.of(slug, book)), others


_Answer = tuple[identity.Candidate | None, list[identity.Candidate]]


def _find(index: Index, group: _Group) -> _Answer:
    """The journal book a group's clippings surely belong to (identity.highlight_books), else None and the
    books they only maybe belong to."""
    candidates = _candidates(index, group.title, group.series)
    # (asked only of true duplicates: the one holding this device's clippings of this title line already)
    lines = sorted({h.key.rsplit(":", 2)[0] + ":" for h in group.items if h.kind != "note"})
    found, maybe = identity.highlight_books(
        group.title, group.authors, candidates, group.series, lambda slug: index.holds_quotes(slug, lines)
    )
    if found is None and len(group.authors) == 1:  # perhaps `Author (Title)`
        title, author = group.authors[0], group.title
        swapped = identity.highlight_book(title, [author], _candidates(index, title))
        if swapped is not None and identity.authors_agree(swapped.authors, [author]):
            found = swapped
    return found, maybe


def _settle(
    groups: list[_Group], answers: list[_Answer]
) -> tuple[dict[int, _Answer], list[tuple[_Group, _Group]]]:
    """Each group's answer, once the file's other groups are seen (by the group's id; a group gathered into
    another has none, and is given as (the group it goes into, it): the caller moves its items):
    - A title line with no author is never given one from another record of the file (`Twilight` after
      `Twilight (Meyer, Stephenie)`). It joins the group of the one title line with an author it may be only
      when the journal has no other book it may be (`Frankenstein` beside `Frankenstein (Shelley, Mary)`,
      neither in the journal, or only Shelley's); else it goes to none of them (it is not sure).
    - Two groups the file keeps apart as two books (two volumes of a series) that found one journal book (a
      book with no number) are not sure of it: neither goes there."""
    settled = {id(group): answer for group, answer in zip(groups, answers, strict=True)}
    gathered: list[tuple[_Group, _Group]] = []
    for group in groups:
        if group.authors:
            continue
        named = [
            g
            for g in groups
            if g.authors and identity.one_highlight_book(g.title, g.authors, group.title, [])
        ]
        if not named:
            continue
        found, maybe = settled[id(group)]
        mine = {c.slug: c for c in ([found] if found is not None else maybe)}
        theirs = {c.slug: c for g in named if (c := settled[id(g)][0]) is not None}
        if len(named) == 1 and set(mine) <= set(theirs):
            gathered.append((named[0], group))
            del settled[id(group)]
        else:
            settled[id(group)] = (None, list({**mine, **theirs}.values()))
    by_book: dict[str, list[_Group]] = {}
    for group in groups:
        answer = settled.get(id(group))
        if answer is not None and answer[0] is not None:
            by_book.setdefault(answer[0].slug, []).append(group)
    for sharing in by_book.values():
        if len(sharing) > 1 and any(
            identity.other_volume(identity.Work.named(a.title), identity.Work.named(b.title))
            for a in sharing
            for b in sharing
        ):
            for group in sharing:
                book = settled[id(group)][0]
                settled[id(group)] = (None, [book] if book is not None else [])
    return settled, gathered


def _asked(
    journal: Journal, groups: list[_Group], create: str | None, today: date, choose: Choose
) -> dict[int, str | None]:
    """Before the lock: each book of the file no journal book is sure of, that one or more may be, and whose
    highlights no journal book holds yet (a merge, or an earlier answer, put them there), asked about once:
    the slug chosen, or None (by the group's id). The import looks again under the lock and takes an answer
    only for a book still among those it may be."""
    from readlog.importers import refuse_unreadable

    index = journal.fresh_index()
    refuse_unreadable(journal)  # (said before any question: nothing would be written)
    holders = _Holders(groups)
    answers, _ = _settle(groups, [_find(index, group) for group in groups])
    chosen: dict[int, str | None] = {}
    for group in groups:
        found, maybe = answers.get(id(group), (None, []))
        if found is not None or not maybe:
            continue
        keys = [h.key for h in group.items if h.kind != "note" and h.key]
        if holders.book(keys, index)[0] is not None:
            continue
        status = create or _default_status(group, today)
        offered = [_plain(c) for c in maybe]
        chosen[id(group)] = choose(
            Unsure(group.title, list(group.authors), len(group.items), offered, status)
        )
    return chosen


def _plain(candidate: identity.Candidate) -> identity.Candidate:
    """A book as a message names it: slug, title and authors (the places `_candidates` gave it are the
    index's keys, folded: `symphonies #1`)."""
    return identity.Candidate(candidate.slug, candidate.title, candidate.authors)


def _kept_apart(title: str, maybe: list[identity.Candidate], slug: str | None) -> str:
    """What a script is told of a book of the file kept as its own beside the journal book(s) it may be:
    each named, and the `merge` that joins them (keeping the journal's book)."""
    named = " or ".join(_plain(c).describe() for c in maybe)
    join = (
        f"`readlog merge {maybe[0].slug} {slug}`"
        if slug is not None and len(maybe) == 1
        else "`readlog merge`"
    )
    return (
        f"{title}: may be the same book as {named}: kept as its own book (`readlog check` lists the pair; "
        f"{join} joins them; on a terminal the import asks)"
    )


def _chosen_gone(title: str, slug: str, index: Index, made: str | None) -> str:
    """What the reader is told of a book of the file whose answer names a journal book that, by the time the
    lock is held, is no longer one it may be (`readlog rm` of it, or a retitle, in another shell meanwhile):
    kept as its own book, as Enter keeps it, never written to another."""
    here = slug in index.by_slugs([slug])
    why = "has changed and is no longer a book it may be" if here else "is no longer in the journal"
    join = f" (`readlog merge BOOK {made}` joins it to a book)" if made is not None else ""
    return f"{title}: {slug}, which you chose, {why}: kept as its own book{join}"


def _candidates(
    index: Index, title: str, series: tuple[tuple[str, str], ...] = ()
) -> list[identity.Candidate]:
    """The journal books a clipping titled `title` may be (identity decides which it is): those titled like
    it, and those whose subtitle is its title or whose title is its subtitle (identity.subtitle_lookups); with
    their places in a series (the index's `vol:` keys) when the title names one (`(Study Skills Book 1)`)."""
    found = {c.slug: c for c in index.candidates_like(title)}
    keys, prefixes = identity.subtitle_lookups(title)
    for key in keys:
        found.update((c.slug, c) for c in index.with_key(key))
    if prefixes:
        found.update((c.slug, c) for c in index.candidates_starting(prefixes))
    if not identity.has_volumes(identity.Work.named(title, series=series)):
        return list(found.values())
    return [
        identity.Candidate(
            c.slug, c.title, c.authors, c.aliases, identity.volumes_of_keys(index.keys_of(c.slug))
        )
        for c in found.values()
    ]


class _NothingNew(Exception):
    """A re-import that brings a book nothing new: it is not rewritten (nor re-read with tomlkit)."""


def _finished_there(group: _Group, fmt: str, slug: str, report: HighlightsReport) -> Callable[[Book], None]:
    """What to say of a journal book the device says was finished while the journal has it unfinished (read
    there since the last import: review 33a #11): the import changes no status of a book in the journal (the
    journal is the reader's), so it says the command that does."""
    device = {"kobo": "Kobo", "koreader": "KOReader"}.get(fmt, fmt)

    def seen(book: Book) -> None:
        if book.status in ("want", "reading", "paused") and any(
            h.progress == "finished" for h in group.items
        ):
            report.warnings.append(
                f"{book.title}: the {device} says it was finished; here it is {book.status}: "
                f"`readlog finish {slug}` records it"
            )

    return seen


def _merger(
    quotes: list[Quote], reflections: list[Reflection], result: BookResult, seen: Callable[[Book], None]
) -> Callable[[Book], None]:
    def change(book: Book) -> None:
        seen(book)
        merge(book, quotes, reflections, result)
        if not result.changed:
            raise _NothingNew

    return change


def group_by_book(highlights: list[Highlight]) -> list[_Group]:
    """Highlights gathered per book: one book under both name orders, or with and without a series
    suffix, is one group (identity decides)."""
    groups: list[_Group] = []
    by_title: identity.Twins[_Group] = identity.Twins()
    # The same title line again: no need to ask (and whether it was written the other way round).
    seen: dict[tuple[str, tuple[str, ...], tuple[tuple[str, str], ...]], tuple[_Group, bool]] = {}
    for item in highlights:
        known = seen.get(item.book)
        if known is not None:
            known[0].items.append(item)
            known[0].translators += [t for t in item.translators if t not in known[0].translators]
            known[0].swapped += known[1]
            continue
        swapped = False
        group = next(
            (
                g
                for g in by_title.near(item.title)
                if bool(g.authors) == bool(item.authors)  # (no author is never taken from another line)
                and identity.one_highlight_book(
                    g.title, g.authors, item.title, item.authors, g.series, item.series
                )
            ),
            None,
        )
        if group is None and len(item.authors) == 1:  # `Author (Title)`: a title line written the other way
            title, author = item.authors[0], item.title
            group = next(
                (
                    g
                    for g in by_title.near(title)
                    if identity.authors_agree(g.authors, [author])
                    and identity.one_highlight_book(g.title, g.authors, title, [author])
                ),
                None,
            )
            swapped = group is not None
        if group is None:
            group = _Group(item.title, list(item.authors), series=item.series)
            groups.append(group)
            by_title.add(group, item.title)
        group.items.append(item)
        group.translators += [t for t in item.translators if t not in group.translators]
        group.swapped += swapped
        seen[item.book] = (group, swapped)
    for group in groups:  # most title lines were the other way round: that way is the book's
        if group.swapped * 2 > len(group.items) and len(group.authors) == 1:
            group.title, group.authors = group.authors[0], [group.title]
    return groups


def collapse(items: list[Highlight]) -> tuple[list[Highlight], int]:
    """Growing and repeated versions of one highlight reduced to the longest (the latest when equal):
    overlapping ranges where one text contains the other. File order is kept."""
    dropped: set[int] = set()
    words = [h.words for h in items]
    ranged = sorted(
        (i for i, h in enumerate(items) if h.start is not None), key=lambda i: items[i].start or 0
    )
    for position, i in enumerate(ranged):
        if i in dropped:
            continue
        end_i = items[i].end if items[i].end is not None else items[i].start
        for after in range(position + 1, len(ranged)):  # (not a slice: a copy of the rest, for each)
            j = ranged[after]
            if (items[j].start or 0) > (end_i or 0) or i in dropped:
                break  # (i gone: the rest of its pairs are nothing; a file of 2,000 copies of one passage)
            if j in dropped:
                continue
            loser = _loser(items, words, i, j)
            if loser is not None:
                dropped.add(loser)
    seen: dict[str, int] = {}
    for i, h in enumerate(items):  # no range at all: only repeats of the same words
        if h.start is None and i not in dropped:
            if words[i] in seen:
                dropped.add(_loser(items, words, seen[words[i]], i) or i)
                seen[words[i]] = ({seen[words[i]], i} - dropped).pop()
            else:
                seen[words[i]] = i
    return [h for i, h in enumerate(items) if i not in dropped], len(dropped)


def _loser(items: list[Highlight], words: list[str], i: int, j: int) -> int | None:
    """Of two versions of one passage (one text inside the other), the one that goes: the earlier
    selection. The latest is the reader's, longer or shorter (re-selecting `5955-5957` as `5955-5956`
    keeps the shorter); in time, else in the file."""
    a, b = words[i], words[j]
    if not a or not b or (a not in b and b not in a):
        return None
    return i if _later(items[j], items[i]) else j


def _later(a: Highlight, b: Highlight) -> bool:
    """Was `a` made after `b`? By the device's time, else by the place in the file."""
    if a.when is not None and b.when is not None and a.when != b.when:
        return a.when > b.when
    return a.line >= b.line


def to_journal(group: _Group, result: BookResult, today: date) -> tuple[list[Quote], list[Reflection]]:
    """A book's highlights as quotes (notes attached where their range ends) and leftover notes as
    reflections."""
    highlights = [h for h in group.items if h.kind != "note"]
    notes = _latest_notes([h for h in group.items if h.kind == "note"])
    highlights, result.collapsed = collapse(highlights)
    reflections: list[Reflection] = []
    targets = _NoteTargets(highlights)
    for note in notes:
        target = targets.of(note)
        if target is not None:
            target.note = (
                f"{target.note}\n\n{note.text}" if target.note and note.text not in target.note else note.text
            )
            continue
        where = note.location or (f"p. {note.page}" if note.page is not None else None)
        # The place is a field, not words added to the reader's text (which may be in any language).
        reflections.append(
            Reflection(text=note.text, date=note.when.date() if note.when else today, location=where)
        )
    return [quote_of(h) for h in highlights], reflections


def _latest_notes(notes: list[Highlight]) -> list[Highlight]:
    """One note per place: a Kindle appends an edited note as a new one at the same location, so the later
    one (in time, else in the file) is the reader's and replaces the earlier."""
    latest: dict[tuple[object, ...], Highlight] = {}
    unplaced: list[Highlight] = []
    for note in notes:
        if note.start is None and note.page is None:
            unplaced.append(note)
            continue
        place = (note.start, note.end, note.page)
        if place not in latest or _later(note, latest[place]):
            latest[place] = note
    kept = {id(n) for n in latest.values()}
    return [n for n in notes if id(n) in kept] + unplaced


class _NoteTargets:
    """Where each note goes: the highlight whose range ends where the note is (a page-only note: the last
    highlight on its page before it); the last such in the list when several are. Found through two maps
    made once, not by walking every highlight for each note (a book of 8,000 notes)."""

    def __init__(self, highlights: list[Highlight]) -> None:
        self.highlights = highlights
        self.by_end: dict[float | None, int] = {}  # a range's end -> the last highlight ending there
        on_page: dict[int, list[tuple[int, int]]] = {}
        for position, item in enumerate(highlights):
            self.by_end[item.end] = position
            if item.page is not None:
                on_page.setdefault(item.page, []).append((item.line, position))
        # A page's highlights by their line, each with the last place in the list of any at or before it.
        self.pages: dict[int, tuple[list[int], list[int]]] = {}
        for page, placed in on_page.items():
            placed.sort()
            lines: list[int] = []
            last: list[int] = []
            for line, position in placed:
                lines.append(line)
                last.append(max(position, last[-1]) if last else position)
            self.pages[page] = (lines, last)

    def of(self, note: Highlight) -> Highlight | None:
        if note.start is not None:
            found = max(self.by_end.get(note.start, -1), self.by_end.get(note.end, -1))
            return self.highlights[found] if found >= 0 else None
        if note.page is not None and note.page in self.pages:
            lines, last = self.pages[note.page]
            before = bisect.bisect_right(lines, note.line)
            return self.highlights[last[before - 1]] if before else None
        return None


def quote_of(item: Highlight) -> Quote:
    return Quote(
        text=item.text.replace("\u200b", "").strip(),
        page=item.page,
        location=item.location,
        note=item.note,
        date=item.when.date() if item.when else None,
        chapter=item.chapter,
        key=item.key,
        source={"date": item.date_text} if item.date_text else None,
    )


def _default_status(group: _Group, today: date) -> str:
    """A new book's status: what the device says of it (finished: read; else reading: a Kobo at 8% made a
    book "read", counted as read: try-out 33a #2); where it says nothing (a Kindle's file), reading when
    its latest highlight is recent, else read."""
    said = {h.progress for h in group.items if h.progress is not None}
    if said:
        return "read" if "finished" in said else "reading"
    dates = [h.when.date() for h in group.items if h.when]
    return "reading" if dates and (today - max(dates)).days < RECENT_DAYS else "read"


def new_book(group: _Group, status: str, today: date) -> Book:
    dates = [h.when.date() for h in group.items if h.when]
    # The title line's places in a series are kept (`Saga (Saga, #3)`: *Saga* at Saga #3, as an export's
    # row makes it), unless the device says the series itself (KOReader's `Saga #2`).
    title, places = identity.title_and_places(group.title)
    book = Book(title=title, authors=list(group.authors), status=status, added=today)
    if group.translators:
        book.extra["translators"] = list(group.translators)
    if group.series or places:
        book.series = [
            {"name": name, "number": number} if number else {"name": name}
            for name, number in group.series or places
        ]
    if status == "reading":
        book.reads = [Read(started=min(dates) if dates else today)]
    elif status == "read":
        book.reads = [Read()]  # read, when unknown: an undated reading
    return book


def merge(book: Book, quotes: list[Quote], reflections: list[Reflection], result: BookResult) -> None:
    """Give `book` the quotes and reflections it does not have yet (see the module's rules)."""
    known = _Known(book.quotes, {q.key for q in quotes if q.key})
    for quote in quotes:
        _merge_quote(book, known, quote, result)
    texts = {normalize(r.text) for r in book.reflections}
    for reflection in reflections:
        if normalize(reflection.text) not in texts:
            book.reflections.append(reflection)
            texts.add(normalize(reflection.text))
            result.reflections += 1
        else:
            result.already += 1


class _Known:
    """What a book's quotes are, worked out once per import (normalising every text for every incoming
    highlight made a 20,000-record import quadratic): keys, words, ranges, whether the reader edited them."""

    def __init__(self, quotes: list[Quote], incoming: set[str]):
        self.by_key = {q.key: i for i, q in enumerate(quotes) if q.key}
        # The keys this import brings (after `collapse`): a quote here under one of them is in the file as
        # it is, so it is no earlier version of another highlight of the file. Were it replaced, the next
        # import would bring it back and replace the other: a quote that changes with every import.
        self.incoming = incoming
        self.words = [normalize(q.text) for q in quotes]
        self.all_words = set(self.words)
        self.ranges = [_range(q) for q in quotes]
        self.sources = [q.key.split(":")[0] if q.key else None for q in quotes]
        self.edited = [_edited(q, w) for q, w in zip(quotes, self.words, strict=True)]
        # Per source, the quotes an incoming highlight may be another version of (in the book's order): of
        # that source, and not in the file as they are. Only these are looked through for each incoming
        # highlight (all of the book's quotes were, for each: 8,000 highlights of one book took 2.7 s).
        # A quote replaced or added by this import is in the file: it leaves (or never joins) them.
        self.candidates: dict[str, dict[int, None]] = {}
        for index, (quote, source) in enumerate(zip(quotes, self.sources, strict=True)):
            if source is not None and quote.key not in incoming:
                self.candidates.setdefault(source, {})[index] = None

    def put(self, index: int, quote: Quote, words: str) -> None:
        facts = (words, _range(quote), (quote.key or "").split(":")[0] or None, _edited(quote, words))
        if index == len(self.words):
            self.words.append(facts[0])
            self.ranges.append(facts[1])
            self.sources.append(facts[2])
            self.edited.append(facts[3])
        else:
            self.words[index], self.ranges[index], self.sources[index], self.edited[index] = facts
        self.all_words.add(words)
        if quote.key:
            self.by_key[quote.key] = index
        for candidates in self.candidates.values():  # (`quote` is one of this import's: in the file)
            candidates.pop(index, None)


def _merge_quote(book: Book, known: _Known, quote: Quote, result: BookResult) -> None:
    words = normalize(quote.text)
    at = known.by_key.get(quote.key) if quote.key else None
    if at is not None:
        existing = book.quotes[at]
        if quote.note and not existing.note and not known.edited[at]:
            existing.note = quote.note
            result.notes += 1
        else:
            result.already += 1
        return
    source = (quote.key or "").split(":")[0] or None
    place = _range(quote)
    # (each path that changes the candidates returns at once: iterating them on is never needed)
    for index in known.candidates.get(source, {}) if source is not None else ():
        existing = book.quotes[index]
        theirs = known.ranges[index]
        if known.edited[index]:
            # Its words are the reader's now: a device version of it is one that starts where it starts.
            if theirs is not None and place is not None and theirs[0] == place[0]:
                result.kept += 1
                return
            continue
        if theirs is not None and place is not None and not (theirs[0] <= place[1] and place[0] <= theirs[1]):
            continue
        old = known.words[index]
        if not old or (old not in words and words not in old):
            continue
        if words != old and _newer_selection(quote, existing):
            quote.private = existing.private
            quote.note = quote.note or existing.note
            book.quotes[index] = quote
            known.put(index, quote, words)
            result.replaced += 1
        else:
            result.already += 1
        return
    if words in known.all_words:  # the reader typed it in already
        result.already += 1
        return
    book.quotes.append(quote)
    known.put(len(book.quotes) - 1, quote, words)
    result.added += 1
    result.notes += bool(quote.note)


def _newer_selection(incoming: Quote, existing: Quote) -> bool:
    """The incoming device version of a passage replaces the one here unless it is older: a clippings file
    only grows, so on the same day (quotes keep the day, not the time) the one being imported is later."""
    if incoming.date is None or existing.date is None:
        return True
    return incoming.date >= existing.date


def edited(quote: Quote) -> bool:
    """A quote the reader changed in readlog: its text no longer has the hash its key was made with."""
    return _edited(quote, normalize(quote.text))


def _edited(quote: Quote, words: str) -> bool:
    return quote.key is not None and quote.key.rsplit(":", 1)[-1] != words_hash(words)


_LOC = re.compile(r"loc (\d+)(?:-(\d+))?")


def _range(quote: Quote) -> tuple[int, int] | None:
    match = _LOC.fullmatch(quote.location or "")
    if match and len(match[0]) <= 40:  # a location typed by hand with a huge number is no range
        return int(match[1]), int(match[2] or match[1])
    if quote.page is not None:
        return quote.page, quote.page
    return None


def summary(report: HighlightsReport, dry_run: bool = False) -> list[str]:
    """One line per book the import writes (or would), then the totals: what the import did (or would do).
    A book with nothing new is in the totals only: each re-import of one device said `Models: 1 duplicate
    collapsed, 38 already here` again, though nothing was done (try-out 33a #12)."""
    lines = []
    would = "would be " if dry_run else ""
    titles = Counter(b.title for b in report.books if not b.not_created)  # (two new books of one title)
    for book in report.books:
        if book.not_created:
            if book.several:
                lines.append(
                    f"skipped (more than one book in the journal may be it; --create none): {book.title}: "
                    f"{' or '.join(book.several)}"
                )
            elif book.maybe:
                lines.append(
                    f"skipped (not in the journal; --create none): {book.title}: may be "
                    f"{' or '.join(book.maybe)}, not surely"
                )
            else:
                lines.append(f"skipped (not in the journal; --create none): {book.title}")
            continue
        if not _told(book):
            continue
        parts = [  # ({} is where a dry run says "would be": its book lines claim no write)
            f"{n} {one if n == 1 else many}".format(would)
            for n, one, many in (
                (book.added, "highlight {}added", "highlights {}added"),
                (book.replaced, "{}replaced by a later selection", "{}replaced by later selections"),
                (book.notes, "note {}attached", "notes {}attached"),
                (book.reflections, "note {}kept as a reflection", "notes {}kept as reflections"),
                (book.collapsed, "duplicate {}collapsed", "duplicates {}collapsed"),
                (book.already, "already here", "already here"),
                (book.kept, "{}kept as you edited it", "{}kept as you edited them"),
            )
            if n
        ]
        lines.append(f"{_book_named(book, titles, would)}: {', '.join(parts) or 'nothing new'}")
    skipped = ", ".join(
        f"{n} {what.rstrip('s') if n == 1 else what}" for what, n in sorted(report.skipped.items())
    )
    added = sum(b.added for b in report.books)
    created = sum(1 for b in report.books if b.created)
    taken = sum(1 for b in report.books if not b.not_created)  # (the others: not in the journal, skipped)
    left = len(report.books) - taken
    several = sum(1 for b in report.books if b.not_created and b.several)
    same = [b for b in report.books if not (b.not_created or _told(b))]
    already = sum(b.already for b in same)
    lines.append(
        f"{report.format} highlights: {added} {would}added to {taken} "
        f"book{'' if taken == 1 else 's'} "
        f"({created} {would}created)"
        + (
            f"; {left - several} book{'' if left - several == 1 else 's'} not in the journal skipped "
            "(--create none)"
            if left - several
            else ""
        )
        + (
            f"; {several} skipped as more than one journal book may be {'it' if several == 1 else 'each'} "
            "(--create none)"
            if several
            else ""
        )
        + (f"; skipped {skipped}" if skipped else "")
        + (
            f"; nothing new in {len(same)} book{'' if len(same) == 1 else 's'} ({already} already here)"
            if same
            else ""
        )
        + f"; {len(report.rejects)} rejected"
    )
    return lines


def _told(book: BookResult) -> bool:
    """Whether a book the import took has a line of its own: written, made, or a quote the reader edited
    kept over the device's (said each time: the two still differ)."""
    return book.changed or bool(book.created) or bool(book.kept)


def _book_named(book: BookResult, titles: Counter[str], would: str = "") -> str:
    """How a summary line names its book: by its title, and where another book has that title (in the
    journal, or among this import's books) by its slug and authors too, as a choice names a book
    (`twilight-cabot (Twilight by Meg Cabot)`), so two *Twilight*s are told apart. A book the import
    makes is `(new, read)`, or in a dry run `(would be created, read)`."""
    made = f"{would + 'created' if would else 'new'}, {book.created}" if book.created else ""
    if not (book.shared or titles[book.title] > 1):
        return f"{book.title} ({made})" if made else book.title
    by = f" by {', '.join(book.authors)}" if book.authors else ""
    if book.slug is None:  # (a dry run's new book: no slug yet)
        return f"{book.title}{by} ({made})" if made else f"{book.title}{by}"
    return f"{book.slug} ({book.title}{by}{'; ' + made if made else ''})"
