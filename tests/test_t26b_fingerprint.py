"""The fingerprint pass every command takes (Freshness.fingerprint): in a folder of book files only (as readlog
keeps it) it is taken in bulk, with no Python code run per file; the same value as the sweep's, file by
file, so that nothing the sweep would see goes unseen. Any other folder is fingerprinted file by file."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from readlog.index.freshness import Freshness


def _freshness(books: Path) -> Freshness:
    fresh = object.__new__(Freshness)  # (the pass needs its folder alone: no index)
    fresh.books_dir = books
    return fresh


def _books(folder: Path, count: int) -> Path:
    books = folder / "books"
    books.mkdir(parents=True)
    for n in range(count):
        (books / f"book-{n}.toml").write_text(f'title = "Book {n}"\n' * (n % 3 + 1))
    return books


def _by_sweep(fresh: Freshness) -> str:
    stamps, total = fresh.sweep()
    return f"{total:x}-{len(stamps)}"


def _lines_run(fresh: Freshness) -> int:
    """Python lines run while the fingerprint is taken."""
    count = 0

    def trace(frame, event, arg):
        nonlocal count
        if event == "line":
            count += 1
        return trace

    import gc

    gc.collect()  # (a collection in the pass would run other objects' finalizers: their lines, not the pass's)
    gc.disable()
    sys.settrace(trace)
    try:
        fresh.fingerprint()
    finally:
        sys.settrace(None)
        gc.enable()
    return count


def test_a_journals_folder_is_fingerprinted_with_no_code_per_file(tmp_path):
    few, many = _freshness(_books(tmp_path / "a", 10)), _freshness(_books(tmp_path / "b", 300))
    assert _lines_run(few) == _lines_run(many)  # file by file: 30 times the lines
    for fresh in (few, many):
        assert fresh.fingerprint() == _by_sweep(fresh)


@pytest.mark.parametrize("odd", ["hidden", "link", "other", "accented", "not utf-8", "none", "edited"])
def test_every_folder_has_the_sweeps_fingerprint(tmp_path, odd):
    books = _books(tmp_path, 5)
    fresh = _freshness(books)
    before = fresh.fingerprint()
    if odd == "hidden":
        (books / ".book-0.toml.swp.toml").write_text("x")
    elif odd == "link":
        (books / "book-0.toml").unlink()
        (books / "book-0.toml").symlink_to(books / "book-1.toml")
    elif odd == "other":
        (books / "notes.txt").write_text("x")
    elif odd == "accented":
        (books / "café.toml").write_text('title = "Café"\n')
    elif odd == "not utf-8":
        if sys.platform == "darwin":
            pytest.skip("macOS names are UTF-8")
        with open(os.path.join(os.fsencode(books), b"caf\xe9.toml"), "w") as handle:
            handle.write("x")
    elif odd == "edited":  # the same size, the same mtime put back: the ctime shows it
        path = books / "book-2.toml"
        st = path.stat()
        path.write_text(path.read_text().replace("Book 2", "Book 9"))
        os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    fingerprint = fresh.fingerprint()
    unnamed = fresh.unnamed
    assert fingerprint == _by_sweep(fresh) and unnamed == fresh.unnamed
    unseen = ("hidden", "other", "none", "not utf-8")  # (a name not UTF-8: named among the problems)
    assert (fingerprint == before) == (odd in unseen)
    assert unnamed == (("caf\udce9.toml",) if odd == "not utf-8" else ())
