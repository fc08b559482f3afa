"""One book as a row of Goodreads' export: statuses as shelves, whole stars, reviews as the HTML Goodreads
shows. Pure: a Book in, a dict of cells out."""

from __future__ import annotations

import html
import math
import re
from typing import Any

from readlog.identity import STATUS_SHELF as SHELF  # noqa: E402 - the one status table
from readlog.model import Book, sort_key
from readlog.text import aside_for, escapes_aside, escapes_back, markdown_newlines, person_name

# Columns written below from readlog's own fields (model.BUILT_IN names each field's); a field
# whose Goodreads column is not among them is written as its words. The rest of Goodreads' columns come from
# the source table.
OWN = {"Book Id", "Title", "Author", "Additional Authors", "ISBN", "ISBN13", "My Rating", "Number of Pages",
       "Original Publication Year", "Date Read", "Date Added", "Bookshelves", "Bookshelves with positions",
       "Exclusive Shelf", "My Review", "Private Notes", "Read Count"}  # fmt: skip
_POSITION = re.compile(r"([^,(]+?)\s*\(#(\d+)\)")


def whole_stars(rating: float | None) -> int:
    """Goodreads takes whole stars, and 0 means unrated: half up (4.5 -> 5, 2.5 -> 3), never below 1."""
    if rating is None:
        return 0
    return max(1, min(5, math.floor(rating + 0.5)))


def goodreads_row(book: Book) -> dict[str, Any]:
    from readlog.exporters import series_title

    tables = book.extra.get("source")
    source = tables.get("goodreads") if isinstance(tables, dict) else None
    source = source if isinstance(source, dict) else {}
    from readlog import fields

    others = [f for f in fields.FIELDS.values() if f.goodreads is not None and f.goodreads not in OWN]
    # (and `review`: another service's review kept beside the book's, importers.merge.SOURCE_REVIEW)
    taken = OWN.union(f.goodreads for f in others).union(["review"])
    row: dict[str, Any] = {
        k: v for k, v in source.items() if k not in taken and isinstance(v, str | int | float)
    }
    row.update((f.goodreads, f.kind.csv(fields.value(book, f))) for f in others if f.goodreads)
    status = book.status or "want"
    last = book.last_finished
    if status == "abandoned":  # Goodreads has one date: a DNF's is the day it was given up
        stopped = [r.stopped for r in book.reads if r.stopped is not None]
        last = max([*stopped, *([last] if last else [])], key=sort_key) if stopped else last
    isbn10 = book.isbn if book.isbn and len(book.isbn) == 10 else _plain(source.get("ISBN"))
    isbn13 = book.isbn if book.isbn and len(book.isbn) == 13 else _plain(source.get("ISBN13"))
    shelf = SHELF[status]
    shelves = [t for t in book.tags if t.lower() not in SHELF.values()]
    if status == "abandoned":
        shelves.append(shelf)
    reads = len(book.reads)
    if status in ("reading", "paused") and book.reads and book.reads[-1].is_open:
        reads -= 1  # the reading in progress: Goodreads counts the finished ones
    row.update({
        "Book Id": source.get("Book Id", ""),
        "Title": series_title(book),
        "Author": person_name(book.authors[0]) if book.authors else "",  # Goodreads writes First Last
        "Additional Authors": ", ".join(person_name(a) for a in book.authors[1:]),
        "ISBN": f'="{isbn10}"',
        "ISBN13": f'="{isbn13}"',
        "My Rating": whole_stars(book.rating),
        "Number of Pages": book.pages or "",
        "Original Publication Year": "" if book.year is None else book.year,
        "Date Read": sort_key(last).replace("-", "/") if last and len(sort_key(last)) == 10 else "",
        "Date Added": sort_key(book.added).replace("-", "/"),
        "Bookshelves": ", ".join(shelves),
        "Bookshelves with positions": _positions(book, source, status),
        "Exclusive Shelf": shelf,
        "My Review": review_html(book),
        "Private Notes": "<br/><br/>".join(markdown_html(r.text) for r in book.reflections),
        "Read Count": reads,
    })  # fmt: skip
    return row


