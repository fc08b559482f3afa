"""What readlog may publish, and the verbs that mark things private.

`private = true` on a book, its review, a reflection or a quote keeps it out of everything readlog
publishes (the static site, the Markdown posts). Every publisher asks `public_book` for its copy of a book
and never looks at the original: one function decides, so a new publisher cannot forget a rule.
Backups (JSON, CSV, Goodreads exports) are not publishing: they keep everything, flags included.
"""

from __future__ import annotations

import copy
import dataclasses
import re
from typing import TYPE_CHECKING, Any, TypeVar

from readlog.errors import InvalidValue, Option, ReadlogError
from readlog.model import (
    NAME_MAX,
    PART_KEYS,
    Book,
    Quote,
    ReadNext,
    Reflection,
    parse_text,
)
from readlog.text import markdown_lines, one_line

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from readlog.journal import Entry, Journal

_Part = TypeVar("_Part")
READ_NEXT_HEADING = "Read next"  # what the picks are headed by when the book gives no [read_next] heading


def public_book(book: Book) -> Book | None:
    """The part of `book` that may be published, or None when the whole book is private.

    Unknown keys are left out too, the book's (`extra`) and its parts' (a reading's, a quote's, a series'):
    readlog cannot know what a hand-added key holds."""
    if book.private:
        return None
    review = book.review
    if review is not None and (review.private or review.is_empty()):
        review = None
    hidden = any(r.private for r in book.reflections) or any(q.private for q in book.quotes)
    noted = _noted(book)
    own_keys = _parts_own_keys(book)
    if review is book.review and not hidden and not book.extra and not noted and not own_keys:
        return book  # nothing to leave out (publishers never change the books they are given)
    public = copy.copy(book)  # shallow: the parts kept are shared, never changed
    public.review = review
    public.reflections = [r for r in book.reflections if not r.private]
    public.quotes = [q for q in book.quotes if not q.private]
    public.extra = {}
    if own_keys:
        _without_own_keys(public)
    if noted:
        _without_notes(public)
        if public.review is not None and public.review.is_empty():  # (it was only a note to self)
            public.review = None
    return public


def _parts_own_keys(book: Book) -> bool:
    """Whether a part of `book` holds a key readlog does not know (model.PART_KEYS)."""
    return (
        any(r.extra or any(p.extra for p in r.progress) or any(p.extra for p in r.pauses) for r in book.reads)
        or (book.review is not None and bool(book.review.extra))
        or any(r.extra for r in book.reflections)
        or any(q.extra for q in book.quotes)
        or any(p.extra for p in book.next)
        or (book.read_next is not None and bool(book.read_next.extra))
        or any(not PART_KEYS["series"].issuperset(s) for s in book.series)
    )


def _without_own_keys(public: Book) -> None:
    """`public`'s parts without their unknown keys; each part that had some copied first (the book's own
    parts are shared with `public`, and never changed)."""

    def bare(item: _Part) -> _Part:
        return dataclasses.replace(item, extra={}) if item.extra else item  # type: ignore[attr-defined,type-var]

    public.reads = [
        dataclasses.replace(
            read,
            extra={},
            progress=[bare(p) for p in read.progress],
            pauses=[bare(p) for p in read.pauses],
        )
        for read in public.reads
    ]
    if public.review is not None:
        public.review = bare(public.review)
    public.reflections = [bare(r) for r in public.reflections]
    public.quotes = [bare(q) for q in public.quotes]
    public.next = [bare(p) for p in public.next]
    if public.read_next is not None:
        public.read_next = bare(public.read_next)
    known = PART_KEYS["series"]
    public.series = [{k: v for k, v in s.items() if k in known} for s in public.series]


def edition_reviews(book: Book) -> list[tuple[str, str]]:
    """The reviews of other editions of the book that may be published, each as (what tells the edition,
    its text): the one rule every publisher asks (the site's book page, a Markdown post). `public_book`
    leaves the source tables out (they may hold private things), and with them the reviews an import kept
    with another edition of the work (traits.edition_reviews, as `show` shows them); of those, only the
    review's text and what tells the edition (its format, ISBN and the source's id for it) are published,
    after the book's own review. None when the book is private or its own review is: a reader who hides
    their review of a work hides every review of it (`hidden` counts them, with the review). Notes to self
    are left out, and a review that is only that with them."""
    if book.private or (book.review is not None and book.review.private):
        return []
    return _edition_reviews(book)


