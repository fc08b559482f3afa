"""`readlog next --suggest`: the want list ranked from the reader's own history, each book with the reasons
that moved it. Pure: books in (as `Item`s), a ranking out; nothing here reads a file or the network.

How a book is scored (the README says it in words):
- Every book the reader finished or abandoned is evidence. Its *value* is its rating minus the reader's mean
  rating; a book finished without a rating counts 0 at half weight; an abandoned book counts
  `-abandoned` (1.5 stars below the mean by default, or its own rating when that is lower).
- A want book gathers the evidence of what it shares with those books: its authors, its tags (and the moods
  and pace the reader gave read books on StoryGraph, which match a want book's tags), its Open Library
  subjects, its series, the book a read-next pick came from, its length, its format, how long it has waited.
  Each trait's evidence is a shrunk mean: (sum of values) / (weight of the books + k), so one book says
  little and five say a lot.
- score = the reader's mean rating + the sum of (weight x signal); the export's average rating (how everyone
  else rated the book) is one more signal, a prior: where a read book has one, its value is taken net of
  it (rating - mean - average weight x (its average - the mean average)), so the other traits are credited
  only with what the reader's rating says beyond everyone's. The weights are in the config (`[suggest]`).
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from datetime import date
from typing import Any

from readlog.config import SUGGEST_WEIGHTS
from readlog.model import Pick, sort_key
from readlog.suggested import Signal, Suggested

# How many books finished or abandoned, and how many of them rated, before plain `next` shows suggestions
# (`next --suggest` ranks with less, and says that it needs more).
MIN_HISTORY = 10
MIN_RATED = 5
UNRATED_WEIGHT = 0.5  # a book finished without a rating: evidence at half weight, value 0
PICKED = 0.3  # a pick is the reader's own recommendation: this much on top of its source's value
NEXT_IN_SERIES = 0.25  # the next book of a series the reader is in
NEUTRAL_MEAN = 3.5  # the mean rating of a reader who has rated nothing yet
# Shrinkage: a trait's evidence is sum / (weight + k).
K_AUTHOR, K_TAG, K_SUBJECT, K_SERIES, K_BUCKET = 1.5, 3.0, 3.0, 2.0, 5.0
LENGTHS = ((300, "under 300 pages"), (500, "of 300 to 499 pages"), (None, "of 500 pages or more"))
WAITS = ((365, "within a year"), (3 * 365, "after one to three years"), (None, "after three years or more"))
FORMAT_NAMES = {
    "paperback": "paperbacks",
    "hardcover": "hardcovers",
    "ebook": "ebooks",
    "audiobook": "audiobooks",
}
SHOWN_REASONS = 2
LEAST = 0.03  # a signal that moves the score less than this is not given as a reason


Source = tuple[str, str | None]  # a book a pick came from: its slug, and the pick's note (`why`)

_DEFAULTS = {name: default for name, default, _ in SUGGEST_WEIGHTS}


@dataclass(frozen=True)
class Weights:
    """How much each signal counts: config `[suggest]`, 0 turns one off. Defaults (fixed a priori, not fitted
    to any reader) are readlog.config.SUGGEST_WEIGHTS."""

    author: float = _DEFAULTS["author"]
    tags: float = _DEFAULTS["tags"]
    subjects: float = _DEFAULTS["subjects"]
    series: float = _DEFAULTS["series"]
    picks: float = _DEFAULTS["picks"]
    length: float = _DEFAULTS["length"]
    format: float = _DEFAULTS["format"]
    waiting: float = _DEFAULTS["waiting"]
    average: float = _DEFAULTS["average"]
    abandoned: float = _DEFAULTS["abandoned"]  # not a weight: how far below the mean an abandon counts

    @classmethod
    def names(cls) -> tuple[str, ...]:
        return tuple(f.name for f in fields(cls))


@dataclass
class Item:
    """A book as the ranking sees it."""

    slug: str
    title: str
    authors: list[str]
    status: str | None
    rating: float | None = None
    tags: list[str] = field(default_factory=list)
    pages: int | None = None
    added: date | None = None
    finished: str | None = None  # the last reading's finish (ISO, maybe partial)
    series: list[dict[str, str]] = field(default_factory=list)
    picks: list[Pick] = field(default_factory=list)
    format: str | None = None
    average: float | None = None
    subjects: list[str] = field(default_factory=list)
    moods: list[str] = field(default_factory=list)  # StoryGraph's, the reader's after reading
    pace: str | None = None
    priority: int | None = None
    kind: str = "want"  # "pick": an open read-next pick (no book file; `slug` is the ranking's own key)


@dataclass
class Ranking:
    books: list[Suggested]
    mean: float  # the reader's mean rating
    finished: int  # books finished
    abandoned: int
    rated: int

    @property
    def enough(self) -> bool:
        """Enough history for plain `next` to show suggestions."""
        return self.finished + self.abandoned >= MIN_HISTORY and self.rated >= MIN_RATED


# --- evidence -------------------------------------------------------------------------------------------
@dataclass
class Tally:
    """What the books sharing one trait say."""

    label: str  # the trait as the reader wrote it: an author's name, a tag, a series
    total: float = 0.0  # sum of weight x value
    weight: float = 0.0
    rated: int = 0
    rating_sum: float = 0.0
    finished: int = 0
    abandoned: int = 0
    top: int = 0  # books rated the reader's highest rating
    best: list[tuple[float, str]] = field(default_factory=list)  # (value, title): finished books
    worst: list[tuple[float, str]] = field(default_factory=list)  # any book started
    best_rated: list[tuple[float, str]] = field(default_factory=list)  # rated books only
    # The example a sentence names is one of the books it speaks of (`_example`): the abandoned books, the
    # rated one nearest their average (`typical`), the finished ones at their lowest.
    dropped: list[tuple[float, str]] = field(default_factory=list)
    ratings: list[tuple[float, str]] = field(default_factory=list)  # (rating, title): rated books
    worst_finished: list[tuple[float, str]] = field(default_factory=list)

    def add(self, book: Evidence) -> None:
        self.total += book.weight * book.value
        self.weight += book.weight
        entry = (book.value, book.item.title)
        if book.abandoned:
            self.abandoned += 1
            _keep(self.worst, entry, low=True)
            _keep(self.dropped, entry, low=True)
            return
        self.finished += 1
        if book.item.rating is not None:
            self.rated += 1
            self.rating_sum += book.item.rating
            self.top += book.top
            _keep(self.best_rated, entry, low=False)
            self.ratings.append((book.item.rating, book.item.title))
        _keep(self.best, entry, low=False)
        _keep(self.worst, entry, low=True)
        _keep(self.worst_finished, entry, low=True)

    def shrunk(self, k: float) -> float:
        return self.total / (self.weight + k) if self.weight else 0.0

    @property
    def started(self) -> int:
        return self.finished + self.abandoned

    @property
    def mean_rating(self) -> float:
        return self.rating_sum / self.rated if self.rated else 0.0

    def typical(self) -> list[tuple[float, str]]:
        """The rated book nearest their average (the lower of two as near, then by title): the example of
        a sentence that says the average and counts against, which its lowest would contradict."""
        mean = self.mean_rating
        return [min(self.ratings, key=lambda e: (abs(e[0] - mean), e[0], e[1]))] if self.ratings else []


def _keep(kept: list[tuple[float, str]], entry: tuple[float, str], low: bool) -> None:
    kept.append(entry)
    kept.sort(key=lambda e: (e[0] if low else -e[0], e[1]))
    del kept[2:]


@dataclass
class Evidence:
    item: Item
    value: float
    weight: float
    abandoned: bool
    top: int  # 1 when rated the reader's highest rating


@dataclass
class Profile:
    """The reader's history, gathered by trait."""

    mean: float
    top_rating: float | None
    finished: int = 0
    abandoned: int = 0
    rated: int = 0
    authors: dict[str, Tally] = field(default_factory=dict)
    tags: dict[str, Tally] = field(default_factory=dict)
    subjects: dict[str, Tally] = field(default_factory=dict)
    series: dict[str, Tally] = field(default_factory=dict)
    lengths: dict[int, Tally] = field(default_factory=dict)
    formats: dict[str, Tally] = field(default_factory=dict)
    waits: dict[int, Tally] = field(default_factory=dict)
    values: dict[str, float] = field(default_factory=dict)  # slug -> value, for picks' sources
    average_mean: float | None = None


