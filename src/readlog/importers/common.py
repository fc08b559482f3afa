"""What Goodreads and StoryGraph exports have in common: CSV with quirks, HTML reviews, wrapped ISBNs."""

from __future__ import annotations

import csv
import re
from datetime import date
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

from readlog.errors import ReadlogError
from readlog.model import is_valid_isbn
from readlog.text import (
    CONTROLS,
    ESCAPE_SEQUENCE,
    aside_for,
    clean_name,
    clean_text,
    composed,
    is_name_suffix,
)

# The longest cell of a CSV export readlog reads, in characters. Python's csv module stops at 131,072 (128
# KB), but a long review is a real one (200 KB is about 35,000 words); ten million is no review any app
# keeps: a cell that long is a quote (") that opens a cell and never closes, the rest of the file in it.
CELL_LIMIT = 10_000_000
if csv.field_size_limit() < CELL_LIMIT:
    csv.field_size_limit(CELL_LIMIT)


def csv_problem(path: Path, start: int, line: int, error: Exception) -> ReadlogError:
    """What is wrong with a CSV file the csv module stopped reading (`error`) on `line`, in the row that
    starts on line `start`: a cell past CELL_LIMIT said in readlog's words (where, why, what to do)."""
    if "field larger than field limit" in str(error):
        where, why = f"on line {start}", ""
        if line > start:  # (the csv module names the line it stopped on, the cell's last line read)
            where = f"from line {start} to past line {line}"
            why = f': most likely a quote (") that opens a cell on line {start} never closes'
        return ReadlogError(
            f"{path}:{start}: a cell of more than {CELL_LIMIT:,} characters {where}; no export writes one "
            f"that long{why}; fix that line, or import the export as the app wrote it (nothing was imported)"
        )
    return ReadlogError(f"{path}:{line}: not valid CSV ({error})")


class RowError(Exception):
    """One row cannot be imported; the import goes on without it."""


_SERIES_PART = re.compile(r"^(?P<name>.*?)(?:,\s*|\s+)#\s*(?P<number>[\d.]+(?:\s*-\s*[\d.]+)?)\s*$")
_SPREADSHEET_DATE = re.compile(r"^\d{1,2}/\d{1,2}/\d{2,4}$")
_SLASH_DATE = re.compile(r"^(\d{4})[/-](\d{1,2})[/-](\d{1,2})$")


# Control characters an export may hold (a NUL byte in a title): dropped from every one-line field (text.
# clean_name); from a review or a note, those that are not blank space (a NUL, an escape, a bell: its newlines
# and tabs stay, and the other blank ones, a form feed or NEL, are read as blank space as they always were).
_TEXT_CONTROLS = {c: None for c in CONTROLS if not chr(c).isspace()}
_CONTROL = re.compile("[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f]")  # (_TEXT_CONTROLS' characters)
_ASCII_ZEROED = bytes((0 if c else 1) if c in _TEXT_CONTROLS else c for c in range(256))


def _has_control(text: str) -> bool:
    """`text` holds one of _TEXT_CONTROLS. An ASCII text (most reviews) is asked as bytes: translated with
    them made NUL (a NUL made 1), it differs from itself exactly when it holds one. A quarter of the pattern's
    search, which cost as much as the rest of html_to_markdown (bench's 10k rows: +7 ms, not +25)."""
    if text.isascii():
        data = text.encode()
        return data.translate(_ASCII_ZEROED) != data
    return _CONTROL.search(text) is not None


def split_series(title: str) -> tuple[str, list[dict[str, str]]]:
    """The series a title carries, as Goodreads writes them:
    `Dune (Dune, #1)` -> ("Dune", [{"name": "Dune", "number": "1"}]);
    `Guards! Guards! (Discworld, #8; City Watch, #1)` -> two series;
    `To Green Angel Tower (Memory, Sorrow, and Thorn, #3; Part 1)` -> the `Part 1` stays with the title."""
    match = _series_match(title)
    if not match or not match[0].strip():
        return clean_name(title), []
    series: list[dict[str, str]] = []
    rest: list[str] = []
    for part in (p.strip() for p in match[1].split(";")):
        found = _SERIES_PART.match(part)
        if found and found["name"].strip(" ,"):
            number = found["number"].replace(" ", "")
            series.append({"name": clean_name(found["name"].strip(" ,")), "number": number})
        elif part:
            rest.append(part)
    if not series or any("#" in p for p in rest):
        return clean_name(title), []
    return clean_name(", ".join([match[0], *rest])), series


