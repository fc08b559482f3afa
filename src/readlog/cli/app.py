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


class _Group(TyperGroup):
    """Catches readlog's own errors at the edge: one line on stderr, exit 1."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except BrokenPipeError:
            raise  # the reader of our output went away (`| head`): not an error to report
        except (ReadlogError, OSError) as error:
            state = ctx.obj
            if isinstance(state, State) and state.debug:
                raise
            message = str(error) if isinstance(error, ReadlogError) else _os_message(error)
            _fail(message)


def _os_message(error: OSError) -> str:
    where = f": {error.filename}" if error.filename else ""
    return f"{error.strerror or error}{where}"


def _fail(message: str) -> NoReturn:
    complain(f"readlog: error: {one_line(message)}", "red")
    raise typer.Exit(1)


app = typer.Typer(
    cls=_Group,
    name="readlog",
    # Plain Click help: Rich-formatted help costs ~6x `python -c pass` more at start-up (bench/startup.py).
    rich_markup_mode=None,
    add_completion=False,
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
next_app = typer.Typer(cls=_Group, rich_markup_mode=None, invoke_without_command=True)
app.add_typer(next_app, name="next")


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
