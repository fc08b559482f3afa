"""Models -> Rich renderables. Pure: nothing here prints or reads files.

User text only ever enters Rich as `Text` (never as a markup string) and passes through `visible`, so a
title like "[bold]x[/]" or an escape sequence is shown as written, never obeyed.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.padding import Padding
from rich.panel import Panel
from rich.text import Text

from readlog import fields
from readlog.lazyclass import pattern_when_used
from readlog.model import (
    Book,
    BookSummary,
    PartialDate,
    Quote,
    Read,
    Summary,
    notes_by_date,
    quotes_in_book_order,
    sort_key,
)
from readlog.text import one_line, stars, visible

if TYPE_CHECKING:
    from rich.measure import Measurement
    from rich.segment import Segment
    from rich.style import Style
    from rich.table import Table

    from readlog.actions.recall import Recall
    from readlog.index import Hit
    from readlog.model import Entry
    from readlog.queue import Queue, QueueItem
    from readlog.stats import Goal, Stats

from readlog.identity import STATUS_STYLE as _STATUS_STYLE  # noqa: E402 - the one status table
from readlog.identity import letterless  # noqa: E402 - which titles list shows a slug beside

_PICK_MARK = {
    "read": ("✓ read", "green"),
    "reading": ("reading now", "cyan"),
    "paused": ("paused", "yellow"),
    "abandoned": ("you abandoned it", "red"),
    "want": ("on your list", "magenta"),
}


def rating_text(rating: float | None) -> Text:
    if rating is None:
        return Text("unrated", style="dim")
    return Text.assemble((stars(rating), "yellow"), " ", (f"{rating:g}", "bold"))


_MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
                "October", "November", "December")  # fmt: skip


def _date(value: PartialDate | None, long: bool = False) -> str:
    """2025-03-01, or with `long` (config `date_style = "long"`) 1 March 2025; partial dates likewise."""
    text = sort_key(value)
    if not text:
        return "?"
    if not long or len(text) < 7:
        return text
    month = _MONTH_NAMES[int(text[5:7]) - 1]
    return f"{int(text[8:10])} {month} {text[:4]}" if len(text) == 10 else f"{month} {text[:4]}"


def _read_span(
    read: Read, long: bool = False, gave_up: bool = False, said: bool = False, done: bool = False
) -> str:
    """One reading's dates; `gave_up`: the reading given up (an abandoned book's last), which no `stopped`
    date may say (`said`: the label says it already); `done` (reading.is_done): a reading begun and never
    finished on a day is over (a read book's), not going on `now`."""
    if not (read.started or read.finished or read.stopped):
        from readlog.reading import undated

        span = undated(gave_up and not said)
    else:
        if read.stopped is not None:
            end = f"stopped {_date(read.stopped, long)}"
        elif read.finished is None and read.started is not None:
            end = "stopped" if gave_up else "?" if done else "now"
        else:
            end = _date(read.finished, long)
        span = f"{_date(read.started, long)} → {end}" if read.started or read.stopped else end
    if read.format:
        span += f" ({read.format})"
    if read.rating is not None:
        span += f" ({stars(read.rating)} {read.rating:g})"
    return span


def _bar(share: float, width: int = 24) -> Text:
    filled = min(round(share * width), width)
    return Text.assemble(("█" * filled, "cyan"), ("░" * (width - filled), "dim"))


def _reading_lines(book: Book, today: date, long_dates: bool = False) -> list[Text]:
    """The open reading as a bar and where the reader is; then the pace and when it may be done (a line
    of its own, so that a narrow terminal never breaks it in the middle). A paused reading says since
    when, and gives no finishing day; an abandoned one says where the reader stopped."""
    from readlog.reading import latest, outlook, paused_since

    if book.status == "abandoned":
        return _stopped_lines(book, long_dates)
    read = book.open_read
    if read is None or book.status not in ("reading", "paused"):
        return []
    lines: list[Text] = []
    since = paused_since(read) if book.status == "paused" else None
    if since is not None:
        lines.append(Text.assemble(("Paused: ", "dim"), f"since {_date(since, long_dates)}"))
    view = outlook(book, read, today)
    if view is None:
        return lines
    line = Text.assemble(("Now: ", "dim"))
    if view.fraction is not None:
        line.append_text(_bar(view.fraction))
        line.append(f" {int(view.fraction * 100)}%")
    last = latest(read)
    if view.fraction is None or (last is not None and last.percent is None):
        line.append(("  " if view.fraction is not None else "") + view.label)  # a percentage only once
    lines.insert(0, line)
    if view.per_day is not None:
        unit = {"%": "% a day", "minutes": " minutes a day"}.get(view.unit, " pages a day")
        pace = f"{view.per_day:.1f}{unit}".replace(".0%", "%").replace(".0 ", " ")
        lines.append(Text.assemble(("Pace: ", "dim"), pace))
    if view.finish_by is not None and book.status != "paused":
        lines.append(Text.assemble(("Done by about: ", "dim"), _date(view.finish_by, long_dates)))
    return lines


def _stopped_lines(book: Book, long: bool = False) -> list[Text]:
    """An abandoned book: where its last reading stopped, and on which day, when the reader said where (the
    day alone is in the readings' line already: `Abandoned: 2026-02-20 → stopped 2026-03-01`)."""
    from readlog.reading import fraction, label, latest

    read = next((r for r in reversed(book.reads) if r.stopped is not None), None)
    last = latest(read) if read is not None else None
    if read is None or last is None:
        return []
    line = Text.assemble(("Stopped: ", "dim"))
    share = fraction(book, last)
    where = label(book, last) + (
        f" ({int(share * 100)}%)" if share is not None and last.percent is None else ""
    )
    line.append(f"at {where} on {_date(read.stopped, long)}")
    return [line]


def _user(text: str, style: str = "") -> Text:
    return Text(visible(text), style=style)


def _unnoted(text: str) -> str:
    """`text` without the reader's notes to self (HTML comments): privacy.without_comments, the rule the
    site and posts keep too, so `show` and `next` hide what publishing leaves out."""
    if "<!--" not in text:
        return text
    from readlog.privacy import without_comments

    return without_comments(text)


def _unnoted_line(text: str | None) -> str | None:
    """A one-line field (a headline, a title) without its notes to self: None when it was only that."""
    if not text or "<!--" not in text:
        return text
    from readlog.privacy import without_notes

    return without_notes(text) or None


MEASURE = 100  # review and reflection text wraps here even on a 200-column terminal: a reading measure
PAGE = MEASURE + 6  # `show`'s panels at most: the measure, a review panel's padding (2 + 2) and borders


def _flow(pieces: Sequence[Text], room: int, sep: str = "  ·  ") -> Text:
    """Pieces joined by `sep`, a new line instead of `sep` where the next piece would not fit: `288 pages`
    or `added 2025-03-02` never break in two at 40 columns."""
    out = Text()
    used = 0
    for number, piece in enumerate(pieces):
        if number:
            if used + len(sep) + piece.cell_len > room:
                out.append("\n")
                used = 0
            else:
                out.append(sep, style="dim")
                used += len(sep)
        out.append_text(piece)
        used += piece.cell_len
    return out


def _markdown(text: str) -> RenderableType:
    from rich.constrain import Constrain

    cut = None
    if "<!--" in text:  # notes to self: hidden as publishing leaves them out (privacy.without_comments)
        from readlog.privacy import notes_cut

        text, cut = notes_cut(text)
    shown = visible(text)
    blocks = plain_blocks(shown)
    body: RenderableType = PlainMarkdown(blocks) if blocks is not None else _marked_markdown()(shown)
    if cut is not None:
        note = Text(
            f"(the rest is hidden: the `<!--` on line {cut} is never closed, so the site and posts leave "
            "it out too; close it with `-->`)",
            style="dim",
        )
        body = Group(body, Text(""), note) if text.strip() else note
    return Constrain(body, MEASURE)


# Text with none of these is, to CommonMark, words (no emphasis, code, link, image, escape, entity, HTML,
# strikethrough or table): its paragraphs, headings and simple lists are all Markdown would find in it.
_MARKUP = frozenset("*_`[]!<&\\~|\t\r")
# A line starting with one of these may open a block (list, quote, rule, fence, setext underline, HTML),
# and a digit an ordered list; a space, an indented code block or a continuation.
_BLOCK_START = frozenset("#>-+=:")

# One block of plain Markdown: ("p", lines), ("h2".."h6", [words]) or ("ul", [lines of each item]).
PlainBlock = tuple[str, list[Any]]


def plain_blocks(text: str) -> list[PlainBlock] | None:
    """Text that is only paragraphs, `##`-`######` headings and tight `- ` lists of one paragraph an item,
    as blocks; None when it may hold any other Markdown, when a line has space at its end or whitespace
    other than spaces, or anything this does not know for sure: such text is left to Rich's Markdown
    (markdown-it is 20 ms to import, a third of `show`). What this finds is what markdown-it would find,
    and `PlainMarkdown` shows it exactly as Rich's Markdown does (tests/test_render_plain_markdown.py
    compares the two)."""
    if not _MARKUP.isdisjoint(text) or any(c.isspace() and c not in " \n" for c in text if not c.isascii()):
        return None
    blocks: list[PlainBlock] = []
    paragraph: list[str] | None = None
    items: list[list[str]] | None = None  # the list being read, while no blank line has ended it
    for line in text.split("\n"):
        if not line:
            paragraph = items = None
            continue
        if line[-1] == " " or (line.isascii() and not line.isprintable()):
            return None
        if line.startswith("- "):  # an item: after a blank line (or another item), words right after `- `
            words = line[2:]
            if paragraph is not None or not _plain_start(words):
                return None
            if items is None:
                if blocks and blocks[-1][0] == "ul":
                    return None  # a blank line between items: one loose list, not two
                items = []
                blocks.append(("ul", items))
            items.append([words])
            continue
        if items is not None:  # the item's paragraph goes on, two spaces in; anything else is not known
            if not (line.startswith("  ") and _plain_start(line[2:])):
                return None
            items[-1].append(line[2:])
            continue
        if line[0] == "#":
            hashes = len(line) - len(line.lstrip("#"))
            words = line[hashes:].strip(" ")
            if not 2 <= hashes <= 6 or line[hashes : hashes + 1] != " " or words.endswith("#"):
                return None
            if not _plain_start(words):
                return None
            blocks.append((f"h{hashes}", [words]))
            paragraph = None
        elif not _plain_start(line):
            return None
        elif paragraph is None:
            paragraph = [line]
            blocks.append(("p", paragraph))
        else:
            paragraph.append(line)
    return blocks or None


def _plain_start(words: str) -> bool:
    """Words that start no block of their own: not empty, no space, block mark or digit first."""
    return bool(words) and words[0] != " " and words[0] not in _BLOCK_START and not words[0].isdigit()


class PlainMarkdown:
    """What Rich's Markdown (as `_marked_markdown` has it) renders for text of paragraphs, headings and
    simple lists (`plain_blocks`), made without parsing Markdown: the same Text objects, spans, bullets
    and line breaks."""

    def __init__(self, blocks: list[PlainBlock]):
        self.blocks = blocks

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        from rich.segment import Segment

        base = console.get_style("none", default="none")
        paragraph = console.get_style("markdown.paragraph", default="none")
        options = options.update(height=None)
        for number, (tag, lines) in enumerate(self.blocks):
            if number or tag == "ul":  # Rich's: a line before every block but a first paragraph or heading
                yield Segment.line()
            if tag == "p":
                yield from console.render(_paragraph(lines, base + paragraph), options)
            elif tag == "ul":  # as rich.markdown.ListItem.render_bullet
                item = base + console.get_style("markdown.item", default="none")
                bullet_style = console.get_style("markdown.item.bullet", default="none")
                inside = options.update(width=options.max_width - 3)
                for words in lines:
                    rendered = console.render_lines(_paragraph(words, item + paragraph), inside, style=item)
                    for at, row in enumerate(rendered):
                        yield Segment(" • " if at == 0 else "   ", bullet_style)
                        yield from row
                        yield Segment("\n")
            else:
                heading = Text()
                heading.append(lines[0], base + console.get_style(f"markdown.{tag}", default="none"))
                shown = heading.copy()
                shown.justify = "left"
                yield from console.render(shown, options)
                if console.color_system is None or not console.is_terminal:  # as MarkedHeading
                    rule = "─" if tag == "h2" else "┄"
                    yield from console.render(Text(rule * min(heading.cell_len, options.max_width)), options)


def _paragraph(lines: list[str], style: Style) -> Text:
    """A paragraph as rich.markdown's Paragraph has it: each line, and a space for each soft line break."""
    text = Text(justify="left")
    for at, line in enumerate(lines):
        if at:
            text.append(" ", style)
        text.append(line, style)
    return text


def _marked_markdown() -> type:
    """Rich's Markdown, with `##` headings underlined by a rule when the output has no styles (piped, or
    --color never), where they would otherwise read as plain lines; and the reader's inline Markdown kept
    whole and in place (`_shown_inline`): an image where it stands (Rich's own puts it before its
    paragraph), a link's address as text `(url)` where there are no hyperlinks, `<br>` a line break, and
    footnotes (`text[^1]`, `[^1]: the note`) a `[1]` in the text and a numbered list of the notes at the
    end of the part (the footnote parser loads only for a text that has `[^`)."""
    # (rich.markdown costs ~9x `python -c pass`: only when there is text)
    from rich.markdown import Heading, ListElement, ListItem, Markdown

    class MarkedHeading(Heading):
        def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
            yield from super().__rich_console__(console, options)
            if self.tag != "h1" and (console.color_system is None or not console.is_terminal):
                rule = "─" if self.tag == "h2" else "┄"
                yield Text(rule * min(self.text.cell_len, options.max_width))

    class Item(ListItem):
        mark = "."
        indent = 1  # (a space before the widest number)

        @classmethod
        def create(cls, markdown: Markdown, token: Any) -> Item:
            item = cls()
            item.mark = ")" if token.markup == ")" else "."  # (`1)` as the reader wrote it: review 33a #12)
            return item

        def numeral(self, number: int) -> str:
            return f"{number}{self.mark} "  # `1. a pick` (Rich's own drops the dot: try-out 33a #6)

        def render_number(
            self, console: Console, options: ConsoleOptions, number: int, last_number: int
        ) -> RenderResult:  # the number, then the item's lines under its first
            from rich.segment import Segment

            width = len(self.numeral(last_number)) + self.indent
            lines = console.render_lines(self.elements, options.update(width=options.max_width - width))
            style = console.get_style("markdown.item.number", default="none")
            for at, line in enumerate(lines):
                yield Segment(self.numeral(number).rjust(width) if at == 0 else " " * width, style)
                yield from line
                yield Segment("\n")

    class Note(Item):
        indent = 0

        def numeral(self, number: int) -> str:
            return f"[{number}] "  # `[1] the note`

    class Notes(ListElement):
        def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
            yield Text("─" * min(12, options.max_width), style="dim")  # as a printed page's notes
            yield from super().__rich_console__(console, options)

    class MarkedMarkdown(Markdown):
        elements = {
            **Markdown.elements,
            "heading_open": MarkedHeading,
            "list_item_open": Item,
            "footnote_block_open": Notes,
            "footnote_open": Note,
        }

        def __init__(self, markup: str) -> None:
            super().__init__("")  # (Rich's own parser, on nothing: the text is parsed below)
            self.markup = markup
            from readlog.footnotes import may_have_footnotes

            self.parsed = _parser(may_have_footnotes(markup)).parse(markup)

        def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
            # An address is a hyperlink on a terminal in colour; anywhere else it is written out.
            self.hyperlinks = console.is_terminal and console.color_system is not None
            yield from super().__rich_console__(console, options)

        def _flatten_tokens(self, tokens: Iterable[Any]) -> Iterable[Any]:
            return _shown_inline(super()._flatten_tokens(tokens), self.hyperlinks)

    return MarkedMarkdown


_PARSERS: dict[bool, Any] = {}


def _parser(footnotes: bool) -> Any:
    """markdown-it as Rich's Markdown configures it, reading footnotes (readlog.footnotes) when asked."""
    if footnotes not in _PARSERS:
        from markdown_it import MarkdownIt

        parser = MarkdownIt().enable("strikethrough").enable("table")
        if footnotes:
            from readlog.footnotes import use_footnotes

            use_footnotes(parser)
        _PARSERS[footnotes] = parser
    return _PARSERS[footnotes]


def _shown_inline(flat: Iterable[Any], hyperlinks: bool) -> Iterator[Any]:
    """The flattened tokens Rich's Markdown renders, with what it would lose or move put as text in place:
    an image as a link to it (`🌆 alt`, then `(url)` without hyperlinks), `<br>` a line break, other raw
    HTML as its text (an HTML block as paragraphs of it, as the site has it), a link whose
    text is its address (`<https://…>`) written once, a footnote's reference `[1]` (its notes are `Notes`).
    """
    from markdown_it.token import Token

    tokens = list(flat)
    bare: list[bool] = []  # for each link open: is its text its own address (written once)?
    for at, token in enumerate(tokens):
        kind = token.type
        if kind == "softbreak" and at and _is_break_tag(tokens[at - 1]):
            continue  # (`<br>` ending a line: the line's end is no space at the start of the next)
        if kind == "image":
            source = str(token.attrs.get("src", ""))
            alt = token.content or source.strip("/").rsplit("/", 1)[-1]
            yield Token("link_open", "a", 1, attrs={"href": source})
            yield Token("text", "", 0, content="🌆 " + alt)
            yield Token("link_close", "a", -1)
        elif _is_break_tag(token):
            yield Token("hardbreak", "br", 0)
        elif kind == "html_inline":  # raw HTML is text, as the site shows it (Rich's own drops it)
            yield Token("text", "", 0, content=token.content)
        elif kind == "html_block":  # paragraphs of its text, as on the site: `<br>` a line break there too
            for block in _BLANK_LINES.split(token.content.strip("\n")):
                yield Token("paragraph_open", "p", 1)
                broke = True  # (no space before the first line, nor after a line ending in `<br>`)
                for line in block.split("\n"):
                    if not broke:
                        yield Token("softbreak", "br", 0)
                    pieces = _BREAK_TAG.split(line.strip())
                    for number, piece in enumerate(pieces):
                        if number:
                            yield Token("hardbreak", "br", 0)
                        if piece.strip():
                            yield Token("text", "", 0, content=piece.strip())
                    broke = len(pieces) > 1 and not pieces[-1].strip()
                yield Token("paragraph_close", "p", -1)
        elif kind == "link_open":
            bare.append(not hyperlinks and _its_own_address(tokens, at))
            if not bare[-1]:
                yield token
        elif kind == "link_close":
            if not (bare.pop() if bare else False):
                yield token
        elif kind == "footnote_ref":
            yield Token("text", "", 0, content=f"[{token.meta['id'] + 1}]")
        elif kind != "footnote_anchor":  # (the way back to the reference, a link on a page)
            yield token


_BREAK_TAG = pattern_when_used(r"<br\s*/?>", re.IGNORECASE)


def _is_break_tag(token: Any) -> bool:
    return bool(token.type == "html_inline" and _BREAK_TAG.fullmatch(token.content))


_BLANK_LINES = pattern_when_used(r"\n[ \t]*\n\s*")


def _its_own_address(tokens: list[Any], at: int) -> bool:
    """Is the link opened at `at` one whose text is its address (`<https://…>`, `<a@b.org>`)?"""
    href = str(tokens[at].attrs.get("href", ""))
    text = []
    for token in tokens[at + 1 :]:
        if token.type == "link_close":
            break
        if token.type != "text":
            return False
        text.append(token.content)
    shown = "".join(text)
    return href in (shown, "mailto:" + shown)


def render_book(
    entry: Entry,
    pick_status: list[str] | None = None,
    today: date | None = None,
    width: int = 100,
    long_dates: bool = False,
) -> RenderableType:
    """`readlog show`: header, review, reflections, quotes, read-next picks, each in its own panel. A
    headline (a reflection's title, a read-next heading) too long for the panel's border is the first line
    inside it, whole. The panels are as wide as the text in them may be (MEASURE, their borders and
    padding), not the terminal: at 160 columns a box of 160 held text wrapped at 100 (try-out 33a #7)."""
    from rich.constrain import Constrain

    width = min(width, PAGE)
    book = entry.book
    parts: list[RenderableType] = [_header(book, today or date.today(), width - 4, long_dates)]
    if book.review is not None and not book.review.is_empty():
        review = book.review
        body: RenderableType = _markdown(review.body) if review.body else Text("(no text)", style="dim")
        title, inside = _border_title(_unnoted_line(review.headline), "Review", width)
        if inside is not None:
            body = Group(inside, Text(""), body)
        parts.append(
            Panel(
                body,
                title=title,
                title_align="left",
                subtitle=Text(
                    " · ".join(
                        ([f"written {review.written.isoformat()}"] if review.written else [])
                        + (["private"] if review.private else [])
                    ),
                    style="dim",
                )
                if review.written or review.private
                else None,
                subtitle_align="right",
                padding=(1, 2),
            )
        )
    if book.extra.get("source"):  # another edition's review, kept with it when this book had one already
        from readlog.traits import edition_reviews

        for told, text in edition_reviews(book):
            parts.append(
                Panel(
                    _markdown(text),
                    title=Text("Review of another edition", style="bold"),
                    title_align="left",
                    subtitle=Text(told, style="dim"),
                    subtitle_align="right",
                    padding=(1, 2),
                )
            )
    # A reflection with a title is a section of its own, after the review, as the site and posts have it.
    for reflection in (r for r in book.reflections if r.title):
        when = reflection.date.isoformat() if reflection.date else "undated"
        label = Text.assemble((when, "cyan"), ("  private" if reflection.private else "", "dim"))
        section: list[RenderableType] = [label, Padding(_markdown(reflection.text), (0, 0, 1, 0))]
        banner, inside = _border_title(_unnoted_line(reflection.title), "Reflection", width)
        if inside is not None:
            section.insert(0, inside)
        parts.append(_panel_titled(banner, section))
    untitled = notes_by_date([r for r in book.reflections if not r.title])
    if untitled:
        items: list[RenderableType] = []
        for reflection in untitled:
            when = reflection.date.isoformat() if reflection.date else "undated"
            label = Text.assemble(
                (when, "bold cyan"),
                (f"  {reflection.location}" if reflection.location else "", "dim"),
                ("  private" if reflection.private else "", "dim"),
            )
            items += [label, Padding(_markdown(reflection.text), (0, 0, 1, 2))]
        parts.append(_panel("Reflections", items))
    if book.quotes:
        parts.append(_panel("Remembered lines", [_quote(q) for q in quotes_in_book_order(book.quotes)]))
    if book.next:
        status = pick_status or ["open"] * len(book.next)
        picks = enumerate(zip(book.next, status, strict=True), 1)
        lines = [_pick(n, p.title, p.authors, p.why, s, width - 9) for n, (p, s) in picks]
        read_next = book.read_next  # the reader's own heading and introduction, as the site shows them
        if read_next is not None and read_next.intro:
            lines.insert(0, Padding(_markdown(read_next.intro), (0, 0, 1, 0)))
        heading, inside = _border_title(
            _unnoted_line(read_next.heading if read_next else None), "Read next", width
        )
        if inside is not None:
            lines.insert(0, Padding(inside, (0, 0, 1, 0)))
        parts.append(_panel_titled(heading, lines))
    return Constrain(Group(*parts), width)


def _border_title(banner: str | None, generic: str, width: int) -> tuple[Text, Text | None]:
    """A panel's title: the reader's own `banner` (a headline, a reflection's title, a read-next heading),
    on one line, in the border where it fits; too long for it (Rich would crop it, with no mark), the
    panel is titled `generic` and the banner is given back to be the first line inside, whole."""
    if not banner:
        return Text(generic, style="bold"), None
    shown = _user(one_line(banner), "bold")
    if shown.cell_len > width - 8:
        return Text(generic, style="bold"), shown
    return shown, None


def _header(book: Book, today: date, room: int = 96, long_dates: bool = False) -> Panel:
    lines: list[RenderableType] = [_user(book.title, "bold")]
    if book.authors:
        lines.append(Text.assemble("by ", _user(", ".join(book.authors), "italic")))
    translators = book.extra.get("translators")  # kept by imports that name them (never authors)
    if isinstance(translators, list) and translators and all(isinstance(t, str) for t in translators):
        lines.append(Text.assemble(("translated by ", "dim"), _user(", ".join(translators), "italic")))
    lines.extend(_field_lines(book, fields.HEAD))
    lines.append(_flow([rating_text(book.rating), *_facts(book)], room))
    if book.reads:
        from readlog.reading import given_up, in_date_order, is_done, readings_label

        reads = in_date_order(book.reads)
        label = readings_label(book, reads)
        gave_up = given_up(book, reads)
        last = len(reads) - 1
        over = book.status in (
            "read",
            "abandoned",
        )  # (a reading left going on is not `now`: `check` names it)
        spans = "; ".join(
            _read_span(r, long_dates, gave_up and n == last, label == "Abandoned", is_done(book, r) or over)
            for n, r in enumerate(reads)
        )
        lines.append(Text.assemble((f"{label}: ", "dim"), spans))
    lines.extend(_reading_lines(book, today, long_dates))
    lines.extend(_field_lines(book, fields.BODY))
    storygraph = _storygraph_line(book)
    if storygraph is not None:
        lines.append(storygraph)
    foot = list(_field_facts(book, fields.FOOT))
    if foot:
        lines.append(_flow(foot, room))
    return Panel(Group(*lines), padding=(0, 1))


# How `show` styles a field's value, by field (a status by its value, _STATUS_STYLE); the foot is all dim.
_FIELD_STYLE = {"tags": "cyan", "private": "dim"}


def _field_lines(book: Book, place: str) -> Iterator[Text]:
    """The fields (fields.FIELDS) put on lines of their own at `place`: `Label: value`."""
    for field in fields.where(place):
        value = fields.value(book, field)
        if not fields.is_empty(field, value):
            words = field.kind.words(value)
            yield Text.assemble((f"{field.label}: ", "dim"), _user(words, _FIELD_STYLE.get(field.name, "")))


def _field_facts(book: BookSummary, place: str) -> Iterator[Text]:
    """The fields (fields.FIELDS) put in a line of facts at `place`, each its label with the value in it."""
    for field in fields.where(place):
        value = fields.value(book, field)
        if fields.is_empty(field, value):
            continue
        text = visible(field.label.format(field.kind.words(value)))
        if place == fields.FOOT:
            style = "dim"
        elif field.name == "status":
            style = _STATUS_STYLE.get(value, "")
        else:
            style = _FIELD_STYLE.get(field.name, "")
        yield Text(text, style=style)


_STORYGRAPH = (
    ("Format", "format"),
    ("Owned?", "owned"),
    ("Moods", "moods"),
    ("Pace", "pace"),
    ("Character- or Plot-Driven?", "driven by"),
    ("Content Warnings", "content warnings"),
)


def _storygraph_line(book: Book) -> Text | None:
    """What a StoryGraph import brought that readlog has no field for: shown, not lost."""
    source = book.extra.get("source")
    data = source.get("storygraph") if isinstance(source, dict) else None
    if not isinstance(data, dict):
        return None
    facts = [
        f"{label}: {data[key]}" for key, label in _STORYGRAPH if isinstance(data.get(key), str) and data[key]
    ]
    return Text.assemble(("StoryGraph: ", "dim"), _user("  ·  ".join(facts))) if facts else None


def _facts(book: Book) -> Iterable[Text]:
    return _field_facts(book, fields.FACT)


def _panel(title: str, items: list[RenderableType]) -> Panel:
    # Each item ends in a blank line, so the panel needs no bottom padding of its own.
    return _panel_titled(Text(title, style="bold"), items)


def _flat_panel(title: str, items: list[RenderableType]) -> _Flat:
    """`_panel`, drawn flat where it can be (`_Flat`)."""
    return _Flat(_panel(title, items), items)


def _panel_titled(title: Text, items: list[RenderableType]) -> Panel:
    return Panel(Group(*items), title=title, title_align="left", padding=(1, 2, 0, 2))


class _Flat:
    """`panel` (a Panel of `Group(*items)`, expanded) as Rich draws it, drawn flat: each item's lines made
    here from its text wrapped and rendered by Rich (Text.wrap and Text.render, as Text's own rendering
    does), then the panel's borders and padding put around them, without Rich's layers of lines around
    each level (the panel, its padding, the group, each item's padding: every one splits, crops and pads
    every line again; and a line that fits is not wrapped at all). The output is Rich's own, byte for
    byte: the styled runs are the same segments, the borders are Rich's, and the padding is plain spaces,
    as Rich's is (a panel or a padding with a style of its own is drawn by Rich). recall's 438
    on-this-day moments at 100,000 books on a terminal: 82 -> 49 ms (piped: 46 -> 41 ms); `next`'s
    30-odd panels at 10,000 books: 15.7 -> 11 ms. Drawn here: a Text ending in a newline, an expanded
    Padding without a style, a Group, a Constrain, `_Hanging` and `_Bars` (stats' charts); anything else, a
    panel that is not expanded, or a narrow console: drawn by Rich. tests/test_render_flat.py compares the
    two."""

    def __init__(self, panel: Panel, items: list[RenderableType]):
        self.panel = panel
        self.items = items

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        from rich.segment import Segment

        plain = console.color_system is None
        drawn = self._lines(console, options, plain)
        if drawn is None:
            yield self.panel
            return
        new_line = Segment.line()
        if plain:  # a segment per line: Console.print splits its output at each newline
            for line in drawn:
                yield Segment("".join(segment.text for segment in line))
                yield new_line
            return
        for line in drawn:
            yield from line
            yield new_line

    def _lines(self, console: Console, options: ConsoleOptions, plain: bool) -> list[list[Segment]] | None:
        from copy import copy

        from rich.cells import cell_len
        from rich.segment import Segment

        width = options.max_width
        panel = self.panel
        top, right, bottom, left = Padding.unpack(panel.padding)
        inner = width - 2 - left - right  # the borders and the padding at each side
        if inner < 8 or options.height is not None or not panel.expand or panel.width is not None:
            return None
        if panel.height is not None or panel.subtitle is not None or console.get_style(panel.style):
            return None
        # The borders as Rich draws them around one empty line (their width does not depend on the text:
        # the panel expands to the console's), drawn once for all the panels alike on this console; the
        # panel's padding is blank lines and spaces between them. Its title line, as Rich's panel draws it.
        frames = console.__dict__.setdefault("_readlog_frames", {})
        key = (
            width,
            panel.box,
            panel.safe_box,
            str(panel.style),
            str(panel.border_style),
            options.ascii_only,
            options.legacy_windows,
        )
        frame = frames.get(key)
        if frame is None:
            empty = copy(panel)
            empty.renderable, empty.padding, empty.title = Text(""), 0, None
            frame = frames[key] = console.render_lines(empty, options)
        if len(frame) != 3 or len(frame[1]) < 2:
            return None
        start, end = frame[1][0], frame[1][-1]  # the side borders
        if cell_len(start.text) + cell_len(end.text) != 2:
            return None
        first = _title_line(panel, console, options) if panel.title else frame[0]  # (Rich's test)
        if first is None:
            return None
        blank = [start, Segment(" " * (width - 2)), end]
        lines: list[list[Segment]] = [first, *[blank] * top]
        pad_left, pad_right = Segment(" " * left), " " * right
        for item in self.items:
            drawn = _flat_lines(item, console, options, inner, plain)
            if drawn is None:
                return None
            for line, used in drawn:
                lines.append([start, pad_left, *line, Segment(" " * (inner - used) + pad_right), end])
        lines += [*[blank] * bottom, frame[2]]
        return lines


def _title_line(panel: Panel, console: Console, options: ConsoleOptions) -> list[Segment] | None:
    """The top border of an expanded `panel` with its title aligned left, as Rich's Panel draws it (its
    `__rich_console__`, where the title line comes first); None for another alignment, or a width where
    Rich draws no title."""
    from rich.segment import Segment

    width = options.max_width
    title = panel._title  # (Rich's own: a copy, on one line, padded with a space at each side)
    if title is None or panel.title_align != "left" or width <= 4:
        return None
    border_style = console.get_style(panel.style) + console.get_style(panel.border_style)
    box = panel.box.substitute(options, safe=console.safe_box if panel.safe_box is None else panel.safe_box)
    title.stylize_before(border_style)
    title.truncate(width - 4)
    if title.style:
        title.stylize(console.get_style(title.style))
    excess = width - 4 - title.cell_len
    if excess:
        title = Text.assemble(title, (box.top * excess, border_style), no_wrap=True, end="")
    if len(title.plain) == title.cell_len:  # one cell a character: Rich's wrap gives the line back as it is
        drawn: Iterable[Segment] = (Text("\n").join([title]) if title.style else title).render(console)
    else:
        drawn = console.render(title, options.update(width=width - 4, highlight=panel.highlight))
    return [
        Segment(box.top_left + box.top, border_style),
        *drawn,
        Segment(box.top + box.top_right, border_style),
    ]


def _flat_lines(
    item: RenderableType, console: Console, options: ConsoleOptions, width: int, plain: bool
) -> list[tuple[list[Segment], int]] | None:
    """`item`'s lines as Rich draws it `width` cells wide, each with its width in cells (not padded: the
    caller pads with plain spaces, as Rich's padding is here); None for a kind of item not drawn here, or
    a line Rich would crop."""
    from rich.cells import cell_len
    from rich.constrain import Constrain
    from rich.segment import Segment

    if isinstance(item, Text):
        if item.end != "\n":
            return None
        justify = item.justify or options.justify or "default"
        whole = item.plain
        if justify == "default" and len(whole) <= width and "\n" not in whole and "\t" not in whole:
            fits = cell_len(whole) <= width  # Text.wrap would give it back as it is: one line, unchanged
        else:
            fits = False
        if fits:
            wrapped: Iterable[Text] = [item]
        else:
            tab_size = console.tab_size if item.tab_size is None else item.tab_size
            wrapped = item.wrap(
                console,
                width,
                justify=justify,
                overflow=item.overflow or options.overflow or "fold",
                tab_size=tab_size or 8,
                no_wrap=item.no_wrap if item.no_wrap is not None else bool(options.no_wrap),
            )
        drawn = []
        joined = Text("\n")  # Rich renders the lines joined: each line's own style becomes a span
        for line in wrapped:
            text = line.plain
            used = cell_len(text)
            if used > width or "\n" in text:
                return None
            if plain:
                drawn.append(([Segment(text)], used))
            else:  # a line without a style of its own renders alike either way
                drawn.append((list((joined.join([line]) if line.style else line).render(console)), used))
        return drawn or [([], 0)]  # no lines: the newline at its end alone
    if isinstance(item, Padding):
        if not item.expand or console.get_style(item.style):
            return None
        room = width - item.left - item.right
        inside = _flat_lines(item.renderable, console, options, room, plain) if room >= 1 else None
        if inside is None:
            return None
        blank: tuple[list[Segment], int] = ([], 0)
        margin = Segment(" " * item.left)  # the spaces after a line are the caller's
        return [*[blank] * item.top, *(([margin, *line], item.left + used) for line, used in inside)] + [
            blank
        ] * item.bottom
    if isinstance(item, FlatRows):  # stats' charts, the suggestions' numbered rows
        rows = item.flat(width, console)
        if rows is None:
            return None
        return [([Segment(row.plain)] if plain else list(row.render(console)), row.cell_len) for row in rows]
    if isinstance(item, Group):
        lines: list[tuple[list[Segment], int]] = []
        for part in item.renderables:
            drawn_part = _flat_lines(part, console, options, width, plain)
            if drawn_part is None:
                return None
            lines += drawn_part
        return lines
    if isinstance(item, Constrain):
        return _flat_lines(item.renderable, console, options, min(width, item.width or width), plain)
    if isinstance(item, _Hanging):
        indent = item.marker.cell_len + 1
        room = width - indent
        body = _flat_lines(item.body, console, options, room, plain) if room >= 1 else None
        if body is None:
            return None
        marker = (
            [Segment(item.marker.plain)]
            if plain
            else Segment.apply_style(item.marker.render(console), console.get_style(item.marker.style))
        )
        first = [*marker, Segment(" ")]
        return [
            ([*(first if n == 0 else [Segment(" " * indent)]), *line], indent + used)
            for n, (line, used) in enumerate(body)
        ]
    return None


# A text that begins with a quote mark of its own (a highlight of dialogue: “This truck…”) gets none added.
_OPENING_MARKS = frozenset("“\"„«»‘'‚‹›「『")


def quoted(text: str) -> Text:
    """A quote in italics between dim quote marks, unless it begins with one of its own."""
    if text[:1] in _OPENING_MARKS:
        return _user(text, "italic")
    return Text.assemble(("“", "dim"), _user(text, "italic"), ("”", "dim"))


def _quote(quote: Quote) -> RenderableType:
    text = quoted(_unnoted(quote.text).strip("\n"))
    places = [f"p. {quote.page}"] if quote.page is not None else []
    places += [quote.location] if quote.location else []
    places += [quote.chapter] if quote.chapter else []
    places += [quote.date.isoformat()] if quote.date else []
    where = " · ".join(places)
    lines: list[RenderableType] = [text]
    if where:
        lines.append(Text.assemble(("— ", "dim"), _user(where, "dim")))
    note = _unnoted(quote.note).strip() if quote.note else None
    if note:
        lines.append(Text.assemble(("note: ", "dim"), _user(note)))
    if quote.private:
        lines.append(Text("private", style="dim"))
    return Padding(Group(*lines), (0, 0, 1, 0))


def _pick(
    number: int, title: str, authors: list[str], why: str | None, status: str, room: int = 90
) -> RenderableType:
    line = _user(title, "bold")
    if authors:
        line.append_text(Text.assemble(" — ", _user(", ".join(authors), "italic")))
    if status in _PICK_MARK:
        label, style = _PICK_MARK[status]
        badge = Text(f"[{label}]", style)  # on the title's line if it fits there whole, else under it
        line.append_text(Text.assemble("  " if line.cell_len + badge.cell_len + 2 <= room else "\n", badge))
    body: list[RenderableType] = [line]
    why = _unnoted(why) if why else why
    if why and why.strip():
        from rich.constrain import Constrain

        body.append(
            Constrain(_user(why.strip("\n")), MEASURE)
        )  # a note reads at the measure on a wide terminal
    # The number hangs to the left: wrapped lines stay indented under the title.
    return Padding(_Hanging(Text(f"{number}.", style="bold"), Group(*body)), (0, 0, 1, 0))


class _Hanging:
    """`marker`, a space, then `body`, whose wrapped lines are indented under its first: a one-row grid
    drawn without a table's measuring of every cell (a long queue is dozens of these)."""

    def __init__(self, marker: Text, body: RenderableType):
        self.marker = marker
        self.body = body

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        from rich.segment import Segment

        indent = self.marker.cell_len + 1
        room = max(1, options.max_width - indent)
        lines = console.render_lines(self.body, options.update(width=room), pad=False)
        marker = [
            *Segment.apply_style(self.marker.render(console), console.get_style(self.marker.style)),
            Segment(" "),
        ]
        for n, line in enumerate(lines):
            yield from marker if n == 0 else [Segment(" " * indent)]
            yield from line
            yield Segment.line()


Flat = _Flat  # (the suggestions panels, suggest_views.py, are drawn flat the same way)
Hanging = _Hanging  # (the series panel of `next`, lookup/views.py, hangs its numbers the same way)
flow = _flow  # (`series` under NARROW columns, lookup/views.py, flows each series' counts the same way)


NARROW = 60  # below this many columns, tables become stacked rows: labels and numbers kept whole


def render_list(entries: Sequence[Summary], width: int = 100) -> RenderableType:
    """`readlog list`: one row per book; a Progress column when some book is being read. Under 60
    columns each book is a title line and a line of facts, so nothing is cut to `Piran…`."""
    from readlog.reading import percent_done

    progress = [percent_done(e.book) if e.book.status in ("reading", "paused") else None for e in entries]
    with_progress = any(p is not None for p in progress)
    room = width - _fixed_list_width(entries, with_progress)  # what Title and Authors share
    if width < NARROW or room < _LEAST_TITLE + _LEAST_AUTHORS:
        return Group(*(_list_stacked(e, p, width) for e, p in zip(entries, progress, strict=True)))
    shown = [_list_title(e) for e in entries]
    titles = [t.plain for t in shown]
    authors = [one_line(", ".join(e.book.authors)) for e in entries]
    names = [  # (each word as the cell shows it: a comma after all names but the last, `Aristophanesian,`)
        word
        for e in entries
        for n, name in enumerate(e.book.authors)
        for word in (one_line(name) + ("," if n < len(e.book.authors) - 1 else "")).split()
    ]
    title_width, authors_width = _share_width(titles, authors, room, names)
    from rich.table import Table

    table = Table(box=None, pad_edge=False, show_edge=False, header_style="bold")
    table.add_column("Title", width=title_width)
    table.add_column("Authors", width=authors_width)
    table.add_column("Status", no_wrap=True)
    table.add_column("Rating", no_wrap=True)
    table.add_column("Finished", no_wrap=True)
    if with_progress:
        table.add_column("Progress", no_wrap=True, justify="right")
    for entry, share, title in zip(entries, progress, shown, strict=True):
        book = entry.book
        cells: list[RenderableType] = [
            title,
            Text(one_line(", ".join(book.authors))),
            Text(book.status or "", style=_STATUS_STYLE.get(book.status or "", "")),
            Text(stars(book.rating), style="yellow") if book.rating is not None else Text(""),
            sort_key(book.last_finished),
        ]
        if len(table.columns) > 5:
            cells.append(Text(f"{share}%" if share is not None else ""))
        table.add_row(*cells)
    return table


_LEAST_TITLE, _LEAST_AUTHORS = 14, 10  # narrower than this, `list` stacks each book on two lines
_WHOLE_NAME = 24  # a word of an author's name up to this long is never cut in `list`'s table


def _list_title(entry: Summary) -> Text:
    """A book's title in `list`; for a title with no letters or digits (`.`, `😀`, `📚📚`), which a reader
    may have no way to type, the slug to type instead: `📚📚 (slug: books-books)`. Every other title can be
    typed (its words, accents aside), so no column of slugs takes room from the titles on every line."""
    title = Text(one_line(entry.book.title), style="bold")
    if letterless(entry.book.title):
        title.append(f" (slug: {entry.slug})", style="not bold dim")
    return title


def _fixed_list_width(entries: Sequence[Summary], with_progress: bool) -> int:
    """The columns of `list` that never wrap (status, rating, finished, progress), as wide as what they
    hold, with the two spaces between every two columns."""
    status = max([len("Status"), *(len(e.book.status or "") for e in entries)])
    rating = len("Rating")  # five stars fit under the header
    finished = max([len("Finished"), *(len(sort_key(e.book.last_finished)) for e in entries)])
    fixed = status + rating + finished + (len("Progress") if with_progress else 0)
    columns = 5 + with_progress
    return fixed + 2 * (columns - 1)


def _share_width(
    titles: list[str], authors: list[str], room: int, names: Sequence[str] = ()
) -> tuple[int | None, int | None]:
    """Title and Authors share what the fixed columns leave by what they hold: each as wide as its
    longest cell when both fit; else in proportion to those, the title first (it names the book), and
    neither below a readable minimum: for the authors, the longest word of their names (`names`) up to
    _WHOLE_NAME, so a name wraps between words, never cut to `Tsatsouli…` beside a title wrapped in full;
    authors who fit whole in two fifths of the room get it (try-out 32a #13). None: as wide as the content
    (Rich decides)."""
    from rich.cells import cell_len

    title_need = max([len("Title"), *(cell_len(t) for t in titles)])
    authors_need = max([len("Authors"), *(cell_len(a) for a in authors)])
    if title_need + authors_need <= room:
        return None, None
    if room - authors_need >= max(_LEAST_TITLE, room * 3 // 5):  # the authors whole in 2/5 of the room
        return room - authors_need, authors_need
    name = min(max([0, *(cell_len(n) for n in names)]), _WHOLE_NAME)
    title_floor = min(title_need, _LEAST_TITLE)
    authors_floor = min(authors_need, max(_LEAST_AUTHORS, min(name, room - title_floor)))
    title = round(room * title_need / (title_need + authors_need))
    # the title gets what the authors do not need beyond their share, and keeps a word or two more
    title = max(title, room - authors_need, title_floor)
    title = min(title, title_need, room - authors_floor)
    return title, room - title


def _list_stacked(entry: Summary, share: int | None, room: int) -> RenderableType:
    book = entry.book
    pieces = [
        Text(one_line(", ".join(book.authors)) or "no author", style="italic"),
        Text(book.status or "", style=_STATUS_STYLE.get(book.status or "", "")),
        Text(f"{stars(book.rating)} {book.rating:g}", "yellow") if book.rating is not None else Text(""),
        Text(sort_key(book.last_finished)),
        Text(f"{share}%" if share is not None else ""),
    ]
    facts = _flow([piece for piece in pieces if piece.plain], room)
    return Group(_list_title(entry), facts)


def render_queue(queue: Queue, width: int = 100) -> RenderableType:
    """`readlog next`: open picks under "Because you read ...", then the wanted books in queue order."""
    sections: list[RenderableType] = []
    if queue.reading:
        sections.append(_reading_now(queue.reading, queue.reading_total))
    if not queue.items:
        empty = Text("Nothing queued. Add a pick with `readlog next add TITLE --author NAME`.", style="dim")
        return Group(*sections, empty) if sections else empty
    for source, items in queue.groups():
        if source is None:
            title = Text("Want to read", style="bold")
        else:
            # "Because you read" only for a book the reader has read; a pick noted from a book on the
            # want list (or one being read) is "Picked from" it.
            read = source.book.status == "read" or source.book.last_finished is not None
            lead = "Because you read " if read else "Picked from "
            title = Text.assemble((lead, "bold"), _user(source.book.title, "bold italic"))
        lines: list[RenderableType] = [_queue_line(n, item, width - 9) for n, item in enumerate(items, 1)]
        if source is not None and title.cell_len > width - 6:
            # a panel's title is cut to fit its border: the book's title goes inside, whole, wrapped
            lines.insert(0, Padding(_user(source.book.title, "bold italic"), (0, 0, 1, 0)))
            title = Text(lead.strip(), style="bold")
        panel = Panel(Group(*lines), title=title, title_align="left", padding=(1, 2, 0, 2))
        sections.append(_Flat(panel, lines))  # dozens of panels: drawn flat (Rich's bytes, in half the time)
    return Group(*sections)


def _reading_now(books: Sequence[Summary], total: int) -> RenderableType:
    from readlog.reading import label, latest, percent_done

    lines: list[RenderableType] = []
    for summary in books:
        book = summary.book
        line = _user(book.title, "bold")
        if book.authors:
            line.append_text(Text.assemble(" — ", _user(", ".join(book.authors), "italic")))
        read = book.open_read
        last = latest(read) if read is not None else None
        if last is not None:
            share = percent_done(book)
            where = label(book, last) + (f", {share}%" if share is not None and last.percent is None else "")
            line.append_text(Text(f"  ({where})", style="cyan"))
        lines.append(line)
    if total > len(books):
        more = f"and {total - len(books)} more: readlog list --status reading"
        lines.append(Text(more, style="dim"))
    panel = Panel(Group(*lines), title=Text("Reading now", style="bold"), title_align="left", padding=(0, 2))
    return _Flat(panel, lines)


def _queue_line(number: int, item: QueueItem, room: int) -> RenderableType:
    status = {"open": "", "want": ""}.get(item.status, item.status)
    return _pick(number, item.title, item.authors, queue_note(item), status, room)


def queue_note(item: QueueItem) -> str | None:
    """A queue item's note, then each other book that picked it, with its pick's title where it is another
    (one work's) and its note: one item for a book several books picked, and no pick's note left out."""
    lines = [item.why.strip("\n")] if item.why and item.why.strip() else []
    for source, pick in item.also:
        named = "" if pick.title == item.title else f" (as {pick.title})"
        why = f": {pick.why.strip()}" if pick.why and pick.why.strip() else ""
        lines.append(f"Also picked from {source.book.title}{named}{why}")
    return "\n".join(lines) or None


_PART_NAMES = {
    "title": "title",
    "review": "review",
    "reflection": "reflection",
    "quote": "quote",
    "pick": "pick",
}


def render_hits(hits: list[Hit], marked: bool = False) -> RenderableType:
    """`readlog search`: each hit with its book, the part it came from, and the snippet, matches marked
    (reversed; with `marked`, for output without styles, also in [brackets])."""
    if not hits:
        return Text("No matches.", style="dim")
    rows: list[RenderableType] = []
    for number, hit in enumerate(hits, 1):
        head = _user(hit.title, "bold")
        if hit.authors:
            head.append_text(Text.assemble(" — ", _user(", ".join(hit.authors), "italic")))
        head.append_text(Text.assemble("  ", (f"[{hit.part}{': ' if hit.label else ''}", "cyan")))
        head.append_text(Text(one_line(hit.label), style="cyan"))
        head.append("]", style="cyan")
        # The number hangs to the left: a narrow terminal wraps the line and the snippet under the title.
        body = Group(head, _snippet(hit.snippet, marked))
        rows.append(Padding(_Hanging(Text(f"{number}.", style="bold"), body), (0, 0, 1, 0), expand=False))
    return Group(*rows)


def _snippet(snippet: str, marked: bool = False) -> Text:
    from readlog.text import snippet_pieces

    text = Text()
    for piece, match in snippet_pieces(snippet):
        flat = " ".join(piece.split("\n"))  # a snippet reads as one run of text
        if match and marked:
            flat = f"[{flat}]"
        text.append(one_line(flat), style="bold reverse" if match else "")
    return text


def render_tags(tags: list[tuple[str, int, list[str]]]) -> Table:
    """`readlog tags`: count and tag, other spellings of it after."""
    from rich.table import Table

    table = Table(box=None, pad_edge=False, show_edge=False, header_style="bold")
    table.add_column("Books", justify="right", no_wrap=True)
    table.add_column("Tag")
    for name, count, spellings in tags:
        cell = _user(name, "cyan")
        others = [s for s in spellings if s != name]
        if others:
            cell.append_text(Text(f"  (also {', '.join(visible(s) for s in others)})", style="dim"))
        table.add_row(str(count), cell)
    return table


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _bars(rows: list[tuple[str, int, str]], style: str, width: int = 40, room: int = 200) -> _Bars:
    """A bar chart: (label, value, note) rows, bars scaled to the largest value. Labels and notes are kept
    whole; the bars take what `room` (the columns there are) leaves, down to 4 cells."""
    label_width = max((Text(label).cell_len for label, _, _ in rows), default=0)
    note_width = max((Text(note).cell_len for _, _, note in rows), default=0)
    width = max(4, min(width, room - label_width - note_width - 2))
    fits = max(1, room - note_width - width - 2)  # a label longer than this wraps between words, whole
    top = max((value for _, value, _ in rows), default=0) or 1
    cells = []
    for label, value, note in rows:
        bar = "█" * round(value / top * width) if value else ""
        cells.append((label, bar or "·", style if bar else "dim", note))
    return _Bars(cells, min(label_width, fits), label_width <= fits, width)


class FlatRows(ABC):
    """A grid (`table`, made when Rich draws it) that `_Flat` draws as lines of text (`flat`), where Rich
    would lay it out as they are."""

    @abstractmethod
    def table(self) -> Table: ...

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield self.table()

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return self.table().__rich_measure__(console, options)

    @abstractmethod
    def flat(self, room: int, console: Console | None = None) -> list[Text] | None:
        """Its lines, each one Text as Rich would draw it `room` cells wide (not padded past its own width),
        or None where only Rich can tell (`console`, where given: the one drawing it, for text to wrap)."""


class _Bars(FlatRows):
    """`_bars`' chart: a grid of label, bar and note (`table`, made when Rich draws it), which `_Flat` draws
    as lines of text where Rich would lay it out as they are: every label and note on one line in its
    column, each cell padded to its column's width in its own style and one plain space between columns
    (Rich's grid, collapsed padding, byte for byte). `stats`' five charts at 10,000 books: Rich measured
    and laid out every cell of every row again for each, and `stats` imported rich.table for them."""

    def __init__(self, cells: list[tuple[str, str, str, str]], label: int, whole: bool, bar: int):
        self.cells = cells  # label, bar, the bar's style, note: each row as given
        self.label = label  # the labels' column's width
        self.whole = whole  # every label fits it (else a long one wraps between words, whole)
        self.bar = bar  # the bars' column's width

    def table(self) -> Table:
        from rich.table import Table

        table = Table.grid(padding=(0, 1))
        table.add_column(no_wrap=self.whole, width=self.label, overflow="fold")
        table.add_column(no_wrap=True, width=self.bar)
        table.add_column(no_wrap=True)
        for label, bar, style, note in self.cells:
            table.add_row(Text(label, style="bold"), Text(bar, style=style), Text(note))
        return table

    def flat(self, room: int, console: Console | None = None) -> list[Text] | None:
        """Each row as one line of text when Rich would lay it out unchanged in `room` cells: no label
        wrapped, the grid no wider than the room, and only text whose characters are each one cell (Rich
        trims, wraps and pads the rest by rules of its own); else None (drawn by Rich)."""
        from rich.cells import cell_len

        if not self.whole or not self.cells:
            return None
        label, bar = self.label, self.bar
        note = max(len(cells[3]) for cells in self.cells)
        if not label or not note or label + bar + note + 2 > room:
            return None
        lines = []
        for name, drawn, style, said in self.cells:
            for text in (name, drawn, said):
                if text != text.strip() or cell_len(text) != len(text) or not text.isprintable():
                    return None
            lines.append(
                Text.assemble(
                    (name.ljust(label), "bold"), " ", (drawn.ljust(bar), style), " ", said.ljust(note)
                )
            )
        return lines


def _pages(count: int, pages: int, known: int, short: bool) -> str:
    """`600 pages` for `count` books, `known` of which have a page count: when none has, not `0 pages` but
    unknown; when only some have, `600+ pages` (at least: the rest are not counted)."""
    if count and not known:
        return "pages unknown" if not short else "? p."
    more = "+" if _partly(count, known) else ""
    return f"{pages:,}{more} p." if short else f"{pages:,}{more} pages"


# Under a panel whose notes say `600+ pages`: what the `+` means.
SOME_PAGES = "+: not every book here has a page count (the pages add up those that have)"


def _partly(count: int, known: int) -> bool:
    """Whether pages added up over `known` of `count` books are only some of theirs (`600+ pages`)."""
    return 0 < known < count


def _with_key(items: list[RenderableType], partly: bool) -> list[RenderableType]:
    """A panel's items, and SOME_PAGES under them when a note says `N+ pages` (`partly`)."""
    return [*items, Text(SOME_PAGES, style="dim"), Text("")] if partly else items


def render_stats(stats: Stats, width: int = 100) -> RenderableType:
    """`readlog stats`: pictures first, numbers beside them. Under 60 columns the notes shorten and the
    bars narrow; every label and number stays."""
    room = width - 6  # a panel's borders and padding
    short = width < NARROW
    parts: list[RenderableType] = []
    if stats.goal is not None:
        parts.append(render_goal(stats.goal, width))
    years = []
    known = stats.books_with_pages_per_year
    for y, n in stats.books_per_year.items():
        pages = _pages(n, stats.pages_per_year.get(y, 0), known.get(y, n), short)
        note = f"{n} · {pages}" if short else f"{n} book{'s' if n != 1 else ''} · {pages}"
        years.append((y, n, note))
    if years:
        partly = any(_partly(n, known.get(y, n)) for y, n in stats.books_per_year.items())
        parts.append(_flat_panel("Books by year", _with_key([_bars(years, "cyan", room=room)], partly)))
    months = list(stats.books_per_month.items())
    if months and any(n for _, n in months):
        month_year = months[0][0][:4]
        known = stats.books_with_pages_per_month
        rows = [
            (
                _MONTHS[int(key[5:7]) - 1],
                n,
                f"{n} · {_pages(n, stats.pages_per_month.get(key, 0), known.get(key, n), True)}" if n else "",
            )
            for key, n in months
        ]
        partly = any(_partly(n, known.get(key, n)) for key, n in months)
        parts.append(
            _flat_panel(f"{month_year} by month", _with_key([_bars(rows, "green", room=room)], partly))
        )
    if stats.ratings:
        rows = [
            (f"{stars(float(r))} {r:>4}", n, str(n))
            for r, n in sorted(stats.ratings.items(), key=lambda i: -float(i[0]))
        ]
        parts.append(_flat_panel("Ratings", [_bars(rows, "yellow", 30, room)]))
    for title, items in (("Top authors", stats.top_authors), ("Top tags", stats.top_tags)):
        if items:
            names = [(one_line(name), n, str(n)) for name, n in items]  # never cut: `_bars` wraps
            parts.append(_flat_panel(title, [_bars(names, "magenta", 30, room)]))
    readings = f"{stats.finished} reading{'s' if stats.finished != 1 else ''} finished"
    phrases = [readings + (f" in {stats.year}" if stats.year else "")]
    if stats.average_days_to_finish is not None:
        phrases.append(f"{stats.average_days_to_finish:g} days to finish on average")
    if stats.rereads:  # (none: nothing to say; `--json` still gives 0)
        plural = "s" if stats.rereads != 1 else ""
        more = f"re-read{plural}" if stats.year else f"book{plural} read more than once"  # (readings of Y)
        phrases.append(f"{stats.rereads} {more}")
    if stats.abandoned:
        phrases.append(f"{stats.abandoned} abandoned (not counted as read)")
    parts.append(_flow([Text(p) for p in phrases], width))
    if stats.undated or stats.undated_readings:
        parts.append(_undated(stats.undated, stats.undated_readings, width))
    return Group(*parts)


def _undated(count: int, readings: int = 0, room: int = 100) -> Text:
    """What has no finish date: `count` read books (none of their readings has one), and `readings` of
    books read again on a known day (each such book counts in its dated readings' years and is read more
    than once). The command that dates one goes whole on a line of its own when the note is wider than
    `room`: wrapped, at 80 columns piped too, it broke in the middle (`readlog` / `finish BOOK --date D`)."""
    said = []
    if count:
        said.append(
            f"{count} read book{'s' if count != 1 else ''} ha{'ve' if count != 1 else 's'} no finish date"
        )
    if readings:
        also = "and " if count else ""
        said.append(
            f"{also}{readings} reading{'s' if readings != 1 else ''} of books read more than once "
            f"ha{'ve' if readings != 1 else 's'} none"
        )
    return _flow(
        [Text(f"{', '.join(said)}: not counted in any year or goal", "dim"),
         Text("(`readlog finish BOOK --date D` dates one)", "dim")],
        room,
        sep=" ",
    )  # fmt: skip


def render_goal(goal: Goal, width: int = 100) -> Panel:
    """The year's goal: a bar and the count beside it, or under it when the terminal is narrow."""
    percent = round(goal.done / goal.target * 100)
    count = Text(f"{goal.done} of {goal.target} books ({percent}%)")
    room = width - 6
    beside = room - count.cell_len - 2 >= 16
    bar_width = min(40, room - count.cell_len - 2) if beside else max(4, min(40, room))
    filled = min(round(goal.done / goal.target * bar_width), bar_width)
    bar = Text.assemble(("█" * filled, "green"), ("░" * (bar_width - filled), "dim"))
    lines: list[RenderableType] = [Text.assemble(bar, "  ", count)] if beside else [bar, count]
    if goal.remaining == 0:
        lines.append(Text("Goal reached.", style="bold green"))
    elif goal.weeks_left:
        state = ("on track", "green") if goal.on_track else ("behind", "yellow")
        lines.append(
            Text.assemble(
                (state[0], state[1]),
                f": an even pace would be at {goal.expected_by_now:g} by today; "
                f"{goal.remaining} to go in {goal.weeks_left:g} weeks, {goal.per_week_needed:g} a week",
            )
        )
    else:
        lines.append(Text(f"The year is over: {goal.remaining} short.", style="yellow"))
    if goal.undated:
        lines.append(_undated(goal.undated, room=width - 6))
    return _panel(f"{goal.year} goal", lines)


def render_recall(result: Recall) -> RenderableType:
    """`readlog recall`: on this day in earlier years, then the quotes drawn."""
    parts: list[RenderableType] = []
    if result.on_this_day:
        lines: list[RenderableType] = []
        for moment in result.on_this_day:
            year = (moment.date or "")[:4]
            ago = result.day.year - int(year) if year.isdigit() else 0
            when = Text(f"{year} ({ago} year{'s' if ago != 1 else ''} ago)", style="bold cyan")
            if moment.kind == "finished":
                by = f" — {', '.join(moment.authors)}" if moment.authors else ""
                lines.append(
                    Text.assemble(when, "  finished ", _user(moment.title, "bold"), _user(by, "italic"))
                )
                lines.append(Text(""))
                continue
            what = "a reflection on " if moment.kind == "reflection" else "a quote from "
            lines.append(Text.assemble(when, f"  {what}", _user(moment.title, "bold")))
            body = _user(_unnoted(moment.text).strip(), "italic" if moment.kind == "quote" else "")
            lines.append(Padding(body, (0, 0, 0, 2)))
            note = _unnoted(moment.note).strip() if moment.note else None
            if note:
                lines.append(Padding(Text.assemble(("note: ", "dim"), _user(note)), (0, 0, 0, 2)))
            lines.append(Text(""))
        day = result.day.strftime("%B %-d") if hasattr(result.day, "strftime") else str(result.day)
        parts.append(_flat_panel(f"On this day, {day}", lines))
    if result.quotes:
        items: list[RenderableType] = []
        for moment in result.quotes:
            text = quoted(_unnoted(moment.text).strip())
            source = " · ".join(x for x in (moment.where, moment.date) if x)
            lines = [
                text,
                Text.assemble(
                    ("— ", "dim"), _user(moment.title, "bold"), (f", {source}" if source else "", "dim")
                ),
            ]
            note = _unnoted(moment.note).strip() if moment.note else None
            if note:
                lines.append(Text.assemble(("note: ", "dim"), _user(note)))
            items.append(Padding(Group(*lines), (0, 0, 1, 0)))
        parts.append(_panel("Remembered lines", items))
    return Group(*parts)
