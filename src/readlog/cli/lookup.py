"""Open Library and series: lookup, enrich, series (and the look-up step of `add --lookup`)."""

from typing import TYPE_CHECKING, Annotated, Any

import typer

from readlog.cli.app import (
    FormatOption,
    app,
    complain,
    emit,
    interactive,
    journal_of,
    output_format,
    print_json,
    stderr,
    stdout,
    tell,
    warn,
    whole_journal,
    write_rows,
)
from readlog.errors import ReadlogError
from readlog.text import one_line

if TYPE_CHECKING:
    from readlog.actions.lookup import AddLookup, Found


@app.command()
def lookup(
    query: Annotated[str, typer.Argument(metavar="ISBN|TITLE", help="An ISBN, or a title in quotes.")],
    author: Annotated[
        str | None, typer.Option("--author", "-a", metavar="NAME", help="The author, to narrow a title.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print what was found as JSON.")] = False,
    refresh: Annotated[bool, typer.Option("--refresh", help="Ask Open Library even if cached.")] = False,
) -> None:
    """Authors, first published year, pages, ISBNs, cover.

    \b
    Example:
      readlog lookup 9780441013593
      readlog lookup "the left hand of darkness" --author "le guin"
    """
    from readlog.actions import lookup as actions

    looked = actions.lookup(query, author, refresh, _waiting)
    result = looked.result
    if looked.unreached is not None:
        complain(
            f"readlog: note: {one_line(looked.unreached)}: this is Open Library's answer kept from before",
            "yellow",
        )
    if as_json:
        print_json(
            {
                "query": result.query,
                "match": result.match.to_json() if result.match else None,
                "candidates": [] if result.match else [c.to_json() for c in result.candidates],
            }
        )
        return
    from readlog.lookup.views import render_candidates, render_found

    if result.match is not None:
        stdout().print(render_found(result.match, looked.covers_url))
    else:
        stdout().print(render_candidates(result.query, result.candidates))
        found = "several books match" if len(result.candidates) > 1 else "one book comes close, not surely"
        narrow = "give the whole title" if author else "narrow it with --author NAME"  # (not --author again)
        complain(f"{found}: {narrow}, or look one up by its ISBN", "dim")


@app.command()
def enrich(
    ctx: typer.Context,
    books: Annotated[
        list[str] | None, typer.Argument(metavar="[BOOK]...", help="Books to fill (default: every book).")
    ] = None,
    missing: Annotated[
        str | None,
        typer.Option(
            metavar="FIELDS",
            help="Fields to fill where empty: pages,year,isbn,cover (default), series, authors.",
        ),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what would be filled; write nothing.")
    ] = False,
    refresh: Annotated[
        bool, typer.Option("--refresh", help="Ask Open Library again, and refresh what it filled before.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print each book's outcome as JSON.")] = False,
) -> None:
    """Run it again to continue a stopped run.

    \b
    Example:
      readlog enrich --missing pages,year,cover --dry-run
    """
    from readlog.actions import lookup as actions

    journal = journal_of(ctx)
    with _progress(not as_json) as progress:
        report = actions.enrich(journal, books, missing, dry_run, refresh, progress, _waiting)
    warn(report.problems)
    if as_json:
        print_json({"books": [item.to_json() for item in report.items], "stopped": report.stopped})
    else:
        for item in report.items:
            if item.outcome in ("filled", "would-fill"):
                verb = "would fill" if dry_run else "filled"
                shown = ", ".join(f"{k} {_value(v)}" for k, v in item.fields.items())
                line = f"{item.slug}: {verb} {shown}"
                emit(line) if dry_run else tell(line)  # a dry run's lines are its data
                if item.note:  # (the cover refused while the rest was filled)
                    complain(f"readlog: {item.slug}: note: {one_line(item.note)}", "yellow")
            elif item.outcome in ("failed", "ambiguous") and item.note:
                complain(f"readlog: {item.slug}: {item.outcome}: {one_line(item.note)}", "yellow")
        from readlog.lookup.views import enrich_summary

        if report.items or not report.stopped:  # (stopped before the first book: the error alone says it)
            tell(enrich_summary(report, dry_run))
    if report.stopped:
        raise ReadlogError(f"enrich stopped: {report.stopped}; run it again to continue")
    failed = [item.slug for item in report.items if item.outcome == "failed"]
    if failed:  # (an answer that could not be read, a book it cannot fill: a script or cron job must see it)
        named = ", ".join(failed[:5]) + (f" and {len(failed) - 5} more" if len(failed) > 5 else "")
        books_failed = "1 book" if len(failed) == 1 else f"{len(failed)} books"
        raise ReadlogError(f"enrich failed for {books_failed}: {named}")


def _value(value: Any) -> str:
    if isinstance(value, dict) or (isinstance(value, list) and value and isinstance(value[0], dict)):
        from readlog.lookup.views import series_label

        return series_label(value)
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return str(value)