def _series_match(title: str) -> tuple[str, str] | None:
    r"""What `^(.*?)\s*\(([^()]*#[^()]*)\)\s*$` matches in `title` (its two groups), found from the end of the
    title (tests/import_reference.py keeps the pattern, to compare with): the parentheses must close
    it (spaces after them aside) and hold no other parenthesis, so they open at its last `(`. The pattern's
    lazy start tried every length of title first (9 us a row; this: 1 us). `.` stops at a newline: a title
    part with one does not match."""
    end = title.rstrip()
    if not end.endswith(")"):
        return None
    at = end.rfind("(")
    if at < 0:
        return None
    inside = end[at + 1 : -1]
    if ")" in inside or "#" not in inside:
        return None
    head = end[:at].rstrip()  # (the spaces before the parenthesis are the pattern's \s*, not the title's)
    if "\n" in head:
        return None
    return head, inside


def unwrap(cell: str) -> str:
    """Goodreads writes ISBNs as Excel formulas: `="0441172717"` -> `0441172717`."""
    cell = cell.strip()
    if cell.startswith('="') and cell.endswith('"'):
        return cell[2:-1]
    return cell


_ISBN_GAPS = re.compile(r"[\s-]")


def isbn_or_none(*cells: str) -> str | None:
    for cell in cells:
        digits = unwrap(cell)
        if not digits:  # (an empty cell, or Goodreads' `=""`)
            continue
        digits = _ISBN_GAPS.sub("", digits).upper()
        if is_valid_isbn(digits):
            return digits
    return None


def slash_date(cell: str, column: str) -> date | None:
    """`2019/03/06` (or `2019-03-06`) -> date; empty -> None; anything else is the row's error."""
    cell = cell.strip()
    if not cell:
        return None
    match = _SLASH_DATE.match(cell)
    if not match:
        raise RowError(f"{column}: {cell!r} is not a date (expected YYYY/MM/DD)")
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError as error:
        raise RowError(f"{column}: {cell!r} is not a valid date ({error})") from None


def number(cell: str, column: str) -> float | None:
    """A number as exports write it (`4`, `4.0`, ` 3.75 `); empty -> None; anything else: the row's error."""
    cell = cell.strip()
    if not cell:
        return None
    try:
        value = float(cell)
    except ValueError:
        raise RowError(f"{column}: {cell!r} is not a number") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise RowError(f"{column}: {cell!r} is not a number")
    return value


def whole(cell: str, column: str, low: int = 0, high: int = 10**9) -> int | None:
    """A whole number written `3`, `3.0` or ` 3 `; empty, or out of [low, high] -> None; `2.5` is an error."""
    value = number(cell, column)
    if value is None or not low <= value <= high:
        return None
    if not value.is_integer():
        raise RowError(f"{column}: {cell.strip()!r} is not a whole number")
    return int(value)


def stars(cell: str, column: str, scale: float = 5) -> int | float | None:
    """A reader's rating: 0 (or empty) is unrated; otherwise 0.25 to 5 in quarter stars (`4.0` -> 4).
    `scale` 10 reads a 0-10 rating as half of it."""
    value = number(cell, column)
    if value is None or value == 0:
        return None
    value = value * 5 / scale
    if not 0 < value <= 5:
        raise RowError(f"{column}: {cell.strip()!r} is not a rating from 0 to {scale:g}")
    quarter = round(value * 4) / 4
    if abs(quarter - value) > 1e-9:
        raise RowError(f"{column}: {cell.strip()!r} is not a rating in quarter stars")
    quarter = max(quarter, 0.25)
    return int(quarter) if quarter.is_integer() else quarter


def source_columns(cells: dict[str, str], mapped: set[str]) -> dict[str, str]:
    """The columns readlog has no field for, kept as the source wrote them (empty ones left out)."""
    return {k: v.strip() for k, v in cells.items() if k not in mapped and v.strip()}


def looks_like_spreadsheet_date(cell: str) -> bool:
    return bool(_SPREADSHEET_DATE.match(cell.strip()))


