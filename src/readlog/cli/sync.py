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
    say_stopped,
    stdout,
    tell,
)
from readlog.text import one_line

if TYPE_CHECKING:
    from readlog.actions.sync import SyncReport

sync_app = typer.Typer(cls=_Group, rich_markup_mode=None, invoke_without_command=True)
app.add_typer(sync_app, name="sync")


JsonOption = Annotated[bool, typer.Option("--json", help="Print what the sync did as JSON.")]


@sync_app.callback()
def sync(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """What changed is committed with a message in words.

    Exit 1 when something needs you (a field both devices changed: `readlog resolve`). An inbox line
    that cannot be filed is named on stderr and stays in inbox.md; it does not fail the sync.

    \b
    Example:
      readlog sync
    """
    if ctx.invoked_subcommand is not None:
        return
    from readlog.actions import sync as actions

    try:
        report = actions.sync(journal_of(ctx))
    except actions.Stopped as stop:  # (SIGTERM, SIGHUP: said as Ctrl-C is, then the signal ends readlog)
        stop.end(say_stopped)
    except actions.NotPushed as error:
        if as_json:  # what was done here, and why nothing went: "committed, not pushed", not nothing
            _json(error.report, str(error))
        raise  # (its one line on stderr, exit 1)
    _report(report, as_json)


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
    from readlog.actions import sync as actions

    journal = journal_of(ctx)
    try:
        report = actions.init(journal, remote)
    except actions.Stopped as stop:
        stop.end(say_stopped)
    tell(f"Syncing {journal.root} through git" + (f" with {report.remote}" if report.remote else ""))
    _report(report)


def _json(report: "SyncReport", error: str | None = None) -> None:
    print_json(
        {
            "remote": report.remote,
            "committed": report.committed,
            "merged": report.merged,
            "pushed": report.pushed,
            "filed": report.filed,
            "parked": report.parked,
            "attention": report.attention + ([report.held] if report.held else []),
            "notes": report.notes,
            "error": error,
        }
    )


def _report(report: "SyncReport", as_json: bool = False) -> None:
    if as_json:
        _json(report)
    from readlog.sync.render import report_lines

    lines, code = report_lines(report)
    for text, style in lines:
        if style is None:
            tell(text)
        else:
            _say(text, style)
    if code:
        raise typer.Exit(code)


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
    ours: Annotated[
        bool, typer.Option("--ours", help='Keep this device\'s value ("here" in show), in place or not.')
    ] = False,
    theirs: Annotated[bool, typer.Option("--theirs", help="Take the other device's value.")] = False,
) -> None:
    """
    \b
    Example:
      readlog resolve "klara and the sun" rating --theirs
    """
    from readlog.actions import sync as actions

    if ours == theirs:
        raise typer.BadParameter("give exactly one of --ours or --theirs")
    side = "this device's" if ours else "the other device's"
    done = actions.resolve(journal_of(ctx), book, field, "ours" if ours else "theirs")
    what = "goals.toml" if done.title is None else f"“{done.title}”"
    from readlog.sync.render import field_names

    tell(f"Resolved {field_names(done.fields)} of {what} with {side} value: {done.path}")
    for note in done.notes:
        complain(f"readlog: note: {note}", "yellow")


@app.command("log")
def history(
    ctx: typer.Context,
    book: Annotated[str | None, typer.Argument(help="Only this book: slug, title, or part of it.")] = None,
    limit: Annotated[
        int | None,
        typer.Option(
            metavar="N",
            min=0,
            help="The last N changes (default: the journal's last 50, all of a book's; 0 for all).",
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the history as JSON.")] = False,
) -> None:
    """Needs a data dir that is a repository (`readlog sync init`).

    \b
    Example:
      readlog log "klara and the sun"
    """
    from readlog.actions import sync as actions

    if limit is None:
        limit = 50 if book is None else 0
    found = actions.history(journal_of(ctx), book, min(limit, LIMIT_MAX) if limit > 0 else None)
    if found.guessed is not None:
        complain(f"readlog: the history of {found.guessed.describe()}, the closest title", "yellow")
    entries = found.entries
    if as_json:
        print_json([entry.to_json() for entry in entries])
        return
    from readlog.sync.render import render_log

    if entries:
        # one change a line wherever it goes: wrapped by the terminal, never cut by Rich (piped, at 80
        # columns, one change on two lines broke grep and wc)
        stdout().print(render_log(entries, book=book is not None), soft_wrap=True)
    else:
        complain("no history yet: `readlog sync` records it", "dim")


@app.command("merge-driver")
def merge_driver(
    base: Annotated[Path, typer.Argument(help="The common ancestor's version (%O).")],
    ours: Annotated[Path, typer.Argument(help="This side's version, replaced by the result (%A).")],
    theirs: Annotated[Path, typer.Argument(help="The other side's version (%B).")],
    path: Annotated[str, typer.Argument(help="The file's path in the journal (%P).")],
) -> None:
    """Merges field by field into OURS; exit 0 when merged, 1 when git must stop.

    \b
    Example:
      readlog merge-driver base.toml ours.toml theirs.toml books/dune.toml
    """
    from readlog.actions import sync as actions

    result = actions.merge_driver(base, ours, theirs, path)
    if result.fallback:
        complain(f"readlog: {path}: {result.fallback}; merged line by line instead", "yellow")
    elif result.apart:
        complain(
            f"readlog: {path}: added on both sides as two books: {result.apart}; not merged "
            "(`git merge --abort`, then `readlog sync`, keeps both)",
            "yellow",
        )
    elif result.conflicts:
        complain(f"readlog: {path}: both sides changed {', '.join(result.conflicts)}; recorded", "yellow")
    raise typer.Exit(result.code)
