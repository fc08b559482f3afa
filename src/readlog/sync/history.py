"""The journal's history from git: `readlog log [BOOK]` in words, and a book as it was (`show --at`)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from readlog.errors import BookNotFound, NewerSchema, ReadlogError
from readlog.sync.git import EMPTY_TREE, Git

if TYPE_CHECKING:
    from readlog.identity import Candidate
    from readlog.journal import Journal
    from readlog.model import Book, Entry

_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass
class LogEntry:
    commit: str
    date: str  # ISO 8601, the author's clock
    message: str  # the commit's subject
    changes: list[str] = field(default_factory=list)  # for one book: "finished, rated 4.5", ...

    def to_json(self) -> dict[str, Any]:
        return {"commit": self.commit, "date": self.date, "message": self.message, "changes": self.changes}


def repository(journal: Journal) -> Git:
    """git in the data dir, which must be a repository of its own."""
    git = Git(journal.root)
    if not journal.root.is_dir() or not git.is_own_repository():
        raise ReadlogError(
            f"{journal.root} has no history: it is not a git repository (`readlog sync init` makes it one)"
        )
    return git


def book_slug(journal: Journal, query: str) -> str:
    """BOOK for history: a book in the journal, or the slug of one that was removed but has a history."""
    return find_book(journal, query)[0]


def find_book(journal: Journal, query: str) -> tuple[str, Candidate | None]:
    """`book_slug`, and the book when the query did not surely name it (read-only: the one book a not-sure
    query found is shown, and the reader told which)."""
    from readlog.text import is_slug

    try:
        found = journal.find(query, fuzzy=True)
    except BookNotFound:
        if is_slug(query):
            return query, None
        raise
    return found.slug, (None if found.how.sure else found.candidate)


def journal_log(journal: Journal, limit: int | None = None) -> list[LogEntry]:
    """Every commit, newest first: readlog's commit messages already say what changed, in words."""
    git = repository(journal)
    if git.head() is None:
        return []
    args = ["log", "-z", "--format=%H%x1f%aI%x1f%s"]
    if limit:
        args.append(f"--max-count={limit}")
    out = []
    for record in git.run(*args).text.split("\0"):
        if record.strip():
            commit, date, subject = record.strip("\n").split("\x1f", 2)
            out.append(LogEntry(commit, date, subject))
    return out


Record = tuple[str, str, str, str]  # a commit, its parents, its date, its subject


def follow(git: Git, path: str) -> tuple[list[str], list[Record]]:
    """A book file's every name (`path` first, then those it was renamed from or to: a `mv`, a new slug)
    and the commits that touched it under any, oldest first, both sides of every merge. One `git log`
    when the file was never renamed, and a `git diff -M` (git's rename detection) for each commit that
    added or removed it (not the first commit: it has no parent), which is where a rename shows."""
    paths, checked = [path], set()
    while True:
        raw = git.run(
            "log", "-z", "--full-history", "--date-order", "--reverse", "--no-renames", "--name-status",
            "--format=%x1e%H%x1f%P%x1f%aI%x1f%s", "HEAD", "--", *paths,
        ).text  # fmt: skip
        records: list[Record] = []
        ends: list[tuple[str, str]] = []  # (parent, commit) where a name was added or removed
        for chunk in raw.split("\x1e")[1:]:
            header, _, changed = chunk.partition("\0")
            commit, parents, date, subject = header.split("\x1f", 3)
            records.append((commit, parents, date, subject))
            fields = [f.strip("\n") for f in changed.split("\0")]
            if parents and " " not in parents and any(f in ("A", "D") for f in fields[::2]):
                ends.append((parents, commit))
        more: list[str] = []
        for parent, commit in ends:
            if commit in checked:
                continue
            checked.add(commit)
            out = git.run(
                "diff", "-M", "--diff-filter=R", "--name-status", "-z", parent, commit, "--", "books/"
            )
            fields = [f.strip("\n") for f in out.text.split("\0")]
            for i in range(len(fields) - 2):
                if fields[i].startswith("R"):  # "R100" NUL old NUL new
                    old, new = fields[i + 1], fields[i + 2]
                    for one, other in ((old, new), (new, old)):
                        if one in paths and other not in paths + more:
                            more.append(other)
        if not more:
            return paths, records
        paths += more