# What a Goodreads CSV cannot hold, as (what, test): the export says so rather than dropping it quietly.
def goodreads_losses(book: Book) -> list[str]:
    """What of `book` does not travel in Goodreads' CSV (kept in readlog; a re-import into readlog of the
    export does not bring it back either)."""
    lost = []
    if any(r.started is not None for r in book.reads):
        lost.append("start dates")
    dated = [r for r in book.reads if r.finished is not None or r.stopped is not None]
    if len(dated) > 1:
        lost.append("the dates of earlier readings")
    if book.rating is not None and float(book.rating) != whole_stars(book.rating):
        lost.append("half and quarter stars")
    if any(r.rating is not None for r in book.reads):
        lost.append("ratings of single readings")
    if any(r.progress or r.pauses for r in book.reads):
        lost.append("reading progress and pauses")
    review = book.review
    body = review.body or "" if review else ""
    if review and (review.headline or _HEADING.search(body)):
        lost.append("a review's headline and headings (bold lines there, bold paragraphs when read back)")
    if _AS_TYPED.search(body):
        lost.append("code, footnotes and images in a review (their Markdown is shown as typed)")
    if book.quotes:
        lost.append("quotes")
    reflections = book.reflections
    if len(reflections) > 1 or any(r.title or r.date or r.location for r in reflections):
        lost.append("reflections' titles, dates and places (all go in one Private Notes cell)")
    if book.next:
        lost.append("read-next picks")
    if book.read_next is not None and (book.read_next.heading or book.read_next.intro):
        lost.append("the read-next heading and intro")
    return lost


_HEADING = re.compile(r"^ {0,3}#{1,6}(?:[ \t]|$)", re.M)
_AS_TYPED = re.compile(r"(?<!\\)`|\[\^|!\[")  # code (an escaped \` is a backtick), a footnote, an image


def _plain(value: object) -> str:
    return value if isinstance(value, str) and value.isalnum() else ""


def _positions(book: Book, source: dict[str, Any], status: str) -> str:
    """The source's shelf positions (other shelves' order), with the to-read position from `priority`."""
    kept = source.get("Bookshelves with positions")
    others = [
        (name.strip(), int(n))
        for name, n in _POSITION.findall(kept if isinstance(kept, str) else "")
        if name.strip().lower() != "to-read"
    ]
    if status == "want" and book.priority is not None:
        others.insert(0, ("to-read", book.priority))
    return ", ".join(f"{name} (#{n})" for name, n in others)


def review_html(book: Book) -> str:
    review = book.review
    if review is None or review.is_empty():
        return ""
    parts = [f"<b>{html.escape(review.headline, quote=False)}</b>"] if review.headline else []
    if review.body:
        parts.append(markdown_html(review.body))
    return "<br/><br/>".join(parts)


_INLINE = (
    (re.compile(r"\*\*(.+?)\*\*", re.S), r"<b>\1</b>"),
    (re.compile(r"(?<![*\w])\*(?!\s)(.+?)(?<!\s)\*(?![*\w])", re.S), r"<i>\1</i>"),
    (re.compile(r"(?<![\w])_(?!\s)(.+?)(?<!\s)_(?![\w])", re.S), r"<i>\1</i>"),
    (re.compile(r"\[([^\]]+)\]\((https?://[^)\s]+)\)"), r'<a href="\2">\1</a>'),
    (re.compile(r"&lt;(https?://[^\s<>]+?)&gt;"), r'<a href="\1">\1</a>'),  # an autolink, `<https://…>`
    (re.compile(r"\(spoiler: (.+?)\)", re.S), r"<spoiler>\1</spoiler>"),
)


