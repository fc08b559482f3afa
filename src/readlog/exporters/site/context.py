"""Context: the journal's public part turned into pages, each a template name and a plain-data context.

Pure: books in, pages out, no I/O and no clock, so the same journal always gives the same pages. Contexts
hold only JSON-able values (text stays Markdown here; templates render it), which lets the builder hash a
page's context to know, without rendering, whether the page changed since the last build.

Every list is built from `public_book` copies only, so a private book, review, reflection or quote is in
no page, feed entry, count or list; a book's page adds the reviews of its other editions that
`privacy.edition_reviews` publishes (they are kept in the source tables `public_book` leaves out).
"""

from __future__ import annotations

import functools
import heapq
import json
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from readlog.identity import series_pairs
from readlog.model import Book, PartialDate, Read, book_to_dict, notes_by_date, quotes_in_book_order, sort_key
from readlog.privacy import edition_reviews, paragraphs, pick_byline, public_book, read_next_heading
from readlog.queue import BookFinder, FinderKeys, finder_keys
from readlog.reading import done_readings, given_up, in_date_order, readings_label, undated
from readlog.stats import Stats
from readlog.text import aside_for, escapes_aside, escapes_back, normalize, slugify

if TYPE_CHECKING:
    from readlog.fields import Field

FEED_ENTRIES = 100  # newest reviews in feed.xml: a feed is news, not an archive (the site is that)
HOME_REVIEWS = 20
MARKED = ("read", "reading", "want")  # statuses shown beside a pick that is in the journal
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December")  # fmt: skip
_FRACTIONS = {0.25: "¼", 0.5: "½", 0.75: "¾"}

# Where each page lives in OUTDIR: the one place a URL is decided (pages and templates take them from here,
# templates through each page's `urls`). `{slug}` is a book's slug, or a tag's or author's page name.
URLS: dict[str, str] = {
    "home": "index.html",
    "book": "books/{slug}.html",
    "shelves": "shelves.html",
    "shelf": "shelves.html#{slug}",  # a book's place on the shelves, for one without a page of its own
    "tags": "tags.html",
    "tag": "tags/{slug}.html",
    "authors": "authors.html",
    "author": "authors/{slug}.html",
    "years": "years.html",
    "year": "years/{year}.html",
    "graph": "graph.html",
    "feed": "feed.xml",
    "library": "library.json",
    "sitemap": "sitemap.xml",
    "style": "style.css",
}


@dataclass(frozen=True)
class Options:
    title: str = "Reading journal"
    base_url: str = ""  # "https://example.org/books/": absolute links in the feed and sitemap
    include_all: bool = False  # a page for every public book, not only the reviewed ones


@dataclass
class Page:
    path: str  # inside OUTDIR, "/"-separated
    template: str | None  # None: `text` is the whole file
    context: dict[str, Any] = field(default_factory=dict)
    text: str | None = None
    # A page whose inputs are known without building its context (a book page: the file's stamp and what
    # its picks lead to) carries them as `key`, and `make` builds the context only if it must be rendered.
    key: str | None = None
    make: Callable[[], dict[str, Any]] | None = None
    # The key worked out when first asked for (`page_key`): a build lists every page before it knows which
    # process renders it, and a book page's key asks where each of its picks leads.
    keying: Callable[[], str] | None = None
    writing: Callable[[], str] | None = None  # a text page's text, made when first asked for (`full_text`)
    parts: Callable[[], Iterable[str]] | None = None  # that text in parts (joined, the text), if given
    # A book page's file stamp, as text: a page whose book file has the stamp it had at the last build, in a
    # site whose lists (`Site.lists_key`), options and templates are as they were, is that build's page
    # (its key asks nothing else: where its picks lead is a matter of the lists), so its key is not asked.
    stamp: str | None = None

    def full_context(self) -> dict[str, Any]:
        if self.make is not None:
            self.context, self.make = self.make(), None
        return self.context

    def full_text(self) -> str:
        if self.writing is not None:
            self.text, self.writing = self.writing(), None
        return self.text or ""

    def page_key(self) -> str | None:
        if self.keying is not None:
            self.key, self.keying = self.keying(), None
        return self.key


# --- small pure helpers ---------------------------------------------------------------------------------


@functools.cache
def stars(rating: float) -> str:
    """4.5 -> '★★★★½': five places, quarters as fractions (as the terminal shows them)."""
    full = int(rating)
    part = _FRACTIONS.get(rating - full, "")
    return "★" * full + part + "☆" * (5 - full - (1 if part else 0))


@functools.cache
def rating_words(rating: float) -> str:
    return f"{rating:g} out of 5"


