"""A big import's main process (issue 25, session 16): what it no longer asks the disk or works out again
gives the same answers as before."""

from __future__ import annotations

from pathlib import Path

from readlog import journal as journal_module
from readlog.journal import Journal
from readlog.model import Book


def test_claims_after_the_folder_is_listed_pass_over_the_files_there(journal_home: Path):
    """Past LIST_FROM_CLAIMS claims, a batch asks the folder's listing, not the disk: a file that was there
    before the import (even by a name that differs only in case) is never claimed, and neither is a slug
    this batch has promised."""
    journal = Journal(journal_home)
    journal.books_dir.mkdir(parents=True, exist_ok=True)
    (journal.books_dir / "dune.toml").write_text('title = "Dune"\n')
    (journal.books_dir / "Emma.toml").write_text('title = "Emma"\n')
    with journal.bulk() as batch:
        filler = [batch.claim(Book(title=f"Filler {n}")) for n in range(journal_module.LIST_FROM_CLAIMS)]
        assert batch.listed is None  # (every claim so far asked the disk)
        assert batch.claim(Book(title="Dune", authors=["Frank Herbert"])) == "dune-herbert"
        assert batch.listed is not None  # (this one asked the listing)
        assert batch.claim(Book(title="Emma", authors=["Jane Austen"])) == "emma-austen"
        assert batch.claim(Book(title="Filler 3")) == "filler-3-2"
        assert batch.claim(Book(title="Persuasion")) == "persuasion"
        assert len(set(filler)) == len(filler)
