"""A big export's rows come back from the parsing workers without their books (base.PreparedRow): the main
process matches a row and names its file by the title, authors, year and keys that came beside it, writes
the text the worker made, and makes a book again from the row's cells only where one is needed whole
(editions joined, a merge into a journal book); the same files as ever (test_import_pipeline)."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from readlog import identity
from readlog.identity import book_keys
from readlog.importers import _read_file, prepare, row_known
from readlog.importers.base import PARALLEL_FROM_BYTES, PreparedRow, Row, _parse_chunk
from readlog.importers.goodreads import GoodreadsImporter
from readlog.model import Book
from test_import_export import GR_HEADER, gr_row, write_csv
from test_import_pipeline import _rows

ROWS = [
    gr_row(Book_Id="7", Title="Dune (Dune, #1)", Author="Frank Herbert", ISBN13='="9780441013593"'),
    gr_row(Book_Id="8", Title="", Author="Nobody"),  # a reject, between two rows
    gr_row(Book_Id="9", Title="Emma", Author="Jane Austen", Year_Published="1815", Exclusive_Shelf="to-read"),
    # Given up: its "date read" is the day it was given up (merge.abandoned_reading, as the worker did)
    gr_row(Book_Id="10", Title="Ulysses", Author="James Joyce", Exclusive_Shelf="did-not-finish",
           Date_Read="2023/05/06", Read_Count="1"),
]  # fmt: skip


def _cells() -> list[tuple[int, list[str]]]:
    return [(n + 2, list(r.values())) for n, r in enumerate(ROWS)]


def _chunk() -> list[Row | object]:
    return _parse_chunk(GoodreadsImporter(), GR_HEADER.split(","), _cells(), True)


def _as_the_worker_had_it(line: int, cells: list[str]) -> Book:
    """The book the worker parsed and prepared (what it used to send back, pickled)."""
    parsed = GoodreadsImporter().parse_one(line, cells, GR_HEADER.split(","))
    assert isinstance(parsed, Row)
    prepare([parsed.book], "goodreads")
    return parsed.book


def test_a_prepared_chunk_comes_back_without_its_books_and_says_what_they_say():
    data = pickle.dumps(_chunk(), pickle.HIGHEST_PROTOCOL)  # as the pool sends it back
    assert b"readlog.model" not in data  # no Book (nor Read, Review...) in it
    dune, reject, emma, ulysses = pickle.loads(data)
    assert dune.pack is None  # (no --update: the books stay in the worker)
    assert not isinstance(reject, Row)
    assert all(isinstance(row, PreparedRow) for row in (dune, emma, ulysses))
    assert (dune.line, emma.line, ulysses.line) == (2, 4, 5)
    assert (dune.title, emma.year) == ("Dune", 1815)
    assert dune.keys == ["isbn:9780441013593", "vol:dune#1", "goodreads:7"]  # (vol: its place in a series)
    header, cells = GR_HEADER.split(","), dict(_cells())
    for row in (dune, emma, ulysses):
        assert row.made is not None
        row.origin = (GoodreadsImporter(), header, cells[row.line])  # (as _parsed_in_workers gives it)
        told = (row.title, row.authors, row.year, row.keys)
        assert told == (row.book.title, row.book.authors, row.book.year, book_keys(row.book))


def test_a_prepared_row_brings_what_matching_asks_of_its_title_and_keys():
    dune, _, emma, ulysses = pickle.loads(pickle.dumps(_chunk(), pickle.HIGHEST_PROTOCOL))
    for row in (dune, emma, ulysses):
        assert row.known == row_known(row.title, row.keys)  # (identity's answers, made by the worker)
    stem, twins, ties, series, spans, held, place, ids, first = dune.known
    assert (stem, twins, ties, series) == ("dune", ("dune",), {"dune"}, (("dune", "1"),))
    assert (spans, held, place) == (("dune",), {"dune", "dune vol 1"}, False)  # (its volume's title too)
    assert ids == identity.id_keys(dune.keys)
    assert first == "dune"  # (journal.title_slug: the first slug its book is offered)


def test_a_book_made_again_is_the_one_the_worker_prepared():
    header, cells = GR_HEADER.split(","), dict(_cells())
    for row in _chunk():
        if isinstance(row, PreparedRow):
            row.origin = (GoodreadsImporter(), header, cells[row.line])
            assert row.book == _as_the_worker_had_it(row.line, cells[row.line])
    ulysses = _chunk()[3]
    assert isinstance(ulysses, PreparedRow)
    ulysses.origin = (GoodreadsImporter(), header, cells[5])
    assert [(r.finished, r.stopped and r.stopped.isoformat()) for r in ulysses.book.reads] == [
        (None, "2023-05-06")
    ]


def test_a_chunk_not_prepared_comes_back_as_plain_rows():
    importer = GoodreadsImporter()
    header = GR_HEADER.split(",")
    parsed = _parse_chunk(importer, header, [(2, list(gr_row(Title="Emma").values()))])
    assert type(parsed[0]) is Row


@pytest.fixture
def big_export(tmp_path: Path) -> Path:
    rows = _rows(1200)
    rows.append(gr_row(**{**rows[40], "Book Id": "77777", "Binding": "Hardcover"}))  # another edition
    big = write_csv(tmp_path / "big.csv", GR_HEADER, rows)
    assert big.stat().st_size >= PARALLEL_FROM_BYTES  # the workers' path
    return big


@pytest.fixture
def made_here(monkeypatch) -> list[int]:
    """The lines whose book the main process made (in this process: the workers parse with their own)."""
    made: list[int] = []
    parse_one = GoodreadsImporter.parse_one

    def counted(self, line, row, header):  # type: ignore[no-untyped-def]
        made.append(line)
        return parse_one(self, line, row, header)

    monkeypatch.setattr(GoodreadsImporter, "parse_one", counted)
    return made


def test_only_the_books_of_joined_editions_are_made_while_the_file_is_read(big_export, made_here):
    _, held = _read_file(big_export, None)
    joined = next(h for h in held if h.lines == [42, 1202])
    assert joined.book().title == "Book number 40"
    assert sorted(made_here) == [42, 1202]  # the rest never became objects here
    assert sum(isinstance(h.held, PreparedRow) for h in held) == len(held) - 1


def test_an_import_into_an_empty_journal_makes_only_the_books_it_joins(
    big_export, journal_home, run, made_here
):
    result = run("import", str(big_export), code=1)  # (two rows rejected: see test_import_pipeline._rows)
    assert "1198 added" in result.stderr
    assert sorted(made_here) == [42, 1202]  # the two editions of one work, joined; no other book
    assert "Hardcover" in (journal_home / "books" / "book-number-40.toml").read_text()


@pytest.fixture
def titles_taken_apart(monkeypatch) -> list[str]:
    """The titles the main process took apart (identity.title_parts, what the keys matching looks a row up
    by are made of: its stem, its ties, its twins' keys); the workers ask their own."""
    asked: list[str] = []
    title_parts = identity.title_parts

    def counted(title: str) -> identity.TitleParts:
        asked.append(title)
        return title_parts(title)

    monkeypatch.setattr(identity, "title_parts", counted)
    identity.title_ties.cache_clear()  # (else a title asked before answers without asking title_parts)
    return asked


@pytest.fixture
def slugs_made(monkeypatch) -> list[str]:
    """What the main process made a book's slug of (journal.free_slug's slugify); the workers ask their own."""
    from readlog import journal

    made: list[str] = []
    slugify = journal.slugify

    def counted(text: str) -> str:
        made.append(text)
        return slugify(text)

    monkeypatch.setattr(journal, "slugify", counted)
    return made


def test_the_rows_titles_are_taken_apart_by_the_workers_not_the_importing_process(
    big_export, journal_home, run, titles_taken_apart, slugs_made
):
    result = run("import", str(big_export), code=1)
    assert "1198 added" in result.stderr
    # Only the book of the two editions joined (its keys asked again, of the whole book), out of 1,199 rows
    assert set(titles_taken_apart) == {"Book number 40"}
    assert set(slugs_made) == {"Book number 40"}  # (its slug too: the others' came from the workers)


def test_a_plain_rerun_makes_no_book_and_an_update_has_the_workers_send_them(
    big_export, journal_home, run, made_here
):
    run("import", str(big_export), code=1)
    before = {p.name: p.read_bytes() for p in (journal_home / "books").iterdir()}
    made_here.clear()
    result = run("import", str(big_export), code=1)
    assert "0 added, 0 updated, 1198 skipped" in result.stderr
    assert sorted(made_here) == [42, 1202]  # (joined as the file is read, as ever): no other book
    made_here.clear()
    result = run("import", "--update", str(big_export), code=1)
    assert "0 added, 0 updated, 1198 skipped" in result.stderr
    # Every book it merges (nothing to change) came from the workers, not parsed again here.
    assert made_here == []
    assert {p.name: p.read_bytes() for p in (journal_home / "books").iterdir()} == before


def test_the_books_come_back_too_when_most_will_be_needed():
    importer = GoodreadsImporter()
    importer.books_wanted = True  # (as an --update sets it)
    data = pickle.dumps(_parse_chunk(importer, GR_HEADER.split(","), _cells(), True), pickle.HIGHEST_PROTOCOL)
    dune, _, emma, ulysses = pickle.loads(data)
    assert dune.pack is emma.pack is ulysses.pack and dune.pack.books is None  # one blob, not unpickled yet
    assert dune.origin is None  # (never needed: the book is in the blob)
    cells = dict(_cells())
    assert ulysses.book == _as_the_worker_had_it(5, cells[5])
    assert dune.pack.books is not None  # asked for once: the chunk's books, all at once
    assert emma.book == _as_the_worker_had_it(4, cells[4])


def test_a_prepared_books_text_comes_as_the_files_bytes_unless_it_cannot_be_encoded():
    from readlog.importers import _encoded

    assert _encoded('title = "Émile"\n') == 'title = "Émile"\n'.encode()
    assert _encoded('review = "\ud800"\n') == 'review = "\ud800"\n'  # (the writer's error, at its turn)
    dune = next(item for item in _chunk() if isinstance(item, Row))
    assert isinstance(dune.made.text, bytes) and dune.made.text.startswith(b'schema = 2\ntitle = "Dune"')
