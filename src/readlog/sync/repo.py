"""`readlog sync init` and `readlog sync`: the data dir as a git repository.

A sync, under the journal lock: finish what an interrupted sync left, commit what changed (a message in
words), fetch, merge, push. The merge never runs in the working tree: `git merge-tree --write-tree`
computes it (calling readlog's merge driver for book files), `git commit-tree` records it, and only then
are the changed files written, each atomically, before HEAD moves. A crash at any moment leaves every book
file whole, either as it was or as merged; the next sync commits whatever was written and merges again,
which changes nothing more (merging what is already merged is a no-op).
"""

from __future__ import annotations

import contextlib
import os
import re
import time
from collections.abc import Callable, Hashable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from readlog.errors import ReadlogError
from readlog.sync import is_book_path
from readlog.sync.git import (
    EMPTY_TREE,
    REFS_FORMAT,
    UNKNOWN,
    Changed,
    Git,
    GitFailed,
    Result,
    Status,
    Unknown,
    parse_refs,
    reason,
)
from readlog.sync.process import git_running_in, wait_for_orphan
from readlog.sync.quick import (  # the sync's names (shared with the quick answer)
    DESCRIBED,
    DRIVER,
    DRIVER_NAME,
    FETCH,
    KEPT,
    MERGE_TEMP,
    REMOTE,
    SYNC_LOCK,
    driver_command,
    git_locks,
    identity_known,
    kept_clear,
    stray_temp_files_here,
    to_add,
)
from readlog.text import is_slug, one_line

if TYPE_CHECKING:
    from readlog.identity import Work
    from readlog.journal import Journal
    from readlog.model import Book, Entry
    from readlog.sync.early import Early
    from readlog.sync.process import Running
    from readlog.sync.quick import Prepared


ATTRIBUTES = """\
# Written by `readlog sync init`: book files and goals merge field by field through readlog's merge
# driver (registered in .git/config), each source's last import by the newer export, the phone inbox line
# by line, keeping both sides.
books/*.toml merge=readlog
goals.toml merge=readlog
imports.toml merge=readlog
inbox.md merge=union
"""
IGNORED = """\
# Written by `readlog sync init`: what stays on this machine.
.lock
*.tmp
.*.tmp
.merge_file_*
drafts/
trash/
.inbox-filing
"""


class NotARepository(ReadlogError):
    pass


class Unreachable(ReadlogError):
    """The remote could not be reached, or refused the push; `report`: what the sync did here first (its
    commit, a merge), when it got that far, so that `sync --json` still says it."""

    report: SyncReport | None = None


class SyncReport:
    """What a sync did. (A plain class, as Kept and git.Result: a dataclass runs generated code when this
    module is imported, on every sync.)"""

    __slots__ = (
        "committed", "merged", "pushed", "remote", "attention", "notes", "merged_here", "unrelated", "filed",
        "parked", "held",
    )  # fmt: skip

    def __init__(self, remote: str | None = None):
        self.committed: str | None = None  # the message of the local commit, if one was made
        self.merged: list[str] = []  # paths the merge brought in or changed
        self.pushed = False
        self.remote = remote
        self.attention: list[str] = []  # one line each: what needs the reader
        self.notes: list[str] = []  # done on the way (a stale lock removed, ...)
        self.merged_here: list[str] = []  # paths a merge (not a fast-forward) wrote
        self.unrelated = False  # the merge joined two journals that began apart, both with books
        self.filed: list[str] = []  # the inbox lines filed before committing
        self.parked: list[str] = []  # inbox lines left (reported; they do not fail a sync)
        self.held: str | None = None  # why nothing was pushed: what follows from `attention`, no thing more

    def __repr__(self) -> str:
        return "SyncReport(" + ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__slots__) + ")"


class InboxOutcome:
    """What running the phone inbox did, as `sync` needs it: it is given the run (the inbox files through
    the actions, a floor above), and puts this in its report and its commit message: `filed`, the lines
    filed, as written; `left`, one line each: a line left in the inbox, and why; `ran`, False when there
    was nothing to file, so no file changed (the sync's status stands). (A plain class: see git.Result.)"""

    __slots__ = ("filed", "left", "notes", "ran")

    def __init__(
        self,
        filed: list[str] | None = None,
        left: list[str] | None = None,
        notes: list[str] | None = None,
        ran: bool = True,
    ):
        self.filed = [] if filed is None else filed
        self.left = [] if left is None else left
        self.notes = [] if notes is None else notes
        self.ran = ran


InboxRun = Callable[[], InboxOutcome]


def init(journal: Journal, remote: str | None = None) -> SyncReport:
    """Make (or adopt) the data dir as a repository, set it up, commit; with `remote`, sync with it. A
    remote that is a folder not there yet, in a folder that is (`/media/usb/journal.git` on a mounted disk),
    is made: an empty bare repository (said in the report's notes); in a folder that is not there either (a
    disk not mounted), the journal is set up all the same, and the error says how to make it."""
    if remote is not None and remote.startswith("-"):
        raise ReadlogError(f"{remote!r} is not a git URL")
    local = _local_path(journal.root, remote) if remote is not None else None
    if local is not None and Path(os.path.abspath(local)).is_relative_to(os.path.abspath(journal.root)):
        # (git reads a relative path from the data dir: `sync init journal.git` made the remote inside
        # the journal, whose next syncs committed the remote's own files and pushed them everywhere)
        raise ReadlogError(
            f"{remote!r} is inside the journal's folder ({journal.root}), as git reads a path from there: "
            "give the remote's whole path, outside it (e.g. /media/usb/journal.git)"
        )
    made = _new_remote(journal, remote) if remote is not None else None
    with journal.locked():
        git = Git(journal.root)
        if not git.is_own_repository():
            git.initialise()
        _set_up_files(journal)
        if made is not None:
            git.run("init", "--quiet", "--bare", f"--initial-branch={git.branch()}", str(made))
        if remote is not None:
            current = git.remote_url(REMOTE)
            if current is None:
                git.run("remote", "add", REMOTE, remote)
            elif current != remote:
                git.run("remote", "set-url", REMOTE, remote)
    with _sync_lock(git):
        report = _sync(journal, git, first=True)
    if made is not None:
        report.notes.insert(
            0,
            f"made an empty repository at {made} to sync with "
            f"(on other devices: `readlog sync init {remote}`)",
        )
    return report


def _new_remote(journal: Journal, remote: str) -> Path | None:
    """The folder to make a bare repository in: `remote` when it is a local path that is not there, in a
    folder that is. (In a folder not there either, a disk not mounted, nothing is made: the sync says how.)"""
    path = _local_path(journal.root, remote)
    if path is None or os.path.lexists(path) or not path.parent.is_dir():
        return None
    return path


def _local_path(root: Path, remote: str) -> Path | None:
    """`remote` as a folder on this machine (relative to the data dir, as git reads it); None for a server's
    (ssh, https, `host:path`)."""
    if remote.startswith("file://"):
        remote = remote.removeprefix("file://")
    elif "://" in remote or ":" in remote.split("/", 1)[0]:
        return None
    return root / remote


def sync(journal: Journal, inbox: InboxRun | None = None, prepared: Prepared | None = None) -> SyncReport:
    """Commit, fetch, merge, push; with `inbox`, the phone inbox is filed first (under the same lock), so
    the commit holds what it filed. `prepared`: what readlog.sync.quick did already (the sync's lock taken,
    the fetch started, the repository found, its configuration read), taken over and released here."""
    if prepared is not None:
        try:
            if Path(prepared.root) == journal.root:
                git = Git(journal.root).assume(prepared.git_dir, prepared.config)
                if prepared.early is not None:
                    _meanwhile()
                early = _early(prepared)
                return _sync(journal, git, inbox=inbox, fetch=prepared.fetch, early=early)
        finally:
            prepared.release()
    git = Git(journal.root)
    if not journal.root.is_dir() or not git.is_own_repository():
        raise NotARepository(f"{journal.root} is not a git repository yet: run `readlog sync init [REMOTE]`")
    with _sync_lock(git):
        return _sync(journal, git, inbox=inbox)


def _meanwhile() -> None:
    """What a commit's message is made with (the words, the book files' parser, the device's name),
    imported while the early steps still run (readlog.sync.early: git's time, not this process's), rather
    than after them, when the commit waits for it."""
    import tomli  # noqa: F401  (readlog.bookfile's parser)

    from readlog.sync import describe, device  # noqa: F401


def _early(prepared: Prepared) -> Early | None:
    """The first local steps quick started (readlog.sync.early), waited for, when they can be kept: the
    fetch is done (the journal's lock they hold is never held waiting for the remote) and `status` ran.
    Else their lock is let go, and the sync runs them again."""
    early, fetch = prepared.early, prepared.fetch
    if early is None:
        return None
    early.wait()
    if early.status is None or fetch is None or (fetch.result is None and fetch.process.poll() is None):
        early.release()
        return None
    return early


def _updated_nothing(fetch: Running | None) -> bool:
    """Whether `fetch` (finished) succeeded saying nothing: it updated no ref (a fetch that does names it;
    anything else it says, a warning, counts as maybe)."""
    result = fetch.result if fetch is not None else None
    return result is not None and result[0] == 0 and not result[2].strip()


def _sync_lock(git: Git) -> contextlib.AbstractContextManager[None]:
    """One sync at a time, for its whole length, the network included. The journal's own lock is held
    only for what happens on this disk (commit, merge, writing files), never while waiting for the
    remote: a `readlog reflect` made meanwhile waits for a local step, not for a stalled server."""
    from readlog.files import hold_lock

    return hold_lock(git.git_dir() / SYNC_LOCK, "another sync")


def _set_up_files(journal: Journal) -> None:
    _write_if_changed(journal.root / ".gitattributes", ATTRIBUTES)
    _write_if_changed(journal.root / ".gitignore", IGNORED)


def _configure(git: Git) -> None:
    git.config_set(f"merge.{DRIVER}.name", DRIVER_NAME)
    git.config_set(f"merge.{DRIVER}.driver", driver_command())
    # git knows who commits (from its config, the environment or the machine), or is told "readlog@HOST"
    known = _identity_configured(git) or all(
        git.run("var", ident, check=False).code == 0 for ident in ("GIT_AUTHOR_IDENT", "GIT_COMMITTER_IDENT")
    )
    if not known:
        git.config_set("user.name", "readlog")
        git.config_set("user.email", f"readlog@{_host()}")


def _identity_configured(git: Git) -> bool:
    """Whether git surely has a name and an e-mail for the author and the committer (see identity_known)."""
    return identity_known(git.config_get)


def _host() -> str:
    import socket

    name = "".join(c for c in socket.gethostname() if c.isalnum() or c in "-.")
    return name or "localhost"


def _write_if_changed(path: Path, content: str) -> None:
    """`content` in a new file; in an existing one, the lines of it that are missing, added at the end."""
    from readlog.files import atomic_write

    old = path.read_text(encoding="utf-8") if path.exists() else ""
    if not old:
        atomic_write(path, content)
        return
    missing = [
        line
        for line in content.splitlines()
        if line and not line.startswith("#") and line not in old.splitlines()
    ]
    if missing:
        atomic_write(path, old.rstrip("\n") + "\n" + "\n".join(missing) + "\n")


