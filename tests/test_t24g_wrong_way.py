"""Session 24's try-out b: the journal's folder and files used the wrong way (a file name that is not UTF-8,
a data folder that is the books folder or is missing, a failed write's trash, `--rejects` over the
export, an interrupted or full-disk bulk write, a folder given to `import`)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO
from test_write_errors import _limited  # (readlog under a file size limit: a full disk)

EXAMPLES = REPO / "examples" / "journal"


def _examples(home: Path) -> Path:
    shutil.copytree(EXAMPLES, home)
    return home / "books"


def test_a_book_file_whose_name_is_not_utf8_is_named_and_the_rest_works(run, journal_home: Path) -> None:
    """Try-out 24b, 1: `books/caf\\xe9.toml` made list, show, rate, search, stats, next and reindex end in a
    traceback (UnicodeEncodeError). Each works over the other books; the reading ones name the file as
    one they skipped. Mutation: `_named_entries` without its `_encodes` test: each of these fails."""
    books = _examples(journal_home)
    odd = os.path.join(os.fsencode(books), b"caf\xe9.toml")
    shutil.copyfile(books / "piranesi.toml", odd)
    listed = run("list")
    assert "never-let-me-go" in listed.stdout
    assert listed.stderr.count("is not UTF-8") == 1
    for args in (
        ["show", "piranesi"],
        ["rate", "piranesi", "3"],
        ["search", "house"],
        ["stats", "--json"],
        ["next"],
        ["reindex"],
    ):
        result = run(*args)
        assert result.stderr.count("caf") <= 1, (args, result.stderr)
    assert "is not UTF-8" in run("reindex").stderr
    assert os.path.exists(odd)  # never touched: `check --fix` is the one to rename it


def test_a_journal_folder_whose_name_is_not_utf8_works(run, tmp_path: Path) -> None:
    """Try-out 24b, 1: READLOG_HOME=/tmp/...\\xffname: `add` made the folder, then crashed naming its index
    (`where.encode()`). Mutation: index_path's crc of `where.encode()` again: this fails."""
    home = os.fsdecode(os.path.join(os.fsencode(tmp_path), b"bad\xffname"))
    env = {"READLOG_HOME": home}
    run("add", "Misplaced", "-a", "Someone", env=env)
    assert "misplaced" in run("list", env=env).stdout
    run("rate", "misplaced", "3", env=env)
    assert "misplaced" in run("search", "someone", env=env).stdout


def _export_with_a_bad_row(folder: Path) -> Path:
    """The example Goodreads export with one ragged row after its books."""
    export = folder / "export.csv"
    text = (REPO / "examples" / "goodreads_library_export.csv").read_text(encoding="utf-8")
    export.write_text(text.rstrip("\n") + '\n"ragged",,\n', encoding="utf-8")
    return export


def test_rejects_never_name_what_the_import_reads_even_with_force(
    run, journal_home: Path, tmp_path: Path
) -> None:
    """Try-out 24b, 2: `import X --rejects X --force` replaced the export with its one rejected row. The
    export (by its own name or a link to it), and anything in the journal's folder, are refused before
    anything is written, --force or not. Mutation: check_rejects_target without its `reads` loop: this
    fails (the export is overwritten)."""
    export = _export_with_a_bad_row(tmp_path)
    before = export.read_bytes()
    (tmp_path / "link.csv").symlink_to(export)
    for target in (export, tmp_path / "link.csv"):
        refused = run("import", str(export), "--rejects", str(target), "--force", code=1)
        assert "this import reads" in refused.stderr
        assert export.read_bytes() == before
        assert not journal_home.exists()  # nothing imported
    run("add", "Something", "-a", "Someone")
    inside = journal_home / "books" / "rejects.csv"
    assert "this import reads" in run("import", str(export), "--rejects", str(inside), code=1).stderr
    assert not inside.exists() and sorted(p.name for p in (journal_home / "books").iterdir()) == [
        "something.toml"
    ]


