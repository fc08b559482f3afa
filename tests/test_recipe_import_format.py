"""docs/ARCHITECTURE.md's recipe for a new import format, followed once with a toy format that exists only
here: step 1 is the class below (what `src/readlog/importers/<name>.py` would hold), step 2 is the
`register` call `_builtins()` makes for each built-in, step 3 (a README row) is prose. Then everything the
recipe says comes for free is checked: detection, `--from`, help, rejects, dry run, re-runs, `--update`."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import ClassVar

import pytest

from conftest import REPO
from readlog import importers
from readlog.importers.base import CsvImporter
from readlog.importers.common import RowError, source_columns
from readlog.model import Book


class BookBuddyImporter(CsvImporter):
    """Step 1. A toy export: `Buddy Title;Buddy Author;Buddy Stars` (semicolon-separated)."""

    name = "bookbuddy"
    label = "BookBuddy"
    source = "bookbuddy"
    delimiter = ";"
    required: ClassVar[tuple[str, ...]] = ("Buddy Title", "Buddy Author", "Buddy Stars")

    def parse_row(self, cells: dict[str, str]) -> Book:
        title, author = cells["Buddy Title"].strip(), cells["Buddy Author"].strip()
        if not title:
            raise RowError("Buddy Title: empty")
        stars = cells["Buddy Stars"].strip()
        if stars and not stars.isdigit():
            raise RowError(f"Buddy Stars: {stars!r} is not a whole number of stars")
        book = Book(title=title, authors=[author] if author else [], rating=int(stars) if stars else None)
        book.extra["source"] = {
            self.name: source_columns(cells, set(self.required))
        }  # the columns not mapped
        return book


@pytest.fixture
def toy():
    importers.register(BookBuddyImporter)  # step 2: what _builtins() does for each built-in
    try:
        yield BookBuddyImporter
    finally:
        importers.REGISTRY.remove(BookBuddyImporter)


HEADER = "Buddy Title;Buddy Author;Buddy Stars\n"


def export(tmp_path: Path, *rows: str) -> Path:
    path = tmp_path / "buddy-export.txt"  # the name says nothing: the content tells the format
    path.write_text(HEADER + "".join(f"{row}\n" for row in rows))
    return path


def books(run) -> dict[str, dict]:
    return {b["title"]: b for b in json.loads(run("export", "--format", "json").stdout)}


def test_the_recipe_names_three_files_and_they_are_the_ones_a_format_lives_in():
    recipe = (REPO / "docs" / "ARCHITECTURE.md").read_text()
    section = recipe[recipe.index("### Recipe: a new import format") :]
    section = section[: section.index("\n### ", 1)]
    named = re.findall(r"^\d\. `([^`]+)`", section, flags=re.M)
    assert named == ["src/readlog/importers/<name>.py", "src/readlog/importers/__init__.py", "README.md"]
    builtins = (REPO / "src" / "readlog" / "importers" / "__init__.py").read_text()
    assert "def _builtins()" in builtins and "register(importer)" in builtins
    assert "| `openreads` |" in (REPO / "README.md").read_text()  # the table a new row goes in


def test_detected_from_its_content_with_rejects_and_a_summary(run, tmp_path, toy):
    path = export(tmp_path, "The Lantern Year;Ines Varga;4", ";Nobody;3", "Stone Weather;Pell Marsh;lots")
    result = run("import", str(path), code=1)
    assert "BookBuddy export: 1 added, 0 updated, 0 skipped (already here), 2 rejected" in result.stderr
    assert f"rejected {path}:3: Buddy Title: empty" in result.stderr
    assert f"rejected {path}:4: Buddy Stars: 'lots' is not a whole number of stars" in result.stderr
    book = books(run)["The Lantern Year"]
    assert book["authors"] == ["Ines Varga"] and book["rating"] == 4
    assert "bookbuddy" in book["source"]  # the provenance the pipeline keeps for every format


def test_from_help_dry_run_rejects_file_and_re_runs(run, tmp_path, toy, journal_home):
    path = export(tmp_path, "The Lantern Year;Ines Varga;4", ";Nobody;3")
    help_text = " ".join(run("import", "--help").stdout.split())
    assert "bookbuddy" in help_text and "BookBuddy" in help_text
    dry = run("import", str(path), "--from", "bookbuddy", "--dry-run", code=1)
    assert "add: The Lantern Year" in dry.stdout and not (journal_home / "books").exists()
    rejects = tmp_path / "rejects.csv"
    run("import", str(path), "--from", "bookbuddy", "--rejects", str(rejects), code=1)
    assert list(csv.reader(io.StringIO(rejects.read_text()))) == [
        ["line", "reason", "Buddy Title", "Buddy Author", "Buddy Stars"],
        ["3", "Buddy Title: empty", "", "Nobody", "3"],
    ]
    again = run("import", str(path), code=1)
    assert "0 added, 0 updated, 1 skipped (already here)" in again.stderr


def test_update_brings_what_changed_and_keeps_what_the_reader_changed(run, tmp_path, toy):
    run("import", str(export(tmp_path, "The Lantern Year;Ines Varga;3", "Stone Weather;Pell Marsh;2")))
    run("rate", "stone weather", "5")  # the reader's own rating
    newer = export(tmp_path, "The Lantern Year;Ines Varga;4", "Stone Weather;Pell Marsh;1")
    result = run("import", str(newer), "--update")
    assert "kept your rating 5" in result.stderr + result.stdout
    now = books(run)
    assert now["The Lantern Year"]["rating"] == 4 and now["Stone Weather"]["rating"] == 5


def test_without_the_toy_on_the_registry_the_file_is_not_an_export(run, tmp_path):
    path = export(tmp_path, "The Lantern Year;Ines Varga;4")
    assert "not an export readlog knows" in run("import", str(path), code=1).stderr
    assert "'bookbuddy' is not a format" in run("import", str(path), "--from", "bookbuddy", code=2).stderr
