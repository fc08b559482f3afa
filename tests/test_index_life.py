"""The index package owns the index's life (readlog.index.life) and the journal is handed it."""

from __future__ import annotations

import pickle

from readlog.index import Cache, complete, index_path
from readlog.journal import BookLoader, Journal


def _book(books, slug, title):
    books.mkdir(parents=True, exist_ok=True)
    (books / f"{slug}.toml").write_text(f'title = "{title}"\nauthors = ["Someone"]\nstatus = "want"\n')


def test_a_journal_uses_the_index_it_is_handed(journal_home, tmp_path):
    _book(journal_home / "books", "emma", "Emma")
    cache = Cache(journal_home / "books", BookLoader(journal_home), None)  # in memory
    journal = Journal(journal_home, cache=cache)
    assert [e.slug for e in journal.fresh_index().entries()] == ["emma"]
    assert journal.index() is cache.opened
    assert not index_path(journal_home).exists()  # the data dir's own index was never opened
    journal.create(journal.load("emma").book.__class__(title="Persuasion", authors=["Jane Austen"]))
    assert [e.slug for e in journal.fresh_index().entries()] == ["emma", "persuasion"]


def test_without_one_it_opens_the_data_dirs_own_on_first_use(journal_home):
    _book(journal_home / "books", "emma", "Emma")
    journal = Journal(journal_home)
    journal.load("emma")
    assert not index_path(journal_home).exists()  # reading a file does not touch the index
    assert journal.find("Emma").slug == "emma"
    assert index_path(journal_home).exists()


def test_the_loader_travels_as_its_data_dir(journal_home):
    _book(journal_home / "books", "emma", "Emma")
    journal = Journal(journal_home)
    loader = pickle.loads(pickle.dumps(BookLoader(journal_home, journal)))
    book, read_only = loader("emma")
    assert book.title == "Emma" and read_only is False
    assert loader.root == journal_home


def test_completion_reads_the_saved_index_and_never_makes_one(run, journal_home):
    _book(journal_home / "books", "emma", "Emma")
    assert complete(journal_home, "em") == []
    assert not index_path(journal_home).exists()
    run("list")
    assert complete(journal_home, "em") == [("emma", "Emma")]
    _book(journal_home / "books", "emmeline", "Emmeline")  # not synced: completion shows the index as saved
    assert complete(journal_home, "em") == [("emma", "Emma")]


def test_completion_answers_nothing_at_once_while_another_readlog_builds_the_index(journal_home):
    """A first build holds the index's tables in one transaction (a rollback journal, readers locked out
    until it commits): a TAB then answers nothing rather than waiting out the lock's 5 seconds."""
    import sqlite3
    import subprocess
    import sys
    import time

    from readlog.index.schema import BUSY_SECONDS

    _book(journal_home / "books", "emma", "Emma")
    subprocess.run([sys.executable, "-m", "readlog", "list"], check=True, capture_output=True, timeout=60)
    builder = sqlite3.connect(index_path(journal_home), isolation_level=None)
    try:
        assert builder.execute("PRAGMA journal_mode = DELETE").fetchone()[0] == "delete"
        builder.execute("BEGIN EXCLUSIVE")  # what a cold build holds while it writes
        started = time.monotonic()
        assert complete(journal_home, "em") == []
        waited = time.monotonic() - started
        assert waited < BUSY_SECONDS - 1, waited  # not the lock's whole wait
        builder.execute("COMMIT")
        builder.execute("PRAGMA journal_mode = WAL")
    finally:
        builder.close()
    assert complete(journal_home, "em") == [("emma", "Emma")]


def test_a_cold_build_of_a_big_folder_starts_its_workers_before_the_sweep(journal_home, tmp_path):
    # (the fork server's start then runs beside the sweep; the build is the same either way)
    from readlog.index import Index
    from readlog.index.freshness import MANY_FILES_BYTES

    books = journal_home / "books"
    books.mkdir(parents=True)
    for n in range(12):
        _book(books, f"book-{n}", f"Book {n}")
    seen: list[tuple[str, bool]] = []

    def build(name: str, rebuild: bool = False) -> None:
        index = Index(books, BookLoader(journal_home), tmp_path / f"{name}.sqlite3")
        index.start_workers = lambda: seen.append((name, index.holds_books()))
        index.rebuild() if rebuild else index.sync()

    build("small")  # a small folder: parsed here, no workers to start
    assert seen == []
    for n in range(12, 2000):
        if books.stat().st_size >= MANY_FILES_BYTES:
            break
        (books / f"a-book-with-a-rather-long-file-name-{n:04}.toml").write_text(
            f'schema = 1\ntitle = "Book {n}"\n', encoding="utf-8"
        )
    assert books.stat().st_size >= MANY_FILES_BYTES
    build("big")  # a cold build: started before any book is in the index
    build("big")  # the index is up to date: nothing started
    build("big", rebuild=True)  # `reindex`: started, before the old rows are gone
    assert seen == [("big", False), ("big", True)]
