"""The command line: each command parses its arguments, calls one domain function and renders the result.
This package is the only place that prints. `app.py` holds the Typer app and the one error boundary; the
other modules hold the commands, grouped by what they do."""

from readlog.cli import books, find, maintenance, queue, sync, transfer  # noqa: F401 - registers the commands
from readlog.cli.app import app


def main() -> None:
    app(prog_name="readlog")


__all__ = ["app", "main"]