def test_a_rejects_path_that_cannot_be_written_is_refused_before_any_book(
    run, journal_home: Path, tmp_path: Path
) -> None:
    """Try-out 24b, 2: `--rejects /nonexistent/dir/rej.csv` failed only after 11 books were written, without
    saying so. It is tried first: exit 1, nothing written. Mutation: no probe in check_rejects_target:
    this fails (the books are written)."""
    export = _export_with_a_bad_row(tmp_path)
    refused = run("import", str(export), "--rejects", str(tmp_path / "no" / "such" / "rej.csv"), code=1)
    assert "--rejects: cannot write" in refused.stderr and "No such file or directory" in refused.stderr
    assert not journal_home.exists()
    run("import", str(export), "--rejects", str(tmp_path / "rej.csv"), code=1)  # (1: a row was rejected)
    assert (tmp_path / "rej.csv").read_text(encoding="utf-8").startswith("line,reason,")
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


@pytest.mark.skipif(not hasattr(signal, "SIGXFSZ"), reason="needs POSIX file size limits")
@pytest.mark.parametrize("limit", [50, 400])
def test_a_review_replace_that_fails_leaves_nothing_in_the_trash(run, journal_home: Path, limit: int) -> None:
    """Try-out 24b, 4: a refused `review --replace` still kept the old review in trash/ (the book's write
    failed: 400 bytes is room for the old review, not for the book), or left it there as 0 bytes (the
    disk full already: 50). Trash is kept only when the write it belongs to lands. Mutations: `keep`
    without its `_unclaim` (50 fails), Journal._keeping removing nothing (400 fails)."""
    books = _examples(journal_home)
    before = (books / "piranesi.toml").read_bytes()
    failed = _limited(limit, "review", "piranesi", "A new review. " * 200, "--replace")
    assert failed.returncode == 1, failed.stderr
    assert "File too large" in failed.stderr and "Traceback" not in failed.stderr
    assert (books / "piranesi.toml").read_bytes() == before
    trash = journal_home / "trash"
    assert not trash.exists() or list(trash.iterdir()) == []
    run("review", "piranesi", "A new review.", "--replace")  # once it lands, the old one is kept
    assert len(list(trash.iterdir())) == 1


def _immutable(folder: Path, on: bool) -> bool:
    """chattr +i (or -i) on `folder`: a folder nothing may be renamed out of, even by root."""
    if shutil.which("chattr") is None:
        return False
    return subprocess.run(["chattr", "+i" if on else "-i", str(folder)], capture_output=True).returncode == 0


def test_a_refused_rm_leaves_no_empty_file_in_the_trash(run, journal_home: Path) -> None:
    """Try-out 24b, 4: `rm --yes` refused (a books folder the file cannot leave) left a 0-byte trash file that
    `restore` listed as unreadable while the book was still in books/. Mutation: Journal.remove without
    its `_unclaim`: this fails."""
    books = _examples(journal_home)
    run("list")
    if os.geteuid() == 0:
        if not _immutable(books, True):
            pytest.skip("root, and no chattr +i here: nothing refuses root's rename")
    else:
        books.chmod(0o500)
    try:
        run("rm", "piranesi", "--yes", code=1)
    finally:
        if os.geteuid() == 0:
            _immutable(books, False)
        else:
            books.chmod(0o700)
    assert (books / "piranesi.toml").exists()
    trash = journal_home / "trash"
    assert not trash.exists() or list(trash.iterdir()) == []
    assert "The trash is empty" in run("restore").stdout + run("restore").stderr


def test_a_books_folder_given_as_the_data_folder_is_named(run, tmp_path: Path) -> None:
    """Try-out 24b, 5: `--data-dir JOURNAL/books add ...` made books/books/misplaced.toml (exit 0) and `check`
    then said all good over the 14 book files it never looked at. Every command names the mistake, and
    the parent to give instead; nothing is made. Mutation: folder_problem without its top_book_files
    test: this fails."""
    books = _examples(tmp_path / "journal")
    before = sorted(p.name for p in books.iterdir())
    for args in (["add", "Misplaced", "-a", "X"], ["list"], ["check"], ["show", "piranesi"], ["stats"]):
        refused = run("--data-dir", str(books), *args, code=1)
        assert "looks like a journal's books folder" in refused.stderr
        assert f"--data-dir {books.parent}" in refused.stderr
    assert sorted(p.name for p in books.iterdir()) == before  # no books/books/


