"""StoryGraph's `Contributors` come out as the export says them (t22g: "the author becomes a translator").
Why it happened: the real export itself credits Leo Tolstoy as translator of *War and Peace* (`Leo Tolstoy
(Translator), Louise Maude (Translator)`, 1 row in 327); the importer read the column rightly. It is kept:
self-translations are real, and readlog cannot tell which. The quirks the column can have, each with a
fixture of its own: a suffix after a comma, a role with a comma in it, a bracket in a name, a name said
twice, a name with no role."""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pytest

from readlog.importers.storygraph import credits, parse_row

HEAD = (
    "Title,Authors,Contributors,ISBN/UID,Format,Read Status,Date Added,Last Date Read,Dates Read,Read Count"
)


def row(contributors: str, authors: str = "Ann Author") -> dict[str, str]:
    cells = ["A Book", authors, contributors, "", "paperback", "to-read", "2025/02/23", "", "", "0"]
    return dict(zip(HEAD.split(","), cells, strict=True))


def translators(contributors: str, authors: str = "Ann Author") -> list[str] | None:
    return parse_row(row(contributors, authors)).extra.get("translators")


def test_plain_roles_near_misses_first():
    assert translators("") is None
    assert translators("Kate Rudd") is None  # a name with no role: not a translator
    assert translators("Robert Mighall (Contributor)") is None
    assert translators("Stuart Gilbert (Translator)") == ["Stuart Gilbert"]
    assert translators("Daniel Liévano (Illustrator), Philip Gabriel (Translator)") == ["Philip Gabriel"]


def test_a_suffix_after_a_comma_stays_with_its_name():
    assert translators("Martin Luther King, Jr. (Translator)") == ["Martin Luther King, Jr."]
    assert credits("Lord Byron, Charles E. Robinson (Contributor)") == [
        ("Lord Byron", ""),
        ("Charles E. Robinson", "Contributor"),
    ]  # near miss: a name, not a suffix, after the comma


def test_a_role_with_a_comma_in_it_is_one_entry():
    assert translators("Jane Roe (Translator, Editor), Bob Poe") == ["Jane Roe"]


def test_a_bracket_in_a_name_keeps_the_last_one_as_the_role():
    assert translators("Xu Yuanchong (许渊冲) (Translator)") == ["Xu Yuanchong (许渊冲)"]


def test_a_name_said_twice_is_kept_once():
    assert translators("Betty Radice (Translator), Betty Radice (Translator)") == ["Betty Radice"]
    assert credits("Betty Radice (Translator), Betty Radice (Translator)") == [("Betty Radice", "Translator")]


def test_the_author_credited_as_translator_is_kept_as_the_export_says():
    got = translators("Leo Tolstoy (Translator), Louise Maude (Translator)", authors="Leo Tolstoy")
    assert got == ["Leo Tolstoy", "Louise Maude"]


REAL = Path(os.environ.get("READLOG_TEST_IMPORTS", "/nonexistent"))
REAL_STORYGRAPH = REAL / "storygraph_tranguyeenn_optimization-books-engine.csv"


@pytest.mark.skipif(not REAL_STORYGRAPH.is_file(), reason="READLOG_TEST_IMPORTS (the real exports) not set")
def test_the_real_export_s_translators_are_the_ones_it_credits(run, books):
    rows = list(csv.DictReader(REAL_STORYGRAPH.open(encoding="utf-8")))
    said = {}
    for cells in rows:
        book = parse_row(cells)
        said[cells["Title"].strip(), cells["ISBN/UID"]] = book.extra.get("translators")
    assert sum(1 for t in said.values() if t) == 33
    assert said["War and Peace", "9780192833983"] == ["Leo Tolstoy", "Louise Maude"]
    assert said["Second Treatise of Government", "9780915144860"] is None  # no role given
    assert said["Praise of Folly", "9780140446081"] == ["Betty Radice"]
    assert said["Kafka on the Shore", ""] == ["Philip Gabriel"]
    assert said["Anna Karenina", "9780345803924"] == [
        "Louise Maude",
        "Constance Garnett",
        "George Gibian",
        "Dmitriy Butko",
        "Aylmer Maude",
    ]
    run("import", str(REAL_STORYGRAPH))
    shown = run("show", "war-and-peace").stdout
    assert "by Leo Tolstoy" in shown and "translated by Leo Tolstoy, Louise Maude" in shown
