"""Kobo: `KoboReader.sqlite` from the device. A copy is opened read-only (the device's own file is never
touched, and a database the device still holds open is not disturbed): `Bookmark` rows joined to their book
(`content`, by VolumeID) and chapter (by ContentID), both with LEFT JOIN, so a bookmark whose book row is
gone is reported, not fatal. Hidden rows and dog-ears (no text) are skipped; `Annotation` is the note; the
place is the chapter and how far into it (ChapterProgress)."""

from __future__ import annotations

import re
import shutil
import sqlite3
import tempfile
from datetime import datetime
from pathlib import Path

from readlog.highlights.records import Highlight, Parsed, Reject
from readlog.text import split_people

NAME = "kobo"
MAGIC = b"SQLite format 3\x00"

_QUERY = """
SELECT b.BookmarkID, b.Text, b.Annotation, b.DateCreated, b.ChapterProgress, b.Hidden, b.Type,
       b.VolumeID, book.Title, book.Attribution, chapter.Title, chapter.VolumeIndex
FROM Bookmark b
LEFT JOIN content book ON book.ContentID = b.VolumeID AND book.ContentType = 6
LEFT JOIN content chapter ON chapter.ContentID = b.ContentID
ORDER BY b.VolumeID, chapter.VolumeIndex, b.ChapterProgress, b.DateCreated
"""


def sniff(head: bytes) -> bool:
    return head.startswith(MAGIC)


def parse(path: Path) -> Parsed:
    parsed = Parsed(NAME)
    with tempfile.TemporaryDirectory(prefix="readlog-kobo-") as folder:
        copy = Path(folder) / "KoboReader.sqlite"
        shutil.copyfile(path, copy)
        for suffix in ("-wal", "-shm"):  # a database the device left mid-write: its journal too
            if Path(f"{path}{suffix}").is_file():
                shutil.copyfile(f"{path}{suffix}", f"{copy}{suffix}")
        db = sqlite3.connect(f"{copy.as_uri()}?mode=ro", uri=True)
        try:
            rows = db.execute(_QUERY).fetchall()
        except sqlite3.DatabaseError as error:
            parsed.rejects.append(Reject(0, f"not a Kobo database ({error})"))
            return parsed
        finally:
            db.close()
    for number, row in enumerate(rows, 1):
        bookmark_id, text, annotation, created, progress, hidden, kind, volume, title, author = row[:10]
        chapter, chapter_index = row[10], row[11]
        if chapter and re.search(r"\.x?html?\b|/", chapter):  # a sideloaded book's file name, not a title
            chapter = None
        if str(hidden).lower() in ("true", "1"):
            parsed.skipped["hidden"] += 1
            continue
        text = (text or "").strip()
        if not text:
            parsed.skipped["bookmarks" if kind in (None, "dogear") else "empty highlights"] += 1
            continue
        if not title:
            parsed.rejects.append(
                Reject(number, f"bookmark {bookmark_id} has no book row for {volume}", text)
            )
            continue
        percent = round(float(progress or 0) * 100)
        place = f"{chapter_index or 0:05d}.{percent:03d}"
        try:
            when = datetime.fromisoformat(created[:19]) if created else None
        except ValueError:
            when = None
        parsed.highlights.append(
            Highlight(
                source=NAME,
                title=title.strip(),
                authors=split_people(author or "", comma_list=True),
                text=text,
                start=float(place),
                end=float(place),
                location=f"{percent}% of the chapter"
                if chapter is None
                else f"{chapter.strip()}, {percent}%",
                chapter=chapter.strip() if chapter else None,
                note=(annotation or "").strip() or None,
                when=when,
                date_text=created if created and when is None else None,
                line=number,
            )
        )
    return parsed
