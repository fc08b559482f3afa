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
    """`count` quotes, each drawn with weight = days since it was last shown (weighted sampling without
    replacement, Efraimidis-Spirakis); the day seeds the draw, so a fixed journal and date give fixed
    quotes."""
    rng = random.Random(day.toordinal())
    keyed = []
    for slug, ident in idents:
        weight = _weight(shown.get(f"{slug}\t{ident}"), day)
        keyed.append((math.log(rng.random() or 1e-12) / weight, slug, ident))
    keyed.sort(reverse=True)
    return [(slug, ident) for _, slug, ident in keyed[:count]]


def _weight(last: str | None, day: date) -> int:
    days = NEVER_SHOWN_DAYS
    if last:
        with contextlib.suppress(ValueError):
            days = max(0, (day - date.fromisoformat(last)).days)
    return 1 + days


def _draw_from_index(index: Index, shown: dict[str, str], day: date, count: int) -> list[tuple[str, str]]:
    """What `_draw` draws from every quote of the index, the very same quotes, from the quotes' row
    numbers (their own index) rather than every quote's slug and ident. Each quote takes the same random
    number as in `_draw` (the quotes in the order of their rows); the shown ones weigh apart; every other
    quote weighs the same, so the best of those are the ones with the largest numbers: only the names of
    those (ties included) and of the shown ones are read, and ranked as `_draw` ranks them. (100k books:
    the draw took 107 ms, most of it reading every quote's row.)"""
    import heapq

    from readlog.index import recall as index_module

    if count <= 0:
        return []
    rowids = index_module.quote_rowids(index)
    if not rowids:
        return []
    rng = random.Random(day.toordinal())
    draw = rng.random
    draws = [draw() for _ in rowids]
    weights: dict[int, int] = {}  # place -> weight, of the quotes shown before
    if shown:
        from bisect import bisect_left

        slugs = {name.partition("\t")[0] for name in shown}
        for rowid, slug, ident in index_module.quote_rows_of(index, sorted(slugs)):
            last = shown.get(f"{slug}\t{ident}")
            n = bisect_left(rowids, rowid)  # the rows are in order: its place among them
            if last is not None and n < len(rowids) and rowids[n] == rowid:
                weights[n] = _weight(last, day)
    # Every other quote: the `count` largest numbers win among them; with as many more as there are shown
    # quotes (which may hold some of the largest), every quote that can be among the best is in.
    least = heapq.nlargest(min(len(draws), count + len(weights)), draws)[-1]
    candidates = [n for n, u in enumerate(draws) if u >= least or n in weights]
    names = index_module.quote_names(index, [rowids[n] for n in candidates])
    log, default = math.log, 1 + NEVER_SHOWN_DAYS
    keyed = [
        (log(draws[n] or 1e-12) / weights.get(n, default), *names[rowids[n]])
        for n in candidates
        if rowids[n] in names
    ]
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
