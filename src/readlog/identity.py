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

from readlog.errors import AmbiguousBook, BookNotFound
from readlog.model import Book
from readlog.text import normalize, one_line, surname

# How far a status is along the way from wanting a book to having read it: an import never moves a book
# back (a `read` book stays read when an older export says `want`).
STATUS_RANK = {None: 0, "want": 1, "reading": 2, "paused": 2, "abandoned": 3, "read": 3}
# Statuses a pick's own book can have, strongest first: what `next` and `show` mark a pick with.
PICK_STATUSES = ("read", "reading", "want")


class Match(Enum):
    """How a BOOK query found its book. Writes accept only the sure kinds."""

    SLUG = "slug"
    TITLE = "title"
    BY_AUTHOR = "title by author"
    WORDS = "words of the title"
    TYPO = "a close spelling"  # read-only commands only

    @property
    def sure(self) -> bool:
        return self is not Match.TYPO


@dataclass(frozen=True)
class Candidate:
    """A book as lookups see it: its slug, title and authors."""

    slug: str
    title: str
    authors: tuple[str, ...] = ()

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


# The index answers two questions for a lookup: the books with exactly this normalised title, and the books
# whose normalised title contains all of these words (a cheap pre-filter; `find` checks whole words).
ExactTitle = Callable[[str], Sequence[Candidate]]
Containing = Callable[[Sequence[str]], Sequence[Candidate]]
Everything = Callable[[], Sequence[Candidate]]


def find(
    query: str,
    exact: ExactTitle,
    containing: Containing,
    everything: Everything,
    *,
    fuzzy: bool = False,
) -> Found:
    """The one book `query` names. In order: exact title; `TITLE by AUTHOR`; a unique match on whole
    words of the title, in order, the last word possibly a prefix; with `fuzzy` (read-only commands), a
    typo-sized winner. Anything else raises BookNotFound with suggestions, or AmbiguousBook.
    (Slugs are tried by the caller first: a file by that name needs no index.)"""
    wanted = normalize(query)
    if not wanted:
        raise BookNotFound(f"{one_line(query)!r} does not name a book")
    books = list(exact(wanted))
    if books:
        return _one(query, books, Match.TITLE)
    title, author = _split_by(wanted)
    if author:
        by = [b for b in exact(title) if _wrote(b, author)] or [
            b for b in containing(title.split()) if _word_match(title, b.norm_title) and _wrote(b, author)
        ]
        if by:
            return _one(query, by, Match.BY_AUTHOR)
    words = [b for b in containing(wanted.split()) if _word_match(wanted, b.norm_title)]
    if words:
        return _one(query, words, Match.WORDS)
    everyone = list(everything())
    if fuzzy:
        found = _typo_winner(wanted, everyone)
        if found is not None:
            return Found(found.slug, Match.TYPO, found)
    raise _not_found(query, wanted, everyone)


def _one(query: str, books: Sequence[Candidate], how: Match) -> Found:
    if len(books) == 1:
        return Found(books[0].slug, how, books[0])
    raise AmbiguousBook(
        f"{one_line(query)!r} matches several books: {describe(books)}; give the slug (or `TITLE by AUTHOR`)"
    )


def describe(books: Sequence[Candidate], most: int = 8) -> str:
    shown = ", ".join(b.describe() for b in books[:most])
    return shown + (f" and {len(books) - most} more" if len(books) > most else "")


def _split_by(wanted: str) -> tuple[str, str | None]:
    """'emma by austen' -> ('emma', 'austen'); the last ' by ' splits (titles can hold one)."""
    title, sep, author = wanted.rpartition(" by ")
    return (title, author) if sep and title and author else (wanted, None)


def _wrote(book: Candidate, author: str) -> bool:
    """`author` names one of the book's authors: the full name, the surname ("le guin" too), or words
    of the name in order ("ursula le guin")."""
    for name in book.authors:
        full = normalize(name)
        if author in (full, normalize(surname(name))) or _in_order(author.split(), full.split()):
            return True
    return False


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


def _typo_winner(wanted: str, books: Sequence[Candidate]) -> Candidate | None:
    """A single book whose title the query spells with a typo or two, clearly ahead of any other."""
    scored = sorted(
        (cost, len(b.norm_title.split()), b)
        for b in books
        if (cost := _typo_cost(wanted, b.norm_title)) is not None
    )
    if not scored:
        return None
    if len(scored) > 1 and scored[1][:2] <= (scored[0][0] + 1, scored[0][1]):
        return None  # two titles about as close: not clear enough to show either
    return scored[0][2]


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


def suggestions(wanted: str, books: Sequence[Candidate], limit: int = 3) -> list[Candidate]:
    """The books a reader most likely meant, for a `did you mean` line: titles that share a word with
    the query (not a small one like "the"), or are spelled much like it, closest first."""
    if not books:
        return []
    from rapidfuzz import fuzz, process

    words = {w for w in wanted.split() if w not in _SMALL_WORDS}
    chosen = {i for i, b in enumerate(books) if words & set(b.norm_title.split())}
    titles = [b.norm_title for b in books]
    for scorer, cutoff in ((fuzz.ratio, 75), (fuzz.partial_ratio, 90)):  # misspelt, or inside a title word
        found = process.extract(wanted, titles, scorer=scorer, limit=limit, score_cutoff=cutoff)
        chosen.update(index for _, _, index in found)
    ranked = sorted(chosen, key=lambda i: (-fuzz.WRatio(wanted, titles[i]), titles[i]))
    return [books[i] for i in ranked[:limit]]


def _not_found(query: str, wanted: str, books: Sequence[Candidate]) -> BookNotFound:
    close = suggestions(wanted, books)
    if close:
        return BookNotFound(
            f"no book in the journal is {one_line(query)!r}; did you mean: {describe(close)}? "
            "(give the slug or the whole title)"
        )
    return BookNotFound(f"no book in the journal is {one_line(query)!r}; `readlog list` shows them all")


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
        ("to", "read"), ("tbr",), ("want",), ("wishlist",), ("soon",), ("a", "lire"), ("por", "leer"),
        ("para", "leer"), ("quiero", "leer"), ("pendientes",), ("por", "ler"), ("para", "ler"),
        ("quero", "ler"), ("zu", "lesen"), ("will", "ich", "lesen"), ("wunschliste",), ("da", "leggere"),
        ("te", "lezen"), ("wil", "ik", "lezen"), ("do", "przeczytania"), ("хочу", "прочитать"),
        ("att", "lasa"),
    )),
)  # fmt: skip


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


def person_key(name: str) -> str:
    """The key a reader's books by one person are gathered under (`next --suggest` groups a history by
    author with it): the same person's name in either order gives one key."""
    return author_key(name)


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


def author_named_already(author: str, heading: str, source_authors: Sequence[str]) -> bool:
    """Whether a published pick's author goes without saying (issue 23): the book it is picked from is
    theirs, or the list's heading names them: the whole name or the surname, as whole words, in either
    name order (`Ishiguro, Kazuo`). "Three Ishiguro Novels" names Kazuo Ishiguro; "Ishiguro's" does too
    (punctuation is not a word), "Ishiguroesque" does not."""
    if shares_author([author], source_authors):
        return True
    words = f" {normalize(heading)} "
    surname = author.split(",", 1)[0] if "," in author else (author.split() or [""])[-1]
    forms = {normalize(author.replace(",", " ")), author_key(author), normalize(surname)}
    if "," in author:
        first, _, last = author.partition(",")
        forms.add(normalize(f"{last} {first}"))
    return any(f" {form} " in words for form in forms - {""})
