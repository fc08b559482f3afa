"""The read-next queue: next, next add, next drop."""

from typing import TYPE_CHECKING, Annotated, Any

import typer

from readlog.cli.app import (
    LIMIT_MAX,
    BookQuery,
    _Group,
    app,
    complain,
    complete_book,
    footer,
    interactive,
    journal_of,
    output_format,
    page,
    print_json,
    stdout,
    tell,
    warn,
    whole_journal,
    write_rows,
)
from readlog.errors import MaybeSameBook, ReadlogError
from readlog.text import one_line

if TYPE_CHECKING:
    from rich.console import RenderableType

    from readlog.actions.queue import BookSummary, Queue, QueueItem
    from readlog.cli.app import Format


class _NextGroup(_Group):
    """`next`'s subcommands; a BOOK given where a subcommand goes is told where a book's picks are."""

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        from typer._click.exceptions import UsageError

        try:
            return super().resolve_command(ctx, args)
        except UsageError as error:
            if not args or args[0].startswith("-") or "did you mean" in error.message.lower():
                raise
            raise UsageError(
                f"{error.message} `readlog next` takes no BOOK: a book's read-next picks are in "
                "`readlog show BOOK`; `readlog next --suggest --explain BOOK` ranks one want book",
                ctx,
            ) from None


next_app = typer.Typer(cls=_NextGroup, rich_markup_mode=None, invoke_without_command=True)
app.add_typer(next_app, name="next")


@next_app.callback()
def next_queue(
    ctx: typer.Context,
    show_all: Annotated[bool, typer.Option("--all", help="Include picks you have already read.")] = False,
    limit: Annotated[
        int | None,
        typer.Option(
            metavar="N",
            min=0,
            help="At most N picks, N wanted books and N books being read (ten at most), what is left out "
            "said on stderr (default: 30 on a terminal, all in a pipe or --json; 0 for all).",
        ),
    ] = None,
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            metavar="FORMAT",
            help="table (on a terminal), tsv (piped: one line each, no header), csv or json; with --suggest "
            "also a book's format to keep: paperback, hardcover, ebook or audiobook.",
        ),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the queue as JSON (all, unless --limit).")
    ] = False,
    suggest: Annotated[
        bool, typer.Option("--suggest", help="Rank the books you want from your own history, with reasons.")
    ] = False,
    count: Annotated[
        int | None,
        typer.Option(metavar="N", min=0, help="With --suggest: the best N (default 10; 0 for all)."),
    ] = None,
    tag: Annotated[
        list[str],
        typer.Option("--tag", metavar="T", help="With --suggest: only books tagged T (repeat: all of them)."),
    ] = [],  # noqa: B006
    max_pages: Annotated[
        int | None,
        typer.Option(
            "--max-pages", metavar="N", min=1, help="With --suggest: only books of at most N pages (known)."
        ),
    ] = None,
    explain: Annotated[
        str | None,
        typer.Option(
            "--explain",
            metavar="BOOK",
            help="With --suggest: every signal and weight behind one want book's score.",
            autocompletion=complete_book,
        ),
    ] = None,
) -> None:
    """
    \b
    Example:
      readlog next --all
      readlog next --suggest --max-pages 300
    """
    if ctx.invoked_subcommand is not None:
        return
    from readlog.actions.queue import read_next

    output, book_format = _formats(fmt, suggest or explain is not None)
    if as_json and output is not None and output.value != "json":
        raise typer.BadParameter(f"--json and --format {output.value}: give one")
    if any(not given.strip() for given in tag):  # (a script's empty variable: as `list`'s, review 33a #9)
        raise typer.BadParameter(
            "the value is empty; leave --tag out to rank every want book", param_hint="'--tag'"
        )
    if suggest or explain is not None:
        # --limit and --all are the queue's: the ranking has --count, and never lists read books
        if limit is not None or show_all:
            raise typer.BadParameter("--limit and --all are the queue's: with --suggest, --count N")
        if explain is not None:  # one book, explained: nothing to filter or count; a table or JSON
            _explain_alone(tag, max_pages, count, book_format, output.value if output else None)
        _suggest(ctx, output_format(output, as_json), tuple(tag), max_pages, book_format, count, explain)
        return
    for name, given in (("--count", count), ("--tag", tag or None), ("--max-pages", max_pages)):
        if given is not None:
            raise typer.BadParameter(f"{name} goes with --suggest")
    chosen = output_format(output, as_json)
    shown = min(limit, LIMIT_MAX) if limit is not None else (30 if chosen == "table" else 0)
    if chosen != "table" and not shown:  # the whole queue for a script: kept while the journal is unchanged
        from readlog.actions.queue import whole_queue

        made = {"json": _queue_json, "tsv": _queue_tsv, "csv": _queue_csv}[chosen]
        value, problems = whole_queue(whole_journal(ctx, "list"), show_all, made.__name__.strip("_"), made)
        warn(problems)
        if chosen == "json":
            print_json(value)
        else:
            import sys

            sys.stdout.write(value)
        return
    queue, problems = read_next(whole_journal(ctx, "list"), include_read=show_all, limit=shown or None)
    warn(problems)
    if chosen != "table":  # (the table says the books being read it leaves out under them)
        if chosen == "json":
            print_json(_queue_json(queue))
        else:
            write_rows(_queue_rows(queue), chosen, QUEUE_COLUMNS)
        if queue.reading_total > len(queue.reading):
            more = queue.reading_total - len(queue.reading)
            footer(f"and {more} more being read: readlog list --status reading")
    else:
        from readlog.render import render_queue

        console = stdout()
        parts: list[RenderableType] = []
        if queue.items or queue.reading or not queue.series:
            parts.append(render_queue(queue, console.width))
        if queue.series:
            from readlog.lookup.views import render_suggestions

            parts.append(render_suggestions(queue.series))
        if not show_all and limit is None:  # the top three suggestions, when there is history enough
            from readlog.actions.suggest import for_next

            suggested = for_next(journal_of(ctx))
            if suggested:
                from readlog.suggest_views import render_next_suggestions

                parts.append(render_next_suggestions(suggested))
        from rich.console import Group

        page(Group(*parts), console)
    if queue.more:
        from readlog.actions.queue import rows_shown

        many = f"showing {rows_shown(queue)} of {queue.total}" if queue.total else "there is more"
        footer(f"{many} in your queue: --limit N for more, --limit 0 for all")


