"""The journal's history from git: `readlog log [BOOK]` in words, and a book as it was (`show --at`)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from readlog.errors import BookNotFound, NewerSchema, ReadlogError
from readlog.sync.git import EMPTY_TREE, Git

if TYPE_CHECKING:
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
    from readlog.text import is_slug

    try:
        return journal.resolve(query, allow_newer=True).slug
    except BookNotFound:
        if is_slug(query):
            return query
        raise


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


def book_log(journal: Journal, slug: str) -> list[LogEntry]:
    """One book's history, oldest first, each commit that touched it described in words."""
    from readlog.sync.describe import changes, read_version

    git = repository(journal)
    path = f"books/{slug}.toml"
    if git.head() is None:
        return []
    raw = git.run("log", "-z", "--reverse", "--format=%H%x1f%P%x1f%aI%x1f%s", "--", path).text
    records = [r.strip("\n").split("\x1f", 3) for r in raw.split("\0") if r.strip()]
    if not records:
        raise ReadlogError(f"{path} has no history yet: `readlog sync` records it")
    specs = []
    for commit, parents, _, _ in records:
        # a merge is described by what it made that neither side had (a recorded conflict, a merged text);
        # what came from one side was already told by that side's own commit
        specs += [f"{parent}:{path}" for parent in parents.split()[:2] or [EMPTY_TREE]] + [f"{commit}:{path}"]
    blobs = iter(git.blobs(specs))
    out = []
    for commit, parents, date, subject in records:
        before = [read_version(next(blobs), path) for _ in parents.split()[:2] or [EMPTY_TREE]]
        new = read_version(next(blobs), path)
        told = [[change.past for change in changes(old, new)] for old in before]
        found = [line for line in told[0] if all(line in other for other in told[1:])]
        if found:
            out.append(LogEntry(commit, date, subject, found))
    return out


def commit_at(git: Git, rev: str, path: str) -> str:
    """The commit meant by `--at`: a revision, or a date (the last change to `path` by the end of it)."""
    if _DAY.fullmatch(rev):
        from datetime import date

        try:
            date.fromisoformat(rev)
        except ValueError:
            raise ReadlogError(f"--at: {rev!r} is not a valid date") from None
        found = git.run("rev-list", "-1", f"--before={rev} 23:59:59", "HEAD", "--", path).text.strip()
        if not found:
            raise ReadlogError(f"{path} has no version on or before {rev}")
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
        raise ReadlogError(f"{path} has no history yet: `readlog sync` records it")
    commit = commit_at(git, rev, path)
    raw = git.blobs([f"{commit}:{path}"])[0]
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
