"""`readlog inbox`: file the phone's notes (inbox.md) into their books."""

from typing import TYPE_CHECKING, Annotated

import typer

from readlog.cli.app import app, complain, journal_of, print_json, say

if TYPE_CHECKING:
    from readlog.actions.inbox import InboxReport


@app.command()
def inbox(
    ctx: typer.Context,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Say what would be filed and what not; change nothing.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print what was filed and left as JSON.")] = False,
) -> None:
    """File the notes of inbox.md (written on your phone) into their books.

    One note a line, `VERB: BOOK | ARG | ...`; what is filed leaves the inbox, what cannot be stays, with
    the reason on stderr (exit 1).

    \b
    Example:
      echo 'quote: never let me go | p. 53 | Memories are what we keep.' >> "$READLOG_HOME/inbox.md"
      readlog inbox
    """
    from readlog.actions.inbox import file_inbox

    report = file_inbox(journal_of(ctx), dry_run=dry_run)
    show_report(report, as_json)
    if report.left:
        raise typer.Exit(1)


def show_report(report: "InboxReport", as_json: bool) -> None:
    from readlog.actions.inbox import INBOX

    for note in report.notes:
        complain(f"readlog: note: {note}", "yellow")
    if as_json:
        print_json(report.to_json())
    else:
        done = "Would file" if report.dry_run else "Filed"
        for filed in report.filed:
            say(f"{done} line {filed.note.number}: {filed.describe()}")
    for left in report.left:
        complain(f"{INBOX}:{left.number}: {left.reason}", "red")
    if not as_json and not report.filed and not report.left:
        complain(f"nothing to file: {INBOX} has no notes", "dim")
