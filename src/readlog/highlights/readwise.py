"""Readwise's CSV export: `Highlight, Book Title, Book Author, Amazon Book ID, Note, Color, Tags, Location
Type, Location, Highlighted at, ...`, read by column name (Readwise adds columns over time)."""

from __future__ import annotations

import csv
import io
from datetime import datetime

from readlog.highlights.records import Highlight, Parsed, Reject
from readlog.text import decode_lines

NAME = "readwise"
REQUIRED = ("Highlight", "Book Title")


def sniff(head: bytes) -> bool:
    first = head.decode("utf-8", "replace").lstrip("\ufeff").split("\n", 1)[0]
    return all(column in first for column in ("Highlight", "Book Title", "Book Author"))


def parse(raw: bytes, encoding: str | None = None, where: str = "") -> Parsed:
    """`encoding`: what its cells that are not UTF-8 are in (`import --encoding`; else told: decode_lines)."""
    text, fallback, said = decode_lines(raw, ",", encoding, where)  # a cell not UTF-8 spoils no other
    parsed = Parsed(NAME, fallback_lines=fallback, fallback_encoding=said)
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        for row in reader:
            line = reader.line_num
            if None in row or any(value is None for value in row.values()):
                parsed.rejects.append(Reject(line, "the row's fields do not match the header"))
                continue
            body = (row.get("Highlight") or "").strip()
            title = (row.get("Book Title") or "").strip()
            if not body:
                parsed.skipped["empty highlights"] += 1
                continue
            if not title:
                parsed.rejects.append(Reject(line, "no Book Title", body[:200]))
                continue
            place = (row.get("Location") or "").strip()
            kind = (row.get("Location Type") or "").strip().lower()
            number = int(place) if place.isdigit() and len(place) <= 9 else None
            stamp = (row.get("Highlighted at") or "").strip()
            try:
                when = (
                    datetime.fromisoformat(stamp.replace("Z", "+00:00")).replace(tzinfo=None)
                    if stamp
                    else None
                )
            except ValueError:
                when = None
            parsed.highlights.append(
                Highlight(
                    source=NAME,
                    title=title,
                    authors=_authors(row.get("Book Author") or ""),
                    text=body,
                    page=number if kind == "page" and number else None,
                    start=number,
                    end=number,
                    location=f"loc {number}"
                    if kind == "location" and number is not None
                    else (place if place and kind not in ("page", "location", "order") else None),
                    note=(row.get("Note") or "").strip() or None,
                    when=when,
                    date_text=stamp if stamp and when is None else None,
                    line=line,
                )
            )
    except csv.Error as error:
        parsed.rejects.append(Reject(reader.line_num, f"not valid CSV ({error})"))
    return parsed


def _authors(cell: str) -> list[str]:
    return [name.strip() for name in cell.replace(" and ", ",").split(",") if name.strip()]
