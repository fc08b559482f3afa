"""sync's rename detection and a book renumbered in its series (Vol. 1 made Vol. 2, its file renamed with
it): identity.same_work rightly calls two volumes two books, so the move showed as one book removed and
another added, finished and reviewed today, while `log BOOK` (git's rename detection) said renamed. A book
moved and retitled in one go is a rename now (sync.repo._retitled: the same authors, the same day added,
half the file the same); a volume removed and the next one added stay two changes."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from readlog.sync.repo import _half_the_same
from test_sync_git import Device, git_env  # noqa: F401 (fixtures)

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def subject(device: Device) -> str:
    return device.git("log", "-1", "--format=%s").strip()


def move(books: Path, old: str, new: str, *edits: tuple[str, str]) -> None:
    """`mv books/OLD.toml books/NEW.toml`, with the text edits given."""
    text = (books / f"{old}.toml").read_text(encoding="utf-8")
    for before, after in edits:
        assert before in text
        text = text.replace(before, after)
    (books / f"{old}.toml").unlink()
    (books / f"{new}.toml").write_text(text, encoding="utf-8")


@pytest.fixture
def solo(run, tmp_path: Path) -> Device:
    device = Device(run, tmp_path / "solo")
    device("add", "Saga, Vol. 1", "-a", "Brian K. Vaughan", "--rating", "4",
           "--review", "Space opera with a heart, and the best narrator in comics.\n")  # fmt: skip
    device("add", "Dune", "-a", "Frank Herbert")
    device("sync", "init")
    return device


def test_a_book_renumbered_with_its_file_is_a_rename_in_sync_and_log(solo):
    books = solo.home / "books"
    move(books, "saga-vol-1", "saga-vol-2", ("Saga, Vol. 1", "Saga, Vol. 2"))
    told = solo("sync").stderr
    line = 'rename "Saga, Vol. 1" to "Saga, Vol. 2" (saga-vol-1 → saga-vol-2)'
    assert f"Committed: {line}\n" in told  # (not: remove, add, finish (4), review)
    assert subject(solo) == line
    assert solo("log").stdout.splitlines()[0][11:] == line
    assert (
        solo("log", "saga-vol-2").stdout.splitlines()[1][11:]
        == "renamed: saga-vol-1 → saga-vol-2, edited (title)"
    )


def test_renumbered_and_reflected_on_in_one_go(solo):
    books = solo.home / "books"
    move(books, "saga-vol-1", "saga-vol-2", ("Saga, Vol. 1", "Saga, Vol. 2"))
    solo("reflect", "saga-vol-2", "Lying Cat is the best character")
    solo("sync")
    assert subject(solo) == (
        'rename "Saga, Vol. 1" to "Saga, Vol. 2" (saga-vol-1 → saga-vol-2); reflect on "Saga, Vol. 2"'
    )


def test_a_volume_removed_and_the_next_added_are_two_changes(run, tmp_path):
    """Two bare want books of one series by one author, whose files are mostly the same lines: the day each
    was added tells them apart."""
    device = Device(run, tmp_path / "solo")
    device("add", "Saga, Vol. 1", "-a", "Brian K. Vaughan", "--status", "want")
    path = device.home / "books" / "saga-vol-1.toml"
    text = path.read_text(encoding="utf-8")
    added = next(line for line in text.splitlines() if line.startswith("added = "))
    path.write_text(text.replace(added, "added = 2025-01-02"), encoding="utf-8")
    device("sync", "init")
    device("rm", "saga-vol-1", "--yes")
    device("add", "Saga, Vol. 2", "-a", "Brian K. Vaughan", "--status", "want")
    assert _half_the_same(path.with_name("saga-vol-2.toml").read_bytes(), text.encode())  # (alike)
    device("sync")
    assert subject(device) == 'remove "Saga, Vol. 1"; add "Saga, Vol. 2"'


def test_two_books_of_one_day_by_other_authors_are_two_changes(run, tmp_path):
    """Bare files of two books added the same day: most of their lines are the same (status, day added)."""
    device = Device(run, tmp_path / "solo")
    device("add", "Dune", "-a", "Al Bo", "--status", "want")
    device("sync", "init")
    device("rm", "dune", "--yes")
    device("add", "Emma", "-a", "Cy Di", "--status", "want")
    books = device.home / "books"
    assert _half_the_same(
        device.git("show", "HEAD:books/dune.toml").encode(), (books / "emma.toml").read_bytes()
    )
    device("sync")
    assert subject(device) == 'remove "Dune"; add "Emma"'


def test_half_the_same_counts_whole_lines_against_the_bigger_file():
    assert _half_the_same(b"a\nb\n", b"a\nb\n")
    assert _half_the_same(b"aaaa\nb\n", b"aaaa\nc\n")  # 5 of 7 bytes
    assert not _half_the_same(b"a\nbbbb\n", b"a\ncccc\n")  # 2 of 7
    assert not _half_the_same(b"x\n", b"x\n" + b"y" * 10 + b"\n")  # the bigger file counts
    assert not _half_the_same(b"x\ny\nz\n", b"x\nx\nx\n")  # a line as often as the other has it


def test_a_rename_past_the_first_50_books_is_a_rename(run, tmp_path):
    """A commit of more than 50 book files describes the first 50 one by one and counts the rest: a file
    renamed from the first of them to past the 50th was cut in two, told as removed, its new name counted
    as one more book (review 30e F5). A rename is told as one whatever its place in the list, and a rename
    wholly past the cut counts as one book."""
    device = Device(run, tmp_path / "solo")
    books = device.home / "books"
    books.mkdir(parents=True)
    for name in ("aardvark", "abacus", *(f"book-{n:02}" for n in range(60))):
        title = name.replace("-", " ").capitalize()
        (books / f"{name}.toml").write_text(f'title = "{title}"\nauthors = ["A. Writer"]\n', encoding="utf-8")
    device("sync", "init")
    for n in range(60):
        with (books / f"book-{n:02}.toml").open("a", encoding="utf-8") as file:
            file.write("rating = 4\n")
    move(books, "aardvark", "zz-aardvark")  # (the first file, and the last)
    move(books, "book-59", "zz-book-59")  # (both past the first 50)
    device("sync")
    message = device.git("log", "-1", "--format=%B")
    assert '\n- rename "Aardvark" (aardvark → zz-aardvark)\n' in message, message  # (at its new name's place)
    assert "remove " not in message, message
    assert message.splitlines()[0].endswith("; 47 more changes; and 11 more books"), message


def test_a_book_moved_into_a_folder_of_books_says_where(run, tmp_path):
    """`mv books/kindred.toml books/old/` was committed as `rename "Kindred" (kindred → kindred)`: said
    nothing of the folder, where readlog no longer sees the book (review 30e F6 (a))."""
    device = Device(run, tmp_path / "solo")
    device("add", "Kindred", "-a", "Octavia E. Butler")
    device("sync", "init")
    books = device.home / "books"
    (books / "old").mkdir()
    (books / "kindred.toml").rename(books / "old" / "kindred.toml")
    device("sync")
    line = (
        'move "Kindred" into a folder (kindred → old/kindred), where readlog cannot see it: `readlog check`'
    )
    assert subject(device) == line
    (books / "old" / "kindred.toml").rename(books / "kindred.toml")
    device("sync")
    assert subject(device) == 'move "Kindred" out of a folder (old/kindred → kindred)'


class TooMany(Exception):
    pass


def steps_of_describe(tmp_path: Path, count: int, kind: str, most: int) -> int | None:
    """The lines of sync.repo run (sys.settrace) to describe a commit of `count` book files moved into a
    folder (`mv`), or removed with as many others added the same day (`new`): a count of the work done,
    whatever the machine's load. None past `most` (stopped there)."""
    from readlog.sync import repo
    from readlog.sync.git import NO_OBJECT, Changed, Git

    def text(n: int) -> bytes:
        return f'title = "Book {n}"\nauthors = ["Writer {n}"]\nadded = 2026-01-01\nrating = 3\n'.encode()

    changes = []
    for n in range(count):
        changes.append((f"books/book-{n:05}.toml", text(n), None))
        path = f"books/archive/book-{n:05}.toml" if kind == "mv" else f"books/other-{n:05}.toml"
        changes.append((path, None, text(n if kind == "mv" else count + n)))
    changes.sort()
    blob = "1" * 40  # (never read: the contents are `known`)
    changed = [
        Changed("D", path, blob, NO_OBJECT) if new is None else Changed("A", path, NO_OBJECT, blob)
        for path, _, new in changes
    ]
    known = [data for _, old, new in changes for data in (old, new)]
    steps = 0

    def line(frame, event, arg):
        nonlocal steps
        if event == "line":
            steps += 1
            if steps > most:
                raise TooMany
        return line

    before = sys.gettrace()
    sys.settrace(lambda frame, event, arg: line if frame.f_code.co_filename == repo.__file__ else None)
    try:
        repo.describe(Git(tmp_path), changed, known)
    except TooMany:
        return None
    finally:
        sys.settrace(before)
    return steps


@pytest.mark.parametrize("kind", ["mv", "new"])
def test_describing_thousands_of_books_moved_grows_with_them_not_faster(tmp_path, kind):
    """Describing a commit that moved or replaced N books sent all of them past the 50th to the rename
    rules, which compared each added file with each removed one: 4,000 books moved took 125 s of CPU
    under the journal's lock, against 1 s before (review 31b F1). Twice the books is now about twice
    the work."""
    few = steps_of_describe(tmp_path, 2000, kind, 500 * 2000)  # (about 60 to 150 a book now)
    assert few is not None
    many = steps_of_describe(tmp_path, 4000, kind, 5 * few // 2)
    assert many is not None, few