def _tally(table: dict[Any, Tally], key: Any, label: str, book: Evidence) -> None:
    if key not in table:
        table[key] = Tally(label)
    table[key].add(book)


def build_profile(items: Iterable[Item], weights: Weights, leave_out: Collection[str] = ()) -> Profile:
    """The reader's history by trait. `leave_out`: slugs of read books that are evidence for nothing (a
    want book they may be: `_itself`); the mean and the top rating are still the whole history's."""
    from readlog.identity import person_key
    from readlog.text import normalize, tag_key

    items = list(items)
    history = [i for i in items if i.status in ("read", "abandoned")]
    ratings = [i.rating for i in history if i.status == "read" and i.rating is not None]
    mean = sum(ratings) / len(ratings) if ratings else NEUTRAL_MEAN
    profile = Profile(mean=mean, top_rating=max(ratings) if ratings else None)
    averages = [i.average for i in items if i.average is not None]
    profile.average_mean = sum(averages) / len(averages) if averages else None
    for item in history:
        abandoned = item.status == "abandoned"
        if abandoned:
            value = -weights.abandoned
            if item.rating is not None:
                value = min(value, item.rating - mean)
            book = Evidence(item, value, 1.0, True, 0)
            profile.abandoned += 1
        elif item.rating is not None:
            top = int(profile.top_rating is not None and item.rating >= profile.top_rating)
            book = Evidence(item, item.rating - mean, 1.0, False, top)
            profile.finished += 1
            profile.rated += 1
        else:
            book = Evidence(item, 0.0, UNRATED_WEIGHT, False, 0)
            profile.finished += 1
        profile.values[item.slug] = book.value
        if item.slug in leave_out:
            continue
        if item.average is not None and profile.average_mean is not None and book.weight == 1.0:
            # What the reader's rating says beyond what everyone's average already says: the traits are
            # credited with the surprise only, so a well-liked book does not count twice.
            book.value -= weights.average * average_value(item.average, profile.average_mean)
        for name in item.authors:
            _tally(profile.authors, person_key(name), name, book)
        traits = {
            tag_key(t): t for t in [*_taste(item.tags), *item.moods, *([item.pace] if item.pace else [])]
        }
        for key, label in traits.items():
            if key:
                _tally(profile.tags, key, label, book)
        for key, label in {normalize(s): s for s in item.subjects}.items():
            if key:
                _tally(profile.subjects, key, label, book)
        for entry in item.series:
            name = (entry.get("name") or "").strip()
            if name:
                _tally(profile.series, normalize(name), name, book)
        if item.pages:
            _tally(profile.lengths, _bucket(item.pages, LENGTHS), "", book)
        if item.format:
            _tally(profile.formats, item.format, item.format, book)
        waited = _waited(item)
        if waited is not None:
            _tally(profile.waits, _bucket(waited, WAITS), "", book)
    return profile


