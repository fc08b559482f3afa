"""An import runs with the cyclic garbage collector paused (every row it holds lives until it is done: the
collector only walked them again and again, 0.1 s of a 10,000-row import's main process), and leaves it as
it found it, also when the import fails."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest

from readlog.importers.base import Importer, ImportOptions, Row
from readlog.journal import Journal
from readlog.model import Book


class _Seen(Importer):
    """A format read in this process that notes, per row, whether the collector was running."""

    name, label, source = "test-collector", "Collector test", None
    seen: list[bool]
    fail = False

    @classmethod
    def sniff(cls, head: bytes, filename: str) -> bool:
        return False

    def read(self, path: Path) -> Iterator[Row]:
        for number, line in enumerate(path.read_text().splitlines(), 1):
            self.seen.append(gc.isenabled())
            if self.fail:
                raise RuntimeError("the file went away")
            yield Row(number, Book(title=line, authors=["Ann Author"], status="want"))


def _run(home: Path, tmp_path: Path, fail: bool = False) -> _Seen:
    source = tmp_path / "books.txt"
    source.write_text("First Book\nSecond Book\n")
    importer = _Seen()
    importer.seen, importer.fail = [], fail
    importer.run(Journal(home), source, ImportOptions())
    return importer


@pytest.mark.parametrize("enabled", [True, False])
def test_the_collector_is_paused_while_importing_and_left_as_it_was(journal_home, tmp_path, enabled):
    was = gc.isenabled()
    try:
        (gc.enable if enabled else gc.disable)()
        importer = _run(journal_home, tmp_path)
        assert importer.seen == [False, False]
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()
    assert sorted(p.name for p in (journal_home / "books").glob("*.toml")) == [
        "first-book.toml",
        "second-book.toml",
    ]


def test_a_failed_import_starts_the_collector_again(journal_home, tmp_path):
    assert gc.isenabled()
    with pytest.raises(RuntimeError):
        _run(journal_home, tmp_path, fail=True)
    assert gc.isenabled()