def _edition_reviews(book: Book) -> list[tuple[str, str]]:
    """The other editions' reviews the book would publish with a public review of its own."""
    from readlog.traits import edition_reviews as kept
    from readlog.traits import keeps_other_reviews

    if not keeps_other_reviews(book):
        return []

    found = []
    for told, text in kept(book, published=True):
        text = without_comments(text)
        if text.strip():
            found.append((told, text))
    return found


# --- notes to self: HTML comments in what a reader writes ------------------------------------------------
# `<!-- ... -->` in a review (its headline too), a reflection (its title too), a quote or its note, a pick's
# why, or the read-next heading and intro is a note to self, as in any Markdown: `show` and `next` hide it,
# and publishing leaves it out (the site, the feed, library.json, a Markdown post); the book file and the
# backups keep it. A comment inside code (a fenced or indented block, a code span) is code's text: it stays.
# A `<!--` that is never closed hides everything after it, to the end of that text, everywhere (`show`, the
# site, the post; `check` names it): it is only ever typed to start a note to self, and publishing the rest
# of a note whose `-->` was forgotten is the one failure that cannot be taken back. (CommonMark hides the
# rest when the `<!--` starts a line, shows it as text when it is inside a paragraph: a downstream renderer
# of a post would have disagreed with the site either way.)
# `without_comments` is the one rule; `without_notes` is it for a one-line field (a headline, a title).
COMMENT = "<!--"
OPTIONAL = frozenset({"headline", "body", "title", "note", "why", "heading", "intro"})  # (text may be "")


def note_fields(book: Book) -> Iterator[tuple[str, str, str | None]]:
    """Every text of `book` a note to self may stand in (what `_without_notes` takes them out of, and
    `readlog check` looks at): its place in the file, its name in words, the text."""
    if book.review is not None:
        yield "review.headline", "the review's headline", book.review.headline
        yield "review.body", "the review", book.review.body
    for n, r in enumerate(book.reflections, 1):
        yield f"reflections[{n}].text", f"reflection {n}", r.text
        yield f"reflections[{n}].title", f"reflection {n}'s title", r.title
    for n, q in enumerate(book.quotes, 1):
        yield f"quotes[{n}].text", f"quote {n}", q.text
        yield f"quotes[{n}].note", f"quote {n}'s note", q.note
    for n, p in enumerate(book.next, 1):
        yield f"next[{n}].why", f"pick {n}'s why", p.why
    yield "why", "the book's why", book.why  # (a wanted book's own: `next add TITLE --why ...`)
    if book.read_next is not None:
        yield "read_next.heading", "the read-next heading", book.read_next.heading
        yield "read_next.intro", "the read-next intro", book.read_next.intro


def _noted(book: Book) -> bool:
    return any(text and COMMENT in text for _, _, text in note_fields(book))


def _without_notes(public: Book) -> None:
    """`public`'s texts without notes to self; each part that had one copied first (the book's own parts are
    shared with `public`, and never changed). An optional text that was only a note is none."""

    def part(item: _Part, lines: tuple[str, ...] = (), **texts: str | None) -> _Part:
        changed = {
            k: (without_notes(v) if k in lines else without_comments(v)) or (None if k in OPTIONAL else "")
            for k, v in texts.items()
            if v and COMMENT in v
        }
        return dataclasses.replace(item, **changed) if changed else item  # type: ignore[type-var]

    if public.review is not None:
        public.review = part(
            public.review, ("headline",), headline=public.review.headline, body=public.review.body
        )
    public.reflections = [part(r, ("title",), text=r.text, title=r.title) for r in public.reflections]
    public.quotes = [part(q, text=q.text, note=q.note) for q in public.quotes]
    public.next = [part(p, why=p.why) for p in public.next]
    if public.why and COMMENT in public.why:
        public.why = without_comments(public.why) or None
    if public.read_next is not None:
        read_next = public.read_next
        public.read_next = part(read_next, ("heading",), heading=read_next.heading, intro=read_next.intro)