def markdown_html(text: str) -> str:
    """readlog's Markdown as the small HTML Goodreads shows: paragraphs apart by two `<br/>`; a hard line
    break (a trailing backslash or two spaces), a list item, a line of a block quote or a table by one (so
    they keep their lines, there and on the way back in); other soft line wraps joined with a space;
    headings in bold, emphasis and links as tags (an autolink `<https://…>` too), `(spoiler: ...)` as
    `<spoiler>`. Raw HTML is text, as everywhere readlog publishes (`&lt;b&gt;`), but for a `<br>`, which is
    a line break there as in `show` and on the site (one alone on its line: the break between its
    neighbours), so that an import of this export gives the review's lines back. A `<br>` in code (a span,
    a block) is text, as `show` and the site keep it there."""
    aside = aside_for(text)  # (a reader's own icon in the private-use planes kept as written)
    text = markdown_newlines(text)  # (its lines as markdown-it reads them)
    text = _code_breaks_as_text(text, aside)
    paragraphs = []
    for block in re.split(r"\n[ \t]*\n", text.strip()):
        lines = block.split("\n")
        out = ""
        broken = False  # the line before ended in a break (`\`, two spaces, a `<br>`, or was one alone)
        for number, line in enumerate(lines):
            hard = line.endswith("\\") or line.endswith("  ")
            line = line.rstrip("\\ ").rstrip() if hard else line.strip()
            tag = _END_BREAK.search(line)  # `<br>` as show and the site read it: a line break
            if tag is not None and number + 1 < len(lines):
                line, hard = line[: tag.start()].rstrip(), True
                if not line and number:  # a `<br>` alone on its line: the break between its neighbours
                    broken = True
                    continue
            heading = re.match(r"#{1,6}\s+(.*)", line)
            if heading:
                line = f"**{heading[1]}**"
            listed = re.match(r"([-*+]|\d+[.)])\s+", line)
            if number:
                previous = lines[number - 1]
                wrap = (
                    broken or listed or heading or _is_heading(previous) or _is_row(line) or _is_row(previous)
                )
                out += "\n" if wrap else " "
            out += line
            broken = hard
        paragraphs.append(_inline(out, aside))
    return "<br/><br/>".join(paragraphs)


_END_BREAK = re.compile(r"(?<!\\)<br\s*/?>$", re.IGNORECASE)
_BREAK = re.compile(r"[ \t]*&lt;br\s*/?&gt;[ \t]*", re.IGNORECASE)  # in the escaped text, with its spaces


def _code_breaks_as_text(text: str, aside: int) -> str:
    """`text` with the `<` of each `<br>` in code set aside as an escaped `<` is (text.escapes_aside;
    `_inline` writes it as `&lt;`): neither break pattern matches it. markdown.py says where code is."""
    if "<" not in text:
        return text
    from readlog.markdown import code_ranges

    kept = escapes_aside("\\<", aside)
    for start, end in reversed(code_ranges(text)):
        code = _CODE_BREAK.sub(kept, text[start:end])
        text = text[:start] + code + text[end:]
    return text


_CODE_BREAK = re.compile(r"<(?=br\s*/?>)", re.IGNORECASE)


def _is_heading(line: str) -> bool:
    return re.match(r"#{1,6}\s", line) is not None


def _is_row(line: str) -> bool:
    """A line of a block quote (`> `) or a table (`| a | b |`): its own line in Goodreads' cell too, never
    joined to the next (the importer reads a `<br/>` before such a line as a plain line break)."""
    return line.lstrip().startswith((">", "|"))


_TAG = re.compile(r"<(/?)(b|i|a|spoiler)\b[^>]*>")


def _inline(text: str, aside: int) -> str:
    """Emphasis, links and spoilers as tags; escaped characters (`\\*`) as themselves, never markup. The
    HTML is always well formed: a paragraph whose stars would cross (`***a**b*`) keeps them as stars."""
    text = escapes_aside(text, aside)  # out of the patterns' way
    text = html.escape(text, quote=False)
    done = text
    for pattern, replacement in _INLINE:
        done = pattern.sub(replacement, done)
    if not _well_formed(done):
        done = text
        for pattern, replacement in _INLINE[3:]:  # links and spoilers only
            done = pattern.sub(replacement, done)
    done = _BREAK.sub("<br/>", done)  # (before the escaped characters are back: `\<br>` stays text)
    done = escapes_back(done, aside, lambda mark: html.escape(mark, quote=False))
    return done.replace("\n", "<br/>")


def _well_formed(text: str) -> bool:
    open_tags: list[str] = []
    for match in _TAG.finditer(text):
        if not match[1]:
            open_tags.append(match[2])
        elif not open_tags or open_tags.pop() != match[2]:
            return False
    return not open_tags
