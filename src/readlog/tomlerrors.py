"""A TOML parser's message made one a reader can act on: which key, which lines, what to do.

tomli says `Cannot overwrite a value`, `Cannot declare ('review',) twice`, `Illegal character '\\n'`,
`Unterminated string (at end of document)`, `Invalid date or datetime`: true, but it names neither the key
nor the other line, and an unclosed `\"\"\"` points at the end of the file rather than where it opens. Only a
file that failed to parse pays for this (bookfile.parse calls it in its error branch).
"""

from __future__ import annotations

import ast
import re
from calendar import monthrange
from datetime import date

_HEADER = re.compile(r"\s*\[\[?\s*([^\]]*?)\s*\]\]?")
_KEY = re.compile(
    r"""\s*((?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*')(?:\s*\.\s*(?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*'))*)\s*="""
)
_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")  # fmt: skip


def explain(
    message: str, line: int | None, column: int | None, text: str
) -> tuple[str, int | None, int | None]:
    """The message (without `invalid TOML: `), line and column to report for tomli's `message` at
    `line`:`column` (None: at the end of the document) in `text`."""
    lines = text.splitlines()
    here = lines[line - 1] if line is not None and 0 < line <= len(lines) else ""
    key = _key_of(here)
    if message == "Cannot overwrite a value" and line is not None:
        header = _HEADER.match(here)
        if header and not key:  # `[review]` or `[[review]]` over a key or table of that name
            name = _dotted(header[1])
            before = _first_definition(lines[: line - 1], name)
            where = f" (line {before})" if before else ""
            return f"[{name}] names a key or table defined already{where}: rename or join them", line, None
        if key:
            before = _same_key_before(lines, line, key)
            if before:
                return f"{key}: given twice, on lines {before} and {line}: keep one", line, None
            return f"{key}: given twice: keep one", line, None
    declared = re.fullmatch(r"Cannot declare (\(.*\)) twice", message)
    if declared:
        try:
            name = ".".join(ast.literal_eval(declared[1]))
        except (ValueError, SyntaxError, TypeError):
            name = declared[1]
        first = _first_definition(lines[: (line or len(lines)) - 1], name)
        lines_said = f", on lines {first} and {line}" if first and line else ""
        return f"the table [{name}] is declared twice{lines_said}: join them into one", line, None
    duplicate = re.fullmatch(r"Duplicate inline table key '(.*)'", message)
    if duplicate:
        return (
            f"{key + ': ' if key else ''}the key {duplicate[1]} is given twice in {{...}}: keep one",
            line,
            column,
        )
    if line is None and message in ("Unterminated string", "Expected \"'''\""):
        opened = _open_multiline(lines)
        if opened is not None:
            number, quotes = opened
            return f"the {quotes} opened here is never closed: end the text with {quotes}", number, None
        if line is None and lines:
            last = len(lines)
            return "a string is missing its closing quote (at the end of the file)", last, None
    if message == "Illegal character '\\n'" and line is not None and ('"' in here or "'" in here):
        what = f"{key}: " if key else ""
        return f"{what}the string has no closing quote on this line: add it (\" or ')", line, None
    if line is not None and key and message in ("Invalid date or datetime", _AFTER):
        value = here.split("=", 1)[1].strip() if "=" in here else ""
        why = _bad_date(value)
        if why:
            return f"{key}: {why}", line, None
    if line is not None and key and message == _AFTER:
        value = here.split("=", 1)[1].split("#", 1)[0].strip()
        return (
            f"{key}: `{value}` is not a value TOML reads (text goes in quotes; numbers and dates bare)",
            line,
            column,
        )
    if line is not None and key and message == "Invalid value":
        return f"{key}: no value after `=` (or one TOML cannot read)", line, column
    return message, line, column


_AFTER = "Expected newline or end of document after a statement"


def _bad_date(value: str) -> str | None:
    """Why a date-like value is no date (`2026-02-30`: February 2026 has no day 30), or None."""
    match = _DATE.match(value)
    if not match:
        return None
    year, month, day = (int(part) for part in match.groups())
    try:
        date(year, month, day)
    except ValueError:
        pass
    else:
        return None  # a date, then something else (`2026-02-10T25:00`): not this kind
    if not 1 <= month <= 12:
        return f"{match[0]} is not a date: there is no month {month}"
    if year < 1:
        return f"{match[0]} is not a date: there is no year 0"
    days = monthrange(year, month)[1]
    return f"{match[0]} is not a date: {_MONTHS[month - 1]} {year} has no day {day} (it has {days})"


def _key_of(line: str) -> str | None:
    match = _KEY.match(line)
    return _dotted(match[1]) if match else None


def _dotted(key: str) -> str:
    return ".".join(part.strip().strip("\"'") for part in key.split("."))


def _table_of(lines: list[str], before: int) -> str:
    """The table header in force at line `before` (1-based), "" at the top level."""
    for line in reversed(lines[: before - 1]):
        match = _HEADER.match(line)
        if match and not _KEY.match(line):
            return _dotted(match[1])
    return ""


def _same_key_before(lines: list[str], line: int, key: str) -> int | None:
    """The earlier line of the same table that gives `key` (or, at the top level, `review.body` as
    `body` under `[review]`)."""
    table = _table_of(lines, line)
    for number in range(1, line):
        if _table_of(lines, number) == table and _key_of(lines[number - 1]) == key:
            return number
    return None


def _first_definition(lines: list[str], name: str) -> int | None:
    """The first line that defines `name`: its header, or a key of that name (dotted too)."""
    for number, line in enumerate(lines, 1):
        header = _HEADER.match(line)
        if header and not _KEY.match(line):
            if _dotted(header[1]) == name:
                return number
            continue
        key = _key_of(line)
        if key is not None and f"{_table_of(lines, number)}.{key}".lstrip(".") == name:
            return number
    return None


def _open_multiline(lines: list[str]) -> tuple[int, str] | None:
    """The line where the last `\"\"\"` or `'''` that is never closed opens."""
    opened: tuple[int, str] | None = None
    for number, line in enumerate(lines, 1):
        at = 0
        while True:
            if opened is None:
                found = [(i, q) for q in ('"""', "'''") if (i := line.find(q, at)) >= 0]
                if not found:
                    break
                index, quotes = min(found)
                opened, at = (number, quotes), index + 3
            else:
                index = line.find(opened[1], at)
                if index < 0:
                    break
                opened, at = None, index + 3
    return opened
