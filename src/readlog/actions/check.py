"""`readlog check`: every book file checked, each problem named; with fix, what is safe to fix fixed."""

from __future__ import annotations

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
    return Checked(report.checked, report.problems, done)
