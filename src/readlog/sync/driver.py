"""The merge driver git runs for `books/*.toml`, `goals.toml` and `imports.toml`: `readlog merge-driver %O
%A %B %P`.

It reads the three versions, merges them with `merge.merge_data` (a text both sides changed, by lines with
`git merge-file`), records what both sides changed
differently as `[[conflicts]]`, and writes the result over OURS (%A), which is what git takes. The result
is written by editing OURS with tomlkit, so this device's comments and key order stay. A side that does
not parse (or comes from a newer readlog) falls back to git's own line merge (`git merge-file`), whose
markers `readlog check` then names. Two versions of a book each added on its own (no common version) that
are two books (identity.added_apart: by different people, or maybe one) are not merged: OURS stays as it
is and git stops on the file, which `readlog sync` keeps under two names. Exit status as git expects: 0
merged, 1 only when git must stop.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from readlog.errors import BookFileError
from readlog.sync import is_book_path

IMPORTS = "imports.toml"  # (importers.IMPORTS_FILE: the driver is not to import the importers to know it)

if TYPE_CHECKING:
    from readlog.model import Book
    from readlog.sync.imported import Newer


@dataclass
class DriverResult:
    code: int  # for git: 0 merged, 1 conflict markers left (or two books: OURS left as it was)
    conflicts: list[str] = field(default_factory=list)  # fields recorded as conflicts
    fallback: str | None = None  # why git's line merge was used
    apart: str | None = None  # why the two versions, each added on its own, are two books: not merged


class TwoBooks(Exception):
    """Two versions of a book file with no common version that are two books (identity.added_apart):
    `readlog sync` keeps both, under two names (repo._two_books); the driver leaves OURS as it is."""

    def __init__(self, why: str):
        super().__init__(why)
        self.why = why


def merge_texts(
    base: str,
    ours: str,
    theirs: str,
    path: str,
    when: datetime | None = None,
    devices: tuple[str | None, str | None] = (None, None),
    newer: Newer | None = None,
) -> tuple[str, list[str]]:
    """The merged text of a book file (or another TOML file) and the conflicting fields. Raises
    BookFileError when a side does not parse or a book does not validate: the caller falls back. `newer`
    says which side's export of a source is the newer (sync.imported; None: not known)."""
    import tomllib

    from readlog import bookfile
    from readlog.model import SCHEMA
    from readlog.sync.conflicts import answered_apart, record
    from readlog.sync.git import merge_file_sides
    from readlog.sync.merge import merge_data

    book = is_book_path(path)
    datas: list[dict[str, Any]] = []
    books: list[Book] = []
    sides = (("the common", base), ("this device's", ours), ("the other device's", theirs))
    for label, text in sides:
        if not text.strip() and label == "the common":
            continue  # both sides added the file: no common version
        try:
            datas.append(tomllib.loads(text))
        except tomllib.TOMLDecodeError as error:
            raise BookFileError(path, f"{label} version is not valid TOML ({error})") from None
        schema = datas[-1].get("schema", 1)
        if not isinstance(schema, int) or schema > SCHEMA:
            raise BookFileError(
                path, f"{label} version has schema {schema!r}, which this readlog cannot merge"
            )
        if book:  # three valid books, or git's line merge
            books.append(bookfile.parse(text, f"{path} ({label} version)"))
    base_data = datas[0] if len(datas) == 3 else None
    if path == IMPORTS:  # each source's last export: the newer record, never a conflict
        from readlog.importers import imports_text, merged_imports

        return imports_text(merged_imports(datas[-2], datas[-1])), []
    if book and base_data is None:
        why = apart(books[0], books[1])
        if why is not None:
            raise TwoBooks(why)
    fresh = base_data is None
    if book:  # what the imports on each device wrote, as the base of the fields they settle
        from readlog.sync.imported import import_base

        pair, versions = (datas[-2], datas[-1]), (books[-2], books[-1])
        base_data = import_base(base_data, pair, versions, newer or _not_known)
    merged = merge_data(base_data, datas[-2], datas[-1], texts=merge_file_sides, fresh=fresh)
    answered_apart(base_data, datas[-2], datas[-1], merged)  # a book's field or a goal (review 33a #15)
    data = record(merged.data, merged.conflicts, when or datetime.now(UTC).replace(microsecond=0), devices)
    try:
        text = bookfile.update_data(ours, data)
    except (ValueError, TypeError) as error:
        raise BookFileError(path, f"the merged file cannot be written ({error})") from None
    if book:
        bookfile.parse(text, path)  # a merge of valid books that is not one falls back to lines
    else:  # goals.toml
        tomllib.loads(text)
    return text, [c.field for c in merged.conflicts]