def comma_list(cell: str, names: bool = False) -> list[str]:
    """`a, b, a` -> [a, b]; with `names`, a suffix stays with its name (`Dean Ornish, M.D., Anne Ornish`)."""
    seen: list[str] = []
    for part in cell.split(","):
        name = clean_name(part)
        if names and name and seen and is_name_suffix(name):
            seen[-1] = f"{seen[-1]}, {name}"
        elif name and name not in seen:
            seen.append(name)
    return seen


_GOODREADS_LINK = re.compile(r"\[([ab]):([^|\]]*)\|([^|\]]*)[^\]]*\]")
_GOODREADS_PAGES = {
    "b": "https://www.goodreads.com/book/show/",
    "a": "https://www.goodreads.com/author/show/",
}
# What Markdown (markdown-it as readlog reads it: CommonMark with tables, strikethrough and footnotes) would
# read as markup anywhere in text typed where there is none (a Goodreads review is HTML: its stars are stars,
# its `[link](x)` words): `\\`, `*`, `` ` ``, `[`, `]` (links, footnotes), `|` (tables), `~~` (strikethrough),
# `<` before a character that is no blank space (a tag, an autolink), `&` that starts an entity (`&amp;`).
# A `_` between two letters or digits (snake_case) is plain in Markdown already (`__word__`: each `_` beside
# another is escaped), and so are a lone `~` and an `&` among words (`Q & A`). (U+1FEF is a backtick once
# the text is NFC, escaped first; `<` and U+0338 are `≮`, no tag.) (`_(?<![^\W_]_)` is `(?<![^\W_])_`
# written to start with its character: every branch then starts with one of its characters, which lets the
# pattern engine skip straight to them; twice as fast over a long review.) What Markdown reads at a line's
# start only (`#`, `>`, `-`, `1.`) is `escape_line_starts`', once the lines are known.
_MARKDOWN_MARKS = re.compile(
    r"([\\*`\u1fef\[\]|]|_(?<![^\W_]_)|_(?![^\W_])|<(?![\s\u0338])|~(?=~)|~(?<=~~)|&(?=#?[0-9A-Za-z]*(?:;|\Z)))"
)


def escape_markdown(text: str) -> str:
    """`*smart*` -> `\\*smart\\*`: text from a source without Markdown means here what it meant there."""
    if "<" not in text and _no_marks(text):
        return text  # nothing to escape (most reviews): scans in C, no pattern
    return _MARKDOWN_MARKS.sub(r"\\\1", text)


def _no_marks(text: str) -> bool:
    """`text` holds none of the characters `_MARKDOWN_MARKS` escapes, `<` aside (a scan in C for each)."""
    return (
        "*" not in text
        and "_" not in text
        and "\\" not in text
        and "`" not in text
        and "\u1fef" not in text
        and "[" not in text
        and "]" not in text
        and "|" not in text
        and "~" not in text
        and "&" not in text
    )


# What Markdown reads at a line's start: a heading (`#`), a block quote (`>`), a list item (`-`, `+`, `1.`,
# `1)`), a rule or a heading's underline (`---`, `===`); and blank space before a line's first word (four
# spaces: code). Each such line's mark is escaped (`\\- not a list`, `1\\. first`) and its blank space goes
# (HTML shows none there); the marks the conversion itself writes at a line's start (`*` and `**` of
# emphasis, `[` of a link) are none of these.
# (Each match starts with a newline, a newline put before the text too: the engine skips straight to them.)
_LINE_START = re.compile(r"\n(?:[ \t]*(?:[#>+=-]|[0-9]{1,9}[.)](?=[ \t\n]|\Z))|[ \t]+)")


def _line_started(found: re.Match[str]) -> str:
    mark = found[0].lstrip("\n \t")
    return "\n" + mark[:-1] + "\\" + mark[-1] if mark else "\n"


def escape_line_starts(text: str) -> str:
    """Markdown made of text (`escape_markdown`'s, its lines apart by LF) with each line's start shown as
    typed: `- not a list` is `\\- not a list`, `1. first` is `1\\. first`, `Wow` over `===` no heading."""
    if text[:1] in _LINE_MARKS or _ANY_LINE_START.search(text):
        return _LINE_START.sub(_line_started, "\n" + text)[1:]
    return text  # (most text: no line to escape, one search)


def _marked_line(line: str) -> bool:
    """`line` (one line of text) starts with what `_LINE_START` escapes (`1984. Was`; `1984 was` does not)."""
    return _LINE_START.match("\n" + line) is not None


