"""The read-next queue, derived from the journal: open picks by the book they came from, then wanted books."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from readlog.identity import pick_status

if TYPE_CHECKING:
    from readlog.lookup.series import Suggestion
from readlog.model import Pick, Summary
from readlog.text import normalize


@dataclass
class QueueItem:
    title: str
    authors: list[str]
    why: str | None
    added: date | None
    source: Summary | None  # the book whose [[next]] holds this pick; None for a wanted book of its own
    status: str  # open | want | reading | read
    slug: str | None = None  # the pick's own book, where it is in the journal
    priority: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "authors": self.authors,
            "why": self.why,
            "added": self.added.isoformat() if self.added else None,
            "from": {"slug": self.source.slug, "title": self.source.book.title} if self.source else None,
            "status": self.status,
            "slug": self.slug,
        }


@dataclass
class Queue:
    items: list[QueueItem] = field(default_factory=list)
    more: bool = False  # stopped at a limit: there are more items
    total: int | None = None  # with `more`: how many items the whole queue holds
    reading: list[Summary] = field(default_factory=list)  # books being read now, shown above the queue
    series: list[Suggestion] = field(default_factory=list)  # the next book of each series the reader is in

    def groups(self) -> list[tuple[Summary | None, list[QueueItem]]]:
        """Items under the book they came from, in queue order; wanted books last, under None."""
        grouped: dict[str | None, tuple[Summary | None, list[QueueItem]]] = {}
        for item in self.items:
            key = item.source.slug if item.source else None
            grouped.setdefault(key, (item.source, []))[1].append(item)
        return [grouped[k] for k in grouped if k is not None] + ([grouped[None]] if None in grouped else [])


class Matcher:
    """Finds a pick's own book in the journal: same normalised title, one shared author."""

    def __init__(self, entries: list[Summary]):
        self.by_title: dict[str, list[Summary]] = defaultdict(list)
        for entry in entries:
            self.by_title[normalize(entry.book.title)].append(entry)

    def find(self, title: str, authors: list[str]) -> list[Summary]:
        names = {normalize(a) for a in authors}
        return [
            e
            for e in self.by_title.get(normalize(title), [])
            if not names or not e.book.authors or names & {normalize(a) for a in e.book.authors}
        ]

    def status(self, title: str, authors: list[str]) -> str:
        """read, reading, want (in the journal, not started) or open (not in the journal)."""
        return pick_status([e.book.status for e in self.find(title, authors)])


def build_queue(
    sources: Iterable[Summary],
    wanted: Iterable[Summary],
    matcher: Matcher,
    picked: set[str],
    include_read: bool = False,
    limit: int | None = None,
) -> Queue:
    """The queue from `sources` (books with picks, newest first) and `wanted` (in queue order).

    `matcher` knows the books picks may name; `picked` holds the wanted books some pick names (they are
    listed under that pick, not again on their own). With `limit`, at most that many picks and that many
    wanted books: a long list of picks never hides the reader's own queue.
    """
    queue = Queue()
    seen: set[str] = set()  # each title once: keyed by the pick's journal slug, or its normalised title
    for source in _until_full(sources, queue, limit):
        for pick in source.book.next:
            shown = _listed(pick.title, pick.authors, matcher, seen, include_read)
            if shown is None:
                continue
            matched, status = shown
            own = matched[0].book if matched else None
            queue.items.append(
                QueueItem(
                    title=pick.title,
                    authors=pick.authors or (own.authors if own else []),
                    why=pick.why or (own.why if own else None),
                    added=pick.added,
                    source=source,
                    status=status,
                    slug=matched[0].slug if matched else None,
                    priority=own.priority if own else None,
                )
            )
    picks = len(queue.items)
    for entry in wanted:
        if entry.slug in picked or entry.slug in seen:
            continue
        if limit is not None and len(queue.items) - picks >= limit:
            queue.more = True
            break
        book = entry.book
        queue.items.append(
            QueueItem(book.title, book.authors, book.why, book.added, None, "want", entry.slug, book.priority)
        )
    return queue


def _listed(
    title: str, authors: list[str], matcher: Matcher, seen: set[str], include_read: bool
) -> tuple[list[Summary], str] | None:
    """Whether a pick is listed (once per book, read ones only with `include_read`): its matches in the
    journal and its status, or None. The one rule `build_queue` and `count_queue` share."""
    matched = matcher.find(title, authors)
    key = matched[0].slug if matched else "title:" + normalize(title)
    if key in seen:
        return None
    seen.add(key)
    status = matcher.status(title, authors)
    status = "open" if status == "want" else status
    if status == "read" and not include_read:
        return None
    return matched, status


def count_queue(
    picks: Iterable[tuple[str, list[Pick]]],
    wanted: Iterable[str],
    matcher: Matcher,
    picked: set[str],
    include_read: bool = False,
) -> int:
    """How many items the whole queue holds (`build_queue` with no limit, counted without building it):
    `picks` are (slug, picks) of the books with picks, in queue order; `wanted` the wanted books' slugs."""
    seen: set[str] = set()
    count = sum(
        1
        for _, book_picks in picks
        for p in book_picks
        if _listed(p.title, p.authors, matcher, seen, include_read)
    )
    return count + sum(1 for slug in wanted if slug not in picked and slug not in seen)


def _until_full(sources: Iterable[Summary], queue: Queue, limit: int | None) -> Iterator[Summary]:
    """The sources, until the queue holds `limit` picks (a source's picks may take it a little past)."""
    for source in sources:
        if limit is not None and len(queue.items) >= limit:
            queue.more = True
            return
        yield source
