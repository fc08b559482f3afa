"""Sync and history: sync init, sync, resolve, log, and the merge driver git calls."""

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from readlog.cli.app import (
    LIMIT_MAX,
    _Group,
    _message_color_mode,
    app,
    complain,
    journal_of,
    print_json,
    stdout,
    tell,
)
from readlog.text import one_line

if TYPE_CHECKING:
    from readlog.journal import Journal
    from readlog.sync.repo import InboxOutcome, SyncReport

sync_app = typer.Typer(cls=_Group, rich_markup_mode=None, invoke_without_command=True)
app.add_typer(sync_app, name="sync")


JsonOption = Annotated[bool, typer.Option("--json", help="Print what the sync did as JSON.")]


@sync_app.callback()
def sync(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """Sync the journal through git: commit, fetch, merge book by book, push.

    What changed is committed with a message in words.

    Exit 1 when something needs you (a field both devices changed: `readlog resolve`). An inbox line
    that cannot be filed is named on stderr and stays in inbox.md; it does not fail the sync.

    \b
    Example:
      readlog sync
    """
    if ctx.invoked_subcommand is not None:
        return
    from readlog.sync import repo

    journal = journal_of(ctx)
    _report(repo.sync(journal, inbox=lambda: _file_inbox(journal)), as_json)


# The inbox and the marker of a filing in progress, as readlog.actions.inbox names them (a test holds the
# two lists equal): when neither is there, there is nothing to file, and that module (with the actions it
# files through) is not imported on every sync.
INBOX_FILES = ("inbox.md", ".inbox-filing")


def _file_inbox(journal: "Journal") -> "InboxOutcome":
    """The phone inbox, filed first when it has notes (see `readlog inbox`)."""
    from readlog.sync.repo import InboxOutcome

    if not any((journal.root / name).exists() for name in INBOX_FILES):
        return InboxOutcome(ran=False)
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


@sync_app.command("init")
def sync_init(
    ctx: typer.Context,
    remote: Annotated[
        str | None,
        typer.Argument(help="A git URL to sync with: a path, a bare repo on a USB disk, ssh, https."),
    ] = None,
) -> None:
    """Make the data dir a git repository (or adopt one) that syncs book files field by field.

    \b
    Example:
      readlog sync init /media/usb/journal.git
    """
    from readlog.sync import repo

    journal = journal_of(ctx)
    report = repo.init(journal, remote)
    tell(f"Syncing {journal.root} through git" + (f" with {report.remote}" if report.remote else ""))
    _report(report)


def _report(report: "SyncReport", as_json: bool = False) -> None:
    if as_json:
        print_json(
            {
                "remote": report.remote,
                "committed": report.committed,
                "merged": report.merged,
                "pushed": report.pushed,
                "filed": report.filed,
                "parked": report.parked,
                "attention": report.attention,
                "notes": report.notes,
            }
        )
    for note in report.notes:
        _say(f"readlog: note: {note}", "yellow")
    if report.filed:
        count = len(report.filed)
        tell(f"Filed {count} note{'s' if count != 1 else ''} from inbox.md")
    for line in report.parked:
        _say(f"readlog: {line}", "yellow")
    if report.committed:
        tell(f"Committed: {report.committed}")
    if report.merged:
        count = len(report.merged)
        tell(f"Merged {count} file{'s' if count != 1 else ''} from {report.remote}")
    if report.pushed:
        tell(f"Pushed to {report.remote}")
    for line in report.attention:
        _say(line, "red")
    if report.attention:
        count = len(report.attention)
        _say(f"{count} thing{'s need' if count != 1 else ' needs'} you", "red")
        raise typer.Exit(1)
    if report.remote:
        _say(f"all in sync with {report.remote}", "green")
    else:
        done = "committed" if report.committed else "nothing new to commit"
        _say(f"{done}; no remote to sync with (`readlog sync init URL` adds one)", "green")


def _say(message: str, style: str) -> None:
    """A message of the sync's: in colour through Rich on a terminal (or when colour is forced), anywhere
    else the line as it is (made visible), without importing Rich's console: that import was most of a
    quiet `readlog sync`'s own time in a script or a cron job."""
    if sys.stderr.isatty() or _message_color_mode() == "always":
        complain(message, style)
    else:
        sys.stderr.write(one_line(message) + "\n")


@app.command()
def resolve(
    ctx: typer.Context,
    book: Annotated[str, typer.Argument(help="Slug, title, or part of the title.")],
    field: Annotated[str | None, typer.Argument(help="The field, as `show` names it (default: all).")] = None,
    ours: Annotated[bool, typer.Option("--ours", help="Keep the value in place (this device's).")] = False,
    theirs: Annotated[bool, typer.Option("--theirs", help="Take the other device's value.")] = False,
) -> None:
    """Settle a conflict a sync recorded: keep this device's value or take the other's.

    \b
    Example:
      readlog resolve "klara and the sun" rating --theirs
    """
    from readlog.sync import conflicts
    from readlog.sync.device import this_device

    if ours == theirs:
        raise typer.BadParameter("give exactly one of --ours or --theirs")
    journal = journal_of(ctx)
    side = "this device's" if ours else "the other device's"
    if book.strip().lower() == conflicts.GOALS and conflicts.goals_pending(journal):
        fields = conflicts.resolve_goals(
            journal, field, "ours" if ours else "theirs", this_device(journal.root)
        )
        tell(f"Resolved {', '.join(fields)} of goals.toml with {side} value: {journal.root / 'goals.toml'}")
        return
    entry = journal.resolve(book)
    entry, fields = conflicts.resolve(
        journal, entry, field, "ours" if ours else "theirs", this_device(journal.root)
    )
    tell(f"Resolved {', '.join(fields)} of “{entry.book.title}” with {side} value: {entry.path}")


@app.command("log")
def history(
    ctx: typer.Context,
    book: Annotated[str | None, typer.Argument(help="Only this book: slug, title, or part of it.")] = None,
    limit: Annotated[int, typer.Option(metavar="N", help="The journal's last N changes (default 50).")] = 50,
    as_json: Annotated[bool, typer.Option("--json", help="Print the history as JSON.")] = False,
) -> None:
    """The journal's history, or one book's, in words (from git).

    Needs a data dir that is a repository (`readlog sync init`).

    \b
    Example:
      readlog log "klara and the sun"
    """
    from readlog.sync import history as log

    journal = journal_of(ctx)
    if book is None:
        entries = log.journal_log(journal, min(limit, LIMIT_MAX) if limit > 0 else None)
    else:
        slug, guessed = log.find_book(journal, book)
        if guessed is not None:
            complain(f"readlog: the history of {guessed.describe()}, the closest title", "yellow")
        entries = log.book_log(journal, slug)
    if as_json:
        print_json([entry.to_json() for entry in entries])
        return
    from readlog.sync.render import render_log

    if entries:
        stdout().print(render_log(entries, book=book is not None))
    else:
        complain("no history yet: `readlog sync` records it", "dim")


@app.command("merge-driver")
def merge_driver(
    base: Annotated[Path, typer.Argument(help="The common ancestor's version (%O).")],
    ours: Annotated[Path, typer.Argument(help="This side's version, replaced by the result (%A).")],
    theirs: Annotated[Path, typer.Argument(help="The other side's version (%B).")],
    path: Annotated[str, typer.Argument(help="The file's path in the journal (%P).")],
) -> None:
    """What git runs to merge a book file (set up by `readlog sync init`).

    Merges field by field into OURS; exit 0 when merged, 1 when git must stop.

    \b
    Example:
      readlog merge-driver base.toml ours.toml theirs.toml books/dune.toml
    """
    from readlog.sync.driver import run_driver

    result = run_driver(base, ours, theirs, path)
    if result.fallback:
        complain(f"readlog: {path}: {result.fallback}; merged line by line instead", "yellow")
    elif result.conflicts:
        complain(f"readlog: {path}: both sides changed {', '.join(result.conflicts)}; recorded", "yellow")
    raise typer.Exit(result.code)
