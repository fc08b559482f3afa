"""Which book is this: the one place that decides.

- BOOK lookup (`find`): what a reader typed -> one book of the journal, or a clear error with suggestions.
  Commands that write accept only sure matches; read-only commands may also take a typo-sized winner.
- Same book (`same_book`): a title and authors that name a book already in the journal.
- Book keys (`book_keys`): what identifies a book across imports (ISBN, source ids).
- Status words (`STATUS_RANK`, `reading_states`): what a status means to queues, imports and verbs.

Pure: candidates come in as rows (from the index), answers go out as slugs or errors.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Sequence
from enum import Enum
from typing import Any, Generic, TypeVar

from readlog.errors import AmbiguousBook, BookNotFound, NotSureBook, ReadlogError
from readlog.lazyclass import dataclass_when_used, pattern_when_used
from readlog.model import Book, BookSummary, is_valid_isbn, isbn13
from readlog.text import normalize, one_line, surname

T = TypeVar("T")


# =========================================================================================================
# STATUS: the one table of what each status means. Render, exporters, the site, importers and sync read it.
# - rank: how far along the way from wanting a book to having read it. When two records of one book
#   disagree (two editions in an export, an import meeting the journal, `readlog merge`), the higher rank
#   wins; an import never moves a book to a lower rank (a `read` book stays read when an older export says
#   `want`; a book being read does not become abandoned because an old export says so).
# - label, style: how a reader sees it; shelf: the Goodreads exclusive shelf it exports as (and the shelf
#   words importers map back, with `SHELF_WORDS`); verb: what sync's history says (imperative, past).
# - reread: `start` on a book with this status: "resume" (paused), "new" (a new reading: read, abandoned),
#   "open" (want: the first reading), "none" (reading: it already is).
# - imports: what an import's status may do to a journal book with this status: "forward" (move it to a
#   higher rank only).
# =========================================================================================================
class StatusInfo:
    """One status's row of STATUS_TABLE (see above). (A plain class: as a frozen dataclass it compiled six
    pieces of generated code at import, in every command; with ItemRule's, a third of the dataclass code a
    `readlog sync` of one book compiled.)"""

    __slots__ = ("name", "rank", "label", "style", "shelf", "verb", "reread", "imports")

    def __init__(
        self,
        name: str,
        rank: int,
        label: str,
        style: str,
        shelf: str,
        verb: tuple[str, str],
        reread: str,
        imports: str = "forward",
    ):
        self.name, self.rank, self.label, self.style, self.shelf = name, rank, label, style, shelf
        self.verb, self.reread, self.imports = verb, reread, imports

    def __repr__(self) -> str:
        return f"StatusInfo({self.name!r}, {self.rank!r})"


STATUS_TABLE: tuple[StatusInfo, ...] = (
    StatusInfo("want", 1, "want", "magenta", "to-read", ("want", "wanted"), "open"),
    StatusInfo("abandoned", 2, "abandoned", "red", "did-not-finish", ("abandon", "abandoned"), "new"),
    StatusInfo("paused", 3, "paused", "yellow", "paused", ("pause", "paused"), "resume"),
    StatusInfo("reading", 4, "reading now", "cyan", "currently-reading", ("start", "started"), "none"),
    StatusInfo("read", 5, "✓ read", "green", "read", ("finish", "finished"), "new"),
)
STATUS_INFO = {info.name: info for info in STATUS_TABLE}
STATUS_RANK: dict[str | None, int] = {None: 0, **{info.name: info.rank for info in STATUS_TABLE}}
STATUS_SHELF = {info.name: info.shelf for info in STATUS_TABLE}
STATUS_STYLE = {info.name: info.style for info in STATUS_TABLE}
STATUS_VERBS = {info.name: info.verb for info in STATUS_TABLE}
STATUS_MARK = {info.name: (info.label, info.style) for info in STATUS_TABLE}


def further(status: str | None, than: str | None) -> bool:
    """`status` is further along than `than` (an import or a merge may move a book to it)."""
    return STATUS_RANK.get(status, 0) > STATUS_RANK.get(than, 0)


def merged_status(ours: object, theirs: object) -> str | None:
    """A status two devices changed differently, as a sync's merge settles it without asking: `want` on
    one and further along on the other (started, paused, given up or finished there) is the further one,
    as an import decides (a status goes further only: wanting a book undoes no reading); any other two
    are the reader's to choose (None: a conflict)."""
    for mine, other in ((ours, theirs), (theirs, ours)):
        if mine == "want" and isinstance(other, str) and other in STATUS_INFO and further(other, mine):
            return other
    return None


# Statuses a pick's own book can have, strongest first: what `next` and `show` mark a pick with.
PICK_STATUSES = ("read", "reading", "paused", "abandoned", "want")


# === titles as the query policy compares them (title_key, main_title_key) ===========================
# One normalisation for every policy: case, accents and punctuation ignored; apostrophes join
# (`handmaids` = `handmaid's`); hyphens and dashes separate (`catch 22` = `Catch-22`); `&` is `and`; a
# trailing `, The` is turned round; a leading article (English and the common ones of French, German,
# Spanish, Italian, Portuguese, Dutch) is dropped by `title_key` and kept by `typed_title_key`.
ARTICLES = frozenset(
    [
        "the",
        "a",
        "an",
        "le",
        "la",
        "les",
        "l",
        "un",
        "une",
        "der",
        "die",
        "das",
        "ein",
        "eine",
        "el",
        "los",
        "las",
        "il",
        "lo",
        "gli",
        "uno",
        "una",
        "het",
        "een",
        "o",
        "os",
        "um",
        "uma",
    ]
)
_APOSTROPHES = pattern_when_used(r"['\u2019\u02bc\u2018`\u00b4]")

_TURNED = pattern_when_used(
    r"^(?P<rest>.*\S)\s*,\s*(?P<article>the|an?|les?|la|der|die|das|el|los|las|il)\s*$", re.I
)
_ELISION = pattern_when_used(r"^\s*(l)['\u2019\u02bc]\s*", re.I)  # L'Étranger: the article, then the word


# Symbols that make another title (`C`, `C++`, `C#`; `NET`, `.NET`; `V.`, `-v`) are words in a title's
# key: `+` is `plus` where it stands (`C++` -> `cplusplus`, `A+` -> `aplus`), `#` after a letter is `sharp`
# (`C#`, `F#`; not before a number: `Dune #1`), a minus sign or a full stop that starts a word is `minus` or
# `dot` (`-v` -> `minusv`, `.NET` -> `dotnet`; a minus sign inside a title only before a number: `-40`).
# Every other symbol is punctuation, as before: `Dune.`, `DUNE!`, `Don't`, `"Dune"`, `$100`, `100%`,
# `#Girlboss`, `M*A*S*H`, `AC/DC`, `...And`. (README: "Which book".)
_SYMBOL_HINTS = frozenset("+#\uff0b\uff03\u266f-\u2212.")
_SYMBOL_AT = pattern_when_used(r"[-+#.\uff0b\uff03\u266f\u2212]")  # (one class: sre scans for it fast)
_OPENS = frozenset("\"'([\u201c\u2018\u00ab\u00bf\u00a1")  # a word may start after one: a quote, a bracket


def symbol_words(title: str) -> str:
    """`title` with each symbol that makes another title written as its word, glued to the word it belongs
    to (see above): `C++ Primer Plus` -> `Cplusplus Primer Plus`, `C# in Depth` -> `Csharp in Depth`, `-v` ->
    `minusv`, `.NET` -> `dotNET`. Other punctuation is left for `normalize` to drop."""
    # (Most titles hold none of the symbols: a few scans in C, no pattern. `isascii` costs nothing.)
    if ("+" not in title and "#" not in title and "-" not in title and "." not in title) and (
        title.isascii() or _SYMBOL_HINTS.isdisjoint(title)
    ):
        return title
    parts: list[str] = []
    done = 0
    for found in _SYMBOL_AT.finditer(title):
        at = found.start()
        symbol, before, after = title[at], title[at - 1] if at else " ", title[at + 1 : at + 2]
        starts = (before.isspace() or before in _OPENS) and after.isalnum()  # (a word starts here)
        if symbol in "+\uff0b":
            word = "plus"
        elif symbol == "\u266f" or (symbol in "#\uff03" and before.isalpha() and not after.isdigit()):
            word = "sharp"
        elif symbol == "." and starts:
            word = "dot"
        elif (
            symbol in "-\u2212"
            and starts
            and (after.isdigit() or all(c.isspace() or c in _OPENS for c in title[:at]))
        ):
            word = "minus"  # (the title's first word, whatever follows; a number anywhere)
        else:
            continue
        parts += [title[done:at], word]
        done = at + 1
    return "".join(parts) + title[done:] if parts else title


def exact_title(title: str) -> str:
    """A title as typed, every symbol kept; only case, Unicode's two spellings of an accent and runs of
    spaces aside: an exact title wins over a looser key (`Dune.` and `Dune`, both in the journal), and a
    title with no letters (`.`, `😀`) is found by it."""
    import unicodedata

    return " ".join(unicodedata.normalize("NFC", title).casefold().split())


# An ASCII title without these characters is its typed key as it is, normalised (symbol_words, `, The`, an
# apostrophe and `&` each need one): a queue asks for every pick's (pick_title_key), an index build for every
# book's.
_TYPED_AS_IS = pattern_when_used(r"[-+#.,&'`]")


def typed_title_key(title: str) -> str:
    """A title as compared when typed whole, its leading article kept: `Remains of the Day, The` ->
    `the remains of the day`; `Klara & the Sun` -> `klara and the sun`; `Catch-22` -> `catch 22`; `C++` ->
    `cplusplus` (symbol_words)."""
    if title.isascii() and _TYPED_AS_IS.search(title) is None:  # (most titles: none of the steps below)
        return stored_title(title)  # (normalize(title), kept per title: see stored_title)
    title = symbol_words(title)
    # Each pattern is tried only when the title holds a character it needs (a comma; an apostrophe): the
    # same answer, without three scans of every title an index build stores keys for.
    if "," in title:
        turned = _TURNED.match(title.strip())
        if turned:
            title = f"{turned['article']} {turned['rest']}"
    if _APOSTROPHES.search(title) is not None:  # _ELISION needs one too
        title = _ELISION.sub(r"\1 ", title)
        title = _APOSTROPHES.sub("", title)
    if "&" in title:
        title = title.replace("&", " and ")
    return normalize(title)


def title_key(title: str) -> str:
    """`typed_title_key` without a leading article (unless the article is the whole title): `The
    Handmaid's Tale` -> `handmaids tale`; `L'Étranger` -> `etranger`; `A` -> `a`. An initial is no article:
    `A. Lincoln` -> `a lincoln` (not the key of `Lincoln`)."""
    return _without_article(typed_title_key(title), title)


def _without_article(key: str, title: str = "") -> str:
    """A `typed_title_key` (of `title`, when given) without its leading article (`title_key` from the typed
    key); a first letter with a full stop after it in `title` (`A. Lincoln`, `E. coli`) is an initial."""
    first, _, rest = key.partition(" ")
    if not rest or first not in ARTICLES:
        return key
    return key if title and _INITIAL.match(title) else rest


_INITIAL = pattern_when_used(r"\s*[^\W\d_]\.(?:\s|$)")


_SERIES_TAIL = pattern_when_used(r"\s*[(\[][^()\[\]]*[)\]]\s*$")


def main_title(title: str) -> str:
    """The part before a subtitle's colon, without a trailing parenthetical (`Dune (Dune #1)` -> `Dune`):
    `Sapiens: A Brief History of Humankind` -> `Sapiens`. The title itself when it has neither."""
    head = title.split(":", 1)[0].strip()
    if not head.endswith((")", "]")):  # (the pattern's `[)\]]\s*$`, in a stripped head: no scan of it)
        return head or title
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


@dataclass_when_used(frozen=True)
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

    @classmethod
    def of(cls, slug: str, book: BookSummary) -> Candidate:
        """A journal book as lookups see it, with its places in series (which `describe` names)."""
        return cls(slug, book.title, tuple(book.authors), series=series_pairs(book.series))

    def describe(self) -> str:
        """`SLUG (Title by Author)`, the title with its places in series (placed_title): two volumes titled
        alike are never named alike (`saga (Saga (Saga #1) by …)`, `saga-vaughan (Saga (Saga #3) by …)`)."""
        by = f" by {one_line(', '.join(self.authors))}" if self.authors else ""
        return f"{self.slug} ({placed_title(self.title, self.series)}{by})"


def named_with_places(book: BookSummary) -> str:
    """A journal book's title as readlog names it among others: placed_title."""
    return placed_title(book.title, series_pairs(book.series))


def placed_title(title: str, series: Iterable[tuple[str, str]]) -> str:
    """A book's title as readlog names it among others, with its places in series that its title does not
    name already: `Saga (Saga #3)`; `Dune Messiah (Dune #2)`; `Saga (Saga, #3)` and most titles as they are.
    (`check`'s maybe lines, a lookup's candidates, a terminal's question: one way.)"""
    places = [f"{name} #{number}" for name, number in series if name.strip() and number.strip()]
    if not places or title_volumes(title):
        return one_line(title)
    return f"{one_line(title)} ({one_line('; '.join(places))})"


@dataclass_when_used(frozen=True)
class Found:
    """A book a BOOK query found: its slug, how it matched, and the book as lookups see it."""

    slug: str
    how: Match
    candidate: Candidate
    # A one-word slug that is also the whole title of other books (`kindred`, and *Kindred* in
    # kindred-copy.toml): a read-only command shows the slug's file and names these on stderr; a write
    # refuses (slug_or_title).
    others: tuple[Candidate, ...] = ()


def also_titled(query: str, found: Found) -> str:
    """What a read-only command says on stderr when it showed the file a one-word slug names and the slug is
    also other books' whole title (`found.others`)."""
    query = query.strip()
    named = ", ".join(other.describe() for other in found.others[:3])
    more = f" and {len(found.others) - 3} more" if len(found.others) > 3 else ""
    return (
        f"showing {found.slug}.toml, {found.candidate.describe()}; {query!r} is also the whole title of "
        f"{named}{more} (give its slug for that one; a write by {query!r} is refused)"
    )


def titles_keyed(titles: Sequence[tuple[str, Sequence[str]]]) -> dict[str, list[int]]:
    """Each lookup key of these (title, aliases) to the positions that carry it (`check`'s look at which
    book a word names, without the index)."""
    keyed: dict[str, list[int]] = {}
    for at, (title, aliases) in enumerate(titles):
        for key in lookup_keys(title, aliases):
            keyed.setdefault(key, []).append(at)
    return keyed


def named_by_whole_title(word: str, keyed: dict[str, list[int]]) -> list[int]:
    """The positions (of `titles_keyed`) whose whole title `word` is, at the strongest level naming any."""
    for keys in whole_title_keys(word):
        found = list(dict.fromkeys(at for key in keys for at in keyed.get(key, [])))
        if found:
            return found
    return []


def typed_key(title: str) -> str | None:
    """The key two titles share when they are one title as typed (`check`: two files of one title)."""
    keys = lookup_keys(title)
    return keys[0] if keys else None


def slug_or_title(query: str, mine: Candidate, others: Sequence[Candidate]) -> str:
    """A write's refusal when a one-word slug is also other books' whole title: the way that works for each
    (`kindred.toml`: the book in that file; the others' slugs), as `SLUG (Title by Author)`."""
    named = ", ".join(other.describe() for other in others[:3])
    more = f" and {len(others) - 3} more" if len(others) > 3 else ""
    return (
        f"{query!r} matches several books: it is the slug of {mine.slug}.toml, {mine.describe()}, and the "
        f"whole title of "
        f"{named}{more}: give `{mine.slug}.toml` for the book in that file, or the other book's slug"
    )


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
    typed = typed_title_key(title)  # each text's typed key made once, the article-less one from it
    if not typed:  # no letters or digits (`.`, `😀`): found by the title as typed, whole
        return [f"q1:{exact}"] if (exact := exact_title(title)) else []
    keys = [f"q1:{typed}", f"q2:{_without_article(typed, title)}"]
    for alias in aliases:
        typed_alias = typed_title_key(alias)
        keys += [f"q3:{typed_alias}", f"q3:{_without_article(typed_alias, alias)}"]
    main = main_title(title)
    typed_main = typed if main == title else typed_title_key(main)
    # A part or an adaptation (`Dune: The Graphic Novel, Book 1`, `It: Chapter Two`) is not surely what
    # its main title names: `dune` finds it only as words of its title (asked about, or refused). A series'
    # place is no part (`Catching Fire (The Hunger Games, Book 2)` is `catching fire`, as `add` knows it).
    if typed_main != typed and not PART_MARKER.search(normalize(bare_title(title))):
        keys += [f"q4:{typed_main}", f"q5:{_without_article(typed_main, main)}"]
    if _may_have_subtitle(title):
        sub = title_parts(title).sub
        if sub:  # (no lookup level: what `subtitle_lookups` of a title that is this subtitle asks for)
            keys.append(f"{SUBTITLE_KEY}{sub}")
    return [key for key in dict.fromkeys(keys) if not key.endswith(":")]


SUBTITLE_KEY = "s:"


def _may_have_subtitle(title: str) -> bool:
    # (as _SPLITS may split it: a dash after any space, a tab's or a no-break space's too)
    return ":" in title or _SPACED_DASH.search(title) is not None


_SPACED_DASH = pattern_when_used(r"\s[-–—]")


def subtitle_lookups(title: str) -> tuple[list[str], list[str]]:
    """What finds the books that may be `title` because one side's subtitle is the other's title (`Earthsea:
    The Farthest Shore` and `The Farthest Shore`), which title_prefixes does not: the index keys (stored by
    `lookup_keys`) of the books whose subtitle is this title, and the title prefixes of the books whose title
    is this title's subtitle."""
    parts = title_parts(title)
    if parts.sub is None:
        return ([f"{SUBTITLE_KEY}{parts.main}"] if parts.main else []), []
    rest = _SPLITS.split(bare_title(title), maxsplit=1)[1:]
    return [], (title_prefixes(rest[0]) if rest else [])


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


