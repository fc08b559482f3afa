"""The Typer app, its one error boundary, and what every command shares: consoles, messages, JSON, prompts.

Errors a user can cause are `ReadlogError`s; they are caught once, in `_Group.invoke`, and printed as one
line on stderr with exit code 1 (a traceback only with --debug). Usage errors stay Typer's (exit 2).
"""

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from typer.core import TyperGroup

from readlog import __version__
from readlog.errors import ReadlogError
from readlog.journal import Journal, default_data_dir
from readlog.text import one_line

if TYPE_CHECKING:
    from rich.console import Console

    from readlog.errors import BookFileError


@dataclass
class State:
    journal: Journal
    debug: bool = False


# Every command: the module that defines it (imported only when the command runs) and its one-line help
# (for `readlog --help`, so that listing the commands imports none of them). tests/test_docs.py checks
# that each line here begins its command's docstring.
COMMANDS: dict[str, tuple[str, str]] = {
    "add": ("books", "Add a book, with your rating and review."),
    "show": ("books", "Show a book: rating, review, reflections, quotes and read-next picks."),
    "next": ("queue", "Your read-next queue: picks from the books you read, then the books you want."),
    "list": ("books", "List books, newest first, or filtered and sorted."),
    "start": ("lifecycle", "Start reading a book (or resume a paused one, or read it again)."),
    "progress": ("lifecycle", "Log where you are in the book you are reading: a page, 42%, or 5:30."),
    "finish": ("lifecycle", "Finish the book you are reading: the date, your rating, your review."),
    "abandon": ("lifecycle", "Stop reading a book for good (it is kept, marked abandoned)."),
    "pause": ("lifecycle", "Set a book aside for now; `readlog start` resumes it."),
    "review": ("lifecycle", "Write (or replace) the review of a book in your journal."),
    "rate": ("lifecycle", "Rate a book: 0.25 to 5 in quarter steps."),
    "reflect": ("books", "Add a dated reflection: what the book left you with, the questions it raised."),
    "quote": ("books", "Keep a remembered line from a book."),
    "edit": ("books", "Edit a book's file in $VISUAL/$EDITOR"),
    "rm": ("books", "Remove a book (its file moves to the journal's trash/ folder)."),
    "search": ("find", "Search everything you wrote: titles, reviews, reflections, quotes and picks' notes."),
    "stats": ("find", "Your reading life at a glance"),
    "goal": ("find", "Set a yearly reading goal, or see how it is going; `stats` shows it too."),
    "recall": ("recall", "On this day in earlier years, and quotes you have not seen for longest"),
    "series": ("lookup", "Your series in order: what is read, being read and wanted, and what comes next."),
    "import": ("transfer", "Import your reading history: Goodreads, StoryGraph, LibraryThing and more"),
    "export": ("transfer", "Export a book or the whole journal: markdown, json, csv, or Goodreads' CSV"),
    "lookup": ("lookup", "Show what Open Library knows about a book"),
    "enrich": ("lookup", "Fill the gaps from Open Library, never what you wrote"),
    "site": ("site", "Publish your journal as a static reading blog"),
    "check": ("maintenance", "Check every book file; report each problem on one line (exit 1 if any)."),
    "reindex": ("maintenance", "Rebuild the search index from the book files"),
    "completion": ("maintenance", "Print the shell completion script for bash, zsh or fish."),
    "inbox": ("inbox", "File the notes of inbox.md (written on your phone) into their books."),
    "sync": ("sync", "Sync the journal through git: commit, fetch, merge book by book, push."),
    "log": ("sync", "The journal's history, or one book's, in words (from git)."),
    "resolve": ("sync", "Settle a conflict a sync recorded: keep this device's value or take the other's."),
    "merge-driver": ("sync", "What git runs to merge a book file (set up by `readlog sync init`)."),
}  # fmt: skip


