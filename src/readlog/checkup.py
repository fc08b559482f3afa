"""`readlog check`: everything that could be wrong with a journal's files, found without changing any.

`fix` repairs only what is safe to repair without a reader's judgement: a stray temp file from an
interrupted write (removed under the journal lock, so no write is in flight), and a file whose name is
not a slug (renamed to its title's slug). Everything else is reported for the reader to decide.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from readlog.errors import BookFileError, NewerSchema, ReadlogError
from readlog.files import IMPORT_TEMP, move, read_regular
from readlog.identity import Same, Twins, Work, authors_agree, named_with_places, same_in_journal
from readlog.journal import Journal, top_book_files
from readlog.lazyclass import pattern_when_used
from readlog.model import Book, Entry, backwards_reads
from readlog.text import control_codes, is_slug, one_line


@dataclass
class Problem:
    path: str
    # toml | field | schema | conflict | link | special-file | duplicate | bad-name | copy | temp-file
    # | unknown-file | goals | dates | maybe-same | control-character | open-comment | empty | unseen-file
    # | same-title | crossed-name | empty-trash | outside-books | edition-twice | unmerged (a git merge in
    # progress: actions.check)
    kind: str
    message: str
    line: int | None = None
    column: int | None = None
    fixable: bool = False
    notice: bool = False  # shown, not counted: two books that may be one ("maybe the same book"), a control
    # character in a title

    def __str__(self) -> str:
        where = self.path + "".join(f":{n}" for n in (self.line, self.column) if n)
        return f"{where}: {self.message}"

    def to_json(self) -> dict[str, Any]:
        return dict(vars(self))


@dataclass
class Report:
    checked: int
    problems: list[Problem]


def check_journal(journal: Journal) -> Report:
    books_dir = journal.books_dir
    if not books_dir.is_dir():
        return Report(0, _books_elsewhere(journal))
    problems: list[Problem] = []
    entries: list[Entry] = []
    with os.scandir(books_dir) as listing:  # (each entry's type from the listing: no stat of each book)
        found = sorted(listing, key=lambda entry: entry.name)
    names = [entry.name for entry in found]
    claimed: set[str] = set()  # names the `mv`s suggested for books in folders take in books/
    for listed in found:
        name, path = listed.name, books_dir / listed.name
        if is_temp_name(name):
            problems.append(
                Problem(str(path), "temp-file", "left by an interrupted write (safe to remove)", fixable=True)
            )
        elif listed.is_dir(follow_symlinks=False):  # a folder, a hidden one too (`.old`), but a repository's
            if name != ".git":
                problems.extend(_folder(journal, path, claimed, quiet=name.startswith(".")))
        elif name.startswith(".") or not name.lower().endswith(".toml") or listed.is_dir():
            # a book under a name readlog skips (`.kindred.toml`, `kindred.toml.bak`): said, with the `mv`
            # to one it reads (review 32b #1, #3); .DS_Store, .gitkeep and friends: not ours, not harmful
            book = book_in(path) if ".toml" in name.lower() and listed.is_file() else None
            if book is not None:
                way = way_in(journal, path, book, claimed)
                message = f"a book file readlog cannot see: it reads only `<slug>.toml` in books/; {way}"
                problems.append(Problem(str(path), "unseen-file", message))
            elif not name.startswith("."):
                problems.append(
                    Problem(str(path), "unknown-file", "not a book file (books/ holds only <slug>.toml)")
                )
        elif not name.endswith(".toml"):  # `Upper.TOML`: a book, maybe, that readlog never lists
            entry = _check_file(journal, path, problems)
            if entry is None:
                problems.append(_unseen_extension(journal, path, entry, claimed))
            else:  # (said below, once the books readlog sees are known: a copy of one is no new book)
                entries.append(entry)
        elif listed.is_symlink() and _second_name(journal, path):
            target = path.resolve().name
            message = f"a link to {target}: the same book under a second name (readlog reads {target} once)"
            problems.append(Problem(str(path), "link", message))
        else:
            entry = _check_file(journal, path, problems)
            if entry is not None:
                entries.append(entry)
    # What is said of a book's name and twin is said of the books readlog sees: not of `Upper.TOML` nor
    # `Dune.toml` (their own lines say so; a `merge` naming them would be refused: review 33a #6)
    seen: list[Entry] = []
    unseen: list[Entry] = []
    for entry in entries:
        (seen if entry.path.name.endswith(".toml") and is_slug(entry.slug) else unseen).append(entry)
    problems.extend(_unaddressed(journal, entry, seen, claimed) for entry in unseen)
    duplicates = _duplicates(seen)
    problems.extend(duplicates)
    problems.extend(_picks_apart(seen))
    problems.extend(_names(seen, {p.path for p in duplicates if p.kind == "duplicate"}))
    problems.extend(_goals(journal))
    emptied = "an empty file in trash/, left by a write that failed (safe to remove)"
    problems.extend(Problem(str(p), "empty-trash", emptied, fixable=True) for p in _empty_in_trash(journal))
    problems.extend(  # (a books folder once given as the data folder: its books, beside a books/ of its own)
        Problem(str(path), "outside-books", "a book file outside books/: readlog never reads it there")
        for path in top_book_files(journal.root)
    )
    if not entries and not claimed:  # no book here: were they all moved away (`git mv books old/books`)?
        problems.extend(_books_elsewhere(journal))
    problems.extend(
        Problem(str(path), "temp-file", _left_by(path.name), fixable=True)
        for path in stray_temp_files(journal, include_books=False)
    )
    # (what `check` looked at: not `.git` and the other dotfiles it leaves alone)
    looked = sum(not name.startswith(".") or name.endswith(".tmp") for name in names)
    return Report(looked, problems)


TEMP_FOLDERS = ("", "covers", "trash", "drafts")  # besides books/: where readlog writes through a temp file
MERGE_TEMP = ".merge_file_"  # git's copies of the three versions a merge driver joins, at the journal's top


def is_temp_name(name: str) -> bool:
    """A temp file's name: readlog's `.NAME.XXXXXXXX.tmp`, or git's `.merge_file_XXXXXX`, which a sync
    interrupted while git ran the merge driver leaves (ignored, never committed; readlog.sync.quick has the
    same rule, without importing this module)."""
    return name.startswith(".") and (name.endswith(".tmp") or name.startswith(MERGE_TEMP))


def _left_by(name: str) -> str:
    if name.startswith(MERGE_TEMP):
        return "left by an interrupted sync's merge (safe to remove)"
    return "left by an interrupted write (safe to remove)"


def stray_temp_files(journal: Journal, include_books: bool = True) -> list[Path]:
    """Every temp file an interrupted write can leave in the data dir (`.NAME.XXXXXXXX.tmp`, beside the
    file it was to replace: inbox.md, its filing marker, goals.toml, a cover, a trashed copy...)."""
    folders = [journal.root / name if name else journal.root for name in TEMP_FOLDERS]
    if include_books:
        folders.append(journal.books_dir)
    found = []
    for folder in folders:
        try:
            names = os.listdir(folder)
        except OSError:
            continue
        # (a dot first: the 10,000 files of books/ asked nothing more, on every import: clear_stray_temps)
        for name in [name for name in names if name[:1] == "." and is_temp_name(name)]:
            path = folder / name
            with contextlib.suppress(OSError):
                if stat.S_ISREG(path.lstat().st_mode):  # (a file, never a link to one)
                    found.append(path)
    return sorted(found)


def clear_stray_temps(journal: Journal, before: float | None = None) -> list[str]:
    """Remove the temp files of writes a crash (a SIGKILL, a power cut) interrupted, as `check --fix` does
    (clear_temp_file: text that is nowhere else kept in trash/ first); `before`: only those last written
    before then (a time.time(): never one a write of this process made). Call under the journal lock: no
    write is in flight. Returns one line for each kind removed, and one for each file kept in trash/."""
    found = [path for path in stray_temp_files(journal) if before is None or _written_before(path, before)]
    kept = [line for line in (clear_temp_file(journal, path) for path in found) if line.startswith("moved")]
    merged = sum(path.name.startswith(MERGE_TEMP) for path in found)  # git's, for a merge driver
    said = [
        f"removed {count} temp file{'s' if count != 1 else ''} left by an interrupted {what}"
        for count, what in ((len(found) - merged, "write"), (merged, "merge"))
        if count
    ]
    return [*said, *kept]


def _written_before(path: Path, before: float) -> bool:
    try:
        return path.stat().st_mtime < before
    except OSError:
        return False


def clear_temp_file(journal: Journal, path: Path) -> str:
    """Remove a stray temp file; text in it that is nowhere else (a note an interrupted `inbox` was
    writing back, say) is kept in trash/ first. Call under the journal lock. Returns what was done."""
    import re

    if path.name.startswith(MERGE_TEMP):  # a copy of a version git holds: nothing of the reader's only here
        path.unlink(missing_ok=True)
        return f"removed {path} (left by an interrupted sync's merge)"
    match = re.fullmatch(r"\.(.+)\.[0-9a-f]{8}\.tmp", path.name)
    if match and match[1] == IMPORT_TEMP and path.parent == journal.books_dir:
        if not path.exists():
            return f"{path} was already gone"
        path.unlink(missing_ok=True)  # (the export holds it: the same import again writes it)
        return f"removed {path} (a book an interrupted import was writing)"
    target = path.with_name(match[1]) if match else None
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return f"{path} was already gone"
    try:
        current = target.read_bytes() if target is not None and target.is_file() else b""
    except OSError:
        current = b""
    ours = [line for line in data.decode("utf-8", "replace").splitlines() if line.strip()]
    there = set(current.decode("utf-8", "replace").splitlines())
    if not ours or data == current or all(line in there for line in ours):
        path.unlink(missing_ok=True)
        return f"removed {path}"
    name = match[1].lstrip(".") if match else path.name.lstrip(".")
    kept = journal.trash_path(f"{name}.unsaved", "")
    move(path, kept, replace=True)  # over the empty file that claimed the name
    return f"moved {path} to {kept} (it held text that is nowhere else)"


def _goals(journal: Journal) -> list[Problem]:
    from readlog.errors import InvalidValue
    from readlog.goals import GOALS_FILE
    from readlog.sync.conflicts import goals_problems
    from readlog.sync.device import this_device

    try:
        journal.goals()
    except (InvalidValue, BookFileError) as error:
        text = str(error).removeprefix(f"{journal.root / GOALS_FILE}: ")
        return [Problem(str(journal.root / GOALS_FILE), "goals", text)]
    # what a sync's merge recorded, like a book's: the reader chooses
    return [
        Problem(str(journal.root / GOALS_FILE), "sync-conflict", text)
        for text in goals_problems(journal, this_device(journal.root))
    ]


def book_in(path: Path) -> Book | None:
    """The book a file readlog does not read holds, if it parses as a book file (an unrelated
    `settings.toml`, a broken copy: None, and no `mv` is suggested for it: review 32b #2)."""
    from readlog import bookfile

    try:
        return bookfile.parse(bookfile.decode(read_regular(path), str(path)), str(path))
    except (ReadlogError, OSError, UnicodeError):
        return None


_BOOK_KEY = pattern_when_used(r"^(?:schema|title)\s*=", re.MULTILINE)


def _broken_book(path: Path) -> BookFileError | None:
    """Why a file readlog does not read, that book_in found no book in, is a broken book file: a line of a
    book's own (`schema =`, `title =`) and an error (conflict markers, bad TOML). None for anything else (a
    tool's `settings.toml`, however broken: never named)."""
    from readlog import bookfile

    try:
        text = bookfile.decode(read_regular(path), str(path))
    except (ReadlogError, OSError, UnicodeError):
        return None
    if _BOOK_KEY.search(text) is None:
        return None
    try:
        bookfile.parse(text, str(path))
    except BookFileError as error:
        return error
    except (ReadlogError, UnicodeError):
        return None
    return None


def target_in_books(journal: Journal, name: str, book: Book | None, claimed: set[str]) -> Path | None:
    """Where in books/ a book file readlog does not read (`old/.kindred.toml`, `kindred.toml.bak`,
    `kin dred.toml`, `Dune.TOML`, `archive/kindred.toml`) can go so that readlog reads it: its own name,
    cut to `NAME.toml` and lower case, when that is a slug free in books/ (and not `claimed`, promised to
    another such file); else a free slug of its title, as `check --fix` names one (Journal.free_slug);
    None when neither is (a file that does not parse, its name taken). A name readlog would skip, or one
    that moving there would replace, is never given (review 32b #3, #4, #8). The slug is added to
    `claimed`."""
    stem = _own_name(name)
    if is_slug(stem) and stem not in claimed and not journal.path_for(stem).exists():
        slug = stem
    elif book is not None:
        slug = journal.free_slug(book, taken=claimed)
    else:
        return None
    claimed.add(slug)
    return journal.path_for(slug)


def _own_name(name: str) -> str:
    """A file's name as a slug would be it: `.Kindred.toml.bak` -> `kindred`."""
    stem = name.lstrip(".")
    at = stem.lower().find(".toml")
    return stem[:at].lower() if at >= 0 else ""  # (`.toml` alone: no name of its own)


def _same_bytes(path: Path, other: Path) -> bool:
    try:
        return other.is_file() and path.read_bytes() == other.read_bytes()
    except OSError:
        return False


def moves_in(journal: Journal, moves: list[tuple[Path, Path]], make: bool = False) -> str:
    """The shell command that moves book files into books/ (`target_in_books` chose each name), each by
    `mv -i`: were a file made under that name since this was said, mv asks before replacing it (and,
    with no terminal to answer, does not): the advice never writes over a book (review 32b #8). With
    `mkdir -p` first when there is no books/ (or, `make`, always: an emptied one may go)."""
    from readlog.sync.conflicts import shell_word

    def command(*words: str | Path) -> str:  # (a name holding a newline as `$'new\nline'`: try-out 33b #8)
        return " ".join(shell_word(str(word)) for word in words)

    parts = [command("mv", "-i", source, target) for source, target in moves]
    if make or not journal.books_dir.is_dir():
        parts.insert(0, command("mkdir", "-p", journal.books_dir))
    return " && ".join(parts)


def way_in(journal: Journal, path: Path, book: Book | None, claimed: set[str], make: bool = False) -> str:
    """How a check line says to bring a book file readlog does not read into books/."""
    from readlog.journal import title_slug

    for own in dict.fromkeys([_own_name(path.name)] + ([title_slug(book.title)] if book else [])):
        if is_slug(own) and _same_bytes(path, journal.path_for(own)):  # (`kindred.toml.bak` of kindred.toml)
            return f"the same bytes as {own}.toml, which readlog reads: a copy (safe to remove)"
    target = target_in_books(journal, path.name, book, claimed)
    if target is None:
        return "no free name for it in books/: move it in under a name of its own (a slug, `.toml`)"
    return f"`{moves_in(journal, [(path, target)], make)}` brings it in"


def _folder(journal: Journal, folder: Path, claimed: set[str], quiet: bool = False) -> list[Problem]:
    """A folder in books/: readlog reads only the files in books/ itself, so a book file in it, at any depth
    (`2024/done/dawn.toml`, `.old/kindred.toml`), is one readlog cannot see; each is named with the `mv`
    that brings it in (a name taken there, or by another such `mv`: said). One walk, links not followed,
    a `.git` left alone. A folder with no book file is named as no book file, unless it is hidden (`quiet`:
    `.stfolder`, a trash folder of the desktop's). Only files that parse as book files are named: the `mv`
    gives each a name readlog reads that is free (`target_in_books`)."""
    inside, folders = [], [folder]
    while folders:
        try:
            with os.scandir(folders.pop()) as listing:
                for entry in listing:
                    if entry.is_dir(follow_symlinks=False):
                        if entry.name != ".git":
                            folders.append(Path(entry.path))
                    elif ".toml" in entry.name.lower() and entry.is_file():
                        inside.append(Path(entry.path))
        except OSError:
            continue
    found = []
    for path in sorted(inside):
        book = book_in(path)
        broken = _broken_book(path) if book is None else None
        if broken is not None:  # (named as the file, never as its folder: t32l's note)
            message = (
                f"a book file in a folder, which does not parse ({broken.message}): readlog reads only "
                "books/ itself and cannot see it; mend it, then move it into books/"
            )
            found.append(Problem(str(path), "unseen-file", message, broken.line, broken.column))
        if book is None:
            continue  # (no book file: a tool's settings.toml)
        way = way_in(journal, path, book, claimed)
        message = f"a book file in a folder: readlog reads only books/ itself and cannot see it; {way}"
        found.append(Problem(str(path), "unseen-file", message))
    if not found and not quiet:
        found.append(Problem(str(folder), "unknown-file", "not a book file (books/ holds only <slug>.toml)"))
    return found


def _books_elsewhere(journal: Journal) -> list[Problem]:
    """A journal with no book in books/: the book files in its other folders, at any depth (not trash/,
    drafts/, .git), each with the `mv` that brings it in: a books/ moved away whole (`git mv books
    old/books` on another device) is not `all good` (try-out 32b #2). Only then: one walk of a small tree.
    Only files that parse as book files (`kindred.toml`, `kindred.toml.bak`; not a `settings.toml`: review
    32b #2), each to a free name readlog reads (`target_in_books`)."""
    found, folders, claimed = [], [journal.root], set[str]()
    skipped = {journal.books_dir, journal.trash_dir, journal.drafts_dir, journal.root / ".git"}
    while folders:
        here = folders.pop()
        try:
            with os.scandir(here) as listing:
                for entry in listing:
                    path = Path(entry.path)
                    if entry.is_dir(follow_symlinks=False):
                        if path not in skipped:
                            folders.append(path)
                    elif here != journal.root and ".toml" in entry.name.lower() and entry.is_file():
                        found.append(path)
        except OSError:
            continue
    problems = []
    for path in sorted(found):
        book = book_in(path)
        if book is None:
            continue
        way = way_in(journal, path, book, claimed, make=True)
        message = f"a book file outside books/, where no book is: readlog never reads it there; {way}"
        problems.append(Problem(str(path), "outside-books", message))
    return problems


def _unseen_extension(journal: Journal, path: Path, entry: Entry | None, claimed: set[str]) -> Problem:
    """`Upper.TOML`: readlog lists only `*.toml` (lower case), so the book in it is not seen; `check --fix`
    renames a book that parses to its title's slug, as a `Space Name.toml`."""
    message = "a book file readlog cannot see: its name must end in `.toml`, lower case"
    if entry is None:  # (it does not parse: its lower-case name, if a slug free in books/)
        target = target_in_books(journal, path.name, None, claimed)
        if target is not None:
            message += f"; `{moves_in(journal, [(path, target)])}`"
        return Problem(str(path), "unseen-file", message)
    return Problem(str(path), "bad-name", message, fixable=True)


def _unaddressed(journal: Journal, entry: Entry, seen: list[Entry], claimed: set[str]) -> Problem:
    """A book file in books/ whose name is not a slug (`Dune Again.toml`) or not `.toml` (`Dune.TOML`):
    `check --fix` renames it to its title's slug, unless it is a copy of a book readlog reads (Finder's
    `Dune.toml` of dune.toml: review 33a #6), which a rename would make a second book, counted twice. The
    same bytes: a copy (safe to remove), that `--fix` moves to trash/ (as `rm` would; nothing in it is
    lost). The same book with changes of its own: the reader's to join, by the `mv -i` that brings it in
    and the `merge` after it."""
    path, not_seen = entry.path, "the file name is not a slug: readlog cannot see it"
    if not path.name.endswith(".toml"):
        not_seen = "a book file readlog cannot see: its name must end in `.toml`, lower case"
    same = [other for other in seen if other.text == entry.text and _same_bytes(path, other.path)]
    if same:
        message = (
            f"{not_seen}; the same bytes as {same[0].path.name}, which readlog reads: a copy (safe to "
            "remove: `--fix` moves it to trash/)"
        )
        return Problem(str(path), "copy", message, fixable=True)
    work = Work.of(entry.book)
    twin = next((o for o in seen if same_in_journal(Work.of(o.book), work) is Same.SURE), None)
    if twin is None:
        if not path.name.endswith(".toml"):
            return _unseen_extension(journal, path, entry, claimed)
        return Problem(str(path), "bad-name", f"{not_seen} (`--fix` renames it)", fixable=True)
    target = target_in_books(journal, path.name, entry.book, claimed)
    if target is None:  # (no free slug of its title: free_slug numbers them, so only past its numbers)
        return Problem(str(path), "copy", f"{not_seen}; the same book as {twin.path.name}")
    message = (
        f"{not_seen}; the same book as {twin.path.name} ({one_line(entry.book.title)}), with changes of its "
        f"own: `{moves_in(journal, [(path, target)])}` brings it in, then `readlog merge "
        f"{_addressed(twin.slug)} {_addressed(target.stem)}` joins them (or remove it, if "
        f"{twin.path.name} holds all you want)"
    )
    return Problem(str(path), "copy", message)


def _check_file(journal: Journal, path: Path, problems: list[Problem]) -> Entry | None:
    from readlog import bookfile

    slug = path.name[:-5]
    try:
        journal.check_link(path)
        text = bookfile.decode(read_regular(path), str(path))
        book = bookfile.parse(text, str(path))
    except NewerSchema as error:
        problems.append(Problem(str(path), "schema", error.message + " (read-only until then)"))
        return None
    except BookFileError as error:
        kind = (
            "conflict"
            if "conflict markers" in error.message
            else "toml"
            if "TOML" in error.message
            else "special-file"
            if "not a regular file" in error.message
            else "empty"
            if error.message.startswith("the file is ")
            else "field"
        )
        problems.append(Problem(str(path), kind, error.message, error.line, error.column))
        return None
    except ReadlogError as error:
        problems.append(Problem(str(path), "link", str(error)))
        return None
    backwards = backwards_reads(book)
    for number in backwards:
        problems.append(
            Problem(
                str(path),
                "dates",
                f"reads[{number}]: the reading starts after it ends (a typo in one of the dates?)",
                bookfile.locate(text, f"reads[{number}].started"),
            )
        )
    problems.extend(_ends_too_soon(book, slug, str(path), text, set(backwards)))
    problems.extend(_ended_twice(book, slug, str(path), text))
    from readlog.sync.conflicts import pending

    if not any(c.field == "status" for c in pending(book)):  # (in conflict: the reader's to choose)
        problems.extend(
            Problem(str(path), "dates", message, bookfile.locate(text, f"reads[{number}]"))
            for number, message in going_on(book, slug)
        )
    if "conflicts" in book.extra:  # recorded by a sync's merge: the reader chooses
        from readlog.sync.conflicts import problems_in
        from readlog.sync.device import this_device

        for message, line in problems_in(book, slug, text, this_device(journal.root)):
            problems.append(Problem(str(path), "sync-conflict", message, line))
    problems.extend(_control_characters(book, str(path), text))
    problems.extend(_editions_twice(book, slug, str(path), text))
    if "<!--" in text:
        problems.extend(_open_comments(book, str(path), text))
    return Entry(slug, book, path, text=text)


def _ends_too_soon(book: Book, slug: str, path: str, text: str, told: set[int]) -> list[Problem]:
    """A reading that ends (finished, or stopped) before a day it records (its latest progress, a pause, a
    resume, its start): what `finish --date` and `abandon --date` refuse (reading.past_its_end), made by a
    hand edit or an older readlog. Named with its reading, both days and the way out."""
    from readlog import bookfile
    from readlog.model import sort_key
    from readlog.reading import its_own_day, past_its_end

    found = []
    for number, read in enumerate(book.reads, 1):
        end, key = (read.finished, "finished") if read.finished is not None else (read.stopped, "stopped")
        if end is None or number in told:  # (a start after the end is told already, by backwards_reads)
            continue
        late = past_its_end(read, end)
        if late is None:
            continue
        day, word = late
        ended = "finished" if key == "finished" else "abandoned"
        other = {"started": f"reads[{number}].started", "progress": "the progress of that day"}.get(
            word, f"the {word} day"
        )
        message = (
            f"reads[{number}] of {one_line(book.title)!r}: {ended} {sort_key(end)}, before "
            f"{its_own_day(word)} ({sort_key(day)}); one of the two dates is wrong: `readlog edit {slug}` "
            f"corrects it (reads[{number}].{key}, or {other})"
        )
        found.append(Problem(path, "dates", message, bookfile.locate(text, f"reads[{number}].{key}")))
    return found


def _ended_twice(book: Book, slug: str, path: str, text: str) -> list[Problem]:
    """A reading both finished and stopped (a hand edit, or a sync merge of an older readlog: try-out 33a
    #14): it ends one way, and is counted both ways while it holds both (review 33a #18). Named with the key
    to remove: the one the book's status disagrees with (a book given up keeps `stopped`), else the
    reader's to choose."""
    from readlog import bookfile
    from readlog.model import sort_key
    from readlog.sync.conflicts import pending

    settled = not any(c.field == "status" for c in pending(book))  # (in conflict: the reader's to choose)
    found = []
    for number, read in enumerate(book.reads, 1):
        if read.finished is None or read.stopped is None:
            continue
        last = number == len(book.reads) and settled
        slip = (
            "finished"
            if last and book.status == "abandoned"
            else "stopped"
            if last and book.status == "read"
            else None
        )
        either = f"reads[{number}].finished or reads[{number}].stopped"
        which = f"reads[{number}].{slip}" if slip else f"{either} (the one the status kept disagrees with)"
        message = (
            f"reads[{number}] of {one_line(book.title)!r}: both finished ({sort_key(read.finished)}) and "
            f"stopped ({sort_key(read.stopped)}), and counted both as read and as given up (stats, list); "
            f"a reading is finished or given up: `readlog edit {slug}` and remove {which}"
        )
        found.append(Problem(path, "dates", message, bookfile.locate(text, f"reads[{number}].stopped")))
    return found


def going_on(book: Book, slug: str) -> list[tuple[int, str]]:
    """(number, what to do) for each reading of a book read or given up that has no end and is not over by
    the rules (reading.going_on_when_over): `check` names them, and `resolve` when it sets such a status."""
    from readlog.model import sort_key
    from readlog.reading import going_on_when_over

    out = []
    for number in going_on_when_over(book):
        read = book.reads[number - 1]
        since = f"started {sort_key(read.started)}" if read.started is not None else "begun"
        end = "stopped" if book.status == "abandoned" else "finished"
        out.append(
            (
                number,
                f"reads[{number}] of {one_line(book.title)!r} ({since}) has no end while the book is "
                f"{book.status}: `readlog edit {slug}` and give it its {end} day, or join it to the reading "
                "that ended",
            )
        )
    return out


def _editions_twice(book: Book, slug: str, path: str, text: str) -> list[Problem]:
    """An edition a source table's `editions` lists twice (by its id: identity.edition_id): two devices'
    `--update` of an edition the reader merged in, synced by a readlog before session 30, kept both entries
    (review 30a F3): `show` shows its review twice and an import renews only the first."""
    from readlog.identity import edition_id

    tables = book.extra.get("source")
    found = []
    for source, table in tables.items() if isinstance(tables, dict) else ():
        editions = table.get("editions") if isinstance(table, dict) else None
        seen: set[tuple[str, str, object]] = set()
        for number, entry in enumerate(editions if isinstance(editions, list) else (), 1):
            key = edition_id(entry) if isinstance(entry, dict) else None
            if key is None:
                continue
            # (one ISBN under two titles, `merge` of *Summer* into *Ethan Frome*: two rows' editions, each
            # kept with the title of its row)
            if (*key, entry.get("title")) in seen:
                message = (
                    f"source.{source}.editions[{number}]: the edition {key[0]} {key[1]} is listed twice; "
                    f"`readlog edit {slug}` and keep one (the one whose `imported` is the newer export's)"
                )
                found.append(
                    Problem(
                        path, "edition-twice", message, _nth_table(text, f"source.{source}.editions", number)
                    )
                )
            seen.add((*key, entry.get("title")))
    return found


def _nth_table(text: str, name: str, number: int) -> int | None:
    """The line of the `number`th `[[name]]` header of `text` (None: not found)."""
    header = f"[[{name}]]"
    lines = [at for at, line in enumerate(text.splitlines(), 1) if line.strip().replace(" ", "") == header]
    return lines[number - 1] if len(lines) >= number else None


def _open_comments(book: Book, path: str, text: str) -> list[Problem]:
    """A notice for each text where a `<!--` is never closed: `show`, the site and the posts hide everything
    after it (privacy.without_comments), which the reader may not have meant; shown, not counted."""
    from readlog import bookfile
    from readlog.privacy import note_fields, open_comment

    found = []
    for field, name, value in note_fields(book):
        line = open_comment(value)
        if line is not None:
            message = (
                f"{field}: a `<!--` on line {line} of {name} is never closed: everything after it is hidden "
                "as a note to self (show, site, posts); close it with `-->` if that is not what you meant"
            )
            found.append(Problem(path, "open-comment", message, bookfile.locate(text, field), notice=True))
    return found


def _control_characters(book: Book, path: str, text: str) -> list[Problem]:
    """A notice for each one-line field (title, authors, tags, aliases) holding a control character (`title =
    "\\u0000Steve Jobs"`, in a file an older readlog or a hand wrote): shown, not counted; every way a title
    or a name comes in now drops them (text.clean_name), and `edit` refuses them."""
    from readlog import bookfile
    from readlog.identity import aliases_of

    found = []
    for name, values in (("title", [book.title]), ("authors", book.authors), ("tags", book.tags),
                         ("aliases", aliases_of(book))):  # fmt: skip
        for value in values:
            codes = control_codes(value)
            if codes:
                message = (
                    f"{name}: {one_line(value)!r} holds a control character ({', '.join(codes)}): "
                    "edit the file to take it out"
                )
                line = bookfile.locate(text, name)
                found.append(Problem(path, "control-character", message, line, notice=True))
    return found


def _second_name(journal: Journal, path: Path) -> bool:
    """A link in books/ to another book file there (links out of the journal are refused elsewhere)."""
    if not path.is_symlink():
        return False
    target = path.resolve()
    return target.parent == journal.books_dir.resolve() and target.is_file()


def _duplicates(entries: list[Entry]) -> list[Problem]:
    """Books that are surely one work (a duplicate: a problem), and pairs that may be (listed as "maybe
    the same book"), each with the `readlog merge` that joins them (identity.same_in_journal: a book with no
    authors is at most a maybe of a book with some; two books holding one export row's record, whoever
    their authors are now, are a maybe, as the import that kept them apart said: merge.may_be_one_row)."""
    found = []
    seen: Twins[tuple[Entry, Work]] = Twins()
    for entry in entries:
        work = Work.of(entry.book)
        sure, maybes = None, []  # (every pair that may be one book: a third copy hides none of them)
        for other, other_work in seen.near(entry.book.title, work.keys):
            answer = same_in_journal(other_work, work)
            if answer is Same.SURE and sure is None:
                sure = other
            elif answer is Same.MAYBE or (answer is Same.NO and _one_row(other, other_work, entry, work)):
                maybes.append(other)
        if sure is not None:
            message = (
                f"the same book as {sure.path.name} ({one_line(entry.book.title)}): {_suggested(sure, entry)}"
            )
            found.append(Problem(str(entry.path), "duplicate", message))
        for maybe in maybes if sure is None else []:
            message = (
                f"maybe the same book as {maybe.path.name} ({_named(maybe.book, entry.book)} / "
                f"{_named(entry.book, maybe.book)}): if it is, {_suggested(maybe, entry)}"
            )
            found.append(Problem(str(entry.path), "maybe-same", message, notice=True))
        seen.add((entry, work), entry.book.title, work.keys)
    return found


def _picks_apart(entries: list[Entry]) -> list[Problem]:
    """A read-next pick beside a journal book it may be, made before `next add --from` asked (session 29,
    try-out 29b #1: *Homo Deus* picked from *Sapiens* beside the reader's *Homo Deus: A History of
    Tomorrow*): `next` lists both, and reading the book never closes the pick. Named, with how to join
    them (identity.pick_apart_from): the pick's title written as the book's."""
    from readlog.identity import Twins, pick_apart_from, pick_compared
    from readlog.tomlwrite import dumps

    if not any(entry.book.next for entry in entries):
        return []
    books: Twins[Entry] = Twins()
    for entry in entries:
        books.add(entry, entry.book.title)
    found = []
    for entry in entries:
        for pick in entry.book.next:
            near = [other for other in books.near(pick.title) if other is not entry]
            if any(pick_compared(pick.title, other.book.title) for other in near):
                continue  # (a book the pick names, or one the pick rule says it is not)
            for other in near:
                if pick_apart_from(pick.title, pick.authors, Work.of(other.book)):
                    as_toml = dumps({"title": other.book.title}).strip()
                    message = (
                        f"the pick “{one_line(pick.title)}” may be {other.path.name} "
                        f"({_named(other.book, Book(title=pick.title, authors=pick.authors))}): `next` lists "
                        "the two apart, and reading the book never closes the pick; if it is the book, "
                        f"write the pick's title as the book's here ({as_toml}): one item, read when the "
                        "book is"
                    )
                    found.append(Problem(str(entry.path), "pick-apart", message, notice=True))
    return found


def _one_row(a: Entry, a_work: Work, b: Entry, b_work: Work) -> bool:
    """Two books that only their authors keep apart (the titles alone one work), each holding one export
    row's record (merge.may_be_one_row): a row the import kept as its own book beside the book the reader
    gave other authors (a pen name), a maybe the import named as one (try-out 28b #5)."""
    from dataclasses import replace

    from readlog.importers.merge import may_be_one_row

    if same_in_journal(replace(a_work, authors=b_work.authors), b_work) is Same.NO:
        return False  # (two volumes of one series, put on the shelf on one day: never one row)
    return may_be_one_row(a.book, b.book)


def _named(book: Book, other: Book) -> str:
    """A book as a maybe line names it: its title, and when the two have other authors (one has none, or
    writes a name another way: identity.spelled_otherwise), who wrote each (`The Stand by Jane Doe / The
    Stand, no author`, `The Stand by Stephen King / The Stand by Steven King`: the title alone does not
    tell the two apart); and of one title in two places of a series, the place of each (`Saga (Saga #3) /
    Saga (no place in a series)`: try-out 28b #8)."""
    title = one_line(book.title)
    if title == one_line(other.title) and book.series != other.series:
        title += f" ({_places(book)})"
    if bool(book.authors) == bool(other.authors) and (
        not book.authors or authors_agree(book.authors, other.authors)
    ):
        return title
    return f"{title} by {one_line(', '.join(book.authors))}" if book.authors else f"{title}, no author"


def _places(book: Book) -> str:
    """A book's places in series as a maybe line names them (`Saga #3`), or that it has none."""
    places = [
        f"{s.get('name', '')} #{s['number']}" if s.get("number") else s.get("name", "") for s in book.series
    ]
    return "; ".join(one_line(place) for place in places if place.strip()) or "no place in a series"


def _addressed(slug: str) -> str:
    """A book as a command the reader copies names it surely: a one-word slug may be another book's whole
    title too (`dune`, and *Dune* in `dune-hand.toml`: `merge dune-hand dune` is refused), its file name
    never is (`dune.toml`)."""
    return slug if "-" in slug else f"{slug}.toml"


def _names(entries: list[Entry], duplicates: set[str]) -> list[Problem]:
    """What makes a BOOK that looks sure not so (identity.lookup, Journal.find): a one-word file name that
    is also another book's whole title (`kindred.toml`, and *Kindred* in `kindred-copy.toml`: `rate kindred`
    is refused; `show kindred` shows the file), worse when two files' names and titles are crossed
    (`kindred.toml` holds *Beloved* and `beloved.toml` *Kindred*: a counted problem); and two files of one
    title that are not one book (two *Twilight*s: give the slug or `TITLE by AUTHOR`). Notices otherwise."""
    from readlog.identity import aliases_of, named_by_whole_title, slugs_named, titles_keyed, typed_key

    keyed = titles_keyed([(entry.book.title, aliases_of(entry.book)) for entry in entries])
    found, named, crossed_pairs = [], set(), set()
    for entry in entries:
        if "-" in entry.slug:
            continue  # `dune-else` is plainly a slug
        others = [entries[at] for at in named_by_whole_title(entry.slug, keyed) if entries[at] is not entry]
        if not others:
            continue
        if str(entry.path) in duplicates or all(str(other.path) in duplicates for other in others):
            continue  # (one book twice: the duplicate's `readlog merge` answers it)
        named.add(entry.path)
        named.update(other.path for other in others)
        crossed = [  # (two titles that are one are no crossing: that is two files of one title, below)
            o for o in others if o.slug in slugs_named(entry.book.title) and o.book.title != entry.book.title
        ]
        if crossed:
            other = crossed[0]
            if (other.slug, entry.slug) in crossed_pairs:
                continue  # (one line for the two files)
            crossed_pairs.add((entry.slug, other.slug))
            message = (
                f"holds {one_line(entry.book.title)}, and {other.path.name} holds "
                f"{one_line(other.book.title)}: the two files' names are crossed (swapped by hand?); "
                f"`{entry.slug}` shows this file, and a write by it is refused: swap the names back"
            )
            found.append(Problem(str(entry.path), "crossed-name", message))
            continue
        listed = ", ".join(f"{o.path.name} ({named_with_places(o.book)})" for o in others[:3])
        message = (
            f"`{entry.slug}` is this file's name and the whole title of {listed}: a write by `{entry.slug}` "
            f"is refused; `{entry.slug}.toml` names this file's book, `{others[0].slug}` the other"
        )
        found.append(Problem(str(entry.path), "same-title", message, notice=True))
    seen: dict[str, Entry] = {}
    for entry in entries:
        title_key = typed_key(entry.book.title)
        if title_key is None:
            continue
        first = seen.setdefault(title_key, entry)
        if first is entry or str(entry.path) in duplicates or entry.path in named:
            continue
        message = (
            f"the same title as {first.path.name} ({one_line(first.book.title)}): the title alone names "
            f"neither for a write; give the slug ({entry.slug}) or `TITLE by AUTHOR`"
        )
        found.append(Problem(str(entry.path), "same-title", message, notice=True))
    return found


def _suggested(first: Entry, then: Entry) -> str:
    """The `readlog merge A B` a check line suggests for two books, saying which it keeps and why."""
    keep, other, why = _keeper(first, then)
    kept = _addressed(keep.slug)
    return f"`readlog merge {kept} {_addressed(other.slug)}` joins them, keeping {kept}{why}"


def _keeper(first: Entry, then: Entry) -> tuple[Entry, Entry, str]:
    """Which of two books a suggested merge keeps (its file, its title, its authors and values; the other
    goes to the trash), and why: the one with authors over one with none (an authorless book may be a maybe
    of King's *The Stand* and of Doe's: the merges suggested each take it away, so following two of them
    joins no two authors); else any book over one a device's highlights file made that holds nothing more
    (`_device_made`: its title is the device's title line, its status a guess; its quotes go with the merge:
    try-out 31b #4); else the reader's book over an import's copy as it came (merge.as_imported: the
    row an import kept as its own book beside the book the reader gave a pen name, a tag: t28g noticed
    the copy kept, and with `--force` the reader's changes gone); else the one no export's row made over
    one a row made (its record from an older readlog, which vouches for less), unless the row's holds more
    of what the reader recorded (`_held`); else the one in the journal
    first (the earlier `added`: the reader's own, say, over a book an e-reader's clippings made today),
    else (a date unknown, or the same) the one holding more of what the reader recorded (`_held`: two
    copies of one import, the rated one with the dated reading over a misspelled one with neither), else the
    one listed first."""
    from readlog.importers.merge import as_imported, records_of

    if bool(first.book.authors) != bool(then.book.authors):
        keep, other = (first, then) if first.book.authors else (then, first)
        return keep, other, f": {other.slug} has no author"
    # A book a device's highlights file made, holding nothing else (try-out 31b #4: a Kobo's title was
    # kept as "the one you made or changed" over the export's): the other copy, an export's or the reader's,
    # is kept, its title and values; the device's quotes and notes go with the merge.
    device_first, device_then = _device_made(first.book), _device_made(then.book)
    if device_first != device_then:
        keep, other = (then, first) if device_first else (first, then)
        made = _made_by(keep.book)
        return (
            keep,
            other,
            (
                f", the one {f'{made} made' if made else 'you added'}: {other.slug} was made from "
                f"{_made_by(other.book)} and holds nothing more (its quotes go with the merge)"
            ),
        )
    copy_first, copy_then = as_imported(first.book), as_imported(then.book)
    if copy_first != copy_then:
        keep, other = (then, first) if copy_first else (first, then)
        made = _made_by(keep.book)
        return (
            keep,
            other,
            (
                f", the one you {f'changed since {made} made it' if made else 'added'}: {other.slug} is as "
                f"{_made_by(other.book) or 'its import'} made it"
            ),
        )
    # Neither as its import made it, as far as its record tells (a record from before t31f vouches for no
    # title: review 31f F1), and one holds no export row's record at all: that one is the reader's (added,
    # or made from their device's highlights), kept over the row's copy, whose Date Added from the export
    # is older than the day the reader added theirs; unless the row's copy holds more of what the reader
    # recorded (a book a device's highlights made, one quote and a guessed status, against the copy the
    # reader read, rated and reviewed: review 31g F1)
    made_first, made_then = not any(records_of(first.book.extra)), not any(records_of(then.book.extra))
    (count_first, held_first), (count_then, held_then) = _held(first.book), _held(then.book)
    if made_first != made_then:
        keep, other = (first, then) if made_first else (then, first)
        mine, theirs = (count_first, count_then) if made_first else (count_then, count_first)
        if mine >= theirs:
            return keep, other, f", the one not made from an export's row: {other.slug} was"
    if first.book.added is not None and then.book.added is not None and then.book.added != first.book.added:
        keep, other = (then, first) if then.book.added < first.book.added else (first, then)
        return keep, other, f", in the journal first ({keep.book.added})"
    if count_first != count_then:  # (review 29a #4: the copy with no reading nor rating was kept)
        keep, other, held = (
            (then, first, held_then) if count_then > count_first else (first, then, held_first)
        )
        return keep, other, f", which holds more of what you recorded ({held})"
    return first, then, ""


def _device_made(book: Book) -> bool:
    """Whether a device's highlights file made `book` (highlights.apply.new_book) and nothing was added
    to it since but more of its highlights: no export's row's record, every quote a device's (its `key`),
    no rating, review, reflection, tag or note of why, and its reading the one the import gives a new book
    (undated, or started on the day of its first highlight). Its title is the device's title line."""
    from readlog.importers.merge import records_of

    if not book.quotes or any(records_of(book.extra)):
        return False
    if not all(_device_of(quote.key) for quote in book.quotes):
        return False
    if book.rating is not None or book.reflections or book.tags or book.why or book.priority is not None:
        return False
    if book.review is not None and not book.review.is_empty():
        return False
    first = min((quote.date for quote in book.quotes if quote.date), default=None)
    return len(book.reads) <= 1 and all(
        not (r.finished or r.stopped or r.progress or r.pauses or r.rating or r.format)
        and r.started in (None, first)
        for r in book.reads
    )


def _device_of(key: str | None) -> str | None:
    """The label of the device format a quote's `key` names (`kobo:...`: Kobo), or None."""
    from readlog.importers import registry
    from readlog.importers.highlights import HighlightsImporter

    name = (key or "").partition(":")[0]
    labels = {i.name: i.label for i in registry() if issubclass(i, HighlightsImporter)}
    return labels.get(name)


def _made_by(book: Book) -> str | None:
    """Where a book came from, as a check line says it: `a Goodreads export's row` (its records' sources),
    `a Kobo highlights file` (none, and a quote from a device), or None (the reader added it)."""
    from readlog.importers import registry
    from readlog.importers.merge import records_of

    tables = book.extra.get("source")
    labels: dict[str, str] = {}
    for importer in registry():  # (the first format of a source: LibraryThing's CSV before its JSON)
        if importer.source:
            labels.setdefault(importer.source, importer.label)
    made = [
        labels.get(str(name), str(name))
        for name, table in (tables.items() if isinstance(tables, dict) else ())
        if any(records_of({"source": {name: table}}))
    ]
    if made:
        return f"a {' and a '.join(made)} export's row"
    device = next((label for quote in book.quotes if (label := _device_of(quote.key))), None)
    return f"a {device} highlights file" if device else None


def _held(book: Book) -> tuple[int, str]:
    """How many things the reader recorded of a book (`check`'s keeper on a tie keeps the one with more),
    and what they are in words: its readings with a day or a rating, its rating, review, quotes and
    reflections."""
    reads = sum(1 for r in book.reads if r.started or r.finished or r.stopped or r.progress or r.rating)
    review = book.review is not None and not book.review.is_empty()
    counts = [
        (reads, "dated reading"),
        (int(book.rating is not None), "rating"),
        (int(review), "review"),
        (len(book.quotes), "quote"),
        (len(book.reflections), "reflection"),
    ]
    words = [f"{n} {word}s" if n > 1 else f"a {word}" for n, word in counts if n]
    return sum(n for n, _ in counts), ", ".join(words)


def _empty_in_trash(journal: Journal) -> list[Path]:
    """Empty files in trash/: a name readlog claimed for a removal or a kept review whose write failed
    (before session 24 it was left there; `restore` listed such a book as one that cannot be read)."""
    folder = journal.trash_dir
    if not folder.is_dir() or folder.is_symlink():
        return []
    found = []
    for entry in sorted(os.scandir(folder), key=lambda e: e.name):
        with contextlib.suppress(OSError):
            if entry.is_file(follow_symlinks=False) and entry.stat(follow_symlinks=False).st_size == 0:
                found.append(Path(entry.path))
    return found


def fix(journal: Journal, problems: list[Problem]) -> list[str]:
    """Repair the fixable problems; returns what was done, one line each."""
    from readlog.bookfile import decode, parse

    done = []
    with journal.locked():
        for problem in problems:
            path = Path(problem.path)
            if problem.kind == "temp-file" and path.exists():
                done.append(clear_temp_file(journal, path))
            elif problem.kind == "empty-trash" and path.is_file() and path.stat().st_size == 0:
                path.unlink()
                done.append(f"removed {path} (an empty file)")
            elif problem.kind == "copy" and problem.fixable and path.is_file():
                book = parse(decode(read_regular(path), str(path)), str(path))
                target = journal.trash_copy(path, book)
                done.append(f"moved {path} to {target} (a copy of a book in books/)")
            elif problem.kind == "bad-name" and path.exists():
                book = parse(decode(read_regular(path), str(path)), str(path))
                target = journal.rename_to_slug(path, book)
                done.append(f"renamed {path} to {target.name}")
    return done