def _sync(
    journal: Journal,
    git: Git,
    first: bool = False,
    inbox: InboxRun | None = None,
    fetch: Running | None = None,
    early: Early | None = None,
) -> SyncReport:
    """The git processes a sync runs, each once where it can: `rev-parse` (the repository) and `config
    --list` (the remote, the driver, the identity, the device's name); `fetch`; `status --porcelain=v2
    --branch` (the branch, its commit, what changed); `for-each-ref` (the remote's branch); then only
    what there is to do: `add` (of the paths status named), `diff --cached`, `cat-file` (the message in
    words), `commit` and `for-each-ref` again for a local change; `merge-base` and the merge's own when the
    remote moved; `push` when HEAD is ahead of the remote's branch. A sync with nothing to do runs five (and
    the ones `fetch` starts); tests/test_sync_processes.py counts them. Handed on by readlog.sync.quick
    (`fetch`: the fetch it started; `git`: the repository and configuration it read), `rev-parse`,
    `config` and `fetch` are not run again; most syncs with nothing to do end there, in four."""
    remote = git.remote_url(REMOTE)
    report = SyncReport(remote=remote)
    if fetch is None:  # (a fetch started already was started after this look)
        wait_for_orphan(str(git.root), str(git.git_dir()))
    # the network first, outside the journal's lock
    try:
        unreachable = _try_fetch(git, remote, fetch) if remote is not None else None
    except KeyboardInterrupt as stop:  # Ctrl-C as a first sync fetched: what `sync init` had done, said
        if first and remote is not None:
            stop.add_note(_stopped_fetching(git, remote))
        raise
    touched: set[str] = set()  # paths this sync committed or merged in: where new conflicts can be
    # the journal's lock, held since the first local steps when quick started them (`early`)
    with journal.locked(early.hand_lock() if early is not None else None):
        report.notes += _recover(git)
        # (with `early`, quick found no temp file under this same lock: none can have come since)
        report.notes += _remove_temp_files(journal) if early is None else []
        _configure(git)
        status: Status | None = early.status if early is not None else None
        status = git.status() if status is None else status
        if status.branch is None:
            raise ReadlogError(
                f"{git.root} is not on a branch (detached HEAD): `git -C {git.root} switch main`"
            )
        branch, head = status.branch, status.head
        started = head
        kept = _kept(git, head)
        holds = {head}  # commits HEAD holds: the remote's branch at one of them brings nothing new
        if kept is not None and kept.holds is not None:
            holds.add(kept.holds)
        joining = first and remote is not None and unreachable is None and head is None
        if joining and _only_setup_files(status.changes):
            # a new device joining a journal: take it as it is (a fast-forward), rather than merging it
            # into a history of its own that holds nothing but readlog's set-up files
            _, upstream, theirs = _refs(git, branch, remote=True)
            if theirs is not None:
                try:
                    head = _merge(journal, git, head, theirs, report, touched)
                except KeyboardInterrupt as stop:  # Ctrl-C while joining: what was done, said
                    stop.add_note(_stopped_joining(remote or "", joined=git.head() is not None))
                    raise
                holds.add(head)
                _set_up_files(journal)  # lines this readlog adds that the journal's copies may lack
                status = None
        if inbox is not None:
            outcome = inbox()
            report.filed, report.notes = outcome.filed, report.notes + outcome.notes
            report.parked = outcome.left
            if outcome.ran:
                status = None  # the inbox wrote files: ask again what changed
        # reached: the fetch ran (and its `git maintenance run --auto` with it); the remote's branch is
        # then read with what the commit reads, when it reads it in one (`Git.staged_read`)
        reached = remote is not None and unreachable is None and head is not None
        wanted = f"refs/remotes/{REMOTE}/{branch}" if reached else None
        # the early steps read what changed and the remote's branch: that stands when the fetch updated no
        # ref (it said nothing), else the branch is read again, beside the commit
        beside = None
        early_read = reached and early is not None and early.read is not None and status is early.status
        if early_read and not _updated_nothing(fetch):
            beside = git.start(*_refs_command(branch, remote=True))
        try:
            try:
                report.committed, staged, made, seen = _commit_local(
                    journal, git, first, report.filed, status, head, plain=reached, remote_ref=wanted,
                    early=early,
                )  # fmt: skip
            except KeyboardInterrupt as stop:  # Ctrl-C as it committed: whether the commit was made, said
                if git.head() != head:  # (made: `update-ref`, or `commit`, ran to its end)
                    stop.add_note(_stopped_merging(True, remote is not None))
                raise
            if beside is not None:
                seen = None  # (read before the fetch updated it, maybe)
            if made is not None and seen is None and beside is not None:
                _, upstream, seen = _refs_from(git.finish(beside).text, branch, remote=True)
                if upstream != branch:
                    seen = None  # (a remote whose only branch is named otherwise: `_refs` says which)
        finally:
            if beside is not None and beside.result is None:
                git.finish(beside, check=False)
        touched.update(staged)
        if unreachable is not None:
            if report.committed and kept is not None:  # not read yet: the next sync reads them
                after, _, _ = _refs(git, branch, remote=False)
                if after is not None:
                    _keep(git, after, Kept(kept.broken | touched, kept.conflicts | touched))
            unreachable.report = report
            raise unreachable  # what changed here is committed; it goes with the next sync
        upstream, theirs = branch, None
        if made is not None and seen is not None:
            head, theirs = made, seen  # (the remote's branch named like ours: the one `_refs` takes)
        elif report.committed or remote is not None:
            after, upstream, theirs = _refs(git, branch, remote=remote is not None)
            head = after if report.committed else head
        if theirs is not None and theirs not in holds:
            try:
                head = _merge(journal, git, head, theirs, report, touched)
            except KeyboardInterrupt as stop:  # Ctrl-C while merging: what was done, said (cli's boundary)
                if git.head() != head:  # (the merge is made whole or not at all: `_merge`)
                    stop.add_note(_stopped_pushing(report, merged=True))
                else:
                    stop.add_note(_stopped_merging(report.committed is not None))
                raise
        found = _look(journal, git, kept, touched)
    if remote is not None:
        from readlog.stopping import whole

        pushing, refusals, sent = False, 0, False
        try:
            # someone may push between our fetch and our push (tried again, 3 times in all); the reader
            # may write while it pushes (sent again once: a reader writing every second never keeps a
            # sync running)
            while head is not None and head != theirs:
                if found.unreadable:  # never send a book that does not parse: it is fixed here first
                    report.held = f"not pushed to {REMOTE} until every book parses"
                    break
                try:
                    pushing = True
                    pushed = _push(git, upstream, remote, last=refusals == 2)
                    pushing = False
                except Unreachable as refused:
                    refused.report = report
                    raise
                if pushed:
                    report.pushed, theirs = True, head
                    with journal.locked():  # what was written while it pushed (try-out 32b #1)
                        if sent:
                            if git.changes():
                                report.attention.append(_WRITTEN_WHILE_SENT)
                            break
                        with whole():  # (HEAD moved, `head` not: a Ctrl-C would say a merge was made)
                            head = _commit_meanwhile(journal, git, head, report, touched)
                        if head != theirs:
                            found = _look(journal, git, kept, touched)  # (a hand edit that does not parse)
                    sent = True
                    continue
                error = _try_fetch(git, remote)
                if error is not None:
                    error.report = report
                    raise error
                with journal.locked():
                    with whole():  # (HEAD moved, `head` not: a Ctrl-C would say the remote's changes merged)
                        head = _commit_meanwhile(journal, git, head, report, touched)
                    _, upstream, theirs = _refs(git, branch, remote=True)
                    if theirs is not None:
                        head = _merge(journal, git, head, theirs, report, touched)
                    found = _look(journal, git, kept, touched)  # the merge wrote files: look again
                refusals += 1
                if refusals == 3:
                    report.attention.append(f"{REMOTE} keeps changing: run `readlog sync` again")
                    break
        except KeyboardInterrupt as stop:  # Ctrl-C while pushing: what was done, said (cli's boundary)
            now, tracking = git.head(), f"refs/remotes/{REMOTE}/{upstream}"  # (a push done updates it)
            landed: bool | None = now is not None and git.refs(tracking).get(tracking) == now
            if pushing and not landed and now is not None:  # (stopped, maybe after the remote took it)
                landed = _remote_has(git, upstream, now)
            stop.add_note(_stopped_pushing(report, merged=now != head, pushed=landed))
            raise
    # every book that does not parse, whoever wrote it: a sync never reports success over one
    report.attention = found.unreadable + report.attention + found.conflicts
    if report.unrelated:
        with journal.locked():
            report.attention += _duplicates(journal)
    report.attention = list(dict.fromkeys(report.attention))
    if theirs is not None and not report.pushed and head != theirs:
        found.kept.holds = theirs  # HEAD holds it: merged above (or found there), not pushed
    if head is not None and (kept is None or head != started or found.kept != kept):
        _keep(git, head, found.kept)
    return report


_WRITTEN_WHILE_SENT = (
    "written here while the sync pushed, after what it sent: not pushed yet; the next `readlog sync` "
    "commits and pushes it"
)


def _commit_meanwhile(
    journal: Journal, git: Git, head: str | None, report: SyncReport, touched: set[str]
) -> str | None:
    """Commit what the reader wrote while the push waited on the remote (the journal's lock is let go for
    the network): after a push that went through, to be pushed too; after one refused, before the remote's
    commits are merged in: the merge then takes it in three ways, field by field, rather than writing the
    merged files over it. Returns HEAD after; said in `report`."""
    meanwhile, staged, _, _ = _commit_local(journal, git, first=False)
    if meanwhile is None:
        return head
    touched.update(staged)
    if report.committed is None:
        report.committed = meanwhile
    else:
        report.notes.append(f"written while the push waited, committed in a second commit: {meanwhile}")
    return git.head()


def _refs(git: Git, branch: str, remote: bool) -> tuple[str | None, str, str | None]:
    """From one `for-each-ref`: this branch's commit, and (with `remote`) the remote's branch to sync with
    and its commit: the one named like ours; else the remote's only branch (a journal begun on a git whose
    first branch is `master`); else ours, which the push creates (no commit yet)."""
    return _refs_from(git.out(*_refs_command(branch, remote)), branch, remote)


def _refs_command(branch: str, remote: bool) -> list[str]:
    prefix = f"refs/remotes/{REMOTE}/"
    return ["for-each-ref", REFS_FORMAT, f"refs/heads/{branch}", *([prefix] if remote else [])]


def _refs_from(raw: str, branch: str, remote: bool) -> tuple[str | None, str, str | None]:
    """`_refs`'s answer from `for-each-ref`'s output."""
    prefix = f"refs/remotes/{REMOTE}/"
    refs = parse_refs(raw)
    names = {r.removeprefix(prefix): oid for r, oid in refs.items() if r.startswith(prefix)}
    names.pop("HEAD", None)
    upstream = branch if branch in names or len(names) != 1 else next(iter(names))
    return refs.get(f"refs/heads/{branch}"), upstream, names.get(upstream)


# --- after a crash -------------------------------------------------------------------------------------
def _recover(git: Git) -> list[str]:
    """Clear what an interrupted sync can leave: git's lock files. We hold the journal lock, so no readlog
    git command is running, but the reader's own git may be (a `git add`, an editor's git, a `git gc` in
    the repository README says sync works with): a lock is removed only when no git process works in the
    repository (Linux's /proc tells); one a live git holds is waited for a few seconds, then the sync is
    refused. Where nothing tells (no /proc), only a lock untouched for a minute is taken as left behind.
    readlog never leaves a `git merge` half done (it merges with merge-tree); one the reader started by
    hand is left to them."""
    notes = []
    git_dir = git.git_dir()
    locks = _git_locks(git_dir)
    deadline = time.monotonic() + LOCK_WAIT
    seen: dict[Path, tuple[int, int]] = {}
    while locks:
        seen = _stamps(locks)  # before the scan: a lock made after it is a new git's, not removed
        blocking = _blocking(git, git_dir, seen)
        if blocking is None:
            break
        if time.monotonic() >= deadline:
            raise ReadlogError(blocking)
        time.sleep(0.1)
        locks = _git_locks(git_dir)
    for lock, stamp in _stamps(_git_locks(git_dir)).items():
        if seen.get(lock) != stamp:
            continue
        try:
            lock.unlink()
            notes.append(f"removed {lock.relative_to(git_dir.parent)}, left by a git command that stopped")
        except FileNotFoundError:
            pass
    if (git_dir / "MERGE_HEAD").exists():
        raise ReadlogError(merge_in_progress(git, unmerged_books(git)))
    return notes


LOCK_WAIT = 5  # seconds a sync waits for a running git to let go of its lock files
STALE_LOCK = 60  # seconds: without /proc, a lock file untouched this long is taken as left behind


def _blocking(git: Git, git_dir: Path, locks: dict[Path, tuple[int, int]]) -> str | None:
    """Why the lock files `locks` can't be removed yet (a git that may hold one runs), or None. Only a
    git that could have made a lock blocks it (process.RunningGit.may_hold); it is said to hold it only
    when it has it open."""
    running = git_running_in(str(git.root), str(git_dir))
    for lock, (_, changed) in locks.items():
        name = lock.relative_to(git_dir.parent)
        if running is None:
            if _age(lock) <= STALE_LOCK:
                return f"a git may run in {git.root}, and {name} may be its: try `readlog sync` again later"
            continue
        real = os.path.realpath(lock)
        for process in running:
            if process.holds(real):
                return f"git is busy in {git.root} ({one_line(process.name)}, holding {name}): " + _AGAIN
        for process in running:
            if process.may_hold(real, changed / 1e9):
                return f"a git runs in {git.root} ({one_line(process.name)}) and {name} may be its: " + _AGAIN
    return None


_AGAIN = "try `readlog sync` again when it ends"


def _stamps(locks: list[Path]) -> dict[Path, tuple[int, int]]:
    """Each lock file still there, with its inode and last change (ns)."""
    stamps = {}
    for lock in locks:
        with contextlib.suppress(OSError):
            stat = lock.stat()
            stamps[lock] = (stat.st_ino, stat.st_mtime_ns)
    return stamps


def _age(path: Path) -> float:
    try:
        return time.time() - path.stat().st_mtime
    except OSError:
        return STALE_LOCK + 1  # gone meanwhile: nothing to wait for


