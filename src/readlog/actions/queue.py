"""The read-next queue: next, next add, next drop, and the marks on a book's picks."""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from readlog.actions.books import find_book, no_blank_author, slug_of
from readlog.errors import BookFileError, BookNotFound, MaybeSameBook, Option, ReadlogError
from readlog.identity import named_as_typed, pick_compared, pick_named, pick_names_book
from readlog.journal import ADD_NEW, Journal, maybe_here
from readlog.lazyclass import dataclass_when_used
from readlog.model import Book, BookSummary, Entry, Pick, parse_line, parse_text
from readlog.text import one_line

if TYPE_CHECKING:
    from readlog.index import Index
    from readlog.lookup.series import Suggestion
    from readlog.queue import Queue as Queue  # the CLI's rows name it
    from readlog.queue import QueueItem as QueueItem


def book_formats() -> tuple[str, ...]:
    """The formats a book is read in (paperback, hardcover, ebook, audiobook): `next --suggest --format`."""
    from readlog.model import FORMATS

    return tuple(FORMATS)


def why_shown(why: str | None) -> str:
    """A pick's why as `next` shows it (its tab-separated lines too): without the reader's notes to self,
    by the rule everything shown or published keeps (privacy.without_comments). `--json` is the data."""
    if not why or "<!--" not in why:
        return why or ""
    from readlog.privacy import without_comments

    return without_comments(why).strip()


def percent_done(book: BookSummary) -> int | None:
    """How far through its open reading a book is, as a whole percentage (None: not known)."""
    from readlog.reading import percent_done as done

    return done(book)


def add_pick(
    journal: Journal,
    title: str,
    authors: Sequence[str],
    source: str | None = None,
    why: str | None = None,
    *,
    dry_run: bool = False,
    new: bool = False,
    same_as: str | None = None,
) -> Entry:
    """With a source BOOK: a pick in its [[next]] (no author given: the authors of the journal's book of
    that whole title, when it is one sure book), refused when it may be a book of the journal that the
    queue would not take it for (MaybeSameBook: `_picked_as_is`) unless `new` says it is another book, or
    `same_as` (a slug) that it is that book: the pick then takes its title and authors. Without: a book of
    its own with status `want`, refused when the journal has it or may have it (MaybeSameBook, naming
    `next add --new`, which keeps it a book you want: `add --new` would record it as read) unless `new`
    says it is another book. With `dry_run`, every refusal the write would meet, and nothing written
    (`inbox --dry-run`): the book the pick would go to, as it is."""
    title = parse_line(title, "title", required=True)
    names = no_blank_author(authors)
    if same_as is not None and source is not None:
        book = journal.load(same_as).book
        title, names = book.title, list(book.authors)
    if not names:
        names = _authors_of(journal, title) if source is not None else []
    if not names:
        raise ReadlogError("missing author: give it with --author NAME")
    why = parse_text(why, Option("--why")) if why and why.strip() else None
    if source is None:
        book = Book(title=title, authors=names, status="want", why=why, added=date.today())
        try:
            if dry_run:
                journal.check_new(book, new)
                return Entry("", book, journal.books_dir, text="")
            return journal.create(book, new)
        except MaybeSameBook as maybe:
            again = "`readlog next add --new` adds it as a separate book you want to read"
            raise MaybeSameBook(str(maybe).replace(ADD_NEW, again), maybe.slugs) from None

    def append(book: Book) -> None:
        for pick in book.next:
            if pick_names_book(pick.title, pick.authors, title, names):
                raise ReadlogError(f"{one_line(title)!r} is already a pick of {one_line(book.title)!r}")
        book.next.append(Pick(title=title, authors=names, why=why, added=date.today()))

    entry = journal.load(slug_of(journal, source))
    append(copy.deepcopy(entry.book))  # (already a pick of it: said so, before it is asked about)
    if not (new or same_as):
        title = _picked_as_is(journal, Pick(title=title, authors=names), entry.slug)
    if dry_run:
        return entry
    return journal.modify(entry.slug, append)