def _itself(items: Sequence[Item]) -> dict[str, set[str]]:
    """want slug -> the read (or abandoned) books it may be (identity.maybe_itself): only a book of one
    author and one first word (identity.work_lead), then one main title (work_stem), is asked about."""
    from readlog.identity import maybe_itself, person_key, work_lead, work_stem

    read: dict[tuple[str, str], list[Item]] = defaultdict(list)
    for item in items:
        if item.status in ("read", "abandoned"):
            lead = work_lead(item.title)
            for name in item.authors:
                read[person_key(name), lead].append(item)
    found: dict[str, set[str]] = {}
    stems: dict[str, str] = {}  # (a read book's, worked out once)
    for item in items if read else ():
        if item.status != "want":
            continue
        lead = work_lead(item.title)
        near = [other for name in item.authors for other in read.get((person_key(name), lead), ())]
        if near:
            stem = work_stem(item.title)
            same = {
                other.slug
                for other in near
                if (stems.get(other.title) or stems.setdefault(other.title, work_stem(other.title))) == stem
                and maybe_itself(item.title, item.authors, other.title, other.authors)
            }
            if same:
                found[item.slug] = same
    return found


def _bucket(number: int, buckets: Sequence[tuple[int | None, str]]) -> int:
    return next(n for n, (limit, _) in enumerate(buckets) if limit is None or number < limit)


def _waited(item: Item) -> int | None:
    """Days a finished or abandoned book waited between being added and being read."""
    if item.added is None or not item.finished or len(item.finished) != 10:
        return None
    days = (date.fromisoformat(item.finished) - item.added).days
    return days if days >= 0 else None


# --- ranking --------------------------------------------------------------------------------------------
def rank(
    items: Iterable[Item],
    weights: Weights | None = None,
    picked_from: Mapping[str, Sequence[Source]] | None = None,
    next_in_series: Mapping[str, str] | None = None,
    today: date | None = None,
) -> Ranking:
    """Every want book among `items` (an open pick is one, of kind "pick"), best first. `picked_from`: want
    slug -> the books whose read-next picks name it (slug, and the pick's note); `next_in_series`: want
    slug -> the series it comes next in (from `lookup.series`), for books the reader is reading or has
    read."""
    weights = weights or Weights()
    items = list(items)
    profile = build_profile(items, weights)
    titles = {item.slug: item.title for item in items}
    today = today or date.today()
    scored = []
    itself = _itself(items)
    for item in items:
        if item.status != "want":
            continue
        # (a book the reader read is no evidence for a want book it may be: try-out 29b #1's pick)
        own = build_profile(items, weights, itself[item.slug]) if item.slug in itself else profile
        signals = score_signals(
            item, own, weights, titles, (picked_from or {}).get(item.slug, ()),
            (next_in_series or {}).get(item.slug), today,
        )  # fmt: skip
        score = profile.mean + sum(s.contribution for s in signals)
        scored.append((round(score, 3), item, signals))
    ordered = in_series_order(scored, series_holds([item for _, item, _ in scored]))
    flat = flat_signals([signals for _, _, signals in scored])
    books = [
        Suggested(
            item.slug, item.title, item.authors, score, reasons_of(item, signals, flat), item.pages,
            item.format, item.tags, signals, item.kind,
            _source(profile, titles, (picked_from or {}).get(item.slug, ())) if item.kind == "pick" else None,
        )
        for score, item, signals in ordered
    ]  # fmt: skip
    return Ranking(books, profile.mean, profile.finished, profile.abandoned, profile.rated)