def merge_in_progress(git: Git, unmerged: list[tuple[str, str | None]]) -> str:
    """What to do about a `git merge` the reader started (a `git pull` by hand) and that stopped. Where it
    stopped on a book file both devices added as two books (the merge driver left this device's version as
    it is, no conflict markers), `git commit` would keep this device's book alone and the other device's
    next sync would replace its own with it: only undoing it is offered, then `readlog sync` keeps both."""
    root = git.root
    apart = [(path, why) for path, why in unmerged if why is not None]
    if not apart:
        return (
            f"a git merge is in progress in {root}: finish it (`git -C {root} commit`) or undo it "
            f"(`git -C {root} merge --abort`), then `readlog sync`"
        )
    path, why = apart[0]
    more = f" (and {len(apart) - 1} more)" if len(apart) > 1 else ""
    return (
        f"a git merge is in progress in {root}, stopped on {path}{more}, added on both devices as two books: "
        f"{why}; committing it would keep only this device's: undo it (`git -C {root} merge --abort`), "
        "then `readlog sync` keeps both"
    )


def unmerged_books(git: Git) -> list[tuple[str, str | None]]:
    """The book files a `git merge` in progress left unmerged, each with why its two versions are two books
    when both devices added it (stages 2 and 3 only, apart by identity.added_apart), else None."""
    from readlog.sync.describe import read_version
    from readlog.sync.driver import apart

    raw = git.run("ls-files", "-u", "-z").out.decode("utf-8", "surrogateescape")
    stages: dict[str, dict[int, str]] = {}
    for record in raw.split("\0"):
        info, _, path = record.partition("\t")
        parts = info.split()
        if len(parts) == 3 and is_book_path(path):
            stages.setdefault(path, {})[int(parts[2])] = parts[1]
    added = sorted(path for path, found in stages.items() if set(found) == {2, 3})
    contents = git.blobs([stages[path][n] for path in added for n in (2, 3)])
    why: dict[str, str | None] = {}
    for n, path in enumerate(added):
        here, there = read_version(contents[2 * n], path), read_version(contents[2 * n + 1], path)
        why[path] = apart(here, there) if here is not None and there is not None else None
    return [(path, why.get(path)) for path in sorted(stages)]


def _remove_temp_files(journal: Journal) -> list[str]:
    """Temp files of writes a crash interrupted (never read as books, never committed): under the journal
    lock no write is in flight, so they are only litter, as `readlog check --fix` also knows."""
    if not stray_temp_files_here(str(journal.root)):
        return []  # (most syncs) without importing checkup
    from readlog.checkup import clear_stray_temps

    return clear_stray_temps(journal)


def _only_setup_files(changes: list[tuple[str, str]]) -> bool:
    return all(path in (".gitattributes", ".gitignore") for _, path in changes)


def _git_locks(git_dir: Path) -> list[Path]:
    return [Path(path) for path in git_locks(str(git_dir))]


# --- commit ----------------------------------------------------------------------------------------------
def _commit_local(
    journal: Journal,
    git: Git,
    first: bool,
    filed: list[str] | None = None,
    status: Status | None = None,
    head: str | None | Unknown = UNKNOWN,
    plain: bool = False,
    remote_ref: str | None = None,
    early: Early | None = None,
) -> tuple[str | None, list[str], str | None, str | None]:
    """Commit every change in the data dir (what the reader wrote, by readlog or by hand); `filed`, the
    inbox lines this sync filed, are named in the message. `status`, when nothing was written since it
    was taken, and `head` (None: no commit yet) save asking git again; `early`, the steps that took that
    status, what they did too (its changes added, the tree written). With `plain` (this sync's fetch
    ran git's auto maintenance), a commit on a known HEAD is made by plumbing where that makes the very
    same commit (Git.commit_on). Returns the message's first line, the paths committed, the new commit
    when it is known without asking, and the commit `remote_ref` names when it was read on the way."""
    changes = status.changes if status is not None else git.changes()
    if not changes:
        return None, [], None, None
    done = early is not None and early.added and status is early.status  # added while readlog loaded
    if not done:
        git.add_named(to_add(changes))
    tree = None  # with plumbing, the index's tree is written while the changes are read and described
    if plain and isinstance(head, str) and git.plain_commit_allowed():
        tree = (
            early.tree if done and early is not None and early.tree is not None else git.start("write-tree")
        )
    # what changed (and the remote's branch), read beside write-tree
    read = (early.read, early.ref) if done and early is not None and early.read is not None else None
    try:
        return _commit_staged(git, first, filed, status, head, changes, tree, remote_ref, read)
    finally:
        if tree is not None and tree.result is None:
            git.finish(tree, check=False)  # (nothing staged, or an error: never left half done)


def _commit_staged(
    git: Git,
    first: bool,
    filed: list[str] | None,
    status: Status | None,
    head: str | None | Unknown,
    changes: list[tuple[str, str]],
    tree: Running | None,
    remote_ref: str | None,
    started: tuple[Running, str | None] | None = None,
) -> tuple[str | None, list[str], str | None, str | None]:
    """`_commit_local` once the changes are added: the commit, described; with `tree` (the `write-tree`
    started), made by plumbing; `started`, the `cat-file` of what changed started already, with the ref
    it read too (what it names is taken for `remote_ref`'s when `remote_ref` is given)."""
    read = None
    if status is not None and status.plain and isinstance(head, str) and len(changes) <= DESCRIBED:
        paths = [path for _, path in changes]
        if started is None:
            read = git.staged_read(paths, remote_ref)
        else:
            read = git.staged_read(paths, started[1], started[0])
            if read is not None and (remote_ref is None or started[1] != remote_ref):
                read = read[0], read[1], None
    staged, contents, seen = read if read is not None else (git.staged(head), None, None)
    if not staged:
        return None, [], None, seen
    if isinstance(head, Unknown):
        head = git.head()
    if first and head is None:
        from readlog.sync.describe import first_message

        message = first_message(sum(1 for change in staged if change.path.startswith("books/")))
    else:
        from readlog.sync.describe import message as compose

        described = describe(git, staged, contents)
        lines = described or ["readlog: " + ", ".join(c.path for c in staged[:5])]
        if filed:
            count = f"{len(filed)} note{'s' if len(filed) != 1 else ''}"
            lines = [f"file {count} from inbox.md", *lines]
        message = compose(lines)
        if filed:
            message += "\n\nFiled from inbox.md:\n" + "\n".join(f"- {line}" for line in filed)
    from readlog.sync.device import trailer

    made = None
    if tree is not None and head is not None:
        made = git.commit_on(message + trailer(git), head, git.finish(tree).text.strip())
    else:
        git.commit(message + trailer(git))
    return message.splitlines()[0], [change.path for change in staged], made, seen


def describe(
    git: Git, changed: list[Changed], known: list[bytes | None] | None = None, since: str = "HEAD"
) -> list[str]:
    """One line per change to the book files among `changed`, in words. `known`: the old and new
    contents of every change (old, new, old, new, ...), read already. `since`: the commit the old side
    is (where a file mended is looked up as it last parsed)."""
    from readlog.sync.describe import changes, problem, read_version

    books = _with_strays(changed)
    shown = books[:DESCRIBED]
    moved = [c for c in books[DESCRIBED:] if c.state in ("A", "D")]  # past the cut: a rename's other half?
    if not {"A", "D"} <= {c.state for c in shown + moved}:
        moved = []
    if known is not None:
        by_path = {c.path: known[2 * n : 2 * n + 2] for n, c in enumerate(changed)}
        contents = [data for c in shown + moved for data in by_path[c.path]]
    else:
        contents = git.blobs([oid for c in shown + moved for oid in (c.old, c.new)])
    parsed: dict[bytes, Book | None] = {}  # (a file moved: one text, read once; the path only names errors)

    def version(raw: bytes | None, path: str) -> Book | None:
        if raw is None:
            return None
        if raw not in parsed:
            parsed[raw] = read_version(raw, path)
        return parsed[raw]

    versions = [
        (version(contents[2 * n], c.path), version(contents[2 * n + 1], c.path))
        for n, c in enumerate(shown + moved)
    ]
    beyond = len(books) - len(shown)  # the books counted, not described (a rename is one)
    if moved:  # each rename told whole, whatever its place in the list; one wholly past the cut, counted once
        shown, contents, versions, beyond = _renames_whole(books, shown, moved, contents, versions)
    joined = _joined_new(git, shown, contents, versions)
    renamed = _renamed(shown, contents, versions, {n for parts in joined.values() for n in parts})
    renamed = {n: o for n, o in renamed.items() if _book_file(shown[o].path) or _book_file(shown[n].path)}
    for into, taken in _joined(shown, versions, renamed).items():
        joined.setdefault(into, []).extend(taken)
    swapped = _swapped(shown, versions)
    lines = []
    strays = []  # files outside books/ that are no book moved there: told as the files they are
    for number, change in enumerate(shown):
        path, before, after = change.path, contents[2 * number], contents[2 * number + 1]
        old_book, new_book = versions[number]
        if number in renamed.values() or any(number in parts for parts in joined.values()):
            continue  # told with the name it was given, or with the book it was merged into
        if not _book_file(path) and number not in renamed:
            strays.append(path)
            continue
        if number in joined:  # `readlog merge A B`: A changed by taking B in, B's file gone
            assert new_book is not None
            if old_book is None:  # (A made in this commit too)
                lines.append(f'add "{new_book.title}"')
            parts = [versions[n][0] for n in joined[number]]
            lines += [f'merge "{b.title}" into "{new_book.title}"' for b in parts if b is not None]
            continue
        if number in swapped:  # two files' contents swapped: each book told under its own title
            other = swapped[number]
            if other > number:
                mine, theirs = versions[number][0], versions[other][0]
                assert mine is not None and theirs is not None
                ours, their = Path(path).stem, Path(shown[other].path).stem
                lines.append(f'"{mine.title}" and "{theirs.title}" swap files ({ours} ↔ {their})')
                lines += [c.line(mine.title) for c in changes(mine, versions[other][1])]
                lines += [c.line(theirs.title) for c in changes(theirs, versions[number][1])]
            continue
        if number not in renamed and is_book_path(path) and not is_slug(Path(path).stem):
            # (`dune 2.toml`, Finder's copy: a book file readlog cannot see, never "add "Dune"": 33b #17)
            verb = "add" if before is None else "remove" if after is None else "edit"
            lines.append(f"{verb} {path}, a name readlog cannot see (not a slug; `readlog check`)")
            continue
        if after is not None and new_book is None:  # a file that is no book (yet, or now, or still)
            why = f"{problem(after, path)}; `readlog check`"
            if before is None:
                lines.append(f"add {path}, not a book yet ({why})")
            elif old_book is not None:
                lines.append(f'edit "{old_book.title}", unreadable now ({why})')
            else:
                lines.append(f"edit {path}, still unreadable ({why})")
            continue
        if before is not None and old_book is None and new_book is not None:
            last = _last_readable(git, since, path)
            if last is not None:  # a book that did not parse for a while: the same book, mended
                lines.append(f'mend "{new_book.title}"')
                lines += [c.line(new_book.title) for c in changes(last, new_book)]
                continue
        either = new_book or old_book
        title = either.title if either is not None else Path(path).stem
        if number in renamed:
            was = shown[renamed[number]].path
            old_book = versions[renamed[number]][0]
            found = changes(old_book, new_book)
            retitled = old_book is not None and old_book.title != title  # (with it: `_retitled`)
            if retitled:
                found = [c for c in found if (c.verb, c.past) != ("edit", "edited (title)")]  # (said so)
            name = f'"{old_book.title}" to "{title}"' if old_book is not None and retitled else f'"{title}"'
            if is_book_path(was) and is_book_path(path):
                lines.append(f"rename {name} ({Path(was).stem} → {Path(path).stem})")
            else:  # a folder inside books/, or out of books/ (readlog reads books/ itself only)
                lines.append(_moved(name, was, path))
            lines += [line.line(title) for line in found]
            continue
        found = changes(old_book, new_book)
        if not found and before != after:
            # the same book parsed from both (or a file that never parsed removed): only the text moved
            said = f'edit "{title}" (comments or layout only)' if after is not None else f'remove "{title}"'
            lines.append(said)
        lines += [change.line(title) for change in found]
    if beyond:
        lines.append(f"{beyond} more books")
    # the files that are no book file: those no book moved to (or from), and any not looked at (past the cut)
    told = {id(c) for c in shown} - {id(c) for c in shown if c.path in strays}
    others = [c.path for c in changed if not _book_file(c.path) and id(c) not in told]
    unseen = [c for c in changed if c.path in others and _unseen_name(c.path)]
    raws = git.blobs([c.old if c.state == "D" else c.new for c in unseen]) if unseen else []
    for change, raw in zip(unseen, raws, strict=True):  # a book readlog never lists: named (33a #7)
        if not change.path.lower().endswith(".toml") and read_version(raw, change.path) is None:
            continue  # (no book: `settings.toml.bak`, an update as any other file)
        verb = {"A": "add", "D": "remove"}.get(change.state, "edit")
        lines.append(f"{verb} {change.path}, a name readlog cannot see (not `.toml`; `readlog check`)")
        others.remove(change.path)
    if others:
        lines.append(
            "update " + ", ".join(others[:5]) + (f" and {len(others) - 5} more" if len(others) > 5 else "")
        )
    # each line one line, as the stderr lines: a file name's newline split the commit's subject, its escape
    # coloured `git log` (review 33a #14)
    return [one_line(line) for line in lines]


