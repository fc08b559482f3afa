"""Publishing: site."""

import sys
from pathlib import Path
from typing import Annotated

import typer
from typer.core import TyperCommand

from readlog.cli.app import app, complain, journal_of, tell, warn
from readlog.errors import ReadlogError

DEFAULT_PORT = "8000"


class _OptionalPort(TyperCommand):
    """`--serve [PORT]`: a bare `--serve` means port 8000. (Typer's options take a value or none, never
    either, so the default is put in before parsing when no port follows.)"""

    def parse_args(self, ctx: typer.Context, args: list[str]) -> list[str]:  # type: ignore[override]
        return super().parse_args(ctx, with_default_port(args))


def with_default_port(args: list[str]) -> list[str]:
    """`args` with the default port after a `--serve` that has no port of its own."""
    given = list(args)
    for index, arg in enumerate(given):
        if arg == "--":
            break
        if arg == "--serve" and not (index + 1 < len(given) and given[index + 1].isdigit()):
            given.insert(index + 1, DEFAULT_PORT)
            break
    return given


def _for_this_run(name: str, given: str | None, option: str) -> None:
    """An option that differs from the config file's value is for this run only: say how to keep it (a
    rebuild without it would otherwise rewrite every page)."""
    from readlog import config

    if given is None or given.strip() == str(config.value(name)).strip():
        return
    shown = given.strip().replace('"', '\\"')
    complain(
        f'readlog: note: {option} is for this run; `readlog config set {name} "{shown}"` keeps it', "dim"
    )


@app.command(cls=_OptionalPort)
def site(
    ctx: typer.Context,
    outdir: Annotated[Path, typer.Argument(help="The folder to publish the site into.")],
    base_url: Annotated[
        str | None,
        typer.Option("--base-url", metavar="URL", help="Where the site will live, for the feed and sitemap."),
    ] = None,
    title: Annotated[
        str | None,
        typer.Option(
            "--title", metavar="TEXT", help="The site's name for this run (kept: `config set site.title`)."
        ),
    ] = None,
    include_all: Annotated[
        bool, typer.Option("--all", help="A page for every book, not only the ones with a review.")
    ] = False,
    force: Annotated[
        bool, typer.Option("--force", help="Replace OUTDIR even if it is not a site readlog built.")
    ] = False,
    serve: Annotated[
        str | None,
        typer.Option(
            "--serve",
            metavar="[PORT]",
            help="Preview on http://127.0.0.1:PORT (default 8000), rebuilding on change.",
        ),
    ] = None,
) -> None:
    """Publish your journal as a static reading blog: a page per review, shelves, years, a feed.

    Anything marked `private = true` (a book, a review, a reflection, a quote) is left out.

    \b
    Example:
      readlog site ~/public/books --title "What I read" --base-url https://example.org/books/
    """
    from readlog import config
    from readlog.exporters.site import Options, build_site

    _for_this_run("site.title", title, "--title")
    _for_this_run("site.base_url", base_url, "--base-url")
    title = str(config.value("site.title", title))
    base_url = str(config.value("site.base_url", base_url))
    if base_url is not None and base_url.strip():
        base_url = base_url.strip()
        if not base_url.startswith(("http://", "https://")):
            raise ReadlogError(f"--base-url: {base_url!r} is not an http(s) URL")
        base_url = base_url.rstrip("/") + "/"
    port = None
    if serve is not None:
        if not serve.isdigit() or int(serve) > 65535:
            raise ReadlogError(f"--serve: {serve!r} is not a port number")
        port = int(serve)
    if not title.strip():
        raise ReadlogError("--title: must not be empty")
    journal = journal_of(ctx)
    options = Options(title=title.strip(), base_url=base_url or "", include_all=include_all)
    result = build_site(journal, outdir, options, force=force)
    warn(result.problems)
    tell(f"Built {result.outdir}: {result.files} files, {result.written} written, {result.kept} unchanged")
    if port is None:
        return
    import threading

    from readlog.exporters.site.serve import open_server
    from readlog.exporters.site.serve import serve as serve_site

    try:
        server = open_server(result.outdir, port)
    except OSError as error:
        raise ReadlogError(f"--serve: cannot listen on 127.0.0.1:{port}: {error.strerror}") from None
    tell(f"Serving http://127.0.0.1:{server.server_address[1]}/index.html (Ctrl-C to stop)")
    sys.stdout.flush()

    def rebuild() -> None:
        try:
            again = build_site(journal, result.outdir, options)
        except ReadlogError as error:
            complain(f"readlog: error: {error}", "red")
            return
        warn(again.problems)
        tell(f"Rebuilt: {again.written} written, {again.kept} unchanged")
        sys.stdout.flush()

    try:
        serve_site(server, journal.root, rebuild, threading.Event())
    except KeyboardInterrupt:
        tell("Stopped")
