"""The Typer app, its one error boundary, and what every command shares: consoles, messages, JSON, prompts.

Errors a user can cause are `ReadlogError`s; they are caught once, in `_Group.invoke`, and printed as one
line on stderr with the error's own exit code: 1, or 2 for a `UsageError` (a traceback only with --debug).
Usage errors Typer finds stay Typer's (exit 2), shown as one line too.
"""

import contextlib
import re
import sys
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer._click.exceptions import BadParameter, NoArgsIsHelpError, UsageError
from typer._click.formatting import HelpFormatter
from typer.core import TyperGroup

from readlog import __version__
from readlog.actions.session import Journal, open_journal
from readlog.errors import ReadlogError
from readlog.text import JSON_VISIBLE, one_line, plain_message, stderr_width, tsv_as_is, visible

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator, Sequence
    from typing import Literal, TextIO, TypeGuard

    from rich.console import Console, RenderableType

    from readlog.actions.session import Candidate
    from readlog.errors import BookFileError


@dataclass
class State:
    journal: Journal
    debug: bool = False
    color: str | None = None  # --color: auto, always or never (None: not given)
    pager: bool = True  # False with --no-pager
    data_dir_given: bool = False  # --data-dir was given: a missing folder is named, not silently empty
    no_input: bool = False  # --no-input: never ask, as in a script (a not-sure BOOK is refused)


# Every command: the module that defines it (imported only when the command runs) and its one-line help.
# This table is the one place a command's summary is written: `readlog --help` lists it (importing no
# command module), and it is the first paragraph of the command's own `--help` (its docstring holds the
# rest: details and an example). A module name without a dot is in readlog.cli. `register_command` adds
# one (docs/ARCHITECTURE.md: "a new verb").
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
    "edit": ("books", "Edit a book's file in $VISUAL/$EDITOR."),
    "rm": ("books", "Remove a book (its file moves to the journal's trash/ folder)."),
    "merge": (
        "books",
        "Merge book B into book A, keeping every reading, review, reflection and quote of both.",
    ),
    "search": ("find", "Search everything you wrote: titles, reviews, reflections, quotes and picks' notes."),
    "stats": ("find", "Your reading life at a glance."),
    "goal": ("find", "Set a yearly reading goal, or see how it is going; `stats` shows it too."),
    "recall": ("recall", "On this day in earlier years, and quotes you have not seen for longest."),
    "series": ("lookup", "Your series in order: what is read, being read and wanted, and what comes next."),
    "import": ("transfer", "Import your reading history or your e-reader highlights from another app."),
    "export": (
        "transfer",
        "Export a book or the whole journal: markdown, json, csv, or Goodreads' CSV layout.",
    ),
    "lookup": ("lookup", "Show what Open Library knows about a book."),
    "enrich": ("lookup", "Fill the gaps from Open Library, never what you wrote."),
    "site": ("site", "Publish your journal as a static reading blog."),
    "tag": ("keeping", "Tag a book in your journal, or take a tag off (--remove)."),
    "tags": ("keeping", "Your tags with how many books have each; `tags rename` merges spellings."),
    "restore": ("keeping", "List what `rm` removed, or bring a removed book back."),
    "drafts": ("keeping", "List the drafts kept when an editor session was not saved."),
    "config": ("keeping", "Show your settings and where each comes from; `config init` writes a file."),
    "check": ("maintenance", "Check every book file; report each problem on one line (exit 1 if any)."),
    "reindex": ("maintenance", "Rebuild the search index from the book files."),
    "completion": ("maintenance", "Print the shell completion script for bash, zsh or fish."),
    "inbox": ("inbox", "File the notes of inbox.md (written on your phone) into their books."),
    "sync": ("sync", "Sync the journal through git: commit, fetch, merge book by book, push."),
    "log": ("sync", "The journal's history, or one book's, in words (from git)."),
    "resolve": ("sync", "Settle a conflict a sync recorded: keep this device's value or take the other's."),
    "merge-driver": ("sync", "What git runs to merge a book file (set up by `readlog sync init`)."),
}  # fmt: skip


# Commands a person never types (git runs the merge driver): they work, `--help` does not list them.
NOT_LISTED = frozenset({"merge-driver"})


def given_path(text: str) -> Path:
    """A path argument or option as typed (Typer's `parser`): an empty one is a usage error, where Typer
    made it Path("."), this folder (`--data-dir "$DIR"` with the variable unset made a journal here, and
    `import ""` looked through the whole folder for highlights). `.` still names this folder."""
    if not text.strip():
        raise BadParameter(f"{text!r} names no file or folder (`.` is this folder)")
    return Path(text)


def register_command(name: str, module: str, summary: str) -> None:
    """Add a command to the table: `module` (a dotted path, or a module of readlog.cli) defines it with
    `@app.command()` (or a group added as `name`), imported only when the command runs."""
    if name in COMMANDS:
        raise ValueError(f"there is a command {name!r} already")
    COMMANDS[name] = (module, summary)


def with_summary(name: str, help_text: str | None) -> str:
    """A command's whole help: its summary from COMMANDS, then what its docstring says."""
    summary = COMMANDS[name][1]
    return f"{summary}\n\n{help_text}" if help_text else summary


def _module(name: str) -> str:
    module = COMMANDS[name][0]
    return module if "." in module else f"readlog.cli.{module}"


class _OneLineUsage(UsageError):
    """A usage error shown as readlog shows every error: one line on stderr (exit 2, as Click's)."""

    def show(self, file: Any = None) -> None:
        show_error(self.format_message())


def _is_usage(error: BaseException) -> "TypeGuard[UsageError]":
    return isinstance(error, UsageError) and not isinstance(error, (NoArgsIsHelpError, _OneLineUsage))


