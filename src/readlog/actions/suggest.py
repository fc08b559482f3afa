"""`readlog next --suggest` and `--explain`, and the three suggestions under plain `next`: the want list
ranked by readlog.suggest from the index (never a book file, never the network), kept in the index until a
book, the weights or the day change."""

from __future__ import annotations

import json
from datetime import date
from typing import TYPE_CHECKING, Any

from readlog.errors import ReadlogError
from readlog.lazyclass import dataclass_when_used
from readlog.text import one_line

if TYPE_CHECKING:
    from readlog.index import Index
    from readlog.journal import Journal
    from readlog.suggest import Item, Ranking, Signal, Source, Suggested, Weights


def history_needed() -> tuple[int, int]:
    """How many books finished or abandoned, and how many of them rated, suggestions need."""
    from readlog.suggest import MIN_HISTORY, MIN_RATED

    return MIN_HISTORY, MIN_RATED


VERSION = "6"  # of the ranking: a kept ranking made by another version is made again
SHOWN_IN_NEXT = 3  # suggestions under plain `next`


@dataclass_when_used  # (made when first used: plain `next` imports this module and uses neither)
class Suggestions:
    books: list[Suggested]  # best first, filtered
    total: int  # want books ranked in all (before filters)
    mean: float
    history: int  # books finished or abandoned
    rated: int
    enough: bool  # enough history for plain `next` to show suggestions


@dataclass_when_used
class Explanation:
    book: Suggested
    rank: int  # 1 = best
    total: int
    mean: float
    signals: list[Signal]
    weights: Weights
    ties: str | None = None  # why it stands where it does among the books of its score (suggest.TIES)
    rated: int = 0  # how many books the reader rated (none: `mean` is suggest.NEUTRAL_MEAN, not theirs)
    guessed: str | None = None  # the book BOOK was taken for, when not sure (`stonr`): said on stderr


def configured_weights() -> Weights:
    from readlog import config
    from readlog.suggest import Weights

    return Weights(**{name: float(config.value(f"suggest.{name}")) for name in Weights.names()})


def suggest(
    journal: Journal,
    tags: tuple[str, ...] = (),
    max_pages: int | None = None,
    fmt: str | None = None,
    count: int | None = None,
    today: date | None = None,
) -> Suggestions:
    """The want books ranked best first (those `--tag`, `--max-pages` and `--format` let through), at most
    `count` of them; from the ranking kept in the index, made again when it is out of date."""
    from readlog.suggest import matches

    index = _fresh_index(journal)
    books, summary = _kept_or_ranked(index, today or date.today())
    chosen = [b for b in books if matches(b, tags, max_pages, fmt)]
    return Suggestions(
        chosen[:count] if count else chosen,
        len(books),
        summary["mean"],
        summary["history"],
        summary["rated"],
        summary["enough"],
    )


def for_next(journal: Journal, today: date | None = None) -> list[Suggested]:
    """The suggestions plain `next` shows under the queue: the top three, when the journal has enough
    history and the config does not turn them off; else none."""
    from readlog import config

    if not config.value("suggest.show"):
        return []
    books, summary = _kept_or_ranked(_fresh_index(journal), today or date.today(), SHOWN_IN_NEXT)
    return books[:SHOWN_IN_NEXT] if summary["enough"] else []


def _fresh_index(journal: Journal) -> Index:
    """The index up to date with every book file, as a read's is (the fingerprint of every file's stamp:
    an edit in place counts), also where this command looked only at the folder so far (a BOOK found by
    its slug: `Cache.writer`), whose index an edit in place would not show."""
    cache = journal.cache
    if cache.quick:
        cache.changed()
    return journal.fresh_index()


def explain(journal: Journal, query: str, today: date | None = None) -> Explanation:
    """Every signal of one want book or open pick (BOOK found as `show` finds it; a pick by its whole
    title), with its weight and value."""
    from readlog.errors import BookNotFound
    from readlog.identity import pick_named

    index = _fresh_index(journal)  # (first: `find` by slug then looks at the index as it is)
    weights = configured_weights()
    ranking, items = _rank(index, weights, today or date.today())
    try:
        found = journal.find(query, fuzzy=True)
    except BookNotFound:
        found = None
        missing = True
    else:
        missing = False
    slug = found.slug if found is not None else None
    if found is None or not found.how.sure:  # an open pick of that whole title is the one meant
        pick = next((i for i in items if i.kind == "pick" and pick_named(query, i.title)), None)
        if pick is not None:
            slug, found = pick.slug, None
        elif missing:
            journal.find(query, fuzzy=True)  # (raises again: the journal's own answer)
    item = next((i for i in items if i.slug == slug), None)
    for number, book in enumerate(ranking.books, 1):
        if book.slug == slug and item is not None:
            from readlog.suggest import tie_words

            tied = sum(1 for other in ranking.books if other.score == book.score) - 1
            ties = tie_words(item, book.score, tied)
            guessed = found.candidate.describe() if found is not None and not found.how.sure else None
            return Explanation(
                book, number, len(ranking.books), ranking.mean, book.signals, weights, ties, ranking.rated,
                guessed,
            )  # fmt: skip
    status = item.status if item is not None and item.status else "no status"
    title = item.title if item is not None else query
    raise ReadlogError(
        f"“{one_line(title)}” is not on your want list ({status}): --explain scores the books you want"
    )