def names_surely(query: str, candidate: Candidate) -> bool:
    """Does `query` name `candidate` at a sure level (its slug aside: its whole title, another title, its main
    title; `TITLE by AUTHOR` too)? (A terminal's question says whether several books are each named so.)"""
    keys = set(lookup_keys(candidate.title, candidate.aliases))
    title, by = _split_by(typed_title_key(query))
    parts = [query, title] if by else [query]
    return any(key in keys for part in parts for _, level in _levels(part) for key in level)


def whole_title_keys(title: str) -> list[tuple[str, ...]]:
    """The lookup keys of the whole-title levels (as typed, then without the article), strongest first."""
    return [keys for how, keys in _levels(title) if how in (Match.TITLE, Match.TITLE_NO_ARTICLE)]


def whole_title_books(title: str, with_key: Keyed) -> dict[str, Candidate]:
    """The books whose whole title `title` is (`with_key`: the index's books under a lookup key), by slug:
    at the strongest level that names any (as typed, then without the article); none: empty."""
    for keys in whole_title_keys(title):
        named = {c.slug: c for key in keys for c in with_key(key)}
        if named:
            return named
    return {}


# The index answers three questions for a lookup: the books stored under a lookup key (`lookup_keys`); the
# books whose normalised title contains all of these strings (a cheap pre-filter for words); every book.
Keyed = Callable[[str], Sequence[Candidate]]
Containing = Callable[[Sequence[str]], Sequence[Candidate]]
Everything = Callable[[], Sequence[Candidate]]


@dataclass_when_used(frozen=True)
class Lookup:
    """What a BOOK query found: one sure book, or the books it may mean (`maybe`, found `how`), or none and
    the books the reader most likely meant (`suggested`)."""

    query: str
    sure: Found | None = None
    maybe: tuple[Candidate, ...] = ()
    how: Match | None = None
    suggested: tuple[Candidate, ...] = ()
    not_by: tuple[Candidate, ...] = ()  # books the title names surely, by another author than the one given
    author: str | None = None  # the author given (`--author`, `by AUTHOR`), when it narrowed or ruled out
    series: str | None = None  # SEVERAL: the query is the main title of one and the series of the others

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
            if self.series is not None:
                return AmbiguousBook(
                    f"{query!r} matches several books: it is the main title of one and the series of the "
                    f"others: {describe(self.maybe)}; give the slug",
                    self.maybe,
                )
            way = "give the slug" if self.author else "give the slug (or `TITLE by AUTHOR`)"
            return AmbiguousBook(
                f"{query!r} matches several books: {describe(self.maybe)}; {way}", self.maybe
            )
        if self.maybe:
            words = self.how is Match.WORDS
            if len(self.maybe) > 1:
                how = "words of their titles" if words else "close spellings of their titles"
                said = f"matches several books by {how}, none surely:"
            else:
                said = "is not the whole title of a book: it is " + (
                    "words of the title of" if words else "close to the title of"
                )
            return NotSureBook(
                f"{query!r} {said} {describe(self.maybe)}; give the slug or the whole title", self.maybe
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
        return _letterless(query, keyed, everything, author)
    attempts: list[tuple[str, str | None]] = [(typed, author)]
    title, by = _split_by(typed)
    if by and author is None:
        attempts.append((title, by))
    not_by: list[Candidate] = []
    for part, who in attempts:
        as_typed = query if part is typed else _split_by_raw(query)
        found = _at_sure_levels(query, part, as_typed, who, keyed, not_by)
        if found is not None:
            return _a_series(found, as_typed, who, containing)
    for part, who in attempts:  # `Dune (Dune #1)`: the book whose title and place those are (as `add` has it)
        as_typed = query if part is typed else _split_by_raw(query)
        placed = _placed(as_typed) or _unbracketed_name(as_typed)  # (`Saga #3`, `Saga, Vol. 3` too)
        if placed is not None:
            found = _at_sure_levels(query, typed_title_key(placed), placed, who, keyed, [], place=as_typed)
            found = _and_volumes(found, query, as_typed, placed, who, containing)
            if found is not None:
                return found
    head = _split_by_raw(query)
    if author is None and head != query and not typed_title_key(head) and exact_title(head):
        return _letterless(head, keyed, everything, query[len(head) :].strip()[2:].strip())  # `. by Z`
    for part, who in attempts:
        maybe, loose = _maybe(part, who, containing, everything)
        if maybe:
            return Lookup(query, maybe=tuple(maybe), how=loose)
    if not_by:
        return Lookup(query, not_by=tuple(not_by), author=author or by)
    return Lookup(query, suggested=tuple(suggest(query, everything())))


def _at_sure_levels(
    query: str,
    part: str,
    as_typed: str,
    who: str | None,
    keyed: Keyed,
    not_by: list[Candidate],
    place: str | None = None,
) -> Lookup | None:
    """The books `part` (a typed key) names at the strongest sure level naming any: one (sure) or several;
    None when no level names a book (`not_by` gathers those another author's). With `place` (a title with a
    series parenthetical, `Dune (Dune #1)`, `part` being its title without it), only the books it does not
    put at another place of that series (by their title or `series` field: `Saga (Saga #2)` is no *Saga*
    that is #1)."""
    for how, keys in _levels(part):
        books = list({c.slug: c for key in keys for c in keyed(key)}.values())
        if place is not None:  # (nor past the first of a series named as its title: series_title_apart)
            placed = Work(place)
            books = [
                b
                for b in books
                if not other_volume(placed, book := Work(b.title, series=b.series))
                and not series_title_apart(placed, book)
            ]
        if who:
            mine = [b for b in books if names_author(who, b.authors)]
            not_by += [b for b in books if b not in mine and b not in not_by]
            books = mine
        if len(books) > 1:
            books = list(exact_first(as_typed, books))
        if len(books) == 1:
            return Lookup(query, sure=Found(books[0].slug, how, books[0]))
        if books:
            return Lookup(
                query, maybe=tuple(sorted(books, key=lambda b: b.slug)), how=Match.SEVERAL, author=who
            )
    return None


def _a_series(found: Lookup, as_typed: str, who: str | None, containing: Containing) -> Lookup:
    """A main title that is also the name of a series other books of the journal are in, by their title
    (`the expanse`: *The Expanse: Leviathan Wakes*, and *Caliban's War (The Expanse #2)*): a series name is
    no volume, so not sure of the one (SEVERAL: all of them, asked about or refused). Else `found`."""
    if found.sure is None or found.sure.how is not Match.MAIN_TITLE:
        return found
    name = series_key(as_typed)
    words = [word[:4] for word in normalize(name).split()]
    if not name or not words:
        return found
    others = [
        b
        for b in containing(words)
        if b.slug != found.sure.slug
        and name in _places(Work(b.title, series=b.series))
        and (not who or names_author(who, b.authors))
    ]
    if not others:
        return found
    books = sorted([found.sure.candidate, *others], key=lambda b: b.slug)
    return Lookup(found.query, maybe=tuple(books), how=Match.SEVERAL, author=who, series=name)


def _and_volumes(
    found: Lookup | None, query: str, as_typed: str, name: str, who: str | None, containing: Containing
) -> Lookup | None:
    """A series' name and a place typed (`Saga #3`, `Saga, Tome 3`, `Saga Volume Three`: volume_title)
    names too the books whose title is that volume however written (*Saga, Vol. 3*, *Saga (Saga, #3)*), as
    a clipping titled so lands there (same_work: SURE), beside what `found` (its series' name placed so)
    holds: one book, sure; several, SEVERAL. (Try-out 30a #6: `quote "Saga #3"` was told it is words of
    the title of *Saga, Vol. 3*.)"""
    volume = volume_title(as_typed)
    words = [word[:4] for word in normalize(name).split()]
    if volume is None or not words:
        return found
    held: list[Candidate] = []
    if found is not None:
        held = [found.sure.candidate] if found.sure is not None else list(found.maybe)
    slugs = {b.slug for b in held}
    more = [
        b
        for b in containing(words)
        if b.slug not in slugs
        and volume_title(b.title) == volume
        and (not who or names_author(who, b.authors))
    ]
    if not more:
        return found
    books = [*held, *more]
    if len(books) > 1:
        books = list(exact_first(as_typed, books))
    if len(books) == 1:
        return Lookup(query, sure=Found(books[0].slug, Match.TITLE, books[0]))
    return Lookup(query, maybe=tuple(sorted(books, key=lambda b: b.slug)), how=Match.SEVERAL, author=who)


def _placed(title: str) -> str | None:
    """`Dune (Dune #1)` -> `Dune`: a title with a trailing parenthetical that places it in a series
    (`title_volumes`), without it; None for any other title (`Dune (French Edition)` is left to the rest of
    the policy)."""
    if not title.rstrip().endswith((")", "]")) or not title_volumes(title):
        return None
    bare = _SERIES_TAIL.sub("", title).strip()
    return bare if bare and typed_title_key(bare) else None


def exact_first(typed: str, books: Sequence[Candidate]) -> Sequence[Candidate]:
    """Of several books one key names, the one whose title is `typed` exactly (`exact_title`; then with its
    case too), when one is: `Dune.` and `Dune` in the journal, `Dune.` names the first. Else all of them."""
    exact = exact_title(typed)
    same = [b for b in books if exact_title(b.title) == exact]
    if len(same) > 1:
        same = [b for b in same if " ".join(b.title.split()) == " ".join(typed.split())]
    if len(same) == 1 and any(exact_title(b.title) != exact == _unaccented(b.title) for b in books):
        # `Angel` with `angel` and `Ángel`: one differs in case, one in accents, and a reader types either
        # without them: two candidates (asked, or refused naming both), not the case-only one silently.
        # (`Ángel` typed names `Ángel`: the accent was given.)
        return books
    return same if len(same) == 1 else books


def alike_in_authors(
    authors: Sequence[str], books: Sequence[T], authors_of: Callable[[T], Sequence[str]]
) -> list[T]:
    """Of several books surely one work, those that have authors when `authors` are given (King's *The Stand*,
    not an authorless *The Stand* kept apart beside it), those that have none when none are; all when none
    is so. The one rule for `add` (journal.check_new) and for an import's row or clipping (nearest_sure)."""
    if len(books) < 2:
        return list(books)
    return [book for book in books if bool(authors_of(book)) == bool(authors)] or list(books)


def named_as_typed(typed: str, books: Sequence[T], title_of: Callable[[T], str]) -> list[T]:
    """Of several books that are surely the work a typed title is (`add IT` with *It* and *IT* in the
    journal, `--new` having kept them apart), the ones the title as typed names, by the query policy's
    `exact_first`: the case typed decides, accents typed decide, accents left out do not (`Les Miserables`
    with *Les Misérables* and *Les Miserables*: both). One book, or none of them closer: all."""
    if len(books) < 2:
        return list(books)
    candidates = [Candidate(str(at), title_of(book)) for at, book in enumerate(books)]
    return [books[int(c.slug)] for c in exact_first(typed, candidates)]


def alike_as_typed(
    typed: str,
    authors: Sequence[str],
    books: Sequence[T],
    title_of: Callable[[T], str],
    authors_of: Callable[[T], Sequence[str]],
) -> list[T]:
    """Of the books that maybe are a title typed with its authors (same_work's MAYBE), the ones the words
    typed cannot tell from the book it surely is: the title as typed (typed_exactly), by one of those authors
    (`add "Saga" -a "Brian K. Vaughan" --reread`, and *Saga* in the journal twice, one in series Saga #3:
    only a place tells them apart, which `Saga` does not name). Another title (*Saga #3*, *Dune Messiah*),
    a name a letter off (*Persuasion* by Jan Austen for Jane Austen), another person (Owen King) tell a book
    apart: not these."""
    return [b for b in books if typed_exactly(typed, title_of(b)) and authors_agree(authors, authors_of(b))]


def typed_exactly(query: str, title: str) -> bool:
    """Whether `query` (or its part before ` by AUTHOR`) is `title` as typed but for case and spaces: `dune`
    and `dune by herbert` are *Dune*; `péche` is none of Peche, Pêche, Péché (each only folded alike)."""
    return exact_title(title) in (exact_title(query), exact_title(_split_by_raw(query)))


def _unaccented(title: str) -> str:
    """`exact_title` without accents, and with the letters that do not decompose folded as `normalize`
    folds them: `Ángel` -> `angel`, `Łódź` -> `lodz`, `Ægir` -> `aegir`."""
    import unicodedata

    from readlog.text import folded_letters

    decomposed = unicodedata.normalize("NFD", folded_letters(exact_title(title)))
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if not unicodedata.combining(c)))


def _split_by_raw(query: str) -> str:
    """The title part of `TITLE by AUTHOR` as typed (what `_split_by` splits, before its key was made)."""
    head, sep, _ = query.rpartition(" by ")
    if not sep:
        head, sep, _ = query.casefold().rpartition(" by ")
        head = query[: len(head)] if sep else query
    return head


def letterless(title: str) -> bool:
    """A title with no letters or digits in any script (`.`, `?!...`, `😀`, `📚📚`): no words to find it by,
    only the title typed character for character, which a keyboard may not offer; `list` shows its slug."""
    if _ASCII_WORD.search(title) is not None:  # most titles: a letter or digit the key keeps, said at once
        return False
    return not typed_title_key(title)


_ASCII_WORD = pattern_when_used("[A-Za-z0-9]")


def letterless_keys(title: str) -> list[str]:
    """The lookup keys of a title with no letters or digits (its one: the title as typed, `lookup_keys`);
    none for any other title (the index finds those by their words: `title_prefixes`)."""
    return [] if typed_title_key(title) else lookup_keys(title)


def slugs_named(query: str) -> set[str]:
    """The slugs a book `query` names by title was first given (`slugify` of the title; of the title part of
    `TITLE by AUTHOR` too): a second book of the title has one of them and a `-` after it. With its symbols
    as words (`cplusplus-primer-plus`: Journal.free_slug's), and without (the slug an older readlog gave)."""
    from readlog.text import slugify

    head = _split_by_raw(query)
    titles = [query, *([head] if head.strip() and head != query else [])]
    return {slug for title in titles for slug in (slugify(title), slugify(symbol_words(title))) if slug}


def _letterless(query: str, keyed: Keyed, everything: Everything, author: str | None) -> Lookup:
    """A title with no letters or digits (`.`, `?!...`, `😀`): the books whose title it is, as typed (the
    only key such a title has: lookup_keys); none, the books whose title holds it, each by the slug to
    give (no words to suggest a book by)."""
    exact = exact_title(query)
    if not exact:
        raise BookNotFound(f"{one_line(query)!r} does not name a book")
    books = list({c.slug: c for c in keyed(f"q1:{exact}")}.values())
    if author:
        not_by = [b for b in books if not names_author(author, b.authors)]
        books = [b for b in books if b not in not_by]
        if not books and not_by:
            return Lookup(query, not_by=tuple(not_by), author=author)
    if len(books) > 1:
        books = list(exact_first(query, books))
    if len(books) == 1:
        return Lookup(query, sure=Found(books[0].slug, Match.TITLE, books[0]))
    if books:
        return Lookup(query, maybe=tuple(sorted(books, key=lambda b: b.slug)), how=Match.SEVERAL)
    # (a title with letters too, when it holds more than ASCII punctuation: `📚 Notes`, not every `V.`)
    lettered = not exact.isascii()
    holding = [
        b
        for b in everything()
        if exact in (t := exact_title(b.title)) and (lettered or not typed_title_key(t))
    ]
    holding.sort(key=lambda b: (bool(typed_title_key(b.title)), len(b.title), b.slug))
    return Lookup(query, suggested=tuple(holding[:8]))


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

    return find(query, lambda key: by_key.get(key, []), containing, lambda: books, fuzzy=fuzzy, author=author)


def describe(books: Sequence[Candidate], most: int = 8) -> str:
    shown = ", ".join(b.describe() for b in books[:most])
    return shown + (f" and {len(books) - most} more" if len(books) > most else "")


def _split_by(typed: str) -> tuple[str, str | None]:
    """'emma by austen' -> ('emma', 'austen'); the last ' by ' splits (titles can hold one)."""
    title, sep, author = typed.rpartition(" by ")
    return (title, author) if sep and title and author else (typed, None)


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


def whole_words_of(query: str, title: str) -> bool:
    """Every word of `query` is a whole word of `title`, in order (`dune` of *Dune Messiah*; not `jane eyr`,
    a word cut short, nor a close spelling): what a complete title of another book may be, which `start
    TITLE --author` adds rather than reading it as words of a longer one."""
    words = iter(title_key(title).split())
    typed = title_key(query).split()
    return bool(typed) and all(word in words for word in typed)


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
        return [b for b in books if names_author(who, b.authors)] if who else list(books)

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
    everyone = everything()
    typos = by(_typos(key, everyone))
    if typos:  # `GoT` is a typo of `go`, but A Game of Thrones is what was meant: its initials come first
        meant = {b.slug: b for b in by(_meant(typed, everyone))}
        typos = [*meant.values(), *(b for b in typos if b.slug not in meant)]
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
    [
        "a",
        "an",
        "and",
        "the",
        "of",
        "in",
        "on",
        "at",
        "to",
        "by",
        "for",
        "with",
        "from",
        "is",
        "it",
        "la",
        "le",
        "el",
        "de",
        "der",
        "die",
        "das",
        "und",
    ]
)

# Words many titles have, that say what a book is rather than which: shared alone beside the query's other
# words, they suggest nothing (a query of them only, `book`, still goes by them).
_FILLER_WORDS = frozenset(
    ["book", "books", "novel", "volume", "vol", "part", "edition", "story", "stories", "collection", "series"]
)