def test_check_names_book_files_outside_books(run, tmp_path: Path) -> None:
    """Try-out 24b, 5: the state that mistake left (book files at the top, books/books/ beside them): `check`
    said `checked 1 file: all good`. Each file outside books/ is named, exit 1. Mutation: check_journal
    without its outside-books problems: this fails."""
    root = tmp_path / "mixed"
    shutil.copytree(EXAMPLES / "books", root)
    (root / "books").mkdir()
    shutil.copy(root / "piranesi.toml", root / "books" / "piranesi.toml")
    (root / "goals.toml").write_text("[goals]\n2025 = 10\n", encoding="utf-8")
    result = run("--data-dir", str(root), "check", code=1)
    assert "all good" not in result.stderr
    assert result.stdout.count("a book file outside books/") == 6  # (goals.toml is the journal's own)


def test_books_that_is_a_file_is_an_error_not_an_empty_journal(run, tmp_path: Path) -> None:
    """Try-out 24b, 5: `books` a file: `list` said No books yet, and `check` all good over 0 files.
    Mutation: folder_problem returning None when books/ is no folder: this fails."""
    root = tmp_path / "odd"
    root.mkdir()
    (root / "books").write_text("not a folder\n", encoding="utf-8")
    for args in (["list"], ["check"], ["stats"], ["add", "Dune", "-a", "Frank Herbert"]):
        refused = run("--data-dir", str(root), *args, code=1)
        assert f"{root / 'books'} is not a folder" in refused.stderr


def test_reading_commands_over_a_missing_journal_say_so(run, tmp_path: Path) -> None:
    """Try-out 24b, 5: READLOG_HOME naming a folder that does not exist: `show` said no such book and `stats`
    0 readings finished, exit 0. Each says there is no journal there, once, exit 1, and makes nothing.
    Mutation: stats with journal_of again: this fails."""
    env = {"READLOG_HOME": str(tmp_path / "nowhere")}
    for args, what in ((["show", "piranesi"], "show"), (["stats"], "count"), (["search", "x"], "search")):
        refused = run(*args, code=1, env=env)
        assert refused.stderr.strip().count("\n") == 0
        assert f"{tmp_path / 'nowhere'}, which does not exist: nothing to {what}" in refused.stderr
    assert not (tmp_path / "nowhere").exists()


def _tagged_books(books: Path, count: int, extra: dict[int, str] | None = None) -> None:
    books.mkdir(parents=True)
    for n in range(count):
        note = (extra or {}).get(n, "")
        (books / f"book-{n:04d}.toml").write_text(
            f'title = "Book {n}"\nauthors = ["Author {n % 40}"]\nstatus = "want"\ntags = ["sf", "x"]\n{note}',
            encoding="utf-8",
        )


def _renamed(books: Path) -> int:
    return sum('"science fiction"' in p.read_text(encoding="utf-8") for p in books.glob("*.toml"))


def test_an_interrupted_tags_rename_says_how_far_it_got(journal_home: Path) -> None:
    """Try-out 24b, 10: Ctrl-C during `tags rename` on 20k books: exit 130, nothing said, 461 books renamed and
    19,539 not. It says how many of how many (exactly the books written), and that the same command again
    renames the rest; it does. Mutation: rename_tag without its note: this fails (nothing on stderr)."""
    import time

    books = journal_home / "books"
    _tagged_books(books, 400)
    command = [sys.executable, "-m", "readlog", "tags", "rename", "sf", "science fiction"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while _renamed(books) < 5 and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=60)
    if process.returncode == 0:
        pytest.skip("the rename ended before Ctrl-C came")
    assert process.returncode == 130, err
    done = _renamed(books)
    assert 0 < done < 400
    assert err.strip().splitlines() == [
        f"readlog: tags rename stopped: {done:,} of 400 books renamed (each whole); the same command again "
        "renames the rest"
    ]
    again = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert again.returncode == 0, again.stderr
    assert _renamed(books) == 400