def _moved(name: str, was: str, path: str) -> str:
    """A book file moved into a folder inside books/, out of one, or from one to another: said so, and
    where readlog cannot see it (it reads the files in books/ itself only; `check` says how to bring one
    back); moved out of books/, or to a name there that is no book file's (`x.toml.bak`), or back."""
    where = f"({_short(was)} → {_short(path)})"
    if not _book_file(path):
        how = "to a name readlog does not read" if path.startswith("books/") else "out of books/"
        return f"move {name} {how} {where}, where readlog cannot see it"
    if is_book_path(path):
        return f"move {name} {'out of a folder' if _book_file(was) else 'back into books/'} {where}"
    into = "to another folder" if _book_file(was) and not is_book_path(was) else "into a folder"
    return f"move {name} {into} {where}, where readlog cannot see it: `readlog check`"


def _book_file(path: str) -> bool:
    """A book file in books/, or in a folder inside it (which readlog does not read)."""
    return path.startswith("books/") and path.endswith(".toml")


def _short(path: str) -> str:
    """A book file's path as a message names it: `kindred`, `old/kindred`; any other path as it is."""
    return path[len("books/") : -len(".toml")] if _book_file(path) else path


def _may_hold_book(path: str) -> bool:
    """A file outside books/ (or named there as no book file is) that may be a book file moved: `.toml` in
    its name (`archive/kindred.toml`, `books/kindred.toml.bak`, `old/books/kindred.toml`), and not one of
    the journal's own files at its top (goals.toml, imports.toml)."""
    from readlog.journal import OWN_TOML

    return ".toml" in path.rpartition("/")[2].lower() and path not in OWN_TOML


def _with_strays(changed: list[Changed]) -> list[Changed]:
    """The book files among `changed` (books/, at any depth), and with them the files that may be one of
    them moved out of books/ (`_may_hold_book`): added ones when a book file was removed, removed ones when
    one was added. A `mv books/kindred.toml archive/` is then told as the move it is (try-out 32b #2)."""
    states = {c.state for c in changed if _book_file(c.path)}
    wanted = ("A" if "D" in states else "") + ("D" if "A" in states else "")
    return [
        c for c in changed if _book_file(c.path) or (c.state in wanted and _may_hold_book(c.path))
    ]  # fmt: skip


def _renames_whole(
    books: list[Changed],
    shown: list[Changed],
    moved: list[Changed],
    contents: list[bytes | None],
    versions: list[tuple[Book | None, Book | None]],
) -> tuple[list[Changed], list[bytes | None], list[tuple[Book | None, Book | None]], int]:
    """The book files described one by one (`shown`, the first DESCRIBED of `books`) with the other half
    of each rename one of them is part of, found among the files added or removed past them (`moved`);
    `contents` and `versions` of both lists, in that order, cut to those; and how many books the rest are
    (a rename wholly among them: one book)."""
    cut, every = len(shown), shown + moved
    pairs = _renamed(every, contents, versions, cut=cut)
    wanted = set(range(cut))
    wanted.update(new for new, old in pairs.items() if old < cut)
    wanted.update(old for new, old in pairs.items() if new < cut)
    kept = [n for n in range(len(every)) if n in wanted]
    order = {c.path: n for n, c in enumerate(books)}
    kept.sort(key=lambda n: order[every[n].path])  # (in the list's order)
    beyond = len(books) - len(kept) - sum(1 for new, old in pairs.items() if new >= cut and old >= cut)
    return (
        [every[n] for n in kept],
        [data for n in kept for data in contents[2 * n : 2 * n + 2]],
        [versions[n] for n in kept],
        beyond,
    )


_LOOKED_BACK = 50  # versions of a file looked through for the last one that parsed


def _last_readable(git: Git, since: str, path: str) -> Book | None:
    """The book file `path` as it last parsed, at `since` or before (None: it never did, in the last
    `_LOOKED_BACK` versions: a file that was never a book, as an empty one given its first title)."""
    from readlog.sync.describe import read_version

    commits = git.run(
        "log", "--format=%H", f"--max-count={_LOOKED_BACK}", since, "--", path, check=False
    ).text.split()
    for raw in git.blobs([f"{c}:{path}" for c in commits]):
        book = read_version(raw, path)
        if book is not None:
            return book
    return None


def _swapped(shown: list[Changed], versions: list[tuple[Book | None, Book | None]]) -> dict[int, int]:
    """Book files whose contents were swapped (by hand: each holds the book the other held), {each: the
    other}: both changed, each holding another title now, not surely its old book, and surely the other's
    old one (identity.same_work), both ways. (Two books of one author, the likeliest to be swapped, a
    series' volumes: describe.another_book alone, which a lone file has to go by, would call each an edit.)"""
    from readlog.identity import Same, Work, same_work

    def retitled(n: int) -> bool:
        old, new = versions[n]
        return (
            old is not None
            and new is not None
            and old.title != new.title
            and same_work(Work.of(old), Work.of(new)) is not Same.SURE
        )

    moved = [n for n, c in enumerate(shown) if c.state == "M" and retitled(n)]
    found: dict[int, int] = {}
    for n in moved:
        for m in moved:
            if m <= n or n in found or m in found:
                continue
            (old_n, new_n), (old_m, new_m) = versions[n], versions[m]
            assert old_n and new_n and old_m and new_m
            if (
                same_work(Work.of(old_n), Work.of(new_m)) is Same.SURE
                and same_work(Work.of(old_m), Work.of(new_n)) is Same.SURE
            ):
                found[n], found[m] = m, n
    return found


def _joined_new(
    git: Git,
    shown: list[Changed],
    contents: list[bytes | None],
    versions: list[tuple[Book | None, Book | None]],
) -> dict[int, list[int]]:
    """`_joined` where A is new in the same commit too (made by hand, then B merged into it before any
    sync): B's file removed by readlog (its very text in trash/, where `readlog merge` put it: a `mv` puts
    nothing there) and A holding B (describe.merged_into). {A: [B, ...]}."""
    from readlog.sync.describe import merged_into

    removed = [n for n, c in enumerate(shown) if c.state == "D" and versions[n][0] is not None]
    added = [
        n for n, c in enumerate(shown) if c.state == "A" and versions[n][1] is not None and _book_file(c.path)
    ]  # (not a file out of books/: a book moved there, or none)
    if not removed or not added:
        return {}
    found: dict[int, list[int]] = {}
    for gone in removed:
        book, raw = versions[gone][0], contents[2 * gone]
        assert book is not None
        if raw is None or not _in_trash(git.root / "trash", Path(shown[gone].path).stem, raw, book):
            continue
        for into in added:
            new = versions[into][1]
            assert new is not None
            if merged_into(book, None, new):
                found.setdefault(into, []).append(gone)
                break
    return found


def _in_trash(trash: Path, slug: str, raw: bytes, book: Book) -> bool:
    """Whether trash/ holds a book file removed from `slug` with this text, or with the same book in it
    (identity.same_work SURE): `readlog merge` trashes B as it was at the merge, after edits of its own
    since the last sync (`rate`), which the commit's old text does not have."""
    if not trash.is_dir():
        return False
    from readlog.identity import Same, Work, same_work
    from readlog.sync.describe import read_version

    named = re.compile(re.escape(slug) + r"\.\d{8}T\d{6}(?:-\d+)?\.toml")
    for path in trash.iterdir():
        if named.fullmatch(path.name):
            with contextlib.suppress(OSError):
                held = path.read_bytes()
                if held == raw:
                    return True
                there = read_version(held, path.name)
                if there is not None and same_work(Work.of(there), Work.of(book)) is Same.SURE:
                    return True
    return False


def _joined(
    shown: list[Changed], versions: list[tuple[Book | None, Book | None]], renamed: dict[int, int]
) -> dict[int, list[int]]:
    """The book files among `shown` merged into another (`readlog merge A B`: B removed, A changed and
    holding B, describe.merged_into), {A: [B, ...]}."""
    from readlog.sync.describe import merged_into

    removed = [
        n for n, c in enumerate(shown)
        if c.state == "D" and versions[n][0] is not None and n not in renamed.values() and _book_file(c.path)
    ]  # fmt: skip
    if not removed:
        return {}
    changed = [n for n, c in enumerate(shown) if c.state == "M"]
    found: dict[int, list[int]] = {}
    for gone in removed:
        book = versions[gone][0]
        assert book is not None
        for into in changed:
            old, new = versions[into]
            if old is not None and new is not None and merged_into(book, old, new):
                found.setdefault(into, []).append(gone)
                break
    return found


def _renamed(
    shown: list[Changed],
    contents: list[bytes | None],
    versions: list[tuple[Book | None, Book | None]],
    merged: set[int] | frozenset[int] = frozenset(),
    cut: int | None = None,
) -> dict[int, int]:
    """The book files renamed among `shown` (a `mv`: one file removed and one added), {added: removed}: the
    same bytes; else the same work (identity.same_work: its title and authors, or a key) on both; else one
    book moved and retitled in one go (`_retitled`: renumbered in its series, say, which same_work rightly
    calls another book). `merged`: removed files told as merged into another (`_joined_new`), no rename.
    `cut`: the files from there on are counted, not described (`_renames_whole`): where many files are
    left after the same bytes, the two other rules pair only files of which one is before it.

    Linear in the files (a shelf of 4,000 books moved is 4,000 renames, review 31b F1): the same bytes are
    paired through a dict; the other rules ask only about files that may answer yes (`_tied`)."""
    removed = [
        n for n, c in enumerate(shown) if c.state == "D" and versions[n][0] is not None and n not in merged
    ]
    added = [n for n, c in enumerate(shown) if c.state == "A" and versions[n][1] is not None]
    if not removed or not added:
        return {}
    found: dict[int, int] = {}
    by_bytes: dict[bytes | None, list[int]] = {}
    for old in reversed(removed):  # (taken in order: a `mv` of two books of one title pairs rightly)
        by_bytes.setdefault(contents[2 * old], []).append(old)
    for new in added:
        alike = by_bytes.get(contents[2 * new + 1])
        if alike:
            found[new] = alike.pop()
    taken = set(found.values())
    removed = [old for old in removed if old not in taken]
    added = [new for new in added if new not in found]
    if not removed or not added:
        return found
    from readlog.identity import Same, Work, same_work

    works = {n: Work.of(versions[n][0]) for n in removed}  # type: ignore[arg-type]
    works.update((n, Work.of(versions[n][1])) for n in added)  # type: ignore[arg-type]

    def same(old: int, new: int, rule: int) -> bool:
        if rule == 1:
            return same_work(works[old], works[new]) is Same.SURE
        before, after = versions[old][0], versions[new][1]
        assert before is not None and after is not None
        return _retitled(before, after, contents[2 * old] or b"", contents[2 * new + 1] or b"")

    for rule, keys in ((1, _same_work_keys), (2, _retitled_keys)):
        asked = _tied(
            {n: keys(works[n], versions[n][0], 0) for n in removed},
            {n: keys(works[n], versions[n][1], 1) for n in added},
            len(shown) if cut is None else cut,
        )
        for new in added:
            pair = next((o for o in asked.get(new, ()) if o not in taken and same(o, new, rule)), None)
            if pair is not None:
                found[new] = pair
                taken.add(pair)
        removed = [old for old in removed if old not in taken]
        added = [new for new in added if new not in found]
    return found


_ASKED = DESCRIBED * DESCRIBED  # pairs `_renamed`'s costlier rules ask about, at most, beyond the described


def _tied(
    removed: dict[int, set[Hashable]], added: dict[int, set[Hashable]], cut: int
) -> dict[int, list[int]]:
    """For each added file, the removed ones that share a key with it (`removed` and `added`: each file's
    keys, in the list's order), in their order. Past `_ASKED` pairs, only those of which one is before
    `cut` (a file described): the rest are only counted, and a rename among them is counted as two books
    rather than asked about for as long as a sync of thousands of books would take."""
    every: dict[Hashable, list[int]] = {}
    early: dict[Hashable, list[int]] = {}
    for old, keys in removed.items():
        for key in keys:
            every.setdefault(key, []).append(old)
            if old < cut:
                early.setdefault(key, []).append(old)
    pairs = sum(len(every.get(key, ())) for keys in added.values() for key in keys)
    found: dict[int, list[int]] = {}
    for new, keys in added.items():
        holders = every if pairs <= _ASKED or new < cut else early
        olds = {old for key in keys for old in holders.get(key, ())}
        if olds:
            found[new] = sorted(olds)
    return found