# --- suggestions: the book a refused query most likely meant ------------------------------------------
_ONES = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_TENS = ["_", "_", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


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
    chosen = {b.slug: b for b in _meant(query, books)}
    if key and len(chosen) < limit:
        for book in _close(key, books, limit):
            if len(title_key(book.title).replace(" ", "")) > 1 or title_key(book.title) == key:
                chosen.setdefault(book.slug, book)
    return list(chosen.values())[: max(limit, 8)]


def _meant(query: str, books: Sequence[Candidate]) -> list[Candidate]:
    """The books a query names another way than by their title's words: initials, an author, numbers in
    words, another title, a series and number."""
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
    take(sorted((b for b in books if names_author(query, b.authors)), key=_series_order))
    spelled = _spellings(key)
    if spelled != {key}:
        take(
            [
                b
                for b in books
                if _spellings(title_key(b.title)) & spelled
                or any(_word_match(s, t) for s in spelled for t in _spellings(title_key(b.title)))
            ]
        )
    take([b for b in books if any(_word_match(key, alias) for alias in b.aliases)])
    take(_by_series_number(key, books))
    return list(chosen.values())


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
    if words - _FILLER_WORDS:  # (`nonexistent book xyz` offered `… Lesson Book 1`: try-out 33a #12)
        words -= _FILLER_WORDS
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


# The column of each source table that holds the source's own id for an edition.
SOURCE_IDS = {
    "goodreads": "Book Id",
    "librarything": "Book Id",
    "hardcover": "Hardcover Edition ID",
    "bookwyrm": "remote_id",
}
# The column of a source table that names its edition by an ISBN, where the source has no id of its own for
# it (StoryGraph's `ISBN/UID`: an ISBN, or the app's own id where there is none): that ISBN is one of the
# book's keys, though the book's `isbn` is another (`readlog merge` kept the other book's; the export
# still names it by this one).
# (What is there when it is no valid ISBN, an ASIN or the app's own id, is the source's id of the edition:
# `storygraph:B00IJYDJAM`, a key as SURE as a Goodreads Book Id; a re-import finds its book by it, whatever
# the book is called now.)
SOURCE_ISBNS = {"storygraph": "ISBN/UID"}
# The book's other ISBNs, of editions no source table records (`isbns = ["…"]`: `readlog merge` keeps there
# the ISBN of a merged book that came with none, when the kept book has its own): keys like its `isbn`.
OTHER_ISBNS = "isbns"


def isbn_key(isbn: str) -> str:
    """The key of an ISBN (`isbn:978...`): an ISBN-10 keyed as the ISBN-13 it is, so the two ways of writing
    one edition's ISBN find each other (`1799955672` is `978-1-79995-567-2`)."""
    return f"isbn:{isbn13(isbn)}"


def book_keys(book: Book) -> list[str]:
    """What identifies a book across imports: its ISBN and the ids its sources gave it, for every edition
    an import kept (`editions` under a source table)."""
    keys = [isbn_key(book.isbn)] if book.isbn else []
    for item in book.series:  # (its places in a series: no id, but what same_work needs of an import's row)
        number = item.get("number")
        if number and (key := _volume_key(item.get("name") or "", str(number))):
            keys.append(key)
    other_isbns = book.extra.get(OTHER_ISBNS)  # (a merge kept them: no source table holds them)
    if isinstance(other_isbns, list):
        for other in other_isbns:
            if isinstance(other, str) and other and (key := isbn_key(other)) not in keys:
                keys.append(key)
    source = book.extra.get("source")
    if not isinstance(source, dict):
        return keys
    for name, table in source.items():
        if isinstance(table, dict):
            _table_keys(keys, name, table, book.isbn)
    return keys


def _table_keys(keys: list[str], name: str, table: dict[str, Any], own_isbn: str | None) -> None:
    """Add to `keys` the ids source `name`'s table (and every edition an import kept under it) gives a
    book whose own ISBN is `own_isbn`."""
    column, isbn_column = SOURCE_IDS.get(name), SOURCE_ISBNS.get(name)
    editions = table.get("editions")
    records = (
        [table, *(e for e in editions if isinstance(e, dict))] if isinstance(editions, list) else [table]
    )
    for record in records:
        book_id = record.get(column) if column else None
        if isinstance(book_id, str | int) and not isinstance(book_id, bool) and str(book_id).strip():
            keys.append(f"{name}:{str(book_id).strip()}")
        isbn = record.get("isbn")
        if record is not table and isinstance(isbn, str) and isbn and isbn_key(isbn) not in keys:
            keys.append(isbn_key(isbn))
        named = record.get(isbn_column) if isbn_column else None
        if isinstance(named, str) and named and named != own_isbn:  # (an import's row: its own ISBN)
            isbn = named.replace("-", "").replace(" ", "").upper()
            if is_valid_isbn(isbn):
                if isbn_key(isbn) not in keys:
                    keys.append(isbn_key(isbn))
            elif (uid := named.strip()) and f"{name}:{uid}" not in keys:
                keys.append(f"{name}:{uid}")  # a UID (an ASIN, the app's own id): the edition's id


def ids_apart(a: Book, b: Book, source: str) -> bool:
    """Whether the source `source` gave `a` and `b` ids of its own (a Book Id; StoryGraph's ISBN/UID), both,
    and none in common (its own ids first, else the ISBNs its table holds): that service's records of two
    books, whatever else ties them (a Date Added, a reading finished on one day: a shelf filled that day)."""
    mine: list[str] = []
    theirs: list[str] = []
    for book, keys in ((a, mine), (b, theirs)):
        tables = book.extra.get("source")
        table = tables.get(source) if isinstance(tables, dict) else None
        if isinstance(table, dict):
            _table_keys(keys, source, table, None)
    return _shared_ids(mine, theirs) is False


def edition_keys(entry: dict[str, Any], source: str) -> list[str]:
    """The keys one edition of source `source` is named by (an entry of its table's `editions`, or an
    import row's edition record): its id there (`goodreads:123`; StoryGraph's ISBN/UID when it is no ISBN),
    its ISBN (`isbn`, or StoryGraph's ISBN/UID when it is one: `isbn:...` either way)."""
    keys: list[str] = []
    _table_keys(keys, source, {"editions": [entry]}, None)
    return keys


def one_edition(a: dict[str, Any], b: dict[str, Any], source: str) -> bool:
    """Whether two records of editions of source `source` (edition_keys) name one edition: by the source's
    own ids when both give one, else by their ISBNs, however each writes it (`isbn = "978..."` and
    `"ISBN/UID" = "978..."` are one edition: `readlog merge` keeps a book's own edition by its columns)."""
    return bool(_shared_ids(edition_keys(a, source), edition_keys(b, source)))


def _shared_ids(mine: list[str], theirs: list[str]) -> bool | None:
    """Whether two lists of keys (_table_keys) share one, asked of the source's own ids first (a Book Id
    that differs is two books, one ISBN or not), else of the ISBNs; None when no kind is given by both."""
    for isbn in (False, True):
        x = {key for key in mine if key.startswith("isbn:") == isbn}
        y = {key for key in theirs if key.startswith("isbn:") == isbn}
        if x and y:
            return bool(x & y)
    return None


def source_ids(book: Book | list[str]) -> set[str]:
    """The source-id keys of a book (`goodreads:123`), without ISBNs: of its book_keys, or of those keys
    when given them."""
    keys = book if isinstance(book, list) else book_keys(book)
    return {key for key in keys if not key.startswith(("isbn:", VOLUME_KEY))}


def id_keys(keys: Iterable[str]) -> list[str]:
    """The keys that identify a book (its ISBNs and source ids), without its places in a series."""
    return [key for key in keys if not key.startswith(VOLUME_KEY)]


# --- shelf words: what a shelf's, collection's or status column's name says about reading ---------------
# A data table of its own (the status table reads it): readers write shelves in their own language, and apps
# name their statuses their own way. Matched on the normalised name (accents and case dropped, `-`/`_` as
# spaces): first the whole name (SHELF_NAMES), then words within it (SHELF_WORDS, in order: the first hit
# wins, so `want-to-finish-eventually` is paused before `want` is seen).
APP_SHELVES: dict[str, str] = {
    # the apps' own names (Goodreads, StoryGraph, BookWyrm, Hardcover exclusive shelves and statuses)
    "read": "read", "to read": "want", "currently reading": "reading", "did not finish": "abandoned",
    "dropped": "abandoned", "stopped reading": "abandoned", "wont finish": "abandoned",
    "won t finish": "abandoned", "abandoned": "abandoned", "paused": "paused",
    "want to read": "want", "reading": "reading",
}  # fmt: skip
SHELF_NAMES: dict[str, str] = {
    **APP_SHELVES,
    "dnf": "abandoned",
    # "read", in the languages readers write shelves in (a whole name only: `read-in-2020` is a tag)
    "lidos": "read", "lido": "read", "ja lidos": "read", "leidos": "read", "leido": "read",
    "ya leidos": "read",
    "lus": "read", "lu": "read", "deja lus": "read", "livres lus": "read", "gelesen": "read",
    "schon gelesen": "read", "letti": "read", "letto": "read", "gia letti": "read", "gelezen": "read",
    "przeczytane": "read", "lasta": "read", "laest": "read", "lest": "read", "luettu": "read",
    "okunanlar": "read", "okundu": "read", "olvasott": "read", "прочитано": "read", "прочитанные": "read",
    "already read": "read", "finished": "read",
}  # fmt: skip
SHELF_WORDS: tuple[tuple[str, tuple[tuple[str, ...], ...]], ...] = (
    ("reading", (
        ("currently", "reading"), ("reading", "now"), ("en", "cours"), ("leyendo",), ("lendo",),
        ("lese", "gerade"), ("am", "lesen"), ("sto", "leggendo"), ("in", "lettura"), ("aan", "het", "lezen"),
        ("czytam",), ("читаю",),
    )),
    ("abandoned", (
        ("dnf",), ("did", "not", "finish"), ("abandon",), ("abandoned",), ("gave", "up"), ("wont", "finish"),
        ("abandonados",), ("abandonado",), ("abandonadas",), ("abandonnes",), ("abandonne",),
        ("abandonnees",), ("abbandonati",), ("abbandonato",), ("abbandonato",), ("abgebrochen",),
        ("nicht", "beendet"), ("nao", "terminados"), ("no", "terminados"), ("afgebroken",), ("porzucone",),
        ("брошено",), ("брошенные",),
    )),
    ("paused", (
        ("hold",), ("pause",), ("paused",), ("want", "to", "finish"), ("finish", "eventually"), ("pausiert",),
        ("en", "pausa"), ("pausados",), ("pausado",), ("en", "pause"), ("in", "pausa"), ("gepauzeerd",),
        ("wstrzymane",),
    )),
    ("want", (
        ("to", "read"), ("to", "be", "read"), ("tbr",), ("want",), ("wishlist",), ("soon",), ("a", "lire"),
        ("por", "leer"), ("para", "leer"), ("quiero", "leer"), ("pendientes",), ("por", "ler"),
        ("para", "ler"),
        ("quero", "ler"), ("zu", "lesen"), ("will", "ich", "lesen"), ("wunschliste",), ("da", "leggere"),
        ("te", "lezen"), ("wil", "ik", "lezen"), ("do", "przeczytania"), ("хочу", "прочитать"),
        ("att", "lasa"),
    )),
)  # fmt: skip


def same_person_keys(names: Sequence[str], side: int) -> set[str] | None:
    """Keys two lists of authors share whenever `same_person` may hold between a name of each (the last word
    of a name on one side among the words of a name on the other): on `side` 0 every word of each name, on
    side 1 each name's last word; None for no name (authors unknown). A sync pairing a removed book with an
    added one asks `same_person` only of the pairs sharing one (sync.repo `_retitled_keys`)."""
    tokens = [name_tokens(name) for name in names if name.strip()]
    if not tokens:
        return None
    if side == 0:
        return {word for words in tokens for word in words}
    return {words[-1] for words in tokens if words}


def status_from_shelf(shelf: str) -> str | None:
    """The status a shelf's name says (`reading-soon` -> want, `gave-up-on` -> abandoned, `abgebrochen` ->
    abandoned, `lidos` -> read), or None."""
    name = normalize(shelf.replace("_", " "))
    if name in SHELF_NAMES:
        return SHELF_NAMES[name]
    words = [w for w in name.split() if w]
    for status, phrases in SHELF_WORDS:
        for phrase in phrases:
            n = len(phrase)
            if any(tuple(words[i : i + n]) == phrase for i in range(len(words) - n + 1)):
                return status
    return None


def is_status_shelf(shelf: str) -> bool:
    """A shelf that is one of the apps' own status names (`read`, `to-read`, `did-not-finish`): the status
    says it, so it is not kept as a tag too. A reader's own (`lidos`, `abgebrochen`) stays a tag."""
    return normalize(shelf.replace("_", " ")) in APP_SHELVES


def pick_status(statuses: Sequence[str | None]) -> str:
    """A pick's mark from the statuses of the journal's books that are its book: read, reading, paused,
    abandoned, want, open (none of them)."""
    for status in PICK_STATUSES:
        if status in statuses:
            return status
    return "open"


# =========================================================================================================
# SAME WORK: are two records (a typed book, an import row, a clipping, a journal book) one work?
# Three answers: SURE (a caller may join them), MAYBE (it must not guess: ask, keep both, or list the pair),
# NO. The rule, as the README's "Which book" states it:
# - SURE: a shared ISBN or source id; or the same title (compared as `title_key` does, without a leading
#   article), after dropping a trailing series parenthetical (`Dune (Dune #1)`, `(… Edition)`, a publisher's
#   label: `_TITLE_SUFFIX`; a volume alone, `(Book 2)`, stays) and a generic
#   label subtitle (`GENERIC_SUBTITLES`), with compatible authors.
# - MAYBE: the same main title (before the subtitle's colon) where only one side has a real subtitle, with
#   compatible authors (`Just Mercy` / `Just Mercy: A Story of Justice and Redemption`); or one side's
#   subtitle is the other's whole title (`Mistborn: The Hero of Ages` / `The Hero of Ages`); or either of
#   those once a full stop that may end a sentence is read as a colon (`How to Take Smart Notes. One
#   Simple Technique`, as Kobo writes it: `sentence_split`), or a volume alone in parentheses as a subtitle
#   (`The Hunger Games (Book 1)`); never more than MAYBE: a title may be two sentences, a volume a part.
#   Or a title SURE or MAYBE by authors that are no one person but may be one spelled another way
#   (`spelled_otherwise`: *The Stand* by Steven King and by Stephen King, `LeGuin` and `Le Guin`): asked,
#   kept apart, listed, never joined.
# - NO: everything else: two different subtitles, a part or adaptation marker (`PART_MARKER`) on one side
#   only, titles that only start alike, authors who are two people. Two different ids do not make two works.
# =========================================================================================================


class Same(Enum):
    SURE = "sure"
    MAYBE = "maybe"
    NO = "no"


@dataclass_when_used(frozen=True)
class Work:
    """What the same-work rule looks at: a title, its authors, and the keys (`isbn:…`, `goodreads:…`)."""

    title: str
    authors: tuple[str, ...] = ()
    keys: frozenset[str] = frozenset()
    series: tuple[tuple[str, str], ...] = ()  # (name, number): the book's `series` field

    @classmethod
    def of(cls, book: Book) -> Work:
        return cls(book.title, tuple(book.authors), frozenset(book_keys(book)), series_pairs(book.series))

    @classmethod
    def named(cls, title: str, authors: Sequence[str] = (), series: Sequence[tuple[str, str]] = ()) -> Work:
        return cls(title, tuple(authors), series=tuple(series))

    @classmethod
    def of_row(cls, title: str, authors: Sequence[str], keys: Iterable[str]) -> Work:
        """An import's row (or a journal book as the index keeps it): its title, authors, and the places in
        a series its book_keys hold (`vol:`), not its ids (matching asks for those first, by themselves)."""
        return cls(title, tuple(authors), frozenset(key for key in keys if key.startswith(VOLUME_KEY)))


# A subtitle that says what kind of book it is, not which: dropped before titles are compared. (Compared
# without a leading article: `: A Novel` and `: Novel` are one label.) So is a subtitle that ends with
# `Edition` (`: Tenth Anniversary Edition`, `_EDITION_WORDS`).
GENERIC_SUBTITLES = (
    "a novel",
    "a novella",
    "a memoir",
    "a novel in stories",
    "stories",
    "short stories",
    "poems",
    "selected poems",
    "essays",
    "a play",
    "a thriller",
    "a mystery",
    "a romance",
    "a biography",
    "an autobiography",
    "a true story",
)
# A trailing parenthetical that names a series place, an edition or a publisher's label: `(Dune #1)`, `(The
# Hunger Games, Book 1)`, `[Saga, Vol. 2]`, `(French Edition)`, `(Movie Tie-In Edition)`, `(Penguin
# Classics)`, `(Illustrated)`, `(免费公版书)` (a Kindle store's "free public-domain book"), `(新潮文庫)`.
# Not a volume alone, which names a part of the title before it: `(Book 2)`, `(Vol. 2)`, `(Volume 1)` (and
# `(Part One)`, which no word here names) stay, and PART_MARKER keeps them apart from the work.
_TITLE_SUFFIX = pattern_when_used(
    r"\s*[(\[](?!\s*(?:book|vol\.?|volume|tome|band|livre|libro|no\.|number)\s*\d+\s*[)\]])[^()\[\]]*?"
    r"(?:#\s*\d[\d.]*|\b(?:book|vol\.?|volume|tome|band|livre|libro|number)\s*\d+|\bno\.\s*\d+|"
    r"\b(?:editions?|édition|edición|ausgabe|classics?|library|illustrated|annotated|unabridged|abridged|"
    r"large print|kindle|e-?book|audiobook|paperback|hardcover|hardback|reprint|public domain)\b|"
    r"版|译本|譯本|文庫|文库)[^()\[\]]*[)\]]\s*$",
    re.IGNORECASE,
)
_NUMBER = (
    r"(?:\d+|[ivx]+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    r"first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|final|last)"
)
# A volume alone in parentheses at a title's end (`(Book 2)`, `(Vol. 3)`, `(Part One)`): a part of the
# title before it, or the book of a series named like it (`The Hunger Games (Book 1)`): MAYBE that work.
_VOLUME_ALONE = pattern_when_used(
    rf"\s*[(\[]\s*((?:book|vol\.?|volume|tome|band|livre|libro|part)\s*{_NUMBER})\s*[)\]]\s*$", re.IGNORECASE
)


def without_volume(bare: str) -> str:
    """A bare title without a volume alone in parentheses at its end (title_stem looks the title up so)."""
    if not bare.endswith((")", "]")):
        return bare
    return _VOLUME_ALONE.sub("", bare).strip() or bare


