"""recall: remembered lines brought back."""

from typing import Annotated

import typer

from readlog.cli.app import app, complain, day, print_json, stdout, warn, whole_journal


@app.command()
def recall(
    ctx: typer.Context,
    date: Annotated[
        str | None,
        typer.Option("--date", metavar="YYYY-MM-DD", help="The day to look back from (default: today)."),
    ] = None,
    count: Annotated[
        int,
        typer.Option(
            "--count", metavar="N", min=0, help="Quotes to draw from the whole journal (0: only on this day)."
        ),
    ] = 3,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Your kept lines, back.

    \b
    Example:
      readlog recall --count 5
    """
    from readlog.actions.recall import recall as recall_action

    journal = whole_journal(ctx, "recall")
    result = recall_action(journal, day(date, "--date", past=False), count)
    warn(journal.problems())  # a book file that could not be read is not drawn from: said, not hidden
    if as_json:
        print_json(result.to_json())
        return
    if result.empty:
        complain(
            "Nothing to recall on this day"
            + ("" if count == 0 else ": no remembered lines yet (`readlog quote TITLE TEXT` keeps one)"),
            "dim",
        )
        return
    from readlog.render import render_recall

    stdout().print(render_recall(result))