def _same_work_keys(work: Work, book: Book | None, side: int) -> set[Hashable]:
    """What any two books same_work calls one work SURE share: an id (an ISBN, a source's; never a
    place in a series) or one of their identity.book_ties."""
    from readlog.identity import VOLUME_KEY, book_ties

    keys: set[Hashable] = {("id", key) for key in work.keys if not key.startswith(VOLUME_KEY)}
    keys.update(("tie", tie) for tie in book_ties(work.title, work.series))
    return keys


def _retitled_keys(work: Work, book: Book | None, side: int) -> set[Hashable]:
    """What a removed book and an added one `_retitled` holds to be one share: the day each was added,
    and a person (identity.same_person: the last word of a name on one side among the words of a name on
    the other), or no authors on one side."""
    from readlog.identity import same_person_keys

    assert book is not None
    words = same_person_keys(work.authors, side)
    if words is None:  # (authors unknown: any book of that day)
        return {(book.added,), (book.added, "*")} if side == 0 else {(book.added,)}
    if side == 0:
        return {(book.added,)} | {(book.added, word) for word in words}
    return {(book.added, "*")} | {(book.added, word) for word in words}


def _retitled(before: Book, after: Book, old: bytes, new: bytes) -> bool:
    """A removed book and an added one are one book moved and retitled in one go (`Saga, Vol. 1` made
    `Saga, Vol. 2` with its file, a typo in a title mended with the slug): the same authors
    (identity.authors_compatible), the same day added, and at least half of the bigger file is lines the
    other has too (git's rename threshold, -M50%, in whole lines: `log` follows a book's file through git's
    rename detection, so the two tell one story). A book removed and another added (even the next volume
    of a series) differ in the day each was added, or in most of their files: their readings, reviews."""
    from readlog.identity import authors_compatible

    return (
        before.added == after.added
        and authors_compatible(before.authors, after.authors)
        and _half_the_same(old, new)
    )


def _half_the_same(old: bytes, new: bytes) -> bool:
    """Whether at least half of the bigger of two texts is lines the other has too (each as often)."""
    from collections import Counter

    mine = Counter(old.splitlines(keepends=True))
    common = sum(len(line) * min(n, mine[line]) for line, n in Counter(new.splitlines(keepends=True)).items())
    return 2 * common >= max(len(old), len(new), 1)


# --- fetch, merge, push -------------------------------------------------------------------------------
def _try_fetch(git: Git, url: str, started: Running | None = None) -> Unreachable | None:
    """Fetch (never under the journal's lock), or take the answer of the fetch `started` already (the same
    command); the error to raise once local changes are committed."""
    try:
        if started is None:
            git.run(*FETCH)
        else:
            git.finish(started)
    except GitFailed as error:
        why = error.reason
        path = _local_path(git.root, url)
        if path is not None and not os.path.lexists(path):  # (`readlog sync init` makes one it can)
            why = (
                f"there is no {path} (a disk not mounted?): mount it, or make the repository with "
                f"`git init --bare {url}`"
            )
        return Unreachable(
            f"cannot reach {REMOTE} ({url}): {why}; your changes are committed here and go with the next "
            "`readlog sync`"
        )
    return None


def _stopped_pushing(report: SyncReport, merged: bool = False, pushed: bool | None = False) -> str:
    """What a sync stopped once the remote's changes were merged, or while pushing (Ctrl-C) had done:
    committed, merged (by this sync: `report.merged`, or `merged`, HEAD moved by the merge it stopped in),
    and pushed or not (`pushed`: the remote's branch is HEAD; None: the remote did not say)."""
    steps = (("committed", report.committed), (f"merged {REMOTE}'s changes", report.merged or merged))
    done = [words for words, did in steps if did]
    what = f"{' and '.join(done)} here" if done else "what was committed here before"
    if pushed:
        return f"sync stopped: {what}, pushed to {REMOTE}"
    if pushed is None:
        return (
            f"sync stopped: {what}; whether {REMOTE} took the push is not known ({REMOTE} did not say): "
            "the next `readlog sync` pushes it if not"
        )
    return f"sync stopped: {what}, not pushed to {REMOTE}; the next `readlog sync` pushes it"


STOPPED_PUSH_ASKED = 10  # seconds: a push stopped (Ctrl-C) is asked after, no longer (the reader is waiting)


def _remote_has(git: Git, branch: str, head: str) -> bool | None:
    """Whether the remote's `branch` is `head`, asked of the remote (`ls-remote`) after a push was stopped
    (Ctrl-C), which may have come after the remote took it, before git noted so here; None when the
    remote does not answer within STOPPED_PUSH_ASKED seconds, or a second Ctrl-C stops the asking. The
    reader is told first: a remote that does not answer keeps them waiting (review 31b F6)."""
    from readlog.files import notice

    notice(f"asking {REMOTE} whether it took the push (Ctrl-C again: no longer)...")
    try:
        result = git.run(
            "ls-remote", "--quiet", REMOTE, f"refs/heads/{branch}", check=False, timeout=STOPPED_PUSH_ASKED
        )
    except (KeyboardInterrupt, ReadlogError):
        return None
    if result.code != 0:
        return None
    return result.text.split("\t", 1)[0].strip() == head


def _stopped_merging(committed: bool, remote: bool = True) -> str:
    """What a sync stopped before the remote's changes were merged (Ctrl-C) had done: committed here, or
    not (without a remote, committing is all a sync does)."""
    what = "committed here" if committed else "nothing new to commit here"
    if not remote:
        return f"sync stopped: {what}"
    return (
        f"sync stopped: {what}; {REMOTE}'s changes not merged, nothing pushed; the next `readlog sync` "
        "does both"
    )


def _stopped_joining(url: str, joined: bool) -> str:
    """What a first sync stopped while it took the remote's journal (Ctrl-C) had done: taken it, or not."""
    if joined:
        return f"sync stopped: took {REMOTE}'s journal here; the next `readlog sync` does the rest"
    import shlex

    return (
        f"sync stopped: {REMOTE}'s journal not taken here yet; `readlog sync init {shlex.quote(url)}` again "
        "takes it "
        "(a plain `readlog sync` would merge it as a second journal)"
    )


def _stopped_fetching(git: Git, url: str) -> str:
    """What a first sync (`sync init REMOTE`) stopped while it fetched (Ctrl-C) had done: set the journal
    up to sync, nothing more. A new device's (no commit, nothing but the set-up files) has not taken the
    remote's journal: `sync init` again takes it, where a plain sync would merge it as a second one."""
    if git.head() is None and _only_setup_files(git.changes()):
        return _stopped_joining(url, joined=False)
    return (
        f"sync stopped: set up here to sync with {REMOTE}, nothing committed or fetched yet; the next "
        "`readlog sync` does it"
    )


def _push(git: Git, branch: str, url: str, last: bool = False) -> bool:
    """Push HEAD; False when someone pushed first (or is pushing this moment: the remote's ref is locked,
    tried again unless `last`), so that their commits are merged and the push tried again."""
    try:
        result = git.run("push", "--quiet", "--porcelain", REMOTE, f"HEAD:refs/heads/{branch}", check=False)
    except GitFailed as error:  # no answer by the deadline (a stalled link, a remote's hook that hangs)
        raise Unreachable(
            f"cannot push to {REMOTE} ({url}): {error.reason}; your changes are committed here and go with "
            "the next `readlog sync`"
        ) from None
    if result.code == 0:
        return True
    if "[rejected]" in result.text or "non-fast-forward" in result.err or "fetch first" in result.err:
        return False  # someone pushed since our fetch: merge that too
    if "[remote rejected]" in result.text and "cannot lock ref" in result.err and not last:
        time.sleep(0.2)  # someone is pushing this very moment (the remote's ref is locked): let them finish
        return False
    raise Unreachable(
        f"cannot push to {REMOTE} ({url}): {_refusal(result)}; your changes are committed here and go with "
        "the next `readlog sync`"
    )


def _refusal(result: Result) -> str:
    """Why a push was refused, in the remote's words: what its hook said (git's `remote:` lines) and git's
    `[remote rejected] BRANCH (reason)`; else git's own error line."""
    said = [
        one_line(line[len("remote:") :].strip())
        for line in result.err.splitlines()
        if line.startswith("remote:")
    ]
    said = [f"remote: {line}" for line in said if line][:5]
    # (--porcelain: `!<TAB>HEAD:refs/heads/main<TAB>[remote rejected] (why)`)
    for line in result.text.splitlines():
        fields = line.split("\t")
        if line.startswith("!") and len(fields) == 3:
            branch = fields[1].rsplit(":", 1)[-1].removeprefix("refs/heads/")
            flag, _, why = fields[2].partition("] ")
            said.append(one_line(f"{flag}] {branch}" + (f" {why}" if why else "")))
    detail = "; ".join(said)
    if len(detail) > 400:
        detail = detail[:399] + "…"
    return detail or reason(result.err) or f"exit status {result.code}"


def _merge(
    journal: Journal, git: Git, ours: str | None, theirs: str, report: SyncReport, touched: set[str]
) -> str | None:
    """Bring the remote's commit `theirs` into HEAD (`ours`, None before the first commit): a fast-forward,
    or a merge commit made without the working tree; the files it changes are written, then HEAD moves.
    Returns the new HEAD; adds the paths written to `touched`."""
    if ours == theirs:
        return ours
    if ours is None:
        target = theirs  # nothing here yet: a fast-forward
    else:
        base = git.merge_base(ours, theirs)
        if base == theirs:
            return ours  # nothing new there
        if base == ours:
            target = theirs  # a fast-forward
        else:
            report.unrelated = base is None and _has_books(git, ours) and _has_books(git, theirs)
            target = _merge_commit(journal, git, ours, theirs, report)
    changed = git.changed_between(ours or EMPTY_TREE, target)
    links = [c for c in changed if c.state != "D" and not c.mode.startswith("100")]
    for change in links:  # a link (or a submodule) is not a file: never written, this side's stays
        report.attention.append(
            f"{change.path}: arrived as a link or a folder, not a file: refused (this device's copy "
            "stays, and goes with the next sync)"
        )
    changed = [c for c in changed if c not in links]
    if ours is not None:
        report.attention += _back(journal, git, ours, changed, report.attention)
    from readlog.stopping import whole

    before: dict[Path, bytes | None] = {}  # what each file written held (None: none there)
    made: list[Path] = []  # the folders made for them
    with whole():  # (a Ctrl-C between them left the other device's files as changes made here: review 30e)
        try:
            _apply(journal, git, changed, before, made)
            git.run("reset", "--quiet", "--mixed", target)  # HEAD and the index to the result; files in place
        except Exception as error:  # (the index locked by another git, a full disk): the files put back
            if not _took(git, target):
                raise _put_back(git, ours, before, made, error) from None
    report.merged += [change.path for change in changed]
    touched.update(change.path for change in changed)
    if ours is not None:  # (after the files are in place: the `mv`s name books/ as it is now)
        moves, moved_out = _renamed_there(journal, git, changed, ours, target)
        report.notes += moves
        emptied = _emptied(journal, moved_out) if moved_out else None
        if emptied is not None:
            report.attention.append(emptied)
    if target == theirs:  # the other device merged two versions of a binary file: say where each went
        for change in changed:
            if f".{OTHER_DEVICE}." in change.path and change.state == "A":
                original = change.path.replace(f".{OTHER_DEVICE}", "", 1)
                report.attention.append(
                    f"{original}: changed on both devices; the other device's stays, this device's is kept "
                    f"as {change.path}"
                )
    if target != theirs:  # what differs from the other device's files: this device's or the merge's
        report.merged_here += [change.path for change in git.changed_between(theirs, target)]
    return target


# A book removed here and changed on the other device, whose merge kept it (a merge never loses writing):
# when that merge comes here, the book comes back. Looked for among the book files the merge adds whose
# slug `rm` put in trash/ (a listing of that folder: a merge that adds books the other device added runs
# no more git than before), then in the history here, with one `git log` (a pathspec per file, or books/
# when there are many). A book removed by hand (not by `rm`) comes back unnamed, as before.
_BACK_NAMED = 100


def _back(journal: Journal, git: Git, ours: str, changed: list[Changed], told: list[str]) -> list[str]:
    """One line for each book file in `changed` that comes back: added by the merge, removed here before
    (and not already named, `told`, by this merge: the one that kept it)."""
    added = [
        c.path
        for c in changed
        if c.state == "A" and c.path.startswith("books/") and c.path.endswith(".toml")
        and not any(line.startswith(f"{c.path}: ") for line in told)
    ]  # fmt: skip
    if added:
        # trash/SLUG.20261206T081439.toml (SLUG.STAMP-2.toml for a second one that second)
        trashed = {path.name.removesuffix(".toml").rpartition(".")[0] for path in journal.trashed_books()}
        added = [path for path in added if Path(path).stem in trashed]
    if not added:
        return []
    hints = _ways_out(git, ours, added)
    return [
        f"{path}: removed here, changed on the other device, which kept it: back, with that change ({hint})"
        for path, hint in hints.items()
    ]