# A part of a work or an adaptation of it: never the same work as the work itself (`It: Chapter Two`,
# `Dune: The Graphic Novel, Book 1`, `Saga, Vol. 2`, `The Hunger Games Trilogy`). Matched on the
# normalised title (after the series parenthetical is gone).
PART_MARKER = pattern_when_used(
    rf"\b(?:(?:book|vol|volume|part|chapter|tome|episode|issue|season)\s+{_NUMBER}|graphic novel|manga|"
    r"screenplay|box set|boxed set|omnibus|trilogy|complete series|complete collection)\b"
)
_ARTICLES = frozenset(["the", "a", "an"])
_SPLITS = pattern_when_used(r"\s*:\s*|\s+[-–—]\s+")


# === volumes: which book of a series a record is ===========================================================
# A place in a series comes from a title's trailing parenthetical (`(Saga, #2)`, `(The Hunger Games, Book
# 3)`, `(Study Skills Book 2)`, `[Saga, Vol. 2]`; a volume alone, `(Book 2)`, is a place in the series the
# title before it names), from the book's `series` field, or from an import row's `vol:` keys (book_keys:
# what a row parsed in a worker process carries of its series). Two records that place themselves in one
# series (its name compared as a title is) at different numbers are two books: same_work says NO, whatever
# their titles. `Book 2`, `#2`, `Vol. 2`, `Volume 2`, `Vol 2`, `Book Two` and `Book II` are one number;
# `#1-3` (an omnibus) is its own. A number on one side only decides nothing.
VOLUME_KEY = "vol:"
_ORDINALS = ["", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth",
             "tenth"]  # fmt: skip
_PLACE_NUMBER = (
    r"(?:\d+(?:\.\d+)?(?:\s*[-–—]\s*\d+(?:\.\d+)?)?|[ivxlc]+|one|two|three|four|five|six|seven|eight|nine|"
    r"ten|eleven|twelve|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth)"
)
_SERIES_PLACE = pattern_when_used(
    r"^(?P<name>.*?)[\s,]*(?:#\s*|\b(?:book|bk\.?|vol\.?|volume|tome|band|livre|libro|part|no\.?|number)\s*)"
    rf"(?P<number>{_PLACE_NUMBER})\s*$",
    re.IGNORECASE,
)
_LAST_BRACKET = pattern_when_used(r"[(\[](?P<inside>[^()\[\]]*)[)\]]\s*$")
_ROMAN = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100}


def place_number(text: str) -> str:
    """A place in a series as one string: `02` -> `2`, `Two` -> `2`, `II` -> `2`, `1 – 3` -> `1-3`."""
    number = "".join(text.casefold().split())
    if not number:
        return ""
    for dash in "–—":
        number = number.replace(dash, "-")
    if number in _ONES:
        return str(_ONES.index(number))
    if number in _TENS[2:]:
        return str(_TENS.index(number) * 10)
    if number in _ORDINALS:
        return str(_ORDINALS.index(number))
    if number and all(c in _ROMAN for c in number):
        total = 0
        for at, c in enumerate(number):
            value = _ROMAN[c]
            total += -value if at + 1 < len(number) and _ROMAN[number[at + 1]] > value else value
        return str(total)
    return "-".join(_no_zeros(n) for n in number.split("-"))


def _no_zeros(number: str) -> str:
    whole, dot, part = number.partition(".")
    return (whole.lstrip("0") or "0") + (dot + part.rstrip("0") if part.rstrip("0") else "")


@functools.lru_cache(maxsize=1 << 12)
def series_key(name: str) -> str:
    """A series' name as places are compared: as a title (`The Expanse` is `Expanse`), `Volume` as `Vol`,
    without a trailing `series` (`Study Skills Series` is `Study Skills`)."""
    key = _vol(title_key(name))
    return key[: -len(" series")] if key.endswith(" series") else key


@functools.lru_cache(maxsize=1 << 14)
def title_volumes(title: str) -> tuple[tuple[str, str], ...]:
    """The places in a series a title's trailing parentheticals name, as (series_key, place_number)."""
    found: list[tuple[str, str]] = []
    rest = title.strip()
    for _ in range(3):  # `Dune (Dune #1) (French Edition)`: a few parentheticals at most
        if not rest.endswith((")", "]")):
            break
        bracket = _LAST_BRACKET.search(rest)
        if bracket is None:
            break
        rest = rest[: bracket.start()].strip()
        for part in bracket["inside"].split(";"):
            place = _SERIES_PLACE.match(part.strip())
            if place is not None:
                name = place["name"].strip(" ,") or main_title(rest)
                key, number = series_key(name), place_number(place["number"])
                if key and number:
                    found.append((key, number))
    trailing = _trailing_place(rest)
    if trailing is not None:
        found.append(trailing[1:])
    return tuple(found)


# A place at the end of a title, out of parentheses: `Saga #2`, `Saga, Vol. 2`, `Saga Volume Two`, `Saga,
# Book II`, `Saga, Tome 2`, `Saga, No. 2` are the place `(Saga, #2)` names. After a name only, and at the very
# end: `Vol. II`, `#GIRLBOSS`, `Catch-22`, `Apollo 13`, `Saga #2: Part One`, `Lucky Number 7` name none. An
# omnibus's places are one place (`Saga, Vol. 1-3` is `(Saga, #1-3)`), never its first volume's.
_TRAILING_PLACE = pattern_when_used(
    r"^(?P<name>.*?\S)(?:\s+#\s*(?P<hash>\d+(?:\.\d+)?(?:\s*[-–—]\s*\d+(?:\.\d+)?)?)|,?\s+"
    r"(?:vol\.?|volume|book|tome|no\.)\s*"
    r"(?P<vol>\d+(?:\.\d+)?(?:\s*[-–—]\s*\d+(?:\.\d+)?)?|"
    r"x{1,2}(?:ix|iv|v?i{0,3})|ix|iv|v?i{1,3}|v|one|two|three|four|five|six|seven|eight|nine|ten|eleven|"
    r"twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty))\s*$",
    re.IGNORECASE,
)


def _trailing_place(title: str) -> tuple[str, str, str] | None:
    """The place at `title`'s end, out of parentheses, as (the name before it, series_key, place_number);
    None for most titles."""
    folded = title.casefold()  # (one of these, or `#`, in any title with a place: a scan in C each)
    if (
        "#" not in title
        and "vol" not in folded
        and "book" not in folded
        and "tome" not in folded
        and "no." not in folded
    ):
        return None
    place = _TRAILING_PLACE.match(title.strip())
    if place is None:
        return None
    name = place["name"]
    key, number = series_key(name), place_number(place["hash"] or place["vol"])
    return (name, key, number) if key and number else None


@functools.lru_cache(maxsize=1 << 12)
def volume_title(title: str) -> str | None:
    """A title that is a series' name and a place in it, however written (`Saga #2`, `Saga, Vol. 2`, `Saga
    (Saga, #2)`, `Saga Volume Two`): the one key they share (`saga vol 2`, which is how `Saga, Vol. 2` is
    compared); None for any other title (most: `Dune Messiah (Dune #2)` names a place but is no series'
    name)."""
    places = title_volumes(title)
    if len(places) != 1 or any(not marker.startswith("vol ") for marker in title_parts(title).markers):
        return None  # (a part is no volume: `Gormenghast (Part One)` is not `(Volume 1)`)
    key, number = places[0]
    name = _placed(title) or (trailing[0] if (trailing := _trailing_place(title)) else None)
    return f"{key} vol {number}" if name is not None and series_key(name) == key else None


def series_pairs(series: Iterable[dict[str, str]]) -> tuple[tuple[str, str], ...]:
    """A book's `series` field as (name, number) pairs, those with a number."""
    return tuple(
        (item["name"], str(item["number"])) for item in series if item.get("name") and item.get("number")
    )


def volume_keys(series: Iterable[tuple[str, str]]) -> list[str]:
    """The `vol:` keys of (name, number) pairs (book_keys gives a book's): `vol:saga#2`."""
    return [key for name, number in series if (key := _volume_key(name, number))]


@functools.lru_cache(maxsize=1 << 12)
def _volume_key(name: str, number: str) -> str:
    """(Kept per pair: an index build asks for every book's, and a series' books share a name.)"""
    key, place = series_key(name), place_number(number)
    return f"{VOLUME_KEY}{key}#{place}" if key and place else ""


def volumes_of_keys(keys: Iterable[str]) -> tuple[tuple[str, str], ...]:
    """The (series_key, number) pairs of a book's `vol:` keys."""
    pairs = []
    for key in keys:
        if key.startswith(VOLUME_KEY):
            name, _, number = key[len(VOLUME_KEY) :].rpartition("#")
            pairs.append((name, number))
    return tuple(pairs)


def has_volumes(work: Work) -> bool:
    """Does `work` place itself in a series (so that a candidate's own places matter)?"""
    return bool(work.series or title_volumes(work.title) or any(k.startswith(VOLUME_KEY) for k in work.keys))


def _places(work: Work) -> dict[str, set[str]]:
    places: dict[str, set[str]] = {}
    for key, number in title_volumes(work.title):
        places.setdefault(key, set()).add(number)
    for name, number in work.series:
        key, place = series_key(name), place_number(number)
        if key and place:
            places.setdefault(key, set()).add(place)
    for key, number in volumes_of_keys(work.keys):
        places.setdefault(key, set()).add(number)
    return places


def other_volume(a: Work, b: Work) -> bool:
    """`a` and `b` name one series at different places: two books of it (`Saga (Saga, #1)`, `Saga, #2`)."""
    pa = _places(a)
    if not pa:
        return False
    pb = _places(b)
    return any(key in pb and not (numbers & pb[key]) for key, numbers in pa.items())


def series_title_apart(a: Work, b: Work) -> bool:
    """One side places itself at a number other than 1 of a series named as the other side's own title,
    and the other side names no place: `Saga (Saga, #3)` (or a *Saga* whose `series` is Saga #3) and the
    journal's *Saga*, which may be the series or its first volume as the reader added it (or is placed only
    in a series named otherwise: *Dune* as Dune Chronicles #1 beside `Dune #2`): at most MAYBE
    one book. The book titled as its series is its first (*Dune (Dune #1)* is the journal's *Dune*), and
    a series named otherwise than the title decides nothing (*Dune Messiah (Dune #2)* is *Dune Messiah*)."""
    for x, y in ((a, b), (b, a)):
        placed = _places(x)
        if not placed:
            continue
        key = series_key(bare_title(y.title))
        # (y placed only in a series named otherwise, *Dune* as Dune Chronicles #1, names no place in this
        # one: `Dune #2`, `Symphony No. 9` are never it for that: review 29e #1, #2)
        if not _places(y).get(key) and _past_first(placed.get(key)):
            return True
    return False


def _past_first(numbers: set[str] | None) -> bool:
    """Places in a series named as a title that are not (all) its first: `#3`, `#1-3`, `#0`."""
    return bool(numbers) and numbers != {"1"}


# A numbered part a title names (its PART_MARKER, normalised: `Vol. 2`, `Volume Two`, `Book II` are `vol 2`).
_NUMBERED_PART = pattern_when_used(
    rf"^(?P<word>vol|part|chapter|tome|episode|issue|season)\s+(?P<number>{_NUMBER})$"
)


def _numbered_parts(title: str) -> dict[str, set[str]]:
    """The numbered parts a title names, by kind: `Saga, Vol. 2` -> {"vol": {"2"}}."""
    parts: dict[str, set[str]] = {}
    for marker in title_parts(title).markers:
        part = _NUMBERED_PART.match(marker)
        if part is not None:
            parts.setdefault(part["word"], set()).add(place_number(part["number"]))
    return parts


def names_a_place(title: str) -> bool:
    """Does `title` name a place of its own (a series' place in a trailing parenthetical, a numbered part)?
    Only then can another title contradict an ISBN (`by_id`): the cheap question asked first."""
    return bool(title_volumes(title) or _numbered_parts(title))


def titles_apart(a: str, b: str) -> bool:
    """Two titles that each name a place, and not the same one: a series at different numbers in their
    trailing parentheticals (`Saga (Saga, #1)` / `Saga (Saga, #2)`), or numbered parts of one kind at
    different numbers (`Saga, Vol. 1` / `Saga, Volume Two`; `It: Chapter One` / `It: Chapter Two`)."""
    if other_volume(Work(a), Work(b)):
        return True
    pa = _numbered_parts(a)
    if not pa:
        return False
    pb = _numbered_parts(b)
    return any(kind in pb and not (numbers & pb[kind]) for kind, numbers in pa.items())


def titles_other(a: str, b: str) -> bool:
    """Two titles that are not one title by the title rules (same_work of the titles alone): *Summer* and
    *Ethan Frome*; a translation (*Der Wüstenplanet* and *Dune*). A subtitle, a series' mark or an edition
    word on one side, case and punctuation are the same title (*Dune: Deluxe Edition*, *Dune (Dune #1)*), and
    so, beside an ISBN, is any trailing parenthetical: a series' name with no number (LibraryThing's
    *Fragments of an Anarchist Anthropology (Paradigm)*), which the title rules keep as part of the title."""
    if same_work(Work(a), Work(b)) is not Same.NO:
        return False
    bare_a, bare_b = _unbracketed(a), _unbracketed(b)
    return (bare_a, bare_b) == (a, b) or same_work(Work(bare_a), Work(bare_b)) is Same.NO


def _unbracketed(title: str) -> str:
    """`Title (Series) [Label]` -> `Title`: every trailing parenthetical or bracket gone (none left empty)."""
    title = title.strip()
    while title.endswith((")", "]")):
        opening = title.rfind("(" if title.endswith(")") else "[")
        if opening <= 0 or not title[:opening].strip():
            break
        title = title[:opening].rstrip()
    return title


def by_id(a: Work, b: Work, key: str) -> Same:
    """Two records that share the id `key`. A source id (`goodreads:…`, a service's own record of the book)
    is SURE one work, whatever the service calls it now (it renames and renumbers: *The Magician's Nephew*
    was Narnia #6, then #1). An ISBN is SURE too, unless the two titles name different volumes
    (`titles_apart`: *Saga, Vol. 2* with the ISBN of the journal's *Saga, Vol. 1*) or are other titles
    (`titles_other`: *Summer* with the ISBN of an audio omnibus the journal holds as *Ethan Frome*): an ISBN
    is typed by people and shared by box sets and omnibuses, so one of the two is wrong and readlog cannot
    tell which: MAYBE, never a guess (an import keeps the row as its own book and says so, `add` asks or
    refuses, `check` lists the pair). A `series` field does not outweigh an ISBN (services number series
    differently)."""
    if key.startswith("isbn:") and another_title(a.title, b.title):
        return Same.MAYBE
    return Same.SURE


def another_title(a: str, b: str) -> bool:
    """Two titles one ISBN does not make one book (by_id): another volume (titles_apart) or another title
    (titles_other). `readlog merge` of two such books sharing an ISBN keeps the merged one's edition apart,
    with its title, so an import finds its row there again (actions.merge._join_source)."""
    return titles_apart(a, b) or titles_other(a, b)


def isbn_titled_elsewhere(row: Work, holder: Work, titled: Iterable[Work]) -> bool:
    """A row whose ISBN one journal book holds (`holder`), while that book is not the row's title and another
    journal book (one of `titled`: the books titled like the row) surely is: *Dune Messiah* with the ISBN of
    the journal's *Dune*, beside the journal's *Dune Messiah*. An ISBN is typed by people: the ISBN says one
    book and the title another, so which is wrong is not known: MAYBE both, never a guess (an import keeps
    the row as its own book and names the two). With no book of its title, by_id decides (another title is
    a maybe there too: an omnibus's ISBN)."""
    if same_work(Work.named(row.title, row.authors), holder) is Same.SURE:
        return False
    return any(same_work(Work.named(row.title, row.authors), other) is Same.SURE for other in titled)


def _vol(key: str) -> str:
    """`volume`, `vol` and `book` before a number are one word in a title's key (`One Piece Volume 3` is `One
    Piece, Vol. 3`; `The Hunger Games (Book 1)` is `The Hunger Games (Volume 1)`), and the number after it
    is in digits, from a Roman numeral or a word up to twenty (`Saga, Vol. II`, `Saga, Volume Two` and `Saga,
    Book Two` are `Saga, Vol. 2`: place_number)."""
    if "volume" in key or "book " in key or "tome " in key:
        key = _VOLUME_WORD.sub("vol", key)
    if "vol " in key or "part " in key or "chapter " in key:
        return _VOLUME_NUMBER.sub(_volume_digits, key)
    return key


def _volume_digits(found: re.Match[str]) -> str:
    return f"{found[1]} {place_number(found[2])}"


_VOLUME_WORD = pattern_when_used(
    r"\bvolume\b|\b(?:book|tome)(?= (?:\d|[ivxlc]+\b|one\b|two\b|three\b|four\b|five\b|six\b|seven\b|"
    r"eight\b|nine\b|ten\b))"
)
# A volume's number in words or Roman numerals, up to twenty (`vol ii`, `vol twelve`, `vol xx`), or with
# zeros before it (`vol 02`)
_VOLUME_NUMBER = pattern_when_used(
    r"\b(vol|part|chapter) (0+\d+|(?:x{1,2}(?:ix|iv|v?i{0,3})|ix|iv|v?i{1,3}|v)|one|two|three|four|five|six|"
    r"seven|eight|"
    r"nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty)\b"
)
# Words title_stem stops before (a volume's word, however written: the stem finds every way)
_STEM_STOPS = frozenset(["vol", "volume", "book", "bk", "tome", "no", "part", "chapter"])


@functools.lru_cache(maxsize=1 << 14)
def bare_title(title: str) -> str:
    """`Dune (Dune #1)` -> `Dune`; `Les vaisseaux du coeur (French Edition)` -> `Les vaisseaux du coeur`.
    Kept per title, as title_parts is: an import asks for each row's twice (title_parts, title_stem)."""
    title = " ".join(title.split())
    while True:
        if not title.endswith((")", "]")):  # (what _TITLE_SUFFIX ends with: most titles, a scan in C)
            return title.strip()
        shorter = _TITLE_SUFFIX.sub("", title)
        if shorter == title or not shorter.strip():
            return title.strip()
        title = shorter


