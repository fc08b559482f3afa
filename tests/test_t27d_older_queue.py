"""Try-out 27a, finding 2: an older export imported with `--update` was taken "like any export" because no
row of it changed a book, and then dropped the to-read positions the newer export gave the books it does
not list (Piranesi #1 lost its place, `next` its order). Dropping them undoes the newer export: refused,
naming them and `--force`, nothing written. Near misses: a position the reader set, a plain import."""

from __future__ import annotations

import tomllib
from pathlib import Path

from conftest import snapshot
from test_import_export import GR_HEADER, gr_row, write_csv

DUNE = {"Book Id": "1", "Title": "Dune", "Author": "Frank Herbert", "My Rating": "5", "Date Read": "2024/03/01",
        "Date Added": "2024/01/10", "Read Count": "1"}  # fmt: skip
PIRANESI = {"Book Id": "2", "Title": "Piranesi", "Author": "Susanna Clarke", "Exclusive Shelf": "to-read",
            "Bookshelves": "to-read", "Bookshelves with positions": "to-read (#1)", "Date Added": "2024/06/01"}  # fmt: skip


def exports(tmp_path: Path) -> tuple[Path, Path]:
    """The newer export (Dune read, Piranesi first in the queue) and an older one of Dune alone."""
    newer = write_csv(tmp_path / "2024-06.csv", GR_HEADER, [gr_row(**DUNE), gr_row(**PIRANESI)])
    return newer, write_csv(tmp_path / "2024-03.csv", GR_HEADER, [gr_row(**DUNE)])


def priority(books: Path) -> int | None:
    return tomllib.loads((books / "piranesi.toml").read_text(encoding="utf-8")).get("priority")


def test_an_older_export_s_update_that_would_drop_queue_positions_is_refused(
    run, tmp_path, journal_home, books
):
    newer, older = exports(tmp_path)
    run("import", str(newer))
    before = snapshot(journal_home)
    error = run("import", str(older), "--update", code=1).stderr
    assert "an older Goodreads export than the last one imported" in error
    assert "drop the to-read position the last export gave 1 book it does not list (Piranesi)" in error
    assert "--force" in error and "taken like any export" not in error
    assert snapshot(journal_home) == before and priority(books) == 1
    dry = run("import", str(older), "--update", "--force", "--dry-run").output
    assert "its position would be dropped (still want): Piranesi" in dry and priority(books) == 1
    forced = run("import", str(older), "--update", "--force").output
    assert "its position dropped (still want): Piranesi" in forced and priority(books) is None


def test_a_plain_import_or_a_position_set_here_is_not_undone(run, tmp_path, journal_home, books):
    newer, older = exports(tmp_path)
    run("import", str(newer))
    said = run("import", str(older)).stderr  # a plain import leaves the queue: nothing newer undone
    assert "taken like any export" in said and priority(books) == 1
    path = books / "piranesi.toml"  # the reader's own position, set by hand: theirs, not the export's
    path.write_text(
        path.read_text(encoding="utf-8").replace("priority = 1", "priority = 2", 1), encoding="utf-8"
    )
    said = run("import", str(older), "--update").stderr
    assert "taken like any export" in said and priority(books) == 2