def _renamed_there(
    journal: Journal, git: Git, changed: list[Changed], ours: str, target: str
) -> tuple[list[str], list[tuple[Path, Path | None]]]:
    """A note for each book file the merge renames here (the other device renamed it, by hand, or under
    the name it kept when both did), moves into a folder inside books/ or out of books/: the file this
    device knew is gone, under its new name. Read only when the merge both removes and adds such files.
    A few are named, the rest counted, with how to list them all (try-out 32b #13). Also returns each book
    moved out of books/, where it is and the free name in books/ that its `mv` takes (`_emptied`; None:
    no name is free)."""
    books = [c for c in _with_strays(changed) if c.state in ("A", "D")]
    if not any(c.state == "A" for c in books) or not any(c.state == "D" for c in books):
        return [], []
    from readlog.sync.describe import read_version

    contents = git.blobs([oid for c in books for oid in (c.old, c.new)])
    versions = [
        (read_version(contents[2 * n], c.path), read_version(contents[2 * n + 1], c.path))
        for n, c in enumerate(books)
    ]
    from readlog.checkup import target_in_books

    renamed = _renamed(books, contents, versions).items()
    pairs = [(books[new].path, books[old].path, versions[new][1]) for new, old in renamed]
    pairs = [pair for pair in pairs if _book_file(pair[0]) or _book_file(pair[1])]  # (else: never seen)
    pairs.sort(key=lambda pair: is_book_path(pair[0]))  # (those readlog cannot see now first)
    claimed: set[str] = set()  # (names in books/ the `mv`s take)
    outs = [
        (path, target_in_books(journal, was.rpartition("/")[2], book, claimed))
        for path, was, book in pairs
        if not _book_file(path)
    ]
    targets = dict(outs)
    lines = [_renamed_line(journal, path, was, targets.get(path)) for path, was, _ in pairs[:_MOVES_NAMED]]
    if len(pairs) > _MOVES_NAMED:
        import shlex

        listed = shlex.join(
            ["git", "-C", str(git.root), "diff", "--name-status", "-M", ours[:12], target[:12]]
        )
        lines.append(
            f"and {len(pairs) - _MOVES_NAMED} more books renamed or moved on the other device: `{listed}` "
            "lists them all"
        )
    return lines, [(journal.root / path, there) for path, there in outs]


# books the other device renamed or moved, named one by one in a sync's notes; the rest are counted
_MOVES_NAMED = 3


def _renamed_line(journal: Journal, path: str, was: str, there: Path | None) -> str:
    """The note for a book file the other device renamed, or moved into a folder inside books/ (where
    readlog cannot see it: a change made here since is in it, unseen; try-out 31c #2), or out of one; or
    out of books/ (to `archive/`, to `books/x.toml.bak`: `check` does not look there, so the note names the
    `mv` that brings it back, to `there`, a name readlog reads that is free now, or says none is; try-out
    32b #2, review 32b #8)."""
    if is_book_path(path):
        moved = (
            "" if is_book_path(was) else " (out of a folder)" if _book_file(was) else " (back into books/)"
        )
        return f"{path}: the book that was {was} here, renamed on the other device{moved}"
    if _book_file(path):
        return (
            f"{path}: the book that was {was} here, moved into a folder on the other device, where readlog "
            "cannot see it (with any change made here since): `readlog check` says how to bring it back"
        )
    from readlog.checkup import moves_in

    how = "to a name readlog does not read" if path.startswith("books/") else "out of books/"
    if there is None:
        back = f"{was} is taken here now: move it back under a name of its own"
    else:
        taken = "" if there.name == was.rpartition("/")[2] else f" ({was} is taken here now)"
        back = f"`{moves_in(journal, [(journal.root / path, there)])}` brings it back{taken}"
    return (
        f"{path}: the book that was {was} here, moved {how} on the other device, where readlog cannot see "
        f"it (with any change made here since): {back}"
    )


def _emptied(journal: Journal, moved: list[tuple[Path, Path | None]]) -> str | None:
    """When the other device moved books out of books/ (`moved`: where each is, and the name its `mv`
    takes) and none is left there: one line, with how to bring them back (a journal whose books/ was moved
    away must not say `all in sync` over an empty journal): the `mv` of each by its name, when they are
    few (never a glob: a `x.toml.bak` is no `*.toml`, and a `settings.toml` beside them is no book: review
    32b #1, #2); else `readlog check`, which names each."""
    from readlog.checkup import moves_in

    books = journal.books_dir
    with contextlib.suppress(OSError):
        if any(name.endswith(".toml") for name in os.listdir(books)):
            return None
    moves = [(path, there) for path, there in moved if there is not None]
    if len(moves) == len(moved) <= _MOVES_NAMED:
        how = f"`{moves_in(journal, moves, make=True)}` brings them back"
    else:
        how = "`readlog check` names each, with the `mv` that brings it back"
    return (
        f"books/: no book left here: the other device moved {len(moved)} out of books/, where readlog "
        f"cannot see them: {how}"
    )


def _ways_out(git: Git, ours: str, paths: list[str]) -> dict[str, str]:
    """For each book file in `paths` that a commit in `ours` removed and a merge brings back: what to run
    now, in words. Removed by `readlog merge A B` (into A): that merge again, which takes the other
    device's change into A; else `readlog rm`, which removes it again. One `git log` (a pathspec per file,
    or books/ when there are many), and two more when one was removed in a commit that changed others."""
    asked = paths if len(paths) <= _BACK_NAMED else ["books/"]
    raw = git.run(
        "log", "--diff-filter=D", "--no-renames", "--format=%x1e%H%x1f%P", "--name-only", "-z", ours,
        "--", *asked,
    )  # fmt: skip
    removed: dict[str, tuple[str, str]] = {}  # path -> the last commit here that removed it, its parents
    for chunk in raw.text.split("\x1e")[1:]:
        header, _, names = chunk.partition("\0")
        commit, _, parents = header.partition("\x1f")
        for name in names.split("\0"):
            removed.setdefault(name.strip("\n"), (commit, parents.strip()))
    back = [path for path in paths if path in removed]
    from readlog.sync.history import merges_in

    into = {b: a for _, b, a in merges_in(git, [(*removed[path], [path]) for path in back])} if back else {}
    out = {}
    for path in back:
        slug = Path(path).stem
        if path in into:
            a = Path(into[path]).stem
            out[path] = f"merged into {a} here: `readlog merge {a} {slug}` takes that change into it too"
        else:
            out[path] = f"`readlog rm {slug}` removes it again"
    return out


def _has_books(git: Git, commit: str) -> bool:
    return bool(git.run("ls-tree", "--name-only", commit, "books/").out.strip())


def _merge_commit(journal: Journal, git: Git, ours: str, theirs: str, report: SyncReport) -> str:
    from readlog.sync.device import machine_name
    from readlog.sync.driver import MERGE_DEVICE, MERGE_OURS, MERGE_THEIRS

    plain = git._env
    me = machine_name(git, create=True) or ""
    git._env = {**plain, MERGE_DEVICE: me, MERGE_OURS: ours, MERGE_THEIRS: theirs}
    before = _merge_files(journal.root)
    try:
        result = git.run(
            "merge-tree", "--write-tree", "-z", "--allow-unrelated-histories", ours, theirs, ok=(0, 1)
        )
    except KeyboardInterrupt:  # (merge-tree stopped, with its files for the merge driver left behind)
        for left in _merge_files(journal.root) - before:
            left.unlink(missing_ok=True)
        raise
    except GitFailed as error:
        if error.code == 129:  # a usage error: a git from before `merge-tree --write-tree`
            version = git.out("version")
            raise ReadlogError(f"merging needs git 2.38 or newer; this is {version}") from None
        raise
    finally:
        git._env = plain
    tree, conflicted = parse_merge_tree(result.out)
    tree, two_books = _two_books(journal, git, tree, result.out, conflicted, report)
    tree = _keep_both_binaries(git, tree, result.out, conflicted, report, settled=two_books)
    tree, one_name = _one_name(git, tree, result.out, conflicted, report)
    gone_here = [path for path, stages in conflicted.items() if stages == {1, 3} and is_book_path(path)]
    ways_out = _ways_out(git, ours, gone_here) if gone_here else {}
    for path, stages in conflicted.items():
        if _is_binary_path(path) or path in one_name or path in two_books:
            continue  # reported by _keep_both_binaries, _one_name or _two_books
        if stages == {1, 3} or stages == {3}:
            way = ways_out.get(path, "")  # (only a merge's: this line has always said nothing of rm)
            hint = f" ({way})" if way.startswith("merged into ") else ""
            report.attention.append(
                f"{path}: removed here, changed on the other device: kept, with that change{hint}"
            )
        elif stages == {1, 2} or stages == {2}:
            report.attention.append(f"{path}: changed here, removed on the other device: kept")
        else:
            report.attention.append(
                f"{path}: merged line by line, with conflict markers: fix it, then `readlog sync`"
            )
    from readlog.sync.describe import message

    lines = describe(git, git.changed_between(ours, tree), since=ours)
    lines[:0] = (
        one_name.lines + two_books.lines
    )  # (first: `message` reads describe's count of books past the limit in last place)
    subject = "merge from the other device" + (": " + message(lines).splitlines()[0] if lines else "")
    from readlog.sync.device import trailer

    out = git.run("commit-tree", tree, "-p", ours, "-p", theirs, "-m", subject + trailer(git))
    return out.text.strip()


def _merge_files(root: Path) -> set[Path]:
    """git's copies for the merge driver in the data dir: while `merge-tree` runs, its own; after, left by
    a merge that was stopped."""
    return {path for path in root.glob(f"{MERGE_TEMP}*") if path.is_file()}


OTHER_DEVICE = (
    "other-device"  # covers/dune.jpg changed on both devices: the other's is covers/dune.other-device.jpg
)


def _is_binary_path(path: str) -> bool:
    """A file git cannot merge by lines (a cover): anything but the journal's text files."""
    return not path.endswith(
        (".toml", ".md", ".txt", ".css", ".html", ".json", ".gitignore", ".gitattributes")
    )


def other_device_name(path: str) -> str:
    """`covers/dune.jpg` -> `covers/dune.other-device.jpg`."""
    folder, _, name = path.rpartition("/")
    stem, dot, suffix = name.partition(".")
    kept = f"{stem}.{OTHER_DEVICE}{dot}{suffix}" if dot else f"{name}.{OTHER_DEVICE}"
    return f"{folder}/{kept}" if folder else kept


def _keep_both_binaries(
    git: Git,
    tree: str,
    raw: bytes,
    conflicted: dict[str, set[int]],
    report: SyncReport,
    settled: OneName | None = None,
) -> str:
    """A binary file both devices changed differently (a cover) cannot be merged by lines: this device's
    stays in place and the other device's is kept beside it, under another name, in the merge itself, so
    neither is lost and both devices end with both. Returns the tree with those files added. The covers
    of two books added under one name (`settled` by `_two_books`) are each their book's already."""
    theirs = _stage_objects(raw, 3)
    extra = {
        other_device_name(path): theirs[path]
        for path, stages in conflicted.items()
        if _is_binary_path(path) and 2 in stages and 3 in stages and path in theirs
        and (settled is None or path not in settled)
    }  # fmt: skip
    if not extra:
        return tree
    tree = _tree_with(git, tree, extra)
    for path in sorted(extra):
        original = next(p for p in conflicted if other_device_name(p) == path)
        report.attention.append(
            f"{original}: changed on both devices; this device's stays, the other device's is kept as {path}"
        )
    return tree


class OneName:
    """The files the merge settled itself: renamed on both devices (`_one_name`), or two books added under
    one name (`_two_books`): every path involved, and a line for the merge's commit message about each."""

    __slots__ = ("paths", "lines")

    def __init__(self) -> None:
        self.paths: set[str] = set()
        self.lines: list[str] = []

    def __contains__(self, path: str) -> bool:
        return path in self.paths


def _one_name(
    git: Git, tree: str, raw: bytes, conflicted: dict[str, set[int]], report: SyncReport
) -> tuple[str, OneName]:
    """A file renamed by hand on both devices, to a different name on each (`mv books/lanny.toml
    books/lanny-porter.toml` here, `... lanny-max.toml` there): git keeps it under both names, merged
    alike, which would be one book twice. It stays one file, under this device's name (the name the
    reader here gave it, and the value in place, as for any field both changed); the other name is dropped
    from the merge and the reader told both names and how to take the other."""
    import tempfile

    found = OneName()
    dropped = []
    for paths, kind in parse_merge_messages(raw):
        if kind != "CONFLICT (rename/rename)" or len(paths) != 3:
            continue
        was, first, second = paths
        here = next((p for p in (first, second) if 2 in conflicted.get(p, ())), first)
        there = second if here == first else first
        if 3 not in conflicted.get(there, {3}):
            continue
        found.paths.update(paths)
        dropped.append(there)
        report.notes.append(
            f"{here}: renamed on both devices ({was} became {here} here, {there} on the other device): "
            f"one file, under this device's name (for the other: `mv {here} {there}`, then `readlog sync`)"
        )
        book = is_book_path(here)
        title = _title_at(git, tree, here) if book else None
        what = f'"{title}"' if title else Path(here).name
        found.lines.append(
            f"one name for {what}: {Path(here).stem if book else here} "
            f"(the other device's {Path(there).stem if book else there} dropped)"
        )
    if not dropped:
        return tree, found
    with tempfile.TemporaryDirectory(prefix="readlog-merge-") as folder:
        index = {"GIT_INDEX_FILE": str(Path(folder) / "index")}
        git.run("read-tree", tree, env=index)
        git.run("update-index", "--force-remove", "--", *dropped, env=index)
        tree = git.out_env(index, "write-tree")
    return tree, found