_LINE_MARKS = frozenset(" \t#>+=-0123456789")  # (what may start a line that `_LINE_START` takes)
_ANY_LINE_START = re.compile(r"\n[ \t#>+=\-0-9]")


def _goodreads_link(match: re.Match[str]) -> str:
    """`[b:Title|24983|...]` -> a link to the book's page (`[a:Name|id|...]`: the author's)."""
    title, number = match[2], match[3].strip()
    if not number.isdigit():
        return title  # (already HTML: the link sits in the review's HTML)
    return f'<a href="{_GOODREADS_PAGES[match[1]]}{number}">{title}</a>'


# HTML that makes a block of its own: its text is never run into the text before or after it (`<h1>Head</h1>
# text` is two lines, never `Headtext`), each a paragraph as `<p>`'s; a table's cells apart by a space.
_BLOCK_TAGS = frozenset(
    ("p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "ul", "ol", "li", "dl", "dt", "dd", "pre",
     "table", "thead", "tbody", "tfoot", "tr", "hr", "section", "article", "header", "footer", "aside", "nav",
     "main", "figure", "figcaption", "address", "center", "details", "summary")
)  # fmt: skip
_CELL_TAGS = frozenset(("td", "th"))


# A <br/>, until it is known to be a paragraph break (two) or a line break (one): a private-use character,
# another where the review holds this one (`_break_mark`).
_BREAK = "\ue000"


class _Markdown(HTMLParser):
    """Review HTML (`<br/>`, `<i>`, `<b>`, `<a>`, `<spoiler>`, `<div>`, `<p>` and the other blocks) as
    Markdown."""

    def __init__(self, escape: bool = True, mark: str = _BREAK) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.links: list[str | None] = []
        self.escape = escape
        self.mark = mark  # (what a `<br/>` is marked with: `_break_mark`)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        tag = tag.lower()
        if tag == "br":
            self.out.append(self.mark)
        elif tag in ("i", "em"):
            self.out.append("*")
        elif tag in ("b", "strong"):
            self.out.append("**")
        elif tag == "a":
            self.links.append(dict(attrs).get("href"))
            self.out.append("[")
        elif tag == "spoiler":
            self.out.append("(spoiler: ")
        elif tag in _BLOCK_TAGS and self.out and not "".join(self.out).endswith("\n\n"):
            self.out.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        tag = tag.lower()
        if tag in ("i", "em"):
            self.out.append("*")
        elif tag in ("b", "strong"):
            self.out.append("**")
        elif tag == "a":
            href = self.links.pop() if self.links else None
            self.out.append(f"]({href})" if href else "]")
        elif tag == "spoiler":
            self.out.append(")")
        elif tag in _BLOCK_TAGS:
            self.out.append("\n\n")
        elif tag in _CELL_TAGS:
            self.out.append(" ")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_data(self, data: str) -> None:
        if not self.escape:
            self.out.append(data)
            return
        self.out.append(escape_markdown(data))  # (`&lt;br&gt;` too: text there, never a line break here)


_HAML_NEWLINE = re.compile(r"<haml:newline\s*/?>", re.IGNORECASE)
_ONLY_BREAKS = re.compile(r"<br\s*/?>", re.IGNORECASE)  # a line break the parser reads as one (no attributes)
_MANY_NEWLINES = re.compile(r"\n{3,}")