def human_date(value: PartialDate | None) -> str | None:
    """2025-03-01 -> '1 March 2025'; '2019-05' -> 'May 2019'; '2019' -> '2019'."""
    if value is None:
        return None
    if isinstance(value, date):
        return f"{value.day} {_MONTHS[value.month - 1]} {value.year}"
    if len(value) == 7:
        return f"{_MONTHS[int(value[5:7]) - 1]} {value[:4]}"
    return value


_NORMAL: dict[str, str] = {}


def _normal(text: str) -> str:
    """`normalize`, memoised: sorting thousands of books asks for the same titles again and again."""
    if text not in _NORMAL:
        _NORMAL[text] = normalize(text)
    return _NORMAL[text]


def _title_key(slug: str, book: Book) -> tuple[str, str]:
    return (_normal(book.title), slug)


def _review_date(book: Book) -> str:
    """When a review was published, for ordering and the feed: written, else finished, else added."""
    review = book.review
    if review is not None and review.written is not None:
        return review.written.isoformat()
    return sort_key(book.last_finished) or sort_key(book.added)


def excerpt(body: str | None, limit: int = 280) -> str:
    """The first paragraph of a review that is not a heading, as plain text, cut at a word."""
    for block in re.split(r"\n\s*\n", body or ""):
        text = " ".join(block.replace("\\\n", "\n").split())  # (a hard break's backslash: no word of it)
        if text and not text.startswith(("#", ">", "```", "<")):
            # An escaped mark is the mark itself, as the page shows it (`\\- not a list`, `Tom \\& Jerry`: an
            # imported review's, review 27b), never taken for markup: kept aside while the markup goes.
            aside = aside_for(text)
            text = escapes_aside(text, aside)
            text = re.sub(r"[*_`]+", "", text)
            text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
            text = escapes_back(text, aside)
            if len(text) > limit:
                text = text[:limit].rsplit(" ", 1)[0] + " …"
            return text
    return ""


def _json_date(value: PartialDate | None) -> str | None:
    return sort_key(value) or None


# --- the site -------------------------------------------------------------------------------------------


