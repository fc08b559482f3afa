"""Open Library's answers as plain data: editions (/isbn/, /books/), works, authors and search results
become `Found` records, cleaned like text a reader typed. Nothing here trusts the shape of an answer:
a missing or oddly typed field is simply not known.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from readlog.model import NAME_MAX, PAGES, YEARS, is_valid_isbn
from readlog.text import clean_name

if TYPE_CHECKING:
    from readlog.lookup.client import Client

SEARCH_FIELDS = (
    "key,title,subtitle,author_name,first_publish_year,number_of_pages_median,isbn,cover_i,"
    "cover_edition_key,edition_count,subject"
)
MAX_AUTHORS = 5
MAX_SUBJECTS = 10
MAX_ISBNS = 10
_WORK_KEY = re.compile(r"/works/OL\d{1,12}W")
_EDITION_KEY = re.compile(r"/books/OL\d{1,12}M")
_AUTHOR_KEY = re.compile(r"/authors/OL\d{1,12}A")
_TAG = re.compile(r"<[^<>]{0,200}>")
# Direction and zero-width marks (and a lone surrogate): a space. Control characters go as from every way a
# title comes in (text.clean_name: a tab a space, a bell or an escape dropped, the text kept).
_INVISIBLE = re.compile(r"[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


@dataclass
class Found:
    """What Open Library knows about one book, cleaned; anything unknown is None or empty."""

    title: str
    authors: list[str] = field(default_factory=list)
    year: int | None = None  # the first published year (of the work), as `add --year` means it
    pages: int | None = None
    pages_from: str | None = None  # "edition" or "median" (of all editions)
    isbns: list[str] = field(default_factory=list)  # valid ones; ISBN-13s first
    series: dict[str, str] | None = None
    subjects: list[str] = field(default_factory=list)
    cover_id: int | None = None
    work: str | None = None  # "/works/OL45804W"
    edition: str | None = None  # "/books/OL7353617M": the edition the pages, ISBN and series are from
    editions: int | None = None  # how many editions the work has (search results only)

    @property
    def isbn(self) -> str | None:
        return self.isbns[0] if self.isbns else None

    def to_json(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "authors": self.authors,
            "year": self.year,
            "pages": self.pages,
            "pages_from": self.pages_from,
            "isbns": self.isbns,
            "series": self.series,
            "subjects": self.subjects,
            "cover_id": self.cover_id,
            "work": self.work,
            "edition": self.edition,
        }


# --- cleaning ------------------------------------------------------------------------------------
def clean(value: object, max_length: int = NAME_MAX) -> str | None:
    """A line of text from an answer, made like typed text: HTML tags and entities undone, control and
    direction characters dropped (a terminal's escape sequence whole), spaces collapsed, NFC, at most
    `max_length` characters."""
    if not isinstance(value, str):
        return None
    text = html.unescape(_TAG.sub("", value))
    text = clean_name(_INVISIBLE.sub(" ", unicodedata.normalize("NFC", text)))
    if len(text) > max_length:
        text = text[:max_length].rstrip()
    return text or None


def _int(value: object, bounds: tuple[int, int]) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return value if bounds[0] <= value <= bounds[1] else None


def _year(value: object) -> int | None:
    """The year in a date as Open Library writes them: "1965", "August 1965", "1965-08-01", "c1965"."""
    if isinstance(value, int):
        return _int(value, YEARS)
    if not isinstance(value, str):
        return None
    match = re.search(r"(?<!\d)(\d{4})(?!\d)", value)
    return _int(int(match[1]), YEARS) if match else None


def _isbns(*lists: object) -> list[str]:
    out: list[str] = []
    for values in lists:
        if not isinstance(values, list):
            continue
        for value in values:
            if isinstance(value, str):
                digits = re.sub(r"[\s-]", "", value).upper()
                if is_valid_isbn(digits) and digits not in out:
                    out.append(digits)
    out.sort(key=len, reverse=True)  # ISBN-13 first (stable: the answer's order otherwise)
    return out[:MAX_ISBNS]


def _names(values: object, limit: int) -> list[str]:
    out: list[str] = []
    if isinstance(values, list):
        for value in values:
            name = clean(value)
            if name and name not in out:
                out.append(name)
            if len(out) >= limit:
                break
    return out


def _cover(values: object) -> int | None:
    """The first real cover id (Open Library marks removed covers with -1)."""
    if isinstance(values, list):
        for value in values:
            if isinstance(value, int) and not isinstance(value, bool) and 0 < value < 10**12:
                return value
    return None


_SERIES = re.compile(
    r"^(?P<name>.+?)\s*(?:[;,(]|--|\s)\s*(?:#|no\.?\s*|n[º°]\s*|vol\.?\s*|volume\s+|book\s+|bk\.?\s*)?"
    r"(?P<number>\d{1,4}(?:\.\d{1,2})?)\s*\)?\s*$",
    re.IGNORECASE,
)


def parse_series(values: object) -> dict[str, str] | None:
    """An edition's `series` ("Dune Chronicles ; 1", "Discworld -- 3", "Foundation, #2") as
    {"name", "number"}; a name without a number stands alone."""
    if not isinstance(values, list):
        return None
    for value in values:
        text = clean(value)
        if not text:
            continue
        match = _SERIES.match(text)
        if match and match["name"].strip(" ,;-"):
            return {"name": match["name"].strip(" ,;-"), "number": match["number"]}
        return {"name": text.strip(" ,;-") or text}
    return None


def _key(value: object, pattern: re.Pattern[str]) -> str | None:
    return value if isinstance(value, str) and pattern.fullmatch(value) else None


def _keys(values: object, pattern: re.Pattern[str], inner: str | None = None) -> list[str]:
    out: list[str] = []
    if isinstance(values, list):
        for value in values:
            if inner and isinstance(value, dict):
                value = value.get(inner)
            key = _key(value.get("key") if isinstance(value, dict) else None, pattern)
            if key and key not in out:
                out.append(key)
    return out


# --- answers -> Found -----------------------------------------------------------------------------
def from_search_doc(doc: object) -> Found | None:
    """One `docs` item of /search.json."""
    if not isinstance(doc, dict):
        return None
    title = clean(doc.get("title"))
    if not title:
        return None
    edition = doc.get("cover_edition_key")
    return Found(
        title=title,
        authors=_names(doc.get("author_name"), MAX_AUTHORS),
        year=_year(doc.get("first_publish_year")),
        pages=_int(doc.get("number_of_pages_median"), PAGES),
        pages_from="median" if _int(doc.get("number_of_pages_median"), PAGES) else None,
        isbns=_isbns(doc.get("isbn")),
        subjects=_names(doc.get("subject"), MAX_SUBJECTS),
        cover_id=_cover([doc.get("cover_i")]),
        work=_key(doc.get("key"), _WORK_KEY),
        edition=_key(f"/books/{edition}", _EDITION_KEY) if isinstance(edition, str) else None,
        editions=_int(doc.get("edition_count"), (0, 10**9)),
    )


def apply_edition(found: Found, edition: object) -> None:
    """What an edition adds to a match: its pages, ISBNs, series and cover win over the work's."""
    if not isinstance(edition, dict):
        return
    pages = _int(edition.get("number_of_pages"), PAGES)
    if pages:
        found.pages, found.pages_from = pages, "edition"
    isbns = _isbns(edition.get("isbn_13"), edition.get("isbn_10"))
    if isbns:
        found.isbns = isbns
    found.series = parse_series(edition.get("series")) or found.series
    found.cover_id = _cover(edition.get("covers")) or found.cover_id
    found.edition = _key(edition.get("key"), _EDITION_KEY) or found.edition


# --- look-ups (each request goes through the client) ---------------------------------------------------
def by_isbn(client: Client, isbn: str) -> Found | None:
    """The edition with this ISBN, with its work's first published year, subjects and its authors' names.
    None when Open Library does not know the ISBN."""
    edition = client.get_json(f"/isbn/{isbn}.json")
    if edition is None:  # Open Library's own 404
        return None
    if not isinstance(edition, dict):
        raise client.unreadable(f"/isbn/{isbn}.json", why="not an edition")
    works = _keys(edition.get("works"), _WORK_KEY)
    work = client.get_json(f"{works[0]}.json", part=True) if works else None
    work = work if isinstance(work, dict) else {}
    title = clean(edition.get("title")) or clean(work.get("title"))
    if not title:  # an edition without a title readlog can read is an answer of the wrong shape
        raise client.unreadable(f"/isbn/{isbn}.json", why="no title")
    found = Found(
        title=title,
        year=_year(work.get("first_publish_date")),
        subjects=_names(work.get("subjects"), MAX_SUBJECTS),
        cover_id=_cover(work.get("covers")),
        work=works[0] if works else None,
    )
    apply_edition(found, edition)
    authors = _keys(edition.get("authors"), _AUTHOR_KEY) or _keys(work.get("authors"), _AUTHOR_KEY, "author")
    for key in authors[:MAX_AUTHORS]:
        author = client.get_json(f"{key}.json", part=True)
        name = clean(author.get("name") or author.get("personal_name")) if isinstance(author, dict) else None
        if name and name not in found.authors:
            found.authors.append(name)
    if found.year is None or found.pages is None or not found.authors:
        # The search index knows the first published year and the median pages when the work does not.
        query = {"q": f"isbn:{isbn}", "fields": SEARCH_FIELDS, "limit": "1"}
        answer = client.get_json("/search.json", query, part=True)
        docs = answer.get("docs") if isinstance(answer, dict) else None
        extra = from_search_doc(docs[0]) if isinstance(docs, list) and docs else None
        if extra is not None:
            found.year = found.year if found.year is not None else extra.year
            if found.pages is None and extra.pages:
                found.pages, found.pages_from = extra.pages, "median"
            found.authors = found.authors or extra.authors
            found.work = found.work or extra.work
    return found


def search(client: Client, title: str, author: str | None = None, limit: int = 10) -> list[Found]:
    """Works whose title (and author) match, best first, as Open Library ranks them."""
    params = {"title": title, "fields": SEARCH_FIELDS, "limit": str(limit)}
    if author:
        params["author"] = author
    answer = client.get_json("/search.json", params)
    docs = answer.get("docs") if isinstance(answer, dict) else None
    if not isinstance(docs, list):
        raise client.unreadable("/search.json", params, "no results list")
    return [found for found in map(from_search_doc, docs[:limit]) if found is not None]


def edition_details(client: Client, found: Found) -> None:
    """Fill a search match in from its edition (pages, ISBNs, series): one more request, made only for
    the match a reader keeps."""
    if found.edition:
        apply_edition(found, client.get_json(f"{found.edition}.json", part=True))


# --- which match -----------------------------------------------------------------------------------
def same_title(typed: str, found: Found) -> bool:
    """identity's catalogue policy: the typed title, with or without the subtitle Open Library adds."""
    from readlog.identity import catalogue_title

    return catalogue_title(typed, found.title)


def shares_author(typed: str, found: Found) -> bool:
    from readlog.identity import catalogue_author

    return catalogue_author(typed, found.authors)


def choose(results: list[Found], title: str, author: str | None) -> tuple[Found | None, list[Found]]:
    """(the one clear match or None, the candidates to offer). Clear: exactly one result with this title
    (and author, when given); or, among several, one with three times the editions of the next (Open
    Library keeps duplicate works of popular books)."""
    matching = [f for f in results if same_title(title, f) and (not author or shares_author(author, f))]
    if len(matching) == 1:
        return matching[0], matching
    if len(matching) > 1:
        from readlog.identity import catalogue_author_key

        authors = {catalogue_author_key(m.authors) for m in matching}
        ranked = sorted(matching, key=lambda f: f.editions or 0, reverse=True)
        first, second = ranked[0].editions or 0, ranked[1].editions or 0
        if len(authors) == 1 and first >= 3 * max(second, 1):
            return ranked[0], matching
        return None, matching
    return None, results[:5]


def describe(found: Found) -> str:
    """One line naming a match: title, author, year, as a reader confirms it."""
    by = f" by {', '.join(found.authors)}" if found.authors else ""
    year = f" ({found.year})" if found.year is not None else ""
    return f"{found.title}{by}{year}"


def cached_subjects(work: str) -> list[str]:
    """A work's subjects as enrich's cache holds them (`/works/OL...W.json`); [] when it holds none. Never
    a request: ranking suggestions reads this, and nothing may leave the machine then."""
    from readlog.lookup.client import cached_json

    answer = cached_json(f"{work}.json")
    return _names(answer.get("subjects"), MAX_SUBJECTS) if isinstance(answer, dict) else []
