"""A book as a Markdown post, ready to publish; YAML front matter for Obsidian and static-site tools.

A post is publishing: only the public part of a book goes in (see readlog.privacy)."""

from __future__ import annotations

import json
import re
from typing import Any

from readlog.errors import ReadlogError
from readlog.model import Book, notes_by_date, quotes_in_book_order, sort_key
from readlog.privacy import edition_reviews, paragraphs, pick_byline, public_book, read_next_heading
from readlog.text import markdown_newlines, stars


def _yaml(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)  # JSON scalars and lists are valid YAML flow values


def front_matter(book: Book) -> str:
    fields = {
        "title": book.title,
        "authors": book.authors,
        "rating": book.rating,
        "status": book.status,
        "started": sort_key(book.reads[-1].started) if book.reads and book.reads[-1].started else None,
        "finished": sort_key(book.last_finished) or None,
        "added": sort_key(book.added) or None,
        "tags": book.tags,
    }
    lines = [f"{key}: {_yaml(value)}" for key, value in fields.items() if value not in (None, [])]
    return "---\n" + "\n".join(lines) + "\n---\n\n"


def _heading(text: str) -> str:
    """Text for an ATX heading: one line, and a trailing `#` run escaped so CommonMark keeps it."""
    line = without_raw_html(" ".join(text.split()))
    return line[:-1] + "\\#" if line.endswith("#") else line


# --- what the post writes as it is typed: raw HTML (in any text) and Markdown (in a plain-text field) ------
# One rule for `show`, the site, the feed and the post: raw HTML in the reader's text is text. The site reads
# Markdown with HTML off; the post keeps the Markdown as written, so its HTML is escaped (`\\<script>`), and a
# Markdown renderer that would obey HTML shows it as the site does.

_CODE_OR_TAG: re.Pattern[str] | None = None
# (a tag after an even run of backslashes is a tag: `\\<b>` is an escaped backslash, then `<b>`)
_TAG_START = re.compile(r"(?<!\\)((?:\\\\)*)<(?=[A-Za-z/!?])")


def _code_or_tag() -> re.Pattern[str]:
    """A code span (kept as it is) or an HTML tag as CommonMark finds one (markdown-it's own pattern)."""
    global _CODE_OR_TAG
    if _CODE_OR_TAG is None:
        from markdown_it.common import html_re

        tag = "|".join(
            (html_re.open_tag, html_re.close_tag, html_re.comment, html_re.processing, html_re.declaration,
             html_re.cdata)
        )  # fmt: skip
        _CODE_OR_TAG = re.compile(
            rf"(?P<code>(`+)[\s\S]*?(?<!`)\2(?!`))|(?<!\\)(?P<escapes>(?:\\\\)*)(?P<tag>{tag})"
        )
    return _CODE_OR_TAG


def without_raw_html(text: str) -> str:
    """`text` (Markdown) with its raw HTML escaped, where CommonMark finds it (an HTML block; a tag within a
    paragraph, not in code): a Markdown renderer then shows `<b>` as the site does, as text."""
    if "<" not in text:
        return text
    text = markdown_newlines(text)  # (the lines markdown-it's `map` numbers)
    lines = text.split("\n")
    blocks: dict[tuple[int, int], bool] = {}  # line range -> whether it is an HTML block
    for token in _tokens(text):
        if token.map is None:
            continue
        if token.type == "html_block":
            blocks[(token.map[0], token.map[1])] = True
        elif token.type == "inline" and any(c.type == "html_inline" for c in token.children or ()):
            blocks.setdefault((token.map[0], token.map[1]), False)
    for (start, end), whole in sorted(blocks.items(), reverse=True):
        block = "\n".join(lines[start:end])
        block = _block_as_text(block) if whole else _code_or_tag().sub(_escaped_tag, block)
        lines[start:end] = block.split("\n")
    return "\n".join(lines)


def _tokens(text: str) -> list[Any]:
    """`text`'s blocks as the site's reader finds them (markdown-it, with HTML, tables and footnotes)."""
    from markdown_it import MarkdownIt

    from readlog.footnotes import may_have_footnotes, use_footnotes

    parser = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
    if may_have_footnotes(text):
        parser = use_footnotes(parser)
    return parser.parse(text)


def code_ranges(text: str) -> list[tuple[int, int]]:
    """Where `text` (Markdown) is code, as (start, end) offsets: a code block's lines, and a code span in a
    paragraph (the code that `without_raw_html`, `show` and the site keep as typed, a `<br>` in it too)."""
    if "`" not in text and "~~~" not in text and "    " not in text and "\t" not in text:
        return []  # no code span, no fence, no indented code block
    # each line's start and end as markdown-it numbers lines (`\r\n`, a lone `\r` or `\n` ends one)
    ends = [(m.start(), m.end()) for m in re.finditer("\r\n?|\n", text)]
    starts = [0, *(after for _, after in ends)]
    stops = [*(at for at, _ in ends), len(text)]
    found = []
    for token in _tokens(text):
        if token.map is None:
            continue
        start, end = starts[token.map[0]], stops[token.map[1] - 1]
        if token.type in ("fence", "code_block"):
            found.append((start, end))
        elif token.type == "inline" and "`" in text[start:end]:
            found += [m.span() for m in _code_or_tag().finditer(text, start, end) if m["code"]]
    return found