class Site:
    """The public books, with what every page needs to know about the others (URLs, names, statuses)."""

    def __init__(
        self,
        books: dict[str, Book],
        options: Options,
        stamps: dict[str, Any] | None = None,
        lines: dict[str, str | None] | None = None,
        public: bool = False,
        digests: dict[str, str] | None = None,
        editions: dict[str, list[tuple[str, str]]] | None = None,
        finders: dict[str, FinderKeys] | None = None,
    ):
        self.options = options
        self.urls = URLS
        self.stamps = stamps  # slug -> what identifies its file's content: book pages keyed by it
        self.lines = lines  # slug -> its library.json line, already made
        # `public`: the books are their public parts already (the site's content cache keeps only those)
        parts: dict[str, Book | None] = (
            dict(books) if public else {slug: public_book(book) for slug, book in books.items()}
        )
        self.books: dict[str, Book] = {s: b for s, b in sorted(parts.items()) if b is not None}
        # slug -> the reviews of its other editions a book's page publishes, for the books that have any:
        # given with public parts (the content cache keeps them beside), else asked of the books themselves
        self.editions: dict[str, list[tuple[str, str]]] = (
            dict(editions or {})
            if public
            else {s: found for s in self.books if (found := edition_reviews(books[s]))}
        )
        # A page for each book with a review: its own, or another edition's (a public review is published
        # on a page of its own, as the Markdown export gives it a post); with --all, for every book.
        editions = self.editions
        self.paged = {
            s for s, b in self.books.items() if options.include_all or b.review is not None or s in editions
        }
        # (each book's keys given where the content cache keeps them: `finders`, slug -> finder_keys)
        self._picks = finder = BookFinder(())
        known = finders or {}
        for slug, book in self.books.items():
            keys = known.get(slug)
            if keys is None:
                keys = finder_keys(book.title, series_pairs(book.series))
            finder.add(slug, book.authors, keys)
        self._pages: dict[str, dict[str, str]] = {}  # kind -> name -> its page's name (see _groups)
        every = self.books.items()
        self.tags = _groups(((slug, book.tags) for slug, book in every), self._pages, "tags")
        self.authors = _groups(((slug, book.authors) for slug, book in every), self._pages, "authors")
        self._urls: dict[tuple[str, str], str] = {}  # (name, kind) -> its page (asked thousands of times)
        self.finished = readings(self.books)
        self._summaries: dict[str, dict[str, Any]] = {}
        self._found: dict[tuple[str, tuple[str, ...]], str | None] = {}
        self.reviewed: list[str] | None = None  # see _reviewed
        self.review_count = 0  # (and _reviewed)
        # slug -> a digest of what lists are made from, per public book (content.Content.digests): with
        # them, the pages that list books are keyed (see `keyed`) and made only when a key changed
        self.digests = digests
        self._lists_key: str | None = None
        self._figures: dict[int, Stats] | None = None  # see _year_figures

    def lists_key(self) -> str:
        """What every list of books depends on, as one digest: which books are public, and each one's
        small part (all it is but its review's text, its reflections and its quotes); and which have
        another edition's review (such a book has a page: lists link to it)."""
        if self._lists_key is None:
            import hashlib

            digests = self.digests
            assert digests is not None
            # each book's slug and digest, an empty field, then the books with another edition's review: NUL
            # between fields (no slug holds one, or is empty), a join rather than JSON (a tenth of the time)
            listed = "\0".join(
                [*(f"{slug}\0{digests[slug]}" for slug in self.books), "", *sorted(self.editions)]
            )
            self._lists_key = hashlib.blake2b(
                listed.encode("utf-8", "surrogatepass"), digest_size=16
            ).hexdigest()
        return self._lists_key

    def name_url(self, name: str, kind: str) -> str:
        """The page of a tag or an author (`kind` "tags" or "authors")."""
        url = self._urls.get((name, kind))
        if url is None:
            page = self._pages.get(kind, {}).get(name) or _slug(name)
            url = self._urls[name, kind] = URLS[_ONE[kind]].format(slug=page)
        return url

    def book_url(self, slug: str) -> str:
        return URLS["book"].format(slug=slug)

    def url(self, slug: str) -> str | None:
        return URLS["book"].format(slug=slug) if slug in self.paged else None

    def link(self, slug: str) -> str | None:
        """Where a mention of a book leads: its page, else its place on the shelves."""
        if slug in self.paged:
            return URLS["book"].format(slug=slug)
        return URLS["shelf"].format(slug=slug) if self.books[slug].status in MARKED else None

    def year_url(self, year: str) -> str:
        return URLS["year"].format(year=year)

    def find(self, title: str, authors: list[str]) -> str | None:
        """The public book a pick names (identity's pick policy; asked once per pick and site: the book
        pages and the read-next map both ask)."""
        asked = (title, tuple(authors))
        if asked not in self._found:
            self._found[asked] = self._picks.find(title, authors)
        return self._found[asked]

    def summary(self, slug: str) -> dict[str, Any]:
        """A book as lists show it (the same dict each time: lists never change it)."""
        if slug not in self._summaries:
            self._summaries[slug] = self._summary(slug)
        return self._summaries[slug]

    def _summary(self, slug: str) -> dict[str, Any]:
        book = self.books[slug]
        return {
            "slug": slug,
            "title": book.title,
            "url": self.url(slug),
            "authors": book.authors,
            "stars": stars(book.rating) if book.rating is not None else None,
            "rating_words": rating_words(book.rating) if book.rating is not None else None,
            "headline": book.review.headline if book.review else None,
        }

    def names(self, names: list[str], kind: str) -> list[dict[str, str | None]]:
        return [{"name": name, "url": self.name_url(name, kind)} for name in names]


_ONE = {"tags": "tag", "authors": "author"}
_SLUGS: dict[str, str] = {}


def _slug(name: str) -> str:
    """A tag's or author's page name (memoised: the same few names come up thousands of times)."""
    if name not in _SLUGS:
        _SLUGS[name] = slugify(name)
    return _SLUGS[name]


def _groups(
    pairs: Iterable[tuple[str, list[str]]], pages: dict[str, dict[str, str]], kind: str
) -> dict[str, tuple[str, list[str]]]:
    """Names (tags, authors) grouped by what makes two names one (`normalize`: case, accents, spaces and
    punctuation; never the script: `мир` and `mir` are two tags, as `三体` and `santi` are), each group keyed
    by its page's name: the slug of the name as first written, made unique where two groups' slugs meet
    (`mir`, `mir-2`: a group whose name needs no transliteration keeps the bare slug, the rest follow in
    the order of their names). Fills `pages[kind]`: every name as written -> its group's page name."""
    found: dict[str, tuple[str, dict[str, None]]] = {}
    keys: dict[str, str] = {}  # name as written -> its group (the same few names, thousands of times)
    for slug, names in pairs:
        for name in names:
            key = keys.get(name)
            if key is None:
                key = keys[name] = _normal(name) or name
            group = found.get(key)
            if group is None:
                group = found[key] = (name, {})
            group[1][slug] = None
    page_of: dict[str, str] = {}  # group -> its page name
    taken: set[str] = set()
    # (a name of letters and digits that needs no transliteration first: `!!!`, whose slug is a stand-in,
    # never takes the bare slug of a real tag)
    for key in sorted(found, key=lambda k: (not (k.isascii() and _normal(found[k][0])), k)):
        bare = page = _slug(found[key][0])
        number = 2
        while page in taken:
            page, number = f"{bare}-{number}", number + 1
        taken.add(page)
        page_of[key] = page
    pages[kind] = {name: page_of[key] for name, key in keys.items()}
    grouped = {page_of[key]: (name, list(slugs)) for key, (name, slugs) in found.items()}
    return dict(sorted(grouped.items()))