def _holds_comment(token: Any) -> bool:
    """Whether a markdown-it block token is, or its text holds, an HTML comment (not in code): an HTML
    block holding one anywhere (`<details>` ... `<!-- x -->`), as the site shows an HTML block as text."""
    if token.type == "html_block":
        return COMMENT in token.content
    children = token.children or () if token.type == "inline" else ()
    return any(child.type == "html_inline" and child.content.startswith(COMMENT) for child in children)


def _opens_comment(token: Any) -> bool:
    """Whether a markdown-it block token may hold a `<!--` that is never closed (not in code): one left
    once its closed comments are taken out (`<!-- a --> b <!-- c`). `_first_open` tells."""
    if token.type == "html_block":
        return COMMENT in _CLOSED.sub("", token.content)
    children = token.children or () if token.type == "inline" else ()
    return any(child.type == "text" and COMMENT in child.content for child in children)


def without_comments(text: str) -> str:
    """`text` (Markdown) without its HTML comments, but those in code; blank lines a block of comments alone
    leaves are dropped with it. Where markdown-it (CommonMark) finds them: a block that opens with `<!--`,
    and a comment within a paragraph's text. A `<!--` never closed cuts the text there (see above)."""
    return notes_cut(text)[0]


def without_notes(text: str) -> str:
    """A one-line field (a headline, a title, a heading) without its notes to self, its spaces made one."""
    if COMMENT not in text:
        return text
    return " ".join(without_comments(text).split())


def open_comment(text: str | None) -> int | None:
    """The line (1 for the first) of `text` where a `<!--` that is never closed starts, or None."""
    return notes_cut(text)[1] if text and COMMENT in text else None


def notes_cut(text: str, mark: Callable[[str], str] | None = None) -> tuple[str, int | None]:
    """`without_comments(text)`, and the line (1-based) of a `<!--` never closed, where the text was cut.
    `mark`, given a note (`<!-- ... -->`, or the rest of the text from a `<!--` never closed), says what
    stands in its place: by default nothing (`search` marks the notes its words were found in)."""
    if COMMENT not in text:
        return text, None
    from markdown_it import MarkdownIt

    from readlog.footnotes import may_have_footnotes, use_footnotes

    def closed_out(block: str) -> str:  # (the block without its closed comments, or with their marks)
        if mark is None:
            return _CLOSED.sub("", block)

        def marked(found: re.Match[str]) -> str:
            stands = mark(found[0])
            return stands + found[0][len(found[0].rstrip(" \t")) :] if stands else ""

        return _CLOSED.sub(marked, block)

    lines = markdown_lines(text)
    cut: list[tuple[int, int]] = []  # line ranges where comments are taken out
    at = None  # the line where a comment never closed starts: the text ends before it
    parser = MarkdownIt("commonmark", {"html": True})
    if may_have_footnotes(
        text
    ):  # (a note's text is Markdown as the site reads it, not an indented code block)
        parser = use_footnotes(parser)
    for token in parser.parse(text):
        if token.map is None:
            continue
        if _opens_comment(token):
            start = token.map[0]
            block = closed_out("\n".join(lines[start : token.map[1]]))
            where = _first_open(block)
            if where is not None:  # (else escaped, or in code: a block like any other, and on to the next)
                at = start + 1 + block.count("\n", 0, where)
                kept = [line.rstrip() for line in block[:where].split("\n")]
                if mark is not None and (stands := mark("\n".join([block[where:], *lines[token.map[1] :]]))):
                    kept[-1] += (
                        " " if kept[-1] else ""
                    ) + stands  # (the note left open, marked where it was)
                lines[start:] = kept if any(kept) else []
                break
        if _holds_comment(token) or _opens_comment(token):
            cut.append((token.map[0], token.map[1]))
    for start, end in reversed(cut):
        block = closed_out("\n".join(lines[start:end]))
        kept = [line.rstrip() for line in block.split("\n")]
        lines[start:end] = kept if any(kept) else []
    joined = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n")
    return joined + ("\n" if text.endswith("\n") and joined else ""), at


