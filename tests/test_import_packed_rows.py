"""A big export's rows come back from the parsing workers with their books still pickled, one blob a chunk
(base.PackedRow, base.Packed): the main process matches a row and names its file by the title, authors, year
and keys that came beside it, writes the text the worker made, and unpickles a chunk's books only where a
book is needed whole (editions joined); the same files as ever (test_import_pipeline)."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from readlog.identity import book_keys
from readlog.importers import _read_file
from readlog.importers.base import PARALLEL_FROM_BYTES, Packed, PackedRow, Row, _parse_chunk
from readlog.importers.goodreads import GoodreadsImporter
from test_import_export import GR_HEADER, gr_row, write_csv
from test_import_pipeline import _rows


def _chunk() -> list[Row | object]:
    importer = GoodreadsImporter()
    header = GR_HEADER.split(",")
    rows = [
        gr_row(Book_Id="7", Title="Dune (Dune, #1)", Author="Frank Herbert", ISBN13='="9780441013593"'),
        gr_row(Book_Id="8", Title="", Author="Nobody"),  # a reject, between two rows
        gr_row(
            Book_Id="9", Title="Emma", Author="Jane Austen", Year_Published="1815", Exclusive_Shelf="to-read"
        ),
    ]
    return _parse_chunk(importer, header, [(n + 2, list(r.values())) for n, r in enumerate(rows)], True)


def test_a_prepared_chunk_comes_back_as_packed_rows_that_say_what_their_books_say():
    sent = pickle.loads(pickle.dumps(_chunk(), pickle.HIGHEST_PROTOCOL))  # as the pool sends it back
    dune, reject, emma = sent
    assert not isinstance(reject, Row)
    assert isinstance(dune, PackedRow) and isinstance(emma, PackedRow)
    assert dune.pack is emma.pack and dune.pack.books is None  # one blob, not unpickled yet
    assert (dune.line, emma.line) == (2, 4)
    assert dune.made is not None and emma.made is not None
    for row in (dune, emma):
        told = (row.title, row.authors, row.year, row.keys)
        assert told == (row.book.title, row.book.authors, row.book.year, book_keys(row.book))
    assert dune.pack.books is not None  # asked for once: the chunk's books, all at once
    assert (dune.title, emma.year) == ("Dune", 1815)
    assert dune.keys == ["isbn:9780441013593", "goodreads:7"]


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


def test_only_the_chunks_of_joined_editions_are_unpickled_while_the_file_is_read(big_export):
    _, held = _read_file(big_export, None)
    joined = next(h for h in held if h.lines == [42, 1202])
    assert joined.book().title == "Book number 40"
    packs = {id(h.held.pack): h.held.pack for h in held if isinstance(h.held, PackedRow)}
    assert len(packs) == 5  # 1,200 rows in chunks of 250
    # The first chunk (row 40's) and the last (its edition's): the rest never became objects here.
    assert sum(pack.books is not None for pack in packs.values()) == 2


def test_an_import_into_an_empty_journal_unpickles_only_the_books_it_joins(
    big_export, journal_home, run, monkeypatch
):
    asked: list[int] = []
    book = Packed.book

    def counted(self: Packed, at: int):  # (in this process: the workers parse and prepare with their own)
        asked.append(at)
        return book(self, at)

    monkeypatch.setattr(Packed, "book", counted)
    result = run("import", str(big_export), code=1)  # (two rows rejected: see test_import_pipeline._rows)
    assert "1198 added" in result.stderr
    assert len(asked) == 2  # the two editions of one work, joined; no other book
    assert "Hardcover" in (journal_home / "books" / "book-number-40.toml").read_text()


def test_a_prepared_books_text_comes_as_the_files_bytes_unless_it_cannot_be_encoded():
    from readlog.importers import _encoded

    assert _encoded('title = "Émile"\n') == 'title = "Émile"\n'.encode()
    assert _encoded('review = "\ud800"\n') == 'review = "\ud800"\n'  # (the writer's error, at its turn)
    dune = next(item for item in _chunk() if isinstance(item, Row))
    assert isinstance(dune.made.text, bytes) and dune.made.text.startswith(b'schema = 2\ntitle = "Dune"')
