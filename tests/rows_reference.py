"""`index.rows.book_rows` as it was before it was made faster (issue 25, goal 3), kept whole as the
reference the differential test (test_rows_reference.py) compares the new one with, row for row. Its
title keys are the identity functions as they were, copied here too; what it shares with the live code
(fields' store functions, `normalize`, `main_title`, the patterns) is what was not changed. Session 21 changed
what the keys are (a series' place is no part for `q4:`/`q5:`; a subtitle's `s:` key), here as there."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator, Sequence
from typing import Any

from readlog import fields
from readlog.identity import (
    _APOSTROPHES,
    _ELISION,
    _TURNED,
    ARTICLES,
    PART_MARKER,
    _placed,
    _unbracketed_name,
    aliases_of,
    bare_title,
    book_keys,
    exact_title,
    main_title,
    pick_keys,
    pick_places,
    pick_work_key,
    symbol_words,
    title_parts,
)
from readlog.index.rows import UNIT, Rows, unspaced
from readlog.model import Book, Pick, Read, sort_key
from readlog.text import normalize, search_indexed


def typed_title_key(title: str) -> str:
    title = symbol_words(title)  # (session 21: a symbol that makes another title counts, `C++`)
    turned = _TURNED.match(title.strip())
    if turned:
        title = f"{turned['article']} {turned['rest']}"
    title = _ELISION.sub(r"\1 ", title)
    title = _APOSTROPHES.sub("", title.replace("&", " and "))
    return normalize(title)


def title_key(title: str) -> str:
    key = typed_title_key(title)
    first, _, rest = key.partition(" ")
    if re.match(r"\s*[^\W\d_]\.(?:\s|$)", title):  # (an initial is no article: `A. Lincoln`)
        return key
    return rest if rest and first in ARTICLES else key


def lookup_keys(title: str, aliases: Sequence[str] = ()) -> list[str]:
    if not typed_title_key(title):  # (session 21: a title with no letters, by the title as typed)
        return [f"q1:{exact_title(title)}"] if exact_title(title) else []
    keys = [f"q1:{typed_title_key(title)}", f"q2:{title_key(title)}"]
    for alias in aliases:
        keys += [f"q3:{typed_title_key(alias)}", f"q3:{title_key(alias)}"]
    main = main_title(title)
    # (session 21: a series' place is no part, and a subtitle is kept under `s:`)
    if typed_title_key(main) != typed_title_key(title) and not PART_MARKER.search(
        normalize(bare_title(title))
    ):
        keys += [f"q4:{typed_title_key(main)}", f"q5:{title_key(main)}"]
    sub = title_parts(title).sub
    if sub:
        keys.append(f"s:{sub}")
    return [key for key in dict.fromkeys(keys) if not key.endswith(":")]


def stored_title(title: str) -> str:
    return normalize(title)


def pick_title_key(title: str) -> str:
    # (sessions 25 and 27: a trailing place in a series is no part of a pick's title, `Saga #2` -> `saga`)
    placed = _placed(title) or _unbracketed_name(title)
    return typed_title_key(title if placed is None else placed) or exact_title(title)


def stored_name(name: str) -> str:
    return normalize(name)


def _traits_json(book: Book) -> str | None:
    from readlog.traits import book_traits

    traits = book_traits(book)
    return json.dumps(traits, ensure_ascii=False) if traits else None


def _read_json(read: Read) -> dict[str, Any]:
    from readlog.reading import latest

    last = latest(read)
    return {
        "started": sort_key(read.started) or None,
        "finished": sort_key(read.finished) or None,
        "rating": read.rating,
        "format": read.format,
        "stopped": sort_key(read.stopped) or None,
        "at": {k: v for k, v in last.__dict__.items() if k not in ("note", "date", "extra") and v is not None}
        | ({"date": last.date.isoformat()} if last.date else {})
        if last
        else None,
    }


def _pick_json(pick: Pick) -> dict[str, Any]:
    return {
        "title": pick.title,
        "authors": pick.authors,
        "why": pick.why,
        "added": sort_key(pick.added) or None,
    }


def book_rows(book: Book, read_only: bool) -> Rows:
    activity = max(sort_key(book.last_finished), sort_key(book.added))
    status = book.status
    return Rows(
        book=(
            *[field.kind.store(getattr(book, name, field.empty)) for name, field in fields.FIELDS.items()],
            stored_title(book.title),
            json.dumps([stored_name(a) for a in book.authors]),
            json.dumps([_read_json(r) for r in book.reads]),
            json.dumps([_pick_json(p) for p in book.next], ensure_ascii=False),
            sort_key(book.last_finished) or None,
            activity,
            int(read_only),
            _traits_json(book),
        ),
        reads=[
            (
                status,
                sort_key(r.started) or None,
                sort_key(r.finished) or None,
                book.pages,
                sort_key(r.stopped) or None,
                int(
                    r.started is not None or bool(r.progress)
                ),  # (session 28: `begun`, a start or a progress)
            )
            for r in book.reads
        ],
        names=[(status, "author", a, stored_name(a)) for a in book.authors]
        + [(status, "tag", t, t.casefold()) for t in book.tags],
        # (sessions 25-28: a book's `p:` and `w:` keys, identity.pick_keys as it is)
        keys=[
            (key,)
            for key in [*book_keys(book), *lookup_keys(book.title, aliases_of(book)), *pick_keys(book.title)]
        ],
        picks=[
            (
                pick_title_key(p.title),
                UNIT.join(stored_name(a) for a in p.authors),
                activity,
                UNIT.join(sorted(pick_places(p.title))),  # (session 26: a pick's places in a series)
                pick_work_key(p.title),  # (session 28: a pick's work key)
            )
            for p in book.next
        ],
        parts=[  # (session 28: a part's words with `æ`, `ł`, `ß`... folded after its text)
            (part, label, search_indexed(label, body), unspaced(label) or unspaced(body))
            for part, label, body in _parts(book)
        ],
        moments=list(_moments(book)),
    )


def _parts(book: Book) -> Iterator[tuple[str, str, str]]:
    yield "title", book.title, " ".join([book.title, *book.authors, *book.tags])
    if book.review is not None and (book.review.headline or book.review.body):
        yield "review", book.review.headline or "", book.review.body or ""
    for reflection in book.reflections:
        when = reflection.date.isoformat() if reflection.date else ""
        label = f"{reflection.title} ({when})" if reflection.title and when else reflection.title or when
        yield "reflection", label, reflection.text
    for quote in book.quotes:
        where = f"p. {quote.page}" if quote.page is not None else quote.location or ""
        yield "quote", where, quote.text + (f"\n{quote.note}" if quote.note else "")
    for pick in book.next:
        yield "pick", pick.title, " ".join([pick.title, *pick.authors, pick.why or ""])


def _moments(book: Book) -> Iterator[tuple[str, str | None, str, str, str, str | None]]:
    for quote in book.quotes:
        where = f"p. {quote.page}" if quote.page is not None else quote.location or ""
        ident = quote.key or "text:" + hashlib.sha1(normalize(quote.text).encode()).hexdigest()[:12]
        day = quote.date.isoformat() if quote.date else None
        yield "quote", day, ident, quote.text, where, quote.note
    for reflection in book.reflections:
        if reflection.date is not None:
            yield "reflection", reflection.date.isoformat(), "", reflection.text, "", None


def book_from_dict(data: dict[str, Any]) -> Book:
    """model.book_from_dict as it was (its helpers, unchanged, are the live ones)."""
    from readlog.model import (
        _KNOWN,
        _fail,
        _pick,
        _quote,
        _read,
        _read_next,
        _reflection,
        _review,
        _tables,
    )

    data = dict(data)
    data.pop("slug", None)
    if "title" not in data:
        raise _fail("title", "missing: every book needs a title")
    if "author" in data and "authors" not in data:
        data["authors"] = data.pop("author")
    elif "author" in data:
        raise _fail("author", "give either `author` or `authors`, not both")
    table = fields.FIELDS
    book = Book(title=table["title"].kind.parse(data["title"], "title"))
    for name, described in table.items():
        if name == "title" or name not in data:
            continue
        raw = data[name]
        if raw is not None or described.kind.none_parses:
            fields.put(book, described, described.kind.parse(raw, name))
    get = data.get
    book.reads = [_read(item, f"reads[{i}]") for i, item in enumerate(_tables(data, "reads"), 1)]
    if get("review") is not None:
        book.review = _review(data["review"])
    book.reflections = [
        _reflection(t, f"reflections[{i}]") for i, t in enumerate(_tables(data, "reflections"), 1)
    ]
    book.quotes = [_quote(t, f"quotes[{i}]") for i, t in enumerate(_tables(data, "quotes"), 1)]
    book.next = [_pick(t, f"next[{i}]") for i, t in enumerate(_tables(data, "next"), 1)]
    if get("read_next") is not None:
        book.read_next = _read_next(data["read_next"])
    book.extra = {k: v for k, v in data.items() if k not in table and k not in _KNOWN}
    return book
