"""Kindle `My Clippings.txt`: the parser on small files of our own (one per quirk), then the real samples."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

import pytest

from conftest import REPO
from readlog.highlights import format_of, kindle
from readlog.highlights.apply import collapse, group_by_book

SHARED = Path(os.environ.get("READLOG_TEST_HIGHLIGHTS") or REPO.parent / "shared" / "fixtures" / "highlights")
needs_shared = pytest.mark.skipif(
    not SHARED.is_dir(), reason=f"the real highlight samples are not here ({SHARED})"
)
SEP = "=========="

# One reading of one book, written as records: (title line, kind, page, location, when, text).
RECORDS = [
    ("The Salt Road (Okafor, Ada)", "highlight", 12, "180-182", datetime(2024, 3, 5, 21, 4, 10),
     "A road is a promise somebody kept."),
    ("The Salt Road (Okafor, Ada)", "highlight", 14, "200-201", datetime(2024, 3, 6, 7, 15, 0),
     "Salt remembers"),
    ("The Salt Road (Okafor, Ada)", "highlight", 14, "200-202", datetime(2024, 3, 6, 7, 15, 9),
     "Salt remembers the sea it came from"),
    ("The Salt Road (Okafor, Ada)", "highlight", 14, "200-203", datetime(2024, 3, 6, 7, 15, 30),
     "Salt remembers the sea it came from, and so do we."),
    ("The Salt Road (Okafor, Ada)", "note", 14, "203", datetime(2024, 3, 6, 7, 16, 0),
     "the book in one line"),
    ("The Salt Road (Okafor, Ada)", "bookmark", 20, "310", datetime(2024, 3, 7, 22, 0, 0), ""),
    ("The Salt Road (Okafor, Ada)", "note", 30, "455", datetime(2024, 3, 8, 12, 30, 0),
     "ask Mum about the caravans"),
    ("The Salt Road (Ada Okafor)", "highlight", 41, "601-602", datetime(2024, 3, 9, 18, 0, 0),
     "Nobody walks a desert alone; they only think they do."),
    ("Glass Orchards (Lindqvist, Maj; Arden, Tom)", "highlight", None, "77-79", datetime(2023, 11, 1, 9, 0, 0),
     "The orchard was glass, and the glass was listening."),
]  # fmt: skip

ENGLISH = {
    "highlight": "Your Highlight",
    "note": "Your Note",
    "bookmark": "Your Bookmark",
    "added": "Added on",
}
GERMAN = {
    "highlight": "Ihre Markierung",
    "note": "Ihre Notiz",
    "bookmark": "Ihr Lesezeichen",
    "added": "Hinzugefügt am",
}
_EN_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
_DE_MONTHS = [
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
]
_EN_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_DE_DAYS = ["Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"]


def english_date(when: datetime) -> str:
    hour = when.hour % 12 or 12
    return (
        f"{_EN_DAYS[when.weekday()]}, {_EN_MONTHS[when.month - 1]} {when.day}, {when.year} "
        f"{hour}:{when:%M:%S} {'PM' if when.hour >= 12 else 'AM'}"
    )


def german_date(when: datetime) -> str:
    return f"{_DE_DAYS[when.weekday()]}, {when.day}. {_DE_MONTHS[when.month - 1]} {when.year} {when:%H:%M:%S}"


def clippings(labels: dict[str, str], date_of, newline: str = "\n", bom_each: bool = False) -> bytes:
    german = labels is GERMAN
    out = []
    for title, kind, page, loc, when, text in RECORDS:
        places = []
        if page is not None:
            places.append(f"auf Seite {page}" if german else f"on page {page}")
        places.append(f"bei Position {loc}" if german else f"Location {loc}")
        meta = f"- {labels[kind]} {' | '.join(places)} | {labels['added']} {date_of(when)}"
        out.append(("\ufeff" if bom_each else "") + newline.join([title, meta, "", text, SEP]))
    body = newline.join(out) + newline
    return ("" if bom_each else "\ufeff").encode() + body.encode("utf-8")


def summary(parsed):
    return [
        (h.title, tuple(h.authors), h.kind, h.page, h.location, h.when, h.text, h.line)
        for h in parsed.highlights
    ]


def test_each_record_is_read_with_its_page_location_date_and_kind():
    parsed = kindle.parse(clippings(ENGLISH, english_date))
    assert parsed.skipped == {"bookmarks": 1}
    assert not parsed.rejects
    first = parsed.highlights[0]
    assert (first.title, first.authors, first.page, first.location, first.start, first.end) == (
        "The Salt Road",
        ["Ada Okafor"],
        12,
        "loc 180-182",
        180,
        182,
    )
    assert first.when == datetime(2024, 3, 5, 21, 4, 10)
    assert first.line == 2  # the metadata line
    assert [h.kind for h in parsed.highlights].count("note") == 2
    glass = parsed.highlights[-1]
    assert glass.authors == ["Maj Lindqvist", "Tom Arden"] and glass.page is None


def test_a_bom_crlf_german_copy_gives_the_same_clippings():
    english = kindle.parse(clippings(ENGLISH, english_date))
    german = kindle.parse(clippings(GERMAN, german_date, newline="\r\n", bom_each=True))
    strip = [row[:-1] for row in summary(english)]  # line numbers aside
    assert [row[:-1] for row in summary(german)] == strip
    assert german.skipped == english.skipped


def test_three_growing_versions_of_one_highlight_give_one_quote():
    parsed = kindle.parse(clippings(ENGLISH, english_date))
    groups = group_by_book(parsed.highlights)
    assert [g.title for g in groups] == ["The Salt Road", "Glass Orchards"]  # both name orders: one book
    kept, collapsed = collapse([h for h in groups[0].items if h.kind == "highlight"])
    assert collapsed == 2
    assert [h.text for h in kept] == [
        "A road is a promise somebody kept.",
        "Salt remembers the sea it came from, and so do we.",
        "Nobody walks a desert alone; they only think they do.",
    ]


def test_equal_copies_keep_the_latest():
    raw = "\n".join(
        [
            "Twice (Someone)",
            "- Your Highlight at location 10-11 | Added on Monday, 1 January 2024 10:00:00",
            "",
            "Same words.",
            SEP,
            "Twice (Someone)",
            "- Your Highlight at location 10-11 | Added on Tuesday, 2 January 2024 10:00:00",
            "",
            "Same words.",
            SEP,
        ]
    ).encode()
    kept, collapsed = collapse(kindle.parse(raw).highlights)
    assert collapsed == 1 and kept[0].when == datetime(2024, 1, 2, 10, 0)


OLD_AND_ODD = """==========
Field Notes (Brand, Iris)
- Highlight Loc. 5444-45 | Added on Saturday, October 31, 2009, 09:25 AM