def _block_as_text(block: str) -> str:
    """An HTML block as the site reads it (a paragraph of its text, `<br>` a line break): every tag's `<`
    escaped but a `<br>`'s, so the block is a paragraph. One that a lone `<br>` line opens (alone, it
    stays: a block of one break) opens with Markdown's own hard break, a backslash at a line's end."""
    escaped = _TAG_START.sub(lambda m: m[0] if _BREAK_TAG.match(block, m.end() - 1) else m[1] + "\\<", block)
    first, newline, rest = escaped.partition("\n")
    if newline and _BREAK_TAG.fullmatch(first.strip()):
        return "\\" + newline + rest
    return escaped


def _escaped_tag(found: re.Match[str]) -> str:
    """A tag escaped, but `<br>` (a line break everywhere: `show`, the site) and a code span kept."""
    if found["code"] or _BREAK_TAG.fullmatch(found["tag"]):
        return found[0]
    return found["escapes"] + "\\" + found["tag"]


_BREAK_TAG = re.compile(r"<br\s*/?>", re.IGNORECASE)
_PLAIN_MARKS = re.compile(r"([\\`*_\[\]<>!|~&])")
_PLAIN_LINE_START = re.compile(r"^([ \t]*)(?:([#+=>-])|(\d+)([.)]))", re.M)


def plain_markdown(text: str) -> str:
    """Plain text (a pick's note, a quote's note) as Markdown that shows it as typed: `**bleak**` is
    `\\*\\*bleak\\*\\*`, and no line opens a heading, a list or a quote."""
    text = _PLAIN_MARKS.sub(r"\\\1", text)
    return _PLAIN_LINE_START.sub(lambda m: m[1] + ("\\" + m[2] if m[2] else m[3] + "\\" + m[4]), text)


def _stars(rating: float) -> str:
    return f"{stars(rating)} ({rating:g}/5)"


def book_markdown(book: Book, with_front_matter: bool = False) -> str:
    """The post for `book`'s public part. A private book has none: that is an error, never an empty post."""
    public = public_book(book)
    if public is None:
        raise ReadlogError(f"{book.title!r} is private: readlog does not publish it")
    others = edition_reviews(book)  # (after the book's own review: privacy says which are published)
    book = public
    parts = [front_matter(book)] if with_front_matter else []
    review = book.review
    heading = review.headline if review and review.headline else book.title
    parts.append(f"# {without_raw_html(heading)}\n")
    byline = f"*{without_raw_html(book.title)}*" + (
        f" by {without_raw_html(', '.join(book.authors))}" if book.authors else ""
    )
    parts.append(byline + (f" · {_stars(book.rating)}" if book.rating is not None else "") + "\n")
    if review and review.body:
        parts.append(without_raw_html(review.body.rstrip("\n")) + "\n")
    for told, text in others:
        parts.append("## Review of another edition\n")
        parts.append(f"*{_heading(told)}*\n\n" + without_raw_html(text.rstrip("\n")) + "\n")
    for reflection in (r for r in book.reflections if r.title):  # a section of the post, after the review
        parts.append(f"## {_heading(reflection.title or '')}\n")
        parts.append(without_raw_html(reflection.text.rstrip("\n")) + "\n")
    untitled = notes_by_date([r for r in book.reflections if not r.title])
    if untitled:
        parts.append("## Reflections\n")
        for reflection in untitled:
            when = f"*{reflection.date.isoformat()}*\n\n" if reflection.date else ""
            parts.append(when + without_raw_html(reflection.text.rstrip("\n")) + "\n")
    if book.quotes:
        parts.append("## Remembered lines\n")
        for quote in quotes_in_book_order(book.quotes):
            places = [f"p. {quote.page}"] if quote.page is not None else []
            places += [p for p in (quote.location, quote.chapter) if p]
            where = ", ".join(places)
            text = plain_markdown(quote.text.rstrip("\n"))  # plain text, as `show` and the site have it
            lines = [f"> {line}" if line else ">" for line in text.split("\n")]
            if where:
                lines.append(f"> — {where}")
            note = "\n\n" + plain_markdown(quote.note) if quote.note else ""  # plain text, as on the site
            parts.append("\n".join(lines) + note + "\n")
    if book.next:
        parts.append(f"## {read_next_heading(book)}\n")
        if book.read_next and book.read_next.intro:
            parts.append(without_raw_html(book.read_next.intro.rstrip("\n")) + "\n")
        items = []
        loose = any(len(paragraphs(pick.why)) > 1 for pick in book.next)
        for number, pick in enumerate(book.next, 1):
            shown = pick_byline(book, pick.authors)
            by = f" by {', '.join(shown)}" if shown else ""
            marker = f"{number}. "
            indent = " " * len(marker)  # CommonMark: a line of the item starts under its text
            notes = [
                "\n".join(indent + line if line.strip() else "" for line in para.split("\n"))
                for para in paragraphs(plain_markdown(pick.why) if pick.why else None)
            ]  # (a note is plain text, as `show` and the site have it: `**bleak**` reads as typed)
            head = f"{marker}**{plain_markdown(pick.title)}**{plain_markdown(by)}"
            if not notes:
                items.append(head)
            elif loose:  # paragraphs: a blank line between them, each indented, so the list goes on
                items.append("\n\n".join([head, *notes]))
            else:
                items.append(f"{head}  \n{notes[0]}")
        parts.append(("\n\n" if loose else "\n").join(items) + "\n")
    return "\n".join(parts)