def _picked_as_is(journal: Journal, pick: Pick, source: str) -> str:
    """A new pick that may be a book of the journal the queue would not take it for (the pick rule joins a
    whole title or work, not a title the book's is a longer one of) is refused, as `next add` refuses that
    book, by the same rule (Journal.new_book_is): `Homo Deus` picked from *Sapiens* beside the wanted *Homo
    Deus: A History of Tomorrow* was taken without a word, listed twice and never read (try-out 29b #1). A
    pick the queue takes for a book of the journal is that book, one the pick rule compares and keeps
    apart is not it (identity.pick_compared), and its source is no book it may be. Returns the title to
    store: the one book's the queue takes the pick for, as that book has it (`homo deus: a history of
    tomorrow` typed, *Homo Deus: A History of Tomorrow* stored, as show and the site print it: try-out 30a
    #7), else the pick's."""
    from readlog.queue import Matcher

    targets = journal.writer_index().pick_targets

    def books_named(title: str) -> set[str]:
        return {
            slug
            for slug, _ in Matcher.for_picks(targets, [Pick(title, pick.authors)]).named(title, pick.authors)
        }

    slugs = books_named(pick.title)
    if slugs:
        # (the book's own title, if it names that book alone: a volume's bare title, *Saga* for `Saga #3`,
        # may name another volume of it, which the pick would then be taken for: review 30d F1)
        title = journal.load(next(iter(slugs))).book.title if len(slugs) == 1 else pick.title
        return title if books_named(title) == slugs else pick.title
    sure, maybe = journal.new_book_is(Book(title=pick.title, authors=pick.authors))
    others = [e for e in (*sure, *maybe) if e.slug != source and not pick_compared(pick.title, e.book.title)]
    if others:
        which = "that book's title" if len(others) == 1 else "the title of the one it is"
        again = f"the same `readlog next add` with {which} picks it, with `--new` a separate book"
        said = maybe_here(pick.title, others).replace(ADD_NEW, again)
        raise MaybeSameBook(said, tuple(e.slug for e in others))
    return pick.title


def _authors_of(journal: Journal, title: str) -> list[str]:
    """The authors of the one book in the journal whose whole title `title` is (none: not one sure book)."""
    from readlog.errors import AmbiguousBook

    try:
        found = journal.find(title)
    except (BookNotFound, AmbiguousBook):
        return []
    return list(journal.load(found.slug).book.authors)


@dataclass_when_used
class Dropped:
    entry: Entry  # the book the pick was dropped from, or the wanted book itself
    trashed: Path | None = None  # a want-only book `next add` had made: moved to trash/
    title: str = ""  # the pick removed, as its book had it
    kept_in: Path | None = None  # its note, kept in trash/ (a pick with no note: None)


def drop_pick(journal: Journal, title: str, source: str | None = None) -> Dropped:
    """Remove the pick named `title` from `source`, or from the one book that has it; with no such pick,
    the wanted book `next add` made without --from (when that is all it is). A pick's note is kept in
    trash/ (`<slug>.pick.<time>.md`), as a dropped inbox line or a replaced review is. A title that names
    several picks of the book (`Dune Messiah` with picks *Dune Messiah (Dune #2)* and *(Dune #3)*) removes
    none of them and names them, unless it is one of their whole titles as typed. Which picks a title names
    is identity.pick_named, the rule `next add` finds a pick already there by."""

    def matches(pick: Pick) -> bool:
        return pick_named(title, pick.title)

    if source is None:
        holders = [e for e in journal.scan().entries if any(matches(p) for p in e.book.next)]
        if not holders:
            return _drop_wanted(journal, title)
        if len(holders) > 1:
            names = ", ".join(e.slug for e in holders)
            raise ReadlogError(
                f"{one_line(title)!r} is a pick of several books ({names}); say which with --from"
            )
        slug = holders[0].slug
    else:
        slug = slug_of(journal, source)
    dropped: list[Pick] = []
    kept: list[Path | None] = [None]

    def remove(book: Book) -> None:
        named = named_as_typed(title, [p for p in book.next if matches(p)], lambda p: p.title)
        if not named:
            raise ReadlogError(
                f"{one_line(book.title)!r} has no pick called {one_line(title)!r}: {_picks_there(book)}"
            )
        if len({" ".join(p.title.split()) for p in named}) > 1:  # (one title twice, a sync's: both go)
            raise ReadlogError(
                f"{one_line(title)!r} names {len(named)} picks of {one_line(book.title)!r} "
                f"({_titles(named)}): give the whole title; nothing was removed"
            )
        book.next = [p for p in book.next if all(p is not n for n in named)]
        dropped[:] = named
        notes = [p for p in named if p.why]
        kept[0] = journal.keep(f"{slug}.pick", ".md", _dropped_text(book, notes)) if notes else None

    entry = journal.modify(slug, remove)
    return Dropped(entry, title=dropped[0].title if dropped else title, kept_in=kept[0])


def _titles(picks: Sequence[Pick], most: int = 8) -> str:
    shown = ", ".join(f"“{one_line(p.title)}”" for p in picks[:most])
    return shown + (f" and {len(picks) - most} more" if len(picks) > most else "")


def _picks_there(book: Book) -> str:
    """What `next drop` names when the pick asked for is not there: the book's picks."""
    if not book.next:
        return "it has no picks"
    return f"its picks are {_titles(book.next)}"


def _dropped_text(book: Book, picks: Sequence[Pick]) -> str:
    """The note of each pick dropped, as trash/ keeps it: its title and authors above it."""
    blocks = [f"# read-next pick of {one_line(book.title)}, dropped"]
    for pick in picks:
        by = f" by {', '.join(pick.authors)}" if pick.authors else ""
        blocks.append(f"## {one_line(pick.title)}{one_line(by)}\n\n{pick.why}")
    return "\n\n".join(blocks) + "\n"


