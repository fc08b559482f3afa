"""Kobo: `KoboReader.sqlite` from the device. A copy is opened read-only (the device's own file is never
touched, and a database the device still holds open is not disturbed): `Bookmark` rows joined to their book
(`content`, by VolumeID) and chapter (by ContentID), both with LEFT JOIN, so a bookmark whose book row is
gone is reported, not fatal. Hidden rows and dog-ears (no text) are skipped; `Annotation` is the note; the
place is the chapter and how far into it (ChapterProgress). Where the device gives them (a kepub's
`span#kobo.12.3` containers), a highlight's range is where it starts and ends in the chapter: two selections
of one passage (the reader extended a highlight: the device keeps both) are then told apart from two
passages, and the latest is kept (apply.collapse), where ChapterProgress (the page the reader was on) differs
between the two and would keep both."""

from __future__ import annotations

import re
import shutil
import sqlite3
import tempfile
from datetime import datetime
from pathlib import Path
from typing import Any

from readlog.highlights.records import Highlight, Parsed, Reject, place_in_series
from readlog.text import split_people

NAME = "kobo"
MAGIC = b"SQLite format 3\x00"

_QUERY = """
SELECT b.BookmarkID, b.Text, b.Annotation, b.DateCreated, b.ChapterProgress, b.Hidden, b.Type,
       b.VolumeID, book.Title, book.Attribution, chapter.Title, chapter.VolumeIndex, {containers}, {series},
       {status}
FROM Bookmark b
LEFT JOIN content book ON book.ContentID = b.VolumeID AND book.ContentType = 6
LEFT JOIN content chapter ON chapter.ContentID = b.ContentID
ORDER BY b.VolumeID, chapter.VolumeIndex, b.ChapterProgress, b.DateCreated
"""


def sniff(head: bytes) -> bool:
    return head.startswith(MAGIC)


QUERY_SECONDS = 20.0  # a query on a foreign database gets this long in all, however it is built
MAX_ROWS = 1_000_000


def _decoded(rows: list[Any], path: Path, encoding: str | None, parsed: Parsed) -> list[Any]:
    """The rows with the bytes of each text that are not UTF-8 read in one encoding (`encoding`, else the
    one they all read as: text.decode_stray, the UTF-8 around them kept), said in one line naming the rows,
    as a Kindle's lines are; bytes that cannot be told are refused, naming their row. Never a U+FFFD."""
    foreign: dict[bytes, int] = {}  # each text not UTF-8 -> the first row holding it
    holding: set[int] = set()
    for number, row in enumerate(rows, 1):
        for value in row:
            if isinstance(value, bytes) and not value.isascii():
                try:
                    value.decode("utf-8")
                except UnicodeDecodeError:
                    foreign.setdefault(value, number)
                    holding.add(number)
    if not foreign:
        return rows
    from readlog.text import decode_stray, fallback_message

    cells = list(foreign)
    texts, said = decode_stray(cells, encoding, lambda at: f"{path}: bookmark row {foreign[cells[at]]}")
    read = dict(zip(cells, texts, strict=True))
    parsed.warnings.append(f"{path}: {fallback_message(sorted(holding), said, 'bookmark row')}")
    return [tuple(read.get(v, v) if isinstance(v, bytes) else v for v in row) for row in rows]


def _text(value: object) -> str:
    """Any SQLite storage class as text: a BLOB is read as UTF-8 (what the device meant; one that is not
    was read as the rest of the file's such text, _decoded), a number as its digits; NULL is empty."""
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, bytes):
        return value.decode("utf-8").replace("\x00", "")
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return ""


def _fraction(value: object) -> float:
    """ChapterProgress as a fraction from 0 to 1, whatever the column holds."""
    try:
        number = float(_text(value) or 0)
    except ValueError:
        return 0.0
    return min(max(number, 0.0), 1.0) if number == number else 0.0


def _whole(value: object, most: int = 99_999) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return min(max(value, 0), most)
    text = _text(value).strip()
    return min(int(text), most) if text.isdigit() and len(text) < 10 else 0


def _schema_problem(db: sqlite3.Connection) -> str | None:
    """Why this is not a Kobo database readlog can read, from the schema alone (asked before any query
    touches the data: a view that calls itself would hang it)."""
    kinds = dict(
        db.execute("SELECT name, type FROM sqlite_master WHERE name IN ('Bookmark', 'content')").fetchall()
    )
    for name in ("Bookmark", "content"):
        if kinds.get(name) != "table":
            found = f"a {kinds[name]}" if name in kinds else "missing"
            return f"`{name}` is {found}, not a table"
    wanted = {
        "Bookmark": {"BookmarkID", "Text", "Annotation", "DateCreated", "ChapterProgress", "Hidden", "Type",
                     "VolumeID", "ContentID"},
        "content": {"ContentID", "ContentType", "Title", "Attribution", "VolumeIndex"},
    }  # fmt: skip
    for table, columns in wanted.items():
        have = {str(row[1]) for row in db.execute(f"PRAGMA table_info({table})").fetchall()}
        missing = sorted(columns - have)
        if missing:
            return f"`{table}` has no {', '.join(missing)} column"
    return None


_CONTAINERS = ("StartContainerPath", "EndContainerPath")  # not in every database: read where they are
_SPAN = re.compile(r"span#kobo\\?\.(\d{1,6})\\?\.(\d{1,4})")


def _containers(
    db: sqlite3.Connection, table: str = "Bookmark", alias: str = "b", columns: tuple[str, ...] = _CONTAINERS
) -> str:
    have = {str(row[1]) for row in db.execute(f"PRAGMA table_info({table})").fetchall()}
    return ", ".join(f"{alias}.{c}" if c in have else "NULL" for c in columns)


