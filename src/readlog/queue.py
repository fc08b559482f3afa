"""The read-next queue, derived from the journal: open picks by the book they came from, then wanted books."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Container, Iterable, Iterator, Mapping, Sequence
from dataclasses import field
from datetime import date
from typing import TYPE_CHECKING, Any

from readlog.identity import (
    book_places,
    person_key,
    pick_authors_key,
    pick_authors_match,
    pick_named,
    pick_places,
    pick_status,
    pick_title_key,
    pick_work_key,
    places_agree,
    volume_keys,
)

if TYPE_CHECKING:
    from readlog.index.rows import PickSource, WantedBook
    from readlog.lookup.series import Suggestion
from readlog.lazyclass import dataclass_when_used
from readlog.model import BookSummary, Pick, Summary


@dataclass_when_used
class QueueItem:
    title: str
    authors: list[str]
    why: str | None
    added: date | None
    source: PickSource | None  # the book whose [[next]] holds this pick; None for a wanted book of its own
    status: str  # open | want | reading | paused | abandoned | read (identity.pick_status)
    slug: str | None = None  # the pick's own book, where it is in the journal
    priority: int | None = None
    # The other books that picked it (one title, one work or one book picked from several books: one item),
    # each with its pick as that book has it (its title and note), in queue order.
    also: list[tuple[PickSource, Pick]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        value: dict[str, Any] = {
            "title": self.title,
            "authors": self.authors,
            "why": self.why,
            "added": self.added.isoformat() if self.added else None,
            "from": {"slug": self.source.slug, "title": self.source.book.title} if self.source else None,
            "status": self.status,
            "slug": self.slug,
        }
        if self.also:
            value["also"] = [
                {"slug": source.slug, "title": source.book.title, "pick": pick.title, "why": pick.why}
                for source, pick in self.also
            ]
        return value


@dataclass_when_used
class Queue:
    items: list[QueueItem] = field(default_factory=list)
    more: bool = False  # stopped at a limit: there are more items
    total: int | None = None  # with `more`: how many items the whole queue holds
    reading: list[Summary] = field(default_factory=list)  # books being read now, shown above the queue
    reading_total: int = 0  # how many books are being read (`reading` may hold fewer)
    series: list[Suggestion] = field(default_factory=list)  # the next book of each series the reader is in

    def groups(self) -> list[tuple[PickSource | None, list[QueueItem]]]:
        """Items under the book they came from, in queue order; wanted books last, under None."""
        grouped: dict[str | None, tuple[PickSource | None, list[QueueItem]]] = {}
        for item in self.items:
            key = item.source.slug if item.source else None
            grouped.setdefault(key, (item.source, []))[1].append(item)
        return [grouped[k] for k in grouped if k is not None] + ([grouped[None]] if None in grouped else [])


# A book a pick may name, as the index holds it: (slug, normalised title, normalised authors, status, its
# places in a series as `vol:` keys, identity.book_places).
Target = tuple[str, str, list[str], str | None, frozenset[str]]
# A pick as the queue matches it: (normalised title, normalised authors, its places, identity.pick_places,
# and its work key, identity.pick_work_key: "" for a title that names a part).
Named = tuple[str, frozenset[str], frozenset[str], str]


class Matcher:
    """Finds a pick's own book in the journal by identity's pick policy: the same title key (or the same
    work key, `pick_work_key`: *Never Let Me Go: A Novel* is the journal's *Never Let Me Go*), one author in
    common (or none given by the pick: a pick with authors never names an authorless book), no other place
    in one series (`places_agree`). Works on normalised names, as the index stores them: no book is
    rebuilt to match. The books are given under the title keys of the picks that name them (the index
    joins each pick with the books of its keys: `Index.picks_and_books`, `Index.pick_targets`), so a book
    named by picks of two titles is given under each."""

    def __init__(
        self,
        targets: Iterable[Target],
        shapes: Mapping[str, bool] | None = None,
        persons: Mapping[str, str] | None = None,
    ):
        # the titles (no book's) whose picks need more than their title to tell their items: their authors
        # and places (False), and their work key (True): Index.picks_and_books; any other is one item
        self.shapes: Mapping[str, bool] = shapes or {}
        # the picks' authors' names that stand for another's, with its person key (identity.person_keys)
        self.persons: Mapping[str, str] = persons or {}
        self.by_title: dict[str, list[tuple[str, frozenset[str], str | None, frozenset[str]]]] = defaultdict(
            list
        )
        self.statuses: dict[str, str | None] = {}
        for slug, norm_title, norm_authors, status, places in targets:
            self.by_title[norm_title].append((slug, frozenset(norm_authors), status, places))
            self.statuses[slug] = status

    @classmethod
    def for_picks(
        cls, targets_of: Callable[[Sequence[tuple[str, str]]], Iterable[Target]], picks: Iterable[Pick]
    ) -> Matcher:
        """A matcher over the books these picks may name: `targets_of` (the index's `pick_targets`) is
        asked for the books their title keys and work keys name."""
        return cls(targets_of(sorted({(pick_title_key(p.title), pick_work_key(p.title)) for p in picks})))

    def find(
        self,
        norm_title: str,
        norm_authors: frozenset[str],
        places: frozenset[str] = frozenset(),
        work: str = "",
    ) -> list[tuple[str, str | None]]:
        """(slug, status) of the books a pick names, given its normalised title and authors, its places in
        a series and its work key (`_places_agree`)."""
        return [
            (slug, status)
            for slug, names, status, held in self.by_title.get(norm_title, ())
            if pick_authors_match(norm_authors, names) and _places_agree(places, held, norm_title, work)
        ]

    def named(self, title: str, authors: Sequence[str]) -> list[tuple[str, str | None]]:
        """(slug, status) of the books a pick with this title and these authors names."""
        key, places, work = pick_title_key(title), pick_places(title), pick_work_key(title)
        return self.find(key, pick_authors_key(authors), places, work)

    def status(self, title: str, authors: list[str]) -> str:
        """read, reading, want (in the journal, not started) or open (not in the journal)."""
        return pick_status([status for _, status in self.named(title, authors)])


# What BookFinder files a book under: its title key, its work key ("" for none) and its places in a series
FinderKeys = tuple[str, str, frozenset[str]]


def finder_keys(title: str, series: Sequence[tuple[str, str]]) -> FinderKeys:
    """A book's keys for BookFinder, from its title and its series' (name, number) pairs (series_pairs)."""
    return pick_title_key(title), pick_work_key(title), book_places(title, volume_keys(series))


class BookFinder:
    """The book a pick names among books in hand (the site's public books: no index), by identity's pick
    policy as the queue's Matcher holds it: the first of them, in the order given, kept by title key, and
    then by work key (`pick_work_key`: the pick *Never Let Me Go: A Novel* links the public *Never Let Me
    Go*)."""

    def __init__(self, books: Iterable[tuple[str, str, Sequence[str], Sequence[tuple[str, str]]]]):
        self.by_title: dict[str, list[tuple[str, Sequence[str], frozenset[str]]]] = defaultdict(list)
        self.by_work: dict[str, list[tuple[str, Sequence[str], frozenset[str]]]] = defaultdict(list)
        for slug, title, authors, series in books:
            self.add(slug, authors, finder_keys(title, series))

    def add(self, slug: str, authors: Sequence[str], keys: FinderKeys) -> None:
        """A book after those given, by its `finder_keys` (the site's content cache keeps each book's)."""
        title_key, work, places = keys
        book = (slug, authors, places)
        self.by_title[title_key].append(book)
        if work:
            self.by_work[work].append(book)

    def find(self, title: str, authors: Sequence[str]) -> str | None:
        # (the title keys' being equal, as they are for every book under this one, and the authors' matching
        # and the places' agreeing: only those are asked again, not each title's key twice more)
        places, key = pick_places(title), pick_title_key(title)
        work = pick_work_key(title)
        for slug, book_authors, held in (*self.by_title.get(key, ()), *self.by_work.get(work, ())):
            if pick_authors_match(authors, book_authors) and _places_agree(places, held, key, work):
                return slug
        return None


def _places_agree(places: frozenset[str], held: frozenset[str], key: str, work: str) -> bool:
    """identity.places_agree read against the pick's title key and its work key both: a place past the
    first of a series named as the work is another book of the series, however the title is dressed (the
    pick *Akira: 35th Anniversary Edition (Akira, #2)* is not the journal's place-less *Akira*, which its
    work key finds, as *Akira (Akira, #2)* is not; nor is the pick *Saga: Deluxe Edition* the journal's
    *Saga (Saga, #2)*: review 28b #1)."""
    return places_agree(places, held, key) and (not work or work == key or places_agree(places, held, work))


def build_queue(
    sources: Iterable[PickSource],
    wanted: Iterable[WantedBook],
    matcher: Matcher,
    picked: set[str],
    own_books: Callable[[list[str]], dict[str, BookSummary]],
    include_read: bool = False,
    limit: int | None = None,
) -> Queue:
    """The queue from `sources` (books with picks, newest first) and `wanted` (in queue order).

    `matcher` knows the books picks may name; `picked` holds the wanted books some pick names (they are
    listed under that pick, not again on their own); `own_books` gives the listed picks' own books (their
    authors, note and priority fill what a pick leaves out). With `limit`, at most that many picks and
    that many wanted books (`more` says some were left out): a long list of picks never hides the
    reader's own queue.
    """
    queue = Queue()
    # each book, title and place, or work once (`_listed`'s keys), with the picks that met it again: the
    # place in `listed` of the first (None: not listed, a read one) and the others' sources and picks
    seen: dict[str, int | None] = {}
    listed: list[tuple[PickSource, Pick, str | None, str]] = []
    again: defaultdict[int, list[tuple[PickSource, Pick]]] = defaultdict(list)
    for source in _until_full(sources, listed, queue, limit):
        for pick in source.book.next:
            title = pick_title_key(pick.title)
            key, shown = _listed(
                _named(title, pick, matcher), matcher, seen, include_read, _work(title, pick, matcher)
            )
            first = seen.setdefault(key, None if shown is None else len(listed))
            if shown is not None:
                listed.append((source, pick, *shown))
            elif first is not None:
                again[first].append((source, pick))
    if limit is not None and len(listed) > limit:  # (the last source's picks took it past: at most N)
        del listed[limit:]
        queue.more = True
    own = own_books([slug for _, _, slug, _ in listed if slug is not None])
    for number, (source, pick, slug, status) in enumerate(listed):
        book = own.get(slug) if slug is not None else None
        queue.items.append(
            QueueItem(
                title=pick.title,
                authors=pick.authors or (book.authors if book else []),
                why=pick.why or (book.why if book else None),
                added=pick.added,
                source=source,
                status=status,
                slug=slug,
                priority=book.priority if book else None,
                also=again.get(number, []),
            )
        )
    picks = len(queue.items)
    for entry in wanted:
        if entry.slug in picked or entry.slug in seen:
            continue
        if limit is not None and len(queue.items) - picks >= limit:
            queue.more = True
            break
        queue.items.append(
            QueueItem(
                entry.title, entry.authors, entry.why, entry.added, None, "want", entry.slug, entry.priority
            )
        )
    return queue


def _named(title: str, pick: Pick, matcher: Matcher) -> Named:
    """A pick as the queue matches it and keys its item: its authors and places only where they count (a
    title some book has, or one `matcher.shapes` names)."""
    if title in matcher.by_title or title in matcher.shapes:
        return title, pick_authors_key(pick.authors), pick_places(pick.title), pick_work_key(pick.title)
    return title, _NO_PLACES, _NO_PLACES, ""


def _work(title: str, pick: Pick, matcher: Matcher) -> str:
    """The work key a pick's item is told by, where it is another title's too (`open_key`)."""
    return pick_work_key(pick.title) if matcher.shapes.get(title) else ""


def _listed(
    pick: Named, matcher: Matcher, seen: Container[str], include_read: bool, work: str = ""
) -> tuple[str, tuple[str | None, str] | None]:
    """Whether a pick is listed (once per book, read ones only with `include_read`): its key in the queue
    and, when listed, the slug of its own book in the journal (or None) and its status. The one rule
    `build_queue` and `count_queue` share. A pick no book is: `open_key` (two volumes of a series are two
    items, and one work's picks by one author, `work` its work key, one)."""
    matched = matcher.find(*pick)
    key = matched[0][0] if matched else open_key(pick[0], pick[1], pick[2], work, matcher.persons)
    if key in seen:
        return key, None
    status = pick_status([status for _, status in matched])
    status = "open" if status == "want" else status
    if status == "read" and not include_read:
        return key, None
    return key, ((matched[0][0] if matched else None), status)


def open_key(
    norm_title: str,
    names: Iterable[str],
    places: frozenset[str],
    work: str = "",
    persons: Mapping[str, str] | None = None,
) -> str:
    """The queue's key of a pick that names no book of the journal: one item per title (or work key,
    identity.pick_work_key: *Never Let Me Go: A Novel* and *Never Let Me Go* are one work's), authors
    (another author's *Never Let Me Go* is another book) and place in a series where that place is no
    title's alone (`places_agree`, as one pick names another: *Y: The Last Man*, its *Vol. 2* and *Vol. 3*
    are three items, *Wolf Hall* and *Wolf Hall (Thomas Cromwell, #1)* one). Authors by `person_key`: one
    person in either name order (`Ishiguro, Kazuo`, a Goodreads export's) is one author (review 28d #3);
    `persons`, a name standing for another's (`K. Ishiguro` for `Kazuo Ishiguro` among the picks, never `J.
    Smith` beside Jane and John Smith: identity.person_keys) by that one's."""
    if places and not places_agree(places, _NO_PLACES, norm_title):
        head = "\x1f".join(["title:" + norm_title, *sorted(places)])
    else:
        head = "work:" + work if work else "title:" + norm_title
    if not names:
        return head
    persons = persons or {}
    return "\x1e".join([head, *sorted({persons.get(name) or person_key(name) for name in names})])


_NO_PLACES: frozenset[str] = frozenset()


def open_pick_key(pick: Pick, matcher: Matcher) -> str:
    """The queue's key of a pick that names no book of the journal (`open_key`), as `build_queue` lists
    them: `next --suggest` ranks each item once."""
    title, names, places, _ = _named(pick_title_key(pick.title), pick, matcher)
    return open_key(title, names, places, _work(title, pick, matcher), matcher.persons)


def picks_titled(title: str, sources: Iterable[PickSource]) -> Iterator[tuple[PickSource, Pick]]:
    """The picks, among `sources`' books, whose title is `title` (the pick policy's `pick_named`: its
    whole-title key, at no other place of a series)."""
    for source in sources:
        for pick in source.book.next:
            if pick_named(title, pick.title):
                yield source, pick


def picked_slugs(picks: Iterable[Named], matcher: Matcher) -> set[str]:
    """The books some pick names (by normalised title, authors and places)."""
    return {slug for pick in picks for slug, _ in matcher.find(*pick)}


def count_queue(
    named: Iterable[Named],
    open_titles: int,
    wanted: int,
    matcher: Matcher,
    include_read: bool = False,
) -> int:
    """How many items the whole queue holds (`build_queue` with no limit, counted without building it).

    `named` are the normalised (title, authors) of the picks whose title some book in the journal has, in
    queue order; `open_titles` how many different titles the other picks name (each one open item: their
    keys, `open_key` of a title no book has, can meet no other); `wanted` the wanted books no pick names."""
    seen: set[str] = set()
    listed = 0
    for pick in named:
        key, shown = _listed(pick, matcher, seen, include_read)
        seen.add(key)
        listed += shown is not None
    return open_titles + listed + wanted


def _until_full(
    sources: Iterable[PickSource], listed: list[Any], queue: Queue, limit: int | None
) -> Iterator[PickSource]:
    """The sources, until `limit` picks are listed (a source's picks may take it a little past)."""
    for source in sources:
        if limit is not None and len(listed) >= limit:
            queue.more = True
            return
        yield source
