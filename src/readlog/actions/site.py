"""`readlog site`: publish the journal as a static reading blog, and preview it. Thin: the work is the site
exporter's (readlog.exporters.site); here the options are settled and checked."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from readlog import stopping
from readlog.errors import ReadlogError
from readlog.journal import Journal

if TYPE_CHECKING:
    import threading
    from http.server import ThreadingHTTPServer as HTTPServer

    from readlog.exporters.site import Options
    from readlog.exporters.site.build import BuildResult


@dataclass
class SiteRun:
    options: Options
    port: int | None  # --serve's port; None: build only


def site_options(
    title: str | None, base_url: str | None, include_all: bool, serve: str | None = None
) -> SiteRun:
    """The site's options: what was given for this run, else config.toml's `site.title`/`site.base_url`;
    and the preview's port (`--serve`), checked."""
    from readlog import config
    from readlog.exporters.site import Options

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
    return SiteRun(Options(title=title.strip(), base_url=base_url or "", include_all=include_all), port)


def build(journal: Journal, outdir: Path, options: Options, force: bool = False) -> BuildResult:
    """Build (or rebuild) the site in `outdir`, writing only the pages that changed. Stopped by SIGTERM or
    SIGHUP, the old site stays whole and nothing is left beside it: `Stopped` is raised (`end`)."""
    from readlog.exporters.site import build_site
    from readlog.stopping import Ending

    try:
        return build_site(journal, outdir, options, force=force)
    except Ending as stop:
        raise Stopped(stop.signum, outdir) from None
    except KeyboardInterrupt as stop:  # (Ctrl-C: said as the command line's edge says a note, exit 130)
        import signal

        stop.add_note(stopped_words(signal.SIGINT, outdir))
        raise


def stopped_words(signum: int, outdir: Path) -> str:
    """What a build stopped by the signal `signum` (its unfinished site taken away) says: the old site is
    as it was; where there was none, nothing was written (no OUTDIR made, nor a folder above it)."""
    import signal

    name = signal.Signals(signum).name
    if not os.path.lexists(outdir):
        return f"site stopped ({name}): nothing was written, {outdir} was not made"
    return f"site stopped ({name}): {outdir} is as it was, nothing is left beside it"


class Stopped(stopping.Stopped):  # noqa: N818 - like KeyboardInterrupt: a signal, not an error of the reader's
    """A build stopped by SIGTERM or SIGHUP, its unfinished site taken away: `end` ends the process by it."""

    def __init__(self, signum: int, outdir: Path):
        super().__init__(signum, stopped_words(signum, outdir))
        self.outdir = outdir


def open_server(outdir: Path, port: int) -> HTTPServer:
    """A preview server for `outdir` on 127.0.0.1:`port` (0: any free port)."""
    from readlog.exporters.site.serve import open_server as server_for

    try:
        return server_for(outdir, port)
    except OSError as error:
        raise ReadlogError(f"--serve: cannot listen on 127.0.0.1:{port}: {error.strerror}") from None


def serve(server: HTTPServer, journal: Journal, rebuild: Callable[[], None], stop: threading.Event) -> None:
    """Serve until `stop` is set (or Ctrl-C), calling `rebuild` when the journal changes."""
    from readlog.exporters.site.serve import serve as serve_site

    serve_site(server, journal.root, rebuild, stop)