def _drop_wanted(journal: Journal, title: str) -> Dropped:
    try:
        entry = find_book(journal, title)
    except BookNotFound as error:
        raise ReadlogError(
            f"no book has a pick called {one_line(title)!r}, and {error}"
            + ("" if "did you mean" in str(error) else "; `readlog next` lists the picks")
        ) from None
    book = entry.book
    if book.status != "want" or book.reads or book.review or book.reflections or book.quotes or book.next:
        raise ReadlogError(
            f"{one_line(book.title)!r} is a book in your journal ({book.status or 'no status'}), not a pick: "
            f"`readlog rm {entry.slug}` removes it"
        )
    return Dropped(entry, journal.remove(entry.slug))


READING_SHOWN = 10  # books being read, listed above a limited queue


def read_next(
    journal: Journal, include_read: bool = False, limit: int | None = None
) -> tuple[Queue, list[BookFileError]]:
    """The queue, from the index: books being read, open picks under their source books, wanted books."""
    from readlog.queue import Matcher, build_queue, count_queue, picked_slugs

    index = journal.fresh_index()
    targets, named, open_titles, shapes, persons = index.picks_and_books()
    matcher = Matcher(targets, shapes, persons)
    picked = picked_slugs(named, matcher)  # a pick whose title no book has names no book
    batch = min(200, limit + 10) if limit else 200  # books read from the index at a time, as needed
    queue = build_queue(
        index.sources(batch, every=not limit),
        index.wanted(batch, first=batch if limit else None),
        matcher,
        picked,
        index.by_slugs,
        include_read,
        limit,
    )
    if queue.more:  # say how many more: the whole queue, counted (from the picks alone) when it was cut
        picked_wanted = sum(1 for slug in picked if matcher.statuses.get(slug) == "want")
        wanted = index.count_status("want") - picked_wanted
        queue.total = count_queue(named, open_titles, wanted, matcher, include_read)
    # With a limit, the few most recently read (ten at most): the rest are a `readlog list --status
    # reading` away.
    queue.reading, queue.reading_total = index.reading(min(READING_SHOWN, limit) if limit else None)
    # Each book once: a series' next book that is a pick is listed as the pick (with its note, under the
    # book it came from), whether or not a limit cut the pick (`picked`: every pick of the whole queue, so
    # the rows and their status are the same whatever the limit, try-out 28a #5); one that is only wanted,
    # under its series.
    queue.series = [s for s in _series_next(index) if s.book.slug not in picked]
    upcoming = {suggestion.book.slug for suggestion in queue.series}
    queue.items = [i for i in queue.items if i.source is not None or i.slug not in upcoming]
    if queue.total is not None:  # the series' rows are the queue's too: a wanted one is counted already
        queue.total += sum(1 for s in queue.series if s.book.status != "want")
    return queue, journal.problems()


def rows_shown(queue: Queue) -> int:
    """How many rows of the queue a limited `next` prints (its picks and wanted books, and the series' next
    books, all listed whatever the limit), as `Queue.total` counts the whole queue's."""
    return len(queue.items) + len(queue.series)


def _series_next(index: Index) -> list[Suggestion]:
    """The next book of each series the reader is in, kept for the index as it is (as the whole queue
    is, below): a journal of 10,000 books that are all in a series took 0.1 s to read them and find each
    series' next one."""
    from readlog.lookup.series import Suggestion
    from readlog.lookup.series import suggestions as series_suggestions

    def made() -> list[dict[str, Any]]:
        return [s.to_json() for s in series_suggestions((m.slug, m) for m in index.in_series())]

    return [Suggestion.from_json(value) for value in index.kept("series-next", made)]


def whole_queue(
    journal: Journal, include_read: bool, shape: str, made: Callable[[Queue], Any]
) -> tuple[Any, list[BookFileError]]:
    """The whole queue as a script gets it (`made` of `read_next` with no limit, a JSON value: its lines,
    or its JSON), kept for the index as it is (Index.kept, as the tags' counts are): a journal that has
    not changed since gives the same lines without building the queue again (10,000 books: the queue's
    5,930 lines took 100 ms to make). `shape` names what `made` makes."""
    index = journal.fresh_index()
    value = index.kept(
        f"queue:{shape}:{int(include_read)}", lambda: made(read_next(journal, include_read)[0])
    )
    return value, journal.problems()


def pick_statuses(journal: Journal, book: Book) -> list[str]:
    """For each of `book`'s picks: read, reading, want (in the journal) or open."""
    from readlog.queue import Matcher

    index = journal.fresh_index()
    matcher = Matcher.for_picks(index.pick_targets, book.next)
    return [matcher.status(pick.title, pick.authors) for pick in book.next]


def set_intro(journal: Journal, query: str, intro: str | None, heading: str | None) -> Entry:
    """`readlog next intro`: the heading and introduction of a book's read-next section."""
    from readlog.privacy import set_read_next_intro

    return set_read_next_intro(journal, slug_of(journal, query), intro, heading)
