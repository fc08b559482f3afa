"""recall: remembered lines brought back."""

from typing import Annotated

import typer

from readlog.cli.app import app, day, journal_of, print_json, stdout


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

    result = recall_action(journal_of(ctx), day(date, "--date", past=False), count)
    if as_json:
        print_json(result.to_json())
        return
    if result.empty:
        return
    from readlog.render import render_recall

    stdout().print(render_recall(result))