def _two_books(
    journal: Journal, git: Git, tree: str, raw: bytes, conflicted: dict[str, set[int]], report: SyncReport
) -> tuple[str, OneName]:
    """A book file added on both devices (no common version) whose two versions are two books (the merge
    driver left it unmerged: driver.apart, by different people or maybe one): both are kept. The other
    device's stays under the name, as it already is in the shared journal (and on every device that has
    synced it); this device's, just added and reported here, takes the name `add --new` would give it
    (`dune-messiah-anderson`), so that the other device's next sync only brings it a new book. Its cover
    (`covers/dune-messiah.jpg`) goes with it, named as `enrich` would name it (`covers/dune-messiah-
    anderson.jpg`, or a free name beside it), and the name keeps the other device's: each book keeps its own
    cover."""
    found = OneName()
    paths = sorted(path for path, stages in conflicted.items() if stages == {2, 3} and is_book_path(path))
    if not paths:
        return tree, found
    from readlog.bookfile import decode
    from readlog.sync.describe import read_version
    from readlog.sync.driver import apart

    mine, other = _stage_objects(raw, 2), _stage_objects(raw, 3)
    contents = git.blobs([oid for path in paths for oid in (mine[path][1], other[path][1])])
    listed = {Path(name).stem for name in git.run("ls-tree", "--name-only", tree, "books/").text.split("\n")}
    moves: dict[str, tuple[str, str] | None] = {}
    covers: set[str] | None = None  # the covers in the merge (asked when a book moving has one)
    for n, path in enumerate(paths):
        here, there = read_version(contents[2 * n], path), read_version(contents[2 * n + 1], path)
        why = apart(here, there) if here is not None and there is not None else None
        if here is None or there is None or why is None:
            continue  # the driver's line merge (a side that does not parse): reported as such
        slug = journal.free_slug(here, listed=listed)
        listed.add(slug)
        new = f"books/{slug}.toml"
        moves[path], moves[new] = other[path], mine[path]
        found.paths.add(path)
        cover = _own_cover(git, tree, here, Path(path).stem, slug, mine)
        if cover is not None:
            (old_cover, wanted), entry = cover
            if covers is None:
                covers = set(git.run("ls-tree", "--name-only", tree, "covers/").text.split("\n"))
            new_cover = _free_cover(wanted, covers | set(mine) | set(other) | set(moves))
            moves[new_cover] = entry
            if there.extra.get("cover") != old_cover:  # this device's alone: it goes with its book
                moves[old_cover] = None
            elif old_cover in other:  # added on both: the other device's stays under the name
                moves[old_cover] = other[old_cover]
            found.paths.add(old_cover)
            text = decode(contents[2 * n] or b"", path)
            moves[new] = (mine[path][0], _blob(git, _with_cover(text, new_cover)))
        report.notes.append(
            f"{path}: added on both devices, two books: {why}; the other device's stays, this device's "
            f"“{here.title}” is now {new}"
        )
        found.lines.append(f'two books named "{here.title}": this device\'s is now {slug}')
    return (_tree_with(git, tree, moves) if moves else tree), found


def _own_cover(
    git: Git,
    tree: str,
    book: Book,
    old_slug: str,
    new_slug: str,
    mine: dict[str, tuple[str, str]],
) -> tuple[tuple[str, str], tuple[str, str]] | None:
    """((this device's book's cover, its path under the new name), its (mode, object id)), when the book
    has a cover named after its old slug (`covers/<slug>.<ext>`, as `enrich` saves it) in the merge."""
    cover = book.extra.get("cover")
    if not isinstance(cover, str):
        return None
    folder, _, name = cover.rpartition("/")
    stem, dot, suffix = name.partition(".")
    if folder != "covers" or stem != old_slug or not dot:
        return None
    entry = mine.get(cover) or _entry(git, tree, cover)  # (added on both devices, or here alone)
    return ((cover, f"covers/{new_slug}.{suffix}"), entry) if entry is not None else None


def _free_cover(wanted: str, taken: set[str]) -> str:
    """`wanted` (`covers/dune-messiah-anderson.jpg`), or, where a file has that name (the cover of a book
    `rm` took away, kept for its `restore`), the first free `covers/dune-messiah-anderson-2.jpg`."""
    stem, dot, suffix = wanted.rpartition(".") if "." in wanted.rpartition("/")[2] else (wanted, "", "")
    names = (wanted, *(f"{stem}-{n}{dot}{suffix}" for n in range(2, 10_000)))
    return next(name for name in names if name not in taken)


def _entry(git: Git, tree: str, path: str) -> tuple[str, str] | None:
    """(mode, object id) of `path` in `tree`, or None."""
    info = git.run("ls-tree", "-z", tree, "--", path).out.decode("utf-8", "surrogateescape")
    parts = info.partition("\t")[0].split()
    return (parts[0], parts[2]) if len(parts) == 3 else None


def _with_cover(text: str, cover: str) -> str:
    import tomllib

    from readlog.bookfile import update_data

    return update_data(text, tomllib.loads(text) | {"cover": cover})


def _blob(git: Git, text: str) -> str:
    return git.run("hash-object", "-w", "--stdin", stdin=text.encode("utf-8")).text.strip()


def _tree_with(git: Git, tree: str, entries: Mapping[str, tuple[str, str] | None]) -> str:
    """`tree` with each path in `entries` set to its (mode, object id), added or replaced (None: removed):
    a tree made in a temporary index, never the journal's."""
    import tempfile

    with tempfile.TemporaryDirectory(prefix="readlog-merge-") as folder:
        index = {"GIT_INDEX_FILE": str(Path(folder) / "index")}
        git.run("read-tree", tree, env=index)
        for path, entry in sorted(entries.items()):
            if entry is None:
                git.run("update-index", "--force-remove", "--", path, env=index)
                continue
            mode, oid = entry
            git.run("update-index", "--add", "--cacheinfo", f"{mode},{oid},{path}", env=index)
        return git.out_env(index, "write-tree")


def _title_at(git: Git, tree: str, path: str) -> str | None:
    from readlog.sync.describe import read_version

    book = read_version(git.blobs([f"{tree}:{path}"])[0], path)
    return book.title if book is not None else None


def parse_merge_messages(raw: bytes) -> list[tuple[list[str], str]]:
    """`git merge-tree --write-tree -z` output -> its informational messages: (the paths each names, its
    type: `CONFLICT (rename/rename)`, `Auto-merging`, ...). Each is `N NUL path... NUL type NUL text NUL`."""
    sections = raw.decode("utf-8", "surrogateescape").split("\0\0", 1)
    fields = sections[1].split("\0") if len(sections) == 2 else []
    out = []
    at = 0
    while at < len(fields) and fields[at].isdigit():
        count = int(fields[at])
        paths = fields[at + 1 : at + 1 + count]
        kind = fields[at + 1 + count] if at + 1 + count < len(fields) else ""
        out.append((paths, kind))
        at += count + 3
    return out


def _stage_objects(raw: bytes, stage: int) -> dict[str, tuple[str, str]]:
    """From `git merge-tree --write-tree -z` output: path -> (mode, object id) of one stage."""
    records = raw.decode("utf-8", "surrogateescape").split("\0\0", 1)[0].split("\0")
    found = {}
    for record in records[1:]:
        info, _, path = record.partition("\t")
        parts = info.split()
        if len(parts) == 3 and parts[2] == str(stage):
            found[path] = (parts[0], parts[1])
    return found


def parse_merge_tree(raw: bytes) -> tuple[str, dict[str, set[int]]]:
    """`git merge-tree --write-tree -z` output -> (tree, {conflicted path: its stages})."""
    sections = raw.decode("utf-8", "surrogateescape").split("\0\0", 1)
    records = sections[0].split("\0")
    tree = records[0].strip()
    conflicted: dict[str, set[int]] = {}
    for record in records[1:]:
        if not record:
            continue
        info, _, path = record.partition("\t")
        parts = info.split()
        if len(parts) == 3:
            conflicted.setdefault(path, set()).add(int(parts[2]))
    return tree, conflicted


class NotMerged(ReadlogError):
    """A merge whose files could not all be written, or whose commit HEAD could not be moved to: what was
    written put back (`why`: what failed), so that nothing of the remote's is taken for a change made here."""

    def __init__(self, why: str, joining: str | None):
        self.why = why
        if joining is not None:  # (a new device's first sync: the remote's URL)
            from readlog.sync.quick import shell_quote

            said = (
                f"cannot take {REMOTE}'s journal here: {why}; none of it is written here: `readlog sync init "
                f"{shell_quote(joining)}` again takes it"
            )
        else:
            said = (
                f"cannot merge {REMOTE}'s changes here: {why}; none of them is written here (the files are "
                "as they were): the next `readlog sync` merges them"
            )
        super().__init__(said)


def _took(git: Git, target: str) -> bool:
    """Whether HEAD is at `target` though `git reset` failed: git stopped (killed, its deadline) once it
    had written the index and moved the ref. The merge took then: putting its files back would have the
    next sync commit a revert of the other device's changes (review 31b F2)."""
    try:
        return git.head() == target
    except Exception:  # (git not run at all: the ref cannot be known to have moved)
        return False


def _put_back(
    git: Git, ours: str | None, before: dict[Path, bytes | None], made: list[Path], error: Exception
) -> ReadlogError:
    """The files a merge wrote (`before`: what each held) as they were, the folders made for them (`made`)
    gone (one left, empty, was a file `check` refused: review 31b F5), and the index as HEAD (`ours`, None
    before the first commit) has it (a reset that wrote the index, then failed to move the ref, left the
    remote's tree in it: a new device's next sync committed it as a second root, review 31b F3), after
    `error` stopped the merge (before HEAD moved): the error to raise, which says so, or, where putting
    files back failed too, what is left and what to do. (A new device's first sync: it takes the remote's
    journal, and says how to again.)"""
    from readlog.files import atomic_write, remove_file

    why = str(error).rstrip(".")
    failed: list[tuple[Path, OSError]] = []
    for path, data in before.items():  # (every one tried: one that fails leaves the others put back)
        try:
            if data is None:
                remove_file(path)
            else:
                atomic_write(path, data)
        except OSError as also:
            failed.append((path, also))
    for folder in reversed(made):  # (the deepest first; one that holds anything stays)
        with contextlib.suppress(OSError):
            folder.rmdir()
    with contextlib.suppress(Exception):  # (the index locked by another git: not written by the reset either)
        git.run(*(("read-tree", "-m", ours) if ours is not None else ("read-tree", "--empty")), check=False)
    if failed:
        from readlog.sync.quick import shell_quote

        first = failed[0][1]
        names = ", ".join(os.path.relpath(path, git.root) for path, _ in failed[:3])
        names += " and more" if len(failed) > 3 else ""
        return ReadlogError(
            f"cannot merge {REMOTE}'s changes here: {why}; and {len(failed)} of the files it wrote could not "
            f"be put back ({first.strerror or first}: {names}): the next `readlog sync` would commit them as "
            f"this device's changes: once they can be written, put back each one `git -C "
            f"{shell_quote(str(git.root))} status` names (`git checkout HEAD -- FILE`; a new one: `rm FILE`)"
        )
    return NotMerged(why, git.remote_url(REMOTE) if ours is None else None)


def _apply(
    journal: Journal, git: Git, changed: list[Changed], before: dict[Path, bytes | None], made: list[Path]
) -> None:
    """Write the merge result into the data dir: each file atomically, deletions last. Many files (a
    second device's first sync) go in durable batches, as `import` writes them: one fsync per file would
    take seconds per thousand books. `before`: given what each file held (None: nothing), as it is
    written, and `made` the folders made for them, for `_put_back`."""
    from readlog.files import BulkWriter, atomic_write, remove_file
    from readlog.private import private_dir

    root = journal.root
    written = [change for change in changed if change.state != "D"]
    there: set[Path] = set()
    bulk = BulkWriter() if len(written) > 20 else None
    try:
        for change, data in zip(written, git.blobs([c.new for c in written]), strict=True):
            if data is None:
                continue
            destination = _inside(root, change.path)
            if destination.parent not in there:  # (each folder looked at once)
                missing, folder = [], destination.parent
                while not folder.exists():
                    missing.append(folder)
                    folder = folder.parent
                made.extend(reversed(missing))  # (the outermost first)
                there.add(destination.parent)
            private_dir(destination.parent)
            _keep_before(before, destination)
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError:  # a cover
                atomic_write(destination, data)
                continue
            if bulk is not None:
                bulk.add(destination, text)
            else:
                atomic_write(destination, text)
        if bulk is not None:
            bulk.flush()
    finally:
        if bulk is not None:
            bulk.discard()
    for change in changed:
        if change.state == "D":
            destination = _inside(root, change.path)
            _keep_before(before, destination)
            remove_file(destination)