def _formats(fmt: str | None, suggest: bool) -> "tuple[Format | None, str | None]":
    """--format is the output's (table, tsv, csv, json) or, with --suggest, a book format to keep."""
    from readlog.actions.queue import book_formats
    from readlog.cli.app import Format

    if fmt is None:
        return None, None
    value = fmt.strip().lower()
    if value in {f.value for f in Format}:
        return Format(value), None
    formats = book_formats()
    if value in formats and suggest:
        return None, value
    kinds = "table, tsv, csv, json" + (f", {', '.join(formats)}" if suggest else "")
    raise typer.BadParameter(f"{fmt!r} is not one of {kinds}", param_hint="'--format'")


def _explain_alone(
    tag: list[str], max_pages: int | None, count: int | None, book_format: str | None, output: str | None
) -> None:
    """--explain BOOK ranks one book among all: a filter, a count or a script's format would be ignored."""
    given: list[tuple[str, object]] = [("--tag", tag or None), ("--max-pages", max_pages), ("--count", count)]
    given += [(f"--format {book_format}", book_format), (f"--format {output}", output)]
    for name, value in given:
        if value is not None and value not in ("table", "json"):
            raise typer.BadParameter(f"{name} does not go with --explain (one book: a table, or --json)")


def _suggest(
    ctx: typer.Context,
    chosen: str,
    tags: tuple[str, ...],
    max_pages: int | None,
    book_format: str | None,
    count: int | None,
    explain: str | None,
) -> None:
    """`next --suggest` and `--explain BOOK`."""
    from readlog.actions import suggest as actions

    min_history, min_rated = actions.history_needed()
    journal = whole_journal(ctx, "suggest")
    if explain is not None:
        explained = actions.explain(journal, explain)
        if explained.guessed:
            complain(f"readlog: explaining {explained.guessed}, the closest title", "yellow")
        if chosen == "json":
            print_json(
                {
                    **explained.book.to_json(),
                    "rank": explained.rank,
                    "of": explained.total,
                    "mean": round(explained.mean, 3),
                    "ties": explained.ties,
                    "signals": [
                        {
                            "signal": s.name,
                            "weight": s.weight,
                            "value": round(s.value, 3),
                            "adds": round(s.contribution, 3),
                            "evidence": s.reason,
                        }
                        for s in explained.signals
                    ],  # fmt: skip
                    "weights": {name: getattr(explained.weights, name) for name in explained.weights.names()},
                }
            )
            return
        from readlog.suggest_views import render_explanation

        page(render_explanation(explained), stdout())
        return
    found = actions.suggest(journal, tags, max_pages, book_format, 10 if count is None else count)
    warn(journal.problems())
    if found.total == 0:
        complain("No books on your want list: `readlog next add TITLE --author NAME` adds one", "dim")
    elif not found.enough:
        complain(
            f"suggestions need more history: {min_history} books finished or abandoned, {min_rated} of them "
            f"rated (you have {found.history}, {found.rated} rated); ranked from what there is",
            "yellow",
        )
    if chosen in ("json", "tsv", "csv") and found.total and not found.books:
        complain("No want book matches.", "dim")  # (said as the terminal's view says it: data stays empty)
    if chosen == "json":
        print_json([book.to_json() for book in found.books])
    elif chosen in ("tsv", "csv"):
        rows = [
            [f"{b.score:.2f}", b.title, "; ".join(b.authors), " / ".join(b.reasons), b.book_slug or ""]
            for b in found.books
        ]
        write_rows(rows, chosen, ("score", "title", "authors", "reasons", "slug"))
    elif found.total:
        from readlog.suggest_views import render_suggested

        page(render_suggested(found.books, found.total), stdout())