def _one_line_usage(error: UsageError) -> UsageError:
    """Click's usage error (three lines: usage, a hint, the error) as one line: `readlog: error: MESSAGE
    (`readlog CMD --help` shows how)`. A value not among an option's choices names the closest one.
    `readlog` alone (help on no arguments) stays as Click shows it."""
    message = _shortened(error.format_message())  # a number of 5,000 digits is not written out
    message = message.replace(". Did you mean ", "; did you mean ")  # (a group's subcommand: Typer's words)
    if isinstance(error, BadParameter) and error.param is not None:
        choices = getattr(error.param.type, "choices", None)
        given = re.search(r"'([^']*)' is not one of", message)
        if choices and given:
            import difflib

            close = difflib.get_close_matches(given[1], [str(c) for c in choices], n=1, cutoff=0.6)
            if close:
                message = f"{message.rstrip('.')}; did you mean {close[0]!r}?"
    return usage_as_typed(message, error.ctx)


def usage_as_typed(message: str, ctx: Any) -> UsageError:
    """A usage error in readlog's one-line form that quotes what was typed whole (a command to run again,
    with the reader's path in it: `_one_line_usage` cuts any long word)."""
    where = ctx.command_path if ctx is not None else "readlog"
    return _OneLineUsage(f"{message} (`{where} --help` shows how)", ctx)


class _Group(TyperGroup):
    """Catches readlog's own errors at the edge: one line on stderr, exit 1."""

    def make_context(self, info_name: Any, args: Any, parent: Any = None, **extra: Any) -> Any:
        words = list(args or ())  # (Click takes the words off `args` as it parses them)
        try:
            return super().make_context(info_name, args, parent, **extra)
        except Exception as error:
            if _is_usage(error):
                moved = self._option_of_the_command(error, words) if parent is None else None
                raise (moved or _one_line_usage(error)) from None
            if isinstance(error, BrokenPipeError) and reader_gone():  # `readlog --help | head -1`
                raise typer.Exit(0) from None
            raise

    def _option_of_the_command(self, error: Exception, words: list[str]) -> "_OneLineUsage | None":
        """`readlog --json show dune`: an option of the command given before its name is said so, with the
        command line that works (Click offered `--version`, the one global option it looked like)."""
        given = getattr(error, "option_name", None)
        if not given or given not in words:
            return None
        at = words.index(given)
        no_context: Any = None  # (the top group's lists and builds need none: COMMANDS)
        known = set(self.list_commands(no_context))
        command = next((w for w in words[at + 1 :] if w in known), None)
        found = self.get_command(no_context, command) if command else None  # (built only now: lazily)
        params = [p for p in found.params if given in getattr(p, "opts", ())] if found is not None else []
        if not params:
            return None
        takes = 0 if getattr(params[0], "is_flag", False) or getattr(params[0], "count", False) else 1
        moved = words[at : at + 1 + takes]
        rest = words[:at] + words[at + 1 + takes :]
        import shlex

        line = shlex.join(["readlog", *rest, *moved])
        return _OneLineUsage(f"{given} is an option of `readlog {command}`: it goes after it: `{line}`", None)

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt as stop:  # Ctrl-C (exit 130): what a bulk write had done, if it says
            notes = [note for note in getattr(stop, "__notes__", ()) if isinstance(note, str)]
            end_prompt_line()  # (after the terminal's `^C`)
            for note in notes:
                complain(f"readlog: {note}", "yellow")
            if not notes:  # (never nothing at all: one line, as at a question)
                show_error(f"cancelled: {CTRL_C}")
            raise typer.Exit(130) from None  # (said once: a group within a group, `tags rename`, sees Exit)
        except Exception as error:
            if isinstance(error, BrokenPipeError) and reader_gone():
                raise typer.Exit(0) from None  # `readlog list | head -1`: the reader stopped reading
            if _is_usage(error):
                raise _one_line_usage(error) from None
            if isinstance(error, typer.Abort):  # a prompt left (Click's bare "Aborted!", exit 1)
                end_prompt_line()
                if isinstance(error.__context__, KeyboardInterrupt):
                    show_error(f"cancelled: {CTRL_C}")
                    raise typer.Exit(130) from None
                show_error("cancelled: the question got no answer (end of input)")
                raise typer.Exit(1) from None
            state = ctx.find_root().obj
            if isinstance(state, State) and state.debug:
                raise
            code = exit_for(error, state.journal.root if isinstance(state, State) else None)
            if code is None:
                raise
            raise typer.Exit(code) from None


CTRL_C = "nothing more was done"  # what Ctrl-C at a question says: `cancelled: nothing more was done`


@contextlib.contextmanager
def said_when_cancelled(done: str) -> "Iterator[None]":
    """Ctrl-C inside ends the command as Ctrl-C at a question does: one line, `cancelled: DONE` (where
    things stand), exit 130; a note the work put on the interrupt (how far it got) is said instead."""
    try:
        yield
    except KeyboardInterrupt as stop:
        notes = [note for note in getattr(stop, "__notes__", ()) if isinstance(note, str)]
        end_prompt_line()  # (after the terminal's `^C`)
        show_error(f"cancelled: {'; '.join(notes) or done}")
        raise typer.Exit(130) from None


def say_stopped(line: str) -> None:
    """The one line of a command stopped by SIGTERM or SIGHUP, its work undone (`Stopped.end` says it)."""
    complain(line, "yellow")


def end_prompt_line() -> None:
    """A question left with Ctrl-C or end of input leaves the cursor after its prompt (and the `^C` the
    terminal echoed): the error that follows starts on a line of its own, not there."""
    for stream in (sys.stdout, sys.stderr):  # (the prompt is on stdout: Click's)
        try:
            if stream.isatty():
                stream.write("\n")
                stream.flush()
                return
        except (OSError, ValueError, AttributeError):
            continue


def reader_gone() -> bool:
    """Whether the reader of our output has gone (`readlog list | head -1`: head read its line and left):
    the pipe on stdout or stderr has no reader. That ends a command with exit 0, whatever it was writing,
    as ripgrep does: the reader stopped reading, which is no failure of ours (1 would say "bad input", and
    141, the shell's SIGPIPE, fails a `set -o pipefail` script that got every line it asked for). Any
    other broken pipe (a child's) is an error."""
    import select

    for fd in (1, 2):
        try:
            poller = select.poll()
            poller.register(fd, select.POLLOUT)
            if any(events & select.POLLERR for _, events in poller.poll(0)):
                return True
        except (OSError, ValueError, AttributeError):  # no such fd, or no poll() (Windows)
            continue
    return False


