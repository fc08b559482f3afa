"""`readlog recall`: on this day in earlier years (books finished, reflections written, quotes highlighted or
saved), and quotes drawn from the whole journal, weighted toward the ones not shown for longest.

What was shown, and when, is kept in a state file in the cache dir (`recall-*.json` beside the index), never
in the book files: losing it only makes the next draws less varied.
"""

from __future__ import annotations

import contextlib
import json
import math
import random
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from readlog.errors import InvalidValue, Option
from readlog.model import parse_date

if TYPE_CHECKING:
    from collections.abc import Callable

    from readlog.index import Index
    from readlog.journal import Journal

NEVER_SHOWN_DAYS = 3650  # a quote never shown weighs as much as one last shown ten years ago


@dataclass
class Moment:
    kind: str  # finished | reflection | quote
    slug: str
    title: str
    text: str = ""
    where: str = ""
    note: str | None = None
    date: str | None = None
    authors: list[str] = field(default_factory=list)


@dataclass
class Recall:
    day: date
    on_this_day: list[Moment]
    quotes: list[Moment]

    @property
    def empty(self) -> bool:
        return not self.on_this_day and not self.quotes

    def to_json(self) -> dict[str, Any]:
        return {
            "date": self.day.isoformat(),
            "on_this_day": [asdict(m) for m in self.on_this_day],
            "quotes": [asdict(m) for m in self.quotes],
        }


def state_path(journal: Journal) -> Path:
    from readlog.index import index_path

    index = index_path(journal.root)
    return index.with_name(index.name.replace("index-", "recall-", 1).removesuffix(".sqlite3") + ".json")


def recall(journal: Journal, when: str | None = None, count: int = 3) -> Recall:
    from readlog.index import recall as index_module

    if count < 0:
        raise InvalidValue("--count: give 0 or more")
    day = parse_date(when, Option("--date")) if when else date.today()
    assert isinstance(day, date)
    index = journal.fresh_index()
    rows = index_module.on_this_day(index, day.isoformat()[5:], f"{day.year:04d}")
    moments = []
    for kind, when_, slug, title, body, label, note in rows:
        if kind == "finished":
            moments.append(Moment(kind, slug, title, date=when_, authors=json.loads(body)))
        else:
            moments.append(Moment(kind, slug, title, body, label or "", note, when_))
    drawn: list[Moment] = []
    if count:
        shown = _load_state(journal)
        chosen = _draw_from_index(index, shown, day, count)
        for row in index_module.quote_rows(index, chosen):
            drawn.append(Moment("quote", row[0], row[1], row[2], row[3] or "", row[4], row[5]))
        if chosen:
            shown.update({f"{slug}\t{ident}": day.isoformat() for slug, ident in chosen})
            _save_state(journal, shown)
    return Recall(day, moments, drawn)


def _draw(
    idents: list[tuple[str, str]], shown: dict[str, str], day: date, count: int
) -> list[tuple[str, str]]:
    """`count` quotes of `idents` (every quote, in the index's order), each drawn with weight = days since
    it was last shown, without replacement: the plain form of `_draw_from_index`, which draws the same."""
    present = [(slug, ident) for slug, ident in idents if f"{slug}\t{ident}" in shown]
    return _ranked(
        len(idents), present, shown, day, count, lambda places: [idents[n] for n in places], lambda: idents
    )


def _weight(last: str | None, day: date) -> int:
    days = NEVER_SHOWN_DAYS
    if last:
        with contextlib.suppress(ValueError):
            days = max(0, (day - date.fromisoformat(last)).days)
    return 1 + days


