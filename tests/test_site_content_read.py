"""The site's content reads a plain book file itself (content._parsed), not through Journal.load, to parse
a cold build's books faster: for every kind of file a journal can hold (a plain book, a link to a book of
the journal, a link to a file elsewhere, a FIFO, a folder, a file that is not UTF-8, not TOML, of a newer
readlog, a name that is not a slug), it gives what Journal.load gives: the same book, or the same error.
A first build stamps each file as it is parsed: the same stamps, books and problems as stamping them all
first. And the cache's files are sent on to the disk as soon as they are written."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

from readlog import bookfile
from readlog.exporters.site.content import _parsed, load_books, stamp_books
from readlog.journal import Journal
from readlog.model import Book, Read, Review


def _book(title: str) -> str:
    book = Book(title=title, authors=["A. Writer"], status="read", rating=4.0, tags=["sea"])
    book.reads = [Read(started=date(2023, 1, 2), finished=date(2023, 2, 5))]
    book.review = Review(headline="Notes", written=date(2023, 3, 1), body="Words.\n\nMore words.")
    return bookfile.dumps(book)


@pytest.fixture
def journal(journal_home: Path, tmp_path: Path) -> Journal:
    books = journal_home / "books"
    books.mkdir(parents=True)
    (books / "plain.toml").write_text(_book("Plain"), encoding="utf-8")
    (books / "bom.toml").write_bytes(b"\xef\xbb\xbf" + _book("With a BOM").encode())
    os.symlink("plain.toml", books / "alias.toml")  # a second name for a book of the journal
    elsewhere = tmp_path / "elsewhere.toml"
    elsewhere.write_text(_book("Elsewhere"), encoding="utf-8")
    os.symlink(elsewhere, books / "outside.toml")  # a link out of the journal: refused
    os.symlink("missing.toml", books / "dangling.toml")
    (books / "latin1.toml").write_bytes('title = "Caf\u00e9"\n'.encode("latin-1"))
    (books / "broken.toml").write_text('title = "Unclosed\n', encoding="utf-8")
    (books / "newer.toml").write_text('schema = 999\ntitle = "Later"\n', encoding="utf-8")
    (books / "invalid.toml").write_text('title = "No"\nrating = 9\n', encoding="utf-8")
    (books / "Not A Slug.toml").write_text(_book("Odd name"), encoding="utf-8")
    (books / "folder.toml").mkdir()
    if hasattr(os, "mkfifo"):
        os.mkfifo(books / "pipe.toml")
    return Journal(journal_home)


def _outcome(read: object) -> tuple[str, object]:
    try:
        return "book", read()  # type: ignore[operator]
    except Exception as error:  # noqa: BLE001 - the kind and words of the error are what is compared
        return type(error).__name__, str(error)


def test_each_file_reads_as_the_journal_reads_it(journal: Journal) -> None:
    books_dir = str(journal.books_dir)
    slugs = journal.slugs()
    assert len(slugs) >= 12
    kinds = set()
    for slug in slugs:
        mine = _outcome(lambda slug=slug: _parsed(journal, books_dir, slug)[0])
        theirs = _outcome(lambda slug=slug: journal.load(slug).book)
        assert mine == theirs, slug
        kinds.add(mine[0])
    assert {"book", "BookFileError", "ReadlogError", "NewerSchema"} <= kinds  # (the cases do differ)


@pytest.mark.parametrize("stamped", ["first", "as parsed"])
def test_a_link_out_of_the_journal_is_not_published(journal: Journal, stamped: str) -> None:
    """Stamped before (a rebuild's way) or as each book is parsed (a first build's): the same books, stamps
    and problems (a dangling link is left out, as a file gone since it was listed)."""
    listed = stamp_books(journal) if stamped == "first" else (journal.slugs(), None)
    content = load_books(journal, listed=listed)
    assert set(content.books) == {"plain", "bom", "alias"}
    assert content.books["alias"] == content.books["plain"]
    assert content.stamps == {slug: stamp for slug, stamp in stamp_books(journal)[1].items() if
                              slug in content.stamps}  # fmt: skip
    assert set(content.stamps) == {"plain", "bom", "alias"}
    told = sorted(problem.path.rsplit("/", 1)[-1] for problem in content.problems)
    assert told == [
        "Not A Slug.toml", "broken.toml", "folder.toml", "invalid.toml", "latin1.toml", "newer.toml",
        "outside.toml", *(["pipe.toml"] if hasattr(os, "mkfifo") else []),
    ]  # fmt: skip
    again = load_books(journal, listed=(journal.slugs(), None))  # (the cache holds books now: stamped first)
    assert again.stamps == content.stamps and again.books == content.books


@pytest.mark.skipif(not hasattr(os, "posix_fadvise"), reason="no posix_fadvise here")
def test_each_cache_file_written_is_sent_to_the_disk_at_once(journal_home: Path, monkeypatch) -> None:
    """The cache's files start on their way to the disk as soon as they are written, so the build's final
    sync does not wait for them too; what is read back is what was written."""
    from readlog.exporters.site.content import cache_path

    books = journal_home / "books"
    books.mkdir(parents=True)
    for number in range(40):
        (books / f"book-{number}.toml").write_text(_book(f"Book {number}"), encoding="utf-8")
    journal = Journal(journal_home)

    advised: list[str] = []
    real = os.posix_fadvise

    def fadvise(fd: int, offset: int, length: int, advice: int) -> None:
        advised.append(os.readlink(f"/proc/self/fd/{fd}") if os.path.isdir("/proc/self/fd") else str(fd))
        real(fd, offset, length, advice)

    monkeypatch.setattr(os, "posix_fadvise", fadvise)
    first = load_books(journal)
    written = sorted(str(path) for path in cache_path(journal.root).iterdir())
    assert written and sorted(advised) == written
    again = load_books(journal)  # (nothing changed: nothing written, nothing advised)
    assert sorted(advised) == written and again.books == first.books and again.lines == first.lines