def title_and_places(title: str) -> tuple[str, tuple[tuple[str, str], ...]]:
    """A title as a book made from it is titled (bare_title), and the places in a series that the
    parentheticals bare_title drops name, as a `series` field's (name, number) pairs in the title's order:
    `Saga (Saga, #3)` -> (`Saga`, ((`Saga`, `3`),)); `Leviathan Wakes (The Expanse Book 1) (French Edition)`
    -> (`Leviathan Wakes`, ((`The Expanse`, `1`),)); `Guards! Guards! (Discworld, #8; City Watch, #1)` -> two.
    A book made so keeps its place, as an export's row's book does (importers.common.split_series): the
    journal's *Saga* at #3 is never taken for volume 1."""
    title = " ".join(title.split())
    places: list[tuple[str, str]] = []
    while title.endswith((")", "]")):
        suffix = _TITLE_SUFFIX.search(title)
        if suffix is None or not title[: suffix.start()].strip():
            break
        title = title[: suffix.start()].strip()
        inside = suffix[0].strip()[1:-1]
        found = []
        for part in inside.split(";"):
            place = _SERIES_PLACE.match(part.strip())
            if place is not None and (number := place_number(place["number"])):
                found.append((place["name"].strip(" ,") or main_title(title), number))
        places[:0] = found  # (the parenthetical nearer the title first)
    return title, tuple(places)


def device_series(
    title: str, device: Sequence[tuple[str, str]]
) -> tuple[tuple[tuple[str, str], ...], tuple[str, str, str] | None]:
    """A device's own series places (KOReader's `series`, Kobo's `Series`) with the places its title line
    names (title_and_places), as the book's (name, number) pairs, and a disagreement, if any, as (the
    series, the device's number, the title's). The device names a series without a number (`Saga` beside
    `Saga (Saga, #3)`): the title's number is its place. The two give different numbers: never a guess
    between them that would quietly file the highlights on another volume: the title's, which the reader
    sees, is kept, and the caller says so. A place of the title in a series the device does not name is
    kept beside the device's (`(Discworld, #8; City Watch, #1)`)."""
    if not device:
        return (), None
    titled = {series_key(name): (name, number) for name, number in title_and_places(title)[1]}
    # A title that is the series' name and a place (`Saga, Vol. 2`) names its place too: a Kobo saying
    # Saga #3 of it made one book of both volumes, volume 3's highlights then filed on it (try-out 33a #8).
    trailing = _trailing_place(title)
    placed = {trailing[1]: trailing[2]} if trailing is not None else {}
    pairs: list[tuple[str, str]] = []
    disagreement = None
    for name, number in device:
        key = series_key(name)
        _, own = titled.pop(key, (name, ""))
        own = own or placed.get(key, "")
        if own and number and place_number(number) != own:
            disagreement = (name, number, own)
        pairs.append((name, own or number))
    return (*pairs, *titled.values()), disagreement


def _key(text: str) -> str:
    """A title (or part of one) as the same-work rule compares it: `title_key` (without a leading article),
    `volume` as `vol`."""
    return _vol(title_key(text))


# A subtitle that ends with one of these names an edition, not a work (`: Tenth Anniversary Edition`).
_EDITION_WORDS = frozenset(["edition", "edicion", "ausgabe"])


@functools.cache
def _generic() -> frozenset[str]:
    return frozenset(_key(label) for label in GENERIC_SUBTITLES)


@dataclass_when_used(frozen=True)
class TitleParts:
    """A title cut into the parts the same-work rule compares (see title_parts)."""

    main: str  # keys: the main title, the real subtitle (None: none, or a generic label), both together
    sub: str | None
    whole: str
    markers: frozenset[str]
    # The parts again as another reading of the title may have them, which same_work takes at most for a
    # MAYBE: the first full stop read as a subtitle's colon (`How to Take Smart Notes. One Simple Technique`,
    # as Kobo writes it), a volume alone in parentheses read as a subtitle (`The Hunger Games (Book 1)`).
    others: tuple[TitleParts, ...] = ()
    # A title that is a series' name and a place at its end (`Saga, Vol. 3`, `Saga #3`, `Saga Volume Three`):
    # its name's parts, which same_work compares it by (its place is read apart: title_volumes), as `Saga
    # (Saga, #3)` is compared by `Saga` (bare_title). None for any other title (most).
    placed: TitleParts | None = None


_MARKER_HINTS = ("book", "vol", "part", "chapter", "tome", "episode", "issue", "season", "graphic", "manga",
                 "screenplay", "box", "omnibus", "trilogy", "complete", "no.")  # fmt: skip


def _plain(bare: str) -> bool:
    """A bare title of ASCII letters, digits and single spaces only (most titles): no subtitle, no `, The`,
    no `&` or apostrophe, and each word normalised is its lower case. title_parts and title_stem take a
    shorter way for it (about half the cost): an import asks for every row's while its main process reads."""
    return bare.isascii() and bare.replace(" ", "").isalnum()


@functools.lru_cache(maxsize=1 << 14)
def title_parts(title: str) -> TitleParts:
    """A title taken apart for the same-work rule."""
    bare = bare_title(title)
    if _plain(bare):  # (the steps below, without what cannot happen: tests/test_title_stem.py)
        key = _vol(bare.lower())  # its title_key with the article, and its normalised form
        main = _without_article(key)
        found = any(hint in key for hint in _MARKER_HINTS)
        marked = frozenset(m.group(0) for m in PART_MARKER.finditer(key)) if found else frozenset()
        placed = _placed_parts(bare, marked) if found else None  # (a place needs `vol` or `book`: hints)
        return TitleParts(main, None, main, marked, (), placed)
    head, *rest = _SPLITS.split(bare, maxsplit=1)
    main, sub, whole = _main_and_sub(head, rest[0] if rest else None, bare)
    folded = bare.casefold()
    markers: frozenset[str] = frozenset()
    hinted = any(hint in folded for hint in _MARKER_HINTS)
    if hinted:
        markers = frozenset(m.group(0) for m in PART_MARKER.finditer(_vol(normalize(bare))))
    others = []
    first, after = sentence_split(head)
    if after:  # the rest of the head, then what followed its colon, as the subtitle
        tail = f"{after} {rest[0]}" if rest else after
        others.append(TitleParts(*_main_and_sub(first, tail, bare), markers))
    volume = _VOLUME_ALONE.search(bare) if markers else None
    if volume is not None and volume.start() > 0:  # the title before it, with the volume as a subtitle
        work, label = title_parts(bare[: volume.start()]), _key(volume[1])
        if work.whole:
            named = f"{work.sub} {label}" if work.sub else label
            others.append(TitleParts(work.main, named, f"{work.main} {named}", work.markers))
    placed = _placed_parts(bare, markers) if hinted or "#" in bare else None  # (most titles: none asked)
    return TitleParts(main, sub, whole, markers, tuple(others), placed)


def _placed_parts(bare: str, markers: frozenset[str]) -> TitleParts | None:
    """TitleParts.placed of a bare title with these markers: the parts of the name before a place at its end
    (`_trailing_place`), when the title names no part but that volume (`Dune: The Graphic Novel, Book 1`
    is an adaptation, compared as it is written)."""
    if any(not marker.startswith("vol ") for marker in markers):
        return None
    trailing = _trailing_place(bare)
    return None if trailing is None else title_parts(trailing[0])


def _main_and_sub(head: str, rest: str | None, bare: str) -> tuple[str, str | None, str]:
    """The keys of a main title, its real subtitle (None: none, or a label) and both together."""
    head_key = _key(head)
    main = head_key or _key(bare)
    sub = _key(rest) if rest is not None and head_key else None
    if sub is not None and (not sub or sub in _generic() or sub.rsplit(" ", 1)[-1] in _EDITION_WORDS):
        sub = None  # a label, or an edition (`: Tenth Anniversary Edition`)
    return main, sub, (f"{main} {sub}" if sub else main)


# Words a full stop follows without ending a sentence: `Mr. Mercedes`, `Dr. No`, `St. Mawr`, `Vol. 2`, `No. 1
# Ladies' Detective Agency`. (An initial, `J. R. R. Tolkien`, and a word with a full stop inside, `U.S.`, are
# told by their shape.)
_ABBREVIATIONS = frozenset(
    ["mr", "mrs", "ms", "mme", "mlle", "messrs", "dr", "prof", "rev", "fr", "br", "sr", "jr", "st",
     "ste", "mt", "ft", "pt", "no", "nr", "nos", "vol", "vols", "bk", "ch", "chap", "pp", "op", "ed",
     "eds", "co", "corp", "inc", "ltd", "bros", "vs", "etc", "cf", "ca", "approx", "gen", "col",
     "capt", "lt", "sgt", "maj", "gov", "sen", "rep", "pres", "hon", "esq", "ave", "rd", "jan", "feb",
     "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"]
)  # fmt: skip
_FULL_STOP = pattern_when_used(r"(\S+)\.\s+(?=\S)")


def sentence_split(text: str) -> tuple[str, str]:
    """`text` cut at the first full stop that may end a sentence (a word of two letters or more that is no
    abbreviation, a space, then a word that does not start in lower case): `How to Take Smart Notes. One
    Simple Technique` -> (`How to Take Smart Notes`, `One Simple Technique`). (`text`, "") when none may."""
    if ". " not in text and ".\t" not in text and ".\u00a0" not in text:
        return text, ""
    for stop in _FULL_STOP.finditer(text):
        word = stop.group(1).strip("\"'“”‘’«»()[]¡¿")
        following = text[stop.end() :].lstrip("\"'“”‘’«»([¡¿")
        if (
            len(word) > 1
            and "." not in word
            and word.casefold() not in _ABBREVIATIONS
            and following
            and not following[0].islower()
        ):
            return text[: stop.start(1) + len(stop.group(1))].strip(), text[stop.end() :].strip()
    return text, ""


def main_key(title: str) -> str:
    """The key of a title's main part: what books that may be one work share (an index look-up narrows by
    its words)."""
    return title_parts(title).main


# Leading articles a stored title may start with (the index keeps titles normalised, articles and all).
_PREFIX_ARTICLES = ("", *(f"{article} " for article in sorted(ARTICLES)))
# `Hobbit, The` (compiled once, at its first use: an import asks for every row)
_TRAILING_ARTICLE = pattern_when_used(r",\s*(?:the|a|an)\s*$", re.IGNORECASE)


def title_prefixes(title: str) -> list[str]:
    """How the stored (normalised) title of any book that may be the same work as `title` starts, with or
    without a leading article: its main title's words, up to the first that the two spellings may write
    differently (an `and` or `&`, an apostrophe, a word ending in `s`: `handmaids` / `handmaid's`). An
    index narrows a journal to these few through its title index."""
    stem = title_stem(title)
    return [f"{article}{stem}" for article in _PREFIX_ARTICLES] if stem else []


def title_stem(title: str) -> str:
    """title_prefixes' words without any article ("" when there are none: nothing is like the title)."""
    bare = bare_title(title)
    if _plain(bare):
        return _plain_stem(bare)
    # (`Notes. One` as `Notes: One`; `Dune (Book 1)` as `Dune`)
    head = sentence_split(_SPLITS.split(without_volume(bare), maxsplit=1)[0])[0]
    head = _TRAILING_ARTICLE.sub("", head)
    kept: list[str] = []
    for token in head.split():
        if "&" in token or token.casefold() == "and":
            break
        cut = _APOSTROPHES.split(token, maxsplit=1)
        if not kept and len(cut) > 1 and cut[0].casefold() in ("l", "d") and cut[1]:
            cut = _APOSTROPHES.split(cut[1], maxsplit=1)  # L'Étranger: the elided article, then the word
        words = normalize(cut[0]).split()
        if not kept and len(words) == 1 and words[0] + " " in _PREFIX_ARTICLES and len(head.split()) > 1:
            continue  # a leading article: every article is tried below
        if kept and ((words and words[0] in _STEM_STOPS) or (token[:1] == "#" and token[1:2].isdigit())):
            break  # `Vol. 3`, `Volume 3`, `Book 3`, `#3`: written several ways
        if words and words[-1].endswith("s") and len(words[-1]) > 3:
            kept += [*words[:-1], words[-1][:-1]]
            break
        kept += words
        if len(cut) > 1:
            break
    return " ".join(kept)


def _plain_stem(bare: str) -> str:
    """title_stem of a `_plain` bare title: title_stem's steps without what cannot happen
    (tests/test_title_stem.py holds it to them)."""
    words = bare.lower().split()
    kept: list[str] = []
    for word in words:
        if word == "and":
            break
        if not kept and word + " " in _PREFIX_ARTICLES and len(words) > 1:
            continue  # a leading article (as below: so is a second one right after it)
        if kept and word in _STEM_STOPS:
            break
        if word.endswith("s") and len(word) > 3:
            kept.append(word[:-1])
            break
        kept.append(word)
    return " ".join(kept)


def same_work(a: Work, b: Work) -> Same:
    """SURE, MAYBE or NO (see the rule above)."""
    shared = a.keys & b.keys
    ids = sorted(key for key in shared if not key.startswith(VOLUME_KEY))  # (a shared place is no id)
    if ids:  # a shared ISBN or source id (a source id, when there is one, decides: by_id)
        return by_id(a, b, next((k for k in ids if not k.startswith("isbn:")), ids[0]))
    pa, pb = title_parts(a.title), title_parts(b.title)
    pa, pb = pa.placed or pa, pb.placed or pb  # (`Saga, Vol. 3` as `Saga (Saga, #3)`: one rule of places)
    if not pa.whole or not pb.whole:
        return _letterless_same(a, b) if not pa.whole and not pb.whole else Same.NO
    titles = _same_titles(pa, pb) if pa.markers == pb.markers else Same.NO
    if titles is Same.NO and (pa.others or pb.others):
        # Another reading of a title (TitleParts.others): at most MAYBE, since a title may be two sentences
        # (`Wait. What?`), a word this module takes for no abbreviation may be one, and `(Book 1)` may be
        # the first book of a series named like it or the first volume of the work.
        pairs = [(x, y) for x in (pa, *pa.others) for y in (pb, *pb.others) if x.markers == y.markers]
        if any(_same_titles(x, y) is not Same.NO for x, y in pairs):
            titles = Same.MAYBE
    if titles is not Same.SURE and (va := volume_title(a.title)) is not None and va == volume_title(b.title):
        titles = Same.SURE  # (`Saga #2`, `Saga, Vol. 2`, `Saga (Saga, #2)`: one volume, written three ways)
    if titles is Same.NO and (a.series or b.series):  # (most books have none: asked no further)
        return _series_volume(a, b)
    if titles is Same.NO or other_volume(a, b):
        return Same.NO
    if titles is Same.SURE and series_title_apart(a, b):
        titles = Same.MAYBE
    # The authors last: titles that are not one work's answer NO whatever they are, and comparing names
    # costs more (an import into an empty journal asks about two or three books like each row's title).
    if authors_compatible(a.authors, b.authors):
        return titles
    return Same.MAYBE if spelled_otherwise(a.authors, b.authors) else Same.NO


@functools.lru_cache(maxsize=1 << 14)
def title_ties(title: str) -> frozenset[str]:
    """What any two titles same_work may answer SURE or MAYBE about share, when neither side holds an id
    (no shared ISBN or source id: an import's row against a journal book as the index keeps it, Work.named
    and Work.of_row): the keys of every reading of the title (title_parts, and its `others`), its whole
    title, main title and subtitle. Titles whose ties are disjoint are NO: _same_titles answers SURE or
    MAYBE only of two readings whose wholes are one, whose mains are one, or where one's subtitle is the
    other's main title; two letterless titles both hold "" (their whole). So a caller that holds many books
    asks same_work only about those tied to the row (tests/test_title_ties.py holds it to same_work)."""
    parts = title_parts(title)
    ties = {parts.whole, parts.main}
    if parts.sub is not None:
        ties.add(parts.sub)
    readings = parts.others if parts.placed is None else (*parts.others, parts.placed, *parts.placed.others)
    for other in readings:  # (TitleParts.placed: `Saga, Vol. 2` is compared as `Saga`)
        ties.add(other.whole)
        ties.add(other.main)
        if other.sub is not None:
            ties.add(other.sub)
    volume = volume_title(title)  # (`Saga #2` is tied to `Saga, Vol. 2`, whose whole this is)
    if volume is not None:
        ties.add(volume)
    return frozenset(ties)


def book_ties(title: str, series: Sequence[tuple[str, str]] = ()) -> frozenset[str]:
    """title_ties of a book with its `series` field: a book known by its series alone (KOReader's `Saga`,
    Saga #2) is tied to its volume's title too (`Saga, Vol. 2`: series_volume_title), the one title besides
    its own that same_work compares it by (_series_volume). So the import's shortcut finds it for a row
    *Saga, Vol. 2*, as the row *Saga* with its series finds the journal's *Saga, Vol. 2*."""
    volume = series_volume_title(title, series) if series else None
    return title_ties(title) if volume is None else title_ties(title) | title_ties(volume)


def _series_volume(a: Work, b: Work) -> Same:
    """Two titles that are not one work's, one a book known by its series alone and the other a volume of
    it (`Saga`, Saga #2, and *Saga, Vol. 2*): MAYBE (series_volume_title). Else NO."""
    for x, y in ((a, b), (b, a)):
        volume = series_volume_title(x.title, x.series) if x.series else None
        if volume is not None and same_work(Work(volume, x.authors), Work(y.title, y.authors)) is Same.SURE:
            return Same.MAYBE
    return Same.NO


def _known(authors: Sequence[str]) -> bool:
    return any(name.strip() for name in authors)


def authors_one_sided(a: Sequence[str], b: Sequence[str]) -> bool:
    """One side names its authors and the other none: by the title alone, nobody can say whose book the
    authorless one is (King's *The Stand*, Doe's, or neither), so such a pair is at most MAYBE whichever
    side has them and whichever came first: two books of the journal (same_in_journal), `add` and `next
    add` of a book (same_either_way), an import's row against a journal book (unless that book holds the
    source's own record of the row)."""
    return _known(a) != _known(b)


