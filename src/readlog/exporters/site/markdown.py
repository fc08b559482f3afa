"""Reviews and reflections as HTML: CommonMark with tables and strikethrough (markdown-it-py); raw HTML in
the text is shown as text, never obeyed, but `<br>`, a line break (as `show` and the posts have them);
headings moved down so that they sit under the page's own.

Most of what readers write is plain: headings and paragraphs of words, with no markup at all. Such a text
is turned into HTML directly (`plain_html`), giving exactly the bytes markdown-it gives (a test compares the
two on generated text); anything else, or anything in doubt, goes through markdown-it, configured once.
"""

from __future__ import annotations

import re
import zlib
from typing import Any

from markupsafe import Markup

# Anything that could be markup, anywhere: emphasis, code, strikethrough, links, HTML, entities, escapes,
# table pipes. At a line's start: a space (indented code, or spaces markdown-it trims), a digit, `-`, `+`
# or `=` (a list item, a setext underline, a thematic break); `#` is a heading, checked line by line. At a
# line's end: a space (a hard break, or trimmed). Anywhere: a tab, other white space than a plain space, a
# control character. (Plain `in` and set tests: a regular expression over the text costs several times more.)
_MARKUP = tuple("*_`~[]<>&\\|")
_BLOCK_START = frozenset(" -+=0123456789")
_CONTROLS = bytes([*range(0x0A), *range(0x0B, 0x20), 0x7F])  # in ASCII text: all but the line break


_NOT_PLAIN = _CONTROLS + "".join(_MARKUP).encode("ascii")  # (ASCII text: markup and controls in one pass)


def _plain_lines(text: str) -> list[str] | None:
    """`text`'s lines, if it holds no markup and nothing in doubt (see _MARKUP); else None."""
    ascii = text.isascii()
    if ascii:
        data = text.encode("ascii")
        if len(data.translate(None, _NOT_PLAIN)) != len(data):
            return None
    elif any(mark in text for mark in _MARKUP):
        return None
    lines = text.split("\n")
    if not _BLOCK_START.isdisjoint({line[:1] for line in lines}) or " " in {line[-1:] for line in lines}:
        return None
    return lines if ascii or all(line.isprintable() for line in lines) else None


def plain_html(text: str, top: int = 2) -> str | None:
    """`text` as markdown-it renders it, if it is only ATX headings and paragraphs of plain words; None if
    it holds anything else (the caller then asks markdown-it). Its lines are read once: a blank one (plain
    text has no line of white space) ends a paragraph, a heading is a paragraph of its own."""
    lines = _plain_lines(text.strip("\n"))  # (blank lines at either end: nothing, and no line in doubt)
    if lines is None:
        return None
    out: list[str] = []
    headings: list[tuple[int, int]] = []  # (place in `out`, level)
    start = 0  # the first line of the paragraph being read
    for at, line in enumerate(lines):
        if line and line[0] != "#":
            continue
        if start < at:
            out.append("<p>" + "\n".join(lines[start:at]) + "</p>\n")  # a paragraph: its lines as they are
        start = at + 1
        if line:
            marks = len(line) - len(line.lstrip("#"))
            words = line[marks + 1 :]
            if marks > 6 or line[marks : marks + 1] != " " or not words or words[0] == " " or "#" in words:
                return None  # not a heading, or one with a closing sequence
            headings.append((len(out), marks))
            out.append(words)  # wrapped in its tag below, once every level is known
    if start < len(lines):
        out.append("<p>" + "\n".join(lines[start:]) + "</p>\n")
    if headings:
        shift = top - min(level for _, level in headings)
        for place, level in headings:
            out[place] = _heading(min(max(level + shift, top), 6), out[place])
    return "".join(out).replace('"', "&quot;")


def _heading(level: int, text: str) -> str:
    return f"<h{level}>{text}</h{level}>\n"


_BREAK_TAG = re.compile(r"<br\s*/?>", re.IGNORECASE)
_FOOTNOTE_REF = re.compile(r"\[\^[^\]\s]+\](?!:)")


def _break_tag(state: Any, silent: bool) -> bool:
    """`<br>` (`<br/>`, `<br />`) is a line break, as in `show` and the posts; any other HTML is text."""
    if state.src[state.pos] != "<":
        return False
    found = _BREAK_TAG.match(state.src, state.pos)
    if found is None:
        return False
    if not silent:
        state.push("hardbreak", "br", 0)
    state.pos = found.end()
    return True


def _with_break_tags(md: Any) -> Any:
    md.inline.ruler.before("html_inline", "break_tag", _break_tag)
    return md