class _Group(TyperGroup):
    """Catches readlog's own errors at the edge: one line on stderr, exit 1."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except BrokenPipeError:
            raise  # the reader of our output went away (`| head`): not an error to report
        except Exception as error:
            state = ctx.obj
            if isinstance(state, State) and state.debug:
                raise
            if isinstance(error, ReadlogError):
                _fail(str(error))
            if isinstance(error, OSError):
                _fail(_os_message(error))
            if type(error).__module__ == "sqlite3":  # the index is a cache: say so, never a traceback
                _fail(f"the index cache could not be used ({error}); `readlog reindex` rebuilds it")
            raise


class _Root(_Group):
    """The top-level group: builds a command only when it is run (or completed), so start-up pays for
    one command, not for all of them; `--help` lists them from COMMANDS without importing any."""

    def list_commands(self, ctx: Any) -> list[str]:
        return list(dict.fromkeys([*COMMANDS, *self.commands]))

    def get_command(self, ctx: Any, name: str) -> Any:
        if name not in self.commands and name in COMMANDS:
            self._build(name)
        return self.commands.get(name)

    def _build(self, name: str) -> None:
        import importlib

        import typer.main

        importlib.import_module(f"readlog.cli.{COMMANDS[name][0]}")
        for info in app.registered_commands:
            if info.callback and (info.name or typer.main.get_command_name(info.callback.__name__)) == name:
                command = typer.main.get_command_from_info(
                    info, pretty_exceptions_short=True, rich_markup_mode=app.rich_markup_mode
                )
                self.add_command(command, name)
        for group in app.registered_groups:
            if group.name == name:
                built = typer.main.get_group_from_info(
                    group, pretty_exceptions_short=True, suggest_commands=True, rich_markup_mode=None
                )
                self.add_command(built, name)

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        rows = [(name, help_line) for name, (_, help_line) in COMMANDS.items()]
        rows += [(n, c.get_short_help_str()) for n, c in self.commands.items() if n not in COMMANDS]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


def _os_message(error: OSError) -> str:
    where = f": {error.filename}" if error.filename else ""
    return f"{error.strerror or error}{where}"


def _fail(message: str) -> NoReturn:
    complain(f"readlog: error: {one_line(message)}", "red")
    raise typer.Exit(1)


app = typer.Typer(
    cls=_Root,
    name="readlog",
    # Plain Click help: Rich-formatted help costs ~6x `python -c pass` more at start-up (bench/startup.py).
    rich_markup_mode=None,
    # --install-completion / --show-completion; completing BOOK reads titles from the index.
    add_completion=True,
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def stdout() -> "Console":
    from rich.console import Console

    return Console()


def say(message: str) -> None:
    """A result line on stdout (where the file went, what changed). Plain: importing Rich to print one
    unstyled line would double the start-up of `add`."""
    sys.stdout.write(one_line(message) + "\n")


def complain(message: str, style: str, console: "Console | None" = None) -> None:
    """One line on stderr, however long: scripts and people both read it whole."""
    (console or stderr()).print(message, style=style, markup=False, highlight=False, soft_wrap=True)


def stderr() -> "Console":
    from rich.console import Console

    return Console(stderr=True)


def journal_of(ctx: typer.Context) -> Journal:
    state = ctx.find_root().obj
    return state.journal if isinstance(state, State) else Journal(default_data_dir())


def print_json(value: object) -> None:
    import json

    text = json.dumps(value, ensure_ascii=False, indent=2)
    # C1 control characters pass through ensure_ascii=False; escape them so a terminal never obeys them.
    text = text.translate({c: f"\\u{c:04x}" for c in range(0x80, 0xA0)})
    sys.stdout.write(text + "\n")


def warn(problems: "list[BookFileError]") -> None:
    console = stderr() if problems else None
    for problem in problems:
        complain(f"readlog: warning: skipped {one_line(str(problem))}", "yellow", console)


def interactive() -> bool:
    return sys.stdin.isatty()


def ask(what: str, hint: str) -> str:
    if not interactive():
        raise ReadlogError(f"missing {what}: {hint}")
    return str(typer.prompt(what.capitalize()))


def read_source(source: str) -> str:
    """Text from a file path, or from stdin for `-`: UTF-8 only, anything else is a clear error."""
    try:
        raw = sys.stdin.buffer.read() if source == "-" else Path(source).read_bytes()
        return raw.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as error:
        where = "stdin" if source == "-" else source
        raise ReadlogError(f"{where}: not UTF-8 text (bad byte at offset {error.start})") from None
    except OSError as error:
        raise ReadlogError(f"cannot read {source}: {error.strerror}") from None


def unread_stdin_notice(how: str) -> None:
    """Say (on stderr) that text waiting on a piped stdin was not read, without reading it: commands read
    stdin only when told to, so loops like `while read t; do readlog finish "$t"; done < list` work."""
    import os
    import stat

    try:
        fd = sys.stdin.fileno()
        if not stat.S_ISFIFO(os.fstat(fd).st_mode):
            return
        import fcntl
        import struct
        import termios

        waiting = struct.unpack("i", fcntl.ioctl(fd, termios.FIONREAD, b"\0\0\0\0"))[0]
    except (OSError, ValueError, AttributeError, ImportError):  # no stdin, a closed one, or not POSIX
        return
    if waiting:
        complain(f"readlog: note: text on stdin was not read; to use it, {how}", "yellow")


def complete_book(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """Shell completion for BOOK: slugs (with their titles) from the index as it is, not synced."""
    import sqlite3

    from readlog.index import Index, index_path

    root = default_data_dir(ctx.find_root().params.get("data_dir"))
    path = index_path(root)
    if not path.exists():
        return []
    try:
        index = Index(root / "books", lambda slug: (None, False), path)  # type: ignore[arg-type,return-value]
        return [(slug, title) for slug, title in index.complete(incomplete)]
    except (OSError, sqlite3.Error):
        return []


Private = Annotated[
    bool, typer.Option("--private", help="Keep it out of everything readlog publishes (site, posts).")
]

BookQuery = Annotated[
    str,
    typer.Argument(
        metavar="BOOK",
        help="Slug, title, 'TITLE by AUTHOR', or words of the title in order.",
        autocompletion=complete_book,
    ),
]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"readlog {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    ctx: typer.Context,
    data_dir: Annotated[
        Path | None,
        typer.Option(
            "--data-dir",
            metavar="PATH",
            help="Journal folder (default: $READLOG_HOME, else your user data dir).",
        ),
    ] = None,
    debug: Annotated[bool, typer.Option("--debug", help="Show a traceback on errors.")] = False,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """A reading journal you own: reviews, reflections, quotes and read-next lists as plain TOML files.

    \b
    Example:
      readlog add "Never Let Me Go" --author "Kazuo Ishiguro" --rating 4.5
    """
    ctx.obj = State(Journal(default_data_dir(data_dir)), debug)