def _keep_before(before: dict[Path, bytes | None], path: Path) -> None:
    """What `path` holds, kept in `before` (None: nothing there) before it is written or removed."""
    try:
        before[path] = path.read_bytes()
    except FileNotFoundError:
        before[path] = None
    except OSError:  # (a folder, unreadable: the write to it fails too, or leaves what it held)
        pass


def _inside(root: Path, path: str) -> Path:
    destination = (root / path).resolve()
    if not destination.is_relative_to(root.resolve()) or ".git" in Path(path).parts:
        raise ReadlogError(f"the merge names a path outside the journal: {path!r}")
    return root / path


# --- what needs the reader -----------------------------------------------------------------------------
# What needs the reader is kept, for the next sync, in .git/ (it never travels): the book files that did
# not parse and the ones with recorded conflicts, and the commit HEAD was at when they were read. While
# HEAD is still there (nothing but readlog's sync moved it) and the same readlog reads them, a book can only
# have stopped parsing or gained a `[[conflicts]]` table through a change this sync commits (every change
# in the data dir is committed) or merges in: those paths and the kept ones are all that is read. Otherwise
# (a first sync, a `git pull` or `git commit` by hand, another readlog, the file lost) the index is brought
# up to date with every file (its one sweep) for the books that do not parse, and `git grep` finds the
# conflicts, as before.
class Kept:
    """`broken`, book files (`books/x.toml`) that do not parse; `conflicts`, book files with recorded
    conflicts; `holds`, the remote's commit last seen, when HEAD holds it (a push not made yet)."""

    __slots__ = ("broken", "conflicts", "holds")

    def __init__(
        self, broken: set[str] | None = None, conflicts: set[str] | None = None, holds: str | None = None
    ):
        self.broken = set() if broken is None else broken
        self.conflicts = set() if conflicts is None else conflicts
        self.holds = holds

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Kept) and (self.broken, self.conflicts, self.holds) == (
            other.broken,
            other.conflicts,
            other.holds,
        )

    __hash__ = None  # type: ignore[assignment]  # (as a dataclass with eq: mutable, not hashable)

    def __repr__(self) -> str:
        return f"Kept(broken={self.broken!r}, conflicts={self.conflicts!r}, holds={self.holds!r})"


class Found:
    """What `_look` found: `unreadable`, one line each, a book file that does not parse; `conflicts`, one
    line each, a book (or goals) to resolve; `kept`, what to keep for the next sync."""

    __slots__ = ("unreadable", "conflicts", "kept")

    def __init__(self) -> None:
        self.unreadable: list[str] = []
        self.conflicts: list[str] = []
        self.kept = Kept()


def _kept(git: Git, head: str | None) -> Kept | None:
    """What needed the reader when HEAD was at `head`; None when that is not known."""
    try:
        text = (git.git_dir() / KEPT).read_text(encoding="utf-8")
    except (OSError, ValueError):
        return None
    if head is not None and text == kept_clear(head):
        return Kept()  # nothing needed the reader (most syncs): read without importing json
    import json

    from readlog import __version__

    try:
        data = json.loads(text)
    except ValueError:
        return None
    if not isinstance(data, dict) or head is None or data.get("head") != head:
        return None
    if data.get("readlog") != __version__:
        return None  # another readlog may read books differently
    lists: list[list[str]] = []
    for paths in (data.get("broken"), data.get("conflicts")):
        if not isinstance(paths, list) or not all(isinstance(p, str) for p in paths):
            return None
        lists.append(paths)
    holds = data.get("holds")
    return Kept(set(lists[0]), set(lists[1]), holds if isinstance(holds, str) else None)


def _keep(git: Git, head: str, kept: Kept) -> None:
    from readlog.files import atomic_write

    if kept == Kept():
        text = kept_clear(head)  # the same bytes json.dumps writes (a test holds them equal)
    else:
        import json

        from readlog import __version__

        data = {
            "readlog": __version__,
            "head": head,
            "broken": sorted(kept.broken),
            "conflicts": sorted(kept.conflicts),
            "holds": kept.holds,
        }
        text = json.dumps(data) + "\n"
    # only a saving: without it the next sync looks everywhere; so not fsynced either (what a crash can
    # leave, the copy before or an empty file, only makes the next sync look further)
    with contextlib.suppress(OSError):
        atomic_write(git.git_dir() / KEPT, text, sync_dir=False, durable=False)


def _look(journal: Journal, git: Git, kept: Kept | None, touched: set[str]) -> Found:
    """The book files that do not parse and the books (and goals.toml) with recorded conflicts: among the
    kept and the touched paths when what was kept holds, else among every book (see above)."""
    found = Found()
    if kept is None:
        found.unreadable = _unreadable(journal, found.kept.broken)
        result = git.run(
            "grep", "-l", "-z", "-F", "[[conflicts]]", "--", "books/*.toml", check=False, ok=(0, 1)
        )
        entries = _entries(journal, {p for p in result.text.split("\0") if p}, None)
    else:
        entries = _entries(journal, kept.broken | kept.conflicts | touched, found)
    for path, entry in entries:
        from readlog.sync.conflicts import fields_named, pending, resolve_command, with_status

        recorded = pending(entry.book)
        fields = list(dict.fromkeys(c.field for c in recorded if c not in with_status(recorded)))
        if fields:
            found.kept.conflicts.add(path)
            which = fields[0] if len(fields) == 1 else None
            changed = ", ".join(fields_named(recorded))
            found.conflicts.append(
                f"“{entry.book.title}” ({entry.slug}): both devices changed {changed}: "
                f"`{resolve_command(entry.slug, which)}`"
            )
    goals = journal.root / "goals.toml"
    if _mentions_conflicts(goals.read_bytes() if goals.is_file() else b""):
        from readlog.sync.conflicts import goals_problems

        found.conflicts += [f"goals.toml: {line}" for line in goals_problems(journal)]
    return found


def _entries(journal: Journal, paths: set[str], found: Found | None) -> list[tuple[str, Entry]]:
    """The books at `paths` (`books/x.toml`; other paths are not books) that may hold conflicts, read as the
    index reads them; with `found`, the ones that do not parse are named there instead."""
    from readlog.errors import BookFileError, BookNotFound
    from readlog.sync import is_book_path

    out = []
    for path in sorted(paths, key=lambda p: Path(p).stem):
        slug = Path(path).stem
        if _unseen_name(path):  # (`dune.TOML`, `dune.toml~`: a book readlog never lists, named: 33a #7)
            line = _unseen_line(journal, path) if found is not None else None
            if found is not None and line is not None:
                found.unreadable.append(line)
                found.kept.broken.add(path)
            continue
        if not is_book_path(path) or slug.startswith(".") or (journal.root / path).is_symlink():
            continue  # as the index: not a book file
        if not is_slug(slug):  # (`dune 2.toml`: no book readlog reads, named while it is there: 33b #17)
            if found is not None and (journal.root / path).is_file():
                found.unreadable.append(_unreadable_line(journal, path, ""))
                found.kept.broken.add(path)
            continue
        try:
            entry = journal.load(slug, allow_newer=True)
        except BookNotFound:
            continue  # removed
        except ReadlogError as error:
            if found is not None:
                said = str(error) if isinstance(error, BookFileError) else f"{journal.root / path}: {error}"
                found.unreadable.append(_unreadable_line(journal, path, said))
                found.kept.broken.add(path)
            continue
        if _mentions_conflicts(entry.text.encode("utf-8", "surrogatepass")):
            out.append((path, entry))
    return out


def _mentions_conflicts(data: bytes) -> bool:
    """Whether a file could hold a conflicts table (the word is in it): cheaper than reading its tables."""
    return b"conflicts" in data


def _unreadable(journal: Journal, paths: set[str]) -> list[str]:
    """Book files that do not parse, whoever wrote them: they are committed as they are (the reader's
    text is never dropped), never pushed, and the reader is told. Asked of the index, which reads again
    only files whose size or time changed; their paths (`books/x.toml`) are added to `paths`."""
    from readlog.errors import NewerSchema

    lines = []
    for problem in journal.problems():
        if isinstance(problem, NewerSchema):
            continue
        try:
            path = Path(problem.path).relative_to(journal.root).as_posix()
        except ValueError:
            lines.append(f"{one_line(str(problem))} (`readlog check` names what to fix)")
            continue
        lines.append(_unreadable_line(journal, path, str(problem)))
        paths.add(path)
    with contextlib.suppress(OSError):  # the book files the index never lists (`dune.TOML`: 33a #7)
        for name in sorted(os.listdir(journal.books_dir)):
            line = _unseen_line(journal, f"books/{name}") if _unseen_name(f"books/{name}") else None
            if line is not None:
                lines.append(line)
                paths.add(f"books/{name}")
    return lines


def _unseen_name(path: str) -> bool:
    """A file's path in books/ (`books/dune.TOML`, `books/dune.toml~`, `books/dune.toml.bak`) that may be a
    book file's, under a name readlog never lists (it reads `*.toml`, lower case): not a hidden one
    (readlog's own temp files), not one in a folder (`_moved` says those)."""
    parts = path.split("/")
    name = parts[-1]
    return (
        len(parts) == 2
        and parts[0] == "books"
        and ".toml" in name.lower()
        and not name.endswith(".toml")
        and not name.startswith(".")
    )


def _unseen_line(journal: Journal, path: str) -> str | None:
    """The line naming a book file in books/ under a name readlog never lists, as `check` names it: one
    ending `.TOML` (any case but lower) always; any other (`dune.toml~`, `dune.toml.bak`) when it holds a
    book and its own name's book file is there too (a copy beside the book readlog reads: sent, it would
    travel unseen to every device). None for a file that is no book (a tool's `settings.toml.bak`: `check`
    calls it no book file, harmless), or a book moved there alone (`mv dune.toml dune.toml.bak`: its commit
    says the move, and the other device's sync the `mv` back: try-out 32b #2)."""
    from readlog.checkup import book_in

    where = journal.root / path
    if not where.is_file() or where.is_symlink():
        return None
    own = where.name[: where.name.lower().find(".toml")].lower()
    if where.name.lower().endswith(".toml"):
        why = "the file name must end in `.toml`, lower case"
    elif is_slug(own) and journal.path_for(own).is_file() and book_in(where) is not None:
        why = "the file name is not `<slug>.toml`"
    else:
        return None
    return f"{one_line(_unseen(journal, path, why))} (`readlog check` names what to fix)"


def _unreadable_line(journal: Journal, path: str, problem: str) -> str:
    """The line naming a book file (`books/x.toml`) readlog cannot read: `problem`, the parser's words; for
    a name that is not a slug (`dune 2.toml`, Finder's copy; `Klara.toml`), what `check` says of a book file
    readlog cannot see instead: a copy of a book it reads (safe to remove), or the `mv -i` that brings it in
    (try-out 33b #17: the name's error was raised again, bare, after committing)."""
    if not is_slug(Path(path).stem):
        problem = _unseen(journal, path, "the file name is not a slug")
    return f"{one_line(problem)} (`readlog check` names what to fix)"


def _unseen(journal: Journal, path: str, why: str) -> str:
    """A file in books/ under a name readlog never reads (`why`), as `check` names it: a book in it, with
    the way in (a copy of a book readlog reads, or the `mv -i`); no book, why not (`not a book file:
    invalid TOML ... (line 1)`: review 33a #8, where a `no free name` was said of a file no name would
    bring in)."""
    from readlog import bookfile
    from readlog.checkup import book_in, way_in
    from readlog.errors import BookFileError

    where = journal.root / path
    book = book_in(where)
    if book is not None:
        return f"{where}: {why}: readlog cannot see it; {way_in(journal, where, book, set())}"
    try:
        bookfile.parse(bookfile.decode(where.read_bytes(), str(where)), str(where))
        wrong = "it does not parse"  # (a book now: changed since book_in read it)
    except BookFileError as error:
        wrong = error.message + (f" (line {error.line})" if error.line is not None else "")
    except (ReadlogError, OSError, UnicodeError) as error:
        wrong = str(error)
    return f"{where}: {why}: readlog cannot see it; not a book file: {wrong}"


def _duplicates(journal: Journal) -> list[str]:
    from readlog import checkup

    return [
        f"{problem.path}: {problem.message}"
        for problem in checkup.check_journal(journal).problems
        if problem.kind == "duplicate"
    ]