def book_log(journal: Journal, slug: str, limit: int | None = None) -> list[LogEntry]:
    """One book's history, oldest first (the last `limit` changes), each commit that touched it described
    in words; across its renames, and both sides of every merge (a removal on one device is in it)."""
    from readlog.sync.describe import changes, read_version

    git = repository(journal)
    path = f"books/{slug}.toml"
    if git.head() is None:
        raise ReadlogError(_no_history(journal, slug))
    paths, records = follow(git, path)
    if not records:
        raise ReadlogError(_no_history(journal, slug))
    specs = []
    for commit, parents, _, _ in records:
        # a merge is described by what it made that neither side had (a recorded conflict, a merged text);
        # what came from one side was already told by that side's own commit
        for rev in [*(parents.split()[:2] or [EMPTY_TREE]), commit]:
            specs += [f"{rev}:{name}" for name in paths]
    blobs = iter(git.blobs(specs))

    def version() -> tuple[str | None, bytes | None]:
        """The book at the next revision asked for: under the first of its names there (None: absent)."""
        found = [(name, next(blobs)) for name in paths]
        return next(((name, raw) for name, raw in found if raw is not None), (None, None))

    out = []
    for commit, parents, date, subject in records:
        before = [version() for _ in parents.split()[:2] or [EMPTY_TREE]]
        where, raw_new = version()
        new = read_version(raw_new, where or path)
        told = []
        for was, raw_old in before:
            old = read_version(raw_old, was or path)
            lines = [change.past for change in changes(old, new)]
            if was is not None and where is not None and was != where:
                lines.insert(0, f"renamed: {_stem(was)} → {_stem(where)}")
            told.append(lines)
        found = [line for line in told[0] if all(line in other for other in told[1:])]
        if new is not None and len(before) > 1 and _kept_back(git, parents.split()[:2], before, paths):
            found.append("back: removed on one device, changed on the other, kept by the merge")
        if found:
            out.append(LogEntry(commit, date, subject, found))
    return out[-limit:] if limit else out


def _kept_back(
    git: Git, parents: list[str], before: list[tuple[str | None, bytes | None]], paths: list[str]
) -> bool:
    """A merge that kept a book one side had removed: the book absent on one side, there on the other,
    and there where the two began (else the side without it never had it: a book added on one device)."""
    if not any(raw is None for _, raw in before) or all(raw is None for _, raw in before):
        return False
    base = git.merge_base(*parents)
    return base is not None and any(raw is not None for raw in git.blobs([f"{base}:{n}" for n in paths]))


def _stem(path: str) -> str:
    return path.rpartition("/")[2].removesuffix(".toml")


def _no_history(journal: Journal, slug: str) -> str:
    """What is true of a book with no commit: not synced yet, or removed before any sync recorded it."""
    path = f"books/{slug}.toml"
    if (journal.root / path).exists():
        return f"{path} has no history yet: `readlog sync` records it"
    removed = journal.removed(slug)
    if removed is not None:
        return (
            f"{removed} was removed before any sync recorded it, so it has no history (its file is in "
            f"trash/: `readlog restore {slug}`)"
        )
    return f"no book {slug!r} in the journal or in its history"


def commit_at(git: Git, rev: str, paths: list[str]) -> str:
    """The commit meant by `--at`: a revision, or a date (the last change to the book, under any of its
    `paths`, by the end of it)."""
    if _DAY.fullmatch(rev):
        from datetime import date

        try:
            date.fromisoformat(rev)
        except ValueError:
            raise ReadlogError(f"--at: {rev!r} is not a valid date") from None
        found = git.run("rev-list", "-1", f"--before={rev} 23:59:59", "HEAD", "--", *paths).text.strip()
        if not found:
            raise ReadlogError(f"{paths[0]} has no version on or before {rev}")
        return found
    commit = git.resolve_commit(rev)
    if commit is None:
        raise ReadlogError(
            f"--at: {rev!r} is neither a date (YYYY-MM-DD, `yesterday`, `3 days ago`) nor a revision in "
            "the history"
        )
    return commit


def entry_at(journal: Journal, slug: str, rev: str) -> Entry:
    """The book as it was at `rev` (a date or a revision), for showing: nothing writes it back."""
    from readlog import bookfile
    from readlog.model import Entry

    git = repository(journal)
    path = f"books/{slug}.toml"
    if git.head() is None:
        raise ReadlogError(_no_history(journal, slug))
    paths = follow(git, path)[0]  # the file it was before a rename, too
    commit = commit_at(git, rev, paths)
    found = [
        (name, raw) for name, raw in zip(paths, git.blobs([f"{commit}:{n}" for n in paths]), strict=True)
    ]
    path, raw = next(((name, raw) for name, raw in found if raw is not None), (path, None))
    if raw is None:
        raise ReadlogError(f"{path} did not exist at {rev}")
    where = f"{path} at {rev}"
    text = bookfile.decode(raw, where)
    try:
        return Entry(slug, bookfile.parse(text, where), journal.root / path, text=text)
    except NewerSchema:
        book = bookfile.parse(text, where, allow_newer=True)
        return Entry(slug, book, journal.root / path, read_only=True, text=text)


def book_at(journal: Journal, slug: str, rev: str) -> Book:
    """The Book as it was at `rev`."""
    return entry_at(journal, slug, rev).book
