"""Which book is this: the one place that decides.

- BOOK lookup (`find`): what a reader typed -> one book of the journal, or a clear error with suggestions.
  Commands that write accept only sure matches; read-only commands may also take a typo-sized winner.
- Same book (`same_book`): a title and authors that name a book already in the journal.
- Book keys (`book_keys`): what identifies a book across imports (ISBN, source ids).
- Status words (`STATUS_RANK`, `reading_states`): what a status means to queues, imports and verbs.

Pure: candidates come in as rows (from the index), answers go out as slugs or errors.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import Enum

from readlog.errors import AmbiguousBook, BookNotFound, NotSureBook, ReadlogError
from readlog.model import Book
from readlog.text import normalize, one_line, surname

# How far a status is along the way from wanting a book to having read it: an import never moves a book
# back (a `read` book stays read when an older export says `want`).
STATUS_RANK = {None: 0, "want": 1, "reading": 2, "paused": 2, "abandoned": 3, "read": 3}
# Statuses a pick's own book can have, strongest first: what `next` and `show` mark a pick with.
PICK_STATUSES = ("read", "reading", "want")


# === titles as the query policy compares them (title_key, main_title_key) ===========================
# One normalisation for every policy: case, accents and punctuation ignored; apostrophes join
# (`handmaids` = `handmaid's`); hyphens and dashes separate (`catch 22` = `Catch-22`); `&` is `and`; a
# trailing `, The` is turned round; a leading article (English and the common ones of French, German,
# Spanish, Italian, Portuguese, Dutch) is dropped by `title_key` and kept by `typed_title_key`.
ARTICLES = frozenset(
    "the a an le la les l un une der die das ein eine el los las il lo gli uno una het een o os um uma"
    .split()
)
_APOSTROPHES = re.compile(r"['\u2019\u02bc\u2018`\u00b4]")
_TURNED = re.compile(
    r"^(?P<rest>.*\S)\s*,\s*(?P<article>the|an?|les?|la|der|die|das|el|los|las|il)\s*$", re.I
)
_ELISION = re.compile(r"^\s*(l)['\u2019\u02bc]\s*", re.I)  # L'Étranger: the article, then the word


def typed_title_key(title: str) -> str:
    """A title as compared when typed whole, its leading article kept: `Remains of the Day, The` ->
    `the remains of the day`; `Klara & the Sun` -> `klara and the sun`; `Catch-22` -> `catch 22`."""
    turned = _TURNED.match(title.strip())
    if turned:
        title = f"{turned['article']} {turned['rest']}"
    title = _ELISION.sub(r"\1 ", title)
    title = _APOSTROPHES.sub("", title.replace("&", " and "))
    return normalize(title)


def title_key(title: str) -> str:
    """`typed_title_key` without a leading article (unless the article is the whole title): `The
    Handmaid's Tale` -> `handmaids tale`; `L'Étranger` -> `etranger`; `A` -> `a`."""
    key = typed_title_key(title)
    first, _, rest = key.partition(" ")
    return rest if rest and first in ARTICLES else key


_SERIES_TAIL = re.compile(r"\s*[(\[][^()\[\]]*[)\]]\s*$")


def main_title(title: str) -> str:
    """The part before a subtitle's colon, without a trailing parenthetical (`Dune (Dune #1)` -> `Dune`):
    `Sapiens: A Brief History of Humankind` -> `Sapiens`. The title itself when it has neither."""
    head = title.split(":", 1)[0].strip()
    bare = _SERIES_TAIL.sub("", head).strip()
    return bare or head or title


def main_title_key(title: str) -> str:
    """`title_key` of `main_title`."""
    return title_key(main_title(title))


# === the query policy: which book a BOOK the reader typed names ========================================
# Sure (a write may use it): the slug of a book that exists now (the journal checks files); the book's whole
# title, or its whole main title, under `title_key`; optionally `TITLE by AUTHOR`. Exactly one book must
# qualify at the strongest level that finds any: the whole title as typed (article included), the same
# without the article, another title the book carries (`aliases`), the main title as typed, then without
# its article. Not sure: words of a title, a last word cut short, a typo: a write asks on a terminal and
# refuses in a script; a read-only command may show the one book found and say so.


class Match(Enum):
    """How a BOOK query found its book. Writes take only the sure kinds without asking."""

    SLUG = "the slug"
    TITLE = "the whole title"
    TITLE_NO_ARTICLE = "the whole title without its article"
    ALIAS = "another title of the book"
    MAIN_TITLE = "the main title"
    SEVERAL = "several books"  # a sure kind of match, but more than one book: not sure
    WORDS = "words of the title"
    TYPO = "a close spelling"

    @property
    def sure(self) -> bool:
        return self in _SURE


_SURE = frozenset({Match.SLUG, Match.TITLE, Match.TITLE_NO_ARTICLE, Match.ALIAS, Match.MAIN_TITLE})


@dataclass(frozen=True)
class Candidate:
    """A book as lookups see it: its slug, title and authors (and, for suggestions, its other titles'
    keys and its series as (name, number))."""

    slug: str
    title: str
    authors: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    series: tuple[tuple[str, str], ...] = ()

    @property
    def norm_title(self) -> str:
        return normalize(self.title)

    def describe(self) -> str:
        by = f" by {', '.join(self.authors)}" if self.authors else ""
        return f"{self.slug} ({one_line(self.title)}{by})"


@dataclass(frozen=True)
class Found:
    slug: str
    how: Match
    candidate: Candidate


def aliases_of(book: Book) -> list[str]:
    """The other titles a book carries (`aliases = ["1984", "Mil novecientos ochenta y cuatro"]` in its file:
    a translated or US title): BOOK finds it by them as by its title."""
    value = book.extra.get("aliases")
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        return []
    return [item.strip() for item in value if isinstance(item, str) and item.strip()]


def lookup_keys(title: str, aliases: Sequence[str] = ()) -> list[str]:
    """What the index stores to find a book by (beside its ISBN and ids in `book_keys`): a key per level
    of the query policy (`q1:` the title as typed, `q2:` without its article, `q3:` an alias, `q4:`/`q5:`
    the main title with and without its article)."""
    keys = [f"q1:{typed_title_key(title)}", f"q2:{title_key(title)}"]
    for alias in aliases:
        keys += [f"q3:{typed_title_key(alias)}", f"q3:{title_key(alias)}"]
    main = main_title(title)
    if typed_title_key(main) != typed_title_key(title):
        keys += [f"q4:{typed_title_key(main)}", f"q5:{title_key(main)}"]
    return [key for key in dict.fromkeys(keys) if not key.endswith(":")]


def _levels(title: str) -> list[tuple[Match, tuple[str, ...]]]:
    """The keys a typed title is looked up by, strongest level first."""
    typed, key = typed_title_key(title), title_key(title)
    return [
        (Match.TITLE, (f"q1:{typed}",)),
        (Match.TITLE_NO_ARTICLE, (f"q2:{key}",)),
        (Match.ALIAS, tuple(dict.fromkeys((f"q3:{typed}", f"q3:{key}")))),
        (Match.MAIN_TITLE, (f"q4:{typed}",)),
        (Match.MAIN_TITLE, (f"q5:{key}",)),
    ]


# The index answers three questions for a lookup: the books stored under a lookup key (`lookup_keys`); the
# books whose normalised title contains all of these strings (a cheap pre-filter for words); every book.
Keyed = Callable[[str], Sequence[Candidate]]
Containing = Callable[[Sequence[str]], Sequence[Candidate]]
Everything = Callable[[], Sequence[Candidate]]


@dataclass(frozen=True)
class Lookup:
    """What a BOOK query found: one sure book, or the books it may mean (`maybe`, found `how`), or none and
    the books the reader most likely meant (`suggested`)."""

    query: str
    sure: Found | None = None
    maybe: tuple[Candidate, ...] = ()
    how: Match | None = None
    suggested: tuple[Candidate, ...] = ()
    not_by: tuple[Candidate, ...] = ()  # books the title names surely, by another author than the one given
    author: str | None = None

    def shown(self) -> Found:
        """For a read-only command: the sure book, or the one book a not-sure match found."""
        if self.sure is not None:
            return self.sure
        if len(self.maybe) == 1 and self.how is not None:
            return Found(self.maybe[0].slug, self.how, self.maybe[0])
        raise self.refusal()

    def refusal(self) -> ReadlogError:
        """The error a write in a script (or a read that cannot choose) gets: it names every candidate."""
        query = one_line(self.query)
        if self.maybe and self.how is Match.SEVERAL:
            return AmbiguousBook(
                f"{query!r} matches several books: {describe(self.maybe)}; "
                "give the slug (or `TITLE by AUTHOR`)"
               ,
                self.maybe,
            )
        if len(self.maybe) > 1:
            how = "words of their titles" if self.how is Match.WORDS else "close spellings of their titles"
            return NotSureBook(
                f"{query!r} matches several books by {how}, none surely: {describe(self.maybe)}; "
                "give the slug or the whole title",
                self.maybe,
            )
        if self.maybe:
            what = "words of the title of" if self.how is Match.WORDS else "close to the title of"
            return NotSureBook(
                f"{query!r} is not the whole title of a book: it is {what} {describe(self.maybe)}; "
                "give the slug or the whole title",
                self.maybe,
            )
        if self.not_by:
            return BookNotFound(
                f"{query!r} is {describe(self.not_by)}, not a book by {one_line(self.author or '')!r}"
               
            )
        if self.suggested:
            return BookNotFound(
                f"no book in the journal is {query!r}; did you mean: {describe(self.suggested)}? "
                "(give the slug or the whole title)"
            )
        return BookNotFound(f"no book in the journal is {query!r}; `readlog list` shows them all")


def lookup(
    query: str,
    keyed: Keyed,
    containing: Containing,
    everything: Everything,
    *,
    author: str | None = None,
) -> Lookup:
    """The query policy (see the section's comment). `author` (an `--author` option) must name one of the
    book's authors, as `TITLE by AUTHOR` does. Slugs are the caller's: a file by that name needs no index."""
    typed = typed_title_key(query)
    if not typed:
        raise BookNotFound(f"{one_line(query)!r} does not name a book")
    attempts: list[tuple[str, str | None]] = [(typed, author)]
    title, by = _split_by(typed)
    if by and author is None:
        attempts.append((title, by))
    not_by: list[Candidate] = []
    for part, who in attempts:
        for how, keys in _levels(part):
            books = list({c.slug: c for key in keys for c in keyed(key)}.values())
            if who:
                mine = [b for b in books if any(names_author(who, name) for name in b.authors)]
                not_by += [b for b in books if b not in mine and b not in not_by]
                books = mine
            if len(books) == 1:
                return Lookup(query, sure=Found(books[0].slug, how, books[0]))
            if books:
                return Lookup(query, maybe=tuple(sorted(books, key=lambda b: b.slug)), how=Match.SEVERAL)
    for part, who in attempts:
        maybe, how = _maybe(part, who, containing, everything)
        if maybe:
            return Lookup(query, maybe=tuple(maybe), how=how)
    if not_by:
        return Lookup(query, not_by=tuple(not_by), author=author or by)
    return Lookup(query, suggested=tuple(suggest(query, everything())))


def find(
    query: str,
    keyed: Keyed,
    containing: Containing,
    everything: Everything,
    *,
    fuzzy: bool = False,
    author: str | None = None,
) -> Found:
    """The one book `query` surely names (with `fuzzy`, for a read-only command, also the one book a
    not-sure match found); else the refusal naming the candidates, or the books likely meant."""
    found = lookup(query, keyed, containing, everything, author=author)
    if fuzzy:
        return found.shown()
    if found.sure is None:
        raise found.refusal()
    return found.sure


def find_in(
    query: str, books: Sequence[Candidate], *, fuzzy: bool = False, author: str | None = None
) -> Found:
    """`find` over a list of books (tests, and callers without an index)."""
    by_key: dict[str, list[Candidate]] = {}
    for book in books:
        for key in lookup_keys(book.title, book.aliases):
            by_key.setdefault(key, []).append(book)

    def containing(words: Sequence[str]) -> list[Candidate]:
        return [b for b in books if all(w in b.norm_title for w in words)]

    return find(
        query, lambda key: by_key.get(key, []), containing, lambda: books, fuzzy=fuzzy, author=author
    )


def describe(books: Sequence[Candidate], most: int = 8) -> str:
    shown = ", ".join(b.describe() for b in books[:most])
    return shown + (f" and {len(books) - most} more" if len(books) > most else "")


def _split_by(typed: str) -> tuple[str, str | None]:
    """'emma by austen' -> ('emma', 'austen'); the last ' by ' splits (titles can hold one)."""
    title, sep, author = typed.rpartition(" by ")
    return (title, author) if sep and title and author else (typed, None)


def names_author(typed: str, name: str) -> bool:
    """`typed` names the author `name`: the full name, the surname, in `Last, First` order, with initials in
    any spacing (`jrr tolkien`, `J. R. R. Tolkien`), or words of the name in order ending with the surname."""
    want, have = _author_words(typed), _author_words(name)
    if not want or not have:
        return False
    if want == have or sorted(want) == sorted(have):
        return True
    last = _author_words(surname(name))
    if want == last:
        return True
    if want[-len(last) :] != last:
        return False
    if _in_order(want, have):
        return True
    given = "".join(want[: -len(last)])  # initials of the given names: `jrr tolkien`, `g orwell`
    return given.isalpha() and given == "".join(word[0] for word in have[: -len(last)])[: len(given)]


def _author_words(name: str) -> list[str]:
    head, comma, tail = name.partition(",")
    if comma and tail.strip() and tail.strip().lower().rstrip(".") not in ("jr", "sr", "ii", "iii", "iv"):
        name = f"{tail} {head}"
    words: list[str] = []
    joining = False
    for word in normalize(name).split():
        if len(word) == 1 and word.isalpha():
            if joining:
                words[-1] += word
            else:
                words.append(word)
            joining = True
        else:
            words.append(word)
            joining = False
    return words


def _in_order(words: Sequence[str], name: Sequence[str]) -> bool:
    remaining = iter(name)
    return all(any(word == part for part in remaining) for word in words)


def _word_match(query: str, title: str) -> bool:
    """Every word of `query` is a whole word of `title`, in order (not necessarily adjacent); the last
    word may be the start of a title word. 'never let' finds 'never let me go'; 'march' does not find
    'middlemarch'; 'children of dune' does not find 'dune'."""
    words = query.split()
    title_words = title.split()
    at = 0
    for number, word in enumerate(words):
        last = number == len(words) - 1
        while at < len(title_words):
            candidate = title_words[at]
            at += 1
            if candidate == word or (last and candidate.startswith(word)):
                break
        else:
            return False
    return True


def _words_inside(query: str, title: str) -> bool:
    """Every word of `query` that says something (not `the`, `of`) is the start of a word of `title`, in
    any order: `wigan road` -> The Road to Wigan Pier."""
    words = [w for w in query.split() if w not in _SMALL_WORDS]
    title_words = title.split()
    return bool(words) and all(any(t.startswith(w) for t in title_words) for w in words)


def _maybe(
    typed: str, who: str | None, containing: Containing, everything: Everything
) -> tuple[list[Candidate], Match | None]:
    """The books a not-sure query may mean, likeliest first: words of the title, words inside it, then a
    typo or two (the close spellings about as close as the closest)."""
    plain = normalize(typed.replace(" and ", " "))
    pool: Sequence[Candidate] = containing([w[:4] for w in plain.split()]) if plain else []

    def by(books: Sequence[Candidate]) -> list[Candidate]:
        return [b for b in books if any(names_author(who, a) for a in b.authors)] if who else list(books)

    key = title_key(typed)
    for match in (_word_match, _words_inside):
        for books in (pool, None):
            books = everything() if books is None else books
            found = by(
                [
                    b
                    for b in books
                    if match(typed, typed_title_key(b.title))
                    or match(key, title_key(b.title))
                    or any(match(key, alias) for alias in b.aliases)
                ]
            )
            if found:
                return _likeliest(key, found), Match.WORDS
            if books is not pool:
                break
    typos = by(_typos(key, everything()))
    return typos, (Match.TYPO if typos else None)


def _likeliest(key: str, books: Sequence[Candidate]) -> list[Candidate]:
    """Fewest words beyond the query's first (`the magician` -> The Magicians before The Magician's
    Nephew and Apprentice), then by title."""
    size = len(key.split())
    return sorted(books, key=lambda b: (len(title_key(b.title).split()) - size, title_key(b.title), b.slug))


def _allowed_edits(word: str) -> int:
    return 0 if len(word) <= 2 else 1 if len(word) <= 5 else 2


def _typo_cost(query: str, title: str) -> int | None:
    """Total edits if every query word is within a typo of a title word, in order; else None."""
    from rapidfuzz.distance import OSA

    title_words = title.split()
    at, cost = 0, 0
    for word in query.split():
        limit = _allowed_edits(word)
        while at < len(title_words):
            distance = OSA.distance(word, title_words[at], score_cutoff=limit)
            at += 1
            if distance <= limit:
                cost += distance
                break
        else:
            return None
    return cost


def _typos(key: str, books: Sequence[Candidate]) -> list[Candidate]:
    """Titles the query spells with a typo or two: the closest, and any other about as close (so that a
    read-only command shows a book only when one is clearly meant)."""
    scored = sorted(
        (cost, len(title_key(b.title).split()), b.slug, b)
        for b in books
        if (cost := _typo_cost(key, title_key(b.title))) is not None and cost > 0
    )
    if not scored:
        return []
    best = scored[0]
    return [b for cost, size, _, b in scored if (cost, size) <= (best[0] + 1, best[1])][:8]


# Words too common to suggest a book by: sharing "the" or "of" says nothing.
_SMALL_WORDS = frozenset(
    "a an and the of in on at to by for with from is it la le el de der die das und".split()
)


# --- suggestions: the book a refused query most likely meant ------------------------------------------
_ONES = "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen \
sixteen seventeen eighteen nineteen".split()
_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()


def _spell(n: int) -> str:
    """A number in words, the way a title writes it: 451 -> four hundred fifty one."""
    if n < 20:
        return _ONES[n]
    if n < 100:
        return _TENS[n // 10] + ("" if n % 10 == 0 else " " + _ONES[n % 10])
    if n < 1000:
        return _ONES[n // 100] + " hundred" + ("" if n % 100 == 0 else " " + _spell(n % 100))
    return _spell(n // 1000) + " thousand" + ("" if n % 1000 == 0 else " " + _spell(n % 1000))


def _spellings(key: str) -> set[str]:
    """`key` with each number in words, both ways a year is said: 1984 -> nineteen eighty four and one
    thousand nine hundred eighty four."""
    out = [""]
    for word in key.split():
        if word.isdigit() and len(word) <= 4:
            n = int(word)
            ways = {_spell(n)}
            if 1100 <= n <= 2099 and n % 100:
                ways.add(f"{_spell(n // 100)} {_spell(n % 100)}")
                if n % 100 < 10:
                    ways.add(f"{_spell(n // 100)} oh {_spell(n % 100)}")
        else:
            ways = {word}
        out = [f"{head} {way}".strip() for head in out for way in ways][:16]
    return set(out)


def _initials(key: str) -> str:
    return "".join(w if w.isdigit() else w[0] for w in key.split())


def _is_number(word: str) -> bool:
    return word.isdigit() or word in _ONES[1:]


def _number_value(word: str) -> str:
    return str(_ONES.index(word)) if word in _ONES else word.lstrip("0") or "0"


def suggest(query: str, books: Sequence[Candidate], limit: int = 6) -> list[Candidate]:
    """The books a reader most likely meant by a query that found none: by initials (`lotr`, `tkam`, `hp7`
    with the series number), an author's name (their books), numbers in words (`1984` for Nineteen
    Eighty-Four), another title (`aliases`), a series and number (`saga 2`), shared words, a close spelling.
    A one-letter title only for that letter."""
    key = title_key(query)
    if not key or not books:
        return []
    chosen: dict[str, Candidate] = {}

    def take(found: Sequence[Candidate]) -> None:
        for book in found:
            if len(title_key(book.title).replace(" ", "")) > 1 or title_key(book.title) == key:
                chosen.setdefault(book.slug, book)

    squeezed = key.replace(" ", "") if all(len(w) == 1 for w in key.split()) or " " not in key else ""
    if squeezed and 2 <= len(squeezed) <= 8 and squeezed.isalnum():
        take(_by_initials(squeezed, books))
    take(sorted((b for b in books if any(names_author(query, a) for a in b.authors)), key=_series_order))
    spelled = _spellings(key)
    if spelled != {key}:
        take([b for b in books if _spellings(title_key(b.title)) & spelled or any(
            _word_match(s, t) for s in spelled for t in _spellings(title_key(b.title)))])
    take([b for b in books if any(_word_match(key, alias) for alias in b.aliases)])
    take(_by_series_number(key, books))
    if len(chosen) < limit:
        take(_close(key, books, limit))
    return list(chosen.values())[: max(limit, 8)]


def _series_order(book: Candidate) -> tuple[str, str]:
    return (title_key(book.title), book.slug)


def _by_initials(squeezed: str, books: Sequence[Candidate]) -> list[Candidate]:
    """Books whose title (with or without its article, or its main title) has these initials, or whose
    series has them (with the book's number: `hp7`)."""
    found = []
    for book in books:
        titles = {typed_title_key(book.title), title_key(book.title), main_title_key(book.title)}
        if any(_initials(t) == squeezed for t in titles if len(t.split()) > 1):
            found.append(book)
            continue
        for name, number in book.series:
            letters = _initials(title_key(name)), _initials(typed_title_key(name))
            if squeezed in letters or any(squeezed == f"{s}{number}" for s in letters):
                found.append(book)
                break
    return sorted(found, key=lambda b: (not any(squeezed.endswith(n) for _, n in b.series), _series_order(b)))


def _by_series_number(key: str, books: Sequence[Candidate]) -> list[Candidate]:
    """`saga 2`, `dune three`: the book numbered so in a series of that name."""
    words = key.split()
    if len(words) < 2 or not _is_number(words[-1]):
        return []
    name, number = " ".join(words[:-1]), _number_value(words[-1])
    return [
        b
        for b in books
        for series, n in b.series
        if n.lstrip("0") == number
        and (_word_match(name, title_key(series)) or _word_match(name, title_key(b.title)))
    ]


def _close(key: str, books: Sequence[Candidate], limit: int) -> list[Candidate]:
    """Titles that share a word with the query (not a small one like "the"), or are spelled much like
    it, closest first."""
    from rapidfuzz import fuzz, process

    words = {w for w in key.split() if w not in _SMALL_WORDS}
    titles = [title_key(b.title) for b in books]
    chosen = {i for i, t in enumerate(titles) if any(_akin(w, t.split()) for w in words)}
    for scorer, cutoff in ((fuzz.ratio, 75), (fuzz.partial_ratio, 90)):  # misspelt, or inside a title word
        found = process.extract(key, titles, scorer=scorer, limit=limit, score_cutoff=cutoff)
        chosen.update(index for _, _, index in found)
    ranked = sorted(chosen, key=lambda i: (-fuzz.WRatio(key, titles[i]), titles[i]))
    return [books[i] for i in ranked[:limit]]


def _akin(word: str, title_words: Sequence[str]) -> bool:
    """The same word, or one the start of the other (`ring` / `rings`), when both say something."""
    if word in title_words:
        return True
    long = [t for t in title_words if len(t) >= 4]
    return len(word) >= 4 and any(t.startswith(word) or word.startswith(t) for t in long)


def suggestions(wanted: str, books: Sequence[Candidate], limit: int = 3) -> list[Candidate]:
    """Kept for callers of the old name: see `suggest`."""
    return suggest(wanted, books, limit)


def same_book(title_a: str, authors_a: Sequence[str], title_b: str, authors_b: Sequence[str]) -> bool:
    """Same normalised title and at least one shared author (or no authors on one side)."""
    if normalize(title_a) != normalize(title_b):
        return False
    if not authors_a or not authors_b:
        return True
    return bool({normalize(a) for a in authors_a} & {normalize(a) for a in authors_b})


def same_work(a: Book, b: Book) -> bool:
    """Two rows of one export that are one work: the same normalised title and a shared author (or no
    authors on one side), whatever their ISBNs or ids (a hardcover and a paperback, a book and its audio)."""
    return same_book(a.title, a.authors, b.title, b.authors)


# The column of each source table that holds the source's own id for an edition.
SOURCE_IDS = {
    "goodreads": "Book Id",
    "librarything": "Book Id",
    "hardcover": "Hardcover Edition ID",
    "bookwyrm": "remote_id",
}


def book_keys(book: Book) -> list[str]:
    """What identifies a book across imports: its ISBN and the ids its sources gave it, for every edition
    an import kept (`editions` under a source table)."""
    keys = [f"isbn:{book.isbn}"] if book.isbn else []
    source = book.extra.get("source")
    if not isinstance(source, dict):
        return keys
    for name, table in source.items():
        if not isinstance(table, dict):
            continue
        column = SOURCE_IDS.get(name)
        editions = table.get("editions")
        records = (
            [table, *(e for e in editions if isinstance(e, dict))] if isinstance(editions, list) else [table]
        )
        for record in records:
            book_id = record.get(column) if column else None
            if isinstance(book_id, str | int) and not isinstance(book_id, bool) and str(book_id).strip():
                keys.append(f"{name}:{str(book_id).strip()}")
            isbn = record.get("isbn")
            if record is not table and isinstance(isbn, str) and isbn and f"isbn:{isbn}" not in keys:
                keys.append(f"isbn:{isbn}")
    return keys


def source_ids(book: Book) -> set[str]:
    """The source-id keys of a book (`goodreads:123`), without ISBNs."""
    return {key for key in book_keys(book) if not key.startswith("isbn:")}


def same_edition_or_unknown(a: Book, b: Book) -> bool:
    """Two files that are one book to readlog: one work (`same_work`), as an import would join them. (Kept
    under its old name for `check`; editions of one work are one book since the fidelity work.)"""
    return same_work(a, b)


# A custom shelf's name that says a status, matched as words within the name (`poetry-to-read` -> want).
# Checked in this order: the first hit wins.
SHELF_WORDS: tuple[tuple[str, tuple[tuple[str, ...], ...]], ...] = (
    ("reading", (("currently", "reading"), ("reading", "now"))),
    ("abandoned", (("dnf",), ("did", "not", "finish"), ("abandon",), ("abandoned",), ("gave", "up"))),
    ("paused", (("hold",), ("pause",), ("paused",))),
    ("want", (("to", "read"), ("tbr",), ("want",), ("wishlist",), ("soon",))),
)


def status_from_shelf(shelf: str) -> str | None:
    """The status a shelf's name says (`reading-soon` -> want, `gave-up-on` -> abandoned), or None."""
    words = [w for w in normalize(shelf).split() if w]
    for status, phrases in SHELF_WORDS:
        for phrase in phrases:
            n = len(phrase)
            if any(tuple(words[i : i + n]) == phrase for i in range(len(words) - n + 1)):
                return status
    return None


def pick_status(statuses: Sequence[str | None]) -> str:
    """A pick's mark from the statuses of the journal's books that are its book: read, reading, want, open."""
    for status in PICK_STATUSES:
        if status in statuses:
            return status
    return "open"


# --- highlights: the titles and names e-readers write ---------------------------------------------------
# Devices and apps write a book's title the way its file says: with a series or edition suffix
# (`Dune (Dune #1)`, `(French Edition)`), with or without the subtitle, the author as `Last, First`.
# These rules decide which journal book a highlight belongs to; nothing else keeps a copy of them.
_TITLE_SUFFIX = re.compile(
    r"\s*[(\[][^()\[\]]*?(?:#\s*\d[\d.]*|\b(?:book|vol\.?|volume|tome|band|livre|libro)\s*\d+|\bedition\b|"
    r"\bédition\b|\bedición\b)[^()\[\]]*[)\]]\s*$",
    re.IGNORECASE,
)


def bare_title(title: str) -> str:
    """`Dune (Dune #1)` -> `Dune`; `Les vaisseaux du coeur (French Edition)` -> `Les vaisseaux du coeur`."""
    title = " ".join(title.split())
    while True:
        shorter = _TITLE_SUFFIX.sub("", title)
        if shorter == title or not shorter.strip():
            return title.strip()
        title = shorter


def short_title(title: str) -> str:
    """The title without its series suffix and without a subtitle after `:` (or ` - `)."""
    bare = bare_title(title)
    for mark in (":", " - ", " — "):
        head = bare.split(mark, 1)[0].strip()
        if head and head != bare:
            return head
    return bare


def author_key(name: str) -> str:
    """A name in either order the same: `Groult, Benoîte` and `Benoîte Groult` -> `benoite groult`."""
    return " ".join(sorted(normalize(name.replace(",", " ")).split()))


def shares_author(authors_a: Sequence[str], authors_b: Sequence[str]) -> bool:
    keys_a = {author_key(a) for a in authors_a} - {""}
    return bool(keys_a & {author_key(b) for b in authors_b})


def same_highlight_book(
    title_a: str, authors_a: Sequence[str], title_b: str, authors_b: Sequence[str]
) -> bool:
    """Same book for highlights: the titles agree without series suffixes (and, when an author is shared,
    without subtitles); authors compared in either name order. No authors on one side: the title decides."""
    shared = shares_author(authors_a, authors_b)
    known = bool(authors_a) and bool(authors_b)
    if normalize(bare_title(title_a)) == normalize(bare_title(title_b)):
        return shared or not known
    return shared and normalize(short_title(title_a)) == normalize(short_title(title_b))


def find_highlight_book(
    title: str, authors: Sequence[str], exact: ExactTitle, containing: Containing
) -> Candidate | None:
    """The journal book a highlight's title and authors name, if any (see `same_highlight_book`); when
    several do, the one that shares an author, then the first by slug."""
    short = normalize(short_title(title))
    pool: dict[str, Candidate] = {}
    for norm in dict.fromkeys((normalize(title), normalize(bare_title(title)), short)):
        for candidate in exact(norm):
            pool.setdefault(candidate.slug, candidate)
    if short:
        for candidate in containing(short.split()):
            if candidate.norm_title.startswith(short):
                pool.setdefault(candidate.slug, candidate)
    found = [c for c in pool.values() if same_highlight_book(c.title, c.authors, title, authors)]
    found.sort(key=lambda c: (not shares_author(c.authors, authors), c.slug))
    return found[0] if found else None