QUEUE_COLUMNS = ("title", "authors", "from", "status", "why", "reading")


def _queue_json(queue: "Queue") -> list[dict[str, object]]:
    """`next --json`: the books being read, the items, then the next book of each series: the books the
    terminal and `--format tsv` list, in their order."""
    from readlog.actions.queue import percent_done

    reading = []
    for summary in queue.reading:
        share = percent_done(summary.book)
        reading.append(
            {
                "title": summary.book.title,
                "authors": summary.book.authors,
                "why": None,
                "added": None,
                "from": None,
                "status": "reading",
                "slug": summary.slug,
                "progress": f"{share}%" if share is not None else "started",
            }  # fmt: skip
        )
    return reading + [item.to_json() for item in queue.items] + [s.to_queue_json() for s in queue.series]


def _queue_tsv(queue: "Queue") -> str:
    """The whole queue for a script as `write_rows` writes it in tsv: kept as this text (one string, read
    back and written at once; 100,000 books: the rows, each checked and written, were a fifth of `next`)."""
    return _written(_queue_rows(queue), "tsv")


def _queue_csv(queue: "Queue") -> str:
    """`_queue_tsv` in csv."""
    return _written(_queue_rows(queue), "csv")


def _written(rows: list[list[str]], fmt: str) -> str:
    import io

    out = io.StringIO()
    write_rows(rows, fmt, QUEUE_COLUMNS, out)
    return out.getvalue()


def _queue_rows(queue: "Queue") -> list[list[str]]:
    """One line per item, for scripts: the books being read first, the queue, then the next book of each
    series (`from`: the book it follows; status `series`), as shown."""
    rows = [_reading_row(summary.book) for summary in queue.reading]
    rows += [_queue_row(item) for item in queue.items]
    for s in queue.series:
        number = f" #{s.book.number}" if s.book.number else ""
        gap = ", ".join(f"#{n}" for n in s.missing)
        why = f"next in series: {s.series}{number}" + (f" (no {gap} in your journal)" if gap else "")
        rows.append([s.book.title, "; ".join(s.book.authors), s.after.slug, "series", why, ""])
    return rows


def _queue_row(item: "QueueItem") -> list[str]:
    """title, authors, where it comes from (the source book's slug, or `want`), status, why, and an empty
    `reading` column (for the books being read: how far along)."""
    where = item.source.slug if item.source else "want"
    from readlog.actions.queue import why_shown
    from readlog.render import queue_note

    note = why_shown(queue_note(item)) if item.also else why_shown(item.why)
    return [item.title, "; ".join(item.authors), where, item.status, note, ""]


def _reading_row(book: "BookSummary") -> list[str]:
    """A book being read: `reading` in from and status, and how far along (`42%`, else `started`) in the
    last column, which is empty for every other row."""
    from readlog.actions.queue import percent_done

    share = percent_done(book)
    return [
        book.title,
        "; ".join(book.authors),
        "reading",
        book.status or "reading",
        "",
        f"{share}%" if share is not None else "started",
    ]


