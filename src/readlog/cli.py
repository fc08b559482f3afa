"""The command line: parse arguments, call one domain function, render the result. The only place that prints.

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
from readlog.text import clean_text, one_line

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
    _complain(f"readlog: error: {one_line(message)}", "red")
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


def _stdout() -> "Console":
    from rich.console import Console

    return Console()


def _say(message: str) -> None:
    """A result line on stdout (where the file went, what changed). Plain: importing Rich to print one
    unstyled line would double the start-up of `add`."""
    sys.stdout.write(one_line(message) + "\n")


def _complain(message: str, style: str, console: "Console | None" = None) -> None:
    """One line on stderr, however long: scripts and people both read it whole."""
    (console or _stderr()).print(message, style=style, markup=False, highlight=False, soft_wrap=True)


def _stderr() -> "Console":
    from rich.console import Console

    return Console(stderr=True)


def _journal(ctx: typer.Context) -> Journal:
    state = ctx.find_root().obj
    return state.journal if isinstance(state, State) else Journal(default_data_dir())


def _print_json(value: object) -> None:
    import json

    text = json.dumps(value, ensure_ascii=False, indent=2)
    # C1 control characters pass through ensure_ascii=False; escape them so a terminal never obeys them.
    text = text.translate({c: f"\\u{c:04x}" for c in range(0x80, 0xA0)})
    sys.stdout.write(text + "\n")


def _warn(problems: "list[BookFileError]") -> None:
    console = _stderr() if problems else None
    for problem in problems:
        _complain(f"readlog: warning: skipped {one_line(str(problem))}", "yellow", console)


def _interactive() -> bool:
    return sys.stdin.isatty()


def _ask(what: str, hint: str) -> str:
    if not _interactive():
        raise ReadlogError(f"missing {what}: {hint}")
    return str(typer.prompt(what.capitalize()))


def _read_source(source: str) -> str:
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


@app.command()
def add(
    ctx: typer.Context,
    title: Annotated[str | None, typer.Argument(help="The book's title (asked for on a terminal).")] = None,
    author: Annotated[
        list[str], typer.Option("--author", "-a", metavar="NAME", help="An author; repeat for several.")
    ] = [],  # noqa: B006
    rating: Annotated[
        str | None, typer.Option("--rating", "-r", metavar="R", help="0.25 to 5 in quarter steps.")
    ] = None,
    status: Annotated[
        str | None, typer.Option(metavar="STATUS", help="want, reading, read (default), abandoned, paused.")
    ] = None,
    tag: Annotated[
        list[str], typer.Option("--tag", "-t", metavar="TAG", help="A tag; repeat for several.")
    ] = [],  # noqa: B006
    started: Annotated[
        str | None, typer.Option(metavar="DATE", help="Date started: YYYY-MM-DD, YYYY-MM or YYYY.")
    ] = None,
    finished: Annotated[
        str | None, typer.Option(metavar="DATE", help="Date finished: YYYY-MM-DD, YYYY-MM or YYYY.")
    ] = None,
    year: Annotated[
        int | None, typer.Option(metavar="YEAR", help="Publication year (negative for BCE).")
    ] = None,
    isbn: Annotated[str | None, typer.Option(metavar="ISBN", help="ISBN-10 or ISBN-13.")] = None,
    pages: Annotated[int | None, typer.Option(metavar="N", help="Number of pages.")] = None,
    headline: Annotated[str | None, typer.Option(metavar="TEXT", help="The review's headline.")] = None,
    review: Annotated[str | None, typer.Option(metavar="TEXT", help="The review text (Markdown).")] = None,
    review_file: Annotated[
        str | None, typer.Option(metavar="PATH", help="Read the review from a Markdown file, or - for stdin.")
    ] = None,
    edit: Annotated[bool, typer.Option("--edit", "-e", help="Write the review in $VISUAL/$EDITOR.")] = False,
    reread: Annotated[bool, typer.Option(help="The book is in the journal: log another reading.")] = False,
) -> None:
    """Add a book, with your rating and review.

    \b
    Example:
      readlog add "Never Let Me Go" -a "Kazuo Ishiguro" -r 4.5 --finished 2025-03-01 --review-file review.md
    """
    from readlog import actions
    from readlog.text import split_review

    journal = _journal(ctx)
    title = title or _ask("title", "give it as the first argument")
    authors = author or [_ask("author", "give it with --author NAME")]
    if review is not None and review_file is not None:
        raise ReadlogError("give --review or --review-file, not both")
    body = clean_text(review) if review is not None else None
    if review_file is not None:
        file_headline, body = split_review(_read_source(review_file))
        headline = headline or file_headline

    def save(headline: str | None, body: str | None) -> actions.AddResult:
        return actions.add_book(
            journal, title, authors, status=status, rating=rating, tags=tag, started=started,
            finished=finished, year=year, isbn=isbn, pages=pages, headline=headline, review=body,
            reread=reread,
        )  # fmt: skip

    if edit:
        from readlog import editor
        from readlog.text import slugify

        with editor.draft(journal, slugify(title), editor.review_template(title, headline, body)) as draft:
            headline, body = split_review(draft.edit())
            if not (headline or body):
                from readlog.errors import Cancelled

                raise Cancelled("empty review: nothing was added")
            result = save(headline, body)
    else:
        result = save(headline, body)
    verb = "Added" if result.created else "Logged another reading of"
    _say(f"{verb} “{one_line(result.entry.book.title)}”: {result.entry.path}")


@app.command()
def show(
    ctx: typer.Context,
    book: Annotated[str, typer.Argument(help="Slug, title, or part of the title.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the book as JSON.")] = False,
) -> None:
    """Show a book: rating, review, reflections, quotes and read-next picks.

    \b
    Example:
      readlog show "never let me go"
    """
    from readlog.model import book_to_json

    journal = _journal(ctx)
    entry = journal.resolve(book, allow_newer=True)
    if entry.read_only:
        _complain(f"readlog: warning: {entry.path} was written by a newer readlog; shown read-only", "yellow")
    if as_json:
        _print_json(book_to_json(entry.book, entry.slug))
        return
    from readlog.actions import pick_statuses
    from readlog.render import render_book

    statuses = pick_statuses(journal, entry.book) if entry.book.next else None
    _stdout().print(render_book(entry, statuses))


@app.command("list")
def list_books(
    ctx: typer.Context,
    status: Annotated[
        list[str], typer.Option(metavar="STATUS", help="Only this status; repeat for several.")
    ] = [],  # noqa: B006
    tag: Annotated[str | None, typer.Option(metavar="TAG", help="Only books with this tag.")] = None,
    author: Annotated[
        str | None, typer.Option(metavar="NAME", help="Only books by an author matching NAME.")
    ] = None,
    rating: Annotated[
        str | None, typer.Option(metavar="EXPR", help="Rating filter: '>=4', '<3', '=5' or '4.5'.")
    ] = None,
    year: Annotated[int | None, typer.Option(metavar="YEAR", help="Only books finished in YEAR.")] = None,
    date_from: Annotated[
        str | None, typer.Option("--from", metavar="DATE", help="Only books finished on or after DATE.")
    ] = None,
    date_to: Annotated[
        str | None, typer.Option("--to", metavar="DATE", help="Only books finished on or before DATE.")
    ] = None,
    sort: Annotated[
        str, typer.Option(metavar="KEY", help="newest (default), title, author, rating, finished or added.")
    ] = "newest",
    limit: Annotated[
        int | None, typer.Option(metavar="N", help="At most N books (default 50 in a table; 0 for all).")
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the books as JSON (all, unless --limit).")
    ] = False,
) -> None:
    """List books, newest first, or filtered and sorted.

    \b
    Example:
      readlog list --status read --year 2025 --rating '>=4' --sort rating
    """
    from readlog import actions

    journal = _journal(ctx)
    where = actions.book_filter(status, tag, author, rating, year, date_from, date_to)
    shown = limit if limit is not None else (0 if as_json else 50)
    entries, total, problems = actions.select_books(journal, where, sort, shown)
    _warn(problems)
    if as_json:
        _print_json([actions.list_item(e) for e in entries])
        return
    from readlog.render import render_list

    _stdout().print(render_list(entries))
    if len(entries) < total:
        _complain(f"showing {len(entries)} of {total} books: --limit N for more, --limit 0 for all", "dim")


@next_app.callback()
def next_queue(
    ctx: typer.Context,
    show_all: Annotated[bool, typer.Option("--all", help="Include picks you have already read.")] = False,
    limit: Annotated[
        int | None,
        typer.Option(metavar="N", help="At most N picks and N wanted books (default 30 each; 0 for all)."),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the queue as JSON (all, unless --limit).")
    ] = False,
) -> None:
    """Your read-next queue: picks from the books you read, then the books you want.

    \b
    Example:
      readlog next --all
    """
    if ctx.invoked_subcommand is not None:
        return
    from readlog import actions

    shown = limit if limit is not None else (0 if as_json else 30)
    if shown < 0:
        raise ReadlogError(f"--limit: {shown} is negative (0 means no limit)")
    queue, problems = actions.read_next(_journal(ctx), include_read=show_all, limit=shown or None)
    _warn(problems)
    if as_json:
        _print_json([item.to_json() for item in queue.items])
        return
    from readlog.render import render_queue

    _stdout().print(render_queue(queue))
    if queue.more:
        _complain("there is more in your queue: --limit N for more, --limit 0 for all", "dim")


@next_app.command("add")
def next_add(
    ctx: typer.Context,
    title: Annotated[str, typer.Argument(help="The book to read next.")],
    author: Annotated[
        list[str], typer.Option("--author", "-a", metavar="NAME", help="An author; repeat for several.")
    ] = [],  # noqa: B006
    source: Annotated[
        str | None, typer.Option("--from", metavar="BOOK", help="The book this pick follows from.")
    ] = None,
    why: Annotated[str | None, typer.Option(metavar="TEXT", help="Why read it: a short note.")] = None,
) -> None:
    """Add a read-next pick, from a book you read or on its own.

    \b
    Example:
      readlog next add "Klara and the Sun" -a "Kazuo Ishiguro" --from "never let me go" --why "..."
    """
    from readlog import actions

    journal = _journal(ctx)
    if not author:
        raise ReadlogError("missing author: give it with --author NAME")
    slug = journal.resolve(source).slug if source else None
    entry = actions.add_pick(journal, title, author, slug, why)
    where = f"a pick of “{one_line(entry.book.title)}”" if slug else "a book you want to read"
    _say(f"Added “{one_line(title)}” as {where}: {entry.path}")


@next_app.command("drop")
def next_drop(
    ctx: typer.Context,
    title: Annotated[str, typer.Argument(help="The pick to remove.")],
    source: Annotated[
        str | None, typer.Option("--from", metavar="BOOK", help="The book the pick belongs to.")
    ] = None,
) -> None:
    """Remove a read-next pick.

    \b
    Example:
      readlog next drop "Klara and the Sun" --from "never let me go"
    """
    from readlog import actions

    journal = _journal(ctx)
    slug = journal.resolve(source).slug if source else None
    entry = actions.drop_pick(journal, title, slug)
    _say(f"Removed “{one_line(title)}” from “{one_line(entry.book.title)}”")


@app.command()
def reflect(
    ctx: typer.Context,
    book: Annotated[str, typer.Argument(help="Slug, title, or part of the title.")],
    text: Annotated[
        str | None, typer.Argument(help="The reflection; - reads stdin; omit to use $EDITOR.")
    ] = None,
    date: Annotated[
        str | None, typer.Option(metavar="DATE", help="The reflection's date (default today).")
    ] = None,
) -> None:
    """Add a dated reflection: what the book left you with, the questions it raised.

    \b
    Example:
      readlog reflect "never let me go" "What would I have done in their place?"
    """
    from readlog import actions, editor

    journal = _journal(ctx)
    entry = journal.resolve(book)
    if text == "-":
        text = _read_source("-")
    if text is not None:
        entry = actions.add_reflection(journal, entry.slug, clean_text(text), date)
    elif not _interactive():
        raise ReadlogError("missing reflection text: give TEXT, or - to read stdin (no terminal for $EDITOR)")
    else:
        from readlog.errors import Cancelled
        from readlog.text import split_review

        with editor.draft(journal, entry.slug, editor.reflection_template(entry.book.title)) as draft:
            _, written = split_review(draft.edit())
            if not written:
                raise Cancelled("empty reflection: nothing was saved")
            entry = actions.add_reflection(journal, entry.slug, written, date)
    _say(f"Added a reflection to “{one_line(entry.book.title)}”: {entry.path}")


@app.command()
def quote(
    ctx: typer.Context,
    book: Annotated[str, typer.Argument(help="Slug, title, or part of the title.")],
    text: Annotated[str, typer.Argument(help="The line you want to remember; - reads stdin.")],
    page: Annotated[int | None, typer.Option(metavar="N", help="Page number.")] = None,
    location: Annotated[
        str | None, typer.Option(metavar="TEXT", help="Where, when there is no page: 'ch. 3', '45%'.")
    ] = None,
    note: Annotated[str | None, typer.Option(metavar="TEXT", help="Your note on it.")] = None,
) -> None:
    """Keep a remembered line from a book.

    \b
    Example:
      readlog quote "never let me go" "Memories are what we keep." --page 262
    """
    from readlog import actions

    journal = _journal(ctx)
    entry = journal.resolve(book)
    text = clean_text(_read_source("-") if text == "-" else text)
    entry = actions.add_quote(journal, entry.slug, text, page, location, note)
    _say(f"Added a quote to “{one_line(entry.book.title)}”: {entry.path}")


@app.command()
def edit(
    ctx: typer.Context, book: Annotated[str, typer.Argument(help="Slug, title, or part of the title.")]
) -> None:
    """Edit a book's file in $VISUAL/$EDITOR; it is checked before it replaces the original.

    \b
    Example:
      EDITOR=nano readlog edit "never let me go"
    """
    from readlog import editor

    journal = _journal(ctx)
    entry = journal.resolve(book)

    def again(error: "BookFileError") -> bool:
        if not _interactive():
            return False
        _complain(f"readlog: {one_line(str(error))}", "red")
        return typer.confirm("Edit again?", default=True)

    if editor.edit_book_file(journal, entry, again):
        _say(f"Saved {entry.path}")
    else:
        _say(f"No changes to {entry.path}")


@app.command()
def rm(
    ctx: typer.Context,
    book: Annotated[str, typer.Argument(help="Slug, title, or part of the title.")],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
) -> None:
    """Remove a book (its file moves to the journal's trash/ folder).

    \b
    Example:
      readlog rm "never let me go" --yes
    """
    journal = _journal(ctx)
    entry = journal.resolve(book)
    if not yes:
        if not _interactive():
            raise ReadlogError(f"not removing {entry.slug!r} without confirmation: pass --yes")
        if not typer.confirm(f"Remove “{one_line(entry.book.title)}” ({entry.slug})?", default=False):
            raise typer.Exit(1)
    target = journal.remove(entry.slug)
    _say(f"Removed “{one_line(entry.book.title)}” (moved to {target})")


@app.command()
def search(
    ctx: typer.Context,
    query: Annotated[str, typer.Argument(help='Words; "a phrase" in quotes; memor* for a prefix.')],
    part: Annotated[
        str,
        typer.Option(
            "--in", metavar="PART", help="all (default), titles, review, reflections, quotes, picks."
        ),
    ] = "all",
    limit: Annotated[int, typer.Option(metavar="N", help="At most N hits (default 20).")] = 20,
    as_json: Annotated[bool, typer.Option("--json", help="Print the hits as JSON.")] = False,
) -> None:
    """Search everything you wrote: titles, reviews, reflections, quotes and picks' notes.

    \b
    Example:
      readlog search '"the sea" memor*' --in reflections
    """
    from readlog import actions

    hits, index = actions.search(_journal(ctx), query, part, limit)
    if index.fts_notice:
        _complain("readlog: note: this Python's SQLite has no FTS5; searching the slower way", "yellow")
    if as_json:
        _print_json([_hit_json(hit) for hit in hits])
        return
    from readlog.render import render_hits

    _stdout().print(render_hits(hits))


def _hit_json(hit: Any) -> dict[str, Any]:
    """A hit for scripts: the snippet as plain text, with the matched spans as [start, end] offsets."""
    text, spans, start = "", [], 0
    for index, piece in enumerate(hit.snippet.replace("\ue001", "\ue000").split("\ue000")):
        if index % 2:
            start = len(text)
            spans.append([start, start + len(piece)])
        text += piece
    return {
        "slug": hit.slug,
        "title": hit.title,
        "authors": hit.authors,
        "part": hit.part,
        "label": hit.label,
        "snippet": text,
        "highlights": spans,
    }


@app.command()
def stats(
    ctx: typer.Context,
    year: Annotated[int | None, typer.Option(metavar="YEAR", help="Only readings finished in YEAR.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the numbers as JSON.")] = False,
) -> None:
    """Your reading life at a glance: books and pages by year and month, ratings, authors, tags, goal.

    \b
    Example:
      readlog stats --year 2025
    """
    from readlog import actions

    numbers = actions.reading_stats(_journal(ctx), year)
    if as_json:
        _print_json(numbers.to_json())
        return
    from readlog.render import render_stats

    _stdout().print(render_stats(numbers))


@app.command()
def goal(
    ctx: typer.Context,
    books: Annotated[int | None, typer.Argument(help="How many books to read this year.")] = None,
    year: Annotated[
        int | None, typer.Option(metavar="YEAR", help="The goal's year (default: this year).")
    ] = None,
) -> None:
    """Set a yearly reading goal, or see how it is going; `stats` shows it too.

    \b
    Example:
      readlog goal 40
    """
    from datetime import date

    from readlog import actions

    journal = _journal(ctx)
    year = year or date.today().year
    if books is not None:
        actions.set_goal(journal, books, year)
        _say(f"Goal for {year}: {books} books")
    numbers = actions.reading_stats(journal, year)
    if numbers.goal is None:
        raise ReadlogError(f"no goal for {year}: set one with `readlog goal N`")
    from readlog.render import render_goal

    _stdout().print(render_goal(numbers.goal))


@app.command()
def reindex(ctx: typer.Context) -> None:
    """Rebuild the search index from the book files (it is only a cache; this is always safe).

    \b
    Example:
      readlog reindex
    """
    import time

    from readlog import actions

    started = time.perf_counter()
    journal = _journal(ctx)
    if sys.stderr.isatty():
        from rich.progress import Progress

        with Progress(console=_stderr(), transient=True) as bar:
            task = bar.add_task("indexing", total=None)
            count = actions.reindex(
                journal, lambda done, total: bar.update(task, completed=done, total=total)
            )
    else:
        count = actions.reindex(journal)
    _say(f"Indexed {count} book files in {time.perf_counter() - started:.1f} s")


@app.command("import")
def import_books(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="A Goodreads or StoryGraph CSV export, or readlog JSON.")],
    source: Annotated[
        str | None,
        typer.Option(
            "--from", metavar="FORMAT", help="goodreads, storygraph or json (default: told from the header)."
        ),
    ] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Write nothing; say what would happen.")] = False,
    update: Annotated[bool, typer.Option("--update", help="Give books already here what they lack.")] = False,
    rejects: Annotated[
        Path | None,
        typer.Option(metavar="PATH", help="Write the rows that could not be imported to this CSV."),
    ] = None,
) -> None:
    """Import your Goodreads or StoryGraph history (or a readlog JSON export); safe to run again.

    \b
    Example:
      readlog import goodreads_library_export.csv --dry-run
    """
    from readlog import importers

    journal = _journal(ctx)
    if sys.stderr.isatty():
        from rich.progress import Progress

        with Progress(console=_stderr(), transient=True) as bar:
            task = bar.add_task("importing", total=None)
            report = importers.run_import(
                journal,
                file,
                source,
                dry_run,
                update,
                lambda done, total: bar.update(task, completed=done, total=total),
            )
    else:
        report = importers.run_import(journal, file, source, dry_run, update)
    if rejects is not None and report.rejected:
        importers.write_rejects(report, rejects)
    for reject in report.rejected:
        _complain(f"readlog: rejected {file}:{reject.line}: {one_line(reject.reason)}", "yellow")
    would = "would be " if dry_run else ""
    if dry_run:
        for verb, titles in (("add", report.added), ("update", report.updated), ("skip", report.skipped)):
            for title in titles:
                _say(f"{verb}: {title}")
    _say(
        f"{report.format} export: {len(report.added)} {would}added, {len(report.updated)} {would}updated, "
        f"{len(report.skipped)} {would}skipped (already here), {len(report.rejected)} rejected"
        + (f" (written to {rejects})" if rejects is not None and report.rejected else "")
    )
    if report.rejected:
        raise typer.Exit(1)


@app.command()
def export(
    ctx: typer.Context,
    book: Annotated[str | None, typer.Argument(help="One book (default: the whole journal).")] = None,
    fmt: Annotated[
        str, typer.Option("--format", "-f", metavar="FORMAT", help="markdown, json, csv or goodreads.")
    ] = "json",
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="PATH",
            help="Write here (a folder for a whole-journal markdown export).",
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite what is already at --output.")] = False,
) -> None:
    """Export a book or the whole journal: markdown, json, csv, or Goodreads' CSV layout.

    \b
    Example:
      readlog export "never let me go" --format markdown
    """
    from readlog import actions

    journal = _journal(ctx)
    written, text, problems = actions.export(journal, book, fmt, output, force)
    _warn(problems)
    if text is not None:
        sys.stdout.write(text)
    if len(written) == 1:
        _complain(f"wrote {written[0]}", "green")
    elif written:
        _complain(f"wrote {len(written)} files in {output}", "green")


@app.command()
def check(
    ctx: typer.Context,
    fix: Annotated[
        bool, typer.Option("--fix", help="Fix what is safe to fix, and say what was done.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Check every book file; report each problem on one line (exit 1 if any). Changes nothing without --fix.

    \b
    Example:
      readlog check --fix
    """
    from readlog import checkup

    journal = _journal(ctx)
    report = checkup.check_journal(journal)
    done = checkup.fix(journal, report.problems) if fix and any(p.fixable for p in report.problems) else []
    if done:
        report = checkup.check_journal(journal)
    if as_json:
        problems = [p.to_json() for p in report.problems]
        _print_json({"checked": report.checked, "problems": problems, "fixed": done})
    else:
        for line in done:
            _say(f"fixed: {line}")
        for problem in report.problems:
            hint = " (readlog check --fix)" if problem.fixable else ""
            _say(one_line(str(problem)) + hint)
        summary = f"checked {report.checked} files in {journal.books_dir}: "
        count = len(report.problems)
        summary += f"{count} problem{'s' if count != 1 else ''}" if count else "all good"
        _complain(summary, "red" if report.problems else "green")
    if report.problems:
        raise typer.Exit(1)


def main() -> None:
    app(prog_name="readlog")