# --- the kept ranking -------------------------------------------------------------------------------------
def _kept_or_ranked(
    index: Index, today: date, limit: int | None = None
) -> tuple[list[Suggested], dict[str, Any]]:
    """The kept ranking when it was made from these books, weights and day; else a new one, kept. (Plain
    `next` comes here on every run: the kept path imports no ranking code.)"""
    from readlog import config

    numbers = {name: float(config.value(f"suggest.{name}")) for name, _, _ in config.SUGGEST_WEIGHTS}
    weights_key = ",".join(f"{number:g}" for number in numbers.values())
    key = "|".join((VERSION, index.books_key(), weights_key, today.isoformat()))
    kept = index.suggestions_key()
    if kept is not None:
        summary = json.loads(kept)
        if summary.get("key") == key:
            if limit and not summary["enough"]:
                return [], summary
            from readlog.suggested import Suggested

            books = []
            for slug, score, data in index.saved_suggestions(limit):
                fields = json.loads(data)
                fields["source"] = fields.pop("from")
                books.append(Suggested(slug=slug, score=score, **fields))
            return books, summary
    from readlog.suggest import Weights

    ranking, _ = _rank(index, Weights(**numbers), today)
    summary = {
        "key": key,
        "mean": round(ranking.mean, 3),
        "history": ranking.finished + ranking.abandoned,
        "rated": ranking.rated,
        "enough": ranking.enough,
    }
    rows = []
    for book in ranking.books:
        fields = {k: v for k, v in book.to_json().items() if k not in ("slug", "score")}
        rows.append((book.slug, book.score, json.dumps(fields, ensure_ascii=False)))
    index.save_suggestions(json.dumps(summary), rows)
    return ranking.books, summary


def _rank(index: Index, weights: Weights, today: date) -> tuple[Ranking, list[Item]]:
    from readlog.suggest import rank

    items = _items(index)
    picked_from, picks = _picked_from(index, items)
    items += picks
    return rank(items, weights, picked_from, _next_in_series(items), today), items


def _items(index: Index) -> list[Item]:
    """Every book as the ranking sees it, from one query of the index, subjects from enrich's cache."""
    from readlog.index import _series_from_json
    from readlog.model import Pick
    from readlog.suggest import Item

    items = []
    subjects: dict[str, list[str]] = {}
    for (
        slug,
        title,
        authors,
        status,
        rating,
        tags,
        pages,
        added,
        reads,
        picks,
        series,
        traits,
        priority,
    ) in index.suggest_rows():
        extra = json.loads(traits) if traits else {}
        if extra.get("format") == "audiobook":
            pages = None  # an audio edition's "pages" are its discs, or a print edition's: not its length
        item = Item(
            slug,
            title,
            json.loads(authors),
            status,
            rating=rating,
            tags=json.loads(tags),
            pages=pages,
            added=date.fromisoformat(added) if added else None,
            series=_series_from_json(series),
            format=extra.get("format"),
            average=extra.get("average"),
            moods=extra.get("moods", []) if status != "want" else [],  # the reader's answers after reading
            pace=extra.get("pace") if status != "want" else None,
            priority=priority,
        )
        if status != "want":
            readings = json.loads(reads)
            finished = [r["finished"] for r in readings if r.get("finished")]
            item.finished = max(finished) if finished else None
            if rating is None:  # rated only per reading (a re-read's `finish`): the latest such rating
                item.rating = next((r["rating"] for r in reversed(readings) if r.get("rating")), None)
        if picks != "[]":
            item.picks = [
                Pick(
                    p["title"], p["authors"], p["why"], date.fromisoformat(p["added"]) if p["added"] else None
                )
                for p in json.loads(picks)
            ]
        work = extra.get("work")
        if work:
            if work not in subjects:
                from readlog.lookup.openlibrary import cached_subjects

                subjects[work] = cached_subjects(work)
            item.subjects = subjects[work]
        items.append(item)
    return items


def _picked_from(index: Index, items: list[Item]) -> tuple[dict[str, list[Source]], list[Item]]:
    """want slug -> the books whose read-next picks name it (as the queue matches picks to books: a pick
    that names a want book is that book), with each pick's note; and the open picks, those that name no
    book of the journal, each an item of kind "pick" (one per title and place in a series, as the queue
    lists them: `pick:` and that key is its slug in the ranking), in the queue's order of its sources."""
    from readlog.queue import Matcher, open_pick_key
    from readlog.suggest import Item

    sources = [item for item in items if item.picks]
    if not sources:
        return {}, []
    targets, _, _, shapes, persons = index.picks_and_books()
    matcher = Matcher(targets, shapes, persons)
    found: dict[str, list[Source]] = {}
    picks: dict[str, Item] = {}
    for source in sources:
        for pick in source.picks:
            named = matcher.named(pick.title, pick.authors)
            for slug, status in named:
                if status == "want" and slug != source.slug:
                    found.setdefault(slug, []).append((source.slug, pick.why))
            if named:
                continue
            key = "pick:" + open_pick_key(pick, matcher)
            if key not in picks:
                picks[key] = Item(key, pick.title, list(pick.authors), "want", added=pick.added, kind="pick")
            elif not picks[key].authors:
                picks[key].authors = list(pick.authors)
            found.setdefault(key, []).append((source.slug, pick.why))
    return found, list(picks.values())


def _next_in_series(items: list[Item]) -> dict[str, str]:
    """want slug -> the series it is the next book of, for series the reader is reading or has read."""
    from readlog.lookup.series import suggestions
    from readlog.model import Book

    books = [
        (i.slug, Book(title=i.title, authors=i.authors, series=i.series, status=i.status))
        for i in items
        if i.series
    ]
    return {
        b.slug: s.series
        for s in suggestions(books)
        for b in (s.book, *s.alongside)  # two books with the next number: each is next
        if b.status == "want"
    }
