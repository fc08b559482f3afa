"""Moving history in and out: import, export."""

import contextlib
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
import typer.core
from typer._click.exceptions import UsageError
from typer.core import TyperCommand

from readlog.cli.app import (
    app,
    choose_book,
    complain,
    emit,
    end_prompt_line,
    given_path,
    interactive,
    journal_of,
    print_json,
    said_when_cancelled,
    show_error,
    stderr,
    tell,
    usage_as_typed,
    warn,
    whole_journal,
    with_summary,
)
from readlog.text import one_line

if TYPE_CHECKING:
    from collections.abc import Iterator

    from readlog.actions.transfer import Choose, Unsure

_IMPORT_HELP = (  # after the command's summary (cli/app.py COMMANDS)
    "Reading history: {books}. Safe to run again: books already here are matched, not duplicated. "
    "Highlights ({quotes}; a file, or a folder such as a device) become quotes of their books."
    "\n\n\b\nExample:\n  readlog import goodreads_library_export.csv --dry-run\n"
    '  readlog import "My Clippings.txt" --from kindle --create read'
)
_FROM_HELP = "{names} (default: told from the file's content)."


def _import_help() -> tuple[str, str]:
    """The command's help and --from's, from the import registry (plugins too): never a list kept by hand."""
    from readlog.actions.transfer import import_formats

    known = import_formats()
    return _IMPORT_HELP.format(
        books=", ".join(known.books), quotes=", ".join(known.quotes)
    ), _FROM_HELP.format(names=", ".join(known.names))


def _export_help() -> str:
    from readlog.actions.transfer import export_formats

    return f"{', '.join(export_formats())}."


class _RegistryHelp(TyperCommand):
    """A command whose help lists a registry: read when the help is shown (so a format registered after
    this module loaded, a plugin or a test's toy format, is listed too), never when the command only runs
    (so running `export` does not load import plugins, nor `import` export ones)."""

    def refresh(self) -> None: ...

    def format_help(self, ctx: Any, formatter: Any) -> None:
        self.refresh()
        super().format_help(ctx, formatter)

    def _option(self, name: str, text: str) -> None:
        for param in self.params:
            if param.name == name and isinstance(param, typer.core.TyperOption):
                param.help = text


class _ImportCommand(_RegistryHelp):
    def refresh(self) -> None:
        body, from_help = _import_help()
        self.help = with_summary("import", body)
        self._option("source", from_help)

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        given = list(args)
        try:
            return super().parse_args(ctx, args)
        except UsageError as error:
            hint = _format_first(given)
            if hint is None:
                raise
            raise usage_as_typed(hint, error.ctx) from None


def _format_first(words: list[str]) -> str | None:
    """`readlog import goodreads FILE`, a natural guess (Click said "Got unexpected extra argument(s)", the
    path cut short): the format goes with --from, after the file; the command that works, ready to run."""
    from readlog.actions.transfer import import_formats

    if len(words) < 2 or words[0].startswith("-") or Path(words[0]).exists():
        return None
    name = words[0].strip().lower()
    if name not in import_formats().names:
        return None
    import shlex

    line = shlex.join(["readlog", "import", *words[1:], "--from", name])
    return f"{words[0]!r} is a format, not a file: it goes with --from, after the file: `{line}`"


class _ExportCommand(_RegistryHelp):
    def refresh(self) -> None:
        self._option("fmt", _export_help())