def same_either_way(a: Work, b: Work) -> Same:
    """A book about to be added against one in the journal: `same_work`, except that one with authors and
    one with none are at most MAYBE by their title (authors_one_sided; a shared ISBN or id stays SURE), and
    so are a series' name alone and a volume of it (*Saga* and *Saga, Vol. 1*: _series_beside_volume)."""
    answer = same_work(a, b)
    if answer is not Same.SURE or not (
        authors_one_sided(a.authors, b.authors) or _series_beside_volume(a, b)
    ):
        return answer
    return answer if {key for key in a.keys & b.keys if not key.startswith(VOLUME_KEY)} else Same.MAYBE


def _series_beside_volume(a: Work, b: Work) -> bool:
    """One titled by a series' name alone, with no place of its own (no `series` number), and the other a
    volume of that series and nothing more (a_volume_named): which volume the first is, nobody said (`add
    "Saga"` beside *Saga, Vol. 1*; the *Saga* a Kindle file made beside it: `check` lists it as a maybe)."""
    return any(
        a_volume_named(y.title, x.title) and not any(key.startswith(VOLUME_KEY) for key in x.keys)
        for x, y in ((a, b), (b, a))
    )


def same_in_journal(a: Work, b: Work) -> Same:
    """Two books already in the journal (`check`): `same_work`, except that a book with no authors and one
    with some are at most MAYBE by their title (a shared id stays SURE). The title alone cannot say whose
    book an authorless *The Stand* is, King's or Doe's: it is a maybe of each, and which (if any), the
    reader says. Two books by different people are never one (`same_work` says NO). Two titles that differ
    only in case or accents (*It* and *IT*, *Les Misérables* and *Les Miserables*) are MAYBE too: `add`
    refuses the second unless the reader says `--new` (the case typed names each: the query policy)."""
    answer = same_either_way(a, b)
    if answer is not Same.SURE:
        return answer
    if {key for key in a.keys & b.keys if not key.startswith(VOLUME_KEY)}:
        return answer
    if _as_written(a.title) != _as_written(b.title) and _unaccented(a.title) == _unaccented(b.title):
        return Same.MAYBE
    return answer


def added_apart(a: Work, b: Work, one_row: Callable[[], bool] | None = None) -> str | None:
    """Why two versions of one book file that were each added on their own (a sync's add/add: two devices
    added a book under one slug, no common version) are two books, to keep apart (None: one book, added on
    both devices by its reader, to merge field by field). Only a sure answer of `same_in_journal` joins
    them: books by different people are never one, and a maybe (one side with no authors, a title that
    differs in case) is not guessed either way: kept as two, which `check` lists and `merge` joins. Unless
    both hold one source's own record of one export row (`one_row()`, importers.merge.one_row: asked only
    then): that row's book, whatever spelling of one person the reader gave it on either device since
    (`respelled`; one_row answers no of two people's books, or of two ids of one service's, `ids_apart`)."""
    answer = same_in_journal(a, b)
    if answer is Same.SURE or (one_row is not None and one_row()):
        return None
    if answer is Same.MAYBE:
        return "maybe one book, which `readlog check` lists for the reader to say"
    return plainly_apart(a, b) or "different titles"


def _as_written(title: str) -> str:
    import unicodedata

    return " ".join(unicodedata.normalize("NFC", title).split())


def plainly_apart(a: Work, b: Work) -> str | None:
    """Why two books are plainly not one work, for `merge` to ask before joining them (None: they may be
    one). Authors known on both sides with no person in common are two works whatever the titles (two
    *The Stand*s by King and by Doe); a title that changes (a translation, an edition's subtitle, another
    volume of one series: `merge saga-vol-1 saga-vol-2`) is no reason by itself, the author is. Titles of
    one work by a name that may be one person spelled another way are not plainly two (respelled_pair:
    the maybe `check` lists, which `merge` asks about too); with titles of two works they are, whoever the
    names are (*Collected Poems* by Joan Smith, *A History of Rome* by John Smith: review 27a #1)."""
    if not _apart_by_authors(a, b):
        return None
    people = f"by {', '.join(a.authors)} / by {', '.join(b.authors)}"
    if same_work(Work(a.title), Work(b.title)) is Same.NO:
        return f"different titles and different authors ({people})"
    if spelled_otherwise(a.authors, b.authors):
        return None
    return f"different authors ({people})"


def respelled_pair(a: Work, b: Work) -> bool:
    """Two books of one work's titles whose authors share no person, yet a name of each may be one person
    spelled another way (spelled_otherwise: *The Stand* by Steven King and by Stephen King; *Home* by Joan
    Smith and by John Smith, two people): a maybe, which `merge` asks about on a terminal and refuses in a
    script (`--force`), and which, joined, keeps the first book's spelling (said). Not with a shared ISBN or
    source id (one edition: plainly_apart's None)."""
    return (
        _apart_by_authors(a, b)
        and same_work(Work(a.title), Work(b.title)) is not Same.NO
        and spelled_otherwise(a.authors, b.authors)
    )


def _apart_by_authors(a: Work, b: Work) -> bool:
    """Authors known on both sides, no person in common, and no ISBN or source id shared (one edition,
    whoever typed its authors which way)."""
    if not (_known(a.authors) and _known(b.authors)) or authors_agree(a.authors, b.authors):
        return False
    return not any(not key.startswith(VOLUME_KEY) for key in a.keys & b.keys)


def _letterless_same(a: Work, b: Work) -> Same:
    """Two titles with no letters or digits (`.`, `😀`): the same as typed (`exact_title`), by compatible
    authors, MAYBE one work (never more: `?` is what an app writes for a title it does not know)."""
    exact = exact_title(a.title)
    if exact and exact == exact_title(b.title) and authors_compatible(a.authors, b.authors):
        return Same.MAYBE
    return Same.NO


def _same_titles(pa: TitleParts, pb: TitleParts) -> Same:
    """The titles' part of the rule: the same whole (SURE); the same main title where one side only has a
    subtitle, or one side's subtitle the other's whole title (MAYBE); else NO."""
    if pa.whole == pb.whole:
        return Same.SURE
    if pa.main == pb.main and (pa.sub is None) != (pb.sub is None):
        return Same.MAYBE
    if (pa.sub is not None and pb.sub is None and pa.sub == pb.main) or (
        pb.sub is not None and pa.sub is None and pb.sub == pa.main
    ):
        return Same.MAYBE  # `Series: Title` and `Title`
    return Same.NO


# --- authors: one person, written two ways ----------------------------------------------------------------
# Compatible: the same name in full; `Last, First`; initials in any spacing (`J.R.R.`, `J. R. R.`, `JRR`)
# against the names they stand for; without diacritics, titles and suffixes (`M.D.`, `PhD`, `Jr.`, `Dr.`);
# the surname alone when one side gives only the surname; a middle name or initial on one side only.
# Two different given names with one surname (`Frank Herbert` / `Brian Herbert`) are two people.
_NAME_EXTRAS = frozenset(
    ["jr", "sr", "ii", "iii", "iv", "md", "phd", "dphil", "esq", "dr", "mr", "mrs", "ms", "prof", "sir"]
)


# Words a surname may start with: `Le Guin` alone is a surname, `Ann Evans` is not.
_SURNAME_PARTICLES = frozenset(
    [
        "le",
        "la",
        "de",
        "du",
        "des",
        "da",
        "di",
        "del",
        "della",
        "van",
        "von",
        "der",
        "den",
        "ter",
        "ten",
        "mac",
        "mc",
        "st",
        "saint",
        "al",
        "el",
        "bin",
        "ibn",
    ]
)


def _extra(part: str) -> bool:
    return normalize(part).replace(" ", "") in _NAME_EXTRAS


@functools.lru_cache(maxsize=1 << 14)
def name_tokens(name: str) -> tuple[str, ...]:
    """A person's name as words, given names first: `Tolkien, J.R.R.` -> ('j', 'r', 'r', 'tolkien')."""
    parts = [p.strip() for p in name.split(",")]
    parts = [p for p in parts if p and not _extra(p)]
    text = f"{parts[1]} {parts[0]}" if len(parts) == 2 else " ".join(parts)
    raw = text.split()
    shouting = text.upper() == text
    tokens: list[str] = []
    for number, word in enumerate(raw):
        if _extra(word):
            continue
        letters = re.sub(r"\W", "", word)
        if not shouting and 2 <= len(letters) <= 3 and letters.isupper() and number < len(raw) - 1:
            tokens.extend(letters.lower())  # `JRR Tolkien`
        else:
            tokens.extend(normalize(_ascii(word)).split())
    return tuple(tokens)


def _ascii(word: str) -> str:
    """`Stanisław` -> `Stanislaw` (ł has no accent to take off); other scripts as they are."""
    if word.isascii():
        return word
    from anyascii import anyascii

    return "".join(anyascii(c) if "\u00c0" <= c <= "\u024f" else c for c in word)


def _token_ok(a: str, b: str) -> bool:
    return a == b or (len(a) == 1 and b.startswith(a)) or (len(b) == 1 and a.startswith(b))


def _givens_ok(short: Sequence[str], long: Sequence[str]) -> bool:
    """Every given name of `short` stands for one of `long`, in order; a name of `long` may be left out if
    it is an initial, or comes after the first one matched (a middle name)."""
    at, matched = 0, False
    for word in long:
        if at < len(short) and _token_ok(short[at], word):
            at, matched = at + 1, True
        elif not (len(word) == 1 or matched):
            return False
    return at == len(short)


def same_person(a: str, b: str) -> bool:
    x, y = name_tokens(a), name_tokens(b)
    if not x or not y:
        return False
    if x == y or sorted(x) == sorted(y):  # `Кори Джеймс`: the surname first, without a comma
        return True
    short, long = sorted((x, y), key=len)
    if (
        len(short) < len(long)
        and long[len(long) - len(short) :] == short
        and all(word in _SURNAME_PARTICLES for word in short[:-1])
    ):
        return True  # the surname alone (`Herbert`, `Le Guin`, `van Gogh`)
    if x[-1] != y[-1]:
        return False
    gx, gy = sorted((x[:-1], y[:-1]), key=len)
    return _givens_ok(gx, gy)


def named_in_full(name: str) -> bool:
    """More than a surname and initials: two words of a name that are neither an initial nor a particle
    (`Ursula K. Le Guin`, `Кори Джеймс`; not `King`, `J. Smith`, `van Gogh`). same_person matches a name
    such as `King` to every King: a sync joins two spellings as one person only when both are in full."""
    return sum(len(word) > 1 and word not in _SURNAME_PARTICLES for word in name_tokens(name)) >= 2


def respelled(a: Sequence[str], b: Sequence[str]) -> bool:
    """Authors on both sides that may be one person spelled two ways: one person (same_person), or a name
    of each with as many words, each the other's or, both of six letters or more, within a typo of it
    (`Steven King`, `Stephen King`; `Tolkein`, `Tolkien`; not `Anne Sexton`, `Sylvia Plath`, nor `Anne
    Brontë`, `Charlotte Brontë`, nor a short name a letter apart: `Joan Smith`, `John Smith` are two people:
    review 26d). What lets a source's own record of a row join a book (an import, a sync): strict."""
    return any(
        same_person(x, y) or _near_name(name_tokens(x), name_tokens(y), 6)
        for x in a
        if x.strip()
        for y in b
        if y.strip()
    )


def spelled_otherwise(a: Sequence[str], b: Sequence[str]) -> bool:
    """Authors on both sides, no one person among them (authors_agree), that may yet be one person written
    another way: what makes a title's SURE or MAYBE a MAYBE (same_work), asked on a terminal, refused in a
    script, kept apart by an import and listed by `check`, never a join. Looser than `respelled`, since a
    maybe only asks: a name of each with as many words, each the other's or within a typo of it (the title
    finder's: one edit in a word of three to five letters, two beyond, none in an initial: `Tony`/`Toni
    Morrison`, `Dostoyevsky`/`Dostoevsky`; so `Joan`/`John Smith` are asked about too, and kept apart); or
    the same name spaced otherwise (`LeGuin`/`Le Guin`, `Annemarie`/`Anne Marie`: a surname's particle
    written joined, with or without a middle initial). Not `Frank`/`Brian Herbert`, `Anne`/`Charlotte
    Brontë`, nor a name of another length (`Stephen King`/`Stephen R. Kong`)."""
    return any(_otherwise(x, y) for x in a if x.strip() for y in b if y.strip())


def _otherwise(x: str, y: str) -> bool:
    tx, ty = name_tokens(x), name_tokens(y)
    if not tx or not ty:
        return False
    if "".join(tx) == "".join(ty) or _near_name(tx, ty, 3):
        return True
    jx, jy = _particles_joined(tx), _particles_joined(ty)  # (`Ursula LeGuin`, `Ursula K. Le Guin`)
    return (jx != tx or jy != ty) and same_person(" ".join(jx), " ".join(jy))


def _particles_joined(tokens: tuple[str, ...]) -> tuple[str, ...]:
    """A name's words with a surname's particle joined to the word after it: `le guin` -> `leguin`."""
    joined: list[str] = []
    glue = False  # (after a particle: `de la cruz` -> `delacruz`)
    for word in tokens:
        if glue:
            joined[-1] += word
        else:
            joined.append(word)
        glue = word in _SURNAME_PARTICLES
    return tuple(joined)


def _near_name(tx: Sequence[str], ty: Sequence[str], shortest: int, edits: int | None = None) -> bool:
    """Two names (or titles) of as many words, each the other's or within a typo of it where both are
    `shortest` letters or more (`edits`, else `_allowed_edits` of the shorter word: the same answer either
    way round); a word with a digit is never a typo of another (*2001* and *3001*)."""
    from rapidfuzz.distance import OSA

    def near(p: str, q: str) -> bool:
        if p == q:
            return True
        if min(len(p), len(q)) < shortest or any(c.isdigit() for c in p + q):
            return False
        limit = _allowed_edits(min(p, q, key=len)) if edits is None else edits
        return OSA.distance(p, q, score_cutoff=limit) <= limit

    return len(tx) == len(ty) > 0 and tx != ty and all(near(p, q) for p, q in zip(tx, ty, strict=True))


def title_typo(a: Work, b: Work) -> bool:
    """A book typed by hand (`add`, `next add`, `start TITLE --author`) against a journal book that
    same_work answers NO about: one person among their authors (authors_agree: both known), and titles a
    typo apart (`title_key`, article left out: as many words, all the other's but one, and that one a
    single edit off, a swap of two letters counting as one; never in a word of one or two letters or with a
    digit): *Dune Mesiah*, *Dune Messaih* beside Herbert's *Dune Messiah*, *Rivers of Londin*. A maybe:
    `add` asks, and refuses in a script. Not `It` and `If`, `Richard II` and `Richard III`, *2001* and
    *3001*, *Leviathan Wakes* and *Leviathan Falls*, Sandford's *Silent Prey* and *Silken Prey* (two edits:
    two novels of one series, review 27a #5), nor a title with a word more (`Dune` and `Dune Messiah`).
    Only for what a reader types: an export's titles are a catalogue's, and an import keeps a row it is not
    sure of as its own book either way."""
    if not authors_agree(a.authors, b.authors):
        return False
    x, y = title_key(a.title).split(), title_key(b.title).split()
    if len(x) != len(y):
        return False
    differ = [(p, q) for p, q in zip(x, y, strict=True) if p != q]
    return len(differ) == 1 and _near_name([differ[0][0]], [differ[0][1]], 3, edits=1)


def typo_prefixes(title: str) -> list[str]:
    """How the stored title of a book whose title `title` may be a typo of starts (title_typo): the first
    two letters of its key, after any leading article (a typo in them is not looked for). None for a title
    of one word of one or two letters, which has no typo (`It`, `If`: two books)."""
    key = title_key(title)
    if len(key) < 3:
        return []
    return [f"{article}{key[:2]}" for article in _PREFIX_ARTICLES]


def recorded_as(recorded: Sequence[str], authors: Sequence[str]) -> bool:
    """A source's record of an export row (its provenance: the authors the row named when imported) names
    these `authors`: the same people, name for name, as the index stores names (case, accents, spacing
    aside). So a row's book is found by its record whatever authors the reader gave the book since (`It`
    by Richard Bachman, made Stephen King's), and another row of the title is never taken for it because
    its author's name is a letter from the book's (*Selected Poems* by Robert Powell, the journal's by
    Robert Lowell: try-out 27b)."""
    ours = {stored_name(name) for name in recorded if name.strip()}
    return bool(ours) and ours == {stored_name(name) for name in authors if name.strip()}


def authors_compatible(a: Sequence[str], b: Sequence[str]) -> bool:
    """No authors on one side (unknown), or one person on both."""
    a, b = [n for n in a if n.strip()], [n for n in b if n.strip()]
    if not a or not b:
        return True
    return authors_agree(a, b)


def authors_agree(a: Sequence[str], b: Sequence[str]) -> bool:
    """Authors known on both sides, and one person among them."""
    return any(same_person(x, y) for x in a for y in b)


def work_lead(title: str) -> str:
    """A title's first word (after an article), lower-case, its letters and digits only: two titles of one
    work_stem as readers write them share it (`homo` of *Homo Deus* and *Homo Deus: A History of
    Tomorrow*), so `next --suggest` asks work_stem only of books that do (a string method or two each)."""
    words = title.lower().split(None, 1)
    if len(words) > 1 and words[0] in ARTICLES:
        words = words[1:]
    found = _LEAD.search(words[0]) if words else None
    return found[0] if found else ""


_LEAD = pattern_when_used(r"[^\W_]+")


def work_stem(title: str) -> str:
    """A title's main title as the same-work rule reads it (title_parts' `main`: `homo deus` of *Homo Deus:
    A History of Tomorrow* and of *Homo Deus*): books of one stem and one author are the only ones
    `maybe_itself` need ask about. A plain title's (`_plain_unmarked`: no subtitle, no place) is its work
    key, without title_parts (10,000 want books: 0.2 s)."""
    if _plain_unmarked(title):
        return _without_article(" ".join(title.lower().split()))
    return title_parts(title).main


def maybe_itself(title: str, authors: Sequence[str], other: str, others: Sequence[str]) -> bool:
    """Whether a book (or pick) of `title` by `authors` may be the book `other` by `others`: the same-work
    rule says SURE or MAYBE (a pick *Homo Deus* and the reader's *Homo Deus: A History of Tomorrow*).
    `next --suggest` never counts a book the reader read as evidence for a want book it may be."""
    return same_either_way(Work.named(title, authors), Work.named(other, others)) is not Same.NO


