"""KOReader (JSON export, Lua sidecars), Kobo (KoboReader.sqlite) and Readwise (CSV): small files of our own
for each quirk, then the real samples."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime
from pathlib import Path

import pytest

from readlog.highlights import format_of, kobo, koreader, lua, read, readwise
from test_highlights_kindle import SHARED, needs_shared

# --- the Lua reader ---------------------------------------------------------------------------------------


def test_lua_tables_are_read_as_data():
    text = r"""-- /books/x.sdr/metadata.epub.lua
return {
    ["a"] = "line one\
line two",
    ['b'] = 'single \'quoted\' \65\066',
    c = [[long
string]],
    ["n"] = -12.5e1, ["hex"] = 0x1F, ["t"] = true, ["f"] = false, ["nothing"] = nil;
    [1] = { [1] = "x", [2] = { "y", "z" } },
    "positional",
    --[[ a block
    comment ]]
}
"""
    assert lua.loads(text) == {
        "a": "line one\nline two",
        "b": "single 'quoted' AB",
        "c": "long\nstring",
        "n": -125.0,
        "hex": 31,
        "t": True,
        "f": False,
        "nothing": None,
        1: "positional",
    }


def test_lua_utf8_by_decimal_escapes():
    assert lua.loads(r'return { "caf\195\169" }') == {1: "café"}


@pytest.mark.parametrize(
    "text",
    ['return { os.execute("rm -rf /") }', "return { a = 1 + 2 }", "return { a = f() }", "return { a = 1"],
)
def test_lua_code_is_never_run_only_refused(text):
    with pytest.raises(lua.LuaError) as error:
        lua.loads(text)
    assert error.value.line == 1


def test_lua_nesting_is_bounded():
    with pytest.raises(lua.LuaError, match="nested too deeply"):
        lua.loads("return " + "{" * 200 + "}" * 200)


# --- KOReader ---------------------------------------------------------------------------------------------
NEW_SIDECAR = r"""-- we can read Lua syntax here!
return {
    ["annotations"] = {
        [1] = {
            ["chapter"] = "The Well",
            ["datetime"] = "2024-05-02 21:10:00",
            ["drawer"] = "lighten",
            ["note"] = "like my grandmother's",
            ["page"] = "/body/DocFragment[4]/body/p[3]/text().0",
            ["pageno"] = 31,
            ["pos0"] = "/body/DocFragment[4]/body/p[3]/text().0",
            ["pos1"] = "/body/DocFragment[4]/body/p[3]/text().80",
            ["text"] = "Water finds the lowest place and calls it home.",
        },
        [2] = {
            ["chapter"] = "The Well",
            ["datetime"] = "2024-05-01 08:00:00",
            ["page"] = "/body/DocFragment[4]/body/p[1]/text().0",
            ["pageno"] = 29,
            ["text"] = "in The Well",
        },
        [3] = {
            ["chapter"] = "Rain",
            ["datetime"] = "2024-05-03 07:30:00",
            ["drawer"] = "underscore",
            ["color"] = "red",
            ["pageno"] = 40,
            ["pos0"] = "/body/DocFragment[5]/body/p[2]/text().0",
            ["pos1"] = "/body/DocFragment[5]/body/p[3]/text().10",
            ["text"] = "It rained the way\
old men tell stories.",
        },
    },
    ["doc_props"] = {
        ["authors"] = "Ines Bell\
Hugo Marsh",
        ["title"] = "A Country of Wells",
    },
}
"""

LEGACY_SIDECAR = r"""return {
    ["bookmarks"] = {
        [1] = {
            ["chapter"] = "The Well",
            ["datetime"] = "2024-05-02 21:10:00",
            ["highlighted"] = true,
            ["notes"] = "Water finds the lowest place and calls it home.",
            ["pos0"] = "/body/DocFragment[4]/body/p[3]/text().0",
            ["text"] = "like my grandmother's",
        },
        [2] = {
            ["chapter"] = "Rain",
            ["datetime"] = "2024-05-03 07:30:00",
            ["highlighted"] = true,
            ["notes"] = "It rained the way\
old men tell stories.",
            ["pos0"] = "/body/DocFragment[5]/body/p[2]/text().0",
            ["text"] = "Page 40 It rained the way old men tell stories. @ 2024-05-03 07:30:00",
        },
        [3] = { ["notes"] = "in The Well", ["page"] = "/body/DocFragment[4]/body/p[1]/text().0" },
    },
    ["highlight"] = {
        [31] = { [1] = { ["chapter"] = "The Well", ["datetime"] = "2024-05-02 21:10:00",
                         ["text"] = "Water finds the lowest place and calls it home." } },
        [40] = { [1] = { ["chapter"] = "Rain", ["datetime"] = "2024-05-03 07:30:00",
                         ["text"] = "It rained the way\
old men tell stories." } },
    },
    ["doc_props"] = { ["authors"] = "Ines Bell\
Hugo Marsh", ["title"] = "A Country of Wells" },
}
"""


def rows(parsed):
    return [(h.title, tuple(h.authors), h.page, h.chapter, h.note, h.when, h.text) for h in parsed.highlights]


EXPECTED_WELLS = [
    ("A Country of Wells", ("Ines Bell", "Hugo Marsh"), 31, "The Well", "like my grandmother's",
     datetime(2024, 5, 2, 21, 10), "Water finds the lowest place and calls it home."),
    ("A Country of Wells", ("Ines Bell", "Hugo Marsh"), 40, "Rain", None,
     datetime(2024, 5, 3, 7, 30), "It rained the way\nold men tell stories."),
]  # fmt: skip


def test_koreader_annotations_sidecar():
    parsed = koreader.parse_lua(NEW_SIDECAR.encode())
    assert rows(parsed) == EXPECTED_WELLS
    assert parsed.skipped == {"bookmarks": 1}


def test_koreader_legacy_sidecar_gives_the_same_highlights():
    parsed = koreader.parse_lua(LEGACY_SIDECAR.encode())
    assert rows(parsed) == EXPECTED_WELLS  # the auto text "Page 40 ... @ ..." is not a note
    assert parsed.skipped == {"bookmarks": 1}
    assert [h.key for h in parsed.highlights] == [
        h.key for h in koreader.parse_lua(NEW_SIDECAR.encode()).highlights
    ]


def test_koreader_json_documents():
    data = {
        "documents": [
            {
                "title": "Small Hours",
                "author": "Ray Ode",
                "entries": [
                    {"text": "Clocks are polite liars.", "page": 3, "time": 1704067200, "chapter": "One",
                     "note": "ha", "drawer": "lighten", "sort": "highlight"},
                    {"text": "", "page": 4, "time": 1704067300, "sort": "highlight"},
                ],
            },
            {"title": "Second", "author": "A; B", "entries": [{"text": "x", "page": 1, "time": 0}]},
            "not a document",
        ]
    }  # fmt: skip
    parsed = koreader.parse_json(json.dumps(data).encode())
    assert rows(parsed) == [
        ("Small Hours", ("Ray Ode",), 3, "One", "ha", datetime(2024, 1, 1, 0, 0), "Clocks are polite liars."),
        ("Second", ("A", "B"), 1, None, None, None, "x"),
    ]
    assert parsed.skipped == {"empty entries": 1}
    assert [r.line for r in parsed.rejects] == [3]


def test_a_folder_of_sdr_sidecars(tmp_path: Path):
    for name, text in (("wells.sdr", NEW_SIDECAR), ("empty.sdr", "return { annotations = {} }")):
        (tmp_path / name).mkdir()
        (tmp_path / name / "metadata.epub.lua").write_text(text)
    fmt, parsed = read(tmp_path)
    assert fmt == "koreader" and len(parsed.highlights) == 2


@needs_shared
@pytest.mark.parametrize(
    ("name", "count", "notes", "bookmarks"),
    [
        ("metadata.epub.lua.legacy-highlight-bookmarks_note.lua", 3, 1, 1),
        ("metadata.epub.lua.new-annotations_plus-migrated-legacy_note_bookmark.lua", 3, 1, 1),
        ("metadata.epub.lua.new-annotations_frankenstein.lua", 4, 1, 1),
        ("metadata.epub.lua.empty-annotations.lua", 0, 0, 0),
        ("metadata.epub.lua.new-annotations_colors_drawers_notes_updated.lua", 4, 2, 0),
    ],
)
def test_real_koreader_sidecars(name, count, notes, bookmarks):
    path = SHARED / "koreader" / name
    parsed = koreader.parse_lua(path.read_bytes())
    assert len(parsed.highlights) == count and not parsed.rejects
    assert sum(1 for h in parsed.highlights if h.note) == notes
    assert parsed.skipped.get("bookmarks", 0) == bookmarks
    assert all(h.chapter and h.when for h in parsed.highlights)


@needs_shared
def test_the_migrated_sidecar_keys_match_the_legacy_ones():
    legacy = koreader.parse_lua(
        (SHARED / "koreader" / "metadata.epub.lua.legacy-highlight-bookmarks_note.lua").read_bytes()
    )
    new = koreader.parse_lua(
        (
            SHARED / "koreader" / "metadata.epub.lua.new-annotations_plus-migrated-legacy_note_bookmark.lua"
        ).read_bytes()
    )
    assert sorted(h.key for h in legacy.highlights) == sorted(h.key for h in new.highlights)


@needs_shared
def test_real_koreader_json():
    path = SHARED / "koreader" / "koreader-export_json-1.0.0_single-document.json"
    assert format_of(path.read_bytes()[:4096], path.name) == "koreader"
    parsed = koreader.parse_json(path.read_bytes())
    assert len(parsed.highlights) == 56 and not parsed.rejects
    first = parsed.highlights[0]
    assert (first.title, first.authors, first.page, first.chapter) == (
        "My Year of Rest and Relaxation",
        ["Ottessa Moshfegh"],
        12,
        "Chapter One",
    )


# --- Kobo -------------------------------------------------------------------------------------------------
def make_kobo(path: Path) -> Path:
    db = sqlite3.connect(path)
    db.executescript(
        """
        CREATE TABLE content (ContentID TEXT, ContentType INTEGER, Title TEXT, Attribution TEXT,
                              VolumeIndex INTEGER, BookID TEXT);
        CREATE TABLE Bookmark (BookmarkID TEXT, VolumeID TEXT, ContentID TEXT, Text TEXT, Annotation TEXT,
                               DateCreated TEXT, ChapterProgress REAL, Hidden BOOL, Type TEXT);
        INSERT INTO content VALUES ('book1', 6, 'Lanterns', 'Odile Fen', NULL, NULL);
        INSERT INTO content VALUES ('book1!!ch2', 9, 'The Second Lantern', NULL, 2, 'book1');
        INSERT INTO Bookmark VALUES ('b1', 'book1', 'book1!!ch2', 'Light is a rumour of fire.', 'so true',
                                     '2024-12-22T18:27:33.501', 0.5, 'false', 'note');
        INSERT INTO Bookmark VALUES ('b2', 'book1', 'book1!!missing#x', 'Dark is patient.', '',
                                     '2024-12-21T10:00:00.000', 0.1, 'false', 'highlight');
        INSERT INTO Bookmark VALUES ('b3', 'book1', 'book1!!ch2', 'hidden words', NULL,
                                     '2024-12-22T18:00:00', 0.2, 'true', 'highlight');
        INSERT INTO Bookmark VALUES ('b4', 'book1', 'book1!!ch2', NULL, NULL, '2024-12-22T19:00:00', 0.9,
                                     'false', 'dogear');
        INSERT INTO Bookmark VALUES ('b5', 'gone', 'gone!!ch1', 'Orphaned line.', NULL, '2024-12-22T19:00:00',
                                     0.3, 'false', 'highlight');
        """
    )
    db.commit()
    db.close()
    return path


def test_kobo_database(tmp_path: Path):
    path = make_kobo(tmp_path / "KoboReader.sqlite")
    before = path.read_bytes()
    assert format_of(before[:4096], path.name) == "kobo"
    parsed = kobo.parse(path)
    assert [(h.title, h.authors, h.text, h.note, h.chapter, h.location, h.when) for h in parsed.highlights] == [
        ("Lanterns", ["Odile Fen"], "Dark is patient.", None, None, "10% of the chapter",
         datetime(2024, 12, 21, 10, 0)),
        ("Lanterns", ["Odile Fen"], "Light is a rumour of fire.", "so true", "The Second Lantern",
         "The Second Lantern, 50%", datetime(2024, 12, 22, 18, 27, 33)),
    ]  # fmt: skip
    assert parsed.skipped == {"hidden": 1, "bookmarks": 1}
    assert len(parsed.rejects) == 1 and "b5" in parsed.rejects[0].reason
    assert path.read_bytes() == before  # only a copy was opened


@needs_shared
def test_real_kobo_databases():
    big = kobo.parse(SHARED / "kobo" / "KoboReader_trimmed_3books_highlights_notes_dogears.sqlite")
    assert len(big.highlights) == 192 and big.skipped["bookmarks"] == 2 and not big.rejects
    assert sum(1 for h in big.highlights if h.note) == 12
    small = kobo.parse(SHARED / "kobo" / "KoboReader_trimmed_suntzu_2highlights_2notes.sqlite")
    assert [h.note for h in small.highlights] == ["Such a cool quote! Amazing!", None, None, "Test"]
    assert "淮南子" in small.highlights[3].text


# --- Readwise ---------------------------------------------------------------------------------------------
READWISE = (
    "Highlight,Book Title,Book Author,Amazon Book ID,Note,Color,Tags,Location Type,Location,Highlighted at,"
    "Document tags\n"
    '"A map is a story, told sideways.",Maps of Nowhere,"Kit Reyes",B000,nice,yellow,,location,812,'
    "2023-04-01 10:11:12+00:00,\n"
    '"Page words",Maps of Nowhere,Kit Reyes,,,,,page,33,2023-04-02 09:00:00+00:00,\n'
    ",Maps of Nowhere,Kit Reyes,,,,,page,34,,\n"
    '"no title",,Someone,,,,,order,1,not a date,\n'
    '"short row",Maps\n'
)


def test_readwise_csv():
    raw = READWISE.encode()
    assert format_of(raw[:4096], "readwise-data.csv") == "readwise"
    parsed = readwise.parse(raw)
    assert [(h.title, h.authors, h.page, h.location, h.note, h.when) for h in parsed.highlights] == [
        ("Maps of Nowhere", ["Kit Reyes"], None, "loc 812", "nice", datetime(2023, 4, 1, 10, 11, 12)),
        ("Maps of Nowhere", ["Kit Reyes"], 33, None, None, datetime(2023, 4, 2, 9, 0)),
    ]
    assert parsed.skipped == {"empty highlights": 1}
    assert [(r.line, r.reason) for r in parsed.rejects] == [
        (5, "no Book Title"),
        (6, "the row's fields do not match the header"),
    ]


def test_other_exports_are_not_taken_for_highlights():
    readlog_json = json.dumps(
        {"slug": "x", "title": "X", "review": {"body": '"entries": [ and ==========\n- a | b'}}
    )
    assert format_of(readlog_json.encode(), "x.json") is None
    goodreads = 'Book Id,Title,Author,Exclusive Shelf,My Review\n1,X,Y,read,"==========\nline\n- a | b"\n'
    assert format_of(goodreads.encode(), "export.csv") is None
    assert format_of(b'{"title": "T", "entries": [{"text": "x"}]}', "t.json") == "koreader"
