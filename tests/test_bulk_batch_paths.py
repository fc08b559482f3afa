"""A bulk write names each new file as `Journal.path_for` does, made as a string (no Path per book: an
import writes thousands), and refuses text that is not a slug, as path_for does."""

from __future__ import annotations

from pathlib import Path

import pytest

from readlog.errors import ReadlogError
from readlog.journal import Journal
from readlog.model import Book


def test_a_bulk_batch_writes_each_book_where_path_for_says(journal_home: Path):
    journal = Journal(journal_home)
    with journal.bulk() as batch:
        slug = batch.add(Book(title="Dune", authors=["Frank Herbert"]))
        assert [str(path) for _, path, _ in batch.waiting] == [str(journal.path_for(slug))]
    assert journal.path_for(slug).read_text(encoding="utf-8").startswith('schema = 2\ntitle = "Dune"')
    assert journal.load(slug).book.title == "Dune"


@pytest.mark.parametrize("slug", ["../escape", "a/b", "", ".hidden", "Dune"])
def test_a_bulk_batch_refuses_text_that_is_not_a_slug(journal_home: Path, slug: str):
    journal = Journal(journal_home)
    with journal.bulk() as batch:
        with pytest.raises(ReadlogError, match="not a valid book slug"):
            batch.put(slug, Book(title="X"), 'title = "X"\n')
        assert not batch.waiting
    assert not list(journal_home.rglob("*.toml"))
