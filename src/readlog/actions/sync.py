"""Sync and history: sync init, sync, resolve, log, and the merge driver git calls. Each action is thin:
the work is readlog.sync's; here is what the user typed in and a result out."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from readlog.errors import ReadlogError
from readlog.journal import Journal
from readlog.stopping import Stopped

if TYPE_CHECKING:
    from readlog.identity import Candidate
    from readlog.stopping import Interrupted
    from readlog.sync.driver import DriverResult
    from readlog.sync.history import LogEntry
    from readlog.sync.quick import Prepared
    from readlog.sync.repo import InboxOutcome, SyncReport


def this_device(journal: Journal) -> str | None:
    """This device's name in the journal's repository (None when it is not one)."""
    from readlog.sync.device import this_device as device

    return device(journal.root)


class NotPushed(ReadlogError):
    """The remote could not be reached, or refused the push, after the sync did its part here: `report`
    says what that was (committed, merged), for `sync --json`."""

    def __init__(self, message: str, report: SyncReport):
        super().__init__(message)
        self.report = report


def sync(journal: Journal, prepared: Prepared | None = None) -> SyncReport:
    """Commit, fetch, merge book by book, push; the phone inbox is filed first. `prepared`: what the quick
    look at a sync did already (readlog.sync.quick), taken over. NotPushed when the remote failed it;
    Stopped (SIGTERM, SIGHUP) with the words Ctrl-C gets: what was done (committed, pushed or not)."""
    from readlog.stopping import Interrupted, ending_raised
    from readlog.sync import repo

    try:
        with ending_raised(interrupt=True):
            return repo.sync(journal, inbox=lambda: _file_inbox(journal), prepared=prepared)
    except repo.Unreachable as error:
        if error.report is None:
            raise
        raise NotPushed(str(error), error.report) from None
    except Interrupted as stop:
        raise _stopped(stop) from None


def init(journal: Journal, remote: str | None) -> SyncReport:
    """`sync init`; Stopped (SIGTERM, SIGHUP) as `sync` is."""
    from readlog.stopping import Interrupted, ending_raised
    from readlog.sync import repo

    try:
        with ending_raised(interrupt=True):
            return repo.init(journal, remote)
    except Interrupted as stop:
        raise _stopped(stop) from None


def _stopped(stop: Interrupted) -> Stopped:
    """A sync stopped by SIGTERM or SIGHUP says what Ctrl-C has it say (try-out 32b #10)."""
    notes = [note for note in getattr(stop, "__notes__", ()) if isinstance(note, str)]
    return Stopped(stop.signum, "; ".join(notes) or "sync stopped: nothing more was done")


# The inbox and the marker of a filing in progress (readlog.sync.quick names them, as readlog.actions.inbox
# does: a test holds the two lists equal): when neither is there, there is nothing to file, and that module
# (with the actions it files through) is not imported on every sync.
from readlog.sync.quick import INBOX_FILES  # noqa: E402


def _file_inbox(journal: Journal) -> InboxOutcome:
    """The phone inbox, filed first when it has notes (see `readlog inbox`)."""
    from readlog.sync.repo import InboxOutcome

    if not any((journal.root / name).exists() for name in INBOX_FILES):
        return InboxOutcome(ran=False)  # no file was looked at, none written: the sync's status stands
    from readlog.actions.inbox import INBOX, file_inbox, has_notes

    if not has_notes(journal):
        return InboxOutcome(ran=False)
    report = file_inbox(journal)
    return InboxOutcome(
        filed=[filed.note.raw.decode("utf-8") for filed in report.filed],
        left=[
            f"{INBOX}:{left.number}: {left.reason} (the line stays in {INBOX}; `readlog inbox` walks it)"
            for left in report.left
        ],
        notes=report.notes,
    )


class Resolved:
    """A conflict settled: the book's `title` (None for goals.toml), the `fields` settled, the file's
    `path`; `notes`, what the reader still has to do (a reading left going on in a book now read or given
    up). (Plain classes here: a dataclass runs generated code when this module is imported, on every
    sync.)"""

    __slots__ = ("title", "fields", "path", "notes")

    def __init__(self, title: str | None, fields: list[str], path: Path, notes: list[str] | None = None):
        self.title, self.fields, self.path, self.notes = title, fields, path, notes or []


def resolve(journal: Journal, book: str, field: str | None, side: str) -> Resolved:
    """Settle a recorded conflict in BOOK (or in goals.toml, named `goals`) with `side`: ours or theirs."""
    from readlog.sync import conflicts

    if book.strip().lower() == conflicts.GOALS and conflicts.goals_pending(journal):
        fields = conflicts.resolve_goals(journal, field, side, this_device(journal))
        return Resolved(None, fields, journal.root / "goals.toml")
    entry = journal.resolve(book)
    entry, fields = conflicts.resolve(journal, entry, field, side, this_device(journal))
    notes = []
    if "status" in fields:  # (a start there, a dated `abandon` here: try-out 33b #21)
        from readlog.checkup import going_on

        notes = [message for _, message in going_on(entry.book, entry.slug)]
    return Resolved(entry.book.title, fields, entry.path, notes)


class History:
    """A log: its `entries`; `guessed`, the book BOOK was a near spelling of, by its title."""

    __slots__ = ("entries", "guessed")

    def __init__(self, entries: list[LogEntry], guessed: Candidate | None = None):
        self.entries, self.guessed = entries, guessed


def history(journal: Journal, book: str | None, limit: int | None) -> History:
    """The journal's last `limit` changes, or one book's (None: all)."""
    from readlog.sync import history as log

    if book is None:
        return History(log.journal_log(journal, limit))
    slug, guessed = log.find_book(journal, book)
    return History(log.book_log(journal, slug, limit), guessed)


def merge_driver(base: Path, ours: Path, theirs: Path, path: str) -> DriverResult:
    from readlog.sync.driver import run_driver

    return run_driver(base, ours, theirs, path)