def html_to_markdown(html: str, escape: bool = True) -> str:
    """A review as Goodreads or StoryGraph store it, as Markdown; Goodreads `[b:Title|...]` links as links to
    the book's page. Text is escaped (`*` -> `\\*`: the source has no Markdown) unless `escape` is False
    (a quote's words, shown as they are). Two `<br/>` end a paragraph; one is a line break of its own (a
    list, a poem), kept as Markdown's hard break (a backslash at the end of the line) so that `show` and
    Markdown exports keep the lines apart."""
    if not html.strip():
        return ""
    if _has_control(html):  # (blank space stays: a review's lines; an escape sequence goes whole)
        html = ESCAPE_SEQUENCE.sub("", html).translate(_TEXT_CONTROLS)
    paragraphs = _paragraphs(html, escape)
    if paragraphs is not None:  # (NFC, as clean_text makes the rest: `丽` U+2F800 was kept so here alone)
        return composed(paragraphs)  # (its paragraphs start with no mark: `_paragraphs` leaves those)
    if "[" in html:  # (every pattern below needs its first character: most reviews skip some of them)
        html = _GOODREADS_LINK.sub(_goodreads_link, html)
    if "<" in html:
        html = _HAML_NEWLINE.sub("<br/>", html)
    mark = _BREAK
    # (most reviews hold neither: a scan for one character is quick, for `&#` some 4 µs in 1,300 characters)
    if _BREAK in html or ("&" in html and "#" in html and "&#" in html):
        mark = _break_mark(html)
    # `<br/>`, the usual spelling, replaced as a string first: a match of the pattern holds one `<`, so no
    # match contains a `<br/>` other than exactly it, and the pattern finds the same rest.
    plain = html.replace("<br/>", mark)
    if "<" in plain:
        plain = _ONLY_BREAKS.sub(mark, plain)
    if "<" not in plain and "&" not in plain:
        # Text and line breaks alone (most reviews): what the parser makes of it, without the parser (a
        # third of a Goodreads row's parsing). Its text between two breaks is escaped the same way: a break
        # is not a word character to the escape's look-arounds.
        text = _breaks(escape_markdown(plain) if escape else plain, escape, mark)
    else:
        simple = _simple_html(html, escape, mark) if "&" not in html else None
        if simple is None:
            parser = _Markdown(escape, mark)
            parser.feed(html)
            parser.close()
            simple = "".join(parser.out)
        text = _breaks(simple, escape, mark)
    # (HTML's blank space at a line's end is no hard break: its breaks are `<br>`, made backslashes above)
    text = clean_text(_MANY_NEWLINES.sub("\n\n", text) if "\n\n\n" in text else text, hard_breaks=False)
    return escape_line_starts(text) if escape else text


def _break_mark(html: str) -> str:
    """What a `<br/>` of `html` is marked with while it is read: `_BREAK`, or where the review holds that
    character (written, or as a character reference the parser reads: `&#xE000;`), a private-use one it
    holds in neither form (`aside_for`'s window), so every character the reader wrote stays as written (a
    reader's U+E000 was dropped, `&#57344;` made a line break)."""
    held = html + unescape(html) if "&#" in html else html
    if _BREAK not in held:
        return _BREAK
    return chr(aside_for(held) + 0x21)  # (aside_for: none of its window's places 0x21-0x7E is in `held`)


