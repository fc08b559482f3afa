"""The command line: each command parses its arguments, calls one action and renders the result.
This package is the only place that prints. `app.py` holds the Typer app, the one error boundary and the
table of commands; each command's module is imported only when that command runs."""

from readlog.cli.app import app


def main() -> None:
    app(prog_name="readlog")


__all__ = ["app", "main"]
