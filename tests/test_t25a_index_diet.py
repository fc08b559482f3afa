"""The index's secondary indexes (schema, version 27): `list --tag` and `list --author` look up each book's
own names (book_names_slug), where the (kind, norm) index had SQLite walk every name of that tag, or every
author, once per book (10,000 books, `list --tag fiction`: 15 s of CPU); and recall's finish-day index holds
only the dated rows it can find."""

from __future__ import annotations

from pathlib import Path

from readlog import bookfile
from readlog.index import BookFilter, Index
from readlog.journal import BookLoader
from readlog.model import Book


def _shelf(root: Path, count: int) -> Index:
    """An index of `count` books, all tagged `shared` and written by one author."""
    books = root / "books"
    books.mkdir(parents=True)
    written = []
    for n in range(count):
        book = Book(title=f"Lantern {n}", authors=["Ann Writer"], tags=["shared", f"own-{n}"])
        path = books / f"lantern-{n}.toml"
        path.write_text(bookfile.dumps(book), encoding="utf-8")
        written.append((f"lantern-{n}", path, book))
    index = Index(books, BookLoader(root), root / "index.sqlite3")
    index.record(written)
    return index


def _steps(index: Index, where: BookFilter) -> tuple[int, int]:
    """(books listed, SQLite's work for them: its virtual machine's steps, in thousands)."""
    steps = [0]

    def step() -> int:
        steps[0] += 1
        return 0

    index.db.set_progress_handler(step, 1000)
    try:
        found, total = index.select(where)
        listed = len(list(found))
    finally:
        index.db.set_progress_handler(None, 0)
    assert listed == total
    return listed, steps[0]


def test_a_list_by_tag_or_author_costs_in_proportion_to_the_books(tmp_path):
    for where in (BookFilter(tag="shared"), BookFilter(author="writer"), BookFilter(tag="own-7")):
        small = _steps(_shelf(tmp_path / f"small-{where.tag}{where.author}", 100), where)
        big = _steps(_shelf(tmp_path / f"big-{where.tag}{where.author}", 400), where)
        assert (small[0], big[0]) == ((100, 400) if where.tag != "own-7" else (1, 1))
        # Four times the books: about four times the work (each book's names looked up by the book),
        # not sixteen (each book's names looked for among every book's).
        assert big[1] <= 6 * max(small[1], 1), (where, small, big)