def run_driver(base: Path, ours: Path, theirs: Path, path: str) -> DriverResult:
    """What `readlog merge-driver` does: merge into `ours`, or fall back to git's line merge."""
    from readlog.bookfile import decode
    from readlog.files import atomic_write

    newer = functools.cache(functools.partial(newer_export, ours.parent))
    try:
        texts = [decode(p.read_bytes(), str(p)) for p in (base, ours, theirs)]
        merged, conflicts = merge_texts(texts[0], texts[1], texts[2], path, newer=newer)
        if conflicts:  # name the devices only when there is something to label (a git call or two)
            merged, conflicts = merge_texts(
                texts[0], texts[1], texts[2], path, devices=_devices(ours.parent, path), newer=newer
            )
    except BookFileError as error:
        return DriverResult(_line_merge(base, ours, theirs, path), fallback=error.message)
    except TwoBooks as two:
        return DriverResult(1, apart=two.why)  # git stops on it; a sync keeps both (repo._two_books)
    atomic_write(ours, merged, sync_dir=False)  # a temp file of git's: it reads it back at once
    return DriverResult(0, conflicts)


def apart(ours: Book, theirs: Book) -> str | None:
    """Why two versions of a book file, each added on its own (no common version), are two books (None:
    one book added on both devices, merged field by field): identity's answer (added_apart), both holding one
    export row's record (an import's of it on each device) making them that row's book."""
    from readlog.identity import Work, added_apart
    from readlog.importers.merge import one_row

    return added_apart(Work.of(ours), Work.of(theirs), functools.partial(one_row, ours, theirs))


MERGE_DEVICE = "READLOG_MERGE_DEVICE"  # set by `readlog sync` for the merge it runs: this device's name
MERGE_THEIRS = "READLOG_MERGE_THEIRS"  # and the other side's commit
MERGE_OURS = "READLOG_MERGE_OURS"  # and this side's


def _not_known(source: str) -> None:
    return None


def newer_export(where: Path, source: str) -> str | None:
    """Which side of the merge imported the newer export of `source`: "ours", "theirs", or None (the
    same, or not known), by the two sides' imports.toml (importers.newer_import, the rule that keeps one
    record of the two in a sync). One `cat-file` (a `git pull` by hand: HEAD against MERGE_HEAD)."""
    import os
    import tomllib

    from readlog.errors import ReadlogError
    from readlog.importers import newer_import
    from readlog.sync.git import Git

    revs = (os.environ.get(MERGE_OURS) or "HEAD", os.environ.get(MERGE_THEIRS) or "MERGE_HEAD")
    try:
        blobs = Git(where).blobs([f"{rev}:{IMPORTS}" for rev in revs])
        records = [tomllib.loads(blob.decode("utf-8")).get(source) if blob else None for blob in blobs]
    except (ReadlogError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None
    mine, other = records
    if not isinstance(mine, dict) or not isinstance(other, dict):
        return None
    if newer_import(mine, other):
        return "ours"
    return "theirs" if newer_import(other, mine) else None


def _devices(where: Path, path: str) -> tuple[str | None, str | None]:
    """(this device, the device that last wrote `path` on the other side), as far as they are known."""
    import os

    from readlog.errors import ReadlogError
    from readlog.sync.device import machine_name, wrote
    from readlog.sync.git import Git

    try:
        git = Git(where)
        me = os.environ.get(MERGE_DEVICE) or machine_name(git)
        theirs = os.environ.get(MERGE_THEIRS)
        return me, wrote(git, theirs, path) if theirs else None
    except ReadlogError:
        return None, None


def _line_merge(base: Path, ours: Path, theirs: Path, path: str) -> int:
    from readlog.sync.git import Git

    git = Git(ours.parent)
    result = git.run(
        "merge-file", "-L", f"{path} (this device)", "-L", f"{path} (base)", "-L", f"{path} (other device)",
        "--", str(ours), str(base), str(theirs), check=False,
    )  # fmt: skip
    return 0 if result.code == 0 else 1