def exit_for(error: Exception, root: Path | None = None) -> int | None:
    """The one error boundary's words: a readlog error (or an OS or index error) said as one line on stderr;
    its exit code (2 for a UsageError, 1 for the rest). None: not one of these (a bug: the traceback shows).
    `readlog sync` with plain messages, run from the entry point (readlog.__main__), ends here too. `root`:
    the journal's data dir, when known (an index error then names the index's file)."""
    # (what was done before it, noted on the error: an import's books written before a full disk)
    after = "".join(f"; {note}" for note in getattr(error, "__notes__", ()) if isinstance(note, str))
    if isinstance(error, ReadlogError):
        show_error(str(error) + after)
        return error.exit_code
    if isinstance(error, OSError):
        show_error(_os_message(error) + after)
        return 1
    if type(error).__module__ == "sqlite3":  # the index is a cache: say so, never a traceback
        where = _index_file(root)
        show_error(f"the index cache{where} could not be used ({error}); `readlog reindex` rebuilds it")
        return 1
    return None


def _index_file(root: Path | None) -> str:
    """The words " at PATH", naming the journal's index file in an error ("" when it cannot be told)."""
    if root is None:
        return ""
    try:
        from readlog.actions.session import index_file

        return f" at {index_file(root)}"
    except Exception:  # noqa: BLE001 - the error being told matters more than where its file is
        return ""


# Patterns of an error message and of help only: compiled (and cached by `re`) when first used, not by every
# command at start-up (~0.3 ms for the three).
_LONG_WORD = r"\S{61,}"


def _shortened(message: str) -> str:
    """A message that quotes what was typed, with any very long word (a number of 5,000 digits) cut."""
    return re.sub(_LONG_WORD, lambda m: f"{m[0][:24]}...{m[0][-12:]} ({len(m[0]):,} characters)", message)


