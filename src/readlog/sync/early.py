"""A sync's first local steps, run while the rest of readlog is imported.

A sync with something to commit starts, under the journal's lock, with `git status`, `git add` of the paths
it names, then (where the commit is made by plumbing) `git write-tree` and beside it the `cat-file` of what
changed that its message is made from: at 1,000 books about a sixth of the sync, all waiting for the
imports of the journal, the book files and the sync (about a quarter) before.
When readlog.sync.quick hands a sync on, it starts them here, in a thread, under the journal's lock it
takes (`lock`, a descriptor that readlog.journal.Journal.locked takes over), while the fetch runs too;
only when nothing the sync does before its status would do anything (no merge in progress, no temp file
of an interrupted write, no inbox, the configuration set up: quick checked). readlog.sync.repo keeps
what they did only when the fetch is done by the time it would wait for it (the journal's lock is never
held waiting for the remote), else it lets the lock go and runs them again (`add` of what is added
already changes nothing). An error here is not reported: the sync runs the step again and says what.
This module loads nothing the quick look has not (the thread starts at once).
"""

from __future__ import annotations

import os
import threading

from readlog.sync.process import Running, environment, git_path
from readlog.sync.quick import (
    ADD_NAMED,
    CAT_FILE,
    DESCRIBED,
    LITERAL,
    REMOTE,
    STATUS,
    ConfigEntry,
    Status,
    batch_input,
    named,
    parse_status_branch,
    plain_commit_allowed,
    staged_specs,
    to_add,
)


class Early:
    """The steps, started at once: `status` (None: it failed), `added` (its changes are in the index),
    `tree` (the `write-tree` run, finished; None: not run), `read` (the `cat-file --batch` of what
    changed that readlog.sync.git.Git.staged_read asks, and of the remote's branch `ref`, run beside
    `write-tree`, finished; None: not run), `lock` (the journal's lock, -1 once handed to the journal
    or let go)."""

    def __init__(self, root: str, git_dir: str, config: list[ConfigEntry], lock: int):
        self.lock = lock
        self.status: Status | None = None
        self.added = False
        self.tree: Running | None = None
        self.read: Running | None = None
        self.ref: str | None = None
        self._where = root, git_dir, config
        self._thread = threading.Thread(target=self._run, name="readlog-sync-early", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        root, git_dir, config = self._where
        try:
            executable, env = git_path(), environment()
            if executable is None:
                return
            code, out, _ = Running(executable, root, STATUS, env).finish()
            if code != 0:
                return
            status = self.status = parse_status_branch(out)
            if status.branch is None or status.head is None or not status.changes:
                return
            paths = [path for _, path in status.changes]
            added = to_add(status.changes)
            if added and Running(executable, root, ADD_NAMED, {**env, **LITERAL}, named(added)).finish()[0]:
                return
            self.added = True
            # the tree and the contents the commit's message is made from, read side by side (both only
            # read the index `add` wrote: `write-tree` swaps in the same entries with their trees)
            tree = None
            if plain_commit_allowed(config, git_dir):
                tree = Running(executable, root, ("write-tree",), env)
            try:
                if status.plain and len(status.changes) <= DESCRIBED:
                    # the remote's branch too: it stands when the fetch, done or not yet, updates no ref
                    ref = f"refs/remotes/{REMOTE}/{status.branch}"
                    specs = [*staged_specs(paths)[1], ref]
                    read = Running(executable, root, CAT_FILE, env, batch_input(specs))
                    read.finish()  # (an error, as write-tree's, is the sync's to raise)
                    self.read, self.ref = read, ref
            finally:
                if tree is not None:
                    tree.finish()  # (its error, if any, is the sync's to raise: readlog.sync.git.Git.finish)
                    self.tree = tree
        except BaseException:  # noqa: S110 - the sync runs the step again, and says what went wrong
            pass

    def wait(self) -> None:
        self._thread.join()

    def hand_lock(self) -> int:
        """The journal's lock, for the journal to take over (the steps are done)."""
        self.wait()
        lock, self.lock = self.lock, -1
        return lock

    def release(self) -> None:
        """Wait for the steps, and let the journal's lock go unless it was handed on."""
        self.wait()
        if self.lock >= 0:
            os.close(self.lock)
            self.lock = -1