@dataclass(frozen=True)
class Generator:
    """One kind of page: `pages(site)` makes them (each a path, a template and its context). `split`: its
    pages are many and cheap to list, and a parallel build shares them out (book pages); any other kind is
    made and rendered whole by one process."""

    name: str
    pages: Callable[[Site], list[Page]]
    split: bool = False


GENERATORS: list[Generator] = []  # in the order their pages are built; the sitemap comes after them all


def generator(
    name: str, split: bool = False
) -> Callable[[Callable[[Site], list[Page]]], Callable[[Site], list[Page]]]:
    """Register a function `(site) -> [Page, ...]` as a kind of page of the site: a new page is one such
    function and one template (see docs/ARCHITECTURE.md)."""

    def register(pages: Callable[[Site], list[Page]]) -> Callable[[Site], list[Page]]:
        if any(known.name == name for known in GENERATORS):
            raise ValueError(f"a site page generator named {name!r} is already registered")
        GENERATORS.append(Generator(name, pages, split))
        return pages

    return register


def build_pages(
    books: dict[str, Book],
    options: Options,
    stamps: dict[str, Any] | None = None,
    lines: dict[str, str | None] | None = None,
) -> list[Page]:
    """Every file of the site except the stylesheet, in a stable order: each generator's pages, then the
    sitemap of every HTML page among them.

    With `stamps` (slug -> what identifies the file's content), book pages are keyed by them and their
    contexts built only when needed; `lines` are the books' library.json lines, already made."""
    site = Site(books, options, stamps, lines)
    pages: list[Page] = []
    for kind in GENERATORS:
        pages += kind.pages(site)
    pages.append(sitemap(site, [page.path for page in pages]))
    return pages


def _published_facts(book: Book) -> list[dict[str, str]]:
    """The fields fields.py publishes on the book page (beyond those the template names), as label and
    words."""
    from readlog import fields

    published = _PUBLISHED.get(fields.generation)
    if published is None:  # (the table's published fields, once per table: most books have none of them)
        _PUBLISHED.clear()
        published = _PUBLISHED[fields.generation] = [
            (f.published, f) for f in fields.FIELDS.values() if f.published
        ]
    return [
        {"label": label, "value": f.kind.words(fields.value(book, f))}
        for label, f in published
        if not fields.is_empty(f, fields.value(book, f))
    ]


_PUBLISHED: dict[int, list[tuple[str, Field]]] = {}  # fields.generation -> the fields book pages show


def _page(site: Site, path: str, template: str, **context: Any) -> Page:
    depth = path.count("/")
    context = {"site_title": site.options.title, "root": "../" * depth, "path": path, "site_urls": site.urls,
               **context}  # fmt: skip
    return Page(path, template, context)


def keyed(site: Site, path: str, template: str, make: Callable[[], Page], texts: Iterable[str] = ()) -> Page:
    """A page that lists books, known by its inputs when the site has the books' digests: every book's
    small part (`Site.lists_key`), the options, and the stamps of the books whose texts it shows (`texts`:
    the home page's excerpts, the feed's reviews); its context is made only if it must be rendered.

    The rule that keeps this right: a page made this way reads nothing of a book but its small part, except
    the texts of the books named in `texts` (a review's text, reflections, quotes are in no other list)."""
    if site.digests is None or site.stamps is None:
        return make()
    stamps = [[slug, list(site.stamps[slug])] for slug in texts]
    key = json.dumps([template, path, site.lists_key(), repr(site.options), stamps])
    page = Page(path, template, key=key)
    page.make = lambda: make().context
    return page


