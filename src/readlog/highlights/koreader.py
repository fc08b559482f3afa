"""KOReader: its JSON export (one book, or `documents` of many) and the `metadata.*.lua` sidecars it keeps
beside each book (`*.sdr` folders), in the newer `annotations` layout and the legacy `highlight`/`bookmarks`
one. Sidecars are read with a data-only Lua reader (lua.py), never executed."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from readlog.highlights.lua import LuaError, loads
from readlog.highlights.records import Highlight, Parsed, Reject, place_in_series

NAME = "koreader"
_AUTO_NOTE = re.compile(r"^(?:Page|Seite|Pagina|Página|Page No\.)?\s*\S+ .* @ \d{4}-\d{2}-\d{2} \d{2}:\d{2}")


def sniff_json(head: bytes) -> bool:
    text = head.decode("utf-8", "replace").lstrip("\ufeff \r\n\t")
    if not text.startswith("{") or re.match(r'\{\s*"slug"', text):  # readlog's own JSON starts with its slug
        return False
    return bool(re.search(r'"(?:entries|documents)"\s*:\s*\[', text))


def sniff_lua(head: bytes, name: str) -> bool:
    text = head.decode("utf-8", "replace").lstrip("\ufeff")
    return (
        name.startswith("metadata.")
        and name.endswith(".lua")
        or bool(re.match(r"(?:--[^\n]*\n)*\s*return\s*\{", text))
    )


def _decoded(raw: bytes, encoding: str | None, where: str) -> tuple[str, Parsed]:
    """The file as text: KOReader writes UTF-8, so only bytes that are not are read otherwise, in one
    encoding (`import --encoding`, else told: text.decode_device), and their lines named in one line, as a
    Kindle's are; bytes whose encoding cannot be told are refused with their line. Never a U+FFFD."""
    from readlog.text import decode_device

    text, fallback, said = decode_device(raw, encoding, where)
    return text.lstrip("\ufeff"), Parsed(NAME, fallback_lines=fallback, fallback_encoding=said)


def parse_json(raw: bytes, encoding: str | None = None, where: str = "") -> Parsed:
    text, parsed = _decoded(raw, encoding, where)
    try:
        from readlog.text import loads_foreign_json

        data = loads_foreign_json(text)
    except json.JSONDecodeError as error:
        parsed.rejects.append(Reject(error.lineno, f"not valid JSON ({error.msg})"))
        return parsed
    except RecursionError:
        parsed.rejects.append(Reject(0, "JSON nested too deeply to read"))
        return parsed
    documents = data.get("documents") if isinstance(data, dict) else None
    if not isinstance(documents, list):
        documents = [data]
    for number, document in enumerate(documents, 1):
        if not isinstance(document, dict) or not isinstance(document.get("entries"), list):
            parsed.rejects.append(Reject(number, "a document without `entries`"))
            continue
        title = _text(document.get("title")) or "Untitled"
        authors = _authors(document.get("author") or document.get("authors"))
        for entry_number, entry in enumerate(document["entries"], 1):
            line = entry_number if len(documents) == 1 else number * 10_000 + entry_number
            if not isinstance(entry, dict):
                parsed.rejects.append(Reject(line, "an entry that is not an object"))
                continue
            if entry.get("sort") == "bookmark" or not _text(entry.get("text")):
                parsed.skipped["bookmarks" if entry.get("sort") == "bookmark" else "empty entries"] += 1
                continue
            page = entry.get("page") if isinstance(entry.get("page"), int) else None
            time = entry.get("time")
            parsed.highlights.append(
                Highlight(
                    source=NAME,
                    title=title,
                    authors=authors,
                    text=_text(entry["text"]),
                    page=page if page and page > 0 else None,
                    start=page,
                    end=page,
                    chapter=_text(entry.get("chapter")) or None,
                    note=_text(entry.get("note")) or None,
                    when=_when(time),
                    line=line,
                )
            )
    return parsed


def parse_lua(
    raw: bytes, fallback_title: str = "Untitled", encoding: str | None = None, where: str = ""
) -> Parsed:
    text, parsed = _decoded(raw, encoding, where)
    try:
        data = loads(text, lambda cells, lines: _strays(cells, lines, encoding, where, parsed))
    except LuaError as error:
        parsed.rejects.append(Reject(error.line, f"not a KOReader sidecar: {error}"))
        return parsed
    if not isinstance(data, dict):
        parsed.rejects.append(Reject(1, "not a KOReader sidecar: it does not return a table"))
        return parsed
    props: dict[Any, Any] = data["doc_props"] if isinstance(data.get("doc_props"), dict) else {}
    stats: dict[Any, Any] = data["stats"] if isinstance(data.get("stats"), dict) else {}
    title = _text(props.get("title")) or _text(stats.get("title")) or fallback_title
    authors = _authors(props.get("authors") or stats.get("authors"))
    if isinstance(data.get("annotations"), dict):
        _annotations(data["annotations"], title, authors, parsed)
    else:
        _legacy(data, title, authors, parsed)
    place_in_series(parsed, parsed.highlights, _series(props.get("series"), props.get("series_index")), where)
    progress = _progress(data.get("summary"), data.get("percent_finished"))
    for item in parsed.highlights:
        item.progress = progress
    return parsed


