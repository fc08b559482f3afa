"""One import registry: e-reader highlights are importers like every other format (`--from kindle` and
friends), told from their content in the same place, and `import --help` lists what is registered."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from conftest import snapshot
from test_highlights_formats import NEW_SIDECAR, READWISE, make_kobo
from test_highlights_kindle import ENGLISH, clippings, english_date

HIGHLIGHTS = ("kobo", "koreader", "readwise", "kindle")


def quotes_of(books: Path, slug: str) -> list[str]:
    return [q["text"] for q in tomllib.loads((books / f"{slug}.toml").read_text()).get("quotes", [])]


def test_highlights_formats_are_on_the_registry_and_add_no_books_of_their_own():
    from readlog import importers

    on = {i.name: i for i in importers.registry()}
    assert set(HIGHLIGHTS) <= set(on)
    assert all(on[name].adds_books is False for name in HIGHLIGHTS)
    assert on["goodreads"].adds_books is True
    # asked before the book exports, as they were before they joined the registry
    names = importers.formats()
    assert names[: len(HIGHLIGHTS)] == list(HIGHLIGHTS)


def test_from_kindle_imports_the_clippings_as_auto_detection_does(run, tmp_path, books):
    path = tmp_path / "My Clippings.txt"
    path.write_bytes(clippings(ENGLISH, english_date))
    told = run("import", str(path), "--from", "kindle").stderr
    assert (
        told.splitlines()[-1]
        == "kindle highlights: 4 added to 2 books (2 created); skipped 1 bookmark; 0 rejected"
    )
    assert len(quotes_of(books, "the-salt-road")) == 3
    again = run("import", str(path)).stderr  # detected from the content: the same importer, nothing new
    assert "kindle highlights: 0 added to 2 books (0 created)" in again


@pytest.mark.parametrize("fmt", ["kobo", "koreader", "readwise", "goodreads"])
def test_from_another_format_refuses_the_clippings_and_writes_nothing(run, tmp_path, journal_home, fmt):
    path = tmp_path / "My Clippings.txt"
    path.write_bytes(clippings(ENGLISH, english_date))
    run("add", "The Salt Road", "--author", "Ada Okafor")
    before = snapshot(journal_home / "books")
    result = run("import", str(path), "--from", fmt, code=1)
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.output
    assert snapshot(journal_home / "books") == before


def test_from_kindle_refuses_a_readwise_file_rather_than_reading_nothing(run, tmp_path):
    path = tmp_path / "readwise.csv"
    path.write_text(READWISE)
    result = run("import", str(path), "--from", "kindle", code=1)
    assert result.stderr.strip() == f"readlog: error: {path} is not a Kindle highlights file"


@pytest.mark.parametrize(
    ("fmt", "made", "title"),
    [("readwise", "readwise.csv", "Maps of Nowhere"), ("kobo", "KoboReader.sqlite", "Lanterns")],
)
def test_from_each_highlights_format(run, tmp_path, books, fmt, made, title):
    path = tmp_path / made
    if fmt == "kobo":
        make_kobo(path)
    else:
        path.write_text(READWISE)
    out = run("import", str(path), "--from", fmt, "--create", "read", code=1)  # each fixture has a bad row
    assert f"{fmt} highlights:" in out.stderr
    assert any(title in line for line in out.stderr.splitlines())


def device(tmp_path: Path) -> Path:
    folder = tmp_path / "device"
    (folder / "documents").mkdir(parents=True)
    (folder / "documents" / "My Clippings.txt").write_bytes(clippings(ENGLISH, english_date))
    (folder / "wells.sdr").mkdir()
    (folder / "wells.sdr" / "metadata.epub.lua").write_text(NEW_SIDECAR)
    return folder


def test_a_folder_is_read_for_every_highlights_format_unless_from_names_one(run, tmp_path):
    folder = device(tmp_path)
    every = run("import", str(folder), "--dry-run").stderr.splitlines()[-1]
    assert every.startswith("kindle+koreader highlights: 6 would be added to 3 books")
    only = run("import", str(folder), "--from", "kindle", "--dry-run").stderr.splitlines()[-1]
    assert only.startswith("kindle highlights: 4 would be added to 2 books")
    sidecars = run("import", str(folder), "--from", "koreader", "--dry-run").stderr.splitlines()[-1]
    assert sidecars.startswith("koreader highlights: 2 would be added to 1 book ")


def test_a_folder_for_a_format_that_keeps_no_files_there(run, tmp_path):
    result = run("import", str(device(tmp_path)), "--from", "readwise", code=1)
    assert "no Readwise" not in result.stderr and result.stderr.count("\n") == 1
    empty = tmp_path / "empty"
    empty.mkdir()
    result = run("import", str(empty), code=1)
    assert "holds no highlights" in result.stderr and "Kindle My Clippings.txt" in result.stderr
    assert (
        run("import", str(empty), "--from", "goodreads", code=1)
        .stderr.strip()
        .endswith("is a folder: give the export file")
    )


def test_an_unknown_from_lists_the_registry(run, tmp_path):
    path = tmp_path / "x.txt"
    path.write_text("x")
    err = run(
        "import", str(path), "--from", "nook", code=2
    ).stderr  # a typed value not among the choices: usage
    assert "'nook' is not a format" in err
    assert all(name in err for name in (*HIGHLIGHTS, "goodreads", "json"))


def test_import_help_lists_every_registered_format_and_no_hand_kept_list(run):
    from readlog import importers

    text = " ".join(run("import", "--help").stdout.split())
    for importer in importers.registry():
        assert importer.name in text and importer.label in text
    source = (Path(importers.__file__).parent.parent / "cli" / "transfer.py").read_text()
    source = source[: source.index("def export(")]
    assert "Goodreads" not in source and "Kindle" not in source and "storygraph" not in source


def test_a_third_party_highlights_format_joins_detection_and_folders(run, tmp_path, books):
    """A quotes-only format registered from outside the package: its file is told from its content, a
    device folder is searched for it beside the built-ins' files, and its books are matched through the
    same highlight policy (one group with the Kindle's highlights of the same book)."""
    from readlog import importers
    from readlog.highlights.records import Highlight, Parsed
    from readlog.importers.highlights import HighlightsImporter

    class Scribe(HighlightsImporter):
        name, label = "scribe", "Scribe"
        folders = ("**/*.scribe",)

        @classmethod
        def sniff(cls, head, filename):
            return head.startswith(b"SCRIBE\n")

        def parse(self, path):
            parsed = Parsed(self.name)
            for number, line in enumerate(path.read_text().splitlines()[1:], 2):
                title, author, text = line.split("|")
                parsed.highlights.append(Highlight(self.name, title, [author], text, line=number))
            return parsed

    importers.register(Scribe)
    try:
        folder = device(tmp_path)
        (folder / "notes").mkdir()
        (folder / "notes" / "a.scribe").write_text("SCRIBE\nThe Salt Road|Ada Okafor|Wells are patient.\n")
        told = run("import", str(folder / "notes" / "a.scribe"), "--dry-run").stderr.splitlines()[-1]
        assert told.startswith("scribe highlights: 1 would be added to 1 book (1 would be created)")
        every = run("import", str(folder)).stderr.splitlines()[-1]
        assert every.startswith("kindle+scribe+koreader highlights: 7 added to 3 books (3 created)")
        assert "Wells are patient." in quotes_of(books, "the-salt-road")
        assert len(quotes_of(books, "the-salt-road")) == 4  # the Kindle's three and this one: one book
    finally:
        importers.REGISTRY.remove(Scribe)


@pytest.mark.parametrize(
    "text, known",
    [
        ('[build-system]\nrequires = ["hatchling"]\n', False),  # a pyproject.toml given by mistake
        ("[section]\nkey=value\n", False),  # an INI file
        ('[\n  {"title": "Dune"}\n]\n', True),  # readlog's own JSON export
        ("[]\n", True),  # an empty one
        ('  [ {"title": "Emma"} ]', True),
    ],
)
def test_a_toml_or_ini_file_is_not_taken_for_readlogs_json(run, tmp_path, journal_home, text, known):
    path = tmp_path / "given.toml"
    path.write_text(text, encoding="utf-8")
    result = run("import", str(path), code=0 if known else 1)
    if not known:
        assert "not an export readlog knows" in result.stderr and "JSON" not in result.stderr.split(";")[0]
        assert not journal_home.exists()


@pytest.mark.parametrize("kind", ["csv", "clippings"])
def test_a_create_value_outside_its_choices_is_a_usage_error_for_any_file(run, tmp_path, journal_home, kind):
    if kind == "csv":
        path = tmp_path / "export.csv"
        path.write_text("Book Id,Title,Author,Exclusive Shelf\n1,Dune,Frank Herbert,read\n", encoding="utf-8")
    else:
        path = tmp_path / "My Clippings.txt"
        path.write_text(
            "Dune (Frank Herbert)\n- Your Highlight on page 3 | Location 40-41 | Added on Monday, 3 March 2025 "
            "10:00:00\n\nFear is the mind-killer.\n==========\n",
            encoding="utf-8",
        )
    result = run("import", str(path), "--create", "bogus", code=2)
    assert "--create: 'bogus' is not one of want, reading, read, none" in result.stderr
    assert not journal_home.exists()


@pytest.mark.parametrize(
    "args",
    [
        ["import", ""],
        ["import", "  "],
        ["--data-dir", "", "add", "Emma"],
        ["export", "-f", "markdown", "-o", ""],
        ["site", ""],
        ["import", "My Clippings.txt", "--rejects", ""],
    ],
)
def test_an_empty_path_is_a_usage_error_not_this_folder(run, tmp_path, journal_home, monkeypatch, args):
    # `readlog import "$EXPORT"` (or `--data-dir "$DIR"`) with the variable unset: Typer made "" the folder
    # readlog runs in, and the import looked through all of it (a home folder) for highlights, the journal
    # was made there, the Markdown export written there.
    (tmp_path / "My Clippings.txt").write_text(
        "Dune (Frank Herbert)\n- Your Highlight on page 3 | Location 40-41 | Added on Monday, 3 March 2025 "
        "10:00:00\n\nFear is the mind-killer.\n==========\n",
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    result = run(*args, code=2)
    assert result.stderr.count("\n") == 1 and "names no file or folder" in result.stderr
    assert not journal_home.exists() and [p.name for p in tmp_path.iterdir()] == ["My Clippings.txt"]


def test_a_dot_still_names_this_folder(run, tmp_path, journal_home, monkeypatch):
    (tmp_path / "My Clippings.txt").write_text(
        "Dune (Frank Herbert)\n- Your Highlight on page 3 | Location 40-41 | Added on Monday, 3 March 2025 "
        "10:00:00\n\nFear is the mind-killer.\n==========\n",
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    run("import", ".", "--create", "read")
    assert (journal_home / "books").is_dir()