def book_page(site: Site, slug: str) -> Page:
    book = site.books[slug]
    review = book.review
    series = None
    if book.series:
        series = "; ".join(s["name"] + (f" #{s['number']}" if s.get("number") else "") for s in book.series)
    picks = []
    for number, pick in enumerate(book.next, 1):
        target = site.find(pick.title, pick.authors)
        status = site.books[target].status if target else None
        picks.append({
            "number": number,
            "title": pick.title,
            "authors": pick_byline(book, pick.authors),
            "why": pick.why,  # as written (a template of the reader's own may use it whole)
            "why_paragraphs": paragraphs(pick.why),
            "url": site.link(target) if target else None,
            "status": status if status in MARKED else None,
        })  # fmt: skip
    reflections: list[dict[str, Any]] = [
        {"date": human_date(r.date), "text": r.text, "title": r.title} for r in book.reflections
    ]
    places = {id(r): number for number, r in enumerate(book.reflections)}
    titled = [r for r in reflections if r["title"]]
    for number, reflection in enumerate(titled, 1):
        reflection["number"] = number  # (its place among the titled ones: the id of its section)
    reads = in_date_order(book.reads)  # (as `show` lists them)
    return _page(
        site,
        site.book_url(slug),
        "book.html",
        title=review.headline if review and review.headline else book.title,
        book={
            "title": book.title,
            "authors": _separated(site.names(book.authors, "authors"), ", "),
            "year": book.year,
            "pages": book.pages,
            "series": series,
            "status": book.status,
            "tags": _separated(site.names(book.tags, "tags"), ", "),
            "reads": _readings(book, reads),
            "reads_label": readings_label(book, reads) if reads else "",  # (one: Read, Reading, Abandoned)
            "rating": book.rating,
            "stars": stars(book.rating) if book.rating is not None else None,
            "rating_words": rating_words(book.rating) if book.rating is not None else None,
            "facts": _published_facts(book),
        },
        review={
            "headline": review.headline,
            "written": human_date(review.written),
            "body": review.body,
        }
        if review
        else None,
        # after the review, each with what tells its edition (privacy.edition_reviews: a private review
        # hides them, notes to self are out)
        edition_reviews=[
            {"number": number, "told": told, "text": text}
            for number, (told, text) in enumerate(site.editions.get(slug, ()), 1)
        ],
        reflections=reflections,
        titled_reflections=titled,
        untitled_reflections=[  # by date, as `show` lists them (the file keeps its order)
            reflections[places[id(r)]] for r in notes_by_date(book.reflections) if not r.title
        ],
        quotes=[
            {
                "text": q.text,
                "where": f"p. {q.page}" if q.page is not None else q.location,
                "note": q.note,
            }
            for q in quotes_in_book_order(book.quotes)  # (the order `show` and the post give them)
        ],
        read_next={
            "heading": read_next_heading(book),
            "intro": book.read_next.intro if book.read_next else None,
            "picks": picks,
        }
        if picks
        else None,
    )


def _separated(items: list[dict[str, Any]], sep: str) -> list[dict[str, Any]]:
    """Each item with `sep`: what follows it in a list written out (`sep`, nothing after the last), so a
    template needs no `loop.last` (a loop that asks for it costs a tenth of a book page)."""
    for item in items:
        item["sep"] = sep
    if items:
        items[-1]["sep"] = ""
    return items


@generator("books", split=True)
def book_pages(site: Site) -> list[Page]:
    """A page per public book with a review, its own or another edition's (per public book, with --all)."""
    if site.stamps is None:
        return [book_page(site, slug) for slug in sorted(site.paged)]
    return [lazy_book_page(site, slug, site.stamps[slug]) for slug in sorted(site.paged)]


def lazy_book_page(site: Site, slug: str, stamp: Any) -> Page:
    """A book page known by its inputs: the book file's stamp, the options, and where its picks lead (its
    key worked out when asked for, its context when it is rendered)."""
    page = Page(site.book_url(slug), "book.html", stamp=".".join(map(str, stamp)))
    page.keying = lambda: book_page_key(site, slug, stamp)
    page.make = lambda: book_page(site, slug).context
    return page


def book_page_key(site: Site, slug: str, stamp: Any) -> str:
    book = site.books[slug]
    picks = []
    for pick in book.next:
        target = site.find(pick.title, pick.authors)
        picks.append([site.link(target), site.books[target].status] if target else None)
    # (repr: plain strings, numbers, None, lists and tuples, each written one way; cheaper than JSON here)
    return repr(("book", slug, tuple(stamp), site.options.title, site.options.include_all, picks))


def _reviewed(site: Site) -> list[str]:
    """Slugs of the newest public reviews, newest first: as many as the home page or the feed shows
    (worked out once per site: both ask; the newest taken out, not all sorted: the build's one process asks,
    before its pages are shared out). How many there are in all: `site.review_count`."""
    if site.reviewed is None:
        dated = [(_review_date(book), slug) for slug, book in site.books.items() if book.review is not None]
        site.review_count = len(dated)
        site.reviewed = [slug for _, slug in heapq.nlargest(max(HOME_REVIEWS, FEED_ENTRIES), dated)]
    return site.reviewed


@generator("home")
def home_pages(site: Site) -> list[Page]:
    shown = _reviewed(site)[:HOME_REVIEWS]
    return [keyed(site, URLS["home"], "home.html", lambda: home_page(site), texts=shown)]


