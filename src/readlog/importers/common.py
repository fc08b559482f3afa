"""What Goodreads and StoryGraph exports have in common: CSV with quirks, HTML reviews, wrapped ISBNs."""

from __future__ import annotations

import re
from datetime import date
from html.parser import HTMLParser

from readlog.model import is_valid_isbn
from readlog.text import clean_text


class RowError(Exception):
    """One row cannot be imported; the import goes on without it."""


_SERIES = re.compile(r"^(?P<title>.*?)\s*\((?P<name>[^()]*?),?\s*#(?P<number>[\d.]+(?:\s*-\s*[\d.]+)?)\)\s*$")
_SPREADSHEET_DATE = re.compile(r"^\d{1,2}/\d{1,2}/\d{2,4}$")
_SLASH_DATE = re.compile(r"^(\d{4})/(\d{2})/(\d{2})$")


def clean_name(text: str) -> str:
    """Runs of spaces collapsed, ends trimmed: `John D.  Burns ` -> `John D. Burns`."""
    return " ".join(text.split())


def split_series(title: str) -> tuple[str, dict[str, str] | None]:
    """`Dune (Dune, #1)` -> ("Dune", {"name": "Dune", "number": "1"})."""
    match = _SERIES.match(title)
    if not match or not match["title"].strip():
        return clean_name(title), None
    number = match["number"].replace(" ", "")
    return clean_name(match["title"]), {"name": clean_name(match["name"]), "number": number}


def unwrap(cell: str) -> str:
    """Goodreads writes ISBNs as Excel formulas: `="0441172717"` -> `0441172717`."""
    cell = cell.strip()
    if cell.startswith('="') and cell.endswith('"'):
        return cell[2:-1]
    return cell


def isbn_or_none(*cells: str) -> str | None:
    for cell in cells:
        digits = re.sub(r"[\s-]", "", unwrap(cell)).upper()
        if is_valid_isbn(digits):
            return digits
    return None


def slash_date(cell: str, column: str) -> date | None:
    """`2019/03/06` -> date; empty -> None; anything else is the row's error."""
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


def looks_like_spreadsheet_date(cell: str) -> bool:
    return bool(_SPREADSHEET_DATE.match(cell.strip()))


def comma_list(cell: str) -> list[str]:
    seen: list[str] = []
    for part in cell.split(","):
        name = clean_name(part)
        if name and name not in seen:
            seen.append(name)
    return seen


_GOODREADS_LINK = re.compile(r"\[([ab]):([^|\]]*)\|[^\]]*\]")


class _Markdown(HTMLParser):
    """Review HTML (`<br/>`, `<i>`, `<b>`, `<a>`, `<spoiler>`, `<div>`, `<p>`) as Markdown."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.links: list[str | None] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        tag = tag.lower()
        if tag == "br":
            self.out.append("\n")
        elif tag in ("i", "em"):
            self.out.append("*")
        elif tag in ("b", "strong"):
            self.out.append("**")
        elif tag == "a":
            self.links.append(dict(attrs).get("href"))
            self.out.append("[")
        elif tag == "spoiler":
            self.out.append("(spoiler: ")
        elif tag in ("p", "div") and self.out and not "".join(self.out).endswith("\n\n"):
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
        elif tag in ("p", "div"):
            self.out.append("\n\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_data(self, data: str) -> None:
        self.out.append(data)


def html_to_markdown(html: str) -> str:
    """A review as Goodreads or StoryGraph store it, as Markdown; Goodreads `[b:Title|...]` links as text."""
    html = _GOODREADS_LINK.sub(lambda m: m[2], html)
    html = re.sub(r"<haml:newline\s*/?>", "<br/>", html, flags=re.IGNORECASE)
    parser = _Markdown()
    parser.feed(html)
    parser.close()
    return clean_text(re.sub(r"\n{3,}", "\n\n", "".join(parser.out)))
