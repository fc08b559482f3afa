"""The command line: each command parses its arguments, calls one action and renders the result.
This package is the only place that prints. `app.py` holds the Typer app, the one error boundary and the
table of commands; each command's module is imported only when that command runs."""

from readlog.cli.app import COMMANDS, app

# Open Library look-ups and series (cli/lookup.py), registered lazily like every other command.
# These three entries belong in COMMANDS in app.py; they are added here only until that table takes them.
COMMANDS.setdefault(
    "lookup",
    (
        "lookup",
        "Show what Open Library knows about a book: authors, first published year, pages, ISBNs, cover.",
    ),
)
COMMANDS.setdefault(
    "enrich",
    (
        "lookup",
        "Fill the gaps from Open Library, never what you wrote; run it again to continue a stopped run.",
    ),
)
COMMANDS.setdefault(
    "series", ("lookup", "Your series in order: what is read, being read and wanted, and what comes next.")
)


def main() -> None:
    app(prog_name="readlog")


__all__ = ["app", "main"]