def home_page(site: Site) -> Page:
    reviews = []
    for slug in _reviewed(site)[:HOME_REVIEWS]:
        book = site.books[slug]
        assert book.review is not None
        reviews.append({**site.summary(slug), "excerpt": excerpt(book.review.body)})
    return _page(
        site,
        URLS["home"],
        "home.html",
        title=site.options.title,
        reviews=reviews,
        reviewed=site.review_count,
        books=len(site.books),
    )


@generator("shelves")
def shelves_pages(site: Site) -> list[Page]:
    return [keyed(site, URLS["shelves"], "shelves.html", lambda: shelves_page(site))]


def shelves_page(site: Site) -> Page:
    books = site.books
    reading = sorted(
        (s for s, b in books.items() if b.status == "reading"), key=lambda s: _title_key(s, books[s])
    )
    want = sorted(
        (s for s, b in books.items() if b.status == "want"),
        key=lambda s: (books[s].priority is None, books[s].priority or 0, books[s].added is None,
                       sort_key(books[s].added), s),
    )  # fmt: skip
    by_year: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for slug, book in books.items():
        # (a read book started again, paused or given up since, or wanted again, was read: try-out 30a #5,
        # review 30b #1: it had left the shelf while its year's page and stats listed it)
        if book.status == "read" or done_readings(book):
            finished = sort_key(book.last_finished)
            by_year[finished[:4] or "Undated"].append((finished, slug))
    years, now = [], {*reading, *want}  # (one anchor a book: a want book read before keeps the want shelf's)
    for year in sorted(by_year, key=lambda y: (y != "Undated", y), reverse=True):
        ordered = sorted(by_year[year], reverse=True)
        years.append({"year": year, "url": site.year_url(year) if year != "Undated" else None,
                      "books": [_shelved(site, s, s in now) for _, s in ordered]})  # fmt: skip
    return _page(
        site,
        URLS["shelves"],
        "shelves.html",
        title="Shelves",
        reading=[site.summary(s) for s in reading],
        want=[site.summary(s) for s in want],
        years=years,
    )


def _shelved(site: Site, slug: str, elsewhere: bool) -> dict[str, Any]:
    """A book on the read shelf; one being read again, or wanted again, is on that shelf too, whose entry
    alone is its place on the shelves (`shelf`: one anchor per book)."""
    summary = site.summary(slug)
    return dict(summary, anchor=False) if elsewhere else summary


@generator("tags")
def tag_pages(site: Site) -> list[Page]:
    """A page per tag, and the list of tags."""
    return name_pages(site, "tags")


@generator("authors")
def author_pages(site: Site) -> list[Page]:
    """A page per author, and the list of authors."""
    return name_pages(site, "authors")


def name_pages(site: Site, kind: str) -> list[Page]:
    groups = site.tags if kind == "tags" else site.authors
    label = "Tag" if kind == "tags" else "Author"
    pages = []
    index: list[dict[str, Any]] = []
    for key, (name, slugs) in groups.items():
        path = URLS[_ONE[kind]].format(slug=key)
        make = functools.partial(_name_page, site, path, name, label, slugs)
        pages.append(keyed(site, path, "list.html", make))
        index.append({"name": name, "url": path, "count": len(slugs)})
    index.sort(key=lambda item: (_normal(item["name"]), item["url"]))
    title = "Tags" if kind == "tags" else "Authors"
    pages.append(_page(site, URLS[kind], "names.html", title=title, names=index))
    return pages


def _readings(book: Book, reads: list[Read]) -> list[dict[str, Any]]:
    """A book's readings (`reads`, in date order) as `show` lists them (an undated one as "date unknown"),
    each with its own rating when the book has more than one (one reading's is the book's, above it)."""
    gave_up, last = (given_up(book, reads) if reads else False), len(reads)
    return _separated(
        [
            {
                "started": human_date(r.started),
                "finished": human_date(r.finished),
                "stopped": human_date(r.stopped),
                "undated": None if r.started or r.finished or r.stopped else undated(gave_up and n == last),
                "rating": rating_words(r.rating) if r.rating is not None and len(reads) > 1 else None,
            }
            for n, r in enumerate(reads, 1)
        ],
        "; ",
    )


def _name_page(site: Site, path: str, name: str, label: str, slugs: list[str]) -> Page:
    ordered = sorted(slugs, key=lambda s: _title_key(s, site.books[s]))
    return _page(site, path, "list.html", title=name, kind=label, books=[site.summary(s) for s in ordered])


# --- the year in review: the numbers of `stats --year YEAR --json`, over the public part ----------------


