"""Control characters (a NUL byte, an escape, C1) in an export's one-line fields are dropped at import
(importers.common); a review keeps its newlines and tabs. `check` lists a book file whose title, authors, tags
or aliases hold one (a notice: `add` stores what was typed), and nothing else. Near misses first."""

from __future__ import annotations

import json
import tomllib

import pytest

from readlog.importers.common import clean_name, comma_list, html_to_markdown, split_series
from test_import_export import GR_HEADER, SG_HEADER, gr_row, sg_row, write_csv


@pytest.mark.parametrize(
    ("cell", "clean"),
    [
        ("Steve Jobs", "Steve Jobs"),  # near misses: nothing to drop
        ("  Walter   Isaacson ", "Walter Isaacson"),
        (
            "Zoë\u202e é 😀 ノルウェイの森",
            "Zoë\u202e é 😀 ノルウェイの森",
        ),  # format characters, emoji, CJK stay
        ("\x00Steve Jobs", "Steve Jobs"),
        ("Steve\x00 Jobs", "Steve Jobs"),
        ("\x1b[31mRed\x1b[0m", "Red"),  # (a terminal escape sequence goes whole)
        ("[31mRed[0m", "[31mRed[0m"),  # near miss: no escape, nothing to drop
        ("\x1b]0;owned\x07Title", "Title"),
        ("C1\x9b here\x85", "C1 here"),
        ("bell\x07\x08", "bell"),
        ("\x00", ""),
    ],
)
def test_clean_name(cell, clean):
    assert clean_name(cell) == clean


def test_titles_series_and_lists_lose_them_too():
    assert split_series("\x00Dune (Dune\x00, #1)") == ("Dune", [{"name": "Dune", "number": "1"}])
    assert comma_list("a\x00, b\x1b") == ["a", "b"]


def test_a_review_keeps_its_lines_and_tabs():
    assert html_to_markdown("one\ttwo<br/><br/>three") == html_to_markdown("one\x00\ttwo<br/><br/>thr\x07ee")
    assert "\t" in html_to_markdown("one\ttwo\x00")
    assert "\x00" not in html_to_markdown("<p>a</p>\x00<br/>b")


def test_import_drops_them_and_check_has_nothing_to_say(run, tmp_path, books):
    filler = [
        gr_row(**{"Book Id": str(n), "Title": f"Filler {n}", "My Review": "x" * 400}) for n in range(2, 200)
    ]
    rows = [  # (after 64 KB: a NUL byte in the first is a binary file, refused whole)
        *filler,
        gr_row(**{"Book Id": "1", "Title": "\x00Steve Jobs Copy 9-3001", "Author": "Walter\x00 Isaacson",
                  "Bookshelves": "bio\x1bgraphy", "My Review": "Good.\x07<br/><br/>Tab\there."}),
    ]  # fmt: skip
    run("import", str(write_csv(tmp_path / "gr.csv", GR_HEADER, rows)))
    run(
        "import",
        str(
            write_csv(tmp_path / "sg.csv", SG_HEADER, [sg_row(Title="Dune\x1b", Authors="Frank\x9b Herbert")])
        ),
    )
    texts = {
        path.name: path.read_text() for path in books.glob("*.toml") if not path.name.startswith("filler")
    }
    assert set(texts) == {"steve-jobs-copy-9-3001.toml", "dune.toml"}
    assert not any(
        code in text for text in texts.values() for code in ("\\u0000", "\\u001b", "\\u0007", "\\u009b")
    )
    jobs = tomllib.loads(texts["steve-jobs-copy-9-3001.toml"])
    assert (jobs["title"], jobs["authors"], jobs["tags"]) == (
        "Steve Jobs Copy 9-3001",
        ["Walter Isaacson"],
        ["biography"],
    )
    assert jobs["review"]["body"] == "Good.\n\nTab\there.\n"
    assert tomllib.loads(texts["dune.toml"])["authors"] == ["Frank Herbert"]
    assert "control character" not in run("check").stderr


def test_check_lists_a_title_with_one(run, books):
    run("add", "Plain", "-a", "Someone", input="")
    run("add", "Odd\u202e 😀", "-a", "Someone", input="")  # near miss: no control character
    (books / "steve-jobs.toml").write_text('title = "\\u0000Steve Jobs"\nauthors = ["Walter Isaacson"]\n')
    (books / "tabbed.toml").write_text('title = "Tabbed"\nauthors = ["A\\u001bB"]\ntags = ["x\\ty"]\n')
    result = run("check")  # a notice: exit 0
    said = result.stdout + result.stderr
    assert "steve-jobs.toml:1: title: '␀Steve Jobs' holds a control character (U+0000)" in said
    assert "tabbed.toml:2: authors: 'A␛B' holds a control character (U+001B)" in said
    assert "tabbed.toml" in said and "tags:" in said
    assert "plain.toml" not in said and "odd" not in said
    assert "all good (3 control characters to take out)" in said
    report = json.loads(run("check", "--json").stdout)
    assert [p["kind"] for p in report["problems"]] == ["control-character"] * 3


def test_the_quick_check_finds_exactly_the_controls_a_review_loses():
    from readlog.importers.common import _TEXT_CONTROLS, _has_control

    for code in range(0x3000):
        for text in (f"plain {chr(code)} text", f"é {chr(code)}"):  # (ASCII as bytes; the rest: the pattern)
            assert _has_control(text) is (code in _TEXT_CONTROLS), (code, text)