@next_app.command("add")
def next_add(
    ctx: typer.Context,
    title: Annotated[str, typer.Argument(help="The book to read next.")],
    author: Annotated[
        list[str], typer.Option("--author", "-a", metavar="NAME", help="An author; repeat for several.")
    ] = [],  # noqa: B006
    source: Annotated[
        str | None,
        typer.Option(
            "--from", metavar="BOOK", help="The book this pick follows from.", autocompletion=complete_book
        ),
    ] = None,
    why: Annotated[
        str | None,
        typer.Option(metavar="TEXT", help="Why read it: a note (paragraphs kept); - reads it from stdin."),
    ] = None,
    new: Annotated[
        bool,
        typer.Option("--new", help="A separate book (or pick), even if the journal has one that may be it."),
    ] = False,
) -> None:
    """Add a read-next pick, from a book you read or on its own.

    \b
    Example:
      readlog next add "Klara and the Sun" -a "Kazuo Ishiguro" --from "never let me go" --why "..."
      readlog next add "Klara and the Sun" -a "Kazuo Ishiguro" --from "never let me go" --why - < note.md
    """
    from readlog.actions.queue import add_pick
    from readlog.text import clean_name

    journal = journal_of(ctx)
    if why == "-":
        from readlog.cli.app import read_source
        from readlog.text import clean_text

        why = clean_text(read_source("-"))
        if not why.strip():
            raise ReadlogError("--why -: stdin was empty; nothing was added")
    try:
        entry = add_pick(journal, title, author, source, why, new=new)
    except MaybeSameBook as maybe:
        if not interactive():
            raise
        from readlog.cli.books import separate_book

        if source is not None and len(maybe.slugs) == 1 and _that_book(maybe):
            entry = add_pick(journal, title, author, source, why, same_as=maybe.slugs[0])
        elif source is not None and len(maybe.slugs) == 1:  # (not that book, the reader said: another)
            entry = add_pick(journal, title, author, source, why, new=True)
        else:
            entry = add_pick(journal, title, author, source, why, new=separate_book(maybe))
    if source:
        picked = entry.book.next[-1].title  # (the pick as stored: the book it is, when the reader said so)
        tell(f"Added “{one_line(picked)}” as a pick of “{one_line(entry.book.title)}”: {entry.path}")
    else:
        tell(f"Added “{one_line(clean_name(title))}” as a book you want to read: {entry.path}")


def _that_book(maybe: MaybeSameBook) -> bool:
    """On a terminal, a pick that may be a book of the journal (`next add --from`): is it that book? Enter or
    `y` picks that book, under its title (the queue then lists it once, and reading it reads the pick); `n`
    a separate book, as `--new` does."""
    question = str(maybe).split(": nothing was added", 1)[0]
    from readlog.cli.app import confirm

    return confirm(f"{question}. Pick that book?", default=True, err=True)


@next_app.command("drop")
def next_drop(
    ctx: typer.Context,
    title: Annotated[str, typer.Argument(help="The pick to remove.")],
    source: Annotated[
        str | None,
        typer.Option(
            "--from", metavar="BOOK", help="The book the pick belongs to.", autocompletion=complete_book
        ),
    ] = None,
) -> None:
    """Remove a read-next pick.

    \b
    Example:
      readlog next drop "Klara and the Sun" --from "never let me go"
    """
    from readlog.actions.queue import drop_pick

    dropped = drop_pick(journal_of(ctx), title, source)
    if dropped.trashed is not None:
        tell(
            f"Removed “{one_line(dropped.entry.book.title)}” from your want list (moved to {dropped.trashed})"
        )
    else:
        kept = f" (its note kept in {dropped.kept_in})" if dropped.kept_in is not None else ""
        tell(f"Removed “{one_line(dropped.title)}” from “{one_line(dropped.entry.book.title)}”{kept}")


@next_app.command("intro")
def next_intro(
    ctx: typer.Context,
    book: BookQuery,
    text: Annotated[
        str | None,
        typer.Argument(
            metavar="[TEXT|-]", help="The introduction (Markdown); - reads stdin; empty removes it."
        ),
    ] = None,
    heading: Annotated[
        str | None,
        typer.Option("--heading", metavar="H", help='The heading above the picks (default "Read next").'),
    ] = None,
) -> None:
    """Give a book's read-next picks a heading and an introduction, for show, posts and the site.

    \b
    Example:
      readlog next intro "never let me go" "Three more that stay with you." --heading "Three Novels"
    """
    from readlog.actions.queue import set_intro
    from readlog.cli.app import read_source
    from readlog.text import clean_text

    intro = None if text is None else clean_text(read_source("-") if text == "-" else text)
    entry = set_intro(journal_of(ctx), book, intro, heading)
    tell(f"Saved the read-next heading and intro of “{one_line(entry.book.title)}”: {entry.path}")