def readings(books: dict[str, Book]) -> list[Reading]:
    """(slug, started, finished, pages) for every finished reading, as the index's book_reads holds them."""
    return [
        (slug, sort_key(read.started), sort_key(read.finished), book.pages)
        for slug, book in books.items()
        for read in book.reads
        if read.finished is not None
    ]


Reading = tuple[str, str, str, "int | None"]  # slug, started, finished, pages


def by_year(done: list[Reading]) -> dict[str, list[Reading]]:
    """Finished readings grouped by the year they finished, in year order."""
    groups: dict[str, list[Reading]] = defaultdict(list)
    for row in done:
        groups[row[2][:4]].append(row)
    return dict(sorted(groups.items()))


def year_stats(books: dict[str, Book], year: int) -> Stats:
    """`readlog stats --year YEAR` over `books`: the same engine, asking the books instead of the index."""
    from readlog.stats import BooksLedger, compute_years

    return compute_years(BooksLedger(books), [year])[year]


@generator("years")
def year_pages(site: Site) -> list[Page]:
    grouped = by_year(site.finished)
    years = sorted(grouped, reverse=True)
    pages = [
        keyed(
            site, site.year_url(year), "year.html", functools.partial(year_page, site, grouped, years, year)
        )
        for year in years
    ]
    index = [{"year": y, "url": site.year_url(y), "books": len(grouped[y])} for y in years]
    pages.append(_page(site, URLS["years"], "years.html", title="Years in review", years=index))
    return pages


def _year_figures(site: Site, years: list[str]) -> dict[int, Stats]:
    """`stats --year`'s numbers for every year with a page, worked out once (when a first year page is
    made)."""
    from readlog.stats import BooksLedger, compute_years

    if site._figures is None:
        site._figures = compute_years(BooksLedger(site.books), [int(year) for year in years])
    return site._figures


def year_page(site: Site, grouped: dict[str, list[Reading]], years: list[str], year: str) -> Page:
    stats = _year_figures(site, years)[int(year)]  # `stats --year`'s
    finished = sorted(
        {slug for slug, *_ in grouped[year]}, key=lambda s: (sort_key(site.books[s].last_finished), s)
    )
    rated = [s for s in finished if (site.books[s].rating or 0) >= 4]
    favourites = sorted(rated, key=lambda s: (-(site.books[s].rating or 0), _title_key(s, site.books[s])))[:5]
    # `pages_known`: of the books, those with a page count (the pages add up only theirs: the page shows
    # `?` when none has one, `600+` when only some have)
    known = stats.books_with_pages_per_month
    months: list[dict[str, Any]] = [
        {
            "month": _MONTHS[int(key[5:]) - 1],
            "books": count,
            "pages": stats.pages_per_month[key],
            "pages_known": known.get(key, count),
        }
        for key, count in stats.books_per_month.items()
    ]
    return _page(
        site,
        site.year_url(year),
        "year.html",
        title=f"{year} in review",
        year=year,
        finished=stats.finished,
        pages=stats.pages_per_year.get(year, 0),
        pages_known=stats.books_with_pages_per_year.get(year, stats.finished),
        months=months,
        most=max((m["books"] for m in months), default=0),
        ratings=[
            {"rating": r, "stars": stars(float(r)), "books": n}
            for r, n in sorted(stats.ratings.items(), key=lambda item: -float(item[0]))
        ],
        top_authors=[
            {"name": n, "books": c, "url": site.name_url(n, "authors")} for n, c in stats.top_authors
        ],
        top_tags=[{"name": n, "books": c, "url": site.name_url(n, "tags")} for n, c in stats.top_tags],
        average_days=stats.average_days_to_finish,
        rereads=stats.rereads,
        favourites=[site.summary(s) for s in favourites],
        books=[site.summary(s) for s in finished],
    )  # fmt: skip


@generator("graph")
def graph_pages(site: Site) -> list[Page]:
    return [keyed(site, URLS["graph"], "graph.html", lambda: graph_page(site))]


def graph_page(site: Site) -> Page:
    """Which book led to which: every public book with picks, its picks linked where the site has them."""
    sources: list[dict[str, Any]] = []
    for slug, book in site.books.items():
        if not book.next:
            continue
        picks = []
        for pick in book.next:
            target = site.find(pick.title, pick.authors)
            status = site.books[target].status if target else None
            url = site.link(target) if target else None
            marked = status if status in MARKED else None
            picks.append({"title": pick.title, "authors": pick.authors, "url": url, "status": marked})
        sources.append({"title": book.title, "url": site.url(slug), "authors": book.authors, "picks": picks})
    sources.sort(key=lambda s: (_normal(s["title"]), s["url"] or ""))
    return _page(site, URLS["graph"], "graph.html", title="What led to what", sources=sources)