def person_key(name: str) -> str:
    """The key a reader's books by one person are gathered under (`next --suggest` groups a history by
    author with it): the same person's name in either order gives one key."""
    return " ".join(sorted(name_tokens(name)))


def person_keys(names: Iterable[str]) -> dict[str, str]:
    """Of these names (one list's, each as the index stores it, stored_name: `next`'s picks), each that
    stands for another of them, with the person_key it is gathered under: a surname with initials only (`K.
    Ishiguro`, `Ishiguro, K.`) is the one person among them named in full with that surname and given names
    the initials start, in order (`Kazuo Ishiguro`, `Ishiguro, Kazuo`); of two such people (`Jane Smith`
    and `John Smith` for `J. Smith`) it is neither, kept apart. A stored name has lost its comma: a name in
    full is read given names first (its surname last: `C. Lewis` is not *Lewis Carroll*, nor `J. Smith`
    *Smith Jones*: review 29a #3), or surname first too beside an initialed name written so (`Ishiguro,
    K.` and `Ishiguro, Kazuo`: one way of writing names in one list). For gathering a list's items only,
    never to join two books: a letter is no proof of one person (`J. Smith`'s *Home* may be John Smith's)."""
    unique = dict.fromkeys(names)
    initialed: list[tuple[str, str, bool, list[str]]] = []  # (name, its surname, surname first, initials)
    for name in unique:
        if any(len(word) == 1 for word in name.split()):  # (most names have no initial: not parsed)
            tokens = name_tokens(name)
            words = [word for word in tokens if len(word) > 1]
            if len(words) == 1 and len(tokens) > 1 and words[0] in (tokens[0], tokens[-1]):
                first = tokens[0] == words[0]
                initialed.append((name, words[0], first, [word for word in tokens if len(word) == 1]))
    surnames = {last for _, last, _, _ in initialed}
    in_full: dict[tuple[str, bool], set[str]] = {}  # (a surname, first) -> the names in full holding it so
    for name in unique if surnames else ():
        if not surnames.isdisjoint(name.split()):
            tokens = name_tokens(name)
            if sum(len(word) > 1 for word in tokens) > 1:
                for first, word in ((True, tokens[0]), (False, tokens[-1])):
                    if word in surnames:
                        in_full.setdefault((word, first), set()).add(name)
    found = {}
    for name, last, first, initials in initialed:
        people = set()
        for begins in (False, True) if first else (False,):
            for full in in_full.get((last, begins), ()):
                tokens = name_tokens(full)
                if _givens_ok(initials, tokens[1:] if begins else tokens[:-1]):
                    people.add(person_key(full))
        if len(people) == 1:
            found[name] = people.pop()
    return found


def names_author(typed: str, authors: Sequence[str]) -> bool:
    """`typed` (a full name, a surname, initials) names one of `authors`."""
    return any(same_person(typed, name) for name in authors)


def slug_is_by(typed: Sequence[str], authors: Sequence[str]) -> bool:
    """A book named by its slug, with authors typed beside it (`add the-stand -a "Stephen King" --reread`):
    the slug names it unless its authors are others (an authorless book's are not: whose it is, nobody
    said, and the slug was given)."""
    return not authors or not typed or any(names_author(name, authors) for name in typed)


# =========================================================================================================
# HIGHLIGHT: which journal book a clipping (or a device's note) belongs to. The one book that is surely the
# same work (SURE above): a clipping titled exactly like a journal book goes there, whatever MAYBE it has
# with others. None is sure, or several are (`Twilight` with no author, and two Twilights): no book.
# =========================================================================================================
def highlight_book(title: str, authors: Sequence[str], candidates: Iterable[Candidate]) -> Candidate | None:
    return highlight_books(title, authors, candidates)[0]


def series_volume_title(title: str, series: Sequence[tuple[str, str]]) -> str | None:
    """A book known by its series alone (KOReader's `title = "Saga"`, `series = "Saga #2"`: the title is the
    series' name): the title a volume of it has in a journal (`Saga, Vol. 2`), to find the books it may be.
    Only MAYBE (its title names no volume; the device may have its series wrong): kept, and said."""
    for name, number in series:
        if number and series_key(name) == series_key(title):
            return f"{title}, Vol. {number}"
    return None


def highlight_books(
    title: str,
    authors: Sequence[str],
    candidates: Iterable[Candidate],
    series: Sequence[tuple[str, str]] = (),
    written: Callable[[str], bool] | None = None,
) -> tuple[Candidate | None, list[Candidate]]:
    """`highlight_book`'s answer, and where it is None the books the clippings only maybe belong to (several
    sure ones, or MAYBE: the full title of a book with its subtitle, say), each once, for a warning: the
    import keeps them as a book of their own, as an export's row is kept, and says so. `series`: the
    device's (name, number) of the book, when it gives one (KOReader): a book known by its series alone
    (`Saga`, Saga #2) may be the journal's *Saga, Vol. 2* (series_volume_title). `written(slug)`: whether
    the book holds clippings of this title line from this device already (nearest_sure: of true
    duplicates, the copy an earlier import kept apart)."""
    clip = Work.named(title, authors, series)
    sure: dict[str, Candidate] = {}
    maybe: dict[str, Candidate] = {}
    for candidate in candidates:
        answer = same_work(clip, Work.named(candidate.title, candidate.authors, candidate.series))
        if answer is Same.SURE:
            sure.setdefault(candidate.slug, candidate)
        elif answer is Same.MAYBE:
            maybe.setdefault(candidate.slug, candidate)
    if not title_volumes(title) and not any(number for _, number in series):
        for slug in [slug for slug, c in sure.items() if a_volume_named(c.title, title)]:
            maybe = {slug: sure.pop(slug), **maybe}
    near = nearest_sure(title, authors, list(sure.values()), written)
    if len(near) == 1:
        return near[0], []
    return None, [*sure.values(), *(c for slug, c in maybe.items() if slug not in sure)]


def a_volume_named(volume: str, title: str) -> bool:
    """`volume` is a place in a series named `title` and nothing more, the place written in the title itself
    (`Saga, Vol. 1`, `Saga #1`, `Saga: Volume One` beside `Saga`): a clipping titled by the series' name
    alone does not say which volume it is (a file may hold Vol. 2 while the journal has only Vol. 1), so
    highlight_books is never sure of it. A series' mark in brackets is no such title (`Gilead (Gilead #1)`,
    `Saga (Saga, #1)`: the book *Gilead*, with its place beside it; a number on one side decides nothing)."""
    trailing = _trailing_place(volume)
    return trailing is not None and volume_title(volume) is not None and trailing[1] == series_key(title)


def volumes_apart(a: str, b: str) -> tuple[str, str] | None:
    """Two titles a MAYBE joins that name different places in a series, or one a place and the other none
    (`Make It Stick: Book Three` and *Make It Stick*): what each names (`volume 3`, `no volume`), for the
    question that offers one as the other, which says so; None when they name the same (most: none)."""
    mine, theirs = ({number for _, number in title_volumes(t)} for t in (a, b))
    if mine == theirs:
        return None

    def named(numbers: set[str]) -> str:
        return f"volume {', '.join(sorted(numbers))}" if numbers else "no volume"

    return named(mine), named(theirs)


def rows_one_book(a: Work, b: Work) -> Same:
    """Two rows of one export (or two title lines of one highlights file): SURE, they are one book (joined
    as editions). A row with no author beside one with authors is at most MAYBE: `same_work`'s "no author
    on one side, the title decides" is for a journal book, and two rows of one file with one title are
    as likely two books (King's *The Stand* and an authorless *The Stand*): kept apart, and said."""
    answer = same_work(a, b)
    if answer is Same.SURE and bool(a.authors) != bool(b.authors):
        return Same.MAYBE
    return answer


def nearest_sure(
    title: str,
    authors: Sequence[str],
    sure: Sequence[Candidate],
    written: Callable[[str], bool] | None = None,
) -> list[Candidate]:
    """Of several books that are surely a record's work (an export's row, a clipping's title line), the ones
    nearest it: those with authors for a record with authors, those with none for a record with none (when
    any: alike_in_authors); then the one its title names as typed, by the query policy's rule (exact_first,
    as `add` names it: the case decides, accents given decide, accents left out do not: *Les Miserables*
    with *Les Misérables* and *Les Miserables* in the journal is a maybe of both). So a record once kept as
    a book of its own (a maybe: *The Stand* with no author, beside King's and Doe's) finds that book again
    next time, and King's *The Stand* finds King's, as `add` does, rather than making `-2`, `-3`... Of books
    still alike (true duplicates: two files of one book), the one `written(slug)` says the record's source
    wrote before (an import's own copy, kept apart from them last time: found again, never a copy per
    import), when they are by the same people (_by_the_same). Two books left are still not sure (no
    guess)."""
    if len(sure) < 2:
        return list(sure)
    near = alike_in_authors(authors, sure, lambda c: c.authors)
    if len(near) > 1:
        near = list(exact_first(title, near))
    if len(near) > 1 and written is not None and all(_by_the_same(near[0], c) for c in near[1:]):
        mine = [c for c in near if written(c.slug)]
        near = mine if len(mine) == 1 else near
    return near


def _by_the_same(a: Candidate, b: Candidate) -> bool:
    """Two books of one title by the same people (or both by nobody known): copies of one book, which
    only where a record went before can tell apart (Meyer's and Cabot's *Twilight* are two books: never)."""
    return _known(a.authors) == _known(b.authors) and (
        not _known(a.authors) or authors_agree(a.authors, b.authors)
    )


def one_highlight_book(
    a_title: str,
    a_authors: Sequence[str],
    b_title: str,
    b_authors: Sequence[str],
    a_series: Sequence[tuple[str, str]] = (),
    b_series: Sequence[tuple[str, str]] = (),
) -> bool:
    """Two title lines of one file that are one book (their clippings are gathered together)."""
    a, b = Work.named(a_title, a_authors, a_series), Work.named(b_title, b_authors, b_series)
    return same_work(a, b) is Same.SURE


# =========================================================================================================
# PICK: the journal book a read-next pick names. The same title, compared as the index stores titles
# (`pick_title_key`: the queue joins picks and books on it), and, when the pick gives authors, one person in
# common with the book's (`same_person`, on the names as given or as the index keeps them): a pick of Doe's
# *The Stand* is never an authorless file of that title (whose book it is, nobody said). A pick with no
# authors names any book of its title.
# =========================================================================================================
@functools.lru_cache(maxsize=1 << 12)
def stored_title(title: str) -> str:
    """A title as the index stores it (`norm_title`), and sorts and hashes it: normalised, nothing more. Kept
    per title, as stored_name is: an import's parsing worker asks for each row's title four times (its books
    row, its lookup keys' typed key, what TitlesLike holds it under, its series key), once normalised."""
    return normalize(title)


@functools.lru_cache(maxsize=1 << 12)
def stored_name(name: str) -> str:
    """An author's name as the index stores it (`norm_authors`, the names table). Kept per name: an index
    build stores the same authors' names again and again (a pure function: the same answer)."""
    return normalize(name)


def name_for_slug(name: str) -> str:
    """The part of an author's name a second book's slug takes: `Kazuo Ishiguro` -> `Ishiguro`."""
    return surname(name)


def pick_title_key(title: str) -> str:
    """A pick's title as it names a book: its whole title as `find` compares one typed whole (the `q1:`
    lookup key the index keeps of every book), so the symbols that make another title are words in it
    (*C++ Primer Plus* is not *C Primer Plus*, `symbol_words`), `Hobbit, The` is *The Hobbit*, and a title
    with no letters is compared as typed. A trailing parenthetical that places the title in a series is
    no part of it, as for a BOOK typed (`_placed`): the pick *Dune Messiah (Dune #2)* names the journal's
    *Dune Messiah*, and a book titled so is named by the pick *Dune Messiah* (`pick_keys`)."""
    placed = _placed(title) or _unbracketed_name(title)
    return typed_title_key(title if placed is None else placed) or exact_title(title)


def _unbracketed_name(title: str) -> str | None:
    """`Saga #2`, `Saga, Vol. 2` -> `Saga`: a title that is a series' name and a place at its end (out of
    parentheses), without the place, as `_placed` gives `Saga (Saga, #2)`'s; None for any other title."""
    trailing = _trailing_place(title)
    return trailing[0] if trailing is not None and volume_title(title) is not None else None


PICK_KEY = "p:"
WORK_KEY = "w:"


def pick_keys(title: str) -> list[str]:
    """The index keys a pick finds a book by besides its `q1:` key (the picks' title key, pick_title_key, is
    joined with either): `p:` and the key of a title that places itself in a series, without that place
    (`Dune Messiah (Dune #2)` -> `p:dune messiah`); `w:` and its work key (pick_work_key) where that is
    not its `q2:` key, its title_key, which a pick's work key is looked up by too (`Never Let Me Go: A
    Novel` -> `w:never let me go`). Most titles have neither."""
    keys = [] if _placed(title) is None and _unbracketed_name(title) is None else [pick_title_key(title)]
    keys = [f"{PICK_KEY}{key}" for key in keys]
    if _plain_unmarked(title):  # (most titles: its work key is its title_key, made from the same words)
        return keys
    work = pick_work_key(title)
    if work and work != title_key(title):
        keys.append(f"{WORK_KEY}{work}")
    return keys


def pick_work_key(title: str) -> str:
    """The second way a pick names a book: the whole title as the same-work rule reads it (title_parts'
    `whole`: without a leading article, a subtitle that is a label or an edition's, a trailing series
    place), so a pick *Never Let Me Go: A Novel* names the journal's *Never Let Me Go* (and *Hobbit* *The
    Hobbit*), as `same_work` answers SURE of them; "" for a title that names a part or an adaptation (a
    PART_MARKER: `Saga, Vol. 2`, `Dune: The Graphic Novel`, which the pick's title key and places decide) or
    has no letters. Two titles with one work key are one work's by same_work's titles (its authors and
    places are the pick policy's own: pick_authors_match, places_agree)."""
    if _plain_unmarked(title):  # title_parts' plain steps, without what cannot happen to it
        return _without_article(" ".join(title.lower().split()))
    parts = title_parts(title)
    return "" if parts.markers else parts.whole


def _plain_unmarked(title: str) -> bool:
    """A `_plain` title (ASCII letters, digits and spaces) with no word that may mark a part (_MARKER_HINTS,
    which hold `vol` and `book`, all `_vol` changes): its work key is its lower-case words without a leading
    article, which is its title_key too, and it has no markers. Most titles: an index build makes every
    book's work key and its picks' (10,000 books: title_parts for each, some 0.1 s of CPU), where this
    takes a few string methods in C (tests/test_t29e_work_key.py holds it to title_parts)."""
    return _plain(title) and _HINTED.search(title.lower()) is None


_HINTED = pattern_when_used("|".join(_MARKER_HINTS))  # (any of them anywhere, as `hint in key` finds it)


def pick_places(title: str) -> frozenset[str]:
    """The places in a series a pick's title names, as `vol:` keys (`Saga (Saga, #2)` -> `vol:saga#2`, by
    `title_volumes`, as the policy reads any record's title). Most titles have none."""
    return frozenset(f"{VOLUME_KEY}{key}#{number}" for key, number in title_volumes(title))


def book_places(title: str, keys: Iterable[str] = ()) -> frozenset[str]:
    """A book's places in a series as a pick is compared with them: its title's (pick_places) and its
    `series` field's, given as the `vol:` keys book_keys gives it (`volume_keys` of its pairs)."""
    return pick_places(title) | frozenset(key for key in keys if key.startswith(VOLUME_KEY))


def places_agree(pick: frozenset[str], book: frozenset[str], title: str = "") -> bool:
    """A pick at these places may name a book at those (or another pick: one pick), both titled `title` (a
    pick's title key): they name no one series at different numbers (`other_volume`, the rule that keeps
    any two records of a series' volumes two books: *Saga (Saga, #4)* is never the journal's *Saga (Saga,
    #1)*, nor its *Saga* of series Saga #1). A place on one side only decides nothing (the pick *Dune
    Messiah (Dune #2)* names the journal's *Dune Messiah*), unless it is past the first of a series named
    as the title (same_work's `series_title_apart`: *Saga (Saga, #2)* is not the reader's *Saga*, which
    may be the series or its first volume, nor the pick *Saga*)."""
    if pick and book:
        return not other_volume(Work("", keys=pick), Work("", keys=book))
    placed = pick or book
    if not placed or not title:
        return True
    key = series_key(title)
    return not _past_first({number for name, number in volumes_of_keys(placed) if name == key})


def pick_authors_key(authors: Sequence[str]) -> frozenset[str]:
    return frozenset(stored_name(a) for a in authors)


def pick_authors_match(pick_authors: Iterable[str], book_authors: Iterable[str]) -> bool:
    a, b = [n for n in pick_authors if n], [n for n in book_authors if n]
    return not a or (bool(b) and (set(a) & set(b) != set() or authors_agree(a, b)))


def pick_names_book(
    pick_title: str,
    pick_authors: Sequence[str],
    title: str,
    authors: Sequence[str],
    series: Sequence[tuple[str, str]] = (),
) -> bool:
    """A pick (title, authors) names this book (title, authors, its `series` pairs): one title key, the
    authors matching, and no other place in one series (places_agree: `Saga (Saga, #3)` is not a pick of
    `Saga (Saga, #2)`'s already, nor that book)."""
    key = pick_title_key(pick_title)
    return (
        key == pick_title_key(title)
        and pick_authors_match(pick_authors, authors)
        and places_agree(pick_places(pick_title), book_places(title, volume_keys(series)), key)
    )


def pick_compared(pick_title: str, title: str) -> bool:
    """The pick rule compares a pick with a book of this title: one title key (pick_title_key) or work key
    (pick_work_key, which a book's title_key meets too), and its answer, by authors and places, stands
    (*Saga, Vol. 2* is not the reader's *Saga*; Doe's *The Stand* not an authorless one). A book it never
    compares, a longer title of one work (`Homo Deus` and *Homo Deus: A History of Tomorrow*), is one the
    same-work rule may say a new pick maybe is: `next add --from` asks (try-out 29b #1)."""
    if pick_title_key(pick_title) == pick_title_key(title):
        return True
    work = pick_work_key(pick_title)
    return bool(work) and work in (pick_work_key(title), title_key(title))