def text_to_markdown(text: str, html: bool = False) -> str:
    """Text typed in an app that has neither Markdown nor HTML (Openreads' notes) as Markdown that shows it as
    typed: each newline a line break, a blank line a paragraph's end, `<b>` and `&amp;` the characters they
    are. With `html`, tags and entities in it are read as HTML too (Openreads' review: typed there, or a
    Goodreads review with its `<br/>` that Openreads' own import brought as it was)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not html:
        text = text.replace("&", "&amp;").replace("<", "&lt;")
    return html_to_markdown(text.replace("\n", "<br/>"))


# How exports end a paragraph: Goodreads `<br/><br/>`; StoryGraph and LibraryThing `<br><br>` (StoryGraph's
# review inside one `<div>`).
_PARAGRAPH_TAGS = ("<br/><br/>", "<br><br>")


def _paragraphs(html: str, escape: bool) -> str | None:
    """What the rest of html_to_markdown makes of the commonest review: paragraphs of one line each apart by
    `_PARAGRAPH_TAGS` (or one paragraph), none blank, with nothing else to read (no other `<`, no `&`, no
    `[` link, no newline or carriage return) but a `<div>` around it all, in one split: the
    paragraphs apart by a blank line, each without the spaces and tabs `_breaks` takes from its sides next
    to a break and the blank space `clean_text` takes from the end of a line, and a newline at the end of a
    text of several lines. None for any other: the rest of html_to_markdown reads it; with `escape`, a
    paragraph that starts with what Markdown would read there too (`- `, `#`, `1.`: `escape_line_starts`).
    (Each paragraph is escaped as the parser's piece of text between two tags is; a `<div>` at the start
    adds nothing, at the end ends a paragraph.)"""
    if "\n" in html or "&" in html or "[" in html or "\r" in html:
        return None
    if html.startswith("<div>") and html.endswith("</div>"):
        html = html[5:-6]
    parts = html.split(_PARAGRAPH_TAGS[0])
    if len(parts) == 1:
        parts = html.split(_PARAGRAPH_TAGS[1])
    paragraphs = [parts[0].lstrip(" \t").rstrip() if escape else parts[0].rstrip()]
    paragraphs += [part.lstrip(" \t").rstrip() for part in parts[1:]]
    for part, paragraph in zip(parts, paragraphs, strict=True):
        if (
            not paragraph
            or "<" in part
            or (escape and paragraph[0] in _LINE_MARKS and _marked_line(paragraph))
        ):
            return None
    if escape and not _no_marks(html):  # (a paragraph's sides are no word characters, as a break's are not)
        paragraphs = [escape_markdown(paragraph) for paragraph in paragraphs]
    return paragraphs[0] if len(paragraphs) == 1 else "\n\n".join(paragraphs) + "\n"


# The tags a review's formatting is mostly made of, exactly as Goodreads writes them (lower case, no
# attributes): `_simple_html` reads these without the parser.
_SIMPLE_TAGS = re.compile(r"<(/?)(i|em|b|strong|p|div|br ?/?)>")


def _simple_html(html: str, escape: bool, mark: str = _BREAK) -> str | None:
    """What `_Markdown` makes of `html` when its only markup is `_SIMPLE_TAGS` (no other `<`, no `&`, no
    `</br>`), without the parser (a fifth of the time); None for anything else. The parser hands over the
    text between two tags as one piece: each is escaped on its own, as there."""
    out: list[str] = []
    at = 0
    for tag in _SIMPLE_TAGS.finditer(html):
        text = html[at : tag.start()]
        if "<" in text:
            return None
        if text:
            out.append(escape_markdown(text) if escape else text)
        at = tag.end()
        closing, name = tag[1], tag[2]
        if name[:2] == "br":
            if closing:
                return None
            out.append(mark)
        elif name in ("i", "em"):
            out.append("*")
        elif name in ("b", "strong"):
            out.append("**")
        elif closing or (out and not "".join(out).endswith("\n\n")):  # </p>, </div>; <p>, <div> apart
            out.append("\n\n")
    text = html[at:]
    if "<" in text:
        return None
    if text:
        out.append(escape_markdown(text) if escape else text)
    return "".join(out)


# A line that starts a list item or a block quote: a break before it is a plain newline (Markdown shows a
# hard break's backslash before a list item or a quote as it is: "knowledge?\\" in a re-imported note).
_ITEM = re.compile(r"(?:[-+*]|\d{1,9}[.)])[ \t]|>")


_BLANK = " \t\n\r\f\v"  # what Markdown (and HTML) read as blank space between words


def _breaks(text: str, escaped: bool = False, mark: str = _BREAK) -> str:
    """Runs of two or more `<br/>` (blank space between them allowed) end a paragraph; one between two lines
    of text is a hard break (a backslash at the end of the line); one anywhere else a plain newline. Spaces
    around a break go. (One pass over the text: long reviews are common.) Text `escaped` (its line starts
    will be: `escape_line_starts`) has a hard break before a list item's or a quote's mark too: it is text."""
    if mark not in text:
        return text
    # Paragraphs apart by exactly two breaks each, none blank (most reviews): the joints the loop below
    # makes of them, without it (each paragraph's spaces and tabs next to a break go).
    paragraphs = text.split(mark + mark)
    if len(paragraphs) > 1 and all(p.strip() and mark not in p for p in paragraphs):
        last = len(paragraphs) - 1
        return "\n\n".join(
            p.rstrip(" \t") if at == 0 else p.lstrip(" \t") if at == last else p.strip(" \t")
            for at, p in enumerate(paragraphs)
        )
    parts = text.split(mark)
    out = [parts[0]]
    at = 1
    while at < len(parts):
        run = 1
        while at < len(parts) - 1 and not parts[at].strip():
            run, at = run + 1, at + 1
        before, after = out[-1].rstrip(" \t"), parts[at].lstrip(" \t")
        if run >= 2:
            joint = "\n\n"
        elif (
            before
            and before[-1] not in _BLANK
            and after
            and after[0] not in _BLANK  # (a no-break space is text to Markdown: a line of it is a line)
            and (escaped or not _ITEM.match(after))
            and not (after[0] == "|" and before.rsplit("\n", 1)[-1].lstrip().startswith("|"))
        ):
            joint = "\\\n"  # (not before a list item, a quote or a table's next row: it would be shown)
        else:
            joint = "\n"
        out[-1] = before
        out += [joint, after]
        at += 1
    return "".join(out)