# --- feeds and data -------------------------------------------------------------------------------------


def _absolute(site: Site, path: str) -> str:
    return site.options.base_url + path


@generator("feed")
def feed_pages(site: Site) -> list[Page]:
    shown = _reviewed(site)[:FEED_ENTRIES]
    return [keyed(site, URLS["feed"], "feed.xml", lambda: feed(site), texts=shown)]


def feed(site: Site) -> Page:
    entries: list[dict[str, Any]] = []
    for slug in _reviewed(site)[:FEED_ENTRIES]:
        book = site.books[slug]
        review = book.review
        assert review is not None
        day = _review_date(book)
        url = _absolute(site, site.book_url(slug))
        entries.append({
            "id": url if site.options.base_url else f"urn:readlog:book:{slug}",
            "title": review.headline or book.title,
            "book": book.title,
            "authors": book.authors,
            "url": url,
            "updated": _timestamp(day),
            "rating_words": rating_words(book.rating) if book.rating is not None else None,
            "body": review.body or "",
        })  # fmt: skip
    updated = max((e["updated"] for e in entries), default=_timestamp(""))
    return _page(
        site,
        URLS["feed"],
        "feed.xml",
        title=site.options.title,
        id=site.options.base_url or "urn:readlog:site",
        base_url=site.options.base_url,
        updated=updated,
        entries=entries,
    )


def _timestamp(day: str) -> str:
    """A journal date as an Atom time: partial dates at their first day; no date at all, the epoch."""
    day = (day + "-01-01"[len(day) - 4 :]) if len(day) in (4, 7) else day or "1970-01-01"
    return f"{day}T00:00:00Z"


LIBRARY_LINE = 2  # the form of a library.json line: cached lines of another form are made again


def library_line(slug: str, book: Book) -> str | None:
    """A book's line in library.json: its public part with the field names of `show --json`, or None.

    The review's text is left out (its headline and date stay): the words are the book's page and the
    feed; the library is the list of books, and stays small enough to fetch (a third of the site without).
    One book a line (the C encoder: an indented dump is five times slower); `<` escaped (the same JSON),
    so the file is safe even where someone inlines it into a page."""
    return public_line(slug, public_book(book))


def public_line(slug: str, public: Book | None) -> str | None:
    """`library_line` of the book whose public part (`public_book`) is `public`."""
    if public is None:
        return None
    # book_to_json's object, with the encoder writing the dates (as book_to_json does: ISO) rather than a
    # walk over every value first
    data = {"slug": slug, **book_to_dict(public)}
    data.setdefault("authors", [])
    if isinstance(data.get("review"), dict):
        data["review"].pop("body", None)
        if not data["review"]:
            del data["review"]
    if not _LIBRARY_JSON:
        from readlog.exporters.site.content import json_encoder

        _LIBRARY_JSON.append(json_encoder(_isoformat))
    return _LIBRARY_JSON[0](data).replace("<", "\\u003c")


_LIBRARY_JSON: list[Callable[[Any], str]] = []  # json.dumps(..., ensure_ascii=False, default=_isoformat)


def _isoformat(value: Any) -> Any:
    if hasattr(value, "isoformat"):  # dates, times (a hand-written unknown key's)
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not a value of a book")


@generator("library")
def library_pages(site: Site) -> list[Page]:
    if site.digests is None:
        return [library_json(site, site.lines)]
    # (in a build: made by the process that writes it, as books' pages are)
    page = Page(URLS["library"], None)
    page.writing = lambda: library_json(site, site.lines).full_text()
    # (its digest is of its text's parts: a rebuild whose library is the same never puts 10 MB together)
    page.parts = lambda: _library_parts(site, site.lines)
    return [page]


def library_json(site: Site, lines: dict[str, str | None] | None = None) -> Page:
    """The public books (a library.json others can read)."""
    return Page(URLS["library"], None, text="".join(_library_parts(site, lines)))


def _library_parts(site: Site, lines: dict[str, str | None] | None) -> Iterator[str]:
    """library.json's text, in parts: a book a line."""
    if not site.books:
        yield "[]\n"
        return
    yield "[\n"
    between = ""
    for slug, book in site.books.items():
        line = (lines.get(slug) if lines is not None and slug in lines else None) or library_line(slug, book)
        if line:
            yield between
            yield line
            between = ",\n"
    yield "\n]\n"


def sitemap(site: Site, paths: list[str]) -> Page:
    """Every HTML page of the site, from the paths of all the others."""
    urls = sorted(_absolute(site, path) for path in paths if path.endswith(".html"))
    return _page(site, URLS["sitemap"], "sitemap.xml", title="", urls=urls)