_CLOSED = re.compile(
    r"<!--.*?-->[ \t]?", re.S
)  # a closed comment (with the space after it: `one <!-- x --> two`)


def _first_open(block: str) -> int | None:
    """Where in `block` (a block's source, its closed comments taken out) the first `<!--` is that is
    neither escaped (`\\<!--`) nor inside a code span on its line (an odd number of backticks before it
    and one after: a lone backtick typed for an apostrophe, ``Don`t <!-- x``, opens no code span)."""
    start = 0
    while (found := block.find(COMMENT, start)) >= 0:
        line_start = block.rfind("\n", 0, found) + 1
        line_end = block.find("\n", found)
        escaped = found > 0 and block[found - 1] == "\\"
        after = block[found : line_end if line_end >= 0 else len(block)]
        in_code = block.count("`", line_start, found) % 2 == 1 and "`" in after
        if not escaped and not in_code:
            return found
        start = found + len(COMMENT)
    return None


@dataclasses.dataclass(frozen=True)
class Hidden:
    """What publishing leaves out of one public book as private (`hidden`): its review, the other editions'
    reviews that go with it (edition_reviews: a private review takes them along), reflections, quotes."""

    review: int = 0  # 1: the book's own review (it has one, and it is private)
    editions: int = 0  # other editions' reviews left out with it (each would be published with a public one)
    reflections: int = 0
    quotes: int = 0

    def __bool__(self) -> bool:
        return bool(self.review or self.editions or self.reflections or self.quotes)


_NOTHING = Hidden()


def hidden(book: Book) -> Hidden | None:
    """What `public_book` and `edition_reviews` leave out of `book` as private; None for a private book (all
    of it). Notes to self and hand-added keys are not counted, nor another edition's review that is only a
    note to self (it is never published). Read off `public_book`'s answer, so the two can never disagree."""
    return hidden_from(book, public_book(book))


def hidden_from(book: Book, public: Book | None) -> Hidden | None:
    """`hidden(book)`, where `public` is `public_book(book)`, made already (the site's cache makes it)."""
    if public is None:
        return None
    if public is book:
        return _NOTHING  # (the common case: nothing left out, public_book's answer is the book itself)
    review = (  # (a review that was only a note to self is not published either, and is not private)
        book.review is not None
        and book.review.private
        and public.review is None
        and not book.review.is_empty()
    )
    # (a private review takes the other editions' along, even one with no text of its own)
    editions = len(_edition_reviews(book)) if book.review is not None and book.review.private else 0
    return Hidden(
        int(review),
        editions,
        len(book.reflections) - len(public.reflections),
        len(book.quotes) - len(public.quotes),
    )


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'s' if number != 1 else ''}"


def hidden_words(held: Hidden | None, one: bool = True) -> list[str]:
    """`held` in words, for a publisher to say: of one book ("the review (and another edition's review with
    it)", "2 reflections"), or (`one` False) a sum over several ("3 reviews (and 2 other editions' reviews
    with them)"); a private book is "the book"."""
    if held is None:
        return ["the book"]
    said = []
    others = "another edition's review" if held.editions == 1 else f"{held.editions} other editions' reviews"
    if held.review:
        said.append("the review" if one else _count(held.review, "review"))
        if held.editions:
            said[-1] += f" (and {others} with {'it' if held.review == 1 else 'them'})"
    elif held.editions:  # (a private review with no text of its own: the others went with it all the same)
        said.append(others)
    if held.reflections:
        said.append(_count(held.reflections, "reflection"))
    if held.quotes:
        said.append(_count(held.quotes, "quote"))
    return said