def pick_apart_from(pick_title: str, pick_authors: Sequence[str], book: Work) -> bool:
    """A pick that the pick rule compares with no book of this title (pick_compared) and the same-work rule
    says may be `book` (same_either_way, as `next add --from` asks since session 29: try-out 29b #1): a
    pick made before that, split from the book it may be (`next` lists both, and reading the book never
    closes the pick). `check` names it."""
    if pick_compared(pick_title, book.title):
        return False
    return same_either_way(Work.named(pick_title, pick_authors), book) is not Same.NO


def pick_named(query: str, pick_title: str) -> bool:
    """`next drop TITLE`, `next add`'s "already a pick", `start`'s hint and `restore TITLE`: the pick (or
    removed book) whose whole title this is, at no other place of a series (places_agree: `Saga (Saga,
    #2)` is not the pick *Saga*, nor `Saga` the pick *Saga (Saga, #3)*, while `Dune Messiah` is the pick
    *Dune Messiah (Dune #2)*)."""
    key = pick_title_key(query)
    if key != pick_title_key(pick_title):
        return False
    return places_agree(pick_places(query), pick_places(pick_title), key)


# =========================================================================================================
# CATALOGUE: an Open Library result and the book a reader typed (`add --lookup`, `lookup`). The typed title,
# or the typed title without the subtitle Open Library adds (or leaves off); an author that names one of
# the result's (full name, surname, initials: `same_person`).
# =========================================================================================================
def catalogue_title(typed: str, found: str) -> bool:
    wanted = title_key(typed)
    return wanted in (title_key(found), title_key(found.split(":")[0])) or (
        title_key(typed.split(":")[0]) == title_key(found)
    )


def catalogue_author(typed: str, found: Sequence[str]) -> bool:
    """`typed` names one of `found`: the whole name, `same_person`'s (surname, initials), or words of one
    name, each whole (a first name alone, `--author tess` for Tess Author)."""
    wanted = normalize(typed)
    words = set(wanted.split())
    return any(
        normalize(a) == wanted or same_person(typed, a) or (words and words <= set(normalize(a).split()))
        for a in found
    )


def catalogue_author_key(found: Sequence[str]) -> str:
    """The first author as the catalogue policy tells results apart (several works, one author)."""
    return normalize(found[0]) if found else ""


# =========================================================================================================
# MERGE (sync): is an item of a book's arrays (reading, reflection, quote, pick, progress entry) the same
# item on both sides of a three-way merge? Each kind has an exact key, used to pair items everywhere, and
# looser keys, used only to pair an item with its own earlier version in the base (an edited reflection
# keeps its date; a reading that gains a finish date keeps its start). Two items added on two devices are
# the same only by the exact key: two reflections written the same day stay two.
# =========================================================================================================
ItemKey = Callable[[dict[str, Any]], Any]


class ItemRule:
    """How items of one kind are paired in a merge: the exact key, and the looser ones (see above). (A plain
    class, as StatusInfo is.)"""

    __slots__ = ("exact", "loose")

    def __init__(self, exact: ItemKey, loose: tuple[ItemKey, ...] = ()):
        self.exact, self.loose = exact, loose


def _get(name: str) -> ItemKey:
    return lambda item: item.get(name)


def _item_names(item: dict[str, Any]) -> tuple[str, ...]:
    names = item.get("authors", item.get("author", []))
    names = [names] if isinstance(names, str) else names
    return tuple(sorted(normalize(n) for n in names if isinstance(n, str)))


def _item_title(item: dict[str, Any]) -> tuple[str, ...] | None:
    """A pick's title key and its places in a series (`Saga (Saga, #2)` and `Saga (Saga, #3)`: two picks)."""
    title = item.get("title")
    return (pick_title_key(title), *sorted(pick_places(title))) if isinstance(title, str) else None


def _quote_key(item: dict[str, Any]) -> Any:
    if item.get("key") is not None:
        return ("key", item["key"])
    return ("text", item.get("text"), item.get("page"), item.get("location"))


def _frozen(value: Any) -> Any:
    """An item as a hashable whole (tables as sorted pairs, arrays as tuples)."""
    if isinstance(value, dict):
        return tuple(sorted((k, _frozen(v)) for k, v in value.items()))
    if isinstance(value, list):
        return tuple(_frozen(v) for v in value)
    return value


def _whole_item(item: dict[str, Any]) -> Any:
    return _frozen(item)


def _series_name(item: dict[str, Any]) -> str | None:
    name = item.get("name")
    return normalize(name) if isinstance(name, str) else None


# The columns an entry of a source table's `editions` names its edition by, in the order they are asked.
_EDITION_IDS = (*dict.fromkeys(SOURCE_IDS.values()), "isbn", *SOURCE_ISBNS.values())


def edition_id(item: dict[str, Any]) -> tuple[str, str] | None:
    """The id an entry of a source table's `editions` names its edition by (the source's own id, its ISBN,
    StoryGraph's ISBN/UID), as (column, value); None for an entry with none (a format alone)."""
    for column in _EDITION_IDS:
        value = item.get(column)
        if isinstance(value, str | int) and not isinstance(value, bool) and str(value).strip():
            return column, str(value).strip()
    return None


# A key the index keeps of each edition with no id that holds its row's record (`readlog merge` keeps the
# merged book's there): `row:storygraph:2024-01-06`, the source and the row's Date Added, by which an import
# finds the book that row was merged into, whatever its title (importers.merge.merged_row says whether it
# is the row's). Never an id: no two books are one by it.
ROW_KEY = "row:"


def row_key(source: str, added: Any) -> str:
    return f"{ROW_KEY}{source}:{added}"


def merged_row_keys(book: Book) -> list[str]:
    """The ROW_KEY of each edition under the book's source tables that keeps its row's record with no id of
    its own (edition_key's `row`); most books: none."""
    tables = book.extra.get("source")
    if not isinstance(tables, dict):
        return []
    keys: list[str] = []
    for name, table in tables.items():
        editions = table.get("editions") if isinstance(table, dict) else None
        if not editions or not isinstance(editions, list):
            continue  # (most books)
        for entry in editions:
            found = edition_key(entry) if isinstance(entry, dict) else None
            if found is not None and found[0] == "row" and row_key(name, found[2]) not in keys:
                keys.append(row_key(name, found[2]))
    return keys


# A key the index keeps of a book holding, as its own, the record of a row with no id (its source table
# names none: a StoryGraph row with no ISBN/UID): `own:storygraph:2024-01-06`, the source and the row's Date
# Added, by which an import finds the book holding a row as its own whatever its title now, where that row was
# merged into another book too (a merged book restored and retitled since: importers.merge.owns_row says
# whether it is the row's). Never an id: no two books are one by it.
OWN_KEY = "own:"


def own_key(source: str, added: Any) -> str:
    return f"{OWN_KEY}{source}:{added}"


def own_row_keys(book: Book) -> list[str]:
    """The OWN_KEY of each source table of the book that names no id and keeps its row's record (with a Date
    Added); most books: none (a row with an id is found by it)."""
    tables = book.extra.get("source")
    if not isinstance(tables, dict):
        return []
    keys: list[str] = []
    for name, table in tables.items():
        record = table.get("imported") if isinstance(table, dict) else None
        if isinstance(record, dict) and record.get("added") is not None and edition_id(table) is None:
            keys.append(own_key(name, record["added"]))
    return keys


def titled_alike(title: Any, other: str) -> bool:
    """Whether `title` (the title a merged edition keeps beside its row's record) is `other`'s by the title
    keys: the row's title, whatever the book it was merged into is called."""
    return isinstance(title, str) and title_key(title) == title_key(other)


def edition_key(item: dict[str, Any]) -> Any:
    """What names an entry of a source table's `editions` as one edition, whatever its record says since:
    its id (edition_id); else, an entry with none that keeps its row's record (`imported`, as `readlog merge`
    keeps it: a StoryGraph row with no ISBN/UID), the row as `--update` finds it by that record
    (importers.merge.edition_imported): the authors the row named and its Date Added, which a newer export
    says too, and the title the merge kept with it (importers.merge.ROW_TITLE; none, merged by an older
    readlog). None: an entry with neither (a format alone)."""
    found = edition_id(item)
    if found is not None:
        return "id", found
    record = item.get("imported")
    if isinstance(record, dict) and record.get("added") is not None:
        title = item.get("title")
        named = title_key(title) if isinstance(title, str) else None
        return "row", _item_names(record), str(record["added"]), named
    return None


def _edition_key(item: dict[str, Any]) -> Any:
    found = edition_key(item)
    return found if found is not None else _whole_item(item)


MATCH_RULES: dict[str, ItemRule] = {
    # a reading by its dates; an edit that adds a finish keeps the start (and the other way round), a
    # missing start included: an open reading with no start date (as imports make them) finished on a
    # device is that reading, so finished on two devices it is one reading whose `finished` differs (a
    # conflict), never a re-read
    "reads": ItemRule(
        exact=lambda r: ("dates", r.get("started"), r.get("finished")),
        loose=(lambda r: ("started", r.get("started")), _get("finished")),
    ),
    # a reflection by date and text; edited, it keeps its date
    "reflections": ItemRule(exact=lambda r: (r.get("date"), r.get("text")), loose=(_get("date"),)),
    # a quote by its `key`, else its text and where it is; a moved quote keeps its text
    "quotes": ItemRule(exact=_quote_key, loose=(_get("text"),)),
    # a pick by title and authors; its note may change
    "next": ItemRule(exact=lambda p: (_item_title(p), _item_names(p)), loose=(_item_title,)),
    # a series by its name: renumbered on both devices differently is a conflict, not two numbers
    "series": ItemRule(exact=_whole_item, loose=(_series_name,)),
    # an edition a source's import kept (`[[source.NAME.editions]]`) by its id, or by its row (edition_key):
    # its record and review renewed by `--update` on two devices are one edition's (review 30a F3, 30d F2),
    # never two entries of it
    "editions": ItemRule(exact=_edition_key),
    # a progress entry (inside a reading) by its date and where the reader was; its note may change
    "progress": ItemRule(
        exact=lambda p: (p.get("date"), p.get("page"), p.get("percent"), p.get("minutes")),
        loose=(),
    ),
}


# =========================================================================================================
# BYLINE: whether a published pick's author goes without saying (issue 23): the book it is picked from is
# theirs (`authors_agree`), or the list's heading names them: the whole name or the surname, as whole
# words, in either name order (`Ishiguro, Kazuo`). "Three Ishiguro Novels" names Kazuo Ishiguro;
# "Ishiguro's" does too (punctuation is not a word), "Ishiguroesque" does not.
# =========================================================================================================
def author_named_already(author: str, heading: str, source_authors: Sequence[str]) -> bool:
    if author.strip() and authors_agree([author], source_authors):
        return True
    words = f" {normalize(heading)} "
    last = author.split(",", 1)[0] if "," in author else (author.split() or [""])[-1]
    forms = {normalize(author.replace(",", " ")), " ".join(name_tokens(author)), normalize(last)}
    if "," in author:
        first, _, rest = author.partition(",")
        forms.add(normalize(f"{rest} {first}"))
    return any(f" {form} " in words for form in forms - {""})


# =========================================================================================================
# TITLE KEYS FOR OTHERS: callers that group, order or name things by title ask here, and never key or
# compare titles themselves (tests/test_owners.py holds it; the index's SQL runs over the keys made here).
# =========================================================================================================
class Twins(Generic[T]):
    """Things met one by one (an import's rows, `check`'s books, highlights' title lines), kept by what two
    of the same work share: the main title's key (`main_key`), and book keys when given (ISBN, source
    ids). `near` gives the earlier things worth asking `same_work` (or another policy here) about, first
    met first, without comparing every pair."""

    def __init__(self) -> None:
        self._by: dict[str, list[T]] = {}

    def near(self, title: str, keys: Iterable[str] = (), keyed: Sequence[str] | None = None) -> list[T]:
        """(`keyed`: its near_keys, when the caller has them already: an import's parsing worker made them)"""
        found: dict[int, T] = {}
        for key in near_keys(title, keys) if keyed is None else keyed:
            for item in self._by.get(key, ()):
                found.setdefault(id(item), item)
        return list(found.values())

    def add(self, item: T, title: str, keys: Iterable[str] = (), keyed: Sequence[str] | None = None) -> None:
        for key in near_keys(title, keys) if keyed is None else keyed:
            self._by.setdefault(key, []).append(item)


def near_keys(title: str, keys: Iterable[str] = ()) -> tuple[str, ...]:
    """What Twins keeps a thing titled `title` with `keys` by, and looks its twins up by, each once (a pure
    function of the two: an import's parsing worker makes them for each row, Twins' `keyed`)."""
    return tuple(dict.fromkeys(_near_keys(title, keys)))


def _near_keys(title: str, keys: Iterable[str]) -> tuple[str, ...]:
    """_twin_keys and `keys`; for a book known by its series alone (`Saga`, `vol:saga#2`), the twin keys of
    the volume's title too (`Saga, Vol. 2`: same_work's MAYBE of the two, series_volume_title)."""
    keys = tuple(keys)
    found = (*_twin_keys(title), *keys)
    if any(key.startswith(VOLUME_KEY) for key in keys):
        for name, number in volumes_of_keys(keys):
            volume = series_volume_title(title, [(name, number)])
            found += _twin_keys(volume) if volume is not None else ()
    return found


def _twin_keys(title: str) -> tuple[str, ...]:
    """The main title's key, the key before the first full stop when it may end a sentence (same_work
    reads that as a subtitle's colon), a series' volume's (volume_title) and the subtitle's (`Earthsea: The
    Farthest Shore` is near `The Farthest Shore`)."""
    parts = title_parts(title)
    keys = (parts.main, *(other.main for other in parts.others)) if parts.others else (parts.main,)
    volume = volume_title(title)  # (`Saga #2`, `Saga (Saga, #2)`: near `Saga, Vol. 2`, whose main it is)
    keys = keys if volume is None else (*keys, volume)
    placed = parts.placed  # (`Saga, Vol. 3` near `Saga`: same_work compares it so, TitleParts.placed)
    if placed is not None:
        keys = (*keys, placed.main, *(other.main for other in placed.others))
        keys = (*keys, placed.sub) if placed.sub else keys
    return (*keys, parts.sub) if parts.sub else keys  # (the subtitle: the main title of a book it may be)


def title_order(title: str) -> str:
    """A title's place in an alphabetical list (case and accents aside): for sorting, never to match."""
    return stored_title(title)


def title_digest(title: str) -> str:
    """Six hex digits that stay the same for a title however it is cased or accented (a highlight's key
    names its book this way: stable across imports)."""
    import hashlib

    return hashlib.sha1(stored_title(title).encode()).hexdigest()[:6]


def like_keys(title: str, series: Sequence[tuple[str, str]] = ()) -> tuple[tuple[str, ...], frozenset[str]]:
    """What TitlesLike holds a book titled `title` with its `series` under: its stored title (and what
    follows its leading article), and its book_ties (a pure function of the two: an import's parsing worker
    makes them for each row, TitlesLike.add's `keyed`)."""
    stored = stored_title(title)
    first, space, rest = stored.partition(" ")
    spans = (stored, rest) if space and first in ARTICLES else (stored,)
    # (most books have no series: their title's ties, one cached call)
    return spans, book_ties(title, series) if series else title_ties(title)


class TitlesLike:
    """Books held in memory, asked what an index's title ranges answer (Queries.candidates_like): those
    whose stored title starts with one of `title_prefixes(title)`, sorted by slug, each once. An import
    into an empty journal asks its own landed books this way instead of one query per row.

    title_prefixes is the title's stem after each article in turn (and after none): a stored title is in
    one of those ranges exactly when it, or what follows its own leading article, is in the stem's range.
    So each book is held under both (an article is one word, and a title starts with one at most), and a
    question is one range of one sorted list, not one per article (29). tests/test_titles_like.py asks a
    real index the same questions."""

    def __init__(self) -> None:
        self._titles: list[tuple[str, str]] = []  # (stored title, or what follows its article; slug), sorted
        self._sorted = True
        self._books: dict[str, Candidate] = {}
        # title_ties -> (slug, the titles it is held under in _titles): `like` asked with the row's ties
        self._tied: dict[str, list[tuple[str, tuple[str, ...]]]] = {}

    def add(
        self,
        candidates: Sequence[Candidate],
        keyed: Sequence[tuple[tuple[str, ...], frozenset[str]]] | None = None,
    ) -> None:
        """(`keyed`: each candidate's like_keys, when the caller has them already: an import's parsing
        worker made them for each row)"""
        self._books.update((c.slug, c) for c in candidates)
        held, tied = self._titles, self._tied
        for at, candidate in enumerate(candidates):
            spans, ties = like_keys(candidate.title, candidate.series) if keyed is None else keyed[at]
            slug = candidate.slug
            held += [(span, slug) for span in spans]
            for tie in ties:
                tied.setdefault(tie, []).append((slug, spans))
        self._sorted = False  # (sorted when a question needs it: two sorted runs, one merge)

    def like(
        self, title: str, stem: str | None = None, ties: frozenset[str] | None = None
    ) -> list[Candidate]:
        """The books like `title` (`stem`: its title_stem, when known already). With `ties` (its title_ties),
        only those of them tied to it (the others same_work answers NO about): found through the ties, a
        book or two, rather than through the title range, every book whose title starts like it."""
        import bisect

        if stem is None:
            stem = title_stem(title)
        if not stem:
            return []
        end = stem + "\U0010ffff"  # as the index: norm_title >= prefix AND < prefix + U+10FFFF
        if ties is not None:
            tied = self._tied
            chosen = {
                slug
                for tie in ties
                for slug, spans in tied.get(tie, ())
                if any(stem <= span < end for span in spans)
            }
            return [self._books[slug] for slug in sorted(chosen)]
        titles, found = self._titles, set()
        if not self._sorted:
            titles.sort()
            self._sorted = True
        at = bisect.bisect_left(titles, (stem,))
        while at < len(titles) and titles[at][0] < end:
            found.add(titles[at][1])
            at += 1
        return [self._books[slug] for slug in sorted(found)]