class _HelpFormatter(HelpFormatter):
    """Click's formatter, but an example command too long for the terminal is broken between its words
    with a shell continuation (` \\`), so it can still be copied and run; Click keeps `\\b` blocks as
    they are, and a terminal would break such a line in the middle of a word."""

    def write_text(self, text: str) -> None:
        room = max(20, (self.width or 78) - self.current_indent)
        paragraphs = text.split("\n\n")
        for number, paragraph in enumerate(paragraphs):
            if paragraph.startswith("\b"):
                lines = [out for line in paragraph.split("\n") for out in _wrap_command(line, room)]
                paragraphs[number] = "\n".join(lines)
        super().write_text("\n\n".join(paragraphs))

    def write_dl(self, rows: Any, col_max: int = 30, col_spacing: int = 2) -> None:
        """Options and commands: on a narrow terminal the first column gives way (a long option then
        stands on its own line), so the help beside it is never squeezed to a word a line."""
        super().write_dl(rows, min(col_max, max(12, (self.width or 78) // 3)), col_spacing)


_COMMAND = r"\s*(?:readlog |echo |[A-Z_]+=\S* )"
_WORD = r"""(?:[^\s'"]+|'[^']*'|"[^"]*")+"""


def _wrap_command(line: str, room: int) -> list[str]:
    """`line` as it is if it fits or is not a command; else its words (quotes kept whole) over several
    lines, each but the last ending in ` \\`, the rest indented two more."""
    if len(line) <= room or not re.match(_COMMAND, line):
        return [line]
    indent = line[: len(line) - len(line.lstrip())]
    command, hash_, comment = line.partition("  # ")
    if hash_:  # a comment cannot follow a continuation: it goes on a line of its own, above
        return [f"{indent}# {comment.strip()}", *_wrap_command(command.rstrip(), room)]
    words: list[str] = []
    for word in re.findall(_WORD, line):  # an option stays with its value: `--year 2025`
        if words and words[-1].startswith("-") and "=" not in words[-1] and not word.startswith("-"):
            words[-1] += f" {word}"
        else:
            words.append(word)
    out, current = [], indent
    for word in words:
        candidate = f"{current} {word}" if current.strip() else f"{current}{word}"
        if current.strip() and len(candidate) + 2 > room:
            out.append(current + " \\")
            current = f"{indent}  {word}"
        else:
            current = candidate
    out.append(current)
    return out


class _Context(typer.Context):
    formatter_class = _HelpFormatter

    def invoke(self, callback: Any, /, *args: Any, **kwargs: Any) -> Any:
        """A command asked for `--json` prints its data after it has done its work (`add`, `import`,
        `finish`...): when stdout refuses data (started closed: readlog.__main__'s `_ClosedOutput`), it
        fails here, before it changes anything, rather than after."""
        if kwargs.get("as_json"):
            refuse = getattr(sys.stdout, "refuse", None)
            if refuse is not None:
                refuse()
        return super().invoke(callback, *args, **kwargs)


def composed_args(args: list[str]) -> list[str]:
    """The command line's words in NFC (`é` one character, as readlog stores text: README "One form of each
    letter"), so a title typed or pasted decomposed (macOS, some keyboards) is stored, searched and slugged
    as the same title; a word that names an existing file as it is stays as it is (a path is bytes)."""
    if all(arg.isascii() for arg in args):  # (almost every command line: nothing imported, nothing done)
        return args
    import os
    import unicodedata

    return [
        arg
        if arg.isascii() or unicodedata.is_normalized("NFC", arg) or os.path.lexists(arg)
        else unicodedata.normalize("NFC", arg)
        for arg in args
    ]


class _Root(_Group):
    """The top-level group: builds a command only when it is run (or completed), so start-up pays for
    one command, not for all of them; `--help` lists them from COMMANDS without importing any."""

    context_class = _Context

    def make_context(self, info_name: Any, args: Any, parent: Any = None, **extra: Any) -> Any:
        extra.setdefault("terminal_width", _help_width())  # every command's context inherits it
        return super().make_context(info_name, composed_args(list(args or ())), parent, **extra)

    def list_commands(self, ctx: Any) -> list[str]:
        return list(dict.fromkeys([*COMMANDS, *self.commands]))

    def resolve_command(self, ctx: Any, args: Any) -> Any:
        """An unknown command names the closest one (`readlog lsit`: did you mean 'list'?), from every
        command, not only those built (Typer's own suggestion looks at those); none for an unrelated word."""
        try:
            return self._click_resolve_command(ctx, args)
        except UsageError as error:
            if args and not args[0].startswith("-"):
                known = [name for name in self.list_commands(ctx) if name not in NOT_LISTED]
                close = closest(args[0], known)
                if close:
                    error.message = f"{error.message.rstrip('.')}; did you mean {close!r}?"
            raise

    def get_command(self, ctx: Any, name: str) -> Any:
        if name not in self.commands and name in COMMANDS:
            self._build(name)
        command = self.commands.get(name)
        if command is None:
            return None
        # Commands whose module was imported before this group was made come ready-built from Typer.
        # (a docstring never repeats the summary: tests/test_docs.py)
        if name in COMMANDS and not (command.help or "").startswith(COMMANDS[name][1]):
            command.help = with_summary(name, command.help)
        return _with_global_options(command)

    def _build(self, name: str) -> None:
        import importlib

        import typer.main

        importlib.import_module(_module(name))
        for info in app.registered_commands:
            if info.callback and (info.name or typer.main.get_command_name(info.callback.__name__)) == name:
                command = typer.main.get_command_from_info(
                    info, pretty_exceptions_short=True, rich_markup_mode=app.rich_markup_mode
                )
                self.add_command(_with_global_options(command), name)
        for group in app.registered_groups:
            if group.name == name:
                built = typer.main.get_group_from_info(
                    group, pretty_exceptions_short=True, suggest_commands=True, rich_markup_mode=None
                )
                self.add_command(_with_global_options(built), name)

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        rows = [(name, line) for name, (_, line) in COMMANDS.items() if name not in NOT_LISTED]
        rows += [(n, c.get_short_help_str()) for n, c in self.commands.items() if n not in COMMANDS]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


def closest(word: str, names: "Sequence[str]") -> str | None:
    """The name `word` is a slip of: the fewest letters typed wrong, missing, extra or swapped (two
    letters swapped count one), at most one for a word of up to four letters, two for a longer one; of a
    tie, one that begins with the word (`stat`: stats, not start), else the first. None for an unrelated
    word. (difflib's ratio named 'site' for 'lsit' and 'abandon'
    for 'banana'.)"""
    word = word.lower()
    most = 1 if len(word) <= 4 else 2
    scored = [(_slips(word, name), not name.startswith(word), n) for n, name in enumerate(names)]
    distance, _, n = min(scored, default=(most + 1, True, -1))
    return names[n] if distance <= most else None


def _slips(a: str, b: str) -> int:
    """The optimal-string-alignment distance of `a` and `b` (Levenshtein with swaps of neighbours)."""
    rows = [list(range(len(b) + 1))]
    for i in range(1, len(a) + 1):
        row = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            row[j] = min(rows[-1][j] + 1, row[j - 1] + 1, rows[-1][j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                row[j] = min(row[j], rows[-2][j - 2] + 1)
        rows.append(row)
    return rows[-1][-1]


class Color(Enum):
    """--color WHEN."""

    auto = "auto"
    always = "always"
    never = "never"


COLORS = tuple(c.value for c in Color)
LIMIT_MAX = 1_000_000_000  # a --limit past any journal's size means all of it (and fits every store)


def _with_global_options(command: Any) -> Any:
    """`readlog list --data-dir X`: the global options are accepted after the command too (and after a
    group's subcommand), parsed by Click in place, so an option's value is never mistaken for one."""
    from typer.core import TyperOption

    def apply(ctx: Any, param: Any, value: Any) -> None:
        state = ctx.find_root().obj
        if param.name == "data_dir" and value:  # completion runs no callback of the root: it reads this
            ctx.meta[DATA_DIR_AFTER] = value
        if not isinstance(state, State) or value in (None, False):
            return
        if param.name == "data_dir":
            state.journal = open_journal(value)
            state.data_dir_given = True
        elif param.name == "debug":
            state.debug = True
        elif param.name == "color":
            if value not in COLORS:
                raise typer.BadParameter(f"{value!r} is not one of {', '.join(COLORS)}", ctx, param)
            state.color = value
        elif param.name == "no_pager":
            state.pager = False
        elif param.name == "no_input":
            state.no_input = True

    names = {name for param in command.params for name in getattr(param, "opts", ())}
    if "--no-pager" in names:  # done already
        return command
    command.context_class = _Context
    options = [
        TyperOption(param_decls=["--data-dir"], metavar="PATH"),
        TyperOption(param_decls=["--debug"], is_flag=True, default=False),
        TyperOption(param_decls=["--color"], metavar="WHEN"),
        TyperOption(param_decls=["--no-pager"], is_flag=True, default=False),
        TyperOption(param_decls=["--no-input"], is_flag=True, default=False),
    ]
    for option in options:
        if not names & set(option.opts):
            option.hidden, option.expose_value, option.callback = True, False, apply
            command.params.append(option)
    for sub in getattr(command, "commands", {}).values():
        _with_global_options(sub)
    return command


def _os_message(error: OSError) -> str:
    """An OS error in the reader's terms: the file they named, not readlog's temp file beside it."""
    import errno

    name = str(error.filename) if error.filename else ""
    temp = re.fullmatch(r"\.(.+)\.[0-9a-f]{8}\.tmp", Path(name).name) if name else None
    if temp:
        name = str(Path(name).with_name(temp[1]))
    if name and error.errno == errno.ENOENT and not Path(name).parent.exists():
        return f"cannot write {name}: there is no folder {Path(name).parent}"
    if temp and error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):  # (the file itself may be writable)
        return (
            f"cannot write {name}: its folder {Path(name).parent} is not writable ({error.strerror}); "
            "readlog saves a file by writing the new one beside it"
        )
    return f"{error.strerror or error}{': ' + name if name else ''}"


def show_error(message: str) -> None:
    """An error as readlog shows every error: `readlog: error: MESSAGE`, one line on stderr (on a terminal
    narrower than it, wrapped between words: never `the w|hole title` at 40 columns)."""
    complain(f"readlog: error: {one_line(message)}", "red")


def _help_width() -> int:
    """Help wraps to the terminal, down to 40 columns (Click on its own never goes below 50, so at 40
    every line broke in the middle of a word), and at most 80 for reading."""
    import shutil

    return max(min(shutil.get_terminal_size().columns, 80) - 2, 40)


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


_current: list[State] = []  # the running command's state (one per process; the latest in tests)


def _state() -> State | None:
    return _current[-1] if _current else None


def color_mode() -> str:
    """auto, always or never: --color, else $READLOG_COLOR, else `color` in the config file; `auto` then
    honours FORCE_COLOR / CLICOLOR_FORCE (colour even through a pipe) and NO_COLOR."""
    from readlog.actions.session import setting

    state = _state()
    mode = str(setting("color", state.color if state else None))
    if mode == "auto" and _forced():
        return "always"
    return mode


def _message_color_mode() -> str:
    """color_mode() for messages: a config file that cannot be read must still let its own error (and any
    other message) print, so its colour setting is then skipped (--color and $READLOG_COLOR still count)."""
    try:
        return color_mode()
    except ReadlogError:
        import os

        state = _state()
        given = state.color if state and state.color else os.environ.get("READLOG_COLOR", "")
        if given in COLORS and given != "auto":
            return given
        return "always" if _forced() else "auto"


def _forced() -> bool:
    import os

    return bool(os.environ.get("FORCE_COLOR")) or os.environ.get("CLICOLOR_FORCE", "0") not in ("", "0")


def _console(mode: str, stderr: bool = False) -> "Console":
    """`always` colours whatever the terminal and the environment say (an explicit choice beats NO_COLOR
    and TERM=dumb, as an option beats the environment everywhere else); `never` writes no escape code at
    all (no colour, no bold, no progress bar redrawing the line); `auto` is Rich's own judgement. Never
    Rich's emoji codes: a title, a file's place (`book.toml:100:11`) or a message is printed as it is
    written, and `:100:` is no 💯."""
    from rich.console import Console

    if mode == "always":
        console = Console(
            stderr=stderr, force_terminal=True, no_color=False, color_system=_colour_depth(), emoji=False
        )
    elif mode == "never":
        # messages: not a terminal either, so no progress bar redraws a line; data keeps the width
        console = (
            Console(stderr=True, color_system=None, force_terminal=False, emoji=False)
            if stderr
            else Console(color_system=None, emoji=False)
        )
    else:
        console = Console(stderr=stderr, emoji=False)
    console.on_broken_pipe = _pipe_broke  # type: ignore[method-assign]
    return console


def _pipe_broke() -> None:
    """Rich's answer to a broken pipe is its own exit 1: the pipe's error goes to the one boundary
    instead (_Group.invoke: exit 0 when the reader stopped reading, as every command does)."""
    import errno

    raise BrokenPipeError(errno.EPIPE, "Broken pipe")


def _colour_depth() -> "Literal['truecolor', '256', 'standard']":
    import os

    if os.environ.get("COLORTERM", "").lower() in ("truecolor", "24bit"):
        return "truecolor"
    return "256" if "256" in os.environ.get("TERM", "") else "standard"


def stdout() -> "Console":
    """The console for data. `always` keeps colour through a pipe (`| less -R`); `never` writes no
    escape codes at all."""
    return _console(color_mode())


class Format(Enum):
    """--format of list, next and search."""

    table = "table"
    tsv = "tsv"
    csv = "csv"
    json = "json"


FormatOption = Annotated[
    Format | None,
    typer.Option(
        "--format",
        metavar="FORMAT",
        help="table (on a terminal), tsv (piped: one line each, no header), csv or json.",
    ),
]


def output_format(fmt: Format | None, as_json: bool) -> str:
    """What to print: --json, else --format, else a table on a terminal and tab-separated lines piped."""
    return "json" if as_json else fmt.value if fmt else ("tsv" if piped() else "table")


def piped() -> bool:
    """Output is data for a script: stdout is not a terminal and colour is not forced (`--color always
    | less -R` wants what a terminal shows)."""
    return not sys.stdout.isatty() and color_mode() != "always"


def styled(console: "Console") -> bool:
    """Whether `console` shows styles: when it does not, renderers mark matches and headings in text."""
    return console.is_terminal and console.color_system is not None


def page(renderable: "RenderableType", console: "Console | None" = None) -> None:
    """Print data; on a terminal, output taller than the screen goes through the pager (git's way:
    $READLOG_PAGER, config `pager`, $PAGER, else `less` with LESS=FRX). Never when piped."""
    console = console or stdout()
    command = _pager_command()
    if command is None:
        console.print(renderable)
        return
    with console.capture() as captured:
        console.print(renderable)
    text = captured.get()
    if text.count("\n") < console.height:
        sys.stdout.write(text)
        return
    _run_pager(command, text)


def _pager_command() -> str | None:
    import shlex
    import shutil

    state = _state()
    if (state is not None and not state.pager) or not sys.stdout.isatty():
        return None
    from readlog.actions.session import setting

    command = str(setting("pager") or "").strip()
    if not command or command == "cat":
        return None
    try:
        program = shlex.split(command)[0]
    except (ValueError, IndexError):
        return None
    return command if shutil.which(program) else None


def _run_pager(command: str, text: str) -> None:
    import os
    import signal
    import subprocess

    env = dict(os.environ)
    env.setdefault("LESS", "FRX")  # quit if it fits, keep colour, leave the text on screen
    env.setdefault("LV", "-c")
    sys.stdout.flush()
    pager = subprocess.Popen(command, shell=True, stdin=subprocess.PIPE, env=env)
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the pager's, as with git
    try:
        assert pager.stdin is not None
        try:
            pager.stdin.write(text.encode("utf-8", "replace"))
            pager.stdin.close()
        except BrokenPipeError:  # the reader quit the pager before the end: fine
            pass
        pager.wait()
    finally:
        signal.signal(signal.SIGINT, previous)


def say(message: str) -> None:
    """A result line on stdout. Plain: importing Rich to print one unstyled line would double the
    start-up of `add`. For a confirmation (what was added, saved, removed), `tell` it instead."""
    sys.stdout.write(one_line(message) + "\n")


def tell(message: str) -> None:
    """A confirmation (where the file went, what changed) on stderr, with every other message: stdout is
    for data (`show`, `list`, `--json`), so `readlog add ... | cat` prints nothing but data. Plain text,
    as every message is written (`complain`)."""
    sys.stderr.write(plain_message(one_line(message)) + "\n")


def emit(line: str) -> None:
    """One line of data on stdout (a finding of `check`, a row of `import --dry-run`), plain."""
    sys.stdout.write(one_line(line) + "\n")


def complain(message: str, style: str, console: "Console | None" = None) -> None:
    """A message on stderr, as every one is written (an error, a warning, a note, a hint, a confirmation:
    `tell`, text.plain_message): one line, however long, for a script or a log; on a terminal narrower
    than it, wrapped between words (never `Suzanne C|ollins` at 40 columns: try-out 31b #5). Coloured
    into a pipe (`--color always`), still one line."""
    console = console or stderr()
    console.print(message, style=style, markup=False, highlight=False, soft_wrap=not sys.stderr.isatty())


def footer(message: str) -> None:
    """A hint under what was listed (`showing 20 of 10000 books: ...`): dim, and wrapped between words on
    a terminal narrower than it; anywhere else (piped, `--color never`) the line as it is, written without
    Rich: importing Rich's console for this one line was most of `readlog list --limit 20 | ...`'s time."""
    if sys.stderr.isatty() or _message_color_mode() == "always":
        complain(message, "dim")
    else:
        sys.stderr.write(message + "\n")


def stderr() -> "Console":
    """The console for messages: the same colour choice as data (`--color never`: no escape codes)."""
    return _console(_message_color_mode(), stderr=True)


def journal_of(ctx: typer.Context) -> Journal:
    state = ctx.find_root().obj
    journal = state.journal if isinstance(state, State) else open_journal()
    problem = journal.folder_problem()  # (a books folder given as the data folder, `books` a file)
    if problem is not None:
        raise ReadlogError(problem)
    if interactive():  # a not-sure BOOK is asked about; in a script it is refused
        name = ctx.info_name or ""
        verb = _VERBS.get(name, name.capitalize() or "Use")
        journal.chooser = lambda query, candidates: choose_book(verb, query, candidates)
    return journal


def whole_journal(ctx: typer.Context, what: str, needs_books: bool = False) -> Journal:
    """journal_of, for a command whose answer is the whole journal (`list`, `next`, `stats`, `search`,
    `tags`...: the commands that only read it; `needs_books`: `export`, `check`, `site`, and `show` of a
    BOOK, which are no answer over an empty journal). One rule for
    all of them: a journal folder somebody named (--data-dir, $READLOG_HOME, the config file) that does not
    exist, or is not a folder, is an error (exit 1), never an empty journal, so a script's mistyped path
    cannot pass as a journal of nothing (`stats` saying 0 books read, `list | wc -l` 0). The default folder
    of a new user, which nobody typed, not there yet, is a journal with nothing in it yet (exit 0, and the
    command says so), except with `needs_books`: a backup, a site, a book to show are whole or fail. `what`:
    what there is nothing to do ("export")."""
    journal = journal_of(ctx)
    root = journal.root
    if root.is_dir():
        return journal
    origin = _journal_origin(ctx)
    named = f"{origin} names {root}, which" if origin else f"the journal folder {root}"
    if root.exists():
        raise ReadlogError(f"{named} is not a folder: nothing to {what}")
    if origin:
        raise ReadlogError(f"{named} does not exist: nothing to {what}")
    if not needs_books:  # (said once, on stderr: the answer that follows is an empty journal's)
        complain(f"No journal at {root} yet: `readlog add` creates it.", "dim")
        return journal
    raise ReadlogError(f"no journal at {root} yet: nothing to {what} (`readlog add` creates it)")


def _journal_origin(ctx: typer.Context) -> str:
    """Where the journal folder was named: `--data-dir`, `$READLOG_HOME`, the config file, or "" (the
    user data dir, the default)."""
    import os

    state = ctx.find_root().obj
    if isinstance(state, State) and state.data_dir_given:
        return "--data-dir"
    if os.environ.get("READLOG_HOME"):
        return "$READLOG_HOME"
    from readlog.actions.session import setting

    try:
        return "data_dir in the config file" if setting("data_dir") else ""
    except ReadlogError:
        return ""


# What a command does to a book, for the question a not-sure BOOK gets on a terminal:
# `Rate “It Ends with Us” by Colleen Hoover? [y/N]`. A command not listed asks with its own name.
_VERBS = {
    "reflect": "Add a reflection to",
    "quote": "Add a quote to",
    "progress": "Log progress in",
    "rm": "Remove",
    "drop": "Drop",
    "intro": "Set the read-next introduction of",
    "add": "Add a pick to",
    "resolve": "Settle the conflict in",
}


def choose_book(
    verb: str,
    query: str,
    candidates: "Sequence[Candidate]",
    intro: str | None = None,
    none: str = "none",
) -> "Candidate | None":
    """Ask which book a not-sure BOOK meant, for `verb` (Rate): one candidate is a y/N question (Enter is
    no), several a numbered choice (Enter is `none`). The answer None writes nothing. `intro`: the line
    that says why it is asked, instead of the query's (an import's book that may be a journal book). A
    number that is none of the choices is said, and asked again."""
    from readlog.text import fold

    width = stderr_width()  # (each line readlog writes here fits it, broken between words)

    def say(text: str, indent: int = 0) -> None:
        sys.stderr.write("\n".join(fold(text, width, indent)) + "\n")

    def question(text: str, suffix: str) -> str:
        """All but the question's last line written, the last given to Click (which adds `suffix`)."""
        *before, last = fold(text, width - len(suffix))
        if before:
            sys.stderr.write("\n".join(before) + "\n")
        return last

    if intro is not None:
        say(intro)
    if len(candidates) == 1:
        book = candidates[0]
        by = f" by {', '.join(book.authors)}" if book.authors else ""
        asked = question(f"{verb} “{one_line(book.title)}”{one_line(by)}?", " [y/N]: ")
        return book if confirm(asked, default=False, err=True) else None
    shown = list(candidates[:9])
    from readlog.actions.find import title_as_typed_of_each, whole_title_of_each

    if intro is None and whole_title_of_each(query, candidates):  # (two *Dune*s: the title of each)
        if title_as_typed_of_each(query, candidates):
            say(f"“{one_line(query)}” is the title of more than one book:")
        else:  # (`péche` with Peche, Pêche, Péché: the title of none as typed)
            near = "is, but for case, accents or punctuation, the title of more than one book"
            say(f"“{one_line(query)}” {near}:")
    elif intro is None:
        say(f"“{one_line(query)}” is not the whole title of a book; it may be:")
    for number, book in enumerate(shown, 1):
        say(f"  {number}. {one_line(book.describe())}", indent=5)
    if len(candidates) > len(shown):
        say(f"  (and {len(candidates) - len(shown)} more: give the slug or the whole title)", indent=3)
    choices = f"1-{len(shown)}" if len(shown) > 1 else "1"
    asked = question(f"{verb} which? [{choices}, Enter for {none}]", ": ")

    def picked(answer: str) -> int:
        answer = answer.strip()
        if not answer:
            return 0
        if answer.isdigit() and 1 <= int(answer) <= len(shown):
            return int(answer)
        raise BadParameter(f"{one_line(answer)!r} is not one of the choices: {choices}, or Enter for {none}")

    chosen = ask_again(asked, picked, default="")
    return shown[chosen - 1] if chosen else None


def confirm(question: str, default: bool = False, err: bool = True) -> bool:
    """A y/n question, asked as every question is (ask_again), on stderr (on stdout, `add --json > file`
    wrote `Add it as a separate book?` into the file: review 32c #6): Enter is `default`; an answer that is
    neither y nor n is said, and the question asked again."""
    answers = {"y": True, "yes": True, "n": False, "no": False}

    def yes(answer: str) -> bool:
        word = answer.strip().lower()
        if not word:
            return default
        if word not in answers:
            raise BadParameter(
                f"{one_line(answer.strip())!r} is not y or n (Enter for {'y' if default else 'n'})"
            )
        return answers[word]

    return bool(ask_again(f"{question} [{'Y/n' if default else 'y/N'}]", yes, default="", err=err))


def ask_again(
    question: str, parse: "Callable[[str], Any]", default: str | None = None, err: bool = True
) -> Any:
    """Every question readlog asks that takes more than y or n: the answer `parse` makes of what was typed;
    an answer it refuses (a `BadParameter`, or a `ReadlogError`: a date that is none) is said in one line,
    `readlog: MESSAGE`, and the question asked again. Ctrl-D or Ctrl-C ends the command, writing nothing
    (the error boundary says so). On stderr, as every message."""
    while True:
        answer = typer.prompt(question, default=default, show_default=False, err=err)
        try:
            return parse(str(answer))
        except (BadParameter, ReadlogError) as error:
            message = error.message if isinstance(error, BadParameter) else str(error)
            complain(f"readlog: {one_line(message)}", "red")


def print_json(value: object) -> None:
    import json

    # C1 control characters and undecodable bytes (a file name's) pass through ensure_ascii=False
    text = json.dumps(value, ensure_ascii=False, indent=2).translate(JSON_VISIBLE)
    sys.stdout.write(text + "\n")


def write_rows(
    rows: "Iterable[list[str]]", fmt: str, header: "tuple[str, ...]", out: "TextIO | None" = None
) -> None:
    """Data for scripts: `tsv` is one line per row, no header, tabs and newlines in values made spaces
    (so `grep`, `cut -f2`, `wc -l` work); `csv` has a header and quotes as CSV does. To stdout, or `out`."""
    out = sys.stdout if out is None else out
    if fmt == "csv":
        import csv

        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(header)
        writer.writerows([visible(cell) for cell in row] for row in rows)
        return
    write = out.write
    for row in rows:
        _write_row(write, row)


def write_blocks(blocks: "Iterable[str | tuple[str, int] | list[str]]") -> None:
    """`write_rows(..., "tsv", ...)` of blocks of lines made elsewhere (actions.find.select_lines): the
    same text. A block (text, n) is n lines of values joined by tabs, no value holding a tab or a newline;
    when its values need nothing done (every row's check in `write_rows`, made once on the whole block) it
    is written as it is, else row by row; a list is one row's values; a str, lines found already tsv as they
    are (text.lines_as_is), written so."""
    write = sys.stdout.write
    for block in blocks:
        if isinstance(block, str):
            write(block + "\n")
            continue
        if isinstance(block, list):
            _write_row(write, block)
            continue
        text, _ = block
        if tsv_as_is(text, text.replace("\t", "").replace("\n", "")):
            write(text + "\n")
        else:
            for line in text.split("\n"):
                _write_row(write, line.split("\t"))


def _write_row(write: "Callable[[str], object]", row: "list[str]") -> None:
    """One row of `write_rows`' tsv."""
    line = "\t".join(row)
    if not tsv_as_is(line, "".join(row)):
        line = "\t".join([_tsv_cell(cell) for cell in row])
    write(line + "\n")


def _tsv_cell(cell: str) -> str:
    """A value as one `tsv` cell: control characters visible, newlines, tabs and runs of spaces one space.
    A printable value (most) has no character `one_line` changes and no whitespace but the space, so
    only the runs of spaces are left to fold: the same cell without the translation (10,000 rows: -30 ms)."""
    if cell.isprintable() and "\u2424" not in cell:
        return " ".join(cell.split())
    return " ".join(one_line(cell).replace("\u2424", " ").split())


def warn(problems: "list[BookFileError]") -> None:
    console = stderr() if problems else None
    for problem in problems:
        complain(f"readlog: warning: skipped {one_line(str(problem))}", "yellow", console)


def interactive() -> bool:
    """A person can be asked: stdin is a terminal and --no-input was not given."""
    state = _state()
    return sys.stdin.isatty() and not (state is not None and state.no_input)


def ask(what: str, hint: str) -> str:
    if not interactive():
        raise ReadlogError(f"missing {what}: {hint}")
    return str(typer.prompt(what.capitalize()))


def day(
    value: str | None, option: str, partial: bool = False, past: bool = True, or_else: bool = False
) -> str | None:
    """A date option as the reader said it: ISO passes through (the action checks it); words (`yesterday`,
    `3 days ago`, `last friday`, `March 2025`) are resolved by readlog.dates, loaded only then, and the
    date is echoed on stderr. A future date for something that happened is refused in a script and
    asked about on a terminal. `or_else`: words that are no date are something else the option takes (`show
    --at HEAD~1`: a git revision), passed on as they are; otherwise such words are a usage error."""
    if value is None:
        return None
    from datetime import date

    from readlog.actions.session import is_iso

    text = value.strip()
    resolved: date | str | None = None
    if is_iso(text):
        if len(text) == 10:
            try:
                resolved = date.fromisoformat(text)
            except ValueError:
                return value  # the action says what is wrong with it
    else:
        from readlog.actions.session import resolve_day

        resolved = resolve_day(text, partial=partial)
        if resolved is None and not or_else and any(c.isalpha() for c in text):  # (the action's name ISO)
            from readlog.errors import Option, invalid

            iso = "YYYY-MM-DD, YYYY-MM or YYYY" if partial else "YYYY-MM-DD"
            raise invalid(
                f"{option}: {one_line(text)!r} is not a date: use {iso}, or words such as today, "
                "yesterday, last friday, 3 days ago",
                Option(option),
            )
        if resolved is None:
            return value
        shown = resolved.isoformat() if isinstance(resolved, date) else resolved
        complain(f"readlog: {option} {one_line(text)}: {shown}", "dim")
    if past and isinstance(resolved, date) and resolved > date.today():
        question = f"{option} {resolved.isoformat()} is in the future. Use it?"
        if not interactive():
            raise ReadlogError(
                f"{option} {resolved.isoformat()} is in the future (refused without a terminal)"
            )
        if not confirm(question, default=False):
            from readlog.errors import Cancelled

            raise Cancelled("nothing was changed")
    if resolved is None:
        return value
    return resolved.isoformat() if isinstance(resolved, date) else resolved


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


# Where `--data-dir` given after the command (`readlog rate --data-dir X al<TAB>`) is kept in the
# context's meta (shared by the whole chain): completing runs no root callback, so no State holds it.
DATA_DIR_AFTER = "readlog.data_dir"


def complete_book(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """Shell completion for BOOK: slugs (with their titles) from the index as it is, not synced, of the
    journal `--data-dir` names before or after the command (after wins, as when the command runs)."""
    from readlog.actions.session import complete_books

    data_dir = ctx.meta.get(DATA_DIR_AFTER) or ctx.find_root().params.get("data_dir")
    return complete_books(data_dir, incomplete)


def complete_status(incomplete: str) -> list[str]:
    """Shell completion for --status: the statuses starting with what was typed (after a comma, of the
    ones not named yet)."""
    from readlog.actions.session import complete_statuses

    return complete_statuses(incomplete)


DraftOption = Annotated[
    str | None,
    typer.Option("--draft", metavar="NAME", help="Take up a kept draft again (`readlog drafts`)."),
]

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
            parser=given_path,
            metavar="PATH",
            help="Journal folder (default: $READLOG_HOME, else your user data dir).",
        ),
    ] = None,
    debug: Annotated[bool, typer.Option("--debug", help="Show a traceback on errors.")] = False,
    color: Annotated[
        Color | None,
        typer.Option(
            "--color",
            metavar="WHEN",
            help="Colour: auto (on a terminal; the default), always, never. NO_COLOR and FORCE_COLOR work.",
        ),
    ] = None,
    no_pager: Annotated[
        bool, typer.Option("--no-pager", help="Never send long output through a pager.")
    ] = False,
    no_input: Annotated[
        bool,
        typer.Option("--no-input", help="Never ask, as in a script: a BOOK that is not sure is refused."),
    ] = False,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """A reading journal you own: reviews, reflections, quotes and read-next lists as plain TOML files.

    The options above may also follow the command: readlog list --data-dir PATH.

    \b
    Example:
      readlog add "Never Let Me Go" --author "Kazuo Ishiguro" --rating 4.5
    """
    ctx.obj = State(
        open_journal(data_dir),
        debug,
        color.value if color else None,
        not no_pager,
        bool(data_dir),
        no_input,
    )
    _current[:] = [ctx.obj]
    _relative_home(data_dir)
    from readlog.actions.session import on_lock_wait, on_long_build

    on_lock_wait(lambda message: complain(f"readlog: {message}", "yellow"))
    on_long_build(_build_bar)


def _relative_home(data_dir: Path | None) -> None:
    """A relative $READLOG_HOME names a different journal in each folder a command runs in (`rel` here
    and `rel` there): taken from this folder, as a path is, and said, with the folder it names."""
    import os

    home = os.environ.get("READLOG_HOME", "")
    if data_dir is None and home and not os.path.isabs(os.path.expanduser(home)):
        where = Path(os.path.expanduser(home)).absolute()
        complain(
            f"readlog: note: $READLOG_HOME {one_line(home)!r} is relative: the journal in this folder, "
            f"{where} (set it to a whole path to use one journal from anywhere)",
            "yellow",
        )


def _build_bar() -> "tuple[Callable[[int, int], None], Callable[[], None]] | None":
    """A progress bar on stderr for an index build that is taking a while (session.on_long_build): on a
    terminal only, and not over another one (an import's bar): then none."""
    console = stderr()
    if not console.is_terminal:
        return None
    from rich.errors import LiveError
    from rich.progress import Progress

    bar = Progress(console=console, transient=True)
    try:
        bar.start()
    except LiveError:
        return None
    task = bar.add_task("indexing", total=None)
    return (lambda done, total: bar.update(task, completed=done, total=total)), bar.stop