# --- series order ---------------------------------------------------------------------------------------
# Within a series, the want books come in the series' order: a later volume is held back behind the want
# book of the series just before it (its score is at most that one's, and it comes after it), so the next
# volume comes first and Book 9 never jumps ahead of Book 4 on a tie or on its author's evidence.
TIES = (
    "at the same score, the next book of each series comes first, then the one after it, and so on; then "
    "your to-read order (priority, 1 first), then the day added (earliest first), then the title (its "
    "numbers in their order: Book 2 before Book 10), then the slug"
)


@dataclass(frozen=True)
class Hold:
    """A want book of a series comes after `before`, the want book of the series just before it: the
    whole-numbered one with the greatest number below its own (a novella, "1.5", or an omnibus, "1-3",
    is held back too, but holds nothing back)."""

    series: str  # the series' name as the book has it
    number: str  # the book's number in it
    before: Item
    before_number: str


def series_holds(want: Sequence[Item]) -> dict[str, list[Hold]]:
    """want slug -> what it is held back behind (a book can be in two series); books without a number in a
    series are not held."""
    from readlog.identity import title_order
    from readlog.lookup.series import is_whole, number_key
    from readlog.text import normalize

    grouped: dict[str, list[tuple[str, str, Item]]] = {}
    for item in want:
        for entry in item.series:
            name, number = (entry.get("name") or "").strip(), (entry.get("number") or "").strip()
            if name and number and number_key(number)[0] == 0:
                grouped.setdefault(normalize(name), []).append((name, number, item))
    holds: dict[str, list[Hold]] = {}
    for books in grouped.values():
        books.sort(key=lambda b: (number_key(b[1]), title_order(b[2].title), b[2].slug))
        before: tuple[str, Item] | None = None  # the last whole-numbered book of a lower number
        at: float | None = None
        whole_here: tuple[str, Item] | None = None
        for name, number, item in books:
            place = number_key(number)[1]
            if place != at:  # a new number: the whole one of the number just left holds the next back
                before = whole_here or before
                at, whole_here = place, None
            if before is not None and before[1].slug != item.slug:
                holds.setdefault(item.slug, []).append(Hold(name, number, before[1], before[0]))
            if is_whole(number) and whole_here is None:
                whole_here = (number, item)
    return holds


Scored = tuple[float, Item, list[Signal]]


def in_series_order(scored: Sequence[Scored], holds: Mapping[str, Sequence[Hold]]) -> list[Scored]:
    """Best first; a book held back scores at most what the book it is held behind scores (the difference
    is its `order` signal, which names that book) and comes after it; ties as TIES says. (The depth, how
    many want books of its series come before a book, orders ties: a book is always deeper than the one it
    is held behind, so sorting by score then depth keeps every series in order.)"""
    by_slug = {item.slug: (score, item, signals) for score, item, signals in scored}
    waiting = {
        slug: {h.before.slug for h in hs if h.before.slug in by_slug}
        for slug, hs in holds.items()
        if slug in by_slug
    }
    followers: dict[str, list[str]] = {}
    for slug, befores in waiting.items():
        for before in befores:
            followers.setdefault(before, []).append(slug)
    # Each book after the books it is held behind (Kahn's order); a loop of series (two books each after
    # the other, in two series) is left at the end, each of its books held behind only those placed before.
    queue = [slug for slug in by_slug if not waiting.get(slug)]
    order: list[str] = []
    while queue:
        slug = queue.pop()
        order.append(slug)
        for follower in followers.get(slug, ()):
            waiting[follower].discard(slug)
            if not waiting[follower]:
                queue.append(follower)
    seen = set(order)
    order += [slug for slug in by_slug if slug not in seen]
    placed: dict[str, float] = {}
    depth: dict[str, int] = {}
    for slug in order:
        score, item, signals = by_slug[slug]
        holding = [h for h in holds.get(slug, ()) if h.before.slug in placed]
        if holding:
            hold = min(holding, key=lambda h: (placed[h.before.slug], h.before.slug))
            held = min(score, placed[hold.before.slug])
            signals.append(Signal("order", 1.0, round(held - score, 3), _hold_words(hold)))
            score = held
            by_slug[slug] = (score, item, signals)
        depth[slug] = max((depth[h.before.slug] + 1 for h in holding), default=0)
        placed[slug] = score

    def key(slug: str) -> tuple[Any, ...]:
        # (after depth, the queue's order of want books: `priority`, then the day added, none last)
        item = by_slug[slug][1]
        return (-placed[slug], depth[slug], item.priority is None, item.priority or 0, item.added is None,
                sort_key(item.added), natural_order(item.title), slug)  # fmt: skip

    return [by_slug[slug] for slug in sorted(by_slug, key=key)]


