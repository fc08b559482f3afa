"""`readlog check`: every book file checked, each problem named; with fix, what is safe to fix fixed."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from readlog.journal import Journal

if TYPE_CHECKING:
    from readlog.checkup import Problem


@dataclass
class Checked:
    checked: int  # book files read
    problems: list[Problem]  # what is wrong now (after fixing, what is left)
    fixed: list[str] = field(default_factory=list)  # what --fix did, one line each

    @property
    def failed(self) -> bool:
        """A problem that is not only a notice (a maybe-same-book pair is a notice)."""
        return any(not p.notice for p in self.problems)


def check(journal: Journal, fix: bool = False) -> Checked:
    from readlog import checkup

    report = checkup.check_journal(journal)
    done = checkup.fix(journal, report.problems) if fix and any(p.fixable for p in report.problems) else []
    if done:
        report = checkup.check_journal(journal)
    return Checked(report.checked, report.problems + _unmerged(journal), done)


def _unmerged(journal: Journal) -> list[Problem]:
    """Book files a `git merge` in progress (a `git pull` by hand that stopped) left unmerged, one problem
    each: one both devices added as two books has no conflict markers, so nothing else would show it."""
    from readlog.userdirs import own_git_dir

    git_dir = own_git_dir(str(journal.root))
    if git_dir is None or not os.path.exists(os.path.join(git_dir, "MERGE_HEAD")):
        return []
    from readlog.checkup import Problem
    from readlog.sync.git import Git
    from readlog.sync.repo import unmerged_books

    git = Git(journal.root)
    problems = []
    for path, why in unmerged_books(git):
        if why is None:
            message = (
                f"left unmerged by a git merge in progress: finish it (`git -C {journal.root} commit`) or "
                f"undo it (`git -C {journal.root} merge --abort`)"
            )
        else:
            message = (
                f"left unmerged by a git merge in progress, added on both devices as two books: {why}; "
                f"undo it (`git -C {journal.root} merge --abort`), then `readlog sync` keeps both"
            )
        problems.append(Problem(str(journal.root / path), "unmerged", message))
    return problems