def left_out_lines(
    titled: list[tuple[str, Hidden]], private_books: int, where: str, single: bool = False
) -> list[str]:
    """What a publisher says it left out as private: how many private books (never their titles), and the
    public books with private parts, by title, with what was left out of them all; `where` is what the parts
    were left out of ("their posts", "the site"). `single`: one book was published (one post): "left out of
    the post as private: ..."."""
    lines = [f"{_count(private_books, 'private book')} left out"] if private_books else []
    titled = [(title, held) for title, held in titled if held]
    if single and titled:
        lines.append(f"left out of the post as private: {', '.join(hidden_words(titled[0][1]))}")
    elif titled:
        shown = ", ".join(one_line(title) for title, _ in titled[:3])
        shown += f" and {len(titled) - 3} more" if len(titled) > 3 else ""
        total = Hidden(*(sum(getattr(h, f.name) for _, h in titled) for f in dataclasses.fields(Hidden)))
        what = ", ".join(hidden_words(total, one=False))
        where = "its post" if where == "their posts" and len(titled) == 1 else where  # (one book's)
        lines.append(f"private parts of {_count(len(titled), 'book')} left out of {where} ({shown}): {what}")
    return lines


def read_next_heading(book: Book) -> str:
    return book.read_next.heading if book.read_next and book.read_next.heading else READ_NEXT_HEADING


def pick_byline(book: Book, authors: list[str]) -> list[str]:
    """The authors to name after a pick where it is published: none when the list's heading or the book
    it comes from names them already (a post about an Ishiguro novel does not repeat "by Kazuo Ishiguro"
    under "Three Ishiguro novels")."""
    from readlog.identity import author_named_already

    heading = book.read_next.heading if book.read_next and book.read_next.heading else ""
    named = all(author_named_already(author, heading, book.authors) for author in authors)
    return [] if authors and named else authors


def paragraphs(text: str | None) -> list[str]:
    """A note's paragraphs (split at blank lines), each with its soft line breaks kept."""
    import re

    return [part.strip("\n") for part in re.split(r"\n[ \t]*\n", (text or "").strip()) if part.strip()]


# --- verbs: marking what exists private, and the read-next heading and intro --------------------------


PARTS = ("book", "review", "reflection", "quote")


def set_private(
    journal: Journal, slug: str, part: str = "book", number: int | None = None, private: bool = True
) -> Entry:
    """Mark a book, its review, or its reflection/quote number N (1-based; default the last) private or
    public again. For `add --private` and `review --private`, and for changing one's mind later."""
    if part not in PARTS:
        raise InvalidValue(f"{part!r} is not something that can be private: use one of {', '.join(PARTS)}")

    def change(book: Book) -> None:
        if part == "book":
            book.private = private
            return
        if part == "review":
            if book.review is None:
                raise ReadlogError(f"{one_line(book.title)!r} has no review to mark")
            book.review.private = private
            return
        items: list[Reflection] | list[Quote] = book.reflections if part == "reflection" else book.quotes
        if not items:
            raise ReadlogError(f"{one_line(book.title)!r} has no {part}s")
        index = len(items) if number is None else number
        if not 1 <= index <= len(items):
            raise InvalidValue(f"{part} {index}: {one_line(book.title)!r} has {len(items)} {part}s")
        items[index - 1].private = private

    return journal.modify(slug, change)


def set_read_next_intro(
    journal: Journal, slug: str, intro: str | None = None, heading: str | None = None
) -> Entry:
    """`readlog next intro BOOK [TEXT|-] [--heading H]`: set the heading and introduction of the book's
    read-next picks. Only what is given changes; an empty text removes that part."""
    if intro is None and heading is None:
        raise InvalidValue("give the introduction (TEXT, or - for stdin) or --heading, or both")
    new_heading = None
    if heading is not None:
        new_heading = parse_text(heading, Option("--heading"), max_length=NAME_MAX).strip() or None
    new_intro = None
    if intro is not None:
        new_intro = parse_text(intro, "intro").strip("\n").rstrip() or None

    def change(book: Book) -> None:
        current = book.read_next or ReadNext()
        updated = ReadNext(
            heading=new_heading if heading is not None else current.heading,
            intro=new_intro if intro is not None else current.intro,
        )
        book.read_next = updated if (updated.heading or updated.intro) else None

    return journal.modify(slug, change)