def _progress(summary: object, percent: object) -> str | None:
    """What a sidecar says of its book: `summary.status` (complete; reading, or abandoned, which KOReader
    shows as "On hold") and how far (`percent_finished`, 0 to 1); None where it says neither."""
    status = summary.get("status") if isinstance(summary, dict) else None
    share = percent if isinstance(percent, int | float) and not isinstance(percent, bool) else None
    if status == "complete" or (share is not None and share >= 1):
        return "finished"
    # (`abandoned` is what KOReader shows as "On hold": set aside, not given up: review 33a #1)
    return "reading" if status in ("reading", "abandoned") or share is not None else None


def _strays(
    cells: list[bytes], lines: list[int], encoding: str | None, where: str, parsed: Parsed
) -> list[str]:
    """A sidecar's strings whose escapes spell bytes that are not UTF-8 (`caf\\233`), read as its lines that
    are not UTF-8 are (text.decode_stray: `encoding`, else the one they read as together), and their lines
    said with those in the one line (`lines 4, 9: not UTF-8, read as Windows-1252`); bytes whose encoding
    cannot be told are refused naming their line. They were read as Latin-1, without a word."""
    from readlog.text import decode_stray

    prefix = f"{where}: " if where else ""
    texts, said = decode_stray(cells, encoding, lambda k: f"{prefix}line {lines[k]}")
    before = parsed.fallback_encoding
    parsed.fallback_lines = sorted({*parsed.fallback_lines, *lines})
    parsed.fallback_encoding = said if before in ("", said) else f"{before} and {said}"
    return texts


_SERIES_NUMBER = re.compile(r"^(?P<name>.*?)\s*#\s*(?P<number>\d[\d.]*)\s*$")


def _series(value: object, index: object) -> tuple[tuple[str, str], ...]:
    """KOReader's `series` (`Saga #2`, or the name with its number in `series_index`) as (name, number)."""
    name = _text(value)
    if not name:
        return ()
    found = _SERIES_NUMBER.match(name)
    if found is not None and found["name"]:
        return ((found["name"], found["number"]),)
    number = index if isinstance(index, (int, float)) and not isinstance(index, bool) else _text(index)
    if isinstance(number, float) and number.is_integer():
        number = int(number)
    return ((name, str(number) if number not in ("", 0) else ""),)


def _annotations(annotations: Mapping[Any, Any], title: str, authors: list[str], parsed: Parsed) -> None:
    for number, item in sorted(annotations.items(), key=lambda kv: str(kv[0]).zfill(8)):
        if not isinstance(item, dict):
            continue
        if not item.get("pos0") or not _text(item.get("text")):  # a page bookmark
            parsed.skipped["bookmarks"] += 1
            continue
        parsed.highlights.append(
            _highlight(item, title, authors, item.get("pageno"), _text(item.get("note")), number)
        )


def _legacy(data: dict[Any, Any], title: str, authors: list[str], parsed: Parsed) -> None:
    notes: dict[str, str] = {}
    bookmarks: dict[Any, Any] = data["bookmarks"] if isinstance(data.get("bookmarks"), dict) else {}
    for item in bookmarks.values():
        if isinstance(item, dict) and item.get("highlighted") and isinstance(item.get("notes"), str):
            note = _text(item.get("text"))
            if note and not _AUTO_NOTE.match(note):
                notes[_text(item["notes"])] = note
        elif isinstance(item, dict) and not item.get("pos0"):
            parsed.skipped["bookmarks"] += 1
    highlight: dict[Any, Any] = data["highlight"] if isinstance(data.get("highlight"), dict) else {}
    number = 0
    for page, items in sorted(highlight.items(), key=lambda kv: str(kv[0]).zfill(8)):
        if not isinstance(items, dict):
            continue
        for item in items.values():
            number += 1
            if isinstance(item, dict) and _text(item.get("text")):
                text = _text(item["text"])
                pageno = page if isinstance(page, int) else None
                parsed.highlights.append(_highlight(item, title, authors, pageno, notes.get(text), number))


def _highlight(
    item: dict[Any, Any], title: str, authors: list[str], page: object, note: str | None, number: object
) -> Highlight:
    pageno = page if isinstance(page, int) and page > 0 else None
    stamp = _text(item.get("datetime"))
    try:
        when = datetime.fromisoformat(stamp) if stamp else None
    except ValueError:
        when = None
    return Highlight(
        source=NAME,
        title=title,
        authors=authors,
        text=_text(item.get("text")),
        page=pageno,
        start=pageno,
        end=pageno,
        chapter=_text(item.get("chapter")) or None,
        note=note or None,
        when=when,
        date_text=stamp if stamp and when is None else None,
        line=number if isinstance(number, int) else 0,
    )


def _text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


def _authors(value: object) -> list[str]:
    """KOReader keeps several authors one per line, often `Last, First`: stored First Last."""
    from readlog.text import split_people

    if isinstance(value, list):
        return split_people("\n".join(a for a in value if isinstance(a, str)))
    if isinstance(value, str):
        return split_people(value)  # `Thaler, Richard H.` -> `Richard H. Thaler`
    return []


def _when(time: object) -> datetime | None:
    """A KOReader timestamp (seconds since 1970) as a naive UTC time; none when it is not a time a
    calendar holds (a damaged or hand-edited file: year 10000 and beyond)."""
    if not isinstance(time, int | float) or isinstance(time, bool) or not time > 0:
        return None
    try:
        return datetime.fromtimestamp(time, UTC).replace(tzinfo=None)
    except (ValueError, OverflowError, OSError):
        return None
