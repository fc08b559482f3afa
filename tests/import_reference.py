"""The import's row parsing as it was before it was made faster (issue 25, goal 3), kept verbatim so the
differential tests (test_import_fast_paths.py) can compare the live code with it."""

from __future__ import annotations

import re
from html import unescape

from readlog.importers.common import _BREAK, _goodreads_link, _Markdown
from readlog.text import clean_text

_GOODREADS_LINK = re.compile(r"\[([ab]):([^|\]]*)\|([^|\]]*)[^\]]*\]")
# (session 27: every mark Markdown reads within a line, and each line's start, escaped: `escape_line_starts`)
_MARKDOWN_MARKS = re.compile(
    r"([\\*`\u1fef\[\]|]|(?<![^\W_])_|_(?![^\W_])|<(?![\s\u0338])|~(?=~)|(?<=~)~|&(?=#?[0-9A-Za-z]*(?:;|\Z)))"
)
_LINE_START = re.compile(r"^[ \t]*(?:([#>+=-])|([0-9]{1,9})([.)])(?=[ \t]|$))|^[ \t]+", re.MULTILINE)
_HAML_NEWLINE = re.compile(r"<haml:newline\s*/?>", re.IGNORECASE)
_ONLY_BREAKS = re.compile(r"<br\s*/?>", re.IGNORECASE)
_MANY_NEWLINES = re.compile(r"\n{3,}")


def escape_markdown(text: str) -> str:
    return _MARKDOWN_MARKS.sub(r"\\\1", text)


def escape_line_starts(text: str) -> str:
    return _LINE_START.sub(lambda m: f"\\{m[1]}" if m[1] else f"{m[2]}\\{m[3]}" if m[2] else "", text)


class _ReferenceMarkdown(_Markdown):
    def handle_data(self, data: str) -> None:
        # (session 26: a `<br>` that is text in the HTML, `&lt;br&gt;`, escaped; session 27: as every `<`)
        self.out.append(escape_markdown(data) if self.escape else data)


def html_to_markdown(html: str, escape: bool = True) -> str:
    if not html.strip():
        return ""
    # (sessions 20, 21: control characters that are not blank space dropped first, a terminal escape sequence
    # whole, in the live code as here)
    html = re.sub(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]{0,512}(?:\x07|\x1b\\)?", "", html)
    html = html.translate({c: None for c in [*range(0x20), *range(0x7F, 0xA0)] if not chr(c).isspace()})
    html = _GOODREADS_LINK.sub(_goodreads_link, html)
    html = _HAML_NEWLINE.sub("<br/>", html)
    # (session 29: a `<br/>` is marked with a private-use character the review holds in no form, written or
    # as a character reference: a reader's U+E000 stays as written; it was dropped, and `&#57344;` a break)
    held = html + unescape(html)
    mark = next(chr(c) for c in range(0x10FFFD, 0xF0000, -1) if chr(c) not in held)
    plain = _ONLY_BREAKS.sub(mark, html)
    if "<" not in plain and "&" not in plain:
        text = _breaks(escape_markdown(plain) if escape else plain, escape, mark)
    else:
        parser = _ReferenceMarkdown(escape, mark)
        parser.feed(html)
        parser.close()
        text = _breaks("".join(parser.out), escape, mark)
    text = clean_text(_MANY_NEWLINES.sub("\n\n", text), hard_breaks=False)  # (as before: HTML's spaces go)
    return escape_line_starts(text) if escape else text


_SERIES = re.compile(r"^(?P<title>.*?)\s*\((?P<inside>[^()]*#[^()]*)\)\s*$")


def series_match(title: str) -> tuple[str, str] | None:
    match = _SERIES.match(title)
    return (match["title"], match["inside"]) if match else None


# A line that starts a list item: a break before it is a plain newline (Markdown shows a hard break's
# backslash before a list item as it is: "knowledge?\\" in a re-imported note).
_ITEM = re.compile(r"(?:[-+*]|\d{1,9}[.)])[ \t]|>")  # (session 24: and a block quote's line)


def _breaks(text: str, escaped: bool, mark: str = _BREAK) -> str:
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
            and before[-1] not in " \t\n\r\f\v"  # (a no-break space is text to Markdown)
            and after
            and after[0] not in " \t\n\r\f\v"
            and (escaped or not _ITEM.match(after))  # (session 27: escaped text's marks are text)
            and not (
                after[0] == "|" and before.rsplit("\n", 1)[-1].lstrip().startswith("|")
            )  # (a table's row)
        ):
            joint = "\\\n"  # (not before a list item: a backslash there is shown as one)
        else:
            joint = "\n"
        out[-1] = before
        out += [joint, after]
        at += 1
    return "".join(out)