@pytest.mark.skipif(not hasattr(signal, "SIGXFSZ"), reason="needs POSIX file size limits")
def test_a_tags_rename_that_a_full_disk_stops_says_how_far_it_got(journal_home: Path) -> None:
    """Try-out 24b, 10 and 11: a bulk write that fails midway (here a file size limit, as a full disk) says
    how far it got on its error line. Mutation: rename_tag without its note: this fails."""
    books = journal_home / "books"
    _tagged_books(books, 30, extra={12: f'summary = "{"long " * 400}"\n'})
    failed = _limited(1500, "tags", "rename", "sf", "science fiction")
    assert failed.returncode == 1, failed.stderr
    assert failed.stderr.strip().splitlines() == [
        f"readlog: error: cannot write {books / 'book-0012.toml'}: File too large; tags rename stopped: 12 of "
        "30 books renamed (each whole); the same command again renames the rest"
    ]
    assert _renamed(books) == 12


def _clippings(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "examples" / "my_clippings.txt", folder / "My Clippings.txt")
    return folder / "My Clippings.txt"


def test_a_folder_given_to_import_is_searched_as_a_device_is_deep(
    run, journal_home: Path, tmp_path: Path
) -> None:
    """Try-out 24b, 12: `import /tmp` searched every folder below it without limit (29 books from other
    programs' test files). A folder is a device or a backup of one: searched FOLDER_DEPTH folders down,
    no deeper. Mutation: folder_files without its depth limit: this fails (the deep file is read)."""
    from readlog.importers.highlights import FOLDER_DEPTH

    device = tmp_path / "device"
    _clippings(device.joinpath(*["deep"] * (FOLDER_DEPTH + 1)))  # (one folder too deep)
    refused = run("import", str(device), code=1)
    assert "holds no highlights" in refused.stderr
    assert not journal_home.exists()
    _clippings(device / "documents")  # where a Kindle keeps it
    assert "Piranesi" in run("import", str(device)).stderr


def test_a_folder_too_big_for_a_device_is_refused_before_anything_is_read(
    run, journal_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Try-out 24b, 12: past FOLDER_NAMES files and folders the search stops and the import is refused, naming
    what to give instead. (The bound is made small here: 100,000 files in a test would cost seconds.)
    Mutation: folder_files without its count: this fails (the clippings are imported)."""
    from readlog.importers import highlights

    monkeypatch.setattr(highlights, "FOLDER_NAMES", 40)
    big = tmp_path / "home"
    _clippings(big / "documents")
    for n in range(50):
        (big / f"file-{n}.txt").write_text("not highlights\n", encoding="utf-8")
    refused = run("import", str(big), code=1)
    assert "holds more than 40 files and folders: not an e-reader or a backup of one" in refused.stderr
    assert not journal_home.exists()


def test_check_names_an_empty_file_in_the_trash_and_fix_removes_it(run, journal_home: Path) -> None:
    """Try-out 24b, 4: the 0-byte trash file a failed `rm` left (before this fix) and `check` said all good
    over. It is named, `check --fix` removes it, and `restore` no longer lists it. Mutation: check_journal
    without its empty-trash problems: this fails."""
    _examples(journal_home)
    trash = journal_home / "trash"
    trash.mkdir()
    (trash / "piranesi.20261206T193000.toml").write_bytes(b"")
    found = run("check", code=1)
    assert "an empty file in trash/" in found.stdout and "all good" not in found.stderr
    fixed = run("check", "--fix")
    assert "removed" in fixed.stdout and not list(trash.iterdir())
    assert "The trash is empty" in run("restore").stdout + run("restore").stderr


def test_a_read_only_book_stops_tags_rename_saying_how_far_it_got(run, books):
    """Review 24b: a book made read-only stopped `tags rename` halfway with only its own line; it is an
    OSError now (CannotWrite), so the rename says how many books it renamed and that the command again
    finishes."""
    for title in ("Book A", "Book B", "Book C", "Book D"):
        run("add", title, "-a", "X", "--tag", "scifi")
    (books / "book-c.toml").chmod(0o444)
    try:
        said = run("tags", "rename", "scifi", "sf", code=1).stderr
        assert "book-c.toml: it is read-only" in said
        assert "tags rename stopped: 2 of 4 books renamed (each whole)" in said, said
    finally:
        (books / "book-c.toml").chmod(0o600)
    run("tags", "rename", "scifi", "sf")
    assert "scifi" not in "".join(p.read_text() for p in books.iterdir())