def natural_order(title: str) -> tuple[Any, ...]:
    """A title's place in a list with its numbers in their order (*Wanted Book 2* before *Wanted Book 10*):
    its text and its runs of digits, taken as numbers, in turn."""
    import re

    from readlog.identity import title_order

    parts = re.split(r"(\d+)", title_order(title))
    return tuple(int(part) if n % 2 else part for n, part in enumerate(parts))


def _hold_words(hold: Hold) -> str:
    return (
        f"Book {hold.number} of {_the(hold.series)} series: you have not read Book {hold.before_number}, "
        f"*{hold.before.title}*, so it comes after it"
    )


def tie_words(item: Item, score: float, tied: int) -> str | None:
    """Why a book stands where it does among the books of the same score: TIES, and its own keys."""
    if not tied:
        return None
    own = [f"to-read #{item.priority}" if item.priority is not None else "no to-read place"]
    own.append(f"added {sort_key(item.added)}" if item.added else "no day added")
    books = f"{_count(tied, 'other')} in the ranking"  # (open picks too, not want books: try-out 32a #15)
    return (
        f"{books} {'scores' if tied == 1 else 'score'} {score:.2f} too; {TIES}: this one has {', '.join(own)}"
    )


def score_signals(
    item: Item,
    profile: Profile,
    weights: Weights,
    titles: Mapping[str, str],
    sources: Sequence[Source],
    series_next: str | None,
    today: date,
) -> list[Signal]:
    """Each signal of one want book: its weight, its value in stars, and the reason in words."""
    from readlog.identity import person_key
    from readlog.text import normalize, tag_key

    top = profile.top_rating
    author = _author_signal(item, profile, weights, person_key)
    signals = [
        author,
        _trait_signal(  # the tag as this book has it: a tag of the journal (a mood may have matched it)
            "tags", profile.tags, {tag_key(t): t for t in _taste(item.tags)}, K_TAG, weights.tags,
            lambda label, tally, value: f"tagged {label}, {_like(tally, value, top)}",
        ),
        _trait_signal(  # a subject is not the journal's: the reason names one of the books that have it
            "subjects", profile.subjects, {normalize(s): s for s in item.subjects}, K_SUBJECT,
            weights.subjects,
            lambda label, tally, value: f"on Open Library under {label}, {_like(tally, value, top, True)}",
        ),
        _series_signal(item, profile, weights, series_next, normalize, author.value if author else 0.0),
        _pick_signal(profile, weights, titles, sources),
        _bucket_signal(
            "length", item.pages, LENGTHS, profile.lengths, weights.length, profile, _length_words
        ),
        _format_signal(item, profile, weights),
        _bucket_signal(
            "waiting", (today - item.added).days if item.added else None, WAITS, profile.waits,
            weights.waiting, profile, _wait_words,
        ),
        _average_signal(item, profile, weights),
    ]  # fmt: skip
    return [s for s in signals if s is not None]


def _taste(tags: Sequence[str]) -> list[str]:
    """A book's tags that may say what it is like: a tag that names a status (`to-be-read`, `tbr`, `dnf`,
    `currently-reading`, in any service's words or a reader's: identity.status_from_shelf, the rule every
    import reads shelves by) says where the book stood, which its status says, and is no taste."""
    return [t for t in tags if not _names_status(t)]


@functools.lru_cache(maxsize=4096)
def _names_status(tag: str) -> bool:
    from readlog.identity import status_from_shelf

    return status_from_shelf(tag) is not None


def _author_signal(item: Item, profile: Profile, weights: Weights, person_key: Any) -> Signal | None:
    found = [
        profile.authors[k] for k in dict.fromkeys(person_key(a) for a in item.authors) if k in profile.authors
    ]
    if not found:
        return None
    tally = max(found, key=lambda t: abs(t.shrunk(K_AUTHOR)))
    value = sum(t.shrunk(K_AUTHOR) for t in found) / len(found)
    return Signal("author", weights.author, value, _author_words(tally))


def _author_words(tally: Tally) -> str:
    name = tally.label
    parts = []
    if tally.rated == 1:
        parts.append(f"you rated {name}'s *{tally.best_rated[0][1]}* {_stars(tally.mean_rating)}")
    elif tally.rated:
        parts.append(f"you rated {tally.rated} of {name}'s books {_stars(tally.mean_rating)} on average")
    elif tally.finished:
        parts.append(f"you finished {_count(tally.finished, 'book')} by {name}")
    if tally.abandoned:
        gave_up = f"abandoned {_count(tally.abandoned, 'book')}"
        if parts:
            parts.append(f"{gave_up} of theirs")
        else:
            parts.append(f"you {gave_up} by {name}, like *{tally.worst[0][1]}*")
    return " and ".join(parts)