@app.command(
    "import",
    help=_IMPORT_HELP.format(books="the exports of other apps", quotes="e-reader highlights"),
    cls=_ImportCommand,
)
def import_books(
    ctx: typer.Context,
    file: Annotated[
        Path,
        typer.Argument(
            parser=given_path,
            metavar="FILE|FOLDER",
            help="An export, or a highlights file or folder (a device, a KOReader *.sdr tree).",
        ),
    ],
    source: Annotated[
        str | None,
        typer.Option(
            "--from",
            metavar="FORMAT",
            help=_FROM_HELP.format(names="a format"),
        ),
    ] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Write nothing; say what would happen.")] = False,
    update: Annotated[
        bool,
        typer.Option("--update", help="Bring in what changed in the export, keeping what you changed here."),
    ] = False,
    rejects: Annotated[
        Path | None,
        typer.Option(
            parser=given_path, metavar="PATH", help="Write the rows that could not be imported to this CSV."
        ),
    ] = None,
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Let --rejects overwrite an existing file; apply an export older than the last imported.",
        ),
    ] = False,
    as_json: Annotated[
        bool,
        typer.Option("--json", help="Print what was done as JSON: the counts, the slugs added and updated."),
    ] = False,
    create: Annotated[
        str | None,
        typer.Option(
            "--create",
            metavar="want|reading|read|none",
            help="Highlights of books not in the journal: add them with this status, or (none) skip them "
            "(default: read if the device says it was finished, reading if it says less; where it says "
            "nothing, reading if highlighted in the last 90 days, else read).",
        ),
    ] = None,
    encoding: Annotated[
        str | None,
        typer.Option(
            "--encoding",
            metavar="NAME",
            help="What a CSV's text that is not UTF-8 is in (cp1251, shift_jis, ...; default: told from it).",
        ),
    ] = None,
) -> None:
    # The help is _import_help's: it lists the formats on the registry.
    from readlog.actions.transfer import import_file

    journal = journal_of(ctx)
    progress: Callable[[int, int], None] | None = None

    def stopped(line: str) -> None:  # (a signal stopped it: said, then the process ends on the signal)
        complain(line, "yellow")

    paused: Callable[[], contextlib.AbstractContextManager[None]] = contextlib.nullcontext
    with contextlib.ExitStack() as stack:
        if sys.stderr.isatty():
            from rich.progress import Progress

            bar = stack.enter_context(Progress(console=stderr(), transient=True))
            task = bar.add_task("importing", total=None)

            def progress(done: int, total: int) -> None:
                bar.update(task, completed=done, total=total)

            def stopped(line: str) -> None:  # (the bar taken down first)
                bar.stop()
                complain(line, "yellow")

            @contextlib.contextmanager
            def paused() -> "Iterator[None]":  # (the bar taken down while a question is asked)
                bar.stop()
                try:
                    yield
                finally:
                    bar.start()

        choose = _which_book(paused) if interactive() and not dry_run else None
        done = import_file(
            journal,
            file,
            source,
            dry_run,
            update,
            progress,
            create,
            force,
            rejects,
            stopped,
            encoding,
            choose,
        )
    for message in done.messages:
        if message.kind == "warning":
            complain(message.text, "yellow")
        elif dry_run and not as_json:
            emit(message.text)  # a dry run's lines are its data (with --json, the JSON is)
        else:
            tell(message.text)
    if as_json:
        print_json(done.to_json(dry_run))
    tell(done.summary)
    if done.failed:
        raise typer.Exit(1)


def _which_book(paused: "Callable[[], contextlib.AbstractContextManager[None]]") -> "Choose":
    """On a terminal: the question a book of a highlights file gets when it may be a journal book (or
    several may be it, none surely), asked as a not-sure BOOK is (choose_book): y (or its number) puts its
    highlights there; Enter or n keeps it a book of its own (with `--create none`: skipped)."""

    def ask(unsure: "Unsure") -> str | None:
        from readlog.actions.transfer import volume_note

        by = f" by {', '.join(unsure.authors)}" if unsure.authors else ""
        many = "one of these books" if len(unsure.candidates) > 1 else "a book"
        otherwise = (
            "skipped (--create none)" if unsure.create == "none" else f"a book of its own ({unsure.create})"
        )
        held = (
            "1 highlight or note" if unsure.highlights == 1 else f"{unsure.highlights} highlights and notes"
        )
        enter = "Enter" if len(unsure.candidates) > 1 else "n or Enter"
        intro = (
            f"“{one_line(unsure.title)}”{one_line(by)} ({held}) may be {many} the journal has; "
            f"{enter}: {otherwise}"
        )
        notes = [note for c in unsure.candidates if (note := volume_note(unsure.title, c)) is not None]
        if notes:
            intro += f" (note: {'; '.join(notes)})"
        with paused():
            try:
                found = choose_book(
                    "Add its highlights to",
                    unsure.title,
                    unsure.candidates,
                    intro=intro,
                    none="its own book" if unsure.create != "none" else "none",
                )
            except BaseException:  # (Ctrl-C: the import's signal handler raises; said on a line of its own)
                end_prompt_line()
                raise
        return found.slug if found is not None else None

    return ask


@app.command(cls=_ExportCommand)
def export(
    ctx: typer.Context,
    book: Annotated[str | None, typer.Argument(help="One book (default: the whole journal).")] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", metavar="FORMAT", help="A format.")] = "json",
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            parser=given_path,
            metavar="PATH",
            help="Write here (a folder for a whole-journal markdown export).",
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite what is already at --output.")] = False,
) -> None:
    """
    \b
    Example:
      readlog export "never let me go" --format markdown
    """
    from readlog.actions import transfer as actions

    actions.export_format(fmt, book, output)  # a usage mistake first (exit 2), then the journal
    journal = journal_of(ctx) if book is not None else whole_journal(ctx, "export", needs_books=True)
    with said_when_cancelled("nothing was exported"):  # (a folder's posts: how many, noted by the action)
        result = actions.export(journal, book, fmt, output, force)
    written, text = result.written, result.text
    if result.guessed is not None:
        complain(f"readlog: exporting {result.guessed.describe()}, the closest title", "yellow")
    warn(result.problems)
    for loss in result.losses:
        complain(f"readlog: {one_line(loss)}", "yellow")
    if text is not None:
        sys.stdout.write(text)
    if len(written) == 1:
        complain(f"wrote {written[0]}", "green")
    elif written:
        complain(f"wrote {len(written)} files in {output}", "green")
    if result.problems:  # a backup that could not read every book is not a whole one: said, exit 1
        show_error(
            f"{len(result.problems)} of {result.books} books could not be read and are not in the export "
            "(each named above; `readlog check` lists them)"
        )
        raise typer.Exit(1)
