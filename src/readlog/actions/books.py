"""Verbs on one book: add, show, reflect, quote, review, rate, rm, and the lookups behind edit."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from readlog.actions.tags import canonical_tags, split_tags
from readlog.errors import (
    AmbiguousBook,
    BookExists,
    BookNotFound,
    Cancelled,
    InvalidValue,
    MaybeSameBook,
    Option,
    ReadlogError,
    UsageError,
)
from readlog.identity import (
    Candidate,
    Found,
    Work,
    alike_as_typed,
    alike_in_authors,
    describe,
    named_as_typed,
    named_with_places,
    same_either_way,
)
from readlog.journal import Journal
from readlog.lazyclass import dataclass_when_used
from readlog.model import (
    NAME_MAX,
    PAGES,
    YEARS,
    Book,
    BookSummary,
    Entry,
    PartialDate,
    Quote,
    Read,
    Reflection,
    Review,
    parse_date,
    parse_int,
    parse_isbn,
    parse_line,
    parse_names,
    parse_rating,
    parse_status,
    parse_text,
    sort_key,
)
from readlog.text import one_line


@dataclass_when_used
class AddResult:
    entry: Entry
    created: bool  # False: an existing book got another reading (--reread)
    rated_alone: str = ""  # --reread --rating: how the reading took it alone (not the latest one)


@dataclass_when_used
class ReviewText:
    """A review as typed: headline and body, either may be missing. `private` None: as the review it
    replaces (a private review stays private when it is rewritten; a first review is public). With
    `only_headline` (a --headline and no text), the headline is all that changes: the body stays."""

    headline: str | None
    body: str | None
    private: bool | None = None  # True: never published; False: published (`--public`); None: as it was
    only_headline: bool = False

    def __bool__(self) -> bool:
        return bool(self.headline or self.body)


def find_book(journal: Journal, query: str) -> Entry:
    """The book a writing command acts on: a sure match (slug, whole title or main title, TITLE by AUTHOR),
    or one the reader chose on a terminal (see Journal.find)."""
    return journal.resolve(query)


def named(book: BookSummary) -> str:
    """A book's title as a message names the book a command wrote to, on one line, with its places in series
    that its title does not name (identity.placed_title: `Saga (Saga #1)`): two volumes titled alike are
    never named alike (try-out 30a #7: `progress "Saga, Vol. 1" 20%` said only “Saga”: at 20%)."""
    return named_with_places(book)


def slug_of(journal: Journal, query: str) -> str:
    """`find_book` without reading the book: the slug its file is named by."""
    return journal.find(query).slug


@dataclass_when_used
class Shown:
    entry: Entry
    found: Found

    @property
    def guessed(self) -> bool:
        """The query was not sure to name this book (words of its title, a near spelling): the reader
        should be told which book this is."""
        return not self.found.how.sure

    def also_titled(self, query: str) -> str:
        """What `show` says on stderr of a one-word slug that is also another book's whole title
        (`found.others`): the file it showed, and the other books' slugs."""
        from readlog.identity import also_titled

        return also_titled(query, self.found)


def show_book(journal: Journal, query: str, at: str | None = None) -> Shown:
    """The book `show` and `export BOOK` display: sure matches, or a typo-sized winner. With `at` (a date
    or a git revision), the book as it was then, from the journal's git history."""
    found = journal.find(query, fuzzy=True)
    if at is not None:
        from readlog.sync.history import entry_at

        return Shown(entry_at(journal, found.slug, at), found)
    return Shown(journal.load(found.slug, allow_newer=True), found)


def no_blank_author(authors: Sequence[str]) -> list[str]:
    """The authors typed, refusing an empty one (`--author ""`): it added a book with no author in a script,
    where leaving --author out is refused as a missing author."""
    if any(not author.strip() for author in authors):
        raise InvalidValue(
            "--author: an author's name is empty: give the name, e.g. --author 'Ursula K. Le Guin'"
        )
    return [parse_line(author, Option("--author"), required=True) for author in authors]


def add_book(
    journal: Journal,
    title: str,
    authors: Sequence[str],
    *,
    status: str | None = None,
    rating: str | None = None,
    tags: Sequence[str] = (),
    started: str | None = None,
    finished: str | None = None,
    year: int | None = None,
    isbn: str | None = None,
    pages: int | None = None,
    review: ReviewText | None = None,
    reread: bool = False,
    private: bool = False,
    today: date | None = None,
    new: bool = False,
    before_create: Callable[[], None] | None = None,
) -> AddResult:
    """A new book. `status` read (the default) with no dates records one undated reading: the reader
    read it, when is not known. `reading` opens a reading (started today unless given). A book that is
    surely in the journal already is refused (BookExists), one that may be is too (MaybeSameBook), unless
    `new` says it is another book (identity.same_work). `before_create`: what must come before the book is
    written and only once it is sure to be (`add --lookup`'s cover download), never for a refused one."""
    today = today or date.today()
    title = parse_line(title, "title", required=True)
    names = no_blank_author(authors)
    typed = bool(status)  # (`add --reread` of a past reading leaves a book being read as it is)
    status = parse_status(status, Option("--status")) if status else "read"
    read = _read(started, finished)
    if read is None and not reread:
        if status == "read":
            read = Read()
        elif status == "reading":
            read = Read(started=today)
    book = Book(
        title=title,
        authors=names,
        status=status,
        rating=parse_rating(rating, Option("--rating")) if rating else None,
        tags=canonical_tags(journal, split_tags(tags, Option("--tag"))),
        year=parse_int(year, Option("--year"), YEARS) if year is not None else None,
        isbn=parse_isbn(isbn, Option("--isbn")) if isbn else None,
        pages=parse_int(pages, Option("--pages"), PAGES) if pages is not None else None,
        added=today,
        reads=[read] if read else [],
        private=private,
    )
    if review:
        book.review = make_review(review, today)
    if reread and not new:  # (the book is in the journal: found, never created; see _reread_of)
        slug = _reread_of(journal, book, read)
        if book.review is not None:
            raise InvalidValue("--reread logs another reading; add thoughts on it with `readlog reflect`")
        alone: list[bool] = []
        given = status if typed else None
        entry = journal.modify(slug, lambda b: alone.append(_log_reread(b, read, given, book.rating)))
        return AddResult(entry, False, rated_alone=_rated_alone(entry.book) if alone[-1] else "")
    if reread and not names:  # (`add` asks for an author unless --reread: with --new, a book needs one)
        raise ReadlogError("missing author: give it with --author NAME")
    try:
        if before_create is not None:
            journal.check_new(book, new)  # (refused before it is asked: no cover fetched for nothing)
            before_create()
        return AddResult(journal.create(book, new=new), True)
    except BookExists as exists:  # the one book it surely is; the reader may still mean another
        raise _another(exists) from None


def _by_slug(journal: Journal, query: str, authors: Sequence[str]) -> str | None:
    """`add SLUG --reread`: the book whose file the slug names, when its authors are not others
    (identity.slug_is_by: an authorless book is named by its slug, whatever author is typed beside it).
    None when the slug is not surely that book (`dune`, also the title of another *Dune*: the title and
    authors decide, as for any title), asked of nobody."""
    from readlog.identity import Match, slug_is_by
    from readlog.text import is_slug

    query = query.strip()
    if not is_slug(query) or not journal.path_for(query).is_file():
        return None
    try:
        with journal.without_questions():
            found = journal.find(query)
    except ReadlogError:  # (not sure: several books it may name)
        return None
    if found.how is not Match.SLUG:
        return None
    return found.slug if slug_is_by(authors, journal.load(found.slug).book.authors) else None


def _reread_of(journal: Journal, book: Book, read: Read | None) -> str:
    """`add TITLE --reread`: the slug of the book the reading goes to. `--reread` says the book is in the
    journal, so nothing is created here. The slug of a book by the authors typed (or by none: `_by_slug`);
    with no author, TITLE as any BOOK is (as `finish BOOK --reread`: a sure match; several asked about on a
    terminal, refused in a script naming each); else the one book the title and authors surely are (as
    plain `add` would refuse it), when no book that maybe is is one nothing typed tells from it
    (identity.alike_as_typed: *Saga* beside *Saga* in series Saga #3); several are asked about on a terminal
    and refused in a script naming each, as `start` and `rate` do (try-out 28b #3). Anything less, a near
    title or author, someone else's book of that title, no book at all, is refused (MaybeSameBook naming
    the close ones and `--new`; a terminal asks it as a maybe): the reading never lands in a new book the
    reader did not ask for."""
    title, names = book.title, book.authors
    slug = _by_slug(journal, title, names)
    if slug is not None:
        return slug
    if not names:
        try:
            return journal.find(title).slug
        except BookNotFound as error:
            raise BookNotFound(
                f"{error}; with --author NAME and --new, `add` adds it as a new book"
            ) from None
    sure, maybe = journal.same_works(Work.of(book), same_either_way)  # (as plain `add`: authors vs none)
    sure = named_as_typed(title, sure, lambda e: e.book.title)  # `IT` is *IT*, not *It* (the case typed)
    sure = alike_in_authors(names, sure, lambda e: e.book.authors)
    if sure:  # (and the maybes nothing typed tells from it: *Saga*, and *Saga* in series Saga #3)
        sure += alike_as_typed(title, names, maybe, lambda e: e.book.title, lambda e: e.book.authors)
    if len(sure) > 1:  # several: asked on a terminal, refused in a script naming each (as start, rate)
        books = [Candidate.of(e.slug, e.book) for e in sure]
        if journal.chooser is not None:
            chosen = journal.chooser(title, books)
            if chosen is None:
                raise Cancelled("nothing was added")
            return chosen.slug
        on = f" --date {sort_key(read.finished)}" if read is not None and read.finished else ""
        raise AmbiguousBook(
            f"{one_line(title)!r} names several books of the journal: {describe(books)}; nothing was added: "
            f"`readlog finish SLUG --reread{on}` logs another reading of the one you mean",
            books,
        )
    if sure:
        return sure[0].slug
    broken = journal.unreadable_for(title)
    if broken:
        from readlog.journal import unreadable_here

        raise unreadable_here(title, broken, doing="nothing was added")
    maybe += [e for e in journal.typed_near(Work.of(book)) if e not in maybe]  # (`Dnue`: a typo of *Dune*)
    close = _close_to(journal, title, [Candidate.of(e.slug, e.book) for e in maybe])
    raise MaybeSameBook(not_in_journal(title, names, close), tuple(c.slug for c in close))


def _close_to(journal: Journal, title: str, maybe: Sequence[Candidate]) -> list[Candidate]:
    """The books `add TITLE --author NAME --reread` may have meant, none surely: the book whose file the
    slug typed names, those identity's maybe policy names (`maybe`: a near spelling of the title or an
    author), then those TITLE names as a BOOK query with no author (*Dune* by Frank Herbert for `Dune` by
    Brian Herbert; words of a title, a close spelling) or the look-up's did-you-mean."""
    from readlog.identity import lookup
    from readlog.text import is_slug

    close: dict[str, Candidate] = {}
    query = title.strip()
    if is_slug(query) and journal.path_for(query).is_file():
        named = journal.load(query).book
        close[query] = Candidate.of(query, named)
    close.update((c.slug, c) for c in maybe if c.slug not in close)
    index = journal.fresh_index()
    looked = lookup(query, index.with_key, index.containing, index.candidates)
    found = [looked.sure.candidate] if looked.sure is not None else []
    for candidate in [*found, *looked.maybe, *looked.not_by, *looked.suggested]:
        close.setdefault(candidate.slug, candidate)
    return list(close.values())


def not_in_journal(title: str, authors: Sequence[str], close: Sequence[Candidate]) -> str:
    """Why `add TITLE --reread` adds nothing: the book typed is not surely in the journal. The books it may
    have meant are named, with the way to each (a reading of one of them, or `--new`: a book of its own);
    never as a question: on a terminal the one question after it is whether to add a separate book (a yes
    to "did you mean X?" there added the duplicate: review 27b)."""
    who = f"{one_line(title)!r} by {one_line(', '.join(authors))}"
    if not close:
        return (
            f"{who} is not in the journal (nothing was added: --reread logs another reading of a book in it; "
            "`--new` adds it as a new book)"
        )
    new = "`--new` adds a separate book)"
    if len(close) == 1:
        return (
            f"{who} is not in the journal; the closest is {close[0].describe()} (nothing was added: "
            f"`readlog add {close[0].slug} --reread` logs another reading of it, {new}"
        )
    return (
        f"{who} is not in the journal; the closest are {describe(close)} (nothing was added: "
        f"`readlog add SLUG --reread` logs another reading of the one you mean, {new}"
    )


def check_add(journal: Journal, title: str, authors: Sequence[str]) -> None:
    """What `add` of `title` by `authors` would refuse for the book it is (BookExists: the journal has it;
    MaybeSameBook: it may), raised before anything else is asked of the reader (a terminal's `Finished
    when?`): which book it is comes first. A title or author `add` refuses is left for it to say."""
    try:
        book = Book(  # (as add_book takes them: parse_line, a bell or an escape code dropped)
            title=parse_line(title, "title", required=True),
            authors=[a.strip() for a in parse_names(no_blank_author(authors), Option("--author"))],
        )
    except ReadlogError:
        return
    try:
        journal.check_new(book)
    except BookExists as exists:
        raise _another(exists) from None


def _another(exists: BookExists) -> BookExists:
    return BookExists(f"{exists}; `readlog add --new` adds a separate book", exists.slug)


def new_slug(journal: Journal, title: str, authors: Sequence[str], year: int | None = None) -> str:
    """The slug `add` gives such a book now (journal.free_slug): what its review's draft is named by, so
    that the draft `add --edit` keeps is found by the name the book will have (`cplusplus-primer-plus`
    for *C++ Primer Plus*, `dune-herbert` beside another *Dune*). Checked as `add` checks them; a title
    that is not one yet (empty, too long) is named plainly, for `add` to refuse after."""
    from readlog.text import slugify

    try:
        book = Book(
            title=parse_line(title, "title", required=True),
            authors=[parse_line(a, Option("--author")) for a in authors if a.strip()],
            year=year,
        )
        return journal.free_slug(book)
    except ReadlogError:
        return slugify(title)


def draft_review(text: ReviewText) -> Review:
    """The review typed so far, unchecked and undated: what the editor opens with."""
    return Review(text.headline, None, text.body)


def book_json(entry: Entry) -> dict[str, object]:
    """A book as `--json` shows it (the export's JSON of one book, with its slug)."""
    from readlog.model import book_to_json

    return book_to_json(entry.book, entry.slug)


def make_review(review: ReviewText, today: date, was: Review | None = None) -> Review:
    """The review `review` gives, written `today`. `was` is the review it replaces: its privacy stays
    unless the reader said otherwise, with `only_headline` its body stays too, and the keys the reader
    added to its table by hand stay whatever the text (`extra`: the file's writer keeps them in a
    `[review]` table anyway, but a review written inline, `review = {...}`, is written anew from these)."""
    headline = parse_text(review.headline or "", Option("--headline"), max_length=NAME_MAX).strip() or None
    body = parse_text(review.body or "", "review") or None
    if review.only_headline and was is not None and body is None:
        body = was.body
    extra = dict(was.extra) if was is not None else {}
    return Review(
        headline=headline, written=today, body=body, private=review_private(review, was), extra=extra
    )


def review_private(review: ReviewText, was: Review | None) -> bool:
    """Whether the review `review` gives is private: as the reader said (`--private`, `--public`), else as
    the review it replaces, else public. (A rewrite that dropped the flag would publish what the reader
    kept to themselves: the worst thing readlog could do.)"""
    if review.private is not None:
        return review.private
    return was is not None and was.private


def _read(started: str | None, finished: str | None) -> Read | None:
    if not (started or finished):
        return None
    read = Read(
        started=parse_date(started, Option("--started"), partial=True) if started else None,
        finished=parse_date(finished, Option("--finished"), partial=True) if finished else None,
    )
    if read.started and read.finished and after(read.started, read.finished):
        raise UsageError(
            f"--started {sort_key(read.started)} is after --finished {sort_key(read.finished)}", "--started"
        )
    return read


def after(first: PartialDate, second: PartialDate) -> bool:
    """`first` is surely later than `second` (partial dates compare as far as both are known)."""
    from readlog.reading import surely_after

    return surely_after(first, second)


def _log_reread(book: Book, read: Read | None, status: str | None, stars: float | None) -> bool:
    """`add TITLE --reread`: another reading of the book, rated (`stars`) as `finish BOOK --reread` rates
    it (reading.rate_reading): an open one, or one finished before the latest, alone. True if the rating went
    to the reading alone."""
    from readlog.reading import is_done, rate_reading

    going = book.open_read  # (a reading going on stays so: a past one logged beside it does not end it)
    book.reads.append(read := read or Read())
    alone = stars is not None and not rate_reading(book, read, stars)
    if status:
        book.status = parse_status(status, Option("--status"))
    elif read.started and not read.finished:
        book.status = "reading"
    elif going is None or is_done(book, going):  # (finished, or on a day nobody knows)
        book.status = "read"
    return alone


def _rated_alone(book: Book) -> str:
    """How `add --reread --rating` says the rating went to the new reading alone: it is open (the book takes
    it when it is finished), or another reading finished after it (the book keeps that one's)."""
    from readlog.reading import is_done, latest_done

    read = book.reads[-1]
    given = f"{read.rating:g}" if read.rating is not None else "?"
    if read.finished is None:
        return f"this reading rated {given} (the book takes it when you finish it: `readlog finish`)"
    latest = latest_done([r for r in book.reads if r is not read and is_done(book, r)])
    keeps = f"keeps {book.rating:g}" if book.rating is not None else "stays unrated"
    day = sort_key(latest.finished) or "a day not recorded"
    return f"that reading rated {given} (the book {keeps}: its latest reading's, finished {day})"


def add_reflection(
    journal: Journal,
    query: str,
    text: str,
    when: str | None = None,
    private: bool = False,
    title: str | None = None,
) -> Entry:
    """A dated reflection; with `private`, never published (site, feed, Markdown posts); with `title`, a
    heading of its own (a section of the post, after the review)."""
    text = parse_text(text, "reflection", required=True)
    heading = (
        " ".join(parse_text(title, Option("--title"), max_length=NAME_MAX).split()) or None if title else None
    )
    day = parse_date(when, Option("--date")) if when else date.today()
    assert isinstance(day, date)
    reflection = Reflection(text=text, date=day, private=private, title=heading)
    slug = slug_of(journal, query)
    return journal.modify(slug, lambda book: book.reflections.append(reflection))


def add_quote(
    journal: Journal,
    query: str,
    text: str,
    page: int | None = None,
    location: str | None = None,
    note: str | None = None,
    private: bool = False,
    when: str | None = None,
) -> Entry:
    """A remembered line, dated today (or `when`, from --date)."""
    if page is not None and location:
        raise UsageError("give --page or --location, not both", "--page")
    day = parse_date(when, Option("--date")) if when else date.today()
    assert isinstance(day, date)
    quote = Quote(
        text=parse_text(text, "quote", required=True),
        page=parse_int(page, Option("--page"), PAGES) if page is not None else None,
        location=parse_text(location, Option("--location"), max_length=NAME_MAX).strip() or None
        if location
        else None,
        note=parse_text(note, Option("--note")) if note and note.strip() else None,
        private=private,
        date=day,
    )
    slug = slug_of(journal, query)

    def change(book: Book) -> None:
        if quote.page is not None and book.pages is not None and quote.page > book.pages:
            raise InvalidValue(f"--page {quote.page} is past the end of {_quoted(book)} ({book.pages} pages)")
        book.quotes.append(quote)

    return journal.modify(slug, change)


def _quoted(book: Book) -> str:
    return f"“{one_line(book.title)}”"


class ReviewExists(ReadlogError):
    """The book has a review and the reader did not say to replace it."""


@dataclass_when_used
class ReviewResult:
    entry: Entry
    kept: Path | None  # where the replaced review was kept
    # The replaced review's headline, when the new review has none: the reader is told it went to trash/
    # with the old text (a rewrite given as TEXT alone dropped it without a word).
    old_headline: str | None = None


def has_review(book: Book) -> bool:
    return book.review is not None and not book.review.is_empty()


def review_markdown(review: Review) -> str:
    head = f"# {review.headline}\n\n" if review.headline else ""
    return head + (review.body or "")


def refuse_replacing(entry: Entry, replace: bool) -> None:
    """Raise unless the book has no review yet, or the reader said to replace it."""
    if has_review(entry.book) and not replace:
        raise ReviewExists(
            f"“{one_line(entry.book.title)}” already has a review: pass --replace to replace it "
            "(the old one is kept in the journal's trash/)"
        )


def set_review(journal: Journal, book: Book, slug: str, text: ReviewText, replace: bool) -> Path | None:
    """Inside a `modify`: give `book` the review `text`, keeping any review it replaces in trash/. The new
    review is private when the old one was, unless `text` says otherwise."""
    new = make_review(text, date.today(), book.review)
    kept = None
    if has_review(book):
        if not replace:
            raise ReviewExists(f"“{one_line(book.title)}” already has a review: pass --replace")
        assert book.review is not None
        kept = journal.keep(f"{slug}.review", ".md", review_markdown(book.review))
    book.review = new
    return kept


def write_review(journal: Journal, query: str, text: ReviewText, replace: bool = False) -> ReviewResult:
    """`readlog review`: the review of a book already in the journal."""
    if not text:
        raise InvalidValue("the review is empty: nothing was saved")
    slug = slug_of(journal, query)
    kept: list[Path | None] = [None]
    old_headline: list[str | None] = [None]

    def change(book: Book) -> None:
        if book.review is not None and book.review.headline:
            old_headline[0] = book.review.headline
        kept[0] = set_review(journal, book, slug, text, replace)

    entry = journal.modify(slug, change)
    review = entry.book.review
    dropped = old_headline[0] if kept[0] is not None and (review is None or not review.headline) else None
    return ReviewResult(entry, kept[0], dropped)


def set_review_privacy(journal: Journal, query: str, private: bool) -> Entry:
    """`readlog review BOOK --private` (or `--public`) with no text: only the review's flag changes."""
    slug = slug_of(journal, query)

    def change(book: Book) -> None:
        if not has_review(book):
            raise InvalidValue(
                f"“{one_line(book.title)}” has no review to make {'private' if private else 'public'}: "
                "give the review as TEXT, - (stdin), --review-file PATH or --edit"
            )
        assert book.review is not None
        book.review.private = private

    return journal.modify(slug, change)


@dataclass_when_used
class RateResult:
    entry: Entry
    reading: Read | None  # the re-read going on rated (or cleared), not the book: `finish` gives it the book


def rate(journal: Journal, query: str, rating: str | None, clear: bool = False) -> RateResult:
    """The book's rating (`clear`: none), by `rate_reading`'s rule: each reading keeps its own, the book has
    the latest finished one's. While a re-read is going on, the rating is that reading's (the book takes it
    when it is finished), the book's old one going on the reading it was given for when none has its own
    (review 28d #2: a 5 was lost); `clear` there clears the re-read's own rating, when it has one. Else the
    book's, and the latest finished reading's too (by its day) when it has one of its own, so `show` never
    gives two answers for the reading just rated."""
    if clear and rating is not None:
        raise UsageError("give a rating R or --clear, not both", "--clear")
    if not clear and rating is None:
        raise UsageError("give a rating R (0.25 to 5), or --clear to remove it", "RATING")
    value = None if clear else parse_rating(rating, Option("RATING"))
    slug = slug_of(journal, query)
    reading: list[Read | None] = [None]

    def change(book: Book) -> None:
        from readlog.reading import going_on, is_done, latest_done, rate_reading

        current = going_on(book)
        others = [r for r in book.reads if r is not current and is_done(book, r)]
        if current is not None and others and value is not None:
            reading[0] = current
            rate_reading(book, current, value)  # open: that reading alone, the old rating kept on the last
        elif current is not None and others and current.rating is not None:
            reading[0] = current
            current.rating = None
        else:
            book.rating = value
            if current is not None and current.rating is not None:
                current.rating = value
            elif others and (last := latest_done(others)).rating is not None:
                last.rating = value

    entry = journal.modify(slug, change)
    return RateResult(entry, reading[0])


def remove(journal: Journal, query: str) -> tuple[Entry, Path]:
    entry = find_book(journal, query)
    return entry, journal.remove(entry.slug)