def _trait_signal(
    name: str, table: Mapping[str, Tally], labels: Mapping[str, str], k: float, weight: float, words: Any
) -> Signal | None:
    """The mean of the shrunk evidence of every trait (key -> the book's own label) the history knows;
    the reason names the trait that says most."""
    found = [(labels[key], table[key]) for key in labels if key and key in table]
    if not found:
        return None
    value = sum(t.shrunk(k) for _, t in found) / len(found)
    label, tally = max(found, key=lambda f: (abs(f[1].shrunk(k)), f[1].weight))
    return Signal(name, weight, value, words(label, tally, tally.shrunk(k)))


def _like(tally: Tally, value: float, top_rating: float | None, example: bool = False) -> str:
    """What the books sharing a trait say, in words: the reader's best, their mean, or their abandons;
    with `example`, one of those books by name."""
    said = _like_words(tally, value, top_rating)
    if example and not said.startswith("like *"):
        books = _spoken_of(tally, value, top_rating)
        said += f" (*{books[0][1]}* among them)" if books else ""
    return said


def _spoken_of(tally: Tally, value: float, top_rating: float | None) -> list[tuple[float, str]]:
    """The books `_like_words` speaks of, for an example of them: the abandoned ones, the rated ones, or the
    finished ones (the best of them; where the sentence counts against, the rated one nearest their
    average, or the worst finished)."""
    if value < 0 and tally.abandoned:
        return tally.dropped
    if tally.rated:
        return tally.best_rated if value >= 0 else tally.typical()
    return tally.best if value >= 0 else tally.worst_finished


def _like_words(tally: Tally, value: float, top_rating: float | None) -> str:
    if value < 0 and tally.abandoned:
        return f"you abandoned {tally.abandoned} of the {_count(tally.started, 'book')} like it you started"
    if value > 0 and tally.top >= 2 and top_rating is not None:
        return f"like {tally.top} of your {_stars(top_rating)}-star books"
    if tally.rated == 1:
        return f"like *{tally.best_rated[0][1]}*, which you rated {_stars(tally.mean_rating)}"
    if tally.rated:
        return f"like {tally.rated} books you rated {_stars(tally.mean_rating)} on average"
    if tally.finished == 1 and tally.started == 1:
        return f"like *{tally.best[0][1]}*, which you finished"
    return f"like {_count(tally.finished, 'book')} you finished"


def _series_signal(
    item: Item, profile: Profile, weights: Weights, series_next: str | None, normalize: Any, by_author: float
) -> Signal | None:
    """A series' books are mostly its author's: the series adds what its books say beyond the author's
    (its shrunk mean less the author signal, as far as the author line counts at all: none with
    `suggest.author = 0`), so one evidence is not counted twice; and being next. A series read below the
    reader's mean never adds (less the author's, a worse author would make it look good)."""
    found = [
        profile.series[key]
        for key in dict.fromkeys(normalize(e.get("name") or "") for e in item.series)
        if key in profile.series
    ]
    if not found and series_next is None:
        return None
    own = sum(t.shrunk(K_SERIES) for t in found) / len(found) if found else 0.0
    counted = min(1.0, weights.author / _DEFAULTS["author"]) if _DEFAULTS["author"] > 0 else 0.0
    value = own - counted * by_author if found else 0.0
    if own < 0:
        value = min(value, 0.0)
    if series_next is not None:
        value += NEXT_IN_SERIES
        reason = f"next in {_the(series_next)} series, which you have started"
        return Signal("series", weights.series, value, reason)
    tally = found[0]
    if tally.rated:
        rated = (
            f"you rated *{tally.best_rated[0][1]}* {_stars(tally.mean_rating)}"
            if tally.rated == 1
            else f"you rated the {tally.rated} books you read {_stars(tally.mean_rating)} on average"
        )
        reason = f"in {_the(tally.label)} series: {rated}"
    elif tally.abandoned and not tally.finished:
        reason = f"in {_the(tally.label)} series, which you abandoned at *{tally.worst[0][1]}*"
    else:
        reason = f"in {_the(tally.label)} series: you finished {_count(tally.finished, 'book')} of it"
    if value < 0:  # say why it takes away, where the words alone read as praise
        if tally.rated and own < 0:
            reason += f", under your mean of {profile.mean:.2f}"
        elif own >= 0 and counted:
            mean = f" (your mean: {profile.mean:.2f})" if tally.rated else ""
            reason += f"{mean}; the author line counts these books already, and the series alone says less"
    return Signal("series", weights.series, value, reason)


