"""Publishing: site."""

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from typer.core import TyperCommand

from readlog.cli.app import (
    app,
    complain,
    end_prompt_line,
    given_path,
    say_stopped,
    show_error,
    tell,
    warn,
    whole_journal,
)
from readlog.errors import ReadlogError

if TYPE_CHECKING:
    from readlog.actions.site import BuildResult

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
    from readlog.actions.session import setting

    if given is None or given.strip() == str(setting(name)).strip():
        return
    shown = given.strip().replace('"', '\\"')
    complain(
        f'readlog: note: {option} is for this run; `readlog config set {name} "{shown}"` keeps it', "dim"
    )


@app.command(cls=_OptionalPort)
def site(
    ctx: typer.Context,
    outdir: Annotated[Path, typer.Argument(parser=given_path, help="The folder to publish the site into.")],
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
    """A page per review, shelves, years, a feed.

    Anything marked `private = true` (a book, a review, a reflection, a quote) is left out.

    \b
    Example:
      readlog site ~/public/books --title "What I read" --base-url https://example.org/books/
    """
    from readlog.actions import site as actions

    _for_this_run("site.title", title, "--title")
    _for_this_run("site.base_url", base_url, "--base-url")
    chosen = actions.site_options(title, base_url, include_all, serve)
    options, port = chosen.options, chosen.port
    journal = whole_journal(
        ctx, "publish", needs_books=True
    )  # (a mistyped folder must not publish an empty site over OUTDIR)
    try:
        result = actions.build(journal, outdir, options, force=force)
    except actions.Stopped as stop:  # (SIGTERM, SIGHUP: said, then the signal ends readlog)
        stop.end(say_stopped)
    short = _said(result)
    counts = f"{result.files} files, {result.written} written, {result.kept} unchanged"
    tell(f"Built {result.outdir}: {counts}{short}")
    if port is None:
        return
    import threading

    server = actions.open_server(result.outdir, port)
    tell(f"Serving http://127.0.0.1:{server.server_address[1]}/index.html (Ctrl-C to stop)")
    sys.stdout.flush()

    def rebuild() -> None:
        try:
            again = actions.build(journal, result.outdir, options)
        except ReadlogError as error:
            show_error(str(error))  # the preview goes on: the next change may fix it
            return
        except actions.Stopped as stop:
            stop.end(say_stopped)
        short = _said(again)  # (what a rebuild leaves out, as the first build says it: marked private since)
        tell(f"Rebuilt: {again.written} written, {again.kept} unchanged{short}")
        sys.stdout.flush()

    try:
        actions.serve(server, journal, rebuild, threading.Event())
    except KeyboardInterrupt:
        end_prompt_line()  # (after the terminal's `^C`)
        tell("Stopped")


def _few(paths: list[str], shown: int = 3) -> str:
    """`paths`, the first few: "authors/a.jpg, tags/b.txt and 4 more"."""
    more = f" and {len(paths) - shown} more" if len(paths) > shown else ""
    return ", ".join(paths[:shown]) + more


def _said(result: "BuildResult") -> str:
    """A build's unreadable books and what it left out as private, said; the words its summary line ends
    with when books were left out."""
    warn(result.problems)
    if result.mended:  # (a reader who edited a page in OUTDIR should know the edit is gone)
        pages = "page" if result.mended == 1 else "pages"
        complain(
            f"readlog: rewrote {result.mended} {pages} changed by hand in {result.outdir} since the last "
            "build (the site is made from the journal: change its look with templates in the data "
            "directory's site/ folder)",
            "yellow",
        )
    for line in result.left_out:  # (as `export --format markdown` says what its posts leave out)
        complain(f"readlog: {line}", "yellow")
    if result.marker_unread:  # (a merge conflict in it: every page was made again)
        unmade = ", ".join(name + ("" if "." in name else "/") for name in result.kept_unmade)
        complain(
            f"readlog: {result.outdir}/.readlog-site.json could not be read: every page was made again, and "
            "what else is in the folder kept"
            + (
                f" ({unmade}: named like readlog's pages, which this build does not make: an older build's?"
                " delete it if so)"
                if unmade
                else ""
            ),
            "yellow",
        )
    elif result.kept_unmade:  # (kept by such a build, and still there: named until it is gone)
        unmade = ", ".join(name + ("" if "." in name else "/") for name in result.kept_unmade)
        complain(
            f"readlog: {unmade} in {result.outdir}: named like readlog's pages, which no build makes since "
            f"its .readlog-site.json could not be read: an older build's? delete it if so (it is published)",
            "yellow",
        )
    if result.removed_private:  # (never the book's title: the pages are named)
        complain(
            f"readlog: removed {_few(result.removed_private)} from {result.outdir}: made by an older build, "
            f"{'it names' if len(result.removed_private) == 1 else 'they name'} a book that is private now",
            "yellow",
        )
    if result.kept_private:  # (those that could not be removed)
        name, them = ("names", "it") if len(result.kept_private) == 1 else ("name", "them")
        complain(
            f"readlog: {_few(result.kept_private)} in {result.outdir}, made by an older build, still "
            f"{name} a book that is private now: delete {them}, or {them} stays published".replace(
                "them stays", "they stay"
            ),
            "yellow",
        )
    if result.kept_inside:
        complain(
            f"readlog: kept {_few(result.kept_inside)} in {result.outdir}, which no build made: readlog's "
            "folders hold its pages (keep your files at the top of the folder)",
            "yellow",
        )
    if result.removed_unlisted:
        complain(
            f"readlog: removed {_few(result.removed_unlisted)} from {result.outdir}: pages an older build "
            "made (readlog's generator mark in them), which this build does not make",
            "yellow",
        )
    if result.removed_dots:
        complain(
            f"readlog: removed {_few(result.removed_dots)} from {result.outdir}: dot-files left in a folder "
            "of pages this build does not make",
            "yellow",
        )
    for _, line in result.set_aside:  # (a stopped build's, holding the reader's things: build.Aside)
        complain(f"readlog: {line}", "yellow")
    unread = len(result.problems)
    book_files = "book file" if unread == 1 else "book files"
    return f"; {unread} {book_files} left out: could not be read (named above)" if unread else ""