An old Kindle wrote the end of the range short.
==========
Field Notes (Brand, Iris)
- Your Highlight on Page 125-125 | Added on Tuesday, April 24, 2012, 04:13 PM
A page only, and no blank line after the metadata.
==========
Field Notes (Brand, Iris)
- Your Highlight at location 90-92 | Added on someday when the clock was broken

The date cannot be read; the highlight still counts.
==========
Field Notes (Brand, Iris)
- Your Highlight on page 3 | Location 40-41 | Added on Monday, 30 September 2019 00:14:06

Half a sentence and then <You have reached the clipping limit for this item>
==========
Field Notes (Brand, Iris)
- Your Highlight on page 4 | Location 50-50 | Added on Monday, 30 September 2019 00:15:06

<You have reached the clipping limit for this item>
==========
this record lost its metadata line
==========
Untitled Scan
- Your Highlight Location 7-8 | Added on Wednesday, November 20, 2013 2:06:26 PM

A document with no author.
==========
"""


def test_old_formats_placeholders_and_a_damaged_record():
    parsed = kindle.parse(OLD_AND_ODD.encode())
    rows = [(h.title, h.page, h.location, h.when, h.date_text, h.text) for h in parsed.highlights]
    assert rows == [
        ("Field Notes", None, "loc 5444-5445", datetime(2009, 10, 31, 9, 25), None,
         "An old Kindle wrote the end of the range short."),
        ("Field Notes", 125, None, datetime(2012, 4, 24, 16, 13), None,
         "A page only, and no blank line after the metadata."),
        ("Field Notes", None, "loc 90-92", None, "Added on someday when the clock was broken",
         "The date cannot be read; the highlight still counts."),
        ("Field Notes", 3, "loc 40-41", datetime(2019, 9, 30, 0, 14, 6), None, "Half a sentence and then"),
        ("Untitled Scan", None, "loc 7-8", datetime(2013, 11, 20, 14, 6, 26), None, "A document with no author."),
    ]  # fmt: skip
    assert parsed.highlights[-1].authors == []
    assert parsed.skipped == {"clipping-limit placeholders": 2}
    assert [(r.line, r.text) for r in parsed.rejects] == [(26, "this record lost its metadata line")]


@pytest.mark.parametrize(
    ("meta", "kind", "page", "location", "when"),
    [
        ("- Votre surlignement sur la page 12 | emplacement 180-182 | Ajouté le lundi 4 mars 2024 21:04:10",
         "highlight", 12, "loc 180-182", datetime(2024, 3, 4, 21, 4, 10)),
        ("- Tu subrayado en la página 79 | posición 1293-1295 | Añadido el martes, 30 de agosto de 2022 19:40:15",
         "highlight", 79, "loc 1293-1295", datetime(2022, 8, 30, 19, 40, 15)),
        ("- La tua evidenziazione a pagina 5 | posizione 70-71 | Aggiunto in data lunedì 4 marzo 2024 09:01:02",
         "highlight", 5, "loc 70-71", datetime(2024, 3, 4, 9, 1, 2)),
        ("- Seu destaque ou posição 77-80 | Adicionado: sábado, 2 de novembro de 2019 14:03:00",
         "highlight", None, "loc 77-80", datetime(2019, 11, 2, 14, 3)),
        ("- Je highlight op pagina 79 | locatie 1293 t/m 1295 | Toegevoegd op dinsdag 30 augustus 2022 19:46:26",
         "highlight", 79, "loc 1293-1295", datetime(2022, 8, 30, 19, 46, 26)),
        ("- 您在第 14 页（位置 #305-308）的标注 | 添加于 2019年7月25日星期四 下午11:51:15",
         "highlight", 14, "loc 305-308", datetime(2019, 7, 25, 23, 51, 15)),
        ("- 12ページ|位置No. 180-182のハイライト |作成日: 2020年1月8日水曜日 午前10:00:00",
         "highlight", 12, "loc 180-182", datetime(2020, 1, 8, 10, 0)),
        ("– Ваш выделенный отрывок на странице 6 | Место 53–55 | Добавлено: воскресенье, 3 марта 2024 г. в 9:05:01",
         "highlight", 6, "loc 53-55", datetime(2024, 3, 3, 9, 5, 1)),
        ("- La tua nota alla posizione 71 | Aggiunto in data lunedì 4 marzo 2024 09:02:00",
         "note", None, "loc 71", datetime(2024, 3, 4, 9, 2)),
        ("- 在位置 #1209 的文章剪切 | 添加于 2016年3月5日星期六 下午8:01:21",
         "highlight", None, "loc 1209", datetime(2016, 3, 5, 20, 1, 21)),
        ("- Highlight Loc. 563-64  | Added on Saturday, 29 April 17 21:23:29 GMT-02:23",
         "highlight", None, "loc 563-564", datetime(2017, 4, 29, 21, 23, 29)),
    ],
)  # fmt: skip
def test_metadata_lines_in_many_languages(meta, kind, page, location, when):
    parsed = kindle.parse(f"A Book (An Author)\n{meta}\n\nSome words.\n{SEP}\n".encode())
    (item,) = parsed.highlights
    assert (item.kind, item.page, item.location, item.when) == (kind, page, location, when)


def test_bookmarks_in_other_languages_are_skipped():
    metas = [
        "- Ihr Lesezeichen bei Position 1461 | Hinzugefügt am Mittwoch, 14. Juli 2021 17:51:15",
        "- 您在位置 #1 的书签 | 添加于 2014年11月29日星期六 上午1:00:16",
        "- Votre signet à l'emplacement 33 | Ajouté le lundi 4 mars 2024 21:04:10",
    ]
    raw = "".join(f"A Book (An Author)\n{meta}\n\n\n{SEP}\n" for meta in metas).encode()
    assert kindle.parse(raw).skipped == {"bookmarks": 3}


def test_the_title_line():
    assert kindle.split_title("Le deuxieme sexe_tome1 (Beauvoir de,Simone)") == (
        "Le deuxieme sexe_tome1",
        ["Simone Beauvoir de"],
    )
    assert kindle.split_title("Les vaisseaux du coeur (Littérature) (French Edition) (Groult, Benoîte)") == (
        "Les vaisseaux du coeur (Littérature) (French Edition)",
        ["Benoîte Groult"],
    )
    assert kindle.split_title("Test ") == ("Test", [])
    # nested brackets: the last balanced group is the author
    assert kindle.split_title("Winter Tea (Tea Poems 2) (Sato (Aki))") == (
        "Winter Tea (Tea Poems 2)",
        ["Sato (Aki)"],
    )
    # the author first and the title in brackets: turned round when the shapes say so
    assert kindle.split_title("Ada B. Okafor (A Short History of the Salt Road (2019))") == (
        "A Short History of the Salt Road (2019)",
        ["Ada B. Okafor"],
    )
    assert kindle.split_title("Regular Tide Tables (Ann Lee and Bo Park)") == (
        "Regular Tide Tables",
        ["Ann Lee and Bo Park"],
    )


def test_sniffing_tells_clippings_from_other_files():
    assert format_of(clippings(ENGLISH, english_date)[:4096], "My Clippings.txt") == "kindle"
    assert format_of(b"Title,Author,ISBN\nDune,Frank Herbert,\n", "x.csv") is None


@needs_shared
@pytest.mark.parametrize(
    ("name", "highlights", "notes", "skipped", "books"),
    [
        ("en_highlights_notes_bookmark_growing-dupes_bom_crlf.txt", 100, 35, {"bookmarks": 1}, 3),
        ("en_oldformat_highlight-loc_bookmarks_bom_crlf.txt", 101, 1, {"bookmarks": 3}, 9),
        ("de_cut200_cliplimit-placeholder_bookmark_page-and-position_bom.txt", 140, 0,
         {"bookmarks": 1, "clipping-limit placeholders": 60}, 3),
        ("ru_endash_notes_page-and-location_boms.txt", 5, 4, {}, 4),
        ("zh_cut200_article-clips_bookmarks_notes_page-and-location_crlf_boms.txt", 157, 36, {"bookmarks": 7}, 13),
        ("zh_page-and-location_bookmarks_boms.txt", 110, 0, {"bookmarks": 16}, 17),
    ],
)  # fmt: skip
def test_real_clippings(name, highlights, notes, skipped, books):
    parsed = kindle.parse((SHARED / "kindle" / name).read_bytes())
    kinds = [h.kind for h in parsed.highlights]
    assert (kinds.count("highlight"), kinds.count("note")) == (highlights, notes)
    assert dict(parsed.skipped) == skipped
    assert not parsed.rejects
    assert all(h.when is not None for h in parsed.highlights)  # every real date is read
    assert all(h.location or h.page for h in parsed.highlights)
    assert len(group_by_book(parsed.highlights)) == books


@needs_shared
def test_every_real_clippings_file_reads_without_rejects():
    for path in sorted((SHARED / "kindle").iterdir()):
        assert format_of(path.read_bytes()[:4096], path.name) == "kindle", path.name
        parsed = kindle.parse(path.read_bytes())
        assert parsed.highlights and not parsed.rejects, path.name