NOTE_SHOWN = 140  # a pick's note in its reason: this many characters at most, cut between words


def _best_source(profile: Profile, sources: Sequence[Source]) -> Source:
    """Of the books a pick came from, the one the picks signal goes by: the best rated."""
    return max(sources, key=lambda source: (profile.values.get(source[0], 0.0), source[0]))


def _source(profile: Profile, titles: Mapping[str, str], sources: Sequence[Source]) -> dict[str, str] | None:
    """A pick's `from` in `--json`: the book it was picked from (the picks signal's)."""
    if not sources:
        return None
    slug = _best_source(profile, sources)[0]
    return {"slug": slug, "title": titles.get(slug, slug)}


def _pick_signal(
    profile: Profile, weights: Weights, titles: Mapping[str, str], sources: Sequence[Source]
) -> Signal | None:
    from readlog.text import one_line

    if not sources:
        return None
    best, why = _best_source(profile, sources)
    value = profile.values.get(best, 0.0) + PICKED
    rating = _rating_of(profile, best)
    reason = f"picked from *{titles.get(best, best)}*"
    if rating is not None:
        reason += f", which you rated {_stars(rating)}"
    note = one_line(why or "").strip()
    if note:  # the reader's own words on why: a reason as good as any
        short = note if len(note) <= NOTE_SHOWN else _cut_between_words(note, NOTE_SHOWN - 1) + "…"
        reason += f": “{short}”"
    return Signal("picks", weights.picks, value, reason)