def _draw_from_index(index: Index, shown: dict[str, str], day: date, count: int) -> list[tuple[str, str]]:
    """`count` quotes drawn from every quote of the index, weighted by the days since each was last shown,
    without reading every quote: how many there are, the quotes shown before (by their books), and one
    quote at a time at the places drawn (`_ranked`). The same as `_draw` over the whole list of quotes.
    (100,000 books, 160,000 quotes: a random number per quote and every quote's row read took 66 ms.)"""
    from readlog.index import recall as index_module

    if count <= 0:
        return []
    total = index_module.quote_count(index)
    if not total:
        return []
    present: list[tuple[str, str]] = []
    if shown:
        slugs = {name.partition("\t")[0] for name in shown}
        rows = sorted(index_module.quote_rows_of(index, sorted(slugs)))  # in the index's order
        present = [(slug, ident) for _, slug, ident in rows if f"{slug}\t{ident}" in shown]

    def at(places: list[int]) -> list[tuple[str, str]]:
        found = index_module.quotes_at(index, places)
        # every place is below the count; one is missing only if the index lost quotes since (another
        # readlog wrote it): fewer quotes come back, and the draw goes on (in the end, from the list)
        return [found[n] for n in places if n in found]

    return _ranked(total, present, shown, day, count, at, lambda: index_module.quote_idents(index))


def _ranked(
    total: int,
    present: list[tuple[str, str]],
    shown: dict[str, str],
    day: date,
    count: int,
    at: Callable[[list[int]], list[tuple[str, str]]],
    every: Callable[[], list[tuple[str, str]]],
) -> list[tuple[str, str]]:
    """The draw (weighted sampling without replacement, Efraimidis-Spirakis: each quote's key is
    log(u) / weight for a uniform u, the largest keys win), seeded by the day, so a fixed journal and date
    give fixed quotes. `total` quotes; `at(places)` the quotes at those places (from 0); `every()` all of
    them; `present` the quotes shown before, in order. Each shown quote weighs by the days since it was
    shown and takes its own u. Every other quote weighs the same, so the best of those are the `count`
    with the largest u: that many are chosen uniformly at random among them (places drawn, a shown or
    already chosen one drawn again; most quotes shown: from the list of the others), and their u made as
    the largest of that many uniforms are (each the one before times V^(1/m), m the quotes left): what a
    u drawn for each of them would give, without drawing one per quote. (Before issue 25 a u was drawn
    for every quote in order: the chances are the same, the quotes drawn on a given day are not.)"""
    rng = random.Random(day.toordinal())
    keyed: list[tuple[float, str, str]] = []
    taken = set(present)
    for slug, ident in present:
        weight = _weight(shown.get(f"{slug}\t{ident}"), day)
        keyed.append((math.log(rng.random() or 1e-12) / weight, slug, ident))
    left = total - len(taken)
    wanted = min(count, left)
    chosen: list[tuple[str, str]] = []
    tries = 0
    while len(chosen) < wanted and tries < 2 * wanted + 16:
        places = [rng.randrange(total) for _ in range(wanted - len(chosen))]
        tries += len(places)
        for quote in at(places):
            if quote not in taken:
                taken.add(quote)
                chosen.append(quote)
    if len(chosen) < wanted:  # most quotes were shown: the others listed, and drawn from afresh
        before = set(present)
        others = [quote for quote in every() if quote not in before]
        chosen = rng.sample(others, min(wanted, len(others)))
    u, default = 1.0, 1 + NEVER_SHOWN_DAYS
    for n, (slug, ident) in enumerate(chosen):
        u *= rng.random() ** (1 / (left - n))
        keyed.append((math.log(u or 1e-12) / default, slug, ident))
    keyed.sort(reverse=True)
    return [(slug, ident) for _, slug, ident in keyed[:count]]


def _load_state(journal: Journal) -> dict[str, str]:
    try:
        data = json.loads(state_path(journal).read_text("utf-8"))
    except (OSError, ValueError):
        return {}  # no memory yet, or a damaged one: start afresh
    shown = data.get("shown") if isinstance(data, dict) else None
    return {k: v for k, v in shown.items() if isinstance(v, str)} if isinstance(shown, dict) else {}


def _save_state(journal: Journal, shown: dict[str, str]) -> None:
    """Written whole under a temp name and renamed over the old one, but not synced to the disk: it is a
    cache (losing it only makes the next draws less varied, and a damaged one is started afresh), and an
    fsync on every `readlog recall` was a wait on the disk, longer than the rest of the command."""
    import os

    path = state_path(journal)
    temp = path.with_name(f".{path.name}.{os.urandom(4).hex()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(json.dumps({"shown": shown}, ensure_ascii=False, sort_keys=True))
        os.replace(temp, path)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(temp)  # a read-only cache: recall still works, it just forgets what it showed
