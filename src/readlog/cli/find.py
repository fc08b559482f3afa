"""Finding and counting: search, stats, goal."""

from typing import Annotated, Any

import typer

from readlog.cli.app import (
    LIMIT_MAX,
    FormatOption,
    app,
    complain,
    journal_of,
    output_format,
    page,
    print_json,
    stdout,
    styled,
    tell,
    warn,
    whole_journal,
    write_rows,
)
from readlog.errors import ReadlogError, UsageError


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
    limit: Annotated[
        int, typer.Option(metavar="N", min=0, help="At most N hits (default 20; 0 for all).")
    ] = 20,
    fmt: FormatOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the hits as JSON.")] = False,
) -> None:
    """
    \b
    Example:
      readlog search '"the sea" memor*' --in reflections
    """
    from readlog.actions import find as actions

    journal = whole_journal(ctx, "search")
    hits, index = actions.search(journal, query, part, min(limit, LIMIT_MAX) if limit else LIMIT_MAX)
    warn(journal.problems())  # a book file that could not be read is not searched: said, not hidden
    if index.fts_notice:
        complain("readlog: note: this Python's SQLite has no FTS5; searching the slower way", "yellow")
    chosen = output_format(fmt, as_json)
    if chosen == "json":
        print_json([_hit_json(hit) for hit in hits])
        return
    if chosen in ("tsv", "csv"):  # one line per hit (slug, part, label, snippet), no blank lines
        rows = [[hit.slug, hit.part, hit.label, _hit_json(hit)["snippet"]] for hit in hits]
        write_rows(rows, chosen, ("slug", "part", "label", "snippet"))
        return
    from readlog.render import render_hits

    console = stdout()
    page(render_hits(hits, marked=not styled(console)), console)


def _hit_json(hit: Any) -> dict[str, Any]:
    """A hit for scripts: the snippet as plain text, with the matched spans as [start, end] offsets."""
    from readlog.text import snippet_pieces

    text, spans = "", []
    for piece, match in snippet_pieces(hit.snippet):
        if match:
            spans.append([len(text), len(text) + len(piece)])
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
    year: Annotated[
        int | None, typer.Option(metavar="YEAR", help="Only readings finished (or given up) in YEAR.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the numbers as JSON.")] = False,
) -> None:
    """Books and pages by year and month, ratings, authors, tags, goal.

    \b
    Example:
      readlog stats --year 2025
    """
    from readlog.actions import find as actions

    journal = whole_journal(ctx, "count")
    numbers = actions.reading_stats(journal, year)
    problems = journal.problems()
    warn(problems)  # a book file that could not be read is in no count: said, not hidden
    if as_json:  # and named in the data: what each count leaves out (an empty list: nothing)
        unreadable = [
            {"path": p.path, "line": p.line, "column": p.column, "message": p.message} for p in problems
        ]
        print_json({**numbers.to_json(), "unreadable": unreadable})
    else:
        from readlog.render import render_stats

        console = stdout()
        page(render_stats(numbers, console.width), console)


@app.command()
def goal(
    ctx: typer.Context,
    books: Annotated[int | None, typer.Argument(help="How many books to read this year.")] = None,
    year: Annotated[
        int | None,
        typer.Option(metavar="YEAR", min=1, max=9999, help="The goal's year (default: this year)."),
    ] = None,
    clear: Annotated[bool, typer.Option("--clear", help="Remove the year's goal.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the goal as JSON.")] = False,
) -> None:
    """
    \b
    Example:
      readlog goal 40
      readlog goal --clear --year 2025
    """
    from datetime import date

    from readlog.actions import find as actions

    journal = journal_of(ctx)
    year = year or date.today().year
    if clear:
        if books is not None:
            raise UsageError("give a number of books or --clear, not both", "--clear")
        if not actions.clear_goal(journal, year):
            raise ReadlogError(f"no goal for {year} to clear")
        tell(f"Cleared the goal for {year}")
        return
    if books is not None:
        actions.set_goal(journal, books, year)
        tell(f"Goal for {year}: {books} books")
    numbers = actions.reading_stats(journal, year)
    if numbers.goal is None:
        raise ReadlogError(f"no goal for {year}: set one with `readlog goal N`")
    if as_json:
        from dataclasses import asdict

        print_json(asdict(numbers.goal))
        return
    from readlog.render import render_goal

    console = stdout()
    console.print(render_goal(numbers.goal, console.width))