def _cut_between_words(text: str, most: int) -> str:
    """`text`'s first `most` characters, ending at the last space in them if one is in their second half
    (a pick's note cut at 60 characters mid-word, `the closest si…`, at any width: try-out 32a #10)."""
    cut = text[:most]
    space = cut.rfind(" ")
    return (cut[:space] if space > most // 2 else cut).rstrip(" ,;:")


def _rating_of(profile: Profile, slug: str) -> float | None:
    value = profile.values.get(slug)
    return None if value is None or value == 0.0 else profile.mean + value


def _bucket_signal(
    name: str,
    number: int | None,
    buckets: Sequence[tuple[int | None, str]],
    table: Mapping[int, Tally],
    weight: float,
    profile: Profile,
    words: Any,
) -> Signal | None:
    if number is None:
        return None
    bucket = _bucket(number, buckets)
    tally = table.get(bucket)
    if tally is None:
        return None
    value = tally.shrunk(K_BUCKET)
    return Signal(name, weight, value, words(number, buckets[bucket][1], tally, value))


def _length_words(pages: int, label: str, tally: Tally, value: float) -> str:
    return f"{pages} pages: {_bucket_like(tally, value, f'books {label}')}"


def _wait_words(days: int, label: str, tally: Tally, value: float) -> str:
    years = days / 365
    waited = (
        f"waiting {years:.0f} years"
        if years >= 1.5
        else ("waiting a year" if years >= 1 else "added this year")
    )
    return f"{waited}: {_bucket_like(tally, value, f'books you read {label} of adding them')}"


def _bucket_like(tally: Tally, value: float, what: str) -> str:
    """`books under 300 pages`: how often you finish them, and how you rate them; the example named is one
    of the books the sentence counts."""
    if value < 0 and tally.abandoned:
        like = _example(tally.dropped)
        started = _counted(tally.started, what)
        return f"you abandoned {tally.abandoned} of the {started} you started{like}"
    if tally.rated:
        like = _example(tally.best_rated if value >= 0 else tally.typical())
        rated = _counted(tally.rated, what)
        return (
            f"you rated {rated} {_stars(tally.mean_rating)}{' on average' if tally.rated > 1 else ''}{like}"
        )
    like = _example(tally.best if value >= 0 else tally.worst_finished)
    return f"you finished {tally.finished} of the {_counted(tally.started, what)} you started{like}"


def _counted(n: int, what: str) -> str:
    """`3 books under 300 pages`, `1 book under 300 pages`, `1 paperback`: `what` is plural, its first
    word the noun."""
    if n != 1:
        return f"{n} {what}"
    noun, _, rest = what.partition(" ")
    return f"1 {noun.removesuffix('s')}" + (f" {rest}" if rest else "")


def _example(books: list[tuple[float, str]]) -> str:
    return f", like *{books[0][1]}*" if books else ""


def _format_signal(item: Item, profile: Profile, weights: Weights) -> Signal | None:
    if item.format is None or item.format not in profile.formats:
        return None
    tally = profile.formats[item.format]
    value = tally.shrunk(K_BUCKET)
    plural = FORMAT_NAMES.get(item.format, item.format)
    return Signal(
        "format", weights.format, value, f"{_article(item.format)}: {_bucket_like(tally, value, plural)}"
    )


# An average on the scale's end (5.00 or 1.00: every rating the same) comes from a handful of ratings: the
# export gives no count of them (Goodreads' has none), so it counts this much of its distance to the mean.
FEW_RATINGS = 0.25


def average_value(average: float, mean: float) -> float:
    """What an export's average rating says, in stars from the mean of the averages: a weak prior, and
    weaker where it is on the scale's end (FEW_RATINGS)."""
    value = average - mean
    return value * FEW_RATINGS if average >= 5.0 or average <= 1.0 else value


def _average_signal(item: Item, profile: Profile, weights: Weights) -> Signal | None:
    if item.average is None or profile.average_mean is None:
        return None
    value = average_value(item.average, profile.average_mean)
    return Signal(
        "average",
        weights.average,
        value,
        f"readers elsewhere rate *{item.title}* {item.average:.2f} on average",
    )


AGAINST = "against it: "  # a reason that takes away, where no signal raises the book
SAYS_WHICH_WAY = frozenset({"order"})  # signals whose words say they hold a book back: given as they are


def flat_signals(books: Sequence[Sequence[Signal]]) -> frozenset[str]:
    """The signals that add the same to every book ranked (every want book added this year: "added this
    year" on each): they move no book past another, so none is given as a reason (`--explain` lists them)."""
    if len(books) < 2:
        return frozenset()
    adds: dict[str, set[float]] = {}
    counts: dict[str, int] = {}
    for signals in books:
        for signal in signals:
            adds.setdefault(signal.name, set()).add(round(signal.contribution, 6))
            counts[signal.name] = counts.get(signal.name, 0) + 1
    return frozenset(name for name, seen in adds.items() if len(seen) == 1 and counts[name] == len(books))


def reasons_of(item: Item, signals: Sequence[Signal], flat: frozenset[str] = frozenset()) -> list[str]:
    """The one or two signals that raised the score most, in words; where none raised it, or where they
    add up to less than nothing (the book ranked under the reader's mean), the one or two that moved it
    most either way, each that took away marked so (AGAINST), so that a signal against a book never reads
    as one for it, nor a small one for it hides a big one against. A book nothing in the history speaks
    for gets one line that says so, naming the book (or, where only `flat` signals moved it, that nothing
    sets it apart)."""
    moving = sorted(
        (s for s in signals if s.reason and abs(s.contribution) >= LEAST and s.name not in flat),
        key=lambda s: (-abs(s.contribution), s.name),
    )
    raising = [s.reason for s in moving if _raises(s) and s.reason]
    if sum(s.contribution for s in signals if s.name not in flat) < 0 or not raising:
        # Ranked under the reader's mean: its strongest signals of either sign, so that a small one for it
        # never stands alone for a book a big one holds down.
        reasons = [s.reason if _raises(s) else AGAINST + s.reason for s in moving[:SHOWN_REASONS] if s.reason]
    else:
        reasons = raising[:SHOWN_REASONS]
    if not reasons and any(s.name in flat and abs(s.contribution) >= LEAST for s in signals):
        reasons = [f"nothing in your history, as you weigh it, sets *{item.title}* apart from the rest yet"]
    if not reasons:
        reasons = [f"nothing in your history, as you weigh it, speaks for or against *{item.title}* yet"]
    return reasons


def _raises(signal: Signal) -> bool:
    """A signal given as it is: it adds to the score, or its words say which way it moves it."""
    return signal.contribution > 0 or signal.name in SAYS_WHICH_WAY


def _stars(rating: float) -> str:
    """A rating as the reader gives them (4, 4.5, 0.25: steps of a quarter, shown whole); any other mean to
    one decimal (4.333 -> "4.3")."""
    if abs(rating * 4 - round(rating * 4)) < 1e-6:
        return f"{round(rating * 4) / 4:g}"
    text = f"{rating:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _count(n: int, noun: str) -> str:
    return f"1 {noun}" if n == 1 else f"{n} {noun}s"


def _the(name: str) -> str:
    """`the Mistborn`, but `The Expanse` as it is (never "the The Expanse")."""
    return name if name.casefold().startswith("the ") else f"the {name}"


def _article(word: str) -> str:
    return f"an {word}" if word[:1] in "aeiou" else f"a {word}"


# --- filters --------------------------------------------------------------------------------------------
def matches(
    book: Suggested, tags: Sequence[str] = (), max_pages: int | None = None, fmt: str | None = None
) -> bool:
    """`--tag` (every one given), `--max-pages` (a book of unknown length is left out), `--format`."""
    from readlog.text import tag_key

    if tags:
        have = {tag_key(t) for t in book.tags}
        if not all(tag_key(t) in have for t in tags):
            return False
    if max_pages is not None and (book.pages is None or book.pages > max_pages):
        return False
    return fmt is None or book.format == fmt