class Markdown:
    """The one Markdown renderer of a build: markdown-it configured once, plain text taken directly."""

    def __init__(self) -> None:
        self._md: Any = None
        self._with_notes: Any = None

    def _markdown_it(self, footnotes: bool = False) -> Any:
        """markdown-it; with `footnotes`, another one that reads them too (readlog.footnotes)."""
        if self._md is None:
            from markdown_it import MarkdownIt

            self._md = _with_break_tags(
                MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])
            )
        if footnotes and self._with_notes is None:
            from markdown_it import MarkdownIt

            from readlog.footnotes import use_footnotes

            md = _with_break_tags(
                MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])
            )
            self._with_notes = use_footnotes(md)
        return self._with_notes if footnotes else self._md

    def html(self, text: str | None, top: int = 2) -> str:
        if not text:
            return ""
        plain = plain_html(text, top)
        if plain is not None:
            return plain
        return self.full_html(text, top)

    def full_html(self, text: str, top: int = 2) -> str:
        """Through markdown-it, always."""
        from readlog.footnotes import may_have_footnotes

        notes = may_have_footnotes(text)
        md = self._markdown_it(notes)
        # A note's anchors are named after its text, so that two texts on one page (a review, a reflection)
        # never share an id: `#fn-1a2b3c4d-1`.
        env = {"docId": f"{zlib.crc32(text.encode()):08x}"} if notes else {}
        tokens = md.parse(text, env)
        levels = [int(t.tag[1]) for t in tokens if t.type == "heading_open"]
        if levels:
            shift = top - min(levels)
            for token in tokens:
                if token.type in ("heading_open", "heading_close"):
                    token.tag = f"h{min(max(int(token.tag[1]) + shift, top), 6)}"
        return str(md.renderer.render(tokens, md.options, env))

    def opening(self, text: str | None, url: str) -> str:
        """What the feed carries of a review: its opening paragraph as HTML (the first paragraph of its own,
        not a heading, list, quote, table or code; its footnote references left out, as their notes are
        not with it), then a link to the page with the whole review. Only the start of a long text is read:
        a growing prefix, until a paragraph ends inside it."""
        from html import escape

        link = f'<p><a href="{escape(url)}">Read the whole review</a></p>\n'
        plain = _plain_opening(text)
        if plain is not None:
            return plain + link
        from readlog.text import markdown_lines

        lines = markdown_lines(text or "")
        md = self._markdown_it()
        size = 64
        opening = ""
        while not opening:
            prefix = lines[:size]
            for token in md.parse("\n".join(prefix)):
                if token.type == "paragraph_open" and token.level == 0 and token.map is not None:
                    if _NOTE_DEFINITION.match(lines[token.map[0]]):
                        continue  # (a footnote's own text is no opening: review 24b)
                    if token.map[1] < len(prefix) or size >= len(lines):
                        source = "\n".join(lines[token.map[0] : token.map[1]])
                        # its link references' definitions go with it (`[the sequel][s]` was left as typed)
                        links = [line for line in lines if _LINK_DEFINITION.match(line)]
                        opening = self.html("\n".join([_without_note_refs(source), "", *links]))
                    break
            if size >= len(lines):
                break
            size *= 4
        return opening + link

    def markup(self, text: str | None, top: int = 2) -> Any:
        return Markup(self.html(text, top))


def _plain_opening(text: str | None) -> str | None:
    """`Markdown.opening`'s paragraph as HTML, read without markdown-it, if `text` is plain (`plain_html`
    takes it: then its blocks are ATX headings and paragraphs, its first paragraph the opening, and it has
    no footnote and no link); else None. A cold build's feed has 100 openings: markdown-it parsed each
    (about 0.3 ms), and was imported (20 ms) for them alone when every text is plain."""
    if not text or plain_html(text) is None:
        return None
    paragraph: list[str] = []
    for line in text.strip("\n").split("\n"):
        if line and line[0] != "#":
            paragraph.append(line)
        elif paragraph:
            break  # (a blank line or a heading ends it)
    return plain_html("\n".join(paragraph)) or "" if paragraph else ""


_NOTE_DEFINITION = re.compile(r" {0,3}\[\^[^\]]+\]:")
_LINK_DEFINITION = re.compile(r" {0,3}\[(?!\^)[^\]]+\]:\s*\S")
_CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1", re.S)


def _without_note_refs(source: str) -> str:
    """A paragraph's source without its footnote references (`here[^1]`), but never inside a code span
    (`` `code [^2]` `` kept whole: review 24b)."""
    parts, at = [], 0
    for span in _CODE_SPAN.finditer(source):
        parts += [_FOOTNOTE_REF.sub("", source[at : span.start()]), span.group()]
        at = span.end()
    return "".join([*parts, _FOOTNOTE_REF.sub("", source[at:])])