class _progress:
    """A progress bar on stderr while enrich runs, on a terminal only; a no-op otherwise."""

    def __init__(self, wanted: bool):
        self.bar: Any = None
        self.task: Any = None
        if wanted and stderr().is_terminal:
            from rich.progress import Progress

            self.bar = Progress(console=stderr(), transient=True)

    def __enter__(self) -> Any:
        if self.bar is None:
            return None
        self.bar.start()
        task = self.bar.add_task("enrich", total=None)

        def update(number: int, total: int, slug: str) -> None:
            self.bar.update(task, total=total, completed=number - 1, description=one_line(slug)[:30])
            self.task = task

        return update

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            if self.task is not None:
                self.bar.update(self.task, completed=self.bar.tasks[0].total)
            self.bar.stop()


@app.command()
def series(
    ctx: typer.Context,
    name: Annotated[
        str | None, typer.Argument(metavar="[NAME]", help="A series, or part of its name (default: all).")
    ] = None,
    fmt: FormatOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Same as --format json.")] = False,
) -> None:
    """Piped, it prints one line per series, tab-separated: name, books, read, reading, want, and the next
    book's slug and title; with NAME, one line per book of it: series, number, slug, title, authors, status.

    \b
    Example:
      readlog series "earthsea"
    """
    from readlog.actions import lookup as actions

    found = actions.series(whole_journal(ctx, "list"), name)
    warn(found.problems)
    chosen, upcoming = found.series, found.upcoming
    if name is not None and not chosen:
        raise ReadlogError(f"no series called {one_line(name)!r}; `readlog series` lists them")
    shown = output_format(fmt, as_json)
    if shown == "json":
        print_json([s.to_json() for s in chosen])
        return
    from readlog.lookup.views import NO_SERIES, render_series, render_series_list

    if not chosen:  # a message, not data: stdout holds no row for a script (csv: its header, review 32c #8)
        complain(NO_SERIES, "dim")
        if shown != "csv":
            return
    if shown in ("tsv", "csv") and name is None:
        rows = []
        for one in chosen:
            after = upcoming.get(one.name)
            slug, title = (after.book.slug, after.book.title) if after is not None else ("", "")
            counts = [str(len(one.books)), *(str(one.count(s)) for s in ("read", "reading", "want"))]
            rows.append([one.name, *counts, slug, title])
        write_rows(rows, shown, ("series", "books", "read", "reading", "want", "next_slug", "next_title"))
    elif shown in ("tsv", "csv"):
        rows = [
            [one.name, book.number or "", book.slug, book.title, "; ".join(book.authors), book.status or ""]
            for one in chosen
            for book in one.books
        ]
        write_rows(rows, shown, ("series", "number", "slug", "title", "authors", "status"))
    elif name is None:
        console = stdout()
        console.print(render_series_list(chosen, upcoming, console.width))
    else:
        console = stdout()
        for one in chosen:
            console.print(render_series(one, upcoming.get(one.name)))


# --- add --lookup -------------------------------------------------------------------------------------
def _waiting(line: str) -> None:
    """A long wait Open Library asked for, said before it (`waiting 59 s: ... asks readlog to slow down`)."""
    complain(f"readlog: note: {one_line(line)}", "yellow")


def lookup_for_add(title: str | None, isbn: str | None, authors: list[str]) -> "AddLookup | None":
    """The match `add --lookup` fills from: confirmed on a terminal, only a clear one in a script. Offline,
    blocked or no match: a one-line note and None, and `add` goes on with what was typed."""
    from readlog.actions import lookup as actions

    # With only an ISBN typed there is nothing to add "as typed": say what happened and what to give
    # instead (a terminal is asked for the title, as `add` asks for anything missing).
    instead = (
        "adding what you typed" if title else "give its title (and --author) to add it without Open Library"
    )
    looked = actions.lookup_for_add(title, isbn, authors, interactive(), _confirm, _pick, _waiting)
    if looked.found is None:
        _no_lookup(looked.why, title, isbn, instead)
    return looked.found


def _no_lookup(why: str, title: str | None, isbn: str | None, instead: str) -> None:
    """A look-up for `add` that found nothing: a note, and `add` goes on with what was typed; with only an
    ISBN typed and no terminal to ask for the title, one error saying both what happened and what to do."""
    if title is None and not interactive():
        raise ReadlogError(f"cannot add ISBN {isbn or ''} from Open Library: {why}; {instead}")
    complain(f"readlog: note: {why}; {instead}", "yellow")


def _confirm(found: "Found") -> bool:
    from readlog.actions.lookup import describe
    from readlog.cli.app import confirm

    return confirm(f"Open Library: {one_line(describe(found))}. Use it?", default=True)


def _pick(candidates: "list[Found]") -> "Found | None":
    from readlog.lookup.views import candidate_line

    console = stderr()
    for number, found in enumerate(candidates, 1):
        console.print(candidate_line(number, found))
    from readlog.cli.app import ask_again

    def picked(answer: str) -> int:
        answer = answer.strip() or "0"
        if answer.isdigit() and int(answer) <= len(candidates):
            return int(answer)
        raise ReadlogError(
            f"{one_line(answer)!r} is not one of the choices: 1-{len(candidates)}, or 0 for none"
        )

    choice = ask_again("Which one? (0 for none)", picked, default="0")  # (stderr: review 32c #6)
    return candidates[choice - 1] if choice else None
