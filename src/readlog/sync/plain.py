"""What a sync says when it is done, in the command line's words: `readlog sync` through the command line
(readlog.cli.sync, in colour on a terminal) and, with plain messages, from the entry point without Typer,
Click or Rich (readlog.__main__, after readlog.sync.quick looked) say it through here, so the two cannot
say it differently. It writes nothing itself: the caller gives the writers."""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

    from readlog.sync.repo import SyncReport


def write_report(report: SyncReport, tell: Callable[[str], None], say: Callable[[str, str], None]) -> int:
    """What a sync did, on stderr: `tell` a confirmation, `say(message, style)` a message of the sync's (in
    colour on a terminal). Returns the exit code: 1 when something needs the reader."""
    for note in report.notes:
        say(f"readlog: note: {note}", "yellow")
    if report.filed:
        count = len(report.filed)
        tell(f"Filed {count} note{'s' if count != 1 else ''} from inbox.md")
    for line in report.parked:
        say(f"readlog: {line}", "yellow")
    if report.committed:
        tell(f"Committed: {report.committed}")
    if report.merged:
        count = len(report.merged)
        tell(f"Merged {count} file{'s' if count != 1 else ''} from {report.remote}")
    if report.pushed:
        tell(f"Pushed to {report.remote}")
    for line in report.attention:
        say(line, "red")
    if report.attention:
        count = len(report.attention)
        say(f"{count} thing{'s need' if count != 1 else ' needs'} you", "red")
        return 1
    if report.remote:
        say(f"all in sync with {report.remote}", "green")
    else:
        done = "committed" if report.committed else "nothing new to commit"
        say(f"{done}; no remote to sync with (`readlog sync init URL` adds one)", "green")
    return 0