_SERIES = ("Series", "SeriesNumber")  # the book's series and its place (not in old databases)
_STATUS = ("ReadStatus", "___PercentRead")  # 0 unread, 1 reading, 2 finished; how far, in percent


def _progress(status: object, percent: object) -> str | None:
    """What a Kobo says of a book: finished (ReadStatus 2, or read to 100%), else reading (it holds
    highlights: it was opened); None where the database has neither column."""
    if status is None and percent is None:
        return None
    if _whole(status) == 2 or _whole(percent) >= 100:
        return "finished"
    return "reading"


def _series(name: str, number: str) -> tuple[tuple[str, str], ...]:
    """`content.Series` and `SeriesNumber` as (name, number) pairs: none without a name."""
    number = number.strip()
    return ((name.strip(), number if number not in ("0", "0.0") else ""),) if name.strip() else ()


def _span(chapter: int, path: str) -> float | None:
    """A kepub container (`span#kobo\\.165\\.1`: paragraph 165, sentence 1) as a place in the book that
    sorts: chapter, paragraph, sentence (exact in a float). None for any other kind of path."""
    match = _SPAN.fullmatch(path.strip())
    if match is None:
        return None
    return float((chapter * 1_000_000 + int(match[1])) * 10_000 + int(match[2]))


def _bounded(db: sqlite3.Connection, seconds: float) -> None:
    """Every statement from here on is stopped after `seconds` in all."""
    import time

    deadline = time.monotonic() + seconds
    db.set_progress_handler(lambda: 1 if time.monotonic() > deadline else 0, 10_000)


def parse(path: Path, encoding: str | None = None) -> Parsed:
    """`encoding`: what its text that is not UTF-8 is in (`import --encoding`; else told: _decoded)."""
    parsed = Parsed(NAME)
    with tempfile.TemporaryDirectory(prefix="readlog-kobo-") as folder:
        copy = Path(folder) / "KoboReader.sqlite"
        shutil.copyfile(path, copy)
        for suffix in ("-wal", "-shm"):  # a database the device left mid-write: its journal too
            if Path(f"{path}{suffix}").is_file():
                shutil.copyfile(f"{path}{suffix}", f"{copy}{suffix}")
        db = sqlite3.connect(f"{copy.as_uri()}?mode=ro", uri=True)
        try:
            _bounded(db, QUERY_SECONDS)
            problem = _schema_problem(db)
            if problem is not None:
                parsed.rejects.append(Reject(0, f"not a Kobo database readlog can read ({problem})"))
                return parsed
            query = _QUERY.format(
                containers=_containers(db),
                series=_containers(db, "content", "book", _SERIES),
                status=_containers(db, "content", "book", _STATUS),
            )
            db.text_factory = bytes  # text that is not UTF-8 must not stop the import: decoded below
            rows = db.execute(query + f" LIMIT {MAX_ROWS}").fetchall()
        except sqlite3.OperationalError as error:
            if "interrupted" in str(error):
                parsed.rejects.append(
                    Reject(0, f"the Kobo database took more than {QUERY_SECONDS:g} s to read: not imported")
                )
            else:
                parsed.rejects.append(Reject(0, f"not a Kobo database ({error})"))
            return parsed
        except sqlite3.DatabaseError as error:
            parsed.rejects.append(Reject(0, f"not a Kobo database ({error})"))
            return parsed
        finally:
            db.close()
    rows = _decoded(rows, path, encoding, parsed)
    books: dict[str, tuple[tuple[tuple[str, str], ...], list[Highlight]]] = {}
    for number, row in enumerate(rows, 1):
        bookmark_id, text, annotation, created, progress, hidden, kind, volume, title, author = (
            _text(v) if i not in (4, 5) else v for i, v in enumerate(row[:10])
        )
        chapter, chapter_index = _text(row[10]) or None, _whole(row[11])
        if chapter and re.search(r"\.x?html?\b|/", chapter):  # a sideloaded book's file name, not a title
            chapter = None
        if _text(hidden).strip().lower() in ("true", "1"):
            parsed.skipped["hidden"] += 1
            continue
        text = text.strip()
        if not text:
            parsed.skipped["bookmarks" if kind in ("", "dogear") else "empty highlights"] += 1
            continue
        if not title.strip():
            parsed.rejects.append(
                Reject(number, f"bookmark {bookmark_id} has no book row for {volume}", text)
            )
            continue
        percent = round(_fraction(progress) * 100)
        place = f"{chapter_index:05d}.{percent:03d}"
        start, end = _span(chapter_index, _text(row[12])), _span(chapter_index, _text(row[13]))
        if start is None or end is None or end < start:
            start = end = float(place)  # where the reader was: all there is to place it by
        try:
            when = datetime.fromisoformat(created[:19]) if created else None
        except ValueError:
            when = None
        item = Highlight(
            source=NAME,
            title=title.strip(),
            authors=split_people(author or "", comma_list=True),
            text=text,
            start=start,
            end=end,
            location=f"{percent}% of the chapter" if chapter is None else f"{chapter.strip()}, {percent}%",
            chapter=chapter.strip() if chapter else None,
            note=annotation.strip() or None,
            when=when,
            date_text=created if created and when is None else None,
            line=number,
            progress=_progress(row[16], row[17]),
        )
        parsed.highlights.append(item)
        books.setdefault(volume, (_series(_text(row[14]), _text(row[15])), []))[1].append(item)
    for series, items in books.values():  # (a book's places said once, for all its highlights)
        place_in_series(parsed, items, series, str(path))
    return parsed
